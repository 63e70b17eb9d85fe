//! Property tests: whatever arrives, ecs-doctor answers with an incident or a clear error, and
//! whatever it diagnoses renders within every format's limits. No panic, anywhere.
//!
//! `cargo fuzz` needs a nightly toolchain; these run on stable, in CI, with a fixed seed and a
//! fixed number of cases, so a run is deterministic and the whole file stays well under a
//! minute in a debug build. A failing case is printed (shrunk); add it to `tests/corpus/` so
//! `tests/it/engine/input_limits.rs` replays it for ever.
//!
//! `scripts/fuzz.sh` runs the same properties for longer: `ECS_DOCTOR_FUZZ_SCALE` multiplies
//! every property's case count (keeping the cheap ones the most frequent), `PROPTEST_CASES`
//! sets one count for all, and `ECS_DOCTOR_FUZZ_SEED` (decimal or 0x-hex) sets the seed.
//! Unset, they keep CI's values.

use ecs_doctor::render::note_text;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Instant;

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::{decode, from_text};
use ecs_doctor::incident::Incident;
use ecs_doctor::render::{chat, email, json, sns_message, MAX_SNS_MESSAGE_BYTES};
use ecs_doctor::report::Report;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{json as j, Map, Number, Value};

/// One seed for every property: CI runs the same cases every time.
const SEED: u64 = 0x0ec5_d0c7;
/// Environment overrides for long runs (scripts/fuzz.sh).
const CASES_VAR: &str = "PROPTEST_CASES";
const SEED_VAR: &str = "ECS_DOCTOR_FUZZ_SEED";
const SCALE_VAR: &str = "ECS_DOCTOR_FUZZ_SCALE";

/// `ECS_DOCTOR_FUZZ_SEED`, else the fixed CI seed. A value that does not parse fails loudly:
/// a long run must not silently repeat CI's cases.
fn seed() -> u64 {
    match std::env::var(SEED_VAR) {
        Err(_) => SEED,
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
                Some(hex) => u64::from_str_radix(&hex.replace('_', ""), 16),
                None => text.replace('_', "").parse(),
            };
            parsed.unwrap_or_else(|e| panic!("{SEED_VAR}={text:?} is not a u64 ({e})"))
        }
    }
}

/// `PROPTEST_CASES`, else the property's own count times `ECS_DOCTOR_FUZZ_SCALE` (else 1).
fn cases_or(default: u32) -> u32 {
    match std::env::var(CASES_VAR) {
        Err(_) => match std::env::var(SCALE_VAR) {
            Err(_) => default,
            Ok(text) => text
                .trim()
                .parse::<u32>()
                .map(|scale| default.saturating_mul(scale))
                .unwrap_or_else(|e| panic!("{SCALE_VAR}={text:?} is not a whole number ({e})")),
        },
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("{CASES_VAR}={text:?} is not a case count ({e})")),
    }
}
const LANGS: [Lang; 2] = [Lang::En, Lang::Ja];

/// A runner with an explicit case count, a fixed seed and no failure files.
fn runner(cases: u32, seed: u64) -> TestRunner {
    TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        // Shrinking a failure is worth a little time, not unbounded time.
        max_shrink_iters: 512,
        ..Config::default()
    })
}

/// Runs `test` over `cases` inputs of `strategy`, prints how many ran, fails on the first
/// counterexample (shrunk).
fn check<S: Strategy>(name: &str, cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let ran = AtomicUsize::new(0);
    let started = Instant::now();
    let cases = cases_or(cases);
    let seed = seed();
    let result = runner(cases, seed).run(&strategy, |input| {
        ran.fetch_add(1, Ordering::Relaxed);
        test(input)
    });
    // scripts/fuzz.sh adds these lines up; keep the wording.
    eprintln!(
        "{name}: {} executions (at most {cases} cases, plus shrinking) with seed {seed:#x} in {:?}",
        ran.load(Ordering::Relaxed),
        started.elapsed()
    );
    if let Err(e) = result {
        panic!("{name} (seed {seed:#x}): {e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// Every sample event in `events/`, parsed.
fn samples() -> &'static [(String, Value)] {
    static SAMPLES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events");
        let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
            .expect("events/ exists")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("readable");
                let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
                (name, serde_json::from_str(&text).expect("sample events are JSON"))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(out.len() >= 40, "expected the sample events, found {}", out.len());
        out
    })
}

