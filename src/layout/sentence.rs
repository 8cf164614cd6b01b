//! The row-12 sentence `经 X 届 Y 次职代会通过并公示。出席会议 A 人，其中同意 B 人，反对 C 人。`
//! split into its blanks by the printed words around them, whatever was typed or written in.

use crate::layout::labels::squeeze;
use crate::layout::ocr_text::CN_DIGITS;
use crate::spec::{sentence_parts, SentencePart};

/// The text found in each blank of `template` (ids in order), None where the printed words
/// around a blank could not be found.
pub fn split_blanks<'t>(template: &'t str, text: &str) -> Vec<(&'t str, Option<String>)> {
    let text = squeeze(text);
    blank_spans(template, &text)
        .into_iter()
        .map(|(id, span)| {
            let chars: Vec<char> = text.chars().collect();
            (id, span.map(|(a, b)| chars[a..b].iter().collect()))
        })
        .collect()
}

/// Where each blank of `template` is in `text` (which has no whitespace), as a range of
/// characters; None where the printed words around it could not be found.
pub fn blank_spans<'t>(template: &'t str, text: &str) -> Vec<(&'t str, Option<(usize, usize)>)> {
    let at = |byte: usize| text[..byte].chars().count();
    byte_spans(template, text).into_iter().map(|(id, span)| (id, span.map(|(a, b)| (at(a), at(b))))).collect()
}

fn byte_spans<'t>(template: &'t str, text: &str) -> Vec<(&'t str, Option<(usize, usize)>)> {
    let parts = sentence_parts(template);
    let mut out: Vec<(&'t str, Option<(usize, usize)>)> = Vec::new();
    // Where the last blank found starts: the next blank's printed words are looked for from
    // there, not from where that blank was taken to end. Its end may have been found by one
    // character of the words after it (人), far beyond a misread 人 (出席会议249友其中P忌意247人):
    // the words of the next blank (意) are then inside it, and cut it there.
    let mut pos = 0usize;
    for (i, part) in parts.iter().enumerate() {
        let SentencePart::Blank(id) = part else { continue };
        let left = match i.checked_sub(1).map(|j| &parts[j]) {
            Some(SentencePart::Text(t)) => Some(squeeze(t)),
            _ => None,
        };
        let right = match parts.get(i + 1) {
            Some(SentencePart::Text(t)) => Some(squeeze(t)),
            _ => None,
        };
        let (start, begins) = match &left {
            Some(l) => match find_anchor(&text, pos, l, Side::Left) {
                Some((begins, end)) => (end, begins),
                None => {
                    out.push((*id, None));
                    continue;
                }
            },
            None => (pos, pos),
        };
        // The blank before ran into these printed words: it ends where they begin.
        if let Some((_, Some((a, b)))) = out.last_mut() {
            if *b > begins && begins >= *a {
                *b = begins;
            }
        }
        let last = !parts[i + 1..].iter().any(|p| matches!(p, SentencePart::Blank(_)));
        let end = match &right {
            Some(r) => match find_anchor(&text, start, r, Side::Right) {
                Some((s, _)) => s,
                // The sentence's tail (人。) misread: the last blank runs to the end, or
                // to the end of the number it starts with (反对1SS: 人。 read as SS).
                None if last => {
                    let number = text[start..].char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '百' || CN_DIGITS.contains(*c))).map_or(text.len(), |(i, _)| start + i);
                    if number > start { number } else { text.len() }
                }
                None => {
                    out.push((*id, None));
                    continue;
                }
            },
            None => text.len(),
        };
        out.push((*id, Some((start, end))));
        pos = start;
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// The anchor precedes the blank: return where it ends.
    Left,
    /// The anchor follows the blank: return where it starts.
    Right,
}

