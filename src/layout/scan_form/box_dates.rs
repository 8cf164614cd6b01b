//! The date line of each approval box, read after the box's label: by the print of 年 月 日
//! where the page's prints are known (only the written digits read, by the digits' engine),
//! by the prints of 年 and 月 (or 年 alone) on a page whose 日 (or 月) is never learnt, else
//! by chi_sim, with
//! fallbacks for seal remnants and a date written low. Split from `boxes`, which locates the
//! boxes and their signer labels.

use image::GrayImage;

use crate::error::OcrError;
use crate::layout::approval::{self, BoxLayout};
use crate::ocr::{OcrEngine, OcrWord, Region};

use super::boxes::{lowest_ink_band, read_words_without_remnants, PALER_THAN_PRINT};
use super::cells::{ink_bands, DARK_INK};
use super::date_print::{DatePrint, Learning, DATE_WORDS};
use super::{mm_px, PageReading, ScanParams};

/// What a page's date lines have taught so far.
#[derive(Debug, Default)]
pub(super) struct DateLines {
    /// The printed 年 月 日 (and 公章), learnt where OCR read them.
    print: DatePrint,
    /// Date lines read by chi_sim on this page that left 月 or 日 unlearnt (digits written
    /// against them) and gave no month: after `params.by_print_after` of them, 年 alone is
    /// found by its print.
    untaught: u32,
    /// Lines read by chi_sim that left a word unlearnt and gave no day: after
    /// `params.by_print_after` of them, 年 and 月 are found by their print.
    dayless: u32,
}

impl DateLines {
    /// Learns the printed words a box's own read gave alone (see `DatePrint::learn`).
    pub fn learn_from_box(&mut self, clean: &GrayImage, words: &[OcrWord], dpi: f32) {
        self.print.learn(clean, words, dpi, Learning::NewOnly);
    }

