//! A scanned page → the raw values printed on it.
//!
//! The page is turned upright and deskewed, its ruling lines found and erased, and only the
//! table's cells (or, on the cover, its text lines) are read — one OCR call per cell, each
//! with the segmentation that fits its shape. Labels are matched to the spec (tolerating OCR
//! slips); a field's value is the cell right of its label. Pages are identified by what is
//! printed on them, so they may come in any order.

mod box_dates;
mod boxes;
mod cells;
mod cover;
mod table;
mod vote_sentence;
mod count_cut;
mod label_print;
mod date_print;
mod sentence_underlines;
mod print_view;

pub use print_view::PrintViewParams;
use cells::{inset, text_lines, CellReader, Portion};
use cover::{read_cover, read_line_scaled, text_line_boxes};
use table::read_table;

use image::GrayImage;

use crate::error::OcrError;
use crate::ingest::PageImage;
use crate::layout::approval::BoxLayout;
use crate::layout::grid::{self, Cell, Grid, GridParams};
use crate::layout::labels::{squeeze, LabelMatcher};
use crate::ocr::{OcrEngine, OcrText};
use crate::preprocess::{self, PreprocessParams};
use crate::reading::RawValue;
use crate::spec::{LabelAt, Part, Place, Spec};
use crate::timing::{timed, Stage};

#[derive(Debug, Clone)]
pub struct ScanParams {
    pub preprocess: PreprocessParams,
    pub grid: GridParams,
    /// Fewer cells than this and a page is not a table page (the cover has none). Two: the
    /// form's last rows may run onto a page of their own (the 2×2 approval boxes, or only the
    /// last two).
    pub min_table_cells: usize,
    /// A table page with fewer cells than this whose labels are not found is read as a page
    /// of text instead: a framed notice or a photo box are not the form's table.
    pub sure_table_cells: usize,
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
    /// Likeness (0–1, the cosine of two inks) at which a box's signer label counts as found
    /// by its print as read in another box. The same print scanned once scores 0.9 and more
    /// (a signature or seal remnant across it 0.8); other print or writing at a line's start
    /// under 0.7. Below it, the label is read.
    pub print_likeness: f32,
    /// Likeness at which each of a date line's printed 年 月 日 counts as found by its print
    /// as read in another box (then only the blanks' digits are read). On the scans of seed
    /// 20261227 the same print scored 0.84–1.00, digits written against it included; the
    /// three must also stand in order on one line. Below it the line is read by OCR.
    pub date_print_likeness: f32,
    /// Date lines read by chi_sim on a page without learning all of 年 月 日's print nor
    /// giving a day (or a month), after which the page's other date lines are read by the
    /// print of 年 and 月 (or 年 alone): their blanks by the digits' engine, the words not
    /// learnt placed by spacing. One such read in a page's six boxes says the writing meets
    /// the words; more reads rarely teach them and mostly give what the prints give.
    pub by_print_after: u32,
    /// How a seal's grey on a photocopy is told from the print, to read the approval boxes'
    /// printed words without it.
    pub print_view: PrintViewParams,
    /// A one-line value (a cell's, a cover line's piece) that chi_sim reads with less
    /// confidence than this is read by the second model too (`SECOND_LANG`), and the surer
    /// reading kept. Measured on every one-line cell of seeds 20261244 and 20261245 (1,858
    /// reads): under 0.9 are a fifth of them, and taking the surer there made 24 readings
    /// right and 2 wrong; under 0.8, 11 and 1; asking for all, no more than under 0.9 at
    /// three times the reads. 0 turns the second model off.
    pub second_opinion_below: f32,
}