/// Pieces that have broken parsers and renderers before: mentions, markup, fences, control
/// characters, typographic quotes, bidi overrides, surrogates' neighbours, ECS wordings.
const PIECES: &[&str] = &[
    "@channel",
    "@here",
    "@everyone",
    "<!here>",
    "<!channel>",
    "<https://x.example|click>",
    "[a](https://x.example)",
    "```",
    "``",
    "`",
    "*",
    "_",
    "~",
    "<",
    ">",
    "!",
    "@",
    "&amp;",
    "\\",
    "\"",
    "'",
    "{",
    "}",
    "{container}",
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "\u{1b}[31m",
    "\u{1b}]0;x\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{2019}",
    "\u{201c}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\u{fffd}",
    "\u{10ffff}",
    "\u{1F4A5}",
    "…",
    "...",
    "日本語",
    "ｘ",
    " ",
    "  ",
    "CannotPullContainerError: ",
    "OutOfMemoryError: Container killed due to memory usage",
    "exit code 137",
    "exited with code -1",
    "exit status 99999999999999999999",
    "ResourceInitializationError: ",
    "reason: ",
    "TaskFailedToStart: ",
    "image '",
    "platform '",
    "arn:aws:secretsmanager:us-east-1:1:secret:x",
    "target-group ",
    "registry-1.docker.io",
    "123.dkr.ecr.us-east-1.amazonaws.com/x:1",
    "RESOURCE:MEMORY",
];

/// Text from a hostile or broken workload: any characters, dangerous pieces, or a lot of them.
fn nasty_string() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(any::<char>(), 0..48).prop_map(String::from_iter),
        6 => prop::collection::vec(prop::sample::select(PIECES), 0..12).prop_map(|p| p.concat()),
        1 => (prop::sample::select(PIECES), 500usize..8000).prop_map(|(p, n)| p.repeat(n)),
        1 => (1usize..300_000).prop_map(|n| "x".repeat(n)),
    ]
}

/// Any JSON value a field might be replaced with.
fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| j!(n)),
        any::<u64>().prop_map(|n| j!(n)),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        prop::sample::select(&[0.5, -0.0, 1e300, -1e300, 1584373024.979, 253402300800.0][..]).prop_map(|f| j!(f)),
        nasty_string().prop_map(Value::String),
        prop::collection::vec(nasty_string().prop_map(Value::String), 0..4).prop_map(Value::Array),
        prop::collection::btree_map("[a-zA-Z]{1,12}", nasty_string().prop_map(Value::String), 0..3)
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        Just(j!([[[]]])),
        Just(j!({})),
    ]
}

/// One change to a real event. Node indices count the event's nodes in pre-order (modulo).
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Value),
    /// Wrap a node in this many arrays (past serde_json's recursion limit of 128 too).
    Nest(usize, u16),
    /// Every string of the event becomes this one.
    AllStrings(String),
    /// Every scalar of the event becomes `null`.
    NullEverywhere,
    /// Repeat the containers (same names) up to this many.
    DuplicateContainers(u16),
    /// The detail as `aws ecs describe-tasks` output.
    AsDescribeTasks,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        6 => any::<usize>().prop_map(Mutation::Delete),
        10 => (any::<usize>(), replacement()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        1 => (any::<usize>(), prop_oneof![1u16..8, 120u16..140, 1000u16..1200]).prop_map(|(i, n)| Mutation::Nest(i, n)),
        1 => nasty_string().prop_map(Mutation::AllStrings),
        1 => Just(Mutation::NullEverywhere),
        1 => prop_oneof![2u16..12, 90u16..120, 1000u16..3000].prop_map(Mutation::DuplicateContainers),
        1 => Just(Mutation::AsDescribeTasks),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path to node number `n` (modulo the node count) of `value`, in pre-order; the root is
/// the empty path. Only the current path is kept: nested and duplicated nodes make
/// all the paths together quadratic in size.
fn nth_path(value: &Value, n: usize) -> Vec<Step> {
    let mut count = 0usize;
    every_node_ref(value, &mut |_| count += 1);
    let target = n % count.max(1);
    let mut seen = 0usize;
    let mut path: Vec<Step> = Vec::new();
    // (node, its depth, the step that led to it)
    let mut stack: Vec<(&Value, usize, Option<Step>)> = vec![(value, 0, None)];
    while let Some((node, depth, step)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        if let Some(step) = step {
            path.push(step);
        }
        if seen == target {
            return path;
        }
        seen += 1;
        match node {
            Value::Object(map) => {
                for (k, child) in map.iter().rev() {
                    stack.push((child, depth + 1, Some(Step::Key(k.clone()))));
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate().rev() {
                    stack.push((child, depth + 1, Some(Step::Index(i))));
                }
            }
            _ => {}
        }
    }
    path
}

fn every_node_ref(value: &Value, f: &mut impl FnMut(&Value)) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        f(v);
        match v {
            Value::Object(map) => stack.extend(map.values()),
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}

fn at_mut<'a>(mut value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for step in path {
        value = match step {
            Step::Key(k) => value.get_mut(k.as_str())?,
            Step::Index(i) => value.get_mut(*i)?,
        };
    }
    Some(value)
}

