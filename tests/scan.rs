//! The scan route end to end: a filled form rendered by LibreOffice, rasterised by poppler,
//! read back through `formscan process` with the real Tesseract — upright, skewed, upside down.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use formscan::external;
use formscan::template::{self, Prefill};
use serde_json::Value;

use crate::common::*;

const VALUES: &[(&str, &str)] = &[
    ("cover_name", "乌日娜"), ("cover_region", "包头市"), ("fill_date", "2023-05-10"),
    ("name", "乌日娜"), ("gender", "女"), ("birth_month", "1986.03"), ("ethnicity", "蒙古族"),
    ("political_status", "中共党员"), ("education", "大学本科"), ("work_start", "2008.07"),
    ("id_number", "15020319860315122X"), ("phone", "13904721234"), ("position", "炼钢工"),
    ("skill_level", "高级技师"), ("deeds", "扎根炼钢一线十五年。"),
    ("votes.term", "七"), ("votes.session", "三"), ("votes.attended", "126"), ("votes.approved", "120"), ("votes.opposed", "2"),
];

/// Page PNGs of the filled form at 200 dpi, rendered once.
fn pages() -> &'static Vec<PathBuf> {
    static PAGES: OnceLock<Vec<PathBuf>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let dir = scratch().join("scan");
        std::fs::create_dir_all(&dir).unwrap();
        let values: Prefill = VALUES.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let docx = dir.join("form.docx");
        std::fs::write(&docx, template::build_docx(&spec(), &values).unwrap()).unwrap();
        let pdf = external::docx_to_pdf(&docx, &dir).unwrap();
        external::pdf_to_png(&pdf, 200, &dir.join("page"), false).unwrap()
    })
}

fn read_scan(files: &[PathBuf]) -> Value {
    let out = tempfile::tempdir().unwrap();
    let mut args: Vec<String> = vec!["process".into()];
    args.extend(files.iter().map(|f| f.to_string_lossy().into_owned()));
    args.extend(["-o".into(), out.path().to_string_lossy().into_owned()]);
    let o = formscan(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = std::fs::read_to_string(out.path().join("records.jsonl")).unwrap();
    assert_eq!(text.lines().count(), 1, "page images of one scan are one submission");
    serde_json::from_str(text.lines().next().unwrap()).unwrap()
}

fn check(record: &Value) {
    assert_eq!(record["source"]["kind"], "image");
    assert_eq!(record["source"]["pages"], 3);
    for (id, want) in [
        ("name", "乌日娜"), ("gender", "女"), ("birth_month", "1986-03"), ("ethnicity", "蒙古族"),
        ("work_start", "2008-07"), ("id_number", "15020319860315122X"), ("phone", "13904721234"),
        ("cover_name", "乌日娜"), ("fill_date", "2023-05-10"),
    ] {
        assert_eq!(record["fields"][id]["value"], want, "{id}: {}", record["fields"][id]);
        assert!(record["fields"][id]["page"].as_u64().is_some() && record["fields"][id]["bbox"].is_array(), "{id} keeps page and bbox");
    }
    assert_eq!(record["votes"], serde_json::json!({"term": 7, "session": 3, "attended": 126, "approved": 120, "opposed": 2}));
    assert_eq!(record["approvals"]["unit_congress"]["seal"], "unverifiable", "a page without any colour cannot prove a red seal");
    let ocr = &record["audit"]["ocr"];
    assert!(ocr["used"] == true && ocr["tesseract"].is_string() && ocr["traineddata"].as_str().is_some_and(|p| p.ends_with("chi_sim.traineddata")), "{ocr}");
    assert_eq!(ocr["traineddata_sha256"].as_str().map(str::len), Some(64));
    assert!(record["audit"]["rules"]["low_confidence"].is_string() || record["audit"]["rules"]["low_confidence"].is_array());
}

fn copy_as(src: &Path, dst: &Path, edit: impl Fn(image::RgbImage) -> image::RgbImage) {
    let img = image::open(src).unwrap().to_rgb8();
    edit(img).save(dst).unwrap();
}

#[test]
fn a_rendered_form_is_read_from_its_page_images() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<PathBuf> = pages().iter().enumerate().map(|(i, p)| {
        let dst = dir.path().join(format!("form-{}.png", i + 1));
        std::fs::copy(p, &dst).unwrap();
        dst
    }).collect();
    check(&read_scan(&files));
}

#[test]
fn skewed_upside_down_and_shuffled_pages_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let p = pages();
    // Page order shuffled, the table page upside down, the approval page skewed by 2°.
    let files = vec![dir.path().join("x-1.jpg"), dir.path().join("x-2.jpg"), dir.path().join("x-3.jpg")];
    copy_as(&p[2], &files[0], |img| {
        let g = image::DynamicImage::ImageRgb8(img).to_luma8();
        let r = imageproc::geometric_transformations::rotate_about_center(&g, 2f32.to_radians(), imageproc::geometric_transformations::Interpolation::Bilinear, imageproc::geometric_transformations::Border::Constant(image::Luma([255])));
        image::DynamicImage::ImageLuma8(r).to_rgb8()
    });
    copy_as(&p[1], &files[1], |img| image::imageops::rotate180(&img));
    copy_as(&p[0], &files[2], |img| img);
    check(&read_scan(&files));
}

#[test]
fn an_image_that_is_not_the_form_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("photo.png");
    let mut img = image::RgbImage::from_pixel(1654, 2339, image::Rgb([250, 250, 250]));
    imageproc::drawing::draw_filled_rect_mut(&mut img, imageproc::rect::Rect::at(400, 600).of_size(800, 500), image::Rgb([40, 90, 160]));
    img.save(&f).unwrap();
    let out = dir.path().join("out");
    let o = formscan(&["process", f.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    let r: Value = serde_json::from_str(std::fs::read_to_string(out.join("records.jsonl")).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(r["status"], "unreadable");
    assert!(r["issues"][0]["message"].as_str().unwrap().contains("不是“最美职工”推荐申报表"), "{}", r["issues"][0]);
}
