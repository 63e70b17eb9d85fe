//! The scan report for people (a table, then the full diagnosis of each signature as
//! `explain` prints it), for tickets (markdown) and for scripts (JSON, documented in
//! docs/scan.md). Pure: no clock, no environment.

use std::fmt::Write;

use serde_json::{json, Value};

use super::{Group, Report};
use crate::diagnose::Lang;
use crate::render::{email, json as diagnosis_json};
use crate::util::text::sanitize_inline;
use crate::util::time::iso8601_seconds;

/// Version of the scan JSON; bumped only on an incompatible change.
pub const SCAN_SCHEMA_VERSION: &str = "1";

/// Task ARNs listed per signature in the JSON (the count is always exact).
pub const MAX_TASK_ARNS: usize = 100;

/// Longest cause and first step shown in a table cell; the full texts follow the table.
const CAUSE_WIDTH: usize = 60;
const STEP_CHARS: usize = 160;

struct Labels {
    heading: &'static str,
    severity: &'static str,
    place: &'static str,
    cause: &'static str,
    count: &'static str,
    first_seen: &'static str,
    last_seen: &'static str,
    first_step: &'static str,
    nothing: &'static str,
    details: &'static str,
    not_read: &'static str,
    tasks: &'static str,
    events: &'static str,
}

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &Labels {
            heading: "ecs-doctor scan",
            severity: "SEVERITY",
            place: "WHERE",
            cause: "CAUSE",
            count: "COUNT",
            first_seen: "FIRST SEEN",
            last_seen: "LAST SEEN",
            first_step: "First step",
            nothing: "No problems found.",
            details: "Diagnosis of the most recent failure of each problem",
            not_read: "Not read",
            tasks: "task(s)",
            events: "event(s)",
        },
        Lang::Ja => &Labels {
            heading: "ecs-doctor scan",
            severity: "重大度",
            place: "場所",
            cause: "原因",
            count: "件数",
            first_seen: "最初",
            last_seen: "最後",
            first_step: "最初の対応",
            nothing: "問題は見つかりませんでした。",
            details: "各問題の最新の失敗の診断",
            not_read: "読み取れなかったもの",
            tasks: "タスク",
            events: "件",
        },
    }
}

