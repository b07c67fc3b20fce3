//! The read tables computed from the journal: `cases` (one row per application, with the state
//! the domain folds from its events) and `persons` (for search by name). The rows are a pure
//! function of the events and the rules, which is what lets `nansen rebuild` recompute them.

use nansen_domain::documents::{Custody, Document, Original};
use nansen_domain::lifecycle::{Case, Status};
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
    /// `2026-05-01|2026-0001234`: the deadline (cases without one last), then the number.
    pub queue_key: String,
    pub last_seq: i64,
    pub state: String,
    /// The court's deadline to rule, while the appeal is before it.
    pub appeal_due: Option<String>,
    /// The hearing, while the appeal is before the court.
    pub hearing_on: Option<String>,
    /// The chamber competent for the appeal, from the court's notice.
    pub chamber: Option<String>,
    pub persons: Vec<PersonRow>,
    /// The spelling-independent keys of every name of the case's persons (`name_keys`), sorted.
    pub name_keys: Vec<String>,
    pub documents: Vec<DocumentRow>,
    pub originals: Vec<OriginalRow>,
    pub acts: Vec<ActRow>,
    pub copies: Vec<CopyRow>,
    pub fgm: Vec<FgmRow>,
    pub endings: Vec<EndingRow>,
}

/// A row of `protection_endings`: one procedure to end a protection.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EndingRow {
    pub seq: i64,
    pub ground: String,
    pub opened_on: String,
    pub answer_due: String,
    pub answered_on: Option<String>,
    pub drafted_on: Option<String>,
    pub decided_on: Option<String>,
    pub ends: Option<i64>,
}

/// A row of `fgm_follow_ups`: one protected girl's follow-up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FgmRow {
    pub person: i64,
    pub opened_on: String,
    pub ends_on: String,
    pub due_on: String,
    pub certificates: i64,
    pub unsigned_reports: i64,
}

/// A row of `civil_acts`: an act of the register, found by number or name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActRow {
    pub number: String,
    pub year: i64,
    pub seq: i64,
    pub person: i64,
    pub kind: String,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
    pub event_on: String,
    pub version: i64,
    pub drawn_up_at: String,
}

/// A row of `civil_copies`: a certified copy issued, found by its reference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CopyRow {
    pub id: String,
    pub act: String,
    pub version: i64,
    pub sha256: String,
    pub requested: i64,
    pub issued_at: String,
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

fn act_rows(case: &Case) -> (Vec<ActRow>, Vec<CopyRow>) {
    let mut acts = Vec::new();
    let mut copies = Vec::new();
    for a in &case.civil_acts {
        let f = &a.facts;
        acts.push(ActRow {
            number: a.number.to_string(),
            year: i64::from(a.number.year),
            seq: i64::from(a.number.seq),
            person: i64::from(f.person),
            kind: a.kind.as_str().to_owned(),
            family_latin: f.family_name.latin.clone(),
            given_latin: f.given_names.latin.clone(),
            family_original: f.family_name.original.clone(),
            given_original: f.given_names.original.clone(),
            event_on: birth_date_label(&f.event_on),
            version: i64::from(a.version()),
            drawn_up_at: rfc3339(a.drawn_up_at),
        });
        for c in &a.copies {
            copies.push(CopyRow {
                id: c.id.clone(),
                act: a.number.to_string(),
                version: i64::from(c.version),
                sha256: c.sha256.to_string(),
                requested: i64::from(c.requested),
                issued_at: rfc3339(c.at),
            });
        }
    }
    (acts, copies)
}

/// A row of `documents`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DocumentRow {
    pub id: i64,
    pub sha256: String,
    pub media_type: String,
    pub size: i64,
    pub pages: i64,
    pub kind: String,
    pub origin: String,
    pub received_on: String,
    pub added_at: String,
}

