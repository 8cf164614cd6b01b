//! The printed 年, 月 and 日 of the approval boxes' date lines are alike in every box of a page,
//! as the signer's label is (see `label_print`). Once OCR has read each of them alone in one
//! box, the others' date lines need no chi_sim read: the three words are found by their print,
//! and only the blanks before them, which hold the written digits, are read, by the digits'
//! engine (Latin, a third of chi_sim's cost per character, and sure of digits that chi_sim
//! reads as 4 or 口). Where the three are not all found alike enough (digits written over
//! them, another font in the box) the line is read by chi_sim as before; a word whose ink runs
//! into the digits is cut from them and learnt when OCR reads the piece as the word; and on a
//! page whose 日 (or 月 and 日) is never learnt, 年 and 月 (or 年 alone) are found and their
//! blanks read. The
//! printed 公章 above the date is learnt and found the same way, so that it is kept as print.

use image::GrayImage;

use crate::layout::labels::squeeze;
use crate::ocr::OcrWord;
use crate::ocr::{OcrEngine, Region};
use crate::error::OcrError;

use super::boxes::framed_piece;
use super::cells::{ink_bands, read_on, DARK_INK};
use super::label_print::{halved_ink, HALF};
use super::mm_px;

mod blanks;

pub(super) use blanks::Placed;

/// The printed words of a date line, in the order written.
pub(super) const DATE_WORDS: [char; 3] = ['年', '月', '日'];

/// One printed word's ink, bright on black and halved (as the label's print).
#[derive(Debug, Clone)]
struct GlyphPrint {
    ink: GrayImage,
    /// Its dark ink at the page's resolution, grown by `ERASE_GROWTH`: made paper where the
    /// word is found, so that digits written against it are cut out without it.
    mask: GrayImage,
    /// Its size on the page (px).
    w: u32,
    h: u32,
}

/// The date line's three printed words as printed on a page, each learnt where OCR read it
/// alone and sure.
#[derive(Debug, Clone, Default)]
pub(super) struct DatePrint {
    glyphs: [Option<GlyphPrint>; 3],
    /// The printed 公章 that stands in some boxes just above the date, inside its band: where
    /// the date line is not read by OCR, it is found by its print, or it counts as writing.
    seal_word: Option<GlyphPrint>,
}

/// The three words found on a date line: their boxes on the page, and each one's likeness.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DateFound {
    pub words: [[u32; 4]; 3],
    pub likeness: [f32; 3],
}

/// Paper round a word's ink kept in its print (page pixels).
const MARGIN: u32 = 2;
/// Pixels the printed words' ink is grown by before it is erased: the words are placed at
/// half resolution (a pixel off at most), and anti-aliasing greys their edges.
const ERASE_GROWTH: u8 = 2;
/// The best places of each word kept for the search of the three in order.
const CANDIDATES: usize = 4;

/// Which words' prints a read teaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Learning {
    /// Only those not known yet.
    NewOnly,
    /// Each read alone here, in place of its print known before.
    Renew,
}

impl DatePrint {
    /// The words whose prints are known, for the debug listing (年月 when 日 is not).
    pub fn known(&self) -> String {
        DATE_WORDS.iter().zip(&self.glyphs).filter(|(_, g)| g.is_some()).map(|(c, _)| *c).collect()
    }

    /// Whether the prints of the words `which` (0–2: 年 月 日) are known.
    pub fn knows(&self, which: &[usize]) -> bool {
        which.iter().all(|&k| self.glyphs.get(k).is_some_and(Option::is_some))
    }

    /// Whether the three words' prints are known.
    pub fn knows_all(&self) -> bool {
        self.knows(&[0, 1, 2])
    }

    /// Learns, from `words` OCR read, each printed word not yet known: one read alone (a word
    /// of that character only), about an em square (2–6 mm, neither side half as
    /// long again as the other: OCR often gives a handwritten digit's ink to the word beside
    /// it), its print cut to its own ink.
    pub fn learn(&mut self, clean: &GrayImage, words: &[OcrWord], dpi: f32, learning: Learning) -> [bool; 3] {
        let mut learnt = [false; 3];
        let (lo, hi) = (mm_px(dpi, 2.0), mm_px(dpi, 6.0));
        for (k, ch) in DATE_WORDS.iter().enumerate() {
            if self.glyphs[k].is_some() && learning == Learning::NewOnly {
                continue;
            }
            // Not by its confidence: Tesseract gives 月 read alone on a date line 0 however
            // clear it is. A print learnt wrong is found nowhere, and the lines are read.
            let alone = words.iter().filter(|w| squeeze(&w.text).chars().eq([*ch]));
            // Its columns inked by the print's ink first; failing that (a serif font's
            // hairlines paler than that at 200 dpi split 月 into its uprights), by paler ink.
            let fits = |[_, _, bw, bh]: &[u32; 4]| {
                let square = bw * 2 <= bh * 3 && bh * 2 <= bw * 3;
                (lo..=hi).contains(bw) && (lo..=hi).contains(bh) && square
            };
            for w in alone {
                let Some(ink) = [PRINT_INK, RUN_INK].into_iter().filter_map(|ink| own_ink(clean, w.bbox, ink)).find(fits) else { continue };
                self.glyphs[k] = Some(glyph_at(clean, ink));
                learnt[k] = true;
                break;
            }
        }
        learnt
    }

