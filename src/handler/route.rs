//! Route: the team topic an `ecs-doctor:topic` tag asks for, and the routing tags a
//! subscription filter policy can match on, as message attributes.

use tracing::warn;

use super::TARGET;
use crate::config::Config;
use crate::incident::Incident;
use crate::render::SnsMessage;
use crate::route;

/// The team topic named by an `ecs-doctor:topic` tag, when configuration allows it; a tag
/// naming any other topic leaves a note and the main topic is used. Runs before the message is
/// rendered, so that the note is in it.
pub(super) fn team_topic(config: &Config, incident: &mut Incident) -> Option<String> {
    let value = route::topic_tag(incident)?.to_string();
    match config.team_topic(&value) {
        Ok(arn) => Some(arn),
        Err(arn) => {
            warn!(target: TARGET, topic = %arn, "the ecs-doctor:topic tag names a topic that is not allowed");
            incident.notes.push(format!(
                "The {} tag names {arn}, which this deployment may not publish to (ALLOWED_TOPIC_ARNS); sent to the main topic instead. / {} タグの {arn} はこのデプロイでは送信が許可されていない (ALLOWED_TOPIC_ARNS) ため、メインのトピックに送信しました。",
                route::TOPIC_TAG,
                route::TOPIC_TAG
            ));
            None
        }
    }
}

/// The rendered message with the incident's routing tags as message attributes.
pub(super) fn with_attributes(mut message: SnsMessage, incident: &Incident, config: &Config) -> SnsMessage {
    let left_out = route::add_attributes(&mut message, route::routing_attributes(incident, &config.routing_tags));
    if !left_out.is_empty() {
        warn!(
            target: TARGET,
            ?left_out,
            "message attributes not sent: SNS carries at most 10"
        );
    }
    message
}
