//! Times in checks: ISO 8601 text to epoch seconds and back, and "2 h ago" in both languages.
//! No clock here: callers pass `now` in, so the judgements stay pure.

use crate::diagnose::Lang;

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` → epoch seconds (UTC). `None` for anything else.
pub fn epoch_from_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_once(['T', ' '])?;
    let mut ymd = date.splitn(3, '-');
    let year: i64 = ymd.next()?.parse().ok()?;
    let month: i64 = ymd.next()?.parse().ok()?;
    let day: i64 = ymd.next()?.parse().ok()?;
    // Split the time from its zone: `Z`, `+09:00` or `-05:00`.
    let (time, offset) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, 0)
    } else if let Some(pos) = rest.rfind(['+', '-']) {
        let (time, zone) = rest.split_at(pos);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (h, m) = zone[1..].split_once(':').unwrap_or((&zone[1..], "0"));
        (
            time,
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60),
        )
    } else {
        (rest, 0)
    };
    let mut hms = time.splitn(3, ':');
    let h: i64 = hms.next()?.parse().ok()?;
    let m: i64 = hms.next()?.parse().ok()?;
    let s: f64 = hms.next().unwrap_or("0").parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s as i64 - offset)
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Epoch seconds → `YYYY-MM-DD HH:MM UTC`.
pub fn utc_minutes(epoch: i64) -> String {
    let iso = crate::event::lenient::iso8601_from_epoch(epoch as f64);
    format!("{} {} UTC", &iso[..10], &iso[11..16])
}

/// A span of seconds in the largest whole unit: `45 s`, `12 min`, `3 h`, `2 d`.
pub fn span(seconds: i64, lang: Lang) -> String {
    let s = seconds.abs();
    let (n, en, ja) = if s < 60 {
        (s, "s", "秒")
    } else if s < 3600 {
        (s / 60, "min", "分")
    } else if s < 86_400 {
        (s / 3600, "h", "時間")
    } else {
        (s / 86_400, "d", "日")
    };
    match lang {
        Lang::En => format!("{n} {en}"),
        Lang::Ja => format!("{n} {ja}"),
    }
}

/// How long before (or after) `reference` something happened at `at`: "2 h before the failure",
/// or "2 h ago" when `reference` is the current time, not the failure's.
pub fn relative(at: i64, reference: i64, reference_is_failure: bool, lang: Lang) -> String {
    let d = span(reference - at, lang);
    let after = at > reference;
    match (lang, reference_is_failure, after) {
        (Lang::En, true, false) => format!("{d} before the failure"),
        (Lang::En, true, true) => format!("{d} after the failure"),
        (Lang::En, false, _) => format!("{d} ago"),
        (Lang::Ja, true, false) => format!("失敗の {d} 前"),
        (Lang::Ja, true, true) => format!("失敗の {d} 後"),
        (Lang::Ja, false, _) => format!("{d}前"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_round_trips_with_zones() {
        assert_eq!(epoch_from_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_from_iso8601("2026-11-27T10:00:00.123Z"), Some(1_795_773_600));
        assert_eq!(epoch_from_iso8601("2026-11-27T19:00:00+09:00"), Some(1_795_773_600));
        assert_eq!(epoch_from_iso8601("2026-11-27T05:00:00-05:00"), Some(1_795_773_600));
        assert_eq!(utc_minutes(1_795_773_600), "2026-11-27 10:00 UTC");
        assert_eq!(epoch_from_iso8601("yesterday"), None);
        assert_eq!(epoch_from_iso8601("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn spans_pick_the_largest_unit() {
        assert_eq!(span(45, Lang::En), "45 s");
        assert_eq!(span(12 * 60 + 5, Lang::En), "12 min");
        assert_eq!(span(7200, Lang::En), "2 h");
        assert_eq!(span(3 * 86_400, Lang::Ja), "3 日");
        assert_eq!(relative(0, 7200, true, Lang::En), "2 h before the failure");
        assert_eq!(relative(7200, 0, true, Lang::En), "2 h after the failure");
        assert_eq!(relative(0, 7200, false, Lang::En), "2 h ago");
        assert_eq!(relative(0, 7200, false, Lang::Ja), "2 時間前");
        assert_eq!(relative(0, 7200, true, Lang::Ja), "失敗の 2 時間 前");
    }
}
