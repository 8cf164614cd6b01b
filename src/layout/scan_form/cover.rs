//! The cover page: no table, so its text lines are found by their ink, each run of ink read
//! on its own at the size Tesseract reads best, and a line's label names its value.

use std::collections::HashSet;

use image::GrayImage;

use crate::error::OcrError;
use crate::layout::labels::{edit_distance, squeeze, LabelMatcher};
use crate::ocr::{OcrEngine, OcrText, Region};
use crate::reading::RawValue;
use crate::spec::{Kind, Part, Spec};

use super::cells::read_with_retry;
use super::table::{clean_value, second_is_likelier};
use super::{mm_px, PageKind, PageReading};

/// The boxes of the text lines of a page without a table, top to bottom: runs of rows with
/// ink, each cut to its ink's width with a small margin.
pub(super) fn text_line_boxes(ink: &GrayImage, dpi: f32) -> Vec<[u32; 4]> {
    let (w, h) = ink.dimensions();
    let row_ink: Vec<u32> = (0..h).map(|y| (0..w).step_by(2).filter(|&x| ink.get_pixel(x, y)[0] > 127).count() as u32).collect();
    let min_h = mm_px(dpi, 1.5);
    let gap = mm_px(dpi, 1.0);
    let pad = mm_px(dpi, 1.0);
    let mut out = Vec::new();
    let mut y = 0u32;
    while y < h {
        if row_ink[y as usize] < 2 {
            y += 1;
            continue;
        }
        let y0 = y;
        let mut last = y;
        while y < h && (row_ink[y as usize] >= 2 || y - last <= gap) {
            if row_ink[y as usize] >= 2 {
                last = y;
            }
            y += 1;
        }
        let y1 = last + 1;
        if y1 - y0 < min_h {
            continue;
        }
        let xs: Vec<u32> = (0..w).filter(|&x| (y0..y1).step_by(2).any(|yy| ink.get_pixel(x, yy)[0] > 127)).collect();
        let (Some(&x0), Some(&x1)) = (xs.first(), xs.last()) else { continue };
        let (left, top) = (x0.saturating_sub(pad), y0.saturating_sub(pad));
        out.push([left, top, (x1 + 1 + pad).min(w) - left, (y1 + pad).min(h) - top]);
    }
    out
}

/// Reads one line of large print (the cover's 三号 and 二号 type) on its own, shrunk so that
/// its characters are about 30 px high: Tesseract's models are trained on text that size and
/// often return nothing for characters twice as tall.
pub(super) fn read_line_scaled(ocr: &mut dyn OcrEngine, clean: &GrayImage, rect: [u32; 4], dpi: f32) -> Result<OcrText, OcrError> {
    let (page, dpi) = line_scaled(clean, rect, dpi);
    ocr.set_page(&page, dpi)?;
    read_with_retry(ocr, [0, 0, page.width(), page.height()], Region::Line)
}

/// The second model's reading of a line (see `OcrEngine::read_second`), shrunk as
/// `read_line_scaled` reads it.
fn read_line_second(ocr: &mut dyn OcrEngine, clean: &GrayImage, rect: [u32; 4], dpi: f32) -> Result<Option<OcrText>, OcrError> {
    let (page, dpi) = line_scaled(clean, rect, dpi);
    ocr.read_second(&page, dpi)
}

/// A line of the page cut out, shrunk as `read_line_scaled` reads it, on a margin of paper,
/// with its resolution.
fn line_scaled(clean: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32) -> (GrayImage, u32) {
    let w = w.min(clean.width().saturating_sub(x)).max(1);
    let h = h.min(clean.height().saturating_sub(y)).max(1);
    let crop = image::imageops::crop_imm(clean, x, y, w, h).to_image();
    let scale = (34.0 / h as f32).clamp(0.35, 1.0);
    let small = if scale < 0.95 {
        crate::preprocess::resize(&crop, (w as f32 * scale).round() as u32, (h as f32 * scale).round() as u32, crate::preprocess::Shrink::Bilinear)
    } else {
        crop
    };
    // A white margin round the line, as Tesseract expects of a page.
    let m = 8u32;
    let mut page = GrayImage::from_pixel(small.width() + 2 * m, small.height() + 2 * m, image::Luma([255]));
    image::imageops::overlay(&mut page, &small, m as i64, m as i64);
    (page, (dpi * scale).round() as u32)
}

