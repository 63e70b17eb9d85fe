//! Task placement: why ECS found nowhere to run a task. The same short codes (`RESOURCE:CPU`,
//! `AGENT`, `ATTRIBUTE`, …) arrive as RunTask/StartTask/DescribeTasks `failures[].reason`, as a
//! task's `stoppedReason` (`TaskFailedToStart: RESOURCE:MEMORY`), as the `reason` of a
//! `SERVICE_TASK_PLACEMENT_FAILURE` event, and inside service event messages ("… was unable to
//! place a task. Reason: …", "… The closest matching container-instance … has insufficient …").
//!
//! Bare codes are matched with `exact` (the text without its wrappers) so that prose such as
//! "the ECS agent" never reads as the `AGENT` code.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::rule::Tier;
use crate::diagnose::{Field, Signal};

/// Where placement texts arrive. Event names, stop codes and instance statuses are not placement text.
const FIELDS: &[Field] = &[
    Field::FailureReason,
    Field::ServiceReason,
    Field::StoppedReason,
    Field::ContainerReason,
];

const API_FAILURES_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html";
const SERVICE_EVENTS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html";
const PLACEMENT_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html";
const CONSTRAINTS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html";
const ASG_PROVIDER_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/asg-capacity-providers.html";
const MANAGED_SCALING_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html";
const TRUNKING_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html";
const GPU_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-gpu.html";
const FARGATE_PROVIDER_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html";
const FARGATE_REGIONS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate-Regions.html";
const EC2_ERRORS_DOC: &str = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html";
const SUBNET_SIZING_DOC: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html";
const QUOTAS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html";
const TASK_DEF_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const AGENT_CONFIG_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html";
const FARGATE_CAPACITY_KC: &str = "https://repost.aws/knowledge-center/ecs-fargate-runtask-capacity";
const AGENT_ERROR_KC: &str = "https://repost.aws/knowledge-center/ecs-container-instance-agent-error";
const AGENT_DISCONNECTED_KC: &str = "https://repost.aws/knowledge-center/ecs-agent-disconnected-linux2-ami";
const REQUIREMENTS_KC: &str = "https://repost.aws/knowledge-center/ecs-container-instance-requirement-error";

// ---- Checks of this family. ----

/// The task already existed when placement failed: the failure came from DescribeTasks, or it is
/// the task's own `stoppedReason`. That is the capacity-provider path (the task waited in
/// PROVISIONING for managed scaling); RunTask and StartTask with a launch type answer before any
/// task exists, and mean "the cluster is full right now".
fn failed_after_provisioning(s: &Signal) -> bool {
    match s.failure.and_then(|f| f.action.as_deref()) {
        Some(action) => action.eq_ignore_ascii_case("DescribeTasks"),
        None => s.field == Field::StoppedReason || s.norm.starts_with("taskfailedtostart"),
    }
}

/// A `RESOURCE:<name>` code with no rule of its own. The code has no space after the colon, unlike
/// IAM prose ("… on resource: arn:…").
fn other_resource_code(s: &Signal) -> bool {
    s.core
        .strip_prefix("resource:")
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with(' '))
}

const CPU: &[&str] = &["resource:cpu", "insufficient cpu units"];
const MEMORY: &[&str] = &["resource:memory", "has insufficient memory available"];

