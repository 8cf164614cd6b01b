//! Review and return: return notices opened by LibreOffice, reviewer corrections, the audit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/docx").join(name)
}

/// `formscan process` into `out`: the exit code, stderr and the records by file name.
fn process(inputs: &[&Path], out: &Path, extra: &[&str]) -> (i32, String, BTreeMap<String, Value>) {
    let (o, records) = process_into(inputs, out, extra);
    (code(&o), stderr(&o), records)
}

fn messages(r: &Value, severity: &str) -> Vec<String> {
    r["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == severity).map(|i| i["message"].as_str().unwrap().to_string()).collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A form from the template with the fixtures' candidate and some values changed.
fn form(path: &Path, sets: &[&str]) {
    let mut args = vec!["template", "-o", path.to_str().unwrap()];
    for s in sets {
        args.extend(["--set", s]);
    }
    let o = formscan(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn each_unit_gets_a_notice_with_exactly_its_return_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    let unit_b = "呼和浩特<供电>&公司";
    // Two more forms: one of the fixture's unit, one of another unit with markup in its name.
    form(&forms.join("same-unit.docx"), &["employer=包头钢铁（集团）有限责任公司", "name=张三", "birth_month=1985年13月", "gender=男"]);
    form(&forms.join("other-unit.docx"), &[&format!("employer={unit_b}"), "name=李四", "position=总经理"]);
    std::fs::copy(fixture("defective-formscan.docx"), forms.join("defective-formscan.docx")).unwrap();
    std::fs::copy(fixture("good-formscan.docx"), forms.join("good-formscan.docx")).unwrap();
    let out = dir.path().join("out");
    let (code, err, records) = process(&[&forms], &out, &[]);
    assert_eq!(code, 0, "{err}");
    let mut notices: Vec<PathBuf> = std::fs::read_dir(out.join("returns")).unwrap().map(|e| e.unwrap().path()).collect();
    notices.sort();
    let names: Vec<String> = notices.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["包头钢铁（集团）有限责任公司.docx", "呼和浩特_供电_&公司.docx"]);
    let units = [
        (&notices[0], vec!["defective-formscan.docx", "same-unit.docx"]),
        (&notices[1], vec!["other-unit.docx"]),
    ];
    let pdfs = dir.path().join("pdf");
    for (notice, files) in units {
        let pdf = formscan::external::docx_to_pdf(notice, &pdfs).unwrap();
        let text = squeeze(&formscan::external::pdf_pages_text(&pdf, formscan::external::TextOrder::Reading).unwrap().join(""));
        assert!(text.contains("退回通知") && text.contains("2023年内蒙古自治区“最美职工”推荐申报"), "{text}");
        assert!(text.contains("2023年5月26日") && text.contains("内蒙古自治区总工会宣传部"), "deadline and sender: {text}");
        let ours = |name: &str| files.contains(&name);
        let sent: Vec<String> = records.iter().filter(|(n, _)| ours(n)).flat_map(|(_, r)| messages(r, "return")).collect();
        for m in &sent {
            assert!(text.contains(&squeeze(m)), "{}: missing {m}", notice.display());
        }
        for (name, r) in &records {
            // pdftotext joins a name wrapped at its hyphen without the hyphen.
            let unhyphen = |s: &str| s.replace('-', "");
            assert_eq!(unhyphen(&text).contains(&unhyphen(name)), ours(name), "{}: {name}", notice.display());
            let others = if ours(name) { Vec::new() } else { messages(r, "return") };
            for m in others.into_iter().chain(messages(r, "review")).chain(messages(r, "info")).filter(|m| !sent.contains(m)) {
                assert!(!text.contains(&squeeze(&m)), "{}: not this unit's return reason: {m}", notice.display());
            }
        }
    }
    assert_eq!(records.values().filter(|r| r["status"] == "incomplete").count(), 3);
}

fn corrections_file(dir: &Path, rows: &[&str]) -> PathBuf {
    let path = dir.join("corrections.csv");
    std::fs::write(&path, format!("\u{feff}file,target,value,note\n{}\n", rows.join("\n"))).unwrap();
    path
}

#[test]
fn corrections_settle_issues_keep_the_machine_and_rerun_identically() {
    let dir = tempfile::tempdir().unwrap();
    let valid = format!("15020319860315122{}", formscan::fields::rules::id_check_char("15020319860315122").unwrap());
    let id_row = format!("defective-formscan.docx,id_number,{valid},身份证复印件核对");
    let c = corrections_file(dir.path(), &["defective-formscan.docx,phone,139 0472 1234,电话核实", &id_row, "defective-formscan.docx,votes.approved,120,", "defective-formscan.docx,votes.opposed,2,", "defective-formscan.docx,approvals.unit_union.seal,有,原件有章"]);
    let inputs = [fixture("defective-formscan.docx"), fixture("good-formscan.docx")];
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let (outs, mut runs) = (vec![dir.path().join("a"), dir.path().join("b")], Vec::new());
    for out in &outs {
        let (code, err, records) = process(&inputs, out, &["--corrections", c.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
        runs.push(records);
    }
    let r = &runs[0]["defective-formscan.docx"];
    assert_eq!(r["status"], "complete", "{}", r["issues"]);
    let phone = &r["fields"]["phone"];
    assert_eq!((phone["value"].as_str(), phone["source"].as_str()), (Some("13904721234"), Some("reviewer")));
    assert!(phone["machine"]["value"].is_null() && phone["machine"]["confidence"].is_number(), "{phone}");
    let id = &r["fields"]["id_number"];
    assert_eq!(id["value"].as_str(), Some(valid.as_str()));
    assert!(id["machine"]["value"].as_str().is_some_and(|m| m != valid && m.len() == 18), "{id}");
    let codes: Vec<&str> = r["issues"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    for gone in ["missing_field", "invalid_id_number", "votes_not_passed"] {
        assert!(!codes.contains(&gone), "{gone} settled: {codes:?}");
    }
    // The batch rules ran on the corrected number: it is the good form's candidate.
    assert!(codes.contains(&"corrected") && codes.contains(&"duplicate_candidate"), "{codes:?}");
    let corrected: Vec<(&str, Option<&str>)> = r["corrections"].as_array().unwrap().iter().map(|c| (c["target"].as_str().unwrap(), c["machine"].as_str())).collect();
    assert_eq!(corrected[2], ("votes.approved", Some("60")));
    assert_eq!(corrected[4], ("approvals.unit_union.seal", Some("absent")));
    assert_eq!(r["approvals"]["unit_union"]["seal"], "present");
    assert_eq!(r["corrections"][0]["note"], "电话核实");
    // Uncorrected records keep the contract's shape exactly.
    let good = &runs[0]["good-formscan.docx"];
    assert!(good.get("corrections").is_none() && good["fields"]["phone"].get("source").is_none() && good["fields"]["phone"].get("machine").is_none());

    let audit = &r["audit"];
    assert_eq!(audit["input_sha256"], r["source"]["sha256"]);
    assert_eq!(audit["corrections_sha256"].as_str().map(str::len), Some(64));
    assert_eq!(audit["config_sha256"].as_str().map(str::len), Some(64));
    assert_eq!(audit["ocr"], serde_json::json!({"used": false}), "a Word file is not OCR'd and the audit says so");
    assert!(audit["formscan"].as_str().unwrap().starts_with(env!("CARGO_PKG_VERSION")));
    assert_eq!(audit["rules"]["missing_fields"], "passed");
    assert_eq!(audit["rules"]["quota_exceeded"], "not_run");
    assert_eq!(audit["rules"]["duplicate_candidates"], serde_json::json!(["duplicate_candidate:id_number"]));
    assert!(!out_has_notices(&outs[0]), "nothing left to return");

    assert_eq!(runs[0], runs[1]);
    for f in ["records.jsonl", "records.csv", "records.xlsx", "returns.csv"] {
        assert!(std::fs::read(outs[0].join(f)).unwrap() == std::fs::read(outs[1].join(f)).unwrap(), "{f} differs between runs");
    }
}

fn out_has_notices(out: &Path) -> bool {
    std::fs::read_dir(out.join("returns")).is_ok_and(|mut d| d.next().is_some())
}

#[test]
fn a_bad_corrections_file_fails_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("defective-formscan.docx");
    for (row, words) in [
        ("defective-formscan.docx,phnoe,13904721234,", "phnoe"),
        ("defective-formscan.docx,approvals.unit_union.seal,maybe,", "maybe"),
        ("elsewhere.docx,phone,13904721234,", "not among the inputs"),
    ] {
        let c = corrections_file(dir.path(), &[row]);
        let out = dir.path().join("out");
        let (code, err, _) = process(&[&input], &out, &["--corrections", c.to_str().unwrap()]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("corrections.csv:2") && err.contains(words), "{err}");
        assert!(!out.exists(), "nothing written before the corrections are checked");
    }
}
