//! The task definition's own checks, with no AWS call: what ECS would refuse to register or to
//! run, read from the definition alone. Each returns one [`Check`], found (the problem is there)
//! or absent (it is not), so the gate lists them beside the account checks.

use crate::diagnose::{Lang, Tr};
use crate::incident::{ContainerDefinition, TaskDefinition};
use crate::verify::network::is_ecr_image;
use crate::verify::Check;

/// Every offline check that applies to `definition`, in a fixed order.
pub fn checks(definition: &TaskDefinition, lang: Lang) -> Vec<Check> {
    let mut out = Vec::new();
    out.extend(fargate_size(definition, lang));
    out.push(container_memory(definition, lang));
    out.push(essential(definition, lang));
    out.extend(port_mappings(definition, lang));
    out.extend(health_checks(definition, lang));
    out.push(image_syntax(definition, lang));
    out.extend(execution_role(definition, lang));
    out
}

fn is_fargate(definition: &TaskDefinition) -> bool {
    definition
        .requires_compatibilities
        .iter()
        .any(|c| c.eq_ignore_ascii_case("FARGATE"))
}

/// CPU units from `256`, `1 vCPU`, `0.25 vcpu`.
pub fn cpu_units(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    match t.strip_suffix("vcpu") {
        Some(n) => scaled(n.trim(), 1024),
        None => t.parse().ok().filter(|n| *n > 0),
    }
}

/// MiB from `512`, `1 GB`, `0.5gb`.
pub fn memory_mib(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    match t.strip_suffix("gb") {
        Some(n) => scaled(n.trim(), 1024),
        None => t
            .strip_suffix("mb")
            .unwrap_or(&t)
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > 0),
    }
}

/// `n × scale` for a decimal `n` that lands on a whole number (`0.25 × 1024`).
fn scaled(n: &str, scale: i64) -> Option<i64> {
    let value: f64 = n.parse().ok()?;
    let product = value * scale as f64;
    (product > 0.0 && product.fract() == 0.0 && product < 1e12).then_some(product as i64)
}

/// The memory sizes Fargate accepts for a CPU size, in MiB (Linux; Windows takes a subset).
pub fn fargate_memory(cpu: i64) -> Option<Vec<i64>> {
    let range = |from: i64, to: i64, step: i64| (0..).map(move |i| from + i * step).take_while(move |m| *m <= to);
    Some(match cpu {
        256 => vec![512, 1024, 2048],
        512 => range(1024, 4096, 1024).collect(),
        1024 => range(2048, 8192, 1024).collect(),
        2048 => range(4096, 16384, 1024).collect(),
        4096 => range(8192, 30720, 1024).collect(),
        8192 => range(16384, 61440, 4096).collect(),
        16384 => range(32768, 122_880, 8192).collect(),
        _ => return None,
    })
}

