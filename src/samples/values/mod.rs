//! Realistic random candidates for the sample forms: names (Han, Mongolian, transliterated with
//! `·`), units of Inner Mongolia and their 盟市 or industry union, dates in the spellings people
//! type, ID numbers with valid check characters, phones, front-line positions, awards, résumés,
//! deeds, the congress vote, the approval boxes — and the planted defects.
//!
//! Everything here produces *typed spellings*; the truth normalises them with the project's own
//! normalisers (`truth.rs`), so the generator never states a normalised value on its own.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::fields::rules::id_check_char;
use crate::spec::{Kind, Spec};
use crate::template::Prefill;

mod data;
pub use data::*;
use Sector::*;
mod form;
pub use form::{chinese_number, generate};

/// What one generated form carries: the spellings to type, the ink to put on the approval boxes,
/// and the defects planted.
#[derive(Debug, Clone)]
pub struct Values {
    /// The text typed into each value field (vote blanks included), in spec order; None = blank.
    pub raw: IndexMap<String, Option<String>>,
    /// What `template::build_docx` is given (dates of kind `date` as `YYYY-MM-DD`).
    pub prefill: Prefill,
    pub unit: String,
    /// The 盟市 or industry union (cover_region).
    pub region: String,
    /// One plan per approval box, in spec order.
    pub approvals: IndexMap<String, BoxPlan>,
    pub planted: Vec<Planted>,
}

