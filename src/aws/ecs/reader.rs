//! What `ecs-doctor scan` reads from ECS: clusters, stopped tasks, services (events and
//! deployments) and container instances, through the SDK, converted to owned types.
//!
//! Every request goes through [`EcsReader::call_once`]: it counts the request and holds one permit
//! of a semaphore (at most N calls in flight). On throttling that survived the SDK's own retries,
//! [`Backoff::retry`] waits with exponential backoff and full jitter before trying again: around
//! each call here, and around each ListTasks page and DescribeTasks batch in [`super::stopped_tasks`],
//! which reads stopped tasks for the scan and for one service alike.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_ecs::primitives::DateTime;
use aws_sdk_ecs::types::{DesiredStatus, TaskField};
use tokio::sync::Semaphore;

use super::task_from_sdk;
use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};

use crate::aws::error::classify;
use crate::incident::{ContainerInstance, Task};

/// Most tasks `DescribeTasks` takes at once (an ECS limit).
pub const DESCRIBE_TASKS_BATCH: usize = 100;
/// Most services `DescribeServices` takes at once (an ECS limit).
pub const DESCRIBE_SERVICES_BATCH: usize = 10;
/// Most container instances `DescribeContainerInstances` takes at once (an ECS limit).
pub const DESCRIBE_INSTANCES_BATCH: usize = 100;
/// Largest page the ECS list APIs return.
const PAGE_SIZE: i32 = 100;

/// Why a scan call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// The caller may not read this cluster or service: reported, the scan goes on.
    #[error("access denied ({0})")]
    AccessDenied(String),
    /// Still throttled after the SDK's retries and our backoff: reported, the scan goes on.
    #[error("throttled ({0})")]
    Throttled(String),
    #[error("not found ({0})")]
    NotFound(String),
    /// ListTasks for a service the cluster does not have (ServiceNotFoundException).
    #[error("not found ({0})")]
    ServiceNotFound(String),
    /// No credentials, rejected credentials, no Region, an endpoint that cannot be reached:
    /// nothing else will work either, so the scan stops with this one line.
    #[error("{0}")]
    Fatal(String),
    #[error("{0}")]
    Other(String),
}

impl ScanError {
    pub fn is_fatal(&self) -> bool {
        matches!(self, Self::Fatal(_))
    }

    /// A short, stable name for the JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::AccessDenied(_) => "access-denied",
            Self::Throttled(_) => "throttled",
            Self::NotFound(_) | Self::ServiceNotFound(_) => "not-found",
            Self::Fatal(_) => "fatal",
            Self::Other(_) => "error",
        }
    }
}

/// Stopped task ARNs of one listing, and whether ECS had more than the limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    pub arns: Vec<String>,
    pub more: bool,
}

/// One page of `ListTasks` (stopped tasks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskPage {
    pub arns: Vec<String>,
    /// `None` on the last page.
    pub next_token: Option<String>,
}

/// A service as `DescribeServices` reports it, reduced to what the scan reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceState {
    pub arn: String,
    pub name: String,
    pub events: Vec<ServiceEventRecord>,
    pub deployments: Vec<DeploymentState>,
}

/// A service deployment as `ecs:DescribeServiceDeployments` records it: of a rolling
/// deployment, and the only record of why a blue/green, linear or canary one rolled back when
/// no task stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceDeploymentRecord {
    pub arn: String,
    /// PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS,
    /// ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED, …
    pub status: Option<String>,
    /// "Service deployment rolled back because …": the cause, in ECS's words.
    pub status_reason: Option<String>,
    pub lifecycle_stage: Option<String>,
    /// The circuit breaker: (status, failed tasks, threshold).
    pub circuit_breaker: Option<(String, i32, i32)>,
    /// Alarms that went into ALARM during the deployment.
    pub triggered_alarms: Vec<String>,
    pub rollback_reason: Option<String>,
    /// The service revision it deployed, and those it replaced.
    pub target_revision: Option<String>,
    pub source_revisions: Vec<String>,
    /// Epoch milliseconds of its creation.
    pub created_at: Option<i64>,
}

