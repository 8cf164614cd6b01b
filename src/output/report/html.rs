//! The page itself: HTML built as text, every piece of data escaped on the way in, numbers
//! masked through `mask`. Its CSS and JavaScript are compiled in and inlined, so the page works
//! from a USB stick with no network.

use std::fmt::Write;

use crate::fields::rules::Quotas;
use crate::output::{awaits_review, columns, mark_zh, name_of, severity_zh, status_zh, unit_of};
use crate::record::{Approval, Mark, Record, Severity, Status};
use crate::spec::{Kind, Spec};

use super::evidence::{DATE_COLOUR, SEAL_COLOUR, SIGNATURE_COLOUR};
use super::summary::{region_key, summarize_report, ReportSummary};
use super::{corrections, Evidence, Masking, ReportOptions, CORRECTIONS_FILE};

const CSS: &str = include_str!("report.css");
const JS: &str = include_str!("report.js");
/// Issue codes listed in the summary; the filter still offers every code.
const TOP_CODES: usize = 12;

/// Text safe in element content and in quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A value for the page's `#key=value` fragment, as `URLSearchParams` reads it back.
fn url_component(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Complete => "complete",
        Status::Incomplete => "incomplete",
        Status::Unreadable => "unreadable",
    }
}

fn colour(c: image::Rgb<u8>) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn img(src: &str, alt: &str, class: &str) -> String {
    format!(r#"<a href="{0}" target="_blank"><img loading="lazy" class="{class}" src="{0}" alt="{1}"></a>"#, escape(src), escape(alt))
}

pub fn page(records: &[Record], evidence: &[Evidence], spec: &Spec, quotas: Option<&Quotas>, opts: &ReportOptions) -> String {
    let mask = Masking { show_pii: opts.show_pii };
    let summary = summarize_report(records, quotas);
    let mut h = String::with_capacity(4096 + records.len() * 12_000);
    let title = format!("{} 审核报告", spec.form.title);
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title><style>{CSS}</style></head><body><header><h1>{}</h1><p class="meta">formscan {} · 共 {} 份申报</p></header>"#,
        escape(&title),
        escape(&title),
        crate::VERSION,
        records.len()
    );
    summary_section(&mut h, &summary, records, spec, quotas.is_some(), &mask);
    filters(&mut h, &summary);
    h.push_str("<main id=\"records\">");
    let none = Evidence::default();
    for (i, r) in records.iter().enumerate() {
        record_section(&mut h, i, r, evidence.get(i).unwrap_or(&none), spec, quotas, &mask);
    }
    let _ = write!(h, "</main><script>{JS}</script></body></html>");
    h
}

