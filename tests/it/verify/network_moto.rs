//! The network checks against a real moto server: private subnets without a NAT or endpoints,
//! an endpoint set missing the S3 gateway, their healthy twins (a full endpoint set, a NAT
//! gateway), a full subnet for ENI provisioning, and EFS mount targets and security groups.

use std::sync::Arc;

use crate::support::Moto;
use aws_sdk_ec2::types::{IpPermission, UserIdGroupPair, VpcEndpointType};
use ecs_doctor::aws::clients::Clients;
use ecs_doctor::aws::AwsVerifier;
use ecs_doctor::diagnose::{diagnose, Category, Finding, Lang};
use ecs_doctor::fixture::Case;
use ecs_doctor::incident::{Attachment, ContainerDefinition, EfsVolume, Incident, TaskDefinition, Volume};
use ecs_doctor::report::{self, Report};
use ecs_doctor::verify::{self, Check, CheckStatus, Verifier};

/// A VPC 10.0.0.0/16 with subnet 10.0.1.0/24 (us-east-1a) on its own route table with no
/// default route, a task security group (all egress) and the task's network interface.
struct Vpc {
    ec2: aws_sdk_ec2::Client,
    vpc: String,
    subnet: String,
    route_table: String,
    task_sg: String,
    eni: String,
}

async fn private_vpc(moto: &Moto) -> Vpc {
    let sdk = moto.sdk_config().await;
    let ec2 = aws_sdk_ec2::Client::new(&sdk);
    let vpc = ec2.create_vpc().cidr_block("10.0.0.0/16").send().await.expect("vpc");
    let vpc = vpc.vpc().and_then(|v| v.vpc_id()).expect("vpc id").to_string();
    let subnet = ec2
        .create_subnet()
        .vpc_id(&vpc)
        .cidr_block("10.0.1.0/24")
        .availability_zone("us-east-1a")
        .send()
        .await
        .expect("subnet");
    let subnet = subnet
        .subnet()
        .and_then(|s| s.subnet_id())
        .expect("subnet id")
        .to_string();
    let table = ec2.create_route_table().vpc_id(&vpc).send().await.expect("route table");
    let route_table = table
        .route_table()
        .and_then(|t| t.route_table_id())
        .expect("rtb id")
        .to_string();
    ec2.associate_route_table()
        .route_table_id(&route_table)
        .subnet_id(&subnet)
        .send()
        .await
        .expect("associate");
    let sg = ec2
        .create_security_group()
        .group_name("task")
        .description("task")
        .vpc_id(&vpc)
        .send()
        .await
        .expect("sg");
    let task_sg = sg.group_id().expect("sg id").to_string();
    let eni = ec2
        .create_network_interface()
        .subnet_id(&subnet)
        .groups(&task_sg)
        .send()
        .await
        .expect("eni");
    let eni = eni
        .network_interface()
        .and_then(|n| n.network_interface_id())
        .expect("eni id")
        .to_string();
    Vpc {
        ec2,
        vpc,
        subnet,
        route_table,
        task_sg,
        eni,
    }
}

impl Vpc {
    /// An interface endpoint with private DNS whose security group lets 443 in from the task.
    async fn interface_endpoint(&self, service: &str) -> String {
        let sg = self
            .ec2
            .create_security_group()
            .group_name(format!("vpce-{service}"))
            .description("endpoint")
            .vpc_id(&self.vpc)
            .send()
            .await
            .expect("endpoint sg");
        let sg = sg.group_id().expect("sg id").to_string();
        self.ec2
            .authorize_security_group_ingress()
            .group_id(&sg)
            .ip_permissions(
                IpPermission::builder()
                    .ip_protocol("tcp")
                    .from_port(443)
                    .to_port(443)
                    .user_id_group_pairs(UserIdGroupPair::builder().group_id(&self.task_sg).build())
                    .build(),
            )
            .send()
            .await
            .expect("ingress 443");
        let out = self
            .ec2
            .create_vpc_endpoint()
            .vpc_id(&self.vpc)
            .service_name(format!("com.amazonaws.us-east-1.{service}"))
            .vpc_endpoint_type(VpcEndpointType::Interface)
            .private_dns_enabled(true)
            .subnet_ids(&self.subnet)
            .security_group_ids(&sg)
            .send()
            .await
            .expect("interface endpoint");
        out.vpc_endpoint()
            .and_then(|e| e.vpc_endpoint_id())
            .expect("vpce id")
            .to_string()
    }

