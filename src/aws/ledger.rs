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
//! A claim whose publish fails is released, so the retry is not mistaken for a duplicate. A
//! claim left `pending` by an invocation that was killed (the function timeout) or panicked
//! holds only until that invocation's deadline (`lease_until`): Lambda's first retry, a minute
//! later, takes it over, and takes over the storm window the dead claim opened too (the
//! window's `owner`), so the retry publishes instead of being held back as a repeat.

use std::collections::HashMap;
use std::future::Future;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use crate::report::{Thread, ThreadState};

/// A `pending` claim written before claims carried their lease is taken over after this long
/// (longer than one invocation can last).
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
    /// Claims the event for an invocation that ends by `lease_until` (epoch seconds): after
    /// that, an unconfirmed claim belongs to whoever asks next.
    fn claim(
        &self,
        keys: &LedgerKeys,
        now: u64,
        lease_until: u64,
    ) -> impl Future<Output = Result<Claim, LedgerError>> + Send;
    /// The message was published as `message_id` (`None`: suppressed): the event's record is
    /// final.
    fn confirm(
        &self,
        keys: &LedgerKeys,
        message_id: Option<&str>,
    ) -> impl Future<Output = Result<(), LedgerError>> + Send;
    /// Publishing failed: forget the claim so that the retry publishes.
    fn release(
        &self,
        keys: &LedgerKeys,
        claim: &Claim,
        now: u64,
    ) -> impl Future<Output = Result<(), LedgerError>> + Send;

    /// Counts a failure into the open incident of `unit` (`<cluster>/<service>` or
    /// `<cluster>/family:<name>`), opening one when none is open, and returns the incident as
    /// it now stands. `None`: this ledger keeps no incidents.
    fn record(
        &self,
        _unit: &str,
        _failure: &Failure,
        _now: u64,
    ) -> impl Future<Output = Result<Option<Thread>, LedgerError>> + Send {
        async { Ok(None) }
    }

    /// Closes the open incident of `unit` and returns it, `None` when none is open. Of two
    /// concurrent calls, one gets it.
    fn resolve(&self, _unit: &str, _now: u64) -> impl Future<Output = Result<Option<Thread>, LedgerError>> + Send {
        async { Ok(None) }
    }

    /// The resolved message did not go out: the incident is open again, so that the retry
    /// resolves it.
    fn reopen(&self, _unit: &str, _resolved_at: u64) -> impl Future<Output = Result<(), LedgerError>> + Send {
        async { Ok(()) }
    }
}

/// One failure, as an incident counts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Failure {
    /// Rule id → what failed: task ARNs, or `event:<id>` for an event about no task. Counted
    /// as sets, so that a redelivered event or a task seen again adds nothing.
    pub causes: Vec<(&'static str, Vec<String>)>,
    /// The deployment that failed, with its task definition.
    pub deployment: Option<(String, Option<String>)>,
}

/// No table configured (the CLI, or deduplication turned off): everything is published.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoLedger;

impl Ledger for NoLedger {
    async fn claim(&self, _: &LedgerKeys, _: u64, _: u64) -> Result<Claim, LedgerError> {
        Ok(Claim::Publish {
            held_back: 0,
            since: None,
            window_opened: false,
        })
    }
    async fn confirm(&self, _: &LedgerKeys, _: Option<&str>) -> Result<(), LedgerError> {
        Ok(())
    }
    async fn release(&self, _: &LedgerKeys, _: &Claim, _: u64) -> Result<(), LedgerError> {
        Ok(())
    }
}

