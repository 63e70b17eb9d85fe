//! Errors of the AWS SDK, classified in one place: which codes mean throttling, a denial, bad
//! credentials or a missing resource, and the three ways the crate reports them (enrichment's
//! [`EnrichError`], the ECS reader's [`ScanError`] and a check's [`Unavailable`]).

use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::{EnrichError, ScanError};
use crate::verify::Unavailable;

/// Maps an SDK error to an [`EnrichError`], whatever the service.
pub(crate) fn classify<E, R>(err: SdkError<E, R>) -> EnrichError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::TimeoutError(_) => EnrichError::Timeout,
        SdkError::DispatchFailure(failure) if failure.is_timeout() => EnrichError::Timeout,
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or("Unknown").to_string();
            let message = err.message().unwrap_or_default().to_string();
            let both = format!("{code}: {message}");
            if is_throttling(&code) {
                EnrichError::Throttled(both)
            } else if is_access_denied(&code) {
                EnrichError::AccessDenied(both)
            } else if code == "ClusterNotFoundException" {
                EnrichError::ClusterNotFound(both)
            } else if code == "ResourceNotFoundException" {
                EnrichError::NotFound(both)
            } else {
                EnrichError::Other(both)
            }
        }
        _ => EnrichError::Other(DisplayErrorContext(&err).to_string()),
    }
}

/// Error codes AWS uses for throttling across services.
pub(crate) fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "ThrottlingException"
            | "Throttling"
            | "TooManyRequestsException"
            | "RequestLimitExceeded"
            | "ThrottledException"
    )
}

/// Error codes AWS uses for a permission denial.
pub(crate) fn is_access_denied(code: &str) -> bool {
    matches!(
        code,
        "AccessDeniedException"
            | "AccessDenied"
            | "UnauthorizedOperation"
            | "AuthorizationError"
            | "UnrecognizedClientException"
    )
}

/// Error codes meaning the credentials themselves are missing, wrong or expired.
fn is_bad_credentials(code: &str) -> bool {
    matches!(
        code,
        "UnrecognizedClientException"
            | "InvalidClientTokenId"
            | "ExpiredTokenException"
            | "ExpiredToken"
            | "InvalidSignatureException"
            | "SignatureDoesNotMatch"
            | "IncompleteSignature"
            | "MissingAuthenticationToken"
    )
}

/// Longest error text kept in one output line.
const ERROR_CHARS: usize = 300;

fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(ERROR_CHARS) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// Maps an SDK error to a [`ScanError`]; `operation` names the API for the message.
pub(crate) fn classify_scan<E, R>(operation: &str, err: SdkError<E, R>) -> ScanError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::ServiceError(_) => {
            let code = err.code().unwrap_or("Unknown").to_string();
            let message = one_line(err.message().unwrap_or_default());
            let both = format!("ecs:{operation}: {code}: {message}");
            if is_throttling(&code) {
                ScanError::Throttled(both)
            } else if is_bad_credentials(&code) {
                ScanError::Fatal(format!(
                    "AWS rejected the credentials ({code}: {message}); check AWS_PROFILE or the AWS_ACCESS_KEY_ID in use"
                ))
            } else if is_access_denied(&code) {
                ScanError::AccessDenied(both)
            } else if code == "ClusterNotFoundException" {
                ScanError::NotFound(both)
            } else if code == "ServiceNotFoundException" {
                ScanError::ServiceNotFound(both)
            } else {
                ScanError::Other(both)
            }
        }
        SdkError::TimeoutError(_) => ScanError::Other(format!("ecs:{operation}: the request timed out")),
        SdkError::DispatchFailure(failure) if failure.is_timeout() => {
            ScanError::Other(format!("ecs:{operation}: the request timed out"))
        }
        _ => {
            let detail = DisplayErrorContext(&err).to_string();
            let lower = detail.to_ascii_lowercase();
            if lower.contains("credential") || lower.contains("no matching auth scheme") {
                ScanError::Fatal(
                    "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in (aws sso login)"
                        .into(),
                )
            } else if lower.contains("region") {
                ScanError::Fatal(
                    "no AWS Region is set: set AWS_REGION (or a region in the AWS_PROFILE's config)".into(),
                )
            } else {
                ScanError::Fatal(format!(
                    "cannot reach the ECS endpoint (check AWS_REGION, AWS_ENDPOINT_URL and the network): {}",
                    one_line(&detail)
                ))
            }
        }
    }
}

/// The error code of an SDK error (`RepositoryNotFoundException`, …), when the service sent one.
pub(crate) fn error_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    }
}

/// An SDK error that is not itself a fact, as the reason a check could not run. `action` is
/// the IAM action of the call (`ecr:DescribeImages`), named in the reason.
pub(crate) fn unavailable<E>(err: &SdkError<E, HttpResponse>, action: &str) -> Unavailable
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::TimeoutError(_) => Unavailable::Timeout(crate::aws::config::OPERATION_TIMEOUT),
        SdkError::DispatchFailure(f) if f.is_timeout() => Unavailable::Timeout(crate::aws::config::OPERATION_TIMEOUT),
        SdkError::ServiceError(e) => match e.err().code() {
            Some(code) if is_access_denied(code) => Unavailable::AccessDenied(action.to_string()),
            Some(code) if is_throttling(code) => Unavailable::Throttled(action.to_string()),
            code => {
                // No code (an emulator's unimplemented call, a proxy's error page): the HTTP
                // status is the one fact left.
                let status = format!("HTTP {}", e.raw().status().as_u16());
                Unavailable::Failed(failed_call(action, Some(code.unwrap_or(&status)), e.err().message()))
            }
        },
        other => Unavailable::Failed(format!("{action}: {}", DisplayErrorContext(other))),
    }
}

/// A failed call in words: `ecr:DescribeImages failed with ServerException: …`. The call is
/// always named, and an error that came without a code or a message says so instead of
/// printing an empty text.
pub(crate) fn failed_call(action: &str, code: Option<&str>, message: Option<&str>) -> String {
    let message = message
        .map(|m| m.trim().trim_end_matches('.'))
        .filter(|m| !m.is_empty());
    match (code.filter(|c| !c.is_empty()), message) {
        (Some(code), Some(message)) => format!("{action} failed with {code}: {message}"),
        (Some(code), None) => format!("{action} failed with {code} (no message given)"),
        (None, Some(message)) => format!("{action} failed: {message}"),
        (None, None) => format!("{action} failed with an error that has neither a code nor a message"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_errors_become_one_short_line() {
        let text = format!("a\nb  c {}", "x".repeat(1000));
        let line = one_line(&text);
        assert!(line.starts_with("a b c "));
        assert!(!line.contains('\n'));
        assert_eq!(line.chars().count(), ERROR_CHARS + 1);
    }

    #[test]
    fn a_failed_call_is_named_with_its_code_and_never_empty() {
        assert_eq!(
            failed_call("ecr:DescribeImages", Some("ServerException"), Some("Internal error.")),
            "ecr:DescribeImages failed with ServerException: Internal error"
        );
        assert_eq!(
            failed_call("cloudtrail:LookupEvents", Some("InternalFailure"), Some(" ")),
            "cloudtrail:LookupEvents failed with InternalFailure (no message given)"
        );
        let bare = failed_call("cloudtrail:LookupEvents", None, None);
        assert!(bare.starts_with("cloudtrail:LookupEvents failed"), "{bare}");
        assert!(!bare.contains(": ."), "{bare}");
    }
}
