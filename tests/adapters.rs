//! Adapter and handler error paths with mocked SDK clients (aws-smithy-mocks): what moto
//! cannot produce (DescribeTasks `failures`, throttling, access denied, SNS 5xx), plus a real
//! timeout against a socket that never answers.

use std::time::Duration;

use aws_sdk_ecs::operation::describe_tasks::{DescribeTasksError, DescribeTasksOutput};
use aws_sdk_ecs::types::error::AccessDeniedException;
use aws_sdk_ecs::types::{Container as SdkContainer, Failure, Task as SdkTask};
use aws_sdk_ecs::Client as EcsClient;
use aws_sdk_sns::operation::publish::{PublishError as SnsPublishError, PublishOutput};
use aws_sdk_sns::types::error::NotFoundException;
use aws_sdk_sns::Client as SnsClient;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use ecs_doctor::aws::{EcsTasks, EnrichError, PublishError, SnsPublisher, TaskSource};
use ecs_doctor::config::Config;
use ecs_doctor::diagnose::{diagnose, Category, Lang};
use ecs_doctor::error::HandlerError;
use ecs_doctor::fixture::Case;
use ecs_doctor::handler::{enrich, handle, Deps, Outcome};
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

fn ecs_throttling() -> HttpResponse {
    let mut response = HttpResponse::new(
        StatusCode::try_from(400).expect("status"),
        SdkBody::from(r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#),
    );
    response.headers_mut().insert("x-amzn-errortype", "ThrottlingException");
    response
        .headers_mut()
        .insert("content-type", "application/x-amz-json-1.1");
    response
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
    let tasks = EcsTasks::new(mock_client!(aws_sdk_ecs, [&rule]));
    let mut incident = Case::Reason("CannotPullContainerError: failed to resolve ref x/app:1: not found").incident();

    // WHEN the incident is enriched and diagnosed
    enrich(&tasks, &mut incident).await;
    let diagnosis = diagnose(&incident, Lang::En);

    // THEN the failure is carried, noted and explained, and the event's own cause still leads
    assert_eq!(incident.api_failures[0].action.as_deref(), Some("DescribeTasks"));
    assert!(incident.notes[0].contains("MISSING"), "{:?}", incident.notes);
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
    let tasks = EcsTasks::new(mock_client!(aws_sdk_ecs, [&rule]));
    let mut incident = Case::Stopped {
        reason: "Essential container in task exited",
        stop_code: "EssentialContainerExited",
        exit: None,
    }
    .incident();
    enrich(&tasks, &mut incident).await;
    let task = incident.task.as_ref().expect("task");
    assert_eq!(task.health_status.as_deref(), Some("UNHEALTHY"));
    assert_eq!(task.containers[0].exit_code, Some(137));
    assert_eq!(diagnose(&incident, Lang::En).primary().category, Category::OutOfMemory);
}

#[tokio::test]
async fn throttled_describe_tasks_degrades_with_a_note() {
    let rule = mock!(EcsClient::describe_tasks).then_http_response(ecs_throttling);
    let client = mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&rule], |c| c
        .retry_config(RetryConfig::disabled()));
    let deps = Deps {
        tasks: EcsTasks::new(client),
        publisher: SnsPublisher::new(sns_ok()),
        config: config(),
    };

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
    let tasks = EcsTasks::new(mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&rule]));
    let mut incident = Case::Reason("CannotPullContainerError: manifest unknown").incident();
    enrich(&tasks, &mut incident).await;
    assert!(
        incident
            .notes
            .iter()
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
    let tasks = EcsTasks::new(aws_sdk_ecs::Client::new(&sdk));
    let err = tasks.describe_task("prod", TASK_ARN).await.expect_err("times out");
    assert_eq!(err, EnrichError::Timeout);
    drop(listener);
}

#[tokio::test]
async fn sns_5xx_is_retried_then_succeeds() {
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
    let deps = Deps {
        tasks: EcsTasks::new(mock_client!(aws_sdk_ecs, [&ecs_rule])),
        publisher: SnsPublisher::new(sns),
        config: config(),
    };
    let outcome = handle(&deps, event()).await.expect("published after retries");
    assert!(
        matches!(outcome, Outcome::Published { ref message_id, .. } if message_id == "m-after-retries"),
        "{outcome:?}"
    );
    assert_eq!(rule.num_calls(), 3);
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
    let deps = Deps {
        tasks: EcsTasks::new(mock_client!(aws_sdk_ecs, [&ecs_rule])),
        publisher: SnsPublisher::new(sns),
        config: config(),
    };
    let err = handle(&deps, event()).await.expect_err("must not be swallowed");
    assert!(
        matches!(&err, HandlerError::Publish(PublishError::Rejected { code, .. }) if code == "NotFound"),
        "{err:?}"
    );
    let diagnostic: lambda_runtime::Diagnostic = err.into();
    assert_eq!(diagnostic.error_type, "EcsDoctor.PublishError");
}
