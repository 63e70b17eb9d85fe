use super::*;
use crate::incident::{ContainerDefinition, SecretRef};

const NOW: i64 = 1_795_000_000;

fn iso(epoch: i64) -> String {
    crate::util::time::iso8601_from_epoch(epoch as f64)
}

fn revision(n: i64, tag: &str, memory: i64, secret: &str, group: &str) -> TaskDefinition {
    TaskDefinition {
        arn: format!("arn:aws:ecs:us-east-1:123456789012:task-definition/api:{n}"),
        family: Some("api".into()),
        revision: Some(n),
        memory: Some("2048".into()),
        containers: vec![ContainerDefinition {
            name: "app".into(),
            image: Some(format!(
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:{tag}"
            )),
            memory: Some(memory),
            secrets: vec![SecretRef {
                name: "DB_PASSWORD".into(),
                value_from: secret.into(),
            }],
            log_driver: Some("awslogs".into()),
            log_options: vec![("awslogs-group".into(), group.into())],
            ..ContainerDefinition::default()
        }],
        ..TaskDefinition::default()
    }
}

const OLD_SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
const NEW_SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db2-GhIjKl";

fn pair() -> (TaskDefinition, TaskDefinition) {
    (
        revision(41, "3.2.0", 1024, OLD_SECRET, "/ecs/api"),
        revision(42, "3.2.1", 512, NEW_SECRET, "/ecs/api-v2"),
    )
}

#[test]
fn each_category_leads_with_its_own_difference() {
    let (old, new) = pair();
    let cases = [
        (Category::ImageNotFound, "containers[app].image"),
        (Category::OutOfMemory, "containers[app].memory"),
        (Category::SecretsNotFound, "containers[app].secrets[DB_PASSWORD]"),
        (Category::LoggingSetup, "containers[app].logConfiguration"),
    ];
    for (category, field) in cases {
        let d = diff(&old, &new, category);
        let fields: Vec<String> = d.relevant.iter().map(FieldDiff::path).collect();
        assert_eq!(fields, [field], "{category:?}");
        assert_eq!(d.other.len(), 3, "{category:?}");
    }
    let none = diff(&old, &new, Category::IamRole);
    assert!(none.relevant.is_empty());
    assert_eq!(none.other.len(), 4);
    // When no field speaks to the cause, every difference may be the one.
    let unknown = diff(&old, &new, Category::Unknown);
    assert_eq!(unknown.relevant.len(), 4);
    assert!(unknown.other.is_empty());
}

#[test]
fn the_revision_line_reads_like_the_example() {
    let (mut old, mut new) = pair();
    old.containers[0].memory = Some(1024);
    new.containers[0].memory = Some(512);
    let w = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&old),
            ..Observed::default()
        },
        &[Category::OutOfMemory, Category::ImageNotFound],
        NOW,
        Lang::En,
    );
    assert_eq!(
        w.lines,
        ["`api:41` → `api:42`: memory 1024 → 512 MiB; image tag `3.2.0` → `3.2.1`; 2 other fields changed"]
    );
    assert_eq!(w.headline.as_deref(), Some(w.lines[0].as_str()));
    assert_eq!(w.changes.len(), 2);
    assert_eq!(w.changes[0].field, "containers[app].memory");
    assert_eq!(w.changes[0].before.as_deref(), Some("1024"));
    assert_eq!(w.changes[0].after.as_deref(), Some("512"));
    assert_eq!(w.changes[0].kind, ChangeKind::Revision);
    assert_eq!(w.changes[0].resource, "api:42");

    let ja = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&old),
            ..Observed::default()
        },
        &[Category::OutOfMemory],
        NOW,
        Lang::Ja,
    );
    assert_eq!(
        ja.lines,
        ["`api:41` → `api:42`: メモリ 1024 → 512 MiB、その他 3 項目が変更"]
    );
}

