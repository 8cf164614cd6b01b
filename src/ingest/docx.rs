//! Reads a .docx into a small model: body paragraphs, tables with their merged cells, and the
//! content controls with their tags. `zip` + `quick-xml` under byte caps, never docx-rs's
//! reader (it trusts the sizes a zip claims and panics on a corrupt stream).

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{Unreadable, ZipLimits};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VMerge {
    #[default]
    None,
    Restart,
    Continue,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Paragraphs joined by `\n`; line breaks inside a paragraph are `\n` too.
    pub text: String,
    /// First grid column and the number of grid columns spanned.
    pub col: u32,
    pub span: u32,
    pub vmerge: VMerge,
    /// A picture, drawing or embedded object sits in the cell (a pasted seal or signature).
    pub has_image: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(String),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Control {
    pub tag: String,
    pub alias: String,
    pub text: String,
    /// The control still shows its placeholder (`w:showingPlcHdr`): nothing was typed.
    pub placeholder: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocxModel {
    pub blocks: Vec<Block>,
    pub controls: Vec<Control>,
}

impl DocxModel {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }
}

/// Opens the package and parses `word/document.xml`.
pub fn read_docx(bytes: &[u8], limits: &ZipLimits) -> Result<DocxModel, Unreadable> {
    let document = read_document_xml(bytes, limits)?;
    parse_document(&document)
}

fn read_document_xml(bytes: &[u8], limits: &ZipLimits) -> Result<Vec<u8>, Unreadable> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| Unreadable::CorruptZip(e.to_string()))?;
    if zip.len() > limits.max_entries {
        return Err(Unreadable::ZipBomb(format!("{} entries (limit {})", zip.len(), limits.max_entries)));
    }
    // Sum of the sizes the entries claim: a cheap first guard, checked again while reading.
    let mut claimed: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|e| Unreadable::CorruptZip(e.to_string()))?;
        claimed = claimed.saturating_add(f.size());
        let ratio = f.size() / f.compressed_size().max(1);
        if f.size() > 1_000_000 && ratio > limits.max_ratio {
            return Err(Unreadable::ZipBomb(format!("{} expands {ratio}:1", f.name())));
        }
    }
    if claimed > limits.max_total_bytes {
        return Err(Unreadable::ZipBomb(format!("{} MB when unpacked (limit {} MB)", claimed >> 20, limits.max_total_bytes >> 20)));
    }
    let mut entry = match zip.by_name("word/document.xml") {
        Ok(e) => e,
        Err(zip::result::ZipError::FileNotFound) => return Err(Unreadable::NotWord),
        Err(e) => return Err(Unreadable::CorruptZip(e.to_string())),
    };
    let cap = limits.max_total_bytes.min(limits.max_document_bytes);
    let mut out = Vec::with_capacity(entry.size().min(cap) as usize);
    // Read one byte past the cap so that a lying header cannot slip a bigger stream through.
    (&mut entry).take(cap + 1).read_to_end(&mut out).map_err(|e| Unreadable::CorruptZip(e.to_string()))?;
    if out.len() as u64 > cap {
        return Err(Unreadable::ZipBomb(format!("word/document.xml exceeds {} MB", cap >> 20)));
    }
    Ok(out)
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| local(a.key.as_ref()) == key).and_then(|a| a.unescape_value().ok()).map(|v| v.into_owned())
}

#[derive(Default)]
struct CellBuilder {
    cell: Cell,
    paragraphs: Vec<String>,
}

#[derive(Default)]
struct ControlBuilder {
    control: Control,
    /// Length of the paragraph text when the control opened.
    para_start: usize,
    in_content: bool,
    paragraphs: Vec<String>,
    line: String,
}

