//! The checks a clerk would make on each form: completeness, the ID card, the congress vote,
//! and the notice's eligibility rules. Each rule is a small function so that it can be tested
//! alone; `check_record` runs them all. Rules over a whole batch live in `rules_batch`.
//!
//! Rules read normalised values only. A value that did not normalise is already an issue
//! (`invalid_date`, …), so a rule that cannot parse its input stays silent rather than report
//! the same problem twice.

use crate::config::Config;
use crate::record::{Issue, Record, Severity};
use crate::spec::{Kind, Place, Spec};

pub use super::rules_batch::{check_batch, check_batch_by_rule, BatchOutcome, Quotas};

pub struct RuleContext<'a> {
    pub spec: &'a Spec,
    pub config: &'a Config,
}

type Rule = fn(&Record, &RuleContext, &mut Vec<Issue>);

/// The codes whose severity the configuration sets (`eligibility_severity`): a judgement on
/// the candidate, not a defect of the form.
pub const ELIGIBILITY_CODES: &[&str] = &["ineligible_position", "insufficient_service", "already_awarded"];

/// Each rule with the name the audit reports it under.
const RULES: &[(&str, Rule)] = &[
    ("missing_fields", missing_fields),
    ("id_number", id_number),
    ("cover_mismatch", cover_mismatch),
    ("votes", votes),
    ("ineligible_position", ineligible_position),
    ("insufficient_service", insufficient_service),
    ("already_awarded", already_awarded),
    ("fill_date_window", fill_date_window),
    ("birth_implausible", birth_implausible),
    ("approval_marks", super::rules_marks::approval_marks),
];

/// Runs every per-record rule; the caller appends the issues and derives the status.
pub fn check_record(record: &Record, ctx: &RuleContext) -> Vec<Issue> {
    check_record_by_rule(record, ctx).into_iter().flat_map(|(_, issues)| issues).collect()
}

/// The same, keeping apart what each rule found, in the order the rules run (for the audit).
pub fn check_record_by_rule(record: &Record, ctx: &RuleContext) -> Vec<(&'static str, Vec<Issue>)> {
    RULES
        .iter()
        .map(|(name, rule)| {
            let mut issues = Vec::new();
            rule(record, ctx, &mut issues);
            (*name, issues)
        })
        .collect()
}

fn value<'r>(record: &'r Record, id: &str) -> Option<&'r str> {
    record.value(id).map(str::trim).filter(|v| !v.is_empty())
}

/// The label to show staff. The cover repeats labels of the table (姓名, 工作单位), so cover
/// fields that share one are prefixed to say which copy is meant.
fn label(spec: &Spec, id: &str) -> String {
    let Some(f) = spec.field(id) else { return id.to_string() };
    let shared = spec.fields.iter().any(|o| o.id != f.id && o.label == f.label && !matches!(o.place, Place::Cover { .. }));
    if matches!(f.place, Place::Cover { .. }) && shared {
        format!("封面{}", f.label)
    } else {
        f.label.clone()
    }
}

