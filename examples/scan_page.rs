// Scratch: read one page image and print what the scan route finds.
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let img = image::open(&path).unwrap().to_rgb8();
    let page = formscan::ingest::PageImage { index: 0, image: img, dpi: std::env::args().nth(2).map(|d| d.parse().unwrap()) };
    let spec = formscan::spec::Spec::builtin();
    let mut t = formscan::ocr::Tesseract::new("chi_sim").unwrap();
    let start = std::time::Instant::now();
    let r = formscan::layout::scan_form::read_page(&page, &spec, &mut t, &Default::default()).unwrap();
    eprintln!("{:?} turns {} skew {:.2} cells {} labels {} in {:?}", r.kind, r.quarter_turns, r.skew_deg, r.grid.cells.len(), r.labels_found, start.elapsed());
    for (id, v) in &r.values { println!("{id:18} {:.2} {:?}", v.confidence, v.text); }
    if std::env::var_os("SHOW_OCR").is_some() { for (b, t) in &r.ocr_boxes { println!("  {b:?} {t:?}"); } }
}
