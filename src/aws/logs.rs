//! `logs:GetLogEvents`: the last lines of a container's awslogs stream.

use super::error::classify;
use super::EnrichError;
use crate::redact::redact;

/// Longest log line kept; the rest of a line is cut.
const LINE_CHARS: usize = 300;

#[derive(Debug, Clone)]
pub struct Logs {
    client: aws_sdk_cloudwatchlogs::Client,
}

impl Logs {
    pub fn new(client: aws_sdk_cloudwatchlogs::Client) -> Self {
        Self { client }
    }

    /// The last `lines` events, oldest first, each trimmed and redacted.
    pub async fn tail(&self, group: &str, stream: &str, lines: usize) -> Result<Vec<String>, EnrichError> {
        let output = self
            .client
            .get_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .start_from_head(false)
            .limit(i32::try_from(lines).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|e| classify("logs:GetLogEvents", e))?;
        let events = output.events();
        let skip = events.len().saturating_sub(lines);
        Ok(events[skip..].iter().filter_map(|e| e.message()).map(clean).collect())
    }
}

/// One log line as it may appear in a message: no control characters, bounded, redacted.
pub fn clean(message: &str) -> String {
    let line: String = message
        .trim_end()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(LINE_CHARS)
        .collect();
    redact(&line)
}
