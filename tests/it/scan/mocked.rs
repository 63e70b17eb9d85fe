//! The scan's AWS edge with mocked SDK clients (canned answers, tests/it/support/mock.rs), for what moto cannot do:
//! AccessDenied on one cluster, throttling (and our backoff on top of the SDK's retries),
//! paging of the list APIs, service events and failed deployments.

use std::sync::Arc;
use std::time::Duration;

use crate::support::ecs_throttling;
use crate::support::mock::{mock, mock_client, Rule, RuleMode};
use aws_sdk_ecs::operation::describe_container_instances::DescribeContainerInstancesOutput;
use aws_sdk_ecs::operation::describe_services::DescribeServicesOutput;
use aws_sdk_ecs::operation::describe_tasks::DescribeTasksOutput;
use aws_sdk_ecs::operation::list_clusters::ListClustersOutput;
use aws_sdk_ecs::operation::list_container_instances::ListContainerInstancesOutput;
use aws_sdk_ecs::operation::list_services::ListServicesOutput;
use aws_sdk_ecs::operation::list_tasks::{ListTasksError, ListTasksOutput};
use aws_sdk_ecs::primitives::DateTime;
use aws_sdk_ecs::types::error::{AccessDeniedException, ServiceNotFoundException};
use aws_sdk_ecs::types::{
    ContainerInstance, Deployment, DeploymentRolloutState, Service, ServiceEvent, Task as SdkTask,
};
use aws_sdk_ecs::Client as EcsClient;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use ecs_doctor::aws::ecs::stopped_tasks;
use ecs_doctor::aws::{Backoff, ClusterReads, EcsReader, ScanError};
use ecs_doctor::cli::scan::collect::{collect, Plan, Silent};
use ecs_doctor::cli::scan::Report;
use ecs_doctor::diagnose::{Lang, Severity};

const ACCOUNT: &str = "123456789012";
const PULL: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref x/api:9: not found";
/// 2026-11-28T19:00:00Z
const T0: i64 = 1_795_892_400;

fn cluster_arn(name: &str) -> String {
    format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/{name}")
}

fn stopped_task(cluster: &str, id: &str, reason: &str) -> SdkTask {
    SdkTask::builder()
        .task_arn(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/{cluster}/{id}"))
        .cluster_arn(cluster_arn(cluster))
        .group("service:api")
        .last_status("STOPPED")
        .desired_status("STOPPED")
        .stopped_reason(reason)
        .stopped_at(DateTime::from_secs(T0))
        .build()
}

fn denied() -> ListTasksError {
    ListTasksError::AccessDeniedException(
        AccessDeniedException::builder()
            .message("User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:ListTasks")
            .meta(
                ErrorMetadata::builder()
                    .code("AccessDeniedException")
                    .message("User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:ListTasks")
                    .build(),
            )
            .build(),
    )
}

/// ListClusters answering `names` on one page.
fn clusters(names: &'static [&'static str]) -> Rule {
    mock!(EcsClient::list_clusters).then_output(move || {
        ListClustersOutput::builder()
            .set_cluster_arns(Some(names.iter().map(|n| cluster_arn(n)).collect()))
            .build()
    })
}

fn empty_services() -> Rule {
    mock!(EcsClient::list_services).then_output(|| ListServicesOutput::builder().build())
}

fn empty_instances() -> Rule {
    mock!(EcsClient::list_container_instances).then_output(|| ListContainerInstancesOutput::builder().build())
}

fn fast_backoff(retries: u32) -> Backoff {
    Backoff {
        base: Duration::from_millis(1),
        max: Duration::from_millis(5),
        retries,
    }
}

fn plan(clusters: &[&str]) -> Plan {
    Plan {
        clusters: clusters.iter().map(|c| c.to_string()).collect(),
        services: Vec::new(),
        since: 0,
        max_tasks: 1000,
    }
}

async fn report(source: Arc<EcsReader>, plan: Plan) -> Report {
    let (observations, coverage) = collect(source, plan, Arc::new(Silent)).await.expect("not fatal");
    Report::build(observations, coverage, Lang::En, Severity::Warning, 3600, T0 * 1000)
}

