//! Rules that need the whole batch: the same person sent twice, and regions over their quota.
//!
//! Both only add `review` issues: a duplicate may be a corrected resubmission and a quota
//! overrun is settled by the region, so neither decides a record's status by itself.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::ConfigError;
use crate::record::{Issue, Record, Severity, Status};

use super::normalize::{normalize_id_number, to_halfwidth_digits};

/// Recommendation quotas per 盟市 or industry union (附件1 of the notice), in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Quotas {
    entries: Vec<(String, u32)>,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Quotas {
    pub fn from_pairs<I, S>(pairs: I) -> Quotas
    where
        I: IntoIterator<Item = (S, u32)>,
        S: Into<String>,
    {
        Quotas { entries: pairs.into_iter().map(|(r, q)| (r.into(), q)).collect() }
    }

    /// Reads `region,quota` lines. A header row is recognised by its non-numeric quota; Excel's
    /// UTF-8 BOM and trailing empty columns are tolerated, since the table is usually kept in Excel.
    pub fn load(path: &Path) -> Result<Quotas, ConfigError> {
        let invalid = |line: usize, message: String| ConfigError::Invalid { path: path.to_path_buf(), line, message };
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| invalid(0, "the quota table is not UTF-8 (save it from Excel as \"CSV UTF-8\")".into()))?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text).replace('，', ",");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let mut entries: Vec<(String, u32)> = Vec::new();
        let mut first_lines: BTreeMap<String, usize> = BTreeMap::new();
        for (n, row) in reader.records().enumerate() {
            let row = row.map_err(|e| invalid(e.position().map_or(0, |p| p.line() as usize), e.to_string()))?;
            let line = row.position().map_or(0, |p| p.line() as usize);
            let cells: Vec<&str> = row.iter().collect();
            let used = cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
            if used == 0 {
                continue;
            }
            if used != 2 || cells[0].is_empty() {
                return Err(invalid(line, format!("expected `region,quota`, found `{}`", cells[..used].join(","))));
            }
            let number = to_halfwidth_digits(cells[1]);
            let Ok(quota) = number.trim_end_matches(['名', '人']).trim().parse::<u32>() else {
                if n == 0 {
                    continue;
                }
                return Err(invalid(line, format!("quota of `{}` is not a whole number: `{}`", cells[0], cells[1])));
            };
            if let Some(first) = first_lines.insert(squash(cells[0]), line) {
                return Err(invalid(line, format!("region `{}` repeats the one on line {first}", cells[0])));
            }
            entries.push((cells[0].to_string(), quota));
        }
        Ok(Quotas { entries })
    }

    /// The quota of the row `find` picks for a region.
    pub fn quota_for(&self, region: &str) -> Option<u32> {
        self.find(region).map(|(_, q)| q)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.entries.iter().map(|(r, q)| (r.as_str(), *q))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The quota row a cover's region belongs to. Units write "包头" or "包头市" for the
    /// table's "包头市", so containment either way matches; an exact match wins, then the
    /// longest region name, so that the most specific row is charged.
    pub fn find(&self, region: &str) -> Option<(&str, u32)> {
        let r = squash(region);
        if r.is_empty() {
            return None;
        }
        let keyed = || self.entries.iter().map(|(k, q)| (squash(k), k, *q)).filter(|(s, _, _)| !s.is_empty());
        if let Some((_, k, q)) = keyed().find(|(s, _, _)| *s == r) {
            return Some((k.as_str(), q));
        }
        keyed()
            .filter(|(s, _, _)| s.contains(&r) || r.contains(s.as_str()))
            .max_by_key(|(s, _, _)| s.chars().count())
            .map(|(_, k, q)| (k.as_str(), q))
    }
}

/// Batch rules over all records of a run; issues go onto the records concerned.
pub fn check_batch(records: &mut [Record], quotas: Option<&Quotas>) {
    check_batch_by_rule(records, quotas);
}

