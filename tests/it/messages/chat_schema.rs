//! The chat notification (`ecs_doctor::render::chat`, and the `default` / `https` bodies of
//! the SNS message) against the custom-notification schema of Amazon Q Developer in chat
//! applications (formerly AWS Chatbot). Chatbot drops a message that does not fit without any
//! error the sender can see (only the `UnsupportedEvents` metric moves), so every sample event,
//! in every language, must render to a conforming document.
//!
//! # What the schema is, and where each rule comes from
//!
//! Checked against the stored copies of the documentation page
//! <https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html> (also its ja_jp
//! mirror <https://docs.aws.amazon.com/ja_jp/chatbot/latest/adminguide/custom-notifs.html>):
//!
//! - The event format, with exactly these fields:
//!   `{ "version", "source", "id", "content": { "textType", "title", "description",
//!   "nextSteps": [String…], "keywords": [String…] }, "metadata": { "threadId", "summary",
//!   "eventType", "relatedResources": [String…], "additionalContext": { "customerProvidedKey1":
//!   String, … } } }`. Every leaf is a String; `nextSteps`, `keywords` and `relatedResources`
//!   are arrays of strings; `additionalContext` maps keys to **String** values (so numbers,
//!   booleans or nested objects there are rejected here).
//! - Parameter table: `version` required, "Must be 1.0"; `source` required, "Must be custom";
//!   `id` not required ("Unique event identifier"); `textType` not required, "Only
//!   client-markdown textType is currently supported"; `title` not required ("Supports
//!   markdown content, including emojis…"). The stored copy of the table is cut off after
//!   `title`.
//! - Threads: `metadata.threadId` groups notifications in a thread (the channel must allow
//!   threaded updates).
//!
//! `content.description` is required: the rest of the table was not in the stored copy, but
//! Classmethod's write-up of dropped notifications quotes it ("version, source and content's
//! description are required"):
//! <https://dev.classmethod.jp/articles/tsnote-chatbot-input-transformer-notification-issue>.
//!
//! `metadata.enableCustomActions` (a boolean that turns the custom-action buttons on or off) is
//! not in the stored copy of the page either; public integrations send it as a boolean (e.g.
//! `"metadata": {"enableCustomActions": false}`), so it is accepted as an optional boolean.
//! ecs-doctor does not send it.
//!
//! **Length limits are NOT confirmed by the stored documentation.** The numbers below come from
//! the project's research notes (a third-party client that quotes the docs) and agree with
//! other public code (a test asserting titles cut to 250 and descriptions to 8,000
//! characters): title ≤ 250, description ≤ 8,000, each `nextSteps` item ≤ 350, each keyword
//! ≤ 75. No limit is documented for `metadata.summary`; ecs-doctor holds it to the title's 250.
//! Lengths are counted in Unicode scalar values (`chars()`), the unit the renderer cuts in.
//!
//! The validator is strict on purpose: an unknown key at the top level, in `content` or in
//! `metadata` is an error, so a typo (`nextstep`, `thread_id`) cannot slip through as an
//! ignored field.

use std::path::PathBuf;

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::decode;
use ecs_doctor::fixture::Case;
use ecs_doctor::incident::Incident;
use ecs_doctor::render::{chat, sns_message};
use ecs_doctor::report::Report;
use serde_json::{json, Map, Value};

const TITLE_MAX: usize = 250;
const DESCRIPTION_MAX: usize = 8000;
const NEXT_STEP_MAX: usize = 350;
const KEYWORD_MAX: usize = 75;
/// Not documented; ecs-doctor's own bound (the title's).
const SUMMARY_MAX: usize = 250;

const LANGS: [Lang; 2] = [Lang::En, Lang::Ja];

// ---------------------------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------------------------

