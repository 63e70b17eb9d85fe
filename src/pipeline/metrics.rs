//! CloudWatch metrics through the Embedded Metric Format (pure): one JSON log line per
//! diagnosed incident, which CloudWatch Logs turns into metrics. No PutMetricData call, so no
//! extra latency and no extra permission.
//!
//! Namespace `EcsDoctor`, dimension sets `[Category]` and `[Cluster, Service]`, metrics
//! `Failures`, `Published`, `Suppressed` and `VerifyNotChecked` (count); for incidents,
//! [`incident_line`]: `IncidentsOpened`, `IncidentsResolved`, `TimeToRecoverySeconds`.

use serde_json::{json, Value};

use crate::incident::Incident;
use crate::incident::Place;
use crate::report::{Report, Thread, ThreadState};
use crate::verify::CheckStatus;

pub const NAMESPACE: &str = "EcsDoctor";

/// Why an incident was not published, as the `SuppressedBy` property says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppression {
    Storm,
    Duplicate,
    Mute,
}

impl Suppression {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Storm => "storm",
            Self::Duplicate => "duplicate",
            Self::Mute => "mute",
        }
    }
}

/// What happened to one diagnosed incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Published,
    Suppressed(Suppression),
    /// Publishing failed (the invocation fails and is retried).
    PublishFailed,
}

/// The EMF document for one incident, as one line. `timestamp_ms`: epoch milliseconds.
pub fn emf_line(incident: &Incident, report: &Report, fate: Fate, timestamp_ms: u64) -> String {
    let context = Place::of(incident);
    let primary = report.primary();
    let not_checked = report.checks().filter(|c| c.status == CheckStatus::NotChecked).count();
    let (published, suppressed) = match fate {
        Fate::Published => (1, 0),
        Fate::Suppressed(_) => (0, 1),
        Fate::PublishFailed => (0, 0),
    };
    let mut doc = json!({
        "_aws": {
            "Timestamp": timestamp_ms,
            "CloudWatchMetrics": [{
                "Namespace": NAMESPACE,
                "Dimensions": [["Category"], ["Cluster", "Service"]],
                "Metrics": [
                    {"Name": "Failures", "Unit": "Count"},
                    {"Name": "Published", "Unit": "Count"},
                    {"Name": "Suppressed", "Unit": "Count"},
                    {"Name": "VerifyNotChecked", "Unit": "Count"},
                ],
            }],
        },
        // Every dimension must have a value, or CloudWatch drops the metric.
        "Category": primary.category.as_str(),
        "Cluster": dimension(context.cluster.as_deref()),
        "Service": dimension(context.service.as_deref().or(context.family.as_deref())),
        "Failures": 1,
        "Published": published,
        "Suppressed": suppressed,
        "VerifyNotChecked": not_checked,
        // Properties (not dimensions): searchable with CloudWatch Logs Insights.
        "RuleId": primary.rule_id,
        "Severity": primary.severity.as_str(),
    });
    if let Some(obj) = doc.as_object_mut() {
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                obj.insert(k.to_string(), Value::String(v));
            }
        };
        put("Account", context.account.clone());
        put("Region", context.region.clone());
        put("TaskArn", incident.task.as_ref().map(|t| t.task_arn.clone()));
        if let Fate::Suppressed(by) = fate {
            put("SuppressedBy", Some(by.as_str().to_string()));
        }
    }
    doc.to_string()
}

