//! Cleaning what OCR returns for one value, by the field's kind: the slips Tesseract makes
//! on this form's print, corrected where the correct reading is certain.

use crate::spec::Kind;

/// A Chinese character (the unified ideographs and extension A).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// What OCR reads from specks, line remnants and the gaps of spaced print: quotes, bars,
/// underscores, dashes, dots and commas. No label holds one.
pub const STRAY_MARKS: &[char] = &['"', '\'', '“', '”', '‘', '’', '|', '_', '-', '~', '`', '·', '.', ',', '，', '。', '、', '^', '*'];

/// Strips what OCR reads from specks and line remnants at a value's ends: stray marks and
/// stray punctuation. Inner characters are kept.
pub fn trim_junk(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || STRAY_MARKS.contains(&c) || ":：;；!！".contains(c)).to_string()
}

/// Brackets OCR reads as look-alikes (`〈《【`) are round ones; which width they take is the
/// normaliser's business, as for typed text.
pub fn cjk_brackets(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '〈' | '《' | '【' | '［' => '（',
            '〉' | '》' | '】' | '］' => '）',
            c => c,
        })
        .collect()
}

/// A bracket OCR lost from a unit's name: an opening one never closed, followed within a few
/// characters by the company's legal form (有限…, 股份…), is closed before it, as such names
/// always are (内蒙古电力（集团有限责任公司 → 内蒙古电力（集团）有限责任公司).
pub fn close_brackets(text: &str) -> String {
    const FORMS: [&str; 2] = ["有限", "股份"];
    let mut chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let close = match chars[i] {
            '(' => ')',
            '（' => '）',
            _ => {
                i += 1;
                continue;
            }
        };
        let rest = &chars[i + 1..];
        let closed = rest.iter().take_while(|c| !matches!(c, '(' | '（')).any(|c| matches!(c, ')' | '）'));
        if !closed {
            // The first legal form within eight characters of the bracket, spaces aside.
            let mut seen = 0;
            let at = (0..rest.len()).find(|&k| {
                if !rest[k].is_whitespace() {
                    seen += 1;
                }
                seen >= 2 && seen <= 9 && FORMS.iter().any(|f| rest[k..].iter().filter(|c| !c.is_whitespace()).take(2).copied().eq(f.chars()))
            });
            if let Some(k) = at {
                chars.insert(i + 1 + k, close);
            }
        }
        i += 1;
    }
    chars.into_iter().collect()
}

/// `一` (one) read where a dash stands: between a date and a date or 至今 (`2001年7月一2006`,
/// `1985.9一1988.3`), or alone in a cell (a dash for "none").
pub fn dashes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    // A long thin dash alone in a cell is read as 一, or as 二 when scanning doubles it, or,
    // broken by the line eraser or read stroke by stroke, as several (一一).
    let marks: Vec<char> = chars.iter().copied().filter(|c| !c.is_whitespace()).collect();
    if marks == ['二'] || (!marks.is_empty() && marks.iter().all(|c| matches!(c, '一' | '-' | '－' | '—' | '_' | '─'))) {
        return "—".into();
    }
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
        let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
        let date_before = prev.is_some_and(|p| p.is_ascii_digit() || matches!(p, '月' | '年'));
        let date_after = next.is_some_and(|n| n.is_ascii_digit() || *n == '至');
        out.push(if c == '一' && date_before && date_after { '—' } else { c });
    }
    out
}

/// A short value wrapped inside a narrow cell comes back on two lines: the break is the
/// cell's, not the writer's.
pub fn join_wrapped(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut out = String::new();
    for l in lines {
        let glue = out.chars().last().is_some_and(|a| a.is_ascii_alphabetic()) && l.starts_with(|c: char| c.is_ascii_alphabetic());
        if glue {
            out.push(' ');
        }
        out.push_str(l);
    }
    out
}

