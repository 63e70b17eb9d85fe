//! What changed: ties a failure to the change that most likely caused it.
//!
//! Pure code, like the diagnosis engine: the revision diff (which fields of the task
//! definition changed, the ones that bear on the finding's category first), the filter and
//! parser of CloudTrail events, and the one-line summaries in both languages. The reads live
//! in `aws::changes`; the clock is a parameter (`now`, epoch seconds).
//!
//! Secrets never travel: a task definition only holds secret *references* (`valueFrom`), and
//! that is all that is compared; environment values are not in [`TaskDefinition`] at all;
//! commands and entry points are compared by hash only; a CloudTrail event's request
//! parameters are summarised from an allowlist of identifier keys, so a `PutParameter` value
//! or a `PutSecretValue` string is never copied.

use serde::Serialize;
use serde_json::Value;

use crate::diagnose::{Category, Lang};
use crate::incident::{ContainerDefinition, TaskDefinition};
use crate::util::time::epoch_seconds_from_iso8601;

/// A change older than this is not "what changed" for a failure now.
pub const RECENT_SECONDS: i64 = 7 * 24 * 3600;

/// CloudTrail events that change something a task depends on. Anything else (every
/// `Describe*`, `Get*`, `List*`, and writes that cannot break a task) is dropped.
pub const WRITE_EVENTS: &[&str] = &[
    // ECR
    "BatchDeleteImage",
    "PutImage",
    "DeleteRepository",
    "SetRepositoryPolicy",
    "DeleteRepositoryPolicy",
    "PutImageTagMutability",
    // Secrets Manager
    "DeleteSecret",
    "PutSecretValue",
    "UpdateSecret",
    "UpdateSecretVersionStage",
    "RotateSecret",
    "RestoreSecret",
    "PutResourcePolicy",
    "DeleteResourcePolicy",
    // Systems Manager Parameter Store
    "DeleteParameter",
    "DeleteParameters",
    "PutParameter",
    "LabelParameterVersion",
    // KMS
    "DisableKey",
    "ScheduleKeyDeletion",
    "PutKeyPolicy",
    "RevokeGrant",
    // IAM
    "DetachRolePolicy",
    "DeleteRolePolicy",
    "PutRolePolicy",
    "AttachRolePolicy",
    "UpdateAssumeRolePolicy",
    "DeleteRole",
    "CreatePolicyVersion",
    "SetDefaultPolicyVersion",
    "PutRolePermissionsBoundary",
    // EC2 networking
    "RevokeSecurityGroupEgress",
    "RevokeSecurityGroupIngress",
    "DeleteRoute",
    "ReplaceRoute",
    "CreateRoute",
    "ReplaceRouteTableAssociation",
    "DisassociateRouteTable",
    "DeleteNatGateway",
    "DeleteVpcEndpoints",
    "ModifyVpcEndpoint",
    "ReplaceNetworkAclEntry",
    "CreateNetworkAclEntry",
    "DeleteNetworkAclEntry",
    // Elastic Load Balancing
    "ModifyTargetGroup",
    "ModifyTargetGroupAttributes",
    "DeregisterTargets",
    "ModifyListener",
    "DeleteListener",
    "ModifyRule",
    // ECS
    "UpdateService",
    "RegisterTaskDefinition",
    "DeregisterTaskDefinition",
    "DeleteTaskDefinitions",
    // CloudWatch Logs
    "DeleteLogGroup",
    // EFS
    "DeleteMountTarget",
    "ModifyMountTargetSecurityGroups",
    "PutFileSystemPolicy",
    "DeleteAccessPoint",
];

/// True for an event in [`WRITE_EVENTS`].
pub fn is_write_event(name: &str) -> bool {
    WRITE_EVENTS.contains(&name)
}

/// Where a change was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A field of the task definition differs from the revision it replaced.
    Revision,
    /// A resource the task depends on changed (its own timestamps, or a CloudTrail event).
    Resource,
}

/// One change, as the JSON format's `changes[]` carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub kind: ChangeKind,
    /// `api:42` for a revision; an image, secret, parameter, role, … name or ARN otherwise.
    pub resource: String,
    /// `containers[app].memory`, `imagePushedAt`, `DetachRolePolicy`, …
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// When (ISO-8601, UTC).
    pub at: Option<String>,
    /// Who (an IAM ARN or principal), when known.
    pub by: Option<String>,
}

