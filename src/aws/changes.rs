//! "What changed": the reads behind [`crate::changes`]. Read-only calls, for the account and
//! Region of the incident:
//! - the revision the failing task replaced: `ecs:DescribeServices` (the service's other
//!   deployment), else `ecs:ListTaskDefinitions` (the previous ACTIVE revision of the family),
//!   then `ecs:DescribeTaskDefinition`;
//! - the implicated resources' own timestamps: `ecr:DescribeImages` (`imagePushedAt`),
//!   `secretsmanager:DescribeSecret` (`LastChangedDate`, `DeletedDate`) and
//!   `ssm:DescribeParameters` (`LastModifiedDate`) — never a value;
//! - `cloudtrail:LookupEvents` by resource name over the last 24 h: at most
//!   [`MAX_LOOKUPS`] calls per invocation, no retries (its rate limit is 2 calls per second per
//!   account and Region), each resource's answer kept [`LOOKUP_TTL`] in the warm Lambda.
//!
//! Every error becomes a note; nothing here fails the invocation.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use aws_sdk_cloudtrail::config::retry::RetryConfig;
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ecs::types::{SortOrder, TaskDefinitionStatus};

use super::clients::AccountClients;
use super::error::unavailable;
use crate::changes::{self, Change, ChangeKind, Observed, WhatChanged};
use crate::diagnose::{Category, Lang, Tr};
use crate::incident::ArnParts;
use crate::incident::{arn_name, Incident, TaskDefinition};
use crate::report::Report;
use crate::verify::{texts, Unavailable};

/// Most `LookupEvents` calls per invocation.
pub const MAX_LOOKUPS: usize = 2;
/// How long one resource's CloudTrail answer is reused.
pub const LOOKUP_TTL: Duration = Duration::from_secs(300);
/// How far back CloudTrail is searched.
pub const LOOKBACK_SECONDS: i64 = 24 * 3600;
/// Most images and secrets whose timestamps are read.
const MAX_IMAGES: usize = 3;
const MAX_SECRETS: usize = 5;
const CACHE_ENTRIES: usize = 256;

/// Everything "What changed" reads, summarised for the report's checked findings.
pub async fn what_changed(aws: &AccountClients, incident: &Incident, report: &Report, lang: Lang) -> WhatChanged {
    let now = epoch_now();
    let categories: Vec<Category> = {
        let picked = crate::verify::selected(report.findings.iter().map(|f| &f.finding));
        let mut c: Vec<Category> = picked.iter().map(|&i| report.findings[i].category).collect();
        if c.is_empty() {
            c.push(report.primary().category);
        }
        c
    };
    let mut notes = Vec::new();
    let current = match &incident.task_definition {
        Some(d) => Some(d.clone()),
        None => match incident.task.as_ref().and_then(|t| t.task_definition_arn.as_deref()) {
            Some(arn) => describe_task_definition(aws, arn, &mut notes, lang).await,
            None => None,
        },
    };
    let targets = Targets::of(incident, current.as_ref(), report, &categories);
    let scope = scope(aws);
    let trail: Vec<String> = targets.trail.iter().take(MAX_LOOKUPS).cloned().collect();
    let (revision, timestamps, events) = tokio::join!(
        previous_revision(aws, incident, current.as_ref(), lang),
        resource_timestamps(aws, &targets, lang),
        recent_events(aws.cloudtrail(), &scope, &trail, now, lang),
    );
    let (previous, deployed_at, revision_notes) = revision;
    notes.extend(revision_notes);
    let (mut resources, timestamp_notes) = timestamps;
    notes.extend(timestamp_notes);
    let (trail, trail_notes) = events;
    resources.extend(trail);
    notes.extend(trail_notes);
    let deployed_at = deployed_at.or_else(|| {
        current
            .as_ref()
            .and_then(|c| c.registered_at.as_deref())
            .and_then(crate::util::time::epoch_seconds_from_iso8601)
    });
    changes::summarise(
        Observed {
            current: current.as_ref(),
            previous: previous.as_ref(),
            deployed_at,
            resources,
            notes,
        },
        &categories,
        now,
        lang,
    )
}

