//! Image checks, the pure half: which image to check (an ECR URI taken apart), and what the
//! repository, tag, pull permission and manifest platforms that `aws::verify` saw mean.

use crate::diagnose::{Category, Finding, Lang, Tr};
use crate::incident::Incident;
use crate::verify::{when, Check, CheckStatus, Unavailable};

/// An image reference, as far as an AWS API can describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    Ecr(EcrImage),
    /// Docker Hub, ECR Public, GHCR, a private registry: no AWS API describes it.
    Other {
        registry: String,
    },
}

/// A private ECR image: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag|@digest]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcrImage {
    pub partition: String,
    pub account: String,
    pub region: String,
    pub repository: String,
    pub reference: Reference,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    Tag(String),
    Digest(String),
}

impl Reference {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Tag(t) | Self::Digest(t) => t,
        }
    }

    fn kind(&self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Tag(_), Lang::En) => "tag",
            (Self::Digest(_), Lang::En) => "digest",
            (Self::Tag(_), Lang::Ja) => "タグ",
            (Self::Digest(_), Lang::Ja) => "ダイジェスト",
        }
    }
}

impl EcrImage {
    pub fn repository_arn(&self) -> String {
        format!(
            "arn:{}:ecr:{}:{}:repository/{}",
            self.partition, self.region, self.account, self.repository
        )
    }
}

/// Takes an image reference apart. `None` for an empty string.
pub fn parse(image: &str) -> Option<ImageRef> {
    let image = image.trim();
    if image.is_empty() {
        return None;
    }
    let (name, digest) = match image.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (image, None),
    };
    let (host, path) = match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => (first, rest),
        _ => ("docker.io", name),
    };
    let (repository, tag) = match path.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, Some(tag)),
        _ => (path, None),
    };
    let labels: Vec<&str> = host.split('.').collect();
    let is_ecr = labels.len() >= 6
        && labels[0].len() == 12
        && labels[0].bytes().all(|b| b.is_ascii_digit())
        && labels[1] == "dkr"
        && (labels[2] == "ecr" || labels[2] == "ecr-fips")
        && labels[4] == "amazonaws";
    if !is_ecr || repository.is_empty() {
        return Some(ImageRef::Other {
            registry: host.to_string(),
        });
    }
    let reference = match (digest, tag) {
        (Some(d), _) => Reference::Digest(d.to_string()),
        (None, Some(t)) => Reference::Tag(t.to_string()),
        (None, None) => Reference::Tag("latest".to_string()),
    };
    Some(ImageRef::Ecr(EcrImage {
        partition: if host.ends_with(".cn") { "aws-cn" } else { "aws" }.to_string(),
        account: labels[0].to_string(),
        region: labels[3].to_string(),
        repository: repository.to_string(),
        reference,
    }))
}

/// The image of the container that failed: the finding's container, else the first container
/// that reported a reason, else the first container with an image (task, then task definition).
pub fn image_of(incident: &Incident, finding: &Finding) -> Option<String> {
    let task = incident.task.as_ref();
    let definition = incident.task_definition.as_ref();
    let named = finding.evidence.container.as_deref();
    let from_task = |pick: &dyn Fn(&crate::incident::Container) -> bool| {
        task.and_then(|t| t.containers.iter().find(|c| pick(c) && c.image.is_some()))
            .and_then(|c| c.image.clone())
    };
    let from_definition = |name: Option<&str>| {
        definition
            .and_then(|d| {
                d.containers
                    .iter()
                    .find(|c| name.is_none_or(|n| c.name == n) && c.image.is_some())
            })
            .and_then(|c| c.image.clone())
    };
    if let Some(name) = named {
        if let Some(image) = from_task(&|c| c.name == name).or_else(|| from_definition(Some(name))) {
            return Some(image);
        }
    }
    from_task(&|c| c.reason.is_some())
        .or_else(|| from_task(&|_| true))
        .or_else(|| from_definition(None))
}

/// One tag and when its image was pushed (epoch seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedTag {
    pub tag: String,
    pub pushed_at: Option<i64>,
}

