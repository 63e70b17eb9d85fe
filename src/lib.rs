//! ecs-doctor: explains why an Amazon ECS task failed, and what to do about it.
//!
//! The modules form floors, and each uses only the floors below it (`tests/it/module_graph.rs`
//! checks this on every test run, and that no two files of `src/` import each other):
//!
//! | floor | modules | what they hold |
//! | --- | --- | --- |
//! | helpers | [`util`], [`redact`] | text, time and duration helpers; secret scrubbing |
//! | facts | [`incident`], [`event`], [`fixture`] | the [`incident::Incident`] and the decoding of EventBridge JSON into it |
//! | engine | [`diagnose`] | the rule catalog and `diagnose(&Incident) -> Diagnosis`: pure |
//! | checks | [`verify`], [`changes`] | side by side: check verdicts and "what changed", pure; neither knows the other |
//! | report | [`report`] | a diagnosis with each finding's checks and what changed; runs the verify stage |
//! | render | [`render`] | a report → e-mail, chat, JSON, SMS and the SNS request: pure |
//! | settings | [`config`] | the environment, validated once; mute rules |
//! | adapters | [`aws`] | the ports (small traits) and the SDK adapters behind them: every SDK type stays here |
//! | pipeline | [`pipeline`], [`error`] | every stage once, named after it, and [`pipeline::investigate`], which every entry point calls |
//! | entry points | [`handler`], [`cli`] | the Lambda's handler (used by `main.rs` alone) and the commands, one folder each |
//!
//! Built without the `aws` feature, the crate has no [`aws`], [`handler`] or [`error`], only the
//! pure stages of [`pipeline`], and the CLI only the commands that need no account: the pure
//! engine alone.
//!
//! One event runs one way: `event` decodes it into an incident, `aws` enriches it, `diagnose`
//! explains it, `report` checks the suspected cause against the account (reads in `aws`,
//! verdicts in `verify`) and reads what changed, `render` formats it, and `aws` publishes it.

#[cfg(feature = "aws")]
pub mod aws;
pub mod changes;
pub mod cli;
pub mod config;
pub mod diagnose;
#[cfg(feature = "aws")]
pub mod error;
pub mod event;
pub mod fixture;
#[cfg(feature = "aws")]
pub mod handler;
pub mod incident;
pub mod pipeline;
pub mod redact;
pub mod render;
pub mod report;
pub mod util;
pub mod verify;
