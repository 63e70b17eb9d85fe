//! ecs-doctor: explains why an Amazon ECS task failed, and what to do about it.
//!
//! The pipeline runs one way: `event` decodes input into an [`incident::Incident`], `aws`
//! enriches it, `diagnose` explains it (pure), `verify` checks the suspected cause against the account
//! (reads in `aws`, verdicts pure), `render` formats it (pure), and `aws` publishes.

pub mod aws;
pub mod changes;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod event;
pub mod fixture;
pub mod handler;
pub mod incident;
pub mod metrics;
pub mod mute;
pub mod redact;
pub mod render;
pub mod replay;
pub mod report;
pub mod route;
pub mod scan;
pub mod util;
pub mod verify;
