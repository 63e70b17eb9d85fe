//! The Lambda function: wiring only. Clients are built once, before the first event.

// The invocation's future nests the pipeline's stages (one async fn each, plus the Lambda
// runtime's own layers) about 130 deep in rustc's layout queries, past the default limit of 128.
#![recursion_limit = "256"]

use ecs_doctor::aws;
use ecs_doctor::config::Config;
use ecs_doctor::handler::{handle, CleanStdout, NotJsonLayer};
use ecs_doctor::pipeline::live_deps;
use lambda_runtime::{service_fn, Error, LambdaEvent, Runtime};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL; every line redacted.
    lambda_runtime::tracing::init_default_subscriber_with_writer(CleanStdout);
    let config = Config::from_env()?;
    let deps = live_deps(aws::config::load().await, config).await;
    let deps = &deps;
    Runtime::new(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(deps, event).await
    }))
    .layer(NotJsonLayer)
    // Outermost, as `lambda_runtime::run` adds it: the request id on every log line.
    .layer(lambda_runtime::layers::TracingLayer::new())
    .run()
    .await
}
