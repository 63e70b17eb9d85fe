//! The vocabulary ECS failures are written in, taken from the sources that produce the messages:
//! the ECS container agent (`aws/amazon-ecs-agent`), the runtimes it passes errors through
//! (Moby/Docker, containerd, runc, hcsshim on Windows), the EC2 and ELB APIs whose error codes ECS
//! copies into reasons, and the ECS service-event and deployment messages.
//!
//! One entry per message family: where it comes from, the category ecs-doctor gives it, the rule
//! that explains it, and one representative message in the source's own format. `docs/vocabulary.md`
//! is generated from this table (a test keeps it in sync) and a test runs every message through
//! the engine and checks the category and rule.

use super::rule::Category;

/// Cause phrases: the wordings of the components under ECS (runc, containerd, Docker, the
/// registries, the NFS mount helper, the kernel's disk and cgroup errors, the agent itself) that
/// name a cause on their own. The rules list them in `anywhere` (or `any`), so they are matched
/// wherever they stand: bare, behind the agent's error type, or quoted inside another wrapper.
pub mod phrase {
    /// runc / containerd: the command of the container is not in the image.
    pub const EXEC_NOT_FOUND: &[&str] = &[
        "executable file not found",
        "exec user process caused: no such file or directory",
    ];
    /// Registries (Docker Hub, ECR, private) refusing the credentials, or getting none.
    pub const REGISTRY_AUTH: &[&str] = &[
        "authentication is required",
        "authentication required",
        "no basic auth credentials",
        "authorization token has expired",
        "failed to fetch anonymous token",
        "failed to fetch oauth token",
        "incorrect username or password",
    ];
    /// Registries: the repository or tag does not exist (OCI distribution error codes).
    pub const REGISTRY_MANIFEST: &[&str] = &[
        "manifest unknown",
        "name unknown",
        "repository does not exist or may require",
    ];
    /// amazon-efs-utils and mount.nfs4: an EFS volume could not be mounted.
    pub const NFS_MOUNT: &[&str] = &[
        "unable to mount file system fs-",
        "mount.nfs4",
        "mount.efs",
        "efs-utils",
        "failed to resolve \"fs-",
    ];
    /// The kernel (ENOSPC), devicemapper's thin pool and Windows (0x70): the host's disk is full.
    pub const DISK_FULL: &[&str] = &[
        "no space left on device",
        "thin pool has",
        "free data blocks which is less than minimum required",
        "not enough space on the disk",
    ];
    /// The agent's and runc's cgroup errors: the task's cgroup could not be created.
    pub const CGROUP: &[&str] = &[
        "cgrouperror",
        "cgroup create:",
        "setup cgroup: unable to create cgroup",
        "unable to initialize cgroup root",
        "could not create task's platform resources",
        "cgroups: cgroup mountpoint does not exist",
    ];
    /// The agent's pause container (awsvpc on EC2): its image is missing or would not start.
    pub const PAUSE_CONTAINER: &[&str] = &["amazon-ecs-pause", "pause container"];
    /// A container instance removed while it still ran tasks.
    pub const DEREGISTERED: &[&str] = &["deregistration forced by user", "container instance deregistration"];
    /// The agent's connections to the ECS backend: ACS (tasks to run) and TCS (telemetry).
    pub const AGENT_BACKEND: &[&str] = &[
        "error connecting to acs",
        "error connecting to tcs",
        "error getting message from ws backend",
    ];
    /// The agent (or the Docker CLI) cannot reach the Docker daemon.
    pub const DOCKER_DAEMON: &[&str] = &[
        "connect to docker daemon",
        "connect to the docker daemon",
        "ping docker daemon",
        "error connecting to docker",
        "network error connecting to docker",
        "is the docker daemon running",
    ];
    /// The agent could not register its instance with the cluster.
    pub const AGENT_REGISTRATION: &[&str] = &[
        "unable to register as a container instance",
        "unable to register container instance",
        "error registering container instance",
        "error re-registering container instance",
        "instance registration attempt with",
        "instance re-registration attempt with",
        "does not match the registered instance type",
    ];
}

