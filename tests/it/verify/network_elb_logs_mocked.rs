//! What moto cannot produce for the network, load balancer and logs checks, with mocked SDK
//! clients (canned answers, tests/it/support/mock.rs): `iam:SimulatePrincipalPolicy` (allow, implicit deny, explicit
//! deny), target health reason codes (`Target.ResponseCodeMismatch`, `Target.Timeout`),
//! AccessDenied and throttling, and a slow endpoint against the verify budget.

use std::sync::Arc;
use std::time::Duration;

use crate::support::mock::{mock, mock_client, RuleMode};
use aws_sdk_cloudwatchlogs::operation::describe_log_groups::DescribeLogGroupsOutput;
use aws_sdk_cloudwatchlogs::types::LogGroup;
use aws_sdk_ec2::operation::describe_network_interfaces::DescribeNetworkInterfacesError;
use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsError;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::types::{LoadBalancer, Service};
use aws_sdk_elasticloadbalancingv2::operation::describe_target_groups::DescribeTargetGroupsOutput;
use aws_sdk_elasticloadbalancingv2::operation::describe_target_health::DescribeTargetHealthOutput;
use aws_sdk_elasticloadbalancingv2::types::{
    Matcher, TargetDescription, TargetGroup, TargetHealth, TargetHealthDescription, TargetHealthReasonEnum,
    TargetHealthStateEnum, TargetTypeEnum,
};
use aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyOutput;
use aws_sdk_iam::types::{EvaluationResult, PolicyEvaluationDecisionType};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use ecs_doctor::aws::clients::{Clients, Target};
use ecs_doctor::aws::AwsVerifier;
use ecs_doctor::diagnose::{diagnose, Category, Finding, Lang};
use ecs_doctor::fixture::Case;
use ecs_doctor::incident::{Attachment, ContainerDefinition, Incident, PortMapping, TaskDefinition};
use ecs_doctor::report::{self, Report};
use ecs_doctor::verify::{Check, CheckStatus, Verifier};

const ROLE: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";

/// Clients whose unmocked services point at a closed port (refused at once, never retried).
fn clients() -> Clients {
    let sdk = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url("http://127.0.0.1:1")
        .credentials_provider(aws_sdk_ecs::config::SharedCredentialsProvider::new(
            aws_sdk_ecs::config::Credentials::new("t", "t", None, None, "test"),
        ))
        .retry_config(RetryConfig::disabled())
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    Clients::new(sdk)
}

fn finding(incident: &Incident, category: Category) -> Finding {
    diagnose(incident, Lang::En)
        .findings
        .into_iter()
        .find(|f| f.category == category)
        .unwrap_or_else(|| panic!("no {category:?} finding"))
}

fn by_id<'a>(checks: &'a [Check], id: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no {id} in {checks:?}"))
}

fn logging_incident() -> Incident {
    let mut incident = Case::Reason("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: logs:CreateLogStream : exit status 1").incident();
    incident.task_definition = Some(TaskDefinition {
        arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/orders:4".into(),
        execution_role_arn: Some(ROLE.into()),
        containers: vec![ContainerDefinition {
            name: "app".into(),
            log_driver: Some("awslogs".into()),
            log_options: vec![
                ("awslogs-group".into(), "/ecs/orders".into()),
                ("awslogs-region".into(), "us-east-1".into()),
            ],
            ..Default::default()
        }],
        ..Default::default()
    });
    incident
}

