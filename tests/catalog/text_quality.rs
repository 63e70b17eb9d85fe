//! Every rule rendered in both languages, with an empty context and with a full one, must read
//! as written for the incident: no placeholder left, no hole where a value is missing, no
//! `<cluster>`-style stand-in where the value is known, and no step that does not fit.

use ecs_doctor::diagnose::text::{fill, split_tag, steps, PLACEHOLDERS};
use ecs_doctor::diagnose::{catalog, Field, Lang, Rule, Shared, Signal};
use ecs_doctor::event::decode;
use ecs_doctor::incident::{ApiError, ApiFailure, Incident};

/// A Fargate task of service `web` in cluster `prod`, subnet `subnet-0abc`, whose container `web`
/// runs an image from Docker Hub.
fn full_incident() -> Incident {
    let event = serde_json::json!({
        "version": "0", "id": "text", "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "eu-west-1",
        "resources": ["arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef"],
        "detail": {
            "clusterArn": "arn:aws:ecs:eu-west-1:123456789012:cluster/prod",
            "taskArn": "arn:aws:ecs:eu-west-1:123456789012:task/prod/0123456789abcdef",
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7",
            "containerInstanceArn": "arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/0a1b2c",
            "group": "service:web", "launchType": "FARGATE", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
            "stopCode": "TaskFailedToStart", "stoppedReason": "Task failed to start", "memory": "512",
            "attachments": [{"type": "eni", "status": "DELETED", "details": [
                {"name": "subnetId", "value": "subnet-0abc"}, {"name": "networkInterfaceId", "value": "eni-0abc"}]}],
            "containers": [{"name": "web", "image": "nginx:1.27", "lastStatus": "STOPPED", "exitCode": 1,
                            "reason": "CannotStartContainerError: something failed", "memory": "256"}]
        }
    });
    let bytes = serde_json::to_vec(&event).unwrap_or_default();
    decode(&bytes).ok().and_then(|mut v| v.pop()).unwrap_or_default()
}

fn render(rule: &Rule, s: &Signal, lang: Lang) -> Vec<String> {
    let t = rule.text(lang);
    let mut out = vec![fill(t.title, s, lang), fill(t.explanation, s, lang)];
    out.extend(steps(t.steps, s, lang));
    out
}

/// Placeholders that always render (a value or a stand-in), so they never leave a hole.
fn always_filled(name: &str) -> bool {
    name == "reason" || name.ends_with("_arg")
}

/// Holes the template leaves when its values are unknown, checked on the text rendered with
/// nothing known: an English preposition or article left before the end of a clause where the
/// template had "<word> {value}", empty parentheses or code marks, a doubled space, and a
/// Japanese particle at the start of a clause with nothing before it.
fn empty_context_holes(template: &str, rendered: &str, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if rendered.contains("()") || rendered.contains("( )") || rendered.contains("``") || rendered.contains("  ") {
        out.push("empty parentheses, code marks or a doubled space".into());
    }
    match lang {
        Lang::En => {
            let mut rest = template;
            while let Some(open) = rest.find('{') {
                let before = &rest[..open];
                let after = &rest[open + 1..];
                let Some(close) = after.find('}') else { break };
                let name = &after[..close];
                rest = &after[close + 1..];
                if !PLACEHOLDERS.contains(&name) || always_filled(name) {
                    continue;
                }
                let word = before.trim_end().rsplit(' ').next().unwrap_or("").to_lowercase();
                // Function words only: "in a private subnet, …" still reads when the ID is unknown.
                if ![
                    "in", "of", "for", "on", "to", "from", "at", "by", "with", "and", "or", "the",
                ]
                .contains(&word.as_str())
                {
                    continue;
                }
                if let Some(p) = rest.chars().next().filter(|c| ".,;:)".contains(*c)) {
                    if rendered.to_lowercase().contains(&format!(" {word}{p}")) {
                        out.push(format!("\"{word}\" left dangling where {{{name}}} was"));
                    }
                }
            }
        }
        Lang::Ja => {
            for p in ["は", "が", "を", "に", "の", "で", "と", "へ", "から", "より"] {
                let hole = rendered.starts_with(p)
                    || ["、", "。", "(", "「", ": "]
                        .iter()
                        .any(|b| rendered.contains(&format!("{b}{p}")));
                if hole
                    && !template.starts_with(p)
                    && !["、", "。", "(", "「", ": "]
                        .iter()
                        .any(|b| template.contains(&format!("{b}{p}")))
                {
                    out.push(format!("particle \"{p}\" with nothing before it"));
                }
            }
        }
    }
    out
}

