//! Reads for the logs checks: the awslogs group (`logs:DescribeLogGroups`) and what the task
//! execution role may do with it (`iam:SimulatePrincipalPolicy`).

use aws_config::Region;

use super::access::{self, Ask};
use super::{unavailable, Ctx};
use crate::aws::clients::AccountClients;
use crate::diagnose::Lang;
use crate::incident::ArnParts;
use crate::incident::ContainerDefinition;
use crate::verify::access::Decision;
use crate::verify::logs::{self, LogsFacts, ROLE_ID};
use crate::verify::{texts, Check, Unavailable};

const GROUP_ID: &str = "logs.log-group";

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    Box::pin(checks(ctx)).await
}

async fn checks(ctx: &Ctx<'_>) -> Vec<Check> {
    let subject = texts::category_subject(ctx.finding.category, ctx.lang);
    let Some(container) = awslogs_container(ctx) else {
        let why = Unavailable::Missing(match ctx.lang {
            Lang::En => "an awslogs container with `awslogs-group` in the task definition".into(),
            Lang::Ja => "タスク定義で `awslogs-group` を指定した awslogs のコンテナ".into(),
        });
        return vec![Check::not_checked(GROUP_ID, subject, &why, ctx.lang)];
    };
    let role = ctx
        .incident
        .task_definition
        .as_ref()
        .and_then(|d| d.execution_role_arn.as_deref());
    group_checks(
        ctx.aws,
        container,
        role,
        ctx.incident.account.as_deref(),
        subject,
        ctx.lang,
    )
    .await
}

/// `logs.log-group` and `iam.execution-role-logs` for one awslogs container: the checks of a
/// failed log setup, and of `ecs-doctor check` before a deploy. `account` is the task's
/// account when the execution role's ARN does not say it.
pub(super) async fn group_checks(
    aws: &AccountClients,
    container: &ContainerDefinition,
    role: Option<&str>,
    account: Option<&str>,
    subject: &str,
    lang: Lang,
) -> Vec<Check> {
    let Some(group) = container.log_option("awslogs-group") else {
        return Vec::new();
    };
    let region = container
        .log_option("awslogs-region")
        .map(str::to_string)
        .or_else(|| aws.target.region.clone())
        .or_else(|| aws.config().region().map(|r| r.to_string()))
        .unwrap_or_default();
    let create_group = container
        .log_option("awslogs-create-group")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let account = role
        .and_then(ArnParts::parse)
        .map(|a| a.account.to_string())
        .or_else(|| account.map(str::to_string))
        .or_else(|| aws.target.account.clone());
    let partition = role.and_then(ArnParts::parse).map(|a| a.partition).unwrap_or("aws");
    let group_arn = account
        .as_deref()
        .map(|a| format!("arn:{partition}:logs:{region}:{a}:log-group:{group}"));

    let (exists, role_check) = tokio::join!(group_exists(aws, group, &region), async {
        match (role, &group_arn) {
            (Some(role), Some(arn)) => {
                let actions = ["logs:CreateLogStream", "logs:PutLogEvents"];
                Some(
                    match simulate(aws, role, &actions, &format!("{arn}:log-stream:*")).await {
                        Ok(decisions) => logs::judge_role(role, group, &decisions, lang),
                        Err(why) => Check::not_checked(ROLE_ID, subject, &why, lang),
                    },
                )
            }
            _ => None,
        }
    });
    let mut checks = Vec::new();
    match exists {
        Ok(exists) => {
            let facts = LogsFacts {
                container: container.name.clone(),
                group: group.to_string(),
                region: region.clone(),
                exists,
                create_group,
            };
            let create = match (exists, create_group, role, &group_arn) {
                (false, true, Some(role), Some(arn)) => simulate(aws, role, &["logs:CreateLogGroup"], arn)
                    .await
                    .ok()
                    .and_then(|d| d.into_iter().next().map(|(_, d)| d)),
                _ => None,
            };
            checks.push(logs::judge_group(&facts, create.as_ref(), lang));
        }
        Err(why) => checks.push(Check::not_checked(GROUP_ID, subject, &why, lang)),
    }
    match role_check {
        Some(check) => checks.push(check),
        None if role.is_none() => {
            let why = Unavailable::Missing(match lang {
                Lang::En => "the task execution role".into(),
                Lang::Ja => "タスク実行ロール".into(),
            });
            checks.push(Check::not_checked(ROLE_ID, subject, &why, lang));
        }
        None => {}
    }
    checks
}

/// The container whose logging failed (the finding's), else the first with `awslogs-group`.
fn awslogs_container<'a>(ctx: &'a Ctx<'_>) -> Option<&'a ContainerDefinition> {
    let definition = ctx.incident.task_definition.as_ref()?;
    let awslogs = |c: &&ContainerDefinition| {
        c.log_driver.as_deref() == Some("awslogs") && c.log_option("awslogs-group").is_some()
    };
    ctx.finding
        .evidence
        .container
        .as_deref()
        .and_then(|name| definition.container(name))
        .filter(awslogs)
        .or_else(|| definition.containers.iter().find(awslogs))
}

async fn group_exists(aws: &AccountClients, group: &str, region: &str) -> Result<bool, Unavailable> {
    let home = aws.config().region().map(|r| r.as_ref() == region).unwrap_or(false);
    // `awslogs-region` may name another Region than the task's: ask that Region.
    let other;
    let client = if home || region.is_empty() {
        aws.logs()
    } else {
        other = aws_sdk_cloudwatchlogs::Client::from_conf(
            aws_sdk_cloudwatchlogs::config::Builder::from(aws.config())
                .region(Region::new(region.to_string()))
                .build(),
        );
        &other
    };
    let out = client
        .describe_log_groups()
        .log_group_name_prefix(group)
        .send()
        .await
        .map_err(|e| unavailable(e, "logs:DescribeLogGroups"))?;
    Ok(out.log_groups().iter().any(|g| g.log_group_name() == Some(group)))
}

/// Simulates `actions` on `resource` for `role`: one decision per action.
async fn simulate(
    aws: &AccountClients,
    role: &str,
    actions: &[&str],
    resource: &str,
) -> Result<Vec<(String, Decision)>, Unavailable> {
    let answers = access::simulate(aws, role, vec![Ask::new(actions, vec![resource.to_string()])]).await?;
    Ok(answers.into_iter().map(|s| (s.action, s.decision)).collect())
}
