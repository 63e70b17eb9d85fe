//! The pipeline: every stage once, each in a module named after it, and [`handle`], which runs
//! one event through them: decode → gate → investigate (enrich → root cause → diagnose) →
//! publish policy → mutes → thread → storm control → investigate (attach → verify) → route →
//! publish.
//!
//! Generic over the AWS ports ([`Deps`]) so that tests run it with mocked SDK clients or against
//! moto, and the Lambda runs it with real clients built once at start. Each gate hands the next
//! stage its value or stops the event with a reason. The pure stages (grouping, routing, metrics,
//! the end of an incident) are built without the `aws` feature too: `explain` and `scan` use them.

#[cfg(feature = "aws")]
pub mod budget;
#[cfg(feature = "aws")]
pub mod decode;
#[cfg(feature = "aws")]
pub mod dedup;
#[cfg(feature = "aws")]
mod deps;
#[cfg(feature = "aws")]
mod enrich;
#[cfg(feature = "aws")]
mod gate;
pub mod group;
#[cfg(feature = "aws")]
pub mod investigate;
#[cfg(feature = "aws")]
mod log_tail;
pub mod metrics;
#[cfg(feature = "aws")]
mod mute;
#[cfg(feature = "aws")]
mod outcome;
#[cfg(feature = "aws")]
mod publish;
pub mod resolve;
#[cfg(feature = "aws")]
pub mod root_cause;
pub mod route;
#[cfg(feature = "aws")]
mod steps;
#[cfg(feature = "aws")]
mod thread;

#[cfg(feature = "aws")]
pub use self::dedup::ledger_keys;
#[cfg(feature = "aws")]
pub use self::deps::{live_deps, Deps, LiveDeps};
#[cfg(feature = "aws")]
pub use self::enrich::{enrich, merge};
#[cfg(feature = "aws")]
pub use self::outcome::{metrics_to_stderr, Outcome};
#[cfg(feature = "aws")]
pub use self::steps::{handle, handle_within};
