//! Deskewing: a page turned by a small angle about its centre, sampled bilinearly.
//!
//! Written here rather than taken from imageproc or Leptonica because it is the most
//! expensive step of a page outside OCR: imageproc's general projective warp took a tenth
//! of a scan's time at 300 dpi, and Leptonica's area-mapping rotation (with the copies into
//! and out of its own image) 80 ms a 300 dpi page, more than all the rest of the page's
//! preparation. Walking each output row in fixed point, as here, does the same bilinear
//! sampling in about half that (35–50 ms).

use image::{ImageBuffer, Pixel};

/// `img` rotated by `deg` degrees about its centre, clockwise for a positive angle as
/// imageproc's `rotate_about_center` turns; the same size, the uncovered corners `fill`.
pub fn rotate_bilinear<P>(img: &ImageBuffer<P, Vec<u8>>, deg: f32, fill: P) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
{
    let (w, h) = img.dimensions();
    let data = match P::CHANNEL_COUNT {
        1 => rotate_raw::<1>(img.as_raw(), w, h, deg, fill.channels()),
        3 => rotate_raw::<3>(img.as_raw(), w, h, deg, fill.channels()),
        4 => rotate_raw::<4>(img.as_raw(), w, h, deg, fill.channels()),
        _ => unreachable!("8-bit grey, RGB and RGBA images only"),
    };
    ImageBuffer::from_raw(w, h, data).expect("a buffer of the image's own size")
}

/// Fixed point: 16 bits of fraction; a page's coordinates (under 32 768 px) fit in an i32.
const SHIFT: u32 = 16;
const ONE: i32 = 1 << SHIFT;

fn rotate_raw<const C: usize>(src: &[u8], w: u32, h: u32, deg: f32, fill: &[u8]) -> Vec<u8> {
    let (wi, hi) = (w as i32, h as i32);
    let mut out = vec![0u8; src.len()];
    if w == 0 || h == 0 || w >= 32_768 || h >= 32_768 {
        out.copy_from_slice(src);
        return out;
    }
    let fill: [u8; C] = std::array::from_fn(|i| fill.get(i).copied().unwrap_or(255));
    // An output pixel (x, y) shows the input at the inverse rotation about the centre.
    let (sin, cos) = (deg.to_radians() as f64).sin_cos();
    let (cx, cy) = (w as f64 / 2.0, h as f64 / 2.0);
    let fixed = |v: f64| (v * ONE as f64).round() as i32;
    let (step_x, step_y) = (fixed(cos), fixed(-sin));
    let stride = w as usize * C;
    let at = |x: i32, y: i32| -> [u8; C] {
        if x < 0 || y < 0 || x >= wi || y >= hi {
            fill
        } else {
            let i = y as usize * stride + x as usize * C;
            std::array::from_fn(|c| src[i + c])
        }
    };
    for (y, row) in out.chunks_exact_mut(stride).enumerate() {
        let dy = y as f64 - cy;
        let mut sx = fixed(cos * -cx + sin * dy + cx);
        let mut sy = fixed(-sin * -cx + cos * dy + cy);
        for px in row.chunks_exact_mut(C) {
            let (x0, y0) = (sx >> SHIFT, sy >> SHIFT);
            let (fx, fy) = ((sx & (ONE - 1)) >> 8, (sy & (ONE - 1)) >> 8);
            if x0 >= 0 && y0 >= 0 && x0 + 1 < wi && y0 + 1 < hi {
                let i = y0 as usize * stride + x0 as usize * C;
                // The four neighbours as two pairs, one bounds check each.
                let (upper, lower) = (&src[i..i + 2 * C], &src[i + stride..i + stride + 2 * C]);
                for c in 0..C {
                    px[c] = mix([upper[c], upper[C + c], lower[c], lower[C + c]], fx, fy);
                }
            } else if x0 >= -1 && y0 >= -1 && x0 < wi && y0 < hi {
                // On the image's edge: what lies outside is the fill.
                let (a, b, d, e) = (at(x0, y0), at(x0 + 1, y0), at(x0, y0 + 1), at(x0 + 1, y0 + 1));
                for c in 0..C {
                    px[c] = mix([a[c], b[c], d[c], e[c]], fx, fy);
                }
            } else {
                px.copy_from_slice(&fill);
            }
            sx += step_x;
            sy += step_y;
        }
    }
    out
}

/// Bilinear mix of four neighbours (upper left, upper right, lower left, lower right) at the
/// fractions `fx`, `fy` of 256.
#[inline]
fn mix([a, b, d, e]: [u8; 4], fx: i32, fy: i32) -> u8 {
    let (a, b, d, e) = (a as i32, b as i32, d as i32, e as i32);
    let top = (a << 8) + (b - a) * fx;
    let bottom = (d << 8) + (e - d) * fx;
    (((top << 8) + (bottom - top) * fy + (1 << 15)) >> 16) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma, Rgb, RgbImage};
    use imageproc::drawing::draw_filled_rect_mut;
    use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};
    use imageproc::rect::Rect;

    fn page() -> GrayImage {
        let mut g = GrayImage::from_pixel(1000, 1400, Luma([250]));
        for i in 0..12 {
            draw_filled_rect_mut(&mut g, Rect::at(100, 100 + i * 100).of_size(800, 2), Luma([0]));
        }
        draw_filled_rect_mut(&mut g, Rect::at(700, 200).of_size(40, 900), Luma([30]));
        g
    }

    #[test]
    fn it_turns_the_way_imageproc_does_and_as_sharply() {
        let page = page();
        for deg in [-3.1f32, 0.7, 2.5] {
            let a = rotate_bilinear(&page, deg, Luma([255]));
            let b = rotate_about_center(&page, deg.to_radians(), Interpolation::Bilinear, Border::Constant(Luma([255])));
            let differ = a.pixels().zip(b.pixels()).filter(|(p, q)| p[0].abs_diff(q[0]) > 64).count();
            assert!(differ < 1_500, "{deg}°: {differ} pixels differ");
            let moved = a.pixels().zip(page.pixels()).filter(|(p, q)| p[0].abs_diff(q[0]) > 96).count();
            assert!(moved > 10_000, "{deg}°: the page was turned ({moved} pixels changed)");
            // A 2 px rule stays as dark as bilinear sampling leaves it: its darkest pixel in a
            // column near the middle is ink.
            let darkest = (0..a.height()).map(|y| a.get_pixel(500, y)[0]).min().unwrap();
            assert!(darkest < 60, "{deg}°: {darkest}");
        }
    }

    #[test]
    fn no_angle_is_no_change_and_corners_are_the_fill() {
        let page = page();
        assert_eq!(rotate_bilinear(&page, 0.0, Luma([255])), page);
        let rgb = RgbImage::from_pixel(300, 200, Rgb([200, 30, 40]));
        let r = rotate_bilinear(&rgb, 4.0, Rgb([255, 255, 255]));
        assert_eq!(*r.get_pixel(0, 0), Rgb([255, 255, 255]));
        assert_eq!(*r.get_pixel(150, 100), Rgb([200, 30, 40]));
        assert_eq!(rotate_bilinear(&GrayImage::new(0, 0), 2.0, Luma([255])).dimensions(), (0, 0));
    }
}
