//! `formscan samples`: realistic scanned application forms with ground truth, to measure how well
//! the scan route reads them.
//!
//! For each form, everything is drawn from `(seed, form number)`, so a set is reproducible and
//! forms can be made in any order and in parallel:
//!
//! 1. [`values`]: a candidate with realistic values, typed in the spellings people use, and for
//!    about a third of the forms 1–3 planted defects;
//! 2. [`render`]: a copy of the spec with jittered column widths, row heights, margins and fonts;
//!    the filled .docx from `template::build_docx`, its content controls unwrapped so that
//!    LibreOffice applies the run formatting (vote numbers sometimes in a handwriting font);
//!    LibreOffice → PDF → page images, and the printed words with their boxes;
//! 3. [`marks`]: red seals, signatures and handwritten dates in the six approval boxes, placed
//!    against the printed words;
//! 4. [`degrade`]: greyscale photocopies, skew, upside-down pages, blur, noise, levels;
//! 5. [`files`]: a PDF of JPEG pages, a multi-page TIFF, or one JPEG per page;
//! 6. [`truth`]: one line of `truth.jsonl`, values normalised by the project's normalisers.

pub mod degrade;
pub mod files;
pub mod marks;
pub mod render;
pub mod truth;
pub mod values;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::error::{TemplateError, ToolError};
use crate::external;
use crate::spec::Spec;

use degrade::{PageImage, ScanPlan};
use truth::{ColorMode, LayoutInfo, OutputKind, Truth};
use values::Values;

#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    #[error(transparent)]
    Tool(#[from] ToolError),
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {message}", path.display())]
    Image { path: PathBuf, message: String },
    #[error("sample form {form}: {message}")]
    Form { form: String, message: String },
    #[error("{0}")]
    Setup(String),
}

/// What `formscan samples` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub output: PathBuf,
    pub count: usize,
    pub seed: u64,
    /// Resolutions to choose from, one per form.
    pub dpis: Vec<u32>,
    /// Forms made at the same time (each runs its own LibreOffice).
    pub jobs: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub forms: usize,
    pub pages: usize,
    pub pdf: usize,
    pub tiff: usize,
    pub jpeg: usize,
    pub gray: usize,
    pub defective: usize,
    pub seconds: f64,
}

/// Output kinds in a repeating pattern (offset by the seed): half PDF, a quarter TIFF, a quarter
/// per-page JPEG, whatever the count.
const KINDS: [OutputKind; 4] = [OutputKind::Pdf, OutputKind::Tiff, OutputKind::Pdf, OutputKind::Jpeg];

/// Everything decided about a form before it is printed.
#[derive(Debug, Clone)]
pub struct FormPlan {
    /// `0001`, `0002`, …
    pub name: String,
    pub kind: OutputKind,
    pub dpi: u32,
    pub gray: bool,
    pub values: Values,
    /// The spec with this form's layout (column widths, row heights, margins, fonts).
    pub spec: Spec,
    pub hand_votes: bool,
    pub scan: ScanPlan,
    pub jpeg_quality: Option<u8>,
    marks_seed: u64,
    scan_seed: u64,
}

/// The name of form `index` (0-based) in a set of `count`.
pub fn form_name(index: usize, count: usize) -> String {
    let width = count.to_string().len().max(4);
    format!("{:0width$}", index + 1)
}

/// Plans form `index` of the set made from `seed`: a pure function of its arguments.
pub fn plan_form(spec: &Spec, seed: u64, index: usize, count: usize, dpis: &[u32]) -> FormPlan {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index as u64);
    let kind = KINDS[((index as u64).wrapping_add(seed) % KINDS.len() as u64) as usize];
    let dpi = *dpis.choose(&mut rng).unwrap_or(&200);
    let gray = rng.random_bool(0.2);
    let defective = rng.random_bool(1.0 / 3.0);
    let hand_votes = rng.random_bool(1.0 / 3.0);
    let jpeg_quality = match kind {
        OutputKind::Pdf => Some(rng.random_range(60..=80)),
        OutputKind::Jpeg => Some(rng.random_range(60..=90)),
        OutputKind::Tiff => None,
    };
    let (values_seed, layout_seed, marks_seed, scan_seed): (u64, u64, u64, u64) = (rng.random(), rng.random(), rng.random(), rng.random());
    let values = values::generate(spec, &mut ChaCha8Rng::seed_from_u64(values_seed), gray, defective);
    let layout = render::jitter_spec(spec, &mut ChaCha8Rng::seed_from_u64(layout_seed));
    // Lossless TIFFs of a noisy page are huge: their scanner software always whitens the paper.
    let scan = ScanPlan::draw(&mut ChaCha8Rng::seed_from_u64(scan_seed ^ 0x5ca7), gray, kind == OutputKind::Tiff);
    FormPlan { name: form_name(index, count), kind, dpi, gray, values, spec: layout, hand_votes, scan, jpeg_quality, marks_seed, scan_seed }
}

