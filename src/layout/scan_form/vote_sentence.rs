//! The row-12 sentence of a scanned table page (经 X 届 Y 次职代会通过并公示。出席会议 A 人…):
//! its blanks' underlines erased, read with its words' boxes, split into its vote blanks by the
//! printed words, each count read a second time from its ink alone by the digits' engine, and
//! blanks or counts that cannot be read again.

use image::GrayImage;

use crate::error::OcrError;
use crate::fields::normalize::parse_count;
use crate::layout::approval;
use crate::layout::grid::Cell;
use crate::layout::ocr_text;
use crate::layout::sentence::blank_spans;
use crate::ocr::{OcrEngine, Region};
use crate::spec::Kind;

use super::boxes::framed_piece;
use super::count_cut::{count_ink, starts_a_line, stroke_numeral, STROKE_NUMERALS};
use super::sentence_underlines::erase_blank_underlines;
use super::cells::{has_dark_ink, ink_bands, inset, read_on, CellReader, DARK_INK};
use super::mm_px;

/// Digits and the numerals people write counts and terms with.
const NUMERALS: &str = "0123456789零〇一二三四五六七八九十百两";
/// Arabic digits alone: where no printed word round a blank was read.
const DIGITS: &str = "0123456789";

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
    // The sentence is read from a copy with its blanks' underlines erased, then the page is
    // set back for the cells that follow.
    let mut page = reader.p.clean.clone();
    erase_blank_underlines(&mut page, rect, mm_px(reader.dpi, 3.7));
    let dpi = reader.dpi.round() as u32;
    ocr.set_page(&page, dpi)?;
    let read = read_sentence_on(reader, ocr, &page, rect, sentence);
    ocr.set_page(&reader.p.clean, dpi)?;
    read
}

