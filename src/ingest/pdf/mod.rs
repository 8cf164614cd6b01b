//! The pages of a PDF as images.
//!
//! A scanned PDF is a wrapper round one picture a page: that picture is taken out and decoded at
//! its own resolution (no resampling, no renderer), then turned the way the page shows it. A page
//! that is not a scan (text drawn by Word's "save as PDF", or a scan with typed text over it) is
//! rasterised instead.
//!
//! Rasterising route: poppler's `pdftoppm`, run on a temporary copy of the file. Why: it is what
//! the rest of formscan already drives (`crate::external`), Debian ships it, and it renders CJK
//! text with the system's fonts. The pure-Rust renderer `hayro` (0.9 on crates.io,
//! Apache-2.0/MIT) could replace it later without the external program; it is not a dependency
//! yet, and it cannot open encrypted files or find non-embedded CJK fonts on its own.
//!
//! Nothing in the file is trusted: lopdf loads with `max_decompressed_size` set from the limits,
//! every image's declared size is checked before its pixels are allocated, and the whole reading
//! runs under `catch_unwind` as a second line of defence against parser panics.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use ::image::{ImageFormat, RgbImage};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult};

use super::image::{check_dimensions, cmyk_to_rgb, decode_raster, unpack};
use super::{ImageLimits, PageImage, Unreadable};

mod decode;
mod render;
use decode::*;
use render::*;

/// Resolution pages without a scan are rasterised at: enough for Tesseract on 5-point text.
const RENDER_DPI: u32 = 300;
/// Share of the page an image must cover to be taken for the page's scan.
const MIN_COVERAGE: f32 = 0.5;
/// `pdftoppm` on one page; a form page takes well under a second.
const RENDER_TIMEOUT: Duration = Duration::from_secs(120);

/// The pages of a PDF as images, in page order, at most `limits.max_pages`.
pub fn pdf_pages(bytes: &[u8], limits: &ImageLimits) -> Result<Vec<PageImage>, Unreadable> {
    let mut out = Vec::new();
    for_each_pdf_page(bytes, limits, &mut |p| {
        out.push(p);
        Ok(())
    })?;
    Ok(out)
}

/// Hands each page of a PDF to `each` as soon as it is decoded, in page order, so that a
/// caller who reduces a page (to grey, to a small copy) never holds more than one page at
/// full colour: 26 MB at 300 dpi.
pub fn for_each_pdf_page(bytes: &[u8], limits: &ImageLimits, each: &mut dyn FnMut(PageImage) -> Result<(), Unreadable>) -> Result<(), Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::Empty);
    }
    // lopdf ≥ 0.45 fixed the crashes known to us (pitfalls.md); a panic that remains becomes a
    // typed error here instead of ending the batch. A stack overflow is not catchable.
    catch_unwind(AssertUnwindSafe(|| read_pages(bytes, limits, each)))
        .unwrap_or_else(|_| Err(Unreadable::BadPdf("the PDF parser failed on this file".into())))
}

fn bad(e: lopdf::Error) -> Unreadable {
    match e {
        lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { limit }) => {
            Unreadable::ImageTooLarge(format!("a PDF stream inflates beyond {} MB", limit >> 20))
        }
        other => Unreadable::BadPdf(other.to_string()),
    }
}

/// An image error inside a PDF is the PDF's fault: say so in the PDF's terms.
fn in_pdf(e: Unreadable) -> Unreadable {
    match e {
        Unreadable::BadImage(m) => Unreadable::BadPdf(format!("page image: {m}")),
        other => other,
    }
}

fn load(bytes: &[u8], limits: &ImageLimits) -> Result<Document, Unreadable> {
    let options = LoadOptions { max_decompressed_size: Some(limits.max_stream_bytes), ..LoadOptions::default() };
    match Document::load_mem_with_options(bytes, options) {
        // lopdf tries the empty user password; when that fails it returns the document with its
        // objects unread and /Encrypt still in the trailer.
        Ok(doc) if doc.trailer.has(b"Encrypt") => Err(Unreadable::EncryptedPdf),
        // Decrypted with the empty user password: encrypted for its permissions only (an owner
        // password), which every viewer opens without asking. It is read, not refused: telling
        // the applicant to remove a password they never typed would not help.
        Ok(doc) => Ok(doc),
        Err(lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) | lopdf::Error::UnsupportedSecurityHandler(_)) => {
            Err(Unreadable::EncryptedPdf)
        }
        Err(_) if declares_encryption(bytes) => Err(Unreadable::EncryptedPdf),
        Err(e) => Err(bad(e)),
    }
}

