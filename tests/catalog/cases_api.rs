use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "api.missing.describe-clusters",
        fires: &[
            Failure {
                action: "DescribeClusters",
                reason: "MISSING",
            },
            Failure {
                action: "describeclusters",
                reason: "missing",
            },
        ],
        misses: &[Failure {
            action: "DescribeServices",
            reason: "MISSING",
        }],
    },
    RuleCase {
        rule: "api.missing.describe-container-instances",
        fires: &[
            Failure {
                action: "DescribeContainerInstances",
                reason: "MISSING",
            },
            Failure {
                action: "DescribeInstances",
                reason: "MISSING",
            },
        ],
        misses: &[Failure {
            action: "DescribeClusters",
            reason: "MISSING",
        }],
    },
    RuleCase {
        rule: "api.missing.describe-services",
        fires: &[Failure {
            action: "DescribeServices",
            reason: "MISSING",
        }],
        misses: &[Failure {
            action: "DescribeTasks",
            reason: "MISSING",
        }],
    },
    RuleCase {
        rule: "api.missing.describe-tasks",
        fires: &[Failure {
            action: "DescribeTasks",
            reason: "MISSING",
        }],
        misses: &[
            Failure {
                action: "DescribeTasks",
                reason: "TaskFailedToStart: RESOURCE:CPU",
            },
            Failure {
                action: "DescribeServices",
                reason: "MISSING",
            },
        ],
    },
    RuleCase {
        rule: "api.missing.start-task",
        fires: &[Failure {
            action: "StartTask",
            reason: "MISSING",
        }],
        misses: &[
            Failure {
                action: "StartTask",
                reason: "INACTIVE",
            },
            Failure {
                action: "RunTask",
                reason: "MISSING",
            },
        ],
    },
    RuleCase {
        rule: "api.missing.task-protection",
        fires: &[
            Failure {
                action: "GetTaskProtection",
                reason: "MISSING",
            },
            Failure {
                action: "UpdateTaskProtection",
                reason: "MISSING",
            },
        ],
        misses: &[Failure {
            action: "UpdateTaskProtection",
            reason: "TASK_NOT_VALID",
        }],
    },
    RuleCase {
        rule: "api.missing",
        fires: &[
            Failure {
                action: "DescribeCapacityProviders",
                reason: "MISSING",
            },
            Failure {
                action: "RunTask",
                reason: "MISSING",
            },
            Text("MISSING"),
            // A `failures` entry pasted from CLI output.
            Text("\"failures\": [ { \"arn\": \"arn:aws:ecs:us-east-1:123456789012:service/prod/web\", \"reason\": \"MISSING\" } ]"),
        ],
        misses: &[
            Text("required secret value is missing"),
            Failure {
                action: "DescribeTasks",
                reason: "MISSING",
            },
        ],
    },
    RuleCase {
        rule: "api.inactive.start-task",
        fires: &[Failure {
            action: "StartTask",
            reason: "INACTIVE",
        }],
        misses: &[
            Instance {
                status: "INACTIVE",
                reason: "",
                agent_connected: false,
            },
            Failure {
                action: "RunTask",
                reason: "INACTIVE",
            },
        ],
    },
    RuleCase {
        rule: "api.inactive",
        fires: &[
            Failure {
                action: "RunTask",
                reason: "INACTIVE",
            },
            Failure {
                action: "DescribeCapacityProviders",
                reason: "inactive",
            },
        ],
        misses: &[
            Instance {
                status: "INACTIVE",
                reason: "",
                agent_connected: false,
            },
            Text("task definition app:3 is inactive"),
        ],
    },
    RuleCase {
        rule: "api.task-not-valid",
        fires: &[
            Failure {
                action: "GetTaskProtection",
                reason: "TASK_NOT_VALID",
            },
            Failure {
                action: "UpdateTaskProtection",
                reason: "TASK_NOT_VALID",
            },
        ],
        misses: &[Text("task not valid for this cluster")],
    },
    RuleCase {
        rule: "api.deployment-blocked",
        fires: &[Failure {
            action: "UpdateTaskProtection",
            reason: "DEPLOYMENT_BLOCKED",
        }],
        misses: &[
            Deployment {
                event_type: "ERROR",
                event_name: "SERVICE_DEPLOYMENT_FAILED",
                reason: "ECS deployment circuit breaker: task failed to start.",
            },
            Text("deployment blocked by change freeze"),
        ],
    },
];
