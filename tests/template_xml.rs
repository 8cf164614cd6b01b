//! The generated .docx as XML: content controls, protection, and the committed template.

use std::collections::BTreeMap;

use formscan::spec::Kind;
use formscan::template::{self, Prefill};

use crate::common::*;

/// Every field id of ../shared/record-contract.md, plus the five vote blanks.
const CONTRACT_IDS: &[&str] = &[
    "cover_name", "cover_employer", "cover_region", "fill_date", "name", "gender", "birth_month",
    "native_place", "ethnicity", "political_status", "education", "work_start", "id_number",
    "employer", "phone", "position", "title", "skill_level", "awards", "resume",
    "social_relations", "deeds", "votes.term", "votes.session", "votes.attended",
    "votes.approved", "votes.opposed",
];

fn tags(document: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for piece in document.split(r#"<w:tag w:val=""#).skip(1) {
        let tag = &piece[..piece.find('"').unwrap()];
        *out.entry(tag.to_string()).or_default() += 1;
    }
    out
}

#[test]
fn one_tagged_control_per_contract_field() {
    let doc = zip_entry(&blank_docx(), "word/document.xml");
    let tags = tags(&doc);
    for id in CONTRACT_IDS {
        assert_eq!(tags.get(*id), Some(&1), "control for {id}");
    }
    assert_eq!(tags.len(), CONTRACT_IDS.len(), "unexpected controls: {tags:?}");
    assert_eq!(doc.matches("<w:sdt>").count(), CONTRACT_IDS.len());
    // Each control is labelled for Word's UI, locked against deletion, and shows a placeholder.
    assert_eq!(doc.matches(r#"<w:lock w:val="sdtLocked"/>"#).count(), CONTRACT_IDS.len());
    assert_eq!(doc.matches("<w:showingPlcHdr/>").count(), CONTRACT_IDS.len());
    assert!(doc.contains(r#"<w:alias w:val="身份证号码"/><w:tag w:val="id_number"/>"#));
}

#[test]
fn labels_are_protected_and_controls_typed() {
    let docx = blank_docx();
    let settings = zip_entry(&docx, "word/settings.xml");
    assert!(settings.contains(r#"<w:documentProtection w:edit="forms" w:enforcement="1"/>"#), "{settings}");
    let doc = zip_entry(&docx, "word/document.xml");
    // Labels are plain text outside every control.
    for sdt in doc.split("<w:sdt>").skip(1) {
        let body = &sdt[..sdt.find("</w:sdt>").unwrap()];
        for label in ["身份证号码", "何时参加工作", "负责人签名"] {
            assert!(!body.contains(&format!(">{label}<")), "label {label} inside a control");
        }
    }
    assert!(doc.contains(r#"<w:tag w:val="gender"/><w:lock w:val="sdtLocked"/><w:showingPlcHdr/><w:dropDownList><w:listItem w:displayText="男" w:value="男"/>"#));
    assert!(doc.contains(r#"<w:tag w:val="political_status"/><w:lock w:val="sdtLocked"/><w:showingPlcHdr/><w:comboBox>"#));
    assert!(doc.contains(r#"<w:tag w:val="fill_date"/><w:lock w:val="sdtLocked"/><w:showingPlcHdr/><w:date>"#));
    assert_eq!(doc.matches(r#"<w:listItem w:displayText="鄂伦春族""#).count(), 1);
}

#[test]
fn the_vote_sentence_holds_its_five_blanks_in_order() {
    let doc = zip_entry(&blank_docx(), "word/document.xml");
    let at = |s: &str| doc.find(s).unwrap_or_else(|| panic!("{s}"));
    let order = [
        at(">经<"), at(r#""votes.term""#), at(">届<"), at(r#""votes.session""#), at("次职代会通过并公示。出席会议"),
        at(r#""votes.attended""#), at("人，其中同意"), at(r#""votes.approved""#), at("人，反对"), at(r#""votes.opposed""#),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
}

#[test]
fn prefilled_values_replace_placeholders() {
    let spec = spec();
    let mut v = Prefill::new();
    v.insert("name".into(), "阿拉坦·巴根".into());
    v.insert("fill_date".into(), "2023-05-09".into());
    v.insert("votes.attended".into(), "120".into());
    v.insert("resume".into(), "2005.07—2010.06 包钢\n2010.07至今 包钢".into());
    let doc = zip_entry(&template::build_docx(&spec, &v).unwrap(), "word/document.xml");
    assert!(doc.contains(r#"<w:tag w:val="name"/><w:lock w:val="sdtLocked"/><w:text/>"#));
    assert!(doc.contains(">阿拉坦·巴根<"));
    assert!(doc.contains(r#"w:fullDate="2023-05-09T00:00:00Z""#) && doc.contains(">2023年5月9日<"));
    assert!(doc.contains(">120<"));
    // Multi-line text becomes one paragraph per line inside the control.
    assert!(doc.contains(">2005.07—2010.06 包钢<") && doc.contains(">2010.07至今 包钢<"));
    assert_eq!(doc.matches("<w:showingPlcHdr/>").count(), CONTRACT_IDS.len() - 4);
}

#[test]
fn bad_prefill_is_refused_before_writing() {
    let spec = spec();
    for (id, value, needle) in [
        ("nosuch", "x", "no field"),
        ("votes.attended", "许多", "whole number"),
        ("fill_date", "2023/5/9", "YYYY-MM-DD"),
        ("unit_union", "x", "by hand"),
    ] {
        let mut v = Prefill::new();
        v.insert(id.into(), value.into());
        let e = template::build_docx(&spec, &v).unwrap_err().to_string();
        assert!(e.contains(needle), "{id}: {e}");
    }
}

#[test]
fn every_field_kind_of_the_spec_has_its_control_type() {
    let spec = spec();
    let doc = zip_entry(&blank_docx(), "word/document.xml");
    for f in spec.value_fields() {
        let at = doc.find(&format!(r#"<w:tag w:val="{}"/>"#, f.id)).unwrap();
        let props = &doc[at..at + doc[at..].find("</w:sdtPr>").unwrap()];
        let expected = match f.kind {
            Kind::Date => "<w:date",
            Kind::Enum if f.open => "<w:comboBox>",
            Kind::Enum => "<w:dropDownList>",
            Kind::Multiline => "",
            _ => "<w:text/>",
        };
        assert!(props.contains(expected), "{}: {props}", f.id);
    }
}

/// The committed template is what the spec generates today. Regenerate it with
/// `FORMSCAN_BLESS=1 cargo test` (or `make template`) after changing the spec or generator.
#[test]
fn committed_template_matches_the_spec() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/zuimei-2023.docx");
    let fresh = blank_docx();
    if std::env::var_os("FORMSCAN_BLESS").is_some() {
        formscan::fsutil::write_atomic(&path, &fresh).unwrap();
    }
    let committed = std::fs::read(&path).expect("templates/zuimei-2023.docx is committed");
    assert!(
        zip_entry(&committed, "word/document.xml") == zip_entry(&fresh, "word/document.xml"),
        "templates/zuimei-2023.docx is out of date: run `make template`"
    );
}
