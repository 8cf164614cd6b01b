//! The signer's label (负责人签字：) is printed alike in every approval box of a page: one
//! program, one font, one scan. Once OCR has read it to its end in one box, it is looked for
//! in the others by its print, which costs a few hundredths of reading it again (OCR's cost
//! is per character, about 3 ms each for chi_sim, whatever the resolution). Where the print is
//! not found well enough (a signature across the label, the dark remnants of a seal, another
//! font) the box is read as before: a match can only save a read, never replace a good one
//! with a bad one. The two labels of the form (签名 in the unit's boxes, 签字 in the others)
//! differ in their last character alone: the print before it finds the other label too, so
//! one read serves a page.

use image::GrayImage;
use imageproc::template_matching::find_extremes;

use crate::layout::approval::label_core;
use crate::layout::labels::squeeze;
use crate::ocr::OcrWord;
use crate::preprocess::{resize, Shrink};

use super::cells::{ink_bands, DARK_INK};
use super::mm_px;

/// A label as printed on the page, learnt from a box where OCR read it.
#[derive(Debug, Clone)]
pub(super) struct LabelPrint {
    /// The label's text as the spec gives it (one print per label: 签名 and 签字 differ).
    pub label: String,
    /// The label's ink, made bright on black paper and halved (see `find`).
    ink: GrayImage,
    /// Where the label's first ink stands right of the print's left edge, in page pixels.
    lead: u32,
    /// The words OCR read, placed relative to the print's top-left corner (page pixels).
    words: Vec<OcrWord>,
    /// The print's size (px): its ink's height. The words alone (负责 人 签字) hold no lone
    /// character square enough to measure it by as a box's read does, and a box's layout
    /// measured on too small a size misses the first digit of the year written before 年.
    pub em: u32,
    /// The print before its last character (负责人签, shared by 负责人签名： and 负责人签字：,
    /// printed in boxes of the same page), halved, when its characters' ink stands apart: a
    /// box of the other label is then found by it, without a read of its own.
    prefix: Option<GrayImage>,
    /// The whole print's size (page px), as wide as the other label is placed.
    size: [u32; 2],
}

impl LabelPrint {
    /// Whether this print finds boxes labelled `signer`: its own label, or the other one of
    /// as many characters that differs in the last alone.
    pub fn fits(&self, signer: &str) -> bool {
        self.label == signer || (self.prefix.is_some() && same_but_last(&self.label, signer))
    }
}

/// Whether two labels have as many characters and differ in their last alone (the colon
/// aside): 负责人签名： and 负责人签字：.
fn same_but_last(a: &str, b: &str) -> bool {
    let (a, b) = (label_core(a), label_core(b));
    a.len() == b.len() && a.len() >= 3 && a[..a.len() - 1] == b[..b.len() - 1]
}

/// Where the label's last character starts in its print `[x, y, w, h]` (the label's ink with
/// its margin), `chars` characters and a colon of `em` px: the runs of inked columns are its
/// characters and the colon, the last a narrow run. None when they do not stand apart so
/// (two characters touching, a stroke of the signature joined to them).
fn last_char_start(clean: &GrayImage, [x, y, w, h]: [u32; 4], chars: u32, em: u32) -> Option<u32> {
    let inked = |xx: u32| (y..y + h).any(|yy| clean.get_pixel(xx, yy)[0] < DARK_INK);
    // Runs split at every blank column (a gap of 0 more).
    let mut runs = ink_bands(inked, x..x + w, 0);
    if runs.last().is_some_and(|r| (r.1 - r.0) * 2 < em) {
        runs.pop();
    }
    let &(start, end) = runs.last()?;
    let (first, wide) = (runs.first()?.0, end - start);
    let before = start - first;
    let one_char = wide * 10 >= em * 6 && wide * 10 <= em * 13;
    let rest = before * 10 >= (chars - 1) * em * 8 && before * 10 <= (chars - 1) * em * 13;
    (one_char && rest).then_some(start)
}

/// Matching is done on the page halved: print's strokes (2–3 px at 200 dpi) survive it, and
/// the search costs a sixteenth.
pub(super) const HALF: u32 = 2;
/// Paper round the words' boxes kept in the print (page pixels): their edges are the ink's.
const MARGIN: u32 = 2;

