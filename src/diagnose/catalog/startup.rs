//! What a task sets up before its containers start, other than images and secrets: the log
//! driver, environment files from S3, EFS and other volumes, and the generic
//! `ResourceInitializationError` that Fargate (platform 1.4 and later) reports for all of them.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::rule::Tier;
use crate::diagnose::vocabulary::phrase;

/// Log driver setup. Fargate reports it as `ResourceInitializationError: failed to validate
/// logger args: …`, the EC2 agent as `CannotStartContainerError: … failed to initialize logging
/// driver: …`; this family comes before the runtime one so both land here.
const LOGGING: &[&str] = &[
    "logging driver",
    "logger args",
    "cloudwatch log stream",
    "cloudwatch log group",
    "amazon cloudwatch log group",
];
/// Environment files (`environmentFiles`) downloaded from S3.
const ENV_FILES: &[&str] = &[
    "env files",
    "env file",
    "envfile",
    "environment file",
    "environmentfile",
];
/// EFS volumes: efs-utils, the NFS client, or the file system's DNS name.
const EFS: &[&str] = &["efs utils", "efs volume", "efs-utils", "mount.nfs", ".efs."];

/// Failures that Fargate wraps in `ResourceInitializationError` but that belong to the container
/// runtime family (`runtime.rs`), which comes after this one.
const RUNTIME_WORDING: &[&str] = &[
    "cannotstartcontainer",
    "cannotcreatecontainer",
    "oci runtime",
    "runc create failed",
    "failed to create shim",
    "container runtime task",
];

/// Network failures as the AWS SDK and the agents word them (lower-case).
const NETWORK: &[&str] = &[
    "i/o timeout",
    "dial tcp",
    "context deadline exceeded",
    "request canceled",
    "requestcanceled",
    "no such host",
    "network is unreachable",
    "tls handshake timeout",
    "connection issue between the task",
    "check your network",
    "send request failed",
];

const RIE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html";
const AWSLOGS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html";
const LOGGER_KC: &str = "https://repost.aws/knowledge-center/ecs-resource-initialization-error";
const EXEC_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
const AGENT_CONFIG_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html";
const LOGS_ENDPOINT_DOC: &str =
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch-logs-and-interface-VPC.html";
const FARGATE_NET_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html";
const ENVFILES_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html";
const EFS_VOLUMES_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html";
const EFS_MOUNT_KC: &str = "https://repost.aws/knowledge-center/fargate-unable-to-mount-efs";
const EFS_TROUBLESHOOT_DOC: &str = "https://docs.aws.amazon.com/efs/latest/ug/troubleshooting-efs-mounting.html";
const EFS_NETWORK_DOC: &str = "https://docs.aws.amazon.com/efs/latest/ug/network-access.html";
const EFS_IAM_DOC: &str = "https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html";
const EFS_ACCESS_POINT_DOC: &str = "https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html";
const VPC_DNS_DOC: &str = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html";
const DOCKER_VOLUMES_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/docker-volumes.html";
const TASKDEF_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";

