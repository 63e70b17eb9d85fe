//! `ecs-doctor replay`: what is in the dead-letter queue, and a second chance for it.
//!
//! The stack sends two kinds of failures to one SQS queue, and a function configured by hand
//! may use a third:
//! - an EventBridge target DLQ message: the body is the event; the message attributes say why
//!   (`ERROR_CODE`, `ERROR_MESSAGE`, `RULE_ARN`, `TARGET_ARN`, `RETRY_ATTEMPTS`);
//! - a Lambda on-failure destination record: a JSON document whose `requestPayload` is the
//!   event and whose `requestContext` / `responsePayload` say why;
//! - a Lambda function DLQ message: the body is the event; the attributes are `RequestID`,
//!   `ErrorCode` and `ErrorMessage`.
//!
//! [`read_record`] and [`examine`] are pure; [`replay`] drives the queue and, with `publish`,
//! runs each event through the Lambda's own pipeline ([`handle`]). A message is deleted only
//! when that pipeline handled its event (published, or skipped on purpose): never one that
//! failed again, and never one that cannot be decoded.

mod command;
pub mod render;
pub use command::{run, Args};

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;

use crate::aws::mutes::MuteSource;
use crate::aws::{DeadLetterQueue, Ledger, Publisher, QueueError, QueuedMessage, TaskSources};
use crate::diagnose::{diagnose, Lang};
use crate::event;
use crate::pipeline::{handle, Deps, Outcome};
use crate::render::sms;
use crate::report::ChangeReader;
use crate::report::Report;
use crate::util::text::{sanitize_inline, truncate_bytes};
use crate::verify::Verifier;

/// Longest error text quoted from a message attribute or a failure record.
const MAX_QUOTED_BYTES: usize = 300;

/// Where a dead-letter message came from, and what its sender said about the failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An EventBridge rule could not deliver the event to its target.
    EventBridge {
        rule_arn: Option<String>,
        target_arn: Option<String>,
        error_code: Option<String>,
        error_message: Option<String>,
        retry_attempts: Option<String>,
    },
    /// Lambda's on-failure destination for an asynchronous invocation.
    LambdaDestination {
        request_id: Option<String>,
        function_arn: Option<String>,
        /// `RetriesExhausted`, `EventAgeExceeded`, …
        condition: Option<String>,
        error_type: Option<String>,
        error_message: Option<String>,
    },
    /// A Lambda function's own dead-letter queue (`DeadLetterConfig`).
    LambdaDlq {
        request_id: Option<String>,
        error_code: Option<String>,
        error_message: Option<String>,
    },
    /// No attributes or envelope we know: the body is taken as the event.
    Unknown,
}

/// A dead-letter message read: its origin, and the event or why there is none.
#[derive(Debug, Clone)]
pub struct Record {
    pub origin: Origin,
    pub event: Result<Value, String>,
}

fn attr(attributes: &BTreeMap<String, String>, name: &str) -> Option<String> {
    attributes.get(name).map(|v| quoted(v))
}

/// Untrusted text, made safe for one line of a terminal and short.
fn quoted(text: &str) -> String {
    truncate_bytes(&sanitize_inline(text), MAX_QUOTED_BYTES)
}

fn text_at(value: &Value, pointer: &str) -> Option<String> {
    match value.pointer(pointer)? {
        Value::String(s) => Some(quoted(s)),
        Value::Null => None,
        other => Some(quoted(&other.to_string())),
    }
}

/// Reads one message: which sender wrote it and the event it carries.
pub fn read_record(body: &str, attributes: &BTreeMap<String, String>) -> Record {
    let parsed: Result<Value, String> =
        serde_json::from_str(body).map_err(|e| format!("the message body is not JSON ({e})"));
    // A destination record is recognised by its envelope, whatever the attributes say.
    if let Ok(Value::Object(record)) = &parsed {
        if record.contains_key("requestContext") && record.contains_key("responseContext") {
            let whole = Value::Object(record.clone());
            let origin = Origin::LambdaDestination {
                request_id: text_at(&whole, "/requestContext/requestId"),
                function_arn: text_at(&whole, "/requestContext/functionArn"),
                condition: text_at(&whole, "/requestContext/condition"),
                error_type: text_at(&whole, "/responsePayload/errorType")
                    .or_else(|| text_at(&whole, "/responseContext/functionError")),
                error_message: text_at(&whole, "/responsePayload/errorMessage"),
            };
            let event = match record.get("requestPayload") {
                Some(Value::Null) | None => {
                    Err("the on-failure record carries no requestPayload (the original event)".into())
                }
                Some(payload) => Ok(payload.clone()),
            };
            return Record { origin, event };
        }
    }
    let origin = if ["ERROR_CODE", "RULE_ARN", "TARGET_ARN"]
        .iter()
        .any(|k| attributes.contains_key(*k))
    {
        Origin::EventBridge {
            rule_arn: attr(attributes, "RULE_ARN"),
            target_arn: attr(attributes, "TARGET_ARN"),
            error_code: attr(attributes, "ERROR_CODE"),
            error_message: attr(attributes, "ERROR_MESSAGE"),
            retry_attempts: attr(attributes, "RETRY_ATTEMPTS"),
        }
    } else if ["RequestID", "ErrorCode", "ErrorMessage"]
        .iter()
        .any(|k| attributes.contains_key(*k))
    {
        Origin::LambdaDlq {
            request_id: attr(attributes, "RequestID"),
            error_code: attr(attributes, "ErrorCode"),
            error_message: attr(attributes, "ErrorMessage"),
        }
    } else {
        Origin::Unknown
    };
    Record { origin, event: parsed }
}

