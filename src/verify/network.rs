//! The task's network path to what it had to reach (registry, S3, Secrets Manager, SSM,
//! CloudWatch Logs), decided from plain facts about its subnet, route table, VPC endpoints and
//! security groups; and the free addresses of its subnets.
//!
//! One question per finding: which single path is broken. A path works through the internet
//! (a NAT gateway, or an internet gateway with a public IP) or through a VPC endpoint of the
//! service (interface endpoints with private DNS and an open 443, the S3 gateway endpoint on
//! the subnet's route table); the security groups must let 443 out either way.

use crate::diagnose::{Category, Lang, Tr};
use crate::incident::{Incident, TaskDefinition};
use crate::verify::Check;

/// What the default route (0.0.0.0/0) of the subnet's route table points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefaultRoute {
    InternetGateway(String),
    NatGateway(String),
    TransitGateway(String),
    Peering(String),
    /// Any other target (a network interface, an appliance, a VPN gateway): `kind id`.
    Other(String),
    /// The route exists but its target is gone (state `blackhole`).
    Blackhole(String),
    /// No default route at all.
    None,
}

impl DefaultRoute {
    fn describe(&self) -> String {
        match self {
            Self::InternetGateway(id) | Self::NatGateway(id) | Self::TransitGateway(id) | Self::Peering(id) => {
                id.clone()
            }
            Self::Other(target) => target.clone(),
            Self::Blackhole(id) => format!("{id} (blackhole)"),
            Self::None => "none".into(),
        }
    }
}

/// Where a security group rule lets traffic go (egress) or come from (ingress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    Cidr(String),
    PrefixList(String),
    Group(String),
}

/// One security group rule, reduced to the ports it covers and its peers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    /// `None`: all traffic (protocol -1); otherwise the TCP port range.
    pub ports: Option<(i32, i32)>,
    /// True for protocol `tcp` or `-1`; UDP/ICMP rules never carry HTTPS.
    pub tcp: bool,
    pub peers: Vec<Peer>,
}

impl Permission {
    pub fn covers(&self, port: i32) -> bool {
        self.tcp && self.ports.is_none_or(|(from, to)| from <= port && port <= to)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityGroup {
    pub id: String,
    pub ingress: Vec<Permission>,
    pub egress: Vec<Permission>,
}

/// A VPC endpoint, with its service in short form (`ecr.api`, `s3`, `logs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    pub id: String,
    pub service: String,
    /// `Interface` or `Gateway`.
    pub gateway: bool,
    pub private_dns: bool,
    /// `available`, `pending`, …; only `available` endpoints carry traffic.
    pub state: String,
    pub security_groups: Vec<String>,
    pub route_tables: Vec<String>,
}

/// Whether the task had a public IP, and how we know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicIp {
    /// Seen on the task's network interface.
    Yes(String),
    No,
    /// The interface is gone; the subnet's or the service's setting says what it would get.
    Setting(bool, &'static str),
    Unknown,
}

impl PublicIp {
    fn has(&self) -> Option<bool> {
        match self {
            Self::Yes(_) => Some(true),
            Self::No => Some(false),
            Self::Setting(v, _) => Some(*v),
            Self::Unknown => None,
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Yes(ip) => format!("yes ({ip})"),
            Self::No => "no".into(),
            Self::Setting(v, from) => format!("{} ({from})", if *v { "yes" } else { "no" }),
            Self::Unknown => "unknown".into(),
        }
    }
}

/// Everything the network checks saw, as plain values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkFacts {
    pub region: String,
    pub subnet_id: String,
    pub vpc_id: String,
    pub availability_zone: Option<String>,
    pub subnet_cidr: Option<String>,
    pub vpc_cidr: Option<String>,
    pub public_ip: PublicIp,
    pub route_table: String,
    /// The route table is the VPC's main table (the subnet has no association of its own).
    pub main_route_table: bool,
    pub default_route: DefaultRoute,
    pub endpoints: Vec<Endpoint>,
    /// The task's security groups; `None` when the interface is gone and nothing else names them.
    pub task_groups: Option<Vec<SecurityGroup>>,
    /// The endpoints' security groups, by id.
    pub endpoint_groups: Vec<SecurityGroup>,
    /// The id of the Region's S3 prefix list (`com.amazonaws.<region>.s3`), when known.
    pub s3_prefix_list: Option<String>,
}

/// What the task had to reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    EcrApi,
    EcrDkr,
    /// ECR's layers, served from S3.
    S3,
    SecretsManager,
    Ssm,
    Logs,
    /// A registry outside AWS (Docker Hub, ghcr.io, …): only the internet reaches it.
    Internet,
}

impl Service {
    /// The endpoint service's short name (`com.amazonaws.<region>.` stripped).
    pub fn endpoint(self) -> Option<&'static str> {
        Some(match self {
            Self::EcrApi => "ecr.api",
            Self::EcrDkr => "ecr.dkr",
            Self::S3 => "s3",
            Self::SecretsManager => "secretsmanager",
            Self::Ssm => "ssm",
            Self::Logs => "logs",
            Self::Internet => return None,
        })
    }

    fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::EcrApi, _) => "ECR API (ecr.api)",
            (Self::EcrDkr, _) => "ECR registry (ecr.dkr)",
            (Self::S3, Lang::En) => "S3 (ECR image layers)",
            (Self::S3, Lang::Ja) => "S3 (ECR のイメージレイヤー)",
            (Self::SecretsManager, _) => "Secrets Manager",
            (Self::Ssm, _) => "Systems Manager (ssm)",
            (Self::Logs, _) => "CloudWatch Logs",
            (Self::Internet, Lang::En) => "the public registry",
            (Self::Internet, Lang::Ja) => "パブリックレジストリ",
        }
    }
}

