//! From values to page images: a jittered copy of the spec, the filled .docx with its content
//! controls unwrapped (so that LibreOffice applies the run formatting), LibreOffice → PDF,
//! poppler → PNG, and the printed words with their boxes (`pdftotext -bbox-layout`).

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::process::Command;

use image::RgbImage;
use quick_xml::events::Event;
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::external;
use crate::spec::Spec;

use super::SampleError;

/// The East Asian fonts a unit's word processor may have set.
pub const FONTS: &[&str] = &["宋体", "仿宋", "黑体", "楷体", "Noto Serif CJK SC", "Noto Sans CJK SC"];
/// The handwriting-like font that vote numbers are sometimes set in.
pub const HAND_FONT: &str = "AR PL UKai CN";

/// A copy of the spec with the table's column widths (sum kept), row heights, page margins and
/// fonts varied, so that nothing downstream can rely on fixed positions.
pub fn jitter_spec(spec: &Spec, rng: &mut ChaCha8Rng) -> Spec {
    let mut s = spec.clone();
    let sum: f32 = s.table.columns_mm.iter().sum();
    for c in &mut s.table.columns_mm {
        *c *= 1.0 + rng.random_range(-0.15..0.15f32);
    }
    let new_sum: f32 = s.table.columns_mm.iter().sum();
    for c in &mut s.table.columns_mm {
        *c = (*c * sum / new_sum * 10.0).round() / 10.0;
    }
    // Rounding may leave a tenth of a millimetre over or under: the last column takes it.
    let drift = sum - s.table.columns_mm.iter().sum::<f32>();
    if let Some(last) = s.table.columns_mm.last_mut() {
        *last = ((*last + drift) * 10.0).round() / 10.0;
    }
    for h in &mut s.table.row_heights_mm {
        *h = (*h * (1.0 + rng.random_range(-0.15..0.15f32)) * 10.0).round() / 10.0;
    }
    let p = &mut s.page;
    for m in [&mut p.margin_top_mm, &mut p.margin_bottom_mm, &mut p.margin_left_mm, &mut p.margin_right_mm] {
        *m = ((*m + rng.random_range(-4.0..4.0f32)) * 10.0).round() / 10.0;
    }
    p.table_font = FONTS.choose(rng).expect("fonts").to_string();
    p.body_font = FONTS.choose(rng).expect("fonts").to_string();
    // The blanks of `年  月  日`: as the spec prints them, or wider, as many units' copies have.
    let date = *["", "年    月    日", "年\u{3000}\u{3000}月\u{3000}\u{3000}日", "年\u{3000}\u{3000}\u{3000}月\u{3000}\u{3000}日"].choose(rng).expect("dates");
    if !date.is_empty() {
        for f in s.fields.iter_mut() {
            if let Some(a) = f.approval.as_mut() {
                if squash(&a.date) == "年月日" {
                    a.date = date.to_string();
                }
            }
        }
    }
    s
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Replaces every content control `<w:sdt>…<w:sdtContent>X</w:sdtContent></w:sdt>` by X, innermost
/// first. `edit` sees each control's tag and content and returns the content to keep.
pub fn unwrap_content_controls(xml: &str, mut edit: impl FnMut(Option<&str>, &str) -> String) -> Result<String, String> {
    fn is_sdt_start(s: &str, at: usize) -> bool {
        let rest = &s[at + "<w:sdt".len()..];
        rest.starts_with('>') || rest.starts_with(' ')
    }
    let mut xml = xml.to_string();
    while let Some(close) = xml.find("</w:sdt>") {
        // The innermost control ends at the first closing tag; it starts at the last opening
        // `<w:sdt>` (not `<w:sdtPr>`, `<w:sdtContent>` …) before it.
        let start = xml[..close]
            .match_indices("<w:sdt")
            .map(|(i, _)| i)
            .filter(|&i| is_sdt_start(&xml, i))
            .last()
            .ok_or("</w:sdt> without its <w:sdt>")?;
        let inner = &xml[start..close];
        let tag = inner.find("<w:tag ").and_then(|t| {
            let v = inner[t..].find("w:val=\"")? + t + 7;
            let e = inner[v..].find('"')? + v;
            Some(inner[v..e].to_string())
        });
        let content = if let Some(c) = inner.find("<w:sdtContent>") {
            let from = c + "<w:sdtContent>".len();
            let to = inner.rfind("</w:sdtContent>").ok_or("<w:sdtContent> not closed")?;
            &inner[from..to]
        } else {
            // `<w:sdtContent/>`, or no content at all.
            ""
        };
        let kept = edit(tag.as_deref(), content);
        xml = format!("{}{kept}{}", &xml[..start], &xml[close + "</w:sdt>".len()..]);
    }
    if xml.contains("<w:sdt>") || xml.contains("<w:sdt ") {
        return Err("<w:sdt> without its </w:sdt>".into());
    }
    Ok(xml)
}

/// Sets every run in `content` in `font` (Latin and East Asian alike) and `half_points` size,
/// as a hand-filled blank looks when the numbers are written in.
pub fn set_run_font(content: &str, font: &str, half_points: u32) -> String {
    let fonts = format!(r#"<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>"#);
    let size = format!(r#"<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>"#);
    let mut out = String::with_capacity(content.len() + 200);
    let mut rest = content;
    while let Some(r) = [rest.find("<w:r>"), rest.find("<w:r ")].into_iter().flatten().min() {
        let open_end = r + rest[r..].find('>').map_or(0, |e| e + 1);
        out.push_str(&rest[..open_end]);
        rest = &rest[open_end..];
        if let Some(stripped) = rest.strip_prefix("<w:rPr>") {
            // Drop the run's own fonts and size; the new ones lead the properties.
            let end = stripped.find("</w:rPr>").unwrap_or(0);
            let props = strip_elements(&stripped[..end], &["<w:rFonts", "<w:sz ", "<w:szCs "]);
            // Schema order: the size goes before highlight, underline and what follows them.
            let at = ["<w:highlight", "<w:u ", "<w:effect", "<w:vertAlign", "<w:lang"]
                .iter()
                .filter_map(|e| props.find(e))
                .min()
                .unwrap_or(props.len());
            out.push_str(&format!("<w:rPr>{fonts}{}{size}{}</w:rPr>", &props[..at], &props[at..]));
            rest = &stripped[end + "</w:rPr>".len()..];
        } else {
            out.push_str(&format!("<w:rPr>{fonts}{size}</w:rPr>"));
        }
    }
    out.push_str(rest);
    out
}

/// Removes empty elements (`<w:x …/>`) that start with any of `starts`.
fn strip_elements(props: &str, starts: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = props;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let element = &rest[i..end];
        if !starts.iter().any(|s| element.starts_with(s)) {
            out.push_str(element);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The filled .docx as LibreOffice should print it: content controls unwrapped, and the vote
/// numbers in the handwriting font when `hand_votes`.
pub fn printable_docx(docx: &[u8], hand_votes: bool) -> Result<Vec<u8>, String> {
    let mut src = zip::ZipArchive::new(Cursor::new(docx)).map_err(|e| format!("the built .docx is not a zip: {e}"))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut f = src.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().to_string();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).map_err(|e| e.to_string())?;
        if name == "word/document.xml" {
            let xml = String::from_utf8(buf).map_err(|e| e.to_string())?;
            let unwrapped = unwrap_content_controls(&xml, |tag, content| match tag {
                Some(t) if hand_votes && t.starts_with("votes.") => set_run_font(content, HAND_FONT, 26),
                _ => content.to_string(),
            })?;
            buf = unwrapped.into_bytes();
        }
        out.start_file(name.as_str(), options).map_err(|e| e.to_string())?;
        out.write_all(&buf).map_err(|e| e.to_string())?;
    }
    Ok(out.finish().map_err(|e| e.to_string())?.into_inner())
}

/// A printed word and its box in PDF points (origin top left), as pdftotext reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// 0-based page.
    pub page: usize,
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub text: String,
}

impl Word {
    pub fn cx(&self) -> f32 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn cy(&self) -> f32 {
        (self.y0 + self.y1) / 2.0
    }
}

/// Parses the XHTML of `pdftotext -bbox-layout` (or `-bbox`) into words.
pub fn parse_bbox_xhtml(xhtml: &str) -> Result<Vec<Word>, String> {
    let mut reader = quick_xml::Reader::from_str(xhtml);
    let mut words = Vec::new();
    let mut page: Option<usize> = None;
    let mut current: Option<Word> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.name().as_ref() {
                b"page" => page = Some(page.map_or(0, |p| p + 1)),
                b"word" => {
                    let mut w = Word { page: page.unwrap_or(0), x0: 0.0, y0: 0.0, x1: 0.0, y1: 0.0, text: String::new() };
                    for a in e.attributes().flatten() {
                        let v: f32 = String::from_utf8_lossy(&a.value).parse().unwrap_or(0.0);
                        match a.key.as_ref() {
                            b"xMin" => w.x0 = v,
                            b"yMin" => w.y0 = v,
                            b"xMax" => w.x1 = v,
                            b"yMax" => w.y1 = v,
                            _ => {}
                        }
                    }
                    current = Some(w);
                }
                _ => {}
            },
            Ok(Event::Text(t)) => {
                if let Some(w) = current.as_mut() {
                    let text = t.unescape().map(|c| c.into_owned()).unwrap_or_else(|_| String::from_utf8_lossy(&t).into_owned());
                    w.text.push_str(&text);
                }
            }
            Ok(Event::End(e)) if e.name().as_ref() == b"word" => {
                if let Some(w) = current.take() {
                    words.push(w);
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(format!("pdftotext's bbox output at byte {}: {e}", reader.buffer_position())),
        }
    }
    Ok(words)
}

/// The words of every page of a PDF, with their boxes.
pub fn pdf_words(pdf: &Path) -> Result<Vec<Word>, SampleError> {
    let program = external::which("pdftotext").ok_or(crate::error::ToolError::Missing { program: "pdftotext", hint: "Debian package poppler-utils" })?;
    let out = Command::new(program)
        .args(["-bbox-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .map_err(|e| SampleError::Tool(crate::error::ToolError::Failed { program: "pdftotext", input: pdf.to_path_buf(), message: e.to_string() }))?;
    if !out.status.success() {
        let message = format!("{}: {}", out.status, String::from_utf8_lossy(&out.stderr).trim());
        return Err(SampleError::Tool(crate::error::ToolError::Failed { program: "pdftotext", input: pdf.to_path_buf(), message }));
    }
    parse_bbox_xhtml(&String::from_utf8_lossy(&out.stdout)).map_err(|message| SampleError::Tool(crate::error::ToolError::Failed { program: "pdftotext", input: pdf.to_path_buf(), message }))
}

/// The printed form: page images at `dpi` and the words on them.
pub struct Printed {
    pub pages: Vec<RgbImage>,
    pub words: Vec<Word>,
    pub dpi: u32,
}

/// Prints the .docx with LibreOffice and rasterises it with poppler, in `work` (a scratch folder).
pub fn print(docx: &[u8], dpi: u32, work: &Path) -> Result<Printed, SampleError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SampleError::Io { path, source }
    };
    let docx_path = work.join("form.docx");
    std::fs::write(&docx_path, docx).map_err(io(&docx_path))?;
    let pdf = external::docx_to_pdf(&docx_path, work)?;
    let words = pdf_words(&pdf)?;
    let pngs = external::pdf_to_png(&pdf, dpi, &work.join("page"), false)?;
    let mut pages = Vec::with_capacity(pngs.len());
    for p in &pngs {
        let img = image::open(p).map_err(|e| SampleError::Image { path: p.clone(), message: e.to_string() })?;
        pages.push(img.to_rgb8());
        let _ = std::fs::remove_file(p);
    }
    if pages.is_empty() {
        return Err(SampleError::Tool(crate::error::ToolError::Failed { program: "pdftoppm", input: pdf, message: "rendered no page".into() }));
    }
    Ok(Printed { pages, words, dpi })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{build_docx, Prefill};

    #[test]
    fn unwrapping_keeps_the_content_and_drops_the_control() {
        let xml = r#"<w:p><w:sdt><w:sdtPr><w:tag w:val="name"/></w:sdtPr><w:sdtContent><w:r><w:t>张三</w:t></w:r></w:sdtContent></w:sdt><w:r><w:t>x</w:t></w:r></w:p><w:sdt><w:sdtPr><w:tag w:val="resume"/></w:sdtPr><w:sdtEndPr/><w:sdtContent><w:p><w:r><w:t>a</w:t></w:r></w:p></w:sdtContent></w:sdt><w:sdt><w:sdtPr/><w:sdtContent/></w:sdt>"#;
        let mut seen = Vec::new();
        let out = unwrap_content_controls(xml, |tag, c| {
            seen.push(tag.map(str::to_string));
            c.to_string()
        })
        .unwrap();
        assert_eq!(out, r#"<w:p><w:r><w:t>张三</w:t></w:r><w:r><w:t>x</w:t></w:r></w:p><w:p><w:r><w:t>a</w:t></w:r></w:p>"#);
        assert_eq!(seen, [Some("name".to_string()), Some("resume".to_string()), None]);
    }

    #[test]
    fn nested_controls_unwrap_innermost_first() {
        let xml = r#"<w:sdt><w:sdtPr><w:tag w:val="outer"/></w:sdtPr><w:sdtContent><w:p><w:sdt><w:sdtPr><w:tag w:val="inner"/></w:sdtPr><w:sdtContent><w:r><w:t>v</w:t></w:r></w:sdtContent></w:sdt></w:p></w:sdtContent></w:sdt>"#;
        let mut order = Vec::new();
        let out = unwrap_content_controls(xml, |tag, c| {
            order.push(tag.unwrap().to_string());
            c.to_string()
        })
        .unwrap();
        assert_eq!(out, "<w:p><w:r><w:t>v</w:t></w:r></w:p>");
        assert_eq!(order, ["inner", "outer"]);
        assert!(unwrap_content_controls("<w:sdt><w:sdtContent>", |_, c| c.to_string()).is_err());
    }

    #[test]
    fn the_built_form_unwraps_completely_and_votes_take_the_hand_font() {
        let spec = Spec::builtin();
        let mut values = Prefill::new();
        values.insert("name".into(), "乌日娜".into());
        values.insert("votes.term".into(), "七".into());
        values.insert("resume".into(), "2004.09—2008.07 内蒙古科技大学\n2008.07至今 包钢".into());
        let docx = build_docx(&spec, &values).unwrap();
        let printable = printable_docx(&docx, true).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(printable)).unwrap();
        let mut doc = String::new();
        zip.by_name("word/document.xml").unwrap().read_to_string(&mut doc).unwrap();
        assert!(!doc.contains("<w:sdt") && !doc.contains("w:tag"), "controls left");
        assert!(doc.contains(">乌日娜<") && doc.contains(">2008.07至今 包钢<"));
        let at = doc.find(">七<").unwrap();
        let run = &doc[doc[..at].rfind("<w:r>").unwrap()..at];
        assert!(run.contains(r#"w:eastAsia="AR PL UKai CN""#) && run.contains(r#"<w:u w:val="single" />"#), "{run}");
        // The other runs keep their fonts.
        assert!(doc.contains(r#"w:eastAsia="宋体""#));
        assert!(zip.by_name("word/styles.xml").is_ok());
    }

    #[test]
    fn jitter_keeps_the_table_width_and_stays_within_bounds() {
        use rand::SeedableRng;
        let spec = Spec::builtin();
        for seed in 0..50 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let s = jitter_spec(&spec, &mut rng);
            let (a, b): (f32, f32) = (spec.table.columns_mm.iter().sum(), s.table.columns_mm.iter().sum());
            assert!((a - b).abs() < 0.01, "{a} {b}");
            for (x, y) in spec.table.row_heights_mm.iter().zip(&s.table.row_heights_mm) {
                assert!((y / x - 1.0).abs() <= 0.16);
            }
            assert!((s.page.margin_left_mm - spec.page.margin_left_mm).abs() <= 4.05);
            assert!(FONTS.contains(&s.page.table_font.as_str()));
        }
    }

    #[test]
    fn bbox_xhtml_parses_words_per_page() {
        let x = r#"<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title></title></head><body><doc><page width="595" height="842"><flow><block><line><word xMin="1.5" yMin="2" xMax="3" yMax="4">负责人签名：</word></line></block></flow></page><page width="595" height="842"><word xMin="10" yMin="20" xMax="30" yMax="40">A&amp;B</word></page></doc></body></html>"#;
        let w = parse_bbox_xhtml(x).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!((w[0].page, w[0].x0, w[0].text.as_str()), (0, 1.5, "负责人签名："));
        assert_eq!((w[1].page, w[1].y1, w[1].text.as_str()), (1, 40.0, "A&B"));
    }
}
