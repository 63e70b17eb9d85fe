//! `ecs:DescribeTasks` through the AWS SDK, converted to the owned [`Task`].

use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_ecs::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ecs::types::TaskField;

use super::{is_access_denied, is_throttling, DescribedTask, EnrichError, TaskSource};
use crate::incident::{ApiFailure, Attachment, Container, LaunchType, Task, Timestamps};

#[derive(Debug, Clone)]
pub struct EcsTasks {
    client: aws_sdk_ecs::Client,
}

impl EcsTasks {
    pub fn new(client: aws_sdk_ecs::Client) -> Self {
        Self { client }
    }
}

impl TaskSource for EcsTasks {
    async fn describe_task(&self, cluster: &str, task_arn: &str) -> Result<DescribedTask, EnrichError> {
        let output = self
            .client
            .describe_tasks()
            .cluster(cluster)
            .tasks(task_arn)
            .include(TaskField::Tags)
            .send()
            .await
            .map_err(classify)?;
        Ok(DescribedTask {
            task: output.tasks().first().map(task_from_sdk),
            failures: output
                .failures()
                .iter()
                .map(|f| ApiFailure {
                    action: Some("DescribeTasks".to_string()),
                    arn: f.arn().map(str::to_string),
                    reason: f.reason().unwrap_or_default().to_string(),
                    detail: f.detail().map(str::to_string),
                })
                .collect(),
        })
    }
}

fn classify<E, R>(err: SdkError<E, R>) -> EnrichError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::TimeoutError(_) => EnrichError::Timeout,
        SdkError::DispatchFailure(failure) if failure.is_timeout() => EnrichError::Timeout,
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or("Unknown").to_string();
            let message = err.message().unwrap_or_default().to_string();
            let both = format!("{code}: {message}");
            if is_throttling(&code) {
                EnrichError::Throttled(both)
            } else if is_access_denied(&code) {
                EnrichError::AccessDenied(both)
            } else if code == "ClusterNotFoundException" {
                EnrichError::ClusterNotFound(both)
            } else {
                EnrichError::Other(both)
            }
        }
        _ => EnrichError::Other(DisplayErrorContext(&err).to_string()),
    }
}

/// SDK task → owned task. Timestamps become ISO-8601 strings like the events carry.
pub fn task_from_sdk(t: &aws_sdk_ecs::types::Task) -> Task {
    let time = |d: Option<&DateTime>| d.and_then(|d| d.fmt(DateTimeFormat::DateTime).ok());
    Task {
        task_arn: t.task_arn().unwrap_or_default().to_string(),
        task_definition_arn: t.task_definition_arn().map(str::to_string),
        group: t.group().map(str::to_string),
        started_by: t.started_by().map(str::to_string),
        launch_type: t.launch_type().map(|l| LaunchType::parse(l.as_str())),
        capacity_provider: t.capacity_provider_name().map(str::to_string),
        platform_version: t.platform_version().map(str::to_string),
        last_status: t.last_status().map(str::to_string),
        desired_status: t.desired_status().map(str::to_string),
        stop_code: t.stop_code().map(|c| c.as_str().to_string()),
        stopped_reason: t.stopped_reason().map(str::to_string),
        health_status: t.health_status().map(|h| h.as_str().to_string()),
        availability_zone: t.availability_zone().map(str::to_string),
        cpu: t.cpu().map(str::to_string),
        memory: t.memory().map(str::to_string),
        cpu_architecture: t
            .attributes()
            .iter()
            .find(|a| a.name() == "ecs.cpu-architecture")
            .and_then(|a| a.value().map(str::to_string)),
        container_instance_arn: t.container_instance_arn().map(str::to_string),
        version: Some(t.version()).filter(|v| *v != 0),
        timestamps: Timestamps {
            created_at: time(t.created_at()),
            pull_started_at: time(t.pull_started_at()),
            pull_stopped_at: time(t.pull_stopped_at()),
            started_at: time(t.started_at()),
            stopping_at: time(t.stopping_at()),
            execution_stopped_at: time(t.execution_stopped_at()),
            stopped_at: time(t.stopped_at()),
        },
        attachments: t
            .attachments()
            .iter()
            .map(|a| Attachment {
                kind: a.r#type().unwrap_or_default().to_string(),
                status: a.status().map(str::to_string),
                details: a
                    .details()
                    .iter()
                    .filter_map(|kv| Some((kv.name()?.to_string(), kv.value().unwrap_or_default().to_string())))
                    .collect(),
            })
            .collect(),
        containers: t
            .containers()
            .iter()
            .enumerate()
            .map(|(i, c)| Container {
                name: c.name().map_or_else(|| format!("container-{}", i + 1), str::to_string),
                image: c.image().map(str::to_string),
                last_status: c.last_status().map(str::to_string),
                exit_code: c.exit_code().map(i64::from),
                reason: c.reason().map(str::to_string),
                health_status: c.health_status().map(|h| h.as_str().to_string()),
                memory: c.memory().map(str::to_string),
                memory_reservation: c.memory_reservation().map(str::to_string),
            })
            .collect(),
        tags: t
            .tags()
            .iter()
            .filter_map(|tag| Some((tag.key()?.to_string(), tag.value().unwrap_or_default().to_string())))
            .collect(),
    }
}
