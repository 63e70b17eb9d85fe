//! The pure half of the scan: observations, grouping, ordering, exit codes and rendering,
//! without any server.

use super::render::{json, markdown, text};
use super::*;
use crate::diagnose::diagnose;
use crate::incident::{Container, Task, Timestamps};
use crate::pipeline::group::{sort, Signature};

const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";
const T0: i64 = 1_764_356_400_000; // 2025-11-28T19:00:00Z

fn task(id: &str, group: &str, reason: &str, at: i64) -> Observation {
    task_observation(
        CLUSTER,
        Task {
            task_arn: format!("arn:aws:ecs:us-east-1:123456789012:task/prod/{id}"),
            task_definition_arn: Some("arn:aws:ecs:us-east-1:123456789012:task-definition/api:3".into()),
            group: Some(group.into()),
            last_status: Some("STOPPED".into()),
            desired_status: Some("STOPPED".into()),
            stopped_reason: Some(reason.into()),
            timestamps: Timestamps {
                stopped_at: Some(iso8601_seconds(at)),
                ..Timestamps::default()
            },
            ..Task::default()
        },
    )
}

const PULL: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:9: not found";
const SECRET: &str = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/x is not authorized to perform: secretsmanager:GetSecretValue";
const SCALE_IN: &str = "Scaling activity initiated by (deployment ecs-svc/1234567890)";

fn sample() -> Report {
    let observations = vec![
        task("a1", "service:api", PULL, T0 + 60_000),
        task("a3", "service:api", PULL, T0 + 180_000),
        task("a2", "service:api", PULL, T0 + 120_000),
        task("w1", "service:web", SECRET, T0 + 30_000),
        task("b1", "family:batch", PULL, T0 + 10_000),
        task("s1", "service:web", SCALE_IN, T0 + 5_000),
    ];
    let coverage = Coverage {
        clusters: vec!["prod".into()],
        services: vec![
            ("prod".into(), "api".into()),
            ("prod".into(), "web".into()),
            ("prod".into(), "quiet".into()),
        ],
        stopped_tasks: 6,
        ..Coverage::default()
    };
    Report::build(observations, coverage, Lang::En, Severity::Warning, 3600, T0 + 600_000)
}

#[test]
fn failures_of_one_signature_are_one_row_with_counts_and_times() {
    // GIVEN three pull failures of api, one of the batch family, a secrets failure of web and a
    // deployment scale-in
    // WHEN grouped
    let report = sample();
    // THEN api's three are one row, with the first and last time and the newest as example
    let api = report
        .groups
        .iter()
        .find(|g| g.signature.unit == "api")
        .expect("api group");
    assert_eq!(api.signature.rule_id, "image-pull.not-found");
    assert_eq!(api.count, 3);
    assert_eq!(api.first_seen, Some(T0 + 60_000));
    assert_eq!(api.last_seen, Some(T0 + 180_000));
    assert!(api.example.task.as_ref().is_some_and(|t| t.task_arn.ends_with("/a3")));
    assert_eq!(api.task_arns.len(), 3);
    assert!(api.task_arns.windows(2).all(|w| w[0] <= w[1]));
    // the same rule in another unit (a task family) is another signature
    assert!(report.groups.iter().any(|g| g.signature.unit == "family:batch"));
    // the scale-in is an expected stop: counted apart, not a row
    assert_eq!(report.groups.len(), 3);
    assert_eq!(report.below_threshold, 1);
    assert_eq!(report.healthy_services(), 1, "only `quiet` is healthy");
    assert_eq!(report.exit_code(), Code::Problem.as_u8());
}

#[test]
fn rows_are_ordered_by_severity_then_count_then_last_seen() {
    let report = sample();
    let order: Vec<(Severity, usize, String)> = report
        .groups
        .iter()
        .map(|g| (g.severity, g.count, g.signature.place()))
        .collect();
    for pair in order.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(a.0 < b.0 || (a.0 == b.0 && a.1 >= b.1), "{order:?}");
    }
    // Two groups of one severity and one count: the more recent first.
    let mut groups = vec![report.groups[0].clone(), report.groups[0].clone()];
    groups[0].last_seen = Some(1);
    groups[1].last_seen = Some(2);
    groups[0].signature.unit = "b".into();
    groups[1].signature.unit = "a".into();
    sort(&mut groups);
    assert_eq!(groups[0].last_seen, Some(2));
    groups[0].last_seen = None;
    sort(&mut groups);
    assert_eq!(groups[1].last_seen, None, "unknown times sort last");
}

