//! The container runtime: creating, starting, inspecting and stopping containers
//! (`CannotStartContainerError`, `CannotCreateContainerError`, …), runtime timeouts, the
//! out-of-memory kill, and the other named errors of the ECS agent and Fargate.

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::rule::Tier;
use crate::diagnose::vocabulary::phrase;

/// Texts from Docker or containerd while creating or starting a container. Fargate (platform
/// 1.4 and later) wraps containerd errors as
/// `CannotStartContainerError: ResourceInitializationError: failed to create new container
/// runtime task: failed to create shim: OCI runtime create failed: …`.
const START: &[&str] = &[
    "cannotstartcontainer",
    "cannotcreatecontainer",
    "containerruntimeerror",
    "oci runtime",
    "runc create failed",
    "starting container process",
    "failed to create shim",
];
const CREATE: &[&str] = &["cannotcreatecontainer"];

const STOPPED_TASK_ERRORS: &str = super::STOPPED_TASK_ERRORS;
const CANNOT_START_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html";
const CANNOT_CREATE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CannotCreateContainerError.html";
const OOM_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html";
const OOM_KC: &str = "https://repost.aws/knowledge-center/ecs-resolve-outofmemory-errors";
const TASKDEF_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const MEMORY_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_memory";
const DEPENDS_ON_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_dependson";
const PLATFORM_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform";
const BIND_MOUNTS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html";
const AGENT_CONFIG_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html";
const TIMEOUT_KC: &str = "https://repost.aws/knowledge-center/ecs-fargate-docker-timeout-error";
const FARGATE_NET_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html";
const FARGATE_STORAGE_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html";
const ECS_ENDPOINTS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/vpc-endpoints.html";

/// For runtime failures that point at the container instance rather than the task.
const HOST_STEPS_EN: &[&str] = &[
    "Check whether it repeats: a single occurrence is usually transient, and a service replaces the task on its own.",
    "[ec2] On container instance {instance}, check the Docker/containerd daemon and the agent: `systemctl status docker ecs`, `/var/log/ecs/ecs-agent.log`, and `journalctl -u docker` around the time of the failure.",
    "[ec2] Check the host for CPU, memory, disk or I/O exhaustion; if the instance stays unhealthy, drain it (`DRAINING`) and replace it, or update it to the latest ECS-optimized AMI.",
    "[fargate] The runtime is managed by AWS: if the failure repeats for the same task definition, open a support case with the task ARN.",
];
const HOST_STEPS_JA: &[&str] = &[
    "繰り返し発生しているか確認してください。1 回だけなら一時的なことが多く、サービスはタスクを自動的に置き換えます。",
    "[ec2] コンテナインスタンス {instance} で Docker/containerd デーモンとエージェントの状態を確認してください: `systemctl status docker ecs`、`/var/log/ecs/ecs-agent.log`、障害時刻前後の `journalctl -u docker`。",
    "[ec2] ホストの CPU、メモリ、ディスク、I/O が枯渇していないか確認してください。インスタンスの不調が続く場合は `DRAINING` にして入れ替えるか、最新の ECS 最適化 AMI に更新してください。",
    "[fargate] ランタイムは AWS が管理しています。同じタスク定義で繰り返し発生する場合は、タスク ARN を添えてサポートケースを作成してください。",
];

