//! Preprocess: from a decoded page to an upright, deskewed greyscale page and its binary ink
//! mask. Free functions over image buffers; each stage is independent of the next.

pub(crate) mod leptonica;
mod ncc;
mod rotate;
mod scale;

pub use scale::{resize, Shrink};
pub use ncc::match_template_ncc;

use image::{GrayImage, Luma, RgbImage};
use imageproc::contrast::{otsu_level, threshold, ThresholdType};

/// Parameters of the preprocessing stage.
#[derive(Debug, Clone)]
pub struct PreprocessParams {
    /// Largest skew corrected, in degrees. Scanners and photocopiers skew a page by up to
    /// 2–3°; beyond 5° a person would rescan.
    pub max_skew_deg: f32,
    /// Step of the skew search, in degrees: 0.1° moves a line's end by 3.5 px across an A4
    /// page at 200 dpi, less than a ruling line's width.
    pub skew_step_deg: f32,
    /// The skew is estimated on a copy shrunk to this width, for speed.
    pub skew_work_width: u32,
}

impl Default for PreprocessParams {
    fn default() -> Self {
        PreprocessParams { max_skew_deg: 5.0, skew_step_deg: 0.1, skew_work_width: 800 }
    }
}

/// The page in grey for reading, with red dropped out: a red seal (and red pen) turns pale,
/// so a seal stamped over a box's title, its date or the vote sentence no longer hides them
/// from OCR, while every other ink keeps its luminance: black print stays black and a blue
/// ballpoint stays dark (in the brightest channel, tried before, a blue pen came out mid-grey
/// and its handwritten dates and digits were misread). A pixel is red by how far its red
/// channel stands above the other two; between 20 and 60 levels it is blended, so the
/// fringes of seal paste over print (JPEG's halved chroma tints them) change smoothly.
pub fn to_gray(page: &RgbImage) -> GrayImage {
    let (w, h) = page.dimensions();
    let mut out = GrayImage::new(w, h);
    // Over the raw bytes: through the pixel types this took longer than deskewing the page.
    for (o, p) in out.iter_mut().zip(page.as_raw().chunks_exact(3)) {
        let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
        let lum = (77 * r + 150 * g + 29 * b + 128) >> 8;
        let redness = (r - g.max(b) - 20).clamp(0, 40);
        *o = (lum + (r - lum) * redness / 40) as u8;
    }
    out
}

/// Ink as 255 on 0, by Otsu's global threshold (the form is dark print on light paper).
pub fn binarize(gray: &GrayImage) -> GrayImage {
    let level = page_otsu_level(gray);
    // Otsu marks pixels above the level as foreground; ink is the dark side.
    threshold(gray, level, ThresholdType::BinaryInverted)
}

/// Ink for finding ruling lines: anything clearly darker than the paper, halfway between
/// Otsu's level and white. Thin lines come out grey from a scanner (and from scaling), and
/// a broken line is a missed cell; text caught too does no harm, being short.
pub fn binarize_lines(gray: &GrayImage) -> GrayImage {
    let level = page_otsu_level(gray);
    threshold(gray, level / 2 + 128, ThresholdType::BinaryInverted)
}

/// Otsu's level of a page from every other pixel of every other row: a page's histogram is
/// millions of pixels, a quarter of them give the same level (±1), and the histogram of a
/// whole 300 dpi page took longer than the page's thresholding.
fn page_otsu_level(gray: &GrayImage) -> u8 {
    let (w, h) = gray.dimensions();
    if w < 64 || h < 64 {
        return otsu_level(gray);
    }
    let (sw, sh) = (w.div_ceil(2), h.div_ceil(2));
    let raw = gray.as_raw();
    let mut sample = Vec::with_capacity((sw * sh) as usize);
    for row in raw.chunks_exact(w as usize).step_by(2) {
        sample.extend(row.iter().step_by(2));
    }
    GrayImage::from_raw(sw, sh, sample).map_or_else(|| otsu_level(gray), |s| otsu_level(&s))
}

/// The page's skew (as `estimate_skew`), measured on its ink at the estimate's small working
/// width: the page is shrunk before it is thresholded, not after, which costs a pass over a
/// small copy instead of two over the whole page.
pub fn skew_of_page(gray: &GrayImage, params: &PreprocessParams) -> f32 {
    let (w, h) = gray.dimensions();
    let scale = (params.skew_work_width as f32 / w.max(1) as f32).min(1.0);
    let small = resize(gray, (w as f32 * scale) as u32, (h as f32 * scale) as u32, Shrink::Area);
    estimate_skew(&binarize(&small), params)
}

