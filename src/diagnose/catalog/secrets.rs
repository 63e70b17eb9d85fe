//! Secrets and parameters injected through `secrets` (and `repositoryCredentials`): the task
//! execution role fetches them from Secrets Manager or Parameter Store before any container
//! starts. ECR registry-auth failures use the same wrapper text but live in `image.rs`, which
//! comes first.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::rule::Tier;

/// Wordings that place a text in the secrets family (lower-case). Fargate wraps them as
/// `ResourceInitializationError: unable to pull secrets or registry auth: …`; the EC2 agent
/// reports the inner error only; newer platforms write a sentence ("The task can't pull the
/// secret from Secrets Manager.").
const SECRETS: &[&str] = &[
    "unable to pull secrets",
    "execution resource retrieval failed",
    "unable to retrieve secret",
    "cannot pull secrets",
    "can't pull the secret",
    "can't retrieve the secret",
    "failed to fetch secret",
    "fetching secret data",
    "asm fetching",
    "asm secret resource",
    "ssm secret resource",
    "secretsmanager secretid",
    "aws secrets manager secret was specified",
    "invalid ssm parameters",
    "did not contain json key",
];

const RIE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html";
const SENSITIVE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html";
const EXEC_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
const PULL_SECRETS_KC: &str = "https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets";
const FARGATE_NET_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html";
const ASM_ENDPOINT_DOC: &str = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html";
const SSM_ENDPOINT_DOC: &str = "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html";

