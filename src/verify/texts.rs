//! The words of the verify stage that do not depend on one check: why a check could not run,
//! and what a category's checks are about. Both languages, in one place.

use std::time::Duration;

use crate::diagnose::{Category, Lang};

/// Why a check could not run. Each names the permission or the limit that stopped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The caller lacks this IAM action (e.g. `ecr:DescribeImages`).
    AccessDenied(String),
    /// The API throttled the call (the action).
    Throttled(String),
    /// The checks did not finish within the budget.
    Timeout(Duration),
    /// The resource is in another account, which this function cannot read.
    CrossAccount(String),
    /// The resource is in another Region than the task.
    OtherRegion(String),
    /// The resource the check needs no longer exists (the task's ENI, the instance, …).
    Gone(String),
    /// The incident does not say enough (no execution role, no ENI attachment, …).
    Missing(String),
    /// A public or third-party registry, which no AWS API describes.
    NotAws(String),
    /// Anything else, as the SDK reported it.
    Failed(String),
}

/// `what` could not be checked, and why (one sentence).
pub fn not_checked(what: &str, why: &Unavailable, lang: Lang) -> String {
    match lang {
        Lang::En => match why {
            Unavailable::AccessDenied(action) => {
                format!("Could not check {what}: this function is not allowed `{action}`.")
            }
            Unavailable::Throttled(action) => format!("Could not check {what}: `{action}` was throttled."),
            Unavailable::Timeout(budget) => {
                format!("Could not check {what} within the {} budget.", seconds(*budget))
            }
            Unavailable::CrossAccount(account) => format!(
                "Could not check {what}: it belongs to account {account}, which this function cannot read."
            ),
            Unavailable::OtherRegion(region) => {
                format!("Could not check {what}: it is in {region}, another Region than the task.")
            }
            Unavailable::Gone(resource) => format!("Could not check {what}: {resource} no longer exists."),
            Unavailable::Missing(fact) => format!("Could not check {what}: {fact} is not known."),
            Unavailable::NotAws(registry) => {
                format!("Could not check {what}: `{registry}` is not an AWS registry, so no AWS API describes it.")
            }
            Unavailable::Failed(error) => format!("Could not check {what}: {error}."),
        },
        Lang::Ja => match why {
            Unavailable::AccessDenied(action) => {
                format!("{what}を確認できませんでした: この関数には `{action}` の権限がありません。")
            }
            Unavailable::Throttled(action) => {
                format!("{what}を確認できませんでした: `{action}` がスロットリングされました。")
            }
            Unavailable::Timeout(budget) => {
                format!("{what}を制限時間 {} 以内に確認できませんでした。", seconds(*budget))
            }
            Unavailable::CrossAccount(account) => format!(
                "{what}を確認できませんでした: アカウント {account} のリソースで、この関数からは読めません。"
            ),
            Unavailable::OtherRegion(region) => {
                format!("{what}を確認できませんでした: タスクとは別のリージョン ({region}) にあります。")
            }
            Unavailable::Gone(resource) => format!("{what}を確認できませんでした: {resource} はもう存在しません。"),
            Unavailable::Missing(fact) => format!("{what}を確認できませんでした: {fact}が分かりません。"),
            Unavailable::NotAws(registry) => format!(
                "{what}を確認できませんでした: `{registry}` は AWS のレジストリではないため、AWS API では調べられません。"
            ),
            Unavailable::Failed(error) => format!("{what}を確認できませんでした: {error}。"),
        },
    }
}

/// `1.5 s`, `2 s`.
fn seconds(d: Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// What a category's checks look at, as the object of "Could not check …".
pub fn category_subject(category: Category, lang: Lang) -> &'static str {
    use Category::*;
    match lang {
        Lang::En => match category {
            ImageNotFound | ImagePullAuth | ImagePullRateLimit => "the image and the permission to pull it",
            ImagePlatformMismatch => "the image's platforms",
            SecretsNotFound | SecretsPermission => "the secrets and the permission to read them",
            ImagePullNetwork | SecretsNetwork => "the task's network path to AWS",
            LoggingSetup => "the log group and the permission to write to it",
            EniProvisioning => "the subnets' free addresses",
            HealthCheckElb => "the load balancer's target health",
            IamRole => "the role and its trust policy",
            EfsMount => "the EFS mount targets and security groups",
            PlacementCapacity | PlacementConstraint => "the container instances' free resources",
            _ => "the cause",
        },
        Lang::Ja => match category {
            ImageNotFound | ImagePullAuth | ImagePullRateLimit => "イメージとプル権限",
            ImagePlatformMismatch => "イメージのプラットフォーム",
            SecretsNotFound | SecretsPermission => "シークレットと読み取り権限",
            ImagePullNetwork | SecretsNetwork => "タスクから AWS へのネットワーク経路",
            LoggingSetup => "ロググループと書き込み権限",
            EniProvisioning => "サブネットの空き IP アドレス",
            HealthCheckElb => "ロードバランサーのターゲットヘルス",
            IamRole => "ロールと信頼ポリシー",
            EfsMount => "EFS マウントターゲットとセキュリティグループ",
            PlacementCapacity | PlacementConstraint => "コンテナインスタンスの空きリソース",
            _ => "原因",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_names_its_limit_in_both_languages() {
        let reasons = [
            Unavailable::AccessDenied("ecr:DescribeImages".into()),
            Unavailable::Throttled("ec2:DescribeRouteTables".into()),
            Unavailable::Timeout(Duration::from_millis(1500)),
            Unavailable::CrossAccount("210987654321".into()),
            Unavailable::OtherRegion("eu-west-1".into()),
            Unavailable::Gone("eni-0abc".into()),
            Unavailable::Missing("the execution role".into()),
            Unavailable::NotAws("docker.io".into()),
            Unavailable::Failed("connection reset".into()),
        ];
        let needles = [
            "ecr:DescribeImages",
            "ec2:DescribeRouteTables",
            "1.5 s",
            "210987654321",
            "eu-west-1",
            "eni-0abc",
            "the execution role",
            "docker.io",
            "connection reset",
        ];
        for (why, needle) in reasons.iter().zip(needles) {
            for lang in [Lang::En, Lang::Ja] {
                let text = not_checked("the image", why, lang);
                assert!(text.contains(needle), "{text}");
                assert!(!text.contains("{"), "{text}");
            }
        }
    }
}
