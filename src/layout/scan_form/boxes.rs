//! The approval boxes of a table page: found by title or inferred from the grid, their
//! printed words read and the box split into signer and date zones.

use image::GrayImage;

use crate::error::OcrError;
use crate::layout::approval;
use crate::layout::labels::squeeze;
use crate::layout::grid::{Cell, Grid};
use crate::ocr::{OcrEngine, Region};
use crate::spec::{LabelAt, Place, Spec};

use super::box_dates::DateLines;
use super::label_print::{self, LabelPrint};
use super::cells::{has_dark_ink, ink_bands, inset, read_on, DARK_INK};
use super::{mm_px, print_view, PageReading, ScanParams};

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
/// box into its signer and date zones by them. Where a seal's grey overlays the boxes (a
/// photocopy), their print is read on a view of the page without it (see `print_view`); the
/// engine holds the page itself again after.
pub(super) fn read_boxes(clean: &GrayImage, known: &[(String, Cell, Cell)], dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
    let regions: Vec<[u32; 4]> = known.iter().map(|(_, _, c)| [c.x0, c.y0, c.width(), c.height()]).collect();
    let Some(shade) = print_view::seal_shade(clean, &regions, &params.print_view) else {
        return read_boxes_on(clean, clean, known, dpi, spec, ocr, params, out);
    };
    let view = print_view::without_seal_grey(clean, &regions, shade, mm_px(dpi, params.print_view.seal_stroke_mm).clamp(1, 255) as u8);
    let x0 = regions.iter().map(|r| r[0]).min().unwrap_or(0);
    let y0 = regions.iter().map(|r| r[1]).min().unwrap_or(0);
    let x1 = regions.iter().map(|r| r[0] + r[2]).max().unwrap_or(0);
    let y1 = regions.iter().map(|r| r[1] + r[3]).max().unwrap_or(0);
    out.ocr_boxes.push(([x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0)], format!("the boxes' print read without a seal's grey: thick patches of shade {shade} or paler")));
    ocr.set_page(&view, dpi.round() as u32)?;
    let read = read_boxes_on(&view, clean, known, dpi, spec, ocr, params, out);
    ocr.set_page(clean, dpi.round() as u32)?;
    read
}

