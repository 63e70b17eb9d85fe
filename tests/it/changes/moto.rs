//! "What changed" against a real moto server: two revisions of a family that differ in image
//! tag, memory, a secret reference and the log configuration; an ECR image pushed just before
//! the failure; a secret scheduled for deletion; planted secret values that must never appear.

use std::sync::Arc;
use std::time::Duration;

use crate::support::{Moto, ACCOUNT, REGION};
use aws_sdk_ecs::types::{ContainerDefinition, LogConfiguration, LogDriver, Secret};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{task_definition_from_sdk, AwsVerifier};
use ecs_doctor::changes::ChangeKind;
use ecs_doctor::diagnose::{diagnose, Category, Lang};
use ecs_doctor::fixture::Case;
use ecs_doctor::incident::Incident;
use ecs_doctor::render::{chat, email, json, sms};
use ecs_doctor::report::{self, Report};
use ecs_doctor::verify::CheckStatus;

const PLANTED_OLD: &str = "planted-value-old-5c1e";
const PLANTED_NEW: &str = "planted-value-new-9b7d";
const REPOSITORY: &str = "platform/base-api";

const IMAGE_NOT_FOUND: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1: 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1: not found";
const SECRET_NOT_FOUND: &str = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db2 from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400, request id: 9d3e6b1a";
const OUT_OF_MEMORY: &str = "OutOfMemoryError: Container killed due to memory usage";
const LOG_GROUP_MISSING: &str = "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1";
const EFS_MOUNT: &str = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-0d2c4e6a8b1f3a5c7.efs.us-east-1.amazonaws.com\" - check that your file system ID is correct : unsuccessful EFS utils command execution; code: 1";

struct World {
    clients: Arc<Clients>,
    sdk: aws_config::SdkConfig,
    old_secret: String,
    new_secret: String,
}

fn image(tag: &str) -> String {
    format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{REPOSITORY}:{tag}")
}

async fn world(moto: &Moto) -> World {
    let sdk = moto.sdk_config().await;
    let sm = aws_sdk_secretsmanager::Client::new(&sdk);
    let old_secret = sm
        .create_secret()
        .name("prod/db")
        .secret_string(PLANTED_OLD)
        .send()
        .await
        .expect("secret")
        .arn
        .expect("arn");
    let new_secret = sm
        .create_secret()
        .name("prod/db2")
        .secret_string(PLANTED_NEW)
        .send()
        .await
        .expect("secret")
        .arn
        .expect("arn");
    sm.delete_secret()
        .secret_id(&new_secret)
        .recovery_window_in_days(7)
        .send()
        .await
        .expect("schedule deletion");

    let ecr = aws_sdk_ecr::Client::new(&sdk);
    ecr.create_repository()
        .repository_name(REPOSITORY)
        .send()
        .await
        .expect("repository");
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023,
                   "digest": "sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},
        "layers": []
    });
    ecr.put_image()
        .repository_name(REPOSITORY)
        .image_tag("3.2.1")
        .image_manifest(manifest.to_string())
        .send()
        .await
        .expect("push");

    let ecs = aws_sdk_ecs::Client::new(&sdk);
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    for (tag, memory, secret, group) in [
        ("3.2.0", 1024, &old_secret, "/ecs/api"),
        ("3.2.1", 512, &new_secret, "/ecs/api-v2"),
    ] {
        ecs.register_task_definition()
            .family("api")
            .container_definitions(
                ContainerDefinition::builder()
                    .name("app")
                    .image(image(tag))
                    .memory(memory)
                    .essential(true)
                    .secrets(
                        Secret::builder()
                            .name("DB_PASSWORD")
                            .value_from(secret)
                            .build()
                            .expect("secret ref"),
                    )
                    .log_configuration(
                        LogConfiguration::builder()
                            .log_driver(LogDriver::Awslogs)
                            .options("awslogs-group", group)
                            .build()
                            .expect("log configuration"),
                    )
                    .build(),
            )
            .send()
            .await
            .expect("register");
    }
    World {
        clients: Arc::new(Clients::new(sdk.clone())),
        sdk,
        old_secret,
        new_secret,
    }
}

