//! The release Lambda binary, started as the Lambda service starts it: time from process start
//! to its first Runtime API `/next` poll (target ≤ 30 ms) and peak RSS over one real invocation
//! that enriches and publishes against moto (target ≤ 20 MiB). Needs `moto_server` (see
//! scripts/bench.sh). Prints numbers; asserts nothing about speed.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::{Invocation, Moto, RuntimeApi, ACCOUNT, REGION};

/// Runs under `cargo bench`; one run (a smoke test) under `cargo test --all-targets`.
fn runs() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        15
    } else {
        1
    }
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let sns = aws_sdk_sns::Client::new(&sdk);
    let topic_arn = sns
        .create_topic()
        .name("bench")
        .send()
        .await
        .expect("topic")
        .topic_arn()
        .unwrap_or_default()
        .to_string();
    let event = json!({
        "version": "0", "id": "bench-1", "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "account": ACCOUNT, "region": REGION, "time": "2026-11-27T00:00:00Z", "resources": [],
        "detail": {
            "taskArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/0a1b2c3d"),
            "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"),
            "group": "service:api", "launchType": "FARGATE", "lastStatus": "STOPPED",
            "stopCode": "TaskFailedToStart", "stoppedReason": "Task failed to start",
            "containers": [{"name": "api", "lastStatus": "STOPPED",
                "reason": "CannotPullContainerError: failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1: not found"}]
        }
    });

    let mut start_ms = Vec::new();
    let mut rss_kib = Vec::new();
    let mut invoke_ms = Vec::new();
    let runs = runs();
    for _ in 0..runs {
        let api = RuntimeApi::start(event.clone());
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecs-doctor-lambda"));
        cmd.env_clear()
            .env("AWS_LAMBDA_RUNTIME_API", &api.address)
            .env("AWS_LAMBDA_FUNCTION_NAME", "ecs-doctor")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
            .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
            .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/ecs-doctor")
            .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
            .env("AWS_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("TOPIC_ARN", &topic_arn)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let spawned = Instant::now();
        let mut child = cmd.spawn().expect("spawn the release Lambda binary");
        let polled = api
            .first_poll
            .recv_timeout(Duration::from_secs(30))
            .expect("first /next poll");
        let answer = api.answers.recv_timeout(Duration::from_secs(30)).expect("an answer");
        let answered = Instant::now();
        assert!(
            matches!(answer, Invocation::Response(ref b) if b.contains("published")),
            "{answer:?}"
        );
        rss_kib.push(peak_rss_kib(child.id()).unwrap_or(0));
        let _ = child.kill();
        let _ = child.wait();
        start_ms.push(polled.duration_since(spawned).as_secs_f64() * 1000.0);
        invoke_ms.push(answered.duration_since(polled).as_secs_f64() * 1000.0);
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        (v[v.len() / 2], v[v.len() - 1])
    };
    let (start_median, start_max) = stats(&mut start_ms);
    let (invoke_median, invoke_max) = stats(&mut invoke_ms);
    let rss_max = rss_kib.iter().copied().max().unwrap_or(0);
    println!("lambda start → first /next poll: median {start_median:.1} ms, max {start_max:.1} ms ({runs} runs)");
    println!("one invocation (DescribeTasks + Publish against moto on loopback): median {invoke_median:.1} ms, max {invoke_max:.1} ms");
    println!(
        "peak RSS (VmHWM) after one invocation: max {:.1} MiB",
        rss_max as f64 / 1024.0
    );
}
