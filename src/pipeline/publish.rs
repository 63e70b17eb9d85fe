//! Publish: to the team topic, else (or when that fails) to the main topic; then the claim is
//! confirmed, or released so that Lambda's retry publishes.

use tracing::warn;

use super::dedup::Claimed;
use super::deps::Deps;
use super::outcome::{emit, task_arn, Stop};
use crate::aws::{Ledger, Publisher};
use crate::incident::Incident;
use crate::pipeline::metrics::Fate;
use crate::pipeline::route::Publication;
use crate::report::Report;

/// The SNS message id.
pub(super) async fn publish<T, P: Publisher, L: Ledger, V, M>(
    deps: &Deps<T, P, L, V, M>,
    publication: &Publication,
    incident: &Incident,
    report: &Report,
    claimed: &Claimed,
) -> Result<String, Stop> {
    let message = &publication.message;
    let topic = &publication.topic_arn;
    let published_to = match (
        deps.publisher.publish(topic, message).await,
        &publication.fallback_topic_arn,
    ) {
        (Err(err), Some(main)) => {
            // Never lose the alert: the main topic still gets it.
            warn!(topic = %topic, error = %err, "publish to the team topic failed; publishing to the main topic");
            deps.publisher.publish(main, message).await
        }
        (result, _) => result,
    };
    match published_to {
        Ok(message_id) => {
            claimed.confirm(&deps.ledger).await;
            Ok(message_id)
        }
        Err(err) => {
            warn!(task_arn = task_arn(incident), error = %err, "publish failed");
            emit(incident, report, Fate::PublishFailed);
            claimed.release(&deps.ledger).await;
            Err(Stop::Failed(err.into()))
        }
    }
}
