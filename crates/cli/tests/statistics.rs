//! Statistics end to end: every table that `nansen stats` computes from the projection is
//! recomputed here by a second, naive method (folding the demo journal case by case in memory)
//! and must give the same numbers, on SQLite and PostgreSQL; the projection survives `nansen
//! rebuild` identical; bad requests get clear errors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output};

use nansen_domain::lifecycle::{evolve, Case, Event};
use nansen_domain::person::{FamilyRole, Person};
use nansen_domain::statistics::{codes, person_key, AgeGroup, DecisionClass, Table, Value};
use nansen_domain::ApplicationKind;
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::{on_db, Backend};
use sqlx::Row;
use time::Date;

fn nansen_in(dir: &Path, url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nansen"));
    cmd.arg("--data-dir").arg(dir).args(args).env_remove("NANSEN_DATABASE_URL").env_remove("NANSEN_SIGNING_KEY");
    if let Some(url) = url {
        cmd.env("NANSEN_DATABASE_URL", url);
    }
    cmd.output().expect("run nansen")
}

fn nansen(t: &TestStore, args: &[&str]) -> Output {
    nansen_in(&t.config.data_dir, t.config.database_url.as_deref(), args)
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn stats(t: &TestStore, table: &str, period: &str) -> Table {
    let out = nansen(t, &["stats", table, "--period", period, "--format", "json"]);
    assert!(out.status.success(), "stats {table} {period}: {}", text(&out));
    serde_json::from_slice(&out.stdout).expect("a table as JSON")
}

/// One case's history: (seq, event, case before, case after).
type History = Vec<(i64, Event, Case, Case)>;

/// The naive method's input: every case event of the journal, folded case by case in memory.
async fn histories(t: &TestStore) -> (Vec<History>, i64) {
    let store = t.reopen().await;
    let (rows, head): (Vec<(String, i64, String)>, i64) = on_db!(store.db(), pool => {
        let rows = sqlx::query("SELECT subject, seq, payload FROM journal WHERE subject LIKE 'case:%' ORDER BY seq")
            .fetch_all(pool).await.expect("journal");
        let head: i64 = sqlx::query("SELECT size FROM journal_head").fetch_one(pool).await.expect("head").get(0);
        (rows.iter().map(|r| (r.get("subject"), r.get("seq"), r.get("payload"))).collect(), head)
    });
    store.close().await;
    let mut by_case: BTreeMap<String, (i64, History)> = BTreeMap::new();
    let mut current: BTreeMap<String, Case> = BTreeMap::new();
    for (subject, seq, payload) in rows {
        let event: Event = serde_json::from_str(&payload).expect("event");
        let before = current.remove(&subject).unwrap_or_else(Case::initial);
        let after = evolve(before.clone(), &event);
        current.insert(subject.clone(), after.clone());
        by_case.entry(subject).or_insert((seq, Vec::new())).1.push((seq, event, before, after));
    }
    let mut list: Vec<(i64, History)> = by_case.into_values().collect();
    list.sort_by_key(|(first, _)| *first);
    (list.into_iter().map(|(_, h)| h).collect(), head)
}

/// The applicant and the children under 18 at the introduction, re-derived from the case.
fn persons(case: &Case) -> Vec<&Person> {
    let mut out = vec![&case.applicant];
    for p in &case.family {
        if p.role == FamilyRole::Child && AgeGroup::at(p.birth_date.earliest(), case.introduced_on).is_minor() {
            out.push(p);
        }
    }
    out
}

fn sex(p: &Person) -> &'static str {
    codes::sex(p.sex)
}

/// Adds a cell and every total above it, as Eurostat publishes them.
fn add(cells: &mut BTreeMap<Vec<String>, u64>, citizen: &str, sex: &str, age: &str, extra: Option<&str>, time: &str) {
    for c in [citizen, "TOTAL"] {
        for s in [sex, "T"] {
            for a in [age, "TOTAL"] {
                let mut key = vec![c.to_owned(), s.to_owned(), a.to_owned()];
                key.extend(extra.map(str::to_owned));
                key.push(time.to_owned());
                *cells.entry(key).or_default() += 1;
            }
        }
    }
}

fn counts(t: &Table) -> BTreeMap<Vec<String>, u64> {
    t.rows
        .iter()
        .map(|r| match r.value {
            Value::Count(n) => (r.key.clone(), n),
            other => panic!("{}: {other:?} is not a count", t.id),
        })
        .collect()
}

fn in_period(d: Date, from: Date, to: Date) -> bool {
    from <= d && d <= to
}

fn bucket(d: Date, len: usize) -> String {
    d.to_string()[..len].to_owned()
}

