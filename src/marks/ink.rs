//! Handwriting in a zone of the grey page: the signature after the signer line, the date.

use image::{GrayImage, Luma};
use imageproc::contrast::otsu_level;
use imageproc::distance_transform::{distance_transform, Norm};
use imageproc::region_labelling::{connected_components, Connectivity};

use super::fit::circle_fit;
use super::{blobs, clip_rect, px_per_mm, Blob};
use crate::record::Mark;

/// Parameters of handwriting finding. Lengths in millimetres, areas in mm².
#[derive(Debug, Clone)]
pub struct InkParams {
    /// Ink is darker than this share of the zone's paper (its 90th-percentile grey), and
    /// darker than Otsu's level. In `to_gray`'s red-dropout grey, blue ballpoint and
    /// black ink sit at 0.2–0.6 of the paper, red seal paste at 0.8–0.9, scanner noise and
    /// JPEG ringing within 0.1 of it; a fixed share keeps a blank zone (where Otsu splits
    /// the noise) blank.
    pub dark_ratio: f32,
    /// Margin added round each excluded printed word: OCR boxes are tight and glyph edges
    /// blur over a pixel or two.
    pub exclude_margin_mm: f32,
    /// Straight horizontal or vertical runs at least this long are ruling lines; a written
    /// stroke this long and this straight is rare (characters are 4–9 mm high).
    pub line_min_mm: f32,
    /// A component this thin (and at least `line_min_mm` long) is a line, slightly skewed.
    pub line_max_width_mm: f32,
    /// Smaller components are dust or noise: a pen dot is 0.3–0.5 mm across, dust less.
    pub speck_mm2: f32,
    pub speck_len_mm: f32,
    /// Writing area and extent (the larger side of its box) for `Present`: a single written
    /// digit "1" 3 mm high is about 1.2 mm².
    pub present_area_mm2: f32,
    pub present_extent_mm: f32,
    /// Below this area (and below `present_extent_mm` in extent), what is left is `Absent`.
    pub uncertain_area_mm2: f32,
    /// Components with a stroke wider than this are smudges or blocks, not pen strokes
    /// (ballpoint 0.3–0.7 mm, brush or marker up to 2 mm).
    pub max_stroke_mm: f32,
    /// Seal diameters for the arc test (a greyscale copy's seal ring is dark).
    pub seal_diameter_mm: [f32; 2],
    /// An arc must span this much (its box's larger side) to be tested.
    pub arc_min_mm: f32,
    /// Mean distance of an arc's pixels from the fitted circle: a ring is about 1 mm wide.
    pub arc_tolerance_mm: f32,
    /// How much of its circle an arc must cover (degrees), unless it runs out of the zone on
    /// two sides. A ring crossing a signer zone shows a long piece of itself; a gently curved
    /// pen stroke of 6–8 mm also fits a circle of a seal's size, but covers less than 20° of
    /// it (and made the whole signature inside that circle doubtful).
    pub arc_min_span_deg: f32,
}

