//! Return notices (退回通知): `OUTDIR/returns/<unit>.docx`, one letter per submitting unit that
//! has forms to return, listing each such form with every reason of severity `return`.
//!
//! Only `return` reasons go to units: review and info issues are the staff's own business.
//! Unit names and messages come from the forms, so they are written as text only (docx-rs
//! escapes it) after dropping characters XML cannot hold.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use docx_rs::*;

use crate::config::Returns;
use crate::record::{Record, Severity, Status};
use crate::template::{unit_file_name, Unit};

use super::name_of;

/// Half-points: 二号 for the heading, 三号 for the letter (as official letters are set), 小四
/// in the table so that long reasons stay readable in a narrow column.
const HEADING_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const TABLE_SIZE: usize = 24;
/// Table columns in twips (序号, 文件, 候选人姓名, 退回原因): A4 less the margins.
const COLUMNS: [usize; 4] = [700, 2500, 1500, 4100];
const FIRST_LINE_INDENT: i32 = 640;

/// The forms one unit gets back.
#[derive(Debug)]
pub struct UnitReturns<'a> {
    /// As written on its first form.
    pub unit: String,
    pub forms: Vec<&'a Record>,
}

/// The unit a returned form goes back to: its 工作单位, else the cover's, else the file name.
pub fn returned_unit(r: &Record) -> String {
    let written = ["employer", "cover_employer"].iter().find_map(|id| r.value(id).map(str::trim).filter(|v| !v.is_empty()));
    match written {
        Some(unit) => unit.to_string(),
        None => file_name(&r.source.path),
    }
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The reasons sent to the unit: every `return` issue's message, in the record's order.
pub fn return_reasons(r: &Record) -> Vec<&str> {
    r.issues.iter().filter(|i| i.severity == Severity::Return).map(|i| i.message.as_str()).collect()
}

/// Incomplete forms grouped by unit, units in the order of their first form. Spellings that
/// differ only in spacing are one unit.
pub fn group(records: &[Record]) -> Vec<UnitReturns<'_>> {
    let mut out: Vec<UnitReturns> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for r in records.iter().filter(|r| r.status == Status::Incomplete) {
        let unit = returned_unit(r);
        let key: String = unit.chars().filter(|c| !c.is_whitespace()).collect();
        let at = *index.entry(key).or_insert_with(|| {
            out.push(UnitReturns { unit, forms: Vec::new() });
            out.len() - 1
        });
        out[at].forms.push(r);
    }
    out
}

/// Writes one notice per unit into `dir` and returns their paths. Notices left in `dir` by an
/// earlier run for units with nothing to return now are removed, so the folder never holds a
/// letter that no longer applies.
pub fn write_notices(dir: &Path, records: &[Record], cfg: &Returns) -> std::io::Result<Vec<PathBuf>> {
    let mut taken = HashSet::new();
    let mut written = Vec::new();
    for unit in group(records) {
        let name = unit_file_name(&Unit { name: unit.unit.clone(), region: String::new() }, &mut taken);
        let path = dir.join(name);
        crate::fsutil::write_atomic(&path, &notice_docx(&unit, cfg)?)?;
        written.push(path);
    }
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let notice = path.extension().is_some_and(|e| e == "docx");
            if notice && !written.contains(&path) {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(written)
}

/// Text as XML can hold it: control characters dropped, line breaks made spaces.
fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            '\u{FFFE}' | '\u{FFFF}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// `2023-05-26` → `2023年5月26日` (dates in the config are checked YYYY-MM-DD).
fn zh_date(iso: &str) -> String {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts[..] {
        [y, m, d] => format!("{y}年{m}月{d}日"),
        _ => iso.to_string(),
    }
}

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(clean(text)).size(size)
}

fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .indent(None, Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)), None, None)
        .line_spacing(LineSpacing::new().after(120))
        .add_run(run(text, BODY_SIZE))
}

fn cell(lines: &[String], width: usize, bold: bool) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center);
    for line in lines {
        let r = run(line, TABLE_SIZE);
        c = c.add_paragraph(Paragraph::new().add_run(if bold { r.bold() } else { r }));
    }
    c
}

fn reasons_table(unit: &UnitReturns) -> Table {
    let heads = ["序号", "文件", "候选人姓名", "退回原因"];
    let mut rows = vec![TableRow::new(heads.iter().zip(COLUMNS).map(|(h, w)| cell(&[h.to_string()], w, true)).collect())];
    for (n, r) in unit.forms.iter().enumerate() {
        let reasons = return_reasons(r);
        let numbered: Vec<String> = match reasons.len() {
            1 => vec![reasons[0].to_string()],
            _ => reasons.iter().enumerate().map(|(i, m)| format!("{}. {m}", i + 1)).collect(),
        };
        let texts = [vec![(n + 1).to_string()], vec![file_name(&r.source.path)], vec![name_of(r)], numbered];
        rows.push(TableRow::new(texts.iter().zip(COLUMNS).map(|(t, w)| cell(t, w, false)).collect()));
    }
    Table::new(rows).set_grid(COLUMNS.to_vec()).width(COLUMNS.iter().sum(), WidthType::Dxa)
}

