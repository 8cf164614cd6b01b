//! Decodes a scanned JPEG, PNG or TIFF into RGB pages. The sizes a file declares are checked
//! against [`ImageLimits`] before any pixel buffer exists: a 30 KB file may claim 50,000 × 50,000
//! pixels, and the `image` crate's own default caps allocation but not width or height.
//!
//! JPEG and PNG go through `image::ImageReader` (with `Limits` set); TIFF goes through the `tiff`
//! crate directly, because only it walks every page of a multi-page file and reads the tags
//! (resolution, palette, subfile type) that scanners write.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use ::image::metadata::Orientation;
use ::image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader};

/// Inside `ingest`, the path `image::RgbImage` (as `PageImage` spells it) now names this module
/// rather than the `image` crate: the re-export keeps it naming the crate's type.
pub use ::image::RgbImage;
use tiff::decoder::{Decoder as TiffDecoder, DecodingResult, Limits as TiffLimits};
use tiff::tags::Tag;
use tiff::{ColorType as TiffColor, TiffError};

use super::{Detected, ImageLimits, PageImage, Unreadable};

/// Decodes a JPEG, PNG or TIFF (every page of a multi-page TIFF, at most `limits.max_pages`)
/// into RGB pages. Grey, palette, 16-bit, CMYK and bilevel (incl. CCITT G4) images all end as
/// `RgbImage`; transparency is flattened onto white, as on paper. The EXIF/TIFF orientation is
/// applied, as every viewer does: a phone photo of a form is otherwise on its side.
pub fn decode_image(bytes: &[u8], detected: Detected, limits: &ImageLimits) -> Result<Vec<PageImage>, Unreadable> {
    let mut out = Vec::new();
    for_each_image_page(bytes, detected, limits, &mut |p| {
        out.push(p);
        Ok(())
    })?;
    Ok(out)
}

/// As [`decode_image`], handing each page to `each` as soon as it is decoded, so that a
/// multi-page TIFF is never held whole at full colour.
pub fn for_each_image_page(bytes: &[u8], detected: Detected, limits: &ImageLimits, each: &mut dyn FnMut(PageImage) -> Result<(), Unreadable>) -> Result<(), Unreadable> {
    if bytes.is_empty() {
        return Err(Unreadable::Empty);
    }
    // The decoders are meant not to panic, but they parse hostile input: a panic becomes a
    // typed error rather than the end of a batch.
    let mut run = || match detected {
        Detected::Jpeg => each(decode_single(bytes, ImageFormat::Jpeg, limits)?),
        Detected::Png => each(decode_single(bytes, ImageFormat::Png, limits)?),
        Detected::Tiff => decode_tiff(bytes, limits, each),
        other => Err(Unreadable::BadImage(format!("not a JPEG, PNG or TIFF file ({other:?})"))),
    };
    catch_unwind(AssertUnwindSafe(&mut run)).unwrap_or_else(|_| Err(Unreadable::BadImage("the image decoder failed on this file".into())))
}

fn decode_single(bytes: &[u8], format: ImageFormat, limits: &ImageLimits) -> Result<PageImage, Unreadable> {
    let (dpi_x, dpi_y) = match format {
        ImageFormat::Jpeg => jfif_density(bytes),
        ImageFormat::Png => png_density(bytes),
        _ => (None, None),
    };
    let (image, orientation) = decode_raster(bytes, format, limits, true)?;
    // A quarter turn swaps which density belongs to the horizontal axis.
    let dpi = if swaps_axes(orientation) { dpi_y.or(dpi_x) } else { dpi_x.or(dpi_y) };
    Ok(PageImage { index: 0, image, dpi })
}

/// Checks declared dimensions against the limits. Shared with the PDF reader.
pub(crate) fn check_dimensions(width: u32, height: u32, limits: &ImageLimits) -> Result<(), Unreadable> {
    if width == 0 || height == 0 {
        return Err(Unreadable::BadImage(format!("the image declares {width} × {height} pixels")));
    }
    if width > limits.max_side || height > limits.max_side {
        return Err(Unreadable::ImageTooLarge(format!("{width} × {height} px (limit {} px a side)", limits.max_side)));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(Unreadable::ImageTooLarge(format!(
            "{width} × {height} px = {:.0} MP (limit {:.0} MP)",
            (u64::from(width) * u64::from(height)) as f64 / 1e6,
            limits.max_pixels as f64 / 1e6
        )));
    }
    Ok(())
}

