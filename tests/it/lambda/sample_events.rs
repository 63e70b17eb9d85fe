//! The sample events in `events/`: each one decodes, is diagnosed by the rule it was written
//! for, renders within the SNS limits in both languages, and is published (or not) by the
//! default noise policy as an operator would expect.
//!
//! The table below is the contract between the samples and the catalog: adding a file to
//! `events/` without a row here (or the other way round) fails `table_matches_the_directory`.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

use ecs_doctor::config::{self, Config};
use ecs_doctor::diagnose::text::PLACEHOLDERS;
use ecs_doctor::diagnose::{catalog, diagnose, Category, Diagnosis, Lang};
use ecs_doctor::event::decode;
use ecs_doctor::incident::Incident;
use ecs_doctor::render::{sns_message, MAX_SNS_MESSAGE_BYTES};
use ecs_doctor::report::Report;
use serde_json::Value;

/// One sample event and what ecs-doctor must make of it.
struct Sample {
    /// File name under `events/`.
    file: &'static str,
    /// Rule id of the primary finding.
    primary: &'static str,
    /// Other rule ids that must also be among the findings.
    also: &'static [&'static str],
    /// Rule ids that must not be among the findings.
    never: &'static [&'static str],
    /// Published with the default configuration (only `TOPIC_ARN` set).
    publish: bool,
}

const PUBLISH: bool = true;
const QUIET: bool = false;

const fn s(file: &'static str, primary: &'static str, publish: bool) -> Sample {
    Sample {
        file,
        primary,
        also: &[],
        never: &[],
        publish,
    }
}

impl Sample {
    const fn also(self, also: &'static [&'static str]) -> Sample {
        Sample { also, ..self }
    }

    const fn never(self, never: &'static [&'static str]) -> Sample {
        Sample { never, ..self }
    }
}

