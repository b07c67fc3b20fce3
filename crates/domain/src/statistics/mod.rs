//! Statistics (workspace `statistics`): what the office counts, by definition. Facts come from
//! the events one by one ([`facts_of`]); tables are pure functions of grouped counts of those
//! facts up to a journal head ([`tables`]); figures that leave the office go through [`publish`]
//! (small cells suppressed, counts rounded: dated rules in `rules/statistics.toml`); harmonisation
//! compares protection rates between units with a funnel plot ([`funnel`]).

pub mod codes;
mod facts;
pub mod funnel;
mod period;
mod rules;
pub mod tables;

pub use facts::{
    completed_years, counted_persons, facts_of, pending_at_first_instance, person_key, AgeGroup, DecisionClass, Fact,
    FactKind, PendingChange,
};
pub use period::{Granularity, Period};
pub use rules::{DisclosureRule, DisclosureRules};
pub use tables::{
    publish, to_csv, to_sdmx, ApplicantCount, DaysCount, DecisionCount, FactCount, PendingCount, Row, Snapshot, Table,
    TableId, Value,
};

#[cfg(test)]
mod tests;