/// The dot of a transliterated name, misread as a colon, an apostrophe or a period (or as
/// two of them): one `·` between the two parts. Each part of such a name has two characters
/// or more (巴雅尔·呼和, 阿不都·热合曼): a "dot" with one character on a side (彭·慧) is a
/// speck between the characters of a Han name, and is dropped.
pub fn name_dots(text: &str) -> String {
    let is_dot = |c: char| matches!(c, ':' | '：' | '\'' | '’' | '‘' | '`' | '´' | '.' | '．' | '•' | '・' | '°' | '。' | '·' | ',' | '，');
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if is_dot(chars[i]) {
            let mut j = i;
            while j < chars.len() && is_dot(chars[j]) {
                j += 1;
            }
            let part = |run: &mut dyn Iterator<Item = &char>| run.take_while(|c| !is_dot(**c)).count();
            let (before, after) = (part(&mut chars[..i].iter().rev()), part(&mut chars[j..].iter()));
            if i > 0 && j < chars.len() && is_cjk(chars[i - 1]) && is_cjk(chars[j]) {
                if before >= 2 && after >= 2 {
                    out.push('·');
                }
            } else {
                out.extend(&chars[i..j]);
            }
            i = j;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A vote blank holds a number: letters and CJK characters that OCR gives for handwritten
/// digits and numerals are read as what they resemble (`了` for 7, `工` or `]` for 1, `士` for
/// 十, `交` for 六, `丸` for 九 in a handwriting font).
pub fn count_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'O' | 'o' | 'D' | 'Q' | '口' | '〇' => '0',
            'l' | 'I' | '|' | 'i' | '工' | '丨' | '1' | ']' | '[' => '1',
            'Z' | 'z' | '乙' | '己' => '2',
            'S' | 's' => '5',
            'B' => '8',
            '了' | '?' => '7',
            '士' | '土' | '千' => '十',
            '交' => '六',
            '丸' => '九',
            c => c,
        })
        .collect()
}

/// Phone numbers: a dash read as `一` or `—` between digits is the area code's hyphen.
pub fn phone_dashes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let digits_around = i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            if digits_around && matches!(c, '一' | '—' | '－' | '~' | '_') { '-' } else { c }
        })
        .collect()
}

/// An enum value read with a slip or a stray mark (`中共党员由`, `蒙古旅`) is the listed
/// value it is closest to, when only one is that close.
pub fn snap_to_values(text: &str, values: &[String], aliases: &std::collections::BTreeMap<String, String>) -> String {
    let t: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || values.iter().any(|v| v.chars().eq(t.iter().copied())) || aliases.contains_key(&t.iter().collect::<String>()) {
        return text.to_string();
    }
    // A list whose every value ends alike (民族: …族) is often written without that end (蒙古,
    // 达斡尔), so the text is also measured with it put back: 达干尔 is one slip from 达斡尔族.
    let last = values.first().and_then(|v| v.chars().last()).filter(|&c| values.iter().all(|v| v.chars().last() == Some(c) && v.chars().count() > 1));
    let completed: Option<Vec<char>> = last.filter(|&c| t.last() != Some(&c)).map(|c| t.iter().copied().chain([c]).collect());
    let mut nearest = crate::layout::labels::Nearest::default();
    for v in values.iter().map(String::as_str).chain(aliases.keys().map(String::as_str)) {
        let vc: Vec<char> = v.chars().collect();
        let d = crate::layout::labels::edit_distance(&t, &vc);
        let d = completed.as_ref().map_or(d, |c| d.min(crate::layout::labels::edit_distance(c, &vc)));
        // One slip in a short value, two in one of five characters or more (呼伦贝水巾).
        let allowed = if vc.len() >= 5 { 2 } else { 1 };
        if d <= allowed && vc.len() >= 2 {
            nearest.offer(d, v, ());
        }
    }
    nearest.winner().map_or_else(|| text.to_string(), |(v, ())| v.to_string())
}

/// Where in a phrase a single slip is mended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slips {
    /// Inside only: at an end the run may simply go on into another word (锡林郭勒 + 白音华 is
    /// not 锡林郭勒盟), or a real word differ there (有限公司, 无限公司).
    Inside,
    /// Also at an end that is free: where the phrase stands at that end of the value
    /// (哪尔多斯市中心医院) or against something that is not a Chinese character, and the
    /// slip is a Chinese character. Not against another character: a dropped one would pull
    /// the word before into the phrase (内蒙古尔多斯 is not 内蒙鄂尔多斯). For place names.
    AlsoAtFreeEnds,
}

