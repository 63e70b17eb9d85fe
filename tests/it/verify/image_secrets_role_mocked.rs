//! What moto cannot do for the image and secrets checks, with mocked SDK clients
//! (canned answers, tests/it/support/mock.rs): `iam:SimulatePrincipalPolicy` (allow, implicit deny, explicit deny, the
//! repository policy passed along), AccessDenied and throttling on ECR, a cross-account image,
//! a customer managed KMS key, and a slow endpoint that the budget cuts off.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::mock::{mock, mock_client, Rule, RuleMode};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ecr::operation::describe_images::DescribeImagesOutput;
use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesOutput;
use aws_sdk_ecr::operation::get_repository_policy::GetRepositoryPolicyOutput;
use aws_sdk_ecr::types::{ImageDetail, Repository};
use aws_sdk_ecr::Client as EcrClient;
use aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyOutput;
use aws_sdk_iam::types::{EvaluationResult, PolicyEvaluationDecisionType as D, Statement};
use aws_sdk_iam::Client as IamClient;
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use aws_sdk_secretsmanager::Client as SmClient;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::retry::RetryConfig;
use ecs_doctor::aws::clients::{AccountClients, Clients, Preset, Target};
use ecs_doctor::aws::AwsVerifier;
use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::from_text;
use ecs_doctor::incident::{Container, ContainerDefinition, Incident, SecretRef, Task, TaskDefinition};
use ecs_doctor::report::{self, Report};
use ecs_doctor::verify::{self, Check, CheckStatus, Verifier};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const EXEC_ROLE: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
const REPO_ARN: &str = "arn:aws:ecr:us-east-1:123456789012:repository/platform/base-api";
const REPO_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"*"},"Action":"ecr:BatchGetImage"}]}"#;

fn base() -> SdkConfig {
    SdkConfig::builder()
        .region(Region::new(REGION))
        .behavior_version(BehaviorVersion::latest())
        .build()
}

/// A verifier whose clients for the incident's account and Region are the mocks given.
async fn verifier(set: impl FnOnce(&AccountClients)) -> AwsVerifier {
    let clients = Clients::new(base());
    set(&*clients.for_target(&Target::new(Some(ACCOUNT), Some(REGION))).await);
    AwsVerifier::new(Arc::new(clients))
}

fn incident(reason: &str, image: &str) -> Incident {
    let mut incident = from_text(reason);
    incident.account = Some(ACCOUNT.into());
    incident.region = Some(REGION.into());
    incident.task = Some(Task {
        task_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/abc"),
        containers: vec![Container {
            name: "app".into(),
            image: Some(image.into()),
            reason: Some(reason.into()),
            ..Container::default()
        }],
        ..Task::default()
    });
    incident.task_definition = Some(TaskDefinition {
        execution_role_arn: Some(EXEC_ROLE.into()),
        containers: vec![ContainerDefinition {
            name: "app".into(),
            image: Some(image.into()),
            ..ContainerDefinition::default()
        }],
        ..TaskDefinition::default()
    });
    incident
}

const DENIED: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1: pull access denied, 403 Forbidden: not authorized to perform: ecr:BatchGetImage";

fn image() -> String {
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1".into()
}

async fn run(v: &AwsVerifier, incident: &Incident) -> Vec<Check> {
    let d = diagnose(incident, Lang::En);
    v.verify(incident, d.primary(), Lang::En).await
}

fn by_id<'a>(checks: &'a [Check], id: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

/// ECR with the repository, its policy and tag 3.2.1.
fn ecr_ok() -> EcrClient {
    let repos = mock!(EcrClient::describe_repositories).then_output(|| {
        DescribeRepositoriesOutput::builder()
            .repositories(
                Repository::builder()
                    .repository_name("platform/base-api")
                    .repository_arn(REPO_ARN)
                    .build(),
            )
            .build()
    });
    let policy = mock!(EcrClient::get_repository_policy)
        .then_output(|| GetRepositoryPolicyOutput::builder().policy_text(REPO_POLICY).build());
    let images = mock!(EcrClient::describe_images).then_output(|| {
        DescribeImagesOutput::builder()
            .image_details(
                ImageDetail::builder()
                    .image_tags("3.2.1")
                    .image_pushed_at(aws_smithy_types::DateTime::from_secs(1_795_700_000))
                    .build(),
            )
            .build()
    });
    mock_client!(aws_sdk_ecr, RuleMode::MatchAny, [&repos, &policy, &images])
}