fn epoch_now() -> i64 {
    crate::util::time::now_epoch_seconds() as i64
}

/// The cache scope of a client set: its account and Region.
fn scope(aws: &AccountClients) -> String {
    format!(
        "{}/{}",
        aws.target.account.as_deref().unwrap_or("-"),
        aws.config().region().map_or("-", |r| r.as_ref())
    )
}

// ---------------------------------------------------------------------------------------------
// The revision it replaced

async fn describe_task_definition(
    aws: &AccountClients,
    arn: &str,
    notes: &mut Vec<String>,
    lang: Lang,
) -> Option<TaskDefinition> {
    match aws.ecs().describe_task_definition().task_definition(arn).send().await {
        Ok(out) => out.task_definition().map(super::task_definition_from_sdk),
        Err(err) => {
            notes.push(note(
                &format!("`{}`", arn_name(arn)),
                err,
                "ecs:DescribeTaskDefinition",
                lang,
            ));
            None
        }
    }
}

/// The revision the failing one replaced, and when the failing one was deployed.
async fn previous_revision(
    aws: &AccountClients,
    incident: &Incident,
    current: Option<&TaskDefinition>,
    lang: Lang,
) -> (Option<TaskDefinition>, Option<i64>, Vec<String>) {
    let mut notes = Vec::new();
    let Some(current) = current else {
        return (None, None, notes);
    };
    let service = incident
        .task
        .as_ref()
        .and_then(|t| t.service_name())
        .or_else(|| incident.service_event.as_ref().and_then(|e| e.service_name()));
    let from_service = async {
        match (service, incident.cluster.as_deref()) {
            (Some(service), Some(cluster)) => Some(
                aws.ecs()
                    .describe_services()
                    .cluster(cluster)
                    .services(service)
                    .send()
                    .await,
            ),
            _ => None,
        }
    };
    let family = current
        .family
        .clone()
        .or_else(|| arn_name(&current.arn).split(':').next().map(str::to_string));
    let from_family = async {
        match &family {
            Some(family) => Some(
                aws.ecs()
                    .list_task_definitions()
                    .family_prefix(family)
                    .status(TaskDefinitionStatus::Active)
                    .sort(SortOrder::Desc)
                    .send()
                    .await,
            ),
            None => None,
        }
    };
    // Both at once: the family listing costs one short call and saves a round trip when the
    // service has no other deployment.
    let (services, definitions) = tokio::join!(from_service, from_family);

    let mut previous_arn = None;
    let mut deployed_at = None;
    match services {
        Some(Ok(out)) => {
            let deployments = out.services().first().map(|s| s.deployments()).unwrap_or_default();
            for d in deployments {
                let arn = d.task_definition().unwrap_or_default();
                if arn == current.arn {
                    deployed_at = deployed_at.or(d.created_at().map(|t| t.secs()));
                } else if previous_arn.is_none() && !arn.is_empty() {
                    previous_arn = Some(arn.to_string());
                }
            }
        }
        Some(Err(err)) => notes.push(note(
            &format!("`{}`", service.unwrap_or_default()),
            err,
            "ecs:DescribeServices",
            lang,
        )),
        None => {}
    }
    if previous_arn.is_none() {
        match definitions {
            Some(Ok(out)) => {
                previous_arn = previous_of(out.task_definition_arns(), current.revision);
            }
            Some(Err(err)) => notes.push(note(
                &format!("`{}`", family.as_deref().unwrap_or_default()),
                err,
                "ecs:ListTaskDefinitions",
                lang,
            )),
            None => {}
        }
    }
    let previous = match previous_arn {
        Some(arn) => describe_task_definition(aws, &arn, &mut notes, lang).await,
        None => None,
    };
    (previous, deployed_at, notes)
}

