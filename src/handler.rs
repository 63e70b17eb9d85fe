//! The pipeline for one event: decode → enrich → diagnose → verify → render → publish.
//!
//! Generic over the AWS traits so that tests run it with mocked SDK clients or against moto,
//! and the Lambda runs it with real clients built once at start.

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;
use tracing::{info, warn};

use crate::aws::clients::Target;
use crate::aws::mutes::{MuteSource, NoMutes};
use crate::aws::{Claim, DescribedTask, EnrichError, Ledger, LedgerKeys, Publisher, TaskSource, TaskSources};
use crate::config::Config;
use crate::diagnose::{diagnose, Diagnosis};
use crate::error::HandlerError;
use crate::event;
use crate::incident::{arn_name, Incident, LogTail, Task, TaskDefinition};
use crate::metrics::{self, Fate, Suppression};
use crate::mute::MuteFacts;
use crate::render::sns_message;
use crate::report::{self, ChangeReader, Report};
use crate::route;
use crate::verify::{self, NoVerifier, Verifier};

/// The clients and settings one invocation needs.
pub struct Deps<T, P, L, V = NoVerifier, M = NoMutes> {
    /// Task reads, for the account and Region of each event ([`TaskSources`]).
    pub tasks: T,
    pub publisher: P,
    /// Deduplication and storm control (`NoLedger` / `None`: off).
    pub ledger: L,
    /// Checks of the suspected cause against the account (`NoVerifier` / `None`: off).
    pub verifier: V,
    /// Mute rules (`NoMutes` / `None`: nothing is muted).
    pub mutes: M,
    pub config: Config,
}

/// What an invocation did (returned to the runtime, and logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Published {
        message_id: String,
        rule_id: &'static str,
        severity: &'static str,
    },
    /// Not published, on purpose; `reason` says why.
    Skipped { reason: String },
}

