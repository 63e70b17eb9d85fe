//! `ecs-doctor check`: the deploy gate. Checks a task definition (a file, or one registered in
//! ECS) against itself and against the account before it is deployed.
//!
//! Exit codes: 0 nothing is wrong (a check that could not run is not a failure unless
//! `--strict`), 3 a check found a problem, 1 an error (unreadable file, no credentials, no such
//! task definition), said in one line.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use aws_sdk_ecs::config::ProvideCredentials;
use clap::ValueEnum;

use crate::aws::verify::preflight::{self, Plan};
use crate::cli::check::{definition, offline, render, Gate};
use crate::cli::exit::Code;
use crate::cli::{default_lang, parse_lang, pretty, print_api_error, print_output, read_input, Account};
use crate::diagnose::Lang;

#[derive(clap::Args)]
pub struct Args {
    /// A file (`register-task-definition` input or `describe-task-definition` output, `-` for
    /// standard input), or a registered family, `family:revision` or ARN.
    #[arg(long, value_name = "FILE|FAMILY[:REV]|ARN")]
    task_definition: String,
    /// The service's cluster (name or ARN). Default: `default`.
    #[arg(long, requires = "service")]
    cluster: Option<String>,
    /// The service to deploy to: its subnets, security groups and public IP setting are checked.
    #[arg(long)]
    service: Option<String>,
    /// Subnets the tasks will run in (comma-separated); overrides the service's.
    #[arg(long, value_delimiter = ',', value_name = "SUBNET,…")]
    subnets: Vec<String>,
    /// The tasks' security groups (comma-separated); overrides the service's.
    #[arg(long, value_delimiter = ',', value_name = "GROUP,…")]
    security_groups: Vec<String>,
    /// The tasks get a public IP (assignPublicIp ENABLED); overrides the service's.
    #[arg(long)]
    assign_public_ip: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Language of the output (default: $LANGUAGE, else en).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// A check that could not run fails the gate too (exit 3).
    #[arg(long)]
    strict: bool,
    /// Only the checks of the definition itself: no AWS call (needs a FILE).
    #[arg(long)]
    offline: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// One line per check: mark, word (ok / problem / not checked), id, facts.
    Text,
    /// A table, for a pull request or a step summary.
    Markdown,
    /// GitHub Actions annotations (and the Markdown table appended to $GITHUB_STEP_SUMMARY).
    Github,
    /// `{"passed", "counts", "checks": [{id, status, summary, facts}]}`.
    Json,
}

const NO_CREDENTIALS: &str = "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in (aws sso login); --offline checks the definition alone";

/// Where the definition comes from.
enum Source<'a> {
    File(&'a Path),
    Registered(&'a str),
}

/// A file when it is `-` or exists; an ARN or a `family[:revision]` otherwise.
fn source(value: &str) -> Source<'_> {
    let path = Path::new(value);
    if value == "-" || (!value.starts_with("arn:") && path.exists()) {
        return Source::File(path);
    }
    let family_like =
        value.starts_with("arn:") || value.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_:".contains(&b));
    if family_like {
        Source::Registered(value)
    } else {
        // Looks like a path (a slash, a dot), and it is not there: say so, as a file.
        Source::File(path)
    }
}

pub fn run(args: Args) -> ExitCode {
    match gate(&args) {
        Ok(gate) => {
            let output = match args.format {
                Format::Text => render::text(&gate),
                Format::Markdown => render::markdown(&gate),
                Format::Github => {
                    append_step_summary(&render::markdown(&gate));
                    render::github(&gate)
                }
                Format::Json => pretty(&render::json(&gate)),
            };
            print_output(&output);
            ExitCode::from(gate.exit_code())
        }
        Err(message) => {
            print_api_error(&message, default_lang(args.lang).unwrap_or_default());
            Code::Error.into()
        }
    }
}

fn gate(args: &Args) -> Result<Gate, String> {
    let lang = default_lang(args.lang)?;
    let source = source(&args.task_definition);
    if args.offline {
        let Source::File(path) = source else {
            return Err(format!(
                "--offline needs a file: `{}` would be read from ECS",
                args.task_definition
            ));
        };
        let definition = from_file(path)?;
        let checks = offline::checks(&definition, lang);
        return Ok(Gate::new(&definition, checks, lang, args.strict));
    }
    // A file is read before the account is: a bad file is the first thing to hear about.
    let (from_file, registered) = match source {
        Source::File(path) => (Some(from_file(path)?), None),
        Source::Registered(name) => (None, Some(name)),
    };
    let account = Account::connect()?;
    account.runtime.block_on(async {
        let home = account.clients.home().await;
        let config = home.config();
        if config.region().is_none() {
            return Err("no AWS Region: set AWS_REGION or a profile's region".to_string());
        }
        match config.credentials_provider() {
            Some(provider) => {
                // The provider chain's own error lists every provider it tried, over many lines.
                provider
                    .provide_credentials()
                    .await
                    .map_err(|_| NO_CREDENTIALS.to_string())?;
            }
            None => return Err(NO_CREDENTIALS.into()),
        }
        let definition = match (from_file, registered) {
            (Some(definition), _) => definition,
            (None, name) => {
                preflight::describe_definition(&account.clients, name.unwrap_or(&args.task_definition)).await?
            }
        };
        let plan = Plan {
            definition,
            cluster: args.cluster.clone(),
            service: args.service.clone(),
            subnets: args
                .subnets
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            security_groups: args
                .security_groups
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
            assign_public_ip: args.assign_public_ip.then_some(true),
        };
        let mut checks = offline::checks(&plan.definition, lang);
        checks.extend(preflight::account_checks(&account.clients, &plan, lang).await);
        Ok(Gate::new(&plan.definition, checks, lang, args.strict))
    })
}

fn from_file(path: &Path) -> Result<crate::incident::TaskDefinition, String> {
    let bytes = read_input(path)?;
    if bytes.len() > crate::event::MAX_INPUT_BYTES {
        return Err(format!(
            "{}: larger than {} bytes, which no task definition is",
            path.display(),
            crate::event::MAX_INPUT_BYTES
        ));
    }
    definition::parse(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// GitHub Actions shows the step summary file under the job; write nothing when it is not set.
fn append_step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| writeln!(f, "{markdown}"));
    if let Err(e) = written {
        eprintln!("ecs-doctor: cannot append to $GITHUB_STEP_SUMMARY: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_arns_are_read_from_ecs_and_paths_from_disk() {
        assert!(matches!(source("web"), Source::Registered("web")));
        assert!(matches!(source("web:12"), Source::Registered("web:12")));
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3";
        assert!(matches!(source(arn), Source::Registered(_)));
        assert!(matches!(source("-"), Source::File(_)));
        assert!(matches!(source("./missing/taskdef.json"), Source::File(_)));
        assert!(matches!(source("Cargo.toml"), Source::File(_)));
    }
}
