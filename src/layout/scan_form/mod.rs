//! A scanned page → the raw values printed on it.
//!
//! The page is turned upright and deskewed, its ruling lines found and erased, and only the
//! table's cells (or, on the cover, its text lines) are read — one OCR call per cell, each
//! with the segmentation that fits its shape. Labels are matched to the spec (tolerating OCR
//! slips); a field's value is the cell right of its label. Pages are identified by what is
//! printed on them, so they may come in any order.

mod boxes;
mod cover;

use boxes::{infer_boxes, read_boxes, read_sentence};
use cover::{read_cover, read_line_scaled, text_line_boxes};

use image::GrayImage;

use crate::error::OcrError;
use crate::ingest::PageImage;
use crate::layout::approval::BoxLayout;
use crate::layout::grid::{self, Cell, Grid, GridParams};
use crate::layout::labels::{edit_distance, squeeze, LabelMatcher};
use crate::layout::ocr_text;
use crate::ocr::{OcrEngine, OcrText, Region};
use crate::preprocess::{self, PreprocessParams};
use crate::reading::RawValue;
use crate::spec::{Kind, LabelAt, Part, Place, Spec};

#[derive(Debug, Clone)]
pub struct ScanParams {
    pub preprocess: PreprocessParams,
    pub grid: GridParams,
    /// Fewer cells than this and a page is not a table page (the cover has none).
    pub min_table_cells: usize,
    /// Cells lower than this (mm) hold one line of text; taller ones are read as blocks.
    pub line_cell_mm: f32,
    /// Margin kept inside a cell's lines when reading it (mm): ink of the line's edge and
    /// anti-aliasing stay out of the OCR.
    pub cell_inset_mm: f32,
    /// Pages scanned finer than this are read at this resolution: 200 dpi gives the form's
    /// 10.5 pt print an x-height of about 20 px, where Tesseract reads best, and a 300 dpi
    /// page then costs less than half the OCR time.
    pub work_dpi: f32,
    /// On a page without a table, horizontal lines longer than this (mm) are writing lines
    /// or underlines, erased before reading: longer than a stroke of the cover's 三号 print
    /// (an em of 5.6 mm), shorter than a two-character underlined name.
    pub underline_mm: f32,
    /// The same in the table: longer than a stroke of its 五号 print (an em of 3.7 mm),
    /// shorter than the underline of a one-digit blank with its spaces.
    pub table_underline_mm: f32,
}

