//! The diagnosis engine: pure functions from an [`Incident`] to a [`Diagnosis`].
//!
//! Each signal of the incident (a stopped reason, a container reason, an exit code, an API
//! failure…) is explained by the first rule of the catalog that matches it; the catalog lists
//! specific rules before general ones. The findings are then pruned (an exit code already
//! explained by its container's reason, a generic summary when a specific cause is known,
//! expected stops beside real failures) and sorted, most severe first.

pub mod catalog;
mod context;
mod matcher;
pub mod rule;
pub mod signal;
pub mod text;
mod tr;
pub mod vocabulary;

use matcher::{Match, Matcher};
use std::collections::HashSet;

use serde::Serialize;

use crate::incident::Incident;
use crate::util::text::truncate_chars;
pub use rule::{Category, Confidence, Lang, Rule, Severity, Text, Tier, When};
pub use signal::{Field, Shared, Signal};
pub use tr::Tr;

/// What made a finding fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// The input field, e.g. `containers[app].reason`.
    pub field: String,
    /// The text of that field (empty for a bare exit code).
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
}

/// One explained cause.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub rule_id: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// `specific` when a rule recognised the cause, `family` when only the failure family is
    /// known and the steps are that family's general checklist, `none` for `unknown`.
    pub confidence: Confidence,
    pub title: String,
    pub explanation: String,
    pub remediation: Vec<String>,
    pub docs: Vec<&'static str>,
    pub evidence: Evidence,
    /// Facts from the task definition that bear on this cause (limits, roles, health check).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<String>,
    #[serde(skip)]
    tier: Tier,
    /// Explains our own lookup (a DescribeTasks `failures` entry), not the failure itself.
    #[serde(skip)]
    secondary: bool,
    #[serde(skip)]
    order: (u8, usize),
    /// The signal (its position) the finding came from, to write its texts.
    #[serde(skip)]
    signal: usize,
}

impl Finding {
    /// Explains our own lookup (a DescribeTasks `failures` entry), not the failure itself.
    pub fn is_secondary(&self) -> bool {
        self.secondary
    }

    /// Worth waking someone for: not an expected stop, and at least a warning.
    pub fn is_actionable(&self) -> bool {
        self.category != Category::ExpectedStop && self.severity <= Severity::Warning
    }

    /// A finding that ecs-doctor writes itself, not a rule (the end of an incident): `field`
    /// names what it is about in the evidence.
    pub fn written(
        rule_id: &'static str,
        category: Category,
        severity: Severity,
        field: &str,
        title: String,
        explanation: String,
        remediation: Vec<String>,
    ) -> Finding {
        Finding {
            rule_id,
            category,
            severity,
            confidence: Confidence::Specific,
            title,
            explanation,
            remediation,
            docs: Vec::new(),
            evidence: Evidence {
                field: field.to_string(),
                text: String::new(),
                container: None,
                exit_code: None,
            },
            context: Vec::new(),
            tier: Tier::Specific,
            secondary: false,
            order: (0, usize::MAX),
            signal: 0,
        }
    }
}

/// All findings for one incident, the primary one first.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub lang: Lang,
    pub findings: Vec<Finding>,
}

impl Diagnosis {
    /// The finding the message leads with.
    pub fn primary(&self) -> &Finding {
        // `diagnose` always yields at least the `unknown` finding.
        &self.findings[0]
    }

    /// Worth waking someone for: not an expected stop, and at least a warning.
    pub fn is_actionable(&self) -> bool {
        self.primary().is_actionable()
    }
}

/// Longest stretch of an input field copied into evidence (a longer one ends in `…` after it).
const EVIDENCE_LIMIT: usize = 2000;

/// Diagnose with the built-in catalog.
pub fn diagnose(incident: &Incident, lang: Lang) -> Diagnosis {
    let (rules, matcher) = catalog::compiled();
    let shared = Shared::of(incident);
    let signals = signal::signals(incident, &shared);
    let mut findings: Vec<Finding> = Vec::new();
    let mut seen = HashSet::new();
    for (position, signal) in signals.iter().enumerate() {
        let scan = matcher.scan(&signal.norm);
        let Some((index, rule)) = best_rule(rules, matcher, signal, &scan) else {
            continue;
        };
        let container = signal.container.map(|c| c.name.as_str());
        if seen.insert((rule.id, container)) {
            findings.push(matched(rule, signal, index, position));
        }
    }
    // Prune on what the matches are (rule, tier, container) before writing any text: texts are
    // only filled for the findings that are kept.
    prune(&mut findings);
    findings.sort_by_key(|f| (f.secondary, f.severity, f.tier, f.order));
    for f in &mut findings {
        // `order.1` is the rule's position in the catalog.
        if let (Some(rule), Some(signal)) = (rules.get(f.order.1), signals.get(f.signal)) {
            write_texts(f, rule, signal, lang);
        }
    }
    if findings.is_empty() {
        let signal = signals
            .iter()
            .filter(|s| !s.text.is_empty())
            .min_by_key(|s| s.field.rank());
        findings.push(unknown(incident, &shared, signal, lang));
    }
    Diagnosis { lang, findings }
}

