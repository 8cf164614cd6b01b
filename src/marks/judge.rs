//! One page's approval boxes judged: the seals found on the colour page are given to the box
//! that holds their centre (a seal often overlaps the box line or the next box), and the
//! signer and date zones that the layout found are searched for handwriting.

use image::{GrayImage, RgbImage};

use crate::layout::approval::BoxLayout;
use crate::record::{ApprovalEvidence, Mark};

use super::{find_handwriting, find_seals, InkParams, SealCandidate, SealParams};

#[derive(Debug, Clone)]
pub struct MarksParams {
    pub seal: SealParams,
    pub ink: InkParams,
    /// The resolution seals are looked for at: a 4 cm seal is still 160 px across at 100 dpi,
    /// and the colour page shrunk to it costs a ninth of a 300 dpi one.
    pub colour_dpi: f32,
}

impl Default for MarksParams {
    fn default() -> Self {
        MarksParams { seal: SealParams::default(), ink: InkParams::default(), colour_dpi: 100.0 }
    }
}

/// A page's colour copy at the marks' resolution, turned by its quarter turns but not
/// deskewed: turning its pixels cost a third of the seal search (4.6 ms a page at 100 dpi).
/// Seals are round and found on the copy as it is; their places, and the boxes looked into,
/// are turned between the copy and the upright page instead, as `rotate_bilinear` turns.
#[derive(Debug, Clone, Copy)]
pub struct ColourCopy<'a> {
    pub image: &'a RgbImage,
    /// The angle the upright page was deskewed by (degrees, clockwise positive).
    pub skew_deg: f32,
}

impl<'a> From<&'a RgbImage> for ColourCopy<'a> {
    /// A copy already upright.
    fn from(image: &'a RgbImage) -> Self {
        ColourCopy { image, skew_deg: 0.0 }
    }
}

/// The turn between a colour copy and the upright page, its sine and cosine computed once.
#[derive(Debug, Clone, Copy)]
struct Turn {
    sin: f64,
    cos: f64,
    cx: f64,
    cy: f64,
}

impl Turn {
    /// Where a point of the upright page (colour pixels) lies on the copy.
    fn on_copy(&self, [x, y]: [f32; 2]) -> [f32; 2] {
        let (dx, dy) = (x as f64 - self.cx, y as f64 - self.cy);
        [(self.cos * dx + self.sin * dy + self.cx) as f32, (-self.sin * dx + self.cos * dy + self.cy) as f32]
    }

    /// Where a point of the copy lies on the upright page.
    fn upright(&self, [x, y]: [f32; 2]) -> [f32; 2] {
        let (dx, dy) = (x as f64 - self.cx, y as f64 - self.cy);
        [(self.cos * dx - self.sin * dy + self.cx) as f32, (self.sin * dx + self.cos * dy + self.cy) as f32]
    }
}

impl ColourCopy<'_> {
    fn turn(&self) -> Turn {
        let (sin, cos) = (self.skew_deg as f64).to_radians().sin_cos();
        Turn { sin, cos, cx: self.image.width() as f64 / 2.0, cy: self.image.height() as f64 / 2.0 }
    }

    /// The box round the four corners of `(x0, y0)–(x1, y1)` moved by `to`, clipped to
    /// `[0, w] × [0, h]`.
    fn moved_box(to: impl Fn([f32; 2]) -> [f32; 2], (x0, y0, x1, y1): (f32, f32, f32, f32), (w, h): (u32, u32)) -> (u32, u32, u32, u32) {
        let corners = [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(to);
        let (lo_x, hi_x) = corners.iter().fold((f32::MAX, f32::MIN), |(a, b), c| (a.min(c[0]), b.max(c[0])));
        let (lo_y, hi_y) = corners.iter().fold((f32::MAX, f32::MIN), |(a, b), c| (a.min(c[1]), b.max(c[1])));
        let clip = |v: f32, max: u32| v.clamp(0.0, max as f32);
        (clip(lo_x.floor(), w) as u32, clip(lo_y.floor(), h) as u32, clip(hi_x.ceil(), w) as u32, clip(hi_y.ceil(), h) as u32)
    }

    /// A seal found on (a piece at `offset` of) the copy, in the upright grey page's pixels
    /// (`f` of them per colour pixel).
    fn seal_in_grey(&self, s: SealCandidate, [ox, oy]: [u32; 2], f: f32) -> SealCandidate {
        let [x, y, w, h] = s.bbox;
        let (x0, y0) = ((x + ox) as f32, (y + oy) as f32);
        let turn = self.turn();
        let (a, b, c, d) = Self::moved_box(|p| turn.upright(p), (x0, y0, x0 + w as f32, y0 + h as f32), self.image.dimensions());
        let [cx, cy] = turn.upright([s.center[0] + ox as f32, s.center[1] + oy as f32]);
        SealCandidate { bbox: scaled([a, b, c - a, d - b], f), center: [cx * f, cy * f], ..s }
    }
}

