//! The load balancer, capacity and awslogs checks against a real moto server: a target group
//! whose health-check port is wrong and its twin, a cluster whose instances are full and one
//! with room, a missing log group and an existing one.
//!
//! moto's target health only knows `healthy` and `Target.NotRegistered`-style states, and it
//! has no `iam:SimulatePrincipalPolicy`: reason codes such as `Target.Timeout` and the
//! simulation are covered in `verify_infra_mocks.rs`.

use std::sync::Arc;

use crate::support::Moto;
use aws_sdk_ecs::types::{ContainerDefinition as SdkContainer, LaunchType, LoadBalancer, NetworkMode};
use aws_sdk_elasticloadbalancingv2::types::{TargetDescription, TargetTypeEnum};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::AwsVerifier;
use ecs_doctor::diagnose::{diagnose, Category, Finding, Lang};
use ecs_doctor::fixture::Case;
use ecs_doctor::incident::{Attachment, ContainerDefinition, Incident, PortMapping, TaskDefinition};
use ecs_doctor::verify::{Check, CheckStatus, Verifier};

fn finding(incident: &Incident, lang: Lang, category: Category) -> Finding {
    diagnose(incident, lang)
        .findings
        .into_iter()
        .find(|f| f.category == category)
        .unwrap_or_else(|| panic!("no {category:?} finding"))
}

async fn verify(moto: &Moto, incident: &Incident, finding: &Finding, lang: Lang) -> Vec<Check> {
    AwsVerifier::new(Arc::new(Clients::new(moto.sdk_config().await)))
        .verify(incident, finding, lang)
        .await
}

fn fact<'a>(check: &'a Check, name: &str) -> &'a str {
    check
        .facts
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no fact {name} in {:?}", check.facts))
}

/// Cluster `prod` with service `web` behind an `ip` target group `web-tg` (health check on
/// `health_port`), whose task 10.0.1.20 listens on 8080 and is registered.
async fn web_service(moto: &Moto, health_port: &str) -> Incident {
    let sdk = moto.sdk_config().await;
    let ec2 = aws_sdk_ec2::Client::new(&sdk);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&sdk);
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await.expect("vpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string();
    let tg = elb
        .create_target_group()
        .name("web-tg")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&vpc)
        .target_type(TargetTypeEnum::Ip)
        .health_check_port(health_port)
        .health_check_path("/health")
        .send()
        .await
        .expect("target group");
    let tg = tg.target_groups()[0].target_group_arn().expect("arn").to_string();
    elb.register_targets()
        .target_group_arn(&tg)
        .targets(TargetDescription::builder().id("10.0.1.20").port(8080).build())
        .send()
        .await
        .expect("register");
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    ecs.register_task_definition()
        .family("app")
        .network_mode(NetworkMode::Bridge)
        .container_definitions(SdkContainer::builder().name("app").image("nginx").memory(512).build())
        .send()
        .await
        .expect("task definition");
    ecs.create_service()
        .cluster("prod")
        .service_name("web")
        .task_definition("app")
        .desired_count(0)
        .load_balancers(
            LoadBalancer::builder()
                .target_group_arn(&tg)
                .container_name("app")
                .container_port(8080)
                .build(),
        )
        .send()
        .await
        .expect("service");
    let mut incident = Case::Stopped {
        reason: "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/6d0ecf831eec9f09)",
        stop_code: "ServiceSchedulerInitiated",
        exit: None,
    }
    .incident();
    if let Some(task) = incident.task.as_mut() {
        task.attachments = vec![Attachment {
            kind: "eni".into(),
            status: Some("DELETED".into()),
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
                host_port: Some(8080),
                protocol: Some("tcp".into()),
            }],
            ..Default::default()
        }],
        ..Default::default()
    });
    incident
}

