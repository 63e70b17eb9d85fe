//! The `ecs-doctor` command: the same diagnosis as the Lambda, on a laptop, without AWS.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use clap::{Parser, Subcommand, ValueEnum};
use std::sync::Arc;

use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{self, AwsVerifier, Backoff, ClusterSource, EcsScan, EcsTasks, Logs};
use ecs_doctor::config::DEFAULT_LOG_TAIL_LINES;
use ecs_doctor::diagnose::{diagnose, Lang, Severity};
use ecs_doctor::event::{self, MAX_INPUT_BYTES};
use ecs_doctor::handler::{enrich, live_deps};
use ecs_doctor::incident::{self, Incident};
use ecs_doctor::mute::{self, MuteRule};
use ecs_doctor::render;
use ecs_doctor::report::{self, Report};
use ecs_doctor::scan::{
    self,
    collect::{collect, Plan, Progress, Status, Step},
};
use ecs_doctor::verify;
use serde_json::{json, Value};

#[derive(Parser)]
#[command(
    name = "ecs-doctor",
    version,
    about = "Explains why an Amazon ECS task failed, and what to do about it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Diagnose an ECS event, `aws ecs describe-tasks` output, or a bare reason string.
    Explain {
        /// JSON file to read, or `-` for standard input.
        #[arg(required_unless_present_any = ["text", "task"], conflicts_with_all = ["text", "task"])]
        input: Option<PathBuf>,
        /// Diagnose this stopped reason / container reason / API failure text instead of a file.
        #[arg(long)]
        text: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Language of the explanation (default: $LANGUAGE, else en).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// Call ecs:DescribeTasks first (default AWS credential chain; honours AWS_ENDPOINT_URL).
        #[arg(long)]
        enrich: bool,
        /// Check the suspected cause against the account (read-only calls); implies --enrich.
        #[arg(long)]
        verify: bool,
        /// Fetch this task (ARN or ID) with ecs:DescribeTasks and explain it.
        #[arg(long, conflicts_with = "text")]
        task: Option<String>,
        /// The cluster of --task (name or ARN); may be left out when the task ARN names it.
        #[arg(long, requires = "task")]
        cluster: Option<String>,
    },
    /// What is failing in these clusters right now, and why: stopped tasks, service events,
    /// deployments and container instances, grouped by failure signature.
    Scan(ScanArgs),
    /// Read the dead-letter queue: show each event's diagnosis, or why it cannot be decoded;
    /// optionally publish it again and delete what was handled.
    Replay(ReplayArgs),
    /// Mute a known failure for a while (rules in the SSM parameter the Lambda reads).
    Mute {
        #[command(subcommand)]
        action: MuteAction,
    },
    /// List the rule catalog.
    Rules {
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
}

#[derive(Subcommand)]
enum MuteAction {
    /// Add a mute rule: matches when every given field matches.
    Add {
        #[command(flatten)]
        target: MuteTarget,
        #[arg(long)]
        account: Option<String>,
        /// Cluster name or ARN.
        #[arg(long)]
        cluster: Option<String>,
        #[arg(long)]
        service: Option<String>,
        /// Rule id (see `ecs-doctor rules`), e.g. image-pull.not-found.
        #[arg(long = "rule")]
        rule_id: Option<String>,
        /// Category, e.g. image-not-found.
        #[arg(long)]
        category: Option<String>,
        /// Value of the `team` routing tag.
        #[arg(long)]
        team: Option<String>,
        /// How long: 30m, 2h, 1d, 1h30m.
        #[arg(long = "for", value_parser = parse_for)]
        duration: i64,
        /// Why (shown in the logs and in `mute list`).
        #[arg(long)]
        reason: String,
    },
    /// List the mute rules (expired ones marked).
    List {
        #[command(flatten)]
        target: MuteTarget,
    },
    /// Remove a mute rule by id (or every expired rule with --expired).
    Remove {
        #[command(flatten)]
        target: MuteTarget,
        #[arg(required_unless_present = "expired")]
        id: Option<String>,
        #[arg(long)]
        expired: bool,
    },
}

#[derive(clap::Args)]
struct MuteTarget {
    /// The SSM parameter (default: $MUTE_PARAMETER_NAME, else /ecs-doctor/mutes).
    #[arg(long)]
    parameter: Option<String>,
}