#[rustfmt::skip]
const SAMPLES: &[Sample] = &[
    // ---- Image pulls ----
    s("task-web-image-not-found.json",                           "image-pull.not-found",                        PUBLISH),
    s("task-api-image-access-denied.json",                       "image-pull.access-denied",                    PUBLISH),
    s("task-reports-image-access-denied-ec2.json",               "image-pull.access-denied",                    PUBLISH),
    s("task-checkout-image-pull-network.json",                   "image-pull.network",                          PUBLISH),
    s("task-frontend-image-rate-limited.json",                   "image-pull.rate-limited",                     PUBLISH),
    s("task-ingest-image-platform-mismatch.json",                "image-pull.platform-mismatch",                PUBLISH),
    s("task-nightly-etl-image-no-space.json",                    "image-pull.no-space",                         PUBLISH),
    // ---- Secrets, logging, env files, volumes ----
    s("task-payments-secrets-network.json",                      "secrets.network",                             PUBLISH),
    s("task-payments-secrets-access-denied.json",                "secrets.permission-denied",                   PUBLISH),
    s("task-payments-secrets-not-found.json",                    "secrets.not-found",                           PUBLISH),
    s("task-orders-logging-driver.json",                         "logging.log-group-missing",                   PUBLISH),
    s("task-orders-envfile-s3.json",                             "envfile.access-denied",                       PUBLISH),
    s("task-media-efs-mount.json",                               "efs.mount-target-dns",                        PUBLISH),
    s("task-media-volume-create.json",                           "volume.docker-volume-failed",                 PUBLISH),
    // ---- Containers ----
    s("task-worker-command-not-found.json",                      "runtime.command-not-found",                   PUBLISH),
    s("task-cron-cleanup-exit-127.json",                         "exit.127-command-not-found",                  PUBLISH),
    s("task-worker-not-executable.json",                         "exit.126-not-executable",                     PUBLISH),
    // The OutOfMemoryError reason explains the 137: the exit-code guess must not repeat it.
    s("task-api-oom.json",                                       "runtime.oom-killed",                          PUBLISH).never(&["exit.137-oom-suspected"]),
    s("task-api-exit-137.json",                                  "exit.137-oom-suspected",                      PUBLISH),
    s("task-api-exit-137-user-stop.json",                        "task.user-stopped",                           QUIET).also(&["exit.137-stop-timeout"]),
    // The envoy sidecar exited 0 only because the app died: not a finding of its own.
    s("task-api-exit-1-with-sidecar.json",                       "exit.1-application-error",                    PUBLISH).never(&["exit.0-service-finished", "exit.0-completed"]),
    s("task-db-migrate-exit-2.json",                             "exit.2-usage-error",                          PUBLISH),
    s("task-imgproc-exit-139.json",                              "exit.139-segfault",                           PUBLISH),
    s("task-web-deployment-exit-143.json",                       "task.scaling-activity",                       QUIET).never(&["exit.143-stopped"]),
    s("task-web-user-stopped.json",                              "task.user-stopped",                           QUIET).never(&["exit.0-completed"]),
    s("task-queue-poller-exit-0.json",                           "exit.0-service-finished",                     PUBLISH),
    // ---- Health checks, networking, runtime, infrastructure ----
    // A replacement is the failure; the SIGTERM it caused is not an expected stop.
    s("task-web-elb-health-check.json",                          "task.elb-health-check",                       PUBLISH).never(&["exit.143-stopped", "task.scheduler-stopped"]),
    s("task-web-container-health-check.json",                    "task.container-health-check",                 PUBLISH).never(&["exit.143-stopped", "task.scheduler-stopped"]),
    s("task-api-eni-timeout.json",                               "task.eni-provisioning-timeout",               PUBLISH),
    s("task-search-runtime-timeout.json",                        "runtime.start-timeout",                       PUBLISH),
    s("task-analytics-spot-interruption.json",                   "task.spot-interruption",                      PUBLISH),
    s("task-api-resource-memory.json",                           "placement.resource-memory.capacity-provider", PUBLISH),
    s("task-web-infrastructure-health.json",                     "task.infrastructure-health",                  PUBLISH),
    // ---- ECS Service Action ----
    s("service-api-ec2-placement-failure-cpu.json",              "placement.resource-cpu",                      PUBLISH),
    s("service-analytics-placement-failure-fargate.json",        "placement.resource-fargate",                  PUBLISH),
    s("service-checkout-task-start-impaired.json",               "service.task-start-impaired",                 PUBLISH),
    s("service-worker-task-configuration-failure.json",          "service.task-role-assume-failed",             PUBLISH),
    s("service-web-steady-state.json",                           "service.normal-operation",                    QUIET),
    // ---- ECS Deployment State Change ----
    s("deployment-web-circuit-breaker-failed.json",              "deployment.circuit-breaker",                  PUBLISH),
    s("deployment-web-rollback-in-progress.json",                "deployment.rollback-in-progress",             PUBLISH),
    // ---- Hooks of blue/green, linear and canary deployments ----
    s("hook-api-pause-awaiting-action.json",                     "deployment.hook-awaiting-action",             PUBLISH),
    s("hook-api-pause-timed-out.json",                           "deployment.hook-event-timed-out",             PUBLISH),
    // ---- ECS Container Instance State Change ----
    s("instance-draining.json",                                  "instance.draining",                           PUBLISH),
    s("instance-inactive.json",                                  "instance.deregistered",                       PUBLISH),
    s("instance-agent-disconnected.json",                        "instance.agent-disconnected",                 QUIET),
    s("instance-agent-reconnected.json",                         "instance.healthy",                            QUIET),
    // ---- AWS API Call via CloudTrail (constructed from the API's Failure type) ----
    s("cloudtrail-runtask-agent.json",                           "placement.agent-disconnected",                PUBLISH),
    s("cloudtrail-runtask-resource-memory.json",                 "placement.resource-memory",                   PUBLISH),
    s("cloudtrail-starttask-missing.json",                       "api.missing.start-task",                      PUBLISH),
    s("cloudtrail-updatetaskprotection-deployment-blocked.json", "api.deployment-blocked",                      PUBLISH),
    s("cloudtrail-createservice-target-group-role.json",         "api-error.role-not-usable",                   PUBLISH),
];

/// Stops an operator expects: they must never page anyone with the default settings.
const EXPECTED_STOPS: &[&str] = &[
    "task-web-user-stopped.json",
    "task-api-exit-137-user-stop.json",
    "task-web-deployment-exit-143.json",
    "service-web-steady-state.json",
    "instance-agent-reconnected.json",
];

/// Tasks the scheduler replaced because they were unhealthy: these must always be published.
const HEALTH_CHECK_REPLACEMENTS: &[&str] = &["task-web-elb-health-check.json", "task-web-container-health-check.json"];