/// The EMF line of an incident that opened or was resolved: `IncidentsOpened`,
/// `IncidentsResolved` and, on resolution, `TimeToRecoverySeconds` (first failure to
/// recovery), by `[Cluster, Service]`. `None` for an update.
pub fn incident_line(incident: &Incident, thread: &Thread, timestamp_ms: u64) -> Option<String> {
    let context = Place::of(incident);
    let (opened, resolved) = match thread.state {
        ThreadState::Opened => (1, 0),
        ThreadState::Resolved => (0, 1),
        ThreadState::Updated => return None,
    };
    let mut metrics = vec![
        json!({"Name": "IncidentsOpened", "Unit": "Count"}),
        json!({"Name": "IncidentsResolved", "Unit": "Count"}),
    ];
    let mut doc = json!({
        "Cluster": dimension(context.cluster.as_deref()),
        "Service": dimension(context.service.as_deref().or(context.family.as_deref())),
        "IncidentsOpened": opened,
        "IncidentsResolved": resolved,
        "IncidentId": thread.id,
        "FailedTasks": thread.failed_tasks,
    });
    if let (Some(at), Some(obj)) = (thread.resolved_at, doc.as_object_mut()) {
        metrics.push(json!({"Name": "TimeToRecoverySeconds", "Unit": "Seconds"}));
        obj.insert(
            "TimeToRecoverySeconds".into(),
            json!(at.saturating_sub(thread.opened_at)),
        );
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "_aws".into(),
            json!({
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": NAMESPACE,
                    "Dimensions": [["Cluster", "Service"]],
                    "Metrics": metrics,
                }],
            }),
        );
    }
    Some(doc.to_string())
}

/// A dimension value: CloudWatch wants 1–1024 characters, no control characters.
fn dimension(value: Option<&str>) -> String {
    let clean: String = value
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(1024)
        .collect();
    if clean.trim().is_empty() {
        "-".to_string()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{diagnose, Lang};
    use crate::fixture::Case;
    use crate::verify::Check;

    #[test]
    fn the_line_is_emf_with_both_dimension_sets() {
        let incident = Case::Reason("CannotPullContainerError: manifest unknown").incident();
        let mut report = Report::from(diagnose(&incident, Lang::En));
        report.findings[0].checks = vec![
            Check::found("ecr.image-tag", "x"),
            Check::new("ecr.repository", CheckStatus::NotChecked, "denied"),
            Check::new("ecr.policy", CheckStatus::NotChecked, "denied"),
        ];
        let line = emf_line(
            &incident,
            &report,
            Fate::Suppressed(Suppression::Mute),
            1_795_000_000_000,
        );
        assert!(!line.contains('\n'), "one line");
        let v: Value = serde_json::from_str(&line).expect("JSON");
        let aws = &v["_aws"];
        assert_eq!(aws["Timestamp"], 1_795_000_000_000u64);
        let directive = &aws["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "EcsDoctor");
        let dims: Vec<Vec<&str>> = directive["Dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .map(|set| set.as_array().expect("set").iter().filter_map(Value::as_str).collect())
            .collect();
        assert_eq!(dims, [vec!["Category"], vec!["Cluster", "Service"]]);
        // Every dimension and every metric named in the directive is a top-level member.
        for key in dims.iter().flatten() {
            assert!(v[*key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
        }
        let names: Vec<&str> = directive["Metrics"]
            .as_array()
            .expect("metrics")
            .iter()
            .filter_map(|m| m["Name"].as_str())
            .collect();
        assert_eq!(names, ["Failures", "Published", "Suppressed", "VerifyNotChecked"]);
        for name in &names {
            assert!(v[*name].is_number(), "{name}");
        }
        assert_eq!(v["Category"], "image-not-found");
        assert_eq!(
            (v["Cluster"].as_str(), v["Service"].as_str()),
            (Some("prod"), Some("web"))
        );
        assert_eq!(
            (
                v["Failures"].as_u64(),
                v["Published"].as_u64(),
                v["Suppressed"].as_u64()
            ),
            (Some(1), Some(0), Some(1))
        );
        assert_eq!(v["VerifyNotChecked"], 2);
        assert_eq!(v["SuppressedBy"], "mute");
    }

    #[test]
    fn missing_dimensions_get_a_placeholder() {
        let incident = Case::Text("CannotPullContainerError: manifest unknown").incident();
        let report = Report::from(diagnose(&incident, Lang::En));
        let v: Value = serde_json::from_str(&emf_line(&incident, &report, Fate::Published, 0)).expect("JSON");
        assert_eq!((v["Cluster"].as_str(), v["Service"].as_str()), (Some("-"), Some("-")));
        assert_eq!(v["Published"], 1);
    }
}
