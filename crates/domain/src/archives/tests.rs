use proptest::prelude::*;
use time::macros::date;
use time::Date;

use super::*;
use crate::ids::Login;

fn rules() -> ArchiveRules {
    ArchiveRules::embedded().expect("the embedded archives rules")
}

fn login(s: &str) -> Login {
    Login::parse(s).expect("login")
}

fn place(shelf: &str) -> Place {
    Place {
        store: "fontenay".into(),
        room: "B".into(),
        row: "12".into(),
        shelf: shelf.into(),
        r#box: "2026-0041".into(),
    }
}

const DAY: Date = date!(2026 - 03 - 02);

struct Run {
    file: PhysicalFile,
    rules: ArchiveRules,
}

impl Run {
    fn placed() -> Run {
        let mut r = Run { file: PhysicalFile::default(), rules: rules() };
        r.ok(
            "arch.one",
            FileCommand::Place {
                label: "F-2026-000123".into(),
                case: None,
                category: "rejected".into(),
                place: place("3"),
            },
            DAY,
        );
        r
    }

    fn try_(&self, who: &str, command: FileCommand, on: Date) -> Result<Vec<FileEvent>, crate::DomainError> {
        self.file.decide(&command, &login(who), on, &self.rules)
    }

    fn ok(&mut self, who: &str, command: FileCommand, on: Date) -> &mut Run {
        let events = self.try_(who, command.clone(), on).unwrap_or_else(|e| panic!("{command:?} by {who}: {e}"));
        for e in &events {
            self.file = std::mem::take(&mut self.file).evolve(e);
        }
        self
    }
}

#[test]
fn the_embedded_rules_hold_every_period_of_the_law_and_bad_rules_are_refused() {
    let r = rules();
    for c in ["private_life", "medical", "judicial", "civil_status", "minors"] {
        assert!(r.access(c).is_some(), "{c}");
    }
    assert_eq!(r.due(Purpose::Interview, DAY), date!(2026 - 04 - 01));
    assert_eq!(r.due(Purpose::Appeal, DAY), date!(2026 - 05 - 31));
    assert!(r.retention("protected").is_some() && r.stores().len() >= 2);
    let text = include_str!("../../rules/archives.toml");
    let twice = format!("{text}\n[[access]]\ncategory = \"medical\"\nlabel = \"x\"\nyears_from_document = 1\n");
    assert!(ArchiveRules::parse(&twice).is_err());
    let empty = format!("{text}\n[[access]]\ncategory = \"new\"\nlabel = \"x\"\n");
    assert!(ArchiveRules::parse(&empty).is_err(), "a category without a period");
}

#[test]
fn a_file_goes_out_to_one_holder_at_a_time_and_a_waiting_request_is_passed_on() {
    let mut r = Run::placed();
    assert_eq!(r.file.whereabouts, Whereabouts::Shelved);
    // Nobody asked: nothing to send.
    assert!(r.try_("arch.one", FileCommand::Send, DAY).is_err());
    r.ok("opi.karimi", FileCommand::Request { purpose: Purpose::Interview }, DAY);
    assert!(r.try_("opi.karimi", FileCommand::Request { purpose: Purpose::Interview }, DAY).is_err(), "twice");
    r.ok("arch.one", FileCommand::Send, DAY);
    assert_eq!(r.file.holder(), Some(&login("opi.karimi")));
    assert!(r.file.waiting.is_empty());
    // Only the agent it was sent to confirms receipt.
    assert!(r.try_("opi.other", FileCommand::Receive, DAY).is_err());
    r.ok("opi.karimi", FileCommand::Receive, date!(2026 - 03 - 03));
    assert!(matches!(r.file.whereabouts, Whereabouts::Held { due, .. } if due == date!(2026 - 04 - 02)));
    // A second request waits; the holder is asked to pass it on.
    r.ok("didr.leroy", FileCommand::Request { purpose: Purpose::CivilStatus }, date!(2026 - 03 - 05));
    assert!(r.file.pass_on_asked());
    assert!(r.try_("arch.one", FileCommand::Send, DAY).is_err(), "the file is out");
    assert!(r.try_("didr.leroy", FileCommand::Return, DAY).is_err(), "a return by who does not hold it");
    assert!(r.try_("didr.leroy", FileCommand::PassOn, DAY).is_err());
    r.ok("opi.karimi", FileCommand::PassOn, date!(2026 - 03 - 06));
    assert_eq!(r.file.holder(), Some(&login("didr.leroy")));
    r.ok("didr.leroy", FileCommand::Receive, date!(2026 - 03 - 06));
    assert!(matches!(&r.file.whereabouts, Whereabouts::Held { purpose: Purpose::CivilStatus, .. }));
    // Nobody waits now: passing on is refused, returning is the way.
    assert!(r.try_("didr.leroy", FileCommand::PassOn, DAY).is_err());
    assert!(r.try_("arch.one", FileCommand::Transfer { place: place("9") }, DAY).is_err(), "out");
    r.ok("didr.leroy", FileCommand::Return, date!(2026 - 03 - 10));
    assert!(r.file.holder().is_none());
    assert!(r.try_("arch.one", FileCommand::Send, DAY).is_err(), "on its way back");
    r.ok("arch.one", FileCommand::Reshelve, date!(2026 - 03 - 11));
    r.ok("arch.one", FileCommand::Transfer { place: place("9") }, date!(2026 - 03 - 12));
    assert_eq!(r.file.place.as_ref().map(|p| p.shelf.as_str()), Some("9"));
    assert!(r.try_("arch.one", FileCommand::Transfer { place: place("9") }, DAY).is_err(), "there already");
    assert_eq!(r.file.movements, 7);
}