/// `YYYY-MM` or `YYYY-MM-DD` as produced by the normaliser.
pub(crate) fn parse_ymd(s: &str) -> Option<(i32, u32, Option<u32>)> {
    let mut parts = s.trim().split('-');
    let y = parts.next().filter(|p| p.len() == 4)?.parse().ok()?;
    let m = parts.next().filter(|p| p.len() == 2)?.parse().ok()?;
    let d = match parts.next() {
        Some(p) if p.len() == 2 => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    if parts.next().is_some() || !(1..=12).contains(&m) {
        return None;
    }
    Some((y, m, d))
}

/// Whole months from `from` to `to`, counting a month only once its day is reached.
fn months_between(from: (i32, u32, Option<u32>), to: (i32, u32, Option<u32>)) -> i32 {
    let mut months = (to.0 * 12 + to.1 as i32) - (from.0 * 12 + from.1 as i32);
    if let (Some(fd), Some(td)) = (from.2, to.2) {
        if td < fd {
            months -= 1;
        }
    }
    months
}

fn missing_fields(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    for f in ctx.spec.fields.iter().filter(|f| f.required && f.kind != Kind::Approval) {
        let blank = match f.vote_key() {
            Some(key) => record.votes.get(key).is_none(),
            None => value(record, &f.id).is_none(),
        };
        // A value that was written but could not be understood already has its issue
        // (invalid_date, invalid_vote …): the unit needs one reason per field, the right one.
        let already = record.issues.iter().any(|i| i.field.as_deref() == Some(f.id.as_str()));
        if blank && !already {
            out.push(Issue::new("missing_field", Some(&f.id), Severity::Return, format!("{}未填写", label(ctx.spec, &f.id))));
        }
    }
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// The GB 11643-1999 check character for the first 17 digits of an ID number.
pub fn id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(ID_WEIGHTS).map(|(b, w)| (b - b'0') as u32 * w).sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

/// Why an ID number is not a valid 18-character resident ID, or None when it is.
pub fn id_number_problem(id: &str) -> Option<String> {
    let shape_ok = id.len() == 18
        && id.bytes().take(17).all(|b| b.is_ascii_digit())
        && id.bytes().last().is_some_and(|b| b.is_ascii_digit() || b == b'X');
    if !shape_ok {
        return Some(format!("身份证号码“{id}”应为18位（17位数字加1位数字或X）"));
    }
    let (y, m, d): (u32, u32, u32) = (id[6..10].parse().ok()?, id[10..12].parse().ok()?, id[12..14].parse().ok()?);
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) || d == 0 || d > super::normalize::days_in_month(y, m) {
        return Some(format!("身份证号码“{id}”中的出生日期{}不存在", &id[6..14]));
    }
    let want = id_check_char(&id[..17])?;
    if !id.ends_with(want) {
        return Some(format!("身份证号码“{id}”校验位错误，请核对号码"));
    }
    None
}

/// The year and month of birth (YYYY-MM) a valid 18-character ID number holds.
pub fn id_birth_month(id: &str) -> String {
    format!("{}-{}", &id[6..10], &id[10..12])
}

/// Validity of the number, then agreement with 出生年月 and 性别, which only make sense for a
/// valid number.
fn id_number(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    let Some(id) = value(record, "id_number") else { return };
    if let Some(problem) = id_number_problem(id) {
        out.push(Issue::new("invalid_id_number", Some("id_number"), Severity::Return, problem));
        return;
    }
    let id_month = id_birth_month(id);
    if let Some(birth) = value(record, "birth_month").filter(|b| parse_ymd(b).is_some()) {
        if birth != id_month {
            let msg = format!("身份证号码中的出生年月{id_month}与{}“{birth}”不一致", label(ctx.spec, "birth_month"));
            out.push(Issue::new("id_birth_mismatch", Some("birth_month"), Severity::Return, msg));
        }
    }
    let id_gender = if (id.as_bytes()[16] - b'0') % 2 == 1 { "男" } else { "女" };
    if let Some(gender) = value(record, "gender").filter(|g| matches!(*g, "男" | "女")) {
        if gender != id_gender {
            let msg = format!("身份证号码显示性别为{id_gender}，与{}“{gender}”不一致", label(ctx.spec, "gender"));
            out.push(Issue::new("id_gender_mismatch", Some("gender"), Severity::Return, msg));
        }
    }
}

/// Spacing and the width of brackets vary between the cover and the table without meaning
/// anything; other differences are worth a look.
fn same_text(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '（' => '(',
                '）' => ')',
                _ => c,
            })
            .collect()
    };
    squash(a) == squash(b)
}

fn cover_mismatch(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    for (cover, table) in [("cover_name", "name"), ("cover_employer", "employer")] {
        if let (Some(a), Some(b)) = (value(record, cover), value(record, table)) {
            if !same_text(a, b) {
                let msg = format!("{}“{a}”与表内{}“{b}”不一致", label(ctx.spec, cover), label(ctx.spec, table));
                out.push(Issue::new("cover_mismatch", Some(cover), Severity::Review, msg));
            }
        }
    }
}

