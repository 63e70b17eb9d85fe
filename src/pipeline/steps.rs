//! The pipeline's steps for one event, one call each ([`handle`]): what the Lambda runs for
//! every invocation, and `ecs-doctor replay --publish` for every message it replays.

use std::time::Instant;

use serde_json::Value;
use tracing::info;

use super::deps::Deps;
use super::investigate::{investigate, Options};
use super::metrics::Fate;
use super::outcome::{emit, emit_incident, published, task_arn, Outcome, Stop};
use super::{decode, dedup, gate, mute, publish, resolve, route, thread};
use crate::aws::mutes::MuteSource;
use crate::aws::{Ledger, Publisher, TaskSources};
use crate::error::HandlerError;
use crate::report::ChangeReader;
use crate::util::time::now_epoch_seconds;
use crate::verify::Verifier;

/// One event through the pipeline. A stage that stops it on purpose makes the invocation a
/// success ([`Outcome::Skipped`], with the reason); one that fails makes it an error, so that
/// Lambda retries the event and then sends it to the dead-letter queue.
pub async fn handle<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
) -> Result<Outcome, HandlerError> {
    match steps(deps, payload).await {
        Ok(outcome) => Ok(outcome),
        Err(Stop::Skipped(reason)) => Ok(Outcome::Skipped { reason }),
        Err(Stop::Failed(err)) => Err(err),
    }
}

/// The stages, one call each; `?` is a stage ending the event early.
async fn steps<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
) -> Result<Outcome, Stop> {
    let started = Instant::now();
    let incident = decode::incident(payload)?;
    gate::stopped(&incident)?;
    if resolve::is_recovery(&incident) {
        return resolve::resolve(deps, incident, now_epoch_seconds()).await;
    }
    let options = Options {
        lang: deps.config.lang,
        log_lines: deps.config.log_tail_lines,
    };
    let mut found = investigate(&deps.tasks, incident, options).await;
    let rule_ids: Vec<&'static str> = found.diagnosis.findings.iter().map(|f| f.rule_id).collect();
    gate::publishable(&deps.config, &found.incident, &found.diagnosis, &rule_ids)?;
    // After the reads: storm windows start when the message is about to go out.
    let now = now_epoch_seconds();
    mute::unmuted(&deps.mutes, &found.incident, &found.diagnosis, now).await?;
    let thread = thread::record(
        &deps.ledger,
        &found.incident,
        &found.diagnosis,
        found.root.as_ref(),
        now,
    )
    .await;
    let claimed = dedup::claim(&deps.ledger, &mut found.incident, &found.diagnosis, now).await?;
    let (mut incident, report) = found.verify(&deps.verifier, thread).await;
    let publication = route::publication_logged(&deps.config, &mut incident, &report);
    let message_id = publish::publish(deps, &publication, &incident, &report, &claimed).await?;
    info!(
        task_arn = task_arn(&incident),
        event_id = incident.event_id.as_deref().unwrap_or(""),
        ?rule_ids,
        %message_id,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "published"
    );
    emit(&incident, &report, Fate::Published);
    emit_incident(&incident, &report);
    Ok(published(&report, message_id))
}
