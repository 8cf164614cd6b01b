//! Shrinking pages and crops. `image::imageops::thumbnail` and `resize` work pixel by pixel
//! in floating point: bringing a 300 dpi page to 200 dpi took about a tenth of a scanned
//! form's time. `fast_image_resize` does the same convolution with SIMD, row-separable.

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{ImageBuffer, Pixel};

/// How pixels are combined when an image is shrunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shrink {
    /// Each output pixel is the mean of the input pixels whose centres it covers: a thin
    /// ruling line comes out whole, at least half as dark (for the pages that are read).
    Area,
    /// A triangle (bilinear) filter: smoother, for pictures a person looks at and for text
    /// scaled down to the size the OCR models were trained on.
    Bilinear,
}

/// `img` resized to `w × h` (either at least 1). Grey and RGB 8-bit images.
pub fn resize<P>(
    img: &ImageBuffer<P, Vec<u8>>,
    w: u32,
    h: u32,
    how: Shrink,
) -> ImageBuffer<P, Vec<u8>>
where
    P: Pixel<Subpixel = u8> + 'static,
    ImageBuffer<P, Vec<u8>>: fast_image_resize::IntoImageView + fast_image_resize::IntoImageViewMut,
{
    let (w, h) = (w.max(1), h.max(1));
    let mut out: ImageBuffer<P, Vec<u8>> = ImageBuffer::new(w, h);
    if img.width() == 0 || img.height() == 0 {
        return out;
    }
    let filter = match how {
        Shrink::Area => FilterType::Box,
        Shrink::Bilinear => FilterType::Bilinear,
    };
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
    // The pixel types of source and destination are the same by construction, and the sizes
    // are non-zero, the only failures the resizer reports.
    if Resizer::new().resize(img, &mut out, &options).is_err() {
        return image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma, Rgb, RgbImage};

    #[test]
    fn area_shrink_keeps_a_thin_line_as_a_grey_line_and_the_mean_level() {
        // A 1-px black rule every 30 rows on white, shrunk by 1.5 (300 → 200 dpi).
        let img = GrayImage::from_fn(300, 300, |_, y| Luma([if y % 30 == 10 { 0 } else { 255 }]));
        let small = resize(&img, 200, 200, Shrink::Area);
        assert_eq!(small.dimensions(), (200, 200));
        for k in 0..10u32 {
            let y = ((k * 30 + 10) as f32 / 1.5) as u32;
            let darkest = (y.saturating_sub(1)..=(y + 1).min(199))
                .map(|yy| small.get_pixel(100, yy)[0])
                .min()
                .unwrap();
            assert!(darkest <= 128, "rule {k} kept dark: {darkest}");
        }
        let mean = |i: &GrayImage| {
            i.pixels().map(|p| p[0] as f64).sum::<f64>() / (i.width() * i.height()) as f64
        };
        assert!(
            (mean(&img) - mean(&small)).abs() < 3.0,
            "{} against {}",
            mean(&img),
            mean(&small)
        );
    }

    #[test]
    fn colour_is_kept_and_empty_images_do_not_fail() {
        let img = RgbImage::from_pixel(90, 60, Rgb([200, 30, 40]));
        let small = resize(&img, 30, 20, Shrink::Bilinear);
        assert!(small.pixels().all(|p| p
            .0
            .iter()
            .zip([200u8, 30, 40])
            .all(|(a, b)| a.abs_diff(b) <= 1)));
        assert_eq!(
            resize(&GrayImage::new(0, 0), 5, 5, Shrink::Area).dimensions(),
            (5, 5)
        );
    }
}
