//! Reads for the EFS checks: the volume's mount targets and their security groups, the access
//! point and the file-system policy (`elasticfilesystem:Describe*`), and the task's side
//! (subnet, zone, security groups) from `ec2:Describe*`.

use super::join_all;
use super::network::{security_groups, subnets, task_network};
use super::{error_code, unavailable, Ctx};
use crate::diagnose::Lang;
use crate::incident::EfsVolume;
use crate::verify::efs::{self, AccessPoint, EfsFacts, MountTarget};
use crate::verify::{texts, Check, Unavailable};

const ID: &str = "efs.mount-target";

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    let subject = texts::category_subject(ctx.finding.category, ctx.lang);
    let Some(volume) = volume(ctx) else {
        let why = Unavailable::Missing(match ctx.lang {
            Lang::En => "an EFS volume in the task definition".into(),
            Lang::Ja => "タスク定義の EFS ボリューム".into(),
        });
        return vec![Check::not_checked(ID, subject, &why, ctx.lang)];
    };
    match Box::pin(gather(ctx, volume)).await {
        Ok(facts) => efs::judge(&facts, ctx.lang),
        Err(why) => vec![Check::not_checked(ID, subject, &why, ctx.lang)],
    }
}

/// The task definition's EFS volume (the first one; tasks rarely mount more than one).
fn volume<'a>(ctx: &'a Ctx<'_>) -> Option<&'a EfsVolume> {
    ctx.incident
        .task_definition
        .as_ref()?
        .volumes
        .iter()
        .find_map(|v| v.efs.as_ref())
}

async fn gather(ctx: &Ctx<'_>, volume: &EfsVolume) -> Result<EfsFacts, Unavailable> {
    let fs = volume.file_system_id.as_str();
    let efs = ctx.aws.efs();
    let iam = volume.iam.as_deref().is_some_and(|v| v.eq_ignore_ascii_case("ENABLED"));
    let (targets, task, access_point, policy) = tokio::join!(
        efs.describe_mount_targets().file_system_id(fs).send(),
        task_network(ctx),
        async {
            let id = volume.access_point_id.as_deref()?;
            Some(match efs.describe_access_points().access_point_id(id).send().await {
                Ok(out) => Ok(AccessPoint {
                    id: id.to_string(),
                    file_system_id: out
                        .access_points()
                        .first()
                        .and_then(|a| a.file_system_id())
                        .map(str::to_string),
                }),
                Err(e) if error_code(&e) == Some("AccessPointNotFound") => Ok(AccessPoint {
                    id: id.to_string(),
                    file_system_id: None,
                }),
                Err(e) => Err(unavailable(e, "elasticfilesystem:DescribeAccessPoints")),
            })
        },
        async {
            if !iam {
                return None;
            }
            match efs.describe_file_system_policy().file_system_id(fs).send().await {
                Ok(_) => Some(true),
                Err(e) if error_code(&e) == Some("PolicyNotFound") => Some(false),
                Err(_) => None,
            }
        },
    );
    let targets = match targets {
        Ok(out) => out.mount_targets().to_vec(),
        Err(e) if error_code(&e) == Some("FileSystemNotFound") => {
            return Ok(EfsFacts {
                file_system_id: fs.to_string(),
                file_system_exists: false,
                ..EfsFacts::default()
            })
        }
        Err(e) => return Err(unavailable(e, "elasticfilesystem:DescribeMountTargets")),
    };
    let access_point = access_point.transpose()?;
    // The task's side: without it the zone may still come from the task itself.
    let task = task.ok();
    let subnet = match &task {
        Some(t) => subnets(ctx.aws, std::slice::from_ref(&t.subnet))
            .await
            .ok()
            .and_then(|s| s.into_iter().next()),
        None => None,
    };
    let task_zone = ctx
        .incident
        .task
        .as_ref()
        .and_then(|t| t.availability_zone.clone())
        .or_else(|| subnet.as_ref().and_then(|s| s.zone.clone()));
    let groups_of = targets.iter().map(|m| m.mount_target_id()).map(|id| async move {
        efs.describe_mount_target_security_groups()
            .mount_target_id(id)
            .send()
            .await
            .map(|out| out.security_groups().to_vec())
            .map_err(|e| unavailable(e, "elasticfilesystem:DescribeMountTargetSecurityGroups"))
    });
    // Only the mount target in the task's zone matters; ask for the others' groups too, so
    // one round covers whichever one matches.
    let mut mount_targets = Vec::new();
    for (m, groups) in targets.iter().zip(join_all(groups_of).await) {
        mount_targets.push(MountTarget {
            id: m.mount_target_id().to_string(),
            subnet_id: m.subnet_id().to_string(),
            zone: m.availability_zone_name().map(str::to_string),
            state: m.life_cycle_state().as_str().to_string(),
            security_groups: groups?,
        });
    }
    let mut ids: Vec<String> = mount_targets
        .iter()
        .flat_map(|m| m.security_groups.iter().cloned())
        .collect();
    ids.sort();
    ids.dedup();
    let mount_target_groups = security_groups(ctx.aws, &ids).await?;
    Ok(EfsFacts {
        file_system_id: fs.to_string(),
        file_system_exists: true,
        task_subnet: task.as_ref().map(|t| t.subnet.clone()),
        task_zone,
        task_subnet_cidr: subnet.and_then(|s| s.cidr),
        task_groups: task.and_then(|t| t.groups),
        mount_targets,
        mount_target_groups,
        access_point,
        iam,
        policy,
    })
}
