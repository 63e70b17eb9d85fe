//! ISO-8601 time stamps without a date-time crate: formatting epoch seconds, and a lenient
//! parser for the forms ECS, CloudTrail and the CLI's flags use.

/// Epoch seconds → `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC), without a date-time crate.
pub fn iso8601_from_epoch(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round() as i64;
    let (days, ms_of_day) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, ms) = (
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000,
    );
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
}

/// Epoch milliseconds → `2026-11-28T19:02:11Z` (UTC, to the second), as `scan` prints times and
/// mute rules store their expiry.
pub fn iso8601_seconds(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let full = iso8601_from_epoch(seconds as f64);
    // `YYYY-MM-DDTHH:MM:SS.mmmZ` → drop the milliseconds.
    match full.split_once('.') {
        Some((head, _)) => format!("{head}Z"),
        None => full,
    }
}

/// `2026-11-28T19:02:11.123Z` (or with `+hh:mm`, or without fraction) → epoch milliseconds.
/// `None` for anything else, years outside 1–9999 included: the text comes from events and
/// flags, and a year like 300000000000 must not overflow (a panic in a debug build, a wrong
/// time in a release one).
pub fn epoch_millis_from_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', 't', ' '])?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Split the time of day from its offset.
    let (clock, offset_minutes) = if let Some(clock) = rest.strip_suffix('Z').or_else(|| rest.strip_suffix('z')) {
        (clock, 0)
    } else if let Some(at) = rest.rfind(['+', '-']) {
        let (clock, offset) = rest.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = offset[1..].split_once(':').unwrap_or((&offset[1..], "0"));
        let (h, m) = (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?);
        if h > 23 || m > 59 {
            return None;
        }
        (clock, sign * (h * 60 + m))
    } else {
        (rest, 0)
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut t = hms.splitn(3, ':');
    let h: i64 = t.next()?.parse().ok()?;
    let m: i64 = t.next()?.parse().ok()?;
    let s: i64 = t.next().unwrap_or("0").parse().ok()?;
    if !(0..=23).contains(&h)
        || !(0..=59).contains(&m)
        || !(0..=60).contains(&s)
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis: i64 = if fraction.is_empty() {
        0
    } else {
        let digits: String = fraction.chars().take(3).collect();
        format!("{digits:0<3}").parse().ok()?
    };
    let days = days_from_civil(year, month, day);
    Some(((days * 86_400 + h * 3600 + m * 60 + s - offset_minutes * 60) * 1000) + millis)
}

/// [`epoch_millis_from_iso8601`] in whole seconds: the one parser of outside times (events,
/// CloudTrail, ECR, mute rules, the CLI's flags).
pub fn epoch_seconds_from_iso8601(text: &str) -> Option<i64> {
    epoch_millis_from_iso8601(text).map(|ms| ms.div_euclid(1000))
}

/// Howard Hinnant's days-from-civil algorithm (the inverse of the one in [`iso8601_from_epoch`]).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Now, in seconds since the epoch: the one read of the clock outside the pure stages (which
/// take "now" as an argument, so that tests pass a fixed time).
pub fn now_epoch_seconds() -> u64 {
    since_epoch().as_secs()
}

/// Now, in milliseconds since the epoch (CloudWatch's embedded metric format).
pub fn now_epoch_millis() -> u64 {
    since_epoch().as_millis() as u64
}

/// Now, as the time since the epoch.
pub fn since_epoch() -> std::time::Duration {
    // Before 1970 only on a broken clock: 0 then, rather than a panic.
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_to_the_second() {
        assert_eq!(iso8601_seconds(1_584_373_024_979), "2020-03-16T15:37:04Z");
    }

    #[test]
    fn epoch_seconds_become_iso8601() {
        assert_eq!(iso8601_from_epoch(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601_from_epoch(1_584_373_024.979), "2020-03-16T15:37:04.979Z");
        assert_eq!(iso8601_from_epoch(951_782_400.0), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn round_trips_and_offsets() {
        assert_eq!(epoch_millis_from_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            epoch_millis_from_iso8601("2020-03-16T15:37:04.979Z"),
            Some(1_584_373_024_979)
        );
        assert_eq!(
            epoch_millis_from_iso8601("2020-03-16T16:37:04.979+01:00"),
            Some(1_584_373_024_979)
        );
        assert_eq!(
            epoch_millis_from_iso8601("2000-02-29T00:00:00.5Z"),
            Some(951_782_400_500)
        );
        for bad in [
            "",
            "yesterday",
            "2020-13-01T00:00:00Z",
            "2020-01-01",
            "2020-01-01Tab:00Z",
            "2020-01-01T24:00:00Z",
            "2020-01-01T00:00:00.1a2Z",
            "300000000000-01-01T00:00:00Z",
            "-300000000000-01-01T00:00:00Z",
            "2020-01-01T00:00:00+99999999999999:00",
            "2020-01-01T00:00:99999999999999999Z",
        ] {
            assert_eq!(epoch_millis_from_iso8601(bad), None, "{bad}");
        }
    }

    #[test]
    fn out_of_range_epochs_print_without_overflow() {
        for seconds in [f64::MAX, f64::MIN, f64::NAN, f64::INFINITY, 9.2e15, -9.2e15] {
            assert!(iso8601_from_epoch(seconds).ends_with('Z'), "{seconds}");
        }
        assert_eq!(iso8601_seconds(i64::MIN).len(), iso8601_seconds(i64::MIN).trim().len());
    }
}
