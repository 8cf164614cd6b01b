//! The scanned pages as the files people send: a PDF of JPEG page images, a multi-page TIFF, or
//! one JPEG per page. Each carries the scan's resolution.

use std::io::Cursor;

use image::codecs::jpeg::{JpegEncoder, PixelDensity};
use lopdf::{dictionary, Document, Object, Stream};

use super::degrade::PageImage;

/// One page as JPEG bytes, with its dpi in the JFIF header.
pub fn jpeg(page: &PageImage, dpi: u32, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut out, quality);
    enc.set_pixel_density(PixelDensity::dpi(dpi.min(u16::MAX as u32) as u16));
    match page {
        PageImage::Rgb(i) => enc.encode_image(i),
        PageImage::Gray(i) => enc.encode_image(i),
    }
    .map_err(|e| format!("JPEG encoding: {e}"))?;
    Ok(out)
}

/// A PDF with one page per image: each a JPEG (DCTDecode) drawn over the whole page, the page's
/// size that of the image at `dpi`.
pub fn pdf(pages: &[PageImage], dpi: u32, quality: u8) -> Result<Vec<u8>, String> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    for page in pages {
        let (w, h) = page.dimensions();
        let (color_space, data) = match page {
            PageImage::Rgb(_) => ("DeviceRGB", jpeg(page, dpi, quality)?),
            PageImage::Gray(_) => ("DeviceGray", jpeg(page, dpi, quality)?),
        };
        let image = Stream::new(
            dictionary! {
                "Type" => "XObject",
                "Subtype" => "Image",
                "Width" => w as i64,
                "Height" => h as i64,
                "ColorSpace" => color_space,
                "BitsPerComponent" => 8,
                "Filter" => "DCTDecode",
            },
            data,
        )
        .with_compression(false);
        let image_id = doc.add_object(image);
        let (pw, ph) = (w as f32 * 72.0 / dpi as f32, h as f32 * 72.0 / dpi as f32);
        let content = format!("q {pw:.3} 0 0 {ph:.3} 0 0 cm /Im0 Do Q");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(pw), Object::Real(ph)],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}

/// A multi-page TIFF, Deflate-compressed with the horizontal predictor, resolution in inches.
pub fn tiff(pages: &[PageImage], dpi: u32) -> Result<Vec<u8>, String> {
    use tiff::encoder::colortype::{Gray8, RGB8};
    use tiff::encoder::compression::DeflateLevel;
    use tiff::encoder::{Compression, Rational, TiffEncoder};
    use tiff::tags::{Predictor, ResolutionUnit};
    let err = |e: tiff::TiffError| format!("writing the TIFF: {e}");
    let mut cursor = Cursor::new(Vec::new());
    {
        let mut enc = TiffEncoder::new(&mut cursor)
            .map_err(err)?
            .with_compression(Compression::Deflate(DeflateLevel::Balanced))
            .with_predictor(Predictor::Horizontal);
        let resolution = Rational { n: dpi, d: 1 };
        for page in pages {
            let (w, h) = page.dimensions();
            match page {
                PageImage::Rgb(i) => {
                    let mut img = enc.new_image::<RGB8>(w, h).map_err(err)?;
                    img.resolution(ResolutionUnit::Inch, resolution.clone());
                    img.write_data(i.as_raw()).map_err(err)?;
                }
                PageImage::Gray(i) => {
                    let mut img = enc.new_image::<Gray8>(w, h).map_err(err)?;
                    img.resolution(ResolutionUnit::Inch, resolution.clone());
                    img.write_data(i.as_raw()).map_err(err)?;
                }
            }
        }
    }
    Ok(cursor.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GrayImage, Luma, Rgb, RgbImage};

    fn pages() -> Vec<PageImage> {
        vec![
            PageImage::Rgb(RgbImage::from_pixel(200, 280, Rgb([250, 20, 30]))),
            PageImage::Gray(GrayImage::from_pixel(200, 280, Luma([100]))),
        ]
    }

    #[test]
    fn pdf_has_one_page_per_image_sized_by_dpi() {
        let bytes = pdf(&pages(), 100, 75).unwrap();
        let doc = Document::load_mem(&bytes).unwrap();
        let ids: Vec<_> = doc.get_pages().into_values().collect();
        assert_eq!(ids.len(), 2);
        let page = doc.get_dictionary(ids[0]).unwrap();
        let media = page.get(b"MediaBox").unwrap().as_array().unwrap();
        let width = media[2].as_float().unwrap();
        assert!((width - 144.0).abs() < 0.01, "{width}");
    }

    #[test]
    fn tiff_has_every_page() {
        let bytes = tiff(&pages(), 300).unwrap();
        let mut dec = tiff::decoder::Decoder::new(Cursor::new(bytes)).unwrap();
        let mut n = 1;
        assert_eq!(dec.dimensions().unwrap(), (200, 280));
        while dec.more_images() {
            dec.next_image().unwrap();
            n += 1;
        }
        assert_eq!(n, 2);
    }

    #[test]
    fn jpeg_decodes() {
        let bytes = jpeg(&pages()[0], 300, 80).unwrap();
        let img = image::load_from_memory(&bytes).unwrap();
        assert_eq!((img.width(), img.height()), (200, 280));
    }
}
