//! Configuration from environment variables, read and validated once at start.

pub mod mute;

use crate::diagnose::{Category, Diagnosis, Lang, Severity};
use crate::incident::ArnParts;

/// Names of the environment variables, as set by template.yaml.
pub const TOPIC_ARN: &str = "TOPIC_ARN";
pub const LANGUAGE: &str = "LANGUAGE";
pub const PUBLISH_EXPECTED_STOPS: &str = "PUBLISH_EXPECTED_STOPS";
pub const MIN_SEVERITY: &str = "MIN_SEVERITY";
pub const LOG_TAIL_LINES: &str = "LOG_TAIL_LINES";
pub const DEDUP_TABLE: &str = "DEDUP_TABLE";
pub const STORM_WINDOW_SECONDS: &str = "STORM_WINDOW_SECONDS";
pub const VERIFY: &str = "VERIFY";
pub const MEMBER_ROLE_NAME: &str = "MEMBER_ROLE_NAME";
pub const ROUTING_TAGS: &str = "ROUTING_TAGS";
pub const ALLOWED_TOPIC_ARNS: &str = "ALLOWED_TOPIC_ARNS";
pub const MUTE_PARAMETER_NAME: &str = "MUTE_PARAMETER_NAME";
pub const INCIDENT_QUIET_MINUTES: &str = "INCIDENT_QUIET_MINUTES";

/// Tags copied into message attributes when `ROUTING_TAGS` is not set.
pub const DEFAULT_ROUTING_TAGS: &[&str] = &["team", "owner", "env"];

/// Default storm-control window: one message per failure signature per 15 minutes.
pub const DEFAULT_STORM_WINDOW_SECONDS: u64 = 900;

/// Default quiet time after which an incident with no new failure closes without a message.
pub const DEFAULT_INCIDENT_QUIET_MINUTES: u64 = 60;

