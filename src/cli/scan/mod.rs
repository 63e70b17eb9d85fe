//! `ecs-doctor scan`: what is failing in a cluster right now, and why.
//!
//! Three steps, in the pipeline's one-way style:
//! - [`collect`] reads clusters through the [`crate::aws::ClusterReads`] trait (async, bounded)
//!   and turns what it finds into [`Observation`]s: plain [`Incident`]s, built exactly as the
//!   event decoder and enrichment build them;
//! - [`Report::build`] diagnoses each observation with the same engine as the Lambda and groups
//!   them by failure signature (cluster + service or task family + primary rule) — pure;
//! - [`render`] prints the report as a table with full diagnoses, markdown, or JSON — pure.

mod command;
pub use command::{run, Args};

#[cfg(feature = "aws")]
pub mod collect;
pub mod render;

use std::collections::{BTreeMap, BTreeSet};

use crate::cli::exit::Code;
use crate::diagnose::{Lang, Severity};
use crate::incident::{account_of, region_of, ContainerInstance, Incident, ServiceEvent, Source};
use crate::pipeline::group::{self, Grouped};
use crate::pipeline::group::{task_observation, Group, Observation};
use crate::report::ChangeReader;
use crate::util::time::iso8601_seconds;
use crate::verify::Verifier;

/// Service event messages that report normal operation (lower case). DescribeServices gives
/// no severity, so these are recognised by their fixed wording and left out.
const INFORMATIONAL_MESSAGES: &[&str] = &[
    "has reached a steady state",
    "has started ",
    "has stopped ",
    "registered ",
    "has begun draining",
    "deployment completed",
    "updated computeddesiredcount",
    "desired count",
    "has been deleted",
    "was deleted",
];

/// The EventBridge event name ECS sends for the same situation, so that the rules written for
/// `ECS Service Action` events read a `DescribeServices` message too.
fn event_name_of(message: &str) -> &'static str {
    let m = message.to_ascii_lowercase();
    if m.contains("unable to place a task") {
        "SERVICE_TASK_PLACEMENT_FAILURE"
    } else if m.contains("unable to consistently start tasks") {
        "SERVICE_TASK_START_IMPAIRED"
    } else if m.contains("operations are being throttled") {
        "ECS_OPERATION_THROTTLED"
    } else if m.contains("deployment failed") || m.contains("circuit breaker") && m.contains("failed") {
        "SERVICE_DEPLOYMENT_FAILED"
    } else {
        // Not an ECS event name: only the rules that read the message (`reason`) apply.
        "SERVICE_EVENT_MESSAGE"
    }
}

/// Is this service event message about a problem (not a steady state, a scale event, …)?
pub fn is_problem_message(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    if m.trim().is_empty() {
        return false;
    }
    // "(service x) has stopped 2 running tasks: (task …)" is a scale-in or a replacement; the
    // stopped tasks themselves say whether it was a failure.
    !INFORMATIONAL_MESSAGES.iter().any(|w| m.contains(w)) || m.contains("unhealthy") || m.contains("failed")
}

/// A `DescribeServices` event message about a problem, as an `ECS Service Action` incident.
/// `None` for messages that report normal operation.
pub fn service_event_observation(
    cluster_arn: &str,
    service_arn: &str,
    message: &str,
    created_at: Option<i64>,
) -> Option<Observation> {
    if !is_problem_message(message) {
        return None;
    }
    Some(Observation {
        incident: Incident {
            source: Source::ServiceAction,
            region: region_of(service_arn).map(str::to_string),
            account: account_of(service_arn).map(str::to_string),
            time: created_at.map(iso8601_seconds),
            cluster: Some(cluster_arn.to_string()),
            service_event: Some(ServiceEvent {
                event_type: "WARN".into(),
                event_name: event_name_of(message).into(),
                service_arn: Some(service_arn.to_string()),
                reason: Some(message.to_string()),
                updated_at: created_at.map(iso8601_seconds),
                ..ServiceEvent::default()
            }),
            ..Incident::default()
        },
        at: created_at,
    })
}

/// A deployment of `deployments[]` that failed or is being rolled back, as an
/// `ECS Deployment State Change` incident. `None` for healthy deployments.
pub fn deployment_observation(
    cluster_arn: &str,
    service_arn: &str,
    deployment_id: &str,
    rollout_state: Option<&str>,
    rollout_state_reason: Option<&str>,
    updated_at: Option<i64>,
) -> Option<Observation> {
    let reason = rollout_state_reason.unwrap_or_default();
    let failed = rollout_state.is_some_and(|s| s.eq_ignore_ascii_case("FAILED"));
    let rolling_back = reason.to_ascii_lowercase().contains("rolling back");
    if !failed && !rolling_back {
        return None;
    }
    let (event_type, event_name) = if failed {
        ("ERROR", "SERVICE_DEPLOYMENT_FAILED")
    } else {
        ("INFO", "SERVICE_DEPLOYMENT_IN_PROGRESS")
    };
    Some(Observation {
        incident: Incident {
            source: Source::DeploymentStateChange,
            region: region_of(service_arn).map(str::to_string),
            account: account_of(service_arn).map(str::to_string),
            time: updated_at.map(iso8601_seconds),
            cluster: Some(cluster_arn.to_string()),
            service_event: Some(ServiceEvent {
                event_type: event_type.into(),
                event_name: event_name.into(),
                service_arn: Some(service_arn.to_string()),
                reason: rollout_state_reason.map(str::to_string),
                deployment_id: Some(deployment_id.to_string()),
                updated_at: updated_at.map(iso8601_seconds),
                ..ServiceEvent::default()
            }),
            ..Incident::default()
        },
        at: updated_at,
    })
}

