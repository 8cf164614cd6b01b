//! The Tesseract engine and where its language data lives.

use std::ffi::CStr;
use std::path::{Path, PathBuf};

use std::ffi::CString;

use leptess::tesseract::TessApi;
use leptess::Variable;

use crate::error::OcrError;

/// The language formscan reads: printed simplified Chinese (Debian's fast integer model).
pub const OCR_LANG: &str = "chi_sim";

/// The second opinion on handwritten counts: Tesseract's English model, whose digits are
/// trained on Latin fonts (chi_sim reads a serif 5 as 2). Installed with Tesseract itself.
pub const DIGITS_LANG: &str = "eng";

/// The second opinion on a line of print chi_sim is unsure of: Tesseract's model of the
/// simplified Han script (all languages written in it, trained on more fonts), larger and
/// slower than chi_sim and no better overall, but wrong in other places (it reads 侯 where
/// chi_sim reads 修, 护士 where chi_sim reads 护主). Debian's tesseract-ocr-script-hans.
pub const SECOND_LANG: &str = "HanS";

/// Tesseract's page-segmentation modes that formscan uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Psm {
    /// A uniform block of text (whole pages, tall cells).
    Block,
    /// One text line (short value cells, labels).
    SingleLine,
    /// One character.
    SingleChar,
}

impl Psm {
    fn as_str(self) -> &'static str {
        match self {
            Psm::Block => "6",
            Psm::SingleLine => "7",
            Psm::SingleChar => "10",
        }
    }
}

/// The version of the linked libtesseract.
pub fn tesseract_version() -> String {
    // SAFETY: TessVersion returns a pointer to a static NUL-terminated string.
    unsafe {
        let p = leptess::capi::TessVersion();
        if p.is_null() {
            return "unknown".into();
        }
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

/// Where a language's traineddata was looked for and found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TessdataSearch {
    pub searched: Vec<PathBuf>,
    /// The folder holding `<lang>.traineddata`, if any.
    pub found: Option<PathBuf>,
}

/// Finds the tessdata folder holding `lang`. As Tesseract itself does, `$TESSDATA_PREFIX`
/// (the folder or its `tessdata/`) replaces the default places when it is set; otherwise the
/// places Debian, Fedora and source builds install to.
pub fn find_tessdata(lang: &str) -> TessdataSearch {
    let mut candidates = Vec::new();
    if let Some(prefix) = std::env::var_os("TESSDATA_PREFIX") {
        let p = PathBuf::from(prefix);
        candidates.push(p.clone());
        candidates.push(p.join("tessdata"));
    }
    let defaults: &[&str] = if candidates.is_empty() {
        &[
            "/usr/share/tesseract-ocr/5/tessdata",
            "/usr/share/tesseract-ocr/4.00/tessdata",
            "/usr/share/tessdata",
            "/usr/local/share/tessdata",
        ]
    } else {
        &[]
    };
    for dir in defaults {
        candidates.push(PathBuf::from(dir));
    }
    let file = format!("{lang}.traineddata");
    let found = candidates.iter().find(|d| d.join(&file).is_file()).cloned();
    TessdataSearch { searched: candidates, found }
}

impl super::OcrEngine for Tesseract {
    fn set_page(&mut self, page: &image::GrayImage, dpi: u32) -> Result<(), OcrError> {
        self.set_gray(page, dpi)
    }

    fn read(&mut self, rect: [u32; 4], region: super::Region) -> Result<super::OcrText, OcrError> {
        let start = std::time::Instant::now();
        let (text, confidence) = self.read_rect(rect, Self::psm(region))?;
        trace("read", region, rect, start, &text);
        Ok(super::OcrText { text, confidence })
    }

    fn restrict(&mut self, chars: Option<&str>) {
        self.set(Variable::TesseditCharWhitelist, chars.unwrap_or(""));
    }

    fn read_digits(&mut self, piece: &image::GrayImage, dpi: u32, chars: &str) -> Result<Option<super::OcrText>, OcrError> {
        let Some(shared) = shared_engine(Opinion::Digits) else { return Ok(None) };
        // A lone digit (narrower than it is high) read as a line comes back with no confidence.
        let dark: Vec<(u32, u32)> = piece.enumerate_pixels().filter(|p| p.2[0] < 128).map(|(x, y, _)| (x, y)).collect();
        let extent = |f: fn(&(u32, u32)) -> u32| dark.iter().map(f).max().zip(dark.iter().map(f).min()).map_or(0, |(a, b)| a + 1 - b);
        let psm = if extent(|p| p.0) * 5 < extent(|p| p.1) * 4 { Psm::SingleChar } else { Psm::SingleLine };
        let mut engine = shared.lock().unwrap_or_else(|e| e.into_inner());
        engine.set_gray(piece, dpi)?;
        engine.restrict(Some(chars));
        let start = std::time::Instant::now();
        let read = engine.read_rect([0, 0, piece.width(), piece.height()], psm);
        engine.restrict(None);
        let (text, confidence) = read?;
        trace("digits", super::Region::Line, [0, 0, piece.width(), piece.height()], start, &text);
        Ok(Some(super::OcrText { text, confidence }))
    }

    fn read_second(&mut self, piece: &image::GrayImage, dpi: u32) -> Result<Option<super::OcrText>, OcrError> {
        let Some(shared) = shared_engine(Opinion::Second) else { return Ok(None) };
        let mut engine = shared.lock().unwrap_or_else(|e| e.into_inner());
        engine.set_gray(piece, dpi)?;
        let start = std::time::Instant::now();
        let rect = [0, 0, piece.width(), piece.height()];
        let (text, confidence) = read_with_blank_retry(&mut engine, rect)?;
        trace("second", super::Region::Line, rect, start, &text);
        Ok(Some(super::OcrText { text, confidence }))
    }

    fn read_words(&mut self, rect: [u32; 4], region: super::Region) -> Result<Vec<super::OcrWord>, OcrError> {
        let [x, y, w, h] = rect;
        self.api.set_rectangle(x as i32, y as i32, w as i32, h as i32);
        self.set(Variable::TesseditPagesegMode, Self::psm(region).as_str());
        let start = std::time::Instant::now();
        let tsv = self.api.get_tsv_text(0).map_err(|_| OcrError::Text)?;
        let words = super::parse_tsv_words(&tsv);
        if trace_on() {
            let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            trace("words", region, rect, start, &text.join(" "));
        }
        Ok(words)
    }
}

/// Whether `FORMSCAN_OCR_TRACE` asks for a line on standard error per OCR call (stage, kind,
/// size, milliseconds, text): where a form's OCR time goes, for whoever tunes it.
pub(super) fn trace_on() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FORMSCAN_OCR_TRACE").is_some_and(|v| !v.is_empty() && v != "0"))
}

