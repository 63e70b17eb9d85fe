//! Image pulls: `CannotPullContainerError` in all its wordings, and ECR registry auth
//! failures reported as `ResourceInitializationError`.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::rule::Tier;
use crate::diagnose::vocabulary::phrase;

/// Wordings that place a text in the image-pull family (lower-case).
const PULL: &[&str] = &[
    "cannotpullcontainer",
    "cannotpullecrcontainer",
    "cannotpullimagemanifest",
    "can't pull the image",
    "pull image manifest",
    "error pulling image",
    "failed to pull image",
    "pull access denied",
    "pulling image",
    "ref pull has been retried",
    // Docker's temporary file for a layer being downloaded: only a pull writes it.
    "getimageblob",
];
const ECR_AUTH: &[&str] = &["ecr registry auth", "ecr:getauthorizationtoken"];

/// Moby and containerd wordings for writing a downloaded layer into the host's layer store
/// (`failed to register layer`, `failed to extract layer`, Windows `hcsshim::ImportLayer`).
/// The agent passes them through, with or without a `CannotPullContainerError` prefix.
const LAYER: &[&str] = &[
    "failed to register layer",
    "failed to extract layer",
    "error processing tar file",
    "hcsshim::importlayer",
    "applylayer",
    "re-exec error",
];
/// A pull, or a layer being unpacked on the host.
const PULL_OR_LAYER: &[&str] = &[
    "cannotpullcontainer",
    "cannotpullecrcontainer",
    "cannotpullimagemanifest",
    "can't pull the image",
    "pull image manifest",
    "error pulling image",
    "failed to pull image",
    "pull access denied",
    "pulling image",
    "ref pull has been retried",
    "getimageblob",
    "failed to register layer",
    "failed to extract layer",
    "error processing tar file",
    "hcsshim::importlayer",
    "applylayer",
    "re-exec error",
];

const PULL_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html";
const EXEC_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html";
const ECR_ENDPOINTS_DOC: &str = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html";
const FARGATE_NET_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html";
const REPO_POLICY_DOC: &str = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html";
const PRIVATE_AUTH_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html";
const PULL_CACHE_DOC: &str = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html";
const PLATFORM_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform";
const FARGATE_STORAGE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html";
const ECR_ERRORS_DOC: &str = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html";
const TASKDEF_IMAGE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_image";
const CONTAINER_STORAGE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CannotCreateContainerError.html";

const NETWORK_STEPS_EN: &[&str] = &[
    "[fargate] In a public subnet, turn on `assignPublicIp` (Auto-assign public IP: ENABLED) for the service or RunTask call; without a public IP the task cannot reach the registry.",
    "[ecr] In a private subnet {subnet}, give the subnet a route to a NAT gateway, or add VPC interface endpoints for `ecr.api` and `ecr.dkr` plus an S3 gateway endpoint (ECR stores layers in S3).",
    "[not-ecr] The image is not in ECR, so VPC endpoints cannot reach its registry: give a private subnet a route to a NAT gateway, or a public subnet a public IP (`assignPublicIp`).",
    "Check that the task's security group allows outbound HTTPS (443) and that the network ACLs allow the return traffic.",
    "Make sure the VPC has DNS resolution and DNS hostnames turned on, so endpoint names resolve to private addresses.",
    "[ec2] Check that the container instance {instance} itself can reach the registry: `curl -I https://<registry>/v2/` from the host.",
];
const NETWORK_STEPS_JA: &[&str] = &[
    "[fargate] パブリックサブネットの場合は、サービスまたは RunTask の `assignPublicIp` を有効 (パブリック IP の自動割り当て: ENABLED) にしてください。パブリック IP がないとレジストリに到達できません。",
    "[ecr] プライベートサブネット {subnet} の場合は、NAT ゲートウェイへのルートを用意するか、`ecr.api` と `ecr.dkr` のインターフェイス VPC エンドポイントと S3 のゲートウェイエンドポイント (ECR のレイヤーは S3 に保存されます) を追加してください。",
    "[not-ecr] イメージは ECR 以外のレジストリにあるため、VPC エンドポイントでは届きません。プライベートサブネットなら NAT ゲートウェイへのルートを、パブリックサブネットならパブリック IP (`assignPublicIp`) を用意してください。",
    "タスクのセキュリティグループがアウトバウンドの HTTPS (443) を許可し、ネットワーク ACL が戻りの通信を許可しているか確認してください。",
    "VPC の DNS 解決と DNS ホスト名が有効になっているか確認してください。無効だとエンドポイント名がプライベートアドレスに解決されません。",
    "[ec2] コンテナインスタンス {instance} 自体がレジストリに届くか、ホストから `curl -I https://<レジストリ>/v2/` で確認してください。",
];

