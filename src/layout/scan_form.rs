//! A scanned page → the raw values printed on it.
//!
//! The page is turned upright and deskewed, its ruling lines found and erased, and only the
//! table's cells (or, on the cover, its text lines) are read — one OCR call per cell, each
//! with the segmentation that fits its shape. Labels are matched to the spec (tolerating OCR
//! slips); a field's value is the cell right of its label. Pages are identified by what is
//! printed on them, so they may come in any order.

use image::GrayImage;

use crate::error::OcrError;
use crate::ingest::PageImage;
use crate::layout::grid::{self, Cell, Grid, GridParams};
use crate::layout::labels::{edit_distance, squeeze, LabelMatcher};
use crate::layout::sentence::split_blanks;
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
    /// Fewer labels than this read on a page and the page is tried upside down.
    pub min_labels_upright: usize,
}

impl Default for ScanParams {
    fn default() -> Self {
        ScanParams {
            preprocess: PreprocessParams::default(),
            grid: GridParams::default(),
            min_table_cells: 6,
            line_cell_mm: 14.0,
            cell_inset_mm: 0.6,
            min_labels_upright: 2,
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
    /// Approval boxes whose title was found on this page, with the box's rectangle.
    pub boxes: Vec<(String, [u32; 4])>,
    /// How the page was turned (quarter turns clockwise) and deskewed (degrees).
    pub quarter_turns: u32,
    pub skew_deg: f32,
    /// The upright page, its grid and what OCR read in each region, for debug overlays.
    pub upright: GrayImage,
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
    let dpi = page_dpi(page);
    let gray = preprocess::to_gray(&page.image);
    // A landscape image of a portrait form was scanned on its side.
    let (w, h) = gray.dimensions();
    let first_turn = if w > h + h / 10 { 1 } else { 0 };
    let mut best: Option<PageReading> = None;
    for extra in [0u32, 2] {
        let turns = (first_turn + extra) % 4;
        let reading = read_upright(&preprocess::turn(&gray, turns), turns, dpi, spec, ocr, params)?;
        let good = reading.labels_found >= params.min_labels_upright;
        if best.as_ref().is_none_or(|b| reading.labels_found > b.labels_found) {
            best = Some(reading);
        }
        if good {
            break;
        }
    }
    Ok(best.expect("at least one orientation was read"))
}

fn read_upright(gray: &GrayImage, turns: u32, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams) -> Result<PageReading, OcrError> {
    let skew = preprocess::estimate_skew(&preprocess::binarize(gray), &params.preprocess);
    let upright = preprocess::rotate(gray, skew);
    let ink = preprocess::binarize(&upright);
    let grid = grid::detect(&ink, dpi, &params.grid);
    let clean = grid::erase_lines(&upright, &grid);
    ocr.set_page(&clean, dpi.round() as u32)?;
    let mut reading = PageReading {
        kind: PageKind::Unknown,
        values: Vec::new(),
        boxes: Vec::new(),
        quarter_turns: turns,
        skew_deg: skew,
        upright: upright.clone(),
        grid: grid.clone(),
        ocr_boxes: Vec::new(),
        labels_found: 0,
    };
    let clean_ink = preprocess::binarize(&clean);
    if grid.cells.len() >= params.min_table_cells {
        read_table(&grid, &clean_ink, dpi, spec, ocr, params, &mut reading)?;
    } else {
        read_cover(&clean_ink, dpi, spec, ocr, &mut reading)?;
    }
    Ok(reading)
}

fn inset(c: &Cell, px: u32) -> [u32; 4] {
    let x = c.x0 + px.min(c.width() / 4);
    let y = c.y0 + px.min(c.height() / 4);
    [x, y, c.width().saturating_sub(2 * (x - c.x0)).max(1), c.height().saturating_sub(2 * (y - c.y0)).max(1)]
}

fn read_table(grid: &Grid, ink: &GrayImage, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
    let labels = LabelMatcher::new(spec, |f| f.part() == Part::Table);
    let line_px = mm_px(dpi, params.line_cell_mm);
    let pad = mm_px(dpi, params.cell_inset_mm);
    let mut texts: Vec<OcrText> = Vec::with_capacity(grid.cells.len());
    for c in &grid.cells {
        let rect = inset(c, pad);
        // A low cell may still hold two lines (a label or value wrapped in a narrow column).
        let region = if c.height() < line_px && text_lines(ink, rect, dpi) <= 1 { Region::Line } else { Region::Block };
        let t = ocr.read(rect, region)?;
        out.ocr_boxes.push((rect, t.text.trim().to_string()));
        texts.push(t);
    }
    out.kind = PageKind::Table;
    for (i, c) in grid.cells.iter().enumerate() {
        let Some((id, rest)) = labels.match_fuzzy(&texts[i].text) else { continue };
        let Some(field) = spec.field(id) else { continue };
        out.labels_found += 1;
        if field.kind == Kind::Approval {
            let inside = matches!(field.place, Place::Table { label_at: LabelAt::Inside, .. });
            let (boxed, text) = if inside { (c, &texts[i]) } else {
                match grid.right_of(c).and_then(|r| grid.cells.iter().position(|x| x == r)) {
                    Some(j) => (&grid.cells[j], &texts[j]),
                    None => continue,
                }
            };
            out.boxes.push((field.id.clone(), [boxed.x0, boxed.y0, boxed.width(), boxed.height()]));
            if let Some(sentence) = field.approval.as_ref().and_then(|a| a.sentence.as_ref()) {
                for (blank, value) in split_blanks(sentence, &text.text) {
                    if let Some(v) = value {
                        out.values.push((blank.to_string(), RawValue { text: v, confidence: text.confidence, page: None, bbox: Some([boxed.x0, boxed.y0, boxed.width(), boxed.height()]) }));
                    }
                }
            }
            continue;
        }
        let value = if !rest.trim().is_empty() {
            Some((rest, texts[i].confidence, c))
        } else {
            grid.right_of(c).and_then(|r| {
                let j = grid.cells.iter().position(|x| x == r)?;
                // The neighbour is another label: this value cell was left out of the grid.
                if labels.match_fuzzy(&texts[j].text).is_some_and(|(_, rest)| rest.trim().is_empty()) {
                    return None;
                }
                Some((texts[j].text.clone(), texts[j].confidence, r))
            })
        };
        if let Some((text, confidence, cell)) = value {
            let text = if is_hint(&text, field.hint.as_deref()) {
                String::new()
            } else if field.kind == Kind::Multiline {
                text.trim().to_string()
            } else if field.kind == Kind::Text {
                cjk_brackets(&trim_ocr_junk(&text))
            } else {
                trim_ocr_junk(&text)
            };
            out.values.push((field.id.clone(), RawValue { text, confidence, page: None, bbox: Some([cell.x0, cell.y0, cell.width(), cell.height()]) }));
        }
    }
    Ok(())
}

/// Strips what OCR reads from specks and line remnants at a value's ends: quotes, bars,
/// underscores, dashes, stray punctuation. Inner characters are kept.
pub fn trim_ocr_junk(text: &str) -> String {
    const JUNK: &[char] = &['"', '\'', '“', '”', '‘', '’', '|', '_', '-', '—', '~', '`', '·', '.', ',', '，', '。', ':', '：', ';', '；', '!', '！', '、', '^', '*'];
    text.trim_matches(|c: char| c.is_whitespace() || JUNK.contains(&c)).to_string()
}

/// Chinese unit names use full-width brackets; OCR returns look-alikes and half-width ones.
pub fn cjk_brackets(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '〈' | '《' | '(' | '【' | '［' => '（',
            '〉' | '》' | ')' | '】' | '］' => '）',
            c => c,
        })
        .collect()
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

/// The cover's lines, found by the rows that carry ink, each read as one line.
fn read_cover(ink: &GrayImage, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, out: &mut PageReading) -> Result<(), OcrError> {
    let labels = LabelMatcher::new(spec, |f| f.part() == Part::Cover);
    let (w, h) = ink.dimensions();
    let min_ink = 3u32;
    let rows: Vec<bool> = (0..h).map(|y| (0..w).filter(|&x| ink.get_pixel(x, y)[0] > 127).count() as u32 >= min_ink).collect();
    let min_h = mm_px(dpi, 1.5);
    let gap = mm_px(dpi, 1.0);
    let mut y = 0u32;
    let mut found_title = false;
    while y < h {
        if !rows[y as usize] {
            y += 1;
            continue;
        }
        let y0 = y;
        let mut last = y;
        while y < h && (rows[y as usize] || y - last <= gap) {
            if rows[y as usize] {
                last = y;
            }
            y += 1;
        }
        let y1 = last + 1;
        if y1 - y0 < min_h {
            continue;
        }
        let xs: Vec<u32> = (0..w).filter(|&x| (y0..y1).any(|yy| ink.get_pixel(x, yy)[0] > 127)).collect();
        let (Some(&x0), Some(&x1)) = (xs.first(), xs.last()) else { continue };
        let pad = mm_px(dpi, 1.0);
        let rect = [x0.saturating_sub(pad), y0.saturating_sub(pad), (x1 + 1 + pad).min(w) - x0.saturating_sub(pad), (y1 + pad).min(h) - y0.saturating_sub(pad)];
        let t = ocr.read(rect, Region::Line)?;
        out.ocr_boxes.push((rect, t.text.trim().to_string()));
        let sq = squeeze(&t.text);
        if sq.contains("申报表") || sq.contains("最美职工") {
            found_title = true;
        }
        // On the cover the value follows its label on the same line, often with no space in
        // what OCR returns: a label at the line's start is enough.
        let glued = spec.cover_fields().into_iter().find_map(|f| {
            f.all_labels().map(squeeze).filter(|l| l.chars().count() >= 2).find_map(|l| sq.strip_prefix(l.as_str()).map(|rest| (f.id.as_str(), rest.to_string())))
        });
        if let Some((id, rest)) = glued.or_else(|| labels.match_fuzzy(&t.text).map(|(id, r)| (id, r))) {
            out.labels_found += 1;
            let text_kind = spec.field(id).is_some_and(|f| f.kind == Kind::Text);
            let rest = if text_kind { cjk_brackets(&trim_ocr_junk(&rest)) } else { trim_ocr_junk(&rest) };
            out.values.push((id.to_string(), RawValue { text: rest, confidence: t.confidence, page: None, bbox: Some(rect) }));
        }
    }
    if found_title || out.labels_found > 0 {
        out.kind = PageKind::Cover;
        out.labels_found += usize::from(found_title);
    }
    Ok(())
}