/// The label's print from the words OCR read in a box: the words from the label's start to
/// the one holding its last character. None when that last word holds more (the signature
/// read with it: 签字：张) or the words' extent is not one line of print.
pub(super) fn learn(clean: &GrayImage, words: &[OcrWord], label: &str, dpi: f32) -> Option<LabelPrint> {
    let core = label_core(label);
    let (first, &last) = (&core[..core.len().min(3)], core.last()?);
    let start = words.iter().position(|w| squeeze(&w.text).chars().any(|c| first.contains(&c)))?;
    let end = start + words[start..].iter().position(|w| squeeze(&w.text).contains(last))?;
    let tail = squeeze(&words[end].text);
    let after: String = tail.chars().skip_while(|&c| c != last).skip(1).collect();
    if !after.chars().all(|c| matches!(c, ':' | '：')) {
        return None;
    }
    let span = &words[start..=end];
    let x0 = span.iter().map(|w| w.bbox[0]).min()?.saturating_sub(MARGIN);
    let x1 = (span.iter().map(|w| w.bbox[0] + w.bbox[2]).max()? + MARGIN).min(clean.width());
    // Tesseract's box for a word may span more than its line (人 53 px high among words of
    // 28, reaching into the signature's strokes): the print's top and bottom are its ink's,
    // the band of inked rows across the words that holds their middle.
    let top = span.iter().map(|w| w.bbox[1]).min()?;
    let foot = span.iter().map(|w| w.bbox[1] + w.bbox[3]).max()?.min(clean.height());
    let mut middles: Vec<u32> = span.iter().map(|w| w.bbox[1] + w.bbox[3] / 2).collect();
    middles.sort_unstable();
    let mid = middles[middles.len() / 2];
    let inked = |yy: u32| (x0..x1).filter(|&xx| clean.get_pixel(xx, yy)[0] < DARK_INK).count() >= 2;
    let (a, b) = ink_bands(inked, top..foot, mm_px(dpi, 0.5).max(2)).into_iter().find(|&(a, b)| (a..b).contains(&mid))?;
    let (y0, y1) = (a.saturating_sub(MARGIN), (b + MARGIN).min(clean.height()));
    // One line of print, as wide as most of its characters.
    let chars = core.len() as u32;
    if y1 - y0 > mm_px(dpi, 7.0) || x1 - x0 < chars * mm_px(dpi, 2.0) || x1 - x0 > (chars + 2) * mm_px(dpi, 5.0) {
        return None;
    }
    let ink = halved_ink(clean, [x0, y0, x1 - x0, y1 - y0]);
    let em = b - a;
    let cut = last_char_start(clean, [x0, y0, x1 - x0, y1 - y0], chars, em);
    let prefix = cut.map(|c| halved_ink(clean, [x0, y0, c - x0, y1 - y0]));
    // Placed on the print's rows: a word's box reaching above them would start above the area searched.
    let words = span.iter().map(|w| OcrWord { bbox: [w.bbox[0] - x0, w.bbox[1].max(y0) - y0, w.bbox[2], (w.bbox[1] + w.bbox[3]).min(y1).saturating_sub(w.bbox[1].max(y0))], ..w.clone() }).collect();
    Some(LabelPrint { label: label.to_string(), ink, lead: span[0].bbox[0] - x0, words, em, prefix, size: [x1 - x0, y1 - y0] })
}

/// Looks for the print of the box's label `signer` at the start of a line: `crop` is a line's
/// start as `label_line_starts` gives it, its first ink `first`. The label starts there, so
/// only a little way round that ink is searched (an em across, the crop's height down). The
/// words are returned where the print was found, with its likeness (0–1) to the learnt one;
/// for the other label of the same characters but the last, the print before that last is
/// looked for, and the label placed as one word as wide as the whole print. None when the
/// print does not fit `signer` or the search area is smaller than it.
pub(super) fn find(print: &LabelPrint, signer: &str, clean: &GrayImage, crop: [u32; 4], first: u32, dpi: f32) -> Option<(Vec<OcrWord>, f32)> {
    let own = print.label == signer;
    let ink = if own { &print.ink } else { print.prefix.as_ref().filter(|_| print.fits(signer))? };
    let (tw, th) = (ink.width() * HALF, ink.height() * HALF);
    let slack = mm_px(dpi, 2.5);
    let left = first.saturating_sub(print.lead + slack);
    let top = crop[1].saturating_sub(slack / 2);
    let right = (first - print.lead.min(first) + slack + tw).min(clean.width());
    let bottom = (crop[1] + crop[3] + slack / 2).min(clean.height());
    if right < left + tw || bottom < top + th {
        return None;
    }
    let area = halved_ink(clean, [left, top, right - left, bottom - top]);
    if area.width() < ink.width() || area.height() < ink.height() {
        return None;
    }
    let scores = crate::preprocess::match_template_ncc(&area, ink);
    let best = find_extremes(&scores);
    let (dx, dy) = best.max_value_location;
    let (x, y) = (left + dx * HALF, top + dy * HALF);
    let words = if own {
        print.words.iter().map(|w| OcrWord { bbox: [w.bbox[0] + x, w.bbox[1] + y, w.bbox[2], w.bbox[3]], ..w.clone() }).collect()
    } else {
        let [w, h] = print.size;
        let bbox = [x + print.lead, y + MARGIN, w.saturating_sub(print.lead + MARGIN), h.saturating_sub(2 * MARGIN)];
        vec![OcrWord { text: signer.to_string(), bbox, confidence: best.max_value }]
    };
    Some((words, best.max_value))
}

