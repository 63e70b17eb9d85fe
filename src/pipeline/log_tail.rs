//! Log tails: the last lines the failed containers wrote to CloudWatch Logs (awslogs only).

use crate::aws::TaskSource;
use crate::incident::{Incident, LogTail, Task};

/// Most containers whose logs are fetched for one task.
const LOG_TAIL_CONTAINERS: usize = 3;

/// Containers worth a log tail: they ran and ended badly (not a requested stop).
fn failed_containers(task: &Task) -> Vec<String> {
    let requested = task.stop_requested();
    task.containers
        .iter()
        .filter(|c| match c.exit_code {
            Some(0) | None => false,
            Some(137 | 143) if requested => false,
            Some(_) => true,
        })
        .map(|c| c.name.clone())
        .take(LOG_TAIL_CONTAINERS)
        .collect()
}

/// Adds the log tails of the failed containers, or a note that says why there is none.
pub(super) async fn fetch<T: TaskSource>(tasks: &T, incident: &mut Incident, lines: usize) {
    let Some(task) = &incident.task else { return };
    let names = failed_containers(task);
    if names.is_empty() {
        return;
    }
    let task_id = task.task_id().to_string();
    let Some(definition) = incident.task_definition.clone() else {
        incident
            .notes
            .push("No log tail: the task definition (and so the log configuration) could not be read.".into());
        return;
    };
    for name in names {
        let Some(container) = definition.container(&name) else {
            continue;
        };
        match container.log_driver.as_deref() {
            Some("awslogs") => {
                let (Some(group), Some(prefix)) =
                    (container.log_option("awslogs-group"), container.log_option("awslogs-stream-prefix"))
                else {
                    incident.notes.push(format!(
                        "No log tail for `{name}`: its awslogs configuration has no group or no stream prefix, so the stream name is unknown."
                    ));
                    continue;
                };
                if let Some(region) = container.log_option("awslogs-region") {
                    if incident.region.as_deref().is_some_and(|r| r != region) {
                        incident.notes.push(format!(
                            "No log tail for `{name}`: its logs are in {region}, another Region (group {group})."
                        ));
                        continue;
                    }
                }
                let stream = format!("{prefix}/{name}/{task_id}");
                match tasks.log_tail(group, &stream, lines).await {
                    Ok(found) if found.is_empty() => {
                        incident.notes.push(format!("The log stream {group} {stream} of `{name}` is empty."))
                    }
                    Ok(found) => incident.log_tails.push(LogTail {
                        container: name,
                        log_group: group.to_string(),
                        log_stream: stream,
                        lines: found,
                    }),
                    Err(err) => incident
                        .notes
                        .push(format!("Could not read the log tail of `{name}` ({group} {stream}): {err}.")),
                }
            }
            Some(driver) => incident.notes.push(format!(
                "Logs of `{name}` went to the `{driver}` log driver; ecs-doctor reads only awslogs, so look for them there."
            )),
            None => incident.notes.push(format!(
                "Container `{name}` has no log configuration: what it printed before it stopped was not kept."
            )),
        }
    }
}
