//! The figures at the top of the report: how many forms in each state, per region or
//! industry (against its quota when a quota table was given), and the commonest issues.

use std::collections::BTreeMap;

use crate::fields::rules::Quotas;
use crate::output::{region_of, summarize, Summary};
use crate::record::Record;

/// One region or industry union: its forms by state, and its quota if known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionRow {
    pub region: String,
    pub quota: Option<u32>,
    pub counts: Summary,
}

impl RegionRow {
    /// Forms counted against the quota: those that can still go forward (not unreadable),
    /// as the batch rule `quota_exceeded` counts them.
    pub fn used(&self) -> usize {
        self.counts.read - self.counts.unreadable
    }

    pub fn over_quota(&self) -> bool {
        self.quota.is_some_and(|q| self.used() > q as usize)
    }
}

/// An issue code, how many forms carry it, and its commonest message as an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRow {
    pub code: String,
    pub forms: usize,
    pub example: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    pub counts: Summary,
    pub regions: Vec<RegionRow>,
    pub codes: Vec<CodeRow>,
}

/// The region a record is counted under: its quota row when the table knows it (so that
/// "包头" and "包头市" are one line), else the region as written.
pub fn region_key(r: &Record, quotas: Option<&Quotas>) -> (String, Option<u32>) {
    let written = region_of(r);
    match quotas.and_then(|q| q.find(&written)) {
        Some((row, quota)) => (row.to_string(), Some(quota)),
        None => (written, None),
    }
}

pub fn summarize_report(records: &[Record], quotas: Option<&Quotas>) -> ReportSummary {
    let mut regions: BTreeMap<String, RegionRow> = BTreeMap::new();
    // Regions of the quota table are listed even with no form: a region that sent nothing
    // is worth seeing too.
    for (region, quota) in quotas.into_iter().flat_map(|q| q.iter()) {
        regions.insert(region.to_string(), RegionRow { region: region.to_string(), quota: Some(quota), ..RegionRow::default() });
    }
    let mut codes: BTreeMap<&str, (usize, BTreeMap<&str, usize>)> = BTreeMap::new();
    for r in records {
        let (region, quota) = region_key(r, quotas);
        let row = regions.entry(region.clone()).or_insert_with(|| RegionRow { region, quota, ..RegionRow::default() });
        row.counts.add(r);
        let mut seen: Vec<&str> = Vec::new();
        for i in &r.issues {
            let entry = codes.entry(&i.code).or_default();
            if !seen.contains(&i.code.as_str()) {
                seen.push(&i.code);
                entry.0 += 1;
            }
            *entry.1.entry(&i.message).or_default() += 1;
        }
    }
    let mut codes: Vec<CodeRow> = codes
        .into_iter()
        .map(|(code, (forms, messages))| {
            let example = messages.iter().max_by_key(|(m, n)| (**n, std::cmp::Reverse(*m))).map(|(m, _)| m.to_string()).unwrap_or_default();
            CodeRow { code: code.to_string(), forms, example }
        })
        .collect();
    codes.sort_by(|a, b| b.forms.cmp(&a.forms).then_with(|| a.code.cmp(&b.code)));
    ReportSummary { counts: summarize(records), regions: regions.into_values().collect(), codes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Issue, Severity, Status};
    use crate::output::report::tests::record;

    #[test]
    fn counts_by_status_region_and_code() {
        let mut rs = vec![
            record("a.docx", "张三", "包头市", Status::Complete),
            record("b.docx", "李四", "包头", Status::Incomplete),
            record("c.docx", "王五", "赤峰市", Status::Complete),
            record("d.docx", "", "", Status::Unreadable),
        ];
        rs[1].issues.push(Issue::new("missing_field", Some("phone"), Severity::Return, "联系电话未填写"));
        rs[1].issues.push(Issue::new("missing_field", Some("title"), Severity::Return, "职称未填写"));
        rs[1].issues.push(Issue::new("low_confidence", Some("name"), Severity::Review, "姓名识别把握不大"));
        rs[2].issues.push(Issue::new("missing_field", Some("phone"), Severity::Return, "联系电话未填写"));
        rs[2].status = Status::Incomplete;
        rs[3].issues.push(Issue::new("unreadable_input", None, Severity::Return, "文件已损坏"));
        let q = Quotas::from_pairs([("包头市", 1), ("呼和浩特市", 3)]);

        let s = summarize_report(&rs, Some(&q));
        assert_eq!((s.counts.read, s.counts.complete, s.counts.to_return, s.counts.unreadable, s.counts.to_review), (4, 1, 2, 1, 1));
        let row = |name: &str| s.regions.iter().find(|r| r.region == name).unwrap().clone();
        let baotou = row("包头市");
        let c = baotou.counts;
        assert_eq!((c.read, c.complete, c.to_return, c.to_review, baotou.quota), (2, 1, 1, 1, Some(1)));
        assert!(baotou.over_quota());
        assert_eq!((row("呼和浩特市").counts.read, row("呼和浩特市").quota), (0, Some(3)));
        assert_eq!((row("赤峰市").counts.read, row("赤峰市").quota), (1, None));
        assert_eq!(row("（未填）").counts.unreadable, 1);
        assert!(!row("（未填）").over_quota());

        // Forms, not issues: b carries missing_field twice but counts once.
        assert_eq!(s.codes[0], CodeRow { code: "missing_field".into(), forms: 2, example: "联系电话未填写".into() });
        assert_eq!(s.codes.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(), ["missing_field", "low_confidence", "unreadable_input"]);

        let s = summarize_report(&rs, None);
        assert_eq!(s.regions.iter().map(|r| r.region.as_str()).collect::<Vec<_>>(), ["包头", "包头市", "赤峰市", "（未填）"]);
    }
}
