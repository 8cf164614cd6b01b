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
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use ::image::{ImageFormat, RgbImage};
use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult};

use super::image::{check_dimensions, cmyk_to_rgb, decode_raster, unpack};
use super::{ImageLimits, PageImage, Unreadable};

/// Resolution pages without a scan are rasterised at: enough for Tesseract on 5-point text.
const RENDER_DPI: u32 = 300;
/// Share of the page an image must cover to be taken for the page's scan.
const MIN_COVERAGE: f32 = 0.5;
/// `pdftoppm` on one page; a form page takes well under a second.
const RENDER_TIMEOUT: Duration = Duration::from_secs(120);

/// The pages of a PDF as images, in page order, at most `limits.max_pages`.
pub fn pdf_pages(bytes: &[u8], limits: &ImageLimits) -> Result<Vec<PageImage>, Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::Empty);
    }
    // lopdf ≥ 0.45 fixed the crashes known to us (pitfalls.md); a panic that remains becomes a
    // typed error here instead of ending the batch. A stack overflow is not catchable.
    catch_unwind(AssertUnwindSafe(|| read_pages(bytes, limits)))
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

fn read_pages(bytes: &[u8], limits: &ImageLimits) -> Result<Vec<PageImage>, Unreadable> {
    let doc = load(bytes, limits)?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Unreadable::NoPages);
    }
    let mut renderer = Renderer { bytes, dir: None };
    let mut out = Vec::new();
    for (index, (&number, &id)) in pages.iter().take(limits.max_pages as usize).enumerate() {
        let (image, dpi) = read_page(&doc, id, number, limits, &mut renderer)?;
        out.push(PageImage { index: index as u32, image, dpi: Some(dpi) });
    }
    if out.is_empty() {
        return Err(Unreadable::NoPages);
    }
    Ok(out)
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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Base {
    Gray,
    Rgb,
    Cmyk,
}

impl Base {
    fn components(self) -> usize {
        match self {
            Base::Gray => 1,
            Base::Rgb => 3,
            Base::Cmyk => 4,
        }
    }

    fn to_rgb(self, s: &[u8]) -> [u8; 3] {
        match self {
            Base::Gray => [s[0]; 3],
            Base::Rgb => [s[0], s[1], s[2]],
            Base::Cmyk => cmyk_to_rgb(s[0], s[1], s[2], s[3]),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum ColourSpace {
    Device(Base),
    /// One ink (a Separation): 0 is paper, 1 full ink; shown as grey.
    Ink,
    Indexed { base: Base, hival: usize, table: Vec<u8> },
}

fn unsupported_cs(name: &[u8]) -> Unreadable {
    Unreadable::UnsupportedPdfImage(format!("colour space {}", String::from_utf8_lossy(name)))
}

fn colour_space(doc: &Document, o: &Object, resources: Option<&Dictionary>, depth: u8, limits: &ImageLimits) -> Result<ColourSpace, Unreadable> {
    if depth > 4 {
        return Err(Unreadable::BadPdf("colour space nested too deeply".into()));
    }
    match deref(doc, o) {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"G" | b"CalGray" => Ok(ColourSpace::Device(Base::Gray)),
            b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(ColourSpace::Device(Base::Rgb)),
            b"DeviceCMYK" | b"CMYK" => Ok(ColourSpace::Device(Base::Cmyk)),
            other => {
                // A name from the page's /ColorSpace resources.
                let named = resources
                    .and_then(|r| r.get(b"ColorSpace").ok())
                    .map(|c| deref(doc, c))
                    .and_then(|c| c.as_dict().ok())
                    .and_then(|c| c.get(other).ok());
                match named {
                    Some(cs) => colour_space(doc, cs, resources, depth + 1, limits),
                    None => Err(unsupported_cs(other)),
                }
            }
        },
        Object::Array(a) if !a.is_empty() => {
            let family = deref(doc, &a[0]).as_name().unwrap_or(b"?");
            match family {
                b"ICCBased" => {
                    let n = a.get(1).map(|s| deref(doc, s)).and_then(|s| s.as_stream().ok()).and_then(|s| int(doc, &s.dict, b"N"));
                    match n {
                        Some(1) => Ok(ColourSpace::Device(Base::Gray)),
                        Some(3) => Ok(ColourSpace::Device(Base::Rgb)),
                        Some(4) => Ok(ColourSpace::Device(Base::Cmyk)),
                        _ => Err(Unreadable::BadPdf("ICCBased colour space without a valid N".into())),
                    }
                }
                b"CalGray" => Ok(ColourSpace::Device(Base::Gray)),
                b"CalRGB" => Ok(ColourSpace::Device(Base::Rgb)),
                b"Separation" => Ok(ColourSpace::Ink),
                b"Indexed" | b"I" => {
                    if a.len() != 4 {
                        return Err(Unreadable::BadPdf("Indexed colour space needs 4 entries".into()));
                    }
                    let base = match colour_space(doc, &a[1], resources, depth + 1, limits)? {
                        ColourSpace::Device(b) => b,
                        _ => return Err(Unreadable::UnsupportedPdfImage("Indexed colour space over a non-device base".into())),
                    };
                    let hival = deref(doc, &a[2]).as_i64().unwrap_or(-1);
                    if !(0..=255).contains(&hival) {
                        return Err(Unreadable::BadPdf(format!("Indexed colour space with hival {hival}")));
                    }
                    let table = match deref(doc, &a[3]) {
                        Object::String(s, _) => s.clone(),
                        Object::Stream(s) => stream_bytes(s, limits.max_stream_bytes)?,
                        _ => return Err(Unreadable::BadPdf("Indexed colour space without a lookup table".into())),
                    };
                    let hival = hival as usize;
                    if table.len() < (hival + 1) * base.components() {
                        return Err(Unreadable::BadPdf("Indexed lookup table shorter than hival".into()));
                    }
                    Ok(ColourSpace::Indexed { base, hival, table })
                }
                other => Err(unsupported_cs(other)),
            }
        }
        _ => Err(Unreadable::BadPdf("unreadable colour space".into())),
    }
}

/// The filter names and their parameters, in decoding order.
fn filters<'a>(doc: &'a Document, s: &'a Stream) -> Vec<(&'a [u8], Option<&'a Dictionary>)> {
    let names: Vec<&[u8]> = match s.dict.get(b"Filter").map(|f| deref(doc, f)) {
        Ok(Object::Name(n)) => vec![n.as_slice()],
        Ok(Object::Array(a)) => a.iter().filter_map(|o| deref(doc, o).as_name().ok()).collect(),
        _ => Vec::new(),
    };
    let params: Vec<Option<&Dictionary>> = match s.dict.get(b"DecodeParms").or_else(|_| s.dict.get(b"DP")).map(|p| deref(doc, p)) {
        Ok(Object::Dictionary(d)) => vec![Some(d)],
        Ok(Object::Array(a)) => a.iter().map(|o| deref(doc, o).as_dict().ok()).collect(),
        _ => Vec::new(),
    };
    names.into_iter().enumerate().map(|(i, n)| (n, params.get(i).copied().flatten())).collect()
}

/// Applies the leading filters (Flate, ASCII85 …) that wrap an image codec's data, via lopdf.
fn leading_filters(s: &Stream, chain: &[(&[u8], Option<&Dictionary>)], limits: &ImageLimits) -> Result<Vec<u8>, Unreadable> {
    if chain.is_empty() {
        return Ok(s.content.clone());
    }
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Array(chain.iter().map(|(n, _)| Object::Name(n.to_vec())).collect()));
    dict.set("DecodeParms", Object::Array(chain.iter().map(|(_, p)| p.map(|d| Object::Dictionary(d.clone())).unwrap_or(Object::Null)).collect()));
    Stream::new(dict, s.content.clone()).decompressed_content_with_limit(limits.max_stream_bytes).map_err(bad)
}

