//! A table page: its label cells read and matched to the spec, each field's value taken from
//! the cell right of its label, the row-12 sentence and the approval boxes handed on.

use crate::error::OcrError;
use crate::layout::grid::{Cell, Grid};
use crate::layout::labels::{edit_distance, squeeze, LabelMatcher};
use crate::layout::ocr_text;
use crate::ocr::{OcrEngine, OcrText};
use crate::reading::RawValue;
use crate::spec::{Kind, LabelAt, Part, Place, Spec};

use super::boxes::{infer_boxes, read_boxes};
use super::vote_sentence::read_sentence;
use super::cells::{has_dark_ink, inset, text_lines, CellReader, Lines, Portion};
use super::{first_pass_portion, PageKind, PageReading, Prepared, Probe, ScanParams};

pub(super) fn read_table(p: &Prepared, probed: Probe, dpi: f32, spec: &Spec, ocr: &mut dyn OcrEngine, params: &ScanParams, out: &mut PageReading) -> Result<(), OcrError> {
    let grid = &p.grid;
    let labels = LabelMatcher::new(spec, |f| f.part() == Part::Table);
    let mut reader = CellReader::new(p, dpi, params);
    // Pass 1: the cells that may hold a label (see `first_pass_portion`), less those the
    // orientation probe has read already.
    let mut texts: Vec<Option<(OcrText, Portion)>> = vec![None; grid.cells.len()];
    for (i, t, portion) in probed.cells {
        texts[i] = Some((t, portion));
    }
    for (i, c) in grid.cells.iter().enumerate() {
        if texts[i].is_none() {
            if let Some(portion) = first_pass_portion(grid, c) {
                texts[i] = Some((super::read_first_pass(&mut reader, ocr, grid, c, portion, &labels, spec)?, portion));
            }
        }
        // A cell starting a row holds a label. One that read as none may be a letter-spaced
        // label in a tall cell (个  人  简  历), which block mode breaks up: read again as one
        // line cut to its ink.
        if let Some((t, Portion::Whole)) = &texts[i] {
            if !grid.has_left(c) && !t.text.trim().is_empty() && labels.match_fuzzy(&t.text).is_none() {
                let again = reader.read_one_line(ocr, c)?;
                if labels.match_fuzzy(&again.text).is_some() {
                    texts[i] = Some((again, Portion::Whole));
                } else if text_lines(&p.ink, inset(c, reader.pad), dpi) >= 2 {
                    // A label wrapped over two lines (主要事迹 / (3000字)) centred in a tall
                    // cell: block mode on the tall cell and one line over both lose it.
                    let apart = reader.read_lines_apart(ocr, c, Lines::Text)?;
                    if labels.match_fuzzy(&apart.text).is_some() {
                        texts[i] = Some((apart, Portion::Whole));
                    }
                }
            }
        }
    }
    label_by_place(grid, &mut texts, &labels, spec);
    let grid = &split_unruled_labels(grid, &mut texts, &labels, &mut reader, ocr)?;
    let grid = &split_stacked_labels(grid, &mut texts, &labels, &mut reader, ocr)?;
    out.kind = PageKind::Table;
    let index_of = |cell: &Cell| grid.cells.iter().position(|x| x == cell);
    // Approval boxes found by their label: (id, label cell, box cell).
    let mut known: Vec<(String, Cell, Cell)> = Vec::new();
    for (i, c) in grid.cells.iter().enumerate() {
        let Some((label_text, _)) = &texts[i] else { continue };
        let Some((id, rest)) = labels.match_fuzzy(&label_text.text) else { continue };
        let Some(field) = spec.field(id) else { continue };
        out.labels_found += 1;
        let bbox = |c: &Cell| Some([c.x0, c.y0, c.width(), c.height()]);
        if field.kind == Kind::Approval {
            let inside = matches!(field.place, Place::Table { label_at: LabelAt::Inside, .. });
            let boxed = if inside { c } else {
                match grid.right_of(c) {
                    Some(r) => r,
                    None => continue,
                }
            };
            known.push((field.id.clone(), c.clone(), boxed.clone()));
            if let Some(sentence) = field.approval.as_ref().and_then(|a| a.sentence.as_ref()) {
                for (blank, text, confidence) in read_sentence(&mut reader, ocr, boxed, sentence)? {
                    out.values.push((blank.to_string(), RawValue { text, confidence, page: None, bbox: bbox(boxed) }));
                }
            }
            continue;
        }
        let label_conf = label_text.confidence;
        // What the label cell read besides the label is its value when the value was written
        // into it, not when the cell right of it holds writing: then it is the label's own
        // print misread (政治面貌 wrapped and read as 政治面 / 台面狐).
        let value = if !rest.trim().is_empty() && !reader.written_right_of(grid, c) {
            Some((rest, label_conf, c.clone()))
        } else if let Some(r) = grid.right_of(c) {
            let j = index_of(r).expect("a cell of the grid");
            let whole = match &texts[j] {
                Some((t, Portion::Whole)) => t.clone(),
                _ => match digits_first(&mut reader, ocr, field, r, spec)? {
                    Some(t) => t,
                    None => reader.read(ocr, r, Portion::Whole)?,
                },
            };
            // The neighbour is another label: this field's value cell was not found, unless
            // the value was written into the label's cell.
            if labels.is_label(&whole.text) {
                (!rest.trim().is_empty()).then(|| (rest, label_conf, c.clone()))
            } else {
                Some((whole.text, whole.confidence, r.clone()))
            }
        } else if let Some(open) = grid.open_right_of(c) {
            let t = reader.read(ocr, &open, Portion::Whole)?;
            Some((t.text, t.confidence, open))
        } else {
            None
        };
        if let Some((text, mut confidence, cell)) = value {
            let mut text = if is_hint(&text, field.hint.as_deref()) { String::new() } else { clean_value(spec, field, &text) };
            // Block mode found no text at all in a cell that holds print (a short value wrapped
            // in a narrow cell, 线路调度 / 员): its lines are read side by side, or its one line
            // as a line.
            if text.is_empty() && cell != *c && field.kind != Kind::Multiline && has_dark_ink(&p.clean, inset(&cell, reader.pad)) {
                let lines = if matches!(field.kind, Kind::Month | Kind::Date) { Lines::Digits } else { Lines::Text };
                let again = match reader.read_unwrapped(ocr, &cell, lines)? {
                    Some(t) => t,
                    None => reader.read_one_line(ocr, &cell)?,
                };
                let cleaned = clean_value(spec, field, &again.text);
                if !is_hint(&again.text, field.hint.as_deref()) {
                    (text, confidence) = (cleaned, again.confidence);
                }
            }
            // A listed value that did not read as one: read again as one line cut to its ink
            // (block mode on 党员 centred in a tall cell gives garbage).
            if field.kind == Kind::Enum && !text.is_empty() && !is_listed(field, &text) {
                let again = reader.read_one_line(ocr, &cell)?;
                let cleaned = clean_value(spec, field, &again.text);
                if is_listed(field, &cleaned) {
                    (text, confidence) = (cleaned, again.confidence);
                } else if text_lines(&p.ink, inset(&cell, reader.pad), dpi) >= 2 {
                    let apart = reader.read_lines_apart(ocr, &cell, Lines::Text)?;
                    let cleaned = clean_value(spec, field, &apart.text);
                    if is_listed(field, &cleaned) {
                        (text, confidence) = (cleaned, apart.confidence);
                    }
                }
            }
            // A value of one character (无) read alone comes out as another (5, 褒): read after
            // its label, as in running text. An enum's kept when it is listed, a text's when
            // Tesseract is surer of it.
            let doubtful = match field.kind {
                Kind::Enum => !is_listed(field, &text),
                Kind::Text => true,
                _ => false,
            };
            if doubtful && squeeze(&text).chars().count() == 1 && cell != *c {
                if let Some(after) = reader.read_after_label(ocr, c, &label_text.text, &cell)? {
                    let cleaned = clean_value(spec, field, &after.text);
                    let better = if field.kind == Kind::Enum { is_listed(field, &cleaned) } else { after.confidence > confidence };
                    if !cleaned.is_empty() && better {
                        (text, confidence) = (cleaned, after.confidence);
                    }
                }
            }
            // A one-line value chi_sim is unsure of is read by the second model too, and the
            // surer reading kept (a listed value only for one that is not).
            if matches!(field.kind, Kind::Text | Kind::Name | Kind::Enum) && !text.is_empty() {
                if let Some(again) = reader.second_opinion(ocr, &cell, confidence)? {
                    let cleaned = clean_value(spec, field, &again.text);
                    if second_is_likelier(spec, field, (&text, confidence), (&cleaned, again.confidence)) {
                        (text, confidence) = (cleaned, again.confidence);
                    }
                }
            }
            // A short text wrapped in a narrow cell (生产线操作 / 工): block mode reads each line
            // alone and misreads or drops a character alone on its line. The lines read as
            // one, side by side, each character with its word around it, are kept unless
            // Tesseract is clearly less sure of them.
            if matches!(field.kind, Kind::Text | Kind::Name) && !text.is_empty() && text_lines(&p.ink, inset(&cell, reader.pad), dpi) >= 2 {
                if let Some(joined) = reader.read_unwrapped(ocr, &cell, Lines::Text)? {
                    let cleaned = clean_value(spec, field, &joined.text);
                    if !cleaned.is_empty() && joined.confidence + 0.1 >= confidence {
                        (text, confidence) = (cleaned, joined.confidence);
                    }
                }
            }
            // A month wrapped in a narrow cell (1968.0 / 1): block mode drops or misreads the
            // lone digit of the second line (1968.0 alone is a month too). Read as one line, its
            // lines side by side, digits only, it is kept when it is a month (or date); failing
            // that, the block's read when it is one; failing that, each line read on its own,
            // when it holds more digits.
            if matches!(field.kind, Kind::Month | Kind::Date) && text_lines(&p.ink, inset(&cell, reader.pad), dpi) >= 2 {
                let valid = |s: &str| reads_as(field.kind, s);
                let joined = reader.read_unwrapped(ocr, &cell, Lines::Digits)?.map(|j| (clean_value(spec, field, &j.text), j.confidence));
                match joined {
                    Some((cleaned, c)) if valid(&cleaned) => (text, confidence) = (cleaned, c),
                    _ if valid(&text) => {}
                    _ => {
                        let apart = reader.read_lines_apart(ocr, &cell, Lines::Digits)?;
                        let cleaned = clean_value(spec, field, &apart.text);
                        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
                        if digits(&cleaned) > digits(&text) {
                            (text, confidence) = (cleaned, apart.confidence);
                        }
                    }
                }
            }
            // A month or date of digits alone, an ID or a phone number, that is none as read
            // (4991.11, 1983/17: chi_sim reads a printed 1 as 4, a slash and 7 as /17; 1$0925…;
            // a 0 put in: 139206655858) is read again by the digits' engine, and its reading
            // kept only when it is one. A value written invalid on the paper reads the same and
            // stays, to be flagged.
            if let Some(allowed) = digits_engine_chars(field.kind).filter(|_| needs_digits_engine(field.kind, &text)) {
                if let Some(again) = reader.read_by_digits_engine(ocr, &cell, allowed)? {
                    let cleaned = clean_value(spec, field, &again.text);
                    // An ID number's check character vouches for it where the engine gives
                    // no confidence (15058119810914058X at 0.00, chi_sim's 1$058…).
                    if (again.confidence >= 0.8 || field.kind == Kind::IdNumber) && reads_as(field.kind, &cleaned) {
                        (text, confidence) = (cleaned, again.confidence);
                    }
                }
            }
            out.values.push((field.id.clone(), RawValue { text, confidence, page: None, bbox: bbox(&cell) }));
        }
    }
    birth_month_by_id(&mut reader, ocr, grid, spec, out)?;
    out.ocr_boxes.append(&mut reader.boxes);
    infer_boxes(grid, spec, &mut known);
    crate::timing::timed(crate::timing::Stage::BoxWords, || read_boxes(&p.clean, &known, dpi, spec, ocr, params, out))?;
    Ok(())
}

