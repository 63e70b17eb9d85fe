use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

const SCALING: &str = "Scaling activity initiated by (deployment ecs-svc/1234567890)";

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "exit.0-service-finished",
        fires: &[Exit {
            code: Some(0),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
        misses: &[
            Exit {
                code: Some(0),
                stop_code: "EssentialContainerExited",
                service: false,
            },
            Stopped {
                reason: SCALING,
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(0),
            },
        ],
    },
    RuleCase {
        rule: "exit.0-completed",
        fires: &[
            Exit {
                code: Some(0),
                stop_code: "EssentialContainerExited",
                service: false,
            },
            Exit {
                code: Some(0),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
        ],
        misses: &[Exit {
            code: Some(0),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
    },
    RuleCase {
        rule: "exit.137-stop-timeout",
        fires: &[
            Exit {
                code: Some(137),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
            Stopped {
                reason: "",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(137),
            },
        ],
        misses: &[
            Exit {
                code: Some(137),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Text("container exited with exit code 137"),
        ],
    },
    RuleCase {
        rule: "exit.137-oom-suspected",
        fires: &[
            Exit {
                code: Some(137),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(137),
                stop_code: "EssentialContainerExited",
                service: false,
            },
            Text("container exited with exit code 137"),
        ],
        // A stop was asked for: SIGKILL came from the stop timeout, not the OOM killer.
        misses: &[
            Exit {
                code: Some(137),
                stop_code: "UserInitiated",
                service: false,
            },
            Exit {
                code: Some(137),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
            Stopped {
                reason: SCALING,
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(137),
            },
            Stopped {
                reason: "",
                stop_code: "InfrastructureHealth",
                exit: Some(137),
            },
        ],
    },
    RuleCase {
        rule: "exit.143-stopped",
        fires: &[
            Exit {
                code: Some(143),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
            Stopped {
                reason: "",
                stop_code: "ServiceSchedulerInitiated",
                exit: Some(143),
            },
        ],
        misses: &[Exit {
            code: Some(143),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
    },
    RuleCase {
        rule: "exit.143-unexpected-sigterm",
        fires: &[
            Exit {
                code: Some(143),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Text("exit code 143"),
        ],
        misses: &[
            Exit {
                code: Some(143),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
            Exit {
                code: Some(143),
                stop_code: "UserInitiated",
                service: false,
            },
        ],
    },
    RuleCase {
        rule: "exit.nonzero-during-stop",
        fires: &[
            Exit {
                code: Some(1),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
            Exit {
                code: Some(130),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
        ],
        misses: &[
            Exit {
                code: Some(1),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(143),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
        ],
    },
    RuleCase {
        rule: "exit.1-application-error",
        fires: &[
            Exit {
                code: Some(1),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(1),
                stop_code: "EssentialContainerExited",
                service: false,
            },
            Text("Essential container in task exited: exit code 1"),
        ],
        misses: &[
            Exit {
                code: Some(1),
                stop_code: "ServiceSchedulerInitiated",
                service: true,
            },
            Exit {
                code: Some(2),
                stop_code: "EssentialContainerExited",
                service: true,
            },
        ],
    },
    RuleCase {
        rule: "exit.2-usage-error",
        fires: &[Exit {
            code: Some(2),
            stop_code: "EssentialContainerExited",
            service: false,
        }],
        misses: &[Exit {
            code: Some(1),
            stop_code: "EssentialContainerExited",
            service: false,
        }],
    },
    RuleCase {
        rule: "exit.126-not-executable",
        fires: &[Exit {
            code: Some(126),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
        misses: &[Exit {
            code: Some(127),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
    },
    RuleCase {
        rule: "exit.127-command-not-found",
        fires: &[
            Exit {
                code: Some(127),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Text("container app exited with code 127"),
        ],
        misses: &[Exit {
            code: Some(126),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
    },
    RuleCase {
        rule: "exit.139-segfault",
        fires: &[Exit {
            code: Some(139),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
        misses: &[
            Exit {
                code: Some(134),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(139),
                stop_code: "UserInitiated",
                service: false,
            },
        ],
    },
    RuleCase {
        rule: "exit.255-out-of-range",
        fires: &[Exit {
            code: Some(255),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
        misses: &[Exit {
            code: Some(254),
            stop_code: "EssentialContainerExited",
            service: true,
        }],
    },
    RuleCase {
        rule: "exit.killed-by-signal",
        fires: &[
            Exit {
                code: Some(134),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(130),
                stop_code: "EssentialContainerExited",
                service: false,
            },
        ],
        misses: &[
            Exit {
                code: Some(137),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(139),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(128),
                stop_code: "EssentialContainerExited",
                service: true,
            },
        ],
    },
    RuleCase {
        rule: "exit.nonzero",
        fires: &[
            Exit {
                code: Some(3),
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Exit {
                code: Some(128),
                stop_code: "EssentialContainerExited",
                service: false,
            },
        ],
        misses: &[
            Exit {
                code: Some(0),
                stop_code: "EssentialContainerExited",
                service: false,
            },
            Exit {
                code: Some(3),
                stop_code: "UserInitiated",
                service: false,
            },
        ],
    },
    RuleCase {
        rule: "exit.none-never-ran",
        fires: &[
            Exit {
                code: None,
                stop_code: "EssentialContainerExited",
                service: true,
            },
            Stopped {
                reason: "Task failed to start",
                stop_code: "TaskFailedToStart",
                exit: None,
            },
        ],
        misses: &[
            Exit {
                code: None,
                stop_code: "UserInitiated",
                service: false,
            },
            Stopped {
                reason: "Timeout waiting for network interface provisioning to complete.",
                stop_code: "TaskFailedToStart",
                exit: None,
            },
        ],
    },
];
