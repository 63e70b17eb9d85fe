//! Placement on EC2: do the cluster's ACTIVE container instances have room for the task
//! (remaining CPU, memory and host ports) right now?

use crate::diagnose::{Lang, Tr};
use crate::incident::TaskDefinition;
use crate::verify::Check;

/// What one ACTIVE container instance has left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instance {
    pub arn: String,
    pub ec2_instance_id: Option<String>,
    /// CPU units (1024 per vCPU).
    pub cpu: i64,
    /// MiB.
    pub memory: i64,
    /// TCP host ports already taken.
    pub ports: Vec<i64>,
}

impl Instance {
    fn name(&self) -> &str {
        self.ec2_instance_id
            .as_deref()
            .unwrap_or_else(|| self.arn.rsplit('/').next().unwrap_or(&self.arn))
    }
}

/// What the task reserves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub cpu: Option<i64>,
    pub memory: Option<i64>,
    pub ports: Vec<i64>,
}

/// The task's reservation: the task-level `cpu`/`memory`, else the containers' sums; fixed
/// host ports of non-awsvpc tasks.
pub fn needs(definition: &TaskDefinition) -> Needs {
    let number = |v: Option<&String>| v.and_then(|s| s.trim().parse::<i64>().ok());
    let sum = |f: &dyn Fn(&crate::incident::ContainerDefinition) -> Option<i64>| {
        let values: Vec<i64> = definition.containers.iter().filter_map(f).collect();
        (!values.is_empty()).then(|| values.iter().sum())
    };
    let awsvpc = definition.network_mode.as_deref() == Some("awsvpc");
    Needs {
        cpu: number(definition.cpu.as_ref()).or_else(|| sum(&|c| c.cpu)),
        memory: number(definition.memory.as_ref()).or_else(|| sum(&|c| c.memory.or(c.memory_reservation))),
        ports: if awsvpc {
            Vec::new()
        } else {
            definition
                .containers
                .iter()
                .flat_map(|c| c.port_mappings.iter())
                .filter_map(|p| p.host_port.filter(|p| *p > 0))
                .collect()
        },
    }
}

const ID: &str = "ecs.container-instance-resources";

