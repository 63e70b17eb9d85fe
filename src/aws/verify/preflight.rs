//! `ecs-doctor check`'s account checks: the verify stage's reads and verdicts, asked of a task
//! definition before it is deployed instead of a task that failed. Each check here calls the
//! same function the failure's check calls (`image::ecr`, `secrets::check_references`,
//! `logs::group_checks`, `role::role_checks`, `network::facts` with `network::judge`), so a
//! check that passes before the deploy and the check that explains a failure after it cannot
//! disagree.
//!
//! Read-only calls only; no secret or parameter value is ever read.

use aws_sdk_ecs::error::ProvideErrorMetadata;

use super::network::TaskNetwork;
use super::secrets::Scope;
use super::{image, join_all, logs, network, role, secrets, service};
use crate::aws::clients::{AccountClients, Clients};
use crate::diagnose::{Category, Lang, Tr};
use crate::incident::ArnParts;
use crate::incident::{arn_name, ContainerDefinition, Incident, TaskDefinition};
use crate::verify::image::{Clock, ImageRef};
use crate::verify::network::{self as judge_network, PublicIp, Service};
use crate::verify::role::{RoleTarget, ECS_TASKS};
use crate::verify::secrets::SecretRef;
use crate::verify::{texts, Check, Unavailable};

/// Most subnets whose network path is checked (each costs about six `ec2:Describe*` calls).
pub const MAX_SUBNETS: usize = 6;

/// What is about to be deployed, and where.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub definition: TaskDefinition,
    /// The service's cluster (name or ARN); `default` when only the service is given.
    pub cluster: Option<String>,
    /// The service whose network configuration the tasks will get.
    pub service: Option<String>,
    /// Subnets to check instead of (or without) the service's.
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `--assign-public-ip`; without it, what the service says, else ECS's default (disabled).
    pub assign_public_ip: Option<bool>,
}

/// A task definition by family, `family:revision` or ARN (`ecs:DescribeTaskDefinition`). The
/// error is one line naming the call.
pub async fn describe_definition(clients: &Clients, name: &str) -> Result<TaskDefinition, String> {
    let aws = clients.home().await;
    let out = aws
        .ecs()
        .describe_task_definition()
        .task_definition(name)
        .send()
        .await
        .map_err(|err| match err.as_service_error() {
            Some(e) => super::failed_call(&format!("ecs:DescribeTaskDefinition {name}"), e.code(), e.message()),
            None => format!(
                "ecs:DescribeTaskDefinition {name}: {}",
                aws_sdk_ecs::error::DisplayErrorContext(&err)
            ),
        })?;
    out.task_definition()
        .map(crate::aws::task_definition_from_sdk)
        .ok_or_else(|| format!("ecs:DescribeTaskDefinition {name}: no task definition in the answer"))
}

/// Every account check `plan.definition` calls for, in a fixed order: images, the execution
/// role, the task role, secrets, log groups, the service, the network path.
pub async fn account_checks(clients: &Clients, plan: &Plan, lang: Lang) -> Vec<Check> {
    let aws = clients.home().await;
    let definition = &plan.definition;
    // The account the definition lives in: its roles' or its own ARN says it.
    let account = [
        definition.execution_role_arn.as_deref(),
        definition.task_role_arn.as_deref(),
        Some(definition.arn.as_str()),
    ]
    .into_iter()
    .flatten()
    .filter_map(ArnParts::parse)
    .map(|a| a.account.to_string())
    .find(|a| !a.is_empty());
    let region = aws.config().region().map(|r| r.to_string());
    let reads = Reads {
        aws: &aws,
        definition,
        account,
        region,
        lang,
    };
    let (images, execution, task, secrets, logs, network) = tokio::join!(
        reads.images(),
        reads.role(definition.execution_role_arn.as_deref(), Kind::Execution),
        reads.role(definition.task_role_arn.as_deref(), Kind::Task),
        reads.secrets(),
        reads.logs(),
        reads.network(plan),
    );
    [images, execution, task, secrets, logs, network].concat()
}

#[derive(Clone, Copy)]
enum Kind {
    Execution,
    Task,
}

struct Reads<'a> {
    aws: &'a AccountClients,
    definition: &'a TaskDefinition,
    account: Option<String>,
    region: Option<String>,
    lang: Lang,
}

