//! Decoding input JSON into [`Incident`]s: the ECS EventBridge events, CloudTrail API-call
//! events with `failures`, and the output of `aws ecs describe-tasks`.

mod detail;
pub mod lenient;

use aws_lambda_events::eventbridge::EventBridgeEvent;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::incident::{account_of, arn_name, region_of, ApiError, ArnParts, Incident, Note, Source};
use crate::redact;
use detail::{CloudTrailDetail, HookDetail, InstanceDetail, ServiceDetail};
pub use detail::{DescribeTasksOutput, FailureDetail, TaskDetail};

pub const TASK_STATE_CHANGE: &str = "ECS Task State Change";
pub const SERVICE_ACTION: &str = "ECS Service Action";
pub const DEPLOYMENT_STATE_CHANGE: &str = "ECS Deployment State Change";
pub const CONTAINER_INSTANCE_STATE_CHANGE: &str = "ECS Container Instance State Change";
pub const API_CALL: &str = "AWS API Call via CloudTrail";
pub const HOOK_STATE_CHANGE: &str = "ECS Hook State Change";

/// Largest input accepted. EventBridge events are at most 256 KiB; describe-tasks output for
/// 100 tasks stays far below this.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// Longest string kept from the input, in bytes: far beyond any ECS reason (255 characters),
/// service event message or ARN (2,048). Longer ones are cut (the incident says so). The
/// diagnosis normalises each text once per incident, so its cost is linear in this size; what
/// still grows with it is rendering, which redacts and quotes a signal's text once per finding
/// (a 256 KiB reason in each of 100 containers takes seconds in a debug build), so the cap
/// stays at 16 KiB rather than EventBridge's 256 KiB per event.
pub const MAX_TEXT_BYTES: usize = 16 * 1024;

/// Longest list kept from the input: AWS's own maxima. A task definition holds at most 10
/// containers (ECS quota "containers per task definition"), DescribeTasks and DescribeServices
/// take at most 100 tasks or services, a service keeps its 100 most recent events, and an API
/// response lists at most 100 failures. Longer lists are cut to their first items (the
/// incident says so). The diagnosis is linear in the number of items, so this bounds the size
/// of the message, not a quadratic cost.
pub const MAX_LIST_ITEMS: usize = 100;

/// Why an input could not be turned into an incident.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("input is not valid JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    /// The Lambda's payload was not JSON (the runtime's parser said `error`).
    #[error("the payload is not valid JSON: {error}")]
    NotJsonPayload { error: String },
    #[error("input is {size} bytes; the limit is {MAX_INPUT_BYTES} bytes")]
    TooLarge { size: usize },
    #[error("input is {encoding} text, not UTF-8: save it as UTF-8 JSON")]
    NotUtf8 { encoding: &'static str },
    #[error(
        "input is neither an EventBridge event (no `detail-type`) nor `aws ecs describe-tasks` output (no `tasks` or `failures`)"
    )]
    UnknownShape,
    #[error(
        "unsupported event: detail-type `{detail_type}` from source `{event_source}`; ecs-doctor reads `{TASK_STATE_CHANGE}`, `{SERVICE_ACTION}`, `{DEPLOYMENT_STATE_CHANGE}`, `{HOOK_STATE_CHANGE}`, `{CONTAINER_INSTANCE_STATE_CHANGE}` and `{API_CALL}` (ecs.amazonaws.com)"
    )]
    Unsupported { detail_type: String, event_source: String },
    /// `field` is the path of the value that was wrong (`detail.containers[0].exitCode`);
    /// `error` what was wrong with it, without the value itself (see [`without_value`]).
    #[error("invalid `{kind}`: field `{field}`: {error}")]
    Invalid { kind: String, field: String, error: String },
    #[error("`{API_CALL}` event for {action} has neither an `errorCode` nor `responseElements.failures`: nothing to diagnose")]
    NoFailures { action: String },
    #[error("`aws ecs describe-tasks` output has no tasks and no failures: nothing to diagnose")]
    EmptyDescribeTasks,
}