pub async fn handle<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
) -> Result<Outcome, HandlerError> {
    let started = Instant::now();
    let incidents = match event::decode_value(payload) {
        Ok(incidents) => incidents,
        Err(err) if err.is_nothing_to_diagnose() => {
            info!(reason = %err, "skipped: nothing to diagnose");
            return Ok(Outcome::Skipped {
                reason: err.to_string(),
            });
        }
        Err(err) => {
            // Failing the invocation keeps the event: Lambda retries it, then sends it to the DLQ.
            warn!(error = %err, "cannot decode event");
            return Err(err.into());
        }
    };
    // An EventBridge event always decodes to exactly one incident.
    let Some(mut incident) = incidents.into_iter().next() else {
        return Ok(Outcome::Skipped {
            reason: "no incident in event".into(),
        });
    };

    if let Some(task) = &incident.task {
        if !task
            .last_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("STOPPED"))
        {
            let reason = format!(
                "task is {}, not STOPPED",
                task.last_status.as_deref().unwrap_or("of unknown status")
            );
            info!(task_arn = %task.task_arn, %reason, "skipped");
            return Ok(Outcome::Skipped { reason });
        }
        let source = deps.tasks.source_for(&Target::of(&incident)).await;
        enrich(&source, &mut incident, deps.config.log_tail_lines).await;
    }

    let diagnosis = diagnose(&incident, deps.config.lang);
    let rule_ids: Vec<&str> = diagnosis.findings.iter().map(|f| f.rule_id).collect();
    let primary = diagnosis.primary();
    if !deps.config.should_publish(&diagnosis) {
        let reason = format!(
            "{} ({}, {}) is below the publish policy",
            primary.rule_id,
            primary.category.as_str(),
            primary.severity.as_str()
        );
        info!(task_arn = task_arn(&incident), ?rule_ids, %reason, "skipped");
        return Ok(Outcome::Skipped { reason });
    }

    let now = epoch_seconds();
    if let Some(rules) = deps.mutes.rules().await {
        if let Some(rule) = rules.find(&MuteFacts::of(&incident, &diagnosis), now as i64) {
            let reason = format!(
                "muted: {} ({}; until {}{})",
                rule.reason,
                rule.describe(),
                rule.expires,
                rule.id.as_deref().map(|id| format!("; mute {id}")).unwrap_or_default()
            );
            info!(task_arn = task_arn(&incident), rule_id = primary.rule_id, %reason, "skipped");
            emit(&incident, &Report::from(diagnosis), Fate::Suppressed(Suppression::Mute));
            return Ok(Outcome::Skipped { reason });
        }
    }

    let keys = ledger_keys(&incident, &diagnosis);
    let claim = match &keys {
        Some(keys) => match deps.ledger.claim(keys, now).await {
            Ok(claim) => claim,
            Err(err) => {
                // Fail open: a missed duplicate is better than a missed alert.
                warn!(error = %err, "deduplication unavailable; publishing anyway");
                Claim::Publish {
                    held_back: 0,
                    since: None,
                    window_opened: false,
                }
            }
        },
        None => Claim::Publish {
            held_back: 0,
            since: None,
            window_opened: false,
        },
    };
    match &claim {
        Claim::Duplicate => {
            info!(
                task_arn = task_arn(&incident),
                event = keys.as_ref().map_or("", |k| k.event.as_str()),
                "skipped: duplicate"
            );
            emit(
                &incident,
                &Report::from(diagnosis),
                Fate::Suppressed(Suppression::Duplicate),
            );
            return Ok(Outcome::Skipped {
                reason: "duplicate: this event was already published".into(),
            });
        }
        Claim::Suppressed { count, since } => {
            if let Some(keys) = &keys {
                confirm(&deps.ledger, keys).await;
            }
            let reason = format!(
                "storm control: {} already published at {}; {count} more held back in this window",
                primary.rule_id,
                crate::util::time::iso8601_from_epoch(*since as f64)
            );
            info!(task_arn = task_arn(&incident), %reason, "skipped");
            emit(
                &incident,
                &Report::from(diagnosis),
                Fate::Suppressed(Suppression::Storm),
            );
            return Ok(Outcome::Skipped { reason });
        }
        Claim::Publish { held_back, since, .. } => {
            if let (true, Some(since)) = (*held_back > 0, since) {
                incident.notes.push(format!(
                    "{held_back} more failure(s) of the same kind ({}) since {} were not sent separately.",
                    primary.rule_id,
                    crate::util::time::iso8601_from_epoch(*since as f64)
                ));
            }
        }
    }

    let mut report = Report::from(diagnosis);
    report::verify(&deps.verifier, &incident, &mut report, verify::DEFAULT_BUDGET).await;
    let team_topic = team_topic(&deps.config, &mut incident);
    let mut message = sns_message(&incident, &report);
    let left_out = route::add_attributes(
        &mut message,
        route::routing_attributes(&incident, &deps.config.routing_tags),
    );
    if !left_out.is_empty() {
        warn!(
            ?left_out,
            "routing tags not sent: SNS carries at most 10 message attributes"
        );
    }
    let published_to = match &team_topic {
        Some(topic) => match deps.publisher.publish(topic, &message).await {
            Ok(id) => Ok(id),
            Err(err) => {
                // Never lose the alert: the main topic still gets it.
                warn!(topic = %topic, error = %err, "publish to the team topic failed; publishing to the main topic");
                deps.publisher.publish(&deps.config.topic_arn, &message).await
            }
        },
        None => deps.publisher.publish(&deps.config.topic_arn, &message).await,
    };
    let message_id = match published_to {
        Ok(id) => id,
        Err(err) => {
            warn!(task_arn = task_arn(&incident), error = %err, "publish failed");
            emit(&incident, &report, Fate::PublishFailed);
            if let Some(keys) = &keys {
                // The retry must not find a record that calls it a duplicate.
                if let Err(release) = deps.ledger.release(keys, &claim, now).await {
                    warn!(error = %release, "could not release the deduplication claim");
                }
            }
            return Err(err.into());
        }
    };
    if let Some(keys) = &keys {
        confirm(&deps.ledger, keys).await;
    }
    info!(
        task_arn = task_arn(&incident),
        event_id = incident.event_id.as_deref().unwrap_or(""),
        ?rule_ids,
        %message_id,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "published"
    );
    emit(&incident, &report, Fate::Published);
    Ok(published(&report, message_id))
}

/// The team topic named by an `ecs-doctor:topic` tag, when configuration allows it; a tag
/// naming any other topic leaves a note and the main topic is used.
fn team_topic(config: &Config, incident: &mut Incident) -> Option<String> {
    let value = route::topic_tag(incident)?.to_string();
    match config.team_topic(&value) {
        Ok(arn) => Some(arn),
        Err(arn) => {
            warn!(topic = %arn, "the ecs-doctor:topic tag names a topic that is not allowed");
            incident.notes.push(format!(
                "The {} tag names {arn}, which this deployment may not publish to (ALLOWED_TOPIC_ARNS); sent to the main topic instead. / {} タグの {arn} はこのデプロイでは送信が許可されていない (ALLOWED_TOPIC_ARNS) ため、メインのトピックに送信しました。",
                route::TOPIC_TAG,
                route::TOPIC_TAG
            ));
            None
        }
    }
}

