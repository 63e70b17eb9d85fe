//! `ecs-doctor watch`: follow a deployment in a pipeline, and fail the pipeline with the reason.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::ValueEnum;

use crate::aws::{AwsVerifier, EcsTasks, Logs};
use crate::cli::{
    default_lang, parse_duration, parse_lang, pretty, print_api_error, print_error, print_output, Account,
};
use crate::diagnose::Lang;
use crate::incident::arn_name;

use super::render::{annotations, json_document, progress_line, step_summary, text};
use crate::cli::exit::Code;
use crate::cli::watch::{self, Options, Step};
use crate::util::text::sanitize_inline;

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
            Code::Interrupted.into()
        }
        Some(Err(e)) => {
            let message = format!("cannot follow {}/{}: {e}", arn_name(&args.cluster), args.service);
            print_api_error(&message, lang);
            Code::Error.into()
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
    Code::Error.into()
}
