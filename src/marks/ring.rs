//! Ring proposals (a Hough vote) and the polar histogram that verifies them.

use image::{GrayImage, Luma, RgbImage};
use imageproc::distance_transform::Norm;

use super::seal::{is_red, SealParams};
use super::Blob;

/// One group's surroundings, in its own coordinates: the group's ink, for the seal's box, and
/// all red ink down to the weak saturation, to propose and verify rings by.
pub(super) struct Crop {
    pub x0: u32,
    pub y0: u32,
    pub mask: GrayImage,
    weak: GrayImage,
    /// The weak mask's pixel centres.
    weak_ink: Vec<[f32; 2]>,
}

impl Crop {
    pub fn new(rgb: &RgbImage, b: &Blob, member: &dyn Fn(u32, u32) -> bool, mm: f32, p: &SealParams) -> Crop {
        // Room for the parts of a faint ring too pale to be in the group.
        let pad = (3.0 * mm).ceil() as u32 + 2;
        let (x0, y0) = (b.x0.saturating_sub(pad), b.y0.saturating_sub(pad));
        let (x1, y1) = ((b.x1 + pad).min(rgb.width() - 1), (b.y1 + pad).min(rgb.height() - 1));
        // Red at the weak saturation first, over the whole crop; the group's own (strong) red is
        // looked for only there, as red at a higher saturation is red at a lower one too.
        let (cw, ch) = (x1 - x0 + 1, y1 - y0 + 1);
        let nested = p.weak_saturation <= p.min_saturation;
        let mut weak = GrayImage::new(cw, ch);
        let mut mask = GrayImage::new(cw, ch);
        for y in 0..ch {
            for x in 0..cw {
                let px = rgb.get_pixel(x + x0, y + y0).0;
                let is_weak = is_red(px, p, p.weak_saturation);
                if is_weak {
                    weak.put_pixel(x, y, Luma([255]));
                }
                if (is_weak || !nested) && is_red(px, p, p.min_saturation) && member(x + x0, y + y0) {
                    mask.put_pixel(x, y, Luma([255]));
                }
            }
        }
        let k = (p.close_mm * mm).round().clamp(0.0, 255.0) as u8;
        if k > 0 {
            imageproc::morphology::close_mut(&mut weak, Norm::LInf, k);
        }
        let weak_ink = weak.enumerate_pixels().filter(|(_, _, v)| v.0[0] != 0).map(|(x, y, _)| [x as f32 + 0.5, y as f32 + 0.5]).collect();
        Crop { x0, y0, mask, weak, weak_ink }
    }

    /// Whether the crop holds a seal's ring out to `reach` from its centre, as far as the
    /// `w × h` image cropped does (a seal cut by the image's edge is held when the crop reaches
    /// that edge).
    pub fn holds_ring(&self, s: &super::seal::SealCandidate, reach: f32, (w, h): (u32, u32)) -> bool {
        let (x1, y1) = (self.x0 + self.mask.width(), self.y0 + self.mask.height());
        let [cx, cy] = s.center;
        (self.x0 == 0 || cx - reach >= self.x0 as f32)
            && (self.y0 == 0 || cy - reach >= self.y0 as f32)
            && (x1 >= w || cx + reach <= x1 as f32)
            && (y1 >= h || cy + reach <= y1 as f32)
    }

