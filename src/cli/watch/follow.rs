//! The watch as a state machine, without a clock or I/O: [`Follow::observe`] takes one read of
//! the service and the time since the watch began, and says what to do next ([`Next`]): wait and
//! read again, diagnose the deployment's failed tasks (then [`Follow::diagnosed`]), or end. The
//! async loop around it ([`super::watch`]) only reads, sleeps and diagnoses.

use std::collections::BTreeSet;
use std::time::Duration;

use super::{End, Options, Outcome, Step};
use crate::aws::{DeploymentState, ScanError, ServiceState};
use crate::incident::{arn_name, Incident, ServiceEvent, Source};
use crate::report::Report;

/// What the loop does after a read.
#[derive(Debug, Clone)]
pub enum Next {
    /// Read the service again after this long.
    Wait(Duration),
    /// Read, group and diagnose the deployment's failed tasks for this incident (a
    /// `SERVICE_DEPLOYMENT_FAILED` of the followed deployment), then call [`Follow::diagnosed`].
    Diagnose(Box<Incident>),
    /// The watch is over: [`Follow::finish`] says how.
    End(End),
}

/// What the watch has seen so far.
#[derive(Debug)]
pub struct Follow {
    options: Options,
    /// Service event ids (or messages) already shown or older than the watch.
    seen_events: BTreeSet<String>,
    first_read: bool,
    /// The deployment followed, once picked.
    followed: Option<String>,
    /// The followed deployment as last read (absent once ECS dropped it).
    last: Option<DeploymentState>,
    replaced_by: Option<DeploymentState>,
    failed_tasks: usize,
    /// How the last read ended the deployment, if it did (completed, failed, replaced).
    ended: Option<End>,
    timed_out: bool,
    /// `failedTasks` at the last diagnosis: a new one runs when more tasks have failed.
    diagnosed_at: usize,
    diagnosis: Option<(Incident, Report)>,
}

impl Follow {
    pub fn new(options: Options) -> Self {
        Follow {
            options,
            seen_events: BTreeSet::new(),
            first_read: true,
            followed: None,
            last: None,
            replaced_by: None,
            failed_tasks: 0,
            ended: None,
            timed_out: false,
            diagnosed_at: 0,
            diagnosis: None,
        }
    }

    /// One read of the service, `elapsed` after the watch began: the progress it shows, and
    /// what to do next. `Err` when the service has no deployment to follow.
    pub fn observe(&mut self, service: &ServiceState, elapsed: Duration) -> Result<(Vec<Step>, Next), ScanError> {
        let mut steps = Vec::new();
        let id = match &self.followed {
            Some(id) => id.clone(),
            None => {
                let picked = pick(service, &self.options).ok_or_else(|| self.nothing_to_follow())?;
                steps.push(Step::Following {
                    deployment_id: picked.id.clone(),
                    task_definition: picked.task_definition.clone(),
                });
                self.followed = Some(picked.id.clone());
                picked.id.clone()
            }
        };
        for event in &service.events {
            let key = event.id.clone().unwrap_or_else(|| event.message.clone());
            // Events older than the watch are history: only new ones are shown.
            if self.seen_events.insert(key) && !self.first_read {
                steps.push(Step::Event(event.message.clone()));
            }
        }
        self.first_read = false;
        let current = service.deployments.iter().find(|d| d.id == id).cloned();
        if current != self.last {
            if let Some(d) = &current {
                steps.push(Step::Changed(d.clone()));
            }
        }
        self.replaced_by = service
            .deployments
            .iter()
            .find(|d| d.id != id && d.status.as_deref() == Some("PRIMARY"))
            .cloned();
        self.failed_tasks = current.as_ref().and_then(|d| d.failed_tasks).unwrap_or(0);
        self.ended = match current.as_ref().and_then(|d| d.rollout_state.as_deref()) {
            Some("COMPLETED") => Some(End::Completed),
            Some("FAILED") => Some(End::Failed),
            // ECS drops a deployment that another one replaced (a rollback, a newer deploy).
            _ if current.is_none() || self.replaced_by.is_some() => Some(End::Failed),
            _ => None,
        };
        self.timed_out = self.ended.is_none() && elapsed >= self.options.timeout;
        let reason = current.as_ref().and_then(|d| d.rollout_state_reason.clone());
        self.last = current;
        // Diagnose as soon as tasks fail, again when more have failed, and once at the end.
        let failed_at_end = self.ended == Some(End::Failed) && self.diagnosis.is_none();
        if self.failed_tasks > self.diagnosed_at || failed_at_end {
            self.diagnosed_at = self.failed_tasks.max(1);
            return Ok((
                steps,
                Next::Diagnose(Box::new(self.failed_deployment(service, &id, reason))),
            ));
        }
        Ok((steps, self.next(elapsed)))
    }

