//! Matching printed labels to the spec's fields, tolerant of how people type them: spaces
//! between the characters, full-width punctuation, the variants listed in the spec, and a
//! value typed after the label in the same cell (`姓名：张三`).

use crate::spec::{Field, Spec};

/// Characters that differ between typists but not in meaning, mapped to one form.
fn fold(c: char) -> Option<char> {
    match c {
        c if c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}' || c == '\u{200b}' => None,
        '（' => Some('('),
        '）' => Some(')'),
        '：' => Some(':'),
        '，' => Some(','),
        '、' => Some('、'),
        c => Some(c),
    }
}

/// The text with white space removed and punctuation folded, and for each kept character the
/// byte offset of the original character after it (to cut the original text).
fn squeeze_with_map(text: &str) -> (String, Vec<usize>) {
    let mut out = String::new();
    let mut ends = Vec::new();
    for (i, c) in text.char_indices() {
        if let Some(f) = fold(c) {
            out.push(f);
            ends.push(i + c.len_utf8());
        }
    }
    (out, ends)
}

/// White space removed, punctuation folded: the form labels are compared in.
pub fn squeeze(text: &str) -> String {
    squeeze_with_map(text).0
}

pub struct LabelMatcher {
    /// (squeezed label, field id), longest label first so that `主要事迹(3000字)` wins over
    /// `主要事迹` and `工作单位及职务` over `工作单位`.
    labels: Vec<(String, String)>,
    /// Values the spec lists for its enum fields (`汉族`, `男`, `党员` …): a cell holding one
    /// is a value, however close it is to a label (`汉族` is one slip from `民族`).
    values: std::collections::HashSet<String>,
}

