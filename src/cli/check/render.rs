//! A gate's result as text (a terminal, a CI log), Markdown (a pull request, a step summary),
//! GitHub Actions workflow commands, and JSON. Pure functions of the [`Gate`].
//!
//! Every line carries a word ("ok", "problem", "not checked") besides its glyph: a log without
//! colour or a screen reader still says which is which.

use serde_json::{json, Value};

use super::{Gate, Outcome};
use crate::diagnose::{Lang, Tr};
use crate::verify::Check;

/// The widest word, so the ids line up in text output.
fn word_width(lang: Lang) -> usize {
    [Outcome::Ok, Outcome::Problem, Outcome::NotChecked]
        .iter()
        .map(|o| display_width(o.word(lang)))
        .max()
        .unwrap_or(0)
}

/// Terminal columns: CJK characters take two.
fn display_width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn pad(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(display_width(text));
    format!("{text}{}", " ".repeat(fill))
}

fn headline(gate: &Gate) -> String {
    match gate.lang {
        Lang::En => format!(
            "ecs-doctor check: task definition {} ({} container{})",
            gate.subject,
            gate.containers,
            if gate.containers == 1 { "" } else { "s" }
        ),
        Lang::Ja => format!(
            "ecs-doctor check: タスク定義 {} (コンテナ {} 個)",
            gate.subject, gate.containers
        ),
    }
}

/// `Result: 12 ok, 1 problem, 2 not checked — do not deploy.`
pub fn summary_line(gate: &Gate) -> String {
    let c = gate.counts();
    let strict_note = gate.strict && c.not_checked > 0 && c.problem == 0;
    match gate.lang {
        Lang::En => {
            let verdict = if gate.passed() {
                "ready to deploy"
            } else if strict_note {
                "not all checks ran (--strict)"
            } else {
                "fix the problems before deploying"
            };
            format!(
                "Result: {} ok, {} problem{}, {} not checked: {verdict}.",
                c.ok,
                c.problem,
                if c.problem == 1 { "" } else { "s" },
                c.not_checked
            )
        }
        Lang::Ja => {
            let verdict = if gate.passed() {
                "デプロイできます"
            } else if strict_note {
                "確認できなかった項目があります (--strict)"
            } else {
                "デプロイ前に問題を直してください"
            };
            format!(
                "結果: 問題なし {} 件、問題あり {} 件、未確認 {} 件。{verdict}。",
                c.ok, c.problem, c.not_checked
            )
        }
    }
}

fn fix_word(lang: Lang) -> &'static str {
    Tr {
        en: "fix", ja: "対処"
    }
    .text(lang)
}

/// One line per check: glyph, word, id, the summary with its facts; a problem's fix below it.
pub fn text(gate: &Gate) -> String {
    let width = word_width(gate.lang);
    let id_width = gate.checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = headline(gate);
    out.push_str("\n\n");
    for check in &gate.checks {
        let outcome = Outcome::of(check.status);
        out.push_str(&format!(
            "{} {}  {:<id_width$}  {}\n",
            outcome.glyph(),
            pad(outcome.word(gate.lang), width),
            check.id,
            check.line()
        ));
        if let (Outcome::Problem, Some(step)) = (outcome, &check.lead_step) {
            out.push_str(&format!(
                "  {}  {:<id_width$}  → {}: {step}\n",
                " ".repeat(width),
                "",
                fix_word(gate.lang)
            ));
        }
    }
    out.push('\n');
    out.push_str(&summary_line(gate));
    out.push('\n');
    out
}

/// Markdown cells: no line breaks, no column breaks.
fn cell(text: &str) -> String {
    text.replace('\r', "").replace('\n', " ").replace('|', "\\|")
}

/// A table for a pull request comment or `$GITHUB_STEP_SUMMARY`.
pub fn markdown(gate: &Gate) -> String {
    let (result, check, detail) = match gate.lang {
        Lang::En => ("Result", "Check", "Details"),
        Lang::Ja => ("結果", "チェック", "詳細"),
    };
    let mut out = format!(
        "### {}\n\n| {result} | {check} | {detail} |\n| --- | --- | --- |\n",
        cell(&headline(gate))
    );
    for c in &gate.checks {
        let outcome = Outcome::of(c.status);
        let mut details = cell(&c.line());
        if let (Outcome::Problem, Some(step)) = (outcome, &c.lead_step) {
            details.push_str(&format!("<br>**{}:** {}", fix_word(gate.lang), cell(step)));
        }
        out.push_str(&format!(
            "| {} {} | `{}` | {details} |\n",
            outcome.glyph(),
            outcome.word(gate.lang),
            c.id
        ));
    }
    out.push_str(&format!("\n**{}**\n", cell(&summary_line(gate))));
    out
}