/// The newest revision older than `current` among `arns` (`…:task-definition/api:41`).
pub fn previous_of(arns: &[String], current: Option<i64>) -> Option<String> {
    let current = current?;
    arns.iter()
        .filter_map(|a| {
            let revision: i64 = a.rsplit(':').next()?.parse().ok()?;
            (revision < current).then_some((revision, a))
        })
        .max_by_key(|(r, _)| *r)
        .map(|(_, a)| a.clone())
}

// ---------------------------------------------------------------------------------------------
// The implicated resources

/// The resources a finding names, read from the task definition and the checks' facts.
#[derive(Debug, Default)]
struct Targets {
    /// ECR images: registry account, repository, tag or digest.
    images: Vec<(String, String, String)>,
    /// Secrets Manager secret ids (ARN without json-key / version parts).
    secrets: Vec<String>,
    /// SSM parameter names.
    parameters: Vec<String>,
    /// Names to look up in CloudTrail, most relevant first.
    trail: Vec<String>,
}

impl Targets {
    fn of(incident: &Incident, current: Option<&TaskDefinition>, report: &Report, categories: &[Category]) -> Self {
        use Category as C;
        let mut t = Targets::default();
        let wants = |set: &[Category]| categories.iter().any(|c| set.contains(c));
        let wants_image = wants(&[
            C::ImageNotFound,
            C::ImagePullAuth,
            C::ImagePullNetwork,
            C::ImagePullRateLimit,
            C::ImagePlatformMismatch,
            C::AppExit,
            C::ContainerRuntime,
            C::ContainerCommand,
            C::HealthCheckContainer,
            C::HealthCheckElb,
        ]);
        let wants_secrets = wants(&[C::SecretsNotFound, C::SecretsPermission, C::SecretsNetwork]);
        let wants_roles = wants(&[C::ImagePullAuth, C::SecretsPermission, C::IamRole, C::LoggingSetup]);
        let region = incident.region.as_deref();
        // The failing container's definition when the finding names one, else all of them.
        let container = report.primary().evidence.container.as_deref();
        let containers: Vec<_> = current
            .map(|d| {
                let named: Vec<_> = d
                    .containers
                    .iter()
                    .filter(|c| Some(c.name.as_str()) == container)
                    .collect();
                if named.is_empty() {
                    d.containers.iter().collect()
                } else {
                    named
                }
            })
            .unwrap_or_default();
        let push = |list: &mut Vec<String>, v: String| {
            if !list.contains(&v) {
                list.push(v);
            }
        };
        if wants_secrets {
            for s in containers.iter().flat_map(|c| c.secrets.iter()) {
                match ArnParts::parse(&s.value_from) {
                    Some(arn) if arn.service == "secretsmanager" => {
                        let id: String = s.value_from.splitn(8, ':').take(7).collect::<Vec<_>>().join(":");
                        push(&mut t.trail, id.clone());
                        push(&mut t.secrets, id);
                    }
                    Some(arn) if arn.service == "ssm" => {
                        let name = arn.resource.strip_prefix("parameter").unwrap_or(arn.resource);
                        // `parameter/prod/db` names `/prod/db`; `parameter/db` names `db`.
                        let name = if name.matches('/').count() > 1 {
                            name
                        } else {
                            name.trim_start_matches('/')
                        };
                        push(&mut t.trail, s.value_from.clone());
                        push(&mut t.parameters, name.to_string());
                    }
                    Some(_) => {}
                    None => push(&mut t.parameters, s.value_from.clone()),
                }
            }
        }
        if wants_image {
            for image in containers.iter().filter_map(|c| c.image.as_deref()) {
                if let Some((account, image_region, repository, reference)) = ecr_image(image) {
                    if region.is_none_or(|r| r == image_region)
                        && !t.images.iter().any(|(_, r, x)| *r == repository && *x == reference)
                    {
                        let arn = format!("arn:aws:ecr:{image_region}:{account}:repository/{repository}");
                        push(&mut t.trail, arn);
                        t.images.push((account, repository, reference));
                    }
                }
            }
        }
        if wants_roles {
            if let Some(d) = current {
                for role in [&d.execution_role_arn, &d.task_role_arn].into_iter().flatten() {
                    push(&mut t.trail, arn_name(role).to_string());
                }
            }
        }
        if wants(&[C::LoggingSetup]) {
            for group in containers.iter().filter_map(|c| c.log_option("awslogs-group")) {
                push(&mut t.trail, group.to_string());
            }
        }
        // What the checks saw: security groups, route tables, target groups, file systems.
        for f in &report.findings {
            for (_, value) in f.checks.iter().flat_map(|c| c.facts.iter()) {
                for word in value.split([',', ' ', ';']) {
                    let word = word.trim_matches(|c: char| c == '`' || c == '(' || c == ')');
                    let id = ["sg-", "rtb-", "fs-", "vpce-", "nat-"]
                        .iter()
                        .any(|p| word.starts_with(p))
                        || word.contains(":targetgroup/");
                    if id && word.len() > 4 {
                        push(&mut t.trail, word.to_string());
                    }
                }
            }
        }
        t.images.truncate(MAX_IMAGES);
        t.secrets.truncate(MAX_SECRETS);
        t.parameters.truncate(MAX_SECRETS);
        t
    }
}