fn events_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events")
}

fn read(file: &str) -> Vec<u8> {
    let path = events_dir().join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn incident(file: &str) -> Incident {
    let incidents = decode(&read(file)).unwrap_or_else(|e| panic!("{file}: does not decode: {e}"));
    assert_eq!(incidents.len(), 1, "{file}: an EventBridge event is one incident");
    incidents.into_iter().next().expect("one incident")
}

fn default_config() -> Config {
    Config::from_lookup(|name| {
        (name == config::TOPIC_ARN).then(|| "arn:aws:sns:us-east-1:123456789012:ecs-doctor".to_string())
    })
    .expect("TOPIC_ARN alone is a valid configuration")
}

fn published_by_default(diagnosis: &Diagnosis) -> bool {
    diagnosis.is_actionable() && default_config().should_publish(diagnosis)
}

fn rule_ids(diagnosis: &Diagnosis) -> Vec<&'static str> {
    diagnosis.findings.iter().map(|f| f.rule_id).collect()
}

fn find(file: &str) -> &'static Sample {
    SAMPLES
        .iter()
        .find(|s| s.file == file)
        .unwrap_or_else(|| panic!("{file} is not in SAMPLES"))
}

#[test]
fn table_matches_the_directory() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(events_dir())
        .expect("events/ exists")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".json"))
        .collect();
    let mut in_table = BTreeSet::new();
    for s in SAMPLES {
        assert!(in_table.insert(s.file.to_string()), "{} is listed twice", s.file);
    }
    let missing: Vec<_> = on_disk.difference(&in_table).collect();
    let stale: Vec<_> = in_table.difference(&on_disk).collect();
    assert!(
        missing.is_empty(),
        "files in events/ without a row in SAMPLES: {missing:?}"
    );
    assert!(stale.is_empty(), "rows in SAMPLES without a file in events/: {stale:?}");
    for file in EXPECTED_STOPS.iter().chain(HEALTH_CHECK_REPLACEMENTS) {
        find(file);
    }
}

#[test]
fn expected_rules_exist_in_the_catalog() {
    for s in SAMPLES {
        for id in std::iter::once(&s.primary).chain(s.also).chain(s.never) {
            assert!(catalog::find(id).is_some(), "{}: no rule `{id}` in the catalog", s.file);
            assert_ne!(*id, "unknown", "{}: `unknown` is never an expected rule", s.file);
        }
    }
}

