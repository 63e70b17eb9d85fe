//! Load balancer health checks of a service's tasks: what the target group said about the
//! task's target (reason code and description), and whether the health check even looks at
//! the port the container listens on.

use crate::diagnose::{Lang, Tr};
use crate::verify::{Check, CheckStatus};

/// One target as `DescribeTargetHealth` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetHealth {
    pub id: String,
    pub port: Option<i32>,
    /// `healthy`, `unhealthy`, `initial`, `draining`, `unused`, `unavailable`.
    pub state: String,
    /// `Target.Timeout`, `Target.ResponseCodeMismatch`, …
    pub reason: Option<String>,
    pub description: Option<String>,
}

/// A target group of the service, with its health check and targets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetGroup {
    pub arn: String,
    pub name: String,
    /// `ip` or `instance`.
    pub target_type: String,
    pub protocol: Option<String>,
    /// `traffic-port` or a number.
    pub health_check_port: String,
    pub health_check_path: Option<String>,
    pub matcher: Option<String>,
    pub interval: Option<i32>,
    pub timeout: Option<i32>,
    pub healthy_threshold: Option<i32>,
    pub unhealthy_threshold: Option<i32>,
    /// The container and port the service registers (its `loadBalancers` entry).
    pub container_name: Option<String>,
    pub container_port: Option<i32>,
    pub targets: Vec<TargetHealth>,
}

impl TargetGroup {
    fn health_check(&self) -> String {
        format!(
            "{} {} port {} matcher {}",
            self.protocol.as_deref().unwrap_or("HTTP"),
            self.health_check_path.as_deref().unwrap_or("/"),
            self.health_check_port,
            self.matcher.as_deref().unwrap_or("200")
        )
    }