/// The `n` most recently pushed tags, newest first, from `(tags, pushed_at)` per image.
pub fn newest_tags(images: Vec<(Vec<String>, Option<i64>)>, n: usize) -> Vec<PushedTag> {
    let mut tags: Vec<PushedTag> = images
        .into_iter()
        .flat_map(|(tags, pushed_at)| tags.into_iter().map(move |tag| PushedTag { tag, pushed_at }))
        .collect();
    // Same push time (one image, several tags): the higher tag first, usually the newer version.
    tags.sort_by(|a, b| b.pushed_at.cmp(&a.pushed_at).then_with(|| b.tag.cmp(&a.tag)));
    tags.truncate(n);
    tags
}

/// What `ecr:DescribeImages` said about the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagLookup {
    Found {
        pushed_at: Option<i64>,
    },
    /// Not there; the newest tags the repository has instead.
    Missing {
        newest: Vec<PushedTag>,
    },
}

/// When the failure happened and what "now" is, for ages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub stopped_at: Option<i64>,
    pub now: i64,
}

impl Clock {
    fn age(&self, at: i64, lang: Lang) -> String {
        when::relative(at, self.stopped_at.unwrap_or(self.now), self.stopped_at.is_some(), lang)
    }
}

fn subject(image: &EcrImage, lang: Lang) -> String {
    Tr {
        en: "repository `{image_repository}`",
        ja: "リポジトリ `{image_repository}`",
    }
    .fill(lang, &[("image_repository", &image.repository)])
}

/// `ecr.repository`: does the repository exist?
pub fn judge_repository(image: &EcrImage, exists: &Result<bool, Unavailable>, lang: Lang) -> Check {
    const ID: &str = "ecr.repository";
    let repo = &image.repository;
    let place = format!("{}/{}", image.account, image.region);
    let check = match exists {
        Err(why) => return Check::not_checked(ID, &subject(image, lang), why, lang).fact("repository", repo.as_str()),
        Ok(false) => {
            let (summary, lead) = match lang {
                Lang::En => (
                    format!("Repository `{repo}` does not exist in account {} ({}).", image.account, image.region),
                    format!("Create repository `{repo}` in {place} and push the image, or correct the repository in the image URI."),
                ),
                Lang::Ja => (
                    format!("リポジトリ `{repo}` はアカウント {} ({}) に存在しません。", image.account, image.region),
                    format!("{place} にリポジトリ `{repo}` を作成してイメージを push するか、イメージ URI のリポジトリ名を修正してください。"),
                ),
            };
            Check::found(ID, summary).lead(lead)
        }
        Ok(true) => {
            let summary = Tr {
                en: "Repository `{repo}` exists in account {image_account} ({image_region}).",
                ja: "リポジトリ `{repo}` はアカウント {image_account} ({image_region}) に存在します。",
            }
            .fill(
                lang,
                &[
                    ("repo", &repo.to_string()),
                    ("image_account", &image.account),
                    ("image_region", &image.region),
                ],
            );
            Check::absent(ID, summary).disproving(&[
                "region and account in the image uri",
                "リージョンとアカウントが正しいか",
            ])
        }
    };
    check.fact("repository", repo.as_str()).fact("registry", place)
}

fn tag_list(newest: &[PushedTag], clock: &Clock, lang: Lang) -> String {
    let items: Vec<String> = newest
        .iter()
        .map(|t| match (t.pushed_at, lang) {
            (Some(at), Lang::En) => format!("`{}` (pushed {})", t.tag, clock.age(at, lang)),
            (Some(at), Lang::Ja) => format!("`{}` ({}に push)", t.tag, clock.age(at, lang)),
            (None, _) => format!("`{}`", t.tag),
        })
        .collect();
    items.join(", ")
}

