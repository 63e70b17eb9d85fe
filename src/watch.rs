//! `ecs-doctor watch`: follows one deployment of a service until it completes, fails or the
//! time runs out, and explains its failed tasks as soon as there are any, with the same code
//! as the incident's deployment root cause ([`crate::deployment`]).
//!
//! The loop reads DescribeServices every `interval`; what it sees goes to a [`Step`] callback
//! (the CLI prints progress lines to stderr); the result is an [`Outcome`] whose exit code a
//! pipeline acts on.

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::time::Instant;

use crate::aws::clients::Target;
use crate::aws::{ClusterSource, DeploymentState, ScanError, ServiceState, TaskSource, TaskSources};
use crate::deployment::{self, RootCause};
use crate::diagnose::Lang;
use crate::handler::deployment_root_cause;
use crate::incident::{arn_name, Incident, ServiceEvent, Source};
use crate::report::{self, ChangeReader, Report};
use crate::verify::{self, Verifier};

/// Exit codes of `watch` (documented in `--help` and the README).
pub const EXIT_COMPLETED: u8 = 0;
pub const EXIT_FAILED: u8 = 3;
pub const EXIT_TIMEOUT_FAILING: u8 = 4;
pub const EXIT_TIMEOUT_IN_PROGRESS: u8 = 5;

/// What to follow.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cluster name or ARN.
    pub cluster: String,
    pub service: String,
    /// The deployment (`ecs-svc/…`); else the newest one with `task_definition`; else the
    /// newest deployment of the service.
    pub deployment: Option<String>,
    pub task_definition: Option<String>,
    pub timeout: Duration,
    /// Time between two reads of the service.
    pub interval: Duration,
    pub lang: Lang,
}

/// How the watch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// This deployment's rollout COMPLETED.
    Completed,
    /// It FAILED (the circuit breaker or an alarm), was rolled back, or was replaced.
    Failed,
    /// The time ran out while tasks of the deployment had failed.
    TimeoutFailing,
    /// The time ran out while it was still in progress, with no failure.
    TimeoutInProgress,
}

impl End {
    pub fn exit_code(self) -> u8 {
        match self {
            End::Completed => EXIT_COMPLETED,
            End::Failed => EXIT_FAILED,
            End::TimeoutFailing => EXIT_TIMEOUT_FAILING,
            End::TimeoutInProgress => EXIT_TIMEOUT_IN_PROGRESS,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            End::Completed => "completed",
            End::Failed => "failed",
            End::TimeoutFailing => "timeout-failing",
            End::TimeoutInProgress => "timeout-in-progress",
        }
    }
}

/// What the watch saw.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub end: End,
    pub deployment_id: String,
    /// The deployment as last read (absent once ECS dropped it).
    pub last: Option<DeploymentState>,
    /// The service's primary deployment when it is not this one (a rollback, a newer deploy).
    pub replaced_by: Option<DeploymentState>,
    /// The failed tasks, grouped and diagnosed, as the incident's root-cause message has them.
    pub diagnosis: Option<(Incident, Report)>,
    /// ECS calls made.
    pub reads: u64,
}

/// What happened during the watch, for a progress display.
#[derive(Debug, Clone)]
pub enum Step {
    /// The deployment being followed.
    Following {
        deployment_id: String,
        task_definition: Option<String>,
    },
    /// Its rollout state or counts changed.
    Changed(DeploymentState),
    /// A new service event message.
    Event(String),
    /// Tasks of this deployment failed: their grouped diagnosis.
    Diagnosed(Box<(Incident, Report)>),
}