impl Default for ScanParams {
    fn default() -> Self {
        ScanParams {
            preprocess: PreprocessParams::default(),
            grid: GridParams::default(),
            min_table_cells: 2,
            sure_table_cells: 6,
            line_cell_mm: 14.0,
            cell_inset_mm: 0.6,
            work_dpi: 200.0,
            underline_mm: 8.0,
            table_underline_mm: 4.5,
            print_likeness: 0.8,
            date_print_likeness: 0.8,
            by_print_after: 1,
            print_view: PrintViewParams::default(),
            second_opinion_below: 0.9,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Cover,
    Table,
    Unknown,
}

impl PageReading {
    /// A page turned and deskewed so, nothing read from it yet.
    fn nothing_yet(quarter_turns: u32, skew_deg: f32) -> PageReading {
        PageReading {
            kind: PageKind::Unknown,
            values: Vec::new(),
            boxes: Vec::new(),
            quarter_turns,
            skew_deg,
            scale: 1.0,
            seen: GrayImage::new(0, 0),
            grid: Grid::default(),
            ocr_boxes: Vec::new(),
            labels_found: 0,
        }
    }
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
    let GrayPage { gray, dpi } = page;
    // A landscape image of a portrait form was scanned on its side.
    let (w, h) = gray.dimensions();
    let first_turn = if w > h + h / 10 { 1 } else { 0 };
    let (level, skew, scale, dpi) = timed(Stage::Level, || level_page(gray, first_turn, dpi, params));
    // Upright or upside down: a few labels read in each way decide, before the whole page
    // is read once.
    let mut best: Option<(u32, Prepared, Probe)> = None;
    // Whether the engine still holds the best orientation's page (set by its probe).
    let mut best_is_set = false;
    for extra in [0u32, 2] {
        // Upright as levelled, or turned: no copy of the page for the first.
        let prepared = timed(Stage::Grid, || if extra == 0 { prepare(&level, dpi, params) } else { prepare(&preprocess::turn(&level, extra), dpi, params) });
        // Both orientations are whole until compared: the one kept may be the first (neither
        // found a label), and it is read from its ink. The other is dropped here.
        let probed = timed(Stage::Probe, || probe(&prepared, dpi, spec, ocr, params))?;
        let (found, probed_legible) = (probed.found, probed.legible);
        let better = best.as_ref().is_none_or(|b| found > b.2.found);
        best_is_set = better;
        if better {
            best = Some(((first_turn + extra) % 4, prepared, probed));
        }
        // A page with no label of the form (the notes' overflow) is upright when its lines
        // read as text: read upside down they come out as low-confidence garble, so the
        // turned page is not prepared and read as well.
        if found >= 1 || probed_legible {
            break;
        }
    }
    drop(level);
    let (turns, prepared, probed) = best.expect("an orientation was probed");
    let mut reading = timed(Stage::Read, || -> Result<PageReading, OcrError> {
        if !best_is_set {
            ocr.set_page(&prepared.clean, dpi.round() as u32)?;
        }
        read_prepared(prepared, probed, turns, skew, dpi, spec, ocr, params)
    })?;
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

/// The page turned a first quarter `first_turn`, deskewed, and at the working resolution; with
/// the skew (degrees), the factor from working pixels back to the page's, and the resolution.
fn level_page(gray: GrayImage, first_turn: u32, dpi: f32, params: &ScanParams) -> (GrayImage, f32, f32, f32) {
    let mut dpi = dpi;
    let turned = if first_turn == 0 { gray } else { preprocess::turn(&gray, first_turn) };
    let skew = preprocess::skew_of_page(&turned, &params.preprocess);
    // Deskewed first, at the scan's own resolution: a thin rule rotated after shrinking comes
    // out too pale to be found (tried: a third of the 300 dpi tables lost cells). Then
    // brought to the working resolution by a box filter, which keeps a thin line whole (a
    // triangle filter was tried: short fields lost a point, rules and strokes blurred).
    // Values' boxes are given in the page's own pixels: `scale` maps working pixels back.
    let mut level = preprocess::rotate(&turned, skew);
    drop(turned);
    let mut scale = 1.0f32;
    if dpi > params.work_dpi * 1.15 {
        scale = dpi / params.work_dpi;
        let (w, h) = level.dimensions();
        level = preprocess::resize(&level, (w as f32 / scale).round() as u32, (h as f32 / scale).round() as u32, preprocess::Shrink::Area);
        dpi = params.work_dpi;
    }
    (level, skew, scale, dpi)
}

/// What the orientation probe read: how many labels, and the cells it already read (kept
/// for the full read, so no cell is read twice).
#[derive(Default)]
struct Probe {
    found: usize,
    cells: Vec<(usize, OcrText, Portion)>,
    /// On the cover: the lines read, by their boxes.
    lines: Vec<([u32; 4], OcrText)>,
    /// A page without a table whose first lines read as confident Chinese text.
    legible: bool,
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
    let short = GridParams { min_hline_mm: min_mm, max_gap_px: 0, max_text_above: None, ..params.grid.clone() };
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
    let under: Vec<grid::HLine> = grid::hlines(&lines, dpi, &short).into_iter().filter(|l| l.y1 - l.y0 <= thin && !(table && mid_line(l))).collect();
    // The table's rules and the underlines erased in one copy of the page.
    let clean = if table {
        grid::erase_lines(upright, grid.hlines.iter().chain(&under), &grid.vlines)
    } else {
        grid::erase_lines(upright, &under, &[])
    };
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
            let t = read_first_pass(&mut reader, ocr, &p.grid, c, portion, &labels, spec)?;
            if labels.match_fuzzy(&t.text).is_some() {
                out.found += 1;
            }
            out.cells.push((i, t, portion));
            if out.found >= 2 || out.cells.len() >= 8 || upside_down_by_its_reads(&out) {
                break;
            }
        }
        // A cover whose underlined values are ruled as boxes makes a few cells without a
        // label of the table (read as a cover then, see `read_prepared`): its title tells
        // its way up, or it is never turned.
        if out.found == 0 && p.grid.cells.len() < params.sure_table_cells {
            probe_lines(p, dpi, spec, ocr, &mut out)?;
        }
    } else {
        probe_lines(p, dpi, spec, ocr, &mut out)?;
    }
    Ok(out)
}

/// The probe of a page read as lines of text (the cover): its first lines, for the title.
fn probe_lines(p: &Prepared, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, out: &mut Probe) -> Result<(), OcrError> {
    let lines = text_line_boxes(&p.ink, dpi);
    let cover = LabelMatcher::new(spec, |f| f.part() == Part::Cover);
    // The cover's first lines are its title. Only a line's head is read: the title's lines
    // fit in it, the printed notes' run across the page (forty characters) and are told
    // by their first few as well.
    let pad = mm_px(dpi, 1.0);
    for rect in lines.iter().take(2) {
        let em = (rect[3].saturating_sub(2 * pad) * 6 / 5).max(1);
        // The title is told by its first characters. A line that is not the title is read
        // on, from where that read stopped, to its longer head, which tells the notes'
        // lines (and garble) apart; the two reads joined stand for that head.
        let full = rect[2].min(PROBE_HEAD_CHARS * em);
        let first = rect[2].min(cover::gap_after(&p.ink, *rect, PROBE_TITLE_CHARS * em, em));
        let told = |t: &OcrText| cover::is_title(&t.text) || cover.match_fuzzy(&t.text).is_some();
        let mut t = read_line_scaled(ocr, &p.clean, [rect[0], rect[1], first, rect[3]], dpi)?;
        let mut found = told(&t);
        let mut read_to = first;
        if !found && full > first + em {
            let rest = read_line_scaled(ocr, &p.clean, [rect[0] + first, rect[1], full - first, rect[3]], dpi)?;
            t = OcrText { text: format!("{}{}", t.text.trim(), rest.text.trim()), confidence: t.confidence.min(rest.confidence) };
            found = told(&t);
            read_to = full;
        }
        out.lines.push(([rect[0], rect[1], read_to, rect[3]], t));
        // One line of the title settles the way up: the second (推荐申报表, in large type)
        // costs a fifth of the probe and is no field's.
        if found {
            out.found += 1;
            break;
        }
    }
    out.legible = reads_as_text(&out.lines);
    Ok(())
}

/// Whether the cells a table page's probe has read so far say it is held the wrong way up:
/// the first `PROBE_GARBLED_CELLS` cells holding print read as no label and all garbled (below
/// `GARBLED_CONFIDENCE`). Read upside down, a page's cells come back as low-confidence garble
/// (mostly 0.1–0.35) and no label is ever found in them: reading more of them (up to eight,
/// the long boxes of the second table page among them) cost 0.14 s a turned page for
/// nothing. The right way up, a label is among the first cells.
fn upside_down_by_its_reads(probe: &Probe) -> bool {
    let read: Vec<&OcrText> = probe.cells.iter().map(|(_, t, _)| t).filter(|t| !t.text.trim().is_empty()).collect();
    probe.found == 0 && read.len() >= PROBE_GARBLED_CELLS && read.iter().all(|t| t.confidence < GARBLED_CONFIDENCE)
}

/// How many garbled cells end a table page's probe (see `upside_down_by_its_reads`).
const PROBE_GARBLED_CELLS: usize = 3;
/// Below this confidence a cell's read is garble. On seeds 20261230 and 20261231 (254 pages
/// kept as probed, 14 table pages turned): every turned page's first three cells read below
/// it (one at 0.5: 3000字 upside down), and no page the right way up had three such cells
/// before its first label.
const GARBLED_CONFIDENCE: f32 = 0.6;

/// Whether lines read as text: eight Chinese characters or more, read with a confidence
/// (weighted by characters) of 0.75 or more. Print read the right way up comes back at 0.9;
/// upside down, Tesseract still returns characters, but at 0.1–0.35.
fn reads_as_text(lines: &[([u32; 4], OcrText)]) -> bool {
    let cjk = |t: &OcrText| t.text.chars().filter(|&c| crate::layout::ocr_text::is_cjk(c)).count();
    let n: usize = lines.iter().map(|(_, t)| cjk(t)).sum();
    let weighted: f32 = lines.iter().map(|(_, t)| cjk(t) as f32 * t.confidence).sum();
    n >= 8 && weighted >= 0.75 * n as f32
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

/// How many characters of a line's head the orientation probe reads on a page without a
/// table, when the line's first characters are not the title's: more than the title's
/// longest line, and enough of a line of the printed notes to tell it (see `is_notes_line`).
const PROBE_HEAD_CHARS: u32 = 16;

/// How many characters of a line's head the probe reads first: the title's line is told by
/// its start (2023年度内蒙古, its digits narrow), and the rest of it (自治区“最美职工”) cost
/// half its read, 12 ms, on every cover.
const PROBE_TITLE_CHARS: u32 = 6;

/// How many characters of a label's head are read: enough to tell the box titles apart
/// (盟市、自治区 from 盟市委宣传部, 旗县工会意见 from 旗县党委宣传) with a slip. Eight read
/// the titles on to their (公章): as well, a third of their cost (18 ms a title of 12
/// characters) for nothing that tells them apart.
const HEAD_CHARS: u32 = 6;

/// Reads a cell of the first pass. A label wrapped over lines at a row's start, or a box's
/// title, is known by its head: its first line, at most `HEAD_CHARS` characters, and the
/// second too when the first is too short to tell (所在单位 / 职代会意见 in a narrow column).
/// Read whole, these labels cost about a tenth of the table pages' reading. The cell is read whole
/// when its head is not a label's start, or when its value might be written in it (nothing
/// right of it).
#[allow(clippy::too_many_arguments)]
fn read_first_pass(reader: &mut CellReader, ocr: &mut dyn OcrEngine, grid: &Grid, c: &Cell, portion: Portion, labels: &LabelMatcher, spec: &Spec) -> Result<OcrText, OcrError> {
    let wrapped = || text_lines(&reader.p.ink, inset(c, reader.pad), reader.dpi) >= 2;
    if !grid.has_left(c) && (portion == Portion::TopStrip || wrapped()) {
        let (mut head, mut confidence) = (String::new(), 1.0f32);
        for line in 0..if portion == Portion::Whole { 2 } else { 1 } {
            let Some(t) = reader.read_head(ocr, c, portion, line, HEAD_CHARS)? else { break };
            head.push_str(t.text.trim());
            confidence = confidence.min(t.confidence);
            if let Some((id, label)) = labels.match_head(&head) {
                let inside = spec.field(id).is_some_and(|f| matches!(f.place, Place::Table { label_at: LabelAt::Inside, .. }));
                if inside || reader.written_right_of(grid, c) {
                    return Ok(OcrText { text: label.to_string(), confidence });
                }
                break;
            }
            // A head of five characters or more that is no label's start is not a label.
            if squeeze(&head).chars().count() > 4 {
                break;
            }
        }
    }
    if portion == Portion::Whole && grid.has_left(c) {
        if let Some(t) = reader.read_wrapped(ocr, c)? {
            return Ok(t);
        }
    }
    reader.read(ocr, c, portion)
}

#[allow(clippy::too_many_arguments)]
/// Reads a prepared page; the engine already holds its cleaned image.
fn read_prepared(p: Prepared, probed: Probe, turns: u32, skew: f32, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams) -> Result<PageReading, OcrError> {
    let mut reading = PageReading::nothing_yet(turns, skew);
    let cells = p.grid.cells.len();
    if cells >= params.min_table_cells {
        read_table(&p, probed, dpi, spec, ocr, params, &mut reading)?;
        if reading.labels_found == 0 && cells < params.sure_table_cells {
            reading.values.clear();
            reading.boxes.clear();
            reading.ocr_boxes.clear();
            reading.kind = PageKind::Unknown;
            read_cover(&p.clean, &p.ink, dpi, spec, ocr, Vec::new(), params.second_opinion_below, &mut reading)?;
        }
    } else {
        read_cover(&p.clean, &p.ink, dpi, spec, ocr, probed.lines, params.second_opinion_below, &mut reading)?;
    }
    reading.seen = p.clean;
    reading.grid = p.grid;
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_page_is_given_up_as_turned_after_three_garbled_cells_and_no_label() {
        let cell = |text: &str, confidence: f32| (0usize, OcrText { text: text.into(), confidence }, Portion::Whole);
        // Empty cells say nothing either way; two garbled reads are not yet enough.
        let mut probe = Probe { cells: vec![cell("", 1.0), cell("(所00085)", 0.5), cell("", 1.0), cell("溢关", 0.08)], ..Probe::default() };
        assert!(!upside_down_by_its_reads(&probe));
        probe.cells.push(cell("折", 0.16));
        assert!(upside_down_by_its_reads(&probe));
        // One legible read among them, or a label found, and the page may be the right way up.
        probe.cells[1].1.confidence = 0.9;
        assert!(!upside_down_by_its_reads(&probe));
        probe.cells[1].1.confidence = 0.5;
        probe.found = 1;
        assert!(!upside_down_by_its_reads(&probe));
    }

    /// 200 dpi A4: a title line, then two values ruled as a box split in two (two cells, no
    /// label of the table in them), then a line of print below; the title's characters
    /// notched at their top left when `notched` (see `TitleUpright`).
    fn cover_with_a_box(notched: bool) -> GrayImage {
        use imageproc::drawing::draw_filled_rect_mut;
        use imageproc::rect::Rect;
        let mut page = GrayImage::from_pixel(1654, 2339, image::Luma([255]));
        let ink = image::Luma([0]);
        for (y, n) in [(300, 14), (1100, 10)] {
            for i in 0..n {
                draw_filled_rect_mut(&mut page, Rect::at(300 + i * 40, y).of_size(30, 30), ink);
                if notched && y == 300 {
                    draw_filled_rect_mut(&mut page, Rect::at(300 + i * 40 + 4, y + 4).of_size(10, 10), image::Luma([255]));
                }
            }
        }
        for (x, y, w, h) in [(300, 600, 800, 3), (300, 760, 800, 3), (300, 600, 3, 163), (700, 600, 3, 163), (1097, 600, 3, 163)] {
            draw_filled_rect_mut(&mut page, Rect::at(x, y).of_size(w, h), ink);
        }
        for i in 0..6 {
            draw_filled_rect_mut(&mut page, Rect::at(340 + i * 40, 660).of_size(30, 30), ink);
        }
        page
    }

    #[test]
    fn a_cover_whose_underlines_make_cells_is_still_read_line_by_line() {
        let page = cover_with_a_box(false);
        let read = read_gray_page(GrayPage { gray: page, dpi: 200.0 }, &Spec::builtin(), &mut super::cells::tests::Blank, &ScanParams::default()).unwrap();
        assert!(read.grid.cells.len() >= 2, "the box makes cells: {}", read.grid.cells.len());
        // Neither way up found a label; the page kept is read as a cover, line by line.
        assert!(read.ocr_boxes.iter().any(|(r, _)| r[1] <= 300 && r[1] + r[3] >= 330), "the title line was read: {:?}", read.ocr_boxes);
        assert!(read.ocr_boxes.iter().any(|(r, _)| r[1] <= 1100 && r[1] + r[3] >= 1130), "and the line below the box: {:?}", read.ocr_boxes);
    }

    /// Reads a line as the cover's title when its first character is drawn with a notch at
    /// its top left (as upright), else as garble; whatever it is handed.
    struct TitleUpright(GrayImage);
    impl OcrEngine for TitleUpright {
        fn set_page(&mut self, page: &GrayImage, _: u32) -> Result<(), OcrError> {
            self.0 = page.clone();
            Ok(())
        }
        fn read(&mut self, [x, y, w, h]: [u32; 4], _: crate::ocr::Region) -> Result<OcrText, OcrError> {
            let page = &self.0;
            let (x1, y1) = ((x + w).min(page.width()), (y + h).min(page.height()));
            let dark = |xx: u32, yy: u32| page.get_pixel(xx, yy)[0] < 128;
            let first = (x..x1).find(|&xx| (y..y1).any(|yy| dark(xx, yy)));
            let top = first.and_then(|fx| (y..y1).find(|&yy| dark(fx, yy)));
            let notched = matches!((first, top), (Some(fx), Some(ty)) if fx + 6 < x1 && ty + 6 < y1 && !dark(fx + 6, ty + 6));
            Ok(if notched { OcrText { text: "2023年度内蒙古自治区".into(), confidence: 0.9 } } else { OcrText { text: "部曲日0T".into(), confidence: 0.2 } })
        }
    }

    #[test]
    fn an_upside_down_cover_whose_underlines_make_cells_is_turned_by_its_title() {
        let page = cover_with_a_box(true);
        let spec = Spec::builtin();
        let mut ocr = TitleUpright(GrayImage::new(1, 1));
        let upright = read_gray_page(GrayPage { gray: page.clone(), dpi: 200.0 }, &spec, &mut ocr, &ScanParams::default()).unwrap();
        assert_eq!(upright.quarter_turns, 0);
        let turned = read_gray_page(GrayPage { gray: preprocess::turn(&page, 2), dpi: 200.0 }, &spec, &mut ocr, &ScanParams::default()).unwrap();
        assert!(turned.grid.cells.len() >= 2, "the box makes cells: {}", turned.grid.cells.len());
        assert_eq!(turned.quarter_turns, 2, "turned by the title read the other way up");
    }

    #[test]
    fn lines_read_upright_are_text_and_upside_down_garble_is_not() {
        let line = |text: &str, confidence: f32| ([0, 0, 900, 50], OcrText { text: text.into(), confidence });
        // The notes' overflow read upright, and the same page read upside down.
        assert!(reads_as_text(&[line("1.“照片”一栏，纸质版材料可直接彩色打印。", 0.91), line("2.“政治面貌”一栏，填写中共党员", 0.9)]));
        assert!(!reads_as_text(&[line("部曲日0T 四和才8Z0Z", 0.34), line("“隆美其吉于在辟汪合形千匡瑟放辟兴 -9", 0.10)]));
        // Confident but too short to tell (a lone stamp or page number).
        assert!(!reads_as_text(&[line("第 3 页", 0.95)]));
    }
}