/// Where a line's head of `at` pixels ends between two characters: the first column of the
/// line's box from `at` on (within an `em` further) that holds no ink, else `at`. A read cut
/// through a character misreads it, and the read after it too.
pub(super) fn gap_after(ink: &GrayImage, [x, y, w, h]: [u32; 4], at: u32, em: u32) -> u32 {
    let (x1, y1) = ((x + w).min(ink.width()), (y + h).min(ink.height()));
    let blank = |xx: u32| (y..y1).all(|yy| ink.get_pixel(xx, yy)[0] <= 127);
    (x + at..(x + at + em).min(x1)).find(|&xx| blank(xx)).map_or(at, |xx| xx - x)
}

/// A line's box cut where the ink leaves a gap wider than `gap` pixels.
fn split_at_gaps(ink: &GrayImage, [x, y, w, h]: [u32; 4], gap: u32) -> Vec<[u32; 4]> {
    let cols: Vec<bool> = (x..x + w).map(|xx| (y..y + h).any(|yy| ink.get_pixel(xx.min(ink.width() - 1), yy.min(ink.height() - 1))[0] > 127)).collect();
    let mut out = Vec::new();
    let mut start: Option<u32> = None;
    let mut last = 0u32;
    for (i, &on) in cols.iter().enumerate() {
        let i = i as u32;
        if on {
            match start {
                Some(s) if i - last > gap => {
                    out.push((s, last + 1));
                    start = Some(i);
                }
                None => start = Some(i),
                _ => {}
            }
            last = i;
        }
    }
    if let Some(s) = start {
        out.push((s, last + 1));
    }
    let pad = (gap / 4).max(2);
    out.into_iter()
        .map(|(a, b)| {
            let left = (x + a).saturating_sub(pad).max(x);
            [left, y, (x + b + pad).min(x + w) - left, h]
        })
        .collect()
}

/// A cover field whose label was misread beyond matching is still where the cover's order
/// puts it: the one unlabelled line between the lines of the fields before and after it (or,
/// for the first or last field, the unlabelled line nearest its one neighbour). Its value is
/// the line's last piece, which stands apart from the label.
fn fill_by_order(spec: &Spec, unlabelled: &[([u32; 4], Vec<String>, f32)], out: &mut PageReading) {
    let fields = spec.cover_fields();
    let rect_of = |id: &str| out.values.iter().find(|(i, _)| i == id).and_then(|(_, v)| v.bbox);
    let mut found = Vec::new();
    for (k, f) in fields.iter().enumerate() {
        if rect_of(&f.id).is_some() {
            continue;
        }
        // Each neighbour: None when the spec has none, Some(None) when it was not found.
        let prev = k.checked_sub(1).map(|j| rect_of(&fields[j].id));
        let next = fields.get(k + 1).map(|n| rect_of(&n.id));
        if matches!(prev, Some(None)) || matches!(next, Some(None)) || (prev.is_none() && next.is_none()) {
            continue;
        }
        let lo = prev.flatten().map_or(0, |r| r[1] + r[3]);
        let hi = next.flatten().map_or(u32::MAX, |r| r[1]);
        let mut between: Vec<&([u32; 4], Vec<String>, f32)> = unlabelled.iter().filter(|(r, ..)| r[1] >= lo && r[1] + r[3] <= hi).collect();
        let chosen = match (prev.is_some(), next.is_some()) {
            (true, true) if between.len() == 1 => between.pop(),
            // Open above (the first field): the line nearest the next; open below: nearest the one before.
            // and only as close as the cover's lines stand (not the issuers at the foot).
            (false, true) => between.into_iter().max_by_key(|(r, ..)| r[1]).filter(|(r, ..)| hi - (r[1] + r[3]) <= 2 * r[3]),
            (true, false) => between.into_iter().min_by_key(|(r, ..)| r[1]).filter(|(r, ..)| r[1] - lo <= 2 * r[3]),
            _ => None,
        };
        if let Some((rect, pieces, conf)) = chosen {
            let value = pieces.last().cloned().unwrap_or_default();
            found.push((f.id.clone(), RawValue { text: clean_value(spec, f, &value), confidence: *conf, page: None, bbox: Some(*rect) }));
        }
    }
    out.labels_found += found.len();
    out.values.extend(found);
}

