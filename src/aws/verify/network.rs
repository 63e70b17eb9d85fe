//! Reads for the network checks: the task's interface, subnet, route table, VPC endpoints and
//! security groups (all `ec2:Describe*`), turned into [`NetworkFacts`].

use aws_sdk_ec2::types::{Filter, IpPermission, RouteState, VpcEndpointType};

use super::{error_code, service, unavailable, Ctx};
use crate::aws::clients::AccountClients;
use crate::diagnose::{Lang, Tr};
use crate::verify::network::{
    self, DefaultRoute, Endpoint, NetworkFacts, Peer, Permission, PublicIp, SecurityGroup, SubnetAddresses,
};
use crate::verify::{texts, Check, Unavailable};

const ID: &str = "ec2.network-path";

fn subject(lang: Lang) -> &'static str {
    Tr {
        en: "the task's network path",
        ja: "タスクのネットワーク経路",
    }
    .text(lang)
}

pub(super) async fn check(ctx: &Ctx<'_>) -> Vec<Check> {
    let needs = network::needs(ctx.finding.category, ctx.incident);
    if needs.is_empty() {
        return Vec::new();
    }
    match Box::pin(gather(ctx)).await {
        Ok(facts) => network::judge(&facts, &needs, ctx.lang),
        Err(why) => vec![Check::not_checked(ID, subject(ctx.lang), &why, ctx.lang)],
    }
}

/// The task's ENI id and subnet, from its attachment.
fn attachment(ctx: &Ctx<'_>) -> (Option<String>, Option<String>) {
    let task = ctx.incident.task.as_ref();
    let detail = |name: &str| task.and_then(|t| t.attachment_detail(name)).map(str::to_string);
    (detail("networkInterfaceId"), detail("subnetId"))
}

/// What the task's network interface says (security groups, public IP), if it still exists.
struct Interface {
    subnet: Option<String>,
    groups: Vec<String>,
    public_ip: Option<String>,
}

async fn interface(ctx: &Ctx<'_>, eni: &str) -> Result<Option<Interface>, Unavailable> {
    match ctx
        .aws
        .ec2()
        .describe_network_interfaces()
        .network_interface_ids(eni)
        .send()
        .await
    {
        Ok(out) => Ok(out.network_interfaces().first().map(|ni| Interface {
            subnet: ni.subnet_id().map(str::to_string),
            groups: ni
                .groups()
                .iter()
                .filter_map(|g| g.group_id())
                .map(str::to_string)
                .collect(),
            public_ip: ni.association().and_then(|a| a.public_ip()).map(str::to_string),
        })),
        Err(e) if error_code(&e) == Some("InvalidNetworkInterfaceID.NotFound") => Ok(None),
        Err(e) => Err(unavailable(e, "ec2:DescribeNetworkInterfaces")),
    }
}

pub(super) struct Subnet {
    pub id: String,
    pub vpc: String,
    pub zone: Option<String>,
    pub cidr: Option<String>,
    pub map_public_ip: bool,
    pub available: i32,
}

pub(super) async fn subnets(aws: &AccountClients, ids: &[String]) -> Result<Vec<Subnet>, Unavailable> {
    let out = aws
        .ec2()
        .describe_subnets()
        .set_subnet_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| {
            if error_code(&e) == Some("InvalidSubnetID.NotFound") {
                Unavailable::Gone(ids.join(", "))
            } else {
                unavailable(e, "ec2:DescribeSubnets")
            }
        })?;
    Ok(out
        .subnets()
        .iter()
        .map(|s| Subnet {
            id: s.subnet_id().unwrap_or_default().to_string(),
            vpc: s.vpc_id().unwrap_or_default().to_string(),
            zone: s.availability_zone().map(str::to_string),
            cidr: s.cidr_block().map(str::to_string),
            map_public_ip: s.map_public_ip_on_launch().unwrap_or(false),
            available: s.available_ip_address_count().unwrap_or_default(),
        })
        .collect())
}

fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}

