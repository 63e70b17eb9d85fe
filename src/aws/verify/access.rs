//! The one policy simulation the image and secrets checks share: `iam:SimulatePrincipalPolicy`
//! for the task execution role, turned into plain [`Simulated`] results.
use aws_sdk_iam::types::{EvaluationResult, PolicyEvaluationDecisionType, Statement};

use super::{error_code, join_all, unavailable};
use crate::aws::clients::AccountClients;
use crate::verify::access::{Decision, Simulated};
use crate::verify::Unavailable;

/// The IAM action of the call, named when it is denied to this function.
pub(super) const SIMULATE: &str = "iam:SimulatePrincipalPolicy";

/// One question for the simulator: may the role do `actions` on `resources`, given the
/// resources' own policy (a repository policy) when there is one?
pub(super) struct Ask {
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub resource_policy: Option<String>,
    /// The account that owns the resources, required by IAM with a resource policy.
    pub resource_owner: Option<String>,
}

impl Ask {
    pub fn new(actions: &[&str], resources: Vec<String>) -> Self {
        Ask {
            actions: actions.iter().map(|a| a.to_string()).collect(),
            resources,
            resource_policy: None,
            resource_owner: None,
        }
    }
}

/// Simulates every ask for `role_arn`, concurrently. A role that no longer exists is
/// [`Unavailable::Gone`]; any other error names `iam:SimulatePrincipalPolicy`.
pub(super) async fn simulate(
    aws: &AccountClients,
    role_arn: &str,
    asks: Vec<Ask>,
) -> Result<Vec<Simulated>, Unavailable> {
    let iam = aws.iam();
    let answers = join_all(asks.into_iter().map(|ask| one(iam, role_arn, ask))).await;
    let mut out = Vec::new();
    for answer in answers {
        out.extend(answer?);
    }
    Ok(out)
}

async fn one(iam: &aws_sdk_iam::Client, role_arn: &str, ask: Ask) -> Result<Vec<Simulated>, Unavailable> {
    let mut pages = iam
        .simulate_principal_policy()
        .policy_source_arn(role_arn)
        .set_action_names(Some(ask.actions))
        .set_resource_arns(Some(ask.resources))
        .set_resource_policy(ask.resource_policy)
        .set_resource_owner(ask.resource_owner)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|err| match error_code(&err) {
            Some("NoSuchEntity") => Unavailable::Gone(role_arn.to_string()),
            _ => unavailable(err, SIMULATE),
        })?;
        for result in page.evaluation_results() {
            out.extend(convert(result));
        }
    }
    Ok(out)
}

fn decision(d: &PolicyEvaluationDecisionType) -> Decision {
    match d {
        PolicyEvaluationDecisionType::Allowed => Decision::Allowed,
        PolicyEvaluationDecisionType::ExplicitDeny => Decision::ExplicitDeny,
        _ => Decision::ImplicitDeny,
    }
}

fn matched(statements: &[Statement]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for id in statements.iter().filter_map(|s| s.source_policy_id()) {
        if !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    out
}

/// One result per resource: IAM answers per action, with per-resource details when the call
/// named several resources (or a resource policy took part).
fn convert(result: &EvaluationResult) -> Vec<Simulated> {
    let action = result.eval_action_name().to_string();
    let specific = result.resource_specific_results();
    if specific.is_empty() {
        return vec![Simulated {
            action,
            resource: result.eval_resource_name().unwrap_or("*").to_string(),
            decision: decision(result.eval_decision()),
            matched: matched(result.matched_statements()),
        }];
    }
    specific
        .iter()
        .map(|r| Simulated {
            action: action.clone(),
            resource: r.eval_resource_name().to_string(),
            decision: decision(r.eval_resource_decision()),
            matched: matched(r.matched_statements()),
        })
        .collect()
}
