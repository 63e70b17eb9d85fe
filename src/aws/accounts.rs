//! Enrichment for any account and Region: the [`TaskSource`] of an incident is built from the
//! clients of the account and Region the event came from (`clients::Clients`), so a central
//! deployment reads a member account through its read-only role.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::clients::{Clients, Target};
use super::{DescribedTask, EcsTasks, EnrichError, Logs, TaskSource, TaskSources};
use crate::incident::TaskDefinition;

/// Most (account, Region) sources kept at once; past it the cache starts again.
const CACHE_ENTRIES: usize = 64;

/// Hands out one [`MemberTasks`] per (account, Region), built from the shared client factory.
pub struct AccountTasks {
    clients: Arc<Clients>,
    sources: Mutex<HashMap<Target, MemberTasks>>,
}

impl AccountTasks {
    pub fn new(clients: Arc<Clients>) -> Self {
        AccountTasks {
            clients,
            sources: Mutex::default(),
        }
    }
}

impl TaskSources for AccountTasks {
    type Source = MemberTasks;

    async fn source_for(&self, target: &Target) -> MemberTasks {
        if let Some(found) = self.sources.lock().ok().and_then(|s| s.get(target).cloned()) {
            return found;
        }
        let aws = self.clients.for_target(target).await;
        let source = MemberTasks {
            tasks: EcsTasks::new(aws.ecs().clone(), Logs::new(aws.logs().clone())),
            iam: aws.iam().clone(),
            role_arn: aws.role_arn.clone(),
            alias: Arc::default(),
        };
        if let Ok(mut sources) = self.sources.lock() {
            if sources.len() >= CACHE_ENTRIES {
                sources.clear();
            }
            sources.insert(target.clone(), source.clone());
        }
        source
    }
}

/// The task reads of one account and Region. A failure to assume the member role (missing,
/// or not trusting this function) surfaces on the first call and is reported as
/// [`EnrichError::RoleUnavailable`], naming the role.
#[derive(Debug, Clone)]
pub struct MemberTasks {
    tasks: EcsTasks,
    iam: aws_sdk_iam::Client,
    role_arn: Option<String>,
    /// `None`: not read yet; `Some(None)`: no alias, or not allowed to read it.
    alias: Arc<Mutex<Option<Option<String>>>>,
}

impl MemberTasks {
    /// The role this source reads through; `None` for the function's own account.
    pub fn role_arn(&self) -> Option<&str> {
        self.role_arn.as_deref()
    }

    fn role_error(&self, err: EnrichError) -> EnrichError {
        role_error(self.role_arn.as_deref(), err)
    }
}

/// Credential failures only happen for an assumed role: the function's own credentials come
/// from the Lambda environment. The SDK reports them as a dispatch error whose chain says
/// "credentials"; STS's own reason (AccessDenied, …) is in the same text.
pub fn role_error(role_arn: Option<&str>, err: EnrichError) -> EnrichError {
    match (role_arn, err) {
        (Some(role), EnrichError::Other(detail)) if detail.to_ascii_lowercase().contains("credentials") => {
            EnrichError::RoleUnavailable {
                role: role.to_string(),
                detail: crate::util::text::truncate_bytes(&detail, 300),
            }
        }
        (_, err) => err,
    }
}

impl TaskSource for MemberTasks {
    async fn describe_task(&self, cluster: &str, task_arn: &str) -> Result<DescribedTask, EnrichError> {
        self.tasks
            .describe_task(cluster, task_arn)
            .await
            .map_err(|e| self.role_error(e))
    }

    async fn describe_task_definition(&self, arn: &str) -> Result<TaskDefinition, EnrichError> {
        self.tasks
            .describe_task_definition(arn)
            .await
            .map_err(|e| self.role_error(e))
    }

    async fn log_tail(&self, group: &str, stream: &str, lines: usize) -> Result<Vec<String>, EnrichError> {
        self.tasks
            .log_tail(group, stream, lines)
            .await
            .map_err(|e| self.role_error(e))
    }

    async fn service_tags(&self, cluster: &str, service: &str) -> Result<Vec<(String, String)>, EnrichError> {
        self.tasks
            .service_tags(cluster, service)
            .await
            .map_err(|e| self.role_error(e))
    }

    type Reads = super::EcsReader;

    fn cluster_reads(&self) -> Arc<super::EcsReader> {
        self.tasks.cluster_reads()
    }

    async fn account_alias(&self) -> Option<String> {
        if let Some(known) = self.alias.lock().ok().and_then(|a| a.clone()) {
            return known;
        }
        // Optional: a denied or failed call only means the message shows the id alone.
        let alias = match self.iam.list_account_aliases().send().await {
            Ok(out) => out.account_aliases().first().cloned(),
            Err(err) => {
                tracing::info!(error = %aws_sdk_iam::error::DisplayErrorContext(&err), "no account alias");
                None
            }
        };
        if let Ok(mut cached) = self.alias.lock() {
            *cached = Some(alias.clone());
        }
        alias
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_failures_of_a_member_role_name_the_role() {
        let err =
            EnrichError::Other("dispatch failure: an error occurred while loading credentials: AccessDenied".into());
        let role = "arn:aws:iam::222222222222:role/EcsDoctorReadOnly";
        match role_error(Some(role), err.clone()) {
            EnrichError::RoleUnavailable { role: r, detail } => {
                assert_eq!(r, role);
                assert!(detail.contains("AccessDenied"));
            }
            other => panic!("{other:?}"),
        }
        // The function's own account: no role to blame.
        assert_eq!(
            role_error(None, err),
            EnrichError::Other("dispatch failure: an error occurred while loading credentials: AccessDenied".into())
        );
        // A denial by ECS itself is about the role's permissions, not about reaching it.
        let denied = EnrichError::AccessDenied("AccessDeniedException: not authorized".into());
        assert_eq!(role_error(Some(role), denied.clone()), denied);
    }
}
