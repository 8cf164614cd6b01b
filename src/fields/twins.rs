//! Fields the form asks for twice (the cover repeats the table's name and unit, `same_as` in
//! the spec). On a scan each is read on its own, and OCR's slips differ between the two: where
//! the readings are one slip or so apart, the surer one is the value of both. Readings further
//! apart are left as they are: the form may really say two things.

use crate::layout::labels::{edit_distance, squeeze};
use crate::reading::Reading;
use crate::spec::{Kind, Spec};

/// A reading no one would write in a field of this kind: Latin letters or stray marks in a
/// name (G关 for 乌兰), or a name of one character (鲁 for 朝鲁, its first character lost),
/// letters or marks in a unit's name (矿井通风LE).
fn implausible(kind: Kind, text: &str) -> bool {
    match kind {
        Kind::Name => text.chars().count() < 2 || text.chars().any(|c| !(('\u{3400}'..='\u{9fff}').contains(&c) || c == '·')),
        _ => text.chars().any(|c| c.is_ascii_alphabetic() || "<>|`~^_=@#$%&*\\".contains(c)),
    }
}

/// Which of two differing readings to keep: the plausible one, else the one whose only
/// difference is a name's separator dot (a dot is easily lost, not invented), else, for a
/// name, the one starting with a Han surname when the other does not (圳龙, 袁龙), else the
/// one without a character the other has in addition, else the one OCR was surer of. None
/// when nothing tells them apart.
fn better(spec: &Spec, kind: Kind, a: (&str, f32), b: (&str, f32)) -> Option<bool> {
    let (ia, ib) = (implausible(kind, a.0), implausible(kind, b.0));
    if ia != ib {
        return Some(!ia);
    }
    let undotted = |s: &str| s.replace('·', "");
    if undotted(a.0) == undotted(b.0) {
        return Some(a.0.contains('·'));
    }
    // A character too many in a short line of print is OCR's invention: the paper's speckle
    // in the gap of a spaced name (涂　颖 read 涂上颖), a stroke taken for a character of its
    // own (李了晓丽, 了丁玲). A clear character is not lost from it. On seeds 20261230–33 each
    // of the three names whose two readings differed so was the shorter, sure or not.
    if kind == Kind::Name {
        let (sa, sb) = (spec.starts_with_surname(a.0), spec.starts_with_surname(b.0));
        if sa != sb {
            return Some(sa);
        }
        let (ca, cb): (Vec<char>, Vec<char>) = (a.0.chars().collect(), b.0.chars().collect());
        // One character more: a single edit apart, one character longer.
        if ca.len().abs_diff(cb.len()) == 1 && edit_distance(&ca, &cb) == 1 {
            return Some(ca.len() < cb.len());
        }
    }
    if (a.1 - b.1).abs() >= 0.05 {
        return Some(a.1 > b.1);
    }
    None
}

