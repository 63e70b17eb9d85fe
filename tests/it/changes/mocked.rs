//! "What changed": `cloudtrail:LookupEvents`, which moto does not emulate, with mocked clients
//! (canned answers, tests/it/support/mock.rs): parsing of the `CloudTrailEvent` record, the write-event filter,
//! throttling, AccessDenied, the per-invocation call limit and the warm cache.

use crate::support::mock::{mock, mock_client, RuleMode};
use aws_sdk_cloudtrail::operation::lookup_events::{LookupEventsError, LookupEventsOutput};
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::Event;
use aws_sdk_cloudtrail::Client as TrailClient;
use aws_smithy_types::error::ErrorMetadata;
use ecs_doctor::aws::changes::{recent_events, MAX_LOOKUPS};
use ecs_doctor::changes::ChangeKind;
use ecs_doctor::diagnose::Lang;
use serde_json::json;

const NOW: i64 = 1_795_000_000;
const PLANTED: &str = "planted-value-cloudtrail-7f3a";

fn record(name: &str, read_only: bool, params: serde_json::Value) -> String {
    json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "principalId": "AROA1:bob",
                          "arn": "arn:aws:sts::123456789012:assumed-role/deployer/bob"},
        "eventTime": "2026-11-18T08:10:00Z",
        "eventSource": "secretsmanager.amazonaws.com",
        "eventName": name,
        "readOnly": read_only,
        "requestParameters": params,
    })
    .to_string()
}

fn event(name: &str, read_only: bool, params: serde_json::Value) -> Event {
    Event::builder()
        .event_name(name)
        .event_time(DateTime::from_secs(NOW - 600))
        .username("bob")
        .cloud_trail_event(record(name, read_only, params))
        .build()
}

fn error(code: &str) -> LookupEventsError {
    LookupEventsError::generic(ErrorMetadata::builder().code(code).message("no").build())
}

#[tokio::test]
async fn write_events_are_kept_with_who_when_and_what_and_reads_are_dropped() {
    let rule = mock!(TrailClient::lookup_events).then_output(|| {
        LookupEventsOutput::builder()
            .events(event("DescribeSecret", true, json!({"secretId": "prod/db"})))
            .events(event("GetSecretValue", true, json!({"secretId": "prod/db"})))
            .events(event(
                "PutSecretValue",
                false,
                json!({"secretId": "prod/db", "secretString": PLANTED, "clientRequestToken": "t"}),
            ))
            .events(event(
                "DeleteSecret",
                false,
                json!({"secretId": "prod/db", "recoveryWindowInDays": 7}),
            ))
            .build()
    });
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&rule]);
    let (changes, notes) = recent_events(&client, "parse", &["prod/db".to_string()], NOW, Lang::En).await;
    assert!(notes.is_empty(), "{notes:?}");
    let names: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(names, ["PutSecretValue", "DeleteSecret"]);
    let delete = &changes[1];
    assert_eq!(delete.kind, ChangeKind::Resource);
    assert_eq!(delete.resource, "prod/db");
    assert_eq!(delete.at.as_deref(), Some("2026-11-18T08:10:00Z"));
    assert_eq!(
        delete.by.as_deref(),
        Some("arn:aws:sts::123456789012:assumed-role/deployer/bob")
    );
    assert_eq!(
        delete.after.as_deref(),
        Some("recoveryWindowInDays=7, secretId=prod/db")
    );
    assert_eq!(changes[0].after.as_deref(), Some("secretId=prod/db"));
    assert!(!format!("{changes:?}").contains(PLANTED));
    assert_eq!(rule.num_calls(), 1);

    // Warm: the same resource within the cache's lifetime costs no call.
    let (again, _) = recent_events(&client, "parse", &["prod/db".to_string()], NOW, Lang::En).await;
    assert_eq!(again, changes);
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn at_most_a_few_lookups_per_invocation() {
    let rule = mock!(TrailClient::lookup_events).then_output(|| LookupEventsOutput::builder().build());
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&rule]);
    let resources: Vec<String> = ["a", "b", "c", "d"].iter().map(|r| format!("limit-{r}")).collect();
    let (changes, notes) = recent_events(&client, "limit", &resources, NOW, Lang::En).await;
    assert!(changes.is_empty() && notes.is_empty());
    assert_eq!(rule.num_calls(), MAX_LOOKUPS);
}

#[tokio::test]
async fn throttling_is_a_note_and_is_not_retried() {
    let rule = mock!(TrailClient::lookup_events).then_error(|| error("ThrottlingException"));
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&rule]);
    let (changes, notes) = recent_events(&client, "throttle", &["sg-0abc".to_string()], NOW, Lang::En).await;
    assert!(changes.is_empty());
    assert_eq!(
        notes,
        ["Could not check recent changes of `sg-0abc` in CloudTrail: `cloudtrail:LookupEvents` was throttled."]
    );
    assert_eq!(rule.num_calls(), 1, "a throttled lookup is not retried");

    // A failure is not cached: the next invocation asks again.
    let (_, again) = recent_events(&client, "throttle", &["sg-0abc".to_string()], NOW, Lang::Ja).await;
    assert_eq!(rule.num_calls(), 2);
    assert!(again[0].contains("スロットリング"), "{again:?}");
}

#[tokio::test]
async fn access_denied_is_a_note_naming_the_permission() {
    let rule = mock!(TrailClient::lookup_events).then_error(|| error("AccessDeniedException"));
    let client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, [&rule]);
    let (changes, notes) = recent_events(
        &client,
        "denied",
        &["ecsTaskExecutionRole".to_string(), "/ecs/api".to_string()],
        NOW,
        Lang::En,
    )
    .await;
    assert!(changes.is_empty());
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(
        notes[0],
        "Could not check recent changes of `ecsTaskExecutionRole` in CloudTrail: this function is not allowed `cloudtrail:LookupEvents`."
    );
}
