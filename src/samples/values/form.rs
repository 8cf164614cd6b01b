//! One whole form: the candidate, the units above it, the vote, the approval boxes and the
//! planted defects, as the spellings the template is filled with.

use super::*;

/// Generates one candidate's form. `gray` forms get no missing-seal defect (a grey copy cannot
/// show one); `defective` forms get 1–3 planted defects.
pub fn generate(spec: &Spec, rng: &mut ChaCha8Rng, gray: bool, defective: bool) -> Values {
    // Where: a 盟市 (mostly) or an industry union.
    let (region, industry, unit, sector) = if chance(rng, 0.82) {
        let r = &REGIONS[rng.random_range(0..REGIONS.len())];
        let (u, s) = *r.units.choose(rng).expect("units");
        (r, None, u, s)
    } else {
        let ind = &INDUSTRIES[rng.random_range(0..INDUSTRIES.len())];
        let (u, s) = *ind.units.choose(rng).expect("units");
        (&REGIONS[ind.home], Some(ind.name), u, s)
    };
    let (county, county_code) = *region.counties.choose(rng).expect("counties");
    let county_full = if county.ends_with('市') { county.to_string() } else { format!("{}{county}", region.name) };

    // Who.
    let male = match sector {
        Hospital => chance(rng, 0.25),
        Coal | Steel | Power => chance(rng, 0.85),
        _ => chance(rng, 0.55),
    };
    let ethnicity = weighted(rng, &[(58, "汉族"), (30, "蒙古族"), (4, "回族"), (4, "满族"), (2, "达斡尔族"), (1, "鄂温克族"), (1, "朝鲜族")]);
    let name = person_name(rng, male, ethnicity);
    let birth_y = if chance(rng, 0.92) { rng.random_range(1965..=1995) } else { rng.random_range(1996..=2000) };
    let birth_m = rng.random_range(1..=12);
    let birth = (birth_y, birth_m, rng.random_range(1..=days_in_month(birth_y, birth_m)));
    // Education compatible with five years of service by the notice.
    let fits: Vec<&(&str, u32, u32)> = EDUCATION.iter().filter(|(_, end, _)| birth_y + end <= 2017).collect();
    let (education, end_age, study) = if fits.is_empty() { EDUCATION[0] } else { **fits.choose(rng).expect("education") };
    let ws_y = (birth_y + end_age + rng.random_range(0..=1)).min(2017);
    let ws_m = if chance(rng, 0.6) { rng.random_range(7..=9) } else { rng.random_range(1..=12) };
    let position = pick(rng, positions(sector)).to_string();
    let mut person = Person { male, ethnicity, name, work_start: (ws_y, ws_m), education, sector, position };

    // Native place and the ID's region.
    let (native, id_region) = if chance(rng, 0.75) {
        let r = if chance(rng, 0.7) { region } else { &REGIONS[rng.random_range(0..REGIONS.len())] };
        let (c, code) = *r.counties.choose(rng).expect("counties");
        let spelled = match rng.random_range(0..5) {
            0 => format!("内蒙古{}", r.short),
            1 => format!("内蒙古{}", r.name),
            2 => format!("内蒙古自治区{}", r.name),
            3 => format!("内蒙古{}{c}", r.short),
            _ => r.name.to_string(),
        };
        (spelled, code.to_string())
    } else {
        let (p, _) = *OTHER_PROVINCES.choose(rng).expect("provinces");
        (p.to_string(), if chance(rng, 0.8) { county_code.to_string() } else { OTHER_PROVINCES.iter().find(|(q, _)| *q == p).map(|(_, c)| c.to_string()).unwrap_or_default() })
    };

    let political = {
        let young = birth_y >= 1993;
        let party = weighted(rng, &[(50, "党员"), (28, "群众"), (if young { 10 } else { 0 }, "团员"), (4, "预备"), (6, "民主党派")]);
        match party {
            "党员" => pick(rng, &["中共党员", "中共党员", "中共党员", "党员", "中国共产党党员", "共产党员"]).to_string(),
            "团员" => pick(rng, &["共青团员", "团员"]).to_string(),
            "预备" => pick(rng, &["中共预备党员", "预备党员"]).to_string(),
            "民主党派" => pick(rng, &["民盟", "中国民主同盟", "九三学社", "民进", "农工党", "致公党", "民建会员"]).to_string(),
            _ => "群众".to_string(),
        }
    };
    let ethnicity_typed = match ethnicity {
        "汉族" => weighted(rng, &[(9, "汉族"), (1, "汉")]).to_string(),
        "蒙古族" => weighted(rng, &[(7, "蒙古族"), (2, "蒙古"), (1, "蒙族")]).to_string(),
        e if chance(rng, 0.2) => e.trim_end_matches('族').to_string(),
        e => e.to_string(),
    };

    // The vote of the congress.
    let attended = rng.random_range(30..=300i64);
    let opposed = weighted(rng, &[(5, 0i64), (3, 1), (2, 2), (1, 3)]);
    let abstained = rng.random_range(0..=(attended / 20).min(5));
    let mut votes = [rng.random_range(1..=12i64), rng.random_range(1..=12i64), attended, attended - opposed - abstained, opposed];

    // Dates: the congress, the union, then the higher levels, all before the deadline.
    let congress = add_days((2023, 4, 11), rng.random_range(0..=14));
    let mut box_dates = Vec::new();
    let mut d = congress;
    for k in 0..6 {
        if k > 0 {
            d = add_days(d, if k % 2 == 0 { rng.random_range(1..=6) } else { rng.random_range(0..=2) });
        }
        box_dates.push(d);
    }
    let fill_date = add_days(congress, rng.random_range(0..=4));

    let mut awards_lines = awards(rng, &person, unit, region.name);
    let mut planted: Vec<Planted> = Vec::new();
    let mut id = id_number(rng, &id_region, birth, male);
    let birth_typed = (birth.0, birth.1);
    let mut blank: Vec<String> = Vec::new();
    let box_ids: Vec<String> = spec.approvals().map(|f| f.id.clone()).collect();
    let mut plans: IndexMap<String, BoxPlan> = box_ids
        .iter()
        .zip(box_dates.iter().cycle())
        .map(|(b, d)| {
            let (male, mongol) = (chance(rng, 0.7), chance(rng, 0.3));
            let signer = person_name(rng, male, if mongol { "蒙古族" } else { "汉族" });
            (b.clone(), BoxPlan { signer: Some(signer), seal: Some(seal_org(b, unit, &county_full, region.name, industry)), date: Some(*d) })
        })
        .collect();

    if defective {
        let chosen = choose_defects(rng, gray);
        for code in &chosen {
            let field = match *code {
                "invalid_id_number" => {
                    id = break_check_char(rng, &id);
                    "id_number".to_string()
                }
                "id_birth_mismatch" => {
                    // The ID says another month (or year) than 出生年月; the ID stays valid.
                    let shift = *[-2i32, -1, 1, 2, 12, -12].choose(rng).expect("shifts");
                    let total = birth.0 as i32 * 12 + birth.1 as i32 - 1 + shift;
                    let (y, m) = ((total / 12) as u32, (total % 12) as u32 + 1);
                    let dd = birth.2.min(days_in_month(y, m));
                    id = id_number(rng, &id_region, (y, m, dd), male);
                    "birth_month".to_string()
                }
                "votes_not_passed" => {
                    let att = votes[2];
                    let approved = att / 2 - rng.random_range(0..=(att / 6).max(1));
                    let opposed = rng.random_range(0..=(att - approved).min(att / 3));
                    votes[3] = approved.max(0);
                    votes[4] = opposed;
                    "votes.approved".to_string()
                }
                "votes_inconsistent" => {
                    let att = votes[2];
                    votes[3] = att - rng.random_range(0..=3);
                    votes[4] = rng.random_range(4..=9);
                    "votes.attended".to_string()
                }
                "ineligible_position" => {
                    person.position = pick(rng, &["总经理", "副总经理", "副处长", "厂长", "党委书记", "院长", "办公室主任兼副处长"]).to_string();
                    "position".to_string()
                }
                "insufficient_service" => {
                    let (y, m) = (rng.random_range(2018..=2022u32), rng.random_range(1..=12u32));
                    let (y, m) = if (y, m) < (2018, 5) { (2018, 6) } else { (y, m) };
                    person.work_start = (y, m);
                    "work_start".to_string()
                }
                "already_awarded" => {
                    let y = rng.random_range(2015..=2022);
                    let line = match rng.random_range(0..3) {
                        0 => format!("{y}年4月，被内蒙古自治区总工会授予“自治区五一劳动奖章”"),
                        1 => format!("{y}年4月，荣获全国五一劳动奖章"),
                        _ => format!("{y}年5月，被评为内蒙古自治区“最美职工”"),
                    };
                    let at = rng.random_range(0..=awards_lines.len());
                    awards_lines.insert(at, line);
                    "awards".to_string()
                }
                "missing_signature" | "missing_seal" | "missing_date" => {
                    let b = box_ids.choose(rng).cloned().unwrap_or_default();
                    if let Some(plan) = plans.get_mut(&b) {
                        match *code {
                            "missing_signature" => plan.signer = None,
                            "missing_seal" => plan.seal = None,
                            _ => plan.date = None,
                        }
                    }
                    b
                }
                _ => {
                    // missing_field: a required value no other defect is about.
                    let busy: Vec<&str> = chosen
                        .iter()
                        .flat_map(|c| match *c {
                            "invalid_id_number" => vec!["id_number"],
                            "id_birth_mismatch" => vec!["id_number", "birth_month"],
                            "votes_not_passed" | "votes_inconsistent" => vec!["votes.attended", "votes.approved", "votes.opposed"],
                            "insufficient_service" => vec!["work_start"],
                            _ => vec![],
                        })
                        .collect();
                    let candidates: Vec<&str> = spec
                        .value_fields()
                        .filter(|f| f.required && !busy.contains(&f.id.as_str()))
                        .map(|f| f.id.as_str())
                        .collect();
                    let f = candidates.choose(rng).map(|s| s.to_string()).unwrap_or_default();
                    blank.push(f.clone());
                    f
                }
            };
            planted.push(Planted { code: code.to_string(), field });
        }
        // A box left wholly empty is common (a level that has not signed yet): when one mark
        // is missing, sometimes the whole box is.
        if let Some(p) = planted.iter().find(|p| p.code.starts_with("missing_s") || p.code == "missing_date").cloned() {
            if chance(rng, 0.3) {
                if let Some(plan) = plans.get_mut(&p.field) {
                    *plan = BoxPlan { signer: None, seal: None, date: None };
                }
                for code in ["missing_signature", "missing_seal", "missing_date"] {
                    if gray && code == "missing_seal" {
                        continue;
                    }
                    if !planted.iter().any(|q| q.code == code && q.field == p.field) {
                        planted.push(Planted { code: code.to_string(), field: p.field.clone() });
                    }
                }
            }
        }
    }

    // The spellings, field by field of the spec.
    let work_start_typed = person.work_start;
    let resume_lines = resume(rng, &person, unit, region.name, study);
    let relations = social_relations(rng, &person);
    let deeds_text = deeds(rng, &person);
    let name_typed = spell_name(rng, &person.name);
    let cover_name_typed = if chance(rng, 0.7) { person.name.clone() } else { spell_name(rng, &person.name) };
    let cover_employer = if chance(rng, 0.15) { unit.replace('（', "(").replace('）', ")") } else { unit.to_string() };
    let region_name = industry.unwrap_or(region.name).to_string();
    let title = pick(rng, titles(sector)).to_string();
    let skill = pick(rng, skills(sector)).to_string();
    let mut raw: IndexMap<String, Option<String>> = IndexMap::new();
    let mut prefill = BTreeMap::new();
    for f in spec.value_fields() {
        let typed: Option<String> = match f.id.as_str() {
            "cover_name" => Some(cover_name_typed.clone()),
            "cover_employer" => Some(cover_employer.clone()),
            "cover_region" => Some(region_name.clone()),
            "fill_date" => Some(iso(fill_date)),
            "name" => Some(name_typed.clone()),
            "gender" => Some(if chance(rng, 0.05) { if male { "男性" } else { "女性" } } else if male { "男" } else { "女" }.to_string()),
            "birth_month" => Some(spell_month(rng, birth_typed.0, birth_typed.1)),
            "native_place" => Some(native.clone()),
            "ethnicity" => Some(ethnicity_typed.clone()),
            "political_status" => Some(political.clone()),
            "education" => Some(spell_education(rng, education)),
            "work_start" => Some(spell_month(rng, work_start_typed.0, work_start_typed.1)),
            "id_number" => Some(spell_id(rng, &id)),
            "employer" => Some(unit.to_string()),
            "phone" => Some(spell_phone(rng, region.area_code)),
            "position" => Some(person.position.clone()).filter(|_| planted.iter().any(|p| p.field == "position") || !chance(rng, 0.03)),
            "title" => Some(title.clone()).filter(|_| !chance(rng, 0.1)),
            "skill_level" => Some(skill.clone()).filter(|_| !chance(rng, 0.1)),
            "awards" => Some(awards_lines.join("\n")).filter(|s| !s.is_empty()),
            "resume" => Some(resume_lines.join("\n")),
            "social_relations" => Some(relations.join("\n")).filter(|s| !s.is_empty()),
            "deeds" => Some(deeds_text.clone()),
            id if f.kind == Kind::Vote => {
                let key = f.vote_key().unwrap_or(id);
                let n = match key {
                    "term" => votes[0],
                    "session" => votes[1],
                    "attended" => votes[2],
                    "approved" => votes[3],
                    _ => votes[4],
                };
                Some(spell_count(rng, key, n))
            }
            _ => Some(fallback(rng, f.kind)),
        };
        let typed = if blank.contains(&f.id) { None } else { typed };
        if let Some(t) = &typed {
            prefill.insert(f.id.clone(), t.clone());
        }
        // A date control shows the date its own way; the raw spelling is what is printed.
        let shown = match (&typed, f.kind) {
            (Some(t), Kind::Date) => Some(show_date(t)),
            _ => typed,
        };
        raw.insert(f.id.clone(), shown);
    }
    Values { raw, prefill, unit: unit.to_string(), region: region_name, approvals: plans, planted }
}