fn votes(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    let v = &record.votes;
    let all = [v.term, v.session, v.attended, v.approved, v.opposed];
    if all.iter().flatten().any(|n| *n < 0) {
        out.push(Issue::new("votes_inconsistent", Some("votes.attended"), Severity::Return, "职代会表决人数不能为负数"));
        return;
    }
    let Some(attended) = v.attended else { return };
    if (v.approved.is_some() || v.opposed.is_some()) && !v.add_up() {
        let counted = [("同意", v.approved), ("反对", v.opposed)].iter().filter_map(|(w, n)| Some(format!("{w}{}人", (*n)?))).collect::<Vec<_>>();
        let msg = format!("职代会出席{attended}人，{}，超过出席人数", counted.join("、"));
        out.push(Issue::new("votes_inconsistent", Some("votes.attended"), Severity::Return, msg));
        return;
    }
    let Some(approved) = v.approved else { return };
    let share = ctx.config.vote_pass_share;
    if approved as f64 <= attended as f64 * share {
        let needed = if (share - 0.5).abs() < 1e-9 { "半数".to_string() } else { format!("{}%", share * 100.0) };
        let msg = format!("职代会出席{attended}人，同意{approved}人，同意人数未超过出席人数的{needed}，推荐未获通过");
        out.push(Issue::new("votes_not_passed", Some("votes.approved"), Severity::Return, msg));
    }
}

/// Ranks the notice excludes even when the config's keyword list is edited.
const CADRE_RANKS: &[&str] = &["副处", "正处", "处级", "厅级", "局级"];

/// A keyword counts only where it is not part of a harmless title (主任 inside 车间主任).
fn ineligible_keyword<'a>(position: &str, config: &'a Config) -> Option<&'a str> {
    let exceptions: Vec<(usize, usize)> = config
        .position_exceptions
        .iter()
        .filter(|e| !e.is_empty())
        .flat_map(|e| position.match_indices(e.as_str()).map(|(i, m)| (i, i + m.len())))
        .collect();
    let keywords = config.ineligible_position_keywords.iter().map(String::as_str).chain(CADRE_RANKS.iter().copied());
    keywords.filter(|k| !k.is_empty()).find(|k| {
        position
            .match_indices(k)
            .any(|(i, m)| !exceptions.iter().any(|&(a, b)| a <= i && i + m.len() <= b))
    })
}

fn ineligible_position(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    let Some(position) = value(record, "position") else { return };
    let squashed: String = position.chars().filter(|c| !c.is_whitespace()).collect();
    if ineligible_keyword(&squashed, ctx.config).is_some() {
        let msg = format!("职务“{position}”属于单位负责人或副处级以上干部，按通知不参评");
        out.push(Issue::new("ineligible_position", Some("position"), ctx.config.eligibility_severity(), msg));
    }
}

fn insufficient_service(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    let Some(start) = value(record, "work_start") else { return };
    let (Some(from), Some(notice)) = (parse_ymd(start), parse_ymd(&ctx.config.notice_date)) else { return };
    let months = months_between(from, notice);
    let years = ctx.config.min_service_years;
    let label = label(ctx.spec, "work_start");
    let msg = if months < 0 {
        format!("{label}“{start}”晚于通知发布日期{}", ctx.config.notice_date)
    } else if months < years as i32 * 12 {
        format!("{label}“{start}”至通知发布日期{}不满{years}年，按通知不参评", ctx.config.notice_date)
    } else {
        return;
    };
    out.push(Issue::new("insufficient_service", Some("work_start"), ctx.config.eligibility_severity(), msg));
}

/// Qualifiers that make an award national or regional, and the lower levels (cities, leagues,
/// banners, counties, employers) whose own awards of the same name do not bar a candidate.
const HIGH_LEVEL: &[&str] = &["全国", "自治区", "内蒙古", "国家级"];
const LOW_LEVEL: &[&str] = &["市", "盟", "旗", "县", "公司", "集团", "局", "厂", "矿"];
/// How far back a qualifier may stand from the award's name ("被内蒙古自治区总工会授予“").
const QUALIFIER_REACH: usize = 16;

