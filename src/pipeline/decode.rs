//! Decode: the EventBridge payload into the one incident it describes.

use serde_json::Value;
use tracing::{info, warn};

use super::outcome::Stop;
use crate::event;
use crate::incident::Incident;

/// The key of the object the Lambda's runtime layer hands over in place of a payload that is
/// not JSON (see `handler::NotJsonLayer`), so that the pipeline fails it with its own error
/// type instead of the runtime failing it with a Rust type name.
pub const NOT_JSON: &str = "ecs-doctor:payload-not-json";

pub(super) fn incident(payload: Value) -> Result<Incident, Stop> {
    if let Some(error) = payload.get(NOT_JSON).and_then(Value::as_str) {
        warn!(%error, "cannot decode event: the payload is not JSON");
        return Err(Stop::Failed(
            event::DecodeError::NotJsonPayload {
                error: error.to_string(),
            }
            .into(),
        ));
    }
    let incidents = match event::decode_value(payload) {
        Ok(incidents) => incidents,
        Err(err) if err.is_nothing_to_diagnose() => {
            info!(reason = %err, "skipped: nothing to diagnose");
            return Err(Stop::Skipped(err.to_string()));
        }
        Err(err) => {
            // Failing the invocation keeps the event: Lambda retries it, then sends it to the DLQ.
            warn!(error = %err, "cannot decode event");
            return Err(Stop::Failed(err.into()));
        }
    };
    // An EventBridge event always decodes to exactly one incident.
    incidents
        .into_iter()
        .next()
        .ok_or_else(|| Stop::Skipped("no incident in event".into()))
}
