//! Resolve: a steady state (or a completed deployment) ends the service's open incident with
//! one `resolved` message; without an open incident it publishes nothing.

use tracing::{info, warn};

use super::claim::Claimed;
use super::{publish, route, thread, Deps, Outcome, Stop, TARGET};
use crate::aws::clients::Target;
use crate::aws::{ClusterSource, Ledger, Publisher, TaskSource, TaskSources};
use crate::incident::Incident;
use crate::resolved;

pub(super) async fn resolve<T: TaskSources, P: Publisher, L: Ledger, V, M>(
    deps: &Deps<T, P, L, V, M>,
    mut incident: Incident,
    now: u64,
) -> Result<Outcome, Stop> {
    let Some(unit) = thread::unit(&incident) else {
        return Err(Stop::Skipped("steady state of no known service".into()));
    };
    let thread = match deps.ledger.resolve(&unit, now).await {
        Ok(Some(thread)) => thread,
        Ok(None) => {
            info!(target: TARGET, %unit, "steady state without an open incident");
            return Err(Stop::Skipped(format!(
                "{unit} reached a steady state with no open incident"
            )));
        }
        Err(err) => {
            warn!(target: TARGET, %unit, error = %err, "incident ledger unavailable");
            return Err(Stop::Skipped(format!("incident ledger unavailable: {err}")));
        }
    };
    let source = deps.tasks.source_for(&Target::of(&incident)).await;
    let current = current_task_definition(&source, &incident).await;
    if let (Some(cluster), Some(service)) = (
        incident.cluster.clone(),
        incident
            .service_event
            .as_ref()
            .and_then(|e| e.service_name())
            .map(str::to_string),
    ) {
        // The same team topic as the incident's other messages.
        if let Ok(tags) = source.service_tags(&cluster, &service).await {
            incident.service_tags = tags;
        }
    }
    let ending = resolved::ending(&thread, current.as_deref());
    let report = resolved::report(&incident, thread, &ending, deps.config.lang);
    let publication = route::publication(&deps.config, &mut incident, &report);
    let published = publish::publish(deps, &publication, &incident, &report, &Claimed::none(now)).await;
    if published.is_err() {
        // The retry must find the incident open, or the resolved message is lost.
        if let Err(err) = deps.ledger.reopen(&unit, now).await {
            warn!(target: TARGET, %unit, error = %err, "could not reopen the incident after a failed publish");
        }
    }
    let message_id = published?;
    info!(target: TARGET, %unit, %message_id, ending = ?ending, "incident resolved");
    super::emit_incident(&incident, &report);
    Ok(super::published(&report, message_id))
}

/// The task definition the service runs now: the completed deployment's, else the primary's.
async fn current_task_definition<S: TaskSource>(source: &S, incident: &Incident) -> Option<String> {
    let cluster = incident.cluster.as_deref()?;
    let event = incident.service_event.as_ref()?;
    let service = event.service_name()?;
    let services = source
        .cluster_reads()
        .describe_services(cluster, &[service.to_string()])
        .await
        .ok()?;
    let deployments = &services.first()?.deployments;
    event
        .deployment_id
        .as_ref()
        .and_then(|id| deployments.iter().find(|d| &d.id == id))
        .or_else(|| deployments.iter().find(|d| d.status.as_deref() == Some("PRIMARY")))
        .and_then(|d| d.task_definition.clone())
}
