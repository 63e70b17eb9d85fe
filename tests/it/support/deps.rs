//! The pipeline's dependencies as the tests build them against moto: one `SdkConfig`, the real
//! adapters, everything optional off (add it with `Deps::with_ledger`, `with_verifier`,
//! `with_mutes`).

use aws_config::SdkConfig;
use ecs_doctor::aws::{EcsTasks, Logs, NoLedger, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::Deps;

/// ECS and CloudWatch Logs reads of the account `sdk` points at.
pub fn moto_tasks(sdk: &SdkConfig) -> EcsTasks {
    EcsTasks::new(
        aws_sdk_ecs::Client::new(sdk),
        Logs::new(aws_sdk_cloudwatchlogs::Client::new(sdk)),
    )
}

/// Task reads and SNS publishing against `sdk`; no ledger, no verifier, no mutes.
pub fn moto_deps(sdk: &SdkConfig, config: Config) -> Deps<EcsTasks, SnsPublisher, NoLedger> {
    Deps::new(
        moto_tasks(sdk),
        SnsPublisher::new(aws_sdk_sns::Client::new(sdk)),
        config,
    )
}
