//! Walks the AWS table of ECS API failure reasons (the "API failure reasons" page of the Amazon
//! ECS developer guide) row by row: every reason it lists must be explained by the intended rule,
//! and a reason whose meaning depends on the API action must get a different rule per action.
//!
//! Rows are written as the table writes them, with two expansions: "RunTask, or StartTask" rows
//! appear once per action, and `RESOURCE:*` is spelled out as the concrete resources the table
//! explains for that row (CPU and MEMORY for DescribeTasks; CPU, MEMORY, PORTS, ENI and GPU for
//! RunTask/StartTask). The table names the action "DescribeInstances"; the API action is
//! DescribeContainerInstances, so both spellings are listed.

use ecs_doctor::diagnose::{diagnose, Category, Lang};
use ecs_doctor::fixture::Case;

struct Row {
    action: &'static str,
    reason: &'static str,
    rule: &'static str,
    category: Category,
}

const fn row(action: &'static str, reason: &'static str, rule: &'static str, category: Category) -> Row {
    Row {
        action,
        reason,
        rule,
        category,
    }
}

use Category::*;

const SEED: &[Row] = &[
    row("DescribeClusters", "MISSING", "api.missing.describe-clusters", NotFound),
    row(
        "DescribeInstances",
        "MISSING",
        "api.missing.describe-container-instances",
        NotFound,
    ),
    row(
        "DescribeContainerInstances",
        "MISSING",
        "api.missing.describe-container-instances",
        NotFound,
    ),
    row("DescribeServices", "MISSING", "api.missing.describe-services", NotFound),
    row("DescribeTasks", "MISSING", "api.missing.describe-tasks", NotFound),
    row(
        "DescribeTasks",
        "TaskFailedToStart: RESOURCE:CPU",
        "placement.resource-cpu.capacity-provider",
        PlacementCapacity,
    ),
    row(
        "DescribeTasks",
        "TaskFailedToStart: RESOURCE:MEMORY",
        "placement.resource-memory.capacity-provider",
        PlacementCapacity,
    ),
    row(
        "DescribeTasks",
        "TaskFailedToStart: AGENT",
        "placement.agent-disconnected",
        AgentDisconnected,
    ),
    row(
        "DescribeTasks",
        "TaskFailedToStart: MemberOf placement constraint unsatisfied",
        "placement.constraint-unsatisfied",
        PlacementConstraint,
    ),
    row(
        "DescribeTasks",
        "TaskFailedToStart: ATTRIBUTE",
        "placement.attribute",
        PlacementConstraint,
    ),
    row(
        "DescribeTasks",
        "TaskFailedToStart: NO ACTIVE INSTANCES",
        "placement.no-active-instances",
        PlacementCapacity,
    ),
    row(
        "DescribeTasks",
        "TaskFailedToStart: EMPTY CAPACITY PROVIDER",
        "placement.empty-capacity-provider",
        PlacementCapacity,
    ),
    row("GetTaskProtection", "MISSING", "api.missing.task-protection", NotFound),
    row(
        "GetTaskProtection",
        "TASK_NOT_VALID",
        "api.task-not-valid",
        TaskProtection,
    ),
    row("RunTask", "RESOURCE:CPU", "placement.resource-cpu", PlacementCapacity),
    row(
        "RunTask",
        "RESOURCE:MEMORY",
        "placement.resource-memory",
        PlacementCapacity,
    ),
    row(
        "RunTask",
        "RESOURCE:PORTS",
        "placement.resource-ports",
        PlacementCapacity,
    ),
    row("RunTask", "RESOURCE:ENI", "placement.resource-eni", PlacementCapacity),
    row("RunTask", "RESOURCE:GPU", "placement.resource-gpu", PlacementCapacity),
    row("StartTask", "RESOURCE:CPU", "placement.resource-cpu", PlacementCapacity),
    row(
        "StartTask",
        "RESOURCE:MEMORY",
        "placement.resource-memory",
        PlacementCapacity,
    ),
    row(
        "StartTask",
        "RESOURCE:PORTS",
        "placement.resource-ports",
        PlacementCapacity,
    ),
    row("StartTask", "RESOURCE:ENI", "placement.resource-eni", PlacementCapacity),
    row("StartTask", "RESOURCE:GPU", "placement.resource-gpu", PlacementCapacity),
    row("RunTask", "AGENT", "placement.agent-disconnected", AgentDisconnected),
    row("StartTask", "AGENT", "placement.agent-disconnected", AgentDisconnected),
    row("RunTask", "LOCATION", "placement.location", PlacementConstraint),
    row("StartTask", "LOCATION", "placement.location", PlacementConstraint),
    row("RunTask", "ATTRIBUTE", "placement.attribute", PlacementConstraint),
    row("StartTask", "ATTRIBUTE", "placement.attribute", PlacementConstraint),
    row("StartTask", "MISSING", "api.missing.start-task", NotFound),
    row("StartTask", "INACTIVE", "api.inactive.start-task", InstanceInactive),
    row(
        "UpdateTaskProtection",
        "DEPLOYMENT_BLOCKED",
        "api.deployment-blocked",
        TaskProtection,
    ),
    row(
        "UpdateTaskProtection",
        "MISSING",
        "api.missing.task-protection",
        NotFound,
    ),
    row(
        "UpdateTaskProtection",
        "TASK_NOT_VALID",
        "api.task-not-valid",
        TaskProtection,
    ),
];