/// The "What changed" section of one diagnosis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatChanged {
    /// One line each in the diagnosis language, the most relevant first.
    pub lines: Vec<String>,
    /// The most relevant change as one line (for SMS), when anything relevant changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// The relevant changes, the revision's first.
    pub changes: Vec<Change>,
    /// Why something could not be looked at (throttling, a missing permission).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl WhatChanged {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.changes.is_empty() && self.notes.is_empty()
    }
}

/// A field of a task definition that the diff compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Image,
    TaskMemory,
    TaskCpu,
    Memory,
    MemoryReservation,
    Cpu,
    Secret,
    EnvironmentFiles,
    HealthCheck,
    PortMappings,
    ExecutionRole,
    TaskRole,
    LogConfiguration,
    RuntimePlatform,
    Volumes,
    MountPoints,
    Command,
    EntryPoint,
    NetworkMode,
    Essential,
    StopTimeout,
    Compatibilities,
    Container,
}

impl Field {
    pub const ALL: &'static [Field] = &[
        Field::Image,
        Field::TaskMemory,
        Field::TaskCpu,
        Field::Memory,
        Field::MemoryReservation,
        Field::Cpu,
        Field::Secret,
        Field::EnvironmentFiles,
        Field::HealthCheck,
        Field::PortMappings,
        Field::ExecutionRole,
        Field::TaskRole,
        Field::LogConfiguration,
        Field::RuntimePlatform,
        Field::Volumes,
        Field::MountPoints,
        Field::Command,
        Field::EntryPoint,
        Field::NetworkMode,
        Field::Essential,
        Field::StopTimeout,
        Field::Compatibilities,
        Field::Container,
    ];

    /// The field's name in the task definition's JSON.
    pub fn name(self) -> &'static str {
        match self {
            Field::Image => "image",
            Field::TaskMemory | Field::Memory => "memory",
            Field::TaskCpu | Field::Cpu => "cpu",
            Field::MemoryReservation => "memoryReservation",
            Field::Secret => "secrets",
            Field::EnvironmentFiles => "environmentFiles",
            Field::HealthCheck => "healthCheck",
            Field::PortMappings => "portMappings",
            Field::ExecutionRole => "executionRoleArn",
            Field::TaskRole => "taskRoleArn",
            Field::LogConfiguration => "logConfiguration",
            Field::RuntimePlatform => "runtimePlatform",
            Field::Volumes => "volumes",
            Field::MountPoints => "mountPoints",
            Field::Command => "command",
            Field::EntryPoint => "entryPoint",
            Field::NetworkMode => "networkMode",
            Field::Essential => "essential",
            Field::StopTimeout => "stopTimeout",
            Field::Compatibilities => "requiresCompatibilities",
            Field::Container => "containerDefinitions",
        }
    }

    /// Does a change of this field bear on a failure of `category`?
    pub fn bears_on(self, category: Category) -> bool {
        use Category as C;
        use Field as F;
        match category {
            C::ImageNotFound | C::ImagePullNetwork | C::ImagePullRateLimit => matches!(self, F::Image),
            C::ImagePullAuth => matches!(self, F::Image | F::ExecutionRole),
            C::ImagePlatformMismatch => matches!(self, F::RuntimePlatform | F::Image),
            C::SecretsNotFound | C::SecretsNetwork => matches!(self, F::Secret),
            C::SecretsPermission => matches!(self, F::Secret | F::ExecutionRole),
            C::EnvFile => matches!(self, F::EnvironmentFiles),
            C::OutOfMemory | C::PlacementCapacity => matches!(
                self,
                F::TaskMemory | F::TaskCpu | F::Memory | F::MemoryReservation | F::Cpu
            ),
            C::HealthCheckElb | C::HealthCheckContainer => matches!(self, F::HealthCheck | F::PortMappings),
            C::IamRole => matches!(self, F::ExecutionRole | F::TaskRole),
            C::LoggingSetup => matches!(self, F::LogConfiguration),
            C::EfsMount | C::Volume => matches!(self, F::Volumes | F::MountPoints),
            C::ContainerCommand => matches!(self, F::Command | F::EntryPoint),
            C::AppExit | C::ContainerRuntime => matches!(self, F::Image | F::Command | F::EntryPoint),
            C::EniProvisioning => matches!(self, F::NetworkMode),
            _ => false,
        }
    }
}