    /// Ring centres (page coordinates) by a Hough vote along the mask's gradient.
    pub fn propose_centres(&self, r_lo: f32, r_hi: f32, mm: f32) -> Vec<[f32; 2]> {
        let smooth = imageproc::filter::gaussian_blur_f32(&self.weak, (0.3 * mm).max(0.8));
        // Sobel's gradient at a pixel, taken only where it votes (the mask's boundary, a few
        // per cent of the crop): the whole-image filters cost a fifth of the seal search.
        let (sw, sh) = smooth.dimensions();
        let at = |x: i64, y: i64| smooth.get_pixel(x.clamp(0, sw as i64 - 1) as u32, y.clamp(0, sh as i64 - 1) as u32).0[0] as f32;
        let sobel = |x: u32, y: u32| {
            let (x, y) = (x as i64, y as i64);
            let dx = (at(x + 1, y - 1) + 2.0 * at(x + 1, y) + at(x + 1, y + 1)) - (at(x - 1, y - 1) + 2.0 * at(x - 1, y) + at(x - 1, y + 1));
            let dy = (at(x - 1, y + 1) + 2.0 * at(x, y + 1) + at(x + 1, y + 1)) - (at(x - 1, y - 1) + 2.0 * at(x, y - 1) + at(x + 1, y - 1));
            (dx, dy)
        };
        // Accumulator cells of half a millimetre, over the crop plus a radius on every side,
        // so centres outside the crop (and the image) are found.
        let cell = (0.5 * mm).max(1.0);
        let pad = r_hi.ceil();
        let (cw, ch) = (self.mask.width() as f32, self.mask.height() as f32);
        let (aw, ah) = (((cw + 2.0 * pad) / cell).ceil() as usize + 1, ((ch + 2.0 * pad) / cell).ceil() as usize + 1);
        let mut acc = vec![0u32; aw * ah];
        let (w, h) = self.weak.dimensions();
        let on = |x: u32, y: u32| self.weak.get_pixel(x, y).0[0] != 0;
        for (x, y, _) in self.weak.enumerate_pixels() {
            // Only the mask's boundary votes: one pixel per edge, not the blur's band.
            let boundary = on(x, y) && (x == 0 || y == 0 || x + 1 == w || y + 1 == h || !on(x - 1, y) || !on(x + 1, y) || !on(x, y - 1) || !on(x, y + 1));
            if !boundary {
                continue;
            }
            let (dx, dy) = sobel(x, y);
            let m = (dx * dx + dy * dy).sqrt();
            if m < 1.0 {
                continue;
            }
            // The gradient points into the ink: from a ring's outer edge, to the centre.
            // (Inner edges and text vote elsewhere; the outer edge alone suffices.)
            let (ux, uy) = (dx / m, dy / m);
            let mut r = r_lo;
            while r <= r_hi {
                let ax = ((x as f32 + r * ux + pad) / cell) as isize;
                let ay = ((y as f32 + r * uy + pad) / cell) as isize;
                if ax >= 0 && ay >= 0 && (ax as usize) < aw && (ay as usize) < ah {
                    acc[ay as usize * aw + ax as usize] += 1;
                }
                r += cell;
            }
        }
        // Peaks of the 3×3 sums, strongest first, at least half the smallest radius apart.
        let sum3 = |i: usize, j: usize| -> u32 {
            let mut s = 0;
            for y in j.saturating_sub(1)..(j + 2).min(ah) {
                for x in i.saturating_sub(1)..(i + 2).min(aw) {
                    s += acc[y * aw + x];
                }
            }
            s
        };
        // A ring of the smallest radius seen over an eighth of its edge votes this much.
        let floor = (0.25 * std::f32::consts::PI * r_lo) as u32;
        let mut sums: Vec<(u32, usize, usize)> = Vec::new();
        for j in 0..ah {
            for i in 0..aw {
                if acc[j * aw + i] > 0 {
                    let v = sum3(i, j);
                    if v >= floor {
                        sums.push((v, i, j));
                    }
                }
            }
        }
        sums.sort_unstable_by(|a, b| b.0.cmp(&a.0));
        let min_sep = (0.5 * r_lo / cell).powi(2);
        let mut peaks: Vec<(usize, usize)> = Vec::new();
        for (v, i, j) in sums {
            if v < floor || peaks.len() >= 12 {
                break;
            }
            if peaks.iter().all(|&(pi, pj)| ((pi as f32 - i as f32).powi(2) + (pj as f32 - j as f32).powi(2)) > min_sep) {
                peaks.push((i, j));
            }
        }
        peaks
            .into_iter()
            .map(|(i, j)| [(i as f32 + 0.5) * cell - pad + self.x0 as f32, (j as f32 + 0.5) * cell - pad + self.y0 as f32])
            .collect()
    }
}

