//! Rule matching. Every substring any rule mentions is compiled into one Aho-Corasick
//! automaton; a signal's text is scanned once, and each rule then checks its tokens by index.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::rule::Rule;
use super::signal::{Field, Signal};

/// The catalog compiled for matching.
pub struct Matcher {
    automaton: AhoCorasick,
    tokens: usize,
    rules: Vec<RuleTokens>,
    /// For each token, the rules that cannot match without it (their `within`, else `any`),
    /// as a bit set over rule numbers.
    gated_by: Vec<Vec<u64>>,
    /// Rules with no gating token (exact codes, exit codes, checks): always candidates.
    ungated: Vec<u64>,
}

/// Sets `bit` in a bit set of 64-bit words.
fn set(bits: &mut [u64], bit: usize) {
    bits[bit / 64] |= 1 << (bit % 64);
}

/// How a rule matched a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    No,
    /// Through the family's wording (`within`), or a rule that has none.
    Family,
    /// Through a cause phrase alone (`anywhere`), without the family's wording.
    Phrase,
}

/// The tokens found in one text: as a lookup table and as a list.
pub struct Scan {
    present: Vec<bool>,
    found: Vec<usize>,
}

/// A rule's substrings as token indices.
struct RuleTokens {
    within: Vec<usize>,
    any: Vec<usize>,
    anywhere: Vec<usize>,
    all: Vec<usize>,
    none: Vec<usize>,
}

impl Matcher {
    pub fn new(rules: &[Rule]) -> Matcher {
        let mut tokens: Vec<&'static str> = Vec::new();
        let mut index = |list: &[&'static str]| -> Vec<usize> {
            list.iter()
                .map(|t| match tokens.iter().position(|x| x == t) {
                    Some(i) => i,
                    None => {
                        tokens.push(t);
                        tokens.len() - 1
                    }
                })
                .collect()
        };
        let compiled: Vec<RuleTokens> = rules
            .iter()
            .map(|r| RuleTokens {
                within: index(r.when.within),
                any: index(r.when.any),
                anywhere: index(r.when.anywhere),
                all: index(r.when.all),
                none: index(r.when.none),
            })
            .collect();
        let words = rules.len().div_ceil(64);
        let mut gated_by = vec![vec![0u64; words]; tokens.len()];
        let mut ungated = vec![0u64; words];
        for (i, (rule, t)) in rules.iter().zip(compiled.iter()).enumerate() {
            let t: &RuleTokens = t;
            // A rule needs one of its `within` tokens; failing that one of `any`, unless an
            // `exact` value could match instead. A cause phrase (`anywhere`) opens every gate.
            let gate = if !t.within.is_empty() {
                &t.within
            } else if !t.any.is_empty() && rule.when.exact.is_empty() {
                &t.any
            } else {
                set(&mut ungated, i);
                continue;
            };
            for &token in gate.iter().chain(&t.anywhere) {
                set(&mut gated_by[token], i);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            // A full DFA: built once per process, and the fastest to scan with.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&tokens)
            // The tokens are the catalog's own constants; a test builds this automaton.
            .expect("the catalog's tokens compile into an automaton");
        Matcher {
            automaton,
            tokens: tokens.len(),
            rules: compiled,
            gated_by,
            ungated,
        }
    }

    /// Which tokens occur in `norm`.
    pub fn scan(&self, norm: &str) -> Scan {
        let mut present = vec![false; self.tokens];
        let mut found = Vec::new();
        for m in self.automaton.find_overlapping_iter(norm) {
            let token = m.pattern().as_usize();
            if !present[token] {
                present[token] = true;
                found.push(token);
            }
        }
        Scan { present, found }
    }

    /// The rules that could match a text with these tokens, in catalog order (a bit set:
    /// no sorting and no duplicates to remove).
    pub fn candidates(&self, scan: &Scan) -> impl Iterator<Item = usize> {
        let mut bits = self.ungated.clone();
        for &token in &scan.found {
            for (b, g) in bits.iter_mut().zip(&self.gated_by[token]) {
                *b |= g;
            }
        }
        bits.into_iter().enumerate().flat_map(|(w, mut word)| {
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros() as usize;
                    word &= word - 1;
                    w * 64 + bit
                })
            })
        })
    }

    /// Does rule number `index` (of the slice this matcher was built from) explain `s`, and
    /// how: by its family's wording, or by a cause phrase alone?
    pub fn matches(&self, index: usize, rule: &Rule, s: &Signal, scan: &Scan) -> Match {
        let present = &scan.present;
        let w = &rule.when;
        let t = &self.rules[index];
        let field_ok = if w.fields.is_empty() {
            s.field.is_text()
        } else {
            w.fields.contains(&s.field) || (s.field == Field::FreeText && w.fields.iter().any(|f| f.is_text()))
        };
        if !field_ok {
            return Match::No;
        }
        if !w.actions.is_empty() {
            let action = s.action();
            if !action.is_some_and(|a| w.actions.iter().any(|x| x.eq_ignore_ascii_case(a))) {
                return Match::No;
            }
        }
        if !w.exit_codes.is_empty() && !s.exit_code.is_some_and(|c| w.exit_codes.contains(&c)) {
            return Match::No;
        }
        let has = |i: &usize| present[*i];
        let phrase = t.anywhere.iter().any(has);
        let family = t.within.is_empty() || t.within.iter().any(has);
        if !family && !phrase {
            return Match::No;
        }
        if !(t.any.is_empty() && w.exact.is_empty()) {
            let hit = t.any.iter().any(has) || w.exact.iter().any(|e| s.core == *e || s.norm == *e);
            if !hit {
                return Match::No;
            }
        }
        if !t.all.iter().all(has) || t.none.iter().any(has) {
            return Match::No;
        }
        match (w.check.is_none_or(|check| check(s)), family) {
            (false, _) => Match::No,
            (true, true) => Match::Family,
            (true, false) => Match::Phrase,
        }
    }
}
