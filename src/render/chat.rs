//! Amazon Q Developer in chat applications (formerly AWS Chatbot) custom notifications, so a
//! Slack or Teams channel subscribed to the topic shows a readable message.
//!
//! Chatbot silently drops anything that does not fit its schema, so every field stays within
//! its documented limit. Text from the workload (reasons, image names) is neutralised so it
//! cannot mention `@channel`, open links or break out of code blocks.

use serde_json::{json, Map, Value};

use super::limits::{CHAT_DESCRIPTION_CHARS, CHAT_KEYWORD_CHARS, CHAT_NEXT_STEP_CHARS, CHAT_TITLE_CHARS};
use super::{change_lines, check_lines, console_links, deployment_headline, evidence_lines, incident_line, labels};
use crate::diagnose::Severity;
use crate::incident::{Incident, Place};
use crate::report::Report;
use crate::util::text::{sanitize_inline, truncate_chars};
use crate::verify::Verdict;

/// Longest evidence value inside the chat description.
const EVIDENCE_CHARS: usize = 500;
/// Longest log tail inside the chat description (the e-mail carries more).
const LOG_TAIL_CHARS: usize = 1500;

pub fn chat(incident: &Incident, report: &Report) -> Value {
    let labels = labels(report.lang);
    let primary = report.primary();
    let context = Place::of(incident);
    let place = context.place();
    let icon = match primary.severity {
        Severity::Critical | Severity::Error => ":rotating_light:",
        Severity::Warning => ":warning:",
        Severity::Info => ":information_source:",
    };
    let headline = match &place {
        Some(place) => format!("{place}: {}", primary.title),
        None => primary.title.clone(),
    };
    let title = truncate_chars(&inline(&format!("{icon} {headline}")), CHAT_TITLE_CHARS);

    let mut description = String::new();
    if let Some(headline) = deployment_headline(incident, report) {
        description.push_str(&format!("*{}*\n", neutralise(&headline)));
        if let Some(deployment) = &report.deployment {
            for cause in &deployment.groups {
                description.push_str(&format!(
                    "• {} × {} ({})\n",
                    cause.count,
                    inline(&cause.title),
                    cause.rule_id
                ));
            }
        }
        description.push('\n');
    }
    if let Some(line) = incident_line(report) {
        description.push_str(&format!("_{}_\n", inline(&line)));
    }
    description.push_str(&neutralise(&primary.explanation));
    for fact in &primary.context {
        description.push_str(&format!("\n• {}", inline(fact)));
    }
    if primary.verdict() == Verdict::RuledOut {
        description.push_str(&format!("\n_{}_", labels.contradicted));
    }
    let checks = check_lines(report);
    if !checks.is_empty() {
        description.push_str(&format!("\n\n*{}*", labels.checked));
        for line in checks {
            description.push_str(&format!("\n{}", inline(&line)));
        }
    }
    let changes = change_lines(report);
    if !changes.is_empty() {
        description.push_str(&format!("\n\n*{}*", labels.what_changed));
        for line in changes {
            description.push_str(&format!("\n• {}", inline(&line)));
        }
    }
    let evidence: Vec<String> = evidence_lines(incident, report)
        .into_iter()
        .map(|(field, value)| sanitize_inline(&format!("{field}: {}", truncate_chars(&value, EVIDENCE_CHARS))))
        .collect();
    if !evidence.is_empty() {
        description.push_str(&format!(
            "\n\n*{}*\n```\n{}\n```",
            labels.evidence,
            in_code_block(&evidence.join("\n"))
        ));
    }
    for tail in &incident.log_tails {
        let lines = truncate_chars(&tail.lines.join("\n"), LOG_TAIL_CHARS);
        description.push_str(&format!(
            "\n\n*{} `{}`*\n```\n{}\n```",
            labels.log_tail,
            in_code_block(&sanitize_inline(&tail.container)),
            in_code_block(&lines)
        ));
    }
    let others = &report.findings[1..];
    if !others.is_empty() {
        description.push_str(&format!("\n\n*{}*", labels.also_found));
        for f in others {
            description.push_str(&format!("\n• {} ({})", inline(&f.title), f.rule_id));
        }
    }
    for note in super::note_texts(&incident.notes, report.lang) {
        description.push_str(&format!("\n\n_{}_", inline(&note)));
    }
    for (what, url) in console_links(incident, report.lang) {
        description.push_str(&format!("\n{what}: {}", url_safe(&url)));
    }
    let description = truncate_chars(&description, CHAT_DESCRIPTION_CHARS);

    let mut next_steps: Vec<Value> = primary
        .remediation
        .iter()
        .map(|s| Value::String(truncate_chars(&neutralise(s), CHAT_NEXT_STEP_CHARS)))
        .collect();
    if let Some(doc) = primary.docs.first() {
        next_steps.push(Value::String(format!("{}: {doc}", labels.docs)));
    }

    let mut keywords = vec![
        primary.severity.as_str().to_string(),
        primary.category.as_str().to_string(),
        primary.rule_id.to_string(),
    ];
    keywords.extend(context.cluster.clone());
    keywords.extend(context.service.clone());
    let keywords: Vec<Value> = keywords
        .iter()
        .map(|k| Value::String(truncate_chars(&inline(k), CHAT_KEYWORD_CHARS)))
        .collect();

    let mut related: Vec<Value> = Vec::new();
    if let Some(task) = &incident.task {
        related.push(inline(&task.task_arn).into());
        related.extend(task.task_definition_arn.as_deref().map(|a| Value::from(inline(a))));
    }
    if let Some(arn) = incident.service_event.as_ref().and_then(|e| e.service_arn.as_deref()) {
        related.push(inline(arn).into());
    }
    if let Some(instance) = &incident.container_instance {
        related.push(inline(&instance.container_instance_arn).into());
    }

    let hook = incident.service_event.as_ref().and_then(|e| e.hook.as_ref());
    let mut additional = Map::new();
    for (key, value) in [
        ("ruleId", Some(primary.rule_id.to_string())),
        ("category", Some(primary.category.as_str().to_string())),
        ("severity", Some(primary.severity.as_str().to_string())),
        ("account", context.account_line()),
        ("region", context.region.clone()),
        ("cluster", context.cluster.clone()),
        ("service", context.service.clone()),
        ("stopCode", context.stop_code.clone()),
        ("launchType", context.launch_type.clone()),
        // A pause awaiting action: what the template's "Continue" / "Roll back" custom actions
        // (AWS::Chatbot::CustomAction) read from the notification.
        ("hookId", hook.and_then(|h| h.hook_id.clone())),
        (
            "serviceDeploymentArn",
            hook.and_then(|h| h.service_deployment_arn.clone()),
        ),
        ("lifecycleStage", hook.and_then(|h| h.lifecycle_stage.clone())),
    ] {
        if let Some(value) = value {
            additional.insert(key.to_string(), Value::String(inline(&value)));
        }
    }

    let mut notification = json!({
        "version": "1.0",
        "source": "custom",
        "content": {
            "textType": "client-markdown",
            "title": title,
            "description": description,
            "nextSteps": next_steps,
            "keywords": keywords,
        },
        "metadata": {
            "threadId": report.thread.as_ref().map_or_else(|| thread_id(incident, &context), |t| inert_id(&t.id)),
            "summary": truncate_chars(&inline(&headline), CHAT_TITLE_CHARS),
            "eventType": primary.rule_id,
            "relatedResources": related,
            "additionalContext": additional,
        },
    });
    if let (Some(id), Some(obj)) = (&incident.event_id, notification.as_object_mut()) {
        obj.insert("id".to_string(), Value::String(id.clone()));
    }
    // The render boundary: no credential and no invisible control in any field, whatever
    // field a future change puts text in.
    crate::redact::clean_json(&mut notification);
    notification
}

