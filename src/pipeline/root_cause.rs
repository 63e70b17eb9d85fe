//! A failed deployment's root cause: the tasks the deployment started are read, diagnosed one
//! by one and grouped by cause, and the largest group leads the message. The circuit
//! breaker's own words ("tasks failed to start") stay beside it as context.
//!
//! The Lambda does this for a deployment event, `explain --enrich` for a deployment event
//! file, and `watch` while it follows a deployment: [`read`] (through the task collector)
//! and [`root_cause`] (pure) are the one implementation they share.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::aws::ecs::stopped_tasks::{started_by, stopped_tasks, StoppedTasks};
use crate::aws::{ClusterReads, DeploymentState, ServiceDeploymentRecord, ServiceState};
use crate::diagnose::{diagnose, Diagnosis, Lang, Severity, Tr};
use crate::incident::{Incident, Note, Task};
use crate::pipeline::group::{self, task_observation, Group};
use crate::report::{Cause, Deployment, Report};

/// Most stopped tasks read for one deployment: ECS keeps stopped tasks for about an hour, and
/// a circuit breaker trips after at most 200 failures.
pub const MAX_TASKS: usize = 500;

/// What a service or deployment event says about a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// `SERVICE_DEPLOYMENT_FAILED`: the deployment is named.
    Failed(String),
    /// A rollback is under way (`SERVICE_DEPLOYMENT_IN_PROGRESS`, "rolling back to …"): the
    /// deployment that failed is the one whose rollout is FAILED.
    RollingBack,
    /// `SERVICE_TASK_START_IMPAIRED` ("unable to consistently start tasks successfully"): the
    /// service's primary deployment is the one whose tasks keep stopping.
    StartImpaired,
}

/// The trigger of a deployment root cause, when the incident is one.
pub fn trigger(incident: &Incident) -> Option<Trigger> {
    let event = incident.service_event.as_ref()?;
    let reason = event.reason.as_deref().unwrap_or_default().to_ascii_lowercase();
    match event.event_name.as_str() {
        "SERVICE_DEPLOYMENT_FAILED" => Some(match &event.deployment_id {
            Some(id) => Trigger::Failed(id.clone()),
            None => Trigger::RollingBack,
        }),
        "SERVICE_DEPLOYMENT_IN_PROGRESS" if reason.contains("rolling back") => Some(Trigger::RollingBack),
        "SERVICE_TASK_START_IMPAIRED" => Some(Trigger::StartImpaired),
        _ if reason.contains("unable to consistently start tasks") => Some(Trigger::StartImpaired),
        _ => None,
    }
}

/// What was read about one deployment.
#[derive(Debug, Clone, Default)]
pub struct Read {
    /// The service, when DescribeServices answered.
    pub service: Option<ServiceState>,
    /// The service deployment that did not succeed, when ECS keeps a record of it (the only
    /// record of a rollback that stopped no task).
    pub service_deployment: Option<ServiceDeploymentRecord>,
    /// The deployment whose tasks were read.
    pub deployment_id: Option<String>,
    /// The stopped tasks that deployment started.
    pub tasks: StoppedTasks,
    /// Stopped tasks of the service that other deployments started (not blamed).
    pub other_tasks: usize,
    /// What could not be read, one sentence each.
    pub problems: Vec<String>,
}

