// Debug tool: reads a table page and prints the words Tesseract finds in each approval box.
use formscan::ocr::{OcrEngine, Region};
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let img = image::open(&path).unwrap().to_rgb8();
    let page = formscan::ingest::PageImage { index: 0, image: img, dpi: std::env::args().nth(2).map(|d| d.parse().unwrap()) };
    let spec = formscan::spec::Spec::builtin();
    let mut t = formscan::ocr::Tesseract::new("chi_sim").unwrap();
    let r = formscan::layout::scan_form::read_page(&page, &spec, &mut t, &Default::default()).unwrap();
    t.set_page(&r.seen, 200).unwrap();
    for (id, b) in &r.boxes {
        let s = std::time::Instant::now();
        let words = t.read_words(*b, Region::Block).unwrap();
        eprintln!("{id} {b:?} {:?}", s.elapsed());
        for w in words { eprintln!("   {:?} {:?} {:.2}", w.text, w.bbox, w.confidence); }
    }
    r.seen.save("/tmp/seen.png").unwrap();
}
