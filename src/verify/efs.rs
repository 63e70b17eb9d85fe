//! EFS volumes: a mount target in the task's Availability Zone, NFS (2049) open from the
//! task's security groups, the access point, and the file-system policy when IAM is on.

use crate::diagnose::{Lang, Tr};
use crate::verify::network::{overlaps, Peer, SecurityGroup};
use crate::verify::{Check, CheckStatus};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MountTarget {
    pub id: String,
    pub subnet_id: String,
    pub zone: Option<String>,
    pub state: String,
    pub security_groups: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessPoint {
    pub id: String,
    /// `None`: it does not exist.
    pub file_system_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EfsFacts {
    pub file_system_id: String,
    pub file_system_exists: bool,
    pub task_subnet: Option<String>,
    pub task_zone: Option<String>,
    pub task_subnet_cidr: Option<String>,
    /// The task's security groups; `None` when nothing names them any more.
    pub task_groups: Option<Vec<String>>,
    pub mount_targets: Vec<MountTarget>,
    pub mount_target_groups: Vec<SecurityGroup>,
    pub access_point: Option<AccessPoint>,
    /// IAM authorisation is on for the volume.
    pub iam: bool,
    /// A file-system policy exists (`None`: not read).
    pub policy: Option<bool>,
}

const FS_ID: &str = "efs.file-system";
const MT_ID: &str = "efs.mount-target";
const SG_ID: &str = "efs.security-group";
const AP_ID: &str = "efs.access-point";
const POLICY_ID: &str = "efs.file-system-policy";

const MOUNT_TARGET_PRESENT: &[&str] = &[
    "create a mount target for the file system",
    "マウントターゲットを作成してください",
    "check that a mount target exists in the task's availability zone",
    "タスクのアベイラビリティーゾーンにマウントターゲットがあり",
];
const NFS_OPEN: &[&str] = &[
    "allow inbound tcp 2049",
    "インバウンド tcp 2049 (nfs) を許可",
    "allows inbound tcp 2049 from the task",
    "タスクからのインバウンド tcp 2049",
];
const ACCESS_POINT_OK: &[&str] = &["`accessPointId` exists and belongs to", "`accessPointId` が存在し"];

pub fn judge(facts: &EfsFacts, lang: Lang) -> Vec<Check> {
    let fs = &facts.file_system_id;
    if !facts.file_system_exists {
        let (summary, step) = match lang {
            Lang::En => (
                format!("File system {fs} does not exist in this account and Region."),
                format!("Point `fileSystemId` of the volume at an existing file system (not {fs}), or create it."),
            ),
            Lang::Ja => (
                format!("ファイルシステム {fs} はこのアカウント・リージョンに存在しません。"),
                format!(
                    "ボリュームの `fileSystemId` を存在するファイルシステム ({fs} 以外) に向けるか、作成してください。"
                ),
            ),
        };
        return vec![Check::found(FS_ID, summary).fact("fileSystem", fs).lead(step)];
    }
    let mut checks = Vec::new();
    let here = facts.mount_targets.iter().find(|m| {
        (facts.task_zone.is_some() && m.zone == facts.task_zone) || facts.task_subnet.as_ref() == Some(&m.subnet_id)
    });
    let zones: Vec<String> = facts
        .mount_targets
        .iter()
        .map(|m| format!("{} ({})", m.zone.as_deref().unwrap_or("?"), m.subnet_id))
        .collect();
    let zones = if zones.is_empty() {
        "none".to_string()
    } else {
        zones.join(", ")
    };
    let zone = facts.task_zone.as_deref().unwrap_or("?");
    let subnet = facts.task_subnet.as_deref().unwrap_or("?");
    match here {
        Some(m) if m.state == "available" => {
            let summary = Tr {
                en: "File system {fs} has mount target {m_id} in the task's zone {zone}.",
                ja: "ファイルシステム {fs} にはタスクのゾーン {zone} のマウントターゲット {m_id} があります。",
            }
            .fill(lang, &[("fs", &fs.to_string()), ("m_id", &m.id), ("zone", zone)]);
            checks.push(
                Check::absent(MT_ID, summary)
                    .fact("fileSystem", fs)
                    .fact("mountTargets", &zones)
                    .disproving(MOUNT_TARGET_PRESENT),
            );
        }
        Some(m) => {
            let summary = Tr {
                en: "Mount target {m_id} of {fs} in zone {zone} is `{m_state}`, not `available`.",
                ja: "ゾーン {zone} にある {fs} のマウントターゲット {m_id} の状態は `available` ではなく `{m_state}` です。",
            }.fill(lang, &[("m_id", &m.id), ("fs", &fs.to_string()), ("zone", zone), ("m_state", &m.state)]);
            checks.push(
                Check::found(MT_ID, summary)
                    .fact("fileSystem", fs)
                    .fact("mountTargets", &zones),
            );
        }
        None if facts.task_zone.is_none() && facts.task_subnet.is_none() => {
            let summary = Tr {
                en: "The task's zone is not known, so the mount targets of {fs} ({zones}) could not be matched to it.",
                ja: "タスクのゾーンが分からないため、{fs} のマウントターゲット ({zones}) と照合できませんでした。",
            }
            .fill(lang, &[("fs", &fs.to_string()), ("zones", &zones.to_string())]);
            checks.push(Check::new(MT_ID, CheckStatus::NotChecked, summary).fact("fileSystem", fs));
        }
        None => {
            let (summary, step) = match lang {
                Lang::En => (
                    format!("File system {fs} has no mount target in the task's zone {zone} (subnet {subnet}); mount targets: {zones}."),
                    format!("Create a mount target for {fs} in subnet {subnet} ({zone}): `aws efs create-mount-target --file-system-id {fs} --subnet-id {subnet}`."),
                ),
                Lang::Ja => (
                    format!("ファイルシステム {fs} にはタスクのゾーン {zone} (サブネット {subnet}) のマウントターゲットがありません。マウントターゲット: {zones}。"),
                    format!("サブネット {subnet} ({zone}) に {fs} のマウントターゲットを作成してください: `aws efs create-mount-target --file-system-id {fs} --subnet-id {subnet}`。"),
                ),
            };
            checks.push(
                Check::found(MT_ID, summary)
                    .fact("fileSystem", fs)
                    .fact("taskZone", zone)
                    .fact("mountTargets", &zones)
                    .lead(step),
            );
        }
    }
    if let Some(m) = here {
        checks.push(nfs_open(facts, m, lang));
    }
    if let Some(ap) = &facts.access_point {
        checks.push(access_point(fs, ap, lang));
    }
    if facts.iam {
        if let Some(present) = facts.policy {
            checks.push(policy(fs, present, lang));
        }
    }
    checks
}

fn nfs_open(facts: &EfsFacts, m: &MountTarget, lang: Lang) -> Check {
    let groups: Vec<&SecurityGroup> = facts
        .mount_target_groups
        .iter()
        .filter(|g| m.security_groups.contains(&g.id))
        .collect();
    let task_groups = facts.task_groups.as_deref().unwrap_or_default();
    let open = groups
        .iter()
        .flat_map(|g| g.ingress.iter())
        .filter(|p| p.covers(2049))
        .find_map(|p| {
            p.peers.iter().find(|peer| match peer {
                Peer::Cidr(c) => c == "0.0.0.0/0" || facts.task_subnet_cidr.as_deref().is_some_and(|s| overlaps(c, s)),
                Peer::Group(g) => task_groups.contains(g),
                Peer::PrefixList(_) => false,
            })
        });
    let mt_groups = m.security_groups.join(", ");
    let task = if task_groups.is_empty() {
        "?".to_string()
    } else {
        task_groups.join(", ")
    };
    let with = |c: Check| {
        c.fact("mountTarget", &m.id)
            .fact("mountTargetGroups", &mt_groups)
            .fact("taskGroups", &task)
    };
    if let Some(peer) = open {
        let from = match peer {
            Peer::Cidr(c) | Peer::Group(c) | Peer::PrefixList(c) => c.clone(),
        };
        let summary = Tr {
            en: "The security groups of mount target {m_id} allow NFS (2049) from {from}, which covers the task.",
            ja: "マウントターゲット {m_id} のセキュリティグループは {from} からの NFS (2049) を許可しており、タスクも含まれます。",
        }.fill(lang, &[("m_id", &m.id), ("from", &from.to_string())]);
        return with(Check::absent(SG_ID, summary)).disproving(NFS_OPEN);
    }
    if facts.task_groups.is_none() {
        let summary = Tr {
            en: "The task's security groups are no longer known, and mount target {m_id} allows 2049 from no address range of the task's subnet.",
            ja: "タスクのセキュリティグループはもう分からず、マウントターゲット {m_id} はタスクのサブネットのアドレス範囲からの 2049 を許可していません。",
        }.fill(lang, &[("m_id", &m.id)]);
        return with(Check::new(SG_ID, CheckStatus::NotChecked, summary));
    }
    let (summary, step) = match lang {
        Lang::En => (
            format!("The security groups of mount target {} ({mt_groups}) allow no NFS (2049) from the task's security groups ({task}).", m.id),
            format!("Allow inbound TCP 2049 on {mt_groups} from the task's security group {task}."),
        ),
        Lang::Ja => (
            format!("マウントターゲット {} のセキュリティグループ ({mt_groups}) は、タスクのセキュリティグループ ({task}) からの NFS (2049) を許可していません。", m.id),
            format!("{mt_groups} で、タスクのセキュリティグループ {task} からのインバウンド TCP 2049 を許可してください。"),
        ),
    };
    with(Check::found(SG_ID, summary)).lead(step)
}

fn access_point(fs: &str, ap: &AccessPoint, lang: Lang) -> Check {
    let id = &ap.id;
    match ap.file_system_id.as_deref() {
        None => {
            let (summary, step) = match lang {
                Lang::En => (
                    format!("Access point {id} does not exist."),
                    format!("Create an access point on {fs} and put its id in `accessPointId` (not {id})."),
                ),
                Lang::Ja => (
                    format!("アクセスポイント {id} は存在しません。"),
                    format!("{fs} にアクセスポイントを作成し、その ID を `accessPointId` に指定してください ({id} ではなく)。"),
                ),
            };
            Check::found(AP_ID, summary).fact("accessPoint", id).lead(step)
        }
        Some(other) if other != fs => {
            let (summary, step) = match lang {
                Lang::En => (
                    format!("Access point {id} belongs to file system {other}, not {fs}."),
                    format!("Use an access point of {fs}, or set `fileSystemId` to {other}."),
                ),
                Lang::Ja => (
                    format!("アクセスポイント {id} はファイルシステム {fs} ではなく {other} のものです。"),
                    format!("{fs} のアクセスポイントを使うか、`fileSystemId` を {other} にしてください。"),
                ),
            };
            Check::found(AP_ID, summary)
                .fact("accessPoint", id)
                .fact("accessPointFileSystem", other)
                .lead(step)
        }
        Some(_) => {
            let summary = Tr {
                en: "Access point {id} exists and belongs to {fs}.",
                ja: "アクセスポイント {id} は存在し、{fs} のものです。",
            }
            .fill(lang, &[("id", &id.to_string()), ("fs", fs)]);
            Check::absent(AP_ID, summary)
                .fact("accessPoint", id)
                .disproving(ACCESS_POINT_OK)
        }
    }
}

fn policy(fs: &str, present: bool, lang: Lang) -> Check {
    if present {
        let summary = Tr {
            en: "File system {fs} has a file-system policy; whether it allows the task role is not evaluated here.",
            ja: "ファイルシステム {fs} にはファイルシステムポリシーがあります。タスクロールを許可しているかはここでは評価していません。",
        }.fill(lang, &[("fs", fs)]);
        Check::new(POLICY_ID, CheckStatus::NotChecked, summary).fact("policy", "present")
    } else {
        let summary = Tr {
            en: "File system {fs} has no file-system policy, so EFS lets any client that can connect mount it; IAM authorisation is not what failed.",
            ja: "ファイルシステム {fs} にはファイルシステムポリシーがないため、接続できるクライアントはすべてマウントできます。IAM 認可が失敗の原因ではありません。",
        }.fill(lang, &[("fs", fs)]);
        Check::absent(POLICY_ID, summary).fact("policy", "none")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::network::Permission;

    fn facts() -> EfsFacts {
        EfsFacts {
            file_system_id: "fs-1".into(),
            file_system_exists: true,
            task_subnet: Some("subnet-a".into()),
            task_zone: Some("us-east-1a".into()),
            task_subnet_cidr: Some("10.0.1.0/24".into()),
            task_groups: Some(vec!["sg-task".into()]),
            mount_targets: vec![MountTarget {
                id: "fsmt-a".into(),
                subnet_id: "subnet-a".into(),
                zone: Some("us-east-1a".into()),
                state: "available".into(),
                security_groups: vec!["sg-efs".into()],
            }],
            mount_target_groups: vec![SecurityGroup {
                id: "sg-efs".into(),
                ingress: vec![Permission {
                    ports: Some((2049, 2049)),
                    tcp: true,
                    peers: vec![Peer::Group("sg-task".into())],
                }],
                egress: vec![],
            }],
            access_point: None,
            iam: false,
            policy: None,
        }
    }

    #[test]
    fn a_healthy_mount_rules_out_zone_and_security_group() {
        let checks = judge(&facts(), Lang::En);
        assert_eq!(checks.len(), 2);
        assert!(checks.iter().all(|c| c.status == CheckStatus::Absent));
        assert_eq!(
            checks[1].summary,
            "The security groups of mount target fsmt-a allow NFS (2049) from sg-task, which covers the task."
        );
    }

    #[test]
    fn no_mount_target_in_the_zone_is_confirmed() {
        let mut f = facts();
        f.mount_targets[0].zone = Some("us-east-1b".into());
        f.mount_targets[0].subnet_id = "subnet-b".into();
        let checks = judge(&f, Lang::En);
        assert_eq!(checks.len(), 1);
        assert_eq!(
            checks[0].summary,
            "File system fs-1 has no mount target in the task's zone us-east-1a (subnet subnet-a); mount targets: us-east-1b (subnet-b)."
        );
        let ja = judge(&f, Lang::Ja);
        assert!(ja[0].summary.contains("マウントターゲットがありません"));
    }

    #[test]
    fn closed_nfs_is_confirmed() {
        let mut f = facts();
        f.mount_target_groups[0].ingress[0].peers = vec![Peer::Group("sg-other".into())];
        let checks = judge(&f, Lang::En);
        assert_eq!(checks[1].status, CheckStatus::Found);
        assert_eq!(
            checks[1].lead_step.as_deref(),
            Some("Allow inbound TCP 2049 on sg-efs from the task's security group sg-task.")
        );
        f.task_groups = None;
        assert_eq!(judge(&f, Lang::En)[1].status, CheckStatus::NotChecked);
    }

    #[test]
    fn missing_file_system_access_point_and_policy() {
        let mut f = facts();
        f.file_system_exists = false;
        assert_eq!(judge(&f, Lang::En)[0].id, FS_ID);
        let mut f = facts();
        f.access_point = Some(AccessPoint {
            id: "fsap-1".into(),
            file_system_id: None,
        });
        f.iam = true;
        f.policy = Some(false);
        let checks = judge(&f, Lang::En);
        assert_eq!(checks[2].summary, "Access point fsap-1 does not exist.");
        assert_eq!(checks[3].status, CheckStatus::Absent);
        f.access_point = Some(AccessPoint {
            id: "fsap-1".into(),
            file_system_id: Some("fs-2".into()),
        });
        assert!(judge(&f, Lang::En)[2].summary.contains("belongs to file system fs-2"));
    }
}