/// Workflow command data: `%`, CR and LF escaped.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow command property: also `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions: an `::error` annotation per problem, a `::warning` per check that could not
/// run, and the text lines in between for the log.
pub fn github(gate: &Gate) -> String {
    let mut out = String::new();
    for c in &gate.checks {
        let outcome = Outcome::of(c.status);
        let level = match outcome {
            Outcome::Problem => "error",
            Outcome::NotChecked => "warning",
            Outcome::Ok => {
                out.push_str(&format!(
                    "{} {}  {}  {}\n",
                    outcome.glyph(),
                    outcome.word(gate.lang),
                    c.id,
                    c.line()
                ));
                continue;
            }
        };
        let mut message = format!("{} {}: {}", outcome.glyph(), outcome.word(gate.lang), c.line());
        if let (Outcome::Problem, Some(step)) = (outcome, &c.lead_step) {
            message.push_str(&format!("\n{}: {step}", fix_word(gate.lang)));
        }
        out.push_str(&format!(
            "::{level} title={}::{}\n",
            escape_property(&format!("ecs-doctor check {} ({})", c.id, gate.subject)),
            escape_data(&message)
        ));
    }
    let level = if gate.passed() { "notice" } else { "error" };
    out.push_str(&format!(
        "::{level} title={}::{}\n",
        escape_property(&format!("ecs-doctor check ({})", gate.subject)),
        escape_data(&summary_line(gate))
    ));
    out
}

fn check_json(c: &Check) -> Value {
    let outcome = Outcome::of(c.status);
    let mut v = json!({
        "id": c.id,
        "status": outcome.as_str(),
        "summary": c.summary,
        "facts": c.facts.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect::<serde_json::Map<_, _>>(),
    });
    if let (Outcome::Problem, Some(step), Some(obj)) = (outcome, &c.lead_step, v.as_object_mut()) {
        obj.insert("fix".into(), Value::String(step.clone()));
    }
    v
}

/// `{"taskDefinition", "passed", "strict", "counts", "checks": [{id, status, summary, facts, fix?}]}`.
pub fn json(gate: &Gate) -> Value {
    json!({
        "taskDefinition": gate.subject,
        "containers": gate.containers,
        "passed": gate.passed(),
        "strict": gate.strict,
        "exitCode": gate.exit_code(),
        "counts": gate.counts(),
        "checks": gate.checks.iter().map(check_json).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::TaskDefinition;

    fn gate(lang: Lang) -> Gate {
        let d = TaskDefinition {
            family: Some("web".into()),
            revision: Some(3),
            ..TaskDefinition::default()
        };
        Gate::new(
            &d,
            vec![
                Check::absent("logs.log-group", "Log group `/ecs/web` exists.").fact("region", "us-east-1"),
                Check::found("ecr.image-tag", "Tag `2` does not exist, 100% sure:\nreally.")
                    .lead("Push tag `2`.")
                    .fact("tag", "2"),
                Check::new(
                    "iam.execution-role-ecr",
                    crate::verify::CheckStatus::NotChecked,
                    "Could not simulate | pipes.",
                ),
            ],
            lang,
            false,
        )
    }

    #[test]
    fn text_puts_a_word_beside_every_glyph() {
        let out = text(&gate(Lang::En));
        assert!(out.contains("✔ ok "), "{out}");
        assert!(out.contains("✘ problem "), "{out}");
        assert!(out.contains("? not checked "), "{out}");
        assert!(out.contains("→ fix: Push tag `2`."), "{out}");
        assert!(out.contains("Result: 1 ok, 1 problem, 1 not checked"), "{out}");
        let ja = text(&gate(Lang::Ja));
        assert!(ja.contains("✘ 問題あり"), "{ja}");
        assert!(ja.contains("結果: 問題なし 1 件"), "{ja}");
    }

    #[test]
    fn github_escapes_annotations() {
        let out = github(&gate(Lang::En));
        let error = out
            .lines()
            .find(|l| l.starts_with("::error title=ecs-doctor check ecr.image-tag"))
            .unwrap_or_default();
        assert!(
            error.contains("100%25 sure%3A%0Areally") || error.contains("100%25 sure:%0Areally"),
            "{error}"
        );
        assert!(error.contains("(web%3A3)"), "{error}");
        assert!(out.lines().any(|l| l.starts_with("::warning title=")), "{out}");
        assert!(out.lines().any(|l| l.starts_with("✔ ok  logs.log-group")), "{out}");
        assert_eq!(out.lines().filter(|l| l.starts_with("::")).count(), 3, "{out}");
    }

    #[test]
    fn markdown_cells_stay_in_their_column() {
        let out = markdown(&gate(Lang::En));
        let row = out
            .lines()
            .find(|l| l.contains("iam.execution-role-ecr"))
            .unwrap_or_default();
        assert!(row.contains("simulate \\| pipes"), "{row}");
        assert_eq!(row.matches(" | ").count(), 2, "{row}");
    }

    #[test]
    fn json_lists_id_status_and_summary() {
        let v = json(&gate(Lang::En));
        assert_eq!(v["passed"], false);
        assert_eq!(v["exitCode"], 3);
        assert_eq!(v["checks"][1]["id"], "ecr.image-tag");
        assert_eq!(v["checks"][1]["status"], "problem");
        assert_eq!(v["checks"][1]["fix"], "Push tag `2`.");
        assert_eq!(v["checks"][0]["status"], "ok");
        assert_eq!(v["checks"][2]["status"], "not-checked");
        assert_eq!(v["counts"]["notChecked"], 1);
    }
}
