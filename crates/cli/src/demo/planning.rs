//! The demo's interview planning: two contracted firms, interpreters for the languages of every
//! nationality the demo draws (two each, a woman and a man, offered every half-day of the next
//! four weeks, the charter signed), the office's booths and video rooms, a few officers away,
//! and next week's interviews of the asia division planned and sent through the office, as a
//! section head does.

use nansen_domain::planning::HalfDay;
use nansen_domain::Login;
use nansen_office::planning::week;
use nansen_office::planning::{self as planning, InterpreterChange, NewFirmForm, NewInterpreterForm, NewRoomForm};
use nansen_office::{Agent, Office, Principal, Role};
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
pub async fn planning(office: &Office, today: Date) -> Result<(usize, usize, usize), CliError> {
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
    let head = agent("cs.chevalier", Role::SectionHead, Some("asia"), Some(2))?;
    let sent = week::send(office, &head, monday).await.map_err(usage)?;
    Ok((count, rooms, sent.sent.len()))
}
