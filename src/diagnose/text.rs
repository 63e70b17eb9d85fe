//! Filling a rule's texts with the values of one incident.
//!
//! Placeholders (`{container}`, `{image}`, …) become the value in backticks, or vanish when
//! the incident does not have it. A remediation step tagged `[fargate]`, `[ec2]`, … is kept
//! when that context holds, dropped when it does not, and kept with a label when unknown.

use super::rule::Lang;
use super::signal::Signal;
use crate::incident::{arn_name, LaunchType};
use crate::util::text::truncate_chars;

/// Every placeholder a catalog text may use.
pub const PLACEHOLDERS: &[&str] = &[
    "caller",
    "container",
    "image",
    "registry",
    "exit_code",
    "signal",
    "memory",
    "task",
    "task_definition",
    "service",
    "cluster",
    "launch_type",
    "action",
    "arn",
    "event_name",
    "instance",
    "subnet",
    "target_group",
    "stage",
    "hook_target",
    "hook_role",
    "iam_action",
    "infra_role",
    "target_group_arn",
    "listener_rule",
    "hook_id",
    "expires_at",
    "secret",
    "platform",
    "reason",
    // Values for command lines: the raw value when the incident has it (no code marks, inside
    // an existing code span), else a stand-in such as `<cluster>` the reader replaces.
    "cluster_arg",
    "service_arg",
    "task_arg",
    "subnet_arg",
    "region_arg",
    "image_arg",
    "hook_id_arg",
    "service_deployment_arg",
];

/// Every context tag a remediation step may start with.
pub const TAGS: &[&str] = &[
    "fargate",
    "ec2",
    "external",
    "awsvpc",
    "bridge",
    "ecr",
    "not-ecr",
    "dockerhub",
    "cross-account",
    "service",
];

/// Words that cannot end a clause when the value after them is missing.
const EN_DANGLING: &[&str] = &[
    "in", "of", "for", "on", "to", "from", "at", "by", "with", "and", "or", "the",
];
/// Japanese particles that need the noun before them.
const JA_PARTICLES: &[&str] = &["から", "より", "は", "が", "を", "に", "の", "で", "と", "へ"];

/// The text so far ends where a Japanese clause starts (nothing, or a break).
fn clause_start(out: &str) -> bool {
    let t = out.trim_end();
    t.is_empty() || ['、', '。', '(', '「', ':', '：'].iter().any(|c| t.ends_with(*c))
}

/// Longest stretch of workload text quoted inside a sentence (a longer one ends in `…` after it).
const QUOTE_LIMIT: usize = 300;

pub fn fill(template: &str, signal: &Signal, lang: Lang) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    // The catalog's templates are tidy (a test checks): only what went in where a placeholder
    // was (a value, its two edges, a value left out) can need tidying.
    let mut dirty = false;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if PLACEHOLDERS.contains(&&after[..close]) => {
                rest = &after[close + 1..];
                let name = &after[..close];
                let found = match name.strip_suffix("_arg") {
                    Some(base) => Some(argument(base, signal, lang)),
                    None => value(name, signal),
                };
                match found {
                    Some(value) => {
                        let (v, o) = (value.as_bytes(), out.as_bytes());
                        dirty |= v.is_empty()
                            || needs_tidy(&value)
                            || matches!((o.last(), v.first()), (Some(&x), Some(&y)) if pair_needs_tidy(x, y))
                            || matches!((v.last(), rest.as_bytes().first()), (Some(&x), Some(&y)) if pair_needs_tidy(x, y));
                        out.push_str(&value);
                    }
                    // Japanese has no spaces between words: drop the ones around a missing value,
                    // and a particle whose noun was the value at the start of a clause
                    // ("{registry} に…" reads "に…" otherwise).
                    None if lang == Lang::Ja => {
                        dirty = true;
                        out.truncate(out.trim_end_matches(' ').len());
                        rest = rest.trim_start_matches(' ');
                        if clause_start(&out) {
                            // "への", "からの": drop every particle the missing noun carried.
                            while let Some(p) = JA_PARTICLES.iter().find(|p| rest.starts_with(*p)) {
                                rest = rest[p.len()..].trim_start_matches(['、', ' ']);
                            }
                        }
                    }
                    // English: a preposition left before the end of a clause goes with the value
                    // ("connect to {registry}." reads "connect." rather than "connect to.").
                    // The value's own noun goes too ("for container {container}:" reads "for
                    // container:" otherwise), and then the preposition before it.
                    None => {
                        dirty = true;
                        if rest.trim_start().starts_with(['.', ',', ';', ':', ')']) || rest.trim().is_empty() {
                            drop_last_word_if(&mut out, |w| w == name);
                            drop_last_word_if(&mut out, |w| EN_DANGLING.contains(&w));
                        }
                    }
                }
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    if dirty {
        tidy(out, lang)
    } else {
        trimmed(out)
    }
}

