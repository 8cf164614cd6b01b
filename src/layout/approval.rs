//! An approval box split into the zones where its marks belong, by the printed words OCR
//! found in it: the signer zone after `负责人签名：`/`负责人签字：`, and the date line of
//! `年 月 日` with the blanks before each word. Positions come from the words' boxes and the
//! print's own size, never from fixed offsets, so a form drawn by another program still splits.

use crate::layout::labels::{edit_distance, squeeze};
use crate::ocr::OcrWord;

/// Where an approval box's marks are to be looked for, in the pixels of the page as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoxLayout {
    pub id: String,
    pub rect: [u32; 4],
    /// The printed signer label, and the zone right of it up to the box's edge.
    pub signer_label: Option<[u32; 4]>,
    pub signer_zone: Option<[u32; 4]>,
    /// The signer label was supposed from the print's place, not read: an empty zone then
    /// proves nothing.
    pub signer_supposed: bool,
    /// The printed 年, 月, 日.
    pub date_words: Option<[[u32; 4]; 3]>,
    /// The date line from the year's blank to 日.
    pub date_zone: Option<[u32; 4]>,
    /// The blanks before 年, 月 and 日, where the digits are written.
    pub date_blanks: Option<[[u32; 4]; 3]>,
    /// The band across the box where the date line is (found or supposed), to be read again
    /// as a date line.
    pub date_band: Option<[u32; 4]>,
    /// A year's digits read in the date's band when its printed 年 月 日 were not (written
    /// over them, or run into the signature): the date is there though its blanks cannot
    /// be placed.
    pub date_run: Option<[u32; 4]>,
    /// The print's character height in pixels.
    pub em: u32,
    /// What OCR read in the blanks before 年, 月 and 日 (digits or Chinese numerals).
    pub date_parts: Option<[String; 3]>,
    /// How many of 年 月 日 OCR read (the others placed by their spacing).
    pub date_words_read: u8,
    pub date_confidence: f32,
    /// Boxes of printed words in the box, kept out of the handwriting judgement.
    pub printed: Vec<[u32; 4]>,
}

/// One character of OCR output with its estimated box: Tesseract gives boxes for words (runs
/// of characters), which are shared out among their characters by their usual widths (a
/// Chinese character a full em, a digit or Latin letter about half).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub ch: char,
    pub rect: [u32; 4],
    pub confidence: f32,
}

pub(crate) fn glyphs(words: &[OcrWord]) -> Vec<Glyph> {
    let mut out = Vec::new();
    for w in words {
        let chars: Vec<char> = w.text.chars().filter(|c| !c.is_whitespace()).collect();
        if chars.is_empty() {
            continue;
        }
        let [x, y, wd, h] = w.bbox;
        let weight = |c: char| if c.is_ascii() { 11u32 } else { 20 };
        let total: u32 = chars.iter().map(|&c| weight(c)).sum();
        let mut before = 0u32;
        for ch in chars {
            let x0 = x + wd * before / total;
            before += weight(ch);
            let x1 = x + wd * before / total;
            out.push(Glyph { ch, rect: [x0, y, (x1 - x0).max(1), h], confidence: w.confidence });
        }
    }
    out
}

fn cy(r: [u32; 4]) -> i64 {
    r[1] as i64 + r[3] as i64 / 2
}

fn union(a: [u32; 4], b: [u32; 4]) -> [u32; 4] {
    let x0 = a[0].min(b[0]);
    let y0 = a[1].min(b[1]);
    let x1 = (a[0] + a[2]).max(b[0] + b[2]);
    let y1 = (a[1] + a[3]).max(b[1] + b[3]);
    [x0, y0, x1 - x0, y1 - y0]
}

/// Clips `[x0, y0, x1, y1]` (signed, exclusive) to `rect`, as `[x, y, w, h]`.
fn clip(x0: i64, y0: i64, x1: i64, y1: i64, rect: [u32; 4]) -> Option<[u32; 4]> {
    let [rx, ry, rw, rh] = rect.map(i64::from);
    let (a, b) = (x0.max(rx), y0.max(ry));
    let (c, d) = (x1.min(rx + rw), y1.min(ry + rh));
    (c > a && d > b).then(|| [a as u32, b as u32, (c - a) as u32, (d - b) as u32])
}

/// The print's character size (its em). Tesseract's boxes for Chinese words are loose (a word
/// box often spans the line's full height, and a two-character word may be three wide), so
/// the size is the median of the smaller side of lone Chinese characters it was sure of,
/// kept within reach of 五号 print at the page's resolution (`fallback`).
fn em(words: &[OcrWord], fallback: u32) -> u32 {
    let mut sizes: Vec<u32> = words
        .iter()
        .filter(|w| w.confidence >= 0.6 && w.text.chars().count() == 1 && w.text.chars().all(|c| !c.is_ascii()))
        .map(|w| w.bbox[2].min(w.bbox[3]))
        .collect();
    sizes.sort_unstable();
    let lo = fallback * 7 / 10;
    let hi = fallback * 16 / 10;
    sizes.get(sizes.len() / 2).copied().map_or(fallback, |s| s.clamp(lo, hi))
}

