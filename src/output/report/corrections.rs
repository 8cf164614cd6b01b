//! corrections.csv: one row per `review` issue, pre-filled with what the machine read, for a
//! reviewer to overwrite after looking at the original. Its columns are a contract with the
//! reader of corrections (`file,target,value,note`): `target` is a field id, `votes.<key>` or
//! `approvals.<box>.signature|seal|date`.

use crate::record::{Issue, Mark, Record, Severity};
use crate::spec::{Kind, Spec};

pub const HEADER: [&str; 4] = ["file", "target", "value", "note"];

/// What an issue asks a reviewer to correct. An issue on an approval box names the box;
/// which of its three marks is meant follows from the code (`missing_seal`, …).
pub fn target(issue: &Issue, spec: &Spec) -> String {
    let Some(field) = issue.field.as_deref() else { return String::new() };
    if spec.field(field).is_some_and(|f| f.kind == Kind::Approval) {
        let part = ["signature", "seal", "date"].into_iter().find(|p| issue.code.contains(p));
        return match part {
            Some(p) => format!("approvals.{field}.{p}"),
            None => format!("approvals.{field}"),
        };
    }
    field.to_string()
}

/// A mark as the record writes it (`present`, `unverifiable`).
pub fn mark_value(m: Mark) -> String {
    serde_json::to_value(m).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The record's current value for a target, in the record's own terms (`present`, `2023-04`).
pub fn current_value(r: &Record, target: &str) -> String {
    if let Some(key) = target.strip_prefix("votes.") {
        return r.votes.get(key).map(|v| v.to_string()).unwrap_or_default();
    }
    if let Some(rest) = target.strip_prefix("approvals.") {
        let (b, part) = rest.split_once('.').unwrap_or((rest, ""));
        let Some(a) = r.approvals.get(b) else { return String::new() };
        return match part {
            "signature" => mark_value(a.signature),
            "seal" => mark_value(a.seal),
            "date" => a.date.clone().unwrap_or_default(),
            _ => String::new(),
        };
    }
    r.value(target).unwrap_or_default().to_string()
}

/// The rows (header first). Values are written in full: the file is for the reviewer on this
/// machine, and a masked value could not be corrected.
pub fn rows(records: &[Record], spec: &Spec) -> Vec<Vec<String>> {
    let mut rows = vec![HEADER.iter().map(|s| s.to_string()).collect()];
    for r in records {
        for i in r.issues.iter().filter(|i| i.severity == Severity::Review) {
            let t = target(i, spec);
            rows.push(vec![r.source.path.clone(), t.clone(), current_value(r, &t), i.message.clone()]);
        }
    }
    rows
}

pub fn csv_bytes(records: &[Record], spec: &Spec) -> std::io::Result<Vec<u8>> {
    crate::output::csv_out::to_bytes(rows(records, spec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::report::tests::record;
    use crate::record::{Approval, Status};

    #[test]
    fn one_row_per_review_issue_with_the_current_value() {
        let spec = Spec::builtin();
        let mut r = record("in/1.pdf", "张三", "包头市", Status::Complete);
        r.fields.get_mut("phone").unwrap().value = Some("18112348804".into());
        r.votes.attended = Some(126);
        r.approvals.insert("unit_union".into(), Approval::new(Mark::Uncertain, Mark::Unverifiable, Some("2023-04".into())));
        r.issues = vec![
            Issue::new("invalid_phone", Some("phone"), Severity::Review, "联系电话“18112348804”不是有效的手机号码"),
            Issue::new("missing_field", Some("title"), Severity::Return, "职称未填写"),
            Issue::new("invalid_vote", Some("votes.attended"), Severity::Review, "出席人数不清"),
            Issue::new("uncertain_seal", Some("unit_union"), Severity::Review, "=所在单位工会意见公章无法核验"),
            Issue::new("uncertain_signature", Some("unit_union"), Severity::Review, "签名待核"),
            Issue::new("missing_date", Some("unit_union"), Severity::Review, "日期不全"),
            Issue::new("other", None, Severity::Review, "其他"),
        ];
        let rows = rows(std::slice::from_ref(&r), &spec);
        let want: Vec<Vec<&str>> = vec![
            vec!["file", "target", "value", "note"],
            vec!["in/1.pdf", "phone", "18112348804", "联系电话“18112348804”不是有效的手机号码"],
            vec!["in/1.pdf", "votes.attended", "126", "出席人数不清"],
            vec!["in/1.pdf", "approvals.unit_union.seal", "unverifiable", "=所在单位工会意见公章无法核验"],
            vec!["in/1.pdf", "approvals.unit_union.signature", "uncertain", "签名待核"],
            vec!["in/1.pdf", "approvals.unit_union.date", "2023-04", "日期不全"],
            vec!["in/1.pdf", "", "", "其他"],
        ];
        assert_eq!(rows, want);

        let text = String::from_utf8(csv_bytes(&[r], &spec).unwrap()).unwrap();
        assert!(text.starts_with("\u{feff}file,target,value,note\n"), "{text}");
        assert!(text.contains(",'=所在单位工会意见公章无法核验"), "formula neutralised: {text}");
    }
}