    async fn s3_gateway(&self) -> String {
        let out = self
            .ec2
            .create_vpc_endpoint()
            .vpc_id(&self.vpc)
            .service_name("com.amazonaws.us-east-1.s3")
            .vpc_endpoint_type(VpcEndpointType::Gateway)
            .route_table_ids(&self.route_table)
            .send()
            .await
            .expect("s3 gateway");
        out.vpc_endpoint()
            .and_then(|e| e.vpc_endpoint_id())
            .expect("vpce id")
            .to_string()
    }

    /// A NAT gateway (in a public subnet) as the private subnet's default route.
    async fn nat(&self) -> String {
        let public = self
            .ec2
            .create_subnet()
            .vpc_id(&self.vpc)
            .cidr_block("10.0.0.0/24")
            .availability_zone("us-east-1a")
            .send()
            .await
            .expect("public subnet");
        let public = public.subnet().and_then(|s| s.subnet_id()).expect("id").to_string();
        let eip = self.ec2.allocate_address().send().await.expect("eip");
        let nat = self
            .ec2
            .create_nat_gateway()
            .subnet_id(&public)
            .allocation_id(eip.allocation_id().expect("allocation"))
            .send()
            .await
            .expect("nat");
        let nat = nat
            .nat_gateway()
            .and_then(|n| n.nat_gateway_id())
            .expect("nat id")
            .to_string();
        self.ec2
            .create_route()
            .route_table_id(&self.route_table)
            .destination_cidr_block("0.0.0.0/0")
            .nat_gateway_id(&nat)
            .send()
            .await
            .expect("route");
        nat
    }

