//! Rules and thresholds (`--config rules.toml`). Every key is optional; the defaults below are
//! the notice's rules for 2023 and are documented in `templates/rules.example.toml`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The notice's date: service years are counted up to it.
    pub notice_date: String,
    /// Submissions are due by this date; a later 填报日期 is flagged.
    pub deadline: String,
    /// Years of continuous work required (notice: 5).
    pub min_service_years: u32,
    /// Words in 职务 that name a head of an organisation or a cadre at 副处级 and above, who
    /// are not eligible (notice, 推荐范围).
    pub ineligible_position_keywords: Vec<String>,
    /// Words in 职务 that make an otherwise ineligible word harmless (`副班长` is not `班长`
    /// of an organisation; `副科长` is below 副处级).
    pub position_exceptions: Vec<String>,
    /// Titles in 奖励 that mean the candidate is not recommended again.
    pub prior_award_keywords: Vec<String>,
    /// Share of attendees that must approve: approved must be more than this share.
    pub vote_pass_share: f64,
    /// Severity of an eligibility finding (`return` or `review`): the notice says "in principle".
    pub eligibility_severity: String,
    /// Confidence below which an OCR reading is sent to review.
    pub low_confidence: f32,
    /// What return notices say besides the reasons (`[returns]`).
    pub returns: Returns,
}

/// The fixed parts of a return notice (退回通知).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Returns {
    /// Corrected forms are due back by this date.
    pub deadline: String,
    /// The notice's date, printed under the sender. A fixed date, not today's, so that a
    /// re-run writes the same notices.
    pub date: String,
    /// Who signs the notice.
    pub sender: String,
    /// How units reach the sender; printed as written.
    pub contact: String,
}

impl Default for Returns {
    fn default() -> Self {
        Returns {
            deadline: "2023-05-26".into(),
            date: "2023-05-22".into(),
            sender: "内蒙古自治区总工会宣传部".into(),
            contact: "联系人：刘晓娜，电话：0471-5109211，电子邮箱：nmghxcb@163.com，邮寄地址：呼和浩特市赛罕区阿吉泰路18号内蒙古自治区总工会宣传部".into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        Config {
            notice_date: "2023-04-10".into(),
            deadline: "2023-05-19".into(),
            min_service_years: 5,
            ineligible_position_keywords: words(&[
                "董事长", "总经理", "总裁", "局长", "厅长", "处长", "院长", "校长", "行长", "主任",
                "书记", "县长", "旗长", "市长", "区长", "盟长", "镇长", "乡长", "苏木达", "总监",
                "负责人", "法定代表人", "厂长", "所长", "部长", "巡视员", "调研员",
            ]),
            position_exceptions: words(&["班长", "组长", "工段长", "车间主任", "科长", "股长", "护士长", "机长", "队长", "站长", "主任医师", "主任护师", "副主任医师", "主任科员", "值班", "办公室主任", "村委会主任", "社区主任", "室主任"]),
            prior_award_keywords: words(&["五一劳动奖章", "最美职工"]),
            vote_pass_share: 0.5,
            eligibility_severity: "review".into(),
            low_confidence: 0.80,
            returns: Returns::default(),
        }
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: path.to_path_buf(), source })?;
        let config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: e.span().map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1).unwrap_or(0),
            message: e.message().to_string(),
        })?;
        config.check().map_err(|message| ConfigError::Invalid { path: path.to_path_buf(), line: 0, message })?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        let dates = [
            ("notice_date", &self.notice_date),
            ("deadline", &self.deadline),
            ("returns.deadline", &self.returns.deadline),
            ("returns.date", &self.returns.date),
        ];
        for (key, d) in dates {
            let ok = d.len() == 10 && d.split('-').map(|p| p.parse::<u32>().is_ok()).filter(|x| *x).count() == 3;
            if !ok {
                return Err(format!("`{key}` must be YYYY-MM-DD, not `{d}`"));
            }
        }
        if !(0.0..1.0).contains(&self.vote_pass_share) {
            return Err(format!("`vote_pass_share` must be in [0, 1), not {}", self.vote_pass_share));
        }
        if !matches!(self.eligibility_severity.as_str(), "return" | "review") {
            return Err(format!("`eligibility_severity` must be \"return\" or \"review\", not `{}`", self.eligibility_severity));
        }
        Ok(())
    }

    /// SHA-256 of the effective config in a canonical form (its JSON serialisation, fields in
    /// declaration order), so that the same rules hash alike however the file was written.
    pub fn sha256(&self) -> String {
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        crate::audit::sha256_hex(&canonical)
    }

    pub fn eligibility_severity(&self) -> crate::record::Severity {
        if self.eligibility_severity == "return" {
            crate::record::Severity::Return
        } else {
            crate::record::Severity::Review
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_is_the_default() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/rules.example.toml");
        assert_eq!(Config::load(&path).unwrap(), Config::default());
    }

    #[test]
    fn partial_config_keeps_other_defaults_and_bad_values_name_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(&p, "min_service_years = 3\n").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!((c.min_service_years, c.vote_pass_share), (3, 0.5));
        std::fs::write(&p, "deadline = \"2023-05-19\"\nvote_pas_share = 0.6\n").unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains("r.toml:2") && e.contains("vote_pas_share"), "{e}");
        std::fs::write(&p, "eligibility_severity = \"maybe\"\n").unwrap();
        assert!(Config::load(&p).unwrap_err().to_string().contains("eligibility_severity"));
        std::fs::write(&p, "[returns]\ndeadline = \"5月26日\"\n").unwrap();
        assert!(Config::load(&p).unwrap_err().to_string().contains("returns.deadline"));
    }

    #[test]
    fn the_hash_follows_the_rules_not_the_spelling() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.toml");
        std::fs::write(&p, "# a comment\nmin_service_years   = 5\n").unwrap();
        assert_eq!(Config::load(&p).unwrap().sha256(), Config::default().sha256());
        let other = Config { min_service_years: 3, ..Config::default() };
        assert_ne!(other.sha256(), Config::default().sha256());
    }
}
