//! Debug overlays (`process --debug-dir DIR`): each scanned page as formscan saw it after
//! turning and deskewing, with the detected cells (green), the regions OCR read (blue) and
//! what it read in them listed in a text file beside the picture.

use std::path::Path;

use image::{Rgb, RgbImage};
use imageproc::drawing::draw_hollow_rect_mut;
use imageproc::rect::Rect;

use crate::layout::scan_form::PageReading;

fn rect(r: [u32; 4]) -> Option<Rect> {
    (r[2] > 0 && r[3] > 0).then(|| Rect::at(r[0] as i32, r[1] as i32).of_size(r[2], r[3]))
}

/// Writes `<stem>-p<N>.png` and `<stem>-p<N>.txt` into `dir`.
pub fn write_page(dir: &Path, stem: &str, page_no: u32, reading: &PageReading) -> std::io::Result<()> {
    let mut img: RgbImage = image::DynamicImage::ImageLuma8(reading.seen.clone()).to_rgb8();
    for c in &reading.grid.cells {
        for grow in 0..3 {
            if let Some(r) = rect([c.x0.saturating_sub(grow), c.y0.saturating_sub(grow), c.width() + 2 * grow, c.height() + 2 * grow]) {
                draw_hollow_rect_mut(&mut img, r, Rgb([0, 170, 0]));
            }
        }
    }
    let mut notes = format!(
        "page {page_no}: {:?}, turned {}°, deskewed {:.2}°, {} cells, {} labels\n",
        reading.kind,
        reading.quarter_turns * 90,
        reading.skew_deg,
        reading.grid.cells.len(),
        reading.labels_found
    );
    for (b, text) in &reading.ocr_boxes {
        if let Some(r) = rect(*b) {
            draw_hollow_rect_mut(&mut img, r, Rgb([30, 60, 220]));
        }
        notes.push_str(&format!("{:?}\t{}\n", b, text.replace('\n', " / ")));
    }
    for (id, v) in &reading.values {
        notes.push_str(&format!("value {id} = {:?} ({:.2})\n", v.text, v.confidence));
    }
    for b in &reading.boxes {
        let zones = [(Some(b.rect), Rgb([220, 0, 0])), (b.signer_zone, Rgb([240, 140, 0])), (b.date_zone, Rgb([200, 0, 200]))];
        for (z, colour) in zones {
            if let Some(r) = z.and_then(rect) {
                draw_hollow_rect_mut(&mut img, r, colour);
            }
        }
        notes.push_str(&format!("box {}: {:?} signer {:?} date {:?} {:?}\n", b.id, b.rect, b.signer_zone, b.date_zone, b.date_parts));
    }
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(std::io::Error::other)?;
    crate::fsutil::write_atomic(&dir.join(format!("{stem}-p{page_no}.png")), &png)?;
    crate::fsutil::write_atomic(&dir.join(format!("{stem}-p{page_no}.txt")), notes.as_bytes())
}
