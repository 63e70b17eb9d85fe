//! Image, secrets and role checks against a real moto server: the broken account and its
//! healthy twin for each, and one end-to-end run of the Lambda handler whose published e-mail
//! body carries the "Checked" section.
//!
//! moto has no `iam:SimulatePrincipalPolicy`; the permission checks are exercised with
//! canned SDK answers in `verify_a_mocks.rs`. Here they must degrade to `not-checked`.

use std::sync::{Arc, Mutex};

use crate::support::{drain_queue, topic_with_queue, Moto, ACCOUNT, REGION};
use aws_sdk_ecs::types::{ContainerDefinition as EcsContainer, NetworkMode};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::{AwsVerifier, Delivery, PublishError, Publisher, SnsPublisher};
use ecs_doctor::config::Config;
use ecs_doctor::diagnose::{diagnose, Category, Finding, Lang};
use ecs_doctor::event::from_text;
use ecs_doctor::incident::{Container, ContainerDefinition, Incident, SecretRef, Task, TaskDefinition};
use ecs_doctor::pipeline::{handle, Deps, Outcome};
use ecs_doctor::render::SnsMessage;
use ecs_doctor::report::Report;
use ecs_doctor::verify::{Check, CheckStatus, Verifier};
use serde_json::{json, Value};

const EXEC_ROLE: &str = "arn:aws:iam::123456789012:role/ecsTaskExecutionRole";
const REGISTRY: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

/// The verifier, without retries: moto answers `SimulatePrincipalPolicy` with a server error
/// ("not implemented"), and the SDK's retry backoff on it would eat the 1.5 s budget.
fn verifier(sdk: &aws_config::SdkConfig) -> AwsVerifier {
    let sdk = sdk
        .to_builder()
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .build();
    AwsVerifier::new(Arc::new(Clients::new(sdk)))
}

/// An incident as enrichment leaves it: the event's task (container `app` with `reason`) and
/// the task definition revision with its execution role.
fn incident(reason: &str, image: &str, definition: TaskDefinition) -> Incident {
    let mut incident = from_text(reason);
    incident.account = Some(ACCOUNT.into());
    incident.region = Some(REGION.into());
    incident.task = Some(Task {
        task_arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/0123456789abcdef"),
        stopped_reason: Some(reason.into()),
        containers: vec![Container {
            name: "app".into(),
            image: Some(image.into()),
            reason: Some(reason.into()),
            ..Container::default()
        }],
        ..Task::default()
    });
    incident.task_definition = Some(TaskDefinition {
        arn: format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:7"),
        execution_role_arn: Some(EXEC_ROLE.into()),
        ..definition
    });
    incident
}

fn definition(image: &str) -> TaskDefinition {
    TaskDefinition {
        containers: vec![ContainerDefinition {
            name: "app".into(),
            image: Some(image.into()),
            ..ContainerDefinition::default()
        }],
        ..TaskDefinition::default()
    }
}

/// The task execution role, in moto too (this also wakes moto's IAM backend, whose first call is
/// slow, before a check runs against the 1.5 s budget).
async fn execution_role(sdk: &aws_config::SdkConfig) {
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]});
    aws_sdk_iam::Client::new(sdk)
        .create_role()
        .role_name("ecsTaskExecutionRole")
        .assume_role_policy_document(trust.to_string())
        .send()
        .await
        .expect("execution role");
}

fn primary(incident: &Incident, lang: Lang) -> Finding {
    diagnose(incident, lang).primary().clone()
}

fn by_id<'a>(checks: &'a [Check], id: &str) -> &'a Check {
    checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no check {id} in {checks:#?}"))
}

fn fact<'a>(check: &'a Check, name: &str) -> &'a str {
    check
        .facts
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no fact {name} in {check:#?}"))
}

async fn ecr_with_tags(sdk: &aws_config::SdkConfig, repository: &str, tags: &[&str]) -> aws_sdk_ecr::Client {
    let ecr = aws_sdk_ecr::Client::new(sdk);
    ecr.create_repository()
        .repository_name(repository)
        .send()
        .await
        .expect("create repository");
    for (i, tag) in tags.iter().enumerate() {
        let manifest = json!({
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1, "digest": format!("sha256:{:064x}", i + 1)},
            "layers": []
        });
        ecr.put_image()
            .repository_name(repository)
            .image_manifest(manifest.to_string())
            .image_tag(*tag)
            .send()
            .await
            .expect("put image");
    }
    ecr
}