/// Problems in one text rendered with the full context.
fn rendered_problems(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in PLACEHOLDERS {
        if text.contains(&format!("{{{p}}}")) {
            out.push(format!("unfilled {{{p}}}"));
        }
    }
    if text.contains("  ") || text.contains("``") || text.contains("()") {
        out.push("a gap where a value should be".into());
    }
    for stand_in in [
        "<cluster>",
        "<クラスター>",
        "<service>",
        "<サービス>",
        "<task-id>",
        "<タスク ID>",
        "<subnet-id>",
        "<サブネット ID>",
        "<region>",
        "<リージョン>",
    ] {
        if text.contains(stand_in) {
            out.push(format!("stand-in {stand_in} where the value is known"));
        }
    }
    // The image is on Docker Hub: ECR's VPC endpoints do not reach it.
    let lower = text.to_lowercase();
    if lower.contains("ecr.api") || lower.contains("ecr.dkr") {
        out.push("ECR VPC-endpoint step for an image on Docker Hub".into());
    }
    out
}

#[test]
fn every_rule_reads_well_in_both_languages_with_empty_and_full_context() {
    let empty = Incident::default();
    let empty_shared = Shared::of(&empty);
    let full = full_incident();
    let full_shared = Shared::of(&full);
    assert!(full.task.is_some(), "the full incident decodes");
    let mut api_error = ApiError::new("CreateService", "InvalidParameterException", Some("bad"));
    api_error.caller = Some("arn:aws:sts::123456789012:assumed-role/ci/deploy".into());
    let failure = ApiFailure {
        action: Some("RunTask".into()),
        arn: Some("arn:aws:ecs:eu-west-1:123456789012:container-instance/prod/0a1b2c".into()),
        reason: "RESOURCE:MEMORY".into(),
        detail: None,
    };
    let container = full.task.as_ref().and_then(|t| t.containers.first());
    let reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:1.27";
    let signals = [
        (
            false,
            Signal {
                field: Field::FreeText,
                path: String::new(),
                text: "",
                norm: String::new(),
                core: String::new(),
                container: None,
                exit_code: None,
                failure: None,
                api_error: None,
                incident: &empty,
                shared: &empty_shared,
            },
        ),
        (
            true,
            Signal {
                field: Field::ContainerReason,
                path: "containers[web].reason".into(),
                text: reason,
                norm: reason.to_lowercase(),
                core: reason.to_lowercase(),
                container,
                exit_code: Some(1),
                failure: Some(&failure),
                api_error: Some(&api_error),
                incident: &full,
                shared: &full_shared,
            },
        ),
    ];
    let mut found = Vec::new();
    for rule in catalog::all_rules() {
        for lang in [Lang::En, Lang::Ja] {
            let t = rule.text(lang);
            let templates = [t.title, t.explanation]
                .into_iter()
                .chain(t.steps.iter().map(|s| split_tag(s).1));
            for template in templates {
                let rendered = fill(template, &signals[0].1, lang);
                for problem in empty_context_holes(template, &rendered, lang) {
                    found.push(format!("{} [{lang:?}, empty]: {problem}\n    {rendered}", rule.id));
                }
            }
            for (full, signal) in &signals {
                for text in render(rule, signal, lang) {
                    // Rendering with nothing known must still fill every placeholder.
                    let problems = if *full {
                        rendered_problems(&text)
                    } else {
                        rendered_problems(&text)
                            .into_iter()
                            .filter(|p| p.starts_with("unfilled"))
                            .collect()
                    };
                    for problem in problems {
                        let context = if *full { "full" } else { "empty" };
                        found.push(format!("{} [{lang:?}, {context}]: {problem}\n    {text}", rule.id));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{} text problems:\n{}", found.len(), found.join("\n"));
}
