//! Reviewer corrections (`--corrections FILE`): values a person read off the paper, which
//! replace the machine's before the rules run.
//!
//! The file is CSV, UTF-8 (a BOM is fine), with the header `file,target,value,note`. `file` is
//! a record's `source.path` or its file name; `target` is a field id, `votes.<key>`, or
//! `approvals.<box>.signature|seal|date`; an empty `value` means blank. The report page writes
//! pre-filled copies of this file, so its shape is fixed.
//!
//! A correction is applied to the route's reading, not to the record: the value then goes
//! through the same normaliser as the machine's, and the machine's own complaints about the
//! replaced value (an unreadable date …) go with it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::audit::sha256_hex;
use crate::error::ConfigError;
use crate::reading::{RawValue, Reading};
use crate::record::{Correction, Issue, Mark, Record, Severity, ValueSource};
use crate::spec::{Kind, Spec};

use super::assemble::to_record;
use super::normalize::{normalize, normalize_date, parse_count};

const HEADER: [&str; 4] = ["file", "target", "value", "note"];

/// What a row sets, checked against the spec when the file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Setting {
    /// A field or a vote blank (the reading holds votes under `votes.<key>` too).
    Value { id: String, text: String },
    Signature { box_id: String, mark: Mark },
    Seal { box_id: String, mark: Mark },
    /// The date written in a box, as typed (normalised when applied).
    Date { box_id: String, text: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub file: String,
    pub target: String,
    pub setting: Setting,
    pub note: String,
}

/// A checked corrections file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrections {
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, for the audit.
    pub sha256: String,
    pub rows: Vec<Row>,
}

/// A mark as reviewers write it: the record's name or the Chinese of the tables.
fn parse_mark(s: &str) -> Option<Mark> {
    let s = s.trim().to_ascii_lowercase();
    Mark::ALL.into_iter().find(|m| s == m.name() || s == crate::output::mark_zh(*m))
}

/// The setting a target and value make, or why they make none.
fn setting(spec: &Spec, target: &str, value: &str) -> Result<Setting, String> {
    if let Some(rest) = target.strip_prefix("approvals.") {
        let (box_id, part) = rest.rsplit_once('.').ok_or_else(|| format!("`{target}`: expected approvals.<box>.signature|seal|date"))?;
        if !spec.field(box_id).is_some_and(|f| f.kind == Kind::Approval) {
            let boxes: Vec<&str> = spec.approvals().map(|f| f.id.as_str()).collect();
            return Err(format!("`{target}`: no approval box `{box_id}` (boxes: {})", boxes.join(", ")));
        }
        let box_id = box_id.to_string();
        let mark = || parse_mark(value).ok_or_else(|| format!("`{value}` is not a mark for {target} (present, absent, uncertain, unverifiable, 有, 无)"));
        return match part {
            "signature" => match mark()? {
                Mark::Unverifiable => Err(format!("{target}: a signature is present, absent or uncertain, not unverifiable")),
                mark => Ok(Setting::Signature { box_id, mark }),
            },
            "seal" => Ok(Setting::Seal { box_id, mark: mark()? }),
            "date" if value.trim().is_empty() || normalize_date(value).is_some() => Ok(Setting::Date { box_id, text: value.to_string() }),
            "date" => Err(format!("`{value}` is not a date for {target} (2023-05-10 or 2023年5月10日)")),
            _ => Err(format!("`{target}`: expected approvals.<box>.signature|seal|date")),
        };
    }
    let field = spec
        .field(target)
        .filter(|f| f.kind != Kind::Approval)
        .ok_or_else(|| format!("`{target}` is not a field id, votes.<key> or approvals.<box>.signature|seal|date"))?;
    if field.kind == Kind::Vote && !value.trim().is_empty() && parse_count(value).is_none() {
        return Err(format!("`{value}` is not a count for {target}"));
    }
    // A value the normaliser would send back to the unit is a typing slip of the reviewer's.
    if let Some(issue) = normalize(field, value).issue.filter(|i| i.severity == Severity::Return) {
        return Err(format!("{target}: {}", issue.message));
    }
    Ok(Setting::Value { id: field.id.clone(), text: value.to_string() })
}

