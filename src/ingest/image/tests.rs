//! Tests of the image reader, on files made by real tools (tests/data/scans).
use super::*;

fn data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scans").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn decode(name: &str) -> Result<Vec<PageImage>, Unreadable> {
    let bytes = data(name);
    decode_image(&bytes, super::super::detect(&bytes), &ImageLimits::default())
}

fn dark(p: &::image::Rgb<u8>) -> bool {
    p.0.iter().all(|&c| c < 80)
}

fn light(p: &::image::Rgb<u8>) -> bool {
    p.0.iter().all(|&c| c > 180)
}

/// The marks make_scans.py draws: a black block near the top-left corner, the corner
/// itself white.
fn upright(img: &RgbImage) {
    let (w, h) = img.dimensions();
    let at = |fx: f32, fy: f32| img.get_pixel((fx * w as f32) as u32, (fy * h as f32) as u32);
    assert!(dark(at(0.15, 0.10)), "top-left block missing: {:?}", at(0.15, 0.10));
    assert!(light(at(0.02, 0.02)), "corner not white: {:?}", at(0.02, 0.02));
    assert!(light(at(0.85, 0.10)), "top-right not white: {:?}", at(0.85, 0.10));
}

#[test]
fn jpeg_with_jfif_300_dpi() {
    let pages = decode("page_300dpi.jpg").unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].dpi, Some(300.0));
    assert_eq!(pages[0].image.dimensions(), (600, 800));
    upright(&pages[0].image);
    // The red block bottom-right survives as red.
    let p = pages[0].image.get_pixel(510, 720);
    assert!(p[0] > 180 && p[1] < 90 && p[2] < 90, "{p:?}");
}

#[test]
fn cmyk_jpeg_to_rgb() {
    let pages = decode("cmyk.jpg").unwrap();
    let img = &pages[0].image;
    assert_eq!(img.dimensions(), (120, 160));
    upright(img);
    let p = img.get_pixel(100, 145);
    assert!(p[0] > 160 && p[1] < 110 && p[2] < 110, "red block not red: {p:?}");
}

#[test]
fn grey_png_to_rgb_with_phys() {
    let pages = decode("grey.png").unwrap();
    let img = &pages[0].image;
    assert_eq!(img.dimensions(), (600, 800));
    assert!(img.pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
    upright(img);
    let dpi = pages[0].dpi.unwrap();
    assert!((dpi - 150.0).abs() < 0.1, "{dpi}");
}

#[test]
fn three_page_tiff_in_order() {
    let pages = decode("three_pages.tif").unwrap();
    assert_eq!(pages.len(), 3);
    for (i, (p, bg)) in pages.iter().zip([60u8, 140, 220]).enumerate() {
        assert_eq!(p.index, i as u32);
        assert_eq!(p.image.dimensions(), (200, 260));
        assert_eq!(p.image.get_pixel(2, 2).0, [bg; 3], "page {i}");
        assert!((p.dpi.unwrap() - 200.0).abs() < 0.1);
    }
    let limits = ImageLimits { max_pages: 2, ..ImageLimits::default() };
    assert_eq!(decode_image(&data("three_pages.tif"), Detected::Tiff, &limits).unwrap().len(), 2);
}

#[test]
fn bilevel_g4_tiff() {
    let pages = decode("bilevel_g4.tif").unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].image.dimensions(), (600, 800));
    assert_eq!(pages[0].dpi, Some(300.0));
    upright(&pages[0].image);
}

#[test]
fn palette_tiff() {
    let pages = decode("palette.tif").unwrap();
    let img = &pages[0].image;
    assert_eq!(img.dimensions(), (120, 160));
    upright(img);
    let p = img.get_pixel(100, 145);
    assert!(p[0] > 180 && p[1] < 90 && p[2] < 90, "red block not red: {p:?}");
    assert_eq!(pages[0].dpi, Some(100.0));
}

