//! `ecs-doctor replay`: the dead-letter queue read back, diagnosed, and optionally published again.

use crate::aws::clients::Clients;
use crate::aws::mutes::NoMutes;
use crate::aws::{self, EcsTasks, NoLedger, SnsPublisher, SqsDeadLetterQueue};
use crate::cli::replay::{self, Options};
use crate::cli::{default_lang, parse_lang, runtime};
use crate::config::{Config, TOPIC_ARN};
use crate::diagnose::Lang;
use crate::verify::NoVerifier;

#[derive(clap::Args)]
pub struct Args {
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

pub fn run(args: Args) -> Result<String, String> {
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
    // stdout is the report; the pipeline's metric lines are for CloudWatch, not for it.
    crate::pipeline::metrics_to_stderr();
    let entries = runtime()?.block_on(async {
        let sdk = aws::config::load().await;
        let queue = SqsDeadLetterQueue::new(Clients::new(sdk.clone()).home().await.sqs().clone(), &args.queue);
        match config {
            // The same clients and stages as the Lambda (src/main.rs).
            Some(config) => {
                let deps = crate::pipeline::live_deps(sdk, config).await;
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
        .map(|(i, e)| replay::render::entry_text(i + 1, e, lang))
        .collect();
    out.push(replay::render::summary_text(
        &replay::summarize(&entries),
        args.publish,
        lang,
    ));
    Ok(out.join("\n\n"))
}