#[test]
fn samples_are_complete_eventbridge_events() {
    let mut ids = HashSet::new();
    for s in SAMPLES {
        let v: Value = serde_json::from_slice(&read(s.file)).unwrap_or_else(|e| panic!("{}: {e}", s.file));
        let text = |key: &str| v.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
        assert_eq!(text("version"), "0", "{}: version", s.file);
        assert_eq!(text("source"), "aws.ecs", "{}: source", s.file);
        assert_eq!(text("account"), "123456789012", "{}: account", s.file);
        assert_eq!(text("region"), "us-east-1", "{}: region", s.file);
        assert!(!text("time").is_empty(), "{}: time", s.file);
        assert!(v.get("resources").is_some_and(Value::is_array), "{}: resources", s.file);
        assert!(v.get("detail").is_some_and(Value::is_object), "{}: detail", s.file);
        let id = text("id");
        assert!(
            id.len() == 36 && id.matches('-').count() == 4,
            "{}: id `{id}` is not UUID-like",
            s.file
        );
        assert!(ids.insert(id.clone()), "{}: id {id} is used by another sample", s.file);
        let detail = &v["detail"];
        match text("detail-type").as_str() {
            "ECS Task State Change" => {
                assert_eq!(
                    detail["lastStatus"], "STOPPED",
                    "{}: task events are STOPPED tasks",
                    s.file
                );
                assert_eq!(
                    detail["clusterArn"], "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
                    "{}",
                    s.file
                );
                let group = detail["group"].as_str().unwrap_or_default();
                assert!(
                    group.starts_with("service:") || group.starts_with("family:"),
                    "{}: group {group}",
                    s.file
                );
                for key in [
                    "taskArn",
                    "launchType",
                    "stopCode",
                    "stoppedReason",
                    "createdAt",
                    "stoppedAt",
                ] {
                    assert!(detail[key].is_string(), "{}: detail.{key}", s.file);
                }
                assert!(
                    detail["containers"].as_array().is_some_and(|c| !c.is_empty()),
                    "{}",
                    s.file
                );
                if detail["launchType"] == "FARGATE" {
                    let eni = detail["attachments"]
                        .as_array()
                        .and_then(|a| a.iter().find(|a| a["type"] == "eni"));
                    let subnet = eni
                        .and_then(|e| e["details"].as_array())
                        .is_some_and(|d| d.iter().any(|nv| nv["name"] == "subnetId"));
                    assert!(
                        subnet,
                        "{}: a Fargate task has an eni attachment with its subnetId",
                        s.file
                    );
                }
            }
            "AWS API Call via CloudTrail" => {
                assert_eq!(detail["eventSource"], "ecs.amazonaws.com", "{}", s.file);
                assert_eq!(detail["eventType"], "AwsApiCall", "{}", s.file);
                for key in [
                    "eventVersion",
                    "eventTime",
                    "eventName",
                    "awsRegion",
                    "sourceIPAddress",
                    "requestID",
                    "eventID",
                ] {
                    assert!(detail[key].is_string(), "{}: detail.{key}", s.file);
                }
                assert!(detail["userIdentity"].is_object(), "{}: detail.userIdentity", s.file);
                // A refused call has errorCode; an answered one lists failures.
                let failures = detail["responseElements"]["failures"].as_array();
                assert!(
                    detail["errorCode"].is_string() || failures.is_some_and(|f| !f.is_empty()),
                    "{}: errorCode or responseElements.failures",
                    s.file
                );
            }
            "ECS Service Action"
            | "ECS Deployment State Change"
            | "ECS Hook State Change"
            | "ECS Container Instance State Change" => {}
            other => panic!("{}: unexpected detail-type `{other}`", s.file),
        }
    }
}

#[test]
fn samples_hold_no_secret_values() {
    // Secrets are referenced by ARN or name only; no credentials, no environment values.
    let forbidden = [
        "AKIA",
        "aws_secret_access_key",
        "secretAccessKey",
        "sessionToken",
        "\"environment\"",
        "password=",
    ];
    for s in SAMPLES {
        let text = String::from_utf8(read(s.file)).unwrap_or_else(|e| panic!("{}: not UTF-8: {e}", s.file));
        for word in forbidden {
            assert!(!text.contains(word), "{}: contains `{word}`", s.file);
        }
        let v: Value = serde_json::from_str(&text).expect("valid JSON");
        let key_id = &v["detail"]["userIdentity"]["accessKeyId"];
        assert!(key_id.is_null(), "{}: userIdentity.accessKeyId is not needed", s.file);
    }
}

#[test]
fn every_sample_gets_its_rule() {
    let mut wrong = Vec::new();
    for s in SAMPLES {
        let d = diagnose(&incident(s.file), Lang::En);
        let ids = rule_ids(&d);
        let primary = d.primary();
        let mut problems = Vec::new();
        if primary.rule_id == "unknown" {
            problems.push("primary is `unknown`".to_string());
        }
        if primary.rule_id != s.primary {
            problems.push(format!("primary is {}, expected {}", primary.rule_id, s.primary));
        }
        for id in s.also.iter().filter(|id| !ids.contains(id)) {
            problems.push(format!("{id} is missing"));
        }
        for id in s.never.iter().filter(|id| ids.contains(id)) {
            problems.push(format!("{id} must not fire"));
        }
        if !problems.is_empty() {
            wrong.push(format!(
                "{}: {} (findings: {ids:?}; evidence of primary: {} = {:?})",
                s.file,
                problems.join("; "),
                primary.evidence.field,
                primary.evidence.text
            ));
        }
    }
    assert!(wrong.is_empty(), "samples diagnosed wrongly:\n{}", wrong.join("\n"));
}

