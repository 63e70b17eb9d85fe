//! Times as the scan prints them: to the second (parsing is `event::lenient`'s).

/// Epoch milliseconds → `2026-11-28T19:02:11Z` (UTC, to the second).
pub fn iso8601_seconds(millis: i64) -> String {
    let seconds = millis.div_euclid(1000);
    let full = crate::util::time::iso8601_from_epoch(seconds as f64);
    // `YYYY-MM-DDTHH:MM:SS.mmmZ` → drop the milliseconds.
    match full.split_once('.') {
        Some((head, _)) => format!("{head}Z"),
        None => full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_to_the_second() {
        assert_eq!(iso8601_seconds(1_584_373_024_979), "2020-03-16T15:37:04Z");
    }
}
