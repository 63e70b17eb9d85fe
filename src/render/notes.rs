//! The incident's notes in words, one template per note ([`Tr`], both languages), filled from
//! the note's fields.

use crate::diagnose::{Lang, Tr};
use crate::incident::{Note, Part};
use crate::util::time::iso8601_from_epoch;

const INPUT_CUT: Tr = Tr {
    en: "The input was cut before diagnosis: {texts} text(s) longer than {max_text_bytes} bytes and {lists} list(s) longer than {max_list_items} items were shortened.",
    ja: "診断の前に入力を切り詰めました: {max_text_bytes} バイトを超えるテキスト {texts} 件と、{max_list_items} 項目を超えるリスト {lists} 件を短くしました。",
};
const NO_CLUSTER: Tr = Tr {
    en: "Not enriched: the event names no cluster.",
    ja: "強化なし: イベントにクラスターの名前がありません。",
};
const MEMBER_ROLE_UNAVAILABLE: Tr = Tr {
    en: "Not enriched: the role {role} in this account could not be assumed, so the diagnosis uses the event alone. Deploy member/template.yaml in this account (or let the role trust this function's role).",
    ja: "強化なし: このアカウントのロール {role} を引き受けられなかったため、イベントの内容だけで診断しています。このアカウントに member/template.yaml をデプロイしてください (またはロールがこの関数のロールを信頼するようにしてください)。",
};
const DESCRIBE_TASKS_FAILURES: Tr = Tr {
    en: "ecs:DescribeTasks returned {reasons} for this task; the diagnosis uses the event alone.",
    ja: "ecs:DescribeTasks はこのタスクについて {reasons} を返しました。イベントの内容だけで診断しています。",
};
const DESCRIBE_TASKS_FAILED: Tr = Tr {
    en: "Enrichment with ecs:DescribeTasks failed: {error}. The diagnosis uses the event alone.",
    ja: "ecs:DescribeTasks による強化に失敗しました: {error}。イベントの内容だけで診断しています。",
};
const TASK_DEFINITION_UNREADABLE: Tr = Tr {
    en: "Could not read task definition {name}: {error}.",
    ja: "タスク定義 {name} を読み取れませんでした: {error}。",
};
const LOG_CONFIGURATION_UNKNOWN: Tr = Tr {
    en: "No log tail: the task definition (and so the log configuration) could not be read.",
    ja: "ログの末尾なし: タスク定義 (つまりログ設定) を読み取れませんでした。",
};
const LOG_STREAM_UNKNOWN: Tr = Tr {
    en: "No log tail for `{container}`: its awslogs configuration has no group or no stream prefix, so the stream name is unknown.",
    ja: "`{container}` のログの末尾なし: awslogs の設定にグループかストリームプレフィックスがないため、ストリーム名がわかりません。",
};
const LOGS_IN_OTHER_REGION: Tr = Tr {
    en: "No log tail for `{container}`: its logs are in {region}, another Region (group {group}).",
    ja: "`{container}` のログの末尾なし: ログは別のリージョン {region} にあります (グループ {group})。",
};
const LOG_STREAM_EMPTY: Tr = Tr {
    en: "The log stream {group} {stream} of `{container}` is empty.",
    ja: "`{container}` のログストリーム {group} {stream} は空です。",
};
const LOG_TAIL_FAILED: Tr = Tr {
    en: "Could not read the log tail of `{container}` ({group} {stream}): {error}.",
    ja: "`{container}` のログの末尾を読み取れませんでした ({group} {stream}): {error}。",
};
const OTHER_LOG_DRIVER: Tr = Tr {
    en: "Logs of `{container}` went to the `{driver}` log driver; ecs-doctor reads only awslogs, so look for them there.",
    ja: "`{container}` のログは `{driver}` ログドライバーに送られました。ecs-doctor が読むのは awslogs だけなので、そちらを確認してください。",
};
const NO_LOG_CONFIGURATION: Tr = Tr {
    en: "Container `{container}` has no log configuration: what it printed before it stopped was not kept.",
    ja: "コンテナ `{container}` にはログ設定がありません。停止する前に出力した内容は残っていません。",
};
const HELD_BACK: Tr = Tr {
    en: "{count} more failure(s) of the same kind ({rule_id}) since {since} were not sent separately.",
    ja: "{since} 以降、同じ種類 ({rule_id}) の失敗があと {count} 件ありましたが、個別には送信していません。",
};
const TOPIC_REFUSED: Tr = Tr {
    en: "The {tag} tag names {arn}, which this deployment may not publish to (ALLOWED_TOPIC_ARNS); sent to the main topic instead.",
    ja: "{tag} タグの {arn} はこのデプロイでは送信が許可されていない (ALLOWED_TOPIC_ARNS) ため、メインのトピックに送信しました。",
};
const DEPLOYMENT_TASKS_UNREAD: Tr = Tr {
    en: "The stopped tasks of deployment {deployment} could not be read ({why}), so the cause below is the circuit breaker's own. ECS keeps stopped tasks for about an hour.",
    ja: "デプロイ {deployment} の停止タスクを読み取れませんでした ({why})。そのため以下はサーキットブレーカー自身の原因です。ECS は停止タスクを約 1 時間しか保持しません。",
};