pub const RULES: &[Rule] = &[
    Rule {
        id: "runtime.oom-killed",
        category: Category::OutOfMemory,
        severity: Severity::Error,
        // Not `within: outofmemoryerror`: Java's `java.lang.OutOfMemoryError` is an application error.
        when: When {
            any: &[
                "container killed due to memory usage",
                // runc: the container's init process was killed by the OOM killer while starting.
                "container init was oom-killed",
            ],
            exact: &["outofmemoryerror"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container {container} was killed for using too much memory",
            explanation: "The kernel killed container {container} because its processes used more memory than its limit {memory}, or the host itself ran out of memory. The exit code may be 137, but also 0 or 1 depending on how the process died.",
            steps: &[
                "Raise the container's hard limit (`memory`) or the task's `memory` in task definition {task_definition}; on Fargate pick a larger task size.",
                "Look at the memory graph before the kill (CloudWatch `MemoryUtilized` with Container Insights) to tell a steady leak from a spike under load.",
                "For the JVM, size the heap from the container limit with `-XX:MaxRAMPercentage=75` instead of a fixed `-Xmx` larger than the limit; for Node.js set `--max-old-space-size` below the limit.",
                "[ec2] If several containers share the instance, set `memoryReservation` and `memory` realistically so that the host does not overcommit memory.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がメモリの使いすぎで強制終了されました",
            explanation: "コンテナ {container} のプロセスがメモリ上限 {memory} を超えて使用したか、ホスト自体のメモリが枯渇したため、カーネルが強制終了しました。終了コードは 137 のことが多いですが、プロセスの終わり方によっては 0 や 1 になることもあります。",
            steps: &[
                "タスク定義 {task_definition} でコンテナのハードリミット (`memory`) かタスクの `memory` を増やしてください。Fargate ではより大きいタスクサイズを選びます。",
                "強制終了前のメモリ推移 (Container Insights の CloudWatch メトリクス `MemoryUtilized`) を確認し、じわじわ増えるリークか、負荷時の急増かを見分けてください。",
                "JVM では上限を超える固定の `-Xmx` ではなく、`-XX:MaxRAMPercentage=75` でコンテナの上限に合わせてヒープを決めてください。Node.js では `--max-old-space-size` を上限より小さく設定します。",
                "[ec2] 1 台のインスタンスで複数のコンテナが動く場合は、ホストがメモリを過剰に割り当てないよう `memoryReservation` と `memory` を実態に合わせて設定してください。",
            ],
        },
        docs: &[OOM_DOC, OOM_KC, MEMORY_DOC],
    },
    Rule {
        id: "runtime.no-space",
        category: Category::HostStorage,
        severity: Severity::Error,
        when: When {
            within: START,
            anywhere: phrase::DISK_FULL,
            any: &["no space left on device", "thin pool", "free data blocks", "not enough space on the disk"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container could not be created: the host disk is full",
            explanation: "Creating or starting container {container} failed because the storage for containers is full (`no space left on device`, or the devicemapper thin pool is out of free data blocks).",
            steps: &[
                "[ec2] On container instance {instance}, remove stopped containers and unused images (`docker system prune`), and lower `ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION` and `ECS_IMAGE_CLEANUP_INTERVAL` so the agent cleans up sooner.",
                "[ec2] Give the instance more storage (a larger data or root volume in the launch template) and cap container logs on the host (`json-file` with `max-size`/`max-file`, or awslogs).",
                "[ec2] On devicemapper hosts, run `fstrim` to return freed blocks to the thin pool, or move to an overlay2-based ECS-optimized AMI.",
                "[fargate] Raise the task's ephemeral storage (`ephemeralStorage.sizeInGiB`, up to 200 GiB) or make the image and what the container writes smaller.",
            ],
        },
        ja: Text {
            title: "ホストのディスクが満杯でコンテナを作成できませんでした",
            explanation: "コンテナ用のストレージがいっぱい (`no space left on device`、または devicemapper のシンプールの空きデータブロック不足) のため、コンテナ {container} の作成または起動に失敗しました。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} で停止済みコンテナと不要なイメージを削除し (`docker system prune`)、`ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION` と `ECS_IMAGE_CLEANUP_INTERVAL` を短くしてエージェントの掃除を早めてください。",
                "[ec2] 起動テンプレートでデータ/ルートボリュームを大きくし、ホストに書かれるコンテナログを制限してください (`json-file` の `max-size`/`max-file`、または awslogs)。",
                "[ec2] devicemapper のホストでは `fstrim` で解放済みブロックをシンプールに戻すか、overlay2 ベースの ECS 最適化 AMI に移行してください。",
                "[fargate] タスクのエフェメラルストレージ (`ephemeralStorage.sizeInGiB`、最大 200 GiB) を増やすか、イメージやコンテナが書き込む量を減らしてください。",
            ],
        },
        docs: &[CANNOT_CREATE_DOC, FARGATE_STORAGE_DOC],
    },
    Rule {
        id: "runtime.exec-format",
        category: Category::ImagePlatformMismatch,
        severity: Severity::Error,
        when: When { any: &["exec format error"], ..When::NOTHING },
        en: Text {
            title: "Container binary was built for another CPU architecture",
            explanation: "The entrypoint of container {container} could not be executed (`exec format error`): the binary in image {image} was built for a different CPU architecture than the task runs on {platform} (for example arm64 on x86_64), or the script lacks a valid `#!` line.",
            steps: &[
                "Build and push the image for the task's platform, e.g. `docker buildx build --platform linux/amd64,linux/arm64 --push …` for a multi-architecture image.",
                "Or set the task definition's `runtimePlatform.cpuArchitecture` (X86_64 or ARM64) to the architecture the image was built for.",
                "If the entrypoint is a script, make sure it starts with a valid interpreter line (e.g. `#!/bin/sh`) and has Unix line endings.",
            ],
        },
        ja: Text {
            title: "コンテナの実行ファイルが別の CPU アーキテクチャ向けです",
            explanation: "コンテナ {container} のエントリポイントを実行できませんでした (`exec format error`)。イメージ {image} の実行ファイルが、タスクが動くプラットフォーム {platform} とは別の CPU アーキテクチャ (x86_64 上の arm64 など) 向けにビルドされているか、スクリプトの `#!` 行が正しくありません。",
            steps: &[
                "タスクのプラットフォーム向けにビルドして push してください。マルチアーキテクチャにするなら `docker buildx build --platform linux/amd64,linux/arm64 --push …` を使います。",
                "または、タスク定義の `runtimePlatform.cpuArchitecture` (X86_64 または ARM64) をイメージのアーキテクチャに合わせてください。",
                "エントリポイントがスクリプトの場合は、正しいインタープリタ行 (例: `#!/bin/sh`) で始まり、改行コードが LF になっているか確認してください。",
            ],
        },
        docs: &[PLATFORM_DOC, CANNOT_START_DOC],
    },
    Rule {
        id: "runtime.user-not-found",
        category: Category::ContainerCommand,
        severity: Severity::Error,
        when: When {
            within: START,
            any: &[
                "/etc/passwd",
                "unable to find user",
                "no matching entries in passwd file",
                "no users found",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "The container's user does not exist in the image",
            explanation: "Container {container} runs as a named `user`, and the runtime could not look that name up in the image's `/etc/passwd` (or the image has no `/etc/passwd` at all, as scratch and distroless images often do), so the container was never started: {reason}.",
            steps: &[
                "Set `user` of container {container} in task definition {task_definition} to a numeric `uid:gid` (for example `1000:1000`): numbers need no lookup in `/etc/passwd`.",
                "Or create the user in the image (`RUN adduser …` or `useradd …` in the Dockerfile) and check it with `docker run --rm --user <user> {image_arg} id`.",
                "If the task definition was not meant to set `user`, remove it so that the image's own `USER` applies.",
            ],
        },
        ja: Text {
            title: "コンテナのユーザーがイメージ内に存在しません",
            explanation: "コンテナ {container} は名前で指定した `user` で実行されますが、ランタイムがその名前をイメージの `/etc/passwd` で見つけられませんでした (scratch や distroless のイメージのように `/etc/passwd` 自体がないこともあります)。そのためコンテナは起動していません: {reason}。",
            steps: &[
                "タスク定義 {task_definition} のコンテナ {container} の `user` を数値の `uid:gid` (例: `1000:1000`) にしてください。数値なら `/etc/passwd` を引く必要がありません。",
                "またはイメージ内でユーザーを作成し (Dockerfile の `RUN adduser …` や `useradd …`)、`docker run --rm --user <ユーザー> {image_arg} id` で確認してください。",
                "タスク定義で `user` を指定するつもりがなかった場合は削除し、イメージ自身の `USER` が使われるようにしてください。",
            ],
        },
        docs: &[CANNOT_START_DOC, TASKDEF_DOC],
    },
    Rule {
        id: "runtime.mount-failed",
        category: Category::Volume,
        severity: Severity::Error,
        when: When {
            within: START,
            any: &[
                "error mounting",
                "mount source path",
                "bind source path",
                "invalid mount config",
                "mount a directory onto a file",
                // A volume (often EFS) mounted where the runtime must create device nodes.
                "error creating device nodes",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "A mount point of the container could not be set up",
            explanation: "The runtime could not mount a volume into container {container}: the source path is missing or invalid, a directory was mounted onto a file (or the other way round), or a volume was mounted over a path the runtime itself needs, such as `/` or `/dev`.",
            steps: &[
                "Check `mountPoints` of container {container} against `volumes` in task definition {task_definition}: each `sourceVolume` must exist and each `containerPath` must be an absolute path.",
                "Check that the `containerPath` is of the same kind as the source: mounting a directory where the image has a file (or a file over a directory) fails.",
                "[ec2] For a bind mount with `host.sourcePath`, check that the path exists on container instance {instance} and is not on a read-only file system.",
                "Mount volumes (EFS in particular) on a directory of their own, never on `/`, `/dev` or another system path: NFS cannot hold the device nodes the runtime creates there.",
            ],
        },
        ja: Text {
            title: "コンテナのマウントポイントを設定できませんでした",
            explanation: "ランタイムがコンテナ {container} にボリュームをマウントできませんでした。マウント元のパスが存在しないか不正、ディレクトリをファイルに (あるいはその逆に) マウントしようとしている、または `/` や `/dev` のようにランタイム自身が使うパスにボリュームをマウントしています。",
            steps: &[
                "タスク定義 {task_definition} の `volumes` とコンテナ {container} の `mountPoints` を照らし合わせてください。各 `sourceVolume` が定義されており、`containerPath` が絶対パスである必要があります。",
                "`containerPath` の種類がマウント元と一致しているか確認してください。イメージ内でファイルになっている場所にディレクトリを (またはその逆を) マウントすると失敗します。",
                "[ec2] `host.sourcePath` を使うバインドマウントの場合は、コンテナインスタンス {instance} にそのパスが存在し、読み取り専用のファイルシステム上にないか確認してください。",
                "ボリューム (特に EFS) は専用のディレクトリにマウントし、`/` や `/dev` などのシステムパスにはマウントしないでください。NFS にはランタイムがそこに作るデバイスノードを置けません。",
            ],
        },
        docs: &[BIND_MOUNTS_DOC, TASKDEF_DOC],
    },
    Rule {
        id: "runtime.permission-denied",
        category: Category::ContainerCommand,
        severity: Severity::Error,
        when: When { within: START, any: &["permission denied"], ..When::NOTHING },
        en: Text {
            title: "Container entrypoint is not executable (permission denied)",
            explanation: "The runtime found the program that starts container {container} but was not allowed to execute it: the file lacks the execute bit, or the container's user may not read or run it.",
            steps: &[
                "Make the entrypoint executable in the image: `RUN chmod +x /path/to/entrypoint.sh` (or `COPY --chmod=755 …`) and rebuild.",
                "If the task definition or image sets a non-root `user`, make sure that user can read and execute the file and its directories.",
                "Check that the entrypoint is not on a volume mounted with `noexec` or a read-only path that hides the file from the image.",
            ],
        },
        ja: Text {
            title: "コンテナのエントリポイントを実行できません (permission denied)",
            explanation: "ランタイムはコンテナ {container} を起動するプログラムを見つけましたが、実行が許可されませんでした。ファイルに実行権限がないか、コンテナのユーザーがそれを読み取り・実行できません。",
            steps: &[
                "イメージ内でエントリポイントに実行権限を付けてください: `RUN chmod +x /path/to/entrypoint.sh` (または `COPY --chmod=755 …`) でリビルドします。",
                "タスク定義やイメージで root 以外の `user` を指定している場合は、そのユーザーがファイルとそのディレクトリを読み取り・実行できるか確認してください。",
                "エントリポイントが `noexec` でマウントされたボリューム上にないか、イメージ内のファイルを隠すパスにマウントしていないか確認してください。",
            ],
        },
        docs: &[CANNOT_START_DOC, TASKDEF_DOC],
    },
    Rule {
        id: "runtime.command-not-found",
        category: Category::ContainerCommand,
        severity: Severity::Error,
        when: When {
            within: START,
            anywhere: phrase::EXEC_NOT_FOUND,
            any: &[
                "executable file not found",
                // Also matches the truncated "…no such file or direct…" of the console.
                "no such file or dir",
                // The exec of the command itself failed; older runtimes cut the message before
                // the reason ("caused \"exec: \\\"apt-get update …").
                "caused: exec:",
                "caused \"exec:",
                "caused \\\"exec:",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Container entrypoint or command was not found in the image",
            explanation: "The runtime could not find the program that starts container {container}: the `entryPoint` or `command` (from the task definition or the image) names a file that does not exist in image {image}, or is not on its `PATH`.",
            steps: &[
                "Compare `entryPoint` and `command` of container {container} in task definition {task_definition} with the `ENTRYPOINT`/`CMD` of image {image} (`docker image inspect {image_arg}`); the task definition overrides the image.",
                "Run image {image} locally with the same command (`docker run --rm --entrypoint <entrypoint> {image_arg} <command>`) to reproduce the error.",
                "Use an absolute path, or check that the program is installed in the final stage of a multi-stage build and that `PATH` includes its directory.",
                "A script that exists but starts with a `#!` interpreter missing from the image (e.g. `#!/bin/bash` on Alpine) fails the same way; also check for Windows (CRLF) line endings.",
            ],
        },
        ja: Text {
            title: "コンテナのエントリポイントまたはコマンドがイメージ内に見つかりません",
            explanation: "ランタイムはコンテナ {container} を起動するプログラムを見つけられませんでした。(タスク定義またはイメージの) `entryPoint` や `command` が、イメージ {image} に存在しないファイルか、`PATH` 上にないファイルを指しています。",
            steps: &[
                "タスク定義 {task_definition} のコンテナ {container} の `entryPoint` と `command` を、イメージ {image} の `ENTRYPOINT`/`CMD` (`docker image inspect {image_arg}`) と比べてください。タスク定義の指定がイメージより優先されます。",
                "イメージ {image} を同じコマンドでローカル実行して (`docker run --rm --entrypoint <エントリポイント> {image_arg} <コマンド>`) エラーを再現してください。",
                "絶対パスで指定するか、マルチステージビルドの最終ステージにプログラムが入っているか、`PATH` にそのディレクトリが含まれているか確認してください。",
                "スクリプト自体があっても、`#!` のインタープリタがイメージにない場合 (Alpine での `#!/bin/bash` など) も同じエラーになります。改行コードが CRLF になっていないかも確認してください。",
            ],
        },
        docs: &[CANNOT_START_DOC, TASKDEF_DOC],
    },
    Rule {
        id: "runtime.memory-limit-too-low",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { any: &["minimum memory limit allowed is", "minimum memory limit"], ..When::NOTHING },
        en: Text {
            title: "Container memory limit is below the runtime's minimum",
            explanation: "The container runtime refused to create container {container} because its memory limit is below the smallest value it accepts (6 MB for Docker). This is a task definition setting, usually a value written in the wrong unit.",
            steps: &[
                "Set `memory` (and `memoryReservation`) of container {container} in MiB: `512` means 512 MiB, not 512 bytes or GiB.",
                "Register a task definition revision with the corrected value and deploy it.",
            ],
        },
        ja: Text {
            title: "コンテナのメモリ上限がランタイムの最小値を下回っています",
            explanation: "コンテナ {container} のメモリ上限が、ランタイムが受け付ける最小値 (Docker では 6 MB) より小さいため、コンテナの作成が拒否されました。タスク定義の設定の問題で、多くは単位を取り違えた値です。",
            steps: &[
                "コンテナ {container} の `memory` (と `memoryReservation`) は MiB 単位で指定してください。`512` は 512 MiB の意味で、バイトや GiB ではありません。",
                "修正した値でタスク定義の新しいリビジョンを登録し、デプロイしてください。",
            ],
        },
        docs: &[MEMORY_DOC],
    },
    Rule {
        id: "runtime.cannot-allocate-memory",
        category: Category::OutOfMemory,
        severity: Severity::Error,
        when: When { within: START, any: &["cannot allocate memory"], ..When::NOTHING },
        en: Text {
            title: "Container could not start: the host could not allocate memory",
            explanation: "The runtime ran out of memory while creating or starting container {container} (`cannot allocate memory`). On EC2 the container instance itself is short of memory; the container's own limit is not the cause.",
            steps: &[
                "[ec2] Check free memory on container instance {instance} (`free -m`, CloudWatch memory metrics via the CloudWatch agent); processes outside ECS and the Docker daemon also use it.",
                "[ec2] Reserve memory for the host with `ECS_RESERVED_MEMORY` in `/etc/ecs/ecs.config`, so ECS does not place tasks into the memory the OS needs.",
                "[ec2] Set container `memory` limits so that tasks cannot use more than the instance has, or use a larger instance type.",
                "[fargate] Raise the task's memory; if it repeats with enough memory, open a support case with the task ARN.",
            ],
        },
        ja: Text {
            title: "ホストがメモリを確保できずコンテナを起動できませんでした",
            explanation: "ランタイムがコンテナ {container} の作成または起動中にメモリを確保できませんでした (`cannot allocate memory`)。EC2 ではコンテナインスタンス自体のメモリが不足しており、コンテナのメモリ上限が原因ではありません。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} の空きメモリを確認してください (`free -m`、CloudWatch エージェントによるメモリメトリクス)。ECS 外のプロセスや Docker デーモンもメモリを使います。",
                "[ec2] `/etc/ecs/ecs.config` の `ECS_RESERVED_MEMORY` でホスト用のメモリを予約し、OS に必要な分に ECS がタスクを配置しないようにしてください。",
                "[ec2] タスクがインスタンスのメモリ以上を使えないようコンテナの `memory` 上限を設定するか、より大きいインスタンスタイプを使ってください。",
                "[fargate] タスクのメモリを増やしてください。十分なメモリでも繰り返す場合は、タスク ARN を添えてサポートケースを作成してください。",
            ],
        },
        docs: &[CANNOT_START_DOC, AGENT_CONFIG_DOC, MEMORY_DOC],
    },
    Rule {
        id: "runtime.port-in-use",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When {
            within: &["cannotstartcontainer", "cannotcreatecontainer", "driver failed programming external connectivity"],
            any: &["port is already allocated", "address already in use"],
            ..When::NOTHING
        },
        en: Text {
            title: "Host port of the container is already in use",
            explanation: "Container {container} could not publish its port on the host because another process or container already listens on that host port. ECS only tracks ports of its own tasks, so something outside ECS (or a leftover container) holds it.",
            steps: &[
                "[bridge] Use dynamic host ports: set `hostPort` to `0` (or leave it out) in the container's `portMappings`, and let the load balancer target group follow the mapped port.",
                "[ec2] On container instance {instance}, find what holds the port (`sudo ss -ltnp | grep :<port>`, `docker ps`) and stop it, or keep that port out of ECS with `ECS_RESERVED_PORTS`.",
                "[awsvpc] Each task has its own network interface, so a conflict means two containers of the same task use the same `containerPort`.",
            ],
        },
        ja: Text {
            title: "コンテナのホストポートがすでに使用されています",
            explanation: "別のプロセスやコンテナがそのホストポートをすでに使っているため、コンテナ {container} はホスト上にポートを公開できませんでした。ECS が把握しているのは自分のタスクのポートだけなので、ECS 外のもの (または残ったコンテナ) が使用しています。",
            steps: &[
                "[bridge] 動的ホストポートを使ってください。コンテナの `portMappings` で `hostPort` を `0` にする (または省略する) と、ロードバランサーのターゲットグループは割り当てられたポートに追従します。",
                "[ec2] コンテナインスタンス {instance} でそのポートを使っているものを特定して (`sudo ss -ltnp | grep :<ポート>`、`docker ps`) 停止するか、`ECS_RESERVED_PORTS` でそのポートを ECS の対象外にしてください。",
                "[awsvpc] タスクごとにネットワークインターフェイスがあるため、ここで競合する場合は同じタスク内の 2 つのコンテナが同じ `containerPort` を使っています。",
            ],
        },
        docs: &[TASKDEF_DOC, AGENT_CONFIG_DOC],
    },
    Rule {
        id: "runtime.start-failed",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { within: &["cannotstartcontainer"], tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Container {container} could not be started",
            explanation: "The container runtime created container {container} but failed to start it: {reason}. Common causes are a wrong entrypoint or command, a mount or port problem, or the container exceeding its memory right at start.",
            steps: &[
                "Read the text after `CannotStartContainerError:` for the runtime's own message, and run the image locally with the task definition's `entryPoint`, `command`, `user` and environment to reproduce it.",
                "Check that the container's `memory` in task definition {task_definition} is large enough for it to start; raise it if the container may exceed it at start.",
                "Check `mountPoints`, `portMappings`, `linuxParameters` and `ulimits` of the container for values the host or Fargate does not support.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} を起動できませんでした",
            explanation: "コンテナランタイムはコンテナ {container} を作成しましたが、起動に失敗しました: {reason}。よくある原因は、エントリポイントやコマンドの誤り、マウントやポートの問題、起動直後にメモリ上限を超えることです。",
            steps: &[
                "`CannotStartContainerError:` の後に続くランタイム自身のメッセージを確認し、タスク定義の `entryPoint`、`command`、`user`、環境変数でイメージをローカル実行して再現してください。",
                "タスク定義 {task_definition} でコンテナの `memory` が起動に十分か確認してください。起動時に上限を超える可能性があれば増やします。",
                "コンテナの `mountPoints`、`portMappings`、`linuxParameters`、`ulimits` に、ホストや Fargate が対応していない値がないか確認してください。",
            ],
        },
        docs: &[CANNOT_START_DOC, STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.create-name-conflict",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When {
            within: CREATE,
            any: &["is already in use by container", "conflict. the container name"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container name is already taken on the host",
            explanation: "Docker on the container instance refused to create container {container} because a container with the same name already exists, usually left behind when the agent or Docker restarted during an earlier attempt.",
            steps: &[
                "[ec2] On container instance {instance}, list leftovers with `docker ps -a` and remove the stopped container that holds the name (`docker rm <id>`).",
                "[ec2] Update the ECS agent and Docker to current versions (a newer ECS-optimized AMI); if it keeps happening on one instance, drain and replace that instance.",
                "The service retries the task on its own; a single occurrence needs no further action.",
            ],
        },
        ja: Text {
            title: "ホスト上でコンテナ名がすでに使われています",
            explanation: "同じ名前のコンテナがすでに存在するため、コンテナインスタンス上の Docker がコンテナ {container} の作成を拒否しました。多くは以前の試行中にエージェントや Docker が再起動して残ったコンテナです。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} で `docker ps -a` により残っているコンテナを確認し、その名前を使っている停止済みコンテナを削除してください (`docker rm <ID>`)。",
                "[ec2] ECS エージェントと Docker を最新にしてください (新しい ECS 最適化 AMI)。特定のインスタンスで繰り返す場合は、そのインスタンスをドレインして入れ替えてください。",
                "サービスはタスクを自動的に再試行します。1 回だけの発生であれば追加の対応は不要です。",
            ],
        },
        docs: &[CANNOT_CREATE_DOC, STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.create-failed",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { within: CREATE, tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Container {container} could not be created",
            explanation: "The container runtime refused to create container {container}: {reason}. The container definition asks for something the host does not support, or the runtime on the host is unhealthy.",
            steps: &[
                "Read the text after `CannotCreateContainerError:` for the runtime's own message; it usually names the offending setting.",
                "Check the container definition in task definition {task_definition} for options the host does not support (Linux parameters, devices, log driver, volumes, ulimits).",
                "[ec2] On container instance {instance}, check free disk space and the Docker daemon log (`journalctl -u docker`).",
            ],
        },
        ja: Text {
            title: "コンテナ {container} を作成できませんでした",
            explanation: "コンテナランタイムがコンテナ {container} の作成を拒否しました: {reason}。コンテナ定義がホストの対応していない設定を要求しているか、ホストのランタイムが不調です。",
            steps: &[
                "`CannotCreateContainerError:` の後に続くランタイム自身のメッセージを確認してください。多くの場合、問題の設定名が書かれています。",
                "タスク定義 {task_definition} のコンテナ定義に、ホストが対応していない設定 (Linux パラメータ、デバイス、ログドライバー、ボリューム、ulimits) がないか確認してください。",
                "[ec2] コンテナインスタンス {instance} のディスク空き容量と Docker デーモンのログ (`journalctl -u docker`) を確認してください。",
            ],
        },
        docs: &[CANNOT_CREATE_DOC, STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.stop-failed",
        category: Category::ContainerRuntime,
        severity: Severity::Warning,
        when: When { within: &["cannotstopcontainer"], tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Runtime could not stop container {container}",
            explanation: "ECS asked the runtime to stop container {container} and the request failed: {reason}. The task was already stopping; the failure points at the runtime on the host rather than at the application.",
            steps: HOST_STEPS_EN,
        },
        ja: Text {
            title: "ランタイムがコンテナ {container} を停止できませんでした",
            explanation: "ECS がランタイムにコンテナ {container} の停止を要求しましたが失敗しました: {reason}。タスクはすでに停止処理中で、問題はアプリケーションではなくホストのランタイム側にあります。",
            steps: HOST_STEPS_JA,
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.inspect-failed",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When {
            within: &["cannotinspectcontainer", "could not transition to inspecting"],
            ..When::NOTHING
        },
        en: Text {
            title: "Runtime could not report the state of container {container}",
            explanation: "ECS could not inspect container {container} through the runtime (Docker on EC2 and older Fargate platforms, containerd on Fargate 1.4 and later), so it lost track of the container and stopped the task: {reason}.",
            steps: HOST_STEPS_EN,
        },
        ja: Text {
            title: "ランタイムがコンテナ {container} の状態を返しませんでした",
            explanation: "ECS はランタイム (EC2 と古い Fargate では Docker、Fargate 1.4 以降では containerd) 経由でコンテナ {container} の状態を取得できず、コンテナを追跡できなくなったためタスクを停止しました: {reason}。",
            steps: HOST_STEPS_JA,
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.describe-failed",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { within: &["cannotdescribecontainer"], tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Runtime could not describe container {container}",
            explanation: "ECS could not get the description of container {container} from the runtime, so it could not follow the container's state: {reason}.",
            steps: HOST_STEPS_EN,
        },
        ja: Text {
            title: "ランタイムがコンテナ {container} の情報を返しませんでした",
            explanation: "ECS はランタイムからコンテナ {container} の情報を取得できず、コンテナの状態を追跡できませんでした: {reason}。",
            steps: HOST_STEPS_JA,
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.start-timeout",
        category: Category::RuntimeTimeout,
        severity: Severity::Error,
        when: When {
            within: &["dockertimeouterror", "containerruntimetimeouterror", "could not transition to"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container {container} did not reach its next state in time",
            explanation: "The runtime did not bring container {container} to its next state (usually RUNNING) before the timeout, so ECS gave up: {reason}. On Fargate this is almost always a network path problem while preparing the task (image, secrets, logs); on EC2 a slow or overloaded host or a very large image.",
            steps: &[
                "[ecr] Give the task a network path to everything it fetches at start: a public IP (`assignPublicIp`) or NAT gateway, or VPC endpoints for ECR (`ecr.api`, `ecr.dkr`), the S3 gateway, Secrets Manager, Systems Manager and CloudWatch Logs, in subnet {subnet}.",
                "[not-ecr] The image is not in ECR, so VPC endpoints cannot reach its registry: give a private subnet a route to a NAT gateway, or a public subnet a public IP (`assignPublicIp`).",
                "[fargate] A container has 3 minutes to start: make the image smaller and avoid slow work before the main process starts.",
                "[ec2] Raise `ECS_CONTAINER_START_TIMEOUT` in `/etc/ecs/ecs.config` on container instance {instance} (default 3m on Linux, 8m on Windows) and restart the agent; also check the host's CPU, memory and disk I/O.",
                "If the container depends on another one (`dependsOn` with `startTimeout`), check that the dependency reaches its condition within that time.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} が時間内に次の状態に移りませんでした",
            explanation: "ランタイムがタイムアウトまでにコンテナ {container} を次の状態 (多くは RUNNING) にできなかったため、ECS が処理を打ち切りました: {reason}。Fargate ではほぼ、タスク準備中 (イメージ、シークレット、ログ) のネットワーク経路の問題です。EC2 では遅い・過負荷のホストや非常に大きいイメージが原因です。",
            steps: &[
                "[ecr] 起動時に取得するものすべてへのネットワーク経路をサブネット {subnet} に用意してください: パブリック IP (`assignPublicIp`) か NAT ゲートウェイ、または ECR (`ecr.api`、`ecr.dkr`)、S3 ゲートウェイ、Secrets Manager、Systems Manager、CloudWatch Logs の VPC エンドポイントです。",
                "[not-ecr] イメージは ECR 以外のレジストリにあるため、VPC エンドポイントでは届きません。プライベートサブネットなら NAT ゲートウェイへのルートを、パブリックサブネットならパブリック IP (`assignPublicIp`) を用意してください。",
                "[fargate] コンテナの起動に使える時間は 3 分です。イメージを小さくし、メインプロセス開始前の重い処理を避けてください。",
                "[ec2] コンテナインスタンス {instance} の `/etc/ecs/ecs.config` で `ECS_CONTAINER_START_TIMEOUT` (既定は Linux 3 分、Windows 8 分) を延ばしてエージェントを再起動し、ホストの CPU、メモリ、ディスク I/O も確認してください。",
                "コンテナが別のコンテナに依存している (`dependsOn` と `startTimeout`) 場合は、依存先がその時間内に条件を満たしているか確認してください。",
            ],
        },
        docs: &[TIMEOUT_KC, STOPPED_TASK_ERRORS, AGENT_CONFIG_DOC, FARGATE_NET_DOC, ECS_ENDPOINTS_DOC],
    },
    Rule {
        id: "runtime.runtime-error",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { within: &["containerruntimeerror"], tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Container runtime failed while handling container {container}",
            explanation: "The container runtime (containerd on Fargate) reported an error for container {container}: {reason}. The text after the prefix names the runtime's own cause.",
            steps: &[
                "Read the message after `ContainerRuntimeError:`: an entrypoint, mount or permission problem there is fixed in the image or the task definition.",
                "Run the image locally with the same `entryPoint`, `command`, `user` and mounts to reproduce it.",
                "If the message names no cause in your configuration and the failure repeats, open a support case with the task ARN.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} の処理中にコンテナランタイムが失敗しました",
            explanation: "コンテナランタイム (Fargate では containerd) がコンテナ {container} についてエラーを報告しました: {reason}。接頭辞の後の文字列がランタイム自身の原因です。",
            steps: &[
                "`ContainerRuntimeError:` の後のメッセージを確認してください。エントリポイント、マウント、権限の問題であれば、イメージかタスク定義で修正します。",
                "同じ `entryPoint`、`command`、`user`、マウントでイメージをローカル実行して再現してください。",
                "設定上の原因が示されておらず繰り返し発生する場合は、タスク ARN を添えてサポートケースを作成してください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.internal-error",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        // "InternalError:" prefix only: "… Reason: Internal error." belongs to the service family.
        when: When { any: &["internalerror:"], exact: &["internalerror"], ..When::NOTHING },
        en: Text {
            title: "Fargate reported an internal error",
            explanation: "The Fargate agent hit an unexpected internal error that is not about the container runtime: {reason}. This is on the AWS side and usually transient.",
            steps: &[
                "Start the task again; a service replaces it on its own.",
                "If it keeps failing with the same task definition, check that the subnets {subnet} are in Availability Zones that Fargate supports, and try another platform version.",
                "If it persists, open a support case with the task ARN and the time of the failure.",
            ],
        },
        ja: Text {
            title: "Fargate が内部エラーを報告しました",
            explanation: "Fargate のエージェントで、コンテナランタイム以外の予期しない内部エラーが発生しました: {reason}。AWS 側の問題で、通常は一時的なものです。",
            steps: &[
                "タスクを再度起動してください。サービスであれば自動的に置き換えられます。",
                "同じタスク定義で失敗が続く場合は、サブネット {subnet} が Fargate 対応のアベイラビリティーゾーンにあるか確認し、別のプラットフォームバージョンも試してください。",
                "解消しない場合は、タスク ARN と発生時刻を添えてサポートケースを作成してください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.docker-state",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { within: &["dockerstateerror"], tier: Tier::Family, ..When::NOTHING },
        en: Text {
            title: "Docker reported an error state for container {container}",
            explanation: "Docker recorded an error in the state of container {container} and ECS passed it on: {reason}. The text after the prefix is Docker's own message.",
            steps: HOST_STEPS_EN,
        },
        ja: Text {
            title: "Docker がコンテナ {container} のエラー状態を報告しました",
            explanation: "Docker がコンテナ {container} の状態にエラーを記録し、ECS がそれを報告しました: {reason}。接頭辞の後の文字列が Docker 自身のメッセージです。",
            steps: HOST_STEPS_JA,
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.cgroup",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { any: phrase::CGROUP, ..When::NOTHING },
        en: Text {
            title: "The host could not create the task's cgroup",
            explanation: "Before starting the containers, the agent creates a control group (cgroup) that enforces the task's CPU and memory limits; this failed, so no container of the task ran: {reason}. On EC2 the usual causes are a kernel or AMI whose cgroup setup the agent does not support (cgroup v2 with an old agent, a memory controller turned off at boot, a read-only `/sys/fs/cgroup`), or a host that ran out of cgroups; on Fargate it is a fault of the platform.",
            steps: &[
                "[ec2] Check the agent log on container instance {instance} (`/var/log/ecs/ecs-agent.log`) for the cgroup path and the kernel's error, and update the ECS agent or move to a current ECS-optimized AMI.",
                "[ec2] Check that the memory and cpu controllers are enabled (`cat /sys/fs/cgroup/cgroup.controllers` on cgroup v2, `/proc/cgroups` on v1) and that nothing mounts `/sys/fs/cgroup` read-only.",
                "[ec2] If it affects one instance only, drain and replace it.",
                "[fargate] Run the task again; if it keeps failing in one Availability Zone or platform version, open an AWS Support case with the task ARN.",
            ],
        },
        ja: Text {
            title: "ホストがタスクの cgroup を作成できませんでした",
            explanation: "エージェントはコンテナを起動する前に、タスクの CPU とメモリの上限を適用するコントロールグループ (cgroup) を作成します。これに失敗したため、タスクのコンテナは 1 つも起動していません: {reason}。EC2 では、エージェントが対応していない cgroup 構成のカーネルや AMI (古いエージェントと cgroup v2、起動時に無効化された memory コントローラー、読み取り専用の `/sys/fs/cgroup`)、またはホストの cgroup の枯渇がよくある原因です。Fargate ではプラットフォーム側の障害です。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} のエージェントログ (`/var/log/ecs/ecs-agent.log`) で cgroup のパスとカーネルのエラーを確認し、ECS エージェントを更新するか最新の ECS 最適化 AMI に移行してください。",
                "[ec2] memory と cpu のコントローラーが有効か (cgroup v2 なら `cat /sys/fs/cgroup/cgroup.controllers`、v1 なら `/proc/cgroups`)、`/sys/fs/cgroup` が読み取り専用でマウントされていないか確認してください。",
                "[ec2] 1 台のインスタンスだけで起きる場合は、ドレインして置き換えてください。",
                "[fargate] タスクを再実行してください。特定のアベイラビリティーゾーンやプラットフォームバージョンで繰り返す場合は、タスク ARN を添えて AWS サポートに問い合わせてください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS, AGENT_CONFIG_DOC],
    },
    Rule {
        id: "runtime.docker-daemon-down",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { any: phrase::DOCKER_DAEMON, ..When::NOTHING },
        en: Text {
            title: "The ECS agent cannot reach the Docker daemon",
            explanation: "The container agent talks to Docker through `/var/run/docker.sock`, and that failed: {reason}. Docker is not running (it crashed, was stopped, or had not started yet when the agent came up), its socket is not mounted into the agent's container, or the host is out of memory or disk so Docker cannot answer. Until it answers, no task on this instance can start or be stopped cleanly.",
            steps: &[
                "[ec2] On container instance {instance}, check Docker: `sudo systemctl status docker` and `sudo journalctl -u docker --since -1h`; start it, then `sudo systemctl restart ecs`.",
                "[ec2] On a custom AMI, start the agent after Docker (the ecs-init package orders the units) and mount `/var/run/docker.sock` into the agent container.",
                "[ec2] Check the host's free memory and disk (`free -m`, `df -h /var/lib/docker`); if Docker keeps dying, drain and replace the instance.",
            ],
        },
        ja: Text {
            title: "ECS エージェントが Docker デーモンに接続できません",
            explanation: "コンテナエージェントは `/var/run/docker.sock` 経由で Docker と通信しますが、それに失敗しました: {reason}。Docker が動いていない (クラッシュした、停止された、エージェントの起動時にまだ起動していなかった)、ソケットがエージェントのコンテナにマウントされていない、またはホストのメモリやディスクが足りず Docker が応答できない状態です。応答するまで、このインスタンスのタスクは起動も正常な停止もできません。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} で Docker を確認してください: `sudo systemctl status docker`、`sudo journalctl -u docker --since -1h`。起動したあと `sudo systemctl restart ecs` を実行してください。",
                "[ec2] カスタム AMI では、Docker の後にエージェントを起動し (ecs-init パッケージがユニットの順序を設定します)、`/var/run/docker.sock` をエージェントのコンテナにマウントしてください。",
                "[ec2] ホストの空きメモリとディスクを確認してください (`free -m`、`df -h /var/lib/docker`)。Docker が落ち続ける場合は、ドレインしてインスタンスを置き換えてください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS, AGENT_CONFIG_DOC],
    },
    Rule {
        id: "runtime.pause-container",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { any: phrase::PAUSE_CONTAINER, ..When::NOTHING },
        en: Text {
            title: "The agent's pause container could not start",
            explanation: "For a task in `awsvpc` network mode on EC2, the agent first starts a small pause container that holds the task's network interface; it failed, so the task's containers never started: {reason}. Most often the pause image (`amazon/amazon-ecs-pause`, loaded by the agent from the AMI, not from a registry) was deleted by an image cleanup such as `docker system prune -a`, or a custom AMI lacks it.",
            steps: &[
                "[ec2] On container instance {instance}, check the image exists: `docker images amazon/amazon-ecs-pause`. Restarting the agent (`sudo systemctl restart ecs`) loads it again.",
                "[ec2] Stop cleanup jobs from removing images on ECS hosts; leave image cleanup to the agent (`ECS_IMAGE_CLEANUP_INTERVAL`), which keeps the pause image.",
                "[ec2] On a custom AMI, install the agent with the ecs-init package (it ships the pause image) or base the AMI on the ECS-optimized one.",
            ],
        },
        ja: Text {
            title: "エージェントの pause コンテナを起動できませんでした",
            explanation: "EC2 上の `awsvpc` ネットワークモードのタスクでは、エージェントがまずタスクのネットワークインターフェースを保持する小さな pause コンテナを起動します。これが失敗したため、タスクのコンテナは起動していません: {reason}。多くの場合、pause イメージ (`amazon/amazon-ecs-pause`。レジストリではなく AMI からエージェントが読み込みます) が `docker system prune -a` などのイメージ削除で消されたか、カスタム AMI にそれが含まれていません。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} でイメージがあるか確認してください: `docker images amazon/amazon-ecs-pause`。エージェントを再起動する (`sudo systemctl restart ecs`) と再び読み込まれます。",
                "[ec2] ECS ホストのイメージを削除するクリーンアップ処理を止め、pause イメージを残すエージェントのイメージクリーンアップ (`ECS_IMAGE_CLEANUP_INTERVAL`) に任せてください。",
                "[ec2] カスタム AMI では、pause イメージを含む ecs-init パッケージでエージェントを入れるか、ECS 最適化 AMI をもとに作成してください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS, AGENT_CONFIG_DOC],
    },
    Rule {
        id: "runtime.agent-error",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        // The agent's other named errors about containers, images and its runtime client
        // (agent/dockerclient/dockerapi/errors.go, agent/engine/errors.go), and `UnknownError:`,
        // the name it gives an error without one.
        when: When {
            within: &[
                "cannotremovecontainer",
                "cannotlistcontainers",
                "cannotgetcontainertop",
                "cannotlistimages",
                "cannotlistplugins",
                "cannotcreatecontainerexec",
                "cannotstartcontainerexec",
                "cannotinspectcontainerexec",
                "cannotgetdockerclient",
                "dockerclientconfigerror",
                "hostconfigerror",
                "impossiblestatetransitionerror",
                "nosuchcontainererror",
                "unknownerror:",
            ],
            tier: Tier::Family,
            ..When::NOTHING
        },
        en: Text {
            title: "The ECS agent could not manage container {container} through the runtime",
            explanation: "The ECS container agent reported an error from the container runtime (Docker or containerd) while managing the task: {reason}.",
            steps: HOST_STEPS_EN,
        },
        ja: Text {
            title: "ECS エージェントがランタイム経由でコンテナ {container} を管理できませんでした",
            explanation: "ECS コンテナエージェントが、タスクの管理中にコンテナランタイム (Docker または containerd) のエラーを報告しました: {reason}。",
            steps: HOST_STEPS_JA,
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.container-vanished",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When {
            within: &["containervanishederror", "no container matching saved id found"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container {container} disappeared from the host",
            explanation: "The agent no longer found container {container} in Docker, so it treated the container as stopped. This happens when Docker or the agent restarted and lost the container, or when something outside ECS removed it.",
            steps: &[
                "[ec2] On container instance {instance}, check whether Docker or the agent restarted at that time (`journalctl -u docker`, `/var/log/ecs/ecs-agent.log`) and why (updates, out of memory, disk full).",
                "[ec2] Make sure no cleanup job or person removes containers on ECS hosts (`docker rm`, `docker system prune -a` with running tasks).",
                "If several tasks on the same instance were affected, drain and replace the instance.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がホストから消えました",
            explanation: "エージェントが Docker 上にコンテナ {container} を見つけられなくなったため、停止したものとして扱いました。Docker やエージェントの再起動でコンテナが失われた場合や、ECS 以外の何かが削除した場合に起こります。",
            steps: &[
                "[ec2] コンテナインスタンス {instance} で、その時刻に Docker やエージェントが再起動していないか (`journalctl -u docker`、`/var/log/ecs/ecs-agent.log`)、その理由 (更新、メモリ不足、ディスク満杯) を確認してください。",
                "[ec2] ECS のホスト上でコンテナを削除するクリーンアップ処理や手作業 (`docker rm`、実行中タスクがある状態での `docker system prune -a`) がないか確認してください。",
                "同じインスタンスの複数のタスクが影響を受けた場合は、インスタンスをドレインして入れ替えてください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.dependency-failed",
        category: Category::AppExit,
        // A consequence: the container it depends on carries the cause.
        severity: Severity::Warning,
        when: When {
            within: &["taskdependencyerror", "container ordering dependency"],
            ..When::NOTHING
        },
        en: Text {
            title: "Container {container} did not start: a container it depends on failed its condition",
            explanation: "Container {container} waits, through `dependsOn`, for another container to reach a condition (START, COMPLETE, SUCCESS or HEALTHY). That container never did, so ECS did not start this one: {reason}.",
            steps: &[
                "Find the container named in the message and read its own `reason` and `exitCode`: that is where the cause is.",
                "For `SUCCESS`, the dependency must exit with code 0; for `HEALTHY`, it needs a `healthCheck` that passes within its `startPeriod` and retries.",
                "Check `dependsOn` and `startTimeout` of container {container} in task definition {task_definition}: the timeout must leave the dependency enough time.",
            ],
        },
        ja: Text {
            title: "依存先コンテナが条件を満たさず、コンテナ {container} は起動されませんでした",
            explanation: "コンテナ {container} は `dependsOn` で、別のコンテナが条件 (START、COMPLETE、SUCCESS、HEALTHY) を満たすのを待ちます。そのコンテナが条件を満たさなかったため、ECS はこのコンテナを起動しませんでした: {reason}。",
            steps: &[
                "メッセージに書かれた依存先コンテナの `reason` と `exitCode` を確認してください。原因はそちらにあります。",
                "`SUCCESS` なら依存先は終了コード 0 で終わる必要があり、`HEALTHY` なら `startPeriod` と再試行回数の範囲内で成功する `healthCheck` が必要です。",
                "タスク定義 {task_definition} のコンテナ {container} の `dependsOn` と `startTimeout` を確認し、依存先に十分な時間を与えてください。",
            ],
        },
        docs: &[DEPENDS_ON_DOC],
    },
    Rule {
        id: "runtime.networking-error",
        category: Category::EniProvisioning,
        severity: Severity::Error,
        when: When {
            within: &[
                "containernetworkingerror",
                // Agent and CNI wording of the same failure, as logged or as a stopped reason.
                "failed to setup network namespace",
                "unable to attach network interface",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "Network of the task could not be set up on the host",
            explanation: "The agent could not set up networking for container {container} (the task's network namespace, interface or CNI plugins): {reason}.",
            steps: &[
                "[awsvpc] Check that the container instance {instance} has a free ENI attachment (or trunking with `awsvpcTrunking`) and that subnet {subnet} has free IP addresses.",
                "[ec2] Check the agent and CNI plugin logs on the instance (`/var/log/ecs/ecs-agent.log`, `/var/log/ecs/ecs-cni-*.log`) and update to the latest ECS-optimized AMI.",
                "If it repeats on one instance, drain and replace it.",
            ],
        },
        ja: Text {
            title: "ホスト上でタスクのネットワークを設定できませんでした",
            explanation: "エージェントがコンテナ {container} のネットワーク (タスクのネットワーク名前空間、インターフェイス、CNI プラグイン) を設定できませんでした: {reason}。",
            steps: &[
                "[awsvpc] コンテナインスタンス {instance} に空きの ENI アタッチ枠 (または `awsvpcTrunking` によるトランキング) があり、サブネット {subnet} に空き IP アドレスがあるか確認してください。",
                "[ec2] インスタンスのエージェントと CNI プラグインのログ (`/var/log/ecs/ecs-agent.log`、`/var/log/ecs/ecs-cni-*.log`) を確認し、最新の ECS 最適化 AMI に更新してください。",
                "特定のインスタンスで繰り返す場合は、そのインスタンスをドレインして入れ替えてください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
    Rule {
        id: "runtime.stopped-before-pull",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When {
            within: &["taskstoppedbeforepullbeginerror", "task stopped before image pull could begin"],
            ..When::NOTHING
        },
        en: Text {
            title: "Task was stopped before its image pull began",
            explanation: "The task was asked to stop (by StopTask, a deployment, scale-in or another failure) before ECS started pulling the image of container {container}. This is a consequence of the stop, not a failure of its own.",
            steps: &[
                "Look at the task's `stoppedReason` and `stopCode` for why it was stopped; if another finding is listed, that is the cause.",
                "For a service, check the service events around that time for deployments or scale-in.",
            ],
        },
        ja: Text {
            title: "イメージのプル開始前にタスクが停止されました",
            explanation: "コンテナ {container} のイメージのプルを ECS が始める前に、タスクの停止が要求されました (StopTask、デプロイ、スケールイン、または別の障害による)。停止の結果であり、それ自体は障害ではありません。",
            steps: &[
                "タスクの `stoppedReason` と `stopCode` で停止理由を確認してください。ほかの所見が表示されていれば、そちらが原因です。",
                "サービスの場合は、その時刻前後のサービスイベントでデプロイやスケールインがなかったか確認してください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS],
    },
];