/// One unit's notice as .docx bytes.
pub fn notice_docx(unit: &UnitReturns, cfg: &Returns) -> std::io::Result<Vec<u8>> {
    let right = |text: &str| Paragraph::new().align(AlignmentType::Right).add_run(run(text, BODY_SIZE));
    let fonts = RunFonts::new().east_asia("仿宋").ascii("Times New Roman").hi_ansi("Times New Roman");
    let docx = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin { top: 1440, bottom: 1440, left: 1531, right: 1531, header: 851, footer: 992, gutter: 0 })
        .default_fonts(fonts)
        .default_size(BODY_SIZE)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(LineSpacing::new().after(360))
                .add_run(run("退回通知", HEADING_SIZE).bold().fonts(RunFonts::new().east_asia("黑体"))),
        )
        .add_paragraph(Paragraph::new().add_run(run(&format!("{}：", unit.unit), BODY_SIZE)))
        .add_paragraph(body(&format!(
            "经审核，贵单位报送的2023年内蒙古自治区“最美职工”推荐申报表中，有{}份不符合要求，现予退回。具体原因如下：",
            unit.forms.len()
        )))
        .add_table(reasons_table(unit))
        .add_paragraph(Paragraph::new())
        .add_paragraph(body(&format!(
            "请按上表所列原因逐项修改、补充（需补签字、盖章的，请在原件上办理），并于{}前将修改后的申报表重新报送。",
            zh_date(&cfg.deadline)
        )))
        .add_paragraph(body(&cfg.contact))
        .add_paragraph(body("特此通知。"))
        .add_paragraph(Paragraph::new())
        .add_paragraph(right(&cfg.sender))
        .add_paragraph(right(&zh_date(&cfg.date)));
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(std::io::Error::other)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::rules::tests::good;
    use crate::record::Issue;
    use crate::spec::Spec;

    fn returned(path: &str, changes: &[(&str, &str)], reasons: &[&str]) -> Record {
        let mut r = good(&Spec::builtin(), changes);
        r.source.path = path.into();
        for m in reasons {
            r.issues.push(Issue::new("missing_field", None, Severity::Return, *m));
        }
        r.issues.push(Issue::new("low_confidence", None, Severity::Review, "复核原因"));
        r.derive_status();
        r
    }

    #[test]
    fn forms_are_grouped_by_employer_then_cover_then_file() {
        let records = vec![
            returned("in/1.docx", &[("employer", "甲公司")], &["一"]),
            returned("in/2.docx", &[], &[]),
            returned("in/3.docx", &[("employer", ""), ("cover_employer", "乙公司")], &["二"]),
            returned("in/4.docx", &[("employer", "甲 公司")], &["三", "四"]),
            returned("in/5.docx", &[("employer", ""), ("cover_employer", "")], &["五"]),
        ];
        let g = group(&records);
        let shown: Vec<(&str, Vec<&str>)> = g.iter().map(|u| (u.unit.as_str(), u.forms.iter().map(|r| r.source.path.as_str()).collect())).collect();
        assert_eq!(shown, [("甲公司", vec!["in/1.docx", "in/4.docx"]), ("乙公司", vec!["in/3.docx"]), ("5.docx", vec!["in/5.docx"])]);
        assert_eq!(return_reasons(g[0].forms[1]), ["三", "四"]);
    }

    #[test]
    fn notices_are_text_safe_named_and_stale_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        let notices = dir.path().join("returns");
        std::fs::create_dir_all(&notices).unwrap();
        std::fs::write(notices.join("old.docx"), b"x").unwrap();
        let records = vec![
            returned("in/1.docx", &[("employer", "A&B<w:t>公司/一部")], &["联系电话未填写\u{1}"]),
            returned("in/2.docx", &[("employer", "A&B<w:t>公司:一部")], &["x"]),
        ];
        let written = write_notices(&notices, &records, &Returns::default()).unwrap();
        let names: Vec<String> = written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["A&B_w_t_公司_一部.docx", "A&B_w_t_公司_一部-2.docx"]);
        assert!(!notices.join("old.docx").exists());
        let bytes = std::fs::read(&written[0]).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("A&amp;B&lt;w:t&gt;公司/一部：") && !xml.contains("&amp;amp;"), "{xml}");
        assert!(xml.contains("联系电话未填写") && !xml.contains("复核原因") && !xml.contains('\u{1}'));
        assert!(xml.contains("2023年5月26日") && xml.contains("2023年5月22日"));
        assert!(write_notices(&notices, &records[..0], &Returns::default()).unwrap().is_empty());
        assert_eq!(std::fs::read_dir(&notices).unwrap().count(), 0);
    }

    #[test]
    fn a_hundred_notices_are_quick_and_repeatable() {
        let records: Vec<Record> = (0..100).map(|i| returned(&format!("in/{i}.docx"), &[("employer", &format!("单位{i}"))], &["联系电话未填写", "身份证号码校验位错误"])).collect();
        let dir = tempfile::tempdir().unwrap();
        let start = std::time::Instant::now();
        let written = write_notices(dir.path(), &records, &Returns::default()).unwrap();
        let took = start.elapsed();
        eprintln!("100 notices in {} ms", took.as_millis());
        assert_eq!(written.len(), 100);
        let first = std::fs::read(&written[0]).unwrap();
        write_notices(dir.path(), &records, &Returns::default()).unwrap();
        assert_eq!(std::fs::read(&written[0]).unwrap(), first, "byte-identical on a re-run");
    }
}
