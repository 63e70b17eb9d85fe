//! Real ECS failure texts as people posted them in public bug reports, forum threads and blog
//! posts, each with the category an experienced operator would give it (decided from the text and
//! the thread it came from, not from what ecs-doctor happens to answer).
//!
//! The texts are copied verbatim, including their wrappers ("STOPPED Reason: …", "service x was
//! unable to place a task …"), truncation ("…", cut-off words), line wraps and lower-casing, because
//! that is what an operator pastes into `ecs-doctor explain --text`. None of them is reused from the
//! catalog fixtures (`tests/catalog/cases_*.rs`) or the sample events (`events/`).
//!
//! `GAPS` lists real texts whose cause the text itself does not carry (the thread found it some
//! other way); they are diagnosed and printed, never asserted, so that the limits stay visible.

use ecs_doctor::diagnose::{diagnose, Lang};
use ecs_doctor::event::from_text;

struct Real {
    /// Where the text was posted.
    source: &'static str,
    /// The text, verbatim.
    text: &'static str,
    /// The category of the primary finding.
    category: &'static str,
    /// The rule of the primary finding, when one specific rule is clearly right.
    rule: Option<&'static str>,
}

const fn r(source: &'static str, text: &'static str, category: &'static str) -> Real {
    Real {
        source,
        text,
        category,
        rule: None,
    }
}

const fn rr(source: &'static str, text: &'static str, category: &'static str, rule: &'static str) -> Real {
    Real {
        source,
        text,
        category,
        rule: Some(rule),
    }
}