/// `read_boxes` on `clean`, the page the engine holds (the print view, or the page itself);
/// `page` is the page itself, where the written digits are read.
#[allow(clippy::too_many_arguments)]
fn read_boxes_on(clean: &GrayImage, page: &GrayImage, known: &[(String, Cell, Cell)], dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
    let pad = mm_px(dpi, params.cell_inset_mm);
    // The signer labels' print, learnt where OCR read them (one per label text).
    let mut prints = Vec::new();
    // The date lines' 年 月 日 likewise.
    let mut dates = DateLines::default();
    for f in spec.approvals() {
        let Some((_, _, cell)) = known.iter().find(|(id, ..)| id == &f.id) else { continue };
        let Some(text) = f.approval.as_ref() else { continue };
        let rect = inset(cell, pad);
        let skip = if text.sentence.is_some() {
            (rect[3] as f32 * 0.4) as u32
        } else if matches!(f.place, Place::Table { label_at: LabelAt::Inside, .. }) {
            let fallback = mm_px(dpi, 8.0).min(rect[3] / 3);
            title_height(clean, rect, dpi, f.print.chars().count()).filter(|&h| h <= rect[3] / 2).unwrap_or(fallback)
        } else {
            0
        };
        let region = [rect[0], rect[1] + skip, rect[2], rect[3] - skip];
        let box_rect = [cell.x0, cell.y0, cell.width(), cell.height()];
        // The rows' ink, scanned once for the date line, the label's lines above it, and the
        // lines' starts searched again when the box's read gives no label.
        let rows = DarkRows::scan(clean, region);
        let split = match read_above_date_line(clean, &rows, region, box_rect, dpi, &f.id, &text.signer, ocr, &mut prints, params, out)? {
            Some(split) => Some(split),
            None => by_print_over_writing(clean, &rows, region, box_rect, dpi, &f.id, &text.signer, &prints, params, out),
        };
        let (words, mut layout, date_line, own_line) = match split {
            Some(AboveDateLine { words, layout, date_band, own_line, how }) => {
                out.ocr_boxes.push((region, format!("{}: the label {how}", f.id)));
                (words, layout, Some(date_band), own_line)
            }
            None => {
                out.ocr_boxes.push((region, format!("{}: the box read whole", f.id)));
                let words = if has_dark_ink(clean, region) { ocr.read_words(region, Region::Block)? } else { Vec::new() };
                let layout = approval::locate(&f.id, box_rect, &words, &text.signer, dpi);
                // Its label's print, for the boxes after it, when the read placed the label.
                if layout.signer_zone.is_some() && !has_own_print(&prints, &text.signer) {
                    prints.extend(label_print::learn(clean, &words, &text.signer, dpi));
                }
                (words, layout, None, None)
            }
        };
        for w in &words {
            out.ocr_boxes.push((w.bbox, w.text.clone()));
        }
        dates.learn_from_box(clean, &words, dpi);
        if let Some(band) = date_line {
            layout.date_band = Some(band);
        }
        if layout.signer_zone.is_none() && date_line.is_none() {
            // The box's read gave no label: a signature written low, into the date line right
            // under the label, makes one band of label, name and date, of which block mode may
            // return no word at all. The label is looked for from the first ink of the box's
            // last lines, as above a date line.
            for (crop, _) in label_line_starts(clean, &rows, region, dpi, text.signer.chars().count() as u32) {
                let again = ocr.read_words(crop, Region::Block)?;
                let read: Vec<&str> = again.iter().map(|w| w.text.as_str()).collect();
                out.ocr_boxes.push((crop, format!("a line's start, the box read giving no label: {}", read.join(" "))));
                if label_read_to_its_end(&again, &text.signer).is_some() {
                    approval::refine_signer(&mut layout, &again, &text.signer);
                    if layout.signer_zone.is_some() {
                        break;
                    }
                }
            }
        }
        if layout.signer_zone.is_none() {
            // Read again allowing only the label's characters (and digits, so that the date
            // written against it does not turn into label characters).
            let allowed: String = text.signer.chars().chain("：:0123456789".chars()).collect();
            let again = read_words_without_remnants(ocr, clean, region, dpi, &allowed)?;
            for w in &again {
                out.ocr_boxes.push((w.bbox, format!("signer again: {}", w.text)));
            }
            approval::refine_signer(&mut layout, &again, &text.signer);
        }
        if layout.signer_zone.is_none() {
            // Block mode sometimes returns a printed word as a lone mark (负责人签名： as 。) when
            // seal remnants crowd the box: a word far wider than what it read is read again
            // on its own as a line.
            let allowed: String = text.signer.chars().chain("：:".chars()).collect();
            let mut lone = Vec::new();
            for w in words.iter().filter(|w| w.bbox[3] > 0 && w.bbox[2] > w.bbox[3] * 2 * (w.text.trim().chars().count() as u32 + 1)) {
                let t = ocr.read_only(w.bbox, Region::Line, &allowed)?;
                out.ocr_boxes.push((w.bbox, format!("word again: {}", t.text.trim())));
                lone.push(crate::ocr::OcrWord { text: t.text.trim().to_string(), bbox: w.bbox, confidence: t.confidence });
            }
            if !lone.is_empty() {
                approval::refine_signer(&mut layout, &lone, &text.signer);
            }
        }
        dates.read(clean, page, &mut layout, region, text.seal.as_deref(), dpi, ocr, params, out)?;
        if layout.signer_zone.is_none() {
            // The label starts its line: the leftmost run of print-sized characters, in OCR's
            // words or in the ink itself (the block read may have dropped the label's line, or
            // made one word of it, while reading the signature after it as print-sized junk).
            let mut marks = words.clone();
            marks.extend(ink_marks(clean, region, dpi));
            approval::suppose_signer(&mut layout, &marks, &text.signer, dpi);
        }
        if date_line.is_some() {
            approval::stop_signer_above_date(&mut layout, own_line);
        }
        out.boxes.push(layout);
    }
    Ok(())
}

/// A box read above its date line: the words, the box split by them, and the band to read as
/// its date line.
struct AboveDateLine {
    words: Vec<crate::ocr::OcrWord>,
    layout: approval::BoxLayout,
    date_band: [u32; 4],
    /// The date's own line of ink, when the box has one (not when a signature runs into it).
    own_line: Option<[u32; 4]>,
    /// How the label was found, for the debug listing.
    how: &'static str,
}

