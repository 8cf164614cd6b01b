//! The approval boxes' marks on a scanned form: each level must have signed, stamped its red
//! seal and dated its opinion. What cannot be decided from the image goes to a person, never
//! to the unit: a wrong return costs a unit a trip, a wrong pass is caught by the reviewer.

use crate::record::{Issue, Mark, Record, Severity, SourceKind};

use super::rules::RuleContext;

/// Raises the marks' issues for scans. A Word file carries no ink at all; its boxes are not
/// judged here.
pub(crate) fn approval_marks(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    if !matches!(record.source.kind, SourceKind::Pdf | SourceKind::Image) {
        return;
    }
    let mut unverifiable = Vec::new();
    for f in ctx.spec.approvals() {
        let Some(a) = record.approvals.get(&f.id) else { continue };
        let name = f.label.as_str();
        let id = Some(f.id.as_str());
        match a.signature {
            Mark::Absent => out.push(Issue::new("missing_signature", id, Severity::Return, format!("{name}：负责人未签名"))),
            Mark::Uncertain => out.push(Issue::new("uncertain_signature", id, Severity::Review, format!("{name}：无法确定是否有负责人签名，请对照原件核对"))),
            _ => {}
        }
        match a.seal {
            Mark::Absent => out.push(Issue::new("missing_seal", id, Severity::Return, format!("{name}：未加盖公章"))),
            Mark::Uncertain => out.push(Issue::new("uncertain_seal", id, Severity::Review, format!("{name}：无法确定是否加盖公章，请对照原件核对"))),
            Mark::Unverifiable => unverifiable.push(name),
            Mark::Present => {}
        }
        let ink = a.evidence.as_ref().and_then(|e| e.date_ink);
        match (&a.date, ink) {
            (Some(_), _) => {}
            (None, Some(Mark::Present)) => out.push(Issue::new("unreadable_date", id, Severity::Review, format!("{name}：日期已填写但无法识别，请人工核对"))),
            (None, Some(Mark::Uncertain)) => out.push(Issue::new("uncertain_date", id, Severity::Review, format!("{name}：无法确定是否填写日期，请对照原件核对"))),
            (None, _) => out.push(Issue::new("missing_date", id, Severity::Return, format!("{name}：未填写日期"))),
        }
    }
    if !unverifiable.is_empty() {
        out.push(Issue::new(
            "seal_unverifiable",
            None,
            Severity::Review,
            format!("黑白复印件无法核验红色公章（{}），请提供彩色扫描件或原件", unverifiable.join("、")),
        ));
    }
}