/// One field that differs between two revisions. For commands and entry points `before` and
/// `after` stay empty: only the fact that they changed is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    pub field: Field,
    /// The container, for container-level fields.
    pub container: Option<String>,
    /// The secret's environment variable name, for `secrets`.
    pub key: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl FieldDiff {
    /// `memory`, `containers[app].image`, `containers[app].secrets[DB_PASSWORD]`.
    pub fn path(&self) -> String {
        let mut path = match &self.container {
            Some(c) if self.field != Field::Container => format!("containers[{c}].{}", self.field.name()),
            _ => self.field.name().to_string(),
        };
        if let Some(key) = &self.key {
            path.push_str(&format!("[{key}]"));
        }
        path
    }
}

/// Two revisions compared for one failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionDiff {
    /// `api:41`.
    pub previous: String,
    /// `api:42`.
    pub current: String,
    /// The differences that bear on the failure, most relevant category first.
    pub relevant: Vec<FieldDiff>,
    /// Every other difference.
    pub other: Vec<FieldDiff>,
}

/// `family:revision` of a task definition, else the last part of its ARN.
pub fn label(definition: &TaskDefinition) -> String {
    match (&definition.family, definition.revision) {
        (Some(family), Some(revision)) => format!("{family}:{revision}"),
        _ => crate::incident::arn_name(&definition.arn).to_string(),
    }
}

/// Compares the revision that failed with the one it replaced, for a failure of `category`.
pub fn diff(previous: &TaskDefinition, current: &TaskDefinition, category: Category) -> RevisionDiff {
    diff_for(previous, current, &[category])
}

/// Like [`diff`], for several findings' categories: the first category's fields lead.
pub fn diff_for(previous: &TaskDefinition, current: &TaskDefinition, categories: &[Category]) -> RevisionDiff {
    let all = field_diffs(previous, current);
    // A cause no field speaks to (unknown, a failed deployment): every difference may matter.
    let open = categories.iter().all(|c| !Field::ALL.iter().any(|f| f.bears_on(*c)));
    let mut relevant = Vec::new();
    for category in categories {
        for d in &all {
            if (open || d.field.bears_on(*category)) && !relevant.contains(d) {
                relevant.push(d.clone());
            }
        }
    }
    let other = all.into_iter().filter(|d| !relevant.contains(d)).collect();
    RevisionDiff {
        previous: label(previous),
        current: label(current),
        relevant,
        other,
    }
}