impl ServiceDeploymentRecord {
    /// Rolled back, stopped, or failed to roll back: a deployment that did not succeed.
    pub fn failed(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.starts_with("ROLLBACK") || s.starts_with("STOP"))
    }
}

/// How many of a service's newest deployments are read: the failed one is among the latest.
pub const SERVICE_DEPLOYMENTS_READ: i32 = 5;

/// One entry of a service's `events[]`: ECS keeps the latest 100 messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceEventRecord {
    pub id: Option<String>,
    /// Epoch milliseconds.
    pub created_at: Option<i64>,
    pub message: String,
}

/// One entry of a service's `deployments[]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeploymentState {
    pub id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub status: Option<String>,
    /// IN_PROGRESS, COMPLETED or FAILED (only with the circuit breaker or alarms).
    pub rollout_state: Option<String>,
    pub rollout_state_reason: Option<String>,
    /// Epoch milliseconds of the last change (else of its creation).
    pub updated_at: Option<i64>,
    pub task_definition: Option<String>,
    /// Tasks of this deployment running now.
    pub running_count: Option<usize>,
    /// Tasks of this deployment that failed to start or stopped (the circuit breaker's count).
    pub failed_tasks: Option<usize>,
}

/// Reads a Region's clusters for the scan. Implemented with the SDK by [`EcsReader`].
pub trait ClusterReads: Send + Sync + 'static {
    /// Every cluster ARN of the Region (all pages).
    fn list_clusters(&self) -> impl Future<Output = Result<Vec<String>, ScanError>> + Send;

    /// One ListTasks request for stopped tasks of a cluster (or of one service): one page, not
    /// retried (paging and backoff are [`super::stopped_tasks`]' job).
    fn list_stopped_tasks_page(
        &self,
        cluster: &str,
        service: Option<&str>,
        next_token: Option<&str>,
    ) -> impl Future<Output = Result<TaskPage, ScanError>> + Send;

    /// One DescribeTasks request for at most [`DESCRIBE_TASKS_BATCH`] tasks, not retried; tasks
    /// ECS no longer knows are left out.
    fn describe_tasks_once(
        &self,
        cluster: &str,
        arns: &[String],
    ) -> impl Future<Output = Result<Vec<Task>, ScanError>> + Send;

    /// How long to wait when ECS keeps throttling.
    fn backoff(&self) -> Backoff;

    /// Every service ARN of a cluster (all pages).
    fn list_services(&self, cluster: &str) -> impl Future<Output = Result<Vec<String>, ScanError>> + Send;

    /// At most [`DESCRIBE_SERVICES_BATCH`] services, by name or ARN; unknown ones are left out.
    fn describe_services(
        &self,
        cluster: &str,
        services: &[String],
    ) -> impl Future<Output = Result<Vec<ServiceState>, ScanError>> + Send;

    /// The service's newest deployments (at most [`SERVICE_DEPLOYMENTS_READ`]), newest first:
    /// `ecs:ListServiceDeployments`, then `ecs:DescribeServiceDeployments`.
    fn service_deployments(
        &self,
        _cluster: &str,
        _service: &str,
    ) -> impl Future<Output = Result<Vec<ServiceDeploymentRecord>, ScanError>> + Send {
        async { Ok(Vec::new()) }
    }

    /// Every container instance ARN of a cluster (all pages).
    fn list_container_instances(&self, cluster: &str) -> impl Future<Output = Result<Vec<String>, ScanError>> + Send;

    /// At most [`DESCRIBE_INSTANCES_BATCH`] container instances.
    fn describe_container_instances(
        &self,
        cluster: &str,
        arns: &[String],
    ) -> impl Future<Output = Result<Vec<ContainerInstance>, ScanError>> + Send;

    /// How many requests each API received so far (retries after throttling included).
    fn api_calls(&self) -> BTreeMap<String, u64>;
}