/// What one batch rule did: for each record, the range of its issues the rule added; None
/// when the rule did not run (no quota table).
pub type BatchOutcome = (&'static str, Option<Vec<std::ops::Range<usize>>>);

/// The same, saying what each rule added to which record (for the audit).
pub fn check_batch_by_rule(records: &mut [Record], quotas: Option<&Quotas>) -> Vec<BatchOutcome> {
    let mut traced = |name: &'static str, rule: &dyn Fn(&mut [Record])| -> BatchOutcome {
        let before: Vec<usize> = records.iter().map(|r| r.issues.len()).collect();
        rule(records);
        (name, Some(records.iter().zip(before).map(|(r, b)| b..r.issues.len()).collect()))
    };
    let duplicates = traced("duplicate_candidates", &duplicate_candidates);
    let quota = match quotas {
        Some(q) => traced("quota_exceeded", &|rs: &mut [Record]| quota_exceeded(rs, q)),
        None => ("quota_exceeded", None),
    };
    vec![duplicates, quota]
}

fn readable(r: &Record) -> bool {
    r.status != Status::Unreadable
}

fn duplicate_candidates(records: &mut [Record]) {
    let mut by_id: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate().filter(|(_, r)| readable(r)) {
        if let Some(id) = r.value("id_number").map(normalize_id_number).filter(|v| !v.is_empty()) {
            by_id.entry(id).or_default().push(i);
        }
    }
    for (id, group) in by_id.into_iter().filter(|(_, g)| g.len() > 1) {
        for &i in &group {
            // Name a few of the other files, not all: a batch with many copies would
            // otherwise carry messages that grow with the square of the batch.
            let others: Vec<&str> = group.iter().filter(|&&j| j != i).map(|&j| records[j].source.path.as_str()).collect();
            let shown = others.iter().take(3).copied().collect::<Vec<_>>().join("、");
            let more = if others.len() > 3 { format!("等{}份申报", others.len()) } else { String::new() };
            // Only the ID's last four characters: messages travel in return notices.
            let tail: String = id.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
            let msg = format!("身份证号码（尾号{tail}）与{shown}{more}中的相同，可能为同一人重复申报");
            let issue = Issue::new("duplicate_candidate", Some("id_number"), Severity::Review, msg);
            records[i].issues.push(issue);
        }
    }
}

