//! Errors of the AWS SDK, classified once ([`classify`] → [`AwsError`]: the call, the kind of
//! failure, what the service answered, and the SDK's error as the `source`), and the three ways
//! the crate reports them, each a `From<AwsError>`: enrichment's [`EnrichError`] (a note, the
//! diagnosis goes out anyway), the ECS reader's [`ScanError`] (a line of `scan` or `watch`, or
//! the end of the command when nothing else can work either) and a check's [`Unavailable`]
//! ("not checked: …").

use aws_sdk_ecs::config::http::HttpResponse;
use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use super::{EnrichError, ScanError};
use crate::util::text::truncate_chars;
use crate::verify::Unavailable;

/// What kind of failure an SDK error is, whatever the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Still throttled after the SDK's own retries.
    Throttled,
    /// The caller may not do this (an IAM or resource policy said no).
    Denied,
    /// The cluster, service or resource named does not exist.
    NotFound,
    /// No answer within the operation's timeout.
    Timeout,
    /// No credentials, or credentials AWS rejected (unknown, expired, badly signed).
    Credentials,
    /// Anything else: another service error, an endpoint that cannot be reached, …
    Other,
}

/// The service's answer to a request it refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// `ThrottlingException`, `AccessDeniedException`, …; `None` when the answer had none (an
    /// emulator's unimplemented call, a proxy's error page).
    pub code: Option<String>,
    pub message: Option<String>,
    pub status: u16,
}

/// One SDK error, classified.
#[derive(Debug, thiserror::Error)]
#[error("{action}: {detail}")]
pub struct AwsError {
    /// The IAM action of the call (`ecs:DescribeTasks`).
    pub action: String,
    pub kind: ErrorKind,
    /// What the service said, when it answered at all.
    pub answer: Option<Answer>,
    /// The error in words: the service's `code: message`, else the SDK's own description.
    pub detail: String,
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// Classifies an SDK error of the call `action` (`ecs:DescribeTasks`), whatever the service.
pub fn classify<E>(action: &str, err: SdkError<E, HttpResponse>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let timeout = match &err {
        SdkError::TimeoutError(_) => true,
        SdkError::DispatchFailure(failure) => failure.is_timeout(),
        _ => false,
    };
    let answer = match &err {
        SdkError::ServiceError(e) => Some(Answer {
            code: e.err().code().map(str::to_string),
            message: e.err().message().map(str::to_string),
            status: e.raw().status().as_u16(),
        }),
        _ => None,
    };
    let (kind, detail) = match &answer {
        Some(answer) => {
            let code = answer.code.as_deref().unwrap_or("Unknown");
            let kind = if is_throttling(code) {
                ErrorKind::Throttled
            } else if is_bad_credentials(code) {
                ErrorKind::Credentials
            } else if is_access_denied(code) {
                ErrorKind::Denied
            } else if code.ends_with("NotFoundException") {
                ErrorKind::NotFound
            } else {
                ErrorKind::Other
            };
            (
                kind,
                format!("{code}: {}", answer.message.as_deref().unwrap_or_default()),
            )
        }
        None => {
            let detail = DisplayErrorContext(&err).to_string();
            let lower = detail.to_ascii_lowercase();
            let kind = if timeout {
                ErrorKind::Timeout
            } else if lower.contains("credential") || lower.contains("no matching auth scheme") {
                ErrorKind::Credentials
            } else {
                ErrorKind::Other
            };
            (kind, detail)
        }
    };
    AwsError {
        action: action.to_string(),
        kind,
        answer,
        detail,
        source: Box::new(err),
    }
}

impl AwsError {
    /// The service's error code (`Unknown` when it answered without one).
    fn code(&self) -> Option<&str> {
        self.answer.as_ref().map(|a| a.code.as_deref().unwrap_or("Unknown"))
    }

