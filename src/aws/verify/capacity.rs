//! Reads for the capacity checks: the cluster's ACTIVE container instances and what they have
//! left (`ecs:ListContainerInstances`, `ecs:DescribeContainerInstances`).

use aws_sdk_ecs::types::{ContainerInstanceStatus, Resource};

use super::{unavailable, Ctx};
use crate::diagnose::Lang;
use crate::verify::capacity::{self, Instance, Needs};
use crate::verify::{texts, Check, Unavailable};

const ID: &str = "ecs.container-instance-resources";

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    let subject = texts::category_subject(ctx.finding.category, ctx.lang);
    let Some(cluster) = ctx.incident.cluster.as_deref() else {
        let why = Unavailable::Missing(match ctx.lang {
            Lang::En => "the cluster".into(),
            Lang::Ja => "クラスター".into(),
        });
        return vec![Check::not_checked(ID, subject, &why, ctx.lang)];
    };
    let Some(definition) = ctx.incident.task_definition.as_ref() else {
        let why = Unavailable::Missing(match ctx.lang {
            Lang::En => "the task definition".into(),
            Lang::Ja => "タスク定義".into(),
        });
        return vec![Check::not_checked(ID, subject, &why, ctx.lang)];
    };
    let needs: Needs = capacity::needs(definition);
    match Box::pin(instances(ctx, cluster)).await {
        Ok(found) => capacity::judge(crate::incident::arn_name(cluster), &found, &needs, ctx.lang),
        Err(why) => vec![Check::not_checked(ID, subject, &why, ctx.lang)],
    }
}

fn integer(resources: &[Resource], name: &str) -> i64 {
    resources
        .iter()
        .find(|r| r.name() == Some(name))
        .map(|r| i64::from(r.integer_value()).max(r.long_value()))
        .unwrap_or(0)
}

async fn instances(ctx: &Ctx<'_>, cluster: &str) -> Result<Vec<Instance>, Unavailable> {
    let ecs = ctx.aws.ecs();
    let listed = ecs
        .list_container_instances()
        .cluster(cluster)
        .status(ContainerInstanceStatus::Active)
        .max_results(100)
        .send()
        .await
        .map_err(|e| unavailable(e, "ecs:ListContainerInstances"))?;
    let arns = listed.container_instance_arns().to_vec();
    if arns.is_empty() {
        return Ok(Vec::new());
    }
    let out = ecs
        .describe_container_instances()
        .cluster(cluster)
        .set_container_instances(Some(arns))
        .send()
        .await
        .map_err(|e| unavailable(e, "ecs:DescribeContainerInstances"))?;
    Ok(out
        .container_instances()
        .iter()
        .filter(|i| i.agent_connected())
        .map(|i| {
            let remaining = i.remaining_resources();
            Instance {
                arn: i.container_instance_arn().unwrap_or_default().to_string(),
                ec2_instance_id: i.ec2_instance_id().map(str::to_string),
                cpu: integer(remaining, "CPU"),
                memory: integer(remaining, "MEMORY"),
                ports: remaining
                    .iter()
                    .find(|r| r.name() == Some("PORTS"))
                    .map(|r| r.string_set_value().iter().filter_map(|p| p.parse().ok()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect())
}
