//! What the scanner (or the photocopier before it) does to a page: greyscale copies, skew,
//! pages fed upside down, blur, sensor noise and the white-point clipping of scanner software.
//! Everything is drawn from the form's seed.

use image::{GrayImage, Luma, Rgb, RgbImage};
use imageproc::geometric_transformations::{rotate_about_center, Border, Interpolation};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A scanned page, colour or greyscale.
#[derive(Debug, Clone)]
pub enum PageImage {
    Rgb(RgbImage),
    Gray(GrayImage),
}

impl PageImage {
    pub fn dimensions(&self) -> (u32, u32) {
        match self {
            PageImage::Rgb(i) => i.dimensions(),
            PageImage::Gray(i) => i.dimensions(),
        }
    }
}

/// The scan of one form: the same settings for all its pages.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPlan {
    /// Skew, degrees, positive = clockwise; rounded to 0.01.
    pub rotation_deg: f64,
    /// Gaussian blur, in pixels at 300 dpi (scaled to the page's dpi).
    pub blur_300: f32,
    /// Standard deviation of the sensor noise, in grey levels.
    pub noise: f32,
    /// Levels: grey values at or above this become paper white (scanner background removal).
    pub white_point: Option<f32>,
    /// A greyscale photocopy, with its contrast.
    pub gray: Option<f32>,
    /// Chance that a page is fed upside down.
    pub upside_down: f64,
}

impl ScanPlan {
    pub fn draw(rng: &mut ChaCha8Rng, gray: bool, clip_white: bool) -> ScanPlan {
        let rotation = if rng.random_bool(0.15) { rng.random_range(-0.3..0.3) } else { rng.random_range(-3.0..3.0f64) };
        ScanPlan {
            rotation_deg: (rotation * 100.0).round() / 100.0,
            blur_300: rng.random_range(0.3..1.0),
            noise: rng.random_range(1.5..6.0),
            white_point: (clip_white || rng.random_bool(0.5)).then(|| rng.random_range(228.0..245.0)),
            gray: gray.then(|| rng.random_range(1.05..1.3)),
            upside_down: 0.1,
        }
    }
}

/// Scans one page. `seed` drives the page's noise.
pub fn scan_page(page: RgbImage, plan: &ScanPlan, dpi: u32, upside_down: bool, seed: u64) -> PageImage {
    let theta = (plan.rotation_deg as f32).to_radians();
    let sigma = plan.blur_300 * dpi as f32 / 300.0;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    match plan.gray {
        Some(contrast) => {
            let mut g = photocopy(&page, contrast);
            drop(page);
            if theta.abs() > 1e-4 {
                g = rotate_about_center(&g, theta, Interpolation::Bilinear, Border::Constant(Luma([255])));
            }
            if upside_down {
                imageproc::geometric_transformations::rotate180_mut(&mut g);
            }
            if sigma >= 0.2 {
                g = imageproc::filter::gaussian_blur_f32(&g, sigma);
            }
            finish(g.as_mut(), 1, plan, &mut rng);
            PageImage::Gray(g)
        }
        None => {
            let mut c = page;
            if theta.abs() > 1e-4 {
                c = rotate_about_center(&c, theta, Interpolation::Bilinear, Border::Constant(Rgb([255, 255, 255])));
            }
            if upside_down {
                imageproc::geometric_transformations::rotate180_mut(&mut c);
            }
            if sigma >= 0.2 {
                c = imageproc::filter::gaussian_blur_f32(&c, sigma);
            }
            finish(c.as_mut(), 3, plan, &mut rng);
            PageImage::Rgb(c)
        }
    }
}

/// Luma with the photocopier's extra contrast: blacks blacker, light greys gone.
fn photocopy(page: &RgbImage, contrast: f32) -> GrayImage {
    GrayImage::from_fn(page.width(), page.height(), |x, y| {
        let [r, g, b] = page.get_pixel(x, y).0;
        let l = 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
        Luma([((l - 128.0) * contrast + 128.0 + 6.0).round().clamp(0.0, 255.0) as u8])
    })
}

/// Sensor noise (the same for every channel of a pixel, as luminance noise is), then levels.
fn finish(buf: &mut [u8], channels: usize, plan: &ScanPlan, rng: &mut ChaCha8Rng) {
    let scale = plan.white_point.map_or(1.0, |w| 255.0 / w);
    let mut spare: Option<f32> = None;
    for px in buf.chunks_exact_mut(channels) {
        let n = match spare.take() {
            Some(n) => n,
            None => {
                // Box–Muller: two normal deviates from two uniforms.
                let u1: f32 = rng.random_range(f32::EPSILON..1.0);
                let u2: f32 = rng.random();
                let r = (-2.0 * u1.ln()).sqrt();
                let (s, c) = (std::f32::consts::TAU * u2).sin_cos();
                spare = Some(r * s);
                r * c
            }
        } * plan.noise;
        for v in px.iter_mut() {
            *v = ((*v as f32 + n) * scale).round().clamp(0.0, 255.0) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> ScanPlan {
        ScanPlan { rotation_deg: 2.0, blur_300: 0.6, noise: 3.0, white_point: Some(240.0), gray: None, upside_down: 0.1 }
    }

    fn page() -> RgbImage {
        let mut p = RgbImage::from_pixel(300, 400, Rgb([255, 255, 255]));
        for y in 20..60 {
            for x in 20..200 {
                p.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        p
    }

    #[test]
    fn scans_are_reproducible_and_keep_the_size() {
        let a = scan_page(page(), &plan(), 200, false, 5);
        let b = scan_page(page(), &plan(), 200, false, 5);
        let (PageImage::Rgb(a), PageImage::Rgb(b)) = (a, b) else { panic!("colour expected") };
        assert_eq!(a.dimensions(), (300, 400));
        assert_eq!(a.as_raw(), b.as_raw());
        // Paper stays white after levels; ink stays dark.
        assert!(a.get_pixel(150, 300).0[0] > 240);
        assert!(a.get_pixel(100, 40).0[0] < 60);
    }

    #[test]
    fn upside_down_moves_the_ink_to_the_bottom_and_gray_is_luma() {
        let mut p = plan();
        p.rotation_deg = 0.0;
        p.gray = Some(1.2);
        let PageImage::Gray(g) = scan_page(page(), &p, 300, true, 1) else { panic!("grey expected") };
        assert!(g.get_pixel(300 - 1 - 100, 400 - 1 - 40).0[0] < 60);
        assert!(g.get_pixel(100, 40).0[0] > 200);
    }
}
