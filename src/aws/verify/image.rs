//! Reads for the image checks: the repository (`ecr:DescribeRepositories`), the tag or digest
//! and the newest tags (`ecr:DescribeImages`), the repository policy (`ecr:GetRepositoryPolicy`)
//! for the pull-permission simulation, and the manifest (`ecr:BatchGetImage`) for platforms.

use aws_sdk_ecr::types::{DescribeImagesFilter, ImageIdentifier, TagStatus};

use super::access::{simulate, Ask};
use super::{error_code, unavailable, Ctx};
use crate::aws::clients::AccountClients;
use crate::diagnose::{Lang, Tr};
use crate::verify::access::{self as judge_access, Purpose};
use crate::verify::image::{self as pure, Clock, EcrImage, ImageRef, Manifest, Reference, TagLookup};
use crate::verify::{texts, Check, Unavailable};

/// How many of the most recently pushed tags a missing tag's check lists.
const NEWEST: usize = 5;
/// Pages of `DescribeImages` read to find them (1000 images a page).
const MAX_PAGES: usize = 5;

/// Media types `BatchGetImage` may answer with: lists first, so a multi-platform image shows
/// its platforms.
const MEDIA_TYPES: &[&str] = &[
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v1+json",
];

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    let lang = ctx.lang;
    let subject = texts::category_subject(ctx.finding.category, lang);
    let Some(uri) = pure::image_of(ctx.incident, ctx.finding) else {
        return vec![Check::not_checked(
            "ecr.repository",
            subject,
            &Unavailable::Missing(missing_image(lang)),
            lang,
        )];
    };
    let image = match pure::parse(&uri) {
        Some(ImageRef::Ecr(image)) => image,
        Some(ImageRef::Other { registry }) => {
            return vec![
                Check::not_checked("ecr.repository", subject, &Unavailable::NotAws(registry), lang).fact("image", uri),
            ];
        }
        None => {
            return vec![Check::not_checked(
                "ecr.repository",
                subject,
                &Unavailable::Missing(missing_image(lang)),
                lang,
            )]
        }
    };
    let home_account = ctx.aws.target.account.as_deref().or(ctx.incident.account.as_deref());
    let home_region = ctx.aws.target.region.as_deref().or(ctx.incident.region.as_deref());
    let elsewhere = elsewhere(&image, home_account, home_region);
    if pure::wants_platform(ctx.finding) {
        let manifest = match &elsewhere {
            Some(why) => Err(why.clone()),
            None => manifest(ctx.aws, &image).await,
        };
        let needed = pure::task_platform(ctx.incident);
        return vec![pure::judge_platform(&image, &manifest, needed.as_ref(), lang)];
    }
    let role = ctx
        .incident
        .task_definition
        .as_ref()
        .and_then(|d| d.execution_role_arn.as_deref());
    ecr(ctx.aws, &image, elsewhere, role, &clock(ctx), lang).await
}

/// `ecr.repository`, `ecr.image-tag` and `iam.execution-role-ecr` for one ECR image: the checks
/// of a failed pull, and of `ecs-doctor check` before a deploy. `elsewhere` says why the
/// repository cannot be read from these clients (another account or Region).
pub(super) async fn ecr(
    aws: &AccountClients,
    image: &EcrImage,
    elsewhere: Option<Unavailable>,
    role: Option<&str>,
    clock: &Clock,
    lang: Lang,
) -> Vec<Check> {
    match elsewhere {
        Some(why) => {
            // The repository, its images and its policy live elsewhere; the execution role's own
            // policies are still in this account and must allow the pull too.
            let (repo, permission) = (
                pure::judge_repository(image, &Err(why.clone()), lang),
                permission(aws, role, image, None, Some(&why), lang).await,
            );
            vec![repo, permission]
        }
        None => {
            let (exists, policy, tag) = tokio::join!(repository(aws, image), policy(aws, image), tag(aws, image));
            let mut checks = vec![pure::judge_repository(image, &exists, lang)];
            let policy_text = policy.as_ref().ok().and_then(|p| p.clone());
            let tag_check = async {
                if exists == Ok(false) {
                    return None;
                }
                let lookup = match tag {
                    Ok(Some(pushed_at)) => Ok(TagLookup::Found { pushed_at }),
                    Ok(None) => newest(aws, image).await.map(|newest| TagLookup::Missing { newest }),
                    Err(why) => Err(why),
                };
                Some(pure::judge_tag(image, &lookup, clock, lang))
            };
            let (tag_check, permission) =
                tokio::join!(tag_check, permission(aws, role, image, policy_text, None, lang));
            checks.extend(tag_check);
            checks.push(permission);
            checks
        }
    }
}

