//! Status: only a task that has stopped is diagnosed; the other task-state changes pass by.

use tracing::info;

use super::{Stop, TARGET};
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
    info!(target: TARGET, task_arn = %task.task_arn, %reason, "skipped");
    Err(Stop::Skipped(reason))
}
