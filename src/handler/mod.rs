//! The pipeline for one event: decode → enrich → diagnose → verify → render → publish.
//!
//! Generic over the AWS traits so that tests run it with mocked SDK clients or against moto,
//! and the Lambda runs it with real clients built once at start. Each gate is a step in a
//! module of its own that hands the next step its value or stops the event with a reason.

mod claim;
mod decode;
mod enrich;
mod live;
mod log_tail;
mod mute;
mod policy;
mod publish;
mod resolve;
mod root_cause;
mod route;
mod status;
mod thread;

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;
use tracing::info;

use crate::aws::clients::Target;
use crate::aws::mutes::{MuteSource, NoMutes};
use crate::aws::{Ledger, Publisher, TaskSources};
use crate::config::Config;
use crate::deployment;
use crate::error::HandlerError;
use crate::incident::Incident;
use crate::metrics::{self, Fate};
use crate::report::{self, ChangeReader, Report};
use crate::resolved;
use crate::verify::{self, NoVerifier, Verifier};

pub use claim::ledger_keys;
pub use enrich::{enrich, merge};
pub use live::{live_deps, LiveDeps};
pub use root_cause::read as deployment_root_cause;

/// The clients and settings one invocation needs.
pub struct Deps<T, P, L, V = NoVerifier, M = NoMutes> {
    /// Task reads, for the account and Region of each event ([`TaskSources`]).
    pub tasks: T,
    pub publisher: P,
    /// Deduplication and storm control (`NoLedger` / `None`: off).
    pub ledger: L,
    /// Checks of the suspected cause against the account (`NoVerifier` / `None`: off).
    pub verifier: V,
    /// Mute rules (`NoMutes` / `None`: nothing is muted).
    pub mutes: M,
    pub config: Config,
}

/// What an invocation did (returned to the runtime, and logged).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    Published {
        message_id: String,
        rule_id: &'static str,
        severity: &'static str,
    },
    /// Not published, on purpose; `reason` says why.
    Skipped { reason: String },
}

/// Why a step ends the pipeline before the message goes out.
enum Stop {
    /// On purpose: the invocation succeeds with [`Outcome::Skipped`].
    Skipped(String),
    /// The invocation fails, so that Lambda retries the event and then sends it to the DLQ.
    Failed(HandlerError),
}

/// A step's value, or the end of [`handle`] the way the step said. A macro, not `?` in an inner
/// function: the Lambda's future nests within 3 of rustc's query depth limit (128), and each
/// future wrapped around the pipeline's steps or enrichment adds about 4.
macro_rules! pass {
    ($step:expr) => {
        match $step {
            Ok(value) => value,
            Err(Stop::Skipped(reason)) => return Ok(Outcome::Skipped { reason }),
            Err(Stop::Failed(err)) => return Err(err),
        }
    };
}

/// The steps' log lines keep the target they had when the pipeline was one file, so that log
/// filters and queries on `ecs_doctor::handler` still see them.
const TARGET: &str = "ecs_doctor::handler";

/// One event through the pipeline; each `pass!` step may end it early with a reason.
pub async fn handle<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
) -> Result<Outcome, HandlerError> {
    let started = Instant::now();
    let mut incident = pass!(decode::incident(payload));
    pass!(status::stopped(&incident));
    if resolved::is_recovery(&incident) {
        return Ok(pass!(resolve::resolve(deps, incident, epoch_seconds()).await));
    }
    // Inline, not a step function: see `pass!` on rustc's query depth limit.
    if incident.task.is_some() {
        let source = deps.tasks.source_for(&Target::of(&incident)).await;
        enrich(&source, &mut incident, deps.config.log_tail_lines).await;
    }
    let (lang, log_lines) = (deps.config.lang, deps.config.log_tail_lines);
    let root = root_cause::read(&deps.tasks, &mut incident, lang, log_lines).await;
    let diagnosis = deployment::diagnosis(&incident, lang);
    let rule_ids: Vec<&str> = diagnosis.findings.iter().map(|f| f.rule_id).collect();
    pass!(policy::publishable(&deps.config, &incident, &diagnosis, &rule_ids));
    // After the reads: storm windows start when the message is about to go out.
    let now = epoch_seconds();
    pass!(mute::unmuted(&deps.mutes, &incident, &diagnosis, now).await);
    let thread = thread::record(&deps.ledger, &incident, &diagnosis, root.as_ref(), now).await;
    let claimed = pass!(claim::claim(&deps.ledger, &mut incident, &diagnosis, now).await);
    let mut report = Report::from(diagnosis);
    report.thread = thread;
    if let Some(root) = &root {
        deployment::attach(&mut incident, &mut report, root);
    }
    report::verify(&deps.verifier, &incident, &mut report, verify::DEFAULT_BUDGET).await;
    let publication = route::publication(&deps.config, &mut incident, &report);
    let message_id = pass!(publish::publish(deps, &publication, &incident, &report, &claimed).await);
    info!(
        task_arn = task_arn(&incident),
        event_id = incident.event_id.as_deref().unwrap_or(""),
        ?rule_ids,
        %message_id,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "published"
    );
    emit(&incident, &report, Fate::Published);
    emit_incident(&incident, &report);
    Ok(published(&report, message_id))
}

/// One Embedded Metric Format line per diagnosed incident, on stdout: CloudWatch Logs turns
/// it into metrics (namespace `EcsDoctor`). Written as its own line, apart from the tracing
/// output, because EMF must be a standalone JSON log event.
fn emit(incident: &Incident, report: &Report, fate: Fate) {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    println!("{}", metrics::emf_line(incident, report, fate, millis));
}

/// The incident metrics' EMF line, when the message opened or resolved an incident.
fn emit_incident(incident: &Incident, report: &Report) {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    if let Some(line) = report
        .thread
        .as_ref()
        .and_then(|thread| metrics::incident_line(incident, thread, millis))
    {
        println!("{line}");
    }
}

fn epoch_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn published(report: &Report, message_id: String) -> Outcome {
    let primary = report.primary();
    Outcome::Published {
        message_id,
        rule_id: primary.rule_id,
        severity: primary.severity.as_str(),
    }
}

fn task_arn(incident: &Incident) -> &str {
    incident.task.as_ref().map_or("", |t| t.task_arn.as_str())
}