/// `/Encrypt` in a trailer or cross-reference stream dictionary: the last resort when lopdf fails
/// on an encrypted file for some other reason.
fn declares_encryption(bytes: &[u8]) -> bool {
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

fn read_pages(bytes: &[u8], limits: &ImageLimits, each: &mut dyn FnMut(PageImage) -> Result<(), Unreadable>) -> Result<(), Unreadable> {
    let doc = load(bytes, limits)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Unreadable::NoPages);
    }
    let mut renderer = Renderer { bytes, dir: None };
    for (index, (&number, &id)) in pages.iter().take(limits.max_pages as usize).enumerate() {
        let (image, dpi) = read_page(&doc, id, number, limits, &mut renderer)?;
        each(PageImage { index: index as u32, image, dpi: Some(dpi) })?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Page attributes

/// Follows references (lopdf bounds the chain).
fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(&Object::Null)
}

/// A page attribute that may be inherited from the parent Pages nodes (Rotate, MediaBox, CropBox,
/// Resources).
fn inherited<'a>(doc: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..64 {
        if let Ok(v) = node.get(key) {
            return Some(deref(doc, v));
        }
        node = match node.get(b"Parent").map(|p| deref(doc, p)) {
            Ok(Object::Dictionary(d)) => d,
            _ => return None,
        };
    }
    None
}

fn number(o: &Object) -> Option<f32> {
    o.as_float().ok().filter(|v| v.is_finite())
}

fn rect(doc: &Document, o: Option<&Object>) -> Option<[f32; 4]> {
    let a = o?.as_array().ok()?;
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f32> = a.iter().filter_map(|x| number(deref(doc, x))).collect();
    if v.len() != 4 {
        return None;
    }
    let r = [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])];
    (r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0).then_some(r)
}

/// The visible page: the CropBox within the MediaBox, US Letter when neither is readable.
fn page_box(doc: &Document, page: &Dictionary) -> [f32; 4] {
    let media = rect(doc, inherited(doc, page, b"MediaBox")).unwrap_or([0.0, 0.0, 612.0, 792.0]);
    match rect(doc, inherited(doc, page, b"CropBox")) {
        Some(c) => {
            let r = [c[0].max(media[0]), c[1].max(media[1]), c[2].min(media[2]), c[3].min(media[3])];
            if r[2] - r[0] > 1.0 && r[3] - r[1] > 1.0 {
                r
            } else {
                media
            }
        }
        None => media,
    }
}

/// /Rotate in quarter turns clockwise, 0–3. Values that are not multiples of 90 are invalid and
/// ignored, as viewers do.
fn quarter_turns(doc: &Document, page: &Dictionary) -> u8 {
    let r = inherited(doc, page, b"Rotate").and_then(|o| o.as_i64().ok()).unwrap_or(0);
    if r % 90 != 0 {
        return 0;
    }
    (r.rem_euclid(360) / 90) as u8
}