/// `definition.fargate-size`: for a Fargate definition, a CPU and memory pair Fargate offers.
fn fargate_size(definition: &TaskDefinition, lang: Lang) -> Option<Check> {
    const ID: &str = "definition.fargate-size";
    if !is_fargate(definition) {
        return None;
    }
    let cpu_text = definition.cpu.as_deref().unwrap_or("-");
    let memory_text = definition.memory.as_deref().unwrap_or("-");
    let with = |c: Check| c.fact("cpu", cpu_text).fact("memory", memory_text);
    let (cpu, memory) = match (
        definition.cpu.as_deref().map(cpu_units),
        definition.memory.as_deref().map(memory_mib),
    ) {
        (Some(Some(cpu)), Some(Some(memory))) => (cpu, memory),
        (None, _) | (_, None) => {
            let summary = Tr {
                en: "A Fargate task definition must set both task-level `cpu` and `memory`.",
                ja: "Fargate のタスク定義にはタスクレベルの `cpu` と `memory` の両方が必要です。",
            }
            .text(lang);
            return Some(with(Check::found(ID, summary)));
        }
        _ => {
            let summary = Tr {
                en: "The task-level `cpu` or `memory` is not a size ECS can read (e.g. `512`, `1 vCPU`, `2 GB`).",
                ja: "タスクレベルの `cpu` または `memory` が ECS の読める値ではありません (例: `512`、`1 vCPU`、`2 GB`)。",
            }.text(lang);
            return Some(with(Check::found(ID, summary)));
        }
    };
    let offered = fargate_memory(cpu);
    let check = match offered {
        Some(sizes) if sizes.contains(&memory) => {
            let summary = Tr {
                en: "CPU {cpu} with {memory} MiB is a size Fargate offers.",
                ja: "CPU {cpu} とメモリ {memory} MiB は Fargate で使える組み合わせです。",
            }
            .fill(lang, &[("cpu", &cpu.to_string()), ("memory", &memory.to_string())]);
            Check::absent(ID, summary)
        }
        Some(sizes) => {
            let (low, high) = (
                sizes.first().copied().unwrap_or_default(),
                sizes.last().copied().unwrap_or_default(),
            );
            let summary = Tr {
                en: "Fargate does not offer CPU {cpu} with {memory} MiB: with {cpu} CPU units, memory must be one of {low}–{high} MiB in its steps.",
                ja: "Fargate に CPU {cpu} とメモリ {memory} MiB の組み合わせはありません。CPU {cpu} ではメモリは {low}–{high} MiB の決まった刻みです。",
            }.fill(lang, &[("cpu", &cpu.to_string()), ("memory", &memory.to_string()), ("low", &low.to_string()), ("high", &high.to_string())]);
            Check::found(ID, summary).lead(
                Tr {
                    en: "Pick a memory size Fargate offers for CPU {cpu}, for example {low} MiB.",
                    ja: "CPU {cpu} で使えるメモリサイズ (例: {low} MiB) を指定してください。",
                }
                .fill(lang, &[("cpu", &cpu.to_string()), ("low", &low.to_string())]),
            )
        }
        None => {
            let summary = match lang {
                Lang::En => {
                    format!("Fargate has no CPU size {cpu}: it offers 256, 512, 1024, 2048, 4096, 8192 and 16384.")
                }
                Lang::Ja => format!(
                    "Fargate に CPU {cpu} はありません。256、512、1024、2048、4096、8192、16384 のいずれかです。"
                ),
            };
            Check::found(ID, summary)
        }
    };
    Some(with(check))
}

/// `definition.container-memory`: the containers' memory fits in the task's.
fn container_memory(definition: &TaskDefinition, lang: Lang) -> Check {
    const ID: &str = "definition.container-memory";
    let task = definition.memory.as_deref().and_then(memory_mib);
    let need = |c: &ContainerDefinition| c.memory.or(c.memory_reservation);
    let total: i64 = definition.containers.iter().filter_map(need).sum();
    let Some(task) = task else {
        let bare: Vec<&str> = definition
            .containers
            .iter()
            .filter(|c| need(c).is_none())
            .map(|c| c.name.as_str())
            .collect();
        if bare.is_empty() {
            let summary = Tr {
                en: "Every container sets its memory ({total} MiB in all); the task sets none.",
                ja: "すべてのコンテナがメモリを指定しています (合計 {total} MiB)。タスクレベルの指定はありません。",
            }
            .fill(lang, &[("total", &total.to_string())]);
            return Check::absent(ID, summary).fact("containers", format!("{total} MiB"));
        }
        let summary = Tr {
            en: "With no task-level `memory`, every container needs `memory` or `memoryReservation`; {bare} has neither.",
            ja: "タスクレベルの `memory` がないため、各コンテナに `memory` か `memoryReservation` が必要ですが、{bare} にはありません。",
        }.fill(lang, &[("bare", &bare.join(", "))]);
        return Check::found(ID, summary).fact("containers", bare.join(", "));
    };
    let too_big: Vec<String> = definition
        .containers
        .iter()
        .filter_map(|c| need(c).filter(|m| *m > task).map(|m| format!("{} ({m} MiB)", c.name)))
        .collect();
    let with = |c: Check| {
        c.fact("task", format!("{task} MiB"))
            .fact("containers", format!("{total} MiB"))
    };
    if !too_big.is_empty() {
        let summary = Tr {
            en: "A container asks for more memory than the task has ({task} MiB): {too_big}.",
            ja: "タスクのメモリ ({task} MiB) より多くを要求するコンテナがあります: {too_big}。",
        }
        .fill(lang, &[("task", &task.to_string()), ("too_big", &too_big.join(", "))]);
        return with(Check::found(ID, summary));
    }
    if total > task {
        let summary = Tr {
            en: "The containers reserve {total} MiB together, more than the task's {task} MiB.",
            ja: "コンテナの予約メモリの合計 {total} MiB が、タスクの {task} MiB を超えています。",
        }
        .fill(lang, &[("total", &total.to_string()), ("task", &task.to_string())]);
        return with(Check::found(ID, summary));
    }
    let summary = Tr {
        en: "The containers reserve {total} MiB of the task's {task} MiB.",
        ja: "コンテナの予約メモリは合計 {total} MiB で、タスクの {task} MiB に収まります。",
    }
    .fill(lang, &[("total", &total.to_string()), ("task", &task.to_string())]);
    with(Check::absent(ID, summary))
}

