//! A .docx model → the raw values of the form.
//!
//! Content controls tagged with a field id are taken first (our own template). Then, for
//! whatever is still missing — the official form filled in Word or WPS, or our template
//! re-saved by a program that dropped the tags — labels are matched in the table's cells and
//! the value taken from the cell after the label (or after the label inside the same cell);
//! the cover's lines by their labels; the vote counts from the row-12 sentence.

use crate::ingest::docx::{Block, DocxModel, Table, VMerge};
use crate::ingest::Unreadable;
use crate::layout::labels::LabelMatcher;
use crate::layout::sentence::split_blanks;
use crate::reading::{ApprovalReading, RawValue, Reading};
use crate::record::Mark;
use crate::spec::{Kind, LabelAt, Part, Place, Spec};

/// Fewer recognised labels than this and the document is taken not to be the form.
const MIN_LABELS: usize = 4;

/// Text that is only the printed blank of a field (`    年  月  日`, underscores, the
/// placeholder hint) counts as empty.
fn is_blank(text: &str, hint: Option<&str>) -> bool {
    let t = text.trim();
    if hint.is_some_and(|h| t == h.trim()) {
        return true;
    }
    t.chars().all(|c| c.is_whitespace() || matches!(c, '_' | '＿' | '年' | '月' | '日' | '\u{3000}' | '\u{200b}'))
}

pub fn read_form(model: &DocxModel, spec: &Spec) -> Result<Reading, Unreadable> {
    let mut reading = Reading::default();
    let mut put = |reading: &mut Reading, id: &str, text: &str| {
        if !reading.values.contains_key(id) {
            let hint = spec.field(id).and_then(|f| f.hint.as_deref());
            let text = if is_blank(text, hint) { "" } else { text };
            reading.values.insert(id.to_string(), RawValue::typed(text));
        }
    };

    let mut tagged = 0;
    for c in &model.controls {
        if let Some(f) = spec.field(&c.tag).filter(|f| f.kind != Kind::Approval) {
            tagged += 1;
            put(&mut reading, &f.id, if c.placeholder { "" } else { &c.text });
        }
    }

    let table_labels = LabelMatcher::new(spec, |f| f.part() == Part::Table);
    let cover_labels = LabelMatcher::new(spec, |f| f.part() == Part::Cover);
    let score = |t: &Table| t.rows.iter().flatten().filter(|c| table_labels.match_start(&c.text).is_some()).count();
    let main = model
        .blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match b {
            Block::Table(t) => Some((i, score(t))),
            _ => None,
        })
        .max_by_key(|(_, s)| *s);
    let main_score = main.map_or(0, |(_, s)| s);
    if main_score < MIN_LABELS && tagged < MIN_LABELS {
        return Err(Unreadable::NotThisForm);
    }
    let main_at = main.filter(|(_, s)| *s >= MIN_LABELS).map(|(i, _)| i);

    for (i, block) in model.blocks.iter().enumerate() {
        let before_main = main_at.map_or(true, |m| i < m);
        match block {
            // The cover: its lines come before the table, as paragraphs or a borderless table.
            Block::Paragraph(text) if before_main => {
                for line in text.split('\n') {
                    if let Some((id, rest)) = cover_labels.match_start(line) {
                        put(&mut reading, id, rest);
                    }
                }
            }
            Block::Table(t) if before_main && Some(i) != main_at => read_table(t, &cover_labels, spec, &mut reading, &mut put),
            Block::Table(t) if score(t) > 0 => read_table(t, &table_labels, spec, &mut reading, &mut put),
            _ => {}
        }
    }
    for f in spec.approvals() {
        reading.approvals.entry(f.id.clone()).or_default();
    }
    Ok(reading)
}

/// Label cells and the values beside them; approval boxes; the vote sentence.
fn read_table(
    table: &Table,
    labels: &LabelMatcher,
    spec: &Spec,
    reading: &mut Reading,
    put: &mut impl FnMut(&mut Reading, &str, &str),
) {
    for row in &table.rows {
        for (i, cell) in row.iter().enumerate() {
            if cell.vmerge == VMerge::Continue {
                continue;
            }
            let Some((id, rest)) = labels.match_start(&cell.text) else { continue };
            let Some(field) = spec.field(id) else { continue };
            if field.kind == Kind::Approval {
                let inside = matches!(field.place, Place::Table { label_at: LabelAt::Inside, .. });
                let boxed = if inside { Some(cell) } else { row.get(i + 1) };
                if let Some(b) = boxed {
                    read_box(spec, &field.id, &b.text, b.has_image, reading, put);
                }
                continue;
            }
            if !rest.trim().is_empty() {
                put(reading, id, rest);
            } else if let Some(next) = row.get(i + 1).filter(|n| !labels.is_label(&n.text)) {
                put(reading, id, &next.text);
            } else {
                put(reading, id, "");
            }
        }
    }
}