/// The logs checks with the group present and the simulation answering `decisions`.
async fn simulate(decisions: &'static [(&'static str, PolicyEvaluationDecisionType)]) -> Vec<Check> {
    let incident = logging_incident();
    let group = mock!(aws_sdk_cloudwatchlogs::Client::describe_log_groups)
        .match_requests(|r| r.log_group_name_prefix() == Some("/ecs/orders"))
        .sequence()
        .output(|| {
            DescribeLogGroupsOutput::builder()
                .log_groups(LogGroup::builder().log_group_name("/ecs/orders").build())
                .build()
        })
        .repeatedly()
        .build();
    let simulation = mock!(aws_sdk_iam::Client::simulate_principal_policy)
        .match_requests(|r| {
            r.policy_source_arn() == Some(ROLE)
                && r.resource_arns()
                    == ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/orders:log-stream:*".to_string()]
        })
        .sequence()
        .output(move || {
            SimulatePrincipalPolicyOutput::builder()
                .set_evaluation_results(Some(
                    decisions
                        .iter()
                        .map(|(action, decision)| {
                            EvaluationResult::builder()
                                .eval_action_name(*action)
                                .eval_decision(decision.clone())
                                .build()
                                .expect("evaluation result")
                        })
                        .collect(),
                ))
                .build()
        })
        .repeatedly()
        .build();
    let clients = clients();
    let target = Target::of(&incident);
    clients
        .preset(
            &target,
            mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&group]),
        )
        .await;
    clients
        .preset(&target, mock_client!(aws_sdk_iam, RuleMode::MatchAny, [&simulation]))
        .await;
    let f = finding(&incident, Category::LoggingSetup);
    AwsVerifier::new(Arc::new(clients))
        .verify(&incident, &f, Lang::En)
        .await
}

#[tokio::test]
async fn simulation_allows_the_execution_role() {
    let checks = simulate(&[
        ("logs:CreateLogStream", PolicyEvaluationDecisionType::Allowed),
        ("logs:PutLogEvents", PolicyEvaluationDecisionType::Allowed),
    ])
    .await;
    let role = by_id(&checks, "iam.execution-role-logs");
    assert_eq!(role.status, CheckStatus::Absent);
    assert_eq!(
        role.summary,
        format!("Execution role {ROLE} may create log streams and put log events in `/ecs/orders`.")
    );
    assert_eq!(by_id(&checks, "logs.log-group").status, CheckStatus::Absent);
}

#[tokio::test]
async fn simulation_finds_an_implicit_deny() {
    let checks = simulate(&[
        ("logs:CreateLogStream", PolicyEvaluationDecisionType::ImplicitDeny),
        ("logs:PutLogEvents", PolicyEvaluationDecisionType::Allowed),
    ])
    .await;
    let role = by_id(&checks, "iam.execution-role-logs");
    assert_eq!(role.status, CheckStatus::Found);
    assert_eq!(
        role.summary,
        format!("Execution role {ROLE} may not logs:CreateLogStream on `/ecs/orders`: no policy allows it.")
    );
    assert!(role.facts.contains(&(
        "simulation".into(),
        "logs:CreateLogStream implicitDeny, logs:PutLogEvents allowed".into()
    )));
}

#[tokio::test]
async fn simulation_finds_an_explicit_deny() {
    let checks = simulate(&[
        ("logs:CreateLogStream", PolicyEvaluationDecisionType::Allowed),
        ("logs:PutLogEvents", PolicyEvaluationDecisionType::ExplicitDeny),
    ])
    .await;
    let role = by_id(&checks, "iam.execution-role-logs");
    assert_eq!(role.status, CheckStatus::Found);
    assert!(
        role.summary.contains("is explicitly denied logs:PutLogEvents"),
        "{}",
        role.summary
    );
    assert!(role
        .lead_step
        .as_deref()
        .is_some_and(|s| s.starts_with("Remove or narrow the Deny statement")));
}

