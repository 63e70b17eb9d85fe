//! Configuration from environment variables, read and validated once at start.

use crate::diagnose::{Category, Diagnosis, Lang, Severity};

/// Names of the environment variables, as set by template.yaml.
pub const TOPIC_ARN: &str = "TOPIC_ARN";
pub const LANGUAGE: &str = "LANGUAGE";
pub const PUBLISH_EXPECTED_STOPS: &str = "PUBLISH_EXPECTED_STOPS";
pub const MIN_SEVERITY: &str = "MIN_SEVERITY";
pub const LOG_TAIL_LINES: &str = "LOG_TAIL_LINES";
pub const DEDUP_TABLE: &str = "DEDUP_TABLE";
pub const STORM_WINDOW_SECONDS: &str = "STORM_WINDOW_SECONDS";
pub const VERIFY: &str = "VERIFY";

/// Default storm-control window: one message per failure signature per 15 minutes.
pub const DEFAULT_STORM_WINDOW_SECONDS: u64 = 900;

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
    /// Check the suspected cause against the account before publishing (`VERIFY=on|off`).
    pub verify: bool,
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
        Ok(Config {
            topic_arn,
            lang,
            publish_expected_stops,
            min_severity,
            log_tail_lines,
            dedup_table: get(DEDUP_TABLE),
            storm_window_seconds,
            verify,
        })
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
    fn verify_is_on_unless_switched_off() {
        let topic = (TOPIC_ARN, "arn:aws:sns:us-east-1:1:t");
        assert!(config(&[topic]).expect("valid").verify);
        assert!(!config(&[topic, (VERIFY, "OFF")]).expect("valid").verify);
        assert!(config(&[topic, (VERIFY, "on")]).expect("valid").verify);
        let err = config(&[topic, (VERIFY, "maybe")]).expect_err("maybe");
        assert!(err.to_string().contains("VERIFY") && err.to_string().contains("maybe"));
    }
}