const CASES: &[Real] = &[
    // ---- CannotPullContainerError: network ----
    rr(
        "https://github.com/aws-samples/aws-modern-application-workshop/issues/71",
        "CannotPullContainerError: API error (500): Get https://111222333444.dkr.ecr.eu-west-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
        "image-pull-network",
        "image-pull.network",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/1128",
        "CannotPullContainerError: API error (500): Get https://registry-1.docker.io/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
        "image-pull-network",
        "image-pull.network",
    ),
    rr(
        "https://github.com/deepfence/terraform-aws-cloud-scanner/issues/13",
        r#"CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref quay.io/deepfenceio/cloud-scanner:latest: failed to do request: Head "https://quay.io/v2/deepfenceio/cloud-scanner/manifests/latest": dial tcp 3.210.148.47:443: i/o timeout"#,
        "image-pull-network",
        "image-pull.network",
    ),
    // Truncated by the poster; the thread is a private subnet whose NAT route did not work.
    r(
        "https://github.com/aws/amazon-ecs-agent/issues/3035",
        "CannotPullContainerError: inspect image has been retried 5 time(s): ",
        "image-pull-network",
    ),
    // The route table had no 0.0.0.0/0 route to the internet gateway.
    r(
        "https://github.com/docker-archive/compose-cli/issues/911",
        r#"CannotPullContainerError: failed to resolve ref "docker.io/docker/ecs-searchdomain-sidecar:1.0""#,
        "image-pull-network",
    ),
    // ---- CannotPullContainerError: authentication and authorization ----
    rr(
        "https://github.com/aws/aws-cdk/issues/14457",
        r#"CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "xxxxx.xxx": unexpected status code [manifests 6981141]: 403 Forbidden"#,
        "image-pull-auth",
        "image-pull.access-denied",
    ),
    rr(
        "https://github.com/aws/containers-roadmap/issues/1302",
        r#"CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "artifactoryserver.com:1": unexpected status code [manifests 1]: 401 Unauthorized "#,
        "image-pull-auth",
        "image-pull.access-denied",
    ),
    // A private JFrog registry used without repositoryCredentials.
    rr(
        "https://github.com/aws/containers-roadmap/issues/1658",
        r#"CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "rrr-docker-nonprod-virtual.us.artifactory.r1.rrr.com/rrr-backend-service/aws2o:20220128.2": failed to authorize: failed to fetch anonymous token."#,
        "image-pull-auth",
        "image-pull.access-denied",
    ),
    // ---- CannotPullContainerError: no such image, tag or digest ----
    rr(
        "https://github.com/awslabs/ecs-task-kite/issues/8",
        "CannotPullContainerError: Error response from daemon: pull access denied for ecs-task-kite, repository does not exist or may require 'docker login'",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/2343",
        "STOPPED Reason: CannotPullContainerError: Error response from daemon: pull access denied for elasticsearch/elasticsearch, repository does not exist or may require 'docker login'",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/prakhar1989/docker-curriculum/issues/218",
        "... STOPPED Reason: CannotPullContainerError: Error response from daemon: manifest for elasticsearch:latest not found",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/422",
        "CannotPullContainerError: Tag latest not found in repository docker.io/library/owncloud",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/CircleCI-Public/circleci-demo-aws-ecs-ecr/issues/4",
        "CannotPullContainerError: Error response from daemon: manifest for nginx:0f6b3cdf5e24f0da3dd932acd84fd90e9786a522 not found",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/RafalWilinski/deploy-with-serverless/issues/11",
        "CannotPullContainerError: API error (404): repository serverless-batch not found: does not exist or no pull access",
        "image-not-found",
        "image-pull.not-found",
    ),
    // The task definition's image was a bare digest, read as a Docker Hub repository.
    rr(
        "https://github.com/aws-actions/amazon-ecs-deploy-task-definition/issues/584",
        "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref docker.io/library/sha256:8795397484604bc67cfcda4f4245dd248b172df523ce9778209e735ffe370426: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/aws/containers-roadmap/issues/2687",
        "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 12345678-eu-west-1.amazonaws.com/example-service:example-image:image-tag@sha256:sha digest: not found",
        "image-not-found",
        "image-pull.not-found",
    ),
    rr(
        "https://github.com/quintilesims/layer0/issues/389",
        "CannotPullContainerError: Error: image foo/foo not found",
        "image-not-found",
        "image-pull.not-found",
    ),
    // Copilot's manifest named "Dockerfile" as the image location.
    rr(
        "https://github.com/aws/copilot-cli/issues/2584",
        r#"InternalError: failed to normalize image reference "Dockerfile""#,
        "image-not-found",
        "image-pull.invalid-reference",
    ),
    // ---- Platform, rate limits, disk ----
    // Built by buildah in OCI format; the fix was a Docker-format manifest.
    rr(
        "https://github.com/aws/containers-roadmap/issues/1120",
        "CannotPullContainerError: failed to find a descriptor for platform {linux/amd64}",
        "image-platform-mismatch",
        "image-pull.platform-mismatch",
    ),
    rr(
        "https://github.com/aws-samples/amazon-bedrock-serverless-prompt-chaining/issues/213",
        "exec /usr/local/bin/streamlit: exec format error",
        "image-platform-mismatch",
        "runtime.exec-format",
    ),
    // ECR's GetAuthorizationToken throttle, answered by the ECS team in the thread.
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/498",
        "CannotPullECRContainerError: ThrottlingException: Rate exceeded\n        status code: 400, request id: 75567eb3-6abb-11e6-9d4c-cb4ccd1cee97",
        "image-pull-rate-limit",
        "image-pull.rate-limited",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/716",
        "write /var/lib/docker/tmp/GetImageBlob102484030: no space left on device",
        "host-storage",
        "image-pull.no-space",
    ),
    // Truncated by Fargate; the poster was out of ephemeral storage and raised it.
    rr(
        "https://github.com/aws/containers-roadmap/issues/1133",
        r#"CannotPullContainerError: containerd: pull command failed: time="2021-08-20T13:58:49Z" level=info msg="apply failure, attempting cleanup" error="failed to extract layer sha256:e246d4b4c5f108af0f72da900f45ae9a37e1d184d8d605ab4117293b6990b7b8: write /var..."#,
        "host-storage",
        "image-pull.no-space",
    ),
    rr(
        "https://github.com/nasa/cumulus-api/issues/209",
        "CannotCreateContainerError: API error (500): devmapper: Thin Pool has 0 free data blocks which is less than minimum required 20253 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior",
        "host-storage",
        "runtime.no-space",
    ),
    // ---- ResourceInitializationError: secrets and registry credentials ----
    rr(
        "https://github.com/Releem/releem-agent/issues/195",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:*:secret:DBPasswordSecret-* from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.",
        "secrets-network",
        "secrets.network",
    ),
    // Title of the issue, cut there by GitHub; fixed with assign_public_ip.
    rr(
        "https://github.com/aws-samples/dataops-platform-airflow-dbt/issues/12",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch ",
        "secrets-network",
        "secrets.network",
    ),
    // Registry credentials (repositoryCredentials) kept in Secrets Manager, fetched without a network path.
    rr(
        "https://dev-solve.com/ja/posts/3a6d4d4",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to get registry auth from asm: service call has been retried 1 time(s): asm fetching secret from the service for <secretname>: RequestError: ...",
        "secrets-network",
        "secrets.network",
    ),
    // The bare wording the console shows; both threads fixed it with a public IP or a public subnet.
    r(
        "https://github.com/karanpratapsingh/preview-environments/issues/9",
        "ResourceInitializationError: unable to pull secrets or registry auth",
        "secrets-network",
    ),
    rr(
        "https://github.com/aws/copilot-cli/issues/3104",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: ....",
        "secrets-permission",
        "secrets.permission-denied",
    ),
    rr(
        "https://github.com/GiamPy5/terraform-aws-directus/issues/10",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-central-1:account_id:secret:algo-dev-directus-secret20240626183203358800000004-EaPYTy from secrets manager: AccessDeniedException: Access to KMS is not allowed status code: 400, request id: a87a66d9-f839-4353-b8c2-9984b1465695",
        "secrets-permission",
        "secrets.kms-denied",
    ),
    rr(
        "https://github.com/aws/aws-app-mesh-examples/issues/413",
        "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 5 time(s): RequestError: send request failed caused by: Post https://api.ecr....",
        "image-pull-network",
        "image-pull.ecr-auth-network",
    ),
    // ---- ResourceInitializationError: logging, env files, EFS ----
    rr(
        "https://github.com/civiform/civiform/issues/7648",
        "ResourceInitializationError: failed to validate logger args: The task cannot find the Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task and Amazon CloudWatch. Check your network configuration. : signal: killed",
        "logging-setup",
        "logging.network",
    ),
    rr(
        "https://github.com/prakhar1989/docker-curriculum/issues/260",
        "STOPPED Reason: CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::765486523053:assumed-role/amazon-ecs-cli-setup-foodtrucks-EcsInstanceRole-1II7J9P4",
        "logging-setup",
        "logging.access-denied",
    ),
    rr(
        "https://github.com/doctorray117/minecraft-ondemand/issues/12",
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: AccessDeniedException: User: arn:aws:sts::zzzzzzzzzzzz:assumed-role/ecs.task.minecraft-server/123456a999ee4b919...",
        "logging-setup",
        "logging.access-denied",
    ),
    rr(
        "https://github.com/terraform-aws-modules/terraform-aws-ecs/pull/145",
        "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::xxxxxxxxxxx:assumed-role/xxxxxxxxx-idnumber00000xxxxx/uuid is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:xxxxxxxxxx:log-group:/ecs/xxxxxxxxxxxx:log-stream: because no identity-based policy allows the logs:CreateLogGroup action status code: 400, request id: xxxxxxxx-xxxxx-xxxxx-xxxxx-xxxxxxxxxxxx : exit status 1",
        "logging-setup",
        "logging.access-denied",
    ),
    r(
        "https://github.com/aws/aws-cdk/issues/5954",
        "Error response from daemon: failed to initialize logging driver",
        "logging-setup",
    ),
    rr(
        "https://github.com/aws/aws-cli/issues/6470",
        "ResourceInitializationError: failed to download env files: file download command: non empty error stream: RequestCanceled: request context canceled caused by: context deadline exceeded",
        "env-file",
        "envfile.network",
    ),
    rr(
        "https://github.com/aws/aws-cdk/issues/12720",
        "ResourceInitializationError: failed to download env files: file download command: non-empty error stream: failed to download file 1.env: failed to write to a temporary file: AccessDenied: Access Denied",
        "env-file",
        "envfile.access-denied",
    ),
    // Cut off by the poster; Fargate could not resolve the EFS DNS name.
    rr(
        "https://github.com/cn-terraform/terraform-aws-jenkins/issues/23",
        r#"ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve "fs-0867a83d8ed398433.efs."#,
        "efs-mount",
        "efs.mount-target-dns",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-cli/issues/1083",
        r#"ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve "fs-00000000.efs.us-east-1.amazonaws.com" - check that your file system ID is correct."#,
        "efs-mount",
        "efs.mount-target-dns",
    ),
    rr(
        "https://github.com/docker-archive/compose-cli/issues/1490",
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: mount.nfs4: Connection reset by peer : unsuccessful EFS utils command execution; code: 32",
        "efs-mount",
        "efs.security-group",
    ),
    rr(
        "https://github.com/acp-io/terraform-grafana/issues/4",
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting fs-<some numbers>.efs.<region>.amazonaws.com:/grafana failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32",
        "efs-mount",
        "efs.root-directory",
    ),
    // ---- CannotStartContainerError / CannotCreateContainerError ----
    rr(
        "https://github.com/jenkinsci/amazon-ecs-plugin/issues/258",
        r#"CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: failed to create shim: OCI runtime create failed: container_linux.go:380: starting container process caused: exec: "-url": executable file not found in"#,
        "container-command",
        "runtime.command-not-found",
    ),
    // The EFS volume was mounted over the directory that held the entrypoint script.
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/2954",
        r#"CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: OCI runtime create failed: container_linux.go:370: starting container process caused: exec: "/opt/sonarqube/bin/run.sh": stat /opt/sonarqube/bin/run.sh...no such file or direct..."#,
        "container-command",
        "runtime.command-not-found",
    ),
    // A shell command line given as one exec-form word; cut off in the console.
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/717",
        r#"CannotStartContainerError: API error (404): invalid header field value "oci runtime error: container_linux.go:247: starting container process caused \"exec: \\\"apt-get update \\\\\\\\\\\\n && apt-get -y --no-install-recommends install php-memcached p"#,
        "container-command",
        "runtime.command-not-found",
    ),
    // The container's `user` could not be looked up: the image has no /etc/passwd.
    rr(
        "https://github.com/aws-samples/net-modernization/issues/13",
        "CannotStartContainerError: ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount916692511: open /tmp/containerd-mount916692511/etc/passwd: no such file or directory",
        "container-command",
        "runtime.user-not-found",
    ),
    // An EFS volume mounted where the runtime creates device nodes (NFS cannot hold them).
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/3526",
        "(Cannotstartcontainererror: ResourceInitializationError: failed to create new container runtime task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error creating device nodes: mknod /run/containerd/io.containerd.runtime.v2.task/fargate.task/962011037cd2435a9aa5f40392d82936-2949673445/rootfs/dev/null: errno 524: unknown)\"",
        "volume",
        "runtime.mount-failed",
    ),
    rr(
        "https://github.com/aws/containers-roadmap/issues/1425",
        "(CannotCreateVolumeError: unable to copy contents to volume on host: containerd: failed to get image reference: context deadline exceeded)",
        "volume",
        "volume.create-failed",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-cli/issues/194",
        "STOPPED (CannotCreateContainerError: API error (500): Untar)",
        "container-runtime",
        "runtime.create-failed",
    ),
    // ---- Runtime timeouts and memory ----
    rr(
        "https://github.com/rstudio/r-builds/pull/140",
        "DockerTimeoutError: Could not transition to created; timed out after waiting 4m0s",
        "runtime-timeout",
        "runtime.start-timeout",
    ),
    // Docker did not answer an inspect in time: a slow or overloaded daemon on the host.
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/278",
        "Could not transition to inspecting; timed out after waiting 10s",
        "container-runtime",
        "runtime.inspect-failed",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/1187",
        " Status reason\tOutOfMemoryError: Container killed due to memory usage Exit Code\t137",
        "out-of-memory",
        "runtime.oom-killed",
    ),
    rr(
        "https://github.com/aws/copilot-cli/issues/3470",
        "OutOfMemoryError: Container killed due to memory usage\n--\nExit code: 137",
        "out-of-memory",
        "runtime.oom-killed",
    ),
    rr(
        "https://cloudwithgagan.com/blog/fix-aws-ecs-task-failed-to-start-errors/",
        "Essential container in task exited (exit code: 137)",
        "out-of-memory",
        "exit.137-oom-suspected",
    ),
    // ---- Placement ----
    rr(
        "https://github.com/ptokito/ECSClusterWithTerraform/issues/3",
        "service authentication_services was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.",
        "placement-capacity",
        "placement.no-container-instances",
    ),
    rr(
        "https://github.com/aws-samples/cost-effective-aws-deployment-of-comfyui/issues/39",
        "service ComfyUIStack-ComfyUIService6B91FEDA-6l6z6AJugL5Q was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your capacity provider. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
        "placement-capacity",
        "placement.no-container-instances",
    ),
    rr(
        "https://github.com/aws/aws-cdk/issues/30171",
        "No Container Instances were found in your cluster. (Service: AmazonECS; Status Code: 400; Error Code: InvalidParameterException; Request ID: cb76661d-7bb1-49ee-8fa7-8ba1feea5656; Proxy: null)",
        "placement-capacity",
        "placement.no-container-instances",
    ),
    rr(
        "https://github.com/pulumi/pulumi-cloud/issues/454",
        "service examples-nginx-5b107b8 was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 333ba941-dd6f-4762-985d-b166b212d795 is missing an attribute required by your task. For more information, see the Troubleshooting section.",
        "placement-constraint",
        "placement.attribute",
    ),
    rr(
        "https://github.com/hashicorp/terraform-provider-aws/issues/32068",
        "The closest matching container-instance exxxxxxxxxxx5xxxxxxxxxxxxxxf is missing an attribute required by your task. For more information, see the Troubleshooting section",
        "placement-constraint",
        "placement.attribute",
    ),
    rr(
        "https://github.com/aws-actions/amazon-ecs-deploy-task-definition/issues/260",
        "service my-service was unable to place a task because no container instance met all of its requirements. The closest matching container-instance ****af580523fe1022f095e doesn't have the agent connected. For more information, see the Troubleshooting section.",
        "agent-disconnected",
        "placement.agent-disconnected",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/375",
        r#"{"Failures":[{"Arn":"arn:aws:ecs:us-west-2:763396238289:container-instance/eab7ed01-13fa-4280-a8f9-f5e48855e13e","Reason":"AGENT"}],"Tasks":[]}"#,
        "agent-disconnected",
        "placement.agent-disconnected",
    ),
    rr(
        "https://github.com/apache/airflow/issues/22255",
        "airflow.providers.amazon.aws.exceptions.ECSOperatorError: {'tasks': [], 'failures': [{'arn': 'arn:aws:ecs:eu-west-1:xxxx:container-instance/zzzzz', 'reason': 'RESOURCE:CPU'}], 'ResponseMetadata': {'RequestId': 'xxxx', 'HTTPStatusCode': 200, 'HTTPHeaders': {'x-amzn-requestid': 'xxxxx', 'content-type': 'application/x-amz-json-1.1', 'content-length': '146', 'date': 'Mon, 14 Mar 2022 16:18:11 GMT'}, 'RetryAttempts': 0}}",
        "placement-capacity",
        "placement.resource-cpu",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-cli/issues/178",
        "INFO[0000] Couldn't run containers                       reason=RESOURCE:MEMORY",
        "placement-capacity",
        "placement.resource-memory",
    ),
    // A rolling update on one small instance: the new task needs room beside the old one.
    rr(
        "https://github.com/aws/amazon-ecs-cli/issues/274",
        "service ecscompose-service-prometheus was unable to place a task because no container instance met all of its requirements. The closest matching container-instance 04bf0ffc-cd9f-49b4-bf29-6c64a19c86bb has insufficient memory available. For more information, see the Troubleshooting section.",
        "placement-capacity",
        "placement.resource-memory",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/2448",
        r#"service <service> was unable to place a task because no container instance met all of its requirements. The closest matching container-instance <uid> encountered error "RESOURCE:ENI". For more information, see the Troubleshooting section."#,
        "placement-capacity",
        "placement.resource-eni",
    ),
    rr(
        "https://github.com/CircleCI-Archived/circle-ecs/issues/1",
        "(service *******_) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance ***_**************) is already using a port required by your task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
        "placement-capacity",
        "placement.resource-ports",
    ),
    rr(
        "https://github.com/wellcomecollection/platform/issues/3875",
        "service storage-prod-bag-unpacker was unable to place a task. Reason: You've reached the limit on the number of tasks you can run concurrently. For more information, see the Troubleshooting section.",
        "fargate-capacity",
        "placement.quota-task-count",
    ),
    rr(
        "https://github.com/sil-org/ecs-deploy/issues/277",
        "ERROR: was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone",
        "fargate-capacity",
        "placement.fargate-capacity-unavailable",
    ),
    // ---- Task summaries as the console shows them ----
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/1883",
        "STOPPED(Essential container in task exited)",
        "app-exit",
        "task.essential-container-exited",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/1654",
        "STOPPED(Task failed to start)",
        "unknown",
        "task.failed-to-start",
    ),
    // ---- Service events, IAM, deployments ----
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/1455",
        "service carealign-admin is unable to consistently start tasks successfully. For more information, see the Troubleshooting section.",
        "deployment-failed",
        "service.task-start-impaired",
    ),
    rr(
        "https://github.com/aws-samples/aws-modern-application-workshop/issues/149",
        "service MythicalMysfits-Service failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::xxxxx' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.).",
        "iam-role",
        "service.task-role-assume-failed",
    ),
    rr(
        "https://github.com/boto/boto3/issues/1878",
        "service webapp-1 failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::123456789:role/null' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.).",
        "iam-role",
        "service.task-role-assume-failed",
    ),
    rr(
        "https://github.com/aws-solutions/cost-optimizer-for-amazon-workspaces/issues/13",
        "[ERROR] InvalidParameterException: An error occurred (InvalidParameterException) when calling the RunTask operation: Unable to assume the service linked role. Please verify that the ECS service linked role exists.",
        "iam-role",
        "service.linked-role-missing",
    ),
    rr(
        "https://github.com/aws/copilot-cli/issues/2584",
        r#"Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.(RequestToken: 256edf08-7afc-0783-a02f-4fd6be3a7e60, HandlerErrorCode: GeneralServiceException)"#,
        "deployment-failed",
        "deployment.circuit-breaker",
    ),
    rr(
        "https://github.com/aws/containers-roadmap/issues/1488",
        "ECS deployment circuit breaker: tasks failed to start.",
        "deployment-failed",
        "deployment.circuit-breaker",
    ),
    // Copilot's terminal output, wrapped mid-word at its column width.
    rr(
        "https://github.com/aws/copilot-cli/issues/3772",
        "- (service corpdirectory-test-rasaos-Service-T8qsKYiLhGmT) (port 5005) i                              \n        s unhealthy in (target-group arn:aws:elasticloadbalancing:ap-south-1:3                              \n        77727317375:targetgroup/corpd-Targe-12YF9HTH1OJGJ/e938d1c7734d02a2) du                              \n        e to (reason Health checks failed).",
        "health-check-elb",
        "service.target-unhealthy",
    ),
    rr(
        "https://github.com/hackforla/CivicTechJobs/issues/436",
        "(service civictechjobs-fullstack-stage) (port 8000) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-west-2:035866691871:targetgroup/civictechjobs-fullstack-stage/555a47e25c5a1850) due to (reason Health checks failed).",
        "health-check-elb",
        "service.target-unhealthy",
    ),
    rr(
        "https://github.com/hashicorp/terraform-aws-consul-ecs/issues/323",
        "Health checks failed with these codes: [503]",
        "health-check-elb",
        "service.target-unhealthy",
    ),
    // ---- API failures, Spot, ENI ----
    rr(
        "https://github.com/aws/aws-cli/issues/1455",
        "\"services\": [],\n\"failures\": [\n{\n\"reason\": \"MISSING\",",
        "not-found",
        "api.missing",
    ),
    rr(
        "https://github.com/reproio/wrapbox/pull/53",
        "Task wrapbox_test is failed. task=arn:aws:ecs:xxx:xxx:task/xxx/xxx, cmd_index=60, exit_code=2, task_stopped_reason=Your Spot Task was interrupted., container_stopped_reason= (Wrapbox::Runner::Ecs::ExecutionFailure)",
        "spot-interruption",
        "task.spot-interruption",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/4825",
        "Intermittent Timeout waiting for network interface provisioning to complete.",
        "eni-provisioning",
        "task.eni-provisioning-timeout",
    ),
    rr(
        "https://github.com/aws/containers-roadmap/issues/1545",
        "Unable to attach network interface to unused device index.",
        "eni-provisioning",
        "runtime.networking-error",
    ),
    // ENI trunking on instances in a shared VPC subnet (unsupported): registration fails.
    rr(
        "https://github.com/aws/amazon-ecs-agent/issues/2236",
        "\"statusReason\": \"Unexpected EC2 error while attempting to Create Network Interface in subnet 'subnet-00112233445566': InvalidParameterValue\",",
        "eni-provisioning",
        "instance.trunk-interface-failed",
    ),
    rr(
        "https://github.com/aws/amazon-ecs-cni-plugins/issues/93",
        "container resource provisioning: failed to setup network namespace: cni setup: invoke eni plugin failed: getInterfaceDeviceName engine: unable to get device with hardware address '02:62:5b:0f:db:fa': engine: device with mac address not found",
        "eni-provisioning",
        "runtime.networking-error",
    ),
];

