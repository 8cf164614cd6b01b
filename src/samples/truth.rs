//! The ground truth of one sample form, one JSON line of `truth.jsonl`.
//!
//! Normalised values come from the project's own normalisers applied to the spellings typed,
//! so the truth and the readers agree on what a spelling means by construction.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::fields::normalize::{normalize, parse_count};
use crate::record::{Approval, Mark, Votes};
use crate::spec::{Kind, Spec};

use super::values::{Planted, Values};

/// How the form's pages are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    /// One PDF of JPEG page images (`NNNN.pdf`).
    Pdf,
    /// One multi-page TIFF (`NNNN.tif`).
    Tiff,
    /// One JPEG per page (`NNNN-p1.jpg`, `NNNN-p2.jpg`, …).
    Jpeg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColorMode {
    Color,
    /// A greyscale photocopy: seals cannot be told from black ink.
    Gray,
}

/// How the form was drawn and scanned, beyond what a reader must recover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayoutInfo {
    pub table_font: String,
    pub body_font: String,
    pub columns_mm: Vec<f32>,
    pub margins_mm: [f32; 4],
    /// The vote numbers are set in the handwriting font (AR PL UKai).
    pub handwritten_votes: bool,
    /// JPEG quality of the page images (None for lossless TIFF).
    pub jpeg_quality: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    pub form: String,
    /// Files of the form, relative to the output folder, in page order for per-page images.
    pub files: Vec<String>,
    pub kind: OutputKind,
    pub dpi: u32,
    pub pages: u32,
    pub color: ColorMode,
    /// Skew applied to every page, degrees, positive = clockwise.
    pub rotation_deg: f64,
    /// 1-based pages stored upside down.
    pub upside_down_pages: Vec<u32>,
    /// The 1-based page that holds the approval boxes (rows 12–15): the last page, or the one
    /// before it when the 说明 runs onto a page of its own.
    pub approvals_page: u32,
    /// Every value field but the vote blanks: the normalised value, None when blank.
    pub fields: IndexMap<String, Option<String>>,
    /// Every value field, vote blanks included: the text as typed (and printed).
    pub raw: IndexMap<String, Option<String>>,
    pub votes: Votes,
    pub approvals: IndexMap<String, Approval>,
    /// Issue codes of the planted defects, each once.
    pub defects: Vec<String>,
    /// The planted defects with the field or approval box each concerns.
    pub planted: Vec<Planted>,
    /// The filled document the pages were printed from, relative to the output folder.
    pub docx: String,
    pub layout: LayoutInfo,
}

/// The truth's value part: normalised fields, votes, approvals and defects.
pub struct Content {
    pub fields: IndexMap<String, Option<String>>,
    pub raw: IndexMap<String, Option<String>>,
    pub votes: Votes,
    pub approvals: IndexMap<String, Approval>,
    pub defects: Vec<String>,
}

pub fn content(spec: &Spec, values: &Values, gray: bool) -> Content {
    let mut fields = IndexMap::new();
    let mut votes = Votes::default();
    for f in spec.value_fields() {
        let raw = values.raw.get(&f.id).cloned().flatten();
        match f.kind {
            Kind::Vote => votes.set(f.vote_key().unwrap_or(&f.id), raw.as_deref().and_then(parse_count)),
            _ => {
                fields.insert(f.id.clone(), raw.as_deref().and_then(|r| normalize(f, r).value));
            }
        }
    }
    let approvals = values
        .approvals
        .iter()
        .map(|(id, plan)| {
            let mark = |present: bool| if present { Mark::Present } else { Mark::Absent };
            let seal = if gray { Mark::Unverifiable } else { mark(plan.seal.is_some()) };
            let date = plan.date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
            (id.clone(), Approval::new(mark(plan.signer.is_some()), seal, date))
        })
        .collect();
    let mut defects: Vec<String> = Vec::new();
    for p in &values.planted {
        if !defects.contains(&p.code) {
            defects.push(p.code.clone());
        }
    }
    Content { fields, raw: values.raw.clone(), votes, approvals, defects }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::fields::rules::{check_record, RuleContext};
    use crate::record::{FieldValue, Record, Source, SourceKind, Status};
    use crate::samples::values;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// The codes the per-record rules raise on a truth, approval marks included.
    fn rule_codes(spec: &Spec, c: &Content) -> Vec<String> {
        let fields = c
            .fields
            .iter()
            .map(|(id, v)| (id.clone(), FieldValue { value: v.clone(), raw: c.raw[id].clone(), confidence: 1.0, ..FieldValue::default() }))
            .collect();
        let record = Record {
            schema: 1,
            source: Source { path: "x".into(), sha256: String::new(), kind: SourceKind::Pdf, pages: 3 },
            status: Status::Complete,
            fields,
            votes: c.votes,
            approvals: c.approvals.clone(),
            issues: Vec::new(),
            corrections: Vec::new(),
            audit: None,
        };
        let config = Config::default();
        let mut codes: Vec<String> = check_record(&record, &RuleContext { spec, config: &config }).into_iter().map(|i| i.code).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    #[test]
    fn the_rules_find_exactly_the_planted_defects() {
        let spec = Spec::builtin();
        for i in 0..400u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(i);
            let v = values::generate(&spec, &mut rng, i % 5 == 0, i % 2 == 0);
            let c = content(&spec, &v, i % 5 == 0);
            // Every typed spelling normalises without a complaint.
            for f in spec.value_fields() {
                if let Some(raw) = v.raw[&f.id].as_deref() {
                    let n = crate::fields::normalize::normalize(f, raw);
                    assert!(n.issue.is_none() && n.value.is_some(), "form {i}: {} = {raw:?}: {:?}", f.id, n.issue);
                }
            }
            let mut want: Vec<String> = c.defects.clone();
            want.sort();
            want.dedup();
            // A grey copy's seals cannot be verified: a note for the reviewer, not a defect.
            let got: Vec<String> = rule_codes(&spec, &c).into_iter().filter(|c| c != "seal_unverifiable").collect();
            assert_eq!(got, want, "form {i}: {:#?}", v.raw);
        }
    }

    #[test]
    fn ids_match_birth_month_and_gender_unless_planted() {
        let spec = Spec::builtin();
        for i in 0..300u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(1000 + i);
            let v = values::generate(&spec, &mut rng, false, i % 3 == 0);
            let c = content(&spec, &v, false);
            let planted = |code: &str| c.defects.iter().any(|d| d == code);
            let (Some(id), Some(birth)) = (c.fields["id_number"].as_deref(), c.fields["birth_month"].as_deref()) else { continue };
            assert_eq!(crate::fields::rules::id_number_problem(id).is_none(), !planted("invalid_id_number"), "{id}");
            let id_month = format!("{}-{}", &id[6..10], &id[10..12]);
            assert_eq!(id_month == birth, !planted("id_birth_mismatch") || planted("invalid_id_number"), "{id} {birth}");
        }
    }

    #[test]
    fn gray_forms_have_unverifiable_seals_and_no_missing_seal() {
        let spec = Spec::builtin();
        for i in 0..100u64 {
            let mut rng = ChaCha8Rng::seed_from_u64(5000 + i);
            let v = values::generate(&spec, &mut rng, true, true);
            let c = content(&spec, &v, true);
            assert!(c.approvals.values().all(|a| a.seal == Mark::Unverifiable));
            assert!(!c.defects.iter().any(|d| d == "missing_seal"));
        }
    }
}