#[test]
fn every_sample_has_remediation_in_both_languages() {
    for s in SAMPLES {
        let incident = incident(s.file);
        for lang in [Lang::En, Lang::Ja] {
            let d = diagnose(&incident, lang);
            let primary = d.primary();
            assert!(!primary.title.trim().is_empty(), "{} ({lang:?}): empty title", s.file);
            assert!(
                !primary.explanation.trim().is_empty(),
                "{} ({lang:?}): empty explanation",
                s.file
            );
            assert!(
                !primary.remediation.is_empty(),
                "{} ({lang:?}): no remediation steps",
                s.file
            );
            for step in &primary.remediation {
                assert!(!step.trim().is_empty(), "{} ({lang:?}): empty remediation step", s.file);
            }
            let texts = [&primary.title, &primary.explanation]
                .into_iter()
                .chain(&primary.remediation);
            for text in texts {
                for name in PLACEHOLDERS {
                    let placeholder = format!("{{{name}}}");
                    assert!(
                        !text.contains(&placeholder),
                        "{} ({lang:?}): unfilled {placeholder} in {text:?}",
                        s.file
                    );
                }
            }
        }
        let ja = diagnose(&incident, Lang::Ja);
        assert_eq!(ja.primary().rule_id, s.primary, "{}: same rule in Japanese", s.file);
        assert!(
            !ja.primary().title.is_ascii(),
            "{}: Japanese title is not translated: {}",
            s.file,
            ja.primary().title
        );
    }
}

#[test]
fn default_policy_publishes_failures_and_keeps_expected_stops_quiet() {
    let mut wrong = Vec::new();
    for s in SAMPLES {
        let d = diagnose(&incident(s.file), Lang::En);
        let published = published_by_default(&d);
        if published != s.publish {
            let p = d.primary();
            wrong.push(format!(
                "{}: published = {published}, expected {} ({} is {} / {})",
                s.file,
                s.publish,
                p.rule_id,
                p.category.as_str(),
                p.severity.as_str()
            ));
        }
    }
    assert!(wrong.is_empty(), "default publishing policy:\n{}", wrong.join("\n"));
}

#[test]
fn expected_stops_are_quiet_and_health_check_replacements_are_not() {
    for file in EXPECTED_STOPS {
        assert!(
            !find(file).publish,
            "{file}: the table must not publish an expected stop"
        );
        let d = diagnose(&incident(file), Lang::En);
        assert!(!d.is_actionable(), "{file}: an expected stop is not actionable");
        assert!(
            !default_config().should_publish(&d),
            "{file}: an expected stop is not published by default"
        );
    }
    for file in HEALTH_CHECK_REPLACEMENTS {
        let d = diagnose(&incident(file), Lang::En);
        let category = d.primary().category;
        assert!(
            matches!(category, Category::HealthCheckElb | Category::HealthCheckContainer),
            "{file}: primary category is {}",
            category.as_str()
        );
        assert!(
            published_by_default(&d),
            "{file}: a health-check replacement must be published"
        );
    }
}

#[test]
fn every_sample_renders_within_sns_limits_in_both_languages() {
    for s in SAMPLES {
        let incident = incident(s.file);
        for lang in [Lang::En, Lang::Ja] {
            let d = Report::from(diagnose(&incident, lang));
            let m = sns_message(&incident, &d);
            assert!(
                m.message.len() <= MAX_SNS_MESSAGE_BYTES,
                "{} ({lang:?}): message is {} bytes",
                s.file,
                m.message.len()
            );
            let body: Value = serde_json::from_str(&m.message)
                .unwrap_or_else(|e| panic!("{} ({lang:?}): message is not JSON: {e}", s.file));
            let default = body.get("default").and_then(Value::as_str);
            assert!(
                default.is_some_and(|b| !b.is_empty()),
                "{} ({lang:?}): no `default` body",
                s.file
            );
            assert!(!m.subject.is_empty(), "{} ({lang:?}): empty subject", s.file);
            assert!(
                m.subject.is_ascii(),
                "{} ({lang:?}): subject is not ASCII: {}",
                s.file,
                m.subject
            );
            assert!(
                m.subject.len() < 100,
                "{} ({lang:?}): subject too long: {}",
                s.file,
                m.subject
            );
            assert!(
                !m.subject.contains(['\n', '\r']),
                "{} ({lang:?}): subject has a line break",
                s.file
            );
            let rule = m
                .attributes
                .iter()
                .find(|(k, _)| *k == "rule_id")
                .map(|(_, v)| v.as_str());
            assert_eq!(rule, Some(s.primary), "{} ({lang:?}): rule_id attribute", s.file);
        }
    }
}
