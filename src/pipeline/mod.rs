//! The pipeline: every stage once, each in a module named after it, and [`handle`], which runs
//! one event through them: decode → gate → investigate (enrich → root cause → diagnose) →
//! publish policy → mutes → thread → storm control → investigate (attach → verify) → route →
//! publish.
//!
//! Generic over the AWS ports ([`Deps`]) so that tests run it with mocked SDK clients or against
//! moto, and the Lambda runs it with real clients built once at start. Each gate hands the next
//! stage its value or stops the event with a reason. The pure stages (grouping, routing, metrics,
//! the end of an incident) are built without the `aws` feature too: `explain` and `scan` use them.

#[cfg(feature = "aws")]
mod decode;
#[cfg(feature = "aws")]
pub mod dedup;
#[cfg(feature = "aws")]
mod deps;
#[cfg(feature = "aws")]
mod enrich;
#[cfg(feature = "aws")]
mod gate;
pub mod group;
#[cfg(feature = "aws")]
pub mod investigate;
#[cfg(feature = "aws")]
mod log_tail;
pub mod metrics;
#[cfg(feature = "aws")]
mod mute;
#[cfg(feature = "aws")]
mod publish;
pub mod resolve;
#[cfg(feature = "aws")]
pub mod root_cause;
pub mod route;
#[cfg(feature = "aws")]
mod thread;

#[cfg(feature = "aws")]
pub use self::lambda::*;

#[cfg(feature = "aws")]
mod lambda {
    use std::time::Instant;

    use serde::Serialize;
    use serde_json::Value;
    use tracing::info;

    use super::investigate::{investigate, Options};
    use super::metrics::{self, Fate};
    use super::{decode, dedup, gate, mute, publish, resolve, route, thread};
    use crate::aws::mutes::MuteSource;
    use crate::aws::{Ledger, Publisher, TaskSources};
    use crate::error::HandlerError;
    use crate::incident::Incident;
    use crate::report::{ChangeReader, Report};
    use crate::util::time::{now_epoch_millis, now_epoch_seconds};
    use crate::verify::Verifier;

    pub use super::dedup::ledger_keys;
    pub use super::deps::{live_deps, Deps, LiveDeps};
    pub use super::enrich::{enrich, merge};

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

    /// Why a stage ends the pipeline before the message goes out.
    pub(super) enum Stop {
        /// On purpose: the invocation succeeds with [`Outcome::Skipped`].
        Skipped(String),
        /// The invocation fails, so that Lambda retries the event and then sends it to the DLQ.
        Failed(HandlerError),
    }

    /// A stage's value, or the end of [`handle`] the way the stage said.
    macro_rules! pass {
        ($step:expr) => {
            match $step {
                Ok(value) => value,
                Err(Stop::Skipped(reason)) => return Ok(Outcome::Skipped { reason }),
                Err(Stop::Failed(err)) => return Err(err),
            }
        };
    }

    /// One event through the pipeline; each `pass!` stage may end it early with a reason.
    pub async fn handle<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
        deps: &Deps<T, P, L, V, M>,
        payload: Value,
    ) -> Result<Outcome, HandlerError> {
        let started = Instant::now();
        let incident = pass!(decode::incident(payload));
        pass!(gate::stopped(&incident));
        if resolve::is_recovery(&incident) {
            return Ok(pass!(resolve::resolve(deps, incident, now_epoch_seconds()).await));
        }
        let options = Options {
            lang: deps.config.lang,
            log_lines: deps.config.log_tail_lines,
        };
        let mut found = investigate(&deps.tasks, incident, options).await;
        let rule_ids: Vec<&'static str> = found.diagnosis.findings.iter().map(|f| f.rule_id).collect();
        pass!(gate::publishable(
            &deps.config,
            &found.incident,
            &found.diagnosis,
            &rule_ids
        ));
        // After the reads: storm windows start when the message is about to go out.
        let now = now_epoch_seconds();
        pass!(mute::unmuted(&deps.mutes, &found.incident, &found.diagnosis, now).await);
        let thread = thread::record(
            &deps.ledger,
            &found.incident,
            &found.diagnosis,
            found.root.as_ref(),
            now,
        )
        .await;
        let claimed = pass!(dedup::claim(&deps.ledger, &mut found.incident, &found.diagnosis, now).await);
        let (mut incident, report) = found.verify(&deps.verifier, thread).await;
        let publication = route::publication_logged(&deps.config, &mut incident, &report);
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
    pub(super) fn emit(incident: &Incident, report: &Report, fate: Fate) {
        println!("{}", metrics::emf_line(incident, report, fate, now_epoch_millis()));
    }

    /// The incident metrics' EMF line, when the message opened or resolved an incident.
    pub(super) fn emit_incident(incident: &Incident, report: &Report) {
        if let Some(line) = report
            .thread
            .as_ref()
            .and_then(|thread| metrics::incident_line(incident, thread, now_epoch_millis()))
        {
            println!("{line}");
        }
    }

    pub(super) fn published(report: &Report, message_id: String) -> Outcome {
        let primary = report.primary();
        Outcome::Published {
            message_id,
            rule_id: primary.rule_id,
            severity: primary.severity.as_str(),
        }
    }

    pub(super) fn task_arn(incident: &Incident) -> &str {
        incident.task.as_ref().map_or("", |t| t.task_arn.as_str())
    }
}