/// One family of cause phrases, with texts that must reach its rule wherever the phrase stands.
#[derive(Debug, Clone, Copy)]
pub struct PhraseFamily {
    pub family: &'static str,
    pub source: &'static str,
    pub phrases: &'static [&'static str],
    pub category: Category,
    pub rule: &'static str,
    /// Real-format texts with the phrase and without the error type the rule used to need: each
    /// reaches the family's category, and the first one the family's rule.
    pub examples: &'static [&'static str],
}

/// One message family.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// The family: an agent error name, a runtime wording, an API error code or an event.
    pub family: &'static str,
    /// Where the wording is produced.
    pub source: &'static str,
    pub category: Category,
    /// The rule that explains the representative message.
    pub rule: &'static str,
    /// A representative message, in the format ECS reports it.
    pub message: &'static str,
}

const fn e(
    family: &'static str,
    source: &'static str,
    category: Category,
    rule: &'static str,
    message: &'static str,
) -> Entry {
    Entry {
        family,
        source,
        category,
        rule,
        message,
    }
}

const AGENT_DOCKERAPI: &str = "ecs-agent agent/dockerclient/dockerapi/errors.go";
const AGENT_ENGINE: &str = "ecs-agent agent/engine/errors.go";
const AGENT_API: &str = "ecs-agent ecs-agent/api/errors/errors.go";
const AGENT_RESOURCES: &str = "ecs-agent agent/taskresource/*";
const FARGATE_DOC: &str = "ECS docs: stopped-task error codes (Fargate agent)";
const MOBY: &str = "moby (Docker Engine) daemon";
const CONTAINERD: &str = "containerd (remotes, unpack)";
const RUNC: &str = "runc / OCI runtime";
const HCSSHIM: &str = "hcsshim (Windows containers)";
const EC2_API: &str = "EC2 API error codes";
const ELB: &str = "ELB health checks via ECS service events";
const SERVICE_EVENTS: &str = "ECS docs: service event messages";
const DEPLOYMENTS: &str = "ECS docs: deployment events, circuit breaker";
const ECS_API: &str = "ECS API failures / stoppedReason";

use Category as C;

