//! The only place that connects the stages and runs them in parallel.
//!
//! Each submission goes ingest → layout → normalise → rules as a pure function of its bytes;
//! rayon maps that over the inputs and the results come back in input order; the batch rules
//! (duplicates, quotas) run once at the end. A file that cannot be read becomes an
//! `unreadable` record: nothing stops the batch.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use std::cell::RefCell;

use crate::audit::{self, RuleResult};
use crate::config::Config;
use crate::fields::assemble::{to_record, unreadable_record};
use crate::fields::corrections::{self, Corrections};
use crate::fields::rules::{check_batch_by_rule, check_record_by_rule, Quotas, RuleContext};
use crate::ingest::{detect, docx, Detected, ImageLimits, PageImage, Unreadable, ZipLimits};
use crate::layout::docx_form;
use crate::layout::scan_form::{self, ScanParams};
use crate::marks::judge::{judge_page, MarksParams};
use crate::output::report::{evidence_key, write_evidence, Evidence, EvidencePage, PageImage as ReportImage};
use crate::ocr::{Tesseract, OCR_LANG};
use crate::reading::{ApprovalReading, RawValue, Reading};
use crate::record::{ApprovalEvidence, Issue, Mark, Record, Severity, Source, SourceKind};
use crate::spec::Spec;
use crate::timing::{timed, Stage};

/// Everything a run needs besides its inputs, checked before the first file is read.
pub struct Job<'a> {
    pub spec: &'a Spec,
    pub config: &'a Config,
    pub quotas: Option<&'a Quotas>,
    pub limits: ZipLimits,
    pub image_limits: ImageLimits,
    pub scan: ScanParams,
    pub marks: MarksParams,
    /// The run's OUTDIR when the review report's pictures are to be written there.
    pub report_dir: Option<PathBuf>,
    /// Where to write each scanned page's overlay (grid, cells, OCR boxes), if anywhere.
    pub debug_dir: Option<PathBuf>,
    /// Values reviewers set, checked against the inputs before the run.
    pub corrections: Option<&'a Corrections>,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: no such file or folder", .0.display())]
    Missing(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// One submission: a file, or the page images of one scan saved as several files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    /// In page order; the first names the submission in the record.
    pub files: Vec<PathBuf>,
}

/// The submissions to process: each file given, and every file under each folder given,
/// folders walked recursively in name order so that runs are repeatable. Page images of one
/// scan saved as `NAME-1.jpg`, `NAME-2.jpg` … (or `NAME_p1.png` …) in one folder form one
/// submission.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<Submission>, InputError> {
    let mut files = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| InputError::Missing(p.clone()))?;
        if meta.is_dir() {
            walk(p, &mut files)?;
        } else {
            files.push(p.clone());
        }
    }
    Ok(group_pages(files))
}

/// `(folder, prefix, extension, page)` when a file is named like one page of several.
fn page_key(path: &Path) -> Option<(PathBuf, String, String, u32)> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if !matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "tif" | "tiff") {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let head = &stem[..stem.len() - digits];
    let prefix = head.strip_suffix(['p', 'P']).unwrap_or(head);
    let prefix = prefix.strip_suffix(['-', '_', ' '])?;
    if prefix.is_empty() {
        return None;
    }
    Some((path.parent()?.to_path_buf(), prefix.to_string(), ext, stem[stem.len() - digits..].parse().ok()?))
}

