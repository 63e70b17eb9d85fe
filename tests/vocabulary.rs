//! The vocabulary table (`src/diagnose/vocabulary.rs`, rendered as `docs/vocabulary.md`): every
//! representative message gets its family's category and rule, and the Markdown file is current.

use ecs_doctor::diagnose::vocabulary::{markdown, VOCABULARY};
use ecs_doctor::diagnose::{catalog, diagnose, Lang};
use ecs_doctor::event::from_text;

#[test]
fn every_vocabulary_message_gets_its_category_and_rule() {
    let mut failures = Vec::new();
    for entry in VOCABULARY {
        assert!(
            catalog::find(entry.rule).is_some(),
            "{}: unknown rule {}",
            entry.family,
            entry.rule
        );
        let d = diagnose(&from_text(entry.message), Lang::En);
        let primary = d.primary();
        if primary.category != entry.category || primary.rule_id != entry.rule {
            failures.push(format!(
                "{} ({}): expected {} / {}, got {} / {}\n    {}",
                entry.family,
                entry.source,
                entry.category.as_str(),
                entry.rule,
                primary.category.as_str(),
                primary.rule_id,
                entry.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {}:\n{}",
        failures.len(),
        VOCABULARY.len(),
        failures.join("\n")
    );
}

#[test]
fn vocabulary_families_are_unique() {
    let mut seen = std::collections::HashSet::new();
    for entry in VOCABULARY {
        assert!(seen.insert(entry.family), "duplicate family {}", entry.family);
    }
}

#[test]
fn docs_vocabulary_md_is_generated_from_the_table() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/vocabulary.md");
    let expected = markdown();
    if std::env::var_os("UPDATE_VOCABULARY").is_some() {
        std::fs::write(&path, &expected).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/vocabulary.md is out of date: run `UPDATE_VOCABULARY=1 cargo test --test vocabulary`"
    );
}

/// A known family prefix with a cause phrase no rule has ever seen must give that family's
/// fallback (confidence `family`, the family's category), never `unknown`.
#[test]
fn known_families_never_end_as_unknown() {
    use ecs_doctor::diagnose::{Category, Confidence};
    let novel = "zq-17 a cause phrase nobody has catalogued";
    let families = [
        ("CannotPullContainerError", Category::ImagePullNetwork),
        ("CannotPullECRContainerError", Category::ImagePullNetwork),
        ("CannotCreateContainerError", Category::ContainerRuntime),
        ("CannotStartContainerError", Category::ContainerRuntime),
        ("CannotStopContainerError", Category::ContainerRuntime),
        ("CannotDescribeContainerError", Category::ContainerRuntime),
        ("CannotListContainersError", Category::ContainerRuntime),
        ("CannotRemoveContainerError", Category::ContainerRuntime),
        ("ContainerRuntimeError", Category::ContainerRuntime),
        ("DockerStateError", Category::ContainerRuntime),
        ("UnknownError", Category::ContainerRuntime),
        ("ResourceInitializationError", Category::Infrastructure),
        ("CannotCreateVolumeError", Category::Volume),
        ("failed to register layer", Category::HostStorage),
        (
            "(service web) was unable to place a task. Reason",
            Category::PlacementCapacity,
        ),
        ("(service web) deployment failed", Category::DeploymentFailed),
    ];
    for (prefix, category) in families {
        let text = format!("{prefix}: {novel}");
        for lang in [Lang::En, Lang::Ja] {
            let d = diagnose(&from_text(&text), lang);
            let primary = d.primary();
            assert_eq!(primary.category, category, "{text}: {}", primary.rule_id);
            assert_eq!(primary.confidence, Confidence::Family, "{text}: {}", primary.rule_id);
            assert!(
                primary.explanation.contains(ecs_doctor::diagnose::family_note(lang)),
                "{text}: the explanation must say the cause was not recognised"
            );
        }
    }
    // Transition timeouts of any state are specific: the timeout is the cause.
    for state in ["created", "running", "stopped", "pulled", "resources_provisioned"] {
        let text = format!("DockerTimeoutError: Could not transition to {state}; timed out after waiting 2m0s");
        let d = diagnose(&from_text(&text), Lang::En);
        assert_eq!(d.primary().category, Category::RuntimeTimeout, "{text}");
    }
    // And text of no known family stays unknown, saying so.
    let d = diagnose(&from_text(novel), Lang::En);
    assert_eq!(d.primary().category, Category::Unknown);
    assert_eq!(d.primary().confidence, Confidence::None);
}