/// A box filled in order ends with its date on a line of its own, read later alone with only
/// a date's characters allowed: the box is then read only above that line, so as not to read
/// the date twice (it is a third of a box's characters). Above it, the label starts a line,
/// and only the label's width from the line's first ink is read: the signature after it costs
/// as much to read as print and is judged by its ink. Failing that, all that stands above the
/// date line is read. The date band starts under the label's line: 公章 on a line of its own
/// is read with the date, or its print would count as the signer's writing. None when the
/// label was not found so, and the box is to be read whole.
#[allow(clippy::too_many_arguments)]
fn read_above_date_line(clean: &GrayImage, rows: &DarkRows, region: [u32; 4], box_rect: [u32; 4], dpi: f32, id: &str, signer: &str, ocr: &mut dyn OcrEngine, prints: &mut Vec<LabelPrint>, params: &ScanParams, out: &mut PageReading) -> Result<Option<AboveDateLine>, OcrError> {
    let Some(band) = lone_date_line(clean, rows, region, dpi) else { return Ok(None) };
    let above = [region[0], region[1], region[2], band[1] - region[1]];
    let starts = label_line_starts(clean, rows, above, dpi, signer.chars().count() as u32);
    let split = |words: Vec<crate::ocr::OcrWord>, crop: Option<[u32; 4]>, em: Option<u32>, how: &'static str| {
        let layout = match em {
            Some(em) => approval::locate_at_size(id, box_rect, &words, signer, em),
            None => approval::locate(id, box_rect, &words, signer, dpi),
        };
        // The label read to its end, and the signer's zone after that end: a block stopping
        // just under the label may drop its last characters (签字：), and a speck read among
        // them (负责 人 人 签字) cuts the label's match short; the zone would hold the rest as
        // if written.
        let zone_after = |end: u32| layout.signer_zone.is_some_and(|z| z[0] + layout.em / 2 >= end);
        label_read_to_its_end(&words, signer).is_some_and(zone_after).then(|| {
            let from = crop.map_or(band[1], |c| (c[1] + c[3]).min(band[1]));
            AboveDateLine { words, layout, date_band: [band[0], from, band[2], band[1] + band[3] - from], own_line: Some(band), how }
        })
    };
    // The label as printed in another box of the page, looked for at the lines' starts first.
    if let Some(print) = print_of(prints, signer) {
        for (crop, words) in print_matches(print, signer, clean, &starts, dpi, params, "", out) {
            if let Some(found) = split(words, Some(crop), Some(print.em), "found by its print") {
                return Ok(Some(found));
            }
        }
    }
    for crop in starts.iter().map(|&(c, _)| Some(c)).chain([None]) {
        let words = ocr.read_words(crop.unwrap_or(above), Region::Block)?;
        let read: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
        let read = read.join(" ");
        let how = if crop.is_some() { "read at a line's start" } else { "read above the date line" };
        if let Some(found) = split(words, crop, None, how) {
            if !has_own_print(prints, signer) {
                prints.extend(label_print::learn(clean, &found.words, signer, dpi));
            }
            return Ok(Some(found));
        }
        out.ocr_boxes.push((crop.unwrap_or(above), format!("not {how}: {read}")));
    }
    Ok(None)
}

/// A box whose date has no line of its own (a signature written down into it) is read whole,
/// unless its label's print, learnt in another box, is found at the start of one of its last
/// lines: the date is then read in the band under the label, as a date line would be, and the
/// box's other writing is judged by its ink, not read.
#[allow(clippy::too_many_arguments)]
fn by_print_over_writing(clean: &GrayImage, rows: &DarkRows, region: [u32; 4], box_rect: [u32; 4], dpi: f32, id: &str, signer: &str, prints: &[LabelPrint], params: &ScanParams, out: &mut PageReading) -> Option<AboveDateLine> {
    let print = print_of(prints, signer)?;
    let starts = label_line_starts(clean, rows, region, dpi, signer.chars().count() as u32);
    for (_, words) in print_matches(print, signer, clean, &starts, dpi, params, ", over writing", out) {
        let layout = approval::locate_at_size(id, box_rect, &words, signer, print.em);
        let (Some(_), Some(bottom)) = (layout.signer_zone, words.iter().map(|w| w.bbox[1] + w.bbox[3]).max()) else { continue };
        let (top, end) = (bottom + 2, region[1] + region[3]);
        if end < top + mm_px(dpi, 3.0) {
            continue;
        }
        return Some(AboveDateLine { words, layout, date_band: [region[0], top, region[2], end - top], own_line: None, how: "found by its print over writing" });
    }
    None
}

/// Whether the page has the print of `signer` itself (not only the other label's, which finds
/// it by all but its last character): a read that placed the label teaches it then.
fn has_own_print(prints: &[LabelPrint], signer: &str) -> bool {
    prints.iter().any(|p| p.label == signer)
}

/// The print learnt for `signer`, or else one of the other label that fits it, if any.
fn print_of<'p>(prints: &'p [LabelPrint], signer: &str) -> Option<&'p LabelPrint> {
    prints.iter().find(|p| p.label == signer).or_else(|| prints.iter().find(|p| p.fits(signer)))
}

