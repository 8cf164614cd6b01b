//! The only place that connects the stages and runs them in parallel.
//!
//! Each submission goes ingest → layout → normalise → rules as a pure function of its bytes;
//! rayon maps that over the inputs and the results come back in input order; the batch rules
//! (duplicates, quotas) run once at the end. A file that cannot be read becomes an
//! `unreadable` record: nothing stops the batch.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::fields::assemble::{to_record, unreadable_record};
use crate::fields::rules::{check_batch, check_record, Quotas, RuleContext};
use crate::ingest::{detect, docx, Detected, Unreadable, ZipLimits};
use crate::layout::docx_form;
use crate::record::{Record, Source, SourceKind};
use crate::spec::Spec;

/// Everything a run needs besides its inputs, checked before the first file is read.
pub struct Job<'a> {
    pub spec: &'a Spec,
    pub config: &'a Config,
    pub quotas: Option<&'a Quotas>,
    pub limits: ZipLimits,
}

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{}: no such file or folder", .0.display())]
    Missing(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// The files to process: each file given, and every file under each folder given, folders
/// walked recursively in name order so that runs are repeatable.
pub fn collect_inputs(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|_| InputError::Missing(p.clone()))?;
        if meta.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
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
/// problem with the file becomes an `unreadable` record that says why.
pub fn process_file(path: &Path, job: &Job) -> Record {
    let shown = path.to_string_lossy().into_owned();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return unreadable(job, Source { path: shown, sha256: String::new(), kind: SourceKind::Unknown, pages: 0 }, Unreadable::Io(e.to_string())),
    };
    let detected = detect(&bytes);
    let source = Source { path: shown, sha256: hex(&Sha256::digest(&bytes)), kind: detected.source_kind(), pages: 0 };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_bytes(&bytes, detected, job)));
    let mut record = match result {
        Ok(Ok(reading)) => to_record(job.spec, &reading, Source { pages: reading.pages, ..source }),
        Ok(Err(why)) => return unreadable(job, source, why),
        Err(_) => return unreadable(job, source, Unreadable::Io("internal error while reading (a bug: please report it with the file)".into())),
    };
    let ctx = RuleContext { spec: job.spec, config: job.config };
    let found = check_record(&record, &ctx);
    record.issues.extend(found);
    drop_missing_where_invalid(&mut record.issues);
    record.derive_status();
    record
}

/// A value that was written but could not be understood is reported as such, not also as
/// missing: the unit needs one reason per field, the right one.
fn drop_missing_where_invalid(issues: &mut Vec<crate::record::Issue>) {
    let invalid: Vec<String> = issues.iter().filter(|i| i.code != "missing_field").filter_map(|i| i.field.clone()).collect();
    issues.retain(|i| i.code != "missing_field" || i.field.as_ref().is_none_or(|f| !invalid.contains(f)));
}

fn read_bytes(bytes: &[u8], detected: Detected, job: &Job) -> Result<crate::reading::Reading, Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::Empty);
    }
    match detected {
        Detected::Zip => {
            let model = docx::read_docx(bytes, &job.limits)?;
            docx_form::read_form(&model, job.spec)
        }
        Detected::EncryptedOoxml => Err(Unreadable::Encrypted),
        Detected::LegacyWord => Err(Unreadable::LegacyWord),
        Detected::Pdf => Err(Unreadable::RouteNotBuilt("PDF扫描件")),
        Detected::Jpeg | Detected::Png | Detected::Tiff => Err(Unreadable::RouteNotBuilt("扫描图片")),
        Detected::OtherOle => Err(Unreadable::UnsupportedFormat("Office 97–2003 文件，非Word")),
        Detected::Unknown => Err(Unreadable::UnknownFormat),
    }
}

fn unreadable(job: &Job, source: Source, why: Unreadable) -> Record {
    unreadable_record(job.spec, source, why.chinese(), why.english())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Processes every input on `jobs` threads, calling `tick` as each finishes; records come
/// back in input order, with the batch rules applied.
pub fn run(inputs: &[PathBuf], job: &Job, jobs: usize, tick: &(dyn Fn() + Sync)) -> Vec<Record> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs.max(1)).build();
    let work = || -> Vec<Record> {
        inputs
            .par_iter()
            .map(|p| {
                let r = process_file(p, job);
                tick();
                r
            })
            .collect()
    };
    let mut records = match pool {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    };
    check_batch(&mut records, job.quotas);
    for r in &mut records {
        r.derive_status();
    }
    records
}
