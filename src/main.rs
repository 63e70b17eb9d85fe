//! The Lambda function: wiring only. Clients are built once, before the first event.

use std::sync::Arc;

use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{self, AwsVerifier, DynamoLedger, EcsTasks, Logs, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::handler::{handle, Deps};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL.
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env()?;
    let clients = Arc::new(Clients::new(aws::config::load().await));
    let home = clients.home().await;
    let deps = Deps {
        tasks: EcsTasks::new(home.ecs().clone(), Logs::new(home.logs().clone())),
        publisher: SnsPublisher::new(home.sns().clone()),
        ledger: config
            .dedup_table
            .as_ref()
            .map(|table| DynamoLedger::new(home.dynamodb().clone(), table, config.storm_window_seconds)),
        verifier: config.verify.then(|| AwsVerifier::new(clients.clone())),
        config,
    };
    let deps = &deps;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(deps, event.payload).await
    }))
    .await
}
