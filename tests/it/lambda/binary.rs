//! The Lambda binary itself, as the Lambda service runs it: the process polls a Runtime API
//! (a small fake on 127.0.0.1), handles the event with clients pointed at moto, publishes, and
//! posts its answer back.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::{lambda_command, topic_with_queue, Invocation, Moto, RuntimeApi, ACCOUNT, REGION};
use serde_json::{json, Value};

fn oom_event() -> Value {
    crate::support::oom_event("0a1b2c3d4e5f")
}

#[tokio::test]
async fn lambda_binary_answers_an_invocation_and_publishes() {
    // GIVEN moto with a topic and a subscribed queue, and a Runtime API holding one event
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;
    let api = RuntimeApi::start(oom_event());

    // WHEN the real binary starts
    let mut cmd = lambda_command(&api.address, &moto, &topic_arn);
    let started = Instant::now();
    // The runtime logs to stdout, as Lambda expects.
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lambda");

    // THEN it polls, answers with a published outcome, and the message reaches the queue
    let polled = api
        .first_poll
        .recv_timeout(Duration::from_secs(30))
        .expect("the function never polled /next");
    assert!(polled >= started);
    let answer = api.answers.recv_timeout(Duration::from_secs(60));
    let _ = child.kill();
    let output = child.wait_with_output().expect("wait");
    let logs = String::from_utf8_lossy(&output.stdout);
    let Ok(Invocation::Response(body)) = answer else {
        panic!("expected a response, got {answer:?}; logs:\n{logs}");
    };
    let outcome: Value = serde_json::from_str(&body).expect("response is JSON");
    assert_eq!(outcome["outcome"], "published", "{outcome}");
    assert_eq!(outcome["rule_id"], "runtime.oom-killed", "{outcome}");

    let received = sqs
        .receive_message()
        .queue_url(&queue_url)
        .wait_time_seconds(1)
        .send()
        .await
        .expect("receive");
    assert_eq!(received.messages().len(), 1);
    let envelope: Value = serde_json::from_str(received.messages()[0].body().unwrap_or_default()).expect("envelope");
    assert_eq!(envelope["MessageAttributes"]["category"]["Value"], "out-of-memory");

    // Logs are structured JSON lines and never carry the whole event.
    assert!(
        logs.lines().any(|l| l.starts_with('{') && l.contains("published")),
        "logs:\n{logs}"
    );
    assert!(
        !logs.contains("Container killed due to memory usage"),
        "the event leaked into logs:\n{logs}"
    );
}

#[tokio::test]
async fn lambda_binary_reports_an_undecodable_event_as_an_error() {
    let moto = Moto::start();
    let api = RuntimeApi::start(
        json!({"detail-type": "ECS Task State Change", "source": "aws.ecs", "detail": {"lastStatus": "STOPPED"}}),
    );
    let mut cmd = lambda_command(&api.address, &moto, &format!("arn:aws:sns:{REGION}:{ACCOUNT}:alerts"));
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lambda");
    let answer = api.answers.recv_timeout(Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    match answer {
        Ok(Invocation::Error(body)) => {
            let error: Value = serde_json::from_str(&body).expect("error body is JSON");
            assert_eq!(error["errorType"], "EcsDoctor.DecodeError", "{error}");
            assert!(
                error["errorMessage"].as_str().unwrap_or_default().contains("taskArn"),
                "{error}"
            );
        }
        other => panic!("expected an invocation error, got {other:?}"),
    }
}