/// `ecr.image-tag`: does the tag or digest exist, and when was it pushed?
pub fn judge_tag(image: &EcrImage, lookup: &Result<TagLookup, Unavailable>, clock: &Clock, lang: Lang) -> Check {
    const ID: &str = "ecr.image-tag";
    let repo = &image.repository;
    let reference = image.reference.as_str();
    let kind = image.reference.kind(lang);
    let check = match lookup {
        Err(why) => {
            let what = Tr {
                en: "{kind} `{reference}` in `{repo}`",
                ja: "`{repo}` の{kind} `{reference}`",
            }
            .fill(
                lang,
                &[("kind", kind), ("reference", reference), ("repo", &repo.to_string())],
            );
            Check::not_checked(ID, &what, why, lang)
        }
        Ok(TagLookup::Missing { newest }) => {
            let list = tag_list(newest, clock, lang);
            let summary = match (lang, newest.is_empty()) {
                (Lang::En, true) => {
                    format!("{kind} `{reference}` does not exist in `{repo}`, which holds no tagged images.")
                }
                (Lang::En, false) => {
                    format!("{kind} `{reference}` does not exist in `{repo}`. The newest tags are {list}.")
                }
                (Lang::Ja, true) => {
                    format!("`{repo}` に{kind} `{reference}` はありません。タグ付きのイメージもありません。")
                }
                (Lang::Ja, false) => format!("`{repo}` に{kind} `{reference}` はありません。最新のタグ: {list}。"),
            };
            let summary = capitalise(summary);
            let lead = match (lang, newest.first()) {
                (Lang::En, Some(newest)) => format!(
                    "Push {kind} `{reference}` to `{repo}`, or point the task definition at `{}`.",
                    newest.tag
                ),
                (Lang::En, None) => format!("Push {kind} `{reference}` to `{repo}` before deploying."),
                (Lang::Ja, Some(newest)) => format!(
                    "`{repo}` に{kind} `{reference}` を push するか、タスク定義のイメージを `{}` に変更してください。",
                    newest.tag
                ),
                (Lang::Ja, None) => format!("デプロイ前に `{repo}` へ{kind} `{reference}` を push してください。"),
            };
            let mut check = Check::found(ID, summary).lead(lead);
            if !newest.is_empty() {
                let tags: Vec<&str> = newest.iter().map(|t| t.tag.as_str()).collect();
                check = check.fact("newestTags", tags.join(", "));
            }
            check
        }
        Ok(TagLookup::Found { pushed_at }) => {
            let pushed_late = match (pushed_at, clock.stopped_at) {
                (Some(p), Some(s)) => *p > s,
                _ => false,
            };
            let when = pushed_at.map(|p| clock.age(p, lang));
            if pushed_late {
                let at = when.unwrap_or_default();
                let (summary, lead) = match lang {
                    Lang::En => (
                        format!("{kind} `{reference}` exists in `{repo}` now, but was pushed {at}: the task started before the image was there."),
                        format!("Make the pipeline push `{repo}:{reference}` before it deploys; the next task will find it."),
                    ),
                    Lang::Ja => (
                        format!("`{repo}` に{kind} `{reference}` は現在ありますが、push されたのは{at}です。イメージより先にタスクが起動しました。"),
                        format!("パイプラインがデプロイ前に `{repo}:{reference}` を push するようにしてください。次のタスクは取得できます。"),
                    ),
                };
                Check::found(ID, capitalise(summary)).lead(lead)
            } else {
                let summary = match (lang, &when) {
                    (Lang::En, Some(at)) => format!("{kind} `{reference}` exists in `{repo}` (pushed {at})."),
                    (Lang::En, None) => format!("{kind} `{reference}` exists in `{repo}`."),
                    (Lang::Ja, Some(at)) => format!("`{repo}` に{kind} `{reference}` があります ({at}に push)。"),
                    (Lang::Ja, None) => format!("`{repo}` に{kind} `{reference}` があります。"),
                };
                Check::absent(ID, capitalise(summary)).disproving(&[
                    "lifecycle policy",
                    "ライフサイクルポリシー",
                    "pushed this tag",
                    "タグを push したか",
                ])
            }
        }
    };
    let name = match image.reference {
        Reference::Tag(_) => "tag",
        Reference::Digest(_) => "digest",
    };
    check.fact("repository", repo.as_str()).fact(name, reference)
}

fn capitalise(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_ascii_lowercase() => first.to_ascii_uppercase().to_string() + chars.as_str(),
        _ => text,
    }
}

/// The words of the steps a pull permission that is in place makes moot.
pub const PULL_ALLOWED_DISPROVES: &[&str] = &[
    "make sure the task execution role has `ecr:batchgetimage`",
    "タスク実行ロールに `ecr:batchgetimage`",
    "grant `ecr:getauthorizationtoken`",
    "`ecr:getauthorizationtoken` を許可",
];