/// Repeated failures of the same service (or task family, or deployment) share a thread.
fn thread_id(incident: &Incident, context: &Place) -> String {
    let unit = context
        .service
        .clone()
        .or_else(|| context.family.clone())
        .or_else(|| incident.service_event.as_ref().and_then(|e| e.deployment_id.clone()))
        .or_else(|| {
            incident
                .container_instance
                .as_ref()
                .map(|i| i.container_instance_arn.clone())
        })
        .unwrap_or_else(|| "ecs".to_string());
    let cluster = context.cluster.as_deref().unwrap_or("-");
    inert_id(&format!("ecs-doctor/{cluster}/{unit}"))
}

/// Real names only use these characters; anything else is replaced, so the id stays inert.
fn inert_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_./:".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Make text from the workload inert in Slack and Teams markdown: no mentions (`@channel`,
/// `<!here>`), no link syntax (`<url|text>`, `[text](url)`), no code-block breakouts, no line
/// break (it would end a list item or a quote), and no clickable address: a URL outside a code
/// span is put in one, so a planted link cannot be clicked from the alert.
pub fn neutralise(text: &str) -> String {
    let mut out = inert(text, false);
    // Our own texts only hold balanced inline code spans. A fence or an odd backtick comes from
    // the workload and could open a code block or swallow what follows: disarm every backtick.
    if out.contains("```") || !out.matches('`').count().is_multiple_of(2) {
        out = out.replace('`', "ˋ");
    }
    unlinked(&out)
}