/// What one box holds. Boxes are in the pixels of the grey page the layout read.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxMarks {
    pub id: String,
    pub signature: Mark,
    pub seal: Mark,
    /// The date as written, spelled `2023年4月21日` (or the prefix that was read).
    pub date: Option<String>,
    pub date_confidence: f32,
    pub evidence: ApprovalEvidence,
}

fn contains(r: [u32; 4], p: [f32; 2]) -> bool {
    p[0] >= r[0] as f32 && p[0] < (r[0] + r[2]) as f32 && p[1] >= r[1] as f32 && p[1] < (r[1] + r[3]) as f32
}

/// The share of `a`'s area that lies inside `b`.
fn overlap_share(a: [u32; 4], b: [u32; 4]) -> f32 {
    let w = (a[0] + a[2]).min(b[0] + b[2]).saturating_sub(a[0].max(b[0]));
    let h = (a[1] + a[3]).min(b[1] + b[3]).saturating_sub(a[1].max(b[1]));
    (w as f32 * h as f32) / (a[2] as f32 * a[3] as f32).max(1.0)
}

/// A box scaled by `f` (from one page's pixels to another's).
pub(crate) fn scaled(r: [u32; 4], f: f32) -> [u32; 4] {
    r.map(|v| (v as f32 * f).round() as u32)
}

/// Pen ink that is not red stays ink however pale: in the grey page (luminance, red dropped
/// out) a light blue or faded pen is nearly as pale as seal paste and a signature in it read
/// as absent. Within the boxes, the grey page is darkened wherever the
/// colour copy shows ink that is not red: its darkest channel well below the paper's.
fn with_coloured_ink(seen: &GrayImage, colour: ColourCopy, boxes: &[BoxLayout]) -> GrayImage {
    // Below this the darkest channel is ink; a faded blue pen's is 120–160, paper's above 220,
    // a pale grey scan's background above 190.
    const INK_MIN_CHANNEL: u8 = 165;
    let mut out = seen.clone();
    let turn = colour.turn();
    let colour = colour.image;
    let f = seen.width() as f32 / colour.width().max(1) as f32;
    if f <= 0.0 {
        return out;
    }
    for b in boxes {
        let [x, y, w, h] = b.rect;
        let (cx0, cy0) = ((x as f32 / f) as u32, (y as f32 / f) as u32);
        let (cx1, cy1) = ((((x + w) as f32 / f).ceil() as u32).min(colour.width()), (((y + h) as f32 / f).ceil() as u32).min(colour.height()));
        let (cw, ch) = (colour.width() as f64, colour.height() as f64);
        for cy in cy0..cy1 {
            // Along a row the turn moves by a constant step: a multiply-add per pixel, not a
            // turn of each (this loop covers every pixel of the boxes).
            let [mut sx, mut sy] = turn.on_copy([cx0 as f32, cy as f32]).map(f64::from);
            let (step_x, step_y) = (turn.cos, -turn.sin);
            for cx in cx0..cx1 {
                let (rx, ry) = (sx.round(), sy.round());
                sx += step_x;
                sy += step_y;
                if rx < 0.0 || ry < 0.0 || rx >= cw || ry >= ch {
                    continue;
                }
                let [r, g, bl] = colour.get_pixel(rx as u32, ry as u32).0;
                let low = r.min(g).min(bl);
                // Red (seal paste, a red pen's stamp-like marks) is left to the seal test.
                let red = r as i32 > g as i32 + 50 && r as i32 > bl as i32 + 50;
                if low >= INK_MIN_CHANNEL || red {
                    continue;
                }
                let (px0, py0) = ((cx as f32 * f) as u32, (cy as f32 * f) as u32);
                let (px1, py1) = ((((cx + 1) as f32 * f) as u32).min(out.width()), (((cy + 1) as f32 * f) as u32).min(out.height()));
                for py in py0..py1 {
                    for px in px0..px1 {
                        let p = out.get_pixel_mut(px, py);
                        p[0] = p[0].min(low);
                    }
                }
            }
        }
    }
    out
}

