use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

const CONFIG: &str = "SERVICE_TASK_CONFIGURATION_FAILURE";
const PLACEMENT: &str = "SERVICE_TASK_PLACEMENT_FAILURE";
const FAILED: &str = "SERVICE_DEPLOYMENT_FAILED";
const IN_PROGRESS: &str = "SERVICE_DEPLOYMENT_IN_PROGRESS";
const SLR: &str = "Unable to assume the service linked role. Please verify that the ECS service linked role exists.";
const TASK_ROLE: &str = "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/app-task' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.";
const ROLLBACK: &str = "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/0987654321.";
const BREAKER: &str = "ECS deployment circuit breaker: task failed to start.";
const REFRESH: &str = "Auto Scaling lifecycle hook: instance refresh";

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "service.linked-role-missing",
        fires: &[
            Service { event_type: "ERROR", event_name: CONFIG, reason: SLR },
            Text("InvalidParameterException: Unable to assume the service linked role. Please verify that the ECS service linked role exists."),
        ],
        misses: &[Service { event_type: "ERROR", event_name: CONFIG, reason: TASK_ROLE }],
    },
    RuleCase {
        rule: "service.task-role-assume-failed",
        fires: &[
            Service { event_type: "ERROR", event_name: CONFIG, reason: TASK_ROLE },
            Text("service web failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::123456789012:role/app-task' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.)"),
        ],
        misses: &[Service { event_type: "ERROR", event_name: CONFIG, reason: SLR }],
    },
    RuleCase {
        rule: "service.arn-format-opt-in",
        fires: &[
            Service {
                event_type: "ERROR",
                event_name: CONFIG,
                reason: "The new ARN and resource ID format must be enabled to add tags to the service. Opt in to the new format and try again.",
            },
            Text("InvalidParameterException: The new ARN and resource ID format must be enabled to propagate tags. Opt in to the new format and try again."),
        ],
        misses: &[Text("Invalid ARN format for the target group")],
    },
    RuleCase {
        rule: "service.target-unhealthy",
        fires: &[
            Text("(service web) (task 0123456789abcdef) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef) due to (reason Request timed out)."),
            Text("Health checks failed with these codes: [404]"),
        ],
        // The task's own stop reason is the task family's rule.
        misses: &[Stopped {
            reason: "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef)",
            stop_code: "ServiceSchedulerInitiated",
            exit: Some(143),
        }],
    },
    RuleCase {
        rule: "service.deployment-configuration-blocks",
        fires: &[
            Text("service web was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again."),
            Text("(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. update the minimumhealthypercent or maximumpercent value and try again."),
        ],
        misses: &[Text("service web has started 2 tasks: (task 5b1c3d4e) (task 6c2d4e5f).")],
    },
    RuleCase {
        rule: "service.protected-tasks-block-scale-in",
        fires: &[Text(
            "service web was unable to reach steady state because task set ecs-svc/1234567890 was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.",
        )],
        misses: &[Failure { action: "UpdateTaskProtection", reason: "DEPLOYMENT_BLOCKED" }],
    },
    RuleCase {
        rule: "service.task-configuration-failure",
        fires: &[
            Service { event_type: "ERROR", event_name: CONFIG, reason: "" },
            Text("SERVICE_TASK_CONFIGURATION_FAILURE"),
        ],
        misses: &[Service { event_type: "ERROR", event_name: CONFIG, reason: TASK_ROLE }],
    },
    RuleCase {
        rule: "service.task-placement-failure",
        fires: &[Service { event_type: "ERROR", event_name: PLACEMENT, reason: "" }],
        misses: &[
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:CPU" },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "AGENT" },
        ],
    },
    RuleCase {
        rule: "service.task-start-impaired",
        fires: &[
            Service { event_type: "WARN", event_name: "SERVICE_TASK_START_IMPAIRED", reason: "" },
            Text("service web is unable to consistently start tasks successfully."),
            Text("(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."),
        ],
        misses: &[Service { event_type: "INFO", event_name: "SERVICE_STEADY_STATE", reason: "" }],
    },
    RuleCase {
        rule: "service.daemon-placement-constraint-violated",
        fires: &[Service { event_type: "ERROR", event_name: "SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED", reason: "" }],
        misses: &[Failure { action: "DescribeTasks", reason: "TaskFailedToStart: MemberOf placement constraint unsatisfied" }],
    },
    RuleCase {
        rule: "service.ecs-throttled",
        fires: &[
            Service { event_type: "ERROR", event_name: "ECS_OPERATION_THROTTLED", reason: "" },
            Text("service web operations are being throttled. Will try again later."),
        ],
        misses: &[Service { event_type: "ERROR", event_name: "SERVICE_DISCOVERY_OPERATION_THROTTLED", reason: "" }],
    },
    RuleCase {
        rule: "service.discovery-throttled",
        fires: &[Service { event_type: "ERROR", event_name: "SERVICE_DISCOVERY_OPERATION_THROTTLED", reason: "" }],
        misses: &[Service { event_type: "ERROR", event_name: "ECS_OPERATION_THROTTLED", reason: "" }],
    },
    RuleCase {
        rule: "service.discovery-instance-unhealthy",
        fires: &[Service { event_type: "WARN", event_name: "SERVICE_DISCOVERY_INSTANCE_UNHEALTHY", reason: "" }],
        misses: &[Service { event_type: "WARN", event_name: "VPC_LATTICE_TARGET_UNHEALTHY", reason: "" }],
    },
    RuleCase {
        rule: "service.vpc-lattice-target-unhealthy",
        fires: &[Service { event_type: "WARN", event_name: "VPC_LATTICE_TARGET_UNHEALTHY", reason: "" }],
        misses: &[Service { event_type: "WARN", event_name: "SERVICE_DISCOVERY_INSTANCE_UNHEALTHY", reason: "" }],
    },
    RuleCase {
        rule: "deployment.rollback-in-progress",
        fires: &[
            Deployment { event_type: "INFO", event_name: IN_PROGRESS, reason: ROLLBACK },
            Text("ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/0987654321."),
        ],
        misses: &[
            Deployment { event_type: "INFO", event_name: IN_PROGRESS, reason: "ECS deployment ecs-svc/1234567890 in progress." },
            Deployment { event_type: "ERROR", event_name: FAILED, reason: ROLLBACK },
        ],
    },
    RuleCase {
        rule: "deployment.circuit-breaker",
        fires: &[
            Deployment { event_type: "ERROR", event_name: FAILED, reason: BREAKER },
            Deployment { event_type: "ERROR", event_name: FAILED, reason: ROLLBACK },
            Text("ECS Deployment Circuit Breaker: task failed to start."),
        ],
        misses: &[Deployment { event_type: "INFO", event_name: IN_PROGRESS, reason: ROLLBACK }],
    },
    RuleCase {
        rule: "deployment.failed",
        fires: &[Deployment { event_type: "ERROR", event_name: FAILED, reason: "" }],
        misses: &[Deployment { event_type: "ERROR", event_name: FAILED, reason: BREAKER }],
    },
    RuleCase {
        rule: "service.normal-operation",
        fires: &[
            Service { event_type: "INFO", event_name: "SERVICE_STEADY_STATE", reason: "" },
            Service { event_type: "INFO", event_name: "TASKSET_STEADY_STATE", reason: "" },
            Service { event_type: "INFO", event_name: "CAPACITY_PROVIDER_STEADY_STATE", reason: "" },
            Service { event_type: "INFO", event_name: "SERVICE_DESIRED_COUNT_UPDATED", reason: "" },
            Service { event_type: "INFO", event_name: "TASKS_STOPPED", reason: "" },
            Deployment { event_type: "INFO", event_name: IN_PROGRESS, reason: "ECS deployment ecs-svc/1234567890 in progress." },
            Deployment { event_type: "INFO", event_name: "SERVICE_DEPLOYMENT_COMPLETED", reason: "ECS deployment ecs-svc/1234567890 completed." },
        ],
        misses: &[Deployment { event_type: "INFO", event_name: IN_PROGRESS, reason: ROLLBACK }],
    },
    RuleCase {
        rule: "instance.trunk-interface-failed",
        fires: &[
            Instance {
                status: "REGISTRATION_FAILED",
                reason: "Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-0a1b2c3d4e5f': InvalidParameterValue",
                agent_connected: false,
            },
            Text("statusReason: Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-0f9e8d7c': InsufficientFreeAddressesInSubnet"),
        ],
        misses: &[
            Instance { status: "REGISTRATION_FAILED", reason: "", agent_connected: false },
            Text("An error occurred (InvalidSubnetID.NotFound) when calling the CreateNetworkInterface operation"),
        ],
    },
    RuleCase {
        rule: "instance.registration-failed",
        fires: &[Instance { status: "REGISTRATION_FAILED", reason: "", agent_connected: false }],
        misses: &[Instance { status: "REGISTERING", reason: "", agent_connected: true }],
    },
    RuleCase {
        rule: "instance.status-change-requested",
        fires: &[
            Instance { status: "DRAINING", reason: REFRESH, agent_connected: true },
            Instance { status: "INACTIVE", reason: "Scale-in of the Auto Scaling group", agent_connected: false },
        ],
        misses: &[Instance { status: "DRAINING", reason: "", agent_connected: true }],
    },
    RuleCase {
        rule: "instance.draining",
        fires: &[
            Instance { status: "DRAINING", reason: "", agent_connected: true },
            Instance { status: "DRAINING", reason: "", agent_connected: false },
        ],
        misses: &[
            Instance { status: "DRAINING", reason: REFRESH, agent_connected: true },
            Text("DRAINING"),
        ],
    },
    RuleCase {
        rule: "instance.deregistered",
        fires: &[
            Instance { status: "INACTIVE", reason: "", agent_connected: false },
            Instance { status: "DEREGISTERING", reason: "", agent_connected: true },
        ],
        misses: &[Failure { action: "StartTask", reason: "INACTIVE" }],
    },
    RuleCase {
        rule: "task.instance-deregistered",
        fires: &[Text("Container instance deregistration forced by user")],
        misses: &[Instance { status: "DEREGISTERING", reason: "", agent_connected: true }],
    },
    RuleCase {
        rule: "instance.agent-registration-failed",
        fires: &[
            Text("Agent will terminally exit, unable to register container instance: ClientException: Cluster not found."),
            Text("Instance registration attempt with an invalid parameter: reserved memory is higher than available memory on the host"),
        ],
        misses: &[Text("Instance registration completed successfully")],
    },
    RuleCase {
        rule: "instance.agent-backend-unreachable",
        fires: &[
            Text("Error connecting to ACS: dial tcp 203.0.113.5:443: connect: connection timed out"),
            Text("Error getting message from ws backend: error: [websocket: close 1006 (abnormal closure)], messageType: [-1]"),
        ],
        misses: &[Text("Reconnecting to ACS immediately without waiting")],
    },
    RuleCase {
        rule: "instance.agent-disconnected",
        fires: &[Instance { status: "ACTIVE", reason: "", agent_connected: false }],
        misses: &[
            Instance { status: "ACTIVE", reason: "", agent_connected: true },
            Instance { status: "DRAINING", reason: "", agent_connected: false },
        ],
    },
    RuleCase {
        rule: "instance.healthy",
        fires: &[
            Instance { status: "ACTIVE", reason: "", agent_connected: true },
            Instance { status: "REGISTERING", reason: "", agent_connected: true },
        ],
        misses: &[Instance { status: "ACTIVE", reason: "", agent_connected: false }],
    },
    RuleCase {
        rule: "deployment.family",
        fires: &[
            Text("Deployment failed: the new task set never became healthy"),
            Text("ECS is rolling back to the last completed deployment"),
        ],
        misses: &[Text("(service web) has reached a steady state.")],
    },
];
