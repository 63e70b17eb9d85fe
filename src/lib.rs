//! ecs-doctor: explains why an Amazon ECS task failed, and what to do about it.
//!
//! The modules form floors, and each uses only the floors below it (`tests/module_graph.rs`
//! checks this on every test run):
//!
//! | floor | modules | what they hold |
//! | --- | --- | --- |
//! | helpers | [`util`], [`redact`] | text and time helpers (sanitising, truncating, ISO-8601); secret scrubbing |
//! | facts | [`incident`], [`event`], [`fixture`] | the [`incident::Incident`] and the decoding of EventBridge JSON into it |
//! | engine | [`diagnose`] | the rule catalog and `diagnose(&Incident) -> Diagnosis`: pure |
//! | checks | [`verify`], [`changes`] | side by side: check verdicts and "what changed", pure; neither knows the other |
//! | report | [`report`] | a diagnosis with each finding's checks and what changed; runs the verify stage |
//! | render | [`render`] | a report → e-mail, chat, JSON, SMS and the SNS request: pure |
//! | top | [`handler`], [`cli`], [`check`], [`aws`], [`group`], [`deployment`], [`resolved`], [`watch`], [`scan`], [`replay`], [`config`], [`error`], [`metrics`], [`route`], [`mute`] | the Lambda pipeline, the CLI commands, the deploy gate (`check`, `watch`), the SDK adapters and their settings; the grouping of failures by signature, a failed deployment's root cause, an incident's end |
//!
//! Built without the `aws` feature, the crate has no [`aws`], [`handler`], [`error`], [`deployment`],
//! [`watch`] or [`replay`], and the CLI only the commands that need no account: the pure engine alone.
//!
//! One event runs one way: `event` decodes it into an incident, `aws` enriches it, `diagnose`
//! explains it, `report` checks the suspected cause against the account (reads in `aws`,
//! verdicts in `verify`) and reads what changed, `render` formats it, and `aws` publishes it.

#[cfg(feature = "aws")]
pub mod aws;
pub mod changes;
pub mod check;
pub mod cli;
pub mod config;
#[cfg(feature = "aws")]
pub mod deployment;
pub mod diagnose;
#[cfg(feature = "aws")]
pub mod error;
pub mod event;
pub mod fixture;
pub mod group;
#[cfg(feature = "aws")]
pub mod handler;
pub mod incident;
pub mod metrics;
pub mod mute;
pub mod redact;
pub mod render;
#[cfg(feature = "aws")]
pub mod replay;
pub mod report;
pub mod resolved;
pub mod route;
pub mod scan;
pub mod util;
pub mod verify;
#[cfg(feature = "aws")]
pub mod watch;
