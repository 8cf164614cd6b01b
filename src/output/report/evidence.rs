//! The pictures of the report, written while a scan's pages are still in memory: a crop of
//! each field where it was read, each approval box with its seal, signature and date outlined,
//! and a thumbnail of each page with the detected cells. JPEG files under `OUTDIR/report/`,
//! referenced by the page, so that the page itself stays small with hundreds of forms.

use std::path::Path;

use image::{GrayImage, Rgb, RgbImage};
use imageproc::drawing::{draw_filled_rect_mut, draw_hollow_rect_mut};
use imageproc::rect::Rect;

use crate::preprocess::{resize, Shrink};
use crate::record::Record;

use super::mask::PII_FIELDS;
use super::{Evidence, EvidencePage, PageImage};

/// Margin around a field's box, in page pixels at the scan's resolution: enough to see the
/// cell's lines and any stroke that ran past the box.
const PAD: f32 = 12.0;
/// Largest crop written (pixels); bigger boxes are scaled down.
const MAX_CROP: (u32, u32) = (900, 420);
const MAX_BOX: (u32, u32) = (760, 480);
const THUMB_HEIGHT: u32 = 600;
const JPEG_QUALITY: u8 = 80;

pub const SEAL_COLOUR: Rgb<u8> = Rgb([220, 0, 0]);
pub const SIGNATURE_COLOUR: Rgb<u8> = Rgb([20, 70, 230]);
pub const DATE_COLOUR: Rgb<u8> = Rgb([0, 150, 60]);
const CELL_COLOUR: Rgb<u8> = Rgb([0, 170, 0]);
/// Covers ID and phone numbers on page thumbnails.
const COVER_COLOUR: Rgb<u8> = Rgb([150, 150, 150]);

impl PageImage<'_> {
    fn dimensions(&self) -> (u32, u32) {
        match self {
            PageImage::Rgb(i) => i.dimensions(),
            PageImage::Gray(i) => i.dimensions(),
        }
    }

    /// A part of the page as it is: a grey page's crop stays grey (written as a grey JPEG,
    /// a third of the encoding).
    fn crop(&self, [x, y, w, h]: [u32; 4]) -> Picture {
        match self {
            PageImage::Rgb(i) => Picture::Rgb(image::imageops::crop_imm(*i, x, y, w, h).to_image()),
            PageImage::Gray(i) => Picture::Gray(image::imageops::crop_imm(*i, x, y, w, h).to_image()),
        }
    }

    fn thumbnail(&self, w: u32, h: u32) -> RgbImage {
        match self {
            PageImage::Rgb(i) => resize(i, w, h, Shrink::Area),
            PageImage::Gray(i) => gray_to_rgb(&resize(i, w, h, Shrink::Area)),
        }
    }
}

/// A picture on its way to a JPEG file.
enum Picture {
    Rgb(RgbImage),
    Gray(GrayImage),
}

impl Picture {
    /// Scaled down to fit `max` (never enlarged).
    fn shrink(self, max: (u32, u32)) -> Picture {
        match self {
            Picture::Rgb(i) => Picture::Rgb(shrink(i, max)),
            Picture::Gray(i) => Picture::Gray(shrink(i, max)),
        }
    }

    /// In colour, for outlines drawn on it.
    fn into_rgb(self) -> RgbImage {
        match self {
            Picture::Rgb(i) => i,
            Picture::Gray(i) => gray_to_rgb(&i),
        }
    }
}

/// Each grey level repeated in three channels. (image's own conversion goes through its
/// colour-space machinery, several times slower for this.)
fn gray_to_rgb(g: &GrayImage) -> RgbImage {
    let raw: Vec<u8> = g.as_raw().iter().flat_map(|&v| [v, v, v]).collect();
    RgbImage::from_raw(g.width(), g.height(), raw).expect("three bytes for each grey pixel")
}

