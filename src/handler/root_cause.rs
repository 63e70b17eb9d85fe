//! Root cause: for a failed (or failing) deployment, the tasks it started are read and
//! grouped, and the largest group's example task becomes the incident's task, so that the
//! diagnosis, the checks and the revision diff are about what actually failed.

use tracing::{info, warn};

use super::{enrich, TARGET};
use crate::aws::clients::Target;
use crate::aws::{TaskSource, TaskSources};
use crate::deployment::{self, RootCause};
use crate::diagnose::Lang;
use crate::incident::Incident;

/// Reads and groups the deployment's stopped tasks when `incident` is a deployment event
/// (`None` otherwise); the lead group's example task, enriched, becomes the incident's task.
pub async fn read<T: TaskSources>(
    tasks: &T,
    incident: &mut Incident,
    lang: Lang,
    log_lines: usize,
) -> Option<RootCause> {
    let trigger = deployment::trigger(incident)?;
    let source = tasks.source_for(&Target::of(incident)).await;
    let read = deployment::read(&source.cluster_reads(), incident, &trigger).await;
    let root = deployment::root_cause(incident, &read, lang);
    info!(
        target: TARGET,
        deployment = %root.deployment.id,
        stopped_tasks = root.deployment.stopped_tasks,
        other_tasks = read.other_tasks,
        groups = root.groups.len(),
        list_tasks = read.tasks.calls.list_tasks,
        describe_tasks = read.tasks.calls.describe_tasks,
        "deployment tasks read"
    );
    if !read.problems.is_empty() {
        warn!(target: TARGET, problems = ?read.problems, "deployment tasks not fully read");
    }
    if let Some(example) = root.example_task() {
        incident.task = Some(example.clone());
        // The example's task definition and log tail, as for a task event.
        enrich(&source, incident, log_lines).await;
    }
    Some(root)
}
