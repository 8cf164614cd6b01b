//! `formscan process` on the committed .docx fixtures (made by formscan, LibreOffice,
//! python-docx, msoffcrypto and by hand: see tests/data/make_fixtures.sh).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/docx")
}

struct Run {
    code: i32,
    out: PathBuf,
    records: BTreeMap<String, Value>,
    _dir: tempfile::TempDir,
}

fn process(inputs: &[&Path], extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (o, records) = process_into(inputs, &out, extra);
    Run { code: code(&o), out, records, _dir: dir }
}

fn codes(r: &Value) -> Vec<String> {
    let mut c: Vec<String> = r["issues"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap().to_string()).collect();
    c.sort();
    c
}

fn shared_run() -> &'static Run {
    static RUN: std::sync::OnceLock<Run> = std::sync::OnceLock::new();
    RUN.get_or_init(|| process(&[&fixtures()], &["--jobs", "2"]))
}

#[test]
fn every_input_gets_a_record_and_bad_ones_exit_2() {
    let run = shared_run();
    assert_eq!(run.code, 2, "some fixtures are unreadable");
    let files = std::fs::read_dir(fixtures()).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "docx" || x == "txt")).count();
    assert_eq!(run.records.len(), files);
    let lines = std::fs::read_to_string(run.out.join("records.jsonl")).unwrap();
    let order: Vec<String> = lines.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["source"]["path"].as_str().unwrap().to_string()).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "records in input (name) order");
}

#[test]
fn bad_inputs_are_unreadable_with_a_precise_reason() {
    let run = shared_run();
    for (file, zh, en) in [
        ("truncated.docx", "损坏", "corrupt"),
        ("encrypted.docx", "密码", "password"),
        ("legacy-renamed.docx", ".doc", ".doc"),
        ("zipbomb.docx", "压缩炸弹", "implausible size"),
        ("notice.docx", "不是“最美职工”推荐申报表", "not the 最美职工 application form"),
        ("readme.txt", "无法识别", "unrecognised"),
    ] {
        let r = &run.records[file];
        assert_eq!(r["status"], "unreadable", "{file}");
        let issue = &r["issues"][0];
        assert_eq!(issue["code"], "unreadable_input");
        assert!(issue["message"].as_str().unwrap().contains(zh), "{file}: {issue}");
        assert!(issue["detail"].as_str().unwrap().contains(en), "{file}: {issue}");
        assert_eq!(r["fields"].as_object().unwrap().len(), 22, "{file}: every field present");
    }
}

#[test]
fn the_same_form_from_three_writers_gives_the_same_record() {
    let run = shared_run();
    let a = &run.records["good-formscan.docx"];
    assert_eq!(a["status"], "complete", "{}", a["issues"]);
    assert_eq!(a["votes"], serde_json::json!({"term": 7, "session": 3, "attended": 126, "approved": 120, "opposed": 2}));
    assert_eq!(a["fields"]["ethnicity"]["value"], "蒙古族");
    assert_eq!(a["fields"]["fill_date"]["value"], "2023-05-10");
    let values = |r: &Value| -> BTreeMap<String, Value> {
        r["fields"].as_object().unwrap().iter().map(|(k, v)| (k.clone(), v["value"].clone())).collect()
    };
    for other in ["good-libreoffice.docx", "good-python-docx.docx"] {
        let b = &run.records[other];
        let (va, vb) = (values(a), values(b));
        for (k, v) in &va {
            assert_eq!(v, &vb[k], "{other}: {k}");
        }
        assert_eq!(a["votes"], b["votes"], "{other}");
        assert_eq!(codes(a), codes(b), "{other}");
        assert_eq!(b["status"], "complete", "{other}: {}", b["issues"]);
    }
}

#[test]
fn every_planted_defect_is_flagged() {
    let run = shared_run();
    let r = &run.records["defective-formscan.docx"];
    assert_eq!(r["status"], "incomplete");
    let c = codes(r);
    for code in ["missing_field", "invalid_id_number", "votes_not_passed", "ineligible_position", "already_awarded", "insufficient_service"] {
        assert!(c.iter().any(|x| x == code), "{code} not in {c:?}");
    }
    let missing: Vec<&str> = r["issues"].as_array().unwrap().iter().filter(|i| i["code"] == "missing_field").map(|i| i["field"].as_str().unwrap()).collect();
    assert_eq!(missing, ["phone"]);
}