/// `text` without white space at either end, reusing it when there is none.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

/// Removes the last word of `out` (and the space before it) when `drop` says so.
fn drop_last_word_if(out: &mut String, drop: impl Fn(&str) -> bool) {
    if let Some((head, word)) = out.trim_end().rsplit_once(' ') {
        if drop(&word.to_lowercase()) {
            out.truncate(head.trim_end().len());
        }
    }
}

/// The steps that apply, filled in, with context labels where the context is unknown.
pub fn steps(steps: &[&str], signal: &Signal, lang: Lang) -> Vec<String> {
    let mut out = Vec::with_capacity(steps.len());
    for step in steps {
        let (tag, body) = split_tag(step);
        let label = match tag {
            None => "",
            Some(tag) => match context(tag, signal) {
                Some(true) => "",
                Some(false) => continue,
                None => label(tag, lang),
            },
        };
        let filled = fill(body, signal, lang);
        out.push(if label.is_empty() {
            filled
        } else {
            format!("{label}{filled}")
        });
    }
    out
}

/// `"[fargate] text"` → (`Some("fargate")`, `"text"`).
pub fn split_tag(step: &str) -> (Option<&str>, &str) {
    if let Some(rest) = step.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            return (Some(&rest[..end]), rest[end + 1..].trim_start());
        }
    }
    (None, step)
}

/// Removes the gaps a missing value leaves ("the  container", "( )").
fn tidy(text: String, lang: Lang) -> String {
    // Most texts have nothing to tidy: one pass over the bytes instead of nine replaces.
    if !needs_tidy(&text) {
        return trimmed(text);
    }
    let mut out = text.replace("``", "");
    while out.contains("  ") {
        out = out.replace("  ", " ");
    }
    for (from, to) in [(" .", "."), (" ,", ","), (" )", ")"), ("( ", "(")] {
        out = out.replace(from, to);
    }
    // A value that was the only thing in parentheses leaves them empty.
    for empty in [" ()", "()"] {
        out = out.replace(empty, "");
    }
    if lang == Lang::Ja {
        for (from, to) in [(" 。", "。"), (" 、", "、")] {
            out = out.replace(from, to);
        }
    }
    out.trim().to_string()
}

/// Whether any pattern `tidy` rewrites occurs: an empty code span, a space before a space,
/// `.`, `,`, `)` or a Japanese mark (0xE3 starts `。` and `、`), or `(` before a space or `)`.
fn needs_tidy(text: &str) -> bool {
    text.as_bytes().windows(2).any(|w| pair_needs_tidy(w[0], w[1]))
}

fn pair_needs_tidy(x: u8, y: u8) -> bool {
    matches!(
        (x, y),
        (b'`', b'`') | (b' ', b' ' | b'.' | b',' | b')' | 0xE3) | (b'(', b' ' | b')')
    )
}