/// The vocabulary table, grouped by source.
pub const VOCABULARY: &[Entry] = &[
    // ---- ECS agent: named errors (`<Name>: <message>` from DefaultNamedError) ----
    e("CannotPullContainerError", AGENT_DOCKERAPI, C::ImagePullNetwork, "image-pull.failed", "CannotPullContainerError: failed to prepare snapshot: a new cause phrase no rule knows"),
    e("CannotPullECRContainerError", AGENT_DOCKERAPI, C::ImagePullAuth, "image-pull.ecr-auth-denied", "CannotPullECRContainerError: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/i-0abc is not authorized to perform: ecr:GetAuthorizationToken on resource: *"),
    e("CannotPullContainerAuthError", AGENT_DOCKERAPI, C::ImagePullAuth, "image-pull.access-denied", "CannotPullContainerAuthError: Error response from daemon: Head \"https://registry.example.com/v2/app/manifests/1\": unauthorized: authentication required"),
    e("CannotPullImageManifestError", AGENT_DOCKERAPI, C::ImageNotFound, "image-pull.not-found", "CannotPullImageManifestError: failed to resolve ref 123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:v9: not found"),
    e("CannotCreateContainerError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.create-failed", "CannotCreateContainerError: Error response from daemon: invalid environment variable: =value"),
    e("CannotStartContainerError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.start-failed", "CannotStartContainerError: failed to get container status: rpc error: code = Unavailable"),
    e("CannotStopContainerError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.stop-failed", "CannotStopContainerError: failed sending SIGTERM to container: container not running"),
    e("CannotInspectContainerError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.inspect-failed", "CannotInspectContainerError: Error response from daemon: No such container: 4f1c2d"),
    e("CannotDescribeContainerError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.describe-failed", "CannotDescribeContainerError: rpc error: code = DeadlineExceeded desc = context deadline exceeded"),
    e("CannotListContainersError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.agent-error", "CannotListContainersError: context deadline exceeded"),
    e("CannotRemoveContainerError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.agent-error", "CannotRemoveContainerError: Error response from daemon: removal of container 7a1b is already in progress"),
    e("CannotGetContainerTopError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.agent-error", "CannotGetContainerTopError: Error response from daemon: container 7a1b is not running"),
    e("CannotCreateContainerExecError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.create-failed", "CannotCreateContainerExecError: Error response from daemon: container 7a1b is paused"),
    e("CannotCreateVolumeError", AGENT_DOCKERAPI, C::Volume, "volume.create-failed", "CannotCreateVolumeError: Error response from daemon: create ecs-app-1-data: invalid volume options"),
    e("CannotInspectVolumeError", AGENT_DOCKERAPI, C::Volume, "volume.docker-volume-failed", "CannotInspectVolumeError: Error response from daemon: get ecs-app-1-data: no such volume"),
    e("DockerTimeoutError (start)", AGENT_DOCKERAPI, C::RuntimeTimeout, "runtime.start-timeout", "DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s"),
    e("DockerTimeoutError (created)", AGENT_DOCKERAPI, C::RuntimeTimeout, "runtime.start-timeout", "DockerTimeoutError: Could not transition to created; timed out after waiting 4m0s"),
    e("DockerTimeoutError (stopped)", AGENT_DOCKERAPI, C::RuntimeTimeout, "runtime.start-timeout", "DockerTimeoutError: Could not transition to stopped; timed out after waiting 1m0s"),
    e("DockerTimeoutError (inspecting)", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.inspect-failed", "Could not transition to inspecting; timed out after waiting 30s"),
    e("ContainerRuntimeTimeoutError", FARGATE_DOC, C::RuntimeTimeout, "runtime.start-timeout", "ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m: context deadline exceeded"),
    e("ContainerRuntimeError", FARGATE_DOC, C::ContainerRuntime, "runtime.runtime-error", "ContainerRuntimeError: failed to create containerd task: unexpected state"),
    e("OutOfMemoryError", AGENT_DOCKERAPI, C::OutOfMemory, "runtime.oom-killed", "OutOfMemoryError: Container killed due to memory usage"),
    e("DockerStateError", AGENT_DOCKERAPI, C::ContainerRuntime, "runtime.docker-state", "DockerStateError: container exited during start: state error"),
    e("ContainerVanishedError", AGENT_ENGINE, C::ContainerRuntime, "runtime.container-vanished", "ContainerVanishedError: No container matching saved ID found"),
    e("TaskDependencyError", AGENT_ENGINE, C::AppExit, "runtime.dependency-failed", "TaskDependencyError: Task dependencies cannot be resolved, taskArn: arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b"),
    e("TaskStoppedBeforePullBeginError", AGENT_ENGINE, C::ExpectedStop, "runtime.stopped-before-pull", "TaskStoppedBeforePullBeginError: Task stopped before image pull could begin for task: arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b"),
    e("ContainerNetworkingError", AGENT_ENGINE, C::EniProvisioning, "runtime.networking-error", "ContainerNetworkingError: container resource provisioning: failed to setup network namespace: add network failed"),
    e("ImpossibleStateTransitionError", AGENT_ENGINE, C::ContainerRuntime, "runtime.agent-error", "ImpossibleStateTransitionError: Cannot transition to RUNNING"),
    e("UnknownError (unnamed agent error)", AGENT_API, C::ContainerRuntime, "runtime.agent-error", "UnknownError: failed to set up container cgroup"),
    e("InvalidVolumeError", AGENT_API, C::Volume, "volume.docker-volume-failed", "InvalidVolumeError: volume [data] : task scoped volume could not be autoprovisioned"),
    e("ResourceInitializationError (other)", AGENT_API, C::Infrastructure, "startup.resource-init-failed", "ResourceInitializationError: resource cannot be initialized for task arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b: unknown resource type"),
    // ---- ECS agent and Fargate: task resources ----
    e("secrets: ASM access denied", AGENT_RESOURCES, C::SecretsPermission, "secrets.permission-denied", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCd from secrets manager: AccessDeniedException: User is not authorized to perform: secretsmanager:GetSecretValue"),
    e("secrets: network", AGENT_RESOURCES, C::SecretsNetwork, "secrets.network", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestError: send request failed caused by: Post \"https://ssm.us-east-1.amazonaws.com/\": dial tcp 10.0.0.1:443: i/o timeout"),
    e("secrets: SSM parameter missing", AGENT_RESOURCES, C::SecretsNotFound, "secrets.not-found", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): InvalidParameters: [/prod/db-password]"),
    e("secrets: other", AGENT_RESOURCES, C::SecretsPermission, "secrets.retrieval-failed", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: unexpected response"),
    e("registry auth via ECR", AGENT_RESOURCES, C::ImagePullNetwork, "image-pull.ecr-auth-network", "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 10.0.0.2:443: i/o timeout"),
    e("env files", AGENT_RESOURCES, C::EnvFile, "envfile.download-failed", "ResourceInitializationError: failed to download env files: file download command: non empty error stream: unexpected end of stream"),
    e("EFS volumes", AGENT_RESOURCES, C::EfsMount, "efs.mount-failed", "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: unexpected output from the mount helper : unsuccessful EFS utils command execution; code: 1"),
    e("EFS volumes: NFS connection", AGENT_RESOURCES, C::EfsMount, "efs.security-group", "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: mount.nfs4: Connection reset by peer : unsuccessful EFS utils command execution; code: 32"),
    e("logging driver (awslogs, firelens)", FARGATE_DOC, C::LoggingSetup, "logging.setup-failed", "ResourceInitializationError: failed to initialize logging driver: failed to validate logger args: unexpected option"),
    e("FSx for Windows File Server", AGENT_RESOURCES, C::Volume, "volume.create-failed", "CannotCreateVolumeError: Failed to map fsxwindowsfileserver resource on the container instance error: exit status 1"),
    // ---- Moby / containerd / runc / hcsshim, passed through ----
    e("no space left on device (pull)", MOBY, C::HostStorage, "image-pull.no-space", "CannotPullContainerError: failed to register layer: Error processing tar file(exit status 1): write /usr/lib/libx.so: no space left on device"),
    e("devicemapper thin pool full", MOBY, C::HostStorage, "runtime.no-space", "CannotCreateContainerError: API error (500): devmapper: Thin Pool has 4 free data blocks which is less than minimum required 4096 free data blocks"),
    e("Windows disk full (0x70)", HCSSHIM, C::HostStorage, "image-pull.no-space", "CannotPullContainerError: failed to register layer: re-exec error: exit status 1: output: hcsshim::ImportLayer failed in Win32: There is not enough space on the disk. (0x70)"),
    e("layer store failure", MOBY, C::HostStorage, "image-pull.layer-failed", "failed to register layer: ApplyLayer exit status 1 stdout:  stderr: operation not permitted"),
    e("layer/manifest mismatch", CONTAINERD, C::ImagePlatformMismatch, "image-pull.layer-format", "CannotPullContainerError: failed to unpack image: mismatched image rootfs and manifest layers: number of layers and diffIDs don't match"),
    e("unsupported media type", CONTAINERD, C::ImagePlatformMismatch, "image-pull.layer-format", "CannotPullContainerError: failed to extract layer: unsupported media type application/vnd.in-toto+json"),
    e("platform not in manifest list", CONTAINERD, C::ImagePlatformMismatch, "image-pull.platform-mismatch", "CannotPullContainerError: image Manifest does not contain descriptor matching platform 'linux/arm64'"),
    e("Windows image/host build mismatch", HCSSHIM, C::ImagePlatformMismatch, "image-pull.platform-mismatch", "CannotPullContainerError: a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host"),
    e("exec format error", RUNC, C::ImagePlatformMismatch, "runtime.exec-format", "exec /usr/local/bin/app: exec format error"),
    e("manifest unknown", MOBY, C::ImageNotFound, "image-pull.not-found", "CannotPullContainerError: Error response from daemon: manifest for web:v3 not found: manifest unknown: manifest unknown"),
    e("registry 429 (Docker Hub)", CONTAINERD, C::ImagePullRateLimit, "image-pull.rate-limited", "CannotPullContainerError: inspect image has been retried 1 time(s): unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/1.27: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit."),
    e("registry 429 quoted alone", CONTAINERD, C::ImagePullRateLimit, "image-pull.registry-too-many-requests", "429 Too Many Requests - Server message: toomanyrequests: rate limit for anonymous pulls"),
    e("TLS / DNS / timeout to registry", CONTAINERD, C::ImagePullNetwork, "image-pull.network", "CannotPullContainerError: failed to do request: Head \"https://ghcr.io/v2/o/r/manifests/1\": dial tcp: lookup ghcr.io: no such host"),
    e("OOM while starting", RUNC, C::OutOfMemory, "runtime.oom-killed", "CannotStartContainerError: Error response from daemon: failed to create task for container: OCI runtime create failed: runc create failed: container init was OOM-killed (memory limit too low?): unknown"),
    e("executable not found", RUNC, C::ContainerCommand, "runtime.command-not-found", "CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/app/run\": stat /app/run: no such file or directory: unknown"),
    e("port already allocated", MOBY, C::ContainerRuntime, "runtime.port-in-use", "CannotStartContainerError: Error response from daemon: driver failed programming external connectivity on endpoint ecs-web-1: Bind for 0.0.0.0:80 failed: port is already allocated"),
    e("logging driver at start", MOBY, C::LoggingSetup, "logging.log-group-missing", "CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist."),
    e("volume plugin missing", MOBY, C::Volume, "volume.docker-volume-failed", "Error response from daemon: create ecs-web-1-data: error looking up volume plugin amazon-ecs-volume-plugin: plugin \"amazon-ecs-volume-plugin\" not found"),
    e("volume driver mount", MOBY, C::Volume, "volume.docker-volume-failed", "CannotCreateContainerError: Error response from daemon: VolumeDriver.Mount: {\"Error\":\"volume not attached\"}"),
    // ---- EC2 and ELB codes copied into reasons ----
    e("InsufficientFreeAddressesInSubnet", EC2_API, C::EniProvisioning, "ec2.subnet-addresses-exhausted", "InsufficientFreeAddressesInSubnet: The specified subnet does not have enough free addresses to satisfy the request."),
    e("NetworkInterfaceLimitExceeded", EC2_API, C::EniProvisioning, "ec2.eni-limit", "NetworkInterfaceLimitExceeded: You have reached the maximum number of network interfaces in this Region"),
    e("AttachmentLimitExceeded", EC2_API, C::EniProvisioning, "ec2.eni-limit", "AttachmentLimitExceeded: the instance has no free network card slot"),
    e("InsufficientInstanceCapacity", EC2_API, C::PlacementCapacity, "ec2.instance-capacity", "InsufficientInstanceCapacity: We currently do not have sufficient m6i.large capacity in the Availability Zone you requested."),
    e("ENI attachment timeout", ECS_API, C::EniProvisioning, "task.eni-provisioning-timeout", "Timeout waiting for network interface provisioning to complete."),
    e("target group health check", ELB, C::HealthCheckElb, "service.target-unhealthy", "(service web) (task 0a1b) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0a1b) due to (reason Health checks failed with these codes: [502])."),
    e("task stopped by ELB", ECS_API, C::HealthCheckElb, "task.elb-health-check", "Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0a1b)"),
    // ---- ECS service events and deployments ----
    e("placement: no instances", SERVICE_EVENTS, C::PlacementCapacity, "placement.no-container-instances", "(service web) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster."),
    e("placement: memory", SERVICE_EVENTS, C::PlacementCapacity, "placement.resource-memory", "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0a1b) has insufficient memory available."),
    e("placement: attribute", SERVICE_EVENTS, C::PlacementConstraint, "placement.attribute", "(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 0a1b) is missing an attribute required by your task."),
    e("placement: other wording", SERVICE_EVENTS, C::PlacementCapacity, "placement.requirements-unmet", "(service web) was unable to place a task. Reason: the scheduler could not find a suitable host."),
    e("start impaired", SERVICE_EVENTS, C::DeploymentFailed, "service.task-start-impaired", "(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section."),
    e("circuit breaker", DEPLOYMENTS, C::DeploymentFailed, "deployment.circuit-breaker", "ECS deployment circuit breaker: tasks failed to start."),
    e("rollback (free wording)", DEPLOYMENTS, C::DeploymentFailed, "deployment.family", "ECS deployment ecs-svc/0123456789 rolling back to the last completed deployment."),
    e("deployment: other wording", DEPLOYMENTS, C::DeploymentFailed, "deployment.family", "Deployment failed: the task set never reached steady state."),
    e("Fargate capacity", ECS_API, C::FargateCapacity, "placement.fargate-capacity-unavailable", "Capacity is unavailable at this time. Please try again later or in a different availability zone"),
];

/// The cause-phrase families, in the order of `docs/vocabulary.md`.
pub const PHRASE_FAMILIES: &[PhraseFamily] = &[
    PhraseFamily {
        family: "exec: command not found",
        source: RUNC,
        phrases: phrase::EXEC_NOT_FOUND,
        category: C::ContainerCommand,
        rule: "runtime.command-not-found",
        examples: &[
            "executable file not found in $PATH",
            "System error: exec: \"gunicorn\": executable file not found in $PATH",
            "standard_init_linux.go:228: exec user process caused: no such file or directory",
        ],
    },
    PhraseFamily {
        family: "registry authentication",
        source: "registries (Docker Registry HTTP API, ECR)",
        phrases: phrase::REGISTRY_AUTH,
        category: C::ImagePullAuth,
        rule: "image-pull.access-denied",
        examples: &[
            "Error from V2 registry: Authentication is required.",
            "Get \"https://registry.example.com/v2/\": no basic auth credentials",
        ],
    },
    PhraseFamily {
        family: "registry: repository or tag unknown",
        source: "registries (OCI distribution error codes)",
        phrases: phrase::REGISTRY_MANIFEST,
        category: C::ImageNotFound,
        rule: "image-pull.not-found",
        examples: &[
            "Error response from daemon: manifest for app:2.0 not found: manifest unknown: manifest unknown",
            "name unknown: The repository with name 'web' does not exist in the registry with id '123456789012'",
        ],
    },
    PhraseFamily {
        family: "EFS / NFS mount",
        source: "amazon-efs-utils, mount.nfs4",
        phrases: phrase::NFS_MOUNT,
        category: C::EfsMount,
        rule: "efs.mount-failed",
        examples: &[
            "Failed to mount fs-0a1b2c3d with amazon-efs-utils: unexpected error",
            "unable to mount file system fs-0a1b2c3d using mount target fsmt-0a1b2c3d",
            "b'mount.nfs4: access denied by server while mounting 127.0.0.1:/'",
        ],
    },
    PhraseFamily {
        family: "disk full, thin pool exhausted",
        source: "Linux (ENOSPC), devicemapper, hcsshim",
        phrases: phrase::DISK_FULL,
        category: C::HostStorage,
        rule: "runtime.no-space",
        examples: &[
            "devmapper: Thin Pool has 1632 free data blocks which is less than minimum required 1638 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior",
            "mkdir /var/lib/docker/overlay2/1f2e/merged: no space left on device",
        ],
    },
    PhraseFamily {
        family: "cgroup",
        source: "ecs-agent agent/taskresource/cgroup, runc",
        phrases: phrase::CGROUP,
        category: C::ContainerRuntime,
        rule: "runtime.cgroup",
        examples: &[
            "CgroupError: Agent could not create task's platform resources",
            "cgroup resource: setup cgroup: unable to create cgroup taskARN=arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b cgroupPath=/ecs/0a1b cgroupV2=true err=mkdir /sys/fs/cgroup/ecs.slice: read-only file system",
        ],
    },
    PhraseFamily {
        family: "pause container",
        source: "ecs-agent agent/engine (awsvpc on EC2)",
        phrases: phrase::PAUSE_CONTAINER,
        category: C::ContainerRuntime,
        rule: "runtime.pause-container",
        examples: &[
            "Error response from daemon: No such image: amazon/amazon-ecs-pause:0.1.0",
            "CannotStartContainerError: failed to start the pause container for task arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b",
        ],
    },
    PhraseFamily {
        family: "instance deregistered",
        source: "ECS stoppedReason",
        phrases: phrase::DEREGISTERED,
        category: C::InstanceInactive,
        rule: "task.instance-deregistered",
        examples: &["Container instance deregistration forced by user"],
    },
    PhraseFamily {
        family: "agent registration",
        source: "ecs-agent agent/app",
        phrases: phrase::AGENT_REGISTRATION,
        category: C::AgentDisconnected,
        rule: "instance.agent-registration-failed",
        examples: &[
            "Agent will terminally exit, unable to register container instance: ClientException: Cluster not found.",
            "Error registering container instance: RequestError: send request failed caused by: Post \"https://ecs.eu-west-1.amazonaws.com/\": dial tcp 10.0.0.1:443: i/o timeout",
        ],
    },
    PhraseFamily {
        family: "agent backend connection (ACS, TCS)",
        source: "ecs-agent agent/acs, agent/tcs, wsclient",
        phrases: phrase::AGENT_BACKEND,
        category: C::AgentDisconnected,
        rule: "instance.agent-backend-unreachable",
        examples: &["Error connecting to TCS: dial tcp 203.0.113.10:443: i/o timeout"],
    },
    PhraseFamily {
        family: "Docker daemon unreachable",
        source: "ecs-agent agent/dockerclient, Docker CLI",
        phrases: phrase::DOCKER_DAEMON,
        category: C::ContainerRuntime,
        rule: "runtime.docker-daemon-down",
        examples: &["Could not connect to docker daemon: dial unix /var/run/docker.sock: connect: connection refused"],
    },
];

/// `docs/vocabulary.md`: the table above as Markdown. A test keeps the checked-in file equal.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Vocabulary of ECS failure messages\n\n\
         Generated from `src/diagnose/vocabulary.rs` (run `UPDATE_VOCABULARY=1 cargo test --test it engine::vocabulary::`);\n\
         do not edit by hand. Each row is one message family, where its wording comes from, the\n\
         category and rule ecs-doctor gives it, and a representative message. `tests/it/engine/vocabulary.rs`\n\
         runs every message through the engine and checks category and rule. Families whose rule\n\
         is a family fallback (confidence `family`) are marked in `docs/rules.md`.\n\n\
         | Message family | Source | Category | Rule | Representative message |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for entry in VOCABULARY {
        out.push_str(&format!(
            "| {} | {} | `{}` | `{}` | {} |\n",
            cell(entry.family),
            cell(entry.source),
            entry.category.as_str(),
            entry.rule,
            cell(entry.message)
        ));
    }
    out.push_str(&format!("\n{} message families.\n", VOCABULARY.len()));
    out.push_str(
        "\n## Cause phrases, matched anywhere\n\n\
         The wording of the component that names the cause, matched wherever it stands: bare, behind\n\
         any error type, or quoted inside another wrapper. An error type still picks the stage when\n\
         it is there (`CannotPullContainerError: … no space left on device` is a full disk during a\n\
         pull). `tests/it/engine/vocabulary.rs` runs every phrase bare and inside foreign wrappers, and every\n\
         example, through the engine.\n\n\
         | Family | Source | Phrases | Category | Rule | Example |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for f in PHRASE_FAMILIES {
        let phrases: Vec<String> = f.phrases.iter().map(|p| format!("`{}`", cell(p))).collect();
        out.push_str(&format!(
            "| {} | {} | {} | `{}` | `{}` | {} |\n",
            cell(f.family),
            cell(f.source),
            phrases.join(", "),
            f.category.as_str(),
            f.rule,
            cell(f.examples.first().copied().unwrap_or_default())
        ));
    }
    out.push_str(&format!("\n{} cause-phrase families.\n", PHRASE_FAMILIES.len()));
    out
}

/// A table cell: pipes escaped, code-like text kept readable.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