/// The note in `lang`.
pub fn note_text(note: &Note, lang: Lang) -> String {
    match note {
        Note::InputCut {
            texts,
            lists,
            max_text_bytes,
            max_list_items,
        } => INPUT_CUT.fill(
            lang,
            &[
                ("texts", &texts.to_string()),
                ("lists", &lists.to_string()),
                ("max_text_bytes", &max_text_bytes.to_string()),
                ("max_list_items", &max_list_items.to_string()),
            ],
        ),
        Note::NoCluster => NO_CLUSTER.fill(lang, &[]),
        Note::MemberRoleUnavailable { role } => MEMBER_ROLE_UNAVAILABLE.fill(lang, &[("role", role)]),
        Note::DescribeTasksFailures { reasons } => {
            DESCRIBE_TASKS_FAILURES.fill(lang, &[("reasons", &reasons.join(", "))])
        }
        Note::DescribeTasksFailed { error } => DESCRIBE_TASKS_FAILED.fill(lang, &[("error", error)]),
        Note::TaskDefinitionUnreadable { name, error } => {
            TASK_DEFINITION_UNREADABLE.fill(lang, &[("name", name), ("error", error)])
        }
        Note::LogConfigurationUnknown => LOG_CONFIGURATION_UNKNOWN.fill(lang, &[]),
        Note::LogStreamUnknown { container } => LOG_STREAM_UNKNOWN.fill(lang, &[("container", container)]),
        Note::LogsInOtherRegion {
            container,
            region,
            group,
        } => LOGS_IN_OTHER_REGION.fill(lang, &[("container", container), ("region", region), ("group", group)]),
        Note::LogStreamEmpty {
            container,
            group,
            stream,
        } => LOG_STREAM_EMPTY.fill(lang, &[("container", container), ("group", group), ("stream", stream)]),
        Note::LogTailFailed {
            container,
            group,
            stream,
            error,
        } => LOG_TAIL_FAILED.fill(
            lang,
            &[
                ("container", container),
                ("group", group),
                ("stream", stream),
                ("error", error),
            ],
        ),
        Note::OtherLogDriver { container, driver } => {
            OTHER_LOG_DRIVER.fill(lang, &[("container", container), ("driver", driver)])
        }
        Note::NoLogConfiguration { container } => NO_LOG_CONFIGURATION.fill(lang, &[("container", container)]),
        Note::HeldBack { count, rule_id, since } => HELD_BACK.fill(
            lang,
            &[
                ("count", &count.to_string()),
                ("rule_id", rule_id),
                ("since", &iso8601_from_epoch(*since as f64)),
            ],
        ),
        Note::TopicRefused { tag, arn } => TOPIC_REFUSED.fill(lang, &[("tag", tag), ("arn", arn)]),
        Note::DeploymentTasksUnread { deployment, why } => {
            DEPLOYMENT_TASKS_UNREAD.fill(lang, &[("deployment", deployment), ("why", why)])
        }
        Note::DeploymentRecordCause { deployment, status } => {
            DEPLOYMENT_RECORD_CAUSE.fill(lang, &[("deployment", deployment), ("status", status)])
        }
        Note::OutOfTime { part } => OUT_OF_TIME.fill(lang, &[("part", part_name(*part).text(lang))]),
    }
}