/// A value for a command line: the incident's own when known, else a stand-in to replace.
fn argument(base: &str, s: &Signal, lang: Lang) -> String {
    let incident = s.incident;
    let task = incident.task.as_ref();
    let known: Option<String> = match base {
        "cluster" => incident.cluster.as_deref().map(|c| arn_name(c).to_string()),
        "service" => task
            .and_then(|t| t.service_name())
            .or_else(|| incident.service_event.as_ref().and_then(|e| e.service_name()))
            .map(str::to_string),
        "task" => task.map(|t| t.task_id().to_string()),
        "subnet" => task.and_then(|t| t.attachment_detail("subnetId")).map(str::to_string),
        "region" => incident.region.clone(),
        "image" => image(s).map(str::to_string),
        "hook_id" => hook(s).and_then(|h| h.hook_id.clone()),
        "service_deployment" => hook(s).and_then(|h| h.service_deployment_arn.clone()),
        _ => None,
    };
    // Only characters that names, IDs and image references use: a value cannot break out of
    // the command or the code span around it.
    let safe = known.map(|v| {
        v.chars()
            .filter(|c| c.is_ascii_alphanumeric() || "-_.:/@".contains(*c))
            .take(QUOTE_LIMIT)
            .collect::<String>()
    });
    match safe.filter(|v| !v.is_empty()) {
        Some(v) => v,
        None => stand_in(base, lang).to_string(),
    }
}

fn stand_in(base: &str, lang: Lang) -> &'static str {
    match (base, lang) {
        ("cluster", Lang::En) => "<cluster>",
        ("cluster", Lang::Ja) => "<クラスター>",
        ("service", Lang::En) => "<service>",
        ("service", Lang::Ja) => "<サービス>",
        ("task", Lang::En) => "<task-id>",
        ("task", Lang::Ja) => "<タスク ID>",
        ("subnet", Lang::En) => "<subnet-id>",
        ("subnet", Lang::Ja) => "<サブネット ID>",
        ("region", Lang::En) => "<region>",
        ("region", Lang::Ja) => "<リージョン>",
        ("hook_id", Lang::En) => "<hook-id>",
        ("hook_id", Lang::Ja) => "<フック ID>",
        ("service_deployment", Lang::En) => "<service-deployment-arn>",
        ("service_deployment", Lang::Ja) => "<サービスデプロイ ARN>",
        (_, Lang::En) => "<image>",
        (_, Lang::Ja) => "<イメージ>",
    }
}

/// Workload text can carry backticks and markup; inside our code spans they must not.
fn code(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(QUOTE_LIMIT) + 2);
    out.push('`');
    out.extend(value.chars().filter(|c| *c != '`' && !c.is_control()).take(QUOTE_LIMIT));
    out.push('`');
    out
}

fn value(name: &str, s: &Signal) -> Option<String> {
    let incident = s.incident;
    let task = incident.task.as_ref();
    let service = task
        .and_then(|t| t.service_name())
        .or_else(|| incident.service_event.as_ref().and_then(|e| e.service_name()));
    match name {
        "container" => s.container.map(|c| code(&c.name)),
        "image" => image(s).map(code),
        "registry" => registry(s).map(|r| code(&r)),
        "exit_code" => s.exit_code.map(|c| c.to_string()),
        "signal" => s.exit_code.and_then(signal_name).map(str::to_string),
        "memory" => s
            .container
            .and_then(|c| c.memory.as_deref())
            .map(|m| format!("{m} MiB"))
            .or_else(|| {
                task.and_then(|t| t.memory.as_deref())
                    .map(|m| format!("{m} MiB (task)"))
            }),
        "task" => task.map(|t| code(t.task_id())),
        "task_definition" => task
            .and_then(|t| t.task_definition_arn.as_deref())
            .map(|a| code(arn_name(a))),
        "service" => service.map(code),
        "cluster" => incident.cluster.as_deref().map(|c| code(arn_name(c))),
        "launch_type" => task
            .and_then(|t| t.launch_type.as_ref())
            .map(|l| l.as_str().to_string()),
        "action" => s.action().map(code),
        "caller" => s.api_error.and_then(|e| e.caller.as_deref()).map(code),
        "arn" => s.failure.and_then(|f| f.arn.as_deref()).map(code),
        "event_name" => incident.service_event.as_ref().map(|e| code(&e.event_name)),
        "instance" => incident
            .container_instance
            .as_ref()
            .map(|i| {
                i.ec2_instance_id
                    .clone()
                    .unwrap_or_else(|| arn_name(&i.container_instance_arn).to_string())
            })
            .or_else(|| {
                task.and_then(|t| t.container_instance_arn.as_deref())
                    .map(|a| arn_name(a).to_string())
            })
            .map(|v| code(&v)),
        "subnet" => task.and_then(|t| t.attachment_detail("subnetId")).map(code),
        "target_group" => between(s.text, "target-group ", ")").map(code),
        // Blue/green, linear and canary rollbacks ("Service deployment rolled back because
        // TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. …").
        "stage" => hook(s)
            .and_then(|h| h.lifecycle_stage.as_deref())
            .or_else(|| stage(s.text))
            .map(code),
        "hook_id" => hook(s).and_then(|h| h.hook_id.as_deref()).map(code),
        "expires_at" => hook(s).and_then(|h| h.expires_at.as_deref()).map(code),
        "hook_target" => word_after(s.text, &["hook target ", "response from "]).map(code),
        "hook_role" => word_after(s.text, &["unable to assume role "]).map(code),
        "iam_action" => word_after(s.text, &["perform: "]).map(code),
        "infra_role" => between(s.text, "Infrastructure Role '", "'").map(code),
        "target_group_arn" => word_after(s.text, &["Target group ", "unexpected target group "]).map(code),
        "listener_rule" => word_after(s.text, &["productionListenerRule "]).map(code),
        "secret" => secret_reference(s.text).map(code),
        "platform" => platform(s).map(|p| code(&p)),
        "reason" => Some(s.text.trim())
            .filter(|t| !t.is_empty())
            .map(|t| format!("\"{}\"", truncate_chars(&t.replace('`', "'"), QUOTE_LIMIT + 1))),
        _ => None,
    }
}

