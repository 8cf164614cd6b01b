//! Typed errors of the library. Each carries its context (which file, which field) so that the
//! binary can print it once, as is, and pick the exit code from its kind.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum SpecError {
    #[error("{}: cannot read the form spec: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, message: String },
}

#[derive(Debug, Error)]
pub enum TemplateError {
    #[error("--set {0}: no field of the form has this id (see `formscan template --list`)")]
    UnknownField(String),
    #[error("--set {id}={value}: {reason}")]
    BadValue { id: String, value: String, reason: String },
    #[error("--set {0}: expected id=value")]
    BadAssignment(String),
    #[error("{}: {message}", path.display())]
    Units { path: PathBuf, message: String },
    #[error("{}: cannot write: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("building the .docx: {0}")]
    Build(String),
}

#[derive(Debug, Error)]
pub enum ToolError {
    #[error("{program} is not installed or not on PATH ({hint})")]
    Missing { program: &'static str, hint: &'static str },
    #[error("{program} failed on {}: {message}", input.display())]
    Failed { program: &'static str, input: PathBuf, message: String },
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

#[derive(Debug, Error)]
pub enum OcrError {
    #[error("Tesseract could not start with language `{lang}` (traineddata searched in {searched}); install tesseract-ocr-chi-sim or set TESSDATA_PREFIX")]
    Init { lang: String, searched: String },
    #[error("Tesseract could not take the image: {0}")]
    Image(String),
    #[error("Tesseract returned text that is not UTF-8")]
    Text,
}

#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{}: cannot read the rules config: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}:{line}: {message}", path.display())]
    Invalid { path: PathBuf, line: usize, message: String },
}