/// The least share of a seal over a box for the box to take it when the seal's centre is in
/// no box: a seal stamped half off the table still shows a quarter of its ring inside.
const ORPHAN_SEAL_SHARE: f32 = 0.15;

/// Judges every box of a page. `seen` is the grey page the layout read (red ink light,
/// ruling lines erased) at `dpi`; `colour` the same page upright at `params.colour_dpi`, or
/// None for a grey copy, whose seals cannot be verified.
pub fn judge_page<'a>(boxes: &[BoxLayout], seen: &GrayImage, dpi: f32, colour: Option<impl Into<ColourCopy<'a>>>, params: &MarksParams) -> Vec<BoxMarks> {
    // The colour copy with its grey pixels per colour pixel; seals in the grey page's pixels.
    let colour: Option<(ColourCopy, f32)> = colour.map(Into::into).map(|c: ColourCopy| (c, seen.width() as f32 / c.image.width().max(1) as f32));
    let seals: Option<Vec<SealCandidate>> = colour.map(|(c, f)| find_seals(c.image, dpi / f, &params.seal).into_iter().map(|s| c.seal_in_grey(s, [0, 0], f)).collect());
    let writing = colour.map(|(c, _)| with_coloured_ink(seen, c, boxes));
    let seen = writing.as_ref().unwrap_or(seen);
    // How many seals each box holds the centre of; and with those it takes off the table's
    // foot (centred in no box), how many it has of its own.
    let centred_in: Vec<usize> = boxes.iter().map(|o| seals.iter().flatten().filter(|t| contains(o.rect, t.center)).count()).collect();
    let owned_by: Vec<usize> = boxes.iter().zip(&centred_in).map(|(o, &n)| n + seals.iter().flatten().filter(|t| orphan_of(t, o.rect, boxes)).count()).collect();
    // The signature and date of each box first: a box holding neither was not signed, and a
    // seal centred in it that lies as much over a signed box was stamped for that one.
    let written: Vec<(ApprovalEvidence, Mark, Option<String>, f32)> = boxes
        .iter()
        .map(|b| {
            let mut ev = ApprovalEvidence { bbox: b.rect, ..ApprovalEvidence::default() };
            let signature = match b.signer_zone {
                Some(zone) => {
                    // The written date is the date's, not a signature: a day's digits reaching
                    // up into the signer's zone are no signature.
                    let mut exclude = b.printed.clone();
                    exclude.extend(b.date_zone);
                    let found = find_handwriting(seen, zone, &exclude, dpi, &params.ink);
                    ev.signature = found.bbox;
                    ev.signature_score = found.score;
                    match found.mark {
                        Mark::Absent if b.signer_supposed => Mark::Uncertain,
                        m => m,
                    }
                }
                // The printed label was not read: the zone cannot be told from the label.
                None => Mark::Uncertain,
            };
            let (date, date_confidence) = match (b.date_zone, b.date_blanks) {
                (Some(zone), Some(blanks)) => {
                    // Whether a date was written is judged in the year's blank, left of 年: the
                    // other blanks lie between printed words OCR may not have placed exactly.
                    let found = find_handwriting(seen, blanks[0], &b.printed, dpi, &params.ink);
                    ev.date = found.bbox.or(Some(zone));
                    let read = b.date_parts.as_ref().and_then(crate::layout::approval::date_text);
                    // A year OCR read in the blanks is written there, however faint the ink
                    // looked; without one, the ink decides.
                    let mark = if read.is_some() { Mark::Present } else { found.mark };
                    ev.date_ink = Some(mark);
                    (read.filter(|_| mark != Mark::Absent), b.date_confidence)
                }
                _ => match b.date_run {
                    // A year read where the date's words were lost: written, though the month
                    // and day cannot be told (the date's confidence asks for a look).
                    Some(run) => {
                        ev.date = Some(run);
                        ev.date_ink = Some(Mark::Present);
                        (b.date_parts.as_ref().and_then(crate::layout::approval::date_text), b.date_confidence)
                    }
                    None => {
                        ev.date_ink = Some(Mark::Uncertain);
                        (None, 0.0)
                    }
                },
            };
            (ev, signature, date, date_confidence)
        })
        .collect();
    let unsigned: Vec<bool> = written.iter().map(|(ev, signature, ..)| *signature == Mark::Absent && ev.date_ink == Some(Mark::Absent)).collect();
    // A seal centred in an unsigned box that reaches over a signed one without a seal of its
    // own (stamped low over the date, into the empty box below) is that one's.
    let given_away = |s: &SealCandidate, from: usize| {
        unsigned[from]
            && boxes.iter().zip(&unsigned).zip(&owned_by).enumerate().any(|(j, ((o, &u), &n))| j != from && !u && n == 0 && overlap_share(s.bbox, o.rect) >= ORPHAN_SEAL_SHARE)
    };
    // The box a seal is the only one centred in, and keeps: not given away, and no faint seal
    // of that box's own besides it (else it was stamped there from the box it reaches over).
    // Asked of a seal by every box it reaches over, and the faint search is costly: once each.
    let kept_by: Vec<std::cell::OnceCell<Option<usize>>> = seals.iter().flatten().map(|_| std::cell::OnceCell::new()).collect();
    let keeper = |k: usize, s: &SealCandidate| {
        *kept_by[k].get_or_init(|| {
            boxes.iter().zip(&owned_by).enumerate().position(|(oi, (o, &n))| {
                contains(o.rect, s.center)
                    && n == 1
                    && !given_away(s, oi)
                    && !colour.and_then(|(c, f)| faint_seal(c, f, dpi, o.rect, &params.seal, Some(s))).is_some_and(|t| t.mark == Mark::Present)
            })
        })
    };
    boxes
        .iter()
        .zip(written)
        .enumerate()
        .map(|(bi, (b, (mut ev, signature, date, date_confidence)))| {
            let seal = match &seals {
                None => Mark::Unverifiable,
                Some(all) => {
                    // A seal belongs to the box that holds its centre; a box without one
                    // also takes a seal that lies mostly over it (stamped across the line
                    // into the next box, whose centre is on the other side).
                    // A seal whose centre is in no box (stamped low, off the table's foot)
                    // belongs to the box it overlaps most, however little.
                    // Of two seals of its own, one reaching over into a box without one is
                    // lent to that box (below): the other is this box's.
                    let lent = |s: &SealCandidate| {
                        owned_by[bi] >= 2 && boxes.iter().zip(&owned_by).enumerate().any(|(oi, (o, &n))| oi != bi && n == 0 && overlap_share(s.bbox, o.rect) >= ORPHAN_SEAL_SHARE)
                    };
                    let centred_all: Vec<&SealCandidate> = all.iter().filter(|s| contains(b.rect, s.center) && !given_away(s, bi)).collect();
                    let own: Vec<&SealCandidate> = centred_all.iter().copied().filter(|s| !lent(s)).collect();
                    // All of them lent: the box keeps them unless it has one off the foot.
                    let centred = if own.is_empty() && owned_by[bi] == centred_in[bi] { centred_all } else { own };
                    let orphan_of_b = |s: &SealCandidate| orphan_of(s, b.rect, boxes);
                    // Nor does a box hold two seals: of two of one box (centred in it, or one
                    // centred and one it takes off the table's foot), one reaching over into a
                    // box without its own was stamped across the line from there.
                    let spare_for_b = |s: &SealCandidate| {
                        overlap_share(s.bbox, b.rect) >= ORPHAN_SEAL_SHARE
                            && boxes.iter().zip(&owned_by).any(|(o, &n)| contains(o.rect, s.center) && n >= 2)
                    };
                    // But a seal that is the only one centred in another box is that box's,
                    // unless the other box holds a seal of its own that the page-wide search
                    // missed (faint): counted for both, it hid a missing seal in the box below
                    // one stamped low over the line.
                    let owns_it = |k: usize, s: &SealCandidate| keeper(k, s).is_some_and(|oi| boxes[oi].rect != b.rect);
                    // And a seal an unsigned box gave away goes to the signed box it reaches.
                    let given_to_b = |s: &SealCandidate| {
                        overlap_share(s.bbox, b.rect) >= ORPHAN_SEAL_SHARE && boxes.iter().enumerate().any(|(oi, o)| oi != bi && contains(o.rect, s.center) && given_away(s, oi))
                    };
                    let pool: Vec<&SealCandidate> =
                        if centred.is_empty() {
                            all.iter()
                                .enumerate()
                                .filter(|(k, s)| !given_away(s, bi) && ((overlap_share(s.bbox, b.rect) >= 0.35 && !owns_it(*k, s) && !lent(s)) || orphan_of_b(s) || spare_for_b(s) || given_to_b(s)))
                                .map(|(_, s)| s)
                                .collect()
                        } else {
                            centred
                        };
                    let mine = pool.into_iter().max_by(|a, b| stronger(a, b)).cloned();
                    // Looked for again as a faint one, the seal it gave away is not found anew.
                    let gave = all.iter().find(|s| contains(b.rect, s.center) && given_away(s, bi));
                    match mine.or_else(|| colour.and_then(|(c, f)| faint_seal(c, f, dpi, b.rect, &params.seal, gave))) {
                        Some(s) => {
                            ev.seal = Some(s.bbox);
                            ev.seal_score = s.score;
                            s.mark
                        }
                        None => Mark::Absent,
                    }
                }
            };
            BoxMarks { id: b.id.clone(), signature, seal, date, date_confidence, evidence: ev }
        })
        .collect()
}

