//! The form spec (`templates/*.toml`): every field of the form, its labels, kind and place.
//!
//! One spec drives both directions — the template generator draws the form from it and the
//! readers find fields by its labels — so nothing else in the code lists fields or labels.
//! Loading checks the whole spec up front and reports a broken one with file, line and reason.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::SpecError;

/// The spec shipped with formscan; `--spec` loads another one.
pub const BUILTIN_SPEC_PATH: &str = "templates/zuimei-2023.toml";
const BUILTIN_SPEC: &str = include_str!("../templates/zuimei-2023.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    /// A person's name: inner spaces removed, the separator dot unified.
    Name,
    /// `YYYY-MM`.
    Month,
    /// `YYYY-MM-DD`, or `YYYY-MM` when the day is blank.
    Date,
    IdNumber,
    Phone,
    /// One of `values` (or an alias of one); other text only when `open`.
    Enum,
    /// Free text whose line breaks are kept.
    Multiline,
    /// A number written into a blank of an approval box's sentence.
    Vote,
    /// A box to be signed, stamped and dated.
    Approval,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LabelAt {
    /// The label is printed in the grid cell just before the value cell.
    #[default]
    Left,
    /// The label is printed inside the box itself (rows 14–15).
    Inside,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Cover { line: u32 },
    Table { row: u32, col: u32, span: u32, label_at: LabelAt },
    /// A blank of the printed sentence inside the approval box `in_box`.
    Sentence { in_box: String },
}

/// What an approval box prints besides its title.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ApprovalText {
    pub signer: String,
    pub seal: Option<String>,
    pub date: String,
    /// The sentence with `{field_id}` where a blank is.
    pub sentence: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub id: String,
    /// The label without letter-spacing, as the readers match it.
    pub label: String,
    /// The label as printed on the form (may be letter-spaced or carry a suffix).
    pub print: String,
    pub variants: Vec<String>,
    pub kind: Kind,
    pub required: bool,
    pub place: Place,
    pub hint: Option<String>,
    pub values: Vec<String>,
    pub aliases: BTreeMap<String, String>,
    pub open: bool,
    pub approval: Option<ApprovalText>,
    /// Another field that holds the same value (the cover's name and the table's): where a
    /// scan's two readings differ by a slip, the surer one is taken for both.
    pub same_as: Option<String>,
    /// Line of the field's `id` in the spec file, for messages.
    pub line: usize,
}

/// Which part of the form a field is printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Cover,
    Table,
    Sentence,
}

impl Field {
    pub fn part(&self) -> Part {
        match self.place {
            Place::Cover { .. } => Part::Cover,
            Place::Table { .. } => Part::Table,
            Place::Sentence { .. } => Part::Sentence,
        }
    }

