//! Diagnosis cost on one core. Run with
//! `cargo bench --profile benchfast --bench diagnose` (or `cargo bench --bench diagnose`).
//! Prints numbers; asserts nothing about speed (speed targets live in benchmarks, not tests).
//!
//! 1. The sample-event mix: every event in `events/` (decoded once, outside the timing), each
//!    diagnosed in turn. Target: ≥ 100,000 incidents/s.
//! 2. Growth: one stopped task with 1, 10 and 100 containers, a long `stoppedReason` and a
//!    reason and exit code per container. Linear growth means the time per container stays
//!    flat as the container count grows.
//!
//! For instructions per incident, run the binary under callgrind with `--mix-only` (see
//! `tests/blind/README.md` for the numbers and the command).

use std::hint::black_box;
use std::time::Instant;

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::decode;
use ecs_doctor::incident::Incident;
use serde_json::json;

fn sample_mix() -> Vec<Incident> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|p| {
            let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            decode(&bytes).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        })
        .collect()
}

/// A stopped task with `n` containers, each with its own reason and exit code, and a long
/// task-level reason that container checks read.
fn task_with(n: usize) -> Incident {
    let containers: Vec<_> = (0..n)
        .map(|i| {
            let reason = match i % 4 {
                0 => "CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/app/run\": stat /app/run: no such file or directory: unknown".to_string(),
                1 => "OutOfMemoryError: Container killed due to memory usage".to_string(),
                2 => format!("CannotPullContainerError: failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app-{i}:v1: not found"),
                _ => String::new(),
            };
            json!({"name": format!("c{i}"), "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/app-{i}:v1"),
                   "lastStatus": "STOPPED", "exitCode": (i % 3) as i64, "reason": reason})
        })
        .collect();
    let event = json!({
        "version": "0", "id": "bench", "detail-type": "ECS Task State Change", "source": "aws.ecs",
        "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
        "resources": ["arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef"],
        "detail": {
            "clusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/prod",
            "taskArn": "arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef",
            "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/app:7",
            "group": "service:web", "launchType": "EC2", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
            "stopCode": "EssentialContainerExited",
            "stoppedReason": "Essential container in task exited ".repeat(60),
            "containers": containers
        }
    });
    let bytes = serde_json::to_vec(&event).unwrap_or_default();
    decode(&bytes).ok().and_then(|mut v| v.pop()).unwrap_or_default()
}

/// Seconds per call of `diagnose` over `incidents`, repeated `rounds` times.
fn time(incidents: &[Incident], rounds: usize) -> f64 {
    for incident in incidents {
        black_box(diagnose(incident, Lang::En));
    }
    let start = Instant::now();
    for _ in 0..rounds {
        for incident in incidents {
            black_box(diagnose(black_box(incident), Lang::En));
        }
    }
    start.elapsed().as_secs_f64() / (rounds * incidents.len()) as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `cargo bench` passes --bench; under `cargo test --all-targets` one round is a smoke test.
    let bench = args.iter().any(|a| a == "--bench");
    let mix_only = args.iter().any(|a| a == "--mix-only");
    let mix = sample_mix();
    let rounds = if bench { 2_000 } else { 1 };
    let per = time(&mix, if mix_only { 200 } else { rounds });
    println!(
        "sample-event mix: {} incidents, {:.2} µs each = {:.0} incidents/s on one core",
        mix.len(),
        per * 1e6,
        1.0 / per
    );
    if mix_only {
        return;
    }
    let mut base = None;
    for n in [1usize, 10, 100] {
        let incident = task_with(n);
        let rounds = if bench { 20_000 / n.max(1) } else { 1 };
        let per = time(std::slice::from_ref(&incident), rounds.max(20));
        let per_container = per / n as f64;
        let ratio = base.map(|b: f64| per_container / b).unwrap_or(1.0);
        base.get_or_insert(per_container);
        println!(
            "task with {n:>3} containers: {:>9.2} µs per incident, {:>7.2} µs per container (x{ratio:.2} of 1 container)",
            per * 1e6,
            per_container * 1e6
        );
    }
}