/// `definition.essential`: at least one container is essential (the default when unset).
fn essential(definition: &TaskDefinition, lang: Lang) -> Check {
    const ID: &str = "definition.essential";
    let names: Vec<&str> = definition
        .containers
        .iter()
        .filter(|c| c.essential.unwrap_or(true))
        .map(|c| c.name.as_str())
        .collect();
    if names.is_empty() {
        let summary = Tr {
            en: "No container is essential: ECS requires at least one.",
            ja: "必須 (essential) のコンテナがありません。ECS には少なくとも 1 つ必要です。",
        }
        .text(lang);
        return Check::found(ID, summary);
    }
    let summary = Tr {
        en: "{names_len} of {containers_len} containers are essential.",
        ja: "{containers_len} 個中 {names_len} 個のコンテナが必須です。",
    }
    .fill(
        lang,
        &[
            ("names_len", &(names.len()).to_string()),
            ("containers_len", &(definition.containers.len()).to_string()),
        ],
    );
    Check::absent(ID, summary).fact("essential", names.join(", "))
}

/// `definition.port-mappings`: in `awsvpc` and `host` mode a host port equals its container
/// port (or is left out), and no two containers take the same port.
fn port_mappings(definition: &TaskDefinition, lang: Lang) -> Option<Check> {
    const ID: &str = "definition.port-mappings";
    let mode = definition
        .network_mode
        .clone()
        .unwrap_or_else(|| if is_fargate(definition) { "awsvpc" } else { "bridge" }.into());
    let mappings: Vec<(&str, &crate::incident::PortMapping)> = definition
        .containers
        .iter()
        .flat_map(|c| c.port_mappings.iter().map(move |p| (c.name.as_str(), p)))
        .collect();
    if mappings.is_empty() {
        return None;
    }
    let mut wrong = Vec::new();
    for (name, p) in &mappings {
        if p.container_port.is_none() {
            wrong.push(
                Tr {
                    en: "{name}: a mapping has no containerPort",
                    ja: "{name}: containerPort のないマッピング",
                }
                .fill(lang, &[("name", name)]),
            );
        }
    }
    let shared = matches!(mode.as_str(), "awsvpc" | "host");
    if shared {
        for (name, p) in &mappings {
            if let (Some(c), Some(h)) = (p.container_port, p.host_port) {
                if h != c && h != 0 {
                    wrong.push(
                        Tr {
                            en: "{name}: hostPort {h} is not containerPort {c}",
                            ja: "{name}: hostPort {h} が containerPort {c} と異なる",
                        }
                        .fill(lang, &[("name", name), ("h", &h.to_string()), ("c", &c.to_string())]),
                    );
                }
            }
        }
        let mut seen: Vec<(i64, String, &str)> = Vec::new();
        for (name, p) in &mappings {
            let Some(port) = p.container_port else { continue };
            let protocol = p.protocol.clone().unwrap_or_else(|| "tcp".into()).to_ascii_lowercase();
            if let Some((_, _, first)) = seen.iter().find(|(q, r, _)| *q == port && *r == protocol) {
                wrong.push(
                    Tr {
                        en: "{name} and {first} both take port {port}/{protocol}",
                        ja: "{name} と {first} が同じポート {port}/{protocol} を使う",
                    }
                    .fill(
                        lang,
                        &[
                            ("name", name),
                            ("first", first),
                            ("port", &port.to_string()),
                            ("protocol", &protocol.to_string()),
                        ],
                    ),
                );
            } else {
                seen.push((port, protocol, name));
            }
        }
    }
    let check = if wrong.is_empty() {
        let summary = Tr {
            en: "The {mappings_len} port mappings fit network mode `{mode}`.",
            ja: "{mappings_len} 個のポートマッピングはネットワークモード `{mode}` に合っています。",
        }
        .fill(
            lang,
            &[
                ("mappings_len", &(mappings.len()).to_string()),
                ("mode", &mode.to_string()),
            ],
        );
        Check::absent(ID, summary)
    } else {
        let summary = Tr {
            en: "Port mappings that network mode `{mode}` does not allow: {wrong}.",
            ja: "ネットワークモード `{mode}` では使えないポートマッピングがあります: {wrong}。",
        }
        .fill(lang, &[("mode", &mode.to_string()), ("wrong", &wrong.join("; "))]);
        Check::found(ID, summary).lead(
            Tr {
                en: "In `{mode}` mode, leave out hostPort or set it to the containerPort.",
                ja: "`{mode}` モードでは hostPort を省略するか containerPort と同じ値にしてください。",
            }
            .fill(lang, &[("mode", &mode.to_string())]),
        )
    };
    Some(check.fact("networkMode", mode))
}