/// A record-pixel box in image pixels, padded by `pad` and clipped to the image; None when
/// nothing of it is on the image.
fn to_image_box(b: [u32; 4], scale: f32, pad: f32, (iw, ih): (u32, u32)) -> Option<[u32; 4]> {
    let x0 = (b[0] as f32 * scale - pad).max(0.0) as u32;
    let y0 = (b[1] as f32 * scale - pad).max(0.0) as u32;
    let x1 = (((b[0] + b[2]) as f32 * scale + pad).ceil() as u32).min(iw);
    let y1 = (((b[1] + b[3]) as f32 * scale + pad).ceil() as u32).min(ih);
    (x1 > x0 && y1 > y0 && b[2] > 0 && b[3] > 0).then(|| [x0, y0, x1 - x0, y1 - y0])
}

/// The factor that brings `(w, h)` within `max` (never enlarging).
fn fit(w: u32, h: u32, max: (u32, u32)) -> f32 {
    (max.0 as f32 / w as f32).min(max.1 as f32 / h as f32).min(1.0)
}

fn shrink<P>(img: image::ImageBuffer<P, Vec<u8>>, max: (u32, u32)) -> image::ImageBuffer<P, Vec<u8>>
where
    P: image::Pixel<Subpixel = u8> + 'static,
    image::ImageBuffer<P, Vec<u8>>: fast_image_resize::IntoImageView + fast_image_resize::IntoImageViewMut,
{
    let f = fit(img.width(), img.height(), max);
    if f >= 1.0 {
        return img;
    }
    let (w, h) = (((img.width() as f32 * f).round() as u32).max(1), ((img.height() as f32 * f).round() as u32).max(1));
    resize(&img, w, h, Shrink::Bilinear)
}

/// Draws a box `thick` pixels wide, inside the image.
fn outline(img: &mut RgbImage, [x, y, w, h]: [u32; 4], colour: Rgb<u8>, thick: u32) {
    for t in 0..thick {
        if w > 2 * t && h > 2 * t {
            draw_hollow_rect_mut(img, Rect::at((x + t) as i32, (y + t) as i32).of_size(w - 2 * t, h - 2 * t), colour);
        }
    }
}

/// A record-pixel box as drawn on a picture made from the image box `origin` scaled by `f`.
fn on_picture(b: [u32; 4], scale: f32, origin: [u32; 4], f: f32) -> [u32; 4] {
    let x = ((b[0] as f32 * scale - origin[0] as f32) * f).max(0.0);
    let y = ((b[1] as f32 * scale - origin[1] as f32) * f).max(0.0);
    [x as u32, y as u32, (b[2] as f32 * scale * f).round() as u32, (b[3] as f32 * scale * f).round() as u32]
}

