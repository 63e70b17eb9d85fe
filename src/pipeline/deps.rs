//! The pipeline's dependencies: the ports it runs on ([`Deps`]), and the real adapters wired
//! into them ([`live_deps`]), here rather than in `aws` so that the adapters never know the
//! pipeline that uses them.

use std::sync::Arc;

use crate::aws::clients::Clients;
use crate::aws::mutes::{NoMutes, SsmMutes};
use crate::aws::{AccountTasks, AwsVerifier, DynamoLedger, SnsPublisher};
use crate::config::Config;
use crate::verify::NoVerifier;

/// The clients and settings one invocation needs.
pub struct Deps<T, P, L, V = NoVerifier, M = NoMutes> {
    /// Task reads, for the account and Region of each event ([`crate::aws::TaskSources`]).
    pub tasks: T,
    pub publisher: P,
    /// Deduplication and storm control (`NoLedger` / `None`: off).
    pub ledger: L,
    /// Checks of the suspected cause against the account (`NoVerifier` / `None`: off).
    pub verifier: V,
    /// Mute rules (`NoMutes` / `None`: nothing is muted).
    pub mutes: M,
    pub config: Config,
}

/// The pipeline's real dependencies, as the Lambda runs it (also `ecs-doctor replay --publish`).
pub type LiveDeps = Deps<AccountTasks, SnsPublisher, Option<DynamoLedger>, Option<AwsVerifier>, Option<SsmMutes>>;

/// Builds [`LiveDeps`] from the client factory and the configuration: events of other accounts
/// are read through `MEMBER_ROLE_NAME`, the home account with the caller's own credentials.
pub async fn live_deps(sdk: aws_config::SdkConfig, config: Config) -> LiveDeps {
    let clients = Arc::new(Clients::with_access(sdk, config.member_access()));
    let home = clients.home().await;
    Deps {
        tasks: AccountTasks::new(clients.clone()),
        publisher: SnsPublisher::new(home.sns().clone()),
        ledger: config.dedup_table.as_ref().map(|table| {
            DynamoLedger::new(home.dynamodb().clone(), table, config.storm_window_seconds)
                .with_incidents(config.incident_quiet_minutes * 60)
        }),
        verifier: config.verify.then(|| AwsVerifier::new(clients.clone())),
        mutes: config
            .mute_parameter
            .as_ref()
            .map(|name| SsmMutes::new(home.ssm().clone(), name)),
        config,
    }
}