/// `definition.health-check`: each container health check starts with `CMD` or `CMD-SHELL`
/// and has a command after it.
fn health_checks(definition: &TaskDefinition, lang: Lang) -> Option<Check> {
    const ID: &str = "definition.health-check";
    let with: Vec<&ContainerDefinition> = definition
        .containers
        .iter()
        .filter(|c| c.health_check.is_some())
        .collect();
    if with.is_empty() {
        return None;
    }
    let mut wrong = Vec::new();
    for c in &with {
        let command = c
            .health_check
            .as_ref()
            .map(|h| h.command.as_slice())
            .unwrap_or_default();
        match command.first().map(String::as_str) {
            Some("CMD" | "CMD-SHELL") if command.len() >= 2 => {}
            Some(form @ ("CMD" | "CMD-SHELL")) => wrong.push(
                Tr {
                    en: "{name}: `{form}` is not followed by a command",
                    ja: "{name}: `{form}` の後にコマンドがない",
                }
                .fill(lang, &[("name", &c.name), ("form", form)]),
            ),
            // The word itself is not shown: a command written as one string may carry a token.
            Some(_) => wrong.push(
                Tr {
                    en: "{name}: does not start with `CMD` or `CMD-SHELL`",
                    ja: "{name}: 先頭が `CMD` でも `CMD-SHELL` でもない",
                }
                .fill(lang, &[("name", &c.name)]),
            ),
            None => wrong.push(
                Tr {
                    en: "{name}: the command is empty",
                    ja: "{name}: コマンドが空",
                }
                .fill(lang, &[("name", &c.name)]),
            ),
        }
    }
    let names: Vec<&str> = with.iter().map(|c| c.name.as_str()).collect();
    let check = if wrong.is_empty() {
        let summary = Tr {
            en: "The health check commands have the `CMD` or `CMD-SHELL` form ({names}).",
            ja: "ヘルスチェックのコマンドは `CMD` または `CMD-SHELL` の形式です ({names})。",
        }
        .fill(lang, &[("names", &names.join(", "))]);
        Check::absent(ID, summary)
    } else {
        let summary = Tr {
            en: "A health check command has the wrong form: {wrong}.",
            ja: "ヘルスチェックのコマンドの形式が正しくありません: {wrong}。",
        }
        .fill(lang, &[("wrong", &wrong.join("; "))]);
        Check::found(ID, summary).lead(Tr {
            en: "Write it as `[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]` or `[\"CMD\", \"/bin/check\", \"arg\"]`.",
            ja: "`[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]` または `[\"CMD\", \"/bin/check\", \"arg\"]` の形で書いてください。",
        }.text(lang))
    };
    Some(check)
}

/// Why `image` is not a reference Docker and ECS accept, or `None` when it is one.
pub fn image_syntax_error(image: &str) -> Option<&'static str> {
    if image.trim().is_empty() {
        return Some("empty");
    }
    if image.chars().any(char::is_whitespace) {
        return Some("whitespace");
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if let Some(digest) = digest {
        let valid = digest
            .strip_prefix("sha256:")
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if !valid {
            return Some("digest");
        }
    }
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    if let Some(tag) = tag {
        let ok = !tag.is_empty()
            && tag.len() <= 128
            && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && !tag.starts_with(['.', '-']);
        if !ok {
            return Some("tag");
        }
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    let has_host = parts.len() > 1
        && parts
            .first()
            .is_some_and(|h| h.contains(['.', ':']) || *h == "localhost");
    if has_host {
        let host = parts.remove(0);
        let valid = host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:".contains(&b));
        if !valid {
            return Some("registry");
        }
    }
    for part in parts {
        let ok = !part.is_empty()
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && part.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && part.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric());
        if !ok {
            return Some("repository");
        }
    }
    None
}

