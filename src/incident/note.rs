//! What the operator should know about how a diagnosis was made: what could not be read, what
//! was cut, what went elsewhere. Typed, so that each note is written once per language
//! (`render::notes`) and a message shows it in its own language.

use serde::Serialize;

/// One note on an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "kebab-case")]
pub enum Note {
    /// The input was shortened before diagnosis (texts and lists over the input limits).
    InputCut {
        texts: usize,
        lists: usize,
        max_text_bytes: usize,
        max_list_items: usize,
    },
    /// The event names no cluster, so nothing more was read.
    NoCluster,
    /// The member account's role could not be assumed: the diagnosis uses the event alone.
    MemberRoleUnavailable { role: String },
    /// `ecs:DescribeTasks` answered with failures (`MISSING`, …) for the task.
    DescribeTasksFailures { reasons: Vec<String> },
    /// `ecs:DescribeTasks` failed.
    DescribeTasksFailed { error: String },
    /// The task definition could not be read.
    TaskDefinitionUnreadable { name: String, error: String },
    /// No log tail: without the task definition the log configuration is unknown.
    LogConfigurationUnknown,
    /// The awslogs configuration has no group or no stream prefix.
    LogStreamUnknown { container: String },
    /// The container's logs are in another Region.
    LogsInOtherRegion {
        container: String,
        region: String,
        group: String,
    },
    /// The log stream exists but is empty.
    LogStreamEmpty {
        container: String,
        group: String,
        stream: String,
    },
    /// Reading the log tail failed.
    LogTailFailed {
        container: String,
        group: String,
        stream: String,
        error: String,
    },
    /// The container logs through a driver other than awslogs.
    OtherLogDriver { container: String, driver: String },
    /// The container has no log configuration at all.
    NoLogConfiguration { container: String },
    /// Storm control held back failures of the same kind since `since` (epoch seconds).
    HeldBack { count: u64, rule_id: String, since: u64 },
    /// The team topic tag names a topic this deployment may not publish to.
    TopicRefused { tag: String, arn: String },
    /// A failed deployment's stopped tasks could not be read: the cause is the circuit breaker's.
    DeploymentTasksUnread { deployment: String, why: String },
    /// No task of the failed deployment stopped: the cause is the service deployment's own
    /// record (`statusReason`), as ECS wrote it.
    DeploymentRecordCause { deployment: String, status: String },
    /// The invocation's time budget ran out before `part` was done: the message goes out
    /// without it rather than not at all.
    OutOfTime { part: Part },
}

/// A part of the pipeline that waits on AWS and can be skipped when time runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// DescribeTasks, the task definition, the log tail and a deployment's tasks.
    Reads,
    /// The incident thread.
    Thread,
    /// Deduplication and storm control.
    Deduplication,
    /// The checks against the account and "what changed".
    Checks,
}
