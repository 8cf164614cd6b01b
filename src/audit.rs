//! The audit trail of a record: what went into it (the input's digest, formscan's and
//! Tesseract's versions, the traineddata, the config, the corrections) and what each rule found,
//! so that a decision on a form can be traced and reproduced later.
//!
//! Facts about the run are gathered once, after the batch rules, and stamped on every record.

use std::ops::Range;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fields::rules::BatchOutcome;
use crate::record::{Issue, Record, SourceKind, Status};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Audit {
    /// The input's SHA-256, as in `source.sha256`, repeated so that the audit stands alone.
    pub input_sha256: String,
    /// formscan's version, and the git commit when the build was given one.
    pub formscan: String,
    pub ocr: OcrFacts,
    /// SHA-256 of the effective rules config (see `Config::sha256`).
    pub config_sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrections_sha256: Option<String>,
    /// Each rule that looked at the record, in the order they ran: `passed`, `not_run`, or the
    /// issues it raised as `code` or `code:field`.
    pub rules: IndexMap<String, RuleResult>,
}

/// The OCR that read the record. A Word file is not OCR'd: `used` is false and nothing else
/// is said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OcrFacts {
    pub used: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tesseract: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traineddata: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traineddata_sha256: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RuleResult {
    Outcome(Outcome),
    Raised(Vec<String>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    /// The rule needs something the run was not given (a quota table).
    NotRun,
}

impl RuleResult {
    pub fn of(issues: &[Issue]) -> RuleResult {
        if issues.is_empty() {
            return RuleResult::Outcome(Outcome::Passed);
        }
        RuleResult::Raised(
            issues
                .iter()
                .map(|i| match &i.field {
                    Some(f) => format!("{}:{f}", i.code),
                    None => i.code.clone(),
                })
                .collect(),
        )
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// formscan's version; `FORMSCAN_GIT_COMMIT` set when building adds the commit (no build
/// script: a build from a tarball has no git to ask).
pub fn formscan_version() -> String {
    match option_env!("FORMSCAN_GIT_COMMIT") {
        Some(c) if !c.is_empty() => format!("{} ({c})", crate::VERSION),
        _ => crate::VERSION.to_string(),
    }
}

/// The linked Tesseract and the traineddata it loads, with the data's digest.
pub fn ocr_facts() -> OcrFacts {
    let lang = crate::ocr::OCR_LANG;
    let file = crate::ocr::find_tessdata(lang).found.map(|d| d.join(format!("{lang}.traineddata")));
    let digest = file.as_ref().and_then(|f| std::fs::read(f).ok()).map(|b| sha256_hex(&b));
    OcrFacts {
        used: true,
        tesseract: Some(crate::ocr::tesseract_version()),
        traineddata: file.map(|f| f.display().to_string()),
        traineddata_sha256: digest,
    }
}

/// Facts shared by every record of a run.
#[derive(Debug, Clone)]
pub struct RunFacts {
    pub formscan: String,
    pub config_sha256: String,
    pub corrections_sha256: Option<String>,
}

fn read_by_ocr(r: &Record) -> bool {
    matches!(r.source.kind, SourceKind::Pdf | SourceKind::Image)
}

/// A record's audit as the per-record rules leave it; `stamp` completes it.
pub fn for_record(record: &Record, rules: IndexMap<String, RuleResult>) -> Audit {
    Audit { input_sha256: record.source.sha256.clone(), rules, ..Audit::default() }
}

/// Completes every record's audit with the run's facts and the batch rules' results. The OCR
/// facts (which hash the traineddata) are gathered once, and only when a scan was read.
pub fn stamp(records: &mut [Record], run: &RunFacts, batch: &[BatchOutcome]) {
    let ocr = records.iter().any(read_by_ocr).then(ocr_facts);
    for (n, r) in records.iter_mut().enumerate() {
        let ocr = match (&ocr, read_by_ocr(r)) {
            (Some(facts), true) => facts.clone(),
            _ => OcrFacts::default(),
        };
        let readable = r.status != Status::Unreadable;
        let mut audit = r.audit.take().unwrap_or_else(|| for_record(r, IndexMap::new()));
        if readable {
            for (name, added) in batch {
                audit.rules.insert(name.to_string(), batch_result(r, added.as_deref().and_then(|a| a.get(n))));
            }
        }
        r.audit = Some(Audit {
            formscan: run.formscan.clone(),
            ocr,
            config_sha256: run.config_sha256.clone(),
            corrections_sha256: run.corrections_sha256.clone(),
            ..audit
        });
    }
}

fn batch_result(r: &Record, added: Option<&Range<usize>>) -> RuleResult {
    match added {
        Some(range) => RuleResult::of(r.issues.get(range.clone()).unwrap_or_default()),
        None => RuleResult::Outcome(Outcome::NotRun),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Severity;

    #[test]
    fn results_name_codes_and_fields() {
        assert_eq!(serde_json::to_string(&RuleResult::of(&[])).unwrap(), "\"passed\"");
        let raised = RuleResult::of(&[Issue::new("missing_field", Some("phone"), Severity::Return, "x"), Issue::new("late", None, Severity::Review, "y")]);
        assert_eq!(serde_json::to_string(&raised).unwrap(), r#"["missing_field:phone","late"]"#);
        assert_eq!(serde_json::to_string(&RuleResult::Outcome(Outcome::NotRun)).unwrap(), "\"not_run\"");
    }

    #[test]
    fn ocr_facts_name_the_data_and_hash_it() {
        let facts = ocr_facts();
        assert!(facts.used && facts.tesseract.is_some());
        if let Some(path) = &facts.traineddata {
            assert_eq!(facts.traineddata_sha256, Some(sha256_hex(&std::fs::read(path).unwrap())));
        }
    }
}
