//! ECS API calls that ECS refused: `RunTask`, `CreateService`, `UpdateService`,
//! `RegisterTaskDefinition`, … answered with an exception (`ClientException`,
//! `InvalidParameterException`, `ClusterNotFoundException`, …). Such a call creates no task, so
//! CloudTrail's `errorCode` and `errorMessage` are the whole incident. The same texts arrive pasted
//! from SDKs, the CLI, Terraform and CloudFormation (`An error occurred (X) when calling the Y
//! operation: …`, `operation error ECS: Y, … X: …`), so they are matched in free text too.
//!
//! The exception names are ECS's documented API errors; the message phrases are the documented
//! validation messages of each. A message phrase names the cause; the exception name alone only
//! names the family (the fallback at the end).

use super::{Category, Rule, Severity, Text, Tier, When};
use crate::diagnose::Field;

const FIELDS: &[Field] = &[Field::ApiError];

/// The words of an API error as SDKs and tools print it: without one of them a phrase such as
/// "not authorized to perform" may as well come from a task's stopped reason.
const API_ERROR: &[&str] = &[
    "exception",
    "when calling the",
    "operation error ecs",
    "invalid request provided",
    "status code: 4",
];

/// Wordings of a task's or container's stop: these texts belong to the task families even when
/// an API exception is quoted inside them (`CannotPullContainerError: … AccessDeniedException`).
const TASK_WORDING: &[&str] = &[
    "cannotpullcontainer",
    "cannotstartcontainer",
    "cannotcreatecontainer",
    "cannotinspectcontainer",
    "resourceinitializationerror",
    "taskfailedtostart",
    "essential container",
    "unable to pull secrets",
    "pull image manifest",
];

const ERRORS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/CommonErrors.html";
const TASK_DEF_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const FARGATE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html";
const EXECUTION_ROLE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
const SERVICE_ROLE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using-service-linked-roles.html";
const PASS_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html";
const INSTANCE_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/instance_IAM_role.html";
const IAM_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/security_iam_troubleshoot.html";
const NETWORK_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html";
const LB_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-load-balancing.html";

