//! The changes `ecs-doctor mute` makes to the rules, pure: what `add`, `list` and `remove` do to
//! a [`MuteRules`] document at time `now` (epoch seconds). The command reads and writes the SSM
//! parameter around them.

use crate::config::mute::{MuteRule, MuteRules};
use crate::util::time::iso8601_seconds;

/// What to mute, before it has an id and an expiry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewMute {
    pub account: Option<String>,
    pub cluster: Option<String>,
    pub service: Option<String>,
    pub rule_id: Option<String>,
    pub category: Option<String>,
    pub team: Option<String>,
    /// Seconds from now.
    pub duration: i64,
    pub reason: String,
}

/// The rules with `new` added (expired ones dropped on the way), and the rule as stored. `Err`
/// names what is wrong: no reason, or a rule that would match nothing in particular (the same
/// checks the Lambda makes).
pub fn add(rules: &MuteRules, new: NewMute, now: i64) -> Result<(MuteRules, MuteRule), String> {
    has_reason(&new.reason)?;
    let rule = MuteRule {
        id: Some(fresh_id(rules, now)),
        account: new.account,
        cluster: new.cluster,
        service: new.service,
        rule_id: new.rule_id,
        category: new.category,
        team: new.team,
        expires: iso8601_seconds(now.saturating_add(new.duration).saturating_mul(1000)),
        reason: new.reason,
    };
    let mut changed = rules.clone();
    changed.rules.retain(|r| r.active(now));
    changed.rules.push(rule.clone());
    MuteRules::parse(&changed.to_json()).map_err(|e| e.to_string())?;
    Ok((changed, rule))
}

/// A mute must say why (it is shown in the logs and in `mute list`).
pub fn has_reason(reason: &str) -> Result<(), String> {
    if reason.trim().is_empty() {
        return Err("--reason is empty: say why the failure is muted".into());
    }
    Ok(())
}

/// An id no rule has: `m<now in hex>`, then `-2`, `-3`, … when taken.
fn fresh_id(rules: &MuteRules, now: i64) -> String {
    let taken = |id: &str| rules.rules.iter().any(|r| r.id.as_deref() == Some(id));
    let mut id = format!("m{now:x}");
    let mut n = 1;
    while taken(&id) {
        n += 1;
        id = format!("m{now:x}-{n}");
    }
    id
}

/// One line per rule: id, what it matches, until when (marked when expired), why.
pub fn list(rules: &MuteRules, now: i64) -> Vec<String> {
    rules
        .rules
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\tuntil {}{}\t{}",
                r.id.as_deref().unwrap_or("-"),
                r.describe(),
                r.expires,
                if r.active(now) { "" } else { " (expired)" },
                r.reason
            )
        })
        .collect()
}

/// The rules without the one with `id` (and, with `expired`, without every expired rule), and
/// how many went. `Err` when none did: removing nothing is a mistake worth saying.
pub fn remove(
    rules: &MuteRules,
    id: Option<&str>,
    expired: bool,
    now: i64,
    name: &str,
) -> Result<(MuteRules, usize), String> {
    let mut kept = rules.clone();
    kept.rules
        .retain(|r| !(id.is_some() && r.id.as_deref() == id) && (!expired || r.active(now)));
    let removed = rules.rules.len() - kept.rules.len();
    if removed == 0 {
        return Err(match id {
            Some(id) => format!("no mute rule `{id}` in {name} (see `ecs-doctor mute list`)"),
            None => format!("no expired mute rule in {name}"),
        });
    }
    Ok((kept, removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_764_345_600; // 2025-11-28T16:00:00Z

    fn web(reason: &str) -> NewMute {
        NewMute {
            cluster: Some("prod".into()),
            service: Some("web".into()),
            duration: 3600,
            reason: reason.into(),
            ..NewMute::default()
        }
    }

    #[test]
    fn add_gives_a_fresh_id_and_an_expiry_to_the_second() {
        let (rules, rule) = add(&MuteRules::default(), web("planned migration"), NOW).expect("added");
        assert_eq!(rule.id.as_deref(), Some(format!("m{NOW:x}").as_str()));
        assert_eq!(rule.expires, "2025-11-28T17:00:00Z");
        assert_eq!(rules.rules, std::slice::from_ref(&rule));
        // The same second again: the id is still unique.
        let (rules, second) = add(&rules, web("again"), NOW).expect("added");
        assert_eq!(second.id.as_deref(), Some(format!("m{NOW:x}-2").as_str()));
        assert_eq!(rules.rules.len(), 2);
    }

    #[test]
    fn add_drops_expired_rules_and_refuses_what_matches_everything() {
        let (old, _) = add(&MuteRules::default(), web("old"), NOW - 7200).expect("added");
        let (rules, _) = add(&old, web("new"), NOW).expect("added");
        assert_eq!(rules.rules.len(), 1, "the expired rule went");
        let everything = NewMute {
            duration: 60,
            reason: "all".into(),
            ..NewMute::default()
        };
        let err = add(&rules, everything, NOW).expect_err("matches nothing in particular");
        assert!(err.contains("at least one"), "{err}");
        assert!(add(&rules, web("  "), NOW).expect_err("no reason").contains("--reason"));
    }

    #[test]
    fn list_marks_expired_rules() {
        let (rules, _) = add(&MuteRules::default(), web("planned migration"), NOW).expect("added");
        let lines = list(&rules, NOW);
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].contains("planned migration") && !lines[0].contains("(expired)"),
            "{}",
            lines[0]
        );
        assert!(list(&rules, NOW + 7200)[0].contains("(expired)"));
    }

    #[test]
    fn remove_by_id_or_every_expired_rule_and_say_when_nothing_went() {
        let (rules, first) = add(&MuteRules::default(), web("one"), NOW).expect("added");
        let (rules, _) = add(&rules, web("two"), NOW).expect("added");
        let (kept, removed) = remove(&rules, first.id.as_deref(), false, NOW, "/p").expect("removed");
        assert_eq!((kept.rules.len(), removed), (1, 1));
        let (none_left, removed) = remove(&rules, None, true, NOW + 7200, "/p").expect("both expired");
        assert_eq!((none_left.rules.len(), removed), (0, 2));
        let err = remove(&rules, Some("nope"), false, NOW, "/p").expect_err("unknown id");
        assert!(err.contains("no mute rule `nope` in /p"), "{err}");
        assert!(remove(&rules, None, true, NOW, "/p")
            .expect_err("none expired")
            .contains("no expired"));
    }
}