/// The first national or regional award among `keywords` in the text, as qualifier…keyword.
fn prior_award(text: &str, keywords: &[String]) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for kw in keywords.iter().filter(|k| !k.is_empty()) {
        let kwc: Vec<char> = kw.chars().collect();
        for p in (0..chars.len()).filter(|&p| chars[p..].starts_with(&kwc)) {
            let mut start = p.saturating_sub(QUALIFIER_REACH);
            if let Some(b) = chars[start..p].iter().rposition(|c| "，,。；;、\n：:".contains(*c)) {
                start += b + 1;
            }
            let window: String = chars[start..p].iter().collect();
            let nearest = |markers: &[&str]| markers.iter().filter_map(|m| window.rfind(m).map(|i| (i + m.len(), i))).max();
            let high = nearest(HIGH_LEVEL);
            let low = nearest(LOW_LEVEL).map(|(end, _)| end);
            if let Some((end, begin)) = high {
                if low.is_none_or(|l| l < end) {
                    return Some(format!("{}{}", &window[begin..], kw));
                }
            }
        }
    }
    None
}

fn already_awarded(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    let Some(awards) = value(record, "awards") else { return };
    if let Some(found) = prior_award(awards, &ctx.config.prior_award_keywords) {
        let msg = format!("{}中有“{found}”，已获全国或自治区级同类荣誉，按通知原则上不再推荐", label(ctx.spec, "awards"));
        out.push(Issue::new("already_awarded", Some("awards"), ctx.config.eligibility_severity(), msg));
    }
}

/// Orders a date against a full one. Without a day only the months are compared, so a date in
/// the same month counts as equal: the benefit of the doubt goes to the unit.
fn compare_to(date: (i32, u32, Option<u32>), full: (i32, u32, Option<u32>)) -> std::cmp::Ordering {
    let month = (date.0, date.1).cmp(&(full.0, full.1));
    match (month, date.2, full.2) {
        (std::cmp::Ordering::Equal, Some(d), Some(f)) => d.cmp(&f),
        _ => month,
    }
}

fn fill_date_window(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    use std::cmp::Ordering::{Greater, Less};
    let Some(fill) = value(record, "fill_date") else { return };
    let Some(date) = parse_ymd(fill) else { return };
    let label = label(ctx.spec, "fill_date");
    if let Some(deadline) = parse_ymd(&ctx.config.deadline) {
        if compare_to(date, deadline) == Greater {
            let msg = format!("{label}{fill}晚于报送截止日期{}", ctx.config.deadline);
            out.push(Issue::new("late_submission", Some("fill_date"), Severity::Review, msg));
        }
    }
    if let Some(notice) = parse_ymd(&ctx.config.notice_date) {
        if compare_to(date, notice) == Less {
            let msg = format!("{label}{fill}早于通知发布日期{}", ctx.config.notice_date);
            out.push(Issue::new("fill_date_before_notice", Some("fill_date"), Severity::Review, msg));
        }
    }
}

