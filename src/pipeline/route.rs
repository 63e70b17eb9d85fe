//! Routing to teams (pure): workload tags become SNS message attributes that subscription
//! filter policies match (`{"team": ["payments"]}`), and the `ecs-doctor:topic` tag names a
//! team's own topic.

use crate::config::Config;
use crate::incident::{Incident, Note};
use crate::render::{sns_message, SnsMessage, MAX_MESSAGE_ATTRIBUTES, SPARE_ATTRIBUTES};
use crate::report::Report;
use crate::util::text::sanitize_inline;

/// The tag (on the service or the task definition) that names a team's topic.
pub const TOPIC_TAG: &str = "ecs-doctor:topic";

/// Longest attribute value kept (SNS allows more; filter policies match short values).
const VALUE_CHARS: usize = 256;

/// The configured routing tags that this incident carries, as (attribute name, value).
/// Tags whose key is not a valid attribute name, or whose value is empty, are left out.
pub fn routing_attributes(incident: &Incident, names: &[String]) -> Vec<(String, String)> {
    names
        .iter()
        .filter(|name| valid_attribute_name(name))
        .filter_map(|name| {
            let value = sanitize_inline(incident.tag(name)?).trim().to_string();
            let value: String = value.chars().take(VALUE_CHARS).collect();
            (!value.is_empty()).then(|| (name.clone(), value))
        })
        .collect()
}

/// SNS message attribute names: 1–256 characters of letters, digits, `-`, `_` and `.`; no
/// leading, trailing or doubled `.`, and no `AWS.` or `Amazon.` prefix (reserved).
pub fn valid_attribute_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.is_empty()
        && name.len() <= 256
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && !lower.starts_with("aws.")
        && !lower.starts_with("amazon.")
}

/// Adds `extra` attributes to the message, skipping names it already has, until SNS's limit
/// of [`MAX_MESSAGE_ATTRIBUTES`]. The message's spare attributes ([`SPARE_ATTRIBUTES`]) give way
/// first: a team's subscription filters on its routing tag, so the tag must not be crowded
/// out. Returns the names that did not fit.
pub fn add_attributes(message: &mut SnsMessage, extra: Vec<(String, String)>) -> Vec<String> {
    let (spare, core): (Vec<_>, Vec<_>) = std::mem::take(&mut message.attributes)
        .into_iter()
        .partition(|(name, _)| SPARE_ATTRIBUTES.contains(&name.as_str()));
    message.attributes = core;
    let mut left_out = Vec::new();
    for (name, value) in extra.into_iter().chain(spare) {
        let taken = message.attributes.iter().any(|(n, _)| *n == name);
        if taken || message.attributes.len() >= MAX_MESSAGE_ATTRIBUTES {
            left_out.push(name);
        } else {
            message.attributes.push((name, value));
        }
    }
    left_out
}

/// The `ecs-doctor:topic` tag of the service, else of the task definition. Task tags do not
/// route: whoever runs a one-off task should not redirect the service owner's alerts.
pub fn topic_tag(incident: &Incident) -> Option<&str> {
    let definition = incident
        .task_definition
        .as_ref()
        .map(|d| d.tags.as_slice())
        .unwrap_or_default();
    [incident.service_tags.as_slice(), definition]
        .into_iter()
        .flatten()
        .find(|(k, _)| k == TOPIC_TAG)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// What the Lambda publishes for one incident, and where. The Lambda and `explain --format sns`
/// both build it here, so the preview is the publish.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The topic the message goes to first: the team topic of an allowed `ecs-doctor:topic`
    /// tag, else the main topic.
    pub topic_arn: String,
    /// Set when `topic_arn` is a team topic: the main topic, used if publishing there fails.
    pub fallback_topic_arn: Option<String>,
    /// A team topic the tag asked for that configuration does not allow (noted in the message).
    pub refused_topic: Option<String>,
    pub message: SnsMessage,
    /// Routing attributes that did not fit SNS's limit of ten.
    pub left_out: Vec<String>,
}

/// The topic and the message with routing attributes. A refused team topic becomes a note on
/// the incident first, so that the message says where it went instead.
pub fn publication(config: &Config, incident: &mut Incident, report: &Report) -> Publication {
    let (team_topic, refused_topic) = match topic_tag(incident).map(|v| config.team_topic(v)) {
        Some(Ok(arn)) => (Some(arn), None),
        Some(Err(arn)) => {
            incident.notes.push(Note::TopicRefused {
                tag: TOPIC_TAG.to_string(),
                arn: arn.clone(),
            });
            (None, Some(arn))
        }
        None => (None, None),
    };
    let mut message = sns_message(incident, report);
    let left_out = add_attributes(&mut message, routing_attributes(incident, &config.routing_tags));
    let (topic_arn, fallback_topic_arn) = match team_topic {
        Some(team) => (team, Some(config.topic_arn.clone())),
        None => (config.topic_arn.clone(), None),
    };
    Publication {
        topic_arn,
        fallback_topic_arn,
        refused_topic,
        message,
        left_out,
    }
}

