//! Time of the seal search on a page: `cargo run --release --example seal_cost -- PAGE.png DPI [N]`.
//! The page's colour copy is made at the marks' resolution (100 dpi) as the pipeline makes it
//! (timed), then searched N times.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (path, dpi): (&str, f32) = (&args[1], args[2].parse().expect("dpi"));
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(20);
    let page = image::open(path).expect("page").to_rgb8();
    let t = std::time::Instant::now();
    for _ in 0..n {
        let _ = formscan::preprocess::colour_copy(&page, dpi, 100.0);
    }
    println!("colour copy made in {:.1} ms", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
    let small = formscan::preprocess::colour_copy(&page, dpi, 100.0);
    let p = formscan::marks::SealParams::default();
    let t = std::time::Instant::now();
    let mut found = 0;
    for _ in 0..n {
        found = formscan::marks::find_seals(&small, 100.0, &p).len();
    }
    println!("{found} seals, {:.1} ms per page", t.elapsed().as_secs_f64() * 1000.0 / n as f64);
}