/// Makes the two readings of each `same_as` pair one where they differ by a slip or two (at
/// most a quarter of their characters, at least one), or where one is garbled.
pub fn reconcile(spec: &Spec, reading: &mut Reading) {
    for f in spec.fields.iter() {
        let Some(twin) = &f.same_as else { continue };
        let (Some(a), Some(b)) = (reading.values.get(&f.id), reading.values.get(twin)) else { continue };
        let (sa, sb) = (squeeze(&a.text), squeeze(&b.text));
        if sa.is_empty() || sb.is_empty() || sa == sb {
            continue;
        }
        let (ca, cb): (Vec<char>, Vec<char>) = (sa.chars().collect(), sb.chars().collect());
        // A garbled reading (letters in a name) may be further from its twin than a slip, and
        // so may one that holds its plausible twin whole among stray marks (<昌温杰 for 温杰: a
        // cell's edge read with the name).
        let (ia, ib) = (implausible(f.kind, &sa), implausible(f.kind, &sb));
        let holds_twin = (ia && cb.len() >= 2 && sa.contains(sb.as_str())) || (ib && ca.len() >= 2 && sb.contains(sa.as_str()));
        let garbled = ia != ib && (ca.len().abs_diff(cb.len()) <= 1 || holds_twin);
        if !garbled && edit_distance(&ca, &cb) > (ca.len().max(cb.len()) / 4).max(1) {
            continue;
        }
        let Some(a_wins) = better(spec, f.kind, (&sa, a.confidence), (&sb, b.confidence)) else { continue };
        let (from, to) = if a_wins { (f.id.clone(), twin.clone()) } else { (twin.clone(), f.id.clone()) };
        let winner = reading.values[&from].clone();
        if let Some(loser) = reading.values.get_mut(&to) {
            loser.text = winner.text;
            loser.confidence = winner.confidence;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::RawValue;

    fn reading(pairs: &[(&str, &str, f32)]) -> Reading {
        let mut r = Reading::default();
        for (id, text, confidence) in pairs {
            r.values.insert(id.to_string(), RawValue { text: text.to_string(), confidence: *confidence, page: Some(1), bbox: None });
        }
        r
    }

    fn value<'a>(r: &'a Reading, id: &str) -> &'a str {
        &r.values[id].text
    }

    #[test]
    fn the_surer_or_the_plausible_reading_wins_and_different_values_stay() {
        let spec = Spec::builtin();
        let mut r = reading(&[("cover_name", "更丽", 0.41), ("name", "樊丽", 0.93), ("cover_employer", "呼和浩特市赛军区环卫中心", 0.6), ("employer", "呼和浩特市赛罕区环卫中心", 0.9)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "cover_name"), "樊丽");
        assert_eq!(value(&r, "cover_employer"), "呼和浩特市赛罕区环卫中心");
        // Letters in a name lose to a name, however sure; a lost separator dot is restored.
        let mut r = reading(&[("cover_name", "乌兰", 0.5), ("name", "G关", 0.9), ("cover_employer", "巴雅尔呼和", 0.9), ("employer", "巴雅尔·呼和", 0.5)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "name"), "乌兰");
        // A name of one character is a name's remnant.
        let mut r = reading(&[("cover_name", "鲁", 0.87), ("name", "朝鲁", 0.8)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "cover_name"), "朝鲁");
        // A name starting with a Han surname wins over one that does not, however sure.
        let mut r = reading(&[("cover_name", "囊龙", 0.9), ("name", "袁龙", 0.6)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "cover_name"), "袁龙");
        // Two different names are both kept, and so are two equally sure readings.
        let mut r = reading(&[("cover_name", "张三丰", 0.5), ("name", "李四", 0.9), ("cover_employer", "包头供电局", 0.8), ("employer", "包头供屯局", 0.8)]);
        reconcile(&spec, &mut r);
        assert_eq!((value(&r, "cover_name"), value(&r, "name")), ("张三丰", "李四"));
        assert_eq!(value(&r, "employer"), "包头供屯局");
    }

    #[test]
    fn a_name_read_among_stray_marks_takes_its_twin() {
        let spec = Spec::builtin();
        let mut r = reading(&[("cover_name", "温杰", 0.91), ("name", "<昌温杰", 0.65)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "name"), "温杰");
        // Without a mark that no name holds, a longer name is another name.
        let mut r = reading(&[("cover_name", "温杰", 0.91), ("name", "王昌温杰", 0.65)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "name"), "王昌温杰");
    }

    #[test]
    fn a_name_read_with_a_character_more_takes_its_twin_without_it() {
        let spec = Spec::builtin();
        let kept = |cover: (&str, &str, f32), table: (&str, &str, f32)| {
            let mut r = reading(&[cover, table]);
            reconcile(&spec, &mut r);
            (value(&r, cover.0).to_string(), value(&r, table.0).to_string())
        };
        let both = |s: &str| (s.to_string(), s.to_string());
        // However sure OCR was of the longer reading.
        assert_eq!(kept(("cover_name", "涂颖", 0.56), ("name", "涂上颖", 0.69)), both("涂颖"));
        assert_eq!(kept(("cover_name", "李了晓丽", 0.81), ("name", "李晓丽", 0.79)), both("李晓丽"));
        // A unit's name is not a name: there the surer reading still wins.
        assert_eq!(kept(("cover_employer", "包头供电局", 0.6), ("employer", "包头市供电局", 0.9)), both("包头市供电局"));
    }

    #[test]
    fn a_lost_name_dot_is_restored() {
        let spec = Spec::builtin();
        let mut r = reading(&[("cover_name", "巴雅尔呼和", 0.9), ("name", "巴雅尔·呼和", 0.5)]);
        reconcile(&spec, &mut r);
        assert_eq!(value(&r, "cover_name"), "巴雅尔·呼和");
    }
}