/// Real texts that do not carry their cause; see the module comment.
const GAPS: &[Real] = &[
    // ECR answered 403 for a digest that a re-pushed tag no longer pointed to; the text only says 403.
    r(
        "https://github.com/aws/containers-roadmap/issues/2493",
        "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref .dkr.ecr.us-west-2.amazonaws.com/otel-collector:latest@sha256:863****9ac: unexpected status from HEAD request to https://.dkr.ecr.us-west-2.amazonaws.com/v2/otel-collector/blobs/sha256:863*****9ac: 403 Forbidden",
        "image-not-found",
    ),
    // The console cut the text after "daem"; the thread points at the execution role.
    r(
        "https://github.com/aws/aws-cdk/issues/3646",
        "STOPPED (CannotPullContainerError: Error response from daem)",
        "image-pull-auth",
    ),
];

fn check(case: &Real) -> Option<String> {
    let d = diagnose(&from_text(case.text), Lang::En);
    let primary = d.primary();
    let category_ok = primary.category.as_str() == case.category;
    let rule_ok = case.rule.is_none_or(|rule| primary.rule_id == rule);
    if category_ok && rule_ok {
        return None;
    }
    let all: Vec<String> = d
        .findings
        .iter()
        .map(|f| format!("{} ({})", f.rule_id, f.category.as_str()))
        .collect();
    Some(format!(
        "{}\n    text:     {}\n    expected: {}{}\n    got:      {}",
        case.source,
        case.text.replace('\n', "\\n"),
        case.category,
        case.rule.map(|r| format!(" / {r}")).unwrap_or_default(),
        all.join(", ")
    ))
}

#[test]
fn real_failure_texts_get_the_right_cause() {
    let failures: Vec<String> = CASES.iter().filter_map(check).collect();
    assert!(
        failures.is_empty(),
        "{} of {} real texts misdiagnosed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn known_gaps_are_still_diagnosed_without_panicking() {
    for case in GAPS {
        match check(case) {
            Some(miss) => println!("known gap (text lacks the cause):\n{miss}"),
            None => println!("known gap now diagnosed as the thread found: {}", case.source),
        }
    }
}

#[test]
fn every_text_is_unique_and_cited() {
    let mut seen = std::collections::HashSet::new();
    for case in CASES.iter().chain(GAPS) {
        assert!(seen.insert(case.text), "duplicate text from {}", case.source);
        assert!(case.source.starts_with("https://"), "no source for {:?}", case.text);
        assert!(
            ecs_doctor::diagnose::Category::ALL
                .iter()
                .any(|c| c.as_str() == case.category),
            "unknown category {} for {}",
            case.category,
            case.source
        );
    }
}