fn naive_applicants(h: &[History], from: Date, to: Date, len: usize) -> BTreeMap<Vec<String>, u64> {
    let mut cells = BTreeMap::new();
    let mut ever: BTreeSet<String> = BTreeSet::new();
    let mut in_bucket: BTreeSet<(String, String)> = BTreeSet::new();
    for history in h {
        let Some((_, _, _, case)) = history.iter().find(|(_, e, _, _)| matches!(e, Event::Registered { .. })) else {
            continue;
        };
        for p in persons(case) {
            let key = person_key(p);
            let first_ever = !ever.contains(&key);
            ever.insert(key.clone());
            if case.kind == ApplicationKind::Statelessness {
                continue;
            }
            let b = bucket(case.introduced_on, len);
            if !in_bucket.insert((key, b.clone())) || !in_period(case.introduced_on, from, to) {
                continue;
            }
            let age = AgeGroup::at(p.birth_date.earliest(), case.introduced_on).code();
            let citizen = codes::citizen(p.nationality.as_str());
            add(&mut cells, citizen, sex(p), age, Some("ASY_APP"), &b);
            if first_ever && case.kind == ApplicationKind::Asylum {
                add(&mut cells, citizen, sex(p), age, Some("NASY_APP"), &b);
            }
        }
    }
    cells
}

fn naive_decisions(h: &[History], from: Date, to: Date) -> BTreeMap<Vec<String>, u64> {
    let mut cells = BTreeMap::new();
    for history in h {
        for (_, event, _, case) in history {
            let Event::DecisionSigned { at, .. } = event else { continue };
            let on = at.date();
            let Some(class) = case.draft.as_ref().map(|d| DecisionClass::of(&d.outcome)) else { continue };
            let Some(code) = class.eurostat() else { continue };
            if !in_period(on, from, to) {
                continue;
            }
            for p in persons(case) {
                let age = AgeGroup::at(p.birth_date.earliest(), on).code();
                let citizen = codes::citizen(p.nationality.as_str());
                let mut extras = vec![code, "TOTAL"];
                if class.is_positive() {
                    extras.push("TOTAL_POS");
                }
                for x in extras {
                    add(&mut cells, citizen, sex(p), age, Some(x), &bucket(on, 4));
                }
            }
        }
    }
    cells
}

/// The day an event takes effect for the stock: the introduction for a registration, the
/// ruling's date for a ruling, the day it was recorded otherwise.
fn effective(e: &Event) -> Date {
    match e {
        Event::Registered { introduced_on, .. } => *introduced_on,
        Event::CourtRuled { ruling, .. } => ruling.on,
        other => other.recorded_at().date(),
    }
}