pub const RULES: &[Rule] = &[
    // ---- Log driver ----
    Rule {
        id: "logging.access-denied",
        category: Category::LoggingSetup,
        severity: Severity::Error,
        when: When {
            within: LOGGING,
            any: &["accessdenied", "not authorized to perform", "nocredentialproviders", "no valid providers in chain"],
            ..When::NOTHING
        },
        en: Text {
            title: "Log driver was denied access to CloudWatch Logs",
            explanation: "Before starting container {container}, the awslogs driver creates its log stream in CloudWatch Logs. That call was refused: the role the driver uses may not create log streams (or log groups) in the configured log group, so the container was not started.",
            steps: &[
                "Give the task execution role `logs:CreateLogStream` and `logs:PutLogEvents` on the log group named in `awslogs-group` of container {container}; the managed policy `AmazonECSTaskExecutionRolePolicy` includes both.",
                "If the container sets `awslogs-create-group` to `true`, the role also needs `logs:CreateLogGroup`; or create the log group in advance and drop that option.",
                "[ec2] The driver uses the container instance's role unless the agent runs with `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true`: grant the same permissions to the instance role of {instance}, or turn the override on.",
                "If the log group is encrypted with a KMS key, the key policy must allow the CloudWatch Logs service principal of that Region to use it.",
            ],
        },
        ja: Text {
            title: "ログドライバーの CloudWatch Logs へのアクセスが拒否されました",
            explanation: "awslogs ドライバーはコンテナ {container} を起動する前に CloudWatch Logs にログストリームを作成しますが、その呼び出しが拒否されました。ドライバーが使うロールに、設定されたロググループでログストリーム (またはロググループ) を作成する権限がないため、コンテナは起動されませんでした。",
            steps: &[
                "コンテナ {container} の `awslogs-group` に指定したロググループに対する `logs:CreateLogStream` と `logs:PutLogEvents` を、タスク実行ロールに許可してください。管理ポリシー `AmazonECSTaskExecutionRolePolicy` には両方が含まれます。",
                "コンテナで `awslogs-create-group` を `true` にしている場合は `logs:CreateLogGroup` も必要です。あるいはロググループを事前に作成し、このオプションを外してください。",
                "[ec2] エージェントが `ECS_ENABLE_AWSLOGS_EXECUTIONROLE_OVERRIDE=true` で動いていない限り、ドライバーはコンテナインスタンスのロールを使います。{instance} のインスタンスロールに同じ権限を付与するか、この設定を有効にしてください。",
                "ロググループが KMS キーで暗号化されている場合は、キーポリシーでそのリージョンの CloudWatch Logs サービスプリンシパルによる利用を許可してください。",
            ],
        },
        docs: &[AWSLOGS_DOC, EXEC_ROLE_DOC, AGENT_CONFIG_DOC, LOGGER_KC],
    },
    Rule {
        id: "logging.network",
        category: Category::LoggingSetup,
        severity: Severity::Error,
        when: When {
            within: LOGGING,
            any: NETWORK,
            // fluentd/Splunk destinations and the EC2 credentials endpoint are not CloudWatch.
            none: &["fluentd", "24224", "splunk", "169.254.170.2", "credentialsendpointerror"],
            ..When::NOTHING
        },
        en: Text {
            title: "Task could not reach CloudWatch Logs to set up logging",
            explanation: "The awslogs driver of container {container} could not connect to the CloudWatch Logs endpoint while creating its log stream. The task's network has no working route (or DNS) to CloudWatch Logs, so the container was not started.",
            steps: &[
                "[fargate] In a public subnet, turn on `assignPublicIp` (Auto-assign public IP: ENABLED) for the service or RunTask call; without a public IP the task cannot reach CloudWatch Logs.",
                "[awsvpc] In a private subnet {subnet}, add a route to a NAT gateway, or an interface VPC endpoint for CloudWatch Logs (`com.amazonaws.{region_arg}.logs`) with private DNS turned on.",
                "Allow outbound HTTPS (443) in the task's security group, and inbound 443 from the task on the endpoint's security group.",
                "Turn on DNS resolution and DNS hostnames for the VPC, so the endpoint name resolves.",
            ],
        },
        ja: Text {
            title: "ログ設定のためにタスクが CloudWatch Logs に接続できませんでした",
            explanation: "コンテナ {container} の awslogs ドライバーが、ログストリームの作成時に CloudWatch Logs のエンドポイントに接続できませんでした。タスクのネットワークから CloudWatch Logs への経路 (または DNS) がないため、コンテナは起動されませんでした。",
            steps: &[
                "[fargate] パブリックサブネットの場合は、サービスまたは RunTask の `assignPublicIp` を有効 (パブリック IP の自動割り当て: ENABLED) にしてください。パブリック IP がないと CloudWatch Logs に到達できません。",
                "[awsvpc] プライベートサブネット {subnet} の場合は、NAT ゲートウェイへのルートを追加するか、CloudWatch Logs のインターフェイス VPC エンドポイント (`com.amazonaws.{region_arg}.logs`) をプライベート DNS 有効で作成してください。",
                "タスクのセキュリティグループでアウトバウンドの HTTPS (443) を、エンドポイントのセキュリティグループでタスクからのインバウンド 443 を許可してください。",
                "エンドポイント名が解決できるよう、VPC の DNS 解決と DNS ホスト名を有効にしてください。",
            ],
        },
        docs: &[LOGGER_KC, LOGS_ENDPOINT_DOC, FARGATE_NET_DOC],
    },
    Rule {
        id: "logging.log-group-missing",
        category: Category::LoggingSetup,
        severity: Severity::Error,
        when: When {
            within: LOGGING,
            any: &["log group does not exist", "resourcenotfoundexception", "cannot find the amazon cloudwatch log group"],
            ..When::NOTHING
        },
        en: Text {
            title: "CloudWatch log group of the container does not exist",
            explanation: "Container {container} sends its logs with the awslogs driver to a log group that does not exist in the configured Region. The driver does not create log groups unless asked to, so the container was not started.",
            steps: &[
                "Create the log group named in `awslogs-group` of container {container}, in the Region given by `awslogs-region`: `aws logs create-log-group --log-group-name <group> --region {region_arg}`.",
                "Or set `awslogs-create-group` to `true` in the container's log options and allow the task execution role `logs:CreateLogGroup`.",
                "Check the name for typos and the Region: `awslogs-region` may differ from the task's Region, and the group must exist there.",
                "If the group existed before, find out what deleted it (an infrastructure stack teardown, a cleanup script) so it does not happen again.",
            ],
        },
        ja: Text {
            title: "コンテナの CloudWatch ロググループが存在しません",
            explanation: "コンテナ {container} は awslogs ドライバーでログを送りますが、送信先のロググループが設定されたリージョンに存在しません。指定がない限りドライバーはロググループを作成しないため、コンテナは起動されませんでした。",
            steps: &[
                "コンテナ {container} の `awslogs-group` に指定したロググループを、`awslogs-region` のリージョンに作成してください: `aws logs create-log-group --log-group-name <グループ> --region {region_arg}`。",
                "またはコンテナのログオプションで `awslogs-create-group` を `true` にし、タスク実行ロールに `logs:CreateLogGroup` を許可してください。",
                "名前の誤記とリージョンを確認してください。`awslogs-region` はタスクのリージョンと異なる場合があり、ロググループはそのリージョンに存在する必要があります。",
                "以前は存在していた場合は、何が削除したのか (インフラのスタック削除やクリーンアップスクリプトなど) を確認し、再発を防いでください。",
            ],
        },
        docs: &[AWSLOGS_DOC, RIE_DOC, LOGGER_KC],
    },
    Rule {
        id: "logging.invalid-option",
        category: Category::LoggingSetup,
        severity: Severity::Error,
        when: When {
            within: LOGGING,
            any: &["unknown log opt", "cannot be configured at the same time", "invalid log opt"],
            ..When::NOTHING
        },
        en: Text {
            title: "Log options of the container are not valid for its log driver",
            explanation: "The log driver rejected the `logConfiguration.options` of container {container}: an option name is unknown to the driver, or two options conflict. The container was not started.",
            steps: &[
                "Compare every key under `logConfiguration.options` of container {container} with the options the driver supports; for awslogs these include `awslogs-group`, `awslogs-region`, `awslogs-stream-prefix`, `awslogs-create-group`, `awslogs-datetime-format`, `awslogs-multiline-pattern`, `mode` and `max-buffer-size`. Names are case-sensitive.",
                "Use at most one of `awslogs-datetime-format` and `awslogs-multiline-pattern`.",
                "Register a task definition revision with the corrected options and deploy it.",
            ],
        },
        ja: Text {
            title: "コンテナのログオプションがログドライバーで使えない値です",
            explanation: "ログドライバーがコンテナ {container} の `logConfiguration.options` を受け付けませんでした。ドライバーが知らないオプション名があるか、同時に指定できないオプションが含まれています。コンテナは起動されませんでした。",
            steps: &[
                "コンテナ {container} の `logConfiguration.options` の各キーを、ドライバーが対応するオプションと比べてください。awslogs なら `awslogs-group`、`awslogs-region`、`awslogs-stream-prefix`、`awslogs-create-group`、`awslogs-datetime-format`、`awslogs-multiline-pattern`、`mode`、`max-buffer-size` などです。名前は大文字と小文字を区別します。",
                "`awslogs-datetime-format` と `awslogs-multiline-pattern` はどちらか一方だけを指定してください。",
                "修正したオプションでタスク定義の新しいリビジョンを登録し、デプロイしてください。",
            ],
        },
        docs: &[AWSLOGS_DOC, TASKDEF_DOC],
    },
    Rule {
        id: "logging.setup-failed",
        category: Category::LoggingSetup,
        severity: Severity::Error,
        when: When { within: LOGGING, tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Log driver of the container could not be set up",
            explanation: "ECS did not start container {container} because its log driver failed to initialise: {reason}. The usual causes are a missing log group, missing permissions for the role the driver uses, or no network path to the log destination.",
            steps: &[
                "Check `logConfiguration` of container {container}: driver name, destination (`awslogs-group`/`awslogs-region`, or the FireLens/fluentd/Splunk settings) and option names.",
                "Check that the task execution role may write to the destination (for awslogs: `logs:CreateLogStream`, `logs:PutLogEvents`, and `logs:CreateLogGroup` with `awslogs-create-group`).",
                "Check that the task can reach the destination: CloudWatch Logs endpoint, or the FireLens log router container, which must be running before the application container starts.",
                "[ec2] Check that the agent allows the driver (`ECS_AVAILABLE_LOGGING_DRIVERS` in `/etc/ecs/ecs.config`) and that its credentials endpoint works on container instance {instance}.",
            ],
        },
        ja: Text {
            title: "コンテナのログドライバーを設定できませんでした",
            explanation: "ログドライバーの初期化に失敗したため、ECS はコンテナ {container} を起動しませんでした: {reason}。よくある原因は、ロググループがない、ドライバーが使うロールの権限不足、ログの送信先へのネットワーク経路がない、のいずれかです。",
            steps: &[
                "コンテナ {container} の `logConfiguration` (ドライバー名、送信先の `awslogs-group`/`awslogs-region` または FireLens/fluentd/Splunk の設定、オプション名) を確認してください。",
                "タスク実行ロールが送信先に書き込めるか確認してください (awslogs なら `logs:CreateLogStream`、`logs:PutLogEvents`、`awslogs-create-group` を使う場合は `logs:CreateLogGroup`)。",
                "タスクから送信先に到達できるか確認してください。CloudWatch Logs のエンドポイント、または FireLens のログルーターコンテナ (アプリケーションコンテナより先に起動している必要があります) です。",
                "[ec2] エージェントがそのドライバーを許可しているか (`/etc/ecs/ecs.config` の `ECS_AVAILABLE_LOGGING_DRIVERS`)、コンテナインスタンス {instance} で認証情報エンドポイントが動作しているか確認してください。",
            ],
        },
        docs: &[AWSLOGS_DOC, RIE_DOC, AGENT_CONFIG_DOC],
    },
    // ---- Environment files from S3 ----
    Rule {
        id: "envfile.access-denied",
        category: Category::EnvFile,
        severity: Severity::Error,
        when: When {
            within: ENV_FILES,
            any: &["accessdenied", "access denied", "403", "forbidden", "not authorized to perform"],
            ..When::NOTHING
        },
        en: Text {
            title: "Task execution role may not download the environment file from S3",
            explanation: "Container {container} lists environment files in `environmentFiles`, which ECS downloads from S3 with the task execution role before the container starts. S3 refused the download (403 Access Denied).",
            steps: &[
                "Allow the task execution role `s3:GetObject` on each file (`arn:aws:s3:::<bucket>/<key>.env`) and `s3:GetBucketLocation` on the bucket.",
                "S3 answers 403 rather than 404 for a missing object when the caller may not list the bucket: confirm that the key exists (`aws s3 ls s3://<bucket>/<key>`).",
                "If the bucket uses SSE-KMS with a customer managed key, allow `kms:Decrypt` on that key; check the bucket policy and any S3 VPC endpoint policy for a `Deny`.",
            ],
        },
        ja: Text {
            title: "タスク実行ロールが S3 から環境変数ファイルを取得できません",
            explanation: "コンテナ {container} は `environmentFiles` に環境変数ファイルを指定しており、ECS はコンテナ起動前にタスク実行ロールで S3 から取得します。S3 がそのダウンロードを拒否しました (403 Access Denied)。",
            steps: &[
                "タスク実行ロールに、各ファイル (`arn:aws:s3:::<バケット>/<キー>.env`) に対する `s3:GetObject` と、バケットに対する `s3:GetBucketLocation` を許可してください。",
                "呼び出し元にバケットの一覧権限がない場合、S3 は存在しないオブジェクトにも 404 ではなく 403 を返します。キーが存在するか確認してください (`aws s3 ls s3://<バケット>/<キー>`)。",
                "バケットがカスタマー管理キーの SSE-KMS を使っている場合はそのキーへの `kms:Decrypt` を許可し、バケットポリシーと S3 VPC エンドポイントポリシーに `Deny` がないか確認してください。",
            ],
        },
        docs: &[ENVFILES_DOC, EXEC_ROLE_DOC],
    },
    Rule {
        id: "envfile.not-found",
        category: Category::EnvFile,
        severity: Severity::Error,
        when: When {
            within: ENV_FILES,
            any: &["nosuchkey", "nosuchbucket", "does not exist", "not found", "404", "unable to parse bucket and key"],
            ..When::NOTHING
        },
        en: Text {
            title: "Environment file named in the task definition was not found in S3",
            explanation: "An S3 object listed in `environmentFiles` of container {container} does not exist, or its ARN could not be parsed, so ECS could not read the container's environment and did not start it.",
            steps: &[
                "Check each `environmentFiles[].value` in task definition {task_definition}: it must be an S3 object ARN such as `arn:aws:s3:::<bucket>/<path>/<name>.env`, and the file must use the `.env` extension.",
                "Confirm that the object exists under exactly that key (keys are case-sensitive): `aws s3 ls s3://<bucket>/<path>/`.",
                "If the pipeline uploads the file, make sure it does so before the deployment starts, and that a lifecycle rule does not expire it.",
            ],
        },
        ja: Text {
            title: "タスク定義で指定した環境変数ファイルが S3 に見つかりません",
            explanation: "コンテナ {container} の `environmentFiles` に指定した S3 オブジェクトが存在しないか、ARN を解釈できませんでした。ECS はコンテナの環境変数を読み込めないため、コンテナを起動しませんでした。",
            steps: &[
                "タスク定義 {task_definition} の各 `environmentFiles[].value` を確認してください。`arn:aws:s3:::<バケット>/<パス>/<名前>.env` のような S3 オブジェクトの ARN で、拡張子は `.env` である必要があります。",
                "そのキーでオブジェクトが存在するか確認してください (キーは大文字と小文字を区別します): `aws s3 ls s3://<バケット>/<パス>/`。",
                "パイプラインでファイルをアップロードしている場合は、デプロイ開始前にアップロードされているか、ライフサイクルルールで削除されていないか確認してください。",
            ],
        },
        docs: &[ENVFILES_DOC],
    },
    Rule {
        id: "envfile.network",
        category: Category::EnvFile,
        severity: Severity::Error,
        when: When { within: ENV_FILES, any: NETWORK, ..When::NOTHING },
        en: Text {
            title: "Task could not reach S3 to download its environment files",
            explanation: "Downloading the environment files of container {container} from S3 timed out or could not connect: the task's network has no working route (or DNS) to Amazon S3.",
            steps: &[
                "[fargate] In a public subnet, turn on `assignPublicIp` (Auto-assign public IP: ENABLED) for the service or RunTask call.",
                "[awsvpc] In a private subnet {subnet}, add a route to a NAT gateway, or an S3 gateway endpoint on the subnet's route table.",
                "Allow outbound HTTPS (443) in the task's security group (to the S3 prefix list when you use the gateway endpoint), and check that the endpoint policy allows the bucket.",
                "Turn on DNS resolution and DNS hostnames for the VPC.",
            ],
        },
        ja: Text {
            title: "環境変数ファイルを取得するための S3 への接続に失敗しました",
            explanation: "コンテナ {container} の環境変数ファイルを S3 から取得する処理がタイムアウトしたか、接続できませんでした。タスクのネットワークから Amazon S3 への経路 (または DNS) がありません。",
            steps: &[
                "[fargate] パブリックサブネットの場合は、サービスまたは RunTask の `assignPublicIp` を有効 (パブリック IP の自動割り当て: ENABLED) にしてください。",
                "[awsvpc] プライベートサブネット {subnet} の場合は、NAT ゲートウェイへのルートを追加するか、サブネットのルートテーブルに S3 ゲートウェイエンドポイントを追加してください。",
                "タスクのセキュリティグループでアウトバウンドの HTTPS (443) を許可し (ゲートウェイエンドポイントを使う場合は S3 のプレフィックスリスト宛て)、エンドポイントポリシーがバケットを許可しているか確認してください。",
                "VPC の DNS 解決と DNS ホスト名を有効にしてください。",
            ],
        },
        docs: &[ENVFILES_DOC, FARGATE_NET_DOC],
    },
    Rule {
        id: "envfile.download-failed",
        category: Category::EnvFile,
        severity: Severity::Error,
        when: When { within: ENV_FILES, tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Environment files of the container could not be downloaded",
            explanation: "ECS could not download the S3 environment files of container {container} before starting it: {reason}.",
            steps: &[
                "Check that every `environmentFiles[].value` of container {container} is the ARN of an existing `.env` object in S3.",
                "Check that the task execution role allows `s3:GetObject` on the files and `s3:GetBucketLocation` on the bucket (plus `kms:Decrypt` for SSE-KMS).",
                "Check the network path from the task to S3 (public IP, NAT gateway or S3 gateway endpoint, security group egress on 443).",
            ],
        },
        ja: Text {
            title: "コンテナの環境変数ファイルを取得できませんでした",
            explanation: "ECS はコンテナ {container} を起動する前に、S3 の環境変数ファイルを取得できませんでした: {reason}。",
            steps: &[
                "コンテナ {container} の各 `environmentFiles[].value` が、S3 に存在する `.env` オブジェクトの ARN になっているか確認してください。",
                "タスク実行ロールがファイルへの `s3:GetObject` とバケットへの `s3:GetBucketLocation` (SSE-KMS なら `kms:Decrypt` も) を許可しているか確認してください。",
                "タスクから S3 へのネットワーク経路 (パブリック IP、NAT ゲートウェイまたは S3 ゲートウェイエンドポイント、セキュリティグループの 443 アウトバウンド) を確認してください。",
            ],
        },
        docs: &[ENVFILES_DOC, RIE_DOC],
    },
    // ---- EFS volumes ----
    Rule {
        id: "efs.mount-target-dns",
        category: Category::EfsMount,
        severity: Severity::Error,
        when: When {
            within: EFS,
            anywhere: phrase::NFS_MOUNT,
            any: &["failed to resolve", "could not resolve", "name or service not known", "mount target"],
            ..When::NOTHING
        },
        en: Text {
            title: "EFS file system name did not resolve: no mount target or VPC DNS is off",
            explanation: "To mount the EFS volume of container {container}, the task looks up the file system's DNS name (`fs-….efs.{region_arg}.amazonaws.com`), which points to the mount target in the task's Availability Zone. The lookup failed: the file system has no mount target in that Availability Zone, or DNS in the VPC does not answer for it.",
            steps: &[
                "Create a mount target for the file system in every Availability Zone used by the task's subnets {subnet}; `aws efs describe-mount-targets --file-system-id <fs-id>` shows which exist.",
                "Turn on both DNS resolution and DNS hostnames for the VPC: ECS mounts EFS by its DNS name, not by an IP address.",
                "If the VPC uses a custom DHCP option set or DNS server, make sure it forwards queries to the Amazon-provided resolver.",
                "Check that `fileSystemId` in the volume's `efsVolumeConfiguration` is the intended file system, in the task's Region and VPC.",
            ],
        },
        ja: Text {
            title: "EFS の DNS 名を解決できません (マウントターゲットがないか VPC の DNS が無効)",
            explanation: "コンテナ {container} の EFS ボリュームをマウントするため、タスクはファイルシステムの DNS 名 (`fs-….efs.{region_arg}.amazonaws.com`) を引き、自分のアベイラビリティーゾーンのマウントターゲットに接続します。この名前解決に失敗しました。そのアベイラビリティーゾーンにマウントターゲットがないか、VPC の DNS が応答していません。",
            steps: &[
                "タスクのサブネット {subnet} があるすべてのアベイラビリティーゾーンに、ファイルシステムのマウントターゲットを作成してください。既存のものは `aws efs describe-mount-targets --file-system-id <fs-id>` で確認できます。",
                "VPC の DNS 解決と DNS ホスト名の両方を有効にしてください。ECS は EFS を IP アドレスではなく DNS 名でマウントします。",
                "独自の DHCP オプションセットや DNS サーバーを使っている場合は、Amazon 提供のリゾルバーに問い合わせを転送しているか確認してください。",
                "ボリュームの `efsVolumeConfiguration` の `fileSystemId` が意図したファイルシステムで、タスクと同じリージョン・VPC にあるか確認してください。",
            ],
        },
        docs: &[EFS_VOLUMES_DOC, EFS_MOUNT_KC, EFS_TROUBLESHOOT_DOC, VPC_DNS_DOC],
    },
    Rule {
        id: "efs.access-denied",
        category: Category::EfsMount,
        severity: Severity::Error,
        when: When {
            within: EFS,
            anywhere: phrase::NFS_MOUNT,
            any: &["access denied by server", "accessdenied", "not authorized to perform", "elasticfilesystem:client"],
            ..When::NOTHING
        },
        en: Text {
            title: "EFS refused the mount: file system policy or IAM authorization",
            explanation: "The file system's NFS server refused to mount the volume of container {container}. This happens when a file system policy does not allow the client: with IAM authorization EFS checks the task role (not the execution role); without it the task mounts anonymously, which a restrictive policy denies.",
            steps: &[
                "If the file system has a file system policy, turn on IAM authorization for the volume (`efsVolumeConfiguration.authorizationConfig.iam: ENABLED`, which requires `transitEncryption: ENABLED`) so the task presents its identity.",
                "Allow the task role (`taskRoleArn`) `elasticfilesystem:ClientMount`, plus `elasticfilesystem:ClientWrite` for read-write mounts (and `elasticfilesystem:ClientRootAccess` if it must act as root), in the role policy or the file system policy.",
                "If the policy requires encryption in transit (`aws:SecureTransport`), set `transitEncryption: ENABLED` on the volume.",
                "With an access point, check that `accessPointId` belongs to this file system and matches any `elasticfilesystem:AccessPointArn` condition in the policy.",
            ],
        },
        ja: Text {
            title: "EFS がマウントを拒否しました (ファイルシステムポリシーまたは IAM 認可)",
            explanation: "ファイルシステムの NFS サーバーが、コンテナ {container} のボリュームのマウントを拒否しました。ファイルシステムポリシーがクライアントを許可していない場合に起こります。IAM 認可を使うと EFS はタスクロール (実行ロールではありません) を確認し、使わない場合は匿名でのマウントとなるため、制限的なポリシーでは拒否されます。",
            steps: &[
                "ファイルシステムポリシーがある場合は、ボリュームで IAM 認可を有効にしてください (`efsVolumeConfiguration.authorizationConfig.iam: ENABLED`。`transitEncryption: ENABLED` が必要です)。これでタスクが自身の ID を提示します。",
                "タスクロール (`taskRoleArn`) に `elasticfilesystem:ClientMount`、読み書きするなら `elasticfilesystem:ClientWrite` (root として操作するなら `elasticfilesystem:ClientRootAccess` も) を、ロールのポリシーかファイルシステムポリシーで許可してください。",
                "ポリシーが転送中の暗号化 (`aws:SecureTransport`) を求めている場合は、ボリュームで `transitEncryption: ENABLED` を設定してください。",
                "アクセスポイントを使う場合は、`accessPointId` がこのファイルシステムのものか、ポリシーの `elasticfilesystem:AccessPointArn` 条件と一致しているか確認してください。",
            ],
        },
        docs: &[EFS_VOLUMES_DOC, EFS_IAM_DOC, EFS_MOUNT_KC],
    },
    Rule {
        id: "efs.security-group",
        category: Category::EfsMount,
        severity: Severity::Error,
        when: When {
            within: EFS,
            anywhere: phrase::NFS_MOUNT,
            any: &[
                "connection reset by peer",
                "connection timed out",
                "timed out",
                "connection refused",
                "no route to host",
                "network is unreachable",
                "2049",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Task could not reach the EFS mount target on NFS port 2049",
            explanation: "Container {container} could not get its EFS volume: the task's NFS connection to the mount target was reset or timed out. The mount target's security group, or a network ACL, does not let the task through on TCP port 2049.",
            steps: &[
                "Allow inbound TCP 2049 (NFS) on the mount targets' security group from the security group that the task uses.",
                "[awsvpc] The task's own security group is the source: it must allow outbound TCP 2049 to the mount targets.",
                "[bridge] The container instance's security group is the source: it must allow outbound TCP 2049 to the mount targets.",
                "Check the network ACLs of the task's subnets {subnet} and of the mount target subnets: they must allow 2049 and the ephemeral return ports.",
                "Check that a mount target exists in the task's Availability Zone and that its state is `available`.",
            ],
        },
        ja: Text {
            title: "タスクが NFS ポート 2049 で EFS マウントターゲットに接続できません",
            explanation: "コンテナ {container} の EFS ボリュームをマウントできませんでした。タスクからマウントターゲットへの NFS 接続がリセットされたかタイムアウトしています。マウントターゲットのセキュリティグループかネットワーク ACL が、TCP 2049 番ポートでのタスクからの通信を通していません。",
            steps: &[
                "マウントターゲットのセキュリティグループで、タスクが使うセキュリティグループからのインバウンド TCP 2049 (NFS) を許可してください。",
                "[awsvpc] 送信元はタスク自身のセキュリティグループです。マウントターゲット宛てのアウトバウンド TCP 2049 を許可してください。",
                "[bridge] 送信元はコンテナインスタンスのセキュリティグループです。マウントターゲット宛てのアウトバウンド TCP 2049 を許可してください。",
                "タスクのサブネット {subnet} とマウントターゲットのサブネットのネットワーク ACL が、2049 番とエフェメラルポートの戻り通信を許可しているか確認してください。",
                "タスクのアベイラビリティーゾーンにマウントターゲットがあり、状態が `available` になっているか確認してください。",
            ],
        },
        docs: &[EFS_VOLUMES_DOC, EFS_NETWORK_DOC, EFS_MOUNT_KC],
    },
    Rule {
        id: "efs.root-directory",
        category: Category::EfsMount,
        severity: Severity::Error,
        when: When {
            within: EFS,
            anywhere: phrase::NFS_MOUNT,
            any: &["no such file or directory", "does not exist", "access point", "accesspoint", "fsap-"],
            ..When::NOTHING
        },
        en: Text {
            title: "EFS root directory or access point path does not exist",
            explanation: "The directory that container {container} mounts from the file system is missing: the `rootDirectory` of the volume, or the root path of its access point, does not exist on the file system (or the access point itself is wrong).",
            steps: &[
                "Create the directory on the file system (mount `/` from an instance or a one-off task and run `mkdir -p <path>`), or set `rootDirectory` to a directory that exists.",
                "With an access point, leave `rootDirectory` empty or `/` in the task definition: the path comes from the access point.",
                "An access point creates its root path only if it was created with creation info (owner UID/GID and permissions); otherwise create the directory yourself.",
                "Check that `accessPointId` exists and belongs to `fileSystemId`: `aws efs describe-access-points --access-point-id <fsap-id>`.",
            ],
        },
        ja: Text {
            title: "EFS のルートディレクトリまたはアクセスポイントのパスが存在しません",
            explanation: "コンテナ {container} がファイルシステムからマウントするディレクトリがありません。ボリュームの `rootDirectory`、またはアクセスポイントのルートパスがファイルシステム上に存在しない (あるいはアクセスポイントの指定自体が誤っている) 状態です。",
            steps: &[
                "ファイルシステム上にディレクトリを作成する (インスタンスや一時的なタスクから `/` をマウントして `mkdir -p <パス>`) か、`rootDirectory` を存在するディレクトリに変更してください。",
                "アクセスポイントを使う場合は、タスク定義の `rootDirectory` を空か `/` にしてください。パスはアクセスポイント側で決まります。",
                "アクセスポイントがルートパスを自動作成するのは、作成情報 (所有者の UID/GID とパーミッション) を指定して作成した場合だけです。指定していなければディレクトリを自分で作成してください。",
                "`accessPointId` が存在し、`fileSystemId` のものであるか確認してください: `aws efs describe-access-points --access-point-id <fsap-id>`。",
            ],
        },
        docs: &[EFS_VOLUMES_DOC, EFS_ACCESS_POINT_DOC, EFS_TROUBLESHOOT_DOC],
    },
    Rule {
        id: "efs.mount-failed",
        category: Category::EfsMount,
        severity: Severity::Error,
        when: When {
            within: EFS,
            anywhere: phrase::NFS_MOUNT,
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "EFS volume could not be mounted",
            explanation: "ECS could not mount the EFS volume of container {container}: {reason}. Most EFS mount failures come from a missing mount target or VPC DNS, a security group without NFS (2049), a file system policy, or a missing root directory.",
            steps: &[
                "Check that the file system has a mount target in each Availability Zone of the task's subnets {subnet}, and that VPC DNS resolution and DNS hostnames are on.",
                "Check that the mount targets' security group allows inbound TCP 2049 from the task.",
                "Check the file system policy against the task role and the volume's `transitEncryption` and `authorizationConfig` settings.",
                "Check that `rootDirectory` (or the access point's path) exists on the file system.",
            ],
        },
        ja: Text {
            title: "EFS ボリュームをマウントできませんでした",
            explanation: "ECS はコンテナ {container} の EFS ボリュームをマウントできませんでした: {reason}。EFS のマウント失敗の多くは、マウントターゲットや VPC の DNS の不備、NFS (2049) を許可していないセキュリティグループ、ファイルシステムポリシー、ルートディレクトリの不在のいずれかです。",
            steps: &[
                "タスクのサブネット {subnet} の各アベイラビリティーゾーンにマウントターゲットがあり、VPC の DNS 解決と DNS ホスト名が有効か確認してください。",
                "マウントターゲットのセキュリティグループが、タスクからのインバウンド TCP 2049 を許可しているか確認してください。",
                "ファイルシステムポリシーを、タスクロールとボリュームの `transitEncryption`・`authorizationConfig` の設定と照らし合わせて確認してください。",
                "`rootDirectory` (またはアクセスポイントのパス) がファイルシステム上に存在するか確認してください。",
            ],
        },
        docs: &[EFS_VOLUMES_DOC, EFS_MOUNT_KC, EFS_TROUBLESHOOT_DOC],
    },
    // ---- Other volumes ----
    Rule {
        id: "volume.docker-volume-failed",
        category: Category::Volume,
        severity: Severity::Error,
        // Docker volumes of a task: the agent's task-scoped volumes under /var/lib/ecs/volumes,
        // volume plugins (amazon-ecs-volume-plugin for EFS on EC2, third-party drivers) and
        // the agent's volume errors.
        when: When {
            any: &[
                "/var/lib/ecs/volumes/",
                "volumedriver.",
                "volume plugin",
                "cannotinspectvolume",
                "cannotremovevolume",
                "invalidvolumeerror",
                "task scoped volume could not be autoprovisioned",
                "error while mounting volume",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "A Docker volume of the task could not be set up",
            explanation: "The container runtime could not create or mount a Docker volume of the task (task definition {task_definition}): {reason}. Docker volumes are created on the container instance by the local driver or a volume plugin, so the cause is on the host or in the volume's configuration.",
            steps: &[
                "Check the volume in the `volumes` section of task definition {task_definition}: `dockerVolumeConfiguration` (driver, scope, `autoprovision`, driver options) or `efsVolumeConfiguration`.",
                "[ec2] If a plugin is named (for example `amazon-ecs-volume-plugin` for EFS, or a third-party driver), check that it is installed and running on container instance {instance}: `docker plugin ls`, and for EFS `systemctl enable --now amazon-ecs-volume-plugin`.",
                "[ec2] If the error is about ownership or copying files into the volume (`chown`, `copy file info`), check the image's files at the mount path and the host's free space under `/var/lib/ecs/volumes`.",
                "[ec2] If only some instances fail, compare them with a working one (AMI, agent version, plugins) and replace the odd ones.",
            ],
        },
        ja: Text {
            title: "タスクの Docker ボリュームを準備できませんでした",
            explanation: "コンテナランタイムが、タスク (タスク定義 {task_definition}) の Docker ボリュームを作成またはマウントできませんでした: {reason}。Docker ボリュームはコンテナインスタンス上でローカルドライバーまたはボリュームプラグインが作成するため、原因はホストかボリュームの設定にあります。",
            steps: &[
                "タスク定義 {task_definition} の `volumes` にあるボリューム設定を確認してください: `dockerVolumeConfiguration` (ドライバー、スコープ、`autoprovision`、ドライバーオプション) または `efsVolumeConfiguration`。",
                "[ec2] プラグイン名が出ている場合 (EFS 用の `amazon-ecs-volume-plugin` やサードパーティのドライバーなど) は、コンテナインスタンス {instance} にインストールされ動作しているか確認してください: `docker plugin ls`、EFS なら `systemctl enable --now amazon-ecs-volume-plugin`。",
                "[ec2] 所有者の変更やファイルのコピー (`chown`、`copy file info`) のエラーなら、マウント先にあるイメージ内のファイルと、ホストの `/var/lib/ecs/volumes` の空き容量を確認してください。",
                "[ec2] 一部のインスタンスだけで失敗する場合は、正常なインスタンスと比べ (AMI、エージェントのバージョン、プラグイン)、異なるものを置き換えてください。",
            ],
        },
        docs: &[DOCKER_VOLUMES_DOC, TASKDEF_DOC],
    },
    Rule {
        id: "volume.create-failed",
        category: Category::Volume,
        severity: Severity::Error,
        when: When { within: &["cannotcreatevolume"], tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "A volume of the task could not be created",
            explanation: "ECS could not create a volume defined in the task definition {task_definition}, so the task did not start: {reason}.",
            steps: &[
                "Check the `volumes` section of task definition {task_definition}: each volume needs a valid configuration for its type (bind mount, Docker volume, EFS, FSx for Windows File Server or EBS).",
                "Check that every `mountPoints[].sourceVolume` of the containers names a volume that is defined in the task definition.",
                "For EFS, check the mount target, DNS, security group (2049) and file system policy; for FSx, the domain join and credentials; for EBS, the infrastructure role and the volume configuration of the service or RunTask call.",
                "[ec2] For a Docker volume with a third-party driver, check that the driver is installed and running on container instance {instance}.",
            ],
        },
        ja: Text {
            title: "タスクのボリュームを作成できませんでした",
            explanation: "ECS はタスク定義 {task_definition} に定義されたボリュームを作成できなかったため、タスクを起動しませんでした: {reason}。",
            steps: &[
                "タスク定義 {task_definition} の `volumes` を確認してください。各ボリュームには種類 (バインドマウント、Docker ボリューム、EFS、FSx for Windows File Server、EBS) に応じた正しい設定が必要です。",
                "コンテナの各 `mountPoints[].sourceVolume` が、タスク定義に定義されたボリューム名を指しているか確認してください。",
                "EFS ならマウントターゲット、DNS、セキュリティグループ (2049)、ファイルシステムポリシーを、FSx ならドメイン参加と認証情報を、EBS ならインフラストラクチャロールとサービスまたは RunTask のボリューム設定を確認してください。",
                "[ec2] サードパーティのドライバーを使う Docker ボリュームの場合は、コンテナインスタンス {instance} にドライバーがインストールされ動作しているか確認してください。",
            ],
        },
        docs: &[super::STOPPED_TASK_ERRORS, TASKDEF_DOC],
    },
    // ---- Anything else Fargate could not prepare ----
    Rule {
        id: "startup.resource-init-failed",
        category: Category::Infrastructure,
        severity: Severity::Error,
        when: When {
            within: &["resourceinitializationerror", "resource cannot be initialized"],
            none: RUNTIME_WORDING,
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "Task resources could not be prepared before the containers started",
            explanation: "ECS could not prepare something the task needs before its containers start (registry credentials, secrets, log streams, environment files, volumes or networking): {reason}. The most common cause is the task's network: a VPC without DNS resolution, or no route from the task's subnet to the AWS endpoints it needs.",
            steps: &[
                "Turn on DNS resolution and DNS hostnames for the VPC; with a custom DHCP option set, make sure its DNS servers resolve AWS service names.",
                "[fargate] In a public subnet turn on `assignPublicIp`; in a private subnet {subnet} add a NAT gateway route or VPC endpoints for the services the task uses (ECR, S3, Secrets Manager, Systems Manager, CloudWatch Logs).",
                "Check that the task execution role has the permissions for what the task definition references (images, secrets, log groups, environment files).",
                "Run the `AWSSupport-TroubleshootECSTaskFailedToStart` Systems Manager runbook on the failed task to check network and permissions together.",
            ],
        },
        ja: Text {
            title: "コンテナ起動前にタスクのリソースを準備できませんでした",
            explanation: "ECS は、コンテナの起動前にタスクが必要とするもの (レジストリ認証情報、シークレット、ログストリーム、環境変数ファイル、ボリューム、ネットワーク) を準備できませんでした: {reason}。最も多い原因はタスクのネットワークで、VPC の DNS 解決が無効か、タスクのサブネットから必要な AWS エンドポイントへの経路がない状態です。",
            steps: &[
                "VPC の DNS 解決と DNS ホスト名を有効にしてください。独自の DHCP オプションセットを使っている場合は、その DNS サーバーが AWS のサービス名を解決できるか確認してください。",
                "[fargate] パブリックサブネットなら `assignPublicIp` を有効にし、プライベートサブネット {subnet} なら NAT ゲートウェイへのルートか、タスクが使うサービス (ECR、S3、Secrets Manager、Systems Manager、CloudWatch Logs) の VPC エンドポイントを用意してください。",
                "タスク実行ロールに、タスク定義が参照するもの (イメージ、シークレット、ロググループ、環境変数ファイル) への権限があるか確認してください。",
                "失敗したタスクに対して Systems Manager のランブック `AWSSupport-TroubleshootECSTaskFailedToStart` を実行し、ネットワークと権限をまとめて確認してください。",
            ],
        },
        docs: &[RIE_DOC, super::STOPPED_TASK_ERRORS, VPC_DNS_DOC],
    },
];
