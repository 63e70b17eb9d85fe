//! Incidents end to end against moto, through the real handler with the DynamoDB ledger and a
//! topic subscribed by SQS: a deployment whose 4 tasks stopped on a missing image tag, beside 2
//! older tasks of the previous deployment that ran out of memory.
//!
//! Fed three task events, the deployment-failed event and the steady-state event, the pipeline
//! must publish exactly 3 messages (opened, updated with the root cause, resolved) in one
//! incident, and must not blame the older deployment's cause.

use crate::support::{
    api_service, create_ledger, drain_queue, stopped_api_tasks, topic_with_queue, Moto, ACCOUNT, REGION,
};
use ecs_doctor::aws::{DynamoLedger, EcsTasks, Logs, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::{json, Value};

type TestDeps = Deps<EcsTasks, SnsPublisher, Option<DynamoLedger>>;

const NEW_DEPLOYMENT: &str = "ecs-svc/2222222222222222222";
const OLD_DEPLOYMENT: &str = "ecs-svc/1111111111111111111";
const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:3.2.0";

struct World {
    deps: TestDeps,
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
    /// The 4 tasks of the failed deployment.
    new_tasks: Vec<String>,
}

fn cluster_arn() -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod")
}

fn service_arn() -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/api")
}

async fn world(moto: &Moto, lang: &str) -> World {
    let sdk = moto.sdk_config().await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    create_ledger(&sdk, "ledger").await;
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;
    api_service(&ecs, &["123456789012.dkr.ecr.us-east-1.amazonaws.com/api:3.1.0", IMAGE]).await;
    stopped_api_tasks(
        &ecs,
        "api:1",
        OLD_DEPLOYMENT,
        "OutOfMemoryError: Container killed due to memory usage",
        2,
    )
    .await;
    let new_tasks = stopped_api_tasks(
        &ecs,
        "api:2",
        NEW_DEPLOYMENT,
        &format!("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {IMAGE}: {IMAGE}: not found"),
        4,
    )
    .await;
    let config = Config::from_lookup(|name| match name {
        "TOPIC_ARN" => Some(topic_arn.clone()),
        "LANGUAGE" => Some(lang.to_string()),
        "LOG_TAIL_LINES" => Some("0".into()),
        _ => None,
    })
    .expect("config");
    let quiet_seconds = config.incident_quiet_minutes * 60;
    World {
        deps: Deps::new(
            EcsTasks::new(ecs, Logs::new(aws_sdk_cloudwatchlogs::Client::new(&sdk))),
            SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
            config,
        )
        .with_ledger(Some(
            DynamoLedger::new(aws_sdk_dynamodb::Client::new(&sdk), "ledger", 900).with_incidents(quiet_seconds),
        )),
        sqs: aws_sdk_sqs::Client::new(&sdk),
        queue_url,
        new_tasks,
    }
}

/// The STOPPED event of one of the failed deployment's tasks.
pub fn task_event(task_arn: &str, n: usize) -> Value {
    json!({
        "version": "0", "id": format!("task-event-{n}"), "detail-type": "ECS Task State Change",
        "source": "aws.ecs", "account": ACCOUNT, "region": REGION, "time": "2026-12-04T10:00:00Z",
        "resources": [task_arn],
        "detail": {
            "taskArn": task_arn, "clusterArn": cluster_arn(),
            "taskDefinitionArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/api:2"),
            "group": "service:api", "startedBy": NEW_DEPLOYMENT, "launchType": "FARGATE",
            "lastStatus": "STOPPED", "desiredStatus": "STOPPED", "stopCode": "TaskFailedToStart",
            "stoppedReason": "Task failed to start", "version": 3,
            "containers": [{"name": "app", "image": IMAGE, "lastStatus": "STOPPED",
                "reason": format!("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {IMAGE}: {IMAGE}: not found")}]
        }
    })
}

pub fn deployment_failed_event() -> Value {
    json!({
        "version": "0", "id": "deployment-failed-1", "detail-type": "ECS Deployment State Change",
        "source": "aws.ecs", "account": ACCOUNT, "region": REGION, "time": "2026-12-04T10:05:00Z",
        "resources": [service_arn()],
        "detail": {
            "eventType": "ERROR", "eventName": "SERVICE_DEPLOYMENT_FAILED",
            "deploymentId": NEW_DEPLOYMENT, "updatedAt": "2026-12-04T10:05:00Z",
            "reason": "ECS deployment circuit breaker: tasks failed to start."
        }
    })
}