fn every_node(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        f(v);
        match v {
            Value::Object(map) => stack.extend(map.values_mut()),
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// How large a mutated event may grow: past the input limit (to reach the size check), not
/// gigabytes (a huge string in each of thousands of duplicated containers).
const MAX_EVENT_BYTES: usize = 9 * 1024 * 1024;

fn json_size(value: &Value) -> usize {
    serde_json::to_vec(value).map_or(0, |b| b.len())
}

fn apply(event: &mut Value, mutation: &Mutation) {
    let pick = nth_path;
    match mutation {
        Mutation::Delete(i) => {
            let path = pick(event, *i);
            let Some((last, parent)) = path.split_last() else {
                *event = Value::Null;
                return;
            };
            match (at_mut(event, parent), last) {
                (Some(Value::Object(map)), Step::Key(k)) => {
                    map.remove(k);
                }
                (Some(Value::Array(items)), Step::Index(i)) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            }
        }
        Mutation::Replace(i, with) => {
            let path = pick(event, *i);
            if let Some(node) = at_mut(event, &path) {
                *node = with.clone();
            }
        }
        Mutation::Nest(i, depth) => {
            let path = pick(event, *i);
            if let Some(node) = at_mut(event, &path) {
                let mut nested = node.take();
                for _ in 0..*depth {
                    nested = Value::Array(vec![nested]);
                }
                *node = nested;
            }
        }
        Mutation::AllStrings(s) => {
            let mut strings = 0;
            every_node(event, &mut |v| strings += usize::from(v.is_string()));
            let mut keep = (MAX_EVENT_BYTES / strings.max(1)).min(s.len());
            while !s.is_char_boundary(keep) {
                keep -= 1;
            }
            every_node(event, &mut |v| {
                if v.is_string() {
                    *v = Value::String(s[..keep].to_string());
                }
            })
        }
        Mutation::NullEverywhere => every_node(event, &mut |v| {
            if !(v.is_object() || v.is_array()) {
                *v = Value::Null;
            }
        }),
        Mutation::DuplicateContainers(n) => {
            if let Some(Value::Array(containers)) = event.pointer_mut("/detail/containers") {
                if !containers.is_empty() {
                    let original = containers.clone();
                    let each = json_size(&Value::Array(original.clone())) / original.len() + 1;
                    let n = usize::from(*n).min(MAX_EVENT_BYTES / each);
                    containers.extend(original.iter().cycle().take(n).cloned());
                }
            }
        }
        Mutation::AsDescribeTasks => {
            let detail = event.get("detail").cloned().unwrap_or(Value::Null);
            *event = j!({"tasks": [detail], "failures": [{"arn": "x", "reason": "MISSING"}]});
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What must hold
// ---------------------------------------------------------------------------------------------

const TITLE_MAX: usize = 250;
const DESCRIPTION_MAX: usize = 8000;
const NEXT_STEP_MAX: usize = 350;
const KEYWORD_MAX: usize = 75;

/// The chat notification's content: within Chatbot's limits, and no mention, no `<!…>`
/// command, no code fence but the renderer's own (a line that is exactly "```").
fn check_chat(notification: &Value) -> Result<(), TestCaseError> {
    let content = &notification["content"];
    let text = |v: &Value| v.as_str().map(str::to_string);
    let title = text(&content["title"]).unwrap_or_default();
    let description = text(&content["description"]);
    prop_assert!(description.is_some(), "no description: {notification}");
    let description = description.unwrap_or_default();
    prop_assert!(
        title.chars().count() <= TITLE_MAX,
        "title of {} chars",
        title.chars().count()
    );
    prop_assert!(
        description.chars().count() <= DESCRIPTION_MAX,
        "description of {} chars",
        description.chars().count()
    );
    let list = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    };
    let steps = list(&content["nextSteps"]);
    let keywords = list(&content["keywords"]);
    for step in &steps {
        prop_assert!(
            step.chars().count() <= NEXT_STEP_MAX,
            "next step of {} chars",
            step.chars().count()
        );
    }
    for keyword in &keywords {
        prop_assert!(
            keyword.chars().count() <= KEYWORD_MAX,
            "keyword of {} chars",
            keyword.chars().count()
        );
    }
    for (field, value) in [("title", &title), ("description", &description)]
        .into_iter()
        .chain(steps.iter().map(|s| ("nextSteps", s)))
        .chain(keywords.iter().map(|k| ("keywords", k)))
    {
        let lower = value.to_lowercase();
        for bad in ["@channel", "@here", "@everyone", "<!"] {
            prop_assert!(!lower.contains(bad), "{field} contains {bad:?}: {value:?}");
        }
        let fence_ok = if field == "description" {
            value.lines().all(|line| !line.contains("```") || line == "```")
        } else {
            !value.contains("```")
        };
        prop_assert!(fence_ok, "{field} contains a code fence from the workload: {value:?}");
    }
    Ok(())
}

/// How often the SNS message had to fall back to its last resort (every string and list cut),
/// and how often the decoder cut the input: evidence that the properties reach those paths.
static SNS_LAST_RESORT: AtomicUsize = AtomicUsize::new(0);
static INPUT_CUT: AtomicUsize = AtomicUsize::new(0);

/// Diagnose in both languages and render every format: nothing panics, every limit holds.
fn check_incident(incident: &Incident) -> Result<(), TestCaseError> {
    if incident
        .notes
        .iter()
        .any(|n| note_text(n, Lang::En).starts_with("The input was cut"))
    {
        INPUT_CUT.fetch_add(1, Ordering::Relaxed);
    }
    for lang in LANGS {
        let diagnosis = Report::from(diagnose(incident, lang));
        prop_assert!(!diagnosis.findings.is_empty());
        let text = email(incident, &diagnosis);
        if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
            return Err(TestCaseError::fail(format!("raw {c:?} in the e-mail: {text:?}")));
        }
        check_chat(&chat(incident, &diagnosis))?;
        let machine = json(incident, &diagnosis).to_string();
        prop_assert!(serde_json::from_str::<Value>(&machine).is_ok());
        let m = sns_message(incident, &diagnosis);
        prop_assert!(
            m.message.len() <= MAX_SNS_MESSAGE_BYTES,
            "SNS message of {} bytes",
            m.message.len()
        );
        let structure: Result<Value, _> = serde_json::from_str(&m.message);
        prop_assert!(structure.is_ok(), "SNS message is not JSON");
        let structure = structure.unwrap_or_default();
        if structure["sqs"]
            .as_str()
            .is_some_and(|m| m.contains("\"truncated\":true"))
        {
            SNS_LAST_RESORT.fetch_add(1, Ordering::Relaxed);
        }
        for key in ["default", "https"] {
            let body = structure[key].as_str().map(serde_json::from_str::<Value>);
            prop_assert!(matches!(body, Some(Ok(_))), "SNS `{key}` body is not JSON");
        }
        prop_assert!(
            m.subject.is_ascii() && m.subject.len() < 100 && !m.subject.chars().any(|c| c.is_control()),
            "subject {:?}",
            m.subject
        );
        prop_assert!(!m.subject.is_empty());
    }
    Ok(())
}

/// Decode: an incident, or an error that says something.
fn check_bytes(bytes: &[u8], ok: &AtomicUsize) -> Result<(), TestCaseError> {
    match decode(bytes) {
        Ok(incidents) => {
            ok.fetch_add(1, Ordering::Relaxed);
            prop_assert!(!incidents.is_empty());
            for incident in &incidents {
                check_incident(incident)?;
            }
        }
        Err(e) => {
            let message = e.to_string();
            prop_assert!(!message.trim().is_empty(), "empty error for {e:?}");
            prop_assert!(message.len() < 4096, "error of {} bytes", message.len());
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

/// JSON-ish token soup: reaches the decoder's shape checks more often than random bytes do.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "null",
    "true",
    "0",
    "-1",
    "1e999",
    "\"detail-type\"",
    "\"detail\"",
    "\"ECS Task State Change\"",
    "\"ECS Service Action\"",
    "\"AWS API Call via CloudTrail\"",
    "\"tasks\"",
    "\"failures\"",
    "\"taskArn\"",
    "\"containers\"",
    "\"reason\"",
    "\"x\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\u{feff}",
    "\u{ff}",
    " ",
];

#[test]
fn arbitrary_bytes_never_panic_decode() {
    let ok = AtomicUsize::new(0);
    let sample_bytes: Vec<Vec<u8>> = samples()
        .iter()
        .map(|(_, v)| serde_json::to_vec(v).expect("serialises"))
        .collect();
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(prop::sample::select(TOKENS), 0..64).prop_map(|t| t.concat().into_bytes()),
        // A real event with bytes flipped, dropped or inserted.
        (
            prop::sample::select(sample_bytes),
            prop::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..6)
        )
            .prop_map(|(mut bytes, edits)| {
                for (at, byte, op) in edits {
                    let at = at % (bytes.len() + 1);
                    match op {
                        0 if at < bytes.len() => bytes[at] = byte,
                        1 if at < bytes.len() => {
                            bytes.remove(at);
                        }
                        _ => bytes.insert(at, byte),
                    }
                }
                bytes
            }),
    ];
    check("arbitrary bytes", 3000, strategy, |bytes| check_bytes(&bytes, &ok));
    eprintln!("arbitrary bytes: {} decoded to incidents", ok.load(Ordering::Relaxed));
}

#[test]
fn mutated_real_events_never_panic_and_render_within_limits() {
    let ok = AtomicUsize::new(0);
    let strategy = (0..samples().len(), prop::collection::vec(mutation(), 1..5));
    check("mutated real events", 600, strategy, |(index, mutations)| {
        let mut event = samples()[index].1.clone();
        for m in &mutations {
            apply(&mut event, m);
        }
        let bytes = serde_json::to_vec(&event).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_bytes(&bytes, &ok)
    });
    eprintln!(
        "mutated real events: {} decoded to incidents; so far {} incident(s) cut by the decoder, {} SNS message(s) by the last resort",
        ok.load(Ordering::Relaxed),
        INPUT_CUT.load(Ordering::Relaxed),
        SNS_LAST_RESORT.load(Ordering::Relaxed)
    );
}

#[test]
fn arbitrary_reason_text_diagnoses_and_renders() {
    check("arbitrary reason text", 300, nasty_string(), |text| {
        let incident = from_text(&text);
        check_incident(&incident)
    });
}

/// The sample task events that have containers, for the chat-safety property.
fn task_samples() -> Vec<Value> {
    samples()
        .iter()
        .filter(|(_, v)| {
            v.pointer("/detail/containers")
                .and_then(Value::as_array)
                .is_some_and(|c| !c.is_empty())
        })
        .map(|(_, v)| v.clone())
        .collect()
}

#[test]
fn workload_text_cannot_mention_or_break_out_in_chat() {
    let tasks = task_samples();
    assert!(!tasks.is_empty());
    let strategy = (
        prop::sample::select(tasks),
        nasty_string(),
        any::<prop::sample::Index>(),
        // Where else the same text goes: nowhere, stoppedReason (Fargate copies it), the
        // container's name, image or memory.
        prop::sample::select(&["", "stoppedReason", "name", "image", "memory"][..]),
    );
    check("chat safety", 300, strategy, |(mut event, text, which, also)| {
        let count = event
            .pointer("/detail/containers")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let i = which.index(count);
        if let Some(c) = event.pointer_mut(&format!("/detail/containers/{i}")) {
            c["reason"] = Value::String(text.clone());
            match also {
                "name" | "image" | "memory" => c[also] = Value::String(text.clone()),
                _ => {}
            }
        }
        if also == "stoppedReason" {
            event["detail"]["stoppedReason"] = Value::String(text.clone());
        }
        let bytes = serde_json::to_vec(&event).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let incidents =
            decode(&bytes).map_err(|e| TestCaseError::fail(format!("a real event with a new reason: {e}")))?;
        for incident in &incidents {
            for lang in LANGS {
                check_chat(&chat(incident, &Report::from(diagnose(incident, lang))))?;
            }
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Planted credentials: none survives into any output
// ---------------------------------------------------------------------------------------------

/// Each kind of credential as it appears in text, with the part that must never be shown.
const PLANTED: &[(&str, &str)] = &[
    ("pull https://deploy:hunter2@registry.example.com/v2/", "hunter2"),
    ("key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    (
        "aws_secret_access_key=wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY",
        "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY",
    ),
    (
        "token ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    ),
    (
        "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVW",
    ),
    (
        "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
        "AbCdEfGhIjKlMnOpQrStUvWx",
    ),
    (
        "webhook https://hooks.slack.com/services/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",
        "ZzYyXxWwVvUuTtSsRrQqPpOo",
    ),
    (
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7bqPlantedKeyBody\n-----END RSA PRIVATE KEY-----",
        "MIIEpAIBAAKCAQEA7bqPlantedKeyBody",
    ),
    ("Authorization: Bearer s3cr3tT0kenValue42", "s3cr3tT0kenValue42"),
    (
        "Authorization: token ghx_PlantedOpaqueToken77",
        "ghx_PlantedOpaqueToken77",
    ),
    ("curl -f -u admin:Pa55w0rdCurl http://localhost/health", "Pa55w0rdCurl"),
    (
        "mysqladmin ping -h 127.0.0.1 -uroot -pPa55w0rdAttached",
        "Pa55w0rdAttached",
    ),
    ("mysqladmin ping -u root -p Pa55w0rdSpaced", "Pa55w0rdSpaced"),
    ("redis-cli -a R3disPassWord ping", "R3disPassWord"),
    ("app --password Pa55w0rdFlag --check", "Pa55w0rdFlag"),
];

/// Every output of every format for `incident`, in both languages.
fn every_output(incident: &Incident) -> Vec<String> {
    let mut out = Vec::new();
    for lang in LANGS {
        let report = Report::from(diagnose(incident, lang));
        out.push(chat(incident, &report).to_string());
        out.push(email(incident, &report));
        out.push(ecs_doctor::render::sms(incident, &report));
        out.push(json(incident, &report).to_string());
        let sns = sns_message(incident, &report);
        out.push(sns.subject);
        out.push(sns.message);
        out.extend(
            sns.attributes
                .into_iter()
                .map(|(name, value)| format!("{name}={value}")),
        );
    }
    out
}

fn refuse_secret(outputs: &[String], secret: &str, place: &str) -> Result<(), TestCaseError> {
    for output in outputs {
        if output.contains(secret) {
            return Err(TestCaseError::fail(format!(
                "{secret} planted in {place} is shown:\n{output}"
            )));
        }
    }
    Ok(())
}

/// Index of a string leaf of `value` (modulo their count), as a path.
fn nth_string_path(value: &Value, n: usize) -> Option<Vec<Step>> {
    let mut strings = 0usize;
    every_node_ref(value, &mut |v| strings += usize::from(v.is_string()));
    if strings == 0 {
        return None;
    }
    let target = n % strings;
    let mut seen = 0usize;
    let mut nodes = 0usize;
    every_node_ref(value, &mut |_| nodes += 1);
    // Walk the pre-order node paths until the target-th string.
    (0..nodes).map(|i| nth_path(value, i)).find(|path| {
        let is_string = at(value, path).is_some_and(Value::is_string);
        if is_string {
            seen += 1;
        }
        is_string && seen == target + 1
    })
}

fn at<'a>(mut value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    for step in path {
        value = match step {
            Step::Key(k) => value.get(k.as_str())?,
            Step::Index(i) => value.get(*i)?,
        };
    }
    Some(value)
}

#[test]
fn a_credential_planted_anywhere_is_in_no_output_of_any_format() {
    // The string from the issue, as `explain --text` reads it.
    let text =
        "CannotStartContainerError: pull https://deploy:hunter2@registry.example.com/v2/ key AKIAIOSFODNN7EXAMPLE";
    let outputs = every_output(&from_text(text));
    for secret in ["hunter2", "AKIAIOSFODNN7EXAMPLE"] {
        if let Err(e) = refuse_secret(&outputs, secret, "--text") {
            panic!("{e}");
        }
    }
    let strategy = (
        0..samples().len(),
        0..PLANTED.len(),
        any::<usize>(),
        prop::sample::select(&["", " ", "reason: ", "\"", "'", "=", "-H "][..]),
        prop::sample::select(&["", " ", "\"", "'", ".", ",", "\n", " trailing words"][..]),
    );
    check(
        "planted credentials",
        300,
        strategy,
        |(index, kind, field, before, after)| {
            let (planted, secret) = PLANTED[kind];
            let text = format!("{before}{planted}{after}");
            // In a field of the event: each string leaf in turn, appended to what is there.
            let mut event = samples()[index].1.clone();
            if let Some(path) = nth_string_path(&event, field) {
                if let Some(Value::String(s)) = at_mut(&mut event, &path) {
                    s.push(' ');
                    s.push_str(&text);
                }
            }
            let bytes = serde_json::to_vec(&event).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut incidents = match decode(&bytes) {
                Ok(incidents) => incidents,
                // A field the decoder needs (an ARN, a time) made invalid: the error says what, not it.
                Err(err) => return refuse_secret(&[err.to_string()], secret, "a decode error"),
            };
            let place = format!("{} of {}", field, samples()[index].0);
            for incident in &mut incidents {
                refuse_secret(&every_output(incident), secret, &place)?;
                // In a log tail and a health-check command, as if the reads had not redacted them.
                let container = incident
                    .task
                    .as_ref()
                    .and_then(|t| t.containers.first())
                    .map_or_else(|| "app".to_string(), |c| c.name.clone());
                incident.log_tails.push(ecs_doctor::incident::LogTail {
                    container: container.clone(),
                    log_group: "/ecs/app".into(),
                    log_stream: "ecs/app/1".into(),
                    lines: vec!["starting".into(), text.clone()],
                });
                incident.task_definition = Some(ecs_doctor::incident::TaskDefinition {
                    arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:1".into(),
                    containers: vec![ecs_doctor::incident::ContainerDefinition {
                        name: container,
                        health_check: Some(ecs_doctor::incident::HealthCheck {
                            command: vec!["CMD-SHELL".into(), text.clone()],
                            ..Default::default()
                        }),
                        ..Default::default()
                    }],
                    ..Default::default()
                });
                refuse_secret(&every_output(incident), secret, "a log tail or health check")?;
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Every other parser of outside data: times, durations, mute rules, dead-letter messages,
// CloudTrail events, the function's environment
// ---------------------------------------------------------------------------------------------

/// Text shaped like each parser's input (digits, dashes, colons, JSON), and anything at all.
fn parser_input() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => nasty_string(),
        3 => prop::collection::vec(
            prop::sample::select(&[
                "2026", "-", "11", "T", "t", " ", ":", "59", "60", "99", "300000000000", "-9223372036854775808",
                "9223372036854775807", "Z", "+", "09:00", ".", "123456789", "h", "m", "s", "d", "{", "}", "[",
                "]", "\"", ",", "null", "\"expires\"", "\"match\"", "\"eventTime\"", "\"eventName\"", "0", "1e309",
            ][..]),
            0..24,
        )
        .prop_map(|p| p.concat()),
    ]
}

#[test]
fn every_parser_of_outside_text_answers_without_a_panic() {
    use ecs_doctor::util::time::{epoch_millis_from_iso8601, epoch_seconds_from_iso8601, iso8601_from_epoch};
    check("outside text parsers", 1500, parser_input(), |text| {
        if let Some(ms) = epoch_millis_from_iso8601(&text) {
            // What parses prints back without overflow.
            prop_assert!(iso8601_from_epoch(ms as f64 / 1000.0).ends_with('Z'));
        }
        let _ = epoch_seconds_from_iso8601(&text);
        let _ = ecs_doctor::util::duration::parse_seconds(&text);
        let _ = ecs_doctor::config::mute::MuteRules::parse(&text);
        let _ = ecs_doctor::changes::parse_cloudtrail_event(&text, "arn:aws:ecs:us-east-1:1:service/c/s");
        let attributes = std::collections::BTreeMap::from([
            ("ERROR_MESSAGE".to_string(), text.clone()),
            ("RequestID".to_string(), text.clone()),
        ]);
        let record = ecs_doctor::cli::replay::read_record(&text, &attributes);
        let _ = ecs_doctor::cli::replay::examine(&record, Lang::En);
        let config = ecs_doctor::config::Config::from_lookup(|_| Some(text.clone()));
        if let Err(err) = config {
            // A bad setting is named, and its value is not echoed past a line.
            prop_assert!(!err.to_string().is_empty());
        }
        Ok(())
    });
}