impl Default for InkParams {
    fn default() -> Self {
        InkParams {
            dark_ratio: 0.70,
            exclude_margin_mm: 0.8,
            line_min_mm: 10.0,
            line_max_width_mm: 0.8,
            speck_mm2: 0.15,
            speck_len_mm: 0.8,
            present_area_mm2: 1.0,
            present_extent_mm: 2.5,
            uncertain_area_mm2: 0.4,
            max_stroke_mm: 2.5,
            seal_diameter_mm: [30.0, 56.0],
            arc_min_mm: 6.0,
            arc_tolerance_mm: 0.5,
            arc_min_span_deg: 25.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InkFinding {
    /// `Present`, `Absent` or `Uncertain`.
    pub mark: Mark,
    /// 0–1: how much writing-like ink there is, relative to what `Present` needs.
    pub score: f32,
    /// `[x, y, w, h]` on the page of the ink judged writing (or doubtful), if any.
    pub bbox: Option<[u32; 4]>,
}

impl InkFinding {
    fn absent() -> InkFinding {
        InkFinding { mark: Mark::Absent, score: 0.0, bbox: None }
    }
}

/// Whether handwriting is in `zone` of `gray` (an upright grey page at `dpi`, made by
/// preprocess::to_gray so red ink is light, with the table's ruling lines mostly erased already).
/// `exclude` are rectangles of printed words (known from OCR) to ignore.
pub fn find_handwriting(gray: &GrayImage, zone: [u32; 4], exclude: &[[u32; 4]], dpi: f32, p: &InkParams) -> InkFinding {
    let mm = px_per_mm(dpi);
    let Some((zx0, zy0, zx1, zy1)) = clip_rect(zone, gray.width(), gray.height()) else { return InkFinding::absent() };
    if mm <= 0.0 {
        return InkFinding::absent();
    }
    let sub = image::imageops::crop_imm(gray, zx0, zy0, zx1 - zx0, zy1 - zy0).to_image();
    let mut ink = binarize(&sub, p.dark_ratio);
    blank_excluded(&mut ink, exclude, (zx0, zy0), (p.exclude_margin_mm * mm).round() as u32);
    erase_runs(&mut ink, (p.line_min_mm * mm).round().max(2.0) as usize);

    let labels = connected_components(&ink, Connectivity::Eight, Luma([0u8]));
    let all = blobs(&labels);
    let mm2 = mm * mm;
    let line_len = p.line_min_mm * mm;
    let line_w = p.line_max_width_mm * mm;
    let kept: Vec<usize> = (1..all.len())
        .filter(|&l| {
            let b = all[l];
            let (long, short) = (b.width().max(b.height()) as f32, b.width().min(b.height()) as f32);
            let speck = (b.area as f32) < p.speck_mm2 * mm2 || long < p.speck_len_mm * mm;
            let line = long >= line_len && short <= line_w;
            !speck && !line
        })
        .collect();
    if kept.is_empty() {
        return InkFinding::absent();
    }

    // Seal rings (dark on a greyscale copy): arcs of a seal-sized circle are dropped, and
    // what lies inside such a circle is only doubtful.
    let arcs: Vec<(usize, [f32; 3])> = kept
        .iter()
        .filter(|&&l| all[l].width().max(all[l].height()) as f32 >= p.arc_min_mm * mm)
        .filter_map(|&l| seal_arc(&labels, l as u32, &all[l], mm, p).map(|c| (l, c)))
        .collect();
    let inside_seal = |b: &Blob| {
        arcs.iter().any(|(_, [cx, cy, r])| {
            let corners = [(b.x0, b.y0), (b.x1, b.y0), (b.x0, b.y1), (b.x1, b.y1)];
            corners.iter().all(|&(x, y)| (x as f32 - cx).powi(2) + (y as f32 - cy).powi(2) < (r * 0.97).powi(2))
        })
    };

    // Stroke width: twice the largest distance from a component's ink to the paper.
    let inverted = GrayImage::from_fn(ink.width(), ink.height(), |x, y| Luma([255 - ink.get_pixel(x, y).0[0]]));
    let dist = distance_transform(&inverted, Norm::L1);
    // And the pixels on a found ring: pieces of it that are no arc by themselves (the flat
    // top of a ring cut off by the line eraser, a short stretch).
    let ring_tol = 3.0 * p.arc_tolerance_mm * mm;
    let mut widest = vec![0u8; all.len()];
    let mut on_ring = vec![0u32; all.len()];
    for (x, y, l) in labels.enumerate_pixels() {
        let l = l.0[0] as usize;
        if l != 0 {
            widest[l] = widest[l].max(dist.get_pixel(x, y).0[0]);
            if arcs.iter().any(|(_, [cx, cy, r])| ((x as f32 - cx).hypot(y as f32 - cy) - r).abs() <= ring_tol) {
                on_ring[l] += 1;
            }
        }
    }

    let mut writing = Tally::default();
    let mut doubtful = Tally::default();
    for &l in &kept {
        let b = &all[l];
        if arcs.iter().any(|(a, _)| *a == l) || on_ring[l] * 5 >= b.area * 4 {
            continue;
        }
        let stroke = (2.0 * widest[l] as f32 - 1.0) / mm;
        if stroke > p.max_stroke_mm || inside_seal(b) {
            doubtful.add(b);
        } else {
            writing.add(b);
        }
    }
    let to_page = |t: &Tally| t.bbox().map(|[x, y, w, h]| [x + zx0, y + zy0, w, h]);
    let strength = |t: &Tally| {
        let area = t.area as f32 / mm2;
        let extent = t.extent() as f32 / mm;
        (0.5 * (area / (2.0 * p.present_area_mm2)).min(1.0) + 0.5 * (extent / (2.0 * p.present_extent_mm)).min(1.0), area, extent)
    };
    let (score, area, extent) = strength(&writing);
    if area >= p.present_area_mm2 && extent >= p.present_extent_mm {
        return InkFinding { mark: Mark::Present, score, bbox: to_page(&writing) };
    }
    let (d_score, d_area, d_extent) = strength(&doubtful);
    let some = |a: f32, e: f32| a >= p.uncertain_area_mm2 || e >= p.present_extent_mm;
    if some(area, extent) {
        return InkFinding { mark: Mark::Uncertain, score: score.min(0.6), bbox: to_page(&writing) };
    }
    if some(d_area, d_extent) {
        return InkFinding { mark: Mark::Uncertain, score: (d_score * 0.5).min(0.5), bbox: to_page(&doubtful) };
    }
    InkFinding { mark: Mark::Absent, score: score.max(d_score).min(0.2), bbox: None }
}

/// Ink as 255: darker than both Otsu's level and `ratio` of the paper's grey.
fn binarize(sub: &GrayImage, ratio: f32) -> GrayImage {
    let mut hist = [0u32; 256];
    for p in sub.pixels() {
        hist[p.0[0] as usize] += 1;
    }
    let total: u32 = hist.iter().sum();
    let mut seen = 0;
    let mut paper = 255u8;
    for (v, &n) in hist.iter().enumerate() {
        seen += n;
        if seen * 10 >= total * 9 {
            paper = v as u8;
            break;
        }
    }
    let level = (paper as f32 * ratio).min(otsu_level(sub) as f32) as u8;
    GrayImage::from_fn(sub.width(), sub.height(), |x, y| Luma([if sub.get_pixel(x, y).0[0] < level { 255 } else { 0 }]))
}

fn blank_excluded(ink: &mut GrayImage, exclude: &[[u32; 4]], (ox, oy): (u32, u32), margin: u32) {
    let (w, h) = ink.dimensions();
    for r in exclude {
        let x0 = r[0].saturating_sub(margin).saturating_sub(ox);
        let y0 = r[1].saturating_sub(margin).saturating_sub(oy);
        let x1 = r[0].saturating_add(r[2]).saturating_add(margin);
        let y1 = r[1].saturating_add(r[3]).saturating_add(margin);
        if x1 <= ox || y1 <= oy {
            continue;
        }
        for y in y0..(y1 - oy).min(h) {
            for x in x0..(x1 - ox).min(w) {
                ink.put_pixel(x, y, Luma([0]));
            }
        }
    }
}

/// Erases horizontal and vertical runs of ink at least `min` long (found on the unerased
/// image in both directions, so a crossing of two lines goes too).
fn erase_runs(ink: &mut GrayImage, min: usize) {
    let (w, h) = (ink.width() as usize, ink.height() as usize);
    let mut erase = vec![false; w * h];
    let data = ink.as_raw();
    let mut scan = |len: usize, lines: usize, at: &dyn Fn(usize, usize) -> usize| {
        for j in 0..lines {
            let mut start = None;
            for i in 0..=len {
                let on = i < len && data[at(i, j)] != 0;
                match (on, start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        if i - s >= min {
                            (s..i).for_each(|k| erase[at(k, j)] = true);
                        }
                        start = None;
                    }
                    _ => {}
                }
            }
        }
    };
    scan(w, h, &|i, j| j * w + i);
    scan(h, w, &|i, j| i * w + j);
    for (p, e) in ink.iter_mut().zip(erase) {
        if e {
            *p = 0;
        }
    }
}

/// The circle `[cx, cy, r]` (zone pixels) when component `l` is an arc of a seal-sized ring.
fn seal_arc(labels: &image::ImageBuffer<Luma<u32>, Vec<u32>>, l: u32, b: &Blob, mm: f32, p: &InkParams) -> Option<[f32; 3]> {
    let mut pts: Vec<(f64, f64)> = Vec::new();
    for y in b.y0..=b.y1 {
        for x in b.x0..=b.x1 {
            if labels.get_pixel(x, y).0[0] == l {
                pts.push((x as f64, y as f64));
            }
        }
    }
    let (cx, cy, r) = circle_fit(&pts)?;
    let n = pts.len() as f64;
    let mean_dev = pts.iter().map(|&(x, y)| ((x - cx).hypot(y - cy) - r).abs()).sum::<f64>() / n;
    let r_mm = r as f32 / mm;
    let fits = r_mm >= p.seal_diameter_mm[0] / 2.0 && r_mm <= p.seal_diameter_mm[1] / 2.0 && (mean_dev as f32) <= p.arc_tolerance_mm * mm;
    // A ring passing through a small zone (a date's blank) leaves it on two sides, however
    // little of its circle shows; a pen stroke ends inside.
    let (w, h) = labels.dimensions();
    let sides = [b.x0 == 0, b.y0 == 0, b.x1 + 1 >= w, b.y1 + 1 >= h].iter().filter(|&&t| t).count();
    let ring_like = || sides >= 2 || angular_span(&pts, cx, cy) >= p.arc_min_span_deg;
    (fits && ring_like()).then_some([cx as f32, cy as f32, r as f32])
}

/// How many degrees of a circle about `(cx, cy)` the points cover: the full turn less the
/// widest gap between their angles.
fn angular_span(pts: &[(f64, f64)], cx: f64, cy: f64) -> f32 {
    let mut angles: Vec<f64> = pts.iter().map(|&(x, y)| (y - cy).atan2(x - cx).to_degrees()).collect();
    angles.sort_by(f64::total_cmp);
    let (Some(&first), Some(&last)) = (angles.first(), angles.last()) else { return 0.0 };
    let widest = angles.windows(2).map(|w| w[1] - w[0]).fold(first + 360.0 - last, f64::max);
    (360.0 - widest) as f32
}

/// Area and union box of a set of components.
#[derive(Default)]
struct Tally {
    area: u32,
    bbox: Option<(u32, u32, u32, u32)>,
}

impl Tally {
    fn add(&mut self, b: &Blob) {
        self.area += b.area;
        self.bbox = Some(match self.bbox {
            None => (b.x0, b.y0, b.x1, b.y1),
            Some((x0, y0, x1, y1)) => (x0.min(b.x0), y0.min(b.y0), x1.max(b.x1), y1.max(b.y1)),
        });
    }
    fn extent(&self) -> u32 {
        self.bbox.map_or(0, |(x0, y0, x1, y1)| (x1 - x0 + 1).max(y1 - y0 + 1))
    }
    fn bbox(&self) -> Option<[u32; 4]> {
        self.bbox.map(|(x0, y0, x1, y1)| [x0, y0, x1 - x0 + 1, y1 - y0 + 1])
    }
}
