//! Mute rules from an SSM parameter (`ssm:GetParameter`, a plain `String` parameter: rules are
//! not secret), read at most once a minute by a warm Lambda. Any failure mutes nothing.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_ssm::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_ssm::types::ParameterType;

use crate::config::mute::MuteRules;

/// How long a warm Lambda keeps the rules it read (and a failure to read them).
pub const MUTE_CACHE: Duration = Duration::from_secs(60);

/// Largest standard-tier SSM parameter value.
pub const MAX_PARAMETER_BYTES: usize = 4096;

/// The mute rules in force (`None`: nothing is muted).
pub trait MuteSource {
    fn rules(&self) -> impl Future<Output = Option<Arc<MuteRules>>> + Send;
}

/// Mutes off.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMutes;

impl MuteSource for NoMutes {
    async fn rules(&self) -> Option<Arc<MuteRules>> {
        None
    }
}

impl<M: MuteSource + Sync> MuteSource for Option<M> {
    async fn rules(&self) -> Option<Arc<MuteRules>> {
        match self {
            Some(source) => source.rules().await,
            None => None,
        }
    }
}

pub struct SsmMutes {
    client: aws_sdk_ssm::Client,
    name: String,
    ttl: Duration,
    cache: Mutex<Option<(Instant, Option<Arc<MuteRules>>)>>,
}

impl SsmMutes {
    pub fn new(client: aws_sdk_ssm::Client, name: impl Into<String>) -> Self {
        Self::with_ttl(client, name, MUTE_CACHE)
    }

    pub fn with_ttl(client: aws_sdk_ssm::Client, name: impl Into<String>, ttl: Duration) -> Self {
        SsmMutes {
            client,
            name: name.into(),
            ttl,
            cache: Mutex::default(),
        }
    }

    async fn load(&self) -> Option<Arc<MuteRules>> {
        match read(&self.client, &self.name).await {
            Ok(None) => None,
            Ok(Some(text)) => match MuteRules::parse(&text) {
                Ok(rules) => Some(Arc::new(rules)),
                Err(err) => {
                    // Fail open: a typo in a mute must not hide every alert.
                    tracing::error!(parameter = %self.name, error = %err, "mute rules ignored: the parameter is malformed");
                    None
                }
            },
            Err(err) => {
                tracing::error!(parameter = %self.name, error = %err, "mute rules ignored: the parameter could not be read");
                None
            }
        }
    }
}

impl MuteSource for SsmMutes {
    async fn rules(&self) -> Option<Arc<MuteRules>> {
        if let Some((at, rules)) = self.cache.lock().ok().and_then(|c| c.clone()) {
            if at.elapsed() < self.ttl {
                return rules;
            }
        }
        let rules = self.load().await;
        if let Ok(mut cache) = self.cache.lock() {
            *cache = Some((Instant::now(), rules.clone()));
        }
        rules
    }
}

/// The parameter's text; `None` when it does not exist.
pub async fn read(client: &aws_sdk_ssm::Client, name: &str) -> Result<Option<String>, String> {
    match client.get_parameter().name(name).send().await {
        Ok(out) => Ok(out.parameter().and_then(|p| p.value()).map(str::to_string)),
        Err(err) if err.code() == Some("ParameterNotFound") => Ok(None),
        Err(err) => Err(format!("ssm:GetParameter {name}: {}", DisplayErrorContext(&err))),
    }
}

/// The rules stored in the parameter (none when it does not exist). A malformed parameter is
/// an error here: the CLI must not overwrite what it cannot read.
pub async fn load_rules(client: &aws_sdk_ssm::Client, name: &str) -> Result<MuteRules, String> {
    match read(client, name).await? {
        None => Ok(MuteRules::default()),
        Some(text) => MuteRules::parse(&text).map_err(|e| format!("parameter {name}: {e}")),
    }
}

/// Writes the rules (`ssm:PutParameter`, type String, overwrite).
pub async fn store_rules(client: &aws_sdk_ssm::Client, name: &str, rules: &MuteRules) -> Result<(), String> {
    let text = rules.to_json();
    if text.len() > MAX_PARAMETER_BYTES {
        return Err(format!(
            "the mute rules would take {} bytes, over the {MAX_PARAMETER_BYTES}-byte SSM parameter limit: remove some rules first",
            text.len()
        ));
    }
    client
        .put_parameter()
        .name(name)
        .value(text)
        .r#type(ParameterType::String)
        .overwrite(true)
        .description("ecs-doctor mute rules (ecs-doctor mute add|list|remove)")
        .send()
        .await
        .map_err(|err| format!("ssm:PutParameter {name}: {}", DisplayErrorContext(&err)))?;
    Ok(())
}