/// [`publication`], and a warning in the log when the topic tag was refused or attributes were
/// left out: the Lambda's route step.
#[cfg(feature = "aws")]
pub(super) fn publication_logged(config: &Config, incident: &mut Incident, report: &Report) -> Publication {
    let publication = publication(config, incident, report);
    if let Some(arn) = &publication.refused_topic {
        tracing::warn!(topic = %arn, "the ecs-doctor:topic tag names a topic that is not allowed");
    }
    if !publication.left_out.is_empty() {
        tracing::warn!(
            left_out = ?publication.left_out,
            "message attributes not sent: SNS carries at most 10"
        );
    }
    publication
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{Task, TaskDefinition};

    fn incident() -> Incident {
        Incident {
            task: Some(Task {
                task_arn: "t".into(),
                tags: vec![("team".into(), "payments".into()), ("cost center".into(), "42".into())],
                ..Task::default()
            }),
            service_tags: vec![
                ("team".into(), "ignored: the task's own tag wins".into()),
                ("owner".into(), "alice@example.com".into()),
                (TOPIC_TAG.into(), "team-payments".into()),
            ],
            task_definition: Some(TaskDefinition {
                tags: vec![("env".into(), "prod".into()), (TOPIC_TAG.into(), "other".into())],
                ..TaskDefinition::default()
            }),
            ..Incident::default()
        }
    }

    #[test]
    fn tags_from_task_then_service_then_definition() {
        let names: Vec<String> = ["team", "owner", "env", "cost center", "missing"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let attrs = routing_attributes(&incident(), &names);
        assert_eq!(
            attrs,
            [
                ("team".to_string(), "payments".to_string()),
                ("owner".to_string(), "alice@example.com".to_string()),
                ("env".to_string(), "prod".to_string()),
            ]
        );
        assert_eq!(topic_tag(&incident()), Some("team-payments"));
    }

    fn config(allowed: &str) -> Config {
        Config::from_lookup(|name| match name {
            "TOPIC_ARN" => Some("arn:aws:sns:us-east-1:111122223333:alerts".into()),
            "ALLOWED_TOPIC_ARNS" => Some(allowed.into()),
            _ => None,
        })
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn publication_goes_to_an_allowed_team_topic_with_the_main_topic_behind_it() {
        let mut incident = incident();
        let report = Report::from(crate::diagnose::diagnose(&incident, crate::diagnose::Lang::En));
        let p = publication(
            &config("arn:aws:sns:us-east-1:111122223333:team-*"),
            &mut incident,
            &report,
        );
        assert_eq!(p.topic_arn, "arn:aws:sns:us-east-1:111122223333:team-payments");
        assert_eq!(
            p.fallback_topic_arn.as_deref(),
            Some("arn:aws:sns:us-east-1:111122223333:alerts")
        );
        assert_eq!(p.refused_topic, None);
        assert!(
            p.message.attributes.contains(&("team".into(), "payments".into())),
            "{:?}",
            p.message.attributes
        );
        assert!(incident.notes.is_empty());
    }

    #[test]
    fn a_refused_team_topic_is_noted_in_the_message_and_the_main_topic_is_used() {
        let mut incident = incident();
        let report = Report::from(crate::diagnose::diagnose(&incident, crate::diagnose::Lang::En));
        let p = publication(
            &config("arn:aws:sns:us-east-1:111122223333:ops"),
            &mut incident,
            &report,
        );
        assert_eq!(p.topic_arn, "arn:aws:sns:us-east-1:111122223333:alerts");
        assert_eq!(p.fallback_topic_arn, None);
        assert_eq!(
            p.refused_topic.as_deref(),
            Some("arn:aws:sns:us-east-1:111122223333:team-payments")
        );
        let note = crate::render::note_text(&incident.notes[0], crate::diagnose::Lang::En);
        assert!(note.contains("ALLOWED_TOPIC_ARNS"), "{note}");
        assert!(
            p.message.message.contains("ALLOWED_TOPIC_ARNS"),
            "the note is in the message"
        );
    }

    #[test]
    fn attribute_names_follow_sns_rules() {
        for good in ["team", "cost-center", "a.b", "A_1"] {
            assert!(valid_attribute_name(good), "{good}");
        }
        for bad in [
            "",
            "cost center",
            "a:b",
            ".a",
            "a.",
            "a..b",
            "AWS.x",
            "amazon.team",
            &"x".repeat(257),
        ] {
            assert!(!valid_attribute_name(bad), "{bad}");
        }
    }

    #[test]
    fn attributes_stop_at_the_sns_limit_and_never_replace() {
        let mut message = SnsMessage {
            subject: "s".into(),
            message: "{}".into(),
            attributes: (0..8).map(|i| (format!("a{i}"), "v".to_string())).collect(),
        };
        let left_out = add_attributes(
            &mut message,
            vec![
                ("a0".into(), "other".into()),
                ("team".into(), "payments".into()),
                ("owner".into(), "alice".into()),
                ("env".into(), "prod".into()),
            ],
        );
        assert_eq!(message.attributes.len(), MAX_MESSAGE_ATTRIBUTES);
        assert_eq!(message.attributes[0], ("a0".to_string(), "v".to_string()));
        assert_eq!(left_out, ["a0", "env"]);
    }

    #[test]
    fn routing_tags_crowd_out_the_spare_attributes_not_the_other_way_round() {
        let mut message = SnsMessage {
            subject: "s".into(),
            message: "{}".into(),
            attributes: (0..7)
                .map(|i| (format!("a{i}"), "v".to_string()))
                .chain(SPARE_ATTRIBUTES.iter().map(|n| (n.to_string(), "x".to_string())))
                .collect(),
        };
        let left_out = add_attributes(
            &mut message,
            vec![("team".into(), "payments".into()), ("env".into(), "prod".into())],
        );
        let names: Vec<&str> = message.attributes.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[7..], ["team", "env", "incident_id"]);
        assert_eq!(left_out, ["incident_state", "launch_type"]);
    }
}