fn read_sentence_on<'t>(reader: &mut CellReader, ocr: &mut dyn OcrEngine, page: &GrayImage, rect: [u32; 4], sentence: &'t str) -> Result<Vec<(&'t str, String, f32)>, OcrError> {
    let mut read = Placed::new(ocr.read_words(rect, Region::Block)?, sentence);
    if read.found() < read.spans.len() {
        // Block mode sometimes drops most of a clean sentence (工届从人会通公示。议人，到意无人。):
        // its lines are read each on its own, and kept when more blanks are found in them.
        let by_lines = Placed::new(read_lines_of(ocr, page, rect, reader.dpi)?, sentence);
        if by_lines.found() > read.found() {
            reader.boxes.push((rect, "sentence read line by line".into()));
            read = by_lines;
        }
    }
    let Placed { gs, text, spans: placed, confidence } = read;
    reader.boxes.push((rect, text));
    let mut out = Vec::new();
    let mut spans = Vec::new();
    let mut seconds = Vec::new();
    // The digits' readings of counts it was not sure of (see below).
    let mut unsure = Vec::new();
    for (blank, span) in placed {
        let Some((a, b)) = span else { continue };
        let mut value = ocr_text::clean(Kind::Vote, &gs[a..b].iter().map(|g| g.ch).collect::<String>());
        let mut conf = confidence;
        // The count's own ink, its printed neighbours cut away: found once, when first asked.
        let dpi = reader.dpi;
        let found = std::cell::OnceCell::new();
        let ink = || *found.get_or_init(|| a.checked_sub(1).and_then(|l| count_ink(page, &gs[l], gs.get(b)?, rect, dpi)));
        if parse_count(&value).is_none() {
            if let Some((again, c)) = read_blank_again(reader, ocr, page, &gs, a, b, rect)? {
                value = again;
                conf = c;
            }
        } else if value.chars().all(|c| c.is_ascii_digit()) || starts_a_line(&gs, a, b, reader.dpi) {
            // A count's dropped digit may be filled in by a less sure reading: the counts must
            // then add up. The term and session have no such check.
            let count = crate::record::Votes::COUNTS.contains(&vote_key(blank));
            match second_opinion(reader, ocr, page, ink(), count.then_some(value.as_str()))? {
                Some((digits, true)) => seconds.push((out.len(), digits)),
                Some((digits, false)) if count && digits != value => unsure.push((out.len(), digits)),
                _ => {}
            }
        }
        let strokes = |n: char| STROKE_NUMERALS.iter().position(|&s| s == n);
        if let Some(read) = STROKE_NUMERALS.iter().find(|&&n| value.chars().eq([n])).copied() {
            if let Some((ink, numeral)) = ink().and_then(|ink| Some((ink, stroke_numeral(page, ink)?))) {
                // Slanted or touching strokes may make one band, a stroke never two: the ink
                // overrules OCR only where it shows more strokes than were read.
                if strokes(numeral) > strokes(read) {
                    reader.boxes.push((ink, format!("numeral by its strokes: {numeral} (read {value})")));
                    value = numeral.to_string();
                }
            }
        }
        out.push((blank, value, conf));
        spans.push((a, b));
    }
    // The digits' second opinion where it differs (a serif 5 read 2 by chi_sim: 经5届 as 经2届,
    // 58 as 28); counts taken from it only if they then add up, or did not before. A count
    // both engines read alike, or taken from the digits' engine, is settled: chi_sim reading
    // it again below would only bring back the misreading (52 read 92 again, the form's own
    // counts not adding up, left the count a conflict).
    let mut opined = out.clone();
    for (i, digits) in &seconds {
        opined[*i].1 = digits.clone();
    }
    let taken = likely(&counts(&opined)) || !likely(&counts(&out));
    let mut settled: Vec<bool> = (0..out.len()).map(|i| seconds.iter().any(|(j, d)| *j == i && (taken || *d == out[i].1))).collect();
    if taken {
        out = opined;
    }
    // Counts still unlikely (155 read 1355 by chi_sim: 148 of 1355 for) take the digits'
    // readings it was not sure of (155 at 0.79) where, and only where, they make the counts
    // likely, the fewest of them.
    if !likely(&counts(&out)) && !unsure.is_empty() {
        let mut maybe = out.clone();
        for (i, digits) in &unsure {
            maybe[*i].1 = digits.clone();
        }
        if let Some(fewest) = fewest_changes(&out, &maybe) {
            for (i, _) in &unsure {
                settled[*i] |= fewest[*i].1 != out[*i].1;
            }
            out = fewest;
        }
    }
    // Counts that cannot be (more voted than attended: 45 read as 42) or that would return
    // the form (35 of 39 read as 3) are read again, each on its own; second readings are
    // kept only if they add up and pass, and only as many as it takes (a count read right
    // the first time is not given up for a second reading that also adds up).
    if !likely(&counts(&out)) {
        let mut again = out.clone();
        for (i, (blank, value, conf)) in again.iter_mut().enumerate() {
            if !crate::record::Votes::COUNTS.contains(&vote_key(blank)) || settled[i] {
                continue;
            }
            let (a, b) = spans[i];
            if let Some((text, c)) = read_blank_again(reader, ocr, page, &gs, a, b, rect)? {
                (*value, *conf) = (text, c);
            }
        }
        if let Some(fewest) = fewest_changes(&out, &again) {
            out = fewest;
        } else {
            // Neither set is likely (a form's counts may truly not add up): a count read two
            // ways is not guessed at. Both readings stand as its text, which reads as no
            // number, so the count goes to a person with what was seen (识别为“1或11”).
            for ((_, value, conf), (_, second, _)) in out.iter_mut().zip(&again) {
                if let (Some(a), Some(b)) = (parse_count(value), parse_count(second)) {
                    if a != b {
                        *value = format!("{value}或{second}");
                        *conf = 0.0;
                    }
                }
            }
        }
    }
    Ok(out)
}

/// A reading of the sentence: its glyphs in reading order, their text, and where each blank
/// is in it (None where its printed words were not found).
struct Placed<'t> {
    gs: Vec<approval::Glyph>,
    text: String,
    spans: Vec<(&'t str, Option<(usize, usize)>)>,
    confidence: f32,
}

impl<'t> Placed<'t> {
    fn new(words: Vec<crate::ocr::OcrWord>, sentence: &'t str) -> Self {
        let confidence = words.iter().map(|w| w.confidence).fold(1.0f32, f32::min);
        let gs = approval::glyphs(&in_reading_order(words));
        let text: String = gs.iter().map(|g| g.ch).collect();
        let spans = blank_spans(sentence, &text);
        Placed { gs, text, spans, confidence }
    }

