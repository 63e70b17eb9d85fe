//! The one duration grammar of the CLI (`watch --timeout/--interval`, `scan --since`,
//! `mute add --for`): one or more `<number><unit>` parts, units `s`, `m`, `h`, `d` and `w`, as in
//! `30s`, `10m`, `1h30m`, `2d` or `1w`. A bare number is refused: `--for 2` could mean minutes
//! or hours, and a gate that waits the wrong length fails in a way nobody notices.

/// Seconds, or why `text` is not a duration (naming the part that is wrong).
pub fn parse_seconds(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let example = "e.g. 30s, 10m, 1h30m, 2d or 1w";
    if text.is_empty() {
        return Err(format!("an empty duration ({example})"));
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let scale = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 604_800,
            _ => return Err(format!("`{text}`: unknown unit `{c}` (use s, m, h, d or w: {example})")),
        };
        if number.is_empty() {
            return Err(format!("`{text}`: `{c}` has no number before it ({example})"));
        }
        let n: u64 = number.parse().map_err(|_| format!("`{text}` is too long"))?;
        number.clear();
        total = n
            .checked_mul(scale)
            .and_then(|part| total.checked_add(part))
            .ok_or_else(|| format!("`{text}` is too long"))?;
    }
    if !number.is_empty() {
        return Err(if number == text {
            format!("`{text}` has no unit ({example})")
        } else {
            format!("`{text}`: the `{number}` at the end has no unit ({example})")
        });
    }
    if total == 0 {
        return Err(format!("`{text}` is no time at all ({example})"));
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::parse_seconds;

    #[test]
    fn every_unit_and_combinations_parse() {
        for (text, seconds) in [
            ("30s", 30),
            ("10m", 600),
            ("2h", 7200),
            ("1h30m", 5400),
            ("2d", 172_800),
            ("1w", 604_800),
            (" 1d12h ", 129_600),
        ] {
            assert_eq!(parse_seconds(text), Ok(seconds), "{text}");
        }
    }

    #[test]
    fn a_bad_duration_names_what_is_wrong() {
        for (bad, says) in [
            ("", "empty"),
            ("2", "`2` has no unit"),
            ("1h30", "the `30` at the end has no unit"),
            ("h", "`h` has no number"),
            ("2x", "unknown unit `x`"),
            ("0m", "no time at all"),
            ("-1h", "unknown unit `-`"),
            ("99999999999999999999s", "too long"),
            ("999999999999999w", "too long"),
        ] {
            let err = parse_seconds(bad).expect_err(bad);
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