/// The page's skew in degrees (positive: content rotated clockwise), from the sharpness of
/// the row profile of the ink: ruling lines and text lines give the sharpest profile when
/// level.
pub fn estimate_skew(ink: &GrayImage, params: &PreprocessParams) -> f32 {
    let (w, h) = ink.dimensions();
    let scale = (params.skew_work_width as f32 / w as f32).min(1.0);
    // Area averaging: as good as a filtered resize for a profile, and several times faster.
    // Ink already at the working width (from `skew_of_page`) is used as it is.
    let shrunk;
    let small = if scale < 1.0 {
        shrunk = resize(ink, (w as f32 * scale) as u32, (h as f32 * scale) as u32, Shrink::Area);
        &shrunk
    } else {
        ink
    };
    let (sw, sh) = small.dimensions();
    let points: Vec<(f32, f32)> = small
        .enumerate_pixels()
        .filter(|(_, _, p)| p[0] > 127)
        .map(|(x, y, _)| (x as f32 - sw as f32 / 2.0, y as f32))
        .collect();
    let score = |deg: f32| -> f64 {
        let t = deg.to_radians().tan();
        let mut rows = vec![0u32; sh as usize + 1];
        for &(x, y) in &points {
            let r = y + x * t;
            if r >= 0.0 && (r as usize) < rows.len() {
                rows[r as usize] += 1;
            }
        }
        rows.iter().map(|&c| (c as f64) * (c as f64)).sum()
    };
    // Coarse to fine: every third step over the whole range, then the steps around the best.
    // A profile stays sharp over more than a coarse step either side of the page's skew (its
    // lines of text are several rows high at the working width), so the best coarse angle
    // is on the true peak's slope; a third of the profiles are computed.
    let steps = (params.max_skew_deg / params.skew_step_deg).round() as i32;
    let mut best = (0i32, score(0.0));
    let consider = |i: i32, best: &mut (i32, f64)| {
        let s = score(i as f32 * params.skew_step_deg);
        if s > best.1 || (s == best.1 && i.abs() < best.0.abs()) {
            *best = (i, s);
        }
    };
    for i in (-steps..=steps).filter(|i| i % COARSE == 0 && *i != 0) {
        consider(i, &mut best);
    }
    let centre = best.0;
    for i in (centre - COARSE + 1..centre + COARSE).filter(|i| i.abs() <= steps && *i != centre) {
        consider(i, &mut best);
    }
    best.0 as f32 * params.skew_step_deg
}

/// Coarse steps of the skew search, in fine steps.
const COARSE: i32 = 3;

/// Rotates a page by `deg` (counter-clockwise positive, as the skew estimate's correction),
/// filling the uncovered corners with white paper. Bilinear: with nearest-neighbour (half the
/// cost) a thin rule turns into steps one pixel apart, and the grid loses a third of the
/// cells of a 300 dpi table.
pub fn rotate(gray: &GrayImage, deg: f32) -> GrayImage {
    if deg.abs() < 0.05 {
        return gray.clone();
    }
    rotate::rotate_bilinear(gray, deg, Luma([255]))
}

/// A quarter turn of the page (0, 90, 180 or 270 degrees clockwise), grey or colour.
pub fn turn<P: image::Pixel + 'static>(page: &image::ImageBuffer<P, Vec<P::Subpixel>>, quarter_turns: u32) -> image::ImageBuffer<P, Vec<P::Subpixel>> {
    match quarter_turns % 4 {
        1 => image::imageops::rotate90(page),
        2 => image::imageops::rotate180(page),
        3 => image::imageops::rotate270(page),
        _ => page.clone(),
    }
}