fn image<'a>(s: &Signal<'a>) -> Option<&'a str> {
    s.container.and_then(|c| c.image.as_deref()).or_else(|| {
        // CannotPullContainerError texts name the image: "… pull image 'repo:tag' …" or "… ref repo:tag …".
        let text = s.text;
        between(text, "image '", "'")
            .or_else(|| between(text, "image \"", "\""))
            .or_else(|| between(text, "resolve ref \"", "\""))
    })
}

/// The registry host: from the image, else the first host named in the text.
pub fn registry(s: &Signal) -> Option<String> {
    if let Some(image) = image(s) {
        return Some(registry_of_image(image));
    }
    s.text
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/' | '(' | ')' | ','))
        .find(|w| w.contains(".dkr.ecr.") || *w == "registry-1.docker.io" || *w == "ghcr.io" || *w == "quay.io")
        .map(str::to_string)
}

/// `repo:tag` → `docker.io`; `123.dkr.ecr.r.amazonaws.com/x` → that host.
pub fn registry_of_image(image: &str) -> String {
    match image.split_once('/') {
        Some((host, _)) if host.contains('.') || host.contains(':') || host == "localhost" => host.to_string(),
        _ => "docker.io".to_string(),
    }
}

fn platform(s: &Signal) -> Option<String> {
    between(s.text, "platform '", "'")
        .or_else(|| between(s.text, "platform {", "}"))
        .map(str::to_string)
        .or_else(|| {
            let task = s.incident.task.as_ref()?;
            task.cpu_architecture.as_deref().map(|a| format!("linux/{a}"))
        })
}

/// The ARN or name of a secret or parameter named in a reason; never its value (reasons carry none).
fn secret_reference(text: &str) -> Option<&str> {
    let start = text
        .find("arn:aws:secretsmanager:")
        .or_else(|| text.find("arn:aws:ssm:"))?;
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ')'))
        .unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches(['.', ':']))
}

/// The hook of an `ECS Hook State Change` event.
fn hook<'a>(s: &Signal<'a>) -> Option<&'a crate::incident::Hook> {
    s.incident.service_event.as_ref()?.hook.as_ref()
}

/// The lifecycle stage a rollback names: the upper-case word after "rolled back because".
fn stage(text: &str) -> Option<&str> {
    let word = word_after(text, &["rolled back because "])?;
    word.bytes()
        .all(|b| b.is_ascii_uppercase() || b == b'_')
        .then_some(word)
}

/// The word after the first of `markers` found (up to a space), without the punctuation that
/// ends a sentence around it.
fn word_after<'a>(text: &'a str, markers: &[&str]) -> Option<&'a str> {
    markers.iter().find_map(|marker| {
        let from = text.find(marker)? + marker.len();
        let word = text[from..].split_whitespace().next()?;
        Some(word.trim_end_matches(['.', ',', ';', '\'', '"', ')'])).filter(|w| !w.is_empty())
    })
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len]).filter(|v| !v.is_empty())
}

