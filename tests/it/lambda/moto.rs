//! End to end against a real moto server on 127.0.0.1: a task created in moto, an event that
//! names it, the real handler with real SDK clients, and the published message read back from
//! an SQS queue subscribed to the topic.
//!
//! moto cannot make a task look failed through its API, so the failure details come from the
//! event; moto proves the wire path (DescribeTasks, Publish, SNS → SQS delivery).

use crate::support::{drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType, NetworkMode, Tag};
use ecs_doctor::aws::{EcsTasks, Logs, NoLedger, PublishError, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::error::HandlerError;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::{json, Value};

struct World {
    ecs: aws_sdk_ecs::Client,
    sqs: aws_sdk_sqs::Client,
    deps: Deps<EcsTasks, SnsPublisher, NoLedger>,
    queue_url: String,
    topic_arn: String,
    task_arn: String,
}

/// Cluster `prod` with one running task of family `web` (tagged), a topic and a queue subscribed to it.
async fn world(moto: &Moto, lang: &str) -> World {
    let sdk = moto.sdk_config().await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let sns = aws_sdk_sns::Client::new(&sdk);
    let sqs = aws_sdk_sqs::Client::new(&sdk);

    ecs.create_cluster()
        .cluster_name("prod")
        .send()
        .await
        .expect("create cluster");
    ecs.register_task_definition()
        .family("web")
        // moto forces awsvpc (and then fails) for FARGATE-compatible task definitions; the
        // network mode does not matter here.
        .network_mode(NetworkMode::Bridge)
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:missing")
                .memory(512)
                .essential(true)
                .build(),
        )
        .send()
        .await
        .expect("register task definition");
    let run = ecs
        .run_task()
        .cluster("prod")
        .task_definition("web")
        .launch_type(LaunchType::Fargate)
        .tags(Tag::builder().key("team").value("payments").build())
        .send()
        .await
        .expect("run task");
    let task_arn = run.tasks()[0].task_arn().expect("task arn").to_string();

    let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;

    let config = Config::from_lookup(|name| match name {
        "TOPIC_ARN" => Some(topic_arn.clone()),
        "LANGUAGE" => Some(lang.to_string()),
        _ => None,
    })
    .expect("config");
    World {
        deps: Deps::new(
            EcsTasks::new(ecs.clone(), Logs::new(aws_sdk_cloudwatchlogs::Client::new(&sdk))),
            SnsPublisher::new(sns),
            config,
        ),
        ecs,
        sqs,
        queue_url,
        topic_arn,
        task_arn,
    }
}

/// A STOPPED-task event for `task_arn` whose container failed to pull its image.
fn pull_failure_event(task_arn: &str, cluster: &str) -> Value {
    json!({
        "version": "0",
        "id": "3c2f6a51-0b7e-4d1c-9b0e-6f1f7c1b2a10",
        "detail-type": "ECS Task State Change",
        "source": "aws.ecs",
        "account": ACCOUNT,
        "time": "2026-11-27T12:00:00Z",
        "region": REGION,
        "resources": [task_arn],
        "detail": {
            "taskArn": task_arn,
            "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{cluster}"),
            "taskDefinitionArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1"),
            "group": "service:web",
            "launchType": "FARGATE",
            "lastStatus": "STOPPED",
            "desiredStatus": "STOPPED",
            "stopCode": "TaskFailedToStart",
            "stoppedReason": "Task failed to start",
            "version": 4,
            "containers": [{
                "name": "app",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:missing",
                "lastStatus": "STOPPED",
                "reason": "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:missing: not found"
            }]
        }
    })
}

async fn received(world: &World) -> Vec<Value> {
    drain_queue(&world.sqs, &world.queue_url).await
}