fn summary_section(h: &mut String, s: &ReportSummary, records: &[Record], spec: &Spec, with_quotas: bool, mask: &Masking) {
    let c = &s.counts;
    h.push_str(r#"<section id="summary"><h2>概况</h2><div class="cards">"#);
    for (key, label, n) in [
        ("", "全部", c.read),
        ("complete", status_zh(Status::Complete), c.complete),
        ("incomplete", status_zh(Status::Incomplete), c.to_return),
        ("unreadable", status_zh(Status::Unreadable), c.unreadable),
        ("review", "需复核", c.to_review),
    ] {
        let _ = write!(h, r##"<a class="card c-{key}" href="#status={key}"><b>{n}</b><span>{label}</span></a>"##);
    }
    h.push_str("</div><h3>按盟市、产业</h3><table class=\"regions\"><thead><tr><th>盟市、产业</th>");
    if with_quotas {
        h.push_str("<th>名额</th><th>计入名额</th>");
    }
    h.push_str("<th>份数</th><th>完整</th><th>需退回</th><th>无法读取</th><th>需复核</th></tr></thead><tbody>");
    for r in &s.regions {
        let over = if r.over_quota() { " class=\"over\"" } else { "" };
        let _ = write!(h, r##"<tr{over}><td><a href="#region={}">{}</a></td>"##, url_component(&r.region), escape(&r.region));
        if with_quotas {
            let quota = r.quota.map(|q| q.to_string()).unwrap_or_else(|| "—".into());
            let flag = if r.over_quota() { " ⚠ 超出名额" } else { "" };
            let _ = write!(h, "<td>{quota}</td><td>{}{flag}</td>", r.used());
        }
        let c = &r.counts;
        let _ = write!(h, "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", c.read, c.complete, c.to_return, c.unreadable, c.to_review);
    }
    h.push_str("</tbody></table><h3>常见问题</h3><table class=\"codes\"><thead><tr><th>问题代码</th><th>份数</th><th>说明（示例）</th></tr></thead><tbody>");
    for code in s.codes.iter().take(TOP_CODES) {
        let _ = write!(
            h,
            r##"<tr><td><a href="#code={}"><code>{}</code></a></td><td>{}</td><td>{}</td></tr>"##,
            url_component(&code.code),
            escape(&code.code),
            code.forms,
            escape(&mask.text(&code.example))
        );
    }
    let rows = corrections::rows(records, spec).len() - 1;
    let pii = if mask.show_pii { "本页显示完整的身份证号码和电话（--show-pii），请勿外传。" } else { "本页的身份证号码和电话已部分遮盖。" };
    let _ = write!(
        h,
        r#"</tbody></table><p class="corrections">复核修正表：<a href="{CORRECTIONS_FILE}" download>{CORRECTIONS_FILE}</a>（{rows} 行，每个“复核”问题一行，已填入机器读出的值；在 value 列改正后交回）。注意：该表含<strong>未遮盖</strong>的原始值（身份证号码、电话），仅限本机复核使用。{pii}</p></section>"#
    );
}

fn options(h: &mut String, id: &str, label: &str, all: &str, items: &[(String, String)]) {
    let _ = write!(h, r#"<label>{label} <select id="{id}"><option value="">{all}</option>"#);
    for (value, text) in items {
        let _ = write!(h, r#"<option value="{}">{}</option>"#, escape(value), escape(text));
    }
    h.push_str("</select></label>");
}

fn filters(h: &mut String, s: &ReportSummary) {
    h.push_str(r#"<nav id="filters">"#);
    let statuses: Vec<(String, String)> = [Status::Complete, Status::Incomplete, Status::Unreadable]
        .into_iter()
        .map(|st| (status_key(st).to_string(), status_zh(st).to_string()))
        .chain(std::iter::once(("review".to_string(), "需复核".to_string())))
        .collect();
    options(h, "f-status", "状态", "全部", &statuses);
    let regions: Vec<(String, String)> = s.regions.iter().filter(|r| r.counts.read > 0).map(|r| (r.region.clone(), r.region.clone())).collect();
    options(h, "f-region", "盟市、产业", "全部", &regions);
    let codes: Vec<(String, String)> = s.codes.iter().map(|c| (c.code.clone(), format!("{}（{}份）", c.code, c.forms))).collect();
    options(h, "f-code", "问题", "全部", &codes);
    h.push_str(r##"<label>搜索 <input id="f-q" type="search" placeholder="姓名、单位或文件名"></label><span id="f-count"></span><button type="button" id="f-open">全部展开</button><button type="button" id="f-close">全部收起</button><a href="#">清除筛选</a></nav>"##);
}

fn record_section(h: &mut String, index: usize, r: &Record, ev: &Evidence, spec: &Spec, quotas: Option<&Quotas>, mask: &Masking) {
    let mut codes: Vec<&str> = r.issues.iter().map(|i| i.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let (name, unit) = (name_of(r), unit_of(r));
    let search = format!("{name} {unit} {}", r.source.path).to_lowercase();
    let review = awaits_review(r);
    // Forms that need a decision start open; complete ones are a click away.
    let open = if r.status != Status::Complete || review { " open" } else { "" };
    let st = status_key(r.status);
    let _ = write!(
        h,
        r#"<details class="rec" id="rec-{}" data-status="{st}" data-review="{}" data-region="{}" data-codes="{}" data-search="{}"{open}><summary><span class="st st-{st}">{}</span>{}<b class="name">{}</b> · <span class="unit">{}</span> <span class="file">{}</span> <span class="n">{}</span></summary><div class="body">"#,
        index + 1,
        u8::from(review),
        escape(&region_key(r, quotas).0),
        escape(&codes.join(" ")),
        escape(&search),
        status_zh(r.status),
        if review { r#"<span class="st st-review">需复核</span>"# } else { "" },
        escape(&name),
        escape(&unit),
        escape(&r.source.path),
        if r.issues.is_empty() { "无问题".to_string() } else { format!("{} 个问题", r.issues.len()) },
    );
    issues_table(h, r, spec, mask);
    if r.status != Status::Unreadable {
        fields_table(h, r, ev, spec, mask);
        approvals(h, r, ev, spec);
    }
    if !ev.pages.is_empty() {
        h.push_str("<h3>页面（绿框为识别出的表格单元格）</h3><div class=\"pages\">");
        for (n, p) in ev.pages.iter().enumerate() {
            h.push_str(&img(p, &format!("第{}页", n + 1), "page"));
        }
        h.push_str("</div>");
    }
    h.push_str("</div></details>");
}

fn label_of(spec: &Spec, field: Option<&str>) -> String {
    match field {
        Some(id) => spec.field(id).map(|f| f.label.clone()).unwrap_or_else(|| id.to_string()),
        None => String::new(),
    }
}

fn issues_table(h: &mut String, r: &Record, spec: &Spec, mask: &Masking) {
    if r.issues.is_empty() {
        return;
    }
    h.push_str("<table class=\"issues\"><thead><tr><th>处理</th><th>问题</th><th>栏目</th><th>说明</th></tr></thead><tbody>");
    for i in &r.issues {
        let sev = match i.severity {
            Severity::Return => "return",
            Severity::Review => "review",
            Severity::Info => "info",
        };
        let _ = write!(
            h,
            r#"<tr class="sev-{sev}"><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>"#,
            severity_zh(i.severity),
            escape(&i.code),
            escape(&label_of(spec, i.field.as_deref())),
            escape(&mask.text(&i.message))
        );
    }
    h.push_str("</tbody></table>");
}

fn fields_table(h: &mut String, r: &Record, ev: &Evidence, spec: &Spec, mask: &Masking) {
    h.push_str("<h3>填写内容</h3><table class=\"fields\"><tbody>");
    let scanned = !ev.fields.is_empty() || r.fields.values().any(|v| v.raw.is_some() && v.confidence < 1.0);
    let flagged: Vec<&str> = r.issues.iter().filter_map(|i| i.field.as_deref()).collect();
    // The tabular outputs' columns give each field its label and its value, votes included.
    for col in columns(spec) {
        let Some(f) = spec.field(&col.id) else { continue };
        let value = col.cell(r);
        let fv = r.fields.get(&f.id);
        let mut cell = if value.is_empty() { "<span class=\"blank\">（空）</span>".to_string() } else { escape(&mask.value(f.kind, &value)) };
        // The text as read, when normalising changed more than its spacing.
        let squash = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        if let Some(raw) = fv.and_then(|v| v.raw.as_deref()).filter(|raw| !raw.trim().is_empty() && squash(raw) != squash(&value)) {
            let raw_kind = if f.kind == Kind::IdNumber || f.kind == Kind::Phone { f.kind } else { Kind::Text };
            let _ = write!(cell, r#"<div class="raw">原文：{}</div>"#, escape(&mask.value(raw_kind, raw)));
        }
        // Confidence and picture only for what was read off a scan: a Word form has neither.
        let scan_cells = if scanned {
            let conf = fv.filter(|v| v.raw.is_some()).map(|v| format!("{:.2}", v.confidence)).unwrap_or_default();
            let crop = match ev.fields.get(&f.id) {
                Some(_) if !mask.shows_picture(&f.id) => "<span class=\"blank\">（含个人号码，不显示图片）</span>".to_string(),
                Some(p) => img(p, &col.label, if f.kind == Kind::Multiline { "crop tall" } else { "crop" }),
                None => String::new(),
            };
            format!(r#"<td class="conf">{conf}</td><td class="crop">{crop}</td>"#)
        } else {
            String::new()
        };
        let class = if flagged.contains(&f.id.as_str()) { " class=\"flagged\"" } else { "" };
        let multiline = if f.kind == Kind::Multiline { " class=\"ml\"" } else { "" };
        let _ = write!(h, r#"<tr{class}><th>{}</th><td{multiline}>{cell}</td>{scan_cells}</tr>"#, escape(&col.label));
    }
    h.push_str("</tbody></table>");
}

/// A box's date; with none read, whether ink was seen where it is written (a date may be
/// there but unreadable, which is not the same as missing).
fn date_text(date: Option<&str>, ink: Option<Mark>) -> String {
    match (date, ink) {
        (Some(d), _) => d.to_string(),
        (None, Some(m)) => format!("（未识读；笔迹：{}）", mark_zh(m)),
        (None, None) => "（无）".to_string(),
    }
}

fn approvals(h: &mut String, r: &Record, ev: &Evidence, spec: &Spec) {
    let legend = format!(
        r#"<span style="color:{}">■ 公章</span> <span style="color:{}">■ 签名</span> <span style="color:{}">■ 日期</span>"#,
        colour(SEAL_COLOUR),
        colour(SIGNATURE_COLOUR),
        colour(DATE_COLOUR)
    );
    let _ = write!(h, "<h3>审批意见 <small>{}</small></h3><div class=\"boxes\">", if ev.boxes.is_empty() { "" } else { &legend });
    for b in spec.approvals() {
        let Some(a) = r.approvals.get(&b.id) else { continue };
        let Approval { signature, seal, date, evidence } = a;
        // On a scan, the detector's score beside the mark tells a near miss from a clear case.
        let mark = |m: Mark, score: Option<f32>| {
            let score = score.map(|s| format!("<small>（{s:.2}）</small>")).unwrap_or_default();
            format!("<b class=\"mark-{}\">{}</b>{score}", corrections::mark_value(m), mark_zh(m))
        };
        let _ = write!(
            h,
            r#"<div class="box"><h4>{}</h4><p>签名 {} · 公章 {} · 日期 {}</p>{}</div>"#,
            escape(&b.label),
            mark(*signature, evidence.as_ref().map(|e| e.signature_score)),
            mark(*seal, evidence.as_ref().map(|e| e.seal_score)),
            escape(&date_text(date.as_deref(), evidence.as_ref().and_then(|e| e.date_ink))),
            ev.boxes.get(&b.id).map(|p| img(p, &b.label, "boxcrop")).unwrap_or_default()
        );
    }
    h.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::report::tests::record;
    use crate::record::Issue;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape(r#"<script>alert("1")</script> & 'x'"#), "&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &#39;x&#39;");
        assert_eq!(url_component("包头 市&x=1"), "%E5%8C%85%E5%A4%B4%20%E5%B8%82%26x%3D1");
    }

    fn hostile() -> Record {
        let mut r = record("in/\"><img src=x onerror=alert(2)>.docx", "<script>alert(1)</script>", "包头市", Status::Incomplete);
        r.fields.get_mut("id_number").unwrap().value = Some("150203198506150712".into());
        r.fields.get_mut("phone").unwrap().value = Some("18112348804".into());
        r.fields.get_mut("employer").unwrap().value = Some("<b>单位</b>".into());
        r.issues.push(Issue::new("invalid_id_number", Some("id_number"), Severity::Return, "身份证号码“150203198506150712”校验位不符"));
        r.issues.push(Issue::new("invalid_phone", Some("phone"), Severity::Review, "联系电话“18112348804”不是有效号码<i>"));
        r
    }

    #[test]
    fn data_is_escaped_and_numbers_masked() {
        let spec = Spec::builtin();
        let page = page(&[hostile()], &[], &spec, None, &ReportOptions::default());
        assert_eq!(page.matches("<script").count(), 1, "only the page's own script");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<img src=x") && !page.contains("<b>单位") && !page.contains("有效号码<i>"));
        assert!(!page.contains("150203198506150712") && !page.contains("18112348804"), "no full number anywhere");
        assert!(page.contains("1502**********0712") && page.contains("181****8804"));
        assert!(page.contains("身份证号码“1502**********0712”校验位不符"), "message masked too");
        assert!(page.contains(r#"data-status="incomplete" data-review="1" data-region="包头市" data-codes="invalid_id_number invalid_phone""#));

        let shown = super::page(&[hostile()], &[], &spec, None, &ReportOptions { show_pii: true });
        assert!(shown.contains("150203198506150712") && shown.contains("“18112348804”"));
    }

    #[test]
    fn approval_marks_scores_and_dates() {
        use crate::record::ApprovalEvidence;
        let spec = Spec::builtin();
        let mut r = record("a.pdf", "张三", "", Status::Complete);
        let mut a = Approval::new(Mark::Present, Mark::Unverifiable, None);
        a.evidence = Some(ApprovalEvidence { seal_score: 0.42, signature_score: 0.875, date_ink: Some(Mark::Present), ..Default::default() });
        r.approvals.insert("unit_union".into(), a);
        r.approvals.insert("county_union".into(), Approval::new(Mark::Absent, Mark::Absent, Some("2023-04-20".into())));
        let page = page(&[r], &[], &spec, None, &ReportOptions::default());
        assert!(page.contains("签名 <b class=\"mark-present\">有</b><small>（0.88）</small> · 公章 <b class=\"mark-unverifiable\">无法核验</b><small>（0.42）</small> · 日期 （未识读；笔迹：有）"), "{page}");
        assert!(page.contains("签名 <b class=\"mark-absent\">无</b> · 公章 <b class=\"mark-absent\">无</b> · 日期 2023-04-20"));
    }

    #[test]
    fn pictures_are_linked_not_inlined() {
        let spec = Spec::builtin();
        let mut ev = Evidence::default();
        ev.pages.push("report/0001-a/p1.jpg".into());
        ev.fields.insert("name".into(), "report/0001-a/f-name.jpg".into());
        ev.boxes.insert("unit_union".into(), "report/0001-a/b-unit_union.jpg".into());
        let page = page(&[record("a.pdf", "张三", "", Status::Complete)], &[ev], &spec, None, &ReportOptions::default());
        for src in ["report/0001-a/p1.jpg", "report/0001-a/f-name.jpg", "report/0001-a/b-unit_union.jpg"] {
            assert!(page.contains(&format!(r#"<img loading="lazy" class="#)) && page.contains(&format!(r#"src="{src}""#)), "{src}");
        }
        assert!(!page.contains("data:image") && !page.contains("http://") && !page.contains("https://"), "self-contained");
    }
}
