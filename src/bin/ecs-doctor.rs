//! The `ecs-doctor` command: the same diagnosis as the Lambda, on a laptop, without AWS.
//!
//! This file only parses the command line and dispatches: each command is a module of
//! `ecs_doctor::cli` with its own `Args` and `run`. The doc comment of each variant below is the
//! command's line in `ecs-doctor --help`.

use std::process::ExitCode;
use std::sync::LazyLock;

use clap::{Parser, Subcommand};

use ecs_doctor::cli::{self, explain, rules};
#[cfg(feature = "aws")]
use ecs_doctor::cli::{check, mute, replay, scan, watch};

#[derive(Parser)]
#[command(
    name = "ecs-doctor",
    version = version(),
    about = "Explains why an Amazon ECS task failed, and what to do about it."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Diagnose an ECS event, `aws ecs describe-tasks` output, or a bare reason string.
    Explain(explain::Args),
    /// What is failing in these clusters right now, and why: stopped tasks, service events,
    /// deployments and container instances, grouped by failure signature.
    #[cfg(feature = "aws")]
    Scan(scan::Args),
    /// Read the dead-letter queue: show each event's diagnosis, or why it cannot be decoded;
    /// optionally publish it again and delete what was handled.
    #[cfg(feature = "aws")]
    Replay(replay::Args),
    /// Follow a service's deployment until it completes or fails; on failure, explain its
    /// stopped tasks and exit non-zero (a deploy gate for pipelines).
    #[cfg(feature = "aws")]
    Watch(watch::Args),
    /// Mute a known failure for a while (rules in the SSM parameter the Lambda reads).
    #[cfg(feature = "aws")]
    Mute(mute::Args),
    /// List the rule catalog.
    Rules(rules::Args),
    /// Before a deploy: check a task definition against itself and the account (images, roles,
    /// secrets, log groups, network path). Exit 0 ready, 3 a problem found, 1 an error.
    #[cfg(feature = "aws")]
    Check(check::Args),
}

/// `ecs-doctor --version`: the version and the size of the catalog it diagnoses with, so an
/// installed CLI says which rules it knows.
fn version() -> &'static str {
    static VERSION: LazyLock<String> = LazyLock::new(|| {
        format!(
            "{} ({} rules in the catalog)",
            env!("CARGO_PKG_VERSION"),
            ecs_doctor::diagnose::catalog::all_rules().count()
        )
    });
    &VERSION
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Explain(args) => explain::run(args),
        // Scan sets its own exit codes (problems found, interrupted).
        #[cfg(feature = "aws")]
        Command::Scan(args) => return scan::run(args),
        // Watch sets its own exit codes (completed, failed, timeout, interrupted).
        #[cfg(feature = "aws")]
        Command::Watch(args) => return watch::run(args),
        #[cfg(feature = "aws")]
        Command::Replay(args) => replay::run(args),
        #[cfg(feature = "aws")]
        Command::Mute(args) => mute::run(args),
        Command::Rules(args) => rules::run(args),
        // Check sets its own exit codes (3 when a check found a problem).
        #[cfg(feature = "aws")]
        Command::Check(args) => return check::run(args),
    };
    cli::finish(result)
}
