//! Red official seals: mask, group, propose ring centres, verify the ring.

use image::{GrayImage, Luma, RgbImage};
use imageproc::region_labelling::{connected_components, Connectivity};

use super::fit::{circle_fit, ellipse_fit, longest_arc, Conic};
use super::ring::{polar, Crop};
use super::{blobs, px_per_mm, Blob};
use crate::record::Mark;

/// Parameters of seal finding. Lengths in millimetres, angles in degrees.
#[derive(Debug, Clone)]
pub struct SealParams {
    /// Hue bands of red ink: `[0, red_hue_max]` and `[red_hue_min, 360)`. Seal paste runs
    /// from crimson (≈345°) to vermilion (≈15°); 25° still excludes the yellow of aged paper
    /// and of scanner colour casts (40–60°).
    pub red_hue_max: f32,
    pub red_hue_min: f32,
    /// Saturation (max−min)/max. A faint seal's pale pink keeps about 0.2; grey print, black
    /// ink's edges and paper stay below 0.15 even after JPEG chroma smearing.
    pub min_saturation: f32,
    /// Saturation from which red is seen when a box without a seal is searched again alone:
    /// a faintly inked seal's ring measures 0.1–0.35 (most of it under `min_saturation`). Only
    /// in the box, after the page found nothing there, and with the same ring test.
    pub faint_saturation: f32,
    /// Saturation from which ink near a proposed ring counts towards it: a faint seal's
    /// paste thins to a pale pink at 0.08–0.15, too weak to find a seal by but enough to
    /// confirm one, as paper, grey print and scanner noise stay below 0.05.
    pub weak_saturation: f32,
    /// Value (the brightest channel, 0–1). Below 0.4 a pixel is dark ink whose hue is noise;
    /// red paste's own channel stays above 0.55 even where it is thick.
    pub min_value: f32,
    pub max_value: f32,
    /// Gaps closed in the mask: speckled paste, a thin black line crossing the ring.
    pub close_mm: f32,
    /// Red components smaller than this are dust or chroma noise.
    pub speck_mm2: f32,
    /// Components nearer than this belong to one group (a seal's pieces are within 1–3 mm,
    /// a faint ring's up to 5 mm).
    pub group_gap_mm: f32,
    /// Diameter of a clear seal: official round seals are 40–45 mm (38 mm for some units),
    /// and a scan or copy may scale by ±10 %.
    pub diameter_mm: [f32; 2],
    /// Wider diameter range still reported, as `Uncertain` (a scan shrunk or enlarged by
    /// up to a third); smaller circles are mostly ones grazing red print or scribbles.
    pub loose_diameter_mm: [f32; 2],
    /// Half-width of the band around the fitted ring where its ink is looked for: the ring
    /// is about 1 mm wide, plus the error of the fit.
    pub ring_band_mm: f32,
    /// Angular sectors of the ring test (5° each).
    pub sectors: usize,
    /// Share of visible sectors with ink on the ring: a seal over black print loses a few
    /// sectors, a faint seal a few more; a line of red text crossing a seal-sized circle
    /// inks 2–8 of 72; below `uncertain_coverage` (a quarter) nothing is reported.
    pub present_coverage: f32,
    pub uncertain_coverage: f32,
    /// Share of the ring inside the image needed for `Present` (a seal half cut is `Uncertain`).
    pub present_visible: f32,
    /// The longest inked arc (short gaps bridged), as a share of the whole circle, needed for
    /// any candidate: 108°. Print or a scribble grazing a circle inks arcs of 30–100°.
    pub min_arc: f32,
    /// Smallest minor/major axis ratio of the ring (a seal on a scan with unequal x/y scale).
    pub min_axis_ratio: f32,
    /// Share of the disc inside the ring covered by red ink (text, star) for `Present`: a
    /// seal prints 8–20 %, a hand-drawn circle none.
    pub min_interior: f32,
}