/// Reads the service and the stopped tasks of the deployment `trigger` points at. Never fails:
/// what could not be read is in [`Read::problems`].
pub async fn read<S: ClusterReads>(source: &Arc<S>, incident: &Incident, trigger: &Trigger) -> Read {
    let mut read = Read::default();
    let (Some(cluster), Some(service)) = (
        incident.cluster.as_deref(),
        incident.service_event.as_ref().and_then(|e| e.service_name()),
    ) else {
        read.problems.push("the event names no cluster or service".into());
        return read;
    };
    match source.describe_services(cluster, &[service.to_string()]).await {
        Ok(mut services) if !services.is_empty() => read.service = Some(services.remove(0)),
        Ok(_) => read
            .problems
            .push(format!("ecs:DescribeServices does not know service {service}")),
        Err(err) => read.problems.push(format!("ecs:DescribeServices failed: {err}")),
    }
    // The newest deployment that did not succeed; no record (an old rolling service, or the
    // read denied) leaves the stopped tasks to tell.
    match source.service_deployments(cluster, service).await {
        Ok(records) => read.service_deployment = records.into_iter().find(ServiceDeploymentRecord::failed),
        Err(err) => read
            .problems
            .push(format!("ecs:DescribeServiceDeployments failed: {err}")),
    }
    let deployments = read.service.as_ref().map_or(&[][..], |s| s.deployments.as_slice());
    read.deployment_id = match trigger {
        Trigger::Failed(id) => Some(id.clone()),
        Trigger::RollingBack => deployments
            .iter()
            .filter(|d| d.rollout_state.as_deref() == Some("FAILED"))
            .max_by_key(|d| d.updated_at)
            .map(|d| d.id.clone()),
        Trigger::StartImpaired => primary(deployments).map(|d| d.id.clone()),
    };
    let Some(id) = read.deployment_id.clone() else {
        read.problems
            .push("the failed deployment could not be identified from ecs:DescribeServices".into());
        return read;
    };
    match stopped_tasks(source, cluster, &[service.to_string()], MAX_TASKS, |_| {}).await {
        Ok(mut tasks) => {
            for failed in &tasks.failures {
                read.problems.push(match &failed.service {
                    Some(_) => format!("ecs:ListTasks failed: {}", failed.error),
                    None => format!("ecs:DescribeTasks failed: {}", failed.error),
                });
            }
            let all = tasks.tasks.len();
            tasks.tasks.retain(started_by(&id));
            read.other_tasks = all - tasks.tasks.len();
            read.tasks = tasks;
        }
        Err(err) => read.problems.push(format!("ecs:ListTasks failed: {err}")),
    }
    read
}

/// Where none of the deployment's tasks stopped, the service deployment's `statusReason` is the
/// root cause ("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s)
/// failed. …"): it becomes the reason the catalog diagnoses, in place of the event's own
/// (which says only that the deployment failed).
pub fn adopt_status_reason(incident: &mut Incident, read: &Read, root: &RootCause) {
    if !root.groups.is_empty() {
        return;
    }
    let reason = read
        .service_deployment
        .as_ref()
        .and_then(|d| d.status_reason.clone())
        .filter(|r| !r.trim().is_empty());
    if let (Some(reason), Some(event)) = (reason, incident.service_event.as_mut()) {
        event.reason = Some(reason);
    }
}

/// The deployment ECS currently rolls out (PRIMARY).
fn primary(deployments: &[DeploymentState]) -> Option<&DeploymentState> {
    deployments
        .iter()
        .find(|d| d.status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("PRIMARY")))
}

/// A deployment's stopped tasks grouped by cause, and the group the message leads with.
#[derive(Debug, Clone)]
pub struct RootCause {
    pub deployment: Deployment,
    /// The service deployment's record, when ECS keeps one that did not succeed.
    pub record: Option<ServiceDeploymentRecord>,
    /// The groups, largest first.
    pub groups: Vec<Group>,
    /// The index in `groups` of the lead: the largest group at error level (else the largest).
    pub lead: Option<usize>,
}

impl RootCause {
    /// The most recent stopped task of the lead group: the example the message shows, checks
    /// and compares with the previous revision.
    pub fn example_task(&self) -> Option<&Task> {
        self.groups.get(self.lead?)?.example.task.as_ref()
    }

    /// The note naming what could not be read, when the tasks were not (or not all) read.
    pub fn unread_note(&self) -> Option<Note> {
        // No task stopped, and the record says why: that is the cause, not a gap.
        if let Some(record) = self.record.as_ref().filter(|_| self.groups.is_empty()) {
            if record.status_reason.as_deref().is_some_and(|r| !r.trim().is_empty()) {
                return Some(Note::DeploymentRecordCause {
                    deployment: record.arn.clone(),
                    status: record.status.clone().unwrap_or_default(),
                });
            }
        }
        let unread = self.deployment.unread.as_deref()?;
        Some(Note::DeploymentTasksUnread {
            deployment: self.deployment.id.clone(),
            why: unread.to_string(),
        })
    }
}

