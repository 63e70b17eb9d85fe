//! Diagnosis throughput on one core: reasons diagnosed per second (target ≥ 100,000).
//! Run with `cargo bench --bench diagnose`. Prints numbers; asserts nothing about speed.

use std::hint::black_box;
use std::time::Instant;

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::from_text;

/// A mix of real-world shapes: long pull errors, secrets, exit codes, placement, unknown text.
const REASONS: &[&str] = &[
    "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:missing: not found",
    "CannotPullContainerError: Error response from daemon: Get https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
    "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: secretsmanager:GetSecretValue",
    "OutOfMemoryError: Container killed due to memory usage",
    "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef)",
    "TaskFailedToStart: RESOURCE:MEMORY",
    "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.",
    "Essential container in task exited",
    "exit code 137",
    "Something nobody has ever seen before: a completely novel failure text",
];

fn main() {
    let incidents: Vec<_> = REASONS.iter().map(|r| from_text(r)).collect();
    // Warm up (builds the catalog once).
    for incident in &incidents {
        black_box(diagnose(incident, Lang::En));
    }
    // `cargo bench` passes --bench; under `cargo test --all-targets` one round is a smoke test.
    let rounds = if std::env::args().any(|a| a == "--bench") {
        20_000
    } else {
        1
    };
    let start = Instant::now();
    for _ in 0..rounds {
        for incident in &incidents {
            black_box(diagnose(black_box(incident), Lang::En));
        }
    }
    let elapsed = start.elapsed();
    let total = rounds * incidents.len();
    let per_second = total as f64 / elapsed.as_secs_f64();
    println!(
        "diagnose: {total} reasons in {:.3} s = {:.0} reasons/s ({:.2} µs each) on one core",
        elapsed.as_secs_f64(),
        per_second,
        1e6 / per_second
    );
}