/// Runs of the text that differ from a phrase (four characters or more) by exactly one
/// character are that phrase: OCR's slips (卫牛, 目治区) are single characters, and a phrase
/// that long is not one character away from another real word, except at its ends (`Slips`).
pub fn lexicon_fix(text: &str, lexicon: &[String], slips: Slips) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let words: Vec<Vec<char>> = lexicon.iter().map(|w| w.chars().collect()).collect();
    for (n, p) in words.iter().enumerate() {
        // Shorter words are never mended (too many real words lie one slip from them), but
        // still mark a free end.
        if p.len() < 4 || chars.len() < p.len() {
            continue;
        }
        let mut i = 0;
        while i + p.len() <= chars.len() {
            let window = &chars[i..i + p.len()];
            let mut wrong = (0..p.len()).filter(|&k| window[k] != p[k]);
            let (Some(k), None) = (wrong.next(), wrong.next()) else {
                i += 1;
                continue;
            };
            // At an end, only a character misread as another (not a bracket or a digit), and
            // only an end that is free; a word of the list ending right before (内蒙古 +
            // 鄞尔多斯市) leaves it free too.
            let inside = k > 0 && k + 1 < p.len();
            let free_before = || i == 0 || !is_cjk(chars[i - 1]) || words.iter().any(|q| chars[..i].ends_with(q));
            let free_after = || chars.get(i + p.len()).is_none_or(|c| !is_cjk(*c));
            let at_end = || slips == Slips::AlsoAtFreeEnds && is_cjk(window[k]) && (k > 0 || free_before()) && (k + 1 < p.len() || free_after());
            // Not when the run is another word as it stands, or one slip from another too
            // (巴林左旗 and 巴林右旗): which one was written cannot be told.
            let other = |(m, q): (usize, &Vec<char>)| m != n && q.len() == p.len() && q.iter().zip(window).filter(|(a, b)| a != b).count() <= 1;
            if (inside || at_end()) && !words.iter().enumerate().any(other) {
                chars.splice(i..i + p.len(), p.iter().copied());
                i += p.len();
            } else {
                i += 1;
            }
        }
    }
    chars.into_iter().collect()
}

/// An ID number's check character X read as a lookalike (又, 乂, ×): after seventeen digits
/// only an X can stand, so nothing else is changed.
fn id_check_x(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    match chars.split_last() {
        Some((last, digits)) if digits.len() == 17 && digits.iter().all(char::is_ascii_digit) && matches!(last, '又' | '乂' | '×' | '✕' | 'χ' | 'Χ' | 'Х' | 'ㄨ') => {
            digits.iter().chain(['X'].iter()).collect()
        }
        _ => text.to_string(),
    }
}

/// The Chinese numerals people write in dates and counts (二〇二三年, 十二届).
pub const CN_DIGITS: &str = "〇零一二三四五六七八九十";

/// The cleaned reading of one value of the given kind.
pub fn clean(kind: Kind, text: &str) -> String {
    match kind {
        Kind::Multiline => dashes(text.trim()),
        Kind::Text => dashes(&close_brackets(&cjk_brackets(&trim_junk(&leading_yi(&join_wrapped(text)))))),
        Kind::Name => name_dots(&trim_junk(&join_wrapped(text))),
        Kind::Vote => count_digits(&trim_junk(&join_wrapped(text))),
        Kind::Phone => phone_dashes(&trim_junk(&join_wrapped(text))),
        Kind::IdNumber => id_check_x(&trim_junk(&join_wrapped(text))),
        // A month or a date holds digits (or numerals) and their separators only: anything
        // else between them is a speck read as a character (1970年9上月).
        Kind::Month | Kind::Date => year_word(join_wrapped(text).chars().filter(|c| c.is_ascii_digit() || "年月日号.．-/".contains(*c) || CN_DIGITS.contains(*c)).collect()),
        _ => trim_junk(&join_wrapped(text)),
    }
}

/// 年 dropped between a year and a month (20234月25日, the print faint or crossed by the
/// handwriting): put back after the year, four digits from 20, when one or two digits and 月
/// follow.
fn year_word(text: String) -> String {
    let b = text.as_bytes();
    let month_digits = b.iter().skip(4).take_while(|c| c.is_ascii_digit()).count();
    if b.len() > 4 && b.starts_with(b"20") && b[..4].iter().all(u8::is_ascii_digit) && (1..=2).contains(&month_digits) && text[4 + month_digits..].starts_with('月') {
        return format!("{}年{}", &text[..4], &text[4..]);
    }
    text
}