/// Whether the seal `s`, centred in no box (stamped low, off the table's foot), is the box
/// `rect`'s: the box it overlaps most, however little.
fn orphan_of(s: &SealCandidate, rect: [u32; 4], boxes: &[BoxLayout]) -> bool {
    let share = overlap_share(s.bbox, rect);
    share >= ORPHAN_SEAL_SHARE && !boxes.iter().any(|o| contains(o.rect, s.center)) && boxes.iter().all(|o| overlap_share(s.bbox, o.rect) <= share)
}

/// A seal in a box that had none, looked for again in the box alone with paler paste counted
/// as red (`faint_saturation`): a faintly inked seal's ring is a pale pink that the page-wide
/// search, which must not take the chroma fringe of black print for red, leaves out. The ring
/// test is the same, so a fringe still forms no ring. `f` is the grey page's pixels per colour
/// pixel; the box and the result are in the grey page's pixels. A seal `besides` one already
/// found is another: one centred within half a radius of it is that one again.
fn faint_seal(colour: ColourCopy, f: f32, dpi: f32, rect: [u32; 4], p: &SealParams, besides: Option<&SealCandidate>) -> Option<SealCandidate> {
    let cdpi = dpi / f;
    // The seal's centre is in the box; its ring may reach a radius beyond it.
    let reach = p.diameter_mm[1] / 2.0 * super::px_per_mm(cdpi);
    let [x, y, w, h] = scaled(rect, 1.0 / f).map(|v| v as f32);
    let around = (x - reach, y - reach, x + w + reach, y + h + reach);
    let turn = colour.turn();
    let (x0, y0, x1, y1) = ColourCopy::moved_box(|q| turn.on_copy(q), around, colour.image.dimensions());
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let piece = image::imageops::crop_imm(colour.image, x0, y0, x1 - x0, y1 - y0).to_image();
    let faint = SealParams { min_saturation: p.faint_saturation, ..p.clone() };
    let other = |s: &SealCandidate| {
        besides.is_none_or(|b| {
            let r = b.bbox[2].max(b.bbox[3]) as f32 / 4.0;
            (s.center[0] - b.center[0]).hypot(s.center[1] - b.center[1]) > r
        })
    };
    find_seals(&piece, cdpi, &faint).into_iter().map(|s| colour.seal_in_grey(s, [x0, y0], f)).filter(|s| contains(rect, s.center) && other(s)).max_by(stronger)
}

