//! Amazon Q Developer in chat applications (formerly AWS Chatbot) custom notifications, so a
//! Slack or Teams channel subscribed to the topic shows a readable message.
//!
//! Chatbot silently drops anything that does not fit its schema, so every field stays within
//! its documented limit. Text from the workload (reasons, image names) is neutralised so it
//! cannot mention `@channel`, open links or break out of code blocks.

use serde_json::{json, Map, Value};

use super::limits::{
    sanitize_inline, truncate_chars, CHAT_DESCRIPTION_CHARS, CHAT_KEYWORD_CHARS, CHAT_NEXT_STEP_CHARS, CHAT_TITLE_CHARS,
};
use super::{evidence_lines, labels, task_console_url, Context};
use crate::diagnose::{Diagnosis, Severity};
use crate::incident::Incident;

/// Longest evidence value inside the chat description.
const EVIDENCE_CHARS: usize = 500;

pub fn chat(incident: &Incident, diagnosis: &Diagnosis) -> Value {
    let labels = labels(diagnosis.lang);
    let primary = diagnosis.primary();
    let context = Context::of(incident);
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
    let title = truncate_chars(&neutralise(&format!("{icon} {headline}")), CHAT_TITLE_CHARS);

    let mut description = neutralise(&primary.explanation);
    let evidence: Vec<String> = evidence_lines(incident, diagnosis)
        .into_iter()
        .map(|(field, value)| format!("{field}: {}", truncate_chars(&sanitize_inline(&value), EVIDENCE_CHARS)))
        .collect();
    if !evidence.is_empty() {
        description.push_str(&format!(
            "\n\n*{}*\n```\n{}\n```",
            labels.evidence,
            in_code_block(&evidence.join("\n"))
        ));
    }
    let others = &diagnosis.findings[1..];
    if !others.is_empty() {
        description.push_str(&format!("\n\n*{}*", labels.also_found));
        for f in others {
            description.push_str(&format!("\n• {} ({})", neutralise(&f.title), f.rule_id));
        }
    }
    for note in &incident.notes {
        description.push_str(&format!("\n\n_{}_", neutralise(note)));
    }
    if let Some(url) = task_console_url(incident) {
        description.push_str(&format!("\n\n{url}"));
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
        .map(|k| Value::String(truncate_chars(&neutralise(k), CHAT_KEYWORD_CHARS)))
        .collect();

    let mut related: Vec<Value> = Vec::new();
    if let Some(task) = &incident.task {
        related.push(task.task_arn.clone().into());
        related.extend(task.task_definition_arn.clone().map(Value::from));
    }
    if let Some(arn) = incident.service_event.as_ref().and_then(|e| e.service_arn.clone()) {
        related.push(arn.into());
    }
    if let Some(instance) = &incident.container_instance {
        related.push(instance.container_instance_arn.clone().into());
    }

    let mut additional = Map::new();
    for (key, value) in [
        ("ruleId", Some(primary.rule_id.to_string())),
        ("category", Some(primary.category.as_str().to_string())),
        ("severity", Some(primary.severity.as_str().to_string())),
        ("cluster", context.cluster.clone()),
        ("service", context.service.clone()),
        ("stopCode", context.stop_code.clone()),
        ("launchType", context.launch_type.clone()),
    ] {
        if let Some(value) = value {
            additional.insert(key.to_string(), Value::String(neutralise(&value)));
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
            "threadId": thread_id(incident, &context),
            "summary": truncate_chars(&neutralise(&headline), CHAT_TITLE_CHARS),
            "eventType": primary.rule_id,
            "relatedResources": related,
            "additionalContext": additional,
        },
    });
    if let (Some(id), Some(obj)) = (&incident.event_id, notification.as_object_mut()) {
        obj.insert("id".to_string(), Value::String(id.clone()));
    }
    notification
}

/// Repeated failures of the same service (or task family, or deployment) share a thread.
fn thread_id(incident: &Incident, context: &Context) -> String {
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
    format!("ecs-doctor/{cluster}/{unit}")
}

/// Make text from the workload inert in Slack and Teams markdown: no mentions (`@channel`,
/// `<!here>`), no link syntax (`<url|text>`, `[text](url)`), no code-block breakouts.
pub fn neutralise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push('‹'),
            '>' => out.push('›'),
            // A zero-width space after `@` keeps the word readable but stops the mention.
            '@' => out.push_str("@\u{200b}"),
            ']' if chars.peek() == Some(&'(') => out.push_str("] "),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text placed inside a ``` block must not close it.
fn in_code_block(text: &str) -> String {
    neutralise(text).replace("```", "ˋˋˋ").replace('`', "ˋ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
