//! The AWS edge. The handler sees only these traits and plain types; the SDK stays in the
//! adapters (`ecs.rs`, `sns.rs`), where its types are converted in small tested functions.

pub mod config;
mod ecs;
mod sns;

use std::future::Future;

pub use ecs::{task_from_sdk, EcsTasks};
pub use sns::SnsPublisher;

use crate::incident::{ApiFailure, Task};
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
    #[error("access denied ({0}); the function's role needs ecs:DescribeTasks")]
    AccessDenied(String),
    #[error("the request timed out")]
    Timeout,
    #[error("the cluster was not found ({0})")]
    ClusterNotFound(String),
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

/// Reads task details (`ecs:DescribeTasks`).
pub trait TaskSource {
    fn describe_task(
        &self,
        cluster: &str,
        task_arn: &str,
    ) -> impl Future<Output = Result<DescribedTask, EnrichError>> + Send;
}

/// Publishes a rendered message (`sns:Publish`); returns the SNS message id.
pub trait Publisher {
    fn publish(
        &self,
        topic_arn: &str,
        message: &SnsMessage,
    ) -> impl Future<Output = Result<String, PublishError>> + Send;
}

/// Error codes AWS uses for throttling across services.
pub(crate) fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "ThrottlingException"
            | "Throttling"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "ThrottledException"
    )
}

/// Error codes AWS uses for a permission denial.
pub(crate) fn is_access_denied(code: &str) -> bool {
    matches!(
        code,
        "AccessDeniedException"
            | "AccessDenied"
            | "UnauthorizedOperation"
            | "AuthorizationError"
            | "UnrecognizedClientException"
    )
}
