//! `--units units.csv`: one pre-filled form per submitting unit.

use std::collections::HashSet;
use std::path::Path;

use crate::error::TemplateError;

/// A unit that will receive a pre-filled form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub name: String,
    /// Its 盟市 or industry union (封面 `所在盟市、产业`).
    pub region: String,
}

/// Reads `unit name, region/industry` rows. A first row whose first cell reads like a column
/// title (单位…, unit…, name) is a header and skipped. UTF-8 with or without BOM.
pub fn read_units(path: &Path) -> Result<Vec<Unit>, TemplateError> {
    let err = |message: String| TemplateError::Units { path: path.to_path_buf(), message };
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| err("is not UTF-8 text (save it from Excel/WPS as “CSV UTF-8”)".into()))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut units = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| err(format!("line {}: {e}", i + 1)))?;
        let name = record.get(0).unwrap_or("").to_string();
        if i == 0 && is_header(&name) {
            continue;
        }
        if name.is_empty() && record.iter().all(str::is_empty) {
            continue;
        }
        if name.is_empty() {
            return Err(err(format!("line {}: the unit name (first column) is empty", i + 1)));
        }
        let region = record.get(1).unwrap_or("").to_string();
        if region.is_empty() {
            return Err(err(format!("line {}: `{name}` has no region/industry (second column)", i + 1)));
        }
        units.push(Unit { name, region });
    }
    if units.is_empty() {
        return Err(err("lists no unit (expected rows of: unit name, region/industry)".into()));
    }
    Ok(units)
}

fn is_header(first: &str) -> bool {
    let f = first.to_lowercase();
    f.starts_with("单位") || f.starts_with("推荐单位") || f.starts_with("工作单位") || f.starts_with("unit") || f == "name"
}

/// A file name for a unit's form: the unit's name with characters that no file system takes
/// replaced, made unique among `taken`.
pub fn unit_file_name(unit: &Unit, taken: &mut HashSet<String>) -> String {
    let clean: String = unit
        .name
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() { '_' } else { c })
        .collect();
    let clean = clean.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let base = if clean.is_empty() { "unit".to_string() } else { clean.chars().take(80).collect() };
    let mut name = format!("{base}.docx");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}.docx");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units_from(text: &str) -> Result<Vec<Unit>, TemplateError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("units.csv");
        std::fs::write(&path, text).unwrap();
        read_units(&path)
    }

    #[test]
    fn header_bom_and_blank_lines_are_tolerated() {
        let u = units_from("\u{feff}单位名称,盟市/产业\n包钢集团 , 包头市\n\n呼和浩特供电公司,呼和浩特市\n").unwrap();
        assert_eq!(u, [
            Unit { name: "包钢集团".into(), region: "包头市".into() },
            Unit { name: "呼和浩特供电公司".into(), region: "呼和浩特市".into() },
        ]);
    }

    #[test]
    fn missing_region_names_the_line() {
        let e = units_from("甲单位,包头市\n乙单位\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("乙单位"), "{e}");
    }

    #[test]
    fn empty_list_is_an_error() {
        assert!(units_from("单位,盟市\n").is_err());
    }

    #[test]
    fn file_names_are_safe_and_unique() {
        let mut taken = HashSet::new();
        let u = Unit { name: "a/b:c".into(), region: "x".into() };
        assert_eq!(unit_file_name(&u, &mut taken), "a_b_c.docx");
        assert_eq!(unit_file_name(&u, &mut taken), "a_b_c-2.docx");
        let dots = Unit { name: "..".into(), region: "x".into() };
        assert_eq!(unit_file_name(&dots, &mut taken), "unit.docx");
    }
}
