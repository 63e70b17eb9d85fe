//! A diagnosis with what was checked: each finding beside the checks the verify stage ran on
//! it, and what changed before the failure. This is what the renderers take.
//!
//! [`verify`] runs the stage: the findings worth checking are checked concurrently against
//! the account ([`Verifier`]), each check's verdict reorders its finding's steps, and "what
//! changed" ([`ChangeReader`]) is read last, within what is left of the budget, because it
//! looks at what the checks saw.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

use serde::Serialize;

use crate::changes::WhatChanged;
use crate::diagnose::{Category, Diagnosis, Finding, Lang, Severity, Tr};
use crate::incident::Incident;
use crate::verify::{self, texts, Check, NoVerifier, Unavailable, Verdict, Verifier};

/// A diagnosis with its checks and what changed.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub lang: Lang,
    /// The diagnosis' findings, in its order, each with its checks.
    pub findings: Vec<Checked>,
    /// What changed before the failure (empty until the verify stage has looked).
    #[serde(skip_serializing_if = "WhatChanged::is_empty")]
    pub changes: WhatChanged,
    /// For a failed deployment: its stopped tasks, grouped by cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment: Option<Deployment>,
    /// The incident this message belongs to (none without the ledger).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thread: Option<Thread>,
}

/// What a failed deployment's stopped tasks say: the groups of causes, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    /// `ecs-svc/…`.
    pub id: String,
    /// The task definition ARN the deployment rolled out.
    pub task_definition: Option<String>,
    /// The one it replaced (and that a rollback returns to).
    pub previous_task_definition: Option<String>,
    /// IN_PROGRESS, COMPLETED or FAILED.
    pub rollout_state: Option<String>,
    /// ECS is rolling the service back to `previous_task_definition`.
    pub rolled_back: bool,
    /// Stopped tasks this deployment started (those ECS still keeps).
    pub stopped_tasks: usize,
    /// Tasks of this deployment still running, when ECS said.
    pub running_tasks: Option<usize>,
    /// The causes, largest group first.
    pub groups: Vec<Cause>,
    /// Why the tasks could not be read, when they could not; the message is then the
    /// deployment event's own diagnosis with this note.
    pub unread: Option<String>,
}

/// One cause among a deployment's stopped tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cause {
    pub rule_id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub count: usize,
    pub example_task_arn: Option<String>,
    pub title: String,
}

/// One incident: the messages about one service's (or task family's) trouble, from the first
/// failure until it is over. Its id is the chat thread and the `incident_id` attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thread {
    pub id: String,
    pub state: ThreadState,
    /// Epoch seconds.
    pub opened_at: u64,
    /// Distinct tasks that failed in it so far.
    pub failed_tasks: u64,
    /// Failures per rule id, most first.
    pub causes: Vec<(String, u64)>,
    /// The task definitions of the deployments that failed in it.
    pub failed_task_definitions: Vec<String>,
    /// Epoch seconds, when it is over.
    pub resolved_at: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ThreadState {
    Opened,
    Updated,
    Resolved,
}

impl ThreadState {
    pub fn as_str(self) -> &'static str {
        match self {
            ThreadState::Opened => "opened",
            ThreadState::Updated => "updated",
            ThreadState::Resolved => "resolved",
        }
    }
}

/// One finding and what the verify stage found when it checked that cause against the account.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    #[serde(flatten)]
    pub finding: Finding,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
}

impl Deref for Checked {
    type Target = Finding;

    fn deref(&self) -> &Finding {
        &self.finding
    }
}

impl DerefMut for Checked {
    fn deref_mut(&mut self) -> &mut Finding {
        &mut self.finding
    }
}

impl Checked {
    /// What the checks say about this finding as a whole.
    pub fn verdict(&self) -> Verdict {
        verify::verdict(&self.checks)
    }

    /// Keeps `checks` beside the finding and lets them reorder its steps ([`verify::apply`]).
    pub fn attach(&mut self, checks: Vec<Check>) {
        verify::apply(&mut self.finding, &checks);
        self.checks.extend(checks);
    }
}

impl From<Diagnosis> for Report {
    /// A report of a diagnosis that nothing has checked yet.
    fn from(diagnosis: Diagnosis) -> Self {
        Report {
            lang: diagnosis.lang,
            findings: diagnosis
                .findings
                .into_iter()
                .map(|finding| Checked {
                    finding,
                    checks: Vec::new(),
                })
                .collect(),
            changes: WhatChanged::default(),
            deployment: None,
            thread: None,
        }
    }
}

