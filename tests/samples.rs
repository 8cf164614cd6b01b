//! `formscan samples`: the generated scans decode, the truth is complete and reproducible, and
//! the seals are where the truth says (red on colour scans, absent from greyscale copies).

use std::io::Cursor;
use std::path::Path;

use image::RgbImage;
use serde_json::Value;

use crate::common::*;

/// Seed 2 makes a colour PDF with planted defects and a greyscale per-page JPEG set; seed 5 a
/// colour TIFF and a greyscale PDF.
const SEED: &str = "2";
const OTHER_SEED: &str = "5";

fn generate(dir: &Path, seed: &str) -> String {
    let out = formscan(&["samples", "-o", dir.to_str().unwrap(), "--count", "2", "--seed", seed, "--dpi", "200", "--jobs", "2"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("2 forms"), "{}", stdout(&out));
    std::fs::read_to_string(dir.join("truth.jsonl")).expect("truth.jsonl")
}

fn lines(jsonl: &str) -> Vec<Value> {
    jsonl.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect()
}

/// The pages of a form as colour images (greyscale pages expanded), in page order.
fn pages(dir: &Path, truth: &Value) -> Vec<RgbImage> {
    let files: Vec<&str> = truth["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    let gray = truth["color"] == "gray";
    let check = |img: image::DynamicImage| {
        assert_eq!(matches!(img.color(), image::ColorType::L8), gray, "{files:?}: colour type {:?}", img.color());
        img.to_rgb8()
    };
    match truth["kind"].as_str().unwrap() {
        "pdf" => {
            let doc = lopdf::Document::load(dir.join(files[0])).expect("the PDF loads");
            doc.get_pages()
                .into_values()
                .map(|page| {
                    let dict = doc.get_dictionary(page).unwrap();
                    let resources = dict.get(b"Resources").unwrap().as_dict().unwrap();
                    let xobjects = resources.get(b"XObject").unwrap().as_dict().unwrap();
                    let (_, image_ref) = xobjects.iter().next().unwrap();
                    let stream = doc.get_object(image_ref.as_reference().unwrap()).unwrap().as_stream().unwrap();
                    assert_eq!(stream.dict.get(b"Filter").unwrap().as_name().unwrap(), b"DCTDecode");
                    check(image::load_from_memory(&stream.content).expect("a JPEG page"))
                })
                .collect()
        }
        "tiff" => {
            let mut dec = tiff::decoder::Decoder::new(Cursor::new(std::fs::read(dir.join(files[0])).unwrap())).unwrap();
            let mut out = Vec::new();
            loop {
                let (w, h) = dec.dimensions().unwrap();
                let img = match (dec.colortype().unwrap(), dec.read_image().unwrap()) {
                    (tiff::ColorType::RGB(8), tiff::decoder::DecodingResult::U8(v)) => image::DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, v).unwrap()),
                    (tiff::ColorType::Gray(8), tiff::decoder::DecodingResult::U8(v)) => image::DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, v).unwrap()),
                    (c, _) => panic!("unexpected TIFF colour type {c:?}"),
                };
                out.push(check(img));
                if !dec.more_images() {
                    break;
                }
                dec.next_image().unwrap();
            }
            out
        }
        "jpeg" => files.iter().map(|f| check(image::open(dir.join(f)).expect("a JPEG page"))).collect(),
        other => panic!("unknown kind {other}"),
    }
}

/// The largest 8-connected cluster of seal-red pixels.
fn largest_red_cluster(img: &RgbImage) -> usize {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let red: Vec<bool> = img.pixels().map(|p| p.0[0] > 150 && p.0[1] < 110 && p.0[2] < 120).collect();
    let mut seen = vec![false; w * h];
    let mut best = 0;
    for start in 0..w * h {
        if !red[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut size = 0;
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = ((i % w) as i64, (i / w) as i64);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx >= 0 && ny >= 0 && (nx as usize) < w && (ny as usize) < h {
                        let j = ny as usize * w + nx as usize;
                        if red[j] && !seen[j] {
                            seen[j] = true;
                            stack.push(j);
                        }
                    }
                }
            }
        }
        best = best.max(size);
    }
    best
}