/// A row of `originals`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OriginalRow {
    pub id: String,
    pub kind: String,
    pub description: String,
    pub custody: String,
    pub location: String,
    pub holder: Option<String>,
    pub received_on: String,
}

fn document_row(d: &Document) -> DocumentRow {
    DocumentRow {
        id: i64::from(d.id),
        sha256: d.document.sha256.to_string(),
        media_type: d.document.media_type.clone(),
        size: i64::try_from(d.document.size).unwrap_or(i64::MAX),
        pages: i64::from(d.document.pages),
        kind: d.document.kind.as_str().to_owned(),
        origin: label(&d.document.origin),
        received_on: d.document.received_on.to_string(),
        added_at: d.added_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
    }
}

fn original_row(o: &Original) -> OriginalRow {
    let (location, holder) = match &o.custody {
        Custody::InStore { location } => (location.to_string(), None),
        Custody::Lent { to, home, .. } => (home.to_string(), Some(to.to_string())),
        Custody::Returned { signed_by, .. } => (String::new(), Some(signed_by.clone())),
    };
    OriginalRow {
        id: o.id.clone(),
        kind: o.kind.as_str().to_owned(),
        description: o.description.clone(),
        custody: o.custody.as_str().to_owned(),
        location,
        holder,
        received_on: o.received_on.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PersonRow {
    pub position: i64,
    pub role: String,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
    pub latin_key: String,
    pub original_key: String,
    pub birth_date: String,
    pub sex: String,
    pub nationality: String,
}

/// The search key of a transliterated name: upper case, so that `ahmadi` finds `Ahmadi`.
pub(crate) fn latin_key(name: &str) -> String {
    name.trim().to_uppercase()
}

/// The search key of a name in its original script: lower case (for scripts that have case).
pub(crate) fn original_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The keys a case is found by, whatever the spelling searched (`nansen_domain::names`): those of
/// each person's family and given names, in Latin letters and in the original script.
pub(crate) fn name_keys<'a>(persons: impl Iterator<Item = &'a Person>) -> Vec<String> {
    let mut keys = std::collections::BTreeSet::new();
    for p in persons {
        for name in [&p.family_name.latin, &p.given_names.latin, &p.family_name.original, &p.given_names.original] {
            keys.extend(nansen_domain::names::keys_of(name));
        }
    }
    keys.into_iter().collect()
}

/// The queues' sort key: cases with a decision deadline first, most urgent first, then by number.
pub(crate) fn queue_key(decision_due: Option<&str>, number: &str) -> String {
    format!("{}|{number}", decision_due.unwrap_or("9999-12-31"))
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
        latin_key: latin_key(&p.family_name.latin),
        original_key: original_key(&p.family_name.original),
        birth_date: birth_date_label(&p.birth_date),
        sex: label(&p.sex),
        nationality: p.nationality.to_string(),
    }
}