impl DecodeError {
    /// Inputs that are well-formed but carry nothing to explain; not an error for the Lambda.
    pub fn is_nothing_to_diagnose(&self) -> bool {
        matches!(self, Self::NoFailures { .. } | Self::EmptyDescribeTasks)
    }
}

/// Longest piece of input text quoted in an error: enough to recognise it, never megabytes.
const QUOTED_CHARS: usize = 200;

/// `text` cut to [`QUOTED_CHARS`] characters for an error message.
fn shown(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// `text` without its middle when longer than twice [`QUOTED_CHARS`]: serde's messages put the
/// quoted value in the middle and what was expected at the end.
fn shown_middle(text: &str) -> String {
    let chars = text.chars().count();
    if chars <= 2 * QUOTED_CHARS {
        return text.to_string();
    }
    let tail: String = text.chars().skip(chars - QUOTED_CHARS / 2).collect();
    format!("{}{tail}", shown(text))
}

/// Decode raw bytes (a file, stdin, a Lambda payload).
pub fn decode(bytes: &[u8]) -> Result<Vec<Incident>, DecodeError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(DecodeError::TooLarge { size: bytes.len() });
    }
    // Windows editors save UTF-8 with a byte-order mark, which JSON parsers may ignore
    // (RFC 8259, 8.1); UTF-16 (with a mark, or ASCII with NULs between) is named, not reported
    // as "expected value at line 1 column 1".
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let [a, b, ..] = bytes {
        let utf16 = matches!((a, b), (0xff, 0xfe) | (0xfe, 0xff) | (1..=0x7f, 0) | (0, 1..=0x7f));
        if utf16 {
            return Err(DecodeError::NotUtf8 { encoding: "UTF-16" });
        }
    }
    let value: Value = serde_json::from_slice(bytes).map_err(DecodeError::NotJson)?;
    decode_value(value)
}

/// Decode an already parsed JSON value. An EventBridge event gives exactly one incident;
/// describe-tasks output gives one per task, plus one for its `failures` if any.
pub fn decode_value(mut value: Value) -> Result<Vec<Incident>, DecodeError> {
    let cut = bound(&mut value);
    let Value::Object(map) = &value else {
        return Err(DecodeError::UnknownShape);
    };
    let mut incidents = if map.contains_key("detail-type") {
        vec![decode_event(value)?]
    } else if map.contains_key("tasks") || map.contains_key("failures") {
        decode_describe_tasks(value)?
    } else {
        return Err(DecodeError::UnknownShape);
    };
    if let Some(note) = cut.note() {
        for incident in &mut incidents {
            incident.notes.push(note.clone());
        }
    }
    Ok(incidents)
}

/// What [`bound`] cut.
#[derive(Debug, Default)]
struct Cut {
    texts: usize,
    lists: usize,
}

impl Cut {
    fn note(&self) -> Option<Note> {
        (self.texts + self.lists > 0).then_some(Note::InputCut {
            texts: self.texts,
            lists: self.lists,
            max_text_bytes: MAX_TEXT_BYTES,
            max_list_items: MAX_LIST_ITEMS,
        })
    }
}

/// Cleans every string of `value` ([`redact::clean`]: credentials and invisible direction
/// controls), then cuts it to [`MAX_TEXT_BYTES`] and every array to [`MAX_LIST_ITEMS`], so that
/// whatever arrives (at most [`MAX_INPUT_BYTES`]), diagnosing and rendering it takes bounded
/// time and memory, and no text made from it (a title, "Why", a cut evidence line) can hold a
/// credential or the start of one. Iterative: the depth of a `Value` is not bounded here.
fn bound(value: &mut Value) -> Cut {
    let mut cut = Cut::default();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) => {
                let cleaned = redact::clean(s);
                if cleaned != *s {
                    *s = cleaned;
                }
                if s.len() > MAX_TEXT_BYTES {
                    *s = cut_text(s);
                    cut.texts += 1;
                }
            }
            Value::Array(items) => {
                if items.len() > MAX_LIST_ITEMS {
                    items.truncate(MAX_LIST_ITEMS);
                    cut.lists += 1;
                }
                stack.extend(items.iter_mut());
            }
            Value::Object(map) => stack.extend(map.values_mut()),
            _ => {}
        }
    }
    cut
}