impl Corrections {
    /// Reads and checks the whole file; every problem names its line.
    pub fn load(path: &Path, spec: &Spec) -> Result<Corrections, ConfigError> {
        let invalid = |line: usize, message: String| ConfigError::Invalid { path: path.to_path_buf(), line, message };
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
        let text = std::str::from_utf8(&bytes).map_err(|_| invalid(0, "the corrections file is not UTF-8 (save it as \"CSV UTF-8\")".into()))?;
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
        let mut rows = Vec::new();
        let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (n, record) in reader.records().enumerate() {
            let record = record.map_err(|e| invalid(e.position().map_or(0, |p| p.line() as usize), e.to_string()))?;
            let line = record.position().map_or(n + 1, |p| p.line() as usize);
            let cells: Vec<&str> = record.iter().collect();
            if n == 0 {
                if cells.iter().map(|c| c.trim()).ne(HEADER) {
                    return Err(invalid(line, format!("the header must be `{}`, found `{}`", HEADER.join(","), cells.join(","))));
                }
                continue;
            }
            let used = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1);
            if used == 0 {
                continue;
            }
            if used > HEADER.len() {
                return Err(invalid(line, format!("{used} columns, expected at most 4 ({})", HEADER.join(","))));
            }
            let cell = |i: usize| cells.get(i).copied().unwrap_or("");
            let (file, target) = (cell(0).trim(), cell(1).trim());
            if file.is_empty() || target.is_empty() {
                return Err(invalid(line, "`file` and `target` must both be given".into()));
            }
            let setting = setting(spec, target, cell(2)).map_err(|m| invalid(line, m))?;
            if let Some(first) = seen.insert((file.to_string(), target.to_string()), line) {
                return Err(invalid(line, format!("{file} {target} is already corrected on line {first}")));
            }
            rows.push(Row { line, file: file.to_string(), target: target.to_string(), setting, note: cell(3).trim().to_string() });
        }
        Ok(Corrections { path: path.to_path_buf(), sha256: sha256_hex(&bytes), rows })
    }

    /// Checks that every row names exactly one of the inputs (given as records will name them).
    pub fn check_inputs(&self, inputs: &[String]) -> Result<(), ConfigError> {
        for row in &self.rows {
            let hits = inputs.iter().filter(|p| names(&row.file, p)).count();
            let problem = match hits {
                1 => continue,
                0 => format!("`{}` is not among the inputs of this run", row.file),
                n => format!("`{}` names {n} inputs; give its path as in records.jsonl", row.file),
            };
            return Err(ConfigError::Invalid { path: self.path.clone(), line: row.line, message: problem });
        }
        Ok(())
    }

    /// The rows for the input `path`, in file order.
    pub fn for_input(&self, path: &str) -> Vec<&Row> {
        self.rows.iter().filter(|r| names(&r.file, path)).collect()
    }
}

/// Whether a row's `file` names the input at `path`: the whole path, or its file name.
fn names(file: &str, path: &str) -> bool {
    let (f, p) = (Path::new(file), Path::new(path));
    f == p || (f.components().count() == 1 && p.file_name() == Some(f.as_os_str()))
}

