//! Reads for the role checks: `iam:GetRole` for the role ECS could not assume, with its trust
//! policy (IAM returns it URL-encoded; `crate::verify::role` decodes and reads it).

use super::{error_code, unavailable, Ctx};
use crate::aws::clients::AccountClients;
use crate::diagnose::Lang;
use crate::verify::role::{self as pure, RoleMeta, RoleTarget};
use crate::verify::{texts, Check, Unavailable};

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    let lang = ctx.lang;
    // Only the assume-role failures name a role to look at (not the ARN-format opt-in).
    if !matches!(
        ctx.finding.rule_id,
        "service.task-role-assume-failed" | "service.linked-role-missing"
    ) && !ctx.finding.evidence.text.to_ascii_lowercase().contains("assume")
    {
        return Vec::new();
    }
    let Some(target) = pure::target(ctx.incident, ctx.finding) else {
        let fact = match lang {
            crate::diagnose::Lang::En => "which role ECS tried to assume",
            crate::diagnose::Lang::Ja => "ECS が引き受けようとしたロール",
        };
        return vec![Check::not_checked(
            "iam.role",
            texts::category_subject(ctx.finding.category, lang),
            &Unavailable::Missing(fact.into()),
            lang,
        )];
    };
    let home = ctx.aws.target.account.as_deref().or(ctx.incident.account.as_deref());
    role_checks(ctx.aws, home, &target, lang).await
}

/// `iam.role` and `iam.role-trust` for one role: the checks of a failed assume, and of
/// `ecs-doctor check` before a deploy. `home` is the account these clients read.
pub(super) async fn role_checks(
    aws: &AccountClients,
    home: Option<&str>,
    target: &RoleTarget,
    lang: Lang,
) -> Vec<Check> {
    let meta = match target.account() {
        Some(account) if home.is_some_and(|h| h != account) => Err(Unavailable::CrossAccount(account.to_string())),
        _ => get_role(aws, &target.name).await,
    };
    pure::judge(target, &meta, lang)
}

async fn get_role(aws: &AccountClients, name: &str) -> Result<Option<RoleMeta>, Unavailable> {
    match aws.iam().get_role().role_name(name).send().await {
        Ok(out) => Ok(out.role().map(|role| RoleMeta {
            arn: role.arn().to_string(),
            trust_policy: role.assume_role_policy_document().and_then(pure::percent_decode),
        })),
        Err(err) if error_code(&err) == Some("NoSuchEntity") => Ok(None),
        Err(err) => Err(unavailable(err, "iam:GetRole")),
    }
}
