//! Service-level events: `ECS Service Action` (event name + `reason`), `ECS Deployment State
//! Change` (circuit breaker and rollbacks) and `ECS Container Instance State Change` (status,
//! `statusReason`, `agentConnected`), plus the service event messages that explain them.
//!
//! Event names are matched with `exact`. An event name that only announces "see `reason`"
//! (`SERVICE_TASK_PLACEMENT_FAILURE`, `SERVICE_TASK_CONFIGURATION_FAILURE`,
//! `SERVICE_DEPLOYMENT_FAILED`) is `Tier::Generic`: the rule that explains its reason wins.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::vocabulary::phrase;
use crate::diagnose::{Field, Signal, Tier};
use crate::incident::ContainerInstance;

const EVENT: &[Field] = &[Field::EventName];
const EVENT_OR_REASON: &[Field] = &[Field::EventName, Field::ServiceReason];
const REASON: &[Field] = &[Field::ServiceReason];
const STATUS: &[Field] = &[Field::InstanceStatus];

const SERVICE_EVENTS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html";
const SERVICE_MESSAGES_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html";
const DEPLOYMENT_EVENTS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html";
const INSTANCE_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html";
const AGENT_CONFIG_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html";
const INSTANCE_EVENTS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_container_instance_events.html";
const CIRCUIT_BREAKER_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html";
const ROLLING_UPDATE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html";
const THROTTLE_LOGIC_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-throttle-logic.html";
const SLR_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html";
const TASK_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html";
const EXEC_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
const ACCOUNT_SETTINGS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html";
const CONSTRAINTS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html";
const QUOTAS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html";
const SERVICE_DISCOVERY_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html";
const LATTICE_HEALTH_DOC: &str = "https://docs.aws.amazon.com/vpc-lattice/latest/ug/target-group-health-checks.html";
const TASK_PROTECTION_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html";
const DRAINING_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html";
const TRUNKING_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html";
const AGENT_DISCONNECTED_KC: &str = "https://repost.aws/knowledge-center/ecs-agent-disconnected-linux2-ami";
const UNHEALTHY_EVENTS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html";
const LB_TROUBLESHOOT_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-load-balancers.html";
const KC_FARGATE_HEALTH: &str = "https://repost.aws/knowledge-center/ecs-fargate-health-check-failures";

/// Events that report normal operation. They are still worth a rule: it says "nothing to do".
const NORMAL_EVENTS: &[&str] = &[
    "service_steady_state",
    "taskset_steady_state",
    "capacity_provider_steady_state",
    "service_desired_count_updated",
    "tasks_stopped",
    "service_deployment_in_progress",
    "service_deployment_completed",
    "hook_in_progress",
    "hook_succeeded",
];

/// Words in a container instance's `statusReason` that show the change was asked for (a person,
/// a scale-in, an instance refresh, managed draining, Spot). AWS documents no fixed vocabulary for
/// this field, so this is a heuristic; without a matching reason the change is reported.
const REQUESTED: &[&str] = &[
    "requested",
    "by user",
    "user initiated",
    "userinitiated",
    "scale-in",
    "scale in",
    "scaling activity",
    "lifecycle",
    "instance refresh",
    "managed draining",
    "managed termination",
    "spot interruption",
    "updatecontainerinstancesstate",
    "deregistercontainerinstance",
];

// ---- Checks of this family. ----

fn event_is(s: &Signal, name: &str) -> bool {
    s.incident
        .service_event
        .as_ref()
        .is_some_and(|e| e.event_name.eq_ignore_ascii_case(name))
}

/// Not a `SERVICE_DEPLOYMENT_FAILED` event: a rollback reason there belongs to the failure.
fn not_deployment_failed(s: &Signal) -> bool {
    !event_is(s, "SERVICE_DEPLOYMENT_FAILED")
}

fn instance<'a>(s: &Signal<'a>) -> Option<&'a ContainerInstance> {
    s.incident.container_instance.as_ref()
}

/// The instance's `statusReason` (normalised once per incident) shows the change was asked for.
fn change_requested(s: &Signal) -> bool {
    REQUESTED.iter().any(|w| s.shared.instance_reason.contains(w))
}

/// A container instance event whose `statusReason` shows the status change was asked for.
fn leaving_as_requested(s: &Signal) -> bool {
    instance(s).is_some() && change_requested(s)
}

/// A container instance event (statuses are only read from those).
fn instance_event(s: &Signal) -> bool {
    instance(s).is_some()
}

/// A container instance event whose agent is connected, or not reported.
fn agent_not_disconnected(s: &Signal) -> bool {
    instance(s).is_some_and(|i| i.agent_connected != Some(false))
}