/// `text` cut to at most [`MAX_TEXT_BYTES`] on a character boundary, ending in `…` when cut.
fn cut_text(text: &str) -> String {
    if text.len() <= MAX_TEXT_BYTES {
        return text.to_string();
    }
    let mut end = MAX_TEXT_BYTES - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// An incident for a bare reason string (`ecs-doctor explain --text`).
pub fn from_text(text: &str) -> Incident {
    let cut = Cut {
        texts: usize::from(text.len() > MAX_TEXT_BYTES),
        lists: 0,
    };
    Incident {
        source: Source::Text,
        text: Some(cut_text(&redact::clean(text))),
        notes: cut.note().into_iter().collect(),
        ..Incident::default()
    }
}

fn parse<T: DeserializeOwned>(value: Value, kind: &str) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(value).map_err(|error| DecodeError::Invalid {
        kind: kind.to_string(),
        field: shown(&error.path().to_string()),
        error: without_value(&error.inner().to_string()),
    })
}

/// serde's message without the value it quotes (`invalid type: string "AKIA…", expected u64`
/// → `invalid type: string, expected u64`): the value may be a credential, or a megabyte.
fn without_value(message: &str) -> String {
    let message = match (message.find('"'), message.rfind('"')) {
        (Some(first), Some(last)) if last > first => {
            format!("{}{}", message[..first].trim_end(), &message[last + 1..])
        }
        _ => message.to_string(),
    };
    shown_middle(&message)
}

fn decode_event(value: Value) -> Result<Incident, DecodeError> {
    let envelope: EventBridgeEvent<Value> = parse(value, "EventBridge event envelope")?;
    let mut incident = Incident {
        event_id: envelope.id,
        region: envelope.region,
        account: envelope.account,
        time: envelope.time.map(|t| t.to_rfc3339()),
        ..Incident::default()
    };
    let resources = envelope.resources.unwrap_or_default();
    let kind = format!("{} event `detail`", envelope.detail_type);
    match envelope.detail_type.as_str() {
        TASK_STATE_CHANGE => {
            let detail: TaskDetail = parse(envelope.detail, &kind)?;
            incident.source = Source::TaskStateChange;
            incident.cluster = detail.cluster_arn.clone();
            incident.task = Some(detail.into());
        }
        SERVICE_ACTION | DEPLOYMENT_STATE_CHANGE => {
            let detail: ServiceDetail = parse(envelope.detail, &kind)?;
            incident.source = if envelope.detail_type == SERVICE_ACTION {
                Source::ServiceAction
            } else {
                Source::DeploymentStateChange
            };
            let service_arn = resources.iter().find(|r| r.contains(":service/")).cloned();
            // Deployment events carry no clusterArn; the service ARN names the cluster.
            incident.cluster = detail
                .cluster_arn
                .clone()
                .or_else(|| cluster_of_service(service_arn.as_deref()));
            incident.service_event = Some(detail.into_event(service_arn));
        }
        HOOK_STATE_CHANGE => {
            let detail: HookDetail = parse(envelope.detail, &kind)?;
            incident.source = Source::HookStateChange;
            let cluster = detail.cluster_arn.clone();
            let event = detail.into_event(&resources);
            incident.cluster = cluster.or_else(|| cluster_of_service(event.service_arn.as_deref()));
            incident.service_event = Some(event);
        }
        CONTAINER_INSTANCE_STATE_CHANGE => {
            let detail: InstanceDetail = parse(envelope.detail, &kind)?;
            incident.source = Source::ContainerInstanceStateChange;
            incident.cluster = detail.cluster_arn.clone();
            incident.container_instance = Some(detail.into());
        }
        API_CALL => {
            let detail: CloudTrailDetail = parse(envelope.detail, &kind)?;
            if detail.event_source != "ecs.amazonaws.com" {
                return Err(DecodeError::Unsupported {
                    detail_type: shown(&envelope.detail_type),
                    event_source: shown(&detail.event_source),
                });
            }
            incident.source = Source::ApiCall;
            incident.region = incident.region.or(detail.aws_region.clone());
            incident.cluster = detail.cluster();
            // A call ECS refused: nothing was created, the error is the whole story.
            if let Some(code) = detail.error_code.as_deref() {
                let mut error = ApiError::new(&detail.event_name, code, detail.error_message.as_deref());
                error.caller = detail.caller();
                error.request = detail
                    .request_parameters
                    .as_ref()
                    .map(crate::redact::request_identifiers)
                    .unwrap_or_default();
                incident.api_error = Some(error);
                return Ok(incident);
            }
            let failures = detail.response_elements.map(|r| r.failures).unwrap_or_default();
            if failures.is_empty() {
                return Err(DecodeError::NoFailures {
                    action: shown(&detail.event_name),
                });
            }
            incident.api_failures = failures
                .into_iter()
                .map(|f| f.into_failure(Some(&detail.event_name)))
                .collect();
        }
        _ => {
            return Err(DecodeError::Unsupported {
                detail_type: shown(&envelope.detail_type),
                event_source: shown(&envelope.source),
            })
        }
    }
    Ok(incident)
}