pub fn judge(cluster: &str, instances: &[Instance], needs: &Needs, lang: Lang) -> Vec<Check> {
    let cpu = needs.cpu.unwrap_or(0);
    let memory = needs.memory.unwrap_or(0);
    let need_text = format!("{cpu} CPU units, {memory} MiB");
    if instances.is_empty() {
        let (summary, step) = match lang {
            Lang::En => (
                format!("Cluster {cluster} has no ACTIVE container instances."),
                format!("Launch container instances that register with {cluster} (or scale out its capacity provider)."),
            ),
            Lang::Ja => (
                format!("クラスター {cluster} には ACTIVE なコンテナインスタンスがありません。"),
                format!("{cluster} に登録されるコンテナインスタンスを起動してください (またはキャパシティプロバイダーをスケールアウトしてください)。"),
            ),
        };
        return vec![Check::found(ID, summary)
            .fact("cluster", cluster)
            .fact("activeInstances", "0")
            .lead(step)];
    }
    let ports_free = |i: &Instance| needs.ports.iter().all(|p| !i.ports.contains(p));
    let free: Vec<String> = instances
        .iter()
        .map(|i| format!("{} {} CPU/{} MiB", i.name(), i.cpu, i.memory))
        .collect();
    let base = |c: Check| {
        c.fact("cluster", cluster)
            .fact("activeInstances", instances.len().to_string())
            .fact("taskNeeds", &need_text)
            .fact("free", free.join(", "))
    };
    if let Some(room) = instances
        .iter()
        .find(|i| i.cpu >= cpu && i.memory >= memory && ports_free(i))
    {
        let summary = Tr {
            en: "Instance {room_name} has room for the task now: {room_cpu} CPU units and {room_memory} MiB free, the task needs {need_text}.",
            ja: "インスタンス {room_name} には現在タスクが入る余裕があります: 空きは CPU {room_cpu} ユニット、メモリ {room_memory} MiB で、タスクには {need_text} が必要です。",
        }.fill(lang, &[("room_name", room.name()), ("room_cpu", &room.cpu.to_string()), ("room_memory", &room.memory.to_string()), ("need_text", &need_text.to_string())]);
        return vec![base(Check::absent(ID, summary))];
    }
    let most_memory = instances.iter().map(|i| i.memory).max().unwrap_or(0);
    let most_cpu = instances.iter().map(|i| i.cpu).max().unwrap_or(0);
    let (summary, step) = if most_memory < memory {
        match lang {
            Lang::En => (
                format!("Largest free memory on any instance: {most_memory} MiB, task needs {memory} MiB."),
                format!("Add container instances with at least {memory} MiB free (or lower the task's memory to {most_memory} MiB or less)."),
            ),
            Lang::Ja => (
                format!("どのインスタンスでも空きメモリは最大 {most_memory} MiB で、タスクには {memory} MiB が必要です。"),
                format!("空きメモリが {memory} MiB 以上あるコンテナインスタンスを追加してください (またはタスクのメモリを {most_memory} MiB 以下にしてください)。"),
            ),
        }
    } else if most_cpu < cpu {
        match lang {
            Lang::En => (
                format!("Largest free CPU on any instance: {most_cpu} units, task needs {cpu} units."),
                format!("Add container instances with at least {cpu} CPU units free (or lower the task's cpu to {most_cpu} or less)."),
            ),
            Lang::Ja => (
                format!("どのインスタンスでも空き CPU は最大 {most_cpu} ユニットで、タスクには {cpu} ユニットが必要です。"),
                format!("空き CPU が {cpu} ユニット以上あるコンテナインスタンスを追加してください (またはタスクの cpu を {most_cpu} 以下にしてください)。"),
            ),
        }
    } else if !instances.iter().any(ports_free) {
        let ports: Vec<String> = needs.ports.iter().map(|p| p.to_string()).collect();
        let ports = ports.join(", ");
        match lang {
            Lang::En => (
                format!("Host port {ports} is already taken on every ACTIVE instance."),
                "Use dynamic host ports (`hostPort: 0`) with the load balancer, or add container instances."
                    .to_string(),
            ),
            Lang::Ja => (
                format!("ホストポート {ports} はすべての ACTIVE なインスタンスで使用中です。"),
                "ロードバランサーと動的ホストポート (`hostPort: 0`) を使うか、コンテナインスタンスを追加してください。"
                    .to_string(),
            ),
        }
    } else {
        match lang {
            Lang::En => (
                format!("No single instance has both the CPU and the memory free: largest free memory {most_memory} MiB, largest free CPU {most_cpu} units, task needs {need_text}."),
                format!("Add container instances with {need_text} free, or use a binpack placement strategy so free room is not split across instances."),
            ),
            Lang::Ja => (
                format!("CPU とメモリの両方が空いているインスタンスがありません: 空きメモリは最大 {most_memory} MiB、空き CPU は最大 {most_cpu} ユニットで、タスクには {need_text} が必要です。"),
                format!("{need_text} の空きがあるコンテナインスタンスを追加するか、binpack 配置戦略で空きが分散しないようにしてください。"),
            ),
        }
    };
    vec![base(Check::found(ID, summary)).lead(step)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{ContainerDefinition, PortMapping};
    use crate::verify::CheckStatus;

    fn instance(id: &str, cpu: i64, memory: i64) -> Instance {
        Instance {
            arn: format!("arn:aws:ecs:us-east-1:1:container-instance/prod/{id}"),
            ec2_instance_id: Some(id.into()),
            cpu,
            memory,
            ports: vec![22, 80],
        }
    }

    const NEEDS: Needs = Needs {
        cpu: Some(512),
        memory: Some(1024),
        ports: Vec::new(),
    };

    #[test]
    fn too_little_memory_is_confirmed_with_the_numbers() {
        let checks = judge(
            "prod",
            &[instance("i-1", 4096, 412), instance("i-2", 2048, 300)],
            &NEEDS,
            Lang::En,
        );
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert_eq!(
            checks[0].summary,
            "Largest free memory on any instance: 412 MiB, task needs 1024 MiB."
        );
        let ja = judge("prod", &[instance("i-1", 4096, 412)], &NEEDS, Lang::Ja);
        assert_eq!(
            ja[0].summary,
            "どのインスタンスでも空きメモリは最大 412 MiB で、タスクには 1024 MiB が必要です。"
        );
    }

    #[test]
    fn cpu_ports_split_and_empty_clusters() {
        assert!(judge("prod", &[instance("i-1", 256, 4096)], &NEEDS, Lang::En)[0]
            .summary
            .starts_with("Largest free CPU"));
        assert!(judge(
            "prod",
            &[instance("i-1", 4096, 512), instance("i-2", 128, 4096)],
            &NEEDS,
            Lang::En
        )[0]
        .summary
        .starts_with("No single instance"));
        let ports = Needs {
            ports: vec![80],
            ..NEEDS
        };
        assert_eq!(
            judge("prod", &[instance("i-1", 4096, 4096)], &ports, Lang::En)[0].summary,
            "Host port 80 is already taken on every ACTIVE instance."
        );
        assert_eq!(
            judge("prod", &[], &NEEDS, Lang::En)[0].summary,
            "Cluster prod has no ACTIVE container instances."
        );
    }

    #[test]
    fn room_on_one_instance_rules_capacity_out() {
        let checks = judge(
            "prod",
            &[instance("i-1", 4096, 412), instance("i-2", 1024, 2048)],
            &NEEDS,
            Lang::En,
        );
        assert_eq!(checks[0].status, CheckStatus::Absent);
        assert!(checks[0].summary.starts_with("Instance i-2 has room"));
    }

    #[test]
    fn needs_come_from_the_task_or_its_containers() {
        let mut d = TaskDefinition {
            containers: vec![
                ContainerDefinition {
                    name: "a".into(),
                    cpu: Some(256),
                    memory: Some(300),
                    port_mappings: vec![PortMapping {
                        container_port: Some(80),
                        host_port: Some(80),
                        protocol: None,
                    }],
                    ..Default::default()
                },
                ContainerDefinition {
                    name: "b".into(),
                    memory_reservation: Some(200),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        assert_eq!(
            needs(&d),
            Needs {
                cpu: Some(256),
                memory: Some(500),
                ports: vec![80]
            }
        );
        d.memory = Some("2048".into());
        d.network_mode = Some("awsvpc".into());
        assert_eq!(
            needs(&d),
            Needs {
                cpu: Some(256),
                memory: Some(2048),
                ports: vec![]
            }
        );
    }
}
