//! The `ecs-doctor` commands, one module each; `src/bin/ecs-doctor.rs` only parses and dispatches.
//!
//! A command is a module with a `#[derive(clap::Args)] pub struct Args` (its flags, their doc
//! comments being the help text) and a `pub fn run(args: Args)` returning the text to print
//! (`Result<String, String>`, printed by [`finish`]) or, when it sets its own exit codes, an
//! [`ExitCode`]. The bin wraps each `Args` in a variant of its `Command` enum, whose doc comment
//! is the command's line in `ecs-doctor --help` (so `Args` itself has none). A command's own
//! choices (its `--format` values, its progress display) stay in its module; the plumbing every
//! command draws on (the account, the runtime, input, language, durations, severities, printing)
//! lives here, once.
//!
//! The CLI sits at the top of the module graph: it may use any module, and none uses it.

#[cfg(feature = "aws")]
pub mod check;
pub mod exit;
pub mod explain;
#[cfg(feature = "aws")]
pub mod mute;
#[cfg(feature = "aws")]
pub mod replay;
pub mod rules;
#[cfg(feature = "aws")]
pub mod scan;
#[cfg(feature = "aws")]
pub mod watch;

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
#[cfg(feature = "aws")]
use std::sync::Arc;

use serde_json::Value;

#[cfg(feature = "aws")]
use crate::aws::{self, clients::Clients};
use crate::diagnose::Lang;
#[cfg(feature = "aws")]
use crate::diagnose::Severity;
use crate::event::MAX_INPUT_BYTES;

/// Prints a command's output (ending it with a newline) and exits 0, or prints its error and exits 1.
pub fn finish(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(output) => {
            print_output(&output);
            exit::Code::Ok.into()
        }
        Err(message) => {
            print_error(&message);
            exit::Code::Error.into()
        }
    }
}

/// Standard output, with a final newline when the text has none. A reader that went away
/// (`ecs-doctor explain … | head -8`) ends the output quietly: `print!` would panic with
/// "failed printing to stdout", and the command's exit code still says how it ended.
fn print_output(output: &str) {
    let newline = if output.ends_with('\n') { "" } else { "\n" };
    write_quietly(&mut std::io::stdout().lock(), output, newline);
}

fn print_error(message: &str) {
    write_quietly(
        &mut std::io::stderr().lock(),
        &format!("ecs-doctor: error: {message}"),
        "\n",
    );
}

/// Writes `text` and `end`, ignoring a closed pipe (or any other write error: there is nowhere
/// left to report it). Every command's output and error passes here: the CLI's render boundary
/// ([`crate::render::clean_output`]).
fn write_quietly(out: &mut impl Write, text: &str, end: &str) {
    let text = crate::render::clean_output(text);
    let _ = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(end.as_bytes()))
        .and_then(|()| out.flush());
}

/// [`print_error`], and when the error is an ECS API error the catalog knows
/// (`ClusterNotFoundException`, a denied action, an invalid task definition, …) one more line:
/// what it means and the first thing to do, from the rules that explain a refused call in
/// CloudTrail.
#[cfg(feature = "aws")]
fn print_api_error(message: &str, lang: Lang) {
    print_error(message);
    let diagnosis = crate::diagnose::diagnose(&crate::event::from_text(message), lang);
    let finding = diagnosis.primary();
    if finding.rule_id.starts_with("api-error.") {
        let step = finding.remediation.first().map(|s| format!(" {s}")).unwrap_or_default();
        eprintln!(
            "ecs-doctor: {} ({}).{}",
            crate::util::text::sanitize_inline(&finding.title),
            finding.rule_id,
            crate::util::text::sanitize_inline(&step)
        );
    }
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

#[cfg(feature = "aws")]
/// Seconds, in the one duration grammar ([`crate::util::duration`]).
fn parse_duration(value: &str) -> Result<u64, String> {
    crate::util::duration::parse_seconds(value)
}

#[cfg(feature = "aws")]
fn parse_severity(value: &str) -> Result<Severity, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "critical" => Ok(Severity::Critical),
        "error" => Ok(Severity::Error),
        "warning" => Ok(Severity::Warning),
        "info" => Ok(Severity::Info),
        other => Err(format!("`{other}`: expected critical, error, warning or info")),
    }
}

#[cfg(feature = "aws")]
fn now_epoch() -> i64 {
    crate::util::time::now_epoch_seconds() as i64
}

fn pretty(value: &Value) -> String {
    // Serialising a Value cannot fail.
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn read_input(path: &Path) -> Result<Vec<u8>, String> {
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

#[cfg(feature = "aws")]
/// The async runtime of a CLI command (one thread: the CLI waits on the account, not the CPU).
fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))
}

#[cfg(feature = "aws")]
/// The account as the CLI's AWS commands see it: the default credential chain and Region,
/// honouring `AWS_PROFILE`, `AWS_REGION` and `AWS_ENDPOINT_URL`, loaded once per command.
struct Account {
    runtime: tokio::runtime::Runtime,
    clients: Arc<Clients>,
}

#[cfg(feature = "aws")]
impl Account {
    fn connect() -> Result<Self, String> {
        let runtime = runtime()?;
        let clients = Arc::new(runtime.block_on(async { Clients::new(aws::config::load().await) }));
        Ok(Self { runtime, clients })
    }
}