/// The ink planned for one approval box.
#[derive(Debug, Clone, PartialEq)]
pub struct BoxPlan {
    /// The signer's name, when signed.
    pub signer: Option<String>,
    /// The organisation whose seal is stamped, when stamped.
    pub seal: Option<String>,
    pub date: Option<(u32, u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Planted {
    pub code: String,
    /// The field or approval box concerned.
    pub field: String,
}

/// What the generator knows about the candidate while it writes the form.
struct Person {
    male: bool,
    ethnicity: &'static str,
    name: String,
    work_start: (u32, u32),
    education: &'static str,
    sector: Sector,
    position: String,
}

fn pick<'a, T: ?Sized>(rng: &mut ChaCha8Rng, items: &'a [&'a T]) -> &'a T {
    items.choose(rng).copied().expect("non-empty list")
}

fn chance(rng: &mut ChaCha8Rng, p: f64) -> bool {
    rng.random_bool(p.clamp(0.0, 1.0))
}

/// Picks from `(weight, item)` pairs.
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(u32, T)]) -> T {
    let total: u32 = items.iter().map(|(w, _)| w).sum();
    let mut r = rng.random_range(0..total);
    for (w, item) in items {
        if r < *w {
            return *item;
        }
        r -= w;
    }
    items[items.len() - 1].1
}

pub fn days_in_month(y: u32, m: u32) -> u32 {
    crate::fields::normalize::days_in_month(y, m)
}

// ---------------------------------------------------------------- names

pub fn han_name(rng: &mut ChaCha8Rng, male: bool, surnames: &[&str]) -> String {
    let given = if male { pick(rng, HAN_MALE) } else { pick(rng, HAN_FEMALE) };
    format!("{}{}", pick(rng, surnames), given)
}

/// A person's name as the normaliser will give it back (dot = U+00B7).
pub fn person_name(rng: &mut ChaCha8Rng, male: bool, ethnicity: &str) -> String {
    if ethnicity == "蒙古族" && chance(rng, 0.7) {
        let own = if male { pick(rng, MONGOL_MALE) } else { pick(rng, MONGOL_FEMALE) };
        return match rng.random_range(0..10) {
            0..=2 => {
                let first = *MONGOL_FIRST.iter().filter(|f| **f != own).collect::<Vec<_>>().choose(rng).expect("names");
                format!("{first}·{own}")
            }
            3 => format!("{}{own}", pick(rng, &["包", "白", "鲍", "韩"])),
            _ => own.to_string(),
        };
    }
    if let Some((_, surnames)) = MINORITIES.iter().find(|(e, _)| *e == ethnicity) {
        return han_name(rng, male, surnames);
    }
    han_name(rng, male, HAN_SURNAMES)
}

/// How a name is typed: transliteration dots in their many forms, short names letter-spaced.
fn spell_name(rng: &mut ChaCha8Rng, name: &str) -> String {
    if name.contains('·') {
        let dot = *["·", "·", "·", " · ", "・", "•", ".", "．"].choose(rng).expect("dots");
        return name.replace('·', dot);
    }
    if name.chars().count() == 2 && chance(rng, 0.25) {
        let c: Vec<char> = name.chars().collect();
        let gap = if chance(rng, 0.5) { "  " } else { "\u{3000}" };
        return format!("{}{gap}{}", c[0], c[1]);
    }
    name.to_string()
}

// ---------------------------------------------------------------- dates

/// A year and month in one of the spellings the form sees.
pub fn spell_month(rng: &mut ChaCha8Rng, y: u32, m: u32) -> String {
    match rng.random_range(0..12) {
        0..=2 => format!("{y}.{m:02}"),
        3..=4 => format!("{y}.{m}"),
        5..=7 => format!("{y}年{m}月"),
        8 => format!("{y}-{m:02}"),
        9 => format!("{y}/{m}"),
        10 => format!("{y}年{m:02}月"),
        _ => format!("{y}.{m:02}"),
    }
}

/// A date as written in a résumé line.
fn spell_resume_month(style: u32, y: u32, m: u32) -> String {
    match style {
        0 => format!("{y}.{m:02}"),
        1 => format!("{y}年{m}月"),
        _ => format!("{y}.{m}"),
    }
}

fn add_days(mut d: (u32, u32, u32), n: u32) -> (u32, u32, u32) {
    for _ in 0..n {
        d.2 += 1;
        if d.2 > days_in_month(d.0, d.1) {
            d.2 = 1;
            d.1 += 1;
            if d.1 > 12 {
                d.1 = 1;
                d.0 += 1;
            }
        }
    }
    d
}

fn iso(d: (u32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

// ---------------------------------------------------------------- ID numbers, phones

/// A valid 18-character ID: region, birth date, sequence whose last digit is odd for men,
/// and the GB 11643-1999 check character.
pub fn id_number(rng: &mut ChaCha8Rng, region_code: &str, birth: (u32, u32, u32), male: bool) -> String {
    let seq_hi = rng.random_range(0..100u32);
    let parity = rng.random_range(0..5u32) * 2 + u32::from(male);
    let first17 = format!("{region_code}{:04}{:02}{:02}{seq_hi:02}{parity}", birth.0, birth.1, birth.2);
    let check = id_check_char(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// The same number with a wrong check character.
pub fn break_check_char(rng: &mut ChaCha8Rng, id: &str) -> String {
    let good = id.chars().last().unwrap_or('0');
    let wrong: Vec<char> = "0123456789X".chars().filter(|c| *c != good).collect();
    format!("{}{}", &id[..17], wrong.choose(rng).expect("chars"))
}

/// How an ID is typed: mostly plain, sometimes grouped with spaces or with a lower-case x.
fn spell_id(rng: &mut ChaCha8Rng, id: &str) -> String {
    match rng.random_range(0..10) {
        0 => format!("{} {} {}", &id[..6], &id[6..14], &id[14..]),
        1 if id.ends_with('X') => id.replace('X', "x"),
        _ => id.to_string(),
    }
}

fn mobile(rng: &mut ChaCha8Rng) -> String {
    let prefix = pick(rng, &["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "158", "159", "177", "180", "181", "183", "186", "187", "188", "189", "199"]);
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

fn spell_phone(rng: &mut ChaCha8Rng, area: &str) -> String {
    let landline = format!("{}{:06}", rng.random_range(2..9u32), rng.random_range(0..1_000_000u32));
    match rng.random_range(0..20) {
        0..=9 => mobile(rng),
        10..=11 => {
            let m = mobile(rng);
            format!("{} {} {}", &m[..3], &m[3..7], &m[7..])
        }
        12..=14 => format!("{area}-{landline}"),
        15 => format!("{area} {landline}"),
        16 => format!("（{area}）{landline}"),
        17 => format!("{area}－{landline}"),
        _ => format!("{}；{area}-{landline}", mobile(rng)),
    }
}

// ---------------------------------------------------------------- work

fn positions(sector: Sector) -> &'static [&'static str] {
    match sector {
        Steel => &["炼钢工", "轧钢工", "高炉炉前工", "天车工", "设备点检员", "转炉炼钢班班长", "维修电工"],
        Machinery => &["数控车工", "钳工", "焊工", "装配钳工", "铣工", "车间主任"],
        Hospital => &["护士", "急诊科护士", "护士长", "住院医师", "医生", "手术室护士"],
        Sanitation => &["环卫工", "保洁员", "清扫班班长", "垃圾清运车司机", "环卫工人"],
        Power => &["变电运维工", "输电线路工", "配电线路工", "电力调度员", "继电保护工"],
        Bus => &["公交司机", "公交车驾驶员", "线路调度员", "机修工", "安全员"],
        Coal => &["采煤机司机", "综采维修电工", "掘进机司机", "井下安检工", "矿井通风工"],
        Dairy => &["乳品检验员", "生产线操作工", "质检员", "设备维修工"],
        Chemical => &["化工操作工", "仪表维修工", "电解工", "化验员", "外操班长"],
        Rail => &["列车乘务员", "机车司机", "车辆检修工", "线路工"],
        Highway => &["收费员", "养护工", "路政员", "监控员"],
        School => &["教师", "语文教师", "数学教师", "教研组长"],
    }
}

fn departments(sector: Sector) -> &'static [&'static str] {
    match sector {
        Hospital => &["", "急诊科", "内科", "外科", "手术室", "重症医学科"],
        School => &["", "初中部", "高中部"],
        Sanitation => &["", "清扫一队", "作业二队", "机扫队"],
        Bus => &["", "第一分公司", "第三车队", "保修厂"],
        Highway => &["", "收费所", "养护中心"],
        Rail => &["", "检修车间", "运用车间"],
        _ => &["", "生产一线", "一车间", "二车间", "运行部"],
    }
}

fn titles(sector: Sector) -> &'static [&'static str] {
    match sector {
        Hospital => &["主管护师", "护师", "副主任护师", "主治医师", "副主任医师", "护士"],
        School => &["一级教师", "高级教师", "二级教师"],
        Sanitation | Bus | Highway => &["无", "无", "助理工程师"],
        _ => &["工程师", "助理工程师", "高级工程师", "无", "技术员"],
    }
}

fn skills(sector: Sector) -> &'static [&'static str] {
    match sector {
        Hospital | School => &["无", "—"],
        Sanitation | Highway => &["初级工", "中级工", "无"],
        _ => &["高级技师", "技师", "高级工", "中级工", "首席技师"],
    }
}

fn majors(sector: Sector) -> &'static [&'static str] {
    match sector {
        Steel => &["冶金工程", "钢铁冶金", "材料成型"],
        Machinery => &["机械制造", "数控技术", "焊接技术"],
        Hospital => &["护理学", "临床医学", "护理"],
        Power => &["电气工程及其自动化", "供用电技术", "发电厂及电力系统"],
        Coal => &["采矿工程", "矿山机电", "煤矿开采技术"],
        Dairy => &["食品科学与工程", "畜牧兽医", "生物工程"],
        Chemical => &["化学工程与工艺", "应用化工技术", "工业分析"],
        Rail => &["铁道车辆", "铁道交通运营管理", "铁道工程"],
        Highway => &["道路桥梁工程", "交通运营管理", "会计"],
        School => &["汉语言文学", "数学与应用数学", "英语"],
        Bus | Sanitation => &["汽车运用技术", "机电一体化", "市场营销"],
    }
}

const COLLEGES: &[&str] = &[
    "内蒙古科技大学", "内蒙古工业大学", "内蒙古大学", "内蒙古农业大学", "内蒙古师范大学", "内蒙古民族大学", "赤峰学院",
    "包头职业技术学院", "内蒙古机电职业技术学院", "呼和浩特职业学院", "内蒙古电子信息职业技术学院", "内蒙古建筑职业技术学院",
];
const MED_COLLEGES: &[&str] = &["内蒙古医科大学", "包头医学院", "内蒙古民族大学医学院", "赤峰学院医学院"];

/// Education, the age it ends at, and the years of study before.
const EDUCATION: &[(&str, u32, u32)] = &[
    ("初中", 16, 3),
    ("技校", 17, 3),
    ("中专", 18, 3),
    ("高中", 18, 3),
    ("大专", 21, 3),
    ("大学本科", 22, 4),
    ("硕士研究生", 25, 3),
];

fn spell_education(rng: &mut ChaCha8Rng, e: &str) -> String {
    match e {
        "大专" => pick(rng, &["大专", "大专", "专科", "大学专科"]).to_string(),
        "大学本科" => pick(rng, &["大学本科", "本科", "大学"]).to_string(),
        "硕士研究生" => pick(rng, &["硕士研究生", "研究生", "硕士"]).to_string(),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------- texts

fn awards(rng: &mut ChaCha8Rng, p: &Person, unit: &str, city: &str) -> Vec<String> {
    let n = weighted(rng, &[(2, 0usize), (4, 1), (4, 2), (2, 3)]);
    let first = (p.work_start.0 + 2).min(2022);
    let mut years: Vec<u32> = (0..n).map(|_| rng.random_range(first..=2022)).collect();
    years.sort();
    years
        .into_iter()
        .map(|y| {
            let m = rng.random_range(1..=12);
            let honour = match p.sector {
                Hospital => pick(rng, &["优秀护士", "优秀医师", "先进工作者"]),
                Sanitation => pick(rng, &["最美环卫工", "先进工作者", "优秀环卫工人"]),
                Bus => pick(rng, &["安全行车标兵", "文明驾驶员", "先进工作者"]),
                School => pick(rng, &["优秀教师", "优秀班主任"]),
                _ => pick(rng, &["技术能手", "岗位能手", "先进工作者", "技术标兵"]),
            };
            match rng.random_range(0..7) {
                0 => format!("{y}年{m}月，被{city}总工会授予“{city}五一劳动奖章”"),
                1 => format!("{y}年{m}月，被{unit}评为“{honour}”"),
                2 => format!("{y}年{m}月，被{city}人民政府授予“{city}劳动模范”称号"),
                3 => format!("{y}年，荣获{city}“{honour}”称号"),
                4 => format!("{y}年{m}月，所在班组被内蒙古自治区总工会授予“自治区工人先锋号”"),
                5 => format!("{y}年{m}月，在{city}职工职业技能大赛中获得{}", pick(rng, &["一等奖", "二等奖", "三等奖", "第一名"])),
                _ => format!("{y}年{m}月，被{unit}评为“优秀共产党员”"),
            }
        })
        .collect()
}

fn resume(rng: &mut ChaCha8Rng, p: &Person, unit: &str, city: &str, study: u32) -> Vec<String> {
    let style = rng.random_range(0..3);
    let dash = *["—", "—", "-", "至", "～"].choose(rng).expect("dashes");
    let sep = if chance(rng, 0.6) { " " } else { "，" };
    let mut lines = Vec::new();
    let (ws_y, ws_m) = p.work_start;
    if study > 0 {
        let school = if p.sector == Hospital { pick(rng, MED_COLLEGES) } else { pick(rng, COLLEGES) };
        let major = pick(rng, majors(p.sector));
        let (from, to) = (spell_resume_month(style, ws_y - study, 9), spell_resume_month(style, ws_y, 7.min(ws_m)));
        let what = match p.education {
            "初中" | "高中" => format!("{city}第{}中学学习", chinese_number(rng.random_range(1..=12))),
            "技校" | "中专" => format!("{}{major}专业学习", school.replace("大学", "职业学校").replace("学院", "学校")),
            _ => format!("{school}{major}专业学习"),
        };
        lines.push(format!("{from}{dash}{to}{sep}{what}"));
    }
    let jobs = rng.random_range(1..=3u32).min(1 + (2023 - ws_y) / 6);
    let mut start = (ws_y, ws_m);
    let short_unit = unit.trim_end_matches("有限责任公司").trim_end_matches("有限公司").trim_end_matches("股份有限公司");
    for j in 0..jobs {
        let last = j + 1 == jobs;
        let from = spell_resume_month(style, start.0, start.1);
        let role = if last {
            p.position.clone()
        } else {
            let roles = positions(p.sector);
            let novice = match p.sector {
                Hospital | School | Highway => pick(rng, &["", "见习"]),
                _ => pick(rng, &["", "学徒", "见习"]),
            };
            format!("{novice}{}", pick(rng, roles))
        };
        let dept = pick(rng, departments(p.sector));
        if last {
            lines.push(format!("{from}{}{sep}{short_unit}{dept}{role}", if chance(rng, 0.5) { "至今" } else { "—至今" }));
        } else {
            let span = rng.random_range(2..=((2022 - start.0) / (jobs - j)).max(2));
            let end = (start.0 + span, rng.random_range(1..=12));
            lines.push(format!("{from}{dash}{}{sep}{short_unit}{dept}{role}", spell_resume_month(style, end.0, end.1)));
            start = end;
        }
    }
    lines.truncate(5);
    lines
}

fn social_relations(rng: &mut ChaCha8Rng, p: &Person) -> Vec<String> {
    let n = weighted(rng, &[(1, 0usize), (3, 1), (4, 2), (3, 3), (1, 4)]);
    let colon = chance(rng, 0.3);
    let fmt = |rel: &str, name: &str, what: &str| if colon { format!("{rel}：{name}，{what}") } else { format!("{rel} {name} {what}") };
    let family = if p.ethnicity == "蒙古族" { "蒙古族" } else { "汉族" };
    let spouse_male = !p.male;
    let jobs = ["包头市第九中学教师", "个体经营", "呼和浩特市第一医院护士", "中国银行职员", "内蒙古电力公司职工", "退休", "务农", "社区工作人员"];
    let mut out = Vec::new();
    let candidates: Vec<(&str, bool, &str)> = vec![
        (if spouse_male { "丈夫" } else { "妻子" }, spouse_male, "spouse"),
        ("儿子", true, "child"),
        ("女儿", false, "child"),
        ("父亲", true, "parent"),
        ("母亲", false, "parent"),
    ];
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order[1..].shuffle(rng);
    for &i in order.iter().take(n) {
        let (rel, male, kind) = candidates[i];
        let name = person_name(rng, male, family);
        let what = match kind {
            "child" => pick(rng, &["学生", "在读大学生", "小学生"]).to_string(),
            "parent" => pick(rng, &["退休", "务农", "已故", "退休职工"]).to_string(),
            _ => pick(rng, &jobs).to_string(),
        };
        out.push(fmt(rel, &name, &what));
    }
    out
}

fn deeds(rng: &mut ChaCha8Rng, p: &Person) -> String {
    let years = 2023 - p.work_start.0;
    let n = rng.random_range(2..60u32);
    let big = rng.random_range(3..500u32);
    let specific: Vec<String> = match p.sector {
        Steel => vec![
            format!("扎根炼钢一线{years}年，主持技术攻关{n}项，创效{big}余万元。"),
            format!("总结提炼的“{}操作法”在全厂推广应用。", pick(rng, &["快速换辊", "精准测温", "一键出钢"])),
        ],
        Machinery => vec![
            format!("从事{}工作{years}年，加工零件合格率始终保持在99.8%以上。", p.position),
            format!("完成技术革新{n}项，获得国家实用新型专利{}项。", rng.random_range(1..6u32)),
        ],
        Hospital => vec![
            format!("{years}年坚守临床一线，参与抢救危重患者{big}0余人次。"),
            format!("疫情期间主动请缨支援一线，连续工作{n}天。"),
            "牵头开展护理质量改进项目，患者满意度保持在98%以上。".to_string(),
        ],
        Sanitation => vec![
            format!("从事环卫工作{years}年，负责的路段保洁质量连续多年名列前茅。"),
            format!("每天凌晨四点上岗，累计清扫道路{big}万平方米。"),
            "多次拾金不昧，将捡到的财物归还失主。".to_string(),
        ],
        Power => vec![
            format!("长期奋战在输变电运维一线，累计巡视线路{big}0余公里。"),
            format!("消除设备缺陷{n}项，保障了迎峰度冬期间电网安全稳定运行。"),
        ],
        Bus => vec![
            format!("安全行车{n}0万公里无事故，被乘客称为“暖心司机”。"),
            format!("坚持为老年乘客提供爱心服务{years}年。"),
        ],
        Coal => vec![
            format!("扎根井下采煤一线{years}年，所在班组月产原煤突破{n}万吨。"),
            format!("提出合理化建议{n}条，其中多条被矿上采纳。"),
        ],
        Dairy | Chemical => vec![
            format!("在{}岗位上工作{years}年，带领班组实现安全生产{big}0天。", p.position),
            format!("完成工艺改进{n}项，年节约成本{big}万元。"),
        ],
        Rail | Highway => vec![
            format!("坚守岗位{years}年，累计服务旅客和司乘人员{big}万人次。"),
            format!("参与抢险保通{n}次，保障了道路畅通。"),
        ],
        School => vec![
            format!("从教{years}年，所带班级多次被评为优秀班集体。"),
            format!("帮扶困难学生{n}名，家访足迹遍及全旗。"),
        ],
    };
    let generic = [
        "爱岗敬业，团结同事，多次被评为先进工作者。".to_string(),
        format!("积极参与“师带徒”活动，培养技术骨干{}名。", rng.random_range(3..30u32)),
        "以实际行动诠释了新时代劳动者的责任与担当。".to_string(),
    ];
    let count = rng.random_range(1..=3usize);
    let mut pool: Vec<String> = specific;
    pool.shuffle(rng);
    let mut chosen: Vec<String> = pool.into_iter().take(count).collect();
    if chosen.len() < count {
        chosen.push(generic.choose(rng).expect("generic").clone());
    }
    chosen.concat()
}

// ---------------------------------------------------------------- defects

/// The defects a form can carry, with the fields they touch.
const DEFECTS: &[&str] = &[
    "missing_field",
    "invalid_id_number",
    "id_birth_mismatch",
    "votes_not_passed",
    "votes_inconsistent",
    "ineligible_position",
    "insufficient_service",
    "already_awarded",
    "missing_signature",
    "missing_seal",
    "missing_date",
];

/// Chooses 1–3 compatible defects (no two on the same value; no missing seal on a grey copy,
/// where a seal cannot be told apart).
fn choose_defects(rng: &mut ChaCha8Rng, gray: bool) -> Vec<&'static str> {
    let n = weighted(rng, &[(6, 1usize), (3, 2), (1, 3)]);
    let mut pool: Vec<&'static str> = DEFECTS.iter().copied().filter(|d| !(gray && *d == "missing_seal")).collect();
    pool.shuffle(rng);
    let mut out: Vec<&'static str> = Vec::new();
    let clash = |a: &str, b: &str| {
        let group = |d: &str| match d {
            "invalid_id_number" | "id_birth_mismatch" => 1,
            "votes_not_passed" | "votes_inconsistent" => 2,
            _ => 0,
        };
        group(a) != 0 && group(a) == group(b)
    };
    for d in pool {
        if out.len() == n {
            break;
        }
        if !out.iter().any(|o| clash(o, d)) {
            out.push(d);
        }
    }
    out
}

// ---------------------------------------------------------------- the form

/// Approval organisations, in the order of the boxes of the built-in spec.
fn seal_org(box_id: &str, unit: &str, county: &str, region: &str, industry: Option<&str>) -> String {
    match (box_id, industry) {
        ("unit_congress", _) => unit.to_string(),
        ("unit_union", _) => format!("{unit}工会委员会"),
        ("county_union", _) => format!("{county}总工会"),
        ("county_propaganda", _) => format!("中共{county}委宣传部"),
        ("city_union", Some(ind)) => format!("内蒙古{ind}"),
        ("city_union", None) => format!("{region}总工会"),
        ("city_propaganda", Some(ind)) => format!("中共内蒙古{}委员会", ind.trim_end_matches("工会")),
        ("city_propaganda", None) => format!("中共{region}委宣传部"),
        _ => unit.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::rules::id_number_problem;
    use rand::SeedableRng;

    #[test]
    fn ids_are_valid_and_carry_birth_and_gender() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..500 {
            let male = rng.random_bool(0.5);
            let y = rng.random_range(1965..=2000);
            let m = rng.random_range(1..=12);
            let d = rng.random_range(1..=days_in_month(y, m));
            let id = id_number(&mut rng, "150203", (y, m, d), male);
            assert_eq!(id_number_problem(&id), None, "{id}");
            assert_eq!(&id[6..14], format!("{y:04}{m:02}{d:02}"));
            assert_eq!((id.as_bytes()[16] - b'0') % 2 == 1, male);
            assert!(id_number_problem(&break_check_char(&mut rng, &id)).is_some());
        }
    }

    #[test]
    fn chinese_numbers_parse_back() {
        for n in 0..100 {
            assert_eq!(crate::fields::normalize::parse_count(&chinese_number(n)), Some(n), "{}", chinese_number(n));
        }
    }

    #[test]
    fn month_spellings_normalise() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for _ in 0..200 {
            let s = spell_month(&mut rng, 1985, 6);
            assert_eq!(crate::fields::normalize::normalize_month(&s).as_deref(), Some("1985-06"), "{s}");
        }
    }
}