/// A ledger that may be off (no table configured).
impl<L: Ledger + Sync> Ledger for Option<L> {
    async fn claim(&self, keys: &LedgerKeys, now: u64, lease_until: u64) -> Result<Claim, LedgerError> {
        match self {
            Some(ledger) => ledger.claim(keys, now, lease_until).await,
            None => NoLedger.claim(keys, now, lease_until).await,
        }
    }
    async fn confirm(&self, keys: &LedgerKeys, message_id: Option<&str>) -> Result<(), LedgerError> {
        match self {
            Some(ledger) => ledger.confirm(keys, message_id).await,
            None => Ok(()),
        }
    }
    async fn release(&self, keys: &LedgerKeys, claim: &Claim, now: u64) -> Result<(), LedgerError> {
        match self {
            Some(ledger) => ledger.release(keys, claim, now).await,
            None => Ok(()),
        }
    }
    async fn record(&self, unit: &str, failure: &Failure, now: u64) -> Result<Option<Thread>, LedgerError> {
        match self {
            Some(ledger) => ledger.record(unit, failure, now).await,
            None => Ok(None),
        }
    }
    async fn resolve(&self, unit: &str, now: u64) -> Result<Option<Thread>, LedgerError> {
        match self {
            Some(ledger) => ledger.resolve(unit, now).await,
            None => Ok(None),
        }
    }
    async fn reopen(&self, unit: &str, resolved_at: u64) -> Result<(), LedgerError> {
        match self {
            Some(ledger) => ledger.reopen(unit, resolved_at).await,
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
    /// An incident with no new failure for this long is over; 0: no incidents.
    quiet_seconds: u64,
}

impl DynamoLedger {
    pub fn new(client: aws_sdk_dynamodb::Client, table: impl Into<String>, window_seconds: u64) -> Self {
        Self {
            client,
            table: table.into(),
            window_seconds,
            quiet_seconds: 0,
        }
    }

    /// Keeps incidents too: one per service (or task family) until it recovers or stays quiet
    /// for `quiet_seconds`.
    pub fn with_incidents(mut self, quiet_seconds: u64) -> Self {
        self.quiet_seconds = quiet_seconds;
        self
    }

    /// When an incident item touched at `now` expires (the settings come from outside: no
    /// overflow).
    fn incident_expiry(&self, now: u64) -> u64 {
        now.saturating_add(self.quiet_seconds)
            .saturating_add(INCIDENT_GRACE_SECONDS)
    }

    /// Joins the open incident: `Ok(None)` when none is open (or it went quiet).
    async fn join(&self, pk: &str, failure: &Failure, now: u64) -> Result<Option<Thread>, LedgerError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(pk))
            .condition_expression(
                "attribute_exists(pk) AND last_failure_at >= :cutoff AND attribute_not_exists(resolved_at)",
            )
            .expression_attribute_values(":cutoff", n(now.saturating_sub(self.quiet_seconds)))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":expires", n(self.incident_expiry(now)))
            .return_values(ReturnValue::AllNew);
        let mut adds = Vec::new();
        for (i, (name, values)) in incident_sets(failure).into_iter().enumerate() {
            adds.push(format!("#s{i} :s{i}"));
            update = update
                .expression_attribute_names(format!("#s{i}"), name)
                .expression_attribute_values(format!(":s{i}"), AttributeValue::Ss(values));
        }
        let mut expression = "SET last_failure_at = :now, expires_at = :expires".to_string();
        if !adds.is_empty() {
            expression.push_str(" ADD ");
            expression.push_str(&adds.join(", "));
        }
        match update.update_expression(expression).send().await {
            Ok(out) => Ok(out.attributes().map(|item| thread_of(item, ThreadState::Updated))),
            Err(err) if conditional_failed(&err) => Ok(None),
            Err(err) => Err(ledger_error(err)),
        }
    }

    /// Opens an incident unless another invocation just did: `Ok(None)` then.
    async fn open(&self, pk: &str, unit: &str, failure: &Failure, now: u64) -> Result<Option<Thread>, LedgerError> {
        let mut item: HashMap<String, AttributeValue> = HashMap::from([
            ("pk".to_string(), s(pk)),
            ("incident_id".to_string(), s(&incident_id(unit, now))),
            ("opened_at".to_string(), n(now)),
            ("last_failure_at".to_string(), n(now)),
            ("expires_at".to_string(), n(self.incident_expiry(now))),
        ]);
        for (name, values) in incident_sets(failure) {
            item.insert(name, AttributeValue::Ss(values));
        }
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item.clone()))
            .condition_expression(
                "attribute_not_exists(pk) OR last_failure_at < :cutoff OR attribute_exists(resolved_at)",
            )
            .expression_attribute_values(":cutoff", n(now.saturating_sub(self.quiet_seconds)))
            .send()
            .await;
        match put {
            Ok(_) => Ok(Some(thread_of(&item, ThreadState::Opened))),
            Err(err) if conditional_failed(&err) => Ok(None),
            Err(err) => Err(ledger_error(err)),
        }
    }
}

/// How long a closed or quiet incident's item is kept before TTL removes it.
const INCIDENT_GRACE_SECONDS: u64 = 3600;

/// `prod/api/1733330000`: stable for the incident, readable, and a valid chat thread id.
fn incident_id(unit: &str, opened_at: u64) -> String {
    format!("{unit}/{opened_at}")
}

/// The string sets a failure adds to its incident's item: `cause#<rule>` per cause, the
/// deployment ids and their task definitions. None is empty (DynamoDB refuses empty sets).
fn incident_sets(failure: &Failure) -> Vec<(String, Vec<String>)> {
    let mut sets: Vec<(String, Vec<String>)> = failure
        .causes
        .iter()
        .filter(|(_, members)| !members.is_empty())
        .map(|(rule, members)| (format!("cause#{rule}"), members.clone()))
        .collect();
    if let Some((id, definition)) = &failure.deployment {
        sets.push(("deployments".into(), vec![id.clone()]));
        if let Some(definition) = definition {
            sets.push(("failed_task_definitions".into(), vec![definition.clone()]));
        }
    }
    // The same name twice in one UpdateExpression is an error: merge.
    let mut merged: Vec<(String, Vec<String>)> = Vec::new();
    for (name, mut values) in sets {
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => existing.append(&mut values),
            None => merged.push((name, values)),
        }
    }
    for (_, values) in &mut merged {
        values.sort();
        values.dedup();
    }
    merged
}

fn strings(item: &HashMap<String, AttributeValue>, name: &str) -> Vec<String> {
    item.get(name).and_then(|v| v.as_ss().ok()).cloned().unwrap_or_default()
}