/// A letter-spaced label (`姓    名`) stands in pieces of its own before the value: with one
/// of its characters misread (姓 as 好) it is still the label when the others read right and
/// no other cover label is as close.
fn spaced_label<'s>(spec: &'s Spec, pieces: &[String]) -> Option<(&'s str, String)> {
    let (value, label) = pieces.split_last()?;
    if label.is_empty() || value.is_empty() {
        return None;
    }
    let label: Vec<char> = squeeze(&label.concat()).chars().collect();
    let mut hits = spec.cover_fields().into_iter().filter(|f| {
        let l: Vec<char> = squeeze(&f.label).chars().collect();
        l.len() == label.len() && l.len() >= 2 && edit_distance(&l, &label) == 1
    });
    let f = hits.next()?;
    hits.next().is_none().then(|| (f.id.as_str(), value.clone()))
}

/// Whether a line (or the head of one) read as the form's title: 申报表 of its second line,
/// or 最美职工 or 年度 of its first (its head alone, 2023年度内蒙古, when only that was read).
pub(super) fn is_title(text: &str) -> bool {
    let sq = squeeze(text);
    sq.contains("申报表") || sq.contains("最美职工") || sq.contains("年度")
}

/// A line's Chinese characters alone: OCR's digits, Latin slips and punctuation say nothing
/// of which print it is.
fn cjk(t: &str) -> Vec<char> {
    t.chars().filter(|&c| crate::layout::ocr_text::is_cjk(c)).collect()
}

/// The pairs of adjacent Chinese characters in the form's printed notes (说明 and its items,
/// the issuer's closing line), gathered once for a page.
pub(super) fn notes_pairs(spec: &Spec) -> HashSet<(char, char)> {
    let notes = &spec.notes;
    let printed = std::iter::once(&notes.heading).chain(&notes.items).chain(&notes.closing);
    printed.flat_map(|t| cjk(t).windows(2).map(|w| (w[0], w[1])).collect::<Vec<_>>()).collect()
}

/// Whether a line reads as the printed notes: most of its pairs of adjacent Chinese characters
/// occur in them. The notes hold no field; when they overflow onto a page of their own, that
/// page is recognised from its first lines and not read further (seven to nine lines of
/// print, a quarter of a form's OCR).
pub(super) fn is_notes_line(notes: &HashSet<(char, char)>, text: &str) -> bool {
    let line = cjk(text);
    if line.len() < 6 {
        return false;
    }
    let hits = line.windows(2).filter(|w| notes.contains(&(w[0], w[1]))).count();
    hits * 5 >= (line.len() - 1) * 3
}

