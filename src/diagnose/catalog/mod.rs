//! The rule catalog: one file per family of failures, each a table of [`Rule`]s.
//!
//! Order matters: for each signal the first matching rule wins, so every family lists its
//! specific rules before its general ones, and the families are chained from the most
//! specific wording (image pulls, secrets) to the most general (bare exit codes, task summaries).
//! Within a family the specific rules come first: each family ends in a fallback (tier `Family`)
//! that catches any text of the family whose cause phrase no specific rule knows, so that a
//! text of a known family never ends as `unknown`.

mod api;
mod api_error;
mod deployment;
mod exit;
mod image;
mod placement;
mod runtime;
mod secrets;
mod service;
mod startup;
mod task;

use std::sync::LazyLock;

use super::matcher::Matcher;
use super::rule::{Category, Rule, Severity, Text, Tier, When};
use super::signal::Signal;
use crate::incident::{LaunchType, Source};

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    let families: [&[Rule]; 11] = [
        // First: a rollback reason quotes the permission error or role failure that caused
        // it, which the later families would read as the task's own.
        deployment::RULES,
        image::RULES,
        secrets::RULES,
        startup::RULES,
        runtime::RULES,
        placement::RULES,
        api::RULES,
        service::RULES,
        // After the service family: a service event quoting a refused call is the service's.
        api_error::RULES,
        task::RULES,
        exit::RULES,
    ];
    let mut rules = Vec::new();
    for family in families {
        // Within a family, every rule that names a specific cause is tried before the family's
        // fallback, exit-code readings and generic summaries (a stable sort keeps the order
        // inside each group). Across families the chain order above stands: a family that
        // comes first owns its wording even where a later family's phrase also appears.
        let mut family = family.to_vec();
        family.sort_by_key(|r| r.when.tier != Tier::Specific);
        rules.extend(family);
    }
    rules
});

static MATCHER: LazyLock<Matcher> = LazyLock::new(|| Matcher::new(&RULES));

/// Every rule, in matching order (without the `unknown` fallback).
pub fn rules() -> &'static [Rule] {
    &RULES
}

/// The rules with their compiled matcher.
pub(crate) fn compiled() -> (&'static [Rule], &'static Matcher) {
    (&RULES, &MATCHER)
}

/// Every rule including the fallback, for listings.
pub fn all_rules() -> impl Iterator<Item = &'static Rule> {
    rules().iter().chain(std::iter::once(&UNKNOWN))
}

pub fn find(id: &str) -> Option<&'static Rule> {
    all_rules().find(|r| r.id == id)
}

pub const STOPPED_TASK_ERRORS: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html";
pub const STOPPED_TASK_CONSOLE: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html";

/// Used when no rule matches: quote the text and say how to learn more.
pub static UNKNOWN: Rule = Rule {
    id: "unknown",
    category: Category::Unknown,
    severity: Severity::Warning,
    when: When::NOTHING,
    en: Text {
        title: "Unrecognised ECS failure",
        explanation: "ecs-doctor has no rule for this failure yet: {reason}. The text above is exactly what ECS reported.",
        steps: &[
            "Look up the error prefix (the words before the first colon) in the Amazon ECS stopped-task error codes guide linked below.",
            "Run `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg}` soon (stopped tasks stay visible for about an hour) and read every container's `reason` and `exitCode`, not only `stoppedReason`.",
            "Check the container logs (CloudWatch Logs for the awslogs driver) for the last lines before the stop.",
            "If this failure recurs, report the text so a rule can be added: `ecs-doctor explain --text \"<text>\"` shows what ecs-doctor makes of it.",
        ],
    },
    ja: Text {
        title: "ecs-doctor が識別できない ECS の障害",
        explanation: "この障害に対応するルールはまだありません: {reason}。上の文字列は ECS が報告したそのままの内容です。",
        steps: &[
            "エラーの接頭辞 (最初のコロンより前の語) を、下のリンクにある Amazon ECS の停止タスクのエラーコード一覧で調べてください。",
            "停止したタスクは 1 時間ほどしか表示されないため、早めに `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg}` を実行し、`stoppedReason` だけでなく各コンテナの `reason` と `exitCode` を確認してください。",
            "停止直前のコンテナログ (awslogs ドライバーなら CloudWatch Logs) を確認してください。",
            "同じ障害が繰り返す場合は、その文字列を報告してルールの追加を依頼してください。`ecs-doctor explain --text \"<文字列>\"` で現在の判定を確認できます。",
        ],
    },
    docs: &[STOPPED_TASK_ERRORS, STOPPED_TASK_CONSOLE],
};

// ---- Named checks, shared by the families. Each reads the incident around a signal. ----

/// The task ran (or was to run) on Fargate.
pub fn on_fargate(s: &Signal) -> bool {
    s.incident.task.as_ref().is_some_and(|t| {
        t.launch_type == Some(LaunchType::Fargate)
            || t.capacity_provider.as_deref().is_some_and(|c| c.starts_with("FARGATE"))
    })
}

/// StopTask, the scheduler or Spot asked the task to stop before the container ended.
pub fn stop_requested(s: &Signal) -> bool {
    s.incident.task.as_ref().is_some_and(|t| t.stop_requested())
}

/// No stop was requested (or nothing is known about one).
pub fn stop_not_requested(s: &Signal) -> bool {
    !stop_requested(s)
}

/// The task belongs to a service (`group` is `service:<name>`).
pub fn in_service(s: &Signal) -> bool {
    s.incident.task.as_ref().is_some_and(|t| t.service_name().is_some())
}

/// The task is a standalone one (RunTask), or nothing is known.
pub fn not_in_service(s: &Signal) -> bool {
    !in_service(s)
}

/// The container has no exit code: it never ran.
pub fn no_exit_code(s: &Signal) -> bool {
    s.exit_code.is_none()
}

/// The exit code means "killed by signal n" for a signal with no rule of its own.
pub fn other_signal_exit(s: &Signal) -> bool {
    s.exit_code
        .is_some_and(|c| (129..=159).contains(&c) && ![137, 139, 143].contains(&c))
}

/// An exit code with no specific rule.
pub fn other_nonzero_exit(s: &Signal) -> bool {
    s.exit_code.is_some_and(|c| c != 0)
}

/// The signal comes from an `ECS Deployment State Change` event.
pub fn from_deployment(s: &Signal) -> bool {
    s.incident.source == Source::DeploymentStateChange
}

/// The signal comes from an `ECS Service Action` event.
pub fn from_service_action(s: &Signal) -> bool {
    s.incident.source == Source::ServiceAction
}

/// The container instance's agent is reported disconnected.
pub fn agent_disconnected(s: &Signal) -> bool {
    s.incident
        .container_instance
        .as_ref()
        .is_some_and(|i| i.agent_connected == Some(false))
}