    /// The printed label and every variant, for matching.
    pub fn all_labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.label.as_str())
            .chain(std::iter::once(self.print.as_str()))
            .chain(self.variants.iter().map(String::as_str))
    }

    /// The key under `votes` for a vote blank (`votes.term` → `term`).
    pub fn vote_key(&self) -> Option<&str> {
        (self.kind == Kind::Vote).then(|| self.id.strip_prefix("votes.").unwrap_or(&self.id))
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormInfo {
    pub id: String,
    pub title: String,
    pub notice_date: String,
    pub deadline: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    pub width_mm: f32,
    pub height_mm: f32,
    pub margin_top_mm: f32,
    pub margin_bottom_mm: f32,
    pub margin_left_mm: f32,
    pub margin_right_mm: f32,
    pub title_font: String,
    pub body_font: String,
    pub table_font: String,
    pub latin_font: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverSpec {
    pub title_lines: Vec<String>,
    pub maker_lines: Vec<String>,
    pub maker_suffix: String,
}

/// A printed cell that holds no field (the photo cell).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaticCell {
    pub row: u32,
    pub col: u32,
    #[serde(default = "one")]
    pub span: u32,
    #[serde(default = "one")]
    pub rows: u32,
    pub text: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub columns_mm: Vec<f32>,
    pub row_heights_mm: Vec<f32>,
    #[serde(default, rename = "static")]
    pub statics: Vec<StaticCell>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotesSpec {
    pub heading: String,
    pub items: Vec<String>,
    /// The closing line: issuing office on the left, date on the right.
    pub closing: Vec<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSpec {
    form: FormInfo,
    page: PageSpec,
    cover: CoverSpec,
    table: TableSpec,
    notes: NotesSpec,
    #[serde(default)]
    lexicon: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
    #[serde(default)]
    surnames: String,
    field: Vec<RawField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    id: Spanned<String>,
    label: String,
    print: Option<String>,
    #[serde(default)]
    variants: Vec<String>,
    kind: Kind,
    #[serde(default)]
    required: bool,
    part: String,
    line: Option<u32>,
    row: Option<u32>,
    col: Option<u32>,
    span: Option<u32>,
    #[serde(default)]
    label_at: LabelAt,
    #[serde(rename = "in")]
    in_box: Option<String>,
    hint: Option<String>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    open: bool,
    signer: Option<String>,
    seal: Option<String>,
    date: Option<String>,
    sentence: Option<String>,
    same_as: Option<String>,
}

/// The whole form, loaded and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub path: PathBuf,
    pub form: FormInfo,
    pub page: PageSpec,
    pub cover: CoverSpec,
    pub table: TableSpec,
    pub notes: NotesSpec,
    /// Phrases that units' names and places are made of, which OCR of a value is checked
    /// against: a run that differs from one by a single character is that phrase.
    pub lexicon: Vec<String>,
    /// Place names of the region (four characters or more): proper names, which no word is
    /// one character away from, so a slip at their first or last character is mended too
    /// where nothing else can be read into it (哪尔多斯市 at the start of a value).
    pub places: Vec<String>,
    /// Han surnames in common use, one character each (whitespace in the spec ignored): a
    /// name's reading that starts with one is the likelier of two.
    pub surnames: String,
    pub fields: Vec<Field>,
}

impl Spec {
    /// The spec compiled into the binary (`templates/zuimei-2023.toml`).
    pub fn builtin() -> Spec {
        Spec::parse(BUILTIN_SPEC, Path::new(BUILTIN_SPEC_PATH))
            .expect("the built-in spec is checked by the test suite")
    }

    pub fn load(path: &Path) -> Result<Spec, SpecError> {
        let text = std::fs::read_to_string(path).map_err(|source| SpecError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Spec::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Spec, SpecError> {
        let raw: RawSpec = toml::from_str(text).map_err(|e| SpecError::Invalid {
            path: path.to_path_buf(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        let mut fields = Vec::with_capacity(raw.field.len());
        for f in raw.field {
            let line = line_of(text, f.id.span().start);
            let id = f.id.get_ref().clone();
            let fail = |message: String| SpecError::Invalid {
                path: path.to_path_buf(),
                line,
                message: format!("field `{id}`: {message}"),
            };
            fields.push(convert_field(f, line).map_err(fail)?);
        }
        let spec = Spec {
            path: path.to_path_buf(),
            form: raw.form,
            page: raw.page,
            cover: raw.cover,
            table: raw.table,
            notes: raw.notes,
            lexicon: raw.lexicon,
            places: raw.places,
            surnames: raw.surnames.chars().filter(|c| !c.is_whitespace()).collect(),
            fields,
        };
        spec.check().map_err(|(line, message)| SpecError::Invalid {
            path: path.to_path_buf(),
            line,
            message,
        })?;
        Ok(spec)
    }

    /// Whether `name` starts with a Han surname in common use (see `surnames`).
    pub fn starts_with_surname(&self, name: &str) -> bool {
        name.chars().next().is_some_and(|c| self.surnames.contains(c))
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// Fields that hold a value (everything but the approval boxes).
    pub fn value_fields(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.kind != Kind::Approval)
    }

    pub fn approvals(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.kind == Kind::Approval)
    }

    pub fn cover_fields(&self) -> Vec<&Field> {
        let mut v: Vec<&Field> = self
            .fields
            .iter()
            .filter(|f| matches!(f.place, Place::Cover { .. }))
            .collect();
        v.sort_by_key(|f| match f.place {
            Place::Cover { line } => line,
            _ => 0,
        });
        v
    }

    /// The blanks of an approval box's sentence, in the sentence's order.
    pub fn sentence_fields(&self, box_id: &str) -> Vec<&Field> {
        let Some(sentence) = self.field(box_id).and_then(|f| f.approval.as_ref()?.sentence.as_ref())
        else {
            return Vec::new();
        };
        sentence_parts(sentence)
            .into_iter()
            .filter_map(|p| match p {
                SentencePart::Blank(id) => self.field(id),
                SentencePart::Text(_) => None,
            })
            .collect()
    }

    pub fn row_count(&self) -> u32 {
        self.table.row_heights_mm.len() as u32
    }

    /// Consistency rules that serde cannot express. Returns the offending line and a reason.
    fn check(&self) -> Result<(), (usize, String)> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for f in &self.fields {
            if let Some(first) = seen.insert(&f.id, f.line) {
                return Err((f.line, format!("field id `{}` repeats the one on line {first}", f.id)));
            }
            if !f.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.') {
                return Err((f.line, format!("field id `{}` is not snake_case", f.id)));
            }
        }
        for f in &self.fields {
            if let Some(twin) = &f.same_as {
                match self.field(twin) {
                    Some(t) if t.kind == f.kind && t.id != f.id => {}
                    _ => return Err((f.line, format!("`same_as = \"{twin}\"` of `{}` names no other field of its kind", f.id))),
                }
            }
        }
        let ncols = self.table.columns_mm.len() as u32;
        let nrows = self.row_count();
        if ncols == 0 || nrows == 0 {
            return Err((0, "[table] needs columns_mm and row_heights_mm".into()));
        }
        // Every grid position of every row is covered exactly once.
        let mut grid: HashMap<(u32, u32), String> = HashMap::new();
        let mut claim = |row: u32, col: u32, span: u32, rows: u32, who: String, line: usize| {
            if row == 0 || row + rows - 1 > nrows || col + span > ncols || span == 0 {
                return Err((line, format!("{who}: row {row}, columns {col}..{} lie outside the {nrows}×{ncols} table", col + span)));
            }
            for r in row..row + rows {
                for c in col..col + span {
                    if let Some(other) = grid.insert((r, c), who.clone()) {
                        return Err((line, format!("{who} overlaps {other} at row {r}, column {c}")));
                    }
                }
            }
            Ok(())
        };
        for s in &self.table.statics {
            claim(s.row, s.col, s.span, s.rows, format!("static cell `{}`", s.text.join("")), 0)?;
        }
        for f in &self.fields {
            if let Place::Table { row, col, span, label_at } = f.place {
                claim(row, col, span, 1, format!("field `{}`", f.id), f.line)?;
                if label_at == LabelAt::Left {
                    if col == 0 {
                        return Err((f.line, format!("field `{}` has its label on the left of column 0", f.id)));
                    }
                    claim(row, col - 1, 1, 1, format!("label of `{}`", f.id), f.line)?;
                }
            }
        }
        for r in 1..=nrows {
            for c in 0..ncols {
                if !grid.contains_key(&(r, c)) {
                    return Err((0, format!("table row {r}, column {c} is covered by no field, label or static cell")));
                }
            }
        }
        // Sentence blanks and the sentences that hold them agree.
        let mut placed: HashSet<&str> = HashSet::new();
        for f in self.approvals() {
            let Some(sentence) = f.approval.as_ref().and_then(|a| a.sentence.as_ref()) else { continue };
            for part in sentence_parts(sentence) {
                if let SentencePart::Blank(id) = part {
                    match self.field(id) {
                        Some(b) if b.place == (Place::Sentence { in_box: f.id.clone() }) => {
                            if !placed.insert(b.id.as_str()) {
                                return Err((f.line, format!("sentence of `{}` names `{id}` twice", f.id)));
                            }
                        }
                        _ => return Err((f.line, format!("sentence of `{}` names `{{{id}}}`, which is not a blank (part = \"sentence\", in = \"{}\")", f.id, f.id))),
                    }
                }
            }
        }
        for f in &self.fields {
            if let Place::Sentence { in_box } = &f.place {
                if !placed.contains(f.id.as_str()) {
                    return Err((f.line, format!("field `{}` is a blank of `{in_box}`, but that box's sentence has no `{{{}}}`", f.id, f.id)));
                }
            }
        }
        Ok(())
    }
}

fn convert_field(f: RawField, line: usize) -> Result<Field, String> {
    let need = |v: Option<u32>, key: &str| v.ok_or_else(|| format!("part = \"{}\" needs `{key}`", f.part));
    let place = match f.part.as_str() {
        "cover" => Place::Cover { line: need(f.line, "line")? },
        "table" => Place::Table {
            row: need(f.row, "row")?,
            col: need(f.col, "col")?,
            span: f.span.unwrap_or(1),
            label_at: f.label_at,
        },
        "sentence" => Place::Sentence {
            in_box: f.in_box.clone().ok_or("part = \"sentence\" needs `in` (the approval box)")?,
        },
        other => return Err(format!("unknown part `{other}` (expected cover, table or sentence)")),
    };
    match f.kind {
        Kind::Enum if f.values.is_empty() => return Err("kind = \"enum\" needs `values`".into()),
        Kind::Vote if !matches!(place, Place::Sentence { .. }) => {
            return Err("kind = \"vote\" must be a blank of a sentence (part = \"sentence\")".into())
        }
        Kind::Approval if !matches!(place, Place::Table { .. }) => {
            return Err("kind = \"approval\" must sit in the table".into())
        }
        _ => {}
    }
    if f.kind != Kind::Enum && (!f.values.is_empty() || !f.aliases.is_empty()) {
        return Err("`values` and `aliases` belong to kind = \"enum\"".into());
    }
    for (alias, target) in &f.aliases {
        if !f.values.contains(target) {
            return Err(format!("alias `{alias}` maps to `{target}`, which is not one of `values`"));
        }
    }
    let approval = if f.kind == Kind::Approval {
        Some(ApprovalText {
            signer: f.signer.ok_or("kind = \"approval\" needs `signer`")?,
            seal: f.seal,
            date: f.date.ok_or("kind = \"approval\" needs `date`")?,
            sentence: f.sentence,
        })
    } else {
        if f.signer.is_some() || f.seal.is_some() || f.date.is_some() || f.sentence.is_some() {
            return Err("`signer`, `seal`, `date` and `sentence` belong to kind = \"approval\"".into());
        }
        None
    };
    let label = f.label.trim().to_string();
    if label.is_empty() {
        return Err("`label` is empty".into());
    }
    Ok(Field {
        id: f.id.into_inner(),
        print: f.print.unwrap_or_else(|| label.clone()),
        label,
        variants: f.variants,
        kind: f.kind,
        required: f.required,
        place,
        hint: f.hint,
        values: f.values,
        aliases: f.aliases,
        open: f.open,
        approval,
        same_as: f.same_as,
        line,
    })
}

/// A piece of an approval box's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentencePart<'a> {
    Text(&'a str),
    Blank(&'a str),
}

/// Splits `经{votes.term}届…` into printed text and `{field_id}` blanks.
pub fn sentence_parts(sentence: &str) -> Vec<SentencePart<'_>> {
    let mut out = Vec::new();
    let mut rest = sentence;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        if open > 0 {
            out.push(SentencePart::Text(&rest[..open]));
        }
        out.push(SentencePart::Blank(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(SentencePart::Text(rest));
    }
    out
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_spec_loads_every_contract_field() {
        let spec = Spec::builtin();
        for id in [
            "cover_name", "cover_employer", "cover_region", "fill_date", "name", "gender",
            "birth_month", "native_place", "ethnicity", "political_status", "education",
            "work_start", "id_number", "employer", "phone", "position", "title", "skill_level",
            "awards", "resume", "social_relations", "deeds",
        ] {
            assert!(spec.field(id).is_some(), "{id} missing");
        }
        assert_eq!(spec.approvals().count(), 6);
        let blanks: Vec<_> = spec.sentence_fields("unit_congress").iter().map(|f| f.vote_key().unwrap()).collect();
        assert_eq!(blanks, ["term", "session", "attended", "approved", "opposed"]);
        assert_eq!(spec.field("ethnicity").unwrap().values.len(), 56);
    }

    #[test]
    fn sentence_parts_split_blanks() {
        let p = sentence_parts("经{a}届{b}次。");
        assert_eq!(p, [SentencePart::Text("经"), SentencePart::Blank("a"), SentencePart::Text("届"), SentencePart::Blank("b"), SentencePart::Text("次。")]);
    }

    fn broken(from: &str, to: &str) -> String {
        let text = BUILTIN_SPEC.replacen(from, to, 1);
        assert_ne!(text, BUILTIN_SPEC, "test edit `{from}` did not apply");
        Spec::parse(&text, Path::new("x.toml")).unwrap_err().to_string()
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let msg = broken("kind = \"month\"", "kind = \"moonth\"");
        let line = BUILTIN_SPEC.lines().position(|l| l == "kind = \"month\"").unwrap() + 1;
        assert!(msg.starts_with(&format!("x.toml:{line}:")), "{msg}");
        assert!(msg.contains("moonth"), "{msg}");
    }

    #[test]
    fn duplicate_id_is_reported_at_its_line() {
        let msg = broken("id = \"gender\"", "id = \"name\"");
        let line = BUILTIN_SPEC.lines().position(|l| l == "id = \"gender\"").unwrap() + 1;
        assert!(msg.starts_with(&format!("x.toml:{line}:")), "{msg}");
        assert!(msg.contains("repeats"), "{msg}");
    }

    #[test]
    fn overlapping_cells_are_rejected() {
        let msg = broken("row = 1\ncol = 3", "row = 1\ncol = 5");
        assert!(msg.contains("overlaps"), "{msg}");
    }

    #[test]
    fn uncovered_grid_is_rejected() {
        let msg = broken("row = 7\ncol = 5\nspan = 2", "row = 7\ncol = 5\nspan = 1");
        assert!(msg.contains("row 7, column 6"), "{msg}");
    }

    #[test]
    fn sentence_must_name_its_blanks() {
        let msg = broken("反对{votes.opposed}人", "反对人");
        assert!(msg.contains("votes.opposed"), "{msg}");
    }

    #[test]
    fn enum_alias_must_target_a_value() {
        let msg = broken("\"男性\" = \"男\"", "\"男性\" = \"男人\"");
        assert!(msg.contains("男人"), "{msg}");
    }
}
