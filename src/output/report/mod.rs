//! `OUTDIR/report.html`: one self-contained page (no network, no external file but its own
//! pictures) on which staff go through a run: figures, then one section per submission with
//! its issues, values, the picture each value was read from, the approval boxes with their
//! marks outlined and the pages. Filters and search in plain JavaScript.
//!
//! Pictures are written per record by [`write_evidence`] while the pipeline still holds the
//! pages, so nothing of a form stays in memory until the end; [`write_report`] writes the page
//! and `corrections.csv` once all records are known.

pub mod corrections;
mod evidence;
mod html;
pub mod mask;
pub mod summary;

use std::path::Path;

use image::{GrayImage, RgbImage};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::fields::rules::Quotas;
use crate::record::Record;
use crate::spec::Spec;

pub use evidence::safe_key;
pub use mask::Masking;

/// A page's pixels, in colour or grey (as the route holds it: no conversion of a whole page).
#[derive(Debug, Clone, Copy)]
pub enum PageImage<'a> {
    Rgb(&'a RgbImage),
    Gray(&'a GrayImage),
}

/// A page as it was read: upright and deskewed, with the factor from record pixels
/// (`FieldValue.bbox`, `ApprovalEvidence` boxes) to this image's pixels, and the detected table
/// cells (record pixels, `[x, y, w, h]`).
#[derive(Debug, Clone)]
pub struct EvidencePage<'a> {
    /// 1-based, as `FieldValue.page`.
    pub page: u32,
    pub image: PageImage<'a>,
    pub scale: f32,
    pub cells: Vec<[u32; 4]>,
}

/// Relative paths (under OUTDIR, `/`-separated) of the pictures written for one record:
/// page thumbnails in page order, field crops by field id, approval boxes by box id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub pages: Vec<String>,
    pub fields: IndexMap<String, String>,
    pub boxes: IndexMap<String, String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Show ID and phone numbers in full (`process --show-pii`).
    pub show_pii: bool,
}

/// The folder key of a record's pictures: its index in the run and its file's stem, so that
/// two inputs with one name in different folders do not share a folder.
pub fn evidence_key(index: usize, record: &Record) -> String {
    let stem = Path::new(&record.source.path).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    safe_key(&format!("{:04}-{stem}", index + 1))
}

/// Writes one record's crops and page thumbnails as JPEG under `outdir/report/<key>/` and
/// returns their paths. Call it from the worker that read the pages, before dropping them.
/// Fields and boxes without a page and box, or on a page not given, get no picture.
pub fn write_evidence(outdir: &Path, key: &str, pages: &[EvidencePage], record: &Record) -> std::io::Result<Evidence> {
    evidence::write(outdir, key, pages, record)
}

/// Writes `report.html` and `corrections.csv` into `outdir`. `evidence[i]` belongs to
/// `records[i]`; a shorter (or empty) slice means the rest have no pictures (Word forms).
pub fn write_report(outdir: &Path, records: &[Record], evidence: &[Evidence], spec: &Spec, quotas: Option<&Quotas>, opts: &ReportOptions) -> std::io::Result<()> {
    let csv = corrections::csv_bytes(records, spec)?;
    let page = html::page(records, evidence, spec, quotas, opts);
    crate::fsutil::write_atomic(&outdir.join(CORRECTIONS_FILE), &csv)?;
    crate::fsutil::write_atomic(&outdir.join(REPORT_FILE), page.as_bytes())
}

pub const REPORT_FILE: &str = "report.html";
pub const CORRECTIONS_FILE: &str = "corrections.csv";

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::record::{Source, SourceKind, Status};

    /// A record of the built-in spec with every field blank but name and region.
    pub(crate) fn record(path: &str, name: &str, region: &str, status: Status) -> Record {
        let spec = Spec::builtin();
        let source = Source { path: path.into(), sha256: String::new(), kind: SourceKind::Docx, pages: 0 };
        let mut r = crate::fields::assemble::to_record(&spec, &crate::reading::Reading::default(), source);
        for (id, v) in [("name", name), ("cover_region", region)] {
            r.fields.get_mut(id).unwrap().value = (!v.is_empty()).then(|| v.to_string());
        }
        r.status = status;
        r
    }

    #[test]
    fn keys_are_unique_and_safe() {
        let a = record("in/a/0007 表.pdf", "", "", Status::Complete);
        assert_eq!(evidence_key(6, &a), "0007-0007_表");
        let b = record("../x/#1?.tif", "", "", Status::Complete);
        assert_eq!(evidence_key(0, &b), "0001-_1_");
    }
}
