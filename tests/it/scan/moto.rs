//! `ecs-doctor scan` and `explain --task` against a real moto server on 127.0.0.1: clusters,
//! services and task definitions created in moto, tasks run and then stopped with real
//! failure reasons (moto keeps `StopTask`'s `reason` as `stoppedReason`), the real binary (or
//! the library with the real SDK adapter) reading them back.
//!
//! moto has no service events, no failed deployments and no ListTasks paging; those paths are
//! covered with canned SDK answers in `tests/it/scan/mocked.rs`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

use crate::support::{cli, cli_command, stderr, stdout, stopped_tasks, Moto};
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType, NetworkMode};
use ecs_doctor::aws::{Backoff, ClusterReads, EcsReader};
use ecs_doctor::cli::scan::collect::{collect, Plan, Silent};
use ecs_doctor::cli::scan::Report;
use ecs_doctor::diagnose::{Lang, Severity};
use serde_json::Value;

const PULL: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:9: not found";
const SECRET: &str = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/x is not authorized to perform: secretsmanager:GetSecretValue";
const OOM: &str = "OutOfMemoryError: Container killed due to memory usage";
const SCALE_IN: &str = "Scaling activity initiated by (deployment ecs-svc/1234567890)";

/// moto advances a task's status on every DescribeTasks unless told not to.
fn manual_task_states(moto: &Moto) {
    let body = r#"{"model_name":"ecs::task","transition":{"progression":"manual","times":1000}}"#;
    let mut stream = TcpStream::connect(("127.0.0.1", moto.port())).expect("connect to moto");
    write!(
        stream,
        "POST /moto-api/state-manager/set-transition HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(
        answer.starts_with("HTTP/1.1 20") || answer.starts_with("HTTP/1.0 20"),
        "{answer}"
    );
}

struct Ecs {
    client: aws_sdk_ecs::Client,
}

impl Ecs {
    async fn new(moto: &Moto) -> Ecs {
        manual_task_states(moto);
        Ecs {
            client: aws_sdk_ecs::Client::new(&moto.sdk_config().await),
        }
    }

    async fn cluster(&self, name: &str) {
        self.client
            .create_cluster()
            .cluster_name(name)
            .send()
            .await
            .expect("create cluster");
    }

    async fn task_definition(&self, family: &str) {
        self.client
            .register_task_definition()
            .family(family)
            // moto forces awsvpc (and then fails) for FARGATE-compatible task definitions.
            .network_mode(NetworkMode::Bridge)
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image(format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/{family}:9"))
                    .memory(512)
                    .essential(true)
                    .build(),
            )
            .send()
            .await
            .expect("register task definition");
    }

    async fn service(&self, cluster: &str, name: &str, family: &str) {
        self.client
            .create_service()
            .cluster(cluster)
            .service_name(name)
            .task_definition(family)
            .desired_count(0)
            .send()
            .await
            .expect("create service");
    }

    /// Runs `count` tasks of `family` in `group`, then stops each with `reason`.
    async fn stopped(&self, cluster: &str, family: &str, group: &str, reason: &str, count: i32) -> Vec<String> {
        stopped_tasks(&self.client, cluster, family, group, None, reason, count).await
    }
}

/// Cluster `prod`: service `api` (4 tasks that could not pull their image), service `web` (2
/// that could not read a secret), service `calm` (one task stopped by a deployment: expected),
/// a running task of `api`. Cluster `staging`: service `jobs` (one out-of-memory task).
async fn world(moto: &Moto) -> Vec<String> {
    let ecs = Ecs::new(moto).await;
    ecs.cluster("prod").await;
    ecs.cluster("staging").await;
    for family in ["api", "web", "calm", "jobs"] {
        ecs.task_definition(family).await;
    }
    ecs.service("prod", "api", "api").await;
    ecs.service("prod", "web", "web").await;
    ecs.service("prod", "calm", "calm").await;
    ecs.service("staging", "jobs", "jobs").await;
    let api = ecs.stopped("prod", "api", "service:api", PULL, 4).await;
    ecs.stopped("prod", "web", "service:web", SECRET, 2).await;
    ecs.stopped("prod", "calm", "service:calm", SCALE_IN, 1).await;
    ecs.stopped("staging", "jobs", "service:jobs", OOM, 1).await;
    ecs.client
        .run_task()
        .cluster("prod")
        .task_definition("api")
        .launch_type(LaunchType::Fargate)
        .group("service:api")
        .send()
        .await
        .expect("a running task");
    api
}