/// An ID number or a phone number read by the digits' engine first, kept when it reads as
/// one and the engine is sure of it. Its Latin model costs a fraction of chi_sim's per
/// character, and these are the longest values of digits on the form (18 and 11): 27 ms of a
/// form's chi_sim reads became 4. Anything else written there (a number over two lines, a
/// word, a number invalid on the paper) reads as no valid value, and the cell is read by
/// chi_sim as before.
fn digits_first(reader: &mut CellReader, ocr: &mut dyn OcrEngine, field: &crate::spec::Field, cell: &Cell, spec: &Spec) -> Result<Option<OcrText>, OcrError> {
    let kind = field.kind;
    if !matches!(kind, Kind::IdNumber | Kind::Phone) {
        return Ok(None);
    }
    let Some(allowed) = digits_engine_chars(kind) else { return Ok(None) };
    let Some(read) = reader.read_by_digits_engine(ocr, cell, allowed)? else { return Ok(None) };
    let sure = read.confidence >= DIGITS_FIRST_CONFIDENCE && reads_as(kind, &clean_value(spec, field, &read.text));
    Ok(sure.then_some(read))
}

/// 出生年月 read as a valid month other than the ID number's (1906.12 for 1966.12: chi_sim
/// reads a printed 6 as 0) is read again by the digits' engine, and its reading taken when it
/// is the ID's month. A month really written otherwise reads the same again, and stays to be
/// flagged. Only for a valid ID number: its check character vouches for its digits.
fn birth_month_by_id(reader: &mut CellReader, ocr: &mut dyn OcrEngine, grid: &Grid, spec: &Spec, out: &mut PageReading) -> Result<(), OcrError> {
    use crate::fields::normalize::{normalize_id_number, normalize_month};
    let value = |out: &PageReading, id: &str| out.values.iter().position(|(f, _)| f == id);
    let (Some(i), Some(b)) = (value(out, "id_number"), value(out, "birth_month")) else { return Ok(()) };
    let id = normalize_id_number(&out.values[i].1.text);
    if crate::fields::rules::id_number_problem(&id).is_some() {
        return Ok(());
    }
    let id_month = crate::fields::rules::id_birth_month(&id);
    let birth = &out.values[b].1;
    if normalize_month(&birth.text).is_none_or(|m| m == id_month) {
        return Ok(());
    }
    let (Some(field), Some(rect)) = (spec.field("birth_month"), birth.bbox) else { return Ok(()) };
    let Some(cell) = grid.cells.iter().find(|c| [c.x0, c.y0, c.width(), c.height()] == rect).cloned() else { return Ok(()) };
    let Some(allowed) = digits_engine_chars(field.kind) else { return Ok(()) };
    if let Some(again) = reader.read_by_digits_engine(ocr, &cell, allowed)? {
        let cleaned = clean_value(spec, field, &again.text);
        if normalize_month(&cleaned).is_some_and(|m| m == id_month) {
            out.values[b].1.text = cleaned;
            out.values[b].1.confidence = again.confidence;
        }
    }
    Ok(())
}

