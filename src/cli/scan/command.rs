//! `ecs-doctor scan`: what is failing in these clusters right now, grouped by failure signature.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::ValueEnum;

use crate::aws::{AwsVerifier, Backoff, EcsReader};
use crate::cli::exit::Code;
use crate::cli::scan::{
    self,
    collect::{collect, Plan, Progress, Status, Step},
};
use crate::cli::{
    default_lang, parse_duration, parse_lang, parse_severity, pretty, print_error, print_output, Account,
};
use crate::diagnose::{Lang, Severity};

#[derive(clap::Args)]
pub struct Args {
    /// Cluster to scan (name or ARN); repeat for several. Default: every cluster of the Region.
    #[arg(long = "cluster", value_name = "CLUSTER")]
    clusters: Vec<String>,
    /// Only this service (name); repeat for several. Container instances are then not read.
    #[arg(long = "service", value_name = "SERVICE")]
    services: Vec<String>,
    /// How far back to look: 30s, 10m, 1h, 2d (ECS keeps stopped tasks for about an hour).
    #[arg(long, default_value = "1h", value_parser = parse_duration)]
    since: u64,
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    format: ScanFormat,
    /// Language of the output (default: $LANGUAGE, else en).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Least severe finding that counts as a problem (and makes the exit code 3).
    #[arg(long, default_value = "warning", value_parser = parse_severity)]
    min_severity: Severity,
    /// Most ECS calls in flight at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,
    /// Most stopped tasks examined per cluster; the output says when it capped.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    max_tasks: u32,
    /// Check the suspected cause of one example per signature against the account
    /// (the read-only calls of `explain --verify`).
    #[arg(long)]
    verify: bool,
    /// Nothing on standard error (no progress).
    #[arg(long)]
    quiet: bool,
    /// Print the time taken and the ECS calls made, per API, on standard error.
    #[arg(long)]
    stats: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ScanFormat {
    /// A table, then the full diagnosis of each problem, then a summary line.
    Text,
    /// The same for an incident ticket.
    Markdown,
    /// The documented machine schema (docs/scan.md).
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let fail = |message: String| {
        print_error(&message);
        Code::Error.into()
    };
    let lang = match default_lang(args.lang) {
        Ok(lang) => lang,
        Err(message) => return fail(message),
    };
    let account = match Account::connect() {
        Ok(account) => account,
        Err(message) => return fail(message),
    };
    let started = std::time::Instant::now();
    let now = crate::util::time::now_epoch_millis() as i64;
    let progress = Arc::new(StderrProgress::new(args.quiet, lang));
    let plan = Plan {
        clusters: args.clusters.clone(),
        services: args.services.clone(),
        since: now.saturating_sub(args.since.saturating_mul(1000) as i64),
        max_tasks: args.max_tasks as usize,
    };
    let report = account.runtime.block_on(async {
        let ecs = account.clients.home().await.ecs().clone();
        let source = Arc::new(EcsReader::new(ecs, args.concurrency.into(), Backoff::default()));
        let scanned = async {
            let (observations, coverage) = collect(source, plan, progress.clone()).await?;
            let mut report = scan::Report::build(observations, coverage, lang, args.min_severity, args.since, now);
            if args.verify {
                report.verify(&AwsVerifier::new(account.clients.clone())).await;
            }
            Ok::<_, crate::aws::ScanError>(report)
        };
        tokio::select! {
            report = scanned => Some(report),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    progress.finish();
    let report = match report {
        None => {
            eprintln!("ecs-doctor: scan interrupted");
            return Code::Interrupted.into();
        }
        Some(Err(err)) => return fail(err.to_string()),
        Some(Ok(report)) => report,
    };
    let output = match args.format {
        ScanFormat::Text => scan::render::text(&report),
        ScanFormat::Markdown => scan::render::markdown(&report),
        ScanFormat::Json => pretty(&scan::render::json(&report)),
    };
    print_output(&output);
    if args.stats {
        eprintln!(
            "ecs-doctor: scan took {:.2} s; {}",
            started.elapsed().as_secs_f64(),
            scan::render::stats_line(&report)
        );
    }
    ExitCode::from(report.exit_code())
}

/// Progress on standard error: one line updated in place on a terminal, a line per step
/// otherwise, nothing with `--quiet`.
struct StderrProgress {
    quiet: bool,
    tty: bool,
    lang: Lang,
    last: Mutex<Option<std::time::Instant>>,
}

impl StderrProgress {
    fn new(quiet: bool, lang: Lang) -> Self {
        StderrProgress {
            quiet,
            tty: std::io::stderr().is_terminal(),
            lang,
            last: Mutex::new(None),
        }
    }

    /// Clears the in-place line.
    fn finish(&self) {
        if !self.quiet && self.tty && self.last.lock().is_ok_and(|l| l.is_some()) {
            eprint!("\r\x1b[2K");
        }
    }
}

impl Progress for StderrProgress {
    fn update(&self, step: &Step, s: Status) {
        if self.quiet {
            return;
        }
        if self.tty {
            let Ok(mut last) = self.last.lock() else { return };
            // A terminal redraw ten times a second is plenty.
            let due = last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(100));
            if !due && !matches!(step, Step::ClusterDone(_)) {
                return;
            }
            *last = Some(std::time::Instant::now());
            let line = match self.lang {
                Lang::En => format!(
                    "scanning: {}/{} clusters, {}/{} stopped tasks described, {} services read",
                    s.clusters_done, s.clusters_total, s.tasks_described, s.tasks_listed, s.services_described
                ),
                Lang::Ja => format!(
                    "スキャン中: クラスター {}/{}、停止タスク {}/{} 件、サービス {} 件",
                    s.clusters_done, s.clusters_total, s.tasks_described, s.tasks_listed, s.services_described
                ),
            };
            eprint!("\r\x1b[2K{line}");
            return;
        }
        let line = match (self.lang, step) {
            (Lang::En, Step::ClusterStarted(c)) => format!("scanning cluster {c}"),
            (Lang::Ja, Step::ClusterStarted(c)) => format!("クラスター {c} をスキャンしています"),
            (Lang::En, Step::TasksListed { cluster, count, capped }) => format!(
                "{cluster}: {count} stopped tasks to examine{}",
                if *capped { " (capped by --max-tasks)" } else { "" }
            ),
            (Lang::Ja, Step::TasksListed { cluster, count, capped }) => format!(
                "{cluster}: 確認する停止タスク {count} 件{}",
                if *capped { " (--max-tasks で上限)" } else { "" }
            ),
            (Lang::En, Step::ClusterDone(c)) => {
                format!("{c}: done ({}/{} clusters)", s.clusters_done, s.clusters_total)
            }
            (Lang::Ja, Step::ClusterDone(c)) => {
                format!("{c}: 完了 (クラスター {}/{})", s.clusters_done, s.clusters_total)
            }
            _ => return,
        };
        eprintln!("{line}");
    }
}