    /// How many blanks were placed.
    fn found(&self) -> usize {
        self.spans.iter().filter(|(_, span)| span.is_some()).count()
    }
}

/// A count read again from its ink alone (`ink`, the printed words round it cut away) by the
/// digits' engine, when it reads as a number, and whether that engine is sure of it: sure
/// when Tesseract gives it 0.9 and more (as it does a clean line of digits), or 0.8 when it
/// holds what chi_sim read of a count (`first`) and more: a digit chi_sim dropped (35 read 3
/// in the sentence, twice, the counts then adding up as 3 of 3).
fn second_opinion(reader: &mut CellReader, ocr: &mut dyn OcrEngine, page: &GrayImage, ink: Option<[u32; 4]>, first: Option<&str>) -> Result<Option<(String, bool)>, OcrError> {
    let Some(ink) = ink else { return Ok(None) };
    let piece = framed_piece(page, ink, ink[3] / 2 + 4, None);
    let Some(read) = ocr.read_digits(&piece, reader.dpi.round() as u32, DIGITS)? else { return Ok(None) };
    let digits: String = read.text.chars().filter(|c| !c.is_whitespace()).collect();
    reader.boxes.push((ink, format!("count alone, digits' engine: {digits} ({:.2})", read.confidence)));
    let sure = read.confidence >= 0.9 || (read.confidence >= 0.8 && first.is_some_and(|f| fills_in(f, &digits)));
    Ok(parse_count(&digits).is_some().then_some((digits, sure)))
}

/// Whether `digits` holds all of `first`, in order, and more.
fn fills_in(first: &str, digits: &str) -> bool {
    let mut rest = digits.chars();
    digits.len() > first.len() && first.chars().all(|c| rest.any(|d| d == c))
}

/// The first readings with the fewest of them replaced by their second readings that makes
/// the counts likely; None when not even all of them do.
fn fewest_changes<'t>(first: &[(&'t str, String, f32)], second: &[(&'t str, String, f32)]) -> Option<Vec<(&'t str, String, f32)>> {
    let differ: Vec<usize> = (0..first.len().min(second.len())).filter(|&i| first[i].1 != second[i].1).collect();
    let mut masks: Vec<u32> = (1..1u32 << differ.len()).collect();
    masks.sort_by_key(|m| m.count_ones());
    masks.into_iter().map(|mask| {
        let mut trial = first.to_vec();
        for (bit, &i) in differ.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                trial[i] = second[i].clone();
            }
        }
        trial
    }).find(|trial| likely(&counts(trial)))
}

/// Counts as most forms hold them: adding up, and more than half of those attending for.
fn likely(votes: &crate::record::Votes) -> bool {
    votes.add_up() && !matches!((votes.attended, votes.approved), (Some(a), Some(b)) if b * 2 <= a)
}

fn vote_key(blank: &str) -> &str {
    blank.strip_prefix("votes.").unwrap_or(blank)
}

fn counts(read: &[(&str, String, f32)]) -> crate::record::Votes {
    let mut votes = crate::record::Votes::default();
    for (blank, value, _) in read {
        votes.set(vote_key(blank), parse_count(value));
    }
    votes
}

/// The words of each line of print in `rect`, each line read in line mode with a margin of
/// half its height round it (kept inside `rect`).
fn read_lines_of(ocr: &mut dyn OcrEngine, page: &GrayImage, [x, y, w, h]: [u32; 4], dpi: f32) -> Result<Vec<crate::ocr::OcrWord>, OcrError> {
    let (x1, y1) = ((x + w).min(page.width()), (y + h).min(page.height()));
    let em = mm_px(dpi, 3.7).max(4);
    let dark = |yy: u32| (x..x1).filter(|&xx| page.get_pixel(xx, yy)[0] < DARK_INK).count() >= 2;
    let mut words = Vec::new();
    for (a, b) in ink_bands(dark, y..y1, (em / 4).max(2)) {
        if b - a < em / 3 {
            continue;
        }
        let (top, bottom) = (a.saturating_sub((b - a) / 2).max(y), (b + (b - a) / 2).min(y1));
        words.extend(ocr.read_words([x, top, x1 - x, bottom - top], Region::Line)?);
    }
    Ok(words)
}