#[test]
fn samples_decode_match_their_truth_and_are_reproducible() {
    let spec = spec();
    let root = tempfile::tempdir().unwrap();
    let (a, b, c) = (root.path().join("a"), root.path().join("b"), root.path().join("c"));
    let first = generate(&a, SEED);
    let truths = lines(&first);
    assert_eq!(truths.len(), 2, "{first}");

    for t in &truths {
        let form = t["form"].as_str().unwrap();
        // Every field of the spec has its truth: values, raw spellings, votes, approvals.
        for f in spec.value_fields() {
            assert!(t["raw"].get(&f.id).is_some(), "{form}: raw lacks {}", f.id);
            match f.vote_key() {
                Some(key) => assert!(t["votes"].get(key).is_some(), "{form}: votes lack {key}"),
                None => assert!(t["fields"].get(&f.id).is_some(), "{form}: fields lack {}", f.id),
            }
        }
        for f in spec.approvals() {
            let box_truth = &t["approvals"][&f.id];
            assert!(box_truth["signature"].is_string() && box_truth["seal"].is_string(), "{form}: {}", f.id);
        }
        assert!(t["rotation_deg"].as_f64().unwrap().abs() <= 3.0);
        assert!(a.join(t["docx"].as_str().unwrap()).is_file(), "{form}: docx kept");

        let pages = pages(&a, t);
        assert_eq!(pages.len() as u64, t["pages"].as_u64().unwrap(), "{form}");
        let dpi = t["dpi"].as_u64().unwrap() as u32;
        for p in &pages {
            // A4 at the form's dpi.
            assert!((p.width() as i64 - (210.0 * dpi as f64 / 25.4) as i64).abs() <= 2, "{form}: {}", p.width());
        }
        let approvals_page = &pages[t["approvals_page"].as_u64().unwrap() as usize - 1];
        let cluster = largest_red_cluster(approvals_page);
        let threshold = (15.0 * dpi as f64 / 25.4).powi(2) / 20.0;
        let seals_present = t["approvals"].as_object().unwrap().values().any(|b| b["seal"] == "present");
        if t["color"] == "gray" {
            assert!(t["approvals"].as_object().unwrap().values().all(|b| b["seal"] == "unverifiable"), "{form}");
            assert_eq!(pages.iter().map(largest_red_cluster).max(), Some(0), "{form}: red on a greyscale copy");
        } else if seals_present {
            assert!(cluster as f64 >= threshold, "{form}: largest red cluster {cluster} px < {threshold}");
        }
    }
    let kinds: Vec<&str> = truths.iter().map(|t| t["kind"].as_str().unwrap()).collect();
    let colors: Vec<&str> = truths.iter().map(|t| t["color"].as_str().unwrap()).collect();
    assert_eq!((kinds.as_slice(), colors.as_slice()), (["pdf", "jpeg"].as_slice(), ["color", "gray"].as_slice()), "the seed no longer covers both cases");

    // The same seed gives the same set; another seed another.
    assert_eq!(generate(&b, SEED), first, "same seed, different truth");
    for t in &truths {
        let mut files: Vec<String> = t["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect();
        files.push(t["docx"].as_str().unwrap().to_string());
        for f in files {
            assert!(std::fs::read(a.join(&f)).unwrap() == std::fs::read(b.join(&f)).unwrap(), "same seed, different {f}");
        }
    }
    let other = generate(&c, OTHER_SEED);
    assert_ne!(other.lines().next(), first.lines().next());
    for t in lines(&other) {
        assert_eq!(pages(&c, &t).len() as u64, t["pages"].as_u64().unwrap());
    }
}

#[test]
fn samples_refuse_a_bad_dpi_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = formscan(&["samples", "-o", dir.path().to_str().unwrap(), "--count", "1", "--dpi", "20"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("--dpi"), "{}", stderr(&out));
}
