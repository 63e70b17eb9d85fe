//! Test harness: a real moto server on 127.0.0.1 (started per test on a free port, stopped on
//! drop) and a minimal Lambda Runtime API for running the real Lambda binary.
#![allow(dead_code)]

pub mod deps;
pub mod mock;
pub mod proxy;
pub mod snapshot;

use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ecs::config::Credentials;

pub const REGION: &str = "us-east-1";
/// moto's fixed account id.
pub const ACCOUNT: &str = "123456789012";

/// A moto server process; killed when dropped.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    /// Starts `moto_server` ($MOTO_SERVER, else `moto_server` on PATH). Fails the test with a
    /// clear message when it is not installed: a missing emulator is an error, not a skip.
    pub fn start() -> Moto {
        Moto::start_with_env(&[])
    }

    /// Starts moto with environment variables of its own (e.g. `MOTO_ECS_SERVICE_FAILED_TASKS`).
    pub fn start_with_env(vars: &[(&str, &str)]) -> Moto {
        let program = std::env::var_os("MOTO_SERVER")
            .map(PathBuf::from)
            .or_else(|| find_on_path("moto_server"))
            .or_else(|| Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server")).filter(|p| p.exists()))
            .expect("moto_server not found: run `scripts/test.sh` (it installs moto into .venv) or `pip install 'moto[server]'`");
        let port = free_port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(vars.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while http_get(port, "/moto-api/").is_none() {
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on port {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    pub fn port(&self) -> u16 {
        self.endpoint
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port")
    }

    /// SDK configuration pointing at this server with dummy credentials.
    pub async fn sdk_config(&self) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
            .load()
            .await
    }

    /// Stops the server now (to test what happens when AWS goes away mid-run).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = String::new();
    stream.read_to_string(&mut out).ok()?;
    out.starts_with("HTTP/1.").then_some(out)
}

/// An ECS ThrottlingException as the service sends it, for `mock`'s
/// `then_http_response` (the SDK retries it like the real one).
pub fn ecs_throttling() -> aws_smithy_runtime_api::client::orchestrator::HttpResponse {
    let mut response = aws_smithy_runtime_api::client::orchestrator::HttpResponse::new(
        aws_smithy_runtime_api::http::StatusCode::try_from(400).expect("status"),
        aws_smithy_types::body::SdkBody::from(r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#),
    );
    response.headers_mut().insert("x-amzn-errortype", "ThrottlingException");
    response
        .headers_mut()
        .insert("content-type", "application/x-amz-json-1.1");
    response
}

/// A topic with a same-named SQS queue subscribed to it; returns (topic ARN, queue URL).
/// The queue receives the SNS envelope: `Subject`, `MessageAttributes`, and the `sqs` body.
pub async fn topic_with_queue(sdk: &SdkConfig, name: &str) -> (String, String) {
    let sns = aws_sdk_sns::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let topic = sns.create_topic().name(name).send().await.expect("create topic");
    let topic_arn = topic.topic_arn().expect("topic arn").to_string();
    let queue = sqs.create_queue().queue_name(name).send().await.expect("create queue");
    let queue_url = queue.queue_url().expect("queue url").to_string();
    sns.subscribe()
        .topic_arn(&topic_arn)
        .protocol("sqs")
        .endpoint(format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"))
        .send()
        .await
        .expect("subscribe");
    (topic_arn, queue_url)
}

/// The ledger table as template.yaml creates it (partition key `pk`, on demand), in moto.
pub async fn create_ledger(sdk: &SdkConfig, name: &str) {
    use aws_sdk_dynamodb::types::{AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType};
    aws_sdk_dynamodb::Client::new(sdk)
        .create_table()
        .table_name(name)
        .attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name("pk")
                .attribute_type(ScalarAttributeType::S)
                .build()
                .expect("attribute"),
        )
        .key_schema(
            KeySchemaElement::builder()
                .attribute_name("pk")
                .key_type(KeyType::Hash)
                .build()
                .expect("key"),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .expect("create the ledger table");
}

/// Every SNS notification delivered to the queue since the last call (the SNS envelopes,
/// parsed); read messages are deleted so that each call sees only new ones.
pub async fn drain_queue(sqs: &aws_sdk_sqs::Client, queue_url: &str) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    loop {
        let out = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await
            .expect("receive");
        if out.messages().is_empty() {
            return all;
        }
        for m in out.messages() {
            all.push(serde_json::from_str(m.body().unwrap_or_default()).expect("SNS envelope is JSON"));
            if let Some(handle) = m.receipt_handle() {
                let _ = sqs
                    .delete_message()
                    .queue_url(queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await;
            }
        }
    }
}

/// The real Lambda binary, configured as the Lambda service runs it, with its AWS clients
/// pointed at moto.
pub fn lambda_command(runtime_api: &str, moto: &Moto, topic_arn: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ecs-doctor-lambda"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", runtime_api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "ecs-doctor")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "test")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/ecs-doctor")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .env("TOPIC_ARN", topic_arn);
    cmd
}

/// A sample event from `events/`, with its task and cluster replaced.
pub fn sample_event(name: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What the fake Runtime API saw for one invocation.
#[derive(Debug)]
pub enum Invocation {
    Response(String),
    Error(String),
}

/// A minimal Lambda Runtime API: serves `event` once on `/next`, records the answer, then
/// holds further `/next` polls open. `first_poll` reports when the function first asked.
pub struct RuntimeApi {
    pub address: String,
    pub answers: mpsc::Receiver<Invocation>,
    pub first_poll: mpsc::Receiver<Instant>,
}

impl RuntimeApi {
    /// With the 30 s of the function timeout in template.yaml.
    pub fn start(event: serde_json::Value) -> RuntimeApi {
        RuntimeApi::start_with_deadline(event, Duration::from_secs(30))
    }

    /// The invocation's deadline `timeout` after it is handed out.
    pub fn start_with_deadline(event: serde_json::Value, timeout: Duration) -> RuntimeApi {
        RuntimeApi::start_raw(event.to_string(), timeout)
    }

    /// Hands out `body` as it is (which need not be JSON).
    pub fn start_raw(body: String, timeout: Duration) -> RuntimeApi {
        let timeout_ms = timeout.as_millis();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind runtime api");
        let address = listener.local_addr().expect("addr").to_string();
        let (answer_tx, answers) = mpsc::channel();
        let (poll_tx, first_poll) = mpsc::channel();
        std::thread::spawn(move || {
            let mut served = false;
            let mut polled = false;
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let answer_tx = answer_tx.clone();
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut writer = stream;
                // Serve requests on this connection until it closes (the runtime keeps it alive).
                while let Some((method, path, request_body)) = read_request(&mut reader) {
                    if method == "GET" && path.ends_with("/invocation/next") {
                        if !polled {
                            polled = true;
                            let _ = poll_tx.send(Instant::now());
                        }
                        if served {
                            // The test has what it needs; leave the poll hanging.
                            std::thread::sleep(Duration::from_secs(3600));
                        }
                        served = true;
                        let deadline = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map(|d| d.as_millis() + timeout_ms)
                            .unwrap_or_default();
                        let _ = write!(
                            writer,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: req-1\r\nLambda-Runtime-Deadline-Ms: {deadline}\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:ecs-doctor\r\nLambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                    } else if method == "POST" && path.contains("/invocation/req-1/") {
                        let answer = if path.ends_with("/response") {
                            Invocation::Response(request_body)
                        } else {
                            Invocation::Error(request_body)
                        };
                        let _ = answer_tx.send(answer);
                        let _ = write!(writer, "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{{}}");
                    } else {
                        let _ = write!(writer, "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{{}}");
                    }
                }
            }
        });
        RuntimeApi {
            address,
            answers,
            first_poll,
        }
    }
}

/// Reads one HTTP/1.1 request (Content-Length or chunked body): method, path and body.
pub fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, String, String)> {
    let (head, body) = proxy::read_message(reader)?;
    let mut start = head.lines().next()?.split_whitespace();
    let method = start.next()?.to_string();
    let path = start.next()?.to_string();
    Some((method, path, String::from_utf8_lossy(&body).into_owned()))
}

/// A STOPPED task `task` of service `api` in cluster `prod` (detail version 3) whose
/// container was killed for using too much memory.
pub fn oom_event(task: &str) -> serde_json::Value {
    serde_json::json!({
        "version": "0",
        "id": format!("e-{task}"),
        "detail-type": "ECS Task State Change",
        "source": "aws.ecs",
        "account": ACCOUNT,
        "time": "2026-11-27T12:00:00Z",
        "region": REGION,
        "resources": [],
        "detail": {
            "taskArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/prod/{task}"),
            "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/prod"),
            "group": "service:api",
            "launchType": "FARGATE",
            "lastStatus": "STOPPED",
            "version": 3,
            "stopCode": "EssentialContainerExited",
            "stoppedReason": "Essential container in task exited",
            "containers": [{"name": "api", "lastStatus": "STOPPED", "exitCode": 137,
                            "reason": "OutOfMemoryError: Container killed due to memory usage"}]
        }
    })
}

/// Cluster `prod` with task definition revisions `api:1`, `api:2`, … of `images` (in order) and
/// service `api` on `api:1`, running no task.
pub async fn api_service(ecs: &aws_sdk_ecs::Client, images: &[&str]) {
    ecs.create_cluster().cluster_name("prod").send().await.expect("cluster");
    for image in images {
        register_api(ecs, image).await;
    }
    ecs.create_service()
        .cluster("prod")
        .service_name("api")
        .task_definition("api:1")
        .desired_count(0)
        .send()
        .await
        .expect("service");
}

/// Registers a revision of task definition `api` (one container `app` running `image`; bridge
/// networking, which moto runs with the FARGATE launch type).
pub async fn register_api(ecs: &aws_sdk_ecs::Client, image: &str) {
    use aws_sdk_ecs::types::{ContainerDefinition, NetworkMode};
    ecs.register_task_definition()
        .family("api")
        .network_mode(NetworkMode::Bridge)
        .container_definitions(
            ContainerDefinition::builder()
                .name("app")
                .image(image)
                .memory(512)
                .essential(true)
                .build(),
        )
        .send()
        .await
        .expect("register task definition");
}

/// Runs `count` FARGATE tasks of `definition` in `cluster` and `group` (started by
/// `started_by` when given), then stops each with `reason`; returns their ARNs.
pub async fn stopped_tasks(
    ecs: &aws_sdk_ecs::Client,
    cluster: &str,
    definition: &str,
    group: &str,
    started_by: Option<&str>,
    reason: &str,
    count: i32,
) -> Vec<String> {
    let mut arns = Vec::new();
    let mut left = count;
    while left > 0 {
        // RunTask starts at most 10 tasks per call.
        let run = ecs
            .run_task()
            .cluster(cluster)
            .task_definition(definition)
            .launch_type(aws_sdk_ecs::types::LaunchType::Fargate)
            .group(group)
            .set_started_by(started_by.map(str::to_string))
            .count(left.min(10))
            .send()
            .await
            .expect("run task");
        arns.extend(run.tasks().iter().filter_map(|t| t.task_arn().map(str::to_string)));
        left -= 10;
    }
    for arn in &arns {
        ecs.stop_task()
            .cluster(cluster)
            .task(arn)
            .reason(reason)
            .send()
            .await
            .expect("stop task");
    }
    arns
}

/// [`stopped_tasks`] of service `api` in cluster `prod`, started by `deployment`.
pub async fn stopped_api_tasks(
    ecs: &aws_sdk_ecs::Client,
    definition: &str,
    deployment: &str,
    reason: &str,
    count: i32,
) -> Vec<String> {
    stopped_tasks(ecs, "prod", definition, "service:api", Some(deployment), reason, count).await
}

/// The real `ecs-doctor` binary with its AWS clients pointed at moto and nothing else of the
/// caller's environment (no profile, no credentials file, no LANGUAGE).
pub fn cli_command(moto: &Moto, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ecs-doctor"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_REGION", REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/ecs-doctor-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/ecs-doctor-test")
        .env("AWS_ENDPOINT_URL", &moto.endpoint)
        .args(args);
    command
}

/// [`cli_command`], run to completion.
pub fn cli(moto: &Moto, args: &[&str]) -> std::process::Output {
    cli_command(moto, args).output().expect("run ecs-doctor")
}

pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
