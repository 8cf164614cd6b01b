//! `formscan doctor`: what this machine has of what formscan needs.

use crate::external;
use crate::ocr::{self, DIGITS_LANG, OCR_LANG, SECOND_LANG};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Missing but only some features need it (tests, sample generation).
    Warning,
    /// Missing and formscan cannot read scans without it.
    Missing,
}

/// Where an optional model `lang` was found (what it is `for`), or a warning that `what` are
/// read by chi_sim alone, naming the Debian `package` that installs it.
fn optional_model(name: &'static str, lang: &str, for_: &str, what: &str, package: &str) -> Check {
    match ocr::find_tessdata(lang).found {
        Some(dir) => Check { name, status: Status::Ok, detail: format!("{} ({for_})", dir.join(format!("{lang}.traineddata")).display()) },
        None => Check { name, status: Status::Warning, detail: format!("{lang}.traineddata not found: {what} are read by chi_sim alone; install Debian's {package}") },
    }
}

#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub checks: Vec<Check>,
}

impl Report {
    /// True when every required part is there.
    pub fn ready(&self) -> bool {
        self.checks.iter().all(|c| c.status != Status::Missing)
    }
}

/// Runs every check. Starts a real Tesseract engine with `chi_sim`, so it takes a moment.
pub fn run() -> Report {
    let mut checks = Vec::new();
    checks.push(Check { name: "tesseract", status: Status::Ok, detail: format!("libtesseract {} linked", ocr::tesseract_version()) });

    let search = ocr::find_tessdata(OCR_LANG);
    checks.push(match &search.found {
        Some(dir) => Check { name: "chi_sim", status: Status::Ok, detail: format!("{}", dir.join(format!("{OCR_LANG}.traineddata")).display()) },
        None => Check {
            name: "chi_sim",
            status: Status::Missing,
            detail: format!(
                "{OCR_LANG}.traineddata not found in {}; install Debian's tesseract-ocr-chi-sim or set TESSDATA_PREFIX",
                search.searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
            ),
        },
    });
    if search.found.is_some() {
        let start = std::time::Instant::now();
        checks.push(match ocr::Tesseract::new(OCR_LANG) {
            Ok(_) => Check { name: "engine", status: Status::Ok, detail: format!("Tesseract started with {OCR_LANG} in {} ms", start.elapsed().as_millis()) },
            Err(e) => Check { name: "engine", status: Status::Missing, detail: e.to_string() },
        });
    }

    // The second opinions: optional, formscan reads without them (a serif 5 may then stay
    // read as 2, a name's 侯 as 修).
    checks.push(optional_model("eng", DIGITS_LANG, "second reading of handwritten counts", "counts", "tesseract-ocr-eng"));
    checks.push(optional_model("HanS", SECOND_LANG, "second reading of the values chi_sim is unsure of", "values", "tesseract-ocr-script-hans"));

    let omp = std::env::var("OMP_THREAD_LIMIT").ok();
    checks.push(match omp.as_deref() {
        Some("1") => Check {
            name: "threads",
            status: Status::Ok,
            detail: if std::env::var_os(crate::REEXEC_MARK).is_some() {
                "OMP_THREAD_LIMIT=1 (set by formscan, which restarted itself with it)".into()
            } else {
                "OMP_THREAD_LIMIT=1".into()
            },
        },
        other => Check {
            name: "threads",
            status: Status::Warning,
            detail: format!("OMP_THREAD_LIMIT={} — Tesseract will oversubscribe the cores when forms run in parallel", other.unwrap_or("(unset)")),
        },
    });

    checks.push(match external::libreoffice_version() {
        Some(v) => Check { name: "libreoffice", status: Status::Ok, detail: v },
        None => Check { name: "libreoffice", status: Status::Warning, detail: "not found: needed by the tests and `formscan samples` (Debian: libreoffice-writer)".into() },
    });
    for tool in ["pdftotext", "pdftoppm"] {
        checks.push(match external::which(tool) {
            Some(p) => Check { name: tool_name(tool), status: Status::Ok, detail: p.display().to_string() },
            None => Check { name: tool_name(tool), status: Status::Warning, detail: "not found: needed by the tests and `formscan samples` (Debian: poppler-utils)".into() },
        });
    }
    Report { checks }
}

fn tool_name(tool: &str) -> &'static str {
    match tool {
        "pdftotext" => "pdftotext",
        _ => "pdftoppm",
    }
}
