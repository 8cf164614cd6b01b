//! The approval boxes of a table page: found by title or inferred from the grid, their
//! printed words read and the box split into signer and date zones; and the row-12 sentence
//! split into its vote blanks.

use image::GrayImage;

use crate::error::OcrError;
use crate::layout::approval;
use crate::layout::grid::{Cell, Grid};
use crate::layout::ocr_text;
use crate::layout::sentence::blank_spans;
use crate::ocr::{OcrEngine, Region};
use crate::spec::{Kind, LabelAt, Place, Spec};

use super::{has_dark_ink, inset, mm_px, CellReader, PageReading, ScanParams};

/// Approval boxes whose title OCR missed (a seal stamped over it) are where the spec puts them
/// relative to boxes that were found: right of one in the same row, or below one.
pub(super) fn infer_boxes(grid: &Grid, spec: &Spec, known: &mut Vec<(String, Cell, Cell)>) {
    let place = |id: &str| match spec.field(id).map(|f| &f.place) {
        Some(Place::Table { row, col, label_at, .. }) => Some((*row, *col, *label_at)),
        _ => None,
    };
    loop {
        let mut added = false;
        for f in spec.approvals() {
            if known.iter().any(|(id, ..)| id == &f.id) {
                continue;
            }
            let Some((row, col, at)) = place(&f.id) else { continue };
            let found = known.iter().find_map(|(id, label, boxed)| {
                let (r, c, _) = place(id)?;
                if r == row && c < col {
                    grid.right_of(boxed).cloned()
                } else if r + 1 == row && c == col {
                    grid.below(boxed).cloned()
                } else if r + 1 == row && at == LabelAt::Inside && c == col + 1 {
                    // Below a box labelled on its left: under its label cell.
                    grid.below(label).cloned()
                } else {
                    None
                }
            });
            if let Some(cell) = found {
                known.push((f.id.clone(), cell.clone(), cell));
                added = true;
            }
        }
        if !added {
            break;
        }
    }
}

/// Reads the printed words of each approval box below its title or sentence, and splits the
/// box into its signer and date zones by them.
pub(super) fn read_boxes(clean: &GrayImage, known: &[(String, Cell, Cell)], dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
    let pad = mm_px(dpi, params.cell_inset_mm);
    for f in spec.approvals() {
        let Some((_, _, cell)) = known.iter().find(|(id, ..)| id == &f.id) else { continue };
        let Some(text) = f.approval.as_ref() else { continue };
        let rect = inset(cell, pad);
        let skip = if text.sentence.is_some() {
            (rect[3] as f32 * 0.4) as u32
        } else if matches!(f.place, Place::Table { label_at: LabelAt::Inside, .. }) {
            mm_px(dpi, 8.0).min(rect[3] / 3)
        } else {
            0
        };
        let region = [rect[0], rect[1] + skip, rect[2], rect[3] - skip];
        let words = if has_dark_ink(clean, region) { ocr.read_words(region, Region::Block)? } else { Vec::new() };
        for w in &words {
            out.ocr_boxes.push((w.bbox, w.text.clone()));
        }
        let mut layout = approval::locate(&f.id, [cell.x0, cell.y0, cell.width(), cell.height()], &words, &text.signer, dpi);
        if layout.signer_zone.is_none() {
            // Read again allowing only the label's characters (and digits, so that the date
            // written against it does not turn into label characters).
            let allowed: String = text.signer.chars().chain("：:0123456789".chars()).collect();
            let again = ocr.read_words_only(region, Region::Block, &allowed)?;
            for w in &again {
                out.ocr_boxes.push((w.bbox, format!("signer again: {}", w.text)));
            }
            approval::refine_signer(&mut layout, &again, &text.signer);
        }
        // The date line is read again only when the box's read did not give a whole date.
        let whole = layout.date_parts.as_ref().and_then(approval::date_text).is_some_and(|d| d.ends_with('日'));
        if let Some(band) = layout.date_band.filter(|_| !whole) {
            let line = ocr.read_words_only(band, Region::Block, DATE_CHARS)?;
            let text: Vec<&str> = line.iter().map(|w| w.text.as_str()).collect();
            out.ocr_boxes.push((band, format!("date line: {}", text.join(" "))));
            approval::refine_date(&mut layout, &line);
        }
        out.boxes.push(layout);
    }
    Ok(())
}

