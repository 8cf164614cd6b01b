//! Raw field text → the normalised value of the record contract.
//!
//! Everything here is a pure function of its input, so the docx, PDF and OCR routes normalise
//! identically and the tests can pin each spelling people actually use on the form.

use crate::record::{Issue, Severity};
use crate::spec::{Field, Kind};

/// Result of normalising one field's raw text.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    pub value: Option<String>,
    pub issue: Option<Issue>,
}

impl Normalized {
    fn ok(value: Option<String>) -> Normalized {
        Normalized { value, issue: None }
    }
}

/// Punctuation next to Chinese text is the full-width one, as Chinese is typeset
/// (`包头钢铁(集团)有限责任公司` typed with half-width brackets is `包头钢铁（集团）有限责任公司`,
/// `妻子: 李美玲` is `妻子：李美玲`); beside Latin text or between digits (`10:30`, `1,000`) it
/// stays. A tilde between numbers is the full-width range mark (`2014.9~2018.7`, OCR's `~~`).
pub fn cjk_punctuation(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let cjk = |c: Option<&char>| c.is_some_and(|c| ('\u{4e00}'..='\u{9fff}').contains(c));
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars[..=j].iter().rev().find(|c| !c.is_whitespace()));
        let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        let near = cjk(before) || cjk(after);
        let full = match c {
            '(' if near => '（',
            ')' if near => '）',
            ',' if near => '，',
            ':' if near => '：',
            ';' if near => '；',
            '?' if near => '？',
            '!' if near => '！',
            '~' | '～' => {
                // A run of tildes is one mark.
                if out.ends_with('～') {
                    continue;
                }
                if before.is_some_and(|b| b.is_ascii_digit()) && chars[i + 1..].iter().find(|c| **c != '~' && !c.is_whitespace()).is_some_and(|a| a.is_ascii_digit()) {
                    '～'
                } else {
                    c
                }
            }
            c => c,
        };
        out.push(full);
    }
    out
}

/// Dispatches on `field.kind`. A blank value is not an issue here: `missing_field` is the
/// rules' business, and only they know whether the field is required.
pub fn normalize(field: &Field, raw: &str) -> Normalized {
    let cleaned = clean_text(raw);
    if cleaned.is_empty() {
        return Normalized::ok(None);
    }
    let label = &field.label;
    let bad = |code: &str, severity: Severity, message: String, value: Option<String>| Normalized {
        value,
        issue: Some(Issue::new(code, Some(&field.id), severity, message)),
    };
    match field.kind {
        // Cleaned again: a space beside a bracket that has just become full-width is an
        // artefact too (`包头钢铁 (集团) 有限责任公司`).
        Kind::Text | Kind::Approval => Normalized::ok(Some(clean_text(&cjk_punctuation(&cleaned)))),
        Kind::Multiline => Normalized::ok(Some(clean_multiline(&cjk_punctuation(raw))).filter(|s| !s.is_empty())),
        Kind::Name => Normalized::ok(Some(normalize_name(&cleaned)).filter(|s| !s.is_empty())),
        Kind::IdNumber => Normalized::ok(Some(normalize_id_number(&cleaned))),
        // The printed "年  月  日" of an untouched blank is not a date someone got wrong.
        Kind::Month | Kind::Date if is_blank_date(&cleaned) => Normalized::ok(None),
        Kind::Month | Kind::Date => {
            let (parsed, what) = match field.kind {
                Kind::Month => (normalize_month(&cleaned), "年月"),
                _ => (normalize_date(&cleaned), "日期"),
            };
            match parsed {
                Some(v) => Normalized::ok(Some(v)),
                None => bad("invalid_date", Severity::Return, format!("{label}“{cleaned}”不是有效的{what}"), None),
            }
        }
        Kind::Phone => match normalize_phone(&cleaned) {
            Some(v) => Normalized::ok(Some(v)),
            None => bad("invalid_phone", Severity::Review, format!("{label}“{cleaned}”不是有效的手机号码或带区号的座机号码"), Some(cleaned)),
        },
        Kind::Enum => match normalize_enum(field, &cleaned) {
            Ok(v) => Normalized::ok(Some(v)),
            Err(v) if field.values.len() <= 6 => {
                bad("nonstandard_value", Severity::Review, format!("{label}“{v}”不是规范填法，应填{}", field.values.join("或")), Some(v))
            }
            Err(v) => bad("nonstandard_value", Severity::Review, format!("{label}“{v}”不在规定的选项中"), Some(v)),
        },
        // Votes are stored as integers under `votes`; the string only carries the count
        // through this generic path. An unreadable count stays blank, so that the required
        // check reports it, with a review note quoting what was written.
        Kind::Vote => match parse_count(&cleaned) {
            Some(n) => Normalized::ok(Some(n.to_string())),
            None => bad("nonstandard_value", Severity::Review, format!("{label}“{cleaned}”不是有效的人数"), None),
        },
    }
}

