//! What a policy simulation (`iam:SimulatePrincipalPolicy`) says about a role, as plain data,
//! and the judgement shared by the image and secrets checks: may the task execution role do
//! what the failing step needed?

use crate::diagnose::Lang;
use crate::incident::arn_name;
use crate::verify::Check;

/// IAM's answer for one action on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// No statement allows it.
    ImplicitDeny,
    /// A `Deny` statement matches.
    ExplicitDeny,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Allowed => "allowed",
            Self::ImplicitDeny => "implicitDeny",
            Self::ExplicitDeny => "explicitDeny",
        }
    }
}

/// One simulated action on one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulated {
    pub action: String,
    pub resource: String,
    pub decision: Decision,
    /// The policies whose statements decided it (`source_policy_id` of each matched statement).
    pub matched: Vec<String>,
}

impl Simulated {
    fn fact(&self) -> (String, String) {
        let mut value = format!("{} on {}", self.decision.as_str(), self.resource);
        if !self.matched.is_empty() {
            value.push_str(&format!(" [{}]", self.matched.join(", ")));
        }
        (self.action.clone(), value)
    }
}

/// What is being asked of the role, for the texts: "pull `platform/api`", "read the secrets".
pub struct Purpose<'a> {
    pub en: &'a str,
    pub ja: &'a str,
}