fn result(action: &str, resource: &str, decision: D, policy: Option<&str>) -> EvaluationResult {
    let mut b = EvaluationResult::builder()
        .eval_action_name(action)
        .eval_resource_name(resource)
        .eval_decision(decision);
    if let Some(p) = policy {
        b = b.matched_statements(Statement::builder().source_policy_id(p).build());
    }
    b.build().expect("evaluation result")
}

/// IAM whose simulation answers `pull` for the repository actions (only when the repository
/// policy is passed along) and allows the token.
fn iam_simulating(pull: D, policy: Option<&'static str>) -> (IamClient, Rule) {
    let repo = mock!(IamClient::simulate_principal_policy)
        .match_requests(|r| {
            r.action_names().contains(&"ecr:BatchGetImage".to_string())
                && r.resource_policy() == Some(REPO_POLICY)
                && r.resource_owner() == Some("arn:aws:iam::123456789012:root")
        })
        .then_output(move || {
            SimulatePrincipalPolicyOutput::builder()
                .evaluation_results(result("ecr:BatchGetImage", REPO_ARN, pull.clone(), policy))
                .evaluation_results(result("ecr:GetDownloadUrlForLayer", REPO_ARN, D::Allowed, None))
                .build()
        });
    let token = mock!(IamClient::simulate_principal_policy)
        .match_requests(|r| r.action_names() == ["ecr:GetAuthorizationToken".to_string()])
        .then_output(|| {
            SimulatePrincipalPolicyOutput::builder()
                .evaluation_results(result(
                    "ecr:GetAuthorizationToken",
                    "*",
                    D::Allowed,
                    Some("AmazonECSTaskExecutionRolePolicy"),
                ))
                .build()
        });
    let client = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&repo, &token]);
    (client, repo)
}

#[tokio::test]
async fn the_simulation_allows_or_denies_pulls_with_the_repository_policy() {
    let incident = incident(DENIED, &image());

    // allow: every action allowed, with the repository policy in the simulation
    let (iam, repo_rule) = iam_simulating(D::Allowed, Some("AmazonECSTaskExecutionRolePolicy"));
    let v = verifier(|c| {
        c.preset(ecr_ok());
        c.preset(iam);
    })
    .await;
    let checks = run(&v, &incident).await;
    let role = by_id(&checks, "iam.execution-role-ecr");
    assert_eq!(role.status, CheckStatus::Absent, "{role:#?}");
    assert_eq!(
        role.summary,
        "The task execution role `ecsTaskExecutionRole` may pull from `platform/base-api`: every action is allowed. The repository policy took part in the simulation."
    );
    assert_eq!(
        repo_rule.num_calls(),
        1,
        "the repository policy was passed to the simulation"
    );
    assert!(role
        .facts
        .iter()
        .any(|(k, v)| k == "ecr:GetAuthorizationToken" && v == "allowed on * [AmazonECSTaskExecutionRolePolicy]"));

    // implicit deny: confirmed, and the grant leads the steps
    let (iam, _) = iam_simulating(D::ImplicitDeny, None);
    let v = verifier(|c| {
        c.preset(ecr_ok());
        c.preset(iam);
    })
    .await;
    let mut d = Report::from(diagnose(&incident, Lang::En));
    report::verify(&v, &incident, &mut d, verify::DEFAULT_BUDGET).await;
    let role = by_id(&d.primary().checks, "iam.execution-role-ecr");
    assert_eq!(role.status, CheckStatus::Found);
    assert_eq!(
        role.summary,
        format!("The task execution role `ecsTaskExecutionRole` may not pull from `platform/base-api`: no policy allows `ecr:BatchGetImage` (e.g. on `{REPO_ARN}`). The repository policy took part in the simulation.")
    );
    assert_eq!(
        d.primary().remediation[0],
        format!("Allow `ecr:BatchGetImage` on `{REPO_ARN}` in a policy of role `ecsTaskExecutionRole`.")
    );

    // explicit deny: names the policy with the Deny
    let (iam, _) = iam_simulating(D::ExplicitDeny, Some("DenyProdPulls"));
    let v = verifier(|c| {
        c.preset(ecr_ok());
        c.preset(iam);
    })
    .await;
    let checks = run(&v, &incident).await;
    let role = by_id(&checks, "iam.execution-role-ecr");
    assert_eq!(role.status, CheckStatus::Found);
    assert!(
        role.summary
            .contains("a Deny in `DenyProdPulls` matches `ecr:BatchGetImage`"),
        "{}",
        role.summary
    );
    assert!(role
        .lead_step
        .as_deref()
        .unwrap_or_default()
        .starts_with("Remove or narrow the Deny in `DenyProdPulls`"));
}