impl CaseRow {
    pub fn of(case: &Case, rules: &Rules, last_seq: u64) -> Result<CaseRow, serde_json::Error> {
        let decision_due = case.decision_due(rules).map(|d| d.to_string());
        let (acts, copies) = act_rows(case);
        let applicant = &case.applicant;
        let persons = std::iter::once(applicant)
            .chain(case.family.iter())
            .enumerate()
            .map(|(i, p)| person_row(i as i64, p))
            .collect();
        let name_keys = name_keys(std::iter::once(applicant).chain(case.family.iter()));
        Ok(CaseRow {
            number: case.number.to_string(),
            status: case.status.as_str().to_owned(),
            kind: label(&case.kind),
            procedure: label(&case.procedure),
            nationality: case.nationality.to_string(),
            language: case.language.to_string(),
            // Before assignment, the division competent for the nationality: its queue holds the case.
            division: case
                .division
                .or_else(|| rules.division_of(case.nationality, case.introduced_on))
                .map(|d| d.as_str().to_owned()),
            section: case.section.map(|s| i64::from(s.get())),
            officer: case.officer.as_ref().map(|o| o.to_string()),
            applicant_latin: format!("{} {}", applicant.family_name.latin, applicant.given_names.latin),
            applicant_original: format!("{} {}", applicant.family_name.original, applicant.given_names.original),
            introduced_on: case.introduced_on.to_string(),
            decision_due: decision_due.clone(),
            queue_key: queue_key(decision_due.as_deref(), &case.number.to_string()),
            last_seq: last_seq as i64,
            state: serde_json::to_string(case)?,
            appeal_due: case.appeal_due(rules).map(|d| d.to_string()),
            hearing_on: case
                .appeal
                .as_ref()
                .and_then(|a| a.hearing.as_ref())
                .filter(|_| case.status == Status::Appealed)
                .map(|h| h.on.to_string()),
            chamber: case.appeal.as_ref().map(|a| a.chamber.as_str().to_owned()),
            persons,
            name_keys,
            documents: case.documents.iter().map(document_row).collect(),
            originals: case.originals.iter().map(original_row).collect(),
            acts,
            copies,
            fgm: case
                .fgm
                .iter()
                .map(|f| FgmRow {
                    person: i64::from(f.person),
                    opened_on: f.opened_on.to_string(),
                    // A follow-up closed when the protection ended is no longer due.
                    ends_on: f.last_day().to_string(),
                    due_on: f.due_on.to_string(),
                    certificates: f.certificates.len() as i64,
                    unsigned_reports: f.unsigned_reports() as i64,
                })
                .collect(),
            endings: case
                .endings
                .iter()
                .zip(1i64..)
                .map(|(e, seq)| EndingRow {
                    seq,
                    ground: e.ground.as_str().to_owned(),
                    opened_on: e.opened_on.to_string(),
                    answer_due: e.answer_due.to_string(),
                    answered_on: e.answer.as_ref().map(|a| a.received_on.to_string()),
                    drafted_on: e.draft.as_ref().map(|d| d.at.date().to_string()),
                    decided_on: e.decision.as_ref().map(|d| d.signed_at.date().to_string()),
                    ends: e.decision.as_ref().map(|d| i64::from(d.ends)),
                })
                .collect(),
        })
    }
}

/// Cases per INSERT statement (19 bound values each; SQLite allows 32,766 per statement).
pub(crate) const CASE_CHUNK: usize = 1000;
/// Persons per INSERT statement (10 bound values each).
pub(crate) const PERSON_CHUNK: usize = 2000;

/// The column list and VALUES of case rows, for an INSERT built in `$q`.
macro_rules! push_case_values {
    ($q:expr, $rows:expr) => {
        $q.push(
            "INSERT INTO cases (number, status, kind, procedure, nationality, language, division, section, \
             officer, applicant_latin, applicant_original, introduced_on, decision_due, queue_key, last_seq, state, \
             appeal_due, hearing_on, chamber) ",
        );
        $q.push_values($rows.iter(), |mut b, row| {
            b.push_bind(row.number.clone())
                .push_bind(row.status.clone())
                .push_bind(row.kind.clone())
                .push_bind(row.procedure.clone())
                .push_bind(row.nationality.clone())
                .push_bind(row.language.clone())
                .push_bind(row.division.clone())
                .push_bind(row.section)
                .push_bind(row.officer.clone())
                .push_bind(row.applicant_latin.clone())
                .push_bind(row.applicant_original.clone())
                .push_bind(row.introduced_on.clone())
                .push_bind(row.decision_due.clone())
                .push_bind(row.queue_key.clone())
                .push_bind(row.last_seq)
                .push_bind(row.state.clone())
                .push_bind(row.appeal_due.clone())
                .push_bind(row.hearing_on.clone())
                .push_bind(row.chamber.clone());
        });
        $q.push(
            " ON CONFLICT (number) DO UPDATE SET status = excluded.status, kind = excluded.kind, \
             procedure = excluded.procedure, nationality = excluded.nationality, language = excluded.language, \
             division = excluded.division, section = excluded.section, officer = excluded.officer, \
             applicant_latin = excluded.applicant_latin, applicant_original = excluded.applicant_original, \
             introduced_on = excluded.introduced_on, decision_due = excluded.decision_due, \
             queue_key = excluded.queue_key, last_seq = excluded.last_seq, state = excluded.state, \
             appeal_due = excluded.appeal_due, hearing_on = excluded.hearing_on, chamber = excluded.chamber",
        );
    };
}