/// A /Decode array as (min, max) per component, when it differs from the default.
fn decode_ranges(doc: &Document, s: &Stream, n: usize) -> Option<Vec<(f32, f32)>> {
    let a = s.dict.get(b"Decode").ok().map(|d| deref(doc, d))?.as_array().ok()?;
    let v: Vec<f32> = a.iter().filter_map(|o| number(deref(doc, o))).collect();
    if v.len() < 2 * n {
        return None;
    }
    let ranges: Vec<(f32, f32)> = v.chunks(2).take(n).map(|p| (p[0], p[1])).collect();
    ranges.iter().any(|&(lo, hi)| lo != 0.0 || hi != 1.0).then_some(ranges)
}

/// Per-component lookup tables for a /Decode array over 8-bit samples.
fn decode_luts(ranges: &[(f32, f32)]) -> Vec<[u8; 256]> {
    ranges
        .iter()
        .map(|&(lo, hi)| {
            let mut lut = [0u8; 256];
            for (s, out) in lut.iter_mut().enumerate() {
                let x = lo + s as f32 / 255.0 * (hi - lo);
                *out = (x.clamp(0.0, 1.0) * 255.0).round() as u8;
            }
            lut
        })
        .collect()
}

fn decode_xobject(doc: &Document, s: &Stream, resources: Option<&Dictionary>, limits: &ImageLimits) -> Result<RgbImage, Unreadable> {
    let w = int(doc, &s.dict, b"Width").unwrap_or(0);
    let h = int(doc, &s.dict, b"Height").unwrap_or(0);
    let (w, h) = match (u32::try_from(w), u32::try_from(h)) {
        (Ok(w), Ok(h)) => (w, h),
        _ => return Err(Unreadable::BadPdf(format!("page image declares {w} × {h} pixels"))),
    };
    check_dimensions(w, h, limits).map_err(in_pdf)?;
    let chain = filters(doc, s);
    let is_mask = s.dict.get(b"ImageMask").map(|o| deref(doc, o)).and_then(Object::as_bool).unwrap_or(false);
    let (last, params) = chain.last().copied().unwrap_or((b"", None));
    match last {
        b"JBIG2Decode" => Err(Unreadable::UnsupportedPdfImage("JBIG2".into())),
        b"JPXDecode" => Err(Unreadable::UnsupportedPdfImage("JPEG 2000".into())),
        b"DCTDecode" | b"DCT" => {
            let data = leading_filters(s, &chain[..chain.len() - 1], limits)?;
            // The page places the picture: an EXIF orientation inside the JPEG must not turn it again.
            let (mut image, _) = decode_raster(&data, ImageFormat::Jpeg, limits, false).map_err(in_pdf)?;
            // /Decode [1 0] on a grey JPEG inverts it. Colour JPEGs are left as the decoder
            // converts them: it already follows Adobe's inverted-CMYK convention, which is what
            // the /Decode [1 0 1 0 1 0 1 0] that Adobe's software writes alongside means.
            let cs = s.dict.get(b"ColorSpace").ok().and_then(|o| colour_space(doc, o, resources, 0, limits).ok());
            if let (Some(ColourSpace::Device(Base::Gray)), Some(r)) = (cs, decode_ranges(doc, s, 1)) {
                let lut = &decode_luts(&r)[0];
                image.pixels_mut().for_each(|p| p.0 = [lut[usize::from(p[0])]; 3]);
            }
            Ok(image)
        }
        b"CCITTFaxDecode" | b"CCF" => {
            let data = leading_filters(s, &chain[..chain.len() - 1], limits)?;
            let grey = decode_ccitt(doc, &data, params, w, h, limits)?;
            let ranges = decode_ranges(doc, s, 1);
            Ok(samples_to_rgb(&grey, w, h, &ColourSpace::Device(Base::Gray), ranges.as_deref()))
        }
        _ => {
            let bpc = if is_mask { 1 } else { int(doc, &s.dict, b"BitsPerComponent").unwrap_or(8) };
            let cs = if is_mask {
                ColourSpace::Device(Base::Gray)
            } else {
                match s.dict.get(b"ColorSpace").or_else(|_| s.dict.get(b"CS")) {
                    Ok(o) => colour_space(doc, o, resources, 0, limits)?,
                    // Required for non-mask images; grey is the reading that shows something.
                    Err(_) => ColourSpace::Device(Base::Gray),
                }
            };
            let n = match &cs {
                ColourSpace::Device(b) => b.components(),
                ColourSpace::Ink | ColourSpace::Indexed { .. } => 1,
            };
            let data = if chain.is_empty() { s.content.clone() } else { stream_bytes(s, limits.max_stream_bytes)? };
            let samples = match bpc {
                1 | 2 | 4 | 8 => unpack(&data, w, h, n, bpc as u8, !matches!(cs, ColourSpace::Indexed { .. })).map_err(in_pdf)?,
                16 if !matches!(cs, ColourSpace::Indexed { .. }) => {
                    let needed = w as usize * h as usize * n * 2;
                    if data.len() < needed {
                        return Err(Unreadable::BadPdf(format!("page image data ends early ({} of {needed} bytes)", data.len())));
                    }
                    data[..needed].chunks_exact(2).map(|p| p[0]).collect()
                }
                other => return Err(Unreadable::BadPdf(format!("page image with {other} bits per component"))),
            };
            let mut ranges = decode_ranges(doc, s, n);
            if matches!(cs, ColourSpace::Indexed { .. }) {
                ranges = None; // a Decode on indices is almost never used; the table decides
            }
            Ok(samples_to_rgb(&samples, w, h, &cs, ranges.as_deref()))
        }
    }
}

