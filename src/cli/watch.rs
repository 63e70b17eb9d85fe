//! `ecs-doctor watch`: follow a deployment in a pipeline, and fail the pipeline with the reason.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;
use serde_json::{json, Value};

use super::{default_lang, parse_duration, parse_lang, pretty, print_api_error, print_error, print_output, Account};
use crate::aws::{AwsVerifier, EcsTasks, Logs};
use crate::diagnose::Lang;
use crate::incident::arn_name;
use crate::render;
use crate::util::text::sanitize_inline;
use crate::watch::{self, End, Options, Outcome, Step};

/// Exit code when interrupted (Ctrl-C).
const EXIT_INTERRUPTED: u8 = 130;
/// Exit code on error (no credentials, no such service).
const EXIT_ERROR: u8 = 1;

#[derive(clap::Args)]
#[command(
    after_help = "Exit codes:\n  0    this deployment COMPLETED\n  3    it FAILED, was rolled back or was replaced (a rollback that reaches a steady state is not a success)\n  4    timeout, and tasks of this deployment had failed\n  5    timeout, still in progress with no failure\n  1    error (credentials, unknown cluster, service or deployment)\n  130  interrupted (Ctrl-C)"
)]
pub struct Args {
    /// The cluster (name or ARN).
    #[arg(long)]
    cluster: String,
    /// The service.
    #[arg(long)]
    service: String,
    /// The deployment to follow (`ecs-svc/…`); default: the newest.
    #[arg(long, conflicts_with = "task_definition")]
    deployment: Option<String>,
    /// Follow the newest deployment of this task definition (ARN or family:revision).
    #[arg(long)]
    task_definition: Option<String>,
    /// Give up after this long (30s, 10m, 1h).
    #[arg(long, default_value = "30m", value_parser = parse_duration)]
    timeout: u64,
    /// Time between two reads of the service.
    #[arg(long, default_value = "15s", value_parser = parse_duration)]
    interval: u64,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Check the failed tasks' cause against the account (read-only calls), as the Lambda does.
    #[arg(long)]
    verify: bool,
    /// Language of the diagnosis (default: $LANGUAGE, else en).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Progress on stderr, the result and the diagnosis in plain text on stdout.
    Text,
    /// One JSON document on stdout.
    Json,
    /// GitHub Actions: `::error` annotations, and a summary appended to $GITHUB_STEP_SUMMARY.
    Github,
}

pub fn run(args: Args) -> ExitCode {
    let lang = match default_lang(args.lang) {
        Ok(lang) => lang,
        Err(e) => return error(&e),
    };
    let options = Options {
        cluster: args.cluster.clone(),
        service: args.service.clone(),
        deployment: args.deployment.clone(),
        task_definition: args.task_definition.clone(),
        timeout: Duration::from_secs(args.timeout),
        interval: Duration::from_secs(args.interval.max(1)),
        lang,
    };
    let account = match Account::connect() {
        Ok(account) => account,
        Err(e) => return error(&e),
    };
    let format = args.format;
    let result = account.runtime.block_on(async {
        let home = account.clients.home().await;
        let tasks = EcsTasks::new(home.ecs().clone(), Logs::new(home.logs().clone()));
        let verifier = args.verify.then(|| AwsVerifier::new(account.clients.clone()));
        let progress = |step: Step| {
            if let Some(line) = progress_line(&step, lang) {
                eprintln!("watch: {}", sanitize_inline(&line));
            }
        };
        tokio::select! {
            outcome = watch::watch(&tasks, &verifier, &options, progress) => Some(outcome),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    match result {
        None => {
            eprintln!("watch: interrupted");
            ExitCode::from(EXIT_INTERRUPTED)
        }
        Some(Err(e)) => {
            let message = format!("cannot follow {}/{}: {e}", arn_name(&args.cluster), args.service);
            print_api_error(&message, lang);
            ExitCode::from(EXIT_ERROR)
        }
        Some(Ok(outcome)) => {
            let place = format!("{}/{}", arn_name(&args.cluster), args.service);
            match format {
                Format::Text => print_output(&text(&place, &outcome, lang)),
                Format::Json => print_output(&pretty(&json_document(&args.cluster, &args.service, &outcome))),
                Format::Github => {
                    print_output(&annotations(&place, &outcome));
                    if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY") {
                        let appended = std::fs::OpenOptions::new()
                            .create(true)
                            .append(true)
                            .open(&path)
                            .and_then(|mut f| f.write_all(step_summary(&place, &outcome).as_bytes()));
                        if let Err(e) = appended {
                            eprintln!("watch: cannot append to $GITHUB_STEP_SUMMARY: {e}");
                        }
                    }
                }
            }
            ExitCode::from(outcome.end.exit_code())
        }
    }
}

fn error(message: &str) -> ExitCode {
    print_error(message);
    ExitCode::from(EXIT_ERROR)
}

/// One progress line per change, for stderr.
pub fn progress_line(step: &Step, lang: Lang) -> Option<String> {
    let ja = lang == Lang::Ja;
    Some(match step {
        Step::Following {
            deployment_id,
            task_definition,
        } => {
            let td = task_definition.as_deref().map(arn_name).unwrap_or("?");
            if ja {
                format!("デプロイ {deployment_id} ({td}) を追跡します")
            } else {
                format!("following deployment {deployment_id} ({td})")
            }
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
            if ja {
                format!("このデプロイのタスクが失敗しました: {}", causes.join(", "))
            } else {
                format!("tasks of this deployment failed: {}", causes.join(", "))
            }
        }
    })
}

/// The result line: "Deployment ecs-svc/1 of prod/api FAILED (exit 3); rolled back to api:63".
pub fn result_line(place: &str, outcome: &Outcome, lang: Lang) -> String {
    let word = match (outcome.end, lang) {
        (End::Completed, Lang::En) => "COMPLETED",
        (End::Failed, Lang::En) => "FAILED",
        (End::TimeoutFailing, Lang::En) => "TIMED OUT with failed tasks",
        (End::TimeoutInProgress, Lang::En) => "TIMED OUT, still in progress",
        (End::Completed, Lang::Ja) => "完了 (COMPLETED)",
        (End::Failed, Lang::Ja) => "失敗 (FAILED)",
        (End::TimeoutFailing, Lang::Ja) => "タイムアウト (失敗タスクあり)",
        (End::TimeoutInProgress, Lang::Ja) => "タイムアウト (進行中)",
    };
    let mut line = match lang {
        Lang::En => format!(
            "Deployment {} of {place}: {word} (exit {})",
            outcome.deployment_id,
            outcome.end.exit_code()
        ),
        Lang::Ja => format!(
            "{place} のデプロイ {}: {word} (終了コード {})",
            outcome.deployment_id,
            outcome.end.exit_code()
        ),
    };
    if let (End::Failed, Some(by)) = (outcome.end, &outcome.replaced_by) {
        let td = by.task_definition.as_deref().map(arn_name).unwrap_or("?");
        line.push_str(&match lang {
            Lang::En => format!("; the service now runs {} ({td})", by.id),
            Lang::Ja => format!("。サービスは現在 {} ({td}) で動いています", by.id),
        });
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

fn json_document(cluster: &str, service: &str, outcome: &Outcome) -> Value {
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