fn birth_implausible(record: &Record, ctx: &RuleContext, out: &mut Vec<Issue>) {
    let Some(birth) = value(record, "birth_month") else { return };
    let (Some(b), Some(notice)) = (parse_ymd(birth), parse_ymd(&ctx.config.notice_date)) else { return };
    let age = months_between((b.0, b.1, None), notice).div_euclid(12);
    if !(16..=70).contains(&age) {
        let msg = format!("{}“{birth}”推算至通知发布时年龄为{age}岁，请核对", label(ctx.spec, "birth_month"));
        out.push(Issue::new("birth_implausible", Some("birth_month"), Severity::Review, msg));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::record::{Source, SourceKind, Status, Votes, FieldValue, SCHEMA};
    use indexmap::IndexMap;

    /// Appends the check character, so tests hold real valid IDs.
    pub(crate) fn valid_id(first17: &str) -> String {
        format!("{first17}{}", id_check_char(first17).unwrap())
    }

    /// A record with the given values in the spec's field order; `votes.*` ids fill `votes`.
    pub(crate) fn record_from(spec: &Spec, path: &str, pairs: &[(&str, &str)]) -> Record {
        let get = |id: &str| pairs.iter().rev().find(|(k, _)| *k == id).map(|(_, v)| v.to_string()).filter(|v| !v.is_empty());
        let mut fields = IndexMap::new();
        let mut votes = Votes::default();
        for f in spec.value_fields() {
            match f.vote_key() {
                Some(key) => votes.set(key, get(&f.id).and_then(|v| v.parse().ok())),
                None => {
                    let v = get(&f.id);
                    fields.insert(f.id.clone(), FieldValue { value: v.clone(), raw: v, confidence: 1.0, ..FieldValue::default() });
                }
            }
        }
        Record {
            schema: SCHEMA,
            source: Source { path: path.into(), sha256: String::new(), kind: SourceKind::Docx, pages: 0 },
            status: Status::Complete,
            fields,
            votes,
            approvals: IndexMap::new(),
            issues: Vec::new(),
            corrections: Vec::new(),
            audit: None,
        }
    }

    /// A complete, eligible candidate; `changes` override or blank ("") single values.
    pub(crate) fn good(spec: &Spec, changes: &[(&str, &str)]) -> Record {
        let id = valid_id("15020319850615123");
        let mut pairs: Vec<(&str, &str)> = vec![
            ("cover_name", "张三"), ("cover_employer", "包头钢铁（集团）有限责任公司"), ("cover_region", "包头市"),
            ("fill_date", "2023-05-06"), ("name", "张三"), ("gender", "男"), ("birth_month", "1985-06"),
            ("native_place", "内蒙古包头"), ("ethnicity", "蒙古族"), ("political_status", "中共党员"),
            ("education", "大学本科"), ("work_start", "2008-07"), ("id_number", &id),
            ("employer", "包头钢铁(集团)有限责任公司"), ("phone", "13800001111"), ("position", "车间主任"),
            ("awards", "2019年5月，被包头市总工会授予包头市五一劳动奖章"), ("resume", "2008.07 至今 包钢"),
            ("deeds", "事迹"), ("votes.term", "5"), ("votes.session", "3"), ("votes.attended", "120"),
            ("votes.approved", "115"), ("votes.opposed", "2"),
        ];
        pairs.extend_from_slice(changes);
        record_from(spec, "in/0001.docx", &pairs)
    }

    fn run(rule: Rule, record: &Record) -> Vec<Issue> {
        let (spec, config) = (Spec::builtin(), Config::default());
        let mut out = Vec::new();
        rule(record, &RuleContext { spec: &spec, config: &config }, &mut out);
        out
    }

    fn codes(rule: Rule, changes: &[(&str, &str)]) -> Vec<String> {
        run(rule, &good(&Spec::builtin(), changes)).into_iter().map(|i| i.code).collect()
    }

    #[test]
    fn good_record_has_no_issue() {
        let (spec, config) = (Spec::builtin(), Config::default());
        let issues = check_record(&good(&spec, &[]), &RuleContext { spec: &spec, config: &config });
        assert!(issues.is_empty(), "{issues:?}");
    }

    #[test]
    fn check_record_survives_an_empty_record() {
        let (spec, config) = (Spec::builtin(), Config::default());
        let mut r = record_from(&spec, "x", &[]);
        r.fields.clear();
        let issues = check_record(&r, &RuleContext { spec: &spec, config: &config });
        assert!(issues.iter().all(|i| i.code == "missing_field"));
        assert_eq!(issues.len(), spec.fields.iter().filter(|f| f.required && f.kind != Kind::Approval).count());
    }

    #[test]
    fn missing_fields_named_by_label() {
        let r = good(&Spec::builtin(), &[("phone", ""), ("cover_name", " "), ("votes.opposed", ""), ("position", "")]);
        let issues = run(missing_fields, &r);
        let got: Vec<(&str, &str)> = issues.iter().map(|i| (i.field.as_deref().unwrap(), i.message.as_str())).collect();
        assert_eq!(got, [("cover_name", "封面姓名未填写"), ("phone", "联系电话未填写"), ("votes.opposed", "反对人数未填写")]);
        assert!(issues.iter().all(|i| i.severity == Severity::Return && i.code == "missing_field"));
    }

    #[test]
    fn a_field_written_but_unreadable_is_not_also_missing() {
        let mut r = good(&Spec::builtin(), &[("birth_month", "")]);
        r.issues.push(Issue::new("invalid_date", Some("birth_month"), Severity::Return, "x"));
        assert!(run(missing_fields, &r).is_empty());
    }

    #[test]
    fn id_check_digit() {
        assert_eq!(id_check_char("11010519491231002"), Some('X'));
        assert_eq!(id_number_problem("11010519491231002X"), None);
        assert!(id_number_problem("110105194912310021").unwrap().contains("校验位"));
        assert!(id_number_problem("11010519491231002").unwrap().contains("18位"));
        assert!(id_number_problem("1101051949123100XX").unwrap().contains("18位"));
        assert!(id_number_problem(&valid_id("11010519490230002")).unwrap().contains("19490230"));
        assert!(id_number_problem(&valid_id("11010518990101002")).unwrap().contains("不存在"));
    }

    #[test]
    fn id_rules() {
        assert!(codes(id_number, &[]).is_empty());
        let right = valid_id("15020319850615123");
        let bad = format!("{}{}", &right[..17], if right.ends_with('0') { '1' } else { '0' });
        assert_eq!(codes(id_number, &[("id_number", &bad)]), ["invalid_id_number"]);
        // An invalid number is not compared with 出生年月 and 性别.
        assert_eq!(codes(id_number, &[("id_number", &bad), ("gender", "女"), ("birth_month", "1990-01")]), ["invalid_id_number"]);
        assert_eq!(codes(id_number, &[("birth_month", "1985-07")]), ["id_birth_mismatch"]);
        assert_eq!(codes(id_number, &[("gender", "女")]), ["id_gender_mismatch"]);
        let woman = valid_id("15020319850615124");
        assert!(codes(id_number, &[("id_number", &woman), ("gender", "女")]).is_empty());
        assert!(codes(id_number, &[("id_number", ""), ("gender", "女")]).is_empty());
    }

    #[test]
    fn cover_against_table() {
        assert!(codes(cover_mismatch, &[("cover_employer", "包头钢铁 (集团) 有限责任公司")]).is_empty());
        assert_eq!(codes(cover_mismatch, &[("cover_name", "张山")]), ["cover_mismatch"]);
        let i = run(cover_mismatch, &good(&Spec::builtin(), &[("employer", "包头钢铁公司")]));
        assert_eq!((i[0].severity, i[0].field.as_deref()), (Severity::Review, Some("cover_employer")));
        assert!(codes(cover_mismatch, &[("cover_name", "")]).is_empty());
    }

    #[test]
    fn vote_rules() {
        assert!(codes(votes, &[]).is_empty());
        assert_eq!(codes(votes, &[("votes.approved", "110"), ("votes.opposed", "11")]), ["votes_inconsistent"]);
        assert_eq!(codes(votes, &[("votes.opposed", "-1")]), ["votes_inconsistent"]);
        let i = run(votes, &good(&Spec::builtin(), &[("votes.approved", "121"), ("votes.opposed", "")]));
        assert_eq!(i[0].message, "职代会出席120人，同意121人，超过出席人数");
        assert_eq!(codes(votes, &[("votes.approved", "60"), ("votes.opposed", "")]), ["votes_not_passed"]);
        assert!(codes(votes, &[("votes.approved", "61"), ("votes.opposed", "")]).is_empty());
        // Missing counts are missing_field's to report.
        assert!(codes(votes, &[("votes.attended", "")]).is_empty());
        assert!(codes(votes, &[("votes.approved", ""), ("votes.opposed", "")]).is_empty());
    }

    #[test]
    fn position_rules() {
        for p in ["车间主任", "班长", "工人", "副班长", "主任科员", "护士长", "办公室主任", "科长"] {
            assert!(codes(ineligible_position, &[("position", p)]).is_empty(), "{p}");
        }
        for p in ["总经理", "车间主任兼党支部书记", "副处长", "正处级调研员", "厅级干部", "局级", "主任", "副 总 经 理"] {
            assert_eq!(codes(ineligible_position, &[("position", p)]), ["ineligible_position"], "{p}");
        }
        let i = run(ineligible_position, &good(&Spec::builtin(), &[("position", "总经理")]));
        assert_eq!(i[0].message, "职务“总经理”属于单位负责人或副处级以上干部，按通知不参评");
        assert_eq!(i[0].severity, Severity::Review);
    }

    #[test]
    fn service_rules() {
        assert!(codes(insufficient_service, &[("work_start", "2018-04")]).is_empty());
        assert_eq!(codes(insufficient_service, &[("work_start", "2018-05")]), ["insufficient_service"]);
        assert_eq!(codes(insufficient_service, &[("work_start", "2024-01")]), ["insufficient_service"]);
        assert!(codes(insufficient_service, &[("work_start", "不详")]).is_empty());
        let config = Config { eligibility_severity: "return".into(), ..Config::default() };
        let spec = Spec::builtin();
        let mut out = Vec::new();
        insufficient_service(&good(&spec, &[("work_start", "2020-01")]), &RuleContext { spec: &spec, config: &config }, &mut out);
        assert_eq!(out[0].severity, Severity::Return);
    }

    #[test]
    fn award_rules() {
        for a in ["2019年5月，被中华全国总工会授予全国五一劳动奖章", "2020年获自治区五一劳动奖章", "2021年被内蒙古自治区总工会授予“五一劳动奖章”", "2022年荣获自治区“最美职工”称号", "2018年包头市劳动模范；2020年内蒙古自治区五一劳动奖章"] {
            assert_eq!(codes(already_awarded, &[("awards", a)]), ["already_awarded"], "{a}");
        }
        for a in ["2019年包头市五一劳动奖章", "2020年获盟市最美职工", "2021年被内蒙古自治区包头市总工会授予五一劳动奖章", "2020年获内蒙古电力公司五一劳动奖章", "2018年自治区劳动模范；2019年鄂尔多斯市五一劳动奖章", "获五一劳动奖章"] {
            assert!(codes(already_awarded, &[("awards", a)]).is_empty(), "{a}");
        }
        let i = run(already_awarded, &good(&Spec::builtin(), &[("awards", "2020年获自治区五一劳动奖章")]));
        assert!(i[0].message.contains("“自治区五一劳动奖章”"), "{}", i[0].message);
    }

    #[test]
    fn fill_date_rules() {
        assert!(codes(fill_date_window, &[("fill_date", "2023-05-19")]).is_empty());
        assert!(codes(fill_date_window, &[("fill_date", "2023-05")]).is_empty());
        assert!(codes(fill_date_window, &[("fill_date", "2023-04")]).is_empty());
        assert_eq!(codes(fill_date_window, &[("fill_date", "2023-05-20")]), ["late_submission"]);
        assert_eq!(codes(fill_date_window, &[("fill_date", "2023-06")]), ["late_submission"]);
        assert_eq!(codes(fill_date_window, &[("fill_date", "2023-04-09")]), ["fill_date_before_notice"]);
        assert_eq!(codes(fill_date_window, &[("fill_date", "2023-03")]), ["fill_date_before_notice"]);
    }

    #[test]
    fn birth_rules() {
        assert!(codes(birth_implausible, &[("birth_month", "2007-04")]).is_empty());
        assert_eq!(codes(birth_implausible, &[("birth_month", "2007-05")]), ["birth_implausible"]);
        assert!(codes(birth_implausible, &[("birth_month", "1952-05")]).is_empty());
        assert_eq!(codes(birth_implausible, &[("birth_month", "1952-04")]), ["birth_implausible"]);
        assert_eq!(codes(birth_implausible, &[("birth_month", "2030-01")]), ["birth_implausible"]);
    }
}