#[test]
fn min_severity_and_exit_codes() {
    let observations = vec![task("w1", "service:web", SECRET, T0)];
    let report = Report::build(
        observations.clone(),
        Coverage::default(),
        Lang::En,
        Severity::Critical,
        60,
        T0,
    );
    let severity = diagnose(&observations[0].incident, Lang::En).primary().severity;
    if severity > Severity::Critical {
        assert!(report.groups.is_empty());
        assert_eq!(report.exit_code(), 0);
    }
    let report = Report::build(observations, Coverage::default(), Lang::En, Severity::Info, 60, T0);
    assert_eq!(report.exit_code(), Code::Problem.as_u8());

    let with_problem = Coverage {
        problems: vec![Problem {
            cluster: Some("staging".into()),
            service: None,
            kind: "access-denied",
            message: "access denied (ecs:ListTasks: AccessDeniedException: no)".into(),
        }],
        ..Coverage::default()
    };
    let report = Report::build(Vec::new(), with_problem, Lang::En, Severity::Warning, 60, T0);
    assert_eq!(
        report.exit_code(),
        Code::Error.as_u8(),
        "a gate must not pass on what it could not read"
    );
    assert!(text(&report).contains("! access denied: staging: access denied (ecs:ListTasks"));
    let report = Report::build(Vec::new(), Coverage::default(), Lang::En, Severity::Warning, 60, T0);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn service_event_messages_become_service_action_incidents() {
    let service = "arn:aws:ecs:us-east-1:123456789012:service/prod/api";
    for quiet in [
        "(service api) has reached a steady state.",
        "(service api) has started 2 tasks: (task 1234) (task 5678).",
        "(service api) has stopped 1 running tasks: (task 1234).",
        "(service api) registered 1 targets in (target-group arn:aws:elasticloadbalancing:…)",
        "(service api) deregistered 1 targets in (target-group arn:aws:elasticloadbalancing:…)",
        "(service api) has begun draining connections on 1 tasks.",
        "",
    ] {
        assert!(
            service_event_observation(CLUSTER, service, quiet, Some(T0)).is_none(),
            "{quiet}"
        );
    }
    let placement = service_event_observation(
        CLUSTER,
        service,
        "(service api) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0123456789abcdef) has insufficient CPU units available. For more information, see the Troubleshooting section.",
        Some(T0),
    )
    .expect("a problem");
    let event = placement.incident.service_event.as_ref().expect("event");
    assert_eq!(event.event_name, "SERVICE_TASK_PLACEMENT_FAILURE");
    assert_eq!(placement.at, Some(T0));
    let diagnosis = diagnose(&placement.incident, Lang::En);
    assert_eq!(diagnosis.primary().rule_id, "placement.resource-cpu");
    assert_eq!(Signature::of(&placement.incident, &diagnosis).place(), "prod/api");

    let unhealthy = service_event_observation(
        CLUSTER,
        service,
        "(service api) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/abc) due to (reason Health checks failed with these codes: [404]).",
        None,
    )
    .expect("a problem");
    assert_eq!(
        diagnose(&unhealthy.incident, Lang::En).primary().rule_id,
        "service.target-unhealthy"
    );
}

#[test]
fn failed_and_rolled_back_deployments_are_incidents() {
    let service = "arn:aws:ecs:us-east-1:123456789012:service/prod/api";
    assert!(deployment_observation(CLUSTER, service, "ecs-svc/1", Some("COMPLETED"), Some("done"), None).is_none());
    assert!(deployment_observation(CLUSTER, service, "ecs-svc/1", Some("IN_PROGRESS"), None, None).is_none());
    let failed = deployment_observation(
        CLUSTER,
        service,
        "ecs-svc/1",
        Some("FAILED"),
        Some("ECS deployment circuit breaker: tasks failed to start."),
        Some(T0),
    )
    .expect("failed");
    assert_eq!(
        diagnose(&failed.incident, Lang::En).primary().rule_id,
        "deployment.circuit-breaker"
    );
    let rollback = deployment_observation(
        CLUSTER,
        service,
        "ecs-svc/2",
        Some("IN_PROGRESS"),
        Some("ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/0."),
        Some(T0),
    )
    .expect("rollback");
    assert_eq!(
        diagnose(&rollback.incident, Lang::En).primary().rule_id,
        "deployment.rollback-in-progress"
    );
}

#[test]
fn draining_or_disconnected_instances_are_incidents() {
    let instance = |status: &str, connected: bool| ContainerInstance {
        container_instance_arn: "arn:aws:ecs:us-east-1:123456789012:container-instance/prod/abc".into(),
        ec2_instance_id: Some("i-0123".into()),
        status: Some(status.into()),
        agent_connected: Some(connected),
        ..ContainerInstance::default()
    };
    assert!(instance_observation(CLUSTER, instance("ACTIVE", true)).is_none());
    let draining = instance_observation(CLUSTER, instance("DRAINING", true)).expect("draining");
    assert_eq!(
        diagnose(&draining.incident, Lang::En).primary().rule_id,
        "instance.draining"
    );
    let disconnected = instance_observation(CLUSTER, instance("ACTIVE", false)).expect("disconnected");
    assert_eq!(
        diagnose(&disconnected.incident, Lang::En).primary().rule_id,
        "instance.agent-disconnected"
    );
}

#[test]
fn task_observations_carry_region_account_and_stop_time() {
    let o = task("x", "service:api", PULL, T0);
    assert_eq!(o.incident.region.as_deref(), Some("us-east-1"));
    assert_eq!(o.incident.account.as_deref(), Some("123456789012"));
    assert_eq!(o.at, Some(T0));
    // No time at all (moto): kept, without a time.
    let bare = task_observation(
        CLUSTER,
        Task {
            task_arn: "arn:aws:ecs:us-east-1:123456789012:task/prod/y".into(),
            containers: vec![Container::default()],
            ..Task::default()
        },
    );
    assert_eq!(bare.at, None);
}

#[test]
fn renderings_say_the_same_thing() {
    let report = sample();
    let t = text(&report);
    let first_row = t.lines().nth(1).expect("a row");
    assert!(first_row.contains("prod/api") && first_row.contains("  3  "), "{t}");
    assert!(t.contains("==== 1. "), "{t}");
    assert!(
        t.contains("[ERROR]") || t.contains("[CRITICAL]"),
        "the full diagnosis follows: {t}"
    );
    assert!(t.trim_end().ends_with(&super::render::summary(&report)));
    assert_eq!(
        super::render::summary(&report),
        "3 problems in 3 places; 6 stopped tasks examined in 1 cluster; 1 healthy service skipped"
    );

    let md = markdown(&report);
    assert!(md.contains("|---|---|---|---:|"), "{md}");
    assert!(md.contains("### 1. prod/api"), "{md}");

    let j = json(&report);
    assert_eq!(j["schemaVersion"], "1");
    assert_eq!(j["exitCode"], 3);
    assert_eq!(j["signatures"][0]["count"], 3);
    assert_eq!(j["signatures"][0]["service"], "api");
    assert_eq!(
        j["signatures"][0]["example"]["summary"]["ruleId"],
        "image-pull.not-found"
    );
    assert_eq!(j["signatures"][0]["taskArns"].as_array().map(Vec::len), Some(3));
    let batch = j["signatures"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["family"] == "batch"))
        .expect("batch signature");
    assert!(batch["service"].is_null());
    assert_eq!(j["summary"]["belowThreshold"], 1);
}

#[test]
fn markdown_cells_cannot_break_the_table() {
    let mut report = sample();
    report.groups[0].title = "a | b\nc".into();
    let md = markdown(&report);
    assert!(md.contains("a \\| b c"), "{md}");
}