fn field_diffs(previous: &TaskDefinition, current: &TaskDefinition) -> Vec<FieldDiff> {
    let mut out = Vec::new();
    let mut push =
        |field: Field, container: Option<&str>, key: Option<&str>, before: Option<String>, after: Option<String>| {
            if before != after {
                let hidden = matches!(field, Field::Command | Field::EntryPoint);
                out.push(FieldDiff {
                    field,
                    container: container.map(str::to_string),
                    key: key.map(str::to_string),
                    before: if hidden { None } else { before },
                    after: if hidden { None } else { after },
                });
            }
        };
    push(
        Field::TaskMemory,
        None,
        None,
        previous.memory.clone(),
        current.memory.clone(),
    );
    push(Field::TaskCpu, None, None, previous.cpu.clone(), current.cpu.clone());
    push(
        Field::ExecutionRole,
        None,
        None,
        previous.execution_role_arn.clone(),
        current.execution_role_arn.clone(),
    );
    push(
        Field::TaskRole,
        None,
        None,
        previous.task_role_arn.clone(),
        current.task_role_arn.clone(),
    );
    push(
        Field::RuntimePlatform,
        None,
        None,
        platform(previous),
        platform(current),
    );
    push(
        Field::NetworkMode,
        None,
        None,
        previous.network_mode.clone(),
        current.network_mode.clone(),
    );
    push(
        Field::Compatibilities,
        None,
        None,
        joined(&previous.requires_compatibilities),
        joined(&current.requires_compatibilities),
    );
    push(Field::Volumes, None, None, volumes(previous), volumes(current));

    for c in &current.containers {
        let name = Some(c.name.as_str());
        let Some(p) = previous.container(&c.name) else {
            push(Field::Container, name, None, None, Some(c.name.clone()));
            continue;
        };
        push(Field::Image, name, None, p.image.clone(), c.image.clone());
        push(Field::Memory, name, None, num(p.memory), num(c.memory));
        push(
            Field::MemoryReservation,
            name,
            None,
            num(p.memory_reservation),
            num(c.memory_reservation),
        );
        push(Field::Cpu, name, None, num(p.cpu), num(c.cpu));
        for s in &c.secrets {
            let before = p
                .secrets
                .iter()
                .find(|o| o.name == s.name)
                .map(|o| o.value_from.clone());
            push(Field::Secret, name, Some(&s.name), before, Some(s.value_from.clone()));
        }
        for s in p.secrets.iter().filter(|o| !c.secrets.iter().any(|s| s.name == o.name)) {
            push(Field::Secret, name, Some(&s.name), Some(s.value_from.clone()), None);
        }
        push(
            Field::EnvironmentFiles,
            name,
            None,
            joined(&p.environment_files),
            joined(&c.environment_files),
        );
        push(Field::HealthCheck, name, None, health_check(p), health_check(c));
        push(Field::PortMappings, name, None, ports(p), ports(c));
        push(
            Field::LogConfiguration,
            name,
            None,
            log_configuration(p),
            log_configuration(c),
        );
        push(Field::MountPoints, name, None, mount_points(p), mount_points(c));
        push(Field::Command, name, None, hash(p.command_hash), hash(c.command_hash));
        push(
            Field::EntryPoint,
            name,
            None,
            hash(p.entry_point_hash),
            hash(c.entry_point_hash),
        );
        push(
            Field::Essential,
            name,
            None,
            p.essential.map(|e| e.to_string()),
            c.essential.map(|e| e.to_string()),
        );
        push(Field::StopTimeout, name, None, num(p.stop_timeout), num(c.stop_timeout));
    }
    for p in previous
        .containers
        .iter()
        .filter(|p| current.container(&p.name).is_none())
    {
        push(Field::Container, Some(&p.name), None, Some(p.name.clone()), None);
    }
    out
}

fn num(v: Option<i64>) -> Option<String> {
    v.map(|v| v.to_string())
}

fn hash(v: Option<u64>) -> Option<String> {
    v.map(|v| format!("{v:016x}"))
}

fn joined(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join(", "))
}

fn platform(d: &TaskDefinition) -> Option<String> {
    match (&d.operating_system, &d.cpu_architecture) {
        (None, None) => None,
        (os, arch) => Some(format!(
            "{}/{}",
            os.as_deref().unwrap_or("LINUX"),
            arch.as_deref().unwrap_or("X86_64")
        )),
    }
}

fn volumes(d: &TaskDefinition) -> Option<String> {
    let mut parts: Vec<String> = d
        .volumes
        .iter()
        .map(|v| {
            let backing = match (&v.efs, &v.host_path, &v.docker_driver) {
                (Some(efs), _, _) => {
                    let mut s = format!("efs {}", efs.file_system_id);
                    if let Some(ap) = &efs.access_point_id {
                        s.push_str(&format!(" {ap}"));
                    }
                    if let Some(root) = &efs.root_directory {
                        s.push_str(&format!(" {root}"));
                    }
                    s
                }
                (None, Some(path), _) => format!("host {path}"),
                (None, None, Some(driver)) => format!("docker {driver}"),
                (None, None, None) => "task storage".to_string(),
            };
            format!("{} ({backing})", v.name)
        })
        .collect();
    parts.sort();
    joined(&parts)
}

fn health_check(c: &ContainerDefinition) -> Option<String> {
    let h = c.health_check.as_ref()?;
    let secs = |v: Option<i64>| v.map_or_else(|| "-".to_string(), |v| format!("{v}s"));
    Some(format!(
        "{} (interval {}, timeout {}, retries {}, start period {})",
        h.command.join(" "),
        secs(h.interval),
        secs(h.timeout),
        h.retries.map_or_else(|| "-".to_string(), |r| r.to_string()),
        secs(h.start_period)
    ))
}

