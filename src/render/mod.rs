//! Pure renderers: a diagnosis (with its incident) → the text each kind of reader gets.
//!
//! `email` is plain text for people, `chat` is the Amazon Q Developer in chat applications
//! custom-notification JSON (Slack / Teams), `json` is the versioned machine schema, and
//! `sns` puts them together into one `Publish` request within SNS's limits.

mod chat;
mod email;
mod json;
mod limits;
mod notes;
mod rules;
mod sns;

pub use chat::chat;
pub use email::{email, sms};
pub use json::{json, SCHEMA_VERSION};
pub use limits::{MAX_SNS_MESSAGE_BYTES, MAX_SUBJECT_CHARS};
pub use notes::{note_text, note_texts};
pub use rules::{rules_json, rules_markdown, rules_text};
pub use sns::{sns_message, strip_placeholders, subject, SnsMessage, MAX_MESSAGE_ATTRIBUTES, SPARE_ATTRIBUTES};

use crate::diagnose::Lang;
use crate::incident::{arn_name, Incident, Place};
use crate::report::{Report, ThreadState};
use crate::verify::CheckStatus;

/// Fixed words of the formats, per language.
pub(crate) struct Labels {
    pub why: &'static str,
    pub what_to_do: &'static str,
    pub evidence: &'static str,
    pub also_found: &'static str,
    pub notes: &'static str,
    pub details: &'static str,
    pub docs: &'static str,
    pub account: &'static str,
    pub region: &'static str,
    pub cluster: &'static str,
    pub service: &'static str,
    pub task: &'static str,
    pub task_definition: &'static str,
    pub launch_type: &'static str,
    pub stop_code: &'static str,
    pub stopped_at: &'static str,
    pub no_exit_code: &'static str,
    pub rule: &'static str,
    pub log_tail: &'static str,
    pub links: &'static str,
    pub event_time: &'static str,
    pub link_task: &'static str,
    pub link_service: &'static str,
    pub link_task_definition: &'static str,
    pub link_logs: &'static str,
    pub checked: &'static str,
    /// The heading of a failed deployment's causes.
    pub causes: &'static str,
    /// The heading of the "What changed" section.
    pub what_changed: &'static str,
    /// Said under "Why" when the account contradicts the text-based explanation.
    pub contradicted: &'static str,
    /// Short marker for a family-level finding (SMS, e-mail footer).
    pub family_only: &'static str,
}

pub(crate) fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &Labels {
            why: "Why",
            what_to_do: "What to do",
            evidence: "Evidence",
            also_found: "Also found",
            notes: "Notes",
            details: "Details",
            docs: "Documentation",
            account: "Account",
            region: "Region",
            cluster: "Cluster",
            service: "Service",
            task: "Task",
            task_definition: "Task definition",
            launch_type: "Launch type",
            stop_code: "Stop code",
            stopped_at: "Stopped at",
            no_exit_code: "none (the container never ran)",
            rule: "rule",
            log_tail: "Last log lines of",
            links: "Console",
            event_time: "Event time",
            link_task: "Task",
            link_service: "Service",
            link_task_definition: "Task definition",
            link_logs: "Logs",
            checked: "Checked",
            causes: "Stopped tasks of this deployment, by cause",
            what_changed: "What changed",
            contradicted: "A check against the account contradicts this explanation; the checked facts below win.",
            family_only: "failure family only, cause not recognised",
        },
        Lang::Ja => &Labels {
            why: "原因",
            what_to_do: "対処",
            evidence: "根拠",
            also_found: "その他の検出",
            notes: "補足",
            details: "詳細",
            docs: "ドキュメント",
            account: "アカウント",
            region: "リージョン",
            cluster: "クラスター",
            service: "サービス",
            task: "タスク",
            task_definition: "タスク定義",
            launch_type: "起動タイプ",
            stop_code: "停止コード",
            stopped_at: "停止時刻",
            no_exit_code: "なし (コンテナは起動していません)",
            rule: "ルール",
            log_tail: "最後のログ:",
            links: "コンソール",
            event_time: "イベント時刻",
            link_task: "タスク",
            link_service: "サービス",
            link_task_definition: "タスク定義",
            link_logs: "ログ",
            checked: "確認結果",
            causes: "このデプロイの停止タスク (原因別)",
            what_changed: "変更点",
            contradicted: "アカウントを確認した結果はこの説明と矛盾します。以下の確認結果を優先してください。",
            family_only: "障害の種類のみ判別、原因は未特定",
        },
    }
}