/// The label's print looked for at each line's start: the words where it was found alike
/// enough, in the starts' order; every likeness is listed for debugging, after `what`.
#[allow(clippy::too_many_arguments)]
fn print_matches(print: &LabelPrint, signer: &str, clean: &GrayImage, starts: &[([u32; 4], u32)], dpi: f32, params: &ScanParams, what: &str, out: &mut PageReading) -> Vec<([u32; 4], Vec<crate::ocr::OcrWord>)> {
    let mut found = Vec::new();
    let part = if print.label == signer { "" } else { " (all but its last character)" };
    for &(crop, first) in starts {
        let Some((words, likeness)) = label_print::find(print, signer, clean, crop, first, dpi) else { continue };
        out.ocr_boxes.push((crop, format!("the label's print{part}, as in another box{what}: {likeness:.2}")));
        if likeness >= params.print_likeness {
            found.push((crop, words));
        }
    }
    found
}

/// Where a label may start a line in `above` (the box above its date line): of the last two
/// lines of dark ink, bottom up, those whose first ink is in the box's left half (公章 may
/// stand on a line of its own below the label's, at the right), each from that ink to the end
/// of the label's print (or over the label's characters and two more), with a margin. The
/// print's size is taken large (4.5 mm) so that a larger font's label still fits.
fn label_line_starts(clean: &GrayImage, rows: &DarkRows, [x, y, w, h]: [u32; 4], dpi: f32, label_chars: u32) -> Vec<([u32; 4], u32)> {
    let x1 = (x + w).min(clean.width());
    let dark = |xx: u32, yy: u32| clean.get_pixel(xx, yy)[0] < DARK_INK;
    let (lo, m, em) = (mm_px(dpi, 1.5), mm_px(dpi, 1.0), mm_px(dpi, 4.5));
    rows.bands(y..(y + h).min(clean.height()), dpi)
        .into_iter()
        .rev()
        .filter(|(a, b)| b - a >= lo)
        .take(2)
        .filter_map(|(a, b)| {
            let inked = |xx: u32| (a..b).any(|yy| dark(xx, yy));
            // A label starts its line in the box's left half (公章 on its own line stands right).
            let first = (x..x1).find(|&xx| inked(xx)).filter(|&f| f < x + w / 2)?;
            let left = first.saturating_sub(em / 2).max(x);
            let top = a.saturating_sub(m).max(y);
            // Up to the end of the label's print where it stands apart from what is written
            // after it: its characters and colon lie closer than 0.6 em, and the signature
            // after a wider gap is not read with it (that made the read nearly twice as
            // long, for ink the judge weighs by itself). Where the run is shorter than the
            // label's half (print spaced wide) or runs on into the writing, the label's
            // characters and two more.
            let most = (first + (label_chars + 2) * em).min(x1);
            let run_end = ink_bands(inked, first..most, em * 3 / 5).first().map(|r| r.1);
            let right = match run_end {
                Some(end) if end >= first + label_chars * em / 2 && end + em / 2 < most => end + em / 2,
                _ => most,
            };
            let bottom = (b + m).min(y + h);
            (right > left && bottom > top).then_some(([left, top, right - left, bottom - top], first))
        })
        .collect()
}

/// Where the label's read ends, when the words hold its start (one of its first three
/// characters) and, after it, its last character (签名 or 签字 read, not only 负责人): where
/// OCR lost the end, the label's width is only estimated.
fn label_read_to_its_end(words: &[crate::ocr::OcrWord], label: &str) -> Option<u32> {
    let core = approval::label_core(label);
    let (first, &last) = (&core[..core.len().min(3)], core.last()?);
    // Any of its first three characters (one of them may be misread: 负 as 由), then the
    // word holding the last: where that word ends, the label ends.
    let start = words.iter().position(|w| squeeze(&w.text).chars().any(|c| first.contains(&c)))?;
    let end = words[start..].iter().find(|w| {
        let t = squeeze(&w.text);
        // In the first word, only after a first character.
        t.chars().skip_while(|c| !first.contains(c)).skip(1).any(|c| c == last) || (!t.chars().any(|c| first.contains(&c)) && t.contains(last))
    })?;
    Some(end.bbox[0] + end.bbox[2])
}

/// The lowest line of dark ink in a box's `region` when it stands alone below other ink and is
/// one line high: print (3.7 mm) or handwritten digits up to half as tall again, with the
/// band's margins. A signature running down into the date joins the two lines into one band
/// too tall for this.
fn lone_date_line(clean: &GrayImage, rows: &DarkRows, region: [u32; 4], dpi: f32) -> Option<[u32; 4]> {
    let band = lowest_band(rows, region, dpi)?;
    let above = band[1].saturating_sub(region[1]);
    let alone = band[3] <= mm_px(dpi, 9.0) && above >= mm_px(dpi, 4.0);
    (alone && has_dark_ink(clean, [region[0], region[1], region[2], above])).then_some(band)
}

