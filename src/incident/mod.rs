//! The facts of one failure, owned and free of SDK and serde-wire types.
//!
//! Every input (an EventBridge event, `aws ecs describe-tasks` output, a bare reason string)
//! decodes into an [`Incident`]; enrichment adds to it; the diagnosis engine only reads it.

mod arn;
mod note;
mod place;

pub use arn::{account_of, arn_name, region_of, ArnParts};
pub use note::{Note, Part};
pub use place::Place;

use serde::Serialize;

/// What kind of input an incident came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    #[default]
    TaskStateChange,
    ServiceAction,
    DeploymentStateChange,
    /// An `ECS Hook State Change` event (a lifecycle or pause hook of a service deployment).
    HookStateChange,
    ContainerInstanceStateChange,
    /// An `AWS API Call via CloudTrail` event with `responseElements.failures`, or a failed
    /// call (`errorCode`).
    ApiCall,
    /// The JSON output of `aws ecs describe-tasks`.
    DescribeTasksOutput,
    /// A bare reason string (`ecs-doctor explain --text`).
    Text,
}

/// One failure to explain.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incident {
    pub source: Source,
    /// EventBridge `id`; the key for idempotency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The account's alias (`iam:ListAccountAliases`), when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Cluster ARN (or name, when only that is known).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_event: Option<ServiceEvent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_instance: Option<ContainerInstance>,
    /// `failures[]` from an API response (CloudTrail event, describe-tasks output, or our own
    /// DescribeTasks call during enrichment).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub api_failures: Vec<ApiFailure>,
    /// A write call that ECS refused (CloudTrail `errorCode`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_error: Option<ApiError>,
    /// The task definition revision the task ran (from `ecs:DescribeTaskDefinition`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_definition: Option<TaskDefinition>,
    /// The last lines of the logs of containers that failed (awslogs driver), redacted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_tails: Vec<LogTail>,
    /// A bare reason string given on the command line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Tags of the task's service (`ecs:DescribeServices`), for routing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub service_tags: Vec<(String, String)>,
    /// Things the operator should know about how the diagnosis was made (e.g. enrichment failed).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

