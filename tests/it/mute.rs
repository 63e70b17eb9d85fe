//! Mutes end to end against moto: `ecs-doctor mute add|list|remove` writes the SSM parameter
//! and the pipeline reads it (matching incidents are skipped; a parameter that does not parse
//! mutes nothing).

use crate::org::{config, deps, event, task_in};
use crate::support::{drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};
use ecs_doctor::aws::mutes::SsmMutes;
use ecs_doctor::pipeline::{handle, Outcome};

#[tokio::test]
async fn mutes_in_ssm_silence_matching_incidents_and_fail_open() {
    // GIVEN a task, a topic, and the CLI pointed at moto
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let task = task_in(&sdk, 512, &[("team", "payments")]).await;
    let (topic, queue) = topic_with_queue(&sdk, "alerts").await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let ssm = aws_sdk_ssm::Client::new(&sdk);
    let parameter = "/ecs-doctor/mutes";
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-doctor"))
            .args(args)
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", REGION)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .output()
            .expect("run the CLI");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let fresh_deps = || {
        deps(
            &sdk,
            config(vec![
                ("TOPIC_ARN", topic.clone()),
                ("MUTE_PARAMETER_NAME", parameter.to_string()),
            ]),
            SsmMutes::new(ssm.clone(), parameter),
        )
    };

    // WHEN a mute for the team is added with the CLI
    let (ok, out, err) = cli(&[
        "mute",
        "add",
        "--team",
        "payments",
        "--for",
        "2h",
        "--reason",
        "registry migration",
        "--parameter",
        parameter,
    ]);
    assert!(ok, "{out}{err}");
    let (ok, listed, err) = cli(&["mute", "list", "--parameter", parameter]);
    assert!(
        ok && listed.contains("team=payments") && listed.contains("registry migration"),
        "{listed}{err}"
    );
    let id = listed.split('\t').next().expect("id").to_string();

    // THEN the incident is skipped as muted, and nothing is published
    let outcome = handle(&fresh_deps(), event(ACCOUNT, &task, "web"))
        .await
        .expect("handled");
    match &outcome {
        Outcome::Skipped { reason } => assert!(reason.starts_with("muted: registry migration"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(drain_queue(&sqs, &queue).await.is_empty());

    // WHEN the mute is removed with the CLI, the next incident is published
    let (ok, out, err) = cli(&["mute", "remove", &id, "--parameter", parameter]);
    assert!(ok, "{out}{err}");
    let (_, listed, _) = cli(&["mute", "list", "--parameter", parameter]);
    assert!(listed.contains("no mute rules"), "{listed}");
    let outcome = handle(&fresh_deps(), event(ACCOUNT, &task, "web"))
        .await
        .expect("handled");
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    assert_eq!(drain_queue(&sqs, &queue).await.len(), 1);

    // WHEN the parameter is malformed, nothing is muted (fail open), and the CLI refuses to
    // overwrite what it cannot read
    ssm.put_parameter()
        .name(parameter)
        .value(r#"{"rules": [{"team": "payments", "expires": "soon", "reason": "typo"}]}"#)
        .r#type(aws_sdk_ssm::types::ParameterType::String)
        .overwrite(true)
        .send()
        .await
        .expect("put");
    let outcome = handle(&fresh_deps(), event(ACCOUNT, &task, "web"))
        .await
        .expect("handled");
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    assert_eq!(drain_queue(&sqs, &queue).await.len(), 1);
    let (ok, _, err) = cli(&[
        "mute",
        "add",
        "--cluster",
        "prod",
        "--for",
        "1h",
        "--reason",
        "x",
        "--parameter",
        parameter,
    ]);
    assert!(!ok && err.contains("RFC 3339"), "{err}");

    // AND an expired mute is ignored
    ssm.put_parameter()
        .name(parameter)
        .value(r#"{"rules": [{"team": "payments", "expires": "2020-01-01T00:00:00Z", "reason": "old"}]}"#)
        .r#type(aws_sdk_ssm::types::ParameterType::String)
        .overwrite(true)
        .send()
        .await
        .expect("put");
    let outcome = handle(&fresh_deps(), event(ACCOUNT, &task, "web"))
        .await
        .expect("handled");
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
}
