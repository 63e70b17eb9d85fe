//! The pipeline's dependencies: the ports it runs on ([`Deps`]), and the real adapters wired
//! into them ([`live_deps`]), here rather than in `aws` so that the adapters never know the
//! pipeline that uses them.

use std::sync::Arc;

use crate::aws::clients::Clients;
use crate::aws::mutes::{NoMutes, SsmMutes};
use crate::aws::{AccountTasks, AwsVerifier, DynamoLedger, NoLedger, SnsPublisher};
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

impl<T, P> Deps<T, P, NoLedger> {
    /// Task reads and a publisher, with storm control, verification and mutes off; the `with_`
    /// methods turn them on.
    pub fn new(tasks: T, publisher: P, config: Config) -> Self {
        Deps {
            tasks,
            publisher,
            ledger: NoLedger,
            verifier: NoVerifier,
            mutes: NoMutes,
            config,
        }
    }
}

impl<T, P, L, V, M> Deps<T, P, L, V, M> {
    /// The same dependencies with deduplication and storm control in `ledger`.
    pub fn with_ledger<L2>(self, ledger: L2) -> Deps<T, P, L2, V, M> {
        let Deps {
            tasks,
            publisher,
            verifier,
            mutes,
            config,
            ..
        } = self;
        Deps {
            tasks,
            publisher,
            ledger,
            verifier,
            mutes,
            config,
        }
    }

    /// The same dependencies with checks of the suspected cause by `verifier`.
    pub fn with_verifier<V2>(self, verifier: V2) -> Deps<T, P, L, V2, M> {
        let Deps {
            tasks,
            publisher,
            ledger,
            mutes,
            config,
            ..
        } = self;
        Deps {
            tasks,
            publisher,
            ledger,
            verifier,
            mutes,
            config,
        }
    }

    /// The same dependencies with mute rules from `mutes`.
    pub fn with_mutes<M2>(self, mutes: M2) -> Deps<T, P, L, V, M2> {
        let Deps {
            tasks,
            publisher,
            ledger,
            verifier,
            config,
            ..
        } = self;
        Deps {
            tasks,
            publisher,
            ledger,
            verifier,
            mutes,
            config,
        }
    }
}

/// The pipeline's real dependencies, as the Lambda runs it (also `ecs-doctor replay --publish`).
pub type LiveDeps = Deps<AccountTasks, SnsPublisher, Option<DynamoLedger>, Option<AwsVerifier>, Option<SsmMutes>>;

/// Builds [`LiveDeps`] from the client factory and the configuration: events of other accounts
/// are read through `MEMBER_ROLE_NAME`, the home account with the caller's own credentials.
pub async fn live_deps(sdk: aws_config::SdkConfig, config: Config) -> LiveDeps {
    let clients = Arc::new(Clients::with_access(sdk, config.member_access()));
    let home = clients.home().await;
    let ledger = config.dedup_table.as_ref().map(|table| {
        DynamoLedger::new(home.dynamodb().clone(), table, config.storm_window_seconds)
            .with_incidents(config.incident_quiet_minutes.saturating_mul(60))
    });
    let verifier = config.verify.then(|| AwsVerifier::new(clients.clone()));
    let mutes = config
        .mute_parameter
        .as_ref()
        .map(|name| SsmMutes::new(home.ssm().clone(), name));
    Deps::new(
        AccountTasks::new(clients.clone()),
        SnsPublisher::new(home.sns().clone()),
        config,
    )
    .with_ledger(ledger)
    .with_verifier(verifier)
    .with_mutes(mutes)
}