/// The endpoint service names listed in facts, in this order.
pub const LISTED_ENDPOINTS: &[&str] = &["ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager", "ssm", "kms"];

/// The short name of an endpoint service: `com.amazonaws.us-east-1.ecr.api` → `ecr.api`.
pub fn short_service(name: &str, region: &str) -> String {
    let prefix = format!("com.amazonaws.{region}.");
    name.strip_prefix(&prefix).unwrap_or(name).to_string()
}

/// True for an Amazon ECR private registry host (`<account>.dkr.ecr.<region>.amazonaws.com`).
pub fn is_ecr_image(image: &str) -> bool {
    let host = image.split('/').next().unwrap_or_default();
    image.contains('/')
        && host.contains(".dkr.ecr")
        && (host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn"))
}

/// What the task of `incident` had to reach for a finding of `category`.
pub fn needs(category: Category, incident: &Incident) -> Vec<Service> {
    let definition = incident.task_definition.as_ref();
    match category {
        Category::ImagePullNetwork => {
            let images: Vec<&str> = match definition {
                Some(d) => d.containers.iter().filter_map(|c| c.image.as_deref()).collect(),
                None => incident
                    .task
                    .iter()
                    .flat_map(|t| t.containers.iter())
                    .filter_map(|c| c.image.as_deref())
                    .collect(),
            };
            let mut out = Vec::new();
            if images.iter().any(|i| is_ecr_image(i)) || images.is_empty() {
                out.extend([Service::EcrApi, Service::EcrDkr, Service::S3]);
            }
            if images.iter().any(|i| !is_ecr_image(i)) {
                out.push(Service::Internet);
            }
            out
        }
        Category::SecretsNetwork => {
            let (sm, ssm) = definition.map(secret_services).unwrap_or((true, true));
            let mut out = Vec::new();
            if sm {
                out.push(Service::SecretsManager);
            }
            if ssm {
                out.push(Service::Ssm);
            }
            out
        }
        Category::LoggingSetup => vec![Service::Logs],
        _ => Vec::new(),
    }
}

/// (Secrets Manager, SSM) referenced by the task definition's `secrets`; both when none are listed.
fn secret_services(definition: &TaskDefinition) -> (bool, bool) {
    let refs: Vec<&str> = definition
        .containers
        .iter()
        .flat_map(|c| c.secrets.iter())
        .map(|s| s.value_from.as_str())
        .collect();
    if refs.is_empty() {
        return (true, true);
    }
    let sm = refs.iter().any(|r| r.contains(":secretsmanager:"));
    let ssm = refs.iter().any(|r| !r.contains(":secretsmanager:"));
    (sm, ssm)
}

/// How a service is (or is not) reached.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Path {
    Internet,
    Endpoint(String),
    /// Beyond what this account shows (a transit gateway, a peering, an appliance).
    Unseen,
    Broken(Broken),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Broken {
    /// No route out and no endpoint for the service.
    NoRoute,
    /// The default route goes to an internet gateway, but the task has no public IP.
    NoPublicIp(String),
    /// The interface endpoint exists but private DNS is off, and nothing else reaches the service.
    NoPrivateDns(String),
    /// The interface endpoint's security groups do not let 443 in from the task.
    EndpointClosed(String),
    /// The S3 gateway endpoint exists but is not on the subnet's route table.
    GatewayNotRouted(String),
    /// The task's security groups let no 443 out towards the path.
    EgressClosed,
    /// The default route points at a target that no longer exists.
    Blackhole(String),
    /// An endpoint exists but is not `available`.
    EndpointState(String, String),
}

/// The checks of the network path (one result, id `ec2.network-path`).
pub fn judge(facts: &NetworkFacts, needs: &[Service], lang: Lang) -> Vec<Check> {
    let internet = internet_path(facts);
    let mut unseen = Vec::new();
    let mut reached = Vec::new();
    for &service in needs {
        match reach(facts, service, &internet) {
            Path::Broken(broken) => return vec![broken_check(facts, service, &broken, lang)],
            Path::Unseen => unseen.push(service),
            path => reached.push((service, path)),
        }
    }
    if !unseen.is_empty() {
        let names: Vec<&str> = unseen.iter().map(|s| s.name(lang)).collect();
        let summary = match lang {
            Lang::En => format!(
                "The default route of {} goes to {}; whether {} is reachable beyond it cannot be seen from this account.",
                facts.route_table,
                facts.default_route.describe(),
                names.join(", ")
            ),
            Lang::Ja => format!(
                "{} のデフォルトルートは {} に向いています。その先で {} に到達できるかは、このアカウントからは確認できません。",
                facts.route_table,
                facts.default_route.describe(),
                names.join("、")
            ),
        };
        return vec![with_facts(
            Check::new(ID, crate::verify::CheckStatus::NotChecked, summary),
            facts,
        )];
    }
    let via: Vec<String> = reached
        .iter()
        .map(|(s, p)| match p {
            Path::Endpoint(id) => format!("{} → {id}", s.endpoint().unwrap_or("internet")),
            _ => format!(
                "{} → {}",
                s.endpoint().unwrap_or("internet"),
                facts.default_route.describe()
            ),
        })
        .collect();
    let summary = match lang {
        Lang::En => format!(
            "The network path is open: subnet {} routes 0.0.0.0/0 to {}, and every service the task needed has a way through ({}).",
            facts.subnet_id,
            facts.default_route.describe(),
            via.join(", ")
        ),
        Lang::Ja => format!(
            "ネットワーク経路は開いています: サブネット {} の 0.0.0.0/0 は {} に向いており、タスクが必要とするサービスすべてに経路があります ({})。",
            facts.subnet_id,
            facts.default_route.describe(),
            via.join("、")
        ),
    };
    let uses_internet = reached.iter().any(|(_, p)| *p == Path::Internet);
    let disproves: &'static [&'static str] = match (&facts.default_route, uses_internet) {
        (DefaultRoute::NatGateway(_), true) => OPEN_VIA_NAT,
        (DefaultRoute::InternetGateway(_), true) => OPEN_VIA_IGW,
        _ => OPEN_VIA_ENDPOINTS,
    };
    vec![with_facts(Check::absent(ID, summary), facts).disproving(disproves)]
}

