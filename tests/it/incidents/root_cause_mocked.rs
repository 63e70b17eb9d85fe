//! A failed deployment's stopped tasks read with mocked SDK clients (canned answers, tests/it/support/mock.rs), for what
//! moto cannot show: more than 100 stopped tasks (ListTasks pages, DescribeTasks batches of
//! 100), AccessDenied on ListTasks, and tasks that ECS no longer keeps.

use ecs_doctor::render::note_text;
use std::sync::Arc;
use std::time::Duration;

use crate::support::mock::{mock, mock_client, Rule, RuleMode};
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::describe_tasks::DescribeTasksOutput;
use aws_sdk_ecs::operation::list_tasks::{ListTasksError, ListTasksOutput};
use aws_sdk_ecs::types::error::AccessDeniedException;
use aws_sdk_ecs::types::{Deployment, DeploymentRolloutState, Service, Task as SdkTask};
use aws_sdk_ecs::Client as EcsClient;
use aws_smithy_types::error::ErrorMetadata;
use ecs_doctor::aws::{Backoff, EcsReader};
use ecs_doctor::diagnose::Lang;
use ecs_doctor::event::decode;
use ecs_doctor::incident::Incident;
use ecs_doctor::pipeline::root_cause::{self, Trigger};

const ACCOUNT: &str = "123456789012";
const FAILED: &str = "ecs-svc/2222";
const OLD: &str = "ecs-svc/1111";

fn task_arn(i: usize) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/{i:032x}")
}

/// Task `i`: the first `failed` were started by the failed deployment and could not pull their
/// image; the others, by the old one, ran out of memory.
fn task(i: usize, failed: usize) -> SdkTask {
    let (by, reason, revision) = if i < failed {
        (
            FAILED,
            "CannotPullContainerError: failed to resolve ref x/api:9: not found",
            2,
        )
    } else {
        (OLD, "OutOfMemoryError: Container killed due to memory usage", 1)
    };
    SdkTask::builder()
        .task_arn(task_arn(i))
        .group("service:api")
        .started_by(by)
        .task_definition_arn(format!(
            "arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/api:{revision}"
        ))
        .last_status("STOPPED")
        .stopped_reason(reason)
        .build()
}

