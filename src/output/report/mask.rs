//! Masking of personal numbers (ID numbers, phone numbers) for the report: the page may be
//! printed, mailed or left on a shared machine, so by default it shows only enough of a number
//! to tell two candidates apart. Every masked string of the report goes through here.

/// Whether the report shows personal numbers in full (`process --show-pii`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Masking {
    pub show_pii: bool,
}

/// Fields whose picture shows a personal number: ids of the record contract, which every
/// spec keeps. Pictures are written before the report's options are known, so these are
/// covered on page thumbnails always, and their crops are shown only with `--show-pii`.
pub const PII_FIELDS: [&str; 2] = ["id_number", "phone"];

impl Masking {
    /// Whether the page may show the picture a field was read from.
    pub fn shows_picture(&self, field: &str) -> bool {
        self.show_pii || !PII_FIELDS.contains(&field)
    }

    /// A field's value as the page shows it: ID and phone fields masked as such, any other
    /// text with the numbers it quotes masked (a résumé or a message may carry a phone).
    pub fn value(&self, kind: crate::spec::Kind, text: &str) -> String {
        use crate::spec::Kind;
        match (self.show_pii, kind) {
            (true, _) => text.to_string(),
            (false, Kind::IdNumber) => mask_id(text),
            (false, Kind::Phone) => mask_phone(text),
            (false, _) => mask_text(text),
        }
    }

    /// Free text (messages, raw readings): numbers that look like IDs or phones masked.
    pub fn text(&self, text: &str) -> String {
        if self.show_pii {
            text.to_string()
        } else {
            mask_text(text)
        }
    }
}

fn stars(n: usize) -> String {
    "*".repeat(n)
}

/// Keeps `head` characters at the start and `tail` at the end, starring the rest; a string
/// too short to keep both is starred whole but for its last character.
fn keep_ends(s: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= head + tail {
        return format!("{}{}", stars(chars.len().saturating_sub(1)), chars.last().map(|c| c.to_string()).unwrap_or_default());
    }
    let start: String = chars[..head].iter().collect();
    let end: String = chars[chars.len() - tail..].iter().collect();
    format!("{start}{}{end}", stars(chars.len() - head - tail))
}

/// `150203198506151234` → `1502**********1234`: the region prefix and the last four stay,
/// so staff can still match a number a unit reads out on the phone.
pub fn mask_id(id: &str) -> String {
    keep_ends(id.trim(), 4, 4)
}

/// `18112348804` → `181****8804`; a landline `0471-5109211` keeps its area code and the last
/// four of the number: `0471-***9211`.
pub fn mask_phone(phone: &str) -> String {
    let phone = phone.trim();
    match phone.rsplit_once('-') {
        Some((area, local)) => format!("{area}-{}", keep_ends(local, 0, 4)),
        None if phone.chars().count() == 11 => keep_ends(phone, 3, 4),
        None => keep_ends(phone, 0, 4),
    }
}

/// Masks, inside any text, runs of digits shaped like an ID number (15 or 18 characters, the
/// last possibly X), a mobile number (11 digits from 1) or a landline's number after its area
/// code (`0471-5109211`). Shorter runs (dates, counts, years) and longer ones (not a person's
/// number) are left alone.
pub fn mask_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j - i == 17 && j < chars.len() && matches!(chars[j], 'X' | 'x') {
            j += 1;
        }
        let run: String = chars[i..j].iter().collect();
        let glued = j < chars.len() && chars[j].is_ascii_alphanumeric();
        let after_area_code = out.ends_with('-') && {
            let area: String = out[..out.len() - 1].chars().rev().take_while(char::is_ascii_digit).collect();
            (3..=4).contains(&area.len()) && area.ends_with('0')
        };
        let masked = match run.len() {
            _ if glued => run,
            15 | 18 => mask_id(&run),
            11 if run.starts_with('1') => mask_phone(&run),
            7 | 8 if after_area_code => keep_ends(&run, 0, 4),
            _ => run,
        };
        out.push_str(&masked);
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Kind;

    #[test]
    fn ids_and_phones() {
        assert_eq!(mask_id("150203198506150712"), "1502**********0712");
        assert_eq!(mask_id("15020319850615071X"), "1502**********071X");
        assert_eq!(mask_phone("18112348804"), "181****8804");
        assert_eq!(mask_phone("0471-5109211"), "0471-***9211");
        assert_eq!(mask_phone("123"), "**3");
    }

    #[test]
    fn numbers_inside_text() {
        assert_eq!(
            mask_text("身份证号码“15020319850615071X”校验位不符，电话18112348804、0471-5109211"),
            "身份证号码“1502**********071X”校验位不符，电话181****8804、0471-***9211"
        );
        // 15-digit (first generation) IDs too.
        assert_eq!(mask_text("号码150203850615071"), "号码1502*******5071");
        // Dates, counts, years and file names are not personal numbers.
        for keep in ["2023-05-10", "出席126人", "in/0007.pdf", "scan20230510120000123.pdf", "abc18112348804", "1985.06"] {
            assert_eq!(mask_text(keep), keep);
        }
    }

    #[test]
    fn show_pii_keeps_everything() {
        let m = Masking { show_pii: true };
        assert_eq!(m.value(Kind::IdNumber, "150203198506150712"), "150203198506150712");
        assert_eq!(m.text("电话18112348804"), "电话18112348804");
        assert!(m.shows_picture("phone"));
        let m = Masking::default();
        assert_eq!(m.value(Kind::IdNumber, "150203198506150712"), "1502**********0712");
        assert_eq!(m.value(Kind::Phone, "18112348804"), "181****8804");
        assert_eq!(m.value(Kind::Multiline, "联系人 18112348804"), "联系人 181****8804");
        assert!(!m.shows_picture("id_number") && !m.shows_picture("phone") && m.shows_picture("name"));
    }
}
