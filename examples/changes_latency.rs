//! The latency "What changed" adds to the verify stage, against a local moto server.
//!
//! `MOTO_SERVER=.venv/bin/moto_server AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
//!  AWS_REGION=us-east-1 cargo run --example changes_latency [runs]`
//!
//! Prints p50/p95 of `ChangeReader::changes` alone and of the whole `report::verify`, per failure
//! category, over `runs` runs (default 50). It measures; it asserts nothing.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region};
use aws_sdk_ecs::config::Credentials;
use aws_sdk_ecs::types::{ContainerDefinition, LogConfiguration, LogDriver, Secret};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{task_definition_from_sdk, AwsVerifier};
use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::fixture::Case;
use ecs_doctor::report::{self, ChangeReader, Report};
use ecs_doctor::verify;

const CASES: &[(&str, &str)] = &[
    ("image-not-found", "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1: 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1: not found"),
    ("secrets-not-found", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db2 from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400"),
    ("out-of-memory", "OutOfMemoryError: Container killed due to memory usage"),
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let program = std::env::var("MOTO_SERVER").unwrap_or_else(|_| "moto_server".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(5123);
    let mut moto = Command::new(&program)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
    let endpoint = format!("http://127.0.0.1:{port}");
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(&endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .load()
        .await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let started = Instant::now();
    while ecs.list_clusters().send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "moto did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let sm = aws_sdk_secretsmanager::Client::new(&sdk);
    let mut secrets = Vec::new();
    for name in ["prod/db", "prod/db2"] {
        let arn = sm
            .create_secret()
            .name(name)
            .secret_string("planted-value-bench")
            .send()
            .await
            .ok()
            .and_then(|o| o.arn)
            .expect("secret");
        secrets.push(arn);
    }
    let ecr = aws_sdk_ecr::Client::new(&sdk);
    let _ = ecr
        .create_repository()
        .repository_name("platform/base-api")
        .send()
        .await;
    let manifest = r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}"#;
    let _ = ecr
        .put_image()
        .repository_name("platform/base-api")
        .image_tag("3.2.1")
        .image_manifest(manifest)
        .send()
        .await;
    let _ = ecs.create_cluster().cluster_name("prod").send().await;
    for (tag, memory, secret, group) in [
        ("3.2.0", 1024, &secrets[0], "/ecs/api"),
        ("3.2.1", 512, &secrets[1], "/ecs/api-v2"),
    ] {
        let container = ContainerDefinition::builder()
            .name("app")
            .image(format!(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:{tag}"
            ))
            .memory(memory)
            .secrets(
                Secret::builder()
                    .name("DB_PASSWORD")
                    .value_from(secret)
                    .build()
                    .expect("secret"),
            )
            .log_configuration(
                LogConfiguration::builder()
                    .log_driver(LogDriver::Awslogs)
                    .options("awslogs-group", group)
                    .build()
                    .expect("log"),
            )
            .build();
        ecs.register_task_definition()
            .family("api")
            .container_definitions(container)
            .send()
            .await
            .expect("register");
    }
    let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/api:2";
    let definition = ecs
        .describe_task_definition()
        .task_definition(arn)
        .send()
        .await
        .ok()
        .and_then(|o| o.task_definition)
        .map(|d| task_definition_from_sdk(&d))
        .expect("definition");

    let verifier = AwsVerifier::new(Arc::new(Clients::new(sdk.clone())));
    println!("{runs} runs per category against moto at {endpoint} (debug build unless built otherwise)");
    for (name, reason) in CASES {
        let mut incident = Case::Reason(reason).incident();
        incident.cluster = Some("arn:aws:ecs:us-east-1:123456789012:cluster/prod".into());
        if let Some(task) = incident.task.as_mut() {
            task.task_definition_arn = Some(arn.into());
            task.group = Some("family:api".into());
        }
        incident.task_definition = Some(definition.clone());
        let base = Report::from(diagnose(&incident, Lang::En));
        let (mut alone, mut stage) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let t = Instant::now();
            let w = verifier.changes(&incident, &base, Lang::En).await;
            alone.push(t.elapsed());
            std::hint::black_box(w);
            let mut d = base.clone();
            let t = Instant::now();
            report::verify(&verifier, &incident, &mut d, verify::DEFAULT_BUDGET).await;
            stage.push(t.elapsed());
        }
        alone.sort();
        stage.sort();
        println!(
            "{name:18} changes: p50 {} p95 {} | report::verify: p50 {} p95 {}",
            ms(percentile(&alone, 0.5)),
            ms(percentile(&alone, 0.95)),
            ms(percentile(&stage, 0.5)),
            ms(percentile(&stage, 0.95)),
        );
    }
    let _ = moto.kill();
    let _ = moto.wait();
}