/// A label's characters, squeezed, without its colon (负责人签名： → 负责人签名).
pub(crate) fn label_core(label: &str) -> Vec<char> {
    squeeze(label).chars().filter(|c| !matches!(c, ':' | '：')).collect()
}

/// The signer label: the best place in the glyph stream where `负责人签` reads with at most one
/// slip (a character misread, dropped or added), or two when two neighbours still read right,
/// and the `名`/`字` and colon after it.
fn find_signer(gs: &[Glyph], label: &str) -> Option<(usize, usize)> {
    let want = label_core(label);
    if want.len() < 3 {
        return None;
    }
    let core = &want[..want.len().min(4)];
    let pairs: Vec<[char; 2]> = core.windows(2).map(|p| [p[0], p[1]]).collect();
    // (start, end, slips)
    let mut best: Option<(usize, usize, usize)> = None;
    for start in 0..gs.len() {
        for len in [core.len(), core.len() - 1, core.len() + 1] {
            if start + len > gs.len() {
                continue;
            }
            let window: Vec<char> = gs[start..start + len].iter().map(|g| g.ch).collect();
            // A window must begin and end on label characters, or a slip at its edge would be
            // counted twice over (a stray glyph taken in, a real one left out).
            if !core.contains(&window[0]) && !core.contains(&window[len - 1]) {
                continue;
            }
            let slips = edit_distance(core, &window);
            // Two slips are forgiven when two neighbours still read right (负责, 签名): a seal's
            // ring or a signature's first stroke often spoils the rest.
            let pair = window.windows(2).any(|p| pairs.contains(&[p[0], p[1]]));
            // All glyphs of the label stand on one line.
            let same_line = gs[start..start + len].windows(2).all(|p| (cy(p[0].rect) - cy(p[1].rect)).abs() < p[0].rect[3] as i64);
            if (slips <= 1 || (slips == 2 && pair)) && same_line && best.is_none_or(|(_, _, m)| slips < m) {
                best = Some((start, start + len, slips));
            }
        }
    }
    let (start, mut end, _) = best?;
    // The rest of the label (名/字) and its colon, when OCR read them on the same line.
    while end < gs.len() && end < start + want.len() + 1 {
        let g = gs[end];
        let on_line = (cy(g.rect) - cy(gs[start].rect)).abs() < gs[start].rect[3] as i64;
        if on_line && (want[core.len()..].contains(&g.ch) || matches!(g.ch, ':' | '：' | ';' | '；' | '.' | '。' | ',' | '，')) {
            end += 1;
        } else {
            break;
        }
    }
    Some((start, end))
}

/// The last line holding 年, 月 and 日 in reading order. One of the three may be missed by OCR
/// (a seal's ring across it): its place is then where the other two's spacing puts it.
/// Gives each word's glyph index (None when placed by spacing) and box.
fn find_date(gs: &[Glyph], em: i64) -> Option<[(Option<usize>, [u32; 4]); 3]> {
    let line = |a: &Glyph, b: &Glyph| (cy(a.rect) - cy(b.rect)).abs() < a.rect[3].max(b.rect[3]) as i64;
    let after = |from: usize, ch: char, anchor: &Glyph| (from + 1..gs.len()).find(|&j| gs[j].ch == ch && line(&gs[j], anchor));
    let shift = |r: [u32; 4], dx: i64| [(r[0] as i64 + dx).max(0) as u32, r[1], r[2], r[3]];
    // (words read, hit): the line with most of its words read wins, the lower on a tie.
    let mut found: Option<(usize, [(Option<usize>, [u32; 4]); 3])> = None;
    for (i, g) in gs.iter().enumerate() {
        let hit = match g.ch {
            '年' => match (after(i, '月', g), after(i, '日', g)) {
                (Some(m), Some(d)) if m < d => Some((3, [(Some(i), g.rect), (Some(m), gs[m].rect), (Some(d), gs[d].rect)])),
                (Some(m), _) => {
                    let step = gs[m].rect[0] as i64 - g.rect[0] as i64;
                    Some((2, [(Some(i), g.rect), (Some(m), gs[m].rect), (None, shift(gs[m].rect, step))]))
                }
                (None, Some(d)) => {
                    let half = (gs[d].rect[0] as i64 - g.rect[0] as i64) / 2;
                    Some((2, [(Some(i), g.rect), (None, shift(g.rect, half)), (Some(d), gs[d].rect)]))
                }
                // 年 alone: the year's blank before it is what tells a date from none.
                (None, None) => Some((1, [(Some(i), g.rect), (None, shift(g.rect, 3 * em)), (None, shift(g.rect, 6 * em))])),
            },
            // 年 missed: 月 then 日 on one line, with no 年 before them on it; or 月 alone,
            // the year's blank then supposed three ems left of it.
            '月' if !gs[..i].iter().any(|p| p.ch == '年' && line(p, g)) => Some(match after(i, '日', g) {
                Some(d) => {
                    let step = gs[d].rect[0] as i64 - g.rect[0] as i64;
                    (2, [(None, shift(g.rect, -step)), (Some(i), g.rect), (Some(d), gs[d].rect)])
                }
                None => (1, [(None, shift(g.rect, -3 * em)), (Some(i), g.rect), (None, shift(g.rect, 3 * em))]),
            }),
            _ => None,
        };
        if let Some((n, h)) = hit {
            if found.as_ref().is_none_or(|(best, _)| n >= *best) {
                found = Some((n, h));
            }
        }
    }
    found.map(|(_, h)| h)
}

