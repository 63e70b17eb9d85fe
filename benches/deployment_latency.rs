//! Latency of a failed deployment's root cause, handled end to end against moto: the
//! `SERVICE_DEPLOYMENT_FAILED` event of a service with 100 stopped tasks of that deployment
//! (and 20 of an older one), through the real handler (DescribeServices, ListTasks paged,
//! DescribeTasks in batches, the example task enriched, the message published). Prints p50 /
//! p95 and the ECS calls of one run; asserts nothing about speed. Needs `moto_server`.
//!
//! cargo test --bench deployment_latency -- --bench     (debug build, 30 runs)
//! cargo bench --bench deployment_latency --profile benchfast

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use ecs_doctor::aws::{ClusterReads, EcsTasks, Logs, SnsPublisher, TaskSource};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::json;
use support::{api_service, stopped_api_tasks, topic_with_queue, Moto, ACCOUNT, REGION};

const FAILED: &str = "ecs-svc/2222222222222222222";

fn runs() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        30
    } else {
        1
    }
}

fn event(n: usize) -> serde_json::Value {
    json!({
        "version": "0", "id": format!("bench-{n}"), "detail-type": "ECS Deployment State Change",
        "source": "aws.ecs", "account": ACCOUNT, "region": REGION, "time": "2026-12-04T10:05:00Z",
        "resources": [format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/api")],
        "detail": {"eventType": "ERROR", "eventName": "SERVICE_DEPLOYMENT_FAILED", "deploymentId": FAILED,
            "reason": "ECS deployment circuit breaker: tasks failed to start."}
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    api_service(&ecs, &["example/api:3.1.0", "example/api:3.2.0"]).await;
    stopped_api_tasks(
        &ecs,
        "api:1",
        "ecs-svc/1",
        "OutOfMemoryError: Container killed due to memory usage",
        20,
    )
    .await;
    stopped_api_tasks(
        &ecs,
        "api:2",
        FAILED,
        "CannotPullContainerError: failed to resolve ref example/api:3.2.0: not found",
        100,
    )
    .await;
    let (topic, _queue) = topic_with_queue(&sdk, "alerts").await;
    let config = Config::from_lookup(|name| match name {
        "TOPIC_ARN" => Some(topic.clone()),
        "LOG_TAIL_LINES" => Some("0".into()),
        _ => None,
    })
    .expect("config");
    let deps = Deps::new(
        EcsTasks::new(ecs.clone(), Logs::new(aws_sdk_cloudwatchlogs::Client::new(&sdk))),
        SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
        config,
    );
    // Warm once (connection pool, moto's first-call costs), and count one run's ECS calls.
    let before = deps.tasks.cluster_reads().api_calls();
    assert!(matches!(handle(&deps, event(0)).await, Ok(Outcome::Published { .. })));
    let after = deps.tasks.cluster_reads().api_calls();
    let calls: Vec<String> = after
        .iter()
        .map(|(api, n)| format!("{api} {}", n - before.get(api).copied().unwrap_or(0)))
        .collect();
    println!("one run's cluster reads: {}", calls.join(", "));
    let mut times: Vec<Duration> = Vec::new();
    for n in 1..=runs() {
        let started = Instant::now();
        let outcome = handle(&deps, event(n)).await;
        times.push(started.elapsed());
        assert!(matches!(outcome, Ok(Outcome::Published { .. })), "{outcome:?}");
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    println!(
        "deployment root cause, 100 stopped tasks: n={} p50 {:.1} ms p95 {:.1} ms max {:.1} ms",
        times.len(),
        ms(at(50)),
        ms(at(95)),
        ms(times[times.len() - 1])
    );
}