fn is_blank_date(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || "年月日号_/-.．".contains(c))
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F | 0x3007)
}

/// Punctuation that sits flush against Chinese text, so a space next to it is an artefact.
fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

fn is_cjkish(c: char) -> bool {
    is_cjk(c) || is_cjk_punct(c)
}

/// Characters that render as nothing but break matching (pasted from web pages and PDFs).
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// One line of text: whitespace unified and collapsed. Spaces between Chinese characters are
/// removed because Word users pad and letter-space with them, while spaces between Latin words
/// carry meaning and stay.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().filter(|c| !is_invisible(*c)) {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev = out.chars().next_back();
            if let Some(p) = prev {
                if !(is_cjkish(p) && is_cjkish(c)) {
                    out.push(' ');
                }
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Free text whose line breaks matter (awards, resume): each line cleaned, outer blank lines
/// dropped. Inner blank lines stay, since some people separate entries with them.
pub fn clean_multiline(s: &str) -> String {
    let unified = s.replace("\r\n", "\n");
    let lines: Vec<String> = unified
        .split(['\n', '\r', '\u{000B}', '\u{2028}', '\u{2029}'])
        .map(clean_text)
        .collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => lines[a..=b].join("\n"),
        _ => String::new(),
    }
}

const NAME_DOTS: &[char] = &['·', '・', '•', '.', '．', '‧', '⋅', '･', '∙', '﹒', '。'];

/// Names: no inner spaces at all (Word users letter-space two-character names to align them),
/// and one separator dot for transliterated names, which people type in many ways.
pub fn normalize_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().filter(|c| !c.is_whitespace() && !is_invisible(*c)) {
        if NAME_DOTS.contains(&c) {
            // A doubled or stray dot is a typing slip, not two separators.
            if !out.is_empty() && !out.ends_with('·') {
                out.push('·');
            }
        } else {
            out.push(c);
        }
    }
    while out.ends_with('·') {
        out.pop();
    }
    out
}

/// Full-width digits and the punctuation used in numbers, dates and IDs, to ASCII.
pub fn to_halfwidth_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.', '－' => '-', '／' => '/', '：' => ':', 'Ｘ' => 'X', 'ｘ' => 'x',
            _ => c,
        })
        .collect()
}

fn cn_digit(c: char) -> Option<u32> {
    match c {
        '○' | '零' | 'Ｏ' => Some(0),
        '两' => Some(2),
        _ => "〇一二三四五六七八九".chars().position(|d| d == c).map(|i| i as u32),
    }
}

/// Replaces runs of Chinese numerals by ASCII digits: a run with 十 is a number (二十三 → 23),
/// any other run is read digit by digit, as years are written (一九八五 → 1985).
fn cn_numerals_to_digits(s: &str) -> Option<String> {
    let s = s.replace("元月", "1月");
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_num = |c: char| cn_digit(c).is_some() || c == '十';
        if !is_num(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_num(chars[i]) {
            i += 1;
        }
        let run = &chars[start..i];
        match run.iter().position(|c| *c == '十') {
            Some(p) => {
                let tens = match p { 0 => 1, 1 => cn_digit(run[0])?, _ => return None };
                let ones = match &run[p + 1..] { [] => 0, [d] => cn_digit(*d)?, _ => return None };
                out.push_str(&(tens * 10 + ones).to_string());
            }
            None => run.iter().for_each(|c| out.push(char::from_digit(cn_digit(*c).unwrap_or(0), 10).unwrap_or('0'))),
        }
    }
    Some(out)
}