fn group_pages(files: Vec<PathBuf>) -> Vec<Submission> {
    let keys: Vec<_> = files.iter().map(|f| page_key(f)).collect();
    let mut out: Vec<Submission> = Vec::new();
    let mut taken = vec![false; files.len()];
    for i in 0..files.len() {
        if taken[i] {
            continue;
        }
        let Some((dir, prefix, ext, _)) = &keys[i] else {
            out.push(Submission { files: vec![files[i].clone()] });
            continue;
        };
        let mut group: Vec<(u32, usize)> = keys
            .iter()
            .enumerate()
            .filter(|(j, k)| !taken[*j] && matches!(k, Some((d, p, e, _)) if d == dir && p == prefix && e == ext))
            .map(|(j, k)| (k.as_ref().map_or(0, |k| k.3), j))
            .collect();
        if group.len() < 2 {
            out.push(Submission { files: vec![files[i].clone()] });
            taken[i] = true;
            continue;
        }
        group.sort();
        for (_, j) in &group {
            taken[*j] = true;
        }
        out.push(Submission { files: group.into_iter().map(|(_, j)| files[j].clone()).collect() });
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), InputError> {
    let io = |source| InputError::Io { path: dir.to_path_buf(), source };
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).map_err(io)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads one submission into a checked record. Never panics outward and never fails: any
/// problem with its files becomes an `unreadable` record that says why.
pub fn process_submission(sub: &Submission, index: usize, job: &Job) -> (Record, Evidence) {
    let (record, pages) = read_and_check(sub, job);
    let evidence = match &job.report_dir {
        Some(dir) if !pages.is_empty() => {
            let views: Vec<EvidencePage> = pages
                .iter()
                .map(|p| EvidencePage { page: p.page, image: ReportImage::Gray(&p.seen), scale: 1.0 / p.scale, cells: p.cells.clone() })
                .collect();
            // A picture that cannot be written leaves the record without it, nothing more.
            write_evidence(dir, &evidence_key(index, &record), &views, &record).unwrap_or_default()
        }
        _ => Evidence::default(),
    };
    (record, evidence)
}

/// A scanned page kept for the report's pictures: the grey page as read, the factor from it to
/// the scan's pixels, and its cells in the scan's pixels.
struct KeptPage {
    page: u32,
    seen: image::GrayImage,
    scale: f32,
    cells: Vec<[u32; 4]>,
}

fn read_and_check(sub: &Submission, job: &Job) -> (Record, Vec<KeptPage>) {
    let shown = sub.files.first().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    let mut blobs = Vec::with_capacity(sub.files.len());
    for f in &sub.files {
        match std::fs::read(f) {
            Ok(b) => blobs.push(b),
            Err(e) => return (unreadable(job, Source { path: shown, sha256: String::new(), kind: SourceKind::Unknown, pages: 0 }, Unreadable::Io(format!("{}: {e}", f.display()))), Vec::new()),
        }
    }
    let detected = detect(&blobs[0]);
    // The digest covers every file of the submission, in page order.
    let mut hasher = Sha256::new();
    for b in &blobs {
        hasher.update(b);
    }
    let source = Source { path: shown, sha256: hex(&hasher.finalize()), kind: detected.source_kind(), pages: 0 };
    crate::ocr::trace_submission(&sub.files[0]);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_submission(&blobs, detected, sub, job)));
    let (reading, confidences_matter, kept) = match result {
        Ok(Ok(r)) => r,
        Ok(Err(why)) => return (unreadable(job, source, why), Vec::new()),
        Err(_) => return (unreadable(job, source, Unreadable::Io(INTERNAL_ERROR.into())), Vec::new()),
    };
    let mut record = to_record(job.spec, &reading, Source { pages: reading.pages, ..source });
    let rows = job.corrections.map(|c| c.for_input(&record.source.path)).unwrap_or_default();
    if !rows.is_empty() {
        record = corrections::apply(job.spec, &reading, &record, &rows);
    }
    let ctx = RuleContext { spec: job.spec, config: job.config };
    let mut results = indexmap::IndexMap::new();
    for (name, found) in check_record_by_rule(&record, &ctx) {
        results.insert(name.to_string(), RuleResult::of(&found));
        record.issues.extend(found);
    }
    if confidences_matter {
        let before = record.issues.len();
        flag_low_confidence(&mut record, job);
        results.insert("low_confidence".into(), RuleResult::of(&record.issues[before..]));
    }
    record.audit = Some(audit::for_record(&record, results));
    record.derive_status();
    (record, kept)
}