#[tokio::test]
async fn access_denied_on_one_cluster_is_a_line_and_the_scan_goes_on() {
    // GIVEN two clusters; ListTasks on `secret` is denied
    let clusters = clusters(&["secret", "prod"]);
    let denied_tasks = mock!(EcsClient::list_tasks)
        .match_requests(|r| r.cluster() == Some(cluster_arn("secret").as_str()))
        .then_error(denied);
    let prod_tasks = mock!(EcsClient::list_tasks)
        .match_requests(|r| r.cluster() == Some(cluster_arn("prod").as_str()))
        .then_output(|| {
            ListTasksOutput::builder()
                .task_arns(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/t1"))
                .build()
        });
    let describe = mock!(EcsClient::describe_tasks).then_output(|| {
        DescribeTasksOutput::builder()
            .tasks(stopped_task("prod", "t1", PULL))
            .build()
    });
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [
            &clusters,
            &denied_tasks,
            &prod_tasks,
            &describe,
            &empty_services(),
            &empty_instances()
        ]
    );
    let source = Arc::new(EcsReader::new(client, 8, fast_backoff(2)));

    // WHEN the Region is scanned
    let report = report(source, plan(&[])).await;

    // THEN the denial is one problem naming the cluster and the call, and prod is still read
    assert_eq!(report.coverage.problems.len(), 1, "{:?}", report.coverage.problems);
    let problem = &report.coverage.problems[0];
    assert_eq!(problem.cluster.as_deref(), Some("secret"));
    assert_eq!(problem.kind, "access-denied");
    assert!(
        problem.message.contains("ecs:ListTasks") && problem.message.contains("AccessDeniedException"),
        "{problem:?}"
    );
    assert_eq!(report.groups.len(), 1);
    assert_eq!(report.groups[0].signature.place(), "prod/api");
    assert_eq!(report.exit_code(), 3);
    let text = ecs_doctor::cli::scan::render::text(&report);
    assert!(
        text.contains("! access denied: secret: access denied (ecs:ListTasks: AccessDeniedException"),
        "{text}"
    );
    let json = ecs_doctor::cli::scan::render::json(&report);
    assert_eq!(json["errors"][0]["kind"], "access-denied");
    assert_eq!(json["errors"][0]["cluster"], "secret");
}

#[tokio::test]
async fn throttling_is_retried_with_backoff_then_succeeds() {
    // GIVEN ListTasks throttled twice, then answering (the SDK's own retries are off here, so
    // every retry is ours)
    let list = mock!(EcsClient::list_tasks)
        .sequence()
        .http_response(ecs_throttling)
        .times(2)
        .output(|| {
            ListTasksOutput::builder()
                .task_arns(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/t1"))
                .build()
        })
        .build();
    let describe = mock!(EcsClient::describe_tasks).then_output(|| {
        DescribeTasksOutput::builder()
            .tasks(stopped_task("prod", "t1", PULL))
            .build()
    });
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&list, &describe, &empty_services(), &empty_instances()],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let source = Arc::new(EcsReader::new(client, 8, fast_backoff(3)));

    let report = report(source.clone(), plan(&["prod"])).await;

    assert!(report.coverage.problems.is_empty(), "{:?}", report.coverage.problems);
    assert_eq!(report.groups.len(), 1);
    assert_eq!(
        source.api_calls().get("ListTasks"),
        Some(&3),
        "two throttled attempts, one answer"
    );
}

#[tokio::test]
async fn throttling_that_never_ends_is_a_line_not_a_hang() {
    let list = mock!(EcsClient::list_tasks).then_http_response(ecs_throttling);
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&list, &empty_services(), &empty_instances()],
        |c| c.retry_config(RetryConfig::disabled())
    );
    let source = Arc::new(EcsReader::new(client, 8, fast_backoff(2)));
    let err = stopped_tasks::list_stopped_tasks(&*source, "prod", None, 10)
        .await
        .expect_err("still throttled");
    assert!(
        matches!(err, ScanError::Throttled(ref m) if m.contains("ThrottlingException")),
        "{err:?}"
    );
    assert_eq!(source.api_calls().get("ListTasks"), Some(&3), "1 + 2 retries");

    let report = report(source, plan(&["prod"])).await;
    assert_eq!(report.coverage.problems[0].kind, "throttled");
    assert_eq!(report.exit_code(), 1);
}