/// `account.dkr.ecr.region.amazonaws.com/repo:tag` (or `@sha256:…`) → (account, region,
/// repository, tag or digest). `None` for other registries.
pub fn ecr_image(image: &str) -> Option<(String, String, String, String)> {
    let (host, rest) = image.split_once('/')?;
    let mut parts = host.split('.');
    let account = parts.next()?;
    if parts.next()? != "dkr" || parts.next()? != "ecr" {
        return None;
    }
    let region = parts.next()?;
    let (repository, reference) = match rest.split_once('@') {
        Some((repo, digest)) => (repo, digest),
        None => match rest.rsplit_once(':') {
            Some((repo, tag)) if !tag.contains('/') => (repo, tag),
            _ => (rest, "latest"),
        },
    };
    Some((account.into(), region.into(), repository.into(), reference.into()))
}

async fn resource_timestamps(aws: &AccountClients, targets: &Targets, lang: Lang) -> (Vec<Change>, Vec<String>) {
    let (images, secrets, parameters) = tokio::join!(
        image_pushes(aws, &targets.images, lang),
        secret_dates(aws, &targets.secrets, lang),
        parameter_dates(aws, &targets.parameters, lang),
    );
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for (c, n) in [images, secrets, parameters] {
        changes.extend(c);
        notes.extend(n);
    }
    (changes, notes)
}

fn iso(t: &DateTime) -> String {
    crate::util::time::iso8601_from_epoch(t.secs() as f64)
}

fn resource_change(resource: String, field: &str, at: Option<String>, by: Option<String>) -> Change {
    Change {
        kind: ChangeKind::Resource,
        resource,
        field: field.to_string(),
        before: None,
        after: None,
        at,
        by,
    }
}

async fn image_pushes(
    aws: &AccountClients,
    images: &[(String, String, String)],
    lang: Lang,
) -> (Vec<Change>, Vec<String>) {
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for (account, repository, reference) in images {
        let id = if reference.starts_with("sha256:") {
            aws_sdk_ecr::types::ImageIdentifier::builder()
                .image_digest(reference)
                .build()
        } else {
            aws_sdk_ecr::types::ImageIdentifier::builder()
                .image_tag(reference)
                .build()
        };
        let shown = if reference.starts_with("sha256:") {
            format!("{repository}@{reference}")
        } else {
            format!("{repository}:{reference}")
        };
        match aws
            .ecr()
            .describe_images()
            .registry_id(account)
            .repository_name(repository)
            .image_ids(id)
            .send()
            .await
        {
            Ok(out) => {
                if let Some(at) = out.image_details().first().and_then(|d| d.image_pushed_at()) {
                    changes.push(resource_change(shown, "imagePushedAt", Some(iso(at)), None));
                }
            }
            // A missing image or repository is the verify checks' finding, not a change.
            Err(err)
                if matches!(
                    err.code(),
                    Some("ImageNotFoundException" | "RepositoryNotFoundException")
                ) => {}
            Err(err) => notes.push(note(&format!("`{shown}`"), err, "ecr:DescribeImages", lang)),
        }
    }
    (changes, notes)
}

