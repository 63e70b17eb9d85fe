//! `ecs-doctor explain`: one event, `describe-tasks` output, reason text or live task, diagnosed.

use std::path::PathBuf;

use clap::ValueEnum;
use serde_json::{json, Value};

use super::{default_lang, parse_lang, pretty, read_input};
use crate::config::{self, Config};
use crate::diagnose::{diagnose, Lang};
use crate::event;
use crate::incident::Incident;
use crate::pipeline::route::{self, Publication};
use crate::render;
use crate::report::Report;

/// The account's side of `explain` (--enrich, --verify, --task).
#[cfg(feature = "aws")]
mod live;
use live::Live;

/// Without the `aws` feature there is no account to read: [`Live::connect`] says so, and no
/// value of the type can exist for the other methods to run on.
#[cfg(not(feature = "aws"))]
mod live {
    use crate::diagnose::Lang;
    use crate::incident::Incident;
    use crate::report::Report;

    pub(super) enum Live {}

    impl Live {
        pub(super) fn connect() -> Result<Live, String> {
            Err("--enrich, --verify and --task read the account, and this ecs-doctor was built without the `aws` feature; build it with default features (`cargo install --path .`)".into())
        }

        pub(super) fn fetch_task(&self, _: &str, _: Option<&str>) -> Result<Incident, String> {
            match *self {}
        }

        pub(super) fn reports(&self, _: Vec<Incident>, _: Lang, _: bool) -> Vec<(Incident, Report)> {
            match *self {}
        }
    }
}

#[derive(clap::Args)]
pub struct Args {
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
    /// With --format sns: the function's TOPIC_ARN (default: $TOPIC_ARN, else a placeholder).
    #[arg(long)]
    topic_arn: Option<String>,
    /// With --format sns: the function's ROUTING_TAGS, comma-separated (default: $ROUTING_TAGS,
    /// else team,owner,env).
    #[arg(long)]
    routing_tags: Option<String>,
    /// With --format sns: the function's ALLOWED_TOPIC_ARNS (default: $ALLOWED_TOPIC_ARNS).
    #[arg(long)]
    allowed_topics: Option<String>,
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

/// How much of the account `explain` reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Aws {
    Offline,
    Enrich,
    EnrichAndVerify,
}

pub fn run(args: Args) -> Result<String, String> {
    let Args {
        input,
        text,
        format,
        lang,
        enrich,
        verify,
        task,
        cluster,
        topic_arn,
        routing_tags,
        allowed_topics,
    } = args;
    // The Lambda's configuration, read the way the Lambda reads it: flags first, then the
    // environment. Only --format sns uses it (the topic and the routing attributes).
    let config = move || {
        let lookup = |name: &str| {
            let flag = match name {
                config::TOPIC_ARN => topic_arn.clone(),
                config::ROUTING_TAGS => routing_tags.clone(),
                config::ALLOWED_TOPIC_ARNS => allowed_topics.clone(),
                _ => None,
            };
            let value = flag.or_else(|| std::env::var(name).ok());
            match name {
                config::TOPIC_ARN => value.or_else(|| Some(PLACEHOLDER_TOPIC.to_string())),
                _ => value,
            }
        };
        Config::from_lookup(lookup).map_err(|e| format!("--format sns needs the function's configuration: {e}"))
    };
    default_lang(lang).and_then(|lang| {
        let aws = match (verify, enrich || task.is_some()) {
            (true, _) => Aws::EnrichAndVerify,
            (false, true) => Aws::Enrich,
            (false, false) => Aws::Offline,
        };
        let task = task.map(|task| (task, cluster));
        let config = matches!(format, Format::Sns).then(config).transpose()?;
        explain(input, text, format, lang, aws, task, config)
    })
}

/// The main topic when neither --topic-arn nor $TOPIC_ARN gives one: a bare team topic name
/// resolves against it as in the Lambda, and it reads as a placeholder.
const PLACEHOLDER_TOPIC: &str = "arn:aws:sns:REGION:ACCOUNT:TOPIC";

fn explain(
    input: Option<PathBuf>,
    text: Option<String>,
    format: Format,
    lang: Lang,
    aws: Aws,
    task: Option<(String, Option<String>)>,
    config: Option<Config>,
) -> Result<String, String> {
    // One runtime and one SDK configuration for everything this command reads.
    let mut account: Option<Live> = None;
    let incidents = match (text, input, task) {
        (_, _, Some((task, cluster))) => {
            let account = account.insert(Live::connect()?);
            vec![account.fetch_task(&task, cluster.as_deref())?]
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
            let account = account.map_or_else(Live::connect, Ok)?;
            account.reports(incidents, lang, aws == Aws::EnrichAndVerify)
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
        Format::Sns => {
            let config = config.ok_or("--format sns: no configuration")?;
            one_or_many(
                outputs
                    .into_iter()
                    .map(|(mut incident, report)| sns_request(&route::publication(&config, &mut incident, &report)))
                    .collect(),
            )
        }
    })
}

/// The SNS Publish request the Lambda would send, with each protocol's body parsed for reading.
fn sns_request(publication: &Publication) -> Value {
    let m = &publication.message;
    let message: Value = serde_json::from_str(&m.message).unwrap_or(Value::String(m.message.clone()));
    let attributes: serde_json::Map<String, Value> = m
        .attributes
        .iter()
        .map(|(k, v)| (k.to_string(), json!({"DataType": "String", "StringValue": v})))
        .collect();
    let mut request = json!({
        "TopicArn": publication.topic_arn,
        "Subject": m.subject,
        "MessageStructure": "json",
        "MessageAttributes": attributes,
        "Message": message,
        "MessageBytes": m.message.len(),
    });
    if let Some(main) = &publication.fallback_topic_arn {
        request["FallbackTopicArn"] = json!(main);
    }
    if !publication.left_out.is_empty() {
        request["AttributesLeftOut"] = json!(publication.left_out);
    }
    request
}

fn one_or_many(mut values: Vec<Value>) -> String {
    if values.len() == 1 {
        pretty(&values.remove(0))
    } else {
        pretty(&Value::Array(values))
    }
}
