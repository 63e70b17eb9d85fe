//! (family under construction)

use super::Rule;

pub const RULES: &[Rule] = &[];
