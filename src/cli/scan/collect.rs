//! Reads clusters through [`ClusterReads`] and turns what is failing into observations.
//!
//! Clusters are read concurrently, and within a cluster the stopped tasks, the services and
//! the container instances too; the source bounds how many calls are in flight at once, so
//! this code may start as many as it likes. A fatal error (credentials, Region) ends the scan;
//! any other failure is recorded as a [`Problem`] and the scan goes on.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::task::JoinSet;

use super::{
    deployment_observation, instance_observation, service_event_observation, task_observation, Capped, Coverage,
    Observation, Problem,
};
use crate::aws::ecs::stopped_tasks::{self as tasks, FailedCall};
use crate::aws::{ClusterReads, ScanError, ServiceState, DESCRIBE_INSTANCES_BATCH, DESCRIBE_SERVICES_BATCH};
use crate::incident::arn_name;

/// What to scan.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Cluster names or ARNs; empty: every cluster of the Region.
    pub clusters: Vec<String>,
    /// Service names; empty: every service (and tasks outside services, and container instances).
    pub services: Vec<String>,
    /// Only what happened at or after this time (epoch milliseconds) counts.
    pub since: i64,
    /// Most stopped tasks examined per cluster.
    pub max_tasks: usize,
}

/// Where the scan is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Status {
    pub clusters_total: usize,
    pub clusters_done: usize,
    pub tasks_listed: usize,
    pub tasks_described: usize,
    pub services_described: usize,
}

/// What changed, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    ClusterStarted(String),
    TasksListed {
        cluster: String,
        count: usize,
        capped: bool,
    },
    TasksDescribed,
    ServicesDescribed,
    ClusterDone(String),
}

/// Receives progress; the CLI prints it on stderr (or not, with `--quiet`).
pub trait Progress: Send + Sync + 'static {
    fn update(&self, step: &Step, status: Status);
}

/// No progress display.
pub struct Silent;

impl Progress for Silent {
    fn update(&self, _: &Step, _: Status) {}
}

#[derive(Default)]
struct Counters {
    clusters_total: AtomicUsize,
    clusters_done: AtomicUsize,
    tasks_listed: AtomicUsize,
    tasks_described: AtomicUsize,
    services_described: AtomicUsize,
}

struct Shared<S, P: ?Sized> {
    source: Arc<S>,
    progress: Arc<P>,
    counters: Counters,
    plan: Plan,
}

impl<S, P: Progress + ?Sized> Shared<S, P> {
    fn report(&self, step: Step) {
        let c = &self.counters;
        let status = Status {
            clusters_total: c.clusters_total.load(Ordering::Relaxed),
            clusters_done: c.clusters_done.load(Ordering::Relaxed),
            tasks_listed: c.tasks_listed.load(Ordering::Relaxed),
            tasks_described: c.tasks_described.load(Ordering::Relaxed),
            services_described: c.services_described.load(Ordering::Relaxed),
        };
        self.progress.update(&step, status);
    }
}

/// What one cluster gave.
#[derive(Default)]
struct Found {
    observations: Vec<Observation>,
    coverage: Coverage,
    /// (cluster, service) pairs where an asked-for service does not exist; they become
    /// problems once every cluster is in (see [`collect`]).
    missing_services: BTreeSet<(String, String)>,
}

impl Found {
    fn problem(&mut self, cluster: &str, service: Option<&str>, err: &ScanError) {
        self.coverage.problems.push(Problem {
            cluster: Some(cluster.to_string()),
            service: service.map(str::to_string),
            kind: err.kind(),
            message: err.to_string(),
        });
    }

    fn absorb(&mut self, other: Found) {
        self.observations.extend(other.observations);
        let (c, o) = (&mut self.coverage, other.coverage);
        c.clusters.extend(o.clusters);
        c.services.extend(o.services);
        c.stopped_tasks += o.stopped_tasks;
        c.stopped_tasks_older += o.stopped_tasks_older;
        c.service_events += o.service_events;
        c.deployments += o.deployments;
        c.container_instances += o.container_instances;
        c.capped.extend(o.capped);
        c.problems.extend(o.problems);
        self.missing_services.extend(other.missing_services);
    }
}

