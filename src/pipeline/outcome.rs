//! What an invocation did ([`Outcome`]), how a stage ends it early ([`Stop`]), and the metric
//! lines written for each: the vocabulary every stage of the Lambda's pipeline shares.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::metrics::{self, Fate};
use crate::error::HandlerError;
use crate::incident::Incident;
use crate::report::Report;
use crate::util::time::now_epoch_millis;

/// What an invocation did (returned to the runtime, and logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Published {
        message_id: String,
        rule_id: &'static str,
        severity: &'static str,
    },
    /// Not published, on purpose; `reason` says why.
    Skipped { reason: String },
}

/// Why a stage ends the pipeline before the message goes out.
pub(in crate::pipeline) enum Stop {
    /// On purpose: the invocation succeeds with [`Outcome::Skipped`].
    Skipped(String),
    /// The invocation fails, so that Lambda retries the event and then sends it to the DLQ.
    Failed(HandlerError),
}

/// Where the metric lines go: stdout in the Lambda (CloudWatch Logs reads them there), stderr
/// under the CLI, whose stdout is its report (`ecs-doctor replay`).
static METRICS_ON_STDERR: AtomicBool = AtomicBool::new(false);

/// Sends the metric lines to stderr from now on (the CLI, before it runs the pipeline).
pub fn metrics_to_stderr() {
    METRICS_ON_STDERR.store(true, Ordering::Relaxed);
}

fn metric(line: &str) {
    if METRICS_ON_STDERR.load(Ordering::Relaxed) {
        eprintln!("{line}");
    } else {
        println!("{line}");
    }
}

/// One Embedded Metric Format line per diagnosed incident, on stdout: CloudWatch Logs turns
/// it into metrics (namespace `EcsDoctor`). Written as its own line, apart from the tracing
/// output, because EMF must be a standalone JSON log event.
pub(in crate::pipeline) fn emit(incident: &Incident, report: &Report, fate: Fate) {
    metric(&metrics::emf_line(incident, report, fate, now_epoch_millis()));
}

/// The incident metrics' EMF line, when the message opened or resolved an incident.
pub(in crate::pipeline) fn emit_incident(incident: &Incident, report: &Report) {
    if let Some(line) = report
        .thread
        .as_ref()
        .and_then(|thread| metrics::incident_line(incident, thread, now_epoch_millis()))
    {
        metric(&line);
    }
}

pub(in crate::pipeline) fn published(report: &Report, message_id: String) -> Outcome {
    let primary = report.primary();
    Outcome::Published {
        message_id,
        rule_id: primary.rule_id,
        severity: primary.severity.as_str(),
    }
}

pub(in crate::pipeline) fn task_arn(incident: &Incident) -> &str {
    incident.task.as_ref().map_or("", |t| t.task_arn.as_str())
}