/// How sure the digits' engine must be of an ID or phone number read first (see
/// `digits_first`); below it, chi_sim reads the cell.
const DIGITS_FIRST_CONFIDENCE: f32 = 0.8;

/// Whether `text` reads as a value of a month, date, ID or phone field: a valid month or date,
/// an ID number valid in shape, birth date and check character, a mobile or landline (false
/// for other kinds).
fn reads_as(kind: Kind, text: &str) -> bool {
    use crate::fields::normalize;
    match kind {
        Kind::Month => normalize::normalize_month(text).is_some(),
        Kind::Date => normalize::normalize_date(text).is_some(),
        Kind::IdNumber => crate::fields::rules::id_number_problem(&normalize::normalize_id_number(text)).is_none(),
        Kind::Phone => normalize::normalize_phone(text).is_some(),
        _ => false,
    }
}

/// Whether a value as read is to be read again by the digits' engine: a kind it reads, and no
/// valid value. A month or date only when read as digits alone (no 年 月: one read as words
/// is not the digits' engine's to read).
fn needs_digits_engine(kind: Kind, text: &str) -> bool {
    let words_allowed = !matches!(kind, Kind::Month | Kind::Date);
    digits_engine_chars(kind).is_some() && !text.is_empty() && (words_allowed || text.is_ascii()) && !reads_as(kind, text)
}

