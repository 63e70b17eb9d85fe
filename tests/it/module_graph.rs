//! The crate's module graph runs one way (README "How it decides", `lib.rs`): no top-level
//! module of `src/` may reach back up to one that uses it, and no two files import each other.
//! These tests read the sources, so a `use crate::render` added to `diagnose` fails here, not
//! in a review.
//!
//! Only code outside `#[cfg(test)]` counts: test code may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every top-level module, bottom up: each floor may use only the floors below it (and itself).
/// `lib.rs` has the same table in words.
const FLOORS: &[&[&str]] = &[
    &["util"],
    &["redact"],
    &["incident"],
    &["event", "fixture"],
    &["diagnose"],
    &["verify", "changes"],
    &["report"],
    &["render"],
    &["config"],
    &["aws"],
    &["error"],
    &["pipeline"],
    &["cli", "handler"],
];

type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text with every `#[cfg(test)]` item (a `mod … { … }` block, or an item up to `;`)
/// and every `//` comment removed.
fn without_tests(text: &str) -> String {
    let text: String = text
        .lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal (a URL) is cut too: harmless for finding paths.
            Some(at) => &l[..at],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let brace = after.find('{');
        let semi = after.find(';');
        rest = match (brace, semi) {
            (_, Some(s)) if brace.is_none_or(|b| s < b) => &after[s + 1..],
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                &after[end..]
            }
            _ => "",
        };
    }
    out.push_str(rest);
    out
}

/// The top-level modules named after `crate::` (also inside `use crate::{a, b::c}` groups).
fn referenced(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The names at the group's top level: `a`, `b::c`, `d::{e, f}`.
            let mut depth = 1usize;
            let mut current = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    let name: String = current
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        names.insert(name);
                    }
                    current.clear();
                    if depth == 0 {
                        break;
                    }
                } else if depth == 1 {
                    current.push(c);
                }
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                names.insert(name);
            }
        }
    }
    names
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let top = |path: &Path| -> Option<String> {
        let first = path.strip_prefix(&src).ok()?.components().next()?;
        let name = first.as_os_str().to_str()?;
        let name = name.strip_suffix(".rs").unwrap_or(name);
        (!matches!(name, "lib" | "main" | "bin")).then(|| name.to_string())
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top(f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let Some(from) = top(file) else { continue };
        // A module's `tests.rs` is declared under `#[cfg(test)]`.
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let place = file.strip_prefix(&src).unwrap_or(file).display().to_string();
        for to in referenced(&without_tests(&text)) {
            if to != from && modules.contains(&to) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(place.clone());
            }
        }
        graph.entry(from).or_default();
    }
    graph
}

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

