//! The `ecs-doctor` binary without any AWS account: what an installed CLI prints on its own.

use std::process::Command;

use ecs_doctor::diagnose::catalog;
use serde_json::Value;

fn ecs_doctor(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ecs-doctor"))
        .env_clear()
        .args(args)
        .output()
        .expect("run ecs-doctor")
}

#[test]
fn version_names_the_release_and_the_catalog_size() {
    let out = ecs_doctor(&["--version"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.trim(),
        format!(
            "ecs-doctor {} ({} rules in the catalog)",
            env!("CARGO_PKG_VERSION"),
            // Every rule `ecs-doctor rules` lists, `unknown` included.
            catalog::all_rules().count()
        )
    );
    assert!(catalog::rules().len() > 100, "the catalog shrank: {text}");
}

#[test]
fn sns_preview_without_configuration_shows_a_placeholder_topic_and_the_default_routing() {
    let event = concat!(env!("CARGO_MANIFEST_DIR"), "/events/task-api-image-access-denied.json");
    let out = ecs_doctor(&["explain", event, "--format", "sns"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let preview: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(preview["TopicArn"], "arn:aws:sns:REGION:ACCOUNT:TOPIC");
    assert!(
        preview["MessageAttributes"]["rule_id"]["StringValue"].is_string(),
        "{preview}"
    );

    // The function's own settings, as flags: a bad ARN is refused the way the Lambda refuses it.
    let out = ecs_doctor(&["explain", event, "--format", "sns", "--topic-arn", "alerts"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("TOPIC_ARN"), "{err}");
}

/// `ecs-doctor … | head`: a reader that goes away ends the output quietly, with the command's
/// own exit code, not a panic about a broken pipe. The catalog as JSON (hundreds of KB) is more
/// than a pipe holds, so the write after the reader left is sure to fail.
#[test]
fn output_to_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;

    let mut child = Command::new(env!("CARGO_BIN_EXE_ecs-doctor"))
        .env_clear()
        .args(["rules", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ecs-doctor");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).expect("the output starts");
    drop(stdout);
    let out = child.wait_with_output().expect("ecs-doctor ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status.code());
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
}

/// The credentials of the example, in every format `explain` has: in the evidence,
/// in "Why", in the raw incident of the machine JSON and in every SNS body.
#[test]
fn explain_text_prints_no_credential_in_any_format() {
    let reason =
        "CannotStartContainerError: pull https://deploy:hunter2@registry.example.com/v2/ key AKIAIOSFODNN7EXAMPLE";
    for format in ["text", "email", "json", "chat", "sns", "sms"] {
        for lang in ["en", "ja"] {
            let out = ecs_doctor(&["explain", "--text", reason, "--format", format, "--lang", lang]);
            assert!(
                out.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for secret in ["hunter2", "AKIAIOSFODNN7EXAMPLE"] {
                assert!(!all.contains(secret), "{format}/{lang} shows {secret}:\n{all}");
            }
            // Where the reason is quoted, it says what it hid (the SMS line quotes only the title).
            if format != "sms" {
                assert!(all.contains("[REDACTED]"), "{format}/{lang} says what it hid:\n{all}");
            }
        }
    }
}
