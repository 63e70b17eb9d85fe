//! `ecs-doctor watch`: follows one deployment of a service until it completes, fails or the
//! time runs out, and explains its failed tasks as soon as there are any, with the same code
//! as the incident's deployment root cause ([`crate::pipeline::investigate`]).
//!
//! The loop reads DescribeServices every `interval` and hands each read to [`follow::Follow`], the
//! pure state machine that decides when to diagnose and when the watch ends; what it sees goes
//! to a [`Step`] callback (the CLI prints progress lines to stderr); the result is an [`Outcome`]
//! whose exit code a pipeline acts on.

mod command;
pub mod follow;
pub mod render;
pub use command::{run, Args};

use std::time::Duration;

use tokio::time::Instant;

use self::follow::{Follow, Next};
use crate::aws::clients::Target;
use crate::aws::{ClusterReads, DeploymentState, ScanError, ServiceState, TaskSource, TaskSources};
use crate::cli::exit::Code;
use crate::diagnose::Lang;
use crate::incident::{arn_name, Incident};
use crate::pipeline::investigate::{self, investigate};
use crate::report::{ChangeReader, Report};
use crate::verify::Verifier;

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
        let code = match self {
            End::Completed => Code::Ok,
            End::Failed => Code::Problem,
            End::TimeoutFailing => Code::TimeoutFailing,
            End::TimeoutInProgress => Code::TimeoutInProgress,
        };
        code.as_u8()
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
    let place = Incident {
        cluster: Some(options.cluster.clone()),
        ..Incident::default()
    };
    let reads = tasks.source_for(&Target::of(&place)).await.cluster_reads();
    let mut follow = Follow::new(options.clone());
    loop {
        let service = read_service(&*reads, &options.cluster, &options.service).await?;
        let (steps, mut next) = follow.observe(&service, started.elapsed())?;
        steps.into_iter().for_each(&mut on_step);
        loop {
            match next {
                Next::Diagnose(failed) => {
                    let found = diagnose(tasks, verifier, *failed, options.lang).await;
                    let (steps, after) = follow.diagnosed(found, started.elapsed());
                    steps.into_iter().for_each(&mut on_step);
                    next = after;
                }
                Next::Wait(interval) => {
                    tokio::time::sleep(interval).await;
                    break;
                }
                Next::End(end) => return Ok(follow.finish(end)),
            }
        }
    }
}

async fn read_service<S: ClusterReads>(source: &S, cluster: &str, service: &str) -> Result<ServiceState, ScanError> {
    source
        .describe_services(cluster, &[service.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ScanError::ServiceNotFound(format!("service {service} is not in cluster {}", arn_name(cluster))))
}

/// The root-cause message of the deployment's failed tasks so far (`None` while ECS lists
/// none): the incident pipeline's own investigation (read, grouping, diagnosis and checks).
async fn diagnose<T, V>(tasks: &T, verifier: &V, failed: Incident, lang: Lang) -> Option<(Incident, Report)>
where
    T: TaskSources,
    V: Verifier + ChangeReader,
{
    let found = investigate(tasks, failed, investigate::Options { lang, log_lines: 0 }).await;
    found.root.as_ref()?.example_task()?;
    Some(found.verify(verifier, None, crate::verify::DEFAULT_BUDGET).await)
}
