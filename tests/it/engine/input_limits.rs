//! Hostile and oversized inputs: each one gets a clear error or a bounded result, fast.
//!
//! The time bounds are generous (debug build, a busy CI machine): they catch quadratic
//! blow-ups, they are not benchmarks. Every input that ever crashed ecs-doctor or made it slow
//! goes into `tests/corpus/` (at most 64 KiB each), and `corpus_runs_clean` replays them all.

use ecs_doctor::render::note_text;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::{decode, from_text, DecodeError, MAX_INPUT_BYTES, MAX_LIST_ITEMS, MAX_TEXT_BYTES};
use ecs_doctor::incident::Incident;
use ecs_doctor::render::{chat, email, json, sns_message, MAX_SNS_MESSAGE_BYTES, MAX_SUBJECT_CHARS};
use ecs_doctor::report::Report;
use serde_json::{json as j, Value};

/// Per-case ceiling, in a debug build.
const TIME_BOX: Duration = Duration::from_secs(5);
/// Largest e-mail body any input may produce (the longest real one is a few KiB; the SNS
/// message cuts it further). With the decoder's limits on texts and lists, even names of
/// 16 KiB quoted in every line stay far below this.
const MAX_EMAIL_BYTES: usize = MAX_INPUT_BYTES;

fn task_event(stopped_reason: &str, containers: Vec<Value>) -> Value {
    j!({
        "version": "0",
        "id": "0b2f1c3e-0000-4000-8000-000000000001",
        "detail-type": "ECS Task State Change",
        "source": "aws.ecs",
        "account": "123456789012",
        "time": "2025-03-21T09:46:56Z",
        "region": "us-east-1",
        "resources": ["arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef"],
        "detail": {
            "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
            "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef",
            "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7",
            "group": "service:web",
            "launchType": "FARGATE",
            "lastStatus": "STOPPED",
            "desiredStatus": "STOPPED",
            "stopCode": "TaskFailedToStart",
            "stoppedReason": stopped_reason,
            "stoppedAt": "2025-03-21T09:46:56.152Z",
            "containers": containers,
        }
    })
}

fn container(name: &str, reason: &str, exit_code: Option<i64>) -> Value {
    j!({
        "name": name,
        "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
        "lastStatus": "STOPPED",
        "reason": reason,
        "exitCode": exit_code,
    })
}

fn bytes_of(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("serialises")
}

/// What every rendered incident must respect, whatever the input; each language's diagnosis
/// and renderings within the time box. Returns the largest e-mail body's size.
fn check_outputs(incident: &Incident) -> usize {
    let mut email_bytes = 0;
    for lang in [Lang::En, Lang::Ja] {
        let started = Instant::now();
        let diagnosis = Report::from(diagnose(incident, lang));
        assert!(!diagnosis.findings.is_empty());
        let text = email(incident, &diagnosis);
        assert!(text.len() <= MAX_EMAIL_BYTES, "e-mail body is {} bytes", text.len());
        for c in text.chars() {
            assert!(
                c == '\n' || !c.is_control(),
                "raw control character {c:?} in the e-mail"
            );
        }
        email_bytes = email_bytes.max(text.len());
        let _ = chat(incident, &diagnosis).to_string();
        let _ = json(incident, &diagnosis).to_string();
        let m = sns_message(incident, &diagnosis);
        assert!(
            m.message.len() <= MAX_SNS_MESSAGE_BYTES,
            "SNS message is {} bytes",
            m.message.len()
        );
        serde_json::from_str::<Value>(&m.message).expect("the SNS message is valid JSON");
        assert!(
            m.subject.is_ascii() && m.subject.len() <= MAX_SUBJECT_CHARS && !m.subject.chars().any(|c| c.is_control()),
            "{:?}",
            m.subject
        );
        let took = started.elapsed();
        assert!(took < TIME_BOX, "diagnosing and rendering in {lang:?} took {took:?}");
    }
    email_bytes
}

/// Decode `bytes`, then diagnose and render what it gives, each step within the time box.
fn run(name: &str, bytes: &[u8]) -> Result<Vec<Incident>, DecodeError> {
    let started = Instant::now();
    let decoded = decode(bytes);
    let took = started.elapsed();
    eprintln!("{name}: {} bytes decoded in {took:?}", bytes.len());
    assert!(took < TIME_BOX, "decoding {name} took {took:?}");
    if let Ok(incidents) = &decoded {
        let started = Instant::now();
        for incident in incidents {
            check_outputs(incident);
        }
        eprintln!(
            "{name}: {} incident(s) diagnosed and rendered in {:?}",
            incidents.len(),
            started.elapsed()
        );
    }
    decoded
}

