//! The Lambda's handler: one invocation is one event through the pipeline
//! ([`crate::pipeline::handle_within`]) with the adapters `main.rs` built once at start, within
//! the time the invocation has left. Only `main.rs` uses this module; every other entry point
//! (`replay --publish`, the tests) runs the pipeline itself.

use lambda_runtime::LambdaEvent;
use serde_json::Value;

use crate::error::HandlerError;
use crate::pipeline::budget::Budget;
use crate::pipeline::{self, LiveDeps, Outcome};

/// The invocation's event through every stage, ending before the function timeout; an `Err`
/// makes Lambda retry the event and then send it to the dead-letter queue.
pub async fn handle(deps: &LiveDeps, event: LambdaEvent<Value>) -> Result<Outcome, HandlerError> {
    let budget = Budget::until_deadline(event.context.deadline);
    pipeline::handle_within(deps, event.payload, budget).await
}
