//! Reads for the secrets checks: metadata only. `secretsmanager:DescribeSecret` and
//! `ssm:DescribeParameters` say whether a secret or parameter exists, is scheduled for deletion,
//! which version stages it has and which KMS key encrypts it; neither returns a value, and no
//! call that does (`GetSecretValue`, `GetParameter(s)`) is ever made.

use aws_sdk_ssm::types::ParameterStringFilter;

use super::access::{simulate, Ask};
use super::join_all;
use super::{error_code, unavailable, Ctx};
use crate::aws::clients::AccountClients;
use crate::diagnose::{Lang, Tr};
use crate::incident::ArnParts;
use crate::verify::access::{self as judge_access, Purpose};
use crate::verify::secrets::{self as pure, ParamMeta, ParamRef, SecretMeta, SecretRef, SmRef};
use crate::verify::{texts, Check, Unavailable};

const ROLE_CHECK: &str = "iam.execution-role-secrets";

/// What one reference's metadata read found, kept for the simulation.
struct Seen {
    check: Check,
    /// The resource to simulate the read on (the full ARN when the read found it).
    resource: Option<(ResourceKind, String)>,
    kms_key: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ResourceKind {
    Secret,
    Parameter,
}

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    let lang = ctx.lang;
    let references = pure::references(ctx.incident, ctx.finding);
    if references.is_empty() {
        let fact = Tr {
            en: "which secret or parameter the task reads",
            ja: "タスクが読むシークレットやパラメータ",
        }
        .text(lang);
        return vec![Check::not_checked(
            "secretsmanager.secret",
            texts::category_subject(ctx.finding.category, lang),
            &Unavailable::Missing(fact.into()),
            lang,
        )];
    }
    let scope = Scope {
        aws: ctx.aws,
        account: ctx.aws.target.account.clone().or(ctx.incident.account.clone()),
        region: ctx.aws.target.region.clone().or(ctx.incident.region.clone()),
        lang,
    };
    let role = ctx
        .incident
        .task_definition
        .as_ref()
        .and_then(|d| d.execution_role_arn.as_deref());
    check_references(&scope, &references, role).await
}

/// The clients to read with, and the account and Region they read (the task's).
pub(super) struct Scope<'a> {
    pub aws: &'a AccountClients,
    pub account: Option<String>,
    pub region: Option<String>,
    pub lang: Lang,
}

/// One check per reference (exists, not scheduled for deletion, stage and key syntax), then
/// `iam.execution-role-secrets` for all of them: the checks of a failed secrets fetch, and of
/// `ecs-doctor check` before a deploy. Only metadata is read.
pub(super) async fn check_references(scope: &Scope<'_>, references: &[SecretRef], role: Option<&str>) -> Vec<Check> {
    let seen = join_all(references.iter().map(|r| read(scope, r))).await;
    let mut checks: Vec<Check> = Vec::new();
    let mut secrets = Vec::new();
    let mut parameters = Vec::new();
    let mut keys = Vec::new();
    for s in seen {
        checks.push(s.check);
        match s.resource {
            Some((ResourceKind::Secret, arn)) => secrets.push(arn),
            Some((ResourceKind::Parameter, arn)) => parameters.push(arn),
            None => {}
        }
        keys.extend(s.kms_key.filter(|k| !keys.contains(k)));
    }
    checks.push(permission(scope, role, secrets, parameters, keys).await);
    checks
}

/// Another account or Region than the task's, as the reason the metadata cannot be read.
fn elsewhere(scope: &Scope<'_>, account: Option<&str>, region: Option<&str>) -> Option<Unavailable> {
    let (home_account, home_region) = (&scope.account, &scope.region);
    match (account, region) {
        (Some(a), _) if home_account.as_deref().is_some_and(|h| h != a) => {
            Some(Unavailable::CrossAccount(a.to_string()))
        }
        (_, Some(r)) if home_region.as_deref().is_some_and(|h| h != r) => Some(Unavailable::OtherRegion(r.to_string())),
        _ => None,
    }
}

fn partition_of(arn: Option<&str>) -> &str {
    arn.and_then(ArnParts::parse)
        .map(|a| a.partition)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
}

async fn read(scope: &Scope<'_>, reference: &SecretRef) -> Seen {
    let lang = scope.lang;
    match reference {
        SecretRef::SecretsManager(r) => {
            let meta = match elsewhere(scope, Some(&r.account), Some(&r.region)) {
                Some(why) => Err(why),
                None => describe_secret(scope.aws, r).await,
            };
            let found = meta.as_ref().ok().and_then(|m| m.as_ref());
            let resource = match found {
                Some(m) => m.arn.clone(),
                // Not found (or not readable): simulate on what the task definition says, with
                // the wildcard IAM needs for a name without its suffix.
                None if r.is_partial() => format!("{}-??????", r.arn),
                None => r.arn.clone(),
            };
            let kms_key = found.and_then(|m| m.kms_key.clone());
            Seen {
                check: pure::judge_secret(r, &meta, lang),
                resource: Some((ResourceKind::Secret, resource)),
                kms_key,
            }
        }
        SecretRef::Parameter(p) => {
            let meta = match elsewhere(scope, p.account.as_deref(), p.region.as_deref()) {
                Some(why) => Err(why),
                None => describe_parameter(scope.aws, p).await,
            };
            let (account, region) = (scope.account.clone(), scope.region.clone());
            let account = p.account.clone().or(account).unwrap_or_default();
            let region = p.region.clone().or(region).unwrap_or_default();
            let partition = partition_of(p.arn.as_deref());
            let kms_key = meta
                .as_ref()
                .ok()
                .and_then(|m| m.as_ref())
                .and_then(|m| m.kms_key.as_deref())
                .and_then(|k| pure::kms_key_arn(k, partition, &region, &account));
            let resource = (!account.is_empty() && !region.is_empty())
                .then(|| (ResourceKind::Parameter, p.arn_in(partition, &region, &account)));
            Seen {
                check: pure::judge_parameter(p, &meta, lang),
                resource,
                kms_key,
            }
        }
    }
}

