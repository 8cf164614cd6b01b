//! `formscan eval DIR`: runs the pipeline over a sample set and compares the records with its
//! `truth.jsonl` (written by `formscan samples`), by kind of input.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::layout::labels::edit_distance;
use crate::record::Record;
use crate::spec::{Kind, Spec};
use crate::timing::Stage;

/// Issue codes that a sample set plants; precision is measured over these only (a record may
/// carry other, legitimate findings such as review notes).
pub const PLANTED_CODES: &[&str] = &[
    "missing_field", "invalid_id_number", "id_birth_mismatch", "votes_not_passed", "votes_inconsistent",
    "ineligible_position", "insufficient_service", "already_awarded", "missing_signature", "missing_seal", "missing_date",
];

/// One form of the truth file.
#[derive(Debug, Clone)]
pub struct TruthForm {
    pub form: String,
    pub files: Vec<String>,
    /// `pdf`, `tiff`, `jpeg`, … plus resolution and colour, e.g. `pdf 300dpi color`.
    pub group: String,
    pub value: Value,
}

pub fn load_truth(dir: &Path) -> Result<Vec<TruthForm>, String> {
    let path = dir.join("truth.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))?;
        let files = v["files"].as_array().map(|a| a.iter().filter_map(|f| f.as_str().map(str::to_string)).collect()).unwrap_or_default();
        let group = format!(
            "{} {}dpi {}",
            v["kind"].as_str().unwrap_or("?"),
            v["dpi"].as_u64().unwrap_or(0),
            v["color"].as_str().unwrap_or("?")
        );
        out.push(TruthForm { form: v["form"].as_str().unwrap_or("").to_string(), files, group, value: v });
    }
    Ok(out)
}

/// Running sums for one group of inputs.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub forms: usize,
    pub short_total: usize,
    pub short_exact: usize,
    pub long_chars: usize,
    pub long_errors: usize,
    pub votes_total: usize,
    pub votes_exact: usize,
    pub status_total: usize,
    pub status_right: usize,
    pub planted: usize,
    pub planted_found: usize,
    pub flagged: usize,
    pub flagged_right: usize,
    pub seconds: f64,
    /// Of `seconds`, the approval marks' stages (scans only).
    pub stages: crate::timing::StageTimes,
    /// Short fields most often wrong, for tuning.
    pub misses: BTreeMap<String, usize>,
    pub marks: MarkTally,
}

/// The approval boxes' marks of scans against the truth.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MarkTally {
    /// Seals and signatures: `present` said and true, said but not true, true but not said.
    pub seal: [usize; 3],
    pub signature: [usize; 3],
    /// Marks judged (seal and signature of each box of a colour scan) and how many uncertain.
    pub judged: usize,
    pub uncertain: usize,
    /// Dates: boxes, and how many had presence right (a date read or its ink seen, or none).
    pub dates: usize,
    pub dates_right: usize,
    /// Dates written (in the truth), and how many were read to the day.
    pub dates_written: usize,
    pub dates_read: usize,
    /// Seals said `present` on a grey copy (must be none).
    pub grey_present: usize,
}

impl MarkTally {
    fn add(&mut self, o: &MarkTally) {
        for i in 0..3 {
            self.seal[i] += o.seal[i];
            self.signature[i] += o.signature[i];
        }
        self.judged += o.judged;
        self.uncertain += o.uncertain;
        self.dates += o.dates;
        self.dates_right += o.dates_right;
        self.dates_written += o.dates_written;
        self.dates_read += o.dates_read;
        self.grey_present += o.grey_present;
    }
}

/// Compares the approval marks of a scan's record with the truth.
fn score_marks(record: &Record, truth: &Value) -> MarkTally {
    use crate::record::Mark;
    let mut t = MarkTally::default();
    if !matches!(record.source.kind, crate::record::SourceKind::Pdf | crate::record::SourceKind::Image) {
        return t;
    }
    let grey = truth["color"].as_str() == Some("gray");
    let Some(boxes) = truth["approvals"].as_object() else { return t };
    let count = |tally: &mut [usize; 3], said: bool, true_: bool| {
        match (said, true_) {
            (true, true) => tally[0] += 1,
            (true, false) => tally[1] += 1,
            (false, true) => tally[2] += 1,
            _ => {}
        }
    };
    for (id, want) in boxes {
        let Some(got) = record.approvals.get(id) else { continue };
        if grey {
            t.grey_present += usize::from(got.seal == Mark::Present);
        } else {
            count(&mut t.seal, got.seal == Mark::Present, want["seal"] == "present");
            t.judged += 1;
            t.uncertain += usize::from(got.seal == Mark::Uncertain);
        }
        count(&mut t.signature, got.signature == Mark::Present, want["signature"] == "present");
        t.judged += 1;
        t.uncertain += usize::from(got.signature == Mark::Uncertain);
        let ink = got.evidence.as_ref().and_then(|e| e.date_ink);
        let said = got.date.is_some() || ink == Some(Mark::Present);
        t.dates += 1;
        t.dates_right += usize::from(said == !want["date"].is_null());
        if let Some(written) = want["date"].as_str() {
            t.dates_written += 1;
            t.dates_read += usize::from(got.date.as_deref() == Some(written));
        }
    }
    t
}