/// Samples (8-bit, scaled; raw indices for Indexed) to RGB. A stencil mask comes here as grey:
/// sample 0 is where the mask paints (black, as scans are drawn), 1 is paper.
fn samples_to_rgb(samples: &[u8], w: u32, h: u32, cs: &ColourSpace, ranges: Option<&[(f32, f32)]>) -> RgbImage {
    let luts = ranges.map(decode_luts);
    let mut out = RgbImage::new(w, h);
    let n = match cs {
        ColourSpace::Device(b) => b.components(),
        _ => 1,
    };
    let mut px = [0u8; 4];
    for (p, s) in out.pixels_mut().zip(samples.chunks_exact(n)) {
        for (k, v) in s.iter().enumerate() {
            px[k] = luts.as_ref().map_or(*v, |l| l[k][usize::from(*v)]);
        }
        p.0 = match cs {
            ColourSpace::Device(b) => b.to_rgb(&px[..n]),
            ColourSpace::Ink => [255 - px[0]; 3],
            ColourSpace::Indexed { base, hival, table } => {
                let i = usize::from(px[0]).min(*hival) * base.components();
                base.to_rgb(&table[i..i + base.components()])
            }
        };
    }
    out
}

/// CCITT fax data through the tiff crate, wrapped in a minimal one-strip TIFF. The tiff crate
/// decodes Group 4 (K < 0) only; Group 3 (K ≥ 0) is refused as unsupported. Returns one grey
/// sample a pixel, 0 black, with BlackIs1 applied.
fn decode_ccitt(doc: &Document, data: &[u8], params: Option<&Dictionary>, w: u32, h: u32, limits: &ImageLimits) -> Result<Vec<u8>, Unreadable> {
    let param = |key: &[u8]| params.and_then(|p| p.get(key).ok()).map(|o| deref(doc, o));
    let k = param(b"K").and_then(|o| o.as_i64().ok()).unwrap_or(0);
    let byte_align = param(b"EncodedByteAlign").and_then(|o| o.as_bool().ok()).unwrap_or(false);
    if k >= 0 || byte_align {
        return Err(Unreadable::UnsupportedPdfImage("CCITT".into()));
    }
    let black_is_1 = param(b"BlackIs1").and_then(|o| o.as_bool().ok()).unwrap_or(false);
    let columns = param(b"Columns").and_then(|o| o.as_i64().ok()).and_then(|c| u32::try_from(c).ok()).filter(|&c| c > 0).unwrap_or(w);
    let rows = param(b"Rows").and_then(|o| o.as_i64().ok()).and_then(|r| u32::try_from(r).ok()).filter(|&r| r > 0).unwrap_or(h);
    check_dimensions(columns, rows, limits).map_err(in_pdf)?;
    let tiff = minimal_g4_tiff(data, columns, rows);
    let fail = |e: tiff::TiffError| Unreadable::BadPdf(format!("CCITT G4 page image: {e}"));
    let mut decoder = TiffDecoder::new(Cursor::new(&tiff[..])).map_err(fail)?;
    let mut result = DecodingResult::U8(Vec::new());
    decoder.read_image_to_buffer(&mut result).map_err(fail)?;
    let DecodingResult::U8(packed) = result else {
        return Err(Unreadable::BadPdf("CCITT G4 page image: unexpected sample type".into()));
    };
    // WhiteIsZero makes the tiff crate return fax-black runs as 0, which is PDF's default
    // (BlackIs1 false: 0 bits are black). BlackIs1 true makes those runs 1.
    let mut grey = unpack(&packed, columns, rows, 1, 1, true).map_err(in_pdf)?;
    if black_is_1 {
        grey.iter_mut().for_each(|v| *v = 255 - *v);
    }
    if (columns, rows) != (w, h) {
        // Sized as the image dictionary says, cropped or padded with paper.
        let mut fitted = vec![255u8; w as usize * h as usize];
        for y in 0..rows.min(h) as usize {
            let n = columns.min(w) as usize;
            fitted[y * w as usize..y * w as usize + n].copy_from_slice(&grey[y * columns as usize..y * columns as usize + n]);
        }
        grey = fitted;
    }
    Ok(grey)
}

