//! Redaction of credentials in text that leaves the account in a message: log lines and
//! health-check commands. Conservative: it would rather hide a harmless value than show a key.

use std::borrow::Cow;

use serde_json::Value;

/// Keys whose values are secrets in `key=value`, `key: value` and `"key": "value"` forms.
const SECRET_KEYS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "accesskey",
    "private_key",
    "credential",
    "authorization",
    "auth",
    "session",
    "cookie",
];

/// Prefixes of AWS access key ids (AKIA…, ASIA…: 20 upper-case letters and digits).
const AWS_KEY_PREFIXES: &[&str] = &["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA", "ANVA", "AIPA"];

pub const REDACTED: &str = "[REDACTED]";

/// Redact only what is unmistakably a credential (access key ids, bearer tokens, URL
/// passwords, private keys). For ECS reasons and other evidence, where `key: value` text is
/// ordinary prose ("ecr registry auth: service call …").
pub fn redact_credentials(text: &str) -> String {
    scrub(text, false)
}

/// Redact one log line or command: also the values of `password=`, `token: …` and the like.
pub fn redact(line: &str) -> String {
    scrub(line, true)
}

/// The passes in order (bearer tokens before `key: value`, so `Authorization: Bearer x` loses
/// both), each skipped when it has nothing to find: evidence is redacted for every finding.
fn scrub(text: &str, key_values: bool) -> String {
    if text.contains("PRIVATE KEY") {
        return REDACTED.to_string();
    }
    let text = if text.contains("://") {
        Cow::Owned(redact_url_passwords(text))
    } else {
        Cow::Borrowed(text)
    };
    let text = if mentions_auth_scheme(&text) {
        Cow::Owned(redact_bearer(&text))
    } else {
        text
    };
    let text = if key_values && text.contains(['=', ':']) {
        Cow::Owned(redact_key_values(&text))
    } else {
        text
    };
    redact_aws_key_ids(&text)
}

/// Does `text` contain `bearer ` or `basic ` in any case (what [`redact_bearer`] looks for)?
fn mentions_auth_scheme(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).filter(|&i| b[i] | 0x20 == b'b').any(|i| {
        ["bearer ", "basic "].iter().any(|m| {
            b[i..]
                .get(..m.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(m.as_bytes()))
        })
    })
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// `AKIA…` and the other key id forms: a prefix and 16 upper-case letters or digits, not part
/// of a longer run of them. Works on bytes: every byte it looks at is ASCII.
fn redact_aws_key_ids(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut i = 0;
    while i + 20 <= bytes.len() {
        let key = bytes[i] == b'A'
            && AWS_KEY_PREFIXES.iter().any(|p| bytes[i..].starts_with(p.as_bytes()))
            && bytes[i + 4..i + 20].iter().all(|&b| is_key_byte(b))
            && (i == 0 || !is_key_byte(bytes[i - 1]))
            && bytes.get(i + 20).is_none_or(|&b| !is_key_byte(b));
        if key {
            out.push_str(&line[last..i]);
            out.push_str(REDACTED);
            i += 20;
            last = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&line[last..]);
    out
}

fn redact_bearer(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for marker in ["bearer ", "basic "] {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(marker) {
            let start = from + pos + marker.len();
            let end = line[start..]
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                .map_or(line.len(), |e| start + e);
            if end > start && start >= last {
                out.push_str(&line[last..start]);
                out.push_str(REDACTED);
                last = end;
            }
            from = end.max(start);
        }
    }
    out.push_str(&line[last..]);
    out
}

fn redact_url_passwords(line: &str) -> String {
    // scheme://user:password@host → scheme://user:[REDACTED]@host
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        let authority_end = tail.find(['/', ' ', '"', '\'']).unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at), Some(colon)) if colon < at => {
                out.push_str(&authority[..=colon]);
                out.push_str(REDACTED);
                out.push_str(&authority[at..]);
            }
            _ => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

