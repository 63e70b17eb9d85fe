//! awslogs setup: the log group exists (or the driver may create it), and the task execution
//! role may create log streams and put events in it (IAM policy simulation).

use crate::diagnose::{Lang, Tr};
use crate::verify::access::Decision;
use crate::verify::{Check, CheckStatus};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogsFacts {
    pub container: String,
    pub group: String,
    pub region: String,
    /// The log group exists.
    pub exists: bool,
    /// `awslogs-create-group` is `true`.
    pub create_group: bool,
}

const GROUP_ID: &str = "logs.log-group";
pub const ROLE_ID: &str = "iam.execution-role-logs";

const GROUP_EXISTS: &[&str] = &["aws logs create-log-group"];
const ROLE_ALLOWED: &[&str] = &[
    "`logs:createlogstream` and `logs:putlogevents` on the log group",
    "`logs:createlogstream` と `logs:putlogevents` を、タスク実行ロールに許可",
];

/// The log group check. `create_decision` is the simulation of `logs:CreateLogGroup`, asked
/// only when the group is missing and the driver may create it.
pub fn judge_group(facts: &LogsFacts, create_decision: Option<&Decision>, lang: Lang) -> Check {
    let group = &facts.group;
    let region = &facts.region;
    let with = |c: Check| {
        c.fact("container", &facts.container)
            .fact("logGroup", group)
            .fact("region", region)
            .fact("createGroup", facts.create_group.to_string())
    };
    if facts.exists {
        let summary = Tr {
            en: "Log group `{group}` exists in {region}.",
            ja: "ロググループ `{group}` は {region} に存在します。",
        }
        .fill(lang, &[("group", &group.to_string()), ("region", &region.to_string())]);
        return with(Check::absent(GROUP_ID, summary)).disproving(GROUP_EXISTS);
    }
    if facts.create_group {
        return match create_decision {
            Some(Decision::Allowed) => {
                let summary = Tr {
                    en: "Log group `{group}` does not exist in {region}, but `awslogs-create-group` is on and the execution role may `logs:CreateLogGroup`, so the driver creates it.",
                    ja: "ロググループ `{group}` は {region} にありませんが、`awslogs-create-group` が有効で実行ロールに `logs:CreateLogGroup` があるため、ドライバーが作成します。",
                }.fill(lang, &[("group", &group.to_string()), ("region", &region.to_string())]);
                with(Check::absent(GROUP_ID, summary)).fact("logs:CreateLogGroup", "allowed")
            }
            Some(denied) => {
                let (summary, step) = match lang {
                    Lang::En => (
                        format!("Log group `{group}` does not exist in {region}, and `awslogs-create-group` cannot create it: the execution role may not `logs:CreateLogGroup` ({}).", denied.as_str()),
                        format!("Create log group `{group}` in {region} (`aws logs create-log-group --log-group-name {group} --region {region}`), or allow the execution role `logs:CreateLogGroup`."),
                    ),
                    Lang::Ja => (
                        format!("ロググループ `{group}` は {region} になく、`awslogs-create-group` でも作成できません。実行ロールに `logs:CreateLogGroup` がありません ({})。", denied.as_str()),
                        format!("{region} にロググループ `{group}` を作成する (`aws logs create-log-group --log-group-name {group} --region {region}`) か、実行ロールに `logs:CreateLogGroup` を許可してください。"),
                    ),
                };
                with(Check::found(GROUP_ID, summary))
                    .fact("logs:CreateLogGroup", denied.as_str())
                    .lead(step)
            }
            None => {
                let summary = Tr {
                    en: "Log group `{group}` does not exist in {region}; `awslogs-create-group` is on, and whether the execution role may `logs:CreateLogGroup` could not be simulated.",
                    ja: "ロググループ `{group}` は {region} にありません。`awslogs-create-group` は有効ですが、実行ロールに `logs:CreateLogGroup` があるかはシミュレーションできませんでした。",
                }.fill(lang, &[("group", &group.to_string()), ("region", &region.to_string())]);
                with(Check::new(GROUP_ID, CheckStatus::NotChecked, summary))
            }
        };
    }
    let (summary, step) = match lang {
        Lang::En => (
            format!("Log group `{group}` does not exist in {region}, and `awslogs-create-group` is not set."),
            format!("Create log group `{group}` in {region}: `aws logs create-log-group --log-group-name {group} --region {region}` (or set `awslogs-create-group` to `true` and allow the execution role `logs:CreateLogGroup`)."),
        ),
        Lang::Ja => (
            format!("ロググループ `{group}` は {region} に存在せず、`awslogs-create-group` も設定されていません。"),
            format!("{region} にロググループ `{group}` を作成してください: `aws logs create-log-group --log-group-name {group} --region {region}` (または `awslogs-create-group` を `true` にし、実行ロールに `logs:CreateLogGroup` を許可してください)。"),
        ),
    };
    with(Check::found(GROUP_ID, summary)).lead(step)
}

