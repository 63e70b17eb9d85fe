//! `ecs-doctor mute`: mute a known failure for a while (rules in the SSM parameter the Lambda reads).

use clap::Subcommand;

use super::{now_epoch, Account};
use crate::aws;
use crate::config::mute::{self, MuteRule};

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

/// `ecs-doctor mute add|list|remove`: read, change and write the parameter
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
                    expires: crate::util::time::iso8601_from_epoch((now + duration) as f64).replace(".000Z", "Z"),
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