// ---------------------------------------------------------------------------------------------
// What a page draws

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` × `ctm`: the transformation a `cm` operator (or a Form's /Matrix) puts before the current one.
fn concat(m: &Matrix, ctm: &Matrix) -> Matrix {
    [
        m[0] * ctm[0] + m[1] * ctm[2],
        m[0] * ctm[1] + m[1] * ctm[3],
        m[2] * ctm[0] + m[3] * ctm[2],
        m[2] * ctm[1] + m[3] * ctm[3],
        m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
        m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
    ]
}

fn matrix(doc: &Document, operands: &[Object]) -> Option<Matrix> {
    if operands.len() != 6 {
        return None;
    }
    let mut m = [0.0; 6];
    for (slot, o) in m.iter_mut().zip(operands) {
        *slot = number(deref(doc, o))?;
    }
    Some(m)
}

/// An image XObject the page draws, with the transformation in force at its `Do`.
struct Placed<'a> {
    stream: &'a Stream,
    ctm: Matrix,
}

#[derive(Default)]
struct Survey<'a> {
    images: Vec<Placed<'a>>,
    /// Text shown in a visible rendering mode. An OCR layer over a scan uses mode 3 (invisible)
    /// and does not count: typed text over a picture does, and then the page must be rendered.
    visible_text: bool,
}

fn xobject<'a>(doc: &'a Document, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<&'a Stream> {
    let xobjects = match deref(doc, resources?.get(b"XObject").ok()?) {
        Object::Dictionary(d) => d,
        _ => return None,
    };
    deref(doc, xobjects.get(name).ok()?).as_stream().ok()
}

/// Walks a content stream tracking q/Q/cm and the text rendering mode, and notes each image it
/// draws. Form XObjects are followed one level deep: a scanner's software sometimes wraps the
/// page image in one.
fn survey<'a>(
    doc: &'a Document,
    ops: &[Operation],
    resources: Option<&'a Dictionary>,
    start: Matrix,
    depth: u8,
    limits: &ImageLimits,
    out: &mut Survey<'a>,
) {
    let mut ctm = start;
    let mut render_mode = 0i64;
    let mut stack: Vec<(Matrix, i64)> = Vec::new();
    for op in ops {
        match op.operator.as_str() {
            "q" => stack.push((ctm, render_mode)),
            "Q" => {
                if let Some((m, r)) = stack.pop() {
                    ctm = m;
                    render_mode = r;
                }
            }
            "cm" => {
                if let Some(m) = matrix(doc, &op.operands) {
                    ctm = concat(&m, &ctm);
                }
            }
            "Tr" => render_mode = op.operands.first().and_then(|o| o.as_i64().ok()).unwrap_or(0),
            "Tj" | "TJ" | "'" | "\"" if render_mode != 3 && render_mode != 7 => out.visible_text = true,
            "Do" => {
                let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                let Some(stream) = xobject(doc, resources, name) else { continue };
                match stream.dict.get(b"Subtype").and_then(Object::as_name) {
                    Ok(b"Image") => out.images.push(Placed { stream, ctm }),
                    Ok(b"Form") if depth == 0 => {
                        let form_matrix = stream.dict.get(b"Matrix").ok().and_then(|m| m.as_array().ok()).and_then(|a| matrix(doc, a)).unwrap_or(IDENTITY);
                        let form_resources = match stream.dict.get(b"Resources").map(|r| deref(doc, r)) {
                            Ok(Object::Dictionary(d)) => Some(d),
                            _ => resources,
                        };
                        let Ok(content) = stream_bytes(stream, limits.max_stream_bytes) else { continue };
                        if let Ok(content) = Content::decode(&content) {
                            survey(doc, &content.operations, form_resources, concat(&form_matrix, &ctm), depth + 1, limits, out);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

fn stream_bytes(stream: &Stream, max: usize) -> Result<Vec<u8>, Unreadable> {
    if stream.dict.has(b"Filter") {
        stream.decompressed_content_with_limit(max).map_err(bad)
    } else if stream.content.len() > max {
        Err(Unreadable::ImageTooLarge(format!("a PDF stream exceeds {} MB", max >> 20)))
    } else {
        Ok(stream.content.clone())
    }
}

fn int(doc: &Document, d: &Dictionary, key: &[u8]) -> Option<i64> {
    d.get(key).ok().and_then(|o| deref(doc, o).as_i64().ok())
}

/// Pixel area an image declares.
fn declared_area(doc: &Document, s: &Stream) -> i64 {
    let w = int(doc, &s.dict, b"Width").unwrap_or(0).max(0);
    let h = int(doc, &s.dict, b"Height").unwrap_or(0).max(0);
    w.saturating_mul(h)
}

fn read_page(doc: &Document, id: ObjectId, number: u32, limits: &ImageLimits, renderer: &mut Renderer) -> Result<(RgbImage, f32), Unreadable> {
    let page = doc.get_dictionary(id).map_err(bad)?;
    let turns = quarter_turns(doc, page);
    let bx = page_box(doc, page);
    let resources = match inherited(doc, page, b"Resources") {
        Some(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    let content = doc.get_page_content_with_limit(id, limits.max_stream_bytes).map_err(bad)?;
    let mut found = Survey::default();
    // A content stream lopdf cannot parse is left to the renderer, which is more forgiving.
    if let Ok(content) = Content::decode(&content) {
        survey(doc, &content.operations, resources, IDENTITY, 0, limits, &mut found);
    }
    let page_area = (bx[2] - bx[0]) * (bx[3] - bx[1]);
    // The scan is the largest picture by pixels; it must cover most of the page, or the page is
    // something else (a logo on a typed letter, a photo pasted into a form) and is rendered whole.
    let scan = found
        .images
        .iter()
        .max_by_key(|p| declared_area(doc, p.stream))
        .filter(|p| (p.ctm[0] * p.ctm[3] - p.ctm[1] * p.ctm[2]).abs() >= MIN_COVERAGE * page_area);
    match scan {
        Some(placed) if !found.visible_text => {
            let image = decode_xobject(doc, placed.stream, resources, limits)?;
            Ok(orient(image, &placed.ctm, turns, bx))
        }
        _ => {
            let (w, h) = if turns % 2 == 1 { (bx[3] - bx[1], bx[2] - bx[0]) } else { (bx[2] - bx[0], bx[3] - bx[1]) };
            let image = renderer.render(number, w, h, limits)?;
            Ok((image, RENDER_DPI as f32))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Orientation

/// A unit step on the output raster (x right, y down).
type Dir = (i8, i8);

fn snap(v: (f32, f32)) -> Dir {
    if v.0.abs() >= v.1.abs() {
        (if v.0 < 0.0 { -1 } else { 1 }, 0)
    } else {
        (0, if v.1 < 0.0 { -1 } else { 1 })
    }
}

/// Turns the image the way the page shows it. In the image's own space row 0 is the top; the
/// CTM maps a column step to (a, b) and a row step downwards to (−c, −d) in page space (y up),
/// i.e. to (a, −b) and (−c, d) on the screen (y down). A negative scale flips, a 90° matrix turns.
/// /Rotate then turns the page clockwise. Skew is snapped to the nearest quarter turn.
/// Returns the image and its horizontal resolution.
fn orient(image: RgbImage, ctm: &Matrix, turns: u8, bx: [f32; 4]) -> (RgbImage, f32) {
    let clockwise = |v: (f32, f32)| (-v.1, v.0);
    let mut col = (ctm[0], -ctm[1]);
    let mut row = (-ctm[2], ctm[3]);
    for _ in 0..turns {
        col = clockwise(col);
        row = clockwise(row);
    }
    let col_dir = snap(col);
    // The row axis is perpendicular to the column axis; only its sign comes from the matrix.
    let row_dir = if col_dir.0 != 0 { (0, if row.1 < 0.0 { -1 } else { 1 }) } else { (if row.0 < 0.0 { -1 } else { 1 }, 0) };
    let (w, h) = image.dimensions();
    // Points the image spans along its own columns and rows.
    let col_len = ctm[0].hypot(ctm[1]);
    let row_len = ctm[2].hypot(ctm[3]);
    let (px, pts) = if col_dir.0 != 0 { (w, col_len) } else { (h, row_len) };
    let page_w = if turns % 2 == 1 { bx[3] - bx[1] } else { bx[2] - bx[0] };
    let out = remap(image, col_dir, row_dir);
    // The image's own scale where it is placed; the page width if the matrix is degenerate.
    let dpi = if pts > 1.0 { px as f32 * 72.0 / pts } else { out.width() as f32 * 72.0 / page_w };
    (out, dpi)
}

/// Moves each pixel so that a step along the source's columns goes `col` on the output and a
/// step down its rows goes `row`.
fn remap(src: RgbImage, col: Dir, row: Dir) -> RgbImage {
    if col == (1, 0) && row == (0, 1) {
        return src;
    }
    let (w, h) = src.dimensions();
    let (ow, oh) = if col.0 != 0 { (w, h) } else { (h, w) };
    let place = |step: i8, i: u32, n: u32| match step {
        1 => i,
        -1 => n - 1 - i,
        _ => 0,
    };
    let mut out = RgbImage::new(ow, oh);
    for (x, y, p) in src.enumerate_pixels() {
        let ox = place(col.0, x, w) + place(row.0, y, h);
        let oy = place(col.1, x, w) + place(row.1, y, h);
        out.put_pixel(ox, oy, *p);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Image XObjects

#[cfg(test)]
mod tests;
