//! Times in checks: ISO 8601 text to epoch seconds and back, and "2 h ago" in both languages.
//! No clock here: callers pass `now` in, so the judgements stay pure.

use crate::diagnose::Lang;

/// Epoch seconds → `YYYY-MM-DD HH:MM UTC`.
pub fn utc_minutes(epoch: i64) -> String {
    let iso = crate::util::time::iso8601_from_epoch(epoch as f64);
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
        assert_eq!(
            crate::util::time::epoch_seconds_from_iso8601("1970-01-01T00:00:00Z"),
            Some(0)
        );
        assert_eq!(
            crate::util::time::epoch_seconds_from_iso8601("2026-11-27T10:00:00.123Z"),
            Some(1_795_773_600)
        );
        assert_eq!(
            crate::util::time::epoch_seconds_from_iso8601("2026-11-27T19:00:00+09:00"),
            Some(1_795_773_600)
        );
        assert_eq!(
            crate::util::time::epoch_seconds_from_iso8601("2026-11-27T05:00:00-05:00"),
            Some(1_795_773_600)
        );
        assert_eq!(utc_minutes(1_795_773_600), "2026-11-27 10:00 UTC");
        assert_eq!(crate::util::time::epoch_seconds_from_iso8601("yesterday"), None);
        assert_eq!(
            crate::util::time::epoch_seconds_from_iso8601("2026-13-01T00:00:00Z"),
            None
        );
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
