//! Soak: the built Lambda binary, started once as the Lambda service starts it, answers a long
//! stream of invocations from a local Runtime API, with its AWS clients pointed at moto (ECS,
//! CloudWatch Logs, SNS → SQS, and the DynamoDB ledger). The stream mixes every sample event
//! in `events/` (each made a distinct failure), exact duplicates, a storm of one service and a
//! few undecodable events.
//!
//! It checks that no invocation is lost (published + skipped + error = invocations, and only
//! the undecodable events error), that the topic's queue receives exactly the published
//! count, and prints RSS at 1k / 10k / 20k, p50 / p99 invocation time and throughput. The
//! queue is counted and emptied at checkpoints along the way (see [`checkpoint_every`]).
//!
//! `scripts/soak.sh` runs it (20,000 invocations by default, `SOAK_INVOCATIONS`; with
//! `SOAK_MINUTES` it stops serving new events after that long and checks what was served);
//! under `cargo test --all-targets` it is a 60-invocation smoke run of the same checks.

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::collections::{HashMap, VecDeque};
use std::io::{BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{create_ledger, lambda_command, read_request, topic_with_queue, Moto};

/// Invocations: `SOAK_INVOCATIONS` under `cargo bench`, else a smoke run.
fn invocations() -> usize {
    if std::env::args().any(|a| a == "--bench") {
        std::env::var("SOAK_INVOCATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20_000)
    } else {
        60
    }
}

/// A time budget (`SOAK_MINUTES`, only under `cargo bench`).
fn budget() -> Option<Duration> {
    if !std::env::args().any(|a| a == "--bench") {
        return None;
    }
    std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .map(|m| Duration::from_secs_f64(m * 60.0))
}

/// Where RSS is sampled (and always at the end).
const RSS_AT: [usize; 3] = [1_000, 10_000, 20_000];

/// What the stream holds at position `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A sample event made into a distinct failure.
    Distinct,
    /// The exact payload of an earlier invocation.
    Duplicate,
    /// One more task of the storming service.
    Storm,
    /// An event the decoder must refuse.
    Undecodable,
}

fn kind(i: usize) -> Kind {
    match (i % 1000, i % 10) {
        (999, _) | (499, _) => Kind::Undecodable,
        (_, 3) => Kind::Storm,
        (_, 7) if i >= 10 => Kind::Duplicate,
        _ => Kind::Distinct,
    }
}

fn samples() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("events/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).expect("readable sample"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 40, "expected the sample events, found {}", out.len());
    out
}

/// The sample with every cluster, service, task and instance renamed by `prefix` (consistently,
/// so the event still hangs together) and a fresh EventBridge id.
fn renamed(sample: &str, prefix: &str, id: usize) -> String {
    let text = sample
        .replace(":cluster/", &format!(":cluster/{prefix}"))
        .replace(":task/", &format!(":task/{prefix}"))
        .replace(":service/", &format!(":service/{prefix}"))
        .replace(":container-instance/", &format!(":container-instance/{prefix}"));
    let mut event: Value = serde_json::from_str(&text).expect("sample is JSON");
    if event.get("id").is_some() {
        event["id"] = Value::String(format!("soak-{id}"));
    }
    event.to_string()
}

/// The payload of invocation `i` (`plan` holds the earlier ones, for duplicates).
fn payload(i: usize, samples: &[(String, String)], storm: &str, plan: &[String]) -> String {
    match kind(i) {
        Kind::Distinct => renamed(&samples[i % samples.len()].1, &format!("s{i}-"), i),
        Kind::Duplicate => plan[i - 5].clone(),
        Kind::Storm => {
            // The same service, cluster and cause; only the task (and event id) differ.
            let mut event: Value = serde_json::from_str(storm).expect("storm sample");
            event["id"] = Value::String(format!("storm-{i}"));
            event["detail"]["taskArn"] =
                Value::String(format!("arn:aws:ecs:us-east-1:123456789012:task/prod/storm{i:08x}"));
            event.to_string()
        }
        Kind::Undecodable => {
            if i % 2 == 1 {
                // A stopped task without its taskArn.
                let mut event: Value = serde_json::from_str(storm).expect("storm sample");
                if let Some(detail) = event["detail"].as_object_mut() {
                    detail.remove("taskArn");
                }
                event.to_string()
            } else {
                r#"{"version":"0","id":"x","detail-type":"Object Created","source":"aws.s3","detail":{}}"#.into()
            }
        }
    }
}

/// One answer from the function.
struct Answer {
    index: usize,
    outcome: String,
    elapsed: Duration,
}

/// Shared between the driver and the Runtime API.
#[derive(Default)]
struct Control {
    /// One lock over what decides whether an event is handed out, so that once the driver has
    /// set `held` or `draining`, `served` is final.
    gate: Mutex<Gate>,
    /// Stop holding polls: the run is over.
    stop: AtomicBool,
}

#[derive(Default)]
struct Gate {
    /// New events wait (a queue checkpoint is under way).
    held: bool,
    /// No new events are served (the time budget is spent).
    draining: bool,
    /// Events handed out so far.
    served: usize,
}

impl Control {
    fn with_gate<T>(&self, f: impl FnOnce(&mut Gate) -> T) -> T {
        let mut gate = self.gate.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut gate)
    }

    fn served(&self) -> usize {
        self.with_gate(|g| g.served)
    }
}

