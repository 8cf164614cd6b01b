//! Reading one cell of a prepared page: which part of it, which segmentation, and the second
//! readings for what line mode gets wrong (an empty result, one character, a dash, a value
//! wrapped over lines).

use image::GrayImage;

use crate::error::OcrError;
use crate::layout::grid::Cell;
use crate::ocr::{OcrEngine, OcrText, Region};

use crate::layout::labels::squeeze;

use super::{mm_px, Prepared, ScanParams};

/// Reads `piece`, paper made for one read (a line set side by side, a region framed in white),
/// as Tesseract's page, whole, then sets `page` back for the reads that follow.
pub(super) fn read_on<T>(ocr: &mut dyn OcrEngine, piece: &GrayImage, page: &GrayImage, dpi: f32, read: impl FnOnce(&mut dyn OcrEngine, [u32; 4]) -> Result<T, OcrError>) -> Result<T, OcrError> {
    let dpi = dpi.round() as u32;
    ocr.set_page(piece, dpi)?;
    let out = read(ocr, [0, 0, piece.width(), piece.height()]);
    ocr.set_page(page, dpi)?;
    out
}

pub(super) fn inset(c: &Cell, px: u32) -> [u32; 4] {
    let x = c.x0 + px.min(c.width() / 4);
    let y = c.y0 + px.min(c.height() / 4);
    [x, y, c.width().saturating_sub(2 * (x - c.x0)).max(1), c.height().saturating_sub(2 * (y - c.y0)).max(1)]
}

/// What the lines of a cell read apart hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    Text,
    /// A month or a date.
    Digits,
}

/// What a month or a date is written with.
const DIGIT_LINE_CHARS: &str = "0123456789.-/年月日";

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
pub(super) struct CellReader<'a> {
    pub(super) p: &'a Prepared,
    pub(super) dpi: f32,
    pub(super) pad: u32,
    strip_px: u32,
    line_px: u32,
    second_below: f32,
    pub(super) boxes: Vec<([u32; 4], String)>,
    /// The cells read with their lines side by side (see `read_unwrapped`), each read once.
    unwrapped: Vec<([u32; 4], Lines, OcrText)>,
}

impl<'a> CellReader<'a> {
    pub(super) fn new(p: &'a Prepared, dpi: f32, params: &ScanParams) -> Self {
        CellReader { p, dpi, pad: mm_px(dpi, params.cell_inset_mm), strip_px: mm_px(dpi, 11.0), line_px: mm_px(dpi, params.line_cell_mm), second_below: params.second_opinion_below, boxes: Vec::new(), unwrapped: Vec::new() }
    }

    /// A narrow cell inside a row (a short value, or a label after one) whose print is wrapped
    /// over lines, read with its lines side by side: block mode reads each line alone and
    /// misreads a character alone on its line (生产线操作 / 工), and the value was read again
    /// so, after its block read (16 ms a form). A wrapped label reads whole the same way
    /// (何时参加 / 工作). None when the cell holds no dark ink or one line.
    pub(super) fn read_wrapped(&mut self, ocr: &mut dyn OcrEngine, c: &Cell) -> Result<Option<OcrText>, OcrError> {
        let rect = inset(c, self.pad);
        if !has_dark_ink(&self.p.clean, rect) || text_lines(&self.p.ink, rect, self.dpi) < 2 {
            return Ok(None);
        }
        self.read_unwrapped(ocr, c, Lines::Text)
    }

    /// Whether the cell right of `c` holds writing (dark ink inside its lines): then a label
    /// cell's own text is its label, not its value as well.
    pub(super) fn written_right_of(&self, grid: &crate::layout::grid::Grid, c: &Cell) -> bool {
        grid.right_of(c).is_some_and(|r| has_dark_ink(&self.p.clean, inset(r, self.pad)))
    }

