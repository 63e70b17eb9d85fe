//! `ecs-doctor watch` with mocked SDK clients (canned answers, tests/it/support/mock.rs): DescribeServices answers a
//! sequence of states (each read takes the next; the last repeats), and the failed tasks are
//! read with ListTasks and DescribeTasks as the incident's root cause reads them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::mock::{mock, mock_client, Rule, RuleMode};
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
use aws_sdk_ecs::operation::describe_tasks::DescribeTasksOutput;
use aws_sdk_ecs::operation::list_tasks::ListTasksOutput;
use aws_sdk_ecs::types::{Deployment, DeploymentRolloutState, Service, ServiceEvent, ServiceField, Task as SdkTask};
use aws_sdk_ecs::Client as EcsClient;
use ecs_doctor::aws::{EcsTasks, Logs};
use ecs_doctor::cli::watch::render::{annotations, progress_line, result_line, step_summary, text};
use ecs_doctor::cli::watch::{watch, End, Options, Step};
use ecs_doctor::diagnose::Lang;
use ecs_doctor::verify::NoVerifier;

const ACCOUNT: &str = "123456789012";
const NEW: &str = "ecs-svc/2222";
const OLD: &str = "ecs-svc/1111";

fn td(revision: u32) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/api:{revision}")
}

/// One state of the service: the new deployment (`rollout`, `failed` tasks) and, when
/// `rolled_back`, the old revision's rollback deployment as PRIMARY.
#[derive(Clone, Copy)]
struct State {
    rollout: &'static str,
    failed: i32,
    rolled_back: bool,
    running: i32,
}

const IN_PROGRESS: State = State {
    rollout: "IN_PROGRESS",
    failed: 0,
    rolled_back: false,
    running: 0,
};

fn service(state: State, n: usize) -> Service {
    let new = Deployment::builder()
        .id(NEW)
        .status(if state.rolled_back { "ACTIVE" } else { "PRIMARY" })
        .rollout_state(DeploymentRolloutState::from(state.rollout))
        .rollout_state_reason(format!("ECS deployment {NEW} {}.", state.rollout.to_lowercase()))
        .task_definition(td(64))
        .failed_tasks(state.failed)
        .running_count(state.running)
        .build();
    let mut service = Service::builder()
        .service_name("api")
        .service_arn(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/api"))
        .deployments(new)
        .events(
            ServiceEvent::builder()
                .id(format!("ev-{n}"))
                .message(format!("(service api) read {n}"))
                .build(),
        );
    if state.rolled_back {
        service = service.deployments(
            Deployment::builder()
                .id(OLD)
                .status("PRIMARY")
                .rollout_state(DeploymentRolloutState::Completed)
                .rollout_state_reason(format!(
                    "ECS deployment circuit breaker: rolling back to deploymentId {OLD}."
                ))
                .task_definition(td(63))
                .running_count(2)
                .build(),
        );
    }
    service.build()
}

/// DescribeServices without `include` (the watch's and the root cause's reads) walks `states`.
fn states(states: Vec<State>) -> (Rule, Arc<AtomicUsize>) {
    let reads = Arc::new(AtomicUsize::new(0));
    let counter = reads.clone();
    let rule = mock!(EcsClient::describe_services)
        .match_requests(|r| r.include().is_empty())
        .then_compute_output(move |_| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let state = states[n.min(states.len() - 1)];
            DescribeServicesOutput::builder().services(service(state, n)).build()
        });
    (rule, reads)
}

fn tags() -> Rule {
    mock!(EcsClient::describe_services)
        .match_requests(|r| r.include().contains(&ServiceField::Tags))
        .then_output(|| DescribeServicesOutput::builder().build())
}

fn definition() -> Rule {
    mock!(EcsClient::describe_task_definition).then_output(|| DescribeTaskDefinitionOutput::builder().build())
}

fn task_arn(i: usize) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/{i:032x}")
}

fn list() -> Rule {
    mock!(EcsClient::list_tasks).then_output(|| {
        ListTasksOutput::builder()
            .set_task_arns(Some((0..3).map(task_arn).collect()))
            .build()
    })
}

fn describe() -> Rule {
    mock!(EcsClient::describe_tasks).then_output(|| {
        let tasks = (0..3)
            .map(|i| {
                SdkTask::builder()
                    .task_arn(task_arn(i))
                    .group("service:api")
                    .started_by(if i < 2 { NEW } else { OLD })
                    .task_definition_arn(td(if i < 2 { 64 } else { 63 }))
                    .last_status("STOPPED")
                    .stopped_reason(if i < 2 {
                        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/x is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
                    } else {
                        "OutOfMemoryError: Container killed due to memory usage"
                    })
                    .build()
            })
            .collect();
        DescribeTasksOutput::builder().set_tasks(Some(tasks)).build()
    })
}

fn options(timeout_ms: u64, lang: Lang) -> Options {
    Options {
        cluster: "prod".into(),
        service: "api".into(),
        deployment: None,
        task_definition: None,
        timeout: Duration::from_millis(timeout_ms),
        interval: Duration::from_millis(1),
        lang,
    }
}

async fn run(sequence: Vec<State>, timeout_ms: u64) -> (ecs_doctor::cli::watch::Outcome, Vec<String>) {
    run_in(sequence, timeout_ms, Lang::En).await
}

async fn run_in(sequence: Vec<State>, timeout_ms: u64, lang: Lang) -> (ecs_doctor::cli::watch::Outcome, Vec<String>) {
    let (services, _) = states(sequence);
    let (tags, list, describe, definition) = (tags(), list(), describe(), definition());
    let none = crate::support::mock::no_service_deployments();
    let ecs = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&services, &tags, &list, &describe, &definition, &none]
    );
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, []);
    let tasks = EcsTasks::new(ecs, Logs::new(logs));
    let mut lines = Vec::new();
    let outcome = watch(&tasks, &NoVerifier, &options(timeout_ms, lang), |step: Step| {
        lines.extend(progress_line(&step, lang));
    })
    .await
    .expect("watched");
    (outcome, lines)
}

