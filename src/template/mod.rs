//! `formscan template`: draws the fillable form as .docx from the spec.
//!
//! docx-rs builds the document; what it cannot express (content-control tags, locks, list
//! items, document protection) is added by [`ooxml_patch`], which is the only place that edits
//! the XML as text. Every value cell and vote blank is a content control tagged with its field
//! id, so the Word reader can take values by tag and a pre-filled copy is the same document
//! with text in the controls.

pub mod ooxml_patch;
mod units;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use docx_rs::*;

use crate::error::TemplateError;
use crate::spec::{Field, Kind, LabelAt, Place, SentencePart, Spec};
use ooxml_patch::{SdtKind, SdtProps};

pub use units::{read_units, unit_file_name, Unit};

/// Values to pre-fill, by field id.
pub type Prefill = BTreeMap<String, String>;

/// Half-points, the unit of `w:sz`.
const TITLE_SIZE: usize = 44; // 二号
const SUBTITLE_SIZE: usize = 52; // 一号
const COVER_SIZE: usize = 32; // 三号
const TABLE_SIZE: usize = 21; // 五号
const NOTE_SIZE: usize = 21; // 五号
/// The grey Word uses for placeholder text.
const PLACEHOLDER_COLOR: &str = "808080";
/// Where the cover's values start, from the left margin (labels have different widths).
const COVER_VALUE_AT_MM: f32 = 62.0;
/// Where the cover's writing lines end, from the left margin.
const COVER_LINE_END_MM: f32 = 140.0;
/// Paragraph styles carrying the size and font of the cover lines and of the table: text
/// typed into a content control takes its look from the paragraph style in every word
/// processor (LibreOffice ignores run formatting inside controls).
const COVER_STYLE: &str = "FormCover";
const TABLE_STYLE: &str = "FormTable";
/// Exact line pitch inside the approval boxes, in twips (18 pt), so blank lines have a known
/// height and the signature space follows from the row's height.
const BOX_LINE_TWIPS: i32 = 360;

fn twips(mm: f32) -> i32 {
    (mm * 1440.0 / 25.4).round() as i32
}

/// Checks `--set` values against the spec before anything is drawn.
pub fn check_prefill(spec: &Spec, values: &Prefill) -> Result<(), TemplateError> {
    for (id, value) in values {
        let field = spec.field(id).ok_or_else(|| TemplateError::UnknownField(id.clone()))?;
        let bad = |reason: &str| TemplateError::BadValue {
            id: id.clone(),
            value: value.clone(),
            reason: reason.to_string(),
        };
        match field.kind {
            Kind::Approval => return Err(bad("an approval box is signed and stamped by hand, not filled")),
            Kind::Vote if crate::fields::normalize::parse_count(value).is_none() => {
                return Err(bad("a vote count is a whole number (digits or Chinese numerals)"))
            }
            Kind::Date if iso_date(value).is_none() => return Err(bad("give the date as YYYY-MM-DD")),
            _ => {}
        }
    }
    Ok(())
}

fn iso_date(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.trim().splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    ((1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

/// The form as .docx bytes, blank or pre-filled.
pub fn build_docx(spec: &Spec, values: &Prefill) -> Result<Vec<u8>, TemplateError> {
    check_prefill(spec, values)?;
    let mut b = Builder { spec, values, sdts: Vec::new() };
    let docx = b.document();
    let mut xml = docx.build();
    let document = String::from_utf8(std::mem::take(&mut xml.document)).map_err(|e| TemplateError::Build(e.to_string()))?;
    xml.document = ooxml_patch::patch_document(&document, &b.sdts).map_err(TemplateError::Build)?.into_bytes();
    let settings = String::from_utf8(std::mem::take(&mut xml.settings)).map_err(|e| TemplateError::Build(e.to_string()))?;
    xml.settings = ooxml_patch::protect_for_forms(&settings).map_err(TemplateError::Build)?.into_bytes();
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| TemplateError::Build(e.to_string()))?;
    Ok(out.into_inner())
}

/// Writes the form to `path` atomically.
pub fn write_docx(spec: &Spec, values: &Prefill, path: &Path) -> Result<(), TemplateError> {
    let bytes = build_docx(spec, values)?;
    crate::fsutil::write_atomic(path, &bytes).map_err(|source| TemplateError::Write { path: path.to_path_buf(), source })
}

/// Where `-o PATH` puts a single form: PATH itself when it names a .docx, else a file named
/// after the form inside the folder PATH.
pub fn output_file(spec: &Spec, path: &Path) -> PathBuf {
    let is_file = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("docx"));
    if is_file {
        path.to_path_buf()
    } else {
        path.join(format!("{}.docx", spec.form.id))
    }
}

/// How an empty control looks on the printed form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blank {
    /// A line to write on, as the cover and the vote sentence print their blanks.
    Underlined,
    /// The blank as the official form prints it (the fill date's `    年  月  日`).
    Printed,
    /// A grey hint inside a value cell, as Word shows placeholder text.
    Hint,
}