/// The column list and VALUES of person rows `$persons: &[(&String, &PersonRow)]`.
macro_rules! push_person_values {
    ($q:expr, $persons:expr) => {
        $q.push(
            "INSERT INTO persons (case_number, position, role, family_latin, given_latin, family_original, \
             given_original, latin_key, original_key, birth_date, sex, nationality) ",
        );
        $q.push_values($persons.iter(), |mut b, (number, p)| {
            b.push_bind((*number).clone())
                .push_bind(p.position)
                .push_bind(p.role.clone())
                .push_bind(p.family_latin.clone())
                .push_bind(p.given_latin.clone())
                .push_bind(p.family_original.clone())
                .push_bind(p.given_original.clone())
                .push_bind(p.latin_key.clone())
                .push_bind(p.original_key.clone())
                .push_bind(p.birth_date.clone())
                .push_bind(p.sex.clone())
                .push_bind(p.nationality.clone());
        });
    };
}

/// The persons of case rows, each with its case number.
pub(crate) fn persons_of<'a>(rows: &[&'a CaseRow]) -> Vec<(&'a String, &'a PersonRow)> {
    rows.iter().flat_map(|row| row.persons.iter().map(move |p| (&row.number, p))).collect()
}

/// The name keys of case rows, each with its case number.
pub(crate) fn name_keys_of<'a>(rows: &[&'a CaseRow]) -> Vec<(&'a String, &'a String)> {
    rows.iter().flat_map(|row| row.name_keys.iter().map(move |k| (&row.number, k))).collect()
}

/// Name key rows per INSERT statement (2 values each).
pub(crate) const NAME_KEY_CHUNK: usize = 2000;

/// Inserts name key rows `$keys: &[(&String, &String)]` (case number, key) inside `$tx`.
macro_rules! insert_name_keys {
    ($tx:expr, $keys:expr) => {{
        for chunk in $keys.chunks($crate::projection::NAME_KEY_CHUNK) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO name_keys (key, case_number) ");
            q.push_values(chunk.iter(), |mut b, (number, key)| {
                b.push_bind((*key).clone()).push_bind((*number).clone());
            });
            q.push(" ON CONFLICT DO NOTHING");
            q.build().execute(&mut *$tx).await?;
        }
    }};
}

/// Inserts or replaces case rows (not their persons) inside the transaction `$tx`: one statement
/// per [`CASE_CHUNK`] rows, so a batch costs a round trip, not one per case. `$rows: &[&CaseRow]`
/// holds each number at most once.
macro_rules! upsert_cases {
    ($tx:expr, $rows:expr) => {
        for chunk in $rows.chunks($crate::projection::CASE_CHUNK) {
            let mut q = sqlx::QueryBuilder::new("");
            push_case_values!(q, chunk);
            q.build().execute(&mut *$tx).await?;
        }
    };
}

/// Inserts the persons of new cases `$rows: &[&CaseRow]` inside the transaction `$tx`.
macro_rules! insert_persons {
    ($tx:expr, $rows:expr) => {{
        let persons = $crate::projection::persons_of(&$rows);
        for chunk in persons.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new("");
            push_person_values!(q, chunk);
            q.build().execute(&mut *$tx).await?;
        }
        let keys = $crate::projection::name_keys_of(&$rows);
        insert_name_keys!($tx, keys);
    }};
}

