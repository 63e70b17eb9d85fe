//! `ecs:DescribeServices` for the checks that need the service's own settings: its network
//! configuration (when the task's interface is gone), load balancers and grace period.

use super::{unavailable, Ctx};
use crate::aws::clients::AccountClients;
use crate::verify::Unavailable;

/// What the checks use of a service.
#[derive(Debug, Clone, Default)]
pub(crate) struct ServiceFacts {
    pub name: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: Option<bool>,
    /// (target group ARN, container name, container port).
    pub load_balancers: Vec<(String, Option<String>, Option<i32>)>,
    pub grace_period: Option<i32>,
}

/// The service the incident names (the task's `service:` group, or the service event's ARN).
pub(crate) fn service_name<'a>(ctx: &'a Ctx<'_>) -> Option<&'a str> {
    ctx.incident
        .task
        .as_ref()
        .and_then(|t| t.service_name())
        .or_else(|| ctx.incident.service_event.as_ref().and_then(|e| e.service_name()))
}

/// The incident's service; `Ok(None)` when the incident names none or ECS no longer has it.
pub(crate) async fn describe(ctx: &Ctx<'_>) -> Result<Option<ServiceFacts>, Unavailable> {
    let (Some(name), Some(cluster)) = (service_name(ctx), ctx.incident.cluster.as_deref()) else {
        return Ok(None);
    };
    describe_service(ctx.aws, cluster, name).await
}

/// `name` in `cluster`; `Ok(None)` when ECS does not have it.
pub(crate) async fn describe_service(
    aws: &AccountClients,
    cluster: &str,
    name: &str,
) -> Result<Option<ServiceFacts>, Unavailable> {
    let out = aws
        .ecs()
        .describe_services()
        .cluster(cluster)
        .services(name)
        .send()
        .await
        .map_err(|e| unavailable(e, "ecs:DescribeServices"))?;
    let Some(service) = out.services().first() else {
        return Ok(None);
    };
    let vpc = service.network_configuration().and_then(|n| n.awsvpc_configuration());
    Ok(Some(ServiceFacts {
        name: name.to_string(),
        subnets: vpc.map(|v| v.subnets().to_vec()).unwrap_or_default(),
        security_groups: vpc.map(|v| v.security_groups().to_vec()).unwrap_or_default(),
        assign_public_ip: vpc
            .and_then(|v| v.assign_public_ip())
            .map(|a| a.as_str().eq_ignore_ascii_case("ENABLED")),
        load_balancers: service
            .load_balancers()
            .iter()
            .filter_map(|lb| {
                Some((
                    lb.target_group_arn()?.to_string(),
                    lb.container_name().map(str::to_string),
                    lb.container_port(),
                ))
            })
            .collect(),
        grace_period: service.health_check_grace_period_seconds(),
    }))
}
