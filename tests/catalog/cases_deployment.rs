//! Blue/green, linear and canary rollbacks: the DG's documented `statusReason` strings
//! (troubleshooting-blue-green), as a deployment event's reason, a service event's and bare text.

use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

const FAILED: &str = "SERVICE_DEPLOYMENT_FAILED";
const HOOK_FAILED: &str = "Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. Lifecycle hook target arn:aws:lambda:us-east-1:123456789012:function:smoke returned FAILED status.";
const HOOK_ROLE: &str = "Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. ECS was unable to assume role arn:aws:iam::123456789012:role/ecs-hooks";
const TASK_ROLE: &str = "ECS was unable to assume the role 'arn:aws:iam::123456789012:role/app-task' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.";

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "deployment.hook-awaiting-action",
        fires: &[Service { event_type: "INFO", event_name: "HOOK_AWAITING_ACTION", reason: "" }],
        misses: &[Service { event_type: "INFO", event_name: "HOOK_SUCCEEDED", reason: "" }],
    },
    RuleCase {
        rule: "deployment.hook-event-failed",
        fires: &[Service { event_type: "ERROR", event_name: "HOOK_FAILED", reason: "" }],
        misses: &[Service { event_type: "INFO", event_name: "HOOK_IN_PROGRESS", reason: "" }],
    },
    RuleCase {
        rule: "deployment.hook-event-timed-out",
        fires: &[Service { event_type: "ERROR", event_name: "HOOK_TIMED_OUT", reason: "" }],
        misses: &[Service { event_type: "INFO", event_name: "HOOK_AWAITING_ACTION", reason: "" }],
    },
    RuleCase {
        rule: "deployment.hook-returned-failed",
        fires: &[
            Deployment { event_type: "ERROR", event_name: FAILED, reason: HOOK_FAILED },
            Text(HOOK_FAILED),
        ],
        misses: &[Text(HOOK_ROLE), Text("Lifecycle hook target returned FAILED status")],
    },
    RuleCase {
        rule: "deployment.hook-not-invoked",
        fires: &[Text("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. ECS was unable to invoke hook target arn:aws:lambda:us-east-1:123456789012:function:smoke due to User: arn:aws:sts::123456789012:assumed-role/ecs-hooks/ECS is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:smoke")],
        misses: &[Text(HOOK_FAILED)],
    },
    RuleCase {
        rule: "deployment.hook-role-not-assumed",
        fires: &[Deployment { event_type: "ERROR", event_name: FAILED, reason: HOOK_ROLE }, Text(HOOK_ROLE)],
        // A task's role is the task family's.
        misses: &[Text(TASK_ROLE)],
    },
    RuleCase {
        rule: "deployment.hook-response-unreadable",
        fires: &[Text("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. ECS was unable to parse the response from arn:aws:lambda:us-east-1:123456789012:function:smoke due to HookStatus must not be null")],
        misses: &[Text(HOOK_FAILED)],
    },
    RuleCase {
        rule: "deployment.pause-hook-timed-out",
        fires: &[
            Text("Service deployment rolled back because POST_TEST_TRAFFIC_SHIFT pause hook timed out."),
            Service {
                event_type: "ERROR",
                event_name: FAILED,
                reason: "deployment failed: Service deployment rolled back because POST_TEST_TRAFFIC_SHIFT pause hook timed out.",
            },
        ],
        misses: &[Text("pause hook timed out")],
    },
    RuleCase {
        rule: "deployment.target-group-not-on-listener-rule",
        fires: &[
            Text("Service deployment rolled back because of invalid networking configuration. Both targetGroup and alternateTargetGroup must be associated with the productionListenerRule or testListenerRule."),
            Text("Service deployment rolled back because of invalid networking configuration: Target group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/0123456789abcdef is not associated with either productionListenerRule or testListenerRule."),
        ],
        misses: &[Text("Service deployment rolled back because of invalid networking configuration. productionListenerRule arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1/2/3 should have exactly one target group serving traffic but found 2 target groups which are serving traffic")],
    },
    RuleCase {
        rule: "deployment.listener-rule-serves-both-target-groups",
        fires: &[Text("Service deployment rolled back because of invalid networking configuration. productionListenerRule arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/1/2/3 should have exactly one target group serving traffic but found 2 target groups which are serving traffic")],
        misses: &[Text(HOOK_FAILED)],
    },
    RuleCase {
        rule: "deployment.listener-rule-unexpected-target-group",
        fires: &[Text("Service deployment rolled back because of invalid networking configuration. Production listener rule is forwarding traffic to unexpected target group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/old/0123456789abcdef. Expected traffic to be forwarded to either targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/blue/1 or alternateTargetGroupArn: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/green/2")],
        misses: &[Text(HOOK_FAILED)],
    },
    RuleCase {
        rule: "deployment.infrastructure-role-denied",
        fires: &[
            Text("Service deployment rolled back because of invalid networking configuration. ECS was unable to manage the ELB resources due to missing permissions on ECS Infrastructure Role 'arn:aws:iam::123456789012:role/ecsInfrastructureRole'."),
            Text("Service deployment rolled back because TEST_TRAFFIC_SHIFT lifecycle hook(s) failed. User: arn:aws:sts::123456789012:assumed-role/ecsInfrastructureRole/ECSNetworkingWithELB is not authorized to perform: elasticloadbalancing:ModifyListener on resource: arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2"),
        ],
        misses: &[Text(HOOK_ROLE)],
    },
    RuleCase {
        rule: "service.load-balancer-permission-denied",
        fires: &[
            Text("service web failed to describe target health on target-group web-tg with (error User: arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForECS/ecs-service-scheduler is not authorized to perform: elasticloadbalancing:DescribeTargetHealth because no identity-based policy allows the elasticloadbalancing:DescribeTargetHealth action)"),
            Text("service web failed to register targets in target-group web-tg with (error User: arn:aws:sts::123456789012:assumed-role/ecsInfrastructureRole/ECSNetworkingWithELB is not authorized to perform: elasticloadbalancing:RegisterTargets on resource: arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/1)"),
        ],
        misses: &[Text("service web failed to register targets in target-group web-tg with (error Target group is not found)")],
    },
];
