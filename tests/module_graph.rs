//! The crate's module graph runs one way (README "How it decides", `lib.rs`): no top-level
//! module of `src/` may reach back up to one that uses it. This test reads the sources, so a
//! `use crate::render` added to `diagnose` fails here, not in a review.
//!
//! Only code outside `#[cfg(test)]` counts: test code may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The pure core, bottom up: each floor may use only the floors below it (and itself).
/// Modules not listed sit on top (the pipeline, the CLI, the AWS adapters and their helpers)
/// and may use any floor; among themselves they must only be free of cycles.
const FLOORS: &[&[&str]] = &[
    &["util"],
    &["redact"],
    &["incident"],
    &["event", "fixture"],
    &["diagnose"],
    &["verify", "changes"],
    &["report"],
    &["render"],
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
