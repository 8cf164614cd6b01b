//! records.xlsx: 记录 (one row per submission, cells with issues highlighted and commented),
//! 问题 (every issue on its own row), 汇总 (per region/industry, with quota use).

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, Note, Workbook, XlsxError};

use crate::record::{Record, Severity, Status};
use crate::spec::Spec;

use super::{columns, name_of, region_of, severity_zh};

fn io(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

pub fn to_bytes(spec: &Spec, records: &[Record], quota_of: &dyn Fn(&str) -> Option<u32>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation time instead of now, so that a re-run writes the same bytes.
    wb.set_properties(&DocProperties::new().set_creation_datetime(&ExcelDateTime::from_timestamp(0)?));
    let header = Format::new().set_bold().set_background_color(Color::RGB(0xD9E1F2));
    let ret = Format::new().set_background_color(Color::RGB(0xFFC7CE));
    let review = Format::new().set_background_color(Color::RGB(0xFFEB9C));

    let cols = columns(spec);
    let ws = wb.add_worksheet();
    ws.set_name("记录")?;
    for (c, col) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &col.label, &header)?;
        ws.write_string(1, c as u16, &col.id)?;
        ws.set_column_width(c as u16, if col.id == "issues" { 60 } else { 14 })?;
    }
    ws.set_freeze_panes(2, 1)?;
    for (i, r) in records.iter().enumerate() {
        let row = i as u32 + 2;
        for (c, col) in cols.iter().enumerate() {
            let text = col.cell(r);
            let hits: Vec<_> = match col.field_id() {
                Some(id) => r.issues.iter().filter(|x| x.field.as_deref() == Some(id)).collect(),
                None if col.id == "status" && r.status != Status::Complete => r.issues.iter().filter(|x| x.field.is_none()).collect(),
                None => Vec::new(),
            };
            if hits.is_empty() {
                ws.write_string(row, c as u16, &text)?;
                continue;
            }
            let fmt = if hits.iter().any(|x| x.severity == Severity::Return) { &ret } else { &review };
            ws.write_string_with_format(row, c as u16, &text, fmt)?;
            let note: Vec<String> = hits.iter().map(|x| format!("[{}] {}", severity_zh(x.severity), x.message)).collect();
            ws.insert_note(row, c as u16, &Note::new(note.join("\n")).set_author("formscan"))?;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name("问题")?;
    for (c, h) in ["文件", "姓名", "栏目", "代码", "处理", "说明"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(5, 60)?;
    let mut row = 1;
    for r in records {
        for x in &r.issues {
            let label = x.field.as_deref().map(|id| spec.field(id).map_or(id.to_string(), |f| f.label.clone())).unwrap_or_default();
            for (c, v) in [r.source.path.clone(), name_of(r), label, x.code.clone(), severity_zh(x.severity).to_string(), x.message.clone()].iter().enumerate() {
                ws.write_string(row, c as u16, v)?;
            }
            row += 1;
        }
    }

    let ws = wb.add_worksheet();
    ws.set_name("汇总")?;
    for (c, h) in ["所在盟市、产业", "收到", "完整", "需退回", "无法读取", "名额", "名额使用"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    ws.set_column_width(0, 28)?;
    let mut by_region: BTreeMap<String, [u32; 4]> = BTreeMap::new();
    for r in records {
        let e = by_region.entry(if r.status == Status::Unreadable { "（无法读取）".into() } else { region_of(r) }).or_default();
        e[0] += 1;
        e[match r.status {
            Status::Complete => 1,
            Status::Incomplete => 2,
            Status::Unreadable => 3,
        }] += 1;
    }
    for (i, (region, n)) in by_region.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, region)?;
        for (c, v) in n.iter().enumerate() {
            ws.write_number(row, c as u16 + 1, *v as f64)?;
        }
        if let Some(q) = quota_of(region) {
            ws.write_number(row, 5, q as f64)?;
            let used = n[0] - n[3];
            let fmt = if used > q { &ret } else { &Format::new() };
            ws.write_string_with_format(row, 6, format!("{used}/{q}"), fmt)?;
        }
    }
    wb.save_to_buffer()
}

pub fn write(path: &Path, spec: &Spec, records: &[Record], quota_of: &dyn Fn(&str) -> Option<u32>) -> std::io::Result<()> {
    crate::fsutil::write_atomic(path, &to_bytes(spec, records, quota_of).map_err(io)?)
}
