//! The machine format: a versioned JSON document for SQS, Lambda and `email-json`
//! subscribers and for `ecs-doctor explain --format json`.

use serde_json::{json as json_value, Value};

use crate::incident::{Incident, Place};
use crate::report::Report;

/// Bumped on any change that could break a consumer (a renamed or removed field).
pub const SCHEMA_VERSION: &str = "1";

/// The machine body (SQS, Lambda subscribers; `--format json`), through the render boundary
/// ([`crate::redact::clean_json`]): the raw incident in it too.
pub fn json(incident: &Incident, report: &Report) -> Value {
    let mut document = document(incident, report);
    crate::redact::clean_json(&mut document);
    document
}

fn document(incident: &Incident, report: &Report) -> Value {
    let primary = report.primary();
    let context = Place::of(incident);
    let task = incident.task.as_ref();
    let mut document = json_value!({
        "schemaVersion": SCHEMA_VERSION,
        "generator": concat!("ecs-doctor ", env!("CARGO_PKG_VERSION")),
        "lang": report.lang,
        "actionable": report.is_actionable(),
        "summary": {
            "ruleId": primary.rule_id,
            "category": primary.category,
            "severity": primary.severity,
            "confidence": primary.confidence,
            "title": primary.title,
        },
        "source": incident.source,
        "eventId": incident.event_id,
        "region": incident.region,
        "account": incident.account,
        "time": incident.time,
        "cluster": incident.cluster,
        "service": context.service,
        "taskArn": task.map(|t| t.task_arn.as_str()),
        "taskDefinitionArn": task.and_then(|t| t.task_definition_arn.as_deref()),
        "findings": report.findings,
        "notes": super::note_texts(&incident.notes, report.lang),
        "incident": incident,
    });
    if let Some(object) = document.as_object_mut() {
        if let Some(headline) = super::deployment_headline(incident, report) {
            if let Some(summary) = object.get_mut("summary").and_then(Value::as_object_mut) {
                summary.insert("headline".into(), Value::String(headline));
            }
        }
        if let Some(d) = &report.deployment {
            let groups: Vec<Value> = d
                .groups
                .iter()
                .map(|g| {
                    json_value!({
                        "ruleId": g.rule_id,
                        "category": g.category,
                        "severity": g.severity,
                        "count": g.count,
                        "exampleTaskArn": g.example_task_arn,
                    })
                })
                .collect();
            object.insert("groups".into(), Value::Array(groups));
            object.insert(
                "deployment".into(),
                json_value!({
                    "id": d.id,
                    "taskDefinition": d.task_definition,
                    "previousTaskDefinition": d.previous_task_definition,
                    "rolloutState": d.rollout_state,
                    "rolledBack": d.rolled_back,
                    "stoppedTasks": d.stopped_tasks,
                    "runningTasks": d.running_tasks,
                    "unread": d.unread,
                }),
            );
        }
        // The incident's thread, beside the facts of the event (additive: schema 1 holds).
        if let (Some(thread), Some(Value::Object(facts))) = (&report.thread, object.get_mut("incident")) {
            facts.insert("id".into(), Value::String(thread.id.clone()));
            facts.insert("state".into(), Value::String(thread.state.as_str().into()));
            facts.insert(
                "openedAt".into(),
                Value::String(crate::util::time::iso8601_from_epoch(thread.opened_at as f64)),
            );
            facts.insert("failedTasks".into(), json_value!(thread.failed_tasks));
            facts.insert(
                "causes".into(),
                Value::Object(thread.causes.iter().map(|(r, n)| (r.clone(), json_value!(n))).collect()),
            );
            if let Some(at) = thread.resolved_at {
                facts.insert(
                    "resolvedAt".into(),
                    Value::String(crate::util::time::iso8601_from_epoch(at as f64)),
                );
            }
        }
    }
    // Only when the verify stage looked: documents without it keep their shape.
    if let (false, Some(object)) = (report.changes.is_empty(), document.as_object_mut()) {
        let changes = &report.changes;
        object.insert("changes".into(), json_value!(changes.changes));
        object.insert("changeSummary".into(), json_value!(changes.lines));
        object.insert("changeNotes".into(), json_value!(changes.notes));
    }
    document
}