pub fn steady_state_event() -> Value {
    json!({
        "version": "0", "id": "steady-1", "detail-type": "ECS Service Action",
        "source": "aws.ecs", "account": ACCOUNT, "region": REGION, "time": "2026-12-04T10:09:00Z",
        "resources": [service_arn()],
        "detail": {"eventType": "INFO", "eventName": "SERVICE_STEADY_STATE", "clusterArn": cluster_arn(),
            "createdAt": "2026-12-04T10:09:00Z"}
    })
}

/// The SQS body (the machine JSON) and the message attributes of each delivered message.
async fn delivered(world: &World) -> Vec<(Value, Value)> {
    drain_queue(&world.sqs, &world.queue_url)
        .await
        .into_iter()
        .map(|envelope| {
            let body: Value =
                serde_json::from_str(envelope["Message"].as_str().unwrap_or_default()).expect("machine JSON");
            (body, envelope["MessageAttributes"].clone())
        })
        .collect()
}

fn attribute<'a>(attributes: &'a Value, name: &str) -> &'a str {
    attributes[name]["Value"].as_str().unwrap_or_default()
}

/// The moto server is returned so that it outlives the reads of the queue.
async fn run_scenario(lang: &str) -> (Moto, World, Vec<Outcome>) {
    let moto = Moto::start();
    let world = world(&moto, lang).await;
    let mut outcomes = Vec::new();
    for (n, task) in world.new_tasks.iter().take(3).enumerate() {
        outcomes.push(handle(&world.deps, task_event(task, n)).await.expect("task event"));
    }
    outcomes.push(
        handle(&world.deps, deployment_failed_event())
            .await
            .expect("deployment event"),
    );
    outcomes.push(handle(&world.deps, steady_state_event()).await.expect("steady state"));
    (moto, world, outcomes)
}

fn assert_three_messages(messages: &[(Value, Value)], new_tasks: &[String]) {
    assert_eq!(messages.len(), 3, "opened, updated, resolved: {messages:#?}");
    let states: Vec<&str> = messages.iter().map(|(_, a)| attribute(a, "incident_state")).collect();
    assert_eq!(states, ["opened", "updated", "resolved"]);
    let id = attribute(&messages[0].1, "incident_id");
    assert!(id.starts_with("prod/api/"), "{id}");
    for (body, attributes) in messages {
        assert_eq!(attribute(attributes, "incident_id"), id);
        assert_eq!(body["incident"]["id"], id);
    }

    // The root cause: the failed deployment's 4 tasks, one group; the older OOM tasks are not blamed.
    let (update, attributes) = &messages[1];
    assert_eq!(update["summary"]["ruleId"], "image-pull.not-found");
    assert_eq!(update["summary"]["category"], "image-not-found");
    assert_eq!(attribute(attributes, "severity"), "error");
    let groups = update["groups"].as_array().expect("groups[]");
    assert_eq!(groups.len(), 1, "{groups:#?}");
    assert_eq!(groups[0]["count"], 4);
    assert_eq!(groups[0]["ruleId"], "image-pull.not-found");
    assert!(new_tasks.iter().any(|t| groups[0]["exampleTaskArn"] == *t));
    assert_eq!(update["deployment"]["id"], NEW_DEPLOYMENT);
    assert_eq!(update["deployment"]["stoppedTasks"], 4);
    assert!(update["deployment"]["taskDefinition"]
        .as_str()
        .is_some_and(|t| t.ends_with("task-definition/api:2")));
    assert_eq!(update["incident"]["failedTasks"], 4);
    let text = update.to_string().to_ascii_lowercase();
    assert!(
        !text.contains("out-of-memory") && !text.contains("outofmemory"),
        "the old deployment is blamed: {text}"
    );
    // The circuit breaker's own finding stays as context.
    let rules: Vec<&str> = update["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["ruleId"].as_str())
        .collect();
    assert!(rules.len() >= 2 && rules[0] == "image-pull.not-found", "{rules:?}");

    let (resolved, attributes) = &messages[2];
    assert_eq!(attribute(attributes, "severity"), "info");
    assert_eq!(resolved["summary"]["ruleId"], "incident.resolved");
    assert_eq!(resolved["incident"]["state"], "resolved");
    assert_eq!(resolved["incident"]["failedTasks"], 4);
    assert_eq!(resolved["incident"]["causes"]["image-pull.not-found"], 4);
}

#[tokio::test]
async fn a_failed_deployment_is_one_incident_of_three_messages() {
    let (_moto, world, outcomes) = run_scenario("en").await;
    // Task events 2 and 3 are held back by storm control, and counted into the incident.
    let published = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Published { .. }))
        .count();
    assert_eq!(published, 3, "{outcomes:?}");
    let messages = delivered(&world).await;
    assert_three_messages(&messages, &world.new_tasks);
    let update = &messages[1].0;
    let headline = update["summary"]["headline"].as_str().expect("headline");
    assert!(
        headline.starts_with(&format!(
            "Deployment {NEW_DEPLOYMENT} of prod/api failed: 4 of 4 new tasks stopped — Image or tag does not exist"
        )),
        "{headline}"
    );
    let title = messages[2].0["summary"]["title"].as_str().unwrap_or_default();
    assert!(
        title.starts_with("Resolved: prod/api is healthy again after"),
        "{title}"
    );
}

