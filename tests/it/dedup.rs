//! Deduplication and storm control against moto's DynamoDB (same moto server as SNS/SQS).

use std::sync::Arc;
use std::time::Duration;

use crate::support::{create_ledger, drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};
use ecs_doctor::aws::{DynamoLedger, EcsTasks, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::{json, Value};

type TestDeps = Deps<EcsTasks, SnsPublisher, Option<DynamoLedger>>;

struct World {
    sqs: aws_sdk_sqs::Client,
    queue_url: String,
    topic_arn: String,
    sdk: aws_config::SdkConfig,
}

async fn world(moto: &Moto) -> World {
    let sdk = moto.sdk_config().await;
    create_ledger(&sdk, "ecs-doctor-ledger").await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "q").await;
    World {
        sqs,
        queue_url,
        topic_arn,
        sdk,
    }
}

fn deps(world: &World, topic_arn: &str, table: &str, window_seconds: u64) -> TestDeps {
    let config = Config::from_lookup(|name| match name {
        "TOPIC_ARN" => Some(topic_arn.to_string()),
        "LOG_TAIL_LINES" => Some("0".into()),
        _ => None,
    })
    .expect("config");
    let ledger = DynamoLedger::new(aws_sdk_dynamodb::Client::new(&world.sdk), table, window_seconds);
    crate::support::deps::moto_deps(&world.sdk, config).with_ledger(Some(ledger))
}

/// A STOPPED task of service `web` that could not pull its image; `task` and `version` vary.
fn event(task: &str, version: i64) -> Value {
    json!({
        "version": "0", "id": format!("id-{task}-{version}"), "detail-type": "ECS Task State Change",
        "source": "aws.ecs", "account": ACCOUNT, "region": REGION, "time": "2026-11-27T00:00:00Z", "resources": [],
        "detail": {
            "taskArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/{task}"),
            "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"),
            "group": "service:web", "lastStatus": "STOPPED", "stopCode": "TaskFailedToStart",
            "stoppedReason": "Task failed to start", "version": version,
            "containers": [{"name": "app", "lastStatus": "STOPPED",
                "reason": "CannotPullContainerError: failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:9: not found"}]
        }
    })
}

async fn messages(world: &World) -> Vec<Value> {
    drain_queue(&world.sqs, &world.queue_url).await
}

#[tokio::test]
async fn the_same_event_publishes_once() {
    let moto = Moto::start();
    let world = world(&moto).await;
    let deps = deps(&world, &world.topic_arn, "ecs-doctor-ledger", 900);
    let first = handle(&deps, event("t1", 3)).await.expect("first");
    let again = handle(&deps, event("t1", 3)).await.expect("duplicate");
    assert!(matches!(first, Outcome::Published { .. }), "{first:?}");
    assert!(
        matches!(&again, Outcome::Skipped { reason } if reason.contains("duplicate")),
        "{again:?}"
    );
    assert_eq!(messages(&world).await.len(), 1);
}

#[tokio::test]
async fn concurrent_duplicates_publish_exactly_once() {
    let moto = Moto::start();
    let world = world(&moto).await;
    let deps = Arc::new(deps(&world, &world.topic_arn, "ecs-doctor-ledger", 900));
    let mut set = tokio::task::JoinSet::new();
    const INVOCATIONS: usize = 20;
    for _ in 0..INVOCATIONS {
        let deps = Arc::clone(&deps);
        set.spawn(async move { handle(&deps, event("t2", 5)).await });
    }
    let mut published = 0;
    let mut skipped = 0;
    while let Some(result) = set.join_next().await {
        match result.expect("joined").expect("handled") {
            Outcome::Published { .. } => published += 1,
            Outcome::Skipped { .. } => skipped += 1,
        }
    }
    eprintln!("concurrent duplicates: {INVOCATIONS} invocations → {published} published, {skipped} skipped");
    assert_eq!((published, skipped), (1, INVOCATIONS - 1));
    assert_eq!(messages(&world).await.len(), 1);
}

#[tokio::test]
async fn a_storm_is_counted_and_summarised_after_the_window() {
    let moto = Moto::start();
    let world = world(&moto).await;
    let deps = deps(&world, &world.topic_arn, "ecs-doctor-ledger", 2);
    // Three tasks of the same service fail the same way within the window.
    assert!(matches!(
        handle(&deps, event("a", 1)).await.expect("a"),
        Outcome::Published { .. }
    ));
    for task in ["b", "c"] {
        let outcome = handle(&deps, event(task, 1)).await.expect("held back");
        assert!(
            matches!(&outcome, Outcome::Skipped { reason } if reason.contains("storm control")),
            "{outcome:?}"
        );
    }
    assert_eq!(messages(&world).await.len(), 1);
    // After the window the next one is published and says how many were held back.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert!(matches!(
        handle(&deps, event("d", 1)).await.expect("d"),
        Outcome::Published { .. }
    ));
    let after = messages(&world).await;
    assert_eq!(after.len(), 1);
    let body: Value = serde_json::from_str(after[0]["Message"].as_str().expect("Message")).expect("JSON");
    let notes = body["notes"].to_string();
    assert!(
        notes.contains("2 more failure(s) of the same kind (image-pull.not-found)"),
        "{notes}"
    );
}

#[tokio::test]
async fn a_missing_table_fails_open() {
    let moto = Moto::start();
    let world = world(&moto).await;
    let deps = deps(&world, &world.topic_arn, "no-such-table", 900);
    for _ in 0..2 {
        assert!(matches!(
            handle(&deps, event("t3", 1)).await.expect("published"),
            Outcome::Published { .. }
        ));
    }
    // Without the table there is no deduplication, but nothing is lost.
    assert_eq!(messages(&world).await.len(), 2);
}

#[tokio::test]
async fn a_failed_publish_leaves_no_record_that_blocks_its_retry() {
    let moto = Moto::start();
    let world = world(&moto).await;
    let broken = deps(
        &world,
        &format!("arn:aws:sns:{REGION}:{ACCOUNT}:missing"),
        "ecs-doctor-ledger",
        900,
    );
    handle(&broken, event("t4", 2)).await.expect_err("publish fails");
    let fixed = deps(&world, &world.topic_arn, "ecs-doctor-ledger", 900);
    let retry = handle(&fixed, event("t4", 2)).await.expect("retried");
    assert!(matches!(retry, Outcome::Published { .. }), "{retry:?}");
    assert_eq!(messages(&world).await.len(), 1);
}
