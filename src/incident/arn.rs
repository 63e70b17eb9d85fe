//! The one reader of ARN text: its last segment ([`arn_name`]), its fields ([`ArnParts`]), the
//! cluster a task or service ARN names, and the ARN of a sibling resource. Here, below both
//! `config` and `aws`, so that no other module splits an ARN by hand.

/// The last segment of an ARN (`…:task/cluster/abc` → `abc`, `…:cluster/prod` → `prod`).
pub fn arn_name(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The fields of an ARN (`arn:partition:service:region:account:resource`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnParts<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

impl<'a> ArnParts<'a> {
    pub fn parse(arn: &'a str) -> Option<Self> {
        let mut parts = arn.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(ArnParts {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }

    /// The cluster a new-format task, service or container instance ARN names
    /// (`task/CLUSTER/ID`); `None` for the old format, which names none.
    pub fn cluster(&self) -> Option<&'a str> {
        let (kind, rest) = self.resource.split_once('/')?;
        let (cluster, _) = rest.split_once('/')?;
        matches!(kind, "task" | "service" | "container-instance").then_some(cluster)
    }

    /// The ARN of another resource of the same service, account and Region (`cluster/prod`).
    pub fn sibling(&self, resource: &str) -> String {
        format!(
            "arn:{}:{}:{}:{}:{resource}",
            self.partition, self.service, self.region, self.account
        )
    }
}

/// The Region an ARN names, when it names one.
pub fn region_of(arn: &str) -> Option<&str> {
    ArnParts::parse(arn).map(|a| a.region).filter(|r| !r.is_empty())
}

/// The account an ARN names, when it names one.
pub fn account_of(arn: &str) -> Option<&str> {
    ArnParts::parse(arn).map(|a| a.account).filter(|a| !a.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_name_takes_last_segment() {
        assert_eq!(arn_name("arn:aws:ecs:r:1:cluster/prod"), "prod");
        assert_eq!(arn_name("plain"), "plain");
    }

    #[test]
    fn arn_parts() {
        let arn = ArnParts::parse("arn:aws:ecs:eu-west-1:210987654321:cluster/prod").unwrap_or_else(|| panic!("parse"));
        assert_eq!(arn.region, "eu-west-1");
        assert_eq!(arn.account, "210987654321");
        assert_eq!(arn.resource, "cluster/prod");
        assert_eq!(ArnParts::parse("prod"), None);
    }

    #[test]
    fn the_cluster_of_a_task_or_service_arn_and_a_sibling() {
        let task = ArnParts::parse("arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c").expect("an ARN");
        assert_eq!(task.cluster(), Some("prod"));
        assert_eq!(
            task.sibling("cluster/prod"),
            "arn:aws:ecs:us-east-1:123456789012:cluster/prod"
        );
        let service = ArnParts::parse("arn:aws-cn:ecs:cn-north-1:1:service/batch/web").expect("an ARN");
        assert_eq!(service.cluster(), Some("batch"));
        // The old formats name no cluster.
        assert_eq!(
            ArnParts::parse("arn:aws:ecs:us-east-1:1:task/0a1b2c").and_then(|a| a.cluster()),
            None
        );
        assert_eq!(
            ArnParts::parse("arn:aws:ecs:us-east-1:1:service/web").and_then(|a| a.cluster()),
            None
        );
        assert_eq!(region_of("arn:aws:ecs:eu-west-1:1:cluster/x"), Some("eu-west-1"));
        assert_eq!(account_of("arn:aws:iam::210987654321:role/r"), Some("210987654321"));
        assert_eq!(region_of("arn:aws:iam::210987654321:role/r"), None);
        assert_eq!(account_of("prod"), None);
    }
}