/// Parses document.xml. Text in deleted revisions, field instructions and the fallback copy
/// of alternate content is skipped, as a reader of the page would not see it twice.
pub fn parse_document(xml: &[u8]) -> Result<DocxModel, Unreadable> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut model = DocxModel::default();
    let mut buf = Vec::new();

    let mut table_depth = 0usize;
    let mut table = Table::default();
    let mut row: Vec<Cell> = Vec::new();
    let mut next_col = 0u32;
    let mut cell: Option<CellBuilder> = None;
    let mut para = String::new();
    let mut in_para = false;
    let mut controls: Vec<ControlBuilder> = Vec::new();
    let mut skip_depth = 0usize; // inside delText/instrText/Fallback
    // The control that closed last in this paragraph: (alias, text, paragraph length after it).
    let mut last_closed: Option<(String, String, usize)> = None;
    let mut in_text = false;

    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| Unreadable::BadXml(e.to_string()))?;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.name();
                let n = local(name.as_ref());
                if skip_depth > 0 {
                    if !empty {
                        skip_depth += 1;
                    }
                    continue;
                }
                match n {
                    b"delText" | b"instrText" | b"Fallback" | b"del" if !empty => skip_depth = 1,
                    b"tbl" if !empty => {
                        table_depth += 1;
                        if table_depth == 1 {
                            table = Table::default();
                        }
                    }
                    b"tr" if table_depth == 1 && !empty => {
                        row = Vec::new();
                        next_col = 0;
                    }
                    b"gridBefore" if table_depth == 1 => next_col += attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                    b"tc" if table_depth == 1 && !empty => {
                        cell = Some(CellBuilder { cell: Cell { col: next_col, span: 1, ..Cell::default() }, ..Default::default() });
                    }
                    b"gridSpan" if table_depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.cell.span = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1).clamp(1, 64);
                        }
                    }
                    b"vMerge" if table_depth == 1 => {
                        if let Some(c) = cell.as_mut() {
                            c.cell.vmerge = if attr(e, b"val").as_deref() == Some("restart") { VMerge::Restart } else { VMerge::Continue };
                        }
                    }
                    b"p" if !empty => {
                        in_para = true;
                        para.clear();
                        last_closed = None;
                    }
                    b"t" if !empty => in_text = true,
                    b"tab" if in_para => push_text(&mut para, &mut controls, " "),
                    b"br" | b"cr" if in_para => push_text(&mut para, &mut controls, "\n"),
                    b"drawing" | b"pict" | b"object" => {
                        if let Some(c) = cell.as_mut() {
                            c.cell.has_image = true;
                        }
                    }
                    b"sdt" if !empty => controls.push(ControlBuilder { para_start: para.len(), ..ControlBuilder::default() }),
                    b"sdtContent" if !empty => {
                        if let Some(c) = controls.last_mut() {
                            c.in_content = true;
                        }
                    }
                    b"tag" => {
                        if let Some(c) = controls.last_mut().filter(|c| !c.in_content) {
                            c.control.tag = attr(e, b"val").unwrap_or_default();
                        }
                    }
                    b"alias" => {
                        if let Some(c) = controls.last_mut().filter(|c| !c.in_content) {
                            c.control.alias = attr(e, b"val").unwrap_or_default();
                        }
                    }
                    b"showingPlcHdr" => {
                        if let Some(c) = controls.last_mut().filter(|c| !c.in_content) {
                            c.control.placeholder = attr(e, b"val").map_or(true, |v| v != "0" && v != "false");
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_text && skip_depth == 0 => {
                let s = t.unescape().map_err(|e| Unreadable::BadXml(e.to_string()))?;
                push_text(&mut para, &mut controls, &s);
            }
            Event::End(ref e) => {
                let name = e.name();
                let n = local(name.as_ref());
                if skip_depth > 0 {
                    skip_depth -= 1;
                    continue;
                }
                match n {
                    b"t" => in_text = false,
                    b"p" => {
                        in_para = false;
                        for c in controls.iter_mut().filter(|c| c.in_content) {
                            c.paragraphs.push(std::mem::take(&mut c.line));
                        }
                        let text = std::mem::take(&mut para);
                        if let Some(c) = cell.as_mut() {
                            c.paragraphs.push(text);
                        } else if table_depth == 0 {
                            model.blocks.push(Block::Paragraph(text));
                        }
                    }
                    b"tc" if table_depth == 1 => {
                        if let Some(mut c) = cell.take() {
                            c.cell.text = c.paragraphs.join("\n").trim_matches('\n').to_string();
                            next_col = c.cell.col + c.cell.span;
                            row.push(c.cell);
                        }
                    }
                    b"tr" if table_depth == 1 => table.rows.push(std::mem::take(&mut row)),
                    b"tbl" => {
                        if table_depth == 1 {
                            model.blocks.push(Block::Table(std::mem::take(&mut table)));
                        }
                        table_depth = table_depth.saturating_sub(1);
                    }
                    b"sdtContent" => {
                        if let Some(c) = controls.last_mut() {
                            c.in_content = false;
                        }
                    }
                    b"sdt" => {
                        if let Some(mut c) = controls.pop() {
                            if !c.line.is_empty() {
                                c.paragraphs.push(std::mem::take(&mut c.line));
                            }
                            c.control.text = c.paragraphs.join("\n").trim_matches('\n').to_string();
                            // LibreOffice 7.x saves each inline control as several adjacent
                            // copies, each ending with the text (some with stray fragments
                            // before it), and drops the tag: keep the first copy only.
                            let echo = last_closed.as_ref().is_some_and(|(alias, text, end)| {
                                *end == c.para_start && !alias.is_empty() && *alias == c.control.alias && !text.is_empty() && c.control.text.ends_with(text.as_str())
                            });
                            if echo {
                                para.truncate(c.para_start);
                                for open in controls.iter_mut().filter(|o| o.in_content) {
                                    let keep = open.line.len().saturating_sub(c.control.text.len());
                                    open.line.truncate(keep);
                                }
                                continue;
                            }
                            last_closed = Some((c.control.alias.clone(), c.control.text.clone(), para.len()));
                            model.controls.push(c.control);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(model)
}

fn push_text(para: &mut String, controls: &mut [ControlBuilder], s: &str) {
    para.push_str(s);
    for c in controls.iter_mut().filter(|c| c.in_content) {
        c.line.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn parse(body: &str) -> DocxModel {
        parse_document(format!("<w:document {W}><w:body>{body}</w:body></w:document>").as_bytes()).unwrap()
    }

    #[test]
    fn runs_split_anywhere_join_and_breaks_become_newlines() {
        let m = parse(r#"<w:p><w:r><w:t>姓</w:t></w:r><w:r><w:t xml:space="preserve"> 名</w:t><w:br/><w:t>张</w:t></w:r></w:p>"#);
        assert_eq!(m.blocks, [Block::Paragraph("姓 名\n张".into())]);
    }

    #[test]
    fn deleted_text_and_field_codes_are_not_read() {
        let m = parse(r#"<w:p><w:del><w:r><w:delText>旧</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText><w:t>新</w:t></w:r></w:p>"#);
        assert_eq!(m.blocks, [Block::Paragraph("新".into())]);
    }

    #[test]
    fn cells_know_their_grid_columns_and_merges() {
        let m = parse(r#"<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="3"/><w:vMerge w:val="restart"/></w:tcPr><w:p/><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:drawing/></w:r></w:p></w:tc></w:tr></w:tbl>"#);
        let Block::Table(t) = &m.blocks[0] else { panic!() };
        let r = &t.rows[0];
        assert_eq!((r[0].col, r[0].span, r[0].text.as_str()), (0, 1, "a"));
        assert_eq!((r[1].col, r[1].span, r[1].text.as_str(), &r[1].vmerge), (1, 3, "b", &VMerge::Restart));
        assert_eq!((r[2].col, &r[2].vmerge, r[2].has_image), (4, &VMerge::Continue, true));
    }

    #[test]
    fn controls_carry_tag_text_and_placeholder_state() {
        let m = parse(r#"<w:p><w:sdt><w:sdtPr><w:alias w:val="姓名"/><w:tag w:val="name"/></w:sdtPr><w:sdtContent><w:r><w:t>张</w:t></w:r><w:r><w:t>三</w:t></w:r></w:sdtContent></w:sdt><w:sdt><w:sdtPr><w:tag w:val="gender"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>男/女</w:t></w:r></w:sdtContent></w:sdt></w:p>"#);
        assert_eq!(m.controls[0], Control { tag: "name".into(), alias: "姓名".into(), text: "张三".into(), placeholder: false });
        assert!(m.controls[1].placeholder);
        assert_eq!(m.blocks, [Block::Paragraph("张三男/女".into())]);
    }

    #[test]
    fn libreoffice_echoed_controls_are_read_once() {
        let sdt = |t: &str| format!(r#"<w:sdt><w:sdtPr><w:alias w:val="职代会届次"/><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>{t}</w:t></w:r></w:sdtContent></w:sdt>"#);
        let body = format!("<w:p><w:r><w:t>经</w:t></w:r>{}{}{}{}<w:r><w:t>届</w:t></w:r></w:p>", sdt("七"), sdt("七</w:t><w:t>七"), sdt("年</w:t><w:t>七"), sdt("七"));
        let m = parse(&body);
        assert_eq!(m.blocks, [Block::Paragraph("经七届".into())]);
        assert_eq!(m.controls.len(), 1);
    }

    #[test]
    fn nested_tables_add_their_text_to_the_outer_cell() {
        let m = parse(r#"<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>内</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:t>外</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#);
        let Block::Table(t) = &m.blocks[0] else { panic!() };
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0].text, "内\n外");
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        assert!(parse_document(b"<w:document><w:body><w:p></w:body>").is_err());
    }
}