#[tokio::test]
async fn stopped_task_is_diagnosed_enriched_and_published_to_sqs() {
    // GIVEN a task that exists in moto and an event that says it failed to pull its image
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let event = pull_failure_event(&world.task_arn, "prod");

    // WHEN the real handler runs with real SDK clients
    let outcome = handle(&world.deps, event).await.expect("handled");

    // THEN one message was published with the right rule, subject, attributes and body
    assert!(
        matches!(
            &outcome,
            Outcome::Published {
                rule_id: "image-pull.not-found",
                ..
            }
        ),
        "{outcome:?}"
    );
    let messages = received(&world).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    let envelope = &messages[0];
    assert_eq!(envelope["Subject"], "ECS ERROR: prod/web: Image or tag does not exist");
    let attrs = &envelope["MessageAttributes"];
    assert_eq!(attrs["severity"]["Value"], "error");
    assert_eq!(attrs["category"]["Value"], "image-not-found");
    assert_eq!(attrs["rule_id"]["Value"], "image-pull.not-found");
    assert_eq!(attrs["cluster"]["Value"], "prod");
    assert_eq!(attrs["service"]["Value"], "web");

    // The SQS subscriber gets the machine JSON (the `sqs` key of the message structure).
    let body: Value = serde_json::from_str(envelope["Message"].as_str().expect("Message")).expect("body is JSON");
    assert_eq!(body["schemaVersion"], "1");
    assert_eq!(body["summary"]["ruleId"], "image-pull.not-found");
    assert_eq!(body["taskArn"], world.task_arn.as_str());
    let finding = &body["findings"][0];
    assert_eq!(finding["evidence"]["field"], "containers[app].reason");
    assert!(
        finding["remediation"].as_array().is_some_and(|s| s.len() >= 2),
        "{finding}"
    );
    assert!(
        finding["explanation"].as_str().unwrap_or_default().contains("`app`"),
        "{finding}"
    );
    // DescribeTasks really ran against moto: the task's tags were merged into the incident.
    let tags = &body["incident"]["task"]["tags"];
    assert_eq!(
        tags,
        &json!([["team", "payments"]]),
        "enrichment did not merge DescribeTasks tags: {body}"
    );
    assert!(body["notes"].as_array().is_some_and(Vec::is_empty), "{}", body["notes"]);
}