fn naive_pending(h: &[History], ends: &[(String, Date)]) -> BTreeMap<Vec<String>, u64> {
    let mut cells = BTreeMap::new();
    for history in h {
        for (b, end) in ends {
            // The case as the events that took effect by the end of the month left it.
            let mut case = Case::initial();
            for (_, e, _, _) in history {
                if effective(e) <= *end {
                    case = evolve(case, e);
                }
            }
            if !case.status.is_pre_decision() {
                continue;
            }
            let Some((_, _, _, registered)) = history.first() else { continue };
            for p in persons(registered) {
                let age = AgeGroup::at(p.birth_date.earliest(), *end).code();
                add(&mut cells, codes::citizen(p.nationality.as_str()), sex(p), age, None, b);
            }
        }
    }
    cells
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_table_agrees_with_a_naive_recomputation_from_the_journal() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        t.store.close().await;
        let out = nansen(&t, &["demo", "--seed", "5", "--applications", "700", "--today", "2026-11-01"]);
        assert!(out.status.success(), "{backend:?}: demo failed: {}", text(&out));
        let (h, head) = histories(&t).await;

        for period in ["2025", "2026"] {
            let year: i32 = period.parse().expect("year");
            let from = Date::from_calendar_date(year, time::Month::January, 1).expect("date");
            let to = Date::from_calendar_date(year, time::Month::December, 31).expect("date");
            let table = stats(&t, "migr_asyappctza", period);
            assert_eq!(table.snapshot.size as i64, head, "{backend:?}: the table names the head it was computed from");
            assert!(!table.rows.is_empty(), "{backend:?} {period}: applicants were lodged");
            assert_eq!(counts(&table), naive_applicants(&h, from, to, 4), "{backend:?} migr_asyappctza {period}");
            let table = stats(&t, "migr_asydcfsta", period);
            assert_eq!(counts(&table), naive_decisions(&h, from, to), "{backend:?} migr_asydcfsta {period}");
        }

        let months = "2026-01/2026-10";
        let table = stats(&t, "migr_asyappctzm", months);
        let (from, to) = (table.period.from, table.period.to);
        assert_eq!(counts(&table), naive_applicants(&h, from, to, 7), "{backend:?} migr_asyappctzm");
        let table = stats(&t, "migr_asypenctzm", months);
        let naive = naive_pending(&h, &table.period.bucket_ends());
        assert!(!naive.is_empty(), "{backend:?}: the demo has pending cases");
        assert_eq!(counts(&table), naive, "{backend:?} migr_asypenctzm");

        // The annual report's decisions and the bridge add up with the Eurostat tables.
        let report = stats(&t, "report_decisions", "2026");
        let bridge = stats(&t, "bridge", "2026");
        let line = |t: &Table, k: &str| t.rows.iter().find(|r| r.key[0] == k).map(|r| r.value).expect(k);
        let eurostat_apps = stats(&t, "migr_asyappctza", "2026");
        let total = |t: &Table, x: &str| {
            t.rows
                .iter()
                .find(|r| r.key == ["TOTAL", "T", "TOTAL", x, "2026"])
                .and_then(|r| r.value.count())
                .unwrap_or(0)
        };
        assert_eq!(line(&bridge, "equals_eurostat_asylum_applicants"), Value::Count(total(&eurostat_apps, "ASY_APP")));
        assert_eq!(
            line(&bridge, "equals_eurostat_first_time_applicants"),
            Value::Count(total(&eurostat_apps, "NASY_APP"))
        );
        let decisions = stats(&t, "migr_asydcfsta", "2026");
        assert_eq!(line(&bridge, "equals_eurostat_first_instance_decisions"), Value::Count(total(&decisions, "TOTAL")));
        let signed: u64 = h
            .iter()
            .flat_map(|c| c.iter())
            .filter(|(_, e, _, _)| matches!(e, Event::DecisionSigned { at, .. } if at.year() == 2026))
            .count() as u64;
        let by_class: u64 = report
            .rows
            .iter()
            .filter(|r| r.key[0] == "decisions" && r.key[1] != "closure")
            .filter_map(|r| r.value.count())
            .sum();
        assert_eq!(by_class, signed, "{backend:?}: every signed decision is in the report once");
        let rate = report.rows.iter().find(|r| r.key == ["rate", "on_merits"]).map(|r| r.value).expect("rate");
        assert!(matches!(rate, Value::Rate { denominator, .. } if denominator > 0), "{rate:?}");

        // Processing time: the median of the naive list of days.
        let table = stats(&t, "report_processing_time", "2026");
        let mut days: Vec<i64> = h
            .iter()
            .flat_map(|c| c.iter())
            .filter_map(|(_, e, _, case)| match e {
                Event::DecisionSigned { at, .. } if at.year() == 2026 => {
                    Some((at.date() - case.introduced_on).whole_days())
                }
                _ => None,
            })
            .collect();
        days.sort();
        let median = days[days.len().div_ceil(2) - 1];
        assert_eq!(
            table.rows.iter().find(|r| r.key == ["all", "median"]).map(|r| r.value),
            Some(Value::Days(median)),
            "{backend:?}: median processing time"
        );

        // Published: nothing between 1 and 4, multiples of 5.
        let out = nansen(&t, &["stats", "migr_asyappctza", "--period", "2026", "--format", "json", "--published"]);
        let published: Table = serde_json::from_slice(&out.stdout).expect("json");
        assert!(published.published);
        assert!(published.rows.iter().all(|r| match r.value {
            Value::Count(n) => n % 5 == 0,
            Value::Suppressed => true,
            _ => false,
        }));
        let sdmx = nansen(&t, &["stats", "migr_asydcfsta", "--period", "2026", "--format", "sdmx"]);
        assert!(sdmx.status.success(), "{}", text(&sdmx));
        assert!(String::from_utf8_lossy(&sdmx.stdout).starts_with("DATAFLOW,freq,unit,citizen,sex,age,decision,geo"));

        // The projection is a projection: rebuilt identical.
        let out = nansen(&t, &["rebuild"]);
        assert!(out.status.success() && text(&out).contains("identical"), "{backend:?}: {}", text(&out));
        assert_eq!(counts(&stats(&t, "migr_asydcfsta", "2026")), counts(&decisions), "{backend:?}: same after rebuild");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_say_what_is_wrong() {
    let t = TestStore::new(Backend::Sqlite).await;
    t.store.close().await;
    for (args, says) in [
        (vec!["stats", "migr_nope", "--period", "2025"], "unknown table"),
        (vec!["stats", "migr_asyappctza", "--period", "2025-06/2025-01"], "before it starts"),
        (vec!["stats", "migr_asyappctza", "--period", "2999"], "future"),
        (vec!["stats", "migr_asyappctza", "--period", "2025-03"], "yearly"),
        (vec!["stats", "report_activity", "--period", "2025", "--format", "sdmx"], "not an Eurostat dataset"),
        (vec!["stats", "report_activity", "--period", "2025", "--format", "xls"], "csv, sdmx or json"),
    ] {
        let out = nansen(&t, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out).contains(says), "{args:?}: {}", text(&out));
    }
}