#[test]
fn the_core_only_uses_the_floors_below_it() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (from, edges) in &graph {
        let Some(own) = floor(from) else { continue };
        for (to, places) in edges {
            match floor(to) {
                Some(f) if f < own => {}
                _ => wrong.push(format!(
                    "{from} -> {to} ({})",
                    places.iter().cloned().collect::<Vec<_>>().join(", ")
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a core module reaches up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_top_level_module_reaches_back_up() {
    let graph = graph();
    // Depth-first search for a back edge.
    fn visit<'a>(
        node: &'a str,
        graph: &'a Graph,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(node, 1);
        path.push(node);
        for next in graph.get(node).into_iter().flat_map(|e| e.keys()) {
            match state.get(next.as_str()) {
                Some(1) => {
                    let start = path.iter().position(|n| n == next).unwrap_or(0);
                    cycles.push(format!("{} -> {next}", path[start..].join(" -> ")));
                }
                Some(_) => {}
                None => visit(next, graph, state, path, cycles),
            }
        }
        path.pop();
        state.insert(node, 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for node in graph.keys() {
        if !state.contains_key(node.as_str()) {
            visit(node, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    assert!(
        cycles.is_empty(),
        "cycles between top-level modules:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_reader_sees_what_it_should() {
    // The reader itself: a grouped import, a nested group and test code.
    let text = "use crate::{diagnose::{Lang, Severity}, verify::Check};\nfn f() { crate::render::x(); }\n#[cfg(test)]\nmod tests { use crate::handler; }\n#[cfg(test)]\nuse crate::aws;";
    let names = referenced(&without_tests(text));
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        ["diagnose", "render", "verify"],
        "test code must not count, grouped imports must"
    );
    // And on the real tree: the floors hold known edges.
    let graph = graph();
    assert!(graph["render"].contains_key("report"), "{:?}", graph["render"]);
    assert!(!graph["diagnose"].contains_key("verify"));
}

/// A file's module path under `src/` (`aws/ecs/reader.rs` → `["aws", "ecs", "reader"]`; a
/// `mod.rs` names its folder, `lib.rs` the crate root); `None` for the binaries.
fn module_path(src: &Path, file: &Path) -> Option<Vec<String>> {
    let relative = file.strip_prefix(src).ok()?.with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .map(String::from)
        .collect();
    match parts.first().map(String::as_str) {
        Some("main" | "bin") => return None,
        Some("lib") if parts.len() == 1 => return Some(Vec::new()),
        _ => {}
    }
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    Some(parts)
}

/// The paths a file names, as (head, segments): `crate::a::b` → ("crate", [a, b]),
/// `super::super::x` → ("super", [super, x]), `use child::y` → ("child", [child, y]), with the
/// top-level items of a `{…}` group each a path of its own.
fn named_paths(text: &str) -> Vec<(&'static str, Vec<String>)> {
    let ident = |s: &str| -> String { s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect() };
    let mut found = Vec::new();
    for head in ["crate", "super", "self"] {
        let needle = format!("{head}::");
        let mut from = 0;
        while let Some(at) = text[from..].find(&needle) {
            let start = from + at;
            from = start + needle.len();
            // A whole word: not `my_crate::` or `xsuper::`.
            if text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            // The path's segments up to a group or the end of the path.
            let mut segments = Vec::new();
            let mut rest = &text[from..];
            loop {
                let name = ident(rest);
                if name.is_empty() {
                    break;
                }
                rest = &rest[name.len()..];
                segments.push(name);
                match rest.strip_prefix("::") {
                    Some(more) => rest = more,
                    None => break,
                }
            }
            match rest.strip_prefix('{') {
                Some(group) => {
                    let mut depth = 1usize;
                    let mut item = String::new();
                    for c in group.chars() {
                        match c {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 || (depth == 1 && c == ',') {
                            let mut path = segments.clone();
                            path.extend(item.trim().split("::").map(ident).take_while(|s| !s.is_empty()));
                            found.push((head, path));
                            item.clear();
                            if depth == 0 {
                                break;
                            }
                        } else {
                            item.push(c);
                        }
                    }
                }
                None => found.push((head, segments)),
            }
        }
    }
    // `use child::…` / `pub use child::…`: relative to the file's own module.
    for line in text.lines() {
        let line = line.trim_start();
        let Some(rest) = line.strip_prefix("pub use ").or_else(|| line.strip_prefix("use ")) else {
            continue;
        };
        let first = ident(rest);
        if !first.is_empty()
            && rest[first.len()..].starts_with("::")
            && !["crate", "super", "self"].contains(&first.as_str())
        {
            found.push(("child", vec![first]));
        }
    }
    found
}

/// File-level imports: which module each file of `src/` uses, outside test code. A module using
/// its own descendants (declaring them, re-exporting their items) is ownership, not an import.
fn file_graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<Vec<String>> = files.iter().filter_map(|f| module_path(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let Some(me) = module_path(&src, file) else { continue };
        if file.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let text = without_tests(&fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
        let edges: &mut BTreeSet<Vec<String>> = graph.entry(me.clone()).or_default();
        for (head, segments) in named_paths(&text) {
            let mut path = match head {
                "crate" => Vec::new(),
                "super" => me[..me.len().saturating_sub(1)].to_vec(),
                _ => me.clone(),
            };
            let mut segments = segments.as_slice();
            while let Some(rest) = segments.strip_prefix(&["super".to_string()][..]) {
                path.pop();
                segments = rest;
            }
            path.extend(segments.iter().cloned());
            if head == "child" && !modules.contains(&path) {
                continue; // an extern crate or an inline module
            }
            // The longest prefix that is a file's module.
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p));
            if let Some(target) = target {
                if !target.starts_with(&me) {
                    edges.insert(target);
                }
            }
        }
    }
    graph
}

#[test]
fn no_two_files_of_src_import_each_other() {
    let graph = file_graph();
    let name = |m: &Vec<String>| if m.is_empty() { "lib".to_string() } else { m.join("/") };
    let mut cycles = Vec::new();
    for (from, edges) in &graph {
        for to in edges {
            // Is `from` reachable from `to`?
            let mut seen = BTreeSet::new();
            let mut stack = vec![to.clone()];
            let mut back = false;
            while let Some(node) = stack.pop() {
                if &node == from {
                    back = true;
                    break;
                }
                if seen.insert(node.clone()) {
                    stack.extend(graph.get(&node).into_iter().flatten().cloned());
                }
            }
            if back {
                cycles.push(format!("{} -> {} -> … -> {}", name(from), name(to), name(from)));
            }
        }
    }
    assert!(
        cycles.is_empty(),
        "files that import each other:\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_file_reader_resolves_every_kind_of_path() {
    let text = "use super::{emit, dedup::Claimed};\nuse crate::aws::{ecs::stopped_tasks, Ledger};\npub use child::Item;\nfn f() { super::super::x(); my_crate::y(); }";
    let paths = named_paths(text);
    let has = |head: &str, p: &[&str]| {
        paths
            .iter()
            .any(|(h, s)| *h == head && s.iter().map(String::as_str).eq(p.iter().copied()))
    };
    assert!(has("super", &["emit"]), "{paths:?}");
    assert!(has("super", &["dedup", "Claimed"]), "{paths:?}");
    assert!(has("crate", &["aws", "ecs", "stopped_tasks"]), "{paths:?}");
    assert!(has("crate", &["aws", "Ledger"]), "{paths:?}");
    assert!(has("child", &["child"]), "{paths:?}");
    assert!(has("super", &["super", "x"]), "{paths:?}");
    assert!(
        !paths.iter().any(|(_, s)| s.first().is_some_and(|s| s == "y")),
        "{paths:?}"
    );
    // And on the real tree: a known edge, and none from a parent to its own child.
    let graph = file_graph();
    let m = |s: &str| s.split('/').map(String::from).collect::<Vec<_>>();
    assert!(
        graph[&m("aws/ecs/stopped_tasks")].contains(&m("aws/ecs/reader")),
        "{:?}",
        graph[&m("aws/ecs/stopped_tasks")]
    );
    assert!(!graph[&m("aws/ecs")].contains(&m("aws/ecs/reader")));
}

#[test]
fn only_main_uses_the_lambda_handler() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let users: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("main.rs") && !f.ends_with("handler.rs"))
        .filter(|f| {
            let text = fs::read_to_string(f).unwrap_or_default();
            referenced(&without_tests(&text)).contains("handler") || text.contains("ecs_doctor::handler")
        })
        .map(|f| f.strip_prefix(&src).unwrap_or(f).display().to_string())
        .collect();
    assert!(
        users.is_empty(),
        "only src/main.rs may use the Lambda's handler: {users:?}"
    );
}

#[test]
fn the_crate_has_few_top_level_modules_and_one_table_of_exit_codes() {
    let graph = graph();
    assert!(
        graph.len() <= 18,
        "{} top-level modules: {:?}",
        graph.len(),
        graph.keys().collect::<Vec<_>>()
    );
    let listed: BTreeSet<&str> = FLOORS.iter().flat_map(|f| f.iter().copied()).collect();
    let unlisted: Vec<&String> = graph.keys().filter(|m| !listed.contains(m.as_str())).collect();
    assert!(unlisted.is_empty(), "top-level modules on no floor: {unlisted:?}");
    // Exit codes: a number given to ExitCode (or an EXIT_ constant) anywhere but cli/exit.rs is
    // a second table.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let elsewhere: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("cli/exit.rs"))
        .filter(|f| {
            let text = without_tests(&fs::read_to_string(f).unwrap_or_default());
            let numbered = text
                .match_indices("ExitCode::from(")
                .any(|(at, m)| text[at + m.len()..].starts_with(|c: char| c.is_ascii_digit()));
            numbered
                || text.contains("const EXIT_")
                || text.contains("ExitCode::SUCCESS")
                || text.contains("ExitCode::FAILURE")
        })
        .map(|f| f.strip_prefix(&src).unwrap_or(f).display().to_string())
        .collect();
    assert!(elsewhere.is_empty(), "exit codes outside cli/exit.rs: {elsewhere:?}");
}