/// The subnet's route table (its own association, else the VPC's main table) and its default route.
async fn route_table(
    aws: &AccountClients,
    vpc: &str,
    subnet: &str,
) -> Result<(String, bool, DefaultRoute), Unavailable> {
    let out = aws
        .ec2()
        .describe_route_tables()
        .filters(filter("vpc-id", vpc))
        .send()
        .await
        .map_err(|e| unavailable(e, "ec2:DescribeRouteTables"))?;
    let tables = out.route_tables();
    let own = tables
        .iter()
        .find(|t| t.associations().iter().any(|a| a.subnet_id() == Some(subnet)));
    let main = || {
        tables
            .iter()
            .find(|t| t.associations().iter().any(|a| a.main() == Some(true)))
    };
    let (table, is_main) = match own {
        Some(t) => (t, false),
        None => match main() {
            Some(t) => (t, true),
            None => return Err(Unavailable::Missing(format!("the route table of {subnet}"))),
        },
    };
    let default = table
        .routes()
        .iter()
        .find(|r| r.destination_cidr_block() == Some("0.0.0.0/0"))
        .map(|r| {
            let target = r
                .nat_gateway_id()
                .map(|id| DefaultRoute::NatGateway(id.into()))
                .or_else(|| r.transit_gateway_id().map(|id| DefaultRoute::TransitGateway(id.into())))
                .or_else(|| r.vpc_peering_connection_id().map(|id| DefaultRoute::Peering(id.into())))
                .or_else(|| {
                    r.gateway_id().map(|id| {
                        if id.starts_with("igw-") {
                            DefaultRoute::InternetGateway(id.into())
                        } else {
                            DefaultRoute::Other(id.into())
                        }
                    })
                })
                .or_else(|| r.network_interface_id().map(|id| DefaultRoute::Other(id.into())))
                .or_else(|| r.instance_id().map(|id| DefaultRoute::Other(id.into())))
                .unwrap_or(DefaultRoute::Other("unknown target".into()));
            if r.state() == Some(&RouteState::Blackhole) {
                let id = match target {
                    DefaultRoute::NatGateway(id)
                    | DefaultRoute::InternetGateway(id)
                    | DefaultRoute::TransitGateway(id)
                    | DefaultRoute::Peering(id)
                    | DefaultRoute::Other(id)
                    | DefaultRoute::Blackhole(id) => id,
                    DefaultRoute::None => String::new(),
                };
                DefaultRoute::Blackhole(id)
            } else {
                target
            }
        })
        .unwrap_or(DefaultRoute::None);
    Ok((table.route_table_id().unwrap_or_default().to_string(), is_main, default))
}

async fn endpoints(aws: &AccountClients, vpc: &str, region: &str) -> Result<Vec<Endpoint>, Unavailable> {
    let out = aws
        .ec2()
        .describe_vpc_endpoints()
        .filters(filter("vpc-id", vpc))
        .send()
        .await
        .map_err(|e| unavailable(e, "ec2:DescribeVpcEndpoints"))?;
    Ok(out
        .vpc_endpoints()
        .iter()
        .map(|e| Endpoint {
            id: e.vpc_endpoint_id().unwrap_or_default().to_string(),
            service: network::short_service(e.service_name().unwrap_or_default(), region),
            gateway: e.vpc_endpoint_type() == Some(&VpcEndpointType::Gateway),
            private_dns: e.private_dns_enabled().unwrap_or(false),
            state: e
                .state()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "available".into()),
            security_groups: e
                .groups()
                .iter()
                .filter_map(|g| g.group_id())
                .map(str::to_string)
                .collect(),
            route_tables: e.route_table_ids().to_vec(),
        })
        .collect())
}