/// Replaces the persons of the cases `$rows: &[&CaseRow]` inside the transaction `$tx`.
macro_rules! replace_persons {
    ($tx:expr, $rows:expr) => {{
        for chunk in $rows.chunks($crate::projection::CASE_CHUNK) {
            for table in ["persons", "name_keys"] {
                let mut delete = sqlx::QueryBuilder::new(format!("DELETE FROM {table} WHERE case_number IN ("));
                let mut list = delete.separated(", ");
                for row in chunk.iter() {
                    list.push_bind(row.number.clone());
                }
                delete.push(")");
                delete.build().execute(&mut *$tx).await?;
            }
        }
        insert_persons!($tx, $rows);
    }};
}

/// Replaces the documents and originals rows of the cases `$rows: &[&CaseRow]` inside the
/// transaction `$tx` (only cases whose file changed are passed).
macro_rules! replace_files {
    ($tx:expr, $rows:expr) => {{
        for chunk in $rows.chunks($crate::projection::CASE_CHUNK) {
            for table in
                ["documents", "originals", "civil_acts", "civil_copies", "fgm_follow_ups", "protection_endings"]
            {
                let mut delete = sqlx::QueryBuilder::new(format!("DELETE FROM {table} WHERE case_number IN ("));
                let mut list = delete.separated(", ");
                for row in chunk.iter() {
                    list.push_bind(row.number.clone());
                }
                delete.push(")");
                delete.build().execute(&mut *$tx).await?;
            }
        }
        let documents: Vec<(&String, &$crate::projection::DocumentRow)> =
            $rows.iter().flat_map(|row| row.documents.iter().map(move |d| (&row.number, d))).collect();
        for chunk in documents.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO documents (case_number, id, sha256, media_type, size, pages, kind, origin, received_on, \
                 added_at) ",
            );
            q.push_values(chunk.iter(), |mut b, (number, d)| {
                b.push_bind((*number).clone())
                    .push_bind(d.id)
                    .push_bind(d.sha256.clone())
                    .push_bind(d.media_type.clone())
                    .push_bind(d.size)
                    .push_bind(d.pages)
                    .push_bind(d.kind.clone())
                    .push_bind(d.origin.clone())
                    .push_bind(d.received_on.clone())
                    .push_bind(d.added_at.clone());
            });
            q.build().execute(&mut *$tx).await?;
        }
        let originals: Vec<(&$crate::projection::CaseRow, &$crate::projection::OriginalRow)> =
            $rows.iter().flat_map(|row| row.originals.iter().map(move |o| (*row, o))).collect();
        for chunk in originals.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO originals (id, case_number, kind, description, custody, location, holder, received_on, \
                 division) ",
            );
            q.push_values(chunk.iter(), |mut b, (row, o)| {
                b.push_bind(o.id.clone())
                    .push_bind(row.number.clone())
                    .push_bind(o.kind.clone())
                    .push_bind(o.description.clone())
                    .push_bind(o.custody.clone())
                    .push_bind(o.location.clone())
                    .push_bind(o.holder.clone())
                    .push_bind(o.received_on.clone())
                    .push_bind(row.division.clone());
            });
            q.build().execute(&mut *$tx).await?;
        }
        let acts: Vec<(&String, &$crate::projection::ActRow)> =
            $rows.iter().flat_map(|row| row.acts.iter().map(move |a| (&row.number, a))).collect();
        for chunk in acts.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO civil_acts (number, year, seq, case_number, person, kind, family_latin, given_latin, \
                 family_original, given_original, latin_key, original_key, event_on, version, drawn_up_at) ",
            );
            q.push_values(chunk.iter(), |mut b, (number, a)| {
                b.push_bind(a.number.clone())
                    .push_bind(a.year)
                    .push_bind(a.seq)
                    .push_bind((*number).clone())
                    .push_bind(a.person)
                    .push_bind(a.kind.clone())
                    .push_bind(a.family_latin.clone())
                    .push_bind(a.given_latin.clone())
                    .push_bind(a.family_original.clone())
                    .push_bind(a.given_original.clone())
                    .push_bind($crate::projection::latin_key(&a.family_latin))
                    .push_bind($crate::projection::original_key(&a.family_original))
                    .push_bind(a.event_on.clone())
                    .push_bind(a.version)
                    .push_bind(a.drawn_up_at.clone());
            });
            q.build().execute(&mut *$tx).await?;
        }
        let copies: Vec<(&String, &$crate::projection::CopyRow)> =
            $rows.iter().flat_map(|row| row.copies.iter().map(move |c| (&row.number, c))).collect();
        for chunk in copies.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO civil_copies (id, act, case_number, version, sha256, requested, issued_at) ",
            );
            q.push_values(chunk.iter(), |mut b, (number, c)| {
                b.push_bind(c.id.clone())
                    .push_bind(c.act.clone())
                    .push_bind((*number).clone())
                    .push_bind(c.version)
                    .push_bind(c.sha256.clone())
                    .push_bind(c.requested)
                    .push_bind(c.issued_at.clone());
            });
            q.build().execute(&mut *$tx).await?;
        }
        let follow_ups: Vec<(&String, &$crate::projection::FgmRow)> =
            $rows.iter().flat_map(|row| row.fgm.iter().map(move |f| (&row.number, f))).collect();
        for chunk in follow_ups.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO fgm_follow_ups (case_number, person, opened_on, ends_on, due_on, certificates, \
                 unsigned_reports) ",
            );
            q.push_values(chunk.iter(), |mut b, (number, f)| {
                b.push_bind((*number).clone())
                    .push_bind(f.person)
                    .push_bind(f.opened_on.clone())
                    .push_bind(f.ends_on.clone())
                    .push_bind(f.due_on.clone())
                    .push_bind(f.certificates)
                    .push_bind(f.unsigned_reports);
            });
            q.build().execute(&mut *$tx).await?;
        }
        let endings: Vec<(&String, &$crate::projection::EndingRow)> =
            $rows.iter().flat_map(|row| row.endings.iter().map(move |e| (&row.number, e))).collect();
        for chunk in endings.chunks($crate::projection::PERSON_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO protection_endings (case_number, seq, ground, opened_on, answer_due, answered_on, \
                 drafted_on, decided_on, ends) ",
            );
            q.push_values(chunk.iter(), |mut b, (number, e)| {
                b.push_bind((*number).clone())
                    .push_bind(e.seq)
                    .push_bind(e.ground.clone())
                    .push_bind(e.opened_on.clone())
                    .push_bind(e.answer_due.clone())
                    .push_bind(e.answered_on.clone())
                    .push_bind(e.drafted_on.clone())
                    .push_bind(e.decided_on.clone())
                    .push_bind(e.ends);
            });
            q.build().execute(&mut *$tx).await?;
        }
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
    pub section: Option<u8>,
    pub officer: Option<String>,
    pub applicant_latin: String,
    pub applicant_original: String,
    pub decision_due: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queues_put_the_most_urgent_deadline_first_and_cases_without_one_last() {
        let mut keys = [
            queue_key(None, "2026-0000001"),
            queue_key(Some("2026-12-01"), "2026-0000009"),
            queue_key(Some("2026-11-30"), "2026-0000010"),
            queue_key(Some("2026-12-01"), "2026-0000002"),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                "2026-11-30|2026-0000010".to_owned(),
                "2026-12-01|2026-0000002".to_owned(),
                "2026-12-01|2026-0000009".to_owned(),
                "9999-12-31|2026-0000001".to_owned(),
            ]
        );
    }

    #[test]
    fn search_keys_ignore_case_in_either_script() {
        assert_eq!(latin_key(" ahmadi "), latin_key("AHMADI"));
        assert_eq!(original_key("Петров"), original_key("петров"));
        assert_eq!(original_key("احمدی"), "احمدی");
    }
}