/// Sets the date's words, zone, blanks and parts from glyphs that hold 年 月 日.
fn place_date(out: &mut BoxLayout, gs: &[Glyph]) {
    let Some([(iy, gy), (im, gm), (id_, gd)]) = find_date(gs, out.em.max(1) as i64) else { return };
    let (em, rect) = (out.em as i64, out.rect);
    out.date_words = Some([gy, gm, gd]);
    // OCR often reads handwritten digits as nothing and gives their ink to the printed word
    // beside them: 2023年 comes back as 年 alone, in a box four ems wide. Only a character's
    // width of such a box is print (at its end: each blank precedes its word); the rest is the
    // writing, which must not be hidden as print, and the year's blank runs on over it.
    let wide = |r: [u32; 4]| (r[2] as i64) * 5 > em * 8;
    let print_of = |r: [u32; 4]| if wide(r) { [(r[0] + r[2]).saturating_sub(em as u32), r[1], em as u32, r[3]] } else { r };
    out.printed.extend([(iy, gy), (im, gm), (id_, gd)].iter().filter(|(i, _)| i.is_some()).map(|(_, r)| print_of(*r)));
    // The year's blank holds four handwritten digits, each half an em wide or more at the
    // larger size people write: four ems leave room.
    let x0 = gy[0] as i64 - 4 * em;
    let line = union(union(gy, gm), gd);
    let (top, bottom) = (cy(line) - em, cy(line) + em);
    out.date_zone = clip(x0, top, (gd[0] + gd[2]) as i64, bottom, rect);
    out.date_band = clip(rect[0] as i64, top, (rect[0] + rect[2]) as i64, bottom, rect);
    let blank = |a: i64, b: i64| clip(a, top, b, bottom, rect).unwrap_or([a.max(0) as u32, top.max(0) as u32, 1, 1]);
    // When 年 itself was not read, its place is only supposed from the others' spacing (and
    // a glyph's box is only a share of its word's): the year's blank then runs on to 月, so
    // that a year written where 年 was supposed to be is still seen.
    let year_end = match iy {
        Some(_) if wide(gy) => print_of(gy)[0] as i64,
        Some(_) => gy[0] as i64,
        None => (gm[0] as i64).max(gy[0] as i64),
    };
    out.date_blanks = Some([blank(x0, year_end), blank((gy[0] + gy[2]) as i64, gm[0] as i64), blank((gm[0] + gm[2]) as i64, gd[0] as i64)]);
    // What was read in the blanks. A blank is only known between two words read: with 日
    // missed, the year and month are still read (a prefix); with 月 missed, the year alone.
    out.date_parts = None;
    out.date_words_read = [iy, im, id_].iter().filter(|i| i.is_some()).count() as u8;
    if let Some(y) = iy {
        let text = |from: usize, to: usize| -> String { gs[from..to].iter().map(|g| g.ch).collect() };
        let year_from = (0..y).rev().take_while(|&j| (cy(gs[j].rect) - cy(gy)).abs() < em && gs[j].rect[0] as i64 >= x0 - em).last().unwrap_or(y);
        let (month, day, last) = match (im, id_) {
            (Some(m), Some(d)) => (text(y + 1, m), text(m + 1, d), d),
            (Some(m), None) => (text(y + 1, m), String::new(), m),
            (None, _) => (String::new(), String::new(), y),
        };
        out.date_parts = Some([text(year_from, y), month, day]);
        out.date_confidence = gs[year_from..=last].iter().map(|g| g.confidence).fold(1.0, f32::min);
    }
}

/// The band of the lowest line of text in the box: where the date is printed when OCR could
/// not read its words among the handwriting.
fn lowest_line(gs: &[Glyph], em: i64, rect: [u32; 4]) -> Option<[u32; 4]> {
    let sized: Vec<&Glyph> = gs.iter().filter(|g| (g.rect[3] as i64) < 3 * em && (g.rect[3] as i64) * 2 > em).collect();
    let low = sized.iter().map(|g| cy(g.rect)).max()?;
    clip(rect[0] as i64, low - em * 3 / 2, (rect[0] + rect[2]) as i64, low + em * 3 / 2, rect)
}