const NOT_FOUND: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/platform/base-api:3.2.1: not found";

#[tokio::test]
async fn a_missing_tag_is_confirmed_with_the_newest_tags_and_its_twin_is_ruled_out() {
    // GIVEN repository platform/base-api holding 3.1.9 and 3.2.0, but not 3.2.1
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    ecr_with_tags(&sdk, "platform/base-api", &["3.1.9", "3.2.0"]).await;
    execution_role(&sdk).await;
    let image = format!("{REGISTRY}/platform/base-api:3.2.1");
    let broken = incident(NOT_FOUND, &image, definition(&image));
    let finding = primary(&broken, Lang::En);
    assert_eq!(finding.category, Category::ImageNotFound);

    // WHEN the image checks run
    let checks = verifier(&sdk).verify(&broken, &finding, Lang::En).await;

    // THEN the repository is there, the tag is not, and the newest tags are listed
    let repo = by_id(&checks, "ecr.repository");
    assert_eq!(repo.status, CheckStatus::Absent);
    assert_eq!(
        repo.summary,
        "Repository `platform/base-api` exists in account 123456789012 (us-east-1)."
    );
    let tag = by_id(&checks, "ecr.image-tag");
    assert_eq!(tag.status, CheckStatus::Found, "{tag:#?}");
    assert!(
        tag.summary
            .starts_with("Tag `3.2.1` does not exist in `platform/base-api`. The newest tags are `3.2.0` (pushed "),
        "{}",
        tag.summary
    );
    let newest = fact(tag, "newestTags");
    assert_eq!(newest, "3.2.0, 3.1.9");
    assert_eq!(fact(tag, "tag"), "3.2.1");
    // moto has no SimulatePrincipalPolicy: the permission check degrades, naming the call
    let role = by_id(&checks, "iam.execution-role-ecr");
    assert_eq!(role.status, CheckStatus::NotChecked);
    assert!(role.summary.contains("iam:SimulatePrincipalPolicy"), "{}", role.summary);

    // AND the healthy twin (3.2.0 exists) is ruled out, in Japanese too
    let healthy_image = format!("{REGISTRY}/platform/base-api:3.2.0");
    let healthy = incident(
        &NOT_FOUND.replace("3.2.1", "3.2.0"),
        &healthy_image,
        definition(&healthy_image),
    );
    let checks = verifier(&sdk)
        .verify(&healthy, &primary(&healthy, Lang::Ja), Lang::Ja)
        .await;
    let tag = by_id(&checks, "ecr.image-tag");
    assert_eq!(tag.status, CheckStatus::Absent, "{tag:#?}");
    assert!(
        tag.summary
            .starts_with("`platform/base-api` にタグ `3.2.0` があります ("),
        "{}",
        tag.summary
    );
}

#[tokio::test]
async fn a_missing_repository_is_confirmed_and_other_registries_are_not_checked() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let image = format!("{REGISTRY}/platform/gone:1");
    let broken = incident(
        &NOT_FOUND.replace("base-api:3.2.1", "gone:1"),
        &image,
        definition(&image),
    );
    let checks = verifier(&sdk)
        .verify(&broken, &primary(&broken, Lang::En), Lang::En)
        .await;
    let repo = by_id(&checks, "ecr.repository");
    assert_eq!(repo.status, CheckStatus::Found);
    assert_eq!(
        repo.summary,
        "Repository `platform/gone` does not exist in account 123456789012 (us-east-1)."
    );
    assert!(
        checks.iter().all(|c| c.id != "ecr.image-tag"),
        "no tag check without a repository"
    );

    let hub = incident(
        "CannotPullContainerError: pull access denied for nginx, repository does not exist or may require 'docker login'",
        "nginx:1.27",
        definition("nginx:1.27"),
    );
    let checks = verifier(&sdk).verify(&hub, &primary(&hub, Lang::En), Lang::En).await;
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].status, CheckStatus::NotChecked);
    assert!(
        checks[0].summary.contains("`docker.io` is not an AWS registry"),
        "{}",
        checks[0].summary
    );
}

