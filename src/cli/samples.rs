//! `formscan samples -o DIR --count N --seed S [--dpi 200,300] [--jobs J]`.

use std::path::PathBuf;

use anyhow::Context;
use formscan::samples::{self, Options};
use formscan::spec::Spec;

use super::Exit;

pub const EXAMPLES: &str = "\
Examples:
  formscan samples -o scans/ --count 50 --seed 7          50 forms at 200 or 300 dpi
  formscan samples -o demo/ --count 4 --seed 2023 --dpi 200

Writes NNNN.pdf (JPEG pages), NNNN.tif (multi-page) or NNNN-pK.jpg per form, docx/NNNN.docx
(the filled document each was printed from) and truth.jsonl (one line of ground truth per form).
The same seed gives the same set. Needs LibreOffice, poppler and the CJK and UKai fonts.";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder (created if needed).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Number of forms.
    #[arg(long, value_name = "N", default_value_t = 10)]
    count: usize,
    /// Seed: the same seed gives the same set.
    #[arg(long, value_name = "S", default_value_t = 2023)]
    seed: u64,
    /// Resolutions to scan at, one chosen per form.
    #[arg(long, value_name = "DPI,…", value_delimiter = ',', default_value = "200,300")]
    dpi: Vec<u32>,
    /// Forms made in parallel (default: all cores).
    #[arg(short, long, value_name = "J")]
    jobs: Option<usize>,
}

pub fn run(spec: &Spec, args: Args) -> anyhow::Result<Exit> {
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let opts = Options { output: args.output.clone(), count: args.count, seed: args.seed, dpis: args.dpi, jobs };
    let s = samples::generate(spec, &opts).with_context(|| format!("making sample forms in {}", args.output.display()))?;
    println!(
        "{} forms ({} pages: {} PDF, {} TIFF, {} JPEG sets; {} greyscale; {} with planted defects) in {:.1} s → {}",
        s.forms,
        s.pages,
        s.pdf,
        s.tiff,
        s.jpeg,
        s.gray,
        s.defective,
        s.seconds,
        args.output.join("truth.jsonl").display()
    );
    Ok(Exit::Success)
}
