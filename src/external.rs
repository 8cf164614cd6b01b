//! External programs formscan drives: LibreOffice (renders .docx to PDF, as a person's word
//! processor would) and poppler's pdftotext/pdftoppm. Used by the tests that prove the template
//! renders, and by the sample generator.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::ToolError;

/// A program on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file())
}

/// LibreOffice's command, by either of its names.
pub fn soffice() -> Option<PathBuf> {
    which("soffice").or_else(|| which("libreoffice"))
}

/// `LibreOffice 7.4.7.2 …`, or None when it is not installed.
pub fn libreoffice_version() -> Option<String> {
    let out = Command::new(soffice()?).arg("--version").stderr(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!text.is_empty()).then_some(text)
}

/// What a finished command wrote, and how it ended.
pub struct Finished {
    pub status: std::process::ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs a command with a time limit, its output captured in temporary files: a pipe would
/// fill (and block the program) while nobody reads it during the wait. Errs only when the
/// command could not start or ran past `limit` (it is then killed).
pub fn run_limited(mut cmd: Command, limit: Duration) -> Result<Finished, String> {
    let mut out = tempfile::tempfile().map_err(|e| format!("temporary file: {e}"))?;
    let mut err = tempfile::tempfile().map_err(|e| format!("temporary file: {e}"))?;
    let clone = |f: &std::fs::File| f.try_clone().map_err(|e| format!("temporary file: {e}"));
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(clone(&out)?)
        .stderr(clone(&err)?)
        .spawn()
        .map_err(|e| format!("cannot start: {e}"))?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no result after {} s", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    };
    let read = |f: &mut std::fs::File| -> Vec<u8> {
        use std::io::{Read, Seek};
        let mut v = Vec::new();
        let _ = f.rewind().and_then(|_| f.read_to_end(&mut v));
        v
    };
    let stdout = read(&mut out);
    let stderr = String::from_utf8_lossy(&read(&mut err)).into_owned();
    Ok(Finished { status, stdout, stderr })
}

/// Runs a command with a time limit; returns its stdout, or its stderr as the error.
fn run(program: &'static str, cmd: Command, input: &Path, limit: Duration) -> Result<Vec<u8>, ToolError> {
    let failed = |message: String| ToolError::Failed { program, input: input.to_path_buf(), message };
    let done = run_limited(cmd, limit).map_err(failed)?;
    if !done.status.success() {
        return Err(failed(format!("{}: {}", done.status, done.stderr.trim())));
    }
    Ok(done.stdout)
}

static PROFILE_SEQ: AtomicUsize = AtomicUsize::new(0);

/// Converts a document to PDF with headless LibreOffice; returns the PDF's path in `outdir`.
/// Each call gets its own LibreOffice profile, so conversions may run in parallel.
pub fn docx_to_pdf(docx: &Path, outdir: &Path) -> Result<PathBuf, ToolError> {
    let program = soffice().ok_or(ToolError::Missing { program: "soffice", hint: "Debian package libreoffice-writer" })?;
    std::fs::create_dir_all(outdir).map_err(|source| ToolError::Io { path: outdir.to_path_buf(), source })?;
    let convert = || {
        let profile = std::env::temp_dir().join(format!(
            "formscan-lo-{}-{}",
            std::process::id(),
            PROFILE_SEQ.fetch_add(1, Ordering::Relaxed)
        ));
        let mut cmd = Command::new(&program);
        cmd.arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir"])
            .arg(outdir)
            .arg(docx);
        let result = run("soffice", cmd, docx, Duration::from_secs(180));
        let _ = std::fs::remove_dir_all(&profile);
        result
    };
    // Headless LibreOffice now and then aborts on a document it converts fine the next time
    // (seen: a WrappedTargetRuntimeException, signal 6, one sample form in forty while
    // another conversion ran): a failed conversion is tried once more with a fresh profile.
    convert().or_else(|_| convert())?;
    let stem = docx.file_stem().unwrap_or_default();
    let pdf = outdir.join(stem).with_extension("pdf");
    if !pdf.is_file() {
        return Err(ToolError::Failed { program: "soffice", input: docx.to_path_buf(), message: "wrote no PDF (is the file a document?)".into() });
    }
    Ok(pdf)
}

/// How pdftotext orders the text of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextOrder {
    /// Block by block, as a person reads: a table cell's wrapped lines stay together.
    Reading,
    /// Lines as they sit on the page, columns kept apart by spaces.
    Physical,
}

/// The text of each page of a PDF.
pub fn pdf_pages_text(pdf: &Path, order: TextOrder) -> Result<Vec<String>, ToolError> {
    let program = which("pdftotext").ok_or(ToolError::Missing { program: "pdftotext", hint: "Debian package poppler-utils" })?;
    let mut cmd = Command::new(program);
    if order == TextOrder::Physical {
        cmd.arg("-layout");
    }
    cmd.args(["-enc", "UTF-8"]).arg(pdf).arg("-");
    let out = run("pdftotext", cmd, pdf, Duration::from_secs(60))?;
    let text = String::from_utf8_lossy(&out);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    Ok(pages)
}

/// Rasterises a PDF's pages to PNG files `<prefix>-<n>.png`, returned in page order.
pub fn pdf_to_png(pdf: &Path, dpi: u32, prefix: &Path, gray: bool) -> Result<Vec<PathBuf>, ToolError> {
    let program = which("pdftoppm").ok_or(ToolError::Missing { program: "pdftoppm", hint: "Debian package poppler-utils" })?;
    let mut cmd = Command::new(program);
    cmd.args(["-png", "-r", &dpi.to_string()]);
    if gray {
        cmd.arg("-gray");
    }
    cmd.arg(pdf).arg(prefix);
    run("pdftoppm", cmd, pdf, Duration::from_secs(120))?;
    let dir = prefix.parent().unwrap_or(Path::new("."));
    let stem = prefix.file_name().unwrap_or_default().to_string_lossy().into_owned();
    let mut pages: Vec<(u32, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|source| ToolError::Io { path: dir.to_path_buf(), source })?
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let n = name.strip_prefix(&format!("{stem}-"))?.strip_suffix(".png")?.parse().ok()?;
            Some((n, path))
        })
        .collect();
    pages.sort();
    Ok(pages.into_iter().map(|(_, p)| p).collect())
}