/// What the digits' engine may read for a kind of value (None for the kinds it does not read).
fn digits_engine_chars(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Month | Kind::Date => Some(MONTH_DIGITS),
        Kind::IdNumber => Some("0123456789X"),
        Kind::Phone => Some("0123456789-"),
        _ => None,
    }
}

/// What a month or date written in digits holds, for the digits' engine.
const MONTH_DIGITS: &str = "0123456789./-";

/// A label cell starting a row whose print OCR garbled past matching (个人简历 as 个类 便:历)
/// between two labels matched to rows one apart in the spec is the label of the row between
/// them: the form's rows come in the spec's order. Only the first field of that row, labelled
/// on its left, is taken so.
fn label_by_place(grid: &Grid, texts: &mut [Option<(OcrText, Portion)>], labels: &LabelMatcher, spec: &Spec) {
    let row_of = |id: &str| match spec.field(id).map(|f| &f.place) {
        Some(Place::Table { row, .. }) => Some(*row),
        _ => None,
    };
    let matched_row = |texts: &[Option<(OcrText, Portion)>], c: &Cell| {
        let i = grid.cells.iter().position(|x| x == c)?;
        let (t, _) = texts[i].as_ref()?;
        row_of(labels.match_fuzzy(&t.text)?.0)
    };
    for i in 0..grid.cells.len() {
        let c = &grid.cells[i];
        let Some((t, Portion::Whole)) = &texts[i] else { continue };
        if grid.has_left(c) || t.text.trim().is_empty() || labels.match_fuzzy(&t.text).is_some() {
            continue;
        }
        let Some(above) = grid.cells.iter().find(|a| grid.below(a) == Some(c)) else { continue };
        let (Some(up), Some(down)) = (matched_row(texts, above), grid.below(c).and_then(|b| matched_row(texts, b))) else { continue };
        if down != up + 2 {
            continue;
        }
        let first = spec
            .fields
            .iter()
            .filter_map(|f| match &f.place {
                Place::Table { row, col, label_at: LabelAt::Left, .. } if *row == up + 1 && f.kind != Kind::Approval => Some((*col, f)),
                _ => None,
            })
            .min_by_key(|(col, _)| *col);
        if let Some((_, f)) = first {
            // As read, only less sure: what it read is kept out of the value.
            let confidence = t.confidence.min(0.5);
            texts[i] = Some((OcrText { text: f.label.clone(), confidence }, Portion::Whole));
        }
    }
}

