//! Organisation scale against a real moto server: an event of another account enriched with
//! that account's credentials (STS AssumeRole; moto puts what the assumed credentials create in
//! the role's account) and a role that cannot be assumed. The helpers here (a task in moto, its
//! event, the pipeline's dependencies) serve `routing` and `mute` too.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

use crate::support::{drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ecs::config::Credentials;
use aws_sdk_ecs::types::{ContainerDefinition, LaunchType, NetworkMode, Tag};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::mutes::NoMutes;
use ecs_doctor::aws::{AccountTasks, NoLedger, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use ecs_doctor::verify::NoVerifier;
use serde_json::{json, Value};

pub(crate) const MEMBER: &str = "222222222222";
const ROLE: &str = "EcsDoctorReadOnly";

/// The SDK configuration of `account`, through a role assumed with moto's STS.
async fn assumed(sdk: &SdkConfig, account: &str) -> SdkConfig {
    let sts = aws_sdk_sts::Client::new(sdk);
    let out = sts
        .assume_role()
        .role_arn(format!("arn:aws:iam::{account}:role/{ROLE}"))
        .role_session_name("setup")
        .send()
        .await
        .expect("assume role");
    let c = out.credentials().expect("credentials");
    sdk.to_builder()
        .credentials_provider(aws_sdk_ecs::config::SharedCredentialsProvider::new(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_string()),
            None,
            "assumed",
        )))
        .build()
}

/// Cluster `prod` with one task of family `web` (memory `memory`, tags), in the account of `sdk`.
pub(crate) async fn task_in(sdk: &SdkConfig, memory: i32, tags: &[(&str, &str)]) -> String {
    let ecs = aws_sdk_ecs::Client::new(sdk);
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    ecs.register_task_definition()
        .family("web")
        .network_mode(NetworkMode::Bridge)
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image("public.ecr.aws/docker/library/nginx:missing")
                .memory(memory)
                .essential(true)
                .build(),
        )
        .send()
        .await
        .expect("task definition");
    let mut run = ecs
        .run_task()
        .cluster("prod")
        .task_definition("web")
        .launch_type(LaunchType::Fargate);
    for (k, v) in tags {
        run = run.tags(Tag::builder().key(*k).value(*v).build());
    }
    let out = run.send().await.expect("run task");
    out.tasks()[0].task_arn().expect("task arn").to_string()
}

/// A STOPPED-task event of `account` for `task_arn` whose image could not be pulled.
pub(crate) fn event(account: &str, task_arn: &str, service: &str) -> Value {
    json!({
        "version": "0",
        "id": format!("id-{account}-{service}"),
        "detail-type": "ECS Task State Change",
        "source": "aws.ecs",
        "account": account,
        "time": "2026-11-28T12:00:00Z",
        "region": REGION,
        "resources": [task_arn],
        "detail": {
            "taskArn": task_arn,
            "clusterArn": format!("arn:aws:ecs:{REGION}:{account}:cluster/prod"),
            "taskDefinitionArn": format!("arn:aws:ecs:{REGION}:{account}:task-definition/web:1"),
            "group": format!("service:{service}"),
            "launchType": "FARGATE",
            "lastStatus": "STOPPED",
            "desiredStatus": "STOPPED",
            "stopCode": "TaskFailedToStart",
            "stoppedReason": "Task failed to start",
            "version": 4,
            "containers": [{
                "name": "app",
                "lastStatus": "STOPPED",
                "reason": "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref public.ecr.aws/docker/library/nginx:missing: not found"
            }]
        }
    })
}

pub(crate) fn config(pairs: Vec<(&'static str, String)>) -> Config {
    Config::from_lookup(|name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())).expect("config")
}

pub(crate) type OrgDeps<M = NoMutes> = Deps<AccountTasks, SnsPublisher, NoLedger, NoVerifier, M>;

pub(crate) fn deps<M>(sdk: &SdkConfig, config: Config, mutes: M) -> OrgDeps<M> {
    let clients = Arc::new(Clients::with_access(sdk.clone(), config.member_access()));
    Deps::new(
        AccountTasks::new(clients),
        SnsPublisher::new(aws_sdk_sns::Client::new(sdk)),
        config,
    )
    .with_mutes(mutes)
}

pub(crate) fn attribute<'a>(envelope: &'a Value, name: &str) -> Option<&'a str> {
    envelope["MessageAttributes"][name]["Value"].as_str()
}

pub(crate) fn machine(envelope: &Value) -> Value {
    serde_json::from_str(envelope["Message"].as_str().expect("Message")).expect("machine JSON")
}