/// The rule that explains `signal`. The first rule in catalog order that matches through its
/// family's wording (the error type) wins, as it always has, unless it is only a family fallback
/// or a generic summary: then a rule that a cause phrase names, wherever that phrase stands,
/// explains more ("UnknownError: … executable file not found" is a missing command).
fn best_rule<'r>(
    rules: &'r [Rule],
    matcher: &Matcher,
    signal: &Signal,
    scan: &matcher::Scan,
) -> Option<(usize, &'r Rule)> {
    let mut fallback = None;
    let mut phrase = None;
    for i in matcher.candidates(scan) {
        let rule = &rules[i];
        match (matcher.matches(i, rule, signal, scan), rule.when.tier) {
            (Match::No, _) => {}
            (Match::Family, Tier::Specific | Tier::ExitCode) if fallback.is_none() => return Some((i, rule)),
            (Match::Family, Tier::Family | Tier::Generic) if fallback.is_none() => fallback = Some(i),
            (Match::Phrase, _) if phrase.is_none() => phrase = Some(i),
            // A rule with no family wording at all is keyed on its cause phrase alone.
            (Match::Family, Tier::Specific) if phrase.is_none() && rule.when.within.is_empty() => phrase = Some(i),
            _ => {}
        }
    }
    phrase.or(fallback).map(|i| (i, &rules[i]))
}

/// Added to the explanation of a finding that only knows the failure family, so that every
/// output format (and every reader) sees that the cause itself was not recognised.
const FAMILY_NOTE_EN: &str = "ecs-doctor recognised the failure family, not this exact cause: the steps below are the family's general checklist.";
const FAMILY_NOTE_JA: &str = "ecs-doctor が判別できたのは障害の種類までで、この原因そのものではありません。以下の手順はこの種類の障害に共通する確認項目です。";

/// The note that marks a family-level finding, in `lang`.
pub fn family_note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => FAMILY_NOTE_EN,
        Lang::Ja => FAMILY_NOTE_JA,
    }
}

/// A matched rule, with the facts pruning needs and no text yet.
fn matched(rule: &'static Rule, s: &Signal, index: usize, position: usize) -> Finding {
    let confidence = if rule.category == Category::Unknown && rule.when.tier == Tier::Specific {
        Confidence::None
    } else {
        rule.when.tier.confidence()
    };
    Finding {
        rule_id: rule.id,
        category: rule.category,
        severity: rule.severity,
        confidence,
        title: String::new(),
        explanation: String::new(),
        remediation: Vec::new(),
        docs: rule.docs.to_vec(),
        evidence: Evidence {
            field: s.path.clone(),
            text: String::new(),
            container: s.container.map(|c| c.name.clone()),
            exit_code: s.exit_code,
        },
        context: Vec::new(),
        tier: rule.when.tier,
        secondary: s.field == signal::Field::FailureReason && s.incident.task.is_some(),
        order: (s.field.rank(), index),
        signal: position,
    }
}

/// Title, explanation, steps, evidence text and context of a kept finding.
fn write_texts(f: &mut Finding, rule: &'static Rule, s: &Signal, lang: Lang) {
    let texts = rule.text(lang);
    let mut explanation = text::fill(texts.explanation, s, lang);
    if rule.when.tier == Tier::Family {
        explanation.push_str(if lang == Lang::Ja { "" } else { " " });
        explanation.push_str(family_note(lang));
    }
    f.title = text::fill(texts.title, s, lang);
    f.explanation = explanation;
    f.remediation = text::steps(texts.steps, s, lang);
    f.evidence.text = truncate_chars(&crate::redact::redact_credentials(s.text), EVIDENCE_LIMIT + 1);
    f.context = context::facts(rule.category, s, lang);
}

fn finding(rule: &'static Rule, s: &Signal, lang: Lang, index: usize) -> Finding {
    let mut f = matched(rule, s, index, 0);
    write_texts(&mut f, rule, s, lang);
    f
}

