//! `ecs:DescribeTasks` through the AWS SDK, converted to the owned [`Task`].

mod reader;
pub mod stopped_tasks;

pub use reader::{
    instance_from_sdk, service_from_sdk, Backoff, ClusterReads, DeploymentState, EcsReader, Listed, ScanError,
    ServiceDeploymentRecord, ServiceEventRecord, ServiceState, TaskPage, DESCRIBE_INSTANCES_BATCH,
    DESCRIBE_SERVICES_BATCH, DESCRIBE_TASKS_BATCH,
};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_ecs::primitives::{DateTime, DateTimeFormat};
use aws_sdk_ecs::types::{ServiceField, TaskDefinitionField, TaskField};

use super::error::classify;
use super::{DescribedTask, EnrichError, Logs, TaskSource};
use crate::incident::{
    ApiFailure, Attachment, Container, ContainerDefinition, EfsVolume, HealthCheck, LaunchType, MountPoint,
    PortMapping, SecretRef, Task, TaskDefinition, Timestamps, Volume,
};
use crate::redact::{clean, redact};

/// Task definition revisions never change, so a warm Lambda keeps the ones it has read.
const CACHE_ENTRIES: usize = 256;

/// Log options that say where logs go; other options (and `secretOptions`) are not kept.
const LOCATION_OPTIONS: &[&str] = &[
    "awslogs-group",
    "awslogs-region",
    "awslogs-stream-prefix",
    "awslogs-create-group",
    "Name",
    "region",
    "log_group_name",
    "delivery_stream",
];

#[derive(Debug, Clone)]
pub struct EcsTasks {
    client: aws_sdk_ecs::Client,
    logs: Logs,
    definitions: Arc<Mutex<HashMap<String, TaskDefinition>>>,
    cluster: Arc<EcsReader>,
}

/// DescribeTasks batches in flight at once when a deployment's stopped tasks are read.
const CLUSTER_READ_CONCURRENCY: usize = 4;

impl EcsTasks {
    pub fn new(client: aws_sdk_ecs::Client, logs: Logs) -> Self {
        Self {
            cluster: Arc::new(EcsReader::new(
                client.clone(),
                CLUSTER_READ_CONCURRENCY,
                Backoff::default(),
            )),
            client,
            logs,
            definitions: Arc::default(),
        }
    }

    fn cached(&self, arn: &str) -> Option<TaskDefinition> {
        self.definitions.lock().ok()?.get(arn).cloned()
    }

    fn remember(&self, definition: &TaskDefinition) {
        if let Ok(mut cache) = self.definitions.lock() {
            if cache.len() >= CACHE_ENTRIES {
                cache.clear();
            }
            cache.insert(definition.arn.clone(), definition.clone());
        }
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
            .map_err(|e| classify("ecs:DescribeTasks", e))?;
        Ok(DescribedTask {
            task: output.tasks().first().map(task_from_sdk),
            failures: output
                .failures()
                .iter()
                .map(|f| ApiFailure {
                    action: Some("DescribeTasks".to_string()),
                    arn: f.arn().map(str::to_string),
                    reason: clean(f.reason().unwrap_or_default()),
                    detail: f.detail().map(clean),
                })
                .collect(),
        })
    }

    async fn describe_task_definition(&self, arn: &str) -> Result<TaskDefinition, EnrichError> {
        if let Some(definition) = self.cached(arn) {
            return Ok(definition);
        }
        let output = self
            .client
            .describe_task_definition()
            .task_definition(arn)
            .include(TaskDefinitionField::Tags)
            .send()
            .await
            .map_err(|e| classify("ecs:DescribeTaskDefinition", e))?;
        let mut definition = output
            .task_definition()
            .map(task_definition_from_sdk)
            .ok_or_else(|| EnrichError::NotFound(format!("no task definition in the response for {arn}")))?;
        definition.tags = sdk_tags(output.tags());
        self.remember(&definition);
        Ok(definition)
    }

    async fn log_tail(&self, group: &str, stream: &str, lines: usize) -> Result<Vec<String>, EnrichError> {
        self.logs.tail(group, stream, lines).await
    }

    type Reads = EcsReader;

    fn cluster_reads(&self) -> Arc<EcsReader> {
        self.cluster.clone()
    }

    async fn service_tags(&self, cluster: &str, service: &str) -> Result<Vec<(String, String)>, EnrichError> {
        let output = self
            .client
            .describe_services()
            .cluster(cluster)
            .services(service)
            .include(ServiceField::Tags)
            .send()
            .await
            .map_err(|e| classify("ecs:DescribeServices", e))?;
        Ok(output
            .services()
            .first()
            .map(|s| sdk_tags(s.tags()))
            .unwrap_or_default())
    }
}

fn sdk_tags(tags: &[aws_sdk_ecs::types::Tag]) -> Vec<(String, String)> {
    tags.iter()
        .filter_map(|tag| Some((tag.key()?.to_string(), tag.value().unwrap_or_default().to_string())))
        .collect()
}

