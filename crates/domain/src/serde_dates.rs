//! How dates and times are written in events and rules: dates as `YYYY-MM-DD`, instants as RFC 3339.
//!
//! Use with `#[serde(with = "crate::serde_dates::date")]`, `date::option`, `rfc3339` or `rfc3339::option`.
//! The output is deterministic: the same value always serializes to the same string, which the hash-chained
//! journal relies on.

use time::format_description::FormatItem;
use time::macros::format_description;
use time::Date;

/// `YYYY-MM-DD`.
pub const DATE_FORMAT: &[FormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// Parse a `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Result<Date, time::error::Parse> {
    Date::parse(s, DATE_FORMAT)
}

/// Format a date as `YYYY-MM-DD`. Never fails for years 0 to 9999; outside, falls back to the ISO form of `time`.
pub fn format_date(d: Date) -> String {
    d.format(DATE_FORMAT).unwrap_or_else(|_| d.to_string())
}

pub use time::serde::rfc3339;

/// A [`Date`] as a `YYYY-MM-DD` string.
pub mod date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_date(&s).map_err(|e| serde::de::Error::custom(format!("invalid date {s:?} (YYYY-MM-DD): {e}")))
    }

    /// An `Option<Date>` as a `YYYY-MM-DD` string or null.
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&super::super::format_date(*d)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            let s = Option::<String>::deserialize(d)?;
            s.map(|s| {
                super::super::parse_date(&s)
                    .map_err(|e| serde::de::Error::custom(format!("invalid date {s:?} (YYYY-MM-DD): {e}")))
            })
            .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_round_trip_as_iso_strings() {
        assert_eq!(format_date(date!(2026 - 03 - 03)), "2026-03-03");
        assert_eq!(parse_date("2026-03-03").ok(), Some(date!(2026 - 03 - 03)));
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("3 March 2026").is_err());
    }
}
