//! Mute: an operator's mute rule that matches the incident holds its message back.

use tracing::info;

use super::outcome::{emit, task_arn, Stop};
use crate::aws::mutes::MuteSource;
use crate::config::mute::MuteFacts;
use crate::diagnose::Diagnosis;
use crate::incident::Incident;
use crate::pipeline::metrics::{Fate, Suppression};
use crate::report::Report;

pub(super) async fn unmuted<M: MuteSource>(
    mutes: &M,
    incident: &Incident,
    diagnosis: &Diagnosis,
    now: u64,
) -> Result<(), Stop> {
    let Some(rules) = mutes.rules().await else {
        return Ok(());
    };
    let Some(rule) = rules.find(&MuteFacts::of(incident, diagnosis), now as i64) else {
        return Ok(());
    };
    let reason = format!(
        "muted: {} ({}; until {}{})",
        rule.reason,
        rule.describe(),
        rule.expires,
        rule.id.as_deref().map(|id| format!("; mute {id}")).unwrap_or_default()
    );
    info!(task_arn = task_arn(incident), rule_id = diagnosis.primary().rule_id, %reason, "skipped");
    emit(
        incident,
        &Report::from(diagnosis.clone()),
        Fate::Suppressed(Suppression::Mute),
    );
    Err(Stop::Skipped(reason))
}