/// Groups the deployment's stopped tasks by cause with the same code as `scan` (pure).
pub fn root_cause(incident: &Incident, read: &Read, lang: Lang) -> RootCause {
    let cluster = incident.cluster.clone().unwrap_or_default();
    let deployments = read.service.as_ref().map_or(&[][..], |s| s.deployments.as_slice());
    let id = read.deployment_id.clone().unwrap_or_default();
    let this = deployments.iter().find(|d| d.id == id);
    let observations = read.tasks.tasks.iter().map(|t| task_observation(&cluster, t.clone()));
    let mut groups = group::group(observations, lang, Severity::Warning).groups;
    // Largest first; `group` already put equal counts in severity and recency order.
    groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.severity.cmp(&b.severity)));
    let lead = groups
        .iter()
        .position(|g| g.severity <= Severity::Error)
        .or((!groups.is_empty()).then_some(0));
    let task_definition = this
        .and_then(|d| d.task_definition.clone())
        .or_else(|| most_common(read.tasks.tasks.iter().filter_map(|t| t.task_definition_arn.clone())));
    let current = primary(deployments).filter(|d| d.id != id);
    // After a failure ECS rolls back to a new primary deployment of the old revision; while a
    // deployment is still primary, the revision it replaces is the one still ACTIVE.
    let previous = current.or_else(|| {
        deployments
            .iter()
            .filter(|d| d.id != id && d.task_definition != task_definition)
            .max_by_key(|d| d.updated_at)
    });
    let rolled_back = current.is_some_and(|c| c.task_definition != task_definition)
        || this.is_some_and(|d| {
            d.rollout_state_reason
                .as_deref()
                .is_some_and(|r| r.to_ascii_lowercase().contains("rolling back"))
        });
    let unread = (!read.problems.is_empty() && read.tasks.tasks.is_empty()).then(|| read.problems.join("; "));
    let unread = unread.or_else(|| {
        (read.problems.is_empty() && read.tasks.tasks.is_empty() && read.deployment_id.is_some())
            .then(|| "ECS no longer lists any stopped task of this deployment".to_string())
    });
    let deployment = Deployment {
        id,
        task_definition,
        previous_task_definition: previous.and_then(|d| d.task_definition.clone()),
        rollout_state: this.and_then(|d| d.rollout_state.clone()),
        rolled_back,
        stopped_tasks: read.tasks.tasks.len(),
        running_tasks: this.and_then(|d| d.running_count),
        groups: groups.iter().map(cause).collect(),
        unread,
    };
    RootCause {
        deployment,
        record: read.service_deployment.clone(),
        groups,
        lead,
    }
}

fn cause(group: &Group) -> Cause {
    Cause {
        rule_id: group.signature.rule_id,
        category: group.category,
        severity: group.severity,
        count: group.count,
        example_task_arn: group.example.task.as_ref().map(|t| t.task_arn.clone()),
        title: group.title.clone(),
    }
}

fn most_common(values: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(v, _)| v)
}

/// The diagnosis of a deployment event whose example task was put in the incident: the
/// example task's findings first (the root cause), then the event's own (the circuit
/// breaker's words), each diagnosed apart so that neither reorders the other.
pub fn diagnosis(incident: &Incident, lang: Lang) -> Diagnosis {
    if incident.task.is_none() || incident.service_event.is_none() {
        return diagnose(incident, lang);
    }
    let task_only = Incident {
        service_event: None,
        ..incident.clone()
    };
    let event_only = Incident {
        task: None,
        task_definition: None,
        ..incident.clone()
    };
    let mut findings = diagnose(&task_only, lang).findings;
    for f in diagnose(&event_only, lang).findings {
        if !findings.iter().any(|g| g.rule_id == f.rule_id) {
            findings.push(f);
        }
    }
    Diagnosis { lang, findings }
}