/// Encoded by `jpeg-encoder` (SIMD): image's encoder took a twentieth of a scanned form's
/// time for its two dozen pictures.
fn write_jpeg(outdir: &Path, rel: &str, pic: &Picture) -> std::io::Result<()> {
    use jpeg_encoder::{ColorType, Encoder};
    let (raw, w, h, colour) = match pic {
        Picture::Rgb(i) => (i.as_raw(), i.width(), i.height(), ColorType::Rgb),
        Picture::Gray(i) => (i.as_raw(), i.width(), i.height(), ColorType::Luma),
    };
    let (Ok(w), Ok(h)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(std::io::Error::other(format!("a picture of {w}×{h} pixels is too large for JPEG")));
    };
    let mut bytes = Vec::new();
    Encoder::new(&mut bytes, JPEG_QUALITY).encode(raw, w, h, colour).map_err(std::io::Error::other)?;
    // A plain write, not `write_atomic`: a picture is rewritten by the next run anyway, and
    // syncing each of a form's two dozen files to disk cost more than encoding them.
    let path = outdir.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

/// A key safe as one folder name and inside a URL: letters and digits (any script), `-`, `_`.
pub fn safe_key(key: &str) -> String {
    let k: String = key.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if k.is_empty() { "_".into() } else { k }
}

pub fn write(outdir: &Path, key: &str, pages: &[EvidencePage], record: &Record) -> std::io::Result<Evidence> {
    let dir = format!("report/{}", safe_key(key));
    let page = |n: u32| pages.iter().find(|p| p.page == n);
    let mut ev = Evidence::default();
    for p in pages {
        let (iw, ih) = p.image.dimensions();
        let t = (THUMB_HEIGHT as f32 / ih as f32).min(1.0);
        let mut thumb = p.image.thumbnail(((iw as f32 * t).round() as u32).max(1), ((ih as f32 * t).round() as u32).max(1));
        for &c in &p.cells {
            let r = on_picture(c, p.scale, [0, 0, iw, ih], t);
            outline(&mut thumb, r, CELL_COLOUR, 2);
        }
        for id in PII_FIELDS {
            let Some(b) = record.fields.get(id).filter(|v| v.page == Some(p.page)).and_then(|v| v.bbox) else { continue };
            let [x, y, w, h] = on_picture(b, p.scale, [0, 0, iw, ih], t);
            if w > 0 && h > 0 {
                draw_filled_rect_mut(&mut thumb, Rect::at(x as i32, y as i32).of_size(w, h), COVER_COLOUR);
            }
        }
        let rel = format!("{dir}/p{}.jpg", p.page);
        write_jpeg(outdir, &rel, &Picture::Rgb(thumb))?;
        ev.pages.push(rel);
    }
    for (id, v) in &record.fields {
        let (Some(n), Some(b)) = (v.page, v.bbox) else { continue };
        let Some(p) = page(n) else { continue };
        let Some(area) = to_image_box(b, p.scale, PAD * p.scale, p.image.dimensions()) else { continue };
        let rel = format!("{dir}/f-{}.jpg", safe_key(id));
        write_jpeg(outdir, &rel, &p.image.crop(area).shrink(MAX_CROP))?;
        ev.fields.insert(id.clone(), rel);
    }
    for (id, a) in &record.approvals {
        let Some(e) = &a.evidence else { continue };
        let Some(p) = page(e.page) else { continue };
        let Some(area) = to_image_box(e.bbox, p.scale, PAD * p.scale, p.image.dimensions()) else { continue };
        let f = fit(area[2], area[3], MAX_BOX);
        let mut img = p.image.crop(area).shrink(MAX_BOX).into_rgb();
        for (b, colour) in [(e.seal, SEAL_COLOUR), (e.signature, SIGNATURE_COLOUR), (e.date, DATE_COLOUR)] {
            if let Some(b) = b {
                outline(&mut img, on_picture(b, p.scale, area, f), colour, 3);
            }
        }
        let rel = format!("{dir}/b-{}.jpg", safe_key(id));
        write_jpeg(outdir, &rel, &Picture::Rgb(img))?;
        ev.boxes.insert(id.clone(), rel);
    }
    Ok(ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::report::tests::record;
    use crate::record::{Approval, ApprovalEvidence, Mark, Status};

    fn decode(path: &Path) -> RgbImage {
        image::ImageReader::open(path).unwrap().with_guessed_format().unwrap().decode().unwrap().into_rgb8()
    }

    /// Tinted like `c`: its strongest channel well above the others (JPEG blurs colour).
    fn near(p: &Rgb<u8>, c: Rgb<u8>) -> bool {
        let top = (0..3).max_by_key(|&i| c[i]).unwrap();
        (0..3).filter(|&i| i != top).all(|i| p[top] as i32 - p[i] as i32 > 50)
    }

    #[test]
    fn crops_thumbnails_and_outlines() {
        // A white page at twice the record's resolution, with a grey field box.
        let mut img = RgbImage::from_pixel(1200, 1600, Rgb([255, 255, 255]));
        for y in 200..260 {
            for x in 100..500 {
                img.put_pixel(x, y, Rgb([90, 90, 90]));
            }
        }
        let mut r = record("in/scan 1.pdf", "张三", "包头市", Status::Complete);
        let name = r.fields.get_mut("name").unwrap();
        (name.page, name.bbox) = (Some(1), Some([50, 100, 200, 30]));
        let phone = r.fields.get_mut("phone").unwrap();
        (phone.page, phone.bbox) = (Some(1), Some([300, 600, 200, 40]));
        let box_ev = ApprovalEvidence { page: 1, bbox: [100, 400, 300, 200], seal: Some([250, 450, 100, 100]), signature: Some([120, 520, 80, 30]), ..Default::default() };
        let mut a = Approval::new(Mark::Present, Mark::Present, None);
        a.evidence = Some(box_ev);
        r.approvals.insert("unit_union".into(), a);
        let dir = tempfile::tempdir().unwrap();
        let pages = [EvidencePage { page: 1, image: PageImage::Rgb(&img), scale: 2.0, cells: vec![[10, 10, 100, 100]] }];
        let ev = write(dir.path(), "0001-scan 1", &pages, &r).unwrap();

        assert_eq!(ev.pages, ["report/0001-scan_1/p1.jpg"]);
        let thumb = decode(&dir.path().join(&ev.pages[0]));
        assert_eq!(thumb.height(), 600);
        assert!(near(thumb.get_pixel(40, 8), CELL_COLOUR), "cell outline at (10 + 0…100)·2·600/1600 = 7 … 82");
        let covered = thumb.get_pixel(300 * 2 * 3 / 8 + 20, 600 * 2 * 3 / 8 + 10);
        assert!((120..180).contains(&covered[0]), "the phone is covered on the thumbnail: {covered:?}");
        assert!(thumb.get_pixel(100, 300)[0] > 230, "white elsewhere");

        // The field: 400×60 image pixels plus 24 on each side.
        let crop = decode(&dir.path().join(&ev.fields["name"]));
        assert_eq!(crop.dimensions(), (448, 108));
        assert!(crop.get_pixel(224, 54)[0] < 130 && crop.get_pixel(5, 5)[0] > 230, "the box is in the middle, margin around");

        // The approval box: 600×400 + 48 → scaled to fit 760×480.
        let b = decode(&dir.path().join(&ev.boxes["unit_union"]));
        let f = (760.0f32 / 648.0).min(480.0 / 448.0).min(1.0);
        assert_eq!(b.dimensions(), ((648.0 * f).round() as u32, (448.0 * f).round() as u32));
        let at = |x: u32, y: u32| ((x as f32 * 2.0 - 176.0) * f, (y as f32 * 2.0 - 776.0) * f);
        let (sx, sy) = at(250, 450);
        assert!(near(b.get_pixel(sx as u32 + 1, sy as u32 + 20), SEAL_COLOUR), "seal outline");
        let (gx, gy) = at(120, 520);
        assert!(near(b.get_pixel(gx as u32 + 20, gy as u32 + 1), SIGNATURE_COLOUR), "signature outline");
        assert!(b.get_pixel(b.width() / 2, 10)[0] > 230, "white elsewhere");
        assert!(ev.boxes.len() == 1 && ev.fields.contains_key("phone") && !ev.fields.contains_key("title"));
    }

    #[test]
    fn grey_pages_and_boxes_off_the_page() {
        let img = GrayImage::from_pixel(300, 400, image::Luma([200]));
        let mut r = record("a.tif", "李四", "", Status::Complete);
        let f = r.fields.get_mut("name").unwrap();
        (f.page, f.bbox) = (Some(1), Some([500, 500, 10, 10]));
        let f = r.fields.get_mut("phone").unwrap();
        (f.page, f.bbox) = (Some(2), Some([0, 0, 10, 10]));
        let dir = tempfile::tempdir().unwrap();
        let pages = [EvidencePage { page: 1, image: PageImage::Gray(&img), scale: 1.0, cells: vec![] }];
        let ev = write(dir.path(), "../x", &pages, &r).unwrap();
        assert_eq!(ev.pages, ["report/___x/p1.jpg"]);
        assert!(ev.fields.is_empty(), "a box off the page and a page not given make no crop");
        assert_eq!(decode(&dir.path().join(&ev.pages[0])).dimensions(), (300, 400), "never enlarged");
    }
}
