//! Task-level stops: `stoppedReason` and `stopCode` of a stopped task (health-check
//! replacements, Spot and platform stops, deployments, StopTask) and the generic summaries
//! ("Essential container in task exited", "Task failed to start") that only stand when nothing
//! more specific is known.

use super::{
    in_service, stop_requested, Category, Rule, Severity, Text, When, STOPPED_TASK_CONSOLE, STOPPED_TASK_ERRORS,
};
use crate::diagnose::signal::ReasonQuestion;
use crate::diagnose::{Field, Signal, Tier};

/// Where a task-level text can be read: the stop reason and the stop code (free text matches too).
const TASK_FIELDS: &[Field] = &[Field::StoppedReason, Field::StopCode];

/// `stoppedReason` wordings (lower-case) meaning ECS or the platform stopped the task on purpose,
/// so the containers were sent SIGTERM (and maybe SIGKILL) from outside.
const ECS_STOP_REASONS: &[&str] = &[
    "failed elb health checks",
    "failed container health checks",
    "spot task was interrupted",
    "host ec2 (instance",
    "performing maintenance on the underlying infrastructure",
    "scaling activity initiated by",
    "stopped by user",
    "container instance is in draining state",
];

/// `stoppedReason` wordings that already name the platform event behind a bare stop code.
const PLATFORM_REASONS: &[&str] = &[
    "spot task was interrupted",
    "host ec2 (instance",
    "performing maintenance on the underlying infrastructure",
];

const KC_TASK_STOPPED: &str = "https://repost.aws/knowledge-center/ecs-task-stopped";
const LB_TROUBLESHOOT_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshoot-service-load-balancers.html";
const LB_HEALTHCHECK_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/load-balancer-healthcheck.html";
const KC_FARGATE_HEALTH: &str = "https://repost.aws/knowledge-center/ecs-fargate-health-check-failures";
const HEALTHCHECK_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html";
const KC_CONTAINER_HEALTH: &str = "https://repost.aws/knowledge-center/ecs-task-container-health-check-failures";
const TASK_NETWORKING_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html";
const ENI_TRUNKING_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-eni.html";
const FARGATE_NET_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html";
const FARGATE_SPOT_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html";
const KC_SPOT_NOTICE: &str = "https://repost.aws/knowledge-center/fargate-spot-termination-notice";
const EC2_SPOT_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-spot.html";
const DRAINING_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html";
const MAINTENANCE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-maintenance.html";
const RETIREMENT_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/prepare-task-retirement.html";
const STOP_CODE_ENUM_DOC: &str =
    "https://docs.aws.amazon.com/sdk-for-python/v4/reference/clients/ecs/enums/TaskStopCode/";
const TASK_API_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html";
const STOP_TASK_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html";
const DEPLOYMENT_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html";
const SCALE_IN_PROTECTION_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html";

// ---- Checks over the task around a signal. ----

fn stop_code<'a>(s: &Signal<'a>) -> Option<&'a str> {
    s.incident.task.as_ref()?.stop_code.as_deref()
}

fn stop_code_is(s: &Signal, code: &str) -> bool {
    stop_code(s).is_some_and(|c| c.eq_ignore_ascii_case(code))
}

/// Read from the incident's shared facts: the reason is normalised once per incident, and each
/// answer is computed once, however many containers and rules ask.
fn stopped_reason_has(s: &Signal, question: ReasonQuestion, wordings: &[&str]) -> bool {
    s.shared.stopped_reason_has(question, wordings)
}

/// ECS, the service scheduler, a StopTask call or the platform stopped the task from outside:
/// its containers got SIGTERM (then SIGKILL after `stopTimeout`) rather than exiting by themselves.
pub(super) fn stopped_by_ecs(s: &Signal) -> bool {
    stop_requested(s)
        || stop_code_is(s, "InfrastructureHealth")
        || stopped_reason_has(s, ReasonQuestion::StoppedByEcs, ECS_STOP_REASONS)
}

/// The stoppedReason does not already name a Spot, host or maintenance stop (so a bare stop
/// code is the only evidence and deserves its own finding).
fn no_platform_reason(s: &Signal) -> bool {
    !stopped_reason_has(s, ReasonQuestion::Platform, PLATFORM_REASONS)
}

/// The service scheduler stopped the task (code `ServiceSchedulerInitiated`), whatever the reason text.
fn scheduler_stop(s: &Signal) -> bool {
    stop_code_is(s, "ServiceSchedulerInitiated") || s.norm == "serviceschedulerinitiated"
}