impl Reads<'_> {
    fn execution_role(&self) -> Option<&str> {
        self.definition.execution_role_arn.as_deref()
    }

    /// Each distinct image once; the containers that use it are named in its facts.
    async fn images(&self) -> Vec<Check> {
        let mut distinct: Vec<(&str, Vec<&str>)> = Vec::new();
        for c in &self.definition.containers {
            let Some(uri) = c.image.as_deref().filter(|i| !i.trim().is_empty()) else {
                continue;
            };
            match distinct.iter_mut().find(|(u, _)| *u == uri) {
                Some((_, names)) => names.push(&c.name),
                None => distinct.push((uri, vec![&c.name])),
            }
        }
        let now = crate::util::time::now_epoch_seconds() as i64;
        let clock = Clock { stopped_at: None, now };
        let lang = self.lang;
        let results = join_all(distinct.iter().map(|(uri, names)| {
            let clock = &clock;
            async move {
                let containers = names.join(", ");
                let checks = match crate::verify::image::parse(uri) {
                    Some(ImageRef::Ecr(ecr)) => {
                        let elsewhere = image::elsewhere(&ecr, self.account.as_deref(), self.region.as_deref());
                        image::ecr(self.aws, &ecr, elsewhere, self.execution_role(), clock, lang).await
                    }
                    Some(ImageRef::Other { registry }) => {
                        let what = Tr {
                            en: "the image",
                            ja: "イメージ",
                        }
                        .text(lang);
                        vec![
                            Check::not_checked("ecr.repository", what, &Unavailable::NotAws(registry), lang)
                                .fact("image", *uri),
                        ]
                    }
                    // A reference that does not parse: the offline syntax check says why.
                    None => Vec::new(),
                };
                checks
                    .into_iter()
                    .map(|c| c.fact("container", containers.as_str()))
                    .collect::<Vec<_>>()
            }
        }))
        .await;
        results.concat()
    }

    /// `iam.execution-role` / `iam.task-role` and their trust checks: the role exists and
    /// trusts `ecs-tasks.amazonaws.com`.
    async fn role(&self, arn: Option<&str>, kind: Kind) -> Vec<Check> {
        let Some(arn) = arn else { return Vec::new() };
        let target = RoleTarget {
            name: arn_name(arn).to_string(),
            arn: Some(arn.to_string()),
            kind: match kind {
                Kind::Execution => "execution",
                Kind::Task => "task",
            },
            service: ECS_TASKS,
        };
        let mut checks = role::role_checks(self.aws, self.account.as_deref(), &target, self.lang).await;
        // The verify stage checks one role per failure; here two, so each gets its own ids.
        for check in &mut checks {
            check.id = match (kind, check.id) {
                (Kind::Execution, "iam.role-trust") => "iam.execution-role-trust",
                (Kind::Execution, _) => "iam.execution-role",
                (Kind::Task, "iam.role-trust") => "iam.task-role-trust",
                (Kind::Task, _) => "iam.task-role",
            };
        }
        checks
    }

    /// Every distinct `valueFrom` of every container: metadata only, then the execution role's
    /// permission to read them all.
    async fn secrets(&self) -> Vec<Check> {
        let mut references: Vec<SecretRef> = Vec::new();
        for value in self.definition.containers.iter().flat_map(|c| c.secrets.iter()) {
            let Some(reference) = crate::verify::secrets::parse(&value.value_from) else {
                continue;
            };
            if !references.contains(&reference) {
                references.push(reference);
            }
        }
        if references.is_empty() {
            return Vec::new();
        }
        let scope = Scope {
            aws: self.aws,
            account: self.account.clone(),
            region: self.region.clone(),
            lang: self.lang,
        };
        secrets::check_references(&scope, &references, self.execution_role()).await
    }

    /// Each awslogs group once (the first container that writes to it).
    async fn logs(&self) -> Vec<Check> {
        let mut seen: Vec<(&str, Option<&str>)> = Vec::new();
        let mut containers: Vec<&ContainerDefinition> = Vec::new();
        for c in &self.definition.containers {
            if c.log_driver.as_deref() != Some("awslogs") {
                continue;
            }
            let Some(group) = c.log_option("awslogs-group") else {
                continue;
            };
            let key = (group, c.log_option("awslogs-region"));
            if !seen.contains(&key) {
                seen.push(key);
                containers.push(c);
            }
        }
        let subject = texts::category_subject(Category::LoggingSetup, self.lang);
        let results = join_all(containers.into_iter().map(|c| {
            logs::group_checks(
                self.aws,
                c,
                self.execution_role(),
                self.account.as_deref(),
                subject,
                self.lang,
            )
        }))
        .await;
        results.concat()
    }

    /// What the tasks must reach from their subnets, as the verify stage's network checks see it.
    fn needs(&self) -> Vec<Service> {
        let incident = Incident {
            task_definition: Some(self.definition.clone()),
            ..Incident::default()
        };
        let containers = &self.definition.containers;
        let mut needs = judge_network::needs(Category::ImagePullNetwork, &incident);
        if containers.iter().any(|c| !c.secrets.is_empty()) {
            needs.extend(judge_network::needs(Category::SecretsNetwork, &incident));
        }
        if containers.iter().any(|c| c.log_driver.as_deref() == Some("awslogs")) {
            needs.extend(judge_network::needs(Category::LoggingSetup, &incident));
        }
        needs
    }

    /// `ecs.service` (with `--service`) and `ec2.network-path` for each subnet.
    async fn network(&self, plan: &Plan) -> Vec<Check> {
        const SERVICE: &str = "ecs.service";
        const PATH: &str = "ec2.network-path";
        let lang = self.lang;
        let mut checks = Vec::new();
        let mut subnets = plan.subnets.clone();
        let mut groups = plan.security_groups.clone();
        let mut public_ip = plan
            .assign_public_ip
            .map(|v| PublicIp::Setting(v, "--assign-public-ip"));
        if let Some(name) = plan.service.as_deref() {
            let cluster = plan.cluster.as_deref().unwrap_or("default");
            let what = Tr {
                en: "service `{name}`",
                ja: "サービス `{name}`",
            }
            .fill(lang, &[("name", name)]);
            match service::describe_service(self.aws, cluster, name).await {
                Err(why) => checks.push(Check::not_checked(SERVICE, &what, &why, lang).fact("cluster", cluster)),
                Ok(None) => {
                    let summary = Tr {
                        en: "Service `{name}` does not exist in cluster `{cluster}`.",
                        ja: "サービス `{name}` はクラスター `{cluster}` に存在しません。",
                    }
                    .fill(lang, &[("name", name), ("cluster", cluster)]);
                    checks.push(Check::found(SERVICE, summary).fact("cluster", cluster));
                }
                Ok(Some(found)) => {
                    let summary = Tr {
                        en: "Service `{name}` exists in cluster `{cluster}`.",
                        ja: "サービス `{name}` はクラスター `{cluster}` に存在します。",
                    }
                    .fill(lang, &[("name", name), ("cluster", cluster)]);
                    let mut check = Check::absent(SERVICE, summary).fact("cluster", cluster);
                    if !found.subnets.is_empty() {
                        check = check.fact("subnets", found.subnets.join(", "));
                    }
                    checks.push(check);
                    if subnets.is_empty() {
                        subnets = found.subnets;
                    }
                    if groups.is_empty() {
                        groups = found.security_groups;
                    }
                    if public_ip.is_none() {
                        public_ip = found
                            .assign_public_ip
                            .map(|v| PublicIp::Setting(v, "service assignPublicIp"));
                    }
                }
            }
        }
        subnets.dedup();
        if subnets.is_empty() {
            return checks;
        }
        let needs = self.needs();
        if needs.is_empty() {
            return checks;
        }
        // ECS gives a task no public IP unless the service or run-task asks for one.
        let public_ip = public_ip.unwrap_or(PublicIp::Setting(false, "assignPublicIp default DISABLED"));
        let groups = (!groups.is_empty()).then_some(groups);
        let subject = Tr {
            en: "the network path from the subnet",
            ja: "サブネットからのネットワーク経路",
        }
        .text(lang);
        let paths = join_all(subnets.iter().take(MAX_SUBNETS).map(|subnet| {
            let task = TaskNetwork {
                subnet: subnet.clone(),
                groups: groups.clone(),
                public_ip: public_ip.clone(),
            };
            let needs = &needs;
            async move {
                match network::facts(self.aws, task).await {
                    // The verdict names the subnet itself.
                    Ok(facts) => judge_network::judge(&facts, needs, lang),
                    Err(why) => vec![Check::not_checked(PATH, subject, &why, lang).fact("subnet", subnet.as_str())],
                }
            }
        }))
        .await;
        checks.extend(paths.concat());
        checks
    }
}