fn image_error(e: ImageError) -> Unreadable {
    match e {
        ImageError::Limits(l) => Unreadable::ImageTooLarge(l.to_string()),
        other => Unreadable::BadImage(other.to_string()),
    }
}

/// Decodes a JPEG or PNG with the `image` crate under the limits; returns the image and the
/// orientation its metadata asks for (applied when `apply_orientation`; a JPEG inside a PDF is
/// placed by the page, so its EXIF tag must be ignored there). Shared with the PDF reader.
pub(crate) fn decode_raster(
    bytes: &[u8],
    format: ImageFormat,
    limits: &ImageLimits,
    apply_orientation: bool,
) -> Result<(RgbImage, Orientation), Unreadable> {
    if format == ImageFormat::Jpeg && !jpeg_complete(bytes) {
        // zune-jpeg, in the lenient mode the image crate uses, fills a cut-off scan with grey and
        // reports success: the bottom of the form (signature, seal) would silently be lost.
        return Err(Unreadable::BadImage("truncated JPEG (no end-of-image marker after the scan data)".into()));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut image_limits = ::image::Limits::default();
    image_limits.max_image_width = Some(limits.max_side);
    image_limits.max_image_height = Some(limits.max_side);
    // Room for the largest allowed image in the widest layout decoded (16-bit RGBA).
    image_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(image_limits);
    // `into_decoder` reads only the headers and checks width and height against the limits.
    let mut decoder = reader.into_decoder().map_err(image_error)?;
    let (w, h) = decoder.dimensions();
    check_dimensions(w, h, limits)?;
    let orientation = if apply_orientation { decoder.orientation().unwrap_or(Orientation::NoTransforms) } else { Orientation::NoTransforms };
    let mut image = DynamicImage::from_decoder(decoder).map_err(image_error)?;
    image.apply_orientation(orientation);
    Ok((flatten(image), orientation))
}

fn swaps_axes(o: Orientation) -> bool {
    matches!(o, Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH)
}

/// RGB, with any alpha composited onto white (a transparent background is paper, not black).
fn flatten(image: DynamicImage) -> RgbImage {
    if let DynamicImage::ImageLuma8(gray) = &image {
        // A grey scan (most photocopies): spread by hand, as the image crate's colour-space
        // conversion goes through floating point, 3 % of such a form's time.
        let (w, h) = gray.dimensions();
        let mut rgb = vec![0u8; gray.as_raw().len() * 3];
        for (o, &v) in rgb.chunks_exact_mut(3).zip(gray.as_raw()) {
            o.copy_from_slice(&[v, v, v]);
        }
        if let Some(out) = RgbImage::from_raw(w, h, rgb) {
            return out;
        }
    }
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let mut out = RgbImage::new(w, h);
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(p[3]);
        for c in 0..3 {
            o[c] = ((u32::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Whether a JPEG's scan data is followed by its end-of-image marker. Walks the marker segments
/// to the first start-of-scan, then looks for FF D9: inside entropy-coded data FF is always
/// followed by 00 or a restart marker, so FF D9 there is the real end. An EXIF thumbnail's own
/// EOI sits inside an APP1 segment, which the walk skips.
fn jpeg_complete(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return true; // not a JPEG at all: let the decoder say so
    }
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return true; // malformed marker layout: the decoder reports it
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += 2;
            continue;
        }
        if marker == 0xD9 {
            return false; // EOI before any scan
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if marker == 0xDA {
            let start = (i + 2 + len).min(bytes.len());
            return bytes[start..].windows(2).any(|w| w == [0xFF, 0xD9]);
        }
        i += 2 + len;
    }
    false
}

fn positive(v: f32) -> Option<f32> {
    (v.is_finite() && v > 0.0).then_some(v)
}

/// JFIF APP0 density: units 1 = dots per inch, 2 = dots per cm; 0 is an aspect ratio only.
fn jfif_density(bytes: &[u8]) -> (Option<f32>, Option<f32>) {
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xFF {
        let marker = bytes[i + 1];
        if marker == 0xDA || marker == 0xD9 {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 {
            break; // a segment length counts its own two bytes
        }
        let seg = &bytes[i + 4..(i + 2 + len).min(bytes.len())];
        if marker == 0xE0 && seg.len() >= 12 && seg.starts_with(b"JFIF\0") {
            let x = f32::from(u16::from_be_bytes([seg[8], seg[9]]));
            let y = f32::from(u16::from_be_bytes([seg[10], seg[11]]));
            let scale = match seg[7] {
                1 => 1.0,
                2 => 2.54,
                _ => return (None, None),
            };
            return (positive(x * scale), positive(y * scale));
        }
        i += 2 + len;
    }
    (None, None)
}

/// PNG pHYs: pixels per metre when the unit byte is 1.
fn png_density(bytes: &[u8]) -> (Option<f32>, Option<f32>) {
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let kind = &bytes[i + 4..i + 8];
        if kind == b"IDAT" || kind == b"IEND" {
            break;
        }
        let data = &bytes[(i + 8).min(bytes.len())..(i + 8).saturating_add(len).min(bytes.len())];
        if kind == b"pHYs" && data.len() >= 9 && data[8] == 1 {
            let x = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as f32 * 0.0254;
            let y = u32::from_be_bytes([data[4], data[5], data[6], data[7]]) as f32 * 0.0254;
            return (positive(x), positive(y));
        }
        i = i.saturating_add(12).saturating_add(len);
    }
    (None, None)
}

// ---------------------------------------------------------------------------------------------
// TIFF

fn tiff_error(e: TiffError) -> Unreadable {
    match e {
        TiffError::LimitsExceeded => Unreadable::ImageTooLarge("TIFF decoding limits exceeded".into()),
        other => Unreadable::BadImage(format!("TIFF: {other}")),
    }
}

fn tiff_limits(limits: &ImageLimits) -> TiffLimits {
    let mut l = TiffLimits::default();
    // The decoded page in its widest layout (16-bit, 4 samples); the tag limit stays at 1 MiB.
    let bytes = usize::try_from(limits.max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
    l.decoding_buffer_size = bytes;
    l.intermediate_buffer_size = bytes;
    l
}

fn decode_tiff(bytes: &[u8], limits: &ImageLimits, each: &mut dyn FnMut(PageImage) -> Result<(), Unreadable>) -> Result<(), Unreadable> {
    let mut decoder = TiffDecoder::new(Cursor::new(bytes)).map_err(tiff_error)?.with_limits(tiff_limits(limits));
    let mut pages = 0u32;
    let mut ifd_index = 0usize;
    loop {
        // Bit 0 of NewSubfileType marks a reduced-resolution copy (a scanner's thumbnail), not a page.
        let subfile: u32 = decoder.find_tag_unsigned(Tag::NewSubfileType).ok().flatten().unwrap_or(0);
        if subfile & 1 == 0 {
            if pages >= limits.max_pages {
                break;
            }
            let (image, dpi) = decode_tiff_page(&mut decoder, bytes, ifd_index, limits)?;
            each(PageImage { index: pages, image, dpi })?;
            pages += 1;
        }
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(tiff_error)?;
        ifd_index += 1;
    }
    if pages == 0 {
        return Err(Unreadable::NoPages);
    }
    Ok(())
}

fn tiff_number(v: tiff::decoder::ifd::Value) -> Option<f32> {
    use tiff::decoder::ifd::Value;
    match v {
        Value::Rational(n, d) if d != 0 => Some(n as f32 / d as f32),
        Value::Short(n) => Some(f32::from(n)),
        Value::Unsigned(n) => Some(n as f32),
        Value::Float(f) => Some(f),
        Value::Double(f) => Some(f as f32),
        Value::List(mut l) if !l.is_empty() => tiff_number(l.swap_remove(0)),
        _ => None,
    }
}

/// XResolution and YResolution in dots per inch (ResolutionUnit 2 = inch, the default; 3 = cm;
/// 1 = no absolute unit).
fn tiff_density<R: std::io::Read + std::io::Seek>(decoder: &mut TiffDecoder<R>) -> (Option<f32>, Option<f32>) {
    let unit: u16 = decoder.find_tag_unsigned(Tag::ResolutionUnit).ok().flatten().unwrap_or(2);
    let scale = match unit {
        2 => 1.0,
        3 => 2.54,
        _ => return (None, None),
    };
    let mut get = |tag| decoder.find_tag(tag).ok().flatten().and_then(tiff_number).and_then(|v| positive(v * scale));
    (get(Tag::XResolution), get(Tag::YResolution))
}

fn decode_tiff_page<R: std::io::Read + std::io::Seek>(
    decoder: &mut TiffDecoder<R>,
    bytes: &[u8],
    ifd_index: usize,
    limits: &ImageLimits,
) -> Result<(RgbImage, Option<f32>), Unreadable> {
    let (w, h) = decoder.dimensions().map_err(tiff_error)?;
    check_dimensions(w, h, limits)?;
    let (dpi_x, dpi_y) = tiff_density(decoder);
    let orientation = decoder
        .find_tag_unsigned::<u8>(Tag::Orientation)
        .ok()
        .flatten()
        .and_then(Orientation::from_exif)
        .unwrap_or(Orientation::NoTransforms);
    let photometric: u16 = decoder.find_tag_unsigned(Tag::PhotometricInterpretation).ok().flatten().unwrap_or(1);
    let image = match decoder.colortype() {
        Ok(color) => {
            let mut result = DecodingResult::U8(Vec::new());
            let layout = decoder.read_image_to_buffer(&mut result).map_err(tiff_error)?;
            let planar = layout.planes > 1;
            tiff_to_rgb(color, result, w, h, planar)?
        }
        // The tiff crate does not expand palettes (PhotometricInterpretation 3).
        Err(_) if photometric == 3 => decode_tiff_palette(decoder, bytes, ifd_index, w, h, limits)?,
        Err(e) => return Err(tiff_error(e)),
    };
    let mut image = DynamicImage::ImageRgb8(image);
    image.apply_orientation(orientation);
    let dpi = if swaps_axes(orientation) { dpi_y.or(dpi_x) } else { dpi_x.or(dpi_y) };
    Ok((image.into_rgb8(), dpi))
}

/// A palette TIFF: the indices are read as grey samples from a copy of the file whose
/// PhotometricInterpretation says BlackIsZero, then mapped through the ColorMap (16-bit R, then G,
/// then B tables).
fn decode_tiff_palette<R: std::io::Read + std::io::Seek>(
    decoder: &mut TiffDecoder<R>,
    bytes: &[u8],
    ifd_index: usize,
    w: u32,
    h: u32,
    limits: &ImageLimits,
) -> Result<RgbImage, Unreadable> {
    let bits: u16 = decoder.find_tag_unsigned(Tag::BitsPerSample).ok().flatten().unwrap_or(1);
    if !matches!(bits, 1 | 2 | 4 | 8) {
        return Err(Unreadable::BadImage(format!("TIFF palette image with {bits} bits per sample")));
    }
    let map = decoder.get_tag_u16_vec(Tag::ColorMap).map_err(tiff_error)?;
    let entries = 1usize << bits;
    if map.len() < 3 * entries {
        return Err(Unreadable::BadImage("TIFF palette shorter than its bit depth needs".into()));
    }
    let ifd = decoder.ifd_pointer().map(|p| p.0).ok_or_else(|| Unreadable::BadImage("TIFF directory not found".into()))?;
    let patched = patch_photometric(bytes, ifd, 1).ok_or_else(|| Unreadable::BadImage("unsupported TIFF palette layout".into()))?;
    let mut grey = TiffDecoder::new(Cursor::new(&patched[..])).map_err(tiff_error)?.with_limits(tiff_limits(limits));
    grey.seek_to_image(ifd_index).map_err(tiff_error)?;
    let mut result = DecodingResult::U8(Vec::new());
    grey.read_image_to_buffer(&mut result).map_err(tiff_error)?;
    let DecodingResult::U8(data) = result else {
        return Err(Unreadable::BadImage("unexpected TIFF palette sample type".into()));
    };
    let palette: Vec<[u8; 3]> = (0..entries).map(|i| [(map[i] >> 8) as u8, (map[entries + i] >> 8) as u8, (map[2 * entries + i] >> 8) as u8]).collect();
    let indices = unpack(&data, w, h, 1, bits as u8, false)?;
    let mut out = RgbImage::new(w, h);
    for (p, &i) in out.pixels_mut().zip(indices.iter()) {
        p.0 = palette[usize::from(i) % entries];
    }
    Ok(out)
}

/// A copy of a classic (not Big) TIFF with PhotometricInterpretation in the directory at `ifd`
/// set to `value`.
fn patch_photometric(bytes: &[u8], ifd: u64, value: u16) -> Option<Vec<u8>> {
    let le = match bytes.get(..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = [*bytes.get(o)?, *bytes.get(o + 1)?];
        Some(if le { u16::from_le_bytes(b) } else { u16::from_be_bytes(b) })
    };
    let ifd = usize::try_from(ifd).ok()?;
    let count = usize::from(u16_at(ifd)?);
    for k in 0..count {
        let entry = ifd + 2 + 12 * k;
        if u16_at(entry)? == 262 && u16_at(entry + 2)? == 3 {
            let mut out = bytes.to_vec();
            let v = if le { value.to_le_bytes() } else { value.to_be_bytes() };
            out.get_mut(entry + 8..entry + 10)?.copy_from_slice(&v);
            return Some(out);
        }
    }
    None
}

/// Unpacks `spp` samples per pixel of `bits` (1, 2, 4, 8) from rows padded to whole bytes.
/// `scale` stretches sub-byte values to 0–255; without it the raw values (palette indices) stay.
pub(crate) fn unpack(data: &[u8], w: u32, h: u32, spp: usize, bits: u8, scale: bool) -> Result<Vec<u8>, Unreadable> {
    let per_row = w as usize * spp;
    let row_bytes = (per_row * usize::from(bits)).div_ceil(8);
    let needed = row_bytes * h as usize;
    if data.len() < needed {
        return Err(Unreadable::BadImage(format!("image data ends early ({} of {needed} bytes)", data.len())));
    }
    if bits == 8 && row_bytes == per_row {
        return Ok(data[..needed].to_vec());
    }
    let max = (1u16 << bits) - 1;
    let mut out = Vec::with_capacity(per_row * h as usize);
    for row in data.chunks(row_bytes).take(h as usize) {
        for i in 0..per_row {
            let bit = i * usize::from(bits);
            let byte = row[bit / 8];
            let v = match bits {
                8 => u16::from(byte),
                _ => (u16::from(byte) >> (8 - usize::from(bits) - bit % 8)) & max,
            };
            out.push(if scale && bits < 8 { (v * 255 / max) as u8 } else { v as u8 });
        }
    }
    Ok(out)
}

/// Converts a decoded TIFF page to RGB. `planar` data holds one plane after another.
fn tiff_to_rgb(color: TiffColor, result: DecodingResult, w: u32, h: u32, planar: bool) -> Result<RgbImage, Unreadable> {
    let (kind, spp, bits) = match color {
        TiffColor::Gray(b) => (Kind::Gray, 1, b),
        TiffColor::GrayA(b) => (Kind::GrayA, 2, b),
        TiffColor::RGB(b) => (Kind::Rgb, 3, b),
        TiffColor::RGBA(b) => (Kind::Rgba, 4, b),
        TiffColor::CMYK(b) => (Kind::Cmyk, 4, b),
        TiffColor::CMYKA(b) => (Kind::Cmyk, 5, b),
        TiffColor::YCbCr(b) => (Kind::YCbCr, 3, b),
        // Grey with extra samples the file does not call alpha: the first sample is the grey.
        TiffColor::Multiband { bit_depth, num_samples } if num_samples >= 1 => (Kind::Gray, usize::from(num_samples), bit_depth),
        other => return Err(Unreadable::BadImage(format!("unsupported TIFF colour type {other:?}"))),
    };
    let n = w as usize * h as usize;
    // Chunky 8-bit RGB, the colour scan's usual layout, is already the image's own layout:
    // taken as it is, not copied twice (a 300 dpi A4 page is 26 MB a copy).
    let result = match (result, kind, bits, planar) {
        (DecodingResult::U8(mut d), Kind::Rgb, 8, false) if d.len() >= n * 3 => {
            d.truncate(n * 3);
            return RgbImage::from_raw(w, h, d).ok_or_else(|| Unreadable::BadImage("TIFF image data ends early".into()));
        }
        (result, ..) => result,
    };
    let samples: Vec<u8> = match (result, bits) {
        (DecodingResult::U8(d), 1 | 2 | 4 | 8) => {
            if planar && bits == 8 {
                interleave(&d, w, h, spp)?
            } else if planar {
                return Err(Unreadable::BadImage("planar TIFF with sub-byte samples".into()));
            } else {
                unpack(&d, w, h, spp, bits, true)?
            }
        }
        (DecodingResult::U16(d), 16) => {
            let d: Vec<u8> = d.iter().map(|v| (v >> 8) as u8).collect();
            if planar { interleave(&d, w, h, spp)? } else { d }
        }
        (_, b) => return Err(Unreadable::BadImage(format!("unsupported TIFF sample depth {b} bits"))),
    };
    if samples.len() < n * spp {
        return Err(Unreadable::BadImage("TIFF image data ends early".into()));
    }
    let mut out = RgbImage::new(w, h);
    for (p, s) in out.pixels_mut().zip(samples.chunks_exact(spp)) {
        p.0 = match kind {
            Kind::Gray => [s[0]; 3],
            Kind::GrayA => [over_white(s[0], s[1]); 3],
            Kind::Rgb => [s[0], s[1], s[2]],
            Kind::Rgba => [over_white(s[0], s[3]), over_white(s[1], s[3]), over_white(s[2], s[3])],
            Kind::Cmyk => cmyk_to_rgb(s[0], s[1], s[2], s[3]),
            Kind::YCbCr => ycbcr_to_rgb(s[0], s[1], s[2]),
        };
    }
    Ok(out)
}

#[derive(Clone, Copy)]
enum Kind {
    Gray,
    GrayA,
    Rgb,
    Rgba,
    Cmyk,
    YCbCr,
}

/// Planes (all of sample 0, then all of sample 1, …) to interleaved pixels.
fn interleave(d: &[u8], w: u32, h: u32, spp: usize) -> Result<Vec<u8>, Unreadable> {
    let n = w as usize * h as usize;
    if d.len() < n * spp {
        return Err(Unreadable::BadImage("planar TIFF: not every plane was read".into()));
    }
    let mut out = vec![0u8; n * spp];
    for s in 0..spp {
        for i in 0..n {
            out[i * spp + s] = d[s * n + i];
        }
    }
    Ok(out)
}

fn over_white(v: u8, a: u8) -> u8 {
    ((u32::from(v) * u32::from(a) + 255 * (255 - u32::from(a)) + 127) / 255) as u8
}

/// Device CMYK without a colour profile: good enough for black ink and red seals.
pub(crate) fn cmyk_to_rgb(c: u8, m: u8, y: u8, k: u8) -> [u8; 3] {
    let f = |x: u8| ((255 - u32::from(x)) * (255 - u32::from(k)) / 255) as u8;
    [f(c), f(m), f(y)]
}

fn ycbcr_to_rgb(y: u8, cb: u8, cr: u8) -> [u8; 3] {
    let (y, cb, cr) = (f32::from(y), f32::from(cb) - 128.0, f32::from(cr) - 128.0);
    let c = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    [c(y + 1.402 * cr), c(y - 0.344_136 * cb - 0.714_136 * cr), c(y + 1.772 * cb)]
}

#[cfg(test)]
mod tests;