    /// The words whose prints are not known yet.
    pub fn unknown(&self) -> [bool; 3] {
        self.glyphs.each_ref().map(Option::is_none)
    }

    /// Learns what `learn` could not, from a word read alone whose ink runs into writing:
    /// people write the digits up against the printed words, and on some pages in every box.
    /// Each end of the run is cut where its columns hold least ink, a character's width
    /// (0.6–1.1 em, `em` the print's size) from the end, then a character's width about OCR's
    /// box for the word, and the piece kept when it is about an em square and OCR, reading it
    /// alone as a character, reads the word: a cut that keeps a digit or loses a stroke reads
    /// otherwise. Only the words `wanted` (0–2: 年 月 日) are learnt so, known or not. A few
    /// small reads, on the pages whose date lines would otherwise each be read whole by
    /// chi_sim.
    pub fn learn_cut(&mut self, ocr: &mut dyn OcrEngine, clean: &GrayImage, words: &[OcrWord], dpi: f32, em: u32, wanted: [bool; 3]) -> Result<(), OcrError> {
        let (lo, hi) = (mm_px(dpi, 2.0), mm_px(dpi, 6.0));
        // The print's size as measured, unless handwriting read as words inflated it.
        let em = em.clamp(lo, mm_px(dpi, 4.5));
        for (k, ch) in DATE_WORDS.iter().enumerate() {
            if !wanted[k] {
                continue;
            }
            let mut cut = false;
            for w in words.iter().filter(|w| squeeze(&w.text).chars().eq([*ch])) {
                let Some((a, b)) = own_run(clean, w.bbox, PRINT_INK) else { continue };
                if b - a <= em * 3 / 2 {
                    continue;
                }
                let (y, y1) = (w.bbox[1], (w.bbox[1] + w.bbox[3]).min(clean.height()));
                // Each column's ink counted once: the three cuts below weigh the same columns
                // many times over.
                let counts: Vec<usize> = (a..b).map(|xx| (y..y1).filter(|&yy| clean.get_pixel(xx, yy)[0] < PRINT_INK).count()).collect();
                let column = |xx: u32| counts.get((xx - a) as usize).copied().unwrap_or(0);
                let widths = em * 3 / 5..=em * 11 / 10;
                // The word's end, then its start: the digits before a word touch it more often.
                let right = widths.clone().map(|cw| b - cw).min_by_key(|&c| column(c)).map(|c| (c + 1, b));
                let left = widths.clone().map(|cw| a + cw).min_by_key(|&c| column(c)).map(|c| (a, c));
                // About OCR's box, widened by half an em: digits written against the word on
                // both sides (2023年4月) make a run of several characters whose ends are
                // digits, while OCR's box holds the word, give or take a part of a neighbour.
                let (i0, i1) = (w.bbox[0].saturating_sub(em / 2).max(a), (w.bbox[0] + w.bbox[2] + em / 2).min(b));
                let inside = (i0..i1)
                    .flat_map(|c0| widths.clone().map(move |cw| (c0, c0 + cw)))
                    .filter(|&(_, c1)| c1 < i1)
                    .min_by_key(|&(c0, c1)| column(c0) + column(c1))
                    .map(|(c0, c1)| (c0 + 1, c1));
                for (c0, c1) in [right, left, inside].into_iter().flatten() {
                    let Some([x, gy, gw, gh]) = ink_box(clean, [c0, y, c1 - c0, y1 - y], DARK_INK) else { continue };
                    let square = gw * 2 <= gh * 3 && gh * 2 <= gw * 3;
                    if !((lo..=hi).contains(&gw) && (lo..=hi).contains(&gh) && square) {
                        continue;
                    }
                    // Framed alone on paper: a rectangle of the page would hold the strokes
                    // of the neighbours that touch it (a 4 leaning into 年 read it 生).
                    let piece = framed_piece(clean, [c0, gy, c1 - c0, gh], gh / 2 + MARGIN, None);
                    let read = read_on(ocr, &piece, clean, dpi, |ocr, all| ocr.read(all, Region::Char))?;
                    // A speck beside it read as a mark (年: or 年') does not make it another word.
                    if read.text.chars().filter(|c| c.is_alphanumeric()).eq([*ch]) {
                        self.glyphs[k] = Some(glyph_at(clean, [x, gy, gw, gh]));
                        cut = true;
                        break;
                    }
                }
                if cut {
                    break;
                }
            }
        }
        Ok(())
    }