impl Report {
    /// The finding the message leads with.
    pub fn primary(&self) -> &Checked {
        // A diagnosis always holds at least the `unknown` finding.
        &self.findings[0]
    }

    /// Worth waking someone for: not an expected stop, and at least a warning.
    pub fn is_actionable(&self) -> bool {
        self.primary().is_actionable()
    }

    /// Every check of every finding.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        self.findings.iter().flat_map(|f| f.checks.iter())
    }
}

/// Reads what changed before the failure, for a report's checked findings. Like a
/// [`Verifier`], it never fails: what could not be read becomes a note. By default nothing is
/// looked at.
pub trait ChangeReader {
    fn changes(&self, _incident: &Incident, _report: &Report, _lang: Lang) -> impl Future<Output = WhatChanged> + Send {
        async { WhatChanged::default() }
    }
}

impl ChangeReader for NoVerifier {}

impl<C: ChangeReader + Sync> ChangeReader for Option<C> {
    async fn changes(&self, incident: &Incident, report: &Report, lang: Lang) -> WhatChanged {
        match self {
            Some(c) => c.changes(incident, report, lang).await,
            None => WhatChanged::default(),
        }
    }
}

/// The verify stage: checks the selected findings concurrently, each within `budget`. A
/// finding whose checks run out of time gets one `not-checked (timeout)` result; the stage
/// itself never fails and never takes much longer than `budget`.
pub async fn verify<V: Verifier + ChangeReader>(
    verifier: &V,
    incident: &Incident,
    report: &mut Report,
    budget: Duration,
) {
    let started = std::time::Instant::now();
    let picked = verify::selected(report.findings.iter().map(|f| &f.finding));
    let lang = report.lang;
    let check = |i: usize| {
        let finding = &report.findings[i].finding;
        async move {
            // Boxed: the checks' SDK futures are large, and three of them side by side on the
            // stack overflow a 2 MiB thread in debug builds.
            match tokio::time::timeout(budget, Box::pin(verifier.verify(incident, finding, lang))).await {
                Ok(checks) => checks,
                Err(_) => vec![Check::not_checked(
                    "verify.budget",
                    texts::category_subject(finding.category, lang),
                    &Unavailable::Timeout(budget),
                    lang,
                )],
            }
        }
    };
    // At most three findings: join them without spawning (the futures borrow the incident).
    let slot = |n: usize| {
        let index = picked.get(n).copied();
        let fut = index.map(check);
        async move {
            match fut {
                Some(f) => Some((index.unwrap_or_default(), f.await)),
                None => None,
            }
        }
    };
    let (a, b, c) = tokio::join!(slot(0), slot(1), slot(2));
    for (index, checks) in [a, b, c].into_iter().flatten() {
        if !checks.is_empty() {
            report.findings[index].attach(checks);
        }
    }
    // "What changed" reads the checks' facts, so it comes after them, within what is left.
    let remaining = budget.saturating_sub(started.elapsed());
    match tokio::time::timeout(remaining, verifier.changes(incident, report, lang)).await {
        Ok(changes) => report.changes = changes,
        Err(_) => report.changes.notes.push(out_of_time(budget, lang)),
    }
}

/// The note when the budget ran out before recent changes could be read.
fn out_of_time(budget: Duration, lang: Lang) -> String {
    texts::not_checked(
        Tr {
            en: "what changed recently",
            ja: "最近の変更",
        }
        .text(lang),
        &Unavailable::Timeout(budget),
        lang,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::diagnose;
    use crate::event::from_text;
    use crate::verify::CheckStatus;

    struct Slow;
    impl ChangeReader for Slow {}
    impl Verifier for Slow {
        async fn verify(&self, _: &Incident, _: &Finding, _: Lang) -> Vec<Check> {
            tokio::time::sleep(Duration::from_secs(30)).await;
            vec![Check::found("never", "never")]
        }
    }

    #[tokio::test]
    async fn the_budget_holds_when_a_check_hangs() {
        let incident = from_text("CannotPullContainerError: failed to resolve ref x/app:1: not found");
        let mut d = Report::from(diagnose(&incident, Lang::En));
        verify(&Slow, &incident, &mut d, Duration::from_millis(200)).await;
        let check = &d.primary().checks[0];
        assert_eq!(check.status, CheckStatus::NotChecked);
        assert!(check.summary.contains("0.2 s"), "{}", check.summary);
    }
}