fn quota_exceeded(records: &mut [Record], quotas: &Quotas) {
    let mut by_region: BTreeMap<(String, u32), Vec<usize>> = BTreeMap::new();
    for (i, r) in records.iter().enumerate().filter(|(_, r)| readable(r)) {
        if let Some((region, quota)) = r.value("cover_region").and_then(|v| quotas.find(v)) {
            by_region.entry((region.to_string(), quota)).or_default().push(i);
        }
    }
    for ((region, quota), group) in by_region {
        if group.len() as u64 <= quota as u64 {
            continue;
        }
        let msg = format!("{region}推荐名额为{quota}名，本批收到{}份", group.len());
        for i in group {
            records[i].issues.push(Issue::new("quota_exceeded", Some("cover_region"), Severity::Review, msg.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::rules::tests::{good, valid_id};
    use crate::spec::Spec;

    fn batch(rows: &[(&str, &str, &str)]) -> Vec<Record> {
        let spec = Spec::builtin();
        rows.iter().map(|(path, id, region)| {
            let mut r = good(&spec, &[("id_number", id), ("cover_region", region)]);
            r.source.path = path.to_string();
            r
        }).collect()
    }

    fn codes(r: &Record) -> Vec<&str> {
        r.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn duplicates_name_the_other_files() {
        let a = valid_id("15020319850615123");
        let b = valid_id("15020319900101002");
        let mut rs = batch(&[("in/1.docx", &a, "包头市"), ("in/2.pdf", &b, "包头市"), ("in/3.pdf", &a.to_lowercase(), "包头市"), ("in/4.pdf", "", "包头市"), ("in/5.pdf", "", "包头市")]);
        check_batch(&mut rs, None);
        assert_eq!(codes(&rs[0]), ["duplicate_candidate"]);
        assert!(rs[0].issues[0].message.contains("in/3.pdf") && !rs[0].issues[0].message.contains("in/2.pdf"));
        assert!(rs[2].issues[0].message.contains("in/1.docx"));
        assert_eq!(rs[2].issues[0].severity, Severity::Review);
        for i in [1, 3, 4] {
            assert!(rs[i].issues.is_empty(), "{i}");
        }
    }

    #[test]
    fn unreadable_records_are_not_duplicates() {
        let a = valid_id("15020319850615123");
        let mut rs = batch(&[("in/1.docx", &a, "包头市"), ("in/2.pdf", &a, "包头市")]);
        rs[1].status = Status::Unreadable;
        check_batch(&mut rs, None);
        assert!(rs.iter().all(|r| r.issues.is_empty()));
    }

    #[test]
    fn quota_over_and_within() {
        let q = Quotas::from_pairs([("包头市", 2), ("赤峰市", 3)]);
        let ids: Vec<String> = (0..5).map(|n| valid_id(&format!("1502031985061512{n}"))).collect();
        let mut rs = batch(&[("a", &ids[0], "包头市"), ("b", &ids[1], "包头"), ("c", &ids[2], " 包 头 市 "), ("d", &ids[3], "赤峰市"), ("e", &ids[4], "阿拉善盟")]);
        check_batch(&mut rs, Some(&q));
        for r in &rs[..3] {
            assert_eq!(codes(r), ["quota_exceeded"]);
            assert_eq!(r.issues[0].message, "包头市推荐名额为2名，本批收到3份");
        }
        assert!(rs[3].issues.is_empty() && rs[4].issues.is_empty());

        rs = batch(&[("a", &ids[0], "包头市"), ("b", &ids[1], "包头"), ("c", &ids[2], "包头市")]);
        rs[2].status = Status::Unreadable;
        check_batch(&mut rs, Some(&q));
        assert!(rs.iter().all(|r| r.issues.is_empty()));
    }

    #[test]
    fn find_prefers_exact_then_longest() {
        let q = Quotas::from_pairs([("包头", 1), ("包头市", 2), ("自治区能源化学工会", 4)]);
        assert_eq!(q.find("包头"), Some(("包头", 1)));
        assert_eq!(q.find("包头市"), Some(("包头市", 2)));
        assert_eq!(q.find("包头市区"), Some(("包头市", 2)));
        assert_eq!(q.find("能源化学工会"), Some(("自治区能源化学工会", 4)));
        assert_eq!(q.find(""), None);
        assert_eq!(q.find("赤峰市"), None);
    }

    fn load(text: &[u8]) -> Result<Quotas, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("quotas.csv");
        std::fs::write(&path, text).unwrap();
        Quotas::load(&path)
    }

    #[test]
    fn load_with_header_and_bom() {
        let q = load("\u{FEFF}盟市/产业,名额\n包头市,2\n\n\"赤峰市\", ３名 ,,\n".as_bytes()).unwrap();
        assert_eq!(q.iter().collect::<Vec<_>>(), [("包头市", 2), ("赤峰市", 3)]);
        let q = load("呼和浩特市，4\r\n".as_bytes()).unwrap();
        assert_eq!(q, Quotas::from_pairs([("呼和浩特市", 4)]));
    }

    #[test]
    fn load_reports_the_bad_line() {
        let msg = |r: Result<Quotas, ConfigError>| match r.unwrap_err() {
            ConfigError::Invalid { line, message, .. } => (line, message),
            e => panic!("{e}"),
        };
        let (line, m) = msg(load("region,quota\n包头市,2\n赤峰市,三\n".as_bytes()));
        assert_eq!(line, 3, "{m}");
        let (line, _) = msg(load("包头市,2\n赤峰市\n".as_bytes()));
        assert_eq!(line, 2);
        let (line, m) = msg(load("包头市,2\n包头市 ,3\n".as_bytes()));
        assert_eq!(line, 2);
        assert!(m.contains("line 1"), "{m}");
        let (line, m) = msg(load(b"\xb0\xfc\xcd\xb7,2\n"));
        assert_eq!(line, 0);
        assert!(m.contains("UTF-8"), "{m}");
    }
}