pub const RULES: &[Rule] = &[
    // ---- Fargate capacity and account quotas ----
    Rule {
        id: "placement.resource-fargate",
        category: Category::FargateCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: &["resource:fargate"], ..When::NOTHING },
        en: Text {
            title: "Fargate had no capacity for the task (RESOURCE:FARGATE)",
            explanation: "ECS could not get Fargate capacity for a task of the service {service}. This is reported most often for the FARGATE_SPOT capacity provider, whose spare capacity can run out in an Availability Zone; the service keeps retrying on its own.",
            steps: &[
                "Give the service a capacity provider strategy that also includes `FARGATE`, e.g. `FARGATE` with `base` 1 and a weight, beside `FARGATE_SPOT`, so part of the tasks never depend on Spot capacity.",
                "Spread the tasks over subnets in several Availability Zones; capacity shortages are usually limited to one zone.",
                "If the message repeats for a long time, check the Service Quotas console for the Fargate On-Demand and Spot vCPU quotas of the Region.",
            ],
        },
        ja: Text {
            title: "Fargate にタスクを動かす容量がありませんでした (RESOURCE:FARGATE)",
            explanation: "サービス {service} のタスクに割り当てる Fargate の容量を ECS が確保できませんでした。多くは FARGATE_SPOT キャパシティプロバイダーで、あるアベイラビリティーゾーンの空き容量が尽きたときに発生します。サービスは自動で再試行を続けます。",
            steps: &[
                "サービスのキャパシティプロバイダー戦略に `FARGATE_SPOT` だけでなく `FARGATE` も含めてください (例: `FARGATE` に `base` 1 と weight を設定)。一部のタスクが Spot の容量に左右されなくなります。",
                "複数のアベイラビリティーゾーンのサブネットにタスクを分散させてください。容量不足はたいてい 1 つのゾーンに限られます。",
                "長時間繰り返す場合は、Service Quotas コンソールでリージョンの Fargate オンデマンド / Spot の vCPU クォータを確認してください。",
            ],
        },
        docs: &[FARGATE_PROVIDER_DOC, SERVICE_EVENTS_DOC, QUOTAS_DOC],
    },
    Rule {
        id: "placement.fargate-capacity-unavailable",
        category: Category::FargateCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: &["capacity is unavailable at this time"], ..When::NOTHING },
        en: Text {
            title: "Fargate capacity is temporarily unavailable",
            explanation: "Fargate had no capacity for this task size in the chosen Availability Zone at the moment of the request {action}. Nothing is wrong with the task definition; the request has to be retried.",
            steps: &[
                "Retry the RunTask call after a short wait, with exponential backoff; a Step Functions `ecs:runTask` state with a `Retry` on `ECS.AmazonECSException` does this for you.",
                "Pass subnets from more than one Availability Zone in `awsvpcConfiguration`, so ECS can pick a zone that has capacity.",
                "If the shortage lasts, try a different task size (CPU/memory combination) or CPU architecture, or run the workload as a service, which retries placement on its own.",
            ],
        },
        ja: Text {
            title: "Fargate の容量が一時的に不足しています",
            explanation: "リクエスト {action} の時点で、選択したアベイラビリティーゾーンにこのタスクサイズ向けの Fargate の容量がありませんでした。タスク定義に問題はなく、リクエストを再試行する必要があります。",
            steps: &[
                "少し待ってから指数バックオフで RunTask を再試行してください。Step Functions の `ecs:runTask` ステートで `ECS.AmazonECSException` に `Retry` を設定すると自動化できます。",
                "`awsvpcConfiguration` に複数のアベイラビリティーゾーンのサブネットを指定し、容量のあるゾーンを ECS が選べるようにしてください。",
                "不足が続く場合は、別のタスクサイズ (CPU とメモリの組み合わせ) や CPU アーキテクチャを試すか、配置を自動で再試行するサービスとして実行してください。",
            ],
        },
        docs: &[FARGATE_CAPACITY_KC, API_FAILURES_DOC],
    },
    Rule {
        id: "placement.quota-task-count",
        category: Category::FargateCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "limit on the number of tasks you can run concurrently",
                "limit on the number of vcpus you can run concurrently",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Account quota for concurrently running tasks reached",
            explanation: "The account has reached its Region quota for concurrently running Fargate capacity, so ECS refused to start another task ({reason}). Fargate quotas are now counted in vCPUs; the older wording of this message speaks of a number of tasks.",
            steps: &[
                "Open Service Quotas → Amazon Elastic Container Service and compare the Fargate On-Demand (and Spot) vCPU quota with what is running now: `aws ecs list-tasks --cluster {cluster_arg} --desired-status RUNNING` in every cluster of the Region.",
                "Stop tasks that should not be running (forgotten RunTask jobs, services scaled higher than needed).",
                "Request a quota increase in Service Quotas if the load is legitimate; increases are per Region.",
            ],
        },
        ja: Text {
            title: "同時に実行できるタスク数のアカウントクォータに達しました",
            explanation: "アカウントがリージョン内で同時に実行できる Fargate 容量のクォータに達したため、ECS は新しいタスクの起動を拒否しました ({reason})。Fargate のクォータは現在 vCPU 数で数えられており、このメッセージの古い文言ではタスク数と表現されています。",
            steps: &[
                "Service Quotas → Amazon Elastic Container Service で Fargate オンデマンド (および Spot) の vCPU クォータを確認し、実行中の量と比べてください。リージョン内の各クラスターで `aws ecs list-tasks --cluster {cluster_arg} --desired-status RUNNING` を実行すると把握できます。",
                "不要なタスク (止め忘れた RunTask のジョブや、必要以上にスケールしたサービス) を停止してください。",
                "正当な負荷であれば Service Quotas から引き上げを申請してください。クォータはリージョンごとです。",
            ],
        },
        docs: &[QUOTAS_DOC, SERVICE_EVENTS_DOC],
    },
    Rule {
        id: "placement.quota-task-size",
        category: Category::FargateCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "requested cpu configuration is above your limit",
                "requested memory configuration is above your limit",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Requested task CPU or memory is above the account's limit",
            explanation: "The CPU or memory size requested for the task is larger than what the account may currently run ({reason}). New or little-used accounts can start with lower Fargate limits than the documented maximum task sizes.",
            steps: &[
                "Check the task-level `cpu` and `memory` of task definition {task_definition} and lower them if the workload allows it.",
                "Look up the Fargate vCPU quotas for the Region in Service Quotas and request an increase if the size is needed.",
                "If the quota is already high enough, open an AWS Support case quoting the full message; some account-level limits are not shown in Service Quotas.",
            ],
        },
        ja: Text {
            title: "要求したタスクの CPU またはメモリがアカウントの上限を超えています",
            explanation: "タスクに要求した CPU またはメモリのサイズが、アカウントで現在実行できる上限を超えています ({reason})。新しいアカウントや利用の少ないアカウントでは、Fargate の上限がドキュメント上の最大タスクサイズより低く設定されていることがあります。",
            steps: &[
                "タスク定義 {task_definition} のタスクレベルの `cpu` と `memory` を確認し、ワークロードが許すなら下げてください。",
                "Service Quotas でリージョンの Fargate の vCPU クォータを確認し、そのサイズが必要なら引き上げを申請してください。",
                "クォータが十分なのに発生する場合は、メッセージ全文を添えて AWS サポートに問い合わせてください。Service Quotas に表示されないアカウント単位の上限もあります。",
            ],
        },
        docs: &[QUOTAS_DOC, SERVICE_EVENTS_DOC],
    },
    Rule {
        id: "placement.fargate-unsupported-az",
        category: Category::PlacementConstraint,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            exact: &["internal error"],
            all: &["unable to place a task"],
            ..When::NOTHING
        },
        en: Text {
            title: "Service could not place a task: subnet in a zone Fargate does not support",
            explanation: "The service {service} reported \"Internal error\" while placing a task. ECS documents this message for a task whose subnet is in an Availability Zone where Fargate is not offered.",
            steps: &[
                "List the subnets of the service's network configuration and their zones: `aws ec2 describe-subnets --subnet-ids <ids> --query 'Subnets[].[SubnetId,AvailabilityZoneId]'`.",
                "Compare the zone IDs with the Fargate Regions and zones page, and remove subnets in unsupported zones from the service.",
                "If all zones are supported and the message persists, open an AWS Support case with the service event and its time.",
            ],
        },
        ja: Text {
            title: "サービスがタスクを配置できません: Fargate 非対応のゾーンのサブネットです",
            explanation: "サービス {service} がタスクの配置中に「Internal error」を報告しました。ECS のドキュメントでは、Fargate が提供されていないアベイラビリティーゾーンのサブネットを指定した場合のメッセージとされています。",
            steps: &[
                "サービスのネットワーク設定にあるサブネットとそのゾーンを確認してください: `aws ec2 describe-subnets --subnet-ids <ID> --query 'Subnets[].[SubnetId,AvailabilityZoneId]'`。",
                "ゾーン ID を Fargate の対応リージョン・ゾーンのページと照らし合わせ、非対応ゾーンのサブネットをサービスから外してください。",
                "すべて対応ゾーンなのに続く場合は、サービスイベントと発生時刻を添えて AWS サポートに問い合わせてください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, FARGATE_REGIONS_DOC],
    },
    // ---- Resources on EC2 container instances: the capacity-provider meaning first ----
    Rule {
        id: "placement.resource-cpu.capacity-provider",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &["resource:cpu"],
            check: Some(failed_after_provisioning),
            ..When::NOTHING
        },
        en: Text {
            title: "Task failed to start: no capacity-provider instance has enough CPU (RESOURCE:CPU)",
            explanation: "The task waited for its capacity provider, but no container instance could offer the CPU units it asks for. Usually the task definition {task_definition} needs more CPU than the EC2 instance types in the capacity provider's Auto Scaling group have at all, so scaling out cannot help.",
            steps: &[
                "Compare the task's CPU (task-level `cpu` plus every container's `cpu`) with the CPU units of the instance types in the Auto Scaling group: 1,024 units per vCPU, minus what the agent and daemons reserve.",
                "Use a larger instance type in the launch template (or add one to the mixed-instances policy), or lower the task's CPU.",
                "Check the capacity provider: `aws ecs describe-capacity-providers` should show managed scaling ENABLED and an Auto Scaling group whose maximum size is above its current size.",
            ],
        },
        ja: Text {
            title: "CPU が足りるインスタンスをキャパシティプロバイダーが用意できません (RESOURCE:CPU)",
            explanation: "タスクはキャパシティプロバイダーによるインスタンスの用意を待ちましたが、要求した CPU ユニットを提供できるコンテナインスタンスがありませんでした。多くの場合、タスク定義 {task_definition} の CPU 要求が、キャパシティプロバイダーの Auto Scaling グループにある EC2 インスタンスタイプの CPU 総量より大きく、スケールアウトしても解決しません。",
            steps: &[
                "タスクの CPU (タスクレベルの `cpu` と各コンテナの `cpu`) を、Auto Scaling グループのインスタンスタイプの CPU ユニット (vCPU あたり 1,024 ユニットから、エージェントやデーモンの予約分を引いたもの) と比べてください。",
                "起動テンプレートでより大きいインスタンスタイプを使う (または混合インスタンスポリシーに追加する) か、タスクの CPU を減らしてください。",
                "`aws ecs describe-capacity-providers` でキャパシティプロバイダーのマネージドスケーリングが ENABLED で、Auto Scaling グループの最大サイズが現在のサイズより大きいことを確認してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, ASG_PROVIDER_DOC, MANAGED_SCALING_DOC],
    },
    Rule {
        id: "placement.resource-memory.capacity-provider",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &["resource:memory"],
            check: Some(failed_after_provisioning),
            ..When::NOTHING
        },
        en: Text {
            title: "Task failed to start: no capacity-provider instance has enough memory (RESOURCE:MEMORY)",
            explanation: "The task waited for its capacity provider, but no container instance could offer the memory it asks for. Usually the task definition {task_definition} needs more memory than the EC2 instance types in the capacity provider's Auto Scaling group can register, so scaling out cannot help.",
            steps: &[
                "Compare the task's memory (task-level `memory`, or the sum of the containers' `memory`/`memoryReservation`) with the memory the instances register with ECS: `aws ecs describe-container-instances` → `registeredResources` MEMORY, which is less than the instance type's nominal size.",
                "Use an instance type with more memory in the Auto Scaling group's launch template, or lower the task's memory.",
                "Check the capacity provider: managed scaling ENABLED and an Auto Scaling group maximum size above the current size.",
            ],
        },
        ja: Text {
            title: "メモリが足りるインスタンスをキャパシティプロバイダーが用意できません (RESOURCE:MEMORY)",
            explanation: "タスクはキャパシティプロバイダーによるインスタンスの用意を待ちましたが、要求したメモリを提供できるコンテナインスタンスがありませんでした。多くの場合、タスク定義 {task_definition} のメモリ要求が、キャパシティプロバイダーの Auto Scaling グループにある EC2 インスタンスタイプで登録できるメモリより大きく、スケールアウトしても解決しません。",
            steps: &[
                "タスクのメモリ (タスクレベルの `memory`、またはコンテナの `memory`/`memoryReservation` の合計) を、インスタンスが ECS に登録するメモリ (`aws ecs describe-container-instances` の `registeredResources` の MEMORY。インスタンスタイプの公称値より少なくなります) と比べてください。",
                "Auto Scaling グループの起動テンプレートでメモリの多いインスタンスタイプを使うか、タスクのメモリを減らしてください。",
                "キャパシティプロバイダーのマネージドスケーリングが ENABLED で、Auto Scaling グループの最大サイズが現在のサイズより大きいことを確認してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, ASG_PROVIDER_DOC, MANAGED_SCALING_DOC],
    },
    // ---- Resources: the cluster is full right now (RunTask/StartTask, service events) ----
    Rule {
        id: "placement.resource-cpu",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: CPU, ..When::NOTHING },
        en: Text {
            title: "No container instance has enough free CPU for the task (RESOURCE:CPU)",
            explanation: "None of the container instances in the cluster {cluster} had enough unreserved CPU units for the task ({reason}). Every running task holds the CPU units its task definition reserves, even when it is idle.",
            steps: &[
                "See what is free: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ids> --query 'containerInstances[].remainingResources'`.",
                "Add container instances (raise the Auto Scaling group's desired or maximum capacity) or use a capacity provider with managed scaling, so the cluster grows when tasks are waiting.",
                "Lower the CPU the task reserves (task-level `cpu` and container `cpu` in {task_definition}) if it reserves more than it uses.",
                "[service] During deployments, a `maximumPercent` of 200 needs room for a second copy of every task; lower it or keep spare capacity.",
            ],
        },
        ja: Text {
            title: "タスクに必要な空き CPU を持つコンテナインスタンスがありません (RESOURCE:CPU)",
            explanation: "クラスター {cluster} のどのコンテナインスタンスにも、タスクに必要な未予約の CPU ユニットがありませんでした ({reason})。実行中のタスクは、アイドル状態でもタスク定義で予約した CPU ユニットを占有します。",
            steps: &[
                "空きを確認してください: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ID> --query 'containerInstances[].remainingResources'`。",
                "コンテナインスタンスを追加する (Auto Scaling グループの希望容量または最大容量を上げる) か、マネージドスケーリング付きのキャパシティプロバイダーを使い、タスクが待っているときにクラスターが拡張されるようにしてください。",
                "タスクが実際の使用量より多く予約している場合は、{task_definition} のタスクレベルの `cpu` とコンテナの `cpu` を下げてください。",
                "[service] デプロイ時に `maximumPercent` が 200 だと全タスクの 2 つ目のコピー分の空きが必要です。値を下げるか、余裕のある容量を確保してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, API_FAILURES_DOC, MANAGED_SCALING_DOC],
    },
    Rule {
        id: "placement.resource-memory",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: MEMORY, ..When::NOTHING },
        en: Text {
            title: "No container instance has enough free memory for the task (RESOURCE:MEMORY)",
            explanation: "None of the container instances in the cluster {cluster} had enough unreserved memory for the task ({reason}). ECS places by reserved memory (task `memory`, container `memory` or `memoryReservation`), not by what the containers actually use.",
            steps: &[
                "See what is free: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ids> --query 'containerInstances[].remainingResources'`.",
                "Add container instances or use a capacity provider with managed scaling so the cluster grows when tasks are waiting.",
                "Reserve less: use `memoryReservation` (soft limit) for containers that rarely need their maximum, or lower the task's `memory` in {task_definition}.",
                "[service] During deployments, a `maximumPercent` of 200 needs room for a second copy of every task; lower it or keep spare capacity.",
            ],
        },
        ja: Text {
            title: "タスクに必要な空きメモリを持つコンテナインスタンスがありません (RESOURCE:MEMORY)",
            explanation: "クラスター {cluster} のどのコンテナインスタンスにも、タスクに必要な未予約のメモリがありませんでした ({reason})。ECS は実際の使用量ではなく、予約したメモリ (タスクの `memory`、コンテナの `memory` または `memoryReservation`) をもとに配置します。",
            steps: &[
                "空きを確認してください: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ID> --query 'containerInstances[].remainingResources'`。",
                "コンテナインスタンスを追加するか、マネージドスケーリング付きのキャパシティプロバイダーを使い、タスクが待っているときにクラスターが拡張されるようにしてください。",
                "予約を減らしてください。最大量をまれにしか使わないコンテナには `memoryReservation` (ソフトリミット) を使うか、{task_definition} のタスクの `memory` を下げます。",
                "[service] デプロイ時に `maximumPercent` が 200 だと全タスクの 2 つ目のコピー分の空きが必要です。値を下げるか、余裕のある容量を確保してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, API_FAILURES_DOC, MANAGED_SCALING_DOC],
    },
    Rule {
        id: "placement.resource-ports",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &["resource:ports", "already using a port required by your task"],
            ..When::NOTHING
        },
        en: Text {
            title: "No container instance has the host port the task needs free (RESOURCE:PORTS)",
            explanation: "The task maps a fixed host port (TCP, or UDP for PORTS_UDP), and every container instance in the cluster {cluster} already has that port in use. With fixed host ports only one copy of the task fits on each instance; an instance also cannot reserve more than 100 host ports.",
            steps: &[
                "[bridge] Use dynamic host ports: set `hostPort` to 0 (or leave it out) in the port mappings of {task_definition}; a load balancer target group then learns the port per task.",
                "Or switch the task to `awsvpc` networking, where each task has its own network interface and ports never collide.",
                "Otherwise run at least as many container instances as tasks that need the port, or use a `distinctInstance` placement constraint so a second copy is never attempted on the same host.",
            ],
        },
        ja: Text {
            title: "必要なホストポートが空いているインスタンスがありません (RESOURCE:PORTS)",
            explanation: "タスクは固定のホストポート (TCP、PORTS_UDP の場合は UDP) をマッピングしており、クラスター {cluster} のすべてのコンテナインスタンスでそのポートが使用中でした。固定ホストポートではインスタンス 1 台にタスクを 1 つしか置けず、1 台で予約できるホストポートも 100 個までです。",
            steps: &[
                "[bridge] 動的ホストポートを使ってください。{task_definition} のポートマッピングで `hostPort` を 0 にする (または省略する) と、ロードバランサーのターゲットグループがタスクごとのポートを把握します。",
                "または `awsvpc` ネットワークモードに切り替えてください。タスクごとにネットワークインターフェイスを持つため、ポートが衝突しません。",
                "そうしない場合は、そのポートを使うタスク数以上のコンテナインスタンスを用意するか、`distinctInstance` 配置制約で同じホストに 2 つ目を置かないようにしてください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, API_FAILURES_DOC, TASK_DEF_DOC],
    },
    Rule {
        id: "placement.resource-eni",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &["resource:eni", "eni attachment points"],
            ..When::NOTHING
        },
        en: Text {
            title: "No container instance can attach another network interface (RESOURCE:ENI)",
            explanation: "Each `awsvpc` task on EC2 needs its own elastic network interface attached to the host, and every container instance in the cluster {cluster} has reached its instance type's ENI limit (the primary interface counts too). Small instance types fit only two or three awsvpc tasks.",
            steps: &[
                "Turn on ENI trunking: `aws ecs put-account-setting-default --name awsvpcTrunking --value enabled`, then replace the container instances (only instances launched after the opt-in, on supported instance types, get a trunk interface).",
                "Check the setting took effect: `aws ecs list-attributes --cluster {cluster_arg} --target-type container-instance --attribute-name ecs.awsvpc-trunk-id`.",
                "Or add container instances, or use larger instance types that allow more network interfaces.",
                "For tasks that do not need their own IP, consider `bridge` networking, which needs no extra interface.",
            ],
        },
        ja: Text {
            title: "ENI を追加でアタッチできるインスタンスがありません (RESOURCE:ENI)",
            explanation: "EC2 上の `awsvpc` タスクはそれぞれ専用の Elastic Network Interface をホストにアタッチしますが、クラスター {cluster} のすべてのコンテナインスタンスがインスタンスタイプの ENI 上限 (プライマリインターフェイスも 1 つと数えます) に達していました。小さいインスタンスタイプでは awsvpc タスクは 2〜3 個しか置けません。",
            steps: &[
                "ENI トランキングを有効にしてください: `aws ecs put-account-setting-default --name awsvpcTrunking --value enabled`。その後コンテナインスタンスを入れ替えます (有効化後に起動した、対応インスタンスタイプのインスタンスだけがトランクインターフェイスを持ちます)。",
                "有効になったか確認してください: `aws ecs list-attributes --cluster {cluster_arg} --target-type container-instance --attribute-name ecs.awsvpc-trunk-id`。",
                "または、コンテナインスタンスを追加するか、より多くのネットワークインターフェイスを持てる大きいインスタンスタイプを使ってください。",
                "専用の IP が不要なタスクは、追加のインターフェイスを使わない `bridge` ネットワークも検討してください。",
            ],
        },
        docs: &[TRUNKING_DOC, API_FAILURES_DOC, SERVICE_EVENTS_DOC],
    },
    Rule {
        id: "placement.resource-gpu",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &["resource:gpu", "insufficient gpu"],
            ..When::NOTHING
        },
        en: Text {
            title: "No container instance has the free GPUs the task needs (RESOURCE:GPU)",
            explanation: "The task reserves GPUs (`resourceRequirements` of type GPU) and no container instance in the cluster {cluster} has that many unassigned GPUs. GPUs are never shared between tasks.",
            steps: &[
                "Add GPU instances (e.g. g- or p-family) to the cluster, launched from the ECS GPU-optimized AMI.",
                "Make sure the agent announces the GPUs: `ECS_ENABLE_GPU_SUPPORT=true` in `/etc/ecs/ecs.config`; `registeredResources` of the instance should then list GPU.",
                "Check that the GPU count in {task_definition} is not higher than the number of GPUs in one instance.",
            ],
        },
        ja: Text {
            title: "タスクに必要な空き GPU を持つコンテナインスタンスがありません (RESOURCE:GPU)",
            explanation: "タスクは GPU を予約しています (タイプ GPU の `resourceRequirements`) が、クラスター {cluster} にその数の未割り当て GPU を持つコンテナインスタンスがありませんでした。GPU はタスク間で共有されません。",
            steps: &[
                "ECS GPU 最適化 AMI から起動した GPU インスタンス (g 系や p 系など) をクラスターに追加してください。",
                "エージェントが GPU を登録しているか確認してください。`/etc/ecs/ecs.config` に `ECS_ENABLE_GPU_SUPPORT=true` を設定すると、インスタンスの `registeredResources` に GPU が表示されます。",
                "{task_definition} の GPU 数が、インスタンス 1 台あたりの GPU 数を超えていないか確認してください。",
            ],
        },
        docs: &[GPU_DOC, API_FAILURES_DOC],
    },
    Rule {
        id: "placement.resource-other",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, check: Some(other_resource_code), ..When::NOTHING },
        en: Text {
            title: "No container instance has the resources the task asks for",
            explanation: "ECS could not find a container instance in the cluster {cluster} with enough of a resource the task reserves ({reason}).",
            steps: &[
                "Read the resource name after `RESOURCE:` and compare what the task reserves in {task_definition} with the instances' `remainingResources` (`aws ecs describe-container-instances`).",
                "Add container instances or larger instance types, or let a capacity provider with managed scaling grow the cluster.",
                "Reduce what the task reserves if it reserves more than it needs.",
            ],
        },
        ja: Text {
            title: "タスクが要求するリソースを持つコンテナインスタンスがありません",
            explanation: "クラスター {cluster} に、タスクが予約するリソースを十分に持つコンテナインスタンスが見つかりませんでした ({reason})。",
            steps: &[
                "`RESOURCE:` の後のリソース名を確認し、{task_definition} で予約している量とインスタンスの `remainingResources` (`aws ecs describe-container-instances`) を比べてください。",
                "コンテナインスタンスを追加するか大きいインスタンスタイプを使う、またはマネージドスケーリング付きのキャパシティプロバイダーでクラスターを拡張してください。",
                "タスクが必要以上に予約している場合は予約量を減らしてください。",
            ],
        },
        docs: &[API_FAILURES_DOC, SERVICE_EVENTS_DOC],
    },
    // ---- The chosen instance, its attributes and the constraints ----
    Rule {
        id: "placement.agent-disconnected",
        category: Category::AgentDisconnected,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            exact: &["agent"],
            any: &[
                "encountered error \"agent\"",
                "doesn't have the agent connected",
                "does not have the agent connected",
                // A RunTask response pasted as JSON (CLI, SDK or tool output).
                "\"reason\":\"agent\"",
                "\"reason\": \"agent\"",
                "'reason': 'agent'",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "The container instance's ECS agent is disconnected (AGENT)",
            explanation: "ECS chose a container instance {arn} for the task, but its container agent is not connected to ECS right now, so the request was refused instead of waiting for the agent.",
            steps: &[
                "Find instances with a disconnected agent: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ids> --query 'containerInstances[].[ec2InstanceId,agentConnected,status]'`.",
                "On the instance, check the agent: `sudo systemctl status ecs`, the log in `/var/log/ecs/ecs-agent.log`, and restart it with `sudo systemctl restart ecs`.",
                "Check the agent can reach ECS: outbound HTTPS to the `ecs` endpoints (NAT gateway, or VPC endpoints `ecs`, `ecs-agent` and `ecs-telemetry`) and an instance profile with `AmazonEC2ContainerServiceforEC2Role`.",
                "If the instance is unhealthy or out of memory/disk, replace it (terminate it and let the Auto Scaling group launch a new one).",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスの ECS エージェントが切断されています (AGENT)",
            explanation: "ECS はタスクの配置先にコンテナインスタンス {arn} を選びましたが、そのコンテナエージェントが現在 ECS に接続していないため、エージェントを待たずにリクエストを拒否しました。",
            steps: &[
                "エージェントが切断されたインスタンスを探してください: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ID> --query 'containerInstances[].[ec2InstanceId,agentConnected,status]'`。",
                "インスタンス上で `sudo systemctl status ecs` と `/var/log/ecs/ecs-agent.log` を確認し、`sudo systemctl restart ecs` でエージェントを再起動してください。",
                "エージェントが ECS に到達できるか確認してください: `ecs` エンドポイントへのアウトバウンド HTTPS (NAT ゲートウェイ、または VPC エンドポイント `ecs`、`ecs-agent`、`ecs-telemetry`) と、`AmazonEC2ContainerServiceforEC2Role` を持つインスタンスプロファイルが必要です。",
                "インスタンス自体が不調 (メモリやディスクの枯渇など) なら、終了して Auto Scaling グループに新しいインスタンスを起動させてください。",
            ],
        },
        docs: &[API_FAILURES_DOC, AGENT_ERROR_KC, AGENT_DISCONNECTED_KC],
    },
    Rule {
        id: "placement.constraint-unsatisfied",
        category: Category::PlacementConstraint,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: &["placement constraint unsatisfied"], ..When::NOTHING },
        en: Text {
            title: "No container instance satisfies the task's placement constraints",
            explanation: "The task (or its service) has a placement constraint, such as a `memberOf` expression on instance type, Availability Zone or a custom attribute, and no registered container instance in the cluster {cluster} matches it ({reason}).",
            steps: &[
                "Read the constraints: `placementConstraints` in task definition {task_definition}, and in the service or the RunTask call.",
                "Test the expression against the cluster: `aws ecs list-container-instances --cluster {cluster_arg} --filter \"<expression>\"` should return at least one instance.",
                "Fix the expression, or add instances that match it (e.g. the instance type, zone or custom attribute it names; custom attributes are set with `aws ecs put-attributes`).",
            ],
        },
        ja: Text {
            title: "タスクの配置制約を満たすコンテナインスタンスがありません",
            explanation: "タスク (またはそのサービス) にはインスタンスタイプ、アベイラビリティーゾーン、カスタム属性などに対する `memberOf` 式といった配置制約があり、クラスター {cluster} に登録されたコンテナインスタンスのどれもそれに一致しませんでした ({reason})。",
            steps: &[
                "タスク定義 {task_definition}、およびサービスまたは RunTask 呼び出しの `placementConstraints` を確認してください。",
                "式をクラスターに対して試してください: `aws ecs list-container-instances --cluster {cluster_arg} --filter \"<式>\"` が 1 台以上返すはずです。",
                "式を直すか、式に合うインスタンス (指定したインスタンスタイプ、ゾーン、カスタム属性を持つもの。カスタム属性は `aws ecs put-attributes` で設定) を追加してください。",
            ],
        },
        docs: &[CONSTRAINTS_DOC, API_FAILURES_DOC, PLACEMENT_DOC],
    },
    Rule {
        id: "placement.attribute",
        category: Category::PlacementConstraint,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            exact: &["attribute"],
            any: &["missing an attribute required by your task", "missing required attribute"],
            ..When::NOTHING
        },
        en: Text {
            title: "No container instance has an attribute the task requires (ATTRIBUTE)",
            explanation: "Some task definition parameters need the container instance to announce a matching attribute (for example `ecs.capability.task-eni` for awsvpc tasks, a logging driver, or a Docker API version), and no instance that could take the task has it. A frequent case: an awsvpc task on EC2 whose subnets contain no registered container instance.",
            steps: &[
                "[awsvpc] Check that the subnets in `awsvpcConfiguration` are the subnets (and zones) where the container instances run.",
                "List the instances' attributes and compare them with what {task_definition} needs: `aws ecs list-attributes --cluster {cluster_arg} --target-type container-instance --attribute-name <name>`.",
                "Update the ECS agent or the AMI if a capability is missing, and enable optional ones in `/etc/ecs/ecs.config` (e.g. `ECS_AVAILABLE_LOGGING_DRIVERS`).",
            ],
        },
        ja: Text {
            title: "タスクが必要とする属性を持つコンテナインスタンスがありません (ATTRIBUTE)",
            explanation: "タスク定義の一部のパラメータは、コンテナインスタンスが対応する属性 (awsvpc タスクの `ecs.capability.task-eni`、ログドライバー、Docker API バージョンなど) を持っていることを前提とします。タスクを受け入れられるインスタンスのどれもその属性を持っていませんでした。よくある例は、EC2 上の awsvpc タスクで、指定したサブネットにコンテナインスタンスが登録されていない場合です。",
            steps: &[
                "[awsvpc] `awsvpcConfiguration` のサブネットが、コンテナインスタンスが動いているサブネット (とゾーン) と一致しているか確認してください。",
                "インスタンスの属性を一覧にし、{task_definition} が必要とするものと比べてください: `aws ecs list-attributes --cluster {cluster_arg} --target-type container-instance --attribute-name <名前>`。",
                "機能が不足している場合は ECS エージェントまたは AMI を更新し、任意の機能は `/etc/ecs/ecs.config` で有効にしてください (例: `ECS_AVAILABLE_LOGGING_DRIVERS`)。",
            ],
        },
        docs: &[API_FAILURES_DOC, TASK_DEF_DOC, AGENT_CONFIG_DOC],
    },
    Rule {
        id: "placement.location",
        category: Category::PlacementConstraint,
        severity: Severity::Error,
        when: When { fields: FIELDS, exact: &["location"], ..When::NOTHING },
        en: Text {
            title: "Container instance is in a different Availability Zone than the task's subnet (LOCATION)",
            explanation: "The container instance {arn} chosen for the awsvpc task is in another Availability Zone than the subnets given in `awsvpcConfiguration`. A task's network interface can only be created in a subnet of the instance's own zone.",
            steps: &[
                "Compare the instance's zone (`aws ec2 describe-instances --instance-ids <id> --query 'Reservations[].Instances[].Placement.AvailabilityZone'`) with the zones of the subnets in the request.",
                "Pass subnets from every zone the container instances run in, or for StartTask pick an instance in the subnet's zone.",
                "Or add a placement constraint on `attribute:ecs.availability-zone` so only instances in the subnets' zones are chosen.",
            ],
        },
        ja: Text {
            title: "インスタンスがサブネットと別のアベイラビリティーゾーンにあります (LOCATION)",
            explanation: "awsvpc タスクの配置先に選ばれたコンテナインスタンス {arn} が、`awsvpcConfiguration` で指定したサブネットと別のアベイラビリティーゾーンにあります。タスクのネットワークインターフェイスは、インスタンスと同じゾーンのサブネットにしか作成できません。",
            steps: &[
                "インスタンスのゾーン (`aws ec2 describe-instances --instance-ids <ID> --query 'Reservations[].Instances[].Placement.AvailabilityZone'`) と、リクエストしたサブネットのゾーンを比べてください。",
                "コンテナインスタンスが動くすべてのゾーンのサブネットを指定するか、StartTask ではサブネットと同じゾーンのインスタンスを選んでください。",
                "または `attribute:ecs.availability-zone` の配置制約で、サブネットのゾーンにあるインスタンスだけを選ばせてください。",
            ],
        },
        docs: &[API_FAILURES_DOC, CONSTRAINTS_DOC],
    },
    // ---- Empty clusters and capacity providers ----
    Rule {
        id: "placement.no-active-instances",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: &["no active instances"], ..When::NOTHING },
        en: Text {
            title: "The capacity provider has no active container instances (NO ACTIVE INSTANCES)",
            explanation: "The task was sent to a capacity provider whose Auto Scaling group has no ACTIVE container instances in the cluster {cluster}: the group is at zero, its instances are still starting or draining, or they never registered.",
            steps: &[
                "Check the Auto Scaling group: desired, minimum and maximum capacity, and its activity history for failed launches (`aws autoscaling describe-scaling-activities --auto-scaling-group-name <name>`).",
                "Check that managed scaling is ENABLED on the capacity provider so waiting tasks make the group scale out.",
                "If instances run but do not appear in the cluster, check their user data sets `ECS_CLUSTER={cluster_arg}` in `/etc/ecs/ecs.config` and that the agent can reach ECS.",
            ],
        },
        ja: Text {
            title: "キャパシティプロバイダーに ACTIVE なインスタンスがありません (NO ACTIVE INSTANCES)",
            explanation: "タスクを割り当てたキャパシティプロバイダーの Auto Scaling グループに、クラスター {cluster} で ACTIVE なコンテナインスタンスがありません。グループが 0 台である、インスタンスが起動中かドレイン中である、あるいは登録されていない状態です。",
            steps: &[
                "Auto Scaling グループの希望・最小・最大容量と、起動失敗がないかアクティビティ履歴を確認してください (`aws autoscaling describe-scaling-activities --auto-scaling-group-name <名前>`)。",
                "待機中のタスクでグループがスケールアウトするよう、キャパシティプロバイダーのマネージドスケーリングが ENABLED か確認してください。",
                "インスタンスは動いているのにクラスターに表示されない場合は、ユーザーデータで `/etc/ecs/ecs.config` に `ECS_CLUSTER={cluster_arg}` を設定しているか、エージェントが ECS に到達できるか確認してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, ASG_PROVIDER_DOC, MANAGED_SCALING_DOC],
    },
    Rule {
        id: "placement.empty-capacity-provider",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When { fields: FIELDS, any: &["empty capacity provider"], ..When::NOTHING },
        en: Text {
            title: "The capacity provider has no instances in the cluster (EMPTY CAPACITY PROVIDER)",
            explanation: "The capacity provider chosen for the task has no container instances registered in the cluster {cluster}: its Auto Scaling group is empty, or the instances it launches join a different cluster (or none).",
            steps: &[
                "Check the Auto Scaling group behind the capacity provider (`aws ecs describe-capacity-providers`) has a maximum capacity above zero and launches instances successfully.",
                "Check the launch template's user data registers the instances with this cluster: `ECS_CLUSTER={cluster_arg}` in `/etc/ecs/ecs.config`.",
                "Check the cluster's capacity provider strategy names the capacity provider you expect.",
            ],
        },
        ja: Text {
            title: "キャパシティプロバイダーのインスタンスがクラスターにありません (EMPTY CAPACITY PROVIDER)",
            explanation: "タスクに選ばれたキャパシティプロバイダーには、クラスター {cluster} に登録されたコンテナインスタンスがありません。Auto Scaling グループが空であるか、起動したインスタンスが別のクラスターに登録されている (またはどこにも登録されていない) 状態です。",
            steps: &[
                "キャパシティプロバイダーの背後の Auto Scaling グループ (`aws ecs describe-capacity-providers` で確認) の最大容量が 0 より大きく、インスタンスの起動に成功しているか確認してください。",
                "起動テンプレートのユーザーデータが、インスタンスをこのクラスターに登録しているか確認してください: `/etc/ecs/ecs.config` の `ECS_CLUSTER={cluster_arg}`。",
                "クラスターのキャパシティプロバイダー戦略が、想定したキャパシティプロバイダーを指定しているか確認してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, ASG_PROVIDER_DOC],
    },
    Rule {
        id: "placement.no-container-instances",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "no container instances were found in your cluster",
                "no container instances were found in your capacity provider",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "The cluster has no container instances",
            explanation: "The task uses the EC2 launch type (or an EC2 capacity provider) but no container instance is registered in the cluster {cluster}, or none in the capacity provider's Auto Scaling group.",
            steps: &[
                "Launch container instances for the cluster (an Auto Scaling group with the ECS-optimized AMI and `ECS_CLUSTER={cluster_arg}` in the user data), or add an Auto Scaling group capacity provider.",
                "If an Auto Scaling group should have launched them, read its activity history (`aws autoscaling describe-scaling-activities --auto-scaling-group-name <asg>`): an EC2 vCPU or Spot quota, an instance type not offered in the Availability Zone, or a broken launch template stops instances from ever starting.",
                "If instances are running, check why they did not register: the agent log `/var/log/ecs/ecs-agent.log`, the instance profile role, and network access to the ECS endpoints.",
                "If the workload was meant for Fargate, set the launch type or capacity provider strategy to FARGATE.",
            ],
        },
        ja: Text {
            title: "クラスターにコンテナインスタンスがありません",
            explanation: "タスクは EC2 起動タイプ (または EC2 のキャパシティプロバイダー) を使いますが、クラスター {cluster} (またはキャパシティプロバイダーの Auto Scaling グループ) にはコンテナインスタンスが 1 台も登録されていません。",
            steps: &[
                "クラスター用のコンテナインスタンスを起動してください (ECS 最適化 AMI を使い、ユーザーデータで `ECS_CLUSTER={cluster_arg}` を設定した Auto Scaling グループ)。または Auto Scaling グループのキャパシティプロバイダーを追加してください。",
                "Auto Scaling グループが起動するはずだった場合は、そのアクティビティ履歴 (`aws autoscaling describe-scaling-activities --auto-scaling-group-name <ASG>`) を確認してください。EC2 の vCPU や Spot のクォータ、そのアベイラビリティーゾーンで提供されていないインスタンスタイプ、壊れた起動テンプレートがあると、インスタンスは起動しません。",
                "インスタンスは動いている場合、登録されない理由をエージェントログ `/var/log/ecs/ecs-agent.log`、インスタンスプロファイルのロール、ECS エンドポイントへのネットワーク到達性で確認してください。",
                "Fargate で動かすつもりだった場合は、起動タイプまたはキャパシティプロバイダー戦略を FARGATE にしてください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, REQUIREMENTS_KC],
    },
    Rule {
        id: "placement.requirements-unmet",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "no container instance met all of its requirements",
                // Family fallback: any service event or API failure about placing a task.
                "unable to place a task",
                "unable to place task",
            ],
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "No container instance met all of the task's requirements",
            explanation: "The service {service} could not place a task: no container instance in the cluster {cluster} had at the same time enough free CPU, memory, ports and network interfaces, the required attributes, and a match for the placement constraints. The event names no single cause.",
            steps: &[
                "Read the next service events (`aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].events[:10]'`): ECS often adds \"The closest matching container-instance … has insufficient …\" naming the missing resource.",
                "Compare `remainingResources` of the instances with what task definition {task_definition} reserves, and check its placement constraints and required attributes.",
                "Add container instances or let a capacity provider with managed scaling grow the cluster.",
            ],
        },
        ja: Text {
            title: "タスクのすべての要件を満たすコンテナインスタンスがありません",
            explanation: "サービス {service} はタスクを配置できませんでした。クラスター {cluster} には、空き CPU・メモリ・ポート・ネットワークインターフェイス、必要な属性、配置制約をすべて同時に満たすコンテナインスタンスがありませんでした。このイベントだけでは原因は 1 つに絞れません。",
            steps: &[
                "続くサービスイベントを確認してください (`aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].events[:10]'`)。「The closest matching container-instance … has insufficient …」のように不足しているリソースが示されることがよくあります。",
                "インスタンスの `remainingResources` とタスク定義 {task_definition} の予約量を比べ、配置制約と必要な属性も確認してください。",
                "コンテナインスタンスを追加するか、マネージドスケーリング付きのキャパシティプロバイダーでクラスターを拡張してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, REQUIREMENTS_KC, PLACEMENT_DOC],
    },
    Rule {
        id: "ec2.subnet-addresses-exhausted",
        category: Category::EniProvisioning,
        severity: Severity::Error,
        // EC2's error code and message for a subnet with no free private IPv4 address, which ECS
        // copies verbatim into stoppedReason, statusReason or a service event.
        when: When {
            any: &[
                "insufficientfreeaddressesinsubnet",
                "not enough free addresses in subnet",
                "sufficient free ipv4 addresses",
                "does not have enough free addresses",
            ],
            // An instance registering its trunk interface says so; instance.trunk-interface-failed
            // explains that case.
            none: &["while attempting to create network interface"],
            ..When::NOTHING
        },
        en: Text {
            title: "The subnet has no free IP address for the task's network interface",
            explanation: "EC2 refused to create a network interface because subnet {subnet} has no free private IPv4 address left: {reason}. Every `awsvpc` task (every Fargate task) takes one address; load balancers, NAT gateways, endpoints and other ENIs share the same pool.",
            steps: &[
                "Check free addresses: `aws ec2 describe-subnets --subnet-ids {subnet_arg} --query 'Subnets[].AvailableIpAddressCount'` for each subnet of the service's network configuration.",
                "Add more or larger subnets (for example /20 or wider) to the service's `awsvpcConfiguration.subnets`, spread over Availability Zones.",
                "Look for leftover network interfaces in the subnet (`aws ec2 describe-network-interfaces --filters Name=subnet-id,Values={subnet_arg} Name=status,Values=available`) and remove the ones nothing uses.",
            ],
        },
        ja: Text {
            title: "サブネットにタスクのネットワークインターフェイス用の空き IP アドレスがありません",
            explanation: "サブネット {subnet} に空きのプライベート IPv4 アドレスが残っていないため、EC2 がネットワークインターフェイスの作成を拒否しました: {reason}。`awsvpc` のタスク (Fargate のタスクはすべて) は 1 つずつアドレスを使い、ロードバランサー、NAT ゲートウェイ、エンドポイントなどの ENI も同じアドレスを使います。",
            steps: &[
                "サービスのネットワーク設定にある各サブネットの空きアドレス数を確認してください: `aws ec2 describe-subnets --subnet-ids {subnet_arg} --query 'Subnets[].AvailableIpAddressCount'`。",
                "サービスの `awsvpcConfiguration.subnets` に、より多くの、またはより大きなサブネット (/20 以上など) を複数のアベイラビリティーゾーンにわたって追加してください。",
                "サブネットに残った使われていないネットワークインターフェイスを探して (`aws ec2 describe-network-interfaces --filters Name=subnet-id,Values={subnet_arg} Name=status,Values=available`)、不要なものを削除してください。",
            ],
        },
        docs: &[SUBNET_SIZING_DOC, EC2_ERRORS_DOC],
    },
    Rule {
        id: "ec2.eni-limit",
        category: Category::EniProvisioning,
        severity: Severity::Error,
        // EC2's error codes for the account's network-interface quota and the instance's
        // attachment limit.
        when: When {
            any: &[
                "networkinterfacelimitexceeded",
                "attachmentlimitexceeded",
                "maximum number of network interfaces",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "A network-interface limit stopped the task's ENI",
            explanation: "EC2 could not create or attach the task's network interface because a limit was reached: {reason}. Either the Region's quota of network interfaces is used up, or the container instance has no free attachment slot.",
            steps: &[
                "If the code is `NetworkInterfaceLimitExceeded`, request a higher \"Network interfaces per Region\" quota in Service Quotas, and delete unused interfaces.",
                "[ec2] If the code is `AttachmentLimitExceeded`, turn on `awsvpcTrunking` for the account and use instance types that support trunking, or run fewer `awsvpc` tasks per instance.",
                "[ec2] Consider `bridge` network mode with dynamic host ports for many small tasks per instance.",
            ],
        },
        ja: Text {
            title: "ネットワークインターフェイスの上限によりタスクの ENI を用意できませんでした",
            explanation: "上限に達したため、EC2 がタスクのネットワークインターフェイスを作成またはアタッチできませんでした: {reason}。リージョンのネットワークインターフェイス数のクォータを使い切ったか、コンテナインスタンスに空きのアタッチ枠がありません。",
            steps: &[
                "コードが `NetworkInterfaceLimitExceeded` の場合は、Service Quotas で「Network interfaces per Region」の引き上げを申請し、使っていないインターフェイスを削除してください。",
                "[ec2] コードが `AttachmentLimitExceeded` の場合は、アカウントで `awsvpcTrunking` を有効にしてトランキング対応のインスタンスタイプを使うか、インスタンスあたりの `awsvpc` タスク数を減らしてください。",
                "[ec2] 小さなタスクを 1 台に多数置く場合は、動的ホストポートを使う `bridge` ネットワークモードも検討してください。",
            ],
        },
        docs: &[TRUNKING_DOC, EC2_ERRORS_DOC],
    },
    Rule {
        id: "ec2.instance-capacity",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        // EC2's InsufficientInstanceCapacity (and its message) when a capacity provider or
        // Auto Scaling group tries to launch instances for the cluster.
        when: When {
            any: &[
                "insufficientinstancecapacity",
                "we currently do not have sufficient",
                "insufficient capacity in the availability zone",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "EC2 had no capacity for the instance type the cluster needs",
            explanation: "EC2 could not launch the instances the cluster's capacity needs: {reason}. The requested instance type is temporarily out of capacity in that Availability Zone, so tasks waiting for new instances cannot be placed.",
            steps: &[
                "Let the Auto Scaling group use several instance types (a mixed instances policy) and several Availability Zones.",
                "Retry later, or use a different instance type in the capacity provider's Auto Scaling group.",
                "For steady needs, reserve capacity with an On-Demand Capacity Reservation.",
            ],
        },
        ja: Text {
            title: "クラスターに必要なインスタンスタイプの容量が EC2 にありませんでした",
            explanation: "クラスターの容量に必要なインスタンスを EC2 が起動できませんでした: {reason}。そのアベイラビリティーゾーンでは要求したインスタンスタイプの容量が一時的に不足しているため、新しいインスタンスを待つタスクを配置できません。",
            steps: &[
                "Auto Scaling グループで複数のインスタンスタイプ (混合インスタンスポリシー) と複数のアベイラビリティーゾーンを使えるようにしてください。",
                "時間をおいて再試行するか、キャパシティプロバイダーの Auto Scaling グループで別のインスタンスタイプを使ってください。",
                "継続的に必要な容量は、オンデマンドキャパシティ予約で確保してください。",
            ],
        },
        docs: &[MANAGED_SCALING_DOC, EC2_ERRORS_DOC],
    },
];