const ID: &str = "ec2.network-path";

/// Steps an open path through a NAT gateway disproves (words of the catalog's steps, both languages).
const OPEN_VIA_NAT: &[&str] = &[
    "nat gateway",
    "nat ゲートウェイ",
    "assignpublicip",
    "outbound https (443)",
    "アウトバウンドの https (443)",
    "s3 gateway endpoint",
    "s3 ゲートウェイエンドポイント",
];
const OPEN_VIA_IGW: &[&str] = &[
    "nat gateway",
    "nat ゲートウェイ",
    "assignpublicip",
    "outbound https (443)",
    "アウトバウンドの https (443)",
];
const OPEN_VIA_ENDPOINTS: &[&str] = &[
    "outbound https (443)",
    "アウトバウンドの https (443)",
    "s3 gateway endpoint",
    "s3 ゲートウェイエンドポイント",
];

/// How the task reaches the internet, if it does.
fn internet_path(facts: &NetworkFacts) -> Result<(), Broken> {
    match &facts.default_route {
        DefaultRoute::NatGateway(_) => Ok(()),
        DefaultRoute::InternetGateway(igw) => match facts.public_ip.has() {
            Some(false) => Err(Broken::NoPublicIp(igw.clone())),
            _ => Ok(()),
        },
        DefaultRoute::Blackhole(id) => Err(Broken::Blackhole(id.clone())),
        DefaultRoute::None => Err(Broken::NoRoute),
        DefaultRoute::TransitGateway(_) | DefaultRoute::Peering(_) | DefaultRoute::Other(_) => {
            Err(Broken::NoRoute) // replaced by `Unseen` in `reach`
        }
    }
}

fn route_unseen(facts: &NetworkFacts) -> bool {
    matches!(
        facts.default_route,
        DefaultRoute::TransitGateway(_) | DefaultRoute::Peering(_) | DefaultRoute::Other(_)
    )
}

fn reach(facts: &NetworkFacts, service: Service, internet: &Result<(), Broken>) -> Path {
    // An endpoint wins over the internet for its service: with private DNS on, the service's
    // name resolves to the endpoint (and the S3 gateway's routes are more specific than 0.0.0.0/0).
    let endpoint = service
        .endpoint()
        .and_then(|name| facts.endpoints.iter().find(|e| e.service == name));
    if let Some(e) = endpoint {
        if e.state != "available" {
            return Path::Broken(Broken::EndpointState(e.id.clone(), e.state.clone()));
        }
        if e.gateway {
            if e.route_tables.contains(&facts.route_table) {
                return if egress_open(facts, Target::S3) {
                    Path::Endpoint(e.id.clone())
                } else {
                    Path::Broken(Broken::EgressClosed)
                };
            }
            if internet.is_err() && !route_unseen(facts) {
                return Path::Broken(Broken::GatewayNotRouted(e.id.clone()));
            }
        } else if e.private_dns {
            if !endpoint_open(facts, e) {
                return Path::Broken(Broken::EndpointClosed(e.id.clone()));
            }
            return if egress_open(facts, Target::Vpc(e)) {
                Path::Endpoint(e.id.clone())
            } else {
                Path::Broken(Broken::EgressClosed)
            };
        } else if internet.is_err() && !route_unseen(facts) {
            return Path::Broken(Broken::NoPrivateDns(e.id.clone()));
        }
    }
    if route_unseen(facts) {
        return Path::Unseen;
    }
    match internet {
        Ok(()) if egress_open(facts, Target::Internet) => Path::Internet,
        Ok(()) => Path::Broken(Broken::EgressClosed),
        Err(b) => Path::Broken(b.clone()),
    }
}

enum Target<'a> {
    Internet,
    S3,
    Vpc(&'a Endpoint),
}