fn service() -> Rule {
    mock!(EcsClient::describe_services).then_output(|| {
        DescribeServicesOutput::builder()
            .services(
                Service::builder()
                    .service_name("api")
                    .service_arn(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/api"))
                    .deployments(
                        Deployment::builder()
                            .id(FAILED)
                            .status("PRIMARY")
                            .rollout_state(DeploymentRolloutState::Failed)
                            .task_definition(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/api:2"))
                            .running_count(0)
                            .build(),
                    )
                    .deployments(
                        Deployment::builder()
                            .id(OLD)
                            .status("ACTIVE")
                            .task_definition(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/api:1"))
                            .running_count(2)
                            .build(),
                    )
                    .build(),
            )
            .build()
    })
}

/// ListTasks answering `total` ARNs, 100 per page.
fn list(total: usize) -> Rule {
    mock!(EcsClient::list_tasks).then_compute_output(move |req| {
        let start: usize = req.next_token().and_then(|t| t.parse().ok()).unwrap_or(0);
        let end = (start + 100).min(total);
        ListTasksOutput::builder()
            .set_task_arns(Some((start..end).map(task_arn).collect()))
            .set_next_token((end < total).then(|| end.to_string()))
            .build()
    })
}

/// DescribeTasks answering each ARN asked for, when ECS still keeps it.
fn describe(failed: usize) -> Rule {
    mock!(EcsClient::describe_tasks).then_compute_output(move |req| {
        let tasks = req
            .tasks()
            .iter()
            .filter_map(|arn| (0..10_000).find(|i| task_arn(*i) == *arn))
            .map(|i| task(i, failed))
            .collect();
        DescribeTasksOutput::builder().set_tasks(Some(tasks)).build()
    })
}

fn source(rules: &[&Rule]) -> Arc<EcsReader> {
    let none = crate::support::mock::no_service_deployments();
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, rules.iter().copied().chain([&none]));
    Arc::new(EcsReader::new(
        client,
        4,
        Backoff {
            base: Duration::from_millis(1),
            max: Duration::from_millis(2),
            retries: 1,
        },
    ))
}

fn failed_event() -> Incident {
    let json = format!(
        r#"{{"version":"0","id":"e1","detail-type":"ECS Deployment State Change","source":"aws.ecs","account":"{ACCOUNT}","region":"us-east-1","time":"2026-12-04T10:00:00Z","resources":["arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/api"],"detail":{{"eventType":"ERROR","eventName":"SERVICE_DEPLOYMENT_FAILED","deploymentId":"{FAILED}","reason":"ECS deployment circuit breaker: tasks failed to start."}}}}"#
    );
    decode(json.as_bytes()).expect("event").remove(0)
}

#[tokio::test]
async fn more_than_100_stopped_tasks_are_paged_and_described_in_batches() {
    // GIVEN 150 stopped tasks of the service: 120 of the failed deployment, 30 of the old one
    let (list, describe, service) = (list(150), describe(120), service());
    let source = source(&[&list, &describe, &service]);
    let incident = failed_event();
    let trigger = root_cause::trigger(&incident).expect("a deployment trigger");
    assert_eq!(trigger, Trigger::Failed(FAILED.into()));

    // WHEN the deployment's tasks are read and grouped
    let read = root_cause::read(&source, &incident, &trigger).await;
    let root = root_cause::root_cause(&incident, &read, Lang::En);

    // THEN two ListTasks pages and two DescribeTasks batches were sent, and only the failed
    // deployment's 120 tasks are grouped: one cause, the old deployment's OOM is not blamed
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!((read.tasks.calls.list_tasks, read.tasks.calls.describe_tasks), (2, 2));
    assert_eq!((read.tasks.tasks.len(), read.other_tasks), (120, 30));
    assert_eq!(root.deployment.stopped_tasks, 120);
    assert_eq!(root.deployment.groups.len(), 1);
    assert_eq!(root.deployment.groups[0].rule_id, "image-pull.not-found");
    assert_eq!(root.deployment.groups[0].count, 120);
    assert!(root
        .deployment
        .task_definition
        .as_deref()
        .is_some_and(|t| t.ends_with("api:2")));
    assert!(root
        .deployment
        .previous_task_definition
        .as_deref()
        .is_some_and(|t| t.ends_with("api:1")));
    assert!(root.example_task().is_some());
}

#[tokio::test]
async fn access_denied_on_list_tasks_is_named_and_the_breaker_message_stays() {
    let denied = mock!(EcsClient::list_tasks).then_error(|| {
        let message =
            "User: arn:aws:sts::123456789012:assumed-role/ecs-doctor/fn is not authorized to perform: ecs:ListTasks";
        ListTasksError::AccessDeniedException(
            AccessDeniedException::builder()
                .message(message)
                .meta(
                    ErrorMetadata::builder()
                        .code("AccessDeniedException")
                        .message(message)
                        .build(),
                )
                .build(),
        )
    });
    let (describe, service) = (describe(0), service());
    let source = source(&[&denied, &describe, &service]);
    let incident = failed_event();
    let read = root_cause::read(&source, &incident, &Trigger::Failed(FAILED.into())).await;
    let root = root_cause::root_cause(&incident, &read, Lang::En);
    assert!(root.groups.is_empty() && root.example_task().is_none());
    let note = note_text(
        &root.unread_note().expect("a note names what could not be read"),
        Lang::En,
    );
    assert!(
        note.contains("ecs:ListTasks") && note.contains("access denied"),
        "{note}"
    );
    // The message is then the circuit breaker's own diagnosis, with that note.
    let mut incident = incident;
    let mut report = ecs_doctor::report::Report::from(root_cause::diagnosis(&incident, Lang::En));
    root_cause::attach(&mut incident, &mut report, &root);
    assert_eq!(report.primary().category.as_str(), "deployment-failed");
    assert!(incident
        .notes
        .iter()
        .any(|n| note_text(n, Lang::En).contains("ecs:ListTasks")));
    assert!(ecs_doctor::render::deployment_headline(&incident, &report).is_none());
}

#[tokio::test]
async fn tasks_that_ecs_no_longer_keeps_are_said_to_be_gone() {
    let (list, describe, service) = (list(0), describe(0), service());
    let source = source(&[&list, &describe, &service]);
    let incident = failed_event();
    let read = root_cause::read(&source, &incident, &Trigger::Failed(FAILED.into())).await;
    let root = root_cause::root_cause(&incident, &read, Lang::Ja);
    assert!(root.groups.is_empty());
    let note = note_text(&root.unread_note().expect("note"), Lang::Ja);
    assert!(note.contains("約 1 時間"), "{note}");
    assert!(root
        .deployment
        .unread
        .as_deref()
        .is_some_and(|u| u.contains("no longer lists")));
}

#[tokio::test]
async fn a_start_impaired_service_reads_its_primary_deployment() {
    let (list, describe, service) = (list(5), describe(5), service());
    let source = source(&[&list, &describe, &service]);
    let json = format!(
        r#"{{"version":"0","id":"e2","detail-type":"ECS Service Action","source":"aws.ecs","account":"{ACCOUNT}","region":"us-east-1","time":"2026-12-04T10:00:00Z","resources":["arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/api"],"detail":{{"eventType":"WARN","eventName":"SERVICE_TASK_START_IMPAIRED","clusterArn":"arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod"}}}}"#
    );
    let incident = decode(json.as_bytes()).expect("event").remove(0);
    let trigger = root_cause::trigger(&incident).expect("trigger");
    assert_eq!(trigger, Trigger::StartImpaired);
    let read = root_cause::read(&source, &incident, &trigger).await;
    assert_eq!(read.deployment_id.as_deref(), Some(FAILED));
    assert_eq!(read.tasks.tasks.len(), 5);
}
