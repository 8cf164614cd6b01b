//! OCR through Tesseract (leptess, `chi_sim`).
//!
//! One engine per worker thread, created once and reused: starting Tesseract with `chi_sim`
//! costs about 0.25 s and 65 MB. Tesseract must run single-threaded (`OMP_THREAD_LIMIT=1`,
//! set by the binary before the library loads): formscan parallelises across forms itself.

mod tesseract;

use image::GrayImage;

use crate::error::OcrError;

pub use tesseract::{find_tessdata, tesseract_version, Psm, Tesseract, TessdataSearch, OCR_LANG};

/// What a region holds, so the engine can segment it right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// One line of text (short value cells, labels).
    Line,
    /// Several lines (tall cells, approval boxes).
    Block,
    /// A single character (性别's 男/女, a vote count of one digit), which line mode misses.
    Char,
}

/// Text read from a region, with the engine's confidence (0–1).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OcrText {
    pub text: String,
    pub confidence: f32,
}

/// The OCR engine as the layout stage sees it: one page set once, then regions read from it.
/// Behind a trait so the logic around OCR can be tested with a scripted engine.
pub trait OcrEngine {
    fn set_page(&mut self, page: &GrayImage, dpi: u32) -> Result<(), OcrError>;
    /// Reads the rectangle `[x, y, w, h]` of the current page.
    fn read(&mut self, rect: [u32; 4], region: Region) -> Result<OcrText, OcrError>;
}