/// Whether the task's security groups let TCP 443 out towards `target`. Unknown groups
/// (interface gone) count as open: we cannot blame what we did not see.
fn egress_open(facts: &NetworkFacts, target: Target<'_>) -> bool {
    let Some(groups) = &facts.task_groups else {
        return true;
    };
    groups
        .iter()
        .flat_map(|g| g.egress.iter())
        .filter(|p| p.covers(443))
        .any(|p| {
            p.peers.iter().any(|peer| match (peer, &target) {
                (Peer::Cidr(c), _) if c == "0.0.0.0/0" => true,
                (Peer::PrefixList(id), Target::S3) => facts.s3_prefix_list.as_deref().is_none_or(|pl| pl == id),
                (Peer::Cidr(c), Target::Vpc(_)) => facts.vpc_cidr.as_deref().is_some_and(|v| overlaps(c, v)),
                (Peer::Group(g), Target::Vpc(e)) => e.security_groups.contains(g),
                _ => false,
            })
        })
}

/// Whether an interface endpoint's security groups let 443 in from the task.
fn endpoint_open(facts: &NetworkFacts, endpoint: &Endpoint) -> bool {
    let groups: Vec<&SecurityGroup> = facts
        .endpoint_groups
        .iter()
        .filter(|g| endpoint.security_groups.contains(&g.id))
        .collect();
    if groups.is_empty() {
        return true; // not seen: do not blame it
    }
    let task_groups: Vec<&str> = facts.task_groups.iter().flatten().map(|g| g.id.as_str()).collect();
    groups
        .iter()
        .flat_map(|g| g.ingress.iter())
        .filter(|p| p.covers(443))
        .any(|p| {
            p.peers.iter().any(|peer| match peer {
                Peer::Cidr(c) => {
                    c == "0.0.0.0/0"
                        || facts
                            .subnet_cidr
                            .as_deref()
                            .or(facts.vpc_cidr.as_deref())
                            .is_some_and(|s| overlaps(c, s))
                }
                Peer::Group(g) => task_groups.contains(&g.as_str()) || facts.task_groups.is_none(),
                Peer::PrefixList(_) => false,
            })
        })
}

/// True when two IPv4 CIDR blocks share addresses.
pub fn overlaps(a: &str, b: &str) -> bool {
    match (cidr(a), cidr(b)) {
        (Some((na, la)), Some((nb, lb))) => {
            let len = la.min(lb);
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            na & mask == nb & mask
        }
        _ => false,
    }
}

fn cidr(text: &str) -> Option<(u32, u32)> {
    let (addr, len) = text.split_once('/')?;
    let len: u32 = len.parse().ok().filter(|l| *l <= 32)?;
    let ip: std::net::Ipv4Addr = addr.parse().ok()?;
    Some((u32::from(ip), len))
}

fn endpoints_fact(facts: &NetworkFacts) -> String {
    let listed: Vec<String> = LISTED_ENDPOINTS
        .iter()
        .filter_map(|name| facts.endpoints.iter().find(|e| e.service == *name))
        .map(|e| {
            if e.gateway {
                format!("{} (gateway)", e.service)
            } else {
                format!(
                    "{} (private DNS {})",
                    e.service,
                    if e.private_dns { "on" } else { "off" }
                )
            }
        })
        .collect();
    if listed.is_empty() {
        "none".into()
    } else {
        listed.join(", ")
    }
}

fn with_facts(check: Check, facts: &NetworkFacts) -> Check {
    let mut check = check.fact("subnet", &facts.subnet_id).fact("vpc", &facts.vpc_id);
    if let Some(az) = &facts.availability_zone {
        check = check.fact("availabilityZone", az);
    }
    let route_table = if facts.main_route_table {
        format!("{} (main)", facts.route_table)
    } else {
        facts.route_table.clone()
    };
    check = check
        .fact("publicIp", facts.public_ip.describe())
        .fact("routeTable", route_table)
        .fact("defaultRoute", facts.default_route.describe())
        .fact("endpoints", endpoints_fact(facts));
    if let Some(groups) = &facts.task_groups {
        let ids: Vec<&str> = groups.iter().map(|g| g.id.as_str()).collect();
        check = check.fact("securityGroups", ids.join(", "));
    }
    check
}

