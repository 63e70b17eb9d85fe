//! Enrich: what the event left out, read from the account the task ran in.

use tracing::{info, warn};

use super::log_tail;
use crate::aws::{DescribedTask, EnrichError, TaskSource};
use crate::incident::{arn_name, Incident, Note, Task, TaskDefinition};

/// Adds DescribeTasks and DescribeTaskDefinition detail and the log tails of failed containers
/// to the incident. Never fails: on error the diagnosis goes out with what is known, with a
/// note that says what could not be read and why.
pub async fn enrich<T: TaskSource>(tasks: &T, incident: &mut Incident, log_lines: usize) {
    let Some(task) = &incident.task else { return };
    let Some(cluster) = incident.cluster.clone() else {
        incident.notes.push(Note::NoCluster);
        return;
    };
    let task_arn = task.task_arn.clone();
    let definition_arn = task.task_definition_arn.clone();
    let service = task.service_name().map(str::to_string);
    // The lookups are independent when the event names the task definition and the service.
    let (described, definition, service_tags, alias) = tokio::join!(
        tasks.describe_task(&cluster, &task_arn),
        async {
            match &definition_arn {
                Some(arn) => Some(tasks.describe_task_definition(arn).await),
                None => None,
            }
        },
        async {
            match &service {
                Some(service) => Some(tasks.service_tags(&cluster, service).await),
                None => None,
            }
        },
        tasks.account_alias(),
    );
    if incident.account_alias.is_none() {
        incident.account_alias = alias;
    }
    if let Err(EnrichError::RoleUnavailable { role, detail }) = &described {
        // Every other read of this account would fail the same way: say it once.
        warn!(%task_arn, %role, %detail, "member role unavailable");
        incident.notes.push(Note::MemberRoleUnavailable { role: role.clone() });
        return;
    }
    match service_tags {
        Some(Ok(tags)) => incident.service_tags = tags,
        Some(Err(err)) => info!(%task_arn, error = %err, "service tags not read"),
        None => {}
    }
    match described {
        Ok(DescribedTask {
            task: described,
            failures,
        }) => {
            if let (Some(described), Some(task)) = (described, incident.task.as_mut()) {
                merge(task, described);
            }
            if !failures.is_empty() {
                incident.notes.push(Note::DescribeTasksFailures {
                    reasons: failures.iter().map(|f| f.reason.clone()).collect(),
                });
            }
            incident.api_failures.extend(failures);
        }
        Err(err) => {
            warn!(%task_arn, error = %err, "DescribeTasks failed");
            incident
                .notes
                .push(Note::DescribeTasksFailed { error: err.to_string() });
        }
    }
    // DescribeTasks may have named the task definition the event did not.
    let definition_arn = incident.task.as_ref().and_then(|t| t.task_definition_arn.clone());
    let definition = match (definition, &definition_arn) {
        (Some(result), _) => Some(result),
        (None, Some(arn)) => Some(tasks.describe_task_definition(arn).await),
        (None, None) => None,
    };
    match definition {
        Some(Ok(definition)) => apply_definition(incident, definition),
        Some(Err(err)) => {
            warn!(%task_arn, error = %err, "DescribeTaskDefinition failed");
            incident.notes.push(Note::TaskDefinitionUnreadable {
                name: definition_arn.as_deref().map_or("", arn_name).to_string(),
                error: err.to_string(),
            });
        }
        None => {}
    }
    if log_lines > 0 {
        log_tail::fetch(tasks, incident, log_lines).await;
    }
}

/// Records the task definition and fills container limits the task did not report.
fn apply_definition(incident: &mut Incident, definition: TaskDefinition) {
    if let Some(task) = incident.task.as_mut() {
        if task.memory.is_none() {
            task.memory = definition.memory.clone();
        }
        for container in &mut task.containers {
            if let Some(def) = definition.container(&container.name) {
                if container.memory.is_none() {
                    container.memory = def.memory.map(|m| m.to_string());
                }
                if container.memory_reservation.is_none() {
                    container.memory_reservation = def.memory_reservation.map(|m| m.to_string());
                }
                if container.image.is_none() {
                    container.image = def.image.clone();
                }
            }
        }
    }
    incident.task_definition = Some(definition);
}

/// Fills what the event lacked from DescribeTasks; the event's own values win.
pub fn merge(task: &mut Task, described: Task) {
    fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
        if slot.is_none() {
            *slot = value;
        }
    }
    fill(&mut task.health_status, described.health_status);
    fill(&mut task.stop_code, described.stop_code);
    fill(&mut task.stopped_reason, described.stopped_reason);
    fill(&mut task.task_definition_arn, described.task_definition_arn);
    fill(&mut task.group, described.group);
    fill(&mut task.launch_type, described.launch_type);
    fill(&mut task.capacity_provider, described.capacity_provider);
    fill(&mut task.platform_version, described.platform_version);
    fill(&mut task.cpu, described.cpu);
    fill(&mut task.memory, described.memory);
    fill(&mut task.cpu_architecture, described.cpu_architecture);
    fill(&mut task.container_instance_arn, described.container_instance_arn);
    fill(&mut task.timestamps.stopped_at, described.timestamps.stopped_at);
    fill(&mut task.timestamps.stopping_at, described.timestamps.stopping_at);
    if task.tags.is_empty() {
        task.tags = described.tags;
    }
    if task.attachments.is_empty() {
        task.attachments = described.attachments;
    }
    for d in described.containers {
        match task.containers.iter_mut().find(|c| c.name == d.name) {
            Some(c) => {
                fill(&mut c.reason, d.reason);
                fill(&mut c.exit_code, d.exit_code);
                fill(&mut c.health_status, d.health_status);
                fill(&mut c.image, d.image);
                fill(&mut c.memory, d.memory);
                fill(&mut c.memory_reservation, d.memory_reservation);
                fill(&mut c.last_status, d.last_status);
            }
            None => task.containers.push(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::Container;

    #[test]
    fn merge_keeps_event_values_and_fills_gaps() {
        let mut task = Task {
            task_arn: "t".into(),
            stopped_reason: Some("from event".into()),
            containers: vec![Container {
                name: "app".into(),
                exit_code: Some(1),
                ..Container::default()
            }],
            ..Task::default()
        };
        let described = Task {
            task_arn: "t".into(),
            stopped_reason: Some("from describe".into()),
            health_status: Some("UNHEALTHY".into()),
            tags: vec![("team".into(), "payments".into())],
            containers: vec![
                Container {
                    name: "app".into(),
                    exit_code: Some(2),
                    reason: Some("OutOfMemoryError".into()),
                    ..Container::default()
                },
                Container {
                    name: "sidecar".into(),
                    ..Container::default()
                },
            ],
            ..Task::default()
        };
        merge(&mut task, described);
        assert_eq!(task.stopped_reason.as_deref(), Some("from event"));
        assert_eq!(task.health_status.as_deref(), Some("UNHEALTHY"));
        assert_eq!(task.containers[0].exit_code, Some(1));
        assert_eq!(task.containers[0].reason.as_deref(), Some("OutOfMemoryError"));
        assert_eq!(task.containers.len(), 2);
        assert_eq!(task.tags.len(), 1);
    }
}