/// Waits between attempts when ECS keeps throttling after the SDK's own retries.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// First wait; it doubles with each attempt (full jitter: a random part of it).
    pub base: Duration,
    /// Longest single wait.
    pub max: Duration,
    /// Attempts after the first.
    pub retries: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            max: Duration::from_secs(10),
            retries: 4,
        }
    }
}

impl Backoff {
    fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.base.saturating_mul(2u32.saturating_pow(attempt)).min(self.max);
        // Full jitter spreads the retries of concurrent calls; no RNG crate is needed for that.
        let nanos = crate::util::time::since_epoch().subsec_nanos();
        let fraction = f64::from(nanos % 1000) / 1000.0;
        ceiling.mul_f64(0.5 + fraction / 2.0)
    }

    /// Runs `attempt` until it is not throttled or the retries are spent, waiting between
    /// attempts; adds the retries to `retried`.
    pub async fn retry<T, F, Fut>(&self, retried: &mut u64, mut attempt: F) -> Result<T, ScanError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ScanError>>,
    {
        let mut done = 0;
        loop {
            match attempt().await {
                Err(ScanError::Throttled(_)) if done < self.retries => {
                    tokio::time::sleep(self.delay(done)).await;
                    done += 1;
                    *retried += 1;
                }
                other => return other,
            }
        }
    }
}

/// The SDK implementation of [`ClusterReads`].
#[derive(Debug, Clone)]
pub struct EcsReader {
    client: aws_sdk_ecs::Client,
    limit: Arc<Semaphore>,
    backoff: Backoff,
    calls: Arc<Mutex<BTreeMap<&'static str, u64>>>,
}

impl EcsReader {
    /// `concurrency`: most calls in flight at once (at least 1).
    pub fn new(client: aws_sdk_ecs::Client, concurrency: usize, backoff: Backoff) -> Self {
        EcsReader {
            client,
            limit: Arc::new(Semaphore::new(concurrency.max(1))),
            backoff,
            calls: Arc::default(),
        }
    }

    fn count(&self, operation: &'static str) {
        if let Ok(mut calls) = self.calls.lock() {
            *calls.entry(operation).or_default() += 1;
        }
    }

    /// Every ARN of a list call, page after page, each page one [`Self::call`]: `send` sends the
    /// request for a page token, `page` reads a page's ARNs and its next token. One loop for every
    /// list API here; not the SDK's paginators, which end at the first error where this reader
    /// retries a throttled page and counts every request.
    async fn all_pages<O, E, F, Fut>(
        &self,
        operation: &'static str,
        send: F,
        page: impl Fn(&O) -> (&[String], Option<&str>),
    ) -> Result<Vec<String>, ScanError>
    where
        F: Fn(Option<String>) -> Fut,
        Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut arns = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let output = self.call(operation, || send(token.clone())).await?;
            let (found, next) = page(&output);
            arns.extend_from_slice(found);
            token = next.map(str::to_string);
            if token.is_none() {
                return Ok(arns);
            }
        }
    }

    /// One request, retried with backoff while throttled.
    async fn call<T, E, F, Fut>(&self, operation: &'static str, mut send: F) -> Result<T, ScanError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let mut retried = 0;
        self.backoff
            .retry(&mut retried, || self.call_once(operation, send()))
            .await
    }

    /// One attempt: counted, and within the limit of calls in flight. The permit is released
    /// before any backoff wait, so other calls go on meanwhile. `request` is an SDK `send()`
    /// future: nothing is sent before it is awaited here.
    async fn call_once<T, E, Fut>(&self, operation: &'static str, request: Fut) -> Result<T, ScanError>
    where
        Fut: Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let _permit = self
            .limit
            .acquire()
            .await
            .map_err(|_| ScanError::Other("the scan was stopped".into()))?;
        self.count(operation);
        request
            .await
            .map_err(|e| ScanError::from(classify(&format!("ecs:{operation}"), e)))
    }
}

impl ClusterReads for EcsReader {
    async fn list_clusters(&self) -> Result<Vec<String>, ScanError> {
        let send = |token| {
            self.client
                .list_clusters()
                .max_results(PAGE_SIZE)
                .set_next_token(token)
                .send()
        };
        self.all_pages("ListClusters", send, |p| (p.cluster_arns(), p.next_token()))
            .await
    }