/// Places the date again from a read of its band as a date line (digits and 年 月 日 only),
/// which the handwriting crowding the printed words cannot throw off as it does a block read.
pub fn refine_date(out: &mut BoxLayout, words: &[OcrWord]) {
    let gs = glyphs(words);
    let read_words = |d: &Option<[(Option<usize>, [u32; 4]); 3]>| d.as_ref().map_or(0, |d| d.iter().filter(|(i, _)| i.is_some()).count());
    // The line's read replaces the box's when it found at least as many of the words.
    let before = out.date_words.is_some().then_some(out.date_words_read == 3);
    let line = find_date(&gs, out.em.max(1) as i64);
    if read_words(&line) >= 3 || (read_words(&line) >= 1 && before != Some(true)) {
        place_date(out, &gs);
    }
}

/// When the date's printed words were not found, the first word of the date-line reads that
/// holds a year, four digits from 20 (202344 for 2023年4月…): the date is written, though
/// its blanks are unknown, and its year is kept. Shorter runs and other digits are left
/// alone: a signature forced into digits by the restricted read gives a few.
pub fn date_from_year<'w>(out: &mut BoxLayout, words: impl IntoIterator<Item = &'w OcrWord>) {
    if out.date_zone.is_some() {
        return;
    }
    for w in words {
        let mut runs = w.text.split(|c: char| !c.is_ascii_digit());
        if let Some(run) = runs.find(|r| r.len() >= 4 && r.starts_with("20")) {
            out.date_run = Some(w.bbox);
            out.date_parts = Some([run[..4].to_string(), String::new(), String::new()]);
            out.date_confidence = w.confidence.min(0.5);
            return;
        }
    }
}

/// Grows the date's zone to hold `rect` too (within the box): for a date placed by 年 alone,
/// whose 月 and 日 are only supposed at the usual spacing, while the written line runs on
/// further and its digits stand taller.
pub fn grow_date_zone(out: &mut BoxLayout, rect: [u32; 4]) {
    let b = out.rect;
    if let Some(z) = out.date_zone.as_mut() {
        let grown = union(*z, rect);
        if let Some(c) = clip(grown[0] as i64, grown[1] as i64, (grown[0] + grown[2]) as i64, (grown[1] + grown[3]) as i64, b) {
            *z = c;
        }
    }
}

/// A written date from the three blanks' digits: a year of four digits from 20xx, a month
/// 1–12, a day 1–31. What does not read as such ends the date there (a prefix, or none).
pub fn date_text(parts: &[String; 3]) -> Option<String> {
    let digits = |s: &str| s.chars().filter(|c| c.is_ascii_digit()).collect::<String>();
    let year = digits(&parts[0]);
    let year = year.find("20").map(|i| &year[i..]).filter(|y| y.len() >= 4).map(|y| &y[..4])?;
    let mut out = format!("{year}年");
    let month: Option<u32> = digits(&parts[1]).parse().ok().filter(|m| (1..=12).contains(m));
    let Some(month) = month else { return Some(out) };
    out.push_str(&format!("{month}月"));
    if let Some(day) = digits(&parts[2]).parse::<u32>().ok().filter(|d| (1..=31).contains(d)) {
        out.push_str(&format!("{day}日"));
    }
    Some(out)
}

/// Splits the box `rect` by the words OCR found in it (below its title or sentence).
/// `label` is the spec's signer label; `dpi` the page's resolution.
pub fn locate(id: &str, rect: [u32; 4], words: &[OcrWord], label: &str, dpi: f32) -> BoxLayout {
    // 五号 print is about 3.7 mm high; the measured size wins when there is one.
    locate_at_size(id, rect, words, label, em(words, (3.7 / 25.4 * dpi).round() as u32))
}

/// `locate` with the print's size known (measured in another box of the page).
pub fn locate_at_size(id: &str, rect: [u32; 4], words: &[OcrWord], label: &str, em: u32) -> BoxLayout {
    let gs = glyphs(words);
    let em = em as i64;
    let mut out = BoxLayout { id: id.to_string(), rect, em: em as u32, ..BoxLayout::default() };
    place_date(&mut out, &gs);
    if out.date_band.is_none() {
        out.date_band = lowest_line(&gs, em, rect);
    }

    place_signer(&mut out, &gs, label);
    keep_seal_word(&mut out, words);
    out
}

/// The box's printed 公章 among `words` (read with the box or with its date line) stays out of
/// the handwriting judgement.
pub fn keep_seal_word(out: &mut BoxLayout, words: &[OcrWord]) {
    out.printed.extend(words.iter().filter(|w| is_seal_word(w)).map(|w| w.bbox));
}

/// Whether OCR read the printed 公章 (alone, and sure of it).
pub fn is_seal_word(w: &OcrWord) -> bool {
    matches!(squeeze(&w.text).as_str(), "公章" | "(公章)" | "（公章）") && w.confidence >= 0.6
}

