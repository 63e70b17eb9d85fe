//! Blue/green, linear and canary deployments (`deploymentController=ECS` with a non-rolling
//! strategy): why ECS rolled a service deployment back. The reason is the service deployment's
//! `statusReason` ("Service deployment rolled back because …"), quoted by the service event
//! ("deployment failed: …"); often no task stopped at all, so the reason is the root cause.
//! Also the load-balancer permissions ECS itself needs to shift traffic, and the synchronous
//! refusals of a blue/green configuration by CreateService/UpdateService.
//!
//! The stage, the hook target, the role, the action and the target group are read from the
//! reason (`{stage}`, `{hook_target}`, `{hook_role}`, `{iam_action}`, `{infra_role}`,
//! `{target_group_arn}`, `{listener_rule}`).

use super::{Category, Rule, Severity, Text, When};
use crate::diagnose::Field;

const EVENT: &[Field] = &[Field::EventName];

const HOOKS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html";
const LAMBDA_HOOKS_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html";
const PAUSE_HOOKS_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html";
const TROUBLESHOOT_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/troubleshooting-blue-green.html";
const SERVICE_DEPLOYMENT_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html";
const INFRA_ROLE_DOC: &str = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html";
const BLUE_GREEN_DOC: &str =
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-blue-green.html";

/// The words every asynchronous rollback of a service deployment starts with.
const ROLLED_BACK: &[&str] = &["rolled back because"];

