//! On a photocopy (or a grey scan) a red seal is no longer told from the print by its colour,
//! only by its shade: red ink comes out mid-grey, the print black. Stamped over the date line
//! and the signer's label, it garbles every chi_sim read of them, and the prints of 年 月 日
//! and of the label are not found under it, so each box's words were read two or three ways
//! at a dozen milliseconds a read. Where the approval boxes' ink has a mode of its own paler
//! than the print, the boxes' printed words are read (and their prints learnt and found) on a
//! view of the page without that ink; the written digits are still read, and every mark
//! judged, on the page itself (a pale pen is as grey as the seal).

use image::GrayImage;

/// How the seal's shade is told from the print's.
#[derive(Debug, Clone)]
pub struct PrintViewParams {
    /// Shades where the seal's mode is looked for: paler than any print's stroke core, darker
    /// than the paper's noise (a red seal in grey: 0.3 R + 0.6 G + 0.1 B, about 80–190).
    pub seal_shades: (u8, u8),
    /// Shades that hold the print's strokes' cores: the seal's mode is looked for paler, the
    /// valley below it from the upper bound on, and the print's share of the ink counted
    /// under it.
    pub print_shades: (u8, u8),
    /// How many times the fewest pixels of a shade between the print and the mode (up to
    /// `valley_gap` shades short of it) the mode must hold: a colour page's inks, or a pale
    /// scan's print, spread over the shades between print and paper (1.3–1.7 times on the
    /// scans of seed 20261243), a photocopied seal piles up in a few (4–7 times).
    pub min_mode_ratio: f32,
    pub valley_gap: u8,
    /// The share of the ink (shades under 224) the print's shades must hold at least: the
    /// print is there, darker than the mode (a pale scan's print is the mode itself).
    pub min_print_share: f32,
    /// The view keeps what is darker than where the mode's slope falls below this share of
    /// its peak, less `margin`: the seal's darkest pixels go with the rest of it.
    pub slope_share: f32,
    pub margin: u8,
    /// Half the width (mm) a patch of the seal's shade must have to be taken for the seal's:
    /// its ring and characters are 0.6–1.2 mm thick, the print's grey edges and hairlines
    /// under 0.3 mm.
    pub seal_stroke_mm: f32,
}

impl Default for PrintViewParams {
    fn default() -> Self {
        PrintViewParams { seal_shades: (96, 192), print_shades: (16, 80), min_mode_ratio: 3.0, valley_gap: 24, min_print_share: 0.03, slope_share: 0.25, margin: 8, seal_stroke_mm: 0.25 }
    }
}

/// The shade from which ink is the seal's, not the print's, in `regions` of `page`: None when
/// their ink has no mode paler than the print (a colour scan, its red taken out; a photocopy
/// without a seal in the boxes).
pub fn seal_shade(page: &GrayImage, regions: &[[u32; 4]], p: &PrintViewParams) -> Option<u8> {
    let mut hist = [0u64; 256];
    for &[x, y, w, h] in regions {
        let (x1, y1) = ((x + w).min(page.width()), (y + h).min(page.height()));
        for yy in y.min(y1)..y1 {
            for xx in x.min(x1)..x1 {
                hist[page.get_pixel(xx, yy)[0] as usize] += 1;
            }
        }
    }
    // Counts per shade, smoothed over nine shades (a scan's noise makes single shades jumpy).
    let smooth: Vec<f32> = (0..256usize).map(|v| hist[v.saturating_sub(4)..(v + 5).min(256)].iter().sum::<u64>() as f32 / 9.0).collect();
    let (lo, hi) = (p.seal_shades.0 as usize, p.seal_shades.1 as usize);
    let mode = (lo..hi).max_by(|&a, &b| smooth[a].total_cmp(&smooth[b]))?;
    let (print, ink): (u64, u64) = (hist[..p.print_shades.1 as usize].iter().sum(), hist[..224].iter().sum());
    if (print as f32) < p.min_print_share * ink as f32 || ink == 0 {
        return None;
    }
    // A mode of its own: it stands well above every shade between it and the print.
    let valley = smooth[p.print_shades.1 as usize..mode.saturating_sub(p.valley_gap as usize).max(p.print_shades.1 as usize + 1)].iter().copied().fold(f32::INFINITY, f32::min);
    if smooth[mode] < p.min_mode_ratio * valley.max(1.0) {
        return None;
    }
    let floor = smooth[mode] * p.slope_share;
    let mut start = mode;
    while start > p.print_shades.1 as usize && smooth[start - 1] >= floor {
        start -= 1;
    }
    Some((start as u8).saturating_sub(p.margin))
}

