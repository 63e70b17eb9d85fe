use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "runtime.oom-killed",
        fires: &[
            ReasonExit("OutOfMemoryError: Container killed due to memory usage", 137),
            ReasonExit("OutOfMemoryError: Container killed due to memory usage", 1),
            ReasonExit("Outofmemoryerror: container killed due to memory usage", 0),
            Stopped { reason: "OutOfMemoryError: Container killed due to memory usage", stop_code: "EssentialContainerExited", exit: Some(137) },
        ],
        misses: &[
            Text("java.lang.OutOfMemoryError: Java heap space"),
            Reason("CannotStartContainerError: Error response from daemon: Minimum memory limit allowed is 6MB"),
        ],
    },
    RuleCase {
        rule: "runtime.no-space",
        fires: &[
            Reason("CannotCreateContainerError: API error (500): devmapper: Thin Pool has 4350 free data blocks which is less than minimum required 4454 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior"),
            Reason("CannotStartContainerError: no space left on device"),
            Text("cannotcreatecontainererror: Error response from daemon: mkdir /var/lib/docker/overlay2/abc-init: no space left on device"),
        ],
        misses: &[Reason("CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob123456: no space left on device")],
    },
    RuleCase {
        rule: "runtime.exec-format",
        fires: &[
            Reason("CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/app/server\": exec format error: unknown"),
            Text("standard_init_linux.go:228: exec user process caused: exec format error"),
        ],
        misses: &[Reason("CannotPullContainerError: image Manifest does not contain descriptor matching platform 'linux/arm64'")],
    },
    RuleCase {
        rule: "runtime.mount-failed",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:367: starting container process caused: process_linux.go:495: container init caused: rootfs_linux.go:60: mounting \"/var/lib/ecs/data/app.conf\" to rootfs at \"/etc/app\" caused: not a directory: unknown: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type"),
            Text("CannotStartContainerError: Error response from daemon: error while creating mount source path '/data/app': mkdir /data: read-only file system"),
            // A volume mounted where the runtime creates device nodes (NFS cannot hold them).
            Reason("CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error creating device nodes: mknod /run/containerd/rootfs/dev/zero: errno 524: unknown"),
        ],
        misses: &[Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"/app/start.sh\": stat /app/start.sh: no such file or directory: unknown")],
    },
    RuleCase {
        rule: "runtime.user-not-found",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: unable to find user appuser: no matching entries in passwd file"),
            Reason("CannotStartContainerError: ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount123: open /tmp/containerd-mount123/etc/passwd: no such file or directory"),
        ],
        misses: &[Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"/app/start.sh\": stat /app/start.sh: no such file or directory: unknown")],
    },
    RuleCase {
        rule: "runtime.command-not-found",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: \"app\": executable file not found in $PATH: unknown"),
            Reason("CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/app/start.sh\": stat /app/start.sh: no such file or directory: unknown"),
            Text("Cannotstartcontainererror: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"python\": executable file not found in $PATH…"),
            // Cut off by the console before the reason.
            Reason("CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: OCI runtime create failed: container_linux.go:370: starting container process caused: exec: \"/srv/run.sh\": stat /srv/run.sh: no such file or direc…"),
            Text("CannotStartContainerError: API error (500): oci runtime error: container_linux.go:247: starting container process caused \"exec: \\\"npm start\\\""),
        ],
        misses: &[Reason("ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting fs-0123.efs.us-east-1.amazonaws.com:/data failed, reason given by server: No such file or directory'")],
    },
    RuleCase {
        rule: "runtime.permission-denied",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused \"exec: \\\"/docker-entrypoint.sh\\\": permission denied\": unknown"),
            Text("CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/entrypoint.sh\": permission denied: unknown"),
        ],
        misses: &[Text("Error: EACCES: permission denied, open '/app/data/cache.json'")],
    },
    RuleCase {
        rule: "runtime.memory-limit-too-low",
        fires: &[
            Reason("CannotCreateContainerError: Error response from daemon: Minimum memory limit allowed is 6MB"),
            Text("cannotstartcontainererror: API error (400): Minimum memory limit allowed is 4MB"),
        ],
        misses: &[ReasonExit("OutOfMemoryError: Container killed due to memory usage", 137)],
    },
    RuleCase {
        rule: "runtime.cannot-allocate-memory",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: OCI runtime create failed: fork/exec /usr/bin/runc: cannot allocate memory: unknown"),
            Text("CannotCreateContainerError: Error response from daemon: cannot allocate memory"),
        ],
        misses: &[Text("fork: Cannot allocate memory")],
    },
    RuleCase {
        rule: "runtime.port-in-use",
        fires: &[
            Reason("CannotStartContainerError: Error response from daemon: driver failed programming external connectivity on endpoint ecs-app-7-app-a4b2c8 (9f1e0c): Bind for 0.0.0.0:8080 failed: port is already allocated"),
            Text("Cannotstartcontainererror: API error (500): listen tcp 0.0.0.0:80: bind: address already in use"),
        ],
        misses: &[ReasonExit("Error: listen EADDRINUSE: address already in use :::3000", 1)],
    },
    RuleCase {
        rule: "runtime.start-failed",
        fires: &[
            Reason("CannotStartContainerError: failed to get container status: context deadline exceeded"),
            Text("(service web) was unable to place a task. Reason: CannotStartContainerError: API error (500): unexpected EOF"),
        ],
        misses: &[Reason("CannotCreateContainerError: API error (500): something went wrong")],
    },
    RuleCase {
        rule: "runtime.create-name-conflict",
        fires: &[Reason("CannotCreateContainerError: Error response from daemon: Conflict. The container name \"/ecs-app-7-app-e4f8b1c2d3a4\" is already in use by container \"0123456789ab\". You have to remove (or rename) that container to be able to reuse that name.")],
        misses: &[Text("Conflict. The container name \"/web\" is already in use by container \"0123\"")],
    },
    RuleCase {
        rule: "runtime.create-failed",
        fires: &[
            Reason("CannotCreateContainerError: API error (500): something went wrong"),
            Text("Cannotcreatecontainererror: Error response from daemon: invalid ulimit argument: nofile"),
        ],
        misses: &[Reason("CannotStartContainerError: API error (500): something went wrong")],
    },
    RuleCase {
        rule: "runtime.stop-failed",
        fires: &[Reason("CannotStopContainerError: failed sending SIGTERM to container: context deadline exceeded")],
        misses: &[Reason("CannotStartContainerError: failed to get container status: context deadline exceeded")],
    },
    RuleCase {
        rule: "runtime.inspect-failed",
        fires: &[
            Reason("CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s"),
            Text("Cannotinspectcontainererror: context deadline exceeded"),
            Text("could not transition to inspecting; timed out after waiting 45s"),
        ],
        misses: &[Reason("CannotDescribeContainerError: context deadline exceeded")],
    },
    RuleCase {
        rule: "runtime.describe-failed",
        fires: &[Reason("CannotDescribeContainerError: context deadline exceeded")],
        misses: &[Reason("CannotInspectContainerError: context deadline exceeded")],
    },
    RuleCase {
        rule: "runtime.start-timeout",
        fires: &[
            Reason("DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s"),
            Reason("ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m: context deadline exceeded"),
            Text("TaskFailedToStart: Containerruntimetimeouterror: could not transition to created; timed out after waiting 4m0s"),
        ],
        misses: &[Reason("ContainerRuntimeError: failed to start container: context deadline exceeded")],
    },
    RuleCase {
        rule: "runtime.runtime-error",
        fires: &[Reason("ContainerRuntimeError: failed to start container: context deadline exceeded")],
        misses: &[Reason("ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m")],
    },
    RuleCase {
        rule: "runtime.internal-error",
        fires: &[
            Reason("InternalError: unexpected EOF"),
            Text("InternalError"),
        ],
        misses: &[Text("(service web) was unable to place a task. Reason: Internal error.")],
    },
    RuleCase {
        rule: "runtime.docker-state",
        fires: &[Reason("DockerStateError: failed to initialize logging for container: context canceled")],
        misses: &[Reason("ContainerVanishedError: No container matching saved ID found")],
    },
    RuleCase {
        rule: "runtime.container-vanished",
        fires: &[
            Reason("ContainerVanishedError: No container matching saved ID found"),
            ReasonExit("Containervanishederror: No container matching saved ID found", 137),
        ],
        misses: &[Reason("DockerStateError: container not found")],
    },
    RuleCase {
        rule: "runtime.dependency-failed",
        fires: &[
            Reason("TaskDependencyError: dependency graph: failed to resolve the container ordering dependency [init] for target [app] as dependency did not exit successfully."),
            Text("dependency graph: failed to resolve the container ordering dependency [migrate] for target [web]"),
        ],
        misses: &[Text("npm ERR! Could not resolve dependency: peer react@\"^17\"")],
    },
    RuleCase {
        rule: "runtime.networking-error",
        fires: &[
            Reason("ContainerNetworkingError: failed to set up network namespace: add network failed: plugin type=\"ecs-eni\" failed (add): failed to find the ENI"),
            Text("container resource provisioning: failed to setup network namespace: add network failed: bridge create veth pair: unable to attach the veth interface to bridge"),
        ],
        misses: &[Reason("CannotPullContainerError: Error response from daemon: Get https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/: dial tcp: lookup 123456789012.dkr.ecr.us-east-1.amazonaws.com: no such host")],
    },
    RuleCase {
        rule: "runtime.stopped-before-pull",
        fires: &[Text("TaskStoppedBeforePullBeginError: Task stopped before image pull could begin for task: arn:aws:ecs:us-east-1:123456789012:task/prod/0123456789abcdef")],
        misses: &[Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): context canceled")],
    },
    RuleCase {
        rule: "runtime.agent-error",
        fires: &[
            Reason("CannotRemoveContainerError: Error response from daemon: removal of container abc is already in progress"),
            Reason("UnknownError: context deadline exceeded while waiting for the runtime"),
            Text("CannotListContainersError: context deadline exceeded"),
            Reason("NoSuchContainerError: no container found for id 7a1b"),
        ],
        misses: &[Reason("CannotStopContainerError: failed sending SIGTERM to container: no such process")],
    },
    RuleCase {
        rule: "runtime.docker-daemon-down",
        fires: &[
            Text("CannotListContainersError: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"),
            Text("Error connecting to docker, backing off for 2.5s, error: dial unix /var/run/docker.sock: connect: connection refused"),
        ],
        misses: &[Reason("CannotStartContainerError: Error response from daemon: driver failed programming external connectivity")],
    },
    RuleCase {
        rule: "runtime.cgroup",
        fires: &[
            Stopped { reason: "CgroupError: Agent could not create task's platform resources", stop_code: "TaskFailedToStart", exit: None },
            Text("ResourceInitializationError: resource cannot be initialized for task arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b: cgroup create: unable to create controller: v1: mkdir /sys/fs/cgroup/memory/ecs/0a1b: no such file or directory"),
        ],
        misses: &[Text("UnknownError: failed to set up container cgroup")],
    },
    RuleCase {
        rule: "runtime.pause-container",
        fires: &[
            Reason("CannotCreateContainerError: Error response from daemon: No such image: amazon/amazon-ecs-pause:0.1.0"),
            Text("failed to start the pause container: container exited"),
        ],
        misses: &[Reason("CannotPullContainerError: Error response from daemon: pull access denied for amazon/amazon-ecs-agent")],
    },
];
