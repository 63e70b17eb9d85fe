//! The Lambda function: wiring only. Clients are built once, before the first event.

// The invocation's future nests the pipeline's stages (one async fn each, plus the Lambda
// runtime's own layers) about 130 deep in rustc's layout queries, past the default limit of 128.
#![recursion_limit = "256"]

use ecs_doctor::aws;
use ecs_doctor::config::Config;
use ecs_doctor::handler::handle;
use ecs_doctor::pipeline::live_deps;
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL.
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env()?;
    let deps = live_deps(aws::config::load().await, config).await;
    let deps = &deps;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(deps, event).await
    }))
    .await
}