/// A little-endian TIFF holding one Group 4 strip, PhotometricInterpretation WhiteIsZero.
fn minimal_g4_tiff(data: &[u8], columns: u32, rows: u32) -> Vec<u8> {
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    let entries: [(u16, u16, u32); 9] = [
        (256, LONG, columns), // ImageWidth
        (257, LONG, rows),    // ImageLength
        (258, SHORT, 1),      // BitsPerSample
        (259, SHORT, 4),      // Compression: CCITT T.6
        (262, SHORT, 0),      // PhotometricInterpretation: WhiteIsZero
        (273, LONG, 0),       // StripOffsets, set below
        (277, SHORT, 1),      // SamplesPerPixel
        (278, LONG, rows),    // RowsPerStrip
        (279, LONG, data.len() as u32), // StripByteCounts
    ];
    let data_offset = 8 + 2 + 12 * entries.len() as u32 + 4;
    let mut t = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    t.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        let value = if tag == 273 { data_offset } else { value };
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(1u32.to_le_bytes());
        if kind == SHORT {
            t.extend((value as u16).to_le_bytes());
            t.extend([0, 0]);
        } else {
            t.extend(value.to_le_bytes());
        }
    }
    t.extend(0u32.to_le_bytes());
    t.extend_from_slice(data);
    t
}

// ---------------------------------------------------------------------------------------------
// Pages without a scan

/// Rasterises pages with poppler's pdftoppm from one temporary copy of the file, made on first use.
struct Renderer<'a> {
    bytes: &'a [u8],
    dir: Option<tempfile::TempDir>,
}

impl Renderer<'_> {
    /// Page `number` (1-based), `w_pt` × `h_pt` as displayed, at [`RENDER_DPI`].
    fn render(&mut self, number: u32, w_pt: f32, h_pt: f32, limits: &ImageLimits) -> Result<RgbImage, Unreadable> {
        let Some(program) = crate::external::which("pdftoppm") else {
            return Err(Unreadable::UnsupportedPdfImage("text-only page; install poppler-utils".into()));
        };
        // The size pdftoppm will allocate, checked before it runs.
        let px = |pt: f32| (pt * RENDER_DPI as f32 / 72.0).ceil().min(u32::MAX as f32) as u32;
        check_dimensions(px(w_pt), px(h_pt), limits)?;
        let io = |e: std::io::Error| Unreadable::Io(format!("temporary copy for pdftoppm: {e}"));
        if self.dir.is_none() {
            let dir = tempfile::Builder::new().prefix("formscan-pdf-").tempdir().map_err(io)?;
            std::fs::write(dir.path().join("in.pdf"), self.bytes).map_err(io)?;
            self.dir = Some(dir);
        }
        let dir = self.dir.as_ref().map(|d| d.path()).unwrap_or(Path::new("."));
        let out = dir.join(format!("page-{number}"));
        let png = out.with_extension("png");
        let log = dir.join("pdftoppm.log");
        let mut cmd = Command::new(program);
        cmd.args(["-r", &RENDER_DPI.to_string(), "-png", "-cropbox", "-singlefile"])
            .args(["-f", &number.to_string(), "-l", &number.to_string()])
            .arg(dir.join("in.pdf"))
            .arg(&out)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            // A file, not a pipe: a damaged PDF can make poppler write more warnings than a pipe
            // holds, and nobody would be reading it while we wait.
            .stderr(std::fs::File::create(&log).map_err(io)?);
        run_with_timeout(cmd, RENDER_TIMEOUT).map_err(|e| {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            // A damaged encrypted file can load in lopdf without its /Encrypt entry; poppler
            // still finds it and asks for the password.
            if said.contains("Incorrect password") {
                return Unreadable::EncryptedPdf;
            }
            let last = said.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_string();
            Unreadable::BadPdf(format!("pdftoppm, page {number}: {e} {last}").trim().to_string())
        })?;
        let bytes = std::fs::read(&png).map_err(|e| Unreadable::BadPdf(format!("pdftoppm wrote no image for page {number}: {e}")))?;
        let _ = std::fs::remove_file(&png);
        let (image, _) = decode_raster(&bytes, ImageFormat::Png, limits, false).map_err(in_pdf)?;
        Ok(image)
    }
}

