//! The release Lambda binary, started as the Lambda service starts it: time from process start
//! to its first Runtime API `/next` poll (target ≤ 30 ms) and peak RSS over one real invocation
//! that enriches and publishes against moto (target ≤ 20 MiB). Needs `moto_server` (see
//! scripts/bench.sh). Prints numbers; asserts nothing about speed.

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::json;
use support::{lambda_command, topic_with_queue, Invocation, Moto, RuntimeApi, ACCOUNT, REGION};

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
    let (topic_arn, _queue_url) = topic_with_queue(&sdk, "bench").await;
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
        let mut cmd = lambda_command(&api.address, &moto, &topic_arn);
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
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
