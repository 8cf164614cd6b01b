//! A route's Reading → a record: each raw value normalised by its field's kind, the vote
//! counts parsed, the approval dates normalised. Rules run afterwards, on the record.

use indexmap::IndexMap;

use crate::reading::Reading;
use crate::record::{Approval, FieldValue, Issue, Record, Severity, Source, SourceKind, Status, Votes, SCHEMA};
use crate::spec::{Kind, Part, Spec};

use super::normalize::{normalize, normalize_date_prefix, parse_count};

/// Which part of the form a field is read from (the sentence's blanks are in the table).
fn part_of(f: &crate::spec::Field) -> Part {
    match f.part() {
        Part::Sentence => Part::Table,
        p => p,
    }
}

pub fn to_record(spec: &Spec, reading: &Reading, source: Source) -> Record {
    let mut fields = IndexMap::new();
    let mut votes = Votes::default();
    let mut issues = Vec::new();
    // On a scan, what OCR could not find or read is for a person to check, not a reason to
    // send the form back: the unit wrote something, the machine missed it. A field whose whole
    // part (cover, table) was found nowhere is missing, though: a page was not sent.
    let scan = matches!(source.kind, SourceKind::Pdf | SourceKind::Image);
    let found_parts: Vec<Part> = spec.value_fields().filter(|f| reading.values.contains_key(&f.id)).map(part_of).collect();
    for f in spec.value_fields() {
        let raw = reading.values.get(&f.id);
        if scan && raw.is_none() && f.required && found_parts.contains(&part_of(f)) {
            issues.push(Issue::new("unlocated_field", Some(&f.id), Severity::Review, format!("{}未能在扫描件上找到，请对照原件核对", f.label)));
        }
        if f.kind == Kind::Vote {
            let key = f.vote_key().unwrap_or_default();
            let text = raw.map(|r| r.text.trim()).unwrap_or("");
            let count = parse_count(text);
            if count.is_none() && !text.is_empty() {
                issues.push(if scan {
                    Issue::new("unreadable_vote", Some(&f.id), Severity::Review, format!("{}识别为“{text}”，无法确定数字，请对照原件核对", f.label))
                } else {
                    Issue::new("invalid_vote", Some(&f.id), Severity::Return, format!("{}“{text}”不是人数或届次", f.label))
                });
            }
            votes.set(key, count);
            continue;
        }
        let value = match raw {
            Some(r) => {
                let n = normalize(f, &r.text);
                issues.extend(n.issue);
                FieldValue { value: n.value, raw: Some(r.text.clone()), confidence: r.confidence, page: r.page, bbox: r.bbox, ..FieldValue::default() }
            }
            None => FieldValue::default(),
        };
        fields.insert(f.id.clone(), value);
    }
    let mut approvals = IndexMap::new();
    for f in spec.approvals() {
        let a = reading.approvals.get(&f.id).cloned().unwrap_or_default();
        let date = a.date.as_ref().and_then(|d| normalize_date_prefix(&d.text)).filter(|d| !scan || in_selection_years(spec, d));
        approvals.insert(f.id.clone(), Approval { evidence: a.evidence.clone(), ..Approval::new(a.signature, a.seal, date) });
    }
    Record { schema: SCHEMA, source, status: Status::Complete, fields, votes, approvals, issues, corrections: Vec::new(), audit: None }
}

/// Whether a date falls in the years of the selection (from its notice to its deadline). On
/// a scan, a box's date outside them is a handwritten digit misread (the 3 of 2023 as 4, 5 or
/// 9), not a date: it is dropped, and the box goes to review as a date written but unread.
fn in_selection_years(spec: &Spec, date: &str) -> bool {
    let year = |s: &str| s.get(..4).and_then(|y| y.parse::<u32>().ok());
    match (year(date), year(&spec.form.notice_date), year(&spec.form.deadline)) {
        (Some(y), Some(from), Some(to)) => (from..=to).contains(&y),
        _ => true,
    }
}

/// The record of a file that could not be read as the form: every field present and null,
/// one `unreadable_input` issue saying why.
pub fn unreadable_record(spec: &Spec, source: Source, chinese: String, english: String) -> Record {
    let mut record = to_record(spec, &Reading::default(), source);
    record.status = Status::Unreadable;
    let mut issue = Issue::new("unreadable_input", None, Severity::Return, chinese);
    issue.detail = Some(english);
    record.issues = vec![issue];
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reading::RawValue;
    use crate::record::Mark;

    fn source(kind: SourceKind) -> Source {
        Source { path: "x".into(), sha256: String::new(), kind, pages: 3 }
    }

    #[test]
    fn on_scans_what_ocr_missed_goes_to_review_and_a_missing_page_to_the_unit() {
        let spec = Spec::builtin();
        let mut reading = Reading::default();
        reading.values.insert("name".into(), RawValue::typed("张三"));
        reading.values.insert("votes.attended".into(), RawValue::typed("丸"));
        let scan = to_record(&spec, &reading, source(SourceKind::Image));
        let code = |r: &Record, id: &str| r.issues.iter().find(|i| i.field.as_deref() == Some(id)).map(|i| (i.code.clone(), i.severity));
        assert_eq!(code(&scan, "phone"), Some(("unlocated_field".into(), Severity::Review)));
        assert_eq!(code(&scan, "votes.attended"), Some(("unreadable_vote".into(), Severity::Review)));
        // Nothing of the cover was found: its page is missing, its fields are the rules' to report.
        assert_eq!(code(&scan, "cover_name"), None);
        let word = to_record(&spec, &reading, source(SourceKind::Docx));
        assert_eq!(code(&word, "phone"), None);
        assert_eq!(code(&word, "votes.attended"), Some(("invalid_vote".into(), Severity::Return)));
    }

    #[test]
    fn a_box_date_keeps_its_year_alone_and_a_scan_drops_a_year_outside_the_selection() {
        let spec = Spec::builtin();
        let dated = |texts: [&str; 3], kind: SourceKind| {
            let mut reading = Reading::default();
            for (f, t) in spec.approvals().zip(texts) {
                let date = Some(RawValue::typed(t));
                reading.approvals.insert(f.id.clone(), crate::reading::ApprovalReading { signature: Mark::Present, seal: Mark::Present, date, evidence: None });
            }
            let r = to_record(&spec, &reading, source(kind));
            r.approvals.values().take(3).map(|a| a.date.clone()).collect::<Vec<_>>()
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(dated(["2023年", "2023年4月", "2024年4月18日"], SourceKind::Image), vec![some("2023"), some("2023-04"), None]);
        // Typed in a Word file, a date is what the unit wrote: the rules judge it, not the reader.
        assert_eq!(dated(["2023年", "2023年4月", "2024年4月18日"], SourceKind::Docx)[2], some("2024-04-18"));
    }
}
