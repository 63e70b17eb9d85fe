//! One SNS `Publish` per diagnosis: a `MessageStructure=json` body with a text for every
//! kind of subscriber, an ASCII subject, and message attributes for filter policies.

use serde_json::{json, Value};

use super::limits::{MAX_SNS_MESSAGE_BYTES, MAX_SUBJECT_CHARS};
use super::{chat, email, json as machine_json, sms};
use crate::diagnose::catalog;
use crate::incident::{Incident, Place};
use crate::report::Report;
use crate::util::text::{sanitize_inline, truncate_bytes, truncate_chars};

/// What the SNS adapter sends. `message` is the `MessageStructure=json` document.
#[derive(Debug, Clone, PartialEq)]
pub struct SnsMessage {
    pub subject: String,
    pub message: String,
    /// Message attributes (all of data type `String`, none empty), at most
    /// [`MAX_MESSAGE_ATTRIBUTES`].
    pub attributes: Vec<(String, String)>,
}

/// Largest e-mail body kept when the whole message would exceed the SNS limit.
const EMAIL_FALLBACK_BYTES: usize = 64 * 1024;

pub fn sns_message(incident: &Incident, report: &Report) -> SnsMessage {
    let chat_value = chat(incident, report);
    let chat = chat_value.to_string();
    let mut email = email(incident, report);
    let sms = sms(incident, report);
    let mut machine = machine_json(incident, report);
    let mut message = fitting(&chat, &email, &sms, &machine);
    if message.is_none() {
        // The raw incident is the largest part and is repeated in three bodies: drop it first.
        if let Some(obj) = machine.as_object_mut() {
            obj.remove("incident");
        }
        message = fitting(&chat, &email, &sms, &machine);
    }
    if message.is_none() {
        // Still too large (huge reasons): keep the findings without their evidence text.
        if let Some(findings) = machine.get_mut("findings").and_then(Value::as_array_mut) {
            for f in findings {
                if let Some(evidence) = f.get_mut("evidence").and_then(Value::as_object_mut) {
                    evidence.insert("text".into(), Value::String(String::new()));
                }
            }
        }
        email = truncate_bytes(&email, EMAIL_FALLBACK_BYTES);
        message = fitting(&chat, &email, &sms, &machine);
    }
    SnsMessage {
        subject: subject(incident, report),
        message: message.unwrap_or_else(|| last_resort(&chat_value, &email, &sms, machine)),
        attributes: attributes(incident, report),
    }
}

/// The message, when it fits within the SNS limit. Escaping only adds bytes, so the raw
/// lengths bound its size from below, and the machine body is not serialised past what is
/// left: rejecting a multi-megabyte incident costs a few hundred KiB of work, not megabytes
/// escaped three times over.
fn fitting(chat: &str, email: &str, sms: &str, machine: &Value) -> Option<String> {
    let others = 2 * chat.len() + email.len() + sms.len();
    let budget = MAX_SNS_MESSAGE_BYTES.checked_sub(others)? / 3;
    let machine = serialise_within(machine, budget)?;
    let message = structure(chat, email, sms, &machine);
    (message.len() <= MAX_SNS_MESSAGE_BYTES).then_some(message)
}