/// StopTask was called (code `UserInitiated`); the reason text is free-form, up to 255 characters.
fn user_stop(s: &Signal) -> bool {
    stop_code_is(s, "UserInitiated") || s.norm == "userinitiated" || s.norm.contains("stopped by user")
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "task.elb-health-check",
        category: Category::HealthCheckElb,
        severity: Severity::Error,
        when: When { fields: TASK_FIELDS, any: &["failed elb health checks"], ..When::NOTHING },
        en: Text {
            title: "Task replaced after failing load balancer health checks",
            explanation: "The load balancer reported the task unhealthy in target group {target_group}, so the service {service} stopped it and started a replacement. Either the health check requests never reached the container, or the container answered too slowly or with an unexpected status code. If every new task fails the same way, the service keeps replacing tasks and a deployment never finishes.",
            steps: &[
                "[awsvpc] Let the load balancer reach the task: the task's security group needs an inbound rule from the load balancer's security group on the container port (and on the health check port, if it is different).",
                "[bridge] With bridge networking the health checks go to the host port: the container instance's security group must allow the load balancer's security group on the dynamic host port range the instances use.",
                "[service] If the application needs time to warm up, set `healthCheckGracePeriodSeconds` on the service {service} longer than its start-up, and consider slow start mode on the target group.",
                "Check the target group's health check settings (path, port, success codes, timeout, unhealthy threshold). `aws elbv2 describe-target-health --target-group-arn <arn>` shows why targets fail (e.g. `Target.ResponseCodeMismatch`, `Target.Timeout`).",
                "Make sure the application listens on `0.0.0.0` (all interfaces) rather than `127.0.0.1` on the container port, and that the load balancer is enabled in every Availability Zone where tasks run.",
            ],
        },
        ja: Text {
            title: "ロードバランサーのヘルスチェック失敗でタスクが置き換えられました",
            explanation: "ロードバランサーがターゲットグループ {target_group} でタスクを異常と判定したため、サービス {service} がタスクを停止し、代わりのタスクを起動しました。ヘルスチェックのリクエストがコンテナに届いていないか、応答が遅すぎるか、想定外のステータスコードを返しています。新しいタスクがすべて同じように失敗すると、サービスは置き換えを繰り返し、デプロイが完了しません。",
            steps: &[
                "[awsvpc] ロードバランサーからタスクに届くようにしてください。タスクのセキュリティグループに、ロードバランサーのセキュリティグループからコンテナポート (ヘルスチェックのポートが異なる場合はそのポートも) へのインバウンドルールが必要です。",
                "[bridge] bridge ネットワークではヘルスチェックはホストポートに届きます。コンテナインスタンスのセキュリティグループで、ロードバランサーのセキュリティグループからインスタンスが使う動的ホストポートの範囲を許可してください。",
                "[service] アプリケーションの起動に時間がかかる場合は、サービス {service} の `healthCheckGracePeriodSeconds` を起動時間より長く設定し、ターゲットグループのスロースタートモードも検討してください。",
                "ターゲットグループのヘルスチェック設定 (パス、ポート、成功コード、タイムアウト、非正常のしきい値) を確認してください。`aws elbv2 describe-target-health --target-group-arn <ARN>` で失敗の理由 (`Target.ResponseCodeMismatch`、`Target.Timeout` など) を確認できます。",
                "アプリケーションが `127.0.0.1` ではなく `0.0.0.0` (全インターフェイス) でコンテナポートを待ち受けているか、タスクが動くすべてのアベイラビリティーゾーンでロードバランサーが有効か確認してください。",
            ],
        },
        docs: &[KC_TASK_STOPPED, LB_TROUBLESHOOT_DOC, KC_FARGATE_HEALTH, LB_HEALTHCHECK_DOC],
    },
    Rule {
        id: "task.container-health-check",
        category: Category::HealthCheckContainer,
        severity: Severity::Error,
        when: When { fields: TASK_FIELDS, any: &["failed container health checks"], ..When::NOTHING },
        en: Text {
            title: "Task replaced after failing its container health check",
            explanation: "The `healthCheck` command of an essential container in task definition {task_definition} failed `retries` times in a row, the container was marked UNHEALTHY, and the service {service} replaced the task. ECS only runs health checks defined in the task definition (a Dockerfile `HEALTHCHECK` is ignored), and the command runs inside the container, so every tool it calls must exist in the image.",
            steps: &[
                "Run the health check command yourself inside a running container (`aws ecs execute-command --interactive --command \"/bin/sh\"`, or `docker run` locally) and check that it exits with 0.",
                "Make sure the program it calls is in the image: slim and distroless images often have no `curl` or `wget`, and a missing command exits with 127, which counts as a failed check.",
                "Use `[\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"]` when the command needs a shell (`||`, pipes, variables); with `CMD` the arguments run directly, without a shell.",
                "Give slow starters time: raise `startPeriod` (up to 300 seconds) and review `interval`, `timeout` and `retries`; failures during `startPeriod` do not count towards `retries`.",
                "[service] The service's `healthCheckGracePeriodSeconds` also covers container health checks. Read the container logs from just before it turned UNHEALTHY for errors or stalls.",
            ],
        },
        ja: Text {
            title: "コンテナのヘルスチェック失敗でタスクが置き換えられました",
            explanation: "タスク定義 {task_definition} の必須コンテナの `healthCheck` コマンドが `retries` 回連続で失敗してコンテナが UNHEALTHY になり、サービス {service} がタスクを置き換えました。ECS が実行するのはタスク定義に書かれたヘルスチェックだけで (Dockerfile の `HEALTHCHECK` は使われません)、コマンドはコンテナの中で動くため、呼び出すツールはすべてイメージに含まれている必要があります。",
            steps: &[
                "動いているコンテナの中でヘルスチェックのコマンドを実行し (`aws ecs execute-command --interactive --command \"/bin/sh\"`、またはローカルで `docker run`)、終了コードが 0 になるか確認してください。",
                "呼び出すプログラムがイメージにあるか確認してください。slim や distroless のイメージには `curl` や `wget` がないことが多く、コマンドが見つからないと終了コード 127 となり、チェック失敗として数えられます。",
                "シェルの機能 (`||`、パイプ、変数) が必要なコマンドは `[\"CMD-SHELL\", \"curl -f http://localhost:8080/health || exit 1\"]` の形にしてください。`CMD` の場合、引数はシェルを通さずそのまま実行されます。",
                "起動の遅いアプリケーションには `startPeriod` (最大 300 秒) を長めに設定し、`interval`、`timeout`、`retries` も見直してください。`startPeriod` 中の失敗は `retries` に数えられません。",
                "[service] サービスの `healthCheckGracePeriodSeconds` はコンテナのヘルスチェックにも適用されます。UNHEALTHY になる直前のコンテナログでエラーや処理の停滞を確認してください。",
            ],
        },
        docs: &[KC_CONTAINER_HEALTH, HEALTHCHECK_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "task.eni-provisioning-timeout",
        category: Category::EniProvisioning,
        severity: Severity::Error,
        when: When {
            fields: TASK_FIELDS,
            any: &["timeout waiting for network interface provisioning"],
            ..When::NOTHING
        },
        en: Text {
            title: "Task's network interface was not ready in time",
            explanation: "The task uses awsvpc networking and gets its own elastic network interface (ENI). Attaching that ENI did not finish in time, so ECS gave up and stopped the task before its containers started. A single occurrence is often transient; repeats point at subnets running out of IP addresses, instances running out of ENI slots, or too many tasks starting at once.",
            steps: &[
                "Retry: a service starts a new task by itself; for standalone tasks (RunTask, scheduled tasks, Step Functions) add a retry with backoff.",
                "Check the free IP addresses in the task's subnets {subnet}: `aws ec2 describe-subnets --subnet-ids <id> --query 'Subnets[].AvailableIpAddressCount'`, and spread tasks over more or larger subnets.",
                "[ec2] Each instance type can attach only a few ENIs: turn on `awsvpcTrunking` for the account and use instance types that support it, or run fewer awsvpc tasks per instance.",
                "[ec2] If it happens on one container instance only ({instance}), drain and replace it, and look for ENI attachment errors in `/var/log/ecs/ecs-agent.log`.",
                "Stagger large bursts of task launches, and check the Region's network interface quota in Service Quotas.",
            ],
        },
        ja: Text {
            title: "タスクのネットワークインターフェイスの準備が間に合いませんでした",
            explanation: "このタスクは awsvpc ネットワークを使い、専用の Elastic Network Interface (ENI) を受け取ります。その ENI のアタッチが時間内に終わらなかったため、ECS はコンテナを起動する前にタスクを停止しました。1 回だけなら一時的なことが多いですが、繰り返す場合はサブネットの IP アドレス不足、インスタンスの ENI の空き不足、同時起動数の多さが疑われます。",
            steps: &[
                "再試行してください。サービスは自動で新しいタスクを起動します。スタンドアロンタスク (RunTask、スケジュールされたタスク、Step Functions) にはバックオフ付きの再試行を組み込んでください。",
                "タスクのサブネット {subnet} の空き IP アドレスを `aws ec2 describe-subnets --subnet-ids <ID> --query 'Subnets[].AvailableIpAddressCount'` で確認し、サブネットを増やすか大きくしてタスクを分散してください。",
                "[ec2] インスタンスタイプごとにアタッチできる ENI の数は限られています。アカウントで `awsvpcTrunking` を有効にして対応するインスタンスタイプを使うか、インスタンスあたりの awsvpc タスク数を減らしてください。",
                "[ec2] 特定のコンテナインスタンス ({instance}) だけで起きる場合は、そのインスタンスをドレインして入れ替え、`/var/log/ecs/ecs-agent.log` で ENI のアタッチエラーを確認してください。",
                "大量のタスクを一度に起動しないよう間隔を空け、Service Quotas でリージョンのネットワークインターフェイスのクォータを確認してください。",
            ],
        },
        docs: &[TASK_NETWORKING_DOC, ENI_TRUNKING_DOC, FARGATE_NET_DOC],
    },
    Rule {
        id: "task.spot-interruption",
        category: Category::SpotInterruption,
        severity: Severity::Warning,
        when: When {
            fields: TASK_FIELDS,
            any: &["spot task was interrupted"],
            exact: &["spotinterruption"],
            ..When::NOTHING
        },
        en: Text {
            title: "Fargate Spot reclaimed the task's capacity",
            explanation: "AWS needed the Fargate Spot capacity back. ECS sent the task's containers SIGTERM about two minutes before stopping them. This is normal for Fargate Spot and not a fault of the task; it only hurts when the workload cannot tolerate interruptions or cannot shut down cleanly in time.",
            steps: &[
                "Handle SIGTERM in the application: stop taking new work, finish or checkpoint what is in progress, and exit. Keep `stopTimeout` at 120 seconds or less so the containers exit before the capacity goes away.",
                "[service] Mix `FARGATE` and `FARGATE_SPOT` in the service's capacity provider strategy (e.g. a `base` on `FARGATE`), so one reclaim never takes all tasks at once.",
                "[service] Set the target group's deregistration delay below two minutes, so requests drain before the task stops.",
                "For standalone tasks and jobs, retry interrupted runs automatically (e.g. an EventBridge rule on `stopCode` `SpotInterruption` that resubmits them), or run jobs that must not be interrupted on `FARGATE`.",
            ],
        },
        ja: Text {
            title: "Fargate Spot のキャパシティが回収されました",
            explanation: "AWS が Fargate Spot のキャパシティを回収する必要があったため、ECS はタスクのコンテナを停止する約 2 分前に SIGTERM を送りました。これは Fargate Spot の通常の動作で、タスク側の不具合ではありません。問題になるのは、ワークロードが中断に耐えられない場合や、時間内に正常終了できない場合です。",
            steps: &[
                "アプリケーションで SIGTERM を処理してください。新しい処理の受け付けをやめ、進行中の処理を終えるかチェックポイントを残して終了します。キャパシティがなくなる前に終了できるよう、`stopTimeout` は 120 秒以下にしてください。",
                "[service] サービスのキャパシティプロバイダー戦略で `FARGATE` と `FARGATE_SPOT` を組み合わせ (例: `FARGATE` に `base` を設定)、1 回の回収ですべてのタスクが止まらないようにしてください。",
                "[service] ターゲットグループの登録解除の遅延を 2 分未満にし、タスクが止まる前にリクエストを流し終えられるようにしてください。",
                "スタンドアロンタスクやジョブは、中断された実行を自動で再実行するか (例: `stopCode` が `SpotInterruption` のイベントで再投入する EventBridge ルール)、中断できないジョブは `FARGATE` で実行してください。",
            ],
        },
        docs: &[FARGATE_SPOT_DOC, KC_SPOT_NOTICE],
    },
    Rule {
        id: "task.host-instance-stopped",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: TASK_FIELDS,
            within: &["host ec2 (instance"],
            any: &["stopped", "terminated"],
            ..When::NOTHING
        },
        en: Text {
            title: "The EC2 instance hosting the task was stopped or terminated",
            explanation: "ECS reported {reason}: the container instance under the task went away, and every task on it stopped with it. Common causes are an Auto Scaling scale-in, an EC2 Spot interruption, a failed EC2 health check, or someone stopping the instance.",
            steps: &[
                "Find out what stopped the instance: the Auto Scaling group's activity history, EC2 Spot interruption notices, and CloudTrail `StopInstances` / `TerminateInstances` events.",
                "Use an Auto Scaling group capacity provider with managed termination protection and managed draining, so scale-in does not remove instances that still run tasks.",
                "On EC2 Spot Instances set `ECS_ENABLE_SPOT_INSTANCE_DRAINING=true` in `/etc/ecs/ecs.config`, so tasks are moved off during the two-minute interruption notice.",
                "Standalone tasks are not restarted by ECS: re-run them, or let the scheduler that started them retry.",
            ],
        },
        ja: Text {
            title: "タスクを実行していた EC2 インスタンスが停止または終了しました",
            explanation: "ECS の報告は {reason} です。タスクの下にあったコンテナインスタンスがなくなり、その上のタスクはすべて一緒に停止しました。よくある原因は、Auto Scaling のスケールイン、EC2 スポットインスタンスの中断、EC2 ヘルスチェックの失敗、または誰かによるインスタンスの停止です。",
            steps: &[
                "インスタンスを止めたものを特定してください。Auto Scaling グループのアクティビティ履歴、EC2 スポットの中断通知、CloudTrail の `StopInstances` / `TerminateInstances` イベントを確認します。",
                "マネージド終了保護とマネージドドレインを有効にした Auto Scaling グループのキャパシティプロバイダーを使い、タスクが動いているインスタンスがスケールインで削除されないようにしてください。",
                "EC2 スポットインスタンスでは `/etc/ecs/ecs.config` に `ECS_ENABLE_SPOT_INSTANCE_DRAINING=true` を設定し、2 分前の中断通知の間にタスクを移動させてください。",
                "スタンドアロンタスクは ECS によって再起動されません。再実行するか、タスクを起動したスケジューラーに再試行させてください。",
            ],
        },
        docs: &[DRAINING_DOC, EC2_SPOT_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "task.fargate-maintenance-service",
        category: Category::Infrastructure,
        severity: Severity::Info,
        when: When {
            fields: TASK_FIELDS,
            any: &["performing maintenance on the underlying infrastructure"],
            check: Some(in_service),
            ..When::NOTHING
        },
        en: Text {
            title: "Fargate retired the task for platform maintenance",
            explanation: "AWS stopped this task because the Fargate platform version revision it ran on was retired, or its host needed maintenance. The service {service} starts a replacement by itself, so nothing needs fixing unless the replacement fails or the stop disturbed clients.",
            steps: &[
                "Choose when retirements happen: the account setting `fargateTaskRetirementWaitPeriod` (0, 7 or 14 days), or Amazon EC2 event windows (`fargateEventWindows`) for a maintenance window.",
                "[service] Keep `minimumHealthyPercent` at 100% and handle SIGTERM, so replacements cause no downtime; stopping one task yourself is a good test.",
                "Deploy early with `aws ecs update-service --force-new-deployment` to move to the newest platform revision before the retirement date in the AWS Health notification.",
            ],
        },
        ja: Text {
            title: "プラットフォームのメンテナンスで Fargate のタスクがリタイアされました",
            explanation: "タスクが動いていた Fargate のプラットフォームバージョンのリビジョンがリタイアされたか、ホストのメンテナンスが必要になったため、AWS がこのタスクを停止しました。サービス {service} が自動で代わりのタスクを起動するため、置き換えに失敗した場合やクライアントに影響が出た場合を除き、対応は不要です。",
            steps: &[
                "リタイアの時期を選べます。アカウント設定 `fargateTaskRetirementWaitPeriod` (0、7、14 日) を設定するか、Amazon EC2 イベントウィンドウ (`fargateEventWindows`) でメンテナンスの時間帯を指定してください。",
                "[service] `minimumHealthyPercent` を 100% に保ち、SIGTERM を処理して、置き換えで停止時間が出ないようにしてください。タスクを 1 つ自分で停止してみると確認できます。",
                "AWS Health の通知にあるリタイア日より前に `aws ecs update-service --force-new-deployment` でデプロイし、最新のプラットフォームリビジョンに移してください。",
            ],
        },
        docs: &[MAINTENANCE_DOC, RETIREMENT_DOC],
    },
    Rule {
        id: "task.fargate-maintenance",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: TASK_FIELDS,
            any: &["performing maintenance on the underlying infrastructure"],
            ..When::NOTHING
        },
        en: Text {
            title: "Fargate stopped the task for platform maintenance; it is not replaced",
            explanation: "AWS stopped this task because the Fargate platform version revision it ran on was retired, or its host needed maintenance. A standalone task (RunTask, a scheduled task, Step Functions, AWS Batch) is not replaced, so the work it was doing stopped with it.",
            steps: &[
                "Re-run the task if its work did not finish, and make long jobs resumable or safe to retry.",
                "Handle SIGTERM so a job can checkpoint before it is stopped.",
                "Watch for task retirement notifications in AWS Health (they list the affected tasks and the date) and start replacements before that date.",
                "Choose when retirements happen with `fargateTaskRetirementWaitPeriod` (0, 7 or 14 days) or `fargateEventWindows`.",
            ],
        },
        ja: Text {
            title: "Fargate がメンテナンスのためタスクを停止しました (置き換えなし)",
            explanation: "タスクが動いていた Fargate のプラットフォームバージョンのリビジョンがリタイアされたか、ホストのメンテナンスが必要になったため、AWS がこのタスクを停止しました。スタンドアロンタスク (RunTask、スケジュールされたタスク、Step Functions、AWS Batch) は置き換えられないため、実行中だった処理も止まっています。",
            steps: &[
                "処理が終わっていなければタスクを再実行し、長時間のジョブは途中から再開できるか、安全に再試行できるようにしてください。",
                "停止前にジョブがチェックポイントを残せるよう、SIGTERM を処理してください。",
                "AWS Health のタスクリタイア通知 (対象のタスクと日付が載っています) を確認し、その日付より前に代わりのタスクを起動してください。",
                "`fargateTaskRetirementWaitPeriod` (0、7、14 日) や `fargateEventWindows` でリタイアの時期を選んでください。",
            ],
        },
        docs: &[MAINTENANCE_DOC, RETIREMENT_DOC],
    },
    Rule {
        id: "task.infrastructure-health",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: &[Field::StopCode],
            exact: &["infrastructurehealth"],
            check: Some(no_platform_reason),
            ..When::NOTHING
        },
        en: Text {
            title: "ECS stopped the task because of an infrastructure health problem",
            explanation: "The stop code `InfrastructureHealth` says ECS stopped the task because of a problem on the AWS side, such as an unhealthy host, not because of the task's own containers. AWS has not documented this newer stop code in detail; treat it as a platform event.",
            steps: &[
                "[service] The service replaces the task by itself: check that the replacement reached RUNNING and the service is back to a steady state.",
                "Standalone tasks are not restarted by ECS: re-run the task if its work did not finish.",
                "Look at the AWS Health Dashboard for events in the task's Region and Availability Zone.",
                "If it keeps happening on the same container instance ({instance}) or in one Availability Zone, open an AWS Support case with the task ARN.",
            ],
        },
        ja: Text {
            title: "インフラストラクチャの異常により ECS がタスクを停止しました",
            explanation: "停止コード `InfrastructureHealth` は、タスク自身のコンテナではなく、ホストの異常など AWS 側の問題で ECS がタスクを停止したことを示します。この新しい停止コードは AWS のドキュメントで詳しく説明されていないため、プラットフォーム側のイベントとして扱ってください。",
            steps: &[
                "[service] サービスが自動でタスクを置き換えます。代わりのタスクが RUNNING になり、サービスが安定状態に戻ったか確認してください。",
                "スタンドアロンタスクは ECS によって再起動されません。処理が終わっていなければ再実行してください。",
                "AWS Health Dashboard で、タスクのリージョンとアベイラビリティーゾーンのイベントを確認してください。",
                "同じコンテナインスタンス ({instance}) や特定のアベイラビリティーゾーンで繰り返す場合は、タスクの ARN を添えて AWS サポートに問い合わせてください。",
            ],
        },
        docs: &[STOP_CODE_ENUM_DOC, TASK_API_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "task.termination-notice",
        category: Category::Infrastructure,
        severity: Severity::Warning,
        when: When {
            fields: &[Field::StopCode],
            exact: &["terminationnotice"],
            check: Some(no_platform_reason),
            ..When::NOTHING
        },
        en: Text {
            title: "ECS stopped the task because its capacity is going away",
            explanation: "The stop code `TerminationNotice` means the capacity under the task is being taken away: a Fargate Spot reclaim or the termination of the EC2 instance that hosts the task. ECS sent the containers SIGTERM and stopped the task.",
            steps: &[
                "Check the task's capacity provider: on `FARGATE_SPOT` this is a Spot reclaim; on EC2 look for the instance's termination in the Auto Scaling activity history or CloudTrail (`TerminateInstances`).",
                "Make the application shut down cleanly on SIGTERM within `stopTimeout`.",
                "[service] The service starts a replacement; for standalone tasks add an automatic retry.",
                "[ec2] If the container instances are Spot Instances, set `ECS_ENABLE_SPOT_INSTANCE_DRAINING=true`, so tasks are drained before the instance goes away.",
            ],
        },
        ja: Text {
            title: "キャパシティがなくなるため ECS がタスクを停止しました",
            explanation: "停止コード `TerminationNotice` は、タスクの下のキャパシティが回収されることを示します。Fargate Spot の回収か、タスクを実行している EC2 インスタンスの終了です。ECS はコンテナに SIGTERM を送り、タスクを停止しました。",
            steps: &[
                "タスクのキャパシティプロバイダーを確認してください。`FARGATE_SPOT` なら Spot の回収です。EC2 なら Auto Scaling のアクティビティ履歴や CloudTrail (`TerminateInstances`) でインスタンスの終了を確認してください。",
                "`stopTimeout` 内に SIGTERM で正常終了するようにアプリケーションを作ってください。",
                "[service] サービスは代わりのタスクを起動します。スタンドアロンタスクには自動の再試行を組み込んでください。",
                "[ec2] コンテナインスタンスがスポットインスタンスなら `ECS_ENABLE_SPOT_INSTANCE_DRAINING=true` を設定し、インスタンスがなくなる前にタスクをドレインさせてください。",
            ],
        },
        docs: &[KC_SPOT_NOTICE, FARGATE_SPOT_DOC, EC2_SPOT_DOC],
    },
    Rule {
        id: "task.instance-draining",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When { fields: TASK_FIELDS, any: &["container instance is in draining state"], ..When::NOTHING },
        en: Text {
            title: "Task moved off a draining container instance",
            explanation: "The container instance that ran the task was set to DRAINING (for an AMI update, an Auto Scaling scale-in, a Spot interruption with draining enabled, or by hand), so the service stopped its tasks there and placed replacements elsewhere. This is a planned stop.",
            steps: &[
                "If the draining was not expected, find who set it: CloudTrail `UpdateContainerInstancesState` events, the capacity provider's managed draining, or an Auto Scaling lifecycle hook.",
                "[service] Make sure the cluster has room for the replacements on other instances; otherwise the service runs short of tasks until capacity arrives.",
                "Handle SIGTERM so tasks finish in-flight work when they are moved.",
            ],
        },
        ja: Text {
            title: "ドレイン中のコンテナインスタンスからタスクが移動されました",
            explanation: "タスクを実行していたコンテナインスタンスが DRAINING に設定された (AMI の更新、Auto Scaling のスケールイン、ドレインを有効にしたスポット中断、または手動操作) ため、サービスがそのインスタンス上のタスクを停止し、別の場所に代わりのタスクを配置しました。計画された停止です。",
            steps: &[
                "ドレインが想定外なら、誰が設定したかを確認してください。CloudTrail の `UpdateContainerInstancesState` イベント、キャパシティプロバイダーのマネージドドレイン、Auto Scaling のライフサイクルフックが手がかりです。",
                "[service] 代わりのタスクを置ける余裕が他のインスタンスにあるか確認してください。ないと、キャパシティが増えるまでタスク数が不足します。",
                "移動の際に処理中の作業を終えられるよう、SIGTERM を処理してください。",
            ],
        },
        docs: &[DRAINING_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "task.scaling-activity",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When { fields: TASK_FIELDS, any: &["scaling activity initiated by"], ..When::NOTHING },
        en: Text {
            title: "Task stopped by a deployment or scale-in of the service",
            explanation: "The service scheduler stopped this task as part of its normal work: replacing it during a deployment, or removing it when the desired count went down. This is not a failure.",
            steps: &[
                "Nothing to fix if a deployment or scale-in was expected. If a deployment is failing, look at why the new tasks stop, not at this old one.",
                "Handle SIGTERM and finish shutting down within `stopTimeout`, so in-flight requests complete.",
                "If tasks must not be stopped while busy (long jobs), protect them with task scale-in protection (`UpdateTaskProtection`).",
            ],
        },
        ja: Text {
            title: "サービスのデプロイまたはスケールインでタスクが停止しました",
            explanation: "サービススケジューラーが通常の動作としてこのタスクを停止しました。デプロイ中の置き換えか、必要なタスク数が減ったことによる削除です。障害ではありません。",
            steps: &[
                "デプロイやスケールインが想定どおりなら対応は不要です。デプロイが失敗している場合は、この古いタスクではなく新しいタスクが止まる理由を確認してください。",
                "処理中のリクエストを終えられるよう、SIGTERM を処理して `stopTimeout` 内に終了してください。",
                "処理中に止められては困るタスク (長時間のジョブなど) は、タスクのスケールイン保護 (`UpdateTaskProtection`) で保護してください。",
            ],
        },
        docs: &[DEPLOYMENT_DOC, SCALE_IN_PROTECTION_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "task.user-stopped",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When { fields: TASK_FIELDS, check: Some(user_stop), ..When::NOTHING },
        en: Text {
            title: "Task was stopped on request (StopTask)",
            explanation: "Someone or something called StopTask for this task: a person in the console or CLI, a deployment tool, or a job scheduler. ECS sent the containers SIGTERM and, after `stopTimeout`, SIGKILL. ECS recorded the stop as {reason}.",
            steps: &[
                "If nobody meant to stop it, find the caller: CloudTrail `StopTask` events show the IAM identity and the time.",
                "Pass a meaningful `--reason` to StopTask from scripts and tools, so the next stop explains itself.",
                "Make the application exit cleanly on SIGTERM within `stopTimeout`.",
            ],
        },
        ja: Text {
            title: "要求によりタスクが停止されました (StopTask)",
            explanation: "コンソールや CLI を使った人、デプロイツール、ジョブスケジューラーなどが、このタスクに対して StopTask を呼び出しました。ECS はコンテナに SIGTERM を送り、`stopTimeout` の経過後に SIGKILL を送ります。停止の記録は {reason} です。",
            steps: &[
                "誰も停止するつもりがなかった場合は、CloudTrail の `StopTask` イベントで呼び出した IAM ID と時刻を確認してください。",
                "スクリプトやツールから StopTask を呼ぶときは意味のある `--reason` を渡し、次の停止で理由がわかるようにしてください。",
                "`stopTimeout` 内に SIGTERM で正常終了するようにアプリケーションを作ってください。",
            ],
        },
        docs: &[STOP_TASK_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "task.essential-container-exited",
        category: Category::AppExit,
        severity: Severity::Warning,
        when: When {
            fields: TASK_FIELDS,
            any: &["essential container in task exited"],
            exact: &["essentialcontainerexited"],
            tier: Tier::Generic,
            ..When::NOTHING
        },
        en: Text {
            title: "An essential container exited, so the task stopped",
            explanation: "ECS stops the whole task as soon as any container marked `essential` stops. This task-level reason does not say why the container stopped; the container's exit code and reason do.",
            steps: &[
                "Within an hour of the stop, run `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg} --query 'tasks[].containers[].[name,exitCode,reason]'` to see each container's exit code and reason.",
                "Read the container logs (CloudWatch Logs for the awslogs driver) for the last lines before the exit.",
                "Exit code 137 usually means out of memory or a forced kill, 1 an application error, 127 a missing command: `ecs-doctor explain --text \"exit code <n>\"` explains a code.",
                "If the essential container exited with 0, its main process simply finished: a service needs a process that keeps running in the foreground.",
            ],
        },
        ja: Text {
            title: "必須コンテナが終了したためタスクが停止しました",
            explanation: "`essential` に指定されたコンテナが 1 つでも止まると、ECS はタスク全体を停止します。このタスク単位の理由だけではコンテナが止まった原因はわからず、コンテナの終了コードと理由に答えがあります。",
            steps: &[
                "停止から 1 時間以内に `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg} --query 'tasks[].containers[].[name,exitCode,reason]'` を実行し、各コンテナの終了コードと理由を確認してください。",
                "終了直前のコンテナログ (awslogs ドライバーなら CloudWatch Logs) を確認してください。",
                "終了コード 137 はたいていメモリ不足か強制終了、1 はアプリケーションのエラー、127 はコマンドが見つからないことを示します。`ecs-doctor explain --text \"exit code <n>\"` で各コードの説明を確認できます。",
                "必須コンテナが終了コード 0 で終わった場合は、メインプロセスが単に終了しています。サービスにはフォアグラウンドで動き続けるプロセスが必要です。",
            ],
        },
        docs: &[KC_TASK_STOPPED, STOPPED_TASK_CONSOLE],
    },
    Rule {
        id: "task.failed-to-start",
        category: Category::Unknown,
        severity: Severity::Error,
        when: When {
            fields: TASK_FIELDS,
            any: &["task failed to start"],
            exact: &["taskfailedtostart"],
            none: &["circuit breaker"],
            tier: Tier::Generic,
            ..When::NOTHING
        },
        en: Text {
            title: "Task failed to start",
            explanation: "ECS could not bring the task to RUNNING, and the task-level reason gives no detail. The cause is usually in a container's `reason` (image pull, secrets, log driver, volumes) or in the task's network setup.",
            steps: &[
                "Within an hour of the stop, run `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg}` and read every container's `reason`; `ecs-doctor explain --text \"<reason>\"` explains it.",
                "Read the service's recent events (`aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[].events[:10]'`) for placement or network messages.",
                "Check the usual start-up causes: the network path to the registry and to Secrets Manager or SSM, the task execution role, the log group, and EFS mounts.",
            ],
        },
        ja: Text {
            title: "タスクの起動に失敗しました",
            explanation: "ECS はタスクを RUNNING にできませんでしたが、タスク単位の理由には詳細がありません。原因はたいてい各コンテナの `reason` (イメージのプル、シークレット、ログドライバー、ボリューム) か、タスクのネットワーク設定にあります。",
            steps: &[
                "停止から 1 時間以内に `aws ecs describe-tasks --cluster {cluster_arg} --tasks {task_arg}` を実行して各コンテナの `reason` を確認し、`ecs-doctor explain --text \"<理由>\"` で内容を調べてください。",
                "サービスの最近のイベント (`aws ecs describe-services --cluster {cluster_arg} --services {service_arg} --query 'services[].events[:10]'`) で、配置やネットワークに関するメッセージを確認してください。",
                "起動時によくある原因を確認してください。レジストリや Secrets Manager / SSM へのネットワーク経路、タスク実行ロール、ロググループ、EFS のマウントです。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS, STOPPED_TASK_CONSOLE],
    },
    Rule {
        id: "task.scheduler-stopped",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When { fields: TASK_FIELDS, check: Some(scheduler_stop), tier: Tier::Generic, ..When::NOTHING },
        en: Text {
            title: "The service scheduler stopped the task",
            explanation: "The stop code `ServiceSchedulerInitiated` means the service scheduler stopped the task itself: during a deployment or scale-in, to replace an unhealthy task, or to move it off draining or retired capacity.",
            steps: &[
                "Compare the time of the stop with the service's events and deployments (`aws ecs describe-services`); a health-check replacement shows up there as an unhealthy target or a failed health check.",
                "If tasks are replaced again and again, look at why the replacements fail rather than at this stop.",
                "Handle SIGTERM within `stopTimeout`, so these stops are clean.",
            ],
        },
        ja: Text {
            title: "サービススケジューラーがタスクを停止しました",
            explanation: "停止コード `ServiceSchedulerInitiated` は、サービススケジューラー自身がタスクを停止したことを示します。デプロイやスケールインのほか、異常なタスクの置き換えや、ドレイン中・リタイア対象のキャパシティからの移動でも使われます。",
            steps: &[
                "停止の時刻をサービスのイベントやデプロイと照らし合わせてください (`aws ecs describe-services`)。ヘルスチェックによる置き換えなら、異常なターゲットやヘルスチェック失敗のイベントが残っています。",
                "置き換えが繰り返される場合は、この停止ではなく、代わりのタスクが失敗する理由を確認してください。",
                "停止が正常に終わるよう、`stopTimeout` 内に SIGTERM を処理してください。",
            ],
        },
        docs: &[DEPLOYMENT_DOC, KC_TASK_STOPPED],
    },
];