/// Mentions, link syntax, control and direction characters made harmless; line breaks kept
/// only inside a code block.
fn inert(text: &str, keep_breaks: bool) -> String {
    // Redacted first: the full-width at sign below would hide `user:pw@host` from redaction.
    let text = crate::redact::clean(text);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push('‹'),
            '>' => out.push('›'),
            // The full-width at sign reads the same but never mentions; a zero-width space after
            // `@` would be removed again by the render boundary, which strips invisible characters.
            '@' => out.push('＠'),
            ']' if chars.peek() == Some(&'(') => out.push_str("] "),
            '\n' if keep_breaks => out.push('\n'),
            c if c.is_control() => out.push(' '),
            // Line and paragraph separators, and bidi overrides that make text read backwards.
            '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Every `scheme://…` outside an inline code span, put in one (the spans are balanced here).
fn unlinked(text: &str) -> String {
    if !text.contains("://") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_span = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_span = !in_span;
        }
        let scheme_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'))
            .unwrap_or(rest.len());
        let starts_word = out.chars().next_back().is_none_or(|p| !p.is_ascii_alphanumeric());
        if !in_span && starts_word && scheme_len > 0 && rest[scheme_len..].starts_with("://") {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push('`');
            out.push_str(&rest[..end]);
            out.push('`');
            rest = &rest[end..];
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Workload text for a one-line place (title, keyword, note): neutralised, no line breaks.
fn inline(text: &str) -> String {
    neutralise(&sanitize_inline(text))
}

/// A console address built from names: any character a real name cannot hold (`@`, `<`,
/// backticks, brackets, spaces, control characters) is percent-encoded, so it cannot mention,
/// link or break the line.
fn url_safe(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?=&%#$".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Text placed inside a ``` block must not close it.
fn in_code_block(text: &str) -> String {
    inert(text, true).replace('`', "ˋ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workload_urls_and_line_breaks_are_defused_outside_code_blocks() {
        let text = neutralise("pull https://evil.example/x failed\nsee http://a.b/c and `https://ok.example`");
        assert!(!text.contains('\n'), "{text}");
        assert!(text.contains("`https://evil.example/x`"), "{text}");
        assert!(text.contains("`http://a.b/c`"), "{text}");
        assert!(text.contains("`https://ok.example`") && !text.contains("``"), "{text}");
        assert_eq!(neutralise("no links: a://"), "no links: `a://`");
        assert_eq!(in_code_block("a\nb"), "a\nb");
    }

    #[test]
    fn neutralise_defuses_mentions_links_and_fences() {
        let hostile = "@channel <!here> <https://evil.example|click> [x](https://evil.example) ```";
        let safe = neutralise(hostile);
        assert!(
            !safe.contains("@channel") && !safe.contains("<!here>") && !safe.contains("](http"),
            "{safe}"
        );
        assert!(!safe.contains('<') && !safe.contains('>'));
        assert!(!in_code_block("a```b`c").contains('`'));
    }
}