/// The colour copy a page's seals are judged on, shrunk to `to_dpi`. It is made of every
/// colour page before the page's layout says whether it holds the approval boxes (the page
/// at full colour is not kept while it is read), so it is made cheaply: at a whole factor `k`
/// (300 or 200 dpi to 100) from the middle row of each band of `k` rows, each pixel the mean
/// of the `k` pixels of that row it covers. A third of a 300 dpi page's rows cost a third of
/// the area mean's 3 ms, and a seal's ring, a millimetre thick, is four pixels wide either
/// way. Other ratios by the area mean; a page no finer than `to_dpi` is kept as it is.
pub fn colour_copy(page: &RgbImage, dpi: f32, to_dpi: f32) -> RgbImage {
    let ratio = dpi / to_dpi.max(1.0);
    let k = ratio.round();
    if ratio < 1.01 {
        return page.clone();
    }
    if (ratio - k).abs() > 0.05 || k < 2.0 {
        return upright_colour(page, dpi, to_dpi, 0, 0.0);
    }
    let k = k as u32;
    let (w, h) = page.dimensions();
    let (ow, oh) = (w.div_ceil(k), h.div_ceil(k));
    let (wu, ku) = (w as usize, k as usize);
    let raw = page.as_raw();
    let mut out = vec![0u8; ow as usize * oh as usize * 3];
    for (oy, out_row) in out.chunks_exact_mut(ow as usize * 3).enumerate() {
        let y = (oy * ku + ku / 2).min(h as usize - 1);
        let row = &raw[y * wu * 3..(y + 1) * wu * 3];
        // Whole blocks, then the page's last, narrower one.
        let whole = wu / ku;
        // The mean by a multiply: a division per channel was most of the time.
        let inv = (1u32 << 16) / k;
        for (o, block) in out_row.chunks_exact_mut(3).zip(row.chunks_exact(3 * ku)) {
            let mut sum = [0u32; 3];
            for px in block.chunks_exact(3) {
                sum[0] += px[0] as u32;
                sum[1] += px[1] as u32;
                sum[2] += px[2] as u32;
            }
            for c in 0..3 {
                o[c] = ((sum[c] * inv + (1 << 15)) >> 16).min(255) as u8;
            }
        }
        if whole < ow as usize {
            let rest = &row[whole * ku * 3..];
            let n = (rest.len() / 3) as u32;
            for c in 0..3 {
                let sum: u32 = rest.iter().skip(c).step_by(3).map(|&v| v as u32).sum();
                out_row[whole * 3 + c] = ((sum + n / 2) / n.max(1)) as u8;
            }
        }
    }
    RgbImage::from_raw(ow, oh, out).expect("a buffer of the copy's own size")
}

/// A colour page shrunk to `to_dpi` and turned the way its grey copy was read (quarter turns
/// clockwise, then the deskew): the approval boxes' seals are judged on it, and red seals
/// need no more than 100 dpi to be seen.
pub fn upright_colour(page: &RgbImage, dpi: f32, to_dpi: f32, quarter_turns: u32, skew_deg: f32) -> RgbImage {
    let f = (to_dpi / dpi.max(1.0)).min(1.0);
    let (w, h) = page.dimensions();
    let turned = if f < 0.99 {
        let small = resize(page, (w as f32 * f).round() as u32, (h as f32 * f).round() as u32, Shrink::Area);
        turn(&small, quarter_turns)
    } else {
        turn(page, quarter_turns)
    };
    if skew_deg.abs() < 0.05 {
        return turned;
    }
    rotate::rotate_bilinear(&turned, skew_deg, image::Rgb([255, 255, 255]))
}