/// The role may (ruled out) or may not (confirmed) do everything in `results`. `caveat` is a
/// sentence appended to the summary (e.g. what the simulation could not include); `disproves`
/// are the words of the steps an allow makes moot.
pub fn judge(
    id: &'static str,
    role_arn: &str,
    results: &[Simulated],
    purpose: &Purpose,
    caveat: Option<&str>,
    disproves: &'static [&'static str],
    lang: Lang,
) -> Check {
    let role = arn_name(role_arn);
    let denied: Vec<&Simulated> = results.iter().filter(|r| r.decision != Decision::Allowed).collect();
    let mut check = if let Some(first) = denied.first() {
        let actions: Vec<String> = dedup(denied.iter().map(|r| format!("`{}`", r.action)));
        let explicit: Vec<String> = dedup(
            denied
                .iter()
                .filter(|r| r.decision == Decision::ExplicitDeny)
                .flat_map(|r| r.matched.iter().map(|m| format!("`{m}`"))),
        );
        let summary = match (lang, explicit.is_empty()) {
            (Lang::En, true) => format!(
                "The task execution role `{role}` may not {}: no policy allows {} (e.g. on `{}`).",
                purpose.en,
                actions.join(", "),
                first.resource
            ),
            (Lang::En, false) => format!(
                "The task execution role `{role}` may not {}: a Deny in {} matches {}.",
                purpose.en,
                explicit.join(", "),
                actions.join(", ")
            ),
            (Lang::Ja, true) => format!(
                "タスク実行ロール `{role}` には{}権限がありません。{} を許可するポリシーがありません (例: `{}`)。",
                purpose.ja,
                actions.join("、"),
                first.resource
            ),
            (Lang::Ja, false) => format!(
                "タスク実行ロール `{role}` には{}権限がありません。{} の Deny が {} に当てはまります。",
                purpose.ja,
                explicit.join("、"),
                actions.join("、")
            ),
        };
        let resources: Vec<String> = dedup(denied.iter().map(|r| format!("`{}`", r.resource)));
        let lead = match (lang, explicit.is_empty()) {
            (Lang::En, true) => format!(
                "Allow {} on {} in a policy of role `{role}`.",
                actions.join(", "),
                resources.join(", ")
            ),
            (Lang::En, false) => format!(
                "Remove or narrow the Deny in {} so that it no longer matches role `{role}` for {}.",
                explicit.join(", "),
                actions.join(", ")
            ),
            (Lang::Ja, true) => format!(
                "ロール `{role}` のポリシーで {} に対する {} を許可してください。",
                resources.join("、"),
                actions.join("、")
            ),
            (Lang::Ja, false) => format!(
                "{} の Deny がロール `{role}` の {} に当てはまらないよう、削除するか範囲を絞ってください。",
                explicit.join("、"),
                actions.join("、")
            ),
        };
        Check::found(id, summary).lead(lead)
    } else {
        let summary = match lang {
            Lang::En => format!(
                "The task execution role `{role}` may {}: every action is allowed.",
                purpose.en
            ),
            Lang::Ja => format!(
                "タスク実行ロール `{role}` には{}権限があります (すべて許可)。",
                purpose.ja
            ),
        };
        Check::absent(id, summary).disproving(disproves)
    };
    if let Some(caveat) = caveat {
        check.summary.push(' ');
        check.summary.push_str(caveat);
    }
    check = check.fact("role", role_arn);
    for result in results {
        let (name, value) = result.fact();
        check = check.fact(name, value);
    }
    check
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::CheckStatus;

    const ROLE: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
    const PURPOSE: Purpose = Purpose {
        en: "pull from `platform/api`",
        ja: "`platform/api` からプルする",
    };

    fn sim(action: &str, decision: Decision, matched: &[&str]) -> Simulated {
        Simulated {
            action: action.into(),
            resource: "arn:aws:ecr:us-east-1:123456789012:repository/platform/api".into(),
            decision,
            matched: matched.iter().map(|m| m.to_string()).collect(),
        }
    }

    #[test]
    fn all_allowed_rules_the_cause_out() {
        let results = [sim(
            "ecr:BatchGetImage",
            Decision::Allowed,
            &["AmazonECSTaskExecutionRolePolicy"],
        )];
        let check = judge("iam.x", ROLE, &results, &PURPOSE, None, &["batchgetimage"], Lang::En);
        assert_eq!(check.status, CheckStatus::Absent);
        assert_eq!(check.disproves, &["batchgetimage"]);
        assert_eq!(
            check.summary,
            "The task execution role `ecsTaskExecutionRole` may pull from `platform/api`: every action is allowed."
        );
        assert_eq!(
            check.facts[1],
            (
                "ecr:BatchGetImage".to_string(),
                "allowed on arn:aws:ecr:us-east-1:123456789012:repository/platform/api [AmazonECSTaskExecutionRolePolicy]"
                    .to_string()
            )
        );
    }

    #[test]
    fn an_implicit_deny_confirms_and_leads_with_the_grant() {
        let results = [
            sim("ecr:BatchGetImage", Decision::ImplicitDeny, &[]),
            sim("ecr:GetDownloadUrlForLayer", Decision::ImplicitDeny, &[]),
        ];
        let check = judge("iam.x", ROLE, &results, &PURPOSE, Some("More."), &[], Lang::En);
        assert_eq!(check.status, CheckStatus::Found);
        assert!(
            check
                .summary
                .contains("no policy allows `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`"),
            "{}",
            check.summary
        );
        assert!(check.summary.ends_with(" More."), "{}", check.summary);
        assert_eq!(
            check.lead_step.as_deref(),
            Some("Allow `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer` on `arn:aws:ecr:us-east-1:123456789012:repository/platform/api` in a policy of role `ecsTaskExecutionRole`.")
        );
    }

    #[test]
    fn an_explicit_deny_names_the_policy_in_both_languages() {
        let results = [
            sim("ecr:BatchGetImage", Decision::ExplicitDeny, &["DenyPulls"]),
            sim("ecr:GetAuthorizationToken", Decision::Allowed, &[]),
        ];
        let en = judge("iam.x", ROLE, &results, &PURPOSE, None, &[], Lang::En);
        assert!(
            en.summary.contains("a Deny in `DenyPulls` matches `ecr:BatchGetImage`"),
            "{}",
            en.summary
        );
        assert!(en
            .lead_step
            .as_deref()
            .unwrap_or_default()
            .starts_with("Remove or narrow the Deny in `DenyPulls`"));
        let ja = judge("iam.x", ROLE, &results, &PURPOSE, None, &[], Lang::Ja);
        assert_eq!(ja.status, CheckStatus::Found);
        assert!(ja.summary.contains("`DenyPulls` の Deny"), "{}", ja.summary);
        assert_eq!(
            ja.facts[1].1,
            "explicitDeny on arn:aws:ecr:us-east-1:123456789012:repository/platform/api [DenyPulls]"
        );
    }
}