#[tokio::test]
async fn a_target_group_whose_health_check_port_is_wrong_is_confirmed() {
    // GIVEN the target group health-checks 8081 while the container listens on 8080
    let moto = Moto::start();
    let incident = web_service(&moto, "8081").await;
    let f = finding(&incident, Lang::En, Category::HealthCheckElb);

    // WHEN verified
    let checks = verify(&moto, &incident, &f, Lang::En).await;

    // THEN the port mismatch is confirmed, and moto's healthy target is reported as such
    let port = checks
        .iter()
        .find(|c| c.id == "elbv2.health-check-port")
        .expect("port check");
    assert_eq!(port.status, CheckStatus::Found);
    assert_eq!(
        port.summary,
        "Target group web-tg health-checks port 8081, but container `app` listens on 8080."
    );
    assert_eq!(fact(port, "healthCheckPort"), "8081");
    let health = checks
        .iter()
        .find(|c| c.id == "elbv2.target-health")
        .expect("health check");
    assert_eq!(health.status, CheckStatus::Absent);
    assert_eq!(
        health.summary,
        "Target 10.0.1.20:8080 of the task is healthy in web-tg; the load balancer health check passes."
    );
    assert_eq!(fact(health, "healthCheck"), "HTTP /health port 8081 matcher 200");
}

#[tokio::test]
async fn the_healthy_twin_has_no_port_finding() {
    let moto = Moto::start();
    let incident = web_service(&moto, "traffic-port").await;
    let f = finding(&incident, Lang::Ja, Category::HealthCheckElb);
    let checks = verify(&moto, &incident, &f, Lang::Ja).await;
    assert_eq!(checks.len(), 1, "{checks:?}");
    assert_eq!(checks[0].status, CheckStatus::Absent);
    assert_eq!(
        checks[0].summary,
        "タスクのターゲット 10.0.1.20:8080 は web-tg で正常です。ロードバランサーのヘルスチェックは成功しています。"
    );
}

/// Cluster `prod` with one container instance; a task reserving `used` MiB runs on it.
async fn cluster_with_used_memory(moto: &Moto, used: i32) {
    let sdk = moto.sdk_config().await;
    let ec2 = aws_sdk_ec2::Client::new(&sdk);
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    let run = ec2
        .run_instances()
        .image_id("ami-12c6146b")
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .expect("instance");
    let instance = run.instances()[0].instance_id().expect("id").to_string();
    let document = serde_json::json!({"instanceId": instance, "region": "us-east-1"}).to_string();
    ecs.register_container_instance()
        .cluster("prod")
        .instance_identity_document(document)
        .send()
        .await
        .expect("register instance");
    ecs.register_task_definition()
        .family("hog")
        .network_mode(NetworkMode::Bridge)
        .container_definitions(
            SdkContainer::builder()
                .name("hog")
                .image("busybox")
                .memory(used)
                .cpu(256)
                .build(),
        )
        .send()
        .await
        .expect("hog definition");
    ecs.run_task()
        .cluster("prod")
        .task_definition("hog")
        .launch_type(LaunchType::Ec2)
        .send()
        .await
        .expect("run hog");
}

fn placement_incident() -> Incident {
    let mut incident = Case::Failure {
        action: "RunTask",
        reason: "RESOURCE:MEMORY",
    }
    .incident();
    incident.task_definition = Some(TaskDefinition {
        arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/api:3".into(),
        network_mode: Some("bridge".into()),
        containers: vec![ContainerDefinition {
            name: "api".into(),
            cpu: Some(512),
            memory: Some(1024),
            ..Default::default()
        }],
        ..Default::default()
    });
    incident
}

#[tokio::test]
async fn full_container_instances_are_confirmed_with_the_numbers() {
    // GIVEN the only instance has 412 MiB left (7482 - 7070) and the task needs 1024 MiB
    let moto = Moto::start();
    cluster_with_used_memory(&moto, 7070).await;
    let incident = placement_incident();
    let f = finding(&incident, Lang::En, Category::PlacementCapacity);
    let checks = verify(&moto, &incident, &f, Lang::En).await;
    assert_eq!(checks[0].id, "ecs.container-instance-resources");
    assert_eq!(checks[0].status, CheckStatus::Found);
    assert_eq!(
        checks[0].summary,
        "Largest free memory on any instance: 412 MiB, task needs 1024 MiB."
    );
    assert_eq!(fact(&checks[0], "activeInstances"), "1");
    assert_eq!(fact(&checks[0], "taskNeeds"), "512 CPU units, 1024 MiB");
}