#[test]
fn nothing_relevant_is_said_in_one_line() {
    let (old, new) = pair();
    let w = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&old),
            deployed_at: Some(NOW - 3 * 3600),
            ..Observed::default()
        },
        &[Category::EfsMount],
        NOW,
        Lang::En,
    );
    assert_eq!(
        w.lines,
        ["`api:41` → `api:42`: no relevant change (4 other fields changed; deployed 3 h ago)"]
    );
    assert_eq!(w.headline, None);
    assert!(w.changes.is_empty());

    let same = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&new),
            deployed_at: Some(NOW - 3 * 86_400),
            ..Observed::default()
        },
        &[Category::OutOfMemory],
        NOW,
        Lang::En,
    );
    assert_eq!(
        same.lines,
        ["no change to the task definition since revision 42 (deployed 3 days ago)"]
    );
    let ja = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&old),
            ..Observed::default()
        },
        &[Category::EfsMount],
        NOW,
        Lang::Ja,
    );
    assert_eq!(
        ja.lines,
        ["`api:41` → `api:42`: 関連する変更なし (その他 4 項目が変更)"]
    );
}

#[test]
fn commands_change_by_hash_only() {
    let (old, _) = pair();
    let mut new = old.clone();
    new.revision = Some(42);
    new.containers[0].command_hash = hash_words(&["sh".into(), "-c".into(), "TOKEN=hunter2 run".into()]);
    let d = diff(&old, &new, Category::ContainerCommand);
    assert_eq!(d.relevant.len(), 1);
    assert_eq!(d.relevant[0].before, None);
    assert_eq!(d.relevant[0].after, None);
    let w = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&old),
            ..Observed::default()
        },
        &[Category::ContainerCommand],
        NOW,
        Lang::En,
    );
    assert_eq!(w.lines, ["`api:41` → `api:42`: command changed"]);
    assert_ne!(hash_words(&["a b".into()]), hash_words(&["a".into(), "b".into()]));
    assert_eq!(hash_words(&[]), None);
}

#[test]
fn secrets_added_and_removed_are_named_by_reference() {
    let (old, mut new) = pair();
    new.containers[0].secrets = vec![SecretRef {
        name: "API_KEY".into(),
        value_from: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key".into(),
    }];
    let d = diff(&old, &new, Category::SecretsNotFound);
    let lines: Vec<String> = d.relevant.iter().map(|f| field_text(f, false, Lang::En)).collect();
    assert_eq!(
        lines,
        [
            "new secret `API_KEY` from `arn:aws:ssm:us-east-1:123456789012:parameter/prod/api-key`",
            format!("secret `DB_PASSWORD` removed (was `{OLD_SECRET}`)").as_str(),
        ]
    );
}

#[test]
fn resource_changes_come_newest_first_and_old_ones_are_dropped() {
    let (old, new) = pair();
    let pushed = Change {
        kind: ChangeKind::Resource,
        resource: "platform/base-api:3.2.1".into(),
        field: "imagePushedAt".into(),
        before: None,
        after: None,
        at: Some(iso(NOW - 60)),
        by: None,
    };
    let deleted = Change {
        resource: "prod/db".into(),
        field: "deletedDate".into(),
        at: Some(iso(NOW - 40 * 86_400)),
        ..pushed.clone()
    };
    let stale = Change {
        resource: "prod/other".into(),
        field: "lastChangedDate".into(),
        at: Some(iso(NOW - 30 * 86_400)),
        ..pushed.clone()
    };
    let w = summarise(
        Observed {
            current: Some(&new),
            previous: Some(&old),
            resources: vec![deleted, stale, pushed],
            notes: vec!["note".into()],
            ..Observed::default()
        },
        &[Category::EfsMount],
        NOW,
        Lang::En,
    );
    assert_eq!(
        w.lines,
        [
            format!("image `platform/base-api:3.2.1` pushed 1 min ago ({})", iso(NOW - 60)),
            format!(
                "secret `prod/db` is scheduled for deletion ({}, 40 days ago)",
                iso(NOW - 40 * 86_400)
            ),
            "`api:41` → `api:42`: no relevant change (4 other fields changed)".to_string(),
        ]
    );
    assert_eq!(w.headline.as_deref(), Some(w.lines[0].as_str()));
    assert_eq!(w.notes, ["note"]);
    assert_eq!(w.changes.len(), 2);
}

#[test]
fn no_previous_revision_is_a_finding_too() {
    let (_, new) = pair();
    let w = summarise(
        Observed {
            current: Some(&new),
            deployed_at: Some(NOW - 3 * 86_400),
            ..Observed::default()
        },
        &[Category::OutOfMemory],
        NOW,
        Lang::Ja,
    );
    assert_eq!(w.lines.len(), 1);
    assert!(
        w.lines[0].contains("`api:42`") && w.lines[0].contains("3 日前"),
        "{}",
        w.lines[0]
    );
}