fn run_with_timeout(mut cmd: Command, limit: Duration) -> Result<(), String> {
    let mut child = cmd.spawn().map_err(|e| format!("cannot start: {e}"))?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(status.to_string()),
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no result after {} s", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    fn data(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scans").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn read(bytes: &[u8]) -> Result<Vec<PageImage>, Unreadable> {
        pdf_pages(bytes, &ImageLimits::default())
    }

    fn dark(p: &::image::Rgb<u8>) -> bool {
        p.0.iter().all(|&c| c < 80)
    }

    fn light(p: &::image::Rgb<u8>) -> bool {
        p.0.iter().all(|&c| c > 180)
    }

    fn at(img: &RgbImage, fx: f32, fy: f32) -> &::image::Rgb<u8> {
        let (w, h) = img.dimensions();
        img.get_pixel(((fx * w as f32) as u32).min(w - 1), ((fy * h as f32) as u32).min(h - 1))
    }

    /// The marks of make_scans.py and [`marked`]: a black block near the top-left corner, the
    /// other corners white.
    fn upright(img: &RgbImage) {
        assert!(dark(at(img, 0.15, 0.10)), "top-left block missing: {:?}", at(img, 0.15, 0.10));
        assert!(light(at(img, 0.02, 0.02)), "corner not white");
        assert!(light(at(img, 0.85, 0.10)), "top-right not white");
        assert!(light(at(img, 0.15, 0.95)), "bottom-left not white");
    }

    fn pdftoppm_or_skip(test: &str) -> bool {
        if crate::external::which("pdftoppm").is_none() {
            eprintln!("SKIPPED {test}: pdftoppm is not installed (Debian package poppler-utils)");
            return false;
        }
        true
    }

    /// Grey samples, white, with the black block of [`upright`].
    fn marked(w: u32, h: u32) -> Vec<u8> {
        let mut v = vec![255u8; (w * h) as usize];
        for y in h * 40 / 800..h * 120 / 800 {
            for x in w * 40 / 600..w * 140 / 600 {
                v[(y * w + x) as usize] = 0;
            }
        }
        v
    }

    fn image_stream(w: u32, h: u32, colour_space: Object, bpc: i64, samples: Vec<u8>) -> Stream {
        let mut s = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => w as i64, "Height" => h as i64,
                "ColorSpace" => colour_space, "BitsPerComponent" => bpc },
            samples,
        );
        s.compress().unwrap();
        s
    }

    /// Builds small PDFs with lopdf, for the cases no tool writes on request.
    struct Builder {
        doc: Document,
        pages_id: ObjectId,
        kids: Vec<Object>,
    }

    impl Builder {
        fn new() -> Self {
            let mut doc = Document::with_version("1.5");
            let pages_id = doc.new_object_id();
            Builder { doc, pages_id, kids: Vec::new() }
        }

        fn add(&mut self, o: impl Into<Object>) -> ObjectId {
            self.doc.add_object(o)
        }

        /// A page drawing `content` with the image XObjects given.
        fn page(&mut self, media: [f32; 4], xobjects: Vec<(&str, Object)>, content: &str, extra: Dictionary) {
            let mut xo = Dictionary::new();
            for (name, o) in xobjects {
                let id = match o {
                    Object::Reference(id) => id,
                    o => self.add(o),
                };
                xo.set(name, Object::Reference(id));
            }
            let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
            let contents = self.add(Stream::new(Dictionary::new(), content.as_bytes().to_vec()));
            let mut page = dictionary! {
                "Type" => "Page", "Parent" => self.pages_id,
                "MediaBox" => media.iter().map(|&v| Object::Real(v)).collect::<Vec<_>>(),
                "Contents" => contents,
                "Resources" => dictionary! { "XObject" => xo, "Font" => dictionary! { "F1" => font } },
            };
            page.extend(&extra);
            let id = self.add(page);
            self.kids.push(id.into());
        }

        fn finish(mut self, pages_extra: Dictionary) -> Vec<u8> {
            let mut pages = dictionary! { "Type" => "Pages", "Count" => self.kids.len() as i64, "Kids" => self.kids.clone() };
            pages.extend(&pages_extra);
            self.doc.objects.insert(self.pages_id, Object::Dictionary(pages));
            let catalog = self.add(dictionary! { "Type" => "Catalog", "Pages" => self.pages_id });
            self.doc.trailer.set("Root", catalog);
            let mut out = Vec::new();
            self.doc.save_to(&mut out).unwrap();
            out
        }
    }

    /// One page showing a 600 × 800 marked grey image with the matrix `cm` on `media`.
    fn one_image_pdf(media: [f32; 4], cm: &str, extra: Dictionary, pages_extra: Dictionary) -> Vec<u8> {
        let mut b = Builder::new();
        let im = image_stream(600, 800, "DeviceGray".into(), 8, marked(600, 800));
        b.page(media, vec![("Im0", im.into())], &format!("q {cm} cm /Im0 Do Q"), extra);
        b.finish(pages_extra)
    }

    #[test]
    fn dct_page_with_rotate_90_is_turned() {
        // img2pdf --rotation 90: the JPEG (600 × 800, 300 dpi) on a 144 × 192 pt page, /Rotate 90.
        let pages = read(&data("dct_rotate90.pdf")).unwrap();
        assert_eq!(pages.len(), 1);
        let img = &pages[0].image;
        assert_eq!(img.dimensions(), (800, 600), "rotated: width and height swap");
        // Turned clockwise, the top-left block is now near the top-right corner.
        assert!(dark(img.get_pixel(800 - 80, 90)), "{:?}", img.get_pixel(800 - 80, 90));
        assert!(light(img.get_pixel(80, 60)));
        let p = img.get_pixel(80, 510); // the red block, bottom-right before, now bottom-left
        assert!(p[0] > 180 && p[1] < 90, "{p:?}");
        assert!((pages[0].dpi.unwrap() - 300.0).abs() < 0.5, "{:?}", pages[0].dpi);
    }

    #[test]
    fn flate_grey_page() {
        // img2pdf of a grey PNG: FlateDecode with a PNG predictor in DecodeParms.
        let pages = read(&data("flate_grey.pdf")).unwrap();
        assert_eq!(pages.len(), 1);
        let img = &pages[0].image;
        assert_eq!(img.dimensions(), (600, 800));
        assert!(img.pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
        upright(img);
        assert!((pages[0].dpi.unwrap() - 150.0).abs() < 0.5);
    }

    #[test]
    fn two_pages_in_order() {
        let pages = read(&data("two_pages.pdf")).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].index, 0);
        assert_eq!(pages[1].index, 1);
        for p in &pages {
            assert_eq!(p.image.dimensions(), (300, 400));
            upright(&p.image);
            assert!((p.dpi.unwrap() - 100.0).abs() < 0.5);
        }
        // Page 1 on white paper, page 2 on grey (#d0d0d0).
        assert!(pages[0].image.get_pixel(5, 5)[0] > 245);
        assert!((195..=220).contains(&pages[1].image.get_pixel(5, 5)[0]));
        let limits = ImageLimits { max_pages: 1, ..ImageLimits::default() };
        assert_eq!(pdf_pages(&data("two_pages.pdf"), &limits).unwrap().len(), 1);
    }

    #[test]
    fn ccitt_g4_page() {
        // img2pdf of a G4 TIFF: CCITTFaxDecode, K -1, BlackIs1 true.
        let pages = read(&data("g4.pdf")).unwrap();
        assert_eq!(pages[0].image.dimensions(), (600, 800));
        upright(&pages[0].image);
        assert!((pages[0].dpi.unwrap() - 300.0).abs() < 0.5);
    }

    #[test]
    fn encrypted_pdf_is_refused() {
        // qpdf --encrypt secret owner 256: AES-256 with a user password.
        assert_eq!(read(&data("encrypted.pdf")).unwrap_err(), Unreadable::EncryptedPdf);
    }

    #[test]
    fn owner_password_only_is_read() {
        // qpdf --encrypt "" owner 256: opens without a password in any viewer, and here too.
        let pages = read(&data("owner_only.pdf")).unwrap();
        assert_eq!(pages.len(), 2);
        upright(&pages[0].image);
    }

    #[test]
    fn garbage_is_bad_pdf() {
        let mut bytes = b"%PDF-1.4\n".to_vec();
        bytes.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        assert!(matches!(read(&bytes), Err(Unreadable::BadPdf(_))), "{:?}", read(&bytes).map(|p| p.len()));
        assert!(matches!(read(b"%PDF-1.4"), Err(Unreadable::BadPdf(_))));
        // A real file cut in half.
        let whole = data("two_pages.pdf");
        let cut = &whole[..whole.len() / 3];
        assert!(matches!(read(cut), Err(Unreadable::BadPdf(_) | Unreadable::NoPages)), "{:?}", read(cut).map(|p| p.len()));
        assert_eq!(read(b"").unwrap_err(), Unreadable::Empty);
    }

    #[test]
    fn text_only_page_is_rendered() {
        if !pdftoppm_or_skip("text_only_page_is_rendered") {
            return;
        }
        // LibreOffice's export of a .txt: fonts and text, no image.
        let pages = read(&data("text_only.pdf")).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(pages[0].dpi, Some(300.0));
        let (w, h) = pages[0].image.dimensions();
        // A4 or Letter at 300 dpi.
        assert!((2400..=2600).contains(&w) && (3250..=3520).contains(&h), "{w} × {h}");
        assert!(pages[0].image.pixels().any(dark), "no text rendered");
        assert!(light(pages[0].image.get_pixel(5, 5)));
    }

    #[test]
    fn matrix_turning_90_degrees() {
        // The image's columns run down the page and its rows leftwards: shown turned clockwise.
        let bytes = one_image_pdf([0.0, 0.0, 800.0, 600.0], "0 -600 800 0 0 600", Dictionary::new(), Dictionary::new());
        let pages = read(&bytes).unwrap();
        let img = &pages[0].image;
        assert_eq!(img.dimensions(), (800, 600));
        assert!(dark(img.get_pixel(720, 90)));
        assert!(light(img.get_pixel(80, 60)));
        assert!((pages[0].dpi.unwrap() - 72.0).abs() < 0.5);
    }

    #[test]
    fn negative_scale_flips() {
        // d < 0: drawn upside down (a vertical flip), so the block is near the bottom-left.
        let bytes = one_image_pdf([0.0, 0.0, 600.0, 800.0], "600 0 0 -800 0 800", Dictionary::new(), Dictionary::new());
        let img = &read(&bytes).unwrap()[0].image;
        assert_eq!(img.dimensions(), (600, 800));
        assert!(dark(img.get_pixel(90, 800 - 80)));
        assert!(light(img.get_pixel(90, 80)));
        // a < 0: mirrored left to right.
        let bytes = one_image_pdf([0.0, 0.0, 600.0, 800.0], "-600 0 0 800 600 0", Dictionary::new(), Dictionary::new());
        let img = &read(&bytes).unwrap()[0].image;
        assert!(dark(img.get_pixel(600 - 90, 80)));
    }

    #[test]
    fn rotate_inherited_from_pages_node() {
        // /Rotate 180 on the page tree's root, none on the page: the scan is shown upside down.
        let bytes = one_image_pdf([0.0, 0.0, 300.0, 400.0], "300 0 0 400 0 0", Dictionary::new(), dictionary! { "Rotate" => 180 });
        let pages = read(&bytes).unwrap();
        let img = &pages[0].image;
        assert_eq!(img.dimensions(), (600, 800));
        assert!(dark(img.get_pixel(600 - 90, 800 - 80)));
        assert!(light(img.get_pixel(90, 80)));
        assert!((pages[0].dpi.unwrap() - 144.0).abs() < 0.5, "600 px over 300 pt");
        // The page's own /Rotate wins over the inherited one.
        let bytes = one_image_pdf([0.0, 0.0, 300.0, 400.0], "300 0 0 400 0 0", dictionary! { "Rotate" => 0 }, dictionary! { "Rotate" => 180 });
        upright(&read(&bytes).unwrap()[0].image);
    }

    #[test]
    fn image_inside_form_xobject() {
        let mut b = Builder::new();
        let im = b.add(image_stream(600, 800, "DeviceGray".into(), 8, marked(600, 800)));
        let form = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 1.into(), 1.into()],
                "Matrix" => vec![600.into(), 0.into(), 0.into(), 800.into(), 0.into(), 0.into()],
                "Resources" => dictionary! { "XObject" => dictionary! { "Im7" => im } } },
            b"/Im7 Do".to_vec(),
        );
        b.page([0.0, 0.0, 600.0, 800.0], vec![("Fm0", form.into())], "q /Fm0 Do Q", Dictionary::new());
        let img = &read(&b.finish(Dictionary::new())).unwrap()[0].image;
        assert_eq!(img.dimensions(), (600, 800));
        upright(img);
    }

    #[test]
    fn indexed_and_cmyk_and_mask_images() {
        // Indexed over RGB: 0 white, 1 red, 2 black; 8-bit indices.
        let mut idx = vec![0u8; 60 * 80];
        idx[..60 * 10].fill(1);
        idx[60 * 70..].fill(2);
        let table = Object::String(vec![255, 255, 255, 255, 0, 0, 0, 0, 0], lopdf::StringFormat::Hexadecimal);
        let cs = Object::Array(vec!["Indexed".into(), "DeviceRGB".into(), 2.into(), table]);
        let mut b = Builder::new();
        b.page([0.0, 0.0, 60.0, 80.0], vec![("Im0", image_stream(60, 80, cs, 8, idx).into())], "60 0 0 80 0 0 cm /Im0 Do", Dictionary::new());
        // CMYK: cyan-free red (0, 255, 255, 0) on top, paper below.
        let mut cmyk = vec![0u8; 60 * 80 * 4];
        for px in cmyk.chunks_exact_mut(4).take(60 * 10) {
            px.copy_from_slice(&[0, 255, 255, 0]);
        }
        b.page([0.0, 0.0, 60.0, 80.0], vec![("Im0", image_stream(60, 80, "DeviceCMYK".into(), 8, cmyk).into())], "60 0 0 80 0 0 cm /Im0 Do", Dictionary::new());
        // A 1-bit stencil mask: 0 paints. Rows of 64 px (8 bytes); the top 10 rows painted.
        let mut mask = vec![0xFFu8; 8 * 80];
        mask[..8 * 10].fill(0);
        let mut m = Stream::new(dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 64, "Height" => 80, "ImageMask" => true }, mask);
        m.compress().unwrap();
        b.page([0.0, 0.0, 64.0, 80.0], vec![("Im0", m.into())], "64 0 0 80 0 0 cm /Im0 Do", Dictionary::new());
        let pages = read(&b.finish(Dictionary::new())).unwrap();
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].image.get_pixel(5, 5).0, [255, 0, 0]);
        assert_eq!(pages[0].image.get_pixel(5, 40).0, [255, 255, 255]);
        assert_eq!(pages[0].image.get_pixel(5, 75).0, [0, 0, 0]);
        assert_eq!(pages[1].image.get_pixel(5, 5).0, [255, 0, 0]);
        assert_eq!(pages[1].image.get_pixel(5, 40).0, [255, 255, 255]);
        assert_eq!(pages[2].image.get_pixel(5, 5).0, [0, 0, 0]);
        assert_eq!(pages[2].image.get_pixel(5, 40).0, [255, 255, 255]);
    }

    #[test]
    fn unsupported_codecs_are_named() {
        for (filter, name) in [("JBIG2Decode", "JBIG2"), ("JPXDecode", "JPEG 2000")] {
            let mut b = Builder::new();
            let s = Stream::new(
                dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 600, "Height" => 800,
                    "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => filter },
                vec![0u8; 64],
            );
            b.page([0.0, 0.0, 600.0, 800.0], vec![("Im0", s.into())], "600 0 0 800 0 0 cm /Im0 Do", Dictionary::new());
            assert_eq!(read(&b.finish(Dictionary::new())).unwrap_err(), Unreadable::UnsupportedPdfImage(name.into()));
        }
        // CCITT Group 3 (K 0): the tiff crate decodes Group 4 only.
        let mut b = Builder::new();
        let s = Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 600, "Height" => 800,
                "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1, "Filter" => "CCITTFaxDecode",
                "DecodeParms" => dictionary! { "K" => 0, "Columns" => 600 } },
            vec![0u8; 64],
        );
        b.page([0.0, 0.0, 600.0, 800.0], vec![("Im0", s.into())], "600 0 0 800 0 0 cm /Im0 Do", Dictionary::new());
        assert_eq!(read(&b.finish(Dictionary::new())).unwrap_err(), Unreadable::UnsupportedPdfImage("CCITT".into()));
    }

    #[test]
    fn huge_declared_image_is_refused() {
        let mut b = Builder::new();
        let s = image_stream(50_000, 50_000, "DeviceGray".into(), 8, vec![0u8; 16]);
        b.page([0.0, 0.0, 600.0, 800.0], vec![("Im0", s.into())], "600 0 0 800 0 0 cm /Im0 Do", Dictionary::new());
        assert!(matches!(read(&b.finish(Dictionary::new())), Err(Unreadable::ImageTooLarge(_))));
    }

    #[test]
    fn invisible_ocr_text_keeps_the_scan() {
        // Scanner OCR: the text layer in render mode 3 over the page image.
        let mut b = Builder::new();
        let im = image_stream(600, 800, "DeviceGray".into(), 8, marked(600, 800));
        b.page([0.0, 0.0, 600.0, 800.0], vec![("Im0", im.into())], "q 600 0 0 800 0 0 cm /Im0 Do Q BT 3 Tr /F1 12 Tf 50 700 Td (hidden) Tj ET", Dictionary::new());
        let pages = read(&b.finish(Dictionary::new())).unwrap();
        assert_eq!(pages[0].image.dimensions(), (600, 800), "the image itself, not a rendering");
        assert!((pages[0].dpi.unwrap() - 72.0).abs() < 0.5);
    }

    #[test]
    fn visible_text_or_small_image_means_render() {
        if !pdftoppm_or_skip("visible_text_or_small_image_means_render") {
            return;
        }
        // Typed text over a full-page picture: the page is rendered whole.
        let mut b = Builder::new();
        let im = image_stream(600, 800, "DeviceGray".into(), 8, marked(600, 800));
        b.page([0.0, 0.0, 144.0, 192.0], vec![("Im0", im.into())], "q 144 0 0 192 0 0 cm /Im0 Do Q BT /F1 12 Tf 50 100 Td (typed) Tj ET", Dictionary::new());
        // A logo (a small picture) on an otherwise empty page: rendered whole, too.
        let logo = image_stream(600, 800, "DeviceGray".into(), 8, marked(600, 800));
        b.page([0.0, 0.0, 144.0, 192.0], vec![("Im0", logo.into())], "q 30 0 0 40 10 140 cm /Im0 Do Q", Dictionary::new());
        let pages = read(&b.finish(Dictionary::new())).unwrap();
        for p in &pages {
            assert_eq!(p.dpi, Some(300.0));
            assert_eq!(p.image.dimensions(), (600, 800), "144 × 192 pt at 300 dpi");
        }
        // The logo sits near the top-left, small.
        assert!(light(pages[1].image.get_pixel(590, 790)));
    }

    #[test]
    fn no_pages() {
        let b = Builder::new();
        assert_eq!(read(&b.finish(Dictionary::new())).unwrap_err(), Unreadable::NoPages);
    }

    #[test]
    fn stream_bomb_is_refused() {
        // 64 MB of zeros inflating from a few KB, under a 1 MB stream limit.
        let limits = ImageLimits { max_stream_bytes: 1 << 20, ..ImageLimits::default() };
        let mut b = Builder::new();
        let im = image_stream(8000, 8000, "DeviceGray".into(), 8, vec![0u8; 8000 * 8000]);
        b.page([0.0, 0.0, 600.0, 800.0], vec![("Im0", im.into())], "600 0 0 800 0 0 cm /Im0 Do", Dictionary::new());
        let r = pdf_pages(&b.finish(Dictionary::new()), &limits);
        assert!(matches!(r, Err(Unreadable::ImageTooLarge(_))), "{:?}", r.map(|p| p.len()));
    }

    #[test]
    fn orientation_maths() {
        let src = RgbImage::from_fn(3, 2, |x, y| ::image::Rgb([(x + 10 * y) as u8, 0, 0]));
        // Clockwise quarter turn: the first row becomes the last column.
        let cw = remap(src.clone(), (0, 1), (-1, 0));
        assert_eq!(cw.dimensions(), (2, 3));
        assert_eq!(cw.get_pixel(1, 0)[0], 0);
        assert_eq!(cw.get_pixel(1, 2)[0], 2);
        assert_eq!(cw.get_pixel(0, 0)[0], 10);
        assert_eq!(concat(&IDENTITY, &[2.0, 0.0, 0.0, 3.0, 4.0, 5.0]), [2.0, 0.0, 0.0, 3.0, 4.0, 5.0]);
        // Translate then scale: the translation is scaled too.
        assert_eq!(concat(&[1.0, 0.0, 0.0, 1.0, 1.0, 1.0], &[2.0, 0.0, 0.0, 2.0, 0.0, 0.0]), [2.0, 0.0, 0.0, 2.0, 2.0, 2.0]);
    }
}