fn ecr_error(code: &'static str, status: u16) -> impl Fn() -> HttpResponse + Send + Sync + 'static {
    move || {
        let mut response = HttpResponse::new(
            StatusCode::try_from(status).expect("status"),
            SdkBody::from(format!(r#"{{"__type":"{code}","message":"no"}}"#)),
        );
        response.headers_mut().insert("x-amzn-errortype", code);
        response
            .headers_mut()
            .insert("content-type", "application/x-amz-json-1.1");
        response
    }
}

/// IAM whose simulation allows everything asked.
fn iam_allowing_all() -> IamClient {
    let sim = mock!(IamClient::simulate_principal_policy).then_compute_output(|r| {
        let resource = r.resource_arns().first().cloned().unwrap_or_default();
        let mut out = SimulatePrincipalPolicyOutput::builder();
        for action in r.action_names() {
            out = out.evaluation_results(result(action, &resource, D::Allowed, None));
        }
        out.build()
    });
    mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&sim])
}

#[tokio::test]
async fn access_denied_and_throttling_become_not_checked_naming_the_action() {
    let incident = incident(DENIED, &image());
    let repos = mock!(EcrClient::describe_repositories).then_http_response(ecr_error("ThrottlingException", 400));
    let policy =
        mock!(EcrClient::get_repository_policy).then_http_response(ecr_error("RepositoryPolicyNotFoundException", 400));
    let images = mock!(EcrClient::describe_images).then_http_response(ecr_error("AccessDeniedException", 400));
    let ecr = mock_client!(aws_sdk_ecr, RuleMode::MatchAny, [&repos, &policy, &images], |c| c
        .retry_config(RetryConfig::disabled()));
    let v = verifier(|c| {
        c.preset(ecr);
        c.preset(iam_allowing_all());
    })
    .await;
    let checks = run(&v, &incident).await;
    let repo = by_id(&checks, "ecr.repository");
    assert_eq!(repo.status, CheckStatus::NotChecked);
    assert_eq!(
        repo.summary,
        "Could not check repository `platform/base-api`: `ecr:DescribeRepositories` was throttled."
    );
    let tag = by_id(&checks, "ecr.image-tag");
    assert_eq!(tag.status, CheckStatus::NotChecked);
    assert_eq!(
        tag.summary,
        "Could not check tag `3.2.1` in `platform/base-api`: this function is not allowed `ecr:DescribeImages`."
    );
}

#[tokio::test]
async fn a_cross_account_image_says_what_cannot_be_seen_and_still_simulates_the_role() {
    let other = "210987654321.dkr.ecr.us-east-1.amazonaws.com/shared/base:1";
    let incident = incident(
        &DENIED.replace(
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1",
            other,
        ),
        other,
    );
    let untouched =
        mock!(EcrClient::describe_repositories).then_output(|| DescribeRepositoriesOutput::builder().build());
    let ecr = mock_client!(aws_sdk_ecr, RuleMode::MatchAny, [&untouched]);
    let sim = mock!(IamClient::simulate_principal_policy)
        .match_requests(|r| r.resource_policy().is_none())
        .then_compute_output(|r| {
            let resource = r.resource_arns().first().cloned().unwrap_or_default();
            let mut out = SimulatePrincipalPolicyOutput::builder();
            for action in r.action_names() {
                out = out.evaluation_results(result(action, &resource, D::Allowed, None));
            }
            out.build()
        });
    let iam = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&sim]);
    let v = verifier(|c| {
        c.preset(ecr);
        c.preset(iam);
    })
    .await;
    let checks = run(&v, &incident).await;
    assert_eq!(untouched.num_calls(), 0, "no ECR call into another account");
    let repo = by_id(&checks, "ecr.repository");
    assert_eq!(repo.status, CheckStatus::NotChecked);
    assert_eq!(
        repo.summary,
        "Could not check repository `shared/base`: it belongs to account 210987654321, which this function cannot read."
    );
    let role = by_id(&checks, "iam.execution-role-ecr");
    assert_eq!(sim.num_calls(), 2);
    assert_eq!(
        role.status,
        CheckStatus::NotChecked,
        "an allow here cannot rule out the other side"
    );
    assert!(
        role.summary
            .ends_with("Only the role's own policies were simulated: the repository policy in account 210987654321 cannot be read from here, and it must allow this role too."),
        "{}",
        role.summary
    );
}