/// The signal a 128+n exit code stands for.
pub fn signal_name(code: i64) -> Option<&'static str> {
    Some(match code - 128 {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return None,
    })
}

/// Whether a tagged step's context holds: `Some(true)`, `Some(false)`, or unknown.
fn context(tag: &str, s: &Signal) -> Option<bool> {
    let task = s.incident.task.as_ref();
    let launch = task.and_then(|t| {
        t.launch_type.clone().or_else(|| {
            t.capacity_provider
                .as_deref()
                .filter(|c| c.starts_with("FARGATE"))
                .map(|_| LaunchType::Fargate)
        })
    });
    match tag {
        "fargate" => launch.map(|l| l == LaunchType::Fargate),
        "ec2" => launch.map(|l| l == LaunchType::Ec2),
        "external" => launch.map(|l| l == LaunchType::External),
        "awsvpc" | "bridge" => {
            let task = task?;
            let awsvpc = task.uses_awsvpc() || launch == Some(LaunchType::Fargate);
            // Without attachments an EC2 task may still be awsvpc if the event omitted them.
            let known = awsvpc || launch.is_some();
            known.then_some(awsvpc == (tag == "awsvpc"))
        }
        "ecr" => registry(s).map(|r| is_ecr(&r)),
        "not-ecr" => registry(s).map(|r| !is_ecr(&r)),
        "dockerhub" => registry(s).map(|r| r == "docker.io" || r.ends_with("docker.io")),
        "cross-account" => {
            let host = registry(s)?;
            let owner = host.split('.').next()?;
            if !host.contains(".dkr.ecr.") {
                return Some(false);
            }
            s.incident.account.as_deref().map(|account| account != owner)
        }
        "service" => task
            .map(|t| t.service_name().is_some())
            .or_else(|| s.incident.service_event.as_ref().map(|_| true)),
        _ => None,
    }
}

fn is_ecr(registry: &str) -> bool {
    registry.contains(".dkr.ecr.") || registry == "public.ecr.aws"
}

