//! The machine format: a versioned JSON document for SQS, Lambda and `email-json`
//! subscribers and for `ecs-doctor explain --format json`.

use serde_json::{json as json_value, Value};

use super::Context;
use crate::incident::Incident;
use crate::report::Report;

/// Bumped on any change that could break a consumer (a renamed or removed field).
pub const SCHEMA_VERSION: &str = "1";

pub fn json(incident: &Incident, report: &Report) -> Value {
    let primary = report.primary();
    let context = Context::of(incident);
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
        "notes": incident.notes,
        "incident": incident,
    });
    // Only when the verify stage looked: documents without it keep their shape.
    if let (false, Some(object)) = (report.changes.is_empty(), document.as_object_mut()) {
        let changes = &report.changes;
        object.insert("changes".into(), json_value!(changes.changes));
        object.insert("changeSummary".into(), json_value!(changes.lines));
        object.insert("changeNotes".into(), json_value!(changes.notes));
    }
    document
}