#[test]
fn a_file_is_placed_once_with_a_known_category_and_a_whole_place() {
    let mut r = Run { file: PhysicalFile::default(), rules: rules() };
    assert!(r.try_("opi.karimi", FileCommand::Request { purpose: Purpose::Other }, DAY).is_err(), "not placed");
    let bad_category =
        FileCommand::Place { label: "F-1".into(), case: None, category: "nothing".into(), place: place("1") };
    assert!(r.try_("arch.one", bad_category, DAY).is_err());
    let mut no_shelf = place("1");
    no_shelf.shelf = " ".into();
    let bad_place = FileCommand::Place { label: "F-1".into(), case: None, category: "closed".into(), place: no_shelf };
    assert!(r.try_("arch.one", bad_place, DAY).is_err());
    let bad_label =
        FileCommand::Place { label: "../x".into(), case: None, category: "closed".into(), place: place("1") };
    assert!(r.try_("arch.one", bad_label, DAY).is_err());
    r.ok(
        "arch.one",
        FileCommand::Place { label: "F-1".into(), case: None, category: "closed".into(), place: place("1") },
        DAY,
    );
    let again = FileCommand::Place { label: "F-1".into(), case: None, category: "closed".into(), place: place("1") };
    assert!(r.try_("arch.one", again, DAY).is_err());
}

#[test]
fn overdue_counts_the_days_past_the_due_date() {
    let mut r = Run::placed();
    r.ok("opi.karimi", FileCommand::Request { purpose: Purpose::Review }, DAY)
        .ok("arch.one", FileCommand::Send, DAY)
        .ok("opi.karimi", FileCommand::Receive, DAY);
    assert_eq!(r.file.overdue_days(date!(2026 - 03 - 17)), None, "due that day");
    assert_eq!(r.file.overdue_days(date!(2026 - 03 - 18)), Some(1));
    assert_eq!(r.file.overdue_days(date!(2026 - 04 - 17)), Some(31));
}

fn facts(categories: &[&str], latest: Date) -> AccessFacts {
    AccessFacts {
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        latest_document: latest,
        born: None,
        died: None,
        names_people: false,
    }
}

/// Closed the day before `opens`, open on it.
fn opens_exactly(f: &AccessFacts, opens: Date) {
    let r = rules();
    assert_eq!(opens_on(f, &r).expect("categories known"), opens, "{f:?}");
    let before = opens.previous_day().expect("a day");
    assert_eq!(visibility(f, &r, before).expect("ok"), Visibility::Closed { opens_on: opens }, "{f:?}");
    assert!(!matches!(visibility(f, &r, opens).expect("ok"), Visibility::Closed { .. }), "{f:?}");
}

