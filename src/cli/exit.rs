//! The exit codes of every command, in one place. `--help` of `check`, `scan` and `watch` and
//! the README list them; a pipeline acts on them, so a code never changes meaning.

use std::process::ExitCode;

/// How a command ended, as its process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Code {
    /// Nothing is wrong: `check` found no problem, `watch`'s deployment completed, `scan` found
    /// no failure, `explain` explained.
    Ok = 0,
    /// The command could not do its job: unreadable input, no credentials, an unknown cluster,
    /// service or task definition.
    Error = 1,
    /// It found what a pipeline must stop for: `check` a problem, `watch` a failed, rolled-back
    /// or replaced deployment, `scan` failures.
    Problem = 3,
    /// `watch`: the time ran out while tasks of the deployment had failed.
    TimeoutFailing = 4,
    /// `watch`: the time ran out while the deployment was still in progress, with no failure.
    TimeoutInProgress = 5,
    /// Interrupted (Ctrl-C), as shells report a SIGINT.
    Interrupted = 130,
}

impl Code {
    pub const fn as_u8(self) -> u8 {
        self as u8
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code.as_u8())
    }
}
