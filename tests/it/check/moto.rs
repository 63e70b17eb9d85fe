//! `ecs-doctor check` against a real moto server, through the real binary: a broken account and
//! its healthy twin for each check moto supports (ECR tag, secret, log group, execution and task
//! roles and their trust, subnet routes), a planted secret value that never reaches the output,
//! the exit codes, and the errors that are one line.
//!
//! moto has no `iam:SimulatePrincipalPolicy`: the permission checks come out `not checked`
//! here (`check_mocks.rs` covers them), which passes the gate unless `--strict`.

use std::path::PathBuf;
use std::process::Command;

use crate::support::{cli, stderr, stdout, Moto, ACCOUNT, REGION};
use serde_json::{json, Value};

const REGISTRY: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
/// A value planted in Secrets Manager: no output of `check` may contain it.
const PLANTED: &str = "planted-db-password-7f3a9c";

fn trust(service: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}).to_string()
}

/// The account both task definitions are checked against.
struct Account {
    secret_arn: String,
    /// A subnet with a default route to a NAT gateway.
    nat_subnet: String,
    /// A subnet with no way out and no endpoints.
    private_subnet: String,
    task_sg: String,
}

async fn account(moto: &Moto) -> Account {
    let sdk = moto.sdk_config().await;
    let ecr = aws_sdk_ecr::Client::new(&sdk);
    ecr.create_repository()
        .repository_name("web/api")
        .send()
        .await
        .expect("repository");
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1, "digest": format!("sha256:{:064x}", 1)},
        "layers": []
    });
    ecr.put_image()
        .repository_name("web/api")
        .image_manifest(manifest.to_string())
        .image_tag("1.4.0")
        .send()
        .await
        .expect("image");
    let iam = aws_sdk_iam::Client::new(&sdk);
    for (name, service) in [
        ("ecsTaskExecutionRole", "ecs-tasks.amazonaws.com"),
        ("webTaskRole", "ecs-tasks.amazonaws.com"),
        ("ec2OnlyRole", "ec2.amazonaws.com"),
    ] {
        iam.create_role()
            .role_name(name)
            .assume_role_policy_document(trust(service))
            .send()
            .await
            .expect("role");
    }
    let secret = aws_sdk_secretsmanager::Client::new(&sdk)
        .create_secret()
        .name("prod/web/db")
        .secret_string(PLANTED)
        .send()
        .await
        .expect("secret");
    let secret_arn = secret.arn().expect("secret arn").to_string();
    aws_sdk_cloudwatchlogs::Client::new(&sdk)
        .create_log_group()
        .log_group_name("/ecs/web")
        .send()
        .await
        .expect("log group");

    let ec2 = aws_sdk_ec2::Client::new(&sdk);
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await.expect("vpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string();
    let subnet = |cidr: &'static str| {
        let ec2 = ec2.clone();
        let vpc = vpc.clone();
        async move {
            let out = ec2
                .create_subnet()
                .vpc_id(&vpc)
                .cidr_block(cidr)
                .availability_zone("us-east-1a")
                .send()
                .await
                .expect("subnet");
            out.subnet().and_then(|s| s.subnet_id()).expect("subnet id").to_string()
        }
    };
    let (nat_subnet, private_subnet, public_subnet) = (
        subnet("10.0.1.0/24").await,
        subnet("10.0.2.0/24").await,
        subnet("10.0.3.0/24").await,
    );
    let table = |subnet: String| {
        let ec2 = ec2.clone();
        let vpc = vpc.clone();
        async move {
            let t = ec2.create_route_table().vpc_id(&vpc).send().await.expect("route table");
            let id = t
                .route_table()
                .and_then(|t| t.route_table_id())
                .expect("rtb")
                .to_string();
            ec2.associate_route_table()
                .route_table_id(&id)
                .subnet_id(&subnet)
                .send()
                .await
                .expect("associate");
            id
        }
    };
    let nat_table = table(nat_subnet.clone()).await;
    table(private_subnet.clone()).await;
    let eip = ec2.allocate_address().send().await.expect("eip");
    let nat = ec2
        .create_nat_gateway()
        .subnet_id(&public_subnet)
        .allocation_id(eip.allocation_id().expect("allocation"))
        .send()
        .await
        .expect("nat");
    let nat = nat
        .nat_gateway()
        .and_then(|n| n.nat_gateway_id())
        .expect("nat id")
        .to_string();
    ec2.create_route()
        .route_table_id(&nat_table)
        .destination_cidr_block("0.0.0.0/0")
        .nat_gateway_id(&nat)
        .send()
        .await
        .expect("route");
    let sg = ec2
        .create_security_group()
        .group_name("web")
        .description("web tasks")
        .vpc_id(&vpc)
        .send()
        .await
        .expect("sg");
    Account {
        secret_arn,
        nat_subnet,
        private_subnet,
        task_sg: sg.group_id().expect("sg id").to_string(),
    }
}

