// Debug tool: times the preprocessing stages on one page image.
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let img = image::open(&path).unwrap().to_rgb8();
    eprintln!("decode {:?} {:?}", t.elapsed(), img.dimensions());
    let t = Instant::now();
    let g = formscan::preprocess::to_gray(&img);
    eprintln!("gray {:?}", t.elapsed());
    let t = Instant::now();
    let s = formscan::preprocess::skew_of_page(&g, &Default::default());
    eprintln!("skew {:?} = {s}", t.elapsed());
    let t = Instant::now();
    let r = formscan::preprocess::rotate(&g, s);
    eprintln!("rotate {:?}", t.elapsed());
    let t = Instant::now();
    let bl = formscan::preprocess::binarize_lines(&r);
    let grid = formscan::layout::grid::detect(&bl, 300.0, &Default::default());
    eprintln!("grid {:?} cells {}", t.elapsed(), grid.cells.len());
    let t = Instant::now();
    let c = formscan::layout::grid::erase_lines(&r, &grid.hlines, &grid.vlines);
    eprintln!("erase {:?}", t.elapsed());
    let t = Instant::now();
    let _ = formscan::preprocess::is_grayscale(&img);
    eprintln!("is_gray {:?}", t.elapsed());
    let mut tess = formscan::ocr::Tesseract::new("chi_sim").unwrap();
    let t = Instant::now();
    use formscan::ocr::OcrEngine;
    tess.set_page(&c, 300).unwrap();
    eprintln!("set_page {:?}", t.elapsed());
}