/// The record from `reading` with the rows applied, annotated with what the machine had read
/// (`machine`, the record made from the uncorrected reading). Rules have not run on either.
pub fn apply(spec: &Spec, reading: &Reading, machine: &Record, rows: &[&Row]) -> Record {
    let mut corrected = reading.clone();
    for row in rows {
        match &row.setting {
            Setting::Value { id, text } => {
                corrected.values.insert(id.clone(), RawValue::typed(text.as_str()));
            }
            Setting::Signature { box_id, mark } => corrected.approvals.entry(box_id.clone()).or_default().signature = *mark,
            Setting::Seal { box_id, mark } => corrected.approvals.entry(box_id.clone()).or_default().seal = *mark,
            Setting::Date { box_id, text } => {
                corrected.approvals.entry(box_id.clone()).or_default().date = Some(RawValue::typed(text.as_str())).filter(|_| !text.trim().is_empty());
            }
        }
    }
    let mut record = to_record(spec, &corrected, machine.source.clone());
    let mut labels = Vec::new();
    for row in rows {
        if let (Some(value), Some(old)) = (record.fields.get_mut(&row.target), machine.fields.get(&row.target)) {
            value.source = Some(ValueSource::Reviewer);
            // The spot on the page is still where the value is written.
            (value.page, value.bbox) = (old.page, old.bbox);
            value.machine = Some(Box::new(old.clone()));
        }
        record.corrections.push(Correction {
            target: row.target.clone(),
            value: current(&record, &row.target),
            machine: current(machine, &row.target),
            note: Some(row.note.clone()).filter(|n| !n.is_empty()),
        });
        labels.push(label(spec, &row.target));
    }
    if !labels.is_empty() {
        let mut issue = Issue::new("corrected", None, Severity::Info, format!("审核人员更正了：{}", labels.join("、")));
        issue.detail = Some(format!("set by a reviewer: {}", rows.iter().map(|r| r.target.as_str()).collect::<Vec<_>>().join(", ")));
        record.issues.push(issue);
    }
    record
}

/// A target's value in a record, in the record's own spelling.
fn current(record: &Record, target: &str) -> Option<String> {
    if let Some(key) = target.strip_prefix("votes.") {
        return record.votes.get(key).map(|n| n.to_string());
    }
    if let Some((box_id, part)) = target.strip_prefix("approvals.").and_then(|r| r.rsplit_once('.')) {
        let a = record.approvals.get(box_id)?;
        return match part {
            "signature" => Some(a.signature.name().to_string()),
            "seal" => Some(a.seal.name().to_string()),
            _ => a.date.clone(),
        };
    }
    record.value(target).map(str::to_string)
}

