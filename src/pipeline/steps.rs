//! The pipeline's steps for one event, one call each ([`handle`]): what the Lambda runs for
//! every invocation, and `ecs-doctor replay --publish` for every message it replays.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use serde_json::Value;
use tracing::{error, info, warn};

use super::budget::{self, Budget, Stage};
use super::deps::Deps;
use super::investigate::{investigate, Investigation, Options};
use super::metrics::Fate;
use super::outcome::{emit, emit_incident, published, task_arn, Outcome, Stop};
use super::{decode, dedup, gate, mute, publish, resolve, route, thread};
use crate::aws::mutes::MuteSource;
use crate::aws::{Ledger, Publisher, TaskSources};
use crate::error::HandlerError;
use crate::incident::{Note, Part};
use crate::report::ChangeReader;
use crate::util::time::now_epoch_seconds;
use crate::verify::Verifier;

/// One event through the pipeline within the default budget ([`budget::DEFAULT`], the function
/// timeout): `ecs-doctor replay --publish` and the tests.
pub async fn handle<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
) -> Result<Outcome, HandlerError> {
    handle_within(deps, payload, Budget::of(budget::DEFAULT)).await
}

/// One event through the pipeline, every stage within its share of `budget`. A stage that stops
/// it on purpose makes the invocation a success ([`Outcome::Skipped`], with the reason); one
/// that fails, or a panic, makes it an error, so that Lambda retries the event and then sends it
/// to the dead-letter queue. A claim the failed invocation took holds only until the end of
/// `budget`, so the retry publishes.
pub async fn handle_within<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
    budget: Budget,
) -> Result<Outcome, HandlerError> {
    match CatchPanic(Box::pin(steps(deps, payload, &budget))).await {
        Ok(Ok(outcome)) => Ok(outcome),
        Ok(Err(Stop::Skipped(reason))) => Ok(Outcome::Skipped { reason }),
        Ok(Err(Stop::Failed(err))) => Err(err),
        Err(panic) => {
            error!(panic = %panic, "the pipeline panicked; the event is retried");
            Err(HandlerError::Panic(panic))
        }
    }
}

/// The stages, one call each; `?` is a stage ending the event early.
async fn steps<T: TaskSources, P: Publisher, L: Ledger, V: Verifier + ChangeReader, M: MuteSource>(
    deps: &Deps<T, P, L, V, M>,
    payload: Value,
    budget: &Budget,
) -> Result<Outcome, Stop> {
    let started = Instant::now();
    let incident = decode::incident(payload)?;
    gate::stopped(&incident)?;
    if resolve::is_recovery(&incident) {
        return resolve::resolve(deps, incident, now_epoch_seconds(), budget).await;
    }
    let options = Options {
        lang: deps.config.lang,
        log_lines: deps.config.log_tail_lines,
    };
    let event_only = incident.clone();
    let mut found = match budget
        .run(Stage::Reads, investigate(&deps.tasks, incident, options))
        .await
    {
        Ok(found) => found,
        Err(_) => {
            // What the event says goes out; the reads' partial results are lost with them.
            warn!(
                task_arn = task_arn(&event_only),
                "reads out of time; diagnosing the event alone"
            );
            Investigation::of_event(event_only, options.lang, Note::OutOfTime { part: Part::Reads })
        }
    };
    let rule_ids: Vec<&'static str> = found.diagnosis.findings.iter().map(|f| f.rule_id).collect();
    gate::publishable(&deps.config, &found.incident, &found.diagnosis, &rule_ids)?;
    // After the reads: storm windows start when the message is about to go out.
    let now = now_epoch_seconds();
    // Mute rules fail open, out of time too: a muted alert sent beats an alert lost.
    if let Ok(muted) = budget
        .run(
            Stage::Ledger,
            mute::unmuted(&deps.mutes, &found.incident, &found.diagnosis, now),
        )
        .await
    {
        muted?;
    }
    let recorded = thread::record(
        &deps.ledger,
        &found.incident,
        &found.diagnosis,
        found.root.as_ref(),
        now,
    );
    let thread = match budget.run(Stage::Ledger, recorded).await {
        Ok(thread) => thread,
        Err(_) => {
            warn!("incident thread out of time; publishing without it");
            found.incident.notes.push(Note::OutOfTime { part: Part::Thread });
            None
        }
    };
    let claimed = dedup::claim(&deps.ledger, &mut found.incident, &found.diagnosis, now, budget).await?;
    let (mut incident, report) = found.verify(&deps.verifier, thread, budget.left(Stage::Verify)).await;
    let publication = route::publication_logged(&deps.config, &mut incident, &report);
    let message_id = publish::publish(deps, &publication, &incident, &report, &claimed, budget).await?;
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

/// A future that turns a panic while polling `F` into an error: the invocation then fails like
/// any other, and is retried, instead of taking the runtime's generic panic path.
struct CatchPanic<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchPanic<F> {
    type Output = Result<F::Output, String>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Ready(out)) => Poll::Ready(Ok(out)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(payload) => Poll::Ready(Err(payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into()))),
        }
    }
}