fn elb_incident() -> Incident {
    let mut incident = Case::Stopped {
        reason: "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09)",
        stop_code: "ServiceSchedulerInitiated",
        exit: None,
    }
    .incident();
    if let Some(task) = incident.task.as_mut() {
        task.attachments = vec![Attachment {
            kind: "eni".into(),
            status: Some("ATTACHED".into()),
            details: vec![("privateIPv4Address".into(), "10.0.1.20".into())],
        }];
    }
    incident.task_definition = Some(TaskDefinition {
        arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:7".into(),
        network_mode: Some("awsvpc".into()),
        containers: vec![ContainerDefinition {
            name: "app".into(),
            port_mappings: vec![PortMapping {
                container_port: Some(8080),
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    });
    incident
}

const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09";

async fn target_health(reason: TargetHealthReasonEnum, description: &'static str) -> Vec<Check> {
    let incident = elb_incident();
    let service = mock!(aws_sdk_ecs::Client::describe_services)
        .sequence()
        .output(|| {
            DescribeServicesOutput::builder()
                .services(
                    Service::builder()
                        .service_name("web")
                        .health_check_grace_period_seconds(30)
                        .load_balancers(
                            LoadBalancer::builder()
                                .target_group_arn(TG)
                                .container_name("app")
                                .container_port(8080)
                                .build(),
                        )
                        .build(),
                )
                .build()
        })
        .repeatedly()
        .build();
    let groups = mock!(aws_sdk_elasticloadbalancingv2::Client::describe_target_groups)
        .sequence()
        .output(|| {
            DescribeTargetGroupsOutput::builder()
                .target_groups(
                    TargetGroup::builder()
                        .target_group_arn(TG)
                        .target_group_name("web-tg")
                        .target_type(TargetTypeEnum::Ip)
                        .health_check_port("traffic-port")
                        .health_check_path("/healthz")
                        .health_check_timeout_seconds(5)
                        .health_check_interval_seconds(30)
                        .matcher(Matcher::builder().http_code("200").build())
                        .build(),
                )
                .build()
        })
        .repeatedly()
        .build();
    let reason_for_rule = reason.clone();
    let health = mock!(aws_sdk_elasticloadbalancingv2::Client::describe_target_health)
        .match_requests(|r| r.target_group_arn() == Some(TG))
        .sequence()
        .output(move || {
            DescribeTargetHealthOutput::builder()
                .target_health_descriptions(
                    TargetHealthDescription::builder()
                        .target(TargetDescription::builder().id("10.0.1.20").port(8080).build())
                        .target_health(
                            TargetHealth::builder()
                                .state(TargetHealthStateEnum::Unhealthy)
                                .reason(reason_for_rule.clone())
                                .description(description)
                                .build(),
                        )
                        .build(),
                )
                .build()
        })
        .repeatedly()
        .build();
    let clients = clients();
    let target = Target::of(&incident);
    clients
        .preset(&target, mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&service]))
        .await;
    clients
        .preset(
            &target,
            mock_client!(aws_sdk_elasticloadbalancingv2, RuleMode::MatchAny, [&groups, &health]),
        )
        .await;
    let f = finding(&incident, Category::HealthCheckElb);
    AwsVerifier::new(Arc::new(clients))
        .verify(&incident, &f, Lang::En)
        .await
}

#[tokio::test]
async fn a_response_code_mismatch_is_confirmed_with_the_code() {
    let checks = target_health(
        TargetHealthReasonEnum::ResponseCodeMismatch,
        "Health checks failed with these codes: [404]",
    )
    .await;
    let c = by_id(&checks, "elbv2.target-health");
    assert_eq!(c.status, CheckStatus::Found);
    assert_eq!(
        c.summary,
        "Target 10.0.1.20:8080 of the task is unhealthy in web-tg: Target.ResponseCodeMismatch (Health checks failed with these codes: [404])."
    );
    assert_eq!(
        c.lead_step.as_deref(),
        Some("Make `/healthz` answer with 200, or set the matcher of target group web-tg to the code the application returns (Health checks failed with these codes: [404]).")
    );
    assert!(c.facts.contains(&("gracePeriod".into(), "30 s".into())));
    assert!(checks.iter().all(|c| c.id != "elbv2.health-check-port"));
}

#[tokio::test]
async fn a_timeout_is_confirmed_and_points_at_the_security_group() {
    let checks = target_health(TargetHealthReasonEnum::Timeout, "Request timed out").await;
    let c = by_id(&checks, "elbv2.target-health");
    assert_eq!(c.status, CheckStatus::Found);
    assert!(
        c.summary.contains("Target.Timeout (Request timed out)"),
        "{}",
        c.summary
    );
    assert_eq!(
        c.lead_step.as_deref(),
        Some("Let the load balancer's security group in on port 8080 of the task's security group, and make `/healthz` answer within the 5-second timeout of target group web-tg.")
    );
}

fn network_incident() -> Incident {
    let mut incident = Case::Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:1: dial tcp 3.227.250.181:443: i/o timeout").incident();
    if let Some(task) = incident.task.as_mut() {
        task.attachments = vec![Attachment {
            kind: "eni".into(),
            status: Some("ATTACHED".into()),
            details: vec![
                ("subnetId".into(), "subnet-0b81d2e4c6a9f3e21".into()),
                ("networkInterfaceId".into(), "eni-06ab490cca1ab128b".into()),
            ],
        }];
    }
    incident
}

#[tokio::test]
async fn access_denied_names_the_ec2_permission() {
    let incident = network_incident();
    let denied = mock!(aws_sdk_ec2::Client::describe_network_interfaces)
        .sequence()
        .error(|| {
            DescribeNetworkInterfacesError::generic(
                ErrorMetadata::builder()
                    .code("UnauthorizedOperation")
                    .message("You are not authorized to perform this operation.")
                    .build(),
            )
        })
        .repeatedly()
        .build();
    let clients = clients();
    clients
        .preset(
            &Target::of(&incident),
            mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&denied], |c| c
                .retry_config(RetryConfig::disabled())),
        )
        .await;
    let f = finding(&incident, Category::ImagePullNetwork);
    let checks = AwsVerifier::new(Arc::new(clients))
        .verify(&incident, &f, Lang::En)
        .await;
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].status, CheckStatus::NotChecked);
    assert_eq!(
        checks[0].summary,
        "Could not check the task's network path: this function is not allowed `ec2:DescribeNetworkInterfaces`."
    );
}