/// Default and largest number of log lines quoted from a failed container.
pub const DEFAULT_LOG_TAIL_LINES: usize = 20;
pub const MAX_LOG_TAIL_LINES: usize = 100;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("environment variable {0} is required but not set")]
    Missing(&'static str),
    #[error("environment variable {name} has an invalid value `{value}`: expected {expected}")]
    Invalid {
        name: &'static str,
        value: String,
        expected: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The SNS topic diagnoses are published to.
    pub topic_arn: String,
    /// Language of the message bodies (subjects are always English: SNS wants ASCII).
    pub lang: Lang,
    /// Publish normal stops (deployments, StopTask, scale-in) too.
    pub publish_expected_stops: bool,
    /// The least severe finding that is still published.
    pub min_severity: Severity,
    /// Log lines quoted from each failed container (0: none).
    pub log_tail_lines: usize,
    /// DynamoDB table for deduplication and storm control; none: everything is published.
    pub dedup_table: Option<String>,
    /// Storm-control window in seconds (0: idempotency only).
    pub storm_window_seconds: u64,
    /// Minutes without a new failure after which an incident is over (0: no incidents).
    pub incident_quiet_minutes: u64,
    /// Check the suspected cause against the account before publishing (`VERIFY=on|off`).
    pub verify: bool,
    /// Role assumed in other accounts (`arn:aws:iam::<account>:role/<name>`); none: only the
    /// function's own account is read.
    pub member_role_name: Option<String>,
    /// Task, service and task-definition tags copied into message attributes, in this order.
    pub routing_tags: Vec<String>,
    /// Topics a `ecs-doctor:topic` tag may route to: ARNs, or prefixes ending in `*`.
    pub allowed_topics: Vec<String>,
    /// SSM parameter holding the mute rules; none: nothing is ever muted.
    pub mute_parameter: Option<String>,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let topic_arn = get(TOPIC_ARN).ok_or(ConfigError::Missing(TOPIC_ARN))?;
        if !topic_arn.starts_with("arn:") {
            return Err(ConfigError::Invalid {
                name: TOPIC_ARN,
                value: topic_arn,
                expected: "an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
            });
        }
        let lang = match get(LANGUAGE) {
            None => Lang::En,
            Some(value) => value.parse().map_err(|_| ConfigError::Invalid {
                name: LANGUAGE,
                value,
                expected: "`en` or `ja`",
            })?,
        };
        let publish_expected_stops = match get(PUBLISH_EXPECTED_STOPS).as_deref().map(str::to_ascii_lowercase) {
            None => false,
            Some(v) if ["true", "1", "yes"].contains(&v.as_str()) => true,
            Some(v) if ["false", "0", "no"].contains(&v.as_str()) => false,
            Some(value) => {
                return Err(ConfigError::Invalid {
                    name: PUBLISH_EXPECTED_STOPS,
                    value,
                    expected: "`true` or `false`",
                })
            }
        };
        let min_severity = match get(MIN_SEVERITY).as_deref().map(str::to_ascii_lowercase) {
            None => Severity::Warning,
            Some(value) => match value.as_str() {
                "critical" => Severity::Critical,
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: MIN_SEVERITY,
                        value,
                        expected: "`critical`, `error`, `warning` or `info`",
                    })
                }
            },
        };
        let log_tail_lines = match get(LOG_TAIL_LINES) {
            None => DEFAULT_LOG_TAIL_LINES,
            Some(value) => match value.parse::<usize>() {
                Ok(n) if n <= MAX_LOG_TAIL_LINES => n,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: LOG_TAIL_LINES,
                        value,
                        expected: "a whole number from 0 (off) to 100",
                    })
                }
            },
        };
        let storm_window_seconds = match get(STORM_WINDOW_SECONDS) {
            None => DEFAULT_STORM_WINDOW_SECONDS,
            Some(value) => value.parse().map_err(|_| ConfigError::Invalid {
                name: STORM_WINDOW_SECONDS,
                value,
                expected: "a whole number of seconds (0 turns storm control off)",
            })?,
        };
        let incident_quiet_minutes = match get(INCIDENT_QUIET_MINUTES) {
            None => DEFAULT_INCIDENT_QUIET_MINUTES,
            Some(value) => match value.parse::<u64>() {
                Ok(n) if n <= 7 * 24 * 60 => n,
                _ => {
                    return Err(ConfigError::Invalid {
                        name: INCIDENT_QUIET_MINUTES,
                        value,
                        expected: "a whole number of minutes up to 10080 (0 turns incidents off)",
                    })
                }
            },
        };
        let verify = match get(VERIFY).as_deref().map(str::to_ascii_lowercase) {
            None => true,
            Some(v) if ["on", "true", "1", "yes"].contains(&v.as_str()) => true,
            Some(v) if ["off", "false", "0", "no"].contains(&v.as_str()) => false,
            Some(value) => {
                return Err(ConfigError::Invalid {
                    name: VERIFY,
                    value,
                    expected: "`on` or `off`",
                })
            }
        };
        let member_role_name = match get(MEMBER_ROLE_NAME) {
            None => None,
            // IAM role names: 1-64 of [A-Za-z0-9+=,.@_-]; a path is not part of the name.
            Some(name)
                if name.len() <= 64 && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c)) =>
            {
                Some(name)
            }
            Some(value) => {
                return Err(ConfigError::Invalid {
                    name: MEMBER_ROLE_NAME,
                    value,
                    expected: "an IAM role name (letters, digits and +=,.@_-, at most 64)",
                })
            }
        };
        let list = |name: &str| -> Option<Vec<String>> {
            get(name).map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
        };
        let routing_tags =
            list(ROUTING_TAGS).unwrap_or_else(|| DEFAULT_ROUTING_TAGS.iter().map(|s| s.to_string()).collect());
        let allowed_topics = list(ALLOWED_TOPIC_ARNS).unwrap_or_default();
        if let Some(bad) = allowed_topics.iter().find(|t| !t.starts_with("arn:")) {
            return Err(ConfigError::Invalid {
                name: ALLOWED_TOPIC_ARNS,
                value: bad.clone(),
                expected: "comma-separated SNS topic ARNs, or ARN prefixes ending in `*`",
            });
        }
        Ok(Config {
            member_role_name,
            routing_tags,
            allowed_topics,
            mute_parameter: get(MUTE_PARAMETER_NAME),
            topic_arn,
            lang,
            publish_expected_stops,
            min_severity,
            log_tail_lines,
            dedup_table: get(DEDUP_TABLE),
            storm_window_seconds,
            incident_quiet_minutes,
            verify,
        })
    }

    /// The function's own account: the account field of `TOPIC_ARN` (no call needed).
    pub fn home_account(&self) -> Option<&str> {
        ArnParts::parse(&self.topic_arn)
            .map(|a| a.account)
            .filter(|a| !a.is_empty())
    }

    /// How other accounts are reached: the home account reads with its own credentials.
    pub fn member_access(&self) -> MemberAccess {
        MemberAccess {
            home_account: self.home_account().map(str::to_string),
            role_name: self.member_role_name.clone(),
        }
    }

    /// The topic a `ecs-doctor:topic` tag value names, if config allows publishing to it. A bare
    /// name is a topic in the function's own account and Region.
    pub fn team_topic(&self, value: &str) -> Result<String, String> {
        let value = value.trim();
        let arn = if value.starts_with("arn:") {
            value.to_string()
        } else {
            let home = ArnParts::parse(&self.topic_arn).ok_or_else(|| value.to_string())?;
            format!("arn:{}:sns:{}:{}:{value}", home.partition, home.region, home.account)
        };
        let allowed = self.allowed_topics.iter().any(|a| match a.strip_suffix('*') {
            Some(prefix) => arn.starts_with(prefix),
            None => *a == arn,
        });
        if allowed {
            Ok(arn)
        } else {
            Err(arn)
        }
    }

    /// The noise policy: publish real failures at or above the minimum severity; publish
    /// expected stops only when asked to.
    pub fn should_publish(&self, diagnosis: &Diagnosis) -> bool {
        let primary = diagnosis.primary();
        if primary.category == Category::ExpectedStop {
            return self.publish_expected_stops;
        }
        primary.severity <= self.min_severity
    }
}

