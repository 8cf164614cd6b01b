//! The command line: subcommands, options, messages and exit codes.

use crate::common::*;

#[test]
fn help_lists_subcommands_and_exit_codes() {
    let out = formscan(&["--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for word in ["template", "doctor", "process", "samples", "eval", "Exit codes", "unreadable"] {
        assert!(text.contains(word), "{word} missing from --help:\n{text}");
    }
}

#[test]
fn bad_options_exit_1_not_clap_s_2() {
    let out = formscan(&["template", "--no-such-option"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let out = formscan(&["no-such-command"]);
    assert_eq!(code(&out), 1);
}

#[test]
fn doctor_finds_tesseract_and_chi_sim() {
    let out = formscan(&["doctor"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(text.contains("libtesseract 5."), "{text}");
    assert!(text.contains("chi_sim.traineddata"), "{text}");
    assert!(text.contains("OMP_THREAD_LIMIT=1"), "{text}");
}

#[test]
fn doctor_fails_clearly_without_chi_sim() {
    // TESSDATA_PREFIX replaces the default places, as it does for Tesseract itself.
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_formscan"))
        .arg("doctor")
        .env("TESSDATA_PREFIX", empty.path())
        .output()
        .unwrap();
    assert_eq!(code(&out), 3, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("MISSING") && text.contains("chi_sim.traineddata not found"), "{text}");
    assert!(text.contains("tesseract-ocr-chi-sim"), "{text}");
    assert!(stderr(&out).contains("required part is missing"), "{}", stderr(&out));
}


#[test]
fn template_writes_file_or_folder_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let out = formscan(&["template", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(dir.path().join("zuimei-2023.docx").is_file());
    let file = dir.path().join("nested/a.docx");
    let out = formscan(&["template", "-o", file.to_str().unwrap(), "--set", "name=张三", "--set", "fill_date=2023-05-10"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = zip_entry(&std::fs::read(&file).unwrap(), "word/document.xml");
    assert!(doc.contains(">张三<") && doc.contains(">2023年5月10日<"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("nested")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers, ["a.docx"]);
}

#[test]
fn template_refuses_bad_set_with_exit_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.docx");
    let out = formscan(&["template", "-o", file.to_str().unwrap(), "--set", "votes.approved=many"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("votes.approved"), "{}", stderr(&out));
    assert!(!file.exists());
    let out = formscan(&["template", "-o", file.to_str().unwrap(), "--set", "nameonly"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("id=value"), "{}", stderr(&out));
}

#[test]
fn units_write_one_prefilled_form_each() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("units.csv");
    std::fs::write(&csv, "\u{feff}单位名称,盟市/产业\n包头钢铁（集团）有限责任公司,包头市\n呼和浩特市第一医院,呼和浩特市\n内蒙古电力公司,自治区能源产业工会\n").unwrap();
    let outdir = dir.path().join("forms");
    let out = formscan(&["template", "--units", csv.to_str().unwrap(), "-o", outdir.to_str().unwrap(), "--set", "fill_date=2023-05-01"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let mut names: Vec<_> = std::fs::read_dir(&outdir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["内蒙古电力公司.docx", "包头钢铁（集团）有限责任公司.docx", "呼和浩特市第一医院.docx"]);
    let doc = zip_entry(&std::fs::read(outdir.join("呼和浩特市第一医院.docx")).unwrap(), "word/document.xml");
    for (tag, value) in [("cover_employer", "呼和浩特市第一医院"), ("employer", "呼和浩特市第一医院"), ("cover_region", "呼和浩特市")] {
        let at = doc.find(&format!(r#"<w:tag w:val="{tag}"/>"#)).unwrap();
        let content = &doc[at..at + doc[at..].find("</w:sdtContent>").unwrap()];
        assert!(content.contains(&format!(">{value}<")), "{tag}: {content}");
    }
    assert!(doc.contains(">2023年5月1日<"));
}

#[test]
fn units_need_a_folder_and_a_valid_csv() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("u.csv");
    std::fs::write(&csv, "甲单位\n").unwrap();
    let out = formscan(&["template", "--units", csv.to_str().unwrap(), "-o", dir.path().to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("u.csv") && stderr(&out).contains("line 1"), "{}", stderr(&out));
    let out = formscan(&["template", "--units", csv.to_str().unwrap(), "-o", "x.docx"]);
    assert_eq!(code(&out), 1);
}

#[test]
fn a_broken_spec_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/zuimei-2023.toml")).unwrap();
    std::fs::write(&bad, text.replacen("kind = \"phone\"", "kind = \"telephone\"", 1)).unwrap();
    let line = text.lines().position(|l| l == "kind = \"phone\"").unwrap() + 1;
    let out = formscan(&["--spec", bad.to_str().unwrap(), "template", "-o", dir.path().to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains(&format!("bad.toml:{line}:")) && err.contains("telephone"), "{err}");
}

#[test]
fn list_shows_every_field() {
    let out = formscan(&["template", "--list"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    for f in spec().fields {
        assert!(text.contains(&f.id), "{}", f.id);
    }
}