/// Puts the deployment's groups in the report, and its note (when the tasks were not read)
/// in the incident.
pub fn attach(incident: &mut Incident, report: &mut Report, root: &RootCause) {
    if let Some(note) = root.unread_note() {
        incident.notes.push(note);
    }
    if let (Some(fact), Some(primary)) = (root.record_fact(report.lang), report.findings.first_mut()) {
        primary.finding.context.push(fact);
    }
    report.deployment = Some(root.deployment.clone());
}

/// "The circuit breaker rolled it back after 3 failed tasks (threshold 3)."
const BREAKER_TRIGGERED: Tr = Tr {
    en: "The deployment circuit breaker stopped it after {failures} failed task(s), its threshold being {threshold}.",
    ja: "デプロイサーキットブレーカーが、失敗したタスク {failures} 件 (しきい値 {threshold}) で停止しました。",
};

/// "It failed at the TEST_TRAFFIC_SHIFT stage."
const FAILED_AT_STAGE: Tr = Tr {
    en: "The service deployment ended at the {stage} stage ({status}).",
    ja: "サービスデプロイは {stage} ステージで終わりました ({status})。",
};

impl RootCause {
    /// What the service deployment's record adds to the lead cause: the circuit breaker as it
    /// counted, else the stage the deployment ended at.
    fn record_fact(&self, lang: Lang) -> Option<String> {
        let record = self.record.as_ref()?;
        if let Some((status, failures, threshold)) = &record.circuit_breaker {
            if status.eq_ignore_ascii_case("TRIGGERED") {
                return Some(BREAKER_TRIGGERED.fill(
                    lang,
                    &[
                        ("failures", &failures.to_string()),
                        ("threshold", &threshold.to_string()),
                    ],
                ));
            }
        }
        let stage = record.lifecycle_stage.as_deref()?;
        Some(FAILED_AT_STAGE.fill(
            lang,
            &[
                ("stage", stage),
                ("status", record.status.as_deref().unwrap_or_default()),
            ],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(record: ServiceDeploymentRecord, stopped: bool) -> RootCause {
        let incident = Incident::default();
        let mut read = Read {
            service_deployment: Some(record),
            deployment_id: Some("ecs-svc/1".into()),
            ..Read::default()
        };
        if stopped {
            read.tasks.tasks.push(crate::incident::Task {
                task_arn: "arn:aws:ecs:us-east-1:1:task/prod/abc".into(),
                stopped_reason: Some("Essential container in task exited".into()),
                ..Default::default()
            });
        }
        root_cause(&incident, &read, Lang::En)
    }

    #[test]
    fn the_record_states_the_circuit_breaker_as_it_counted() {
        let record = ServiceDeploymentRecord {
            arn: "arn:aws:ecs:us-east-1:1:service-deployment/prod/api/x".into(),
            status: Some("ROLLBACK_SUCCESSFUL".into()),
            circuit_breaker: Some(("TRIGGERED".into(), 3, 3)),
            lifecycle_stage: Some("SCALE_UP".into()),
            ..Default::default()
        };
        let fact = root(record.clone(), true).record_fact(Lang::En).unwrap_or_default();
        assert!(
            fact.contains("3 failed task(s)") && fact.contains("threshold being 3"),
            "{fact}"
        );
        let ja = root(record, true).record_fact(Lang::Ja).unwrap_or_default();
        assert!(ja.contains("しきい値 3"), "{ja}");
    }

    #[test]
    fn a_record_with_a_reason_and_no_stopped_task_is_the_cause_not_a_gap() {
        let record = ServiceDeploymentRecord {
            arn: "arn:aws:ecs:us-east-1:1:service-deployment/prod/api/x".into(),
            status: Some("ROLLBACK_SUCCESSFUL".into()),
            status_reason: Some(
                "Service deployment rolled back because POST_TEST_TRAFFIC_SHIFT pause hook timed out.".into(),
            ),
            ..Default::default()
        };
        let note = root(record.clone(), false).unread_note();
        assert!(matches!(note, Some(Note::DeploymentRecordCause { .. })), "{note:?}");
        // With stopped tasks, the tasks lead and the record adds no note of its own.
        assert!(root(record, true).unread_note().is_none());
    }
}