/// A row whose rule between label and value is too faint to be found (a pale scan) is one
/// wide cell with the label on its left and the value beside it; its top strip then reads as
/// the value's first line, not as a label. Such a cell is cut where the label column ends in
/// the other rows, and kept cut when its left part reads as a label.
fn split_unruled_labels(grid: &Grid, texts: &mut Vec<Option<(OcrText, Portion)>>, labels: &LabelMatcher, reader: &mut CellReader, ocr: &mut dyn OcrEngine) -> Result<Grid, OcrError> {
    let mut out = grid.clone();
    // The label column: the right edge of the cells that start rows and hold a label.
    let mut edges: Vec<u32> = grid
        .cells
        .iter()
        .zip(texts.iter())
        .filter(|(c, t)| !grid.has_left(c) && t.as_ref().is_some_and(|(t, p)| *p == Portion::Whole && labels.match_fuzzy(&t.text).is_some()))
        .map(|(c, _)| c.x1)
        .collect();
    if edges.len() < 3 {
        return Ok(out);
    }
    edges.sort_unstable();
    let edge = edges[edges.len() / 2];
    for (i, c) in grid.cells.iter().enumerate() {
        let Some((t, Portion::TopStrip)) = &texts[i] else { continue };
        if labels.match_fuzzy(&t.text).is_some() || edge <= c.x0 || (edge - c.x0) * 3 > c.width() {
            continue;
        }
        let label = Cell { x1: edge, ..c.clone() };
        let read = reader.read(ocr, &label, Portion::Whole)?;
        if labels.match_fuzzy(&read.text).is_none() {
            continue;
        }
        out.cells[i] = label;
        out.cells.push(Cell { x0: edge, ..c.clone() });
        texts[i] = Some((read, Portion::Whole));
        texts.push(None);
    }
    Ok(out)
}

/// Whether an enum field's text is one of its values or aliases.
/// A label cell at a row's start that spans rows its right neighbours keep apart (the rule
/// between 身份证号码 and 工作单位 lost in the label column alone, by the scan or the drawing)
/// holds a label a row: each row's part is read as a cell of its own, and the cell is split
/// when every part reads as a label, each of another field. A label spanning rows on purpose
/// does not read as a label in each part.
fn split_stacked_labels(grid: &Grid, texts: &mut Vec<Option<(OcrText, Portion)>>, labels: &LabelMatcher, reader: &mut CellReader, ocr: &mut dyn OcrEngine) -> Result<Grid, OcrError> {
    let mut out = grid.clone();
    // Where a cell's right edge meets its neighbours' left: within the lines' width.
    let near = reader.pad.max(2) * 2;
    for (i, c) in grid.cells.iter().enumerate() {
        if c.bands < 2 || grid.has_left(c) || !matches!(&texts[i], Some((_, Portion::Whole))) {
            continue;
        }
        let mut rows: Vec<&Cell> = grid
            .cells
            .iter()
            .filter(|o| o.x0 + near >= c.x1 && o.x0 <= c.x1 + near && o.band >= c.band && o.band + o.bands <= c.band + c.bands)
            .collect();
        if rows.len() < 2 {
            continue;
        }
        rows.sort_by_key(|o| o.band);
        let parts: Vec<Cell> = rows.iter().map(|r| Cell { x0: c.x0, x1: c.x1, y0: r.y0, y1: r.y1, band: r.band, bands: r.bands }).collect();
        let mut read = Vec::new();
        for part in &parts {
            read.push(reader.read(ocr, part, Portion::Whole)?);
        }
        let ids: Vec<&str> = read.iter().filter_map(|t| labels.match_fuzzy(&t.text).map(|m| m.0)).collect();
        let distinct = ids.iter().collect::<std::collections::HashSet<_>>().len();
        if ids.len() < parts.len() || distinct < ids.len() {
            continue;
        }
        for (k, (part, t)) in parts.into_iter().zip(read).enumerate() {
            if k == 0 {
                out.cells[i] = part;
                texts[i] = Some((t, Portion::Whole));
            } else {
                out.cells.push(part);
                texts.push(Some((t, Portion::Whole)));
            }
        }
    }
    Ok(out)
}