/// OCR readings the engine was unsure of go to a person.
fn flag_low_confidence(record: &mut Record, job: &Job) {
    let mut found = Vec::new();
    for (id, v) in &record.fields {
        if v.value.is_some() && v.confidence < job.config.low_confidence {
            let label = job.spec.field(id).map_or(id.as_str(), |f| f.label.as_str());
            found.push(Issue::new("low_confidence", Some(id), Severity::Review, format!("{label}识别把握不大（置信度{:.2}），请对照原件核对", v.confidence)));
        }
    }
    record.issues.extend(found);
}

/// The submission's reading, whether it came from OCR (so confidences mean something), and the
/// pages kept for the report.
fn read_submission(blobs: &[Vec<u8>], detected: Detected, sub: &Submission, job: &Job) -> Result<(Reading, bool, Vec<KeptPage>), Unreadable> {
    if blobs[0].is_empty() {
        return Err(Unreadable::Empty);
    }
    // Each page is reduced as soon as it is decoded to the grey image that is read (red ink
    // dropped), a third of its colour size, and, when it has colour, a small colour copy on
    // which the approval boxes' seals are judged once the page's layout is known. No more
    // than one page of a file is ever held at full colour.
    let marks_dpi = job.marks.colour_dpi;
    // Each page is read as soon as it is reduced, before the next is decoded: a file's pages
    // held all at the scan's resolution (four 300 dpi pages, 35 MB a worker) made the peak.
    let mut scan = ScanReader::new(sub, job);
    let mut reduce = |p: PageImage| -> Result<(), Unreadable> {
        let dpi = scan_form::page_dpi(&p);
        let colour = timed(Stage::MarkJudging, || {
            (!crate::preprocess::is_grayscale(&p.image)).then(|| crate::preprocess::colour_copy(&p.image, dpi, marks_dpi))
        });
        let gray = timed(Stage::Level, || crate::preprocess::to_gray(&p.image));
        drop(p);
        scan.page(ScanPage { gray: scan_form::GrayPage { dpi, gray }, colour })
    };
    match detected {
        Detected::Zip => {
            let model = docx::read_docx(&blobs[0], &job.limits)?;
            return Ok((docx_form::read_form(&model, job.spec)?, false, Vec::new()));
        }
        Detected::EncryptedOoxml => return Err(Unreadable::Encrypted),
        Detected::LegacyWord => return Err(Unreadable::LegacyWord),
        Detected::Pdf => timed(Stage::Decode, || crate::ingest::pdf::for_each_pdf_page(&blobs[0], &job.image_limits, &mut reduce))?,
        Detected::Jpeg | Detected::Png | Detected::Tiff => {
            for b in blobs {
                let kind = detect(b);
                if !matches!(kind, Detected::Jpeg | Detected::Png | Detected::Tiff) {
                    return Err(Unreadable::BadImage("a page of the scan is not an image".into()));
                }
                timed(Stage::Decode, || crate::ingest::image::for_each_image_page(b, kind, &job.image_limits, &mut reduce))?;
            }
        }
        Detected::OtherOle => return Err(Unreadable::UnsupportedFormat("Office 97–2003 文件，非Word")),
        Detected::Unknown => return Err(Unreadable::UnknownFormat),
    }
    if scan.pages == 0 {
        return Err(Unreadable::NoPages);
    }
    let (reading, kept) = scan.finish()?;
    Ok((reading, true, kept))
}

/// A decoded page as it is handed to reading: grey at the scan's resolution, and a small
/// colour copy unless the page has no colour.
struct ScanPage {
    gray: scan_form::GrayPage,
    colour: Option<image::RgbImage>,
}

thread_local! {
    /// One Tesseract per worker thread, started on first use and reused for every page the
    /// thread reads (rayon's map_init would start one per job split).
    static ENGINE: RefCell<Option<Tesseract>> = const { RefCell::new(None) };
}

