//! Container exit codes, read when a container's `reason` explained nothing more specific.
//!
//! The same code means different things depending on who stopped the task: 137 after a
//! deployment's SIGTERM is a slow shutdown, 137 out of the blue is usually the OOM killer. So
//! the rules look at the stop code, the stop reason and the task's other containers.

use super::task::stopped_by_ecs;
use super::{
    in_service, no_exit_code, other_nonzero_exit, other_signal_exit, Category, Rule, Severity, Text, When,
    STOPPED_TASK_CONSOLE, STOPPED_TASK_ERRORS,
};
use crate::diagnose::signal::ReasonQuestion;
use crate::diagnose::{Field, Signal, Tier};

const EXIT: &[Field] = &[Field::ExitCode];

/// Exit codes a container gets when it is stopped from outside (SIGKILL, SIGTERM).
const STOPPED_CODES: &[i64] = &[137, 143];

/// Task-level reasons that say nothing about why the containers stopped.
const GENERIC_REASONS: &[&str] = &["essential container in task exited", "task failed to start"];

const KC_TASK_STOPPED: &str = "https://repost.aws/knowledge-center/ecs-task-stopped";
const BASH_EXIT_DOC: &str = "https://www.gnu.org/software/bash/manual/html_node/Exit-Status.html";
const TASK_DEF_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html";
const MEMORY_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_memory";
const OOM_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/out-of-memory.html";
const GRACEFUL_DOC: &str = "https://aws.amazon.com/blogs/containers/graceful-shutdowns-with-ecs/";
const AGENT_CONFIG_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html";
const STOP_TASK_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html";
const AWSLOGS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html";

// ---- Checks over the task around an exit code. ----

/// Another container of the task stopped on its own first (a non-zero exit that is not a
/// SIGKILL/SIGTERM, or a container reason), so ECS was tearing this one down with the task.
///
/// Exit 0 of a sibling does not count: init containers (`dependsOn` … `SUCCESS`) exit 0 long
/// before the task ends, and must not turn a real OOM kill of the main container into "stopped".
fn sibling_failed_first(s: &Signal) -> bool {
    let (Some(task), Some(me)) = (s.incident.task.as_ref(), s.container) else {
        return false;
    };
    task.containers.iter().filter(|c| c.name != me.name).any(|c| {
        c.exit_code
            .is_some_and(|code| code != 0 && !STOPPED_CODES.contains(&code))
            || c.reason.as_deref().is_some_and(|r| !r.trim().is_empty())
    })
}

/// The container was stopped from outside: by ECS (StopTask, scheduler, Spot, platform) or
/// because another essential container ended the task.
fn torn_down(s: &Signal) -> bool {
    stopped_by_ecs(s) || sibling_failed_first(s)
}

/// A service's container finished by itself: nothing asked the task to stop, and no other
/// container failed first (a sidecar that exits 0 on the teardown SIGTERM is not the problem).
fn service_exit_unrequested(s: &Signal) -> bool {
    in_service(s) && !torn_down(s)
}

/// A non-zero exit while ECS was stopping the task: how the program reacted to SIGTERM.
fn nonzero_during_stop(s: &Signal) -> bool {
    other_nonzero_exit(s) && stopped_by_ecs(s)
}