/// The signer's zone stopped above the date line, as `set_signer` stops it when the date is
/// known first: for a box whose date was placed after its label (read apart). `line` is the
/// date's own line of ink, when the box has one: it stops the zone when the blanks could not
/// be placed (a seal over 年 月 日), or the date's digits would count as the signer's writing.
pub fn stop_signer_above_date(out: &mut BoxLayout, line: Option<[u32; 4]>) {
    if let (Some(z), Some(dz), Some(lab)) = (out.signer_zone.as_mut(), out.date_zone.or(line), out.signer_label) {
        if dz[1] > lab[1] + lab[3] / 2 && dz[1] > z[1] && dz[1] < z[1] + z[3] {
            z[3] = dz[1] - z[1];
        }
    }
}

/// Places the signer label found again in a read restricted to the label's own characters
/// (handwriting pressed against the label throws off a free read of the box).
pub fn refine_signer(out: &mut BoxLayout, words: &[OcrWord], label: &str) {
    place_signer(out, &glyphs(words), label);
}

fn place_signer(out: &mut BoxLayout, gs: &[Glyph], label: &str) {
    let em = out.em.max(1) as i64;
    if let Some((s, e)) = find_signer(gs, label) {
        let mut lab = gs[s..e].iter().fold(gs[s].rect, |acc, g| union(acc, g.rect));
        // The label is as wide as its characters and colon: when OCR lost its end, its width
        // comes from the print's size.
        let chars = squeeze(label).chars().count() as i64;
        lab[2] = lab[2].max((chars * em * 9 / 10 - em / 3).max(0) as u32);
        // Nor wider than its characters and colon: a signature read as the colon (a restricted
        // read forces handwriting into the allowed characters) is not part of it.
        lab[2] = lab[2].min(((chars + 1) * em) as u32);
        set_signer(out, lab);
    }
}

/// The signer zone right of the label `lab`.
fn set_signer(out: &mut BoxLayout, lab: [u32; 4]) {
    let (em, rect) = (out.em.max(1) as i64, out.rect);
    let right = (rect[0] + rect[2]) as i64;
    let bottom = (rect[1] + rect[3]) as i64;
    out.signer_label = Some(lab);
    out.printed.push(lab);
    // A signature is written larger than the print and wanders above and below its line;
    // it stops above the date line when the date is below.
    let mid = cy(lab);
    let mut y1 = mid + 2 * em;
    if let Some(dz) = out.date_zone {
        if (dz[1] as i64) > mid {
            y1 = y1.min(dz[1] as i64);
        }
    }
    out.signer_zone = clip((lab[0] + lab[2]) as i64 + em / 4, mid - 2 * em, right, y1.min(bottom), rect);
}

