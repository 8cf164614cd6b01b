// Debug tool: the time of one OCR call on a rectangle of a page image, averaged over repeats.
// `ocr_cost PAGE.png line|block|words X,Y,W,H [REPEATS]`
use formscan::ocr::{OcrEngine, Region};
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let img = image::open(&a[1]).unwrap().to_luma8();
    let region = match a[2].as_str() { "line" => Region::Line, "char" => Region::Char, _ => Region::Block };
    let r: Vec<u32> = a[3].split(',').map(|v| v.parse().unwrap()).collect();
    let n: u32 = a.get(4).map_or(10, |v| v.parse().unwrap());
    let lang = std::env::var("OCR_COST_LANG").unwrap_or("chi_sim".into());
    let mut t = formscan::ocr::Tesseract::new(&lang).unwrap();
    if let Ok(w) = std::env::var("OCR_COST_ONLY") { t.restrict(Some(&w)); }
    t.set_page(&img, 200).unwrap();
    let rect = [r[0], r[1], r[2], r[3]];
    let first = if a[2] == "words" { t.read_words(rect, region).unwrap().iter().map(|w| w.text.clone()).collect::<Vec<_>>().join(" ") } else { t.read(rect, region).unwrap().text };
    let s = std::time::Instant::now();
    for _ in 0..n {
        if a[2] == "words" { t.read_words(rect, region).unwrap(); } else { t.read(rect, region).unwrap(); }
    }
    println!("{:.2} ms  {}", s.elapsed().as_secs_f64() * 1000.0 / n as f64, first.trim());
}