fn trace(kind: &str, region: super::Region, rect: [u32; 4], start: std::time::Instant, text: &str) {
    if trace_on() {
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        eprintln!("ocr-trace\t{}\t{kind}\t{region:?}\t{}x{}\t{ms:.1}\t{}", crate::timing::current(), rect[2], rect[3], text.trim().replace(['\n', '\t'], " "));
    }
}

/// The models that give a second opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opinion {
    /// `DIGITS_LANG`, on counts and months.
    Digits,
    /// `SECOND_LANG`, on unsure lines.
    Second,
}

/// A second opinion's engine, one for the process, started on first use (None: its model is
/// not installed). Not one per worker as chi_sim's: the models hold 10 and 45 MB, and a form
/// asks them about a few short pieces (12 and 3 reads, 40 and 30 ms), so the workers rarely
/// wait for each other. A worker that panicked while holding one left it as it was between
/// reads.
fn shared_engine(opinion: Opinion) -> Option<&'static std::sync::Mutex<Tesseract>> {
    type Shared = std::sync::OnceLock<Option<std::sync::Mutex<Tesseract>>>;
    static DIGITS: Shared = std::sync::OnceLock::new();
    static SECOND: Shared = std::sync::OnceLock::new();
    let (cell, lang) = match opinion {
        Opinion::Digits => (&DIGITS, DIGITS_LANG),
        Opinion::Second => (&SECOND, SECOND_LANG),
    };
    cell.get_or_init(|| Tesseract::new(lang).ok().map(std::sync::Mutex::new)).as_ref()
}

/// Reads a line as a line, then as a block when line mode returns nothing (as it does for a
/// short CJK word).
fn read_with_blank_retry(engine: &mut Tesseract, rect: [u32; 4]) -> Result<(String, f32), OcrError> {
    let read = engine.read_rect(rect, Psm::SingleLine)?;
    if !read.0.trim().is_empty() {
        return Ok(read);
    }
    engine.read_rect(rect, Psm::Block)
}

