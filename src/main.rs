//! The Lambda function: wiring only. Clients are built once, before the first event.

use std::sync::Arc;

use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::mutes::SsmMutes;
use ecs_doctor::aws::{self, AccountTasks, AwsVerifier, DynamoLedger, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::handler::{handle, Deps};
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // Honours AWS_LAMBDA_LOG_FORMAT=JSON and AWS_LAMBDA_LOG_LEVEL.
    lambda_runtime::tracing::init_default_subscriber();
    let config = Config::from_env()?;
    // Events of other accounts are read through MEMBER_ROLE_NAME in that account; the home
    // account (TOPIC_ARN's) with the function's own credentials.
    let clients = Arc::new(Clients::with_access(aws::config::load().await, config.member_access()));
    let home = clients.home().await;
    let deps = Deps {
        tasks: AccountTasks::new(clients.clone()),
        publisher: SnsPublisher::new(home.sns().clone()),
        ledger: config
            .dedup_table
            .as_ref()
            .map(|table| DynamoLedger::new(home.dynamodb().clone(), table, config.storm_window_seconds)),
        verifier: config.verify.then(|| AwsVerifier::new(clients.clone())),
        mutes: config
            .mute_parameter
            .as_ref()
            .map(|name| SsmMutes::new(home.ssm().clone(), name)),
        config,
    };
    let deps = &deps;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(deps, event.payload).await
    }))
    .await
}