pub const RULES: &[Rule] = &[
    // ---- Reasons of SERVICE_TASK_CONFIGURATION_FAILURE and similar service messages ----
    Rule {
        id: "service.linked-role-missing",
        category: Category::IamRole,
        severity: Severity::Error,
        when: When {
            fields: REASON,
            any: &["service linked role", "service-linked role", "awsserviceroleforecs"],
            ..When::NOTHING
        },
        en: Text {
            title: "ECS could not use its service-linked role (AWSServiceRoleForECS)",
            explanation: "ECS acts on the account's network interfaces, load balancers and Cloud Map through the service-linked role `AWSServiceRoleForECS`, and that role is missing or not usable yet ({reason}). ECS normally creates it on first use; a permissions boundary or SCP can prevent that, and right after creation it may take a short while to work.",
            steps: &[
                "Check the role exists: `aws iam get-role --role-name AWSServiceRoleForECS`.",
                "If it does not, create it: `aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com` (the caller needs `iam:CreateServiceLinkedRole`).",
                "If it was just created, retry after a minute; IAM changes take a moment to propagate.",
            ],
        },
        ja: Text {
            title: "ECS がサービスリンクロール (AWSServiceRoleForECS) を使用できませんでした",
            explanation: "ECS はサービスリンクロール `AWSServiceRoleForECS` を使ってアカウントのネットワークインターフェイス、ロードバランサー、Cloud Map を操作しますが、そのロールが存在しないか、まだ使える状態ではありません ({reason})。通常は初回利用時に ECS が自動で作成しますが、アクセス許可の境界や SCP で妨げられることがあり、作成直後は有効になるまで少し時間がかかります。",
            steps: &[
                "ロールがあるか確認してください: `aws iam get-role --role-name AWSServiceRoleForECS`。",
                "なければ作成してください: `aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com` (呼び出し元に `iam:CreateServiceLinkedRole` が必要です)。",
                "作成した直後であれば、1 分ほど待って再試行してください。IAM の変更の反映には少し時間がかかります。",
            ],
        },
        docs: &[SLR_DOC, SERVICE_EVENTS_DOC],
    },
    Rule {
        id: "service.task-role-assume-failed",
        category: Category::IamRole,
        severity: Severity::Error,
        when: When {
            fields: REASON,
            any: &["unable to assume the role", "ecs was unable to assume"],
            ..When::NOTHING
        },
        en: Text {
            title: "ECS could not assume the IAM role given for the task",
            explanation: "The service {service} could not start tasks because ECS was refused when it tried to assume a role named in the task definition ({reason}). The role does not exist (any more), its trust policy does not name `ecs-tasks.amazonaws.com`, or the principal that created the service may not pass it.",
            steps: &[
                "Check that the role in the message exists: `aws iam get-role --role-name <name>`; task definitions keep pointing to deleted roles.",
                "Check its trust policy allows `sts:AssumeRole` for the principal `ecs-tasks.amazonaws.com` (both the task role and the task execution role need this); conditions on `aws:SourceAccount`/`aws:SourceArn` must match this account and cluster.",
                "Check the identity that creates or updates the service may `iam:PassRole` the role.",
                "A role created a moment ago can fail once while IAM propagates; if the next attempt works, nothing else is needed.",
            ],
        },
        ja: Text {
            title: "タスクに指定した IAM ロールを ECS が引き受けられませんでした",
            explanation: "サービス {service} は、タスク定義に指定されたロールを ECS が引き受けようとして拒否されたため、タスクを起動できませんでした ({reason})。ロールが存在しない (削除された)、信頼ポリシーに `ecs-tasks.amazonaws.com` が含まれていない、またはサービスを作成したプリンシパルにロールを渡す権限がない、のいずれかです。",
            steps: &[
                "メッセージにあるロールが存在するか確認してください: `aws iam get-role --role-name <名前>`。削除されたロールをタスク定義が参照し続けていることがあります。",
                "信頼ポリシーがプリンシパル `ecs-tasks.amazonaws.com` に `sts:AssumeRole` を許可しているか確認してください (タスクロールとタスク実行ロールの両方で必要です)。`aws:SourceAccount`/`aws:SourceArn` の条件がある場合は、このアカウントとクラスターに一致している必要があります。",
                "サービスを作成・更新する ID がそのロールに対する `iam:PassRole` を持っているか確認してください。",
                "作成した直後のロールは IAM の反映待ちで一度失敗することがあります。次の試行で成功すれば対応は不要です。",
            ],
        },
        docs: &[TASK_ROLE_DOC, EXEC_ROLE_DOC, SERVICE_EVENTS_DOC],
    },
    Rule {
        id: "service.arn-format-opt-in",
        category: Category::IamRole,
        severity: Severity::Error,
        when: When {
            fields: REASON,
            any: &[
                "new arn and resource id format must be enabled",
                "opted in to the new amazon resource name",
                "opt in to the new format",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Tagging needs the long ARN format, which is not enabled",
            explanation: "The service {service} asks ECS to tag its tasks (tags, managed tags or tag propagation), which needs the long ARN and resource ID format, and the IAM principal or the account has not opted in to it ({reason}). ARN format settings apply per IAM user or role, with an account default.",
            steps: &[
                "Check the settings as the identity that creates the service: `aws ecs list-account-settings --effective-settings --name taskLongArnFormat` (also `serviceLongArnFormat` and `containerInstanceLongArnFormat`).",
                "Enable them for the whole account: `aws ecs put-account-setting-default --name taskLongArnFormat --value enabled`, and the same for the other two names.",
                "Or remove the tag settings (`tags`, `enableECSManagedTags`, `propagateTags`) from the service until the opt-in is done.",
            ],
        },
        ja: Text {
            title: "タグ付けに必要な新しい ARN 形式が有効になっていません",
            explanation: "サービス {service} はタスクへのタグ付け (タグ、マネージドタグ、タグの伝播) を要求していますが、これには新しい形式の ARN とリソース ID が必要で、IAM プリンシパルまたはアカウントがオプトインしていません ({reason})。ARN 形式の設定は IAM ユーザーやロールごとに適用され、アカウントの既定値もあります。",
            steps: &[
                "サービスを作成する ID で設定を確認してください: `aws ecs list-account-settings --effective-settings --name taskLongArnFormat` (`serviceLongArnFormat` と `containerInstanceLongArnFormat` も同様)。",
                "アカウント全体で有効にしてください: `aws ecs put-account-setting-default --name taskLongArnFormat --value enabled`。残りの 2 つの名前も同じように設定します。",
                "またはオプトインが済むまで、サービスのタグ設定 (`tags`、`enableECSManagedTags`、`propagateTags`) を外してください。",
            ],
        },
        docs: &[ACCOUNT_SETTINGS_DOC, SERVICE_EVENTS_DOC],
    },
    Rule {
        id: "service.target-unhealthy",
        category: Category::HealthCheckElb,
        severity: Severity::Error,
        // The service event "(service x) (task y) (port n) is unhealthy in (target-group …) due to
        // (reason …)", and the reasons the load balancer gives on its own.
        when: When {
            fields: REASON,
            any: &[
                "unhealthy in (target-group",
                "unhealthy in (elb",
                // The older event wording, without parentheses around the target group.
                "is unhealthy in target-group",
                "is unhealthy in elb",
                "health checks failed with these codes",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Load balancer marks the service's tasks unhealthy",
            explanation: "Load balancer health checks keep failing for a task of the service {service} in target group {target_group}: {reason}. ECS will stop such a task and start a replacement, so if every new task fails the same way the service keeps cycling tasks and a deployment never finishes. \"Health checks failed\" with status codes means the container answered with the wrong code; \"Request timed out\" means the check never got an answer in time.",
            steps: &[
                "[awsvpc] Let the load balancer reach the task: the task's security group needs an inbound rule from the load balancer's security group on the container port (and on the health check port, if it is different).",
                "Check the target group's health check path, port and success codes against what the application serves: a path that answers 301, 401 or 404 fails unless those codes are allowed (`aws elbv2 describe-target-health --target-group-arn <arn>` shows each target's reason).",
                "[service] If the application needs time to start, set `healthCheckGracePeriodSeconds` on the service {service} longer than its start-up.",
                "Make sure the application listens on `0.0.0.0` (all interfaces), not `127.0.0.1`, on the container port registered with the target group.",
            ],
        },
        ja: Text {
            title: "ロードバランサーがサービスのタスクを異常と判定しています",
            explanation: "サービス {service} のタスクに対するロードバランサーのヘルスチェックが、ターゲットグループ {target_group} で失敗し続けています: {reason}。ECS はこのようなタスクを停止して代わりを起動するため、新しいタスクがすべて同じように失敗すると、サービスはタスクの入れ替えを繰り返し、デプロイが完了しません。ステータスコード付きの「Health checks failed」はコンテナが想定外のコードを返したこと、「Request timed out」は時間内に応答がなかったことを示します。",
            steps: &[
                "[awsvpc] ロードバランサーからタスクに届くようにしてください。タスクのセキュリティグループに、ロードバランサーのセキュリティグループからコンテナポート (ヘルスチェックのポートが異なる場合はそのポートも) へのインバウンドルールが必要です。",
                "ターゲットグループのヘルスチェックのパス、ポート、成功コードを、アプリケーションの応答と照らし合わせてください。301、401、404 を返すパスは、それらのコードを許可しない限り失敗します (`aws elbv2 describe-target-health --target-group-arn <ARN>` で各ターゲットの理由を確認できます)。",
                "[service] アプリケーションの起動に時間がかかる場合は、サービス {service} の `healthCheckGracePeriodSeconds` を起動時間より長く設定してください。",
                "アプリケーションが `127.0.0.1` ではなく `0.0.0.0` (全インターフェイス) で、ターゲットグループに登録したコンテナポートを待ち受けているか確認してください。",
            ],
        },
        docs: &[UNHEALTHY_EVENTS_DOC, LB_TROUBLESHOOT_DOC, KC_FARGATE_HEALTH],
    },
    Rule {
        id: "service.deployment-configuration-blocks",
        category: Category::DeploymentFailed,
        severity: Severity::Error,
        when: When {
            fields: REASON,
            any: &[
                "because of the service deployment configuration",
                "update the minimumhealthypercent or maximumpercent",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Deployment cannot start or stop any task with the current minimum/maximum percent",
            explanation: "With the service's `minimumHealthyPercent` and `maximumPercent` and its desired count, the scheduler may neither stop an old task nor start a new one, so the deployment of {service} cannot move. The minimum is rounded up and the maximum rounded down, so small services hit this easily (e.g. 2 tasks with minimum 75% and maximum 100%).",
            steps: &[
                "Read the values: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].deploymentConfiguration'`.",
                "Allow at least one task of room: raise `maximumPercent` (e.g. 200) if the cluster has spare capacity, or lower `minimumHealthyPercent` (e.g. 50, or 0 for a single-task service that may be briefly down).",
                "Apply it with `aws ecs update-service --deployment-configuration maximumPercent=200,minimumHealthyPercent=50 …` and watch the deployment continue.",
            ],
        },
        ja: Text {
            title: "現在の最小/最大パーセントではデプロイでタスクを起動も停止もできません",
            explanation: "サービスの `minimumHealthyPercent` と `maximumPercent`、希望タスク数の組み合わせでは、スケジューラーは古いタスクを停止することも新しいタスクを起動することもできず、{service} のデプロイが進みません。最小値は切り上げ、最大値は切り捨てで計算されるため、小さなサービスでは起こりがちです (例: タスク 2 つで最小 75%、最大 100%)。",
            steps: &[
                "値を確認してください: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].deploymentConfiguration'`。",
                "少なくとも 1 タスク分の余地を作ってください。クラスターに余裕があれば `maximumPercent` を上げる (例: 200)、または `minimumHealthyPercent` を下げます (例: 50。一時的に止まってよい 1 タスクのサービスなら 0)。",
                "`aws ecs update-service --deployment-configuration maximumPercent=200,minimumHealthyPercent=50 …` で適用し、デプロイが進むことを確認してください。",
            ],
        },
        docs: &[SERVICE_MESSAGES_DOC, ROLLING_UPDATE_DOC],
    },
    Rule {
        id: "service.protected-tasks-block-scale-in",
        category: Category::TaskProtection,
        severity: Severity::Warning,
        when: When {
            fields: REASON,
            any: &["protected tasks are more than the desired count"],
            ..When::NOTHING
        },
        en: Text {
            title: "Protected tasks keep the service above its desired count",
            explanation: "The service {service} cannot scale in or finish its deployment because more of its tasks have scale-in protection than the desired count allows; protected tasks are never stopped by the scheduler.",
            steps: &[
                "See which tasks are protected: `aws ecs get-task-protection --cluster {cluster_arg} --tasks <ids>`.",
                "Unprotect tasks that may stop (`aws ecs update-task-protection … --no-protection-enabled`), or wait for their protection to expire.",
                "Or raise the desired count above the number of protected tasks; and set `expiresInMinutes` no longer than the work needs.",
            ],
        },
        ja: Text {
            title: "保護済みタスクのためにサービスが希望タスク数まで縮小できません",
            explanation: "サービス {service} では、スケールイン保護されたタスクが希望タスク数より多いため、スケールインもデプロイの完了もできません。保護されたタスクはスケジューラーによって停止されません。",
            steps: &[
                "保護されているタスクを確認してください: `aws ecs get-task-protection --cluster {cluster_arg} --tasks <ID>`。",
                "停止してよいタスクの保護を解除する (`aws ecs update-task-protection … --no-protection-enabled`) か、保護の期限切れを待ってください。",
                "または希望タスク数を保護済みタスク数より大きくしてください。`expiresInMinutes` は処理に必要な時間以上にしないでください。",
            ],
        },
        docs: &[TASK_PROTECTION_DOC, SERVICE_MESSAGES_DOC],
    },
    // ---- ECS Service Action event names ----
    Rule {
        id: "service.task-configuration-failure",
        category: Category::Unknown,
        severity: Severity::Error,
        when: When {
            fields: EVENT,
            exact: &["service_task_configuration_failure"],
            tier: Tier::Generic,
            ..When::NOTHING
        },
        en: Text {
            title: "Service could not start tasks because of a configuration error",
            explanation: "ECS reported SERVICE_TASK_CONFIGURATION_FAILURE for the service {service}: its configuration keeps tasks from being placed. The event's `reason` names the cause; the most common ones are a task IAM role ECS cannot assume and tagging without the long ARN format.",
            steps: &[
                "Read the event's `reason` and the service events: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].events[:5]'`.",
                "Check that the roles in the task definition exist and trust `ecs-tasks.amazonaws.com`.",
                "If the service uses tags or tag propagation, check the long ARN format settings (`aws ecs list-account-settings --effective-settings`).",
            ],
        },
        ja: Text {
            title: "構成エラーのためサービスがタスクを起動できませんでした",
            explanation: "ECS はサービス {service} について SERVICE_TASK_CONFIGURATION_FAILURE を報告しました。サービスの構成が原因でタスクを配置できません。原因はイベントの `reason` に示され、多いのは ECS が引き受けられないタスクの IAM ロールと、新しい ARN 形式を有効にしないままのタグ付けです。",
            steps: &[
                "イベントの `reason` とサービスイベントを確認してください: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].events[:5]'`。",
                "タスク定義のロールが存在し、`ecs-tasks.amazonaws.com` を信頼しているか確認してください。",
                "サービスでタグやタグの伝播を使っている場合は、新しい ARN 形式の設定を確認してください (`aws ecs list-account-settings --effective-settings`)。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, ACCOUNT_SETTINGS_DOC, TASK_ROLE_DOC],
    },
    Rule {
        id: "service.task-placement-failure",
        category: Category::PlacementCapacity,
        severity: Severity::Error,
        when: When {
            fields: EVENT,
            exact: &["service_task_placement_failure"],
            tier: Tier::Generic,
            ..When::NOTHING
        },
        en: Text {
            title: "Service could not place a task",
            explanation: "ECS reported SERVICE_TASK_PLACEMENT_FAILURE for the service {service}: no capacity could take a new task. The event's `reason` (e.g. `RESOURCE:CPU`, `RESOURCE:FARGATE`) names the missing resource; without it, the usual causes are too little CPU, memory, ports or network interfaces on the container instances, no instances at all, or a disconnected agent.",
            steps: &[
                "Read the event's `reason` and the latest service events: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].events[:5]'`.",
                "[ec2] Compare the container instances' `remainingResources` with what the task definition reserves, and check `agentConnected`.",
                "[fargate] Check the Fargate vCPU quotas and spread the service over subnets in several Availability Zones.",
            ],
        },
        ja: Text {
            title: "サービスがタスクを配置できませんでした",
            explanation: "ECS はサービス {service} について SERVICE_TASK_PLACEMENT_FAILURE を報告しました。新しいタスクを受け入れられる容量がありません。不足しているリソースはイベントの `reason` (`RESOURCE:CPU`、`RESOURCE:FARGATE` など) に示されます。示されていない場合、よくある原因はコンテナインスタンスの CPU・メモリ・ポート・ネットワークインターフェイスの不足、インスタンスがないこと、エージェントの切断です。",
            steps: &[
                "イベントの `reason` と最新のサービスイベントを確認してください: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].events[:5]'`。",
                "[ec2] コンテナインスタンスの `remainingResources` とタスク定義の予約量を比べ、`agentConnected` も確認してください。",
                "[fargate] Fargate の vCPU クォータを確認し、サービスを複数のアベイラビリティーゾーンのサブネットに分散させてください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, SERVICE_MESSAGES_DOC],
    },
    Rule {
        id: "service.task-start-impaired",
        category: Category::DeploymentFailed,
        severity: Severity::Warning,
        when: When {
            fields: EVENT_OR_REASON,
            exact: &["service_task_start_impaired"],
            any: &["unable to consistently start tasks successfully"],
            ..When::NOTHING
        },
        en: Text {
            title: "Service keeps failing to start tasks; ECS is slowing its retries",
            explanation: "The tasks of the service {service} failed to start several times in a row, so the scheduler now waits longer and longer between attempts (service throttle logic). This event does not say why they fail: the stopped tasks do.",
            steps: &[
                "Find the stopped tasks: `aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED`, then `aws ecs describe-tasks` and read `stoppedReason`, `stopCode` and each container's `reason` and `exitCode` (they stay visible for about an hour).",
                "Fix the cause they show (image pull, secrets, health checks, application exit, …); ecs-doctor explains each of those when it receives the task events.",
                "Updating the service (for example with a fixed task definition) resets the retry delay.",
            ],
        },
        ja: Text {
            title: "サービスがタスクの起動に失敗し続けており、ECS が再試行の間隔を広げています",
            explanation: "サービス {service} のタスクが続けて起動に失敗したため、スケジューラーは再試行の間隔を徐々に延ばしています (サービスのスロットリングロジック)。このイベントは失敗の理由を示しません。理由は停止したタスクに記録されています。",
            steps: &[
                "停止したタスクを探してください: `aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED` の後に `aws ecs describe-tasks` を実行し、`stoppedReason`、`stopCode`、各コンテナの `reason` と `exitCode` を確認します (見えるのは 1 時間ほどです)。",
                "そこに示された原因 (イメージのプル、シークレット、ヘルスチェック、アプリケーションの終了など) を修正してください。タスクのイベントを受け取れば、ecs-doctor がそれぞれを説明します。",
                "サービスを更新する (修正したタスク定義を指定するなど) と、再試行の待ち時間はリセットされます。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, THROTTLE_LOGIC_DOC, SERVICE_MESSAGES_DOC],
    },
    Rule {
        id: "service.daemon-placement-constraint-violated",
        category: Category::PlacementConstraint,
        severity: Severity::Error,
        when: When {
            fields: EVENT,
            exact: &["service_daemon_placement_constraint_violated"],
            ..When::NOTHING
        },
        en: Text {
            title: "A daemon service task no longer meets the service's placement constraints",
            explanation: "The DAEMON service {service} runs a task on a container instance that no longer matches the service's placement constraints, typically because the instance's attributes changed or the constraints were edited after the task started.",
            steps: &[
                "Read the constraints: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].placementConstraints'`.",
                "Compare them with the attributes of the instances named in the event (`aws ecs list-attributes --cluster {cluster_arg} --target-type container-instance`).",
                "Correct the constraint or the instance attributes (`aws ecs put-attributes` / `delete-attributes`); the scheduler then places or stops daemon tasks to match.",
            ],
        },
        ja: Text {
            title: "デーモンサービスのタスクがサービスの配置制約を満たさなくなりました",
            explanation: "DAEMON サービス {service} のタスクが、サービスの配置制約に合わなくなったコンテナインスタンスで動いています。多くはタスク起動後にインスタンスの属性が変わったか、制約が編集されたためです。",
            steps: &[
                "制約を確認してください: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].placementConstraints'`。",
                "イベントに示されたインスタンスの属性と比べてください (`aws ecs list-attributes --cluster {cluster_arg} --target-type container-instance`)。",
                "制約またはインスタンスの属性を修正してください (`aws ecs put-attributes` / `delete-attributes`)。スケジューラーがそれに合わせてデーモンタスクを配置または停止します。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, CONSTRAINTS_DOC],
    },
    Rule {
        id: "service.ecs-throttled",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: EVENT_OR_REASON,
            exact: &["ecs_operation_throttled"],
            any: &["operations are being throttled"],
            ..When::NOTHING
        },
        en: Text {
            title: "Service scheduler is throttled by the ECS API rate limits",
            explanation: "The scheduler of the service {service} hit the ECS API rate limits of the account and Region, so it will start or stop tasks later. Other callers in the account (deploy tools, scripts polling Describe*/List*) share the same limits.",
            steps: &[
                "Look in CloudTrail for the callers making the most ECS calls (`ThrottlingException` errors point at them) and slow them down or cache their results.",
                "Avoid deploying many services at the same moment; stagger large rollouts.",
                "If the call rate is legitimate, request a higher ECS API rate quota through AWS Support.",
            ],
        },
        ja: Text {
            title: "サービススケジューラーが ECS API のレート制限でスロットリングされています",
            explanation: "サービス {service} のスケジューラーがアカウントとリージョンの ECS API レート制限に達したため、タスクの起動や停止は後で行われます。アカウント内の他の呼び出し元 (デプロイツールや Describe*/List* をポーリングするスクリプト) も同じ制限を共有しています。",
            steps: &[
                "CloudTrail で ECS を最も多く呼び出している呼び出し元を探し (`ThrottlingException` のエラーが手がかりです)、頻度を下げるか結果をキャッシュしてください。",
                "多数のサービスを同時にデプロイしないよう、大きなロールアウトは時間をずらしてください。",
                "正当な呼び出し量であれば、AWS サポートに ECS API のレートクォータの引き上げを依頼してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, SERVICE_MESSAGES_DOC, QUOTAS_DOC],
    },
    Rule {
        id: "service.discovery-throttled",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: EVENT,
            exact: &["service_discovery_operation_throttled"],
            ..When::NOTHING
        },
        en: Text {
            title: "Service scheduler is throttled by the AWS Cloud Map API rate limits",
            explanation: "The service {service} registers its tasks in AWS Cloud Map (service discovery), and those calls hit Cloud Map's rate limits, so registrations and deregistrations are delayed.",
            steps: &[
                "Check what else calls Cloud Map in the account (other services with service discovery, scripts using `DiscoverInstances`) and spread out their deployments.",
                "Lower how often tasks churn (frequent restarts and scaling register and deregister instances each time).",
                "If the rate is legitimate, ask AWS Support about Cloud Map API rate quotas.",
            ],
        },
        ja: Text {
            title: "サービススケジューラーが AWS Cloud Map API のレート制限でスロットリングされています",
            explanation: "サービス {service} はタスクを AWS Cloud Map (サービスディスカバリー) に登録していますが、その呼び出しが Cloud Map のレート制限に達したため、登録と登録解除が遅れています。",
            steps: &[
                "アカウント内で Cloud Map を呼び出している他のもの (サービスディスカバリーを使う他のサービスや `DiscoverInstances` を使うスクリプト) を確認し、デプロイの時間をずらしてください。",
                "タスクの入れ替わりを減らしてください (頻繁な再起動やスケーリングのたびに登録と登録解除が発生します)。",
                "正当な呼び出し量であれば、Cloud Map API のレートクォータについて AWS サポートに相談してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, SERVICE_DISCOVERY_DOC],
    },
    Rule {
        id: "service.discovery-instance-unhealthy",
        category: Category::HealthCheckContainer,
        severity: Severity::Warning,
        when: When {
            fields: EVENT,
            exact: &["service_discovery_instance_unhealthy"],
            ..When::NOTHING
        },
        en: Text {
            title: "A task registered in service discovery is unhealthy",
            explanation: "The service {service} uses service discovery (AWS Cloud Map), and the scheduler found one of its registered tasks unhealthy. Clients resolving the service name may still be sent to it until it is replaced.",
            steps: &[
                "Find the task and its health: `aws ecs describe-tasks --cluster {cluster_arg} --tasks <id> --query 'tasks[].[healthStatus,containers[].healthStatus]'`.",
                "Check the container health check in the task definition (command, interval, `startPeriod`) and the application logs around the failure.",
                "If Route 53 health checks are configured on the Cloud Map service, check that they can reach the task's IP and port.",
            ],
        },
        ja: Text {
            title: "サービスディスカバリーに登録されたタスクが異常です",
            explanation: "サービス {service} はサービスディスカバリー (AWS Cloud Map) を使っており、登録済みタスクの 1 つが異常であるとスケジューラーが検出しました。置き換えられるまで、サービス名を解決したクライアントがそのタスクに送られる可能性があります。",
            steps: &[
                "タスクとそのヘルス状態を確認してください: `aws ecs describe-tasks --cluster {cluster_arg} --tasks <ID> --query 'tasks[].[healthStatus,containers[].healthStatus]'`。",
                "タスク定義のコンテナヘルスチェック (コマンド、間隔、`startPeriod`) と、失敗前後のアプリケーションログを確認してください。",
                "Cloud Map のサービスに Route 53 ヘルスチェックを設定している場合は、タスクの IP とポートに到達できるか確認してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, SERVICE_DISCOVERY_DOC],
    },
    Rule {
        id: "service.vpc-lattice-target-unhealthy",
        category: Category::HealthCheckElb,
        severity: Severity::Warning,
        when: When {
            fields: EVENT,
            exact: &["vpc_lattice_target_unhealthy"],
            ..When::NOTHING
        },
        en: Text {
            title: "A task is unhealthy in its VPC Lattice target group",
            explanation: "The service {service} is registered with Amazon VPC Lattice, and a VPC Lattice health check reports one of its tasks as unhealthy; VPC Lattice stops routing requests to it.",
            steps: &[
                "Look at the target health in the VPC Lattice console or with `aws vpc-lattice list-targets --target-group-identifier <id>`.",
                "Check the health check path, port and protocol of the target group against what the container serves, and the timeout against its response time.",
                "Check the task's security group allows traffic from the VPC Lattice managed prefix list on the health check port.",
            ],
        },
        ja: Text {
            title: "タスクが VPC Lattice のターゲットグループで異常になっています",
            explanation: "サービス {service} は Amazon VPC Lattice に登録されており、VPC Lattice のヘルスチェックがタスクの 1 つを異常と判定しました。VPC Lattice はそのタスクへのリクエストのルーティングを止めます。",
            steps: &[
                "VPC Lattice コンソール、または `aws vpc-lattice list-targets --target-group-identifier <ID>` でターゲットのヘルス状態を確認してください。",
                "ターゲットグループのヘルスチェックのパス・ポート・プロトコルがコンテナの提供内容と合っているか、タイムアウトが応答時間に見合っているか確認してください。",
                "タスクのセキュリティグループが、ヘルスチェックのポートで VPC Lattice のマネージドプレフィックスリストからの通信を許可しているか確認してください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, LATTICE_HEALTH_DOC],
    },
    // ---- ECS Deployment State Change ----
    Rule {
        id: "deployment.rollback-in-progress",
        category: Category::DeploymentFailed,
        severity: Severity::Warning,
        when: When {
            fields: REASON,
            any: &["rolling back to deployment"],
            check: Some(not_deployment_failed),
            ..When::NOTHING
        },
        en: Text {
            title: "Deployment failed and ECS is rolling back to the previous deployment",
            explanation: "The new deployment of the service {service} did not reach a steady state, so ECS is rolling the service back to the last deployment that completed ({reason}). The service keeps running on the old task definition; the new version is not live.",
            steps: &[
                "Find why the new tasks failed: list the service's STOPPED tasks (`aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED`) and read their `stoppedReason` and container reasons within the hour.",
                "Check the rollback finishes: a SERVICE_DEPLOYMENT_COMPLETED event, or `aws ecs describe-services … --query 'services[0].deployments'` showing one PRIMARY deployment.",
                "Fix the task definition or image and deploy again.",
            ],
        },
        ja: Text {
            title: "デプロイが失敗し、ECS が以前のデプロイにロールバックしています",
            explanation: "サービス {service} の新しいデプロイが安定状態に到達しなかったため、ECS は最後に完了したデプロイへサービスをロールバックしています ({reason})。サービスは古いタスク定義で動き続けており、新しいバージョンは反映されていません。",
            steps: &[
                "新しいタスクが失敗した理由を調べてください。サービスの STOPPED タスクを一覧にし (`aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED`)、1 時間以内に `stoppedReason` とコンテナの reason を確認します。",
                "ロールバックの完了を確認してください。SERVICE_DEPLOYMENT_COMPLETED イベント、または `aws ecs describe-services … --query 'services[0].deployments'` で PRIMARY のデプロイが 1 つだけになっていれば完了です。",
                "タスク定義またはイメージを修正して、もう一度デプロイしてください。",
            ],
        },
        docs: &[CIRCUIT_BREAKER_DOC, DEPLOYMENT_EVENTS_DOC],
    },
    Rule {
        id: "deployment.circuit-breaker",
        category: Category::DeploymentFailed,
        severity: Severity::Error,
        when: When { fields: REASON, any: &["deployment circuit breaker"], ..When::NOTHING },
        en: Text {
            title: "Deployment circuit breaker stopped the deployment",
            explanation: "The deployment circuit breaker marked the deployment of the service {service} as FAILED because its new tasks kept failing to start or to become healthy ({reason}). ECS stops launching new tasks for it and, if rollback is on, returns to the last completed deployment. The individual stopped tasks carry the real cause.",
            steps: &[
                "List the service's STOPPED tasks (`aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED`) and read their `stoppedReason`, `stopCode` and container reasons; they stay visible for about an hour.",
                "Fix that cause (image, secrets, health check, application start-up, resources) and deploy again.",
                "If rollback is off, the service is left on the failed deployment: turn rollback on (`deploymentCircuitBreaker={enable=true,rollback=true}`) or redeploy the previous task definition.",
            ],
        },
        ja: Text {
            title: "デプロイサーキットブレーカーがデプロイを停止しました",
            explanation: "サービス {service} の新しいタスクが起動や正常化に失敗し続けたため、デプロイサーキットブレーカーがデプロイを FAILED にしました ({reason})。ECS はこのデプロイの新しいタスクの起動をやめ、ロールバックが有効なら最後に完了したデプロイに戻します。本当の原因は個々の停止したタスクに記録されています。",
            steps: &[
                "サービスの STOPPED タスクを一覧にし (`aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED`)、`stoppedReason`、`stopCode`、コンテナの reason を確認してください。見えるのは 1 時間ほどです。",
                "その原因 (イメージ、シークレット、ヘルスチェック、アプリケーションの起動、リソース) を修正して、もう一度デプロイしてください。",
                "ロールバックが無効だと、サービスは失敗したデプロイのまま残ります。ロールバックを有効にする (`deploymentCircuitBreaker={enable=true,rollback=true}`) か、以前のタスク定義を再デプロイしてください。",
            ],
        },
        docs: &[CIRCUIT_BREAKER_DOC, DEPLOYMENT_EVENTS_DOC, ROLLING_UPDATE_DOC],
    },
    Rule {
        id: "deployment.failed",
        category: Category::DeploymentFailed,
        severity: Severity::Error,
        when: When {
            fields: EVENT,
            exact: &["service_deployment_failed"],
            tier: Tier::Generic,
            ..When::NOTHING
        },
        en: Text {
            title: "Service deployment failed",
            explanation: "ECS reported SERVICE_DEPLOYMENT_FAILED for the service {service}. This event is sent when the deployment circuit breaker (or a CloudWatch alarm watching the deployment) decides the new deployment cannot succeed; the stopped tasks of the deployment carry the cause.",
            steps: &[
                "Read the event's `reason`, then the service's STOPPED tasks (`aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED` and `aws ecs describe-tasks`).",
                "Check the deployment state: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].deployments'`; a rollback shows as a new IN_PROGRESS deployment.",
                "Fix the cause and deploy again.",
            ],
        },
        ja: Text {
            title: "サービスのデプロイに失敗しました",
            explanation: "ECS はサービス {service} について SERVICE_DEPLOYMENT_FAILED を報告しました。このイベントは、デプロイサーキットブレーカー (またはデプロイを監視する CloudWatch アラーム) が新しいデプロイは成功しないと判断したときに送られます。原因はデプロイの停止したタスクに記録されています。",
            steps: &[
                "イベントの `reason` を読み、続いてサービスの STOPPED タスクを確認してください (`aws ecs list-tasks --cluster {cluster_arg} --service-name {service_arg} --desired-status STOPPED` と `aws ecs describe-tasks`)。",
                "デプロイの状態を確認してください: `aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[0].deployments'`。ロールバックは新しい IN_PROGRESS のデプロイとして表示されます。",
                "原因を修正して、もう一度デプロイしてください。",
            ],
        },
        docs: &[DEPLOYMENT_EVENTS_DOC, CIRCUIT_BREAKER_DOC],
    },
    Rule {
        id: "deployment.family",
        category: Category::DeploymentFailed,
        severity: Severity::Error,
        // Family fallback for deployment wordings (service events, deployment events, and the
        // messages CloudFormation, CDK or CodeDeploy quote) that no specific rule knows.
        when: When {
            // Not a task's stoppedReason: StopTask callers write free text such as "rollback
            // requested by pipeline" there.
            fields: REASON,
            any: &[
                "deployment failed",
                "deployment has failed",
                "rolling back",
                "rolled back",
                "rollback",
            ],
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "A deployment of the service failed",
            explanation: "A deployment of the service {service} did not complete: {reason}. ECS gives up on a deployment when its new tasks keep failing to start or to become healthy; the stopped tasks of the new deployment carry the actual cause.",
            steps: &[
                "List the tasks of the failed deployment that stopped (`aws ecs list-tasks --desired-status STOPPED` for the service) and read their `stoppedReason` and container `reason`s: ecs-doctor explains those.",
                "Read the service events around the failure for placement, health-check or start errors.",
                "Compare the new task definition with the last one that worked (image tag, environment, secrets, CPU and memory).",
            ],
        },
        ja: Text {
            title: "サービスのデプロイが失敗しました",
            explanation: "サービス {service} のデプロイが完了しませんでした: {reason}。新しいタスクの起動や正常化が繰り返し失敗すると ECS はデプロイをあきらめます。実際の原因は、新しいデプロイで停止したタスクにあります。",
            steps: &[
                "失敗したデプロイで停止したタスクを一覧し (サービスに対して `aws ecs list-tasks --desired-status STOPPED`)、`stoppedReason` と各コンテナの `reason` を確認してください。ecs-doctor でそれらを解説できます。",
                "失敗の前後のサービスイベントで、配置、ヘルスチェック、起動のエラーを確認してください。",
                "新しいタスク定義を、最後に正常だったもの (イメージタグ、環境変数、シークレット、CPU とメモリ) と比べてください。",
            ],
        },
        docs: &[DEPLOYMENT_EVENTS_DOC, CIRCUIT_BREAKER_DOC],
    },
    Rule {
        id: "service.normal-operation",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When { fields: EVENT, exact: NORMAL_EVENTS, ..When::NOTHING },
        en: Text {
            title: "Service event reports normal operation",
            explanation: "The event {event_name} for the service {service} is informational: the service reached or kept its steady state, changed its desired count, stopped tasks it no longer needs, or progressed through a deployment. No action is needed.",
            steps: &[
                "Nothing to do. To stop receiving these events, narrow the EventBridge rule to `eventType` WARN and ERROR.",
            ],
        },
        ja: Text {
            title: "サービスイベントは通常の動作を示しています",
            explanation: "サービス {service} のイベント {event_name} は情報通知です。サービスが安定状態に達した (または維持している)、希望タスク数を変更した、不要になったタスクを停止した、デプロイが進んだ、のいずれかで、対応は不要です。",
            steps: &[
                "対応は不要です。これらのイベントを受け取りたくない場合は、EventBridge ルールを `eventType` が WARN と ERROR のものに絞ってください。",
            ],
        },
        docs: &[SERVICE_EVENTS_DOC, DEPLOYMENT_EVENTS_DOC],
    },
    // ---- ECS Container Instance State Change ----
    // Agent and instance wordings that arrive as free text, a stoppedReason or an agent log line.
    Rule {
        id: "task.instance-deregistered",
        category: Category::InstanceInactive,
        severity: Severity::Warning,
        when: When { any: phrase::DEREGISTERED, ..When::NOTHING },
        en: Text {
            title: "The task's container instance was deregistered while it ran",
            explanation: "Someone or something deregistered the container instance with `--force` while it still ran tasks, so ECS stopped them: {reason}. Usually a person, a script or a lifecycle hook cleaning up an instance; an Auto Scaling scale-in without draining has the same effect.",
            steps: &[
                "Find the call: CloudTrail `DeregisterContainerInstance` events for cluster {cluster} (who called it, and with `force`).",
                "Drain instances first (`update-container-instances-state --status DRAINING`) and let a capacity provider with managed termination protection scale in, so tasks move before the instance goes.",
                "If the instance still runs, check it registered again, or replace it.",
            ],
        },
        ja: Text {
            title: "実行中にタスクのコンテナインスタンスが登録解除されました",
            explanation: "タスクが動いている間にコンテナインスタンスが `--force` で登録解除されたため、ECS がそのタスクを停止しました: {reason}。多くは人、スクリプト、ライフサイクルフックによるインスタンスの後片付けです。ドレインなしの Auto Scaling のスケールインでも同じことが起こります。",
            steps: &[
                "CloudTrail でクラスター {cluster} の `DeregisterContainerInstance` イベントを探し、呼び出し元と `force` の有無を確認してください。",
                "インスタンスは先にドレインし (`update-container-instances-state --status DRAINING`)、マネージド終了保護のあるキャパシティープロバイダーでスケールインさせて、インスタンスが消える前にタスクを移動させてください。",
                "インスタンスがまだ動いている場合は、再登録されたか確認するか、置き換えてください。",
            ],
        },
        docs: &[DRAINING_DOC, INSTANCE_EVENTS_DOC],
    },
    Rule {
        id: "instance.agent-backend-unreachable",
        category: Category::AgentDisconnected,
        severity: Severity::Error,
        when: When { any: phrase::AGENT_BACKEND, ..When::NOTHING },
        en: Text {
            title: "The ECS agent cannot keep its connection to the ECS service",
            explanation: "The container agent holds a websocket to the ECS backend (ACS, which sends it the tasks to run) and one for telemetry (TCS); opening or reading it failed: {reason}. While the ACS connection is down the instance shows `agentConnected: false` and gets no new tasks; a failing TCS connection loses metrics. A network path that blocks or times out the ECS endpoints, missing instance role permissions (`ecs:Poll`, `ecs:StartTelemetrySession`) or a proxy that breaks websockets are the usual causes.",
            steps: &[
                "From the instance, check the endpoints answer: `curl -sI https://ecs.{region_arg}.amazonaws.com` (through the NAT gateway or the `ecs`, `ecs-agent` and `ecs-telemetry` VPC endpoints).",
                "Check the instance profile role has `AmazonEC2ContainerServiceforEC2Role` (`ecs:Poll`, `ecs:DiscoverPollEndpoint`, `ecs:StartTelemetrySession`).",
                "With an HTTP proxy, set `HTTP_PROXY` and `NO_PROXY=169.254.169.254,169.254.170.2,/var/run/docker.sock` in `/etc/ecs/ecs.config`, and make sure the proxy passes websockets; then `sudo systemctl restart ecs`.",
            ],
        },
        ja: Text {
            title: "ECS エージェントが ECS サービスとの接続を保てません",
            explanation: "コンテナエージェントは ECS のバックエンド (実行するタスクを送ってくる ACS) とテレメトリー (TCS) への websocket を保持します。その接続や読み取りに失敗しました: {reason}。ACS との接続が切れている間、インスタンスは `agentConnected: false` となり新しいタスクを受け取れません。TCS の失敗ではメトリクスが失われます。ECS エンドポイントへの経路の遮断やタイムアウト、インスタンスロールの権限不足 (`ecs:Poll`、`ecs:StartTelemetrySession`)、websocket を通さないプロキシがよくある原因です。",
            steps: &[
                "インスタンスからエンドポイントが応答するか確認してください: `curl -sI https://ecs.{region_arg}.amazonaws.com` (NAT ゲートウェイ、または `ecs`、`ecs-agent`、`ecs-telemetry` の VPC エンドポイント経由)。",
                "インスタンスプロファイルのロールに `AmazonEC2ContainerServiceforEC2Role` (`ecs:Poll`、`ecs:DiscoverPollEndpoint`、`ecs:StartTelemetrySession`) があるか確認してください。",
                "HTTP プロキシを使う場合は `/etc/ecs/ecs.config` に `HTTP_PROXY` と `NO_PROXY=169.254.169.254,169.254.170.2,/var/run/docker.sock` を設定し、プロキシが websocket を通すことを確認してから `sudo systemctl restart ecs` を実行してください。",
            ],
        },
        docs: &[AGENT_CONFIG_DOC, INSTANCE_ROLE_DOC],
    },
    Rule {
        id: "instance.agent-registration-failed",
        category: Category::AgentDisconnected,
        severity: Severity::Error,
        when: When { any: phrase::AGENT_REGISTRATION, ..When::NOTHING },
        en: Text {
            title: "The ECS agent could not register its instance with the cluster",
            explanation: "The container agent failed to register the EC2 instance as a container instance, so the cluster cannot place tasks on it: {reason}. Registration needs the cluster named by `ECS_CLUSTER` (else `default`) to exist in the instance's Region, an instance profile role allowed `ecs:RegisterContainerInstance`, a route to the ECS endpoints, and, when the agent re-registers, the same instance type and enough memory for `ECS_RESERVED_MEMORY`.",
            steps: &[
                "Check `/etc/ecs/ecs.config` names the right cluster (`ECS_CLUSTER=`) and that the cluster exists in the instance's Region.",
                "Check the instance profile role has `AmazonEC2ContainerServiceforEC2Role` (or `ecs:RegisterContainerInstance`, `ecs:DiscoverPollEndpoint`, `ecs:Poll`).",
                "Check the instance reaches the ECS endpoints (NAT gateway, or the `ecs`, `ecs-agent` and `ecs-telemetry` VPC endpoints), then `sudo systemctl restart ecs` and read `/var/log/ecs/ecs-agent.log`.",
                "If the instance type was changed or the agent's state is from another instance, remove `/var/lib/ecs/data/*` (agent state) before starting the agent, or launch a new instance.",
            ],
        },
        ja: Text {
            title: "ECS エージェントがインスタンスをクラスターに登録できませんでした",
            explanation: "コンテナエージェントが EC2 インスタンスをコンテナインスタンスとして登録できなかったため、クラスターはこのインスタンスにタスクを配置できません: {reason}。登録には、`ECS_CLUSTER` で指定したクラスター (省略時は `default`) がインスタンスのリージョンに存在すること、`ecs:RegisterContainerInstance` を許可したインスタンスプロファイルのロール、ECS エンドポイントへの経路、そして再登録ではインスタンスタイプが同じで `ECS_RESERVED_MEMORY` に足りるメモリがあることが必要です。",
            steps: &[
                "`/etc/ecs/ecs.config` が正しいクラスターを指定しているか (`ECS_CLUSTER=`)、そのクラスターがインスタンスのリージョンにあるか確認してください。",
                "インスタンスプロファイルのロールに `AmazonEC2ContainerServiceforEC2Role` (または `ecs:RegisterContainerInstance`、`ecs:DiscoverPollEndpoint`、`ecs:Poll`) があるか確認してください。",
                "インスタンスから ECS エンドポイントに届くか (NAT ゲートウェイ、または `ecs`、`ecs-agent`、`ecs-telemetry` の VPC エンドポイント) 確認し、`sudo systemctl restart ecs` のあと `/var/log/ecs/ecs-agent.log` を読んでください。",
                "インスタンスタイプを変えた場合や、エージェントの状態が別のインスタンスのものである場合は、エージェントを起動する前に `/var/lib/ecs/data/*` (エージェントの状態) を削除するか、新しいインスタンスを起動してください。",
            ],
        },
        docs: &[INSTANCE_ROLE_DOC, AGENT_CONFIG_DOC],
    },
    Rule {
        id: "instance.trunk-interface-failed",
        category: Category::EniProvisioning,
        severity: Severity::Error,
        // The `statusReason` of a container instance whose trunk network interface (ENI trunking)
        // could not be created.
        when: When {
            fields: &[Field::InstanceReason],
            any: &["attempting to create network interface"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance could not create its trunk network interface",
            explanation: "With ENI trunking (`awsvpcTrunking`) turned on, ECS creates a trunk network interface for each new container instance before it can join the cluster {cluster}, and EC2 refused to create it: {reason}. The instance does not register and runs no tasks.",
            steps: &[
                "ENI trunking does not work for instances in subnets shared from another account (VPC sharing): launch the instances in a subnet owned by this account, or turn `awsvpcTrunking` off for the role the instances register with.",
                "Check that the subnet has free IP addresses and that the Region's network interface quota is not reached.",
                "Check that the instance type supports ENI trunking and that the ECS service-linked role exists, then replace the instance.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスがトランクネットワークインターフェイスを作成できませんでした",
            explanation: "ENI トランキング (`awsvpcTrunking`) が有効な場合、ECS は新しいコンテナインスタンスがクラスター {cluster} に参加する前にトランクネットワークインターフェイスを作成しますが、EC2 がその作成を拒否しました: {reason}。インスタンスは登録されず、タスクも動きません。",
            steps: &[
                "ENI トランキングは、別アカウントから共有されたサブネット (VPC 共有) 上のインスタンスでは使えません。このアカウントが所有するサブネットでインスタンスを起動するか、インスタンスが登録に使うロールで `awsvpcTrunking` を無効にしてください。",
                "サブネットに空き IP アドレスがあるか、リージョンのネットワークインターフェイスのクォータに達していないか確認してください。",
                "インスタンスタイプが ENI トランキングに対応しているか、ECS のサービスリンクロールがあるかを確認し、インスタンスを入れ替えてください。",
            ],
        },
        docs: &[TRUNKING_DOC, INSTANCE_EVENTS_DOC],
    },
    Rule {
        id: "instance.registration-failed",
        category: Category::EniProvisioning,
        severity: Severity::Error,
        when: When {
            fields: STATUS,
            exact: &["registration_failed"],
            check: Some(instance_event),
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance failed to register (REGISTRATION_FAILED)",
            explanation: "The container instance {instance} could not join the cluster {cluster}. With ENI trunking (`awsvpcTrunking`) turned on, a new instance first provisions its trunk network interface, and this status means that step failed; the event's `statusReason` says why.",
            steps: &[
                "Read the reason: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <id> --query 'containerInstances[].statusReason'`.",
                "Check the instance type supports trunking and that the subnet has free IP addresses for the trunk interface.",
                "Check the ECS service-linked role exists (ECS creates the trunk interface with it), then replace the instance.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスの登録に失敗しました (REGISTRATION_FAILED)",
            explanation: "コンテナインスタンス {instance} はクラスター {cluster} に参加できませんでした。ENI トランキング (`awsvpcTrunking`) が有効な場合、新しいインスタンスは最初にトランクネットワークインターフェイスを用意します。このステータスはその手順が失敗したことを示し、理由はイベントの `statusReason` にあります。",
            steps: &[
                "理由を確認してください: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ID> --query 'containerInstances[].statusReason'`。",
                "インスタンスタイプがトランキングに対応しているか、サブネットにトランクインターフェイス用の空き IP アドレスがあるか確認してください。",
                "ECS のサービスリンクロール (トランクインターフェイスの作成に使われます) があるか確認し、インスタンスを入れ替えてください。",
            ],
        },
        docs: &[TRUNKING_DOC, INSTANCE_EVENTS_DOC],
    },
    Rule {
        id: "instance.status-change-requested",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When {
            fields: STATUS,
            exact: &["draining", "deregistering", "inactive"],
            check: Some(leaving_as_requested),
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance is leaving the cluster as requested",
            explanation: "The container instance {instance} changed to {reason}, and its `statusReason` shows the change was asked for (a scale-in, an instance refresh, managed draining or a person). Its service tasks are moved to other instances.",
            steps: &[
                "Nothing to do, unless the services lack room elsewhere: watch for SERVICE_TASK_PLACEMENT_FAILURE events while the instance drains.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスは要求どおりクラスターから外れています",
            explanation: "コンテナインスタンス {instance} のステータスが {reason} になりました。`statusReason` から、スケールイン、インスタンスの更新、マネージドドレイン、または人による要求で変更されたことがわかります。サービスのタスクは他のインスタンスに移されます。",
            steps: &[
                "対応は不要です。ただし他のインスタンスに余裕がないと、ドレイン中に SERVICE_TASK_PLACEMENT_FAILURE イベントが出ることがあるので注意してください。",
            ],
        },
        docs: &[DRAINING_DOC, INSTANCE_EVENTS_DOC],
    },
    Rule {
        id: "instance.draining",
        category: Category::InstanceInactive,
        severity: Severity::Warning,
        when: When {
            fields: STATUS,
            exact: &["draining"],
            check: Some(instance_event),
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance is draining",
            explanation: "The container instance {instance} in the cluster {cluster} is DRAINING: ECS places no new tasks on it and replaces its service tasks elsewhere, within the services' `minimumHealthyPercent`/`maximumPercent`. The event does not say who asked for it.",
            steps: &[
                "Find who set it: CloudTrail `UpdateContainerInstancesState` calls, the Auto Scaling group's activity (scale-in, instance refresh) or the capacity provider's managed draining; Spot instances drain on an interruption notice when `ECS_ENABLE_SPOT_INSTANCE_DRAINING=true`.",
                "If nobody meant to drain it, set it back: `aws ecs update-container-instances-state --cluster {cluster_arg} --container-instances <id> --status ACTIVE`.",
                "Make sure the other instances have room for the moved tasks, or placement failures will follow.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスがドレイン中です",
            explanation: "クラスター {cluster} のコンテナインスタンス {instance} は DRAINING です。ECS は新しいタスクを配置せず、サービスの `minimumHealthyPercent`/`maximumPercent` の範囲でサービスのタスクを他のインスタンスに置き換えます。誰が要求したかはイベントに示されていません。",
            steps: &[
                "設定した主体を調べてください: CloudTrail の `UpdateContainerInstancesState` 呼び出し、Auto Scaling グループのアクティビティ (スケールイン、インスタンスの更新)、キャパシティプロバイダーのマネージドドレイン。`ECS_ENABLE_SPOT_INSTANCE_DRAINING=true` の Spot インスタンスは中断通知でドレインされます。",
                "意図しないドレインなら元に戻してください: `aws ecs update-container-instances-state --cluster {cluster_arg} --container-instances <ID> --status ACTIVE`。",
                "移されるタスクの分の余裕が他のインスタンスにあるか確認してください。ないと配置の失敗が続きます。",
            ],
        },
        docs: &[DRAINING_DOC, INSTANCE_EVENTS_DOC],
    },
    Rule {
        id: "instance.deregistered",
        category: Category::InstanceInactive,
        severity: Severity::Warning,
        when: When {
            fields: STATUS,
            exact: &["deregistering", "inactive"],
            check: Some(instance_event),
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance left the cluster",
            explanation: "The container instance {instance} is {reason}: it has been (or is being) deregistered from the cluster {cluster}, usually because its EC2 instance was terminated or `DeregisterContainerInstance` was called. Tasks still on it are stopped, and services start replacements elsewhere.",
            steps: &[
                "Find why: the Auto Scaling group's activity history, the EC2 instance state and state reason (`aws ec2 describe-instances --instance-ids <id> --query 'Reservations[].Instances[].StateReason'`), and CloudTrail `DeregisterContainerInstance` calls.",
                "If it was an unplanned termination (failed EC2 health check, Spot reclaim), check the other instances absorbed its tasks and that the Auto Scaling group launched a replacement.",
                "Use a capacity provider with managed termination protection, or drain instances before terminating them, so tasks move before the instance goes away.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスがクラスターから外れました",
            explanation: "コンテナインスタンス {instance} は {reason} です。クラスター {cluster} から登録解除された (または解除中の) 状態で、多くは EC2 インスタンスが終了したか `DeregisterContainerInstance` が呼ばれたためです。残っていたタスクは停止され、サービスは他の場所で代わりを起動します。",
            steps: &[
                "理由を調べてください: Auto Scaling グループのアクティビティ履歴、EC2 インスタンスの状態と理由 (`aws ec2 describe-instances --instance-ids <ID> --query 'Reservations[].Instances[].StateReason'`)、CloudTrail の `DeregisterContainerInstance` 呼び出し。",
                "計画外の終了 (EC2 ヘルスチェックの失敗、Spot の回収など) なら、他のインスタンスがタスクを引き受けたか、Auto Scaling グループが代わりを起動したか確認してください。",
                "マネージド終了保護付きのキャパシティプロバイダーを使うか、終了前にインスタンスをドレインして、インスタンスが消える前にタスクが移るようにしてください。",
            ],
        },
        docs: &[INSTANCE_EVENTS_DOC, DRAINING_DOC],
    },
    Rule {
        id: "instance.agent-disconnected",
        category: Category::AgentDisconnected,
        severity: Severity::Info,
        when: When {
            fields: STATUS,
            exact: &["active"],
            check: Some(super::agent_disconnected),
            ..When::NOTHING
        },
        en: Text {
            title: "ECS agent on the container instance is disconnected",
            explanation: "The container instance {instance} is ACTIVE but reports `agentConnected: false`. The agent disconnects and reconnects several times an hour as part of normal operation, so a single event is not a problem; only a disconnection that lasts keeps tasks from being placed on the instance.",
            steps: &[
                "Check again after a few minutes: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <id> --query 'containerInstances[].agentConnected'`; `true` means it reconnected.",
                "If it stays `false` (or placements fail with `AGENT`), check on the instance: `sudo systemctl status ecs`, `/var/log/ecs/ecs-agent.log`, then `sudo systemctl restart ecs`.",
                "Check the instance can reach the ECS endpoints (NAT gateway or the `ecs`, `ecs-agent` and `ecs-telemetry` VPC endpoints) and has its instance profile role.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスの ECS エージェントが切断されています",
            explanation: "コンテナインスタンス {instance} は ACTIVE ですが `agentConnected: false` を報告しています。エージェントは通常の動作として 1 時間に数回切断と再接続を繰り返すため、1 回のイベントは問題ではありません。切断が続いた場合にだけ、そのインスタンスにタスクを配置できなくなります。",
            steps: &[
                "数分後にもう一度確認してください: `aws ecs describe-container-instances --cluster {cluster_arg} --container-instances <ID> --query 'containerInstances[].agentConnected'`。`true` なら再接続しています。",
                "`false` のまま (または配置が `AGENT` で失敗する) なら、インスタンス上で `sudo systemctl status ecs` と `/var/log/ecs/ecs-agent.log` を確認し、`sudo systemctl restart ecs` を実行してください。",
                "インスタンスが ECS のエンドポイント (NAT ゲートウェイ、または VPC エンドポイント `ecs`、`ecs-agent`、`ecs-telemetry`) に到達でき、インスタンスプロファイルのロールを持っているか確認してください。",
            ],
        },
        docs: &[INSTANCE_EVENTS_DOC, AGENT_DISCONNECTED_KC],
    },
    Rule {
        id: "instance.healthy",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When {
            fields: STATUS,
            exact: &["active", "registering"],
            check: Some(agent_not_disconnected),
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance is active and connected",
            explanation: "The container instance {instance} reports {reason} with its agent connected. Events like this are sent whenever its resources, tasks or agent version change; they are not failures.",
            steps: &[
                "Nothing to do. To alert only on problems, filter the EventBridge rule on `status` (DRAINING, INACTIVE, REGISTRATION_FAILED) instead of every change.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスはアクティブで接続されています",
            explanation: "コンテナインスタンス {instance} は {reason} で、エージェントも接続されています。この種のイベントはリソース、タスク、エージェントのバージョンが変わるたびに送られるもので、障害ではありません。",
            steps: &[
                "対応は不要です。問題のときだけ通知するには、すべての変更ではなく `status` (DRAINING、INACTIVE、REGISTRATION_FAILED) で EventBridge ルールを絞ってください。",
            ],
        },
        docs: &[INSTANCE_EVENTS_DOC],
    },
];