/// Which of two seals a box takes: a `Present` one before any other, then the higher score.
fn stronger(a: &SealCandidate, b: &SealCandidate) -> std::cmp::Ordering {
    (a.mark == Mark::Present, a.score).partial_cmp(&(b.mark == Mark::Present, b.score)).unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Luma, Rgb};
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    #[test]
    fn pale_blue_pen_is_ink_red_paste_is_not_and_only_inside_the_boxes() {
        // The grey page as read: both strokes pale.
        let seen = GrayImage::from_pixel(400, 200, Luma([240]));
        // Its colour copy at half the resolution: a faded blue stroke in the box, a red one in
        // the box, a blue one outside it.
        let mut colour = RgbImage::from_pixel(200, 100, Rgb([245, 245, 242]));
        draw_filled_rect_mut(&mut colour, Rect::at(20, 20).of_size(30, 2), Rgb([130, 150, 210]));
        draw_filled_rect_mut(&mut colour, Rect::at(60, 20).of_size(30, 2), Rgb([215, 50, 60]));
        draw_filled_rect_mut(&mut colour, Rect::at(150, 80).of_size(30, 2), Rgb([130, 150, 210]));
        let boxes = [BoxLayout { rect: [0, 0, 200, 100], ..BoxLayout::default() }];
        let out = with_coloured_ink(&seen, (&colour).into(), &boxes);
        assert_eq!(out.get_pixel(50, 41)[0], 130, "the blue stroke is ink, at the grey page's scale");
        assert_eq!(out.get_pixel(130, 41)[0], 240, "red paste is left to the seal test");
        assert_eq!(out.get_pixel(330, 161)[0], 240, "outside the boxes nothing changes");
    }
}