/// A 5-container Fargate task definition (register-task-definition input). `healthy` picks the
/// names that exist in [`account`]; the broken one names a missing tag, secret, log group and
/// execution role, and a task role that trusts EC2 instead of ECS tasks.
fn definition(account: &Account, healthy: bool) -> Value {
    let tag = if healthy { "1.4.0" } else { "1.5.0" };
    let secret = if healthy {
        account.secret_arn.clone()
    } else {
        format!("arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:prod/web/gone-AbCdEf")
    };
    let group = if healthy { "/ecs/web" } else { "/ecs/web-missing" };
    let execution = if healthy {
        "ecsTaskExecutionRole"
    } else {
        "deletedExecutionRole"
    };
    let task_role = if healthy { "webTaskRole" } else { "ec2OnlyRole" };
    let logs = json!({"logDriver": "awslogs", "options": {"awslogs-group": group, "awslogs-region": REGION, "awslogs-stream-prefix": "web"}});
    let ecr = |name: &str| json!({"name": name, "image": format!("{REGISTRY}/web/api:{tag}"), "essential": name == "app", "memoryReservation": 128, "logConfiguration": logs});
    json!({
        "family": "web",
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "512",
        "memory": "1024",
        "executionRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/{execution}"),
        "taskRoleArn": format!("arn:aws:iam::{ACCOUNT}:role/{task_role}"),
        "containerDefinitions": [
            {
                "name": "app",
                "image": format!("{REGISTRY}/web/api:{tag}"),
                "essential": true,
                "memory": 512,
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]},
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": secret}],
                "environment": [{"name": "MODE", "value": "prod"}],
                "logConfiguration": logs
            },
            ecr("worker"),
            ecr("migrate"),
            {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1.27", "essential": false, "memoryReservation": 64,
             "portMappings": [{"containerPort": 80}], "logConfiguration": logs},
            {"name": "otel", "image": "otel/opentelemetry-collector:0.100.0", "essential": false, "memoryReservation": 64}
        ]
    })
}

fn write(name: &str, value: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ecs-doctor-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).expect("json")).expect("write");
    path
}

