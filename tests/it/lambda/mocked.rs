//! Adapter and handler error paths with mocked SDK clients (canned answers, tests/it/support/mock.rs): what moto
//! cannot produce (DescribeTasks `failures`, throttling, access denied, SNS 5xx), plus a real
//! timeout against a socket that never answers.

use ecs_doctor::render::note_text;
use std::time::Duration;

use crate::support::ecs_throttling;
use crate::support::mock::{mock, mock_client, Rule, RuleMode};
use aws_sdk_cloudwatchlogs::operation::get_log_events::GetLogEventsOutput;
use aws_sdk_cloudwatchlogs::types::OutputLogEvent;
use aws_sdk_cloudwatchlogs::Client as LogsClient;
use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
use aws_sdk_ecs::operation::describe_tasks::{DescribeTasksError, DescribeTasksOutput};
use aws_sdk_ecs::types::error::AccessDeniedException;
use aws_sdk_ecs::types::{
    Container as SdkContainer, ContainerDefinition, Failure, KeyValuePair, LogConfiguration, LogDriver,
    Task as SdkTask, TaskDefinition as SdkTaskDefinition,
};
use aws_sdk_ecs::Client as EcsClient;
use aws_sdk_sns::operation::publish::{PublishError as SnsPublishError, PublishOutput};
use aws_sdk_sns::types::error::NotFoundException;
use aws_sdk_sns::Client as SnsClient;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use ecs_doctor::aws::{EcsTasks, EnrichError, Logs, PublishError, SnsPublisher, TaskSource};
use ecs_doctor::config::Config;
use ecs_doctor::diagnose::{diagnose, Category, Lang};
use ecs_doctor::error::HandlerError;
use ecs_doctor::fixture::Case;
use ecs_doctor::pipeline::{enrich, handle, Deps, Outcome};
use ecs_doctor::report::Report;
use serde_json::json;

const TASK_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef0123456789abcdef";

fn config() -> Config {
    Config::from_lookup(|name| (name == "TOPIC_ARN").then(|| "arn:aws:sns:us-east-1:123456789012:alerts".to_string()))
        .expect("config")
}

fn event() -> serde_json::Value {
    json!({
        "version": "0", "id": "e-1", "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "account": "123456789012", "region": "us-east-1", "time": "2026-11-27T00:00:00Z", "resources": [],
        "detail": {
            "taskArn": TASK_ARN, "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
            "group": "service:web", "lastStatus": "STOPPED", "stopCode": "TaskFailedToStart",
            "stoppedReason": "Task failed to start",
            "containers": [{"name": "app", "lastStatus": "STOPPED",
                            "reason": "CannotPullContainerError: failed to resolve ref x/app:1: not found"}]
        }
    })
}

/// Task definition `app:7`: container `app` limited to 512 MiB, awslogs to /ecs/app with prefix
/// `ecs`, and an environment value that must never reach a message.
fn definition_rule() -> Rule {
    mock!(EcsClient::describe_task_definition).then_output(|| {
        DescribeTaskDefinitionOutput::builder()
            .task_definition(
                SdkTaskDefinition::builder()
                    .task_definition_arn("arn:aws:ecs:us-east-1:123456789012:task-definition/app:7")
                    .memory("1024")
                    .execution_role_arn("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
                    .container_definitions(
                        ContainerDefinition::builder()
                            .name("app")
                            .memory(512)
                            .environment(
                                KeyValuePair::builder()
                                    .name("DB_PASSWORD")
                                    .value("planted-env-secret")
                                    .build(),
                            )
                            .log_configuration(
                                LogConfiguration::builder()
                                    .log_driver(LogDriver::Awslogs)
                                    .options("awslogs-group", "/ecs/app")
                                    .options("awslogs-stream-prefix", "ecs")
                                    .build()
                                    .expect("log configuration"),
                            )
                            .build(),
                    )
                    .build(),
            )
            .build()
    })
}

/// A logs client whose streams hold `lines`.
fn logs(lines: &'static [&'static str]) -> Logs {
    let rule = mock!(LogsClient::get_log_events)
        .match_requests(|r| {
            r.log_group_name() == Some("/ecs/app") && r.log_stream_name().is_some_and(|s| s.starts_with("ecs/app/"))
        })
        .then_output(move || {
            GetLogEventsOutput::builder()
                .set_events(Some(
                    lines
                        .iter()
                        .map(|l| OutputLogEvent::builder().message(*l).build())
                        .collect(),
                ))
                .build()
        });
    Logs::new(mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&rule]))
}

/// DescribeServices (service tags, for routing) answering with no service.
fn services_rule() -> Rule {
    mock!(EcsClient::describe_services)
        .then_output(|| aws_sdk_ecs::operation::describe_services::DescribeServicesOutput::builder().build())
}