/// The lowest band of dark ink in `rect` (a box's date line when the box is filled in order),
/// across the rectangle with a margin. Bands thinner than print (a rule's remnant) or taller
/// than a few lines are passed over.
pub(super) fn lowest_ink_band(clean: &GrayImage, rect: [u32; 4], dpi: f32) -> Option<[u32; 4]> {
    lowest_band(&DarkRows::scan(clean, rect), rect, dpi)
}

/// `lowest_ink_band` from the rows of `rect` already scanned.
fn lowest_band(rows: &DarkRows, [x, y, w, h]: [u32; 4], dpi: f32) -> Option<[u32; 4]> {
    let bands = rows.bands(rows.y0..rows.y0 + rows.dark.len() as u32, dpi);
    // A signature written low runs into the date line: two lines of writing, about 2 cm.
    let (lo, hi) = (mm_px(dpi, 1.5), mm_px(dpi, 24.0));
    let (a, b) = bands.into_iter().rfind(|(a, b)| (lo..=hi).contains(&(b - a)))?;
    let m = mm_px(dpi, 1.0);
    let top = a.saturating_sub(m).max(y);
    Some([x, top, w, (b + m).min(y + h) - top])
}

/// Which rows of a rectangle hold dark ink across it (three pixels or more), scanned once;
/// the lines of a box are cut from them.
struct DarkRows {
    y0: u32,
    dark: Vec<bool>,
}

impl DarkRows {
    fn scan(clean: &GrayImage, [x, y, w, h]: [u32; 4]) -> DarkRows {
        let x1 = (x + w).min(clean.width());
        let dark = (y..(y + h).min(clean.height())).map(|yy| (x..x1).filter(|&xx| clean.get_pixel(xx, yy)[0] < DARK_INK).count() >= 3).collect();
        DarkRows { y0: y, dark }
    }

    /// The bands of dark rows within `rows` (a range inside the rectangle scanned), split
    /// where 0.8 mm of rows hold none.
    fn bands(&self, rows: std::ops::Range<u32>, dpi: f32) -> Vec<(u32, u32)> {
        ink_bands(|yy| self.dark[(yy - self.y0) as usize], rows, mm_px(dpi, 0.8).max(2))
    }
}

