//! `replay`'s terminal text: each message as a few indented lines, and the counts. Every
//! sentence is a [`Tr`] in both languages.

use super::{quoted, Action, Entry, Origin, Summary, Verdict};
use crate::diagnose::{Lang, Tr};

const EVENTBRIDGE: Tr = Tr {
    en: "EventBridge could not deliver it (rule {rule}, {retries} retries): {why}",
    ja: "EventBridge が配信できなかったイベント (ルール {rule}、再試行 {retries} 回): {why}",
};
const DESTINATION: Tr = Tr {
    en: "the function failed on it (request {request}, {condition}): {why}",
    ja: "関数の処理が失敗したイベント (リクエスト {request}、{condition}): {why}",
};
const FUNCTION_DLQ: Tr = Tr {
    en: "the function failed on it (request {request}, function DLQ): {why}",
    ja: "関数の処理が失敗したイベント (リクエスト {request}、関数の DLQ): {why}",
};
const UNKNOWN_SENDER: Tr = Tr {
    en: "no failure details (unknown sender)",
    ja: "失敗の詳細なし (送信元不明)",
};
const MESSAGE: Tr = Tr {
    en: "[{index}] message {id}",
    ja: "[{index}] メッセージ {id}",
};
const ORIGIN: Tr = Tr {
    en: "    origin: {origin}",
    ja: "    経緯: {origin}",
};
const DIAGNOSIS: Tr = Tr {
    en: "    diagnosis: {summary}",
    ja: "    診断: {summary}",
};
const NOTHING_TO_DIAGNOSE: Tr = Tr {
    en: "    nothing to diagnose: {reason}",
    ja: "    診断対象なし: {reason}",
};
const UNDECODABLE: Tr = Tr {
    en: "    cannot be decoded: {reason}",
    ja: "    読み取れません: {reason}",
};
const PUBLISHED: Tr = Tr {
    en: "    published: {rule_id} (SNS message id {message_id})",
    ja: "    発行済み: {rule_id} (SNS メッセージ ID {message_id})",
};
const SKIPPED: Tr = Tr {
    en: "    skipped: {reason}",
    ja: "    発行せず: {reason}",
};
const FAILED_AGAIN: Tr = Tr {
    en: "    failed again: {error}",
    ja: "    再び失敗: {error}",
};
const DELETED: Tr = Tr {
    en: "    deleted from the queue",
    ja: "    キューから削除しました",
};
const KEPT: Tr = Tr {
    en: "    kept in the queue",
    ja: "    キューに残しました",
};
const QUEUE_ERROR: Tr = Tr {
    en: "    queue error: {error}",
    ja: "    キュー操作の失敗: {error}",
};
const COUNTS: Tr = Tr {
    en: "{messages} message(s): {diagnosed} diagnosed, {nothing} with nothing to diagnose, {undecodable} cannot be decoded",
    ja: "メッセージ {messages} 件: 診断 {diagnosed} 件、診断対象なし {nothing} 件、読み取れない {undecodable} 件",
};
const PUBLISH_COUNTS: Tr = Tr {
    en: "; published {published}, skipped {skipped}, failed again {failed}",
    ja: "。発行 {published} 件、発行せず {skipped} 件、再び失敗 {failed} 件",
};
const QUEUE_COUNTS: Tr = Tr {
    en: "; deleted {deleted}, kept {kept}.",
    ja: "。削除 {deleted} 件、残した {kept} 件。",
};

/// Where the message came from and why it failed, in a line.
fn origin_text(origin: &Origin, lang: Lang) -> String {
    let why = |code: &Option<String>, message: &Option<String>| match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c.clone(),
        (None, Some(m)) => m.clone(),
        (None, None) => "-".into(),
    };
    let or_dash = |v: &Option<String>| v.as_deref().unwrap_or("-").to_string();
    match origin {
        Origin::EventBridge {
            rule_arn,
            error_code,
            error_message,
            retry_attempts,
            ..
        } => EVENTBRIDGE.fill(
            lang,
            &[
                ("rule", &or_dash(rule_arn)),
                ("retries", &or_dash(retry_attempts)),
                ("why", &why(error_code, error_message)),
            ],
        ),
        Origin::LambdaDestination {
            request_id,
            condition,
            error_type,
            error_message,
            ..
        } => DESTINATION.fill(
            lang,
            &[
                ("request", &or_dash(request_id)),
                ("condition", &or_dash(condition)),
                ("why", &why(error_type, error_message)),
            ],
        ),
        Origin::LambdaDlq {
            request_id,
            error_code,
            error_message,
        } => FUNCTION_DLQ.fill(
            lang,
            &[
                ("request", &or_dash(request_id)),
                ("why", &why(error_code, error_message)),
            ],
        ),
        Origin::Unknown => UNKNOWN_SENDER.fill(lang, &[]),
    }
}

/// One message, as a few indented lines.
pub fn entry_text(index: usize, entry: &Entry, lang: Lang) -> String {
    let mut lines = vec![
        MESSAGE.fill(
            lang,
            &[("index", &index.to_string()), ("id", &quoted(&entry.message_id))],
        ),
        ORIGIN.fill(lang, &[("origin", &origin_text(&entry.origin, lang))]),
    ];
    match &entry.verdict {
        Verdict::Diagnosed(summaries) => {
            lines.extend(summaries.iter().map(|s| DIAGNOSIS.fill(lang, &[("summary", s)])));
        }
        Verdict::NothingToDiagnose(reason) => {
            lines.push(NOTHING_TO_DIAGNOSE.fill(lang, &[("reason", &quoted(reason))]))
        }
        Verdict::Undecodable(reason) => lines.push(UNDECODABLE.fill(lang, &[("reason", &quoted(reason))])),
    }
    match &entry.action {
        Some(Action::Published { message_id, rule_id }) => {
            lines.push(PUBLISHED.fill(lang, &[("rule_id", rule_id), ("message_id", message_id)]))
        }
        Some(Action::Skipped { reason }) => lines.push(SKIPPED.fill(lang, &[("reason", &quoted(reason))])),
        Some(Action::Failed { error }) => lines.push(FAILED_AGAIN.fill(lang, &[("error", &quoted(error))])),
        None => {}
    }
    lines.push(if entry.deleted { DELETED } else { KEPT }.fill(lang, &[]));
    if let Some(err) = &entry.queue_error {
        lines.push(QUEUE_ERROR.fill(lang, &[("error", &quoted(err))]));
    }
    lines.join("\n")
}

/// The counts of a run, in a line.
pub fn summary_text(s: &Summary, publish: bool, lang: Lang) -> String {
    let n = |v: usize| v.to_string();
    let mut out = COUNTS.fill(
        lang,
        &[
            ("messages", &n(s.messages)),
            ("diagnosed", &n(s.diagnosed)),
            ("nothing", &n(s.nothing_to_diagnose)),
            ("undecodable", &n(s.undecodable)),
        ],
    );
    if publish {
        out.push_str(&PUBLISH_COUNTS.fill(
            lang,
            &[
                ("published", &n(s.published)),
                ("skipped", &n(s.skipped)),
                ("failed", &n(s.failed)),
            ],
        ));
    }
    out.push_str(&QUEUE_COUNTS.fill(lang, &[("deleted", &n(s.deleted)), ("kept", &n(s.kept))]));
    out
}