fn ports(c: &ContainerDefinition) -> Option<String> {
    let parts: Vec<String> = c
        .port_mappings
        .iter()
        .map(|p| {
            let port = p.container_port.map_or_else(|| "?".to_string(), |p| p.to_string());
            let host = match p.host_port {
                Some(h) if Some(h) != p.container_port && h != 0 => format!("{h}:"),
                _ => String::new(),
            };
            format!("{host}{port}/{}", p.protocol.as_deref().unwrap_or("tcp"))
        })
        .collect();
    joined(&parts)
}

fn log_configuration(c: &ContainerDefinition) -> Option<String> {
    let driver = c.log_driver.as_deref()?;
    let mut s = driver.to_string();
    for (k, v) in &c.log_options {
        s.push_str(&format!(" {k}={v}"));
    }
    Some(s)
}

fn mount_points(c: &ContainerDefinition) -> Option<String> {
    let parts: Vec<String> = c
        .mount_points
        .iter()
        .map(|m| format!("{}:{}", m.source_volume, m.container_path))
        .collect();
    joined(&parts)
}

/// A stable hash of a command or entry point (FNV-1a), so a change can be told without
/// keeping the words. `None` when there are none.
pub fn hash_words(words: &[String]) -> Option<u64> {
    if words.is_empty() {
        return None;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for b in word.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    Some(h)
}

// ---------------------------------------------------------------------------------------------
// Summaries

/// What the reads found, ready to summarise.
#[derive(Debug, Clone, Default)]
pub struct Observed<'a> {
    /// The revision the task ran.
    pub current: Option<&'a TaskDefinition>,
    /// The revision it replaced (the service's previous deployment, else the previous ACTIVE
    /// revision of the family).
    pub previous: Option<&'a TaskDefinition>,
    /// When the current revision was deployed (epoch seconds): the service deployment's
    /// `createdAt`, else the revision's `registeredAt`.
    pub deployed_at: Option<i64>,
    /// Recent changes to the resources the finding names.
    pub resources: Vec<Change>,
    /// Why something could not be looked at.
    pub notes: Vec<String>,
}

/// Builds the "What changed" section: relevant revision changes first, then the resources'
/// own changes (newest first); when nothing relevant changed, one line says so.
pub fn summarise(observed: Observed<'_>, categories: &[Category], now: i64, lang: Lang) -> WhatChanged {
    let mut out = WhatChanged {
        notes: observed.notes,
        ..WhatChanged::default()
    };
    let mut resources: Vec<Change> = observed.resources.into_iter().filter(|c| is_recent(c, now)).collect();
    resources.sort_by_key(|c| std::cmp::Reverse(c.at.as_deref().and_then(epoch_seconds_from_iso8601)));
    let resource_lines: Vec<String> = resources.iter().map(|c| resource_line(c, now, lang)).collect();
    let deployed = observed.deployed_at.map(|t| ago(now.saturating_sub(t), lang));

    let revision_line = observed.current.map(|current| match observed.previous {
        Some(previous) => {
            let d = diff_for(previous, current, categories);
            let at = observed
                .deployed_at
                .map(|t| crate::util::time::iso8601_from_epoch(t as f64));
            for f in &d.relevant {
                out.changes.push(Change {
                    kind: ChangeKind::Revision,
                    resource: d.current.clone(),
                    field: f.path(),
                    before: f.before.clone(),
                    after: f.after.clone(),
                    at: at.clone(),
                    by: None,
                });
            }
            let relevant = !d.relevant.is_empty();
            (
                revision_text(&d, current.containers.len() > 1, deployed.as_deref(), lang),
                relevant,
            )
        }
        None => (no_previous_text(current, deployed.as_deref(), lang), false),
    });

    let revision_relevant = revision_line.as_ref().is_some_and(|(_, r)| *r);
    if let Some((line, true)) = &revision_line {
        out.lines.push(line.clone());
    }
    out.lines.extend(resource_lines.iter().cloned());
    if let Some((line, false)) = &revision_line {
        out.lines.push(line.clone());
    }
    out.headline = if revision_relevant {
        revision_line.map(|(l, _)| l)
    } else {
        resource_lines.first().cloned()
    };
    out.changes.extend(resources);
    out
}

fn is_recent(change: &Change, now: i64) -> bool {
    // A scheduled deletion is news however old the request is.
    if change.field == "deletedDate" {
        return true;
    }
    match change.at.as_deref().and_then(epoch_seconds_from_iso8601) {
        Some(at) => now.saturating_sub(at) <= RECENT_SECONDS,
        None => true,
    }
}

