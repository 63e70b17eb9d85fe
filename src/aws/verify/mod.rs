//! The verify stage's reads: read-only calls that gather the facts each category's checks
//! need, for the account and Region the incident happened in. What the facts mean is decided
//! by the pure functions in `crate::verify`; this side only fetches and converts.

mod access;
mod capacity;
mod efs;
mod elb;
mod image;
mod logs;
mod network;
pub mod preflight;
mod role;
mod secrets;
mod service;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};

use super::clients::{AccountClients, Clients, Target};
use super::{is_access_denied, is_throttling};
use crate::changes::WhatChanged;
use crate::diagnose::{Category, Finding, Lang};
use crate::incident::Incident;
use crate::report::{ChangeReader, Report};
use crate::verify::{Check, Unavailable, Verifier};

/// Checks causes with the clients of the incident's own account and Region.
pub struct AwsVerifier {
    clients: Arc<Clients>,
}

impl AwsVerifier {
    pub fn new(clients: Arc<Clients>) -> Self {
        AwsVerifier { clients }
    }
}

/// What every check reads from: the incident, the finding, and the clients to ask.
pub(crate) struct Ctx<'a> {
    pub aws: &'a AccountClients,
    pub incident: &'a Incident,
    pub finding: &'a Finding,
    pub lang: Lang,
}

impl Verifier for AwsVerifier {
    async fn verify(&self, incident: &Incident, finding: &Finding, lang: Lang) -> Vec<Check> {
        let aws = self.clients.for_target(&Target::of(incident)).await;
        let ctx = Ctx {
            aws: &aws,
            incident,
            finding,
            lang,
        };
        use Category::*;
        match finding.category {
            ImageNotFound | ImagePullAuth | ImagePlatformMismatch => image::check(&ctx).await,
            SecretsNotFound | SecretsPermission => secrets::check(&ctx).await,
            ImagePullNetwork | SecretsNetwork => network::check(&ctx).await,
            LoggingSetup => {
                let (mut group, path) = tokio::join!(logs::check(&ctx), network::check(&ctx));
                group.extend(path);
                group
            }
            EniProvisioning => network::check_addresses(&ctx).await,
            HealthCheckElb => elb::check(&ctx).await,
            IamRole => role::check(&ctx).await,
            EfsMount => efs::check(&ctx).await,
            PlacementCapacity | PlacementConstraint => capacity::check(&ctx).await,
            _ => Vec::new(),
        }
    }
}

impl ChangeReader for AwsVerifier {
    async fn changes(&self, incident: &Incident, report: &Report, lang: Lang) -> WhatChanged {
        let aws = self.clients.for_target(&Target::of(incident)).await;
        super::changes::what_changed(&aws, incident, report, lang).await
    }
}

/// The error code of an SDK error (`RepositoryNotFoundException`, …), when the service sent one.
pub(crate) fn error_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    }
}

/// An SDK error that is not itself a fact, as the reason a check could not run. `action` is
/// the IAM action of the call (`ecr:DescribeImages`), named in the reason.
pub(crate) fn unavailable<E>(err: &SdkError<E, HttpResponse>, action: &str) -> Unavailable
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::TimeoutError(_) => Unavailable::Timeout(crate::aws::config::OPERATION_TIMEOUT),
        SdkError::DispatchFailure(f) if f.is_timeout() => Unavailable::Timeout(crate::aws::config::OPERATION_TIMEOUT),
        SdkError::ServiceError(e) => match e.err().code() {
            Some(code) if is_access_denied(code) => Unavailable::AccessDenied(action.to_string()),
            Some(code) if is_throttling(code) => Unavailable::Throttled(action.to_string()),
            code => {
                // No code (an emulator's unimplemented call, a proxy's error page): the HTTP
                // status is the one fact left.
                let status = format!("HTTP {}", e.raw().status().as_u16());
                Unavailable::Failed(failed_call(action, Some(code.unwrap_or(&status)), e.err().message()))
            }
        },
        other => Unavailable::Failed(format!("{action}: {}", aws_sdk_ecs::error::DisplayErrorContext(other))),
    }
}

/// A failed call in words: `ecr:DescribeImages failed with ServerException: …`. The call is
/// always named, and an error that came without a code or a message says so instead of
/// printing an empty text.
pub(crate) fn failed_call(action: &str, code: Option<&str>, message: Option<&str>) -> String {
    let message = message
        .map(|m| m.trim().trim_end_matches('.'))
        .filter(|m| !m.is_empty());
    match (code.filter(|c| !c.is_empty()), message) {
        (Some(code), Some(message)) => format!("{action} failed with {code}: {message}"),
        (Some(code), None) => format!("{action} failed with {code} (no message given)"),
        (None, Some(message)) => format!("{action} failed: {message}"),
        (None, None) => format!("{action} failed with an error that has neither a code nor a message"),
    }
}

/// Runs futures of one kind concurrently on the current task and returns their outputs in
/// order (a handful at most; no spawning, so they may borrow the incident and the clients).
async fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pending: Vec<Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut done: Vec<Option<F::Output>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut waiting = false;
        for (future, slot) in pending.iter_mut().zip(done.iter_mut()) {
            if slot.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(output) => *slot = Some(output),
                    Poll::Pending => waiting = true,
                }
            }
        }
        if waiting {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    done.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::failed_call;

    #[test]
    fn a_failed_call_is_named_with_its_code_and_never_empty() {
        assert_eq!(
            failed_call("ecr:DescribeImages", Some("ServerException"), Some("Internal error.")),
            "ecr:DescribeImages failed with ServerException: Internal error"
        );
        assert_eq!(
            failed_call("cloudtrail:LookupEvents", Some("InternalFailure"), Some(" ")),
            "cloudtrail:LookupEvents failed with InternalFailure (no message given)"
        );
        let bare = failed_call("cloudtrail:LookupEvents", None, None);
        assert!(bare.starts_with("cloudtrail:LookupEvents failed"), "{bare}");
        assert!(!bare.contains(": ."), "{bare}");
    }
}
