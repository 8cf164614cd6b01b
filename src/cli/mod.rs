//! Options (clap derive) and dispatch. Each subcommand lives in its own function and returns
//! an [`Exit`]; errors are printed once, here.

mod eval;
mod process;
mod samples;
mod template;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use formscan::spec::Spec;

/// formscan's exit codes, stable for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked was done (flags on forms are data, not errors).
    Success = 0,
    /// The run itself failed: bad options, a broken spec, an unwritable output.
    Failure = 1,
    /// Some inputs could not be read; each has an `unreadable` record.
    InputsUnreadable = 2,
    /// `doctor` found a required part missing (Tesseract's chi_sim data).
    MissingDependency = 3,
}

const EXIT_CODES: &str = "\
Exit codes:
  0  success (flags raised on forms are data, not errors)
  1  the run failed: bad options, a broken form spec, an output that cannot be written
  2  some inputs could not be read (each still gets an `unreadable` record)
  3  doctor: a required part is missing (Tesseract chi_sim data)";

#[derive(Debug, Parser)]
#[command(
    name = "formscan",
    version,
    about = "Reads the 2023 内蒙古自治区“最美职工” 推荐申报表 — Word files and scans — into checked records, and draws the fillable form.",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Form spec to use instead of the built-in templates/zuimei-2023.toml.
    #[arg(long, global = true, value_name = "TOML")]
    spec: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the fillable form (.docx), blank or pre-filled, or one per unit.
    #[command(after_help = template::EXAMPLES)]
    Template(template::Args),
    /// Check that Tesseract, its chi_sim data, LibreOffice and poppler are usable.
    Doctor,
    /// Read submissions (Word files, scanned PDFs and images) into checked records, return notices and a review report.
    Process(process::Args),
    /// Generate realistic scanned sample forms with ground truth (truth.jsonl).
    #[command(after_help = samples::EXAMPLES)]
    Samples(samples::Args),
    /// Measure accuracy on a sample set against its truth.jsonl, by kind of input.
    Eval(eval::Args),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap would exit 2, which formscan reserves for unreadable inputs.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { Exit::Failure as u8 } else { Exit::Success as u8 });
        }
    };
    let exit = match run(cli) {
        Ok(exit) => exit,
        Err(e) => {
            eprintln!("formscan: {e:#}");
            Exit::Failure
        }
    };
    ExitCode::from(exit as u8)
}

fn load_spec(path: Option<&PathBuf>) -> anyhow::Result<Spec> {
    Ok(match path {
        Some(p) => Spec::load(p)?,
        None => Spec::builtin(),
    })
}

fn run(cli: Cli) -> anyhow::Result<Exit> {
    match cli.command {
        Command::Template(args) => template::run(&load_spec(cli.spec.as_ref())?, args),
        Command::Doctor => Ok(doctor(cli.spec.as_ref())),
        Command::Process(args) => process::run(&load_spec(cli.spec.as_ref())?, args),
        Command::Samples(args) => samples::run(&load_spec(cli.spec.as_ref())?, args),
        Command::Eval(args) => eval::run(&load_spec(cli.spec.as_ref())?, args),
    }
}


fn doctor(spec: Option<&PathBuf>) -> Exit {
    use formscan::doctor::Status;
    let mut report = formscan::doctor::run();
    let spec_check = match load_spec(spec) {
        Ok(s) => formscan::doctor::Check { name: "spec", status: Status::Ok, detail: format!("{} ({} fields)", s.path.display(), s.fields.len()) },
        Err(e) => formscan::doctor::Check { name: "spec", status: Status::Missing, detail: format!("{e:#}") },
    };
    report.checks.push(spec_check);
    for c in &report.checks {
        let mark = match c.status {
            Status::Ok => "ok     ",
            Status::Warning => "warning",
            Status::Missing => "MISSING",
        };
        println!("{mark}  {:<12} {}", c.name, c.detail);
    }
    if report.ready() {
        println!("formscan {} is ready to read forms.", formscan::VERSION);
        Exit::Success
    } else {
        eprintln!("formscan doctor: a required part is missing (see MISSING above); scans cannot be read until it is installed.");
        Exit::MissingDependency
    }
}
