//! Deduplication and storm control in one DynamoDB table (partition key `pk`, TTL attribute
//! `expires_at`):
//!
//! - `event#…` items make each event publish at most once. ECS delivers events at least once;
//!   a duplicate carries the same task ARN and `detail.version`, EventBridge retries the same
//!   `id`. A conditional put lets exactly one of several concurrent invocations through.
//! - `storm#…` items hold a window per failure signature (cluster + service/family + rule):
//!   the first failure in a window is published, later ones only increment a counter, and the
//!   first message after the window says how many were held back.
//!
//! A claim whose publish fails is released, so the retry is not mistaken for a duplicate; a
//! claim left `pending` by a crashed invocation is taken over once it is older than
//! [`PENDING_TAKEOVER_SECONDS`].

use std::collections::HashMap;
use std::future::Future;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

/// Longer than one invocation can last (function timeout 30 s plus retries' spacing).
pub const PENDING_TAKEOVER_SECONDS: u64 = 120;
/// How long an event's record is kept: longer than EventBridge and Lambda retry an event.
pub const EVENT_RECORD_SECONDS: u64 = 2 * 24 * 3600;

/// The keys of one diagnosis in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerKeys {
    /// `event#<task ARN>#<version>` or `event#<EventBridge id>`.
    pub event: String,
    /// `storm#<cluster>#<service or family>#<rule id>`.
    pub signature: String,
}

/// What the ledger says about publishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// Publish. `held_back` failures of the same signature were suppressed in the window that
    /// began at `since` (epoch seconds).
    Publish {
        held_back: u64,
        since: Option<u64>,
        window_opened: bool,
    },
    /// Already published (or being published) by another invocation.
    Duplicate,
    /// Same failure as one published in the current window: counted, not sent.
    Suppressed { count: u64, since: u64 },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("deduplication table: {0}")]
pub struct LedgerError(pub String);

pub trait Ledger {
    fn claim(&self, keys: &LedgerKeys, now: u64) -> impl Future<Output = Result<Claim, LedgerError>> + Send;
    /// The message was published (or suppressed): the event's record is final.
    fn confirm(&self, keys: &LedgerKeys) -> impl Future<Output = Result<(), LedgerError>> + Send;
    /// Publishing failed: forget the claim so that the retry publishes.
    fn release(
        &self,
        keys: &LedgerKeys,
        claim: &Claim,
        now: u64,
    ) -> impl Future<Output = Result<(), LedgerError>> + Send;
}

/// No table configured (the CLI, or deduplication turned off): everything is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLedger;

impl Ledger for NoLedger {
    async fn claim(&self, _: &LedgerKeys, _: u64) -> Result<Claim, LedgerError> {
        Ok(Claim::Publish {
            held_back: 0,
            since: None,
            window_opened: false,
        })
    }
    async fn confirm(&self, _: &LedgerKeys) -> Result<(), LedgerError> {
        Ok(())
    }
    async fn release(&self, _: &LedgerKeys, _: &Claim, _: u64) -> Result<(), LedgerError> {
        Ok(())
    }
}

/// A ledger that may be off (no table configured).
impl<L: Ledger + Sync> Ledger for Option<L> {
    async fn claim(&self, keys: &LedgerKeys, now: u64) -> Result<Claim, LedgerError> {
        match self {
            Some(ledger) => ledger.claim(keys, now).await,
            None => NoLedger.claim(keys, now).await,
        }
    }
    async fn confirm(&self, keys: &LedgerKeys) -> Result<(), LedgerError> {
        match self {
            Some(ledger) => ledger.confirm(keys).await,
            None => Ok(()),
        }
    }
    async fn release(&self, keys: &LedgerKeys, claim: &Claim, now: u64) -> Result<(), LedgerError> {
        match self {
            Some(ledger) => ledger.release(keys, claim, now).await,
            None => Ok(()),
        }
    }
}

/// The DynamoDB ledger; `window_seconds` 0 turns storm control off (idempotency stays).
#[derive(Debug, Clone)]
pub struct DynamoLedger {
    client: aws_sdk_dynamodb::Client,
    table: String,
    window_seconds: u64,
}

