//! Golden snapshots of the scan report (text and markdown, English and Japanese) for a fixed
//! scan: stopped tasks of two services and a task family, service events, a failed deployment,
//! a draining container instance, a capped cluster and an unreadable one.
//!
//! The files live in `tests/snapshots/scan/`. When a change is intended:
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo test --test it scan::snapshots::
//! git diff tests/snapshots/scan/
//! ```

use crate::support::snapshot::assert_snapshot;

use ecs_doctor::cli::scan::render::{markdown, text};
use ecs_doctor::cli::scan::{
    deployment_observation, instance_observation, service_event_observation, Capped, Coverage, Problem, Report,
};
use ecs_doctor::diagnose::{Lang, Severity};
use ecs_doctor::incident::{ContainerInstance, Task, Timestamps};
use ecs_doctor::pipeline::group::{task_observation, Observation};
use ecs_doctor::util::time::iso8601_seconds;

const CLUSTER: &str = "arn:aws:ecs:eu-west-1:123456789012:cluster/prod";
/// 2026-11-28T19:00:00Z
const T0: i64 = 1_795_892_400_000;

fn task(id: &str, group: &str, reason: &str, minutes: i64) -> Observation {
    task_observation(
        CLUSTER,
        Task {
            task_arn: format!("arn:aws:ecs:eu-west-1:123456789012:task/prod/{id}"),
            task_definition_arn: Some(format!(
                "arn:aws:ecs:eu-west-1:123456789012:task-definition/{}:12",
                group.rsplit(':').next().unwrap_or(group)
            )),
            group: Some(group.into()),
            launch_type: Some(ecs_doctor::incident::LaunchType::Fargate),
            last_status: Some("STOPPED".into()),
            desired_status: Some("STOPPED".into()),
            stop_code: Some("TaskFailedToStart".into()),
            stopped_reason: Some(reason.into()),
            timestamps: Timestamps {
                stopped_at: Some(iso8601_seconds(T0 + minutes * 60_000)),
                ..Timestamps::default()
            },
            ..Task::default()
        },
    )
}

fn fixed_report(lang: Lang) -> Report {
    let pull = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/checkout:2.4.0: not found";
    let secret = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments/db from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/payments-exec/abc is not authorized to perform: secretsmanager:GetSecretValue";
    let service = "arn:aws:ecs:eu-west-1:123456789012:service/prod/search";
    let mut observations = vec![
        task("c1", "service:checkout", pull, 2),
        task("c2", "service:checkout", pull, 9),
        task("c3", "service:checkout", pull, 17),
        task("p1", "service:payments", secret, 4),
        task("p2", "service:payments", secret, 21),
        task("n1", "family:nightly-report", "Essential container in task exited", 12),
        task(
            "s1",
            "service:search",
            "Scaling activity initiated by (deployment ecs-svc/5082367890)",
            1,
        ),
    ];
    let placement = "(service search) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5a1b2c3d) has insufficient memory available. For more information, see the Troubleshooting section.";
    observations.extend(service_event_observation(
        CLUSTER,
        service,
        placement,
        Some(T0 + 5 * 60_000),
    ));
    observations.extend(service_event_observation(
        CLUSTER,
        service,
        placement,
        Some(T0 + 15 * 60_000),
    ));
    observations.extend(service_event_observation(
        CLUSTER,
        service,
        "(service search) has reached a steady state.",
        Some(T0),
    ));
    observations.extend(deployment_observation(
        CLUSTER,
        "arn:aws:ecs:eu-west-1:123456789012:service/prod/checkout",
        "ecs-svc/7730461234",
        Some("FAILED"),
        Some("ECS deployment circuit breaker: tasks failed to start."),
        Some(T0 + 18 * 60_000),
    ));
    observations.extend(instance_observation(
        CLUSTER,
        ContainerInstance {
            container_instance_arn: "arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/5a1b2c3d".into(),
            ec2_instance_id: Some("i-0a1b2c3d4e5f".into()),
            status: Some("DRAINING".into()),
            agent_connected: Some(true),
            ..ContainerInstance::default()
        },
    ));
    let coverage = Coverage {
        clusters: vec!["prod".into()],
        services: ["checkout", "payments", "search", "cart", "profile"]
            .iter()
            .map(|s| ("prod".to_string(), s.to_string()))
            .collect(),
        stopped_tasks: 7,
        service_events: 3,
        deployments: 4,
        container_instances: 3,
        capped: vec![Capped {
            cluster: "prod".into(),
            examined: 1000,
        }],
        problems: vec![Problem {
            cluster: Some("audit".into()),
            service: None,
            kind: "access-denied",
            message: "access denied (ecs:ListTasks: AccessDeniedException: User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:ListTasks)".into(),
        }],
        ..Coverage::default()
    };
    Report::build(observations, coverage, lang, Severity::Warning, 3600, T0 + 30 * 60_000)
}

#[test]
fn scan_text_en() {
    assert_snapshot(
        "scan",
        "scan::snapshots::",
        "prod.en.txt",
        &text(&fixed_report(Lang::En)),
    );
}

#[test]
fn scan_text_ja() {
    assert_snapshot(
        "scan",
        "scan::snapshots::",
        "prod.ja.txt",
        &text(&fixed_report(Lang::Ja)),
    );
}

#[test]
fn scan_markdown_en() {
    assert_snapshot(
        "scan",
        "scan::snapshots::",
        "prod.en.md",
        &markdown(&fixed_report(Lang::En)),
    );
}

#[test]
fn scan_markdown_ja() {
    assert_snapshot(
        "scan",
        "scan::snapshots::",
        "prod.ja.md",
        &markdown(&fixed_report(Lang::Ja)),
    );
}

#[test]
fn the_fixed_scan_groups_as_expected() {
    // The snapshots are only worth reviewing if the report under them is right.
    let report = fixed_report(Lang::En);
    let rows: Vec<(String, &str, usize)> = report
        .groups
        .iter()
        .map(|g| (g.signature.place(), g.signature.rule_id, g.count))
        .collect();
    assert_eq!(rows[0], ("prod/checkout".into(), "image-pull.not-found", 3), "{rows:?}");
    assert!(
        rows.contains(&("prod/search".into(), "placement.resource-memory", 2)),
        "{rows:?}"
    );
    assert!(rows.contains(&("prod".into(), "instance.draining", 1)), "{rows:?}");
    assert_eq!(report.below_threshold, 1, "the deployment scale-in");
    assert_eq!(report.healthy_services(), 2, "cart and profile");
}