/// One Embedded Metric Format line per diagnosed incident, on stdout: CloudWatch Logs turns
/// it into metrics (namespace `EcsDoctor`). Written as its own line, apart from the tracing
/// output, because EMF must be a standalone JSON log event.
fn emit(incident: &Incident, report: &Report, fate: Fate) {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    println!("{}", metrics::emf_line(incident, report, fate, millis));
}

async fn confirm<L: Ledger>(ledger: &L, keys: &LedgerKeys) {
    if let Err(err) = ledger.confirm(keys).await {
        warn!(error = %err, "could not confirm the deduplication record");
    }
}

fn epoch_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The ledger keys of a diagnosis: the event (task ARN + `detail.version`, else the
/// EventBridge id) and the failure signature (cluster + service/family + rule).
pub fn ledger_keys(incident: &Incident, diagnosis: &Diagnosis) -> Option<LedgerKeys> {
    let event = match (&incident.task, &incident.event_id) {
        (Some(task), _) if task.version.is_some() => {
            format!("event#{}#{}", task.task_arn, task.version.unwrap_or_default())
        }
        (_, Some(id)) => format!("event#id:{id}"),
        _ => return None,
    };
    let unit = incident
        .task
        .as_ref()
        .and_then(|t| {
            t.service_name()
                .map(|s| format!("service:{s}"))
                .or_else(|| t.family().map(|f| format!("family:{f}")))
        })
        .or_else(|| incident.service_event.as_ref().and_then(|e| e.service_arn.clone()))
        .or_else(|| {
            incident
                .container_instance
                .as_ref()
                .map(|i| i.container_instance_arn.clone())
        })
        .unwrap_or_else(|| "-".into());
    let cluster = incident.cluster.as_deref().map_or("-", arn_name);
    Some(LedgerKeys {
        event,
        signature: format!("storm#{cluster}#{unit}#{}", diagnosis.primary().rule_id),
    })
}

fn published(report: &Report, message_id: String) -> Outcome {
    let primary = report.primary();
    Outcome::Published {
        message_id,
        rule_id: primary.rule_id,
        severity: primary.severity.as_str(),
    }
}

fn task_arn(incident: &Incident) -> &str {
    incident.task.as_ref().map_or("", |t| t.task_arn.as_str())
}

/// Most containers whose logs are fetched for one task.
const LOG_TAIL_CONTAINERS: usize = 3;

/// Adds DescribeTasks and DescribeTaskDefinition detail and the log tails of failed containers
/// to the incident. Never fails: on error the diagnosis goes out with what is known, with a
/// note that says what could not be read and why.
pub async fn enrich<T: TaskSource>(tasks: &T, incident: &mut Incident, log_lines: usize) {
    let Some(task) = &incident.task else { return };
    let Some(cluster) = incident.cluster.clone() else {
        incident.notes.push("Not enriched: the event names no cluster.".into());
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
        incident.notes.push(format!(
            "Not enriched: the role {role} in this account could not be assumed, so the diagnosis uses the event alone. Deploy member/template.yaml in this account (or let the role trust this function's role). / 強化なし: このアカウントのロール {role} を引き受けられなかったため、イベントの内容だけで診断しています。このアカウントに member/template.yaml をデプロイしてください (またはロールがこの関数のロールを信頼するようにしてください)。"
        ));
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
                incident.notes.push(format!(
                    "ecs:DescribeTasks returned {} for this task; the diagnosis uses the event alone.",
                    failures
                        .iter()
                        .map(|f| f.reason.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            incident.api_failures.extend(failures);
        }
        Err(err) => {
            warn!(%task_arn, error = %err, "DescribeTasks failed");
            incident.notes.push(format!(
                "Enrichment with ecs:DescribeTasks failed: {err}. The diagnosis uses the event alone."
            ));
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
            incident.notes.push(format!(
                "Could not read task definition {}: {err}.",
                definition_arn.as_deref().map_or("", arn_name)
            ));
        }
        None => {}
    }
    if log_lines > 0 {
        fetch_log_tails(tasks, incident, log_lines).await;
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

async fn fetch_log_tails<T: TaskSource>(tasks: &T, incident: &mut Incident, lines: usize) {
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
