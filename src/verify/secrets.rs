//! Secrets checks, the pure half: which references to check (task definition `secrets[]` and
//! ARNs quoted in the failure text) taken apart, and what Secrets Manager's and Parameter
//! Store's metadata say about them. A secret's value is never needed, and never read.

use crate::diagnose::{Finding, Lang, Tr};
use crate::incident::{ArnParts, Incident};
use crate::verify::{when, Check, Unavailable};

/// Most references checked for one finding (each costs a call or two).
pub const MAX_REFERENCES: usize = 5;

/// One `valueFrom`, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretRef {
    SecretsManager(SmRef),
    Parameter(ParamRef),
}

/// `arn:aws:secretsmanager:<region>:<account>:secret:<name>[-<6 chars>][:json-key[:stage[:version-id]]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmRef {
    /// The ARN without the JSON key, version stage and version id.
    pub arn: String,
    pub region: String,
    pub account: String,
    /// The name part as written (with the suffix, when there is one).
    pub name: String,
    pub json_key: Option<String>,
    pub version_stage: Option<String>,
    pub version_id: Option<String>,
}

impl SmRef {
    /// A full ARN ends in `-` and 6 random characters; without them it is partial.
    pub fn is_partial(&self) -> bool {
        match self.name.rsplit_once('-') {
            Some((_, suffix)) => !(suffix.len() == 6 && suffix.bytes().all(|b| b.is_ascii_alphanumeric())),
            None => true,
        }
    }
}

/// An SSM parameter by name or ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRef {
    /// The name as Parameter Store knows it (`/app/db` or `db`).
    pub name: String,
    /// The ARN, when the reference was one.
    pub arn: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
}

impl ParamRef {
    /// The parameter's ARN, for a simulation (`…:parameter/app/db`).
    pub fn arn_in(&self, partition: &str, region: &str, account: &str) -> String {
        self.arn.clone().unwrap_or_else(|| {
            format!(
                "arn:{partition}:ssm:{region}:{account}:parameter/{}",
                self.name.trim_start_matches('/')
            )
        })
    }
}

/// Takes a `valueFrom` (or an ARN quoted in a message) apart. `None` when it is neither a
/// Secrets Manager ARN, an SSM parameter ARN nor a plain parameter name.
pub fn parse(value_from: &str) -> Option<SecretRef> {
    let value = value_from.trim();
    if value.is_empty() {
        return None;
    }
    if !value.starts_with("arn:") {
        // ECS takes a bare name only for Parameter Store.
        return Some(SecretRef::Parameter(ParamRef {
            name: value.to_string(),
            arn: None,
            region: None,
            account: None,
        }));
    }
    let ArnParts {
        partition,
        service,
        region,
        account,
        resource,
    } = ArnParts::parse(value)?;
    match service {
        "secretsmanager" => {
            let rest = resource.strip_prefix("secret:")?;
            let mut fields = rest.split(':');
            let name = fields.next().filter(|n| !n.is_empty())?.to_string();
            let field = |f: Option<&str>| f.filter(|v| !v.is_empty()).map(str::to_string);
            let (json_key, version_stage, version_id) =
                (field(fields.next()), field(fields.next()), field(fields.next()));
            Some(SecretRef::SecretsManager(SmRef {
                arn: format!("arn:{partition}:secretsmanager:{region}:{account}:secret:{name}"),
                region: region.to_string(),
                account: account.to_string(),
                name,
                json_key,
                version_stage,
                version_id,
            }))
        }
        "ssm" => {
            let path = resource.strip_prefix("parameter")?;
            let path = path.strip_prefix('/').unwrap_or(path);
            if path.is_empty() {
                return None;
            }
            // `parameter/app/db` is `/app/db`; `parameter/db` is `db`.
            let name = if path.contains('/') {
                format!("/{path}")
            } else {
                path.to_string()
            };
            Some(SecretRef::Parameter(ParamRef {
                name,
                arn: Some(value.to_string()),
                region: Some(region.to_string()),
                account: Some(account.to_string()),
            }))
        }
        _ => None,
    }
}