async fn secret_dates(aws: &AccountClients, secrets: &[String], lang: Lang) -> (Vec<Change>, Vec<String>) {
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for id in secrets {
        match aws.secretsmanager().describe_secret().secret_id(id).send().await {
            Ok(out) => {
                let name = out.name().map_or_else(|| arn_name(id).to_string(), str::to_string);
                if let Some(at) = out.deleted_date() {
                    changes.push(resource_change(name, "deletedDate", Some(iso(at)), None));
                } else if let Some(at) = out.last_changed_date() {
                    changes.push(resource_change(name, "lastChangedDate", Some(iso(at)), None));
                }
            }
            Err(err) if err.code() == Some("ResourceNotFoundException") => {}
            Err(err) => notes.push(note(
                &format!("`{}`", secret_name(id)),
                err,
                "secretsmanager:DescribeSecret",
                lang,
            )),
        }
    }
    (changes, notes)
}

/// The name part of a secret ARN (`…:secret:prod/db-AbCdEf` → `prod/db-AbCdEf`).
fn secret_name(id: &str) -> &str {
    id.rsplit(":secret:").next().unwrap_or(id)
}

async fn parameter_dates(aws: &AccountClients, names: &[String], lang: Lang) -> (Vec<Change>, Vec<String>) {
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    for name in names {
        let Ok(filter) = aws_sdk_ssm::types::ParameterStringFilter::builder()
            .key("Name")
            .option("Equals")
            .values(name)
            .build()
        else {
            continue;
        };
        match aws.ssm().describe_parameters().parameter_filters(filter).send().await {
            Ok(out) => {
                if let Some(p) = out.parameters().first() {
                    if let Some(at) = p.last_modified_date() {
                        changes.push(resource_change(
                            name.clone(),
                            "lastModifiedDate",
                            Some(iso(at)),
                            p.last_modified_user().filter(|u| *u != "N/A").map(str::to_string),
                        ));
                    }
                }
            }
            Err(err) => notes.push(note(&format!("`{name}`"), err, "ssm:DescribeParameters", lang)),
        }
    }
    (changes, notes)
}

// ---------------------------------------------------------------------------------------------
// CloudTrail

type Cached = (Instant, Vec<Change>);

fn cache() -> &'static Mutex<HashMap<(String, String), Cached>> {
    static CACHE: OnceLock<Mutex<HashMap<(String, String), Cached>>> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// Write events of the last 24 h for each of `resources` (at most [`MAX_LOOKUPS`] calls; a