/// Whether the second model's cleaned reading of a value is likelier than chi_sim's, each
/// with its confidence: a listed value over one that is not, a name starting with a Han
/// surname over one that does not, else the surer. An empty reading never is.
pub(super) fn second_is_likelier(spec: &Spec, field: &crate::spec::Field, (first, c1): (&str, f32), (second, c2): (&str, f32)) -> bool {
    if second.is_empty() {
        return false;
    }
    let fits = |t: &str| match field.kind {
        Kind::Enum => is_listed(field, t),
        Kind::Name => spec.starts_with_surname(t),
        _ => true,
    };
    match (fits(first), fits(second)) {
        (true, false) => false,
        (false, true) => true,
        _ => c2 > c1,
    }
}

fn is_listed(field: &crate::spec::Field, text: &str) -> bool {
    field.values.iter().any(|v| v == text) || field.aliases.contains_key(text)
}

/// What OCR read in a value's place, cleaned for its kind: an enum's value snapped to the
/// nearest allowed one, free text mended against the spec's lexicon.
pub(super) fn clean_value(spec: &Spec, field: &crate::spec::Field, text: &str) -> String {
    let text = ocr_text::clean(field.kind, text);
    match field.kind {
        Kind::Enum => ocr_text::snap_to_values(&text, &field.values, &field.aliases),
        Kind::Text => {
            let text = ocr_text::lexicon_fix(&text, &spec.lexicon, ocr_text::Slips::Inside);
            ocr_text::lexicon_fix(&text, &spec.places, ocr_text::Slips::AlsoAtFreeEnds)
        }
        _ => text,
    }
}