impl Tally {
    pub fn add(&mut self, other: &Tally) {
        self.forms += other.forms;
        self.short_total += other.short_total;
        self.short_exact += other.short_exact;
        self.long_chars += other.long_chars;
        self.long_errors += other.long_errors;
        self.votes_total += other.votes_total;
        self.votes_exact += other.votes_exact;
        self.status_total += other.status_total;
        self.status_right += other.status_right;
        self.planted += other.planted;
        self.planted_found += other.planted_found;
        self.flagged += other.flagged;
        self.flagged_right += other.flagged_right;
        self.seconds += other.seconds;
        self.stages.add(&other.stages);
        for (k, v) in &other.misses {
            *self.misses.entry(k.clone()).or_default() += v;
        }
        self.marks.add(&other.marks);
    }
}

fn pct(n: usize, d: usize) -> String {
    if d == 0 {
        "—".into()
    } else {
        format!("{:.1}%", 100.0 * n as f64 / d as f64)
    }
}

fn squeeze(s: &str) -> Vec<char> {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// What the approval marks cost: their stages' share of the forms' time, and how much they add
/// to the time of the rest of a form's reading (the figure issue 5 bounds at 10 %).
fn marks_time(t: &Tally) -> String {
    let s = &t.stages;
    let rest = (t.seconds - s.marks()).max(f64::EPSILON);
    format!(
        "approval marks' time: {:.3} s/form of {:.3} (box words {:.3}, judging {:.3}): {:.1}% of the time, adding {:.1}% to the rest\n",
        s.marks() / t.forms.max(1) as f64,
        t.seconds / t.forms.max(1) as f64,
        s.of(Stage::BoxWords) / t.forms.max(1) as f64,
        s.of(Stage::MarkJudging) / t.forms.max(1) as f64,
        100.0 * s.marks() / t.seconds.max(f64::EPSILON),
        100.0 * s.marks() / rest,
    )
}

/// Where a scanned form's time goes, stage by stage (s/form); what no stage holds is the
/// record's rules and the time between stages.
fn stage_times(t: &Tally) -> String {
    let n = t.forms.max(1) as f64;
    let mut parts: Vec<String> = t.stages.named().map(|(name, secs)| format!("{name} {:.2}", secs / n)).collect();
    parts.push(format!("other {:.2}", (t.seconds - t.stages.total()).max(0.0) / n));
    format!("time by stage, s/form: {}\n", parts.join(", "))
}

/// Compares one record with its truth form.
pub fn score(spec: &Spec, record: &Record, truth: &Value, seconds: f64, eligibility: crate::record::Severity) -> Tally {
    let mut t = Tally { forms: 1, seconds, ..Tally::default() };
    for f in spec.value_fields().filter(|f| f.kind != Kind::Vote) {
        let want = truth["fields"][&f.id].as_str();
        let got = record.value(&f.id);
        if f.kind == Kind::Multiline {
            let (w, g) = (squeeze(want.unwrap_or("")), squeeze(got.unwrap_or("")));
            t.long_chars += w.len();
            t.long_errors += edit_distance(&g, &w).min(w.len().max(g.len()));
        } else {
            t.short_total += 1;
            if want == got {
                t.short_exact += 1;
            } else {
                *t.misses.entry(f.id.clone()).or_default() += 1;
            }
        }
    }
    for key in ["term", "session", "attended", "approved", "opposed"] {
        t.votes_total += 1;
        if truth["votes"][key].as_i64() == record.votes.get(key) {
            t.votes_exact += 1;
        } else {
            *t.misses.entry(format!("votes.{key}")).or_default() += 1;
        }
    }
    let planted: Vec<&str> = truth["defects"].as_array().map(|a| a.iter().filter_map(|c| c.as_str()).collect()).unwrap_or_default();
    let found: Vec<&str> = record.issues.iter().map(|i| i.code.as_str()).filter(|c| PLANTED_CODES.contains(c)).collect();
    t.planted = planted.len();
    t.planted_found = planted.iter().filter(|c| found.contains(c)).count();
    t.flagged = found.len();
    t.flagged_right = found.iter().filter(|c| planted.contains(c)).count();
    t.marks = score_marks(record, truth);
    t.status_total = 1;
    // A planted eligibility finding sends the form back only where the configuration makes it
    // a return (by default a person reviews it).
    let returns = |c: &&str| !crate::fields::rules::ELIGIBILITY_CODES.contains(c) || eligibility == crate::record::Severity::Return;
    let should_return = planted.iter().any(returns);
    if should_return == (record.status == crate::record::Status::Incomplete) {
        t.status_right = 1;
    }
    t
}

/// The table `eval` prints.
pub fn report(groups: &BTreeMap<String, Tally>) -> String {
    let mut out = format!(
        "{:<22} {:>5} {:>9} {:>9} {:>8} {:>8} {:>10} {:>10} {:>8}\n",
        "input", "forms", "short", "long chr", "votes", "status", "issue P", "issue R", "s/form"
    );
    let mut all = Tally::default();
    // The targets differ for colour scans and greyscale copies: each kind summed apart too.
    let (mut colour, mut grey) = (Tally::default(), Tally::default());
    for (name, t) in groups {
        all.add(t);
        if name.ends_with(" color") {
            colour.add(t);
        } else if name.ends_with(" gray") {
            grey.add(t);
        }
    }
    let mut rows: Vec<(&str, &Tally)> = groups.iter().map(|(k, v)| (k.as_str(), v)).collect();
    rows.extend([("all colour scans", &colour), ("all greyscale", &grey), ("all", &all)].into_iter().filter(|(_, t)| t.forms > 0));
    for &(name, t) in &rows {
        out.push_str(&format!(
            "{:<22} {:>5} {:>9} {:>9} {:>8} {:>8} {:>10} {:>10} {:>8.2}\n",
            name,
            t.forms,
            pct(t.short_exact, t.short_total),
            pct(t.long_chars.saturating_sub(t.long_errors), t.long_chars),
            pct(t.votes_exact, t.votes_total),
            pct(t.status_right, t.status_total),
            pct(t.flagged_right, t.flagged),
            pct(t.planted_found, t.planted),
            if t.forms > 0 { t.seconds / t.forms as f64 } else { 0.0 },
        ));
    }
    out.push_str(&format!(
        "\n{:<22} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>9} {:>10}\n",
        "approval marks", "seal P", "seal R", "sign P", "sign R", "uncertain", "dates", "date read", "grey seal"
    ));
    for &(name, t) in &rows {
        let m = &t.marks;
        if m.dates == 0 {
            continue;
        }
        out.push_str(&format!(
            "{:<22} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8} {:>9} {:>10}\n",
            name,
            pct(m.seal[0], m.seal[0] + m.seal[1]),
            pct(m.seal[0], m.seal[0] + m.seal[2]),
            pct(m.signature[0], m.signature[0] + m.signature[1]),
            pct(m.signature[0], m.signature[0] + m.signature[2]),
            pct(m.uncertain, m.judged),
            pct(m.dates_right, m.dates),
            pct(m.dates_read, m.dates_written),
            m.grey_present,
        ));
    }
    // Over the scans only: a Word form has no marks to judge, and its time would dilute theirs.
    let mut scans = colour.clone();
    scans.add(&grey);
    if scans.stages.marks() > 0.0 {
        out.push_str(&marks_time(&scans));
        out.push_str(&stage_times(&scans));
    }
    let mut misses: Vec<(&String, &usize)> = all.misses.iter().collect();
    misses.sort_by(|a, b| b.1.cmp(a.1));
    if !misses.is_empty() {
        out.push_str("most missed: ");
        out.push_str(&misses.iter().take(8).map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::assemble::to_record;
    use crate::reading::{RawValue, Reading};
    use crate::record::{Source, SourceKind};

    #[test]
    fn scores_exact_fields_votes_and_planted_codes() {
        let spec = Spec::builtin();
        let mut reading = Reading::default();
        reading.values.insert("name".into(), RawValue::typed("张三"));
        reading.values.insert("gender".into(), RawValue::typed("女"));
        reading.values.insert("resume".into(), RawValue::typed("2001 包钢"));
        reading.values.insert("votes.attended".into(), RawValue::typed("120"));
        let mut record = to_record(&spec, &reading, Source { path: "x".into(), sha256: String::new(), kind: SourceKind::Image, pages: 3 });
        record.issues.push(crate::record::Issue::new("missing_field", Some("phone"), crate::record::Severity::Return, "x"));
        record.derive_status();
        let truth = serde_json::json!({"fields": {"name": "张三", "gender": "男", "resume": "2001 包钢集团"}, "votes": {"attended": 120}, "defects": ["missing_field", "votes_not_passed"]});
        let t = score(&spec, &record, &truth, 1.5, crate::record::Severity::Review);
        assert_eq!(t.votes_exact, 5, "four blanks null on both sides, attended equal");
        assert!(t.short_exact < t.short_total && t.misses.contains_key("gender"));
        assert_eq!((t.long_chars, t.long_errors), (8, 2));
        assert_eq!((t.planted, t.planted_found, t.flagged, t.flagged_right), (2, 1, 1, 1));
        assert_eq!(t.status_right, 1);
        // A planted eligibility finding alone: a return only where the configuration says so.
        let mut flagged = to_record(&spec, &reading, Source { path: "x".into(), sha256: String::new(), kind: SourceKind::Image, pages: 3 });
        flagged.issues.push(crate::record::Issue::new("already_awarded", Some("awards"), crate::record::Severity::Review, "x"));
        flagged.derive_status();
        let truth = serde_json::json!({"fields": {}, "votes": {}, "defects": ["already_awarded"]});
        assert_eq!(score(&spec, &flagged, &truth, 1.0, crate::record::Severity::Review).status_right, 1);
        assert_eq!(score(&spec, &flagged, &truth, 1.0, crate::record::Severity::Return).status_right, 0);
    }

    #[test]
    fn the_marks_time_is_reported_over_scans_against_the_rest_of_their_time() {
        let mut stages = crate::timing::StageTimes::default();
        stages.set(Stage::BoxWords, 0.3);
        stages.set(Stage::MarkJudging, 0.1);
        stages.set(Stage::Read, 2.0);
        let scan = Tally { forms: 2, seconds: 4.4, stages, ..Tally::default() };
        let word = Tally { forms: 2, seconds: 0.2, ..Tally::default() };
        let groups = BTreeMap::from([("pdf 300dpi color".to_string(), scan), ("docx".to_string(), word)]);
        let out = report(&groups);
        // 0.4 s of 4.4 s over two scans (the Word forms left out): 9.1 % of their time, and
        // 10.0 % added to the 4.0 s of the rest.
        let line = out.lines().find(|l| l.starts_with("approval marks' time")).expect("a line on the marks' time");
        assert!(line.contains("0.200 s/form of 2.200 (box words 0.150, judging 0.050)") && line.contains("9.1%") && line.contains("adding 10.0%"), "{line}");
        let by_stage = out.lines().find(|l| l.starts_with("time by stage")).expect("a line by stage");
        assert!(by_stage.contains("read 1.00") && by_stage.contains("box words 0.15") && by_stage.contains("other 1.00"), "{by_stage}");
        assert!(!report(&BTreeMap::from([("docx".to_string(), Tally { forms: 1, seconds: 0.1, ..Tally::default() })])).contains("marks' time"));
    }

    #[test]
    fn a_date_seen_but_not_read_counts_as_present_not_as_read() {
        use crate::record::{Approval, ApprovalEvidence, Mark};
        let mut record = to_record(&Spec::builtin(), &Reading::default(), Source { path: "x".into(), sha256: String::new(), kind: SourceKind::Image, pages: 3 });
        let seen = ApprovalEvidence { date_ink: Some(Mark::Present), ..ApprovalEvidence::default() };
        record.approvals.insert("unit_union".into(), Approval { evidence: Some(seen), ..Approval::new(Mark::Present, Mark::Present, None) });
        record.approvals.insert("unit_congress".into(), Approval::new(Mark::Present, Mark::Present, Some("2023-04-21".into())));
        let truth = serde_json::json!({"color": "color", "approvals": {
            "unit_congress": {"seal": "present", "signature": "present", "date": "2023-04-21"},
            "unit_union": {"seal": "present", "signature": "present", "date": "2023-04-22"}}});
        let m = score_marks(&record, &truth);
        assert_eq!((m.dates, m.dates_right), (2, 2));
        assert_eq!((m.dates_written, m.dates_read), (2, 1));
    }
}
