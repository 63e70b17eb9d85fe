//! Investigate: what the account says about an incident, and what that means. Five stages, in
//! this order: enrich → root cause → diagnose, then attach → verify. The Lambda's pipeline
//! ([`super::handle`], also run by `ecs-doctor replay --publish`), `ecs-doctor explain
//! --enrich/--verify` and `ecs-doctor watch` all investigate through here, so a new kind of root
//! cause or a new check is wired once.
//!
//! Two calls, not one: the Lambda decides whether to publish (policy, mutes, storm control)
//! from the diagnosis, and only then spends the verify stage's reads on what goes out.

use std::time::Duration;

use tracing::{info, warn};

use super::enrich::enrich;
use super::root_cause::{self, RootCause};
use crate::aws::clients::Target;
use crate::aws::{TaskSource, TaskSources};
use crate::diagnose::{Diagnosis, Lang};
use crate::incident::{Incident, Note, Part};
use crate::report::{self, ChangeReader, Report, Thread};
use crate::verify::{self, Verifier};

/// How much to read.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The report's language.
    pub lang: Lang,
    /// Lines of each failed container's log to read (0: none).
    pub log_lines: usize,
}

/// What the reads found: the incident as enriched, its diagnosis, and, for a deployment, the
/// root cause read from the tasks it started.
#[derive(Debug, Clone)]
pub struct Investigation {
    pub incident: Incident,
    pub diagnosis: Diagnosis,
    pub root: Option<RootCause>,
}

/// Enrich → root cause → diagnose. Never fails: what could not be read is a note on the incident
/// or a problem of the root cause, and the diagnosis uses what is known.
pub async fn investigate<T: TaskSources>(tasks: &T, mut incident: Incident, options: Options) -> Investigation {
    if incident.task.is_some() {
        let source = tasks.source_for(&Target::of(&incident)).await;
        enrich(&source, &mut incident, options.log_lines).await;
    }
    let root = deployment_root_cause(tasks, &mut incident, options).await;
    let diagnosis = root_cause::diagnosis(&incident, options.lang);
    Investigation {
        incident,
        diagnosis,
        root,
    }
}

impl Investigation {
    /// The event alone, when the reads could not be made: diagnosed as it is, with `note`.
    pub fn of_event(mut incident: Incident, lang: Lang, note: Note) -> Investigation {
        incident.notes.push(note);
        let diagnosis = root_cause::diagnosis(&incident, lang);
        Investigation {
            incident,
            diagnosis,
            root: None,
        }
    }

    /// Attach → verify: the report, with the deployment's grouped tasks and each finding's checks
    /// against the account, within [`verify::DEFAULT_BUDGET`] and at most `time_left`. With no
    /// time left the checks are skipped, and a note says so.
    pub async fn verify<V: Verifier + ChangeReader>(
        self,
        verifier: &V,
        thread: Option<Thread>,
        time_left: Duration,
    ) -> (Incident, Report) {
        let Investigation {
            mut incident,
            diagnosis,
            root,
        } = self;
        let mut report = Report::from(diagnosis);
        report.thread = thread;
        if let Some(root) = &root {
            root_cause::attach(&mut incident, &mut report, root);
        }
        // Under a tenth of a second nothing can be read: say so instead of a row of timeouts.
        if time_left < Duration::from_millis(100) {
            if !verify::selected(report.findings.iter().map(|f| &f.finding)).is_empty() {
                incident.notes.push(Note::OutOfTime { part: Part::Checks });
            }
        } else {
            report::verify(verifier, &incident, &mut report, verify::DEFAULT_BUDGET.min(time_left)).await;
        }
        (incident, report)
    }
}

/// For a deployment event (`None` otherwise): reads and groups the tasks the deployment started;
/// the lead group's example task, enriched, becomes the incident's task, so that the diagnosis,
/// the checks and the revision diff are about what actually failed.
async fn deployment_root_cause<T: TaskSources>(
    tasks: &T,
    incident: &mut Incident,
    options: Options,
) -> Option<RootCause> {
    let trigger = root_cause::trigger(incident)?;
    let source = tasks.source_for(&Target::of(incident)).await;
    let read = root_cause::read(&source.cluster_reads(), incident, &trigger).await;
    let root = root_cause::root_cause(incident, &read, options.lang);
    root_cause::adopt_status_reason(incident, &read, &root);
    info!(
        deployment = %root.deployment.id,
        stopped_tasks = root.deployment.stopped_tasks,
        other_tasks = read.other_tasks,
        groups = root.groups.len(),
        list_tasks = read.tasks.calls.list_tasks,
        describe_tasks = read.tasks.calls.describe_tasks,
        "deployment tasks read"
    );
    if !read.problems.is_empty() {
        warn!(problems = ?read.problems, "deployment tasks not fully read");
    }
    if let Some(example) = root.example_task() {
        incident.task = Some(example.clone());
        // The example's task definition and log tail, as for a task event.
        enrich(&source, incident, options.log_lines).await;
    }
    Some(root)
}
