//! Verified causes: checks of a finding's suspected cause against the account.
//!
//! The stage runs between diagnose and render. `aws::verify` reads the account (read-only calls
//! only) and turns what it saw into plain facts; the submodules here decide, as pure functions,
//! what those facts mean for the finding ([`Check`]). [`apply`] then lets the checked facts win
//! over the text-based guess: a confirmed cause moves its step first, a ruled-out one drops the
//! steps it disproves. The stage itself (budget, concurrency, "what changed" after the checks)
//! runs in [`crate::report`], which keeps each finding's checks beside it.

pub mod access;
pub mod capacity;
pub mod efs;
pub mod elb;
pub mod image;
pub mod logs;
pub mod network;
pub mod role;
pub mod secrets;
pub mod texts;
pub mod when;

use std::future::Future;
use std::time::Duration;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::diagnose::{Category, Finding, Lang, Severity};
use crate::incident::Incident;

pub use texts::Unavailable;

/// The default time verification may add to one invocation.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(1500);

/// Most findings checked per incident: the primary one and other error-level ones.
pub const MAX_FINDINGS: usize = 3;

/// What one check concluded, in words that mean the same wherever a check runs: [`Found`]
/// means what the check looks for is there (the cause of a failure, to the verify stage, shown
/// as "✔ Confirmed"; a problem of the task definition, to the deploy gate, shown as "✘
/// problem"); [`Absent`] means it is not.
///
/// [`Found`]: CheckStatus::Found
/// [`Absent`]: CheckStatus::Absent
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CheckStatus {
    /// What the check looks for is there. (`confirmed` in JSON, as documented.)
    #[serde(rename = "confirmed")]
    Found,
    /// It is not there: this cause is not the problem. (`ruled-out` in JSON.)
    #[serde(rename = "ruled-out")]
    Absent,
    /// The check could not run; the summary says why.
    #[serde(rename = "not-checked")]
    NotChecked,
}

impl CheckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Found => "confirmed",
            Self::Absent => "ruled-out",
            Self::NotChecked => "not-checked",
        }
    }

    /// The mark the verify stage's text formats put before a result (the deploy gate has its
    /// own, [`crate::cli::check::Outcome`]).
    pub fn mark(self) -> &'static str {
        match self {
            Self::Found => "✔",
            Self::Absent => "✘",
            Self::NotChecked => "?",
        }
    }
}

/// One check's result, with the facts it saw (ARNs, tags, route targets, reason codes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    /// Stable id, `<service>.<what>` (e.g. `ecr.image-tag`).
    pub id: &'static str,
    pub status: CheckStatus,
    /// One sentence in the diagnosis language.
    pub summary: String,
    /// Observed facts, in the order they read best; serialised as a JSON object.
    #[serde(serialize_with = "facts_as_object")]
    pub facts: Vec<(String, String)>,
    /// For a confirmed cause: the step that acts on it, put first in the finding's remediation.
    #[serde(skip)]
    pub lead_step: Option<String>,
    /// For a ruled-out cause: words (any language) of the steps it disproves; they are dropped.
    #[serde(skip)]
    pub disproves: &'static [&'static str],
}

impl Check {
    pub fn new(id: &'static str, status: CheckStatus, summary: impl Into<String>) -> Self {
        Check {
            id,
            status,
            summary: summary.into(),
            facts: Vec::new(),
            lead_step: None,
            disproves: &[],
        }
    }

    pub fn found(id: &'static str, summary: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Found, summary)
    }

    pub fn absent(id: &'static str, summary: impl Into<String>) -> Self {
        Self::new(id, CheckStatus::Absent, summary)
    }

    /// A check that could not run, with the reason in the diagnosis language.
    pub fn not_checked(id: &'static str, what: &str, why: &Unavailable, lang: Lang) -> Self {
        Self::new(id, CheckStatus::NotChecked, texts::not_checked(what, why, lang))
    }

    pub fn fact(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.facts.push((name.into(), value.into()));
        self
    }

    pub fn lead(mut self, step: impl Into<String>) -> Self {
        self.lead_step = Some(step.into());
        self
    }

    pub fn disproving(mut self, words: &'static [&'static str]) -> Self {
        self.disproves = words;
        self
    }

    /// `summary (name: value; …)`: the one line the text formats show.
    pub fn line(&self) -> String {
        if self.facts.is_empty() {
            return self.summary.clone();
        }
        let facts: Vec<String> = self.facts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        format!("{} ({})", self.summary, facts.join("; "))
    }
}

