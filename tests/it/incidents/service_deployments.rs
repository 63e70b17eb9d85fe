//! A blue/green deployment rolled back by its lifecycle hook, with no task stopped: the only
//! record of why is the service deployment (`ecs:ListServiceDeployments` and
//! `ecs:DescribeServiceDeployments`, which moto 5.2.5 does not implement: the harness's proxy
//! answers those two, everything else is moto's). `explain --enrich` and the Lambda's pipeline
//! both read it through the root-cause stage and explain the hook, not "go list the stopped tasks".

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ecs::config::Credentials;
use ecs_doctor::aws::{DynamoLedger, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::{json, Value};

use crate::support::deps::moto_tasks;
use crate::support::proxy::{Fault, Proxy};
use crate::support::{api_service, cli_command, create_ledger, drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};

const DEPLOYMENT_ARN: &str = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/api/Tz3dVbcjS8yaeWtwbJ1GP";
const HOOK: &str = "arn:aws:lambda:us-east-1:123456789012:function:smoke-test";

fn status_reason() -> String {
    format!("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. Lifecycle hook target {HOOK} returned FAILED status.")
}

/// moto with cluster `prod` and service `api` (no task at all), and the proxy answering the
/// service-deployment reads with one rolled-back blue/green deployment.
async fn scene() -> (Moto, Proxy) {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    api_service(&ecs, &["123456789012.dkr.ecr.us-east-1.amazonaws.com/api:3.1.0"]).await;
    let proxy = Proxy::start(&moto.endpoint);
    // ListServiceDeployments answers the brief form, DescribeServiceDeployments the whole record.
    let brief = json!({
        "serviceDeploymentArn": DEPLOYMENT_ARN,
        "serviceArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/api"),
        "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"),
        "status": "ROLLBACK_SUCCESSFUL",
        "statusReason": status_reason(),
        "createdAt": 1_772_700_000.0
    });
    let mut record = brief.clone();
    record["lifecycleStage"] = json!("TEST_TRAFFIC_SHIFT");
    record["rollback"] = json!({"reason": status_reason(), "startedAt": 1_772_700_300.0});
    record["targetServiceRevision"] =
        json!({"arn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service-revision/prod/api/2")});
    let listed = json!({"serviceDeployments": [brief]}).to_string();
    let described = json!({"serviceDeployments": [record], "failures": []}).to_string();
    proxy.set_rule(move |request| {
        if request.is("ListServiceDeployments") {
            Fault::Answer(listed.clone())
        } else if request.is("DescribeServiceDeployments") {
            Fault::Answer(described.clone())
        } else {
            Fault::Forward
        }
    });
    (moto, proxy)
}

fn failed_event() -> Value {
    json!({
        "version": "0",
        "id": "3f1d6a2e-8b4c-4e7a-9d05-2c6b1e0f9a33",
        "detail-type": "ECS Deployment State Change",
        "source": "aws.ecs",
        "account": ACCOUNT,
        "time": "2026-03-05T10:20:00Z",
        "region": REGION,
        "resources": [format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/prod/api")],
        "detail": {
            "eventType": "ERROR",
            "eventName": "SERVICE_DEPLOYMENT_FAILED",
            "deploymentId": "ecs-svc/4455667788990011223",
            "updatedAt": "2026-03-05T10:20:00Z",
            "reason": "Service deployment failed."
        }
    })
}

async fn sdk_at(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .load()
        .await
}

#[tokio::test]
async fn explain_enrich_names_the_hook_and_the_stage_of_a_rollback_that_stopped_no_task() {
    // GIVEN the failed deployment's event, and an account whose record says its hook failed
    let (moto, proxy) = scene().await;
    let dir = std::env::temp_dir().join(format!("ecs-doctor-bg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("deployment-failed.json");
    std::fs::write(&path, failed_event().to_string()).expect("write the event");

    for lang in ["en", "ja"] {
        // WHEN explain reads the account
        let output = cli_command(
            &moto,
            &[
                "explain",
                path.to_str().unwrap_or_default(),
                "--enrich",
                "--format",
                "json",
                "--lang",
                lang,
            ],
        )
        .env("AWS_ENDPOINT_URL", &proxy.endpoint)
        .output()
        .expect("run ecs-doctor");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");

        // THEN the hook is the cause: its category, its stage and its function
        assert_eq!(report["summary"]["category"], "deployment-hook", "{report}");
        assert_eq!(
            report["summary"]["ruleId"], "deployment.hook-returned-failed",
            "{report}"
        );
        let text = report["findings"][0].to_string();
        assert!(
            text.contains("TEST_TRAFFIC_SHIFT") && text.contains(HOOK),
            "{lang}: {text}"
        );
        // AND the notes say the record is the cause, not that stopped tasks went missing
        let notes = report["notes"].to_string();
        assert!(
            notes.contains(DEPLOYMENT_ARN) && notes.contains("ecs:DescribeServiceDeployments"),
            "{lang}: {notes}"
        );
        assert!(
            !notes.contains("circuit breaker") && !notes.contains("サーキットブレーカー"),
            "{lang}: {notes}"
        );
        assert!(text.contains("ROLLBACK_SUCCESSFUL"), "{lang}: the stage fact: {text}");
    }
    assert!(
        proxy.seen().iter().any(|op| op.ends_with("DescribeServiceDeployments")),
        "{:?}",
        proxy.seen()
    );
}

#[tokio::test]
async fn the_lambda_publishes_the_hook_rollback_once_then_resolves_it() {
    // GIVEN the pipeline with the ledger, its ECS reads through the proxy
    let (moto, proxy) = scene().await;
    let sdk = moto.sdk_config().await;
    create_ledger(&sdk, "ledger").await;
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;
    let config = Config::from_lookup(|name| (name == "TOPIC_ARN").then(|| topic_arn.clone())).expect("config");
    let through_proxy = sdk_at(&proxy.endpoint).await;
    let deps = Deps::new(
        moto_tasks(&through_proxy),
        SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
        config,
    )
    .with_ledger(DynamoLedger::new(aws_sdk_dynamodb::Client::new(&sdk), "ledger", 900).with_incidents(1800));
    let sqs = aws_sdk_sqs::Client::new(&sdk);

    // WHEN the deployment fails, then the service is steady on its old revision
    let failed = handle(&deps, failed_event()).await.expect("handled");
    let mut steady = failed_event();
    steady["id"] = "7a2b9c1d-0000-4000-8000-00000000bbbb".into();
    steady["detail-type"] = "ECS Service Action".into();
    steady["detail"] = json!({"eventType": "INFO", "eventName": "SERVICE_STEADY_STATE",
                              "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod")});
    let resolved = handle(&deps, steady).await.expect("handled");

    // THEN one message names the stage and the hook function, and the next says it is over
    assert!(
        matches!(&failed, Outcome::Published { rule_id, .. } if *rule_id == "deployment.hook-returned-failed"),
        "{failed:?}"
    );
    assert!(matches!(&resolved, Outcome::Published { .. }), "{resolved:?}");
    let messages = drain_queue(&sqs, &queue_url).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    let first = messages[0]["Message"].as_str().unwrap_or_default();
    assert!(first.contains("TEST_TRAFFIC_SHIFT") && first.contains(HOOK), "{first}");
    assert!(
        messages[1]["Subject"]
            .as_str()
            .unwrap_or_default()
            .starts_with("ECS RESOLVED"),
        "{:?}",
        messages[1]
    );
}
