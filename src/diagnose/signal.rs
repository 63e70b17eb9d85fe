//! Signals: the individual facts of an incident that rules are matched against, one text each.

use std::cell::OnceCell;

use crate::incident::{ApiError, ApiFailure, Container, Incident, Source};

/// What any signal of one incident may ask about the incident as a whole, worked out once per
/// incident. Checks that look at the task around a signal (its `stoppedReason`, the other
/// containers) read these instead of re-reading the task, so that diagnosing an incident costs
/// time linear in its size, not containers × rules × reason length.
#[derive(Debug, Default)]
pub struct Shared {
    /// The task's `stoppedReason`, normalised (empty when there is none).
    pub stopped_reason: String,
    /// The container instance's `statusReason`, normalised (empty when there is none).
    pub instance_reason: String,
    /// How many containers of the task report an exit code.
    pub containers_with_exit_code: usize,
    /// Answers about `stopped_reason`, each computed at its first use.
    pub reason_flags: [OnceCell<bool>; 3],
}

impl Shared {
    pub fn of(incident: &Incident) -> Shared {
        let task = incident.task.as_ref();
        Shared {
            stopped_reason: task
                .and_then(|t| t.stopped_reason.as_deref())
                .map(normalise)
                .unwrap_or_default(),
            instance_reason: incident
                .container_instance
                .as_ref()
                .and_then(|i| i.status_reason.as_deref())
                .map(normalise)
                .unwrap_or_default(),
            containers_with_exit_code: task
                .map(|t| t.containers.iter().filter(|c| c.exit_code.is_some()).count())
                .unwrap_or(0),
            reason_flags: Default::default(),
        }
    }

    /// Does the normalised `stoppedReason` contain one of `wordings`? `slot` names the question
    /// (one slot per list of wordings, see [`ReasonQuestion`]); the answer is cached.
    pub fn stopped_reason_has(&self, slot: ReasonQuestion, wordings: &[&str]) -> bool {
        *self.reason_flags[slot as usize].get_or_init(|| wordings.iter().any(|w| self.stopped_reason.contains(w)))
    }
}

/// The questions checks ask about a task's `stoppedReason`; each has one cache slot in [`Shared`].
#[derive(Debug, Clone, Copy)]
pub enum ReasonQuestion {
    /// ECS, the scheduler or the platform stopped the task.
    StoppedByEcs = 0,
    /// The reason names a Spot, host or maintenance stop.
    Platform = 1,
    /// The reason is a generic summary naming no cause.
    Generic = 2,
}

/// Which field of the input a signal came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `detail.stoppedReason` of a task.
    StoppedReason,
    /// `detail.stopCode` of a task (text = the code).
    StopCode,
    /// `containers[].reason`.
    ContainerReason,
    /// `containers[].exitCode` (one signal per container of a stopped task, code or not).
    ExitCode,
    /// `eventName` of a service action or deployment event.
    EventName,
    /// `reason` of a service action or deployment event.
    ServiceReason,
    /// `status` of a container instance (text = the status).
    InstanceStatus,
    /// `statusReason` of a container instance.
    InstanceReason,
    /// `failures[].reason` of an API response.
    FailureReason,
    /// `errorCode: errorMessage` of an API call ECS refused.
    ApiError,
    /// A bare string from the command line.
    FreeText,
}

impl Field {
    /// Fields that carry prose a person might paste; free text is matched like any of them.
    pub fn is_text(self) -> bool {
        !matches!(self, Field::ExitCode)
    }

    /// Order of evidence when findings tie on severity: the most specific source first.
    pub fn rank(self) -> u8 {
        match self {
            Field::ContainerReason => 0,
            Field::FailureReason => 1,
            Field::ApiError => 1,
            Field::ServiceReason => 2,
            Field::StoppedReason => 3,
            Field::FreeText => 4,
            Field::InstanceReason => 5,
            Field::ExitCode => 6,
            Field::StopCode => 7,
            Field::EventName => 8,
            Field::InstanceStatus => 9,
        }
    }
}