fn broken_check(facts: &NetworkFacts, service: Service, broken: &Broken, lang: Lang) -> Check {
    let name = service.name(lang);
    let subnet = &facts.subnet_id;
    let route = facts.default_route.describe();
    let endpoints = endpoints_fact(facts);
    let (summary, step) = match (lang, broken) {
        (Lang::En, Broken::NoRoute) => (
            match service {
                Service::Internet => format!("No path to {name}: private subnet {subnet} has no default route (default route: {route}), and VPC endpoints cannot reach a registry outside AWS."),
                Service::S3 => format!("No path to {name}: private subnet {subnet} (default route: {route}, no NAT); endpoints: {endpoints}; the S3 gateway endpoint is missing, so layer downloads from S3 fail."),
                _ => format!("No path to {name}: private subnet {subnet} (default route: {route}, no NAT), and the VPC has no `{}` endpoint (endpoints: {endpoints}).", service.endpoint().unwrap_or_default()),
            },
            match service {
                Service::Internet => format!("Route 0.0.0.0/0 of {} to a NAT gateway (or copy the image into ECR and add ECR endpoints).", facts.route_table),
                Service::S3 => format!("Add an S3 gateway endpoint to route table {} of subnet {subnet}.", facts.route_table),
                _ => format!("Add an interface endpoint `com.amazonaws.{}.{}` with private DNS to VPC {}, or route 0.0.0.0/0 of {} to a NAT gateway.", facts.region, service.endpoint().unwrap_or_default(), facts.vpc_id, facts.route_table),
            },
        ),
        (Lang::Ja, Broken::NoRoute) => (
            match service {
                Service::Internet => format!("{name}への経路がありません: プライベートサブネット {subnet} にはデフォルトルートがなく (デフォルトルート: {route})、AWS 外のレジストリには VPC エンドポイントでは届きません。"),
                Service::S3 => format!("{name}への経路がありません: プライベートサブネット {subnet} (デフォルトルート: {route}、NAT なし)。エンドポイント: {endpoints}。S3 ゲートウェイエンドポイントがないため、S3 からのレイヤーのダウンロードが失敗します。"),
                _ => format!("{name}への経路がありません: プライベートサブネット {subnet} (デフォルトルート: {route}、NAT なし) で、VPC に `{}` エンドポイントがありません (エンドポイント: {endpoints})。", service.endpoint().unwrap_or_default()),
            },
            match service {
                Service::Internet => format!("{} の 0.0.0.0/0 を NAT ゲートウェイに向けてください (またはイメージを ECR にコピーし、ECR のエンドポイントを追加してください)。", facts.route_table),
                Service::S3 => format!("サブネット {subnet} のルートテーブル {} に S3 ゲートウェイエンドポイントを追加してください。", facts.route_table),
                _ => format!("VPC {} にプライベート DNS 有効のインターフェイスエンドポイント `com.amazonaws.{}.{}` を追加するか、{} の 0.0.0.0/0 を NAT ゲートウェイに向けてください。", facts.vpc_id, facts.region, service.endpoint().unwrap_or_default(), facts.route_table),
            },
        ),
        (Lang::En, Broken::NoPublicIp(igw)) => (
            format!("No path to {name}: subnet {subnet} routes 0.0.0.0/0 to internet gateway {igw}, but the task has no public IP."),
            "Turn on `assignPublicIp` (ENABLED) in the service's or RunTask's network configuration, or move the task to a private subnet with a NAT gateway.".to_string(),
        ),
        (Lang::Ja, Broken::NoPublicIp(igw)) => (
            format!("{name}への経路がありません: サブネット {subnet} の 0.0.0.0/0 はインターネットゲートウェイ {igw} に向いていますが、タスクにパブリック IP がありません。"),
            "サービスまたは RunTask のネットワーク設定で `assignPublicIp` を ENABLED にするか、NAT ゲートウェイのあるプライベートサブネットにタスクを移してください。".to_string(),
        ),
        (Lang::En, Broken::NoPrivateDns(id)) => (
            format!("No path to {name}: endpoint {id} exists but private DNS is off, so the service's name does not resolve to it, and subnet {subnet} has no other way out (default route: {route})."),
            format!("Turn on private DNS for endpoint {id} (and DNS resolution and hostnames for VPC {}).", facts.vpc_id),
        ),
        (Lang::Ja, Broken::NoPrivateDns(id)) => (
            format!("{name}への経路がありません: エンドポイント {id} はありますがプライベート DNS が無効なため、サービス名がそこに解決されません。サブネット {subnet} には他の出口もありません (デフォルトルート: {route})。"),
            format!("エンドポイント {id} のプライベート DNS を有効にしてください (VPC {} の DNS 解決と DNS ホスト名も)。", facts.vpc_id),
        ),
        (Lang::En, Broken::EndpointClosed(id)) => (
            format!("No path to {name}: the security groups of endpoint {id} allow no inbound HTTPS (443) from the task."),
            format!("Allow inbound TCP 443 from the task's security group (or subnet {subnet}) on the security group of endpoint {id}."),
        ),
        (Lang::Ja, Broken::EndpointClosed(id)) => (
            format!("{name}への経路がありません: エンドポイント {id} のセキュリティグループがタスクからのインバウンド HTTPS (443) を許可していません。"),
            format!("エンドポイント {id} のセキュリティグループで、タスクのセキュリティグループ (またはサブネット {subnet}) からの TCP 443 のインバウンドを許可してください。"),
        ),
        (Lang::En, Broken::GatewayNotRouted(id)) => (
            format!("No path to {name}: S3 gateway endpoint {id} exists but is not associated with route table {} of subnet {subnet}, which has no NAT (default route: {route}).", facts.route_table),
            format!("Associate S3 gateway endpoint {id} with route table {}.", facts.route_table),
        ),
        (Lang::Ja, Broken::GatewayNotRouted(id)) => (
            format!("{name}への経路がありません: S3 ゲートウェイエンドポイント {id} はありますが、サブネット {subnet} のルートテーブル {} に関連付けられておらず、NAT もありません (デフォルトルート: {route})。", facts.route_table),
            format!("S3 ゲートウェイエンドポイント {id} をルートテーブル {} に関連付けてください。", facts.route_table),
        ),
        (Lang::En, Broken::EgressClosed) => (
            format!("No path to {name}: the task's security groups allow no outbound HTTPS (443) towards it."),
            "Allow outbound TCP 443 in the task's security group (to 0.0.0.0/0, or to the endpoints and the S3 prefix list).".to_string(),
        ),
        (Lang::Ja, Broken::EgressClosed) => (
            format!("{name}への経路がありません: タスクのセキュリティグループがそこへのアウトバウンド HTTPS (443) を許可していません。"),
            "タスクのセキュリティグループでアウトバウンドの TCP 443 (0.0.0.0/0、またはエンドポイントと S3 のプレフィックスリスト宛て) を許可してください。".to_string(),
        ),
        (Lang::En, Broken::Blackhole(id)) => (
            format!("No path to {name}: the default route of {} points at {id}, which no longer exists (blackhole).", facts.route_table),
            format!("Point 0.0.0.0/0 of {} at a working NAT gateway (the old target {id} is gone).", facts.route_table),
        ),
        (Lang::Ja, Broken::Blackhole(id)) => (
            format!("{name}への経路がありません: {} のデフォルトルートの宛先 {id} はもう存在しません (blackhole)。", facts.route_table),
            format!("{} の 0.0.0.0/0 を動作している NAT ゲートウェイに向けてください (以前の宛先 {id} は削除されています)。", facts.route_table),
        ),
        (Lang::En, Broken::EndpointState(id, state)) => (
            format!("No path to {name}: endpoint {id} is `{state}`, not `available`."),
            format!("Check endpoint {id} in the VPC console: it must be `available` (accept it, or recreate it)."),
        ),
        (Lang::Ja, Broken::EndpointState(id, state)) => (
            format!("{name}への経路がありません: エンドポイント {id} の状態が `available` ではなく `{state}` です。"),
            format!("VPC コンソールでエンドポイント {id} を確認してください。`available` である必要があります (承認するか、作り直してください)。"),
        ),
    };
    with_facts(Check::found(ID, summary), facts)
        .fact("blocked", service.endpoint().unwrap_or("internet"))
        .lead(step)
}