    /// The diagnosis of the failed tasks (`None` while ECS lists none), `elapsed` after the
    /// watch began: the progress it shows, and what to do next (never [`Next::Diagnose`]).
    pub fn diagnosed(&mut self, found: Option<(Incident, Report)>, elapsed: Duration) -> (Vec<Step>, Next) {
        let mut steps = Vec::new();
        if let Some(found) = found {
            steps.push(Step::Diagnosed(Box::new(found.clone())));
            self.diagnosis = Some(found);
        }
        (steps, self.next(elapsed))
    }

    /// The watch's result once [`Next::End`] said `end`. The diagnosis may predate the end: its
    /// deployment facts become the last read's.
    pub fn finish(mut self, end: End) -> Outcome {
        if let Some(d) = self.diagnosis.as_mut().and_then(|(_, r)| r.deployment.as_mut()) {
            if let Some(last) = &self.last {
                d.rollout_state = last.rollout_state.clone();
                d.running_tasks = last.running_count;
            }
            if let Some(by) = self
                .replaced_by
                .as_ref()
                .filter(|by| by.task_definition != d.task_definition)
            {
                d.rolled_back = true;
                d.previous_task_definition = by.task_definition.clone();
            }
        }
        Outcome {
            end,
            deployment_id: self.followed.unwrap_or_default(),
            last: self.last,
            replaced_by: self.replaced_by,
            diagnosis: self.diagnosis,
        }
    }

    /// The one place the end is decided: the deployment's own end, else the timeout (failing
    /// when tasks failed or were diagnosed), else another read after the interval.
    fn next(&self, elapsed: Duration) -> Next {
        match (self.ended, self.timed_out) {
            (Some(end), _) => Next::End(end),
            (None, true) if self.failed_tasks > 0 || self.diagnosis.is_some() => Next::End(End::TimeoutFailing),
            (None, true) => Next::End(End::TimeoutInProgress),
            (None, false) => Next::Wait(self.options.interval.min(self.options.timeout.saturating_sub(elapsed))),
        }
    }

    /// The incident whose root cause is the deployment's failed tasks, as the Lambda sees a
    /// `SERVICE_DEPLOYMENT_FAILED` event.
    fn failed_deployment(&self, service: &ServiceState, id: &str, reason: Option<String>) -> Incident {
        Incident {
            source: Source::DeploymentStateChange,
            cluster: Some(self.options.cluster.clone()),
            service_event: Some(ServiceEvent {
                event_type: "ERROR".into(),
                event_name: "SERVICE_DEPLOYMENT_FAILED".into(),
                service_arn: Some(service.arn.clone()),
                reason,
                deployment_id: Some(id.to_string()),
                ..ServiceEvent::default()
            }),
            ..Incident::default()
        }
    }

