//! What a route read from one submission, before normalisation: the raw text of each field
//! and the evidence of each approval box. Every route (docx, PDF, image) produces a Reading;
//! one shared step turns it into a record.

use indexmap::IndexMap;

use crate::record::Mark;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawValue {
    pub text: String,
    /// 0–1; 1.0 for text taken from a .docx.
    pub confidence: f32,
    /// Scans: 1-based page and `[x, y, w, h]` in that page's pixels.
    pub page: Option<u32>,
    pub bbox: Option<[u32; 4]>,
}

impl RawValue {
    pub fn typed(text: impl Into<String>) -> RawValue {
        RawValue { text: text.into(), confidence: 1.0, page: None, bbox: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalReading {
    pub signature: Mark,
    pub seal: Mark,
    /// The date as written in the box, if any.
    pub date: Option<RawValue>,
    /// Scans: where the box and its marks were found.
    pub evidence: Option<crate::record::ApprovalEvidence>,
}

impl Default for ApprovalReading {
    fn default() -> Self {
        ApprovalReading { signature: Mark::Absent, seal: Mark::Absent, date: None, evidence: None }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reading {
    /// Raw text by field id (vote blanks under `votes.<key>`). A field absent here was not
    /// found on the form at all; one present with empty text was found blank.
    pub values: IndexMap<String, RawValue>,
    pub approvals: IndexMap<String, ApprovalReading>,
    pub pages: u32,
}