#[tokio::test]
async fn an_arm_only_image_on_an_x86_task_is_confirmed_and_a_multi_arch_one_ruled_out() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let ecr = aws_sdk_ecr::Client::new(&sdk);
    ecr.create_repository()
        .repository_name("web")
        .send()
        .await
        .expect("repository");
    let list = |archs: &[&str]| {
        let manifests: Vec<Value> = archs
            .iter()
            .enumerate()
            .map(|(i, a)| json!({"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1,
                                 "digest": format!("sha256:{:064x}", i + 7), "platform": {"os": "linux", "architecture": a}}))
            .collect();
        json!({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json", "manifests": manifests}).to_string()
    };
    for (tag, archs) in [("arm", &["arm64"][..]), ("multi", &["amd64", "arm64"][..])] {
        ecr.put_image()
            .repository_name("web")
            .image_tag(tag)
            .image_manifest(list(archs))
            .image_manifest_media_type("application/vnd.docker.distribution.manifest.list.v2+json")
            .send()
            .await
            .expect("put image");
    }
    let reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor matching platform 'linux/amd64'";
    let x86 = |image: &str| {
        let mut d = definition(image);
        d.cpu_architecture = Some("X86_64".into());
        d.operating_system = Some("LINUX".into());
        incident(reason, image, d)
    };
    let arm_only = x86(&format!("{REGISTRY}/web:arm"));
    let finding = primary(&arm_only, Lang::En);
    assert_eq!(finding.category, Category::ImagePlatformMismatch);
    let checks = verifier(&sdk).verify(&arm_only, &finding, Lang::En).await;
    assert_eq!(checks.len(), 1, "{checks:#?}");
    assert_eq!(checks[0].id, "ecr.image-platform");
    assert_eq!(checks[0].status, CheckStatus::Found);
    assert_eq!(
        checks[0].summary,
        "Image `web:arm` has no linux/amd64 build; it has linux/arm64."
    );
    assert_eq!(fact(&checks[0], "taskPlatform"), "linux/amd64 (runtimePlatform)");

    let multi = x86(&format!("{REGISTRY}/web:multi"));
    let checks = verifier(&sdk)
        .verify(&multi, &primary(&multi, Lang::En), Lang::En)
        .await;
    assert_eq!(checks[0].status, CheckStatus::Absent, "{checks:#?}");
    assert_eq!(fact(&checks[0], "imagePlatforms"), "linux/amd64, linux/arm64");
}

const PLANTED: &str = "planted-value-7f3a9c";

#[tokio::test]
async fn a_secret_scheduled_for_deletion_is_confirmed_without_reading_its_value() {
    // GIVEN a secret scheduled for deletion, a live one, and a parameter; each holds a planted value
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let sm = aws_sdk_secretsmanager::Client::new(&sdk);
    let doomed = sm
        .create_secret()
        .name("prod/db")
        .secret_string(PLANTED)
        .send()
        .await
        .expect("create secret");
    let doomed_arn = doomed.arn().expect("arn").to_string();
    sm.delete_secret()
        .secret_id(&doomed_arn)
        .recovery_window_in_days(7)
        .send()
        .await
        .expect("delete secret");
    let live = sm
        .create_secret()
        .name("prod/api")
        .secret_string(format!("{{\"token\":\"{PLANTED}\"}}"))
        .send()
        .await
        .expect("create secret");
    let live_arn = live.arn().expect("arn").to_string();
    let ssm = aws_sdk_ssm::Client::new(&sdk);
    ssm.put_parameter()
        .name("/app/db-host")
        .value(PLANTED)
        .r#type(aws_sdk_ssm::types::ParameterType::SecureString)
        .send()
        .await
        .expect("put parameter");
    execution_role(&sdk).await;

    let reason = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): ResourceNotFoundException: Secrets Manager can't find the specified secret.";
    let image = format!("{REGISTRY}/web:1");
    let mut d = definition(&image);
    d.containers[0].secrets = vec![
        SecretRef {
            name: "DB".into(),
            value_from: doomed_arn.clone(),
        },
        SecretRef {
            name: "TOKEN".into(),
            value_from: format!("{live_arn}:token::"),
        },
        SecretRef {
            name: "STAGED".into(),
            value_from: format!("{live_arn}::AWSPENDING:"),
        },
        SecretRef {
            name: "HOST".into(),
            value_from: "/app/db-host".into(),
        },
        SecretRef {
            name: "GONE".into(),
            value_from: format!("arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/app/missing"),
        },
    ];
    let broken = incident(reason, &image, d);
    let finding = primary(&broken, Lang::En);
    assert_eq!(finding.category, Category::SecretsNotFound);

    // WHEN the secrets checks run
    let checks = verifier(&sdk).verify(&broken, &finding, Lang::En).await;

    // THEN each reference has its exact result
    let secrets: Vec<&Check> = checks.iter().filter(|c| c.id == "secretsmanager.secret").collect();
    assert_eq!(secrets.len(), 3, "{checks:#?}");
    assert_eq!(secrets[0].status, CheckStatus::Found);
    assert!(
        secrets[0].summary.starts_with(&format!(
            "Secret `{}` is scheduled for deletion (deletion date 20",
            doomed_arn.rsplit(':').next().unwrap_or_default()
        )),
        "{}",
        secrets[0].summary
    );
    assert_eq!(secrets[1].status, CheckStatus::Absent, "{:#?}", secrets[1]);
    assert!(fact(secrets[1], "jsonKey").starts_with("token (not checked"));
    assert_eq!(secrets[2].status, CheckStatus::Found);
    assert!(
        secrets[2]
            .summary
            .contains("has no version stage `AWSPENDING`; its stages are AWSCURRENT"),
        "{}",
        secrets[2].summary
    );
    let params: Vec<&Check> = checks.iter().filter(|c| c.id == "ssm.parameter").collect();
    assert_eq!(params[0].status, CheckStatus::Absent);
    assert_eq!(params[0].summary, "Parameter `/app/db-host` exists (SecureString).");
    assert_eq!(params[1].status, CheckStatus::Found);
    assert_eq!(
        params[1].summary,
        "Parameter `/app/missing` does not exist in the task's account and Region."
    );
    assert_eq!(
        by_id(&checks, "iam.execution-role-secrets").status,
        CheckStatus::NotChecked
    );

    // AND no planted value reaches a check, the e-mail or the machine JSON
    let mut diagnosis = Report::from(diagnose(&broken, Lang::En));
    ecs_doctor::report::verify(
        &verifier(&sdk),
        &broken,
        &mut diagnosis,
        ecs_doctor::verify::DEFAULT_BUDGET,
    )
    .await;
    let email = ecs_doctor::render::email(&broken, &diagnosis);
    let machine = ecs_doctor::render::json(&broken, &diagnosis).to_string();
    assert!(email.contains("✔ "), "{email}");
    for text in [format!("{checks:?}"), email, machine] {
        assert!(!text.contains(PLANTED), "a secret value leaked: {text}");
    }
}

