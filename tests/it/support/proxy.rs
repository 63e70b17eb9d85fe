//! A fault-injecting HTTP proxy on 127.0.0.1 in front of moto: each request is forwarded to moto
//! unless the test's rule says to hang it, hold it (and tell the test), or answer it late. The
//! faults a real account has (a Lambda killed mid-publish, SNS answering after seconds, every
//! read hanging) without touching what moto answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the rule sees it.
#[derive(Debug, Clone)]
pub struct Request {
    /// `X-Amz-Target` (JSON protocols: `DynamoDB_20120810.PutItem`), else the query protocol's
    /// `Action=` (`Publish`).
    pub operation: String,
    pub body: String,
}

impl Request {
    pub fn is(&self, operation: &str) -> bool {
        self.operation == operation || self.operation.ends_with(&format!(".{operation}"))
    }
}

/// What the proxy does with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Forward,
    /// Never answered (the client's timeout ends it).
    Hang,
    /// Not forwarded; the request is sent to the test's channel, then left hanging: what a
    /// Lambda killed while waiting for the call looks like to the service.
    Hold,
    /// Forwarded (moto acts on it), answered only after the delay.
    AnswerAfter(Duration),
    /// Answered here with this JSON body (HTTP 200): only for an operation moto does not
    /// implement (`ListServiceDeployments`, `DescribeServiceDeployments`), never in place of
    /// one it does.
    Answer(String),
}

type Rule = Box<dyn Fn(&Request) -> Fault + Send>;

/// The proxy; its listener thread lives as long as the test process.
pub struct Proxy {
    pub endpoint: String,
    rule: Arc<Mutex<Rule>>,
    pub held: mpsc::Receiver<Request>,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    /// Forwards everything to `upstream` (`http://127.0.0.1:<port>`) until [`Proxy::set_rule`].
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let endpoint = format!("http://{}", listener.local_addr().expect("proxy address"));
        let upstream = upstream.trim_start_matches("http://").to_string();
        let rule: Arc<Mutex<Rule>> = Arc::new(Mutex::new(Box::new(|_: &Request| Fault::Forward)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (held_tx, held) = mpsc::channel();
        let (shared_rule, shared_seen) = (rule.clone(), seen.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (rule, seen, held_tx, upstream) = (
                    shared_rule.clone(),
                    shared_seen.clone(),
                    held_tx.clone(),
                    upstream.clone(),
                );
                std::thread::spawn(move || serve(client, &upstream, &rule, &seen, &held_tx));
            }
        });
        Proxy {
            endpoint,
            rule,
            held,
            seen,
        }
    }

    pub fn set_rule(&self, rule: impl Fn(&Request) -> Fault + Send + 'static) {
        *self.rule.lock().expect("rule") = Box::new(rule);
    }

    /// The operations seen so far, in order.
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("seen").clone()
    }
}

/// Serves one client connection: one request per connection (the answer says `Connection:
/// close`), so that a held or hung request never blocks another.
fn serve(
    client: TcpStream,
    upstream: &str,
    rule: &Mutex<Rule>,
    seen: &Mutex<Vec<String>>,
    held: &mpsc::Sender<Request>,
) {
    let Ok(reader) = client.try_clone() else { return };
    let mut reader = BufReader::new(reader);
    let Some((head, body)) = read_message(&mut reader) else {
        return;
    };
    let request = Request {
        operation: operation(&head, &body),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    if let Ok(mut seen) = seen.lock() {
        seen.push(request.operation.clone());
    }
    let fault = rule.lock().map(|rule| rule(&request)).unwrap_or(Fault::Forward);
    match fault {
        Fault::Answer(body) => {
            let mut client = client;
            let _ = write!(
                client,
                "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        Fault::Hang => std::thread::sleep(Duration::from_secs(600)),
        Fault::Hold => {
            let _ = held.send(request);
            std::thread::sleep(Duration::from_secs(600));
        }
        Fault::Forward | Fault::AnswerAfter(_) => {
            let Some(answer) = forward(upstream, &head, &body) else {
                return;
            };
            if let Fault::AnswerAfter(delay) = fault {
                std::thread::sleep(delay);
            }
            let mut client = client;
            let _ = client.write_all(&answer);
        }
    }
}

/// The request to moto on a connection of its own, its answer read to the end and sent on
/// with `Connection: close`.
fn forward(upstream: &str, head: &str, body: &[u8]) -> Option<Vec<u8>> {
    let mut moto = TcpStream::connect(upstream).ok()?;
    let mut request = String::new();
    for line in head.lines().filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            request.push_str(line);
            request.push_str("\r\n");
        }
    }
    request.push_str("Connection: close\r\n\r\n");
    moto.write_all(request.as_bytes()).ok()?;
    moto.write_all(body).ok()?;
    let mut reader = BufReader::new(moto);
    let (head, body) = read_message(&mut reader)?;
    let mut answer = String::new();
    for line in head.lines().filter(|l| !l.is_empty()) {
        let lower = line.to_ascii_lowercase();
        if !lower.starts_with("connection:")
            && !lower.starts_with("transfer-encoding:")
            && !lower.starts_with("content-length:")
        {
            answer.push_str(line);
            answer.push_str("\r\n");
        }
    }
    answer.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    let mut out = answer.into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

/// One HTTP/1.1 message: its head (start line and headers) and its body (Content-Length,
/// chunked, or, for an answer without either, up to the end of the connection).
pub fn read_message(reader: &mut BufReader<TcpStream>) -> Option<(String, Vec<u8>)> {
    let mut head = String::new();
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
        let end = line.trim_end().is_empty();
        head.push_str(&line);
        if end {
            break;
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim().split(';').next()?, 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = length {
        body.resize(length, 0);
        reader.read_exact(&mut body).ok()?;
    } else if !head.starts_with("HTTP/") {
        // A request without a body.
    } else {
        reader.read_to_end(&mut body).ok()?;
    }
    Some((head, body))
}

fn operation(head: &str, body: &[u8]) -> String {
    for line in head.lines() {
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("x-amz-target") {
                return value.trim().to_string();
            }
        }
    }
    let body = String::from_utf8_lossy(body);
    body.split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .map_or_else(|| "unknown".to_string(), str::to_string)
}
