//! Plain text for people: e-mail bodies and the CLI's default output. Short lines, no JSON,
//! the cause and the fix first, readable on a phone.

use std::fmt::Write;

use super::limits::SMS_CHARS;
use super::{change_lines, check_lines, console_links, deployment_headline, evidence_lines, incident_line, labels};
use crate::diagnose::{Confidence, Lang};
use crate::incident::{Incident, Place};
use crate::report::Report;
use crate::util::text::{sanitize_inline, sanitize_text, truncate_chars};
use crate::verify::{CheckStatus, Verdict};

/// Longest evidence value shown in a message; the JSON body keeps the full text.
const EVIDENCE_CHARS: usize = 1000;

/// The e-mail body (also the CLI's text format), through the render boundary
/// ([`crate::redact::clean`]).
pub fn email(incident: &Incident, report: &Report) -> String {
    crate::redact::clean(&email_text(incident, report))
}

fn email_text(incident: &Incident, report: &Report) -> String {
    let labels = labels(report.lang);
    let primary = report.primary();
    let context = Place::of(incident);
    let mut out = String::new();

    // Infallible: writing to a String cannot fail.
    let _ = writeln!(out, "[{}] {}", primary.severity.as_str().to_uppercase(), primary.title);
    if let Some(place) = context.place() {
        let _ = writeln!(out, "{place}");
    }
    if let Some(line) = incident_line(report) {
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    if let Some(headline) = deployment_headline(incident, report) {
        let _ = writeln!(out, "{}", sanitize_inline(&headline));
        out.push('\n');
        if let Some(deployment) = &report.deployment {
            let _ = writeln!(out, "{}", labels.causes);
            for cause in &deployment.groups {
                let _ = writeln!(
                    out,
                    "- {} × {} ({}, {})",
                    cause.count,
                    cause.title,
                    cause.rule_id,
                    cause.severity.as_str()
                );
            }
            out.push('\n');
        }
    }

    let _ = writeln!(out, "{}", labels.why);
    let _ = writeln!(out, "{}", primary.explanation);
    if primary.verdict() == Verdict::RuledOut {
        let _ = writeln!(out, "{}", labels.contradicted);
    }
    for fact in &primary.context {
        let _ = writeln!(out, "- {fact}");
    }
    out.push('\n');

    let checks = check_lines(report);
    if !checks.is_empty() {
        let _ = writeln!(out, "{}", labels.checked);
        for line in checks {
            let _ = writeln!(out, "{}", sanitize_inline(&line));
        }
        out.push('\n');
    }

    let changes = change_lines(report);
    if !changes.is_empty() {
        let _ = writeln!(out, "{}", labels.what_changed);
        for line in changes {
            let _ = writeln!(out, "- {}", sanitize_inline(&line));
        }
        out.push('\n');
    }

    if !primary.remediation.is_empty() {
        let _ = writeln!(out, "{}", labels.what_to_do);
        for (i, step) in primary.remediation.iter().enumerate() {
            let _ = writeln!(out, "{}. {step}", i + 1);
        }
        out.push('\n');
    }

    let evidence = evidence_lines(incident, report);
    if !evidence.is_empty() {
        let _ = writeln!(out, "{}", labels.evidence);
        for (field, value) in evidence {
            // Cut first: sanitising maps character to character, and the value may be megabytes.
            let value = sanitize_inline(&truncate_chars(&value, EVIDENCE_CHARS));
            let _ = writeln!(out, "- {field}: {value}");
        }
        out.push('\n');
    }

    for tail in &incident.log_tails {
        let _ = writeln!(
            out,
            "{} `{}` ({} {})",
            labels.log_tail, tail.container, tail.log_group, tail.log_stream
        );
        for line in &tail.lines {
            let _ = writeln!(out, "  | {}", sanitize_inline(line));
        }
        out.push('\n');
    }

    let others = &report.findings[1..];
    if !others.is_empty() {
        let _ = writeln!(out, "{}", labels.also_found);
        for f in others {
            let who = f
                .evidence
                .container
                .as_deref()
                .map(|c| format!(" [{c}]"))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}{who}: {} ({})", f.severity.as_str(), f.title, f.rule_id);
            if let Some(step) = f.remediation.first() {
                let _ = writeln!(out, "  → {step}");
            }
        }
        out.push('\n');
    }

    if !incident.notes.is_empty() {
        let _ = writeln!(out, "{}", labels.notes);
        for note in super::note_texts(&incident.notes, report.lang) {
            let _ = writeln!(out, "- {note}");
        }
        out.push('\n');
    }

    let details = [
        (labels.account, context.account_line()),
        (labels.region, context.region.clone()),
        (labels.cluster, context.cluster.clone()),
        (labels.service, context.service.clone()),
        (labels.task, incident.task.as_ref().map(|t| t.task_arn.clone())),
        (labels.task_definition, context.task_definition.clone()),
        (labels.launch_type, context.launch_type.clone()),
        (labels.stop_code, context.stop_code.clone()),
        (labels.stopped_at, context.stopped_at.clone()),
        (
            labels.event_time,
            context.stopped_at.is_none().then(|| context.time.clone()).flatten(),
        ),
    ];
    if details.iter().any(|(_, v)| v.is_some()) {
        let _ = writeln!(out, "{}", labels.details);
        for (label, value) in details {
            if let Some(value) = value {
                let _ = writeln!(out, "- {label}: {value}");
            }
        }
        out.push('\n');
    }

    let links = console_links(incident, report.lang);
    if !links.is_empty() {
        let _ = writeln!(out, "{}", labels.links);
        for (what, url) in links {
            let _ = writeln!(out, "- {what}: {url}");
        }
        out.push('\n');
    }

    if !primary.docs.is_empty() {
        let _ = writeln!(out, "{}", labels.docs);
        for doc in &primary.docs {
            let _ = writeln!(out, "- {doc}");
        }
        out.push('\n');
    }

    let _ = write!(
        out,
        "-- \necs-doctor · {} {} · {}",
        labels.rule,
        primary.rule_id,
        primary.category.as_str()
    );
    if primary.confidence == Confidence::Family {
        let _ = write!(out, " ({})", labels.family_only);
    }
    // Reasons, names and values from the workload can carry NULs and ANSI escapes, and reach
    // the explanation and the details as well as the evidence: none leaves the body raw.
    sanitize_text(&out)
}