/// The execution role's permission to write to the group: `(action, decision)` per action.
pub fn judge_role(role: &str, group: &str, decisions: &[(String, Decision)], lang: Lang) -> Check {
    let denied: Vec<&(String, Decision)> = decisions.iter().filter(|(_, d)| *d != Decision::Allowed).collect();
    let listed: Vec<String> = decisions.iter().map(|(a, d)| format!("{a} {}", d.as_str())).collect();
    let with = |c: Check| {
        c.fact("executionRole", role)
            .fact("logGroup", group)
            .fact("simulation", listed.join(", "))
    };
    if denied.is_empty() {
        let summary = Tr {
            en: "Execution role {role} may create log streams and put log events in `{group}`.",
            ja: "実行ロール {role} は `{group}` にログストリームを作成し、ログイベントを書き込めます。",
        }
        .fill(lang, &[("role", role), ("group", group)]);
        return with(Check::absent(ROLE_ID, summary)).disproving(ROLE_ALLOWED);
    }
    let actions: Vec<&str> = denied.iter().map(|(a, _)| a.as_str()).collect();
    let explicit = denied.iter().any(|(_, d)| *d == Decision::ExplicitDeny);
    let (summary, step) = match (lang, explicit) {
        (Lang::En, true) => (
            format!("Execution role {role} is explicitly denied {} on `{group}`: a policy (or boundary) denies it.", actions.join(", ")),
            format!("Remove or narrow the Deny statement that matches {} on `{group}` in the policies of {role} (check permissions boundaries and SCPs too).", actions.join(", ")),
        ),
        (Lang::En, false) => (
            format!("Execution role {role} may not {} on `{group}`: no policy allows it.", actions.join(", ")),
            format!("Allow {} on `{group}` for {role}; the managed policy `AmazonECSTaskExecutionRolePolicy` includes them.", actions.join(", ")),
        ),
        (Lang::Ja, true) => (
            format!("実行ロール {role} は `{group}` に対する {} を明示的に拒否されています (ポリシーまたはアクセス許可の境界の Deny)。", actions.join("、")),
            format!("{role} のポリシーで `{group}` の {} に一致する Deny ステートメントを削除するか絞り込んでください (アクセス許可の境界と SCP も確認してください)。", actions.join("、")),
        ),
        (Lang::Ja, false) => (
            format!("実行ロール {role} には `{group}` に対する {} の権限がありません (許可するポリシーがありません)。", actions.join("、")),
            format!("{role} に `{group}` に対する {} を許可してください。管理ポリシー `AmazonECSTaskExecutionRolePolicy` に含まれています。", actions.join("、")),
        ),
    };
    with(Check::found(ROLE_ID, summary)).lead(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(exists: bool, create_group: bool) -> LogsFacts {
        LogsFacts {
            container: "app".into(),
            group: "/ecs/app".into(),
            region: "us-east-1".into(),
            exists,
            create_group,
        }
    }

    #[test]
    fn the_group() {
        let c = judge_group(&facts(true, false), None, Lang::En);
        assert_eq!(c.status, CheckStatus::Absent);
        let c = judge_group(&facts(false, false), None, Lang::En);
        assert_eq!(c.status, CheckStatus::Found);
        assert_eq!(
            c.summary,
            "Log group `/ecs/app` does not exist in us-east-1, and `awslogs-create-group` is not set."
        );
        let c = judge_group(&facts(false, true), Some(&Decision::ImplicitDeny), Lang::En);
        assert_eq!(c.status, CheckStatus::Found);
        assert!(c.summary.contains("may not `logs:CreateLogGroup` (implicitDeny)"));
        assert_eq!(
            judge_group(&facts(false, true), Some(&Decision::Allowed), Lang::En).status,
            CheckStatus::Absent
        );
        assert_eq!(
            judge_group(&facts(false, true), None, Lang::Ja).status,
            CheckStatus::NotChecked
        );
    }

    #[test]
    fn the_role() {
        let allow = [
            ("logs:CreateLogStream".to_string(), Decision::Allowed),
            ("logs:PutLogEvents".to_string(), Decision::Allowed),
        ];
        assert_eq!(judge_role("r", "/g", &allow, Lang::En).status, CheckStatus::Absent);
        let implicit = [
            ("logs:CreateLogStream".to_string(), Decision::ImplicitDeny),
            ("logs:PutLogEvents".to_string(), Decision::Allowed),
        ];
        let c = judge_role("r", "/g", &implicit, Lang::En);
        assert_eq!(
            c.summary,
            "Execution role r may not logs:CreateLogStream on `/g`: no policy allows it."
        );
        let explicit = [("logs:PutLogEvents".to_string(), Decision::ExplicitDeny)];
        assert!(judge_role("r", "/g", &explicit, Lang::Ja)
            .summary
            .contains("明示的に拒否"));
    }
}
