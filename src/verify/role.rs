//! Role checks, the pure half: which role ECS could not assume, and whether the role exists and
//! its trust policy lets the service principal assume it.

use crate::diagnose::{Finding, Lang, Tr};
use crate::incident::{account_of, arn_name, ArnParts, Incident};
use crate::verify::{Check, Unavailable};

/// The principal that assumes task and task execution roles.
pub const ECS_TASKS: &str = "ecs-tasks.amazonaws.com";
/// ECS's own service-linked role and the principal it trusts.
pub const SERVICE_LINKED_ROLE: &str = "AWSServiceRoleForECS";
pub const ECS_SERVICE: &str = "ecs.amazonaws.com";

/// A role to check, and the service that must be able to assume it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleTarget {
    /// The role's name (last segment of its ARN).
    pub name: String,
    pub arn: Option<String>,
    /// Which role of the task this is, for the texts: `execution`, `task`, `quoted`, `service-linked`.
    pub kind: &'static str,
    pub service: &'static str,
}

impl RoleTarget {
    /// The role's account, when the ARN names it.
    pub fn account(&self) -> Option<&str> {
        account_of(self.arn.as_deref()?)
    }
}

/// The role the failure is about: the service-linked role for its own rule; else a role ARN the
/// text quotes; else the task role when the text names it; else the task execution role.
pub fn target(incident: &Incident, finding: &Finding) -> Option<RoleTarget> {
    if finding.rule_id == "service.linked-role-missing" {
        return Some(RoleTarget {
            name: SERVICE_LINKED_ROLE.into(),
            arn: None,
            kind: "service-linked",
            service: ECS_SERVICE,
        });
    }
    let mut texts = vec![finding.evidence.text.as_str()];
    if let Some(event) = &incident.service_event {
        texts.extend(event.reason.as_deref());
    }
    if let Some(task) = &incident.task {
        texts.extend(task.stopped_reason.as_deref());
    }
    for text in &texts {
        if let Some(arn) = quoted_role_arn(text) {
            return Some(RoleTarget {
                name: arn_name(&arn).to_string(),
                arn: Some(arn),
                kind: "quoted",
                service: ECS_TASKS,
            });
        }
    }
    let definition = incident.task_definition.as_ref()?;
    let names_task_role = texts.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("task role") || t.contains("taskrolearn")
    });
    let (arn, kind) = if names_task_role {
        (definition.task_role_arn.clone(), "task")
    } else {
        (definition.execution_role_arn.clone(), "execution")
    };
    let arn = arn?;
    Some(RoleTarget {
        name: arn_name(&arn).to_string(),
        arn: Some(arn),
        kind,
        service: ECS_TASKS,
    })
}

/// The first IAM role ARN in a text.
fn quoted_role_arn(text: &str) -> Option<String> {
    let start = text.find("arn:aws")?;
    let tail = &text[start..];
    let end = tail
        .find(|c: char| c.is_whitespace() || "\"'`,;()[]{}<>".contains(c))
        .unwrap_or(tail.len());
    let arn = tail[..end].trim_end_matches('.');
    let parts = ArnParts::parse(arn)?;
    (parts.service == "iam" && parts.resource.starts_with("role/")).then(|| arn.to_string())
}

/// `%7B%22Version%22…` → `{"Version"…`. IAM returns policy documents URL-encoded. `None` for a
/// broken escape or bytes that are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// What a trust policy says about one service principal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trust {
    /// An `Allow` statement lets `service` call `sts:AssumeRole`.
    pub allowed: bool,
    /// A `Deny` statement matches `service`.
    pub denied: bool,
    /// The allowing statement has conditions (`aws:SourceAccount`, `aws:SourceArn`, …).
    pub conditional: bool,
    /// Every service principal the policy names, for the facts.
    pub services: Vec<String>,
}

