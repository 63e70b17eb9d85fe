//! `ecs-doctor check`'s permission checks, which moto cannot simulate, with mocked SDK clients
//! (canned answers, tests/it/support/mock.rs): `iam:SimulatePrincipalPolicy` denying the secret read and the log
//! writes while allowing the image pull, and the gate's result and text for it.

use crate::support::mock::{mock, mock_client, RuleMode};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput;
use aws_sdk_cloudwatchlogs::types::LogGroup;
use aws_sdk_ecr::operation::describe_images::DescribeImagesOutput;
use aws_sdk_ecr::operation::describe_repositories::DescribeRepositoriesOutput;
use aws_sdk_ecr::operation::get_repository_policy::GetRepositoryPolicyOutput;
use aws_sdk_ecr::types::{ImageDetail, Repository};
use aws_sdk_iam::operation::get_role::GetRoleOutput;
use aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyOutput;
use aws_sdk_iam::types::{EvaluationResult, PolicyEvaluationDecisionType as D, Role};
use aws_sdk_secretsmanager::operation::describe_secret::DescribeSecretOutput;
use ecs_doctor::aws::clients::{Clients, Target};
use ecs_doctor::aws::verify::preflight::{account_checks, Plan};
use ecs_doctor::cli::check::{offline, render, Gate, Outcome};
use ecs_doctor::cli::exit::Code;
use ecs_doctor::diagnose::Lang;
use ecs_doctor::incident::{ContainerDefinition, SecretRef, TaskDefinition};
use ecs_doctor::verify::Check;

const EXEC_ROLE: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web/api:1.4.0";

fn definition() -> TaskDefinition {
    TaskDefinition {
        family: Some("web".into()),
        revision: Some(4),
        cpu: Some("256".into()),
        memory: Some("512".into()),
        network_mode: Some("awsvpc".into()),
        requires_compatibilities: vec!["FARGATE".into()],
        execution_role_arn: Some(EXEC_ROLE.into()),
        containers: vec![ContainerDefinition {
            name: "app".into(),
            image: Some(IMAGE.into()),
            memory: Some(512),
            secrets: vec![SecretRef {
                name: "DB_PASSWORD".into(),
                value_from: SECRET.into(),
            }],
            log_driver: Some("awslogs".into()),
            log_options: vec![
                ("awslogs-group".into(), "/ecs/web".into()),
                ("awslogs-region".into(), "us-east-1".into()),
            ],
            ..ContainerDefinition::default()
        }],
        ..TaskDefinition::default()
    }
}

fn result(action: &str, resource: &str, decision: D) -> EvaluationResult {
    EvaluationResult::builder()
        .eval_action_name(action)
        .eval_resource_name(resource)
        .eval_decision(decision)
        .build()
        .expect("evaluation result")
}

/// Clients whose ECR, Secrets Manager, Logs and IAM answer as an account where the image,
/// secret, group and role exist; the simulation denies what `denied` names.
async fn clients(denied: &'static [&'static str]) -> Clients {
    let clients = Clients::new(
        SdkConfig::builder()
            .region(Region::new("us-east-1"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    );
    let repos = mock!(aws_sdk_ecr::Client::describe_repositories).then_output(|| {
        DescribeRepositoriesOutput::builder()
            .repositories(Repository::builder().repository_name("web/api").build())
            .build()
    });
    let policy =
        mock!(aws_sdk_ecr::Client::get_repository_policy).then_output(|| GetRepositoryPolicyOutput::builder().build());
    let images = mock!(aws_sdk_ecr::Client::describe_images).then_output(|| {
        DescribeImagesOutput::builder()
            .image_details(ImageDetail::builder().image_tags("1.4.0").build())
            .build()
    });
    let secret = mock!(aws_sdk_secretsmanager::Client::describe_secret).then_output(|| {
        DescribeSecretOutput::builder()
            .arn(SECRET)
            .name("prod/db")
            .version_ids_to_stages("v1", vec!["AWSCURRENT".into()])
            .build()
    });
    let groups = mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups).then_output(|| {
        DescribeLogGroupsOutput::builder()
            .log_groups(LogGroup::builder().log_group_name("/ecs/web").build())
            .build()
    });
    let role = mock!(aws_sdk_iam::Client::get_role).then_output(|| {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
        GetRoleOutput::builder()
            .role(
                Role::builder()
                    .path("/")
                    .role_name("ecsTaskExecutionRole")
                    .role_id("AROAEXAMPLE")
                    .arn(EXEC_ROLE)
                    .create_date(aws_smithy_types::DateTime::from_secs(1_700_000_000))
                    .assume_role_policy_document(trust)
                    .build()
                    .expect("role"),
            )
            .build()
    });
    let simulate = mock!(aws_sdk_iam::Client::simulate_principal_policy).then_compute_output(move |r| {
        let resource = r.resource_arns().first().cloned().unwrap_or_default();
        let mut out = SimulatePrincipalPolicyOutput::builder();
        for action in r.action_names() {
            let decision = if denied.contains(&action.as_str()) {
                D::ImplicitDeny
            } else {
                D::Allowed
            };
            out = out.evaluation_results(result(action, &resource, decision));
        }
        out.build()
    });
    let home = Target::default();
    clients
        .preset(
            &home,
            mock_client!(aws_sdk_ecr, RuleMode::MatchAny, [&repos, &policy, &images]),
        )
        .await;
    clients
        .preset(
            &home,
            mock_client!(aws_sdk_secretsmanager, RuleMode::MatchAny, [&secret]),
        )
        .await;
    clients
        .preset(
            &home,
            mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&groups]),
        )
        .await;
    clients
        .preset(&home, mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&role, &simulate]))
        .await;
    clients
}