    /// Learns the printed 公章 from a date line's read, once: the run of ink OCR's word
    /// overlaps most (its characters a third of an em apart at most), one and a half to five
    /// times as wide as it is high.
    pub fn learn_seal_word(&mut self, clean: &GrayImage, words: &[OcrWord], dpi: f32) {
        if self.seal_word.is_some() {
            return;
        }
        let (lo, hi) = (mm_px(dpi, 2.0), mm_px(dpi, 6.0));
        for w in words.iter().filter(|w| crate::layout::approval::is_seal_word(w)) {
            let [_, y, _, bh] = w.bbox;
            let y1 = (y + bh).min(clean.height());
            let Some(run) = ink_run(clean, w.bbox, PRINT_INK, bh, (bh / 3).max(1)) else { continue };
            let Some(ink @ [_, _, iw, ih]) = ink_box(clean, [run.0, y, run.1 - run.0, y1 - y], DARK_INK) else { continue };
            if (lo..=hi).contains(&ih) && iw * 2 >= ih * 3 && iw <= ih * 5 {
                self.seal_word = Some(glyph_at(clean, ink));
                return;
            }
        }
    }

    /// The printed 公章 found in `band` by its print, where it is alone at least `min_likeness`
    /// like it.
    pub fn find_seal_word(&self, clean: &GrayImage, band: [u32; 4], min_likeness: f32) -> Option<[u32; 4]> {
        find_alone(self.seal_word.as_ref()?, clean, band, min_likeness).map(|(r, _)| r)
    }

    /// Looks for 年, 月 and 日 in `band` (a date line with room above and below), in that
    /// order from left to right on one line, each at least `min_likeness` like its print.
    /// None when a word is not known yet, the band is smaller than a word, or no three places
    /// are in order and alike enough.
    pub fn find(&self, clean: &GrayImage, band: [u32; 4], min_likeness: f32) -> Option<DateFound> {
        let [a, b, c] = self.find_words(clean, band, &[0, 1, 2], min_likeness)?[..] else { return None };
        Some(DateFound { words: [a.rect, b.rect, c.rect], likeness: [a.likeness, b.likeness, c.likeness] })
    }

    /// `find` for some of the words only (`which`, in the line's order: 年 and 月 on a page
    /// whose 日 is never read alone).
    pub fn find_words(&self, clean: &GrayImage, [x, y, w, h]: [u32; 4], which: &[usize], min_likeness: f32) -> Option<Vec<Placed>> {
        let glyphs: Vec<&GlyphPrint> = which.iter().map(|&k| self.glyphs.get(k)?.as_ref()).collect::<Option<_>>()?;
        let (x1, y1) = ((x + w).min(clean.width()), (y + h).min(clean.height()));
        if x1 <= x || y1 <= y || glyphs.is_empty() {
            return None;
        }
        let area = halved_ink(clean, [x, y, x1 - x, y1 - y]);
        let mut places: Vec<Vec<Placed>> = Vec::new();
        for (&k, g) in which.iter().zip(&glyphs) {
            if area.width() < g.ink.width() || area.height() < g.ink.height() {
                return None;
            }
            let scores = crate::preprocess::match_template_ncc(&area, &g.ink);
            let at = |p: (u32, u32, f32)| Placed { word: k, rect: [x + p.0 * HALF, y + p.1 * HALF, g.w, g.h], likeness: p.2 };
            places.push(best_places(&scores, g.ink.width(), min_likeness).into_iter().map(at).collect());
        }
        // The words in order, on one line (their middles within half a word's height), each
        // clear of the one before, the best sum of likeness.
        let mid = |r: [u32; 4]| r[1] + r[3] / 2;
        let tol = glyphs.iter().map(|g| g.h).max().unwrap_or(0) / 2;
        let mut best: Option<(f32, Vec<Placed>)> = None;
        let mut pick = vec![0usize; places.len()];
        loop {
            let chosen: Vec<Placed> = pick.iter().zip(&places).filter_map(|(&i, p)| p.get(i).copied()).collect();
            if chosen.len() == places.len() {
                let in_order = chosen.windows(2).all(|p| p[0].rect[0] + p[0].rect[2] <= p[1].rect[0]);
                let level = chosen.windows(2).all(|p| mid(p[0].rect).abs_diff(mid(p[1].rect)) <= tol);
                let sum: f32 = chosen.iter().map(|p| p.likeness).sum();
                if in_order && level && best.as_ref().is_none_or(|(s, _)| *s < sum) {
                    best = Some((sum, chosen));
                }
            }
            // The next combination of candidates, the last word's first.
            let Some(i) = (0..pick.len()).rev().find(|&i| pick[i] + 1 < places[i].len()) else { break };
            pick[i] += 1;
            pick[i + 1..].iter_mut().for_each(|p| *p = 0);
        }
        best.map(|(_, chosen)| chosen)
    }
}

/// The one place in `[x, y, w, h]` where `g` is at least `min_likeness` like its print, and its
/// likeness. None when there is none or more than one.
fn find_alone(g: &GlyphPrint, clean: &GrayImage, [x, y, w, h]: [u32; 4], min_likeness: f32) -> Option<([u32; 4], f32)> {
    let (x1, y1) = ((x + w).min(clean.width()), (y + h).min(clean.height()));
    if x1 <= x || y1 <= y {
        return None;
    }
    let area = halved_ink(clean, [x, y, x1 - x, y1 - y]);
    if area.width() < g.ink.width() || area.height() < g.ink.height() {
        return None;
    }
    let scores = crate::preprocess::match_template_ncc(&area, &g.ink);
    let [best] = best_places(&scores, g.ink.width(), min_likeness)[..] else { return None };
    Some(([x + best.0 * HALF, y + best.1 * HALF, g.w, g.h], best.2))
}