/// The failing task ran `api:2`; the incident carries the enriched task definition.
async fn incident(w: &World, reason: &'static str, group: &str) -> Incident {
    let ecs = aws_sdk_ecs::Client::new(&w.sdk);
    let arn = format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/api:2");
    let definition = ecs
        .describe_task_definition()
        .task_definition(&arn)
        .send()
        .await
        .expect("describe")
        .task_definition
        .map(|d| task_definition_from_sdk(&d))
        .expect("definition");
    let mut incident = Case::Reason(reason).incident();
    incident.cluster = Some(format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"));
    if let Some(task) = incident.task.as_mut() {
        task.task_definition_arn = Some(arn);
        task.group = Some(group.into());
        for c in &mut task.containers {
            c.name = "app".into();
        }
    }
    incident.task_definition = Some(definition);
    incident
}

async fn verified(w: &World, reason: &'static str, group: &str, lang: Lang) -> (Incident, Report) {
    let incident = incident(w, reason, group).await;
    let mut diagnosis = Report::from(diagnose(&incident, lang));
    let verifier = AwsVerifier::new(w.clients.clone());
    report::verify(&verifier, &incident, &mut diagnosis, Duration::from_secs(10)).await;
    (incident, diagnosis)
}

fn assert_no_planted_value(incident: &Incident, diagnosis: &Report) {
    let everything = format!(
        "{}\n{}\n{}\n{}\n{diagnosis:?}",
        email(incident, diagnosis),
        json(incident, diagnosis),
        chat(incident, diagnosis),
        sms(incident, diagnosis)
    );
    for planted in [PLANTED_OLD, PLANTED_NEW] {
        assert!(!everything.contains(planted), "a secret value leaked: {planted}");
    }
}

#[tokio::test]
async fn each_failure_shows_the_difference_that_bears_on_it_first() {
    let moto = Moto::start();
    let w = world(&moto).await;
    let cases = [
        (
            IMAGE_NOT_FOUND,
            Category::ImageNotFound,
            "containers[app].image",
            "`api:1` → `api:2`: image tag `3.2.0` → `3.2.1`; 3 other fields changed".to_string(),
        ),
        (
            OUT_OF_MEMORY,
            Category::OutOfMemory,
            "containers[app].memory",
            "`api:1` → `api:2`: memory 1024 → 512 MiB; 3 other fields changed".to_string(),
        ),
        (
            SECRET_NOT_FOUND,
            Category::SecretsNotFound,
            "containers[app].secrets[DB_PASSWORD]",
            format!(
                "`api:1` → `api:2`: secret `DB_PASSWORD` `{}` → `{}`; 3 other fields changed",
                w.old_secret, w.new_secret
            ),
        ),
        (
            LOG_GROUP_MISSING,
            Category::LoggingSetup,
            "containers[app].logConfiguration",
            "`api:1` → `api:2`: log configuration `awslogs awslogs-group=/ecs/api` → `awslogs awslogs-group=/ecs/api-v2`; 3 other fields changed".to_string(),
        ),
    ];
    for (reason, category, field, line) in cases {
        let (incident, d) = verified(&w, reason, "family:api", Lang::En).await;
        assert_eq!(d.primary().category, category, "{reason}");
        let changed = &d.changes;
        assert_eq!(changed.lines.first(), Some(&line), "{category:?}: {:#?}", changed);
        let revision: Vec<&str> = changed
            .changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Revision)
            .map(|c| c.field.as_str())
            .collect();
        assert_eq!(revision, [field], "{category:?}");
        assert_eq!(changed.headline.as_ref(), Some(&line));
        let body = email(&incident, &d);
        assert!(body.contains(&format!("What changed\n- {line}\n")), "{body}");
        let description = chat(&incident, &d)["content"]["description"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(
            description.contains("*What changed*\n• `api:1` → `api:2`"),
            "{description}"
        );
        let doc = json(&incident, &d);
        assert_eq!(doc["changes"][0]["kind"], "revision");
        assert_eq!(doc["changes"][0]["field"], field);
        // A text message carries one extra fact: a confirmed check wins over the change.
        let text = sms(&incident, &d);
        if d.primary().checks.iter().any(|c| c.status == CheckStatus::Found) {
            assert!(text.contains(" ✔ ") && !text.contains(" Δ "), "{text}");
        } else {
            assert!(text.contains("Δ api:1 → api:2"), "{text}");
        }
        assert_no_planted_value(&incident, &d);
    }

    // Nothing that changed bears on an EFS mount failure: one line says so.
    let (incident, d) = verified(&w, EFS_MOUNT, "family:api", Lang::En).await;
    assert_eq!(d.primary().category, Category::EfsMount);
    assert_eq!(
        d.changes.lines,
        ["`api:1` → `api:2`: no relevant change (4 other fields changed)"]
    );
    assert_eq!(d.changes.headline, None);
    assert!(d.changes.changes.is_empty());
    assert!(!sms(&incident, &d).contains('Δ'));
    let (_, ja) = verified(&w, EFS_MOUNT, "family:api", Lang::Ja).await;
    assert_eq!(
        ja.changes.lines,
        ["`api:1` → `api:2`: 関連する変更なし (その他 4 項目が変更)"]
    );
}

#[tokio::test]
async fn a_fresh_image_and_a_secret_scheduled_for_deletion_show_with_their_times() {
    let moto = Moto::start();
    let w = world(&moto).await;

    let (incident, d) = verified(&w, IMAGE_NOT_FOUND, "family:api", Lang::En).await;
    let pushed = d
        .changes
        .changes
        .iter()
        .find(|c| c.field == "imagePushedAt")
        .unwrap_or_else(|| panic!("no image push in {:#?}", d.changes));
    assert_eq!(pushed.kind, ChangeKind::Resource);
    assert_eq!(pushed.resource, "platform/base-api:3.2.1");
    let at = pushed.at.clone().expect("push time");
    assert!(
        d.changes
            .lines
            .iter()
            .any(|l| l.starts_with("image `platform/base-api:3.2.1` pushed ") && l.ends_with(&format!(" ago ({at})"))),
        "{:#?}",
        d.changes.lines
    );
    assert_no_planted_value(&incident, &d);

    let (incident, d) = verified(&w, SECRET_NOT_FOUND, "family:api", Lang::En).await;
    let deleted = d
        .changes
        .changes
        .iter()
        .find(|c| c.field == "deletedDate")
        .unwrap_or_else(|| panic!("no scheduled deletion in {:#?}", d.changes));
    assert_eq!(deleted.resource, "prod/db2");
    let at = deleted.at.clone().expect("deletion time");
    assert!(
        d.changes.lines.contains(&format!(
            "secret `prod/db2` is scheduled for deletion ({at}, {})",
            ago_of(&at)
        )),
        "{:#?}",
        d.changes.lines
    );
    let body = email(&incident, &d);
    assert!(body.contains("secret `prod/db2` is scheduled for deletion"), "{body}");
    // `--nocapture` shows a real e-mail with the section (README sample).
    println!("{body}");
    assert_no_planted_value(&incident, &d);

    // Japanese.
    let (_, ja) = verified(&w, SECRET_NOT_FOUND, "family:api", Lang::Ja).await;
    assert!(
        ja.changes
            .lines
            .iter()
            .any(|l| l.starts_with("シークレット `prod/db2` は削除が予定されています")),
        "{:#?}",
        ja.changes.lines
    );
}

/// The age text the summary gives a time (moto's clock and ours agree within a few seconds).
fn ago_of(at: &str) -> String {
    let then = ecs_doctor::util::time::epoch_seconds_from_iso8601(at).expect("time");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    ecs_doctor::changes::ago(now - then, Lang::En)
}

#[tokio::test]
async fn a_service_compares_with_its_other_deployment() {
    let moto = Moto::start();
    let w = world(&moto).await;
    let ecs = aws_sdk_ecs::Client::new(&w.sdk);
    // moto keeps the deployment of `api:1` when the service moves to `api:2`: the service's
    // other deployment is then `api:1`, found through DescribeServices.
    ecs.create_service()
        .cluster("prod")
        .service_name("web")
        .task_definition("api:1")
        .desired_count(1)
        .send()
        .await
        .expect("service");
    ecs.update_service()
        .cluster("prod")
        .service("web")
        .task_definition("api:2")
        .send()
        .await
        .expect("update");
    // With `api:1` deregistered, the family has no older ACTIVE revision: only the service's
    // deployment can name it.
    ecs.deregister_task_definition()
        .task_definition("api:1")
        .send()
        .await
        .expect("deregister");
    let (incident, d) = verified(&w, OUT_OF_MEMORY, "service:web", Lang::En).await;
    assert_eq!(
        d.changes.lines.first().map(String::as_str),
        Some("`api:1` → `api:2`: memory 1024 → 512 MiB; 3 other fields changed")
    );
    assert_no_planted_value(&incident, &d);
}