/// The grey placeholder printed in an empty cell of formscan's own template, as OCR reads it.
fn is_hint(text: &str, hint: Option<&str>) -> bool {
    let Some(hint) = hint else { return false };
    let (t, h): (Vec<char>, Vec<char>) = (squeeze(text).chars().collect(), squeeze(hint).chars().collect());
    !t.is_empty() && edit_distance(&t, &h) <= (h.len() / 4).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(x0: u32, x1: u32, band: usize) -> Cell {
        Cell { x0, y0: band as u32 * 100, x1, y1: band as u32 * 100 + 100, band, bands: 1 }
    }

    fn read(text: &str) -> Option<(OcrText, Portion)> {
        Some((OcrText { text: text.into(), confidence: 0.9 }, Portion::Whole))
    }

    /// An engine whose digits' model reads `digits` at `confidence`, and whose chi_sim reads
    /// are counted.
    struct DigitsSay(&'static str, f32, usize);
    impl OcrEngine for DigitsSay {
        fn set_page(&mut self, _: &image::GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, _: [u32; 4], _: crate::ocr::Region) -> Result<OcrText, OcrError> {
            self.2 += 1;
            Ok(OcrText::default())
        }
        fn read_digits(&mut self, _: &image::GrayImage, _: u32, _: &str) -> Result<Option<OcrText>, OcrError> {
            Ok(Some(OcrText { text: self.0.into(), confidence: self.1 }))
        }
    }

    #[test]
    fn an_id_or_phone_number_read_sure_and_valid_by_the_digits_engine_needs_no_chi_sim_read() {
        use imageproc::drawing::draw_filled_rect_mut;
        let spec = Spec::builtin();
        let mut clean = image::GrayImage::from_pixel(600, 80, image::Luma([255]));
        draw_filled_rect_mut(&mut clean, imageproc::rect::Rect::at(40, 25).of_size(400, 28), image::Luma([0]));
        let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let p = Prepared { grid: Grid::default(), clean, ink };
        let cell = Cell { x0: 0, y0: 0, x1: 600, y1: 80, band: 0, bands: 1 };
        let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
        let (id, phone, name) = (spec.field("id_number").unwrap(), spec.field("phone").unwrap(), spec.field("name").unwrap());
        let mut read = |field, says: &'static str, confidence: f32| digits_first(&mut reader, &mut DigitsSay(says, confidence, 0), field, &cell, &spec).unwrap().map(|t| t.text);
        assert_eq!(read(id, "150121199112207913", 0.95).as_deref(), Some("150121199112207913"));
        assert_eq!(read(phone, "13078601285", 0.9).as_deref(), Some("13078601285"));
        // Unsure, invalid (a wrong check digit, a digit short) or another kind: chi_sim reads it.
        assert_eq!(read(id, "150121199112207913", 0.6), None);
        assert_eq!(read(id, "150121199112207914", 0.95), None);
        assert_eq!(read(phone, "1307860128", 0.95), None);
        assert_eq!(read(name, "13078601285", 0.95), None);
    }

    #[test]
    fn a_birth_month_other_than_the_id_numbers_is_read_again_and_taken_only_when_it_agrees() {
        use imageproc::drawing::draw_filled_rect_mut;
        let spec = Spec::builtin();
        let mut clean = image::GrayImage::from_pixel(600, 80, image::Luma([255]));
        draw_filled_rect_mut(&mut clean, imageproc::rect::Rect::at(40, 25).of_size(120, 28), image::Luma([0]));
        let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let cell = Cell { x0: 0, y0: 0, x1: 300, y1: 80, band: 0, bands: 1 };
        let p = Prepared { grid: Grid { cells: vec![cell.clone()], ..Grid::default() }, clean, ink };
        let id = "150622196612198507";
        assert!(reads_as(Kind::IdNumber, id));
        let run = |birth: &str, id: &str, digits: &'static str| {
            let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
            let mut out = PageReading::nothing_yet(0, 0.0);
            let raw = |t: &str| RawValue { text: t.into(), confidence: 0.9, page: None, bbox: Some([0, 0, 300, 80]) };
            out.values.push(("birth_month".into(), raw(birth)));
            out.values.push(("id_number".into(), raw(id)));
            let mut engine = DigitsSay(digits, 0.9, 0);
            birth_month_by_id(&mut reader, &mut engine, &p.grid, &spec, &mut out).unwrap();
            out.values[0].1.text.clone()
        };
        assert_eq!(run("1906.12", id, "1966.12"), "1966.12");
        // Read again otherwise (written so): it stays, to be flagged.
        assert_eq!(run("1995.12", id, "1995.12"), "1995.12");
        // Agreeing already, or an ID that is not valid: not read again.
        assert_eq!(run("1966.12", id, "1906.12"), "1966.12");
        assert_eq!(run("1906.12", "150622196612198508", "1966.12"), "1906.12");
    }

    #[test]
    fn an_id_or_phone_number_is_read_again_only_when_it_is_none() {
        assert!(reads_as(Kind::IdNumber, "150121199112207913"));
        assert!(!reads_as(Kind::IdNumber, "1$0121199112207913"));
        assert!(!reads_as(Kind::IdNumber, "150121199112207914"), "check character wrong");
        assert!(reads_as(Kind::Phone, "13216062962") && reads_as(Kind::Phone, "0474-6728386"));
        assert!(!reads_as(Kind::Phone, "1321600629062"));
        assert_eq!(digits_engine_chars(Kind::IdNumber), Some("0123456789X"));
        assert_eq!(digits_engine_chars(Kind::Text), None);
        assert!(!reads_as(Kind::Text, "13216062962"));
    }

    #[test]
    fn the_second_models_reading_is_kept_when_it_is_likelier() {
        let spec = Spec::builtin();
        let field = |id: &str| spec.field(id).unwrap();
        let name = field("name");
        // A name: one starting with a Han surname wins, however sure the other; else the surer.
        assert!(second_is_likelier(&spec, name, ("圳二虎", 0.7), ("袁二虎", 0.6)));
        assert!(!second_is_likelier(&spec, name, ("邹桂英", 0.65), ("分桂英", 0.78)));
        assert!(second_is_likelier(&spec, name, ("修春雷", 0.65), ("侯春雷", 0.81)));
        assert!(!second_is_likelier(&spec, name, ("托娅", 0.8), ("托嫩", 0.6)));
        // A listed value wins over one that is not.
        let politics = field("political_status");
        assert!(second_is_likelier(&spec, politics, ("内喇兄见", 0.33), ("中共党员", 0.2)));
        assert!(!second_is_likelier(&spec, politics, ("中共党员", 0.5), ("中共觉员", 0.9)));
        // Other text: the surer; an empty reading never.
        let position = field("position");
        assert!(second_is_likelier(&spec, position, ("护主", 0.82), ("护士", 0.94)));
        assert!(!second_is_likelier(&spec, position, ("厂长", 0.82), ("", 0.94)));
    }

    #[test]
    fn only_a_month_of_digits_that_is_none_is_read_again_by_the_digits_engine() {
        assert!(needs_digits_engine(Kind::Month, "4991.11"));
        assert!(needs_digits_engine(Kind::Month, "1983/17"));
        assert!(!needs_digits_engine(Kind::Month, "1991.11"));
        assert!(!needs_digits_engine(Kind::Month, "1983/7"));
        // Written with 年 月: the digits' engine cannot read them.
        assert!(!needs_digits_engine(Kind::Month, "1983年17月"));
        assert!(!needs_digits_engine(Kind::Month, ""));
        assert!(!needs_digits_engine(Kind::Text, "4991.11"));
    }

    #[test]
    fn a_garbled_label_between_two_matched_rows_is_the_row_between() {
        let spec = Spec::builtin();
        let labels = LabelMatcher::new(&spec, |f| f.part() == Part::Table);
        // Awards, the résumé read as 个类便历, social relations; each with its value cell.
        let cells = vec![cell(0, 100, 0), cell(100, 600, 0), cell(0, 100, 1), cell(100, 600, 1), cell(0, 100, 2), cell(100, 600, 2)];
        let grid = Grid { hlines: Vec::new(), vlines: Vec::new(), cells };
        let mut texts = vec![read("何时何地受过何种奖励"), None, read("个类便:历"), None, read("主要社会关系"), None];
        label_by_place(&grid, &mut texts, &labels, &spec);
        let (t, _) = texts[2].as_ref().unwrap();
        assert_eq!(labels.match_fuzzy(&t.text).map(|(id, _)| id), Some("resume"));
        assert!(t.confidence <= 0.5);
        // Without a matched label below it, nothing is supposed.
        let mut texts = vec![read("何时何地受过何种奖励"), None, read("个类便:历"), None, read("某某某"), None];
        label_by_place(&grid, &mut texts, &labels, &spec);
        assert_eq!(texts[2].as_ref().unwrap().0.text, "个类便:历");
    }

    /// Reads 身份证号码 in the top 100 rows of the page and `below` under them.
    struct ByRow(&'static str);
    impl OcrEngine for ByRow {
        fn set_page(&mut self, _: &image::GrayImage, _: u32) -> Result<(), OcrError> {
            Ok(())
        }
        fn read(&mut self, rect: [u32; 4], _: crate::ocr::Region) -> Result<OcrText, OcrError> {
            let text = if rect[1] + rect[3] <= 100 { "身份证号码" } else { self.0 };
            Ok(OcrText { text: text.into(), confidence: 0.9 })
        }
    }

    #[test]
    fn a_label_cell_over_two_rows_kept_apart_on_its_right_is_split_when_each_part_is_a_label() {
        let spec = Spec::builtin();
        let labels = LabelMatcher::new(&spec, |f| f.part() == Part::Table);
        // Print in the label column, both rows.
        let mut clean = image::GrayImage::from_pixel(600, 200, image::Luma([255]));
        imageproc::drawing::draw_filled_rect_mut(&mut clean, imageproc::rect::Rect::at(15, 30).of_size(70, 25), image::Luma([0]));
        imageproc::drawing::draw_filled_rect_mut(&mut clean, imageproc::rect::Rect::at(15, 130).of_size(70, 25), image::Luma([0]));
        let ink = imageproc::contrast::threshold(&clean, 128, imageproc::contrast::ThresholdType::BinaryInverted);
        let p = Prepared { grid: Grid::default(), clean, ink };
        let merged = Cell { x0: 0, y0: 0, x1: 100, y1: 200, band: 0, bands: 2 };
        let grid = Grid { hlines: Vec::new(), vlines: Vec::new(), cells: vec![merged.clone(), cell(100, 600, 0), cell(100, 600, 1)] };
        for (below, split) in [("工作单位", true), ("身份证号码", false), ("呼和浩特市", false)] {
            let mut texts = vec![read("身份证号码 工作单位"), None, None];
            let mut reader = CellReader::new(&p, 200.0, &ScanParams::default());
            let out = split_stacked_labels(&grid, &mut texts, &labels, &mut reader, &mut ByRow(below)).unwrap();
            if split {
                assert_eq!(out.cells.len(), 4);
                assert_eq!((out.cells[0].y1, out.cells[0].bands), (100, 1));
                assert_eq!((out.cells[3].y0, out.cells[3].band), (100, 1));
                assert_eq!(texts[3].as_ref().unwrap().0.text, "工作单位");
            } else {
                assert_eq!(out.cells, grid.cells, "{below} under 身份证号码");
            }
        }
    }
}
