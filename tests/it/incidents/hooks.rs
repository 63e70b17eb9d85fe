//! The hooks of a blue/green deployment through the real handler against moto, with the ledger:
//! a pause awaiting approval goes out as a warning with the two commands, in the service's
//! incident thread; a hook that succeeded says nothing; a hook that timed out joins the thread.

use crate::support::deps::moto_tasks;
use crate::support::{create_ledger, drain_queue, sample_event, topic_with_queue, Moto};
use ecs_doctor::aws::{DynamoLedger, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use serde_json::Value;

const DEPLOYMENT: &str = "arn:aws:ecs:us-east-1:123456789012:service-deployment/prod/api/Tz3dVbcjS8yaeWtwbJ1GP";

fn body(envelope: &Value) -> Value {
    serde_json::from_str(envelope["Message"].as_str().unwrap_or_default()).expect("the sqs body is JSON")
}

#[tokio::test]
async fn a_pause_asks_for_approval_with_both_commands_in_the_incident_thread() {
    for lang in ["en", "ja"] {
        // GIVEN the pipeline with the ledger, and the pause events of one deployment
        let moto = Moto::start();
        let sdk = moto.sdk_config().await;
        create_ledger(&sdk, "ledger").await;
        let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;
        let config = Config::from_lookup(|name| match name {
            "TOPIC_ARN" => Some(topic_arn.clone()),
            "LANGUAGE" => Some(lang.to_string()),
            _ => None,
        })
        .expect("config");
        let deps = Deps::new(
            moto_tasks(&sdk),
            SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
            config,
        )
        .with_ledger(DynamoLedger::new(aws_sdk_dynamodb::Client::new(&sdk), "ledger", 900).with_incidents(1800));
        let sqs = aws_sdk_sqs::Client::new(&sdk);
        let awaiting = sample_event("hook-api-pause-awaiting-action.json");
        let mut succeeded = awaiting.clone();
        succeeded["id"] = "1d0e6c1a-0000-4000-8000-00000000aaaa".into();
        succeeded["detail"]["eventName"] = "HOOK_SUCCEEDED".into();

        // WHEN the pause awaits action
        let outcome = handle(&deps, awaiting).await.expect("handled");

        // THEN one warning goes out: the stage, the hook id, the expiry and both commands
        assert!(
            matches!(&outcome, Outcome::Published { rule_id, severity, .. } if *rule_id == "deployment.hook-awaiting-action" && *severity == "warning"),
            "{outcome:?}"
        );
        let messages = drain_queue(&sqs, &queue_url).await;
        assert_eq!(messages.len(), 1);
        let structure = body(&messages[0]);
        let text = structure.to_string();
        for needle in [
            "POST_TEST_TRAFFIC_SHIFT",
            "ecs-pause-7e0c1d2b9a",
            "2026-03-06T10:15:00",
            &format!("aws ecs continue-service-deployment --service-deployment-arn {DEPLOYMENT} --hook-id ecs-pause-7e0c1d2b9a --action CONTINUE"),
            &format!("aws ecs continue-service-deployment --service-deployment-arn {DEPLOYMENT} --hook-id ecs-pause-7e0c1d2b9a --action ROLLBACK"),
        ] {
            assert!(text.contains(needle), "{lang}: the message lacks {needle}: {text}");
        }
        assert_eq!(structure["summary"]["category"], "deployment-hook");
        let thread = messages[0]["MessageAttributes"]["incident_id"]["Value"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            thread.starts_with("prod/api/"),
            "{lang}: in the service's incident: {messages:?}"
        );

        // AND a hook that succeeded publishes nothing
        let outcome = handle(&deps, succeeded).await.expect("handled");
        assert!(matches!(outcome, Outcome::Skipped { .. }), "{outcome:?}");
        assert!(drain_queue(&sqs, &queue_url).await.is_empty());

        // AND the same pause's timeout is an error in the same incident thread
        let outcome = handle(&deps, sample_event("hook-api-pause-timed-out.json"))
            .await
            .expect("handled");
        assert!(
            matches!(&outcome, Outcome::Published { rule_id, severity, .. } if *rule_id == "deployment.hook-event-timed-out" && *severity == "error"),
            "{outcome:?}"
        );
        let messages = drain_queue(&sqs, &queue_url).await;
        assert_eq!(messages.len(), 1);
        assert_eq!(
            messages[0]["MessageAttributes"]["incident_id"]["Value"],
            thread.as_str()
        );
    }
}

#[test]
fn the_chat_notification_carries_what_the_approval_buttons_read() {
    // The template's "Continue" / "Roll back" custom actions read these two variables.
    let bytes = serde_json::to_vec(&sample_event("hook-api-pause-awaiting-action.json")).expect("bytes");
    let incident = ecs_doctor::event::decode(&bytes).expect("decodes").remove(0);
    let report = ecs_doctor::report::Report::from(ecs_doctor::diagnose::diagnose(
        &incident,
        ecs_doctor::diagnose::Lang::En,
    ));
    let chat = ecs_doctor::render::chat(&incident, &report);
    let context = &chat["metadata"]["additionalContext"];
    assert_eq!(context["hookId"], "ecs-pause-7e0c1d2b9a", "{chat}");
    assert_eq!(context["serviceDeploymentArn"], DEPLOYMENT, "{chat}");
    assert_eq!(context["lifecycleStage"], "POST_TEST_TRAFFIC_SHIFT", "{chat}");
    let template = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/template.yaml")).expect("template");
    for variable in [
        "event.metadata.additionalContext.hookId",
        "event.metadata.additionalContext.serviceDeploymentArn",
    ] {
        assert!(template.contains(variable), "template.yaml binds {variable}");
    }
}