fn redact_key_values(line: &str) -> String {
    let lower = line.to_ascii_lowercase();
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Find a separator (= or :) preceded by a key that names a secret.
        if bytes[i] == b'=' || bytes[i] == b':' {
            let key_end = lower[..i].trim_end_matches(['"', '\'', ' ']).len();
            let key_start = lower[..key_end]
                .char_indices()
                .rev()
                .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.'))
                .map_or(0, |(p, c)| p + c.len_utf8());
            let key = &lower[key_start..key_end];
            let is_url = bytes.get(i + 1) == Some(&b'/');
            if !key.is_empty() && !is_url && SECRET_KEYS.iter().any(|k| key.contains(k)) {
                let mut start = i + 1;
                while start < bytes.len() && matches!(bytes[start], b' ' | b'"' | b'\'') {
                    start += 1;
                }
                let end = line[start..]
                    .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';' | '&' | '}'))
                    .map_or(line.len(), |e| start + e);
                if end > start && start >= last {
                    out.push_str(&line[last..start]);
                    out.push_str(REDACTED);
                    last = end;
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push_str(&line[last..]);
    out
}

/// Keys of a CloudTrail `requestParameters` whose values identify what a call changed or
/// named, and carry no secret. Anything else — `secretString`, a parameter's `value`, policy documents — is never copied.
const REQUEST_IDENTIFIERS: &[&str] = &[
    "repositoryName",
    "imageTag",
    "imageDigest",
    "secretId",
    "recoveryWindowInDays",
    "forceDeleteWithoutRecovery",
    "versionStage",
    "name",
    "type",
    "overwrite",
    "roleName",
    "policyArn",
    "policyName",
    "groupId",
    "ipProtocol",
    "fromPort",
    "toPort",
    "cidrIp",
    "cidrIpv6",
    "prefixListId",
    "routeTableId",
    "destinationCidrBlock",
    "destinationPrefixListId",
    "natGatewayId",
    "gatewayId",
    "transitGatewayId",
    "vpcEndpointId",
    "targetGroupArn",
    "healthCheckPath",
    "healthCheckPort",
    "healthCheckProtocol",
    "httpCode",
    "port",
    "cluster",
    "service",
    "taskDefinition",
    "family",
    "desiredCount",
    "forceNewDeployment",
    "logGroupName",
    "keyId",
    "pendingWindowInDays",
    "fileSystemId",
    "mountTargetId",
    "accessPointId",
    // ECS calls that fail (issue 21): what the request named.
    "serviceName",
    "launchType",
    "networkMode",
    "platformVersion",
    "executionRoleArn",
    "taskRoleArn",
    "loadBalancerName",
    "containerName",
    "containerPort",
    "role",
    "subnets",
    "securityGroups",
    "assignPublicIp",
    "capacityProvider",
];

/// Who made a CloudTrail call, from its `userIdentity`: the principal's ARN, else its id, the
/// service that called for it, or its type.
pub fn caller(user_identity: &Value) -> Option<String> {
    ["arn", "principalId", "invokedBy", "type"]
        .iter()
        .find_map(|k| user_identity.get(*k).and_then(Value::as_str).filter(|v| !v.is_empty()))
        .map(str::to_string)
}

/// `key=value` for every identifier of a CloudTrail `requestParameters` (allowlisted keys
/// only, however deep), in the request's order: what "what changed" and a failed API call show.
pub fn request_identifiers(params: &Value) -> Vec<String> {
    let mut out = Vec::new();
    safe_pairs(params, &mut out);
    out
}

/// `key=value` for every scalar under an allowlisted key, however deep (CloudTrail nests
/// `ipPermissions.items[].ipRanges.items[].cidrIp`).
fn safe_pairs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(_) | Value::Number(_) | Value::Bool(_)
                        if REQUEST_IDENTIFIERS.contains(&k.as_str()) =>
                    {
                        let text = match v {
                            Value::String(s) => crate::util::text::sanitize_inline(s),
                            other => other.to_string(),
                        };
                        out.push(format!("{k}={text}"));
                    }
                    Value::Array(items) if REQUEST_IDENTIFIERS.contains(&k.as_str()) => {
                        let scalars: Vec<String> = items
                            .iter()
                            .filter_map(|i| match i {
                                Value::String(s) => Some(crate::util::text::sanitize_inline(s)),
                                Value::Number(n) => Some(n.to_string()),
                                _ => None,
                            })
                            .collect();
                        if !scalars.is_empty() {
                            out.push(format!("{k}={}", scalars.join("|")));
                        }
                        for item in items {
                            safe_pairs(item, out);
                        }
                    }
                    Value::Object(_) | Value::Array(_) => safe_pairs(v, out),
                    _ => {}
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                safe_pairs(item, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_credentials_are_redacted() {
        let cases = [
            ("key AKIAIOSFODNN7EXAMPLE used", "key [REDACTED] used"),
            (
                "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY x",
                "aws_secret_access_key=[REDACTED] x",
            ),
            (
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
                "Authorization: [REDACTED] [REDACTED]",
            ),
            (
                r#"{"password": "hunter2", "user": "bob"}"#,
                r#"{"password": "[REDACTED]", "user": "bob"}"#,
            ),
            ("DB_PASSWORD=s3cr3t;next", "DB_PASSWORD=[REDACTED];next"),
            (
                "connecting to postgres://app:pa55@db:5432/x",
                "connecting to postgres://app:[REDACTED]@db:5432/x",
            ),
            ("-----BEGIN RSA PRIVATE KEY-----", "[REDACTED]"),
            // At both ends, after non-ASCII text; not inside a longer run.
            ("AKIAIOSFODNN7EXAMPLE,ASIAIOSFODNN7EXAMPLE", "[REDACTED],[REDACTED]"),
            ("ключ AKIAIOSFODNN7EXAMPLE", "ключ [REDACTED]"),
            ("XAKIAIOSFODNN7EXAMPLE", "XAKIAIOSFODNN7EXAMPLE"),
            ("AKIAIOSFODNN7EXAMPLEX", "AKIAIOSFODNN7EXAMPLEX"),
            ("AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPL"),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "input: {input}");
        }
    }

    #[test]
    fn evidence_keeps_its_prose_but_loses_keys() {
        let reason = "unable to retrieve ecr registry auth: service call failed with key AKIAIOSFODNN7EXAMPLE";
        assert_eq!(
            redact_credentials(reason),
            "unable to retrieve ecr registry auth: service call failed with key [REDACTED]"
        );
    }

    #[test]
    fn ordinary_lines_pass_unchanged() {
        for line in [
            "Exception in thread main java.lang.OutOfMemoryError: Java heap space",
            "GET /health 200 3ms",
            "listening on http://0.0.0.0:8080",
            "時刻: 12:00 起動しました",
        ] {
            assert_eq!(redact(line), line);
        }
    }
}
