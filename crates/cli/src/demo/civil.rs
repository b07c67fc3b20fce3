//! The demo's civil-status registers: for protected people of the demo, the acts a civil
//! registrar drew up after protection became final (the applicant's birth, a marriage when the
//! file names a spouse, the children's births) and a few mentions, through the domain like real
//! ones. No copies: a copy is sealed with the key of the data directory and carries a random
//! reference, so the same seed would not give the same data; copies are asked for live.

use nansen_domain::lifecycle::{decide, evolve, Case, Command, Ctx, Status};
use nansen_domain::person::{FamilyRole, Name};
use nansen_domain::protection::{ActFacts, ActKind, MentionKind, NewAct, NewMention, Party};
use nansen_domain::{BirthDate, Login};
use nansen_office::protection::civil::fill_from_declared;
use nansen_office::Office;
use nansen_store::{Action, CaseFilter, Op, Store};
use time::{Duration, OffsetDateTime};

use crate::CliError;

/// At most this many protected people get acts (the demo's registers stay browsable).
const PEOPLE: u32 = 120;

/// Draws up the demo's acts; returns how many acts were drawn up.
pub async fn registers(
    store: &Store,
    office: &Office,
    registrar: &Login,
    today: time::Date,
) -> Result<usize, CliError> {
    let mut numbers = Vec::new();
    for status in [Status::Final, Status::CourtDecided] {
        let filter = CaseFilter { status: Some(status.as_str().to_owned()), limit: PEOPLE, ..CaseFilter::default() };
        numbers.extend(store.list_cases(&filter).await?.into_iter().map(|c| c.number));
    }
    numbers.sort();
    let mut acts = 0;
    for (i, number) in numbers.iter().enumerate() {
        let Some(number) = nansen_domain::CaseNumber::parse(number).ok() else { continue };
        let Some(case) = store.case(&number).await? else { continue };
        if !case.protection_final() || !case.civil_acts.is_empty() {
            continue;
        }
        acts += for_person(store, office, registrar, case, i, today).await?;
        if acts >= PEOPLE as usize * 2 {
            break;
        }
    }
    Ok(acts)
}

/// One protected person's acts, a few weeks after protection became final.
async fn for_person(
    store: &Store,
    office: &Office,
    registrar: &Login,
    mut case: Case,
    i: usize,
    today: time::Date,
) -> Result<usize, CliError> {
    let noon = |d: time::Date| d.with_hms(11, 0, 0).map(|t| t.assume_utc()).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let start = case.notified_on.or(case.court_ruling.as_ref().map(|r| r.on)).unwrap_or(today) + Duration::days(45);
    let mut at = noon(start.min(today));
    let mut drawn = 0;
    let mut kinds = vec![(0_u16, ActKind::Birth)];
    if case.family.iter().any(|p| p.role == FamilyRole::Spouse) {
        kinds.push((0, ActKind::Marriage));
    }
    for (j, p) in case.family.iter().enumerate() {
        if p.role == FamilyRole::Child {
            kinds.push((j as u16 + 1, ActKind::Birth));
        }
    }
    for (person, kind) in kinds {
        let mut facts = ActFacts {
            person,
            family_name: Name::latin_only(""),
            given_names: Name::latin_only(""),
            sex: nansen_domain::Sex::Unspecified,
            born_on: BirthDate::Unknown,
            event_on: BirthDate::Unknown,
            place: Name::latin_only(""),
            father: None,
            mother: None,
            spouse: None,
        };
        if kind == ActKind::Marriage {
            let Some(spouse) = case.family.iter().find(|p| p.role == FamilyRole::Spouse) else { continue };
            let born = spouse.birth_date.earliest().or(case.applicant.birth_date.earliest());
            let Some(married) = born.map(|b| b + Duration::days(365 * 22)).filter(|m| *m < case.introduced_on) else {
                continue;
            };
            facts.event_on = BirthDate::Exact(married);
            facts.place = case.applicant.birth_place.clone().map(Name::latin_only).unwrap_or(Name::latin_only("—"));
            facts.spouse = Some(Party {
                family_name: spouse.family_name.clone(),
                given_names: spouse.given_names.clone(),
                born_on: spouse.birth_date,
            });
        }
        fill_from_declared(&case, kind, &mut facts);
        if facts.place.latin.trim().is_empty() {
            facts.place = Name::latin_only("—");
        }
        let number = store.reserve_act_number(at.year()).await?;
        let command = Command::DrawUpAct(Box::new(NewAct { number, kind, facts, documents: vec![] }));
        if !apply(store, office, registrar, &mut case, command, at).await? {
            continue;
        }
        drawn += 1;
        at += Duration::hours(1);
        // Some acts carry a mention (a marriage in France, a correction of a name's spelling).
        if i.is_multiple_of(4) && kind == ActKind::Birth && person == 0 {
            let mention = NewMention {
                kind: MentionKind::Correction,
                on: at.date(),
                text: "Rectification de l'orthographe du lieu de naissance, sur production de l'acte d'origine (pièce du dossier).".into(),
            };
            apply(store, office, registrar, &mut case, Command::AddMention { act: number, mention }, at).await?;
        }
    }
    // Half of the families get their family record book.
    if case.has_family_acts() && i.is_multiple_of(2) {
        let (_, letter) = nansen_office::protection::civil::print_family_book(office, &case, at)
            .await
            .map_err(|e| CliError::Usage(format!("demo family book: {e}")))?;
        let reference = super::reference_for(case.number, "family-book", case.documents.len());
        apply(store, office, registrar, &mut case, Command::IssueFamilyBook { letter, reference }, at).await?;
    }
    // Girls of the file followed up against FGM: the follow-up opened with the acts, the letter
    // sent the same day (its certificate then due within three months: many are overdue), and
    // for some a refusal whose report awaits the director's signature.
    for person in 0..case.persons().len() as u16 {
        if nansen_domain::protection::fgm::check_opening(&case.persons(), &case.fgm, person, at.date()).is_err() {
            continue;
        }
        if !apply(store, office, registrar, &mut case, Command::OpenFgmFollowUp { person }, at).await? {
            continue;
        }
        let on = at.date();
        let letter = nansen_office::protection::fgm::fgm_letter(office, &case, person, at)
            .await
            .map_err(|e| CliError::Usage(format!("demo FGM letter: {e}")))?;
        let reference = Some(super::reference_for(case.number, "fgm-letter", case.documents.len()));
        let send = Command::SendFgmLetter { person, on, letter: Some(letter), reference };
        apply(store, office, registrar, &mut case, send, at).await?;
        if i.is_multiple_of(3) {
            let report =
                Command::ReportFgmIncident { person, on, kind: nansen_domain::protection::IncidentKind::Refusal };
            apply(store, office, registrar, &mut case, report, at + Duration::hours(2)).await?;
        }
    }
    Ok(drawn)
}

/// Commits one command on the case (as the store decides it) and keeps the case up to date.
pub(super) async fn apply(
    store: &Store,
    office: &Office,
    actor: &Login,
    case: &mut Case,
    command: Command,
    at: OffsetDateTime,
) -> Result<bool, CliError> {
    let ctx = Ctx::new(actor.clone(), at, office.rules());
    let Ok(events) = decide(case, &command, &ctx) else {
        return Ok(false);
    };
    let op = Op { actor: actor.clone(), now: at, action: Action::Case { number: case.number, command } };
    if store.execute_one(op).await?.is_err() {
        return Ok(false);
    }
    for e in &events {
        *case = evolve(case.clone(), e);
    }
    Ok(true)
}