/// Follows the deployment until it ends or `options.timeout` passes. `Err` when the service
/// cannot be read at all (the caller exits 1).
pub async fn watch<T, V>(
    tasks: &T,
    verifier: &V,
    options: &Options,
    mut on_step: impl FnMut(Step),
) -> Result<Outcome, ScanError>
where
    T: TaskSources,
    V: Verifier + ChangeReader,
{
    let started = Instant::now();
    let cluster = options.cluster.clone();
    let mut shell = Incident {
        source: Source::DeploymentStateChange,
        cluster: Some(cluster.clone()),
        ..Incident::default()
    };
    let source = tasks.source_for(&Target::of(&shell)).await;
    let reads = source.cluster_reads();
    let mut seen_events: BTreeSet<String> = BTreeSet::new();
    let mut first = true;
    let mut followed: Option<String> = None;
    let mut last: Option<DeploymentState> = None;
    let mut diagnosed_at = 0usize;
    let mut diagnosis: Option<(Incident, Report)> = None;
    let mut count = 0u64;
    loop {
        count += 1;
        let service = read_service(&*reads, &cluster, &options.service).await?;
        let id = match &followed {
            Some(id) => id.clone(),
            None => {
                let picked = pick(&service, options).ok_or_else(|| {
                    ScanError::NotFound(match (&options.deployment, &options.task_definition) {
                        (Some(id), _) => format!("service {} has no deployment {id}", options.service),
                        (None, Some(td)) => format!("service {} has no deployment of {td}", options.service),
                        _ => format!("service {} has no deployment", options.service),
                    })
                })?;
                on_step(Step::Following {
                    deployment_id: picked.id.clone(),
                    task_definition: picked.task_definition.clone(),
                });
                followed = Some(picked.id.clone());
                picked.id.clone()
            }
        };
        for event in &service.events {
            let key = event.id.clone().unwrap_or_else(|| event.message.clone());
            // Events older than the watch are history: only new ones are shown.
            if seen_events.insert(key) && !first {
                on_step(Step::Event(event.message.clone()));
            }
        }
        first = false;
        let current = service.deployments.iter().find(|d| d.id == id).cloned();
        if current != last {
            if let Some(d) = &current {
                on_step(Step::Changed(d.clone()));
            }
        }
        let replaced_by = service
            .deployments
            .iter()
            .find(|d| d.id != id && d.status.as_deref() == Some("PRIMARY"))
            .cloned();
        let failed_tasks = current.as_ref().and_then(|d| d.failed_tasks).unwrap_or(0);
        let state = current
            .as_ref()
            .and_then(|d| d.rollout_state.clone())
            .unwrap_or_default();
        let ended = match state.as_str() {
            "COMPLETED" => Some(End::Completed),
            "FAILED" => Some(End::Failed),
            // ECS drops a deployment that another one replaced (a rollback, a newer deploy).
            _ if current.is_none() || replaced_by.is_some() => Some(End::Failed),
            _ => None,
        };
        let timed_out = ended.is_none() && started.elapsed() >= options.timeout;
        // Diagnose as soon as tasks fail, again when more have failed, and once at the end.
        if failed_tasks > diagnosed_at || (ended == Some(End::Failed) && diagnosis.is_none()) {
            shell.service_event = Some(ServiceEvent {
                event_type: "ERROR".into(),
                event_name: "SERVICE_DEPLOYMENT_FAILED".into(),
                service_arn: Some(service.arn.clone()),
                reason: current.as_ref().and_then(|d| d.rollout_state_reason.clone()),
                deployment_id: Some(id.clone()),
                ..ServiceEvent::default()
            });
            let found = diagnose(tasks, verifier, &shell, options.lang).await;
            count += 3; // DescribeServices, ListTasks, DescribeTasks at least
            diagnosed_at = failed_tasks.max(1);
            if let Some(found) = found {
                on_step(Step::Diagnosed(Box::new(found.clone())));
                diagnosis = Some(found);
            }
        }
        last = current.clone();
        let end = match (ended, timed_out) {
            (Some(end), _) => Some(end),
            (None, true) if failed_tasks > 0 || diagnosis.is_some() => Some(End::TimeoutFailing),
            (None, true) => Some(End::TimeoutInProgress),
            (None, false) => None,
        };
        if let Some(end) = end {
            // The diagnosis may predate the end: its deployment facts are the last read's.
            if let Some(d) = diagnosis.as_mut().and_then(|(_, r)| r.deployment.as_mut()) {
                if let Some(last) = &last {
                    d.rollout_state = last.rollout_state.clone();
                    d.running_tasks = last.running_count;
                }
                if let Some(by) = replaced_by
                    .as_ref()
                    .filter(|by| by.task_definition != d.task_definition)
                {
                    d.rolled_back = true;
                    d.previous_task_definition = by.task_definition.clone();
                }
            }
            return Ok(Outcome {
                end,
                deployment_id: id,
                last,
                replaced_by,
                diagnosis,
                reads: count,
            });
        }
        let left = options.timeout.saturating_sub(started.elapsed());
        tokio::time::sleep(options.interval.min(left)).await;
    }
}

async fn read_service<S: ClusterSource>(source: &S, cluster: &str, service: &str) -> Result<ServiceState, ScanError> {
    source
        .describe_services(cluster, &[service.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ScanError::ServiceNotFound(format!("service {service} is not in cluster {}", arn_name(cluster))))
}

/// The deployment to follow: the one named, else the newest with the task definition, else
/// the primary (the newest deployment).
fn pick<'a>(service: &'a ServiceState, options: &Options) -> Option<&'a DeploymentState> {
    let deployments = &service.deployments;
    if let Some(id) = &options.deployment {
        return deployments.iter().find(|d| &d.id == id);
    }
    if let Some(td) = &options.task_definition {
        return deployments
            .iter()
            .filter(|d| {
                d.task_definition
                    .as_deref()
                    .is_some_and(|t| t == td || arn_name(t) == arn_name(td))
            })
            .max_by_key(|d| d.updated_at);
    }
    let primary = deployments
        .iter()
        .find(|d| d.status.as_deref() == Some("PRIMARY"))
        .or_else(|| deployments.iter().max_by_key(|d| d.updated_at))?;
    // A rollback is the newest deployment, but the one to follow is the one that failed: a
    // rollback that completes must not pass the gate.
    let rolling_back = primary
        .rollout_state_reason
        .as_deref()
        .is_some_and(|r| r.to_ascii_lowercase().contains("rolling back"));
    let failed = deployments
        .iter()
        .filter(|d| d.rollout_state.as_deref() == Some("FAILED"))
        .max_by_key(|d| d.updated_at);
    match (rolling_back, failed) {
        (true, Some(failed)) => Some(failed),
        _ => Some(primary),
    }
}

/// The root-cause message of the deployment's failed tasks so far (`None` while ECS lists
/// none): the incident pipeline's own read, grouping, diagnosis and checks.
async fn diagnose<T, V>(tasks: &T, verifier: &V, shell: &Incident, lang: Lang) -> Option<(Incident, Report)>
where
    T: TaskSources,
    V: Verifier + ChangeReader,
{
    let mut incident = shell.clone();
    let root: RootCause = deployment_root_cause(tasks, &mut incident, lang, 0).await?;
    root.example_task()?;
    let mut report = Report::from(deployment::diagnosis(&incident, lang));
    deployment::attach(&mut incident, &mut report, &root);
    report::verify(verifier, &incident, &mut report, verify::DEFAULT_BUDGET).await;
    Some((incident, report))
}
