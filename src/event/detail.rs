//! Wire types for the `detail` of each ECS event kind (camelCase, lenient), and their
//! conversion into the owned [`Incident`] facts. `aws_lambda_events` has no ECS types.

use serde::Deserialize;
use serde_json::Value;

use super::lenient::{integer, null_default, text, timestamp};
use crate::incident::{
    ApiFailure, Attachment, Container, ContainerInstance, Hook, LaunchType, ServiceEvent, Task, Timestamps,
};

/// `ECS Task State Change` detail; also one element of `aws ecs describe-tasks` `tasks[]`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDetail {
    pub task_arn: String,
    #[serde(default)]
    pub cluster_arn: Option<String>,
    #[serde(default)]
    pub task_definition_arn: Option<String>,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub started_by: Option<String>,
    #[serde(default)]
    pub launch_type: Option<String>,
    #[serde(default)]
    pub capacity_provider_name: Option<String>,
    #[serde(default)]
    pub platform_version: Option<String>,
    #[serde(default)]
    pub last_status: Option<String>,
    #[serde(default)]
    pub desired_status: Option<String>,
    #[serde(default)]
    pub stop_code: Option<String>,
    #[serde(default)]
    pub stopped_reason: Option<String>,
    #[serde(default)]
    pub health_status: Option<String>,
    #[serde(default)]
    pub availability_zone: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub cpu: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub memory: Option<String>,
    #[serde(default)]
    pub container_instance_arn: Option<String>,
    #[serde(default, deserialize_with = "integer")]
    pub version: Option<i64>,
    #[serde(default, deserialize_with = "timestamp")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub pull_started_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub pull_stopped_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub started_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub stopping_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub execution_stopped_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub stopped_at: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub attachments: Vec<AttachmentDetail>,
    #[serde(default, deserialize_with = "null_default")]
    pub attributes: Vec<NameValue>,
    #[serde(default, deserialize_with = "null_default")]
    pub containers: Vec<ContainerDetail>,
    #[serde(default, deserialize_with = "null_default")]
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentDetail {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub details: Vec<NameValue>,
}

#[derive(Debug, Deserialize)]
pub struct NameValue {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Tag {
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDetail {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub last_status: Option<String>,
    #[serde(default, deserialize_with = "integer")]
    pub exit_code: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub health_status: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub memory: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub memory_reservation: Option<String>,
}

impl From<TaskDetail> for Task {
    fn from(d: TaskDetail) -> Self {
        let cpu_architecture = d
            .attributes
            .iter()
            .find(|a| a.name.as_deref() == Some("ecs.cpu-architecture"))
            .and_then(|a| a.value.clone());
        Task {
            task_arn: d.task_arn,
            task_definition_arn: d.task_definition_arn,
            group: d.group,
            started_by: d.started_by,
            launch_type: d.launch_type.as_deref().map(LaunchType::parse),
            capacity_provider: d.capacity_provider_name,
            platform_version: d.platform_version,
            last_status: d.last_status,
            desired_status: d.desired_status,
            stop_code: d.stop_code,
            stopped_reason: d.stopped_reason,
            health_status: d.health_status,
            availability_zone: d.availability_zone,
            cpu: d.cpu,
            memory: d.memory,
            cpu_architecture,
            container_instance_arn: d.container_instance_arn,
            version: d.version,
            timestamps: Timestamps {
                created_at: d.created_at,
                pull_started_at: d.pull_started_at,
                pull_stopped_at: d.pull_stopped_at,
                started_at: d.started_at,
                stopping_at: d.stopping_at,
                execution_stopped_at: d.execution_stopped_at,
                stopped_at: d.stopped_at,
            },
            attachments: d
                .attachments
                .into_iter()
                .map(|a| Attachment {
                    kind: a.kind.unwrap_or_default(),
                    status: a.status,
                    details: a
                        .details
                        .into_iter()
                        .filter_map(|nv| Some((nv.name?, nv.value.unwrap_or_default())))
                        .collect(),
                })
                .collect(),
            containers: d
                .containers
                .into_iter()
                .enumerate()
                .map(|(i, c)| Container {
                    name: c.name.unwrap_or_else(|| format!("container-{}", i + 1)),
                    image: c.image,
                    last_status: c.last_status,
                    exit_code: c.exit_code,
                    reason: c.reason,
                    health_status: c.health_status,
                    memory: c.memory,
                    memory_reservation: c.memory_reservation,
                })
                .collect(),
            tags: d
                .tags
                .into_iter()
                .filter_map(|t| Some((t.key?, t.value.unwrap_or_default())))
                .collect(),
        }
    }
}

/// `ECS Service Action` and `ECS Deployment State Change` detail (they share their shape).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDetail {
    #[serde(default)]
    pub event_type: Option<String>,
    pub event_name: String,
    #[serde(default)]
    pub cluster_arn: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub deployment_id: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub capacity_provider_arns: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub container_instance_arns: Vec<String>,
    #[serde(default)]
    pub task_arn: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub updated_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub created_at: Option<String>,
}

impl ServiceDetail {
    pub fn into_event(self, service_arn: Option<String>) -> ServiceEvent {
        ServiceEvent {
            event_type: self.event_type.unwrap_or_default(),
            event_name: self.event_name,
            service_arn,
            reason: self.reason,
            deployment_id: self.deployment_id,
            capacity_provider_arns: self.capacity_provider_arns,
            container_instance_arns: self.container_instance_arns,
            task_arn: self.task_arn,
            updated_at: self.updated_at.or(self.created_at),
            hook: None,
        }
    }
}

/// `ECS Hook State Change` detail: a lifecycle or pause hook of a service deployment.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HookDetail {
    #[serde(default)]
    pub event_type: Option<String>,
    pub event_name: String,
    #[serde(default)]
    pub cluster_arn: Option<String>,
    #[serde(default)]
    pub service_arn: Option<String>,
    #[serde(default)]
    pub service_deployment_arn: Option<String>,
    #[serde(default)]
    pub hook_id: Option<String>,
    #[serde(default)]
    pub hook_type: Option<String>,
    #[serde(default)]
    pub lifecycle_stage: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub expires_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub updated_at: Option<String>,
    /// Not in the documented example; read when ECS sends one.
    #[serde(default, alias = "statusReason")]
    pub reason: Option<String>,
}