/// ARNs of secrets and parameters quoted in a text.
pub fn quoted_arns(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for start in [
        "arn:aws:secretsmanager:",
        "arn:aws:ssm:",
        "arn:aws-cn:secretsmanager:",
        "arn:aws-cn:ssm:",
    ] {
        let mut rest = text;
        while let Some(pos) = rest.find(start) {
            let tail = &rest[pos..];
            let end = tail
                .find(|c: char| c.is_whitespace() || "\"'`,;()[]{}<>".contains(c))
                .unwrap_or(tail.len());
            let arn = tail[..end].trim_end_matches(['.', ':']).to_string();
            if !found.contains(&arn) {
                found.push(arn);
            }
            rest = &tail[end..];
        }
    }
    found
}

/// What to check: ARNs the failure text quotes (they name the failing one), else every
/// `secrets[]` reference of the task definition; each secret once, at most [`MAX_REFERENCES`].
pub fn references(incident: &Incident, finding: &Finding) -> Vec<SecretRef> {
    let mut texts: Vec<&str> = vec![finding.evidence.text.as_str()];
    if let Some(task) = &incident.task {
        texts.extend(task.stopped_reason.as_deref());
        texts.extend(task.containers.iter().filter_map(|c| c.reason.as_deref()));
    }
    let mut values: Vec<String> = texts.iter().flat_map(|t| quoted_arns(t)).collect();
    if values.is_empty() {
        if let Some(definition) = &incident.task_definition {
            values = definition
                .containers
                .iter()
                .flat_map(|c| c.secrets.iter().map(|s| s.value_from.clone()))
                .collect();
        }
    }
    let mut out: Vec<SecretRef> = Vec::new();
    for reference in values.iter().filter_map(|v| parse(v)) {
        let duplicate = out.iter().any(|seen| match (seen, &reference) {
            (SecretRef::SecretsManager(a), SecretRef::SecretsManager(b)) => {
                a.arn == b.arn && a.version_stage == b.version_stage && a.version_id == b.version_id
            }
            (SecretRef::Parameter(a), SecretRef::Parameter(b)) => a.name == b.name,
            _ => false,
        });
        if !duplicate && out.len() < MAX_REFERENCES {
            out.push(reference);
        }
    }
    out
}

/// What `secretsmanager:DescribeSecret` said (metadata only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretMeta {
    /// The full ARN, with its suffix.
    pub arn: String,
    /// `DeletedDate`, epoch seconds, when the secret is scheduled for deletion.
    pub deleted_at: Option<i64>,
    /// `KmsKeyId` when it is a customer managed key (the AWS managed one is left out).
    pub kms_key: Option<String>,
    /// Version ids and their stages.
    pub versions: Vec<(String, Vec<String>)>,
}