fn revision_text(d: &RevisionDiff, named: bool, deployed: Option<&str>, lang: Lang) -> String {
    let head = format!("`{}` → `{}`", d.previous, d.current);
    let others = d.other.len();
    let deployed_en = deployed.map(|a| format!("deployed {a}")).unwrap_or_default();
    let deployed_ja = deployed.map(|a| format!("{a}にデプロイ")).unwrap_or_default();
    match (d.relevant.is_empty(), others, lang) {
        (true, 0, Lang::En) => {
            let at = deployed.map(|a| format!(" (deployed {a})")).unwrap_or_default();
            format!(
                "no change to the task definition since revision {}{at}",
                revision_of(&d.previous)
            )
        }
        (true, 0, Lang::Ja) => {
            let at = deployed.map(|a| format!(" ({a}にデプロイ)")).unwrap_or_default();
            format!(
                "リビジョン {} 以降、タスク定義に変更はありません{at}",
                revision_of(&d.previous)
            )
        }
        (true, n, Lang::En) => {
            let mut extra = vec![format!("{n} other {} changed", if n == 1 { "field" } else { "fields" })];
            extra.extend((!deployed_en.is_empty()).then_some(deployed_en));
            format!("{head}: no relevant change ({})", extra.join("; "))
        }
        (true, n, Lang::Ja) => {
            let mut extra = vec![format!("その他 {n} 項目が変更")];
            extra.extend((!deployed_ja.is_empty()).then_some(deployed_ja));
            format!("{head}: 関連する変更なし ({})", extra.join("、"))
        }
        (false, n, _) => {
            let mut parts: Vec<String> = d.relevant.iter().map(|f| field_text(f, named, lang)).collect();
            if n > 0 {
                parts.push(match lang {
                    Lang::En => format!("{n} other {} changed", if n == 1 { "field" } else { "fields" }),
                    Lang::Ja => format!("その他 {n} 項目が変更"),
                });
            }
            let (sep, tail) = match lang {
                Lang::En => ("; ", deployed.map(|a| format!(" (deployed {a})"))),
                Lang::Ja => ("、", deployed.map(|a| format!(" ({a}にデプロイ)"))),
            };
            format!("{head}: {}{}", parts.join(sep), tail.unwrap_or_default())
        }
    }
}

fn no_previous_text(current: &TaskDefinition, deployed: Option<&str>, lang: Lang) -> String {
    let name = label(current);
    match lang {
        Lang::En => {
            let at = deployed.map(|a| format!(", deployed {a}")).unwrap_or_default();
            format!("no earlier revision to compare `{name}` with{at}: no change to the task definition to point at")
        }
        Lang::Ja => {
            let at = deployed.map(|a| format!("、{a}にデプロイ")).unwrap_or_default();
            format!("`{name}` と比べる以前のリビジョンがありません{at}。指摘できるタスク定義の変更はありません")
        }
    }
}

fn revision_of(label: &str) -> &str {
    label.rsplit_once(':').map_or(label, |(_, r)| r)
}

/// The part after the last `/`, or the whole value: a role's name from its ARN.
fn short(value: &str) -> &str {
    value.rsplit('/').next().unwrap_or(value)
}

/// `repository` and `tag` of an image reference, when it has a tag.
fn split_tag(image: &str) -> Option<(&str, &str)> {
    if image.contains('@') {
        return None;
    }
    let (repo, tag) = image.rsplit_once(':')?;
    (!tag.contains('/')).then_some((repo, tag))
}