#[test]
fn colour_and_depth_variants() {
    // JPEG-in-TIFF, CMYK TIFF, 16-bit grey TIFF and PNG, RGBA PNG with transparent paper,
    // palette PNG, progressive JPEG: all 120 × 160 at 100 dpi with the same marks.
    for name in [
        "variant_jpeg_ycbcr.tif",
        "variant_cmyk.tif",
        "variant_grey16.tif",
        "variant_grey16.png",
        "variant_rgba.png",
        "variant_palette.png",
        "variant_progressive.jpg",
    ] {
        let pages = decode(name).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let img = &pages[0].image;
        assert_eq!(img.dimensions(), (120, 160), "{name}");
        assert!(light(img.get_pixel(2, 2)), "{name}: paper not white: {:?}", img.get_pixel(2, 2));
        assert!(dark(img.get_pixel(18, 12)), "{name}: block not black: {:?}", img.get_pixel(18, 12));
        if !name.contains("grey") {
            let p = img.get_pixel(100, 145);
            assert!(p[0] > 160 && p[1] < 110 && p[2] < 110, "{name}: red block not red: {p:?}");
        }
        let dpi = pages[0].dpi.unwrap_or(0.0);
        assert!((dpi - 100.0).abs() < 0.5, "{name}: dpi {dpi}");
    }
}

#[test]
fn malformed_jfif_segment_is_not_a_panic() {
    // An APP0 whose length field is 0.
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
    bytes.extend(b"JFIF\0\x01\x01\x01\x01\x2c\x01\x2c");
    assert_eq!(jfif_density(&bytes), (None, None));
    assert!(decode_image(&bytes, Detected::Jpeg, &ImageLimits::default()).is_err());
}

#[test]
fn truncated_jpeg_is_bad_image() {
    let bytes = data("page_300dpi.jpg");
    let cut = &bytes[..bytes.len() / 2];
    assert!(matches!(decode_image(cut, Detected::Jpeg, &ImageLimits::default()), Err(Unreadable::BadImage(_))));
    // Cut inside the headers, too.
    assert!(matches!(decode_image(&bytes[..300], Detected::Jpeg, &ImageLimits::default()), Err(Unreadable::BadImage(_))));
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn huge_png_header_is_refused_before_decoding() {
    // A PNG whose IHDR declares 50,000 × 50,000 RGB (7.5 GB decoded) and whose data is absent.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(50_000u32.to_be_bytes());
    ihdr.extend(50_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    // The start of a zlib stream, as if the file had been cut off.
    let idat = b"IDAT\x78\x9c\x00";
    png.extend(3u32.to_be_bytes());
    png.extend(idat);
    png.extend(crc32(idat).to_be_bytes());
    png.extend(0u32.to_be_bytes());
    png.extend(b"IEND");
    png.extend(crc32(b"IEND").to_be_bytes());
    let r = decode_image(&png, Detected::Png, &ImageLimits::default());
    assert!(matches!(r, Err(Unreadable::ImageTooLarge(_))), "{r:?}");
    // Within the side limit but over the pixel count.
    let limits = ImageLimits { max_side: 60_000, ..ImageLimits::default() };
    let r = decode_image(&png, Detected::Png, &limits);
    assert!(matches!(r, Err(Unreadable::ImageTooLarge(_))), "{r:?}");
}

#[test]
fn huge_jpeg_header_is_refused_before_decoding() {
    // The real JPEG with its frame header patched to declare 50,000 × 50,000.
    let mut bytes = data("page_300dpi.jpg");
    let sof = bytes.windows(2).position(|w| w == [0xFF, 0xC0]).expect("baseline SOF");
    bytes[sof + 5..sof + 7].copy_from_slice(&50_000u16.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&50_000u16.to_be_bytes());
    let r = decode_image(&bytes, Detected::Jpeg, &ImageLimits::default());
    assert!(matches!(r, Err(Unreadable::ImageTooLarge(_))), "{r:?}");
    // Small enough a side, too many pixels in total.
    let limits = ImageLimits { max_side: 60_000, ..ImageLimits::default() };
    let r = decode_image(&bytes, Detected::Jpeg, &limits);
    assert!(matches!(r, Err(Unreadable::ImageTooLarge(_))), "{r:?}");
}

#[test]
fn huge_tiff_header_is_refused_before_decoding() {
    // An uncompressed grey TIFF declaring 50,000 × 50,000 with a 4-byte strip.
    let entries: [(u16, u16, u32); 8] =
        [(256, 4, 50_000), (257, 4, 50_000), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8 + 2 + 8 * 12 + 4), (278, 4, 50_000), (279, 4, 4)];
    let mut t = b"II*\0".to_vec();
    t.extend(8u32.to_le_bytes());
    t.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, value) in entries {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(1u32.to_le_bytes());
        if kind == 3 {
            t.extend((value as u16).to_le_bytes());
            t.extend([0, 0]);
        } else {
            t.extend(value.to_le_bytes());
        }
    }
    t.extend(0u32.to_le_bytes());
    t.extend([0u8; 4]);
    let r = decode_image(&t, Detected::Tiff, &ImageLimits::default());
    assert!(matches!(r, Err(Unreadable::ImageTooLarge(_))), "{r:?}");
}

