//! Helpers shared by the integration tests.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use formscan::spec::Spec;
use serde_json::Value;
use formscan::template::{self, Prefill};

pub fn formscan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_formscan")).args(args).output().expect("run formscan")
}

/// `formscan process INPUTS -o OUT EXTRA…`: how it ended, and the records by file name.
pub fn process_into(inputs: &[&Path], out: &Path, extra: &[&str]) -> (Output, BTreeMap<String, Value>) {
    let mut args: Vec<String> = vec!["process".into()];
    args.extend(inputs.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["-o".to_string(), out.to_string_lossy().into_owned()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let o = formscan(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let mut records = BTreeMap::new();
    for line in std::fs::read_to_string(out.join("records.jsonl")).unwrap_or_default().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let name = Path::new(v["source"]["path"].as_str().unwrap()).file_name().unwrap().to_string_lossy().into_owned();
        records.insert(name, v);
    }
    (o, records)
}

pub fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One entry of a zip (docx) as text.
pub fn zip_entry(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("docx is a zip");
    let mut s = String::new();
    zip.by_name(name).expect(name).read_to_string(&mut s).unwrap();
    s
}

/// A copy of `docx` with one entry replaced.
pub fn replace_entry(docx: &[u8], name: &str, content: &str) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let fname = f.name().to_string();
        out.start_file(fname.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        if fname == name {
            out.write_all(content.as_bytes()).unwrap();
        } else {
            let mut buf = Vec::new();
            f.read_to_end(&mut buf).unwrap();
            out.write_all(&buf).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// Types `value` into the content control tagged `tag` the way a word processor stores it:
/// the placeholder flag goes, the control's first text run gets the value, other runs empty.
pub fn fill_control(document: &str, tag: &str, value: &str) -> String {
    let tag_at = document.find(&format!(r#"<w:tag w:val="{tag}"/>"#)).unwrap_or_else(|| panic!("no control {tag}"));
    let sdt_start = document[..tag_at].rfind("<w:sdt>").unwrap();
    let content_start = tag_at + document[tag_at..].find("<w:sdtContent>").unwrap();
    let content_end = content_start + document[content_start..].find("</w:sdtContent>").unwrap();
    let props = document[sdt_start..content_start].replace("<w:showingPlcHdr/>", "");
    let mut content = String::new();
    let mut rest = &document[content_start..content_end];
    let mut first = true;
    while let Some(t) = rest.find("<w:t ") {
        let open_end = t + rest[t..].find('>').unwrap() + 1;
        let close = open_end + rest[open_end..].find("</w:t>").unwrap();
        content.push_str(&rest[..open_end]);
        if first {
            content.push_str(value);
            first = false;
        }
        rest = &rest[close..];
    }
    content.push_str(rest);
    format!("{}{props}{content}{}", &document[..sdt_start], &document[content_end..])
}

pub fn spec() -> Spec {
    Spec::builtin()
}

pub fn blank_docx() -> Vec<u8> {
    template::build_docx(&spec(), &Prefill::new()).unwrap()
}

/// A folder that lives as long as the test binary.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

/// The blank template rendered by LibreOffice, once per test run.
pub fn blank_pdf() -> &'static PathBuf {
    static PDF: OnceLock<PathBuf> = OnceLock::new();
    PDF.get_or_init(|| {
        let dir = scratch().join("blank");
        std::fs::create_dir_all(&dir).unwrap();
        let docx = dir.join("blank.docx");
        std::fs::write(&docx, blank_docx()).unwrap();
        formscan::external::docx_to_pdf(&docx, &dir).expect("LibreOffice renders the template")
    })
}

/// Page texts with all white space removed, so that labels wrapped inside cells still match.
pub fn squeezed_pages(pdf: &Path) -> Vec<String> {
    formscan::external::pdf_pages_text(pdf, formscan::external::TextOrder::Reading)
        .unwrap()
        .into_iter()
        .map(|p| p.chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}