/// Ink per angular sector and radius (1 px bins) around a centre.
pub(super) struct Polar {
    sectors: usize,
    pub bins: usize,
    hist: Vec<u32>,
    /// Ink pixels within each radius, summed over sectors (for the interior test).
    pub inside: Vec<u32>,
}

pub(super) fn polar(crop: &Crop, c: [f32; 2], r_max: f32, sectors: usize) -> Polar {
    let bins = r_max.ceil().max(1.0) as usize + 1;
    let mut hist = vec![0u32; sectors * bins];
    let mut inside = vec![0u32; bins];
    let (cx, cy) = (c[0] - crop.x0 as f32, c[1] - crop.y0 as f32);
    for &[x, y] in &crop.weak_ink {
        let (dx, dy) = (x - cx, y - cy);
        if dx.abs() > r_max || dy.abs() > r_max {
            continue;
        }
        let r = (dx * dx + dy * dy).sqrt() as usize;
        if r >= bins {
            continue;
        }
        let s = ((turn_of(dx, dy) * sectors as f32) as usize).min(sectors - 1);
        hist[s * bins + r] += 1;
        inside[r] += 1;
    }
    Polar { sectors, bins, hist, inside }
}

/// The angle of `(dx, dy)` from the x axis towards y, in turns (0 ≤ t < 1): `atan2` by a
/// polynomial good to 2e-5 rad (a pixel lands in another 5° sector only within that of its
/// edge), for the polar histogram's every ink pixel and proposal, where libm's atan2 was
/// a tenth of the seal search.
pub(super) fn turn_of(dx: f32, dy: f32) -> f32 {
    let (ax, ay) = (dx.abs(), dy.abs());
    if ax == 0.0 && ay == 0.0 {
        return 0.0;
    }
    let (z, swap) = if ay > ax { (ax / ay, true) } else { (ay / ax, false) };
    let z2 = z * z;
    let atan = z * (0.999_977_26 + z2 * (-0.332_623_47 + z2 * (0.193_543_46 + z2 * (-0.116_432_87 + z2 * (0.052_653_32 + z2 * -0.011_721_20)))));
    let q = std::f32::consts::FRAC_PI_2;
    let mut a = if swap { q - atan } else { atan };
    if dx < 0.0 {
        a = 2.0 * q - a;
    }
    if dy < 0.0 {
        a = 4.0 * q - a;
    }
    (a / std::f32::consts::TAU).clamp(0.0, 1.0 - f32::EPSILON)
}

impl Polar {
    pub fn window(&self, s: usize, r: usize, band: usize) -> u32 {
        let row = &self.hist[s * self.bins..(s + 1) * self.bins];
        row[r.saturating_sub(band)..(r + band + 1).min(self.bins)].iter().sum()
    }

    /// The radius in `[lo, hi]` at which the most sectors hold ink (the outermost on a tie:
    /// a seal's ring is outside its text), with that count.
    pub fn best_radius(&self, lo: usize, hi: usize, band: usize, min_px: u32) -> (usize, usize) {
        let mut best = (lo, 0);
        for r in lo..=hi.min(self.bins - 1) {
            let n = (0..self.sectors).filter(|&s| self.window(s, r, band) >= min_px).count();
            if n >= best.1 {
                best = (r, n);
            }
        }
        best
    }

    /// Per sector, the radius near `r0` where the ink is densest: the ring's points.
    pub fn ring_points(&self, r0: usize, band: usize, min_px: u32) -> Vec<(f32, f32)> {
        let (lo, hi) = ((r0 as f32 * 0.85) as usize, ((r0 as f32 * 1.15) as usize).min(self.bins - 1));
        (0..self.sectors)
            .filter_map(|s| {
                let (r, v) = (lo..=hi).map(|r| (r, self.window(s, r, band))).max_by_key(|&(r, v)| (v, r))?;
                let theta = (s as f32 + 0.5) / self.sectors as f32 * std::f32::consts::TAU;
                (v >= min_px).then_some((theta, r as f32 + 0.5))
            })
            .collect()
    }
}

