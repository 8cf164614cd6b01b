//! The blanks of a date line whose printed words were found by their print: the written
//! digits before each word read by the digits' engine, the words' own ink made paper first.

use image::GrayImage;

use crate::error::OcrError;
use crate::ocr::{OcrEngine, OcrWord};

use super::super::boxes::framed_piece;
use super::super::cells::DARK_INK;
use super::{find_alone, ink_box, DateFound, DatePrint, DATE_WORDS};

impl DatePrint {
    /// The date line's words where they were found by their print, with the digits written
    /// in the blanks before them read by the digits' engine (see `read_placed`). None when
    /// the engine has no digits' model or the band holds no room for the line (the line is
    /// then read by OCR).
    pub fn read_blanks(&self, ocr: &mut dyn OcrEngine, clean: &GrayImage, found: &DateFound, band: [u32; 4], dpi: f32) -> Result<Option<Vec<OcrWord>>, OcrError> {
        let placed: Vec<Placed> = (0..3).map(|k| Placed { word: k, rect: found.words[k], likeness: found.likeness[k] }).collect();
        self.read_placed(ocr, clean, &placed, band, dpi)
    }

    /// 年 alone found by its print in `band`, at least `min_likeness` like it: for the page
    /// whose 月 and 日 were never read alone (digits written against them in every box), so
    /// that the year's blank is still read by the digits' engine, not the line by chi_sim.
    /// None when 年's print is not known, or its place is not clear: not found, or found
    /// twice (a line holds one 年).
    pub fn find_year(&self, clean: &GrayImage, band: [u32; 4], min_likeness: f32) -> Option<Placed> {
        let (rect, likeness) = find_alone(self.glyphs[0].as_ref()?, clean, band, min_likeness)?;
        Some(Placed { word: 0, rect, likeness })
    }

    /// The words `placed` (in order, left to right) with the digits written in the blanks
    /// before them read by the digits' engine. The words' own ink is made paper first (digits
    /// are often written against them, a 4 leaning into 年's box), and each blank between two
    /// words in a row runs from the middle of one to the middle of the next; the year's is
    /// the run of ink left of 年's middle (begun within two ems of it, stopped by an em of
    /// paper, so that 公章 printed further left stays out). A blank without ink is not read.
    pub fn read_placed(&self, ocr: &mut dyn OcrEngine, clean: &GrayImage, placed: &[Placed], band: [u32; 4], dpi: f32) -> Result<Option<Vec<OcrWord>>, OcrError> {
        let em = placed.iter().map(|p| p.rect[3]).max().unwrap_or(0).max(1);
        let mut mids: Vec<u32> = placed.iter().map(|p| p.rect[1] + p.rect[3] / 2).collect();
        mids.sort_unstable();
        let Some(&mid) = mids.get(mids.len() / 2) else { return Ok(None) };
        // Handwritten digits stand up to half as tall again as the print, about its middle.
        let top = mid.saturating_sub(em).max(band[1]);
        let bottom = (mid + em).min(band[1] + band[3]).min(clean.height());
        let (x0, x1) = (band[0], (band[0] + band[2]).min(clean.width()));
        if bottom <= top || x1 <= x0 {
            return Ok(None);
        }
        let mut line = image::imageops::crop_imm(clean, x0, top, x1 - x0, bottom - top).to_image();
        for p in placed {
            let Some(g) = self.glyphs.get(p.word).and_then(Option::as_ref) else { continue };
            for (mx, my, px) in g.mask.enumerate_pixels() {
                let (lx, ly) = ((p.rect[0] + mx).checked_sub(x0), (p.rect[1] + my).checked_sub(top));
                if let (true, Some(lx), Some(ly)) = (px[0] > 0, lx, ly) {
                    if lx < line.width() && ly < line.height() {
                        line.put_pixel(lx, ly, image::Luma([255]));
                    }
                }
            }
        }
        let (lw, lh) = line.dimensions();
        let mid_x = |r: [u32; 4]| (r[0] + r[2] / 2).saturating_sub(x0).min(lw);
        let inked = |xx: u32| (0..lh).any(|yy| line.get_pixel(xx, yy)[0] < DARK_INK);
        let year_before = |wy: [u32; 4]| {
            let (mut first, mut last, mut gap) = (None, None, 0);
            for xx in (0..mid_x(wy)).rev() {
                if inked(xx) {
                    first = Some(xx);
                    last = last.or(Some(xx));
                    gap = 0;
                } else {
                    gap += 1;
                    if gap > if last.is_some() { em } else { 2 * em } {
                        break;
                    }
                }
            }
            first.zip(last).map(|(a, b)| [a, 0, b + 1 - a, lh])
        };
        let between = |a: [u32; 4], b: [u32; 4]| (mid_x(b) > mid_x(a)).then(|| [mid_x(a), 0, mid_x(b) - mid_x(a), lh]);
        let mut words = Vec::new();
        for (i, p) in placed.iter().enumerate() {
            let blank = match i.checked_sub(1).map(|j| &placed[j]) {
                None if p.word == 0 => year_before(p.rect),
                Some(prev) if prev.word + 1 == p.word => between(prev.rect, p.rect),
                _ => None,
            };
            // Specks are not digits: ink a third of the print's height at least.
            if let Some((b, ink)) = blank.and_then(|b| Some((b, ink_box(&line, b, DARK_INK)?))).filter(|(_, i)| i[3] * 3 >= em) {
                // The piece reaches a third of an em beyond the dark ink, within the blank:
                // a digit's paler strokes (over a seal's remnant) are not dark, and cut off
                // they make a 4 a 1.
                let (a, z) = (ink[0].saturating_sub(em / 3).max(b[0]), (ink[0] + ink[2] + em / 3).min(b[0] + b[2]));
                let (t, u) = (ink[1].saturating_sub(em / 4), (ink[1] + ink[3] + em / 4).min(lh));
                let ink = [a, t, z - a, u - t];
                let piece = framed_piece(&line, ink, ink[3] / 2 + 4, None);
                let Some(read) = ocr.read_digits(&piece, dpi.round() as u32, DIGITS)? else { return Ok(None) };
                let digits: String = read.text.chars().filter(char::is_ascii_digit).collect();
                if !digits.is_empty() {
                    words.push(OcrWord { text: digits, bbox: [ink[0] + x0, ink[1] + top, ink[2], ink[3]], confidence: read.confidence });
                }
            }
            words.push(OcrWord { text: DATE_WORDS[p.word].to_string(), bbox: p.rect, confidence: p.likeness });
        }
        Ok(Some(words))
    }
}

/// A date line's printed word placed by its print: which of 年 月 日 (0–2), its box on the
/// page, and its likeness.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::layout::scan_form) struct Placed {
    pub word: usize,
    pub rect: [u32; 4],
    pub likeness: f32,
}

/// What the digits' engine may read in a date's blank.
pub(super) const DIGITS: &str = "0123456789";