    async fn list_stopped_tasks_page(
        &self,
        cluster: &str,
        service: Option<&str>,
        next_token: Option<&str>,
    ) -> Result<TaskPage, ScanError> {
        let request = self
            .client
            .list_tasks()
            .cluster(cluster)
            .set_service_name(service.map(str::to_string))
            .desired_status(DesiredStatus::Stopped)
            .max_results(PAGE_SIZE)
            .set_next_token(next_token.map(str::to_string))
            .send();
        let page = self.call_once("ListTasks", request).await?;
        Ok(TaskPage {
            arns: page.task_arns().to_vec(),
            next_token: page.next_token().map(str::to_string),
        })
    }

    async fn describe_tasks_once(&self, cluster: &str, arns: &[String]) -> Result<Vec<Task>, ScanError> {
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let request = self
            .client
            .describe_tasks()
            .cluster(cluster)
            .set_tasks(Some(arns.to_vec()))
            .include(TaskField::Tags)
            .send();
        let output = self.call_once("DescribeTasks", request).await?;
        Ok(output.tasks().iter().map(task_from_sdk).collect())
    }

    fn backoff(&self) -> Backoff {
        self.backoff
    }

    async fn list_services(&self, cluster: &str) -> Result<Vec<String>, ScanError> {
        let send = |token| {
            let request = self.client.list_services().cluster(cluster);
            request.max_results(PAGE_SIZE).set_next_token(token).send()
        };
        self.all_pages("ListServices", send, |p| (p.service_arns(), p.next_token()))
            .await
    }

    async fn describe_services(&self, cluster: &str, services: &[String]) -> Result<Vec<ServiceState>, ScanError> {
        if services.is_empty() {
            return Ok(Vec::new());
        }
        let output = self
            .call("DescribeServices", || {
                self.client
                    .describe_services()
                    .cluster(cluster)
                    .set_services(Some(services.to_vec()))
                    .send()
            })
            .await?;
        Ok(output.services().iter().map(service_from_sdk).collect())
    }

    async fn service_deployments(
        &self,
        cluster: &str,
        service: &str,
    ) -> Result<Vec<ServiceDeploymentRecord>, ScanError> {
        let listed = self
            .call("ListServiceDeployments", || {
                self.client
                    .list_service_deployments()
                    .cluster(cluster)
                    .service(service)
                    .max_results(SERVICE_DEPLOYMENTS_READ)
                    .send()
            })
            .await?;
        let arns: Vec<String> = listed
            .service_deployments()
            .iter()
            .filter_map(|d| d.service_deployment_arn().map(str::to_string))
            .collect();
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let described = self
            .call("DescribeServiceDeployments", || {
                self.client
                    .describe_service_deployments()
                    .set_service_deployment_arns(Some(arns.clone()))
                    .send()
            })
            .await?;
        let mut records: Vec<ServiceDeploymentRecord> = described
            .service_deployments()
            .iter()
            .map(service_deployment_from_sdk)
            .collect();
        records.sort_by_key(|r| std::cmp::Reverse(r.created_at));
        Ok(records)
    }

    async fn list_container_instances(&self, cluster: &str) -> Result<Vec<String>, ScanError> {
        let send = |token| {
            let request = self.client.list_container_instances().cluster(cluster);
            request.max_results(PAGE_SIZE).set_next_token(token).send()
        };
        self.all_pages("ListContainerInstances", send, |p| {
            (p.container_instance_arns(), p.next_token())
        })
        .await
    }

    async fn describe_container_instances(
        &self,
        cluster: &str,
        arns: &[String],
    ) -> Result<Vec<ContainerInstance>, ScanError> {
        if arns.is_empty() {
            return Ok(Vec::new());
        }
        let output = self
            .call("DescribeContainerInstances", || {
                self.client
                    .describe_container_instances()
                    .cluster(cluster)
                    .set_container_instances(Some(arns.to_vec()))
                    .send()
            })
            .await?;
        Ok(output.container_instances().iter().map(instance_from_sdk).collect())
    }