    fn nothing_to_follow(&self) -> ScanError {
        let service = &self.options.service;
        ScanError::NotFound(match (&self.options.deployment, &self.options.task_definition) {
            (Some(id), _) => format!("service {service} has no deployment {id}"),
            (None, Some(td)) => format!("service {service} has no deployment of {td}"),
            _ => format!("service {service} has no deployment"),
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::ServiceEventRecord;
    use crate::diagnose::{diagnose, Lang};
    use crate::incident::Task;

    const SECOND: Duration = Duration::from_secs(1);

    fn options() -> Options {
        Options {
            cluster: "prod".into(),
            service: "api".into(),
            deployment: None,
            task_definition: None,
            timeout: 60 * SECOND,
            interval: 15 * SECOND,
            lang: Lang::En,
        }
    }

    fn deployment(id: &str, status: &str, rollout: &str, failed: usize) -> DeploymentState {
        DeploymentState {
            id: id.into(),
            status: Some(status.into()),
            rollout_state: Some(rollout.into()),
            task_definition: Some(format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/api:{}",
                id.len()
            )),
            failed_tasks: Some(failed),
            ..DeploymentState::default()
        }
    }

    fn service(deployments: Vec<DeploymentState>, events: &[&str]) -> ServiceState {
        ServiceState {
            arn: "arn:aws:ecs:us-east-1:123456789012:service/prod/api".into(),
            name: "api".into(),
            events: events
                .iter()
                .map(|m| ServiceEventRecord {
                    id: Some(m.to_string()),
                    created_at: None,
                    message: m.to_string(),
                })
                .collect(),
            deployments,
        }
    }

    fn found() -> (Incident, Report) {
        let incident = Incident {
            task: Some(Task::default()),
            ..Incident::default()
        };
        let report = Report::from(diagnose(&incident, Lang::En));
        (incident, report)
    }

    #[test]
    fn a_deployment_in_progress_waits_the_interval_and_then_what_is_left() {
        // GIVEN a deployment still in progress with no failed task
        let mut follow = Follow::new(options());
        let read = service(
            vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 0)],
            &["old event"],
        );
        // WHEN it is read at the start and 50 s in
        let (steps, next) = follow.observe(&read, Duration::ZERO).expect("followed");
        // THEN the watch follows it, shows no old event, and waits
        assert!(matches!(&steps[0], Step::Following { deployment_id, .. } if deployment_id == "ecs-svc/1"));
        assert!(!steps.iter().any(|s| matches!(s, Step::Event(_))), "{steps:?}");
        assert!(matches!(next, Next::Wait(d) if d == 15 * SECOND));
        let (steps, next) = follow.observe(&read, 50 * SECOND).expect("followed");
        assert!(steps.is_empty(), "nothing changed: {steps:?}");
        assert!(
            matches!(next, Next::Wait(d) if d == 10 * SECOND),
            "never past the timeout"
        );
    }