impl MuteTarget {
    fn name(&self) -> String {
        self.parameter
            .clone()
            .or_else(|| {
                std::env::var("MUTE_PARAMETER_NAME")
                    .ok()
                    .filter(|v| !v.trim().is_empty())
            })
            .unwrap_or_else(|| DEFAULT_MUTE_PARAMETER.to_string())
    }
}

const DEFAULT_MUTE_PARAMETER: &str = "/ecs-doctor/mutes";

fn parse_for(value: &str) -> Result<i64, String> {
    mute::parse_duration(value).ok_or_else(|| format!("`{value}` is not a duration: use e.g. 30m, 2h, 1d or 1h30m"))
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Plain text, as e-mail subscribers receive it.
    Text,
    /// Same as text.
    Email,
    /// The machine JSON (SQS / Lambda subscribers).
    Json,
    /// The Amazon Q Developer (Slack / Teams) custom notification.
    Chat,
    /// The whole SNS Publish request: subject, attributes and every protocol body.
    Sns,
    /// The one-line SMS body.
    Sms,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

fn parse_lang(value: &str) -> Result<Lang, String> {
    value.parse()
}

fn default_lang(flag: Option<Lang>) -> Result<Lang, String> {
    match flag {
        Some(lang) => Ok(lang),
        None => match std::env::var("LANGUAGE") {
            // LANGUAGE is also a GNU gettext variable ("en_US:en"); only take it when it is ours.
            Ok(v) if v.parse::<Lang>().is_ok() => v.parse(),
            _ => Ok(Lang::En),
        },
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Explain {
            input,
            text,
            format,
            lang,
            enrich,
            verify,
            task,
            cluster,
        } => default_lang(lang).and_then(|lang| {
            let aws = match (verify, enrich || task.is_some()) {
                (true, _) => Aws::EnrichAndVerify,
                (false, true) => Aws::Enrich,
                (false, false) => Aws::Offline,
            };
            let task = task.map(|task| (task, cluster));
            explain(input, text, format, lang, aws, task)
        }),
        Command::Scan(args) => return scan(args),
        Command::Mute { action } => mute_command(action),
        Command::Replay(args) => replay(args),
        Command::Rules { format, lang } => default_lang(lang).map(|lang| match format {
            RulesFormat::Text => render::rules_text(lang),
            RulesFormat::Json => pretty(&render::rules_json()),
            RulesFormat::Markdown => render::rules_markdown(),
        }),
    };
    match result {
        Ok(output) => {
            print!("{output}");
            if !output.ends_with('\n') {
                println!();
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("ecs-doctor: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn explain(
    input: Option<PathBuf>,
    text: Option<String>,
    format: Format,
    lang: Lang,
    aws: Aws,
    task: Option<(String, Option<String>)>,
) -> Result<String, String> {
    // One runtime and one SDK configuration for everything this command reads.
    let mut account: Option<Account> = None;
    let incidents = match (text, input, task) {
        (_, _, Some((task, cluster))) => {
            let account = account.insert(Account::connect()?);
            vec![fetch_task(account, &task, cluster.as_deref())?]
        }
        (Some(text), _, None) => {
            if text.trim().is_empty() {
                return Err("--text is empty: give the stopped reason, container reason or failure text".into());
            }
            vec![event::from_text(&text)]
        }
        (None, Some(path), None) => {
            let bytes = read_input(&path)?;
            let name = if path.as_os_str() == "-" {
                "standard input".to_string()
            } else {
                path.display().to_string()
            };
            event::decode(&bytes).map_err(|e| format!("{name}: {e}"))?
        }
        (None, None, None) => return Err("give an input file, `-` for standard input, --text, or --task".into()),
    };
    let outputs: Vec<(Incident, Report)> = match aws {
        Aws::Offline => incidents
            .into_iter()
            .map(|incident| {
                let report = Report::from(diagnose(&incident, lang));
                (incident, report)
            })
            .collect(),
        _ => {
            let account = account.map_or_else(Account::connect, Ok)?;
            with_account(&account, incidents, lang, aws == Aws::EnrichAndVerify)
        }
    };
    Ok(match format {
        Format::Text | Format::Email => outputs
            .iter()
            .map(|(i, d)| render::email(i, d))
            .collect::<Vec<_>>()
            .join("\n\n========================================\n\n"),
        Format::Sms => outputs
            .iter()
            .map(|(i, d)| render::sms(i, d))
            .collect::<Vec<_>>()
            .join("\n"),
        Format::Json => one_or_many(outputs.iter().map(|(i, d)| render::json(i, d)).collect()),
        Format::Chat => one_or_many(outputs.iter().map(|(i, d)| render::chat(i, d)).collect()),
        Format::Sns => one_or_many(
            outputs
                .iter()
                .map(|(i, d)| {
                    let m = render::sns_message(i, d);
                    let message: Value = serde_json::from_str(&m.message).unwrap_or(Value::String(m.message.clone()));
                    let attributes: serde_json::Map<String, Value> = m
                        .attributes
                        .iter()
                        .map(|(k, v)| (k.to_string(), json!({"DataType": "String", "StringValue": v})))
                        .collect();
                    json!({
                        "Subject": m.subject,
                        "MessageStructure": "json",
                        "MessageAttributes": attributes,
                        "Message": message,
                        "MessageBytes": m.message.len(),
                    })
                })
                .collect(),
        ),
    })
}

fn one_or_many(mut values: Vec<Value>) -> String {
    if values.len() == 1 {
        pretty(&values.remove(0))
    } else {
        pretty(&Value::Array(values))
    }
}

fn pretty(value: &Value) -> String {
    // Serialising a Value cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn read_input(path: &PathBuf) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let limit = MAX_INPUT_BYTES as u64 + 1;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    result.map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(bytes)
}

/// How much of the account `explain` reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Aws {
    Offline,
    Enrich,
    EnrichAndVerify,
}

/// Enriches each incident, diagnoses it and, when asked, verifies the cause against the account.
fn with_account(account: &Account, incidents: Vec<Incident>, lang: Lang, check: bool) -> Vec<(Incident, Report)> {
    let clients = &account.clients;
    account.runtime.block_on(async {
        let home = clients.home().await;
        let tasks = EcsTasks::new(home.ecs().clone(), Logs::new(home.logs().clone()));
        let verifier = check.then(|| AwsVerifier::new(clients.clone()));
        let mut outputs = Vec::with_capacity(incidents.len());
        for mut incident in incidents {
            enrich(&tasks, &mut incident, DEFAULT_LOG_TAIL_LINES).await;
            let mut report = Report::from(diagnose(&incident, lang));
            report::verify(&verifier, &incident, &mut report, verify::DEFAULT_BUDGET).await;
            outputs.push((incident, report));
        }
        outputs
    })
}

/// The async runtime of a CLI command (one thread: the CLI waits on the account, not the CPU).
fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

/// The account as the CLI's AWS commands see it: the default credential chain and Region,
/// honouring `AWS_PROFILE`, `AWS_REGION` and `AWS_ENDPOINT_URL`, loaded once per command.
struct Account {
    runtime: tokio::runtime::Runtime,
    clients: Arc<Clients>,
}

impl Account {
    fn connect() -> Result<Self, String> {
        let runtime = runtime()?;
        let clients = Arc::new(runtime.block_on(async { Clients::new(aws::config::load().await) }));
        Ok(Self { runtime, clients })
    }
}

/// `explain --task`: the task as DescribeTasks reports it, as an incident to explain.
fn fetch_task(account: &Account, task: &str, cluster: Option<&str>) -> Result<Incident, String> {
    let task = task.trim();
    // A new-format task ARN names its cluster: arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID.
    let from_arn = task
        .split_once(":task/")
        .and_then(|(_, path)| path.split_once('/'))
        .map(|(cluster, _)| cluster.to_string());
    let Some(cluster) = cluster.map(str::to_string).or(from_arn) else {
        return Err(format!("--cluster is needed with the task ID `{task}`"));
    };
    let described = account.runtime.block_on(async {
        let source = EcsScan::new(account.clients.home().await.ecs().clone(), 1, Backoff::default());
        source.describe_tasks(&cluster, &[task.to_string()]).await
    });
    let described = described.map_err(|e| format!("cannot read task {task} in cluster {cluster}: {e}"))?;
    let Some(found) = described.into_iter().next() else {
        return Err(format!(
            "task {task} was not found in cluster {cluster}: ECS keeps stopped tasks for about an hour; check the ID, the cluster and the Region"
        ));
    };
    let cluster_arn = found
        .task_arn
        .split_once(":task/")
        .map(|(prefix, _)| format!("{prefix}:cluster/{}", incident::arn_name(&cluster)))
        .unwrap_or(cluster);
    Ok(scan::task_observation(&cluster_arn, found).incident)
}

#[derive(clap::Args)]
struct ScanArgs {
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

fn parse_duration(value: &str) -> Result<u64, String> {
    let value = value.trim();
    let (digits, unit) = value.split_at(value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{value}` is not a duration (e.g. 30s, 10m, 1h, 2d)"))?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{value}`: unknown unit `{unit}` (use s, m, h or d)")),
    };
    n.checked_mul(scale).ok_or_else(|| format!("`{value}` is too long"))
}

fn parse_severity(value: &str) -> Result<Severity, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "critical" => Ok(Severity::Critical),
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        "info" => Ok(Severity::Info),
        other => Err(format!("`{other}`: expected critical, error, warning or info")),
    }
}

/// Exit code after Ctrl-C (128 + SIGINT), as shells report it.
const EXIT_INTERRUPTED: u8 = 130;

fn scan(args: ScanArgs) -> ExitCode {
    let fail = |message: String| {
        eprintln!("ecs-doctor: error: {message}");
        ExitCode::from(scan::EXIT_ERROR)
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
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let progress = Arc::new(StderrProgress::new(args.quiet, lang));
    let plan = Plan {
        clusters: args.clusters.clone(),
        services: args.services.clone(),
        since: now.saturating_sub(args.since.saturating_mul(1000) as i64),
        max_tasks: args.max_tasks as usize,
    };
    let report = account.runtime.block_on(async {
        let ecs = account.clients.home().await.ecs().clone();
        let source = Arc::new(EcsScan::new(ecs, args.concurrency.into(), Backoff::default()));
        let scanned = async {
            let (observations, coverage) = collect(source, plan, progress.clone()).await?;
            let mut report = scan::Report::build(observations, coverage, lang, args.min_severity, args.since, now);
            if args.verify {
                report.verify(&AwsVerifier::new(account.clients.clone())).await;
            }
            Ok::<_, ecs_doctor::aws::ScanError>(report)
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
            return ExitCode::from(EXIT_INTERRUPTED);
        }
        Some(Err(err)) => return fail(err.to_string()),
        Some(Ok(report)) => report,
    };
    let output = match args.format {
        ScanFormat::Text => scan::render::text(&report),
        ScanFormat::Markdown => scan::render::markdown(&report),
        ScanFormat::Json => pretty(&scan::render::json(&report)),
    };
    print!("{output}");
    if !output.ends_with('\n') {
        println!();
    }
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

fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `ecs-doctor mute add|list|remove`: read, change and write the parameter
/// (`ssm:GetParameter`, `ssm:PutParameter`).
fn mute_command(action: MuteAction) -> Result<String, String> {
    let account = Account::connect()?;
    account.runtime.block_on(async {
        let ssm = account.clients.home().await.ssm().clone();
        let now = now_epoch();
        match action {
            MuteAction::Add {
                target,
                account,
                cluster,
                service,
                rule_id,
                category,
                team,
                duration,
                reason,
            } => {
                let name = target.name();
                if reason.trim().is_empty() {
                    return Err("--reason is empty: say why the failure is muted".into());
                }
                let mut rules = aws::mutes::load_rules(&ssm, &name).await?;
                let mut id = format!("m{now:x}");
                let mut n = 1;
                while rules.rules.iter().any(|r| r.id.as_deref() == Some(id.as_str())) {
                    n += 1;
                    id = format!("m{now:x}-{n}");
                }
                let rule = MuteRule {
                    id: Some(id),
                    account,
                    cluster,
                    service,
                    rule_id,
                    category,
                    team,
                    expires: ecs_doctor::util::time::iso8601_from_epoch((now + duration) as f64).replace(".000Z", "Z"),
                    reason,
                };
                // The same checks as the Lambda's: a rule must match something in particular.
                let mut changed = rules.clone();
                changed.rules.retain(|r| r.active(now));
                changed.rules.push(rule.clone());
                mute::MuteRules::parse(&changed.to_json()).map_err(|e| e.to_string())?;
                aws::mutes::store_rules(&ssm, &name, &changed).await?;
                rules = changed;
                Ok(format!(
                    "muted {} until {} ({}); {} rule(s) in {name}",
                    rule.describe(),
                    rule.expires,
                    rule.id.as_deref().unwrap_or(""),
                    rules.rules.len()
                ))
            }
            MuteAction::List { target } => {
                let name = target.name();
                let rules = aws::mutes::load_rules(&ssm, &name).await?;
                if rules.rules.is_empty() {
                    return Ok(format!("no mute rules in {name}"));
                }
                Ok(rules
                    .rules
                    .iter()
                    .map(|r| {
                        format!(
                            "{}\t{}\tuntil {}{}\t{}",
                            r.id.as_deref().unwrap_or("-"),
                            r.describe(),
                            r.expires,
                            if r.active(now) { "" } else { " (expired)" },
                            r.reason
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"))
            }
            MuteAction::Remove { target, id, expired } => {
                let name = target.name();
                let mut rules = aws::mutes::load_rules(&ssm, &name).await?;
                let before = rules.rules.len();
                let named = |r: &MuteRule| id.is_some() && r.id == id;
                rules.rules.retain(|r| !named(r) && (!expired || r.active(now)));
                let removed = before - rules.rules.len();
                if removed == 0 {
                    return Err(match id {
                        Some(id) => format!("no mute rule `{id}` in {name} (see `ecs-doctor mute list`)"),
                        None => format!("no expired mute rule in {name}"),
                    });
                }
                aws::mutes::store_rules(&ssm, &name, &rules).await?;
                Ok(format!(
                    "removed {removed} rule(s); {} left in {name}",
                    rules.rules.len()
                ))
            }
        }
    })
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// URL of the SQS dead-letter queue (the stack's DeadLetterQueueUrl output).
    #[arg(long)]
    queue: String,
    /// Run each event through the Lambda's pipeline (enrich, diagnose, deduplicate, publish).
    /// Reads the same variables as the function (TOPIC_ARN, DEDUP_TABLE, MIN_SEVERITY, ...).
    #[arg(long)]
    publish: bool,
    /// Delete each message whose event was published or deliberately skipped; a message whose
    /// event failed again or cannot be decoded always stays.
    #[arg(long, requires = "publish")]
    delete: bool,
    /// Topic to publish to (default: $TOPIC_ARN).
    #[arg(long, requires = "publish")]
    topic_arn: Option<String>,
    /// Read at most this many messages.
    #[arg(long, default_value_t = 1000)]
    max_messages: usize,
    /// Language of the output (default: $LANGUAGE, else en).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

fn replay(args: ReplayArgs) -> Result<String, String> {
    use ecs_doctor::aws::mutes::NoMutes;
    use ecs_doctor::aws::{NoLedger, SnsPublisher, SqsDeadLetterQueue};
    use ecs_doctor::config::{Config, TOPIC_ARN};
    use ecs_doctor::replay::{self, Options};
    use ecs_doctor::verify::NoVerifier;

    let lang = default_lang(args.lang)?;
    let options = Options {
        publish: args.publish,
        delete: args.delete,
        lang,
        max_messages: args.max_messages,
    };
    // Read before any AWS call, so a missing topic fails at once. The pipeline settings are the
    // function's own variables; --topic-arn stands in for TOPIC_ARN.
    let config = if args.publish {
        let topic_arn = args.topic_arn.clone();
        Some(
            Config::from_lookup(|name| match (name, &topic_arn) {
                (TOPIC_ARN, Some(arn)) => Some(arn.clone()),
                _ => std::env::var(name).ok(),
            })
            .map_err(|e| format!("{e} (--publish needs the topic: set TOPIC_ARN or pass --topic-arn)"))?,
        )
    } else {
        None
    };
    let entries = runtime()?.block_on(async {
        let sdk = aws::config::load().await;
        let queue = SqsDeadLetterQueue::new(Clients::new(sdk.clone()).home().await.sqs().clone(), &args.queue);
        match config {
            // The same clients and stages as the Lambda (src/main.rs).
            Some(config) => {
                let deps = live_deps(sdk, config).await;
                replay::replay(&queue, Some(&deps), options).await
            }
            None => {
                replay::replay::<_, EcsTasks, SnsPublisher, NoLedger, NoVerifier, NoMutes>(&queue, None, options).await
            }
        }
    });
    let entries = entries.map_err(|e| e.to_string())?;
    let mut out: Vec<String> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| replay::entry_text(i + 1, e, lang))
        .collect();
    out.push(replay::summary_text(&replay::summarize(&entries), args.publish, lang));
    Ok(out.join("\n\n"))
}