/// What the event in a message amounts to, from the event alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Its diagnosis, one line per incident (the SMS summary: rule, severity, place).
    Diagnosed(Vec<String>),
    /// A well-formed event with nothing to explain (e.g. a CloudTrail call without failures).
    NothingToDiagnose(String),
    /// No event, or one ecs-doctor cannot read: why.
    Undecodable(String),
}

/// Decodes and diagnoses a record's event (pure: no enrichment, no publishing).
pub fn examine(record: &Record, lang: Lang) -> Verdict {
    let event = match &record.event {
        Ok(event) => event.clone(),
        Err(reason) => return Verdict::Undecodable(reason.clone()),
    };
    match event::decode_value(event) {
        // A defect in the engine on one message must not end the run over the others: that
        // message is kept, and the rest are replayed.
        Ok(incidents) => match std::panic::catch_unwind(|| {
            incidents
                .iter()
                .map(|incident| sms(incident, &Report::from(diagnose(incident, lang))))
                .collect()
        }) {
            Ok(texts) => Verdict::Diagnosed(texts),
            Err(_) => Verdict::Undecodable("internal error while diagnosing this event".into()),
        },
        Err(err) if err.is_nothing_to_diagnose() => Verdict::NothingToDiagnose(err.to_string()),
        Err(err) => Verdict::Undecodable(err.to_string()),
    }
}

/// What `--publish` did with the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Published {
        message_id: String,
        rule_id: String,
    },
    Skipped {
        reason: String,
    },
    /// The pipeline failed again: the message stays in the queue.
    Failed {
        error: String,
    },
}

impl Action {
    /// Handled for good: the message may be deleted.
    pub fn is_handled(&self) -> bool {
        matches!(self, Action::Published { .. } | Action::Skipped { .. })
    }
}

/// The fate of one message.
#[derive(Debug, Clone)]
pub struct Entry {
    pub message_id: String,
    pub origin: Origin,
    pub verdict: Verdict,
    /// With `publish`: what the pipeline did (`None` when there was no event to run).
    pub action: Option<Action>,
    pub deleted: bool,
    /// Why deleting (or handing back) the message failed, if it did.
    pub queue_error: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Run each decodable event through the Lambda's pipeline.
    pub publish: bool,
    /// Delete each message whose event the pipeline handled (needs `publish`).
    pub delete: bool,
    pub lang: Lang,
    /// Stop after this many messages.
    pub max_messages: usize,
}

/// Reads the queue until it is empty (or `max_messages`), examines each message, and with
/// `publish` runs its event through `pipeline`. Messages not deleted are handed back (made
/// visible again) at the end, so the next run sees them at once.
pub async fn replay<Q, T, P, L, V, M>(
    queue: &Q,
    pipeline: Option<&Deps<T, P, L, V, M>>,
    options: Options,
) -> Result<Vec<Entry>, QueueError>
where
    Q: DeadLetterQueue,
    T: TaskSources,
    P: Publisher,
    L: Ledger,
    V: Verifier + ChangeReader,
    M: MuteSource,
{
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    let mut kept: Vec<String> = Vec::new();
    'read: while entries.len() < options.max_messages {
        let want = (options.max_messages - entries.len()).min(10) as i32;
        let batch = queue.receive(want).await?;
        if batch.is_empty() {
            break;
        }
        for message in batch {
            // A message seen twice came back after its visibility timeout: the run is done.
            if !seen.insert(message.message_id.clone()) {
                kept.push(message.receipt_handle);
                break 'read;
            }
            let entry = settle(queue, pipeline, options, &message).await;
            if !entry.deleted {
                kept.push(message.receipt_handle.clone());
            }
            entries.push(entry);
        }
    }
    for receipt in kept {
        // Best effort: a message not handed back reappears after its visibility timeout anyway.
        let _ = queue.release(&receipt).await;
    }
    Ok(entries)
}

