//! The deploy gate behind `ecs-doctor check`: is this task definition ready to run, before it is
//! deployed?
//!
//! Two kinds of checks make one list. [`offline`] reads the definition alone (sizes, ports,
//! health check, image syntax). The account checks are the verify stage's own reads and
//! verdicts (`crate::aws::verify::preflight`): the same code that confirms the cause of a failed
//! task here says whether the next task would fail the same way. A [`Check`] means the same in
//! both places: [`CheckStatus::Found`], what it looks for (the cause of a failure) is there,
//! which for the gate is a problem; [`CheckStatus::Absent`], it is not (ok). [`Outcome`] names
//! them in the gate's words.
//!
//! Everything here is pure: [`definition`] decodes a file, [`render`] writes the result.

mod command;
pub use command::{run, Args};

pub mod definition;
pub mod offline;
pub mod render;

use serde::Serialize;

use crate::cli::exit::Code;
use crate::diagnose::Lang;
use crate::incident::TaskDefinition;
use crate::verify::{Check, CheckStatus};

/// What one check means for the deploy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Ok,
    Problem,
    NotChecked,
}

impl Outcome {
    pub fn of(status: CheckStatus) -> Self {
        match status {
            CheckStatus::Found => Self::Problem,
            CheckStatus::Absent => Self::Ok,
            CheckStatus::NotChecked => Self::NotChecked,
        }
    }

    /// The mark before a line. It never stands alone: [`Outcome::word`] follows it.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::Ok => "✔",
            Self::Problem => "✘",
            Self::NotChecked => "?",
        }
    }

    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Ok, Lang::En) => "ok",
            (Self::Problem, Lang::En) => "problem",
            (Self::NotChecked, Lang::En) => "not checked",
            (Self::Ok, Lang::Ja) => "問題なし",
            (Self::Problem, Lang::Ja) => "問題あり",
            (Self::NotChecked, Lang::Ja) => "未確認",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Problem => "problem",
            Self::NotChecked => "not-checked",
        }
    }
}

/// A gate's result: which definition was checked, and every check in order.
#[derive(Debug, Clone)]
pub struct Gate {
    /// `family:revision`, the ARN, or the file's family.
    pub subject: String,
    pub containers: usize,
    pub checks: Vec<Check>,
    pub lang: Lang,
    /// `--strict`: a check that could not run fails the gate too.
    pub strict: bool,
}

/// How many checks came out each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub ok: usize,
    pub problem: usize,
    pub not_checked: usize,
}

impl Gate {
    pub fn new(definition: &TaskDefinition, checks: Vec<Check>, lang: Lang, strict: bool) -> Self {
        Gate {
            subject: subject(definition),
            containers: definition.containers.len(),
            checks,
            lang,
            strict,
        }
    }

    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for check in &self.checks {
            match Outcome::of(check.status) {
                Outcome::Ok => counts.ok += 1,
                Outcome::Problem => counts.problem += 1,
                Outcome::NotChecked => counts.not_checked += 1,
            }
        }
        counts
    }

    /// Did the gate pass? Not-checked results fail it only when strict.
    pub fn passed(&self) -> bool {
        let counts = self.counts();
        counts.problem == 0 && !(self.strict && counts.not_checked > 0)
    }

    pub fn exit_code(&self) -> u8 {
        if self.passed() {
            Code::Ok.as_u8()
        } else {
            Code::Problem.as_u8()
        }
    }
}

/// `family:revision` when both are known, else the ARN's last part, else the family.
pub fn subject(definition: &TaskDefinition) -> String {
    match (&definition.family, definition.revision) {
        (Some(family), Some(revision)) => format!("{family}:{revision}"),
        (Some(family), None) if definition.arn.is_empty() => family.clone(),
        _ if !definition.arn.is_empty() => crate::incident::arn_name(&definition.arn).to_string(),
        (Some(family), None) => family.clone(),
        (None, _) => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(statuses: &[CheckStatus], strict: bool) -> Gate {
        let checks = statuses.iter().map(|s| Check::new("x.y", *s, "s")).collect();
        Gate::new(&TaskDefinition::default(), checks, Lang::En, strict)
    }

    #[test]
    fn a_confirmed_cause_is_a_problem_and_fails_the_gate() {
        let g = gate(&[CheckStatus::Absent, CheckStatus::Found], false);
        assert_eq!(g.exit_code(), Code::Problem.as_u8());
        assert_eq!(
            g.counts(),
            Counts {
                ok: 1,
                problem: 1,
                not_checked: 0
            }
        );
    }

    #[test]
    fn not_checked_fails_only_when_strict() {
        assert_eq!(gate(&[CheckStatus::NotChecked], false).exit_code(), Code::Ok.as_u8());
        assert_eq!(
            gate(&[CheckStatus::NotChecked], true).exit_code(),
            Code::Problem.as_u8()
        );
        assert_eq!(gate(&[CheckStatus::Absent], true).exit_code(), Code::Ok.as_u8());
    }

    #[test]
    fn every_outcome_has_a_word_besides_its_glyph() {
        for outcome in [Outcome::Ok, Outcome::Problem, Outcome::NotChecked] {
            for lang in [Lang::En, Lang::Ja] {
                assert!(!outcome.word(lang).is_empty());
                assert_ne!(outcome.word(lang), outcome.glyph());
            }
        }
    }

    #[test]
    fn the_subject_prefers_family_and_revision() {
        let mut d = TaskDefinition {
            arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/web:7".into(),
            ..TaskDefinition::default()
        };
        assert_eq!(subject(&d), "web:7");
        d.family = Some("web".into());
        d.revision = Some(8);
        assert_eq!(subject(&d), "web:8");
        d.arn.clear();
        d.revision = None;
        assert_eq!(subject(&d), "web");
    }
}