#[test]
fn each_period_of_the_law_opens_the_item_on_its_day() {
    let doc = date!(1951 - 06 - 14);
    // Nothing restricted: open from its own date.
    opens_exactly(&facts(&[], doc), doc);
    // Private life: 50 years from the most recent document.
    opens_exactly(&facts(&["private_life"], doc), date!(2001 - 06 - 14));
    // Civil-status registers of births and marriages: 75 years.
    opens_exactly(&facts(&["civil_status"], doc), date!(2026 - 06 - 14));
    // Judicial: 75 years, or 25 after death when that comes first.
    opens_exactly(&facts(&["judicial"], doc), date!(2026 - 06 - 14));
    let mut died_early = facts(&["judicial"], doc);
    died_early.died = Some(date!(1990 - 01 - 31));
    opens_exactly(&died_early, date!(2015 - 01 - 31));
    // Minors: 100 years, or 25 after death.
    opens_exactly(&facts(&["minors"], doc), date!(2051 - 06 - 14));
    let mut minor_died = facts(&["minors"], doc);
    minor_died.died = Some(date!(2003 - 05 - 01));
    opens_exactly(&minor_died, date!(2028 - 05 - 01));
    // Medical: 25 years after death; 120 from birth when the death is unknown; from the most
    // recent document when the birth is unknown too.
    let mut medical = facts(&["medical"], doc);
    medical.died = Some(date!(1980 - 02 - 29));
    opens_exactly(&medical, date!(2005 - 03 - 01));
    medical.died = None;
    medical.born = Some(date!(1907 - 11 - 02));
    opens_exactly(&medical, date!(2027 - 11 - 02));
    medical.born = None;
    opens_exactly(&medical, date!(2071 - 06 - 14));
    // Several categories: the latest date.
    let mut both = facts(&["private_life", "minors"], doc);
    opens_exactly(&both, date!(2051 - 06 - 14));
    both.died = Some(date!(1960 - 01 - 01));
    opens_exactly(&both, date!(2001 - 06 - 14));
    assert!(opens_on(&facts(&["secret"], doc), &rules()).is_err(), "an unknown category");
}

#[test]
fn a_communicable_item_that_names_people_goes_on_the_open_web_a_hundred_years_after_its_last_document() {
    let r = rules();
    let mut card = facts(&["private_life"], date!(1931 - 10 - 20));
    card.names_people = true;
    assert_eq!(
        visibility(&card, &r, date!(2026 - 12 - 03)).expect("ok"),
        Visibility::Researchers { public_on: date!(2031 - 10 - 20) }
    );
    assert_eq!(visibility(&card, &r, date!(2031 - 10 - 19)).expect("ok").code(), "researchers");
    assert_eq!(visibility(&card, &r, date!(2031 - 10 - 20)).expect("ok"), Visibility::Public);
    card.names_people = false;
    assert_eq!(visibility(&card, &r, date!(2026 - 12 - 03)).expect("ok"), Visibility::Public);
}

fn command() -> impl Strategy<Value = (usize, FileCommand)> {
    let purpose = prop::sample::select(Purpose::ALL.to_vec());
    (
        0..4usize,
        prop_oneof![
            purpose.prop_map(|purpose| FileCommand::Request { purpose }),
            Just(FileCommand::CancelRequest),
            Just(FileCommand::Send),
            Just(FileCommand::Receive),
            Just(FileCommand::PassOn),
            Just(FileCommand::Return),
            Just(FileCommand::Reshelve),
            (0..3u8).prop_map(|s| FileCommand::Transfer { place: place(&s.to_string()) }),
        ],
    )
}

proptest! {
    /// Whatever agents and archivists try, in any order: one holder at a time, nobody waits
    /// twice or for a file they hold, and a refused command changes nothing.
    #[test]
    fn one_holder_at_a_time(commands in prop::collection::vec(command(), 1..60)) {
        let agents = ["arch.one", "opi.karimi", "didr.leroy", "cs.fontaine"];
        let mut r = Run::placed();
        for (i, (who, c)) in commands.into_iter().enumerate() {
            let on = DAY + time::Duration::days(i as i64);
            let before = r.file.clone();
            match r.try_(agents[who], c, on) {
                Ok(events) => {
                    for e in &events {
                        r.file = std::mem::take(&mut r.file).evolve(e);
                    }
                }
                Err(_) => prop_assert_eq!(&r.file, &before),
            }
            let f = &r.file;
            let mut waiting: Vec<_> = f.waiting.iter().map(|w| w.by.clone()).collect();
            waiting.sort();
            waiting.dedup();
            prop_assert_eq!(waiting.len(), f.waiting.len(), "nobody waits twice");
            if let Some(h) = f.holder() {
                prop_assert!(!f.waiting.iter().any(|w| &w.by == h), "the holder does not wait");
            }
            prop_assert!(f.place.is_some());
        }
    }
}