/// One short line for SMS subscribers.
/// The SMS line, through the render boundary ([`crate::redact::clean`]).
pub fn sms(incident: &Incident, report: &Report) -> String {
    crate::redact::clean(&sms_text(incident, report))
}

fn sms_text(incident: &Incident, report: &Report) -> String {
    let primary = report.primary();
    let place = Place::of(incident).place().unwrap_or_default();
    let sep = if report.lang == Lang::Ja { "：" } else { ": " };
    // A family-level finding says so even in 140 characters.
    let title = match primary.confidence {
        Confidence::Family if report.lang == Lang::Ja => format!("{} (原因は推定)", primary.title),
        Confidence::Family => format!("{} (likely)", primary.title),
        _ => primary.title.clone(),
    };
    if let Some(headline) = deployment_headline(incident, report) {
        return truncate_chars(&sanitize_inline(&headline.replace('`', "")), SMS_CHARS);
    }
    let mut line = if place.is_empty() {
        format!("ECS {}{sep}{title}", primary.severity.as_str())
    } else {
        format!("ECS {} {place}{sep}{title}", primary.severity.as_str())
    };
    // One more fact fits in a text message: what a check confirmed, else the change that most
    // likely caused it (both would be cut off mid-sentence).
    if let Some(check) = primary.checks.iter().find(|c| c.status == CheckStatus::Found) {
        line.push_str(&format!(" ✔ {}", check.summary));
    } else if let Some(change) = &report.changes.headline {
        line.push_str(&format!(" Δ {change}"));
    }
    // Markdown means nothing in a text message: drop the code marks.
    truncate_chars(&sanitize_inline(&line.replace('`', "")), SMS_CHARS)
}
