//! Tests of the pdf reader, on files made by real tools (tests/data/scans).
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