fn field_text(f: &FieldDiff, named: bool, lang: Lang) -> String {
    let who = match (&f.container, named) {
        (Some(c), true) => format!("`{c}` "),
        _ => String::new(),
    };
    let code = |v: &Option<String>| v.as_deref().map_or_else(|| "-".to_string(), |v| format!("`{v}`"));
    let plain = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
    let arrow = |a: String, b: String| format!("{a} → {b}");
    let en = lang == Lang::En;
    match f.field {
        Field::Image => match (
            f.before.as_deref().and_then(split_tag),
            f.after.as_deref().and_then(split_tag),
        ) {
            (Some((r1, t1)), Some((r2, t2))) if r1 == r2 => {
                let what = if en { "image tag" } else { "イメージタグ" };
                format!("{who}{what} `{t1}` → `{t2}`")
            }
            _ => format!(
                "{who}{} {}",
                if en { "image" } else { "イメージ" },
                arrow(code(&f.before), code(&f.after))
            ),
        },
        Field::TaskMemory | Field::Memory | Field::MemoryReservation => {
            let what = match (f.field, en) {
                (Field::MemoryReservation, true) => "memory reservation",
                (Field::MemoryReservation, false) => "メモリ予約",
                (Field::TaskMemory, true) => "task memory",
                (Field::TaskMemory, false) => "タスクのメモリ",
                (_, true) => "memory",
                (_, false) => "メモリ",
            };
            format!("{who}{what} {} MiB", arrow(plain(&f.before), plain(&f.after)))
        }
        Field::TaskCpu | Field::Cpu => {
            let what = match (f.field, en) {
                (Field::TaskCpu, true) => "task CPU",
                (Field::TaskCpu, false) => "タスクの CPU",
                _ => "CPU",
            };
            let unit = if en { "units" } else { "ユニット" };
            format!("{who}{what} {} {unit}", arrow(plain(&f.before), plain(&f.after)))
        }
        Field::Secret => {
            let key = f.key.as_deref().unwrap_or_default();
            match (&f.before, &f.after, en) {
                (None, Some(to), true) => format!("{who}new secret `{key}` from `{to}`"),
                (None, Some(to), false) => format!("{who}シークレット `{key}` を追加 (`{to}`)"),
                (Some(from), None, true) => format!("{who}secret `{key}` removed (was `{from}`)"),
                (Some(from), None, false) => format!("{who}シークレット `{key}` を削除 (元は `{from}`)"),
                (_, _, true) => format!("{who}secret `{key}` {}", arrow(code(&f.before), code(&f.after))),
                (_, _, false) => format!("{who}シークレット `{key}` {}", arrow(code(&f.before), code(&f.after))),
            }
        }
        Field::Command | Field::EntryPoint => {
            let what = match (f.field, en) {
                (Field::Command, true) => "command changed",
                (Field::Command, false) => "コマンドが変更",
                (_, true) => "entry point changed",
                (_, false) => "エントリポイントが変更",
            };
            format!("{who}{what}")
        }
        Field::ExecutionRole | Field::TaskRole => {
            let what = match (f.field, en) {
                (Field::ExecutionRole, true) => "execution role",
                (Field::ExecutionRole, false) => "タスク実行ロール",
                (_, true) => "task role",
                (_, false) => "タスクロール",
            };
            let name = |v: &Option<String>| {
                v.as_deref()
                    .map_or_else(|| "-".to_string(), |v| format!("`{}`", short(v)))
            };
            format!("{what} {}", arrow(name(&f.before), name(&f.after)))
        }
        other => {
            let what = match (other, en) {
                (Field::EnvironmentFiles, true) => "env files",
                (Field::EnvironmentFiles, false) => "環境ファイル",
                (Field::HealthCheck, true) => "health check",
                (Field::HealthCheck, false) => "ヘルスチェック",
                (Field::PortMappings, true) => "ports",
                (Field::PortMappings, false) => "ポート",
                (Field::LogConfiguration, true) => "log configuration",
                (Field::LogConfiguration, false) => "ログ設定",
                (Field::RuntimePlatform, true) => "platform",
                (Field::RuntimePlatform, false) => "プラットフォーム",
                (Field::Volumes, true) => "volumes",
                (Field::Volumes, false) => "ボリューム",
                (Field::MountPoints, true) => "mount points",
                (Field::MountPoints, false) => "マウントポイント",
                (Field::NetworkMode, true) => "network mode",
                (Field::NetworkMode, false) => "ネットワークモード",
                (Field::Container, true) => "container",
                (Field::Container, false) => "コンテナ",
                (f, _) => f.name(),
            };
            format!("{who}{what} {}", arrow(code(&f.before), code(&f.after)))
        }
    }
}