/// One fact to match, with what the rules and the texts may need to know around it.
#[derive(Debug, Clone)]
pub struct Signal<'a> {
    pub field: Field,
    /// Where it was found, for evidence: `stoppedReason`, `containers[app].reason`, …
    pub path: String,
    /// The text as it arrived.
    pub text: &'a str,
    /// Lower-cased, apostrophes folded, white space collapsed, trailing ellipsis removed.
    pub norm: String,
    /// `norm` without wrappers such as `TaskFailedToStart:` or `… Reason:`.
    pub core: String,
    pub container: Option<&'a Container>,
    pub exit_code: Option<i64>,
    pub failure: Option<&'a ApiFailure>,
    pub api_error: Option<&'a ApiError>,
    pub incident: &'a Incident,
    /// Facts about the whole incident, shared by all its signals.
    pub shared: &'a Shared,
}

impl<'a> Signal<'a> {
    fn new(field: Field, path: String, text: &'a str, incident: &'a Incident, shared: &'a Shared) -> Self {
        // The task's stoppedReason is normalised once, for the checks that read it.
        let norm = if field == Field::StoppedReason {
            shared.stopped_reason.clone()
        } else {
            normalise(text)
        };
        let core = unwrap(&norm).to_string();
        Signal {
            field,
            path,
            text,
            norm,
            core,
            container: None,
            exit_code: None,
            failure: None,
            api_error: None,
            incident,
            shared,
        }
    }

    /// The API action behind an API failure or a refused call.
    pub fn action(&self) -> Option<&'a str> {
        self.failure
            .and_then(|f| f.action.as_deref())
            .or_else(|| self.api_error.map(|e| e.action.as_str()))
    }
}

/// Lower-case, fold typographic quotes, collapse white space, drop a trailing ellipsis.
///
/// The console lower-cases error prefixes (`Cannotpullcontainererror`), newer agents write
/// "can’t" with U+2019, and Fargate truncates long reasons, so matching happens on this form.
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        normalise_ascii(text)
    } else {
        normalise_unicode(text)
    }
}

fn normalise_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        let ch = match ch {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c if c.is_whitespace() || c.is_control() => ' ',
            c => c,
        };
        if ch == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(ch.to_lowercase());
    }
    while let Some(stripped) = out.strip_suffix('…').or_else(|| out.strip_suffix("...")) {
        out.truncate(stripped.trim_end().len());
    }
    out
}

/// [`normalise`] for ASCII text (nearly every reason): a byte loop, the same result.
fn normalise_ascii(text: &str) -> String {
    let bytes = text.as_bytes();
    // Printable, single-spaced, no space at either end: only the case changes.
    let clean = bytes.iter().all(|&b| (b' '..0x7f).contains(&b))
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.ends_with("...")
        && !text.contains("  ");
    if clean {
        return text.to_ascii_lowercase();
    }
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut space = false;
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() || b.is_ascii_control() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(b' ');
            space = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    while let Some(stripped) = out.strip_suffix(b"...") {
        let end = stripped.trim_ascii_end().len();
        out.truncate(end);
    }
    // Only ASCII bytes were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Strip wrappers that services and tools put around the same failure text.
fn unwrap(norm: &str) -> &str {
    let mut s = norm;
    // "(service x) was unable to place a task. reason: …" and similar service-event wrappers.
    if let Some(pos) = s.rfind("reason: ") {
        s = &s[pos + "reason: ".len()..];
    }
    for prefix in ["taskfailedtostart:", "taskfailedtostart -", "encountered error"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
        }
    }
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '.' | '`'))
}