/// Block mode sometimes gives a line's words out of order (a wrapped tail first): words are
/// put back into lines, a word joining the line it overlaps by half its height, and each line
/// read left to right. Words, not glyphs: a glyph's box is only a share of its word's.
fn in_reading_order(words: Vec<crate::ocr::OcrWord>) -> Vec<crate::ocr::OcrWord> {
    let mut lines: Vec<([u32; 2], Vec<crate::ocr::OcrWord>)> = Vec::new();
    for w in words {
        let (y0, y1) = (w.bbox[1], w.bbox[1] + w.bbox[3]);
        let overlaps = |[a, b]: [u32; 2]| y1.min(b).saturating_sub(y0.max(a)) * 2 >= (y1 - y0).min(b - a).max(1);
        match lines.iter_mut().find(|(span, _)| overlaps(*span)) {
            Some((span, line)) => {
                *span = [span[0].min(y0), span[1].max(y1)];
                line.push(w);
            }
            None => lines.push(([y0, y1], vec![w])),
        }
    }
    lines.sort_by_key(|(span, _)| span[0]);
    lines
        .into_iter()
        .flat_map(|(_, mut line)| {
            line.sort_by_key(|w| w.bbox[0]);
            line
        })
        .collect()
}

/// A vote blank that did not read as a number, read again on its own with only numerals
/// allowed, together with the printed words on either side of it (also allowed): the glyph
/// boxes are shares of Tesseract's word boxes, so when a handwritten digit was dropped the
/// word after it claims its place, and the gap between the two words is too narrow to hold
/// it. What stands between the two printed words is the value.
fn read_blank_again(reader: &mut CellReader, ocr: &mut dyn OcrEngine, page: &GrayImage, gs: &[approval::Glyph], a: usize, b: usize, within: [u32; 4]) -> Result<Option<(String, f32)>, OcrError> {
    let Some(left) = a.checked_sub(1).and_then(|i| gs.get(i)) else { return Ok(None) };
    // The last blank's word after it (人) is often misread or wrapped to the next line: then
    // the blank is read from the word before it to four ems on, and ends at 人 if one is read.
    // When the words round the blank stand on two lines, the number may end the first line or
    // begin the second (反对 | 1人): the second line's start is read too if the first gives none.
    // When nothing after the blank was read at all (block mode dropped a short last line,
    // 0人。), the second line's start is read without a word to end at, and with Arabic digits
    // only besides 无: with no printed word read round it, a 无 there came back as 二.
    let right = gs.get(b);
    let places: Vec<([u32; 4], char, &str)> = match right.and_then(|right| anchored_rect(left, right, within).map(|r| (r, right.ch, NUMERALS))) {
        Some(found) => vec![found],
        None => {
            let leading = match right {
                Some(right) => leading_rect(left, right, within).map(|r| (r, right.ch, NUMERALS)),
                None => next_line_start(left, within).map(|r| (r, '人', DIGITS)),
            };
            trailing_rect(left, within).map(|r| (r, '人', NUMERALS)).into_iter().chain(leading).collect()
        }
    };
    for (r, right_ch, numerals) in places {
        let allowed: String = numerals.chars().chain(['无', left.ch, right_ch]).collect();
        let again = read_framed(ocr, page, reader.dpi, r, &allowed)?;
        let text: String = again.text.chars().filter(|c| !c.is_whitespace()).collect();
        // Between the last left anchor and the first right anchor after it.
        let start = text.rfind(left.ch).map_or(0, |i| i + left.ch.len_utf8());
        let end = text[start..].find(right_ch).map_or(text.len(), |i| start + i);
        let cleaned = ocr_text::clean(Kind::Vote, &text[start..end]);
        reader.boxes.push((r, format!("blank again: {cleaned} (read {text})")));
        if parse_count(&cleaned).is_some() {
            return Ok(Some((cleaned, again.confidence)));
        }
    }
    // A count of one digit alone at the start of the line below (反对 | 1人, the 1 on its
    // underline) is dropped by line mode: the piece of that line before the word after the
    // blank is read as one character, digits only. The word's box may hold the digit's ink
    // too (OCR gives ink it read as nothing to the word beside it): only its last em is print.
    if let Some((right, [x, y, _, h])) = right.and_then(|r| leading_rect(left, r, within).map(|lead| (r, lead))) {
        let [rx, _, rw, rh] = right.rect;
        let w = (rx + rw).saturating_sub(rh).max(rx).saturating_sub(x);
        if w >= rh / 3 {
            let framed = framed_piece(page, [x, y, w, h], h / 2 + 4, None);
            let one = read_on(ocr, &framed, page, reader.dpi, |ocr, all| ocr.read_only(all, Region::Char, DIGITS))?;
            let digit: String = one.text.chars().filter(char::is_ascii_digit).collect();
            reader.boxes.push(([x, y, w, h], format!("blank again, one character: {digit}")));
            if digit.chars().count() == 1 {
                return Ok(Some((digit, one.confidence)));
            }
        }
    }
    Ok(None)
}

