//! The Lambda function: wiring only. Clients are built once, before the first event.

use ecs_doctor::aws::{self, DynamoLedger, EcsTasks, Logs, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::handler::{handle, Deps};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL.
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env()?;
    let sdk = aws::config::load().await;
    let deps = Deps {
        tasks: EcsTasks::new(
            aws_sdk_ecs::Client::new(&sdk),
            Logs::new(aws_sdk_cloudwatchlogs::Client::new(&sdk)),
        ),
        publisher: SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
        ledger: config
            .dedup_table
            .as_ref()
            .map(|table| DynamoLedger::new(aws_sdk_dynamodb::Client::new(&sdk), table, config.storm_window_seconds)),
        config,
    };
    let deps = &deps;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(deps, event.payload).await
    }))
    .await
}