/// The deployment's one-line summary: "Deployment ecs-svc/1 of prod/api failed: 4 of 4 new
/// tasks stopped — Image or tag does not exist (checked: …). Rolled back to api:63."
pub fn deployment_headline(incident: &Incident, report: &Report) -> Option<String> {
    let deployment = report.deployment.as_ref()?;
    if deployment.groups.is_empty() {
        return None;
    }
    let lang = report.lang;
    let place = match (
        incident.cluster.as_deref().map(arn_name),
        incident.service_event.as_ref().and_then(|e| e.service_name()),
    ) {
        (Some(c), Some(s)) => format!("{c}/{s}"),
        (_, Some(s)) => s.to_string(),
        _ => String::new(),
    };
    let primary = report.primary();
    let checked = primary
        .checks
        .iter()
        .find(|c| c.status == CheckStatus::Found)
        .or_else(|| primary.checks.first())
        .map(|c| c.summary.trim_end_matches('.').to_string());
    let stopped = deployment.stopped_tasks;
    let total = stopped + deployment.running_tasks.unwrap_or(0);
    let lead_count = deployment
        .groups
        .iter()
        .find(|g| g.rule_id == primary.rule_id)
        .map_or(0, |g| g.count);
    let failed = deployment
        .rollout_state
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("FAILED"))
        || deployment.rolled_back;
    let back = deployment
        .previous_task_definition
        .as_deref()
        .filter(|_| deployment.rolled_back)
        .map(arn_name);
    Some(match lang {
        Lang::En => {
            let mut line = format!(
                "Deployment {} of {place} {}: {stopped} of {total} new tasks stopped — {}",
                deployment.id,
                if failed { "failed" } else { "is failing" },
                primary.title
            );
            if lead_count != stopped {
                line.push_str(&format!(" ({lead_count} of them)"));
            }
            if let Some(checked) = checked {
                line.push_str(&format!(" (checked: {checked})"));
            }
            line.push('.');
            if let Some(back) = back {
                line.push_str(&format!(" Rolled back to {back}."));
            }
            line
        }
        Lang::Ja => {
            let mut line = format!(
                "{place} のデプロイ {} が{}: 新しいタスク {total} 件中 {stopped} 件が停止 — {}",
                deployment.id,
                if failed {
                    "失敗しました"
                } else {
                    "失敗しつつあります"
                },
                primary.title
            );
            if lead_count != stopped {
                line.push_str(&format!(" (うち {lead_count} 件)"));
            }
            if let Some(checked) = checked {
                line.push_str(&format!(" (確認結果: {checked})"));
            }
            line.push('。');
            if let Some(back) = back {
                line.push_str(&format!("{back} にロールバックされました。"));
            }
            line
        }
    })
}

/// `45 s`, `12 min`, `2 h 5 min` (`秒`, `分`, `時間` in Japanese).
pub fn duration(seconds: u64, lang: Lang) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (lang, h, m) {
        (Lang::En, 0, 0) => format!("{s} s"),
        (Lang::En, 0, m) => format!("{m} min"),
        (Lang::En, h, 0) => format!("{h} h"),
        (Lang::En, h, m) => format!("{h} h {m} min"),
        (Lang::Ja, 0, 0) => format!("{s} 秒"),
        (Lang::Ja, 0, m) => format!("{m} 分"),
        (Lang::Ja, h, 0) => format!("{h} 時間"),
        (Lang::Ja, h, m) => format!("{h} 時間 {m} 分"),
    }
}

/// The incident line: "Incident prod/api/1733300000 (updated): 4 failed tasks since …".
pub fn incident_line(report: &Report) -> Option<String> {
    let thread = report.thread.as_ref()?;
    let since = crate::util::time::iso8601_from_epoch(thread.opened_at as f64);
    Some(match report.lang {
        Lang::En => format!(
            "Incident {} ({}): {} failed task(s) since {since}",
            thread.id,
            thread.state.as_str(),
            thread.failed_tasks
        ),
        Lang::Ja => format!(
            "インシデント {} ({}): {since} 以降 {} 件のタスクが失敗",
            thread.id,
            match thread.state {
                ThreadState::Opened => "発生",
                ThreadState::Updated => "更新",
                ThreadState::Resolved => "解決",
            },
            thread.failed_tasks
        ),
    })
}

/// One line per check result of every finding, `✘ Ruled out: summary (facts)`: the verdict in
/// words, because a bare ✘ before a true sentence ("Repository `api` exists") reads as if the
/// fact had failed. Results of findings other than the primary one name their finding.
pub(crate) fn check_lines(report: &Report) -> Vec<String> {
    let lang = report.lang;
    report
        .findings
        .iter()
        .enumerate()
        .flat_map(move |(i, f)| {
            f.checks.iter().map(move |c| {
                let line = match verdict(c.status, lang) {
                    Some(verdict) => format!("{} {verdict}: {}", c.status.mark(), lower_first(&c.line())),
                    // "Could not check …" already says it.
                    None => format!("{} {}", c.status.mark(), c.line()),
                };
                if i == 0 {
                    line
                } else {
                    format!("{line} [{}]", f.rule_id)
                }
            })
        })
        .collect()
}

