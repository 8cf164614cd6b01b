//! The template as a real word processor renders it: LibreOffice → PDF → pdftotext, and the
//! rendered page read back by the real Tesseract.

use formscan::external;
use formscan::ocr::{OcrEngine, Psm, Tesseract, OCR_LANG};
use std::path::Path;

use crate::common::*;

/// The printed labels of ../shared/form-layout.md, written out here as the oracle (not taken
/// from the spec, so a spec that loses a label fails this test).
const PRINTED: &[&str] = &[
    "2023年度内蒙古自治区“最美职工”", "推荐申报表", "姓名", "工作单位", "所在盟市、产业", "填报日期",
    "内蒙古自治区党委宣传部", "内蒙古自治区总工会", "制",
    "性别", "出生年月", "正面白底", "免冠近照", "(2寸)", "籍贯", "民族", "政治面貌", "学历",
    "何时参加工作", "身份证号码", "联系电话", "职务", "职称", "技术等级", "何时何地受过何种奖励",
    "个人简历", "主要社会关系", "主要事迹(3000字)", "所在单位职代会意见", "经", "届",
    "次职代会通过并公示。出席会议", "人，其中同意", "人，反对", "负责人签名：", "公章", "年月日",
    "所在单位工会意见", "旗县工会意见(公章):", "负责人签字：", "旗县党委宣传部意见(公章):",
    "盟市、自治区产业工会意见(公章):", "盟市委宣传部、自治区产业工会党委(党组)意见(公章):",
    "说明：", "“照片”一栏", "“政治面貌”一栏", "精确到月份", "“获得奖励”一栏", "“简要事迹”一栏",
    "表格填写时请注意表格样式整齐美观", "内蒙古自治区总工会办公室", "2023年4月10日印发",
];

#[test]
fn every_printed_label_is_rendered() {
    let all: String = squeezed_pages(blank_pdf()).concat();
    let missing: Vec<_> = PRINTED.iter().filter(|l| !all.contains(&l.replace(' ', ""))).collect();
    assert!(missing.is_empty(), "not in the rendered PDF: {missing:?}\n{all}");
}

#[test]
fn cover_first_then_table_then_approval_rows_together() {
    let pages = squeezed_pages(blank_pdf());
    assert_eq!(pages.len(), 3, "blank form: cover, table part 1, table part 2 + notes");
    assert!(pages[0].starts_with("2023年度内蒙古自治区“最美职工”推荐申报表"), "{}", pages[0]);
    assert!(pages[0].contains("填报日期") && !pages[0].contains("身份证号码"));
    assert!(pages[1].starts_with("姓名"), "table starts page 2: {}", pages[1]);
    assert!(pages[1].contains("身份证号码") && pages[1].contains("主要事迹"));
    let boxes = ["所在单位职代会意见", "所在单位工会意见", "旗县工会意见", "旗县党委宣传部意见", "盟市、自治区产业工会意见", "盟市委宣传部、自治区产业工会党委(党组)意见"];
    let page_of = |label: &str| pages.iter().position(|p| p.contains(label)).unwrap_or_else(|| panic!("{label} not rendered"));
    let first = page_of(boxes[0]);
    for b in boxes {
        assert_eq!(page_of(b), first, "{b} is not on the page of row 12");
    }
    assert!(pages[first].contains("说明"), "the notes follow rows 12–15");
}

