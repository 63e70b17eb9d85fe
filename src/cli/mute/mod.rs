//! `ecs-doctor mute`: mute a known failure for a while (rules in the SSM parameter the Lambda
//! reads). The changes to the rules are pure ([`edit`]); this module reads and writes the
//! parameter around them.

use clap::Subcommand;

mod edit;

use self::edit::NewMute;
use crate::aws;
use crate::cli::{now_epoch, Account};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: MuteAction,
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
    let seconds = crate::util::duration::parse_seconds(value)?;
    i64::try_from(seconds).map_err(|_| format!("`{value}` is too long"))
}

/// `ecs-doctor mute add|list|remove`: read the parameter, change it ([`edit`]), write it back
/// (`ssm:GetParameter`, `ssm:PutParameter`).
pub fn run(args: Args) -> Result<String, String> {
    let action = args.action;
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
                let new = NewMute {
                    account,
                    cluster,
                    service,
                    rule_id,
                    category,
                    team,
                    duration,
                    reason,
                };
                // Before the read: a mute without a reason is refused without a call.
                edit::has_reason(&new.reason)?;
                let rules = aws::mutes::load_rules(&ssm, &name).await?;
                let (rules, rule) = edit::add(&rules, new, now)?;
                aws::mutes::store_rules(&ssm, &name, &rules).await?;
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
                Ok(edit::list(&rules, now).join("\n"))
            }
            MuteAction::Remove { target, id, expired } => {
                let name = target.name();
                let rules = aws::mutes::load_rules(&ssm, &name).await?;
                let (rules, removed) = edit::remove(&rules, id.as_deref(), expired, now, &name)?;
                aws::mutes::store_rules(&ssm, &name, &rules).await?;
                Ok(format!(
                    "removed {removed} rule(s); {} left in {name}",
                    rules.rules.len()
                ))
            }
        }
    })
}