/// The actions a pull needs on the repository, and the one it needs on `*`.
pub const PULL_ACTIONS: &[&str] = &["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
pub const TOKEN_ACTION: &str = "ecr:GetAuthorizationToken";

/// Which checks fit the finding: the platform only for a platform mismatch, the rest otherwise.
pub fn wants_platform(finding: &Finding) -> bool {
    finding.category == Category::ImagePlatformMismatch
}

/// One platform an image was built for (`linux`/`amd64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// What an image manifest says about platforms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Manifest {
    /// A manifest list or OCI index: the platforms of its images (attestations left out).
    List(Vec<Platform>),
    /// A schema 1 manifest, which names its architecture.
    Single(Platform),
    /// A single image manifest: its platform sits in the config blob, which only a layer
    /// download (`ecr:GetDownloadUrlForLayer` + S3) can read.
    Opaque { media_type: String },
}

/// Reads the platforms out of a manifest document.
pub fn manifest_platforms(media_type: Option<&str>, document: &str) -> Option<Manifest> {
    let json: serde_json::Value = serde_json::from_str(document).ok()?;
    if let Some(entries) = json.get("manifests").and_then(|m| m.as_array()) {
        let platforms = entries
            .iter()
            .filter(|e| {
                let reference = e
                    .pointer("/annotations/vnd.docker.reference.type")
                    .and_then(|v| v.as_str());
                reference != Some("attestation-manifest")
            })
            .filter_map(|e| {
                let p = e.get("platform")?;
                let os = p.get("os")?.as_str()?.to_string();
                let architecture = p.get("architecture")?.as_str()?.to_string();
                if os == "unknown" || architecture == "unknown" {
                    return None;
                }
                let variant = p.get("variant").and_then(|v| v.as_str()).map(str::to_string);
                Some(Platform {
                    os,
                    architecture,
                    variant,
                })
            })
            .collect();
        return Some(Manifest::List(platforms));
    }
    if let Some(architecture) = json.get("architecture").and_then(|a| a.as_str()) {
        return Some(Manifest::Single(Platform {
            os: "linux".into(),
            architecture: architecture.to_string(),
            variant: None,
        }));
    }
    let media_type = media_type
        .map(str::to_string)
        .or_else(|| json.get("mediaType").and_then(|m| m.as_str()).map(str::to_string))
        .unwrap_or_else(|| "unknown".to_string());
    Some(Manifest::Opaque { media_type })
}

/// The platform the task needed: its task definition's `runtimePlatform`, else the task's
/// `cpuArchitecture` attribute, else Fargate's default (Linux on x86_64).
pub fn task_platform(incident: &Incident) -> Option<(Platform, &'static str)> {
    let definition = incident.task_definition.as_ref();
    let task = incident.task.as_ref();
    let os_of = |os: Option<&str>| {
        if os.is_some_and(|o| o.to_ascii_uppercase().starts_with("WINDOWS")) {
            "windows"
        } else {
            "linux"
        }
    };
    let arch_of = |arch: &str| match arch.to_ascii_uppercase().as_str() {
        "X86_64" | "AMD64" => "amd64".to_string(),
        "ARM64" | "AARCH64" => "arm64".to_string(),
        other => other.to_ascii_lowercase(),
    };
    let os = os_of(definition.and_then(|d| d.operating_system.as_deref()));
    let platform = |arch: &str| Platform {
        os: os.to_string(),
        architecture: arch_of(arch),
        variant: None,
    };
    if let Some(arch) = definition.and_then(|d| d.cpu_architecture.as_deref()) {
        return Some((platform(arch), "runtimePlatform"));
    }
    if let Some(arch) = task.and_then(|t| t.cpu_architecture.as_deref()) {
        return Some((platform(arch), "cpuArchitecture"));
    }
    let fargate = task.and_then(|t| t.launch_type.as_ref()).map(|l| l.as_str()) == Some("FARGATE")
        || definition.is_some_and(|d| d.requires_compatibilities.iter().any(|c| c == "FARGATE"));
    fargate.then(|| (platform("X86_64"), "Fargate default"))
}