/// `page` with the seal's ink in `regions` made paper: ink at `shade` or paler, where it lies
/// in a patch at least `2 × thick + 1` px across (the seal's ring, star and characters are
/// a millimetre thick; the print's grey is its strokes' edges, and the hairlines of a serif
/// type at 200 dpi, a pixel or two across, that a cut by shade alone would lose), with a
/// pixel round it for its anti-aliased edge.
pub fn without_seal_grey(page: &GrayImage, regions: &[[u32; 4]], shade: u8, thick: u8) -> GrayImage {
    use imageproc::distance_transform::Norm;
    let mut view = page.clone();
    for &[x, y, w, h] in regions {
        let (x1, y1) = ((x + w).min(page.width()), (y + h).min(page.height()));
        if x1 <= x || y1 <= y {
            continue;
        }
        let grey = GrayImage::from_fn(x1 - x, y1 - y, |xx, yy| {
            let v = page.get_pixel(x + xx, y + yy)[0];
            image::Luma([if (shade..PAPER).contains(&v) { 255 } else { 0 }])
        });
        // Opened (eroded, then dilated as much) and grown a pixel: one dilation by one more,
        // the same squares, a pass over the boxes fewer.
        let seal = imageproc::morphology::dilate(&imageproc::morphology::erode(&grey, Norm::LInf, thick), Norm::LInf, thick.saturating_add(1));
        for (xx, yy, m) in seal.enumerate_pixels() {
            if m[0] != 0 {
                view.put_pixel(x + xx, y + yy, image::Luma([255]));
            }
        }
    }
    view
}

/// Shades this pale are paper.
const PAPER: u8 = 235;

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_circle_mut};
    use imageproc::rect::Rect;

    /// A box of print (strokes of `core` shade, their edges shading off to the paper as
    /// anti-aliasing does) and, when `seal` is given, a seal's ring and star in that shade.
    fn boxed(core: u8, seal: Option<u8>) -> GrayImage {
        let mut page = GrayImage::from_pixel(800, 500, image::Luma([255]));
        for i in 0..12 {
            let x = 60 + i * 50;
            // Hollow squares stroked 3 px wide, their edges shading off over 4 px on either side.
            let edge = |j: u32| (core as u32 + (250 - core as u32) * j / 5) as u8;
            let profile = [edge(4), edge(3), edge(2), edge(1), core, core, core, edge(1), edge(2), edge(3), edge(4), 255];
            for (k, shade) in profile.into_iter().enumerate() {
                let k = k as i32;
                draw_filled_rect_mut(&mut page, Rect::at(x + k, 100 + k).of_size(44 - 2 * k as u32, 44 - 2 * k as u32), image::Luma([shade]));
            }
        }
        // A scan's shades are not a few: each spread over the next 48.
        for (x, y, p) in page.enumerate_pixels_mut() {
            if p[0] < 255 {
                p[0] = p[0].saturating_add(((x * 7 + y * 13) % 48) as u8).min(254);
            }
        }
        if let Some(shade) = seal {
            for r in 150..160 {
                draw_hollow_circle_mut(&mut page, (500, 250), r, image::Luma([shade]));
            }
            draw_filled_rect_mut(&mut page, Rect::at(470, 220).of_size(60, 60), image::Luma([shade]));
        }
        page
    }

    #[test]
    fn a_grey_seal_over_the_print_is_set_aside_and_the_print_kept() {
        let mut page = boxed(20, Some(130));
        // A serif's hairline, as grey as the seal, two pixels thick.
        draw_filled_rect_mut(&mut page, Rect::at(60, 200).of_size(200, 2), image::Luma([130]));
        let region = [[0, 0, 800, 500]];
        let shade = seal_shade(&page, &region, &PrintViewParams::default()).expect("a seal's mode");
        assert!((90..=130).contains(&shade), "{shade}");
        let view = without_seal_grey(&page, &region, shade, 2);
        assert_eq!(view.get_pixel(500, 250)[0], 255, "the star is gone");
        assert_eq!(view.get_pixel(500 + 155, 250)[0], 255, "the ring is gone");
        assert!(view.get_pixel(65, 105)[0] < 70, "the print stays");
        assert_eq!(view.get_pixel(100, 201)[0], 130, "and its hairline");
        // Outside the regions nothing changes.
        let part = [[0, 0, 400, 500]];
        assert_eq!(without_seal_grey(&page, &part, shade, 2).get_pixel(500, 250)[0], 130);
    }

    #[test]
    fn print_alone_pale_print_or_a_seal_as_dark_as_the_print_gives_no_view() {
        let p = PrintViewParams::default();
        let all = [[0, 0, 800, 500]];
        assert_eq!(seal_shade(&boxed(20, None), &all, &p), None);
        // A pale scan: the print's cores grey, its ink piled up in the seal's shades.
        assert_eq!(seal_shade(&boxed(120, None), &all, &p), None);
        assert_eq!(seal_shade(&boxed(20, Some(20)), &all, &p), None);
        assert_eq!(seal_shade(&boxed(20, Some(130)), &[], &p), None);
    }
}