fn verdict(status: CheckStatus, lang: Lang) -> Option<&'static str> {
    match (status, lang) {
        (CheckStatus::Found, Lang::En) => Some("Confirmed"),
        (CheckStatus::Found, Lang::Ja) => Some("確認済み"),
        (CheckStatus::Absent, Lang::En) => Some("Ruled out"),
        (CheckStatus::Absent, Lang::Ja) => Some("原因ではない"),
        (CheckStatus::NotChecked, _) => None,
    }
}

/// "Repository `api` exists" → "repository `api` exists" after a verdict; "ECR …" and "IAM …"
/// keep their capitals.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_ascii_uppercase() && !second.is_ascii_uppercase() => {
            first.to_ascii_lowercase().to_string() + &text[first.len_utf8()..]
        }
        _ => text.to_string(),
    }
}

/// The lines of the "What changed" section: the changes, then why something could not be read.
pub(crate) fn change_lines(report: &Report) -> Vec<String> {
    let changes = &report.changes;
    changes.lines.iter().chain(changes.notes.iter()).cloned().collect()
}

/// The raw input fields worth showing as evidence: the task's stop reason and every
/// container's reason and exit code, API failures, the service event's reason.
pub(crate) fn evidence_lines(incident: &Incident, report: &Report) -> Vec<(String, String)> {
    raw_evidence_lines(incident, report)
        .into_iter()
        .map(|(field, value)| (field, crate::redact::redact_credentials(&value)))
        .collect()
}

fn raw_evidence_lines(incident: &Incident, report: &Report) -> Vec<(String, String)> {
    let labels = labels(report.lang);
    let mut lines = Vec::new();
    if let Some(task) = &incident.task {
        // Fargate often copies a container's reason into stoppedReason; show it once.
        if let Some(reason) = &task.stopped_reason {
            if !task.containers.iter().any(|c| c.reason.as_ref() == Some(reason)) {
                lines.push(("stoppedReason".to_string(), reason.clone()));
            }
        }
        for c in &task.containers {
            if let Some(reason) = c.reason.as_deref().filter(|r| !r.is_empty()) {
                lines.push((format!("containers[{}].reason", c.name), reason.to_string()));
            }
            let exit = match c.exit_code {
                Some(code) => code.to_string(),
                None => labels.no_exit_code.to_string(),
            };
            lines.push((format!("containers[{}].exitCode", c.name), exit));
        }
    }
    if let Some(event) = &incident.service_event {
        lines.push(("eventName".to_string(), event.event_name.clone()));
        if let Some(reason) = &event.reason {
            lines.push(("reason".to_string(), reason.clone()));
        }
    }
    if let Some(instance) = &incident.container_instance {
        if let Some(status) = &instance.status {
            lines.push(("status".to_string(), status.clone()));
        }
        if let Some(reason) = &instance.status_reason {
            lines.push(("statusReason".to_string(), reason.clone()));
        }
        if let Some(connected) = instance.agent_connected {
            lines.push(("agentConnected".to_string(), connected.to_string()));
        }
    }
    if let Some(e) = &incident.api_error {
        lines.push(("eventName".to_string(), e.action.clone()));
        if let Some(caller) = &e.caller {
            lines.push(("userIdentity".to_string(), caller.clone()));
        }
        lines.push(("errorCode".to_string(), e.code.clone()));
        if let Some(message) = &e.message {
            lines.push(("errorMessage".to_string(), message.clone()));
        }
        if !e.request.is_empty() {
            lines.push(("requestParameters".to_string(), e.request.join(", ")));
        }
    }
    for (i, f) in incident.api_failures.iter().enumerate() {
        let mut text = f.reason.clone();
        if let Some(detail) = &f.detail {
            text.push_str(&format!(" ({detail})"));
        }
        let action = f.action.as_deref().unwrap_or("API");
        let arn = f.arn.as_deref().map(|a| format!(" {a}")).unwrap_or_default();
        lines.push((format!("{action} failures[{i}]{arn}"), text));
    }
    if let Some(text) = &incident.text {
        lines.push(("text".to_string(), text.clone()));
    }
    lines
}