#[tokio::test]
async fn in_progress_then_completed_exits_0() {
    let completed = State {
        rollout: "COMPLETED",
        running: 2,
        ..IN_PROGRESS
    };
    let (outcome, lines) = run(vec![IN_PROGRESS, IN_PROGRESS, completed], 60_000).await;
    assert_eq!(outcome.end, End::Completed);
    assert_eq!(outcome.end.exit_code(), 0);
    assert!(outcome.diagnosis.is_none());
    assert_eq!(lines[0], format!("following deployment {NEW} (api:64)"));
    assert!(
        lines.iter().any(|l| l.starts_with("COMPLETED running 2 failed 0")),
        "{lines:?}"
    );
    // Events older than the watch are not repeated; new ones are.
    assert!(!lines.iter().any(|l| l.contains("read 0")), "{lines:?}");
    assert!(lines.iter().any(|l| l == "event: (service api) read 1"), "{lines:?}");
}

#[tokio::test]
async fn failed_tasks_are_explained_at_once_then_failure_and_rollback_exit_3() {
    let failing = State {
        failed: 2,
        ..IN_PROGRESS
    };
    let failed = State {
        rollout: "FAILED",
        failed: 2,
        rolled_back: true,
        running: 0,
    };
    let (outcome, lines) = run(vec![IN_PROGRESS, failing, failing, failing, failed], 60_000).await;
    assert_eq!(outcome.end, End::Failed);
    assert_eq!(outcome.end.exit_code(), 3);
    // The diagnosis came while the deployment was still in progress, before the breaker.
    let diagnosed = lines
        .iter()
        .position(|l| l.starts_with("tasks of this deployment failed"))
        .expect("diagnosed");
    let failed_at = lines.iter().position(|l| l.starts_with("FAILED")).expect("failed line");
    assert!(diagnosed < failed_at, "{lines:?}");
    let (incident, report) = outcome.diagnosis.as_ref().expect("diagnosis");
    assert_eq!(report.primary().category.as_str(), "secrets-permission");
    let groups = &report.deployment.as_ref().expect("deployment").groups;
    assert_eq!(
        groups.len(),
        1,
        "the old deployment's OOM task is not blamed: {groups:?}"
    );
    assert_eq!(groups[0].count, 2);
    assert!(incident.task.is_some());
    let line = result_line("prod/api", &outcome, Lang::En);
    assert_eq!(
        line,
        format!("Deployment {NEW} of prod/api: FAILED (exit 3); the service now runs {OLD} (api:63)")
    );
    let github = annotations("prod/api", &outcome);
    assert!(
        github.starts_with("::error title=ECS deployment failed%3A prod/api::Deployment ecs-svc/2222 of prod/api failed: 2 of 2 new tasks stopped — Task execution role may not read the secret or parameter. Rolled back to api:63."),
        "{github}"
    );
    assert!(!github.lines().any(|l| !l.starts_with("::error ")), "{github}");
    let summary = step_summary("prod/api", &outcome);
    assert!(summary.contains("| 2 | "), "{summary}");
}

#[tokio::test]
async fn a_rollback_that_reaches_a_steady_state_is_not_a_success() {
    // The new deployment is gone from the list: ECS replaced it with the rollback, which completed.
    let rolled_back = State {
        rollout: "FAILED",
        failed: 2,
        rolled_back: true,
        running: 0,
    };
    let (outcome, _) = run(vec![rolled_back], 60_000).await;
    assert_eq!(outcome.end.exit_code(), 3);
    assert_eq!(outcome.replaced_by.as_ref().map(|d| d.id.as_str()), Some(OLD));
    assert!(outcome.diagnosis.is_some(), "the failed tasks are still explained");
}

#[tokio::test]
async fn a_timeout_in_progress_exits_5_and_with_failures_exits_4() {
    let (outcome, _) = run(vec![IN_PROGRESS], 30).await;
    assert_eq!((outcome.end, outcome.end.exit_code()), (End::TimeoutInProgress, 5));
    let failing = State {
        failed: 2,
        ..IN_PROGRESS
    };
    let (outcome, _) = run(vec![failing], 30).await;
    assert_eq!((outcome.end, outcome.end.exit_code()), (End::TimeoutFailing, 4));
    assert!(outcome.diagnosis.is_some());
}

/// Golden snapshots of the text, markdown (step summary) and github formats of a failed
/// deployment (tests/snapshots/watch/).
#[tokio::test]
async fn formats_match_their_snapshots() {
    let failing = State {
        failed: 2,
        ..IN_PROGRESS
    };
    let failed = State {
        rollout: "FAILED",
        failed: 2,
        rolled_back: true,
        running: 0,
    };
    let sequence = vec![IN_PROGRESS, failing, failing, failed];
    let (outcome, _) = run(sequence.clone(), 60_000).await;
    let (ja_outcome, _) = run_in(sequence, 60_000, Lang::Ja).await;
    let files = [
        ("failed.en.text.txt", text("prod/api", &outcome, Lang::En)),
        ("failed.ja.text.txt", text("prod/api", &ja_outcome, Lang::Ja)),
        ("failed.markdown.md", step_summary("prod/api", &outcome)),
        ("failed.github.txt", annotations("prod/api", &outcome)),
    ];
    crate::support::snapshot::assert_snapshots(
        "watch",
        "watch::mocked::formats_match_their_snapshots",
        files.map(|(file, rendered)| (file.to_string(), rendered)),
    );
}
