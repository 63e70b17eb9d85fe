//! `sns:Publish` through the AWS SDK.

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_sns::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_sns::types::MessageAttributeValue;

use super::{Delivery, PublishError, Publisher};
use crate::render::SnsMessage;

#[derive(Debug, Clone)]
pub struct SnsPublisher {
    client: aws_sdk_sns::Client,
}

impl SnsPublisher {
    pub fn new(client: aws_sdk_sns::Client) -> Self {
        Self { client }
    }
}

impl Publisher for SnsPublisher {
    async fn publish(
        &self,
        topic_arn: &str,
        message: &SnsMessage,
        delivery: &Delivery,
    ) -> Result<String, PublishError> {
        let mut request = self
            .client
            .publish()
            .topic_arn(topic_arn)
            .subject(&message.subject)
            .message(&message.message)
            .message_structure("json");
        if topic_arn.ends_with(".fifo") {
            request = request
                .message_deduplication_id(&delivery.deduplication_id)
                .message_group_id(&delivery.group_id);
        }
        for (name, value) in &message.attributes {
            let attribute = MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
                .map_err(|e| PublishError::Invalid(e.to_string()))?;
            request = request.message_attributes(name, attribute);
        }
        // One attempt, given all of the time left (see `Delivery`): the shared configuration's
        // three attempts of 3 s each turned one slow answer into three messages.
        let once = aws_sdk_sns::config::Builder::default()
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(delivery.within)
                    .operation_timeout(delivery.within)
                    .build(),
            );
        let sent = request.customize().config_override(once).send();
        let output = sent.await.map_err(|err| match &err {
            SdkError::ServiceError(_) => PublishError::Rejected {
                code: err.code().unwrap_or("Unknown").to_string(),
                message: err.message().unwrap_or_default().to_string(),
            },
            _ => PublishError::Transport(DisplayErrorContext(&err).to_string()),
        })?;
        Ok(output.message_id().unwrap_or_default().to_string())
    }
}