fn syntax_words(kind: &str, lang: Lang) -> &'static str {
    match (kind, lang) {
        ("empty", Lang::En) => "no image",
        ("empty", Lang::Ja) => "イメージがない",
        ("whitespace", Lang::En) => "contains whitespace",
        ("whitespace", Lang::Ja) => "空白を含む",
        ("digest", Lang::En) => "the digest is not `sha256:` and 64 hex digits",
        ("digest", Lang::Ja) => "ダイジェストが `sha256:` + 16 進 64 桁ではない",
        ("tag", Lang::En) => "the tag has characters a tag cannot have (or is longer than 128)",
        ("tag", Lang::Ja) => "タグに使えない文字がある (または 128 文字を超える)",
        ("registry", Lang::En) => "the registry host is not a host name",
        ("registry", Lang::Ja) => "レジストリのホスト名が正しくない",
        (_, Lang::En) => "the repository name must be lowercase letters, digits and `._-`",
        (_, Lang::Ja) => "リポジトリ名は英小文字・数字・`._-` のみ",
    }
}

/// `definition.image-syntax`: every container names an image, in a syntax ECS can pull.
fn image_syntax(definition: &TaskDefinition, lang: Lang) -> Check {
    const ID: &str = "definition.image-syntax";
    let mut wrong = Vec::new();
    for c in &definition.containers {
        let image = c.image.as_deref().unwrap_or_default();
        if let Some(kind) = image_syntax_error(image) {
            let shown = crate::util::text::truncate_chars(image, 120);
            wrong.push(format!("{}: `{shown}` ({})", c.name, syntax_words(kind, lang)));
        }
    }
    if wrong.is_empty() {
        let summary = Tr {
            en: "All {containers_len} image references are well formed.",
            ja: "{containers_len} 個のイメージ参照はすべて正しい形式です。",
        }
        .fill(lang, &[("containers_len", &(definition.containers.len()).to_string())]);
        return Check::absent(ID, summary);
    }
    let summary = Tr {
        en: "An image reference is malformed: {wrong}.",
        ja: "イメージ参照の形式が正しくありません: {wrong}。",
    }
    .fill(lang, &[("wrong", &wrong.join("; "))]);
    Check::found(ID, summary)
}