#[tokio::test]
async fn the_incident_reads_in_japanese_too() {
    let (_moto, world, _) = run_scenario("ja").await;
    let messages = delivered(&world).await;
    assert_three_messages(&messages, &world.new_tasks);
    let headline = messages[1].0["summary"]["headline"].as_str().expect("headline");
    assert!(
        headline.contains("prod/api のデプロイ") && headline.contains("4 件中 4 件が停止"),
        "{headline}"
    );
    let title = messages[2].0["summary"]["title"].as_str().unwrap_or_default();
    assert!(title.starts_with("解決: prod/api は"), "{title}");
}

#[tokio::test]
async fn concurrent_failures_of_one_service_open_one_incident() {
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let (a, b) = tokio::join!(
        handle(&world.deps, task_event(&world.new_tasks[0], 0)),
        handle(&world.deps, task_event(&world.new_tasks[1], 1)),
    );
    a.expect("first");
    b.expect("second");
    // One is published (opened), the other held back by storm control; either way one incident.
    handle(&world.deps, deployment_failed_event())
        .await
        .expect("deployment");
    let messages = delivered(&world).await;
    let ids: std::collections::BTreeSet<&str> = messages.iter().map(|(_, a)| attribute(a, "incident_id")).collect();
    assert_eq!(ids.len(), 1, "{messages:#?}");
    assert_eq!(
        messages
            .iter()
            .filter(|(_, a)| attribute(a, "incident_state") == "opened")
            .count(),
        1
    );
}

#[tokio::test]
async fn steady_state_without_an_incident_publishes_nothing() {
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let outcome = handle(&world.deps, steady_state_event()).await.expect("handled");
    assert!(
        matches!(outcome, Outcome::Skipped { ref reason } if reason.contains("no open incident")),
        "{outcome:?}"
    );
    assert!(delivered(&world).await.is_empty());
}

#[tokio::test]
async fn replaying_the_same_events_from_a_dead_letter_queue_gives_the_same_three_messages() {
    use ecs_doctor::aws::SqsDeadLetterQueue;
    use ecs_doctor::cli::replay::{replay, Options};
    // GIVEN the scenario's five events waiting in a dead-letter queue, in the order ECS sent them
    let moto = Moto::start();
    let world = world(&moto, "en").await;
    let sdk = moto.sdk_config().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let dlq = sqs
        .create_queue()
        .queue_name("dlq")
        .send()
        .await
        .expect("dlq")
        .queue_url()
        .expect("url")
        .to_string();
    let mut events: Vec<Value> = world
        .new_tasks
        .iter()
        .take(3)
        .enumerate()
        .map(|(n, t)| task_event(t, n))
        .collect();
    events.push(deployment_failed_event());
    events.push(steady_state_event());
    for event in &events {
        sqs.send_message()
            .queue_url(&dlq)
            .message_body(event.to_string())
            .send()
            .await
            .expect("send");
    }
    // WHEN `ecs-doctor replay --publish --delete` runs them through the pipeline, one at a time
    let queue = SqsDeadLetterQueue::new(sqs.clone(), &dlq).with_wait_seconds(0);
    let entries = replay(
        &queue,
        Some(&world.deps),
        Options {
            publish: true,
            delete: true,
            lang: ecs_doctor::diagnose::Lang::En,
            max_messages: 10,
        },
    )
    .await
    .expect("replayed");
    assert_eq!(entries.len(), 5);
    // THEN the topic got the same three messages as from the live events
    assert_three_messages(&delivered(&world).await, &world.new_tasks);
}
