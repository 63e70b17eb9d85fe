use crate::RuleCase;

pub const CASES: &[RuleCase] = &[];