/// No exit code, nobody stopped the task, no other container ran, and the task-level reason
/// names no cause: the container never started and this is the only place to say so.
fn never_ran(s: &Signal) -> bool {
    if !no_exit_code(s) || stopped_by_ecs(s) {
        return false;
    }
    if s.incident.task.is_none() {
        return false;
    }
    // This container has no exit code, so any container that has one is another one.
    let others_ran = s.shared.containers_with_exit_code > 0;
    let shared = s.shared;
    let generic_reason =
        shared.stopped_reason.is_empty() || shared.stopped_reason_has(ReasonQuestion::Generic, GENERIC_REASONS);
    !others_ran && generic_reason
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "exit.0-service-finished",
        category: Category::AppExit,
        severity: Severity::Warning,
        when: When {
            fields: EXIT,
            exit_codes: &[0],
            check: Some(service_exit_unrequested),
            tier: Tier::ExitCode,
            ..When::NOTHING
        },
        en: Text {
            title: "Service container {container} finished by itself (exit code 0)",
            explanation: "Container {container} of service {service} exited with code 0: its main process ended without an error, and nothing asked the task to stop. A service expects its tasks to keep running, so it starts a new task, which usually ends the same way. Typical causes are a one-shot command, a server started in the background, or a start script that returns.",
            steps: &[
                "Run the main process in the foreground and keep it running: e.g. `nginx -g 'daemon off;'`, no trailing `&` in start scripts, and `exec` the server on the script's last line.",
                "Check that task definition {task_definition} runs the intended command: a `command` override or a base image's `CMD` may start something that finishes at once.",
                "If this container is meant to finish (an init or migration step), set `essential: false` and let the other containers wait for it with `dependsOn` condition `SUCCESS`.",
                "If the whole job is meant to run once, run it as a standalone or scheduled task instead of a service.",
            ],
        },
        ja: Text {
            title: "サービスのコンテナ {container} が自ら終了しました (終了コード 0)",
            explanation: "サービス {service} のコンテナ {container} が終了コード 0 で終わりました。停止の要求がないのに、メインプロセスがエラーなく終了しています。サービスはタスクが動き続けることを前提にしているため新しいタスクを起動しますが、たいてい同じように終了します。よくある原因は、1 回で終わるコマンド、バックグラウンドで起動されたサーバー、途中で戻ってしまう起動スクリプトです。",
            steps: &[
                "メインプロセスをフォアグラウンドで動かし続けてください。例: `nginx -g 'daemon off;'` を使う、起動スクリプトの末尾に `&` を付けない、スクリプトの最後の行でサーバーを `exec` する。",
                "タスク定義 {task_definition} が意図したコマンドを実行しているか確認してください。`command` の上書きやベースイメージの `CMD` が、すぐ終わる処理を起動していることがあります。",
                "終了することが前提のコンテナ (初期化やマイグレーション) なら `essential: false` にし、他のコンテナは `dependsOn` の条件 `SUCCESS` で待たせてください。",
                "処理全体が 1 回だけ実行するものなら、サービスではなくスタンドアロンタスクやスケジュールされたタスクとして実行してください。",
            ],
        },
        docs: &[KC_TASK_STOPPED, TASK_DEF_DOC],
    },
    Rule {
        id: "exit.0-completed",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When { fields: EXIT, exit_codes: &[0], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} completed successfully (exit code 0)",
            explanation: "Container {container} exited with code 0: its main process finished without an error, or shut down cleanly when ECS asked it to stop. For a standalone task or a job this is a normal completion.",
            steps: &[
                "No action is needed if the task was meant to finish or was being stopped.",
                "If the container should still be running, find out in its logs why the main process returned.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} は正常に完了しました (終了コード 0)",
            explanation: "コンテナ {container} が終了コード 0 で終わりました。メインプロセスがエラーなく完了したか、ECS の停止要求を受けて正常に終了しています。スタンドアロンタスクやジョブであれば通常の完了です。",
            steps: &[
                "タスクが終了する前提のもの、または停止中だったものなら対応は不要です。",
                "まだ動いているはずのコンテナなら、メインプロセスが終了した理由をログで確認してください。",
            ],
        },
        docs: &[KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.137-stop-timeout",
        category: Category::AppExit,
        severity: Severity::Info,
        when: When {
            fields: EXIT,
            exit_codes: &[137],
            check: Some(torn_down),
            tier: Tier::ExitCode,
            ..When::NOTHING
        },
        en: Text {
            title: "Container {container} ignored SIGTERM and was killed after the stop timeout (exit code 137)",
            explanation: "ECS was stopping this task (a deployment, scale-in, health-check replacement, StopTask, a Spot or platform stop, or another essential container exiting) and sent {container} SIGTERM. The container was still running when its stop timeout ran out, so it was killed with SIGKILL and its shutdown work (finishing requests, flushing buffers) was cut off.",
            steps: &[
                "Make sure SIGTERM reaches the application: use the exec form `ENTRYPOINT [\"/app\"]` rather than the shell form `ENTRYPOINT /app` (which runs under `/bin/sh -c`), and end wrapper scripts with `exec \"$@\"`, so the application runs as PID 1.",
                "Or turn on `linuxParameters.initProcessEnabled` in the container definition, so a small init process forwards signals to the application and reaps child processes.",
                "Handle SIGTERM in the application: stop accepting new work, finish or hand back what is in progress, and exit.",
                "If a clean shutdown needs more time, raise `stopTimeout` in the container definition (30 seconds by default, at most 120 seconds on Fargate).",
                "[ec2] A container without `stopTimeout` uses the agent's `ECS_CONTAINER_STOP_TIMEOUT` from `/etc/ecs/ecs.config` (30 seconds unless set).",
            ],
        },
        ja: Text {
            title: "コンテナ {container} が SIGTERM で止まらず強制終了されました (終了コード 137)",
            explanation: "ECS がこのタスクを停止する途中 (デプロイ、スケールイン、ヘルスチェックによる置き換え、StopTask、Spot やプラットフォームによる停止、または別の必須コンテナの終了) で、{container} に SIGTERM を送りました。停止のタイムアウトが過ぎてもコンテナが動いていたため SIGKILL で強制終了され、終了処理 (処理中のリクエストの完了やバッファの書き出し) が途中で打ち切られました。",
            steps: &[
                "SIGTERM がアプリケーションに届くようにしてください。`/bin/sh -c` 経由で動くシェル形式の `ENTRYPOINT /app` ではなく exec 形式の `ENTRYPOINT [\"/app\"]` を使い、ラッパースクリプトの最後は `exec \"$@\"` にして、アプリケーションを PID 1 で動かします。",
                "または、コンテナ定義で `linuxParameters.initProcessEnabled` を有効にしてください。小さな init プロセスがシグナルをアプリケーションに転送し、子プロセスを回収します。",
                "アプリケーションで SIGTERM を処理してください。新しい処理の受け付けをやめ、進行中の処理を終えるか戻してから終了します。",
                "正常終了にもっと時間が必要なら、コンテナ定義の `stopTimeout` を延ばしてください (デフォルト 30 秒、Fargate では最大 120 秒)。",
                "[ec2] `stopTimeout` のないコンテナには `/etc/ecs/ecs.config` のエージェント設定 `ECS_CONTAINER_STOP_TIMEOUT` (未設定なら 30 秒) が使われます。",
            ],
        },
        docs: &[GRACEFUL_DOC, TASK_DEF_DOC, AGENT_CONFIG_DOC, STOP_TASK_DOC],
    },
    Rule {
        id: "exit.137-oom-suspected",
        category: Category::OutOfMemory,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[137], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} was killed with SIGKILL (exit code 137), most likely out of memory",
            explanation: "Exit code 137 means the process was killed with SIGKILL (128 + 9). Nothing asked ECS to stop the task, so the usual culprit is the kernel's out-of-memory killer: the container used more memory than its limit {memory}. ECS attached no `OutOfMemoryError` reason to this container, so this is inferred from the exit code alone.",
            steps: &[
                "Look for `OutOfMemoryError: Container killed due to memory usage` in the container's `reason` and the task's `stoppedReason`, and at the memory metrics (Container Insights `MemoryUtilized`) just before the stop.",
                "Compare the container's peak memory with its hard limit (`memory` in the container definition) and the task's `memory`; raise the limit or reduce the usage.",
                "For runtimes with their own heap setting, size the heap below the container limit and leave room for native memory (e.g. JVM `-XX:MaxRAMPercentage=75`, Node.js `--max-old-space-size`).",
                "[ec2] Check the host too: the kernel log (`dmesg`) of the container instance {instance} shows `Killed process` lines from the OOM killer, and a container without a hard `memory` limit can be killed when the whole host runs short.",
                "If memory looks fine, something else sent SIGKILL: a `kill -9` inside the container, or a watchdog or supervisor in the image.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がメモリ不足の疑いで強制終了されました (SIGKILL、終了コード 137)",
            explanation: "終了コード 137 は、プロセスが SIGKILL (128 + 9) で強制終了されたことを示します。タスクの停止は要求されていないため、最も多い原因はカーネルの OOM キラーです。コンテナが上限の {memory} を超えてメモリを使いました。このコンテナに `OutOfMemoryError` の理由は付いていないため、この判断は終了コードからの推定です。",
            steps: &[
                "コンテナの `reason` とタスクの `stoppedReason` に `OutOfMemoryError: Container killed due to memory usage` がないか、停止直前のメモリメトリクス (Container Insights の `MemoryUtilized`) とあわせて確認してください。",
                "コンテナのメモリ使用量のピークを、ハードリミット (コンテナ定義の `memory`) とタスクの `memory` と比べ、上限を上げるか使用量を減らしてください。",
                "独自のヒープ設定を持つランタイムは、ヒープをコンテナの上限より小さくし、ネイティブメモリの余裕を残してください (例: JVM の `-XX:MaxRAMPercentage=75`、Node.js の `--max-old-space-size`)。",
                "[ec2] ホストも確認してください。コンテナインスタンス {instance} のカーネルログ (`dmesg`) に OOM キラーの `Killed process` が残ります。ハードリミットの `memory` がないコンテナは、ホスト全体のメモリが不足したときに強制終了されることがあります。",
                "メモリに問題がなければ、他の何かが SIGKILL を送っています。コンテナ内の `kill -9` や、イメージに含まれるウォッチドッグやスーパーバイザーを確認してください。",
            ],
        },
        docs: &[OOM_DOC, MEMORY_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.143-stopped",
        category: Category::ExpectedStop,
        severity: Severity::Info,
        when: When {
            fields: EXIT,
            exit_codes: &[143],
            check: Some(torn_down),
            tier: Tier::ExitCode,
            ..When::NOTHING
        },
        en: Text {
            title: "Container {container} stopped on SIGTERM while the task was being stopped (exit code 143)",
            explanation: "Exit code 143 means the process ended because of SIGTERM (128 + 15). ECS sends SIGTERM when it stops a task (a deployment, scale-in, health-check replacement, StopTask, a Spot or platform stop, or another essential container exiting), so this is the expected way for a container to stop.",
            steps: &[
                "Nothing to fix in this container: look at why the task was stopped (the other findings, or the task's `stoppedReason`).",
                "To exit with 0 instead, catch SIGTERM in the application and exit after a clean shutdown.",
            ],
        },
        ja: Text {
            title: "タスクの停止中にコンテナ {container} が SIGTERM で終了しました (終了コード 143)",
            explanation: "終了コード 143 は、プロセスが SIGTERM (128 + 15) で終了したことを示します。ECS はタスクを停止するとき (デプロイ、スケールイン、ヘルスチェックによる置き換え、StopTask、Spot やプラットフォームによる停止、別の必須コンテナの終了) に SIGTERM を送るため、これはコンテナの想定どおりの止まり方です。",
            steps: &[
                "このコンテナに直すところはありません。タスクが停止された理由 (他の検出結果やタスクの `stoppedReason`) を確認してください。",
                "終了コードを 0 にしたい場合は、アプリケーションで SIGTERM を受け取り、終了処理をしてから終了してください。",
            ],
        },
        docs: &[STOP_TASK_DOC, GRACEFUL_DOC],
    },
    Rule {
        id: "exit.143-unexpected-sigterm",
        category: Category::AppExit,
        severity: Severity::Warning,
        when: When { fields: EXIT, exit_codes: &[143], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} was ended by SIGTERM (exit code 143) without a stop request",
            explanation: "Exit code 143 means the process ended because of SIGTERM (128 + 15), but nothing asked ECS to stop this task. Something else sent the signal: a process inside the container (a supervisor, a wrapper script, a watchdog, or the application stopping itself), or a stop from the host.",
            steps: &[
                "Read the container logs just before the stop for a shutdown message and what triggered it.",
                "Check wrapper scripts and process managers in the image for `kill` calls or timeouts that end the main process.",
                "If another container of the task exited first, this container was stopped together with the task: look at that container's exit code.",
                "[ec2] Check whether someone ran `docker stop`, or restarted Docker or the ECS agent, on the container instance {instance} at that time.",
            ],
        },
        ja: Text {
            title: "停止の要求がないのにコンテナ {container} が SIGTERM で終了しました (終了コード 143)",
            explanation: "終了コード 143 はプロセスが SIGTERM (128 + 15) で終了したことを示しますが、このタスクの停止は要求されていません。別の何かがシグナルを送っています。コンテナ内のプロセス (スーパーバイザー、ラッパースクリプト、ウォッチドッグ、アプリケーション自身) か、ホスト側からの停止です。",
            steps: &[
                "停止直前のコンテナログで、終了のメッセージとそのきっかけを確認してください。",
                "イメージ内のラッパースクリプトやプロセスマネージャーに、メインプロセスを終わらせる `kill` やタイムアウトがないか確認してください。",
                "タスク内の別のコンテナが先に終了していた場合、このコンテナはタスクと一緒に止められています。そのコンテナの終了コードを確認してください。",
                "[ec2] その時刻にコンテナインスタンス {instance} で `docker stop` が実行されたり、Docker や ECS エージェントが再起動されたりしていないか確認してください。",
            ],
        },
        docs: &[KC_TASK_STOPPED, GRACEFUL_DOC],
    },
    Rule {
        id: "exit.nonzero-during-stop",
        category: Category::AppExit,
        severity: Severity::Info,
        when: When { fields: EXIT, check: Some(nonzero_during_stop), tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with code {exit_code} while ECS was stopping the task",
            explanation: "ECS was stopping this task (a deployment, scale-in, health-check replacement, StopTask, or a Spot or platform stop) when container {container} exited with code {exit_code}. The code shows how the program reacted to being stopped, not why the task stopped: many programs exit non-zero when interrupted.",
            steps: &[
                "Look first at why the task was stopped (the other findings, or the task's `stoppedReason`).",
                "If errors during shutdown matter (lost work, half-written files), handle SIGTERM and exit with 0 after a clean shutdown.",
                "Read the container's last log lines for errors raised while shutting down.",
            ],
        },
        ja: Text {
            title: "ECS がタスクを停止する途中でコンテナ {container} が終了コード {exit_code} で終了しました",
            explanation: "ECS がこのタスクを停止する途中 (デプロイ、スケールイン、ヘルスチェックによる置き換え、StopTask、Spot やプラットフォームによる停止) で、コンテナ {container} が終了コード {exit_code} で終了しました。このコードは停止されたときのプログラムの反応を示すもので、タスクが止まった理由ではありません。中断されると 0 以外で終了するプログラムはよくあります。",
            steps: &[
                "まずタスクが停止された理由 (他の検出結果やタスクの `stoppedReason`) を確認してください。",
                "終了時のエラーが問題になる場合 (処理の消失、書きかけのファイルなど) は、SIGTERM を処理し、終了処理のあとに 0 で終了してください。",
                "コンテナの最後のログで、終了処理中に出たエラーを確認してください。",
            ],
        },
        docs: &[GRACEFUL_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.1-application-error",
        category: Category::AppExit,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[1], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with an application error (exit code 1)",
            explanation: "Exit code 1 is the generic failure code: the application stopped itself because of an error, such as an unhandled exception, a failed start-up check, a missing or wrong configuration value, or a dependency (database, API) it could not reach. Only the container's own logs say which.",
            steps: &[
                "Read the last log lines before the exit: `aws logs tail <log-group> --since 1h` for the awslogs driver, or the task's Logs tab in the console.",
                "If there are no logs, add a log configuration (awslogs or FireLens) to task definition {task_definition}; without one the output is lost.",
                "Compare environment variables, secrets and the command with the last revision of the task definition that worked.",
                "Check that the services the application needs at start-up are reachable from the task's subnets and security groups.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がアプリケーションのエラーで終了しました (終了コード 1)",
            explanation: "終了コード 1 は汎用の失敗コードで、アプリケーションがエラーのため自ら終了したことを示します。未処理の例外、起動時のチェックの失敗、設定値の不足や誤り、接続できない依存先 (データベース、API) などが原因です。どれに当たるかはコンテナ自身のログでしかわかりません。",
            steps: &[
                "終了直前のログを確認してください。awslogs ドライバーなら `aws logs tail <ロググループ> --since 1h`、またはコンソールのタスクの [ログ] タブで見られます。",
                "ログがない場合は、タスク定義 {task_definition} にログ設定 (awslogs または FireLens) を追加してください。設定がないと出力は失われます。",
                "環境変数、シークレット、コマンドを、正常に動いていた最後のタスク定義のリビジョンと比べてください。",
                "アプリケーションが起動時に必要とするサービスに、タスクのサブネットとセキュリティグループから到達できるか確認してください。",
            ],
        },
        docs: &[KC_TASK_STOPPED, AWSLOGS_DOC],
    },
    Rule {
        id: "exit.2-usage-error",
        category: Category::ContainerCommand,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[2], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with code 2: misused command or bad arguments",
            explanation: "Shells exit with code 2 for a misused builtin or a syntax error in a script, and many command-line programs use it for invalid options or arguments. The container's command, its arguments or its entrypoint script is most likely wrong.",
            steps: &[
                "Check `command` and `entryPoint` in task definition {task_definition}, and any `containerOverrides` passed to RunTask, for typos, wrong flags and quoting (each argument is its own array element).",
                "Run the image locally with the same command and arguments to see the usage message.",
                "Check the entrypoint script for syntax errors (`sh -n script.sh`) and for bash-only syntax running under `/bin/sh`.",
                "Read the container logs: usage errors are usually printed just before the exit.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} が終了コード 2 で終了しました (コマンドの誤用または引数の誤り)",
            explanation: "シェルはビルトインの誤用やスクリプトの構文エラーで終了コード 2 を返し、多くのコマンドラインプログラムも不正なオプションや引数に 2 を使います。コンテナのコマンド、引数、エントリポイントスクリプトのいずれかが誤っている可能性が高いです。",
            steps: &[
                "タスク定義 {task_definition} の `command` と `entryPoint`、RunTask に渡した `containerOverrides` に、綴りの誤り、誤ったフラグ、クォートの問題がないか確認してください (引数は 1 つずつ配列の要素にします)。",
                "同じコマンドと引数でイメージをローカル実行し、使い方のメッセージを確認してください。",
                "エントリポイントスクリプトに構文エラー (`sh -n script.sh`) や、`/bin/sh` で動く bash 専用の構文がないか確認してください。",
                "コンテナログを確認してください。使い方のエラーはたいてい終了直前に出力されています。",
            ],
        },
        docs: &[BASH_EXIT_DOC, TASK_DEF_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.126-not-executable",
        category: Category::ContainerCommand,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[126], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with code 126: the command could not be executed",
            explanation: "Exit code 126 means the command was found but could not be run: the file is not executable, is a directory, or is not a program this container can start (for example a script with Windows line endings, or a binary built for another CPU architecture).",
            steps: &[
                "Make the entrypoint and scripts executable in the image (`RUN chmod +x /entrypoint.sh` or `COPY --chmod=755`), and check that the path in `command` / `entryPoint` is a file, not a directory.",
                "Check the script's first line (`#!/bin/sh`) and its line endings: a script saved with CRLF line endings, or naming an interpreter the image lacks, cannot be run.",
                "Check that the image's architecture matches the task's `runtimePlatform.cpuArchitecture`; `exec format error` in the logs means it does not.",
                "Check that the container's user (`user` in the task definition, `USER` in the Dockerfile) may execute the file, and that it is not on a `noexec` mount.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} が終了コード 126 で終了しました (コマンドを実行できません)",
            explanation: "終了コード 126 は、コマンドは見つかったものの実行できなかったことを示します。ファイルに実行権限がない、ディレクトリである、またはこのコンテナで起動できないプログラムである (Windows の改行コードのスクリプトや、別の CPU アーキテクチャ向けのバイナリなど) 場合です。",
            steps: &[
                "イメージ内でエントリポイントやスクリプトに実行権限を付け (`RUN chmod +x /entrypoint.sh` または `COPY --chmod=755`)、`command` / `entryPoint` のパスがディレクトリではなくファイルを指しているか確認してください。",
                "スクリプトの 1 行目 (`#!/bin/sh`) と改行コードを確認してください。CRLF の改行で保存されたスクリプトや、イメージにないインタープリターを指定したスクリプトは実行できません。",
                "イメージのアーキテクチャがタスクの `runtimePlatform.cpuArchitecture` と一致しているか確認してください。ログに `exec format error` があれば一致していません。",
                "コンテナのユーザー (タスク定義の `user`、Dockerfile の `USER`) がファイルを実行できるか、`noexec` のマウント上にないか確認してください。",
            ],
        },
        docs: &[BASH_EXIT_DOC, TASK_DEF_DOC],
    },
    Rule {
        id: "exit.127-command-not-found",
        category: Category::ContainerCommand,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[127], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with code 127: command not found",
            explanation: "Exit code 127 means a shell could not find the command it was told to run: the program is missing from the image, is not on `PATH`, or its name is misspelt in the command or in the entrypoint script.",
            steps: &[
                "Check `command` and `entryPoint` of task definition {task_definition} against the image: `docker run --rm --entrypoint sh {image_arg} -c 'command -v <name>'` shows whether the program exists in image {image}.",
                "Slim, Alpine and distroless images leave out many tools (`bash`, `curl`, …): install what the scripts call, or call what the image has.",
                "Use absolute paths or set `PATH` for the container, and in multi-stage builds check that the program was copied into the final stage.",
                "Read the container logs: the shell prints `<name>: not found` just before the exit.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} が終了コード 127 で終了しました (コマンドが見つかりません)",
            explanation: "終了コード 127 は、実行するよう指示されたコマンドをシェルが見つけられなかったことを示します。プログラムがイメージにない、`PATH` が通っていない、またはコマンドやエントリポイントスクリプトで名前を誤っている場合です。",
            steps: &[
                "タスク定義 {task_definition} の `command` と `entryPoint` をイメージの中身と照らし合わせてください。イメージ {image} にプログラムがあるかは `docker run --rm --entrypoint sh {image_arg} -c 'command -v <名前>'` で確認できます。",
                "slim、Alpine、distroless のイメージには多くのツール (`bash`、`curl` など) が含まれていません。スクリプトが呼ぶものをインストールするか、イメージにあるものを使ってください。",
                "絶対パスを使うかコンテナの `PATH` を設定し、マルチステージビルドではプログラムが最終ステージにコピーされているか確認してください。",
                "コンテナログを確認してください。終了直前にシェルが `<名前>: not found` を出力しています。",
            ],
        },
        docs: &[BASH_EXIT_DOC, TASK_DEF_DOC],
    },
    Rule {
        id: "exit.139-segfault",
        category: Category::AppExit,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[139], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} crashed with a segmentation fault (exit code 139)",
            explanation: "Exit code 139 means the process was killed by SIGSEGV (128 + 11) after touching memory it should not. This is a crash in native code: the language runtime, a native library or extension, or a binary built against a different C library (e.g. glibc binaries on Alpine's musl).",
            steps: &[
                "Read the last log lines for a stack trace or the name of the crashing library; turn on the runtime's crash reporting (e.g. Python `faulthandler`, JVM `hs_err` files) to capture more.",
                "Check that native dependencies were built for the image's base (glibc or musl) and CPU architecture; rebuild them in the same base image.",
                "Compare with the last image that worked: an upgraded base image, runtime or native extension is the usual trigger.",
                "Rule out memory pressure: compare the container's memory use with its limit {memory}.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がセグメンテーション違反でクラッシュしました (終了コード 139)",
            explanation: "終了コード 139 は、プロセスが触れてはいけないメモリにアクセスし、SIGSEGV (128 + 11) で強制終了されたことを示します。ネイティブコードのクラッシュで、言語ランタイム、ネイティブライブラリや拡張、または別の C ライブラリ向けにビルドされたバイナリ (例: Alpine の musl 上の glibc バイナリ) が原因です。",
            steps: &[
                "最後のログでスタックトレースやクラッシュしたライブラリ名を確認し、ランタイムのクラッシュレポート (Python の `faulthandler`、JVM の `hs_err` ファイルなど) を有効にして詳細を残してください。",
                "ネイティブの依存関係がイメージのベース (glibc か musl か) と CPU アーキテクチャ向けにビルドされているか確認し、同じベースイメージの中でビルドし直してください。",
                "正常に動いていた最後のイメージと比べてください。ベースイメージ、ランタイム、ネイティブ拡張の更新がよくあるきっかけです。",
                "メモリ不足の可能性も除外するため、コンテナのメモリ使用量を上限の {memory} と比べてください。",
            ],
        },
        docs: &[KC_TASK_STOPPED, BASH_EXIT_DOC],
    },
    Rule {
        id: "exit.255-out-of-range",
        category: Category::AppExit,
        severity: Severity::Error,
        when: When { fields: EXIT, exit_codes: &[255], tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with code 255",
            explanation: "Exit code 255 usually means the program exited with -1 (exit codes wrap around modulo 256) or reported a fatal error with the highest code available. Some tools use it for their own failures, so the meaning depends on the program.",
            steps: &[
                "Read the container logs for the last lines before the exit.",
                "Search the application and its entrypoint script for `exit(-1)`, `exit 255` or fatal-error paths that return it.",
                "Compare the configuration and command with the last revision of task definition {task_definition} that worked.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} が終了コード 255 で終了しました",
            explanation: "終了コード 255 は、たいていプログラムが -1 で終了した (終了コードは 256 で割った余りになります) か、使える最大のコードで致命的なエラーを報告したことを示します。独自の失敗に 255 を使うツールもあるため、意味はプログラムによって異なります。",
            steps: &[
                "終了直前のコンテナログを確認してください。",
                "アプリケーションとエントリポイントスクリプトで、`exit(-1)` や `exit 255`、255 を返す致命的エラーの処理を探してください。",
                "設定とコマンドを、正常に動いていた最後のタスク定義 {task_definition} のリビジョンと比べてください。",
            ],
        },
        docs: &[BASH_EXIT_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.killed-by-signal",
        category: Category::AppExit,
        severity: Severity::Error,
        when: When { fields: EXIT, check: Some(other_signal_exit), tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} was killed by signal {signal} (exit code {exit_code})",
            explanation: "Exit codes above 128 mean the process was ended by a signal, numbered exit code minus 128: here {signal}. SIGABRT (134) usually comes from the program aborting itself (a failed assertion, a runtime panic, a corrupted heap); SIGINT (130) and SIGHUP (129) usually come from another process or a wrapper script; SIGBUS and SIGILL point at native crashes or a binary for the wrong CPU.",
            steps: &[
                "Read the last log lines before the exit for an abort message, a panic or a stack trace.",
                "Find out who sent the signal: wrapper scripts, process managers, or the application itself.",
                "For native crashes, check native libraries against the image's base and the task's CPU architecture.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がシグナル {signal} で終了しました (終了コード {exit_code})",
            explanation: "128 を超える終了コードは、プロセスがシグナルで終了したことを示し、終了コードから 128 を引いた値がシグナルの番号です (ここでは {signal})。SIGABRT (134) はたいていプログラム自身の中断 (アサーションの失敗、ランタイムのパニック、ヒープの破損)、SIGINT (130) と SIGHUP (129) は別のプロセスやラッパースクリプトから、SIGBUS と SIGILL はネイティブコードのクラッシュや CPU に合わないバイナリが原因です。",
            steps: &[
                "終了直前のログで、中断のメッセージ、パニック、スタックトレースを確認してください。",
                "誰がシグナルを送ったかを確認してください。ラッパースクリプト、プロセスマネージャー、アプリケーション自身が候補です。",
                "ネイティブコードのクラッシュなら、ネイティブライブラリがイメージのベースとタスクの CPU アーキテクチャに合っているか確認してください。",
            ],
        },
        docs: &[BASH_EXIT_DOC, KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.nonzero",
        category: Category::AppExit,
        severity: Severity::Error,
        when: When { fields: EXIT, check: Some(other_nonzero_exit), tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} exited with error code {exit_code}",
            explanation: "Container {container} ended with exit code {exit_code}. This code has no standard meaning: the application or its entrypoint script chose it, so its documentation and logs say what it means.",
            steps: &[
                "Read the container logs for the last lines before the exit.",
                "Search the application and its entrypoint script for this exit code.",
                "Compare with the last revision of task definition {task_definition} and the last image that worked.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} がエラーコード {exit_code} で終了しました",
            explanation: "コンテナ {container} が終了コード {exit_code} で終わりました。このコードに標準の意味はなく、アプリケーションかエントリポイントスクリプトが決めたものです。意味はそのドキュメントとログで確認してください。",
            steps: &[
                "終了直前のコンテナログを確認してください。",
                "アプリケーションとエントリポイントスクリプトで、この終了コードを返している箇所を探してください。",
                "正常に動いていた最後のタスク定義 {task_definition} のリビジョンやイメージと比べてください。",
            ],
        },
        docs: &[KC_TASK_STOPPED],
    },
    Rule {
        id: "exit.none-never-ran",
        category: Category::ContainerRuntime,
        severity: Severity::Error,
        when: When { fields: EXIT, check: Some(never_ran), tier: Tier::ExitCode, ..When::NOTHING },
        en: Text {
            title: "Container {container} never started (no exit code)",
            explanation: "Container {container} has no exit code, which means it never ran: the task stopped before the container was started. Usually pulling the image, fetching secrets, setting up logging or volumes, or a container it depends on failed first.",
            steps: &[
                "Within an hour of the stop, read every container's `reason` and the task's `stoppedReason` with `aws ecs describe-tasks`; the first failure is usually named there.",
                "Check whether the image pull finished (`pullStartedAt` / `pullStoppedAt` of the task) and whether the task execution role may pull the image and read the task's secrets.",
                "If this container waits for another one (`dependsOn`), check that container's exit code and health: a failed dependency leaves the containers after it unstarted.",
                "Read the service's recent events for placement or network errors.",
            ],
        },
        ja: Text {
            title: "コンテナ {container} は起動されませんでした (終了コードなし)",
            explanation: "コンテナ {container} には終了コードがありません。コンテナが起動される前にタスクが停止しており、一度も実行されていません。多くの場合、イメージのプル、シークレットの取得、ログやボリュームの準備、または依存先のコンテナが先に失敗しています。",
            steps: &[
                "停止から 1 時間以内に `aws ecs describe-tasks` で各コンテナの `reason` とタスクの `stoppedReason` を確認してください。最初の失敗はたいていそこに書かれています。",
                "イメージのプルが終わっているか (タスクの `pullStartedAt` / `pullStoppedAt`)、タスク実行ロールがイメージをプルしタスクのシークレットを読み取れるか確認してください。",
                "このコンテナが別のコンテナを待っている (`dependsOn`) 場合は、そのコンテナの終了コードとヘルス状態を確認してください。依存先が失敗すると、後に続くコンテナは起動されません。",
                "サービスの最近のイベントで、配置やネットワークのエラーを確認してください。",
            ],
        },
        docs: &[STOPPED_TASK_ERRORS, STOPPED_TASK_CONSOLE, KC_TASK_STOPPED],
    },
];

#[cfg(test)]
mod tests {
    use crate::diagnose::{diagnose, Lang};
    use crate::fixture::Case;
    use crate::incident::{Container, Incident};

    /// A service task whose containers stopped with these exit codes and reasons.
    fn task_with(containers: &[(&str, Option<i64>, Option<&str>)]) -> Incident {
        let mut incident = Case::Exit {
            code: None,
            stop_code: "EssentialContainerExited",
            service: true,
        }
        .incident();
        if let Some(task) = incident.task.as_mut() {
            task.containers = containers
                .iter()
                .map(|(name, code, reason)| Container {
                    name: (*name).into(),
                    exit_code: *code,
                    reason: reason.map(str::to_string),
                    last_status: Some("STOPPED".into()),
                    ..Container::default()
                })
                .collect();
        }
        incident
    }

    fn rule_for(incident: &Incident, container: &str) -> Option<&'static str> {
        diagnose(incident, Lang::En)
            .findings
            .iter()
            .find(|f| f.evidence.container.as_deref() == Some(container))
            .map(|f| f.rule_id)
    }

    #[test]
    fn sidecar_killed_after_the_app_failed_is_not_an_oom() {
        let incident = task_with(&[("app", Some(1), None), ("envoy", Some(137), None)]);
        assert_eq!(rule_for(&incident, "envoy"), Some("exit.137-stop-timeout"));
        assert_eq!(
            diagnose(&incident, Lang::En).primary().rule_id,
            "exit.1-application-error"
        );
    }

    #[test]
    fn sidecar_exiting_zero_after_the_app_failed_is_not_a_finding() {
        let incident = task_with(&[("envoy", Some(0), None), ("api", Some(1), None)]);
        let d = diagnose(&incident, Lang::En);
        let ids: Vec<_> = d.findings.iter().map(|f| f.rule_id).collect();
        assert_eq!(ids, ["exit.1-application-error"]);
    }

    #[test]
    fn init_container_that_exited_zero_does_not_hide_an_oom() {
        let incident = task_with(&[("migrate", Some(0), None), ("app", Some(137), None)]);
        assert_eq!(rule_for(&incident, "app"), Some("exit.137-oom-suspected"));
        assert_eq!(
            diagnose(&incident, Lang::En).primary().rule_id,
            "exit.137-oom-suspected"
        );
    }

    #[test]
    fn sidecar_sigterm_after_the_app_crashed_is_expected() {
        let incident = task_with(&[("app", Some(139), None), ("log-router", Some(143), None)]);
        let d = diagnose(&incident, Lang::En);
        assert_eq!(d.primary().rule_id, "exit.139-segfault");
        // The expected stop of the sidecar is pruned beside the real failure.
        assert!(d.findings.iter().all(|f| f.rule_id != "exit.143-unexpected-sigterm"));
    }

    #[test]
    fn unstarted_dependant_is_not_blamed_when_another_container_ran() {
        let incident = task_with(&[("init", Some(1), None), ("app", None, None)]);
        assert_eq!(rule_for(&incident, "app"), None);
        assert_eq!(
            diagnose(&incident, Lang::En).primary().rule_id,
            "exit.1-application-error"
        );
    }

    #[test]
    fn oom_text_names_the_memory_limit() {
        let incident = Case::Exit {
            code: Some(137),
            stop_code: "EssentialContainerExited",
            service: true,
        }
        .incident();
        let d = diagnose(&incident, Lang::En);
        assert!(
            d.primary().explanation.contains("1024 MiB"),
            "{}",
            d.primary().explanation
        );
        assert!(d.primary().title.contains("`app`"), "{}", d.primary().title);
    }
}