impl Default for SealParams {
    fn default() -> Self {
        SealParams {
            red_hue_max: 25.0,
            red_hue_min: 330.0,
            min_saturation: 0.18,
            faint_saturation: 0.11,
            weak_saturation: 0.08,
            min_value: 0.40,
            max_value: 1.0,
            close_mm: 0.5,
            speck_mm2: 0.3,
            group_gap_mm: 5.0,
            diameter_mm: [34.0, 52.0],
            loose_diameter_mm: [30.0, 58.0],
            ring_band_mm: 1.5,
            sectors: 72,
            present_coverage: 0.6,
            uncertain_coverage: 0.25,
            present_visible: 0.6,
            min_arc: 0.3,
            min_axis_ratio: 0.75,
            min_interior: 0.02,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SealCandidate {
    /// `[x, y, w, h]` of the seal's red ink, clipped to the image.
    pub bbox: [u32; 4],
    /// The fitted ring's centre; outside the image for a seal cut by its edge.
    pub center: [f32; 2],
    pub diameter_mm: f32,
    /// 0–1: ring coverage, size and shape together.
    pub score: f32,
    /// `Present` or `Uncertain`.
    pub mark: Mark,
}

/// 255 where a pixel is red ink (two hue bands with saturation and value bounds).
pub fn red_mask(rgb: &RgbImage, p: &SealParams) -> GrayImage {
    GrayImage::from_fn(rgb.width(), rgb.height(), |x, y| Luma([if is_red(rgb.get_pixel(x, y).0, p, p.min_saturation) { 255 } else { 0 }]))
}

pub(super) fn is_red([r, g, b]: [u8; 3], p: &SealParams, min_saturation: f32) -> bool {
    // Both hue bands have red as the brightest channel; anything else is not red.
    if r < g || r < b {
        return false;
    }
    let (max, min) = (r as f32, g.min(b) as f32);
    // Paper and grey print, most of a page, fail on saturation: tested first, by a product
    // rather than a quotient (the mask is taken over every pixel of the page).
    if max - min < min_saturation * max || max <= 0.0 {
        return false;
    }
    let value = max / 255.0;
    if value < p.min_value || value > p.max_value {
        return false;
    }
    let hue = 60.0 * (g as f32 - b as f32) / (max - min);
    let hue = if hue < 0.0 { hue + 360.0 } else { hue };
    hue <= p.red_hue_max || hue >= p.red_hue_min
}

/// Every seal-like red object on an image (a whole page or a region of it) at `dpi`.
pub fn find_seals(rgb: &RgbImage, dpi: f32, p: &SealParams) -> Vec<SealCandidate> {
    let mm = px_per_mm(dpi);
    let (w, h) = rgb.dimensions();
    if mm <= 0.0 || w < 3 || h < 3 || p.sectors < 8 {
        return Vec::new();
    }
    // Red ink pooled into cells of about half a millimetre: OR-pooling closes the gaps of
    // speckled paste as a morphological closing would, and labels a quarter (or less) of
    // the pixels.
    let f = (0.5 * mm).round().max(1.0) as u32;
    let (pw, ph) = (w.div_ceil(f), h.div_ceil(f));
    let mut pooled = GrayImage::new(pw, ph);
    let mut count = vec![0u32; (pw * ph) as usize];
    for (x, y, px) in rgb.enumerate_pixels() {
        if is_red(px.0, p, p.min_saturation) {
            let (cx, cy) = (x / f, y / f);
            pooled.put_pixel(cx, cy, Luma([255]));
            count[(cy * pw + cx) as usize] += 1;
        }
    }
    let labels = connected_components(&pooled, Connectivity::Eight, Luma([0u8]));
    let mut all = blobs(&labels);
    // Areas in page pixels, not cells.
    all.iter_mut().for_each(|b| b.area = 0);
    for (i, l) in labels.pixels().enumerate() {
        all[l.0[0] as usize].area += count[i];
    }
    let speck = p.speck_mm2 * mm * mm;
    let keep: Vec<usize> = (1..all.len()).filter(|&l| all[l].area as f32 >= speck).collect();
    let groups = group(&all, &keep, p.group_gap_mm * mm / f as f32);

    let r_lo = p.loose_diameter_mm[0] * mm / 2.0;
    let r_hi = p.loose_diameter_mm[1] * mm / 2.0;
    let mut found: Vec<SealCandidate> = Vec::new();
    for g in groups {
        // A group must span at least the arc a candidate needs: a 90° arc of the smallest ring.
        let (gw, gh) = ((g.bbox.x1 - g.bbox.x0 + 1) * f, (g.bbox.y1 - g.bbox.y0 + 1) * f);
        if (gw.max(gh) as f32) < r_lo * std::f32::consts::SQRT_2 {
            continue;
        }
        let member = |x: u32, y: u32| {
            let l = labels.get_pixel(x / f, y / f).0[0] as usize;
            l != 0 && g.labels.binary_search(&l).is_ok()
        };
        let b = &g.bbox;
        let bbox = Blob { x0: b.x0 * f, y0: b.y0 * f, x1: ((b.x1 + 1) * f - 1).min(w - 1), y1: ((b.y1 + 1) * f - 1).min(h - 1), area: b.area };
        let crop = Crop::new(rgb, &bbox, &member, mm, p);
        // Strongest proposal first; one inside a seal already found is that seal's text or
        // inner ring (two seals' centres are rarely inside each other's ring).
        let mut here: Vec<SealCandidate> = Vec::new();
        for centre in crop.propose_centres(r_lo, r_hi, mm) {
            if here.iter().any(|s| inside_ring(s, centre, mm)) {
                continue;
            }
            let Some(mut c) = verify(&crop, centre, (w, h), mm, p) else { continue };
            // The crop holds the group and a margin: a faint seal's group may be only the
            // part of its ring inked darkest, the rest of the ring then lying outside the
            // crop, bare to the test though it is inked. Such a ring is tested again on a
            // crop that holds it whole.
            let reach = ring_reach(&c, mm, p);
            if c.mark != Mark::Present && !crop.holds_ring(&c, reach, (w, h)) {
                let big = ring_bbox(&c, reach, (w, h));
                let wide = Crop::new(rgb, &big, &member, mm, p);
                if let Some(again) = verify(&wide, c.center, (w, h), mm, p) {
                    if (again.mark == Mark::Present, again.score) > (c.mark == Mark::Present, c.score) {
                        c = again;
                    }
                }
            }
            here.push(c);
        }
        found.extend(here);
    }
    dedupe(&mut found, mm);
    found.sort_by(|a, b| (a.center[1], a.center[0]).partial_cmp(&(b.center[1], b.center[0])).unwrap_or(std::cmp::Ordering::Equal));
    found
}

/// How far from a seal's centre its ring and the band the ring test reads reach, in pixels.
fn ring_reach(s: &SealCandidate, mm: f32, p: &SealParams) -> f32 {
    s.diameter_mm * mm / 2.0 + 4.0 * (p.ring_band_mm * mm).max(1.0) + 1.0
}

/// The box round a seal's ring out to `reach`, within the image.
fn ring_bbox(s: &SealCandidate, reach: f32, (w, h): (u32, u32)) -> Blob {
    let lo = |v: f32| (v - reach).max(0.0) as u32;
    let hi = |v: f32, max: u32| ((v + reach).max(0.0) as u32).min(max - 1);
    Blob { x0: lo(s.center[0]).min(w - 1), y0: lo(s.center[1]).min(h - 1), x1: hi(s.center[0], w), y1: hi(s.center[1], h), area: 0 }
}

struct Group {
    bbox: Blob,
    /// Sorted component labels.
    labels: Vec<usize>,
}

/// Union of components whose boxes come within `gap` of each other.
fn group(all: &[Blob], keep: &[usize], gap: f32) -> Vec<Group> {
    let mut parent: Vec<usize> = (0..keep.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let gap = gap.max(0.0) as i64;
    for i in 0..keep.len() {
        let a = all[keep[i]];
        for j in i + 1..keep.len() {
            let b = all[keep[j]];
            let dx = (b.x0 as i64 - a.x1 as i64).max(a.x0 as i64 - b.x1 as i64);
            let dy = (b.y0 as i64 - a.y1 as i64).max(a.y0 as i64 - b.y1 as i64);
            if dx <= gap && dy <= gap {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                parent[ri] = rj;
            }
        }
    }
    let mut out: Vec<Group> = Vec::new();
    let mut index: Vec<Option<usize>> = vec![None; keep.len()];
    for i in 0..keep.len() {
        let r = root(&mut parent, i);
        let b = all[keep[i]];
        match index[r] {
            Some(k) => {
                let g = &mut out[k];
                g.bbox = Blob { x0: g.bbox.x0.min(b.x0), y0: g.bbox.y0.min(b.y0), x1: g.bbox.x1.max(b.x1), y1: g.bbox.y1.max(b.y1), area: g.bbox.area + b.area };
                g.labels.push(keep[i]);
            }
            None => {
                index[r] = Some(out.len());
                out.push(Group { bbox: b, labels: vec![keep[i]] });
            }
        }
    }
    for g in &mut out {
        g.labels.sort_unstable();
    }
    out
}

/// Checks a proposed centre; the candidate when a seal-like ring is there.
fn verify(crop: &Crop, c0: [f32; 2], (w, h): (u32, u32), mm: f32, p: &SealParams) -> Option<SealCandidate> {
    let r_lo = p.loose_diameter_mm[0] * mm / 2.0;
    let r_hi = p.loose_diameter_mm[1] * mm / 2.0;
    let band = (p.ring_band_mm * mm).round().max(1.0) as usize;
    let sectors = p.sectors;
    // The ring in one sector: a stretch of arc about 1 mm wide, of which a faint seal still
    // inks a fifth.
    let min_px = |r: f32| ((std::f32::consts::TAU * r / sectors as f32) * mm * 0.2).max(2.0) as u32;
    let outer = r_hi * 1.15 + 4.0 * band as f32 + 1.0;

    // Radius and ring points at the proposed centre, then the centre refined by a circle fit
    // on them, until it settles (a faint ring's proposal can be a few millimetres off).
    let mut c = c0;
    let mut r_guess = (r_lo + r_hi) / 2.0;
    let (mut pol, mut r1, mut pts);
    let mut round = 0;
    loop {
        pol = polar(crop, c, outer, sectors);
        r1 = pol.best_radius(r_lo as usize, r_hi.ceil() as usize, band, min_px(r_guess)).0;
        r_guess = r1 as f32;
        pts = pol.ring_points(r1, band, min_px(r_guess));
        round += 1;
        let Some((next, _)) = fit_circle(&pts, c) else { break };
        let moved = (next[0] - c[0]).hypot(next[1] - c[1]);
        if round >= 4 || moved < 0.5 * mm || moved > r_hi {
            break;
        }
        c = next;
    }

    // Visible sectors: where the ring passes inside the image.
    // The ring test, for the fitted ellipse and the plain circle (an ellipse pulled by text
    // or a neighbour's ring can fit worse): sectors where the ring is inside the image, and
    // those of them with ink on the ring and not beyond it.
    let tau = std::f32::consts::TAU;
    let ring_test = |model: &Conic| {
        let (mut visible, mut inked) = (0, 0);
        let mut on_ring = vec![false; sectors];
        for s in 0..sectors {
            let theta = (s as f32 + 0.5) / sectors as f32 * tau;
            let r = model.radius(theta);
            let (x, y) = (c[0] + r * theta.cos(), c[1] + r * theta.sin());
            if x < 0.0 || y < 0.0 || x >= w as f32 || y >= h as f32 {
                continue;
            }
            visible += 1;
            // A ring has paper outside it; a circle grazing a line of red print or a
            // scribble has the rest of them there.
            let on = pol.window(s, r as usize, band);
            let beyond = pol.window(s, r as usize + 3 * band, band);
            if on >= min_px(r) && beyond * 2 < on {
                inked += 1;
                on_ring[s] = true;
            }
        }
        (visible, inked, longest_arc(&on_ring, 2))
    };
    let circle = Conic::circle(r1 as f32 + 0.5);
    let (radius_at, (visible, inked, arc)) = std::iter::once(circle)
        .chain(ellipse_fit(&pts, sectors))
        .map(|m| (m, ring_test(&m)))
        .max_by_key(|(_, (_, inked, _))| *inked)
        .unwrap_or((circle, (0, 0, 0)));
    if visible == 0 {
        return None;
    }
    let coverage = inked as f32 / visible as f32;
    let vis_share = visible as f32 / sectors as f32;
    let arc = arc as f32 / sectors as f32;
    let (a, b) = radius_at.axes();
    let diameter_mm = (a * b).sqrt() * 2.0 / mm;
    let ratio = b / a.max(1e-3);
    let in_range = |r: [f32; 2]| diameter_mm >= r[0] && diameter_mm <= r[1];
    if coverage < p.uncertain_coverage || arc < p.min_arc || !in_range(p.loose_diameter_mm) || ratio < p.min_axis_ratio {
        return None;
    }
    // Red ink inside the ring, as a share of the visible disc within 0.8 of the radius.
    let inner_r = ((b * 0.8) as usize).min(pol.bins - 1);
    let inner_px: u32 = pol.inside[..inner_r].iter().sum();
    let interior = inner_px as f32 / (std::f32::consts::PI * (inner_r as f32).powi(2) * vis_share).max(1.0);

    let size_fit = if in_range(p.diameter_mm) { 1.0 } else { 0.5 };
    let score = (0.6 * coverage + 0.2 * vis_share + 0.1 * size_fit + 0.1 * (interior / p.min_interior).min(1.0)).clamp(0.0, 1.0);
    let present = coverage >= p.present_coverage && vis_share >= p.present_visible && in_range(p.diameter_mm) && interior >= p.min_interior;
    Some(SealCandidate { bbox: ink_bbox(crop, c, a + band as f32), center: c, diameter_mm, score, mark: if present { Mark::Present } else { Mark::Uncertain } })
}

/// The box of the crop's ink within `r` of `c`, in page coordinates.
fn ink_bbox(crop: &Crop, c: [f32; 2], r: f32) -> [u32; 4] {
    let (cx, cy) = (c[0] - crop.x0 as f32, c[1] - crop.y0 as f32);
    let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
    for (x, y, v) in crop.mask.enumerate_pixels() {
        if v.0[0] != 0 && (x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2) <= r * r {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
    }
    if x0 > x1 {
        return [0, 0, 0, 0];
    }
    [x0 + crop.x0, y0 + crop.y0, x1 - x0 + 1, y1 - y0 + 1]
}

/// A circle through polar points around `c`, twice, dropping points far off the first fit
/// (another seal's ring, text touching the ring).
fn fit_circle(pts: &[(f32, f32)], c: [f32; 2]) -> Option<([f32; 2], f32)> {
    let mut xy: Vec<(f64, f64)> = pts.iter().map(|&(t, r)| ((c[0] + r * t.cos()) as f64, (c[1] + r * t.sin()) as f64)).collect();
    let mut fit = None;
    for _ in 0..2 {
        if xy.len() < 6 {
            break;
        }
        let Some((cx, cy, r)) = circle_fit(&xy) else { break };
        fit = Some(([cx as f32, cy as f32], r as f32));
        xy.retain(|&(x, y)| ((x - cx).hypot(y - cy) - r).abs() < 0.08 * r);
    }
    fit
}

fn inside_ring(s: &SealCandidate, p: [f32; 2], mm: f32) -> bool {
    (s.center[0] - p[0]).hypot(s.center[1] - p[1]) < 0.4 * s.diameter_mm * mm
}

/// Proposals of one seal from two groups, or a weak circle through a seal's text and ring:
/// a candidate centred inside a better one's ring goes.
fn dedupe(found: &mut Vec<SealCandidate>, mm: f32) {
    found.sort_by(|a, b| (b.mark == Mark::Present, b.score).partial_cmp(&(a.mark == Mark::Present, a.score)).unwrap_or(std::cmp::Ordering::Equal));
    let mut kept: Vec<SealCandidate> = Vec::new();
    for c in found.drain(..) {
        if !kept.iter().any(|k| same_seal(k, &c, mm)) {
            kept.push(c);
        }
    }
    *found = kept;
}

/// Whether `c`, centred inside the ring of `k`, is `k` found again (its inner ring, or its
/// text pulling the fit): not when both are whole rings of their own and their centres lie
/// further apart than `DISTINCT_CENTRES` of `k`'s diameter. A seal stamped half over another
/// (the box above's stamped low) is centred well inside the other's ring, while a ring found
/// twice settles on one centre when fitted.
fn same_seal(k: &SealCandidate, c: &SealCandidate, mm: f32) -> bool {
    let apart = (k.center[0] - c.center[0]).hypot(k.center[1] - c.center[1]);
    let both_whole = k.mark == Mark::Present && c.mark == Mark::Present;
    inside_ring(k, c.center, mm) && !(both_whole && apart >= DISTINCT_CENTRES * k.diameter_mm * mm)
}

/// Share of a seal's diameter by which two whole rings' centres are apart at least to be two
/// seals (see `same_seal`): 13–14 mm for the usual 42–45 mm seal. On seed 20261240 a seal
/// stamped over another's lower half was 17 mm from its centre and dropped as a double.
const DISTINCT_CENTRES: f32 = 0.3;
