//! The `ecs-doctor` command: the same diagnosis as the Lambda, on a laptop, without AWS.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use std::sync::Arc;

use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{self, AwsVerifier, EcsTasks, Logs};
use ecs_doctor::config::DEFAULT_LOG_TAIL_LINES;
use ecs_doctor::diagnose::{diagnose, Diagnosis, Lang};
use ecs_doctor::event::{self, MAX_INPUT_BYTES};
use ecs_doctor::handler::enrich;
use ecs_doctor::incident::Incident;
use ecs_doctor::mute::{self, MuteRule};
use ecs_doctor::render;
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
        #[arg(required_unless_present = "text", conflicts_with = "text")]
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
    },
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
        } => default_lang(lang).and_then(|lang| {
            let aws = match (verify, enrich) {
                (true, _) => Aws::EnrichAndVerify,
                (false, true) => Aws::Enrich,
                (false, false) => Aws::Offline,
            };
            explain(input, text, format, lang, aws)
        }),
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
) -> Result<String, String> {
    let incidents = match (text, input) {
        (Some(text), _) => {
            if text.trim().is_empty() {
                return Err("--text is empty: give the stopped reason, container reason or failure text".into());
            }
            vec![event::from_text(&text)]
        }
        (None, Some(path)) => {
            let bytes = read_input(&path)?;
            let name = if path.as_os_str() == "-" {
                "standard input".to_string()
            } else {
                path.display().to_string()
            };
            event::decode(&bytes).map_err(|e| format!("{name}: {e}"))?
        }
        (None, None) => return Err("give an input file, `-` for standard input, or --text".into()),
    };
    let outputs: Vec<(Incident, Diagnosis)> = match aws {
        Aws::Offline => incidents
            .into_iter()
            .map(|incident| {
                let diagnosis = diagnose(&incident, lang);
                (incident, diagnosis)
            })
            .collect(),
        _ => with_account(incidents, lang, aws == Aws::EnrichAndVerify)?,
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
fn with_account(incidents: Vec<Incident>, lang: Lang, check: bool) -> Result<Vec<(Incident, Diagnosis)>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    Ok(runtime.block_on(async {
        let clients = Arc::new(Clients::new(aws::config::load().await));
        let home = clients.home().await;
        let tasks = EcsTasks::new(home.ecs().clone(), Logs::new(home.logs().clone()));
        let verifier = check.then(|| AwsVerifier::new(clients.clone()));
        let mut outputs = Vec::with_capacity(incidents.len());
        for mut incident in incidents {
            enrich(&tasks, &mut incident, DEFAULT_LOG_TAIL_LINES).await;
            let mut diagnosis = diagnose(&incident, lang);
            verify::run(&verifier, &incident, &mut diagnosis, verify::DEFAULT_BUDGET).await;
            outputs.push((incident, diagnosis));
        }
        outputs
    }))
}

fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `ecs-doctor mute add|list|remove`: read, change and write the parameter
/// (`ssm:GetParameter`, `ssm:PutParameter`).
fn mute_command(action: MuteAction) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    runtime.block_on(async {
        let sdk = aws::config::load().await;
        let ssm = aws_sdk_ssm::Client::new(&sdk);
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
                    expires: ecs_doctor::event::lenient::iso8601_from_epoch((now + duration) as f64)
                        .replace(".000Z", "Z"),
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let entries = runtime.block_on(async {
        let clients = Arc::new(Clients::new(aws::config::load().await));
        let home = clients.home().await;
        let queue = SqsDeadLetterQueue::new(home.sqs().clone(), &args.queue);
        match config {
            // The same clients and stages as the Lambda (src/main.rs).
            Some(config) => {
                let deps = aws::live_deps(aws::config::load().await, config).await;
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
