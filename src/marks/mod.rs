//! Marks on the approval boxes of a scan: red official seals (公章), and handwriting (the
//! signer's signature, the written date).
//!
//! # Seals ([`find_seals`])
//! A seal is red ink laid out as a ring 40–45 mm across, with a star and the organisation's
//! name inside. Red ink is found by hue, saturation and value ([`red_mask`]) and pooled into
//! cells of about half a millimetre (OR-pooling closes the gaps of speckled paste, as a
//! morphological closing would, on a quarter of the pixels); connected components smaller than
//! a speck are dropped, and components near each other are grouped (a seal's ring, star and
//! characters are separate components, and a faint ring breaks into many). Around each group
//! large enough to hold a seal, red ink down to a weaker saturation (the pale parts of a faint
//! seal) is closed morphologically, and ring centres are proposed by a Hough vote: each pixel
//! of the mask's boundary votes along its gradient for centres one seal radius inwards, so a
//! ring cut by the image's edge or crossed by black writing still gathers votes. Each proposal
//! is verified on a polar histogram of the ink: the ring's radius is the one where red ink is
//! found in the most angular sectors, the centre is refined by a circle fit on the per-sector
//! ring points, an ellipse is also tried (a scan with unequal x/y scale), and the candidate is
//! judged by the share of visible sectors with ink on the ring and paper just beyond it, the
//! longest such arc, the diameter in millimetres and the red ink inside the ring (text, star).
//! A line of red print, an underline, a tick or a scribble inks a seal-sized circle in a few
//! short arcs only.
//!
//! # Handwriting ([`find_handwriting`])
//! In a zone of an upright grey page (red ink already light there): dark pixels, relative to
//! the zone's paper, are ink; printed words known from OCR are blanked, long straight runs
//! (left-over ruling lines) erased, and connected components smaller than dust dropped. What
//! remains is judged by its total area and extent in millimetres and its stroke width (from a
//! distance transform). On a greyscale copy a seal is dark too: components lying on an arc of
//! a seal-sized circle are dropped, and writing found only inside such a circle is no more
//! than `Uncertain`.
//!
//! Every length is given in millimetres and converted at the image's dpi, so the same
//! parameters hold for a 100 dpi overview and a 300 dpi scan.

pub mod judge;
mod fit;
mod ink;
mod ring;
mod seal;
#[cfg(test)]
mod tests;

pub use ink::{find_handwriting, InkFinding, InkParams};
pub use seal::{find_seals, red_mask, SealCandidate, SealParams};

/// Pixels per millimetre at `dpi`; zero, negative or non-finite dpi gives 0, which callers
/// treat as "nothing can be measured".
pub(crate) fn px_per_mm(dpi: f32) -> f32 {
    if dpi.is_finite() && dpi > 0.0 {
        dpi / 25.4
    } else {
        0.0
    }
}

/// `[x, y, w, h]` clipped to a `w × h` image, as `(x0, y0, x1, y1)`; None when nothing is left.
pub(crate) fn clip_rect(r: [u32; 4], w: u32, h: u32) -> Option<(u32, u32, u32, u32)> {
    let x0 = r[0].min(w);
    let y0 = r[1].min(h);
    let x1 = r[0].saturating_add(r[2]).min(w);
    let y1 = r[1].saturating_add(r[3]).min(h);
    (x1 > x0 && y1 > y0).then_some((x0, y0, x1, y1))
}

/// Bounding box and pixel count of each label of a connected-components image (label 0 is
/// the background and gets no entry's worth of pixels).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Blob {
    pub x0: u32,
    pub y0: u32,
    pub x1: u32,
    pub y1: u32,
    pub area: u32,
}

impl Blob {
    pub fn width(&self) -> u32 {
        self.x1 - self.x0 + 1
    }
    pub fn height(&self) -> u32 {
        self.y1 - self.y0 + 1
    }
}

pub(crate) fn blobs(labels: &image::ImageBuffer<image::Luma<u32>, Vec<u32>>) -> Vec<Blob> {
    let n = labels.pixels().map(|p| p.0[0]).max().unwrap_or(0) as usize;
    let mut out = vec![Blob { x0: u32::MAX, y0: u32::MAX, x1: 0, y1: 0, area: 0 }; n + 1];
    for (x, y, p) in labels.enumerate_pixels() {
        let l = p.0[0] as usize;
        if l == 0 {
            continue;
        }
        let b = &mut out[l];
        b.x0 = b.x0.min(x);
        b.y0 = b.y0.min(y);
        b.x1 = b.x1.max(x);
        b.y1 = b.y1.max(y);
        b.area += 1;
    }
    out
}