/// `ecr.image-platform`: was the image built for the platform the task ran on?
pub fn judge_platform(
    image: &EcrImage,
    manifest: &Result<Manifest, Unavailable>,
    needed: Option<&(Platform, &'static str)>,
    lang: Lang,
) -> Check {
    const ID: &str = "ecr.image-platform";
    let name = format!("{}:{}", image.repository, image.reference.as_str());
    let what = Tr {
        en: "the platforms of `{name}`",
        ja: "`{name}` のプラットフォーム",
    }
    .fill(lang, &[("name", &name.to_string())]);
    let manifest = match manifest {
        Err(why) => return Check::not_checked(ID, &what, why, lang).fact("image", name),
        Ok(m) => m,
    };
    let platforms: Vec<Platform> = match manifest {
        Manifest::List(p) => p.clone(),
        Manifest::Single(p) => vec![p.clone()],
        Manifest::Opaque { media_type } => {
            let summary = Tr {
                en: "Could not check {what}: it is a single-image manifest ({media_type}); its platform is only in the config blob, which needs a layer download.",
                ja: "{what}を確認できませんでした: 単一イメージのマニフェスト ({media_type}) で、プラットフォームは設定ブロブにしかなく、レイヤーのダウンロードが必要です。",
            }.fill(lang, &[("what", &what.to_string()), ("media_type", &media_type.to_string())]);
            return Check::new(ID, CheckStatus::NotChecked, summary)
                .fact("image", name)
                .fact("mediaType", media_type.as_str());
        }
    };
    let listed: Vec<String> = platforms.iter().map(|p| p.to_string()).collect();
    let listed = if listed.is_empty() {
        "-".to_string()
    } else {
        listed.join(", ")
    };
    let Some((needed, source)) = needed else {
        return Check::not_checked(
            ID,
            &what,
            &Unavailable::Missing(match lang {
                Lang::En => "the task's CPU architecture".into(),
                Lang::Ja => "タスクの CPU アーキテクチャ".into(),
            }),
            lang,
        )
        .fact("image", name)
        .fact("imagePlatforms", listed);
    };
    let fits = platforms
        .iter()
        .any(|p| p.os == needed.os && p.architecture == needed.architecture);
    let check = if fits {
        let summary = Tr {
            en: "Image `{name}` has a {needed} build ({listed}), which the task needs.",
            ja: "イメージ `{name}` にはタスクが必要とする {needed} 向けのビルドがあります ({listed})。",
        }
        .fill(
            lang,
            &[
                ("name", &name.to_string()),
                ("needed", &needed.to_string()),
                ("listed", &listed.to_string()),
            ],
        );
        Check::absent(ID, summary).disproving(&["buildx", "runtimeplatform.cpuarchitecture"])
    } else {
        let ecs_arch = match needed.architecture.as_str() {
            "amd64" => "ARM64",
            _ => "X86_64",
        };
        let (summary, lead) = match lang {
            Lang::En => (
                format!("Image `{name}` has no {needed} build; it has {listed}."),
                format!("Push a {needed} build of `{name}` (e.g. `docker buildx build --platform {needed},linux/arm64 --push`), or set `runtimePlatform.cpuArchitecture` to {ecs_arch} if the image is built only for that."),
            ),
            Lang::Ja => (
                format!("イメージ `{name}` には {needed} 向けのビルドがありません (あるのは {listed})。"),
                format!("`{name}` の {needed} 向けビルドを push する (例: `docker buildx build --platform {needed},linux/arm64 --push`) か、イメージがそのアーキテクチャ専用なら `runtimePlatform.cpuArchitecture` を {ecs_arch} にしてください。"),
            ),
        };
        Check::found(ID, summary).lead(lead)
    };
    check
        .fact("image", name)
        .fact("imagePlatforms", listed)
        .fact("taskPlatform", format!("{needed} ({source})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{ContainerDefinition, Task, TaskDefinition};
    use crate::verify::CheckStatus;

    fn ecr(reference: Reference) -> EcrImage {
        EcrImage {
            partition: "aws".into(),
            account: "123456789012".into(),
            region: "us-east-1".into(),
            repository: "platform/base-api".into(),
            reference,
        }
    }

    #[test]
    fn ecr_uris_come_apart() {
        assert_eq!(
            parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1"),
            Some(ImageRef::Ecr(ecr(Reference::Tag("3.2.1".into()))))
        );
        let Some(ImageRef::Ecr(digest)) =
            parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api@sha256:abc")
        else {
            panic!("digest")
        };
        assert_eq!(digest.reference, Reference::Digest("sha256:abc".into()));
        let Some(ImageRef::Ecr(latest)) = parse("210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/app") else {
            panic!("latest")
        };
        assert_eq!(latest.reference, Reference::Tag("latest".into()));
        assert_eq!(latest.partition, "aws-cn");
        assert_eq!(
            latest.repository_arn(),
            "arn:aws-cn:ecr:cn-north-1:210987654321:repository/app"
        );
    }

    #[test]
    fn other_registries_are_named() {
        let other = |r: &str| Some(ImageRef::Other { registry: r.into() });
        assert_eq!(parse("nginx:1.27"), other("docker.io"));
        assert_eq!(parse("library/nginx"), other("docker.io"));
        assert_eq!(parse("public.ecr.aws/nginx/nginx:latest"), other("public.ecr.aws"));
        assert_eq!(parse("registry.local:5000/app:1"), other("registry.local:5000"));
        assert_eq!(parse("  "), None);
    }

    #[test]
    fn newest_tags_sort_by_push_time() {
        let newest = newest_tags(
            vec![
                (vec!["3.1.9".into()], Some(100)),
                (vec!["3.2.0".into(), "stable".into()], Some(300)),
                (vec!["old".into()], None),
                (vec!["3.1.8".into()], Some(50)),
            ],
            3,
        );
        let tags: Vec<&str> = newest.iter().map(|t| t.tag.as_str()).collect();
        assert_eq!(tags, ["stable", "3.2.0", "3.1.9"]);
    }

    #[test]
    fn a_missing_tag_is_confirmed_with_the_newest_tags() {
        let clock = Clock {
            stopped_at: Some(10_000),
            now: 99_999,
        };
        let lookup = Ok(TagLookup::Missing {
            newest: vec![
                PushedTag {
                    tag: "3.2.0".into(),
                    pushed_at: Some(10_000 - 7200),
                },
                PushedTag {
                    tag: "3.1.9".into(),
                    pushed_at: Some(10_000 - 3 * 86_400),
                },
            ],
        });
        let check = judge_tag(&ecr(Reference::Tag("3.2.1".into())), &lookup, &clock, Lang::En);
        assert_eq!(check.status, CheckStatus::Found);
        assert_eq!(
            check.summary,
            "Tag `3.2.1` does not exist in `platform/base-api`. The newest tags are `3.2.0` (pushed 2 h before the failure), `3.1.9` (pushed 3 d before the failure)."
        );
        assert_eq!(
            check.lead_step.as_deref(),
            Some("Push tag `3.2.1` to `platform/base-api`, or point the task definition at `3.2.0`.")
        );
        assert_eq!(check.facts[0], ("newestTags".to_string(), "3.2.0, 3.1.9".to_string()));
        let ja = judge_tag(&ecr(Reference::Tag("3.2.1".into())), &lookup, &clock, Lang::Ja);
        assert!(
            ja.summary.contains("最新のタグ: `3.2.0` (失敗の 2 時間 前に push)"),
            "{}",
            ja.summary
        );
        let empty = judge_tag(
            &ecr(Reference::Tag("1".into())),
            &Ok(TagLookup::Missing { newest: vec![] }),
            &clock,
            Lang::En,
        );
        assert!(
            empty.summary.ends_with("which holds no tagged images."),
            "{}",
            empty.summary
        );
    }

    #[test]
    fn a_tag_pushed_before_the_failure_rules_out_and_one_pushed_after_confirms() {
        let image = ecr(Reference::Tag("3.2.1".into()));
        let clock = Clock {
            stopped_at: Some(10_000),
            now: 20_000,
        };
        let before = judge_tag(
            &image,
            &Ok(TagLookup::Found { pushed_at: Some(9_000) }),
            &clock,
            Lang::En,
        );
        assert_eq!(before.status, CheckStatus::Absent);
        assert_eq!(
            before.summary,
            "Tag `3.2.1` exists in `platform/base-api` (pushed 16 min before the failure)."
        );
        assert!(!before.disproves.is_empty());
        let after = judge_tag(
            &image,
            &Ok(TagLookup::Found {
                pushed_at: Some(10_600),
            }),
            &clock,
            Lang::En,
        );
        assert_eq!(after.status, CheckStatus::Found);
        assert!(
            after.summary.contains("pushed 10 min after the failure"),
            "{}",
            after.summary
        );
        let now_clock = Clock {
            stopped_at: None,
            now: 20_000,
        };
        let aged = judge_tag(
            &image,
            &Ok(TagLookup::Found {
                pushed_at: Some(12_800),
            }),
            &now_clock,
            Lang::En,
        );
        assert!(aged.summary.contains("(pushed 2 h ago)"), "{}", aged.summary);
        let denied = judge_tag(
            &image,
            &Err(Unavailable::AccessDenied("ecr:DescribeImages".into())),
            &clock,
            Lang::En,
        );
        assert_eq!(denied.status, CheckStatus::NotChecked);
        assert_eq!(
            denied.summary,
            "Could not check tag `3.2.1` in `platform/base-api`: this function is not allowed `ecr:DescribeImages`."
        );
    }

    #[test]
    fn repository_results() {
        let image = ecr(Reference::Tag("1".into()));
        let missing = judge_repository(&image, &Ok(false), Lang::En);
        assert_eq!(missing.status, CheckStatus::Found);
        assert_eq!(
            missing.summary,
            "Repository `platform/base-api` does not exist in account 123456789012 (us-east-1)."
        );
        let there = judge_repository(&image, &Ok(true), Lang::Ja);
        assert_eq!(there.status, CheckStatus::Absent);
        assert!(there.summary.contains("存在します"));
        let cross = judge_repository(&image, &Err(Unavailable::CrossAccount("123456789012".into())), Lang::En);
        assert_eq!(cross.status, CheckStatus::NotChecked);
    }

    #[test]
    fn manifests_list_their_platforms() {
        let index = r#"{"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
            {"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
            {"platform":{"os":"unknown","architecture":"unknown"},"annotations":{"vnd.docker.reference.type":"attestation-manifest"}}]}"#;
        assert_eq!(
            manifest_platforms(None, index),
            Some(Manifest::List(vec![Platform {
                os: "linux".into(),
                architecture: "arm64".into(),
                variant: Some("v8".into())
            }]))
        );
        let single =
            r#"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{}}"#;
        assert_eq!(
            manifest_platforms(None, single),
            Some(Manifest::Opaque {
                media_type: "application/vnd.docker.distribution.manifest.v2+json".into()
            })
        );
        let v1 = r#"{"schemaVersion":1,"architecture":"amd64"}"#;
        assert!(matches!(manifest_platforms(None, v1), Some(Manifest::Single(p)) if p.architecture == "amd64"));
        assert_eq!(manifest_platforms(None, "not json"), None);
    }

    #[test]
    fn platform_judgement() {
        let image = ecr(Reference::Tag("1".into()));
        let arm = Ok(Manifest::List(vec![Platform {
            os: "linux".into(),
            architecture: "arm64".into(),
            variant: None,
        }]));
        let incident = Incident {
            task_definition: Some(TaskDefinition {
                cpu_architecture: Some("X86_64".into()),
                containers: vec![ContainerDefinition::default()],
                ..TaskDefinition::default()
            }),
            ..Incident::default()
        };
        let needed = task_platform(&incident);
        let check = judge_platform(&image, &arm, needed.as_ref(), Lang::En);
        assert_eq!(check.status, CheckStatus::Found);
        assert_eq!(
            check.summary,
            "Image `platform/base-api:1` has no linux/amd64 build; it has linux/arm64."
        );
        assert!(check.lead_step.as_deref().unwrap_or_default().contains("ARM64"));
        assert_eq!(check.facts[2].1, "linux/amd64 (runtimePlatform)");

        let arm_task = Incident {
            task: Some(Task {
                cpu_architecture: Some("arm64".into()),
                ..Task::default()
            }),
            ..Incident::default()
        };
        let fits = judge_platform(&image, &arm, task_platform(&arm_task).as_ref(), Lang::Ja);
        assert_eq!(fits.status, CheckStatus::Absent);
        assert!(
            fits.summary.contains("linux/arm64 向けのビルドがあります"),
            "{}",
            fits.summary
        );

        let unknown = judge_platform(&image, &arm, None, Lang::En);
        assert_eq!(unknown.status, CheckStatus::NotChecked);
        let opaque = judge_platform(
            &image,
            &Ok(Manifest::Opaque {
                media_type: "application/vnd.oci.image.manifest.v1+json".into(),
            }),
            needed.as_ref(),
            Lang::En,
        );
        assert_eq!(opaque.status, CheckStatus::NotChecked);
        assert!(opaque.summary.contains("config blob"), "{}", opaque.summary);
    }
}