#[tokio::test]
async fn an_instance_with_room_rules_capacity_out() {
    let moto = Moto::start();
    cluster_with_used_memory(&moto, 512).await;
    let incident = placement_incident();
    let f = finding(&incident, Lang::En, Category::PlacementCapacity);
    let checks = verify(&moto, &incident, &f, Lang::En).await;
    assert_eq!(checks[0].status, CheckStatus::Absent);
    assert!(
        checks[0].summary.ends_with(
            "has room for the task now: 3840 CPU units and 6970 MiB free, the task needs 512 CPU units, 1024 MiB."
        ),
        "{}",
        checks[0].summary
    );
}

const LOG_GROUP_MISSING: &str = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1";

fn logging_incident() -> Incident {
    let mut incident = Case::Reason(LOG_GROUP_MISSING).incident();
    incident.task_definition = Some(TaskDefinition {
        arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/orders:4".into(),
        execution_role_arn: Some("arn:aws:iam::123456789012:role/ecsTaskExecutionRole".into()),
        containers: vec![ContainerDefinition {
            name: "app".into(),
            log_driver: Some("awslogs".into()),
            log_options: vec![
                ("awslogs-group".into(), "/ecs/orders".into()),
                ("awslogs-region".into(), "us-east-1".into()),
                ("awslogs-stream-prefix".into(), "ecs".into()),
            ],
            ..Default::default()
        }],
        ..Default::default()
    });
    incident
}

#[tokio::test]
async fn a_missing_log_group_is_confirmed_and_an_existing_one_ruled_out() {
    // GIVEN no log group /ecs/orders (only a longer name that shares its prefix)
    let moto = Moto::start();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&moto.sdk_config().await);
    logs.create_log_group()
        .log_group_name("/ecs/orders-old")
        .send()
        .await
        .expect("decoy group");
    let incident = logging_incident();
    let f = finding(&incident, Lang::En, Category::LoggingSetup);
    let checks = verify(&moto, &incident, &f, Lang::En).await;

    // THEN the group check is confirmed; the role simulation is honestly not checked (moto
    // has no SimulatePrincipalPolicy); the network half runs too (no interface: not checked)
    let group = checks.iter().find(|c| c.id == "logs.log-group").expect("group check");
    assert_eq!(group.status, CheckStatus::Found);
    assert_eq!(
        group.summary,
        "Log group `/ecs/orders` does not exist in us-east-1, and `awslogs-create-group` is not set."
    );
    assert_eq!(
        group.lead_step.as_deref(),
        Some("Create log group `/ecs/orders` in us-east-1: `aws logs create-log-group --log-group-name /ecs/orders --region us-east-1` (or set `awslogs-create-group` to `true` and allow the execution role `logs:CreateLogGroup`).")
    );
    let role = checks
        .iter()
        .find(|c| c.id == "iam.execution-role-logs")
        .expect("role check");
    assert_eq!(role.status, CheckStatus::NotChecked);
    assert!(role.summary.contains("iam:SimulatePrincipalPolicy"), "{}", role.summary);
    let path = checks
        .iter()
        .find(|c| c.id == "ec2.network-path")
        .expect("network half");
    assert_eq!(path.status, CheckStatus::NotChecked);

    // GIVEN the healthy twin: the group exists
    logs.create_log_group()
        .log_group_name("/ecs/orders")
        .send()
        .await
        .expect("group");
    let checks = verify(&moto, &incident, &f, Lang::En).await;
    let group = checks.iter().find(|c| c.id == "logs.log-group").expect("group check");
    assert_eq!(group.status, CheckStatus::Absent);
    assert_eq!(group.summary, "Log group `/ecs/orders` exists in us-east-1.");
}
