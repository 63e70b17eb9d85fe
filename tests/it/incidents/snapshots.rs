//! Golden snapshots of the two messages an incident adds: a failed deployment's root cause
//! (4 tasks of the deployment could not pull their image, ECS rolled back to web:63) and the
//! resolved message, in every format and both languages. Built from the pure parts (the
//! grouping, the renderers), so no server is needed.
//!
//! UPDATE_SNAPSHOTS=1 cargo test --test it incidents::snapshots::
//! git diff tests/snapshots/incident/

use crate::support::snapshot::assert_snapshots;
use std::path::PathBuf;

use ecs_doctor::aws::ecs::stopped_tasks::StoppedTasks;
use ecs_doctor::aws::{DeploymentState, ServiceState};
use ecs_doctor::diagnose::Lang;
use ecs_doctor::event::decode;
use ecs_doctor::incident::{Container, Incident, Task};
use ecs_doctor::pipeline::resolve::{self, Ending};
use ecs_doctor::pipeline::root_cause::{self, Read};
use ecs_doctor::render::{chat, email, json, sms, sns_message};
use ecs_doctor::report::{Report, Thread, ThreadState};

const RERUN: &str = "incidents::snapshots::";

const ACCOUNT: &str = "123456789012";
const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:3.2.0";
/// 2025-03-29T10:00:00Z, when the incident opened.
const OPENED: u64 = 1_743_242_400;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn event(stem: &str) -> Incident {
    let path = root().join("events").join(format!("{stem}.json"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    decode(&bytes).expect("decodes").remove(0)
}

fn td(revision: u32) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/web:{revision}")
}

fn failed_task(i: usize, deployment: &str) -> Task {
    Task {
        task_arn: format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/{i:032x}"),
        task_definition_arn: Some(td(64)),
        group: Some("service:web".into()),
        started_by: Some(deployment.into()),
        last_status: Some("STOPPED".into()),
        stop_code: Some("TaskFailedToStart".into()),
        stopped_reason: Some("Task failed to start".into()),
        containers: vec![Container {
            name: "app".into(),
            image: Some(IMAGE.into()),
            reason: Some(format!(
                "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {IMAGE}: {IMAGE}: not found"
            )),
            ..Container::default()
        }],
        ..Task::default()
    }
}

fn thread(state: ThreadState, resolved_at: Option<u64>) -> Thread {
    Thread {
        id: format!("prod/web/{OPENED}"),
        state,
        opened_at: OPENED,
        failed_tasks: 4,
        causes: vec![("image-pull.not-found".into(), 4)],
        failed_task_definitions: vec![td(64)],
        resolved_at,
    }
}

/// The deployment-failed event with its 4 stopped tasks read and grouped.
fn root_cause(lang: Lang) -> (Incident, Report) {
    let mut incident = event("deployment-web-circuit-breaker-failed");
    let failed = "ecs-svc/7337784753011740593";
    let read = Read {
        service_deployment: None,
        service: Some(ServiceState {
            arn: format!("arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/web"),
            name: "web".into(),
            events: Vec::new(),
            deployments: vec![
                DeploymentState {
                    id: "ecs-svc/7681592421707717289".into(),
                    status: Some("PRIMARY".into()),
                    rollout_state: Some("IN_PROGRESS".into()),
                    task_definition: Some(td(63)),
                    ..DeploymentState::default()
                },
                DeploymentState {
                    id: failed.into(),
                    status: Some("ACTIVE".into()),
                    rollout_state: Some("FAILED".into()),
                    task_definition: Some(td(64)),
                    running_count: Some(0),
                    ..DeploymentState::default()
                },
            ],
        }),
        deployment_id: Some(failed.into()),
        tasks: StoppedTasks {
            tasks: (1..=4).map(|i| failed_task(i, failed)).collect(),
            listed: 6,
            ..StoppedTasks::default()
        },
        other_tasks: 2,
        problems: Vec::new(),
    };
    let root = root_cause::root_cause(&incident, &read, lang);
    incident.task = root.example_task().cloned();
    let mut report = Report::from(root_cause::diagnosis(&incident, lang));
    root_cause::attach(&mut incident, &mut report, &root);
    report.thread = Some(thread(ThreadState::Updated, None));
    (incident, report)
}

fn resolved_message(lang: Lang) -> (Incident, Report) {
    let incident = event("service-web-steady-state");
    let thread = thread(ThreadState::Resolved, Some(OPENED + 23 * 60));
    let ending = resolve::ending(&thread, Some(&td(63)));
    assert_eq!(
        ending,
        Ending::Rollback {
            to: "web:63".into(),
            failed: "web:64".into()
        }
    );
    let report = resolve::report(&incident, thread, &ending, lang);
    (incident, report)
}

fn render_all(name: &str, build: fn(Lang) -> (Incident, Report)) -> Vec<(String, String)> {
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).expect("JSON renders");
    let mut out = Vec::new();
    for (lang, code) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
        let (incident, report) = build(lang);
        let sns = sns_message(&incident, &report);
        let mut sns_text = format!("Subject: {}\n\nMessage attributes:\n", sns.subject);
        for (name, value) in &sns.attributes {
            sns_text.push_str(&format!("  {name} = {value}\n"));
        }
        for (format, ext, mut text) in [
            ("email", "txt", email(&incident, &report)),
            ("chat", "json", pretty(&chat(&incident, &report))),
            ("json", "json", pretty(&json(&incident, &report))),
            ("sms", "txt", sms(&incident, &report)),
            ("sns", "txt", sns_text),
        ] {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            out.push((format!("{name}.{code}.{format}.{ext}"), text));
        }
    }
    out
}

#[test]
fn root_cause_message_in_every_format() {
    assert_snapshots("incident", RERUN, render_all("deployment-root-cause", root_cause));
}

#[test]
fn resolved_message_in_every_format() {
    assert_snapshots("incident", RERUN, render_all("resolved", resolved_message));
}

#[test]
fn the_root_cause_leads_and_names_the_rollback() {
    let (incident, report) = root_cause(Lang::En);
    assert_eq!(report.primary().rule_id, "image-pull.not-found");
    let headline = ecs_doctor::render::deployment_headline(&incident, &report).expect("headline");
    assert_eq!(
        headline,
        "Deployment ecs-svc/7337784753011740593 of prod/web failed: 4 of 4 new tasks stopped — Image or tag does not exist. Rolled back to web:63."
    );
    let sns = sns_message(&incident, &report);
    assert!(sns.attributes.contains(&("incident_state".into(), "updated".into())));
}

#[test]
fn the_resolved_message_is_info_and_says_resolved() {
    let (incident, report) = resolved_message(Lang::En);
    let sns = sns_message(&incident, &report);
    assert_eq!(sns.subject, "ECS RESOLVED: prod/web: healthy again after 23 min");
    assert!(sns.attributes.contains(&("severity".into(), "info".into())));
    assert!(sns.attributes.contains(&("incident_state".into(), "resolved".into())));
    let text = email(&incident, &report);
    assert!(
        text.contains("It ended with a rollback to web:63: revision web:64 still has the problem."),
        "{text}"
    );
    let chat = chat(&incident, &report);
    assert_eq!(chat["metadata"]["threadId"], format!("prod/web/{OPENED}"));
}