/// Reads a piece of the page as a line on its own, framed in white paper: read in place, a
/// line whose print touches the rectangle's edge (the sentence's first line sits against the
/// cell's top rule) often comes back empty. The page is set back afterwards.
fn read_framed(ocr: &mut dyn OcrEngine, page: &GrayImage, dpi: f32, [x, y, w, h]: [u32; 4], chars: &str) -> Result<crate::ocr::OcrText, OcrError> {
    let framed = framed_piece(page, [x, y, w, h], h.min(page.height().saturating_sub(y)).max(1) / 2 + 4, None);
    read_on(ocr, &framed, page, dpi, |ocr, all| ocr.read_only(all, Region::Line, chars))
}

/// From the start of the printed word before a blank to four ems after its end, on its line.
fn trailing_rect(left: &approval::Glyph, within: [u32; 4]) -> Option<[u32; 4]> {
    let [x, y, w, h] = left.rect;
    around(x.saturating_sub(h), x + w + 4 * h, y, y + h, h, within)
}

/// From the start of the line below to an em past the printed word after a blank, when that
/// word stands a line below the one before the blank (the sentence wrapped at the blank).
fn leading_rect(left: &approval::Glyph, right: &approval::Glyph, within: [u32; 4]) -> Option<[u32; 4]> {
    let [x, y, w, h] = right.rect;
    if y < left.rect[1] + left.rect[3].max(h) / 2 {
        return None;
    }
    around(within[0], x + w + h, y, y + h, h, within)
}

/// The first five ems of the line below the printed word before a blank (the next line's
/// print starts from half a line to a line below it), for a blank whose line was not read.
fn next_line_start(left: &approval::Glyph, within: [u32; 4]) -> Option<[u32; 4]> {
    let [_, y, _, h] = left.rect;
    let below = y + h;
    around(within[0], within[0] + 5 * h, below + h / 2, below + 2 * h, h, within)
}

/// From the start of the printed word before a blank to the end of the one after it, when
/// both stand on one line. An em more on each side: the glyph boxes are estimates, and
/// Tesseract's line mode reads poorly when the print touches the rectangle's edge.
fn anchored_rect(left: &approval::Glyph, right: &approval::Glyph, within: [u32; 4]) -> Option<[u32; 4]> {
    let h = left.rect[3].max(right.rect[3]);
    let same_line = (left.rect[1] as i64 - right.rect[1] as i64).unsigned_abs() < h as u64 / 2 + 1;
    if !same_line {
        return None;
    }
    let (top, bottom) = (left.rect[1].min(right.rect[1]), left.rect[1].max(right.rect[1]) + h);
    around(left.rect[0].saturating_sub(h), right.rect[0] + right.rect[2] + h, top, bottom, h, within)
}