#[tokio::test]
async fn roles_missing_or_without_ecs_trust_are_confirmed_and_a_good_one_ruled_out() {
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    let iam = aws_sdk_iam::Client::new(&sdk);
    let trust = |service: &str| {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]})
            .to_string()
    };
    iam.create_role()
        .role_name("app-good")
        .assume_role_policy_document(trust("ecs-tasks.amazonaws.com"))
        .send()
        .await
        .expect("role");
    iam.create_role()
        .role_name("app-ec2")
        .assume_role_policy_document(trust("ec2.amazonaws.com"))
        .send()
        .await
        .expect("role");
    let event = |role: &str| {
        let text = format!("ECS was unable to assume the role 'arn:aws:iam::{ACCOUNT}:role/{role}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.");
        let mut incident = from_text(&text);
        incident.account = Some(ACCOUNT.into());
        incident.region = Some(REGION.into());
        incident
    };
    let run = |incident: Incident, lang: Lang| {
        let sdk = sdk.clone();
        async move {
            let finding = primary(&incident, lang);
            assert_eq!(finding.category, Category::IamRole);
            verifier(&sdk).verify(&incident, &finding, lang).await
        }
    };

    let good = run(event("app-good"), Lang::En).await;
    assert_eq!(by_id(&good, "iam.role").status, CheckStatus::Absent);
    let trust_check = by_id(&good, "iam.role-trust");
    assert_eq!(trust_check.status, CheckStatus::Absent);
    assert_eq!(
        trust_check.summary,
        "The trust policy of the role `app-good` lets `ecs-tasks.amazonaws.com` assume it."
    );

    let ec2 = run(event("app-ec2"), Lang::En).await;
    let trust_check = by_id(&ec2, "iam.role-trust");
    assert_eq!(trust_check.status, CheckStatus::Found);
    assert_eq!(fact(trust_check, "trustedServices"), "ec2.amazonaws.com");

    let gone = run(event("app-deleted"), Lang::Ja).await;
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].status, CheckStatus::Found);
    assert_eq!(gone[0].summary, "ロール `app-deleted`が存在しません。");
}

/// Keeps what was published (the SNS message structure) and passes it on to SNS.
struct Recording {
    inner: SnsPublisher,
    seen: Mutex<Vec<SnsMessage>>,
}