/// Whether a colour page is in fact grey (a photocopy or greyscale scan): the share of
/// pixels whose channels differ noticeably. Decided from the pixels, not the file type.
pub fn is_grayscale(page: &RgbImage) -> bool {
    // One pixel in 23, read from the raw bytes (a pixel iterator's step costs more than the
    // test): 380 000 of an A4 page at 300 dpi, 160 000 at 200, so that 0.05 % of them is
    // still a sure count. A colour page is known as soon as enough of them are colourful.
    const STEP: usize = 23;
    let raw = page.as_raw();
    let n = (raw.len() / 3).div_ceil(STEP) as u64;
    let enough = (n as f64 * 0.0005).ceil() as u64;
    let mut colourful = 0u64;
    for px in raw.chunks_exact(3).step_by(STEP) {
        let (r, g, b) = (px[0], px[1], px[2]);
        if r.max(g).max(b) - r.min(g).min(b) > 40 {
            colourful += 1;
            if colourful >= enough {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_colour_copy_at_a_whole_factor_keeps_blocks_means_and_a_page_s_ragged_edge() {
        // 300 dpi, 10 × 7 px: a red block on paper, the last column and row narrower.
        let mut page = RgbImage::from_pixel(10, 7, image::Rgb([250, 250, 250]));
        for y in 3..6 {
            for x in 3..6 {
                page.put_pixel(x, y, image::Rgb([200, 30, 40]));
            }
        }
        page.put_pixel(4, 4, image::Rgb([212, 30, 40]));
        page.put_pixel(9, 1, image::Rgb([0, 0, 0]));
        let copy = colour_copy(&page, 300.0, 100.0);
        assert_eq!(copy.dimensions(), (4, 3));
        // The middle row of the block's band, its three pixels' mean.
        assert_eq!(copy.get_pixel(1, 1).0, [204, 30, 40]);
        assert_eq!(copy.get_pixel(0, 0).0, [250, 250, 250]);
        // The last column is one pixel wide: that pixel of the band's middle row.
        assert_eq!(copy.get_pixel(3, 0).0, [0, 0, 0]);
        // Not a whole factor: the area mean, at the size the ratio gives.
        assert_eq!(colour_copy(&page, 250.0, 100.0).dimensions(), (4, 3));
        // No finer than the copy's resolution: kept.
        assert_eq!(colour_copy(&page, 100.0, 100.0), page);
    }
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::rect::Rect;

    fn lined_page() -> GrayImage {
        let mut g = GrayImage::from_pixel(1000, 1400, Luma([255]));
        for i in 0..12 {
            draw_filled_rect_mut(&mut g, Rect::at(100, 100 + i * 100).of_size(800, 3), Luma([0]));
        }
        g
    }

    #[test]
    fn red_drops_out_while_black_and_blue_ink_stay_dark() {
        let px = |rgb: [u8; 3]| to_gray(&RgbImage::from_pixel(1, 1, image::Rgb(rgb))).get_pixel(0, 0)[0];
        assert!(px([212, 40, 55]) >= 205, "seal paste is pale");
        assert!(px([240, 170, 170]) >= 235, "faint seal paste is paper");
        assert!(px([28, 38, 120]) <= 50, "a blue ballpoint is dark: {}", px([28, 38, 120]));
        assert!(px([20, 20, 20]) <= 22);
        let paper = px([246, 242, 236]);
        assert!((238..=246).contains(&paper), "paper keeps its luminance: {paper}");
    }

    #[test]
    fn skew_is_recovered_within_a_tenth_of_a_degree() {
        let page = lined_page();
        for deg in [-2.7f32, -0.8, 0.0, 1.3, 3.0] {
            let skewed = rotate(&page, deg);
            let est = estimate_skew(&binarize(&skewed), &PreprocessParams::default());
            assert!((est + deg).abs() <= 0.15, "rotated {deg}, estimated {est}");
        }
    }

    #[test]
    fn skew_is_recovered_from_the_grey_page_too() {
        // Text-like ink (short dashes in lines) and a few rules, as a 300 dpi page.
        let mut page = GrayImage::from_pixel(2480, 3508, Luma([245]));
        for row in 0..60 {
            for col in 0..40 {
                draw_filled_rect_mut(&mut page, Rect::at(200 + col * 52, 200 + row * 50).of_size(36, 30), Luma([30]));
            }
        }
        for deg in [-2.4f32, 0.0, 1.1] {
            let est = skew_of_page(&rotate(&page, deg), &PreprocessParams::default());
            assert!((est + deg).abs() <= 0.15, "rotated {deg}, estimated {est}");
        }
    }

    #[test]
    fn the_sampled_otsu_level_is_the_whole_pages() {
        let mut page = lined_page();
        draw_filled_rect_mut(&mut page, Rect::at(300, 300).of_size(200, 200), Luma([90]));
        let (a, b) = (page_otsu_level(&page), otsu_level(&page));
        assert!(a.abs_diff(b) <= 2, "{a} against {b}");
    }

    #[test]
    fn grey_pages_are_told_from_colour_ones() {
        let mut rgb = RgbImage::from_pixel(200, 200, image::Rgb([250, 250, 250]));
        assert!(is_grayscale(&rgb));
        draw_filled_rect_mut(&mut rgb, Rect::at(50, 50).of_size(60, 60), image::Rgb([210, 30, 40]));
        assert!(!is_grayscale(&rgb));
    }
}
