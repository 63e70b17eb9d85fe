//! The invocation's time budget: every stage that waits on AWS (reads, the ledger, verify,
//! publish) ends by a share of the time the Lambda has left, so that the invocation returns
//! before the function timeout kills it. A kill is the one failure nothing can report: the
//! alert would go out only on Lambda's retry, a minute later.

use std::future::Future;
use std::time::{Duration, Instant};

use crate::util::time::{now_epoch_millis, now_epoch_seconds};

/// Kept free before the deadline: returning the answer, and releasing a claim whose publish
/// failed, must still fit in it.
pub const SAFETY: Duration = Duration::from_millis(1500);

/// Without a deadline (`ecs-doctor replay --publish`, tests): the default function timeout.
pub const DEFAULT: Duration = Duration::from_secs(30);

/// A stage that waits on AWS, in pipeline order. Each may run until its share of the budget has
/// passed; what an earlier stage leaves unused goes to the later ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Enrich and the deployment's root cause: DescribeTasks, task definitions, log tails.
    Reads,
    /// Mute rules, the incident thread and the deduplication claim.
    Ledger,
    /// The checks against the account and "what changed".
    Verify,
    /// `sns:Publish` and the claim's confirmation: whatever is left.
    Publish,
}

impl Stage {
    /// The fraction of the budget by whose end the stage must be done. Publish gets at least
    /// the last fifth, more when the reads were quick.
    fn ends_at(self) -> f64 {
        match self {
            Stage::Reads => 0.5,
            Stage::Ledger => 0.65,
            Stage::Verify => 0.8,
            Stage::Publish => 1.0,
        }
    }
}

/// The time one invocation may spend, from its start to its end.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    start: Instant,
    total: Duration,
    /// The end as epoch seconds, rounded up: how long a claim of this invocation holds.
    end_epoch: u64,
}

/// A stage ran out of its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfTime(pub Stage);

impl Budget {
    /// `total` from now.
    pub fn of(total: Duration) -> Budget {
        let millis = u64::try_from(total.as_millis()).unwrap_or(u64::MAX);
        Budget {
            start: Instant::now(),
            total,
            end_epoch: now_epoch_millis().saturating_add(millis).div_ceil(1000),
        }
    }

    /// Until [`SAFETY`] before the Lambda's deadline (epoch milliseconds, the runtime's
    /// `Lambda-Runtime-Deadline-Ms`). A deadline already past leaves nothing: every stage is
    /// skipped and the message goes out with what the event says.
    pub fn until_deadline(deadline_ms: u64) -> Budget {
        let left = Duration::from_millis(deadline_ms.saturating_sub(now_epoch_millis()));
        Budget::of(left.saturating_sub(SAFETY))
    }

    /// What is left for `stage`: until its share ends, never past the whole budget.
    pub fn left(&self, stage: Stage) -> Duration {
        let share = self.total.mul_f64(stage.ends_at());
        share.saturating_sub(self.start.elapsed())
    }

    /// Epoch seconds after which this invocation is surely over: its claim may be taken over.
    pub fn end_epoch_seconds(&self) -> u64 {
        self.end_epoch.max(now_epoch_seconds())
    }

    /// `work` within `stage`'s share.
    pub async fn run<F: Future>(&self, stage: Stage, work: F) -> Result<F::Output, OutOfTime> {
        let left = self.left(stage);
        if left.is_zero() {
            return Err(OutOfTime(stage));
        }
        tokio::time::timeout(left, work).await.map_err(|_| OutOfTime(stage))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shares_follow_the_pipeline_order_and_end_with_the_budget() {
        let budget = Budget::of(Duration::from_secs(10));
        let reads = budget.left(Stage::Reads);
        let publish = budget.left(Stage::Publish);
        assert!(reads <= Duration::from_secs(5) && reads > Duration::from_secs(4));
        assert!(budget.left(Stage::Ledger) > reads);
        assert!(budget.left(Stage::Verify) > budget.left(Stage::Ledger));
        assert!(publish <= Duration::from_secs(10) && publish > budget.left(Stage::Verify));
    }

    #[test]
    fn a_past_deadline_leaves_nothing_and_never_underflows() {
        let budget = Budget::until_deadline(0);
        assert_eq!(budget.left(Stage::Publish), Duration::ZERO);
        assert!(budget.end_epoch_seconds() >= now_epoch_seconds());
        let far = Budget::until_deadline(u64::MAX);
        assert!(far.left(Stage::Reads) > Duration::from_secs(3600));
    }

    #[tokio::test]
    async fn a_stage_that_hangs_ends_with_its_share() {
        let budget = Budget::of(Duration::from_millis(200));
        let started = Instant::now();
        let out = budget.run(Stage::Reads, std::future::pending::<()>()).await;
        assert_eq!(out, Err(OutOfTime(Stage::Reads)));
        assert!(started.elapsed() < Duration::from_millis(190));
        let skipped = Budget::of(Duration::ZERO).run(Stage::Publish, async { 1 }).await;
        assert_eq!(skipped, Err(OutOfTime(Stage::Publish)));
    }
}