impl LabelMatcher {
    /// A matcher over the spec's fields that `keep` selects.
    pub fn new(spec: &Spec, keep: impl Fn(&Field) -> bool) -> LabelMatcher {
        let mut labels: Vec<(String, String)> = Vec::new();
        for f in spec.fields.iter().filter(|f| keep(f)) {
            for l in f.all_labels() {
                let s = squeeze(l).trim_end_matches(':').to_string();
                if !s.is_empty() && !labels.iter().any(|(x, id)| *x == s && *id == f.id) {
                    labels.push((s, f.id.clone()));
                }
            }
        }
        labels.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));
        let values = spec
            .fields
            .iter()
            .flat_map(|f| f.values.iter().chain(f.aliases.keys()))
            .map(|v| squeeze(v))
            .collect();
        LabelMatcher { labels, values }
    }

    /// When `text` begins with a label: the field id and the text after the label (and after
    /// a colon), as typed.
    pub fn match_start<'t>(&self, text: &'t str) -> Option<(&str, &'t str)> {
        let (squeezed, ends) = squeeze_with_map(text);
        for (label, id) in &self.labels {
            if let Some(rest) = squeezed.strip_prefix(label.as_str()) {
                let used = label.chars().count();
                // A label glued to more CJK text of another label is not this label
                // (`工作单位` at the start of `工作单位意见`): only accept a remainder that
                // follows a colon, a line break or white space in the original text.
                let cut = if used == 0 { 0 } else { ends[used - 1] };
                let after = &text[cut..];
                let rest_trim = rest.trim_start_matches(':');
                if rest_trim.is_empty() {
                    return Some((id, ""));
                }
                let separated = rest.starts_with(':') || after.starts_with(|c: char| c.is_whitespace() || c == '\u{3000}');
                if separated {
                    let value = after.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == ':' || c == '：');
                    return Some((id, value));
                }
            }
        }
        None
    }

    /// Like [`match_start`](Self::match_start), tolerant of OCR slips: the text's start may
    /// differ from a label by a few characters (one in four; one for a two-character label
    /// when the rest of the cell is empty). Ambiguous matches are refused.
    pub fn match_fuzzy(&self, text: &str) -> Option<(&str, String)> {
        if let Some((id, rest)) = self.match_start(text) {
            return Some((id, rest.to_string()));
        }
        if self.values.contains(&squeeze(text)) {
            return None;
        }
        let squeezed: Vec<char> = squeeze(text).chars().collect();
        // Marks no label holds (a stroke of a spaced label's gap read as -, a speck as ·) are
        // left out of the comparison; the value after the label keeps them.
        let kept: Vec<usize> = (0..squeezed.len()).filter(|&i| !crate::layout::ocr_text::STRAY_MARKS.contains(&squeezed[i])).collect();
        let squeezed_all = squeezed;
        let squeezed: Vec<char> = kept.iter().map(|&i| squeezed_all[i]).collect();
        let mut nearest = Nearest::default(); // payload: chars of the text used
        for (label, id) in &self.labels {
            let l: Vec<char> = label.chars().collect();
            if l.len() < 2 || squeezed.len() < l.len().saturating_sub(1) {
                continue;
            }
            let allowed = if l.len() <= 3 { 1 } else { l.len() / 4 };
            // Compare with the text's start of the label's length, one shorter and one longer
            // (OCR drops and adds characters).
            for used in [l.len(), l.len().saturating_sub(1), l.len() + 1] {
                if used == 0 || used > squeezed.len() {
                    continue;
                }
                if l.len() <= 3 && squeezed.len() != used && !matches!(squeezed.get(used), Some(':')) {
                    // A short label matched with a slip must be the whole cell: `乌日娜`
                    // is not `生日` misread.
                    continue;
                }
                let d = edit_distance(&squeezed[..used], &l);
                if d <= allowed {
                    nearest.offer(d, id, used);
                }
            }
        }
        let (id, used) = nearest.winner()?;
        let from = kept.get(used).copied().unwrap_or(squeezed_all.len());
        let rest: String = squeezed_all[from..].iter().collect::<String>().trim_start_matches(':').to_string();
        Some((id, rest))
    }

    /// The label that `head` begins, when `head` is the start of a label cell read alone:
    /// the first line of a label wrapped over several (所在单位职 / 代会意见), or the first
    /// characters of a box's title. Each label is compared over the length they share (one
    /// character more or less, as OCR drops and adds them), one slip in four allowed; at least
    /// four characters must be read, and a head that two fields' labels begin as closely
    /// (所在单位 of 所在单位职代会意见 and 所在单位工会意见) is refused. Gives the field id and
    /// its label.
    pub fn match_head(&self, head: &str) -> Option<(&str, &str)> {
        let squeezed = squeeze(head);
        if self.values.contains(&squeezed) {
            return None;
        }
        // Compared without punctuation, which OCR drops and adds (、 read as , or not at all).
        let marks = |c: &char| !crate::layout::ocr_text::STRAY_MARKS.contains(c) && *c != ':';
        let h: Vec<char> = squeezed.chars().filter(marks).collect();
        if h.len() < 4 {
            return None;
        }
        let mut nearest = Nearest::default();
        for (label, id) in &self.labels {
            let l: Vec<char> = label.chars().filter(marks).collect();
            // The shorter of the two against the other's start of its length, one more or one
            // less; a label shorter than the head is whole in it (旗县工会意见 in 旗县工会意见(公章).
            let (short, long) = if l.len() >= h.len() { (&h, &l) } else { (&l, &h) };
            if short.len() < 4 {
                continue;
            }
            let n = short.len();
            let d = [n - 1, n, n + 1].into_iter().filter(|&k| k <= long.len()).map(|k| edit_distance(short, &long[..k])).min();
            if let Some(d) = d.filter(|&d| d <= n / 4) {
                nearest.offer(d, id, label.as_str());
            }
        }
        nearest.winner()
    }

    /// Whether the whole text is a label (and nothing else).
    pub fn is_label(&self, text: &str) -> bool {
        matches!(self.match_start(text), Some((_, rest)) if rest.trim().is_empty())
    }
}

/// The closest of several candidates by edit distance, and whether another candidate was as
/// close: a reading that two labels (or values) explain equally well is not guessed.
#[derive(Debug)]
pub struct Nearest<'a, T> {
    best: Option<(usize, &'a str, T)>,
    tie: bool,
}

impl<T> Default for Nearest<'_, T> {
    fn default() -> Self {
        Nearest { best: None, tie: false }
    }
}

impl<'a, T> Nearest<'a, T> {
    /// A candidate `key` at `distance`, with what to return if it wins.
    pub fn offer(&mut self, distance: usize, key: &'a str, payload: T) {
        match &self.best {
            Some((d, k, _)) if distance == *d && *k != key => self.tie = true,
            Some((d, _, _)) if distance >= *d => {}
            _ => {
                self.best = Some((distance, key, payload));
                self.tie = false;
            }
        }
    }