impl Incident {
    /// The value of tag `name` for this incident: the task's own tag first, then the service's,
    /// then the task definition's.
    pub fn tag(&self, name: &str) -> Option<&str> {
        let task = self.task.as_ref().map(|t| t.tags.as_slice()).unwrap_or_default();
        let definition = self
            .task_definition
            .as_ref()
            .map(|d| d.tags.as_slice())
            .unwrap_or_default();
        [task, self.service_tags.as_slice(), definition]
            .into_iter()
            .flatten()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Launch type as ECS reports it; anything else is kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LaunchType {
    Fargate,
    Ec2,
    External,
    #[serde(untagged)]
    Other(String),
}

impl LaunchType {
    pub fn parse(value: &str) -> Self {
        match value.to_ascii_uppercase().as_str() {
            "FARGATE" => Self::Fargate,
            "EC2" => Self::Ec2,
            "EXTERNAL" => Self::External,
            _ => Self::Other(value.to_string()),
        }
    }
    pub fn as_str(&self) -> &str {
        match self {
            Self::Fargate => "FARGATE",
            Self::Ec2 => "EC2",
            Self::External => "EXTERNAL",
            Self::Other(s) => s,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub task_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_definition_arn: Option<String>,
    /// `service:<name>` or `family:<name>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub launch_type: Option<LaunchType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_status: Option<String>,
    /// Kept as text: ECS adds values (e.g. `InfrastructureHealth`) before SDKs know them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_instance_arn: Option<String>,
    /// `detail.version`: grows with each change of the task; duplicates repeat it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub timestamps: Timestamps,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    pub containers: Vec<Container>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
}

impl Task {
    /// The service name when the task belongs to one (`group` = `service:<name>`).
    pub fn service_name(&self) -> Option<&str> {
        self.group.as_deref()?.strip_prefix("service:")
    }

    /// The task definition family, from `family:<name>` or the task definition ARN.
    pub fn family(&self) -> Option<&str> {
        if let Some(family) = self.group.as_deref().and_then(|g| g.strip_prefix("family:")) {
            return Some(family);
        }
        let arn = self.task_definition_arn.as_deref()?;
        let name = arn.rsplit('/').next()?;
        Some(name.split(':').next().unwrap_or(name))
    }

    /// The task id: the last path segment of the task ARN.
    pub fn task_id(&self) -> &str {
        self.task_arn.rsplit('/').next().unwrap_or(&self.task_arn)
    }

    /// True when the task used awsvpc networking (it then has an `eni` attachment).
    pub fn uses_awsvpc(&self) -> bool {
        self.attachments
            .iter()
            .any(|a| a.kind.eq_ignore_ascii_case("eni") || a.kind.eq_ignore_ascii_case("ElasticNetworkInterface"))
    }

    /// A stop was asked for (StopTask, scheduler, Spot) before the containers ended.
    pub fn stop_requested(&self) -> bool {
        matches!(
            self.stop_code.as_deref(),
            Some("UserInitiated" | "ServiceSchedulerInitiated" | "SpotInterruption" | "TerminationNotice")
        )
    }

    pub fn attachment_detail(&self, name: &str) -> Option<&str> {
        self.attachments
            .iter()
            .flat_map(|a| a.details.iter())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timestamps {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pull_stopped_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopping_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_stopped_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub details: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Container {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_status: Option<String>,
    /// Hard memory limit (MiB) as reported for the container, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<String>,
}

/// An `ECS Service Action` or `ECS Deployment State Change` event.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    /// INFO, WARN or ERROR.
    pub event_type: String,
    pub event_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capacity_provider_arns: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub container_instance_arns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// The lifecycle or pause hook of an `ECS Hook State Change` event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook: Option<Hook>,
}

/// A deployment lifecycle hook as an `ECS Hook State Change` event reports it.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hook {
    /// `ecs-pause-…`: what `continue-service-deployment --hook-id` takes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook_id: Option<String>,
    /// `PAUSE` or `AWS_LAMBDA`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook_type: Option<String>,
    /// `TEST_TRAFFIC_SHIFT`, `POST_SCALE_UP`, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle_stage: Option<String>,
    /// When a pause ends on its own (then the hook's timeout action, by default a rollback).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_deployment_arn: Option<String>,
}

impl ServiceEvent {
    pub fn service_name(&self) -> Option<&str> {
        self.service_arn.as_deref()?.rsplit('/').next()
    }
}

/// An `ECS Container Instance State Change` event.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerInstance {
    pub container_instance_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ec2_instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_connected: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// One entry of an API response's `failures` array (the ECS `Failure` type).
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiFailure {
    /// The API action that returned it (RunTask, DescribeTasks, …), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arn: Option<String>,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A call to the ECS API that failed (CloudTrail `errorCode`, `errorMessage`). It created
/// nothing, so the call is all there is to explain.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The API action (`CreateService`, `RunTask`, …).
    pub action: String,
    /// `errorCode` (`InvalidParameterException`, …).
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `code: message`, the text the rules read.
    pub reason: String,
    /// Who called: the principal's ARN, else its id, the service that called for it, or its type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<String>,
    /// What the request named (`cluster=prod`, `serviceName=web`): allowlisted identifiers only,
    /// never values such as environment variables.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub request: Vec<String>,
}

impl ApiError {
    pub fn new(action: &str, code: &str, message: Option<&str>) -> ApiError {
        let message = message.map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
        let reason = match &message {
            Some(m) => format!("{code}: {m}"),
            None => code.to_string(),
        };
        ApiError {
            action: action.to_string(),
            code: code.to_string(),
            message,
            reason,
            ..ApiError::default()
        }
    }

    /// The value of one identifier of the request (`serviceName`, `taskDefinition`, …).
    pub fn named(&self, key: &str) -> Option<&str> {
        self.request
            .iter()
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
    }
}

/// What ecs-doctor keeps of a task definition: sizes, roles, health checks and where logs go.
/// Environment variables, secrets and commands are never read.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinition {
    pub arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<i64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<Volume>,
    pub containers: Vec<ContainerDefinition>,
    /// The task definition's tags (for routing).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// When this revision was registered (ISO-8601), for "what changed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<String>,
}

impl TaskDefinition {
    pub fn container(&self, name: &str) -> Option<&ContainerDefinition> {
        self.containers.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Hard limit, MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// Soft limit, MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_driver: Option<String>,
    /// Only the options that say where logs go (`awslogs-group`, `-region`, `-stream-prefix`, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub log_options: Vec<(String, String)>,
    /// Seconds between SIGTERM and SIGKILL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stop_timeout: Option<i64>,
    /// Where each secret comes from: names and ARNs only; a value is never in a task definition.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<SecretRef>,
    /// S3 ARNs of `environmentFiles` (the files' contents are never read).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub environment_files: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mount_points: Vec<MountPoint>,
    /// A hash of `command` / `entryPoint`: enough to say they changed, never what they say
    /// (a command can carry a token). Never serialised.
    #[serde(skip)]
    pub command_hash: Option<u64>,
    #[serde(skip)]
    pub entry_point_hash: Option<u64>,
}

/// One `secrets[]` entry of a container definition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretRef {
    /// The environment variable the secret is exposed as.
    pub name: String,
    /// Secrets Manager ARN (optionally `:json-key:version-stage:version-id`) or SSM parameter ARN/name.
    pub value_from: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MountPoint {
    pub source_volume: String,
    pub container_path: String,
}

/// A task definition volume: what backs it (EFS, a host path, a Docker volume driver).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volume {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub efs: Option<EfsVolume>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub docker_driver: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EfsVolume {
    pub file_system_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_point_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_directory: Option<String>,
    /// `ENABLED` / `DISABLED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_encryption: Option<String>,
    /// IAM authorisation (`ENABLED` / `DISABLED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iam: Option<String>,
}

impl ContainerDefinition {
    pub fn log_option(&self, name: &str) -> Option<&str> {
        self.log_options
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    /// Redacted: a health check command may carry a token.
    pub command: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_period: Option<i64>,
}

/// The last lines a container wrote before it stopped.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogTail {
    pub container: String,
    pub log_group: String,
    pub log_stream: String,
    pub lines: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_from_group_or_arn() {
        let mut task = Task {
            task_definition_arn: Some("arn:aws:ecs:us-east-1:1:task-definition/web:42".into()),
            ..Task::default()
        };
        assert_eq!(task.family(), Some("web"));
        task.group = Some("family:batch".into());
        assert_eq!(task.family(), Some("batch"));
        task.group = Some("service:api".into());
        assert_eq!(task.service_name(), Some("api"));
    }
}
