//! The read tables computed from the journal: `cases` (one row per application, with the state
//! the domain folds from its events) and `persons` (for search by name). The rows are a pure
//! function of the events and the rules, which is what lets `nansen rebuild` recompute them.

use nansen_domain::lifecycle::Case;
use nansen_domain::person::{BirthDate, Person};
use nansen_domain::rules::Rules;
use serde::Serialize;

/// A value's serde name as a short label: `"normal"`, or `"accelerated:safe_country_of_origin"`
/// for a variant that carries a value.
pub(crate) fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(map)) if map.len() == 1 => {
            let (key, inner) = map.iter().next().map(|(k, v)| (k.clone(), v.clone())).unwrap_or_default();
            match inner {
                serde_json::Value::String(s) => format!("{key}:{s}"),
                _ => key,
            }
        }
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CaseRow {
    pub number: String,
    pub status: String,
    pub kind: String,
    pub procedure: String,
    pub nationality: String,
    pub language: String,
    pub division: Option<String>,
    pub section: Option<i64>,
    pub officer: Option<String>,
    pub applicant_latin: String,
    pub applicant_original: String,
    pub introduced_on: String,
    pub decision_due: Option<String>,
    pub last_seq: i64,
    pub state: String,
    pub persons: Vec<PersonRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PersonRow {
    pub position: i64,
    pub role: String,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
    pub birth_date: String,
    pub sex: String,
    pub nationality: String,
}

/// A birth date as far as it is known: `1990-03-14`, `1990-03`, `1990`, or empty.
fn birth_date_label(b: &BirthDate) -> String {
    match b {
        BirthDate::Exact(d) => d.to_string(),
        BirthDate::YearMonth { year, month } => format!("{year:04}-{month:02}"),
        BirthDate::Year(year) => format!("{year:04}"),
        BirthDate::Unknown => String::new(),
    }
}

fn person_row(position: i64, p: &Person) -> PersonRow {
    PersonRow {
        position,
        role: label(&p.role),
        family_latin: p.family_name.latin.clone(),
        given_latin: p.given_names.latin.clone(),
        family_original: p.family_name.original.clone(),
        given_original: p.given_names.original.clone(),
        birth_date: birth_date_label(&p.birth_date),
        sex: label(&p.sex),
        nationality: p.nationality.to_string(),
    }
}

impl CaseRow {
    pub fn of(case: &Case, rules: &Rules, last_seq: u64) -> Result<CaseRow, serde_json::Error> {
        let applicant = &case.applicant;
        let persons = std::iter::once(applicant)
            .chain(case.family.iter())
            .enumerate()
            .map(|(i, p)| person_row(i as i64, p))
            .collect();
        Ok(CaseRow {
            number: case.number.to_string(),
            status: case.status.as_str().to_owned(),
            kind: label(&case.kind),
            procedure: label(&case.procedure),
            nationality: case.nationality.to_string(),
            language: case.language.to_string(),
            division: case.division.map(|d| d.as_str().to_owned()),
            section: case.section.map(|s| i64::from(s.get())),
            officer: case.officer.as_ref().map(|o| o.to_string()),
            applicant_latin: format!("{} {}", applicant.family_name.latin, applicant.given_names.latin),
            applicant_original: format!("{} {}", applicant.family_name.original, applicant.given_names.original),
            introduced_on: case.introduced_on.to_string(),
            decision_due: case.decision_due(rules).map(|d| d.to_string()),
            last_seq: last_seq as i64,
            state: serde_json::to_string(case)?,
            persons,
        })
    }
}

/// Inserts or replaces a case's row (not its persons) inside the transaction `$tx`.
macro_rules! upsert_case {
    ($tx:expr, $row:expr) => {
        sqlx::query(
            "INSERT INTO cases (number, status, kind, procedure, nationality, language, division, section, officer, \
             applicant_latin, applicant_original, introduced_on, decision_due, last_seq, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
             ON CONFLICT (number) DO UPDATE SET status = excluded.status, kind = excluded.kind, \
             procedure = excluded.procedure, nationality = excluded.nationality, language = excluded.language, \
             division = excluded.division, section = excluded.section, officer = excluded.officer, \
             applicant_latin = excluded.applicant_latin, applicant_original = excluded.applicant_original, \
             introduced_on = excluded.introduced_on, decision_due = excluded.decision_due, \
             last_seq = excluded.last_seq, state = excluded.state",
        )
        .bind(&$row.number)
        .bind(&$row.status)
        .bind(&$row.kind)
        .bind(&$row.procedure)
        .bind(&$row.nationality)
        .bind(&$row.language)
        .bind(&$row.division)
        .bind($row.section)
        .bind(&$row.officer)
        .bind(&$row.applicant_latin)
        .bind(&$row.applicant_original)
        .bind(&$row.introduced_on)
        .bind(&$row.decision_due)
        .bind($row.last_seq)
        .bind(&$row.state)
        .execute(&mut *$tx)
        .await?
    };
}

/// Replaces a case's persons inside the transaction `$tx`.
macro_rules! insert_persons {
    ($tx:expr, $row:expr) => {{
        sqlx::query("DELETE FROM persons WHERE case_number = $1").bind(&$row.number).execute(&mut *$tx).await?;
        let mut insert = sqlx::QueryBuilder::new(
            "INSERT INTO persons (case_number, position, role, family_latin, given_latin, family_original, \
             given_original, birth_date, sex, nationality) ",
        );
        insert.push_values(&$row.persons, |mut b, p| {
            b.push_bind($row.number.clone())
                .push_bind(p.position)
                .push_bind(p.role.clone())
                .push_bind(p.family_latin.clone())
                .push_bind(p.given_latin.clone())
                .push_bind(p.family_original.clone())
                .push_bind(p.given_original.clone())
                .push_bind(p.birth_date.clone())
                .push_bind(p.sex.clone())
                .push_bind(p.nationality.clone());
        });
        insert.build().execute(&mut *$tx).await?;
    }};
}

/// A line of a case list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub number: String,
    pub status: String,
    pub procedure: String,
    pub nationality: String,
    pub division: Option<String>,
    pub officer: Option<String>,
    pub applicant_latin: String,
    pub applicant_original: String,
    pub decision_due: Option<String>,
}
