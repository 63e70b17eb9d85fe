use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "secrets.kms-denied",
        fires: &[
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-central-1:123456789012:secret:app-db-EaPYTy from secrets manager: AccessDeniedException: Access to KMS is not allowed status code: 400, request id: a87a66d9-f839-4353-b8c2-9984b1465695"),
            Text("Resourceinitializationerror: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd"),
        ],
        misses: &[Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/app/db")],
    },
    RuleCase {
        rule: "secrets.permission-denied",
        fires: &[
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/app-ExecutionRole-28VBAJL3T0YT/f83b93a4dc3442a18eaaf8c2a235cd37 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-2:123456789012:parameter/GOOGLE_CLIENT_ID because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: 1adcb55f-f798-4503-b8a3-cd1533290001"),
            Text("TaskFailedToStart: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/1 is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action"),
            // Copilot's wrapped console output, truncated right after the exception name.
            Text("(service web) was unable to place a task. Reason: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: …"),
            Reason("ASM secret resource: unable to find execution role credentials"),
        ],
        misses: &[
            // ECR registry auth is the image family's.
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: ecr:GetAuthorizationToken on resource: *"),
            Reason("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: logs:CreateLogStream : exit status 1"),
        ],
    },
    RuleCase {
        rule: "secrets.invalid-reference",
        fires: &[
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key PASSWORD"),
            Text("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: InvalidParameter: 1 validation error(s) found. - minimum field size of 32, GetSecretValueInput.VersionId."),
            Text("trying to retrieve secret with value arn:aws:secretsmanager:us-east-1:123456789012:secret resulted in error: an invalid ARN format for the AWS Secrets Manager secret was specified. Specify a valid ARN and try again."),
        ],
        misses: &[Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /app/prod/db-password")],
    },
    RuleCase {
        rule: "secrets.not-found",
        fires: &[
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /wishkit/parsing-engine/gemini-api-key"),
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret. status code: 400"),
            Text("ResourceInitializationError: The task can\u{2019}t retrieve the secret with ARN 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf' from AWS Secrets Manager. Check that the secret ARN is correct"),
        ],
        misses: &[Text("ResourceNotFoundException: Secrets Manager can't find the specified secret.")],
    },
    RuleCase {
        rule: "secrets.pull-command-killed",
        fires: &[
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: : signal: killed"),
            Text("TaskFailedToStart: ResourceInitializationError: pull command failed: : signal: killed"),
        ],
        misses: &[Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: signal: killed")],
    },
    RuleCase {
        rule: "secrets.network",
        fires: &[
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:123456789012:secret:DBPasswordSecret-AbCdEf from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration."),
            Text("Resourceinitializationerror: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadli…"),
            Text("The task cannot pull secrets from AWS Systems Manager Parameter Store. Check your network connection between the task and AWS Systems Manager."),
            // Registry credentials kept in Secrets Manager; the SDK's RequestError is a call with no answer.
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from asm: service call has been retried 1 time(s): asm fetching secret from the service for registry-creds: RequestError: send request fai…"),
        ],
        misses: &[Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 52.46.0.1:443: i/o timeout. Please check your task network configuration.")],
    },
    RuleCase {
        rule: "secrets.no-detail",
        fires: &[
            Stopped {
                reason: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed",
                stop_code: "TaskFailedToStart",
                exit: None,
            },
            Text("TaskFailedToStart: ResourceInitializationError: unable to pull secrets or registry auth."),
        ],
        // With the cause given, the rule for that cause explains it.
        misses: &[Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User is not authorized to perform: ssm:GetParameters")],
    },
    RuleCase {
        rule: "secrets.retrieval-failed",
        fires: &[
            // compose-cli output, truncated before the cause.
            Text("TaskFailedToStart: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:123456789012:secret:app..."),
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time…"),
        ],
        misses: &[Reason("ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 1 time(s)")],
    },
];
