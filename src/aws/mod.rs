//! The AWS edge. The handler sees only these traits and plain types; the SDK stays in the
//! adapters (`ecs.rs`, `sns.rs`), where its types are converted in small tested functions.

pub mod accounts;
pub mod changes;
pub mod clients;
pub mod config;
mod dlq;
pub mod ecs;
pub(crate) mod error;
pub mod ledger;
mod logs;
pub mod mutes;
mod sns;
pub mod verify;

use std::future::Future;
use std::sync::Arc;

pub use accounts::{AccountTasks, MemberTasks};
pub use dlq::SqsDeadLetterQueue;
pub use ecs::{
    instance_from_sdk, service_from_sdk, task_definition_from_sdk, task_from_sdk, Backoff, ClusterReads,
    DeploymentState, EcsReader, EcsTasks, Listed, ScanError, ServiceDeploymentRecord, ServiceEventRecord, ServiceState,
    TaskPage, DESCRIBE_INSTANCES_BATCH, DESCRIBE_SERVICES_BATCH, DESCRIBE_TASKS_BATCH,
};
pub use ledger::{Claim, DynamoLedger, Failure, Ledger, LedgerKeys, NoLedger};
pub use logs::Logs;
pub use sns::SnsPublisher;
pub use verify::AwsVerifier;

use crate::incident::{ApiFailure, Task, TaskDefinition};
use crate::render::SnsMessage;

/// The current state of a task, as `ecs:DescribeTasks` reports it.
#[derive(Debug, Clone, Default)]
pub struct DescribedTask {
    pub task: Option<Task>,
    /// `failures[]` of the response (e.g. `MISSING`), with `action` = `DescribeTasks`.
    pub failures: Vec<ApiFailure>,
}

/// Why enrichment failed; the diagnosis then goes out from the event alone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrichError {
    #[error("the request was throttled ({0})")]
    Throttled(String),
    #[error("access denied ({0})")]
    AccessDenied(String),
    #[error("the request timed out")]
    Timeout,
    #[error("the cluster was not found ({0})")]
    ClusterNotFound(String),
    #[error("not found ({0})")]
    NotFound(String),
    /// The role that reaches another account could not be assumed (missing, or its trust
    /// policy does not name this function's role).
    #[error("the member role {role} could not be assumed ({detail})")]
    RoleUnavailable { role: String, detail: String },
    #[error("{0}")]
    Other(String),
}

/// Why a publish failed. Always an invocation error: Lambda retries, then the DLQ keeps the event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    #[error("SNS rejected the message: {code}: {message}")]
    Rejected { code: String, message: String },
    #[error("SNS request failed: {0}")]
    Transport(String),
    #[error("message could not be built: {0}")]
    Invalid(String),
}

/// Reads a task and its context: `ecs:DescribeTasks`, `ecs:DescribeTaskDefinition`,
/// `logs:GetLogEvents`.
pub trait TaskSource {
    fn describe_task(
        &self,
        cluster: &str,
        task_arn: &str,
    ) -> impl Future<Output = Result<DescribedTask, EnrichError>> + Send;

    fn describe_task_definition(&self, arn: &str) -> impl Future<Output = Result<TaskDefinition, EnrichError>> + Send;

    /// The last `lines` events of a log stream, oldest first.
    fn log_tail(
        &self,
        group: &str,
        stream: &str,
        lines: usize,
    ) -> impl Future<Output = Result<Vec<String>, EnrichError>> + Send;

    /// The tags of a service (`ecs:DescribeServices` with `include=TAGS`), for routing.
    fn service_tags(
        &self,
        _cluster: &str,
        _service: &str,
    ) -> impl Future<Output = Result<Vec<(String, String)>, EnrichError>> + Send {
        async { Ok(Vec::new()) }
    }

    /// The account's alias (`iam:ListAccountAliases`), when there is one and reading it is allowed.
    fn account_alias(&self) -> impl Future<Output = Option<String>> + Send {
        async { None }
    }

    /// How this account's whole services are read (ListTasks, DescribeTasks, DescribeServices).
    type Reads: ClusterReads;

    /// The same account's reads of whole services: a failed deployment's stopped tasks are read
    /// with the task collector through it.
    fn cluster_reads(&self) -> Arc<Self::Reads>;
}

/// Picks the [`TaskSource`] for the account and Region an incident happened in.
pub trait TaskSources {
    type Source: TaskSource + Send + Sync;
    fn source_for(&self, target: &clients::Target) -> impl Future<Output = Self::Source> + Send;
}

/// One account and Region only: the same source whatever the target.
impl TaskSources for EcsTasks {
    type Source = EcsTasks;
    async fn source_for(&self, _target: &clients::Target) -> EcsTasks {
        self.clone()
    }
}

/// Publishes a rendered message (`sns:Publish`); returns the SNS message id.
pub trait Publisher {
    fn publish(
        &self,
        topic_arn: &str,
        message: &SnsMessage,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<String, PublishError>> + Send;
}

/// How one message is sent: once, within `within`, with the ids that make a FIFO topic drop a
/// repeat. One attempt, because a message SNS accepted but answered late (or with an error)
/// has been delivered: trying again inside the invocation is what multiplied copies. Lambda's
/// retry of a failed invocation is the only second attempt, and the ledger's claim guards it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// `MessageDeduplicationId` on a FIFO topic: the event, so that a repeat of it within
    /// five minutes is dropped by SNS itself.
    pub deduplication_id: String,
    /// `MessageGroupId` on a FIFO topic: the failure's signature.
    pub group_id: String,
    /// How long the one attempt may take.
    pub within: std::time::Duration,
}

impl Delivery {
    /// The delivery of the event `event` (its ledger key, else the message's own text) in the
    /// group `group`. SNS allows 128 characters of ASCII letters, digits and punctuation in
    /// both ids: longer or other ones are replaced by a digest.
    pub fn new(event: &str, group: &str, within: std::time::Duration) -> Delivery {
        Delivery {
            deduplication_id: sns_id(event),
            group_id: sns_id(group),
            within,
        }
    }
}

fn sns_id(text: &str) -> String {
    use std::hash::{Hash, Hasher};
    if !text.is_empty() && text.len() <= 128 && text.bytes().all(|b| b.is_ascii_graphic()) {
        return text.to_string();
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    let keep: String = text.chars().filter(char::is_ascii_alphanumeric).take(100).collect();
    format!("{keep}-{:016x}", hasher.finish())
}

/// One message of a dead-letter queue, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueuedMessage {
    pub message_id: String,
    pub receipt_handle: String,
    pub body: String,
    /// String and Number message attributes (EventBridge's `ERROR_CODE`, Lambda's `RequestID`, …).
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// A queue call that failed (`ecs-doctor replay` stops and says which).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{action} failed: {message}")]
pub struct QueueError {
    pub action: String,
    pub message: String,
}

/// Reads and settles the messages of a dead-letter queue (`sqs:ReceiveMessage`,
/// `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility`).
pub trait DeadLetterQueue {
    /// Up to `max` (1–10) messages, hidden from other readers for a while.
    fn receive(&self, max: i32) -> impl Future<Output = Result<Vec<QueuedMessage>, QueueError>> + Send;
    /// Removes a handled message for good.
    fn delete(&self, receipt_handle: &str) -> impl Future<Output = Result<(), QueueError>> + Send;
    /// Makes a message that was not handled visible again at once.
    fn release(&self, receipt_handle: &str) -> impl Future<Output = Result<(), QueueError>> + Send;
}