struct Builder<'a> {
    spec: &'a Spec,
    values: &'a Prefill,
    sdts: Vec<SdtProps>,
}

impl Builder<'_> {
    fn document(&mut self) -> Docx {
        let p = &self.spec.page;
        let fonts = RunFonts::new()
            .ascii(&p.latin_font)
            .hi_ansi(&p.latin_font)
            .east_asia(&p.body_font)
            .cs(&p.latin_font);
        let mut docx = Docx::new()
            .page_size(twips(p.width_mm) as u32, twips(p.height_mm) as u32)
            .page_margin(PageMargin {
                top: twips(p.margin_top_mm),
                bottom: twips(p.margin_bottom_mm),
                left: twips(p.margin_left_mm),
                right: twips(p.margin_right_mm),
                header: 851,
                footer: 992,
                gutter: 0,
            })
            .default_fonts(fonts)
            .default_size(TABLE_SIZE)
            .add_style(Style::new(COVER_STYLE, StyleType::Paragraph).name("Form cover line").size(COVER_SIZE).fonts(self.font(&p.body_font)))
            .add_style(Style::new(TABLE_STYLE, StyleType::Paragraph).name("Form table").size(TABLE_SIZE).fonts(self.font(&p.table_font)));
        for para in self.cover() {
            docx = docx.add_paragraph(para);
        }
        docx = docx.add_table(self.makers());
        // The page break sits in a 1 pt paragraph so that it adds no visible line on page 2.
        docx = docx.add_paragraph(
            Paragraph::new()
                .size(2)
                .line_spacing(LineSpacing::new().line(20).line_rule(LineSpacingType::Exact))
                .add_run(Run::new().size(2).add_break(BreakType::Page)),
        );
        docx = docx.add_table(self.table());
        for para in self.notes() {
            docx = docx.add_paragraph(para);
        }
        docx
    }

    fn font(&self, name: &str) -> RunFonts {
        let latin = &self.spec.page.latin_font;
        RunFonts::new().ascii(latin).hi_ansi(latin).east_asia(name).hint("eastAsia")
    }

    fn text_run(&self, text: &str, size: usize, font: &str) -> Run {
        Run::new().add_text(text).size(size).fonts(self.font(font))
    }

    // ------------------------------------------------------------------ cover

    fn cover(&mut self) -> Vec<Paragraph> {
        let title_font = self.spec.page.title_font.clone();
        let body_font = self.spec.page.body_font.clone();
        let mut out = vec![blank_lines(2, COVER_SIZE)];
        for (i, line) in self.spec.cover.title_lines.iter().enumerate() {
            let size = if i == 0 { TITLE_SIZE } else { SUBTITLE_SIZE };
            out.push(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().before(if i == 0 { 0 } else { 240 }))
                    .add_run(self.text_run(line, size, &title_font).bold()),
            );
        }
        out.push(blank_lines(5, COVER_SIZE));
        for field in self.spec.cover_fields() {
            let mut para = Paragraph::new()
                .style(COVER_STYLE)
                .indent(Some(twips(18.0)), None, None, None)
                .line_spacing(LineSpacing::new().before(240).after(240))
                .add_run(self.text_run(&field.print, COVER_SIZE, &body_font));
            if field.kind == Kind::Date {
                para = para.add_run(self.text_run("  ", COVER_SIZE, &body_font));
            }
            if field.kind == Kind::Date {
                let sdt = self.inline_sdt(field, COVER_SIZE, &body_font, Blank::Printed);
                out.push(para.add_structured_data_tag(sdt));
                continue;
            }
            // The line to write on is the control's underline continued by an underscore tab
            // leader to a fixed stop: LibreOffice drops the formatting inside content
            // controls, and the leader keeps the line there too.
            let sdt = self.inline_sdt(field, COVER_SIZE, &body_font, Blank::Underlined);
            out.push(
                para.add_tab(Tab::new().val(TabValueType::Left).pos(twips(COVER_VALUE_AT_MM) as usize))
                    .add_tab(Tab::new().val(TabValueType::Left).leader(TabLeaderType::Underscore).pos(twips(COVER_LINE_END_MM) as usize))
                    .add_run(Run::new().add_tab())
                    .add_structured_data_tag(sdt)
                    .add_run(Run::new().add_tab()),
            );
        }
        out.push(blank_lines(6, COVER_SIZE));
        out
    }

    /// The issuing bodies, stacked, with `制` beside them: a borderless 1×2 table, as the
    /// official cover draws it.
    fn makers(&self) -> Table {
        let font = self.spec.page.body_font.clone();
        let mut left = TableCell::new().vertical_align(VAlignType::Center).width(twips(95.0) as usize, WidthType::Dxa);
        for line in &self.spec.cover.maker_lines {
            left = left.add_paragraph(Paragraph::new().align(AlignmentType::Distribute).add_run(self.text_run(line, COVER_SIZE, &font)));
        }
        let right = TableCell::new()
            .vertical_align(VAlignType::Center)
            .width(twips(20.0) as usize, WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(self.text_run(&self.spec.cover.maker_suffix, COVER_SIZE, &font)));
        Table::without_borders(vec![TableRow::new(vec![left, right])])
            .set_grid(vec![twips(95.0) as usize, twips(20.0) as usize])
            .align(TableAlignmentType::Center)
    }

    // ------------------------------------------------------------------ table

    fn table(&mut self) -> Table {
        let spec = self.spec;
        let widths: Vec<usize> = spec.table.columns_mm.iter().map(|w| twips(*w) as usize).collect();
        let mut rows = Vec::new();
        for row in 1..=spec.row_count() {
            let mut cells: Vec<(u32, TableCell)> = Vec::new();
            for s in &spec.table.statics {
                if row >= s.row && row < s.row + s.rows {
                    let mut cell = TableCell::new().grid_span(s.span as usize).vertical_align(VAlignType::Center);
                    if s.rows > 1 {
                        let first = row == s.row;
                        cell = cell.vertical_merge(if first { VMergeType::Restart } else { VMergeType::Continue });
                        if !first {
                            cells.push((s.col, cell.add_paragraph(Paragraph::new())));
                            continue;
                        }
                    }
                    for line in &s.text {
                        cell = cell.add_paragraph(self.centered(line));
                    }
                    cells.push((s.col, cell));
                }
            }
            let in_row: Vec<&Field> = spec
                .fields
                .iter()
                .filter(|f| matches!(f.place, Place::Table { row: r, .. } if r == row))
                .collect();
            for field in in_row {
                let Place::Table { col, span, label_at, .. } = field.place else { continue };
                if label_at == LabelAt::Left {
                    cells.push((col - 1, self.label_cell(field)));
                }
                let cell = if field.kind == Kind::Approval {
                    self.approval_cell(field, row)
                } else {
                    self.value_cell(field)
                };
                cells.push((col, cell.grid_span(span as usize)));
            }
            cells.sort_by_key(|(c, _)| *c);
            let height = twips(spec.table.row_heights_mm[row as usize - 1]) as f32;
            rows.push(
                TableRow::new(cells.into_iter().map(|(_, c)| c).collect())
                    .row_height(height)
                    .height_rule(HeightRule::AtLeast)
                    .cant_split(),
            );
        }
        let total: usize = widths.iter().sum();
        Table::new(rows)
            .set_grid(widths)
            .width(total, WidthType::Dxa)
            .layout(TableLayoutType::Fixed)
            .align(TableAlignmentType::Center)
    }

    fn centered(&self, text: &str) -> Paragraph {
        Paragraph::new()
            .style(TABLE_STYLE)
            .align(AlignmentType::Center)
            .add_run(self.text_run(text, TABLE_SIZE, &self.spec.page.table_font.clone()))
    }

    fn label_cell(&self, field: &Field) -> TableCell {
        TableCell::new().vertical_align(VAlignType::Center).add_paragraph(self.centered(&field.print))
    }

    fn value_cell(&mut self, field: &Field) -> TableCell {
        let font = self.spec.page.table_font.clone();
        if field.kind == Kind::Multiline {
            let sdt = self.block_sdt(field, &font);
            return TableCell::new().vertical_align(VAlignType::Top).add_structured_data_tag(sdt);
        }
        let sdt = self.inline_sdt(field, TABLE_SIZE, &font, Blank::Hint);
        TableCell::new()
            .vertical_align(VAlignType::Center)
            .add_paragraph(Paragraph::new().style(TABLE_STYLE).align(AlignmentType::Center).add_structured_data_tag(sdt))
    }

    /// An approval box: optional sentence with vote blanks, room to sign, signer, seal, date.
    /// Rows 12–14 keep with the next row so that the four rows of boxes share one page.
    fn approval_cell(&mut self, field: &Field, row: u32) -> TableCell {
        let font = self.spec.page.table_font.clone();
        let keep = row < self.spec.row_count();
        let text = field.approval.clone().unwrap_or_default();
        let exact = || LineSpacing::new().line(BOX_LINE_TWIPS).line_rule(LineSpacingType::Exact);
        let mut paras = Vec::new();
        if let Place::Table { label_at: LabelAt::Inside, .. } = field.place {
            paras.push(Paragraph::new().add_run(self.text_run(&field.print, TABLE_SIZE, &font)));
        }
        if let Some(sentence) = &text.sentence {
            let mut p = Paragraph::new().indent(None, Some(SpecialIndentType::FirstLine(480)), None, None);
            for part in crate::spec::sentence_parts(sentence) {
                match part {
                    SentencePart::Text(t) => p = p.add_run(self.text_run(t, TABLE_SIZE, &font)),
                    SentencePart::Blank(id) => {
                        if let Some(blank) = self.spec.field(id).cloned() {
                            let sdt = self.inline_sdt(&blank, TABLE_SIZE, &font, Blank::Underlined);
                            p = p.add_structured_data_tag(sdt);
                        }
                    }
                }
            }
            paras.push(p);
        }
        let printed_lines = paras.len() as i32 + 2 + i32::from(text.seal.is_some());
        let height = twips(self.spec.table.row_heights_mm[row as usize - 1]);
        let room = ((height - twips(4.0)) / BOX_LINE_TWIPS - printed_lines).max(1);
        for _ in 0..room {
            paras.push(Paragraph::new());
        }
        paras.push(Paragraph::new().indent(Some(480), None, None, None).add_run(self.text_run(&text.signer, TABLE_SIZE, &font)));
        if let Some(seal) = &text.seal {
            paras.push(Paragraph::new().align(AlignmentType::Right).indent(None, None, Some(1920), None).add_run(self.text_run(seal, TABLE_SIZE, &font)));
        }
        paras.push(Paragraph::new().align(AlignmentType::Right).indent(None, None, Some(720), None).add_run(self.text_run(&text.date, TABLE_SIZE, &font)));
        let mut cell = TableCell::new().vertical_align(VAlignType::Top);
        for p in paras {
            cell = cell.add_paragraph(p.style(TABLE_STYLE).line_spacing(exact()).keep_next(keep).keep_lines(true));
        }
        cell
    }

    // ------------------------------------------------------------------ content controls

    fn register(&mut self, field: &Field, kind: SdtKind, filled: bool) -> String {
        let key = format!("formscan-sdt-{}", self.sdts.len());
        self.sdts.push(SdtProps {
            key: key.clone(),
            tag: field.id.clone(),
            alias: field.label.clone(),
            showing_placeholder: !filled,
            kind,
        });
        key
    }

    fn sdt_kind(&self, field: &Field) -> SdtKind {
        match field.kind {
            Kind::Date => SdtKind::Date { iso: self.values.get(&field.id).and_then(|v| iso_date(v)) },
            Kind::Enum if field.open => SdtKind::ComboBox(field.values.clone()),
            Kind::Enum => SdtKind::DropDown(field.values.clone()),
            Kind::Multiline => SdtKind::RichText,
            _ => SdtKind::PlainText,
        }
    }

    /// A run-level control, shown empty in the given style.
    fn inline_sdt(&mut self, field: &Field, size: usize, font: &str, style: Blank) -> StructuredDataTag {
        let value = self.values.get(&field.id).map(|v| display_value(field, v));
        let kind = self.sdt_kind(field);
        let key = self.register(field, kind, value.is_some());
        let text = match (&value, style) {
            (Some(v), _) => v.clone(),
            (None, Blank::Hint) => field.hint.clone().unwrap_or_else(|| blank_for(field, style)),
            (None, _) => blank_for(field, style),
        };
        let mut run = self.text_run(&text, size, font);
        if style == Blank::Underlined {
            run = run.underline("single");
        }
        if value.is_none() && style == Blank::Hint {
            run = run.color(PLACEHOLDER_COLOR);
        }
        StructuredDataTag::new().alias(key).add_run(run)
    }

    /// A cell-level control holding paragraphs, for the tall free-text rows.
    fn block_sdt(&mut self, field: &Field, font: &str) -> StructuredDataTag {
        let value = self.values.get(&field.id).cloned();
        let key = self.register(field, SdtKind::RichText, value.is_some());
        let mut sdt = StructuredDataTag::new().alias(key);
        match value {
            Some(v) => {
                for line in v.lines() {
                    sdt = sdt.add_paragraph(Paragraph::new().style(TABLE_STYLE).add_run(self.text_run(line, TABLE_SIZE, font)));
                }
            }
            None => {
                let hint = field.hint.clone().unwrap_or_else(|| blank_for(field, Blank::Hint));
                sdt = sdt.add_paragraph(Paragraph::new().style(TABLE_STYLE).add_run(self.text_run(&hint, TABLE_SIZE, font).color(PLACEHOLDER_COLOR)));
            }
        }
        sdt
    }

    // ------------------------------------------------------------------ notes

    fn notes(&self) -> Vec<Paragraph> {
        let font = self.spec.page.body_font.clone();
        let n = &self.spec.notes;
        let mut out = vec![Paragraph::new()
            .line_spacing(LineSpacing::new().before(120))
            .add_run(self.text_run(&n.heading, NOTE_SIZE, &font).bold())];
        for item in &n.items {
            out.push(Paragraph::new().indent(None, Some(SpecialIndentType::FirstLine(420)), None, None).add_run(self.text_run(item, NOTE_SIZE, &font)));
        }
        let text_width = twips(self.spec.page.width_mm - self.spec.page.margin_left_mm - self.spec.page.margin_right_mm);
        let mut closing = Paragraph::new()
            .line_spacing(LineSpacing::new().before(240))
            .add_tab(Tab::new().val(TabValueType::Right).pos(text_width as usize));
        for (i, part) in n.closing.iter().enumerate() {
            if i > 0 {
                closing = closing.add_run(Run::new().add_tab());
            }
            closing = closing.add_run(self.text_run(part, NOTE_SIZE, &font));
        }
        out.push(closing);
        out
    }
}

/// How a pre-filled value is shown: dates as the form writes them, the rest as given.
fn display_value(field: &Field, value: &str) -> String {
    match (field.kind, iso_date(value)) {
        (Kind::Date, Some((y, m, d))) => format!("{y}年{m}月{d}日"),
        _ => value.trim().to_string(),
    }
}

/// What an empty control shows when it has no hint.
fn blank_for(field: &Field, style: Blank) -> String {
    match (field.kind, style) {
        (Kind::Date, _) => field.hint.clone().unwrap_or_else(|| "    年  月  日".into()),
        // A line long enough to write a unit's name on.
        (_, Blank::Underlined) => "\u{3000}\u{3000}".to_string(),
        _ => "\u{3000}".repeat(4),
    }
}

fn blank_lines(n: usize, size: usize) -> Paragraph {
    let mut p = Paragraph::new().size(size);
    for i in 0..n {
        if i > 0 {
            p = p.add_run(Run::new().size(size).add_break(BreakType::TextWrapping));
        }
    }
    p
}