#[tokio::test]
async fn throttling_names_the_throttled_call() {
    let mut incident = Case::Stopped {
        reason: "Timeout waiting for network interface provisioning to complete.",
        stop_code: "TaskFailedToStart",
        exit: None,
    }
    .incident();
    if let Some(task) = incident.task.as_mut() {
        task.attachments = vec![Attachment {
            kind: "eni".into(),
            status: Some("DELETED".into()),
            details: vec![("subnetId".into(), "subnet-0a3f6c1e9b2d47f10".into())],
        }];
    }
    let throttled = mock!(aws_sdk_ec2::Client::describe_subnets)
        .sequence()
        .error(|| {
            DescribeSubnetsError::generic(
                ErrorMetadata::builder()
                    .code("RequestLimitExceeded")
                    .message("Request limit exceeded.")
                    .build(),
            )
        })
        .repeatedly()
        .build();
    let clients = clients();
    clients
        .preset(
            &Target::of(&incident),
            mock_client!(aws_sdk_ec2, RuleMode::MatchAny, [&throttled], |c| c
                .retry_config(RetryConfig::disabled())),
        )
        .await;
    let f = finding(&incident, Category::EniProvisioning);
    let checks = AwsVerifier::new(Arc::new(clients))
        .verify(&incident, &f, Lang::Ja)
        .await;
    assert_eq!(checks[0].id, "ec2.subnet-addresses");
    assert_eq!(checks[0].status, CheckStatus::NotChecked);
    assert_eq!(
        checks[0].summary,
        "サブネットの空き IP アドレスを確認できませんでした: `ec2:DescribeSubnets` がスロットリングされました。"
    );
}

#[tokio::test]
async fn a_slow_endpoint_never_holds_the_alert_past_the_budget() {
    // A socket that accepts connections and never answers: every EC2 call hangs.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    let sdk = aws_config::SdkConfig::builder()
        .region(aws_config::Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(aws_sdk_ecs::config::SharedCredentialsProvider::new(
            aws_sdk_ecs::config::Credentials::new("t", "t", None, None, "test"),
        ))
        .behavior_version(aws_config::BehaviorVersion::latest())
        .build();
    let verifier = AwsVerifier::new(Arc::new(Clients::new(sdk)));
    let incident = network_incident();
    let mut diagnosis = Report::from(diagnose(&incident, Lang::En));
    let started = std::time::Instant::now();
    report::verify(&verifier, &incident, &mut diagnosis, Duration::from_millis(300)).await;
    let took = started.elapsed();
    assert!(took < Duration::from_secs(2), "verify took {took:?}");
    let c = &diagnosis.primary().checks[0];
    assert_eq!(c.id, "verify.budget");
    assert_eq!(c.status, CheckStatus::NotChecked);
    assert_eq!(
        c.summary,
        "Could not check the task's network path to AWS within the 0.3 s budget."
    );
    drop(listener);
}