/// The incident an item holds.
fn thread_of(item: &HashMap<String, AttributeValue>, state: ThreadState) -> Thread {
    let mut causes: Vec<(String, u64)> = Vec::new();
    let mut tasks: Vec<&String> = Vec::new();
    for (name, value) in item {
        if let (Some(rule), Ok(members)) = (name.strip_prefix("cause#"), value.as_ss()) {
            causes.push((rule.to_string(), members.len() as u64));
            tasks.extend(members.iter().filter(|m| m.contains(":task/")));
        }
    }
    causes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    tasks.sort();
    tasks.dedup();
    let get = |name: &str| number(Some(item), name);
    Thread {
        id: item
            .get("incident_id")
            .and_then(|v| v.as_s().ok())
            .cloned()
            .unwrap_or_default(),
        state,
        opened_at: get("opened_at").unwrap_or_default(),
        failed_tasks: tasks.len() as u64,
        causes,
        failed_task_definitions: strings(item, "failed_task_definitions"),
        resolved_at: get("resolved_at"),
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
    async fn claim(&self, keys: &LedgerKeys, now: u64, lease_until: u64) -> Result<Claim, LedgerError> {
        let put = self
            .client
            .put_item()
            .table_name(&self.table)
            .item("pk", s(&keys.event))
            .item("state", s("pending"))
            .item("claimed_at", n(now))
            .item("lease_until", n(lease_until))
            .item("expires_at", n(now.saturating_add(EVENT_RECORD_SECONDS)))
            .condition_expression(
                "attribute_not_exists(pk) OR (#state = :pending AND (lease_until < :now \
                 OR (attribute_not_exists(lease_until) AND claimed_at < :stale)))",
            )
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":pending", s("pending"))
            .expression_attribute_values(":now", n(now))
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
        // Open a new window unless one is running; the old item tells what it held back. A
        // window this event opened before (its claim died unpublished) is this claim's again.
        let open = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&keys.signature))
            .update_expression("SET window_start = :now, suppressed = :zero, expires_at = :expires, #owner = :event")
            .condition_expression("attribute_not_exists(pk) OR window_start <= :cutoff OR #owner = :event")
            .expression_attribute_names("#owner", "owner")
            .expression_attribute_values(":event", s(&keys.event))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":expires", n(now.saturating_add(self.window_seconds.saturating_mul(2))))
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

    async fn confirm(&self, keys: &LedgerKeys, message_id: Option<&str>) -> Result<(), LedgerError> {
        let mut update = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&keys.event))
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":done", s("done"));
        // The message id says which SNS message the event became (for a support case, or to
        // tell a duplicate on the topic from a second event).
        update = match message_id.filter(|id| !id.is_empty()) {
            Some(id) => update
                .update_expression("SET #state = :done, message_id = :id")
                .expression_attribute_values(":id", s(id)),
            None => update.update_expression("SET #state = :done"),
        };
        update.send().await.map(|_| ()).map_err(ledger_error)
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
    async fn record(&self, unit: &str, failure: &Failure, now: u64) -> Result<Option<Thread>, LedgerError> {
        if self.quiet_seconds == 0 {
            return Ok(None);
        }
        let pk = format!("incident#{unit}");
        // Join the open incident, else open one; a concurrent opener makes the join win on the
        // next round, so two invocations never open two incidents.
        for _ in 0..3 {
            if let Some(thread) = self.join(&pk, failure, now).await? {
                return Ok(Some(thread));
            }
            if let Some(thread) = self.open(&pk, unit, failure, now).await? {
                return Ok(Some(thread));
            }
        }
        Err(LedgerError(format!(
            "incident of {unit}: still contended after 3 attempts"
        )))
    }

    async fn resolve(&self, unit: &str, now: u64) -> Result<Option<Thread>, LedgerError> {
        if self.quiet_seconds == 0 {
            return Ok(None);
        }
        let resolved = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&format!("incident#{unit}")))
            .update_expression("SET resolved_at = :now, expires_at = :expires")
            .condition_expression(
                "attribute_exists(pk) AND last_failure_at >= :cutoff AND attribute_not_exists(resolved_at)",
            )
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":expires", n(now.saturating_add(INCIDENT_GRACE_SECONDS)))
            .expression_attribute_values(":cutoff", n(now.saturating_sub(self.quiet_seconds)))
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match resolved {
            Ok(out) => Ok(out.attributes().map(|item| thread_of(item, ThreadState::Resolved))),
            Err(err) if conditional_failed(&err) => Ok(None),
            Err(err) => Err(ledger_error(err)),
        }
    }

    async fn reopen(&self, unit: &str, resolved_at: u64) -> Result<(), LedgerError> {
        let reopened = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(&format!("incident#{unit}")))
            .update_expression("REMOVE resolved_at")
            .condition_expression("resolved_at = :at")
            .expression_attribute_values(":at", n(resolved_at))
            .send()
            .await;
        match reopened {
            Ok(_) => Ok(()),
            Err(err) if conditional_failed(&err) => Ok(()),
            Err(err) => Err(ledger_error(err)),
        }
    }
}