#[tokio::test]
async fn scan_groups_failures_by_signature_across_clusters() {
    // GIVEN two clusters with failures of three kinds, an expected stop and a running task
    let moto = Moto::start();
    let api = world(&moto).await;

    // WHEN the whole Region is scanned, as JSON
    let out = cli(&moto, &["scan", "--format", "json", "--quiet"]);

    // THEN exit code 3, one signature per kind, ordered by severity then count
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    assert!(
        out.stderr.is_empty(),
        "--quiet prints nothing on stderr: {}",
        stderr(&out)
    );
    let report: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let rows: Vec<(String, String, String, u64)> = report["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| {
            (
                s["cluster"].as_str().unwrap_or_default().to_string(),
                s["service"].as_str().unwrap_or_default().to_string(),
                s["ruleId"].as_str().unwrap_or_default().to_string(),
                s["count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let severities: Vec<&str> = report["signatures"]
        .as_array()
        .expect("signatures")
        .iter()
        .map(|s| s["severity"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(
        rows[0],
        ("prod".into(), "api".into(), "image-pull.not-found".into(), 4),
        "{rows:?} {severities:?}"
    );
    assert!(
        rows.iter().any(|r| r.0 == "prod" && r.1 == "web" && r.3 == 2),
        "{rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.0 == "staging" && r.1 == "jobs" && r.3 == 1),
        "{rows:?}"
    );
    let rank = |s: &str| ["critical", "error", "warning", "info"].iter().position(|x| *x == s);
    for (pair, sev) in rows.windows(2).zip(severities.windows(2)) {
        assert!(
            rank(sev[0]) < rank(sev[1]) || (sev[0] == sev[1] && pair[0].3 >= pair[1].3),
            "{rows:?} {severities:?}"
        );
    }

    // the task ARNs of a signature are the stopped tasks, not the running one
    let mut listed: Vec<String> = report["signatures"][0]["taskArns"]
        .as_array()
        .expect("taskArns")
        .iter()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let mut expected = api.clone();
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
    assert_eq!(report["signatures"][0]["example"]["schemaVersion"], "1");
    assert_eq!(
        report["signatures"][0]["example"]["summary"]["ruleId"],
        "image-pull.not-found"
    );
    assert_eq!(report["signatures"][0]["sources"], serde_json::json!(["stopped-task"]));

    // the summary's denominators
    let summary = &report["summary"];
    assert_eq!(summary["stoppedTasksExamined"], 8);
    assert_eq!(summary["belowThreshold"], 1, "the deployment scale-in");
    assert_eq!(summary["servicesExamined"], 4);
    assert_eq!(summary["healthyServicesSkipped"], 1, "calm");
    assert_eq!(summary["clusters"], serde_json::json!(["prod", "staging"]));
    assert_eq!(
        summary["text"],
        "3 problems in 3 places; 8 stopped tasks examined in 2 clusters; 1 healthy service skipped"
    );
    assert_eq!(report["exitCode"], 3);
    assert_eq!(report["errors"], serde_json::json!([]));
    assert_eq!(report["capped"], serde_json::json!([]));

    // the documented schema: every top-level key, with its type
    for (key, kind) in [
        ("schemaVersion", "string"),
        ("lang", "string"),
        ("minSeverity", "string"),
        ("sinceSeconds", "number"),
        ("scannedAt", "string"),
        ("exitCode", "number"),
        ("summary", "object"),
        ("capped", "array"),
        ("errors", "array"),
        ("signatures", "array"),
        ("apiCalls", "object"),
    ] {
        let v = &report[key];
        let ok = match kind {
            "string" => v.is_string(),
            "number" => v.is_number(),
            "object" => v.is_object(),
            _ => v.is_array(),
        };
        assert!(ok, "`{key}` should be a {kind}: {v}");
    }
    for key in [
        "severity",
        "cluster",
        "service",
        "family",
        "ruleId",
        "category",
        "title",
        "firstStep",
        "count",
        "firstSeen",
        "lastSeen",
        "sources",
        "taskArns",
        "example",
    ] {
        assert!(
            report["signatures"][0].get(key).is_some(),
            "signature key `{key}` missing"
        );
    }

    // the calls: one ListClusters, per cluster one ListTasks, one DescribeTasks (≤ 100 tasks)
    let calls = &report["apiCalls"]["byOperation"];
    assert_eq!(calls["ListClusters"], 1);
    assert_eq!(calls["ListTasks"], 2);
    assert_eq!(calls["DescribeTasks"], 2);
    assert_eq!(calls["ListServices"], 2);
    assert_eq!(calls["DescribeServices"], 2);
    assert_eq!(
        report["apiCalls"]["total"].as_u64(),
        Some(
            calls
                .as_object()
                .expect("map")
                .values()
                .filter_map(Value::as_u64)
                .sum::<u64>()
        )
    );
}

#[tokio::test]
async fn scan_text_and_markdown_carry_the_table_the_diagnoses_and_the_summary() {
    let moto = Moto::start();
    world(&moto).await;

    let out = cli(&moto, &["scan", "--cluster", "prod", "--quiet"]);
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    assert!(
        header.starts_with("SEVERITY") && header.contains("CAUSE") && header.contains("LAST SEEN"),
        "{text}"
    );
    let first = lines.next().expect("first row");
    assert!(
        first.starts_with("error") && first.contains("prod/api") && first.contains(" 4 "),
        "{text}"
    );
    assert!(
        lines.next().is_some_and(|l| l.trim_start().starts_with("→ ")),
        "first step under the row: {text}"
    );
    assert!(
        text.contains("==== 1. error · prod/api · 4 × image-pull.not-found ===="),
        "{text}"
    );
    assert!(
        text.contains("[ERROR] "),
        "the full diagnosis, as explain prints it: {text}"
    );
    assert!(
        !text.contains("prod/calm"),
        "the expected stop is not a problem: {text}"
    );
    assert!(
        text.trim_end()
            .ends_with("2 problems in 2 places; 7 stopped tasks examined in 1 cluster; 1 healthy service skipped"),
        "{text}"
    );

    let out = cli(
        &moto,
        &[
            "scan",
            "--cluster",
            "prod",
            "--format",
            "markdown",
            "--lang",
            "ja",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let md = stdout(&out);
    assert!(md.starts_with("## ecs-doctor scan\n"), "{md}");
    assert!(md.contains("| 重大度 | 場所 | 原因 | 件数 |"), "{md}");
    assert!(md.contains("| error | prod/api | "), "{md}");
    assert!(md.contains("### 1. prod/api: "), "{md}");
    assert!(md.contains("```text\n[ERROR] "), "{md}");
    assert!(md.contains("2 か所で 2 件の問題"), "{md}");
}

#[tokio::test]
async fn service_filter_and_min_severity_make_a_deploy_gate() {
    let moto = Moto::start();
    world(&moto).await;

    // Only an expected stop in `calm`: the gate passes.
    let out = cli(&moto, &["scan", "--service", "calm", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).starts_with("No problems found."), "{}", stdout(&out));

    // `api` fails with an error: the gate fails at the default threshold and at `error`…
    let out = cli(
        &moto,
        &[
            "scan",
            "--cluster",
            "prod",
            "--service",
            "api",
            "--since",
            "10m",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(
        !stdout(&out).contains("prod/web"),
        "another service leaked in: {}",
        stdout(&out)
    );
    let out = cli(
        &moto,
        &["scan", "--service", "api", "--min-severity", "error", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(3));
    // …and passes when only critical findings count.
    let out = cli(
        &moto,
        &["scan", "--service", "api", "--min-severity", "critical", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // A service that does not exist is a line, and the gate does not pass on it.
    let out = cli(&moto, &["scan", "--cluster", "prod", "--service", "nope", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("! not found: prod/nope"), "{}", stdout(&out));

    // With no --cluster, a service is looked for in every cluster: missing from all is one line.
    let out = cli(&moto, &["scan", "--service", "nope", "--quiet"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(
        stdout(&out)
            .matches("not found (service nope is in none of the clusters scanned)")
            .count(),
        1,
        "{}",
        stdout(&out)
    );

    // A cluster that does not exist is a line too; the other cluster is still scanned.
    let out = cli(&moto, &["scan", "--cluster", "gone", "--cluster", "staging", "--quiet"]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(stdout(&out).contains("! not found: gone"), "{}", stdout(&out));
    assert!(stdout(&out).contains("staging/jobs"), "{}", stdout(&out));
}

#[tokio::test]
async fn progress_goes_to_stderr_as_lines_when_not_a_terminal() {
    let moto = Moto::start();
    world(&moto).await;
    let out = cli(&moto, &["scan", "--cluster", "staging", "--stats"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("scanning cluster staging\n"), "{err}");
    assert!(err.contains("staging: 1 stopped tasks to examine\n"), "{err}");
    assert!(err.contains("staging: done (1/1 clusters)\n"), "{err}");
    assert!(!err.contains('\r'), "no in-place updates off a terminal: {err:?}");
    let stats = err.lines().last().unwrap_or_default();
    assert!(
        stats.starts_with("ecs-doctor: scan took ") && stats.contains("API calls (DescribeServices 1, DescribeTasks 1"),
        "{err}"
    );
}

#[tokio::test]
async fn explain_task_fetches_one_task_by_id_or_arn() {
    let moto = Moto::start();
    let api = world(&moto).await;
    let arn = &api[0];
    let id = arn.rsplit('/').next().expect("id");

    let out = cli(&moto, &["explain", "--task", id, "--cluster", "prod"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("[ERROR] "), "{text}");
    assert!(text.contains("prod/api"), "{text}");
    assert!(text.contains("image-pull.not-found"), "{text}");
    assert!(text.contains(arn.as_str()), "{text}");

    // A full ARN names its cluster; JSON works as for any explain.
    let out = cli(&moto, &["explain", "--task", arn, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(json["summary"]["ruleId"], "image-pull.not-found");

    // An unknown task: one line, exit 1.
    let out = cli(
        &moto,
        &[
            "explain",
            "--task",
            "0123456789abcdef0123456789abcdef",
            "--cluster",
            "prod",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("was not found in cluster prod"), "{err}");
    // An ID without a cluster.
    let out = cli(&moto, &["explain", "--task", id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--cluster is needed"), "{}", stderr(&out));
}

#[tokio::test]
async fn no_credentials_or_no_endpoint_is_one_line_and_exit_1() {
    let moto = Moto::start();
    let out = cli_command(&moto, &["scan", "--quiet"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("ecs-doctor: error: no AWS credentials found"), "{err}");
    assert!(out.stdout.is_empty());

    // Nothing listens there: the endpoint (a wrong Region, no network) is named.
    let closed = format!("http://127.0.0.1:{}", crate::support::free_port());
    let out = cli_command(&moto, &["scan", "--cluster", "prod", "--quiet"])
        .env("AWS_ENDPOINT_URL", &closed)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("ecs-doctor: error: cannot reach the ECS endpoint"),
        "{err}"
    );
}

#[tokio::test]
async fn hundreds_of_tasks_are_described_in_batches_and_capped() {
    // GIVEN a cluster with 250 tasks that stopped for the same reason
    let moto = Moto::start();
    let ecs = Ecs::new(&moto).await;
    ecs.cluster("big").await;
    ecs.task_definition("api").await;
    ecs.service("big", "api", "api").await;
    ecs.stopped("big", "api", "service:api", PULL, 250).await;
    let sdk = moto.sdk_config().await;
    let scan = |max_tasks: usize| {
        let source = Arc::new(EcsReader::new(aws_sdk_ecs::Client::new(&sdk), 8, Backoff::default()));
        let plan = Plan {
            clusters: vec!["big".into()],
            services: Vec::new(),
            since: 0,
            max_tasks,
        };
        async move {
            let (observations, coverage) = collect(source.clone(), plan, Arc::new(Silent)).await.expect("scan");
            (
                Report::build(observations, coverage, Lang::En, Severity::Warning, 3600, 0),
                source.api_calls(),
            )
        }
    };

    // WHEN scanned with the default cap
    let (report, calls) = scan(1000).await;
    // THEN every task is examined, 100 per DescribeTasks, and they are one signature
    assert_eq!(report.coverage.stopped_tasks, 250);
    assert!(report.coverage.capped.is_empty());
    assert_eq!(calls.get("DescribeTasks"), Some(&3));
    assert_eq!(report.groups.len(), 1);
    assert_eq!(report.groups[0].count, 250);
    assert_eq!(report.groups[0].task_arns.len(), 250);

    // WHEN capped below that
    let (report, calls) = scan(120).await;
    // THEN 120 are examined (two batches) and the cap is said
    assert_eq!(report.coverage.stopped_tasks, 120);
    assert_eq!(report.coverage.capped.len(), 1);
    assert_eq!(report.coverage.capped[0].examined, 120);
    assert_eq!(calls.get("DescribeTasks"), Some(&2));
    assert_eq!(report.groups[0].count, 120);
    let text = ecs_doctor::cli::scan::render::text(&report);
    assert!(
        text.contains(
            "! capped: cluster big has more stopped tasks; only 120 were examined (raise --max-tasks to see more)"
        ),
        "{text}"
    );
    let json = ecs_doctor::cli::scan::render::json(&report);
    assert_eq!(json["capped"], serde_json::json!([{"cluster": "big", "examined": 120}]));
}

#[tokio::test]
async fn verify_checks_one_example_per_signature_against_the_account() {
    // GIVEN the world, and repository `api` holding tag 8 but not the 9 the tasks pull
    let moto = Moto::start();
    world(&moto).await;
    let ecr = aws_sdk_ecr::Client::new(&moto.sdk_config().await);
    ecr.create_repository()
        .repository_name("api")
        .send()
        .await
        .expect("create repository");
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1,
                   "digest": format!("sha256:{:064x}", 8)},
        "layers": []
    });
    ecr.put_image()
        .repository_name("api")
        .image_tag("8")
        .image_manifest(manifest.to_string())
        .send()
        .await
        .expect("put image");

    // WHEN scanned with --verify
    let out = cli(
        &moto,
        &["scan", "--cluster", "prod", "--verify", "--format", "json", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json");

    // THEN the image signature's example carries the confirmed tag check, and its first step
    // is the check's own; the check ran once for the four tasks of the signature
    let signatures = report["signatures"].as_array().expect("signatures");
    let image = signatures
        .iter()
        .find(|s| s["ruleId"] == "image-pull.not-found")
        .expect("the image signature");
    assert_eq!(image["count"], 4);
    let checks = image["example"]["findings"][0]["checks"]
        .as_array()
        .expect("checks on the example");
    let tag = checks
        .iter()
        .find(|c| c["id"] == "ecr.image-tag")
        .expect("ecr.image-tag");
    assert_eq!(tag["status"], "confirmed", "{tag:#}");
    assert!(
        tag["summary"]
            .as_str()
            .is_some_and(|s| s.starts_with("Tag `9` does not exist in `api`.")),
        "{tag:#}"
    );
    assert!(
        image["firstStep"].as_str().is_some_and(|s| s.contains("`8`")),
        "the confirmed check leads the steps: {image:#}"
    );

    // AND without --verify nothing is checked
    let out = cli(&moto, &["scan", "--cluster", "prod", "--format", "json", "--quiet"]);
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(!stdout(&out).contains("\"checks\""), "{report:#}");
}
