//! The dead-letter queue (SQS) that `ecs-doctor replay` reads: receive with every message
//! attribute, delete what was handled, hand back what was not.

use std::collections::BTreeMap;

use aws_sdk_sqs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sqs::types::MessageSystemAttributeName;

use super::{DeadLetterQueue, QueueError, QueuedMessage};

/// An SQS queue, by URL.
#[derive(Debug, Clone)]
pub struct SqsDeadLetterQueue {
    client: aws_sdk_sqs::Client,
    queue_url: String,
    /// How long a received message stays hidden from other readers while it is replayed.
    visibility_timeout_seconds: i32,
    /// Long-poll wait: SQS's short poll may answer "empty" while messages remain.
    wait_seconds: i32,
}

impl SqsDeadLetterQueue {
    pub fn new(client: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            client,
            queue_url: queue_url.into(),
            visibility_timeout_seconds: 120,
            wait_seconds: 2,
        }
    }

    /// Changes the long-poll wait (0: short poll, e.g. against an emulator).
    pub fn with_wait_seconds(mut self, seconds: i32) -> Self {
        self.wait_seconds = seconds.clamp(0, 20);
        self
    }
}

fn queue_error<E, R>(action: &str, err: SdkError<E, R>) -> QueueError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::ServiceError(_) => QueueError {
            action: action.to_string(),
            message: format!(
                "{}: {}",
                err.code().unwrap_or("Unknown"),
                err.message().unwrap_or_default()
            ),
        },
        _ => QueueError {
            action: action.to_string(),
            message: DisplayErrorContext(&err).to_string(),
        },
    }
}

impl DeadLetterQueue for SqsDeadLetterQueue {
    async fn receive(&self, max: i32) -> Result<Vec<QueuedMessage>, QueueError> {
        let out = self
            .client
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(max.clamp(1, 10))
            .visibility_timeout(self.visibility_timeout_seconds)
            .wait_time_seconds(self.wait_seconds)
            .message_attribute_names("All")
            .message_system_attribute_names(MessageSystemAttributeName::ApproximateReceiveCount)
            .send()
            .await
            .map_err(|e| queue_error("sqs:ReceiveMessage", e))?;
        Ok(out
            .messages()
            .iter()
            .map(|m| {
                let attributes: BTreeMap<String, String> = m
                    .message_attributes()
                    .map(|attrs| {
                        attrs
                            .iter()
                            // String and Number attributes; binary ones carry nothing we read.
                            .filter_map(|(k, v)| v.string_value().map(|s| (k.clone(), s.to_string())))
                            .collect()
                    })
                    .unwrap_or_default();
                QueuedMessage {
                    message_id: m.message_id().unwrap_or_default().to_string(),
                    receipt_handle: m.receipt_handle().unwrap_or_default().to_string(),
                    body: m.body().unwrap_or_default().to_string(),
                    attributes,
                }
            })
            .collect())
    }

    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError> {
        self.client
            .delete_message()
            .queue_url(&self.queue_url)
            .receipt_handle(receipt_handle)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| queue_error("sqs:DeleteMessage", e))
    }

    async fn release(&self, receipt_handle: &str) -> Result<(), QueueError> {
        self.client
            .change_message_visibility()
            .queue_url(&self.queue_url)
            .receipt_handle(receipt_handle)
            .visibility_timeout(0)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| queue_error("sqs:ChangeMessageVisibility", e))
    }
}
