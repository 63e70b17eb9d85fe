//! The diagnosis engine: pure functions from an [`Incident`] to a [`Diagnosis`].
//!
//! Each signal of the incident (a stopped reason, a container reason, an exit code, an API
//! failure…) is explained by the first rule of the catalog that matches it; the catalog lists
//! specific rules before general ones. The findings are then pruned (an exit code already
//! explained by its container's reason, a generic summary when a specific cause is known,
//! expected stops beside real failures) and sorted, most severe first.

pub mod catalog;
pub mod rule;
pub mod signal;
pub mod text;

use std::collections::HashSet;

use serde::Serialize;

use crate::incident::Incident;
pub use rule::{Category, Lang, Rule, Severity, Text, Tier, When};
pub use signal::{Field, Signal};

/// What made a finding fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
pub struct Finding {
    pub rule_id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub title: String,
    pub explanation: String,
    pub remediation: Vec<String>,
    pub docs: Vec<&'static str>,
    pub evidence: Evidence,
    #[serde(skip)]
    tier: Tier,
    /// Explains our own lookup (a DescribeTasks `failures` entry), not the failure itself.
    #[serde(skip)]
    secondary: bool,
    #[serde(skip)]
    order: (u8, usize),
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
        let primary = self.primary();
        primary.category != Category::ExpectedStop && primary.severity <= Severity::Warning
    }
}

/// Longest stretch of an input field copied into evidence.
const EVIDENCE_LIMIT: usize = 2000;

/// Diagnose with the built-in catalog.
pub fn diagnose(incident: &Incident, lang: Lang) -> Diagnosis {
    diagnose_with(catalog::rules(), incident, lang)
}

/// Diagnose with a given catalog (used by tests).
pub fn diagnose_with(rules: &'static [Rule], incident: &Incident, lang: Lang) -> Diagnosis {
    let signals = signal::signals(incident);
    let mut findings: Vec<Finding> = Vec::new();
    let mut seen = HashSet::new();
    for signal in &signals {
        let Some((index, rule)) = rules.iter().enumerate().find(|(_, r)| matches(r, signal)) else {
            continue;
        };
        let container = signal.container.map(|c| c.name.clone());
        if seen.insert((rule.id, container)) {
            findings.push(finding(rule, signal, lang, index));
        }
    }
    prune(&mut findings);
    findings.sort_by_key(|f| (f.secondary, f.severity, f.tier, f.order));
    if findings.is_empty() {
        let signal = signals
            .iter()
            .filter(|s| !s.text.is_empty())
            .min_by_key(|s| s.field.rank());
        findings.push(unknown(incident, signal, lang));
    }
    Diagnosis { lang, findings }
}

/// Does `rule` explain `signal`?
pub fn matches(rule: &Rule, s: &Signal) -> bool {
    let w = &rule.when;
    let field_ok = if w.fields.is_empty() {
        s.field.is_text()
    } else {
        w.fields.contains(&s.field)
            || (s.field == signal::Field::FreeText && w.fields.iter().any(|f| f.is_text()))
    };
    if !field_ok {
        return false;
    }
    if !w.actions.is_empty() {
        let action = s.failure.and_then(|f| f.action.as_deref());
        if !action.is_some_and(|a| w.actions.iter().any(|x| x.eq_ignore_ascii_case(a))) {
            return false;
        }
    }
    if !w.exit_codes.is_empty() && !s.exit_code.is_some_and(|c| w.exit_codes.contains(&c)) {
        return false;
    }
    if !w.within.is_empty() && !w.within.iter().any(|t| s.norm.contains(t)) {
        return false;
    }
    if !(w.any.is_empty() && w.exact.is_empty()) {
        let hit = w.any.iter().any(|t| s.norm.contains(t))
            || w.exact.iter().any(|t| s.core == *t || s.norm == *t);
        if !hit {
            return false;
        }
    }
    if !w.all.iter().all(|t| s.norm.contains(t)) || w.none.iter().any(|t| s.norm.contains(t)) {
        return false;
    }
    w.check.is_none_or(|check| check(s))
}

fn finding(rule: &'static Rule, s: &Signal, lang: Lang, index: usize) -> Finding {
    let texts = rule.text(lang);
    Finding {
        rule_id: rule.id,
        category: rule.category,
        severity: rule.severity,
        title: text::fill(texts.title, s, lang),
        explanation: text::fill(texts.explanation, s, lang),
        remediation: text::steps(texts.steps, s, lang),
        docs: rule.docs.to_vec(),
        evidence: Evidence {
            field: s.path.clone(),
            text: text::truncate(s.text, EVIDENCE_LIMIT),
            container: s.container.map(|c| c.name.clone()),
            exit_code: s.exit_code,
        },
        tier: rule.when.tier,
        secondary: s.field == signal::Field::FailureReason && s.incident.task.is_some(),
        order: (s.field.rank(), index),
    }
}

fn prune(findings: &mut Vec<Finding>) {
    // An exit code is only interpreted for a container whose reason said nothing specific.
    let explained: HashSet<String> = findings
        .iter()
        .filter(|f| f.tier == Tier::Specific)
        .filter_map(|f| f.evidence.container.clone())
        .collect();
    findings.retain(|f| {
        f.tier != Tier::ExitCode || f.evidence.container.as_ref().is_none_or(|c| !explained.contains(c))
    });
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

fn unknown(incident: &Incident, signal: Option<&Signal>, lang: Lang) -> Finding {
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
                incident,
            };
            finding(rule, &empty, lang, usize::MAX)
        }
    }
}