    #[test]
    fn new_events_and_changes_are_shown_once() {
        let mut follow = Follow::new(options());
        follow
            .observe(
                &service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 0)], &["a"]),
                Duration::ZERO,
            )
            .expect("followed");
        let mut changed = deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 0);
        changed.running_count = Some(2);
        let (steps, _) = follow
            .observe(&service(vec![changed.clone()], &["a", "b"]), SECOND)
            .expect("read");
        assert!(
            matches!(&steps[..], [Step::Event(m), Step::Changed(d)] if m == "b" && d == &changed),
            "{steps:?}"
        );
        let (steps, _) = follow
            .observe(&service(vec![changed], &["a", "b"]), 2 * SECOND)
            .expect("read");
        assert!(steps.is_empty(), "{steps:?}");
    }

    #[test]
    fn failed_tasks_are_diagnosed_when_they_appear_and_again_when_more_fail() {
        let mut follow = Follow::new(options());
        let (_, next) = follow
            .observe(
                &service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 2)], &[]),
                Duration::ZERO,
            )
            .expect("followed");
        let Next::Diagnose(failed) = next else {
            panic!("{next:?}")
        };
        let event = failed.service_event.as_ref().expect("a deployment event");
        assert_eq!(event.event_name, "SERVICE_DEPLOYMENT_FAILED");
        assert_eq!(event.deployment_id.as_deref(), Some("ecs-svc/1"));
        assert_eq!(failed.cluster.as_deref(), Some("prod"));
        let (steps, next) = follow.diagnosed(Some(found()), SECOND);
        assert!(matches!(&steps[..], [Step::Diagnosed(_)]), "{steps:?}");
        assert!(matches!(next, Next::Wait(d) if d == 15 * SECOND));
        // The same count: no second diagnosis; more failed tasks: one more.
        let same = service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 2)], &[]);
        assert!(matches!(follow.observe(&same, 16 * SECOND).expect("read").1, Next::Wait(d) if d == 15 * SECOND));
        let more = service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 3)], &[]);
        assert!(matches!(
            follow.observe(&more, 31 * SECOND).expect("read").1,
            Next::Diagnose(_)
        ));
    }

    #[test]
    fn the_deployment_decides_the_end_before_the_clock() {
        let mut completed = Follow::new(options());
        let read = service(vec![deployment("ecs-svc/1", "PRIMARY", "COMPLETED", 0)], &[]);
        assert!(matches!(
            completed.observe(&read, 99 * SECOND).expect("read").1,
            Next::End(End::Completed)
        ));
        assert_eq!(completed.finish(End::Completed).deployment_id, "ecs-svc/1");

        // A failure with no diagnosis yet is diagnosed once before the end.
        let mut failed = Follow::new(options());
        let read = service(vec![deployment("ecs-svc/1", "PRIMARY", "FAILED", 0)], &[]);
        assert!(matches!(
            failed.observe(&read, SECOND).expect("read").1,
            Next::Diagnose(_)
        ));
        assert!(matches!(failed.diagnosed(None, 2 * SECOND).1, Next::End(End::Failed)));
    }

    #[test]
    fn a_replaced_deployment_has_failed_and_its_diagnosis_says_it_rolled_back() {
        let mut follow = Follow::new(Options {
            deployment: Some("ecs-svc/new".into()),
            ..options()
        });
        let both = service(
            vec![
                deployment("ecs-svc/old", "ACTIVE", "COMPLETED", 0),
                deployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 1),
            ],
            &[],
        );
        assert!(matches!(
            follow.observe(&both, Duration::ZERO).expect("read").1,
            Next::Diagnose(_)
        ));
        let (incident, mut report) = found();
        report.deployment = Some(crate::report::Deployment {
            task_definition: Some("arn:aws:ecs:us-east-1:123456789012:task-definition/api:12".into()),
            ..Default::default()
        });
        follow.diagnosed(Some((incident, report)), SECOND);
        // The rollback: the old deployment is PRIMARY again, the new one is gone.
        let rolled_back = service(vec![deployment("ecs-svc/old", "PRIMARY", "IN_PROGRESS", 0)], &[]);
        assert!(matches!(
            follow.observe(&rolled_back, 20 * SECOND).expect("read").1,
            Next::End(End::Failed)
        ));
        let outcome = follow.finish(End::Failed);
        let facts = outcome
            .diagnosis
            .and_then(|(_, r)| r.deployment)
            .expect("deployment facts");
        assert!(facts.rolled_back);
        assert_eq!(
            facts.previous_task_definition.as_deref(),
            Some("arn:aws:ecs:us-east-1:123456789012:task-definition/api:11")
        );
        assert!(outcome.last.is_none(), "ECS dropped the followed deployment");
    }

    #[test]
    fn the_timeout_ends_failing_or_in_progress() {
        let mut quiet = Follow::new(options());
        let read = service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 0)], &[]);
        assert!(matches!(
            quiet.observe(&read, 60 * SECOND).expect("read").1,
            Next::End(End::TimeoutInProgress)
        ));

        let mut failing = Follow::new(options());
        let read = service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 1)], &[]);
        assert!(matches!(
            failing.observe(&read, 60 * SECOND).expect("read").1,
            Next::Diagnose(_)
        ));
        assert!(matches!(
            failing.diagnosed(None, 61 * SECOND).1,
            Next::End(End::TimeoutFailing)
        ));
    }

    #[test]
    fn a_service_without_the_named_deployment_is_an_error_that_names_it() {
        let mut follow = Follow::new(Options {
            deployment: Some("ecs-svc/9".into()),
            ..options()
        });
        let read = service(vec![deployment("ecs-svc/1", "PRIMARY", "IN_PROGRESS", 0)], &[]);
        let err = follow.observe(&read, Duration::ZERO).expect_err("nothing to follow");
        assert!(
            err.to_string().contains("service api has no deployment ecs-svc/9"),
            "{err}"
        );
    }

    #[test]
    fn a_rollback_in_progress_follows_the_deployment_that_failed() {
        let mut follow = Follow::new(options());
        let mut rollback = deployment("ecs-svc/rollback", "PRIMARY", "IN_PROGRESS", 0);
        rollback.rollout_state_reason =
            Some("ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/old".into());
        let read = service(vec![rollback, deployment("ecs-svc/bad", "ACTIVE", "FAILED", 3)], &[]);
        let (steps, _) = follow.observe(&read, Duration::ZERO).expect("read");
        assert!(
            matches!(&steps[0], Step::Following { deployment_id, .. } if deployment_id == "ecs-svc/bad"),
            "{steps:?}"
        );
    }
}