/// Digits and the numerals people write counts and terms with.
const NUMERALS: &str = "0123456789零〇一二三四五六七八九十百两";

/// The row-12 sentence read with its words' boxes and split into its blanks by the printed
/// words. A blank whose reading is not a number is read again on its own, only digits and
/// numerals allowed (a handwritten 九 read as 丸, 4 as 和). The whole sentence is read freely:
/// restricted, OCR made a handwritten 1 or 7 a 二 (votes 92 % against 95 % on a tuning set).
pub(super) fn read_sentence<'t>(reader: &mut CellReader, ocr: &mut dyn OcrEngine, boxed: &Cell, sentence: &'t str) -> Result<Vec<(&'t str, String, f32)>, OcrError> {
    let mut rect = inset(boxed, reader.pad);
    rect[3] = ((rect[3] as f32 * 0.45) as u32).max(1);
    if !has_dark_ink(&reader.p.clean, rect) {
        return Ok(Vec::new());
    }
    let words = ocr.read_words(rect, Region::Block)?;
    let confidence = words.iter().map(|w| w.confidence).fold(1.0f32, f32::min);
    let gs = approval::glyphs(&words);
    let text: String = gs.iter().map(|g| g.ch).collect();
    reader.boxes.push((rect, text.clone()));
    let mut out = Vec::new();
    for (blank, span) in blank_spans(sentence, &text) {
        let Some((a, b)) = span else { continue };
        let mut value = ocr_text::clean(Kind::Vote, &gs[a..b].iter().map(|g| g.ch).collect::<String>());
        let mut conf = confidence;
        if crate::fields::normalize::parse_count(&value).is_none() {
            if let Some(r) = blank_rect(&gs, a, b, rect) {
                let again = ocr.read_only(r, Region::Line, NUMERALS)?;
                let cleaned = ocr_text::clean(Kind::Vote, &again.text);
                reader.boxes.push((r, format!("blank again: {cleaned}")));
                if crate::fields::normalize::parse_count(&cleaned).is_some() {
                    value = cleaned;
                    conf = again.confidence;
                }
            }
        }
        out.push((blank, value, conf));
    }
    Ok(out)
}

/// The blank between the printed words before and after a span of glyphs, when both stand on
/// one line: from the end of the one to the start of the other.
fn blank_rect(gs: &[approval::Glyph], a: usize, b: usize, within: [u32; 4]) -> Option<[u32; 4]> {
    let (left, right) = (gs.get(a.checked_sub(1)?)?, gs.get(b)?);
    let h = left.rect[3].max(right.rect[3]);
    let same_line = (left.rect[1] as i64 - right.rect[1] as i64).unsigned_abs() < h as u64 / 2 + 1;
    let x0 = left.rect[0] + left.rect[2];
    if !same_line || right.rect[0] <= x0 + 2 {
        return None;
    }
    // A handwritten number stands taller than the print: half a line more above and below.
    let y0 = left.rect[1].min(right.rect[1]).saturating_sub(h / 2).max(within[1]);
    let y1 = (left.rect[1].max(right.rect[1]) + h + h / 2).min(within[1] + within[3]);
    (y1 > y0).then(|| [x0, y0, right.rect[0] - x0, y1 - y0])
}

/// What a written date may hold: digits and the printed 年 月 日 (block mode: line mode stops
/// at the first wide gap between the parts).
const DATE_CHARS: &str = "0123456789年月日";
