//! API `failures[].reason` codes that say something about the request rather than about capacity:
//! `MISSING`, `INACTIVE`, `TASK_NOT_VALID`, `DEPLOYMENT_BLOCKED`. The same code means a different
//! thing per action (`MISSING` from DescribeClusters is a cluster, from StartTask a container
//! instance), so the action-specific rules come first and a generic one closes each code.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::Field;

const FIELDS: &[Field] = &[Field::FailureReason];

const API_FAILURES_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html";
const FAILURE_TYPE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Failure.html";
const TASK_PROTECTION_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html";
const DEREGISTER_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deregister_container_instance.html";

const MISSING: &[&str] = &["missing"];
const PROTECTION_ACTIONS: &[&str] = &["GetTaskProtection", "UpdateTaskProtection"];

pub const RULES: &[Rule] = &[
    // ---- MISSING, per action ----
    Rule {
        id: "api.missing.describe-clusters",
        category: Category::NotFound,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: MISSING, actions: &["DescribeClusters"], ..When::NOTHING },
        en: Text {
            title: "Cluster not found (DescribeClusters: MISSING)",
            explanation: "DescribeClusters found no cluster named {arn} in this account and Region. The name is misspelt, the request went to another Region or account, or the cluster was deleted.",
            steps: &[
                "List the clusters that do exist: `aws ecs list-clusters --region {region_arg}`.",
                "Check the Region of the caller (`AWS_REGION`, `--region`, the SDK configuration) and the account of its credentials (`aws sts get-caller-identity`).",
                "Check the caller passes the cluster name or full ARN exactly, without extra spaces or a wrong case.",
            ],
        },
        ja: Text {
            title: "クラスターが見つかりません (DescribeClusters: MISSING)",
            explanation: "DescribeClusters は、このアカウントとリージョンで {arn} というクラスターを見つけられませんでした。名前の誤り、別のリージョンやアカウントへのリクエスト、またはクラスターの削除が考えられます。",
            steps: &[
                "存在するクラスターを一覧で確認してください: `aws ecs list-clusters --region {region_arg}`。",
                "呼び出し元のリージョン (`AWS_REGION`、`--region`、SDK の設定) と、認証情報のアカウント (`aws sts get-caller-identity`) を確認してください。",
                "クラスター名または ARN が、余分な空白や大文字小文字の違いなく正確に渡されているか確認してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    Rule {
        id: "api.missing.describe-container-instances",
        category: Category::NotFound,
        severity: Severity::Warning,
        when: When {
            fields: FIELDS,
            exact: MISSING,
            // The AWS table calls it "DescribeInstances"; the API action is DescribeContainerInstances.
            actions: &["DescribeContainerInstances", "DescribeInstances"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container instance not found (DescribeContainerInstances: MISSING)",
            explanation: "The container instance {arn} is not registered in the cluster named in the request {cluster}. It is registered in another cluster, the ID or ARN is wrong, or the instance was deregistered (terminated instances leave the cluster).",
            steps: &[
                "List the instances of the cluster: `aws ecs list-container-instances --cluster {cluster_arg}`, and pass the cluster the instance is registered to.",
                "Use the container instance ID or ARN, not the EC2 instance ID (`i-…`).",
                "If the EC2 instance was terminated or replaced, refresh whatever list the caller keeps of instance ARNs.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスが見つかりません (DescribeContainerInstances: MISSING)",
            explanation: "コンテナインスタンス {arn} は、リクエストで指定したクラスター {cluster} に登録されていません。別のクラスターに登録されている、ID や ARN が誤っている、または登録が解除された (終了したインスタンスはクラスターから外れます) 状態です。",
            steps: &[
                "クラスターのインスタンスを一覧で確認し (`aws ecs list-container-instances --cluster {cluster_arg}`)、インスタンスが登録されているクラスターを指定してください。",
                "EC2 インスタンス ID (`i-…`) ではなく、コンテナインスタンスの ID または ARN を使ってください。",
                "EC2 インスタンスが終了・置き換えられた場合は、呼び出し元が保持しているインスタンス ARN の一覧を更新してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    Rule {
        id: "api.missing.describe-services",
        category: Category::NotFound,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: MISSING, actions: &["DescribeServices"], ..When::NOTHING },
        en: Text {
            title: "Service not found (DescribeServices: MISSING)",
            explanation: "DescribeServices found no service {arn} in the cluster given in the request {cluster}. Services live inside one cluster: the cluster or Region is wrong, the name is misspelt, or the service was deleted.",
            steps: &[
                "List the services of the cluster: `aws ecs list-services --cluster {cluster_arg}`; without `--cluster` the `default` cluster is searched.",
                "Check the Region and account of the caller.",
                "A deleted service stays visible as INACTIVE for a while and then disappears; recreate it if it was deleted by mistake.",
            ],
        },
        ja: Text {
            title: "サービスが見つかりません (DescribeServices: MISSING)",
            explanation: "DescribeServices は、リクエストで指定したクラスター {cluster} にサービス {arn} を見つけられませんでした。サービスは 1 つのクラスターに属します。クラスターやリージョンの誤り、名前の誤り、またはサービスの削除が考えられます。",
            steps: &[
                "クラスターのサービスを一覧で確認してください: `aws ecs list-services --cluster {cluster_arg}`。`--cluster` を省略すると `default` クラスターが検索されます。",
                "呼び出し元のリージョンとアカウントを確認してください。",
                "削除されたサービスはしばらく INACTIVE として見えた後に消えます。誤って削除した場合は作り直してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    Rule {
        id: "api.missing.describe-tasks",
        category: Category::NotFound,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: MISSING, actions: &["DescribeTasks"], ..When::NOTHING },
        en: Text {
            title: "Task not found (DescribeTasks: MISSING)",
            explanation: "DescribeTasks found no task {arn} in the cluster given {cluster}. Either the cluster, Region or task ID is wrong, or the task stopped long enough ago that ECS no longer returns it (stopped tasks are kept for about an hour).",
            steps: &[
                "Check the request names the cluster the task ran in, and the right Region and account.",
                "If the task stopped more than about an hour ago, its details are gone from the API: use the `ECS Task State Change` event (EventBridge), CloudTrail, or Container Insights instead.",
                "To keep stopped-task details, route `ECS Task State Change` events to CloudWatch Logs or to ecs-doctor as they happen.",
            ],
        },
        ja: Text {
            title: "タスクが見つかりません (DescribeTasks: MISSING)",
            explanation: "DescribeTasks は、指定したクラスター {cluster} にタスク {arn} を見つけられませんでした。クラスター、リージョン、タスク ID のいずれかが誤っているか、タスクが停止してから時間が経ち ECS が返さなくなった (停止したタスクが見えるのは 1 時間ほどです) 状態です。",
            steps: &[
                "リクエストがタスクの動いていたクラスターを指定しているか、リージョンとアカウントが正しいか確認してください。",
                "タスクが停止してから 1 時間ほど経っている場合、API からは詳細を取得できません。EventBridge の `ECS Task State Change` イベント、CloudTrail、Container Insights を参照してください。",
                "停止したタスクの詳細を残すには、`ECS Task State Change` イベントを発生時に CloudWatch Logs や ecs-doctor に送ってください。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    Rule {
        id: "api.missing.start-task",
        category: Category::NotFound,
        severity: Severity::Error,
        when: When { fields: FIELDS, exact: MISSING, actions: &["StartTask"], ..When::NOTHING },
        en: Text {
            title: "StartTask target container instance not found (MISSING)",
            explanation: "StartTask places a task on container instances you name, and the container instance {arn} does not exist in the cluster {cluster}: the cluster or Region is wrong, the ID is mistyped, or the instance is gone. The task was not started.",
            steps: &[
                "List the current instances: `aws ecs list-container-instances --cluster {cluster_arg} --status ACTIVE` and pass one of those ARNs to `--container-instances`.",
                "Use the container instance ID or ARN, not the EC2 instance ID.",
                "If instances are replaced often (Auto Scaling), look the ARN up right before calling StartTask, or use RunTask and let ECS choose.",
            ],
        },
        ja: Text {
            title: "StartTask の対象コンテナインスタンスが見つかりません (MISSING)",
            explanation: "StartTask は指定したコンテナインスタンスにタスクを配置しますが、コンテナインスタンス {arn} はクラスター {cluster} に存在しません。クラスターやリージョンの誤り、ID の入力ミス、またはインスタンスがなくなったことが考えられます。タスクは起動されていません。",
            steps: &[
                "現在のインスタンスを一覧で確認し (`aws ecs list-container-instances --cluster {cluster_arg} --status ACTIVE`)、その ARN を `--container-instances` に指定してください。",
                "EC2 インスタンス ID ではなく、コンテナインスタンスの ID または ARN を使ってください。",
                "Auto Scaling でインスタンスが頻繁に入れ替わる場合は、StartTask の直前に ARN を調べるか、RunTask を使って ECS に選ばせてください。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    Rule {
        id: "api.missing.task-protection",
        category: Category::NotFound,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: MISSING, actions: PROTECTION_ACTIONS, ..When::NOTHING },
        en: Text {
            title: "Task for scale-in protection not found (MISSING)",
            explanation: "{action} could not find the task {arn} in the cluster {cluster}. The cluster name or ARN, or the task ARN or ID, is wrong, or the task has already stopped.",
            steps: &[
                "Check the `--cluster` and `--tasks` values: the task must be a running task of that cluster (`aws ecs list-tasks --cluster {cluster_arg} --desired-status RUNNING`).",
                "When a task sets its own protection, prefer the agent endpoint `$ECS_AGENT_URI/task-protection/v1/state`: it always addresses the calling task.",
                "Stopped tasks cannot be protected; ignore the failure if the task finished in the meantime.",
            ],
        },
        ja: Text {
            title: "スケールイン保護の対象タスクが見つかりません (MISSING)",
            explanation: "{action} はクラスター {cluster} でタスク {arn} を見つけられませんでした。クラスター名や ARN、タスクの ARN や ID が誤っているか、タスクがすでに停止しています。",
            steps: &[
                "`--cluster` と `--tasks` の値を確認してください。そのクラスターで実行中のタスクである必要があります (`aws ecs list-tasks --cluster {cluster_arg} --desired-status RUNNING`)。",
                "タスク自身が保護を設定する場合は、エージェントのエンドポイント `$ECS_AGENT_URI/task-protection/v1/state` を使うと、常に呼び出し元のタスクが対象になります。",
                "停止したタスクは保護できません。その間にタスクが終了していたなら、この失敗は無視してかまいません。",
            ],
        },
        docs: &[API_FAILURES_DOC, TASK_PROTECTION_DOC],
    },
    Rule {
        id: "api.missing",
        category: Category::NotFound,
        severity: Severity::Warning,
        when: When {
            fields: FIELDS,
            exact: MISSING,
            // A `failures` entry pasted as JSON (CLI, SDK or tool output).
            any: &["\"reason\": \"missing\"", "\"reason\":\"missing\"", "'reason': 'missing'"],
            ..When::NOTHING
        },
        en: Text {
            title: "ECS resource not found (MISSING)",
            explanation: "The API call {action} named a resource {arn} that ECS could not find. Most often the request went to the wrong cluster, Region or account, or the resource no longer exists.",
            steps: &[
                "Check the ARN or name in the request, and the cluster it is looked up in.",
                "Check the Region and account of the caller (`aws sts get-caller-identity`, `--region`).",
                "List the resources that do exist (`aws ecs list-clusters`, `list-services`, `list-tasks`, `list-container-instances`) and compare.",
            ],
        },
        ja: Text {
            title: "ECS のリソースが見つかりません (MISSING)",
            explanation: "API 呼び出し {action} が指定したリソース {arn} を ECS は見つけられませんでした。多くはクラスター、リージョン、アカウントの指定誤りか、リソースがすでに存在しないことが原因です。",
            steps: &[
                "リクエスト内の ARN や名前と、検索対象のクラスターを確認してください。",
                "呼び出し元のリージョンとアカウントを確認してください (`aws sts get-caller-identity`、`--region`)。",
                "実在するリソースを一覧にして比べてください (`aws ecs list-clusters`、`list-services`、`list-tasks`、`list-container-instances`)。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    // ---- INACTIVE ----
    Rule {
        id: "api.inactive.start-task",
        category: Category::InstanceInactive,
        severity: Severity::Error,
        when: When { fields: FIELDS, exact: &["inactive"], actions: &["StartTask"], ..When::NOTHING },
        en: Text {
            title: "StartTask target container instance is deregistered (INACTIVE)",
            explanation: "The container instance {arn} named in StartTask has been deregistered from the cluster {cluster} and can no longer take tasks. The task was not started.",
            steps: &[
                "Pick an ACTIVE instance instead: `aws ecs list-container-instances --cluster {cluster_arg} --status ACTIVE`.",
                "If the instance should still be in the cluster, check why it left: it was terminated, or `DeregisterContainerInstance` was called (by a person, a script or a lifecycle hook).",
                "If instances come and go, look up the ARN right before StartTask, or use RunTask and let ECS choose an instance.",
            ],
        },
        ja: Text {
            title: "StartTask の対象コンテナインスタンスは登録解除されています (INACTIVE)",
            explanation: "StartTask で指定したコンテナインスタンス {arn} は、クラスター {cluster} からすでに登録解除されており、タスクを受け付けられません。タスクは起動されていません。",
            steps: &[
                "代わりに ACTIVE なインスタンスを選んでください: `aws ecs list-container-instances --cluster {cluster_arg} --status ACTIVE`。",
                "そのインスタンスがクラスターに残っているはずなら、外れた理由を確認してください。インスタンスが終了したか、人・スクリプト・ライフサイクルフックが `DeregisterContainerInstance` を呼び出しています。",
                "インスタンスが入れ替わる環境では、StartTask の直前に ARN を調べるか、RunTask で ECS にインスタンスを選ばせてください。",
            ],
        },
        docs: &[API_FAILURES_DOC, DEREGISTER_DOC],
    },
    Rule {
        id: "api.inactive",
        category: Category::InstanceInactive,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: &["inactive"], ..When::NOTHING },
        en: Text {
            title: "ECS resource is no longer active (INACTIVE)",
            explanation: "The API call {action} named a resource {arn} that has been deregistered or deleted and is kept only as INACTIVE; it cannot be used any more.",
            steps: &[
                "Describe the resource to see its status and when it changed (`describe-container-instances`, `describe-services`, `describe-clusters`).",
                "Point the caller at an ACTIVE resource, or recreate the resource if it was removed by mistake.",
            ],
        },
        ja: Text {
            title: "ECS のリソースはもう有効ではありません (INACTIVE)",
            explanation: "API 呼び出し {action} が指定したリソース {arn} は登録解除または削除済みで、INACTIVE として残っているだけです。もう使用できません。",
            steps: &[
                "リソースを describe して、ステータスと変更時刻を確認してください (`describe-container-instances`、`describe-services`、`describe-clusters`)。",
                "呼び出し元が ACTIVE なリソースを指すようにするか、誤って削除した場合はリソースを作り直してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, FAILURE_TYPE_DOC],
    },
    // ---- Task scale-in protection ----
    Rule {
        id: "api.task-not-valid",
        category: Category::TaskProtection,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: &["task_not_valid"], ..When::NOTHING },
        en: Text {
            title: "Task cannot be protected: it does not belong to a service (TASK_NOT_VALID)",
            explanation: "{action} was called for the task {arn}, but scale-in protection only applies to tasks that an ECS service manages. Standalone tasks (RunTask, StartTask) are never stopped by scale-in, so they cannot and need not be protected.",
            steps: &[
                "Check that the task ARN is the one intended and that its `group` is `service:<name>` (`aws ecs describe-tasks --cluster {cluster_arg} --tasks <id> --query 'tasks[].group'`).",
                "Drop the protection call for standalone tasks, or run the workload as a service if it needs protection from scale-in.",
            ],
        },
        ja: Text {
            title: "タスクを保護できません: サービスに属していません (TASK_NOT_VALID)",
            explanation: "タスク {arn} に対して {action} を呼び出しましたが、スケールイン保護は ECS サービスが管理するタスクにしか適用できません。RunTask や StartTask で起動した単独のタスクはスケールインで停止されないため、保護する必要もなく、保護もできません。",
            steps: &[
                "タスク ARN が意図したものか、`group` が `service:<名前>` になっているか確認してください (`aws ecs describe-tasks --cluster {cluster_arg} --tasks <ID> --query 'tasks[].group'`)。",
                "単独のタスクでは保護の呼び出しをやめてください。スケールインから守る必要があるワークロードなら、サービスとして実行してください。",
            ],
        },
        docs: &[API_FAILURES_DOC, TASK_PROTECTION_DOC],
    },
    Rule {
        id: "api.deployment-blocked",
        category: Category::TaskProtection,
        severity: Severity::Warning,
        when: When { fields: FIELDS, exact: &["deployment_blocked"], ..When::NOTHING },
        en: Text {
            title: "Task protection refused: protected tasks are blocking a deployment (DEPLOYMENT_BLOCKED)",
            explanation: "UpdateTaskProtection was refused for {arn} because the service already has more protected tasks than its desired count, so its deployment cannot reach a steady state. Protecting more tasks would keep it stuck.",
            steps: &[
                "List protection of the service's tasks with `aws ecs get-task-protection --cluster {cluster_arg} --tasks <ids>` and unprotect the ones that can stop: `aws ecs update-task-protection --cluster {cluster_arg} --tasks <ids> --no-protection-enabled`.",
                "Or wait for the protection to expire (2 hours by default, at most 48 hours with `expiresInMinutes`).",
                "Or raise the service's desired count above the number of protected tasks, and keep `expiresInMinutes` as short as the work needs.",
            ],
        },
        ja: Text {
            title: "タスク保護が拒否されました: 保護済みタスクがデプロイを止めています (DEPLOYMENT_BLOCKED)",
            explanation: "サービスの保護済みタスクがすでに希望タスク数を超えており、デプロイが安定状態に到達できないため、{arn} への UpdateTaskProtection は拒否されました。これ以上保護するとデプロイが止まったままになります。",
            steps: &[
                "`aws ecs get-task-protection --cluster {cluster_arg} --tasks <ID>` でサービスのタスクの保護状態を確認し、停止してよいタスクの保護を解除してください: `aws ecs update-task-protection --cluster {cluster_arg} --tasks <ID> --no-protection-enabled`。",
                "または保護の期限切れを待ってください (既定は 2 時間、`expiresInMinutes` で最大 48 時間)。",
                "またはサービスの希望タスク数を保護済みタスク数より大きくし、`expiresInMinutes` は処理に必要な最短の時間にしてください。",
            ],
        },
        docs: &[API_FAILURES_DOC, TASK_PROTECTION_DOC],
    },
];
