//! Latency of one event from another account, handled end to end against moto: "cold" with a
//! new client factory (AssumeRole, client build, alias and task definition reads included),
//! "warm" with the factory of a warm Lambda (credentials, clients, alias and task definition
//! cached). The home account's warm path is printed for comparison. Needs `moto_server`.
//! Prints numbers; asserts nothing about speed.
//!
//! cargo test --bench org_latency -- --bench     (debug build, N runs)
//! cargo bench --bench org_latency               (optimised build)

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_ecs::config::{Credentials, SharedCredentialsProvider};
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType, NetworkMode, Tag};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{AccountTasks, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::json;
use support::{topic_with_queue, Moto, ACCOUNT, REGION};

const MEMBER: &str = "222222222222";

fn runs() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        20
    } else {
        1
    }
}

fn event(account: &str, task_arn: &str) -> serde_json::Value {
    json!({
        "version": "0", "id": "bench", "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "account": account, "time": "2026-11-28T12:00:00Z", "region": REGION, "resources": [task_arn],
        "detail": {
            "taskArn": task_arn,
            "clusterArn": format!("arn:aws:ecs:{REGION}:{account}:cluster/prod"),
            "taskDefinitionArn": format!("arn:aws:ecs:{REGION}:{account}:task-definition/web:1"),
            "group": "service:web", "launchType": "FARGATE", "lastStatus": "STOPPED",
            "stopCode": "TaskFailedToStart", "stoppedReason": "Task failed to start", "version": 4,
            "containers": [{"name": "app", "lastStatus": "STOPPED",
                "reason": "CannotPullContainerError: failed to resolve ref example/web:missing: not found"}]
        }
    })
}

async fn task(sdk: &aws_config::SdkConfig) -> String {
    let ecs = aws_sdk_ecs::Client::new(sdk);
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    ecs.register_task_definition()
        .family("web")
        .network_mode(NetworkMode::Bridge)
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image("example/web:missing")
                .memory(512)
                .build(),
        )
        .send()
        .await
        .expect("task definition");
    let out = ecs
        .run_task()
        .cluster("prod")
        .task_definition("web")
        .launch_type(LaunchType::Fargate)
        .tags(Tag::builder().key("team").value("payments").build())
        .send()
        .await
        .expect("run");
    out.tasks()[0].task_arn().expect("arn").to_string()
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p90 = times[(times.len() * 9 / 10).min(times.len() - 1)];
    println!(
        "{label:<44} n={:>3}  median {:>7.1} ms  p90 {:>7.1} ms  min {:>7.1} ms",
        times.len(),
        ms(median),
        ms(p90),
        ms(times[0])
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let assumed = aws_sdk_sts::Client::new(&sdk)
        .assume_role()
        .role_arn(format!("arn:aws:iam::{MEMBER}:role/EcsDoctorReadOnly"))
        .role_session_name("setup")
        .send()
        .await
        .expect("assume");
    let c = assumed.credentials().expect("credentials");
    let member = sdk
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "assumed",
        )))
        .build();
    let member_task = task(&member).await;
    let home_task = task(&sdk).await;
    let (topic, _queue) = topic_with_queue(&sdk, "alerts").await;
    let config = Config::from_lookup(|name| match name {
        "TOPIC_ARN" => Some(topic.clone()),
        "MEMBER_ROLE_NAME" => Some("EcsDoctorReadOnly".into()),
        _ => None,
    })
    .expect("config");
    let deps = || {
        Deps::new(
            AccountTasks::new(Arc::new(Clients::with_access(sdk.clone(), config.member_access()))),
            SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
            config.clone(),
        )
    };
    let warm = deps();
    // Warm everything once (connection pools, moto's first-call costs).
    for e in [event(MEMBER, &member_task), event(ACCOUNT, &home_task)] {
        assert!(matches!(handle(&warm, e).await, Ok(Outcome::Published { .. })));
    }
    let (mut cold_member, mut warm_member, mut warm_home) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs() {
        let fresh = deps();
        let started = Instant::now();
        let outcome = handle(&fresh, event(MEMBER, &member_task)).await;
        cold_member.push(started.elapsed());
        assert!(matches!(outcome, Ok(Outcome::Published { .. })), "{outcome:?}");

        let started = Instant::now();
        let outcome = handle(&warm, event(MEMBER, &member_task)).await;
        warm_member.push(started.elapsed());
        assert!(matches!(outcome, Ok(Outcome::Published { .. })), "{outcome:?}");

        let started = Instant::now();
        let outcome = handle(&warm, event(ACCOUNT, &home_task)).await;
        warm_home.push(started.elapsed());
        assert!(matches!(outcome, Ok(Outcome::Published { .. })), "{outcome:?}");
    }
    summary("member account, cold (AssumeRole + reads)", cold_member);
    summary("member account, warm (role cached)", warm_member);
    summary("home account, warm", warm_home);
}