pub const RULES: &[Rule] = &[
    Rule {
        id: "api-error.cluster-not-found",
        category: Category::NotFound,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &["clusternotfoundexception", "cluster not found", "cluster does not exist"],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The call named a cluster that does not exist",
            explanation: "ECS refused {action}: there is no cluster by that name in this account and Region. The name is misspelt, the caller works in another Region or account, or the cluster was deleted. Without `cluster`, a call goes to the cluster named `default`.",
            steps: &[
                "List the clusters the caller can see: `aws ecs list-clusters --region {region_arg}`.",
                "Check the Region and account of the caller (`aws sts get-caller-identity`) and the cluster name or ARN in its configuration.",
                "If the cluster was deleted with the stack that owned it, create it again or point the pipeline at the new one.",
            ],
        },
        ja: Text {
            title: "呼び出しが存在しないクラスターを指定しています",
            explanation: "ECS は {action} を拒否しました。このアカウントとリージョンにその名前のクラスターはありません。名前の誤り、呼び出し元のリージョンやアカウントの違い、またはクラスターの削除が考えられます。`cluster` を省略した呼び出しは `default` という名前のクラスターに向かいます。",
            steps: &[
                "呼び出し元から見えるクラスターを一覧で確認してください: `aws ecs list-clusters --region {region_arg}`。",
                "呼び出し元のリージョンとアカウント (`aws sts get-caller-identity`)、および設定にあるクラスター名または ARN を確認してください。",
                "クラスターを所有していたスタックごと削除された場合は、作り直すか、パイプラインを新しいクラスターに向けてください。",
            ],
        },
        docs: &[ERRORS_DOC],
    },
    Rule {
        id: "api-error.service-not-found",
        category: Category::NotFound,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "servicenotfoundexception",
                "servicenotactiveexception",
                "service not found",
                "service not active",
                "service was not active",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The service does not exist or is no longer active",
            explanation: "ECS refused {action}: the service is not in the cluster the call named, or it was deleted (a deleted service is INACTIVE until ECS forgets it). Services belong to one cluster, so a right name in the wrong cluster is not found either.",
            steps: &[
                "List the services of the cluster: `aws ecs list-services --cluster {cluster_arg}`.",
                "Check that the call passes the cluster the service lives in (without it, ECS looks in `default`).",
                "A service that was deleted cannot be updated: create it again (`create-service`), or let the tool that owns it recreate it.",
            ],
        },
        ja: Text {
            title: "サービスが存在しないか、すでに有効ではありません",
            explanation: "ECS は {action} を拒否しました。指定したクラスターにそのサービスがないか、削除されています (削除されたサービスは、ECS が忘れるまで INACTIVE と表示されます)。サービスは 1 つのクラスターに属するため、名前が正しくてもクラスターが違えば見つかりません。",
            steps: &[
                "クラスターのサービスを一覧で確認してください: `aws ecs list-services --cluster {cluster_arg}`。",
                "呼び出しがサービスの属するクラスターを指定しているか確認してください (省略すると `default` が検索されます)。",
                "削除されたサービスは更新できません。`create-service` で作り直すか、サービスを管理するツールに再作成させてください。",
            ],
        },
        docs: &[ERRORS_DOC],
    },
    Rule {
        id: "api-error.task-definition-not-found",
        category: Category::NotFound,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "unable to describe task definition",
                "taskdefinition not found",
                "task definition not found",
                "task definition does not exist",
                "task definition is inactive",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The task definition the call names cannot be found",
            explanation: "ECS refused {action}: the task definition (family and revision, or ARN) does not exist in this account and Region, or the revision was deregistered or deleted. A family without a revision means its latest ACTIVE revision.",
            steps: &[
                "List the revisions that exist: `aws ecs list-task-definitions --family-prefix <family>`.",
                "Check the family and revision the pipeline passes, and the Region and account it runs in.",
                "If the revision was deregistered, register it again or point the service at an ACTIVE revision.",
            ],
        },
        ja: Text {
            title: "呼び出しが指定したタスク定義が見つかりません",
            explanation: "ECS は {action} を拒否しました。指定したタスク定義 (ファミリーとリビジョン、または ARN) がこのアカウントとリージョンに存在しないか、そのリビジョンが登録解除・削除されています。リビジョンを付けないファミリー名は、最新の ACTIVE なリビジョンを意味します。",
            steps: &[
                "存在するリビジョンを一覧で確認してください: `aws ecs list-task-definitions --family-prefix <family>`。",
                "パイプラインが渡すファミリーとリビジョン、および実行しているリージョンとアカウントを確認してください。",
                "リビジョンが登録解除されている場合は、登録し直すか、サービスを ACTIVE なリビジョンに向けてください。",
            ],
        },
        docs: &[ERRORS_DOC, TASK_DEF_DOC],
    },
    Rule {
        id: "api-error.pass-role",
        // The caller's own permission (iam:PassRole), not a flaw of the role it passes.
        category: Category::ApiPermission,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            all: &["not authorized to perform", "iam:passrole"],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The caller may not pass the task's role to ECS",
            explanation: "ECS refused {action}: to register a task definition or start tasks with a task role or execution role, the caller ({caller}) needs `iam:PassRole` on that role, and it does not have it.",
            steps: &[
                "Allow `iam:PassRole` on the task role and the execution role for the caller, with the condition `iam:PassedToService` = `ecs-tasks.amazonaws.com`.",
                "Check the role ARNs in the task definition are the ones the policy names (a typo or another account's role is denied the same way).",
            ],
        },
        ja: Text {
            title: "呼び出し元はタスクのロールを ECS に渡せません",
            explanation: "ECS は {action} を拒否しました。タスクロールやタスク実行ロールを使うタスク定義の登録やタスクの起動には、呼び出し元 ({caller}) にそのロールへの `iam:PassRole` が必要ですが、許可されていません。",
            steps: &[
                "呼び出し元に、タスクロールとタスク実行ロールへの `iam:PassRole` を、条件 `iam:PassedToService` = `ecs-tasks.amazonaws.com` 付きで許可してください。",
                "タスク定義のロール ARN がポリシーに書かれたものと一致しているか確認してください (誤記や別アカウントのロールも同じく拒否されます)。",
            ],
        },
        docs: &[PASS_ROLE_DOC, IAM_DOC],
    },
    Rule {
        id: "api-error.agent-denied",
        category: Category::AgentDisconnected,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            all: &["not authorized to perform"],
            any: &[
                "ecs:registercontainerinstance",
                "ecs:discoverpollendpoint",
                "ecs:poll",
                "ecs:submittaskstatechange",
                "ecs:submitcontainerstatechange",
                "ecs:starttelemetrysession",
                "re-registering container instance",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The container instance's role may not talk to ECS",
            explanation: "The ECS agent was denied one of the calls it makes to join and stay in the cluster. The instance profile's role lacks the agent's permissions, or a permissions boundary or SCP removes them, so the instance cannot register or report its tasks.",
            steps: &[
                "Attach the managed policy `AmazonEC2ContainerServiceforEC2Role` (or its actions) to the role of the instance profile.",
                "Check the instance uses the instance profile you expect (launch template), and that no SCP or permissions boundary denies `ecs:*` agent actions.",
                "Restart the agent after fixing the role: `sudo systemctl restart ecs`.",
            ],
        },
        ja: Text {
            title: "コンテナインスタンスのロールに ECS との通信が許可されていません",
            explanation: "ECS エージェントが、クラスターへの参加と維持に使う呼び出しを拒否されました。インスタンスプロファイルのロールにエージェントの権限がないか、アクセス許可の境界や SCP で除かれているため、インスタンスは登録もタスクの報告もできません。",
            steps: &[
                "インスタンスプロファイルのロールに、マネージドポリシー `AmazonEC2ContainerServiceforEC2Role` (またはそのアクション) をアタッチしてください。",
                "インスタンスが想定どおりのインスタンスプロファイル (起動テンプレート) を使っているか、SCP やアクセス許可の境界がエージェントの `ecs:*` アクションを拒否していないか確認してください。",
                "ロールを直したらエージェントを再起動してください: `sudo systemctl restart ecs`。",
            ],
        },
        docs: &[INSTANCE_ROLE_DOC],
    },
    Rule {
        id: "api-error.access-denied",
        category: Category::ApiPermission,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            within: API_ERROR,
            any: &["accessdeniedexception", "not authorized to perform", "access denied"],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The caller is not allowed to make this ECS call",
            explanation: "ECS refused {action} because the caller ({caller}) has no permission for it: an identity policy does not allow the action on that resource, or an explicit deny, a permissions boundary or an SCP blocks it.",
            steps: &[
                "Read the denied action and resource in the message, and allow exactly that action on that resource (cluster, service or task definition ARN) for the caller.",
                "If a policy already allows it, look for an explicit deny: SCPs, permissions boundaries, and conditions such as `ecs:cluster` or tags that do not match.",
                "Check which principal actually called: `aws sts get-caller-identity` in the pipeline.",
            ],
        },
        ja: Text {
            title: "呼び出し元にはこの ECS 呼び出しの権限がありません",
            explanation: "呼び出し元 ({caller}) に権限がないため、ECS は {action} を拒否しました。ID ポリシーがそのリソースへのアクションを許可していないか、明示的な拒否、アクセス許可の境界、SCP が妨げています。",
            steps: &[
                "メッセージにある拒否されたアクションとリソースを読み、呼び出し元にそのリソース (クラスター、サービス、タスク定義の ARN) へのそのアクションだけを許可してください。",
                "すでに許可しているのに拒否される場合は、明示的な拒否を探してください: SCP、アクセス許可の境界、`ecs:cluster` やタグの条件の不一致。",
                "実際にどのプリンシパルが呼び出したか、パイプラインで `aws sts get-caller-identity` を実行して確認してください。",
            ],
        },
        docs: &[IAM_DOC],
    },
    Rule {
        id: "api-error.role-not-usable",
        category: Category::IamRole,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "role is not valid",
                "unable to assume role",
                "unable to assume the role",
                "could not assume role",
                "not authorized to assume",
                "service linked role",
                "service-linked role",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "ECS cannot use the role the call names",
            explanation: "ECS refused {action}: a role in the request (task role, execution role, the service's role for the load balancer, or the ECS service-linked role) does not exist, is misspelt, or does not trust the ECS service principal, so ECS cannot assume it.",
            steps: &[
                "Check every role ARN in the request and the task definition exists (`aws iam get-role --role-name <name>`).",
                "Check the role's trust policy lets `ecs-tasks.amazonaws.com` (task and execution roles) or `ecs.amazonaws.com` (service role) assume it.",
                "In a new account, create the ECS service-linked role once: `aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com`.",
            ],
        },
        ja: Text {
            title: "ECS は呼び出しで指定されたロールを使えません",
            explanation: "ECS は {action} を拒否しました。リクエスト内のロール (タスクロール、タスク実行ロール、ロードバランサー用のサービスのロール、または ECS のサービスリンクロール) が存在しないか、名前が誤っているか、ECS のサービスプリンシパルを信頼していないため、ECS はそれを引き受けられません。",
            steps: &[
                "リクエストとタスク定義にあるすべてのロール ARN が存在するか確認してください (`aws iam get-role --role-name <name>`)。",
                "ロールの信頼ポリシーが `ecs-tasks.amazonaws.com` (タスクロールと実行ロール) または `ecs.amazonaws.com` (サービスのロール) に引き受けを許可しているか確認してください。",
                "新しいアカウントでは、ECS のサービスリンクロールを一度作成してください: `aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com`。",
            ],
        },
        docs: &[SERVICE_ROLE_DOC, EXECUTION_ROLE_DOC],
    },
    Rule {
        id: "api-error.execution-role-required",
        category: Category::InvalidRequest,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "requires task definition to have execution role",
                "execution role arn to support",
                "executionrolearn is required",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The task definition needs an execution role",
            explanation: "ECS refused {action}: the task definition uses something that ECS does on the task's behalf before it starts (pulling from private ECR, the `awslogs` driver, secrets), and on Fargate that needs `executionRoleArn`, which the task definition does not set.",
            steps: &[
                "Set `executionRoleArn` in the task definition to a role with the managed policy `AmazonECSTaskExecutionRolePolicy` (plus read access to any secrets).",
                "The role must trust `ecs-tasks.amazonaws.com`, and the caller needs `iam:PassRole` on it.",
            ],
        },
        ja: Text {
            title: "タスク定義にタスク実行ロールが必要です",
            explanation: "ECS は {action} を拒否しました。タスク定義が、起動前に ECS がタスクに代わって行う処理 (プライベート ECR からの取得、`awslogs` ドライバー、シークレット) を使っており、Fargate ではそのために `executionRoleArn` が必要ですが、設定されていません。",
            steps: &[
                "タスク定義の `executionRoleArn` に、マネージドポリシー `AmazonECSTaskExecutionRolePolicy` (とシークレットの読み取り権限) を持つロールを設定してください。",
                "ロールは `ecs-tasks.amazonaws.com` を信頼し、呼び出し元はそのロールへの `iam:PassRole` を持つ必要があります。",
            ],
        },
        docs: &[EXECUTION_ROLE_DOC],
    },
    Rule {
        id: "api-error.launch-type-incompatible",
        category: Category::InvalidRequest,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "fargate only supports",
                "fargate launch type do not support",
                "fargate launch type does not support",
                "not supported on fargate",
                "does not support launch_type",
                "does not support launch type",
                "not compatible with the requested launch type",
                "platformtaskdefinitionincompatibilityexception",
                "platformunknownexception",
                "requested capabilities are not supported",
                "specified platform does not exist",
                "is not supported by the requested platform",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The task definition does not fit the launch type or platform",
            explanation: "ECS refused {action}: the task definition asks for something the chosen launch type or platform version does not offer (Fargate needs network mode `awsvpc` and allows no `hostname`, `ipcMode`, `pidMode: host` or privileged containers; `requiresCompatibilities` must list the launch type), or the platform version does not exist.",
            steps: &[
                "Compare the task definition with the launch type's limits: `requiresCompatibilities`, `networkMode`, and the parameters the message names.",
                "Remove or change the unsupported parameter, or run on the other launch type (EC2 allows what Fargate does not).",
                "Use `LATEST` or an existing platform version (`platformVersion`).",
            ],
        },
        ja: Text {
            title: "タスク定義が起動タイプまたはプラットフォームに合っていません",
            explanation: "ECS は {action} を拒否しました。タスク定義が、選んだ起動タイプやプラットフォームバージョンにない機能を求めています (Fargate ではネットワークモード `awsvpc` が必須で、`hostname`、`ipcMode`、`pidMode: host`、特権コンテナは使えません。`requiresCompatibilities` に起動タイプが必要です)。または、そのプラットフォームバージョンが存在しません。",
            steps: &[
                "タスク定義を起動タイプの制限と比べてください: `requiresCompatibilities`、`networkMode`、メッセージが挙げるパラメータ。",
                "対応していないパラメータを削除・変更するか、もう一方の起動タイプで実行してください (Fargate でできないことも EC2 ならできます)。",
                "`LATEST` または存在するプラットフォームバージョン (`platformVersion`) を使ってください。",
            ],
        },
        docs: &[FARGATE_DOC, TASK_DEF_DOC],
    },
    Rule {
        id: "api-error.network-configuration",
        category: Category::InvalidRequest,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            any: &[
                "network configuration must be provided",
                "network configuration is not valid",
                "networkconfiguration",
                "awsvpcconfiguration",
                "subnets can not be empty",
                "subnets cannot be empty",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The network configuration does not match the task's network mode",
            explanation: "ECS refused {action}: a task with network mode `awsvpc` (every Fargate task) needs `networkConfiguration.awsvpcConfiguration` with subnets (and optionally security groups and `assignPublicIp`), and a task in another network mode must not have one.",
            steps: &[
                "For `awsvpc`, pass subnets of the task's VPC (and security groups) in `networkConfiguration`; in a service this is part of the service, in a pipeline part of the run-task call.",
                "For `bridge` or `host`, remove `networkConfiguration` from the call.",
                "Check the subnets and security groups belong to the same VPC.",
            ],
        },
        ja: Text {
            title: "ネットワーク設定がタスクのネットワークモードと合っていません",
            explanation: "ECS は {action} を拒否しました。ネットワークモード `awsvpc` のタスク (Fargate のタスクはすべて) には、サブネット (と任意でセキュリティグループと `assignPublicIp`) を含む `networkConfiguration.awsvpcConfiguration` が必要で、ほかのネットワークモードのタスクには指定してはいけません。",
            steps: &[
                "`awsvpc` では、タスクの VPC のサブネット (とセキュリティグループ) を `networkConfiguration` で渡してください。サービスではサービスの設定、パイプラインでは run-task の呼び出しに含めます。",
                "`bridge` や `host` では、呼び出しから `networkConfiguration` を削除してください。",
                "サブネットとセキュリティグループが同じ VPC に属しているか確認してください。",
            ],
        },
        docs: &[NETWORK_DOC],
    },
    Rule {
        id: "api-error.load-balancer",
        category: Category::InvalidRequest,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            within: API_ERROR,
            any: &["target group", "targetgrouparn", "load balancer", "loadbalancer"],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "The service's load balancer settings are not valid",
            explanation: "ECS refused {action}: the target group or load balancer the service names does not exist, is not attached to a load balancer yet, uses a target type that does not fit the network mode (`ip` for `awsvpc`, `instance` otherwise), or the container name and port do not match the task definition.",
            steps: &[
                "Check the target group exists and has a listener rule on a load balancer: `aws elbv2 describe-target-groups --target-group-arns <arn>`.",
                "Use target type `ip` for `awsvpc` tasks and `instance` for `bridge`/`host`.",
                "Check `containerName` and `containerPort` in the service match a port mapping of the task definition.",
            ],
        },
        ja: Text {
            title: "サービスのロードバランサー設定が正しくありません",
            explanation: "ECS は {action} を拒否しました。サービスが指定したターゲットグループやロードバランサーが存在しない、まだロードバランサーに関連付けられていない、ターゲットタイプがネットワークモードに合わない (`awsvpc` なら `ip`、それ以外は `instance`)、またはコンテナ名とポートがタスク定義と一致しない状態です。",
            steps: &[
                "ターゲットグループが存在し、ロードバランサーのリスナールールに関連付けられているか確認してください: `aws elbv2 describe-target-groups --target-group-arns <arn>`。",
                "`awsvpc` のタスクにはターゲットタイプ `ip`、`bridge`/`host` には `instance` を使ってください。",
                "サービスの `containerName` と `containerPort` が、タスク定義のポートマッピングと一致しているか確認してください。",
            ],
        },
        docs: &[LB_DOC],
    },
    Rule {
        id: "api-error.service-side",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: FIELDS,
            within: API_ERROR,
            any: &[
                "serverexception",
                "throttlingexception",
                "rate exceeded",
                "internal server error",
                "service unavailable",
            ],
            none: TASK_WORDING,
            ..When::NOTHING
        },
        en: Text {
            title: "ECS could not serve the call (throttled or a service error)",
            explanation: "ECS answered {action} with a server-side error or throttled it. Nothing is wrong with the request itself; the call did not happen and must be repeated.",
            steps: &[
                "Retry with exponential backoff (the SDKs and the CLI do this when their retry mode allows it).",
                "If it is throttling, spread the calls out (for example, fewer parallel deploys or DescribeTasks polls) or request a higher quota.",
                "If server errors persist, check the AWS Health Dashboard for ECS in this Region.",
            ],
        },
        ja: Text {
            title: "ECS は呼び出しを処理できませんでした (スロットリングまたはサービスのエラー)",
            explanation: "ECS は {action} にサーバー側のエラーを返したか、スロットリングしました。リクエスト自体に問題はなく、呼び出しは実行されていないため、やり直す必要があります。",
            steps: &[
                "指数バックオフで再試行してください (SDK と CLI は、再試行モードが許す範囲で自動的に行います)。",
                "スロットリングなら呼び出しを分散するか (並行するデプロイや DescribeTasks のポーリングを減らすなど)、クォータの引き上げを申請してください。",
                "サーバーエラーが続く場合は、このリージョンの ECS について AWS Health Dashboard を確認してください。",
            ],
        },
        docs: &[ERRORS_DOC],
    },
    Rule {
        id: "api-error.invalid-request",
        category: Category::InvalidRequest,
        severity: Severity::Error,
        when: When {
            fields: FIELDS,
            within: API_ERROR,
            any: &[
                "invalidparameterexception",
                "clientexception",
                "invalid request provided",
                "unsupportedfeatureexception",
                "limitexceededexception",
                "attributelimitexceededexception",
                "resourceinuseexception",
            ],
            none: TASK_WORDING,
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "ECS refused the call's parameters",
            explanation: "ECS refused {action}: a parameter of the request is missing, malformed or contradicts another one (or an account limit was reached). The message names the parameter: {reason}.",
            steps: &[
                "Read the message for the parameter it names and compare it with the request (cluster, service, task definition, network and load balancer settings).",
                "Run the same request with `aws ecs <command> --cli-input-json` to see the error without the tool in between.",
                "Check the parameter's rules in the API reference for the action.",
            ],
        },
        ja: Text {
            title: "ECS は呼び出しのパラメータを拒否しました",
            explanation: "ECS は {action} を拒否しました。リクエストのパラメータが欠けている、形式が誤っている、ほかのパラメータと矛盾している (またはアカウントの上限に達した) 状態です。メッセージがパラメータを示しています: {reason}。",
            steps: &[
                "メッセージが挙げるパラメータを読み、リクエスト (クラスター、サービス、タスク定義、ネットワークとロードバランサーの設定) と比べてください。",
                "同じリクエストを `aws ecs <command> --cli-input-json` で実行し、間にツールを挟まずにエラーを確認してください。",
                "そのアクションの API リファレンスでパラメータの制約を確認してください。",
            ],
        },
        docs: &[ERRORS_DOC],
    },
];
