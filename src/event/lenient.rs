//! Deserializers that accept what ECS actually sends: numbers as strings and strings as
//! numbers, `null` where a list is expected, ISO-8601 timestamps in events but epoch seconds
//! in DescribeTasks output.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::util::time::iso8601_from_epoch;

/// `null` or absent → `T::default()`.
pub fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A string, a number or a boolean, kept as text.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// An integer given as a number or a numeric string.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// An ISO-8601 string kept as is, or epoch seconds (DescribeTasks output) turned into one.
pub fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => n.as_f64().map(iso8601_from_epoch),
        _ => None,
    })
}