/// Year, month and optional day, checked against the calendar.
fn parse_ymd(s: &str) -> Option<(u32, u32, Option<u32>)> {
    let mut t = to_halfwidth_digits(s.trim());
    for tail in ["至今", "以来"] {
        if let Some(rest) = t.trim_end().strip_suffix(tail) {
            t = rest.to_string();
        }
    }
    let t = cn_numerals_to_digits(&t)?;
    let mut groups: Vec<&str> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in t.char_indices() {
        if c.is_ascii_digit() {
            start.get_or_insert(i);
        } else {
            if let Some(b) = start.take() {
                groups.push(&t[b..i]);
            }
            // Anything other than a date separator means this is not (only) a date.
            if !(c.is_whitespace() || "年月日号.-/_—–‐,，、。·'".contains(c)) {
                return None;
            }
        }
    }
    if let Some(b) = start {
        groups.push(&t[b..]);
    }
    let (y, m, d) = match groups.as_slice() {
        [one] if one.len() == 6 => (&one[..4], &one[4..], None),
        [one] if one.len() == 8 => (&one[..4], &one[4..6], Some(&one[6..])),
        [y, m] => (*y, *m, None),
        [y, m, d] => (*y, *m, Some(*d)),
        _ => return None,
    };
    // Two-digit years: nobody on the form was born before 1931 or started work after 2030.
    let year: u32 = match (y.len(), y.parse::<u32>().ok()?) {
        (4, y) => y,
        (2, yy) if yy <= 30 => 2000 + yy,
        (2, yy) => 1900 + yy,
        _ => return None,
    };
    if m.len() > 2 || d.is_some_and(|d| d.len() > 2) {
        return None;
    }
    let month: u32 = m.parse().ok()?;
    let day: Option<u32> = d.map(|d| d.parse()).transpose().ok()?;
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    Some((year, month, day))
}

/// Days in a month of the Gregorian calendar.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Any spelling of a year and month → `YYYY-MM`. A day, if written, is ignored: the form asks
/// for month precision and people add the day anyway.
pub fn normalize_month(s: &str) -> Option<String> {
    let (y, m, _) = parse_ymd(s)?;
    Some(format!("{y:04}-{m:02}"))
}

/// Any spelling of a date → `YYYY-MM-DD`, or `YYYY-MM` when the day was left blank.
pub fn normalize_date(s: &str) -> Option<String> {
    match parse_ymd(s)? {
        (y, m, None) => Some(format!("{y:04}-{m:02}")),
        (y, m, Some(d)) if d >= 1 && d <= days_in_month(y, m) => Some(format!("{y:04}-{m:02}-{d:02}")),
        _ => None,
    }
}

/// An approval box's date → `YYYY-MM-DD` or a prefix of it: as [`normalize_date`], and a
/// year alone (`2023年`, its month and day unread) as `YYYY`, which the record allows.
pub fn normalize_date_prefix(s: &str) -> Option<String> {
    normalize_date(s).or_else(|| {
        let t = to_halfwidth_digits(s.trim());
        let year = t.strip_suffix('年').unwrap_or(&t).trim();
        let y: u32 = year.parse().ok().filter(|_| year.len() == 4)?;
        (1900..=2100).contains(&y).then(|| format!("{y:04}"))
    })
}

/// Chinese numerals as people write vote counts (一百零五, 两百, 二十); None when malformed.
fn parse_cn_count(s: &str) -> Option<i64> {
    let chars: Vec<char> = s.chars().collect();
    let (mut total, mut section, mut digit, mut last_unit) = (0i64, 0i64, None::<i64>, i64::MAX);
    for &c in &chars {
        if let Some(d) = cn_digit(c) {
            // Two digits in a row only make sense with a 零 between units (一百零五).
            if d != 0 && digit.is_some_and(|x| x != 0) {
                return None;
            }
            digit = Some(d as i64);
            continue;
        }
        let unit = match c { '十' => 10, '百' => 100, '千' => 1000, '万' => 10_000, _ => return None };
        if unit == 10_000 {
            total = (section + digit.unwrap_or(0)).checked_mul(10_000)?;
            (section, last_unit) = (0, i64::MAX);
        } else {
            if unit >= last_unit {
                return None;
            }
            // 十二 means 12: a leading 十 has an implied 一.
            section += digit.or((unit == 10).then_some(1))? * unit;
            last_unit = unit;
        }
        digit = None;
    }
    // 一百二 is colloquial for 120: a last digit straight after 百/千 counts in the unit below.
    let tail = match (chars.as_slice(), digit) {
        ([.., '百', _], Some(d)) => d * 10,
        ([.., '千', _], Some(d)) => d * 100,
        (_, d) => d.unwrap_or(0),
    };
    Some(total + section + tail)
}

