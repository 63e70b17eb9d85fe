//! Log tails: the last lines the failed containers wrote to CloudWatch Logs (awslogs only).

use crate::aws::TaskSource;
use crate::incident::{Incident, LogTail, Note, Task};

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
        incident.notes.push(Note::LogConfigurationUnknown);
        return;
    };
    for name in names {
        let Some(container) = definition.container(&name) else {
            continue;
        };
        match container.log_driver.as_deref() {
            Some("awslogs") => {
                let (Some(group), Some(prefix)) = (
                    container.log_option("awslogs-group"),
                    container.log_option("awslogs-stream-prefix"),
                ) else {
                    incident.notes.push(Note::LogStreamUnknown { container: name });
                    continue;
                };
                if let Some(region) = container.log_option("awslogs-region") {
                    if incident.region.as_deref().is_some_and(|r| r != region) {
                        incident.notes.push(Note::LogsInOtherRegion {
                            container: name,
                            region: region.to_string(),
                            group: group.to_string(),
                        });
                        continue;
                    }
                }
                let stream = format!("{prefix}/{name}/{task_id}");
                match tasks.log_tail(group, &stream, lines).await {
                    Ok(found) if found.is_empty() => incident.notes.push(Note::LogStreamEmpty {
                        container: name,
                        group: group.to_string(),
                        stream,
                    }),
                    Ok(found) => incident.log_tails.push(LogTail {
                        container: name,
                        log_group: group.to_string(),
                        log_stream: stream,
                        lines: found,
                    }),
                    Err(err) => incident.notes.push(Note::LogTailFailed {
                        container: name,
                        group: group.to_string(),
                        stream,
                        error: err.to_string(),
                    }),
                }
            }
            Some(driver) => incident.notes.push(Note::OtherLogDriver {
                container: name,
                driver: driver.to_string(),
            }),
            None => incident.notes.push(Note::NoLogConfiguration { container: name }),
        }
    }
}