impl Default for ScanParams {
    fn default() -> Self {
        ScanParams {
            preprocess: PreprocessParams::default(),
            grid: GridParams::default(),
            min_table_cells: 6,
            line_cell_mm: 14.0,
            cell_inset_mm: 0.6,
            work_dpi: 200.0,
            underline_mm: 8.0,
            table_underline_mm: 4.5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Cover,
    Table,
    Unknown,
}

/// What one page gave.
#[derive(Debug, Clone)]
pub struct PageReading {
    pub kind: PageKind,
    /// Raw values by field id, found on this page.
    pub values: Vec<(String, RawValue)>,
    /// Approval boxes found on this page, split into the zones of their marks.
    pub boxes: Vec<BoxLayout>,
    /// How the page was turned (quarter turns clockwise) and deskewed (degrees).
    pub quarter_turns: u32,
    pub skew_deg: f32,
    /// Page pixels per pixel of `seen` (a fine scan is read at the working resolution).
    pub scale: f32,
    /// The page as OCR saw it (upright, deskewed, lines erased), its grid and what OCR read
    /// in each region, for debug overlays.
    pub seen: GrayImage,
    pub grid: Grid,
    pub ocr_boxes: Vec<([u32; 4], String)>,
    pub labels_found: usize,
}

fn mm_px(dpi: f32, mm: f32) -> u32 {
    (mm / 25.4 * dpi).round() as u32
}

/// The page's resolution: from the file, or from its width taken as A4's 210 mm (or its
/// height as 297 mm when wider than tall).
pub fn page_dpi(page: &PageImage) -> f32 {
    let (w, h) = page.image.dimensions();
    match page.dpi {
        Some(d) if (50.0..=1200.0).contains(&d) => d,
        _ => (w.min(h) as f32) / (210.0 / 25.4),
    }
}

pub fn read_page(page: &PageImage, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams) -> Result<PageReading, OcrError> {
    let gray = GrayPage { dpi: page_dpi(page), gray: preprocess::to_gray(&page.image) };
    read_gray_page(gray, spec, ocr, params)
}

/// A page reduced to the grey image that is read, with its resolution.
pub struct GrayPage {
    pub gray: GrayImage,
    pub dpi: f32,
}

/// Reads a page already in grey; consumes it so that each intermediate image is dropped as
/// soon as the next exists (a 300 dpi A4 page is 9 MB in grey, and two workers hold several).
pub fn read_gray_page(page: GrayPage, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams) -> Result<PageReading, OcrError> {
    let GrayPage { gray, mut dpi } = page;
    // A landscape image of a portrait form was scanned on its side.
    let (w, h) = gray.dimensions();
    let first_turn = if w > h + h / 10 { 1 } else { 0 };
    let turned = if first_turn == 0 { gray } else { preprocess::turn(&gray, first_turn) };
    let skew = preprocess::estimate_skew(&preprocess::binarize(&turned), &params.preprocess);
    // Deskewed first, at the scan's own resolution: a thin rule rotated after shrinking comes
    // out too pale to be found (tried: a third of the 300 dpi tables lost cells). Then
    // brought to the working resolution by area averaging, which keeps a thin line as a grey
    // one and costs a fraction of a filtered resize. Values' boxes are given in the page's
    // own pixels: `scale` maps working pixels back.
    let mut level = preprocess::rotate(&turned, skew);
    drop(turned);
    let mut scale = 1.0f32;
    if dpi > params.work_dpi * 1.15 {
        scale = dpi / params.work_dpi;
        let (w, h) = level.dimensions();
        level = image::imageops::thumbnail(&level, ((w as f32 / scale).round() as u32).max(1), ((h as f32 / scale).round() as u32).max(1));
        dpi = params.work_dpi;
    }
    // Upright or upside down: a few labels read in each way decide, before the whole page
    // is read once.
    let mut best: Option<(u32, Prepared, Probe)> = None;
    // Whether the engine still holds the best orientation's page (set by its probe).
    let mut best_is_set = false;
    for extra in [0u32, 2] {
        let img = preprocess::turn(&level, extra);
        let prepared = prepare(&img, dpi, params);
        drop(img);
        if let Some(b) = best.as_mut() {
            // Only the better of the two orientations is kept.
            b.1.ink = GrayImage::new(0, 0);
        }
        let probed = probe(&prepared, dpi, spec, ocr, params)?;
        let found = probed.found;
        let better = best.as_ref().is_none_or(|b| found > b.2.found);
        best_is_set = better;
        if better {
            best = Some(((first_turn + extra) % 4, prepared, probed));
        }
        if found >= 1 {
            break;
        }
    }
    let (turns, prepared, probed) = best.expect("an orientation was probed");
    if !best_is_set {
        ocr.set_page(&prepared.clean, dpi.round() as u32)?;
    }
    let mut reading = read_prepared(prepared, probed, turns, skew, dpi, spec, ocr, params)?;
    reading.scale = scale;
    if scale != 1.0 {
        for (_, v) in &mut reading.values {
            if let Some(b) = &mut v.bbox {
                *b = b.map(|x| (x as f32 * scale).round() as u32);
            }
        }
    }
    Ok(reading)
}

/// What the orientation probe read: how many labels, and the cells it already read (kept
/// for the full read, so no cell is read twice).
#[derive(Default)]
struct Probe {
    found: usize,
    cells: Vec<(usize, OcrText, Portion)>,
    /// On the cover: the lines read, by their boxes.
    lines: Vec<([u32; 4], OcrText)>,
}

/// A page made ready for reading: its grid, the page with the lines erased, and its ink.
struct Prepared {
    grid: Grid,
    clean: GrayImage,
    ink: GrayImage,
}

fn prepare(upright: &GrayImage, dpi: f32, params: &ScanParams) -> Prepared {
    let lines = preprocess::binarize_lines(upright);
    let grid = grid::detect(&lines, dpi, &params.grid);
    // Underlines touching the glyphs' feet are read as strokes: 周涛 becomes 有周涛 on the
    // cover, an underlined 一 in the row-12 sentence 二 and 76 becomes 276. Every unbroken
    // thin horizontal line longer than any stroke of the print is erased: on the cover longer
    // than a stroke of its 三号 type, in the table than one of its 五号 type. Unbroken only:
    // with gaps bridged, the top strokes of neighbouring characters (内蒙古农牧业) join into
    // a "line" and lose them.
    let table = grid.cells.len() >= params.min_table_cells;
    let min_mm = if table { params.table_underline_mm } else { params.underline_mm };
    let short = GridParams { min_hline_mm: min_mm, max_gap_px: 0, ..params.grid.clone() };
    // In the table only thin ones (a run of print strokes there is thicker than a rule), and
    // not a dash in mid-line (2003.07——2008.07): the text on both its sides reaches below it,
    // while an underline is below the text beside it.
    let thin = if table { mm_px(dpi, 0.7).max(2) } else { u32::MAX };
    let em = mm_px(dpi, 3.7);
    let inked = |x0: u32, x1: u32, y0: u32, y1: u32| (y0..y1.min(lines.height())).any(|y| (x0..x1.min(lines.width())).any(|x| lines.get_pixel(x, y)[0] > 127));
    let mid_line = |l: &grid::HLine| {
        let (below0, below1) = (l.y1 + 2, l.y1 + 2 + em / 2);
        inked(l.x0.saturating_sub(em), l.x0.saturating_sub(1), below0, below1) && inked(l.x1 + 1, l.x1 + em, below0, below1)
    };
    let under: Vec<grid::HLine> =
        grid::detect(&lines, dpi, &short).hlines.into_iter().filter(|l| l.y1 - l.y0 <= thin && !(table && mid_line(l))).collect();
    let clean = if table { grid::erase_lines(upright, &grid) } else { upright.clone() };
    let clean = grid::erase_lines(&clean, &Grid { hlines: under, ..Grid::default() });
    let ink = preprocess::binarize(&clean);
    Prepared { grid, clean, ink }
}

/// How many labels (or the cover's title) a few regions of the page read as: 0 on a page
/// held the wrong way up.
fn probe(p: &Prepared, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams) -> Result<Probe, OcrError> {
    ocr.set_page(&p.clean, dpi.round() as u32)?;
    let mut reader = CellReader::new(p, dpi, params);
    let mut out = Probe::default();
    if p.grid.cells.len() >= params.min_table_cells {
        let labels = LabelMatcher::new(spec, |f| f.part() == Part::Table);
        for (i, c) in p.grid.cells.iter().enumerate() {
            let Some(portion) = first_pass_portion(&p.grid, c) else { continue };
            let t = reader.read(ocr, c, portion)?;
            if labels.match_fuzzy(&t.text).is_some() {
                out.found += 1;
            }
            out.cells.push((i, t, portion));
            if out.found >= 2 || out.cells.len() >= 8 {
                break;
            }
        }
        Ok(out)
    } else {
        let lines = text_line_boxes(&p.ink, dpi);
        let cover = LabelMatcher::new(spec, |f| f.part() == Part::Cover);
        // The cover's first lines are its title.
        for rect in lines.iter().take(2) {
            let t = read_line_scaled(ocr, &p.clean, *rect, dpi)?;
            let sq = squeeze(&t.text);
            if sq.contains("申报表") || sq.contains("最美职工") || sq.contains("年度") || cover.match_fuzzy(&t.text).is_some() {
                out.found += 1;
            }
            out.lines.push((*rect, t));
        }
        Ok(out)
    }
}

/// What the first pass reads of a cell: narrow cells whole (labels and short values); a
/// wide cell with nothing on its left is a box whose title is inside it, so only its first
/// lines; a wide cell right of another is a value, read later if its label is found.
fn first_pass_portion(grid: &Grid, c: &Cell) -> Option<Portion> {
    // Label cells are at most a fifth of the table wide; the half-width approval boxes of
    // rows 14–15 are not labels but carry their title inside.
    if c.width() <= (grid.width() as f32 * 0.3) as u32 {
        Some(Portion::Whole)
    } else if !grid.has_left(c) {
        Some(Portion::TopStrip)
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
/// Reads a prepared page; the engine already holds its cleaned image.
fn read_prepared(p: Prepared, probed: Probe, turns: u32, skew: f32, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams) -> Result<PageReading, OcrError> {
    let mut reading = PageReading {
        kind: PageKind::Unknown,
        values: Vec::new(),
        boxes: Vec::new(),
        quarter_turns: turns,
        skew_deg: skew,
        scale: 1.0,
        seen: GrayImage::new(0, 0),
        grid: Grid::default(),
        ocr_boxes: Vec::new(),
        labels_found: 0,
    };
    if p.grid.cells.len() >= params.min_table_cells {
        read_table(&p, probed, dpi, spec, ocr, params, &mut reading)?;
    } else {
        read_cover(&p.clean, &p.ink, dpi, spec, ocr, probed.lines, &mut reading)?;
    }
    reading.seen = p.clean;
    reading.grid = p.grid;
    Ok(reading)
}

fn inset(c: &Cell, px: u32) -> [u32; 4] {
    let x = c.x0 + px.min(c.width() / 4);
    let y = c.y0 + px.min(c.height() / 4);
    [x, y, c.width().saturating_sub(2 * (x - c.x0)).max(1), c.height().saturating_sub(2 * (y - c.y0)).max(1)]
}

/// Which part of a cell to read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Portion {
    Whole,
    /// The first lines only: where a box's printed title is.
    TopStrip,
}

/// Reads cells of one prepared page: skips cells without dark ink (an empty cell, or the
/// grey placeholder of formscan's own template), picks line or block segmentation by the
/// lines of ink it finds, and retries a lone character the line mode missed.
struct CellReader<'a> {
    p: &'a Prepared,
    dpi: f32,
    pad: u32,
    strip_px: u32,
    line_px: u32,
    boxes: Vec<([u32; 4], String)>,
}

impl<'a> CellReader<'a> {
    fn new(p: &'a Prepared, dpi: f32, params: &ScanParams) -> Self {
        CellReader { p, dpi, pad: mm_px(dpi, params.cell_inset_mm), strip_px: mm_px(dpi, 11.0), line_px: mm_px(dpi, params.line_cell_mm), boxes: Vec::new() }
    }

    /// Reads a cell as one line, cut to the rows that carry its ink.
    fn read_one_line(&mut self, ocr: &mut dyn OcrEngine, c: &Cell) -> Result<OcrText, OcrError> {
        let [x, y, w, h] = inset(c, self.pad);
        let ink = &self.p.ink;
        let inked = |yy: u32| (x..(x + w).min(ink.width())).any(|xx| ink.get_pixel(xx, yy)[0] > 127);
        let rows: Vec<u32> = (y..(y + h).min(ink.height())).filter(|&yy| inked(yy)).collect();
        let (Some(&a), Some(&b)) = (rows.first(), rows.last()) else { return Ok(OcrText::default()) };
        let margin = 2 * self.pad;
        let top = a.saturating_sub(margin).max(y);
        let rect = [x, top, w, (b + 1 + margin).min(y + h) - top];
        let t = read_with_retry(ocr, rect, Region::Line)?;
        self.boxes.push((rect, format!("as a line: {}", t.text.trim())));
        Ok(t)
    }

    /// Reads each line of ink of a cell on its own and joins them: a short value wrapped in
    /// a narrow cell (共产党 / 员), which block mode reads as three lines of garbage.
    fn read_lines_apart(&mut self, ocr: &mut dyn OcrEngine, c: &Cell) -> Result<OcrText, OcrError> {
        let [x, y, w, h] = inset(c, self.pad);
        let ink = &self.p.ink;
        let inked = |yy: u32| (x..(x + w).min(ink.width())).filter(|&xx| ink.get_pixel(xx, yy)[0] > 127).count() >= 2;
        // Bands of inked rows, a gap of a few rows closing one (the gap between two lines of
        // print is about a third of an em).
        let min_gap = mm_px(self.dpi, 0.6).max(2);
        let mut bands: Vec<(u32, u32)> = Vec::new();
        let mut run: Option<(u32, u32)> = None;
        for yy in y..(y + h).min(ink.height()) {
            if inked(yy) {
                run = Some(run.map_or((yy, yy + 1), |(a, _)| (a, yy + 1)));
            } else if let Some((a, b)) = run {
                if yy - b >= min_gap {
                    bands.push((a, b));
                    run = None;
                }
            }
        }
        bands.extend(run);
        let min_h = mm_px(self.dpi, 1.2).max(3);
        let margin = self.pad;
        let mut text = String::new();
        let mut confidence = 1.0f32;
        for (a, b) in bands.into_iter().filter(|(a, b)| b - a >= min_h) {
            let top = a.saturating_sub(margin).max(y);
            let rect = [x, top, w, (b + margin).min(y + h) - top];
            let t = read_with_retry(ocr, rect, Region::Line)?;
            self.boxes.push((rect, format!("line apart: {}", t.text.trim())));
            text.push_str(t.text.trim());
            confidence = confidence.min(t.confidence);
        }
        Ok(OcrText { text, confidence })
    }

    /// A cell whose ink is one mark: a single thin horizontal stroke is the dash written for
    /// "none" (read by line mode as ww or 0); a single character (无, 女) is read in
    /// Tesseract's single-character mode, which line mode often misreads (无 as 大 or 卫).
    fn read_lone_mark(&mut self, ocr: &mut dyn OcrEngine, rect: [u32; 4]) -> Result<Option<OcrText>, OcrError> {
        let Some([x, y, w, h]) = ink_bounds(&self.p.ink, rect) else { return Ok(None) };
        let em = mm_px(self.dpi, 3.7).max(4);
        if h * 10 <= em * 3 && w * 2 >= em && w <= em * 3 {
            self.boxes.push(([x, y, w, h], "a dash".into()));
            return Ok(Some(OcrText { text: "—".into(), confidence: 0.9 }));
        }
        if h * 2 >= em && h * 10 <= em * 16 && w * 2 <= h * 3 && w * 10 >= h * 4 {
            let m = self.pad;
            let (x0, y0) = (x.saturating_sub(m).max(rect[0]), y.saturating_sub(m).max(rect[1]));
            let (x1, y1) = ((x + w + m).min(rect[0] + rect[2]), (y + h + m).min(rect[1] + rect[3]));
            let r = [x0, y0, x1.saturating_sub(x0).max(1), y1.saturating_sub(y0).max(1)];
            let t = ocr.read(r, Region::Char)?;
            if !t.text.trim().is_empty() {
                self.boxes.push((r, format!("one character: {}", t.text.trim())));
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    fn read(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, portion: Portion) -> Result<OcrText, OcrError> {
        let mut rect = inset(c, self.pad);
        match portion {
            Portion::Whole => {}
            Portion::TopStrip => rect[3] = rect[3].min(self.strip_px),
        }
        if !has_dark_ink(&self.p.clean, rect) {
            self.boxes.push((rect, String::new()));
            return Ok(OcrText { text: String::new(), confidence: 1.0 });
        }
        if portion == Portion::Whole {
            if let Some(t) = self.read_lone_mark(ocr, rect)? {
                return Ok(t);
            }
        }
        let lines = text_lines(&self.p.ink, rect, self.dpi);
        // In a narrow cell (a label or a short value) one line of ink is read as a line
        // whatever the cell's height, cut to the ink's rows: block mode on a short word
        // centred in a tall cell (党员 under 政治面貌) returns garbage. Rows of ink taller than
        // two lines of print are lines that touch. A wide cell is a long text, read as a
        // line only when it is one line high: block mode keeps its lines apart.
        // Cutting a tall cell to its one line of ink and reading it as a line was tried: it
        // mends a short word in a tall cell but costs long texts more (tuning sets: long
        // texts 97.5 % against 98.2 %).
        let region = if lines <= 1 && rect[3] < self.line_px { Region::Line } else { Region::Block };
        let t = read_with_retry(ocr, rect, region)?;
        self.boxes.push((rect, t.text.trim().to_string()));
        Ok(t)
    }
}

/// Tesseract's line mode often returns nothing for a short CJK word or a lone character
/// (性别's 女, a three-character name): block mode, then character mode, read it.
fn read_with_retry(ocr: &mut dyn OcrEngine, rect: [u32; 4], region: Region) -> Result<OcrText, OcrError> {
    let mut t = ocr.read(rect, region)?;
    for retry in [Region::Block, Region::Char] {
        if !t.text.trim().is_empty() || region != Region::Line {
            break;
        }
        t = ocr.read(rect, retry)?;
    }
    Ok(t)
}

/// Whether a rectangle holds ink darker than grey print: typed or written values are near
/// black, the template's placeholder hints and scanner dust are not.
fn has_dark_ink(gray: &GrayImage, [x, y, w, h]: [u32; 4]) -> bool {
    let mut dark = 0u32;
    // Every row: a dash (`—` for "none") is a single thin row of ink.
    for yy in y..(y + h).min(gray.height()) {
        for xx in (x..(x + w).min(gray.width())).step_by(2) {
            if gray.get_pixel(xx, yy)[0] < 112 {
                dark += 1;
                if dark >= 6 {
                    return true;
                }
            }
        }
    }
    false
}

fn read_table(p: &Prepared, probed: Probe, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
    let grid = &p.grid;
    let labels = LabelMatcher::new(spec, |f| f.part() == Part::Table);
    let mut reader = CellReader::new(p, dpi, params);
    // Pass 1: the cells that may hold a label (see `first_pass_portion`), less those the
    // orientation probe has read already.
    let mut texts: Vec<Option<(OcrText, Portion)>> = vec![None; grid.cells.len()];
    for (i, t, portion) in probed.cells {
        texts[i] = Some((t, portion));
    }
    for (i, c) in grid.cells.iter().enumerate() {
        if texts[i].is_none() {
            if let Some(portion) = first_pass_portion(grid, c) {
                texts[i] = Some((reader.read(ocr, c, portion)?, portion));
            }
        }
        // A cell starting a row holds a label. One that read as none may be a letter-spaced
        // label in a tall cell (个  人  简  历), which block mode breaks up: read again as one
        // line cut to its ink.
        if let Some((t, Portion::Whole)) = &texts[i] {
            if !grid.has_left(c) && !t.text.trim().is_empty() && labels.match_fuzzy(&t.text).is_none() {
                let again = reader.read_one_line(ocr, c)?;
                if labels.match_fuzzy(&again.text).is_some() {
                    texts[i] = Some((again, Portion::Whole));
                }
            }
        }
    }
    let grid = &split_unruled_labels(grid, &mut texts, &labels, &mut reader, ocr)?;
    out.kind = PageKind::Table;
    let index_of = |cell: &Cell| grid.cells.iter().position(|x| x == cell);
    // Approval boxes found by their label: (id, label cell, box cell).
    let mut known: Vec<(String, Cell, Cell)> = Vec::new();
    for (i, c) in grid.cells.iter().enumerate() {
        let Some((label_text, _)) = &texts[i] else { continue };
        let Some((id, rest)) = labels.match_fuzzy(&label_text.text) else { continue };
        let Some(field) = spec.field(id) else { continue };
        out.labels_found += 1;
        let bbox = |c: &Cell| Some([c.x0, c.y0, c.width(), c.height()]);
        if field.kind == Kind::Approval {
            let inside = matches!(field.place, Place::Table { label_at: LabelAt::Inside, .. });
            let boxed = if inside { c } else {
                match grid.right_of(c) {
                    Some(r) => r,
                    None => continue,
                }
            };
            known.push((field.id.clone(), c.clone(), boxed.clone()));
            if let Some(sentence) = field.approval.as_ref().and_then(|a| a.sentence.as_ref()) {
                for (blank, text, confidence) in read_sentence(&mut reader, ocr, boxed, sentence)? {
                    out.values.push((blank.to_string(), RawValue { text, confidence, page: None, bbox: bbox(boxed) }));
                }
            }
            continue;
        }
        let label_conf = label_text.confidence;
        let value = if !rest.trim().is_empty() {
            Some((rest, label_conf, c.clone()))
        } else if let Some(r) = grid.right_of(c) {
            let j = index_of(r).expect("a cell of the grid");
            let whole = match &texts[j] {
                Some((t, Portion::Whole)) => t.clone(),
                _ => reader.read(ocr, r, Portion::Whole)?,
            };
            // The neighbour is another label: this field's value cell was not found.
            if labels.is_label(&whole.text) {
                None
            } else {
                Some((whole.text, whole.confidence, r.clone()))
            }
        } else if let Some(open) = grid.open_right_of(c) {
            let t = reader.read(ocr, &open, Portion::Whole)?;
            Some((t.text, t.confidence, open))
        } else {
            None
        };
        if let Some((text, mut confidence, cell)) = value {
            let mut text = if is_hint(&text, field.hint.as_deref()) { String::new() } else { clean_value(spec, field, &text) };
            // A listed value that did not read as one: read again as one line cut to its ink
            // (block mode on 党员 centred in a tall cell gives garbage).
            if field.kind == Kind::Enum && !text.is_empty() && !is_listed(field, &text) {
                let again = reader.read_one_line(ocr, &cell)?;
                let cleaned = clean_value(spec, field, &again.text);
                if is_listed(field, &cleaned) {
                    (text, confidence) = (cleaned, again.confidence);
                } else if text_lines(&p.ink, inset(&cell, reader.pad), dpi) >= 2 {
                    let apart = reader.read_lines_apart(ocr, &cell)?;
                    let cleaned = clean_value(spec, field, &apart.text);
                    if is_listed(field, &cleaned) {
                        (text, confidence) = (cleaned, apart.confidence);
                    }
                }
            }
            out.values.push((field.id.clone(), RawValue { text, confidence, page: None, bbox: bbox(&cell) }));
        }
    }
    out.ocr_boxes.append(&mut reader.boxes);
    infer_boxes(grid, spec, &mut known);
    read_boxes(&p.clean, &known, dpi, spec, ocr, params, out)?;
    Ok(())
}

/// A row whose rule between label and value is too faint to be found (a pale scan) is one
/// wide cell with the label on its left and the value beside it; its top strip then reads as
/// the value's first line, not as a label. Such a cell is cut where the label column ends in
/// the other rows, and kept cut when its left part reads as a label.
fn split_unruled_labels(grid: &Grid, texts: &mut Vec<Option<(OcrText, Portion)>>, labels: &LabelMatcher, reader: &mut CellReader, ocr: &mut dyn OcrEngine) -> Result<Grid, OcrError> {
    let mut out = grid.clone();
    // The label column: the right edge of the cells that start rows and hold a label.
    let mut edges: Vec<u32> = grid
        .cells
        .iter()
        .zip(texts.iter())
        .filter(|(c, t)| !grid.has_left(c) && t.as_ref().is_some_and(|(t, p)| *p == Portion::Whole && labels.match_fuzzy(&t.text).is_some()))
        .map(|(c, _)| c.x1)
        .collect();
    if edges.len() < 3 {
        return Ok(out);
    }
    edges.sort_unstable();
    let edge = edges[edges.len() / 2];
    for (i, c) in grid.cells.iter().enumerate() {
        let Some((t, Portion::TopStrip)) = &texts[i] else { continue };
        if labels.match_fuzzy(&t.text).is_some() || edge <= c.x0 || (edge - c.x0) * 3 > c.width() {
            continue;
        }
        let label = Cell { x1: edge, ..c.clone() };
        let read = reader.read(ocr, &label, Portion::Whole)?;
        if labels.match_fuzzy(&read.text).is_none() {
            continue;
        }
        out.cells[i] = label;
        out.cells.push(Cell { x0: edge, ..c.clone() });
        texts[i] = Some((read, Portion::Whole));
        texts.push(None);
    }
    Ok(out)
}

/// Whether an enum field's text is one of its values or aliases.
fn is_listed(field: &crate::spec::Field, text: &str) -> bool {
    field.values.iter().any(|v| v == text) || field.aliases.contains_key(text)
}

/// What OCR read in a value's place, cleaned for its kind: an enum's value snapped to the
/// nearest allowed one, free text mended against the spec's lexicon.
fn clean_value(spec: &Spec, field: &crate::spec::Field, text: &str) -> String {
    let text = ocr_text::clean(field.kind, text);
    match field.kind {
        Kind::Enum => ocr_text::snap_to_values(&text, &field.values, &field.aliases),
        Kind::Text => ocr_text::lexicon_fix(&text, &spec.lexicon),
        _ => text,
    }
}

/// The bounding box of the ink in a rectangle of the ink mask, specks of a few pixels aside.
fn ink_bounds(ink: &GrayImage, [x, y, w, h]: [u32; 4]) -> Option<[u32; 4]> {
    let (x1, y1) = ((x + w).min(ink.width()), (y + h).min(ink.height()));
    let on = |xx: u32, yy: u32| ink.get_pixel(xx, yy)[0] > 127;
    // A row or column counts when it holds at least two pixels of ink.
    let rows: Vec<u32> = (y..y1).filter(|&yy| (x..x1).filter(|&xx| on(xx, yy)).count() >= 2).collect();
    let cols: Vec<u32> = (x..x1).filter(|&xx| (y..y1).filter(|&yy| on(xx, yy)).count() >= 2).collect();
    let (a, b) = (*rows.first()?, *rows.last()?);
    let (c, d) = (*cols.first()?, *cols.last()?);
    Some([c, a, d + 1 - c, b + 1 - a])
}

/// Lines of text in a rectangle of the ink mask: runs of rows with ink, separated by a gap.
fn text_lines(ink: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32) -> usize {
    let min_line = mm_px(dpi, 1.2).max(2);
    let mut lines = 0;
    let mut run = 0;
    for yy in y..(y + h).min(ink.height()) {
        let inked = (x..(x + w).min(ink.width())).filter(|&xx| ink.get_pixel(xx, yy)[0] > 127).count() >= 2;
        if inked {
            run += 1;
        } else {
            if run >= min_line {
                lines += 1;
            }
            run = 0;
        }
    }
    lines + usize::from(run >= min_line)
}

/// The grey placeholder printed in an empty cell of formscan's own template, as OCR reads it.
fn is_hint(text: &str, hint: Option<&str>) -> bool {
    let Some(hint) = hint else { return false };
    let (t, h): (Vec<char>, Vec<char>) = (squeeze(text).chars().collect(), squeeze(hint).chars().collect());
    !t.is_empty() && edit_distance(&t, &h) <= (h.len() / 4).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    /// An engine that must not be asked: a dash is known from its ink alone.
    struct Unasked;
    impl OcrEngine for Unasked {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<OcrText, OcrError> {
            panic!("the engine was asked")
        }
    }

    fn prepared(ink: GrayImage) -> Prepared {
        Prepared { grid: Grid::default(), clean: GrayImage::new(ink.width(), ink.height()), ink }
    }

    #[test]
    fn a_lone_thin_stroke_is_a_dash_and_specks_do_not_widen_the_ink() {
        let mut ink = GrayImage::new(300, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(120, 50).of_size(40, 3), image::Luma([255]));
        // A one-pixel speck is no ink.
        ink.put_pixel(20, 10, image::Luma([255]));
        assert_eq!(ink_bounds(&ink, [0, 0, 300, 100]), Some([120, 50, 40, 3]));
        let p = prepared(ink);
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let t = reader.read_lone_mark(&mut Unasked, [0, 0, 300, 100]).unwrap().expect("a dash");
        assert_eq!(t.text, "—");
        // Two lines' worth of ink is not one mark.
        let mut ink = GrayImage::new(300, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(20, 20).of_size(200, 25), image::Luma([255]));
        let p = prepared(ink);
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert!(reader.read_lone_mark(&mut Unasked, [0, 0, 300, 100]).unwrap().is_none());
    }
}