/// Checks that the programs and fonts the generator drives are there, with what to install.
pub fn check_tools() -> Result<(), SampleError> {
    if external::soffice().is_none() {
        return Err(ToolError::Missing { program: "soffice", hint: "LibreOffice renders the sample forms: install the Debian package libreoffice-writer" }.into());
    }
    for program in ["pdftoppm", "pdftotext"] {
        if external::which(program).is_none() {
            return Err(ToolError::Missing { program: if program == "pdftoppm" { "pdftoppm" } else { "pdftotext" }, hint: "Debian package poppler-utils" }.into());
        }
    }
    marks::fonts().map(|_| ()).map_err(SampleError::Setup)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), SampleError> {
    crate::fsutil::write_atomic(path, bytes).map_err(|source| SampleError::Io { path: path.to_path_buf(), source })
}

/// Makes one form: prints, marks, scans and writes it; returns its truth.
pub fn make_form(plan: &FormPlan, out: &Path) -> Result<Truth, SampleError> {
    let fail = |message: String| SampleError::Form { form: plan.name.clone(), message };
    let docx = crate::template::build_docx(&plan.spec, &plan.values.prefill)?;
    let printable = render::printable_docx(&docx, plan.hand_votes).map_err(fail)?;
    let docx_rel = format!("docx/{}.docx", plan.name);
    write(&out.join(&docx_rel), &printable)?;

    let work = tempfile::Builder::new()
        .prefix("formscan-sample-")
        .tempdir()
        .map_err(|source| SampleError::Io { path: std::env::temp_dir(), source })?;
    let printed = render::print(&printable, plan.dpi, work.path())?;
    let boxes = marks::locate_boxes(&plan.spec, &printed.words).map_err(fail)?;
    let fonts = marks::fonts().map_err(SampleError::Setup)?;
    let approvals_page = boxes.values().map(|a| a.page).min().unwrap_or(0);
    let mut pages = printed.pages;
    let mut marks_rng = ChaCha8Rng::seed_from_u64(plan.marks_seed);
    for (id, box_plan) in &plan.values.approvals {
        let a = boxes.get(id).ok_or_else(|| fail(format!("approval box `{id}` not found on the printed pages")))?;
        let page = pages.get_mut(a.page).ok_or_else(|| fail(format!("approval box `{id}` is on page {}, which was not rendered", a.page + 1)))?;
        marks::draw_box(page, plan.dpi, a, box_plan, fonts, &mut marks_rng);
    }

    let mut scan_rng = ChaCha8Rng::seed_from_u64(plan.scan_seed);
    let upside: Vec<bool> = pages.iter().map(|_| scan_rng.random_bool(plan.scan.upside_down)).collect();
    let seeds: Vec<u64> = pages.iter().map(|_| scan_rng.random()).collect();
    let scanned: Vec<PageImage> = pages
        .into_par_iter()
        .enumerate()
        .map(|(i, p)| degrade::scan_page(p, &plan.scan, plan.dpi, upside[i], seeds[i]))
        .collect();

    let quality = plan.jpeg_quality.unwrap_or(85);
    let files: Vec<String> = match plan.kind {
        OutputKind::Pdf => {
            let name = format!("{}.pdf", plan.name);
            write(&out.join(&name), &files::pdf(&scanned, plan.dpi, quality).map_err(fail)?)?;
            vec![name]
        }
        OutputKind::Tiff => {
            let name = format!("{}.tif", plan.name);
            write(&out.join(&name), &files::tiff(&scanned, plan.dpi).map_err(fail)?)?;
            vec![name]
        }
        OutputKind::Jpeg => {
            let mut names = Vec::new();
            for (i, page) in scanned.iter().enumerate() {
                let name = format!("{}-p{}.jpg", plan.name, i + 1);
                write(&out.join(&name), &files::jpeg(page, plan.dpi, quality).map_err(fail)?)?;
                names.push(name);
            }
            names
        }
    };

    let content = truth::content(&plan.spec, &plan.values, plan.gray);
    let p = &plan.spec.page;
    Ok(Truth {
        form: plan.name.clone(),
        files,
        kind: plan.kind,
        dpi: plan.dpi,
        pages: scanned.len() as u32,
        color: if plan.gray { ColorMode::Gray } else { ColorMode::Color },
        rotation_deg: plan.scan.rotation_deg,
        upside_down_pages: upside.iter().enumerate().filter(|(_, u)| **u).map(|(i, _)| i as u32 + 1).collect(),
        approvals_page: approvals_page as u32 + 1,
        fields: content.fields,
        raw: content.raw,
        votes: content.votes,
        approvals: content.approvals,
        defects: content.defects,
        planted: plan.values.planted.clone(),
        docx: docx_rel,
        layout: LayoutInfo {
            table_font: p.table_font.clone(),
            body_font: p.body_font.clone(),
            columns_mm: plan.spec.table.columns_mm.clone(),
            margins_mm: [p.margin_top_mm, p.margin_right_mm, p.margin_bottom_mm, p.margin_left_mm],
            handwritten_votes: plan.hand_votes,
            jpeg_quality: plan.jpeg_quality,
        },
    })
}