fn prune(findings: &mut Vec<Finding>) {
    // Fargate copies a container's reason into `stoppedReason`: the same rule then fires on
    // both; keep the container's finding, which names the container.
    let on_containers: HashSet<&str> = findings
        .iter()
        .filter(|f| f.evidence.container.is_some())
        .map(|f| f.rule_id)
        .collect();
    findings.retain(|f| f.evidence.container.is_some() || !on_containers.contains(f.rule_id));
    // An exit code is only interpreted when nothing specific already explains it: not its
    // container's reason, not a specific finding of the same category (an OutOfMemoryError
    // stoppedReason explains exit 137), and, for an exit code read from free text, not any
    // specific finding at all.
    let specific: Vec<&Finding> = findings
        .iter()
        .filter(|f| matches!(f.tier, Tier::Specific | Tier::Family))
        .collect();
    let containers: HashSet<String> = specific.iter().filter_map(|f| f.evidence.container.clone()).collect();
    let categories: HashSet<Category> = specific.iter().map(|f| f.category).collect();
    let any_specific = !specific.is_empty();
    findings.retain(|f| {
        f.tier != Tier::ExitCode
            || !(categories.contains(&f.category)
                || match &f.evidence.container {
                    Some(c) => containers.contains(c),
                    None => any_specific,
                })
    });
    // A family-level finding adds nothing beside a specific one of the same category.
    let specific_categories: HashSet<Category> = findings
        .iter()
        .filter(|f| f.tier == Tier::Specific)
        .map(|f| f.category)
        .collect();
    findings.retain(|f| f.tier != Tier::Family || !specific_categories.contains(&f.category));
    // A generic summary only stands when nothing more specific was found.
    if findings.iter().any(|f| f.tier != Tier::Generic) {
        findings.retain(|f| f.tier != Tier::Generic);
    }
    // Beside a real failure, stops that were only its consequence are noise.
    if findings
        .iter()
        .any(|f| !f.secondary && f.category != Category::ExpectedStop && f.severity <= Severity::Warning)
    {
        findings.retain(|f| f.category != Category::ExpectedStop);
    }
}

fn unknown(incident: &Incident, shared: &Shared, signal: Option<&Signal>, lang: Lang) -> Finding {
    let rule = &catalog::UNKNOWN;
    match signal {
        Some(s) => finding(rule, s, lang, usize::MAX),
        None => {
            // Nothing to quote at all (e.g. a STOPPED task with no reason and no containers).
            let empty = Signal {
                field: signal::Field::FreeText,
                path: String::new(),
                text: "",
                norm: String::new(),
                core: String::new(),
                container: None,
                exit_code: None,
                failure: None,
                api_error: None,
                incident,
                shared,
            };
            finding(rule, &empty, lang, usize::MAX)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::from_text;
    use crate::fixture::Case;

    fn ids(d: &Diagnosis) -> Vec<&'static str> {
        d.findings.iter().map(|f| f.rule_id).collect()
    }

    #[test]
    fn fargate_copy_of_a_container_reason_is_reported_once_with_the_container() {
        let reason = "CannotPullContainerError: failed to resolve ref x/app:1: not found";
        let mut incident = Case::Reason(reason).incident();
        if let Some(task) = incident.task.as_mut() {
            task.stopped_reason = Some(reason.into());
        }
        let d = diagnose(&incident, Lang::En);
        assert_eq!(ids(&d), ["image-pull.not-found"]);
        assert_eq!(d.primary().evidence.container.as_deref(), Some("app"));
    }

    #[test]
    fn a_stopped_reason_of_the_same_category_explains_the_exit_code() {
        let d = diagnose(
            &Case::Stopped {
                reason: "OutOfMemoryError: Container killed due to memory usage",
                stop_code: "EssentialContainerExited",
                exit: Some(137),
            }
            .incident(),
            Lang::En,
        );
        assert_eq!(d.primary().category, Category::OutOfMemory);
        assert_eq!(d.findings.len(), 1, "{:?}", ids(&d));
    }

    #[test]
    fn an_exit_status_inside_a_specific_text_is_not_a_second_finding() {
        let d = diagnose(
            &from_text("CannotPullContainerError: failed to register layer: Error processing tar file(exit status 1): no space left on device"),
            Lang::En,
        );
        assert_eq!(ids(&d), ["image-pull.no-space"]);
        // Alone, the same words are read as an exit code.
        assert_eq!(
            diagnose(&from_text("exit code 1"), Lang::En).primary().category,
            Category::AppExit
        );
    }

    #[test]
    fn nothing_to_quote_still_gives_a_helpful_unknown_finding() {
        let d = diagnose(&Incident::default(), Lang::Ja);
        assert_eq!(d.primary().rule_id, "unknown");
        assert!(!d.primary().remediation.is_empty());
    }
}