    /// The incident of a task in this subnet whose image pull (ECR) failed on the network.
    fn incident(&self, reason: &'static str) -> Incident {
        let mut incident = Case::Reason(reason).incident();
        if let Some(task) = incident.task.as_mut() {
            task.availability_zone = Some("us-east-1a".into());
            task.attachments = vec![Attachment {
                kind: "eni".into(),
                status: Some("ATTACHED".into()),
                details: vec![
                    ("subnetId".into(), self.subnet.clone()),
                    ("networkInterfaceId".into(), self.eni.clone()),
                    ("privateIPv4Address".into(), "10.0.1.20".into()),
                ],
            }];
        }
        incident.task_definition = Some(TaskDefinition {
            arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/app:7".into(),
            network_mode: Some("awsvpc".into()),
            containers: vec![ContainerDefinition {
                name: "app".into(),
                image: Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:2025.03.1".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        incident
    }
}

const PULL_TIMEOUT: &str = "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/checkout:2025.03.1: failed to do request: Head \"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/checkout/manifests/2025.03.1\": dial tcp 3.227.250.181:443: i/o timeout";

fn finding(incident: &Incident, lang: Lang, category: Category) -> Finding {
    let d = diagnose(incident, lang);
    d.findings
        .into_iter()
        .find(|f| f.category == category)
        .unwrap_or_else(|| panic!("no {category:?} finding"))
}

async fn verify(moto: &Moto, incident: &Incident, finding: &Finding, lang: Lang) -> Vec<Check> {
    let verifier = AwsVerifier::new(Arc::new(Clients::new(moto.sdk_config().await)));
    verifier.verify(incident, finding, lang).await
}

fn fact<'a>(check: &'a Check, name: &str) -> &'a str {
    check
        .facts
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no fact {name} in {:?}", check.facts))
}

#[tokio::test]
async fn a_private_subnet_with_no_nat_and_no_endpoints_is_confirmed() {
    // GIVEN a private subnet with no default route and no VPC endpoints
    let moto = Moto::start();
    let vpc = private_vpc(&moto).await;
    let incident = vpc.incident(PULL_TIMEOUT);
    let finding = finding(&incident, Lang::En, Category::ImagePullNetwork);

    // WHEN the finding is verified
    let checks = verify(&moto, &incident, &finding, Lang::En).await;

    // THEN the broken path is named with the facts seen
    assert_eq!(checks.len(), 1, "{checks:?}");
    let c = &checks[0];
    assert_eq!(c.id, "ec2.network-path");
    assert_eq!(c.status, CheckStatus::Found);
    assert_eq!(
        c.summary,
        format!("No path to ECR API (ecr.api): private subnet {} (default route: none, no NAT), and the VPC has no `ecr.api` endpoint (endpoints: none).", vpc.subnet)
    );
    assert_eq!(fact(c, "subnet"), vpc.subnet);
    assert_eq!(fact(c, "vpc"), vpc.vpc);
    assert_eq!(fact(c, "availabilityZone"), "us-east-1a");
    assert_eq!(fact(c, "publicIp"), "no");
    assert_eq!(fact(c, "routeTable"), vpc.route_table);
    assert_eq!(fact(c, "defaultRoute"), "none");
    assert_eq!(fact(c, "securityGroups"), vpc.task_sg);
    assert_eq!(
        c.lead_step.as_deref(),
        Some(format!("Add an interface endpoint `com.amazonaws.us-east-1.ecr.api` with private DNS to VPC {}, or route 0.0.0.0/0 of {} to a NAT gateway.", vpc.vpc, vpc.route_table).as_str())
    );
}

#[tokio::test]
async fn an_endpoint_set_missing_the_s3_gateway_is_confirmed_and_its_twin_ruled_out() {
    // GIVEN ecr.api and ecr.dkr interface endpoints but no S3 gateway endpoint
    let moto = Moto::start();
    let vpc = private_vpc(&moto).await;
    vpc.interface_endpoint("ecr.api").await;
    vpc.interface_endpoint("ecr.dkr").await;
    let incident = vpc.incident(PULL_TIMEOUT);

    // WHEN verified, in English and Japanese
    let en = verify(
        &moto,
        &incident,
        &finding(&incident, Lang::En, Category::ImagePullNetwork),
        Lang::En,
    )
    .await;
    let ja = verify(
        &moto,
        &incident,
        &finding(&incident, Lang::Ja, Category::ImagePullNetwork),
        Lang::Ja,
    )
    .await;

    // THEN the missing S3 gateway is the broken path
    assert_eq!(en[0].status, CheckStatus::Found);
    assert_eq!(
        en[0].summary,
        format!("No path to S3 (ECR image layers): private subnet {} (default route: none, no NAT); endpoints: ecr.api (private DNS on), ecr.dkr (private DNS on); the S3 gateway endpoint is missing, so layer downloads from S3 fail.", vpc.subnet)
    );
    assert_eq!(fact(&en[0], "blocked"), "s3");
    assert_eq!(
        ja[0].summary,
        format!("S3 (ECR のイメージレイヤー)への経路がありません: プライベートサブネット {} (デフォルトルート: none、NAT なし)。エンドポイント: ecr.api (private DNS on), ecr.dkr (private DNS on)。S3 ゲートウェイエンドポイントがないため、S3 からのレイヤーのダウンロードが失敗します。", vpc.subnet)
    );

    // GIVEN the healthy twin: the S3 gateway endpoint on the subnet's route table
    let s3 = vpc.s3_gateway().await;
    let checks = verify(
        &moto,
        &incident,
        &finding(&incident, Lang::En, Category::ImagePullNetwork),
        Lang::En,
    )
    .await;
    assert_eq!(checks[0].status, CheckStatus::Absent, "{}", checks[0].summary);
    assert!(
        checks[0].summary.contains(&format!("s3 → {s3}")),
        "{}",
        checks[0].summary
    );
    assert_eq!(
        fact(&checks[0], "endpoints"),
        "ecr.api (private DNS on), ecr.dkr (private DNS on), s3 (gateway)"
    );
}

#[tokio::test]
async fn a_nat_gateway_rules_the_path_out_and_drops_the_nat_steps() {
    // GIVEN the private subnet routes 0.0.0.0/0 to a NAT gateway
    let moto = Moto::start();
    let vpc = private_vpc(&moto).await;
    let nat = vpc.nat().await;
    let incident = vpc.incident(PULL_TIMEOUT);
    let mut diagnosis = Report::from(diagnose(&incident, Lang::En));
    assert_eq!(diagnosis.primary().category, Category::ImagePullNetwork);
    assert!(diagnosis
        .primary()
        .remediation
        .iter()
        .any(|s| s.contains("NAT gateway")));

    // WHEN the verify stage runs on the diagnosis
    let verifier = AwsVerifier::new(Arc::new(Clients::new(moto.sdk_config().await)));
    report::verify(&verifier, &incident, &mut diagnosis, verify::DEFAULT_BUDGET).await;

    // THEN the path is ruled out and no step tells anyone to add a NAT gateway
    let primary = diagnosis.primary();
    let c = &primary.checks[0];
    assert_eq!(c.status, CheckStatus::Absent, "{}", c.summary);
    assert_eq!(fact(c, "defaultRoute"), nat);
    assert!(
        c.summary.contains(&format!("routes 0.0.0.0/0 to {nat}")),
        "{}",
        c.summary
    );
    assert!(
        primary
            .remediation
            .iter()
            .all(|s| !s.contains("NAT gateway") && !s.contains("assignPublicIp")),
        "{:?}",
        primary.remediation
    );
    assert_eq!(primary.verdict(), verify::Verdict::RuledOut);
}

#[tokio::test]
async fn a_gone_interface_falls_back_to_the_subnet() {
    // GIVEN the task's interface was deleted (a stopped Fargate task's usually is)
    let moto = Moto::start();
    let vpc = private_vpc(&moto).await;
    vpc.ec2
        .delete_network_interface()
        .network_interface_id(&vpc.eni)
        .send()
        .await
        .expect("delete eni");
    let incident = vpc.incident(PULL_TIMEOUT);
    let checks = verify(
        &moto,
        &incident,
        &finding(&incident, Lang::En, Category::ImagePullNetwork),
        Lang::En,
    )
    .await;

    // THEN the path is still judged, from the subnet's own setting
    assert_eq!(checks[0].status, CheckStatus::Found);
    assert_eq!(fact(&checks[0], "publicIp"), "no (subnet MapPublicIpOnLaunch)");
    assert!(checks[0].facts.iter().all(|(k, _)| k != "securityGroups"));
}

#[tokio::test]
async fn a_full_subnet_is_confirmed_for_eni_provisioning_and_a_roomy_one_ruled_out() {
    // GIVEN a /28 subnet whose 11 usable addresses are all taken by network interfaces
    let moto = Moto::start();
    let vpc = private_vpc(&moto).await;
    let small = vpc
        .ec2
        .create_subnet()
        .vpc_id(&vpc.vpc)
        .cidr_block("10.0.9.0/28")
        .availability_zone("us-east-1b")
        .send()
        .await
        .expect("small subnet");
    let small = small.subnet().and_then(|s| s.subnet_id()).expect("id").to_string();
    for _ in 0..11 {
        vpc.ec2
            .create_network_interface()
            .subnet_id(&small)
            .send()
            .await
            .expect("eni");
    }
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
            details: vec![("subnetId".into(), small.clone())],
        }];
    }
    let f = finding(&incident, Lang::En, Category::EniProvisioning);

    // WHEN verified
    let checks = verify(&moto, &incident, &f, Lang::En).await;

    // THEN no free address is the confirmed cause
    assert_eq!(checks[0].id, "ec2.subnet-addresses");
    assert_eq!(checks[0].status, CheckStatus::Found);
    assert_eq!(
        checks[0].summary,
        format!("No free IP addresses: subnet(s) {small} have 0 available addresses, so no network interface can be created.")
    );
    assert_eq!(fact(&checks[0], "freeAddresses"), format!("{small} 0"));

    // AND the healthy twin (the /24 with one interface) is ruled out
    if let Some(task) = incident.task.as_mut() {
        task.attachments[0].details = vec![("subnetId".into(), vpc.subnet.clone())];
    }
    let checks = verify(&moto, &incident, &f, Lang::Ja).await;
    assert_eq!(checks[0].status, CheckStatus::Absent);
    assert_eq!(
        checks[0].summary,
        "サブネットには空き IP アドレスがあります (1 つのサブネットで最大 250)。アドレス不足は原因ではありません。"
    );
}

