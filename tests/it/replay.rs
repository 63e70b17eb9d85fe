//! `ecs-doctor replay` against moto's SQS: every dead-letter format the stack produces, a
//! second run that publishes and deletes only what was handled, and the CLI end to end.

use std::process::Command;

use crate::support::{create_ledger, drain_queue, sample_event, topic_with_queue, Moto, ACCOUNT, REGION};
use aws_sdk_sqs::types::MessageAttributeValue;
use ecs_doctor::aws::{DynamoLedger, EcsTasks, SnsPublisher, SqsDeadLetterQueue};
use ecs_doctor::cli::replay::{replay, summarize, Action, Entry, Options, Origin, Verdict};
use ecs_doctor::config::Config;
use ecs_doctor::diagnose::Lang;
use ecs_doctor::pipeline::Deps;
use ecs_doctor::verify::NoVerifier;
use serde_json::json;

type Pipeline = Deps<EcsTasks, SnsPublisher, Option<DynamoLedger>>;

const RULE_ARN: &str = "arn:aws:events:us-east-1:123456789012:rule/ecs-doctor-TaskStopped";

fn pipeline(sdk: &aws_config::SdkConfig, topic_arn: &str) -> Pipeline {
    let config = Config::from_lookup(|name| match name {
        "TOPIC_ARN" => Some(topic_arn.to_string()),
        "LOG_TAIL_LINES" => Some("0".into()),
        "DEDUP_TABLE" => Some("ledger".into()),
        _ => None,
    })
    .expect("config");
    let ledger = DynamoLedger::new(aws_sdk_dynamodb::Client::new(sdk), "ledger", 0);
    crate::support::deps::moto_deps(sdk, config).with_ledger(Some(ledger))
}

fn string(value: &str) -> MessageAttributeValue {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .expect("attribute")
}

fn number(value: &str) -> MessageAttributeValue {
    MessageAttributeValue::builder()
        .data_type("Number")
        .string_value(value)
        .build()
        .expect("attribute")
}

async fn send(sqs: &aws_sdk_sqs::Client, queue_url: &str, body: &str, attributes: &[(&str, MessageAttributeValue)]) {
    let mut request = sqs.send_message().queue_url(queue_url).message_body(body);
    for (name, value) in attributes {
        request = request.message_attributes(*name, value.clone());
    }
    request.send().await.expect("send to the DLQ");
}

