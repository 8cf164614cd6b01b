//! Outputs of a run, all written atomically into OUTDIR: records.jsonl, records.csv,
//! records.xlsx, returns.csv, the return notices under returns/, and report.html with
//! corrections.csv (`report`).

pub mod csv_out;
pub mod debug;
pub mod jsonl;
pub mod returns;
pub mod report;
pub mod xlsx;

use crate::record::{Mark, Record, Severity, Status};
use crate::spec::Spec;

/// One column of the tabular outputs (CSV, XLSX): its id (first header row), its Chinese
/// label (second header row) and how to read it off a record.
#[derive(Debug, Clone)]
pub struct Column {
    pub id: String,
    pub label: String,
    kind: ColumnKind,
}

#[derive(Debug, Clone)]
enum ColumnKind {
    File,
    Status,
    Field(String),
    Vote(String),
    Signature(String),
    Seal(String),
    Date(String),
    IssueCodes,
    Messages,
}

/// The columns in the form's order: file and status, every field, the votes, each approval
/// box's signature/seal/date, then the issues.
pub fn columns(spec: &Spec) -> Vec<Column> {
    let col = |id: String, label: String, kind| Column { id, label, kind };
    let mut out = vec![
        col("file".into(), "文件".into(), ColumnKind::File),
        col("status".into(), "状态".into(), ColumnKind::Status),
    ];
    for f in spec.value_fields() {
        let label = if f.id.starts_with("cover_") || f.id == "fill_date" { format!("封面{}", f.label) } else { f.label.clone() };
        match f.vote_key() {
            Some(key) => out.push(col(f.id.clone(), label, ColumnKind::Vote(key.to_string()))),
            None => out.push(col(f.id.clone(), label, ColumnKind::Field(f.id.clone()))),
        }
    }
    for b in spec.approvals() {
        out.push(col(format!("{}.signature", b.id), format!("{}·签名", b.label), ColumnKind::Signature(b.id.clone())));
        out.push(col(format!("{}.seal", b.id), format!("{}·公章", b.label), ColumnKind::Seal(b.id.clone())));
        out.push(col(format!("{}.date", b.id), format!("{}·日期", b.label), ColumnKind::Date(b.id.clone())));
    }
    out.push(col("issue_codes".into(), "问题代码".into(), ColumnKind::IssueCodes));
    out.push(col("issues".into(), "问题说明".into(), ColumnKind::Messages));
    out
}

pub fn status_zh(s: Status) -> &'static str {
    match s {
        Status::Complete => "完整",
        Status::Incomplete => "需退回",
        Status::Unreadable => "无法读取",
    }
}

pub fn mark_zh(m: Mark) -> &'static str {
    match m {
        Mark::Present => "有",
        Mark::Absent => "无",
        Mark::Uncertain => "待核",
        Mark::Unverifiable => "无法核验",
    }
}

pub fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Return => "退回",
        Severity::Review => "复核",
        Severity::Info => "提示",
    }
}

impl Column {
    /// The field id whose issues mark this column's cell (XLSX highlighting).
    pub fn field_id(&self) -> Option<&str> {
        match &self.kind {
            ColumnKind::Field(_) | ColumnKind::Vote(_) => Some(&self.id),
            ColumnKind::Signature(b) | ColumnKind::Seal(b) | ColumnKind::Date(b) => Some(b),
            _ => None,
        }
    }

    pub fn cell(&self, r: &Record) -> String {
        match &self.kind {
            ColumnKind::File => r.source.path.clone(),
            ColumnKind::Status => status_zh(r.status).to_string(),
            ColumnKind::Field(id) => r.value(id).unwrap_or("").to_string(),
            ColumnKind::Vote(key) => r.votes.get(key).map(|v| v.to_string()).unwrap_or_default(),
            ColumnKind::Signature(b) => r.approvals.get(b).map(|a| mark_zh(a.signature).to_string()).unwrap_or_default(),
            ColumnKind::Seal(b) => r.approvals.get(b).map(|a| mark_zh(a.seal).to_string()).unwrap_or_default(),
            ColumnKind::Date(b) => r.approvals.get(b).and_then(|a| a.date.clone()).unwrap_or_default(),
            ColumnKind::IssueCodes => r.issues.iter().map(|i| i.code.as_str()).collect::<Vec<_>>().join(" "),
            ColumnKind::Messages => r.issues.iter().map(|i| format!("[{}] {}", severity_zh(i.severity), i.message)).collect::<Vec<_>>().join("；"),
        }
    }
}

/// The unit a form comes from, for return lists: its employer as written on the form.
pub fn unit_of(r: &Record) -> String {
    r.value("cover_employer").or_else(|| r.value("employer")).unwrap_or("（未填单位）").to_string()
}

/// The candidate's name, as read.
pub fn name_of(r: &Record) -> String {
    r.value("name").or_else(|| r.value("cover_name")).unwrap_or("（未填姓名）").to_string()
}

/// Region/industry of a record, for summaries.
pub fn region_of(r: &Record) -> String {
    r.value("cover_region").unwrap_or("（未填）").to_string()
}

/// Counts for the end-of-run summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub read: usize,
    pub complete: usize,
    pub to_return: usize,
    pub to_review: usize,
    pub unreadable: usize,
}

/// Whether a record waits for a person (an unreadable file is counted as unreadable only).
pub fn awaits_review(r: &Record) -> bool {
    r.status != Status::Unreadable && r.needs_review()
}

impl Summary {
    /// Counts one more record.
    pub fn add(&mut self, r: &Record) {
        self.read += 1;
        match r.status {
            Status::Complete => self.complete += 1,
            Status::Incomplete => self.to_return += 1,
            Status::Unreadable => self.unreadable += 1,
        }
        if awaits_review(r) {
            self.to_review += 1;
        }
    }
}

pub fn summarize(records: &[Record]) -> Summary {
    let mut s = Summary::default();
    for r in records {
        s.add(r);
    }
    s
}

/// Writes every output of a run into `outdir`.
/// `quota_of` gives a region's quota, when a quota table was given.
pub fn write_all(outdir: &std::path::Path, spec: &Spec, records: &[Record], quota_of: &dyn Fn(&str) -> Option<u32>) -> std::io::Result<()> {
    jsonl::write(&outdir.join("records.jsonl"), records)?;
    csv_out::write_records(&outdir.join("records.csv"), spec, records)?;
    csv_out::write_returns(&outdir.join("returns.csv"), records)?;
    xlsx::write(&outdir.join("records.xlsx"), spec, records, quota_of)?;
    Ok(())
}