/// A word's print learnt from its ink boxed at `[x, y, w, h]`, with a margin of paper.
fn glyph_at(clean: &GrayImage, [x, y, bw, bh]: [u32; 4]) -> GlyphPrint {
    let (x0, y0) = (x.saturating_sub(MARGIN), y.saturating_sub(MARGIN));
    let (x1, y1) = ((x + bw + MARGIN).min(clean.width()), (y + bh + MARGIN).min(clean.height()));
    let (w, h) = (x1 - x0, y1 - y0);
    let dark = GrayImage::from_fn(w, h, |mx, my| image::Luma([if clean.get_pixel(x0 + mx, y0 + my)[0] < PRINT_INK { 255 } else { 0 }]));
    let mask = imageproc::morphology::dilate(&dark, imageproc::distance_transform::Norm::LInf, ERASE_GROWTH);
    GlyphPrint { ink: halved_ink(clean, [x0, y0, w, h]), mask, w, h }
}

/// The few best places of a word's score map at or above `min`, each the best of the columns
/// a word's width round it (the others there are the same match a pixel off).
fn best_places(scores: &image::ImageBuffer<image::Luma<f32>, Vec<f32>>, word_w: u32, min: f32) -> Vec<(u32, u32, f32)> {
    // Each column's best row first: the line is one row of print.
    let mut cols: Vec<(u32, u32, f32)> = (0..scores.width())
        .filter_map(|cx| (0..scores.height()).map(|cy| (cx, cy, scores.get_pixel(cx, cy)[0])).max_by(|a, b| a.2.total_cmp(&b.2)))
        .filter(|p| p.2 >= min)
        .collect();
    cols.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut kept: Vec<(u32, u32, f32)> = Vec::new();
    for p in cols {
        if kept.len() == CANDIDATES {
            break;
        }
        if kept.iter().all(|k| k.0.abs_diff(p.0) >= word_w) {
            kept.push(p);
        }
    }
    kept
}

/// The ink of the character OCR boxed at `rect`: Tesseract's boxes for Chinese words stand a
/// little off their ink (half a character right, and the line's height), so the ink is cut
/// into runs of inked columns across the box's rows, a box's width either side of it, and the
/// run overlapping the box most is the character's. A digit written against it joins its run,
/// which is then too wide to pass for the character. Columns count as inked by the print's
/// paler strokes too (`column_ink`, `PRINT_INK` or paler): at 200 dpi the thin horizontal
/// strokes of 年 come out mid-grey, and by its dark strokes alone 年 fell apart into runs, the
/// widest its upright.
/// The character is then boxed by its dark ink, as its print is matched and erased (a box
/// grown by a seal's pale remnant beside it moved the word's middle, and the blank after it
/// lost its digit).
fn own_ink(clean: &GrayImage, word: [u32; 4], column_ink: u8) -> Option<[u32; 4]> {
    let (a, b) = own_run(clean, word, column_ink)?;
    let y1 = (word[1] + word[3]).min(clean.height());
    ink_box(clean, [a, word[1], b - a, y1 - word[1]], DARK_INK)
}

/// The run of inked columns (`own_ink`) OCR's box for a character overlaps most, searched a
/// box's width either side of it, split at every blank column.
fn own_run(clean: &GrayImage, word: [u32; 4], column_ink: u8) -> Option<(u32, u32)> {
    ink_run(clean, word, column_ink, word[2], 0)
}

/// The run of columns inked darker than `column_ink` across the rows of OCR's box `[x, y, w,
/// h]` that overlaps the box most: runs are looked for `reach` pixels either side of the box
/// and split at `min_gap` blank columns.
fn ink_run(clean: &GrayImage, [x, y, w, h]: [u32; 4], column_ink: u8, reach: u32, min_gap: u32) -> Option<(u32, u32)> {
    let (x0, x1) = (x.saturating_sub(reach), (x + w + reach).min(clean.width()));
    let y1 = (y + h).min(clean.height());
    let inked = |xx: u32| (y..y1).any(|yy| clean.get_pixel(xx, yy)[0] < column_ink);
    let runs = ink_bands(inked, x0..x1, min_gap);
    let overlap = |r: &(u32, u32)| r.1.min(x + w).saturating_sub(r.0.max(x));
    runs.into_iter().filter(|r| overlap(r) > 0).max_by_key(overlap)
}

/// Grey at least this dark is the print's ink, thin strokes included (`DARK_INK` is only its
/// solid strokes).
const PRINT_INK: u8 = 170;

/// Grey at least this dark inks a column of a character where `PRINT_INK` splits it: a serif
/// font's hairlines at 200 dpi measure 160–195 (月 and 日 fell apart into their two uprights,
/// too narrow to be learnt, and every date line of such a page was read by chi_sim), paper
/// between characters 225 and more. Not first: a digit's pale edge then joins the character
/// it is written against.
const RUN_INK: u8 = 205;

