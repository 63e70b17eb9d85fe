//! Thread: every failure is counted into its service's open incident (opened by the first),
//! so that the messages of one incident share an id, a chat thread and an end.

use tracing::warn;

use crate::aws::{Failure, Ledger};
use crate::diagnose::Diagnosis;
use crate::incident::Incident;
use crate::incident::Place;
use crate::pipeline::root_cause::RootCause;
use crate::report::Thread;

/// Where an incident lives: `<cluster>/<service>`, `<cluster>/family:<name>`; `None` for what
/// belongs to no service or family (a container instance).
pub(super) fn unit(incident: &Incident) -> Option<String> {
    let place = Place::of(incident);
    Some(format!("{}/{}", place.cluster.as_deref()?, place.unit()?))
}

/// What this event adds to the incident: the deployment's tasks by cause, else this task (or
/// this event) under the primary rule.
fn failure(incident: &Incident, diagnosis: &Diagnosis, root: Option<&RootCause>) -> Failure {
    let mut failure = Failure::default();
    if let Some(root) = root {
        failure.causes = root
            .groups
            .iter()
            .map(|g| (g.signature.rule_id, g.task_arns.clone()))
            .collect();
        failure.deployment = Some((root.deployment.id.clone(), root.deployment.task_definition.clone()));
    }
    if failure.causes.is_empty() {
        let member = match (&incident.task, &incident.event_id) {
            (Some(task), _) => task.task_arn.clone(),
            (None, Some(id)) => format!("event:{id}"),
            (None, None) => return failure,
        };
        failure.causes = vec![(diagnosis.primary().rule_id, vec![member])];
    }
    failure
}

/// Counts the failure into its incident. Fails open: without the ledger the message still goes
/// out, only without its thread.
pub(super) async fn record<L: Ledger>(
    ledger: &L,
    incident: &Incident,
    diagnosis: &Diagnosis,
    root: Option<&RootCause>,
    now: u64,
) -> Option<Thread> {
    let unit = unit(incident)?;
    match ledger.record(&unit, &failure(incident, diagnosis, root), now).await {
        Ok(thread) => thread,
        Err(err) => {
            warn!(%unit, error = %err, "incident not recorded; publishing without a thread");
            None
        }
    }
}
