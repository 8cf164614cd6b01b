//! Decoding a PDF image XObject: its filters, colour space and Decode array, to RGB.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Base {
    Gray,
    Rgb,
    Cmyk,
}

impl Base {
    pub(super) fn components(self) -> usize {
        match self {
            Base::Gray => 1,
            Base::Rgb => 3,
            Base::Cmyk => 4,
        }
    }

    pub(super) fn to_rgb(self, s: &[u8]) -> [u8; 3] {
        match self {
            Base::Gray => [s[0]; 3],
            Base::Rgb => [s[0], s[1], s[2]],
            Base::Cmyk => cmyk_to_rgb(s[0], s[1], s[2], s[3]),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum ColourSpace {
    Device(Base),
    /// One ink (a Separation): 0 is paper, 1 full ink; shown as grey.
    Ink,
    Indexed { base: Base, hival: usize, table: Vec<u8> },
}

pub(super) fn unsupported_cs(name: &[u8]) -> Unreadable {
    Unreadable::UnsupportedPdfImage(format!("colour space {}", String::from_utf8_lossy(name)))
}

pub(super) fn colour_space(doc: &Document, o: &Object, resources: Option<&Dictionary>, depth: u8, limits: &ImageLimits) -> Result<ColourSpace, Unreadable> {
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
pub(super) fn filters<'a>(doc: &'a Document, s: &'a Stream) -> Vec<(&'a [u8], Option<&'a Dictionary>)> {
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
pub(super) fn leading_filters(s: &Stream, chain: &[(&[u8], Option<&Dictionary>)], limits: &ImageLimits) -> Result<Vec<u8>, Unreadable> {
    if chain.is_empty() {
        return Ok(s.content.clone());
    }
    let mut dict = Dictionary::new();
    dict.set("Filter", Object::Array(chain.iter().map(|(n, _)| Object::Name(n.to_vec())).collect()));
    dict.set("DecodeParms", Object::Array(chain.iter().map(|(_, p)| p.map(|d| Object::Dictionary(d.clone())).unwrap_or(Object::Null)).collect()));
    Stream::new(dict, s.content.clone()).decompressed_content_with_limit(limits.max_stream_bytes).map_err(bad)
}

/// A /Decode array as (min, max) per component, when it differs from the default.
pub(super) fn decode_ranges(doc: &Document, s: &Stream, n: usize) -> Option<Vec<(f32, f32)>> {
    let a = s.dict.get(b"Decode").ok().map(|d| deref(doc, d))?.as_array().ok()?;
    let v: Vec<f32> = a.iter().filter_map(|o| number(deref(doc, o))).collect();
    if v.len() < 2 * n {
        return None;
    }
    let ranges: Vec<(f32, f32)> = v.chunks(2).take(n).map(|p| (p[0], p[1])).collect();
    ranges.iter().any(|&(lo, hi)| lo != 0.0 || hi != 1.0).then_some(ranges)
}

/// Per-component lookup tables for a /Decode array over 8-bit samples.
pub(super) fn decode_luts(ranges: &[(f32, f32)]) -> Vec<[u8; 256]> {
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

pub(super) fn decode_xobject(doc: &Document, s: &Stream, resources: Option<&Dictionary>, limits: &ImageLimits) -> Result<RgbImage, Unreadable> {
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
pub(super) fn samples_to_rgb(samples: &[u8], w: u32, h: u32, cs: &ColourSpace, ranges: Option<&[(f32, f32)]>) -> RgbImage {
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
pub(super) fn decode_ccitt(doc: &Document, data: &[u8], params: Option<&Dictionary>, w: u32, h: u32, limits: &ImageLimits) -> Result<Vec<u8>, Unreadable> {
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
pub(super) fn minimal_g4_tiff(data: &[u8], columns: u32, rows: u32) -> Vec<u8> {
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