/// `secretsmanager.secret`: does the secret exist, is it alive, and does the reference fit it?
pub fn judge_secret(reference: &SmRef, meta: &Result<Option<SecretMeta>, Unavailable>, lang: Lang) -> Check {
    const ID: &str = "secretsmanager.secret";
    let name = &reference.name;
    let with_ref = |c: Check| {
        let mut c = c.fact("secret", reference.arn.as_str());
        if let Some(key) = &reference.json_key {
            c = c.fact(
                "jsonKey",
                format!("{key} (not checked: only the value shows its keys, and it is never read)"),
            );
        }
        c
    };
    let meta = match meta {
        Err(why) => {
            let what = Tr {
                en: "secret `{name}`",
                ja: "シークレット `{name}`",
            }
            .fill(lang, &[("name", &name.to_string())]);
            return with_ref(Check::not_checked(ID, &what, why, lang));
        }
        Ok(None) => {
            let partial = reference.is_partial();
            let (summary, lead) = match (lang, partial) {
                (Lang::En, false) => (
                    format!("Secret `{name}` does not exist in account {} ({}).", reference.account, reference.region),
                    format!("Create secret `{name}` or point `valueFrom` at the secret's current ARN, then deploy a new task definition revision."),
                ),
                (Lang::En, true) => (
                    format!("No secret matches `{name}` in account {} ({}); the ARN has no 6-character suffix, so it must match a secret's name exactly.", reference.account, reference.region),
                    format!("Copy the secret's full ARN (ending in `-` and 6 characters) into `valueFrom` instead of `{name}`."),
                ),
                (Lang::Ja, false) => (
                    format!("シークレット `{name}` はアカウント {} ({}) に存在しません。", reference.account, reference.region),
                    format!("シークレット `{name}` を作成するか、`valueFrom` を現在のシークレットの ARN に直して、新しいタスク定義リビジョンをデプロイしてください。"),
                ),
                (Lang::Ja, true) => (
                    format!("アカウント {} ({}) に `{name}` に一致するシークレットはありません。ARN に 6 文字のサフィックスがないため、名前が完全に一致する必要があります。", reference.account, reference.region),
                    format!("`{name}` ではなく、シークレットの完全な ARN (`-` と 6 文字で終わる) を `valueFrom` に指定してください。"),
                ),
            };
            return with_ref(Check::found(ID, summary).lead(lead));
        }
        Ok(Some(meta)) => meta,
    };
    if let Some(deleted) = meta.deleted_at {
        let date = when::utc_minutes(deleted);
        let (summary, lead) = match lang {
            Lang::En => (
                format!("Secret `{name}` is scheduled for deletion (deletion date {date}); ECS cannot read it."),
                format!("Restore it with `aws secretsmanager restore-secret --secret-id {}`, or point `valueFrom` at its replacement.", meta.arn),
            ),
            Lang::Ja => (
                format!("シークレット `{name}` は削除予定です (削除日時 {date})。ECS は読み取れません。"),
                format!("`aws secretsmanager restore-secret --secret-id {}` で復元するか、`valueFrom` を後継のシークレットに変更してください。", meta.arn),
            ),
        };
        return with_ref(Check::found(ID, summary).lead(lead).fact("deletedDate", date));
    }
    let stages: Vec<&str> = meta
        .versions
        .iter()
        .flat_map(|(_, s)| s.iter().map(String::as_str))
        .collect();
    if let Some(stage) = &reference.version_stage {
        if !stages.contains(&stage.as_str()) {
            let list = stages.join(", ");
            let (summary, lead) = match lang {
                Lang::En => (
                    format!("Secret `{name}` has no version stage `{stage}`; its stages are {list}."),
                    format!("Use an existing stage in `valueFrom` (e.g. `AWSCURRENT`) or attach `{stage}` to a version of `{name}`."),
                ),
                Lang::Ja => (
                    format!("シークレット `{name}` にバージョンステージ `{stage}` はありません。あるのは {list} です。"),
                    format!("`valueFrom` に既存のステージ (例: `AWSCURRENT`) を指定するか、`{name}` のバージョンに `{stage}` を付けてください。"),
                ),
            };
            return with_ref(Check::found(ID, summary).lead(lead).fact("versionStages", list));
        }
    }
    if let Some(id) = &reference.version_id {
        if !meta.versions.iter().any(|(v, _)| v == id) {
            let (summary, lead) = match lang {
                Lang::En => (
                    format!("Secret `{name}` has no version `{id}`."),
                    "Leave the version id out of `valueFrom`, or use the id of an existing version (`aws secretsmanager list-secret-version-ids`).".to_string(),
                ),
                Lang::Ja => (
                    format!("シークレット `{name}` にバージョン `{id}` はありません。"),
                    "`valueFrom` からバージョン ID を外すか、既存のバージョンの ID (`aws secretsmanager list-secret-version-ids`) を指定してください。".to_string(),
                ),
            };
            return with_ref(Check::found(ID, summary).lead(lead));
        }
    }
    let partial = reference.is_partial() && meta.arn != reference.arn;
    let summary = match (lang, partial) {
        (Lang::En, false) => format!("Secret `{name}` exists and is not scheduled for deletion."),
        (Lang::En, true) => format!("Secret `{name}` exists and is not scheduled for deletion. It is referenced without its 6-character suffix: IAM policies must match `{}` (or `{}-??????`).", meta.arn, reference.arn),
        (Lang::Ja, false) => format!("シークレット `{name}` は存在し、削除予定でもありません。"),
        (Lang::Ja, true) => format!("シークレット `{name}` は存在し、削除予定でもありません。6 文字のサフィックスなしで参照されているため、IAM ポリシーは `{}` (または `{}-??????`) に一致させる必要があります。", meta.arn, reference.arn),
    };
    let mut check = Check::absent(ID, summary).disproving(&["restore-secret", "restore it", "復元"]);
    if partial {
        check = check.fact("fullArn", meta.arn.as_str());
    }
    if !stages.is_empty() {
        check = check.fact("versionStages", stages.join(", "));
    }
    with_ref(check)
}

