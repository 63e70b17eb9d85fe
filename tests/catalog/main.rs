//! Catalog tests: every rule fires on its fixtures as the primary finding, stays quiet on its
//! near misses, and is complete in both languages.

mod cases_api;
mod cases_api_error;
mod cases_deployment;
mod cases_exit;
mod cases_image;
mod cases_placement;
mod cases_runtime;
mod cases_secrets;
mod cases_service;
mod cases_startup;
mod cases_task;
mod text_quality;

use std::collections::HashSet;

use ecs_doctor::diagnose::text::{split_tag, PLACEHOLDERS, TAGS};
use ecs_doctor::diagnose::{catalog, diagnose, Lang, Rule, Text};
use ecs_doctor::fixture::Case;

/// Fixtures for one rule: each of `fires` must make it the primary finding; none of `misses`
/// may produce it at all.
pub struct RuleCase {
    pub rule: &'static str,
    pub fires: &'static [Case],
    pub misses: &'static [Case],
}

fn all_cases() -> Vec<&'static RuleCase> {
    [
        cases_deployment::CASES,
        cases_image::CASES,
        cases_secrets::CASES,
        cases_startup::CASES,
        cases_runtime::CASES,
        cases_placement::CASES,
        cases_api::CASES,
        cases_api_error::CASES,
        cases_service::CASES,
        cases_task::CASES,
        cases_exit::CASES,
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn rule_ids_are_unique_dotted_and_lowercase() {
    let mut seen = HashSet::new();
    for rule in catalog::all_rules() {
        assert!(seen.insert(rule.id), "duplicate rule id {}", rule.id);
        assert!(
            rule.id == "unknown"
                || (rule.id.contains('.')
                    && rule
                        .id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')),
            "rule id {} must be dotted lower-case ascii",
            rule.id
        );
    }
}

#[test]
fn every_rule_has_fixtures_and_near_misses() {
    let cases = all_cases();
    for rule in catalog::rules() {
        let case = cases.iter().find(|c| c.rule == rule.id);
        let case = case.unwrap_or_else(|| panic!("rule {} has no RuleCase", rule.id));
        assert!(!case.fires.is_empty(), "rule {} has no firing fixture", rule.id);
        assert!(!case.misses.is_empty(), "rule {} has no near miss", rule.id);
    }
    for case in &cases {
        assert!(
            catalog::find(case.rule).is_some(),
            "RuleCase names unknown rule {}",
            case.rule
        );
    }
}

#[test]
fn every_fixture_fires_its_rule_first() {
    let mut failures = Vec::new();
    for case in all_cases() {
        for fixture in case.fires {
            let d = diagnose(&fixture.incident(), Lang::En);
            if d.primary().rule_id != case.rule {
                let got: Vec<_> = d.findings.iter().map(|f| f.rule_id).collect();
                failures.push(format!("{}: {fixture:?} gave {got:?}", case.rule));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "fixtures that did not fire their rule:\n{}",
        failures.join("\n")
    );
}

#[test]
fn near_misses_do_not_fire() {
    let mut failures = Vec::new();
    for case in all_cases() {
        for fixture in case.misses {
            let d = diagnose(&fixture.incident(), Lang::En);
            if d.findings.iter().any(|f| f.rule_id == case.rule) {
                failures.push(format!("{}: near miss {fixture:?} fired it", case.rule));
            }
        }
    }
    assert!(failures.is_empty(), "near misses that fired:\n{}", failures.join("\n"));
}

fn check_text(rule: &Rule, lang: &str, text: &Text, problems: &mut Vec<String>) {
    let id = rule.id;
    if text.title.trim().is_empty() || text.explanation.trim().is_empty() || text.steps.is_empty() {
        problems.push(format!(
            "{id} [{lang}]: title, explanation and at least one step are required"
        ));
    }
    if text.title.len() > 120 {
        problems.push(format!("{id} [{lang}]: title longer than 120 bytes"));
    }
    let mut all = vec![text.title, text.explanation];
    for step in text.steps {
        let (tag, body) = split_tag(step);
        if let Some(tag) = tag {
            if !TAGS.contains(&tag) {
                problems.push(format!("{id} [{lang}]: unknown tag [{tag}]"));
            }
        }
        all.push(body);
    }
    for piece in all {
        let mut rest = piece;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if after[name.len()..].starts_with('}') && !name.is_empty() {
                if !PLACEHOLDERS.contains(&name.as_str()) {
                    problems.push(format!("{id} [{lang}]: unknown placeholder {{{name}}}"));
                }
                // Values render as `code`; inside another code span the backticks would clash.
                // `*_arg` values are written for command lines and render without code marks.
                let before = &piece[..piece.len() - rest.len() + open];
                if before.matches('`').count() % 2 == 1 && !name.ends_with("_arg") {
                    problems.push(format!("{id} [{lang}]: placeholder {{{name}}} inside a code span"));
                }
            }
            rest = after;
        }
    }
}

#[test]
fn every_rule_is_complete_in_english_and_japanese() {
    let mut problems = Vec::new();
    for rule in catalog::all_rules() {
        check_text(rule, "en", &rule.en, &mut problems);
        check_text(rule, "ja", &rule.ja, &mut problems);
        let japanese = |s: &str| {
            s.chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c))
        };
        if !japanese(rule.ja.title) || !japanese(rule.ja.explanation) || !rule.ja.steps.iter().all(|s| japanese(s)) {
            problems.push(format!("{}: Japanese text missing or not Japanese", rule.id));
        }
        if japanese(rule.en.title) || japanese(rule.en.explanation) {
            problems.push(format!("{}: English text contains Japanese", rule.id));
        }
        let tags = |t: &Text| t.steps.iter().map(|s| split_tag(s).0).collect::<Vec<_>>();
        if tags(&rule.en) != tags(&rule.ja) {
            problems.push(format!("{}: en and ja steps differ in count or context tags", rule.id));
        }
        if rule.docs.is_empty() || !rule.docs.iter().all(|d| d.starts_with("https://")) {
            problems.push(format!("{}: needs at least one https documentation link", rule.id));
        }
    }
    assert!(problems.is_empty(), "catalog text problems:\n{}", problems.join("\n"));
}

#[test]
fn docs_rules_md_is_generated_from_the_catalog() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    if std::env::var_os("UPDATE_RULES_MD").is_some() {
        std::fs::write(&path, ecs_doctor::render::rules_markdown())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == ecs_doctor::render::rules_markdown(),
        "docs/rules.md is out of date: run `UPDATE_RULES_MD=1 cargo test --test catalog` (or `cargo run --bin ecs-doctor -- rules --format markdown > docs/rules.md`)"
    );
}

#[test]
fn rules_json_lists_every_rule_with_both_languages() {
    let json = ecs_doctor::render::rules_json();
    let rules = json["rules"].as_array().expect("rules array");
    assert_eq!(rules.len(), catalog::all_rules().count());
    assert!(rules
        .iter()
        .all(|r| r["en"]["title"].is_string() && r["ja"]["title"].is_string() && r["id"].is_string()));
}