fn error_of(name: &str, bytes: &[u8]) -> String {
    match run(name, bytes) {
        Ok(_) => panic!("{name}: expected an error"),
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty());
            // A clear error is a readable one: it does not echo megabytes of input back.
            assert!(message.len() < 2048, "{name}: error is {} bytes", message.len());
            message
        }
    }
}

/// The note `decode` adds when it had to cut the input.
fn was_cut(incident: &Incident) -> bool {
    incident
        .notes
        .iter()
        .any(|n| note_text(n, Lang::En).starts_with("The input was cut before diagnosis"))
}

#[test]
fn a_5_mib_reason_gives_a_bounded_message() {
    let reason = format!(
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): {}",
        "x".repeat(5 * 1024 * 1024)
    );
    // In a container's reason, then in the task's stoppedReason (both would pass the input limit).
    let event = task_event(
        "Essential container in task exited",
        vec![container("app", &reason, None)],
    );
    let incidents = run("5 MiB container reason", &bytes_of(&event)).expect("decodes");
    assert_eq!(incidents.len(), 1);
    let kept = incidents[0]
        .task
        .as_ref()
        .and_then(|t| t.containers[0].reason.as_deref())
        .unwrap_or_default();
    assert!(
        kept.len() <= MAX_TEXT_BYTES && kept.ends_with('…') && was_cut(&incidents[0]),
        "{}",
        kept.len()
    );
    let event = task_event(&reason, vec![container("app", "", Some(1))]);
    let incidents = run("5 MiB stoppedReason", &bytes_of(&event)).expect("decodes");
    assert!(was_cut(&incidents[0]));

    // The same text pasted on the command line, and made of multi-byte characters and spaces.
    for text in [
        reason.clone(),
        "can\u{2019}t ".repeat(1024 * 1024),
        " ".repeat(5 * 1024 * 1024),
        "exit code 137 ".repeat(400_000),
        "\u{1F4A5}".repeat(MAX_TEXT_BYTES / 4 + 1),
    ] {
        let incident = from_text(&text);
        assert!(incident.text.as_ref().is_some_and(|t| t.len() <= MAX_TEXT_BYTES) && was_cut(&incident));
        check_outputs(&incident);
    }
}

#[test]
fn five_thousand_containers_give_a_bounded_message() {
    let containers = (0..5000)
        .map(|i| {
            let reason = match i % 3 {
                0 => format!("CannotPullContainerError: pull image manifest unknown for image 'web:{i}'"),
                1 => "OutOfMemoryError: Container killed due to memory usage".to_string(),
                _ => format!("exit code {}", i % 256),
            };
            container(&format!("c{i}"), &reason, Some(i % 256))
        })
        .collect();
    let event = task_event("Essential container in task exited", containers);
    let incidents = run("5,000 containers", &bytes_of(&event)).expect("decodes");
    assert_eq!(
        incidents[0].task.as_ref().map(|t| t.containers.len()),
        Some(MAX_LIST_ITEMS)
    );
    assert!(was_cut(&incidents[0]), "{:?}", incidents[0].notes);
}

/// The engine used to read the task's stoppedReason again for every container and rule: a long
/// reason times many containers was quadratic (an 1 MiB event with 2,000 containers took
/// minutes). It now normalises the reason once per incident; the decoder's limits still bound
/// both factors. `benches/diagnose.rs` measures the growth (speed is not asserted here).
#[test]
fn a_long_stopped_reason_times_many_containers_stays_fast() {
    let containers: Vec<Value> = (0..2000)
        .map(|i| j!({"name": format!("c{i}"), "exitCode": 1}))
        .collect();
    let mut event = task_event(&"Essential container in task exited ".repeat(30_000), containers);
    event["detail"]["stopCode"] = j!("EssentialContainerExited");
    run("1 MiB stoppedReason and 2,000 containers", &bytes_of(&event)).expect("decodes");
    // The same shape within the limits: the most containers and the longest reason kept.
    let containers: Vec<Value> = (0..MAX_LIST_ITEMS)
        .map(|i| j!({"name": format!("c{i}"), "exitCode": 1}))
        .collect();
    let reason = "Essential container in task exited ".repeat(MAX_TEXT_BYTES / 36);
    let mut event = task_event(&reason, containers);
    event["detail"]["stopCode"] = j!("EssentialContainerExited");
    let incidents = run("longest stoppedReason and most containers", &bytes_of(&event)).expect("decodes");
    assert!(!was_cut(&incidents[0]));
}

