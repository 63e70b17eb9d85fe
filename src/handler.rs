//! The Lambda's handler: one invocation is one event through the pipeline
//! ([`crate::pipeline::handle_within`]) with the adapters `main.rs` built once at start, within
//! the time the invocation has left. Only `main.rs` uses this module; every other entry point
//! (`replay --publish`, the tests) runs the pipeline itself.

use lambda_runtime::LambdaEvent;
use serde_json::Value;

use crate::error::HandlerError;
use crate::pipeline::budget::Budget;
use crate::pipeline::{self, LiveDeps, Outcome};

/// The invocation's event through every stage, ending before the function timeout; an `Err`
/// makes Lambda retry the event and then send it to the dead-letter queue.
pub async fn handle(deps: &LiveDeps, event: LambdaEvent<Value>) -> Result<Outcome, HandlerError> {
    let budget = Budget::until_deadline(event.context.deadline);
    pipeline::handle_within(deps, event.payload, budget).await
}

/// A runtime layer that hands a payload that is not JSON to the pipeline as an object naming
/// the parse error ([`crate::pipeline::decode::NOT_JSON`]). Without it the runtime fails the
/// invocation itself, with its own Rust type name as `errorType`; with it the pipeline fails it
/// as `EcsDoctor.DecodeError`, like every other bad event (retried, then the DLQ).
#[derive(Debug, Clone, Copy, Default)]
pub struct NotJsonLayer;

impl<S> lambda_runtime::tower::Layer<S> for NotJsonLayer {
    type Service = NotJson<S>;
    fn layer(&self, inner: S) -> NotJson<S> {
        NotJson(inner)
    }
}

#[derive(Debug, Clone)]
pub struct NotJson<S>(S);

impl<S: lambda_runtime::Service<lambda_runtime::LambdaInvocation>>
    lambda_runtime::Service<lambda_runtime::LambdaInvocation> for NotJson<S>
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut invocation: lambda_runtime::LambdaInvocation) -> S::Future {
        if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(&invocation.body) {
            let marker = serde_json::json!({ crate::pipeline::decode::NOT_JSON: error.to_string() });
            invocation.body = marker.to_string().into_bytes().into();
        }
        self.0.call(invocation)
    }
}

/// The function's log lines through the render boundary: a line that quotes an error or a
/// reason never shows a credential. The subscriber formats each event into one buffer and
/// writes it at once; the line is cleaned and written when its writer is dropped.
#[derive(Debug, Clone, Copy, Default)]
pub struct CleanStdout;

impl<'a> lambda_runtime::tracing::subscriber::fmt::MakeWriter<'a> for CleanStdout {
    type Writer = CleanLine;
    fn make_writer(&'a self) -> CleanLine {
        CleanLine(Vec::new())
    }
}

/// One log event being written.
#[derive(Debug, Default)]
pub struct CleanLine(Vec<u8>);

impl std::io::Write for CleanLine {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for CleanLine {
    fn drop(&mut self) {
        write_clean(&self.0, &mut std::io::stdout().lock());
    }
}

/// One formatted log event, cleaned, to `out` (a text line, or a JSON one when
/// `AWS_LAMBDA_LOG_FORMAT=JSON`, cleaned value by value so it stays JSON).
fn write_clean(event: &[u8], out: &mut impl std::io::Write) {
    let line = crate::render::clean_output(&String::from_utf8_lossy(event));
    let _ = out.write_all(line.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_lose_their_credentials_and_stay_json() {
        let mut out = Vec::new();
        write_clean(
            br#"{"level":"WARN","fields":{"error":"pull https://deploy:hunter2@registry.example.com/v2/ key AKIAIOSFODNN7EXAMPLE","message":"publish failed"}}
"#,
            &mut out,
        );
        let text = String::from_utf8_lossy(&out);
        assert!(
            !text.contains("hunter2") && !text.contains("AKIAIOSFODNN7EXAMPLE"),
            "{text}"
        );
        let line: serde_json::Value = serde_json::from_str(&text).expect("still one JSON line");
        assert_eq!(line["fields"]["message"], "publish failed");
        assert!(text.ends_with('\n'));
        out.clear();
        write_clean(
            b" WARN publish failed error=Authorization: Bearer s3cr3tT0kenValue42\n",
            &mut out,
        );
        let text = String::from_utf8_lossy(&out);
        assert!(
            !text.contains("s3cr3tT0kenValue42") && text.contains("publish failed"),
            "{text}"
        );
    }
}
