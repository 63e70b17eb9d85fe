use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

const ELB_REASON: &str = "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef)";
const MAINTENANCE: &str = "ECS is performing maintenance on the underlying infrastructure hosting the task";

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "task.elb-health-check",
        fires: &[
            Stopped {
                reason: ELB_REASON,
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
            Stopped {
                reason: ELB_REASON,
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(137),
            },
            Text(ELB_REASON),
        ],
        misses: &[
            Stopped {
                reason: "Task failed container health checks",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
            Stopped {
                reason: "Scaling activity initiated by (deployment ecs-svc/1234567890)",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
        ],
    },
    RuleCase {
        rule: "task.container-health-check",
        fires: &[
            Stopped {
                reason: "Task failed container health checks",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
            Text("(service web) (task 0123456789abcdef0123456789abcdef) failed container health checks."),
        ],
        misses: &[Stopped {
            reason: ELB_REASON,
            stop_code: "ServiceSchedulerInitiated",
            exit: Some(143),
        }],
    },
    RuleCase {
        rule: "task.eni-provisioning-timeout",
        fires: &[
            Stopped {
                reason: "Timeout waiting for network interface provisioning to complete.",
                stop_code: "TaskFailedToStart",
                exit: None,
            },
            Text("Timeout waiting for network interface provisioning to complete."),
        ],
        misses: &[Stopped {
            reason: "Task failed to start",
            stop_code: "TaskFailedToStart",
            exit: None,
        }],
    },
    RuleCase {
        rule: "task.spot-interruption",
        fires: &[
            Stopped {
                reason: "Your Spot Task was interrupted.",
                stop_code: "SpotInterruption",
                exit: Some(143),
            },
            Stopped {
                reason: "Your Spot Task was interrupted.",
                stop_code: "SpotInterruption",
                exit: Some(137),
            },
            // The AWS documentation's sample pairs the reason with the two-minute TerminationNotice.
            Stopped {
                reason: "Your Spot Task was interrupted.",
                stop_code: "TerminationNotice",
                exit: None,
            },
            Stopped {
                reason: "",
                stop_code: "SpotInterruption",
                exit: Some(143),
            },
        ],
        misses: &[
            Stopped {
                reason: "Host EC2 (instance i-0abc1234def567890) terminated.",
                stop_code: "TerminationNotice",
                exit: None,
            },
            Stopped {
                reason: "",
                stop_code: "TerminationNotice",
                exit: None,
            },
        ],
    },
    RuleCase {
        rule: "task.host-instance-stopped",
        fires: &[
            Stopped {
                reason: "Host EC2 (instance i-0abc1234def567890) terminated.",
                stop_code: "TerminationNotice",
                exit: Some(143),
            },
            Stopped {
                reason: "Host EC2 (instance i-06aab15feb4568492) stopped.",
                stop_code: "EssentialContainerExited",
                exit: None,
            },
        ],
        misses: &[
            Stopped {
                reason: "Your Spot Task was interrupted.",
                stop_code: "TerminationNotice",
                exit: None,
            },
            Text("EC2 Instance i-06771d5fe9accdc18 Stopped"),
        ],
    },
    RuleCase {
        rule: "task.fargate-maintenance-service",
        fires: &[
            Stopped {
                reason: MAINTENANCE,
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(137),
            },
            Stopped {
                reason: "Service web: ECS is performing maintenance on the underlying infrastructure hosting the task",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
        ],
        // Without a service nothing replaces the task: the standalone rule answers instead.
        misses: &[Text(MAINTENANCE)],
    },
    RuleCase {
        rule: "task.fargate-maintenance",
        fires: &[Text(MAINTENANCE)],
        misses: &[Stopped {
            reason: MAINTENANCE,
            stop_code: "ServiceSchedulerInitiated",
            exit: Some(143),
        }],
    },
    RuleCase {
        rule: "task.infrastructure-health",
        fires: &[
            Stopped {
                reason: "",
                stop_code: "InfrastructureHealth",
                exit: Some(143),
            },
            Stopped {
                reason: "",
                stop_code: "InfrastructureHealth",
                exit: Some(137),
            },
            Text("InfrastructureHealth"),
        ],
        misses: &[
            Stopped {
                reason: MAINTENANCE,
                stop_code: "InfrastructureHealth",
                exit: None,
            },
            Stopped {
                reason: "",
                stop_code: "TerminationNotice",
                exit: None,
            },
        ],
    },
    RuleCase {
        rule: "task.termination-notice",
        fires: &[
            Stopped {
                reason: "",
                stop_code: "TerminationNotice",
                exit: Some(143),
            },
            Text("TerminationNotice"),
        ],
        misses: &[Stopped {
            reason: "Your Spot Task was interrupted.",
            stop_code: "TerminationNotice",
            exit: None,
        }],
    },
    RuleCase {
        rule: "task.instance-draining",
        fires: &[Stopped {
            reason: "Service web: container instance is in DRAINING state",
            stop_code: "ServiceSchedulerInitiated",
            exit: Some(143),
        }],
        misses: &[Stopped {
            reason: "Scaling activity initiated by (deployment ecs-svc/1234567890)",
            stop_code: "ServiceSchedulerInitiated",
            exit: Some(143),
        }],
    },
    RuleCase {
        rule: "task.scaling-activity",
        fires: &[
            Stopped {
                reason: "Scaling activity initiated by (deployment ecs-svc/8646900195280463695)",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
            Stopped {
                reason: "Scaling activity initiated by (deployment ecs-svc/8646900195280463695)",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(137),
            },
            Stopped {
                reason: "Scaling activity initiated by (deployment ecs-svc/8646900195280463695)",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(0),
            },
        ],
        misses: &[Stopped {
            reason: ELB_REASON,
            stop_code: "ServiceSchedulerInitiated",
            exit: Some(143),
        }],
    },
    RuleCase {
        rule: "task.user-stopped",
        fires: &[
            Stopped {
                reason: "Task stopped by user",
                stop_code: "UserInitiated",
                exit: Some(143),
            },
            Stopped {
                reason: "Task stopped by user",
                stop_code: "UserInitiated",
                exit: Some(137),
            },
            // StopTask --reason is free text; the stop code still says who asked.
            Stopped {
                reason: "rollback requested by deploy pipeline",
                stop_code: "UserInitiated",
                exit: Some(1),
            },
            Text("Task stopped by user"),
        ],
        misses: &[
            Stopped {
                reason: "Scaling activity initiated by (deployment ecs-svc/1234567890)",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
            Exit {
                code: Some(143),
                stop_code: "EssentialContainerExited",
                service: false,
            },
        ],
    },
    RuleCase {
        rule: "task.essential-container-exited",
        fires: &[
            Text("Essential container in task exited"),
            Text("EssentialContainerExited"),
        ],
        // With an exit code to read, the exit-code rule replaces the generic summary.
        misses: &[
            Exit {
                code: Some(1),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(137),
                stop_code: "EssentialContainerExited",
                service: true,
            },
        ],
    },
    RuleCase {
        rule: "task.failed-to-start",
        fires: &[Text("Task failed to start"), Text("TaskFailedToStart")],
        misses: &[
            Stopped {
                reason: "Timeout waiting for network interface provisioning to complete.",
                stop_code: "TaskFailedToStart",
                exit: None,
            },
            Text("ECS deployment circuit breaker: task failed to start."),
        ],
    },
    RuleCase {
        rule: "task.scheduler-stopped",
        fires: &[
            Stopped {
                reason: "",
                stop_code: "ServiceSchedulerInitiated",
                exit: None,
            },
            Stopped {
                reason: "Service web: task replaced by the service scheduler",
                stop_code: "ServiceSchedulerInitiated",
                exit: None,
            },
            Text("ServiceSchedulerInitiated"),
        ],
        misses: &[
            Stopped {
                reason: ELB_REASON,
                stop_code: "ServiceSchedulerInitiated",
                exit: None,
            },
            Stopped {
                reason: "",
                stop_code: "UserInitiated",
                exit: None,
            },
        ],
    },
];