fn strings(value: Option<&serde_json::Value>) -> Vec<String> {
    match value {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(items)) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

/// Reads a (decoded) trust policy. `None` when it is not JSON.
pub fn trust(document: &str, service: &str) -> Option<Trust> {
    let json: serde_json::Value = serde_json::from_str(document).ok()?;
    let statements: Vec<&serde_json::Value> = match json.get("Statement") {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut out = Trust::default();
    for statement in statements {
        let services = strings(statement.pointer("/Principal/Service"));
        for s in &services {
            if !out.services.contains(s) {
                out.services.push(s.clone());
            }
        }
        let wildcard = statement.get("Principal").and_then(|p| p.as_str()) == Some("*")
            || strings(statement.pointer("/Principal/AWS")).iter().any(|a| a == "*");
        let names_service = wildcard || services.iter().any(|s| s == service);
        let assumes = strings(statement.get("Action"))
            .iter()
            .any(|a| matches!(a.to_ascii_lowercase().as_str(), "sts:assumerole" | "sts:*" | "*"));
        if !names_service || !assumes {
            continue;
        }
        match statement.get("Effect").and_then(|e| e.as_str()) {
            Some("Allow") => {
                out.allowed = true;
                out.conditional |= statement.get("Condition").is_some_and(|c| !c.is_null());
            }
            Some("Deny") => out.denied = true,
            _ => {}
        }
    }
    Some(out)
}

fn role_words(target: &RoleTarget, lang: Lang) -> String {
    let name = &target.name;
    match (lang, target.kind) {
        (Lang::En, "execution") => format!("task execution role `{name}`"),
        (Lang::En, "task") => format!("task role `{name}`"),
        (Lang::En, "service-linked") => format!("service-linked role `{name}`"),
        (Lang::En, _) => format!("role `{name}`"),
        (Lang::Ja, "execution") => format!("タスク実行ロール `{name}`"),
        (Lang::Ja, "task") => format!("タスクロール `{name}`"),
        (Lang::Ja, "service-linked") => format!("サービスリンクロール `{name}`"),
        (Lang::Ja, _) => format!("ロール `{name}`"),
    }
}

/// What `iam:GetRole` said: the role's ARN and its decoded trust policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMeta {
    pub arn: String,
    pub trust_policy: Option<String>,
}

/// `iam.role` and, when the role exists, `iam.role-trust`.
pub fn judge(target: &RoleTarget, meta: &Result<Option<RoleMeta>, Unavailable>, lang: Lang) -> Vec<Check> {
    let role = role_words(target, lang);
    let name = target.name.as_str();
    let meta = match meta {
        Err(why) => return vec![Check::not_checked("iam.role", &role, why, lang).fact("role", name)],
        Ok(None) => {
            let (summary, lead) = match (lang, target.kind) {
                (Lang::En, "service-linked") => (
                    format!("The {role} does not exist."),
                    format!("Create it: `aws iam create-service-linked-role --aws-service-name {}`.", target.service),
                ),
                (Lang::En, _) => (
                    format!("The {role} does not exist."),
                    format!("Create role `{name}` with a trust policy for `{}`, or point the task definition at an existing role.", target.service),
                ),
                (Lang::Ja, "service-linked") => (
                    format!("{role}が存在しません。"),
                    format!("作成してください: `aws iam create-service-linked-role --aws-service-name {}`。", target.service),
                ),
                (Lang::Ja, _) => (
                    format!("{role}が存在しません。"),
                    format!("`{}` を信頼するロール `{name}` を作成するか、タスク定義で既存のロールを指定してください。", target.service),
                ),
            };
            let mut check = Check::found("iam.role", summary).lead(lead).fact("role", name);
            if let Some(arn) = &target.arn {
                check = check.fact("arn", arn.as_str());
            }
            return vec![check];
        }
        Ok(Some(meta)) => meta,
    };
    let exists = Tr {
        en: "The {role} exists.",
        ja: "{role}は存在します。",
    }
    .fill(lang, &[("role", &role.to_string())]);
    let mut checks = vec![Check::absent("iam.role", exists)
        .disproving(&[
            "aws iam get-role",
            "task definitions keep pointing to deleted roles",
            "削除されたロール",
        ])
        .fact("role", meta.arn.as_str())];
    let service = target.service;
    let trust_result = meta.trust_policy.as_deref().and_then(|d| trust(d, service));
    let check = match trust_result {
        None => {
            let what = Tr {
                en: "the trust policy of the {role}",
                ja: "{role}の信頼ポリシー",
            }
            .fill(lang, &[("role", &role.to_string())]);
            let why = Unavailable::Failed(match lang {
                Lang::En => "the policy document could not be read".into(),
                Lang::Ja => "ポリシー文書を読み取れませんでした".into(),
            });
            Check::not_checked("iam.role-trust", &what, &why, lang)
        }
        Some(trust) => {
            let services = if trust.services.is_empty() {
                "-".to_string()
            } else {
                trust.services.join(", ")
            };
            if trust.allowed && !trust.denied {
                let summary = match (lang, trust.conditional) {
                    (Lang::En, false) => format!("The trust policy of the {role} lets `{service}` assume it."),
                    (Lang::En, true) => format!("The trust policy of the {role} lets `{service}` assume it, under conditions that must match this account and cluster."),
                    (Lang::Ja, false) => format!("{role}の信頼ポリシーは `{service}` による引き受けを許可しています。"),
                    (Lang::Ja, true) => format!("{role}の信頼ポリシーは条件付きで `{service}` による引き受けを許可しています。条件がこのアカウントとクラスターに一致している必要があります。"),
                };
                // With conditions the trust may still fail; keep the step that says to check them.
                let disproves: &'static [&'static str] = if trust.conditional { &[] } else { &["trust policy allows", "信頼ポリシーがプリンシパル"] };
                Check::absent("iam.role-trust", summary).disproving(disproves)
            } else {
                let (summary, lead) = match (lang, trust.denied) {
                    (Lang::En, false) => (
                        format!("The trust policy of the {role} does not let `{service}` assume it; it trusts {services}."),
                        format!("Add `{service}` as a `Service` principal with `sts:AssumeRole` to the trust policy of `{name}`."),
                    ),
                    (Lang::En, true) => (
                        format!("The trust policy of the {role} denies `{service}` `sts:AssumeRole`."),
                        format!("Remove the Deny for `{service}` from the trust policy of `{name}`."),
                    ),
                    (Lang::Ja, false) => (
                        format!("{role}の信頼ポリシーは `{service}` による引き受けを許可していません (信頼しているのは {services})。"),
                        format!("`{name}` の信頼ポリシーに、`sts:AssumeRole` を許可する `Service` プリンシパル `{service}` を追加してください。"),
                    ),
                    (Lang::Ja, true) => (
                        format!("{role}の信頼ポリシーは `{service}` の `sts:AssumeRole` を拒否しています。"),
                        format!("`{name}` の信頼ポリシーから `{service}` に対する Deny を削除してください。"),
                    ),
                };
                Check::found("iam.role-trust", summary).lead(lead)
            }
            .fact("trustedServices", services)
        }
    };
    checks.push(check.fact("role", name));
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::diagnose;
    use crate::event::from_text;
    use crate::incident::TaskDefinition;
    use crate::verify::CheckStatus;

    const ROLE_ARN: &str = "arn:aws:iam::123456789012:role/app-task";
    const ECS_TRUST: &str = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";

    fn finding_for(text: &str) -> (Incident, Finding) {
        let incident = from_text(text);
        let d = diagnose(&incident, Lang::En);
        let f = d.primary().clone();
        (incident, f)
    }

    #[test]
    fn percent_decoding() {
        let decoded = percent_decode(ECS_TRUST).unwrap_or_default();
        assert!(decoded.starts_with("{\"Version\":\"2012-10-17\""), "{decoded}");
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("%E3%83%AD"), Some("ロ".into()));
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn trust_policies() {
        let decoded = percent_decode(ECS_TRUST).unwrap_or_default();
        let t = trust(&decoded, ECS_TASKS).unwrap_or_default();
        assert!(t.allowed && !t.denied && !t.conditional);
        let ec2 = r#"{"Statement":{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}}"#;
        let t = trust(ec2, ECS_TASKS).unwrap_or_default();
        assert!(!t.allowed);
        assert_eq!(t.services, ["ec2.amazonaws.com"]);
        let conditional = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"1"}}}]}"#;
        assert!(trust(conditional, ECS_TASKS).is_some_and(|t| t.allowed && t.conditional));
        assert_eq!(trust("nope", ECS_TASKS), None);
    }

    #[test]
    fn the_quoted_role_wins_then_the_named_role() {
        let (incident, finding) = finding_for(&format!(
            "ECS was unable to assume the role '{ROLE_ARN}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role."
        ));
        let t = target(&incident, &finding).unwrap_or_else(|| panic!("target"));
        assert_eq!(t.name, "app-task");
        assert_eq!(t.account(), Some("123456789012"));
        assert_eq!(t.service, ECS_TASKS);

        let (mut incident, finding) = finding_for("ECS was unable to assume the role that was provided for this task.");
        assert_eq!(target(&incident, &finding), None);
        incident.task_definition = Some(TaskDefinition {
            execution_role_arn: Some("arn:aws:iam::1:role/exec".into()),
            task_role_arn: Some("arn:aws:iam::1:role/app".into()),
            ..TaskDefinition::default()
        });
        assert_eq!(target(&incident, &finding).map(|t| t.name), Some("exec".to_string()));
    }

    #[test]
    fn judgements() {
        let t = RoleTarget {
            name: "app-task".into(),
            arn: Some(ROLE_ARN.into()),
            kind: "quoted",
            service: ECS_TASKS,
        };
        let missing = judge(&t, &Ok(None), Lang::En);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].status, CheckStatus::Found);
        assert_eq!(missing[0].summary, "The role `app-task` does not exist.");

        let trusted = RoleMeta {
            arn: ROLE_ARN.into(),
            trust_policy: percent_decode(ECS_TRUST),
        };
        let ok = judge(&t, &Ok(Some(trusted)), Lang::En);
        assert_eq!(ok[0].status, CheckStatus::Absent);
        assert_eq!(ok[1].status, CheckStatus::Absent);
        assert_eq!(
            ok[1].summary,
            "The trust policy of the role `app-task` lets `ecs-tasks.amazonaws.com` assume it."
        );

        let ec2 = RoleMeta {
            arn: ROLE_ARN.into(),
            trust_policy: Some(r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into()),
        };
        let bad = judge(&t, &Ok(Some(ec2)), Lang::Ja);
        assert_eq!(bad[1].status, CheckStatus::Found);
        assert_eq!(
            bad[1].summary,
            "ロール `app-task`の信頼ポリシーは `ecs-tasks.amazonaws.com` による引き受けを許可していません (信頼しているのは ec2.amazonaws.com)。"
        );
        assert!(bad[1]
            .lead_step
            .as_deref()
            .unwrap_or_default()
            .contains("sts:AssumeRole"));

        let denied = judge(&t, &Err(Unavailable::AccessDenied("iam:GetRole".into())), Lang::En);
        assert_eq!(denied[0].status, CheckStatus::NotChecked);
        assert!(denied[0].summary.contains("iam:GetRole"));
    }
}
