//! Publish policy: expected stops and findings below the minimum severity stay quiet.

use tracing::info;

use super::{task_arn, Stop, TARGET};
use crate::config::Config;
use crate::diagnose::Diagnosis;
use crate::incident::Incident;

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
    info!(target: TARGET, task_arn = task_arn(incident), ?rule_ids, %reason, "skipped");
    Err(Stop::Skipped(reason))
}