/// When no read of the box gave the signer label (small print garbled beyond matching:
/// 负责人签名： as 和 二 As:), the label is supposed where print begins on a line above the
/// date: the leftmost run of at least three characters of the print's height within a few
/// lines above the date line, as wide as the label's characters and colon. A signature is
/// written larger than the print, so it does not start the run; the seal's printed word is
/// passed over. Needs the date's line, which places the signer's. Ink found right of it is a
/// signature; none found is no proof of a missing one (`signer_supposed`).
pub fn suppose_signer(out: &mut BoxLayout, words: &[OcrWord], label: &str, dpi: f32) {
    let Some(dz) = out.date_zone.filter(|_| out.signer_zone.is_none()) else { return };
    let chars = label_core(label).len() as i64;
    if chars < 3 {
        return;
    }
    // Print is 2.4–5 mm high (小五 to 小四 and a scanner's blur); the size measured from the
    // box's words would follow the handwriting when the print is what went unread.
    let mm = |v: f32| (v / 25.4 * dpi).round() as i64;
    let print_sized = |r: [u32; 4]| (mm(2.4)..=mm(5.0)).contains(&(r[3] as i64));
    // Above the date's line by its middle: a year written large, or high against the label,
    // starts the date's zone above the label's own middle.
    let above = |r: [u32; 4]| cy(r) < cy(dz) - mm(1.5) && cy(r) >= dz[1] as i64 - 3 * mm(6.0);
    let gs: Vec<Glyph> = glyphs(words)
        .into_iter()
        .filter(|g| print_sized(g.rect) && above(g.rect) && !"公章".contains(g.ch))
        .filter(|g| !out.printed.iter().any(|p| union(*p, g.rect) == *p))
        .collect();
    // The label's width from its print: each character an em, and an em for the colon.
    let width = |s: &Glyph| (chars + 1) * s.rect[3] as i64;
    let run = |s: &Glyph| -> Vec<[u32; 4]> {
        let em = s.rect[3] as i64;
        gs.iter().filter(|g| (cy(g.rect) - cy(s.rect)).abs() < em / 2 && g.rect[0] >= s.rect[0] && (g.rect[0] as i64) < s.rect[0] as i64 + width(s)).map(|g| g.rect).collect()
    };
    let start = gs.iter().filter(|s| run(s).len() >= 3).min_by_key(|s| s.rect[0]);
    if let Some(s) = start {
        // As wide as its characters at the first one's height, or as its run reaches when the
        // first stood shorter than the rest (负 beside 责), and half an em on for the colon
        // (its small dots are no character of the print's height).
        let reach = run(s).iter().map(|r| (r[0] + r[2]) as i64).max().unwrap_or(0) - s.rect[0] as i64 + s.rect[3] as i64 / 2;
        set_signer(out, [s.rect[0], s.rect[1], width(s).max(reach) as u32, s.rect[3]]);
        out.signer_supposed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(text: &str, x: u32, y: u32, wd: u32, h: u32) -> OcrWord {
        OcrWord { text: text.into(), bbox: [x, y, wd, h], confidence: 0.93 }
    }

    #[test]
    fn a_date_zone_is_grown_within_the_box_never_shrunk() {
        let mut out = BoxLayout { rect: [100, 100, 400, 200], date_zone: Some([150, 250, 200, 40]), ..BoxLayout::default() };
        grow_date_zone(&mut out, [150, 240, 270, 50]);
        assert_eq!(out.date_zone, Some([150, 240, 270, 50]));
        grow_date_zone(&mut out, [200, 260, 100, 10]);
        assert_eq!(out.date_zone, Some([150, 240, 270, 50]));
        grow_date_zone(&mut out, [150, 240, 750, 50]);
        assert_eq!(out.date_zone, Some([150, 240, 350, 50]));
        let mut none = BoxLayout { rect: [100, 100, 400, 200], ..BoxLayout::default() };
        grow_date_zone(&mut none, [150, 240, 270, 50]);
        assert_eq!(none.date_zone, None);
    }

    #[test]
    fn a_date_word_that_took_the_digits_before_it_leaves_them_in_the_blank() {
        // 30 px print. The year written at x 100–220 came back as nothing, its ink given to 年
        // (a box from 100 to 250); 4 月 and 20 日 read as they stand.
        let words = [w("负责人签名：", 20, 40, 180, 30), w("年", 100, 100, 150, 30), w("4", 280, 100, 15, 30), w("月", 310, 100, 30, 30), w("20", 370, 100, 30, 30), w("日", 410, 100, 30, 30)];
        let out = locate("x", [0, 0, 600, 160], &words, "负责人签名：", 200.0);
        let [year, _, _] = out.date_blanks.expect("the date placed");
        assert!(year[0] <= 100 && year[0] + year[2] >= 215, "the year's blank holds the year's ink: {year:?}");
        assert!(out.printed.contains(&[220, 100, 30, 30]), "年 is the end of its box: {:?}", out.printed);
        assert!(!out.printed.iter().any(|p| p[0] < 200 && p[1] >= 100), "the year's ink is not print: {:?}", out.printed);
        // A word as wide as its characters stays where it is read.
        let words = [w("2023年", 100, 100, 150, 30), w("4月", 280, 100, 60, 30), w("20日", 370, 100, 70, 30)];
        let out = locate("x", [0, 0, 600, 160], &words, "负责人签名：", 200.0);
        assert_eq!(out.date_parts.as_ref().and_then(date_text).as_deref(), Some("2023年4月20日"));
    }

    #[test]
    fn a_year_read_without_the_dates_words_says_a_date_is_written_and_little_else_does() {
        let mut out = BoxLayout { rect: [0, 0, 600, 200], em: 30, ..BoxLayout::default() };
        // A signature forced into digits, and a month and day without their words: no year.
        date_from_year(&mut out, &[w("1422", 40, 150, 80, 30), w("4 25", 300, 150, 80, 30)]);
        assert_eq!(out.date_run, None);
        date_from_year(&mut out, &[w("7", 40, 150, 20, 30), w("x202344", 300, 150, 140, 30)]);
        assert_eq!(out.date_run, Some([300, 150, 140, 30]));
        assert_eq!(out.date_parts.as_ref().and_then(date_text).as_deref(), Some("2023年"));
        assert!(out.date_confidence <= 0.5, "a year alone is for a person to look at");
        // Where the words placed the date, its blanks decide and a stray year changes nothing.
        let mut placed = BoxLayout { date_zone: Some([0, 150, 600, 40]), ..BoxLayout::default() };
        date_from_year(&mut placed, &[w("2023", 300, 150, 80, 30)]);
        assert_eq!(placed.date_run, None);
    }

    #[test]
    fn a_label_read_beyond_matching_is_supposed_where_print_starts_above_the_date() {
        // 负责人签名： read as 和 二 As: (print 27 px high), a signature written larger after it,
        // and the date line below with its printed words.
        let words = vec![
            w("和", 446, 427, 25, 27),
            w("二", 476, 427, 25, 27),
            w("As:", 506, 428, 92, 26),
            w("娜", 688, 394, 51, 64),
            w("仁花", 740, 408, 90, 57),
            w("2023年", 1018, 520, 124, 32),
            w("4月", 1159, 520, 75, 28),
            w("23日", 1250, 520, 77, 28),
        ];
        let mut out = locate("unit_congress", [364, 214, 1077, 374], &words, "负责人签名：", 200.0);
        assert_eq!(out.signer_zone, None, "the label does not read");
        assert!(out.date_zone.is_some());
        suppose_signer(&mut out, &words, "负责人签名：", 200.0);
        let zone = out.signer_zone.expect("supposed from the print");
        assert!(out.signer_supposed);
        assert!(zone[0] > 598 && zone[0] < 688, "the zone starts after the label's colon, before the signature: {zone:?}");
        // No print on the lines above the date (only writing): nothing is supposed.
        let tall = vec![w("娜", 688, 394, 51, 64), w("仁花", 740, 408, 90, 57), w("2023年", 1018, 520, 124, 32), w("4月", 1159, 520, 75, 28), w("23日", 1250, 520, 77, 28)];
        let mut none = locate("unit_congress", [364, 214, 1077, 374], &tall, "负责人签名：", 200.0);
        suppose_signer(&mut none, &tall, "负责人签名：", 200.0);
        assert_eq!(none.signer_zone, None);
    }

    #[test]
    fn the_signer_zone_stops_above_the_dates_own_line_when_its_words_are_not_placed() {
        // The label read, the date's line below it read as digits only (a seal over 年 月 日).
        let words = [w("负责人签字：", 100, 100, 170, 28), w("202354", 300, 150, 200, 30)];
        let mut out = locate("city_propaganda", [50, 50, 600, 160], &words, "负责人签字：", 200.0);
        assert_eq!(out.date_zone, None);
        let zone = out.signer_zone.expect("zone");
        assert!(zone[1] + zone[3] > 150, "without a date zone the zone reaches the date line: {zone:?}");
        let mut kept = out.clone();
        stop_signer_above_date(&mut kept, None);
        assert_eq!(kept.signer_zone, Some(zone), "no line known: nothing to stop at");
        stop_signer_above_date(&mut out, Some([60, 148, 580, 40]));
        let zone = out.signer_zone.expect("zone");
        assert_eq!(zone[1] + zone[3], 148, "stopped above the date's line: {zone:?}");
    }

    #[test]
    fn zones_follow_the_printed_words_wherever_they_are() {
        for (dx, dy) in [(0u32, 0u32), (137, 61)] {
            let words = vec![
                w("负责", 400 + dx, 420 + dy, 60, 28),
                w("人", 460 + dx, 420 + dy, 30, 28),
                w("签名", 490 + dx, 420 + dy, 60, 28),
                w(":", 550 + dx, 420 + dy, 12, 28),
                w("何立新", 620 + dx, 400 + dy, 200, 60),
                w("公章", 1100 + dx, 470 + dy, 56, 28),
                w("2023", 1050 + dx, 515 + dy, 100, 32),
                w("年", 1150 + dx, 515 + dy, 28, 28),
                w("4", 1190 + dx, 515 + dy, 20, 30),
                w("月", 1225 + dx, 515 + dy, 28, 28),
                w("18", 1265 + dx, 515 + dy, 35, 30),
                w("日", 1315 + dx, 515 + dy, 28, 28),
            ];
            let rect = [300 + dx, 200 + dy, 1150, 380];
            let b = locate("unit_union", rect, &words, "负责人签名：", 200.0);
            let lab = b.signer_label.expect("label found");
            assert_eq!(lab[0], 400 + dx);
            let zone = b.signer_zone.expect("zone");
            assert!(zone[0] >= 562 + dx && zone[0] < 600 + dx, "{zone:?}");
            assert_eq!(zone[0] + zone[2], rect[0] + rect[2]);
            assert!(zone[1] + zone[3] <= 515 + dy, "signer zone stops above the date line: {zone:?}");
            assert_eq!(b.date_parts, Some(["2023".to_string(), "4".to_string(), "18".to_string()]));
            let dz = b.date_zone.expect("date zone");
            assert!(dz[0] < 1060 + dx && dz[0] + dz[2] == 1343 + dx, "{dz:?}");
            assert_eq!(b.printed.len(), 5);
        }
    }

    #[test]
    fn a_slip_in_the_label_is_tolerated_and_a_missing_one_gives_no_zone() {
        let words = vec![w("负责入签字：", 100, 100, 170, 28), w("年", 400, 200, 28, 28), w("月", 460, 200, 28, 28), w("日", 520, 200, 28, 28)];
        let rect = [50, 50, 600, 250];
        let b = locate("county_union", rect, &words, "负责人签字：", 200.0);
        assert!(b.signer_zone.is_some());
        assert_eq!(b.date_parts, Some([String::new(), String::new(), String::new()]));
        let none = locate("county_union", rect, &[w("年", 400, 200, 28, 28)], "负责人签字：", 200.0);
        // 月 alone: the year's blank is supposed left of it.
        let month = locate("county_union", rect, &[w("月", 460, 200, 28, 28)], "负责人签字：", 200.0);
        assert!(month.date_blanks.expect("blanks from 月 alone")[0][0] < 460 - 3 * 28);
        // 日 lost under a seal: placed by the spacing of 年 and 月.
        let two = locate("county_union", rect, &[w("年", 400, 200, 28, 28), w("月", 460, 200, 28, 28)], "负责人签字：", 200.0);
        assert_eq!(two.date_words.map(|d| d[2][0]), Some(520));
        assert_eq!(two.date_parts, Some([String::new(), String::new(), String::new()]));
        // 日 lost, the year and month read: they are kept, a prefix of the date.
        let ym = [w("2023", 330, 200, 60, 28), w("年", 400, 200, 28, 28), w("5", 440, 200, 14, 28), w("月", 460, 200, 28, 28), w("12", 490, 200, 24, 28)];
        let ym = locate("county_union", rect, &ym, "负责人签字：", 200.0);
        assert_eq!(ym.date_parts.as_ref().and_then(date_text).as_deref(), Some("2023年5月"));
        // 月 lost too: what stands between 年 and 日 cannot be told month from day.
        let y_d = [w("2023", 330, 200, 60, 28), w("年", 400, 200, 28, 28), w("512", 440, 200, 50, 28), w("日", 520, 200, 28, 28)];
        let y_d = locate("county_union", rect, &y_d, "负责人签字：", 200.0);
        assert_eq!(y_d.date_parts.as_ref().and_then(date_text).as_deref(), Some("2023年"));
        // 年 lost: its place is supposed from 月 and 日, and the year's blank runs on to 月.
        let no_year = locate("county_union", rect, &[w("月", 460, 200, 28, 28), w("日", 520, 200, 28, 28)], "负责人签字：", 200.0);
        let blank = no_year.date_blanks.expect("blanks from 月 and 日")[0];
        assert_eq!(blank[0] + blank[2], 460);
        assert_eq!(none.signer_zone, None);
        // 年 alone still gives the year's blank, left of it, where a written date starts.
        let year = none.date_blanks.expect("blanks from 年 alone")[0];
        assert_eq!(year[0] + year[2], 400);
        assert_eq!(none.date_parts, Some([String::new(), String::new(), String::new()]));
        let nothing = locate("county_union", rect, &[w("负责", 100, 100, 60, 28)], "负责人签字：", 200.0);
        assert_eq!((nothing.date_zone, nothing.signer_zone), (None, None));
    }

    #[test]
    fn a_dropped_label_character_still_places_the_signer_and_a_colon_read_from_the_signature_does_not_widen_it() {
        let rect = [50, 50, 900, 250];
        // 负 lost: 责人签字 and the colon read as separate words.
        let words = vec![w("责", 128, 100, 28, 28), w("人", 156, 100, 28, 28), w("签字", 184, 100, 56, 28), w(":", 240, 100, 10, 28)];
        let b = locate("county_union", rect, &words, "负责人签字：", 200.0);
        let zone = b.signer_zone.expect("a zone after 责人签字");
        assert!(zone[0] >= 250 && zone[0] < 280, "{zone:?}");
        // A signature forced into the label's characters reads as a colon 300 px wide: the
        // label stops where six characters end.
        let words = vec![w("负责人签字", 100, 100, 140, 28), w(":", 240, 90, 300, 50)];
        let b = locate("county_union", rect, &words, "负责人签字：", 200.0);
        let zone = b.signer_zone.expect("a zone");
        assert!(zone[0] < 400, "the zone starts where the label ends, not after the wide colon: {zone:?}");
        // Two characters wrong and no two neighbours right is not the label.
        let words = vec![w("贝", 100, 100, 28, 28), w("人", 128, 100, 28, 28), w("答", 156, 100, 28, 28), w("字", 184, 100, 28, 28)];
        assert_eq!(locate("county_union", rect, &words, "负责人签字：", 200.0).signer_zone, None);
    }

    fn parts(y: &str, m: &str, d: &str) -> [String; 3] {
        [y.to_string(), m.to_string(), d.to_string()]
    }

    #[test]
    fn dates_keep_what_reads_as_a_date_and_stop_there() {
        assert_eq!(date_text(&parts("2023", "4", "21")).as_deref(), Some("2023年4月21日"));
        assert_eq!(date_text(&parts("20234", "4", "21")).as_deref(), Some("2023年4月21日"));
        assert_eq!(date_text(&parts("2023", "", "21")).as_deref(), Some("2023年"));
        assert_eq!(date_text(&parts("2023", "5", "286")).as_deref(), Some("2023年5月"));
        assert_eq!(date_text(&parts("023", "4", "21")), None);
        assert_eq!(date_text(&parts("2023", "13", "1")).as_deref(), Some("2023年"));
    }
}