/// What the stack's DLQ holds after a bad day: one message of each format.
async fn fill_dead_letter_queue(sqs: &aws_sdk_sqs::Client, dlq: &str) {
    let oom = sample_event("task-api-oom.json");
    let placement = sample_event("service-api-ec2-placement-failure-cpu.json");
    let user_stop = sample_event("task-web-user-stopped.json");
    // 1. EventBridge could not invoke the function (throttled): the body is the event.
    send(
        sqs,
        dlq,
        &oom.to_string(),
        &[
            ("ERROR_CODE", string("SDK_CLIENT_ERROR")),
            (
                "ERROR_MESSAGE",
                string("Unable to invoke Lambda function: Rate Exceeded."),
            ),
            ("EXHAUSTED_RETRY_CONDITION", string("MaximumRetryAttempts")),
            ("RETRY_ATTEMPTS", string("8")),
            ("RULE_ARN", string(RULE_ARN)),
            (
                "TARGET_ARN",
                string(&format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:ecs-doctor")),
            ),
        ],
    )
    .await;
    // 2. The function's on-failure destination: a JSON record around the event.
    let record = json!({
        "version": "1.0",
        "timestamp": "2026-11-27T12:00:05.000Z",
        "requestContext": {
            "requestId": "5b0c5ad4-2f43-4e1e-9f0e-9d1f1c2a7e11",
            "functionArn": format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:ecs-doctor:$LATEST"),
            "condition": "RetriesExhausted",
            "approximateInvokeCount": 3
        },
        "requestPayload": placement,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorType": "EcsDoctor.PublishError", "errorMessage": "cannot publish diagnosis to SNS: SNS request failed: timeout"}
    });
    send(sqs, dlq, &record.to_string(), &[]).await;
    // 3. A function DLQ (DeadLetterConfig) message: the event with RequestID/ErrorCode/ErrorMessage.
    send(
        sqs,
        dlq,
        &user_stop.to_string(),
        &[
            ("RequestID", string("0e7c3b4e-8a51-4d55-9d0a-3f2b8c6d1a22")),
            ("ErrorCode", number("200")),
            ("ErrorMessage", string("cannot publish diagnosis to SNS: throttled")),
        ],
    )
    .await;
    // 4. The same OOM event again, through the function's DLQ: a duplicate of message 1.
    send(
        sqs,
        dlq,
        &oom.to_string(),
        &[
            ("RequestID", string("9a1d7e55-0b6c-4f3e-8c2d-71e0a4b5c633")),
            ("ErrorCode", number("200")),
            ("ErrorMessage", string("cannot publish diagnosis to SNS: throttled")),
        ],
    )
    .await;
    // 5. Not JSON at all (a poison message), with EventBridge's attributes.
    send(
        sqs,
        dlq,
        "{\"detail-type\": \"ECS Task State Change\", truncated",
        &[
            ("ERROR_CODE", string("SDK_CLIENT_ERROR")),
            ("ERROR_MESSAGE", string("payload too large")),
            ("RULE_ARN", string(RULE_ARN)),
        ],
    )
    .await;
    // 6. An ECS event the function already refused: a stopped task without its taskArn.
    let mut broken = sample_event("task-api-exit-137.json");
    if let Some(detail) = broken["detail"].as_object_mut() {
        detail.remove("taskArn");
    }
    send(
        sqs,
        dlq,
        &broken.to_string(),
        &[
            ("ERROR_CODE", string("SDK_CLIENT_ERROR")),
            ("RULE_ARN", string(RULE_ARN)),
        ],
    )
    .await;
}

fn by_origin(entries: &[Entry], pick: impl Fn(&Origin) -> bool) -> Vec<&Entry> {
    entries.iter().filter(|e| pick(&e.origin)).collect()
}

/// Messages now visible in the queue (read, then handed back).
async fn visible(sqs: &aws_sdk_sqs::Client, queue_url: &str) -> usize {
    let queue = SqsDeadLetterQueue::new(sqs.clone(), queue_url).with_wait_seconds(0);
    let entries =
        replay::<_, EcsTasks, SnsPublisher, Option<DynamoLedger>, NoVerifier, ecs_doctor::aws::mutes::NoMutes>(
            &queue,
            None,
            Options {
                publish: false,
                delete: false,
                lang: Lang::En,
                max_messages: 100,
            },
        )
        .await
        .expect("read the queue");
    entries.len()
}

#[tokio::test]
async fn replay_reads_every_format_and_deletes_only_what_was_handled() {
    // GIVEN moto with a topic (and its subscribed queue), a ledger, and a DLQ holding six
    // messages in the three formats, one duplicate, one poison message and one broken event
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    create_ledger(&sdk, "ledger").await;
    let (topic_arn, alerts) = topic_with_queue(&sdk, "alerts").await;
    let dlq = sqs
        .create_queue()
        .queue_name("ecs-doctor-dlq")
        .send()
        .await
        .expect("create dlq")
        .queue_url()
        .expect("url")
        .to_string();
    fill_dead_letter_queue(&sqs, &dlq).await;
    let queue = SqsDeadLetterQueue::new(sqs.clone(), &dlq).with_wait_seconds(0);

    // WHEN it is read without --publish
    let looked =
        replay::<_, EcsTasks, SnsPublisher, Option<DynamoLedger>, NoVerifier, ecs_doctor::aws::mutes::NoMutes>(
            &queue,
            None,
            Options {
                publish: false,
                delete: false,
                lang: Lang::En,
                max_messages: 100,
            },
        )
        .await
        .expect("replay");

    // THEN every message is explained from its event, nothing is published or deleted
    assert_eq!(looked.len(), 6);
    let s = summarize(&looked);
    assert_eq!(
        (s.diagnosed, s.undecodable, s.published, s.deleted, s.kept),
        (4, 2, 0, 0, 6)
    );
    let eventbridge = by_origin(&looked, |o| matches!(o, Origin::EventBridge { .. }));
    assert_eq!(eventbridge.len(), 3);
    assert!(eventbridge.iter().any(|e| matches!(&e.origin,
        Origin::EventBridge { rule_arn: Some(r), error_code: Some(c), retry_attempts: Some(n), .. }
            if r == RULE_ARN && c == "SDK_CLIENT_ERROR" && n == "8")));
    let oom = eventbridge
        .iter()
        .find(|e| matches!(&e.verdict, Verdict::Diagnosed(_)))
        .expect("the OOM event");
    let Verdict::Diagnosed(lines) = &oom.verdict else {
        unreachable!()
    };
    assert!(lines[0].to_lowercase().contains("memory"), "{lines:?}");
    let destination = by_origin(&looked, |o| matches!(o, Origin::LambdaDestination { .. }));
    assert_eq!(destination.len(), 1);
    assert!(matches!(&destination[0].origin,
        Origin::LambdaDestination { condition: Some(c), error_type: Some(t), .. }
            if c == "RetriesExhausted" && t == "EcsDoctor.PublishError"));
    assert!(matches!(&destination[0].verdict, Verdict::Diagnosed(_)));
    let function_dlq = by_origin(&looked, |o| matches!(o, Origin::LambdaDlq { .. }));
    assert_eq!(function_dlq.len(), 2);
    assert!(function_dlq.iter().all(|e| matches!(&e.origin,
        Origin::LambdaDlq { error_code: Some(c), request_id: Some(_), .. } if c == "200")));
    let undecodable: Vec<&String> = looked
        .iter()
        .filter_map(|e| match &e.verdict {
            Verdict::Undecodable(why) => Some(why),
            _ => None,
        })
        .collect();
    assert!(undecodable.iter().any(|w| w.contains("not JSON")), "{undecodable:?}");
    assert!(undecodable.iter().any(|w| w.contains("taskArn")), "{undecodable:?}");
    assert_eq!(
        visible(&sqs, &dlq).await,
        6,
        "a look must leave every message in the queue"
    );

    // WHEN SNS is unreachable (a topic that does not exist) and it runs with --publish --delete
    let broken = pipeline(&sdk, &format!("arn:aws:sns:{REGION}:{ACCOUNT}:no-such-topic"));
    let failed = replay(
        &queue,
        Some(&broken),
        Options {
            publish: true,
            delete: true,
            lang: Lang::En,
            max_messages: 100,
        },
    )
    .await
    .expect("replay");

    // THEN the events that fail again stay, and so does everything else not handled
    let s = summarize(&failed);
    assert_eq!(s.messages, 6);
    assert!(s.failed >= 2, "{s:?}");
    assert!(failed
        .iter()
        .filter(|e| matches!(e.action, Some(Action::Failed { .. })))
        .all(|e| !e.deleted));
    assert_eq!(s.published, 0);
    // Only the user-initiated stop (skipped on purpose by the policy) was handled.
    assert_eq!(s.skipped, 1, "{failed:#?}");
    assert_eq!(s.deleted, 1);
    assert_eq!(visible(&sqs, &dlq).await, 5);

    // WHEN SNS is back and it runs again
    let healthy = pipeline(&sdk, &topic_arn);
    let replayed = replay(
        &queue,
        Some(&healthy),
        Options {
            publish: true,
            delete: true,
            lang: Lang::Ja,
            max_messages: 100,
        },
    )
    .await
    .expect("replay");

    // THEN the OOM task and the placement failure are published once each (the duplicate is
    // skipped by the ledger), those are deleted, and the two undecodable messages remain
    let s = summarize(&replayed);
    assert_eq!(s.messages, 5);
    assert_eq!((s.published, s.skipped, s.failed), (2, 1, 0), "{replayed:#?}");
    assert_eq!((s.deleted, s.kept), (3, 2));
    assert!(replayed.iter().any(|e| matches!(&e.action,
        Some(Action::Skipped { reason }) if reason.contains("duplicate"))));
    assert!(replayed
        .iter()
        .filter(|e| matches!(e.verdict, Verdict::Undecodable(_)))
        .all(|e| !e.deleted && e.action.is_none()));
    let delivered = drain_queue(&sqs, &alerts).await;
    assert_eq!(
        delivered.len(),
        2,
        "the topic's queue must hold exactly the published messages"
    );
    assert_eq!(visible(&sqs, &dlq).await, 2);
}

#[tokio::test]
async fn replay_command_prints_each_message_and_keeps_the_failures() {
    // GIVEN a DLQ with one EventBridge message and one undecodable message
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let (topic_arn, alerts) = topic_with_queue(&sdk, "alerts").await;
    let dlq = sqs
        .create_queue()
        .queue_name("dlq")
        .send()
        .await
        .expect("create dlq")
        .queue_url()
        .expect("url")
        .to_string();
    send(
        &sqs,
        &dlq,
        &sample_event("task-payments-secrets-access-denied.json").to_string(),
        &[
            ("ERROR_CODE", string("SDK_CLIENT_ERROR")),
            ("ERROR_MESSAGE", string("Rate Exceeded.")),
            ("RULE_ARN", string(RULE_ARN)),
        ],
    )
    .await;
    send(&sqs, &dlq, "garbage", &[("RequestID", string("r-9"))]).await;

    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_ecs-doctor"))
            .arg("replay")
            .args(["--queue", &dlq])
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("AWS_ENDPOINT_URL", &moto.endpoint)
            .env("AWS_REGION", REGION)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("LOG_TAIL_LINES", "0")
            .output()
            .expect("run ecs-doctor replay");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    // WHEN --delete is asked for without --publish, THEN clap refuses
    let (ok, _, err) = run(&["--delete"]);
    assert!(!ok);
    assert!(err.contains("--publish"), "{err}");

    // WHEN --publish has no topic, THEN it fails before touching the queue
    let (ok, _, err) = run(&["--publish"]);
    assert!(!ok);
    assert!(err.contains("TOPIC_ARN"), "{err}");

    // WHEN it publishes and deletes
    let (ok, out, err) = run(&["--publish", "--delete", "--topic-arn", &topic_arn]);

    // THEN the output explains both messages and the counts add up
    assert!(ok, "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("EventBridge could not deliver it"), "{out}");
    assert!(out.contains(RULE_ARN), "{out}");
    assert!(out.contains("published: "), "{out}");
    assert!(out.contains("cannot be decoded: the message body is not JSON"), "{out}");
    assert!(out.contains("2 message(s): 1 diagnosed, 0 with nothing to diagnose, 1 cannot be decoded; published 1, skipped 0, failed again 0; deleted 1, kept 1."), "{out}");
    assert_eq!(drain_queue(&sqs, &alerts).await.len(), 1);
    // AND the pipeline's metric lines (EMF) went to stderr, not into the report on stdout
    assert!(!out.contains("\"_aws\""), "metrics on stdout:\n{out}");
    assert!(err.contains("\"_aws\""), "no metric line on stderr:\n{err}");

    // AND a second look in Japanese finds only the undecodable message
    let (ok, out, _) = run(&["--lang", "ja"]);
    assert!(ok);
    assert!(out.contains("読み取れません"), "{out}");
    assert!(out.contains("メッセージ 1 件"), "{out}");
}