fn decode_describe_tasks(value: Value) -> Result<Vec<Incident>, DecodeError> {
    let output: DescribeTasksOutput = parse(value, "`aws ecs describe-tasks` output")?;
    let mut incidents: Vec<Incident> = output
        .tasks
        .into_iter()
        .map(|detail| Incident {
            source: Source::DescribeTasksOutput,
            region: region_of(&detail.task_arn).map(str::to_string),
            account: account_of(&detail.task_arn).map(str::to_string),
            cluster: detail.cluster_arn.clone(),
            task: Some(detail.into()),
            ..Incident::default()
        })
        .collect();
    if !output.failures.is_empty() {
        incidents.push(Incident {
            source: Source::DescribeTasksOutput,
            api_failures: output
                .failures
                .into_iter()
                .map(|f| f.into_failure(Some("DescribeTasks")))
                .collect(),
            ..Incident::default()
        });
    }
    if incidents.is_empty() {
        return Err(DecodeError::EmptyDescribeTasks);
    }
    Ok(incidents)
}

/// `arn:aws:ecs:r:a:service/cluster/name` → the cluster ARN (old-format service ARNs have no cluster).
fn cluster_of_service(service_arn: Option<&str>) -> Option<String> {
    let arn = ArnParts::parse(service_arn?)?;
    Some(arn.sibling(&format!("cluster/{}", arn.cluster()?)))
}