/// The dark ink of `rect` cut into marks of about a character each, as unnamed words: the
/// region's bands of ink (lines), each cut where a column of the band holds no ink, every
/// piece as high as its own ink. Print's characters stand apart by a blank column or more; a
/// character whose strokes stand apart (儿, 川) gives two marks, which does no harm where runs
/// of marks are counted. Pale ink (a red seal turned grey) is not dark.
fn ink_marks(clean: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32) -> Vec<crate::ocr::OcrWord> {
    let (x1, y1) = ((x + w).min(clean.width()), (y + h).min(clean.height()));
    let dark = |xx: u32, yy: u32| clean.get_pixel(xx, yy)[0] < DARK_INK;
    let mut out = Vec::new();
    for (b0, b1) in ink_bands(|yy| (x..x1).any(|xx| dark(xx, yy)), y..y1, mm_px(dpi, 0.5).max(1)) {
        let inked = |xx: u32| (b0..b1).any(|yy| dark(xx, yy));
        let mut start: Option<u32> = None;
        for xx in x..=x1 {
            match (xx < x1 && inked(xx), start) {
                (true, None) => start = Some(xx),
                (false, Some(s0)) => {
                    // A band that handwriting joins across lines holds print above print (the
                    // label over the date's digits): the columns' ink is cut where it leaves
                    // a gap wider than a character's own between strokes.
                    let rows = |yy: u32| (s0..xx).any(|c| dark(c, yy));
                    for (top, bottom) in ink_bands(rows, b0..b1, mm_px(dpi, 1.0).max(2)) {
                        out.push(crate::ocr::OcrWord { text: "□".into(), bbox: [s0, top, xx - s0, bottom - top], confidence: 0.0 });
                    }
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// How far down a box its printed title reaches: its lines are the first bands of dark ink
/// from the box's top, as many as the title needs at the box's width (a long one wraps: …意见(公
/// / 章):). Its second line left in the region read for the signer crowds Tesseract's layout
/// analysis, which then drops the signer's line. None when the top of the box does not look
/// like printed lines (a band taller than two lines of print: a seal's edge or writing).
fn title_height(clean: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32, title_chars: usize) -> Option<u32> {
    let em = mm_px(dpi, 3.7).max(4);
    let lines = (title_chars as u32 * em).div_ceil(w.max(1)).clamp(1, 3) as usize;
    let dark = |yy: u32| (x..(x + w).min(clean.width())).filter(|&xx| clean.get_pixel(xx, yy)[0] < 128).count() >= 2;
    let gap = mm_px(dpi, 0.8).max(2);
    // Only the top of the box (the title is there, and the scan stops sooner); specks (a row
    // or two of dust) are not lines.
    let top = (y + h).min(clean.height()).min(y + (lines as u32 + 2) * 2 * em);
    let bands: Vec<(u32, u32)> = ink_bands(dark, y..top, gap).into_iter().filter(|(a, b)| b - a >= em / 3).take(lines).collect();
    if bands.len() < lines || bands[0].0 > y + 2 * em || bands.iter().any(|(a, b)| b - a > 2 * em) {
        return None;
    }
    Some(bands[lines - 1].1 + gap / 2 - y)
}

/// Print and handwriting are darker than this, pale pen strokes included; a seal's red,
/// turned grey, is paler.
pub(super) const PALER_THAN_PRINT: u8 = 165;

/// Reads a region's words, only `chars` allowed, with everything paler than print made
/// paper first: the grey left of a red seal (its ring and lettering once red is dropped)
/// crowds Tesseract's layout analysis, which then drops the printed label beside it. The
/// page is set back afterwards.
pub(super) fn read_words_without_remnants(ocr: &mut dyn OcrEngine, clean: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32, chars: &str) -> Result<Vec<crate::ocr::OcrWord>, OcrError> {
    // Only the region, framed in paper: handing Tesseract the whole page again costs more
    // than the read.
    let m = 8u32;
    let piece = framed_piece(clean, [x, y, w, h], m, Some(PALER_THAN_PRINT));
    let read = read_on(ocr, &piece, clean, dpi, |ocr, all| ocr.read_words_only(all, Region::Block, chars))?;
    // Back to the page's pixels.
    Ok(read
        .into_iter()
        .map(|mut word| {
            let [bx, by, bw, bh] = word.bbox;
            word.bbox = [(bx + x).saturating_sub(m), (by + y).saturating_sub(m), bw, bh];
            word
        })
        .collect())
}

/// A piece of the page on white paper with a margin `m` round it, as Tesseract expects of a
/// page; pixels paler than `keep_below`, when given, are made paper too.
pub(super) fn framed_piece(page: &GrayImage, [x, y, w, h]: [u32; 4], m: u32, keep_below: Option<u8>) -> GrayImage {
    use image::GenericImageView;
    let (w, h) = (w.min(page.width().saturating_sub(x)).max(1), h.min(page.height().saturating_sub(y)).max(1));
    let mut piece = GrayImage::from_pixel(w + 2 * m, h + 2 * m, image::Luma([255]));
    for (px, py, p) in image::imageops::crop_imm(page, x, y, w, h).pixels() {
        if keep_below.is_none_or(|limit| p[0] <= limit) {
            piece.put_pixel(px + m, py + m, p);
        }
    }
    piece
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    #[test]
    fn the_lowest_band_of_ink_is_the_last_line_of_print_or_writing_not_a_speck_or_rule() {
        // 200 dpi: a line of print (4 mm), a signature running into the date below it, then
        // a rule's remnant and a speck near the foot.
        let mut page = GrayImage::from_pixel(600, 400, image::Luma([255]));
        draw_filled_rect_mut(&mut page, Rect::at(40, 40).of_size(300, 30), image::Luma([0]));
        draw_filled_rect_mut(&mut page, Rect::at(200, 150).of_size(200, 60), image::Luma([30]));
        draw_filled_rect_mut(&mut page, Rect::at(150, 212).of_size(300, 30), image::Luma([20]));
        draw_filled_rect_mut(&mut page, Rect::at(0, 330).of_size(600, 2), image::Luma([0]));
        draw_filled_rect_mut(&mut page, Rect::at(500, 360).of_size(3, 3), image::Luma([0]));
        let [x, y, w, h] = lowest_ink_band(&page, [0, 0, 600, 400], 200.0).expect("a band");
        assert_eq!((x, w), (0, 600));
        assert!(y <= 150 && y + 8 >= 150, "the band starts at the signature: {y}");
        assert!((242..=252).contains(&(y + h)), "and ends below the date: {}", y + h);
        assert_eq!(lowest_ink_band(&GrayImage::from_pixel(100, 100, image::Luma([255])), [0, 0, 100, 100], 200.0), None);
    }

    #[test]
    fn a_date_line_standing_alone_below_the_label_is_split_off_and_one_joined_by_writing_is_not() {
        // 200 dpi (a mm is about 8 px): the label's line (print 29 px high) with a signature
        // after it, a gap of 3 mm, then the date's line of print and digits.
        let mut page = GrayImage::from_pixel(800, 400, image::Luma([255]));
        draw_filled_rect_mut(&mut page, Rect::at(40, 100).of_size(170, 29), image::Luma([20]));
        draw_filled_rect_mut(&mut page, Rect::at(260, 90).of_size(200, 45), image::Luma([40]));
        draw_filled_rect_mut(&mut page, Rect::at(450, 160).of_size(300, 32), image::Luma([20]));
        let region = [0, 40, 800, 300];
        let [_, y, _, h] = lone_date_line(&page, &DarkRows::scan(&page, region), region, 200.0).expect("the date line alone");
        assert!(y > 135 && y <= 160 && y + h >= 192 && y + h <= 205, "the date's band: {y}+{h}");
        // A signature written down into the date joins the two lines: no split.
        draw_filled_rect_mut(&mut page, Rect::at(300, 120).of_size(40, 60), image::Luma([40]));
        assert_eq!(lone_date_line(&page, &DarkRows::scan(&page, region), region, 200.0), None);
        // A date line with nothing above it (a box holding only the date) is not split off.
        let mut alone = GrayImage::from_pixel(800, 400, image::Luma([255]));
        draw_filled_rect_mut(&mut alone, Rect::at(450, 160).of_size(300, 32), image::Luma([20]));
        assert_eq!(lone_date_line(&alone, &DarkRows::scan(&alone, region), region, 200.0), None);
    }

    #[test]
    fn a_label_counts_as_read_to_its_end_only_with_its_last_character_after_its_start() {
        let ends = |texts: &[&str], label: &str| {
            let ws: Vec<crate::ocr::OcrWord> = texts.iter().enumerate().map(|(i, t)| crate::ocr::OcrWord { text: t.to_string(), bbox: [i as u32 * 10, 0, 8, 8], confidence: 0.9 }).collect();
            label_read_to_its_end(&ws, label)
        };
        assert_eq!(ends(&["负责", "人", "签名", ":", "陈明"], "负责人签名："), Some(28));
        assert_eq!(ends(&["负责", "人", "等", "字", "：", "张"], "负责人签字："), Some(38));
        assert_eq!(ends(&["负责人签字：", "张"], "负责人签字："), Some(8));
        assert_eq!(ends(&["负责", "人"], "负责人签字："), None);
        assert_eq!(ends(&["字", "负责", "人", "王"], "负责人签字："), None);
        assert_eq!(ends(&["由", "责", "人", "签名", "："], "负责人签名："), Some(38));
    }

    #[test]
    fn a_label_is_looked_for_from_the_first_ink_of_the_lines_starting_in_the_left_half() {
        // 200 dpi, 4.5 mm = 35 px: an upper line of writing, the label's line with a
        // signature after it, and 公章 alone on a line at the right.
        let mut page = GrayImage::from_pixel(800, 300, image::Luma([255]));
        draw_filled_rect_mut(&mut page, Rect::at(60, 20).of_size(300, 30), image::Luma([20]));
        draw_filled_rect_mut(&mut page, Rect::at(40, 100).of_size(170, 29), image::Luma([20]));
        draw_filled_rect_mut(&mut page, Rect::at(260, 95).of_size(200, 40), image::Luma([40]));
        draw_filled_rect_mut(&mut page, Rect::at(600, 160).of_size(60, 28), image::Luma([20]));
        let crops = label_line_starts(&page, &DarkRows::scan(&page, [0, 0, 800, 300]), [0, 0, 800, 220], 200.0, 6);
        // 公章's line is passed over, the label's is taken from its first ink less half an
        // em up to half an em after the label's print (the signature stands 1.4 em after
        // it); of the last two lines only, so the top line is not tried.
        assert_eq!(crops, [([23, 87, 204, 56], 40)]);
        // A signature written against the label: the label's characters and two more, eight
        // ems from its first ink.
        draw_filled_rect_mut(&mut page, Rect::at(210, 110).of_size(50, 4), image::Luma([40]));
        let crops = label_line_starts(&page, &DarkRows::scan(&page, [0, 0, 800, 300]), [0, 0, 800, 220], 200.0, 6);
        assert_eq!(crops, [([23, 87, 297, 56], 40)]);
    }

    #[test]
    fn ink_is_cut_into_marks_of_a_character_each_pale_ink_left_out() {
        let mut page = GrayImage::from_pixel(400, 120, image::Luma([255]));
        // Three "characters" of print 24 px high, 4 px apart; a taller one further on; a pale
        // ring's edge crossing them (a seal turned grey).
        for i in 0..3 {
            draw_filled_rect_mut(&mut page, Rect::at(20 + i * 28, 40).of_size(24, 24), image::Luma([20]));
        }
        draw_filled_rect_mut(&mut page, Rect::at(200, 20).of_size(50, 60), image::Luma([40]));
        draw_filled_rect_mut(&mut page, Rect::at(0, 30).of_size(400, 3), image::Luma([190]));
        let marks = ink_marks(&page, [0, 0, 400, 120], 200.0);
        let boxes: Vec<[u32; 4]> = marks.iter().map(|m| m.bbox).collect();
        assert_eq!(boxes, [[20, 40, 24, 24], [48, 40, 24, 24], [76, 40, 24, 24], [200, 20, 50, 60]]);
    }

    #[test]
    fn print_over_print_in_one_band_gives_a_mark_for_each_line() {
        // The label's characters with the date's digits under them (a line apart) and a
        // tall signature joining both lines into one band of ink.
        let mut page = GrayImage::from_pixel(400, 160, image::Luma([255]));
        for i in 0..3 {
            draw_filled_rect_mut(&mut page, Rect::at(20 + i * 28, 30).of_size(24, 24), image::Luma([20]));
            draw_filled_rect_mut(&mut page, Rect::at(20 + i * 28, 70).of_size(14, 26), image::Luma([20]));
        }
        draw_filled_rect_mut(&mut page, Rect::at(200, 20).of_size(50, 90), image::Luma([40]));
        let boxes: Vec<[u32; 4]> = ink_marks(&page, [0, 0, 400, 160], 200.0).iter().map(|m| m.bbox).collect();
        for i in 0..3 {
            assert!(boxes.contains(&[20 + i * 28, 30, 24, 24]), "a label character alone: {boxes:?}");
        }
        // A character's own gaps (a stroke above its body, 2 px apart) do not cut it.
        let mut page = GrayImage::from_pixel(100, 100, image::Luma([255]));
        draw_filled_rect_mut(&mut page, Rect::at(20, 20).of_size(24, 6), image::Luma([20]));
        draw_filled_rect_mut(&mut page, Rect::at(20, 28).of_size(24, 18), image::Luma([20]));
        let boxes: Vec<[u32; 4]> = ink_marks(&page, [0, 0, 100, 100], 200.0).iter().map(|m| m.bbox).collect();
        assert_eq!(boxes, [[20, 20, 24, 26]]);
    }

    /// Tesseract on a box whose signature runs into the date line under the label: the box's
    /// read gives no word; a narrow crop from a line's start (under 400 px) gives the label.
    struct LabelOnlyInCrops;
    impl OcrEngine for LabelOnlyInCrops {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<crate::ocr::OcrText, OcrError> {
            Ok(crate::ocr::OcrText::default())
        }
        fn read_words(&mut self, [x, y, w, _]: [u32; 4], _: Region) -> Result<Vec<crate::ocr::OcrWord>, OcrError> {
            Ok(if w < 400 {
                vec![crate::ocr::OcrWord { text: "负责人签字：".into(), bbox: [x + 20, y + 10, 180, 30], confidence: 0.9 }]
            } else {
                Vec::new()
            })
        }
    }

    #[test]
    fn a_box_whose_read_gives_no_label_has_it_read_from_a_lines_start() {
        // A box at 200 dpi under its title (two lines of print), then label, signature and
        // date run together into one band 12 mm high, too tall for a date line of its own.
        let mut clean = GrayImage::from_pixel(1000, 400, image::Luma([255]));
        draw_filled_rect_mut(&mut clean, Rect::at(20, 15).of_size(700, 25), image::Luma([0]));
        draw_filled_rect_mut(&mut clean, Rect::at(20, 50).of_size(120, 25), image::Luma([0]));
        draw_filled_rect_mut(&mut clean, Rect::at(100, 270).of_size(600, 95), image::Luma([0]));
        let spec = Spec::builtin();
        let cell = Cell { x0: 0, y0: 0, x1: 1000, y1: 400, band: 0, bands: 1 };
        let known = vec![("city_propaganda".to_string(), cell.clone(), cell)];
        let mut out = PageReading::nothing_yet(0, 0.0);
        read_boxes(&clean, &known, 200.0, &spec, &mut LabelOnlyInCrops, &ScanParams::default(), &mut out).unwrap();
        let b = &out.boxes[0];
        let zone = b.signer_zone.expect("the signer's zone, after the label read from the line's start");
        let label = b.signer_label.expect("the label");
        assert!(zone[0] >= label[0] + label[2] / 2 && zone[0] > 100, "{zone:?} after {label:?}");
    }
}