fn permission(p: &IpPermission) -> Permission {
    let protocol = p.ip_protocol().unwrap_or("-1");
    let all = protocol == "-1";
    let mut peers: Vec<Peer> = p
        .ip_ranges()
        .iter()
        .filter_map(|r| r.cidr_ip())
        .map(|c| Peer::Cidr(c.to_string()))
        .collect();
    peers.extend(
        p.prefix_list_ids()
            .iter()
            .filter_map(|pl| pl.prefix_list_id())
            .map(|id| Peer::PrefixList(id.into())),
    );
    peers.extend(
        p.user_id_group_pairs()
            .iter()
            .filter_map(|g| g.group_id())
            .map(|id| Peer::Group(id.into())),
    );
    Permission {
        ports: if all {
            None
        } else {
            Some((p.from_port().unwrap_or(0), p.to_port().unwrap_or(65535)))
        },
        tcp: all || protocol.eq_ignore_ascii_case("tcp") || protocol == "6",
        peers,
    }
}

/// The security groups `ids`, with their rules.
pub(super) async fn security_groups(aws: &AccountClients, ids: &[String]) -> Result<Vec<SecurityGroup>, Unavailable> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let out = aws
        .ec2()
        .describe_security_groups()
        .set_group_ids(Some(ids.to_vec()))
        .send()
        .await
        .map_err(|e| unavailable(e, "ec2:DescribeSecurityGroups"))?;
    Ok(out
        .security_groups()
        .iter()
        .map(|g| SecurityGroup {
            id: g.group_id().unwrap_or_default().to_string(),
            ingress: g.ip_permissions().iter().map(permission).collect(),
            egress: g.ip_permissions_egress().iter().map(permission).collect(),
        })
        .collect())
}

async fn s3_prefix_list(aws: &AccountClients, region: &str) -> Option<String> {
    let out = aws
        .ec2()
        .describe_prefix_lists()
        .filters(filter("prefix-list-name", &format!("com.amazonaws.{region}.s3")))
        .send()
        .await
        .ok()?;
    out.prefix_lists()
        .first()
        .and_then(|p| p.prefix_list_id())
        .map(str::to_string)
}

async fn vpc_cidr(aws: &AccountClients, vpc: &str) -> Option<String> {
    let out = aws.ec2().describe_vpcs().vpc_ids(vpc).send().await.ok()?;
    out.vpcs().first().and_then(|v| v.cidr_block()).map(str::to_string)
}

/// The task's network interface, or what stands in for it once it is gone: the subnet from
/// the attachment or the service, the security groups and public IP setting of the service.
pub(super) struct TaskNetwork {
    pub subnet: String,
    pub groups: Option<Vec<String>>,
    pub public_ip: PublicIp,
}

pub(super) async fn task_network(ctx: &Ctx<'_>) -> Result<TaskNetwork, Unavailable> {
    let (eni, subnet) = attachment(ctx);
    let seen = match eni.as_deref() {
        Some(id) => interface(ctx, id).await?,
        None => None,
    };
    if let Some(ni) = seen {
        let subnet = ni
            .subnet
            .or(subnet)
            .ok_or_else(|| Unavailable::Missing("the task's subnet".into()))?;
        return Ok(TaskNetwork {
            subnet,
            groups: Some(ni.groups),
            public_ip: ni.public_ip.map(PublicIp::Yes).unwrap_or(PublicIp::No),
        });
    }
    // The interface is gone (a stopped Fargate task's usually is): the service still says
    // which security groups and public IP setting its tasks get.
    let service = match service::service_name(ctx) {
        Some(_) => service::describe(ctx).await.ok().flatten(),
        None => None,
    };
    let subnet = subnet
        .or_else(|| service.as_ref().and_then(|s| s.subnets.first().cloned()))
        .ok_or_else(|| match &eni {
            Some(id) => Unavailable::Gone(id.clone()),
            None => Unavailable::Missing(match ctx.lang {
                Lang::En => "the task's subnet (no awsvpc network interface)".to_string(),
                Lang::Ja => "タスクのサブネット (awsvpc のネットワークインターフェイスなし)".to_string(),
            }),
        })?;
    let groups = service
        .as_ref()
        .map(|s| s.security_groups.clone())
        .filter(|g| !g.is_empty());
    let public_ip = match service.as_ref().and_then(|s| s.assign_public_ip) {
        Some(v) => PublicIp::Setting(v, "service assignPublicIp"),
        None => PublicIp::Unknown,
    };
    Ok(TaskNetwork {
        subnet,
        groups,
        public_ip,
    })
}