/// Reasons whose meaning the table gives per action: each listed action must get its own rule.
const ACTION_DEPENDENT: &[(&str, &[&str])] = &[
    (
        "MISSING",
        &[
            "DescribeClusters",
            "DescribeInstances",
            "DescribeServices",
            "DescribeTasks",
            "StartTask",
            "GetTaskProtection",
        ],
    ),
    ("RESOURCE:CPU", &["DescribeTasks", "RunTask"]),
    ("RESOURCE:MEMORY", &["DescribeTasks", "StartTask"]),
];

/// Reasons the table explains the same way for several actions: one rule for all of them.
const SAME_MEANING: &[(&str, &[&str])] = &[
    ("MISSING", &["GetTaskProtection", "UpdateTaskProtection"]),
    ("TASK_NOT_VALID", &["GetTaskProtection", "UpdateTaskProtection"]),
    ("AGENT", &["DescribeTasks", "RunTask", "StartTask"]),
    ("ATTRIBUTE", &["DescribeTasks", "RunTask", "StartTask"]),
    ("RESOURCE:ENI", &["RunTask", "StartTask"]),
];

fn core(reason: &str) -> &str {
    reason.strip_prefix("TaskFailedToStart: ").unwrap_or(reason)
}

fn primary(case: Case) -> (String, Category, Vec<&'static str>) {
    let d = diagnose(&case.incident(), Lang::En);
    let all = d.findings.iter().map(|f| f.rule_id).collect();
    (d.primary().rule_id.to_string(), d.primary().category, all)
}

fn rule_for(action: &str, reason_core: &str) -> String {
    let row = SEED
        .iter()
        .find(|r| r.action == action && core(r.reason) == reason_core)
        .unwrap_or_else(|| panic!("the seed table has no row {action} / {reason_core}"));
    primary(Case::Failure {
        action: row.action,
        reason: row.reason,
    })
    .0
}

#[test]
fn every_seed_row_is_explained_by_its_rule() {
    let mut failures = Vec::new();
    for row in SEED {
        let mut cases = vec![Case::Failure {
            action: row.action,
            reason: row.reason,
        }];
        if row.reason.starts_with("TaskFailedToStart: ") {
            cases.push(Case::Stopped {
                reason: row.reason,
                stop_code: "TaskFailedToStart",
                exit: None,
            });
        }
        for case in cases {
            let (rule, category, all) = primary(case);
            if rule != row.rule || category != row.category {
                failures.push(format!(
                    "{} / {}: {case:?} gave {rule} ({category:?}), expected {} ({:?}); all findings {all:?}",
                    row.action, row.reason, row.rule, row.category
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "seed rows not explained as expected:\n{}",
        failures.join("\n")
    );
}

#[test]
fn seed_rows_are_actionable_alerts() {
    // Every row of the table is a failure someone should read: none may come out as an
    // expected stop or below warning.
    for row in SEED {
        let d = diagnose(
            &Case::Failure {
                action: row.action,
                reason: row.reason,
            }
            .incident(),
            Lang::En,
        );
        assert!(d.is_actionable(), "{} / {} is not actionable", row.action, row.reason);
    }
}

#[test]
fn action_dependent_reasons_get_a_rule_per_action() {
    for (reason, actions) in ACTION_DEPENDENT {
        let rules: Vec<(&str, String)> = actions.iter().map(|a| (*a, rule_for(a, reason))).collect();
        for (i, (a, ra)) in rules.iter().enumerate() {
            for (b, rb) in &rules[i + 1..] {
                assert_ne!(
                    ra, rb,
                    "{reason}: {a} and {b} mean different things but share rule {ra}"
                );
            }
        }
    }
}

#[test]
fn same_meaning_reasons_share_a_rule() {
    for (reason, actions) in SAME_MEANING {
        let first = rule_for(actions[0], reason);
        for action in &actions[1..] {
            assert_eq!(
                rule_for(action, reason),
                first,
                "{reason}: {action} should explain like {}",
                actions[0]
            );
        }
    }
}
