//! Publish: to the team topic, else (or when that fails) to the main topic, each once; then the
//! claim is confirmed with the message id, or released so that Lambda's retry publishes.

use std::time::Duration;

use tracing::warn;

use super::budget::{Budget, Stage, SAFETY};
use super::dedup::Claimed;
use super::deps::Deps;
use super::outcome::{emit, task_arn, Stop};
use crate::aws::{Delivery, Ledger, PublishError, Publisher};
use crate::incident::Incident;
use crate::pipeline::metrics::Fate;
use crate::pipeline::route::Publication;
use crate::render::SnsMessage;
use crate::report::Report;

/// The SNS message id.
pub(super) async fn publish<T, P: Publisher, L: Ledger, V, M>(
    deps: &Deps<T, P, L, V, M>,
    publication: &Publication,
    incident: &Incident,
    report: &Report,
    claimed: &Claimed,
    budget: &Budget,
) -> Result<String, Stop> {
    let message = &publication.message;
    let (event, group) = claimed.ids(&message.message);
    let topic = &publication.topic_arn;
    let published_to = match (
        once(&deps.publisher, topic, message, event, group, budget).await,
        &publication.fallback_topic_arn,
    ) {
        (Err(err), Some(main)) => {
            // Never lose the alert: the main topic still gets it.
            warn!(topic = %topic, error = %err, "publish to the team topic failed; publishing to the main topic");
            once(&deps.publisher, main, message, event, group, budget).await
        }
        (result, _) => result,
    };
    // Settling the claim must not outlast the invocation: after a publish that used all of
    // the time, it gets what was kept free, and an unsettled claim expires with its lease.
    let settle = budget.left(Stage::Publish).max(SAFETY / 2).min(Duration::from_secs(2));
    match published_to {
        Ok(message_id) => {
            if tokio::time::timeout(settle, claimed.confirm(&deps.ledger, &message_id))
                .await
                .is_err()
            {
                warn!(%message_id, "the deduplication record was not confirmed in time");
            }
            Ok(message_id)
        }
        Err(err) => {
            warn!(task_arn = task_arn(incident), error = %err, "publish failed");
            emit(incident, report, Fate::PublishFailed);
            if tokio::time::timeout(settle, claimed.release(&deps.ledger))
                .await
                .is_err()
            {
                warn!("the deduplication claim was not released in time; it expires with its lease");
            }
            Err(Stop::Failed(err.into()))
        }
    }
}

/// One attempt at `topic`, within what is left of the budget.
async fn once<P: Publisher>(
    publisher: &P,
    topic: &str,
    message: &SnsMessage,
    event: &str,
    group: &str,
    budget: &Budget,
) -> Result<String, PublishError> {
    let delivery = Delivery::new(event, group, budget.left(Stage::Publish));
    if delivery.within.is_zero() {
        return Err(PublishError::Transport("out of time before sns:Publish".into()));
    }
    // The SDK's own timeout ends the attempt; this one holds for any publisher.
    tokio::time::timeout(delivery.within, publisher.publish(topic, message, &delivery))
        .await
        .unwrap_or_else(|_| Err(PublishError::Transport("sns:Publish out of time".into())))
}
