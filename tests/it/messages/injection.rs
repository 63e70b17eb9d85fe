//! Hostile workload text in the messages ecs-doctor publishes.
//!
//! Container reasons, image and container names, service and cluster names, API failure
//! reasons, notes and log lines are written by whoever controls the workload (or whoever can
//! put an event on the bus). They reach a Slack or Teams channel through the chat notification
//! and an inbox through the e-mail body. None of them may:
//!
//! - mention people: `@channel`, `@here`, `<!channel>`, `<!here>`, `<@U123>`;
//! - carry link syntax that hides where it points: `<https://…|click here>`, `[click](https://…)`;
//! - break out of the evidence code block (a ``` fence) or out of an inline code span;
//! - put control characters (escape sequences, NUL, BEL, CR, tabs…) into the e-mail text or
//!   into the one-line fields of the chat notification.
//!
//! Every test builds an incident whose workload fields all hold [`HOSTILE`] (or a variant), via
//! `ecs_doctor::event::decode` of a modified sample event or `ecs_doctor::fixture::Case`.

use std::path::PathBuf;

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::decode;
use ecs_doctor::fixture::Case;
use ecs_doctor::incident::{Incident, LogTail, Note};
use ecs_doctor::render::{chat, email, sms, sns_message};
use ecs_doctor::report::Report;
use serde_json::Value;

/// Everything at once: mentions, links, fences, markup, line breaks, control characters, a
/// (documentation) AWS access key id.
const HOSTILE: &str = concat!(
    "CannotPullContainerError: @channel @here @everyone <!channel> <!here|here> <@U024BE7LH> ",
    "<https://evil.example|click here> [click](https://evil.example) ",
    "```\n@channel outside the fence?\n``` `tick` ``double`` *bold* _x_ ~strike~ ",
    "line\nbreak\r\nCRLF\u{7}bell\u{1b}[31mred\u{1b}[0m\u{0}nul\ttab\u{85}nel\u{2028}ls ",
    "AKIAIOSFODNN7EXAMPLE not found"
);

/// Names cannot hold `/` (the ARN parser splits on it) but can hold the rest.
const HOSTILE_NAME: &str = "api@channel<!here>`x```*b*_i_[n](https:evil.example)\u{1b}[2J\r\n\u{7}";

const MENTIONS: &[&str] = &["@channel", "@here", "@everyone", "<!", "<@"];

const LANGS: [Lang; 2] = [Lang::En, Lang::Ja];

// ---------------------------------------------------------------------------------------------
// Hostile incidents
// ---------------------------------------------------------------------------------------------

fn sample(file: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events").join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn decode_one(event: &Value) -> Incident {
    let mut incidents = decode(event.to_string().as_bytes()).expect("the modified event decodes");
    assert_eq!(incidents.len(), 1);
    incidents.remove(0)
}

/// The two-container sample task, with every workload field hostile.
fn hostile_task_event() -> Incident {
    let mut event = sample("task-api-exit-1-with-sidecar.json");
    let detail = &mut event["detail"];
    detail["group"] = format!("service:{HOSTILE_NAME}").into();
    detail["clusterArn"] = format!("arn:aws:ecs:us-east-1:123456789012:cluster/{HOSTILE_NAME}").into();
    detail["taskDefinitionArn"] = format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{HOSTILE_NAME}:3").into();
    detail["stoppedReason"] = HOSTILE.into();
    let containers = detail["containers"].as_array_mut().expect("containers");
    for c in containers.iter_mut() {
        c["name"] = HOSTILE_NAME.into();
        c["image"] = format!("evil.example/{HOSTILE_NAME}:{HOSTILE}").into();
        c["reason"] = HOSTILE.into();
    }
    let mut incident = decode_one(&event);
    // A note quoting workload text (an AWS error message can).
    incident.notes.push(Note::DescribeTasksFailed {
        error: format!("Note about {HOSTILE}"),
    });
    incident.log_tails.push(LogTail {
        container: HOSTILE_NAME.into(),
        log_group: format!("/ecs/{HOSTILE_NAME}"),
        log_stream: format!("ecs/{HOSTILE_NAME}/0123"),
        lines: HOSTILE.lines().map(str::to_string).collect(),
    });
    incident
}

/// A service event whose reason and service name are hostile.
fn hostile_service_event() -> Incident {
    let mut event = sample("service-api-ec2-placement-failure-cpu.json");
    let service_arn = format!("arn:aws:ecs:us-east-1:123456789012:service/prod/{HOSTILE_NAME}");
    event["resources"] = serde_json::json!([service_arn]);
    event["detail"]["reason"] = HOSTILE.into();
    decode_one(&event)
}

