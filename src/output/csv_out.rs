//! records.csv and returns.csv: UTF-8 with a BOM (so Excel and WPS detect the encoding), a
//! header row of ids and one of Chinese labels, and cells neutralised against formula
//! injection (a cell starting with = + - @ is taken as a formula by spreadsheets).

use std::path::Path;

use crate::record::{Record, Severity};
use crate::spec::Spec;

use super::{columns, name_of, unit_of};

/// Prefixes a quote to text a spreadsheet would evaluate.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// Rows as CSV bytes: BOM first, every cell neutralised.
pub(crate) fn to_bytes(rows: Vec<Vec<String>>) -> std::io::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c)))?;
    }
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(w.into_inner().map_err(|e| e.into_error())?);
    Ok(out)
}

pub fn records_csv(spec: &Spec, records: &[Record]) -> std::io::Result<Vec<u8>> {
    let cols = columns(spec);
    let mut rows = vec![cols.iter().map(|c| c.id.clone()).collect::<Vec<_>>(), cols.iter().map(|c| c.label.clone()).collect()];
    for r in records {
        rows.push(cols.iter().map(|c| c.cell(r)).collect());
    }
    to_bytes(rows)
}

pub fn write_records(path: &Path, spec: &Spec, records: &[Record]) -> std::io::Result<()> {
    crate::fsutil::write_atomic(path, &records_csv(spec, records)?)
}

/// One row per form to return: file, unit, name, and every reason in Chinese.
pub fn returns_csv(records: &[Record]) -> std::io::Result<Vec<u8>> {
    let mut rows = vec![vec!["file".into(), "unit".into(), "name".into(), "reasons".into()], vec!["文件".into(), "单位".into(), "姓名".into(), "退回原因".into()]];
    for r in records {
        let reasons: Vec<&str> = r.issues.iter().filter(|i| i.severity == Severity::Return).map(|i| i.message.as_str()).collect();
        if !reasons.is_empty() {
            rows.push(vec![r.source.path.clone(), unit_of(r), name_of(r), reasons.join("；")]);
        }
    }
    to_bytes(rows)
}

pub fn write_returns(path: &Path, records: &[Record]) -> std::io::Result<()> {
    crate::fsutil::write_atomic(path, &returns_csv(records)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_text_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+86 139"), "'+86 139");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("张三"), "张三");
        assert_eq!(neutralise("0471-5109211"), "0471-5109211");
    }

    #[test]
    fn csv_starts_with_bom() {
        let b = to_bytes(vec![vec!["a".into()]]).unwrap();
        assert!(b.starts_with("\u{feff}a".as_bytes()));
    }
}