#[test]
fn garbage_and_wrong_kind() {
    assert!(matches!(decode_image(b"\x89PNG\r\n\x1a\nnot really", Detected::Png, &ImageLimits::default()), Err(Unreadable::BadImage(_))));
    assert!(matches!(decode_image(b"II*\0\x08\0\0\0\xff\xff", Detected::Tiff, &ImageLimits::default()), Err(Unreadable::BadImage(_))));
    assert!(matches!(decode_image(b"%PDF-1.4", Detected::Pdf, &ImageLimits::default()), Err(Unreadable::BadImage(_))));
    assert_eq!(decode_image(b"", Detected::Png, &ImageLimits::default()).unwrap_err(), Unreadable::Empty);
}

#[test]
fn exif_orientation_is_applied() {
    // The test JPEG with an EXIF APP1 saying "rotate 90° clockwise to display" (6).
    let bytes = data("page_300dpi.jpg");
    let mut tiff = b"MM\0*\0\0\0\x08\0\x01".to_vec();
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(&tiff);
    let mut jpeg = bytes[..2].to_vec();
    jpeg.extend(&app1);
    jpeg.extend(&bytes[2..]);
    let pages = decode_image(&jpeg, Detected::Jpeg, &ImageLimits::default()).unwrap();
    let img = &pages[0].image;
    assert_eq!(img.dimensions(), (800, 600));
    // Turned clockwise, the top-left block is now near the top-right corner.
    assert!(dark(img.get_pixel(800 - 80, 90)));
    assert!(light(img.get_pixel(80, 60)));
}

#[test]
fn unpack_sub_byte() {
    // Two rows of three 2-bit samples, each row padded to one byte.
    let rows = [0b00_01_10_00u8, 0b11_11_00_00];
    assert_eq!(unpack(&rows, 3, 2, 1, 2, false).unwrap(), vec![0, 1, 2, 3, 3, 0]);
    assert_eq!(unpack(&rows, 3, 2, 1, 2, true).unwrap(), vec![0, 85, 170, 255, 255, 0]);
    assert!(unpack(&rows[..1], 3, 2, 1, 2, true).is_err());
}

#[test]
fn rgb_tiff_keeps_its_pixels() {
    // Chunky 8-bit RGB, taken as decoded: each pixel's three samples in place.
    let img = RgbImage::from_fn(31, 17, |x, y| ::image::Rgb([(x * 8) as u8, (y * 15) as u8, ((x + y) * 3) as u8]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, ::image::ImageFormat::Tiff).unwrap();
    let pages = decode_image(bytes.get_ref(), Detected::Tiff, &ImageLimits::default()).unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].image.as_raw(), img.as_raw());
}
