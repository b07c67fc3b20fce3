//! The demo's interview planning: two contracted firms, interpreters for the languages of every
//! nationality the demo draws (two each, a woman and a man, offered every half-day of the next
//! four weeks, the charter signed), the office's booths and video rooms, a few officers away,
//! and next week's interviews of the asia division planned and sent through the office, as a
//! section head does.

use nansen_domain::planning::HalfDay;
use nansen_domain::InterviewNeeds;
use nansen_domain::Login;
use nansen_office::cases::{self, CaseOp};
use nansen_office::planning::week;
use nansen_office::planning::{self as planning, InterpreterChange, NewFirmForm, NewInterpreterForm, NewRoomForm};
use nansen_office::{Agent, Office, Principal, Role};
use nansen_store::Store;
use time::{Date, Duration};

use crate::CliError;

fn agent(login: &str, role: Role, division: Option<&str>, section: Option<u8>) -> Result<Agent, CliError> {
    let login = Login::parse(login).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(Agent {
        principal: Principal { login: login.to_string(), role, division: division.map(str::to_owned), section },
        display_name: login.to_string(),
        login,
    })
}

fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(format!("demo planning: {e}"))
}

/// Interpreters' names, drawn in turn (women, men).
const WOMEN: [&str; 8] = [
    "Saba Tesfay",
    "Mariam Haidari",
    "Nasrin Ahmadi",
    "Olga Sidorenko",
    "Nino Beridze",
    "Aylin Demir",
    "Fatima Zahra",
    "Tenzin Dolma",
];
const MEN: [&str; 8] = [
    "Yonas Gebre",
    "Ahmad Noori",
    "Bilal Qureshi",
    "Sergei Volkov",
    "Arman Petrosyan",
    "Kemal Arslan",
    "Omar Haddad",
    "Rajan Thapa",
];

/// Returns (interpreters, rooms, convocations sent).
pub async fn planning(store: &Store, office: &Office, today: Date) -> Result<(usize, usize, usize), CliError> {
    // The register's acts are dated by the office's clock, which may be ahead of the demo's `today`.
    let today = today.max(office.today());
    let planner = agent("plan.asia", Role::Planner, Some("asia"), None)?;
    for (code, name, contract) in
        [("ism", "ISM Interprétariat", "2024-OFP-017"), ("inter-langues", "Inter Langues Services", "2024-OFP-018")]
    {
        let form = NewFirmForm {
            code: code.into(),
            name: name.into(),
            contract: contract.into(),
            contract_from: Date::from_calendar_date(2024, time::Month::January, 1).map_err(usage)?,
            hourly_rate: "38.50".into(),
        };
        planning::add_firm(office, &planner, form).await.map_err(usage)?;
    }
    let monday = week::monday_of(today) + Duration::weeks(1);
    let half_days: Vec<String> =
        (0..4).flat_map(|w| HalfDay::week(monday + Duration::weeks(w))).map(|h| h.to_string()).collect();
    let mut languages: Vec<String> = office
        .rules()
        .nationalities()
        .flat_map(|n| n.languages.iter().take(2).map(|l| l.as_str().to_owned()))
        .filter(|l| l != "fr")
        .collect();
    languages.sort();
    languages.dedup();
    let mut count = 0usize;
    for (i, language) in languages.iter().enumerate() {
        for (j, (sex, names)) in [("female", &WOMEN), ("male", &MEN)].into_iter().enumerate() {
            let n = 2 * i + j + 1;
            let id = format!("INT-{n:04}");
            let form = NewInterpreterForm {
                id: id.clone(),
                name: names[i % names.len()].to_owned(),
                firm: if n % 3 == 0 { "inter-langues".into() } else { "ism".into() },
                sex: sex.into(),
                languages: language.clone(),
                in_person: true,
                video: n % 4 == 0,
                // The first interpreter has the demo's interpreter account.
                login: (n == 1).then(|| "int.tesfay".to_owned()),
                code_of_conduct: Some(Date::from_calendar_date(2025, time::Month::September, 1).map_err(usage)?),
            };
            match planning::add_interpreter(office, &planner, form).await {
                Ok(_) => {}
                // A language the cases write in a code outside ISO 639 is left to the hand.
                Err(nansen_office::OfficeError::Field { field, .. }) if field == "languages" => continue,
                Err(e) => return Err(usage(e)),
            }
            planning::change_interpreter(office, &planner, &id, InterpreterChange::Offer(half_days.join(" ")))
                .await
                .map_err(usage)?;
            count += 1;
        }
    }
    let mut rooms = 0;
    for n in 1..=16 {
        let kind = if n <= 12 { "booth" } else { "video_booth" };
        let form = NewRoomForm {
            code: format!("B-{n:02}"),
            name: format!("Box {n}"),
            kind: kind.into(),
            site: "Fontenay-sous-Bois".into(),
        };
        planning::add_room(office, &planner, form).await.map_err(usage)?;
        rooms += 1;
    }
    for (code, name, site) in [
        ("V-MESNIL", "Salle de visioconférence", "CRA du Mesnil-Amelot"),
        ("V-MAYOTTE", "Salle de visioconférence", "Mamoudzou (Mayotte)"),
    ] {
        let form = NewRoomForm { code: code.into(), name: name.into(), kind: "video_room".into(), site: site.into() };
        planning::add_room(office, &planner, form).await.map_err(usage)?;
        rooms += 1;
    }
    // An officer on leave for two days next week, another on a mission on a Thursday.
    let week_days = HalfDay::week(monday);
    let leave: Vec<String> = week_days.iter().take(4).map(|h| h.to_string()).collect();
    planning::mark(office, &planner, "opi.simon", &leave.join(" "), Some("leave")).await.map_err(usage)?;
    let mission: Vec<String> = week_days.iter().skip(6).take(2).map(|h| h.to_string()).collect();
    planning::mark(office, &planner, "opi.rahman", &mission.join(" "), Some("mission")).await.map_err(usage)?;
    needs(store, office, &planner).await?;
    let head = agent("cs.chevalier", Role::SectionHead, Some("asia"), Some(2))?;
    let sent = week::send(office, &head, monday).await.map_err(usage)?;
    // The applicant of the last convocation wrote that they will be in hospital: an excused
    // absence, recorded ahead by the officer; the interpreter, booth and half-day are freed.
    let mut convened = sent.sent.len();
    if let Some(number) = sent.sent.last() {
        let case = store.case(number).await.map_err(usage)?;
        if let Some(officer) = case.as_ref().and_then(|c| c.officer.clone()) {
            let officer = officer_agent(store, officer.as_str()).await?;
            let on = case.and_then(|c| c.interview).map(|i| i.on).ok_or_else(|| usage("no interview"))?;
            let op = CaseOp::Absence {
                on,
                excused: true,
                reason: "Hospitalisation prévue, certificat médical transmis par l'espace usager.".into(),
            };
            cases::perform(office, &officer, &number.to_string(), op).await.map_err(usage)?;
            convened -= 1;
        }
    }
    Ok((count, rooms, convened))
}

