//! Normalised cross-correlation of a small template over a grey image: the score
//! imageproc's `match_template` gives with `CrossCorrelationNormalized`
//! (Σ i·t / √(Σ i² · Σ t²) over each window), in whole numbers.
//!
//! Written here because the approval boxes' date lines are searched for their three printed
//! words in every box, and imageproc's general loop (a closure per pixel, in floats) spent a
//! tenth of the boxes' time on it: here each template pixel is multiplied into a whole row of
//! windows at once, which the compiler vectorises, and the windows' Σ i² come from a table of
//! sums. Whole numbers are also exact where imageproc's float sums round (a window of more
//! than 258 pixels), so a score may differ from imageproc's in its last bits.

use image::{GrayImage, ImageBuffer, Luma};

/// The score at each place of `template` over `image` (`image` minus `template` plus one
/// on each side; empty when the template is larger).
pub fn match_template_ncc(image: &GrayImage, template: &GrayImage) -> ImageBuffer<Luma<f32>, Vec<f32>> {
    let (iw, ih) = image.dimensions();
    let (tw, th) = template.dimensions();
    if tw == 0 || th == 0 || tw > iw || th > ih {
        return ImageBuffer::new(0, 0);
    }
    let (ow, oh) = ((iw - tw + 1) as usize, (ih - th + 1) as usize);
    let (iw, tw, th) = (iw as usize, tw as usize, th as usize);
    let img = image.as_raw();
    let tpl = template.as_raw();
    let tt: u64 = tpl.iter().map(|&t| t as u64 * t as u64).sum();
    // Σ i² over the rectangle above and left of each corner.
    let stride = iw + 1;
    let mut squares = vec![0u64; stride * (ih as usize + 1)];
    for y in 0..ih as usize {
        let mut row = 0u64;
        for x in 0..iw {
            let v = img[y * iw + x] as u64;
            row += v * v;
            squares[(y + 1) * stride + x + 1] = squares[y * stride + x + 1] + row;
        }
    }
    let mut out = vec![0f32; ow * oh];
    let mut acc = vec![0u32; ow];
    for y in 0..oh {
        acc.iter_mut().for_each(|a| *a = 0);
        for dy in 0..th {
            let row = &img[(y + dy) * iw..(y + dy + 1) * iw];
            for dx in 0..tw {
                let t = tpl[dy * tw + dx] as u32;
                if t == 0 {
                    continue;
                }
                for (a, &i) in acc.iter_mut().zip(&row[dx..dx + ow]) {
                    *a += i as u32 * t;
                }
            }
        }
        for (x, &s) in acc.iter().enumerate() {
            let ii = squares[(y + th) * stride + x + tw] + squares[y * stride + x] - squares[y * stride + x + tw] - squares[(y + th) * stride + x];
            let norm = (ii as f32 * tt as f32).sqrt();
            out[y * ow + x] = if norm > 0.0 { s as f32 / norm } else { s as f32 };
        }
    }
    ImageBuffer::from_raw(ow as u32, oh as u32, out).expect("a buffer of the scores' own size")
}

#[cfg(test)]
mod tests {
    use super::*;
    use imageproc::template_matching::{match_template, MatchTemplateMethod};

    #[test]
    fn it_scores_as_imageproc_does() {
        // A pseudo-random page of ink and paper, and a template cut from it.
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) as u8
        };
        let image = GrayImage::from_fn(90, 40, |_, _| Luma([next() / 2 + if next() > 200 { 120 } else { 0 }]));
        let template = image::imageops::crop_imm(&image, 31, 9, 13, 15).to_image();
        let ours = match_template_ncc(&image, &template);
        let theirs = match_template(&image, &template, MatchTemplateMethod::CrossCorrelationNormalized);
        assert_eq!(ours.dimensions(), theirs.dimensions());
        for (a, b) in ours.pixels().zip(theirs.pixels()) {
            assert!((a[0] - b[0]).abs() < 1e-5, "{} against {}", a[0], b[0]);
        }
        assert!((ours.get_pixel(31, 9)[0] - 1.0).abs() < 1e-6, "the template's own place scores 1");
        // Paper alone scores nothing, as in imageproc.
        let blank = GrayImage::new(30, 20);
        assert!(match_template_ncc(&blank, &template).pixels().all(|p| p[0] == 0.0));
        assert_eq!(match_template_ncc(&template, &image).dimensions(), (0, 0));
    }
}