/// Makes the whole set into `opts.output`: the scans, `docx/`, and `truth.jsonl`.
pub fn generate(spec: &Spec, opts: &Options) -> Result<Summary, SampleError> {
    if opts.dpis.is_empty() || opts.dpis.iter().any(|d| !(72..=600).contains(d)) {
        return Err(SampleError::Setup(format!("--dpi takes resolutions between 72 and 600, not {:?}", opts.dpis)));
    }
    check_tools()?;
    let out = &opts.output;
    std::fs::create_dir_all(out.join("docx")).map_err(|source| SampleError::Io { path: out.clone(), source })?;
    tempfile::tempfile_in(out).map_err(|source| SampleError::Io { path: out.clone(), source })?;

    let start = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.max(1))
        .build()
        .map_err(|e| SampleError::Setup(format!("cannot start {} workers: {e}", opts.jobs)))?;
    let done = AtomicUsize::new(0);
    let count = opts.count;
    let results: Vec<Result<Truth, SampleError>> = pool.install(|| {
        (0..count)
            .into_par_iter()
            .map(|i| {
                let plan = plan_form(spec, opts.seed, i, count, &opts.dpis);
                let r = make_form(&plan, out);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(10) || n == count {
                    eprintln!("formscan samples: {n}/{count} forms ({:.0} s)", start.elapsed().as_secs_f64());
                }
                r
            })
            .collect()
    });
    // A form that fails does not cost the others: their truth is written, then the run fails.
    let mut truths = Vec::with_capacity(count);
    let mut failed: Vec<SampleError> = Vec::new();
    for r in results {
        match r {
            Ok(t) => truths.push(t),
            Err(e) => failed.push(e),
        }
    }
    let mut jsonl = String::new();
    let mut s = Summary { forms: truths.len(), ..Summary::default() };
    for t in &truths {
        jsonl.push_str(&serde_json::to_string(t).map_err(|e| SampleError::Setup(format!("truth of form {}: {e}", t.form)))?);
        jsonl.push('\n');
        s.pages += t.pages as usize;
        match t.kind {
            OutputKind::Pdf => s.pdf += 1,
            OutputKind::Tiff => s.tiff += 1,
            OutputKind::Jpeg => s.jpeg += 1,
        }
        s.gray += usize::from(t.color == ColorMode::Gray);
        s.defective += usize::from(!t.defects.is_empty());
    }
    write(&out.join("truth.jsonl"), jsonl.as_bytes())?;
    s.seconds = start.elapsed().as_secs_f64();
    match failed.len() {
        0 => Ok(s),
        1 => Err(failed.remove(0)),
        n => {
            let list: Vec<String> = failed.iter().map(|e| e.to_string()).collect();
            Err(SampleError::Setup(format!("{n} forms failed (truth.jsonl lists the {} others): {}", s.forms, list.join("; "))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_a_function_of_seed_and_index() {
        let spec = Spec::builtin();
        let a = plan_form(&spec, 7, 3, 10, &[200, 300]);
        let b = plan_form(&spec, 7, 3, 10, &[200, 300]);
        assert_eq!(a.values.raw, b.values.raw);
        assert_eq!(a.spec, b.spec);
        assert_eq!(a.scan, b.scan);
        let c = plan_form(&spec, 8, 3, 10, &[200, 300]);
        assert_ne!(a.values.raw, c.values.raw);
        assert_eq!(a.name, "0004");
    }

    #[test]
    fn a_set_mixes_kinds_colours_and_defects() {
        let spec = Spec::builtin();
        let plans: Vec<FormPlan> = (0..200).map(|i| plan_form(&spec, 2023, i, 200, &[200, 300])).collect();
        let n = |f: &dyn Fn(&FormPlan) -> bool| plans.iter().filter(|p| f(p)).count();
        assert_eq!(n(&|p| p.kind == OutputKind::Pdf), 100);
        assert_eq!(n(&|p| p.kind == OutputKind::Tiff), 50);
        assert!((25..60).contains(&n(&|p| p.gray)));
        assert!((45..90).contains(&n(&|p| !p.values.planted.is_empty())));
        assert!((45..90).contains(&n(&|p| p.hand_votes)));
        assert!(n(&|p| p.dpi == 300) > 60 && n(&|p| p.dpi == 200) > 60);
        assert!(plans.iter().all(|p| p.scan.rotation_deg.abs() <= 3.0));
    }
}