/// A container instance whose agent is disconnected or that is not ACTIVE, as an
/// `ECS Container Instance State Change` incident. `None` for a healthy instance.
pub fn instance_observation(cluster_arn: &str, instance: ContainerInstance) -> Option<Observation> {
    let active = instance
        .status
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("ACTIVE"));
    if active && instance.agent_connected != Some(false) {
        return None;
    }
    Some(Observation {
        incident: Incident {
            source: Source::ContainerInstanceStateChange,
            region: region_of(&instance.container_instance_arn).map(str::to_string),
            account: account_of(&instance.container_instance_arn).map(str::to_string),
            cluster: Some(cluster_arn.to_string()),
            container_instance: Some(instance),
            ..Incident::default()
        },
        at: None,
    })
}

/// Stopped tasks of one cluster that were not examined because of `--max-tasks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capped {
    pub cluster: String,
    pub examined: usize,
}

/// Something that could not be read; the scan went on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub cluster: Option<String>,
    pub service: Option<String>,
    /// `access-denied`, `throttled`, `not-found` or `error`.
    pub kind: &'static str,
    pub message: String,
}

/// What was looked at: the denominators of the summary.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Cluster names scanned.
    pub clusters: Vec<String>,
    /// (cluster, service) names read with DescribeServices.
    pub services: Vec<(String, String)>,
    pub stopped_tasks: usize,
    /// Stopped tasks left out because they stopped before `--since`.
    pub stopped_tasks_older: usize,
    pub service_events: usize,
    pub deployments: usize,
    pub container_instances: usize,
    pub capped: Vec<Capped>,
    pub problems: Vec<Problem>,
    /// Requests per ECS API.
    pub api_calls: BTreeMap<String, u64>,
}

/// The result of a scan, grouped and ordered: most severe first, then most frequent, then
/// most recent.
#[derive(Debug, Clone)]
pub struct Report {
    pub lang: Lang,
    pub min_severity: Severity,
    /// `--since` in seconds.
    pub since_seconds: u64,
    /// When the scan ran (epoch milliseconds).
    pub scanned_at: i64,
    pub groups: Vec<Group>,
    /// Failures below `--min-severity` or expected stops (deployments, scale-in, StopTask).
    pub below_threshold: usize,
    pub coverage: Coverage,
}

impl Report {
    /// Diagnoses every observation and groups them by signature.
    pub fn build(
        observations: Vec<Observation>,
        coverage: Coverage,
        lang: Lang,
        min_severity: Severity,
        since_seconds: u64,
        scanned_at: i64,
    ) -> Report {
        let Grouped {
            groups,
            below_threshold,
        } = group::group(observations, lang, min_severity);
        Report {
            lang,
            min_severity,
            since_seconds,
            scanned_at,
            groups,
            below_threshold,
            coverage,
        }
    }

    /// `--verify`: checks the example of each signature against the account (the checks of
    /// `explain --verify`, each signature within the verify budget, one after another so the
    /// reads stay few at a time). A confirmed check leads the remediation, so the group's first
    /// step is read again.
    pub async fn verify<V: Verifier + ChangeReader>(&mut self, verifier: &V) {
        for group in &mut self.groups {
            crate::report::verify(
                verifier,
                &group.example,
                &mut group.diagnosis,
                crate::verify::DEFAULT_BUDGET,
            )
            .await;
            group.first_step = group.diagnosis.primary().remediation.first().cloned();
        }
    }

    /// Services with at least one signature.
    pub fn failing_services(&self) -> BTreeSet<(String, String)> {
        self.groups
            .iter()
            .filter_map(|g| {
                g.signature
                    .service()
                    .map(|s| (g.signature.cluster.clone(), s.to_string()))
            })
            .collect()
    }

    /// Distinct places (cluster/service, cluster/family, cluster) with a problem.
    pub fn places(&self) -> usize {
        self.groups
            .iter()
            .map(|g| (&g.signature.cluster, &g.signature.unit))
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Services that were read and have no signature.
    pub fn healthy_services(&self) -> usize {
        let failing = self.failing_services();
        self.coverage
            .services
            .iter()
            .filter(|s| !failing.contains(*s))
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// 3: something at or above `--min-severity` was found; 1: nothing was found but part of
    /// the scan could not be read (a gate must not pass on what it could not see); 0: clean.
    pub fn exit_code(&self) -> u8 {
        if !self.groups.is_empty() {
            Code::Problem.as_u8()
        } else if !self.coverage.problems.is_empty() {
            Code::Error.as_u8()
        } else {
            Code::Ok.as_u8()
        }
    }
}

#[cfg(test)]
mod tests;