/// The one-line summary: problems, places, tasks examined, healthy services skipped.
pub fn summary(report: &Report) -> String {
    let problems = report.groups.len();
    let places = report.places();
    let tasks = report.coverage.stopped_tasks;
    let healthy = report.healthy_services();
    let clusters = report.coverage.clusters.len();
    match report.lang {
        Lang::En => format!(
            "{problems} problem{} in {places} place{}; {tasks} stopped task{} examined in {clusters} cluster{}; {healthy} healthy service{} skipped",
            plural(problems),
            plural(places),
            plural(tasks),
            plural(clusters),
            plural(healthy),
        ),
        Lang::Ja => format!(
            "{places} か所で {problems} 件の問題。{clusters} クラスターの停止タスク {tasks} 件を確認。正常なサービス {healthy} 件は省略"
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Lines about what was not fully read: `--max-tasks` caps and unreadable clusters or services.
fn caveats(report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    for capped in &report.coverage.capped {
        out.push(match report.lang {
            Lang::En => format!(
                "capped: cluster {} has more stopped tasks; only {} were examined (raise --max-tasks to see more)",
                capped.cluster, capped.examined
            ),
            Lang::Ja => format!(
                "上限: クラスター {} には他にも停止タスクがあります。確認したのは {} 件です (--max-tasks で増やせます)",
                capped.cluster, capped.examined
            ),
        });
    }
    for p in &report.coverage.problems {
        let place = match (&p.cluster, &p.service) {
            (Some(c), Some(s)) => format!("{c}/{s}"),
            (Some(c), None) => c.clone(),
            (None, _) => "-".to_string(),
        };
        let kind = match (report.lang, p.kind) {
            (Lang::En, "access-denied") => "access denied",
            (Lang::En, "throttled") => "throttled",
            (Lang::En, "not-found") => "not found",
            (Lang::En, _) => "error",
            (Lang::Ja, "access-denied") => "アクセス拒否",
            (Lang::Ja, "throttled") => "スロットリング",
            (Lang::Ja, "not-found") => "見つかりません",
            (Lang::Ja, _) => "エラー",
        };
        out.push(format!("{kind}: {place}: {}", sanitize_inline(&p.message)));
    }
    out
}

/// Display width: East Asian wide characters take two columns in a terminal.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let c = c as u32;
            let wide = matches!(c,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `text` cut to at most `max` columns, ending in `…` when cut.
fn cell(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w > max.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn pad(text: &str, columns: usize) -> String {
    let w = width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(w)))
}

fn time(at: Option<i64>) -> String {
    at.map_or_else(|| "-".to_string(), iso8601_seconds)
}

fn short_step(group: &Group) -> String {
    let step = group.first_step.as_deref().unwrap_or("-");
    let step = sanitize_inline(step);
    match step.char_indices().nth(STEP_CHARS) {
        Some((at, _)) => format!("{}…", &step[..at]),
        None => step,
    }
}

/// The table, the full diagnoses, what could not be read, and the summary.
pub fn text(report: &Report) -> String {
    let l = labels(report.lang);
    let mut out = String::new();
    if report.groups.is_empty() {
        let _ = writeln!(out, "{}", l.nothing);
    } else {
        let rows: Vec<[String; 6]> = report
            .groups
            .iter()
            .map(|g| {
                [
                    g.severity.as_str().to_string(),
                    sanitize_inline(&g.signature.place()),
                    cell(&sanitize_inline(&g.title), CAUSE_WIDTH),
                    g.count.to_string(),
                    time(g.first_seen),
                    time(g.last_seen),
                ]
            })
            .collect();
        let header = [l.severity, l.place, l.cause, l.count, l.first_seen, l.last_seen];
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for row in &rows {
            for (w, c) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(c));
            }
        }
        let line = |cells: &[&str]| -> String {
            let last = cells.len() - 1;
            let mut s = String::new();
            for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
                if i == 3 {
                    // Counts align right.
                    s.push_str(&format!("{}{c}", " ".repeat(w.saturating_sub(width(c)))));
                } else if i == last {
                    s.push_str(c);
                } else {
                    s.push_str(&pad(c, *w));
                }
                if i < last {
                    s.push_str("  ");
                }
            }
            s.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&header));
        for (row, group) in rows.iter().zip(&report.groups) {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            let _ = writeln!(out, "{}", line(&cells));
            let _ = writeln!(out, "    → {}", short_step(group));
        }
    }
    for caveat in caveats(report) {
        let _ = writeln!(out, "! {caveat}");
    }
    if !report.groups.is_empty() {
        let _ = writeln!(out, "\n{}", l.details);
        for (i, group) in report.groups.iter().enumerate() {
            let _ = writeln!(
                out,
                "\n==== {}. {} · {} · {} × {} ====\n",
                i + 1,
                group.severity.as_str(),
                sanitize_inline(&group.signature.place()),
                group.count,
                group.signature.rule_id
            );
            let _ = writeln!(out, "{}", email(&group.example, &group.diagnosis));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `|` and line breaks would break a markdown table cell.
fn md_cell(text: &str) -> String {
    sanitize_inline(text).replace('|', "\\|")
}

/// A code fence longer than any run of backticks in `text`.
fn fence(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat((longest + 1).max(3))
}

/// For an incident ticket: the table, then each diagnosis in a code block.
pub fn markdown(report: &Report) -> String {
    let l = labels(report.lang);
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", l.heading);
    let _ = writeln!(out, "{}\n", summary(report));
    if report.groups.is_empty() {
        let _ = writeln!(out, "{}\n", l.nothing);
    } else {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            l.severity, l.place, l.cause, l.count, l.first_seen, l.last_seen, l.first_step
        );
        let _ = writeln!(out, "|---|---|---|---:|---|---|---|");
        for g in &report.groups {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                g.severity.as_str(),
                md_cell(&g.signature.place()),
                md_cell(&g.title),
                g.count,
                time(g.first_seen),
                time(g.last_seen),
                md_cell(&short_step(g)),
            );
        }
        out.push('\n');
    }
    let caveats = caveats(report);
    if !caveats.is_empty() {
        let _ = writeln!(out, "**{}**\n", l.not_read);
        for caveat in caveats {
            let _ = writeln!(out, "- {}", md_cell(&caveat));
        }
        out.push('\n');
    }
    for (i, g) in report.groups.iter().enumerate() {
        let _ = writeln!(
            out,
            "### {}. {}: {}\n",
            i + 1,
            md_cell(&g.signature.place()),
            md_cell(&g.title)
        );
        let _ = writeln!(
            out,
            "`{}` · {} · {} {} · {} – {}\n",
            g.signature.rule_id,
            g.severity.as_str(),
            g.count,
            l.tasks_or_events(g),
            time(g.first_seen),
            time(g.last_seen)
        );
        let body = email(&g.example, &g.diagnosis);
        let fence = fence(&body);
        let _ = writeln!(out, "{fence}text\n{body}\n{fence}\n");
    }
    out
}