#[tokio::test]
async fn an_event_of_a_member_account_is_enriched_with_that_accounts_credentials() {
    // GIVEN a central account (the topic's) and a member account, each with a cluster `prod`
    // and a task of family `web`, told apart by their memory limits and tags
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let member = assumed(&sdk, MEMBER).await;
    let home_task = task_in(&sdk, 256, &[("team", "platform")]).await;
    let member_task = task_in(&member, 1024, &[("team", "payments")]).await;
    assert!(
        member_task.contains(MEMBER) && home_task.contains(ACCOUNT),
        "{member_task} {home_task}"
    );
    aws_sdk_iam::Client::new(&member)
        .create_account_alias()
        .account_alias("payments-prod")
        .send()
        .await
        .expect("alias");
    let (topic, queue) = topic_with_queue(&sdk, "alerts").await;
    let deps = deps(
        &sdk,
        config(vec![
            ("TOPIC_ARN", topic.clone()),
            ("MEMBER_ROLE_NAME", ROLE.to_string()),
        ]),
        NoMutes,
    );

    // WHEN the member account's event is handled
    let outcome = handle(&deps, event(MEMBER, &member_task, "web"))
        .await
        .expect("handled");

    // THEN it was enriched from the member account (its task definition and tags), and the
    // message names that account, its alias and its Region
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    let got = drain_queue(&aws_sdk_sqs::Client::new(&sdk), &queue).await;
    assert_eq!(got.len(), 1);
    assert_eq!(attribute(&got[0], "account"), Some(MEMBER));
    assert_eq!(attribute(&got[0], "region"), Some(REGION));
    assert_eq!(attribute(&got[0], "team"), Some("payments"));
    let body = machine(&got[0]);
    assert_eq!(body["account"], MEMBER);
    assert_eq!(body["incident"]["accountAlias"], "payments-prod");
    assert_eq!(body["incident"]["taskDefinition"]["containers"][0]["memory"], 1024);
    assert!(
        body["notes"].as_array().is_none_or(|n| n.is_empty()),
        "{}",
        body["notes"]
    );

    // AND the e-mail body shows the account with its alias
    let rendered = ecs_doctor::render::email(
        &ecs_doctor::event::decode_value(event(MEMBER, &member_task, "web")).expect("decode")[0],
        &ecs_doctor::report::Report::from(ecs_doctor::diagnose::diagnose(
            &ecs_doctor::event::decode_value(event(MEMBER, &member_task, "web")).expect("decode")[0],
            ecs_doctor::diagnose::Lang::En,
        )),
    );
    assert!(rendered.contains(&format!("Account: {MEMBER}")), "{rendered}");

    // AND the home account's event is still read with the function's own credentials
    let outcome = handle(&deps, event(ACCOUNT, &home_task, "web")).await.expect("handled");
    assert!(matches!(outcome, Outcome::Published { .. }), "{outcome:?}");
    let got = drain_queue(&aws_sdk_sqs::Client::new(&sdk), &queue).await;
    let body = machine(&got[0]);
    assert_eq!(attribute(&got[0], "account"), Some(ACCOUNT));
    assert_eq!(attribute(&got[0], "team"), Some("platform"));
    assert_eq!(body["incident"]["taskDefinition"]["containers"][0]["memory"], 256);
}

/// An STS endpoint that refuses every AssumeRole with AccessDenied, as STS does when the role
/// does not exist or does not trust the caller. (moto's STS lets anyone assume any role, so
/// the refusal comes from here; every other service is still moto.)
fn denying_sts() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if line.trim().is_empty() {
                    let mut body = vec![0; length];
                    let _ = std::io::Read::read_exact(&mut reader, &mut body);
                    let xml = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: sts:AssumeRole</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
                    let mut out = &stream;
                    let _ = write!(
                        out,
                        "HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{xml}",
                        xml.len()
                    );
                    length = 0;
                }
            }
        }
    });
    address
}

#[tokio::test]
async fn a_member_role_that_cannot_be_assumed_degrades_with_a_note_naming_it() {
    // GIVEN STS refusing the member role, and every other service in moto
    let moto = Moto::start();
    let sts = denying_sts();
    // A service-specific endpoint wins over the global one only when both come from the
    // profile (an endpoint set in code wins over both).
    let profile = format!(
        "[default]\nendpoint_url = {}\nservices = local\n\n[services local]\nsts =\n  endpoint_url = {sts}\n",
        moto.endpoint
    );
    #[allow(deprecated)] // the replacement type lives in aws-runtime, not a direct dependency
    let files = aws_config::profile::profile_file::ProfileFiles::builder()
        .with_contents(aws_config::profile::profile_file::ProfileFileKind::Config, profile)
        .build();
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .profile_files(files)
        .load()
        .await;
    let (topic, queue) = topic_with_queue(&sdk, "alerts").await;
    let deps = deps(
        &sdk,
        config(vec![("TOPIC_ARN", topic), ("MEMBER_ROLE_NAME", ROLE.to_string())]),
        NoMutes,
    );
    let task = format!("arn:aws:ecs:{REGION}:{MEMBER}:task/prod/0123456789abcdef0123456789abcdef");

    // WHEN the member account's event is handled
    let outcome = handle(&deps, event(MEMBER, &task, "web")).await.expect("handled");

    // THEN the diagnosis from the event alone went out, with a note naming the role
    assert!(
        matches!(&outcome, Outcome::Published { rule_id, .. } if *rule_id == "image-pull.not-found"),
        "{outcome:?}"
    );
    let got = drain_queue(&aws_sdk_sqs::Client::new(&sdk), &queue).await;
    assert_eq!(got.len(), 1);
    let notes = machine(&got[0])["notes"].to_string();
    assert!(
        notes.contains(&format!("arn:aws:iam::{MEMBER}:role/{ROLE}")) && notes.contains("could not be assumed"),
        "{notes}"
    );
    // in the message's language only: no Japanese note in an English message
    assert!(
        !notes
            .chars()
            .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c) || ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{notes}"
    );
    assert_eq!(attribute(&got[0], "account"), Some(MEMBER));
}