    fn thresholds(&self) -> String {
        let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_else(|| "?".into());
        format!(
            "interval {} s, timeout {} s, healthy {}, unhealthy {}",
            n(self.interval),
            n(self.timeout),
            n(self.healthy_threshold),
            n(self.unhealthy_threshold)
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElbFacts {
    pub service: String,
    pub grace_period: Option<i32>,
    /// The task's private IP (awsvpc: the target id of an `ip` target group).
    pub task_ip: Option<String>,
    /// The task's EC2 instance (the target id of an `instance` target group).
    pub task_instance: Option<String>,
    /// Container ports the task definition maps for the load-balanced container.
    pub container_ports: Vec<i32>,
    pub groups: Vec<TargetGroup>,
}

const CONFIG_ID: &str = "elbv2.health-check-port";
const HEALTH_ID: &str = "elbv2.target-health";

/// Steps a healthy target disproves: the load balancer reaches it and the check passes.
const HEALTHY: &[&str] = &[
    "inbound rule from the load balancer",
    "ロードバランサーのセキュリティグループから",
    "health check path, port and success codes",
    "ヘルスチェックのパス、ポート、成功コード",
];

pub fn judge(facts: &ElbFacts, lang: Lang) -> Vec<Check> {
    if facts.groups.is_empty() {
        let summary = Tr {
            en: "Service {facts_service} has no load balancer target group, so no load balancer health check stopped the task.",
            ja: "サービス {facts_service} にはロードバランサーのターゲットグループがないため、ロードバランサーのヘルスチェックがタスクを停止したのではありません。",
        }.fill(lang, &[("facts_service", &facts.service)]);
        return vec![Check::absent(HEALTH_ID, summary).fact("service", &facts.service)];
    }
    let mut checks = Vec::new();
    for group in &facts.groups {
        if let Some(check) = port_mismatch(facts, group, lang) {
            checks.push(check);
        }
        checks.push(target_health(facts, group, lang));
    }
    checks
}

/// An `ip` target group whose numeric health-check port is not a port the container maps.
fn port_mismatch(facts: &ElbFacts, group: &TargetGroup, lang: Lang) -> Option<Check> {
    if !group.target_type.eq_ignore_ascii_case("ip") {
        return None;
    }
    let port: i32 = group.health_check_port.parse().ok()?;
    let listens: Vec<i32> = if facts.container_ports.is_empty() {
        group.container_port.into_iter().collect()
    } else {
        facts.container_ports.clone()
    };
    if listens.is_empty() || listens.contains(&port) {
        return None;
    }
    let container = group.container_name.as_deref().unwrap_or("?");
    let ports: Vec<String> = listens.iter().map(|p| p.to_string()).collect();
    let traffic = group.container_port.or(listens.first().copied()).unwrap_or_default();
    let (summary, step) = match lang {
        Lang::En => (
            format!(
                "Target group {} health-checks port {port}, but container `{container}` listens on {}.",
                group.name,
                ports.join(", ")
            ),
            format!("Set the health check port of target group {} to `traffic-port` (or {traffic}).", group.name),
        ),
        Lang::Ja => (
            format!(
                "ターゲットグループ {} はポート {port} をヘルスチェックしていますが、コンテナ `{container}` が待ち受けているのは {} です。",
                group.name,
                ports.join("、")
            ),
            format!("ターゲットグループ {} のヘルスチェックポートを `traffic-port` (または {traffic}) にしてください。", group.name),
        ),
    };
    Some(
        Check::found(CONFIG_ID, summary)
            .fact("targetGroup", &group.name)
            .fact("healthCheckPort", port.to_string())
            .fact("containerPort", ports.join(", "))
            .lead(step),
    )
}

fn target_health(facts: &ElbFacts, group: &TargetGroup, lang: Lang) -> Check {
    let own = group
        .targets
        .iter()
        .find(|t| Some(&t.id) == facts.task_ip.as_ref() || Some(&t.id) == facts.task_instance.as_ref());
    let with_config = |c: Check| {
        let c = c
            .fact("targetGroup", &group.name)
            .fact("healthCheck", group.health_check())
            .fact("thresholds", group.thresholds());
        match facts.grace_period {
            Some(g) => c.fact("gracePeriod", format!("{g} s")),
            None => c,
        }
    };
    let unhealthy = |t: &TargetHealth| t.state == "unhealthy";
    if let Some(t) = own.filter(|t| unhealthy(t)) {
        let target = target_name(t);
        let reason = t.reason.as_deref().unwrap_or("-");
        let description = t.description.as_deref().unwrap_or("");
        let summary = Tr {
            en: "Target {target} of the task is unhealthy in {group_name}: {reason} ({description}).",
            ja: "タスクのターゲット {target} は {group_name} で異常です: {reason} ({description})。",
        }
        .fill(
            lang,
            &[
                ("target", &target.to_string()),
                ("group_name", &group.name),
                ("reason", reason),
                ("description", description),
            ],
        );
        return with_config(
            Check::found(HEALTH_ID, summary)
                .fact("target", target)
                .fact("reason", reason),
        )
        .lead(step_for(group, reason, description, facts.grace_period, lang));
    }
    if let Some(t) = own.filter(|t| t.state == "healthy") {
        let summary = Tr {
            en: "Target {target_name_t} of the task is healthy in {group_name}; the load balancer health check passes.",
            ja: "タスクのターゲット {target_name_t} は {group_name} で正常です。ロードバランサーのヘルスチェックは成功しています。",
        }.fill(lang, &[("target_name_t", &(target_name(t)).to_string()), ("group_name", &group.name)]);
        return with_config(Check::absent(HEALTH_ID, summary)).disproving(HEALTHY);
    }
    // The task's target is gone (a stopped task is deregistered): its siblings tell whether
    // the health check fails for every task of the service.
    let others: Vec<&TargetHealth> = group.targets.iter().filter(|t| !is_own(facts, t)).collect();
    let sick: Vec<&&TargetHealth> = others.iter().filter(|t| unhealthy(t)).collect();
    let state = own.map(|t| t.state.clone()).unwrap_or_else(|| "not registered".into());
    if let Some(first) = sick.first() {
        let reason = first.reason.as_deref().unwrap_or("-");
        let description = first.description.as_deref().unwrap_or("");
        let summary = Tr {
            en: "The task's target is {state} now, but {sick_len} of {others_len} other targets in {group_name} are unhealthy: {reason} ({description}).",
            ja: "タスクのターゲットは現在 {state} ですが、{group_name} の他のターゲット {others_len} 件中 {sick_len} 件が異常です: {reason} ({description})。",
        }.fill(lang, &[("state", &state.to_string()), ("sick_len", &(sick.len()).to_string()), ("others_len", &(others.len()).to_string()), ("group_name", &group.name), ("reason", reason), ("description", description)]);
        return with_config(
            Check::found(HEALTH_ID, summary)
                .fact("target", target_name(first))
                .fact("reason", reason),
        )
        .lead(step_for(group, reason, description, facts.grace_period, lang));
    }
    let summary = Tr {
        en: "The task's target is {state} in {group_name}, so its health can no longer be read; {others_len} other target(s) are not unhealthy.",
        ja: "タスクのターゲットは {group_name} で {state} のため、ヘルス状態はもう読めません。他のターゲット {others_len} 件は異常ではありません。",
    }.fill(lang, &[("state", &state.to_string()), ("group_name", &group.name), ("others_len", &(others.len()).to_string())]);
    with_config(Check::new(HEALTH_ID, CheckStatus::NotChecked, summary))
}

fn is_own(facts: &ElbFacts, t: &TargetHealth) -> bool {
    Some(&t.id) == facts.task_ip.as_ref() || Some(&t.id) == facts.task_instance.as_ref()
}

fn target_name(t: &TargetHealth) -> String {
    match t.port {
        Some(p) => format!("{}:{p}", t.id),
        None => t.id.clone(),
    }
}

/// The step that acts on a reason code, naming the group's real settings.
fn step_for(group: &TargetGroup, reason: &str, description: &str, grace: Option<i32>, lang: Lang) -> String {
    let path = group.health_check_path.as_deref().unwrap_or("/");
    let matcher = group.matcher.as_deref().unwrap_or("200");
    let name = &group.name;
    let port = match group.health_check_port.as_str() {
        "traffic-port" => group
            .container_port
            .map(|p| p.to_string())
            .unwrap_or_else(|| "traffic-port".into()),
        p => p.to_string(),
    };
    let grace = grace.unwrap_or(0);
    match (reason, lang) {
        ("Target.ResponseCodeMismatch", Lang::En) => format!(
            "Make `{path}` answer with {matcher}, or set the matcher of target group {name} to the code the application returns ({description})."
        ),
        ("Target.ResponseCodeMismatch", Lang::Ja) => format!(
            "`{path}` が {matcher} を返すようにするか、ターゲットグループ {name} のマッチャーをアプリケーションが返すコードに合わせてください ({description})。"
        ),
        ("Target.Timeout", Lang::En) => format!(
            "Let the load balancer's security group in on port {port} of the task's security group, and make `{path}` answer within the {}-second timeout of target group {name}.",
            group.timeout.unwrap_or(5)
        ),
        ("Target.Timeout", Lang::Ja) => format!(
            "タスクのセキュリティグループでロードバランサーのセキュリティグループからのポート {port} を許可し、`{path}` がターゲットグループ {name} のタイムアウト {} 秒以内に応答するようにしてください。",
            group.timeout.unwrap_or(5)
        ),
        (_, Lang::En) => format!(
            "Check that the application answers `{path}` on port {port} with {matcher} once started, and give it time to start: the service's `healthCheckGracePeriodSeconds` is {grace} s."
        ),
        (_, Lang::Ja) => format!(
            "アプリケーションが起動後にポート {port} の `{path}` に {matcher} で応答するか確認し、起動に必要な時間を与えてください。サービスの `healthCheckGracePeriodSeconds` は {grace} 秒です。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(port: &str, targets: Vec<TargetHealth>) -> TargetGroup {
        TargetGroup {
            arn: "arn:tg".into(),
            name: "web-tg".into(),
            target_type: "ip".into(),
            protocol: Some("HTTP".into()),
            health_check_port: port.into(),
            health_check_path: Some("/health".into()),
            matcher: Some("200".into()),
            interval: Some(30),
            timeout: Some(5),
            healthy_threshold: Some(5),
            unhealthy_threshold: Some(2),
            container_name: Some("app".into()),
            container_port: Some(8080),
            targets,
        }
    }

    fn target(id: &str, state: &str, reason: Option<&str>, description: Option<&str>) -> TargetHealth {
        TargetHealth {
            id: id.into(),
            port: Some(8080),
            state: state.into(),
            reason: reason.map(str::to_string),
            description: description.map(str::to_string),
        }
    }

    fn facts(groups: Vec<TargetGroup>) -> ElbFacts {
        ElbFacts {
            service: "web".into(),
            grace_period: Some(0),
            task_ip: Some("10.0.1.5".into()),
            task_instance: None,
            container_ports: vec![8080],
            groups,
        }
    }

    #[test]
    fn a_wrong_health_check_port_is_confirmed() {
        let checks = judge(&facts(vec![group("8081", vec![])]), Lang::En);
        assert_eq!(checks[0].id, CONFIG_ID);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert_eq!(
            checks[0].summary,
            "Target group web-tg health-checks port 8081, but container `app` listens on 8080."
        );
        assert_eq!(
            checks[0].lead_step.as_deref(),
            Some("Set the health check port of target group web-tg to `traffic-port` (or 8080).")
        );
        assert!(judge(&facts(vec![group("8080", vec![])]), Lang::En)
            .iter()
            .all(|c| c.id != CONFIG_ID));
        assert!(judge(&facts(vec![group("traffic-port", vec![])]), Lang::En)
            .iter()
            .all(|c| c.id != CONFIG_ID));
    }

    #[test]
    fn the_tasks_unhealthy_target_names_its_reason() {
        let g = group(
            "traffic-port",
            vec![target(
                "10.0.1.5",
                "unhealthy",
                Some("Target.ResponseCodeMismatch"),
                Some("Health checks failed with these codes: [404]"),
            )],
        );
        let checks = judge(&facts(vec![g]), Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert_eq!(
            checks[0].summary,
            "Target 10.0.1.5:8080 of the task is unhealthy in web-tg: Target.ResponseCodeMismatch (Health checks failed with these codes: [404])."
        );
        assert!(checks[0]
            .lead_step
            .as_deref()
            .is_some_and(|s| s.contains("Make `/health` answer with 200")));
        assert!(checks[0].facts.contains(&("gracePeriod".into(), "0 s".into())));
    }

    #[test]
    fn siblings_speak_for_a_deregistered_target() {
        let g = group(
            "traffic-port",
            vec![target(
                "10.0.2.9",
                "unhealthy",
                Some("Target.Timeout"),
                Some("Request timed out"),
            )],
        );
        let checks = judge(&facts(vec![g]), Lang::Ja);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert!(
            checks[0].summary.contains("1 件中 1 件が異常です: Target.Timeout"),
            "{}",
            checks[0].summary
        );
        assert!(checks[0]
            .lead_step
            .as_deref()
            .is_some_and(|s| s.contains("タイムアウト 5 秒")));
        let g = group("traffic-port", vec![target("10.0.2.9", "healthy", None, None)]);
        assert_eq!(judge(&facts(vec![g]), Lang::En)[0].status, CheckStatus::NotChecked);
    }

    #[test]
    fn a_healthy_target_rules_the_health_check_out() {
        let g = group("traffic-port", vec![target("10.0.1.5", "healthy", None, None)]);
        let checks = judge(&facts(vec![g]), Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Absent);
        assert_eq!(checks[0].disproves, HEALTHY);
        assert_eq!(judge(&facts(vec![]), Lang::En)[0].status, CheckStatus::Absent);
    }
}
