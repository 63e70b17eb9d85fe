//! The integration tests, one binary with a module per feature (as cargo's and ripgrep's test
//! suites are laid out): `cargo test --test it scan::` runs the scan's tests, mocked and against
//! moto alike. Within a feature, `mocked` cases answer the SDK with canned responses
//! (`support::mock`) for what moto cannot produce (throttling, denials, the calls it lacks);
//! `moto` cases run against a real moto server on 127.0.0.1 (`support::Moto`); `snapshots` compare
//! output with the golden files under `tests/snapshots/`.
//!
//! The rule catalog's data-driven tests are a binary of their own (`tests/catalog/`).

/// Moto, the canned-answer mock, the fake Lambda Runtime API and the CLI runner.
mod support;

/// What changed since the last good revision (CloudTrail, task definition diffs).
mod changes;
/// `ecs-doctor check`, the deploy gate before a deploy.
mod check;
/// Storm control and deduplication (the DynamoDB ledger).
mod dedup;
/// The engine on real and hostile text: real-world and blind sets, the seed table, the
/// vocabulary, property tests and input limits.
mod engine;
/// `ecs-doctor explain` and the CLI without an account.
mod explain;
/// Incidents: a failed deployment's root cause, threads and the resolved message.
mod incidents;
/// The Lambda: its adapters' error paths, end to end against moto, the binary itself and the
/// sample events.
mod lambda;
/// Every message format (e-mail, chat, JSON, SMS, SNS) and hostile workload text in them.
mod messages;
/// The module graph of `src/`: floors, and no import cycle between files.
mod module_graph;
/// `ecs-doctor mute` and the mute rules the pipeline reads.
mod mute;
/// Many accounts: an event of a member account read with that account's role.
mod org;
/// `ecs-doctor replay`, the dead-letter queue.
mod replay;
/// Team routing: tags to message attributes and team topics.
mod routing;
/// `ecs-doctor scan`.
mod scan;
/// The verify stage's checks, mocked and against moto.
mod verify;
/// `ecs-doctor watch`, the deploy gate during a deploy.
mod watch;