    fn api_calls(&self) -> BTreeMap<String, u64> {
        self.calls
            .lock()
            .map(|calls| calls.iter().map(|(k, v)| (k.to_string(), *v)).collect())
            .unwrap_or_default()
    }
}

fn epoch_millis(d: Option<&DateTime>) -> Option<i64> {
    d.map(|d| {
        d.secs()
            .saturating_mul(1000)
            .saturating_add(i64::from(d.subsec_nanos() / 1_000_000))
    })
}

/// SDK service → what the scan reads: its events and deployments.
pub fn service_from_sdk(s: &aws_sdk_ecs::types::Service) -> ServiceState {
    ServiceState {
        arn: s.service_arn().unwrap_or_default().to_string(),
        name: s.service_name().unwrap_or_default().to_string(),
        events: s
            .events()
            .iter()
            .map(|e| ServiceEventRecord {
                id: e.id().map(str::to_string),
                created_at: epoch_millis(e.created_at()),
                message: e.message().unwrap_or_default().to_string(),
            })
            .collect(),
        deployments: s
            .deployments()
            .iter()
            .map(|d| DeploymentState {
                id: d.id().unwrap_or_default().to_string(),
                status: d.status().map(str::to_string),
                rollout_state: d.rollout_state().map(|r| r.as_str().to_string()),
                rollout_state_reason: d.rollout_state_reason().map(str::to_string),
                updated_at: epoch_millis(d.updated_at().or(d.created_at())),
                task_definition: d.task_definition().map(str::to_string),
                running_count: usize::try_from(d.running_count()).ok(),
                failed_tasks: usize::try_from(d.failed_tasks()).ok(),
            })
            .collect(),
    }
}

/// SDK service deployment → the owned form the root cause reads.
pub fn service_deployment_from_sdk(d: &aws_sdk_ecs::types::ServiceDeployment) -> ServiceDeploymentRecord {
    ServiceDeploymentRecord {
        arn: d.service_deployment_arn().unwrap_or_default().to_string(),
        status: d.status().map(|s| s.as_str().to_string()),
        status_reason: d.status_reason().map(crate::redact::clean),
        lifecycle_stage: d.lifecycle_stage().map(|s| s.as_str().to_string()),
        circuit_breaker: d.deployment_circuit_breaker().map(|c| {
            (
                c.status().map(|s| s.as_str().to_string()).unwrap_or_default(),
                c.failure_count(),
                c.threshold(),
            )
        }),
        triggered_alarms: d
            .alarms()
            .map(|a| a.triggered_alarm_names().to_vec())
            .unwrap_or_default(),
        rollback_reason: d.rollback().and_then(|r| r.reason()).map(crate::redact::clean),
        target_revision: d.target_service_revision().and_then(|r| r.arn()).map(str::to_string),
        source_revisions: d
            .source_service_revisions()
            .iter()
            .filter_map(|r| r.arn().map(str::to_string))
            .collect(),
        created_at: epoch_millis(d.created_at()),
    }
}

/// SDK container instance → the owned form the engine reads.
pub fn instance_from_sdk(i: &aws_sdk_ecs::types::ContainerInstance) -> ContainerInstance {
    ContainerInstance {
        container_instance_arn: i.container_instance_arn().unwrap_or_default().to_string(),
        ec2_instance_id: i.ec2_instance_id().map(str::to_string),
        status: i.status().map(str::to_string),
        status_reason: i.status_reason().map(str::to_string),
        agent_connected: Some(i.agent_connected()),
        agent_version: i.version_info().and_then(|v| v.agent_version()).map(str::to_string),
        version: Some(i.version()).filter(|v| *v != 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_under_its_ceiling() {
        let b = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_millis(250),
            retries: 3,
        };
        for attempt in 0..6 {
            let d = b.delay(attempt);
            let ceiling = Duration::from_millis(100 * 2u64.pow(attempt)).min(b.max);
            assert!(d <= ceiling && d >= ceiling / 2, "attempt {attempt}: {d:?}");
        }
    }
}