/// The cover's lines, each read as one line; a line starting with a cover label gives its
/// value.
/// `known` are lines the orientation probe has read already (the title), not read twice.
/// `second_below` is `ScanParams::second_opinion_below`.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_cover(clean: &GrayImage, ink: &GrayImage, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, mut known: Vec<([u32; 4], OcrText)>, second_below: f32, out: &mut PageReading) -> Result<(), OcrError> {
    let labels = LabelMatcher::new(spec, |f| f.part() == Part::Cover);
    let mut found_title = false;
    let gap = mm_px(dpi, 6.0);
    // The value of the line before (its index in `out.values`, the line's bottom and its text as
    // read), which a long unit name continues on the next line.
    let mut open: Option<(usize, u32, String)> = None;
    let wanted = spec.cover_fields().len();
    // Lines of a label and a value whose label did not read as any (工 作 单 位 as 人作生位).
    let mut unlabelled: Vec<([u32; 4], Vec<String>, f32)> = Vec::new();
    // Lines read before any cover label or the title: the printed notes' and the others.
    let (mut notes_lines, mut other_lines) = (0u32, 0u32);
    let notes = notes_pairs(spec);
    // The title's first line, once read (its height), and how many lines of the title the
    // spec has after it: those stand right below it in type as large, and hold no field.
    let mut title: Option<u32> = None;
    let mut title_left = spec.cover.title_lines.len().saturating_sub(1);
    for rect in text_line_boxes(ink, dpi) {
        if !found_title && out.labels_found == 0 && notes_lines >= 2 && notes_lines > other_lines {
            break;
        }
        if let Some(h) = title.filter(|_| title_left > 0) {
            title_left -= 1;
            if rect[3] * 10 >= h * 9 {
                out.ocr_boxes.push((rect, "the title's next line, not read".into()));
                continue;
            }
            title_left = 0;
        }
        // Once every cover field has its value, the lines below (the issuers' names at the
        // foot of the page) are not read, unless one may continue the last value.
        let found = spec.cover_fields().iter().filter(|f| out.values.iter().any(|(id, _)| id == &f.id)).count();
        if found == wanted && found_title && open.as_ref().is_none_or(|(_, bottom, _)| rect[1] >= bottom + rect[3] / 2) {
            break;
        }
        // A label and its value stand far apart on the line; line mode drops a word after a
        // wide gap, so each run of ink is read on its own and the pieces joined.
        let mut pieces = Vec::new();
        let mut conf = 1.0f32;
        let mut last_conf = 1.0f32;
        // The line's last run of ink (where its value ends) when read here, not by the probe.
        let mut last_read = None;
        let mut head_conf = 1.0f32;
        for seg in split_at_gaps(ink, rect, gap) {
            last_read = None;
            head_conf = conf;
            // A line the probe read only the head of stands for the whole when it is the
            // printed notes' (the page is not read further), else it is read whole.
            let head_of = |r: &[u32; 4], t: &OcrText| r[..2] == seg[..2] && r[3] == seg[3] && r[2] < seg[2] && (is_notes_line(&notes, &t.text) || is_title(&t.text));
            let t = match known.iter().position(|(r, t)| *r == seg || head_of(r, t)) {
                Some(i) => known.swap_remove(i).1,
                None => {
                    last_read = Some(seg);
                    read_line_scaled(ocr, clean, seg, dpi)?
                }
            };
            last_conf = if t.text.trim().is_empty() { 1.0 } else { t.confidence };
            conf = conf.min(last_conf);
            out.ocr_boxes.push((seg, t.text.trim().to_string()));
            pieces.push(t.text.trim().to_string());
        }
        let t = OcrText { text: pieces.join(" "), confidence: conf };
        let sq = squeeze(&t.text);
        if is_title(&t.text) {
            if !found_title && out.labels_found == 0 {
                title = Some(rect[3]);
            }
            found_title = true;
        }
        // On the cover the value follows its label on the same line, often with no space in
        // what OCR returns: a label at the line's start is enough.
        let match_line = |text: &str, pieces: &[String]| {
            let sq = squeeze(text);
            let glued = spec.cover_fields().into_iter().find_map(|f| {
                f.all_labels().map(squeeze).filter(|l| l.chars().count() >= 2).find_map(|l| sq.strip_prefix(l.as_str()).map(|rest| (f.id.as_str(), rest.to_string())))
            });
            glued.or_else(|| labels.match_fuzzy(text)).or_else(|| spaced_label(spec, pieces))
        };
        let matched = match_line(&t.text, &pieces);
        if !found_title && out.labels_found == 0 && matched.is_none() {
            if is_notes_line(&notes, &t.text) {
                notes_lines += 1;
            } else if !sq.is_empty() {
                other_lines += 1;
            }
        }
        let continued = open.take().filter(|(_, bottom, _)| matched.is_none() && rect[1] < bottom + rect[3] / 2);
        if let Some((i, _, mut raw)) = continued {
            // No label of its own and right below the value above (closer than the lines of
            // the cover stand apart): the rest of that value, wrapped to the margin.
            let (id, v) = &mut out.values[i];
            if let Some(field) = spec.field(id) {
                // Cleaned from the lines as read: a line's end is not the value's, and a place
                // name mended there (乌兰察布供 → 乌兰察布市) may go on in the next line (供电).
                raw.push_str(&t.text);
                v.text = clean_value(spec, field, &raw);
                v.confidence = v.confidence.min(t.confidence);
                if let Some(b) = &mut v.bbox {
                    *b = [b[0], b[1], b[2].max(rect[0] + rect[2] - b[0]), rect[1] + rect[3] - b[1]];
                }
            }
            open = Some((i, rect[1] + rect[3], raw));
        } else if matched.is_none() && found_title && pieces.len() >= 2 {
            unlabelled.push((rect, pieces, last_conf));
        } else if let Some((id, rest)) = matched {
            out.labels_found += 1;
            let Some(field) = spec.field(id) else { continue };
            let (mut text, mut rest, mut confidence) = (clean_value(spec, field, &rest), rest, t.confidence);
            // A value chi_sim is unsure of: its run of ink read by the second model too, the
            // line matched again with it, and the likelier value kept.
            if let Some(seg) = last_read.filter(|_| last_conf < second_below && matches!(field.kind, Kind::Text | Kind::Name | Kind::Enum) && !text.is_empty()) {
                if let Some(again) = read_line_second(ocr, clean, seg, dpi)? {
                    let mut pieces = pieces.clone();
                    if let Some(last) = pieces.last_mut() {
                        *last = again.text.trim().to_string();
                    }
                    if let Some((_, rest2)) = match_line(&pieces.join(" "), &pieces).filter(|(id2, _)| *id2 == id) {
                        let cleaned = clean_value(spec, field, &rest2);
                        if second_is_likelier(spec, field, (&text, last_conf), (&cleaned, again.confidence)) {
                            (text, rest, confidence) = (cleaned, rest2, again.confidence.min(head_conf));
                        }
                    }
                }
            }
            if field.kind == Kind::Text {
                open = Some((out.values.len(), rect[1] + rect[3], rest.clone()));
            }
            out.values.push((id.to_string(), RawValue { text, confidence, page: None, bbox: Some(rect) }));
        }
    }
    fill_by_order(spec, &unlabelled, out);
    if found_title || out.labels_found > 0 {
        out.kind = PageKind::Cover;
        out.labels_found += usize::from(found_title);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the lines of a page in turn as `says`, counting the reads.
    struct Says(Vec<&'static str>, usize);
    impl OcrEngine for Says {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: crate::ocr::Region) -> Result<OcrText, OcrError> {
            self.1 += 1;
            Ok(OcrText { text: self.0.get(self.1 - 1).copied().unwrap_or("").into(), confidence: 0.9 })
        }
    }

    #[test]
    fn the_titles_next_line_in_type_as_large_is_not_read_and_a_smaller_one_is() {
        use imageproc::drawing::draw_filled_rect_mut;
        use imageproc::rect::Rect;
        let spec = Spec::builtin();
        assert_eq!(spec.cover.title_lines.len(), 2);
        // 200 dpi: the title's first line 50 px high, its second 60, then a field's line 36.
        let page = |second: u32| {
            let mut clean = GrayImage::from_pixel(1200, 900, image::Luma([255]));
            for (y, h, n) in [(100, 50, 14), (200, second, 5), (400, 36, 8)] {
                for i in 0..n {
                    draw_filled_rect_mut(&mut clean, Rect::at(200 + i as i32 * (h as i32 + 8), y).of_size(h, h), image::Luma([0]));
                }
            }
            let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
            (clean, ink)
        };
        let (clean, ink) = page(60);
        let mut ocr = Says(vec!["2023年度内蒙古自治区“最美职工”", "姓名 张三"], 0);
        let mut out = PageReading::nothing_yet(0, 0.0);
        read_cover(&clean, &ink, 200.0, &spec, &mut ocr, Vec::new(), 0.9, &mut out).unwrap();
        assert_eq!(ocr.1, 2, "the title's first line and the field's: {:?}", out.ocr_boxes);
        assert!(out.values.iter().any(|(id, v)| id == "cover_name" && v.text == "张三"), "{:?}", out.values);
        // A line under the title in smaller type than it may be a field's: it is read.
        let (clean, ink) = page(36);
        let mut ocr = Says(vec!["2023年度内蒙古自治区“最美职工”", "工作单位 乌海市人民医院", "姓名 张三"], 0);
        let mut out = PageReading::nothing_yet(0, 0.0);
        read_cover(&clean, &ink, 200.0, &spec, &mut ocr, Vec::new(), 0.9, &mut out).unwrap();
        assert_eq!(ocr.1, 3, "{:?}", out.ocr_boxes);
        assert!(out.values.iter().any(|(id, _)| id == "cover_employer"), "{:?}", out.values);
    }

    #[test]
    fn a_lines_head_ends_in_the_first_gap_between_characters_after_its_length() {
        use imageproc::drawing::draw_filled_rect_mut;
        use imageproc::rect::Rect;
        // Characters 30 px wide, 6 px apart, from x = 10; the line's box from x = 5.
        let mut ink = GrayImage::new(400, 60);
        for i in 0..10 {
            draw_filled_rect_mut(&mut ink, Rect::at(10 + i * 36, 15).of_size(30, 30), image::Luma([255]));
        }
        let line = [5, 10, 380, 40];
        // 100 px from the box's start falls inside the third character (82–112): cut after it.
        assert_eq!(gap_after(&ink, line, 100, 36), 112 - 5);
        // In a gap already: cut there.
        assert_eq!(gap_after(&ink, line, 38, 36), 38);
        // No gap within the em (one long stroke): the length asked.
        draw_filled_rect_mut(&mut ink, Rect::at(0, 40).of_size(400, 2), image::Luma([255]));
        assert_eq!(gap_after(&ink, line, 100, 36), 100);
    }

    #[test]
    fn a_spaced_label_with_one_slip_still_names_its_field() {
        let spec = Spec::builtin();
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(spaced_label(&spec, &p(&["好", "名", "孙海燕"])), Some(("cover_name", "孙海燕".to_string())));
        assert_eq!(spaced_label(&spec, &p(&["工作单拉", "满洲里市公共交通有限公司"])).map(|x| x.0), Some("cover_employer"));
        // Two slips, or nothing but a value, name nothing.
        assert_eq!(spaced_label(&spec, &p(&["好", "各", "孙海燕"])), None);
        assert_eq!(spaced_label(&spec, &p(&["孙海燕"])), None);
    }

    #[test]
    fn the_printed_notes_are_told_from_the_covers_lines() {
        let notes = notes_pairs(&Spec::builtin());
        // As OCR returned them from a notes page, slips included.
        for line in ["1.“照片”一栏，纸质版材料可直接彩色打印。", "4.“获得奖励”一栏，填写格式如，*#年*月，被##授予六称号) 粒年+月，被粒评为六 ##年", "内蒙古自治区总工会办公室", "5.“简要事迹”一栏，请对其核心事迹进行准确提炼概括"] {
            assert!(is_notes_line(&notes, line), "{line}");
        }
        for line in ["2023 年度内蒙古自治区“最美职工”", "推荐申报表", "内蒙古庆华集团有限公司", "填报日期 2023年4月28日", "所在盟市、产业 阿拉善盟", "2023年4月10日印发"] {
            assert!(!is_notes_line(&notes, line), "{line}");
        }
    }

    #[test]
    fn a_line_whose_label_misread_takes_the_field_its_place_gives() {
        let spec = Spec::builtin();
        let mut out = PageReading::nothing_yet(0, 0.0);
        let raw = |y: u32| RawValue { text: "x".into(), confidence: 0.9, page: None, bbox: Some([300, y, 800, 58]) };
        out.values.push(("cover_name".into(), raw(800)));
        out.values.push(("cover_region".into(), raw(1000)));
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let lines = vec![([300, 900, 900, 58], p(&["人作生位", "乌海市人民医院"]), 0.8), ([300, 1480, 900, 58], p(&["内蒙古", "总工会"]), 0.9)];
        fill_by_order(&spec, &lines, &mut out);
        let got: Vec<(&str, &str)> = out.values.iter().map(|(id, v)| (id.as_str(), v.text.as_str())).collect();
        assert!(got.contains(&("cover_employer", "乌海市人民医院")), "{got:?}");
        // The last field's neighbour is found, but the only unlabelled line below is the
        // issuers' at the foot of the page, far from it: the date is not taken from there.
        assert!(!got.iter().any(|(id, _)| *id == "fill_date"), "{got:?}");
    }
}