fn label(tag: &str, lang: Lang) -> &'static str {
    match (lang, tag) {
        (Lang::En, "fargate") => "On Fargate: ",
        (Lang::En, "ec2") => "On EC2: ",
        (Lang::En, "external") => "On ECS Anywhere (EXTERNAL): ",
        (Lang::En, "awsvpc") => "With awsvpc networking: ",
        (Lang::En, "bridge") => "With bridge or host networking: ",
        (Lang::En, "ecr") => "For Amazon ECR images: ",
        (Lang::En, "not-ecr") => "For registries other than Amazon ECR: ",
        (Lang::En, "dockerhub") => "For Docker Hub images: ",
        (Lang::En, "cross-account") => "For an ECR repository in another account: ",
        (Lang::En, "service") => "For a service: ",
        (Lang::Ja, "fargate") => "Fargate の場合: ",
        (Lang::Ja, "ec2") => "EC2 の場合: ",
        (Lang::Ja, "external") => "ECS Anywhere (EXTERNAL) の場合: ",
        (Lang::Ja, "awsvpc") => "awsvpc ネットワークの場合: ",
        (Lang::Ja, "bridge") => "bridge / host ネットワークの場合: ",
        (Lang::Ja, "ecr") => "Amazon ECR のイメージの場合: ",
        (Lang::Ja, "not-ecr") => "Amazon ECR 以外のレジストリの場合: ",
        (Lang::Ja, "dockerhub") => "Docker Hub のイメージの場合: ",
        (Lang::Ja, "cross-account") => "別アカウントの ECR リポジトリの場合: ",
        (Lang::Ja, "service") => "サービスの場合: ",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::signal::{signals, Shared};
    use crate::incident::{Container, Incident, Source, Task};

    fn incident(launch: Option<LaunchType>) -> Incident {
        Incident {
            source: Source::TaskStateChange,
            account: Some("111111111111".into()),
            task: Some(Task {
                task_arn: "arn:aws:ecs:r:1:task/c/abc".into(),
                launch_type: launch,
                last_status: Some("STOPPED".into()),
                containers: vec![Container {
                    name: "api".into(),
                    image: Some("222222222222.dkr.ecr.us-east-1.amazonaws.com/api:1".into()),
                    reason: Some("boom `@channel`".into()),
                    memory: Some("512".into()),
                    ..Container::default()
                }],
                ..Task::default()
            }),
            ..Incident::default()
        }
    }

    #[test]
    fn catalog_templates_are_tidy() {
        // `fill` only tidies around placeholders; the fixed text must be left as it is.
        for rule in crate::diagnose::catalog::all_rules() {
            for lang in [Lang::En, Lang::Ja] {
                let t = rule.text(lang);
                for text in [t.title, t.explanation].iter().chain(t.steps) {
                    let (_, body) = split_tag(text);
                    assert_eq!(tidy(body.to_string(), lang), body, "{} ({lang:?})", rule.id);
                }
            }
        }
    }

    #[test]
    fn placeholders_fill_or_vanish() {
        let inc = incident(Some(LaunchType::Fargate));
        let shared = Shared::of(&inc);
        let sigs = signals(&inc, &shared);
        let s = &sigs[0];
        assert_eq!(
            fill("Container {container} ({memory}) in {service}.", s, Lang::En),
            // No service: "in" goes with it rather than dangling before the full stop.
            "Container `api` (512 MiB)."
        );
        assert_eq!(fill("literal {braces}", s, Lang::En), "literal {braces}");
        // Unknown values in parentheses vanish with them; command-line values fall back to a
        // stand-in; a Japanese particle whose noun is missing goes with it.
        assert_eq!(fill("Drain it ({instance}).", s, Lang::En), "Drain it.");
        let bare = Signal {
            container: None,
            ..s.clone()
        };
        assert_eq!(
            fill(
                "The registry has no image {image} for container {container}: gone.",
                &bare,
                Lang::En
            ),
            "The registry has no image: gone."
        );
        assert_eq!(
            fill("No image {image} on instance {instance}: gone.", s, Lang::En),
            "No image `222222222222.dkr.ecr.us-east-1.amazonaws.com/api:1`: gone."
        );
        assert_eq!(fill("--cluster {cluster_arg}", s, Lang::En), "--cluster <cluster>");
        assert_eq!(fill("--cluster {cluster_arg}", s, Lang::Ja), "--cluster <クラスター>");
        assert_eq!(
            fill("{service} への接続が失敗しました。", s, Lang::Ja),
            "接続が失敗しました。"
        );
        assert_eq!(
            fill("サービス {service} のコンテナ {container} が", s, Lang::Ja),
            "サービスのコンテナ `api` が"
        );
    }

    #[test]
    fn code_spans_cannot_be_broken_by_workload_text() {
        assert_eq!(code("a`b\nc"), "`abc`");
    }

    #[test]
    fn tagged_steps_follow_context() {
        let steps_in = ["[fargate] F", "[ec2] E", "[cross-account] X", "always"];
        let inc = incident(Some(LaunchType::Fargate));
        let shared = Shared::of(&inc);
        let s = &signals(&inc, &shared)[0];
        assert_eq!(steps(&steps_in, s, Lang::En), vec!["F", "X", "always"]);
        let inc = incident(None);
        let shared = Shared::of(&inc);
        let s = &signals(&inc, &shared)[0];
        assert_eq!(steps(&steps_in, s, Lang::En)[0], "On Fargate: F");
    }

    #[test]
    fn registry_from_image() {
        assert_eq!(registry_of_image("nginx:latest"), "docker.io");
        assert_eq!(registry_of_image("ghcr.io/o/r:1"), "ghcr.io");
        assert_eq!(registry_of_image("localhost:5000/x"), "localhost:5000");
    }

    #[test]
    fn secret_reference_stops_at_delimiters() {
        let text = "unable to retrieve secret from asm: arn:aws:secretsmanager:us-east-1:1:secret:db-AbC, boom";
        assert_eq!(
            secret_reference(text),
            Some("arn:aws:secretsmanager:us-east-1:1:secret:db-AbC")
        );
    }
}