/// The tight box of the ink darker than `ink` inside `rect`, if any.
fn ink_box(clean: &GrayImage, [x, y, w, h]: [u32; 4], ink: u8) -> Option<[u32; 4]> {
    let (x1, y1) = ((x + w).min(clean.width()), (y + h).min(clean.height()));
    let (mut a, mut b, mut c, mut d) = (u32::MAX, u32::MAX, 0, 0);
    for yy in y..y1 {
        for xx in x..x1 {
            if clean.get_pixel(xx, yy)[0] < ink {
                (a, b, c, d) = (a.min(xx), b.min(yy), c.max(xx + 1), d.max(yy + 1));
            }
        }
    }
    (c > a && d > b).then(|| [a, b, c - a, d - b])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::OcrText;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    /// A "character" of print 26 px square at `x, y`, its strokes a pattern of its own (`k`).
    fn glyph(page: &mut GrayImage, x: i32, y: i32, k: i32) {
        draw_filled_rect_mut(page, Rect::at(x, y + (k * 9) % 20).of_size(26, 4), image::Luma([20]));
        draw_filled_rect_mut(page, Rect::at(x + (k * 7) % 20, y).of_size(4, 26), image::Luma([20]));
        draw_filled_rect_mut(page, Rect::at(x + 2, y + 22 - k * 4).of_size(10 + k as u32 * 4, 4), image::Luma([20]));
        draw_filled_rect_mut(page, Rect::at(x + 22 - k * 3, y + 4).of_size(4, 18), image::Luma([20]));
    }

    /// A date line: a "digit" block before each word (none where `blank`), then the word.
    fn date_line(page: &mut GrayImage, x: i32, y: i32, blank: [bool; 3]) -> [[u32; 4]; 3] {
        let mut at = x;
        let mut words = [[0; 4]; 3];
        for k in 0..3 {
            if !blank[k] {
                draw_filled_rect_mut(page, Rect::at(at + 10, y - 2).of_size(14, 30), image::Luma([30]));
            }
            at += 40;
            glyph(page, at, y, k as i32);
            // OCR's box for the word: a little right of its ink and the line's height.
            words[k] = [at as u32 + 6, y as u32 - 8, 26, 42];
            at += 40;
        }
        words
    }

    /// Reads every piece as the number of inked pieces read so far, with the piece's width.
    struct Counting(Vec<u32>);
    impl OcrEngine for Counting {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<OcrText, OcrError> {
            Ok(OcrText::default())
        }
        fn read_digits(&mut self, piece: &GrayImage, _: u32, chars: &str) -> Result<Option<OcrText>, OcrError> {
            assert_eq!(chars, blanks::DIGITS);
            self.0.push(piece.width());
            Ok(Some(OcrText { text: format!("{}", self.0.len() + 1), confidence: 0.9 }))
        }
    }

    /// The word OCR boxed at `word` drawn again as two dark uprights joined by hairlines of
    /// `grey` at the heights `dys`.
    fn uprights_and_hairlines(page: &mut GrayImage, word: [u32; 4], dys: [i32; 3], grey: u8) {
        let (x, y) = (word[0] as i32 - 6, word[1] as i32 + 8);
        draw_filled_rect_mut(page, Rect::at(x, y).of_size(26, 26), image::Luma([255]));
        draw_filled_rect_mut(page, Rect::at(x + 2, y).of_size(4, 26), image::Luma([20]));
        draw_filled_rect_mut(page, Rect::at(x + 20, y).of_size(4, 26), image::Luma([20]));
        for dy in dys {
            draw_filled_rect_mut(page, Rect::at(x + 6, y + dy).of_size(14, 2), image::Luma([grey]));
        }
    }

    fn ocr_words(words: [[u32; 4]; 3]) -> Vec<OcrWord> {
        DATE_WORDS.iter().zip(words).map(|(c, bbox)| OcrWord { text: c.to_string(), bbox, confidence: 0.0 }).collect()
    }

    #[test]
    fn the_words_read_in_one_date_line_are_found_in_another_and_the_blanks_read_without_them() {
        let mut page = GrayImage::from_pixel(1000, 400, image::Luma([255]));
        let first = date_line(&mut page, 100, 60, [false; 3]);
        date_line(&mut page, 333, 251, [false, true, false]);
        let mut print = DatePrint::default();
        // Tesseract gives 月 read alone no confidence: it is learnt all the same.
        print.learn(&page, &ocr_words(first), 200.0, Learning::NewOnly);
        assert!(print.glyphs.iter().all(Option::is_some));
        let band = [300, 230, 600, 80];
        let found = print.find(&page, band, 0.8).expect("the three words");
        for (k, r) in found.words.iter().enumerate() {
            // The word's ink starts 2 px (its margin) inside the print's box.
            let want = 333 + 40 + 80 * k as u32;
            assert!((r[0] + 2).abs_diff(want) <= 2 && (r[1] + 2).abs_diff(251) <= 2, "{k}: {r:?}");
        }
        // Not 1: the halving falls on the two prints at different phases (odd and even pixels).
        assert!(found.likeness.iter().all(|&l| l > 0.85), "{:?}", found.likeness);
        let mut ocr = Counting(Vec::new());
        let words = print.read_blanks(&mut ocr, &page, &found, band, 200.0).unwrap().expect("read");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        // The month's blank holds no ink and is not read.
        assert_eq!(texts, ["2", "年", "月", "3", "日"]);
        assert_eq!(ocr.0.len(), 2);
        // Each digit block is cut out alone, in the page's pixels: it ends before the word
        // after it (whose box has 2 px of paper before its ink) and starts after the one before.
        for i in [0, 3] {
            let (digits, word) = (words[i].bbox, words[i + 1].bbox);
            assert!(digits[0] + digits[2] <= word[0] + 2 && digits[2] < 14 + 26, "{:?}", words);
        }
        assert!(words[3].bbox[0] >= words[2].bbox[0] + words[2].bbox[2], "{:?}", words);
    }

    #[test]
    fn year_alone_is_found_by_its_print_and_only_its_blank_read() {
        let mut page = GrayImage::from_pixel(1000, 400, image::Luma([255]));
        let first = date_line(&mut page, 100, 60, [false; 3]);
        date_line(&mut page, 333, 251, [false; 3]);
        let mut print = DatePrint::default();
        // Only 年 learnt (digits written against 月 and 日 on this page).
        print.learn(&page, &ocr_words(first)[..1], 200.0, Learning::NewOnly);
        let band = [300, 230, 600, 80];
        assert_eq!(print.find(&page, band, 0.8), None);
        let year = print.find_year(&page, band, 0.8).expect("年");
        assert_eq!(year.word, 0);
        assert!((year.rect[0] + 2).abs_diff(333 + 40) <= 2 && (year.rect[1] + 2).abs_diff(251) <= 2, "{:?}", year.rect);
        let mut ocr = Counting(Vec::new());
        let words = print.read_placed(&mut ocr, &page, &[year], band, 200.0).unwrap().expect("read");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["2", "年"]);
        assert_eq!(ocr.0.len(), 1, "the year's blank only");
        // A second 年 as alike on the line: its place is not clear, and the line is read.
        glyph(&mut page, 800, 251, 0);
        assert_eq!(print.find_year(&page, band, 0.8), None);
        // Nothing like 年 where it is looked for.
        assert_eq!(print.find_year(&page, [50, 320, 400, 60], 0.8), None);
    }

    /// Reads `text` for a piece holding no digit, else a digit. A digit in these pages is a
    /// solid block of ink, a word's strokes 4 px thick: a piece with a dark 8 px square holds
    /// a digit. Pieces are read framed alone, so the piece is the page set last.
    struct CharAt {
        text: &'static str,
        piece: GrayImage,
        reads: Vec<[u32; 4]>,
    }
    impl CharAt {
        fn new(text: &'static str) -> CharAt {
            CharAt { text, piece: GrayImage::new(1, 1), reads: Vec::new() }
        }
    }
    impl OcrEngine for CharAt {
        fn set_page(&mut self, page: &GrayImage, _: u32) -> Result<(), OcrError> {
            self.piece = page.clone();
            Ok(())
        }
        fn read(&mut self, rect: [u32; 4], region: Region) -> Result<OcrText, OcrError> {
            assert_eq!(region, Region::Char);
            self.reads.push(rect);
            let p = &self.piece;
            let solid = |x: u32, y: u32| (x..x + 8).all(|xx| (y..y + 8).all(|yy| p.get_pixel(xx, yy)[0] < 128));
            let digit = (0..p.width().saturating_sub(8)).any(|x| (0..p.height().saturating_sub(8)).any(|y| solid(x, y)));
            Ok(OcrText { text: if digit { "4" } else { self.text }.into(), confidence: 0.9 })
        }
    }

    #[test]
    fn a_word_joined_to_the_digits_before_it_is_cut_from_them_when_ocr_reads_the_piece_as_the_word() {
        let mut page = GrayImage::from_pixel(600, 200, image::Luma([255]));
        let words = date_line(&mut page, 20, 60, [true, false, false]);
        // The year's last digit written up to 年, a pen stroke touching it: one run of ink,
        // a digit and a word wide, not square.
        let year_x = words[0][0] - 6;
        draw_filled_rect_mut(&mut page, Rect::at(year_x as i32 - 30, 60).of_size(26, 26), image::Luma([30]));
        draw_filled_rect_mut(&mut page, Rect::at(year_x as i32 - 4, 75).of_size(4, 2), image::Luma([30]));
        let mut print = DatePrint::default();
        print.learn(&page, &ocr_words(words), 200.0, Learning::NewOnly);
        assert!(print.glyphs[0].is_none());
        // OCR reading the piece as 4 (a digit kept in it): not learnt.
        let mut four = CharAt::new("4");
        print.learn_cut(&mut four, &page, &ocr_words(words), 200.0, 26, print.unknown()).unwrap();
        assert!(print.glyphs[0].is_none() && !four.reads.is_empty());
        let mut ocr = CharAt::new("年");
        print.learn_cut(&mut ocr, &page, &ocr_words(words), 200.0, 26, print.unknown()).unwrap();
        let g = print.glyphs[0].as_ref().expect("年 cut from the digit");
        assert!(g.w <= 26 + 2 * MARGIN + 2 && g.w >= 20, "{}", g.w);
        // 月 and 日 were known already and are not read again.
        assert_eq!(ocr.reads.len(), 1);
    }

    #[test]
    fn the_seal_word_read_in_one_band_is_found_in_another_and_a_word_of_another_shape_is_not_learnt() {
        let mut page = GrayImage::from_pixel(900, 400, image::Luma([255]));
        // 公章: two "characters" side by side, 26 px high, 60 wide.
        for (x, y) in [(100, 40), (500, 250)] {
            glyph(&mut page, x, y, 0);
            glyph(&mut page, x + 34, y, 2);
        }
        // A lone character read as 公章 is not the seal's two characters.
        glyph(&mut page, 100, 150, 1);
        let mut print = DatePrint::default();
        let square = OcrWord { text: "公章".into(), bbox: [100, 140, 26, 46], confidence: 0.9 };
        print.learn_seal_word(&page, std::slice::from_ref(&square), 200.0);
        assert!(print.seal_word.is_none());
        let unsure = OcrWord { text: "公章".into(), bbox: [106, 32, 60, 42], confidence: 0.3 };
        print.learn_seal_word(&page, std::slice::from_ref(&unsure), 200.0);
        assert!(print.seal_word.is_none());
        let word = OcrWord { confidence: 0.9, ..unsure };
        print.learn_seal_word(&page, &[word], 200.0);
        assert!(print.seal_word.is_some());
        let found = print.find_seal_word(&page, [400, 220, 400, 90], 0.8).expect("found");
        assert!((found[0] + 2).abs_diff(500) <= 2 && (found[1] + 2).abs_diff(250) <= 2, "{found:?}");
        assert_eq!(print.find_seal_word(&page, [400, 320, 400, 60], 0.8), None);
    }

    #[test]
    fn words_out_of_order_or_unlike_the_print_are_not_found() {
        let mut page = GrayImage::from_pixel(1000, 400, image::Luma([255]));
        let first = date_line(&mut page, 100, 60, [false; 3]);
        let mut print = DatePrint::default();
        // Nothing is found before all three are learnt.
        print.learn(&page, &ocr_words(first)[..2], 200.0, Learning::NewOnly);
        assert_eq!(print.find(&page, [50, 40, 400, 80], 0.8), None);
        print.learn(&page, &ocr_words(first), 200.0, Learning::NewOnly);
        // 日 月 年 from left to right.
        for (k, x) in [(2, 400), (1, 480), (0, 560)] {
            glyph(&mut page, x, 251, k);
        }
        assert_eq!(print.find(&page, [380, 230, 300, 80], 0.8), None);
        // Blocks of ink where the words should be.
        for x in [400, 480, 560] {
            draw_filled_rect_mut(&mut page, Rect::at(x, 331).of_size(26, 26), image::Luma([20]));
        }
        assert_eq!(print.find(&page, [380, 320, 300, 50], 0.8), None);
    }

    #[test]
    fn a_word_read_with_a_digit_written_against_it_is_not_learnt() {
        let mut page = GrayImage::from_pixel(600, 200, image::Luma([255]));
        let words = date_line(&mut page, 20, 60, [false; 3]);
        // A digit joined to 年's ink makes its run of columns too wide for a character.
        draw_filled_rect_mut(&mut page, Rect::at(26, 58).of_size(40, 30), image::Luma([30]));
        let mut print = DatePrint::default();
        print.learn(&page, &ocr_words(words), 200.0, Learning::NewOnly);
        assert!(print.glyphs[0].is_none());
        assert!(print.glyphs[1].is_some() && print.glyphs[2].is_some());
    }

    #[test]
    fn a_word_whose_thin_strokes_are_grey_is_learnt_whole_and_a_print_not_found_is_learnt_again() {
        let mut page = GrayImage::from_pixel(800, 300, image::Luma([255]));
        let words = date_line(&mut page, 20, 60, [false; 3]);
        // 年 drawn again as two dark uprights joined by grey strokes only (a scan's thin
        // horizontals): by its dark ink alone it falls apart into two narrow runs.
        uprights_and_hairlines(&mut page, words[0], [4, 12, 20], 150);
        let mut print = DatePrint::default();
        print.learn(&page, &ocr_words(words), 200.0, Learning::NewOnly);
        let g = print.glyphs[0].as_ref().expect("年 learnt");
        assert!(g.w >= 26, "whole, not one upright: {}", g.w);
        // Another line's words: what is known stays unless it is to be learnt again.
        let other = date_line(&mut page, 20, 200, [false; 3]);
        let before = print.glyphs[1].as_ref().map(|g| g.ink.clone());
        let mut moved = ocr_words(other);
        moved[1].bbox[0] += 80;
        print.learn(&page, &moved, 200.0, Learning::NewOnly);
        assert_eq!(print.glyphs[1].as_ref().map(|g| g.ink.clone()), before);
        print.learn(&page, &moved, 200.0, Learning::Renew);
        assert_ne!(print.glyphs[1].as_ref().map(|g| g.ink.clone()), before, "月 learnt again where it was read");
    }

    #[test]
    fn hairlines_paler_than_the_print_hold_a_character_together_but_a_pale_bridge_to_a_digit_does_not() {
        let mut page = GrayImage::from_pixel(800, 300, image::Luma([255]));
        let words = date_line(&mut page, 20, 60, [false; 3]);
        // 月 as a serif font prints it at 200 dpi: two dark uprights, hairlines at 190.
        uprights_and_hairlines(&mut page, words[1], [0, 10, 18], 190);
        // A digit written just left of 日, joined to it only by the pen's pale edge.
        let [dx, dy, ..] = words[2];
        draw_filled_rect_mut(&mut page, Rect::at(dx as i32 - 24, dy as i32 + 10).of_size(12, 26), image::Luma([30]));
        draw_filled_rect_mut(&mut page, Rect::at(dx as i32 - 12, dy as i32 + 20).of_size(6, 2), image::Luma([190]));
        let mut print = DatePrint::default();
        print.learn(&page, &ocr_words(words), 200.0, Learning::NewOnly);
        let g = print.glyphs[1].as_ref().expect("月 learnt");
        assert!(g.w >= 26, "whole, not one upright: {}", g.w);
        let g = print.glyphs[2].as_ref().expect("日 learnt by its dark ink");
        assert!(g.w <= 26 + 2 * MARGIN, "without the digit: {}", g.w);
    }

    #[test]
    fn a_word_with_digits_written_against_both_its_sides_is_cut_from_about_ocr_s_box() {
        let mut page = GrayImage::from_pixel(600, 200, image::Luma([255]));
        let words = date_line(&mut page, 20, 60, [true, false, false]);
        // The year's last digit joined to 年's left, the month's first to its right: one
        // run of ink three characters wide whose ends are digits.
        let gx = words[0][0] as i32 - 6;
        draw_filled_rect_mut(&mut page, Rect::at(gx - 30, 60).of_size(26, 26), image::Luma([30]));
        draw_filled_rect_mut(&mut page, Rect::at(gx - 4, 75).of_size(4, 2), image::Luma([30]));
        draw_filled_rect_mut(&mut page, Rect::at(gx + 26, 75).of_size(4, 2), image::Luma([30]));
        draw_filled_rect_mut(&mut page, Rect::at(gx + 30, 60).of_size(26, 26), image::Luma([30]));
        let mut print = DatePrint::default();
        print.learn(&page, &ocr_words(words), 200.0, Learning::NewOnly);
        assert!(print.glyphs[0].is_none());
        let mut ocr = CharAt::new("年");
        print.learn_cut(&mut ocr, &page, &ocr_words(words), 200.0, 26, print.unknown()).unwrap();
        let g = print.glyphs[0].as_ref().expect("年 cut from between the digits");
        assert!(g.w <= 26 + 2 * MARGIN + 2 && g.w >= 20, "{}", g.w);
        // The print learnt is 年's own: found where 年 stands, and only there.
        let year = print.find_year(&page, [0, 40, 600, 70], 0.8).expect("年 found by the print learnt");
        assert!((year.rect[0] + 2).abs_diff(gx as u32) <= 2, "{:?} against {gx}", year.rect);
    }

    #[test]
    fn year_and_month_are_found_by_their_print_where_day_is_not_learnt_and_their_blanks_read() {
        let mut page = GrayImage::from_pixel(1000, 400, image::Luma([255]));
        let first = date_line(&mut page, 100, 60, [false; 3]);
        date_line(&mut page, 333, 251, [false; 3]);
        let mut print = DatePrint::default();
        print.learn(&page, &ocr_words(first)[..2], 200.0, Learning::NewOnly);
        assert!(print.knows(&[0, 1]) && !print.knows(&[0, 1, 2]));
        let band = [300, 230, 600, 80];
        assert_eq!(print.find(&page, band, 0.8), None);
        let placed = print.find_words(&page, band, &[0, 1], 0.8).expect("年 and 月");
        assert_eq!(placed.iter().map(|p| p.word).collect::<Vec<_>>(), [0, 1]);
        for p in &placed {
            let want = 333 + 40 + 80 * p.word as u32;
            assert!((p.rect[0] + 2).abs_diff(want) <= 2 && (p.rect[1] + 2).abs_diff(251) <= 2, "{p:?}");
        }
        let mut ocr = Counting(Vec::new());
        let words = print.read_placed(&mut ocr, &page, &placed, band, 200.0).unwrap().expect("read");
        let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(texts, ["2", "年", "3", "月"]);
        // Out of order (月 looked for before 年) or a word not learnt: not found.
        assert_eq!(print.find_words(&page, band, &[1, 0], 0.8), None);
        assert_eq!(print.find_words(&page, band, &[0, 2], 0.8), None);
    }
}