#[test]
fn outputs_are_written_for_spreadsheets() {
    let run = shared_run();
    let csv = std::fs::read(run.out.join("records.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}file,status,cover_name".as_bytes()));
    let text = String::from_utf8(csv).unwrap();
    let mut lines = text.lines();
    lines.next();
    assert!(lines.next().unwrap().starts_with("文件,状态,封面姓名"));
    let rows = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes()).records().count();
    assert_eq!(rows, 2 + run.records.len(), "two header rows and one row per input");
    let returns = std::fs::read_to_string(run.out.join("returns.csv")).unwrap();
    assert!(returns.contains("defective-formscan.docx") && returns.contains("联系电话未填写"), "{returns}");
    assert!(returns.contains("encrypted.docx") && !returns.contains("good-formscan.docx"));
    let xlsx = std::fs::read(run.out.join("records.xlsx")).unwrap();
    let workbook = zip_entry(&xlsx, "xl/workbook.xml");
    for sheet in ["记录", "问题", "汇总"] {
        assert!(workbook.contains(sheet), "{sheet}");
    }
    assert!(zip_entry(&xlsx, "xl/comments1.xml").contains("联系电话未填写"));
}

#[test]
fn golden_records() {
    let run = shared_run();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden");
    for (name, record) in &run.records {
        // Paths are compared relative to the fixtures folder, wherever the clone lives.
        let prefix = format!("{}/", fixtures().display());
        let mut r: Value = serde_json::from_str(&serde_json::to_string(record).unwrap().replace(&prefix, "")).unwrap();
        r["source"]["path"] = Value::String(name.clone());
        // The version and the config's digest change with every release and every new config
        // key; the audit's stability is tested in review.rs.
        if let Some(audit) = r["audit"].as_object_mut() {
            audit.remove("formscan");
            audit.remove("config_sha256");
        }
        let path = dir.join(format!("{name}.json"));
        if std::env::var_os("FORMSCAN_BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, serde_json::to_string_pretty(&r).unwrap() + "\n").unwrap();
        }
        let golden: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} (FORMSCAN_BLESS=1 makes it)", path.display()))).unwrap();
        assert_eq!(r, golden, "{name} differs from its golden record");
    }
}

#[test]
fn inputs_are_not_modified() {
    let before: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(fixtures()).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    let _ = shared_run();
    for (p, bytes) in before {
        assert_eq!(std::fs::read(&p).unwrap(), bytes, "{}", p.display());
    }
}

#[test]
fn run_failures_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let o = formscan(&["process", fixtures().join("good-formscan.docx").to_str().unwrap(), "-o", file.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = formscan(&["process", "/no/such/input", "-o", dir.path().join("o").to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("no such file"), "{}", stderr(&o));
    assert!(!dir.path().join("o").exists(), "nothing written before the options are checked");
}

#[test]
fn a_good_batch_exits_0_and_formulas_are_neutralised() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("inj.docx");
    let o = formscan(&["template", "-o", f.to_str().unwrap(), "--set", "name==HYPERLINK(\"http://x\")", "--set", "cover_name=@SUM(1)"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let run = process(&[&f], &[]);
    assert_eq!(run.code, 0);
    let csv = std::fs::read_to_string(run.out.join("records.csv")).unwrap();
    assert!(csv.contains("'@SUM(1)") && csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
}

#[test]
fn quotas_config_and_one_reason_per_field() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    for (i, month) in ["1985年13月", "1985.06"].iter().enumerate() {
        let f = forms.join(format!("{i}.docx"));
        let o = formscan(&["template", "-o", f.to_str().unwrap(), "--set", "cover_region=包头市", "--set", &format!("birth_month={month}"), "--set", "work_start=2021.01"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let quotas = dir.path().join("q.csv");
    std::fs::write(&quotas, "盟市,名额\n包头市,1\n").unwrap();
    let strict = dir.path().join("rules.toml");
    std::fs::write(&strict, "eligibility_severity = \"return\"\nmin_service_years = 1\n").unwrap();
    let run = process(&[&forms], &["--quotas", quotas.to_str().unwrap(), "--config", strict.to_str().unwrap()]);
    assert_eq!(run.code, 0);
    let bad = &run.records["0.docx"];
    let on = |field: &str| -> Vec<String> {
        bad["issues"].as_array().unwrap().iter().filter(|i| i["field"] == field).map(|i| i["code"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(on("birth_month"), ["invalid_date"], "an unreadable month is not also missing");
    assert!(on("work_start").is_empty(), "one year of service is enough under this config");
    for r in run.records.values() {
        assert!(codes(r).contains(&"quota_exceeded".to_string()), "{}", r["issues"]);
    }
    let o = formscan(&["process", forms.to_str().unwrap(), "-o", dir.path().join("o2").to_str().unwrap(), "--config", quotas.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "a CSV is not a rules config");
}
