// Debug tool: times one Tesseract read of a rectangle (or the whole image) several ways.
use formscan::ocr::{OcrEngine, Region};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let img = image::open(&a[1]).unwrap().to_luma8();
    let rect: [u32; 4] = if a.len() > 5 { [a[2].parse().unwrap(), a[3].parse().unwrap(), a[4].parse().unwrap(), a[5].parse().unwrap()] } else { [0, 0, img.width(), img.height()] };
    let mut t = formscan::ocr::Tesseract::new("chi_sim").unwrap();
    for round in 0..2 {
        let s = std::time::Instant::now();
        t.set_page(&img, 200).unwrap();
        let set = s.elapsed();
        let s = std::time::Instant::now();
        let r = t.read(rect, Region::Block).unwrap();
        eprintln!("round {round}: set {set:?} read {:?} {} chars", s.elapsed(), r.text.chars().filter(|c| !c.is_whitespace()).count());
        let crop = image::imageops::crop_imm(&img, rect[0], rect[1], rect[2], rect[3]).to_image();
        let s = std::time::Instant::now();
        t.set_page(&crop, 200).unwrap();
        let r = t.read([0, 0, crop.width(), crop.height()], Region::Block).unwrap();
        eprintln!("   crop: {:?} {} chars", s.elapsed(), r.text.chars().filter(|c| !c.is_whitespace()).count());
    }
}
