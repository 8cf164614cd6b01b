//! Ink on the approval boxes: red seals, signatures and handwritten dates.
//!
//! The boxes are found on the printed page by their words (`负责人签名：`/`负责人签字：`, `公章` or
//! the box title, `年 月 日`) as pdftotext reports them, never by fixed positions. Marks are drawn
//! as coverage masks (glyphs from AR PL UKai for handwriting, Noto Serif CJK for the seal's
//! text), transformed (tilt, slant) and blended multiplicatively over the page, as ink on paper.

use std::collections::HashSet;
use std::sync::OnceLock;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::RgbImage;
use indexmap::IndexMap;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::spec::{LabelAt, Place, Spec};

use super::render::Word;
use super::values::BoxPlan;

const HAND_FONTS: &[(&str, u32)] = &[("/usr/share/fonts/truetype/arphic/ukai.ttc", 0)];
const SEAL_FONTS: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
];

pub struct Fonts {
    /// Handwriting: AR PL UKai CN.
    pub hand: FontVec,
    /// The seal's text: a bold CJK face.
    pub seal: FontVec,
}

fn load_font(candidates: &[(&str, u32)]) -> Option<FontVec> {
    candidates.iter().find_map(|(path, index)| FontVec::try_from_vec_and_index(std::fs::read(path).ok()?, *index).ok())
}

/// The fonts, loaded once per process.
pub fn fonts() -> Result<&'static Fonts, String> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let hand = load_font(HAND_FONTS).ok_or("the handwriting font AR PL UKai (/usr/share/fonts/truetype/arphic/ukai.ttc) is missing: install the Debian package fonts-arphic-ukai")?;
            let seal = load_font(SEAL_FONTS).ok_or("no CJK font for the seals (Noto CJK under /usr/share/fonts/opentype/noto/): install the Debian package fonts-noto-cjk")?;
            Ok(Fonts { hand, seal })
        })
        .as_ref()
        .map_err(Clone::clone)
}

// ---------------------------------------------------------------- coverage masks

/// Ink coverage, 0–1 per pixel.
#[derive(Debug, Clone)]
pub struct Mask {
    pub w: usize,
    pub h: usize,
    pub data: Vec<f32>,
}

impl Mask {
    pub fn new(w: usize, h: usize) -> Mask {
        Mask { w, h, data: vec![0.0; w * h] }
    }

    fn max_at(&mut self, x: i64, y: i64, v: f32) {
        if x >= 0 && y >= 0 && (x as usize) < self.w && (y as usize) < self.h {
            let i = y as usize * self.w + x as usize;
            if v > self.data[i] {
                self.data[i] = v.min(1.0);
            }
        }
    }

    fn at(&self, x: i64, y: i64) -> f32 {
        if x >= 0 && y >= 0 && (x as usize) < self.w && (y as usize) < self.h {
            self.data[y as usize * self.w + x as usize]
        } else {
            0.0
        }
    }

    /// Bilinear sample at a pixel-centre coordinate.
    fn sample(&self, x: f32, y: f32) -> f32 {
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (x0, y0) = (fx.floor(), fy.floor());
        let (tx, ty) = (fx - x0, fy - y0);
        let (x0, y0) = (x0 as i64, y0 as i64);
        let top = self.at(x0, y0) * (1.0 - tx) + self.at(x0 + 1, y0) * tx;
        let bottom = self.at(x0, y0 + 1) * (1.0 - tx) + self.at(x0 + 1, y0 + 1) * tx;
        top * (1.0 - ty) + bottom * ty
    }

    /// The box `[x0, y0, x1, y1)` holding ink above `t`, if any.
    fn ink_bounds(&self, t: f32) -> Option<(usize, usize, usize, usize)> {
        let mut b: Option<(usize, usize, usize, usize)> = None;
        for y in 0..self.h {
            for x in 0..self.w {
                if self.data[y * self.w + x] > t {
                    b = Some(match b {
                        None => (x, y, x + 1, y + 1),
                        Some((a, c, d, e)) => (a.min(x), c.min(y), d.max(x + 1), e.max(y + 1)),
                    });
                }
            }
        }
        b
    }

