//! Gates: which events go on to be published. Only a task that has stopped is diagnosed (the
//! other task-state changes pass by); expected stops and findings below the minimum severity
//! stay quiet (the publish policy).

use tracing::info;

use super::outcome::{task_arn, Stop};
use crate::config::Config;
use crate::diagnose::Diagnosis;
use crate::incident::Incident;

/// Passes a STOPPED task, and any incident without a task (service and instance events).
pub(super) fn stopped(incident: &Incident) -> Result<(), Stop> {
    let Some(task) = &incident.task else { return Ok(()) };
    if task
        .last_status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("STOPPED"))
    {
        return Ok(());
    }
    let reason = format!(
        "task is {}, not STOPPED",
        task.last_status.as_deref().unwrap_or("of unknown status")
    );
    info!(task_arn = %task.task_arn, %reason, "skipped");
    Err(Stop::Skipped(reason))
}

/// Passes a diagnosis the publish policy lets out.
pub(super) fn publishable(
    config: &Config,
    incident: &Incident,
    diagnosis: &Diagnosis,
    rule_ids: &[&str],
) -> Result<(), Stop> {
    if config.should_publish(diagnosis) {
        return Ok(());
    }
    let primary = diagnosis.primary();
    let reason = format!(
        "{} ({}, {}) is below the publish policy",
        primary.rule_id,
        primary.category.as_str(),
        primary.severity.as_str()
    );
    info!(task_arn = task_arn(incident), ?rule_ids, %reason, "skipped");
    Err(Stop::Skipped(reason))
}
