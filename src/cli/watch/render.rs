//! `watch`'s output: progress lines for stderr, the result in text, JSON and GitHub Actions
//! annotations, and the step summary. Pure.

use serde_json::{json, Value};

use super::{End, Outcome, Step};
use crate::diagnose::{Lang, Tr};
use crate::incident::arn_name;
use crate::render;

const FOLLOWING: Tr = Tr {
    en: "following deployment {deployment} ({task_definition})",
    ja: "デプロイ {deployment} ({task_definition}) を追跡します",
};
const TASKS_FAILED: Tr = Tr {
    en: "tasks of this deployment failed: {causes}",
    ja: "このデプロイのタスクが失敗しました: {causes}",
};
const RESULT: Tr = Tr {
    en: "Deployment {deployment} of {place}: {end} (exit {code})",
    ja: "{place} のデプロイ {deployment}: {end} (終了コード {code})",
};
const NOW_RUNS: Tr = Tr {
    en: "; the service now runs {deployment} ({task_definition})",
    ja: "。サービスは現在 {deployment} ({task_definition}) で動いています",
};
const COMPLETED: Tr = Tr {
    en: "COMPLETED",
    ja: "完了 (COMPLETED)",
};
const FAILED: Tr = Tr {
    en: "FAILED",
    ja: "失敗 (FAILED)",
};
const TIMEOUT_FAILING: Tr = Tr {
    en: "TIMED OUT with failed tasks",
    ja: "タイムアウト (失敗タスクあり)",
};
const TIMEOUT_IN_PROGRESS: Tr = Tr {
    en: "TIMED OUT, still in progress",
    ja: "タイムアウト (進行中)",
};

/// One progress line per change, for stderr.
pub fn progress_line(step: &Step, lang: Lang) -> Option<String> {
    Some(match step {
        Step::Following {
            deployment_id,
            task_definition,
        } => {
            let td = task_definition.as_deref().map(arn_name).unwrap_or("?");
            FOLLOWING.fill(lang, &[("deployment", deployment_id), ("task_definition", td)])
        }
        Step::Changed(d) => format!(
            "{} running {} failed {}{}",
            d.rollout_state.as_deref().unwrap_or("?"),
            d.running_count.unwrap_or(0),
            d.failed_tasks.unwrap_or(0),
            d.rollout_state_reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default()
        ),
        Step::Event(message) => format!("event: {message}"),
        Step::Diagnosed(found) => {
            let (_, report) = &**found;
            let groups = report.deployment.as_ref()?.groups.iter();
            let causes: Vec<String> = groups.map(|g| format!("{} ×{}", g.title, g.count)).collect();
            TASKS_FAILED.fill(lang, &[("causes", &causes.join(", "))])
        }
    })
}

/// The result line: "Deployment ecs-svc/1 of prod/api FAILED (exit 3); rolled back to api:63".
pub fn result_line(place: &str, outcome: &Outcome, lang: Lang) -> String {
    let end = match outcome.end {
        End::Completed => COMPLETED,
        End::Failed => FAILED,
        End::TimeoutFailing => TIMEOUT_FAILING,
        End::TimeoutInProgress => TIMEOUT_IN_PROGRESS,
    };
    let mut line = RESULT.fill(
        lang,
        &[
            ("deployment", &outcome.deployment_id),
            ("place", place),
            ("end", &end.fill(lang, &[])),
            ("code", &outcome.end.exit_code().to_string()),
        ],
    );
    if let (End::Failed, Some(by)) = (outcome.end, &outcome.replaced_by) {
        let td = by.task_definition.as_deref().map(arn_name).unwrap_or("?");
        line.push_str(&NOW_RUNS.fill(lang, &[("deployment", &by.id), ("task_definition", td)]));
    }
    line
}

/// The text format's standard output: the result line, then the root-cause message.
pub fn text(place: &str, outcome: &Outcome, lang: Lang) -> String {
    let mut out = result_line(place, outcome, lang);
    if let Some((incident, report)) = &outcome.diagnosis {
        out.push_str("\n\n");
        out.push_str(&render::email(incident, report));
    }
    out
}

pub(super) fn json_document(cluster: &str, service: &str, outcome: &Outcome) -> Value {
    let last = outcome.last.as_ref();
    json!({
        "cluster": arn_name(cluster),
        "service": service,
        "deployment": outcome.deployment_id,
        "end": outcome.end.as_str(),
        "exitCode": outcome.end.exit_code(),
        "rolloutState": last.and_then(|d| d.rollout_state.clone()),
        "rolloutStateReason": last.and_then(|d| d.rollout_state_reason.clone()),
        "taskDefinition": last.and_then(|d| d.task_definition.clone()),
        "runningTasks": last.and_then(|d| d.running_count),
        "failedTasks": last.and_then(|d| d.failed_tasks),
        "replacedBy": outcome.replaced_by.as_ref().map(|d| json!({"id": d.id, "taskDefinition": d.task_definition})),
        "diagnosis": outcome.diagnosis.as_ref().map(|(i, r)| render::json(i, r)),
    })
}

/// GitHub's workflow-command escaping: the message may hold `%`, CR and LF; a property
/// (the title) `:` and `,` too.
fn escape(text: &str, property: bool) -> String {
    let mut out = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

/// `::error` / `::warning` / `::notice` lines for GitHub Actions.
pub fn annotations(place: &str, outcome: &Outcome) -> String {
    let level = match outcome.end {
        End::Completed => "notice",
        End::TimeoutInProgress => "warning",
        End::Failed | End::TimeoutFailing => "error",
    };
    let headline = outcome
        .diagnosis
        .as_ref()
        .and_then(|(i, r)| render::deployment_headline(i, r));
    let title = format!("ECS deployment {}: {place}", outcome.end.as_str());
    let mut lines = vec![format!(
        "::{level} title={}::{}",
        escape(&title, true),
        escape(
            &headline.unwrap_or_else(|| result_line(place, outcome, Lang::En)),
            false
        )
    )];
    if let Some((_, report)) = &outcome.diagnosis {
        let primary = report.primary();
        for (i, step) in primary.remediation.iter().take(3).enumerate() {
            lines.push(format!(
                "::{level} title={}::{}",
                escape(&format!("Next step {}", i + 1), true),
                escape(step, false)
            ));
        }
    }
    lines.join("\n")
}

/// The Markdown appended to `$GITHUB_STEP_SUMMARY`.
pub fn step_summary(place: &str, outcome: &Outcome) -> String {
    let mut md = format!(
        "## ecs-doctor watch: {place}\n\n**{}**\n\n",
        result_line(place, outcome, Lang::En)
    );
    if let Some((incident, report)) = &outcome.diagnosis {
        if let Some(headline) = render::deployment_headline(incident, report) {
            md.push_str(&format!("{headline}\n\n"));
        }
        if let Some(d) = &report.deployment {
            md.push_str("| tasks | cause | rule | severity |\n|---:|---|---|---|\n");
            for g in &d.groups {
                md.push_str(&format!(
                    "| {} | {} | `{}` | {} |\n",
                    g.count,
                    g.title.replace('|', "\\|"),
                    g.rule_id,
                    g.severity.as_str()
                ));
            }
            md.push('\n');
        }
        let primary = report.primary();
        md.push_str(&format!("### Why\n\n{}\n\n", primary.explanation));
        if !primary.remediation.is_empty() {
            md.push_str("### What to do\n\n");
            for (i, step) in primary.remediation.iter().enumerate() {
                md.push_str(&format!("{}. {step}\n", i + 1));
            }
            md.push('\n');
        }
    }
    md
}
