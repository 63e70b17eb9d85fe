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

use super::clients::{AccountClients, Clients, Target};
pub(crate) use super::error::{error_code, failed_call, unavailable};
use crate::changes::WhatChanged;
use crate::diagnose::{Category, Finding, Lang};
use crate::incident::Incident;
use crate::report::{ChangeReader, Report};
use crate::verify::{Check, Verifier};

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
