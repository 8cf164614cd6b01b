//! Pages handed to Tesseract as Leptonica images (the image library Tesseract is built on),
//! packed here a word at a time.

use image::GrayImage;
use leptess::capi;

/// An 8-bit Leptonica image, freed when dropped.
pub(crate) struct Pix(*mut capi::PIX);

impl Drop for Pix {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from pixCreate/pixRotate*, is owned here alone, and
            // pixDestroy nulls it.
            unsafe { capi::pixDestroy(&mut self.0) };
        }
    }
}

impl Pix {
    /// The grey image as Leptonica's, or None if Leptonica could not allocate it.
    pub(crate) fn from_gray(gray: &GrayImage) -> Option<Pix> {
        let (w, h) = gray.dimensions();
        let (wi, hi) = (i32::try_from(w).ok()?, i32::try_from(h).ok()?);
        // SAFETY: pixCreate returns a zeroed w×h 8 bpp image or null.
        let pix = Pix(unsafe { capi::pixCreate(wi, hi, 8) });
        if pix.0.is_null() {
            return None;
        }
        let (data, wpl) = pix.words()?;
        for (y, row) in gray.as_raw().chunks_exact(w as usize).enumerate() {
            // SAFETY: row y of the image is `wpl` words from `data + y * wpl`, inside the
            // buffer pixCreate allocated for h rows.
            let line = unsafe { std::slice::from_raw_parts_mut(data.add(y * wpl), wpl) };
            // Leptonica packs four 8-bit pixels in a native word, the first in its high byte.
            // Whole words first (exact chunks compile to a tight loop), then the row's tail.
            let whole = row.chunks_exact(4);
            let tail = whole.remainder();
            let mut words = line.iter_mut();
            // The pixels lead the zip: a word is not taken unless a whole chunk is there for it.
            for (px, word) in whole.zip(words.by_ref()) {
                *word = u32::from_be_bytes([px[0], px[1], px[2], px[3]]);
            }
            if let (Some(word), false) = (words.next(), tail.is_empty()) {
                let mut b = [0u8; 4];
                b[..tail.len()].copy_from_slice(tail);
                *word = u32::from_be_bytes(b);
            }
        }
        Some(pix)
    }

    /// The live PIX, owned by `self`: valid until `self` is dropped.
    pub(crate) fn as_ptr(&self) -> *mut capi::PIX {
        self.0
    }

    fn words(&self) -> Option<(*mut u32, usize)> {
        // SAFETY: self.0 is a live PIX.
        let (data, wpl) = unsafe { (capi::pixGetData(self.0), capi::pixGetWpl(self.0)) };
        (!data.is_null() && wpl > 0).then_some((data, wpl as usize))
    }

    /// Back to an image buffer (the round trip is tested).
    #[cfg(test)]
    fn to_gray(&self) -> Option<GrayImage> {
        // SAFETY: self.0 is a live PIX; its size and depth are read, not changed.
        let (w, h, d) = unsafe { (capi::pixGetWidth(self.0), capi::pixGetHeight(self.0), capi::pixGetDepth(self.0)) };
        if d != 8 || w <= 0 || h <= 0 {
            return None;
        }
        let (data, wpl) = self.words()?;
        let mut out = vec![0u8; w as usize * h as usize];
        for (y, row) in out.chunks_exact_mut(w as usize).enumerate() {
            // SAFETY: as in `from_gray`, row y lies inside the image's buffer.
            let line = unsafe { std::slice::from_raw_parts(data.add(y * wpl), wpl) };
            let mut px = row.chunks_exact_mut(4);
            for (dst, word) in px.by_ref().zip(line) {
                dst.copy_from_slice(&word.to_be_bytes());
            }
            let tail = px.into_remainder();
            if let Some(word) = line.get(w as usize / 4) {
                let n = tail.len();
                tail.copy_from_slice(&word.to_be_bytes()[..n]);
            }
        }
        GrayImage::from_raw(w as u32, h as u32, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_go_to_leptonica_and_back_unchanged_whatever_the_width() {
        for w in [1u32, 4, 7, 1003] {
            let img = GrayImage::from_fn(w, 5, |x, y| image::Luma([(x * 7 + y * 31) as u8]));
            let back = Pix::from_gray(&img).and_then(|p| p.to_gray()).expect("converted");
            assert_eq!(back, img, "width {w}");
        }
    }
}