/// `definition.execution-role`: a definition that pulls from ECR on Fargate, reads secrets or
/// sends logs with awslogs names an execution role. Nothing is said when none is needed.
fn execution_role(definition: &TaskDefinition, lang: Lang) -> Option<Check> {
    const ID: &str = "definition.execution-role";
    let mut needs = Vec::new();
    let containers = &definition.containers;
    if is_fargate(definition) && containers.iter().any(|c| c.image.as_deref().is_some_and(is_ecr_image)) {
        needs.push("ECR");
    }
    if containers.iter().any(|c| !c.secrets.is_empty()) {
        needs.push("secrets");
    }
    if containers.iter().any(|c| c.log_driver.as_deref() == Some("awslogs")) {
        needs.push("awslogs");
    }
    if !containers.iter().all(|c| c.environment_files.is_empty()) {
        needs.push("environmentFiles");
    }
    if needs.is_empty() {
        return None;
    }
    let uses = needs.join(", ");
    Some(match &definition.execution_role_arn {
        Some(role) => {
            let summary = Tr {
                en: "The definition names an execution role for what needs one ({uses}).",
                ja: "実行ロールが必要な設定 ({uses}) に対し、実行ロールが指定されています。",
            }
            .fill(lang, &[("uses", &uses.to_string())]);
            Check::absent(ID, summary).fact("executionRole", role.as_str())
        }
        None => {
            let summary = Tr {
                en: "The definition has no `executionRoleArn`, but it uses {uses}, which need one.",
                ja: "`executionRoleArn` がありませんが、実行ロールが必要な {uses} を使っています。",
            }
            .fill(lang, &[("uses", &uses.to_string())]);
            Check::found(ID, summary).lead(Tr {
                en: "Set `executionRoleArn` to a role that trusts `ecs-tasks.amazonaws.com` and has `AmazonECSTaskExecutionRolePolicy`.",
                ja: "`ecs-tasks.amazonaws.com` を信頼し `AmazonECSTaskExecutionRolePolicy` を持つロールを `executionRoleArn` に指定してください。",
            }.text(lang))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::{HealthCheck, PortMapping};
    use crate::verify::CheckStatus;

    fn container(name: &str, image: &str) -> ContainerDefinition {
        ContainerDefinition {
            name: name.into(),
            image: Some(image.into()),
            ..ContainerDefinition::default()
        }
    }

    fn fargate(cpu: &str, memory: &str, containers: Vec<ContainerDefinition>) -> TaskDefinition {
        TaskDefinition {
            cpu: Some(cpu.into()),
            memory: Some(memory.into()),
            network_mode: Some("awsvpc".into()),
            requires_compatibilities: vec!["FARGATE".into()],
            containers,
            ..TaskDefinition::default()
        }
    }

    fn status(checks: &[Check], id: &str) -> Option<CheckStatus> {
        checks.iter().find(|c| c.id == id).map(|c| c.status)
    }

    #[test]
    fn sizes_read_units() {
        assert_eq!(cpu_units("256"), Some(256));
        assert_eq!(cpu_units("1 vCPU"), Some(1024));
        assert_eq!(cpu_units("0.25 vcpu"), Some(256));
        assert_eq!(cpu_units("lots"), None);
        assert_eq!(memory_mib("2 GB"), Some(2048));
        assert_eq!(memory_mib("0.5GB"), Some(512));
        assert_eq!(memory_mib("3072"), Some(3072));
        assert_eq!(memory_mib("-1"), None);
    }

    #[test]
    fn fargate_pairs_are_checked_both_ways() {
        let ok = checks(&fargate("512", "1 GB", vec![container("a", "nginx")]), Lang::En);
        assert_eq!(status(&ok, "definition.fargate-size"), Some(CheckStatus::Absent));
        let bad = checks(&fargate("256", "4096", vec![container("a", "nginx")]), Lang::En);
        assert_eq!(status(&bad, "definition.fargate-size"), Some(CheckStatus::Found));
        let odd = checks(&fargate("300", "1024", vec![container("a", "nginx")]), Lang::Ja);
        assert_eq!(status(&odd, "definition.fargate-size"), Some(CheckStatus::Found));
        let mut missing = fargate("512", "1024", vec![container("a", "nginx")]);
        missing.memory = None;
        assert_eq!(
            status(&checks(&missing, Lang::En), "definition.fargate-size"),
            Some(CheckStatus::Found)
        );
        // Not Fargate: no size check at all.
        let ec2 = TaskDefinition {
            containers: vec![container("a", "nginx")],
            ..TaskDefinition::default()
        };
        assert_eq!(status(&checks(&ec2, Lang::En), "definition.fargate-size"), None);
    }

    #[test]
    fn container_memory_must_fit() {
        let mut big = container("a", "nginx");
        big.memory = Some(2048);
        let d = fargate("512", "1024", vec![big]);
        let c = checks(&d, Lang::En);
        assert_eq!(status(&c, "definition.container-memory"), Some(CheckStatus::Found));
        let mut a = container("a", "nginx");
        a.memory_reservation = Some(600);
        let mut b = container("b", "nginx");
        b.memory = Some(600);
        let c = checks(&fargate("512", "1024", vec![a.clone(), b]), Lang::En);
        assert_eq!(status(&c, "definition.container-memory"), Some(CheckStatus::Found));
        let c = checks(&fargate("512", "1024", vec![a]), Lang::En);
        assert_eq!(status(&c, "definition.container-memory"), Some(CheckStatus::Absent));
        // EC2 without task memory: each container needs its own.
        let ec2 = TaskDefinition {
            containers: vec![container("bare", "nginx")],
            ..TaskDefinition::default()
        };
        let c = checks(&ec2, Lang::En);
        assert_eq!(status(&c, "definition.container-memory"), Some(CheckStatus::Found));
        assert!(c.iter().any(|c| c.summary.contains("bare")));
    }

    #[test]
    fn one_container_must_be_essential() {
        let mut a = container("a", "nginx");
        a.essential = Some(false);
        let c = checks(&fargate("512", "1024", vec![a.clone()]), Lang::En);
        assert_eq!(status(&c, "definition.essential"), Some(CheckStatus::Found));
        let c = checks(&fargate("512", "1024", vec![a, container("b", "nginx")]), Lang::En);
        assert_eq!(status(&c, "definition.essential"), Some(CheckStatus::Absent));
    }

    #[test]
    fn awsvpc_host_ports_must_equal_container_ports() {
        let mut a = container("a", "nginx");
        a.port_mappings = vec![PortMapping {
            container_port: Some(80),
            host_port: Some(8080),
            protocol: None,
        }];
        let c = checks(&fargate("512", "1024", vec![a.clone()]), Lang::En);
        assert_eq!(status(&c, "definition.port-mappings"), Some(CheckStatus::Found));
        // The same mapping is fine in bridge mode.
        let bridge = TaskDefinition {
            network_mode: Some("bridge".into()),
            memory: Some("512".into()),
            containers: vec![a.clone()],
            ..TaskDefinition::default()
        };
        assert_eq!(
            status(&checks(&bridge, Lang::En), "definition.port-mappings"),
            Some(CheckStatus::Absent)
        );
        a.port_mappings[0].host_port = None;
        let mut b = container("b", "nginx");
        b.port_mappings = a.port_mappings.clone();
        let c = checks(&fargate("512", "1024", vec![a.clone()]), Lang::En);
        assert_eq!(status(&c, "definition.port-mappings"), Some(CheckStatus::Absent));
        let c = checks(&fargate("512", "1024", vec![a, b]), Lang::En);
        assert_eq!(status(&c, "definition.port-mappings"), Some(CheckStatus::Found));
    }

    #[test]
    fn health_checks_need_a_form() {
        let with = |command: &[&str]| {
            let mut a = container("a", "nginx");
            a.health_check = Some(HealthCheck {
                command: command.iter().map(|s| s.to_string()).collect(),
                ..HealthCheck::default()
            });
            status(
                &checks(&fargate("512", "1024", vec![a]), Lang::En),
                "definition.health-check",
            )
        };
        assert_eq!(with(&["CMD-SHELL", "curl -f localhost"]), Some(CheckStatus::Absent));
        assert_eq!(with(&["CMD", "/bin/true"]), Some(CheckStatus::Absent));
        assert_eq!(with(&["curl -f localhost"]), Some(CheckStatus::Found));
        assert_eq!(with(&["CMD-SHELL"]), Some(CheckStatus::Found));
        assert_eq!(with(&[]), Some(CheckStatus::Found));
    }

    #[test]
    fn image_references_are_parsed_strictly_but_not_narrowly() {
        for good in [
            "nginx",
            "nginx:1.27-alpine",
            "public.ecr.aws/docker/library/nginx:latest",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v1.2.3",
            "localhost:5000/app",
            "ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        ] {
            assert_eq!(image_syntax_error(good), None, "{good}");
        }
        for (bad, kind) in [
            ("", "empty"),
            ("nginx :1", "whitespace"),
            ("Team/App:1", "repository"),
            ("app:", "tag"),
            ("app:v1!", "tag"),
            ("app@sha256:abc", "digest"),
            ("registry.example.com//app", "repository"),
        ] {
            assert_eq!(image_syntax_error(bad), Some(kind), "{bad}");
        }
    }

    #[test]
    fn an_execution_role_is_required_only_when_something_needs_it() {
        let mut a = container("a", "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1");
        a.log_driver = Some("awslogs".into());
        let d = fargate("512", "1024", vec![a]);
        assert_eq!(
            status(&checks(&d, Lang::En), "definition.execution-role"),
            Some(CheckStatus::Found)
        );
        let plain = fargate("512", "1024", vec![container("a", "nginx")]);
        assert_eq!(status(&checks(&plain, Lang::En), "definition.execution-role"), None);
    }

    #[test]
    fn every_summary_exists_in_both_languages() {
        let mut a = container("a", "Bad Image");
        a.essential = Some(false);
        a.health_check = Some(HealthCheck::default());
        let d = fargate("256", "8192", vec![a]);
        let en = checks(&d, Lang::En);
        let ja = checks(&d, Lang::Ja);
        assert_eq!(en.len(), ja.len());
        for (e, j) in en.iter().zip(&ja) {
            assert_eq!(e.id, j.id);
            assert_eq!(e.status, j.status);
            assert_ne!(e.summary, j.summary, "{}", e.id);
        }
    }
}