const EFS_REASON: &str = "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-0d2c4e6a8b1f3a5c7.efs.us-east-1.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. : unsuccessful EFS utils command execution; code: 1";

#[tokio::test]
async fn efs_mount_target_zone_and_nfs_rule() {
    // GIVEN a file system whose only mount target is in another zone
    let moto = Moto::start();
    let vpc = private_vpc(&moto).await;
    let sdk = moto.sdk_config().await;
    let efs = aws_sdk_efs::Client::new(&sdk);
    let fs = efs
        .create_file_system()
        .creation_token("media")
        .send()
        .await
        .expect("fs");
    let fs = fs.file_system_id().to_string();
    let other = vpc
        .ec2
        .create_subnet()
        .vpc_id(&vpc.vpc)
        .cidr_block("10.0.2.0/24")
        .availability_zone("us-east-1b")
        .send()
        .await
        .expect("subnet b");
    let other = other.subnet().and_then(|s| s.subnet_id()).expect("id").to_string();
    let efs_sg = vpc
        .ec2
        .create_security_group()
        .group_name("efs")
        .description("efs")
        .vpc_id(&vpc.vpc)
        .send()
        .await
        .expect("efs sg");
    let efs_sg = efs_sg.group_id().expect("id").to_string();
    efs.create_mount_target()
        .file_system_id(&fs)
        .subnet_id(&other)
        .security_groups(&efs_sg)
        .send()
        .await
        .expect("mount target b");
    let mut incident = vpc.incident(EFS_REASON);
    if let Some(d) = incident.task_definition.as_mut() {
        d.volumes = vec![Volume {
            name: "media".into(),
            efs: Some(EfsVolume {
                file_system_id: fs.clone(),
                ..Default::default()
            }),
            ..Default::default()
        }];
    }
    let f = finding(&incident, Lang::En, Category::EfsMount);

    // WHEN verified
    let checks = verify(&moto, &incident, &f, Lang::En).await;

    // THEN the missing mount target in us-east-1a is confirmed
    assert_eq!(checks.len(), 1, "{checks:?}");
    assert_eq!(checks[0].id, "efs.mount-target");
    assert_eq!(checks[0].status, CheckStatus::Found);
    assert_eq!(
        checks[0].summary,
        format!("File system {fs} has no mount target in the task's zone us-east-1a (subnet {}); mount targets: us-east-1b ({other}).", vpc.subnet)
    );

    // GIVEN a mount target in the task's subnet whose group allows no NFS from the task
    efs.create_mount_target()
        .file_system_id(&fs)
        .subnet_id(&vpc.subnet)
        .security_groups(&efs_sg)
        .send()
        .await
        .expect("mount target a");
    let checks = verify(&moto, &incident, &f, Lang::En).await;
    assert_eq!(checks[0].status, CheckStatus::Absent, "{}", checks[0].summary);
    assert_eq!(checks[1].id, "efs.security-group");
    assert_eq!(checks[1].status, CheckStatus::Found, "{}", checks[1].summary);
    assert!(
        checks[1].summary.ends_with(&format!(
            "({efs_sg}) allow no NFS (2049) from the task's security groups ({}).",
            vpc.task_sg
        )),
        "{}",
        checks[1].summary
    );

    // GIVEN the healthy twin: 2049 open from the task's security group
    vpc.ec2
        .authorize_security_group_ingress()
        .group_id(&efs_sg)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(2049)
                .to_port(2049)
                .user_id_group_pairs(UserIdGroupPair::builder().group_id(&vpc.task_sg).build())
                .build(),
        )
        .send()
        .await
        .expect("ingress 2049");
    let checks = verify(&moto, &incident, &f, Lang::En).await;
    assert!(checks.iter().all(|c| c.status == CheckStatus::Absent), "{checks:?}");
}
