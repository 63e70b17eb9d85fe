//! Golden snapshots of `ecs-doctor check`'s output: text (en, ja), Markdown and GitHub Actions
//! annotations, for one 5-container definition with problems of each kind. The account checks
//! are the verify stage's verdict functions fed fixed facts (no clock, no account), so the
//! files only change when the words or the layout do.
//!
//! When a change is intended, rewrite the files and review the diff:
//!
//! ```sh
//! UPDATE_SNAPSHOTS=1 cargo test --test it check::snapshots::
//! git diff tests/snapshots/check/
//! ```

use crate::support::snapshot::assert_snapshot;
use ecs_doctor::cli::check::{definition, offline, render, Gate};
use ecs_doctor::diagnose::Lang;
use ecs_doctor::verify::image::{self, Clock, ImageRef, PushedTag, TagLookup};
use ecs_doctor::verify::logs::{judge_group, LogsFacts};
use ecs_doctor::verify::role::{self, RoleMeta, RoleTarget, ECS_TASKS};
use ecs_doctor::verify::secrets::{self, SecretRef};
use ecs_doctor::verify::{Check, Unavailable};

const DEFINITION: &str = r#"{
  "taskDefinition": {
    "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:12",
    "family": "web", "revision": 12,
    "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
    "cpu": "512", "memory": "1024",
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "containerDefinitions": [
      {"name": "app", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web/api:1.5.0", "memory": 512,
       "portMappings": [{"containerPort": 8080, "hostPort": 80}],
       "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"]},
       "secrets": [{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/web/db-AbCdEf"}],
       "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web", "awslogs-region": "us-east-1"}}},
      {"name": "worker", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web/api:1.5.0", "memoryReservation": 256, "essential": false},
      {"name": "migrate", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/web/api:1.5.0", "memoryReservation": 128, "essential": false},
      {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1.27", "memoryReservation": 64, "essential": false},
      {"name": "otel", "image": "otel/Collector:0.100", "memoryReservation": 64, "essential": false,
       "healthCheck": {"command": ["/healthz"]}}
    ]
  }
}"#;

/// The account checks as the verify stage would judge this account's facts.
fn account_checks(lang: Lang) -> Vec<Check> {
    let mut checks = Vec::new();
    let Some(ImageRef::Ecr(ecr)) = image::parse("123456789012.dkr.ecr.us-east-1.amazonaws.com/web/api:1.5.0") else {
        panic!("an ECR image");
    };
    let clock = Clock {
        stopped_at: None,
        now: 1_795_773_600,
    };
    checks.push(image::judge_repository(&ecr, &Ok(true), lang).fact("container", "app, worker, migrate"));
    let missing = TagLookup::Missing {
        newest: vec![
            PushedTag {
                tag: "1.4.0".into(),
                pushed_at: Some(1_795_773_600 - 7200),
            },
            PushedTag {
                tag: "1.3.2".into(),
                pushed_at: Some(1_795_773_600 - 3 * 86_400),
            },
        ],
    };
    checks.push(image::judge_tag(&ecr, &Ok(missing), &clock, lang).fact("container", "app, worker, migrate"));
    let what = match lang {
        Lang::En => "the image",
        Lang::Ja => "イメージ",
    };
    checks.push(
        Check::not_checked(
            "ecr.repository",
            what,
            &Unavailable::NotAws("public.ecr.aws".into()),
            lang,
        )
        .fact("image", "public.ecr.aws/nginx/nginx:1.27")
        .fact("container", "proxy"),
    );
    let target = RoleTarget {
        name: "ecsTaskExecutionRole".into(),
        arn: Some("arn:aws:iam::123456789012:role/ecsTaskExecutionRole".into()),
        kind: "execution",
        service: ECS_TASKS,
    };
    let meta = RoleMeta {
        arn: "arn:aws:iam::123456789012:role/ecsTaskExecutionRole".into(),
        trust_policy: Some(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#.into(),
        ),
    };
    for mut check in role::judge(&target, &Ok(Some(meta)), lang) {
        check.id = if check.id == "iam.role-trust" {
            "iam.execution-role-trust"
        } else {
            "iam.execution-role"
        };
        checks.push(check);
    }
    if let Some(SecretRef::SecretsManager(secret)) =
        secrets::parse("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/web/db-AbCdEf")
    {
        checks.push(secrets::judge_secret(&secret, &Ok(None), lang));
    }
    let facts = LogsFacts {
        container: "app".into(),
        group: "/ecs/web".into(),
        region: "us-east-1".into(),
        exists: true,
        create_group: false,
    };
    checks.push(judge_group(&facts, None, lang));
    let what = match lang {
        Lang::En => "the task execution role's permission to read the secrets",
        Lang::Ja => "タスク実行ロールのシークレット読み取り権限",
    };
    checks.push(
        Check::not_checked(
            "iam.execution-role-secrets",
            what,
            &Unavailable::AccessDenied("iam:SimulatePrincipalPolicy".into()),
            lang,
        )
        .fact("role", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
    );
    checks
}

fn gate(lang: Lang) -> Gate {
    let definition = definition::parse(DEFINITION.as_bytes()).expect("the fixture decodes");
    let mut checks = offline::checks(&definition, lang);
    checks.extend(account_checks(lang));
    Gate::new(&definition, checks, lang, false)
}

#[test]
fn text_en() {
    let gate = gate(Lang::En);
    assert_eq!(gate.exit_code(), 3);
    assert_snapshot(
        "check",
        "check::snapshots::",
        "web-12.en.text.txt",
        &render::text(&gate),
    );
}

#[test]
fn text_ja() {
    assert_snapshot(
        "check",
        "check::snapshots::",
        "web-12.ja.text.txt",
        &render::text(&gate(Lang::Ja)),
    );
}

#[test]
fn markdown_en() {
    assert_snapshot(
        "check",
        "check::snapshots::",
        "web-12.en.markdown.md",
        &render::markdown(&gate(Lang::En)),
    );
}

#[test]
fn github_en() {
    assert_snapshot(
        "check",
        "check::snapshots::",
        "web-12.en.github.txt",
        &render::github(&gate(Lang::En)),
    );
}

#[test]
fn the_secret_reference_is_named_and_no_value_could_be() {
    let text = render::text(&gate(Lang::En));
    assert!(text.contains("prod/web/db"), "{text}");
    // The fixture carries no value; the health check command is not kept past its form.
    assert!(!text.contains("localhost:8080"), "{text}");
}
