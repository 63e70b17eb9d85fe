//! Golden snapshots of every message format for a representative set of sample events, in
//! English and Japanese: what an on-call engineer actually reads.
//!
//! For each event of [`EVENTS`] and each language, the files
//! `tests/snapshots/<event-stem>.<lang>.<format>.<ext>` hold:
//!
//! | format  | ext    | content                                                          |
//! |---------|--------|------------------------------------------------------------------|
//! | `email` | `txt`  | the e-mail body (`render::email`)                                |
//! | `chat`  | `json` | the Amazon Q Developer custom notification, pretty-printed       |
//! | `json`  | `json` | the machine JSON (SQS / Lambda / `email-json`), pretty-printed   |
//! | `sms`   | `txt`  | the SMS line                                                     |
//! | `sns`   | `txt`  | the SNS `Subject` and the message attributes                     |
//!
//! A change in any of them fails the test with the first differing line. When the change is
//! intended, rewrite the files and review the diff:
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo test --test it messages::snapshots::
//! git diff tests/snapshots/
//! ```

use crate::support::snapshot::{assert_snapshots, updating};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::decode;
use ecs_doctor::render::{chat, email, json, sms, sns_message};
use ecs_doctor::report::Report;

/// One of each family of failure: a pull denied across accounts, OOM, a secret the execution
/// role may not read, a load-balancer health check, a crash beside a healthy sidecar, a service
/// that cannot place tasks, a deployment stopped by the circuit breaker, a RunTask refused, a
/// CreateService call ECS refused.
const EVENTS: &[&str] = &[
    "task-api-image-access-denied",
    "task-api-oom",
    "task-payments-secrets-access-denied",
    "task-web-elb-health-check",
    "task-api-exit-1-with-sidecar",
    "service-api-ec2-placement-failure-cpu",
    "deployment-web-circuit-breaker-failed",
    "cloudtrail-runtask-agent",
    "cloudtrail-createservice-target-group-role",
];

const LANGS: [(Lang, &str); 2] = [(Lang::En, "en"), (Lang::Ja, "ja")];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every snapshot of one event: (file name, content).
fn render_all(stem: &str) -> Vec<(String, String)> {
    let path = root().join("events").join(format!("{stem}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut incidents = decode(&bytes).unwrap_or_else(|e| panic!("{stem}: does not decode: {e}"));
    assert_eq!(incidents.len(), 1, "{stem}: one event, one incident");
    let incident = incidents.remove(0);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("JSON renders");

    let mut out = Vec::new();
    for (lang, code) in LANGS {
        let diagnosis = Report::from(diagnose(&incident, lang));
        let sns = sns_message(&incident, &diagnosis);
        let mut sns_text = format!("Subject: {}\n\nMessage attributes:\n", sns.subject);
        for (name, value) in &sns.attributes {
            sns_text.push_str(&format!("  {name} = {value}\n"));
        }
        for (format, ext, text) in [
            ("email", "txt", email(&incident, &diagnosis)),
            ("chat", "json", pretty(&chat(&incident, &diagnosis))),
            ("json", "json", pretty(&json(&incident, &diagnosis))),
            ("sms", "txt", sms(&incident, &diagnosis)),
            ("sns", "txt", sns_text),
        ] {
            let mut text = text;
            if !text.ends_with('\n') {
                text.push('\n');
            }
            out.push((format!("{stem}.{code}.{format}.{ext}"), text));
        }
    }
    out
}

macro_rules! snapshot_tests {
    ($($test:ident => $stem:literal,)*) => {
        $(
            #[test]
            fn $test() {
                assert_snapshots("", "messages::snapshots::", render_all($stem));
            }
        )*

        #[test]
        fn every_listed_event_has_a_test() {
            let tested: BTreeSet<&str> = [$($stem),*].into_iter().collect();
            let listed: BTreeSet<&str> = EVENTS.iter().copied().collect();
            assert_eq!(tested, listed, "EVENTS and the snapshot tests disagree");
        }
    };
}

snapshot_tests! {
    image_pull_access_denied_cross_account => "task-api-image-access-denied",
    out_of_memory => "task-api-oom",
    secrets_permission_denied => "task-payments-secrets-access-denied",
    elb_health_check => "task-web-elb-health-check",
    exit_1_with_sidecar => "task-api-exit-1-with-sidecar",
    service_placement_failure => "service-api-ec2-placement-failure-cpu",
    deployment_circuit_breaker => "deployment-web-circuit-breaker-failed",
    cloudtrail_run_task_agent => "cloudtrail-runtask-agent",
    cloudtrail_create_service_refused => "cloudtrail-createservice-target-group-role",
}

/// A CreateService that ECS refused creates nothing: the e-mail is all the on-call person gets,
/// so it must name the call, who made it, what ECS said, and what to do, in both languages.
#[test]
fn a_refused_create_service_names_the_call_the_caller_and_the_fix() {
    let files = render_all("cloudtrail-createservice-target-group-role");
    for code in ["en", "ja"] {
        let name = format!("cloudtrail-createservice-target-group-role.{code}.email.txt");
        let (_, mail) = files.iter().find(|(n, _)| *n == name).expect("an e-mail per language");
        for needle in [
            "`CreateService`",
            "userIdentity: arn:aws:sts::123456789012:assumed-role/ci-deployer/deploy-pipeline",
            "errorCode: InvalidParameterException",
            "Unable to assume role and validate the specified targetGroupArn",
            "serviceName=checkout",
            "aws iam get-role",
            "prod/checkout",
        ] {
            assert!(mail.contains(needle), "{name} lacks {needle:?}:\n{mail}");
        }
        // The request's values that are not identifiers never reach the message.
        assert!(!mail.contains("payments"), "{name} copied a tag value:\n{mail}");
    }
}

/// A snapshot file that no test writes is stale (an event removed from the list, a format
/// renamed): it would silently stop being checked.
#[test]
fn no_stale_snapshot_files() {
    let expected: BTreeSet<String> = EVENTS
        .iter()
        .flat_map(|stem| {
            LANGS.iter().flat_map(move |(_, code)| {
                [
                    ("email", "txt"),
                    ("chat", "json"),
                    ("json", "json"),
                    ("sms", "txt"),
                    ("sns", "txt"),
                ]
                .map(|(format, ext)| format!("{stem}.{code}.{format}.{ext}"))
            })
        })
        .collect();
    let dir = crate::support::snapshot::dir("");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let stale: Vec<&String> = on_disk.difference(&expected).collect();
    if updating() {
        for name in &stale {
            remove(&dir.join(name));
        }
        return;
    }
    assert!(
        stale.is_empty(),
        "snapshot files that no test checks (delete them, or run with UPDATE_SNAPSHOTS=1): {stale:?}"
    );
}

fn remove(path: &Path) {
    std::fs::remove_file(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