impl HookDetail {
    /// The hook as a service event of its service; the deployment ARN from `resources` when the
    /// detail leaves it out.
    pub fn into_event(self, resources: &[String]) -> ServiceEvent {
        let deployment = self
            .service_deployment_arn
            .or_else(|| resources.iter().find(|r| r.contains(":service-deployment/")).cloned());
        // A service deployment ARN names the service: …:service-deployment/<cluster>/<service>/<id>.
        let service_arn = self.service_arn.or_else(|| {
            let arn = deployment.as_deref()?;
            let (head, rest) = arn.split_once(":service-deployment/")?;
            let mut parts = rest.split('/');
            Some(format!("{head}:service/{}/{}", parts.next()?, parts.next()?))
        });
        ServiceEvent {
            event_type: self.event_type.unwrap_or_default(),
            event_name: self.event_name,
            service_arn,
            reason: self.reason,
            updated_at: self.updated_at,
            hook: Some(Hook {
                hook_id: self.hook_id,
                hook_type: self.hook_type,
                lifecycle_stage: self.lifecycle_stage,
                expires_at: self.expires_at,
                service_deployment_arn: deployment,
            }),
            ..ServiceEvent::default()
        }
    }
}

/// `ECS Container Instance State Change` detail.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InstanceDetail {
    pub container_instance_arn: String,
    #[serde(default)]
    pub cluster_arn: Option<String>,
    #[serde(default)]
    pub ec2_instance_id: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub status_reason: Option<String>,
    #[serde(default)]
    pub agent_connected: Option<bool>,
    #[serde(default)]
    pub version_info: Option<VersionInfo>,
    #[serde(default, deserialize_with = "integer")]
    pub version: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    #[serde(default)]
    pub agent_version: Option<String>,
}

impl From<InstanceDetail> for ContainerInstance {
    fn from(d: InstanceDetail) -> Self {
        ContainerInstance {
            container_instance_arn: d.container_instance_arn,
            ec2_instance_id: d.ec2_instance_id,
            status: d.status,
            status_reason: d.status_reason,
            agent_connected: d.agent_connected,
            agent_version: d.version_info.and_then(|v| v.agent_version),
            version: d.version,
        }
    }
}

/// One element of an ECS API response's `failures` (the `Failure` type).
#[derive(Debug, Deserialize)]
pub struct FailureDetail {
    #[serde(default)]
    pub arn: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub detail: Option<String>,
}

impl FailureDetail {
    pub fn into_failure(self, action: Option<&str>) -> ApiFailure {
        ApiFailure {
            action: action.map(str::to_string),
            arn: self.arn,
            reason: self.reason.unwrap_or_default(),
            detail: self.detail,
        }
    }
}

/// `AWS API Call via CloudTrail` detail, as far as ecs-doctor reads it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailDetail {
    pub event_source: String,
    pub event_name: String,
    #[serde(default)]
    pub aws_region: Option<String>,
    /// Kept whole: the cluster is read from it, and the allowlisted identifiers of a failed call.
    #[serde(default)]
    pub request_parameters: Option<Value>,
    #[serde(default)]
    pub response_elements: Option<CloudTrailResponse>,
    #[serde(default, deserialize_with = "text")]
    pub error_code: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub error_message: Option<String>,
    #[serde(default)]
    pub user_identity: Option<Value>,
}

impl CloudTrailDetail {
    /// The request's `cluster`, when it names one.
    pub fn cluster(&self) -> Option<String> {
        let cluster = self.request_parameters.as_ref()?.get("cluster")?;
        text(cluster.clone()).ok().flatten()
    }

    /// Who made the call (see [`crate::redact::caller`]).
    pub fn caller(&self) -> Option<String> {
        self.user_identity.as_ref().and_then(crate::redact::caller)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CloudTrailResponse {
    #[serde(default, deserialize_with = "null_default")]
    pub failures: Vec<FailureDetail>,
}

/// `aws ecs describe-tasks` output.
#[derive(Debug, Deserialize)]
pub struct DescribeTasksOutput {
    #[serde(default, deserialize_with = "null_default")]
    pub tasks: Vec<TaskDetail>,
    #[serde(default, deserialize_with = "null_default")]
    pub failures: Vec<FailureDetail>,
}
