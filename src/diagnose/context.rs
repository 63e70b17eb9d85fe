//! Facts from the task definition that make a finding concrete: the memory limit behind an
//! out-of-memory kill, the health-check command behind a failed health check, the execution
//! role behind a permission error. Pure: reads the incident, writes sentences.

use super::rule::{Category, Lang};
use super::signal::Signal;
use crate::incident::{arn_name, ContainerDefinition, TaskDefinition};

/// Context lines for a finding of `category` explained from signal `s`.
pub fn facts(category: Category, s: &Signal, lang: Lang) -> Vec<String> {
    let Some(definition) = s.incident.task_definition.as_ref() else {
        return Vec::new();
    };
    let container = container(definition, s);
    let mut out = Vec::new();
    match category {
        Category::OutOfMemory | Category::AppExit | Category::ContainerRuntime => {
            if let Some(c) = container {
                out.extend(memory(definition, c, lang));
                if category == Category::AppExit {
                    out.extend(stop_timeout(c, lang));
                }
            }
        }
        Category::HealthCheckContainer => out.extend(container.and_then(|c| health_check(c, lang))),
        Category::ImagePullAuth
        | Category::ImagePullNetwork
        | Category::ImageNotFound
        | Category::SecretsPermission
        | Category::SecretsNetwork
        | Category::SecretsNotFound
        | Category::EnvFile => out.push(role(lang, "execution", definition.execution_role_arn.as_deref())),
        Category::LoggingSetup => {
            out.push(role(lang, "execution", definition.execution_role_arn.as_deref()));
            out.extend(container.and_then(|c| logging(c, lang)));
        }
        Category::IamRole => out.push(role(lang, "task", definition.task_role_arn.as_deref())),
        Category::ImagePlatformMismatch => out.extend(platform(definition, lang)),
        _ => {}
    }
    out
}

/// The container the finding is about: its own, or the only one of the task.
fn container<'a>(definition: &'a TaskDefinition, s: &Signal) -> Option<&'a ContainerDefinition> {
    match s.container {
        Some(c) => definition.container(&c.name),
        None => match definition.containers.as_slice() {
            [only] => Some(only),
            _ => None,
        },
    }
}

fn memory(definition: &TaskDefinition, c: &ContainerDefinition, lang: Lang) -> Option<String> {
    let task = definition.memory.as_deref();
    let name = &c.name;
    Some(match (lang, c.memory, c.memory_reservation, task) {
        (Lang::En, Some(hard), soft, task) => format!(
            "Container `{name}` is limited to {hard} MiB{}{}.",
            soft.map(|s| format!(" (reservation {s} MiB)")).unwrap_or_default(),
            task.map(|t| format!("; the task has {t} MiB")).unwrap_or_default()
        ),
        (Lang::Ja, Some(hard), soft, task) => format!(
            "コンテナ `{name}` のメモリ上限は {hard} MiB です{}{}。",
            soft.map(|s| format!(" (予約 {s} MiB)")).unwrap_or_default(),
            task.map(|t| format!("。タスク全体は {t} MiB")).unwrap_or_default()
        ),
        (Lang::En, None, _, Some(t)) => {
            format!("Container `{name}` has no hard limit of its own; the task has {t} MiB in all.")
        }
        (Lang::Ja, None, _, Some(t)) => format!("コンテナ `{name}` 個別の上限はなく、タスク全体で {t} MiB です。"),
        (_, None, _, None) => return None,
    })
}

fn stop_timeout(c: &ContainerDefinition, lang: Lang) -> Option<String> {
    let seconds = c.stop_timeout?;
    Some(match lang {
        Lang::En => format!("Container `{}` has stopTimeout {seconds} s.", c.name),
        Lang::Ja => format!("コンテナ `{}` の stopTimeout は {seconds} 秒です。", c.name),
    })
}

fn health_check(c: &ContainerDefinition, lang: Lang) -> Option<String> {
    let h = c.health_check.as_ref()?;
    let command = h.command.join(" ");
    let n = |v: Option<i64>, default: i64| v.unwrap_or(default);
    // ECS defaults: interval 30 s, timeout 5 s, retries 3, startPeriod off.
    Some(match lang {
        Lang::En => format!(
            "Health check of `{}`: `{command}` every {} s, timeout {} s, {} retries, startPeriod {} s.",
            c.name,
            n(h.interval, 30),
            n(h.timeout, 5),
            n(h.retries, 3),
            n(h.start_period, 0)
        ),
        Lang::Ja => format!(
            "`{}` のヘルスチェック: `{command}` (間隔 {} 秒、タイムアウト {} 秒、リトライ {} 回、startPeriod {} 秒)。",
            c.name,
            n(h.interval, 30),
            n(h.timeout, 5),
            n(h.retries, 3),
            n(h.start_period, 0)
        ),
    })
}

fn role(lang: Lang, kind: &str, arn: Option<&str>) -> String {
    match (lang, kind, arn) {
        (Lang::En, "execution", Some(arn)) => format!("Task execution role: `{arn}` (role `{}`).", arn_name(arn)),
        (Lang::En, "execution", None) => "The task definition sets no task execution role (`executionRoleArn`).".into(),
        (Lang::En, _, Some(arn)) => format!("Task role: `{arn}`."),
        (Lang::En, _, None) => "The task definition sets no task role (`taskRoleArn`).".into(),
        (Lang::Ja, "execution", Some(arn)) => format!("タスク実行ロール: `{arn}` (ロール `{}`)。", arn_name(arn)),
        (Lang::Ja, "execution", None) => {
            "タスク定義にタスク実行ロール (`executionRoleArn`) が設定されていません。".into()
        }
        (Lang::Ja, _, Some(arn)) => format!("タスクロール: `{arn}`。"),
        (Lang::Ja, _, None) => "タスク定義にタスクロール (`taskRoleArn`) が設定されていません。".into(),
    }
}

fn logging(c: &ContainerDefinition, lang: Lang) -> Option<String> {
    let driver = c.log_driver.as_deref()?;
    let options = c
        .log_options
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    Some(match lang {
        Lang::En => format!("Log configuration of `{}`: driver `{driver}` ({options}).", c.name),
        Lang::Ja => format!("`{}` のログ設定: ドライバー `{driver}` ({options})。", c.name),
    })
}

fn platform(definition: &TaskDefinition, lang: Lang) -> Option<String> {
    let arch = definition.cpu_architecture.as_deref().unwrap_or("X86_64");
    let os = definition.operating_system.as_deref().unwrap_or("LINUX");
    Some(match lang {
        Lang::En => format!("The task definition runs on {os}/{arch} (runtimePlatform; X86_64 when unset)."),
        Lang::Ja => format!("タスク定義のプラットフォームは {os}/{arch} です (runtimePlatform、未設定なら X86_64)。"),
    })
}