#[tokio::test]
async fn a_customer_managed_key_the_role_may_not_use_is_confirmed() {
    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    const KEY: &str = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    let mut incident = incident(
        &format!("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: Access to KMS is not allowed. arn: {SECRET}"),
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1",
    );
    if let Some(d) = incident.task_definition.as_mut() {
        d.containers[0].secrets = vec![SecretRef {
            name: "DB".into(),
            value_from: SECRET.into(),
        }];
    }
    let describe = mock!(SmClient::describe_secret)
        .match_requests(|r| r.secret_id() == Some(SECRET))
        .then_output(|| {
            DescribeSecretOutput::builder()
                .arn(SECRET)
                .name("prod/db")
                .kms_key_id(KEY)
                .version_ids_to_stages("v1", vec!["AWSCURRENT".into()])
                .build()
        });
    let sm = mock_client!(aws_sdk_secretsmanager, RuleMode::MatchAny, [&describe]);
    let sim = mock!(IamClient::simulate_principal_policy).then_compute_output(|r| {
        let resource = r.resource_arns().first().cloned().unwrap_or_default();
        let decision = if r.action_names().contains(&"kms:Decrypt".to_string()) {
            D::ImplicitDeny
        } else {
            D::Allowed
        };
        let mut out = SimulatePrincipalPolicyOutput::builder();
        for action in r.action_names() {
            out = out.evaluation_results(result(action, &resource, decision.clone(), None));
        }
        out.build()
    });
    let iam = mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&sim]);
    let v = verifier(|c| {
        c.preset(sm);
        c.preset(iam);
    })
    .await;
    let checks = run(&v, &incident).await;
    let secret = by_id(&checks, "secretsmanager.secret");
    assert_eq!(secret.status, CheckStatus::Absent, "{secret:#?}");
    let role = by_id(&checks, "iam.execution-role-secrets");
    assert_eq!(role.status, CheckStatus::Found, "{role:#?}");
    assert_eq!(
        role.summary,
        format!("The task execution role `ecsTaskExecutionRole` may not read these secrets: no policy allows `kms:Decrypt` (e.g. on `{KEY}`).")
    );
    assert!(role
        .facts
        .iter()
        .any(|(k, v)| k == "secretsmanager:GetSecretValue" && v == &format!("allowed on {SECRET}")));
    assert_eq!(sim.num_calls(), 2, "one simulation for the secret, one for the key");
}

#[tokio::test]
async fn a_silent_endpoint_is_cut_off_by_the_budget() {
    // A socket that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .credentials_provider(aws_sdk_ecs::config::Credentials::new("t", "t", None, None, "test"))
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(20))
                .build(),
        )
        .load()
        .await;
    let v = AwsVerifier::new(Arc::new(Clients::new(sdk)));
    let incident = incident(DENIED, &image());
    let mut d = Report::from(diagnose(&incident, Lang::En));
    let started = Instant::now();
    report::verify(&v, &incident, &mut d, Duration::from_millis(300)).await;
    let checks = &d.primary().checks;
    assert_eq!(checks.len(), 1, "{checks:#?}");
    assert_eq!(checks[0].id, "verify.budget");
    assert_eq!(checks[0].status, CheckStatus::NotChecked);
    assert_eq!(
        checks[0].summary,
        "Could not check the image and the permission to pull it within the 0.3 s budget."
    );
    // Not a speed test: only that the stage did not wait for the 20 s SDK timeout.
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    drop(listener);
}
