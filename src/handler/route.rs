//! Route: the pure [`route::publication`] (topic, routing attributes), and what the Lambda logs
//! about it.

use tracing::warn;

use super::TARGET;
use crate::config::Config;
use crate::incident::Incident;
use crate::report::Report;
use crate::route::{self, Publication};

pub(super) fn publication(config: &Config, incident: &mut Incident, report: &Report) -> Publication {
    let publication = route::publication(config, incident, report);
    if let Some(arn) = &publication.refused_topic {
        warn!(target: TARGET, topic = %arn, "the ecs-doctor:topic tag names a topic that is not allowed");
    }
    if !publication.left_out.is_empty() {
        warn!(
            target: TARGET,
            left_out = ?publication.left_out,
            "message attributes not sent: SNS carries at most 10"
        );
    }
    publication
}
