//! `ecs-doctor watch`, the binary, against moto: moto keeps a new service's deployment
//! IN_PROGRESS, and the moto server's `MOTO_ECS_SERVICE_FAILED_TASKS` sets its failed-task
//! count. With failed tasks the watch explains them and times out with exit 4; without, it
//! times out with exit 5.

use std::process::Output;

use crate::support::{cli_command, register_api, stopped_api_tasks, Moto};

const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:3.2.0";

/// Cluster `prod`, service `api` (desired 2) and, when `failed`, 2 stopped tasks that its
/// deployment started and that could not pull their image. Returns the deployment id.
async fn service(moto: &Moto, failed: bool) -> String {
    let ecs = aws_sdk_ecs::Client::new(&moto.sdk_config().await);
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    register_api(&ecs, IMAGE).await;
    let created = ecs
        .create_service()
        .cluster("prod")
        .service_name("api")
        .task_definition("api:1")
        .desired_count(2)
        .send()
        .await
        .expect("service");
    let deployment = created.service().expect("service").deployments()[0]
        .id()
        .expect("deployment id")
        .to_string();
    if failed {
        let reason = format!("CannotPullContainerError: failed to resolve ref {IMAGE}: {IMAGE}: not found");
        stopped_api_tasks(&ecs, "api:1", &deployment, &reason, 2).await;
    }
    deployment
}

fn watch(moto: &Moto, format: &str, summary: Option<&std::path::Path>) -> Output {
    let args = [
        "watch",
        "--cluster",
        "prod",
        "--service",
        "api",
        "--timeout",
        "3s",
        "--interval",
        "1s",
        "--format",
        format,
    ];
    let mut command = cli_command(moto, &args);
    if let Some(path) = summary {
        command.env("GITHUB_STEP_SUMMARY", path);
    }
    command.output().expect("run ecs-doctor watch")
}

#[tokio::test]
async fn failed_tasks_of_an_unfinished_deployment_are_explained_and_time_out_with_4() {
    let moto = Moto::start_with_env(&[("MOTO_ECS_SERVICE_FAILED_TASKS", "2")]);
    let deployment = service(&moto, true).await;
    let summary = std::env::temp_dir().join(format!("ecs-doctor-watch-summary-{}.md", std::process::id()));
    let _ = std::fs::remove_file(&summary);
    let out = watch(&moto, "github", Some(&summary));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Printed for `--nocapture`: the README's example output is this run's.
    println!("stderr:\n{stderr}\nstdout:\n{stdout}");
    assert_eq!(out.status.code(), Some(4), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains(&format!("watch: following deployment {deployment} (api:1)")),
        "{stderr}"
    );
    assert!(
        stderr.contains("tasks of this deployment failed: Image or tag does not exist ×2"),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("::error title=ECS deployment timeout-failing%3A prod/api::Deployment"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 of 2 new tasks stopped — Image or tag does not exist"),
        "{stdout}"
    );
    let markdown = std::fs::read_to_string(&summary).expect("step summary written");
    let _ = std::fs::remove_file(&summary);
    assert!(markdown.contains("## ecs-doctor watch: prod/api"), "{markdown}");
    assert!(
        markdown.contains("| 2 | Image or tag does not exist | `image-pull.not-found` | error |"),
        "{markdown}"
    );
}

#[tokio::test]
async fn a_deployment_still_in_progress_times_out_with_5() {
    let moto = Moto::start();
    service(&moto, false).await;
    let out = watch(&moto, "json", None);
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["end"], "timeout-in-progress");
    assert_eq!(doc["rolloutState"], "IN_PROGRESS");
    assert!(doc["diagnosis"].is_null());
}

#[test]
fn an_unknown_service_is_an_error_with_1() {
    let moto = Moto::start();
    let out = watch(&moto, "text", None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("ecs-doctor: error: cannot follow prod/api:"),
        "{stderr}"
    );
    // The cluster does not exist: the API-error rules say so, and what to do.
    assert!(stderr.contains("(api-error.cluster-not-found)"), "{stderr}");
    assert!(stderr.contains("aws ecs list-clusters"), "{stderr}");
}