/// SDK task definition → what ecs-doctor keeps. Environment values and commands are dropped
/// here, at the edge, so they cannot reach a message or a log; of secrets only the references
/// (`valueFrom`) are kept, which is all a task definition ever holds.
pub fn task_definition_from_sdk(d: &aws_sdk_ecs::types::TaskDefinition) -> TaskDefinition {
    TaskDefinition {
        arn: d.task_definition_arn().unwrap_or_default().to_string(),
        cpu: d.cpu().map(str::to_string),
        memory: d.memory().map(str::to_string),
        network_mode: d.network_mode().map(|m| m.as_str().to_string()),
        execution_role_arn: d.execution_role_arn().map(str::to_string),
        task_role_arn: d.task_role_arn().map(str::to_string),
        cpu_architecture: d
            .runtime_platform()
            .and_then(|p| p.cpu_architecture())
            .map(|a| a.as_str().to_string()),
        operating_system: d
            .runtime_platform()
            .and_then(|p| p.operating_system_family())
            .map(|o| o.as_str().to_string()),
        family: d.family().map(str::to_string),
        revision: Some(i64::from(d.revision())).filter(|r| *r > 0),
        requires_compatibilities: d
            .requires_compatibilities()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        volumes: d
            .volumes()
            .iter()
            .map(|v| Volume {
                name: v.name().unwrap_or_default().to_string(),
                efs: v.efs_volume_configuration().map(|e| EfsVolume {
                    file_system_id: e.file_system_id().to_string(),
                    access_point_id: e
                        .authorization_config()
                        .and_then(|a| a.access_point_id())
                        .map(str::to_string),
                    root_directory: e.root_directory().map(str::to_string),
                    transit_encryption: e.transit_encryption().map(|t| t.as_str().to_string()),
                    iam: e
                        .authorization_config()
                        .and_then(|a| a.iam())
                        .map(|i| i.as_str().to_string()),
                }),
                host_path: v.host().and_then(|h| h.source_path()).map(str::to_string),
                docker_driver: v
                    .docker_volume_configuration()
                    .and_then(|d| d.driver())
                    .map(str::to_string),
            })
            .collect(),
        containers: d
            .container_definitions()
            .iter()
            .map(|c| ContainerDefinition {
                name: c.name().unwrap_or_default().to_string(),
                image: c.image().map(str::to_string),
                memory: c.memory().map(i64::from),
                memory_reservation: c.memory_reservation().map(i64::from),
                cpu: Some(i64::from(c.cpu())).filter(|cpu| *cpu > 0),
                essential: c.essential(),
                health_check: c.health_check().map(|h| HealthCheck {
                    command: redact_command(h.command()),
                    interval: h.interval().map(i64::from),
                    timeout: h.timeout().map(i64::from),
                    retries: h.retries().map(i64::from),
                    start_period: h.start_period().map(i64::from),
                }),
                log_driver: c.log_configuration().map(|l| l.log_driver().as_str().to_string()),
                log_options: c
                    .log_configuration()
                    .and_then(|l| l.options())
                    .map(|options| {
                        let mut kept: Vec<(String, String)> = options
                            .iter()
                            .filter(|(k, _)| LOCATION_OPTIONS.contains(&k.as_str()))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        kept.sort();
                        kept
                    })
                    .unwrap_or_default(),
                stop_timeout: c.stop_timeout().map(i64::from),
                secrets: c
                    .secrets()
                    .iter()
                    .map(|s| SecretRef {
                        name: s.name().to_string(),
                        value_from: s.value_from().to_string(),
                    })
                    .collect(),
                environment_files: c.environment_files().iter().map(|f| f.value().to_string()).collect(),
                port_mappings: c
                    .port_mappings()
                    .iter()
                    .map(|p| PortMapping {
                        container_port: p.container_port().map(i64::from),
                        host_port: p.host_port().map(i64::from),
                        protocol: p.protocol().map(|p| p.as_str().to_string()),
                    })
                    .collect(),
                mount_points: c
                    .mount_points()
                    .iter()
                    .map(|m| MountPoint {
                        source_volume: m.source_volume().unwrap_or_default().to_string(),
                        container_path: m.container_path().unwrap_or_default().to_string(),
                    })
                    .collect(),
                command_hash: crate::changes::hash_words(c.command()),
                entry_point_hash: crate::changes::hash_words(c.entry_point()),
            })
            .collect(),
        tags: Vec::new(),
        registered_at: d.registered_at().and_then(|t| t.fmt(DateTimeFormat::DateTime).ok()),
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
        stopped_reason: t.stopped_reason().map(clean),
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
                reason: c.reason().map(clean),
                health_status: c.health_status().map(|h| h.as_str().to_string()),
                memory: c.memory().map(str::to_string),
                memory_reservation: c.memory_reservation().map(str::to_string),
            })
            .collect(),
        tags: sdk_tags(t.tags()),
    }
}

/// A health-check command with its credentials redacted. Redacted as one line, because a
/// password is often a part of its own (`["CMD", "mysqladmin", "-p", "pw", "ping"]`) that only
/// the part before it shows to be one; the `CMD`/`CMD-SHELL` marker stays a part of its own.
fn redact_command(parts: &[String]) -> Vec<String> {
    let (marker, rest) = match parts.split_first() {
        Some((first, rest)) if first == "CMD" || first == "CMD-SHELL" => (Some(first.clone()), rest),
        _ => (None, parts),
    };
    let joined = rest.join(" ");
    let redacted = redact(&joined);
    let rest: Vec<String> = if redacted == joined {
        rest.to_vec()
    } else {
        vec![redacted]
    };
    marker.into_iter().chain(rest).collect()
}
