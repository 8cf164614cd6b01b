// Debug tool: reads one page image with the scan route and prints what it finds, with OCR time.
use formscan::ocr::{OcrEngine, OcrText, Region};
struct Timed { t: formscan::ocr::Tesseract, calls: u32, set: std::time::Duration, read: std::time::Duration }
impl OcrEngine for Timed {
    fn set_page(&mut self, p: &image::GrayImage, dpi: u32) -> Result<(), formscan::error::OcrError> { let s = std::time::Instant::now(); let r = self.t.set_page(p, dpi); self.set += s.elapsed(); r }
    fn read(&mut self, rect: [u32; 4], region: Region) -> Result<OcrText, formscan::error::OcrError> { let s = std::time::Instant::now(); self.calls += 1; let r = self.t.read(rect, region); self.read += s.elapsed(); if std::env::var("VERBOSE").is_ok() { eprintln!("  {:?} {:?} {:?} {:?}", rect, region, s.elapsed(), r.as_ref().map(|t| t.text.trim().chars().take(30).collect::<String>()).unwrap_or_default()); } r }
}
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let img = image::open(&path).unwrap().to_rgb8();
    let page = formscan::ingest::PageImage { index: 0, image: img, dpi: std::env::args().nth(2).map(|d| d.parse().unwrap()) };
    let spec = formscan::spec::Spec::builtin();
    let mut t = Timed { t: formscan::ocr::Tesseract::new("chi_sim").unwrap(), calls: 0, set: Default::default(), read: Default::default() };
    let start = std::time::Instant::now();
    let r = formscan::layout::scan_form::read_page(&page, &spec, &mut t, &Default::default()).unwrap();
    eprintln!("{:?} cells {} labels {} in {:?}; set_page {:?}, {} reads {:?}", r.kind, r.grid.cells.len(), r.labels_found, start.elapsed(), t.set, t.calls, t.read);
}
