//! Mutes (pure): rules that keep a known failure quiet for a while, e.g. during an incident
//! or a planned change. They live as JSON in an SSM parameter (`MUTE_PARAMETER_NAME`):
//!
//! ```json
//! {"rules": [{"id": "m1", "cluster": "prod", "service": "web", "expires": "2026-11-28T18:00:00Z",
//!             "reason": "planned migration"}]}
//! ```
//!
//! A rule matches when every field it sets (account, cluster, service, ruleId, category, team)
//! equals the incident's; it needs at least one, so a rule can never mute everything. An
//! expired rule is ignored. A parameter that does not parse mutes nothing (fail open).

use serde::{Deserialize, Serialize};

use crate::diagnose::Diagnosis;
use crate::incident::Place;
use crate::incident::{arn_name, Incident};
use crate::util::time::epoch_seconds_from_iso8601;

/// The parameter's document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MuteRules {
    #[serde(default)]
    pub rules: Vec<MuteRule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MuteRule {
    /// Short id, for `ecs-doctor mute remove`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Cluster name or ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The value of the `team` routing tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// RFC 3339 time after which the rule no longer applies.
    pub expires: String,
    pub reason: String,
}

/// Why a parameter could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MuteError {
    #[error("the mute rules are not valid JSON of the expected shape: {0}")]
    Json(String),
    #[error("mute rule {index} matches nothing in particular: set at least one of account, cluster, service, ruleId, category, team")]
    MatchesEverything { index: usize },
    #[error("mute rule {index} has an expiry `{value}` that is not an RFC 3339 time (e.g. 2026-11-28T18:00:00Z)")]
    BadExpiry { index: usize, value: String },
}

impl MuteRules {
    /// Parses and validates the whole document: one bad rule makes it unusable.
    pub fn parse(text: &str) -> Result<MuteRules, MuteError> {
        let rules: MuteRules = serde_json::from_str(text).map_err(|e| MuteError::Json(e.to_string()))?;
        for (index, rule) in rules.rules.iter().enumerate() {
            if rule.matchers().iter().all(|(_, v)| v.is_none()) {
                return Err(MuteError::MatchesEverything { index });
            }
            if epoch_seconds_from_iso8601(&rule.expires).is_none() {
                return Err(MuteError::BadExpiry {
                    index,
                    value: rule.expires.clone(),
                });
            }
        }
        Ok(rules)
    }

    /// The first rule in force at `now` (epoch seconds) that matches.
    pub fn find(&self, facts: &MuteFacts, now: i64) -> Option<&MuteRule> {
        self.rules.iter().find(|r| r.active(now) && r.matches(facts))
    }

