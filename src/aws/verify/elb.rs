//! Reads for the load balancer checks: the service's target groups (`ecs:DescribeServices`,
//! `elbv2:DescribeTargetGroups`) and their targets' health (`elbv2:DescribeTargetHealth`).

use super::{join_all, service};
use super::{unavailable, Ctx};
use crate::diagnose::Lang;
use crate::verify::elb::{self, ElbFacts, TargetGroup, TargetHealth};
use crate::verify::{texts, Check, Unavailable};

const ID: &str = "elbv2.target-health";

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    match Box::pin(gather(ctx)).await {
        Ok(facts) => elb::judge(&facts, ctx.lang),
        Err(why) => vec![Check::not_checked(
            ID,
            texts::category_subject(ctx.finding.category, ctx.lang),
            &why,
            ctx.lang,
        )],
    }
}

/// The EC2 instance a task ran on (instance target groups register instances).
async fn task_instance(ctx: &Ctx<'_>) -> Option<String> {
    let arn = ctx.incident.task.as_ref()?.container_instance_arn.as_deref()?;
    let cluster = ctx.incident.cluster.as_deref()?;
    let out = ctx
        .aws
        .ecs()
        .describe_container_instances()
        .cluster(cluster)
        .container_instances(arn)
        .send()
        .await
        .ok()?;
    out.container_instances().first()?.ec2_instance_id().map(str::to_string)
}

async fn gather(ctx: &Ctx<'_>) -> Result<ElbFacts, Unavailable> {
    let missing = || {
        Unavailable::Missing(match ctx.lang {
            Lang::En => "the task's service".into(),
            Lang::Ja => "タスクのサービス".into(),
        })
    };
    let service = service::describe(ctx).await?.ok_or_else(missing)?;
    let task = ctx.incident.task.as_ref();
    let task_ip = task
        .and_then(|t| t.attachment_detail("privateIPv4Address"))
        .map(str::to_string);
    let lb_container = service.load_balancers.iter().find_map(|(_, c, _)| c.clone());
    let container_ports: Vec<i32> = ctx
        .incident
        .task_definition
        .as_ref()
        .and_then(|d| lb_container.as_deref().and_then(|c| d.container(c)))
        .map(|c| {
            c.port_mappings
                .iter()
                .filter_map(|p| p.container_port)
                .filter_map(|p| i32::try_from(p).ok())
                .collect()
        })
        .unwrap_or_default();
    let mut facts = ElbFacts {
        service: service.name.clone(),
        grace_period: service.grace_period,
        task_ip,
        task_instance: None,
        container_ports,
        groups: Vec::new(),
    };
    if service.load_balancers.is_empty() {
        return Ok(facts);
    }
    let arns: Vec<String> = service.load_balancers.iter().map(|(arn, _, _)| arn.clone()).collect();
    let (groups, instance) = tokio::join!(
        ctx.aws
            .elbv2()
            .describe_target_groups()
            .set_target_group_arns(Some(arns.clone()))
            .send(),
        task_instance(ctx),
    );
    facts.task_instance = instance;
    let groups = groups.map_err(|e| unavailable(e, "elasticloadbalancing:DescribeTargetGroups"))?;
    let healths = futures_join(ctx, &arns).await;
    for (arn, health) in arns.iter().zip(healths) {
        let Some(g) = groups
            .target_groups()
            .iter()
            .find(|g| g.target_group_arn() == Some(arn.as_str()))
        else {
            continue;
        };
        let targets = health?;
        let (_, container_name, container_port) = service
            .load_balancers
            .iter()
            .find(|(a, _, _)| a == arn)
            .cloned()
            .unwrap_or_default();
        facts.groups.push(TargetGroup {
            arn: arn.clone(),
            name: g.target_group_name().unwrap_or_default().to_string(),
            target_type: g
                .target_type()
                .map(|t| t.as_str().to_string())
                .unwrap_or_else(|| "instance".into()),
            protocol: g.health_check_protocol().map(|p| p.as_str().to_string()),
            health_check_port: g.health_check_port().unwrap_or("traffic-port").to_string(),
            health_check_path: g.health_check_path().map(str::to_string),
            matcher: g
                .matcher()
                .and_then(|m| m.http_code().or(m.grpc_code()))
                .map(str::to_string),
            interval: g.health_check_interval_seconds(),
            timeout: g.health_check_timeout_seconds(),
            healthy_threshold: g.healthy_threshold_count(),
            unhealthy_threshold: g.unhealthy_threshold_count(),
            container_name,
            container_port,
            targets,
        });
    }
    Ok(facts)
}

/// `DescribeTargetHealth` of every group, concurrently.
async fn futures_join(ctx: &Ctx<'_>, arns: &[String]) -> Vec<Result<Vec<TargetHealth>, Unavailable>> {
    let calls = arns.iter().map(|arn| async move {
        let out = ctx
            .aws
            .elbv2()
            .describe_target_health()
            .target_group_arn(arn)
            .send()
            .await
            .map_err(|e| unavailable(e, "elasticloadbalancing:DescribeTargetHealth"))?;
        Ok(out
            .target_health_descriptions()
            .iter()
            .map(|d| TargetHealth {
                id: d.target().and_then(|t| t.id()).unwrap_or_default().to_string(),
                port: d.target().and_then(|t| t.port()),
                state: d
                    .target_health()
                    .and_then(|h| h.state())
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
                reason: d
                    .target_health()
                    .and_then(|h| h.reason())
                    .map(|r| r.as_str().to_string()),
                description: d.target_health().and_then(|h| h.description()).map(str::to_string),
            })
            .collect())
    });
    join_all(calls).await
}