/// Why the image's repository cannot be read with the clients of `account` and `region`.
pub(super) fn elsewhere(image: &EcrImage, account: Option<&str>, region: Option<&str>) -> Option<Unavailable> {
    if account.is_some_and(|a| a != image.account) {
        Some(Unavailable::CrossAccount(image.account.clone()))
    } else if region.is_some_and(|r| r != image.region) {
        Some(Unavailable::OtherRegion(image.region.clone()))
    } else {
        None
    }
}

fn missing_image(lang: Lang) -> String {
    match lang {
        Lang::En => "the failing container's image".into(),
        Lang::Ja => "失敗したコンテナのイメージ".into(),
    }
}

fn clock(ctx: &Ctx<'_>) -> Clock {
    let now = crate::util::time::now_epoch_seconds() as i64;
    let stopped_at = ctx.incident.task.as_ref().and_then(|t| {
        let stamps = &t.timestamps;
        stamps
            .stopped_at
            .as_deref()
            .or(stamps.stopping_at.as_deref())
            .or(stamps.execution_stopped_at.as_deref())
            .and_then(crate::util::time::epoch_seconds_from_iso8601)
    });
    Clock { stopped_at, now }
}

fn image_id(image: &EcrImage) -> ImageIdentifier {
    match &image.reference {
        Reference::Tag(tag) => ImageIdentifier::builder().image_tag(tag).build(),
        Reference::Digest(digest) => ImageIdentifier::builder().image_digest(digest).build(),
    }
}

/// Does the repository exist? `RepositoryNotFoundException` is the answer "no".
async fn repository(aws: &AccountClients, image: &EcrImage) -> Result<bool, Unavailable> {
    let sent = aws
        .ecr()
        .describe_repositories()
        .registry_id(&image.account)
        .repository_names(&image.repository)
        .send()
        .await;
    match sent {
        Ok(out) => Ok(!out.repositories().is_empty()),
        Err(err) if error_code(&err) == Some("RepositoryNotFoundException") => Ok(false),
        Err(err) => Err(unavailable(err, "ecr:DescribeRepositories")),
    }
}

/// The repository policy, when the repository has one.
async fn policy(aws: &AccountClients, image: &EcrImage) -> Result<Option<String>, Unavailable> {
    let sent = aws
        .ecr()
        .get_repository_policy()
        .registry_id(&image.account)
        .repository_name(&image.repository)
        .send()
        .await;
    match sent {
        Ok(out) => Ok(out.policy_text().map(str::to_string)),
        Err(err)
            if matches!(
                error_code(&err),
                Some("RepositoryPolicyNotFoundException" | "RepositoryNotFoundException")
            ) =>
        {
            Ok(None)
        }
        Err(err) => Err(unavailable(err, "ecr:GetRepositoryPolicy")),
    }
}

/// The tag's push time when it exists (`Ok(Some(..))`), `Ok(None)` when it does not.
async fn tag(aws: &AccountClients, image: &EcrImage) -> Result<Option<Option<i64>>, Unavailable> {
    let sent = aws
        .ecr()
        .describe_images()
        .registry_id(&image.account)
        .repository_name(&image.repository)
        .image_ids(image_id(image))
        .send()
        .await;
    match sent {
        Ok(out) => Ok(out
            .image_details()
            .first()
            .map(|d| d.image_pushed_at().map(|t| t.secs()))),
        Err(err)
            if matches!(
                error_code(&err),
                Some("ImageNotFoundException" | "RepositoryNotFoundException")
            ) =>
        {
            Ok(None)
        }
        Err(err) => Err(unavailable(err, "ecr:DescribeImages")),
    }
}

/// The most recently pushed tags of the repository.
async fn newest(aws: &AccountClients, image: &EcrImage) -> Result<Vec<pure::PushedTag>, Unavailable> {
    let mut pages = aws
        .ecr()
        .describe_images()
        .registry_id(&image.account)
        .repository_name(&image.repository)
        .filter(DescribeImagesFilter::builder().tag_status(TagStatus::Tagged).build())
        .into_paginator()
        .send();
    let mut images: Vec<(Vec<String>, Option<i64>)> = Vec::new();
    let mut read = 0;
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| unavailable(err, "ecr:DescribeImages"))?;
        images.extend(
            page.image_details()
                .iter()
                .map(|d| (d.image_tags().to_vec(), d.image_pushed_at().map(|t| t.secs()))),
        );
        read += 1;
        if read == MAX_PAGES {
            break;
        }
    }
    Ok(pure::newest_tags(images, NEWEST))
}

