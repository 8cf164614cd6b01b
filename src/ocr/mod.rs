//! OCR through Tesseract (leptess, `chi_sim`).
//!
//! One engine per worker thread, created once and reused: starting Tesseract with `chi_sim`
//! costs about 0.25 s and 65 MB. Tesseract must run single-threaded (`OMP_THREAD_LIMIT=1`,
//! set by the binary before the library loads): formscan parallelises across forms itself.

mod tesseract;

use image::GrayImage;

use crate::error::OcrError;

pub use tesseract::{find_tessdata, tesseract_version, Psm, Tesseract, TessdataSearch, DIGITS_LANG, OCR_LANG, SECOND_LANG};

/// Marks the start of a submission in the OCR trace (see `FORMSCAN_OCR_TRACE`).
pub fn trace_submission(path: &std::path::Path) {
    if tesseract::trace_on() {
        eprintln!("ocr-trace\tsubmission\t{}", path.display());
    }
}

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

/// One word (for Chinese: a run of characters Tesseract kept together) with its box in page
/// pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct OcrWord {
    pub text: String,
    pub bbox: [u32; 4],
    pub confidence: f32,
}

/// The OCR engine as the layout stage sees it: one page set once, then regions read from it.
/// Behind a trait so the logic around OCR can be tested with a scripted engine.
pub trait OcrEngine {
    fn set_page(&mut self, page: &GrayImage, dpi: u32) -> Result<(), OcrError>;
    /// Reads the rectangle `[x, y, w, h]` of the current page.
    fn read(&mut self, rect: [u32; 4], region: Region) -> Result<OcrText, OcrError>;
    /// Restricts what the reads that follow may return to `chars` (None lifts it), as
    /// Tesseract's whitelist does: where the printed words around handwriting are known, a
    /// handwritten 九 cannot come out as 丸, nor 年 as 儿. An engine without it reads freely.
    fn restrict(&mut self, chars: Option<&str>) {
        let _ = chars;
    }
    /// Reads a rectangle allowing only `chars`, then lifts the restriction.
    fn read_only(&mut self, rect: [u32; 4], region: Region, chars: &str) -> Result<OcrText, OcrError> {
        self.restrict(Some(chars));
        let read = self.read(rect, region);
        self.restrict(None);
        read
    }
    /// Reads words allowing only `chars`, then lifts the restriction.
    fn read_words_only(&mut self, rect: [u32; 4], region: Region, chars: &str) -> Result<Vec<OcrWord>, OcrError> {
        self.restrict(Some(chars));
        let read = self.read_words(rect, region);
        self.restrict(None);
        read
    }
    /// Reads `piece`, a small image holding digits alone (a count cut from its sentence, a
    /// month in its cell), with a model made for Latin script, only `chars` allowed: a second
    /// opinion on chi_sim's digits (it reads a serif 5 as 2, a 1 as 4). None when the engine
    /// has no such model.
    fn read_digits(&mut self, piece: &GrayImage, dpi: u32, chars: &str) -> Result<Option<OcrText>, OcrError> {
        let _ = (piece, dpi, chars);
        Ok(None)
    }
    /// Reads `piece`, one line of print cut out on paper, with a second model of the script
    /// (see `SECOND_LANG`): another opinion on a line chi_sim is unsure of. None when the
    /// engine has no such model.
    fn read_second(&mut self, piece: &GrayImage, dpi: u32) -> Result<Option<OcrText>, OcrError> {
        let _ = (piece, dpi);
        Ok(None)
    }
    /// Reads a rectangle into words with their boxes. An engine without word boxes returns
    /// its text as one word covering the rectangle.
    fn read_words(&mut self, rect: [u32; 4], region: Region) -> Result<Vec<OcrWord>, OcrError> {
        let t = self.read(rect, region)?;
        let text = t.text.trim().to_string();
        Ok(if text.is_empty() { Vec::new() } else { vec![OcrWord { text, bbox: rect, confidence: t.confidence }] })
    }
}

/// Words from Tesseract's TSV output (level 5 rows: `level page block par line word left top
/// width height conf text`); rows without text are layout levels, not words.
pub fn parse_tsv_words(tsv: &str) -> Vec<OcrWord> {
    tsv.lines()
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 12 || cols[0] != "5" {
                return None;
            }
            let num = |i: usize| cols[i].trim().parse::<i64>().ok().map(|v| v.max(0) as u32);
            let text = cols[11..].join("\t").trim().to_string();
            if text.is_empty() {
                return None;
            }
            let conf = cols[10].trim().parse::<f32>().ok()?.clamp(0.0, 100.0) / 100.0;
            Some(OcrWord { text, bbox: [num(6)?, num(7)?, num(8)?, num(9)?], confidence: conf })
        })
        .collect()
}