/// EcsTasks over a mocked ECS client that answers DescribeTasks with `describe` and
/// DescribeTaskDefinition with `definition_rule()`.
fn tasks_with(describe: &Rule) -> EcsTasks {
    let definition = definition_rule();
    EcsTasks::new(
        mock_client!(
            aws_sdk_ecs,
            RuleMode::MatchAny,
            [describe, &definition, &services_rule()]
        ),
        logs(&[]),
    )
}

fn sns_ok() -> SnsClient {
    let rule = mock!(SnsClient::publish).then_output(|| PublishOutput::builder().message_id("m-1").build());
    mock_client!(aws_sdk_sns, RuleMode::MatchAny, [&rule])
}

#[tokio::test]
async fn describe_tasks_missing_is_explained_but_never_the_primary_finding() {
    // GIVEN DescribeTasks answers with a MISSING failure for the task
    let rule = mock!(EcsClient::describe_tasks).then_output(|| {
        DescribeTasksOutput::builder()
            .failures(Failure::builder().arn(TASK_ARN).reason("MISSING").build())
            .build()
    });
    let tasks = tasks_with(&rule);
    let mut incident = Case::Reason("CannotPullContainerError: failed to resolve ref x/app:1: not found").incident();

    // WHEN the incident is enriched and diagnosed
    enrich(&tasks, &mut incident, 20).await;
    let diagnosis = diagnose(&incident, Lang::En);

    // THEN the failure is carried, noted and explained, and the event's own cause still leads
    assert_eq!(incident.api_failures[0].action.as_deref(), Some("DescribeTasks"));
    assert!(
        note_text(&incident.notes[0], Lang::En).contains("MISSING"),
        "{:?}",
        incident.notes
    );
    assert_eq!(diagnosis.primary().rule_id, "image-pull.not-found");
    assert!(
        diagnosis.findings.iter().any(|f| f.category == Category::NotFound),
        "MISSING is not explained: {:?}",
        diagnosis.findings.iter().map(|f| f.rule_id).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn describe_tasks_merges_container_reasons_the_event_lacked() {
    let rule = mock!(EcsClient::describe_tasks).then_output(|| {
        DescribeTasksOutput::builder()
            .tasks(
                SdkTask::builder()
                    .task_arn(TASK_ARN)
                    .health_status(aws_sdk_ecs::types::HealthStatus::Unhealthy)
                    .containers(
                        SdkContainer::builder()
                            .name("app")
                            .exit_code(137)
                            .reason("OutOfMemoryError: Container killed due to memory usage")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let tasks = tasks_with(&rule);
    let mut incident = Case::Stopped {
        reason: "Essential container in task exited",
        stop_code: "EssentialContainerExited",
        exit: None,
    }
    .incident();
    enrich(&tasks, &mut incident, 20).await;
    let task = incident.task.as_ref().expect("task");
    assert_eq!(task.health_status.as_deref(), Some("UNHEALTHY"));
    assert_eq!(task.containers[0].exit_code, Some(137));
    assert_eq!(diagnose(&incident, Lang::En).primary().category, Category::OutOfMemory);
}

#[tokio::test]
async fn throttled_describe_tasks_degrades_with_a_note() {
    let rule = mock!(EcsClient::describe_tasks).then_http_response(ecs_throttling);
    let definition = definition_rule();
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&rule, &definition, &services_rule()],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let deps = Deps::new(EcsTasks::new(client, logs(&[])), SnsPublisher::new(sns_ok()), config());

    let err = deps.tasks.describe_task("prod", TASK_ARN).await.expect_err("throttled");
    assert!(
        matches!(err, EnrichError::Throttled(ref m) if m.contains("ThrottlingException")),
        "{err:?}"
    );

    let outcome = handle(&deps, event()).await.expect("still published");
    assert!(
        matches!(
            outcome,
            Outcome::Published {
                rule_id: "image-pull.not-found",
                ..
            }
        ),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn access_denied_describe_tasks_degrades_with_a_note_naming_the_permission() {
    let rule = mock!(EcsClient::describe_tasks).then_error(|| {
        DescribeTasksError::AccessDeniedException(
            AccessDeniedException::builder()
                .message("not authorized to perform: ecs:DescribeTasks")
                .meta(
                    ErrorMetadata::builder()
                        .code("AccessDeniedException")
                        .message("not authorized to perform: ecs:DescribeTasks")
                        .build(),
                )
                .build(),
        )
    });
    let tasks = tasks_with(&rule);
    let mut incident = Case::Reason("CannotPullContainerError: manifest unknown").incident();
    enrich(&tasks, &mut incident, 20).await;
    assert!(
        incident
            .notes
            .iter()
            .map(|n| note_text(n, Lang::En))
            .any(|n| n.contains("access denied") && n.contains("ecs:DescribeTasks") && n.contains("event alone")),
        "{:?}",
        incident.notes
    );
    assert_eq!(diagnose(&incident, Lang::En).primary().rule_id, "image-pull.not-found");
}

#[tokio::test]
async fn describe_tasks_timeout_is_bounded_and_degrades() {
    // A socket that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_ecs::config::Credentials::new("t", "t", None, None, "test"))
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_attempt_timeout(Duration::from_millis(300))
                .operation_timeout(Duration::from_secs(2))
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .load()
        .await;
    let tasks = EcsTasks::new(
        aws_sdk_ecs::Client::new(&sdk),
        Logs::new(aws_sdk_cloudwatchlogs::Client::new(&sdk)),
    );
    let err = tasks.describe_task("prod", TASK_ARN).await.expect_err("times out");
    assert_eq!(err, EnrichError::Timeout);
    drop(listener);
}

#[tokio::test]
async fn sns_5xx_is_tried_once_and_fails_the_invocation_for_lambdas_retry() {
    // GIVEN SNS answering 500 (it may have accepted the message), with a client that would retry
    let rule = mock!(SnsClient::publish)
        .sequence()
        .http_status(500, None)
        .times(2)
        .output(|| PublishOutput::builder().message_id("m-after-retries").build())
        .build();
    let sns = mock_client!(aws_sdk_sns, RuleMode::Sequential, [&rule], |c| c.retry_config(
        RetryConfig::standard()
            .with_max_attempts(3)
            .with_initial_backoff(Duration::from_millis(1))
    ));
    let ecs_rule = mock!(EcsClient::describe_tasks).then_output(|| DescribeTasksOutput::builder().build());
    let deps = Deps::new(tasks_with(&ecs_rule), SnsPublisher::new(sns), config());

    // WHEN the pipeline publishes
    let err = handle(&deps, event()).await.expect_err("a 500 fails the invocation");

    // THEN it tried once (a retry inside the invocation is a second copy when SNS had accepted
    // it), and failed, so that Lambda retries the event under the ledger's claim
    assert!(matches!(err, HandlerError::Publish(_)), "{err:?}");
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn sns_failing_permanently_fails_the_invocation() {
    let rule = mock!(SnsClient::publish).then_error(|| {
        SnsPublishError::NotFoundException(
            NotFoundException::builder()
                .message("Topic does not exist")
                .meta(
                    ErrorMetadata::builder()
                        .code("NotFound")
                        .message("Topic does not exist")
                        .build(),
                )
                .build(),
        )
    });
    let sns = mock_client!(aws_sdk_sns, RuleMode::MatchAny, [&rule]);
    let ecs_rule = mock!(EcsClient::describe_tasks).then_output(|| DescribeTasksOutput::builder().build());
    let deps = Deps::new(tasks_with(&ecs_rule), SnsPublisher::new(sns), config());
    let err = handle(&deps, event()).await.expect_err("must not be swallowed");
    assert!(
        matches!(&err, HandlerError::Publish(PublishError::Rejected { code, .. }) if code == "NotFound"),
        "{err:?}"
    );
    let diagnostic: lambda_runtime::Diagnostic = err.into();
    assert_eq!(diagnostic.error_type, "EcsDoctor.PublishError");
}

#[tokio::test]
async fn failed_container_gets_its_log_tail_redacted_and_its_limits_from_the_task_definition() {
    // GIVEN a container that exited 1, whose awslogs stream holds a planted credential
    let describe = mock!(EcsClient::describe_tasks).then_output(|| DescribeTasksOutput::builder().build());
    let definition = definition_rule();
    let tasks = EcsTasks::new(
        mock_client!(
            aws_sdk_ecs,
            RuleMode::MatchAny,
            [&describe, &definition, &services_rule()]
        ),
        logs(&[
            "starting",
            "using key AKIAIOSFODNN7EXAMPLE",
            "Error: connect ECONNREFUSED 10.0.0.5:5432",
        ]),
    );
    let mut incident = Case::Exit {
        code: Some(1),
        stop_code: "EssentialContainerExited",
        service: true,
    }
    .incident();

    // WHEN enriched
    enrich(&tasks, &mut incident, 20).await;

    // THEN the tail is there, redacted, from the stream <prefix>/<container>/<task id>
    let tail = &incident.log_tails[0];
    assert_eq!(tail.log_group, "/ecs/app");
    assert_eq!(tail.log_stream, "ecs/app/0123456789abcdef0123456789abcdef");
    assert_eq!(
        tail.lines,
        [
            "starting",
            "using key [REDACTED]",
            "Error: connect ECONNREFUSED 10.0.0.5:5432"
        ]
    );
    // The limit comes from the task definition; its environment never enters the incident.
    assert_eq!(
        incident.task.as_ref().map(|t| t.containers[0].memory.clone()),
        Some(Some("512".into()))
    );
    let everything = serde_json::to_string(&incident).expect("serialises");
    assert!(
        !everything.contains("planted-env-secret") && !everything.contains("DB_PASSWORD"),
        "{everything}"
    );
    // And the message shows the tail.
    let diagnosis = Report::from(diagnose(&incident, Lang::En));
    let message = ecs_doctor::render::sns_message(&incident, &diagnosis).message;
    assert!(
        message.contains("ECONNREFUSED") && !message.contains("AKIAIOSFODNN7EXAMPLE"),
        "{message}"
    );
}