    /// The unique closest candidate, if there is one.
    pub fn winner(self) -> Option<(&'a str, T)> {
        let (_, key, payload) = self.best.filter(|_| !self.tie)?;
        Some((key, payload))
    }
}

/// Levenshtein distance between two character sequences.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Part, Spec};

    fn table_matcher() -> LabelMatcher {
        LabelMatcher::new(&Spec::builtin(), |f| f.part() == Part::Table)
    }

    #[test]
    fn spaced_and_variant_labels_match() {
        let m = table_matcher();
        assert_eq!(m.match_start("个  人  简  历"), Some(("resume", "")));
        assert_eq!(m.match_start("身份证号"), Some(("id_number", "")));
        assert_eq!(m.match_start("出生日期："), Some(("birth_month", "")));
        assert_eq!(m.match_start("主要事迹（3000字）"), Some(("deeds", "")));
        // Block mode sometimes drops the label's first line and returns its second alone.
        assert_eq!(m.match_fuzzy("(3000字)").map(|x| x.0), Some("deeds"));
    }

    #[test]
    fn a_label_is_known_by_its_first_line_or_characters_unless_another_starts_alike() {
        let m = table_matcher();
        assert_eq!(m.match_head("所在单位职").map(|x| x.0), Some("unit_congress"));
        assert_eq!(m.match_head("所在单位工").map(|x| x.0), Some("unit_union"));
        assert_eq!(m.match_head("何时何地受").map(|x| x.0), Some("awards"));
        // One slip in four, and a character dropped.
        assert_eq!(m.match_head("何时河地受").map(|x| x.0), Some("awards"));
        assert_eq!(m.match_head("主要社关").map(|x| x.0), Some("social_relations"));
        // A title read on past its end.
        assert_eq!(m.match_head("旗县工会意见(公章").map(|x| x.0), Some("county_union"));
        assert_eq!(m.match_head("盟市、自治区产").map(|x| x.0), Some("city_union"));
        assert_eq!(m.match_head("盟市委宣传部、").map(|x| x.0), Some("city_propaganda"));
        // Too short to tell, two labels alike, one slip too many, or a value.
        assert_eq!(m.match_head("所在单"), None);
        assert_eq!(m.match_head("所在单位"), None);
        assert_eq!(m.match_head("所左单位识"), None);
        // Two labels of one field begin alike: no doubt which field.
        assert_eq!(m.match_head("工作单位及").map(|x| x.0), Some("employer"));
        assert_eq!(m.match_head("内蒙古第一机械集团"), None);
    }

    #[test]
    fn value_after_label_is_returned_as_typed() {
        let m = table_matcher();
        assert_eq!(m.match_start("姓名：阿拉坦 巴根"), Some(("name", "阿拉坦 巴根")));
        assert_eq!(m.match_start("工作单位 ABC Mining Co."), Some(("employer", "ABC Mining Co.")));
        assert_eq!(m.match_start("联系电话:\n0471-5109211"), Some(("phone", "0471-5109211")));
    }

    #[test]
    fn ocr_slips_in_labels_are_tolerated_but_not_guessed() {
        let m = table_matcher();
        assert_eq!(m.match_fuzzy("箱贯").map(|x| x.0), Some("native_place"));
        assert_eq!(m.match_fuzzy("身份证号玛").map(|x| x.0), Some("id_number"));
        assert_eq!(m.match_fuzzy("何时何地受过何种奖厉").map(|x| x.0), Some("awards"));
        assert_eq!(m.match_fuzzy("包头钢铁").map(|x| x.0), None);
        assert_eq!(m.match_fuzzy("中共党员").map(|x| x.0), None);
        assert_eq!(m.match_fuzzy("乌日娜").map(|x| x.0), None);
        assert_eq!(m.match_fuzzy("汉族").map(|x| x.0), None, "a value, not 民族 misread");
        // A mark read in a spaced label's gap is no character of it; a value after a label
        // keeps its marks.
        assert_eq!(m.match_fuzzy("个-信人简\n历").map(|x| x.0), Some("resume"));
        assert_eq!(m.match_fuzzy("出生年目 1986.03"), Some(("birth_month", "1986.03".to_string())));
    }

    #[test]
    fn glued_text_is_not_a_label() {
        let m = table_matcher();
        assert_eq!(m.match_start("姓名张三"), None);
        assert_eq!(m.match_start("张三"), None);
        assert!(m.is_label(" 民 族 "));
        assert!(!m.is_label("民族：汉"));
    }
}