pub const RULES: &[Rule] = &[
    Rule {
        id: "secrets.kms-denied",
        category: Category::SecretsPermission,
        severity: Severity::Error,
        when: When {
            within: SECRETS,
            any: &[
                "access to kms is not allowed",
                "kms:decrypt",
                "kmsaccessdenied",
                "ciphertext refers to a customer master key",
                "kmsinvalidstate",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Task execution role cannot decrypt the secret with its KMS key",
            explanation: "The secret or SecureString parameter {secret} is encrypted with a customer managed KMS key, and the task execution role was not allowed to use that key (or the key is disabled or pending deletion). ECS stops the task before any container starts.",
            steps: &[
                "Allow the task execution role `kms:Decrypt` on the KMS key that encrypts the secret {secret}, in the role's policy.",
                "Check the key policy too: a customer managed key must allow the role (or the account, with IAM policies enabled) to use it. For a secret in another account, both sides must allow it.",
                "Make sure the key is enabled and not scheduled for deletion: `aws kms describe-key --key-id <key-id>` shows `KeyState`.",
            ],
        },
        ja: Text {
            title: "タスク実行ロールがシークレットの KMS キーで復号できません",
            explanation: "シークレットまたは SecureString パラメータ {secret} はカスタマー管理の KMS キーで暗号化されていますが、タスク実行ロールにそのキーの使用が許可されていません (またはキーが無効化・削除予定になっています)。ECS はコンテナを起動する前にタスクを停止しました。",
            steps: &[
                "シークレット {secret} を暗号化している KMS キーに対する `kms:Decrypt` を、タスク実行ロールのポリシーで許可してください。",
                "キーポリシーも確認してください。カスタマー管理キーでは、キーポリシー側でもロール (または IAM ポリシーを有効にしたアカウント) の利用を許可する必要があります。別アカウントのシークレットなら双方での許可が必要です。",
                "キーが有効で、削除予定になっていないことを確認してください。`aws kms describe-key --key-id <キー ID>` の `KeyState` で確認できます。",
            ],
        },
        docs: &[SENSITIVE_DOC, EXEC_ROLE_DOC, PULL_SECRETS_KC],
    },
    Rule {
        id: "secrets.permission-denied",
        category: Category::SecretsPermission,
        severity: Severity::Error,
        when: When {
            within: SECRETS,
            any: &[
                "accessdenied",
                "access denied",
                "not authorized to perform",
                "unable to find execution role credentials",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Task execution role may not read the secret or parameter",
            explanation: "Secrets named in the task definition are fetched with the task execution role (not the task role) before the containers start. Secrets Manager or Parameter Store refused that role access to the secret {secret}, so the task stopped.",
            steps: &[
                "Grant the task execution role (`executionRoleArn` of task definition {task_definition}) `secretsmanager:GetSecretValue` for Secrets Manager secrets, or `ssm:GetParameters` for Parameter Store parameters, on the secret or parameter {secret}.",
                "Match the resource in the policy to the real ARN: a Secrets Manager ARN ends in a random 6-character suffix (`…:secret:name-AbCdEf`), so a policy written for `…:secret:name` needs `…:secret:name-??????`; a parameter `/app/db` has the ARN `…:parameter/app/db`.",
                "Look for an explicit `Deny` that wins over the allow: the secret's resource policy, a permissions boundary, an SCP, or a VPC endpoint policy.",
                "If the value is encrypted with a customer managed KMS key, allow `kms:Decrypt` on that key as well.",
                "Check that the task definition sets `executionRoleArn` at all; without it ECS has no credentials to fetch secrets with.",
            ],
        },
        ja: Text {
            title: "タスク実行ロールにシークレットまたはパラメータの読み取り権限がありません",
            explanation: "タスク定義の `secrets` に指定した値は、コンテナ起動前にタスク実行ロール (タスクロールではありません) で取得されます。Secrets Manager または Parameter Store がそのロールによるシークレット {secret} へのアクセスを拒否したため、タスクが停止しました。",
            steps: &[
                "タスク定義 {task_definition} の `executionRoleArn` のロールに、Secrets Manager なら `secretsmanager:GetSecretValue`、Parameter Store なら `ssm:GetParameters` をシークレット {secret} に対して許可してください。",
                "ポリシーのリソースを実際の ARN に合わせてください。Secrets Manager の ARN は末尾にランダムな 6 文字が付く (`…:secret:name-AbCdEf`) ため、`…:secret:name` 向けに書いたポリシーでは `…:secret:name-??????` とする必要があります。パラメータ `/app/db` の ARN は `…:parameter/app/db` です。",
                "許可より優先される明示的な `Deny` がないか、シークレットのリソースポリシー、アクセス許可の境界、SCP、VPC エンドポイントポリシーを確認してください。",
                "値がカスタマー管理の KMS キーで暗号化されている場合は、そのキーへの `kms:Decrypt` も許可してください。",
                "タスク定義に `executionRoleArn` が設定されているか確認してください。未設定だと ECS はシークレットを取得する認証情報を持ちません。",
            ],
        },
        docs: &[SENSITIVE_DOC, EXEC_ROLE_DOC, PULL_SECRETS_KC],
    },
    Rule {
        id: "secrets.invalid-reference",
        category: Category::SecretsNotFound,
        severity: Severity::Error,
        when: When {
            within: SECRETS,
            any: &[
                "did not contain json key",
                "versionid",
                "versionstage",
                "staging label",
                "validation error",
                "validationexception",
                "invalid arn format",
                "arn: invalid prefix",
                "arn: not enough sections",
                "secretsmanager secretid",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Secret reference in the task definition is malformed",
            explanation: "The `valueFrom` of a secret ({secret}) could not be used as written: the JSON key is not in the secret, the version stage or version ID is invalid, or the ARN itself is malformed. The secret may exist; the reference to it is wrong.",
            steps: &[
                "Check each `valueFrom` under `secrets` in task definition {task_definition}. The full Secrets Manager form is `arn:aws:secretsmanager:{region_arg}:<account>:secret:<name>-<suffix>:<json-key>:<version-stage>:<version-id>`; leave unused fields empty but keep their colons (e.g. `…:secret:db-AbCdEf:password::`).",
                "If a JSON key is named, the secret value must be a JSON object containing exactly that key (case-sensitive). List only the key names with `aws secretsmanager get-secret-value --secret-id <arn> --query SecretString --output text | jq keys`.",
                "A version stage must be an existing label such as `AWSCURRENT`; a version ID must be the ID of an existing version. `aws secretsmanager describe-secret --secret-id <arn>` lists both without showing the value.",
                "For Parameter Store use the parameter name (`/path/name`) or its full ARN (`arn:aws:ssm:{region_arg}:<account>:parameter/path/name`).",
            ],
        },
        ja: Text {
            title: "タスク定義のシークレット参照の書式が誤っています",
            explanation: "シークレット ({secret}) の `valueFrom` をそのままでは使えませんでした。JSON キーがシークレットに含まれていない、バージョンステージまたはバージョン ID が不正、あるいは ARN 自体の形式が誤っているかのいずれかです。シークレット自体は存在していても、参照の書き方が誤っています。",
            steps: &[
                "タスク定義 {task_definition} の `secrets` にある各 `valueFrom` を確認してください。Secrets Manager の完全な形式は `arn:aws:secretsmanager:{region_arg}:<アカウント>:secret:<名前>-<サフィックス>:<JSON キー>:<バージョンステージ>:<バージョン ID>` です。使わない項目は空にしてもコロンは残します (例: `…:secret:db-AbCdEf:password::`)。",
                "JSON キーを指定する場合、シークレットの値はそのキー (大文字と小文字を区別) を含む JSON オブジェクトである必要があります。キー名だけを確認するには `aws secretsmanager get-secret-value --secret-id <ARN> --query SecretString --output text | jq keys` を使ってください。",
                "バージョンステージは `AWSCURRENT` などの既存のラベル、バージョン ID は既存バージョンの ID である必要があります。`aws secretsmanager describe-secret --secret-id <ARN>` なら値を表示せずに両方を確認できます。",
                "Parameter Store の場合は、パラメータ名 (`/path/name`) か完全な ARN (`arn:aws:ssm:{region_arg}:<アカウント>:parameter/path/name`) を指定してください。",
            ],
        },
        docs: &[SENSITIVE_DOC, RIE_DOC],
    },
    Rule {
        id: "secrets.not-found",
        category: Category::SecretsNotFound,
        severity: Severity::Error,
        when: When {
            within: SECRETS,
            any: &[
                "resourcenotfoundexception",
                "can't find the specified secret",
                "can't retrieve the secret with arn",
                "check that the secret arn is correct",
                "check whether the secret exists",
                "invalid ssm parameters",
                "parameternotfound",
                // SSM GetParameters names the parameters it did not find in `InvalidParameters`.
                "invalidparameters",
                "parameter not found",
                "marked for deletion",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Secret or parameter named in the task definition does not exist",
            explanation: "Secrets Manager or Parameter Store has no secret or parameter {secret} as named in the task definition, in that account and Region (or it was deleted). The task cannot start without it.",
            steps: &[
                "Confirm that the secret or parameter {secret} exists in the task's account and Region without printing its value: `aws secretsmanager describe-secret --secret-id <arn>` or `aws ssm describe-parameters --parameter-filters Key=Name,Values=<name>`.",
                "Compare the name in task definition {task_definition} character by character: parameter names are case-sensitive and hierarchical ones start with `/`; a full Secrets Manager ARN must carry the right 6-character suffix.",
                "If the secret was deleted or is scheduled for deletion, restore it (`aws secretsmanager restore-secret`) or point the task definition at its replacement and deploy a new revision.",
                "A secret in another account must be referenced by its full ARN and shared through a resource policy and a customer managed KMS key.",
            ],
        },
        ja: Text {
            title: "タスク定義で指定したシークレットまたはパラメータが存在しません",
            explanation: "タスク定義に書かれた {secret} というシークレットまたはパラメータが、そのアカウントとリージョンの Secrets Manager / Parameter Store に存在しません (または削除されています)。これがないとタスクは起動できません。",
            steps: &[
                "値を表示せずに、シークレットまたはパラメータ {secret} がタスクと同じアカウント・リージョンに存在するか確認してください: `aws secretsmanager describe-secret --secret-id <ARN>` または `aws ssm describe-parameters --parameter-filters Key=Name,Values=<名前>`。",
                "タスク定義 {task_definition} の名前を 1 文字ずつ比べてください。パラメータ名は大文字と小文字を区別し、階層型の名前は `/` で始まります。Secrets Manager の完全な ARN は末尾 6 文字のサフィックスまで正しい必要があります。",
                "シークレットが削除済みまたは削除予定の場合は復元する (`aws secretsmanager restore-secret`) か、後継のシークレットを指すようにタスク定義を更新して新しいリビジョンをデプロイしてください。",
                "別アカウントのシークレットは完全な ARN で参照し、リソースポリシーとカスタマー管理の KMS キーで共有する必要があります。",
            ],
        },
        docs: &[SENSITIVE_DOC, RIE_DOC, PULL_SECRETS_KC],
    },
    Rule {
        id: "secrets.pull-command-killed",
        category: Category::SecretsNetwork,
        severity: Severity::Error,
        // Fargate's helper that fetches secrets and registry credentials ran out of time and was
        // killed; the text names neither the service nor the cause.
        when: When { any: &["pull command failed"], ..When::NOTHING },
        en: Text {
            title: "Fetching secrets or registry credentials timed out",
            explanation: "Before the containers start, Fargate runs a helper that fetches the task's secrets and registry credentials; it did not finish in time and was killed ({reason}). This almost always means the task has no network path to ECR, Secrets Manager or Systems Manager.",
            steps: &[
                "[fargate] In a public subnet, turn on `assignPublicIp` (Auto-assign public IP: ENABLED) for the service or RunTask call.",
                "[ecr] In a private subnet {subnet}, add a route to a NAT gateway, or interface VPC endpoints for `ecr.api`, `ecr.dkr`, `secretsmanager` and `ssm` plus an S3 gateway endpoint, with private DNS turned on.",
                "[not-ecr] The image is not in ECR, so VPC endpoints cannot reach its registry: give a private subnet a route to a NAT gateway, or a public subnet a public IP (`assignPublicIp`).",
                "Allow outbound HTTPS (443) in the task's security group and inbound 443 from the task on the endpoints' security group.",
                "Turn on DNS resolution and DNS hostnames for the VPC, and check that a custom DHCP option set resolves AWS service names.",
            ],
        },
        ja: Text {
            title: "シークレットまたはレジストリ認証情報の取得がタイムアウトしました",
            explanation: "Fargate はコンテナ起動前に、タスクのシークレットとレジストリ認証情報を取得する補助処理を実行しますが、それが時間内に終わらず強制終了されました ({reason})。ほとんどの場合、タスクから ECR、Secrets Manager、Systems Manager へのネットワーク経路がありません。",
            steps: &[
                "[fargate] パブリックサブネットの場合は、サービスまたは RunTask の `assignPublicIp` を有効 (パブリック IP の自動割り当て: ENABLED) にしてください。",
                "[ecr] プライベートサブネット {subnet} の場合は、NAT ゲートウェイへのルートを追加するか、`ecr.api`、`ecr.dkr`、`secretsmanager`、`ssm` のインターフェイス VPC エンドポイントと S3 のゲートウェイエンドポイントをプライベート DNS 有効で用意してください。",
                "[not-ecr] イメージは ECR 以外のレジストリにあるため、VPC エンドポイントでは届きません。プライベートサブネットなら NAT ゲートウェイへのルートを、パブリックサブネットならパブリック IP (`assignPublicIp`) を用意してください。",
                "タスクのセキュリティグループでアウトバウンドの HTTPS (443) を、エンドポイントのセキュリティグループでタスクからのインバウンド 443 を許可してください。",
                "VPC の DNS 解決と DNS ホスト名を有効にし、独自の DHCP オプションセットが AWS のサービス名を解決できるか確認してください。",
            ],
        },
        docs: &[PULL_SECRETS_KC, RIE_DOC, FARGATE_NET_DOC],
    },
    Rule {
        id: "secrets.network",
        category: Category::SecretsNetwork,
        severity: Severity::Error,
        when: When {
            within: SECRETS,
            any: &[
                "check your task network configuration",
                "check your network connection",
                "has been retried 5 time",
                "i/o timeout",
                "dial tcp",
                "context deadline exceeded",
                "request canceled",
                "requestcanceled",
                "no such host",
                "connection refused",
                "connection reset",
                "network is unreachable",
                "tls handshake timeout",
                "send request failed",
                // The AWS SDK's error for a call that never got an answer (the cause follows it).
                "requesterror",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Task could not reach Secrets Manager or Systems Manager",
            explanation: "Fetching the secrets {secret} timed out or could not connect: the task's network has no working path (route or DNS) to the Secrets Manager or Systems Manager endpoint. Secrets are fetched before any container starts, through the task's own network interface.",
            steps: &[
                "[fargate] In a public subnet, turn on `assignPublicIp` (Auto-assign public IP: ENABLED) for the service or RunTask call; without a public IP the task cannot reach AWS endpoints.",
                "[awsvpc] In a private subnet {subnet}, add a route to a NAT gateway, or create interface VPC endpoints for `secretsmanager` and/or `ssm` (plus `kms` when a customer managed key encrypts the value) with private DNS turned on.",
                "Allow outbound HTTPS (443) in the task's security group, and inbound 443 from the task in the endpoints' security group; check that network ACLs allow the return traffic.",
                "Turn on DNS resolution and DNS hostnames for the VPC; with a custom DHCP option set, make sure its DNS servers resolve AWS service names.",
                "[ec2] The container agent fetches secrets from the container instance {instance}: check that the instance itself can reach the Secrets Manager and Systems Manager endpoints.",
            ],
        },
        ja: Text {
            title: "タスクが Secrets Manager または Systems Manager に接続できませんでした",
            explanation: "シークレット {secret} の取得がタイムアウトしたか接続できませんでした。タスクのネットワークから Secrets Manager / Systems Manager のエンドポイントへの経路 (ルートまたは DNS) がありません。シークレットはコンテナ起動前に、タスク自身のネットワークインターフェイス経由で取得されます。",
            steps: &[
                "[fargate] パブリックサブネットの場合は、サービスまたは RunTask の `assignPublicIp` を有効 (パブリック IP の自動割り当て: ENABLED) にしてください。パブリック IP がないと AWS のエンドポイントに到達できません。",
                "[awsvpc] プライベートサブネット {subnet} の場合は、NAT ゲートウェイへのルートを追加するか、`secretsmanager` と `ssm` (値をカスタマー管理キーで暗号化しているなら `kms` も) のインターフェイス VPC エンドポイントをプライベート DNS 有効で作成してください。",
                "タスクのセキュリティグループでアウトバウンドの HTTPS (443) を、エンドポイントのセキュリティグループでタスクからのインバウンド 443 を許可し、ネットワーク ACL が戻りの通信を許可しているか確認してください。",
                "VPC の DNS 解決と DNS ホスト名を有効にしてください。独自の DHCP オプションセットを使っている場合は、その DNS サーバーが AWS のサービス名を解決できるか確認してください。",
                "[ec2] シークレットはコンテナインスタンス {instance} 上のコンテナエージェントが取得します。インスタンス自体が Secrets Manager と Systems Manager のエンドポイントに到達できるか確認してください。",
            ],
        },
        docs: &[PULL_SECRETS_KC, FARGATE_NET_DOC, ASM_ENDPOINT_DOC, SSM_ENDPOINT_DOC],
    },
    Rule {
        id: "secrets.no-detail",
        category: Category::SecretsNetwork,
        severity: Severity::Error,
        // The console and many tools show only the start of the text; nothing after it says
        // which service failed or why.
        when: When {
            exact: &[
                "resourceinitializationerror: unable to pull secrets or registry auth",
                "unable to pull secrets or registry auth",
                "resourceinitializationerror: unable to pull secrets or registry auth: execution resource retrieval failed",
            ],
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "Task could not fetch its secrets or registry credentials (cause cut off)",
            explanation: "Before starting the containers, ECS fetches the task's secrets, parameters and private-registry credentials, and this failed: {reason}. The text stops before the cause. On Fargate (platform 1.4 and later) this happens through the task's own network interface, and a missing network path to Secrets Manager, Systems Manager or ECR is by far the most common cause; the task execution role's permissions come second.",
            steps: &[
                "Get the full text first: `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg} --query 'tasks[].stoppedReason'` (the console list view shortens it); what follows \"registry auth:\" names the service and the error.",
                "[ecr] In a public subnet, turn on `assignPublicIp` (Auto-assign public IP: ENABLED); in a private subnet {subnet}, add a route to a NAT gateway or interface VPC endpoints for `secretsmanager`, `ssm` and `ecr.api`/`ecr.dkr`, with private DNS on.",
                "[not-ecr] The image is not in ECR, so VPC endpoints cannot reach its registry: give a private subnet a route to a NAT gateway, or a public subnet a public IP (`assignPublicIp`).",
                "Allow outbound HTTPS (443) in the task's security group and inbound 443 from the task on the endpoints' security group.",
                "If the network path is fine, check that the task execution role may read each `valueFrom` under `secrets` (`secretsmanager:GetSecretValue`, `ssm:GetParameters`, `kms:Decrypt` for a customer managed key) and that each one exists in this account and Region.",
            ],
        },
        ja: Text {
            title: "シークレットまたはレジストリ認証情報の取得に失敗しました (原因の記載なし)",
            explanation: "ECS はコンテナ起動前にタスクのシークレット、パラメータ、プライベートレジストリの認証情報を取得しますが、それに失敗しました: {reason}。文字列は原因の手前で切れています。Fargate (プラットフォーム 1.4 以降) ではこの取得がタスク自身のネットワークインターフェイス経由で行われ、Secrets Manager、Systems Manager、ECR へのネットワーク経路がないことが最も多い原因です。次に多いのはタスク実行ロールの権限です。",
            steps: &[
                "まず全文を確認してください: `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg} --query 'tasks[].stoppedReason'` (コンソールの一覧では短縮されます)。「registry auth:」の後にサービス名とエラーが書かれています。",
                "[ecr] パブリックサブネットでは `assignPublicIp` を有効 (パブリック IP の自動割り当て: ENABLED) にし、プライベートサブネット {subnet} では NAT ゲートウェイへのルート、または `secretsmanager`、`ssm`、`ecr.api`/`ecr.dkr` のインターフェイス VPC エンドポイントをプライベート DNS 有効で用意してください。",
                "[not-ecr] イメージは ECR 以外のレジストリにあるため、VPC エンドポイントでは届きません。プライベートサブネットなら NAT ゲートウェイへのルートを、パブリックサブネットならパブリック IP (`assignPublicIp`) を用意してください。",
                "タスクのセキュリティグループでアウトバウンドの HTTPS (443) を、エンドポイントのセキュリティグループでタスクからのインバウンド 443 を許可してください。",
                "ネットワーク経路に問題がなければ、タスク実行ロールが `secrets` の各 `valueFrom` を読み取れるか (`secretsmanager:GetSecretValue`、`ssm:GetParameters`、カスタマー管理キーなら `kms:Decrypt`)、それぞれが同じアカウント・リージョンに存在するかを確認してください。",
            ],
        },
        docs: &[PULL_SECRETS_KC, FARGATE_NET_DOC, RIE_DOC],
    },
    Rule {
        id: "secrets.retrieval-failed",
        category: Category::SecretsPermission,
        severity: Severity::Error,
        when: When { within: SECRETS, tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Task could not fetch its secrets",
            explanation: "ECS could not fetch a secret or parameter {secret} for the task before starting the containers: {reason}. The text gives no clear cause; it is almost always the execution role's permissions, a wrong reference, or no network path to the service.",
            steps: &[
                "Check that the task execution role allows `secretsmanager:GetSecretValue` / `ssm:GetParameters` (and `kms:Decrypt` for a customer managed key) on the secret or parameter {secret}.",
                "Check that every `valueFrom` under `secrets` in task definition {task_definition} names a secret or parameter that exists in that account and Region.",
                "Check the network path from the task to Secrets Manager and Systems Manager (public IP, NAT gateway or interface VPC endpoints, security group egress on 443, VPC DNS).",
                "Run the `AWSSupport-TroubleshootECSTaskFailedToStart` Systems Manager runbook on a failed task; it checks these three in one go.",
            ],
        },
        ja: Text {
            title: "タスクがシークレットを取得できませんでした",
            explanation: "ECS はコンテナ起動前に、タスクのシークレットまたはパラメータ {secret} を取得できませんでした: {reason}。明確な原因は示されていませんが、ほとんどは実行ロールの権限、参照の誤り、サービスへのネットワーク経路のいずれかです。",
            steps: &[
                "タスク実行ロールがシークレット {secret} に対して `secretsmanager:GetSecretValue` / `ssm:GetParameters` (カスタマー管理キーなら `kms:Decrypt` も) を許可しているか確認してください。",
                "タスク定義 {task_definition} の `secrets` にある各 `valueFrom` が、同じアカウント・リージョンに存在するシークレットまたはパラメータを指しているか確認してください。",
                "タスクから Secrets Manager / Systems Manager へのネットワーク経路 (パブリック IP、NAT ゲートウェイまたはインターフェイス VPC エンドポイント、セキュリティグループの 443 アウトバウンド、VPC の DNS) を確認してください。",
                "失敗したタスクに対して Systems Manager のランブック `AWSSupport-TroubleshootECSTaskFailedToStart` を実行すると、これら 3 点をまとめて確認できます。",
            ],
        },
        docs: &[PULL_SECRETS_KC, SENSITIVE_DOC, RIE_DOC],
    },
];