#[test]
fn many_api_failures_and_describe_tasks_output_give_bounded_messages() {
    let failures: Vec<Value> = (0..5000)
        .map(|i| j!({"arn": format!("arn:aws:ecs:us-east-1:1:container-instance/prod/{i}"), "reason": "RESOURCE:MEMORY"}))
        .collect();
    let event = j!({
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.ecs",
        "detail": {
            "eventSource": "ecs.amazonaws.com",
            "eventName": "RunTask",
            "requestParameters": {"cluster": "prod"},
            "responseElements": {"failures": failures},
        }
    });
    let incidents = run("5,000 API failures", &bytes_of(&event)).expect("decodes");
    assert_eq!(incidents[0].api_failures.len(), MAX_LIST_ITEMS);

    let tasks: Vec<Value> = (0..2000)
        .map(|i| {
            j!({
                "taskArn": format!("arn:aws:ecs:eu-west-1:222:task/c/{i}"),
                "lastStatus": "STOPPED",
                "stoppedReason": "Essential container in task exited",
                "containers": [{"name": "app", "exitCode": 1}],
            })
        })
        .collect();
    let output = j!({"tasks": tasks, "failures": [{"arn": "x", "reason": "MISSING"}]});
    let incidents = run("describe-tasks with 2,000 tasks", &bytes_of(&output)).expect("decodes");
    assert_eq!(incidents.len(), MAX_LIST_ITEMS + 1);
    assert!(incidents.iter().all(was_cut));
}

/// Identifiers shared by every finding (cluster, task ARN, service) are long only in broken
/// input; each finding quotes them, so they too must be bounded.
#[test]
fn huge_names_and_arns_give_bounded_messages() {
    let huge = "n".repeat(512 * 1024);
    let containers = (0..4)
        .map(|i| {
            container(
                &format!("{huge}{i}"),
                "OutOfMemoryError: Container killed due to memory usage",
                Some(137),
            )
        })
        .collect();
    let mut event = task_event("Essential container in task exited", containers);
    event["detail"]["clusterArn"] = j!(format!("arn:aws:ecs:us-east-1:1:cluster/{huge}"));
    event["detail"]["taskArn"] = j!(huge.clone());
    event["detail"]["group"] = j!(format!("service:{huge}"));
    event["detail"]["launchType"] = j!(huge.clone());
    event["detail"]["memory"] = j!(huge.clone());
    event["detail"]["taskDefinitionArn"] = j!(huge.clone());
    event["id"] = j!(huge.clone());
    event["region"] = j!(huge.clone());
    let bytes = bytes_of(&event);
    assert!(bytes.len() <= MAX_INPUT_BYTES);
    let incidents = run("half-megabyte names and ARNs", &bytes).expect("decodes");
    assert!(was_cut(&incidents[0]));
}