/// A vote count as written in the blanks of the congress sentence.
pub fn parse_count(s: &str) -> Option<i64> {
    let t: String = to_halfwidth_digits(s).chars().filter(|c| !c.is_whitespace()).collect();
    // `第七届` typed whole into the blank; `无` written for "none opposed".
    let t = t.trim_start_matches('第').trim_end_matches(['人', '名', '票', '位', '届', '次']);
    if t.is_empty() {
        return None;
    }
    if matches!(t, "无" | "没有" | "无人") {
        return Some(0);
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return t.parse().ok();
    }
    parse_cn_count(t)
}

/// The value an enum field should hold. `Err` carries the cleaned text for a closed list.
pub fn normalize_enum(field: &Field, s: &str) -> Result<String, String> {
    let cleaned = clean_text(s);
    let key: String = cleaned.chars().filter(|c| !c.is_whitespace()).collect();
    let squash = |v: &str| v.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let lookup = |k: &str| -> Option<String> {
        if let Some(v) = field.values.iter().find(|v| squash(v) == k) {
            return Some(v.clone());
        }
        field.aliases.iter().find(|(a, _)| squash(a) == k).map(|(_, v)| v.clone())
    };
    if let Some(v) = lookup(&key) {
        return Ok(v);
    }
    // The ethnicity list: people often leave off 族 (蒙古) or abbreviate with it (蒙族).
    if !field.values.is_empty() && field.values.iter().all(|v| v.ends_with('族')) {
        if let Some(v) = lookup(&format!("{key}族")) {
            return Ok(v);
        }
        if let Some(v) = key.strip_suffix('族').and_then(lookup) {
            return Ok(v);
        }
    }
    if field.open {
        Ok(cleaned)
    } else {
        Err(cleaned)
    }
}

/// 18-character ID as typed: separators out, full-width digits in, final x upper-case.
/// Validity is the rules' job, so a wrong number keeps its shape for the message.
pub fn normalize_id_number(s: &str) -> String {
    to_halfwidth_digits(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !is_invisible(*c) && !matches!(c, '-' | '—' | '–' | '‐'))
        .map(|c| if c == 'x' { 'X' } else { c })
        .collect()
}

fn normalize_one_phone(s: &str) -> Option<String> {
    let t: String = to_halfwidth_digits(s)
        .chars()
        .map(|c| match c {
            '—' | '–' | '‐' | '‑' | '─' | '－' | '~' => '-', '（' => '(', '）' => ')',
            _ => c,
        })
        .collect();
    // Labels such as "手机：" or "（办）" around the number are tolerated, not other text inside it.
    let t = t.trim_start_matches(|c: char| !(c.is_ascii_digit() || c == '+' || c == '('));
    let t = t.trim_end_matches(|c: char| !c.is_ascii_digit());
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace() || "+-()".contains(c)) {
        return None;
    }
    let mut digits: String = t.chars().filter(char::is_ascii_digit).collect();
    if t.starts_with('+') || digits.len() > 11 {
        for prefix in ["0086", "86"] {
            if let Some(rest) = digits.strip_prefix(prefix) {
                if rest.len() == 11 && rest.starts_with('1') {
                    digits = rest.to_string();
                    break;
                }
            }
        }
    }
    let bytes = digits.as_bytes();
    if digits.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]) {
        return Some(digits);
    }
    if bytes.first() == Some(&b'0') {
        let area = if digits.starts_with("010") || digits.starts_with("02") { 3 } else { 4 };
        let local = digits.len().saturating_sub(area);
        if (7..=8).contains(&local) && bytes.get(1) != Some(&b'0') {
            return Some(format!("{}-{}", &digits[..area], &digits[area..]));
        }
    }
    None
}