/// One Tesseract instance. `Send`, not `Sync`: chi_sim's is kept one per thread, the second
/// opinions' one per process behind a lock (see `shared_engine`).
pub struct Tesseract {
    api: TessApi,
}

impl Tesseract {
    pub fn new(lang: &str) -> Result<Tesseract, OcrError> {
        let search = find_tessdata(lang);
        let init_err = || OcrError::Init {
            lang: lang.to_string(),
            searched: search.searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        };
        let dir = search.found.as_deref().ok_or_else(init_err)?;
        let dir = dir.to_str().ok_or_else(init_err)?;
        let api = TessApi::new(Some(dir), lang).map_err(|_| init_err())?;
        let mut t = Tesseract { api };
        // Keep Tesseract's own diagnostics off the terminal; formscan reports its own.
        t.set(Variable::DebugFile, "/dev/null");
        // Keeps the spaces Tesseract puts between CJK characters predictable for the
        // normaliser, which then removes them.
        t.set(Variable::PreserveInterwordSpaces, "1");
        // Forms are dark print on light paper: Tesseract 5 otherwise re-reads every line it is
        // unsure of as inverted text, which doubles the time of a hard cell for nothing.
        t.set(Variable::TesseditDoInvert, "0");
        Ok(t)
    }

    /// Sets one of Tesseract's variables; the values formscan sets are all valid, and a
    /// refused one would only leave Tesseract's default in place.
    fn set(&mut self, name: Variable, value: &str) {
        if let Ok(v) = CString::new(value) {
            let _ = self.api.raw.set_variable(name.as_cstr(), &v);
        }
    }

    /// Reads a whole image file (any format Leptonica decodes).
    pub fn read_file(&mut self, path: &Path, psm: Psm, dpi: Option<i32>) -> Result<(String, f32), OcrError> {
        let pix = leptess::leptonica::pix_read(path).map_err(|e| OcrError::Image(format!("{}: {e}", path.display())))?;
        self.api.set_image(&pix);
        self.recognise(psm, dpi)
    }

    /// Sets a page from pixels, handed to Tesseract as a Leptonica image packed here by
    /// whole words. (An in-memory PGM made Leptonica parse it a byte per `fread`, a tenth of a
    /// scan's time; raw bytes are packed by Tesseract a pixel at a time and then copied again,
    /// 9 ms a 300 dpi page, and a page is set 2–3 times as it is read.)
    pub fn set_gray(&mut self, page: &image::GrayImage, dpi: u32) -> Result<(), OcrError> {
        // None when the page's sides do not fit Leptonica's integers or it cannot be allocated.
        let pix = crate::preprocess::leptonica::Pix::from_gray(page).ok_or_else(|| OcrError::Image(format!("a page of {}×{} pixels is too large", page.width(), page.height())))?;
        // SAFETY: the PIX is live and owned by `pix` until the end of this function; Tesseract
        // makes its own copy of an 8-bit image in SetImage and keeps no pointer to this one.
        let lent = unsafe { leptonica_plumbing::Pix::new_from_pointer(pix.as_ptr()) };
        self.api.raw.set_image_2(&lent);
        self.api.set_source_resolution(dpi as i32);
        Ok(())
    }

    /// Reads one rectangle of the page set last.
    pub fn read_rect(&mut self, rect: [u32; 4], psm: Psm) -> Result<(String, f32), OcrError> {
        let [x, y, w, h] = rect;
        self.api.set_rectangle(x as i32, y as i32, w as i32, h as i32);
        self.recognise(psm, None)
    }

    fn psm(region: super::Region) -> Psm {
        match region {
            super::Region::Line => Psm::SingleLine,
            super::Region::Block => Psm::Block,
            super::Region::Char => Psm::SingleChar,
        }
    }

    fn recognise(&mut self, psm: Psm, dpi: Option<i32>) -> Result<(String, f32), OcrError> {
        self.set(Variable::TesseditPagesegMode, psm.as_str());
        if let Some(dpi) = dpi {
            self.api.set_source_resolution(dpi);
        }
        let text = self.api.get_utf8_text().map_err(|_| OcrError::Text)?;
        let conf = self.api.mean_text_conf().clamp(0, 100) as f32 / 100.0;
        Ok((text, conf))
    }
}