async fn gather(ctx: &Ctx<'_>) -> Result<NetworkFacts, Unavailable> {
    let task = task_network(ctx).await?;
    facts(ctx.aws, task).await
}

/// What the network checks need to know about one subnet, its route table, the VPC's endpoints
/// and the security groups: for a failed task's interface, and for `ecs-doctor check`'s
/// planned subnets.
pub(super) async fn facts(aws: &AccountClients, task: TaskNetwork) -> Result<NetworkFacts, Unavailable> {
    let region = aws
        .target
        .region
        .clone()
        .or_else(|| aws.config().region().map(|r| r.to_string()))
        .unwrap_or_default();
    let subnet = subnets(aws, std::slice::from_ref(&task.subnet))
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| Unavailable::Gone(task.subnet.clone()))?;
    let public_ip = match task.public_ip {
        PublicIp::Unknown => PublicIp::Setting(subnet.map_public_ip, "subnet MapPublicIpOnLaunch"),
        known => known,
    };
    let (table, endpoints, prefix_list, vpc_cidr) = tokio::join!(
        route_table(aws, &subnet.vpc, &subnet.id),
        endpoints(aws, &subnet.vpc, &region),
        s3_prefix_list(aws, &region),
        vpc_cidr(aws, &subnet.vpc),
    );
    let (route_table, main_route_table, default_route) = table?;
    let endpoints = endpoints?;
    let endpoint_group_ids: Vec<String> = endpoints
        .iter()
        .filter(|e| !e.gateway)
        .flat_map(|e| e.security_groups.iter().cloned())
        .collect();
    let mut ids: Vec<String> = task.groups.clone().unwrap_or_default();
    ids.extend(endpoint_group_ids);
    ids.sort();
    ids.dedup();
    let groups = security_groups(aws, &ids).await?;
    let task_groups = task.groups.map(|wanted| {
        groups
            .iter()
            .filter(|g| wanted.contains(&g.id))
            .cloned()
            .collect::<Vec<_>>()
    });
    Ok(NetworkFacts {
        region,
        subnet_id: subnet.id,
        vpc_id: subnet.vpc,
        availability_zone: subnet.zone,
        subnet_cidr: subnet.cidr,
        vpc_cidr,
        public_ip,
        route_table,
        main_route_table,
        default_route,
        endpoints,
        task_groups,
        endpoint_groups: groups,
        s3_prefix_list: prefix_list,
    })
}

/// eni-provisioning: the free addresses of the task's subnets (from its attachment, else the
/// service's network configuration).
pub(super) async fn check_addresses(ctx: &Ctx<'_>) -> Vec<Check> {
    const ADDRESSES: &str = "ec2.subnet-addresses";
    let subject = texts::category_subject(ctx.finding.category, ctx.lang);
    let (_, subnet) = attachment(ctx);
    let ids: Vec<String> = match subnet {
        Some(s) => vec![s],
        None => match service::describe(ctx).await {
            Ok(Some(s)) if !s.subnets.is_empty() => s.subnets,
            Ok(_) => {
                let why = Unavailable::Missing(match ctx.lang {
                    Lang::En => "the task's or service's subnets".into(),
                    Lang::Ja => "タスクまたはサービスのサブネット".into(),
                });
                return vec![Check::not_checked(ADDRESSES, subject, &why, ctx.lang)];
            }
            Err(why) => return vec![Check::not_checked(ADDRESSES, subject, &why, ctx.lang)],
        },
    };
    match Box::pin(subnets(ctx.aws, &ids)).await {
        Ok(found) => {
            let list: Vec<SubnetAddresses> = found
                .into_iter()
                .map(|s| SubnetAddresses {
                    subnet_id: s.id,
                    availability_zone: s.zone,
                    cidr: s.cidr,
                    available: s.available,
                })
                .collect();
            network::judge_addresses(&list, ctx.lang)
        }
        Err(why) => vec![Check::not_checked(ADDRESSES, subject, &why, ctx.lang)],
    }
}