/// The image's manifest (or manifest list), read without downloading any layer.
async fn manifest(aws: &AccountClients, image: &EcrImage) -> Result<Manifest, Unavailable> {
    let out = aws
        .ecr()
        .batch_get_image()
        .registry_id(&image.account)
        .repository_name(&image.repository)
        .image_ids(image_id(image))
        .set_accepted_media_types(Some(MEDIA_TYPES.iter().map(|m| m.to_string()).collect()))
        .send()
        .await
        .map_err(|err| match error_code(&err) {
            Some("RepositoryNotFoundException") => Unavailable::Gone(format!("repository `{}`", image.repository)),
            _ => unavailable(err, "ecr:BatchGetImage"),
        })?;
    let Some(found) = out.images().first() else {
        let code = out
            .failures()
            .first()
            .and_then(|f| f.failure_code())
            .map(|c| c.as_str().to_string())
            .unwrap_or_else(|| "no image".into());
        return Err(Unavailable::Gone(format!(
            "`{}:{}` ({code})",
            image.repository,
            image.reference.as_str()
        )));
    };
    let document = found.image_manifest().unwrap_or_default();
    pure::manifest_platforms(found.image_manifest_media_type(), document)
        .ok_or_else(|| Unavailable::Failed("ecr:BatchGetImage: the manifest is not JSON".into()))
}

/// `iam.execution-role-ecr`: may the execution role pull from the repository and get a token?
/// `elsewhere` says why the repository policy could not take part (another account).
async fn permission(
    aws: &AccountClients,
    role: Option<&str>,
    image: &EcrImage,
    policy: Option<String>,
    elsewhere: Option<&Unavailable>,
    lang: Lang,
) -> Check {
    const ID: &str = "iam.execution-role-ecr";
    let what = Tr {
        en: "the task execution role's pull permissions",
        ja: "タスク実行ロールのプル権限",
    }
    .text(lang);
    let Some(role) = role else {
        let fact = Tr {
            en: "the task execution role",
            ja: "タスク実行ロール",
        }
        .text(lang);
        return Check::not_checked(ID, what, &Unavailable::Missing(fact.into()), lang);
    };
    let repository_arn = image.repository_arn();
    let mut pull = Ask::new(pure::PULL_ACTIONS, vec![repository_arn.clone()]);
    if let Some(policy) = &policy {
        pull.resource_policy = Some(policy.clone());
        pull.resource_owner = Some(format!("arn:{}:iam::{}:root", image.partition, image.account));
    }
    let token = Ask::new(&[pure::TOKEN_ACTION], vec!["*".to_string()]);
    let results = match simulate(aws, role, vec![pull, token]).await {
        Ok(results) => results,
        Err(why) => return Check::not_checked(ID, what, &why, lang).fact("role", role),
    };
    let purpose = Purpose {
        en: &format!("pull from `{}`", image.repository),
        ja: &format!("`{}` からプルする", image.repository),
    };
    let caveat = match (elsewhere, lang) {
        (Some(Unavailable::CrossAccount(account)), Lang::En) => Some(format!(
            "Only the role's own policies were simulated: the repository policy in account {account} cannot be read from here, and it must allow this role too."
        )),
        (Some(Unavailable::CrossAccount(account)), Lang::Ja) => Some(format!(
            "シミュレーションはロール自身のポリシーのみです。アカウント {account} のリポジトリポリシーはここから読めず、そちらでもこのロールを許可する必要があります。"
        )),
        (None, Lang::En) if policy.is_some() => Some("The repository policy took part in the simulation.".into()),
        (None, Lang::Ja) if policy.is_some() => Some("リポジトリポリシーも含めてシミュレーションしました。".into()),
        _ => None,
    };
    // Across accounts an allow here does not rule the cause out: the other side is unseen.
    let disproves = if elsewhere.is_some() {
        &[][..]
    } else {
        pure::PULL_ALLOWED_DISPROVES
    };
    let mut check = judge_access::judge(ID, role, &results, &purpose, caveat.as_deref(), disproves, lang);
    if elsewhere.is_some() && check.status == crate::verify::CheckStatus::Absent {
        check.status = crate::verify::CheckStatus::NotChecked;
    }
    check
}