/// Every kind of incident, each carrying hostile text where the workload controls it.
fn hostile_incidents() -> Vec<(&'static str, Incident)> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let with_exit = leak(format!("{HOSTILE} exit code 137"));
    let mut incidents = vec![
        ("task event", hostile_task_event()),
        ("service event", hostile_service_event()),
        ("container reason", Case::Reason(HOSTILE).incident()),
        (
            "container reason with exit code",
            Case::ReasonExit(with_exit, 137).incident(),
        ),
        (
            "stopped reason",
            Case::Stopped {
                reason: HOSTILE,
                stop_code: "EssentialContainerExited",
                exit: Some(1),
            }
            .incident(),
        ),
        ("free text", Case::Text(HOSTILE).incident()),
        (
            "API failure",
            Case::Failure {
                action: "RunTask",
                reason: HOSTILE,
            }
            .incident(),
        ),
        (
            "deployment event",
            Case::Deployment {
                event_type: "ERROR",
                event_name: "SERVICE_DEPLOYMENT_FAILED",
                reason: HOSTILE,
            }
            .incident(),
        ),
        (
            "instance event",
            Case::Instance {
                status: "DRAINING",
                reason: HOSTILE,
                agent_connected: false,
            }
            .incident(),
        ),
    ];
    // Image pull rules quote the image and the registry; give them hostile ones.
    let mut image = Case::Reason(
        "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref evil.example/x:1: not found",
    )
    .incident();
    if let Some(task) = image.task.as_mut() {
        task.group = Some(format!("service:{HOSTILE_NAME}"));
        for c in &mut task.containers {
            c.name = HOSTILE_NAME.into();
            c.image = Some(format!("evil.example/{HOSTILE_NAME}:{HOSTILE}"));
        }
    }
    incidents.push(("hostile image name", image));
    incidents
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// Every string in a JSON value, with its path.
fn strings<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::String(s) => out.push((path, s)),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                strings(item, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                strings(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// What must hold of every text of a chat notification.
fn chat_problems(notification: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let mut texts = Vec::new();
    strings(notification, String::new(), &mut texts);
    for (path, text) in &texts {
        let lower = text.to_lowercase();
        for mention in MENTIONS {
            if lower.contains(mention) {
                problems.push(format!("{path}: a working mention `{mention}`"));
            }
        }
        // Slack's `<url|text>` / `<!…>` / `<@…>` all start with `<`; Teams reads `<at>`.
        if text.contains('<') || text.contains('>') {
            problems.push(format!("{path}: raw `<` or `>` (Slack control sequence or HTML)"));
        }
        if text.contains("](") {
            problems.push(format!("{path}: Markdown link syntax `](`"));
        }
        if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
            problems.push(format!("{path}: control character U+{:04X}", c as u32));
        }
        if *path != ".content.description" {
            if text.contains('\n') || text.contains('\u{2028}') {
                problems.push(format!("{path}: a line break in a one-line field"));
            }
            if text.contains("```") {
                problems.push(format!("{path}: a code fence"));
            }
            if !text.matches('`').count().is_multiple_of(2) {
                problems.push(format!("{path}: an unbalanced backtick (inline code breakout)"));
            }
        }
    }
    let description = notification["content"]["description"].as_str().unwrap_or_default();
    problems.extend(description_problems(description));
    problems
}

/// In the description, the only fences are the renderer's own (a line of exactly ```), they
/// pair up, and outside them every line's inline code spans are balanced.
fn description_problems(description: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut in_fence = false;
    for (n, line) in description.lines().enumerate() {
        if line.contains("```") {
            if line != "```" {
                problems.push(format!(
                    "description line {}: a fence that is not ours: {line:?}",
                    n + 1
                ));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            if line.contains('`') {
                problems.push(format!("description line {}: a backtick inside the code block", n + 1));
            }
        } else if !line.matches('`').count().is_multiple_of(2) {
            problems.push(format!(
                "description line {}: an unbalanced backtick (inline code breakout): {line:?}",
                n + 1
            ));
        }
    }
    if in_fence {
        problems.push("description: a code block is left open".into());
    }
    problems
}

fn assert_no_problems(what: &str, problems: Vec<String>, shown: &str) {
    assert!(
        problems.is_empty(),
        "{what}:\n  - {}\n--- rendered ---\n{shown}",
        problems.join("\n  - ")
    );
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn the_chat_notification_defuses_mentions_links_and_fences() {
    for (what, incident) in hostile_incidents() {
        for lang in LANGS {
            let notification = chat(&incident, &Report::from(diagnose(&incident, lang)));
            let pretty = serde_json::to_string_pretty(&notification).unwrap_or_default();
            assert_no_problems(&format!("{what} ({lang:?})"), chat_problems(&notification), &pretty);
        }
    }
}

#[test]
fn the_sns_chat_bodies_are_defused_too() {
    for (what, incident) in hostile_incidents() {
        let message = sns_message(&incident, &Report::from(diagnose(&incident, Lang::En)));
        let structure: Value = serde_json::from_str(&message.message).expect("SNS message JSON");
        for key in ["default", "https"] {
            let notification: Value = serde_json::from_str(structure[key].as_str().expect("body")).expect("chat JSON");
            assert_no_problems(
                &format!("{what}: SNS `{key}`"),
                chat_problems(&notification),
                &serde_json::to_string_pretty(&notification).unwrap_or_default(),
            );
        }
    }
}

#[test]
fn the_hostile_text_is_still_shown_defused_not_dropped() {
    // The on-call engineer must still see what the workload said: the evidence keeps the
    // words, only their power is gone.
    let incident = hostile_task_event();
    let notification = chat(&incident, &Report::from(diagnose(&incident, Lang::En)));
    let description = notification["content"]["description"].as_str().unwrap_or_default();
    for word in [
        "channel",
        "evil.example",
        "click here",
        "bold",
        "CannotPullContainerError",
    ] {
        assert!(
            description.contains(word),
            "`{word}` vanished from the evidence:\n{description}"
        );
    }
}

#[test]
fn the_email_has_no_control_characters_but_line_breaks() {
    for (what, incident) in hostile_incidents() {
        for lang in LANGS {
            let diagnosis = Report::from(diagnose(&incident, lang));
            let text = email(&incident, &diagnosis);
            let bad: Vec<String> = text
                .lines()
                .enumerate()
                .filter_map(|(n, line)| {
                    let c = line.chars().find(|c| c.is_control())?;
                    Some(format!("line {}: U+{:04X} in {line:?}", n + 1, c as u32))
                })
                .collect();
            assert_no_problems(&format!("{what} ({lang:?}): e-mail"), bad, &text);
            assert!(
                !text.contains('\r'),
                "{what} ({lang:?}): a carriage return in the e-mail"
            );

            // The e-mail body inside the SNS message is the same text.
            let message = sns_message(&incident, &diagnosis);
            let structure: Value = serde_json::from_str(&message.message).expect("SNS message JSON");
            assert_eq!(structure["email"].as_str(), Some(text.as_str()), "{what} ({lang:?})");
        }
    }
}

#[test]
fn the_sms_and_the_subject_are_one_clean_line() {
    for (what, incident) in hostile_incidents() {
        for lang in LANGS {
            let diagnosis = Report::from(diagnose(&incident, lang));
            let line = sms(&incident, &diagnosis);
            assert!(!line.chars().any(char::is_control), "{what} ({lang:?}): SMS {line:?}");
            let subject = sns_message(&incident, &diagnosis).subject;
            assert!(
                subject.is_ascii() && !subject.chars().any(|c| c.is_ascii_control()) && subject.len() < 100,
                "{what} ({lang:?}): subject {subject:?}"
            );
        }
    }
}

#[test]
fn the_sns_message_attributes_have_no_control_characters() {
    // Filter policies match on these; a control character in one (from a cluster or service
    // name) is at best unmatchable and at worst makes SNS refuse the whole Publish.
    for (what, incident) in hostile_incidents() {
        let message = sns_message(&incident, &Report::from(diagnose(&incident, Lang::En)));
        for (name, value) in &message.attributes {
            assert!(
                !value.trim().is_empty() && !value.chars().any(char::is_control),
                "{what}: attribute {name} = {value:?}"
            );
        }
    }
}

/// Characters that change how text reads without being seen: right-to-left overrides and
/// marks, isolates, zero-width spaces and joiners, the byte-order mark.
const INVISIBLE: &[char] = &[
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
    '\u{200e}', '\u{200f}', '\u{061c}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}',
];

#[test]
fn direction_and_zero_width_controls_reach_no_format_and_no_attribute() {
    // GIVEN a task whose service, container and reason hide text behind direction controls
    let mut event = sample("task-api-exit-1-with-sidecar.json");
    let hidden: String = INVISIBLE.iter().collect();
    event["detail"]["group"] = format!("service:api\u{202e}gnp.exe{hidden}").into();
    event["detail"]["stoppedReason"] = format!("Essential container\u{200f} in task exited{hidden}").into();
    for c in event["detail"]["containers"].as_array_mut().expect("containers") {
        c["reason"] = format!("CannotPullContainerError: \u{2066}pull\u{2069} denied{hidden}").into();
    }
    let mut incident = decode_one(&event);
    incident.log_tails.push(LogTail {
        container: "api".into(),
        log_group: "/ecs/api".into(),
        log_stream: "ecs/api/1".into(),
        lines: vec![format!("listening\u{202e} on 8080{hidden}")],
    });
    for lang in [Lang::En, Lang::Ja] {
        let report = Report::from(diagnose(&incident, lang));
        // WHEN it is rendered for every kind of subscriber
        let sns = sns_message(&incident, &report);
        let mut outputs = vec![
            ("chat", chat(&incident, &report).to_string()),
            ("email", email(&incident, &report)),
            ("sms", sms(&incident, &report)),
            ("json", ecs_doctor::render::json(&incident, &report).to_string()),
            ("subject", sns.subject.clone()),
            ("sns", sns.message.clone()),
        ];
        outputs.extend(
            sns.attributes
                .iter()
                .map(|(name, value)| ("attribute", format!("{name}={value}"))),
        );
        // THEN none of them carries one (JSON text escapes none of them: they would be raw)
        for (what, text) in &outputs {
            let found: Vec<char> = text.chars().filter(|c| INVISIBLE.contains(c)).collect();
            assert!(found.is_empty(), "{what} ({lang:?}) keeps {found:?}: {text}");
        }
        // AND the service attribute is the name without them
        assert!(
            sns.attributes
                .iter()
                .any(|(name, value)| name == "service" && value == "apignp.exe"),
            "{:?}",
            sns.attributes
        );
    }
}