/// Scans the clusters of `plan`. `Err` only for a fatal error.
pub async fn collect<S: ClusterReads, P: Progress + ?Sized>(
    source: Arc<S>,
    plan: Plan,
    progress: Arc<P>,
) -> Result<(Vec<Observation>, Coverage), ScanError> {
    let mut found = Found::default();
    let clusters = if plan.clusters.is_empty() {
        match source.list_clusters().await {
            Ok(clusters) => clusters,
            Err(err) if err.is_fatal() => return Err(err),
            Err(err) => {
                found.coverage.problems.push(Problem {
                    cluster: None,
                    service: None,
                    kind: err.kind(),
                    message: err.to_string(),
                });
                Vec::new()
            }
        }
    } else {
        // The same cluster named twice (as a name and an ARN) is scanned once.
        let mut seen = BTreeSet::new();
        plan.clusters
            .iter()
            .filter(|c| seen.insert(arn_name(c).to_string()))
            .cloned()
            .collect()
    };
    let shared = Arc::new(Shared {
        source: source.clone(),
        progress,
        counters: Counters::default(),
        plan,
    });
    shared.counters.clusters_total.store(clusters.len(), Ordering::Relaxed);
    let mut jobs = JoinSet::new();
    for cluster in clusters {
        let shared = shared.clone();
        jobs.spawn(async move { scan_cluster(shared, cluster).await });
    }
    while let Some(joined) = jobs.join_next().await {
        match joined {
            Ok(Ok(cluster)) => found.absorb(cluster),
            Ok(Err(fatal)) => return Err(fatal),
            Err(join) => return Err(ScanError::Other(format!("a scan job ended unexpectedly: {join}"))),
        }
    }
    found.coverage.clusters.sort();
    found.coverage.services.sort();
    // With no --cluster, each --service is looked for in every cluster: missing from some is
    // normal, missing from all is one line.
    let everywhere = shared.plan.clusters.is_empty();
    let seen: BTreeSet<&str> = found.coverage.services.iter().map(|(_, s)| s.as_str()).collect();
    let mut said = BTreeSet::new();
    for (cluster, service) in &found.missing_services {
        let (cluster, message) = if everywhere {
            if seen.contains(service.as_str()) || !said.insert(service) {
                continue;
            }
            (None, format!("service {service} is in none of the clusters scanned"))
        } else {
            (
                Some(cluster.clone()),
                format!("service {service} is not in cluster {cluster}"),
            )
        };
        found.coverage.problems.push(Problem {
            cluster,
            service: Some(service.clone()),
            kind: "not-found",
            message: ScanError::NotFound(message).to_string(),
        });
    }
    // An unknown cluster fails ListTasks and ListServices alike: say it once.
    let mut said = BTreeSet::new();
    found.coverage.problems.retain(|p| {
        p.kind != "not-found"
            || said.insert((
                p.cluster.clone(),
                p.service.clone(),
                p.message.contains("ClusterNotFound"),
            ))
    });
    found.coverage.api_calls = source.api_calls();
    Ok((found.observations, found.coverage))
}

async fn scan_cluster<S: ClusterReads, P: Progress + ?Sized>(
    shared: Arc<Shared<S, P>>,
    cluster: String,
) -> Result<Found, ScanError> {
    let name = arn_name(&cluster).to_string();
    shared.report(Step::ClusterStarted(name.clone()));
    let (tasks, services, instances) = tokio::join!(
        stopped_tasks(&shared, &cluster),
        services(&shared, &cluster),
        container_instances(&shared, &cluster),
    );
    let mut found = Found::default();
    found.coverage.clusters.push(name.clone());
    found.absorb(tasks?);
    found.absorb(services?);
    found.absorb(instances?);
    shared.counters.clusters_done.fetch_add(1, Ordering::Relaxed);
    shared.report(Step::ClusterDone(name));
    Ok(found)
}