async fn settle<Q, T, P, L, V, M>(
    queue: &Q,
    pipeline: Option<&Deps<T, P, L, V, M>>,
    options: Options,
    message: &QueuedMessage,
) -> Entry
where
    Q: DeadLetterQueue,
    T: TaskSources,
    P: Publisher,
    L: Ledger,
    V: Verifier + ChangeReader,
    M: MuteSource,
{
    let record = read_record(&message.body, &message.attributes);
    let verdict = examine(&record, options.lang);
    let action = match (pipeline, &record.event, &verdict) {
        // Nothing the pipeline could run: keep the message for a person to look at.
        (_, Err(_), _) | (_, _, Verdict::Undecodable(_)) => None,
        (Some(deps), Ok(event), _) if options.publish => Some(match handle(deps, event.clone()).await {
            Ok(Outcome::Published {
                message_id, rule_id, ..
            }) => Action::Published {
                message_id,
                rule_id: rule_id.to_string(),
            },
            Ok(Outcome::Skipped { reason }) => Action::Skipped { reason },
            Err(err) => Action::Failed { error: err.to_string() },
        }),
        _ => None,
    };
    let mut entry = Entry {
        message_id: message.message_id.clone(),
        origin: record.origin,
        verdict,
        action,
        deleted: false,
        queue_error: None,
    };
    if options.delete && entry.action.as_ref().is_some_and(Action::is_handled) {
        match queue.delete(&message.receipt_handle).await {
            Ok(()) => entry.deleted = true,
            Err(err) => entry.queue_error = Some(err.to_string()),
        }
    }
    entry
}

/// Counts that add up: every message is diagnosed, has nothing to diagnose, or cannot be
/// decoded; with `--publish`, every runnable one is published, skipped or failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub messages: usize,
    pub diagnosed: usize,
    pub nothing_to_diagnose: usize,
    pub undecodable: usize,
    pub published: usize,
    pub skipped: usize,
    pub failed: usize,
    pub deleted: usize,
    pub kept: usize,
}