/// resource looked up less than [`LOOKUP_TTL`] ago in the same `scope` is answered from the
/// cache). Throttling and missing permissions become notes. `now` is epoch seconds.
pub async fn recent_events(
    client: &aws_sdk_cloudtrail::Client,
    scope: &str,
    resources: &[String],
    now: i64,
    lang: Lang,
) -> (Vec<Change>, Vec<String>) {
    let mut changes = Vec::new();
    let mut notes = Vec::new();
    let mut to_ask = Vec::new();
    for resource in resources {
        let key = (scope.to_string(), resource.clone());
        let hit = cache().lock().ok().and_then(|c| {
            c.get(&key)
                .filter(|(at, _)| at.elapsed() < LOOKUP_TTL)
                .map(|(_, v)| v.clone())
        });
        match hit {
            Some(found) => changes.extend(found),
            None => to_ask.push(resource.as_str()),
        }
    }
    let ask = |n: usize| {
        let resource = to_ask.get(n).copied();
        async move {
            match resource {
                Some(r) => Some((r, lookup(client, r, now).await)),
                None => None,
            }
        }
    };
    let (a, b) = tokio::join!(ask(0), ask(1));
    for (resource, result) in [a, b].into_iter().flatten() {
        match result {
            Ok(found) => {
                if let Ok(mut c) = cache().lock() {
                    if c.len() >= CACHE_ENTRIES {
                        c.clear();
                    }
                    c.insert(
                        (scope.to_string(), resource.to_string()),
                        (Instant::now(), found.clone()),
                    );
                }
                changes.extend(found);
            }
            Err(why) => {
                let what = Tr {
                    en: "recent changes of `{resource}` in CloudTrail",
                    ja: "CloudTrail の `{resource}` の最近の変更",
                }
                .fill(lang, &[("resource", resource)]);
                let text = texts::not_checked(&what, &why, lang);
                if !notes.contains(&text) {
                    notes.push(text);
                }
            }
        }
    }
    (changes, notes)
}

async fn lookup(client: &aws_sdk_cloudtrail::Client, resource: &str, now: i64) -> Result<Vec<Change>, Unavailable> {
    let attribute = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::ResourceName)
        .attribute_value(resource)
        .build()
        .map_err(|e| Unavailable::Failed(e.to_string()))?;
    let out = client
        .lookup_events()
        .lookup_attributes(attribute)
        .start_time(DateTime::from_secs(now - LOOKBACK_SECONDS))
        .end_time(DateTime::from_secs(now))
        .max_results(50)
        // A throttled LookupEvents is not retried: a note is worth more than a late alert.
        .customize()
        .config_override(aws_sdk_cloudtrail::config::Builder::default().retry_config(RetryConfig::disabled()))
        .send()
        .await
        .map_err(|e| unavailable(e, "cloudtrail:LookupEvents"))?;
    Ok(out
        .events()
        .iter()
        .filter_map(|e| match e.cloud_trail_event() {
            Some(json) => changes::parse_cloudtrail_event(json, resource),
            // Without the full record only the name, time and user are known.
            None => {
                let name = e.event_name()?;
                changes::is_write_event(name).then(|| Change {
                    kind: ChangeKind::Resource,
                    resource: resource.to_string(),
                    field: name.to_string(),
                    before: None,
                    after: None,
                    at: e.event_time().map(iso),
                    by: e.username().map(str::to_string),
                })
            }
        })
        .collect())
}

fn note<E>(what: &str, err: SdkError<E, HttpResponse>, action: &str, lang: Lang) -> String
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    texts::not_checked(what, &unavailable(err, action), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_images_are_split_into_their_parts() {
        assert_eq!(
            ecr_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1"),
            Some((
                "123456789012".into(),
                "us-east-1".into(),
                "platform/base-api".into(),
                "3.2.1".into()
            ))
        );
        assert_eq!(
            ecr_image("1.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:abc").map(|i| i.3),
            Some("sha256:abc".into())
        );
        assert_eq!(
            ecr_image("1.dkr.ecr.eu-west-1.amazonaws.com/app").map(|i| i.3),
            Some("latest".into())
        );
        assert_eq!(ecr_image("docker.io/library/nginx:1"), None);
        assert_eq!(ecr_image("nginx"), None);
    }

    #[test]
    fn the_previous_revision_is_the_newest_older_one() {
        let arns: Vec<String> = [40, 42, 38, 41]
            .iter()
            .map(|r| format!("arn:aws:ecs:us-east-1:1:task-definition/api:{r}"))
            .collect();
        assert_eq!(previous_of(&arns, Some(42)).as_deref(), Some(arns[3].as_str()));
        assert_eq!(previous_of(&arns, Some(38)), None);
        assert_eq!(previous_of(&arns, None), None);
    }
}