/// AWS console deep links for the incident's region: task, service, task definition
/// revision, and the log streams that were read.
pub(crate) fn console_links(incident: &Incident, lang: Lang) -> Vec<(&'static str, String)> {
    let labels = labels(lang);
    let Some(region) = incident.region.as_deref() else {
        return Vec::new();
    };
    let base = format!("https://{region}.console.aws.amazon.com");
    let cluster = incident.cluster.as_deref().map(arn_name);
    let mut links = Vec::new();
    if let (Some(task), Some(cluster)) = (&incident.task, cluster) {
        links.push((
            labels.link_task,
            format!(
                "{base}/ecs/v2/clusters/{cluster}/tasks/{}/configuration?region={region}",
                task.task_id()
            ),
        ));
    }
    // A service whose CreateService failed has no page to link to.
    let created = incident.api_error.as_ref().is_none_or(|e| e.action != "CreateService");
    if let (Some(service), Some(cluster), true) = (Place::of(incident).service, cluster, created) {
        links.push((
            labels.link_service,
            format!("{base}/ecs/v2/clusters/{cluster}/services/{service}/health?region={region}"),
        ));
    }
    if let Some(definition) = incident.task.as_ref().and_then(|t| t.task_definition_arn.as_deref()) {
        if let Some((family, revision)) = arn_name(definition).split_once(':') {
            links.push((
                labels.link_task_definition,
                format!("{base}/ecs/v2/task-definitions/{family}/{revision}/containers?region={region}"),
            ));
        }
    }
    for tail in &incident.log_tails {
        links.push((
            labels.link_logs,
            format!(
                "{base}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{}/log-events/{}",
                cloudwatch_escape(&tail.log_group),
                cloudwatch_escape(&tail.log_stream)
            ),
        ));
    }
    links
}

/// The CloudWatch console's own escaping: percent-encode, then write `%` as `$25`.
fn cloudwatch_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(byte as char),
            other => out.push_str(&format!("$25{other:02X}")),
        }
    }
    out
}

/// Finished output (a CLI command's, a log line) without credentials or invisible controls ([`crate::redact::clean`]). JSON output is
/// cleaned value by value and written back in the same layout, so that a redaction can never
/// break its syntax (an escaped quote after a token); other text line by line, as it is.
pub fn clean_output(text: &str) -> String {
    let trimmed = text.trim_start();
    if trimmed.starts_with(['{', '[']) {
        if let Ok(mut value) = serde_json::from_str::<serde_json::Value>(text) {
            crate::redact::clean_json(&mut value);
            let pretty = text.contains("\n  ");
            let written = if pretty {
                serde_json::to_string_pretty(&value)
            } else {
                serde_json::to_string(&value)
            };
            if let Ok(written) = written {
                let end = if text.ends_with('\n') { "\n" } else { "" };
                return written + end;
            }
        }
    }
    // One JSON document per line (NDJSON): each cleaned as a value.
    let ndjson: Option<Vec<serde_json::Value>> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).ok().filter(serde_json::Value::is_object))
        .collect();
    match ndjson {
        Some(mut values) if !values.is_empty() => {
            let mut out = String::with_capacity(text.len());
            for value in &mut values {
                crate::redact::clean_json(value);
                out.push_str(&value.to_string());
                out.push('\n');
            }
            if !text.ends_with('\n') {
                out.pop();
            }
            out
        }
        // Whole, not line by line: a private key block spans lines.
        _ => crate::redact::clean(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudwatch_links_use_the_console_escaping() {
        assert_eq!(cloudwatch_escape("/ecs/web"), "$252Fecs$252Fweb");
        assert_eq!(cloudwatch_escape("ecs/app/abc"), "ecs$252Fapp$252Fabc");
    }

    #[test]
    fn check_lines_say_the_verdict_in_words_in_both_languages() {
        use crate::verify::Check;
        let incident = crate::event::from_text("CannotPullContainerError: pull access denied for api");
        let lines = |lang| {
            let mut report = Report::from(crate::diagnose::diagnose(&incident, lang));
            report.findings[0].checks = vec![
                Check::absent("ecr.repository", "Repository `api` exists in account 1.").fact("repository", "api"),
                Check::found("ecr.image-tag", "ECR has no tag `v2` in `api`."),
                Check::new(
                    "iam.role",
                    CheckStatus::NotChecked,
                    "Could not check the role: no access.",
                ),
            ];
            check_lines(&report)
        };
        assert_eq!(
            lines(Lang::En),
            [
                "✘ Ruled out: repository `api` exists in account 1. (repository: api)",
                "✔ Confirmed: ECR has no tag `v2` in `api`.",
                "? Could not check the role: no access.",
            ]
        );
        let ja = lines(Lang::Ja);
        assert!(ja[0].starts_with("✘ 原因ではない: "), "{ja:?}");
        assert!(ja[1].starts_with("✔ 確認済み: "), "{ja:?}");
    }
}
