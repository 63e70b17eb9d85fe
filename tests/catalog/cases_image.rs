use crate::RuleCase;
use ecs_doctor::fixture::Case::*;

pub const CASES: &[RuleCase] = &[
    RuleCase {
        rule: "image-pull.no-space",
        fires: &[
            Reason("CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob123456: no space left on device"),
            Text("cannotpullcontainererror: failed to register layer: Error processing tar file(exit status 1): write /usr/lib/x: no space left on device"),
            // Agent log line without the prefix: only a pull writes GetImageBlob files.
            Text("error=\"write /var/lib/docker/tmp/GetImageBlob987654321: no space left on device\""),
            // Fargate cut the text before "no space left on device".
            Reason("CannotPullContainerError: containerd: pull command failed: level=info msg=\"apply failure, attempting cleanup\" error=\"failed to extract layer sha256:0123abcd: write /var/lib/containerd/tmp/x…"),
        ],
        misses: &[Reason("CannotStartContainerError: no space left on device")],
    },
    RuleCase {
        rule: "image-pull.platform-mismatch",
        fires: &[
            Reason("CannotPullContainerError: image Manifest does not contain descriptor matching platform 'linux/amd64'"),
            Text("CannotPullContainerError: failed to find a descriptor for platform {linux/arm64}"),
            Text("CannotPullContainerError: no matching manifest for linux/arm64/v8 in the manifest list entries"),
        ],
        misses: &[Reason("CannotStartContainerError: exec format error")],
    },
    RuleCase {
        rule: "image-pull.rate-limited",
        fires: &[
            Reason("CannotPullContainerError: inspect image has been retried 1 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/nginx/manifests/latest: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit."),
            Text("CannotPullContainerError: Error response from daemon: toomanyrequests: Too Many Requests."),
            // ECR throttling its token API when many tasks start at once.
            Reason("CannotPullECRContainerError: ThrottlingException: Rate exceeded status code: 400"),
        ],
        misses: &[Text("ThrottlingException: Rate exceeded")],
    },
    RuleCase {
        rule: "image-pull.layer-download-blocked",
        fires: &[Reason(
            "CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReadSeeker: failed open: unexpected status code https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/abcd: 403 Forbidden",
        )],
        misses: &[Reason("CannotPullContainerError: pull access denied for app, repository does not exist")],
    },
    RuleCase {
        rule: "image-pull.ecr-auth-network",
        fires: &[Reason(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 52.46.0.1:443: i/o timeout. Please check your task network configuration.",
        )],
        misses: &[Reason(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: AccessDeniedException: User is not authorized to perform: ecr:GetAuthorizationToken",
        )],
    },
    RuleCase {
        rule: "image-pull.ecr-auth-denied",
        fires: &[Reason(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/exec/abc is not authorized to perform: ecr:GetAuthorizationToken on resource: *",
        )],
        misses: &[Reason(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: AccessDeniedException",
        )],
    },
    RuleCase {
        rule: "image-pull.network",
        fires: &[
            Reason("CannotPullContainerError: Error response from daemon: Get https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)"),
            Text("The task can\u{2019}t pull the image. Check your network configuration. CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1: dial tcp 10.0.0.1:443: i/o timeout"),
            Text("Cannotpullcontainererror: context canceled"),
        ],
        misses: &[Text("ResourceInitializationError: failed to initialize logging driver: dial tcp: i/o timeout")],
    },
    RuleCase {
        rule: "image-pull.access-denied",
        fires: &[
            Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1: pulling from host 123456789012.dkr.ecr.us-east-1.amazonaws.com failed with status code [manifests 1]: 403 Forbidden"),
            Text("The task can\u{2019}t pull the image. Check that the role has the permissions to pull images from the registry. CannotPullContainerError: denied: User: arn:aws:sts::123456789012:assumed-role/exec/x is not authorized to perform: ecr:BatchGetImage"),
            Text("CannotPullContainerError: Error response from daemon: Get https://ghcr.io/v2/o/r/manifests/1: unauthorized"),
            // A private registry reached without `repositoryCredentials`.
            Reason("CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref \"registry.example.com/team/app:2\": failed to authorize: failed to fetch anonymous token: unexpected status: 401"),
        ],
        misses: &[Reason("CannotPullContainerError: failed to resolve ref docker.io/library/nginx:nope: not found")],
    },
    RuleCase {
        rule: "image-pull.invalid-reference",
        fires: &[
            Text("InternalError: failed to normalize image reference \"./build/app\""),
            Reason("CannotPullContainerError: invalid reference format: repository name must be lowercase"),
        ],
        misses: &[Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/app:1: not found")],
    },
    RuleCase {
        rule: "image-pull.not-found",
        fires: &[
            Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:missing: not found"),
            Text("CannotPullContainerError: Error response from daemon: manifest for app:1.0 not found: manifest unknown: manifest unknown"),
            Text("The task can\u{2019}t pull the image. Check whether the image exists. CannotPullContainerError: denied: requested access to the resource is denied"),
            Text("Cannotpullcontainererror: Error response from daemon: pull access denied for myorg/app, repository does not exist or may require 'docker login'"),
        ],
        misses: &[Text("CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go: exec: \"app\": executable file not found in $PATH")],
    },
    RuleCase {
        rule: "image-pull.failed",
        fires: &[Reason("CannotPullContainerError: API error (500): something went wrong")],
        misses: &[Reason("CannotCreateContainerError: API error (500): something went wrong")],
    },
    RuleCase {
        rule: "image-pull.registry-too-many-requests",
        fires: &[
            Text("failed to copy: httpReadSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/redis/manifests/7: 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit."),
            Text("TaskFailedToStart: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading"),
        ],
        misses: &[Text("ThrottlingException: Rate exceeded"), Text("HTTP 429 from the payments API, retrying")],
    },
    RuleCase {
        rule: "image-pull.layer-format",
        fires: &[
            Reason("CannotPullContainerError: ref pull has been retried 5 time(s): failed to unpack image on snapshotter overlayfs: mismatched image rootfs and manifest layers: number of layers and diffIDs don't match"),
            Text("failed to register layer: unsupported media type application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"),
            Reason("CannotPullContainerError: Error response from daemon: manifest schema 1 is no longer supported: pull the image with a schema 2 manifest"),
        ],
        misses: &[Reason("CannotPullContainerError: failed to register layer: Error processing tar file(exit status 1): write /opt/x: no space left on device")],
    },
    RuleCase {
        rule: "image-pull.layer-failed",
        fires: &[
            Text("failed to register layer: re-exec error: exit status 1: output: hcsshim::ImportLayer failed in Win32: Access is denied. (0x5)"),
            Reason("CannotPullContainerError: failed to extract layer sha256:0123abcd: failed to mount /var/lib/containerd/tmpmounts/containerd-mount1: input/output error: unknown"),
        ],
        misses: &[Reason("CannotPullContainerError: pull image manifest has been retried 5 time(s): context canceled")],
    },
];
