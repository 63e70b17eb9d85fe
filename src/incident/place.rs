//! [`Place`]: where a failure happened, read from an incident once.

use super::{arn_name, Incident};

/// Where a failure happened, and the short facts that head every message: the one reader of
/// "where it belongs" (`prod/api`, `prod/family:batch`) for messages, groups, threads, mutes and
/// metrics.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub cluster: Option<String>,
    pub service: Option<String>,
    pub family: Option<String>,
    pub task_id: Option<String>,
    pub task_definition: Option<String>,
    pub launch_type: Option<String>,
    pub stop_code: Option<String>,
    pub stopped_at: Option<String>,
    /// When the event was sent (for events about no stopped task).
    pub time: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub account_alias: Option<String>,
}

impl Place {
    pub fn of(incident: &Incident) -> Self {
        let task = incident.task.as_ref();
        let api_error = incident.api_error.as_ref();
        let service = task
            .and_then(|t| t.service_name())
            .or_else(|| incident.service_event.as_ref().and_then(|e| e.service_name()))
            .or_else(|| api_error.and_then(|e| e.named("serviceName").or_else(|| e.named("service"))))
            .map(|s| arn_name(s).to_string());
        Place {
            cluster: incident.cluster.as_deref().map(|c| arn_name(c).to_string()),
            service,
            family: task.and_then(|t| t.family()).map(str::to_string),
            task_id: task.map(|t| t.task_id().to_string()),
            task_definition: task
                .and_then(|t| t.task_definition_arn.as_deref())
                .or_else(|| api_error.and_then(|e| e.named("taskDefinition")))
                .map(|a| arn_name(a).to_string()),
            launch_type: task.and_then(|t| {
                t.launch_type
                    .as_ref()
                    .map(|l| l.as_str().to_string())
                    .or_else(|| t.capacity_provider.clone())
            }),
            stop_code: task.and_then(|t| t.stop_code.clone()),
            stopped_at: task.and_then(|t| {
                t.timestamps
                    .stopped_at
                    .clone()
                    .or_else(|| t.timestamps.stopping_at.clone())
            }),
            time: incident.time.clone(),
            region: incident.region.clone(),
            account: incident.account.clone(),
            account_alias: incident.account_alias.clone(),
        }
    }

    /// `123456789012 (payments-prod)`, or the id alone.
    pub fn account_line(&self) -> Option<String> {
        let account = self.account.as_deref()?;
        Some(match self.account_alias.as_deref().filter(|a| !a.is_empty()) {
            Some(alias) => format!("{account} ({alias})"),
            None => account.to_string(),
        })
    }

    /// The service, else `family:<name>` for a task outside a service: what an incident, a
    /// group of failures or a mute belongs to within its cluster.
    pub fn unit(&self) -> Option<String> {
        self.service
            .clone()
            .or_else(|| self.family.as_ref().map(|f| format!("family:{f}")))
    }

    /// `prod/web`, `prod/family:batch`, `prod`, or nothing: the "where" of a summary line.
    pub fn place(&self) -> Option<String> {
        match (&self.cluster, self.unit()) {
            (Some(c), Some(u)) => Some(format!("{c}/{u}")),
            (Some(c), None) => Some(c.clone()),
            (None, Some(u)) => Some(u),
            (None, None) => None,
        }
    }
}