/// Why a file is unreadable when formscan itself failed on it.
const INTERNAL_ERROR: &str = "internal error while reading (a bug: please report it with the file)";

/// The pages of a scan, read one by one as they are decoded, and what they hold merged: pages
/// are recognised by their content, so their order does not matter; a value found twice
/// keeps the first non-empty.
struct ScanReader<'s, 'j> {
    sub: &'s Submission,
    job: &'s Job<'j>,
    reading: Reading,
    kept: Vec<KeptPage>,
    pages: u32,
    /// No page read so far has colour (a photocopy: no seal can be told from other ink).
    grey: bool,
    labels_found: usize,
}

impl<'s, 'j> ScanReader<'s, 'j> {
    fn new(sub: &'s Submission, job: &'s Job<'j>) -> Self {
        ScanReader { sub, job, reading: Reading::default(), kept: Vec::new(), pages: 0, grey: true, labels_found: 0 }
    }

    /// Reads the next page, which is freed once read. It is read while its file is decoded:
    /// a panic in reading is caught here, so that the decoder's guard does not report it as the
    /// file's fault.
    fn page(&mut self, page: ScanPage) -> Result<(), Unreadable> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.read_page(page))).unwrap_or_else(|_| Err(Unreadable::Io(INTERNAL_ERROR.into())))
    }

    fn read_page(&mut self, ScanPage { gray: page, colour }: ScanPage) -> Result<(), Unreadable> {
        let job = self.job;
        self.pages += 1;
        let page_no = self.pages;
        self.grey &= colour.is_none();
        ENGINE.with(|cell| -> Result<(), Unreadable> {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = Some(Tesseract::new(OCR_LANG).map_err(|e| Unreadable::Io(e.to_string()))?);
            }
            let engine = slot.as_mut().expect("engine just set");
            let dpi = page.dpi;
            let mut pr = scan_form::read_gray_page(page, job.spec, engine, &job.scan).map_err(|e| Unreadable::Io(format!("page {page_no}: {e}")))?;
            if let Some(dir) = &job.debug_dir {
                let stem = self.sub.files[0].file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                let _ = crate::output::debug::write_page(dir, &stem, page_no, &pr);
            }
            self.labels_found += pr.labels_found;
            if !pr.boxes.is_empty() {
                let judged = timed(Stage::MarkJudging, || {
                    // Turned, not deskewed: the judge turns places, not pixels.
                    let turned = colour.map(|c| crate::preprocess::turn(&c, pr.quarter_turns));
                    let copy = turned.as_ref().map(|image| crate::marks::judge::ColourCopy { image, skew_deg: pr.skew_deg });
                    judge_page(&pr.boxes, &pr.seen, dpi / pr.scale, copy, &job.marks)
                });
                for m in judged {
                    let mut evidence = m.evidence;
                    scale_evidence(&mut evidence, pr.scale);
                    evidence.page = page_no;
                    let date = m.date.map(|text| RawValue { text, confidence: m.date_confidence, page: Some(page_no), bbox: evidence.date });
                    self.reading.approvals.insert(m.id, ApprovalReading { signature: m.signature, seal: m.seal, date, evidence: Some(evidence) });
                }
            }
            if job.report_dir.is_some() {
                let cells = pr.grid.cells.iter().map(|c| crate::marks::judge::scaled([c.x0, c.y0, c.width(), c.height()], pr.scale)).collect();
                self.kept.push(KeptPage { page: page_no, seen: std::mem::take(&mut pr.seen), scale: pr.scale, cells });
            }
            for (id, mut v) in pr.values {
                v.page = Some(page_no);
                let empty = self.reading.values.get(&id).is_none_or(|old| old.text.trim().is_empty());
                if empty {
                    self.reading.values.insert(id, v);
                }
            }
            Ok(())
        })
    }

    /// The merged reading, once every page is read.
    fn finish(self) -> Result<(Reading, Vec<KeptPage>), Unreadable> {
        let ScanReader { job, mut reading, kept, pages, grey, labels_found, .. } = self;
        reading.pages = pages;
        // Pages on which not one label of the form was read are not this form (a photo, a
        // letter, a blank page).
        if labels_found == 0 {
            return Err(Unreadable::NotThisForm);
        }
        crate::fields::twins::reconcile(job.spec, &mut reading);
        // A box that was not found on any page is for a person to look at, not for the unit to
        // answer for: its marks are uncertain (a grey copy's seals unverifiable).
        let seal = if grey { Mark::Unverifiable } else { Mark::Uncertain };
        for f in job.spec.approvals() {
            reading.approvals.entry(f.id.clone()).or_insert_with(|| ApprovalReading {
                signature: Mark::Uncertain,
                seal,
                date: None,
                evidence: Some(ApprovalEvidence { date_ink: Some(Mark::Uncertain), ..ApprovalEvidence::default() }),
            });
        }
        Ok((reading, kept))
    }
}