fn status<'a>(report: &'a Value, id: &str) -> Vec<&'a str> {
    report["checks"]
        .as_array()
        .map(|checks| {
            checks
                .iter()
                .filter(|c| c["id"] == id)
                .filter_map(|c| c["status"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_healthy_twin_passes_and_the_broken_account_fails_each_check() {
    // GIVEN an account with the image, roles, secret, log group and a NAT'd subnet
    let moto = Moto::start();
    let account = account(&moto).await;
    let healthy = write("healthy.json", &definition(&account, true));
    let broken = write("broken.json", &definition(&account, false));
    let subnet_args = |subnet: &str| {
        vec![
            format!("--subnets={subnet}"),
            format!("--security-groups={}", account.task_sg),
        ]
    };

    // WHEN the healthy definition is checked, from the NAT'd subnet
    let mut args = vec![
        "check".to_string(),
        "--task-definition".into(),
        healthy.display().to_string(),
    ];
    args.extend(subnet_args(&account.nat_subnet));
    args.extend(["--format".into(), "json".into()]);
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = cli(&moto, &args_ref);

    // THEN nothing is wrong: exit 0, each account check moto supports is ok
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}\n{}", stderr(&out));
    let report: Value = serde_json::from_str(&text).expect("json output");
    for id in [
        "definition.fargate-size",
        "definition.container-memory",
        "definition.essential",
        "definition.port-mappings",
        "definition.health-check",
        "definition.image-syntax",
        "ecr.image-tag",
        "iam.execution-role",
        "iam.execution-role-trust",
        "iam.task-role",
        "iam.task-role-trust",
        "secretsmanager.secret",
        "logs.log-group",
        "ec2.network-path",
    ] {
        assert_eq!(status(&report, id), ["ok"], "{id}: {text}");
    }
    // The public images cannot be checked, and say why; the simulations cannot run on moto.
    // One repository in ECR (ok); the two public images are not checked.
    let repos = status(&report, "ecr.repository");
    assert_eq!(repos, ["ok", "not-checked", "not-checked"], "{text}");
    let not_checked: Vec<&Value> = report["checks"]
        .as_array()
        .map(|c| c.iter().filter(|c| c["status"] == "not-checked").collect())
        .unwrap_or_default();
    assert!(
        not_checked.iter().any(|c| c["summary"]
            .as_str()
            .is_some_and(|s| s.contains("`public.ecr.aws` is not an AWS registry"))),
        "{text}"
    );
    assert!(
        not_checked.iter().any(|c| c["id"] == "iam.execution-role-secrets"
            && c["summary"]
                .as_str()
                .is_some_and(|s| s.contains("iam:SimulatePrincipalPolicy"))),
        "{text}"
    );
    assert!(!text.contains(PLANTED), "the secret's value was printed");

    // AND with --strict, the checks that could not run fail the gate
    let mut strict = args_ref.clone();
    strict.push("--strict");
    assert_eq!(cli(&moto, &strict).status.code(), Some(3));

    // WHEN the broken twin is checked from the private subnet
    let mut args = vec![
        "check".to_string(),
        "--task-definition".into(),
        broken.display().to_string(),
    ];
    args.extend(subnet_args(&account.private_subnet));
    let args_ref: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = cli(&moto, &args_ref);
    let text = stdout(&out);

    // (`cargo test --test it check::moto:: -- --nocapture` shows it: the README quotes it.)
    println!("{text}");

    // THEN exit 3, and each broken thing is a problem line with its word
    assert_eq!(out.status.code(), Some(3), "{text}\n{}", stderr(&out));
    for (id, needle) in [
        (
            "ecr.image-tag",
            "Tag `1.5.0` does not exist in `web/api`. The newest tags are `1.4.0`",
        ),
        ("secretsmanager.secret", "prod/web/gone"),
        ("logs.log-group", "Log group `/ecs/web-missing` does not exist"),
        ("iam.execution-role", "deletedExecutionRole"),
        ("iam.task-role-trust", "ec2OnlyRole"),
        ("ec2.network-path", &account.private_subnet),
    ] {
        let line = text
            .lines()
            .find(|l| l.contains(&format!("  {id} ")) && l.starts_with("✘ problem"))
            .unwrap_or_else(|| panic!("no problem line for {id}:\n{text}"));
        assert!(line.contains(needle), "{id}: {line}");
    }
    assert!(text.contains("→ fix: "), "{text}");
    assert!(text.contains("? not checked"), "{text}");
    assert!(!text.contains(PLANTED), "the secret's value was printed");

    // AND in Japanese, with the same exit code
    let mut ja = args_ref.clone();
    ja.extend(["--lang", "ja"]);
    let out = cli(&moto, &ja);
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    assert!(text.contains("✘ 問題あり"), "{text}");
    assert!(text.contains("結果: "), "{text}");
}

#[tokio::test]
async fn a_registered_definition_and_its_service_are_read_from_ecs() {
    // GIVEN the healthy definition registered in ECS, and a service in the NAT'd subnet
    let moto = Moto::start();
    let account = account(&moto).await;
    let sdk = moto.sdk_config().await;
    let ecs = aws_sdk_ecs::Client::new(&sdk);
    let definition = definition(&account, true);
    let containers = definition["containerDefinitions"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let mut b = aws_sdk_ecs::types::ContainerDefinition::builder()
                .name(c["name"].as_str().unwrap_or_default())
                .image(c["image"].as_str().unwrap_or_default())
                .essential(c["essential"].as_bool().unwrap_or(true))
                .memory_reservation(64);
            for s in c["secrets"].as_array().cloned().unwrap_or_default() {
                b = b.secrets(
                    aws_sdk_ecs::types::Secret::builder()
                        .name(s["name"].as_str().unwrap_or_default())
                        .value_from(s["valueFrom"].as_str().unwrap_or_default())
                        .build()
                        .expect("secret"),
                );
            }
            b.build()
        })
        .collect::<Vec<_>>();
    ecs.register_task_definition()
        .family("web")
        .network_mode(aws_sdk_ecs::types::NetworkMode::Awsvpc)
        .requires_compatibilities(aws_sdk_ecs::types::Compatibility::Fargate)
        .cpu("512")
        .memory("1024")
        .execution_role_arn(format!("arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole"))
        .set_container_definitions(Some(containers))
        .send()
        .await
        .expect("register");
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    ecs.create_service()
        .cluster("prod")
        .service_name("web")
        .task_definition("web:1")
        .desired_count(1)
        .launch_type(aws_sdk_ecs::types::LaunchType::Fargate)
        .network_configuration(
            aws_sdk_ecs::types::NetworkConfiguration::builder()
                .awsvpc_configuration(
                    aws_sdk_ecs::types::AwsVpcConfiguration::builder()
                        .subnets(&account.private_subnet)
                        .security_groups(&account.task_sg)
                        .build()
                        .expect("awsvpc"),
                )
                .build(),
        )
        .send()
        .await
        .expect("service");

    // WHEN `check` reads web:1 and the service
    let out = cli(
        &moto,
        &[
            "check",
            "--task-definition",
            "web:1",
            "--cluster",
            "prod",
            "--service",
            "web",
            "--format",
            "json",
        ],
    );
    let text = stdout(&out);
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}\n{}", stderr(&out)));

    // THEN the definition came from ECS, the service exists, and its private subnet has no path
    assert_eq!(report["taskDefinition"], "web:1", "{text}");
    assert_eq!(status(&report, "ecs.service"), ["ok"], "{text}");
    assert_eq!(status(&report, "ecr.image-tag"), ["ok"], "{text}");
    assert_eq!(status(&report, "ec2.network-path"), ["problem"], "{text}");
    assert_eq!(out.status.code(), Some(3));
    assert!(!text.contains(PLANTED));

    // AND a service that does not exist is a problem, not an error
    let out = cli(
        &moto,
        &[
            "check",
            "--task-definition",
            "web:1",
            "--cluster",
            "prod",
            "--service",
            "gone",
            "--format",
            "json",
        ],
    );
    let report: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(status(&report, "ecs.service"), ["problem"]);
}

#[tokio::test]
async fn errors_exit_1_and_ecs_refusals_are_explained() {
    let moto = Moto::start();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--task-definition".into(), "nosuchfamily:3".into()],
            "ecs:DescribeTaskDefinition nosuchfamily:3",
        ),
        (
            vec!["--task-definition".into(), "./no/such/taskdef.json".into()],
            "cannot read ./no/such/taskdef.json",
        ),
        (
            vec![
                "--task-definition".into(),
                write("not-a-definition.json", &json!({"family": "web"}))
                    .display()
                    .to_string(),
            ],
            "no `containerDefinitions`",
        ),
    ];
    for (args, needle) in cases {
        let mut all = vec!["check".to_string()];
        all.extend(args);
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = cli(&moto, &all);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{all:?}: {err}");
        let lines: Vec<&str> = err.lines().collect();
        assert!(lines[0].starts_with("ecs-doctor: error: "), "{err}");
        assert!(lines[0].contains(needle), "{err}");
        // ECS's own refusal gets one more line from the API-error rules; nothing else does.
        if needle.starts_with("ecs:") {
            assert_eq!(lines.len(), 2, "{err}");
            assert!(lines[1].contains("(api-error.task-definition-not-found)"), "{err}");
        } else {
            assert_eq!(lines.len(), 1, "{err}");
        }
        assert!(out.stdout.is_empty());
    }

    // No credentials at all: one line, before any check runs.
    let file = write(
        "offline.json",
        &json!({"containerDefinitions": [{"name": "a", "image": "nginx"}]}),
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-doctor"))
        .env_clear()
        .env("AWS_REGION", REGION)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/ecs-doctor-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ecs-doctor-test")
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .args(["check", "--task-definition", &file.display().to_string()])
        .output()
        .expect("run");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("ecs-doctor: error: no AWS credentials found"), "{err}");

    // --offline needs none of it.
    let out = Command::new(env!("CARGO_BIN_EXE_ecs-doctor"))
        .env_clear()
        .args(["check", "--offline", "--task-definition", &file.display().to_string()])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.lines()
            .any(|l| l.starts_with("✘ problem") && l.contains("definition.container-memory")),
        "{text}"
    );
}