/// 一, a lone stroke, often comes back as a dash: at the start of a value and right before a
/// Chinese character (-级教师) it is 一, since no value begins with a dash there; the dash would
/// otherwise go as junk and take the character with it.
fn leading_yi(text: &str) -> String {
    let t = text.trim_start();
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(dash @ ('-' | '—' | '－' | '_' | '～' | '~')), Some(next)) if is_cjk(next) => format!("一{}", &t[dash.len_utf8()..]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dash_that_starts_a_value_before_a_chinese_character_is_yi() {
        assert_eq!(clean(Kind::Text, "-级教师"), "一级教师");
        assert_eq!(clean(Kind::Text, " —线班组长"), "一线班组长");
        // Elsewhere a dash stays a dash (or junk at the edge).
        assert_eq!(clean(Kind::Text, "-"), "");
        assert_eq!(clean(Kind::Text, "-2级"), "2级");
        assert_eq!(leading_yi("高级-技师"), "高级-技师");
    }

    #[test]
    fn months_and_dates_keep_only_digits_numerals_and_separators() {
        assert_eq!(clean(Kind::Month, "1970 年9上月"), "1970年9月");
        assert_eq!(clean(Kind::Date, "二〇二三年四月十日"), "二〇二三年四月十日");
        assert_eq!(clean(Kind::Month, "1983.03 。"), "1983.03");
    }

    #[test]
    fn an_ethnicity_read_with_a_slip_and_without_its_zu_is_the_listed_one_when_only_one_is_near() {
        let values: Vec<String> = ["汉族", "蒙古族", "达斡尔族", "鄂温克族", "土族", "京族"].iter().map(|s| s.to_string()).collect();
        let snap = |t: &str| snap_to_values(t, &values, &Default::default());
        assert_eq!(snap("达干尔"), "达斡尔族");
        assert_eq!(snap("达坦尔族"), "达斡尔族");
        assert_eq!(snap("蒙古"), "蒙古族");
        // Two slips in three characters, or a character as near to two values, stay as read.
        assert_eq!(snap("蒙上左"), "蒙上左");
        assert_eq!(snap("达"), "达");
        // A list without a common end gets nothing put back.
        let mixed: Vec<String> = ["达斡尔族", "达斡尔人"].iter().map(|s| s.to_string()).collect();
        assert_eq!(snap_to_values("达干尔", &mixed, &Default::default()), "达干尔");
    }

    #[test]
    fn one_slip_in_a_lexicon_phrase_is_mended_and_nothing_else() {
        let lex: Vec<String> = ["内蒙古自治区", "环境卫生服务中心", "环境卫生", "有限公司"].iter().map(|s| s.to_string()).collect();
        assert_eq!(lexicon_fix("乌兰浩特市环境卫牛服务中心", &lex, Slips::Inside), "乌兰浩特市环境卫生服务中心");
        // At the phrase's end a slip is not mended.
        assert_eq!(lexicon_fix("环境卫牛", &lex, Slips::Inside), "环境卫牛");
        assert_eq!(lexicon_fix("内蒙古目治区包头市", &lex, Slips::Inside), "内蒙古自治区包头市");
        // Two slips are another text; short texts are left alone.
        assert_eq!(lexicon_fix("内和驼古目治区", &lex, Slips::Inside), "内和驼古目治区");
        assert_eq!(lexicon_fix("有限", &lex, Slips::Inside), "有限");
        assert_eq!(lexicon_fix("包头钢铁有限公司", &lex, Slips::Inside), "包头钢铁有限公司");
        let places: Vec<String> = ["锡林郭勒盟", "乌兰察布市"].iter().map(|s| s.to_string()).collect();
        assert_eq!(lexicon_fix("内蒙古锡林郭勒白音华煤电", &places, Slips::Inside), "内蒙古锡林郭勒白音华煤电");
        assert_eq!(lexicon_fix("乌兰察布供电分公司", &places, Slips::Inside), "乌兰察布供电分公司");
        assert_eq!(lexicon_fix("乌兰察巾市", &places, Slips::Inside), "乌兰察布市");
        // Place names are mended at a free end too: the value's start or end, or against a
        // bracket; not against another character, nor a slip that is not a character.
        let places: Vec<String> = ["鄂尔多斯市", "阿拉善左旗", "锡林郭勒盟"].iter().map(|s| s.to_string()).collect();
        let fix = |t: &str| lexicon_fix(t, &places, Slips::AlsoAtFreeEnds);
        assert_eq!(fix("哪尔多斯市中心医院"), "鄂尔多斯市中心医院");
        assert_eq!(fix("阿拉善碟旗环境卫生服务中心"), "阿拉善左旗环境卫生服务中心");
        assert_eq!(fix("（骂尔多斯市）"), "（鄂尔多斯市）");
        assert_eq!(fix("内蒙古尔多斯市"), "内蒙古尔多斯市");
        let with_region: Vec<String> = ["内蒙古", "鄂尔多斯市"].iter().map(|s| s.to_string()).collect();
        assert_eq!(lexicon_fix("内蒙古鄞尔多斯市", &with_region, Slips::AlsoAtFreeEnds), "内蒙古鄂尔多斯市");
        assert_eq!(lexicon_fix("内蒙古尔多斯市", &with_region, Slips::AlsoAtFreeEnds), "内蒙古尔多斯市");
        assert_eq!(fix("内蒙古锡林郭勒白音华煤电"), "内蒙古锡林郭勒白音华煤电");
        assert_eq!(fix("锡林郭勒1"), "锡林郭勒1");
        assert_eq!(lexicon_fix("哪尔多斯市", &places, Slips::Inside), "哪尔多斯市");
        // A place one character from another place is left as it is, and so is a slip that
        // could be either.
        let banners: Vec<String> = ["巴林左旗", "巴林右旗"].iter().map(|s| s.to_string()).collect();
        assert_eq!(lexicon_fix("赤峰巴林右旗", &banners, Slips::AlsoAtFreeEnds), "赤峰巴林右旗");
        assert_eq!(lexicon_fix("赤峰巴林石旗", &banners, Slips::AlsoAtFreeEnds), "赤峰巴林石旗");
    }

    #[test]
    fn dates_dashes_and_wraps() {
        assert_eq!(dashes("1998年9月一2001 年 7月，学习"), "1998年9月—2001 年 7月，学习");
        assert_eq!(dashes("2008.7一至今"), "2008.7—至今");
        assert_eq!(dashes("一车间护士长"), "一车间护士长");
        assert_eq!(dashes(" 一 "), "—");
        assert_eq!(join_wrapped("1970.0\n7"), "1970.07");
        assert_eq!(join_wrapped("内蒙古包\n头"), "内蒙古包头");
    }

    #[test]
    fn kinds_get_their_corrections() {
        assert_eq!(clean(Kind::Name, "额尔敦:宝音"), "额尔敦·宝音");
        assert_eq!(clean(Kind::Name, "额尔敦:.宝音"), "额尔敦·宝音");
        assert_eq!(clean(Kind::Name, "宝音`宝力道"), "宝音·宝力道");
        assert_eq!(clean(Kind::Name, "彭·慧"), "彭慧", "a speck between a Han name's characters");
        assert_eq!(clean(Kind::Name, "乌·兰其其格"), "乌兰其其格");
        assert_eq!(clean(Kind::Name, "阿不都·热合曼·买买提"), "阿不都·热合曼·买买提");
        assert_eq!(crate::fields::normalize::cjk_punctuation(&clean(Kind::Text, "”包头钢铁〈集团)有限责任公司|")), "包头钢铁（集团）有限责任公司");
        assert_eq!(clean(Kind::Vote, "O"), "0");
        assert_eq!(clean(Kind::Vote, "1l6"), "116");
        assert_eq!(clean(Kind::Vote, "了"), "7");
        assert_eq!(clean(Kind::Phone, "0474一6728386"), "0474-6728386");
        assert_eq!(clean(Kind::Date, "20234月25日"), "2023年4月25日");
        assert_eq!(clean(Kind::Date, "202312月1日"), "2023年12月1日");
        assert_eq!(clean(Kind::Date, "2023年4月25日"), "2023年4月25日");
        assert_eq!(clean(Kind::Month, "1986.03"), "1986.03");
        assert_eq!(clean(Kind::Date, "20234"), "20234", "no 月: left as read");
        assert_eq!(clean(Kind::Text, "一一"), "—");
        assert_eq!(clean(Kind::Text, "一 一"), "—");
        assert_eq!(clean(Kind::Text, "一级"), "一级");
        assert_eq!(clean(Kind::IdNumber, "15012219750823531又"), "15012219750823531X");
        assert_eq!(clean(Kind::IdNumber, "1501221975082353又"), "1501221975082353又", "not after seventeen digits");
        assert_eq!(clean(Kind::Month, "1986.03\n"), "1986.03");
    }

    #[test]
    fn a_lost_closing_bracket_before_a_legal_form_is_put_back() {
        assert_eq!(close_brackets("内蒙古电力 (集团 有限责任公司"), "内蒙古电力 (集团) 有限责任公司");
        assert_eq!(close_brackets("包头钢铁（集团有限责任公司"), "包头钢铁（集团）有限责任公司");
        // Closed already, or no legal form near: left as read.
        assert_eq!(close_brackets("包头钢铁（集团）有限责任公司"), "包头钢铁（集团）有限责任公司");
        assert_eq!(close_brackets("某某（试行"), "某某（试行");
        assert_eq!(close_brackets("（有限公司"), "（有限公司");
    }
}