/// Brings an approval's boxes from the grey page read to the scan's own pixels.
fn scale_evidence(e: &mut ApprovalEvidence, scale: f32) {
    if scale == 1.0 {
        return;
    }
    let f = |r: [u32; 4]| crate::marks::judge::scaled(r, scale);
    e.bbox = f(e.bbox);
    e.seal = e.seal.map(f);
    e.signature = e.signature.map(f);
    e.date = e.date.map(f);
}

fn unreadable(job: &Job, source: Source, why: Unreadable) -> Record {
    unreadable_record(job.spec, source, why.chinese(), why.english())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Processes every submission on `jobs` threads, calling `tick` as each finishes; records
/// (and the report's pictures of each) come back in input order, with the batch rules applied.
pub fn run(inputs: &[Submission], job: &Job, jobs: usize, tick: &(dyn Fn() + Sync)) -> (Vec<Record>, Vec<Evidence>) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build();
    // The largest submissions are started first and handed out one at a time, in that order:
    // with the inputs split in halves, a four-page PDF left to the end keeps one worker busy
    // while the other has nothing to do. Bytes stand in for pages, which are not known before decoding.
    let bytes: Vec<u64> = inputs.iter().map(|s| s.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum()).collect();
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(bytes[i]));
    let work = || -> Vec<(Record, Evidence)> {
        let mut done: Vec<(usize, (Record, Evidence))> = order
            .iter()
            .par_bridge()
            .map(|&i| {
                let r = process_submission(&inputs[i], i, job);
                tick();
                (i, r)
            })
            .collect();
        done.sort_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, r)| r).collect()
    };
    let (mut records, evidence): (Vec<Record>, Vec<Evidence>) = match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
    .into_iter()
    .unzip();
    let batch = check_batch_by_rule(&mut records, job.quotas);
    let facts = audit::RunFacts {
        formscan: audit::formscan_version(),
        config_sha256: job.config.sha256(),
        corrections_sha256: job.corrections.map(|c| c.sha256.clone()),
    };
    audit::stamp(&mut records, &facts, &batch);
    for r in &mut records {
        r.derive_status();
    }
    (records, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs(names: &[&str]) -> Vec<Vec<String>> {
        group_pages(names.iter().map(PathBuf::from).collect())
            .into_iter()
            .map(|s| s.files.iter().map(|f| f.to_string_lossy().into_owned()).collect())
            .collect()
    }

    #[test]
    fn page_images_of_one_scan_are_one_submission() {
        let g = subs(&["a/0007-p2.jpg", "a/0007-p1.jpg", "a/0007-p10.jpg", "a/0008.pdf", "a/x-1.png", "b/x-2.png", "a/form.docx", "a/2023.jpg"]);
        assert_eq!(g, vec![
            vec!["a/0007-p1.jpg", "a/0007-p2.jpg", "a/0007-p10.jpg"],
            vec!["a/0008.pdf"],
            vec!["a/x-1.png"],
            vec!["b/x-2.png"],
            vec!["a/form.docx"],
            vec!["a/2023.jpg"],
        ]);
    }
}