/// Every way `notification` breaks the schema; empty when it conforms.
fn violations(notification: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(top) = notification.as_object() else {
        return vec!["the notification is not a JSON object".into()];
    };
    unknown_keys(
        top,
        "",
        &["version", "source", "id", "content", "metadata"],
        &mut errors,
    );

    match top.get("version") {
        None => errors.push("`version` is required".into()),
        Some(Value::String(v)) if v == "1.0" => {}
        Some(other) => errors.push(format!("`version` must be the string \"1.0\", not {other}")),
    }
    match top.get("source") {
        None => errors.push("`source` is required".into()),
        Some(Value::String(s)) if s == "custom" => {}
        Some(other) => errors.push(format!("`source` must be the string \"custom\", not {other}")),
    }
    optional_string(top, "", "id", None, &mut errors);

    match top.get("content") {
        None => errors.push("`content` is required".into()),
        Some(Value::Object(content)) => check_content(content, &mut errors),
        Some(other) => errors.push(format!("`content` must be an object, not {}", kind(other))),
    }
    match top.get("metadata") {
        None => {}
        Some(Value::Object(metadata)) => check_metadata(metadata, &mut errors),
        Some(other) => errors.push(format!("`metadata` must be an object, not {}", kind(other))),
    }
    errors
}

fn check_content(content: &Map<String, Value>, errors: &mut Vec<String>) {
    let at = "content.";
    unknown_keys(
        content,
        at,
        &["textType", "title", "description", "nextSteps", "keywords"],
        errors,
    );
    match content.get("textType") {
        None => {}
        Some(Value::String(t)) if t == "client-markdown" => {}
        Some(other) => errors.push(format!(
            "`content.textType` must be \"client-markdown\" (the only supported value), not {other}"
        )),
    }
    optional_string(content, at, "title", Some(TITLE_MAX), errors);
    match content.get("description") {
        None => errors.push("`content.description` is required".into()),
        Some(_) => optional_string(content, at, "description", Some(DESCRIPTION_MAX), errors),
    }
    string_array(content, at, "nextSteps", Some(NEXT_STEP_MAX), errors);
    string_array(content, at, "keywords", Some(KEYWORD_MAX), errors);
}

fn check_metadata(metadata: &Map<String, Value>, errors: &mut Vec<String>) {
    let at = "metadata.";
    unknown_keys(
        metadata,
        at,
        &[
            "threadId",
            "summary",
            "eventType",
            "relatedResources",
            "additionalContext",
            "enableCustomActions",
        ],
        errors,
    );
    optional_string(metadata, at, "threadId", None, errors);
    optional_string(metadata, at, "summary", Some(SUMMARY_MAX), errors);
    optional_string(metadata, at, "eventType", None, errors);
    string_array(metadata, at, "relatedResources", None, errors);
    match metadata.get("additionalContext") {
        None => {}
        Some(Value::Object(context)) => {
            for (key, value) in context {
                if key.is_empty() {
                    errors.push("`metadata.additionalContext` has an empty key".into());
                }
                if !value.is_string() {
                    errors.push(format!(
                        "`metadata.additionalContext.{key}` must be a string, not {}",
                        kind(value)
                    ));
                }
            }
        }
        Some(other) => errors.push(format!(
            "`metadata.additionalContext` must be an object, not {}",
            kind(other)
        )),
    }
    match metadata.get("enableCustomActions") {
        None | Some(Value::Bool(_)) => {}
        Some(other) => errors.push(format!(
            "`metadata.enableCustomActions` must be a boolean, not {}",
            kind(other)
        )),
    }
}

fn unknown_keys(object: &Map<String, Value>, at: &str, known: &[&str], errors: &mut Vec<String>) {
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            errors.push(format!("unknown key `{at}{key}`"));
        }
    }
}

/// A string field, when present: a non-empty string within `max` characters.
fn optional_string(object: &Map<String, Value>, at: &str, key: &str, max: Option<usize>, errors: &mut Vec<String>) {
    match object.get(key) {
        None => {}
        Some(Value::String(s)) => check_text(&format!("{at}{key}"), s, max, errors),
        Some(other) => errors.push(format!("`{at}{key}` must be a string, not {}", kind(other))),
    }
}

