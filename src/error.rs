//! The handler's error: what the Lambda runtime reports when an invocation fails (so the
//! event is retried and then sent to the dead-letter queue).

use crate::aws::PublishError;
use crate::event::DecodeError;

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// The event could not be read; failing keeps it (retries, then the DLQ) instead of dropping it.
    #[error("cannot decode event: {0}")]
    Decode(#[from] DecodeError),
    /// The diagnosis could not be delivered; failing lets Lambda retry it.
    #[error("cannot publish diagnosis to SNS: {0}")]
    Publish(#[from] PublishError),
    /// A defect: the pipeline panicked. Failing lets Lambda retry the event, then keep it in the
    /// dead-letter queue.
    #[error("internal error (the event is kept for a retry): {0}")]
    Panic(String),
}

impl HandlerError {
    /// A stable name for the runtime's `errorType`.
    pub fn kind(&self) -> &'static str {
        match self {
            HandlerError::Decode(_) => "EcsDoctor.DecodeError",
            HandlerError::Publish(_) => "EcsDoctor.PublishError",
            HandlerError::Panic(_) => "EcsDoctor.InternalError",
        }
    }
}

impl From<HandlerError> for lambda_runtime::Diagnostic {
    fn from(error: HandlerError) -> Self {
        lambda_runtime::Diagnostic {
            error_type: error.kind().to_string(),
            // The message goes to the runtime's log and the dead-letter queue's attributes.
            error_message: crate::redact::clean(&error.to_string()),
        }
    }
}