/// The cluster's short name, for messages.
pub fn cluster_name(incident: &Incident) -> Option<&str> {
    incident.cluster.as_deref().map(arn_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_typed_field_is_named_and_its_value_never_quoted() {
        let event = r#"{"version":"0","id":"1","detail-type":"ECS Task State Change","source":"aws.ecs","account":"1","time":"AKIAIOSFODNN7EXAMPLE","region":"us-east-1","resources":[],"detail":{}}"#;
        let err = decode(event.as_bytes()).expect_err("wrong type");
        let text = err.to_string();
        assert!(!text.contains("AKIAIOSFODNN7EXAMPLE"), "{text}");
        assert!(text.contains("field `time`"), "{text}");
    }

    fn task_event(detail: &str) -> String {
        format!(
            r#"{{"version":"0","id":"e1","detail-type":"ECS Task State Change","source":"aws.ecs","account":"1","time":"2024-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{detail}}}"#
        )
    }

    #[test]
    fn task_event_keeps_unknown_stop_codes_and_ignores_extra_fields() {
        let json = task_event(
            r#"{"taskArn":"arn:aws:ecs:us-east-1:1:task/c/t","clusterArn":"arn:aws:ecs:us-east-1:1:cluster/c","lastStatus":"STOPPED","stopCode":"InfrastructureHealth","brandNewField":{"x":1},"cpu":256,"containers":[{"name":"app","exitCode":"137"}]}"#,
        );
        let incidents = decode(json.as_bytes()).expect("decodes");
        let task = incidents[0].task.as_ref().expect("task");
        assert_eq!(task.stop_code.as_deref(), Some("InfrastructureHealth"));
        assert_eq!(task.cpu.as_deref(), Some("256"));
        assert_eq!(task.containers[0].exit_code, Some(137));
        assert_eq!(incidents[0].event_id.as_deref(), Some("e1"));
    }

    #[test]
    fn missing_required_field_is_named() {
        let json = task_event(r#"{"lastStatus":"STOPPED"}"#);
        let err = decode(json.as_bytes()).expect_err("taskArn is required").to_string();
        assert!(
            err.contains("ECS Task State Change") && err.contains("taskArn"),
            "{err}"
        );
    }

    #[test]
    fn bad_json_and_unknown_shapes_are_explained() {
        let err = decode(b"{not json").expect_err("not json").to_string();
        assert!(
            err.starts_with("input is not valid JSON") && err.contains("line 1"),
            "{err}"
        );
        assert!(matches!(decode(b"[1,2]"), Err(DecodeError::UnknownShape)));
        let other = r#"{"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{}}"#;
        let err = decode(other.as_bytes()).expect_err("unsupported").to_string();
        assert!(
            err.contains("EC2 Instance State-change Notification") && err.contains("aws.ec2"),
            "{err}"
        );
    }

    #[test]
    fn describe_tasks_output_with_epoch_timestamps_and_failures() {
        let json = r#"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:222:task/c/t","stoppedAt":1584373024.979,"lastStatus":"STOPPED"}],
                       "failures":[{"arn":"arn:aws:ecs:eu-west-1:222:task/c/gone","reason":"MISSING"}]}"#;
        let incidents = decode(json.as_bytes()).expect("decodes");
        assert_eq!(incidents.len(), 2);
        let task = incidents[0].task.as_ref().expect("task");
        assert_eq!(task.timestamps.stopped_at.as_deref(), Some("2020-03-16T15:37:04.979Z"));
        assert_eq!(incidents[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(incidents[1].api_failures[0].action.as_deref(), Some("DescribeTasks"));
        assert!(matches!(
            decode(br#"{"tasks":[],"failures":[]}"#),
            Err(DecodeError::EmptyDescribeTasks)
        ));
    }

    #[test]
    fn cloudtrail_failures_carry_their_action() {
        let json = r#"{"detail-type":"AWS API Call via CloudTrail","source":"aws.ecs","detail":{"eventSource":"ecs.amazonaws.com","eventName":"RunTask","requestParameters":{"cluster":"prod"},"responseElements":{"failures":[{"arn":"arn:aws:ecs:us-east-1:1:container-instance/prod/x","reason":"AGENT"}]}}}"#;
        let incidents = decode(json.as_bytes()).expect("decodes");
        assert_eq!(incidents[0].api_failures[0].action.as_deref(), Some("RunTask"));
        assert_eq!(incidents[0].cluster.as_deref(), Some("prod"));
        let none = json.replace(
            r#"{"arn":"arn:aws:ecs:us-east-1:1:container-instance/prod/x","reason":"AGENT"}"#,
            "",
        );
        let err = decode(none.as_bytes()).expect_err("no failures");
        assert!(err.is_nothing_to_diagnose());
    }

    #[test]
    fn deployment_event_names_its_cluster_from_the_service_arn() {
        assert_eq!(
            cluster_of_service(Some("arn:aws:ecs:us-west-2:1:service/default/web")).as_deref(),
            Some("arn:aws:ecs:us-west-2:1:cluster/default")
        );
        assert_eq!(cluster_of_service(Some("arn:aws:ecs:us-west-2:1:service/web")), None);
    }
}