pub fn summarize(entries: &[Entry]) -> Summary {
    let mut s = Summary {
        messages: entries.len(),
        ..Summary::default()
    };
    for e in entries {
        match e.verdict {
            Verdict::Diagnosed(_) => s.diagnosed += 1,
            Verdict::NothingToDiagnose(_) => s.nothing_to_diagnose += 1,
            Verdict::Undecodable(_) => s.undecodable += 1,
        }
        match e.action {
            Some(Action::Published { .. }) => s.published += 1,
            Some(Action::Skipped { .. }) => s.skipped += 1,
            Some(Action::Failed { .. }) => s.failed += 1,
            None => {}
        }
        if e.deleted {
            s.deleted += 1;
        } else {
            s.kept += 1;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::render::{entry_text, summary_text};
    use super::*;

    fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const EVENT: &str = r#"{"version":"0","id":"e1","detail-type":"ECS Task State Change","source":"aws.ecs","account":"123456789012","time":"2026-11-27T12:00:00Z","region":"us-east-1","resources":[],"detail":{"taskArn":"arn:aws:ecs:us-east-1:123456789012:task/prod/abc","clusterArn":"arn:aws:ecs:us-east-1:123456789012:cluster/prod","lastStatus":"STOPPED","stopCode":"EssentialContainerExited","stoppedReason":"Essential container in task exited","containers":[{"name":"api","exitCode":137,"reason":"OutOfMemoryError: Container killed due to memory usage"}]}}"#;

    #[test]
    fn eventbridge_dlq_attributes_are_read_and_the_body_is_the_event() {
        let record = read_record(
            EVENT,
            &attrs(&[
                ("ERROR_CODE", "SDK_CLIENT_ERROR"),
                ("ERROR_MESSAGE", "Unable to invoke Lambda\u{1b}[31m"),
                ("RULE_ARN", "arn:aws:events:us-east-1:123456789012:rule/r"),
                ("TARGET_ARN", "arn:aws:lambda:us-east-1:123456789012:function:f"),
                ("RETRY_ATTEMPTS", "8"),
            ]),
        );
        let Origin::EventBridge {
            rule_arn,
            error_code,
            error_message,
            ..
        } = &record.origin
        else {
            panic!("{:?}", record.origin);
        };
        assert_eq!(
            rule_arn.as_deref(),
            Some("arn:aws:events:us-east-1:123456789012:rule/r")
        );
        assert_eq!(error_code.as_deref(), Some("SDK_CLIENT_ERROR"));
        // Control characters never reach the terminal.
        assert!(!error_message.as_deref().unwrap_or_default().contains('\u{1b}'));
        let Verdict::Diagnosed(lines) = examine(&record, Lang::En) else {
            panic!("not diagnosed")
        };
        assert!(lines[0].contains("prod"), "{lines:?}");
    }

    #[test]
    fn lambda_destination_record_yields_its_request_payload() {
        let body = format!(
            r#"{{"version":"1.0","timestamp":"2026-11-27T12:00:05Z","requestContext":{{"requestId":"r-1","functionArn":"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST","condition":"RetriesExhausted","approximateInvokeCount":3}},"requestPayload":{EVENT},"responseContext":{{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"}},"responsePayload":{{"errorType":"EcsDoctor.PublishError","errorMessage":"cannot publish"}}}}"#
        );
        let record = read_record(&body, &BTreeMap::new());
        assert_eq!(
            record.origin,
            Origin::LambdaDestination {
                request_id: Some("r-1".into()),
                function_arn: Some("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST".into()),
                condition: Some("RetriesExhausted".into()),
                error_type: Some("EcsDoctor.PublishError".into()),
                error_message: Some("cannot publish".into()),
            }
        );
        assert_eq!(record.event.as_ref().ok().and_then(|e| e["id"].as_str()), Some("e1"));
        assert!(matches!(examine(&record, Lang::Ja), Verdict::Diagnosed(_)));
    }

    #[test]
    fn destination_record_without_payload_cannot_be_decoded() {
        let record = read_record(
            r#"{"requestContext":{"requestId":"r"},"responseContext":{},"requestPayload":null}"#,
            &BTreeMap::new(),
        );
        assert!(matches!(examine(&record, Lang::En), Verdict::Undecodable(r) if r.contains("requestPayload")));
    }

    #[test]
    fn lambda_function_dlq_attributes_are_read() {
        let record = read_record(
            EVENT,
            &attrs(&[("RequestID", "r-2"), ("ErrorCode", "200"), ("ErrorMessage", "boom")]),
        );
        assert_eq!(
            record.origin,
            Origin::LambdaDlq {
                request_id: Some("r-2".into()),
                error_code: Some("200".into()),
                error_message: Some("boom".into()),
            }
        );
    }

    #[test]
    fn non_json_and_foreign_events_cannot_be_decoded_and_say_why() {
        let record = read_record("not json", &BTreeMap::new());
        assert_eq!(record.origin, Origin::Unknown);
        assert!(matches!(examine(&record, Lang::En), Verdict::Undecodable(r) if r.contains("not JSON")));
        let record = read_record(
            r#"{"detail-type":"Object Created","source":"aws.s3","detail":{}}"#,
            &BTreeMap::new(),
        );
        assert!(matches!(examine(&record, Lang::En), Verdict::Undecodable(r) if r.contains("unsupported")));
    }

    #[test]
    fn summary_counts_add_up_in_both_languages() {
        let entry = |verdict, action, deleted| Entry {
            message_id: "m".into(),
            origin: Origin::Unknown,
            verdict,
            action,
            deleted,
            queue_error: None,
        };
        let entries = vec![
            entry(
                Verdict::Diagnosed(vec!["x".into()]),
                Some(Action::Published {
                    message_id: "1".into(),
                    rule_id: "r".into(),
                }),
                true,
            ),
            entry(
                Verdict::Diagnosed(vec!["x".into()]),
                Some(Action::Failed { error: "e".into() }),
                false,
            ),
            entry(Verdict::Undecodable("u".into()), None, false),
        ];
        let s = summarize(&entries);
        assert_eq!((s.messages, s.diagnosed, s.undecodable), (3, 2, 1));
        assert_eq!((s.published, s.failed, s.deleted, s.kept), (1, 1, 1, 2));
        assert!(summary_text(&s, true, Lang::En).contains("failed again 1"));
        assert!(summary_text(&s, true, Lang::Ja).contains("再び失敗 1 件"));
        assert!(entry_text(1, &entries[1], Lang::En).contains("kept in the queue"));
        assert!(entry_text(1, &entries[0], Lang::Ja).contains("キューから削除しました"));
    }
}
