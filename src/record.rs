//! The record every route emits: ../shared/record-contract.md, as Rust types.
//!
//! Field and approval maps keep the spec's order (IndexMap), so JSON lines and CSV columns
//! read in the order of the form.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Bumped only when a field is renamed or removed.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: u32,
    pub source: Source,
    pub status: Status,
    pub fields: IndexMap<String, FieldValue>,
    pub votes: Votes,
    pub approvals: IndexMap<String, Approval>,
    pub issues: Vec<Issue>,
    /// What reviewers set (`--corrections`), each with the machine's value it replaced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// How the record was made: input digest, versions, config and rule results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<crate::audit::Audit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The input's path as given on the command line (joined with the walked folder).
    pub path: String,
    pub sha256: String,
    pub kind: SourceKind,
    /// Pages (images, PDFs); a .docx has none until rendered, so 0.
    pub pages: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Docx,
    Pdf,
    Image,
    /// Not a format formscan reads (or not recognisable at all).
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// No issue of severity `return`.
    Complete,
    /// At least one issue of severity `return`: the form goes back to its unit.
    Incomplete,
    /// The file could not be read as this form; `issues` says why.
    Unreadable,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct FieldValue {
    /// The normalised value; None when blank (or unreadable).
    pub value: Option<String>,
    /// The text as read, before normalising.
    pub raw: Option<String>,
    /// 0–1; 1.0 for text taken from a .docx.
    pub confidence: f32,
    /// Scans: the page (1-based) and the box `[x, y, w, h]` in that page's pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[u32; 4]>,
    /// Who set the value when it was not the machine (`reviewer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ValueSource>,
    /// The machine's reading, kept when a reviewer replaced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Box<FieldValue>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// Set by a person from a corrections file.
    Reviewer,
}

/// One reviewer correction as applied: the target (`name`, `votes.attended`,
/// `approvals.unit_union.seal`), the value set and the machine's value it replaced, both in
/// the record's own spelling (normalised text, count, mark name or date).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    pub target: String,
    pub value: Option<String>,
    pub machine: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Votes {
    pub term: Option<i64>,
    pub session: Option<i64>,
    pub attended: Option<i64>,
    pub approved: Option<i64>,
    pub opposed: Option<i64>,
}

impl Votes {
    /// Sets the count named by a vote field's key (`term`, `session`, …).
    pub fn set(&mut self, key: &str, value: Option<i64>) {
        match key {
            "term" => self.term = value,
            "session" => self.session = value,
            "attended" => self.attended = value,
            "approved" => self.approved = value,
            "opposed" => self.opposed = value,
            _ => {}
        }
    }

    /// The counts that must add up: those attending, for and against.
    pub const COUNTS: [&'static str; 3] = ["attended", "approved", "opposed"];

    /// Whether no more voted for and against than attended (a count not known taken as none;
    /// true while attendance is not known).
    pub fn add_up(&self) -> bool {
        let Some(attended) = self.attended else { return true };
        self.approved.unwrap_or(0) + self.opposed.unwrap_or(0) <= attended
    }

    pub fn get(&self, key: &str) -> Option<i64> {
        match key {
            "term" => self.term,
            "session" => self.session,
            "attended" => self.attended,
            "approved" => self.approved,
            "opposed" => self.opposed,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Present,
    Absent,
    Uncertain,
    /// A greyscale copy: red cannot be told from black, so a seal cannot be proven.
    Unverifiable,
}

impl Mark {
    pub const ALL: [Mark; 4] = [Mark::Present, Mark::Absent, Mark::Uncertain, Mark::Unverifiable];

    /// The record's spelling (`present`, …).
    pub fn name(self) -> &'static str {
        match self {
            Mark::Present => "present",
            Mark::Absent => "absent",
            Mark::Uncertain => "uncertain",
            Mark::Unverifiable => "unverifiable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approval {
    pub signature: Mark,
    pub seal: Mark,
    /// `YYYY-MM-DD` or a prefix of it.
    pub date: Option<String>,
    /// Scans: where the box is and what was found in it, for reviewers and the report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<ApprovalEvidence>,
}

impl Approval {
    pub fn new(signature: Mark, seal: Mark, date: Option<String>) -> Approval {
        Approval { signature, seal, date, evidence: None }
    }
}

/// Where an approval box and its marks were found on a scan. Boxes are `[x, y, w, h]` in the
/// pixels of the page turned upright and deskewed, at the scan's resolution (as fields' `bbox`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ApprovalEvidence {
    /// 1-based page.
    pub page: u32,
    /// The whole box.
    pub bbox: [u32; 4],
    /// The seal's outline and its score (0–1: how well size, ring and shape fit a seal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<[u32; 4]>,
    pub seal_score: f32,
    /// The signature's ink, and its score (0–1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<[u32; 4]>,
    pub signature_score: f32,
    /// The written date's ink, and whether any was found (a date may be there but unreadable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<[u32; 4]>,
    pub date_ink: Option<Mark>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Send the form back to its unit.
    Return,
    /// A person should look.
    Review,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    /// Stable snake_case key (`missing_field`, `invalid_id_number`, …).
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub severity: Severity,
    /// Chinese, for staff and return notices.
    pub message: String,
    /// The same in English with technical detail, for the terminal and bug reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Issue {
    pub fn new(code: &str, field: Option<&str>, severity: Severity, message: impl Into<String>) -> Issue {
        Issue { code: code.to_string(), field: field.map(str::to_string), severity, message: message.into(), detail: None }
    }
}

impl Record {
    /// The status that the issues imply (an unreadable record stays unreadable).
    pub fn derive_status(&mut self) {
        if self.status == Status::Unreadable {
            return;
        }
        self.status = if self.issues.iter().any(|i| i.severity == Severity::Return) {
            Status::Incomplete
        } else {
            Status::Complete
        };
    }

    pub fn needs_review(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Review)
    }

    /// The normalised value of a field, if any.
    pub fn value(&self, id: &str) -> Option<&str> {
        self.fields.get(id)?.value.as_deref()
    }
}
