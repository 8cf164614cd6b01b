//! Calibrates seal finding on a generated sample set:
//! `formscan samples -o DIR --count 30 --seed 31`, then `marks_calibrate DIR [DEBUG_DIR]`.
//!
//! For each form, the approvals page is shrunk to about 100 dpi and `find_seals` runs on the
//! whole page. Colour forms: the `Present` seals are compared with the boxes whose truth seal
//! is present. Greyscale forms (converted to RGB): no seal may be found, red being gone. Also
//! times `find_handwriting` on signer-sized zones of the 200 dpi grey page. With DEBUG_DIR,
//! each page is written there with its candidates outlined.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use formscan::ingest::{detect, image::decode_image, pdf::pdf_pages, Detected, ImageLimits};
use formscan::marks::{find_handwriting, find_seals, InkParams, SealParams};
use formscan::record::Mark;
use image::imageops::{resize, FilterType};
use image::{Rgb, RgbImage};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(dir) = args.get(1).map(PathBuf::from) else {
        eprintln!("usage: marks_calibrate DIR [DEBUG_DIR]");
        std::process::exit(2);
    };
    let debug = args.get(2).map(PathBuf::from);
    if let Some(d) = &debug {
        let _ = std::fs::create_dir_all(d);
    }
    let truth = std::fs::read_to_string(dir.join("truth.jsonl")).expect("truth.jsonl");
    let (sp, ip) = (SealParams::default(), InkParams::default());
    let mut t = Totals::default();
    for line in truth.lines().filter(|l| !l.trim().is_empty()) {
        let form: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let id = form["form"].as_str().unwrap_or("?").to_string();
        let color = form["color"].as_str() == Some("color");
        let dpi = form["dpi"].as_f64().unwrap_or(200.0) as f32;
        let page_no = form["approvals_page"].as_u64().unwrap_or(1) as usize;
        let files: Vec<String> = form["files"].as_array().map(|a| a.iter().filter_map(|f| f.as_str().map(String::from)).collect()).unwrap_or_default();
        let Some(page) = load_page(&dir, &files, page_no) else {
            println!("{id}: approvals page {page_no} not readable");
            continue;
        };
        let expected = form["approvals"].as_object().map_or(0, |a| a.values().filter(|v| v["seal"].as_str() == Some("present")).count());

        let small = shrink(&page, dpi, 100.0);
        let small_dpi = dpi * small.width() as f32 / page.width().max(1) as f32;
        let start = Instant::now();
        let seals = find_seals(&small, small_dpi, &sp);
        let took = start.elapsed();
        let present = seals.iter().filter(|s| s.mark == Mark::Present).count();
        let uncertain = seals.len() - present;
        let shape: Vec<String> = seals.iter().map(|s| format!("{:?}@({:.0},{:.0}) d{:.1} s{:.2}", s.mark, s.center[0], s.center[1], s.diameter_mm, s.score)).collect();
        if color {
            t.colour_pages += 1;
            t.expected += expected;
            t.present += present.min(expected);
            t.false_pos += present.saturating_sub(expected);
            t.missed += expected.saturating_sub(present);
            t.uncertain += uncertain;
            t.seal_time.push(took);
            let flag = if present == expected { "ok" } else { "MISMATCH" };
            println!("{id} colour {dpi}dpi: {present} present + {uncertain} uncertain / {expected} truth [{flag}] {took:?} {}", shape.join(" "));
        } else {
            t.gray_pages += 1;
            t.gray_found += seals.len();
            t.seal_time.push(took);
            let flag = if seals.is_empty() { "ok" } else { "FOUND ON GREY" };
            println!("{id} grey {dpi}dpi: {} candidates [{flag}] {took:?} {}", seals.len(), shape.join(" "));
        }
        if let Some(d) = &debug {
            let mut out = small.clone();
            for s in &seals {
                let [x, y, w, h] = s.bbox;
                let colour = if s.mark == Mark::Present { Rgb([0, 160, 0]) } else { Rgb([255, 160, 0]) };
                imageproc::drawing::draw_hollow_rect_mut(&mut out, imageproc::rect::Rect::at(x as i32, y as i32).of_size(w.max(1), h.max(1)), colour);
            }
            let _ = out.save(d.join(format!("{id}.png")));
        }
        time_zones(&page, dpi, &ip, &mut t.zone_time);
    }
    t.report();
}

#[derive(Default)]
struct Totals {
    colour_pages: usize,
    gray_pages: usize,
    expected: usize,
    present: usize,
    missed: usize,
    false_pos: usize,
    uncertain: usize,
    gray_found: usize,
    seal_time: Vec<Duration>,
    zone_time: Vec<Duration>,
}

impl Totals {
    fn report(&self) {
        println!("colour pages {}: truth seals {}, found Present {} (missed {}), false Present {}, Uncertain {}", self.colour_pages, self.expected, self.present, self.missed, self.false_pos, self.uncertain);
        println!("grey pages {}: candidates found {} (must be 0)", self.gray_pages, self.gray_found);
        let stats = |v: &[Duration]| {
            let mut v = v.to_vec();
            v.sort();
            let mean = v.iter().sum::<Duration>().checked_div(v.len().max(1) as u32).unwrap_or_default();
            (mean, v.last().copied().unwrap_or_default())
        };
        let (m, x) = stats(&self.seal_time);
        println!("find_seals per ~100 dpi page: mean {m:?}, max {x:?}");
        let (m, x) = stats(&self.zone_time);
        println!("find_handwriting per 200 dpi signer zone ({}): mean {m:?}, max {x:?}", self.zone_time.len());
    }
}

fn load_page(dir: &Path, files: &[String], page_no: usize) -> Option<RgbImage> {
    let limits = ImageLimits::default();
    let read = |f: &String| std::fs::read(dir.join(f)).ok();
    let pages = if files.len() > 1 {
        let bytes = read(files.get(page_no.checked_sub(1)?)?)?;
        return decode_image(&bytes, detect(&bytes), &limits).ok()?.into_iter().next().map(|p| p.image);
    } else {
        let bytes = read(files.first()?)?;
        match detect(&bytes) {
            Detected::Pdf => pdf_pages(&bytes, &limits).ok()?,
            d => decode_image(&bytes, d, &limits).ok()?,
        }
    };
    pages.into_iter().nth(page_no.checked_sub(1)?).map(|p| p.image)
}

fn shrink(page: &RgbImage, dpi: f32, to: f32) -> RgbImage {
    let s = (to / dpi.max(1.0)).min(1.0);
    let (w, h) = (((page.width() as f32 * s).round() as u32).max(1), ((page.height() as f32 * s).round() as u32).max(1));
    resize(page, w, h, FilterType::Triangle)
}

/// Times handwriting finding on signer-sized zones (100 × 14 mm) down the grey 200 dpi page.
fn time_zones(page: &RgbImage, dpi: f32, p: &InkParams, times: &mut Vec<Duration>) {
    let gray = formscan::preprocess::to_gray(&shrink(page, dpi, 200.0));
    let mm = 200.0 / 25.4;
    let (zw, zh) = ((100.0 * mm) as u32, (14.0 * mm) as u32);
    let mut y = gray.height() / 2;
    while y + zh < gray.height() {
        let start = Instant::now();
        let _ = find_handwriting(&gray, [(25.0 * mm) as u32, y, zw, zh], &[], 200.0, p);
        times.push(start.elapsed());
        y += zh * 2;
    }
}