/// `value` as JSON text, or `None` as soon as it passes `max` bytes.
fn serialise_within(value: &Value, max: usize) -> Option<String> {
    struct Capped(Vec<u8>, usize);
    impl std::io::Write for Capped {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.0.len() + bytes.len() > self.1 {
                return Err(std::io::Error::other("over the limit"));
            }
            self.0.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut out = Capped(Vec::new(), max);
    serde_json::to_writer(&mut out, value).ok()?;
    String::from_utf8(out.0).ok()
}

/// For input far beyond anything ECS sends (megabyte ARNs or names, thousands of containers
/// or failures): every string and every list of the chat and machine bodies cut, tighter each
/// round, until the message fits. The last round always does: a few dozen short strings.
fn last_resort(chat: &Value, email: &str, sms: &str, mut machine: Value) -> String {
    if let Some(obj) = machine.as_object_mut() {
        obj.insert("truncated".into(), Value::Bool(true));
    }
    for (chars, items) in [(1024, 20), (256, 5)] {
        let chat = shrunk(chat, chars, items).to_string();
        let email = truncate_bytes(email, chars * 16);
        if let Some(message) = fitting(&chat, &email, sms, &shrunk(&machine, chars, items)) {
            return message;
        }
    }
    structure(
        &shrunk(chat, 64, 1).to_string(),
        &truncate_bytes(email, 1024),
        sms,
        &shrunk(&machine, 64, 1).to_string(),
    )
}

/// `value` with every string cut to `chars` characters and every list to its first `items`.
fn shrunk(value: &Value, chars: usize, items: usize) -> Value {
    match value {
        Value::String(s) => Value::String(truncate_chars(s, chars)),
        Value::Array(list) => Value::Array(list.iter().take(items).map(|v| shrunk(v, chars, items)).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), shrunk(v, chars, items))).collect()),
        other => other.clone(),
    }
}

/// Per-protocol bodies. SNS requires `default`; it also goes to HTTPS subscribers such as
/// Amazon Q Developer in chat applications, so it carries the chat notification.
fn structure(chat: &str, email: &str, sms: &str, machine: &str) -> String {
    json!({
        "default": chat,
        "https": chat,
        "email": email,
        "email-json": machine,
        "sqs": machine,
        "lambda": machine,
        "sms": sms,
    })
    .to_string()
}

/// ASCII only, one line, under 100 characters, always English (SNS rejects anything else).
pub fn subject(incident: &Incident, report: &Report) -> String {
    let primary = report.primary();
    let title = catalog::find(primary.rule_id)
        .map(|r| strip_placeholders(r.en.title))
        .unwrap_or_else(|| primary.title.clone());
    let place = Place::of(incident).place();
    let resolved = report.thread.as_ref().and_then(|t| {
        t.resolved_at
            .map(|at| super::duration(at.saturating_sub(t.opened_at), crate::diagnose::Lang::En))
    });
    let raw = match (place, resolved) {
        (Some(place), Some(lasted)) => format!("ECS RESOLVED: {place}: healthy again after {lasted}"),
        (None, Some(lasted)) => format!("ECS RESOLVED: healthy again after {lasted}"),
        (place, None) => match place {
            Some(place) => format!("ECS {}: {place}: {title}", primary.severity.as_str().to_uppercase()),
            None => format!("ECS {}: {title}", primary.severity.as_str().to_uppercase()),
        },
    };
    let ascii: String = crate::redact::clean(&raw)
        .chars()
        .map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { ' ' })
        .collect();
    let one_spaced = ascii.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_spaced.len() <= MAX_SUBJECT_CHARS {
        one_spaced
    } else {
        format!("{}...", &one_spaced[..MAX_SUBJECT_CHARS - 3])
    }
}

/// A catalog text without its `{placeholders}`, on one line.
pub fn strip_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// SNS delivers at most 10 message attributes to SQS and Lambda subscribers (and filter
/// policies see only what is sent), so a message never carries more.
pub const MAX_MESSAGE_ATTRIBUTES: usize = 10;

/// Attributes that routing tags may crowd out (they come last): the incident's, which the
/// JSON body carries too, and the launch type.
pub const SPARE_ATTRIBUTES: &[&str] = &["incident_id", "incident_state", "launch_type"];