    /// Reads a cell as one line, cut to the rows that carry its ink.
    pub(super) fn read_one_line(&mut self, ocr: &mut dyn OcrEngine, c: &Cell) -> Result<OcrText, OcrError> {
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

    /// Reads only the head of a label cell's line `line` (0 the first) of ink, cut to that
    /// ink, and no further than `chars` characters from the line's first ink (a character
    /// taken as wide as the line's ink is high, and a fifth more). A label is known by its
    /// start, and Tesseract's time goes by the characters it reads. None when the portion holds
    /// no such line.
    pub(super) fn read_head(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, portion: Portion, line: usize, chars: u32) -> Result<Option<OcrText>, OcrError> {
        let mut rect = inset(c, self.pad);
        if portion == Portion::TopStrip {
            rect[3] = rect[3].min(self.strip_px);
        }
        let [x, y, w, h] = rect;
        let Some(&(a, b)) = self.cell_lines(rect).get(line) else { return Ok(None) };
        let Some([ix, _, iw, _]) = ink_bounds(&self.p.ink, [x, a, w, b - a]) else { return Ok(None) };
        let margin = self.pad;
        let em = (b - a) * 6 / 5;
        let left = ix.saturating_sub(margin).max(x);
        let right = (ix + iw + margin).min(ix + chars * em).min(x + w);
        let top = a.saturating_sub(margin).max(y);
        let head = [left, top, right.saturating_sub(left).max(1), (b + margin).min(y + h) - top];
        let t = read_with_retry(ocr, head, Region::Line)?;
        self.boxes.push((head, format!("head: {}", t.text.trim())));
        Ok(Some(t))
    }

    /// Reads a value wrapped over lines as the one line it was before wrapping: each line of
    /// ink cut to its ink and set beside the one before on white paper, then read in line
    /// mode. A character alone on the last line (the 工 of 生产线操作 / 工) is read with the
    /// rest of its word: alone, Tesseract takes a lone 工 for a symbol (> or 江) in every mode.
    /// None when the cell holds fewer than two lines. The page is set back afterwards.
    pub(super) fn read_unwrapped(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, lines: Lines) -> Result<Option<OcrText>, OcrError> {
        let [x, y, w, h] = inset(c, self.pad);
        if let Some((.., t)) = self.unwrapped.iter().find(|(r, l, _)| *r == [x, y, w, h] && *l == lines) {
            return Ok(Some(t.clone()));
        }
        let pieces: Vec<[u32; 4]> = self.cell_lines([x, y, w, h]).into_iter().filter_map(|(a, b)| ink_bounds(&self.p.ink, [x, a, w, b - a])).collect();
        if pieces.len() < 2 {
            return Ok(None);
        }
        let t = self.read_side_by_side(ocr, &pieces, lines)?;
        self.boxes.push(([x, y, w, h], format!("unwrapped: {}", t.text.trim())));
        self.unwrapped.push(([x, y, w, h], lines, t.clone()));
        Ok(Some(t))
    }

    /// The second model's reading of a cell holding one line of ink (see
    /// `OcrEngine::read_second`), asked only when chi_sim's reading scored under
    /// `ScanParams::second_opinion_below`. None when it is not asked, the cell holds no line
    /// or several, or the engine has no second model.
    pub(super) fn second_opinion(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, confidence: f32) -> Result<Option<OcrText>, OcrError> {
        let rect = inset(c, self.pad);
        if confidence >= self.second_below || text_lines(&self.p.ink, rect, self.dpi) != 1 {
            return Ok(None);
        }
        let Some(ink) = ink_bounds(&self.p.ink, rect) else { return Ok(None) };
        let piece = super::boxes::framed_piece(&self.p.clean, ink, ink[3] / 2 + 4, None);
        let read = ocr.read_second(&piece, self.dpi.round() as u32)?;
        if let Some(t) = &read {
            self.boxes.push((ink, format!("second model: {} ({:.2})", t.text.trim(), t.confidence)));
        }
        Ok(read)
    }

    /// Reads a cell's ink with the digits' engine, only `chars` allowed: the ink cut out on
    /// paper with a margin of half its height. None when the cell holds no ink or the engine
    /// has no digits' model.
    pub(super) fn read_by_digits_engine(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, chars: &str) -> Result<Option<OcrText>, OcrError> {
        let Some(ink) = ink_bounds(&self.p.ink, inset(c, self.pad)) else { return Ok(None) };
        let piece = super::boxes::framed_piece(&self.p.clean, ink, ink[3] / 2 + 4, None);
        let read = ocr.read_digits(&piece, self.dpi.round() as u32, chars)?;
        if let Some(t) = &read {
            self.boxes.push((ink, format!("digits' engine: {} ({:.2})", t.text.trim(), t.confidence)));
        }
        Ok(read)
    }

    /// Reads a value of one character after its label, the two set side by side as one line:
    /// alone, Tesseract reads a lone character poorly (无 as 5), with the label before it as
    /// in running text it reads it well. The value is what follows the label's last character.
    /// None when the label or the value is not one line of ink.
    pub(super) fn read_after_label(&mut self, ocr: &mut dyn OcrEngine, label: &Cell, label_text: &str, value: &Cell) -> Result<Option<OcrText>, OcrError> {
        let one_line = |c: &Cell| {
            let r = inset(c, self.pad);
            (text_lines(&self.p.ink, r, self.dpi) == 1).then(|| ink_bounds(&self.p.ink, r)).flatten()
        };
        let last = squeeze(label_text).chars().rev().find(|c| !matches!(c, ':' | '：'));
        let (Some(l), Some(v), Some(last)) = (one_line(label), one_line(value), last) else { return Ok(None) };
        let t = self.read_side_by_side(ocr, &[l, v], Lines::Text)?;
        let read = squeeze(&t.text);
        let Some(at) = read.rfind(last) else { return Ok(None) };
        let rest = read[at + last.len_utf8()..].trim_start_matches([':', '：']).to_string();
        self.boxes.push((v, format!("after its label: {rest}")));
        Ok(Some(OcrText { text: rest, confidence: t.confidence }))
    }

    /// Reads pieces of the page (rectangles of ink) as one line, set side by side on their
    /// common baseline, a sixth of a line's height apart (print's spacing), with a margin of
    /// paper round them as Tesseract expects round a line. The page is set back afterwards.
    fn read_side_by_side(&mut self, ocr: &mut dyn OcrEngine, pieces: &[[u32; 4]], lines: Lines) -> Result<OcrText, OcrError> {
        let clean = &self.p.clean;
        let tall = pieces.iter().map(|p| p[3]).max().unwrap_or(1);
        let (gap, m) = (tall / 6, tall / 2 + 4);
        let width: u32 = pieces.iter().map(|p| p[2]).sum::<u32>() + gap * (pieces.len() as u32).saturating_sub(1) + 2 * m;
        let mut line = GrayImage::from_pixel(width, tall + 2 * m, image::Luma([255]));
        let mut at = m;
        for &[px, py, pw, ph] in pieces {
            let piece = image::imageops::crop_imm(clean, px, py, pw, ph).to_image();
            image::imageops::replace(&mut line, &piece, at as i64, (m + tall - ph) as i64);
            at += pw + gap;
        }
        read_on(ocr, &line, clean, self.dpi, |ocr, all| {
            if lines == Lines::Digits {
                ocr.restrict(Some(DIGIT_LINE_CHARS));
            }
            let read = read_with_retry(ocr, all, Region::Line);
            ocr.restrict(None);
            read
        })
    }

    /// The lines of ink of a cell's inset rectangle, as row ranges: bands of inked rows, a gap
    /// of a few rows closing one (the gap between two lines of print is about a third of an
    /// em), bands lower than a stroke of print passed over.
    fn cell_lines(&self, [x, y, w, h]: [u32; 4]) -> Vec<(u32, u32)> {
        let ink = &self.p.ink;
        let inked = |yy: u32| (x..(x + w).min(ink.width())).filter(|&xx| ink.get_pixel(xx, yy)[0] > 127).count() >= 2;
        let min_h = mm_px(self.dpi, 1.2).max(3);
        ink_bands(inked, y..(y + h).min(ink.height()), mm_px(self.dpi, 0.6).max(2)).into_iter().filter(|(a, b)| b - a >= min_h).collect()
    }

    /// Reads each line of ink of a cell on its own and joins them: a short value wrapped in
    /// a narrow cell (共产党 / 员), which block mode reads as three lines of garbage. With
    /// `Lines::Digits` the engine is held to digits and a line OCR leaves empty whose ink is one
    /// narrow upright mark (at most half as wide as high) is a 1: Tesseract takes a lone 1
    /// for a speck, while the other digits are wider.
    pub(super) fn read_lines_apart(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, lines: Lines) -> Result<OcrText, OcrError> {
        let [x, y, w, h] = inset(c, self.pad);
        let ink = &self.p.ink;
        let margin = self.pad;
        let mut text = String::new();
        let mut confidence = 1.0f32;
        for (a, b) in self.cell_lines([x, y, w, h]) {
            let top = a.saturating_sub(margin).max(y);
            let mut rect = [x, top, w, (b + margin).min(y + h) - top];
            // Cut to the line's ink across too, with room of about an em: a lone digit (the 1 of
            // 1968.0 / 1) in a cell-wide rectangle is taken for a speck.
            if let Some([ix, _, iw, _]) = ink_bounds(ink, [x, a, w, b - a]) {
                let room = 3 * margin;
                let left = ix.saturating_sub(room).max(x);
                rect = [left, rect[1], (ix + iw + room).min(x + w) - left, rect[3]];
            }
            let mut t = match lines {
                Lines::Text => read_with_retry(ocr, rect, Region::Line)?,
                Lines::Digits => {
                    ocr.restrict(Some(DIGIT_LINE_CHARS));
                    let t = read_with_retry(ocr, rect, Region::Line);
                    ocr.restrict(None);
                    t?
                }
            };
            if lines == Lines::Digits && t.text.trim().is_empty() {
                let em = mm_px(self.dpi, 3.7).max(4);
                if let Some([_, _, iw, ih]) = ink_bounds(ink, rect) {
                    if iw * 2 <= ih && ih * 2 >= em && ih <= em * 2 {
                        t = OcrText { text: "1".into(), confidence: 0.6 };
                    }
                }
            }
            self.boxes.push((rect, format!("line apart: {}", t.text.trim())));
            text.push_str(t.text.trim());
            confidence = confidence.min(t.confidence);
        }
        Ok(OcrText { text, confidence })
    }

    /// A cell whose ink is one mark: a single thin horizontal stroke is the dash written for
    /// "none" (read by line mode as ww or 0); a single character (无, 女) is read in
    /// Tesseract's single-character mode, which line mode often misreads (无 as 大 or 卫).
    pub(super) fn read_lone_mark(&mut self, ocr: &mut dyn OcrEngine, rect: [u32; 4]) -> Result<Option<OcrText>, OcrError> {
        let em = mm_px(self.dpi, 3.7).max(4);
        if let Some(dash) = lone_dash(&self.p.ink, rect, em) {
            self.boxes.push((dash, "a dash".into()));
            return Ok(Some(OcrText { text: "—".into(), confidence: 0.9 }));
        }
        let Some([x, y, w, h]) = ink_bounds(&self.p.ink, rect) else { return Ok(None) };
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

    pub(super) fn read(&mut self, ocr: &mut dyn OcrEngine, c: &Cell, portion: Portion) -> Result<OcrText, OcrError> {
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

/// Bands of rows where `inked` holds, top down: a band ends at a gap of `min_gap` rows.
pub(super) fn ink_bands(inked: impl Fn(u32) -> bool, rows: std::ops::Range<u32>, min_gap: u32) -> Vec<(u32, u32)> {
    let mut bands: Vec<(u32, u32)> = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for yy in rows {
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
    bands
}

/// Tesseract's line mode often returns nothing for a short CJK word or a lone character
/// (性别's 女, a three-character name): block mode, then character mode, read it.
pub(super) fn read_with_retry(ocr: &mut dyn OcrEngine, rect: [u32; 4], region: Region) -> Result<OcrText, OcrError> {
    let mut t = ocr.read(rect, region)?;
    for retry in [Region::Block, Region::Char] {
        if !t.text.trim().is_empty() || region != Region::Line {
            break;
        }
        t = ocr.read(rect, retry)?;
    }
    Ok(t)
}

/// Grey levels below this are written or typed ink, darker than the template's grey hints and
/// scanner dust.
pub(super) const DARK_INK: u8 = 112;

/// Whether a rectangle holds ink darker than grey print: typed or written values are near
/// black, the template's placeholder hints and scanner dust are not.
pub(super) fn has_dark_ink(gray: &GrayImage, [x, y, w, h]: [u32; 4]) -> bool {
    let mut dark = 0u32;
    // Every row: a dash (`—` for "none") is a single thin row of ink.
    for yy in y..(y + h).min(gray.height()) {
        for xx in (x..(x + w).min(gray.width())).step_by(2) {
            if gray.get_pixel(xx, yy)[0] < DARK_INK {
                dark += 1;
                if dark >= 6 {
                    return true;
                }
            }
        }
    }
    false
}

/// The bounding box of the ink in a rectangle of the ink mask, specks of a few pixels aside.
pub(super) fn ink_bounds(ink: &GrayImage, [x, y, w, h]: [u32; 4]) -> Option<[u32; 4]> {
    let (x1, y1) = ((x + w).min(ink.width()), (y + h).min(ink.height()));
    let on = |xx: u32, yy: u32| ink.get_pixel(xx, yy)[0] > 127;
    // A row or column counts when it holds at least two pixels of ink.
    let rows = ink_rows(ink, [x, y, w, h]);
    let cols: Vec<u32> = (x..x1).filter(|&xx| (y..y1).filter(|&yy| on(xx, yy)).count() >= 2).collect();
    let (a, b) = (*rows.first()?, *rows.last()?);
    let (c, d) = (*cols.first()?, *cols.last()?);
    Some([c, a, d + 1 - c, b + 1 - a])
}

/// The rows of a rectangle of the ink mask holding two pixels of ink or more (one is a speck).
fn ink_rows(ink: &GrayImage, [x, y, w, h]: [u32; 4]) -> Vec<u32> {
    let (x1, y1) = ((x + w).min(ink.width()), (y + h).min(ink.height()));
    (y..y1).filter(|&yy| (x..x1).filter(|&xx| ink.get_pixel(xx, yy)[0] > 127).count() >= 2).collect()
}

/// The box of a dash standing alone in a rectangle of the ink mask: all its rows of ink (two
/// pixels or more) within three tenths of an em, and in them one unbroken run of inked
/// columns from half an em to three ems long. A dash one pixel thick has no column of two
/// pixels, so `ink_bounds` finds no ink in it (and OCR read — as ae).
fn lone_dash(ink: &GrayImage, [x, y, w, h]: [u32; 4], em: u32) -> Option<[u32; 4]> {
    let x1 = (x + w).min(ink.width());
    let on = |xx: u32, yy: u32| ink.get_pixel(xx, yy)[0] > 127;
    let rows = ink_rows(ink, [x, y, w, h]);
    let (&a, &b) = (rows.first()?, rows.last()?);
    if (b + 1 - a) * 10 > em * 3 {
        return None;
    }
    let cols: Vec<u32> = (x..x1).filter(|&xx| (a..=b).any(|yy| on(xx, yy))).collect();
    let (&c, &d) = (cols.first()?, cols.last()?);
    let long = d + 1 - c;
    // Unbroken: a gap of a pixel or two from scanning, not two marks side by side.
    let unbroken = cols.len() as u32 * 10 >= long * 9;
    (unbroken && long * 2 >= em && long <= em * 3).then_some([c, a, long, b + 1 - a])
}

/// Lines of text in a rectangle of the ink mask: runs of rows with ink, separated by a gap.
pub(super) fn text_lines(ink: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32) -> usize {
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::layout::grid::Grid;
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
        // A dash one pixel thick, with a speck.
        let mut ink = GrayImage::new(300, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(120, 50).of_size(30, 1), image::Luma([255]));
        ink.put_pixel(20, 10, image::Luma([255]));
        assert_eq!(lone_dash(&ink, [0, 0, 300, 100], 29), Some([120, 50, 30, 1]));
        let p = prepared(ink);
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert_eq!(reader.read_lone_mark(&mut Unasked, [0, 0, 300, 100]).unwrap().expect("a dash").text, "—");
        // Two short strokes side by side on one row (二 lying down, or 一 一) are not one dash.
        let mut ink = GrayImage::new(300, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(100, 50).of_size(12, 2), image::Luma([255]));
        draw_filled_rect_mut(&mut ink, Rect::at(130, 50).of_size(12, 2), image::Luma([255]));
        assert_eq!(lone_dash(&ink, [0, 0, 300, 100], 29), None);
        // Two lines' worth of ink is not one mark.
        let mut ink = GrayImage::new(300, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(20, 20).of_size(200, 25), image::Luma([255]));
        let p = prepared(ink);
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert!(reader.read_lone_mark(&mut Unasked, [0, 0, 300, 100]).unwrap().is_none());
    }

    /// An engine whose second model reads the text it holds, counting how often it is asked;
    /// chi_sim itself must not be asked.
    struct Second(&'static str, usize);
    impl OcrEngine for Second {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<OcrText, OcrError> {
            panic!("chi_sim was asked")
        }
        fn read_second(&mut self, piece: &GrayImage, _: u32) -> Result<Option<OcrText>, OcrError> {
            // The piece is the line's ink on a margin of paper (a line 20 px high: 14 round it).
            assert_eq!((piece.width(), piece.height()), (100 + 28, 20 + 28));
            self.1 += 1;
            Ok(Some(OcrText { text: self.0.into(), confidence: 0.8 }))
        }
    }

    #[test]
    fn the_second_model_is_asked_about_one_unsure_line_only() {
        let mut ink = GrayImage::new(140, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(20, 40).of_size(100, 20), image::Luma([255]));
        let p = prepared(ink);
        let cell = Cell { x0: 0, y0: 0, x1: 140, y1: 100, band: 0, bands: 1 };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let mut engine = Second("侯春雷", 0);
        assert_eq!(reader.second_opinion(&mut engine, &cell, 0.6).unwrap().map(|t| t.text), Some("侯春雷".into()));
        // chi_sim sure of it: not asked.
        assert!(reader.second_opinion(&mut engine, &cell, 0.95).unwrap().is_none());
        assert_eq!(engine.1, 1);
        // Two lines of ink: not asked either (a wrapped value is read its own way).
        let mut ink = GrayImage::new(140, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(20, 10).of_size(100, 20), image::Luma([255]));
        draw_filled_rect_mut(&mut ink, Rect::at(20, 60).of_size(100, 20), image::Luma([255]));
        let p = prepared(ink);
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert!(reader.second_opinion(&mut engine, &cell, 0.6).unwrap().is_none());
        // Turned off.
        let p = prepared(GrayImage::from_fn(140, 100, |_, y| image::Luma([if (40..60).contains(&y) { 255 } else { 0 }])));
        let mut reader = CellReader::new(&p, 200.0, &ScanParams { second_opinion_below: 0.0, ..ScanParams::default() });
        assert!(reader.second_opinion(&mut engine, &cell, 0.1).unwrap().is_none());
        assert_eq!(engine.1, 1);
    }

    /// An engine that reads nothing, as Tesseract does a lone 1.
    pub(in crate::layout::scan_form) struct Blank;
    impl OcrEngine for Blank {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<OcrText, OcrError> {
            Ok(OcrText::default())
        }
    }

    #[test]
    fn a_lone_narrow_mark_on_a_digit_line_is_a_one() {
        // A cell at 200 dpi: a wide line of digits, then a narrow upright mark below it.
        let mut ink = GrayImage::new(140, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(10, 10).of_size(110, 22), image::Luma([255]));
        draw_filled_rect_mut(&mut ink, Rect::at(60, 50).of_size(7, 21), image::Luma([255]));
        let p = prepared(ink);
        let cell = Cell { x0: 0, y0: 0, x1: 140, y1: 100, band: 0, bands: 1 };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert_eq!(reader.read_lines_apart(&mut Blank, &cell, Lines::Digits).unwrap().text, "1");
        // Not in a line of text, and not a wide mark.
        assert_eq!(reader.read_lines_apart(&mut Blank, &cell, Lines::Text).unwrap().text, "");
        let mut ink = GrayImage::new(140, 100);
        draw_filled_rect_mut(&mut ink, Rect::at(60, 50).of_size(14, 21), image::Luma([255]));
        let p = prepared(ink);
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert_eq!(reader.read_lines_apart(&mut Blank, &cell, Lines::Digits).unwrap().text, "");
    }

    /// An engine that keeps the pages it is given and reads what it is told on any of them.
    struct Keeps(Vec<GrayImage>, &'static str);
    impl OcrEngine for Keeps {
        fn set_page(&mut self, page: &GrayImage, _: u32) -> Result<(), OcrError> {
            self.0.push(page.clone());
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<OcrText, OcrError> {
            Ok(OcrText { text: self.1.into(), confidence: 0.9 })
        }
    }

    #[test]
    fn a_wrapped_value_is_read_as_one_line_its_lines_side_by_side() {
        // A cell at 200 dpi: a line of five characters (150 × 30), then one character alone
        // (30 × 30) on the next line, as print (dark on white) and as ink.
        let mut clean = GrayImage::from_pixel(200, 120, image::Luma([255]));
        draw_filled_rect_mut(&mut clean, Rect::at(20, 15).of_size(150, 30), image::Luma([0]));
        draw_filled_rect_mut(&mut clean, Rect::at(80, 60).of_size(30, 30), image::Luma([60]));
        let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let p = Prepared { grid: Grid::default(), clean: clean.clone(), ink };
        let cell = Cell { x0: 0, y0: 0, x1: 200, y1: 120, band: 0, bands: 1 };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let mut engine = Keeps(Vec::new(), "生产线操作工");
        let t = reader.read_unwrapped(&mut engine, &cell, Lines::Text).unwrap().expect("two lines");
        assert_eq!(t.text, "生产线操作工");
        assert_eq!(engine.0.len(), 2, "the joined line, then the page set back");
        assert_eq!(engine.0[1], clean);
        let line = &engine.0[0];
        // One row of ink crosses both pieces, the lone character right of the line, a little
        // apart from it.
        let row: Vec<u8> = (0..line.width()).map(|x| line.get_pixel(x, line.height() / 2)[0]).collect();
        let dark: Vec<usize> = row.iter().enumerate().filter(|(_, v)| **v < 128).map(|(i, _)| i).collect();
        assert_eq!(dark.len(), 180, "150 + 30 columns of ink on the middle row");
        let gap = dark.windows(2).map(|w| w[1] - w[0]).max().unwrap();
        assert!((3..=10).contains(&gap), "the pieces stand a character's spacing apart: {gap}");
        assert_eq!(line.height(), 30 + 2 * (15 + 4));
        // A cell of one line is not joined.
        let mut one = GrayImage::from_pixel(200, 120, image::Luma([255]));
        draw_filled_rect_mut(&mut one, Rect::at(20, 15).of_size(150, 30), image::Luma([0]));
        let ink = imageproc::contrast::threshold(&one, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let p = Prepared { grid: Grid::default(), clean: one, ink };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        assert!(reader.read_unwrapped(&mut Unasked, &cell, Lines::Text).unwrap().is_none());
    }

    #[test]
    fn a_lone_character_is_what_follows_its_label_read_with_it() {
        // A label cell (four characters) and a value cell of one character, one line each.
        let mut clean = GrayImage::from_pixel(400, 60, image::Luma([255]));
        draw_filled_rect_mut(&mut clean, Rect::at(20, 15).of_size(120, 30), image::Luma([0]));
        draw_filled_rect_mut(&mut clean, Rect::at(260, 15).of_size(30, 30), image::Luma([0]));
        let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let p = Prepared { grid: Grid::default(), clean, ink };
        let (label, value) = (Cell { x0: 0, y0: 0, x1: 200, y1: 60, band: 0, bands: 1 }, Cell { x0: 200, y0: 0, x1: 400, y1: 60, band: 0, bands: 1 });
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let after = |r: &mut CellReader, says: &'static str| r.read_after_label(&mut Keeps(Vec::new(), says), &label, "技术等级：", &value).unwrap().map(|t| t.text);
        assert_eq!(after(&mut reader, "技术等级 无").as_deref(), Some("无"));
        assert_eq!(after(&mut reader, "技术等级：无").as_deref(), Some("无"));
        assert_eq!(after(&mut reader, "无").as_deref(), None, "the label not read: nothing to cut at");
    }

    /// An engine that keeps the rectangles it is asked to read.
    struct Asked(Vec<[u32; 4]>);
    impl OcrEngine for Asked {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, rect: [u32; 4], _: Region) -> Result<OcrText, OcrError> {
            self.0.push(rect);
            Ok(OcrText { text: "所在单位".into(), confidence: 0.9 })
        }
    }

    #[test]
    fn a_wrapped_cell_is_read_side_by_side_once_and_a_one_line_cell_not_so() {
        // Two lines of print 25 px high in a narrow cell, on paper.
        let mut clean = GrayImage::from_pixel(200, 120, image::Luma([255]));
        draw_filled_rect_mut(&mut clean, Rect::at(20, 20).of_size(150, 25), image::Luma([0]));
        draw_filled_rect_mut(&mut clean, Rect::at(20, 70).of_size(30, 25), image::Luma([0]));
        let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let p = Prepared { grid: Grid::default(), clean, ink };
        let cell = Cell { x0: 0, y0: 0, x1: 200, y1: 120, band: 0, bands: 1 };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let mut engine = Asked(Vec::new());
        assert!(reader.read_wrapped(&mut engine, &cell).unwrap().is_some());
        assert_eq!(engine.0.len(), 1, "one line of both lines' ink");
        // Asked again for the value, the cell is not read again.
        assert!(reader.read_unwrapped(&mut engine, &cell, Lines::Text).unwrap().is_some());
        assert_eq!(engine.0.len(), 1);
        // Digits are another read.
        assert!(reader.read_unwrapped(&mut engine, &cell, Lines::Digits).unwrap().is_some());
        assert_eq!(engine.0.len(), 2);
        let one = Cell { x0: 0, y0: 0, x1: 200, y1: 60, band: 0, bands: 1 };
        assert!(reader.read_wrapped(&mut engine, &one).unwrap().is_none());
        assert_eq!(engine.0.len(), 2);
    }

    #[test]
    fn a_labels_head_is_its_lines_start_no_wider_than_the_characters_asked() {
        // A label wrapped over two lines of print 25 px high: twelve characters' width on the
        // first, four on the second.
        let mut ink = GrayImage::new(500, 120);
        draw_filled_rect_mut(&mut ink, Rect::at(30, 20).of_size(360, 25), image::Luma([255]));
        draw_filled_rect_mut(&mut ink, Rect::at(30, 70).of_size(120, 25), image::Luma([255]));
        let p = prepared(ink);
        let cell = Cell { x0: 0, y0: 0, x1: 500, y1: 120, band: 0, bands: 1 };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let mut engine = Asked(Vec::new());
        reader.read_head(&mut engine, &cell, Portion::Whole, 0, 8).unwrap().expect("a first line");
        reader.read_head(&mut engine, &cell, Portion::Whole, 1, 8).unwrap().expect("a second line");
        assert!(reader.read_head(&mut engine, &cell, Portion::Whole, 2, 8).unwrap().is_none());
        let [first, second] = [engine.0[0], engine.0[1]];
        // The first line's rows only, from its first ink, eight characters of 30 px (a fifth
        // more than the ink's height) wide.
        assert!(first[1] <= 20 && first[1] + first[3] >= 45 && first[1] + first[3] < 70, "{first:?}");
        assert!(first[0] < 30 && first[0] + 10 >= 30, "{first:?}");
        assert_eq!(first[0] + first[2], 30 + 8 * 30, "{first:?}");
        // The second line is narrower than the cap: cut to its ink, with a margin.
        assert!(second[1] > 45 && second[0] + second[2] > 150 && second[0] + second[2] < 170, "{second:?}");
    }
}
