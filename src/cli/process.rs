//! `formscan process INPUT... -o OUTDIR`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use formscan::config::Config;
use formscan::fields::corrections::Corrections;
use formscan::fields::rules::Quotas;
use formscan::ingest::{ImageLimits, ZipLimits};
use formscan::layout::scan_form::ScanParams;
use formscan::output::report::{write_report, ReportOptions};
use formscan::pipeline::{self, Job};
use formscan::record::Status;
use formscan::spec::Spec;

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or folders (walked recursively, in name order); each file is one submission.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Folder for records.jsonl, records.csv, records.xlsx, returns.csv, returns/ (one return
    /// notice per unit, .docx), report.html with report/ and corrections.csv.
    #[arg(short, long, value_name = "OUTDIR")]
    output: PathBuf,
    /// Parallel workers (default: all cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Rules and thresholds (TOML; see templates/rules.example.toml). Defaults: the 2023 notice.
    #[arg(long, value_name = "TOML")]
    config: Option<PathBuf>,
    /// Quotas per region/industry (CSV: region,quota).
    #[arg(long, value_name = "CSV")]
    quotas: Option<PathBuf>,
    /// Values read by a reviewer, which replace the machine's before the rules run (CSV:
    /// file,target,value,note; see the README).
    #[arg(long, value_name = "CSV")]
    corrections: Option<PathBuf>,
    /// Show ID and phone numbers in full in report.html (masked by default).
    #[arg(long)]
    show_pii: bool,
    /// Write each scanned page's detected grid, cells and OCR boxes as PNG overlays here.
    #[arg(long, value_name = "DIR")]
    debug_dir: Option<PathBuf>,
}

pub fn run(spec: &Spec, args: Args) -> anyhow::Result<Exit> {
    // Everything that can be wrong with the options is found before the first file is read.
    let config = match &args.config {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    let quotas = args.quotas.as_ref().map(|p| Quotas::load(p)).transpose()?;
    let inputs = pipeline::collect_inputs(&args.inputs)?;
    let corrections = match &args.corrections {
        Some(p) => {
            let c = Corrections::load(p, spec)?;
            let names: Vec<String> = inputs.iter().filter_map(|s| s.files.first()).map(|f| f.to_string_lossy().into_owned()).collect();
            c.check_inputs(&names)?;
            Some(c)
        }
        None => None,
    };
    std::fs::create_dir_all(&args.output).with_context(|| format!("cannot create the output folder {}", args.output.display()))?;
    tempfile::tempfile_in(&args.output).with_context(|| format!("cannot write into the output folder {}", args.output.display()))?;
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);

    if let Some(d) = &args.debug_dir {
        std::fs::create_dir_all(d).with_context(|| format!("cannot create the debug folder {}", d.display()))?;
    }
    let job = Job {
        spec,
        config: &config,
        quotas: quotas.as_ref(),
        limits: ZipLimits::default(),
        image_limits: ImageLimits::default(),
        scan: ScanParams::default(),
        marks: Default::default(),
        report_dir: Some(args.output.clone()),
        debug_dir: args.debug_dir.clone(),
        corrections: corrections.as_ref(),
    };
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(inputs.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} forms  {elapsed} (eta {eta})") {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let (records, evidence) = pipeline::run(&inputs, &job, jobs, &tick);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let quota_of = |region: &str| quotas.as_ref().and_then(|q| q.quota_for(region));
    formscan::output::write_all(&args.output, spec, &records, &quota_of)
        .with_context(|| format!("writing the outputs into {}", args.output.display()))?;
    // Notices go out to units, so they are written only once the records they quote are.
    let returns_dir = args.output.join("returns");
    let notices = formscan::output::returns::write_notices(&returns_dir, &records, &config.returns)
        .with_context(|| format!("writing the return notices into {}", returns_dir.display()))?;
    let report = ReportOptions { show_pii: args.show_pii };
    write_report(&args.output, &records, &evidence, spec, quotas.as_ref(), &report)
        .with_context(|| format!("writing the report into {}", args.output.display()))?;

    for r in records.iter().filter(|r| r.status == Status::Unreadable) {
        let why = r.issues.first().map(|i| i.detail.clone().unwrap_or_else(|| i.message.clone())).unwrap_or_default();
        eprintln!("formscan: {}: unreadable: {why}", r.source.path);
        for row in corrections.iter().flat_map(|c| c.for_input(&r.source.path).into_iter().map(move |row| (c, row))) {
            eprintln!("formscan: {}:{}: not applied: {} is unreadable", row.0.path.display(), row.1.line, r.source.path);
        }
    }
    let s = formscan::output::summarize(&records);
    println!(
        "{} read: {} complete, {} to return, {} to review, {} unreadable → {}",
        s.read, s.complete, s.to_return, s.to_review, s.unreadable, args.output.display()
    );
    if !notices.is_empty() {
        println!("{} return notices → {}", notices.len(), returns_dir.display());
    }
    Ok(if s.unreadable > 0 { Exit::InputsUnreadable } else { Exit::Success })
}