impl Labels {
    fn tasks_or_events(&self, group: &Group) -> &'static str {
        if group.task_arns.is_empty() {
            self.events
        } else {
            self.tasks
        }
    }
}

/// The machine JSON; the schema is documented in docs/scan.md.
pub fn json(report: &Report) -> Value {
    let c = &report.coverage;
    let signatures: Vec<Value> = report
        .groups
        .iter()
        .map(|g| {
            json!({
                "severity": g.severity,
                "cluster": g.signature.cluster,
                "service": g.signature.service(),
                "family": g.signature.unit.strip_prefix("family:"),
                "ruleId": g.signature.rule_id,
                "category": g.category,
                "title": g.title,
                "firstStep": g.first_step,
                "count": g.count,
                "firstSeen": g.first_seen.map(iso8601_seconds),
                "lastSeen": g.last_seen.map(iso8601_seconds),
                "sources": g.sources,
                "taskArns": g.task_arns.iter().take(MAX_TASK_ARNS).collect::<Vec<_>>(),
                "example": diagnosis_json(&g.example, &g.diagnosis),
            })
        })
        .collect();
    let total_calls: u64 = c.api_calls.values().sum();
    json!({
        "schemaVersion": SCAN_SCHEMA_VERSION,
        "lang": report.lang,
        "minSeverity": report.min_severity,
        "sinceSeconds": report.since_seconds,
        "scannedAt": iso8601_seconds(report.scanned_at),
        "exitCode": report.exit_code(),
        "summary": {
            "text": summary(report),
            "problems": report.groups.len(),
            "places": report.places(),
            "clusters": c.clusters,
            "servicesExamined": c.services.len(),
            "healthyServicesSkipped": report.healthy_services(),
            "stoppedTasksExamined": c.stopped_tasks,
            "stoppedTasksBeforeSince": c.stopped_tasks_older,
            "serviceEventsExamined": c.service_events,
            "deploymentsExamined": c.deployments,
            "containerInstancesExamined": c.container_instances,
            "belowThreshold": report.below_threshold,
        },
        "capped": c.capped.iter().map(|x| json!({"cluster": x.cluster, "examined": x.examined})).collect::<Vec<_>>(),
        "errors": c.problems.iter().map(|p| json!({
            "cluster": p.cluster, "service": p.service, "kind": p.kind, "message": p.message,
        })).collect::<Vec<_>>(),
        "signatures": signatures,
        "apiCalls": {"total": total_calls, "byOperation": c.api_calls},
    })
}

/// `--stats`: the API calls of the scan, one line.
pub fn stats_line(report: &Report) -> String {
    let c = &report.coverage.api_calls;
    let total: u64 = c.values().sum();
    let parts: Vec<String> = c.iter().map(|(op, n)| format!("{op} {n}")).collect();
    format!("{total} API calls ({})", parts.join(", "))
}