/// Describes `ids` in batches of `size`, all at once (the source bounds the calls in flight).
/// A batch that fails is recorded in `found` and the rest go on; a fatal error ends the scan.
async fn in_batches<T, F, Fut>(
    ids: &[String],
    size: usize,
    cluster: &str,
    found: &mut Found,
    describe: F,
) -> Result<Vec<T>, ScanError>
where
    T: Send + 'static,
    F: Fn(String, Vec<String>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, ScanError>> + Send + 'static,
{
    let mut batches = JoinSet::new();
    for batch in ids.chunks(size) {
        batches.spawn(describe(cluster.to_string(), batch.to_vec()));
    }
    let mut out = Vec::new();
    while let Some(joined) = batches.join_next().await {
        match joined {
            Ok(Ok(items)) => out.extend(items),
            Ok(Err(err)) => found.absorb(recorded(cluster, None, err)?),
            Err(join) => return Err(ScanError::Other(format!("a scan job ended unexpectedly: {join}"))),
        }
    }
    Ok(out)
}

/// `Ok(Found)` with a problem recorded, or `Err` when the error is fatal.
fn recorded(cluster: &str, service: Option<&str>, err: ScanError) -> Result<Found, ScanError> {
    if err.is_fatal() {
        return Err(err);
    }
    let mut found = Found::default();
    found.problem(arn_name(cluster), service, &err);
    Ok(found)
}

async fn stopped_tasks<S: ClusterReads, P: Progress + ?Sized>(
    shared: &Arc<Shared<S, P>>,
    cluster: &str,
) -> Result<Found, ScanError> {
    let plan = &shared.plan;
    let name = arn_name(cluster).to_string();
    let read = tasks::stopped_tasks(
        &shared.source,
        cluster,
        &plan.services,
        plan.max_tasks,
        |step| match step {
            tasks::Step::Listed { count, capped } => {
                shared.counters.tasks_listed.fetch_add(count, Ordering::Relaxed);
                shared.report(Step::TasksListed {
                    cluster: name.clone(),
                    count,
                    capped,
                });
            }
            tasks::Step::Described { tasks } => {
                shared.counters.tasks_described.fetch_add(tasks, Ordering::Relaxed);
                shared.report(Step::TasksDescribed);
            }
        },
    )
    .await?;
    let mut found = Found::default();
    for FailedCall { service, error } in read.failures {
        match (error, service) {
            // Said once with DescribeServices' finding, not as a ListTasks error.
            (ScanError::ServiceNotFound(_), Some(service)) => {
                found
                    .missing_services
                    .insert((name.clone(), arn_name(&service).to_string()));
            }
            (error, service) => found.absorb(recorded(cluster, service.as_deref(), error)?),
        }
    }
    if read.capped {
        found.coverage.capped.push(Capped {
            cluster: name.clone(),
            examined: read.listed,
        });
    }
    for task in read.tasks {
        let observation = task_observation(cluster, task);
        if observation.at.is_some_and(|at| at < plan.since) {
            found.coverage.stopped_tasks_older += 1;
            continue;
        }
        found.coverage.stopped_tasks += 1;
        found.observations.push(observation);
    }
    Ok(found)
}

async fn services<S: ClusterReads, P: Progress + ?Sized>(
    shared: &Arc<Shared<S, P>>,
    cluster: &str,
) -> Result<Found, ScanError> {
    let plan = &shared.plan;
    let name = arn_name(cluster).to_string();
    let mut found = Found::default();
    let wanted: Vec<String> = if plan.services.is_empty() {
        match shared.source.list_services(cluster).await {
            Ok(arns) => arns,
            Err(err) => return recorded(cluster, None, err),
        }
    } else {
        plan.services.clone()
    };
    let mut described: Vec<ServiceState> = in_batches(
        &wanted,
        DESCRIBE_SERVICES_BATCH,
        cluster,
        &mut found,
        |cluster, batch| {
            let shared = shared.clone();
            async move {
                let result = shared.source.describe_services(&cluster, &batch).await;
                shared
                    .counters
                    .services_described
                    .fetch_add(batch.len(), Ordering::Relaxed);
                shared.report(Step::ServicesDescribed);
                result
            }
        },
    )
    .await?;
    described.sort_by(|a, b| a.name.cmp(&b.name));
    if !plan.services.is_empty() {
        for wanted in &plan.services {
            let short = arn_name(wanted);
            if !described.iter().any(|s| s.name == short) {
                found.missing_services.insert((name.clone(), short.to_string()));
            }
        }
    }
    for service in described {
        found.coverage.services.push((name.clone(), service.name.clone()));
        for event in &service.events {
            if event.created_at.is_some_and(|at| at < plan.since) {
                continue;
            }
            found.coverage.service_events += 1;
            found.observations.extend(service_event_observation(
                cluster,
                &service.arn,
                &event.message,
                event.created_at,
            ));
        }
        for deployment in &service.deployments {
            if deployment.updated_at.is_some_and(|at| at < plan.since) {
                continue;
            }
            found.coverage.deployments += 1;
            found.observations.extend(deployment_observation(
                cluster,
                &service.arn,
                &deployment.id,
                deployment.rollout_state.as_deref(),
                deployment.rollout_state_reason.as_deref(),
                deployment.updated_at,
            ));
        }
    }
    Ok(found)
}

async fn container_instances<S: ClusterReads, P: Progress + ?Sized>(
    shared: &Arc<Shared<S, P>>,
    cluster: &str,
) -> Result<Found, ScanError> {
    // Instances belong to the cluster, not to a service: a gate on one service ignores them.
    if !shared.plan.services.is_empty() {
        return Ok(Found::default());
    }
    let arns = match shared.source.list_container_instances(cluster).await {
        Ok(arns) => arns,
        Err(err) => return recorded(cluster, None, err),
    };
    let mut found = Found::default();
    let mut instances = in_batches(
        &arns,
        DESCRIBE_INSTANCES_BATCH,
        cluster,
        &mut found,
        |cluster, batch| {
            let source = shared.source.clone();
            async move { source.describe_container_instances(&cluster, &batch).await }
        },
    )
    .await?;
    instances.sort_by(|a, b| a.container_instance_arn.cmp(&b.container_instance_arn));
    for instance in instances {
        found.coverage.container_instances += 1;
        found.observations.extend(instance_observation(cluster, instance));
    }
    Ok(found)
}