/// A Runtime API that serves `events` in order on `/next` and reports each answer with the
/// time from serving the event to receiving the answer.
fn runtime_api(events: Vec<String>, control: Arc<Control>) -> (String, mpsc::Receiver<Answer>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind runtime api");
    let address = listener.local_addr().expect("addr").to_string();
    let (tx, rx) = mpsc::channel();
    let queue = Arc::new(Mutex::new(events.into_iter().enumerate().collect::<VecDeque<_>>()));
    let served: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (tx, queue, served, control) = (tx.clone(), queue.clone(), served.clone(), control.clone());
            // One thread per connection: the runtime may open a new one at any time.
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let Ok(read_half) = stream.try_clone() else { return };
                let mut reader = BufReader::new(read_half);
                let mut writer = stream;
                while let Some((method, path, body)) = read_request(&mut reader) {
                    if method == "GET" && path.ends_with("/invocation/next") {
                        let next = loop {
                            if control.stop.load(Ordering::Relaxed) {
                                return;
                            }
                            let next = control.with_gate(|gate| {
                                if gate.held {
                                    return Err(());
                                }
                                if gate.draining {
                                    return Ok(None);
                                }
                                let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                                gate.served += usize::from(next.is_some());
                                Ok(next)
                            });
                            match next {
                                Ok(next) => break next,
                                Err(()) => std::thread::sleep(Duration::from_millis(2)),
                            }
                        };
                        let Some((index, event)) = next else {
                            // Nothing left: hold the poll until the driver stops the process.
                            while !control.stop.load(Ordering::Relaxed) {
                                std::thread::sleep(Duration::from_millis(50));
                            }
                            return;
                        };
                        let deadline = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map(|d| d.as_millis() + 30_000)
                            .unwrap_or_default();
                        if let Ok(mut s) = served.lock() {
                            s.insert(index, Instant::now());
                        }
                        // One write: written piece by piece, Nagle's algorithm and the
                        // runtime's delayed ACK stall each event by 40 ms.
                        let response = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nLambda-Runtime-Aws-Request-Id: req-{index}\r\nLambda-Runtime-Deadline-Ms: {deadline}\r\nLambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:ecs-doctor\r\nLambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000\r\nContent-Length: {}\r\n\r\n{event}",
                            event.len()
                        );
                        let _ = writer.write_all(response.as_bytes());
                    } else if method == "POST" && path.contains("/invocation/req-") {
                        let answered = Instant::now();
                        let index = path
                            .split("/invocation/req-")
                            .nth(1)
                            .and_then(|rest| rest.split('/').next())
                            .and_then(|n| n.parse::<usize>().ok());
                        if let Some(index) = index {
                            let started = served.lock().ok().and_then(|mut s| s.remove(&index));
                            let outcome = if path.ends_with("/response") {
                                serde_json::from_str::<Value>(&body)
                                    .ok()
                                    .and_then(|v| v["outcome"].as_str().map(str::to_string))
                                    .unwrap_or_else(|| "unreadable response".into())
                            } else {
                                let error: Value = serde_json::from_str(&body).unwrap_or_default();
                                format!("error:{}", error["errorType"].as_str().unwrap_or("?"))
                            };
                            let _ = tx.send(Answer {
                                index,
                                outcome,
                                elapsed: started.map(|s| answered.duration_since(s)).unwrap_or_default(),
                            });
                        }
                        let _ = write!(writer, "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{{}}");
                    } else {
                        let _ = write!(writer, "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{{}}");
                    }
                }
            });
        }
    });
    (address, rx)
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Messages on the queue: visible plus in flight, from GetQueueAttributes (exact on moto).
/// Receiving them instead takes moto seconds per call once the queue holds thousands.
async fn count_queue(sqs: &aws_sdk_sqs::Client, queue_url: &str) -> usize {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let out = sqs
        .get_queue_attributes()
        .queue_url(queue_url)
        .attribute_names(A::ApproximateNumberOfMessages)
        .attribute_names(A::ApproximateNumberOfMessagesNotVisible)
        .send()
        .await
        .expect("queue attributes");
    let n = |name: A| {
        out.attributes()
            .and_then(|a| a.get(&name))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0)
    };
    n(A::ApproximateNumberOfMessages) + n(A::ApproximateNumberOfMessagesNotVisible)
}