/// How the template prints a `YYYY-MM-DD` date control.
pub(super) fn show_date(iso: &str) -> String {
    let p: Vec<u32> = iso.split('-').filter_map(|s| s.parse().ok()).collect();
    match p.as_slice() {
        [y, m, d] => format!("{y}年{m}月{d}日"),
        _ => iso.to_string(),
    }
}

/// Chinese numerals for 1–99 (届次 are often written so).
pub fn chinese_number(n: i64) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!("{}十{}", D[(n / 10) as usize], if n % 10 == 0 { "" } else { D[(n % 10) as usize] }),
        _ => n.to_string(),
    }
}

pub(super) fn spell_count(rng: &mut ChaCha8Rng, key: &str, n: i64) -> String {
    match key {
        "term" | "session" if chance(rng, 0.4) => chinese_number(n),
        "opposed" if n == 0 && chance(rng, 0.15) => "无".to_string(),
        _ => n.to_string(),
    }
}

/// A value for a field the generator has no special knowledge of (another spec).
pub(super) fn fallback(rng: &mut ChaCha8Rng, kind: Kind) -> String {
    match kind {
        Kind::Month => {
            let (y, m) = (rng.random_range(1990..=2015), rng.random_range(1..=12));
            spell_month(rng, y, m)
        }
        Kind::Date => iso(add_days((2023, 4, 11), rng.random_range(0..30))),
        Kind::Name => {
            let male = chance(rng, 0.5);
            han_name(rng, male, HAN_SURNAMES)
        }
        Kind::Phone => mobile(rng),
        Kind::Vote => rng.random_range(1..10).to_string(),
        Kind::Multiline => "见附件".to_string(),
        _ => "无".to_string(),
    }
}