/// What `ssm:DescribeParameters` said about a parameter (metadata only).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParamMeta {
    pub kind: String,
    /// A customer managed key of a SecureString (the AWS managed `alias/aws/ssm` is left out).
    pub kms_key: Option<String>,
}

/// `ssm.parameter`: does the parameter exist?
pub fn judge_parameter(reference: &ParamRef, meta: &Result<Option<ParamMeta>, Unavailable>, lang: Lang) -> Check {
    const ID: &str = "ssm.parameter";
    let name = &reference.name;
    let check = match meta {
        Err(why) => {
            let what = Tr {
                en: "parameter `{name}`",
                ja: "パラメータ `{name}`",
            }
            .fill(lang, &[("name", &name.to_string())]);
            Check::not_checked(ID, &what, why, lang)
        }
        Ok(None) => {
            let (summary, lead) = match lang {
                Lang::En => (
                    format!("Parameter `{name}` does not exist in the task's account and Region."),
                    format!("Create parameter `{name}` (names are case-sensitive) or correct `valueFrom`, then deploy a new task definition revision."),
                ),
                Lang::Ja => (
                    format!("パラメータ `{name}` はタスクのアカウント・リージョンに存在しません。"),
                    format!("パラメータ `{name}` を作成する (名前は大文字と小文字を区別します) か、`valueFrom` を修正して新しいタスク定義リビジョンをデプロイしてください。"),
                ),
            };
            Check::found(ID, summary).lead(lead)
        }
        Ok(Some(meta)) => {
            let summary = Tr {
                en: "Parameter `{name}` exists ({meta_kind}).",
                ja: "パラメータ `{name}` は存在します ({meta_kind})。",
            }
            .fill(lang, &[("name", &name.to_string()), ("meta_kind", &meta.kind)]);
            Check::absent(ID, summary).fact("type", meta.kind.as_str())
        }
    };
    check.fact("parameter", name.as_str())
}

/// A customer managed key as an ARN, for a simulation of `kms:Decrypt`. `None` for the AWS
/// managed keys (`alias/aws/…`), which every role of the account may use through the service.
pub fn kms_key_arn(key: &str, partition: &str, region: &str, account: &str) -> Option<String> {
    let key = key.trim();
    if key.is_empty() || key.starts_with("alias/aws/") || key.contains(":alias/aws/") {
        return None;
    }
    if key.starts_with("arn:") {
        return Some(key.to_string());
    }
    if key.starts_with("alias/") {
        return Some(format!("arn:{partition}:kms:{region}:{account}:{key}"));
    }
    Some(format!("arn:{partition}:kms:{region}:{account}:key/{key}"))
}