#[tokio::test]
async fn every_list_api_is_paged_and_the_cap_stops_paging() {
    // GIVEN ListClusters, ListServices and ListTasks answering in pages
    let clusters = mock!(EcsClient::list_clusters)
        .sequence()
        .output(|| {
            ListClustersOutput::builder()
                .cluster_arns(cluster_arn("a"))
                .next_token("c2")
                .build()
        })
        .output(|| ListClustersOutput::builder().cluster_arns(cluster_arn("b")).build())
        .build();
    let page = |n: usize, next: Option<&str>| {
        let mut out = ListTasksOutput::builder();
        for i in 0..100 {
            out = out.task_arns(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/a/p{n}-{i:03}"));
        }
        out.set_next_token(next.map(str::to_string)).build()
    };
    let tasks = mock!(EcsClient::list_tasks)
        .sequence()
        .output(move || page(1, Some("t2")))
        .output(move || page(2, Some("t3")))
        .output(move || page(3, None))
        .build();
    let source = EcsReader::new(
        mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&clusters, &tasks]),
        8,
        fast_backoff(0),
    );

    // WHEN listing
    let all = source.list_clusters().await.expect("clusters");
    assert_eq!(all, vec![cluster_arn("a"), cluster_arn("b")]);
    let listed = stopped_tasks::list_stopped_tasks(&source, "a", None, 1000)
        .await
        .expect("tasks");
    // THEN every page is read
    assert_eq!(listed.arns.len(), 300);
    assert!(!listed.more);
    assert_eq!(source.api_calls().get("ListTasks"), Some(&3));

    // AND with a cap of 150, paging stops after the second page and says there is more
    let tasks = mock!(EcsClient::list_tasks)
        .sequence()
        .output(move || page(1, Some("t2")))
        .output(move || page(2, Some("t3")))
        .output(move || page(3, None))
        .build();
    let source = EcsReader::new(
        mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&tasks]),
        8,
        fast_backoff(0),
    );
    let listed = stopped_tasks::list_stopped_tasks(&source, "a", None, 150)
        .await
        .expect("tasks");
    assert_eq!(listed.arns.len(), 150);
    assert!(listed.more);
    assert_eq!(source.api_calls().get("ListTasks"), Some(&2));

    // AND ListServices pages too
    let services = mock!(EcsClient::list_services)
        .sequence()
        .output(|| ListServicesOutput::builder().service_arns("s1").next_token("n").build())
        .output(|| ListServicesOutput::builder().service_arns("s2").build())
        .build();
    let source = EcsReader::new(
        mock_client!(aws_sdk_ecs, RuleMode::Sequential, [&services]),
        8,
        fast_backoff(0),
    );
    assert_eq!(source.list_services("a").await.expect("services"), vec!["s1", "s2"]);
}