impl DynamoLedger {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>, window_seconds: u64) -> Self {
        Self {
            client,
            table: table.into(),
            window_seconds,
        }
    }
}

fn n(value: u64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_string())
}

fn number(item: Option<&HashMap<String, AttributeValue>>, name: &str) -> Option<u64> {
    item?.get(name)?.as_n().ok()?.parse().ok()
}

fn conditional_failed<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.code() == Some("ConditionalCheckFailedException")
}

fn ledger_error<E, R>(err: SdkError<E, R>) -> LedgerError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    LedgerError(aws_sdk_dynamodb::error::DisplayErrorContext(&err).to_string())
}

impl Ledger for DynamoLedger {
    async fn claim(&self, keys: &LedgerKeys, now: u64) -> Result<Claim, LedgerError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(&keys.event))
            .item("state", s("pending"))
            .item("claimed_at", n(now))
            .item("expires_at", n(now + EVENT_RECORD_SECONDS))
            .condition_expression("attribute_not_exists(pk) OR (#state = :pending AND claimed_at < :stale)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":pending", s("pending"))
            .expression_attribute_values(":stale", n(now.saturating_sub(PENDING_TAKEOVER_SECONDS)))
            .send()
            .await;
        match put {
            Ok(_) => {}
            Err(err) if conditional_failed(&err) => return Ok(Claim::Duplicate),
            Err(err) => return Err(ledger_error(err)),
        }
        if self.window_seconds == 0 {
            return Ok(Claim::Publish {
                held_back: 0,
                since: None,
                window_opened: false,
            });
        }
        // Open a new window unless one is running; the old item tells what it held back.
        let open = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&keys.signature))
            .update_expression("SET window_start = :now, suppressed = :zero, expires_at = :expires")
            .condition_expression("attribute_not_exists(pk) OR window_start <= :cutoff")
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":expires", n(now + 2 * self.window_seconds))
            .expression_attribute_values(":cutoff", n(now.saturating_sub(self.window_seconds)))
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match open {
            Ok(output) => {
                let old = output.attributes();
                let held_back = number(old, "suppressed").unwrap_or(0);
                let since = number(old, "window_start").filter(|_| held_back > 0);
                Ok(Claim::Publish {
                    held_back,
                    since,
                    window_opened: true,
                })
            }
            Err(err) if conditional_failed(&err) => {
                let counted = self
                    .client
                    .update_item()
                    .table_name(&self.table)
                    .key("pk", s(&keys.signature))
                    .update_expression("ADD suppressed :one")
                    .expression_attribute_values(":one", n(1))
                    .return_values(ReturnValue::AllNew)
                    .send()
                    .await
                    .map_err(ledger_error)?;
                let new = counted.attributes();
                Ok(Claim::Suppressed {
                    count: number(new, "suppressed").unwrap_or(1),
                    since: number(new, "window_start").unwrap_or(now),
                })
            }
            Err(err) => Err(ledger_error(err)),
        }
    }

    async fn confirm(&self, keys: &LedgerKeys) -> Result<(), LedgerError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&keys.event))
            .update_expression("SET #state = :done")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":done", s("done"))
            .send()
            .await
            .map(|_| ())
            .map_err(ledger_error)
    }

    async fn release(&self, keys: &LedgerKeys, claim: &Claim, now: u64) -> Result<(), LedgerError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(&keys.event))
            .send()
            .await
            .map_err(ledger_error)?;
        if let Claim::Publish {
            window_opened: true, ..
        } = claim
        {
            // Close the window this claim opened, or the retry would be suppressed.
            let closed = self
                .client
                .delete_item()
                .table_name(&self.table)
                .key("pk", s(&keys.signature))
                .condition_expression("window_start = :now")
                .expression_attribute_values(":now", n(now))
                .send()
                .await;
            match closed {
                Ok(_) => {}
                Err(err) if conditional_failed(&err) => {}
                Err(err) => return Err(ledger_error(err)),
            }
        }
        Ok(())
    }
}