/// `DescribeSecret` on the reference; `ResourceNotFoundException` is the answer "no such secret".
async fn describe_secret(aws: &AccountClients, reference: &SmRef) -> Result<Option<SecretMeta>, Unavailable> {
    let sent = aws
        .secretsmanager()
        .describe_secret()
        .secret_id(&reference.arn)
        .send()
        .await;
    let out = match sent {
        Ok(out) => out,
        Err(err) if error_code(&err) == Some("ResourceNotFoundException") => return Ok(None),
        Err(err) => return Err(unavailable(err, "secretsmanager:DescribeSecret")),
    };
    let arn = out.arn().unwrap_or(&reference.arn).to_string();
    let partition = partition_of(Some(&arn)).to_string();
    let kms_key = out
        .kms_key_id()
        .and_then(|k| pure::kms_key_arn(k, &partition, &reference.region, &reference.account));
    let mut versions: Vec<(String, Vec<String>)> = out
        .version_ids_to_stages()
        .map(|m| m.iter().map(|(id, stages)| (id.clone(), stages.clone())).collect())
        .unwrap_or_default();
    versions.sort();
    Ok(Some(SecretMeta {
        arn,
        deleted_at: out.deleted_date().map(|d| d.secs()),
        kms_key,
        versions,
    }))
}

/// `DescribeParameters` filtered on the exact name; an empty answer is "no such parameter".
async fn describe_parameter(aws: &AccountClients, reference: &ParamRef) -> Result<Option<ParamMeta>, Unavailable> {
    let filter = ParameterStringFilter::builder()
        .key("Name")
        .option("Equals")
        .values(&reference.name)
        .build()
        .map_err(|e| Unavailable::Failed(format!("ssm:DescribeParameters: {e}")))?;
    let out = aws
        .ssm()
        .describe_parameters()
        .parameter_filters(filter)
        .send()
        .await
        .map_err(|err| unavailable(err, "ssm:DescribeParameters"))?;
    Ok(out
        .parameters()
        .iter()
        .find(|p| p.name() == Some(reference.name.as_str()))
        .map(|p| ParamMeta {
            kind: p
                .r#type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_else(|| "String".into()),
            kms_key: p.key_id().map(str::to_string),
        }))
}

/// `iam.execution-role-secrets`: may the execution role read the secrets and parameters, and
/// decrypt them with their customer managed keys?
async fn permission(
    scope: &Scope<'_>,
    role: Option<&str>,
    secrets: Vec<String>,
    parameters: Vec<String>,
    keys: Vec<String>,
) -> Check {
    let lang = scope.lang;
    let what = Tr {
        en: "the task execution role's permission to read the secrets",
        ja: "タスク実行ロールのシークレット読み取り権限",
    }
    .text(lang);
    let Some(role) = role else {
        let fact = Tr {
            en: "the task execution role",
            ja: "タスク実行ロール",
        }
        .text(lang);
        return Check::not_checked(ROLE_CHECK, what, &Unavailable::Missing(fact.into()), lang);
    };
    let mut asks = Vec::new();
    if !secrets.is_empty() {
        asks.push(Ask::new(&["secretsmanager:GetSecretValue"], secrets));
    }
    if !parameters.is_empty() {
        asks.push(Ask::new(&["ssm:GetParameters"], parameters));
    }
    if !keys.is_empty() {
        asks.push(Ask::new(&["kms:Decrypt"], keys));
    }
    if asks.is_empty() {
        let fact = Tr {
            en: "the ARN of a secret or parameter",
            ja: "シークレットやパラメータの ARN",
        }
        .text(lang);
        return Check::not_checked(ROLE_CHECK, what, &Unavailable::Missing(fact.into()), lang).fact("role", role);
    }
    let results = match simulate(scope.aws, role, asks).await {
        Ok(results) => results,
        Err(why) => return Check::not_checked(ROLE_CHECK, what, &why, lang).fact("role", role),
    };
    let purpose = Purpose {
        en: "read these secrets",
        ja: "これらのシークレットを読む",
    };
    judge_access::judge(
        ROLE_CHECK,
        role,
        &results,
        &purpose,
        None,
        pure::READ_ALLOWED_DISPROVES,
        lang,
    )
}
