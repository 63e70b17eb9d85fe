//! The shape of one catalog entry. A rule is data: id, category, severity, a matcher, texts in
//! English and Japanese, and documentation links. Matching logic lives in `engine.rs`, prose in
//! the catalog files; they do not mix.

use serde::Serialize;

use super::signal::{Field, Signal};

/// How bad it is. Ordered: `Critical` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

macro_rules! categories {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// The fixed category vocabulary (later work may add, never rename).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Category { $(#[serde(rename = $name)] $variant),+ }

        impl Category {
            pub const ALL: &'static [Category] = &[$(Category::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(Category::$variant => $name),+ }
            }
        }
    };
}

categories! {
    ImagePullNetwork => "image-pull-network",
    ImagePullAuth => "image-pull-auth",
    ImageNotFound => "image-not-found",
    ImagePullRateLimit => "image-pull-rate-limit",
    ImagePlatformMismatch => "image-platform-mismatch",
    HostStorage => "host-storage",
    SecretsNetwork => "secrets-network",
    SecretsPermission => "secrets-permission",
    SecretsNotFound => "secrets-not-found",
    LoggingSetup => "logging-setup",
    EnvFile => "env-file",
    EfsMount => "efs-mount",
    Volume => "volume",
    ContainerCommand => "container-command",
    ContainerRuntime => "container-runtime",
    RuntimeTimeout => "runtime-timeout",
    OutOfMemory => "out-of-memory",
    AppExit => "app-exit",
    HealthCheckElb => "health-check-elb",
    HealthCheckContainer => "health-check-container",
    EniProvisioning => "eni-provisioning",
    PlacementCapacity => "placement-capacity",
    PlacementConstraint => "placement-constraint",
    FargateCapacity => "fargate-capacity",
    AgentDisconnected => "agent-disconnected",
    InstanceInactive => "instance-inactive",
    NotFound => "not-found",
    TaskProtection => "task-protection",
    IamRole => "iam-role",
    SpotInterruption => "spot-interruption",
    Infrastructure => "infrastructure",
    DeploymentFailed => "deployment-failed",
    DeploymentHook => "deployment-hook",
    DeploymentTraffic => "deployment-traffic",
    InvalidRequest => "invalid-request",
    ApiPermission => "api-permission",
    ExpectedStop => "expected-stop",
    Unknown => "unknown",
}

/// Where a rule stands when several fire for one incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Tier {
    /// A specific cause named by the text.
    #[default]
    Specific,
    /// The last rule of a failure family (`CannotStartContainerError: …` with a cause phrase no
    /// specific rule knows): names the family and its general checklist, not the exact cause.
    Family,
    /// An interpretation of an exit code; dropped for a container whose reason already explains it.
    ExitCode,
    /// A generic summary ("Essential container in task exited"); dropped when anything else fired.
    Generic,
}

impl Tier {
    /// How sure a finding of this tier is about the cause.
    pub fn confidence(self) -> Confidence {
        match self {
            Tier::Specific | Tier::ExitCode => Confidence::Specific,
            Tier::Generic | Tier::Family => Confidence::Family,
        }
    }
}

/// How sure a finding is. `Specific`: a rule recognised the cause itself. `Family`: only the
/// failure family is known (its general checklist applies); `None`: not even the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Specific,
    Family,
    None,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Specific => "specific",
            Confidence::Family => "family",
            Confidence::None => "none",
        }
    }
}

/// An extra condition on the incident that text matching cannot express.
pub type Check = fn(&Signal) -> bool;

/// What makes a rule fire on one signal. Every non-empty part must hold.
///
/// Text parts are lower-case and compared with the signal's normalised text (lower-cased,
/// typographic apostrophes folded, white space collapsed).
#[derive(Clone, Copy)]
pub struct When {
    /// The kinds of signal this rule reads; empty means every text-bearing one.
    pub fields: &'static [Field],
    /// At least one of these substrings must appear: the failure family's wording
    /// (`cannotpullcontainer`, `can't pull the image`, …). Empty: no constraint.
    pub within: &'static [&'static str],
    /// At least one of these substrings, or one of `exact`, must appear (when either is set).
    pub any: &'static [&'static str],
    /// Cause phrases (`vocabulary::phrase`) that place a text in this rule's family wherever
    /// they stand, with or without the error type: one of them stands in for `within`; `any`
    /// and the rest still apply. A rule matched through `within` is preferred, so the error
    /// type still picks the stage.
    pub anywhere: &'static [&'static str],
    /// The text (with wrappers such as `TaskFailedToStart:` removed) equals one of these.
    pub exact: &'static [&'static str],
    /// Every one of these substrings must appear.
    pub all: &'static [&'static str],
    /// None of these substrings may appear.
    pub none: &'static [&'static str],
    /// The container's exit code is one of these.
    pub exit_codes: &'static [i64],
    /// The API action that returned the failure is one of these (exact, case-insensitive).
    pub actions: &'static [&'static str],
    /// A named predicate over the whole incident.
    pub check: Option<Check>,
    pub tier: Tier,
}

impl When {
    pub const NOTHING: When = When {
        fields: &[],
        within: &[],
        any: &[],
        anywhere: &[],
        exact: &[],
        all: &[],
        none: &[],
        exit_codes: &[],
        actions: &[],
        check: None,
        tier: Tier::Specific,
    };
}

/// Title, explanation and remediation in one language.
///
/// Texts may name values of the incident with placeholders (see `diagnose::text`), and a
/// remediation step may start with a context tag such as `[fargate]` to apply only there.
#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub title: &'static str,
    pub explanation: &'static str,
    pub steps: &'static [&'static str],
}

/// One catalog entry.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Stable, dotted, never reused (e.g. `image-pull.not-found`).
    pub id: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub when: When,
    pub en: Text,
    pub ja: Text,
    pub docs: &'static [&'static str],
}

impl Rule {
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Ok(Lang::En),
            "ja" | "jp" | "japanese" => Ok(Lang::Ja),
            other => Err(format!("unsupported language `{other}` (expected `en` or `ja`)")),
        }
    }
}
