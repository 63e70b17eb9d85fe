//! The delivery guarantees under the faults that broke them: a Lambda killed (the function
//! timeout) or panicking after the deduplication claim, SNS that accepts a message and answers
//! late, and an account where every read and ledger write hangs. The real Lambda binary runs
//! against moto behind a fault-injecting proxy (`support::proxy`); the panic is injected
//! in-process through a publisher that panics once.

use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::AttributeValue;
use ecs_doctor::aws::{Delivery, DynamoLedger, PublishError, Publisher, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::error::HandlerError;
use ecs_doctor::pipeline::budget::Budget;
use ecs_doctor::pipeline::{handle_within, Deps, Outcome};
use ecs_doctor::render::SnsMessage;
use serde_json::{json, Value};

use crate::support::deps::moto_tasks;
use crate::support::proxy::{Fault, Proxy};
use crate::support::{
    create_ledger, drain_queue, lambda_command, oom_event, topic_with_queue, Invocation, Moto, RuntimeApi,
};

const TABLE: &str = "ecs-doctor-ledger";

/// moto with the alert topic (a queue subscribed) and the ledger table, and the proxy in front.
struct Scene {
    moto: Moto,
    proxy: Proxy,
    sqs: aws_sdk_sqs::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    topic_arn: String,
    queue_url: String,
}

async fn scene() -> Scene {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;
    create_ledger(&sdk, TABLE).await;
    let proxy = Proxy::start(&moto.endpoint);
    Scene {
        sqs: aws_sdk_sqs::Client::new(&sdk),
        dynamodb: aws_sdk_dynamodb::Client::new(&sdk),
        moto,
        proxy,
        topic_arn,
        queue_url,
    }
}

impl Scene {
    /// The real binary with deduplication, storm control and incidents on, its AWS calls
    /// through the proxy.
    fn lambda(&self, api: &RuntimeApi) -> Child {
        lambda_command(&api.address, &self.moto, &self.topic_arn)
            .env("AWS_ENDPOINT_URL", &self.proxy.endpoint)
            .env("DEDUP_TABLE", TABLE)
            .env("STORM_WINDOW_SECONDS", "300")
            .env("INCIDENT_QUIET_MINUTES", "30")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the Lambda binary")
    }

    /// Runs one invocation of `event` to its answer.
    fn invoke(&self, event: Value, timeout: Duration) -> (Invocation, Duration) {
        self.invoke_raw(event.to_string(), timeout)
    }

    fn invoke_raw(&self, payload: String, timeout: Duration) -> (Invocation, Duration) {
        let api = RuntimeApi::start_raw(payload, timeout);
        let mut child = self.lambda(&api);
        api.first_poll
            .recv_timeout(Duration::from_secs(30))
            .expect("the function never polled");
        let asked = Instant::now();
        let answer = api.answers.recv_timeout(timeout + Duration::from_secs(30));
        let took = asked.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        (answer.expect("the function never answered"), took)
    }

    /// The event records of the ledger: (pk, state, lease_until).
    async fn event_records(&self) -> Vec<(String, String, u64)> {
        let items = self
            .dynamodb
            .scan()
            .table_name(TABLE)
            .send()
            .await
            .expect("scan the ledger");
        let text = |item: &std::collections::HashMap<String, AttributeValue>, name: &str| {
            item.get(name)
                .and_then(|v| v.as_s().or_else(|_| v.as_n()).ok())
                .cloned()
                .unwrap_or_default()
        };
        items
            .items()
            .iter()
            .filter(|item| text(item, "pk").starts_with("event#"))
            .map(|item| {
                (
                    text(item, "pk"),
                    text(item, "state"),
                    text(item, "lease_until").parse().unwrap_or_default(),
                )
            })
            .collect()
    }
}

fn outcome(answer: &Invocation) -> Value {
    match answer {
        Invocation::Response(body) => serde_json::from_str(body).expect("the response is JSON"),
        Invocation::Error(body) => panic!("expected a response, got an error: {body}"),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Until the lease of every pending claim has passed, as Lambda's retry a minute later finds it.
async fn until_leases_pass(scene: &Scene) {
    let lease = scene
        .event_records()
        .await
        .iter()
        .map(|r| r.2)
        .max()
        .unwrap_or_default();
    while now() <= lease {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn an_invocation_killed_after_the_claim_is_published_once_by_the_retry() {
    // GIVEN SNS that never answers the first Publish (the function times out waiting)
    let scene = scene().await;
    scene.proxy.set_rule(|request| {
        if request.is("Publish") {
            Fault::Hold
        } else {
            Fault::Forward
        }
    });
    let event = oom_event("killed0001");
    let api = RuntimeApi::start_with_deadline(event.clone(), Duration::from_secs(5));
    let mut child = scene.lambda(&api);
    scene
        .proxy
        .held
        .recv_timeout(Duration::from_secs(60))
        .expect("the function never called Publish");

    // WHEN the invocation is killed while Publish is in flight (what the timeout does)
    child.kill().expect("kill the Lambda");
    let _ = child.wait();
    let records = scene.event_records().await;
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].1, "pending", "the claim is left behind: {records:?}");
    assert!(drain_queue(&scene.sqs, &scene.queue_url).await.is_empty());

    // THEN Lambda's retry, after the dead invocation's deadline, publishes it: once
    until_leases_pass(&scene).await;
    scene.proxy.set_rule(|_| Fault::Forward);
    let (answer, _) = scene.invoke(event.clone(), Duration::from_secs(30));
    assert_eq!(outcome(&answer)["outcome"], "published", "{answer:?}");
    assert_eq!(drain_queue(&scene.sqs, &scene.queue_url).await.len(), 1);
    assert_eq!(scene.event_records().await[0].1, "done");

    // AND a second delivery of the same event is a duplicate, not a second message
    let (answer, _) = scene.invoke(event, Duration::from_secs(30));
    let skipped = outcome(&answer);
    assert_eq!(skipped["outcome"], "skipped", "{skipped}");
    assert!(
        skipped["reason"].as_str().unwrap_or_default().contains("duplicate"),
        "{skipped}"
    );
    assert!(drain_queue(&scene.sqs, &scene.queue_url).await.is_empty());
}

/// Publishes through SNS, after panicking on the first call (a defect after the claim).
struct PanicsOnce {
    inner: SnsPublisher,
    panicked: AtomicBool,
}

impl Publisher for PanicsOnce {
    async fn publish(
        &self,
        topic_arn: &str,
        message: &SnsMessage,
        delivery: &Delivery,
    ) -> Result<String, PublishError> {
        if !self.panicked.swap(true, Ordering::SeqCst) {
            panic!("injected: a defect after the claim");
        }
        self.inner.publish(topic_arn, message, delivery).await
    }
}

#[tokio::test]
async fn a_panic_after_the_claim_fails_the_invocation_and_the_retry_publishes_once() {
    // GIVEN the pipeline with the ledger (storm control on) and a publisher that panics once
    let scene = scene().await;
    let sdk = scene.moto.sdk_config().await;
    let config = Config::from_lookup(|name| (name == "TOPIC_ARN").then(|| scene.topic_arn.clone())).expect("config");
    let deps = Deps::new(
        moto_tasks(&sdk),
        PanicsOnce {
            inner: SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
            panicked: AtomicBool::new(false),
        },
        config,
    )
    .with_ledger(DynamoLedger::new(scene.dynamodb.clone(), TABLE, 300).with_incidents(1800));
    let event = oom_event("panic00001");

    // WHEN the first invocation panics after claiming the event
    let failed = handle_within(&deps, event.clone(), Budget::of(Duration::from_secs(2))).await;

    // THEN it fails (so Lambda retries it) with an EcsDoctor error type, not a lost event
    let Err(err) = failed else {
        panic!("a panic must fail the invocation: {failed:?}")
    };
    assert!(matches!(err, HandlerError::Panic(_)), "{err:?}");
    assert_eq!(err.kind(), "EcsDoctor.InternalError");
    assert_eq!(scene.event_records().await[0].1, "pending");

    // AND the retry after its lease publishes it, once, not held back by its own storm window
    until_leases_pass(&scene).await;
    let retried = handle_within(&deps, event.clone(), Budget::of(Duration::from_secs(30))).await;
    assert!(matches!(retried, Ok(Outcome::Published { .. })), "{retried:?}");
    let retried = handle_within(&deps, event, Budget::of(Duration::from_secs(30))).await;
    assert!(matches!(retried, Ok(Outcome::Skipped { .. })), "{retried:?}");
    assert_eq!(drain_queue(&scene.sqs, &scene.queue_url).await.len(), 1);
}

#[tokio::test]
async fn sns_that_answers_after_four_seconds_gets_one_message() {
    // GIVEN SNS that accepts each Publish at once but answers 4 s later
    let scene = scene().await;
    scene.proxy.set_rule(|request| {
        if request.is("Publish") {
            Fault::AnswerAfter(Duration::from_secs(4))
        } else {
            Fault::Forward
        }
    });

    // WHEN the binary handles one event
    let (answer, _) = scene.invoke(oom_event("slowsns001"), Duration::from_secs(30));

    // THEN it waited for the one attempt: published, and the topic got one message, not three
    assert_eq!(outcome(&answer)["outcome"], "published", "{answer:?}");
    let publishes = scene.proxy.seen().iter().filter(|op| op.as_str() == "Publish").count();
    assert_eq!(publishes, 1, "{:?}", scene.proxy.seen());
    assert_eq!(drain_queue(&scene.sqs, &scene.queue_url).await.len(), 1);
}

#[tokio::test]
async fn with_every_read_and_ledger_write_hanging_the_alert_goes_out_before_the_deadline() {
    // GIVEN an account where every ECS, CloudWatch Logs and DynamoDB call hangs; SNS answers
    let scene = scene().await;
    scene.proxy.set_rule(|request| {
        if request.is("Publish") {
            Fault::Forward
        } else {
            Fault::Hang
        }
    });

    // WHEN the binary handles one event with a 10 s function timeout
    let deadline = Duration::from_secs(10);
    let (answer, took) = scene.invoke(oom_event("hanging001"), deadline);

    // THEN it answers before the deadline, published from the event alone, and says what it skipped
    assert!(
        took < deadline,
        "answered after {took:?}, past the {deadline:?} deadline"
    );
    assert_eq!(outcome(&answer)["outcome"], "published", "{answer:?}");
    let messages = drain_queue(&scene.sqs, &scene.queue_url).await;
    assert_eq!(messages.len(), 1);
    let body: Value = serde_json::from_str(messages[0]["Message"].as_str().unwrap_or_default()).expect("sqs body");
    let notes = body["incident"]["notes"].to_string() + &body.to_string();
    for part in ["reads", "deduplication"] {
        assert!(notes.contains(part), "the message names the skipped {part}: {notes}");
    }
    assert_eq!(body["findings"][0]["ruleId"], "runtime.oom-killed", "{body}");
}

#[tokio::test]
async fn a_payload_that_is_not_json_fails_with_the_functions_own_error_type() {
    // GIVEN the binary
    let scene = scene().await;

    // WHEN it is invoked with a payload that is not JSON
    let (answer, _) = scene.invoke_raw("AKIAIOSFODNN7EXAMPLE not json".into(), Duration::from_secs(30));

    // THEN the invocation fails (Lambda retries it, then the DLQ has it) as EcsDoctor.DecodeError
    let Invocation::Error(body) = answer else {
        panic!("expected an error, got {answer:?}")
    };
    let error: Value = serde_json::from_str(&body).expect("the error is JSON");
    assert_eq!(error["errorType"], "EcsDoctor.DecodeError", "{error}");
    assert!(
        error["errorMessage"]
            .as_str()
            .unwrap_or_default()
            .contains("not valid JSON"),
        "{error}"
    );
    assert!(!body.contains("AKIAIOSFODNN7EXAMPLE"), "{body}");
    assert!(drain_queue(&scene.sqs, &scene.queue_url).await.is_empty());
}

#[tokio::test]
async fn an_event_with_an_out_of_range_year_is_explained_and_verified_without_a_panic() {
    // GIVEN a stopped task whose times are in the year 300000000000 (an overflow in a debug
    // build before: the CLI panicked, the Lambda lost the alert after its claim)
    let moto = Moto::start();
    // The repository exists (the tag does not), so the image check reads the task's times.
    let sdk = moto.sdk_config().await;
    aws_sdk_ecr::Client::new(&sdk)
        .create_repository()
        .repository_name("api")
        .send()
        .await
        .expect("create the repository");
    let mut event = oom_event("year000001");
    for field in ["createdAt", "startedAt", "stoppingAt", "stoppedAt"] {
        event["detail"][field] = json!("300000000000-01-01T00:00:00Z");
    }
    event["detail"]["containers"][0]["image"] = json!("123456789012.dkr.ecr.us-east-1.amazonaws.com/api:missing");
    event["detail"]["containers"][0]["reason"] =
        json!("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:missing: not found");
    let dir = std::env::temp_dir().join(format!("ecs-doctor-year-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("event.json");
    std::fs::write(&path, event.to_string()).expect("write the event");

    // WHEN it is explained with the checks against the account (this is a debug build)
    let output = crate::support::cli(&moto, &["explain", path.to_str().unwrap_or_default(), "--verify"]);

    // THEN it exits 0 with a diagnosis
    let stderr = crate::support::stderr(&output);
    assert!(output.status.success(), "exit {:?}: {stderr}", output.status.code());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        crate::support::stdout(&output).contains("api"),
        "{}",
        crate::support::stdout(&output)
    );
}