    /// Reads the date of the box `layout` (split so far by its label's read) into it: its
    /// band, unless the box's read gave a whole date, then the foot of the box's ink in
    /// `region` when the date is still not placed. `seal` is the box's printed seal word.
    /// `clean` is the page the engine holds, its print read and found there; `page` is where
    /// the written digits are read (the same, unless a seal's grey was taken out of `clean`).
    #[allow(clippy::too_many_arguments)]
    pub fn read(&mut self, clean: &GrayImage, page: &GrayImage, layout: &mut BoxLayout, region: [u32; 4], seal: Option<&str>, dpi: f32, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
        // The date line is read again only when the box's read did not give a whole date.
        let whole = layout.date_parts.as_ref().and_then(approval::date_text).is_some_and(|d| d.ends_with('日'));
        // The seal's printed word (公章) often stands just above the date, inside its band:
        // allowed too, or it is forced into digits and the year with it.
        let chars: String = DATE_CHARS.chars().chain(seal.unwrap_or("").chars()).collect();
        if let Some(band) = layout.date_band.filter(|_| !whole) {
            let found = self.print.find(clean, band, params.date_print_likeness);
            let by_print = match &found {
                Some(found) => self.print.read_blanks(ocr, page, found, band, dpi)?,
                None => None,
            };
            // On a page where chi_sim's reads do not teach every word, they give little more
            // than what the words learnt give: read `2023 年 4 月` where 日 is lost in the day
            // written against it, `2023 年 4` where 月 is too, at several times the cost of
            // reading the blanks alone. 年 and 月 are then found by their print, or 年 alone,
            // and the words not found placed by the line's usual spacing.
            let mut tried = false;
            let mut partial = None;
            if found.is_none() {
                let mut attempts: Vec<&[usize]> = Vec::new();
                if self.dayless >= params.by_print_after {
                    attempts.push(&[0, 1]);
                }
                if self.untaught >= params.by_print_after {
                    attempts.push(&[0]);
                }
                for which in attempts.into_iter().filter(|w| self.print.knows(w)) {
                    tried = true;
                    // 年 alone only where it is found once (a line holds one 年).
                    let placed = match which {
                        [0] => self.print.find_year(clean, band, params.date_print_likeness).map(|y| vec![y]),
                        _ => self.print.find_words(clean, band, which, params.date_print_likeness),
                    };
                    if let Some(placed) = placed {
                        partial = self.print.read_placed(ocr, page, &placed, band, dpi)?.map(|words| (words, placed));
                        break;
                    }
                }
            }
            // Prints known and not found here: learnt from a line they do not match (a seal's
            // remnant in them, or a word of another size), they are learnt again from this one.
            let learning = if found.is_none() && partial.is_none() && (tried || self.print.knows_all()) { Learning::Renew } else { Learning::NewOnly };
            // Where the line is not read by OCR, the printed 公章 in its band is found by its
            // print and kept out of the handwriting judgement (it often stands in the
            // signer's zone, above the date).
            if let (Some(found), Some(words)) = (&found, by_print) {
                let likeness = found.likeness.map(|l| format!("{l:.2}")).join(" ");
                out.ocr_boxes.push((band, format!("date line, its words found by their print ({likeness}): {}", sure_listing(&words))));
                approval::refine_date(layout, &words);
                if seal.is_some() {
                    layout.printed.extend(self.print.find_seal_word(clean, band, params.date_print_likeness));
                }
            } else if let Some((words, placed)) = partial {
                let names: String = placed.iter().map(|p| DATE_WORDS[p.word]).collect();
                out.ocr_boxes.push((band, format!("date line, {names} found by their print: {}", sure_listing(&words))));
                approval::refine_date(layout, &words);
                // The words after the last found are only supposed there: the written line may
                // run on further, and its digits stand taller than the print; they are the
                // date's, not the signer's writing.
                if let (Some(z), Some(last)) = (layout.date_zone, placed.last()) {
                    let end = line_runs_to(page, band, last.rect).unwrap_or(0);
                    // Up the line's ink, but no higher than the digits read stand: a signature
                    // written low touches the line, and its strokes are no date's.
                    let em = last.rect[3].max(1);
                    let digits_top = words.iter().filter(|w| w.text.chars().all(|c| c.is_ascii_digit())).map(|w| w.bbox[1].saturating_sub(em / 4)).min();
                    let top = line_ink_top(page, z, last.rect).max(digits_top.unwrap_or(0));
                    approval::grow_date_zone(layout, [z[0], top, end.saturating_sub(z[0]), 1]);
                }
                if seal.is_some() {
                    layout.printed.extend(self.print.find_seal_word(clean, band, params.date_print_likeness));
                }
            } else {
                // Only the span of the band that holds ink is read: the band is the box's
                // width, the written line a third of it.
                let span = ink_span(clean, band, layout.em.max(1) * 2);
                let line = ocr.read_words_only(span, Region::Block, &chars)?;
                out.ocr_boxes.push((span, format!("date line (prints known: {}; lines untaught {}, dayless {}): {}", self.print.known(), self.untaught, self.dayless, listing(&line))));
                let unknown = self.print.unknown();
                let learnt = self.print.learn(clean, &line, dpi, learning);
                // Cut from the writing against them: the words still unknown, and, renewing,
                // those this line did not teach alone (a print learnt from a cut that took a
                // stroke of a digit with it is found nowhere, and would never be replaced).
                let renewing = learning == Learning::Renew;
                let wanted = [0, 1, 2].map(|k| !learnt[k] && (unknown[k] || renewing));
                if wanted.contains(&true) {
                    self.print.learn_cut(ocr, clean, &line, dpi, layout.em, wanted)?;
                }
                approval::refine_date(layout, &line);
                approval::keep_seal_word(layout, &line);
                self.print.learn_seal_word(clean, &line, dpi);
                if layout.date_zone.is_none() {
                    // Still no 年 月 日: the line again with seal remnants made paper. Pale digits
                    // may go with them; the printed words that place the blanks stay, and whether
                    // the blanks hold ink is judged on the page itself.
                    let again = read_words_without_remnants(ocr, clean, band, dpi, &chars)?;
                    out.ocr_boxes.push((band, format!("date line, remnants gone: {}", listing(&again))));
                    approval::refine_date(layout, &again);
                    approval::date_from_year(layout, again.iter().chain(&line));
                }
                let read = layout.date_parts.as_ref().and_then(approval::date_text).unwrap_or_default();
                if !self.print.knows_all() && !read.contains('月') {
                    self.untaught += 1;
                }
                if !self.print.knows_all() && !read.ends_with('日') {
                    self.dayless += 1;
                }
            }
        }
        if layout.date_zone.is_none() && layout.date_run.is_none() {
            // The band OCR's lowest line gave may be the signer's, the date line under it
            // dropped from the block read, or the band may hold a signature written low,
            // touching the date, that throws off the read: the foot of the box's lowest band
            // of dark ink, where the date is when the box is filled in order, is read alone
            // as a date line, one line high (handwritten digits stand up to half as tall
            // again as the print).
            // The print's size as measured, unless handwriting read as words inflated it.
            let em = layout.em.clamp(1, mm_px(dpi, 4.5));
            let foot = lowest_ink_band(clean, region, dpi).map(|[x, y, w, h]| {
                let top = (y + h).saturating_sub(em * 2).max(y);
                [x, top, w, y + h - top]
            });
            if let Some(band) = foot {
                let line = ocr.read_words_only(band, Region::Line, &chars)?;
                out.ocr_boxes.push((band, format!("foot of the ink, as a date line: {}", listing(&line))));
                layout.date_band = Some(band);
                approval::refine_date(layout, &line);
                approval::date_from_year(layout, &line);
            }
        }
        Ok(())
    }
}

