use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

pub const CASES: &[RuleCase] = &[
    // ---- Log driver ----
    RuleCase {
        rule: "logging.access-denied",
        fires: &[
            Reason("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsTaskExecutionRole/0123 is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:ecs/app/0123 : exit status 1"),
            Text("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0abc is not authorized to perform: logs:CreateLogGroup"),
        ],
        misses: &[Reason("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1")],
    },
    RuleCase {
        rule: "logging.network",
        fires: &[
            Reason("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post \"https://logs.eu-west-1.amazonaws.com/\": dial tcp 10.0.1.25:443: i/o timeout : signal: killed"),
            Text("Resourceinitializationerror: failed to initialize logging driver: dial tcp: i/o timeout"),
        ],
        misses: &[Text("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: dial tcp 127.0.0.1:24224: connect: connection refused")],
    },
    RuleCase {
        rule: "logging.log-group-missing",
        fires: &[
            Reason("ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1"),
            Reason("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist."),
            Text("The task cannot find the Amazon CloudWatch log group defined in the task definition."),
        ],
        misses: &[Text("ResourceNotFoundException: The specified log group does not exist.")],
    },
    RuleCase {
        rule: "logging.invalid-option",
        fires: &[Reason("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: unknown log opt 'awslogs-grup' for awslogs log driver")],
        misses: &[Reason("CannotStartContainerError: Error response from daemon: unknown flag 'awslogs-grup'")],
    },
    RuleCase {
        rule: "logging.setup-failed",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: CredentialsEndpointError: failed to load credentials caused by: RequestError: send request failed caused by: Get http://169.254.170.2/v2/credentials/1234: dial tcp 169.254.170.2:80: connect: connection refused"),
            Text("CannotStartContainerError: Error response from daemon: failed to initialize logging driver: dial tcp 127.0.0.1:24224: connect: connection refused"),
        ],
        misses: &[Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused \"exec: \\\"/docker-entrypoint.sh\\\": permission denied\": unknown")],
    },
    // ---- Environment files ----
    RuleCase {
        rule: "envfile.access-denied",
        fires: &[
            Reason("ResourceInitializationError: failed to download env files: file download command: non empty error stream: AccessDenied: Access Denied status code: 403, request id: 8Q9ZJ3XKQ1, host id: abc="),
            Text("unable to download env file with key app/prod.env from bucket my-config, error: AccessDenied: Access Denied"),
        ],
        misses: &[Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: access denied")],
    },
    RuleCase {
        rule: "envfile.not-found",
        fires: &[
            Reason("ResourceInitializationError: failed to download env files: file download command: non empty error stream: NoSuchKey: The specified key does not exist. status code: 404"),
            Text("unable to parse bucket and key from s3 ARN specified in environmentFile s3://my-config/app.env, error: arn: invalid prefix"),
        ],
        misses: &[Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1: not found")],
    },
    RuleCase {
        rule: "envfile.network",
        fires: &[Reason("ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded")],
        misses: &[Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded")],
    },
    RuleCase {
        rule: "envfile.download-failed",
        fires: &[Text("ResourceInitializationError: failed to download env files: file download command: non empty error stream: …")],
        misses: &[Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: unexpected error")],
    },
    // ---- EFS ----
    RuleCase {
        rule: "efs.mount-target-dns",
        fires: &[
            Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-06642d00e4ec726.efs.ap-northeast-1.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. See https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail. Attempting to lookup mount target ip address using botocore. Failed to import necessary dependency botocore, please install botocore first. : unsuccessful EFS utils command execution; code: 1"),
            Text("CannotCreateContainerError: Error response from daemon: create ecs-td-metabase-6-metabase-volume-9eb7f486c9c6ae8d4600: VolumeDriver.Create: mounting volume failed: Failed to resolve \"fs-02417eff7308d5026.efs.ap-northeast-1.amazonaws.com\" - check that your file system ID is correct"),
        ],
        misses: &[Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection reset by peer' : unsuccessful EFS utils command execution; code: 32")],
    },
    RuleCase {
        rule: "efs.access-denied",
        fires: &[
            Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils command execution; code: 32"),
            Text("resourceinitializationerror: failed to invoke efs utils commands to set up efs volumes: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/'…"),
        ],
        misses: &[Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting fs-0123.efs.us-east-1.amazonaws.com:/grafana failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32")],
    },
    RuleCase {
        rule: "efs.security-group",
        fires: &[
            Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection reset by peer' : unsuccessful EFS utils command execution; code: 32"),
            Text("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: mount.nfs4: Connection timed out : unsuccessful EFS utils command execution; code: 32"),
        ],
        misses: &[Reason("CannotPullContainerError: Error response from daemon: Get https://registry-1.docker.io/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers); connection reset by peer")],
    },
    RuleCase {
        rule: "efs.root-directory",
        fires: &[
            Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting fs-0a1b2c3d.efs.eu-west-1.amazonaws.com:/grafana failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32"),
            Text("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting 127.0.0.1:/ failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32"),
        ],
        misses: &[Text("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"/app/start.sh\": stat /app/start.sh: no such file or directory: unknown")],
    },
    RuleCase {
        rule: "efs.mount-failed",
        fires: &[Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: unexpected error: unsuccessful EFS utils command execution; code: 1")],
        misses: &[Reason("CannotCreateVolumeError: failed to create volume data: unsupported driver")],
    },
    RuleCase {
        rule: "volume.create-failed",
        fires: &[
            Reason("CannotCreateVolumeError: failed to create volume data: unsupported driver"),
            Text("Cannotcreatevolumeerror: volume driver rexray/ebs not found"),
        ],
        misses: &[Reason("CannotCreateContainerError: Error response from daemon: create data: VolumeDriver.Create: plugin not found")],
    },
    RuleCase {
        rule: "startup.resource-init-failed",
        fires: &[
            Reason("ResourceInitializationError: resource cannot be initialized for task arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef: cgroup: unable to create cgroup"),
            Text("TaskFailedToStart: ResourceInitializationError: failed to configure task network"),
        ],
        misses: &[
            Reason("CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/app/run\": stat /app/run: no such file or directory: unknown"),
            Reason("ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): invalid ssm parameters: /app/db"),
        ],
    },
    RuleCase {
        rule: "volume.docker-volume-failed",
        fires: &[
            Reason("CannotCreateContainerError: Error response from daemon: VolumeDriver.Mount: {\"Error\":\"exit status 32\"}"),
            Text("Error response from daemon: create ecs-web-3-data-b2c1: error looking up volume plugin rexray/ebs: plugin \"rexray/ebs\" not found"),
            Reason("CannotCreateContainerError: Error response from daemon: failed to copy file info for /var/lib/ecs/volumes/ecs-web-3-cache-9a8b: permission denied"),
        ],
        misses: &[Reason("CannotCreateContainerError: Error response from daemon: Conflict. The container name \"/ecs-web-3-app\" is already in use")],
    },
];