fn attributes(incident: &Incident, report: &Report) -> Vec<(String, String)> {
    let primary = report.primary();
    let context = Place::of(incident);
    [
        ("account", context.account.clone()),
        ("region", context.region.clone()),
        ("severity", Some(primary.severity.as_str().to_string())),
        ("category", Some(primary.category.as_str().to_string())),
        ("rule_id", Some(primary.rule_id.to_string())),
        ("cluster", context.cluster),
        ("service", context.service),
        ("incident_id", report.thread.as_ref().map(|t| t.id.clone())),
        (
            "incident_state",
            report.thread.as_ref().map(|t| t.state.as_str().to_string()),
        ),
        ("launch_type", context.launch_type),
    ]
    .into_iter()
    // Names come from the workload: one clean line each, never empty (SNS rejects both).
    .filter_map(|(name, value)| {
        Some((
            name.to_string(),
            value
                .map(|v| sanitize_inline(&crate::redact::clean(&v)).trim().to_string())
                .filter(|v| !v.is_empty())?,
        ))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{diagnose, Lang};
    use crate::fixture::Case;

    #[test]
    fn subject_is_ascii_single_line_and_short_even_in_japanese() {
        let incident = Case::Reason("CannotPullContainerError: manifest unknown").incident();
        let report = Report::from(diagnose(&incident, Lang::Ja));
        let s = subject(&incident, &report);
        assert!(s.is_ascii() && !s.contains('\n') && s.len() < 100, "{s}");
        assert!(s.starts_with("ECS ERROR: prod/web: Image or tag does not exist"), "{s}");
    }

    #[test]
    fn structure_has_default_and_every_protocol() {
        let incident = Case::Reason("CannotPullContainerError: manifest unknown").incident();
        let m = sns_message(&incident, &Report::from(diagnose(&incident, Lang::En)));
        let v: Value = serde_json::from_str(&m.message).expect("valid JSON");
        for key in ["default", "email", "email-json", "sqs", "lambda", "https", "sms"] {
            assert!(
                v.get(key).and_then(Value::as_str).is_some_and(|s| !s.is_empty()),
                "missing {key}"
            );
        }
        let attrs: Vec<_> = m.attributes.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            attrs,
            [
                "account",
                "region",
                "severity",
                "category",
                "rule_id",
                "cluster",
                "service",
                "launch_type"
            ]
        );
    }

    #[test]
    fn a_huge_log_tail_is_trimmed_before_anything_else() {
        use crate::incident::LogTail;
        let mut incident = Case::Exit {
            code: Some(1),
            stop_code: "EssentialContainerExited",
            service: true,
        }
        .incident();
        let line = "x".repeat(300);
        incident.log_tails = (0..3)
            .map(|i| LogTail {
                container: format!("c{i}"),
                log_group: "/ecs/app".into(),
                log_stream: format!("ecs/c{i}/t"),
                lines: vec![line.clone(); 100],
            })
            .collect();
        let m = sns_message(&incident, &Report::from(diagnose(&incident, Lang::En)));
        assert!(m.message.len() <= MAX_SNS_MESSAGE_BYTES, "{}", m.message.len());
        let v: Value = serde_json::from_str(&m.message).expect("valid JSON");
        // The findings survive whole; the e-mail still leads with the cause.
        let machine: Value = serde_json::from_str(v["sqs"].as_str().expect("sqs")).expect("JSON");
        assert_eq!(machine["summary"]["ruleId"], "exit.1-application-error");
        assert!(v["email"].as_str().is_some_and(|e| e.starts_with("[ERROR]")));
    }

    #[test]
    fn huge_reasons_stay_under_the_sns_limit_and_valid_json() {
        let big: &'static str = Box::leak(
            "CannotPullContainerError: manifest unknown "
                .repeat(20_000)
                .into_boxed_str(),
        );
        let mut incident = Case::Reason(big).incident();
        if let Some(task) = incident.task.as_mut() {
            task.stopped_reason = Some(big.to_string());
        }
        let m = sns_message(&incident, &Report::from(diagnose(&incident, Lang::En)));
        assert!(m.message.len() <= MAX_SNS_MESSAGE_BYTES, "{}", m.message.len());
        serde_json::from_str::<Value>(&m.message).expect("valid JSON after trimming");
    }
}