/// One line for a change to a resource.
pub fn resource_line(c: &Change, now: i64, lang: Lang) -> String {
    let when =
        c.at.as_deref()
            .and_then(epoch_seconds_from_iso8601)
            .map(|t| ago(now.saturating_sub(t), lang));
    let at = c.at.as_deref().unwrap_or("?");
    let r = &c.resource;
    let by_en = c.by.as_deref().map(|b| format!(" by `{b}`")).unwrap_or_default();
    let by_ja = c.by.as_deref().map(|b| format!("`{b}` が")).unwrap_or_default();
    let when_en = when.clone().unwrap_or_default();
    let when_ja = when.unwrap_or_default();
    match (c.field.as_str(), lang) {
        ("imagePushedAt", Lang::En) => format!("image `{r}` pushed {when_en} ({at})"),
        ("imagePushedAt", Lang::Ja) => format!("イメージ `{r}` が{when_ja}にプッシュされました ({at})"),
        ("deletedDate", Lang::En) => format!("secret `{r}` is scheduled for deletion ({at}, {when_en})"),
        ("deletedDate", Lang::Ja) => format!("シークレット `{r}` は削除が予定されています ({at}、{when_ja})"),
        ("lastChangedDate", Lang::En) => format!("secret `{r}` changed {when_en} ({at})"),
        ("lastChangedDate", Lang::Ja) => format!("シークレット `{r}` が{when_ja}に変更されました ({at})"),
        ("lastModifiedDate", Lang::En) => format!("parameter `{r}` changed {when_en}{by_en} ({at})"),
        ("lastModifiedDate", Lang::Ja) => format!("パラメータ `{r}` が{when_ja}に{by_ja}変更されました ({at})"),
        (event, Lang::En) => {
            let what = c.after.as_deref().map(|a| format!(": {a}")).unwrap_or_default();
            format!("`{event}` on `{r}`{by_en} {when_en} ({at}){what}")
        }
        (event, Lang::Ja) => {
            let what = c.after.as_deref().map(|a| format!(": {a}")).unwrap_or_default();
            format!("`{r}` に対する `{event}` ({by_ja}{when_ja}、{at}){what}")
        }
    }
}

/// `5 min ago`, `3 h ago`, `3 days ago`, `in 7 days`; Japanese `5 分前`, `7 日後`.
pub fn ago(seconds: i64, lang: Lang) -> String {
    let future = seconds < 0;
    let s = seconds.unsigned_abs();
    let (n, unit_en, unit_ja) = if s < 60 {
        (s, "s", "秒")
    } else if s < 3600 {
        (s / 60, "min", "分")
    } else if s < 2 * 86_400 {
        (s / 3600, "h", "時間")
    } else {
        (s / 86_400, "days", "日")
    };
    match (lang, future) {
        (Lang::En, false) => format!("{n} {unit_en} ago"),
        (Lang::En, true) => format!("in {n} {unit_en}"),
        (Lang::Ja, false) => format!("{n} {unit_ja}前"),
        (Lang::Ja, true) => format!("{n} {unit_ja}後"),
    }
}

// ---------------------------------------------------------------------------------------------
// CloudTrail

/// Longest request summary kept from one event.
const SUMMARY_CHARS: usize = 240;

/// One CloudTrail event, as `LookupEvents` returns its `CloudTrailEvent` JSON string, turned
/// into a change of `resource`; `None` for a read-only event, an event not in
/// [`WRITE_EVENTS`], or text that is not a CloudTrail event.
pub fn parse_cloudtrail_event(json: &str, resource: &str) -> Option<Change> {
    let event: Value = serde_json::from_str(json).ok()?;
    let name = event.get("eventName")?.as_str()?;
    if event.get("readOnly").and_then(Value::as_bool) == Some(true) || !is_write_event(name) {
        return None;
    }
    // A call that failed changed nothing.
    if event.get("errorCode").and_then(Value::as_str).is_some() {
        return None;
    }
    let by = event.get("userIdentity").and_then(crate::redact::caller);
    let pairs = event
        .get("requestParameters")
        .map(crate::redact::request_identifiers)
        .unwrap_or_default();
    let summary = crate::util::text::truncate_bytes(&pairs.join(", "), SUMMARY_CHARS);
    let after = (!summary.is_empty()).then_some(summary);
    Some(Change {
        kind: ChangeKind::Resource,
        resource: resource.to_string(),
        field: name.to_string(),
        before: None,
        after,
        at: event.get("eventTime").and_then(Value::as_str).map(str::to_string),
        by,
    })
}

#[cfg(test)]
mod tests;