/// A protection officer's agent, from their account.
async fn officer_agent(store: &Store, login: &str) -> Result<Agent, CliError> {
    let account = store.account(login).await.map_err(usage)?.ok_or_else(|| usage("no such officer"))?;
    agent(login, Role::ProtectionOfficer, account.division.as_deref(), account.section)
}

/// The asia officers' sex as declared for the plan, and the needs of three applicants at the
/// interview: a woman asking for a woman officer and interpreter (L.531-17), a vulnerable
/// applicant convened first, and two cases of one officer heard together (a couple).
async fn needs(store: &Store, office: &Office, planner: &Agent) -> Result<(), CliError> {
    let officers = store.accounts(Some(Role::ProtectionOfficer.as_str()), Some("asia")).await.map_err(usage)?;
    for (i, o) in officers.iter().enumerate() {
        let sex = if i % 2 == 0 { "female" } else { "male" };
        planning::profile(office, planner, &o.login, sex, "").await.map_err(usage)?;
    }
    let ready = store.cases_for_planning("asia", 200).await.map_err(usage)?;
    let ready: Vec<_> =
        ready.into_iter().filter(|c| c.status == nansen_domain::Status::Assigned && c.officer.is_some()).collect();
    let mut done = 0;
    for case in &ready {
        let Some(login) = case.officer.clone() else { continue };
        let officer = officer_agent(store, login.as_str()).await?;
        let number = case.number.to_string();
        let needs = match done {
            0 if case.applicant.sex == nansen_domain::Sex::Female => InterviewNeeds {
                officer_sex: Some(nansen_domain::Sex::Female),
                interpreter_sex: Some(nansen_domain::Sex::Female),
                grounds: "Violences sexuelles subies lors de la détention ; la demandeuse l'a écrit à l'Office.".into(),
                vulnerable: true,
                heard_with: vec![],
            },
            0 => continue,
            1 => InterviewNeeds { vulnerable: true, grounds: String::new(), ..InterviewNeeds::default() },
            2 => {
                // A couple: another case of the same officer, heard the same half-day (the
                // officer holds two interviews a half-day for it).
                let Some(other) = ready.iter().find(|o| o.number != case.number && o.officer == case.officer) else {
                    continue;
                };
                planning::profile(office, planner, login.as_str(), "", "2").await.map_err(usage)?;
                InterviewNeeds { heard_with: vec![other.number], ..InterviewNeeds::default() }
            }
            _ => break,
        };
        cases::perform(office, &officer, &number, CaseOp::InterviewNeeds(needs)).await.map_err(usage)?;
        done += 1;
    }
    Ok(())
}