/// How to reach accounts other than the function's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberAccess {
    /// The function's own account; its resources are read with the function's credentials.
    pub home_account: Option<String>,
    /// The role name assumed in every other account (`arn:aws:iam::<account>:role/<name>`).
    pub role_name: Option<String>,
}

impl MemberAccess {
    /// The role to assume for `account`, or `None` to use the function's own credentials.
    pub fn role_for(&self, account: Option<&str>) -> Option<String> {
        let account = account?;
        let role = self.role_name.as_deref()?;
        if self.home_account.as_deref() == Some(account) {
            return None;
        }
        Some(format!("arn:aws:iam::{account}:role/{role}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_and_validation() {
        let c = config(&[(TOPIC_ARN, "arn:aws:sns:us-east-1:1:t")]).expect("valid");
        assert_eq!(
            (c.lang, c.publish_expected_stops, c.min_severity),
            (Lang::En, false, Severity::Warning)
        );
        assert_eq!(config(&[]), Err(ConfigError::Missing(TOPIC_ARN)));
        let err = config(&[(TOPIC_ARN, "arn:aws:sns:us-east-1:1:t"), (LANGUAGE, "fr")]).expect_err("fr");
        assert!(err.to_string().contains("LANGUAGE") && err.to_string().contains("fr"));
        let c = config(&[
            (TOPIC_ARN, "arn:x"),
            (LANGUAGE, "ja"),
            (PUBLISH_EXPECTED_STOPS, "TRUE"),
            (MIN_SEVERITY, "error"),
        ])
        .expect("valid");
        assert_eq!(
            (c.lang, c.publish_expected_stops, c.min_severity),
            (Lang::Ja, true, Severity::Error)
        );
    }

    #[test]
    fn organisation_settings() {
        let topic = (TOPIC_ARN, "arn:aws:sns:eu-west-1:111111111111:ecs-doctor");
        let c = config(&[topic]).expect("valid");
        assert_eq!(c.home_account(), Some("111111111111"));
        assert_eq!(c.routing_tags, ["team", "owner", "env"]);
        assert_eq!(c.member_access().role_for(Some("222222222222")), None);
        let c = config(&[
            topic,
            (MEMBER_ROLE_NAME, "EcsDoctorReadOnly"),
            (ROUTING_TAGS, " team , cost-center "),
            (
                ALLOWED_TOPIC_ARNS,
                "arn:aws:sns:eu-west-1:111111111111:team-*, arn:aws:sns:eu-west-1:111111111111:ops",
            ),
            (MUTE_PARAMETER_NAME, "/ecs-doctor/mutes"),
        ])
        .expect("valid");
        assert_eq!(c.routing_tags, ["team", "cost-center"]);
        assert_eq!(
            c.member_access().role_for(Some("222222222222")).as_deref(),
            Some("arn:aws:iam::222222222222:role/EcsDoctorReadOnly")
        );
        assert_eq!(c.member_access().role_for(Some("111111111111")), None);
        assert_eq!(
            c.team_topic("team-payments"),
            Ok("arn:aws:sns:eu-west-1:111111111111:team-payments".to_string())
        );
        assert_eq!(
            c.team_topic("arn:aws:sns:eu-west-1:111111111111:ops"),
            Ok("arn:aws:sns:eu-west-1:111111111111:ops".to_string())
        );
        assert!(c.team_topic("arn:aws:sns:eu-west-1:999999999999:team-x").is_err());
        assert!(c.team_topic("other").is_err());
        assert_eq!(c.mute_parameter.as_deref(), Some("/ecs-doctor/mutes"));
        let err = config(&[topic, (MEMBER_ROLE_NAME, "role/with/path")]).expect_err("path");
        assert!(err.to_string().contains("MEMBER_ROLE_NAME"));
        assert!(config(&[topic, (ALLOWED_TOPIC_ARNS, "team-*")]).is_err());
    }

    #[test]
    fn the_home_account_uses_its_own_credentials() {
        let access = MemberAccess {
            home_account: Some("111111111111".into()),
            role_name: Some("EcsDoctorReadOnly".into()),
        };
        assert_eq!(access.role_for(Some("111111111111")), None);
        assert_eq!(access.role_for(None), None);
        assert_eq!(
            access.role_for(Some("222222222222")).as_deref(),
            Some("arn:aws:iam::222222222222:role/EcsDoctorReadOnly")
        );
        assert_eq!(MemberAccess::default().role_for(Some("222222222222")), None);
    }

    #[test]
    fn verify_is_on_unless_switched_off() {
        let topic = (TOPIC_ARN, "arn:aws:sns:us-east-1:1:t");
        assert!(config(&[topic]).expect("valid").verify);
        assert!(!config(&[topic, (VERIFY, "OFF")]).expect("valid").verify);
        assert!(config(&[topic, (VERIFY, "on")]).expect("valid").verify);
        let err = config(&[topic, (VERIFY, "maybe")]).expect_err("maybe");
        assert!(err.to_string().contains("VERIFY") && err.to_string().contains("maybe"));
    }
}
