//! SDK configuration shared by the Lambda and the CLI: bounded timeouts and retries, so one
//! invocation always ends well inside the function timeout.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};

/// Per attempt: connect 2 s, whole attempt 3 s; per operation 3 attempts, at most 10 s.
/// With DescribeTasks and Publish in sequence the worst case is about 20 s, inside the
/// 30 s function timeout set in template.yaml.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(10);
pub const MAX_ATTEMPTS: u32 = 3;

/// Loads region and credentials from the default chain (and `AWS_ENDPOINT_URL`). Makes no
/// network call itself: credentials are fetched lazily on the first request.
pub async fn load() -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        )
        .retry_config(RetryConfig::standard().with_max_attempts(MAX_ATTEMPTS))
        .load()
        .await
}
