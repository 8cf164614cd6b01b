//! `formscan eval DIR`.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use formscan::config::Config;
use formscan::eval::{self, Tally};
use formscan::ingest::{ImageLimits, ZipLimits};
use formscan::layout::scan_form::ScanParams;
use formscan::pipeline::{self, Job, Submission};
use formscan::spec::Spec;
use rayon::prelude::*;

use super::Exit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A sample set written by `formscan samples` (with truth.jsonl).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Parallel workers (default: all cores).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// Also write the records (records.jsonl, …) here.
    #[arg(short, long, value_name = "OUTDIR")]
    output: Option<PathBuf>,
    /// Only the scans, not the Word copies under DIR/docx.
    #[arg(long)]
    scans_only: bool,
}

pub fn run(spec: &Spec, args: Args) -> anyhow::Result<Exit> {
    let truth = eval::load_truth(&args.dir).map_err(anyhow::Error::msg)?;
    anyhow::ensure!(!truth.is_empty(), "{}: truth.jsonl lists no form", args.dir.display());
    let mut work: Vec<(usize, String, Submission)> = Vec::new();
    for (i, t) in truth.iter().enumerate() {
        let files: Vec<PathBuf> = t.files.iter().map(|f| args.dir.join(f)).collect();
        anyhow::ensure!(files.iter().all(|f| f.is_file()), "{}: a file of form {} is missing", args.dir.display(), t.form);
        work.push((i, t.group.clone(), Submission { files }));
        let docx = args.dir.join("docx").join(format!("{}.docx", t.form));
        if !args.scans_only && docx.is_file() {
            work.push((i, "docx".into(), Submission { files: vec![docx] }));
        }
    }
    let config = Config::default();
    let job = Job {
        spec,
        config: &config,
        quotas: None,
        limits: ZipLimits::default(),
        image_limits: ImageLimits::default(),
        scan: ScanParams::default(),
        marks: Default::default(),
        report_dir: None,
        debug_dir: None,
        corrections: None,
    };
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let started = Instant::now();
    eprintln!("eval: {} submissions on {jobs} workers…", work.len());
    let results: Vec<(usize, String, formscan::record::Record, f64, formscan::timing::StageTimes)> = pool.install(|| {
        work.par_iter()
            .map(|(i, group, sub)| {
                formscan::timing::take();
                let t = Instant::now();
                let (r, _) = pipeline::process_submission(sub, *i, &job);
                (*i, group.clone(), r, t.elapsed().as_secs_f64(), formscan::timing::take())
            })
            .collect()
    });
    let mut groups: BTreeMap<String, Tally> = BTreeMap::new();
    for (i, group, record, secs, stages) in &results {
        let mut t = eval::score(spec, record, &truth[*i].value, *secs, config.eligibility_severity());
        t.stages = *stages;
        groups.entry(group.clone()).or_default().add(&t);
    }
    print!("{}", eval::report(&groups));
    println!("wall time {:.1} s for {} submissions", started.elapsed().as_secs_f64(), results.len());
    if let Some(out) = &args.output {
        let records: Vec<_> = results.into_iter().map(|(_, _, r, ..)| r).collect();
        formscan::output::write_all(out, spec, &records, &|_: &str| None).with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(Exit::Success)
}