    /// Draws `src` into `self`: the point `src_pivot` of `src` lands on `dst_pivot`, and `m`
    /// (a 2×2 matrix, row-major) maps offsets from the pivot.
    fn stamp(&mut self, src: &Mask, src_pivot: (f32, f32), dst_pivot: (f32, f32), m: [f32; 4]) {
        let Some(inv) = invert(m) else { return };
        let (x0, y0, x1, y1) = transformed_bounds(src, src_pivot, dst_pivot, m);
        for y in y0.max(0)..y1.min(self.h as i64) {
            for x in x0.max(0)..x1.min(self.w as i64) {
                let (dx, dy) = (x as f32 + 0.5 - dst_pivot.0, y as f32 + 0.5 - dst_pivot.1);
                let v = src.sample(src_pivot.0 + inv[0] * dx + inv[1] * dy, src_pivot.1 + inv[2] * dx + inv[3] * dy);
                if v > 0.0 {
                    self.max_at(x, y, v);
                }
            }
        }
    }
}

fn invert(m: [f32; 4]) -> Option<[f32; 4]> {
    let det = m[0] * m[3] - m[1] * m[2];
    (det.abs() > 1e-6).then(|| [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det])
}

fn transformed_bounds(src: &Mask, src_pivot: (f32, f32), dst_pivot: (f32, f32), m: [f32; 4]) -> (i64, i64, i64, i64) {
    let corners = [(0.0, 0.0), (src.w as f32, 0.0), (0.0, src.h as f32), (src.w as f32, src.h as f32)];
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (cx, cy) in corners {
        let (dx, dy) = (cx - src_pivot.0, cy - src_pivot.1);
        let (x, y) = (dst_pivot.0 + m[0] * dx + m[1] * dy, dst_pivot.1 + m[2] * dx + m[3] * dy);
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    (x0.floor() as i64 - 1, y0.floor() as i64 - 1, x1.ceil() as i64 + 1, y1.ceil() as i64 + 1)
}

/// Rotation by `deg` (clockwise on the page, whose y axis points down) after a horizontal
/// slant `shear` (negative leans the tops to the right).
fn rotation(deg: f32, shear: f32) -> [f32; 4] {
    let (s, c) = deg.to_radians().sin_cos();
    // R · S with S = [1 shear; 0 1].
    [c, c * shear - s, s, s * shear + c]
}

/// Blends `src`, placed as in [`Mask::stamp`], over the page multiplicatively: each channel is
/// scaled towards the ink's colour by coverage × opacity, as ink darkens paper and print alike.
pub fn ink(page: &mut RgbImage, src: &Mask, src_pivot: (f32, f32), dst_pivot: (f32, f32), m: [f32; 4], color: [u8; 3], opacity: f32) {
    let Some(inv) = invert(m) else { return };
    let (x0, y0, x1, y1) = transformed_bounds(src, src_pivot, dst_pivot, m);
    let (w, h) = (page.width() as i64, page.height() as i64);
    let tint = color.map(|c| 1.0 - c as f32 / 255.0);
    for y in y0.max(0)..y1.min(h) {
        for x in x0.max(0)..x1.min(w) {
            let (dx, dy) = (x as f32 + 0.5 - dst_pivot.0, y as f32 + 0.5 - dst_pivot.1);
            let v = src.sample(src_pivot.0 + inv[0] * dx + inv[1] * dy, src_pivot.1 + inv[2] * dx + inv[3] * dy);
            if v <= 0.0 {
                continue;
            }
            let a = (v * opacity).min(1.0);
            let p = page.get_pixel_mut(x as u32, y as u32);
            for (v, t) in p.0.iter_mut().zip(tint) {
                *v = (*v as f32 * (1.0 - a * t)).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// One glyph's coverage, with the offset of its top-left from the pen (on the baseline) and the
/// pen's advance. None for characters the font lacks (and blanks).
fn glyph(font: &FontVec, ch: char, px: f32) -> Option<(Mask, (f32, f32), f32)> {
    let id = font.glyph_id(ch);
    if id.0 == 0 {
        return None;
    }
    let advance = font.as_scaled(PxScale::from(px)).h_advance(id);
    let outlined = font.outline_glyph(id.with_scale_and_position(px, ab_glyph::point(0.0, 0.0)))?;
    let b = outlined.px_bounds();
    let mut m = Mask::new(b.width().ceil() as usize + 1, b.height().ceil() as usize + 1);
    outlined.draw(|x, y, c| m.max_at(x as i64, y as i64, c));
    Some((m, (b.min.x, b.min.y), advance))
}

/// Text written by hand: each character a little bigger or smaller, higher or lower, tilted,
/// and closer to its neighbour than print. Returned with the baseline's y and the ink's extent.
pub struct HandText {
    pub mask: Mask,
    pub baseline: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
}

/// Writes `text` so that its tallest ink is about `height_px` high.
pub fn hand_text(font: &FontVec, text: &str, height_px: f32, rng: &mut ChaCha8Rng, wobble: f32) -> Option<HandText> {
    let chars: Vec<char> = text.chars().collect();
    let jitter: Vec<(f32, f32, f32, f32)> = chars
        .iter()
        .map(|_| {
            (
                1.0 + rng.random_range(-0.1..0.1f32) * wobble,
                rng.random_range(-0.06..0.06f32) * wobble,
                rng.random_range(-6.0..6.0f32) * wobble,
                rng.random_range(0.78..0.95f32),
            )
        })
        .collect();
    let layout = |px: f32| -> Option<HandText> {
        let pad = px * 0.6;
        let width = chars.len() as f32 * px * 1.2 + 2.0 * pad;
        let mut canvas = Mask::new(width.ceil() as usize, (px * 2.2).ceil() as usize);
        let baseline = px * 1.4;
        let mut pen = pad;
        for (ch, (scale, dy, deg, adv)) in chars.iter().zip(&jitter) {
            let size = px * scale;
            match glyph(font, *ch, size) {
                Some((g, (ox, oy), advance)) => {
                    let centre = (pen + ox + g.w as f32 / 2.0, baseline + dy * px + oy + g.h as f32 / 2.0);
                    canvas.stamp(&g, (g.w as f32 / 2.0, g.h as f32 / 2.0), centre, rotation(*deg, 0.0));
                    // Digits and Latin letters are narrow: keep their own advance.
                    pen += if ch.is_ascii() { advance * (0.9 + adv * 0.1) } else { advance * adv };
                }
                None => pen += size * 0.4,
            }
        }
        let (x0, y0, x1, _) = canvas.ink_bounds(0.3)?;
        Some(HandText { mask: canvas, baseline, left: x0 as f32, right: x1 as f32, top: y0 as f32 })
    };
    let first = layout(height_px * 1.3)?;
    let (_, y0, _, y1) = first.mask.ink_bounds(0.3)?;
    let measured = (y1 - y0) as f32;
    if measured < 1.0 {
        return Some(first);
    }
    layout(height_px * 1.3 * height_px / measured)
}

// ---------------------------------------------------------------- seals

/// A round official seal: ring, five-pointed star, the organisation's name along the upper arc,
/// with uneven ink. `d` is the outer diameter in pixels; the seal's centre is the mask's.
pub fn seal_mask(font: &FontVec, org: &str, d: f32, ring: f32, faint: bool, rng: &mut ChaCha8Rng) -> Mask {
    let size = (d + 6.0).ceil() as usize;
    let mut m = Mask::new(size, size);
    let c = size as f32 / 2.0;
    let r = d / 2.0;
    let inner_ring = rng.random_bool(0.25).then(|| (r - ring - ring * 0.9, (ring * 0.3).max(1.0)));
    // Ring(s), antialiased.
    for y in 0..size {
        for x in 0..size {
            let dist = ((x as f32 + 0.5 - c).powi(2) + (y as f32 + 0.5 - c).powi(2)).sqrt();
            let mut v = (ring / 2.0 - (dist - (r - ring / 2.0)).abs() + 0.5).clamp(0.0, 1.0);
            if let Some((ir, iw)) = inner_ring {
                v = v.max((iw / 2.0 - (dist - ir).abs() + 0.5).clamp(0.0, 1.0));
            }
            if v > 0.0 {
                m.data[y * size + x] = v;
            }
        }
    }
    // Five-pointed star, point up, supersampled.
    let outer = r * rng.random_range(0.28..0.34f32);
    let inner = outer * 0.382;
    let star: Vec<(f32, f32)> = (0..10)
        .map(|k| {
            let a = -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
            let rr = if k % 2 == 0 { outer } else { inner };
            (c + rr * a.cos(), c + rr * a.sin())
        })
        .collect();
    let (sx0, sx1) = ((c - outer).floor() as usize, (c + outer).ceil() as usize);
    for y in sx0..sx1.min(size) {
        for x in sx0..sx1.min(size) {
            let mut hits = 0;
            for sy in 0..3 {
                for sx in 0..3 {
                    let p = (x as f32 + (sx as f32 + 0.5) / 3.0, y as f32 + (sy as f32 + 0.5) / 3.0);
                    hits += i32::from(inside(&star, p));
                }
            }
            if hits > 0 {
                let i = y * size + x;
                m.data[i] = m.data[i].max(hits as f32 / 9.0);
            }
        }
    }
    // The name along the upper arc, read clockwise, each character's top facing outwards.
    let chars: Vec<char> = org.chars().filter(|ch| !ch.is_whitespace()).take(24).collect();
    if !chars.is_empty() {
        let mut s = r * rng.random_range(0.25..0.30f32);
        let mut rt = r - ring - r * 0.04 - s * 0.55;
        let n = chars.len() as f32;
        let max_span = 250f32.to_radians();
        let mut step = s * 1.02 / rt;
        if step * (n - 1.0) > max_span {
            step = max_span / (n - 1.0).max(1.0);
            let fit = step * rt * 0.98;
            if fit < s {
                rt += (s - fit) * 0.5;
                s = fit;
            }
        }
        for (k, ch) in chars.iter().enumerate() {
            let theta = -std::f32::consts::FRAC_PI_2 + (k as f32 - (n - 1.0) / 2.0) * step;
            if let Some((g, _, _)) = glyph(font, *ch, s * 1.1) {
                let at = (c + rt * theta.cos(), c + rt * theta.sin());
                m.stamp(&g, (g.w as f32 / 2.0, g.h as f32 / 2.0), at, rotation(theta.to_degrees() + 90.0, 0.0));
            }
        }
    }
    // Uneven ink: a coarse random field, a pressure gradient across the seal, speckle.
    let cell = (d / 14.0).max(2.0);
    let cells = (size as f32 / cell).ceil() as usize + 2;
    let lo = if faint { 0.35 } else { 0.85 };
    let field: Vec<f32> = (0..cells * cells).map(|_| rng.random_range(lo..1.0f32)).collect();
    let (ga, gs) = (rng.random_range(0.0..std::f32::consts::TAU), rng.random_range(0.0..if faint { 0.35 } else { 0.12f32 }));
    for y in 0..size {
        for x in 0..size {
            let i = y * size + x;
            if m.data[i] <= 0.0 {
                continue;
            }
            let (fx, fy) = (x as f32 / cell, y as f32 / cell);
            let (ix, iy) = (fx as usize, fy as usize);
            let (tx, ty) = (fx - ix as f32, fy - iy as f32);
            let f = |a: usize, b: usize| field[(b.min(cells - 1)) * cells + a.min(cells - 1)];
            let tex = (f(ix, iy) * (1.0 - tx) + f(ix + 1, iy) * tx) * (1.0 - ty) + (f(ix, iy + 1) * (1.0 - tx) + f(ix + 1, iy + 1) * tx) * ty;
            let along = ((x as f32 - c) * ga.cos() + (y as f32 - c) * ga.sin()) / r;
            let speckle = 1.0 - rng.random_range(0.0..if faint { 0.3 } else { 0.08f32 });
            m.data[i] *= (tex * (1.0 - gs * (along + 1.0) / 2.0) * speckle).clamp(0.0, 1.0);
        }
    }
    m
}

fn inside(poly: &[(f32, f32)], p: (f32, f32)) -> bool {
    let mut inside = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[j]);
        if (a.1 > p.1) != (b.1 > p.1) && p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 {
            inside = !inside;
        }
        j = i;
    }
    inside
}

// ---------------------------------------------------------------- where the boxes are

/// The printed words of one approval box that marks are placed against.
#[derive(Debug, Clone)]
pub struct BoxAnchors {
    pub page: usize,
    /// `负责人签名：` / `负责人签字：`.
    pub signer: Word,
    /// The printed `公章` of boxes that print it.
    pub seal_word: Option<Word>,
    /// The box's title (`…意见(公章):`) for boxes that carry it inside.
    pub title: Option<Word>,
    pub year: Word,
    pub month: Word,
    pub day: Word,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn strip_colon(s: &str) -> String {
    squash(s).trim_end_matches([':', '：']).to_string()
}

/// `年`, `月`, `日` on one line: the first `年` at or below `min_y` between `x_from` and `x_to`,
/// and the `月`, `日` after it (a merged `年 月 日` word is split by its width).
fn find_date(words: &[Word], page: usize, min_y: f32, x_from: f32, x_to: f32) -> Option<(Word, Word, Word)> {
    let on = |w: &&Word| w.page == page && w.y0 >= min_y && w.x0 >= x_from && w.x1 <= x_to;
    let first = words
        .iter()
        .filter(on)
        .filter(|w| w.text == "年" || squash(&w.text) == "年月日")
        .min_by(|a, b| (a.y0, a.x0).partial_cmp(&(b.y0, b.x0)).unwrap_or(std::cmp::Ordering::Equal))?;
    if squash(&first.text) == "年月日" {
        let cw = (first.y1 - first.y0) * 0.77;
        let part = |x0: f32, t: &str| Word { page, x0, x1: x0 + cw, y0: first.y0, y1: first.y1, text: t.into() };
        let mid = (first.x0 + first.x1 - cw) / 2.0;
        return Some((part(first.x0, "年"), part(mid, "月"), part(first.x1 - cw, "日")));
    }
    let next = |after: &Word, t: &str| {
        words
            .iter()
            .filter(|w| w.page == page && w.text == t && (w.cy() - after.cy()).abs() < 3.0 && w.x0 >= after.x1 - 1.0 && w.x0 < after.x1 + 60.0)
            .min_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap_or(std::cmp::Ordering::Equal))
            .cloned()
    };
    let month = next(first, "月")?;
    let day = next(&month, "日")?;
    Some((first.clone(), month, day))
}

/// Finds every approval box of the spec on the printed pages.
pub fn locate_boxes(spec: &Spec, words: &[Word]) -> Result<IndexMap<String, BoxAnchors>, String> {
    let signer_labels: Vec<String> = spec.approvals().filter_map(|f| Some(strip_colon(&f.approval.as_ref()?.signer))).collect();
    let is_signer = |w: &Word| {
        let t = strip_colon(&w.text);
        t.chars().count() >= 3 && signer_labels.iter().any(|l| t.starts_with(l.as_str()) || l.starts_with(t.as_str()))
    };
    let signers: Vec<usize> = (0..words.len()).filter(|&i| is_signer(&words[i])).collect();
    let mut used: HashSet<usize> = HashSet::new();
    let mut found: IndexMap<String, BoxAnchors> = IndexMap::new();
    let by_pos = |a: &Word, b: &Word| (a.page, a.y0, a.x0).partial_cmp(&(b.page, b.y0, b.x0)).unwrap_or(std::cmp::Ordering::Equal);

    // Boxes that print their title inside: find the title, then its signer and date below it.
    let titled: Vec<(&crate::spec::Field, Word)> = spec
        .approvals()
        .filter(|f| matches!(f.place, Place::Table { label_at: LabelAt::Inside, .. }))
        .map(|f| {
            let print = squash(&f.print);
            let title = words
                .iter()
                .filter(|w| {
                    let t = squash(&w.text);
                    t.chars().count() >= 4 && print.starts_with(&t)
                })
                .min_by(|a, b| by_pos(a, b))
                .cloned()
                .ok_or_else(|| format!("the title of `{}` ({}) is not on the printed pages", f.id, f.print))?;
            Ok((f, title))
        })
        .collect::<Result<_, String>>()?;
    for (f, title) in &titled {
        let signer = signers
            .iter()
            .copied()
            .filter(|&i| {
                let w = &words[i];
                !used.contains(&i) && w.page == title.page && w.y0 > title.y0 + 1.0 && w.x0 >= title.x0 - 15.0 && w.x0 <= title.x0 + 120.0
            })
            .min_by(|&a, &b| by_pos(&words[a], &words[b]))
            .ok_or_else(|| format!("no signer line below the title of `{}`", f.id))?;
        used.insert(signer);
        let signer = words[signer].clone();
        // The box ends where the next titled box of the same row begins.
        let x_to = titled
            .iter()
            .filter(|(_, t)| t.page == title.page && (t.y0 - title.y0).abs() < 30.0 && t.x0 > title.x0 + 20.0)
            .map(|(_, t)| t.x0 - 2.0)
            .fold(f32::MAX, f32::min);
        let (year, month, day) = find_date(words, signer.page, signer.y0 - 2.0, title.x0 - 5.0, x_to)
            .ok_or_else(|| format!("no 年 月 日 below the signer of `{}`", f.id))?;
        found.insert(f.id.clone(), BoxAnchors { page: signer.page, signer, seal_word: None, title: Some(title.clone()), year, month, day });
    }

    // Boxes labelled on their left: the remaining signer lines, top to bottom, in spec order.
    let mut rest: Vec<usize> = signers.iter().copied().filter(|i| !used.contains(i)).collect();
    rest.sort_by(|&a, &b| by_pos(&words[a], &words[b]));
    let mut rest = rest.into_iter();
    for f in spec.approvals().filter(|f| !matches!(f.place, Place::Table { label_at: LabelAt::Inside, .. })) {
        let i = rest.next().ok_or_else(|| format!("no signer line for `{}`", f.id))?;
        let signer = words[i].clone();
        let (year, month, day) = find_date(words, signer.page, signer.y0 - 2.0, signer.x1, f32::MAX)
            .ok_or_else(|| format!("no 年 月 日 below the signer of `{}`", f.id))?;
        let seal_text = f.approval.as_ref().and_then(|a| a.seal.clone()).map(|s| squash(&s));
        let seal_word = seal_text.and_then(|s| {
            words
                .iter()
                .filter(|w| w.page == signer.page && squash(&w.text) == s && w.y0 >= signer.y0 - 2.0 && w.y1 <= year.y1 + 2.0)
                .max_by(|a, b| a.y0.partial_cmp(&b.y0).unwrap_or(std::cmp::Ordering::Equal))
                .cloned()
        });
        found.insert(f.id.clone(), BoxAnchors { page: signer.page, signer, seal_word, title: None, year, month, day });
    }
    // Keep the spec's order.
    let mut ordered = IndexMap::new();
    for f in spec.approvals() {
        if let Some(a) = found.shift_remove(&f.id) {
            ordered.insert(f.id.clone(), a);
        }
    }
    Ok(ordered)
}

// ---------------------------------------------------------------- drawing

/// Pixels per millimetre and per point at `dpi`.
fn scales(dpi: u32) -> (f32, f32) {
    (dpi as f32 / 25.4, dpi as f32 / 72.0)
}

/// The baseline of a printed word, from its line box (ascent ≈ 0.78 of the box).
fn baseline(w: &Word) -> f32 {
    w.y0 + (w.y1 - w.y0) * 0.78
}

/// Puts the planned ink on one box: signature after the signer line, the date written before
/// 年, 月 and 日, and the seal over the date.
pub fn draw_box(page: &mut RgbImage, dpi: u32, a: &BoxAnchors, plan: &BoxPlan, fonts: &Fonts, rng: &mut ChaCha8Rng) {
    let (mm, pt) = scales(dpi);
    let pen: [u8; 3] = if rng.random_bool(0.6) {
        [rng.random_range(15..40), rng.random_range(25..50), rng.random_range(90..140)]
    } else {
        [rng.random_range(20..40), rng.random_range(20..40), rng.random_range(25..45)]
    };
    let pen_opacity = rng.random_range(0.85..0.97f32);

    if let Some(name) = &plan.signer {
        let height = rng.random_range(5.0..9.0f32) * mm;
        if let Some(t) = hand_text(&fonts.hand, name, height, rng, 1.0) {
            let x = a.signer.x1 * pt + rng.random_range(1.0..7.0f32) * mm;
            let y = baseline(&a.signer) * pt + rng.random_range(-1.5..2.0f32) * mm;
            let m = rotation(rng.random_range(-7.0..5.0), rng.random_range(-0.25..0.05));
            ink(page, &t.mask, (t.left, t.baseline), (x, y), m, pen, pen_opacity);
        }
    }

    if let Some((y, mo, d)) = plan.date {
        let height = rng.random_range(3.2..4.6f32) * mm;
        let base = baseline(&a.year) * pt + rng.random_range(-0.8..0.8f32) * mm;
        let tilt = rng.random_range(-4.0..4.0f32);
        let gap = rng.random_range(0.2..0.9f32) * mm;
        // The year goes before 年; month and day into the narrow gaps before 月 and 日, made
        // smaller to fit and lifted above the line when they still do not.
        let char_w = (a.year.x1 - a.year.x0) * pt;
        let parts = [
            (y.to_string(), Anchor::RightAt(a.year.x0 * pt - gap), f32::MAX),
            (mo.to_string(), Anchor::CentreAt((a.year.x1 + a.month.x0) / 2.0 * pt), (a.month.x0 - a.year.x1) * pt + char_w * 0.6),
            (d.to_string(), Anchor::CentreAt((a.month.x1 + a.day.x0) / 2.0 * pt), (a.day.x0 - a.month.x1) * pt + char_w * 0.6),
        ];
        for (text, anchor, room) in parts {
            let h = height * rng.random_range(0.93..1.07f32);
            let Some(mut t) = hand_text(&fonts.hand, &text, h, rng, 0.6) else { continue };
            let mut lift = 0.0;
            let width = t.right - t.left;
            if width > room {
                let shrink = (room / width).max(0.7);
                if let Some(small) = hand_text(&fonts.hand, &text, h * shrink, rng, 0.6) {
                    t = small;
                }
                if t.right - t.left > room {
                    lift = rng.random_range(1.0..2.5f32) * mm;
                }
            }
            let (pivot_x, x) = match anchor {
                Anchor::RightAt(x) => (t.right, x),
                Anchor::CentreAt(x) => ((t.left + t.right) / 2.0, x),
            };
            let y = base - lift + rng.random_range(-0.3..0.3f32) * mm;
            ink(page, &t.mask, (pivot_x, t.baseline), (x, y), rotation(tilt + rng.random_range(-2.0..2.0), -0.1), pen, pen_opacity);
        }
    }

    if let Some(org) = &plan.seal {
        let d = rng.random_range(40.0..45.0f32) * mm;
        let ring = rng.random_range(0.9..1.3f32) * mm;
        let faint = rng.random_bool(0.15);
        let seal = seal_mask(&fonts.seal, org, d, ring, faint, rng);
        // Over the date, and over the printed 公章 where the box prints one.
        let (dx, dy) = (a.year.cx() * pt, a.year.cy() * pt);
        let (mut cx, mut cy) = match &a.seal_word {
            Some(w) => ((w.cx() * pt + a.month.cx() * pt) / 2.0, (w.cy() * pt + dy) / 2.0),
            None => (dx + rng.random_range(-2.0..8.0f32) * mm, dy - rng.random_range(2.0..9.0f32) * mm),
        };
        cx += rng.random_range(-5.0..5.0f32) * mm;
        cy += rng.random_range(-4.0..4.0f32) * mm;
        if rng.random_bool(0.2) {
            // Stamped off-centre, partly outside the box.
            if rng.random_bool(0.5) {
                cx += rng.random_range(8.0..14.0f32) * mm * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            } else {
                cy += rng.random_range(6.0..12.0f32) * mm;
            }
        }
        let color = [rng.random_range(200..=230), rng.random_range(20..=60), rng.random_range(30..=70)];
        let opacity = if faint { rng.random_range(0.55..0.75f32) } else { rng.random_range(0.9..0.98f32) };
        let c = seal.w as f32 / 2.0;
        ink(page, &seal, (c, c), (cx, cy), rotation(rng.random_range(-35.0..35.0), 0.0), color, opacity);
    }
}

enum Anchor {
    RightAt(f32),
    CentreAt(f32),
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn word(page: usize, x0: f32, y0: f32, x1: f32, text: &str) -> Word {
        Word { page, x0, y0, x1, y1: y0 + 13.65, text: text.into() }
    }

    /// The words of the approval page as LibreOffice prints the built-in template.
    fn approval_page() -> Vec<Word> {
        vec![
            word(2, 162.7, 75.5, 194.2, "经七届"),
            word(2, 74.5, 130.1, 127.0, "所在单位职"),
            word(2, 162.7, 165.5, 225.7, "负责人签名："),
            word(2, 405.0, 183.5, 426.0, "公章"),
            word(2, 445.1, 201.5, 455.6, "年"),
            word(2, 460.3, 201.5, 470.8, "月"),
            word(2, 475.5, 201.5, 486.0, "日"),
            word(2, 162.7, 255.8, 225.7, "负责人签名："),
            word(2, 405.0, 273.8, 426.0, "公章"),
            word(2, 445.1, 291.8, 455.6, "年"),
            word(2, 460.3, 291.8, 470.8, "月"),
            word(2, 475.5, 291.8, 486.0, "日"),
            word(2, 73.6, 333.2, 169.3, "旗县工会意见(公章):"),
            word(2, 274.7, 333.2, 401.9, "旗县党委宣传部意见(公章):"),
            word(2, 97.6, 387.2, 160.6, "负责人签字："),
            word(2, 298.7, 387.2, 361.7, "负责人签字："),
            word(2, 187.1, 405.2, 197.6, "年"),
            word(2, 202.3, 405.2, 212.8, "月"),
            word(2, 217.5, 405.2, 228.0, "日"),
            word(2, 73.6, 446.6, 199.6, "盟市、自治区产业工会意见"),
            word(2, 201.9, 446.6, 234.6, "(公章):"),
            word(2, 445.1, 405.2, 455.6, "年"),
            word(2, 460.3, 405.2, 470.8, "月"),
            word(2, 475.5, 405.2, 486.0, "日"),
            word(2, 274.7, 446.6, 507.5, "盟市委宣传部、自治区产业工会党委(党组)意见(公"),
            word(2, 274.7, 464.6, 292.8, "章):"),
            word(2, 97.6, 500.6, 160.6, "负责人签字："),
            word(2, 187.1, 518.6, 197.6, "年"),
            word(2, 202.3, 518.6, 212.8, "月"),
            word(2, 217.5, 518.6, 228.0, "日"),
            word(2, 298.7, 518.6, 361.7, "负责人签字："),
            word(2, 445.1, 536.6, 486.0, "年月日"),
            word(2, 89.2, 639.8, 517.4, "“获得奖励”一栏，填写格式如，*年*月，被**授予**称号；**年*"),
            word(2, 446.4, 712.6, 456.9, "年"),
        ]
    }

    #[test]
    fn boxes_are_found_by_their_words() {
        let spec = Spec::builtin();
        let boxes = locate_boxes(&spec, &approval_page()).unwrap();
        let ids: Vec<&str> = boxes.keys().map(String::as_str).collect();
        assert_eq!(ids, ["unit_congress", "unit_union", "county_union", "county_propaganda", "city_union", "city_propaganda"]);
        let b = &boxes["unit_congress"];
        assert_eq!((b.signer.y0, b.year.y0, b.seal_word.as_ref().unwrap().y0), (165.5, 201.5, 183.5));
        assert_eq!(boxes["unit_union"].year.y0, 291.8);
        assert_eq!((boxes["county_union"].signer.x0, boxes["county_union"].year.x0), (97.6, 187.1));
        assert_eq!((boxes["county_propaganda"].signer.x0, boxes["county_propaganda"].year.x0), (298.7, 445.1));
        assert_eq!((boxes["city_union"].signer.y0, boxes["city_union"].year.y0), (500.6, 518.6));
        let cp = &boxes["city_propaganda"];
        assert_eq!((cp.signer.y0, cp.year.y0), (518.6, 536.6));
        assert!(cp.month.x0 > cp.year.x1 && cp.day.x0 > cp.month.x1, "merged 年月日 is split");
        assert!(boxes["county_union"].title.is_some() && boxes["county_union"].seal_word.is_none());
    }

    #[test]
    fn a_missing_box_is_an_error() {
        let spec = Spec::builtin();
        let words: Vec<Word> = approval_page().into_iter().filter(|w| !w.text.starts_with("旗县工会")).collect();
        assert!(locate_boxes(&spec, &words).unwrap_err().contains("county_union"));
    }

    #[test]
    fn seals_are_red_rings_with_a_star() {
        let Ok(fonts) = fonts() else { return };
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut page = RgbImage::from_pixel(400, 400, image::Rgb([255, 255, 255]));
        let m = seal_mask(&fonts.seal, "包头钢铁（集团）有限责任公司", 330.0, 9.0, false, &mut rng);
        let c = m.w as f32 / 2.0;
        ink(&mut page, &m, (c, c), (200.0, 200.0), rotation(20.0, 0.0), [215, 40, 50], 0.95);
        let red = |p: &image::Rgb<u8>| p.0[0] > 150 && p.0[1] < 110 && p.0[2] < 120;
        let centre = (-2..=2).flat_map(|dy| (-2..=2).map(move |dx| (dx, dy))).filter(|(dx, dy)| red(page.get_pixel((200 + dx) as u32, (200 + dy) as u32))).count();
        assert!(centre > 20, "star centre {:?}", page.get_pixel(200, 200));
        assert_eq!(page.get_pixel(200, 280).0, [255, 255, 255], "between star and text is paper");
        assert_eq!(page.get_pixel(5, 5).0, [255, 255, 255]);
        let reds = page.pixels().filter(|p| red(p)).count();
        assert!(reds > 6_000, "{reds}");
    }

    #[test]
    fn handwriting_has_the_asked_height() {
        let Ok(fonts) = fonts() else { return };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let t = hand_text(&fonts.hand, "巴特尔", 60.0, &mut rng, 1.0).unwrap();
        let (_, y0, _, y1) = t.mask.ink_bounds(0.3).unwrap();
        assert!(((y1 - y0) as f32 - 60.0).abs() < 8.0, "{}", y1 - y0);
        assert!(t.right - t.left > 120.0);
    }
}