#[test]
fn a_form_filled_in_its_controls_reopens_with_the_values() {
    let values = [
        ("cover_name", "乌日娜"), ("cover_employer", "包头钢铁（集团）有限责任公司"), ("name", "乌日娜"),
        ("gender", "女"), ("birth_month", "1986.03"), ("ethnicity", "蒙古族"), ("political_status", "中共党员"),
        ("id_number", "150203198603151229"), ("phone", "13904721234"), ("votes.term", "七"),
        ("votes.attended", "126"), ("votes.approved", "120"), ("votes.opposed", "2"),
        ("deeds", "扎根一线十八年，主持技术攻关十二项。"),
    ];
    let docx = blank_docx();
    let mut doc = zip_entry(&docx, "word/document.xml");
    for (tag, value) in values {
        doc = fill_control(&doc, tag, value);
    }
    let dir = scratch().join("filled");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("filled.docx");
    std::fs::write(&path, replace_entry(&docx, "word/document.xml", &doc)).unwrap();
    let pdf = external::docx_to_pdf(&path, &dir).expect("LibreOffice opens the filled form");
    let text: String = squeezed_pages(&pdf).concat();
    for (tag, value) in values {
        assert!(text.contains(value), "{tag}={value} not rendered:\n{text}");
    }
    assert!(text.contains("出席会议126人，其中同意120人，反对2人"), "{text}");
}

#[test]
fn prefilled_units_render_their_names() {
    let dir = scratch().join("units");
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("units.csv");
    std::fs::write(&csv, "单位名称,盟市/产业\n鄂尔多斯市东胜区环卫中心,鄂尔多斯市\n").unwrap();
    let out = formscan(&["template", "--units", csv.to_str().unwrap(), "-o", dir.join("forms").to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let docx = dir.join("forms/鄂尔多斯市东胜区环卫中心.docx");
    let pdf = external::docx_to_pdf(&docx, &dir).unwrap();
    let pages = squeezed_pages(&pdf);
    assert!(pages[0].contains("鄂尔多斯市东胜区环卫中心") && pages[0].contains("鄂尔多斯市"), "{}", pages[0]);
    assert!(pages[1].contains("工作单位鄂尔多斯市东胜区环卫中心"), "{}", pages[1]);
}

#[test]
fn tesseract_reads_the_rendered_cover() {
    let dir = scratch().join("ocr");
    std::fs::create_dir_all(&dir).unwrap();
    let pngs = external::pdf_to_png(blank_pdf(), 150, &dir.join("page"), false).unwrap();
    assert_eq!(pngs.len(), 3);
    let mut engine = Tesseract::new(OCR_LANG).expect("chi_sim installed (make deps)");
    let (text, conf) = engine.read_file(&pngs[0], Psm::Block, Some(150)).unwrap();
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(text.contains("推荐申报表") && text.contains("最美职工"), "OCR read: {text}");
    assert!(text.contains("填报日期"), "OCR read: {text}");
    assert!(conf > 0.5, "confidence {conf}");
}

#[test]
fn the_digits_engine_reads_serif_counts_cut_from_a_scan() {
    // Counts cut from a 200 dpi sample scan (their printed words cut away): chi_sim read
    // this 5 as 2 or 9 in the sentence; the digits' engine is the second opinion.
    let mut engine = Tesseract::new(OCR_LANG).expect("chi_sim installed (make deps)");
    for (file, want) in [("count_5.png", "5"), ("count_50.png", "50"), ("count_51.png", "51")] {
        let piece = image::open(Path::new("tests/data/scans").join(file)).unwrap().to_luma8();
        let read = engine.read_digits(&piece, 200, "0123456789").unwrap().expect("eng installed (make deps)");
        assert_eq!(read.text.trim(), want, "{file}");
        assert!(read.confidence >= 0.8, "{file}: confidence {}", read.confidence);
    }
}

#[test]
fn the_second_model_reads_a_name_cut_from_a_scan() {
    // A name cut from a 300 dpi sample scan and shrunk to the 200 dpi formscan reads at, on a
    // margin of paper as the scan route cuts a line out for the second model (HanS).
    let mut engine = Tesseract::new(OCR_LANG).expect("chi_sim installed (make deps)");
    let piece = image::open(Path::new("tests/data/scans/name_hou.png")).unwrap().to_luma8();
    let read = engine.read_second(&piece, 200).unwrap().expect("HanS installed (make deps)");
    let text: String = read.text.chars().filter(|c| !c.is_whitespace()).collect();
    assert_eq!(text, "侯春雷");
    assert!(read.confidence >= 0.5, "confidence {}", read.confidence);
}