/// The Chinese name of a target, for staff.
fn label(spec: &Spec, target: &str) -> String {
    let field_label = |id: &str| spec.field(id).map_or(id.to_string(), |f| f.label.clone());
    match target.strip_prefix("approvals.").and_then(|r| r.rsplit_once('.')) {
        Some((box_id, part)) => {
            let part = match part {
                "signature" => "签名",
                "seal" => "公章",
                _ => "日期",
            };
            format!("{}{part}", field_label(box_id))
        }
        None => field_label(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Corrections, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.csv");
        std::fs::write(&path, text).unwrap();
        Corrections::load(&path, &Spec::builtin()).map_err(|e| e.to_string())
    }

    #[test]
    fn every_kind_of_target_is_read() {
        let c = load("\u{FEFF}file,target,value,note\nin/a.docx,name,张 三,\na.docx,votes.attended,一百二十,对照原件\nb.pdf,approvals.unit_union.seal,有,\nb.pdf,approvals.unit_union.signature,Uncertain,\nb.pdf,approvals.unit_union.date,2023年5月6日,\nb.pdf,phone,,空白\n\n").unwrap();
        let s: Vec<&Setting> = c.rows.iter().map(|r| &r.setting).collect();
        assert_eq!(s[0], &Setting::Value { id: "name".into(), text: "张 三".into() });
        assert_eq!(s[2], &Setting::Seal { box_id: "unit_union".into(), mark: Mark::Present });
        assert_eq!(s[3], &Setting::Signature { box_id: "unit_union".into(), mark: Mark::Uncertain });
        assert_eq!(c.rows[1].note, "对照原件");
        assert_eq!((c.rows.len(), c.rows[5].line), (6, 7));
        assert_eq!(c.sha256.len(), 64);
    }

    #[test]
    fn bad_rows_name_their_line() {
        for (text, line, words) in [
            ("file,target,value,note\na.docx,nmae,张三,\n", 2, "nmae"),
            ("file,target,value,note\na.docx,name,张三,\na.docx,approvals.unit_union.seal,maybe,\n", 3, "maybe"),
            ("file,target,value,note\na.docx,approvals.nowhere.seal,有,\n", 2, "nowhere"),
            ("file,target,value,note\na.docx,approvals.unit_union.signature,unverifiable,\n", 2, "signature"),
            ("file,target,value,note\na.docx,votes.attended,很多,\n", 2, "count"),
            ("file,target,value,note\na.docx,birth_month,1985年13月,\n", 2, "birth_month"),
            ("file,target,value,note\na.docx,approvals.unit_union.date,昨天,\n", 2, "date"),
            ("file,target,value,note\na.docx,name,甲,\na.docx,name,乙,\n", 3, "line 2"),
            ("file,target,value\na.docx,name,甲\n", 1, "header"),
            ("file,target,value,note\n,name,甲,\n", 2, "file"),
        ] {
            let e = load(text).unwrap_err();
            assert!(e.contains(&format!("c.csv:{line}:")) && e.contains(words), "{text}: {e}");
        }
    }

    #[test]
    fn rows_must_name_one_input() {
        let c = load("file,target,value,note\na.docx,name,甲,\nin/x/b.pdf,name,乙,\n").unwrap();
        let inputs = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(c.check_inputs(&inputs(&["in/a.docx", "in/x/b.pdf"])).is_ok());
        let e = c.check_inputs(&inputs(&["in/a.docx"])).unwrap_err().to_string();
        assert!(e.contains("c.csv:3") && e.contains("not among"), "{e}");
        let e = c.check_inputs(&inputs(&["in/a.docx", "old/a.docx", "in/x/b.pdf"])).unwrap_err().to_string();
        assert!(e.contains("c.csv:2") && e.contains("2 inputs"), "{e}");
        assert_eq!(c.for_input("in/x/b.pdf").len(), 1);
        assert!(c.for_input("x/b.pdf").is_empty());
    }

    #[test]
    fn applied_values_are_normalised_and_the_machine_kept() {
        let spec = Spec::builtin();
        let mut reading = Reading::default();
        reading.values.insert("birth_month".into(), RawValue::typed("1985年13月"));
        reading.values.insert("votes.attended".into(), RawValue::typed("12O"));
        let source = crate::record::Source { path: "in/a.docx".into(), sha256: String::new(), kind: crate::record::SourceKind::Docx, pages: 0 };
        let machine = to_record(&spec, &reading, source);
        assert_eq!(machine.issues.len(), 2, "{:?}", machine.issues);
        let c = load("file,target,value,note\na.docx,birth_month,1985.6,\na.docx,votes.attended,120,\na.docx,approvals.unit_union.seal,present,\n").unwrap();
        let r = apply(&spec, &reading, &machine, &c.for_input("in/a.docx"));
        let f = &r.fields["birth_month"];
        assert_eq!((f.value.as_deref(), f.source), (Some("1985-06"), Some(ValueSource::Reviewer)));
        assert_eq!(f.machine.as_ref().unwrap().raw.as_deref(), Some("1985年13月"));
        assert_eq!(r.votes.attended, Some(120));
        assert_eq!(r.approvals["unit_union"].seal, Mark::Present);
        let codes: Vec<&str> = r.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["corrected"], "the machine's complaints went with its values");
        assert_eq!(r.corrections[1], Correction { target: "votes.attended".into(), value: Some("120".into()), machine: None, note: None });
        assert_eq!(r.corrections[2].machine.as_deref(), Some("absent"));
        assert!(r.issues[0].message.contains("出生年月"), "{}", r.issues[0].message);
    }
}