/// An approval box typed in Word: the sentence's blanks, a typed date, pasted images.
fn read_box(spec: &Spec, box_id: &str, text: &str, has_image: bool, reading: &mut Reading, put: &mut impl FnMut(&mut Reading, &str, &str)) {
    let Some(field) = spec.field(box_id) else { return };
    let Some(approval) = &field.approval else { return };
    if let Some(sentence) = &approval.sentence {
        for (id, value) in split_blanks(sentence, text) {
            if let Some(v) = value {
                put(reading, id, &v);
            }
        }
    }
    // The date is the last line with 年 in it, when digits or numerals were written there.
    let date = text
        .lines()
        .rev()
        .find(|l| l.contains('年') && l.contains('月'))
        .map(str::trim)
        .filter(|l| !is_blank(l, None))
        .map(|l| RawValue::typed(l));
    // A .docx carries no ink: a picture in the box may be a scanned signature or seal, which
    // only the paper original can confirm.
    let mark = if has_image { Mark::Uncertain } else { Mark::Absent };
    reading.approvals.insert(box_id.to_string(), ApprovalReading { signature: mark, seal: mark, date, evidence: None });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::docx::parse_document;

    fn model(body: &str) -> DocxModel {
        let xml = format!(r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#);
        parse_document(xml.as_bytes()).unwrap()
    }

    fn cell(text: &str) -> String {
        let paras: String = text.split('\n').map(|l| format!("<w:p><w:r><w:t xml:space=\"preserve\">{l}</w:t></w:r></w:p>")).collect();
        format!("<w:tc>{paras}</w:tc>")
    }

    fn row(cells: &[&str]) -> String {
        format!("<w:tr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>())
    }

    #[test]
    fn untagged_official_table_is_read_by_labels() {
        let body = format!(
            "<w:p><w:r><w:t>姓          名  阿拉坦·巴根</w:t></w:r></w:p><w:p><w:r><w:t>填报日期 2023年5月8日</w:t></w:r></w:p><w:tbl>{}{}{}{}{}</w:tbl>",
            row(&["姓 名", "阿拉坦·巴根", "性别", "男", "出生年月", "1980.02", "照片"]),
            row(&["民族：蒙古", "籍贯", "内蒙古通辽", "政治面貌", "党员"]),
            row(&["身份证号码", "150502198002201234"]),
            row(&["个  人  简  历", "1998.09—2002.07 内蒙古工业大学\n2002.07至今 通辽供电"]),
            row(&["所在单位职代会意见", "经 七 届 三 次职代会通过并公示。出席会议 120 人，其中同意 118 人，反对 1 人。\n负责人签名：\n公章\n2023年5月6日"]),
        );
        let r = read_form(&model(&body), &Spec::builtin()).unwrap();
        let v = |id: &str| r.values.get(id).map(|x| x.text.as_str());
        assert_eq!(v("cover_name"), Some("阿拉坦·巴根"));
        assert_eq!(v("fill_date"), Some("2023年5月8日"));
        assert_eq!(v("name"), Some("阿拉坦·巴根"));
        assert_eq!(v("ethnicity"), Some("蒙古"));
        assert_eq!(v("native_place"), Some("内蒙古通辽"));
        assert_eq!(v("id_number"), Some("150502198002201234"));
        assert_eq!(v("resume"), Some("1998.09—2002.07 内蒙古工业大学\n2002.07至今 通辽供电"));
        assert_eq!(v("votes.term"), Some("七"));
        assert_eq!(v("votes.opposed"), Some("1"));
        assert_eq!(r.approvals["unit_congress"].date.as_ref().unwrap().text, "2023年5月6日");
        assert_eq!(r.approvals["unit_congress"].seal, Mark::Absent);
        assert_eq!(r.approvals.len(), 6);
    }

    #[test]
    fn a_document_without_the_table_is_not_this_form() {
        let body = "<w:p><w:r><w:t>关于开展选树2023年度自治区“最美职工”活动的通知</w:t></w:r></w:p>";
        assert_eq!(read_form(&model(body), &Spec::builtin()), Err(Unreadable::NotThisForm));
    }

    #[test]
    fn blank_printed_date_is_empty() {
        assert!(is_blank("    年  月  日", None));
        assert!(is_blank("____", None));
        assert!(!is_blank("2023年 5月 日", None));
    }
}