#[tokio::test]
async fn explain_format_sns_previews_exactly_what_the_lambda_publishes() {
    // GIVEN a tagged task in moto and its failure event, saved as a file
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let event = pull_failure_event(&world.task_arn, "prod");
    let dir = std::env::temp_dir().join(format!("ecs-doctor-preview-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("event.json");
    std::fs::write(&path, event.to_string()).expect("write event");

    // WHEN the Lambda publishes it, and the CLI previews it with the same configuration
    handle(&world.deps, event).await.expect("handled");
    let published = received(&world).await;
    let path = path.to_string_lossy();
    let args = [
        "explain",
        &path,
        "--enrich",
        "--format",
        "sns",
        "--topic-arn",
        &world.topic_arn,
    ];
    let output = crate::support::cli(&moto, &args);
    assert!(output.status.success(), "{}", crate::support::stderr(&output));
    let preview: Value = serde_json::from_str(&crate::support::stdout(&output)).expect("preview is JSON");

    // THEN the preview is the publish: topic, subject, every attribute (the routing tag `team`
    // from the task's tags included) and the body SQS subscribers get
    assert_eq!(published.len(), 1, "{published:?}");
    let envelope = &published[0];
    assert_eq!(preview["TopicArn"], world.topic_arn.as_str());
    assert_eq!(preview["Subject"], envelope["Subject"]);
    let sent: serde_json::Map<String, Value> = envelope["MessageAttributes"]
        .as_object()
        .expect("attributes")
        .iter()
        .map(|(k, v)| (k.clone(), v["Value"].clone()))
        .collect();
    let previewed: serde_json::Map<String, Value> = preview["MessageAttributes"]
        .as_object()
        .expect("attributes")
        .iter()
        .map(|(k, v)| (k.clone(), v["StringValue"].clone()))
        .collect();
    assert_eq!(previewed, sent);
    assert_eq!(sent["team"], "payments");
    let body: Value = serde_json::from_str(envelope["Message"].as_str().expect("Message")).expect("body");
    assert_eq!(
        preview["Message"]["sqs"]
            .as_str()
            .map(serde_json::from_str::<Value>)
            .and_then(Result::ok),
        Some(body)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn japanese_bodies_keep_an_english_ascii_subject() {
    let moto = Moto::start();
    let world = world(&moto, "ja").await;
    handle(&world.deps, pull_failure_event(&world.task_arn, "prod"))
        .await
        .expect("handled");
    let messages = received(&world).await;
    let subject = messages[0]["Subject"].as_str().expect("subject");
    assert!(
        subject.is_ascii() && subject.contains("Image or tag does not exist"),
        "{subject}"
    );
    let body: Value = serde_json::from_str(messages[0]["Message"].as_str().expect("Message")).expect("JSON");
    assert_eq!(body["lang"], "ja");
    assert_eq!(body["summary"]["title"], "イメージまたはタグが存在しません");
}

#[tokio::test]
async fn unknown_cluster_degrades_to_event_only_diagnosis_with_a_note() {
    // GIVEN an event naming a cluster moto does not have (DescribeTasks fails)
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let event = pull_failure_event(&world.task_arn, "ghost");

    // WHEN handled, THEN the diagnosis still goes out, and says enrichment failed and why
    let outcome = handle(&world.deps, event).await.expect("handled");
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    let messages = received(&world).await;
    let body: Value = serde_json::from_str(messages[0]["Message"].as_str().expect("Message")).expect("JSON");
    let notes = body["notes"].to_string();
    assert!(
        notes.contains("DescribeTasks failed") && notes.contains("cluster was not found"),
        "{notes}"
    );
    assert_eq!(body["summary"]["ruleId"], "image-pull.not-found");
}

#[tokio::test]
async fn publish_to_a_missing_topic_fails_the_invocation() {
    let moto = Moto::start();
    let mut world = world(&moto, "en").await;
    world.deps.config.topic_arn = format!("arn:aws:sns:{REGION}:{ACCOUNT}:does-not-exist");
    let err = handle(&world.deps, pull_failure_event(&world.task_arn, "prod"))
        .await
        .expect_err("a lost notification must be an error");
    assert!(
        matches!(err, HandlerError::Publish(PublishError::Rejected { .. })),
        "{err:?}"
    );
    assert!(received(&world).await.is_empty());
}

#[tokio::test]
async fn aws_gone_mid_run_fails_the_invocation_instead_of_dropping_the_alert() {
    let mut moto = Moto::start();
    let world = world(&moto, "en").await;
    moto.stop();
    let err = handle(&world.deps, pull_failure_event(&world.task_arn, "prod"))
        .await
        .expect_err("publish cannot succeed");
    assert!(
        matches!(err, HandlerError::Publish(PublishError::Transport(_))),
        "{err:?}"
    );
}

#[tokio::test]
async fn running_tasks_and_expected_stops_are_not_published() {
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let mut running = pull_failure_event(&world.task_arn, "prod");
    running["detail"]["lastStatus"] = json!("RUNNING");
    let outcome = handle(&world.deps, running).await.expect("handled");
    assert!(
        matches!(&outcome, Outcome::Skipped { reason } if reason.contains("RUNNING")),
        "{outcome:?}"
    );

    let mut user_stop = pull_failure_event(&world.task_arn, "prod");
    user_stop["detail"]["stopCode"] = json!("UserInitiated");
    user_stop["detail"]["stoppedReason"] = json!("Task stopped by user");
    user_stop["detail"]["containers"] = json!([{"name": "app", "lastStatus": "STOPPED", "exitCode": 143}]);
    let outcome = handle(&world.deps, user_stop).await.expect("handled");
    assert!(matches!(outcome, Outcome::Skipped { .. }), "{outcome:?}");
    assert!(received(&world).await.is_empty());
    // The task really exists in moto (the skip is policy, not a lookup failure).
    let described = world
        .ecs
        .describe_tasks()
        .cluster("prod")
        .tasks(&world.task_arn)
        .send()
        .await
        .expect("describe");
    assert_eq!(described.tasks().len(), 1);
}

#[tokio::test]
async fn unsupported_events_fail_loudly_so_they_reach_the_dlq() {
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let event = json!({"version": "0", "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "detail": {}});
    let err = handle(&world.deps, event).await.expect_err("unsupported");
    assert!(matches!(err, HandlerError::Decode(_)), "{err:?}");
    assert!(
        err.to_string().contains("EC2 Instance State-change Notification"),
        "{err}"
    );
}

#[tokio::test]
async fn message_carries_the_memory_limit_and_the_redacted_log_tail_from_moto() {
    // GIVEN a task definition with a 512 MiB container logging to awslogs, a task of it, and
    // the container's last log lines in CloudWatch Logs (all in moto)
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let sdk = moto.sdk_config().await;
    let definition_arn = world
        .ecs
        .register_task_definition()
        .family("api")
        .network_mode(NetworkMode::Bridge)
        .memory("1024")
        .container_definitions(
            ContainerDefinition::builder()
                .name("api")
                .image("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:7")
                .memory(512)
                .essential(true)
                .environment(
                    aws_sdk_ecs::types::KeyValuePair::builder()
                        .name("API_TOKEN")
                        .value("planted-token-value")
                        .build(),
                )
                .log_configuration(
                    aws_sdk_ecs::types::LogConfiguration::builder()
                        .log_driver(aws_sdk_ecs::types::LogDriver::Awslogs)
                        .options("awslogs-group", "/ecs/api")
                        .options("awslogs-region", REGION)
                        .options("awslogs-stream-prefix", "ecs")
                        .build()
                        .expect("log configuration"),
                )
                .build(),
        )
        .send()
        .await
        .expect("register")
        .task_definition()
        .and_then(|d| d.task_definition_arn())
        .expect("arn")
        .to_string();
    let task_arn = world
        .ecs
        .run_task()
        .cluster("prod")
        .task_definition("api")
        .launch_type(LaunchType::Fargate)
        .send()
        .await
        .expect("run")
        .tasks()[0]
        .task_arn()
        .expect("task arn")
        .to_string();
    let task_id = task_arn.rsplit('/').next().expect("id").to_string();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&sdk);
    logs.create_log_group()
        .log_group_name("/ecs/api")
        .send()
        .await
        .expect("group");
    let stream = format!("ecs/api/{task_id}");
    logs.create_log_stream()
        .log_group_name("/ecs/api")
        .log_stream_name(&stream)
        .send()
        .await
        .expect("stream");
    // PutLogEvents rejects events older than 14 days, as AWS does: use the current time.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default();
    let lines = [
        "loading 2.3 GB cache",
        "aws key AKIAIOSFODNN7EXAMPLE loaded",
        "allocating buffer for batch 17",
    ];
    let mut put = logs
        .put_log_events()
        .log_group_name("/ecs/api")
        .log_stream_name(&stream);
    for (i, line) in lines.iter().enumerate() {
        put = put.log_events(
            aws_sdk_cloudwatchlogs::types::InputLogEvent::builder()
                .timestamp(now + i as i64)
                .message(*line)
                .build()
                .expect("event"),
        );
    }
    put.send().await.expect("put log events");

    // WHEN the container is OOM-killed
    let mut event = pull_failure_event(&task_arn, "prod");
    event["detail"]["taskDefinitionArn"] = json!(definition_arn);
    event["detail"]["group"] = json!("service:api");
    event["detail"]["stopCode"] = json!("EssentialContainerExited");
    event["detail"]["stoppedReason"] = json!("Essential container in task exited");
    event["detail"]["containers"] = json!([{"name": "api", "lastStatus": "STOPPED", "exitCode": 137,
        "reason": "OutOfMemoryError: Container killed due to memory usage"}]);
    let outcome = handle(&world.deps, event).await.expect("handled");
    assert!(matches!(&outcome, Outcome::Published { .. }), "{outcome:?}");

    // THEN the message names the limit and quotes the redacted log tail, and no env value
    let messages = received(&world).await;
    let raw = messages[0]["Message"].as_str().expect("Message");
    let body: Value = serde_json::from_str(raw).expect("JSON");
    assert_eq!(body["summary"]["category"], "out-of-memory");
    let context = body["findings"][0]["context"].to_string();
    assert!(
        context.contains("limited to 512 MiB") && context.contains("1024 MiB"),
        "{context}"
    );
    let tail = &body["incident"]["logTails"][0];
    assert_eq!(tail["logStream"], stream.as_str(), "notes: {}", body["notes"]);
    assert_eq!(tail["lines"][2], "allocating buffer for batch 17");
    assert_eq!(tail["lines"][1], "aws key [REDACTED] loaded");
    assert!(
        !raw.contains("AKIAIOSFODNN7EXAMPLE") && !raw.contains("planted-token-value"),
        "{raw}"
    );
}