    /// A denial, including the credentials AWS does not know (UnrecognizedClientException):
    /// to enrichment and to a check that is the caller not being allowed to read.
    fn is_denial(&self) -> bool {
        self.kind == ErrorKind::Denied || self.code().is_some_and(is_access_denied)
    }
}

impl From<AwsError> for EnrichError {
    fn from(err: AwsError) -> Self {
        if err.kind == ErrorKind::Timeout {
            return EnrichError::Timeout;
        }
        match err.code() {
            None => EnrichError::Other(err.detail),
            Some(_) if err.kind == ErrorKind::Throttled => EnrichError::Throttled(err.detail),
            Some(_) if err.is_denial() => EnrichError::AccessDenied(err.detail),
            Some("ClusterNotFoundException") => EnrichError::ClusterNotFound(err.detail),
            Some("ResourceNotFoundException") => EnrichError::NotFound(err.detail),
            Some(_) => EnrichError::Other(err.detail),
        }
    }
}

impl From<AwsError> for ScanError {
    fn from(err: AwsError) -> Self {
        let Some(answer) = &err.answer else {
            return match err.kind {
                ErrorKind::Timeout => ScanError::Other(format!("{}: the request timed out", err.action)),
                ErrorKind::Credentials => ScanError::Fatal(
                    "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or sign in (aws sso login)"
                        .into(),
                ),
                _ if err.detail.to_ascii_lowercase().contains("region") => ScanError::Fatal(
                    "no AWS Region is set: set AWS_REGION (or a region in the AWS_PROFILE's config)".into(),
                ),
                _ => ScanError::Fatal(format!(
                    "cannot reach the ECS endpoint (check AWS_REGION, AWS_ENDPOINT_URL and the network): {}",
                    one_line(&err.detail)
                )),
            };
        };
        let code = answer.code.as_deref().unwrap_or("Unknown");
        let message = one_line(answer.message.as_deref().unwrap_or_default());
        let both = format!("{}: {code}: {message}", err.action);
        match err.kind {
            ErrorKind::Throttled => ScanError::Throttled(both),
            ErrorKind::Credentials => ScanError::Fatal(format!(
                "AWS rejected the credentials ({code}: {message}); check AWS_PROFILE or the AWS_ACCESS_KEY_ID in use"
            )),
            ErrorKind::Denied => ScanError::AccessDenied(both),
            _ if code == "ClusterNotFoundException" => ScanError::NotFound(both),
            _ if code == "ServiceNotFoundException" => ScanError::ServiceNotFound(both),
            _ => ScanError::Other(both),
        }
    }
}

impl From<AwsError> for Unavailable {
    fn from(err: AwsError) -> Self {
        if err.kind == ErrorKind::Timeout {
            return Unavailable::Timeout(crate::aws::config::OPERATION_TIMEOUT);
        }
        let Some(answer) = &err.answer else {
            return Unavailable::Failed(format!("{}: {}", err.action, err.detail));
        };
        if err.is_denial() {
            Unavailable::AccessDenied(err.action)
        } else if err.kind == ErrorKind::Throttled {
            Unavailable::Throttled(err.action)
        } else {
            // No code: the HTTP status is the one fact left.
            let status = format!("HTTP {}", answer.status);
            let code = answer.code.as_deref().unwrap_or(&status);
            Unavailable::Failed(failed_call(&err.action, Some(code), answer.message.as_deref()))
        }
    }
}

/// An SDK error that is not itself a fact, as the reason a check could not run. `action` is
/// the IAM action of the call (`ecr:DescribeImages`), named in the reason.
pub(crate) fn unavailable<E>(err: SdkError<E, HttpResponse>, action: &str) -> Unavailable
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    Unavailable::from(classify(action, err))
}

/// The error code of an SDK error (`RepositoryNotFoundException`, …), when the service sent one.
pub(crate) fn error_code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<&str> {
    match err {
        SdkError::ServiceError(e) => e.err().code(),
        _ => None,
    }
}

/// Error codes AWS uses for throttling across services.
fn is_throttling(code: &str) -> bool {
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
fn is_access_denied(code: &str) -> bool {
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
    truncate_chars(&flat, ERROR_CHARS + 1)
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
