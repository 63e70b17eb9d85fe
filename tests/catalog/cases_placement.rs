use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

const FAILED: &str = "TaskFailedToStart";
const PLACEMENT: &str = "SERVICE_TASK_PLACEMENT_FAILURE";

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "placement.resource-fargate",
        fires: &[
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:FARGATE" },
            Failure { action: "RunTask", reason: "RESOURCE:FARGATE" },
            Text("(service web) was unable to place a task. Reason: RESOURCE:FARGATE."),
        ],
        misses: &[
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:MEMORY" },
            Text("launch type FARGATE on resource: arn:aws:ecs:us-east-1:123456789012:cluster/prod"),
        ],
    },
    RuleCase {
        rule: "placement.fargate-capacity-unavailable",
        fires: &[
            Failure {
                action: "RunTask",
                reason: "Capacity is unavailable at this time. Please try again later or in a different availability zone",
            },
            Text("capacity is unavailable at this time. please try again later or in a different availability zone"),
        ],
        misses: &[Text("Service Unavailable. Please try again later.")],
    },
    RuleCase {
        rule: "placement.quota-task-count",
        fires: &[
            Text("(service web) was unable to place a task. Reason: You've reached the limit on the number of tasks you can run concurrently"),
            Text("service web was unable to place a task. Reason: You\u{2019}ve reached the limit on the number of vCPUs you can run concurrently"),
            Failure { action: "RunTask", reason: "You've reached the limit on the number of tasks you can run concurrently" },
        ],
        misses: &[Text("You have reached the limit on the number of task definition revisions")],
    },
    RuleCase {
        rule: "placement.quota-task-size",
        fires: &[
            Text("(service web) was unable to place a task. Reason: The requested CPU configuration is above your limit."),
            Failure { action: "RunTask", reason: "The requested MEMORY configuration is above your limit" },
        ],
        misses: &[Text("The requested CPU configuration is not a valid Fargate task size")],
    },
    RuleCase {
        rule: "placement.fargate-unsupported-az",
        fires: &[
            Text("(service web) was unable to place a task. Reason: Internal error."),
            Service {
                event_type: "ERROR",
                event_name: PLACEMENT,
                reason: "(service web) was unable to place a task. Reason: Internal error.",
            },
        ],
        misses: &[
            Text("Internal error"),
            Text("(service web) was unable to place a task. Reason: Internal error while describing subnets."),
        ],
    },
    RuleCase {
        rule: "placement.resource-cpu.capacity-provider",
        fires: &[
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: RESOURCE:CPU" },
            Stopped { reason: "TaskFailedToStart: RESOURCE:CPU", stop_code: FAILED, exit: None },
            Text("TaskFailedToStart: RESOURCE:CPU"),
        ],
        misses: &[
            Failure { action: "RunTask", reason: "RESOURCE:CPU" },
            Failure { action: "RunTask", reason: "TaskFailedToStart: RESOURCE:CPU" },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:CPU" },
        ],
    },
    RuleCase {
        rule: "placement.resource-memory.capacity-provider",
        fires: &[
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: RESOURCE:MEMORY" },
            Stopped { reason: "TaskFailedToStart: RESOURCE:MEMORY", stop_code: FAILED, exit: None },
            Text("taskfailedtostart: resource:memory"),
        ],
        misses: &[
            Failure { action: "StartTask", reason: "RESOURCE:MEMORY" },
            Stopped { reason: "TaskFailedToStart: RESOURCE:CPU", stop_code: FAILED, exit: None },
        ],
    },
    RuleCase {
        rule: "placement.resource-cpu",
        fires: &[
            Failure { action: "RunTask", reason: "RESOURCE:CPU" },
            Failure { action: "StartTask", reason: "RESOURCE:CPU" },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:CPU" },
            Text("service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 4b1f2c3d5e6f has insufficient CPU units available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."),
            Text("resource:cpu"),
        ],
        misses: &[
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: RESOURCE:CPU" },
            Text("CPU utilization above 90% for the service"),
        ],
    },
    RuleCase {
        rule: "placement.resource-memory",
        fires: &[
            Failure { action: "RunTask", reason: "RESOURCE:MEMORY" },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:MEMORY" },
            Text("service httpd-web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance b1a73168-f8a6-4ed9-b69e-94adc7a0f1e0 has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."),
            Text("(service web) was unable to place a task. Reason: RESOURCE:MEMORY"),
        ],
        misses: &[
            Stopped { reason: "TaskFailedToStart: RESOURCE:MEMORY", stop_code: FAILED, exit: None },
            Text("memory usage is high"),
        ],
    },
    RuleCase {
        rule: "placement.resource-ports",
        fires: &[
            Failure { action: "RunTask", reason: "RESOURCE:PORTS" },
            Failure { action: "StartTask", reason: "RESOURCE:PORTS_UDP" },
            Text("service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 0a1b2c3d is already using a port required by your task."),
        ],
        misses: &[Text("listen tcp :8080: bind: port is already allocated by another program")],
    },
    RuleCase {
        rule: "placement.resource-eni",
        fires: &[
            Failure { action: "RunTask", reason: "RESOURCE:ENI" },
            Text("(service x) was unable to place a task because no container instance met all of its requirements. Reason: encountered error \"RESOURCE:ENI\"."),
        ],
        misses: &[Text("eni-0abc1234 is attached to instance i-0abc")],
    },
    RuleCase {
        rule: "placement.resource-gpu",
        fires: &[
            Failure { action: "RunTask", reason: "RESOURCE:GPU" },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:GPU" },
        ],
        misses: &[Text("nvidia-smi: no GPU devices found")],
    },
    RuleCase {
        rule: "placement.resource-other",
        fires: &[
            Failure { action: "StartTask", reason: "RESOURCE:EPHEMERAL_STORAGE" },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "RESOURCE:SOMETHING_NEW" },
        ],
        misses: &[Text(
            "User: arn:aws:sts::123456789012:assumed-role/deploy/ci is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:us-east-1:123456789012:task-definition/app:7",
        )],
    },
    RuleCase {
        rule: "placement.agent-disconnected",
        fires: &[
            Failure { action: "RunTask", reason: "AGENT" },
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: AGENT" },
            Stopped { reason: "TaskFailedToStart: AGENT", stop_code: FAILED, exit: None },
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "AGENT" },
            Text("service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 0123abcd encountered error \"AGENT\". For more information, see the Troubleshooting section."),
            Text("service app-service was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 9f8e7d doesn't have the agent connected."),
            Text("agent"),
            // RunTask output pasted as JSON.
            Text("{\"tasks\": [], \"failures\": [{\"arn\": \"arn:aws:ecs:us-east-1:123456789012:container-instance/prod/0a1b2c\", \"reason\": \"AGENT\"}]}"),
        ],
        misses: &[
            Text("The ECS agent was restarted by systemd"),
            Instance { status: "ACTIVE", reason: "", agent_connected: false },
            Failure { action: "RunTask", reason: "AGENT_UPDATE_IN_PROGRESS" },
        ],
    },
    RuleCase {
        rule: "placement.constraint-unsatisfied",
        fires: &[
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: MemberOf placement constraint unsatisfied" },
            Stopped { reason: "TaskFailedToStart: MemberOf placement constraint unsatisfied.", stop_code: FAILED, exit: None },
            Text("memberof placement constraint unsatisfied"),
        ],
        misses: &[Service { event_type: "ERROR", event_name: "SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED", reason: "" }],
    },
    RuleCase {
        rule: "placement.attribute",
        fires: &[
            Failure { action: "RunTask", reason: "ATTRIBUTE" },
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: ATTRIBUTE" },
            Stopped { reason: "TaskFailedToStart: ATTRIBUTE", stop_code: FAILED, exit: None },
            Text("service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 5c6d7e is missing an attribute required by your task."),
        ],
        misses: &[Text("attribute ecs.capability.task-eni is present on the instance")],
    },
    RuleCase {
        rule: "placement.location",
        fires: &[
            Failure { action: "RunTask", reason: "LOCATION" },
            Failure { action: "StartTask", reason: "location" },
        ],
        misses: &[Text("Location header missing in redirect")],
    },
    RuleCase {
        rule: "placement.no-active-instances",
        fires: &[
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: NO ACTIVE INSTANCES" },
            Stopped { reason: "TaskFailedToStart: NO ACTIVE INSTANCES", stop_code: FAILED, exit: None },
        ],
        misses: &[Text("capacity provider has 2 active instances")],
    },
    RuleCase {
        rule: "placement.empty-capacity-provider",
        fires: &[
            Failure { action: "DescribeTasks", reason: "TaskFailedToStart: EMPTY CAPACITY PROVIDER" },
            Stopped { reason: "TaskFailedToStart: EMPTY CAPACITY PROVIDER", stop_code: FAILED, exit: None },
        ],
        misses: &[Text("capacity provider FARGATE_SPOT not found in the cluster strategy")],
    },
    RuleCase {
        rule: "placement.no-container-instances",
        fires: &[
            Text("service web was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster."),
            Service { event_type: "ERROR", event_name: PLACEMENT, reason: "No Container Instances were found in your cluster." },
            Text("service batch was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your capacity provider."),
        ],
        misses: &[Text("no container instance has joined yet, still bootstrapping")],
    },
    RuleCase {
        rule: "placement.requirements-unmet",
        fires: &[
            Text("service web was unable to place a task because no container instance met all of its requirements."),
            Service {
                event_type: "ERROR",
                event_name: PLACEMENT,
                reason: "(service web) was unable to place a task because no container instance met all of its requirements.",
            },
        ],
        misses: &[Text("service web was unable to place a task because no container instance met all of its requirements. The closest matching container-instance abc has insufficient memory available.")],
    },
    RuleCase {
        rule: "ec2.subnet-addresses-exhausted",
        fires: &[
            Text("InsufficientFreeAddressesInSubnet"),
            Text("(service api) was unable to place a task. Reason: There aren't sufficient free Ipv4 addresses or prefixes in the subnet."),
        ],
        misses: &[Text("InsufficientCidrBlocks: the subnet has no contiguous /28 left")],
    },
    RuleCase {
        rule: "ec2.eni-limit",
        fires: &[
            Text("NetworkInterfaceLimitExceeded: You have reached the maximum number of network interfaces"),
            Text("AttachmentLimitExceeded: Interface count 4 exceeds the limit for c5.large"),
        ],
        misses: &[Text("LimitExceededException: too many target groups")],
    },
    RuleCase {
        rule: "ec2.instance-capacity",
        fires: &[
            Text("InsufficientInstanceCapacity: We currently do not have sufficient g5.xlarge capacity in the Availability Zone you requested (us-east-1a)."),
        ],
        misses: &[Text("RESOURCE:MEMORY")],
    },
];