#[test]
fn iso8601_round_trips() {
    for epoch in [0, 951_782_400, 1_584_373_024, NOW] {
        assert_eq!(crate::util::time::epoch_seconds_from_iso8601(&iso(epoch)), Some(epoch));
    }
    assert_eq!(
        crate::util::time::epoch_seconds_from_iso8601("2026-11-28T20:31:00Z"),
        crate::util::time::epoch_seconds_from_iso8601("2026-11-28T21:31:00+01:00")
    );
    assert_eq!(crate::util::time::epoch_seconds_from_iso8601("yesterday"), None);
    assert_eq!(
        crate::util::time::epoch_seconds_from_iso8601("2026-13-01T00:00:00Z"),
        None
    );
    assert_eq!(ago(-7 * 86_400, Lang::En), "in 7 days");
    assert_eq!(ago(90, Lang::Ja), "1 分前");
}

fn event(name: &str, params: serde_json::Value) -> String {
    serde_json::json!({
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDA1", "arn": "arn:aws:iam::123456789012:user/alice"},
        "eventTime": "2026-11-28T20:00:00Z",
        "eventSource": "example.amazonaws.com",
        "eventName": name,
        "requestParameters": params,
        "readOnly": false,
    })
    .to_string()
}

#[test]
fn cloudtrail_events_keep_identifiers_and_never_values() {
    let c = parse_cloudtrail_event(
        &event(
            "PutParameter",
            serde_json::json!({"name": "/prod/db", "type": "SecureString", "value": "planted-value-1", "overwrite": true}),
        ),
        "/prod/db",
    )
    .unwrap_or_else(|| panic!("a write event"));
    assert_eq!(c.field, "PutParameter");
    assert_eq!(c.by.as_deref(), Some("arn:aws:iam::123456789012:user/alice"));
    assert_eq!(c.at.as_deref(), Some("2026-11-28T20:00:00Z"));
    // serde_json keeps keys sorted (no `preserve_order`), in the Lambda as in tests.
    assert_eq!(
        c.after.as_deref(),
        Some("name=/prod/db, overwrite=true, type=SecureString")
    );
    let secret = parse_cloudtrail_event(
        &event(
            "PutSecretValue",
            serde_json::json!({"secretId": "prod/db", "secretString": "planted-value-2"}),
        ),
        "prod/db",
    );
    assert!(!format!("{secret:?}").contains("planted-value"));

    let revoke = parse_cloudtrail_event(
        &event(
            "RevokeSecurityGroupEgress",
            serde_json::json!({"groupId": "sg-1", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}}]}}),
        ),
        "sg-1",
    )
    .and_then(|c| c.after);
    assert_eq!(
        revoke.as_deref(),
        Some("groupId=sg-1, fromPort=443, ipProtocol=tcp, cidrIp=0.0.0.0/0, toPort=443")
    );
}

#[test]
fn read_only_failed_and_malformed_events_are_dropped() {
    assert!(parse_cloudtrail_event(&event("DescribeSecret", serde_json::json!({"secretId": "x"})), "x").is_none());
    assert!(parse_cloudtrail_event(&event("GetSecretValue", serde_json::json!({"secretId": "x"})), "x").is_none());
    let mut failed: serde_json::Value =
        serde_json::from_str(&event("DeleteSecret", serde_json::json!({"secretId": "x"}))).unwrap_or_default();
    failed["errorCode"] = "AccessDenied".into();
    assert!(parse_cloudtrail_event(&failed.to_string(), "x").is_none());
    let mut read_only: serde_json::Value =
        serde_json::from_str(&event("DeleteSecret", serde_json::json!({}))).unwrap_or_default();
    read_only["readOnly"] = true.into();
    assert!(parse_cloudtrail_event(&read_only.to_string(), "x").is_none());
    assert!(parse_cloudtrail_event("not json", "x").is_none());
    assert!(parse_cloudtrail_event("{}", "x").is_none());
    assert!(is_write_event("DetachRolePolicy") && !is_write_event("ListRolePolicies"));
}