/// The free addresses of the task's subnets (eni-provisioning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetAddresses {
    pub subnet_id: String,
    pub availability_zone: Option<String>,
    pub cidr: Option<String>,
    pub available: i32,
}

const ADDRESSES_ID: &str = "ec2.subnet-addresses";

/// Steps that free addresses disprove.
const ADDRESSES_FREE: &[&str] = &[
    "free ip address",
    "空き ip アドレス",
    "larger subnet",
    "より大きいサブネット",
];

/// The subnets' free addresses: confirmed when every subnet is (nearly) full, ruled out otherwise.
pub fn judge_addresses(subnets: &[SubnetAddresses], lang: Lang) -> Vec<Check> {
    if subnets.is_empty() {
        return Vec::new();
    }
    let list: Vec<String> = subnets
        .iter()
        .map(|s| format!("{} {}", s.subnet_id, s.available))
        .collect();
    let full: Vec<&SubnetAddresses> = subnets.iter().filter(|s| s.available == 0).collect();
    let most = subnets.iter().map(|s| s.available).max().unwrap_or_default();
    let quota = Tr {
        en: "not exposed by EC2 (Service Quotas L-DF5E4CA3, not read)",
        ja: "EC2 API では取得できません (Service Quotas L-DF5E4CA3、未参照)",
    }
    .text(lang);
    let base = |c: Check| c.fact("freeAddresses", list.join(", ")).fact("eniQuota", quota);
    if full.len() == subnets.len() {
        let ids: Vec<&str> = full.iter().map(|s| s.subnet_id.as_str()).collect();
        let (summary, step) = match lang {
            Lang::En => (
                format!("No free IP addresses: subnet(s) {} have 0 available addresses, so no network interface can be created.", ids.join(", ")),
                format!("Free addresses in {} (delete unused network interfaces) or add subnets with room to the service's network configuration.", ids.join(", ")),
            ),
            Lang::Ja => (
                format!("空き IP アドレスがありません: サブネット {} の空きアドレスは 0 のため、ネットワークインターフェイスを作成できません。", ids.join("、")),
                format!("{} のアドレスを空ける (未使用のネットワークインターフェイスを削除する) か、余裕のあるサブネットをサービスのネットワーク設定に追加してください。", ids.join("、")),
            ),
        };
        return vec![base(Check::found(ADDRESSES_ID, summary)).lead(step)];
    }
    let summary = Tr {
        en: "The subnets have free IP addresses (up to {most} in one subnet); running out of addresses is not the cause.",
        ja: "サブネットには空き IP アドレスがあります (1 つのサブネットで最大 {most})。アドレス不足は原因ではありません。",
    }.fill(lang, &[("most", &most.to_string())]);
    vec![base(Check::absent(ADDRESSES_ID, summary)).disproving(ADDRESSES_FREE)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::CheckStatus;

    fn open_egress() -> SecurityGroup {
        SecurityGroup {
            id: "sg-task".into(),
            ingress: vec![],
            egress: vec![Permission {
                ports: None,
                tcp: true,
                peers: vec![Peer::Cidr("0.0.0.0/0".into())],
            }],
        }
    }

    fn endpoint(service: &str, gateway: bool) -> Endpoint {
        Endpoint {
            id: format!("vpce-{}", service.replace('.', "")),
            service: service.into(),
            gateway,
            private_dns: !gateway,
            state: "available".into(),
            security_groups: if gateway { vec![] } else { vec!["sg-vpce".into()] },
            route_tables: if gateway { vec!["rtb-1".into()] } else { vec![] },
        }
    }

    fn private(endpoints: Vec<Endpoint>) -> NetworkFacts {
        NetworkFacts {
            region: "us-east-1".into(),
            subnet_id: "subnet-1".into(),
            vpc_id: "vpc-1".into(),
            availability_zone: Some("us-east-1a".into()),
            subnet_cidr: Some("10.0.1.0/24".into()),
            vpc_cidr: Some("10.0.0.0/16".into()),
            public_ip: PublicIp::No,
            route_table: "rtb-1".into(),
            main_route_table: false,
            default_route: DefaultRoute::None,
            endpoints,
            task_groups: Some(vec![open_egress()]),
            endpoint_groups: vec![SecurityGroup {
                id: "sg-vpce".into(),
                ingress: vec![Permission {
                    ports: Some((443, 443)),
                    tcp: true,
                    peers: vec![Peer::Group("sg-task".into())],
                }],
                egress: vec![],
            }],
            s3_prefix_list: Some("pl-s3".into()),
        }
    }

    const ECR: &[Service] = &[Service::EcrApi, Service::EcrDkr, Service::S3];

    #[test]
    fn a_private_subnet_without_nat_or_endpoints_blocks_ecr() {
        let checks = judge(&private(vec![]), ECR, Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert!(
            checks[0]
                .summary
                .starts_with("No path to ECR API (ecr.api): private subnet subnet-1 (default route: none, no NAT)"),
            "{}",
            checks[0].summary
        );
        assert!(checks[0]
            .lead_step
            .as_deref()
            .is_some_and(|s| s.contains("com.amazonaws.us-east-1.ecr.api")));
        assert!(checks[0].facts.contains(&("endpoints".into(), "none".into())));
    }

    #[test]
    fn a_missing_s3_gateway_is_named() {
        let checks = judge(
            &private(vec![endpoint("ecr.api", false), endpoint("ecr.dkr", false)]),
            ECR,
            Lang::En,
        );
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert_eq!(
            checks[0].summary,
            "No path to S3 (ECR image layers): private subnet subnet-1 (default route: none, no NAT); endpoints: ecr.api (private DNS on), ecr.dkr (private DNS on); the S3 gateway endpoint is missing, so layer downloads from S3 fail."
        );
        let ja = judge(
            &private(vec![endpoint("ecr.api", false), endpoint("ecr.dkr", false)]),
            ECR,
            Lang::Ja,
        );
        assert!(
            ja[0].summary.contains("S3 ゲートウェイエンドポイントがない"),
            "{}",
            ja[0].summary
        );
    }

    #[test]
    fn a_full_endpoint_set_opens_the_path() {
        let facts = private(vec![
            endpoint("ecr.api", false),
            endpoint("ecr.dkr", false),
            endpoint("s3", true),
        ]);
        let checks = judge(&facts, ECR, Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Absent, "{}", checks[0].summary);
        assert_eq!(checks[0].disproves, OPEN_VIA_ENDPOINTS);
    }

    #[test]
    fn a_nat_route_opens_the_path_and_disproves_the_nat_steps() {
        let mut facts = private(vec![]);
        facts.default_route = DefaultRoute::NatGateway("nat-1".into());
        let checks = judge(&facts, ECR, Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Absent);
        assert!(
            checks[0].summary.contains("routes 0.0.0.0/0 to nat-1"),
            "{}",
            checks[0].summary
        );
        assert!(checks[0].disproves.contains(&"nat gateway"));
    }

    #[test]
    fn an_internet_gateway_without_public_ip_is_broken() {
        let mut facts = private(vec![]);
        facts.default_route = DefaultRoute::InternetGateway("igw-1".into());
        let checks = judge(&facts, &[Service::Logs], Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert!(checks[0]
            .summary
            .contains("internet gateway igw-1, but the task has no public IP"));
        facts.public_ip = PublicIp::Yes("3.3.3.3".into());
        assert_eq!(judge(&facts, &[Service::Logs], Lang::En)[0].status, CheckStatus::Absent);
    }

    #[test]
    fn endpoints_do_not_reach_a_public_registry() {
        let facts = private(vec![
            endpoint("ecr.api", false),
            endpoint("ecr.dkr", false),
            endpoint("s3", true),
        ]);
        let checks = judge(&facts, &[Service::Internet], Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert!(checks[0]
            .summary
            .contains("VPC endpoints cannot reach a registry outside AWS"));
    }

    #[test]
    fn closed_egress_and_closed_endpoint_groups_are_named() {
        let mut facts = private(vec![endpoint("logs", false)]);
        facts.endpoint_groups[0].ingress.clear();
        let checks = judge(&facts, &[Service::Logs], Lang::En);
        assert!(
            checks[0]
                .summary
                .contains("endpoint vpce-logs allow no inbound HTTPS (443)"),
            "{}",
            checks[0].summary
        );

        let mut facts = private(vec![]);
        facts.default_route = DefaultRoute::NatGateway("nat-1".into());
        facts.task_groups = Some(vec![SecurityGroup {
            id: "sg-task".into(),
            ingress: vec![],
            egress: vec![Permission {
                ports: Some((80, 80)),
                tcp: true,
                peers: vec![Peer::Cidr("0.0.0.0/0".into())],
            }],
        }]);
        let checks = judge(&facts, &[Service::Logs], Lang::En);
        assert!(
            checks[0].summary.contains("allow no outbound HTTPS (443)"),
            "{}",
            checks[0].summary
        );
    }

    #[test]
    fn the_s3_gateway_needs_the_route_table_and_the_prefix_list() {
        let mut facts = private(vec![
            endpoint("ecr.api", false),
            endpoint("ecr.dkr", false),
            endpoint("s3", true),
        ]);
        facts.endpoints[2].route_tables = vec!["rtb-other".into()];
        let checks = judge(&facts, ECR, Lang::En);
        assert!(
            checks[0].summary.contains("is not associated with route table rtb-1"),
            "{}",
            checks[0].summary
        );

        let mut facts = private(vec![
            endpoint("ecr.api", false),
            endpoint("ecr.dkr", false),
            endpoint("s3", true),
        ]);
        facts.task_groups = Some(vec![SecurityGroup {
            id: "sg-task".into(),
            ingress: vec![],
            egress: vec![Permission {
                ports: Some((443, 443)),
                tcp: true,
                peers: vec![Peer::Group("sg-vpce".into())],
            }],
        }]);
        let checks = judge(&facts, ECR, Lang::En);
        assert!(checks[0].summary.starts_with("No path to S3"), "{}", checks[0].summary);
        assert!(checks[0].summary.contains("outbound HTTPS"), "{}", checks[0].summary);
        if let Some(groups) = facts.task_groups.as_mut() {
            groups[0].egress[0].peers.push(Peer::PrefixList("pl-s3".into()));
        }
        assert_eq!(judge(&facts, ECR, Lang::En)[0].status, CheckStatus::Absent);
    }

    #[test]
    fn private_dns_off_without_nat_is_broken() {
        let mut facts = private(vec![endpoint("secretsmanager", false)]);
        facts.endpoints[0].private_dns = false;
        let checks = judge(&facts, &[Service::SecretsManager], Lang::Ja);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert!(
            checks[0].summary.contains("プライベート DNS が無効"),
            "{}",
            checks[0].summary
        );
    }

    #[test]
    fn a_transit_gateway_cannot_be_seen_through() {
        let mut facts = private(vec![]);
        facts.default_route = DefaultRoute::TransitGateway("tgw-1".into());
        let checks = judge(&facts, &[Service::Logs], Lang::En);
        assert_eq!(checks[0].status, CheckStatus::NotChecked);
        assert!(checks[0].summary.contains("tgw-1"));
    }

    #[test]
    fn blackhole_and_pending_endpoints_are_broken() {
        let mut facts = private(vec![]);
        facts.default_route = DefaultRoute::Blackhole("nat-gone".into());
        assert!(judge(&facts, &[Service::Logs], Lang::En)[0]
            .summary
            .contains("nat-gone, which no longer exists"));
        let mut facts = private(vec![endpoint("logs", false)]);
        facts.endpoints[0].state = "pendingAcceptance".into();
        assert!(judge(&facts, &[Service::Logs], Lang::En)[0]
            .summary
            .contains("`pendingAcceptance`"));
    }

    #[test]
    fn needs_follow_the_category_and_the_registry() {
        let mut incident = crate::fixture::Case::Reason("x").incident();
        incident.task_definition = Some(TaskDefinition {
            containers: vec![crate::incident::ContainerDefinition {
                name: "app".into(),
                image: Some("nginx:latest".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        assert_eq!(needs(Category::ImagePullNetwork, &incident), [Service::Internet]);
        assert_eq!(needs(Category::LoggingSetup, &incident), [Service::Logs]);
        assert_eq!(
            needs(Category::SecretsNetwork, &incident),
            [Service::SecretsManager, Service::Ssm]
        );
        assert!(is_ecr_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1"));
        assert!(!is_ecr_image("public.ecr.aws/nginx/nginx:1"));
        assert_eq!(short_service("com.amazonaws.us-east-1.ecr.dkr", "us-east-1"), "ecr.dkr");
        assert!(overlaps("10.0.0.0/16", "10.0.1.0/24"));
        assert!(!overlaps("10.1.0.0/16", "10.0.1.0/24"));
    }

    #[test]
    fn addresses() {
        let subnets = [SubnetAddresses {
            subnet_id: "subnet-1".into(),
            availability_zone: None,
            cidr: None,
            available: 0,
        }];
        let checks = judge_addresses(&subnets, Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Found);
        assert!(checks[0].summary.contains("subnet(s) subnet-1 have 0 available"));
        let mut roomy = subnets.to_vec();
        roomy[0].available = 250;
        let checks = judge_addresses(&roomy, Lang::En);
        assert_eq!(checks[0].status, CheckStatus::Absent);
        assert!(checks[0]
            .facts
            .contains(&("freeAddresses".into(), "subnet-1 250".into())));
    }
}