/// The columns `x0..x1` of the print's line `top..bottom` (`h` high), half a line more above
/// and below (a handwritten number stands taller than the print), clipped to `within`.
fn around(x0: u32, x1: u32, top: u32, bottom: u32, h: u32, within: [u32; 4]) -> Option<[u32; 4]> {
    let (x0, x1) = (x0.max(within[0]), x1.min(within[0] + within[2]));
    let (y0, y1) = (top.saturating_sub(h / 2).max(within[1]), (bottom + h / 2).min(within[1] + within[3]));
    (x1 > x0 && y1 > y0).then(|| [x0, y0, x1 - x0, y1 - y0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::grid::Grid;
    use crate::ocr::OcrWord;
    use super::super::ScanParams;
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    /// Reads the sentence as one word per character (in block mode `block`, a line `line`);
    /// each blank read again gives the next of `again`.
    struct Sentence {
        block: &'static str,
        line: &'static str,
        again: Vec<&'static str>,
        /// The character that starts the second line, if the sentence wraps.
        wrap_at: Option<usize>,
    }
    impl Sentence {
        fn new(block: &'static str, again: Vec<&'static str>) -> Sentence {
            Sentence { block, line: block, again, wrap_at: None }
        }
    }
    impl OcrEngine for Sentence {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: Region) -> Result<crate::ocr::OcrText, OcrError> {
            let text = if self.again.is_empty() { String::new() } else { self.again.remove(0).to_string() };
            Ok(crate::ocr::OcrText { text, confidence: 0.8 })
        }
        fn read_words(&mut self, _: [u32; 4], region: Region) -> Result<Vec<OcrWord>, OcrError> {
            let text = if region == Region::Line { self.line } else { self.block };
            let place = |i: usize| match self.wrap_at {
                Some(w) if i >= w => [10 + 30 * (i - w) as u32, 60, 28, 30],
                _ => [10 + 30 * i as u32, 10, 28, 30],
            };
            Ok(text.chars().enumerate().map(|(i, c)| OcrWord { text: c.into(), bbox: place(i), confidence: 0.9 }).collect())
        }
    }

    /// The sentence read from a page holding one line of ink.
    fn sentence_read(engine: &mut Sentence) -> Vec<(String, String)> {
        let mut page = GrayImage::from_pixel(1200, 110, image::Luma([255]));
        draw_filled_rect_mut(&mut page, Rect::at(10, 10).of_size(1100, 30), image::Luma([0]));
        if engine.wrap_at.is_some() {
            draw_filled_rect_mut(&mut page, Rect::at(10, 60).of_size(200, 30), image::Luma([0]));
        }
        let p = super::super::Prepared { grid: Grid::default(), clean: page.clone(), ink: page.clone() };
        let mut reader = CellReader::new(&p, 300.0, &ScanParams::default());
        let sentence = "经{votes.term}届{votes.session}次职代会通过并公示。出席会议{votes.attended}人，其中同意{votes.approved}人，反对{votes.opposed}人。";
        let read = read_sentence_on(&mut reader, engine, &page, [0, 0, 1200, 110], sentence).unwrap();
        read.into_iter().map(|(blank, value, _)| (blank.to_string(), value)).collect()
    }

    /// A sentence OCR reads as given, each character its own word, whose counts the digits'
    /// engine reads as told.
    struct WithDigits {
        sentence: Sentence,
        digits: Vec<&'static str>,
        /// The engine's confidence in each reading.
        sure: f32,
    }
    impl OcrEngine for WithDigits {
        fn set_page(&mut self, _: &GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, rect: [u32; 4], region: Region) -> Result<crate::ocr::OcrText, OcrError> {
            self.sentence.read(rect, region)
        }
        fn read_words(&mut self, rect: [u32; 4], region: Region) -> Result<Vec<OcrWord>, OcrError> {
            self.sentence.read_words(rect, region)
        }
        fn read_digits(&mut self, _: &GrayImage, _: u32, _: &str) -> Result<Option<crate::ocr::OcrText>, OcrError> {
            Ok(Some(crate::ocr::OcrText { text: self.digits.remove(0).into(), confidence: self.sure }))
        }
    }

    /// The sentence read at 200 dpi from a page where each character has its own ink: print
    /// an em square, digits narrower and lower.
    fn sentence_read_with_digits(engine: &mut WithDigits) -> Vec<(String, String)> {
        let mut page = GrayImage::from_pixel(1500, 60, image::Luma([255]));
        for (i, c) in engine.sentence.block.chars().enumerate() {
            let x = 10 + 30 * i as i32;
            let r = if c.is_ascii_digit() { Rect::at(x + 8, 18).of_size(12, 20) } else { Rect::at(x, 10).of_size(28, 28) };
            draw_filled_rect_mut(&mut page, r, image::Luma([0]));
        }
        let p = super::super::Prepared { grid: Grid::default(), clean: page.clone(), ink: page.clone() };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let sentence = "经{votes.term}届{votes.session}次职代会通过并公示。出席会议{votes.attended}人，其中同意{votes.approved}人，反对{votes.opposed}人。";
        let read = read_sentence_on(&mut reader, engine, &page, [0, 0, 1500, 60], sentence).unwrap();
        read.into_iter().map(|(blank, value, _)| (blank.to_string(), value)).collect()
    }

    #[test]
    fn a_less_sure_reading_fills_in_only_a_digit_dropped() {
        assert!(fills_in("3", "35") && fills_in("5", "35") && fills_in("12", "102"));
        assert!(!fills_in("3", "3") && !fills_in("3", "45") && !fills_in("35", "53") && !fills_in("", ""));
    }

    #[test]
    fn the_digits_engine_corrects_a_count_and_is_not_taken_where_the_counts_would_no_longer_add_up() {
        // chi_sim read the term's serif 5 as 2; the digits' engine reads each count from its
        // ink alone, in order.
        let block = "经2届4次职代会通过并公示。出席会议51人，其中同意50人，反对1人。";
        let mut engine = WithDigits { sentence: Sentence::new(block, vec![]), digits: vec!["5", "4", "51", "50", "1"], sure: 0.96 };
        let read = sentence_read_with_digits(&mut engine);
        let values: Vec<&str> = read.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(values, ["5", "4", "51", "50", "1"]);
        // Where it would make counts that no longer add up (5 attending, 50 for), the first
        // reading stands.
        let mut engine = WithDigits { sentence: Sentence::new(block, vec![]), digits: vec!["2", "4", "5", "50", "1"], sure: 0.96 };
        let values: Vec<String> = sentence_read_with_digits(&mut engine).into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, ["2", "4", "51", "50", "1"]);
    }

    #[test]
    fn readings_the_digits_engine_is_unsure_of_are_taken_only_where_they_make_the_counts_likely() {
        // 出席 155 read 1355 by chi_sim (148 of 1355 for); the digits' engine reads 155 at 0.79.
        let block = "经10届2次职代会通过并公示。出席会议1355人，其中同意148人，反对3人。";
        let mut engine = WithDigits { sentence: Sentence::new(block, vec![]), digits: vec!["10", "2", "155", "148", "3"], sure: 0.79 };
        let values: Vec<String> = sentence_read_with_digits(&mut engine).into_iter().map(|(_, v)| v).collect();
        assert_eq!(&values[2..], ["155", "148", "3"]);
        // Counts likely as read stay, whatever the unsure readings say.
        let block = "经10届2次职代会通过并公示。出席会议155人，其中同意148人，反对3人。";
        let mut engine = WithDigits { sentence: Sentence::new(block, vec![]), digits: vec!["10", "2", "165", "149", "3"], sure: 0.79 };
        let values: Vec<String> = sentence_read_with_digits(&mut engine).into_iter().map(|(_, v)| v).collect();
        assert_eq!(&values[2..], ["155", "148", "3"]);
    }

    #[test]
    fn counts_that_cannot_be_are_read_again_and_kept_when_they_add_up() {
        let text = "经5届3次职代会通过并公示。出席会议42人，其中同意45人，反对0人。";
        let mut engine = Sentence::new(text, vec!["议45人", "意45人", "对0人"]);
        let read = sentence_read(&mut engine);
        assert_eq!(read[2], ("votes.attended".into(), "45".into()));
        assert_eq!(read[3].1, "45");
        // Read again into counts that still cannot be: a count read two ways is given as both
        // (no number, so a person looks); one read the same way both times stands.
        let mut engine = Sentence::new(text, vec!["议40人", "意45人", "对0人"]);
        let read = sentence_read(&mut engine);
        assert_eq!(read[2].1, "42或40");
        assert_eq!(parse_count(&read[2].1), None);
        assert_eq!((read[3].1.as_str(), read[4].1.as_str()), ("45", "0"));
        // Counts that can be are not read again.
        let mut engine = Sentence::new("经5届3次职代会通过并公示。出席会议48人，其中同意45人，反对0人。", vec!["议1人"]);
        assert_eq!(sentence_read(&mut engine)[2].1, "48");
        assert_eq!(engine.again.len(), 1);
    }

    #[test]
    fn only_as_many_second_readings_are_kept_as_make_the_counts_add_up() {
        // 出席 137 read as 1137 (a doubled stroke at the word's edge); read again, 137 is right
        // but a handwritten 135 comes back as 132. 137 = 135 + 2 adds up with the first 135:
        // the second reading of a count is taken only where the first cannot stand. The
        // printed words' characters OCR doubled (议议, 意意) are not read as part of a count.
        let text = "经11届8次职代会通过并公示。出席会议议1137人，其中同意意135人，反对2人。";
        let mut engine = Sentence::new(text, vec!["议137人", "意132人", "对2人"]);
        let read = sentence_read(&mut engine);
        assert_eq!(read[2].1, "137");
        assert_eq!(read[3].1, "135");
        assert_eq!(read[4].1, "2");
    }

    #[test]
    fn a_count_wrapped_to_the_next_line_is_read_at_its_start() {
        // 反对 ends the first line, 1人。 begins the second; the 1 read as 秆.
        let text = "经10届9次职代会通过并公示。出席会议124人，其中同意118人，反对秆人。";
        let wrap = text.chars().position(|c| c == '秆');
        // The first line's end holds nothing; the second line's start the count.
        let mut engine = Sentence { block: text, line: text, again: vec!["对", "1人。"], wrap_at: wrap };
        assert_eq!(sentence_read(&mut engine)[4], ("votes.opposed".into(), "1".into()));
        // Written at the first line's end, it is read there and the second line is not.
        let mut engine = Sentence { block: text, line: text, again: vec!["对1", "9人。"], wrap_at: wrap };
        assert_eq!(sentence_read(&mut engine)[4].1, "1");
        assert_eq!(engine.again, ["9人。"]);
    }

    #[test]
    fn a_lone_digit_dropped_at_a_line_s_start_is_read_as_one_character() {
        // 反对 ends the first line, 1人。 begins the second; every read of the 1 drops it but
        // the last, of the piece before 人 as one character.
        let text = "经10届9次职代会通过并公示。出席会议124人，其中同意118人，反对人。";
        let wrap = Some(text.chars().count() - 2);
        let mut engine = Sentence { block: text, line: text, again: vec!["对", "人。", "1"], wrap_at: wrap };
        assert_eq!(sentence_read(&mut engine)[4], ("votes.opposed".into(), "1".into()));
        // What reads as no single digit there is no count.
        let mut engine = Sentence { block: text, line: text, again: vec!["对", "人。", "人"], wrap_at: wrap };
        assert_eq!(parse_count(&sentence_read(&mut engine)[4].1), None);
    }

    #[test]
    fn a_count_on_a_last_line_that_block_mode_dropped_is_read_at_that_line_s_start() {
        // 反对 ends the first line; the second line (0人。) is not in the block read at all.
        let text = "经10届7次职代会通过并公示。出席会议119人，其中同意116人，反对";
        let mut engine = Sentence { block: text, line: text, again: vec!["对", "0人。"], wrap_at: None };
        assert_eq!(sentence_read(&mut engine)[4], ("votes.opposed".into(), "0".into()));
        assert!(engine.again.is_empty(), "both places were read");
    }

    #[test]
    fn a_sentence_garbled_in_block_mode_is_read_line_by_line() {
        let line = "经4届10次职代会通过并公示。出席会议172人，其中同意169人，反对无人。";
        let mut engine = Sentence { block: "工届从人会通公示。议人，到意无人。", line, again: Vec::new(), wrap_at: None };
        let values: Vec<String> = sentence_read(&mut engine).into_iter().map(|(_, v)| v).collect();
        assert_eq!(values, ["4", "10", "172", "169", "无"]);
    }

    #[test]
    fn words_are_put_back_in_lines_left_to_right() {
        let w = |text: &str, x: u32, y: u32| OcrWord { text: text.into(), bbox: [x, y, 30, 20], confidence: 0.9 };
        let words = vec![w("人。", 0, 50), w("反对", 200, 0), w("经", 0, 2), w("1", 240, 4)];
        let order: Vec<String> = in_reading_order(words).into_iter().map(|w| w.text).collect();
        assert_eq!(order, ["经", "反对", "1", "人。"]);
    }
}