#[tokio::test]
async fn service_events_failed_deployments_and_draining_instances_are_diagnosed() {
    // GIVEN a service whose events say it cannot place tasks (three times, one older than
    // --since) next to a steady-state message, whose last deployment failed, and a DRAINING
    // container instance
    let service_arn = format!("arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/api");
    let arn = service_arn.clone();
    let services = mock!(EcsClient::list_services)
        .then_output(move || ListServicesOutput::builder().service_arns(arn.clone()).build());
    let arn = service_arn.clone();
    let describe = mock!(EcsClient::describe_services).then_output(move || {
        let placement = |id: &str, at: i64| {
            ServiceEvent::builder()
                .id(id)
                .created_at(DateTime::from_secs(at))
                .message("(service api) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0123) has insufficient memory available. For more information, see the Troubleshooting section.")
                .build()
        };
        DescribeServicesOutput::builder()
            .services(
                Service::builder()
                    .service_arn(arn.clone())
                    .service_name("api")
                    .events(
                        ServiceEvent::builder()
                            .id("e0")
                            .created_at(DateTime::from_secs(T0 + 300))
                            .message("(service api) has reached a steady state.")
                            .build(),
                    )
                    .events(placement("e1", T0 + 240))
                    .events(placement("e2", T0 + 120))
                    .events(placement("e3", T0 - 7200))
                    .deployments(
                        Deployment::builder()
                            .id("ecs-svc/2")
                            .status("PRIMARY")
                            .rollout_state(DeploymentRolloutState::Failed)
                            .rollout_state_reason("ECS deployment circuit breaker: tasks failed to start.")
                            .updated_at(DateTime::from_secs(T0 + 200))
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let tasks = mock!(EcsClient::list_tasks).then_output(|| ListTasksOutput::builder().build());
    let instances = mock!(EcsClient::list_container_instances).then_output(|| {
        ListContainerInstancesOutput::builder()
            .container_instance_arns(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:container-instance/prod/ci1"))
            .build()
    });
    let describe_instances = mock!(EcsClient::describe_container_instances).then_output(|| {
        DescribeContainerInstancesOutput::builder()
            .container_instances(
                ContainerInstance::builder()
                    .container_instance_arn(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:container-instance/prod/ci1"))
                    .ec2_instance_id("i-0abc")
                    .status("DRAINING")
                    .agent_connected(true)
                    .build(),
            )
            .build()
    });
    let client = mock_client!(
        aws_sdk_ecs,
        RuleMode::MatchAny,
        [&services, &describe, &tasks, &instances, &describe_instances]
    );
    let source = Arc::new(EcsReader::new(client, 8, fast_backoff(0)));
    let mut plan = plan(&["prod"]);
    plan.since = (T0 - 3600) * 1000;

    // WHEN scanned
    let report = report(source, plan).await;

    // THEN the placement failures are one signature of two events (the old one is outside
    // --since), the failed deployment another, the instance a third; the steady state is not one
    let rows: Vec<(String, &str, usize)> = report
        .groups
        .iter()
        .map(|g| (g.signature.place(), g.signature.rule_id, g.count))
        .collect();
    assert!(
        rows.contains(&("prod/api".into(), "placement.resource-memory", 2)),
        "{rows:?}"
    );
    assert!(
        rows.contains(&("prod/api".into(), "deployment.circuit-breaker", 1)),
        "{rows:?}"
    );
    assert!(rows.contains(&("prod".into(), "instance.draining", 1)), "{rows:?}");
    assert_eq!(rows.len(), 3, "{rows:?}");
    let placement = report
        .groups
        .iter()
        .find(|g| g.signature.rule_id == "placement.resource-memory")
        .expect("placement");
    assert_eq!(placement.first_seen, Some((T0 + 120) * 1000));
    assert_eq!(placement.last_seen, Some((T0 + 240) * 1000));
    assert!(placement.sources.contains("service-event"));
    assert_eq!(
        report.coverage.service_events, 3,
        "the steady state and two recent placements"
    );
    assert_eq!(report.coverage.deployments, 1);
    assert_eq!(report.coverage.container_instances, 1);
    assert_eq!(report.healthy_services(), 0);
}

#[tokio::test]
async fn a_service_missing_from_a_cluster_is_said_once_not_as_a_list_tasks_error() {
    // GIVEN clusters prod (with service api) and staging (without it). ECS answers ListTasks
    // for a service a cluster does not have with ServiceNotFoundException.
    let clusters = clusters(&["prod", "staging"]);
    let prod_tasks = mock!(EcsClient::list_tasks)
        .match_requests(|r| r.cluster() == Some(cluster_arn("prod").as_str()) && r.service_name() == Some("api"))
        .then_output(|| {
            ListTasksOutput::builder()
                .task_arns(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/t1"))
                .build()
        });
    let missing = mock!(EcsClient::list_tasks).then_error(|| {
        ListTasksError::ServiceNotFoundException(
            ServiceNotFoundException::builder()
                .message("Service not found.")
                .meta(
                    ErrorMetadata::builder()
                        .code("ServiceNotFoundException")
                        .message("Service not found.")
                        .build(),
                )
                .build(),
        )
    });
    let describe_tasks = mock!(EcsClient::describe_tasks).then_output(|| {
        DescribeTasksOutput::builder()
            .tasks(stopped_task("prod", "t1", PULL))
            .build()
    });
    let describe_services =
        mock!(EcsClient::describe_services).then_output(|| DescribeServicesOutput::builder().build());
    let api_in_prod = mock!(EcsClient::describe_services)
        .match_requests(|r| {
            r.cluster() == Some(cluster_arn("prod").as_str()) && r.services().contains(&"api".to_string())
        })
        .then_output(|| {
            DescribeServicesOutput::builder()
                .services(Service::builder().service_name("api").status("ACTIVE").build())
                .build()
        });
    let rules = [
        &clusters,
        &prod_tasks,
        &missing,
        &describe_tasks,
        &api_in_prod,
        &describe_services,
        &empty_instances(),
    ];
    let scan = |services: &[&str], clusters: &[&str]| {
        let source = Arc::new(EcsReader::new(
            mock_client!(aws_sdk_ecs, RuleMode::MatchAny, rules),
            8,
            fast_backoff(0),
        ));
        let mut plan = plan(clusters);
        plan.services = services.iter().map(|s| s.to_string()).collect();
        report(source, plan)
    };

    // WHEN api is scanned in every cluster THEN staging's missing api is normal, not a problem
    let report = scan(&["api"], &[]).await;
    assert!(report.coverage.problems.is_empty(), "{:?}", report.coverage.problems);
    assert_eq!(report.groups.len(), 1);

    // WHEN a service no cluster has is scanned THEN it is one line, not one per cluster
    let report = scan(&["nope"], &[]).await;
    let problems = &report.coverage.problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].cluster, None);
    assert_eq!(problems[0].service.as_deref(), Some("nope"));
    assert_eq!(problems[0].kind, "not-found");
    assert_eq!(
        problems[0].message,
        "not found (service nope is in none of the clusters scanned)"
    );
    assert_eq!(report.exit_code(), 1);

    // WHEN the cluster is named THEN the line names it
    let report = scan(&["api"], &["staging"]).await;
    let problems = &report.coverage.problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].cluster.as_deref(), Some("staging"));
    assert_eq!(problems[0].message, "not found (service api is not in cluster staging)");
}
