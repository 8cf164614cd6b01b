//! A route's Reading → a record: each raw value normalised by its field's kind, the vote
//! counts parsed, the approval dates normalised. Rules run afterwards, on the record.

use indexmap::IndexMap;

use crate::reading::Reading;
use crate::record::{Approval, FieldValue, Issue, Record, Severity, Source, Status, Votes, SCHEMA};
use crate::spec::{Kind, Spec};

use super::normalize::{normalize, normalize_date, parse_count};

pub fn to_record(spec: &Spec, reading: &Reading, source: Source) -> Record {
    let mut fields = IndexMap::new();
    let mut votes = Votes::default();
    let mut issues = Vec::new();
    for f in spec.value_fields() {
        let raw = reading.values.get(&f.id);
        if f.kind == Kind::Vote {
            let key = f.vote_key().unwrap_or_default();
            let text = raw.map(|r| r.text.trim()).unwrap_or("");
            let count = parse_count(text);
            if count.is_none() && !text.is_empty() {
                issues.push(Issue::new("invalid_vote", Some(&f.id), Severity::Return, format!("{}“{text}”不是人数或届次", f.label)));
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
        let date = a.date.as_ref().and_then(|d| normalize_date(&d.text));
        approvals.insert(f.id.clone(), Approval { evidence: a.evidence.clone(), ..Approval::new(a.signature, a.seal, date) });
    }
    Record { schema: SCHEMA, source, status: Status::Complete, fields, votes, approvals, issues, corrections: Vec::new(), audit: None }
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