pub const RULES: &[Rule] = &[
    Rule {
        id: "image-pull.no-space",
        category: Category::HostStorage,
        severity: Severity::Error,
        when: When {
            within: PULL_OR_LAYER,
            // ": write /…" is a layer being written to the local disk; Fargate truncates the
            // message before "no space left on device".
            any: &[
                "no space left on device",
                ": write /",
                // Windows hosts (hcsshim, error 0x70) and the devicemapper storage driver.
                "not enough space on the disk",
                "thin pool has",
                "free data blocks",
                "disk quota exceeded",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Image pull ran out of disk space",
            explanation: "Container {container} could not be started because the disk filled up while its image {image} was being downloaded and unpacked.",
            steps: &[
                "[fargate] Raise the task's ephemeral storage (`ephemeralStorage.sizeInGiB`, 21–200 GiB) or make the image smaller.",
                "[ec2] Free space on container instance {instance}: remove unused images and stopped containers (`docker system prune`), or lower `ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION` and `ECS_IMAGE_CLEANUP_INTERVAL` so the agent cleans up sooner.",
                "[ec2] Cap container logs written to the host (`json-file` with `max-size`/`max-file`, or send them to awslogs) and consider a larger root or data volume in the launch template.",
                "Shrink the image: multi-stage builds, a slimmer base image, no build caches in the final layer.",
            ],
        },
        ja: Text {
            title: "イメージのプル中にディスクが不足しました",
            explanation: "イメージ {image} のダウンロードと展開中にディスクがいっぱいになり、コンテナ {container} を起動できませんでした。",
            steps: &[
                "[fargate] タスクのエフェメラルストレージ (`ephemeralStorage.sizeInGiB`、21〜200 GiB) を増やすか、イメージを小さくしてください。",
                "[ec2] コンテナインスタンス {instance} の空き容量を確保してください。不要なイメージや停止済みコンテナを削除する (`docker system prune`) か、`ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION` と `ECS_IMAGE_CLEANUP_INTERVAL` を短くしてエージェントの掃除を早めます。",
                "[ec2] ホストに書かれるコンテナログを制限し (`json-file` の `max-size`/`max-file`、または awslogs に送る)、起動テンプレートでルート/データボリュームを大きくすることも検討してください。",
                "マルチステージビルドや軽いベースイメージを使い、最終レイヤーにビルドキャッシュを残さないようにしてイメージを小さくしてください。",
            ],
        },
        docs: &[PULL_DOC, FARGATE_STORAGE_DOC, CONTAINER_STORAGE_DOC],
    },
    Rule {
        id: "image-pull.platform-mismatch",
        category: Category::ImagePlatformMismatch,
        severity: Severity::Error,
        when: When {
            within: PULL_OR_LAYER,
            any: &[
                "descriptor matching platform",
                "descriptor for platform",
                "no matching manifest for",
                "does not match the specified platform",
                // Windows: the image's OS build must match the host's (process isolation).
                "based image is incompatible with a",
                "image operating system",
                "processutilityvmimage",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Image has no build for the task's CPU architecture",
            explanation: "The image {image} of container {container} has no variant for the platform the task runs on {platform}. This happens when an image built on an Apple Silicon (arm64) laptop is run on x86_64, or the other way round.",
            steps: &[
                "Build and push the image for the task's platform, e.g. `docker buildx build --platform linux/amd64,linux/arm64 --push …` for a multi-architecture image.",
                "Or set the task definition's `runtimePlatform.cpuArchitecture` (X86_64 or ARM64) to the architecture the image was built for.",
                "If a build tool pushed an OCI index with attestations only, push a plain Docker manifest (`--provenance=false`) and check it with `docker manifest inspect {image_arg}`.",
            ],
        },
        ja: Text {
            title: "タスクの CPU アーキテクチャ向けのイメージがありません",
            explanation: "コンテナ {container} のイメージ {image} には、タスクが動くプラットフォーム {platform} 向けのビルドが含まれていません。Apple Silicon (arm64) の端末でビルドしたイメージを x86_64 で動かした場合などに起こります。",
            steps: &[
                "タスクのプラットフォーム向けにビルドして push してください。マルチアーキテクチャにするなら `docker buildx build --platform linux/amd64,linux/arm64 --push …` を使います。",
                "または、タスク定義の `runtimePlatform.cpuArchitecture` (X86_64 または ARM64) をイメージのアーキテクチャに合わせてください。",
                "ビルドツールが証明情報付きの OCI インデックスだけを push している場合は、通常の Docker マニフェストで push し (`--provenance=false`)、`docker manifest inspect {image_arg}` で確認してください。",
            ],
        },
        docs: &[PULL_DOC, PLATFORM_DOC],
    },
    Rule {
        id: "image-pull.rate-limited",
        category: Category::ImagePullRateLimit,
        severity: Severity::Error,
        when: When {
            within: PULL,
            any: &[
                "toomanyrequests",
                "too many requests",
                "pull rate limit",
                "rate limit exceeded",
                "rate exceeded",
                "throttlingexception",
                "throttleexception",
                "429",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Registry refused the pull: rate limit reached",
            explanation: "The registry {registry} answered \"too many requests\" (or \"rate exceeded\") for image {image}. Docker Hub limits anonymous pulls per source IP, and tasks behind one NAT gateway share that limit; Amazon ECR throttles its API per account and Region when many tasks start at once.",
            steps: &[
                "[dockerhub] Copy the image into Amazon ECR, or use an ECR pull-through cache rule for Docker Hub, and point the task definition at the ECR copy.",
                "[ecr] ECR throttles each API action per account and Region (`GetAuthorizationToken` allows a burst of 200 calls, then 20 per second): spread out large bursts of task launches and retry RunTask with backoff.",
                "[dockerhub] Or pull with a Docker Hub account: store the credentials in Secrets Manager and set `repositoryCredentials.credentialsParameter` on the container.",
                "Avoid pulling on every start: pin images by tag or digest and, on EC2, set `ECS_IMAGE_PULL_BEHAVIOR=prefer-cached`.",
                "Failed tasks will be retried by the service; once the limit window passes pulls succeed again, but the fix above stops it from recurring.",
            ],
        },
        ja: Text {
            title: "レジストリのレート制限によりプルが拒否されました",
            explanation: "レジストリ {registry} がイメージ {image} のプルに「too many requests」(または「rate exceeded」) と応答しました。Docker Hub は送信元 IP ごとに匿名プルの回数を制限しており、同じ NAT ゲートウェイの背後にあるタスクはその上限を共有します。Amazon ECR は、多数のタスクが一度に起動すると、アカウント・リージョン単位で API をスロットリングします。",
            steps: &[
                "[dockerhub] イメージを Amazon ECR にコピーするか、Docker Hub 向けの ECR プルスルーキャッシュを設定し、タスク定義で ECR 側のイメージを指定してください。",
                "[ecr] ECR はアカウント・リージョンごとに API アクションをスロットリングします (`GetAuthorizationToken` はバースト 200 回、その後は毎秒 20 回まで)。大量のタスクを一度に起動しないよう間隔を空け、RunTask はバックオフ付きで再試行してください。",
                "[dockerhub] または Docker Hub のアカウントでプルしてください。認証情報を Secrets Manager に保存し、コンテナの `repositoryCredentials.credentialsParameter` に指定します。",
                "起動のたびにプルしないよう、タグかダイジェストで固定し、EC2 では `ECS_IMAGE_PULL_BEHAVIOR=prefer-cached` を設定してください。",
                "サービスは失敗したタスクを再試行するため、制限時間が過ぎればプルは成功しますが、上記の対策をしないと再発します。",
            ],
        },
        docs: &[PULL_DOC, PULL_CACHE_DOC, PRIVATE_AUTH_DOC, ECR_ERRORS_DOC],
    },
    Rule {
        id: "image-pull.registry-too-many-requests",
        category: Category::ImagePullRateLimit,
        severity: Severity::Error,
        // containerd's and Docker Hub's own wording for a registry's 429, which tools quote without
        // the agent's CannotPullContainerError prefix.
        when: When {
            any: &["server message: toomanyrequests", "you have reached your pull rate limit"],
            ..When::NOTHING
        },
        en: Text {
            title: "The registry refused the pull: too many requests",
            explanation: "The registry answered HTTP 429 (toomanyrequests) while the image {image} was being pulled: {reason}. Docker Hub limits anonymous and free pulls per source IP address, and every task start pulls again unless the image is cached.",
            steps: &[
                "[ecr] Pull through an ECR pull-through cache rule, or copy the image into your own ECR repository, and point the task definition at it.",
                "[not-ecr] Authenticate the pulls with `repositoryCredentials` (a Secrets Manager secret with the registry login) so that your account's higher limit applies.",
                "[ec2] On EC2 container instances, set `ECS_IMAGE_PULL_BEHAVIOR=prefer-cached` so that running tasks again does not pull again.",
                "Stagger deployments that start many tasks at once.",
            ],
        },
        ja: Text {
            title: "レジストリがプルを拒否しました (リクエスト過多)",
            explanation: "イメージ {image} のプル中に、レジストリが HTTP 429 (toomanyrequests) を返しました: {reason}。Docker Hub は匿名および無料アカウントのプルを送信元 IP アドレスごとに制限しており、イメージがキャッシュされていなければタスクを起動するたびにプルが発生します。",
            steps: &[
                "[ecr] ECR のプルスルーキャッシュルールを使うか、イメージを自分の ECR リポジトリにコピーし、タスク定義の参照先をそちらに変更してください。",
                "[not-ecr] `repositoryCredentials` (レジストリのログイン情報を入れた Secrets Manager シークレット) で認証してプルし、アカウントの上限を適用してください。",
                "[ec2] EC2 のコンテナインスタンスでは `ECS_IMAGE_PULL_BEHAVIOR=prefer-cached` を設定し、タスクを再起動するたびにプルしないようにしてください。",
                "多数のタスクを一度に起動するデプロイは、時間をずらして実行してください。",
            ],
        },
        docs: &[PULL_DOC, PULL_CACHE_DOC],
    },
    Rule {
        id: "image-pull.layer-download-blocked",
        category: Category::ImagePullNetwork,
        severity: Severity::Error,
        when: When {
            within: PULL,
            any: &["starport-layer-bucket", "httpreaderseeker", "httpreadseeker"],
            ..When::NOTHING
        },
        en: Text {
            title: "Image layers could not be downloaded from ECR's S3 storage",
            explanation: "The image manifest of {image} was found, but downloading its layers failed. ECR serves layers from an S3 bucket; in a private subnet this usually means the S3 gateway endpoint is missing, or its endpoint policy does not allow the ECR layer bucket.",
            steps: &[
                "Add an S3 gateway endpoint to the route tables of the task's subnets {subnet}.",
                "If the S3 endpoint has a policy, allow `s3:GetObject` on `arn:aws:s3:::prod-{region_arg}-starport-layer-bucket/*`.",
                "Check that no proxy or firewall blocks S3 addresses, and that outbound HTTPS (443) is allowed.",
            ],
        },
        ja: Text {
            title: "ECR の S3 ストレージからイメージレイヤーを取得できませんでした",
            explanation: "イメージ {image} のマニフェストは見つかりましたが、レイヤーのダウンロードに失敗しました。ECR のレイヤーは S3 バケットから配信されるため、プライベートサブネットでは S3 ゲートウェイエンドポイントがないか、そのエンドポイントポリシーが ECR のレイヤーバケットを許可していないことがほとんどです。",
            steps: &[
                "タスクのサブネット {subnet} のルートテーブルに S3 ゲートウェイエンドポイントを追加してください。",
                "S3 エンドポイントにポリシーがある場合は、`arn:aws:s3:::prod-{region_arg}-starport-layer-bucket/*` への `s3:GetObject` を許可してください。",
                "プロキシやファイアウォールが S3 のアドレスを遮断していないか、アウトバウンドの HTTPS (443) が許可されているか確認してください。",
            ],
        },
        docs: &[PULL_DOC, ECR_ENDPOINTS_DOC],
    },
    Rule {
        id: "image-pull.ecr-auth-network",
        category: Category::ImagePullNetwork,
        severity: Severity::Error,
        when: When {
            within: ECR_AUTH,
            any: &[
                "i/o timeout",
                "request canceled",
                "context deadline exceeded",
                "dial tcp",
                "no such host",
                "check your task network configuration",
                "retried",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Task could not reach ECR to get registry credentials",
            explanation: "Before pulling {image}, the task asks the ECR API for an authorization token, and that call never got through. The task's network has no path to the ECR API endpoint.",
            steps: NETWORK_STEPS_EN,
        },
        ja: Text {
            title: "レジストリ認証情報を取得するための ECR への接続に失敗しました",
            explanation: "タスクはイメージ {image} をプルする前に ECR API から認証トークンを取得しますが、その呼び出しが届きませんでした。タスクのネットワークから ECR API エンドポイントへの経路がありません。",
            steps: NETWORK_STEPS_JA,
        },
        docs: &[PULL_DOC, FARGATE_NET_DOC, ECR_ENDPOINTS_DOC],
    },
    Rule {
        id: "image-pull.ecr-auth-denied",
        category: Category::ImagePullAuth,
        severity: Severity::Error,
        when: When { within: ECR_AUTH, ..When::NOTHING },
        en: Text {
            title: "Task execution role may not get an ECR authorization token",
            explanation: "ECR refused to issue registry credentials for {image}: the task execution role lacks `ecr:GetAuthorizationToken` (or a policy denies it).",
            steps: &[
                "Attach the AWS managed policy `AmazonECSTaskExecutionRolePolicy` to the task execution role, or grant `ecr:GetAuthorizationToken` on `*` (it cannot be scoped to a repository).",
                "Check that the task definition sets `executionRoleArn` at all, and that no SCP or permissions boundary denies ECR actions.",
            ],
        },
        ja: Text {
            title: "タスク実行ロールが ECR の認証トークンを取得できません",
            explanation: "ECR がイメージ {image} 用のレジストリ認証情報の発行を拒否しました。タスク実行ロールに `ecr:GetAuthorizationToken` がない (またはポリシーで拒否されている) ためです。",
            steps: &[
                "タスク実行ロールに AWS 管理ポリシー `AmazonECSTaskExecutionRolePolicy` をアタッチするか、`*` に対する `ecr:GetAuthorizationToken` を許可してください (リポジトリ単位には絞れません)。",
                "タスク定義に `executionRoleArn` が設定されているか、SCP やアクセス許可の境界が ECR のアクションを拒否していないか確認してください。",
            ],
        },
        docs: &[EXEC_ROLE_DOC, PULL_DOC],
    },
    Rule {
        id: "image-pull.network",
        category: Category::ImagePullNetwork,
        severity: Severity::Error,
        when: When {
            within: PULL,
            any: &[
                "request canceled while waiting for connection",
                "check your network configuration",
                "i/o timeout",
                "context deadline exceeded",
                "context canceled",
                "dial tcp",
                "no such host",
                "connection refused",
                "connection reset",
                "tls handshake timeout",
                "timeout awaiting response headers",
                "network is unreachable",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Task could not reach the image registry",
            explanation: "Pulling image {image} for container {container} timed out or failed to connect to {registry}. The task's network has no working route (or DNS) to the registry.",
            steps: NETWORK_STEPS_EN,
        },
        ja: Text {
            title: "タスクがイメージレジストリに接続できませんでした",
            explanation: "コンテナ {container} のイメージ {image} のプルで、{registry} への接続がタイムアウトまたは失敗しました。タスクのネットワークからレジストリへの経路 (または DNS) がありません。",
            steps: NETWORK_STEPS_JA,
        },
        docs: &[PULL_DOC, FARGATE_NET_DOC, ECR_ENDPOINTS_DOC],
    },
    Rule {
        id: "image-pull.access-denied",
        category: Category::ImagePullAuth,
        severity: Severity::Error,
        when: When {
            within: PULL,
            anywhere: phrase::REGISTRY_AUTH,
            any: &[
                "authentication is required",
                "incorrect username or password",
                "check that the role has the permissions",
                "not authorized to perform",
                "403",
                "forbidden",
                "unauthorized",
                "no basic auth credentials",
                "authorization token has expired",
                "authentication required",
                "accessdenied",
                // A private registry used without `repositoryCredentials` (JFrog, Harbor, …).
                "failed to authorize",
                "failed to fetch anonymous token",
                "failed to fetch oauth token",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Registry denied access to the image",
            explanation: "The registry {registry} refused to let the task pull {image} (403/unauthorized). The credentials the task pulls with are missing or lack permission on that repository.",
            steps: &[
                "[ecr] Make sure the task execution role has `ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer` and `ecr:GetAuthorizationToken` (the managed policy `AmazonECSTaskExecutionRolePolicy` covers them).",
                "[cross-account] The repository is in another account: its repository policy must allow this account's task execution role (`ecr:BatchGetImage`, `ecr:GetDownloadUrlForLayer`), and a KMS-encrypted repository must allow `kms:Decrypt` too.",
                "[ecr] If the repository policy, a VPC endpoint policy or an SCP has a `Deny`, check that it does not match this role.",
                "[not-ecr] For a private registry, set `repositoryCredentials.credentialsParameter` to a Secrets Manager secret with `username` and `password`, and let the execution role read it.",
            ],
        },
        ja: Text {
            title: "レジストリがイメージへのアクセスを拒否しました",
            explanation: "レジストリ {registry} がイメージ {image} のプルを拒否しました (403 / unauthorized)。タスクがプルに使う認証情報がないか、そのリポジトリへの権限が不足しています。",
            steps: &[
                "[ecr] タスク実行ロールに `ecr:BatchGetImage`、`ecr:GetDownloadUrlForLayer`、`ecr:GetAuthorizationToken` があるか確認してください (管理ポリシー `AmazonECSTaskExecutionRolePolicy` に含まれます)。",
                "[cross-account] リポジトリは別アカウントにあります。そのリポジトリポリシーでこのアカウントのタスク実行ロールに `ecr:BatchGetImage` と `ecr:GetDownloadUrlForLayer` を許可し、KMS で暗号化されている場合は `kms:Decrypt` も許可してください。",
                "[ecr] リポジトリポリシー、VPC エンドポイントポリシー、SCP に `Deny` がある場合、このロールに当てはまっていないか確認してください。",
                "[not-ecr] プライベートレジストリでは、`username` と `password` を持つ Secrets Manager シークレットを `repositoryCredentials.credentialsParameter` に指定し、実行ロールに読み取りを許可してください。",
            ],
        },
        docs: &[PULL_DOC, EXEC_ROLE_DOC, REPO_POLICY_DOC, PRIVATE_AUTH_DOC],
    },
    Rule {
        id: "image-pull.invalid-reference",
        category: Category::ImageNotFound,
        severity: Severity::Error,
        // No pull wording: the reference is rejected before any pull starts, and the text may
        // come as `InternalError: failed to normalize image reference "…"`.
        when: When {
            any: &["failed to normalize image reference", "invalid reference format"],
            ..When::NOTHING
        },
        en: Text {
            title: "The image name in the task definition is not a valid reference",
            explanation: "The `image` of container {container} could not even be parsed as an image reference, so nothing was pulled: {reason}. Typical causes are a file or directory name where an image belongs (a deployment tool given `Dockerfile` or a build path instead of a registry URI), upper-case letters in the repository name, a stray space or `:` in the tag, or an unexpanded variable.",
            steps: &[
                "Read the `image` of container {container} in task definition {task_definition} and correct it to `<registry>/<repository>:<tag>` or `…@sha256:<digest>`, all lower-case (e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2`).",
                "If a deployment tool fills the image in (Copilot, CDK, Terraform, a CI template), check the value it was given: build settings such as `Dockerfile` belong in its build section, not in the image location.",
                "Check that variables in the image string (`${TAG}`, `$IMAGE_URI`) are expanded before the task definition is registered.",
            ],
        },
        ja: Text {
            title: "タスク定義のイメージ名が正しいイメージ参照になっていません",
            explanation: "コンテナ {container} の `image` をイメージ参照として解釈できなかったため、プル自体が行われていません: {reason}。よくある原因は、イメージの位置にファイル名やディレクトリ名が入っている (デプロイツールにレジストリ URI ではなく `Dockerfile` やビルドパスを渡した)、リポジトリ名に大文字が含まれる、タグに余分な空白や `:` がある、変数が展開されていない、のいずれかです。",
            steps: &[
                "タスク定義 {task_definition} のコンテナ {container} の `image` を確認し、`<レジストリ>/<リポジトリ>:<タグ>` または `…@sha256:<ダイジェスト>` の形で、すべて小文字に直してください (例: `123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4.2`)。",
                "デプロイツール (Copilot、CDK、Terraform、CI のテンプレート) がイメージを埋める場合は、渡した値を確認してください。`Dockerfile` などのビルド設定はイメージの位置ではなくビルド用の項目に書きます。",
                "イメージ文字列の変数 (`${TAG}`、`$IMAGE_URI`) がタスク定義の登録前に展開されているか確認してください。",
            ],
        },
        docs: &[TASKDEF_IMAGE_DOC, PULL_DOC],
    },
    Rule {
        id: "image-pull.not-found",
        category: Category::ImageNotFound,
        severity: Severity::Error,
        when: When {
            within: PULL,
            anywhere: phrase::REGISTRY_MANIFEST,
            any: &[
                "not found",
                "manifest unknown",
                "name unknown",
                "does not exist",
                "check whether the image exists",
                "requested access to the resource is denied",
                "pull access denied",
                "404",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Image or tag does not exist",
            explanation: "The registry {registry} has no image {image} for container {container}: the repository name, the tag or the digest is wrong, or the image was never pushed (or was removed by a lifecycle policy).",
            steps: &[
                "Compare the `image` in task definition {task_definition} with what the registry holds, e.g. `aws ecr describe-images --repository-name <repo> --image-ids imageTag=<tag>`.",
                "Check the repository's region and account in the image URI, and that the CI pipeline pushed this tag before the deployment started.",
                "[ecr] Check the repository's lifecycle policy: it may have expired the tag.",
                "[dockerhub] Docker Hub answers \"pull access denied\" both for a missing repository and for a private one: check the name, or add `repositoryCredentials`.",
            ],
        },
        ja: Text {
            title: "イメージまたはタグが存在しません",
            explanation: "レジストリ {registry} にコンテナ {container} のイメージ {image} がありません。リポジトリ名、タグ、ダイジェストのいずれかが誤っているか、イメージが push されていない (またはライフサイクルポリシーで削除された) 状態です。",
            steps: &[
                "タスク定義 {task_definition} の `image` とレジストリの内容を比べてください。例: `aws ecr describe-images --repository-name <リポジトリ> --image-ids imageTag=<タグ>`。",
                "イメージ URI のリージョンとアカウントが正しいか、デプロイ開始前に CI がこのタグを push したか確認してください。",
                "[ecr] リポジトリのライフサイクルポリシーでタグが削除されていないか確認してください。",
                "[dockerhub] Docker Hub はリポジトリが存在しない場合もプライベートな場合も「pull access denied」と返します。名前を確認するか、`repositoryCredentials` を設定してください。",
            ],
        },
        docs: &[PULL_DOC],
    },
    Rule {
        id: "image-pull.layer-format",
        category: Category::ImagePlatformMismatch,
        severity: Severity::Error,
        // The layers of the image do not fit what its manifest says or what this host can unpack:
        // mixed or unknown layer compression, a manifest whose layer list and config disagree.
        when: When {
            within: PULL_OR_LAYER,
            any: &[
                "diffids",
                "unsupported media type",
                "unknown media type",
                "unsupported mediatype",
                "manifest schema",
                "schema 1",
                "invalid tar header",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Image layers are in a format this host cannot unpack",
            explanation: "Pulling image {image} failed while its layers were unpacked: {reason}. The image was found, but its layers do not match its manifest or use a format (for example zstd compression mixed with gzip, or a Docker schema 1 manifest) that this runtime does not accept.",
            steps: &[
                "Inspect the manifest: `docker buildx imagetools inspect --raw {image_arg}` (or `docker manifest inspect`) and look at each layer's `mediaType`.",
                "Rebuild and push the image with one layer compression throughout (e.g. `compression=gzip,force-compression=true` in buildx outputs) and an OCI or Docker schema 2 manifest.",
                "If a new base image introduced the change, pin the previous base image digest until the build is fixed.",
            ],
        },
        ja: Text {
            title: "イメージのレイヤーがこのホストで展開できない形式です",
            explanation: "イメージ {image} のプル中、レイヤーの展開で失敗しました: {reason}。イメージは見つかっていますが、レイヤーがマニフェストと一致しないか、このランタイムが受け付けない形式 (gzip と zstd の圧縮の混在、Docker schema 1 のマニフェストなど) です。",
            steps: &[
                "`docker buildx imagetools inspect --raw {image_arg}` (または `docker manifest inspect`) でマニフェストを確認し、各レイヤーの `mediaType` を見てください。",
                "レイヤーの圧縮形式を統一し (buildx の出力に `compression=gzip,force-compression=true` を指定するなど)、OCI または Docker schema 2 のマニフェストでイメージをビルドしてプッシュし直してください。",
                "新しいベースイメージで変わった場合は、ビルドを直すまで以前のベースイメージのダイジェストに固定してください。",
            ],
        },
        docs: &[PULL_DOC],
    },
    Rule {
        id: "image-pull.layer-failed",
        category: Category::HostStorage,
        severity: Severity::Error,
        // Family fallback for unpacking layers: the download finished, writing the layer into the
        // host's layer store (overlay2, devicemapper, windowsfilter) did not.
        when: When { within: LAYER, tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "An image layer could not be written to the host's layer store",
            explanation: "The layers of image {image} were downloaded, but unpacking one into the host's container storage failed: {reason}. This happens on the host, not in the registry: a full or damaged storage volume, a broken storage driver, or (on Windows) a layer store the host cannot use.",
            steps: &[
                "[ec2] On the container instance, check free space and the storage driver: `df -h /var/lib/docker` (Linux) or the `C:\\ProgramData\\docker` drive (Windows), and `docker info`.",
                "[ec2] Remove unused images and stopped containers (`docker system prune`), or lower `ECS_IMAGE_CLEANUP_INTERVAL`; if the error stays, replace the instance.",
                "[fargate] Raise the task's `ephemeralStorage` if the image is large, and retry: Fargate hosts are replaced between tasks.",
                "Pull the same image on another host: if it works there, the first host's layer store is damaged.",
            ],
        },
        ja: Text {
            title: "イメージのレイヤーをホストのレイヤーストアに書き込めませんでした",
            explanation: "イメージ {image} のレイヤーはダウンロードできましたが、ホストのコンテナストレージへの展開に失敗しました: {reason}。原因はレジストリではなくホスト側にあります。ストレージの空き不足や破損、ストレージドライバーの不具合、または (Windows では) ホストが扱えないレイヤーストアです。",
            steps: &[
                "[ec2] コンテナインスタンスで空き容量とストレージドライバーを確認してください: `df -h /var/lib/docker` (Linux) または `C:\\ProgramData\\docker` のドライブ (Windows)、および `docker info`。",
                "[ec2] 使っていないイメージと停止したコンテナを削除する (`docker system prune`) か、`ECS_IMAGE_CLEANUP_INTERVAL` を短くしてください。それでも続く場合はインスタンスを置き換えてください。",
                "[fargate] イメージが大きい場合はタスクの `ephemeralStorage` を増やしてから再試行してください。Fargate のホストはタスクごとに替わります。",
                "同じイメージを別のホストでプルしてください。そちらで成功するなら、最初のホストのレイヤーストアが壊れています。",
            ],
        },
        docs: &[PULL_DOC, CONTAINER_STORAGE_DOC],
    },
    Rule {
        id: "image-pull.failed",
        category: Category::ImagePullNetwork,
        severity: Severity::Error,
        when: When { within: PULL, tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Image pull failed",
            explanation: "ECS could not pull image {image} for container {container}: {reason}. The text names no more specific cause; most pull failures are a network path, a permission, or a wrong image reference.",
            steps: &[
                "Check that the image exists under exactly that name and tag in {registry}.",
                "Check the network path from the task to the registry (public IP, NAT gateway or VPC endpoints, security group egress on 443).",
                "Check that the task execution role may pull from the registry (`AmazonECSTaskExecutionRolePolicy` for ECR, `repositoryCredentials` for other private registries).",
            ],
        },
        ja: Text {
            title: "イメージのプルに失敗しました",
            explanation: "ECS はコンテナ {container} のイメージ {image} をプルできませんでした: {reason}。具体的な原因は示されていませんが、多くはネットワーク経路、権限、イメージ指定の誤りのいずれかです。",
            steps: &[
                "{registry} にその名前とタグのイメージが存在するか確認してください。",
                "タスクからレジストリへのネットワーク経路 (パブリック IP、NAT ゲートウェイまたは VPC エンドポイント、セキュリティグループの 443 アウトバウンド) を確認してください。",
                "タスク実行ロールがレジストリからプルできるか確認してください (ECR なら `AmazonECSTaskExecutionRolePolicy`、その他のプライベートレジストリなら `repositoryCredentials`)。",
            ],
        },
        docs: &[PULL_DOC],
    },
];
