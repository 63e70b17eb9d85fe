use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "api-error.cluster-not-found",
        fires: &[
            ApiError { action: "CreateService", code: "ClusterNotFoundException", message: "Cluster not found." },
            Text("An error occurred (ClusterNotFoundException) when calling the RunTask operation: Cluster not found."),
        ],
        misses: &[Text("CannotPullContainerError: cluster not found in registry mirror list")],
    },
    RuleCase {
        rule: "api-error.service-not-found",
        fires: &[
            ApiError { action: "UpdateService", code: "ServiceNotActiveException", message: "Service was not ACTIVE." },
            ApiError { action: "UpdateService", code: "ServiceNotFoundException", message: "Service not found." },
        ],
        misses: &[ApiError { action: "UpdateService", code: "ClusterNotFoundException", message: "Cluster not found." }],
    },
    RuleCase {
        rule: "api-error.task-definition-not-found",
        fires: &[
            ApiError { action: "RunTask", code: "ClientException", message: "Unable to describe task definition." },
            Text("operation error ECS: CreateService, https response error StatusCode: 400, api error ClientException: Task definition does not exist."),
        ],
        misses: &[ApiError { action: "RegisterTaskDefinition", code: "ClientException", message: "Container.image should not be null or empty." }],
    },
    RuleCase {
        rule: "api-error.pass-role",
        fires: &[ApiError {
            action: "RegisterTaskDefinition",
            code: "AccessDeniedException",
            message: "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/app-task",
        }],
        misses: &[ApiError {
            action: "RegisterTaskDefinition",
            code: "AccessDeniedException",
            message: "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: ecs:RegisterTaskDefinition on resource: *",
        }],
    },
    RuleCase {
        rule: "api-error.agent-denied",
        fires: &[ApiError {
            action: "RegisterContainerInstance",
            code: "AccessDeniedException",
            message: "User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0abc is not authorized to perform: ecs:RegisterContainerInstance on resource: arn:aws:ecs:us-east-1:123456789012:cluster/prod",
        }],
        misses: &[ApiError {
            action: "CreateService",
            code: "AccessDeniedException",
            message: "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: ecs:CreateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web",
        }],
    },
    RuleCase {
        rule: "api-error.access-denied",
        fires: &[
            ApiError {
                action: "UpdateService",
                code: "AccessDeniedException",
                message: "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:123456789012:service/prod/web because no identity-based policy allows the ecs:UpdateService action",
            },
            Text("An error occurred (AccessDeniedException) when calling the DescribeServices operation: User is not authorized"),
        ],
        misses: &[Text("CannotPullContainerError: AccessDeniedException: User is not authorized to perform: ecr:BatchGetImage")],
    },
    RuleCase {
        rule: "api-error.role-not-usable",
        fires: &[
            ApiError { action: "CreateService", code: "InvalidParameterException", message: "Unable to assume the service linked role. Please verify that the ECS service linked role exists." },
            ApiError { action: "RegisterTaskDefinition", code: "ClientException", message: "Role is not valid" },
        ],
        misses: &[Text("ResourceInitializationError: unable to pull secrets or registry auth: unable to assume role")],
    },
    RuleCase {
        rule: "api-error.execution-role-required",
        fires: &[ApiError {
            action: "RegisterTaskDefinition",
            code: "ClientException",
            message: "Fargate requires task definition to have execution role ARN to support log driver awslogs.",
        }],
        misses: &[ApiError { action: "RegisterTaskDefinition", code: "ClientException", message: "Fargate only supports network mode 'awsvpc'." }],
    },
    RuleCase {
        rule: "api-error.launch-type-incompatible",
        fires: &[
            ApiError { action: "RegisterTaskDefinition", code: "ClientException", message: "Fargate only supports network mode 'awsvpc'." },
            ApiError { action: "RunTask", code: "PlatformUnknownException", message: "The specified platform does not exist." },
        ],
        misses: &[ApiError { action: "RunTask", code: "InvalidParameterException", message: "Network Configuration must be provided when networkMode 'awsvpc' is specified." }],
    },
    RuleCase {
        rule: "api-error.network-configuration",
        fires: &[
            ApiError { action: "RunTask", code: "InvalidParameterException", message: "Network Configuration must be provided when networkMode 'awsvpc' is specified." },
            ApiError { action: "CreateService", code: "InvalidParameterException", message: "subnets can not be empty." },
        ],
        misses: &[ApiError { action: "CreateService", code: "InvalidParameterException", message: "The target group with targetGroupArn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0a1b does not have an associated load balancer." }],
    },
    RuleCase {
        rule: "api-error.load-balancer",
        fires: &[ApiError {
            action: "CreateService",
            code: "InvalidParameterException",
            message: "The target group with targetGroupArn arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0a1b does not have an associated load balancer.",
        }],
        misses: &[Text("(service web) (task 0a1b) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0a1b) due to (reason Health checks failed).")],
    },
    RuleCase {
        rule: "api-error.service-side",
        fires: &[
            ApiError { action: "RunTask", code: "ServerException", message: "Service Unavailable. Please try again later." },
            ApiError { action: "UpdateService", code: "ThrottlingException", message: "Rate exceeded" },
        ],
        misses: &[Text("CannotPullContainerError: toomanyrequests: Rate exceeded")],
    },
    RuleCase {
        rule: "api-error.invalid-request",
        fires: &[
            ApiError { action: "RegisterTaskDefinition", code: "ClientException", message: "Container.image should not be null or empty." },
            ApiError { action: "CreateService", code: "InvalidParameterException", message: "Creation of service was not idempotent." },
        ],
        misses: &[Text("CannotStartContainerError: Error response from daemon: invalid parameter")],
    },
];