const DEPLOYMENT_RECORD_CAUSE: Tr = Tr {
    en: "No task of this deployment stopped: the cause is the service deployment's own record ({deployment}, {status}), read with ecs:DescribeServiceDeployments.",
    ja: "このデプロイで停止したタスクはありません。原因はサービスデプロイ自身の記録 ({deployment}、{status}) で、ecs:DescribeServiceDeployments で読み取りました。",
};

const OUT_OF_TIME: Tr = Tr {
    en: "Skipped, out of time: {part}. The invocation's time budget ran out, so this message goes out without it.",
    ja:
        "時間切れのため省略: {part}。呼び出しの制限時間を使い切ったため、このメッセージはそれを含めずに送信しています。",
};

fn part_name(part: Part) -> Tr {
    match part {
        Part::Reads => Tr {
            en: "reading the task, its task definition and logs from the account",
            ja: "アカウントからのタスク、タスク定義、ログの読み取り",
        },
        Part::Thread => Tr {
            en: "the incident thread",
            ja: "インシデントのスレッド",
        },
        Part::Deduplication => Tr {
            en: "deduplication and storm control",
            ja: "重複排除とストーム制御",
        },
        Part::Checks => Tr {
            en: "the checks against the account",
            ja: "アカウントに対する確認",
        },
    }
}

/// Every note of the incident, in `lang`.
pub fn note_texts(notes: &[Note], lang: Lang) -> Vec<String> {
    notes.iter().map(|n| note_text(n, lang)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_reads_in_both_languages_with_nothing_left_unfilled() {
        let s = || "x".to_string();
        let notes = [
            Note::InputCut {
                texts: 1,
                lists: 2,
                max_text_bytes: 3,
                max_list_items: 4,
            },
            Note::NoCluster,
            Note::MemberRoleUnavailable { role: s() },
            Note::DescribeTasksFailures {
                reasons: vec![s(), s()],
            },
            Note::DescribeTasksFailed { error: s() },
            Note::TaskDefinitionUnreadable { name: s(), error: s() },
            Note::LogConfigurationUnknown,
            Note::LogStreamUnknown { container: s() },
            Note::LogsInOtherRegion {
                container: s(),
                region: s(),
                group: s(),
            },
            Note::LogStreamEmpty {
                container: s(),
                group: s(),
                stream: s(),
            },
            Note::LogTailFailed {
                container: s(),
                group: s(),
                stream: s(),
                error: s(),
            },
            Note::OtherLogDriver {
                container: s(),
                driver: s(),
            },
            Note::NoLogConfiguration { container: s() },
            Note::HeldBack {
                count: 3,
                rule_id: s(),
                since: 0,
            },
            Note::TopicRefused { tag: s(), arn: s() },
            Note::DeploymentTasksUnread {
                deployment: s(),
                why: s(),
            },
            Note::DeploymentRecordCause {
                deployment: s(),
                status: s(),
            },
            Note::OutOfTime { part: Part::Reads },
            Note::OutOfTime { part: Part::Thread },
            Note::OutOfTime {
                part: Part::Deduplication,
            },
            Note::OutOfTime { part: Part::Checks },
        ];
        for note in &notes {
            for lang in [Lang::En, Lang::Ja] {
                let text = note_text(note, lang);
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{note:?} in {lang:?}: {text}"
                );
            }
        }
    }

    #[test]
    fn values_are_inserted_not_read_as_templates() {
        let text = TASK_DEFINITION_UNREADABLE.fill(Lang::En, &[("name", "web:3"), ("error", "bad {name} {\"a\":1}")]);
        assert_eq!(text, "Could not read task definition web:3: bad {name} {\"a\":1}.");
    }
}