fn by_id<'a>(checks: &'a [Check], id: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

async fn gate(denied: &'static [&'static str]) -> Gate {
    let plan = Plan {
        definition: definition(),
        ..Plan::default()
    };
    let mut checks = offline::checks(&plan.definition, Lang::En);
    checks.extend(account_checks(&clients(denied).await, &plan, Lang::En).await);
    Gate::new(&plan.definition, checks, Lang::En, false)
}

#[tokio::test]
async fn a_simulated_denial_of_the_secret_read_fails_the_gate() {
    // GIVEN an execution role that may pull and write logs, but not read the secret
    let gate = gate(&["secretsmanager:GetSecretValue"]).await;

    // THEN the secret exists, yet the role's permission to read it is a problem
    assert_eq!(
        Outcome::of(by_id(&gate.checks, "secretsmanager.secret").status),
        Outcome::Ok
    );
    let read = by_id(&gate.checks, "iam.execution-role-secrets");
    assert_eq!(Outcome::of(read.status), Outcome::Problem, "{read:#?}");
    assert!(
        read.summary.contains("secretsmanager:GetSecretValue"),
        "{}",
        read.summary
    );
    assert_eq!(
        Outcome::of(by_id(&gate.checks, "iam.execution-role-ecr").status),
        Outcome::Ok
    );
    assert_eq!(
        Outcome::of(by_id(&gate.checks, "iam.execution-role-logs").status),
        Outcome::Ok
    );
    assert_eq!(
        Outcome::of(by_id(&gate.checks, "iam.execution-role-trust").status),
        Outcome::Ok
    );
    assert_eq!(gate.exit_code(), Code::Problem.as_u8());
    let text = render::text(&gate);
    let line = text
        .lines()
        .find(|l| l.contains("iam.execution-role-secrets"))
        .unwrap_or_default();
    assert!(line.starts_with("✘ problem"), "{text}");
}

#[tokio::test]
async fn a_simulated_denial_of_the_log_writes_fails_the_gate_and_an_allowed_role_passes() {
    let gate_denied = gate(&["logs:PutLogEvents"]).await;
    let logs = by_id(&gate_denied.checks, "iam.execution-role-logs");
    assert_eq!(Outcome::of(logs.status), Outcome::Problem, "{logs:#?}");
    assert!(
        logs.facts.iter().any(|(_, v)| v.contains("logs:PutLogEvents")),
        "{logs:#?}"
    );
    assert_eq!(gate_denied.exit_code(), Code::Problem.as_u8());

    // The healthy twin: everything allowed, nothing wrong, exit 0.
    let healthy = gate(&[]).await;
    let problems: Vec<&Check> = healthy
        .checks
        .iter()
        .filter(|c| Outcome::of(c.status) == Outcome::Problem)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(healthy.exit_code(), 0);
    assert_eq!(
        Outcome::of(by_id(&healthy.checks, "iam.execution-role-secrets").status),
        Outcome::Ok
    );
}
