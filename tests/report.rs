//! report.html in a real browser: `formscan process` on the Word fixtures plus a form whose
//! name is markup, then headless Chromium takes a screenshot (the page renders) and dumps the
//! DOM after its script ran with a filter preset in the URL fragment.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::common::*;

const HOSTILE_NAME: &str = "<script>alert(1)</script>";

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"].into_iter().find_map(formscan::external::which)
}

/// One run over the fixtures and the hostile form, shared by the tests.
fn run() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = scratch().join("report");
        let inputs = dir.join("in");
        std::fs::create_dir_all(&inputs).unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/docx");
        for e in std::fs::read_dir(&fixtures).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, inputs.join(p.file_name().unwrap())).unwrap();
        }
        // The good form with its candidate renamed to markup (XML-escaped, as Word stores it).
        let good = std::fs::read(fixtures.join("good-formscan.docx")).unwrap();
        let xml = zip_entry(&good, "word/document.xml");
        assert!(xml.contains("乌日娜"), "the fixture names 乌日娜");
        let escaped = HOSTILE_NAME.replace('<', "&lt;").replace('>', "&gt;");
        std::fs::write(inputs.join("hostile.docx"), replace_entry(&good, "word/document.xml", &xml.replace("乌日娜", &escaped))).unwrap();

        let out = dir.join("out");
        let quotas = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/quotas.csv");
        let o = formscan(&["process", inputs.to_str().unwrap(), "-o", out.to_str().unwrap(), "--jobs", "2", "--quotas", quotas.to_str().unwrap()]);
        assert_eq!(code(&o), 2, "unreadable fixtures: {}", stderr(&o));
        out
    })
}

/// Runs Chromium headless on the report with `args`, in a profile of its own.
fn browse(args: &[&str], url: &str) -> Option<Vec<u8>> {
    let Some(program) = chromium() else {
        eprintln!("SKIPPED: chromium is not installed (`make deps` installs it); the report was not checked in a browser");
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(program);
    cmd.args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url);
    let done = formscan::external::run_limited(cmd, Duration::from_secs(90)).expect("chromium ends in time");
    assert!(done.status.success(), "chromium failed: {}", done.stderr);
    Some(done.stdout)
}

fn url(out: &Path, fragment: &str) -> String {
    format!("file://{}#{fragment}", out.join("report.html").display())
}

/// The opening tags of the record sections in a DOM dump.
fn sections(dom: &str) -> Vec<&str> {
    dom.match_indices("<details class=\"rec\"").map(|(i, _)| &dom[i..i + dom[i..].find('>').unwrap()]).collect()
}

#[test]
fn report_and_corrections_are_written() {
    let out = run();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains(HOSTILE_NAME));
    assert!(!html.contains("<link") && !html.contains("src=\"http"), "self-contained");
    assert!(html.contains("超出名额"), "包头市 is over its quota of 2");
    let csv = std::fs::read_to_string(out.join("corrections.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}file,target,value,note\n"), "{csv}");
    assert!(csv.contains("hostile.docx,cover_region,包头市,包头市推荐名额为2名"), "{csv}");
}

#[test]
fn the_page_renders_in_chromium() {
    let out = run();
    let shot = out.join("screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let arg = format!("--screenshot={}", shot.display());
    if browse(&[&arg, "--window-size=1280,2000"], &url(out, "")).is_none() {
        return;
    }
    let img = image::open(&shot).expect("a PNG screenshot").into_rgb8();
    assert_eq!(img.dimensions(), (1280, 2000));
    let dark = img.pixels().filter(|p| p.0.iter().all(|&c| c < 100)).count();
    let red = img.pixels().filter(|p| p[0] > 150 && p[1] < 80 && p[2] < 80).count();
    let total = (img.width() * img.height()) as usize;
    assert!(dark > total / 200, "text is drawn: {dark} dark pixels");
    assert!(red > 200, "the status badges are coloured: {red} red pixels");
}

#[test]
fn a_filter_in_the_fragment_hides_the_other_forms_and_markup_stays_text() {
    let out = run();
    let Some(dom) = browse(&["--dump-dom"], &url(out, "status=incomplete")) else { return };
    let dom = String::from_utf8(dom).unwrap();
    let secs = sections(&dom);
    assert_eq!(secs.len(), 11, "one section per input");
    for s in &secs {
        assert_eq!(s.contains("hidden"), !s.contains("data-status=\"incomplete\""), "{s}");
    }
    assert!(secs.iter().any(|s| !s.contains("hidden")), "the incomplete form is shown");
    assert!(dom.contains("显示 1 / 11 份"), "the count follows the filter");
    assert!(dom.contains("<select id=\"f-status\">") && dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_eq!(dom.matches("<script").count(), 1, "no script but the page's own");

    // Search by the markup name; the review filter as well.
    let q = "q=%3Cscript%3E";
    let dom = String::from_utf8(browse(&["--dump-dom"], &url(out, q)).unwrap()).unwrap();
    let shown: Vec<&str> = sections(&dom).into_iter().filter(|s| !s.contains("hidden")).collect();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].contains("hostile.docx"));
    let dom = String::from_utf8(browse(&["--dump-dom"], &url(out, "status=review&region=包头市")).unwrap()).unwrap();
    let secs = sections(&dom);
    for s in &secs {
        assert_eq!(!s.contains("hidden"), s.contains("data-review=\"1\"") && s.contains("data-region=\"包头市\""), "{s}");
    }
    assert!(secs.iter().filter(|s| !s.contains("hidden")).count() >= 2, "the forms of 包头市 to review are shown");
}

