//! The OOXML that docx-rs cannot write: content-control tags, locks, placeholders and list
//! items, and the document protection that makes the form fillable but its labels read-only.
//!
//! The generator gives each content control a unique marker as its alias; [`patch_document`]
//! replaces each marker with the full property set. Markers and replacement are checked one
//! for one, so a docx-rs upgrade that changes its output fails loudly instead of writing a
//! form without tags.

/// What kind of content control (ECMA-376 §17.5.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdtKind {
    /// `w:text`: one run of plain text.
    PlainText,
    /// No type element: rich text, may hold paragraphs (the tall free-text cells).
    RichText,
    /// `w:date` with the Chinese display format; `iso` is the pre-filled date.
    Date { iso: Option<(u32, u32, u32)> },
    /// `w:comboBox`: a list that also accepts typed text.
    ComboBox(Vec<String>),
    /// `w:dropDownList`: one of the listed values.
    DropDown(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdtProps {
    /// The marker written as the control's alias by docx-rs.
    pub key: String,
    /// `w:tag`: the field id.
    pub tag: String,
    /// `w:alias`: the label Word shows on the control.
    pub alias: String,
    /// `w:showingPlcHdr`: the control shows its placeholder, not a value.
    pub showing_placeholder: bool,
    pub kind: SdtKind,
}

fn escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

/// The `w:sdtPr` children that follow `w:rPr`, in schema order.
fn properties_xml(p: &SdtProps) -> String {
    let mut x = format!(
        r#"<w:alias w:val="{}"/><w:tag w:val="{}"/><w:lock w:val="sdtLocked"/>"#,
        escape(&p.alias),
        escape(&p.tag)
    );
    if p.showing_placeholder {
        x.push_str("<w:showingPlcHdr/>");
    }
    let items = |list: &[String]| -> String {
        list.iter()
            .map(|v| format!(r#"<w:listItem w:displayText="{0}" w:value="{0}"/>"#, escape(v)))
            .collect()
    };
    match &p.kind {
        SdtKind::PlainText => x.push_str("<w:text/>"),
        SdtKind::RichText => {}
        SdtKind::Date { iso } => {
            match iso {
                Some((y, m, d)) => x.push_str(&format!(r#"<w:date w:fullDate="{y:04}-{m:02}-{d:02}T00:00:00Z">"#)),
                None => x.push_str("<w:date>"),
            }
            x.push_str(r#"<w:dateFormat w:val="yyyy年M月d日"/><w:lid w:val="zh-CN"/><w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>"#);
        }
        SdtKind::ComboBox(list) => x.push_str(&format!("<w:comboBox>{}</w:comboBox>", items(list))),
        SdtKind::DropDown(list) => x.push_str(&format!("<w:dropDownList>{}</w:dropDownList>", items(list))),
    }
    x
}

/// Replaces every marker alias in `document.xml` with the control's full properties.
pub fn patch_document(xml: &str, sdts: &[SdtProps]) -> Result<String, String> {
    let mut out = String::with_capacity(xml.len() + sdts.len() * 200);
    let mut rest = xml;
    let mut next = 0usize;
    const OPEN: &str = r#"<w:alias w:val=""#;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let end = after.find('"').ok_or("unterminated w:alias")?;
        let key = &after[..end];
        let close = after[end..].find("/>").ok_or("w:alias is not an empty element")? + end + 2;
        let props = sdts.get(next).filter(|p| p.key == key).ok_or_else(|| {
            format!("content control marker `{key}` found where marker #{next} was expected")
        })?;
        out.push_str(&rest[..at]);
        out.push_str(&properties_xml(props));
        rest = &after[close..];
        next += 1;
    }
    if next != sdts.len() {
        return Err(format!("{} content controls were made but {next} found in the document", sdts.len()));
    }
    out.push_str(rest);
    Ok(out)
}

/// Turns on "filling in forms" protection: everything but the content controls is read-only
/// in Word and WPS. No password: the protection guards against slips, not against intent.
pub fn protect_for_forms(settings: &str) -> Result<String, String> {
    const PROTECTION: &str = r#"<w:documentProtection w:edit="forms" w:enforcement="1"/>"#;
    if settings.contains("<w:documentProtection") {
        return Ok(settings.to_string());
    }
    // Schema order puts documentProtection after w:zoom (and w:view before it).
    let at = if let Some(z) = settings.find("<w:zoom") {
        z + settings[z..].find("/>").ok_or("unterminated w:zoom")? + 2
    } else {
        let s = settings.find("<w:settings").ok_or("no w:settings element")?;
        s + settings[s..].find('>').ok_or("unterminated w:settings")? + 1
    };
    Ok(format!("{}{PROTECTION}{}", &settings[..at], &settings[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(key: &str, tag: &str, kind: SdtKind) -> SdtProps {
        SdtProps { key: key.into(), tag: tag.into(), alias: "性别".into(), showing_placeholder: true, kind }
    }

    #[test]
    fn markers_become_tag_alias_lock_and_type() {
        let xml = r#"<w:sdt><w:sdtPr><w:rPr /><w:alias w:val="m0" /></w:sdtPr></w:sdt><w:sdt><w:sdtPr><w:rPr /><w:alias w:val="m1" /></w:sdtPr></w:sdt>"#;
        let out = patch_document(
            xml,
            &[props("m0", "gender", SdtKind::DropDown(vec!["男".into(), "女".into()])), props("m1", "votes.term", SdtKind::PlainText)],
        )
        .unwrap();
        assert!(out.contains(r#"<w:rPr /><w:alias w:val="性别"/><w:tag w:val="gender"/><w:lock w:val="sdtLocked"/><w:showingPlcHdr/><w:dropDownList><w:listItem w:displayText="男" w:value="男"/>"#), "{out}");
        assert!(out.contains(r#"<w:tag w:val="votes.term"/><w:lock w:val="sdtLocked"/><w:showingPlcHdr/><w:text/></w:sdtPr>"#), "{out}");
        assert!(!out.contains("m0") && !out.contains("m1"));
    }

    #[test]
    fn values_are_escaped() {
        let mut p = props("m", "x", SdtKind::ComboBox(vec!["a\"<b".into()]));
        p.alias = "A&B".into();
        let out = patch_document(r#"<w:alias w:val="m" />"#, &[p]).unwrap();
        assert!(out.contains("A&amp;B") && out.contains("a&quot;&lt;b"), "{out}");
    }

    #[test]
    fn filled_date_carries_full_date_and_no_placeholder_flag() {
        let mut p = props("m", "fill_date", SdtKind::Date { iso: Some((2023, 5, 9)) });
        p.showing_placeholder = false;
        let out = patch_document(r#"<w:alias w:val="m" />"#, &[p]).unwrap();
        assert!(out.contains(r#"<w:date w:fullDate="2023-05-09T00:00:00Z"><w:dateFormat w:val="yyyy年M月d日"/>"#), "{out}");
        assert!(!out.contains("showingPlcHdr"));
    }

    #[test]
    fn missing_or_extra_markers_are_errors() {
        let xml = r#"<w:alias w:val="m0" />"#;
        assert!(patch_document(xml, &[]).is_err());
        assert!(patch_document(xml, &[props("m0", "a", SdtKind::PlainText), props("m1", "b", SdtKind::PlainText)]).is_err());
        assert!(patch_document(xml, &[props("other", "a", SdtKind::PlainText)]).is_err());
    }

    #[test]
    fn protection_goes_after_zoom_once() {
        let s = r#"<?xml version="1.0"?><w:settings xmlns:w="x"><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat/></w:settings>"#;
        let out = protect_for_forms(s).unwrap();
        assert!(out.contains(r#"<w:zoom w:percent="100" /><w:documentProtection w:edit="forms" w:enforcement="1"/><w:compat/>"#), "{out}");
        assert_eq!(protect_for_forms(&out).unwrap(), out);
        let bare = protect_for_forms(r#"<w:settings xmlns:w="x"></w:settings>"#).unwrap();
        assert!(bare.starts_with(r#"<w:settings xmlns:w="x"><w:documentProtection"#), "{bare}");
    }
}