impl Publisher for Recording {
    async fn publish(
        &self,
        topic_arn: &str,
        message: &SnsMessage,
        delivery: &Delivery,
    ) -> Result<String, PublishError> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push(message.clone());
        }
        self.inner.publish(topic_arn, message, delivery).await
    }
}

#[tokio::test]
async fn the_published_email_shows_the_checked_section_with_the_newest_tags() {
    // GIVEN a task in moto whose image tag `missing` does not exist in ECR repository `web`
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    ecr_with_tags(&sdk, "web", &["1.4.0", "1.5.0"]).await;
    execution_role(&sdk).await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    let image = format!("{REGISTRY}/web:missing");
    ecs.register_task_definition()
        .family("web")
        .network_mode(NetworkMode::Bridge)
        .container_definitions(
            EcsContainer::builder()
                .name("app")
                .image(&image)
                .memory(512)
                .essential(true)
                .build(),
        )
        .send()
        .await
        .expect("task definition");
    // moto's RunTask answer for this definition does not parse (a number where the SDK wants a
    // string), so the event names a task moto does not know: enrichment finds nothing more,
    // and the image comes from the event, as it does for a task that is already gone.
    let task_arn = format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/5d1c7a521b7e4d1c9b0e6f1f7c1b2a10");
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "alerts").await;
    let config = Config::from_lookup(|name| (name == "TOPIC_ARN").then(|| topic_arn.clone())).expect("config");
    let recording = Recording {
        inner: SnsPublisher::new(aws_sdk_sns::Client::new(&sdk)),
        seen: Mutex::new(Vec::new()),
    };
    let deps = Deps::new(crate::support::deps::moto_tasks(&sdk), recording, config).with_verifier(Some(verifier(&sdk)));
    let event = json!({
        "version": "0", "id": "5d1c7a52-1b7e-4d1c-9b0e-6f1f7c1b2a10", "detail-type": "ECS Task State Change",
        "source": "aws.ecs", "account": ACCOUNT, "time": "2026-11-27T12:00:00Z", "region": REGION, "resources": [task_arn],
        "detail": {
            "taskArn": task_arn, "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"),
            "taskDefinitionArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/web:1"),
            "group": "service:web", "launchType": "FARGATE", "lastStatus": "STOPPED", "desiredStatus": "STOPPED",
            "stopCode": "TaskFailedToStart", "stoppedReason": "Task failed to start", "version": 4,
            "containers": [{"name": "app", "image": image, "lastStatus": "STOPPED",
                "reason": format!("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref {image}: not found")}]
        }
    });

    // WHEN the handler runs with verification on
    let outcome = handle(&deps, event).await.expect("handled");
    assert!(
        matches!(
            outcome,
            Outcome::Published {
                rule_id: "image-pull.not-found",
                ..
            }
        ),
        "{outcome:?}"
    );

    // THEN the e-mail body of the published structure has a Checked section with ✔ and the newest tags
    let published = deps.publisher.seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(published.len(), 1);
    let structure: Value = serde_json::from_str(&published[0].message).expect("structure");
    let email = structure["email"].as_str().expect("email body");
    // Shown with --nocapture: the README's example e-mail comes from here.
    println!("{email}");
    let checked = email
        .split("\n\n")
        .find(|block| block.starts_with("Checked"))
        .unwrap_or_else(|| panic!("{email}"));
    assert!(
        checked.contains("✔ Confirmed: tag `missing` does not exist in `web`. The newest tags are `1."),
        "{checked}"
    );
    assert!(checked.contains("newestTags: 1."), "{checked}");
    assert!(checked.contains("✘ Ruled out: repository `web` exists"), "{checked}");
    assert!(checked.contains("? Could not check"), "{checked}");

    // AND the SQS subscriber got the machine JSON with the same checks
    let messages = drain_queue(&aws_sdk_sqs::Client::new(&sdk), &queue_url).await;
    assert_eq!(messages.len(), 1);
    let body: Value = serde_json::from_str(messages[0]["Message"].as_str().expect("Message")).expect("JSON");
    let checks = body["findings"][0]["checks"].as_array().cloned().unwrap_or_default();
    let tag = checks
        .iter()
        .find(|c| c["id"] == "ecr.image-tag")
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(tag["status"], "confirmed");
    assert_eq!(tag["facts"]["tag"], "missing");
    // The confirmed cause's step leads the remediation
    let first_step = body["findings"][0]["remediation"][0].as_str().unwrap_or_default();
    assert!(
        first_step.starts_with("Push tag `missing` to `web`, or point the task definition at `1."),
        "{first_step}"
    );
}