#[test]
fn json_nested_10000_levels_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    // Deep nesting where the decoder looks: inside `detail` and inside a container.
    let inside_detail = String::from_utf8(bytes_of(&task_event("x", vec![])))
        .expect("utf-8")
        .replace(r#""containers":[]"#, &format!(r#""containers":{arrays}"#));
    let inside_reason = String::from_utf8(bytes_of(&task_event("x", vec![container("app", "x", None)])))
        .expect("utf-8")
        .replace(r#""reason":"x""#, &format!(r#""reason":{objects}"#));
    for (name, input) in [
        ("nested arrays", &arrays),
        ("nested objects", &objects),
        ("nested inside detail", &inside_detail),
        ("nested inside a container", &inside_reason),
    ] {
        let err = error_of(name, input.as_bytes());
        assert!(
            err.starts_with("input is not valid JSON") && err.contains("recursion limit"),
            "{name}: {err}"
        );
    }
}

#[test]
fn invalid_utf8_is_a_json_error_that_says_where() {
    let good = bytes_of(&task_event(
        "Essential container in task exited",
        vec![container("app", "boom", Some(1))],
    ));
    let at = good.windows(4).position(|w| w == b"boom").expect("reason in the event");
    // A lone continuation byte, an overlong encoding, a truncated sequence, a surrogate.
    for bad in [&b"\x80"[..], b"\xc0\xaf", b"\xe2\x82", b"\xed\xa0\x80", b"\xff\xfe"] {
        let mut input = good.clone();
        input.splice(at..at + 1, bad.iter().copied());
        let err = error_of("invalid UTF-8 inside a string", &input);
        assert!(
            err.starts_with("input is not valid JSON") && err.contains("line 1"),
            "{err}"
        );
    }
    // Latin-1 and UTF-16 files, as an editor might save them.
    let latin1: Vec<u8> = br#"{"detail-type":"ECS Task State Change","detail":{"taskArn":"caf"#
        .iter()
        .copied()
        .chain([0xe9])
        .chain(br#""}}"#.iter().copied())
        .collect();
    error_of("Latin-1", &latin1);
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(r#"{"tasks":[]}"#.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let err = error_of("UTF-16", &utf16);
    assert!(err.contains("UTF-16") && err.contains("UTF-8"), "{err}");
    let no_mark: Vec<u8> = r#"{"tasks":[]}"#.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert!(error_of("UTF-16 without a mark", &no_mark).contains("UTF-16"));
    // A UTF-8 byte-order mark is allowed (RFC 8259 lets parsers ignore it).
    let mut with_mark = b"\xef\xbb\xbf".to_vec();
    with_mark.extend_from_slice(&good);
    run("UTF-8 with a byte-order mark", &with_mark).expect("decodes");
    error_of("empty input", b"");
    error_of("NUL bytes", &[0; 64]);
}

#[test]
fn nuls_and_ansi_escapes_in_reasons_never_reach_the_email_raw() {
    let reason = "CannotStartContainerError: \u{0}\u{0}\u{1b}[31mError response from daemon\u{1b}[0m: \u{7}\u{8}\r\u{85}failed \u{2028}to create shim task: OCI runtime create failed";
    let mut c = container("app\u{1b}[2J\u{0}", reason, Some(128));
    c["memory"] = j!("512\u{1b}[5m");
    let mut event = task_event(reason, vec![c]);
    event["detail"]["launchType"] = j!("FARGATE\u{0}\u{1b}[1m");
    event["detail"]["group"] = j!("service:web\u{1b}]0;title\u{7}");
    let incidents = run("NULs and ANSI escapes", &bytes_of(&event)).expect("decodes");
    for incident in &incidents {
        // check_outputs asserted that no control character but `\n` reached the e-mail; the
        // machine JSON has none either (the decoder and the render boundary strip them).
        let d = Report::from(diagnose(incident, Lang::En));
        let machine = json(incident, &d).to_string();
        assert!(
            !machine.contains(r"\u001b") && !machine.contains(r"\u0000"),
            "{machine}"
        );
    }
    for text in [
        reason,
        "\u{0}",
        "\u{1b}[31mexit code 137\u{1b}[0m",
        "\u{0}exit code\u{0}1",
    ] {
        check_outputs(&from_text(text));
    }
}

#[test]
fn input_over_the_limit_is_refused_before_parsing() {
    let mut big = vec![b' '; MAX_INPUT_BYTES + 1];
    big[0] = b'{';
    let err = error_of("over MAX_INPUT_BYTES", &big);
    assert!(
        err.contains(&MAX_INPUT_BYTES.to_string()) && err.contains("limit"),
        "{err}"
    );
    assert!(matches!(decode(&big), Err(DecodeError::TooLarge { .. })));
    // Just under the limit is parsed (and here rejected for what it is, not for its size).
    let mut under = vec![b' '; MAX_INPUT_BYTES];
    under[0] = b'[';
    under[MAX_INPUT_BYTES - 1] = b']';
    assert!(matches!(
        run("at MAX_INPUT_BYTES", &under),
        Err(DecodeError::UnknownShape)
    ));
}

#[test]
fn huge_strings_in_error_positions_give_short_errors() {
    let huge = "d".repeat(1024 * 1024);
    let unsupported = j!({"detail-type": huge, "source": huge, "detail": {}});
    let err = error_of("huge detail-type", &bytes_of(&unsupported));
    assert!(err.starts_with("unsupported event: detail-type `ddd"), "{}", &err[..80]);
    let mut wrong_type = task_event("x", vec![]);
    wrong_type["detail"]["containers"] = j!(huge);
    let err = error_of("huge string where a list belongs", &bytes_of(&wrong_type));
    assert!(
        err.contains("ECS Task State Change") && err.contains("invalid type"),
        "{}",
        &err[..200.min(err.len())]
    );
    let mut bad_arn = task_event("x", vec![]);
    bad_arn["detail"]["taskArn"] = j!([huge]);
    let err = error_of("huge array where the task ARN belongs", &bytes_of(&bad_arn));
    assert!(err.contains("ECS Task State Change"), "{err}");
}

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// Every input that ever crashed ecs-doctor or made it slow, replayed.
#[test]
fn corpus_runs_clean() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "tests/corpus is empty");
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        assert!(bytes.len() <= 64 * 1024, "{name} is over 64 KiB: keep the corpus small");
        match run(&name, &bytes) {
            Ok(incidents) => assert!(!incidents.is_empty(), "{name}"),
            Err(e) => {
                let message = e.to_string();
                assert!(!message.trim().is_empty() && message.len() < 2048, "{name}: {message}");
            }
        }
    }
    eprintln!("corpus: {} inputs replayed", files.len());
}
