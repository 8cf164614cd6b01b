//! `formscan template`.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::Context;
use formscan::error::TemplateError;
use formscan::spec::{Place, Spec};
use formscan::template::{self, Prefill};

use super::Exit;

pub const EXAMPLES: &str = "\
Examples:
  formscan template -o out/                       blank form → out/zuimei-2023.docx
  formscan template -o a.docx --set name=张三 --set fill_date=2023-05-10
  formscan template --units units.csv -o forms/   one pre-filled form per unit
  formscan template --list                        the field ids that --set takes";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output .docx file, or folder (created if needed).
    #[arg(short, long, value_name = "PATH", default_value = ".")]
    output: PathBuf,
    /// Pre-fill a field: ID=VALUE (repeatable; dates as YYYY-MM-DD).
    #[arg(long = "set", value_name = "ID=VALUE")]
    set: Vec<String>,
    /// CSV of units (columns: unit name, region/industry): one pre-filled form each, in the
    /// output folder, named after the unit.
    #[arg(long, value_name = "CSV")]
    units: Option<PathBuf>,
    /// List the form's fields (id, label, kind, place) and exit.
    #[arg(long)]
    list: bool,
}

fn parse_sets(sets: &[String]) -> Result<Prefill, TemplateError> {
    let mut values = Prefill::new();
    for s in sets {
        let (id, value) = s.split_once('=').ok_or_else(|| TemplateError::BadAssignment(s.clone()))?;
        values.insert(id.trim().to_string(), value.replace("\\n", "\n"));
    }
    Ok(values)
}

pub fn run(spec: &Spec, args: Args) -> anyhow::Result<Exit> {
    if args.list {
        list(spec);
        return Ok(Exit::Success);
    }
    let values = parse_sets(&args.set)?;
    // Options are checked before anything is written.
    template::check_prefill(spec, &values)?;
    let Some(units_csv) = &args.units else {
        let path = template::output_file(spec, &args.output);
        template::write_docx(spec, &values, &path)?;
        let what = if values.is_empty() { "blank form" } else { "pre-filled form" };
        println!("wrote {} ({what})", path.display());
        return Ok(Exit::Success);
    };
    if args.output.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx")) {
        anyhow::bail!("--units writes one file per unit: give -o a folder, not {}", args.output.display());
    }
    let units = template::read_units(units_csv)?;
    let mut taken = HashSet::new();
    for unit in &units {
        let mut v = values.clone();
        // The unit fills in the candidate's employer; the cover's region is the unit's.
        for (id, value) in [("cover_employer", &unit.name), ("employer", &unit.name), ("cover_region", &unit.region)] {
            if spec.field(id).is_some() {
                v.entry(id.to_string()).or_insert_with(|| value.clone());
            }
        }
        let path = args.output.join(template::unit_file_name(unit, &mut taken));
        template::write_docx(spec, &v, &path).with_context(|| format!("unit `{}`", unit.name))?;
    }
    println!("wrote {} pre-filled forms to {}", units.len(), args.output.display());
    Ok(Exit::Success)
}

fn list(spec: &Spec) {
    println!("{:<20} {:<12} {:<9} {:<14} label", "id", "kind", "required", "place");
    for f in &spec.fields {
        let place = match &f.place {
            Place::Cover { line } => format!("cover line {line}"),
            Place::Table { row, col, span, .. } => format!("row {row} col {col}+{span}"),
            Place::Sentence { in_box } => format!("in {in_box}"),
        };
        let kind = format!("{:?}", f.kind).to_lowercase();
        println!("{:<20} {:<12} {:<9} {:<14} {}", f.id, kind, if f.required { "yes" } else { "" }, place, f.label);
    }
}
