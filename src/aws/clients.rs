//! The one place SDK clients come from, for any account and Region.
//!
//! The function's own account uses its own credentials. Another account (an organisation
//! member whose events reach a central deployment) is read through a role assumed with STS;
//! `aws_config`'s provider caches those credentials and refreshes them shortly before they
//! expire. Each (account, Region) gets one lazily built set of clients, kept while the Lambda
//! is warm, so a warm invocation builds nothing and assumes nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use aws_config::sts::AssumeRoleProvider;
use aws_config::{Region, SdkConfig};
use aws_sdk_ecs::config::SharedCredentialsProvider;

use crate::config::MemberAccess;
use crate::incident::{ArnParts, Incident};

/// Most (account, Region) client sets kept at once; past it the cache starts again.
const CACHE_ENTRIES: usize = 64;

/// Which account and Region an incident's resources live in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Target {
    pub account: Option<String>,
    pub region: Option<String>,
}

impl Target {
    pub fn new(account: Option<&str>, region: Option<&str>) -> Self {
        let clean = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        Target {
            account: clean(account),
            region: clean(region),
        }
    }

    /// The event's `account` and `region`, else what the cluster ARN says.
    pub fn of(incident: &Incident) -> Self {
        let arn = incident.cluster.as_deref().and_then(ArnParts::parse);
        Target::new(
            incident.account.as_deref().or(arn.as_ref().map(|a| a.account)),
            incident.region.as_deref().or(arn.as_ref().map(|a| a.region)),
        )
    }
}

/// Hands out clients per (account, Region). Cheap to share behind an `Arc`.
pub struct Clients {
    base: SdkConfig,
    access: MemberAccess,
    cache: Mutex<HashMap<Target, Arc<AccountClients>>>,
}

impl Clients {
    pub fn new(base: SdkConfig) -> Self {
        Self::with_access(base, MemberAccess::default())
    }

    pub fn with_access(base: SdkConfig, access: MemberAccess) -> Self {
        Clients {
            base,
            access,
            cache: Mutex::default(),
        }
    }

    pub fn access(&self) -> &MemberAccess {
        &self.access
    }

    /// The clients of the function's own account in its own Region.
    pub async fn home(&self) -> Arc<AccountClients> {
        self.for_target(&Target::default()).await
    }

    /// The clients for `target` (built on first use, then cached).
    pub async fn for_target(&self, target: &Target) -> Arc<AccountClients> {
        if let Some(found) = self.cache.lock().ok().and_then(|c| c.get(target).cloned()) {
            return found;
        }
        let mut builder = self.base.to_builder();
        if let Some(region) = &target.region {
            builder = builder.region(Region::new(region.clone()));
        }
        let role = self.access.role_for(target.account.as_deref());
        if let Some(role_arn) = &role {
            let provider = AssumeRoleProvider::builder(role_arn.clone())
                .session_name("ecs-doctor")
                .configure(&self.base)
                .build()
                .await;
            builder = builder.credentials_provider(SharedCredentialsProvider::new(provider));
        }
        let built = Arc::new(AccountClients::new(target.clone(), role, builder.build()));
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(target.clone(), built.clone());
        }
        built
    }
}

macro_rules! clients {
    ($($name:ident: $client:ty),+ $(,)?) => {
        /// The SDK clients of one (account, Region), each built on first use.
        #[derive(Debug)]
        pub struct AccountClients {
            pub target: Target,
            /// The role assumed to reach this account; `None` for the function's own.
            pub role_arn: Option<String>,
            config: SdkConfig,
            $($name: OnceLock<$client>,)+
        }

        impl AccountClients {
            fn new(target: Target, role_arn: Option<String>, config: SdkConfig) -> Self {
                AccountClients { target, role_arn, config, $($name: OnceLock::new(),)+ }
            }

            pub fn config(&self) -> &SdkConfig {
                &self.config
            }
            $(pub fn $name(&self) -> &$client {
                self.$name.get_or_init(|| <$client>::new(&self.config))
            })+
        }

        $(impl Preset<$client> for AccountClients {
            fn preset(&self, client: $client) {
                let _ = self.$name.set(client);
            }
        })+
    };
}

/// Tests only: hand `AccountClients` a ready client (e.g. one with canned answers, tests/it/support/mock.rs) instead of
/// building it from the configuration. A client already built is kept.
#[doc(hidden)]
pub trait Preset<C> {
    fn preset(&self, client: C);
}

impl Clients {
    /// Tests only: serve `client` for `target` from now on (see [`Preset`]).
    #[doc(hidden)]
    pub async fn preset<C>(&self, target: &Target, client: C)
    where
        AccountClients: Preset<C>,
    {
        self.for_target(target).await.preset(client);
    }
}

clients! {
    cloudtrail: aws_sdk_cloudtrail::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    ec2: aws_sdk_ec2::Client,
    ecr: aws_sdk_ecr::Client,
    ecs: aws_sdk_ecs::Client,
    efs: aws_sdk_efs::Client,
    elbv2: aws_sdk_elasticloadbalancingv2::Client,
    iam: aws_sdk_iam::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    secretsmanager: aws_sdk_secretsmanager::Client,
    sns: aws_sdk_sns::Client,
    sqs: aws_sdk_sqs::Client,
    ssm: aws_sdk_ssm::Client,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_falls_back_to_the_cluster_arn() {
        let incident = Incident {
            cluster: Some("arn:aws:ecs:ap-northeast-1:333333333333:cluster/prod".into()),
            ..Incident::default()
        };
        assert_eq!(
            Target::of(&incident),
            Target::new(Some("333333333333"), Some("ap-northeast-1"))
        );
    }

    #[tokio::test]
    async fn clients_are_built_once_per_target() {
        let clients = Clients::new(SdkConfig::builder().region(Region::new("us-east-1")).build());
        let a = clients.for_target(&Target::new(None, Some("eu-west-1"))).await;
        let b = clients.for_target(&Target::new(None, Some("eu-west-1"))).await;
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(a.config().region().map(|r| r.as_ref()), Some("eu-west-1"));
        let home = clients.home().await;
        assert_eq!(home.config().region().map(|r| r.as_ref()), Some("us-east-1"));
    }
}