/// Empties the queue (moto drops the messages at once).
async fn purge_queue(sqs: &aws_sdk_sqs::Client, queue_url: &str) {
    sqs.purge_queue()
        .queue_url(queue_url)
        .send()
        .await
        .expect("purge queue");
}

/// Answers between queue checkpoints: 1,000 in a long run, 20 in the smoke run so that CI
/// exercises them too. moto's SNS → SQS delivery slows with the depth of the
/// queue (measured: 17 ms a publish on an empty queue, 88 ms with 2,500 messages queued),
/// which would make a long run quadratic and its timings moto's. So every so many
/// answers the driver holds new events, waits for the ones served, counts the queue and purges
/// it; the counts add up to what SQS received, exactly, since nothing publishes meanwhile.
fn checkpoint_every(total: usize) -> usize {
    (total / 20).clamp(20, 1_000)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let total = invocations();
    // The queue checkpoints purge more often than real SQS allows (once a minute); moto
    // enforces that limit unless told otherwise. Set before any thread starts.
    std::env::set_var("MOTO_SQS_ENFORCE_STRICT_QUEUE_PURGE_BEHAVIOUR", "false");
    let moto = Moto::start();
    let sdk = moto.sdk_config().await;
    create_ledger(&sdk, "ledger").await;
    let (topic_arn, queue_url) = topic_with_queue(&sdk, "soak").await;

    let samples = samples();
    let storm = samples
        .iter()
        .find(|(name, _)| name == "task-api-oom.json")
        .map(|(_, text)| text.clone())
        .expect("events/task-api-oom.json");
    let mut plan: Vec<String> = Vec::with_capacity(total);
    for i in 0..total {
        let next = payload(i, &samples, &storm, &plan);
        plan.push(next);
    }
    let control = Arc::new(Control::default());
    let (address, answers) = runtime_api(plan, control.clone());
    let mut cmd = lambda_command(&address, &moto, &topic_arn);
    cmd.env("DEDUP_TABLE", "ledger")
        .env("STORM_WINDOW_SECONDS", "3600")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn the Lambda binary");
    let pid = child.id();

    let mut outcomes: HashMap<String, usize> = HashMap::new();
    let mut by_kind: HashMap<(&'static str, String), usize> = HashMap::new();
    let mut elapsed_ms: Vec<f64> = Vec::with_capacity(total);
    let mut rss_curve: Vec<(usize, u64)> = Vec::new();
    let mut received = 0usize;
    let mut lost = 0usize;
    let deadline = budget().map(|b| started + b);
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let mut delivered = 0usize;
    let mut checkpoints = 0usize;
    let mut waiting_since = Instant::now();
    loop {
        if received == total {
            break;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            control.with_gate(|g| g.draining = true);
        }
        let (held, draining, served) = control.with_gate(|g| (g.held, g.draining, g.served));
        if received == served && draining {
            break;
        }
        if received == served && held {
            delivered += count_queue(&sqs, &queue_url).await;
            purge_queue(&sqs, &queue_url).await;
            checkpoints += 1;
            control.with_gate(|g| g.held = false);
        }
        let Ok(answer) = answers.recv_timeout(Duration::from_secs(1)) else {
            // An invocation that never answers within 180 s counts as lost: far beyond the SDK's
            // bounded retries (see src/aws/config.rs), which a merely slow moto can exhaust.
            if waiting_since.elapsed() > Duration::from_secs(180) {
                lost = control.served() - received;
                break;
            }
            continue;
        };
        waiting_since = Instant::now();
        received += 1;
        elapsed_ms.push(answer.elapsed.as_secs_f64() * 1000.0);
        let label = match kind(answer.index) {
            Kind::Distinct => "distinct",
            Kind::Duplicate => "duplicate",
            Kind::Storm => "storm",
            Kind::Undecodable => "undecodable",
        };
        *by_kind.entry((label, answer.outcome.clone())).or_default() += 1;
        *outcomes.entry(answer.outcome).or_default() += 1;
        if received.is_multiple_of(checkpoint_every(total)) {
            control.with_gate(|g| g.held = true);
        }
        if RSS_AT.contains(&received) || received.is_multiple_of(5_000) {
            let kib = rss_kib(pid, "VmRSS:");
            rss_curve.push((received, kib));
            // Progress, so a long run shows where it is.
            eprintln!("soak: {received} answered, RSS {:.1} MiB", kib as f64 / 1024.0);
        }
    }
    let wall = started.elapsed();
    let peak = rss_kib(pid, "VmHWM:");
    let rss_at_end = rss_kib(pid, "VmRSS:");
    control.stop.store(true, Ordering::Relaxed);
    let served = control.served();
    let expected_errors = (0..served).filter(|&i| kind(i) == Kind::Undecodable).count();
    let _ = child.kill();
    let _ = child.wait();

    let published = outcomes.get("published").copied().unwrap_or(0);
    let skipped = outcomes.get("skipped").copied().unwrap_or(0);
    let errors: usize = outcomes
        .iter()
        .filter(|(k, _)| k.starts_with("error:"))
        .map(|(_, v)| v)
        .sum();
    let other = received - published - skipped - errors;
    delivered += count_queue(&sqs, &queue_url).await;
    elapsed_ms.sort_by(|a, b| a.total_cmp(b));

    if rss_curve.last().map(|(at, _)| *at) != Some(received) {
        rss_curve.push((received, rss_at_end));
    }
    println!(
        "soak: {served} of {total} planned invocations served, of {} sample events (+ duplicates, a storm, undecodable)",
        samples.len()
    );
    println!("  answered:     {received} (lost {})", lost + other);
    println!("  published:    {published}");
    println!("  skipped:      {skipped}");
    println!("  errors:       {errors} (expected {expected_errors} undecodable)");
    let mut kinds: Vec<_> = by_kind.iter().collect();
    kinds.sort();
    for ((label, outcome), n) in kinds {
        println!("    {label:<12} {outcome:<28} {n}");
    }
    println!("  SQS received: {delivered} (published {published}; counted at {checkpoints} checkpoints and the end)");
    for (at, kib) in &rss_curve {
        println!("  RSS at {at:>6}: {:.1} MiB", *kib as f64 / 1024.0);
    }
    println!("  peak RSS:     {:.1} MiB", peak as f64 / 1024.0);
    println!(
        "  invocation:   p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&elapsed_ms, 50.0),
        percentile(&elapsed_ms, 99.0),
        elapsed_ms.last().copied().unwrap_or(0.0)
    );
    println!(
        "  throughput:   {:.0} invocations/s ({:.1} s wall)",
        received as f64 / wall.as_secs_f64(),
        wall.as_secs_f64()
    );

    // The guarantees; a broken one fails the run (and the smoke run under cargo test).
    assert_eq!(lost + other, 0, "invocations lost or unexplained: {outcomes:?}");
    assert_eq!(published + skipped + errors, served);
    assert_eq!(errors, expected_errors, "only undecodable events may fail: {by_kind:?}");
    assert!(
        by_kind
            .iter()
            .filter(|((label, _), _)| *label == "undecodable")
            .all(|((_, outcome), _)| outcome == "error:EcsDoctor.DecodeError"),
        "{by_kind:?}"
    );
    assert_eq!(
        by_kind.get(&("storm", "published".to_string())).copied().unwrap_or(0),
        1,
        "a storm publishes once per window: {by_kind:?}"
    );
    assert_eq!(
        by_kind
            .get(&("duplicate", "published".to_string()))
            .copied()
            .unwrap_or(0),
        0,
        "a duplicate never publishes: {by_kind:?}"
    );
    assert_eq!(delivered, published, "SQS must receive exactly the published messages");
    if deadline.is_none() {
        assert_eq!(
            checkpoints,
            (received - 1) / checkpoint_every(total),
            "queue checkpoints"
        );
    }
    println!("soak: OK");
}