/// Finds the printed words next to a blank: the whole text piece first, then the part of it
/// nearest the blank (people retype the sentence with small changes, OCR drops characters).
/// Returns where the piece found begins and ends.
fn find_anchor(text: &str, from: usize, anchor: &str, side: Side) -> Option<(usize, usize)> {
    let chars: Vec<char> = anchor.chars().collect();
    let n = chars.len();
    let mut tries: Vec<String> = vec![anchor.to_string()];
    for k in [4usize, 2, 1] {
        if k < n {
            let piece: String = match side {
                Side::Left => chars[n - k..].iter().collect(),
                Side::Right => chars[..k].iter().collect(),
            };
            tries.push(piece);
        }
    }
    let hay = text.get(from..)?;
    for t in tries {
        if let Some(at) = hay.find(&t) {
            let mut end = from + at + t.len();
            // OCR sometimes gives the last character of the words before a blank twice where
            // handwriting follows (同意意135): the copy is the print's, not the blank's.
            if let (Side::Left, Some(last)) = (side, t.chars().last()) {
                while text[end..].starts_with(last) {
                    end += last.len_utf8();
                }
            }
            return Some((from + at, end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "经{votes.term}届{votes.session}次职代会通过并公示。出席会议{votes.attended}人，其中同意{votes.approved}人，反对{votes.opposed}人。";

    fn values(text: &str) -> Vec<Option<String>> {
        split_blanks(T, text).into_iter().map(|(_, v)| v).collect()
    }

    #[test]
    fn typed_numbers_fall_into_their_blanks() {
        let v = values("经 七 届 三 次职代会\n通过并公示。出席会议 126 人，其中同意 120 人，\n反对 2 人。");
        assert_eq!(v, [Some("七".into()), Some("三".into()), Some("126".into()), Some("120".into()), Some("2".into())]);
    }

    #[test]
    fn a_character_of_the_print_given_twice_before_a_blank_is_not_the_blank_s() {
        let v = values("经11届8次职代会通过并公示。出席会议议1137人，其中同意意135人，反对2人。");
        assert_eq!(v[2..], [Some("1137".into()), Some("135".into()), Some("2".into())]);
    }

    #[test]
    fn spans_count_characters_not_bytes() {
        let text = "经七届3次职代会通过并公示。出席会议126人，其中同意120人，反对2人。";
        let spans: Vec<Option<(usize, usize)>> = blank_spans(T, text).into_iter().map(|(_, s)| s).collect();
        assert_eq!(spans, [Some((1, 2)), Some((3, 4)), Some((18, 21)), Some((27, 30)), Some((34, 35))]);
    }

    #[test]
    fn a_misread_word_after_a_blank_does_not_swallow_the_next() {
        // 人 after 249 misread as 友, 同 as 忌: the blank stops where 意 is found.
        let v = values("经四届十二次职代会通过并公示。出席会议249友其中P忌意247人反对0人。");
        assert_eq!(v[3].as_deref(), Some("247"));
        assert_eq!(v[4].as_deref(), Some("0"));
        assert!(v[2].as_deref().is_some_and(|a| a.starts_with("249") && !a.contains("247")), "{v:?}");
    }

    #[test]
    fn a_misread_tail_is_not_read_into_the_last_number() {
        let v = values("经七届3次职代会通过并公示。出席会议202人，其中同意200人，反对1SS");
        assert_eq!(v[4].as_deref(), Some("1"));
        let v = values("经七届3次职代会通过并公示。出席会议202人，其中同意200人，反对无");
        assert_eq!(v[4].as_deref(), Some("无"));
    }

    #[test]
    fn empty_blanks_are_empty_strings() {
        let v = values("经  届  次职代会通过并公示。出席会议   人，其中同意   人，反对  人。");
        assert!(v.iter().all(|x| x.as_deref() == Some("")), "{v:?}");
    }

    #[test]
    fn retyped_sentence_with_small_changes_still_splits() {
        let v = values("经第八届第二次职工代表大会通过并公示，出席会议98人，其中同意95人，反对0人");
        assert_eq!(v, [Some("第八".into()), Some("第二".into()), Some("98".into()), Some("95".into()), Some("0".into())]);
    }
}