/// Every signal of an incident, in a stable order.
pub fn signals<'a>(incident: &'a Incident, shared: &'a Shared) -> Vec<Signal<'a>> {
    let mut out = Vec::new();
    if let Some(task) = &incident.task {
        if let Some(reason) = task.stopped_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            out.push(Signal::new(
                Field::StoppedReason,
                "stoppedReason".into(),
                reason,
                incident,
                shared,
            ));
        }
        if let Some(code) = task.stop_code.as_deref().filter(|c| !c.is_empty()) {
            out.push(Signal::new(Field::StopCode, "stopCode".into(), code, incident, shared));
        }
        let stopped = task
            .last_status
            .as_deref()
            .is_none_or(|s| s.eq_ignore_ascii_case("STOPPED"));
        for container in &task.containers {
            if let Some(reason) = container.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                let mut s = Signal::new(
                    Field::ContainerReason,
                    format!("containers[{}].reason", container.name),
                    reason,
                    incident,
                    shared,
                );
                s.container = Some(container);
                s.exit_code = container.exit_code;
                out.push(s);
            }
            if stopped {
                let mut s = Signal::new(
                    Field::ExitCode,
                    format!("containers[{}].exitCode", container.name),
                    "",
                    incident,
                    shared,
                );
                s.container = Some(container);
                s.exit_code = container.exit_code;
                out.push(s);
            }
        }
    }
    if let Some(event) = &incident.service_event {
        out.push(Signal::new(
            Field::EventName,
            "eventName".into(),
            &event.event_name,
            incident,
            shared,
        ));
        if let Some(reason) = event.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            out.push(Signal::new(
                Field::ServiceReason,
                "reason".into(),
                reason,
                incident,
                shared,
            ));
        }
    }
    if let Some(instance) = &incident.container_instance {
        if let Some(status) = instance.status.as_deref() {
            out.push(Signal::new(
                Field::InstanceStatus,
                "status".into(),
                status,
                incident,
                shared,
            ));
        }
        if let Some(reason) = instance.status_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            out.push(Signal::new(
                Field::InstanceReason,
                "statusReason".into(),
                reason,
                incident,
                shared,
            ));
        }
    }
    for (i, failure) in incident.api_failures.iter().enumerate() {
        let mut s = Signal::new(
            Field::FailureReason,
            format!("failures[{i}].reason"),
            &failure.reason,
            incident,
            shared,
        );
        s.failure = Some(failure);
        out.push(s);
    }
    if let Some(error) = &incident.api_error {
        let mut s = Signal::new(Field::ApiError, "errorCode".into(), &error.reason, incident, shared);
        s.api_error = Some(error);
        out.push(s);
    }
    if let Some(text) = incident.text.as_deref() {
        let mut s = Signal::new(Field::FreeText, "text".into(), text, incident, shared);
        s.exit_code = exit_code_in(&s.norm);
        if incident.source == Source::Text && s.exit_code.is_some() {
            // "exit code 137" pasted alone: also read it as an exit code.
            let mut code = s.clone();
            code.field = Field::ExitCode;
            out.push(s);
            out.push(code);
        } else {
            out.push(s);
        }
    }
    out
}

/// Finds "exit code 137", "exitcode: 1", "exited with code 2", "exit status 127" in free text.
fn exit_code_in(norm: &str) -> Option<i64> {
    for marker in [
        "exit code",
        "exitcode",
        "exited with code",
        "exit status",
        "exited with",
    ] {
        if let Some(pos) = norm.find(marker) {
            let rest = norm[pos + marker.len()..].trim_start_matches([' ', ':', '=', '"']);
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect();
            if let Ok(code) = digits.parse() {
                return Some(code);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_folds_case_quotes_space_and_ellipsis() {
        assert_eq!(
            normalise("The task can\u{2019}t  pull\n the image…"),
            "the task can't pull the image"
        );
        assert_eq!(
            normalise("Cannotpullcontainererror: x..."),
            "cannotpullcontainererror: x"
        );
        // The ASCII fast path and the general path agree.
        for text in [
            "  A\tB\r\n C ... ...",
            "",
            " ",
            "x.. .",
            "Exit\u{0}Code 1",
            "Plain Text",
            "a b.",
            "a ",
        ] {
            assert_eq!(normalise_ascii(text), normalise_unicode(text), "{text:?}");
        }
    }

    #[test]
    fn unwrap_removes_service_and_task_wrappers() {
        assert_eq!(unwrap("taskfailedtostart: agent"), "agent");
        assert_eq!(
            unwrap("(service web) was unable to place a task. reason: resource:cpu."),
            "resource:cpu"
        );
        assert_eq!(unwrap("encountered error \"agent\""), "agent");
    }

    #[test]
    fn exit_codes_in_free_text() {
        assert_eq!(exit_code_in("container exited with code 137"), Some(137));
        assert_eq!(exit_code_in("exit code: 1"), Some(1));
        assert_eq!(exit_code_in("no code here"), None);
    }
}
