//! A task definition from a file: the input of `aws ecs register-task-definition
//! --cli-input-json` or the output of `aws ecs describe-task-definition`, decoded into the same
//! [`TaskDefinition`] the verify stage reads from the ECS API.
//!
//! Only what the checks need is read. Environment values, commands and entry points are never
//! decoded, and a health check command keeps its first word only (the rest may carry a token).
//! Unknown fields are ignored (ECS adds them); a field of the wrong type is an error that names it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::incident::{
    ContainerDefinition, EfsVolume, HealthCheck, MountPoint, PortMapping, SecretRef, TaskDefinition, Volume,
};

/// Why a file is not a task definition: one line, naming what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum DefinitionError {
    #[error("the file is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    #[error("the file is neither register-task-definition input nor describe-task-definition output: it has no `containerDefinitions`")]
    NoContainers,
    #[error("`{field}` {problem}")]
    Field { field: String, problem: String },
}

/// Decodes `bytes` (either shape) into a [`TaskDefinition`].
pub fn parse(bytes: &[u8]) -> Result<TaskDefinition, DefinitionError> {
    let value: Value = serde_json::from_slice(bytes).map_err(DefinitionError::NotJson)?;
    // describe-task-definition wraps the definition; register input is the definition itself.
    let (body, prefix) = match value.get("taskDefinition") {
        Some(inner) if inner.is_object() => (inner.clone(), "taskDefinition."),
        _ => (value, ""),
    };
    if !body.is_object() {
        return Err(DefinitionError::NoContainers);
    }
    match body.get("containerDefinitions") {
        Some(Value::Array(list)) if !list.is_empty() => {}
        Some(Value::Array(_)) => {
            return Err(DefinitionError::Field {
                field: format!("{prefix}containerDefinitions"),
                problem: "is empty: a task definition needs at least one container".into(),
            })
        }
        Some(_) => {
            return Err(DefinitionError::Field {
                field: format!("{prefix}containerDefinitions"),
                problem: "is not a list".into(),
            })
        }
        None => return Err(DefinitionError::NoContainers),
    }
    let raw: RawDefinition =
        serde_json::from_value(body).map_err(|e| field_error(format!("{prefix}(task definition)"), &e))?;
    raw.into_definition(prefix)
}

