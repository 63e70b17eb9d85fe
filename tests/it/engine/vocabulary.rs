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
        "docs/vocabulary.md is out of date: run `UPDATE_VOCABULARY=1 cargo test --test it engine::vocabulary::`"
    );
}

/// A cause phrase no rule has ever seen.
const NOVEL: &str = "zq-17 a cause phrase nobody has catalogued";

/// A known family prefix with a cause phrase no rule has ever seen must give that family's
/// fallback (confidence `family`, the family's category), never `unknown`.
#[test]
fn known_families_never_end_as_unknown() {
    use ecs_doctor::diagnose::{Category, Confidence};
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
        let text = format!("{prefix}: {NOVEL}");
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
    let d = diagnose(&from_text(NOVEL), Lang::En);
    assert_eq!(d.primary().category, Category::Unknown);
    assert_eq!(d.primary().confidence, Confidence::None);
}

/// Every cause phrase reaches its family's category wherever it stands: bare, behind an error
/// type of another stage or none, and quoted in a tool's output; every example reaches the
/// family's category (the first its rule). A text holding a known cause phrase never ends as `unknown`.
#[test]
fn cause_phrases_are_matched_anywhere() {
    use ecs_doctor::diagnose::vocabulary::PHRASE_FAMILIES;
    let wrappers = [
        "{}",
        "System error: {}",
        "UnknownError: {}",
        "Error response from daemon: {}",
        "Task failed to start - {}.",
        "level=error msg=\"{}\"",
    ];
    let mut failures = Vec::new();
    for family in PHRASE_FAMILIES {
        assert!(
            catalog::find(family.rule).is_some(),
            "{}: unknown rule {}",
            family.family,
            family.rule
        );
        assert!(!family.examples.is_empty(), "{}: no example", family.family);
        for phrase in family.phrases {
            for wrapper in wrappers {
                let text = wrapper.replace("{}", phrase);
                let d = diagnose(&from_text(&text), Lang::En);
                if d.primary().category != family.category {
                    failures.push(format!(
                        "{}: {text:?} gave {} ({})",
                        family.family,
                        d.primary().category.as_str(),
                        d.primary().rule_id
                    ));
                }
            }
        }
        for (i, example) in family.examples.iter().enumerate() {
            let d = diagnose(&from_text(example), Lang::En);
            let primary = d.primary();
            if primary.category != family.category || (i == 0 && primary.rule_id != family.rule) {
                failures.push(format!(
                    "{}: example {example:?} gave {}",
                    family.family, primary.rule_id
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The error type still picks the stage: a full disk during a pull is the pull's rule, the same
/// phrase without a prefix is the host's.
#[test]
fn the_error_type_refines_a_cause_phrase() {
    let during_pull =
        "CannotPullContainerError: failed to register layer: write /usr/lib/x.so: no space left on device";
    assert_eq!(
        diagnose(&from_text(during_pull), Lang::En).primary().rule_id,
        "image-pull.no-space"
    );
    let bare = "write /var/lib/docker/overlay2/x/diff/app.log: no space left on device";
    assert_eq!(
        diagnose(&from_text(bare), Lang::En).primary().rule_id,
        "runtime.no-space"
    );
}

/// Every error type the ECS agent can put in a stoppedReason or a container's reason
/// (`ErrorName()` in amazon-ecs-agent, plus Fargate's documented ones) has a rule or a family
/// fallback: with a cause phrase nobody has catalogued, it is never `unknown`.
#[test]
fn every_agent_error_type_has_a_rule_or_family() {
    use ecs_doctor::diagnose::Category;
    let types = [
        ("CannotPullContainerError", Category::ImagePullNetwork),
        ("CannotPullECRContainerError", Category::ImagePullNetwork),
        ("CannotPullContainerAuthError", Category::ImagePullNetwork),
        ("CannotPullImageManifestError", Category::ImagePullNetwork),
        ("CannotCreateContainerError", Category::ContainerRuntime),
        ("CannotStartContainerError", Category::ContainerRuntime),
        ("CannotStopContainerError", Category::ContainerRuntime),
        ("CannotInspectContainerError", Category::ContainerRuntime),
        ("CannotDescribeContainerError", Category::ContainerRuntime),
        ("CannotRemoveContainerError", Category::ContainerRuntime),
        ("CannotListContainersError", Category::ContainerRuntime),
        ("CannotGetContainerTopError", Category::ContainerRuntime),
        ("CannotListImagesError", Category::ContainerRuntime),
        ("CannotListPluginsError", Category::ContainerRuntime),
        ("CannotCreateContainerExecError", Category::ContainerRuntime),
        ("CannotStartContainerExecError", Category::ContainerRuntime),
        ("CannotInspectContainerExecError", Category::ContainerRuntime),
        ("CannotGetDockerclientError", Category::ContainerRuntime),
        ("CannotGetDockerClientVersionError", Category::ContainerRuntime),
        ("DockerClientConfigError", Category::ContainerRuntime),
        ("HostConfigError", Category::ContainerRuntime),
        ("ImpossibleStateTransitionError", Category::ContainerRuntime),
        ("NoSuchContainerError", Category::ContainerRuntime),
        ("ContainerVanishedError", Category::ContainerRuntime),
        ("DockerStateError", Category::ContainerRuntime),
        ("UnknownError", Category::ContainerRuntime),
        ("ContainerRuntimeError", Category::ContainerRuntime),
        ("CgroupError", Category::ContainerRuntime),
        ("DockerTimeoutError", Category::RuntimeTimeout),
        ("ContainerRuntimeTimeoutError", Category::RuntimeTimeout),
        ("ContainerNetworkingError", Category::EniProvisioning),
        ("CannotCreateVolumeError", Category::Volume),
        ("CannotInspectVolumeError", Category::Volume),
        ("CannotRemoveVolumeError", Category::Volume),
        ("InvalidVolumeError", Category::Volume),
        ("ResourceInitializationError", Category::Infrastructure),
        ("TaskDependencyError", Category::AppExit),
        ("TaskStoppedBeforePullBeginError", Category::ExpectedStop),
    ];
    for (name, category) in types {
        let text = format!("{name}: {NOVEL}");
        let d = diagnose(&from_text(&text), Lang::En);
        assert_eq!(d.primary().category, category, "{text}: {}", d.primary().rule_id);
    }
}