/// The ink of a rectangle bright on black, so that paper weighs nothing in the likeness (a
/// cosine of the two inks: the same print scores near 1, other print or writing well
/// under), at half the page's resolution.
pub(super) fn halved_ink(clean: &GrayImage, [x, y, w, h]: [u32; 4]) -> GrayImage {
    let mut piece = image::imageops::crop_imm(clean, x, y, w, h).to_image();
    image::imageops::invert(&mut piece);
    resize(&piece, (w / HALF).max(1), (h / HALF).max(1), Shrink::Area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    /// Six "characters" of print 28 px high at `x, y`, each its own pattern of strokes, then
    /// a colon.
    fn print_label(page: &mut GrayImage, x: i32, y: i32) {
        print_chars(page, x, y, &[0, 1, 2, 3, 4, 5]);
    }

    /// "Characters" of print 28 px high, 32 apart, each the pattern of strokes its number in
    /// `patterns` gives, then a colon.
    fn print_chars(page: &mut GrayImage, x: i32, y: i32, patterns: &[i32]) {
        for (i, &k) in patterns.iter().enumerate() {
            let cx = x + i as i32 * 32;
            draw_filled_rect_mut(page, Rect::at(cx, y + (k % 3) * 8).of_size(28, 3), image::Luma([20]));
            draw_filled_rect_mut(page, Rect::at(cx + 4 + (k * 5) % 18, y).of_size(3, 28), image::Luma([20]));
            draw_filled_rect_mut(page, Rect::at(cx + (k * 7) % 20, y + 20).of_size(8, 3), image::Luma([20]));
        }
        let colon = x + patterns.len() as i32 * 32 + 2;
        draw_filled_rect_mut(page, Rect::at(colon, y + 8).of_size(4, 4), image::Luma([20]));
        draw_filled_rect_mut(page, Rect::at(colon, y + 20).of_size(4, 4), image::Luma([20]));
    }

    fn read_label(x: u32, y: u32) -> Vec<OcrWord> {
        let w = |text: &str, bbox: [u32; 4]| OcrWord { text: text.into(), bbox, confidence: 0.9 };
        vec![w("负责", [x, y, 60, 28]), w("人", [x + 64, y, 28, 28]), w("签字：", [x + 96, y, 104, 28]), w("张", [x + 240, y - 6, 40, 40])]
    }

    #[test]
    fn a_label_read_in_one_box_is_found_by_its_print_in_another_and_other_ink_is_not_like_it() {
        let mut page = GrayImage::from_pixel(1200, 600, image::Luma([255]));
        print_label(&mut page, 100, 100);
        print_label(&mut page, 617, 403);
        let print = learn(&page, &read_label(100, 100), "负责人签字：", 200.0).expect("the print");
        // The words up to the label's end only: not the signature after it.
        assert_eq!(print.words.len(), 3);
        assert_eq!(print.em, 28, "the print's size, from its words' height");
        // The second box's line starts at its first ink (617), the crop half an em left of it.
        let (words, likeness) = find(&print, "负责人签字：", &page, [600, 390, 300, 60], 617, 200.0).expect("searched");
        // Not 1: the halving falls on the two prints at different phases (odd and even pixels).
        assert!(likeness > 0.85, "{likeness}");
        let at = words[0].bbox;
        assert!(at[0].abs_diff(617) <= 2 && at[1].abs_diff(403) <= 2, "{at:?}");
        assert_eq!(words[2].text, "签字：");
        // A signature written across the label lowers the likeness, a little.
        draw_filled_rect_mut(&mut page, Rect::at(660, 412).of_size(120, 5), image::Luma([40]));
        let (_, crossed) = find(&print, "负责人签字：", &page, [600, 390, 300, 60], 617, 200.0).expect("searched");
        assert!(crossed > 0.75 && crossed < likeness, "{crossed}");
        // Other ink at a line's start (a date's digits, a block of writing) is not like it.
        let mut other = GrayImage::from_pixel(1200, 600, image::Luma([255]));
        for i in 0..8 {
            draw_filled_rect_mut(&mut other, Rect::at(617 + i * 24, 403).of_size(14, 30), image::Luma([20]));
        }
        let (_, unlike) = find(&print, "负责人签字：", &other, [600, 390, 300, 60], 617, 200.0).expect("searched");
        assert!(unlike < 0.7, "{unlike}");
    }

    #[test]
    fn a_label_of_the_same_characters_but_the_last_is_found_by_the_print_before_it() {
        // 负责人签名： and 负责人签字：: five characters 28 px high, 32 apart, then a colon; the
        // last character differs.
        let mut page = GrayImage::from_pixel(1200, 600, image::Luma([255]));
        print_chars(&mut page, 100, 100, &[0, 1, 2, 3, 4]);
        print_chars(&mut page, 617, 403, &[0, 1, 2, 3, 7]);
        let w = |text: &str, bbox: [u32; 4]| OcrWord { text: text.into(), bbox, confidence: 0.9 };
        let read = [w("负责", [100, 100, 60, 28]), w("人", [164, 100, 28, 28]), w("签名：", [196, 100, 72, 28])];
        let print = learn(&page, &read, "负责人签名：", 200.0).expect("the print");
        assert!(print.fits("负责人签字：") && print.fits("负责人签名：") && !print.fits("负责人：") && !print.fits("审核人签字："));
        let (words, likeness) = find(&print, "负责人签字：", &page, [600, 390, 300, 60], 617, 200.0).expect("searched");
        assert!(likeness > 0.85, "{likeness}");
        // One word, the other label, as wide as the whole print (the colon's end at 617 + 166).
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].text, "负责人签字：");
        let [x, y, bw, _] = words[0].bbox;
        assert!(x.abs_diff(617) <= 2 && y.abs_diff(403) <= 2 && (x + bw).abs_diff(617 + 166) <= 3, "{:?}", words[0].bbox);
        // The whole print, its last character unlike the other's, is less like that box.
        let (_, whole) = find(&print, "负责人签名：", &page, [600, 390, 300, 60], 617, 200.0).expect("searched");
        assert!(whole < likeness, "{whole} {likeness}");
        // Two characters touching: the last cannot be told apart, no shared print is kept.
        draw_filled_rect_mut(&mut page, Rect::at(100 + 3 * 32 + 20, 110).of_size(20, 3), image::Luma([20]));
        let joined = learn(&page, &read, "负责人签名：", 200.0).expect("the print");
        assert!(!joined.fits("负责人签字："));
    }

    #[test]
    fn no_print_is_learnt_from_a_word_holding_the_signature_or_from_a_label_not_read_to_its_end() {
        let mut page = GrayImage::from_pixel(800, 300, image::Luma([255]));
        print_label(&mut page, 100, 100);
        let w = |text: &str, bbox: [u32; 4]| OcrWord { text: text.into(), bbox, confidence: 0.9 };
        assert!(learn(&page, &[w("负责人签字：张三", [100, 100, 280, 30])], "负责人签字：", 200.0).is_none());
        assert!(learn(&page, &[w("负责", [100, 100, 60, 28]), w("人", [164, 100, 28, 28])], "负责人签字：", 200.0).is_none());
        assert!(learn(&page, &[w("负责人签字：", [100, 100, 200, 28])], "负责人签字：", 200.0).is_some());
        // Not one line of print: the words' extent three lines high.
        assert!(learn(&page, &[w("负责", [100, 100, 60, 28]), w("签字：", [100, 180, 120, 28])], "负责人签字：", 200.0).is_none());
        // Nor from words where no print is.
        assert!(learn(&page, &[w("负责人签字：", [400, 200, 200, 28])], "负责人签字：", 200.0).is_none());
        // A word's box reaching down into the signature's strokes does not make the print
        // taller than its ink, nor its size larger.
        let tall = learn(&page, &[w("负责", [100, 100, 60, 28]), w("人", [164, 90, 28, 60]), w("签字：", [196, 100, 104, 28])], "负责人签字：", 200.0).expect("the print");
        assert_eq!(tall.em, 28);
        assert!(tall.words.iter().all(|w| w.bbox[1] + w.bbox[3] <= 28 + 2 * MARGIN), "{:?}", tall.words);
    }
}