/// serde's message names the type it wanted; the field says where (the definition, or one
/// container of it).
fn field_error(field: String, err: &serde_json::Error) -> DefinitionError {
    DefinitionError::Field {
        field,
        problem: format!("has a value of the wrong type ({err})"),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDefinition {
    #[serde(default)]
    task_definition_arn: Option<String>,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    revision: Option<i64>,
    /// A string in both shapes, but people write numbers too.
    #[serde(default)]
    cpu: Option<Value>,
    #[serde(default)]
    memory: Option<Value>,
    #[serde(default)]
    network_mode: Option<String>,
    #[serde(default)]
    execution_role_arn: Option<String>,
    #[serde(default)]
    task_role_arn: Option<String>,
    #[serde(default)]
    requires_compatibilities: Vec<String>,
    #[serde(default)]
    runtime_platform: Option<RawPlatform>,
    #[serde(default)]
    volumes: Vec<RawVolume>,
    /// Decoded one by one, so that an error names its container.
    container_definitions: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPlatform {
    #[serde(default)]
    cpu_architecture: Option<String>,
    #[serde(default)]
    operating_system_family: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawVolume {
    #[serde(default)]
    name: String,
    #[serde(default)]
    efs_volume_configuration: Option<RawEfs>,
    #[serde(default)]
    host: Option<RawHost>,
    #[serde(default)]
    docker_volume_configuration: Option<RawDocker>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEfs {
    file_system_id: String,
    #[serde(default)]
    root_directory: Option<String>,
    #[serde(default)]
    transit_encryption: Option<String>,
    #[serde(default)]
    authorization_config: Option<RawEfsAuth>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEfsAuth {
    #[serde(default)]
    access_point_id: Option<String>,
    #[serde(default)]
    iam: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHost {
    #[serde(default)]
    source_path: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDocker {
    #[serde(default)]
    driver: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContainer {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    memory: Option<i64>,
    #[serde(default)]
    memory_reservation: Option<i64>,
    #[serde(default)]
    cpu: Option<i64>,
    #[serde(default)]
    essential: Option<bool>,
    #[serde(default)]
    health_check: Option<RawHealthCheck>,
    #[serde(default)]
    log_configuration: Option<RawLog>,
    #[serde(default)]
    stop_timeout: Option<i64>,
    #[serde(default)]
    secrets: Vec<RawSecret>,
    #[serde(default)]
    environment_files: Vec<RawFile>,
    #[serde(default)]
    port_mappings: Vec<RawPort>,
    #[serde(default)]
    mount_points: Vec<RawMount>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHealthCheck {
    #[serde(default)]
    command: Vec<String>,
    #[serde(default)]
    interval: Option<i64>,
    #[serde(default)]
    timeout: Option<i64>,
    #[serde(default)]
    retries: Option<i64>,
    #[serde(default)]
    start_period: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLog {
    #[serde(default)]
    log_driver: Option<String>,
    #[serde(default)]
    options: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSecret {
    #[serde(default)]
    name: String,
    #[serde(default)]
    value_from: String,
}

#[derive(Deserialize)]
struct RawFile {
    #[serde(default)]
    value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPort {
    #[serde(default)]
    container_port: Option<i64>,
    #[serde(default)]
    host_port: Option<i64>,
    #[serde(default)]
    protocol: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMount {
    #[serde(default)]
    source_volume: String,
    #[serde(default)]
    container_path: String,
}

/// The log options that say where logs go; the others (tags, buffer sizes) are not needed.
fn kept_option(name: &str) -> bool {
    name.starts_with("awslogs-")
}

/// A number or a string, as text (`"256"`, `256`, `"1 vCPU"`).
fn size_text(value: Option<Value>, field: String) -> Result<Option<String>, DefinitionError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(DefinitionError::Field {
            field,
            problem: "is neither a number nor a string".into(),
        }),
    }
}

impl RawDefinition {
    fn into_definition(self, prefix: &str) -> Result<TaskDefinition, DefinitionError> {
        let mut containers = Vec::new();
        for (i, value) in self.container_definitions.into_iter().enumerate() {
            let c: RawContainer = serde_json::from_value(value)
                .map_err(|e| field_error(format!("{prefix}containerDefinitions[{i}]"), &e))?;
            let name = c
                .name
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| DefinitionError::Field {
                    field: format!("{prefix}containerDefinitions[{i}].name"),
                    problem: "is missing: every container needs a name".into(),
                })?;
            containers.push(ContainerDefinition {
                name,
                image: c.image,
                memory: c.memory,
                memory_reservation: c.memory_reservation,
                cpu: c.cpu.filter(|cpu| *cpu > 0),
                essential: c.essential,
                health_check: c.health_check.map(|h| HealthCheck {
                    // The first word says the form (CMD, CMD-SHELL); the rest is never kept.
                    command: h
                        .command
                        .iter()
                        .enumerate()
                        .map(|(i, w)| match (i, w.as_str()) {
                            (0, "CMD" | "CMD-SHELL" | "NONE") => w.clone(),
                            _ => "…".into(),
                        })
                        .collect(),
                    interval: h.interval,
                    timeout: h.timeout,
                    retries: h.retries,
                    start_period: h.start_period,
                }),
                log_driver: c.log_configuration.as_ref().and_then(|l| l.log_driver.clone()),
                log_options: c
                    .log_configuration
                    .map(|l| l.options.into_iter().filter(|(k, _)| kept_option(k)).collect())
                    .unwrap_or_default(),
                stop_timeout: c.stop_timeout,
                secrets: c
                    .secrets
                    .into_iter()
                    .map(|s| SecretRef {
                        name: s.name,
                        value_from: s.value_from,
                    })
                    .collect(),
                environment_files: c.environment_files.into_iter().map(|f| f.value).collect(),
                port_mappings: c
                    .port_mappings
                    .into_iter()
                    .map(|p| PortMapping {
                        container_port: p.container_port,
                        host_port: p.host_port,
                        protocol: p.protocol,
                    })
                    .collect(),
                mount_points: c
                    .mount_points
                    .into_iter()
                    .map(|m| MountPoint {
                        source_volume: m.source_volume,
                        container_path: m.container_path,
                    })
                    .collect(),
                command_hash: None,
                entry_point_hash: None,
            });
        }
        Ok(TaskDefinition {
            arn: self.task_definition_arn.unwrap_or_default(),
            cpu: size_text(self.cpu, format!("{prefix}cpu"))?,
            memory: size_text(self.memory, format!("{prefix}memory"))?,
            network_mode: self.network_mode,
            execution_role_arn: self.execution_role_arn.filter(|r| !r.is_empty()),
            task_role_arn: self.task_role_arn.filter(|r| !r.is_empty()),
            cpu_architecture: self.runtime_platform.as_ref().and_then(|p| p.cpu_architecture.clone()),
            operating_system: self.runtime_platform.and_then(|p| p.operating_system_family),
            family: self.family,
            revision: self.revision.filter(|r| *r > 0),
            requires_compatibilities: self.requires_compatibilities,
            volumes: self
                .volumes
                .into_iter()
                .map(|v| Volume {
                    name: v.name,
                    efs: v.efs_volume_configuration.map(|e| EfsVolume {
                        file_system_id: e.file_system_id,
                        access_point_id: e.authorization_config.as_ref().and_then(|a| a.access_point_id.clone()),
                        root_directory: e.root_directory,
                        transit_encryption: e.transit_encryption,
                        iam: e.authorization_config.and_then(|a| a.iam),
                    }),
                    host_path: v.host.and_then(|h| h.source_path),
                    docker_driver: v.docker_volume_configuration.and_then(|d| d.driver),
                })
                .collect(),
            containers,
            tags: Vec::new(),
            registered_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGISTER: &str = r#"{
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": 512, "memory": "1 GB",
        "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
        "containerDefinitions": [{
            "name": "app", "image": "nginx:1.27",
            "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}],
            "healthCheck": {"command": ["CMD-SHELL", "curl -H 'token: abc' localhost"]},
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "tag": "x"}},
            "secrets": [{"name": "DB", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"}],
            "portMappings": [{"containerPort": 80}]
        }]
    }"#;

    #[test]
    fn register_input_decodes_without_values() {
        let d = parse(REGISTER.as_bytes()).expect("a definition");
        assert_eq!(d.family.as_deref(), Some("web"));
        assert_eq!(d.cpu.as_deref(), Some("512"));
        assert_eq!(d.memory.as_deref(), Some("1 GB"));
        let app = &d.containers[0];
        assert_eq!(app.log_option("awslogs-group"), Some("/ecs/web"));
        assert_eq!(app.log_option("tag"), None);
        assert_eq!(app.secrets[0].name, "DB");
        let debug = format!("{d:?}");
        assert!(!debug.contains("hunter2"), "an environment value was kept");
        assert!(!debug.contains("token: abc"), "a health check command was kept");
    }

    #[test]
    fn describe_output_is_unwrapped() {
        let wrapped = format!(r#"{{"taskDefinition": {REGISTER}, "tags": []}}"#);
        let d = parse(wrapped.as_bytes()).expect("a definition");
        assert_eq!(d.containers.len(), 1);
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        let cases = [
            ("{", "not JSON"),
            (r#"{"family": "x"}"#, "containerDefinitions"),
            (r#"{"containerDefinitions": []}"#, "is empty"),
            (
                r#"{"containerDefinitions": [{"image": "x"}]}"#,
                "containerDefinitions[0].name",
            ),
            (
                r#"{"containerDefinitions": [{"name": "a", "memory": "lots"}]}"#,
                "wrong type",
            ),
            (r#"{"cpu": [1], "containerDefinitions": [{"name": "a"}]}"#, "`cpu`"),
            ("[1, 2]", "containerDefinitions"),
        ];
        for (input, needle) in cases {
            let err = parse(input.as_bytes()).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains(needle), "{input}: {err}");
            assert!(!err.contains('\n'), "{err}");
        }
    }
}