pub const RULES: &[Rule] = &[
    // ---- ECS Hook State Change ----
    Rule {
        id: "deployment.hook-awaiting-action",
        category: Category::DeploymentHook,
        severity: Severity::Warning,
        when: When {
            fields: EVENT,
            exact: &["hook_awaiting_action"],
            ..When::NOTHING
        },
        en: Text {
            title: "The deployment waits for approval at {stage}",
            explanation: "The deployment of the service {service} reached its pause hook {hook_id} at the {stage} stage and waits for someone to continue it or roll it back. If nobody answers by {expires_at}, the hook's timeout action runs: a rollback unless the hook says CONTINUE.",
            steps: &[
                "To continue the deployment: `aws ecs continue-service-deployment --service-deployment-arn {service_deployment_arg} --hook-id {hook_id_arg} --action CONTINUE`",
                "To roll it back: `aws ecs continue-service-deployment --service-deployment-arn {service_deployment_arg} --hook-id {hook_id_arg} --action ROLLBACK`",
                "Check the new revision first (test traffic, dashboards): `aws ecs describe-service-deployments --service-deployment-arns {service_deployment_arg}`.",
            ],
        },
        ja: Text {
            title: "デプロイが {stage} で承認を待っています",
            explanation: "サービス {service} のデプロイは {stage} ステージの一時停止フック {hook_id} に到達し、続行またはロールバックの指示を待っています。{expires_at} までに応答がなければ、フックのタイムアウト時の動作が実行されます (CONTINUE と指定していなければロールバック)。",
            steps: &[
                "デプロイを続行する: `aws ecs continue-service-deployment --service-deployment-arn {service_deployment_arg} --hook-id {hook_id_arg} --action CONTINUE`",
                "ロールバックする: `aws ecs continue-service-deployment --service-deployment-arn {service_deployment_arg} --hook-id {hook_id_arg} --action ROLLBACK`",
                "先に新しいリビジョンを確認してください (テストトラフィック、ダッシュボード): `aws ecs describe-service-deployments --service-deployment-arns {service_deployment_arg}`。",
            ],
        },
        docs: &[PAUSE_HOOKS_DOC, SERVICE_DEPLOYMENT_DOC],
    },
    Rule {
        id: "deployment.hook-event-failed",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            fields: EVENT,
            exact: &["hook_failed"],
            ..When::NOTHING
        },
        en: Text {
            title: "A deployment hook failed at {stage}",
            explanation: "The hook {hook_id} of the deployment of the service {service} failed at the {stage} stage, so ECS rolls the deployment back. The service deployment's `statusReason` says why: the hook answered FAILED, could not be invoked, or its answer could not be read.",
            steps: &[
                "Read why: `aws ecs describe-service-deployments --service-deployment-arns {service_deployment_arg} --query 'serviceDeployments[0].statusReason'` (ecs-doctor explains that text too).",
                "For a Lambda hook, read the function's log at the time of the event.",
            ],
        },
        ja: Text {
            title: "{stage} でデプロイフックが失敗しました",
            explanation: "サービス {service} のデプロイのフック {hook_id} が {stage} ステージで失敗したため、ECS はデプロイをロールバックします。理由はサービスデプロイの `statusReason` にあります (フックが FAILED を返した、呼び出せなかった、応答を読み取れなかった)。",
            steps: &[
                "理由を確認してください: `aws ecs describe-service-deployments --service-deployment-arns {service_deployment_arg} --query 'serviceDeployments[0].statusReason'` (その文面も ecs-doctor で解説できます)。",
                "Lambda フックなら、イベントの時刻の関数ログを読んでください。",
            ],
        },
        docs: &[HOOKS_DOC, TROUBLESHOOT_DOC],
    },
    Rule {
        id: "deployment.hook-event-timed-out",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            fields: EVENT,
            exact: &["hook_timed_out"],
            ..When::NOTHING
        },
        en: Text {
            title: "A deployment hook timed out at {stage}",
            explanation: "The hook {hook_id} of the deployment of the service {service} got no answer in time at the {stage} stage: a pause nobody continued, or a Lambda hook that kept answering IN_PROGRESS. Its timeout action now runs, by default a rollback.",
            steps: &[
                "See what happened next: `aws ecs describe-service-deployments --service-deployment-arns {service_deployment_arg}` (status ROLLBACK_* or back to IN_PROGRESS).",
                "For a pause, make sure the approval reaches someone (route `HOOK_AWAITING_ACTION` to the team) or lengthen the timeout; for a Lambda hook, check why it never finished.",
            ],
        },
        ja: Text {
            title: "{stage} でデプロイフックがタイムアウトしました",
            explanation: "サービス {service} のデプロイのフック {hook_id} は {stage} ステージで時間内に応答を得られませんでした (誰も続行しなかった一時停止、または IN_PROGRESS を返し続けた Lambda フック)。タイムアウト時の動作 (既定ではロールバック) が実行されます。",
            steps: &[
                "その後の状態を確認してください: `aws ecs describe-service-deployments --service-deployment-arns {service_deployment_arg}` (status が ROLLBACK_* か IN_PROGRESS に戻ったか)。",
                "一時停止なら承認が担当者に届くようにする (`HOOK_AWAITING_ACTION` をチームに送る) かタイムアウトを延ばしてください。Lambda フックなら終わらなかった理由を調べてください。",
            ],
        },
        docs: &[PAUSE_HOOKS_DOC, HOOKS_DOC],
    },
    Rule {
        id: "deployment.hook-returned-failed",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            all: &["lifecycle hook", "returned failed status"],
            ..When::NOTHING
        },
        en: Text {
            title: "A lifecycle hook failed the deployment at {stage}",
            explanation: "ECS rolled the deployment of the service {service} back at the {stage} stage because its lifecycle hook {hook_target} answered `hookStatus: FAILED`. The hook ran; it is the hook's own test (a smoke test, a check of the new revision) that said no. The service stays on the revision it ran before.",
            steps: &[
                "Read the hook function's log (CloudWatch Logs group `/aws/lambda/<function>`) for the invocation at the time of the rollback: it says which check failed.",
                "See the deployment as ECS recorded it: `aws ecs list-service-deployments --cluster {cluster_arg} --service {service_arg}`, then `aws ecs describe-service-deployments --service-deployment-arns <arn>` (status, statusReason, lifecycleStage).",
                "Fix what the check found in the new revision (or the check itself) and deploy again.",
            ],
        },
        ja: Text {
            title: "ライフサイクルフックが {stage} でデプロイを失敗させました",
            explanation: "サービス {service} のデプロイは、{stage} ステージのライフサイクルフック {hook_target} が `hookStatus: FAILED` を返したため、ECS によってロールバックされました。フックは実行されており、フック自身のテスト (スモークテストや新しいリビジョンの確認) が不合格と判断しています。サービスは以前のリビジョンのまま動いています。",
            steps: &[
                "ロールバックの時刻のフック関数のログ (CloudWatch Logs のロググループ `/aws/lambda/<関数名>`) を読んでください。どの確認が失敗したかが書かれています。",
                "ECS が記録したデプロイを確認してください: `aws ecs list-service-deployments --cluster {cluster_arg} --service {service_arg}` の後に `aws ecs describe-service-deployments --service-deployment-arns <arn>` (status、statusReason、lifecycleStage)。",
                "確認で見つかった新しいリビジョンの問題 (または確認そのもの) を直して、もう一度デプロイしてください。",
            ],
        },
        docs: &[LAMBDA_HOOKS_DOC, TROUBLESHOOT_DOC, SERVICE_DEPLOYMENT_DOC],
    },
    Rule {
        id: "deployment.hook-not-invoked",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            any: &["unable to invoke hook target"],
            ..When::NOTHING
        },
        en: Text {
            title: "ECS could not invoke the lifecycle hook at {stage}",
            explanation: "ECS rolled the deployment of the service {service} back at the {stage} stage because it could not call the hook target {hook_target}: the hook role may not invoke it ({iam_action} denied), or the function does not exist in that account and Region. The hook never ran, so nothing about the new revision was tested.",
            steps: &[
                "Give the hook role `lambda:InvokeFunction` on the function (the role named in `lifecycleHooks[].roleArn` of the service's deployment configuration), and check the function's resource policy does not deny it.",
                "Check the function ARN in the hook exists: `aws lambda get-function --function-name <arn>`.",
                "Deploy again; the rollback left the service on its previous revision.",
            ],
        },
        ja: Text {
            title: "ECS が {stage} でライフサイクルフックを呼び出せませんでした",
            explanation: "サービス {service} のデプロイは、ECS がフックのターゲット {hook_target} を呼び出せなかったため、{stage} ステージでロールバックされました。フックロールに呼び出しの権限がない ({iam_action} が拒否された) か、関数がそのアカウントとリージョンに存在しません。フックは実行されておらず、新しいリビジョンは何もテストされていません。",
            steps: &[
                "フックロール (サービスのデプロイ設定の `lifecycleHooks[].roleArn`) に関数への `lambda:InvokeFunction` を許可し、関数のリソースポリシーが拒否していないことを確認してください。",
                "フックの関数 ARN が存在することを確認してください: `aws lambda get-function --function-name <arn>`。",
                "もう一度デプロイしてください。ロールバックによりサービスは以前のリビジョンのままです。",
            ],
        },
        docs: &[LAMBDA_HOOKS_DOC, TROUBLESHOOT_DOC],
    },
    Rule {
        id: "deployment.hook-role-not-assumed",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            all: &["lifecycle hook", "unable to assume role"],
            ..When::NOTHING
        },
        en: Text {
            title: "ECS could not assume the hook role at {stage}",
            explanation: "ECS rolled the deployment of the service {service} back at the {stage} stage because it could not assume the hook role {hook_role}, which it needs to invoke the lifecycle hook. The role is missing, misspelt, or its trust policy does not let `ecs.amazonaws.com` assume it.",
            steps: &[
                "Check the role exists: `aws iam get-role --role-name <name>`.",
                "Let ECS assume it: the trust policy needs `Principal: {\"Service\": \"ecs.amazonaws.com\"}` and `sts:AssumeRole`.",
                "Deploy again once the role is fixed.",
            ],
        },
        ja: Text {
            title: "ECS が {stage} でフックロールを引き受けられませんでした",
            explanation: "サービス {service} のデプロイは、ライフサイクルフックの呼び出しに必要なフックロール {hook_role} を ECS が引き受けられなかったため、{stage} ステージでロールバックされました。ロールが存在しないか、名前が違うか、信頼ポリシーが `ecs.amazonaws.com` による引き受けを許可していません。",
            steps: &[
                "ロールが存在することを確認してください: `aws iam get-role --role-name <名前>`。",
                "ECS が引き受けられるようにしてください。信頼ポリシーに `Principal: {\"Service\": \"ecs.amazonaws.com\"}` と `sts:AssumeRole` が必要です。",
                "ロールを直してからもう一度デプロイしてください。",
            ],
        },
        docs: &[HOOKS_DOC, TROUBLESHOOT_DOC],
    },
    Rule {
        id: "deployment.hook-response-unreadable",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            any: &["unable to parse the response from"],
            ..When::NOTHING
        },
        en: Text {
            title: "The lifecycle hook's answer could not be read at {stage}",
            explanation: "ECS rolled the deployment of the service {service} back at the {stage} stage because the answer of the hook {hook_target} was not a hook response ({reason}). A hook function must return a JSON object with `hookStatus` set to `SUCCEEDED`, `FAILED` or `IN_PROGRESS` (and optionally `callBackDelay`); an exception, `null` or a plain string is not one.",
            steps: &[
                "Make the function return `{\"hookStatus\": \"SUCCEEDED\"}` (or `FAILED`, or `IN_PROGRESS` with `callBackDelay`) on every path, errors included.",
                "Read the function's log for the invocation: an unhandled exception returns an error object instead of the response.",
                "Deploy again once the function answers correctly.",
            ],
        },
        ja: Text {
            title: "{stage} でライフサイクルフックの応答を読み取れませんでした",
            explanation: "サービス {service} のデプロイは、フック {hook_target} の応答がフックの応答形式ではなかったため、{stage} ステージでロールバックされました ({reason})。フック関数は `hookStatus` に `SUCCEEDED`、`FAILED`、`IN_PROGRESS` のいずれか (必要なら `callBackDelay` も) を持つ JSON オブジェクトを返す必要があります。例外、`null`、ただの文字列は応答になりません。",
            steps: &[
                "エラーの場合も含め、すべての経路で関数が `{\"hookStatus\": \"SUCCEEDED\"}` (または `FAILED`、`callBackDelay` 付きの `IN_PROGRESS`) を返すようにしてください。",
                "その呼び出しの関数ログを読んでください。処理されない例外があると応答の代わりにエラーオブジェクトが返ります。",
                "関数が正しく応答するようにしてから、もう一度デプロイしてください。",
            ],
        },
        docs: &[LAMBDA_HOOKS_DOC, TROUBLESHOOT_DOC],
    },
    Rule {
        id: "deployment.pause-hook-timed-out",
        category: Category::DeploymentHook,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            all: &["pause hook", "timed out"],
            ..When::NOTHING
        },
        en: Text {
            title: "Nobody continued the paused deployment at {stage} in time",
            explanation: "The deployment of the service {service} paused at the {stage} stage for a person to continue or roll it back, and the pause hook's timeout passed with no answer, so ECS rolled it back (the default timeout action). The new revision itself may be fine.",
            steps: &[
                "Deploy again and answer the pause in time: `aws ecs continue-service-deployment --service-deployment-arn <arn> --hook-id <hook id> --action CONTINUE` (or `--action ROLLBACK`).",
                "If nobody watches the approval, route the `ECS Hook State Change` event (`HOOK_AWAITING_ACTION`) to the team, or lengthen the hook's timeout (up to 20,160 minutes) or set its timeout action to CONTINUE.",
            ],
        },
        ja: Text {
            title: "{stage} で一時停止したデプロイが時間内に続行されませんでした",
            explanation: "サービス {service} のデプロイは {stage} ステージで担当者による続行またはロールバックを待って一時停止しましたが、応答のないまま一時停止フックのタイムアウトを過ぎたため、ECS がロールバックしました (既定のタイムアウト時の動作)。新しいリビジョン自体には問題がない可能性があります。",
            steps: &[
                "もう一度デプロイし、時間内に応答してください: `aws ecs continue-service-deployment --service-deployment-arn <arn> --hook-id <フック ID> --action CONTINUE` (または `--action ROLLBACK`)。",
                "承認を誰も見ていないなら、`ECS Hook State Change` イベント (`HOOK_AWAITING_ACTION`) をチームに届けるか、フックのタイムアウトを延ばす (最大 20,160 分) か、タイムアウト時の動作を CONTINUE にしてください。",
            ],
        },
        docs: &[PAUSE_HOOKS_DOC, TROUBLESHOOT_DOC],
    },
    Rule {
        id: "deployment.target-group-not-on-listener-rule",
        category: Category::DeploymentTraffic,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            any: &[
                "must be associated with the productionlistenerrule or testlistenerrule",
                "is not associated with either productionlistenerrule or testlistenerrule",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "A target group of the blue/green deployment is on no listener rule",
            explanation: "ECS rolled the deployment of the service {service} back because it can shift traffic only between target groups that the production or test listener rule forwards to, and {target_group_arn} (or one of `targetGroupArn` and `alternateTargetGroupArn`) is on neither rule.",
            steps: &[
                "List what the rules forward to: `aws elbv2 describe-rules --rule-arns <productionListenerRule> <testListenerRule>`; both target groups of the service's `loadBalancers[].advancedConfiguration` must appear there.",
                "Add the missing target group to the rule's forward action (weight 0 is fine) or correct the ARNs in the service, then deploy again.",
            ],
        },
        ja: Text {
            title: "ブルー/グリーンデプロイのターゲットグループがどのリスナールールにもありません",
            explanation: "ECS はプロダクションまたはテストのリスナールールが転送するターゲットグループの間でしかトラフィックを切り替えられず、{target_group_arn} (または `targetGroupArn` と `alternateTargetGroupArn` のどちらか) がどちらのルールにもないため、サービス {service} のデプロイをロールバックしました。",
            steps: &[
                "ルールの転送先を確認してください: `aws elbv2 describe-rules --rule-arns <productionListenerRule> <testListenerRule>`。サービスの `loadBalancers[].advancedConfiguration` の両方のターゲットグループがそこに必要です。",
                "足りないターゲットグループをルールの転送アクションに加える (重み 0 で構いません) か、サービスの ARN を直してから、もう一度デプロイしてください。",
            ],
        },
        docs: &[TROUBLESHOOT_DOC, BLUE_GREEN_DOC],
    },
    Rule {
        id: "deployment.listener-rule-serves-both-target-groups",
        category: Category::DeploymentTraffic,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            any: &["should have exactly one target group serving traffic"],
            ..When::NOTHING
        },
        en: Text {
            title: "The production listener rule sends traffic to both target groups",
            explanation: "ECS rolled the deployment of the service {service} back because the production listener rule {listener_rule} forwards traffic to two target groups at once (both weights above zero). Before a blue/green shift exactly one target group may serve; someone or something (an infrastructure-as-code run, a manual change) set the weights outside ECS.",
            steps: &[
                "Set the rule's forward action to weight 100 on the target group serving now and 0 on the other (`aws elbv2 modify-rule`), or let your infrastructure code stop managing the weights ECS owns.",
                "Deploy again.",
            ],
        },
        ja: Text {
            title: "本番リスナールールが両方のターゲットグループに転送しています",
            explanation: "プロダクションのリスナールール {listener_rule} が 2 つのターゲットグループに同時に転送している (両方の重みが 0 より大きい) ため、ECS はサービス {service} のデプロイをロールバックしました。ブルー/グリーンの切り替え前にトラフィックを受けてよいターゲットグループは 1 つだけです。ECS の外 (IaC の実行や手作業の変更) で重みが設定されています。",
            steps: &[
                "ルールの転送アクションを、今トラフィックを受けているターゲットグループに重み 100、もう一方に 0 としてください (`aws elbv2 modify-rule`)。または ECS が管理する重みを IaC で管理しないようにしてください。",
                "もう一度デプロイしてください。",
            ],
        },
        docs: &[TROUBLESHOOT_DOC, BLUE_GREEN_DOC],
    },
    Rule {
        id: "deployment.listener-rule-unexpected-target-group",
        category: Category::DeploymentTraffic,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            any: &["forwarding traffic to unexpected target group"],
            ..When::NOTHING
        },
        en: Text {
            title: "The production listener rule forwards to a target group the service does not use",
            explanation: "ECS rolled the deployment of the service {service} back because the production listener rule forwards traffic to {target_group_arn}, which is neither the service's `targetGroupArn` nor its `alternateTargetGroupArn`. ECS will not shift traffic it does not own.",
            steps: &[
                "Point the rule's forward action at the service's target groups (`aws elbv2 modify-rule`), or put the target group the rule uses into the service's `loadBalancers[].advancedConfiguration`.",
                "Deploy again.",
            ],
        },
        ja: Text {
            title: "本番リスナールールが想定外のターゲットグループに転送しています",
            explanation: "プロダクションのリスナールールが {target_group_arn} に転送しており、これはサービスの `targetGroupArn` でも `alternateTargetGroupArn` でもないため、ECS はサービス {service} のデプロイをロールバックしました。ECS は自分が管理しないトラフィックは切り替えません。",
            steps: &[
                "ルールの転送アクションをサービスのターゲットグループに向ける (`aws elbv2 modify-rule`) か、ルールが使うターゲットグループをサービスの `loadBalancers[].advancedConfiguration` に入れてください。",
                "もう一度デプロイしてください。",
            ],
        },
        docs: &[TROUBLESHOOT_DOC, BLUE_GREEN_DOC],
    },
    Rule {
        id: "deployment.infrastructure-role-denied",
        category: Category::IamRole,
        severity: Severity::Error,
        when: When {
            within: ROLLED_BACK,
            any: &[
                "missing permissions on ecs infrastructure role",
                "not authorized to perform: elasticloadbalancing:",
            ],
            ..When::NOTHING
        },
        en: Text {
            title: "The ECS infrastructure role may not change the load balancer",
            explanation: "ECS rolled the deployment of the service {service} back because the infrastructure role it uses to shift traffic ({infra_role}) lacks a permission on the load balancer ({iam_action}). In a blue/green, linear or canary deployment ECS itself modifies the listener rules and registers targets, through the role in the service's `loadBalancers[].advancedConfiguration.roleArn`.",
            steps: &[
                "Attach the AWS managed policy `AmazonECSInfrastructureRolePolicyForLoadBalancers` to that role (or grant the missing action on the listener, rule and target groups).",
                "Check its trust policy lets `ecs.amazonaws.com` assume it, then deploy again.",
            ],
        },
        ja: Text {
            title: "ECS インフラストラクチャロールにロードバランサーを変更する権限がありません",
            explanation: "トラフィックの切り替えに使うインフラストラクチャロール ({infra_role}) にロードバランサーの権限 ({iam_action}) がないため、ECS はサービス {service} のデプロイをロールバックしました。ブルー/グリーン、リニア、カナリアのデプロイでは、サービスの `loadBalancers[].advancedConfiguration.roleArn` のロールで ECS 自身がリスナールールを変更し、ターゲットを登録します。",
            steps: &[
                "そのロールに AWS 管理ポリシー `AmazonECSInfrastructureRolePolicyForLoadBalancers` をアタッチしてください (または足りないアクションをリスナー、ルール、ターゲットグループに許可してください)。",
                "信頼ポリシーが `ecs.amazonaws.com` による引き受けを許可していることを確認してから、もう一度デプロイしてください。",
            ],
        },
        docs: &[INFRA_ROLE_DOC, TROUBLESHOOT_DOC],
    },
    Rule {
        id: "service.load-balancer-permission-denied",
        category: Category::IamRole,
        severity: Severity::Error,
        when: When {
            any: &[
                "failed to describe target health on target-group",
                "failed to register targets in target-group",
            ],
            all: &["not authorized to perform"],
            ..When::NOTHING
        },
        en: Text {
            title: "ECS may not read or register the service's load balancer targets",
            explanation: "ECS could not manage the targets of the service {service} because the role it acts through is not allowed {iam_action}. Without it new tasks are never registered (or never seen healthy), and the deployment cannot finish.",
            steps: &[
                "For a blue/green, linear or canary service, give the infrastructure role (`loadBalancers[].advancedConfiguration.roleArn`) the managed policy `AmazonECSInfrastructureRolePolicyForLoadBalancers`.",
                "For the ECS service-linked role (`ecs-service-scheduler`), check no permissions boundary, SCP or resource policy denies the action.",
                "Then watch the next deployment register its targets.",
            ],
        },
        ja: Text {
            title: "ECS がサービスのロードバランサーのターゲットを読み取り・登録できません",
            explanation: "ECS が使うロールに {iam_action} が許可されていないため、サービス {service} のターゲットを管理できませんでした。これがないと新しいタスクは登録されない (または正常と判定されない) ため、デプロイを完了できません。",
            steps: &[
                "ブルー/グリーン、リニア、カナリアのサービスでは、インフラストラクチャロール (`loadBalancers[].advancedConfiguration.roleArn`) に管理ポリシー `AmazonECSInfrastructureRolePolicyForLoadBalancers` を付けてください。",
                "ECS のサービスリンクロール (`ecs-service-scheduler`) の場合は、アクセス許可の境界、SCP、リソースポリシーがそのアクションを拒否していないか確認してください。",
                "その後、次のデプロイでターゲットが登録されるのを確認してください。",
            ],
        },
        docs: &[INFRA_ROLE_DOC, TROUBLESHOOT_DOC],
    },
];
