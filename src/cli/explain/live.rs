//! `explain --enrich`, `--verify` and `--task`: the account, read once per command.

use super::super::Account;
use crate::aws::ecs::stopped_tasks;
use crate::aws::{AwsVerifier, Backoff, EcsReader, EcsTasks, Logs};
use crate::config::DEFAULT_LOG_TAIL_LINES;
use crate::diagnose::Lang;
use crate::incident::{arn_name, ArnParts, Incident};
use crate::pipeline::group::task_observation;
use crate::pipeline::investigate::{self, investigate};
use crate::report::Report;

/// One runtime and one SDK configuration for everything the command reads.
pub(super) struct Live(Account);

impl Live {
    pub(super) fn connect() -> Result<Live, String> {
        Account::connect().map(Live)
    }

    /// Enriches each incident, diagnoses it and, when asked, verifies the cause against the account.
    pub(super) fn reports(&self, incidents: Vec<Incident>, lang: Lang, check: bool) -> Vec<(Incident, Report)> {
        let account = &self.0;
        let clients = &account.clients;
        account.runtime.block_on(async {
            let home = clients.home().await;
            let tasks = EcsTasks::new(home.ecs().clone(), Logs::new(home.logs().clone()));
            let verifier = check.then(|| AwsVerifier::new(clients.clone()));
            let options = investigate::Options {
                lang,
                log_lines: DEFAULT_LOG_TAIL_LINES,
            };
            let mut outputs = Vec::with_capacity(incidents.len());
            for incident in incidents {
                outputs.push(
                    investigate(&tasks, incident, options)
                        .await
                        .verify(&verifier, None, crate::verify::DEFAULT_BUDGET)
                        .await,
                );
            }
            outputs
        })
    }

    /// `explain --task`: the task as DescribeTasks reports it, as an incident to explain.
    pub(super) fn fetch_task(&self, task: &str, cluster: Option<&str>) -> Result<Incident, String> {
        let account = &self.0;
        let task = task.trim();
        // A new-format task ARN names its cluster: arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID.
        let from_arn = ArnParts::parse(task).and_then(|a| a.cluster()).map(str::to_string);
        let Some(cluster) = cluster.map(str::to_string).or(from_arn) else {
            return Err(format!("--cluster is needed with the task ID `{task}`"));
        };
        let described = account.runtime.block_on(async {
            let source = EcsReader::new(account.clients.home().await.ecs().clone(), 1, Backoff::default());
            stopped_tasks::describe_tasks(&source, &cluster, &[task.to_string()]).await
        });
        let described = described.map_err(|e| format!("cannot read task {task} in cluster {cluster}: {e}"))?;
        let Some(found) = described.into_iter().next() else {
            return Err(format!(
                "task {task} was not found in cluster {cluster}: ECS keeps stopped tasks for about an hour; check the ID, the cluster and the Region"
            ));
        };
        let cluster_arn = ArnParts::parse(&found.task_arn)
            .map(|a| a.sibling(&format!("cluster/{}", arn_name(&cluster))))
            .unwrap_or(cluster);
        Ok(task_observation(&cluster_arn, found).incident)
    }
}
