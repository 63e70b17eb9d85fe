//! Team routing end to end against moto: workload tags become SNS message attributes that
//! subscription filter policies match, and the `ecs-doctor:topic` tag names a team's topic
//! (refused ones fall back to the main topic with a note).

use aws_config::SdkConfig;
use aws_sdk_ecs::types::{LaunchType, Tag};
use serde_json::{json, Value};

use crate::org::{attribute, config, deps, event, task_in};
use crate::support::{drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};
use ecs_doctor::aws::mutes::NoMutes;
use ecs_doctor::pipeline::{handle, Outcome};

/// A queue subscribed to `topic` with a filter policy on message attributes.
async fn filtered_queue(sdk: &SdkConfig, topic: &str, name: &str, policy: Value) -> String {
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let url = sqs.create_queue().queue_name(name).send().await.expect("queue");
    aws_sdk_sns::Client::new(sdk)
        .subscribe()
        .topic_arn(topic)
        .protocol("sqs")
        .endpoint(format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"))
        .attributes("FilterPolicy", policy.to_string())
        .attributes("FilterPolicyScope", "MessageAttributes")
        .send()
        .await
        .expect("subscribe");
    url.queue_url().expect("url").to_string()
}

#[tokio::test]
async fn tags_route_through_filter_policies_and_team_topics() {
    // GIVEN two teams' tasks, one queue per team subscribed with a filter policy on `team`,
    // and a service tagged with its team's own topic
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let payments = task_in(&sdk, 512, &[("team", "payments"), ("env", "prod")]).await;
    let run = ecs
        .run_task()
        .cluster("prod")
        .task_definition("web")
        .launch_type(LaunchType::Fargate)
        .tags(Tag::builder().key("team").value("search").build())
        .send()
        .await
        .expect("run");
    let search = run.tasks()[0].task_arn().expect("arn").to_string();
    ecs.create_service()
        .cluster("prod")
        .service_name("search-api")
        .task_definition("web")
        .desired_count(0)
        .tags(Tag::builder().key("ecs-doctor:topic").value("team-search").build())
        .tags(Tag::builder().key("owner").value("search-oncall").build())
        .send()
        .await
        .expect("service");
    let (topic, _all) = topic_with_queue(&sdk, "alerts").await;
    let payments_queue = filtered_queue(&sdk, &topic, "payments", json!({"team": ["payments"]})).await;
    let search_queue = filtered_queue(&sdk, &topic, "search", json!({"team": ["search"]})).await;
    let (_team_topic, team_queue) = topic_with_queue(&sdk, "team-search").await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let deps = deps(
        &sdk,
        config(vec![
            ("TOPIC_ARN", topic.clone()),
            ("ALLOWED_TOPIC_ARNS", format!("arn:aws:sns:{REGION}:{ACCOUNT}:team-*")),
        ]),
        NoMutes,
    );

    // WHEN the payments task fails
    handle(&deps, event(ACCOUNT, &payments, "payments-api"))
        .await
        .expect("handled");
    // THEN only the payments queue receives it, with the tags as attributes
    let got = drain_queue(&sqs, &payments_queue).await;
    assert_eq!(got.len(), 1);
    assert_eq!(attribute(&got[0], "env"), Some("prod"));
    assert!(drain_queue(&sqs, &search_queue).await.is_empty());

    // WHEN the search service's task fails
    handle(&deps, event(ACCOUNT, &search, "search-api"))
        .await
        .expect("handled");
    // THEN it goes to the team topic named by the service tag, not the main topic, and the
    // service's tags are attributes too
    let got = drain_queue(&sqs, &team_queue).await;
    assert_eq!(got.len(), 1, "team topic");
    assert_eq!(attribute(&got[0], "team"), Some("search"));
    assert_eq!(attribute(&got[0], "owner"), Some("search-oncall"));
    assert!(drain_queue(&sqs, &search_queue).await.is_empty());
    assert!(drain_queue(&sqs, &payments_queue).await.is_empty());

    // WHEN the team topic is gone, the alert falls back to the main topic
    aws_sdk_sns::Client::new(&sdk)
        .delete_topic()
        .topic_arn(format!("arn:aws:sns:{REGION}:{ACCOUNT}:team-search"))
        .send()
        .await
        .expect("delete");
    let outcome = handle(&deps, event(ACCOUNT, &search, "search-api"))
        .await
        .expect("handled");
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    assert_eq!(
        drain_queue(&sqs, &search_queue).await.len(),
        1,
        "fallback to the main topic"
    );
}