/// The words' texts, as the debug listing shows them.
fn listing(words: &[OcrWord]) -> String {
    words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// The words' texts with their confidence (or likeness).
fn sure_listing(words: &[OcrWord]) -> String {
    words.iter().map(|w| format!("{} ({:.2})", w.text, w.confidence)).collect::<Vec<_>>().join(" ")
}

/// Where the line of ink that goes on right from the printed word `word` ends, in `band`:
/// its dark ink, within half an em of the word's middle, until two ems of paper. None when
/// nothing follows the word within two ems.
fn line_runs_to(clean: &GrayImage, band: [u32; 4], word: [u32; 4]) -> Option<u32> {
    let em = word[3].max(1);
    let mid = word[1] + em / 2;
    let (y0, y1) = (mid.saturating_sub(em / 2).max(band[1]), (mid + em / 2).min(band[1] + band[3]).min(clean.height()));
    let (x0, x1) = (word[0] + word[2], (band[0] + band[2]).min(clean.width()));
    let inked = |xx: u32| (y0..y1).any(|yy| clean.get_pixel(xx, yy)[0] < DARK_INK);
    ink_bands(inked, x0..x1.max(x0), 2 * em).first().filter(|run| run.0 <= x0 + 2 * em).map(|run| run.1)
}

/// The top of the date line's ink across `zone`, from the middle of its printed word `word`
/// up to the first row without ink, at most an em and a quarter up: written digits stand
/// taller than the print, and often higher (their pen strokes paler than its ink).
fn line_ink_top(clean: &GrayImage, zone: [u32; 4], word: [u32; 4]) -> u32 {
    let em = word[3].max(1);
    let mid = word[1] + em / 2;
    let (x0, x1) = (zone[0], (zone[0] + zone[2]).min(clean.width()));
    let highest = mid.saturating_sub(em * 5 / 4).max(zone[1].saturating_sub(em));
    let inked = |yy: u32| (x0..x1).any(|xx| clean.get_pixel(xx, yy)[0] < PALER_THAN_PRINT);
    let mut top = mid.min(clean.height().saturating_sub(1));
    while top > highest && inked(top - 1) {
        top -= 1;
    }
    top
}

/// The part of `band` between its first and last column holding ink (two pixels darker than
/// `PALER_THAN_PRINT`: written digits may be paler than print), widened by `margin` each
/// side; the band itself when it holds none.
fn ink_span(clean: &GrayImage, [x, y, w, h]: [u32; 4], margin: u32) -> [u32; 4] {
    let (x1, y1) = ((x + w).min(clean.width()), (y + h).min(clean.height()));
    let inked = |xx: u32| (y..y1).filter(|&yy| clean.get_pixel(xx, yy)[0] < PALER_THAN_PRINT).nth(1).is_some();
    let (Some(first), Some(last)) = ((x..x1).find(|&xx| inked(xx)), (x..x1).rev().find(|&xx| inked(xx))) else { return [x, y, w, h] };
    let (a, b) = (first.saturating_sub(margin).max(x), (last + 1 + margin).min(x + w));
    [a, y, b - a, h]
}

/// What a written date may hold: digits and the printed 年 月 日 (block mode: line mode stops
/// at the first wide gap between the parts).
const DATE_CHARS: &str = "0123456789年月日";

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    #[test]
    fn the_line_after_a_word_runs_on_over_gaps_under_two_ems_and_not_over_ink_off_its_line() {
        let mut page = GrayImage::from_pixel(800, 200, image::Luma([255]));
        let word = [100, 80, 26, 26];
        let ink = |page: &mut GrayImage, x: i32, y: i32, w: u32| draw_filled_rect_mut(page, Rect::at(x, y).of_size(w, 26), image::Luma([30]));
        ink(&mut page, 100, 80, 26);
        // Digits a gap after the word, a word after them, then 3 ems of paper and more ink.
        ink(&mut page, 150, 82, 20);
        ink(&mut page, 200, 80, 26);
        ink(&mut page, 304, 80, 26);
        // Ink above the line (a signature) does not carry it on.
        ink(&mut page, 226, 20, 60);
        let band = [0, 60, 800, 70];
        assert_eq!(line_runs_to(&page, band, word), Some(226));
        // Nothing within two ems after the word.
        let mut bare = GrayImage::from_pixel(800, 200, image::Luma([255]));
        ink(&mut bare, 100, 80, 26);
        ink(&mut bare, 190, 80, 26);
        assert_eq!(line_runs_to(&bare, band, word), None);
    }

    #[test]
    fn a_date_line_is_read_over_its_ink_s_span_only() {
        let mut page = GrayImage::from_pixel(800, 100, image::Luma([255]));
        let band = [0, 20, 800, 60];
        assert_eq!(ink_span(&page, band, 30), band);
        // Pale digits (a faded pen) at the left, print at the right; a lone speck is no ink.
        draw_filled_rect_mut(&mut page, Rect::at(300, 30).of_size(40, 30), image::Luma([150]));
        draw_filled_rect_mut(&mut page, Rect::at(500, 30).of_size(26, 26), image::Luma([30]));
        page.put_pixel(700, 40, image::Luma([0]));
        assert_eq!(ink_span(&page, band, 30), [270, 20, 286, 60]);
        // The margin stops at the band's sides.
        assert_eq!(ink_span(&page, [310, 20, 200, 60], 30), [310, 20, 200, 60]);
    }

    #[test]
    fn a_date_line_s_ink_is_followed_up_to_its_first_blank_row_an_em_and_a_quarter_at_most() {
        let mut page = GrayImage::from_pixel(600, 300, image::Luma([255]));
        let word = [200, 150, 26, 26];
        draw_filled_rect_mut(&mut page, Rect::at(200, 150).of_size(26, 26), image::Luma([30]));
        let zone = [100, 140, 300, 50];
        assert_eq!(line_ink_top(&page, zone, word), 150);
        // A digit written taller, higher up.
        draw_filled_rect_mut(&mut page, Rect::at(150, 135).of_size(14, 35), image::Luma([30]));
        assert_eq!(line_ink_top(&page, zone, word), 135);
        // Ink reaching up without a break (a seal on a grey copy) is followed no further
        // than an em and a quarter above the word's middle.
        draw_filled_rect_mut(&mut page, Rect::at(300, 60).of_size(4, 120), image::Luma([30]));
        assert_eq!(line_ink_top(&page, zone, word), 163 - 32);
    }
}