/// The words of the steps a read permission that is in place makes moot.
pub const READ_ALLOWED_DISPROVES: &[&str] = &[
    "`secretsmanager:getsecretvalue` for secrets manager secrets",
    "`secretsmanager:getsecretvalue`、parameter store",
    "allow `kms:decrypt` on that key",
    "`kms:decrypt` も許可",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{diagnose, Lang};
    use crate::event::from_text;
    use crate::incident::{ContainerDefinition, SecretRef as TdSecret, TaskDefinition};
    use crate::verify::CheckStatus;

    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";

    fn sm(value: &str) -> SmRef {
        match parse(value) {
            Some(SecretRef::SecretsManager(r)) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn secrets_manager_arns_come_apart() {
        let r = sm(&format!("{ARN}:password:AWSPREVIOUS:"));
        assert_eq!(r.arn, ARN);
        assert_eq!(r.name, "prod/db-AbCdEf");
        assert_eq!(r.json_key.as_deref(), Some("password"));
        assert_eq!(r.version_stage.as_deref(), Some("AWSPREVIOUS"));
        assert_eq!(r.version_id, None);
        assert!(!r.is_partial());
        let partial = sm("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db");
        assert!(partial.is_partial());
        assert!(sm("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-password").is_partial());
        assert_eq!(parse("arn:aws:s3:::bucket/key"), None);
    }

    #[test]
    fn parameter_names_from_arns_and_names() {
        let name = |v: &str| match parse(v) {
            Some(SecretRef::Parameter(p)) => p.name,
            other => panic!("{other:?}"),
        };
        assert_eq!(name("arn:aws:ssm:us-east-1:123456789012:parameter/app/db"), "/app/db");
        assert_eq!(name("arn:aws:ssm:us-east-1:123456789012:parameter/db"), "db");
        assert_eq!(name("/app/db"), "/app/db");
        let Some(SecretRef::Parameter(p)) = parse("/app/db") else {
            panic!()
        };
        assert_eq!(
            p.arn_in("aws", "us-east-1", "1"),
            "arn:aws:ssm:us-east-1:1:parameter/app/db"
        );
    }

    #[test]
    fn quoted_arns_are_found_in_messages() {
        let text = format!("ResourceNotFoundException: Secrets Manager can't find the specified secret. arn '{ARN}:password::'. Also arn:aws:ssm:us-east-1:1:parameter/x.");
        assert_eq!(
            quoted_arns(&text),
            [
                format!("{ARN}:password"),
                "arn:aws:ssm:us-east-1:1:parameter/x".to_string()
            ]
        );
    }

    #[test]
    fn references_prefer_the_quoted_arn_then_the_task_definition() {
        let mut incident = from_text("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.");
        incident.task_definition = Some(TaskDefinition {
            containers: vec![ContainerDefinition {
                secrets: vec![
                    TdSecret {
                        name: "A".into(),
                        value_from: ARN.into(),
                    },
                    TdSecret {
                        name: "B".into(),
                        value_from: format!("{ARN}:user::"),
                    },
                    TdSecret {
                        name: "C".into(),
                        value_from: "/app/db".into(),
                    },
                ],
                ..ContainerDefinition::default()
            }],
            ..TaskDefinition::default()
        });
        let d = diagnose(&incident, Lang::En);
        let refs = references(&incident, d.primary());
        assert_eq!(refs.len(), 2, "{refs:?}");
        let quoted = from_text(&format!("ResourceInitializationError: unable to pull secrets: AccessDeniedException: not authorized to perform secretsmanager:GetSecretValue on resource: {ARN}"));
        let d = diagnose(&quoted, Lang::En);
        assert_eq!(
            references(&quoted, d.primary()),
            vec![SecretRef::SecretsManager(sm(ARN))]
        );
    }

    #[test]
    fn secret_judgements() {
        let r = sm(ARN);
        let missing = judge_secret(&r, &Ok(None), Lang::En);
        assert_eq!(missing.status, CheckStatus::Found);
        assert_eq!(
            missing.summary,
            "Secret `prod/db-AbCdEf` does not exist in account 123456789012 (us-east-1)."
        );
        let partial = judge_secret(
            &sm("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"),
            &Ok(None),
            Lang::En,
        );
        assert!(partial.summary.contains("no 6-character suffix"), "{}", partial.summary);

        let deleted = SecretMeta {
            arn: ARN.into(),
            deleted_at: Some(1_795_773_600),
            ..SecretMeta::default()
        };
        let check = judge_secret(&r, &Ok(Some(deleted)), Lang::Ja);
        assert_eq!(check.status, CheckStatus::Found);
        assert_eq!(
            check.summary,
            "シークレット `prod/db-AbCdEf` は削除予定です (削除日時 2026-11-27 10:00 UTC)。ECS は読み取れません。"
        );

        let alive = SecretMeta {
            arn: ARN.into(),
            versions: vec![("v1".into(), vec!["AWSCURRENT".into()])],
            ..SecretMeta::default()
        };
        let staged = judge_secret(&sm(&format!("{ARN}::AWSPENDING:")), &Ok(Some(alive.clone())), Lang::En);
        assert_eq!(staged.status, CheckStatus::Found);
        assert_eq!(
            staged.summary,
            "Secret `prod/db-AbCdEf` has no version stage `AWSPENDING`; its stages are AWSCURRENT."
        );
        let versioned = judge_secret(&sm(&format!("{ARN}:::v9")), &Ok(Some(alive.clone())), Lang::En);
        assert_eq!(versioned.status, CheckStatus::Found);

        let fine = judge_secret(&sm(&format!("{ARN}:password::")), &Ok(Some(alive.clone())), Lang::En);
        assert_eq!(fine.status, CheckStatus::Absent);
        assert_eq!(
            fine.summary,
            "Secret `prod/db-AbCdEf` exists and is not scheduled for deletion."
        );
        assert!(fine
            .facts
            .iter()
            .any(|(k, v)| k == "jsonKey" && v.contains("not checked")));

        let short = judge_secret(
            &sm("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db"),
            &Ok(Some(alive)),
            Lang::En,
        );
        assert_eq!(short.status, CheckStatus::Absent);
        assert!(short.facts.iter().any(|(k, v)| k == "fullArn" && v == ARN));

        let denied = judge_secret(
            &r,
            &Err(Unavailable::AccessDenied("secretsmanager:DescribeSecret".into())),
            Lang::En,
        );
        assert_eq!(denied.status, CheckStatus::NotChecked);
    }

    #[test]
    fn customer_managed_keys_only() {
        assert_eq!(kms_key_arn("alias/aws/secretsmanager", "aws", "us-east-1", "1"), None);
        assert_eq!(
            kms_key_arn("1234abcd-12ab", "aws", "us-east-1", "1").as_deref(),
            Some("arn:aws:kms:us-east-1:1:key/1234abcd-12ab")
        );
        assert_eq!(
            kms_key_arn("arn:aws:kms:us-east-1:1:key/k", "aws", "us-east-1", "1").as_deref(),
            Some("arn:aws:kms:us-east-1:1:key/k")
        );
    }

    #[test]
    fn parameter_judgements() {
        let Some(SecretRef::Parameter(p)) = parse("/app/db") else {
            panic!()
        };
        let missing = judge_parameter(&p, &Ok(None), Lang::En);
        assert_eq!(missing.status, CheckStatus::Found);
        assert_eq!(
            missing.summary,
            "Parameter `/app/db` does not exist in the task's account and Region."
        );
        let there = judge_parameter(
            &p,
            &Ok(Some(ParamMeta {
                kind: "SecureString".into(),
                kms_key: None,
            })),
            Lang::Ja,
        );
        assert_eq!(there.status, CheckStatus::Absent);
        assert_eq!(there.summary, "パラメータ `/app/db` は存在します (SecureString)。");
    }
}