#[test]
fn a_derogation_needs_both_opinions_in_turn_and_the_producers_agreement_to_be_granted() {
    let mut d = Derogation::default();
    let researcher = "r-0042";
    let step = |d: &mut Derogation, who: &str, c: DerogationCommand| -> Result<(), crate::DomainError> {
        for e in d.decide(&c, &login(who), DAY)? {
            *d = std::mem::take(d).evolve(&e);
        }
        Ok(())
    };
    let ask = |files: Vec<&str>, reasons: &str| DerogationCommand::Ask {
        id: "DER-2026-1".into(),
        researcher: researcher.into(),
        files: files.into_iter().map(str::to_owned).collect(),
        reasons: reasons.into(),
    };
    assert!(step(&mut d, "arch.one", ask(vec![], "A thesis on Armenian refugees in Marseille.")).is_err());
    assert!(step(&mut d, "arch.one", ask(vec!["NAN-12-0007"], "  ")).is_err());
    step(&mut d, "arch.one", ask(vec!["NAN-12-0007", "NAN-12-0007", "NAN-12-0009"], "A thesis.")).expect("asked");
    assert_eq!(d.files, ["NAN-12-0007", "NAN-12-0009"]);
    let decide = |grant| DerogationCommand::Decide { grant, reasons: "Given the purpose.".into() };
    assert!(step(&mut d, "dg.office", decide(true)).is_err(), "not before the opinions");
    assert!(step(&mut d, "dg.office", DerogationCommand::Agree { favourable: true, reasons: "Ok.".into() }).is_err());
    step(&mut d, "arch.one", DerogationCommand::Advise { favourable: true, reasons: "Scholarly purpose.".into() })
        .expect("advised");
    step(&mut d, "dg.office", DerogationCommand::Agree { favourable: false, reasons: "Living persons.".into() })
        .expect("not agreed");
    assert!(step(&mut d, "dg.office", decide(true)).is_err(), "no grant without the producer's agreement");
    step(&mut d, "dg.office", decide(false)).expect("refused");
    assert_eq!(d.status, DerogationStatus::Refused);
    assert!(!d.grants(researcher, "NAN-12-0007"));
    // Agreed: granted, for the files named and the researcher only.
    let mut g = Derogation::default();
    step(&mut g, "arch.one", ask(vec!["NAN-12-0007"], "A thesis.")).expect("asked");
    step(&mut g, "arch.one", DerogationCommand::Advise { favourable: false, reasons: "Fragile.".into() }).expect("ok");
    step(&mut g, "dg.office", DerogationCommand::Agree { favourable: true, reasons: "Ok.".into() }).expect("ok");
    step(&mut g, "dg.office", decide(true)).expect("granted");
    assert!(g.grants(researcher, "NAN-12-0007"));
    assert!(!g.grants(researcher, "NAN-12-0009"));
    assert!(!g.grants("r-0043", "NAN-12-0007"));
    assert_eq!(g.decided_on, Some(DAY));
}

#[test]
fn the_years_list_names_the_files_whose_retention_ends_and_a_store_fills_at_its_pace() {
    use super::retention::{due_in, full_on, Closed};
    let r = rules();
    let files = [
        Closed { label: "F-3", category: "closed", closed_on: date!(2021 - 05 - 04) },
        Closed { label: "F-1", category: "rejected", closed_on: date!(2016 - 12 - 31) },
        Closed { label: "F-2", category: "protected", closed_on: date!(2016 - 01 - 01) },
        Closed { label: "F-4", category: "rejected", closed_on: date!(2017 - 01 - 01) },
    ];
    let due = due_in(&r, files.clone(), 2026).expect("categories known");
    let labels: Vec<_> = due.iter().map(|d| (d.label, d.fate)).collect();
    assert_eq!(labels, [("F-1", Fate::Transfer), ("F-3", Fate::Destroy)]);
    assert_eq!(due[0].ends_on, date!(2026 - 12 - 31));
    assert!(due_in(&r, [Closed { label: "x", category: "nothing", closed_on: DAY }], 2026).is_err());
    assert_eq!(full_on(9000.0, 8000.0, 365.25, DAY), Some(DAY + time::Duration::days(1000)));
    assert_eq!(full_on(9000.0, 9100.0, 10.0, DAY), Some(DAY));
    assert_eq!(full_on(9000.0, 100.0, 0.0, DAY), None);
}
