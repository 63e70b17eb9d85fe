//! Grouping: failures diagnosed one by one, gathered by failure signature (where, and which
//! rule explains them). `ecs-doctor scan` groups a cluster's failures with it, and a failed
//! deployment's stopped tasks are grouped the same way to name the deployment's root cause.
//!
//! Pure: the engine runs on each observation; nothing here reads the account.

use std::collections::{BTreeSet, HashMap};

use crate::diagnose::{diagnose, Category, Diagnosis, Lang, Severity};
use crate::incident::Place;
use crate::incident::{account_of, region_of, Incident, Source, Task};
use crate::report::Report as Checked;
use crate::util::time::epoch_millis_from_iso8601;

/// One thing found in a cluster, ready for the engine.
#[derive(Debug, Clone)]
pub struct Observation {
    pub incident: Incident,
    /// When it happened (epoch milliseconds): a task's stop, an event's creation, a
    /// deployment's last change. `None` when ECS did not say.
    pub at: Option<i64>,
}

/// A stopped task from `DescribeTasks`, as enrichment would hold it.
pub fn task_observation(cluster_arn: &str, task: Task) -> Observation {
    let region = region_of(&task.task_arn).map(str::to_string);
    let account = account_of(&task.task_arn).map(str::to_string);
    let at = [
        &task.timestamps.stopped_at,
        &task.timestamps.execution_stopped_at,
        &task.timestamps.stopping_at,
        &task.timestamps.created_at,
    ]
    .into_iter()
    .find_map(|t| t.as_deref().and_then(epoch_millis_from_iso8601));
    Observation {
        incident: Incident {
            source: Source::DescribeTasksOutput,
            region,
            account,
            cluster: Some(cluster_arn.to_string()),
            task: Some(task),
            ..Incident::default()
        },
        at,
    }
}

/// What makes two failures "the same": where, and which rule explains them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signature {
    /// Cluster name.
    pub cluster: String,
    /// The service name, `family:<name>` for a task outside a service, or empty (a container
    /// instance, a task of unknown family).
    pub unit: String,
    pub rule_id: &'static str,
}

impl Signature {
    pub fn of(incident: &Incident, diagnosis: &Diagnosis) -> Self {
        let place = Place::of(incident);
        Signature {
            unit: place.unit().unwrap_or_default(),
            cluster: place.cluster.unwrap_or_default(),
            rule_id: diagnosis.primary().rule_id,
        }
    }

    /// `prod/api`, `prod/family:batch` or `prod`.
    pub fn place(&self) -> String {
        if self.unit.is_empty() {
            self.cluster.clone()
        } else {
            format!("{}/{}", self.cluster, self.unit)
        }
    }

    /// The service name, when the unit is one.
    pub fn service(&self) -> Option<&str> {
        (!self.unit.is_empty() && !self.unit.starts_with("family:")).then_some(self.unit.as_str())
    }
}

/// All failures of one signature.
#[derive(Debug, Clone)]
pub struct Group {
    pub signature: Signature,
    pub severity: Severity,
    pub category: Category,
    /// The primary finding's title, from the most recent example.
    pub title: String,
    pub first_step: Option<String>,
    pub count: usize,
    /// Epoch milliseconds; `None` when no failure of the group carried a time.
    pub first_seen: Option<i64>,
    pub last_seen: Option<i64>,
    /// The stopped tasks of the group (empty for service events and instances).
    pub task_arns: Vec<String>,
    /// What kinds of input the group was built from.
    pub sources: BTreeSet<&'static str>,
    /// The most recent failure of the group, and its diagnosis: printed in full. `--verify`
    /// runs on this example (see [`Report::verify`]).
    pub example: Incident,
    pub diagnosis: Checked,
}

/// How severe a finding must be to count (`--min-severity`).
pub fn counts(diagnosis: &Diagnosis, min_severity: Severity) -> bool {
    let primary = diagnosis.primary();
    primary.category != Category::ExpectedStop && primary.severity <= min_severity
}

/// The groups of some observations, and how many did not count.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    /// Most severe first, then most frequent, then most recent ([`sort`]).
    pub groups: Vec<Group>,
    /// Failures below `min_severity`, and expected stops (deployments, scale-in, StopTask).
    pub below_threshold: usize,
}

/// Diagnoses every observation and groups them by [`Signature`]; each group's example is its
/// most recent failure.
pub fn group(observations: impl IntoIterator<Item = Observation>, lang: Lang, min_severity: Severity) -> Grouped {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Signature, usize> = HashMap::new();
    let mut below_threshold = 0;
    for observation in observations {
        let diagnosis = diagnose(&observation.incident, lang);
        if !counts(&diagnosis, min_severity) {
            below_threshold += 1;
            continue;
        }
        let signature = Signature::of(&observation.incident, &diagnosis);
        let task_arn = observation.incident.task.as_ref().map(|t| t.task_arn.clone());
        let source = source_name(observation.incident.source);
        match index.get(&signature) {
            Some(&i) => {
                let group = &mut groups[i];
                group.count += 1;
                group.first_seen = min_time(group.first_seen, observation.at);
                let newer = later(observation.at, group.last_seen);
                group.last_seen = max_time(group.last_seen, observation.at);
                group.task_arns.extend(task_arn);
                group.sources.insert(source);
                if newer {
                    set_example(group, observation.incident, diagnosis);
                }
            }
            None => {
                index.insert(signature.clone(), groups.len());
                let primary = diagnosis.primary();
                groups.push(Group {
                    signature,
                    severity: primary.severity,
                    category: primary.category,
                    title: primary.title.clone(),
                    first_step: primary.remediation.first().cloned(),
                    count: 1,
                    first_seen: observation.at,
                    last_seen: observation.at,
                    task_arns: task_arn.into_iter().collect(),
                    sources: BTreeSet::from([source]),
                    example: observation.incident,
                    diagnosis: Checked::from(diagnosis),
                });
            }
        }
    }
    for group in &mut groups {
        group.task_arns.sort();
    }
    sort(&mut groups);

    Grouped {
        groups,
        below_threshold,
    }
}

fn set_example(group: &mut Group, incident: Incident, diagnosis: Diagnosis) {
    let primary = diagnosis.primary();
    group.title = primary.title.clone();
    group.first_step = primary.remediation.first().cloned();
    group.example = incident;
    group.diagnosis = Checked::from(diagnosis);
}

/// Severity first (critical first), then count (most first), then last seen (most recent
/// first, unknown last), then the signature, so that equal inputs print in a stable order.
pub fn sort(groups: &mut [Group]) {
    groups.sort_by(|a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.count.cmp(&a.count))
            .then(b.last_seen.unwrap_or(i64::MIN).cmp(&a.last_seen.unwrap_or(i64::MIN)))
            .then(a.signature.cmp(&b.signature))
    });
}

fn later(candidate: Option<i64>, current: Option<i64>) -> bool {
    match (candidate, current) {
        (Some(c), Some(cur)) => c > cur,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

fn min_time(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn max_time(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// The JSON name of an input kind.
pub fn source_name(source: Source) -> &'static str {
    match source {
        Source::TaskStateChange | Source::DescribeTasksOutput => "stopped-task",
        Source::ServiceAction => "service-event",
        Source::DeploymentStateChange => "deployment",
        Source::HookStateChange => "deployment-hook",
        Source::ContainerInstanceStateChange => "container-instance",
        Source::ApiCall => "api-failure",
        Source::Text => "text",
    }
}