    /// The document as stored (pretty, stable field order).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl MuteRule {
    fn matchers(&self) -> [(&'static str, Option<&str>); 6] {
        [
            ("account", self.account.as_deref()),
            ("cluster", self.cluster.as_deref()),
            ("service", self.service.as_deref()),
            ("ruleId", self.rule_id.as_deref()),
            ("category", self.category.as_deref()),
            ("team", self.team.as_deref()),
        ]
    }

    /// Still in force at `now` (epoch seconds).
    pub fn active(&self, now: i64) -> bool {
        epoch_seconds_from_iso8601(&self.expires).is_some_and(|expires| expires > now)
    }

    pub fn matches(&self, facts: &MuteFacts) -> bool {
        let eq = |want: Option<&str>, have: Option<&str>| match want {
            None => true,
            Some(want) => have.is_some_and(|have| have == want),
        };
        eq(self.account.as_deref(), facts.account.as_deref())
            // A rule may name the cluster by name or by ARN.
            && eq(self.cluster.as_deref().map(arn_name), facts.cluster.as_deref())
            && eq(self.service.as_deref(), facts.service.as_deref())
            && eq(self.rule_id.as_deref(), Some(facts.rule_id.as_str()))
            && eq(self.category.as_deref(), Some(facts.category.as_str()))
            && eq(self.team.as_deref(), facts.team.as_deref())
    }

    /// `cluster=prod service=web` — what the rule matches, for logs and `mute list`.
    pub fn describe(&self) -> String {
        self.matchers()
            .iter()
            .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What a mute can match on, taken from the incident and its diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MuteFacts {
    pub account: Option<String>,
    /// Cluster name.
    pub cluster: Option<String>,
    pub service: Option<String>,
    pub rule_id: String,
    pub category: String,
    pub team: Option<String>,
}

impl MuteFacts {
    pub fn of(incident: &Incident, diagnosis: &Diagnosis) -> Self {
        let context = Place::of(incident);
        let primary = diagnosis.primary();
        MuteFacts {
            account: incident.account.clone(),
            cluster: context.cluster,
            service: context.service,
            rule_id: primary.rule_id.to_string(),
            category: primary.category.as_str().to_string(),
            team: incident.tag("team").map(str::to_string),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> MuteFacts {
        MuteFacts {
            account: Some("222222222222".into()),
            cluster: Some("prod".into()),
            service: Some("web".into()),
            rule_id: "image-pull.not-found".into(),
            category: "image-not-found".into(),
            team: Some("payments".into()),
        }
    }

    const NOW: i64 = 1_795_000_000; // 2026-11-18

    #[test]
    fn rfc3339_times() {
        assert_eq!(epoch_seconds_from_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            epoch_seconds_from_iso8601("2020-03-16T15:37:04.979Z"),
            Some(1_584_373_024)
        );
        assert_eq!(
            epoch_seconds_from_iso8601("2020-03-17T00:37:04+09:00"),
            Some(1_584_373_024)
        );
        assert_eq!(epoch_seconds_from_iso8601("2000-02-29T00:00:00Z"), Some(951_782_400));
        for bad in [
            "",
            "tomorrow",
            "2026-13-01T00:00:00Z",
            "2026-11-28",
            "2026-11-28T25:00:00Z",
        ] {
            assert_eq!(epoch_seconds_from_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_rule_matches_when_every_field_it_sets_matches() {
        let rules = MuteRules::parse(
            r#"{"rules": [
                {"id": "a", "cluster": "arn:aws:ecs:us-east-1:222222222222:cluster/prod", "service": "api",
                 "expires": "2999-01-01T00:00:00Z", "reason": "other service"},
                {"id": "b", "cluster": "prod", "service": "web",
                 "expires": "2999-01-01T00:00:00Z", "reason": "migration"}
            ]}"#,
        )
        .expect("valid");
        assert_eq!(rules.find(&facts(), NOW).and_then(|r| r.id.as_deref()), Some("b"));
        let by_arn = MuteRule {
            cluster: Some("arn:aws:ecs:us-east-1:222222222222:cluster/prod".into()),
            expires: "2999-01-01T00:00:00Z".into(),
            ..MuteRule::default()
        };
        assert!(by_arn.matches(&facts()));
        for rule in [
            MuteRule {
                team: Some("payments".into()),
                ..by_arn.clone()
            },
            MuteRule {
                rule_id: Some("image-pull.not-found".into()),
                cluster: None,
                ..by_arn.clone()
            },
            MuteRule {
                category: Some("image-not-found".into()),
                account: Some("222222222222".into()),
                ..by_arn.clone()
            },
        ] {
            assert!(rule.matches(&facts()), "{rule:?}");
        }
        for rule in [
            MuteRule {
                team: Some("search".into()),
                ..by_arn.clone()
            },
            MuteRule {
                account: Some("111111111111".into()),
                ..by_arn.clone()
            },
            MuteRule {
                rule_id: Some("exit.oom".into()),
                ..by_arn.clone()
            },
        ] {
            assert!(!rule.matches(&facts()), "{rule:?}");
        }
        // A team rule never matches an incident without a team tag.
        let no_team = MuteFacts { team: None, ..facts() };
        assert!(!MuteRule {
            team: Some("payments".into()),
            cluster: None,
            ..by_arn
        }
        .matches(&no_team));
    }

    #[test]
    fn an_expired_rule_is_ignored() {
        let rules = MuteRules::parse(
            r#"{"rules": [{"cluster": "prod", "expires": "2026-11-18T00:00:00Z", "reason": "done"}]}"#,
        )
        .expect("valid");
        let expires = epoch_seconds_from_iso8601("2026-11-18T00:00:00Z").unwrap_or_default();
        assert!(rules.find(&facts(), expires - 1).is_some());
        assert!(rules.find(&facts(), expires).is_none());
        assert!(rules.find(&facts(), expires + 3600).is_none());
    }

    #[test]
    fn malformed_documents_are_rejected_whole() {
        assert!(matches!(MuteRules::parse("not json"), Err(MuteError::Json(_))));
        assert!(matches!(
            MuteRules::parse(r#"{"rules": [{"cluster": "prod"}]}"#),
            Err(MuteError::Json(_))
        ));
        assert!(matches!(
            MuteRules::parse(r#"{"rules": [{"clustr": "prod", "expires": "2999-01-01T00:00:00Z", "reason": "x"}]}"#),
            Err(MuteError::Json(_))
        ));
        assert_eq!(
            MuteRules::parse(r#"{"rules": [{"expires": "2999-01-01T00:00:00Z", "reason": "everything"}]}"#),
            Err(MuteError::MatchesEverything { index: 0 })
        );
        assert!(matches!(
            MuteRules::parse(r#"{"rules": [{"cluster": "prod", "expires": "in 2 hours", "reason": "x"}]}"#),
            Err(MuteError::BadExpiry { index: 0, .. })
        ));
        assert_eq!(MuteRules::parse(r#"{"rules": []}"#), Ok(MuteRules::default()));
    }
}