fn facts_as_object<S: Serializer>(facts: &[(String, String)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(facts.len()))?;
    for (name, value) in facts {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

/// What a finding's checks say about it as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// At least one check found the cause.
    Confirmed,
    /// Every check that ran disproved it, and none confirmed it.
    RuledOut,
    /// Nothing was checked, or nothing could be concluded.
    Unverified,
}

pub fn verdict(checks: &[Check]) -> Verdict {
    let ran = || checks.iter().filter(|c| c.status != CheckStatus::NotChecked);
    if ran().any(|c| c.status == CheckStatus::Found) {
        Verdict::Confirmed
    } else if ran().next().is_some() && ran().all(|c| c.status == CheckStatus::Absent) {
        Verdict::RuledOut
    } else {
        Verdict::Unverified
    }
}

/// Reorders `finding`'s steps by what `checks` found: steps a ruled-out cause disproves are
/// dropped (never all of them), and each confirmed cause's step goes first.
pub fn apply(finding: &mut Finding, checks: &[Check]) {
    let disproved: Vec<String> = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Absent)
        .flat_map(|c| c.disproves.iter().map(|w| w.to_lowercase()))
        .collect();
    if !disproved.is_empty() {
        let kept: Vec<String> = finding
            .remediation
            .iter()
            .filter(|step| {
                let step = step.to_lowercase();
                !disproved.iter().any(|w| step.contains(w.as_str()))
            })
            .cloned()
            .collect();
        if !kept.is_empty() {
            finding.remediation = kept;
        }
    }
    let leads: Vec<&String> = checks
        .iter()
        .filter(|c| c.status == CheckStatus::Found)
        .filter_map(|c| c.lead_step.as_ref())
        .collect();
    for lead in leads.into_iter().rev() {
        finding.remediation.retain(|s| s != lead);
        finding.remediation.insert(0, lead.clone());
    }
}

/// Indices of the findings worth checking: the primary one and other error-level ones
/// (never our own lookup's failures), at most [`MAX_FINDINGS`], one per category.
pub fn selected<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Vec<usize> {
    let mut picked: Vec<(usize, Category)> = Vec::new();
    for (i, f) in findings.into_iter().enumerate() {
        if picked.len() == MAX_FINDINGS {
            break;
        }
        let worth = i == 0 || (f.severity <= Severity::Error && !f.is_secondary());
        let new_category = !picked.iter().any(|&(_, c)| c == f.category);
        if worth && new_category && f.category != Category::Unknown {
            picked.push((i, f.category));
        }
    }
    picked.into_iter().map(|(i, _)| i).collect()
}

/// Reads the account for the checks that fit one finding. Implementations never fail: an
/// error becomes a `not-checked` result that names the permission or the limit.
pub trait Verifier {
    fn verify(&self, incident: &Incident, finding: &Finding, lang: Lang) -> impl Future<Output = Vec<Check>> + Send;
}

/// Verification switched off.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoVerifier;

impl Verifier for NoVerifier {
    async fn verify(&self, _: &Incident, _: &Finding, _: Lang) -> Vec<Check> {
        Vec::new()
    }
}

impl<V: Verifier + Sync> Verifier for Option<V> {
    async fn verify(&self, incident: &Incident, finding: &Finding, lang: Lang) -> Vec<Check> {
        match self {
            Some(v) => v.verify(incident, finding, lang).await,
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::diagnose;
    use crate::event::from_text;

    fn finding_with_steps(steps: &[&str]) -> Finding {
        let mut d = diagnose(
            &from_text("CannotPullContainerError: failed to resolve ref x/app:1: not found"),
            Lang::En,
        );
        let mut f = d.findings.remove(0);
        f.remediation = steps.iter().map(|s| s.to_string()).collect();
        f
    }

    #[test]
    fn a_confirmed_cause_leads_the_steps() {
        let mut f = finding_with_steps(&["Check the NAT gateway.", "Push the tag."]);
        let checks = [Check::found("ecr.image-tag", "tag 1 does not exist").lead("Push tag `1` or use `0.9`.")];
        apply(&mut f, &checks);
        assert_eq!(f.remediation[0], "Push tag `1` or use `0.9`.");
        assert_eq!(f.remediation.len(), 3);
        assert_eq!(verdict(&checks), Verdict::Confirmed);
    }

    #[test]
    fn a_ruled_out_cause_drops_the_steps_it_disproves_but_never_all() {
        let mut f = finding_with_steps(&["Add a NAT gateway to the route table.", "Check the security group."]);
        let checks = [Check::absent("ec2.route", "the subnet routes 0.0.0.0/0 to nat-1").disproving(&["nat gateway"])];
        apply(&mut f, &checks);
        assert_eq!(f.remediation, ["Check the security group."]);
        assert_eq!(verdict(&checks), Verdict::RuledOut);

        let mut only = finding_with_steps(&["Add a NAT gateway."]);
        apply(
            &mut only,
            &[Check::absent("ec2.route", "x").disproving(&["nat gateway"])],
        );
        assert_eq!(only.remediation.len(), 1, "a finding keeps at least one step");
    }

    #[test]
    fn not_checked_alone_leaves_the_finding_unverified() {
        let mut f = finding_with_steps(&["a"]);
        let checks = [Check::not_checked(
            "ecr.image-tag",
            "the image tag",
            &Unavailable::AccessDenied("ecr:DescribeImages".into()),
            Lang::En,
        )];
        apply(&mut f, &checks);
        assert_eq!(verdict(&checks), Verdict::Unverified);
        assert_eq!(f.remediation, ["a"]);
        assert!(
            checks[0].summary.contains("ecr:DescribeImages"),
            "{}",
            checks[0].summary
        );
    }

    #[test]
    fn facts_serialise_as_an_object_in_order() {
        let check = Check::found("ecr.image-tag", "missing")
            .fact("repository", "platform/base-api")
            .fact("tag", "3.2.1");
        let value = serde_json::to_value(&check).unwrap_or_default();
        assert_eq!(value["status"], "confirmed");
        assert_eq!(value["facts"]["tag"], "3.2.1");
        assert!(value.get("leadStep").is_none());
        assert_eq!(check.line(), "missing (repository: platform/base-api; tag: 3.2.1)");
    }
}
