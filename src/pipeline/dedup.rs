//! Ledger claim: deduplication and storm control. A claim that lets the event through is
//! settled after the publish: confirmed when it went out, released when it failed.

use tracing::{info, warn};

use super::budget::{Budget, Stage};
use super::outcome::{emit, task_arn, Stop};
use crate::aws::{Claim, Ledger, LedgerKeys};
use crate::diagnose::Diagnosis;
use crate::incident::{arn_name, Incident, Note, Part};
use crate::pipeline::metrics::{Fate, Suppression};
use crate::report::Report;
use crate::util::time::iso8601_from_epoch;

/// A claim to publish, with the keys and the time it was taken at.
pub(super) struct Claimed {
    keys: Option<LedgerKeys>,
    claim: Claim,
    now: u64,
}

/// Claims the event for this invocation, until the end of its `budget` at the latest.
pub(super) async fn claim<L: Ledger>(
    ledger: &L,
    incident: &mut Incident,
    diagnosis: &Diagnosis,
    now: u64,
    budget: &Budget,
) -> Result<Claimed, Stop> {
    let primary = diagnosis.primary();
    let keys = ledger_keys(incident, diagnosis);
    let claim = match &keys {
        Some(keys) => match budget
            .run(Stage::Ledger, ledger.claim(keys, now, budget.end_epoch_seconds()))
            .await
        {
            Ok(Ok(claim)) => claim,
            failed => {
                // Fail open: a missed duplicate is better than a missed alert.
                match failed {
                    Ok(Err(err)) => warn!(error = %err, "deduplication unavailable; publishing anyway"),
                    _ => {
                        warn!("deduplication out of time; publishing anyway");
                        incident.notes.push(Note::OutOfTime {
                            part: Part::Deduplication,
                        });
                    }
                }
                Claim::Publish {
                    held_back: 0,
                    since: None,
                    window_opened: false,
                }
            }
        },
        None => Claim::Publish {
            held_back: 0,
            since: None,
            window_opened: false,
        },
    };
    match &claim {
        Claim::Duplicate => {
            info!(
                task_arn = task_arn(incident),
                event = keys.as_ref().map_or("", |k| k.event.as_str()),
                "skipped: duplicate"
            );
            emit(
                incident,
                &Report::from(diagnosis.clone()),
                Fate::Suppressed(Suppression::Duplicate),
            );
            return Err(Stop::Skipped("duplicate: this event was already published".into()));
        }
        Claim::Suppressed { count, since } => {
            if let Some(keys) = &keys {
                confirm(ledger, keys, None).await;
            }
            let reason = format!(
                "storm control: {} already published at {}; {count} more held back in this window",
                primary.rule_id,
                iso8601_from_epoch(*since as f64)
            );
            info!(task_arn = task_arn(incident), %reason, "skipped");
            emit(
                incident,
                &Report::from(diagnosis.clone()),
                Fate::Suppressed(Suppression::Storm),
            );
            return Err(Stop::Skipped(reason));
        }
        Claim::Publish { held_back, since, .. } => {
            if let (true, Some(since)) = (*held_back > 0, since) {
                incident.notes.push(Note::HeldBack {
                    count: *held_back,
                    rule_id: primary.rule_id.to_string(),
                    since: *since,
                });
            }
        }
    }
    Ok(Claimed { keys, claim, now })
}

impl Claimed {
    /// Nothing claimed (a message the ledger's event records do not cover).
    pub(super) fn none(now: u64) -> Self {
        Claimed {
            keys: None,
            claim: Claim::Publish {
                held_back: 0,
                since: None,
                window_opened: false,
            },
            now,
        }
    }

    /// The ids of the message's delivery: the event's ledger key and its failure signature, else
    /// (nothing claimed) the message itself, so that a FIFO topic still drops a repeat.
    pub(super) fn ids<'a>(&'a self, message: &'a str) -> (&'a str, &'a str) {
        match &self.keys {
            Some(keys) => (keys.event.as_str(), keys.signature.as_str()),
            None => (message, "ecs-doctor"),
        }
    }

    /// The message went out as `message_id`: the event's record is final.
    pub(super) async fn confirm<L: Ledger>(&self, ledger: &L, message_id: &str) {
        if let Some(keys) = &self.keys {
            confirm(ledger, keys, Some(message_id)).await;
        }
    }

    /// The message did not go out: the retry must not find a record that calls it a duplicate.
    pub(super) async fn release<L: Ledger>(&self, ledger: &L) {
        if let Some(keys) = &self.keys {
            if let Err(release) = ledger.release(keys, &self.claim, self.now).await {
                warn!(error = %release, "could not release the deduplication claim");
            }
        }
    }
}

async fn confirm<L: Ledger>(ledger: &L, keys: &LedgerKeys, message_id: Option<&str>) {
    if let Err(err) = ledger.confirm(keys, message_id).await {
        warn!(error = %err, "could not confirm the deduplication record");
    }
}

/// The ledger keys of a diagnosis: the event (task ARN + `detail.version`, else the
/// EventBridge id) and the failure signature (cluster + service/family + rule).
pub fn ledger_keys(incident: &Incident, diagnosis: &Diagnosis) -> Option<LedgerKeys> {
    // A deployment event carries its example task: the event is still the deployment's.
    let task_event = incident.service_event.is_none();
    let event = match (&incident.task, &incident.event_id) {
        (Some(task), _) if task.version.is_some() && task_event => {
            format!("event#{}#{}", task.task_arn, task.version.unwrap_or_default())
        }
        (_, Some(id)) => format!("event#id:{id}"),
        _ => return None,
    };
    let unit = incident
        .service_event
        .as_ref()
        .and_then(|e| e.service_arn.clone())
        .or_else(|| {
            incident.task.as_ref().and_then(|t| {
                t.service_name()
                    .map(|s| format!("service:{s}"))
                    .or_else(|| t.family().map(|f| format!("family:{f}")))
            })
        })
        .or_else(|| {
            incident
                .container_instance
                .as_ref()
                .map(|i| i.container_instance_arn.clone())
        })
        .unwrap_or_else(|| "-".into());
    let cluster = incident.cluster.as_deref().map_or("-", arn_name);
    Some(LedgerKeys {
        event,
        signature: format!("storm#{cluster}#{unit}#{}", diagnosis.primary().rule_id),
    })
}
