//! The demo's research requests, asked and answered through the office as officers and research
//! assistants do: some in the queue, one being researched, one answered and waiting for a
//! second research assistant's review, and some published, their notes in the library.

use nansen_office::research::{AskForm, RequestStep};
use nansen_office::{Agent, Office, Principal, Role};
use nansen_store::{CaseFilter, Store};
use time::{Date, Duration};

use crate::CliError;

/// Questions on Afghanistan and Syria: (country, topic, question, facts).
const QUESTIONS: [(&str, &str, &str, &str); 5] = [
    (
        "AFG",
        "security.checkpoints",
        "Are returnees from Iran stopped and searched at checkpoints on the roads out of Herat?",
        "The applicant says he was stopped twice at a checkpoint on the road to Kabul after his return and that his phone was searched.",
    ),
    (
        "AFG",
        "security.checkpoints",
        "Les autorités de fait contrôlent-elles les téléphones aux points de contrôle de Kaboul ?",
        "Le demandeur déclare avoir été arrêté à un point de contrôle où son téléphone a été fouillé.",
    ),
    (
        "SYR",
        "security.checkpoints",
        "How frequent are checkpoints around Homs for men of military age?",
        "The applicant states that he avoided the checkpoints around Homs for fear of conscription.",
    ),
    (
        "AFG",
        "security.checkpoints",
        "Is there reporting on checkpoints in Kandahar in the last two years?",
        "The applicant lived near Kandahar until last year and describes frequent controls.",
    ),
    (
        "SYR",
        "security.checkpoints",
        "Are people returning to Aleppo questioned at checkpoints?",
        "The applicant's brother was questioned on his return to Aleppo.",
    ),
];

fn agent(login: &str, name: &str, role: Role, division: Option<&str>, section: Option<u8>) -> Result<Agent, CliError> {
    let l = nansen_domain::Login::parse(login).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(Agent {
        principal: Principal { login: l.to_string(), role, division: division.map(str::to_owned), section },
        login: l,
        display_name: name.to_owned(),
    })
}

/// Asks and answers the demo's requests; returns how many are open and how many published.
pub async fn requests(store: &Store, office: &Office, today: Date) -> Result<(usize, usize), CliError> {
    let officer = agent("opi.karimi", "Darius Karimi", Role::ProtectionOfficer, Some("asia"), Some(1))?;
    let leroy = agent("didr.leroy", "Antoine Leroy", Role::ResearchAssistant, None, None)?;
    let nguyen = agent("didr.nguyen", "Thi Nguyen", Role::ResearchAssistant, None, None)?;
    let fail = |what: &str, e: nansen_office::OfficeError| CliError::Usage(format!("demo research, {what}: {e}"));
    let filter = CaseFilter { officer: Some("opi.karimi".into()), limit: 500, ..CaseFilter::default() };
    let open = ["assigned", "interview_scheduled", "interviewed", "decision_drafted", "returned_to_officer"];
    let cases: Vec<String> = store
        .list_cases(&filter)
        .await?
        .into_iter()
        .filter(|c| open.contains(&c.status.as_str()))
        .map(|c| c.number)
        .collect();
    if cases.len() < QUESTIONS.len() {
        return Ok((0, 0));
    }
    // Needed from the office's today on, whatever date the demo is made for.
    let today = today.max(office.today());
    let mut ids = Vec::new();
    for (i, (country, topic, question, facts)) in QUESTIONS.iter().enumerate() {
        let form = AskForm {
            question: (*question).into(),
            facts: (*facts).into(),
            countries: vec![(*country).into()],
            topics: vec![(*topic).into()],
            needed_by: Some(today + Duration::days(10 + 3 * i as i64)),
        };
        let id = nansen_office::research::requests::ask(office, &officer, &cases[i], form)
            .await
            .map_err(|e| fail("ask", e))?;
        ids.push((id, *country));
    }
    // The first two stay in the queue; the third is being researched; the fourth is answered
    // and waits for a review; the fifth is published.
    nansen_office::research::requests::act(office, &leroy, &ids[2].0, RequestStep::Take)
        .await
        .map_err(|e| fail("take", e))?;
    for (id, country) in &ids[3..] {
        nansen_office::research::requests::act(office, &leroy, id, RequestStep::Take)
            .await
            .map_err(|e| fail("take", e))?;
        let citations = citations(store, country).await?;
        let answer = RequestStep::Answer {
            text: format!(
                "The sources consulted report regular checkpoints in {country_name}, where documents and phones \
                 are checked; returnees are more often questioned. See the cited passages.",
                country_name = if *country == "AFG" { "Afghanistan" } else { "Syria" }
            ),
            citations,
        };
        nansen_office::research::requests::act(office, &leroy, id, answer).await.map_err(|e| fail("answer", e))?;
    }
    let (last, _) = &ids[4];
    nansen_office::research::requests::act(
        office,
        &nguyen,
        last,
        RequestStep::Review { approve: true, remarks: String::new() },
    )
    .await
    .map_err(|e| fail("review", e))?;
    Ok((3, 1))
}

/// Two passages of the country's first report, quoted by their first words.
async fn citations(store: &Store, country: &str) -> Result<String, CliError> {
    let documents = store.library_for_index(0, 1000).await?;
    let mut lines = Vec::new();
    let report = documents.iter().find(|d| {
        d.document.countries.iter().any(|c| c == country)
            && d.document.kind == "report"
            && d.document.replaced_by.is_none()
            && d.passages.len() >= 2
    });
    if let Some(d) = report {
        for (n, text) in d.passages.iter().enumerate().take(2) {
            let quote: Vec<&str> = text.split_whitespace().take(8).collect();
            lines.push(format!("{}#{} {}", d.document.id, n + 1, quote.join(" ")));
        }
    }
    Ok(lines.join("\n"))
}