/// A mobile or a landline with area code. Several numbers are common ("手机；座机"): the
/// first one is the contact number.
pub fn normalize_phone(s: &str) -> Option<String> {
    let first = s.split(['，', ',', '、', '/', '／', ';', '；']).map(str::trim).find(|p| !p.is_empty())?;
    normalize_one_phone(first).or_else(|| {
        // Two numbers separated only by spaces.
        let mut parts = first.split_whitespace();
        let head = parts.next()?;
        if parts.next().is_some() {
            normalize_one_phone(head)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Spec;

    fn field(id: &str) -> Field {
        Spec::builtin().field(id).unwrap().clone()
    }

    #[test]
    fn clean_text_spaces() {
        assert_eq!(clean_text("  包头 钢铁\u{3000}公司  "), "包头钢铁公司");
        assert_eq!(clean_text("Times   New\u{00A0}Roman"), "Times New Roman");
        assert_eq!(clean_text("内蒙古 “最美职工” ， 好"), "内蒙古“最美职工”，好");
        assert_eq!(clean_text("ABC  公司"), "ABC 公司");
        assert_eq!(clean_text("2019 年"), "2019 年");
        assert_eq!(clean_text("\u{200B}张\t三\n"), "张三");
        assert_eq!(clean_text(" \u{3000} "), "");
    }

    #[test]
    fn clean_multiline_keeps_inner_breaks() {
        assert_eq!(clean_multiline("\r\n\n 2019年5月 ，获奖 \r\n\r\n2020年\r\n  \n"), "2019年5月，获奖\n\n2020年");
        assert_eq!(clean_multiline("一\r二\u{000B}三"), "一\n二\n三");
        assert_eq!(clean_multiline(" \n \n"), "");
    }

    #[test]
    fn names() {
        assert_eq!(normalize_name("张  三"), "张三");
        assert_eq!(normalize_name("张\u{3000}三"), "张三");
        for typed in ["阿拉坦·巴根", "阿拉坦・巴根", "阿拉坦•巴根", "阿拉坦.巴根", "阿拉坦．巴根", "阿拉坦 ‧ 巴根", "阿拉坦⋅巴根", "阿拉坦･巴根", "阿拉坦 · 巴根", "阿拉坦··巴根"] {
            assert_eq!(normalize_name(typed), "阿拉坦\u{00B7}巴根", "{typed}");
        }
        assert_eq!(normalize_name("张三."), "张三");
    }

    #[test]
    fn halfwidth() {
        assert_eq!(to_halfwidth_digits("１９８５．０６－１５／Ｘｘ："), "1985.06-15/Xx:");
        assert_eq!(to_halfwidth_digits("年月"), "年月");
    }

    #[test]
    fn months_in_every_spelling() {
        for s in ["1985.06", "1985.6", "1985年6月", "1985-06", "1985/6", "85年6月", "198506", "１９８５．０６", "一九八五年六月", "1985年06月15日", " 1985.06 至今 ", "1985 年 6 月", "一九八五年〇六月"] {
            assert_eq!(normalize_month(s).as_deref(), Some("1985-06"), "{s}");
        }
        assert_eq!(normalize_month("05年12月").as_deref(), Some("2005-12"));
        assert_eq!(normalize_month("30.1").as_deref(), Some("2030-01"));
        assert_eq!(normalize_month("31.1").as_deref(), Some("1931-01"));
        assert_eq!(normalize_month("二〇〇三年十二月").as_deref(), Some("2003-12"));
        assert_eq!(normalize_month("2003年元月").as_deref(), Some("2003-01"));
    }

    #[test]
    fn months_rejected() {
        for s in ["1985年13月", "1985.0", "1985", "1899.12", "2101.01", "85", "不详", "1985年6月左右", "19850", "1985.06.15.1", "1985年十三月", "1985年123月"] {
            assert_eq!(normalize_month(s), None, "{s}");
        }
    }

    #[test]
    fn dates() {
        for s in ["2023.5.10", "2023-05-10", "2023/5/10", "2023年5月10日", "20230510", "二〇二三年五月十日", "２０２３年５月１０日"] {
            assert_eq!(normalize_date(s).as_deref(), Some("2023-05-10"), "{s}");
        }
        assert_eq!(normalize_date("2023年5月  日").as_deref(), Some("2023-05"));
        assert_eq!(normalize_date("2023年5月").as_deref(), Some("2023-05"));
        assert_eq!(normalize_date("二〇二三年五月二十三日").as_deref(), Some("2023-05-23"));
        assert_eq!(normalize_date("二〇二三年五月三十一日").as_deref(), Some("2023-05-31"));
        assert_eq!(normalize_date("2024.2.29").as_deref(), Some("2024-02-29"));
        for s in ["2023.2.30", "2023.2.29", "2023.4.31", "2023.5.0", "2023.5.32", "1900.2.29", "2023年5月三十二日"] {
            assert_eq!(normalize_date(s), None, "{s}");
        }
        // A box's date may stop at its year; a month or day it has is kept as before.
        assert_eq!(normalize_date_prefix("2023年").as_deref(), Some("2023"));
        assert_eq!(normalize_date_prefix("２０２３").as_deref(), Some("2023"));
        assert_eq!(normalize_date_prefix("2023年5月").as_deref(), Some("2023-05"));
        for s in ["202年", "20235年", "3000年", "年", ""] {
            assert_eq!(normalize_date_prefix(s), None, "{s}");
        }
    }

    #[test]
    fn brackets_in_chinese_names_are_full_width() {
        assert_eq!(cjk_punctuation("包头钢铁(集团)有限责任公司"), "包头钢铁（集团）有限责任公司");
        assert_eq!(cjk_punctuation("ABC (Inner Mongolia) Ltd"), "ABC (Inner Mongolia) Ltd");
        assert_eq!(cjk_punctuation("妻子: 李美玲, 护士"), "妻子： 李美玲， 护士");
        assert_eq!(cjk_punctuation("10:30, 1,000 yuan"), "10:30, 1,000 yuan");
        assert_eq!(cjk_punctuation("2014.9~~2018.7 学习"), "2014.9～2018.7 学习");
        assert_eq!(cjk_punctuation("~ok~"), "~ok~");
        let employer = Spec::builtin().field("employer").cloned().unwrap();
        assert_eq!(normalize(&employer, "包头钢铁 （集团) 有限责任公司").value.as_deref(), Some("包头钢铁（集团）有限责任公司"));
    }

    #[test]
    fn counts() {
        for (s, n) in [("126", 126), ("１２６", 126), ("126人", 126), (" 12 ", 12), ("七", 7), ("十二", 12), ("二十", 20), ("一百二十六", 126), ("一百零五", 105), ("两百", 200), ("零", 0), ("0", 0), ("十", 10), ("三千零二", 3002), ("一百二", 120), ("一万零三百", 10300), ("第七", 7), ("第八届", 8), ("无", 0)] {
            assert_eq!(parse_count(s), Some(n), "{s}");
        }
        for s in ["", "  ", "abc", "十十", "一二", "百", "12a", "-3", "二百十百"] {
            assert_eq!(parse_count(s), None, "{s}");
        }
    }

    #[test]
    fn enums() {
        let eth = field("ethnicity");
        assert_eq!(normalize_enum(&eth, "蒙古").as_deref(), Ok("蒙古族"));
        assert_eq!(normalize_enum(&eth, " 蒙 古 族 ").as_deref(), Ok("蒙古族"));
        assert_eq!(normalize_enum(&eth, "蒙族").as_deref(), Ok("蒙古族"));
        assert_eq!(normalize_enum(&eth, "汉").as_deref(), Ok("汉族"));
        assert_eq!(normalize_enum(&eth, "达斡尔").as_deref(), Ok("达斡尔族"));
        assert_eq!(normalize_enum(&eth, "火星族"), Err("火星族".to_string()));
        let pol = field("political_status");
        assert_eq!(normalize_enum(&pol, "民盟").as_deref(), Ok("中国民主同盟"));
        assert_eq!(normalize_enum(&pol, "党员").as_deref(), Ok("中共党员"));
        assert_eq!(normalize_enum(&pol, "中国 共产党 党员").as_deref(), Ok("中共党员"));
        assert_eq!(normalize_enum(&pol, "某某党  成员").as_deref(), Ok("某某党成员"));
        let g = field("gender");
        assert_eq!(normalize_enum(&g, "女性").as_deref(), Ok("女"));
        assert_eq!(normalize_enum(&g, "男 ").as_deref(), Ok("男"));
        assert_eq!(normalize_enum(&g, "M"), Err("M".to_string()));
    }

    #[test]
    fn id_numbers() {
        assert_eq!(normalize_id_number(" 150203 1985 0615 123x "), "15020319850615123X");
        assert_eq!(normalize_id_number("１５０２０３-19850615-1234"), "150203198506151234");
        assert_eq!(normalize_id_number("15020319850615123ｘ"), "15020319850615123X");
    }

    #[test]
    fn phones() {
        for (s, want) in [
            ("13800001111", "13800001111"), ("138 0000 1111", "13800001111"),
            ("138-0000-1111", "13800001111"), ("+86 138 0000 1111", "13800001111"),
            ("8613800001111", "13800001111"), ("１３８００００１１１１", "13800001111"),
            ("0471-5109211", "0471-5109211"), ("0471 — 5109211", "0471-5109211"),
            ("(0471)5109211", "0471-5109211"), ("（0471）5109211", "0471-5109211"),
            ("04715109211", "0471-5109211"), ("010-12345678", "010-12345678"),
            ("02112345678", "021-12345678"), ("13800001111，0471-5109211", "13800001111"),
            ("0471-5109211、13800001111", "0471-5109211"), ("13800001111/13900002222", "13800001111"),
            ("13800001111 13900002222", "13800001111"), ("手机：13800001111", "13800001111"),
        ] {
            assert_eq!(normalize_phone(s).as_deref(), Some(want), "{s}");
        }
        for s in ["5109211", "12800001111", "1380000111", "138000011112", "电话待定", "", "0471-51092", "0012345678"] {
            assert_eq!(normalize_phone(s), None, "{s}");
        }
    }

    #[test]
    fn dispatch_blank_is_none_without_issue() {
        for id in ["name", "birth_month", "fill_date", "phone", "gender", "awards", "votes.attended"] {
            let n = normalize(&field(id), " \u{3000}\n ");
            assert_eq!(n, Normalized { value: None, issue: None }, "{id}");
        }
        assert_eq!(normalize(&field("fill_date"), "    年  月  日"), Normalized { value: None, issue: None });
        assert_eq!(normalize(&field("birth_month"), "    年  月"), Normalized { value: None, issue: None });
    }

    #[test]
    fn dispatch_values() {
        assert_eq!(normalize(&field("name"), "阿拉坦 . 巴根").value.as_deref(), Some("阿拉坦·巴根"));
        assert_eq!(normalize(&field("birth_month"), "85年6月").value.as_deref(), Some("1985-06"));
        assert_eq!(normalize(&field("fill_date"), "2023年5月  日").value.as_deref(), Some("2023-05"));
        assert_eq!(normalize(&field("ethnicity"), "蒙古").value.as_deref(), Some("蒙古族"));
        assert_eq!(normalize(&field("id_number"), "15020319850615123x").value.as_deref(), Some("15020319850615123X"));
        assert_eq!(normalize(&field("awards"), "2019年\r\n2020年").value.as_deref(), Some("2019年\n2020年"));
        assert_eq!(normalize(&field("employer"), " 包头 钢铁 公司 ").value.as_deref(), Some("包头钢铁公司"));
        assert_eq!(normalize(&field("votes.attended"), "一百二十六人").value.as_deref(), Some("126"));
    }

    #[test]
    fn dispatch_issues() {
        let n = normalize(&field("birth_month"), "1985年13月");
        let i = n.issue.unwrap();
        assert_eq!((n.value, i.code.as_str(), i.severity, i.field.as_deref()), (None, "invalid_date", Severity::Return, Some("birth_month")));
        assert_eq!(i.message, "出生年月“1985年13月”不是有效的年月");
        let n = normalize(&field("fill_date"), "2023.2.30");
        assert_eq!(n.issue.unwrap().message, "填报日期“2023.2.30”不是有效的日期");

        let n = normalize(&field("gender"), "M");
        let i = n.issue.unwrap();
        assert_eq!((n.value.as_deref(), i.code.as_str(), i.severity), (Some("M"), "nonstandard_value", Severity::Review));
        assert!(i.message.contains("性别“M”"), "{}", i.message);
        let n = normalize(&field("ethnicity"), "火星族");
        assert_eq!((n.value.as_deref(), n.issue.unwrap().code.as_str()), (Some("火星族"), "nonstandard_value"));
        assert!(normalize(&field("political_status"), "某某党").issue.is_none());

        let n = normalize(&field("phone"), " 5109211 ");
        let i = n.issue.unwrap();
        assert_eq!((n.value.as_deref(), i.code.as_str(), i.severity), (Some("5109211"), "invalid_phone", Severity::Review));

        let n = normalize(&field("votes.opposed"), "若干");
        assert_eq!((n.value, n.issue.unwrap().code.as_str()), (None, "nonstandard_value"));
    }
}
