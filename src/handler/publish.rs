//! Publish: to the team topic, else (or when that fails) to the main topic; then the claim is
//! confirmed, or released so that Lambda's retry publishes.

use tracing::warn;

use super::claim::Claimed;
use super::{emit, task_arn, Deps, Stop, TARGET};
use crate::aws::{Ledger, Publisher};
use crate::incident::Incident;
use crate::metrics::Fate;
use crate::report::Report;
use crate::route::Publication;

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
            warn!(target: TARGET, topic = %topic, error = %err, "publish to the team topic failed; publishing to the main topic");
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
            warn!(target: TARGET, task_arn = task_arn(incident), error = %err, "publish failed");
            emit(incident, report, Fate::PublishFailed);
            claimed.release(&deps.ledger).await;
            Err(Stop::Failed(err.into()))
        }
    }
}