/// An array of strings, when present; each item non-empty and within `max` characters.
fn string_array(object: &Map<String, Value>, at: &str, key: &str, max: Option<usize>, errors: &mut Vec<String>) {
    match object.get(key) {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => check_text(&format!("{at}{key}[{i}]"), s, max, errors),
                    other => errors.push(format!("`{at}{key}[{i}]` must be a string, not {}", kind(other))),
                }
            }
        }
        Some(other) => errors.push(format!("`{at}{key}` must be an array of strings, not {}", kind(other))),
    }
}

fn check_text(path: &str, text: &str, max: Option<usize>, errors: &mut Vec<String>) {
    if text.trim().is_empty() {
        errors.push(format!("`{path}` is empty"));
    }
    if let Some(max) = max {
        let len = text.chars().count();
        if len > max {
            errors.push(format!("`{path}` is {len} characters; the limit is {max}"));
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn assert_conforms(what: &str, notification: &Value) {
    let errors = violations(notification);
    assert!(
        errors.is_empty(),
        "{what}: the chat notification breaks the custom-notification schema:\n  - {}\n{}",
        errors.join("\n  - "),
        serde_json::to_string_pretty(notification).unwrap_or_default()
    );
}

// ---------------------------------------------------------------------------------------------
// The validator itself: it accepts the documented shape and rejects each kind of mistake
// ---------------------------------------------------------------------------------------------

/// A complete, valid notification in the documented shape, modelled on the doc's "Banana
/// Order" sample (Slack link syntax in a next step, `additionalContext.priority`).
fn documented_sample() -> Value {
    json!({
        "version": "1.0",
        "source": "custom",
        "id": "a1b2c3d4-0000-4000-8000-000000000000",
        "content": {
            "textType": "client-markdown",
            "title": ":warning: Banana Order processing is down!",
            "description": "Banana Order processor application is no longer processing orders. OnCall team has been paged.",
            "nextSteps": ["Refer to <http://www.example.com|*diagnosis* runbook>", "Page the on-call engineer if it persists"],
            "keywords": ["BananaOrderIntake", "Critical", "SRE"]
        },
        "metadata": {
            "threadId": "OrderProcessing-1",
            "summary": "Order Processing Update",
            "eventType": "BananaOrderAppEvent",
            "relatedResources": ["i-1234567890abcdef0", "ecs-orders-cluster"],
            "additionalContext": { "priority": "critical" },
            "enableCustomActions": false
        }
    })
}

fn mutated(change: impl FnOnce(&mut Value)) -> Value {
    let mut v = documented_sample();
    change(&mut v);
    v
}

#[test]
fn the_validator_accepts_the_documented_shape_and_the_minimal_one() {
    assert_conforms("documented sample", &documented_sample());
    assert_conforms(
        "minimal",
        &json!({"version": "1.0", "source": "custom", "content": {"description": "x"}}),
    );
}

#[test]
fn the_validator_rejects_every_kind_of_mistake() {
    let long = |n: usize| Value::String("あ".repeat(n));
    let cases: Vec<(&str, Value)> = vec![
        (
            "missing version",
            mutated(|v| drop(v.as_object_mut().map(|o| o.remove("version")))),
        ),
        (
            "missing source",
            mutated(|v| drop(v.as_object_mut().map(|o| o.remove("source")))),
        ),
        (
            "missing content",
            mutated(|v| drop(v.as_object_mut().map(|o| o.remove("content")))),
        ),
        (
            "missing description",
            mutated(|v| drop(v["content"].as_object_mut().map(|o| o.remove("description")))),
        ),
        ("numeric version", mutated(|v| v["version"] = json!(1.0))),
        ("version 1", mutated(|v| v["version"] = json!("1"))),
        ("source aws", mutated(|v| v["source"] = json!("aws.ecs"))),
        (
            "textType markdown",
            mutated(|v| v["content"]["textType"] = json!("markdown")),
        ),
        ("unknown top-level key", mutated(|v| v["detail"] = json!({}))),
        (
            "unknown content key",
            mutated(|v| v["content"]["nextstep"] = json!(["x"])),
        ),
        (
            "unknown metadata key",
            mutated(|v| v["metadata"]["thread_id"] = json!("x")),
        ),
        ("content not an object", mutated(|v| v["content"] = json!("text"))),
        ("metadata not an object", mutated(|v| v["metadata"] = json!([]))),
        ("numeric title", mutated(|v| v["content"]["title"] = json!(42))),
        (
            "empty description",
            mutated(|v| v["content"]["description"] = json!(" ")),
        ),
        (
            "nextSteps a string",
            mutated(|v| v["content"]["nextSteps"] = json!("do it")),
        ),
        (
            "keyword a number",
            mutated(|v| v["content"]["keywords"] = json!(["ok", 7])),
        ),
        (
            "relatedResources an object",
            mutated(|v| v["metadata"]["relatedResources"] = json!({})),
        ),
        ("numeric threadId", mutated(|v| v["metadata"]["threadId"] = json!(1))),
        (
            "enableCustomActions a string",
            mutated(|v| v["metadata"]["enableCustomActions"] = json!("false")),
        ),
        (
            "title too long",
            mutated(|v| v["content"]["title"] = long(TITLE_MAX + 1)),
        ),
        (
            "description too long",
            mutated(|v| v["content"]["description"] = long(DESCRIPTION_MAX + 1)),
        ),
        (
            "nextStep too long",
            mutated(|v| v["content"]["nextSteps"][1] = long(NEXT_STEP_MAX + 1)),
        ),
        (
            "keyword too long",
            mutated(|v| v["content"]["keywords"][0] = long(KEYWORD_MAX + 1)),
        ),
        (
            "summary too long",
            mutated(|v| v["metadata"]["summary"] = long(SUMMARY_MAX + 1)),
        ),
        (
            "numeric additionalContext value",
            mutated(|v| v["metadata"]["additionalContext"]["exitCode"] = json!(137)),
        ),
        (
            "boolean additionalContext value",
            mutated(|v| v["metadata"]["additionalContext"]["actionable"] = json!(true)),
        ),
        (
            "nested additionalContext value",
            mutated(|v| v["metadata"]["additionalContext"]["task"] = json!({"id": "x"})),
        ),
        (
            "additionalContext an array",
            mutated(|v| v["metadata"]["additionalContext"] = json!(["x"])),
        ),
        ("not an object", json!(["version", "1.0"])),
    ];
    for (what, notification) in cases {
        assert!(
            !violations(&notification).is_empty(),
            "the validator accepted a notification with {what}"
        );
    }
    // Exactly at the limits is fine.
    assert_conforms(
        "at the limits",
        &mutated(|v| {
            v["content"]["title"] = long(TITLE_MAX);
            v["content"]["description"] = long(DESCRIPTION_MAX);
            v["content"]["nextSteps"] = json!([long(NEXT_STEP_MAX)]);
            v["content"]["keywords"] = json!([long(KEYWORD_MAX)]);
            v["metadata"]["summary"] = long(SUMMARY_MAX);
        }),
    );
}

// ---------------------------------------------------------------------------------------------
// The renderer, over every sample event
// ---------------------------------------------------------------------------------------------

fn events_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events")
}

/// Every incident of every JSON file in `events/`, with the file name.
fn sample_incidents() -> Vec<(String, Incident)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(events_dir())
        .expect("events/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 40,
        "expected the sample events in events/, found {}",
        files.len()
    );
    let mut out = Vec::new();
    for path in files {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let incidents = decode(&bytes).unwrap_or_else(|e| panic!("{name}: does not decode: {e}"));
        out.extend(incidents.into_iter().map(|i| (name.clone(), i)));
    }
    out
}

#[test]
fn every_sample_event_renders_a_conforming_chat_notification_in_every_language() {
    for (name, incident) in sample_incidents() {
        for lang in LANGS {
            let diagnosis = Report::from(diagnose(&incident, lang));
            let notification = chat(&incident, &diagnosis);
            assert_conforms(&format!("{name} ({lang:?})"), &notification);
            // Not schema rules, but what a reader needs: a title, steps, the thread.
            let content = &notification["content"];
            assert!(content["title"].is_string(), "{name} ({lang:?}): no title");
            assert!(
                content["nextSteps"].as_array().is_some_and(|s| !s.is_empty()),
                "{name} ({lang:?}): no next steps"
            );
            assert!(
                notification["metadata"]["threadId"].is_string(),
                "{name} ({lang:?}): no threadId, repeats would not thread"
            );
        }
    }
}

#[test]
fn the_sns_default_and_https_bodies_are_the_conforming_chat_notification() {
    for (name, incident) in sample_incidents() {
        for lang in LANGS {
            let diagnosis = Report::from(diagnose(&incident, lang));
            let message = sns_message(&incident, &diagnosis);
            let structure: Value = serde_json::from_str(&message.message)
                .unwrap_or_else(|e| panic!("{name} ({lang:?}): the SNS message is not JSON: {e}"));
            for key in ["default", "https"] {
                let body = structure[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name} ({lang:?}): `{key}` is missing or not a string"));
                let notification: Value = serde_json::from_str(body)
                    .unwrap_or_else(|e| panic!("{name} ({lang:?}): `{key}` is not JSON: {e}"));
                assert_conforms(&format!("{name} ({lang:?}) SNS `{key}`"), &notification);
                assert_eq!(
                    notification,
                    chat(&incident, &diagnosis),
                    "{name} ({lang:?}): SNS `{key}` is not the chat rendering"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs that push the limits
// ---------------------------------------------------------------------------------------------

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[test]
fn huge_and_odd_inputs_still_render_within_the_limits() {
    let huge_reason = leak(format!(
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): {} not found",
        "ｘ/イメージ".repeat(3000)
    ));
    let mut incidents: Vec<(String, Incident)> = vec![
        ("huge container reason".into(), Case::Reason(huge_reason).incident()),
        ("huge free text".into(), Case::Text(huge_reason).incident()),
        (
            "huge API failure".into(),
            Case::Failure {
                action: "RunTask",
                reason: huge_reason,
            }
            .incident(),
        ),
        (
            "huge service event reason".into(),
            Case::Service {
                event_type: "ERROR",
                event_name: "SERVICE_TASK_PLACEMENT_FAILURE",
                reason: huge_reason,
            }
            .incident(),
        ),
        ("nothing at all".into(), Incident::default()),
    ];
    // Long names: a service name of 255 characters, a cluster of 255, many containers.
    let mut long_names = Case::ReasonExit("OutOfMemoryError: Container killed due to memory usage", 137).incident();
    long_names.cluster = Some(format!(
        "arn:aws:ecs:us-east-1:123456789012:cluster/{}",
        "c".repeat(255)
    ));
    if let Some(task) = long_names.task.as_mut() {
        task.group = Some(format!("service:{}", "s".repeat(255)));
        let template = task.containers[0].clone();
        for i in 0..40 {
            let mut c = template.clone();
            c.name = format!("sidecar-{i}-{}", "n".repeat(200));
            c.reason = Some(huge_reason.to_string());
            c.exit_code = Some(1);
            task.containers.push(c);
        }
    }
    incidents.push(("long names and many containers".into(), long_names));
    for (what, incident) in incidents {
        for lang in LANGS {
            let diagnosis = Report::from(diagnose(&incident, lang));
            let notification = chat(&incident, &diagnosis);
            assert_conforms(&format!("{what} ({lang:?})"), &notification);
            // The SNS message may cut its bodies to stay under 256 KiB; what it sends to
            // Chatbot must still conform.
            let message = sns_message(&incident, &diagnosis);
            let structure: Value = serde_json::from_str(&message.message).expect("SNS message JSON");
            for key in ["default", "https"] {
                let body: Value = serde_json::from_str(structure[key].as_str().unwrap_or_default())
                    .unwrap_or_else(|e| panic!("{what} ({lang:?}): SNS `{key}` is not JSON: {e}"));
                assert_conforms(&format!("{what} ({lang:?}) SNS `{key}`"), &body);
            }
        }
    }
}