/// A scan's pictures as the pipeline will write them: the sample scan read by `formscan
/// process`, then `write_evidence` on its grey pages (read at their own resolution, so scale 1)
/// with an approval box's marks set by hand, and the page rebuilt.
#[test]
fn a_scan_shows_its_crops_boxes_and_pages() {
    use formscan::output::report::{evidence_key, write_evidence, write_report, EvidencePage, PageImage, ReportOptions};
    use formscan::record::{ApprovalEvidence, Record};

    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/scans");
    let pages: Vec<PathBuf> = (1..=3).map(|n| samples.join(format!("0001-p{n}.jpg"))).collect();
    let out = scratch().join("report-scan");
    let o = formscan(&[&["process"], &pages.iter().map(|p| p.to_str().unwrap()).collect::<Vec<_>>()[..], &["-o", out.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(out.join("records.jsonl")).unwrap();
    let mut record: Record = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let ev = ApprovalEvidence { page: 3, bbox: [150, 300, 1350, 450], seal: Some([900, 350, 300, 300]), seal_score: 0.9, signature: Some([300, 600, 300, 80]), signature_score: 0.8, date: Some([1000, 680, 350, 60]), date_ink: None };
    record.approvals.get_mut("unit_congress").unwrap().evidence = Some(ev);

    let images: Vec<image::GrayImage> = pages.iter().map(|p| image::open(p).unwrap().into_luma8()).collect();
    let cells = |n: u32| record.fields.values().filter(|v| v.page == Some(n)).filter_map(|v| v.bbox).collect::<Vec<_>>();
    let evidence_pages: Vec<EvidencePage> = images.iter().zip(1..).map(|(img, n)| EvidencePage { page: n, image: PageImage::Gray(img), scale: 1.0, cells: cells(n) }).collect();
    let evidence = write_evidence(&out, &evidence_key(0, &record), &evidence_pages, &record).unwrap();
    assert_eq!(evidence.pages.len(), 3);
    assert_eq!(evidence.fields.len(), 22, "every field was read off the scan");
    // The pipeline found all six boxes on the scan; one's marks were set by hand above.
    assert_eq!(evidence.boxes.len(), 6, "{:?}", evidence.boxes.keys().collect::<Vec<_>>());
    assert!(evidence.boxes.contains_key("unit_congress"));
    for p in evidence.pages.iter().chain(evidence.fields.values()).chain(evidence.boxes.values()) {
        image::open(out.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    }
    write_report(&out, &[record], &[evidence], &spec(), None, &ReportOptions::default()).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("src=\"report/0001-0001-p1/f-name.jpg\"") && html.contains("src=\"report/0001-0001-p1/b-unit_congress.jpg\""));
    assert!(!html.contains("f-id_number.jpg") && !html.contains("f-phone.jpg"), "no picture of a personal number without --show-pii");

    let shot = out.join("screenshot.png");
    let arg = format!("--screenshot={}", shot.display());
    if browse(&[&arg, "--window-size=1280,6000"], &url(&out, "")).is_some() {
        let img = image::open(&shot).expect("a PNG screenshot").into_rgb8();
        assert!(img.pixels().filter(|p| p.0.iter().all(|&c| c < 100)).count() > 10_000, "text and pictures drawn");
    }
}
