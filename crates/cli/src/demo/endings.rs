//! The demo's ends of protection: for four protected people with civil-status acts, a procedure
//! at each stage — a letter awaiting the answer, a draft awaiting a section head's signature
//! after an answer from the secure space, a renunciation that ended the protection (its acts
//! carry the mention, its follow-ups are closed), and a cessation considered and the protection
//! maintained. Through the domain and with the office's letters, like real ones.

use nansen_domain::lifecycle::{Case, Command};
use nansen_domain::protection::{ending, EndingGround};
use nansen_domain::{CaseNumber, Login};
use nansen_office::protection::ending::{decision_letter, notice_letter};
use nansen_office::Office;
use nansen_store::{RegisterQuery, Store};
use time::{Duration, OffsetDateTime};

use super::civil::apply;
use super::staff::Staff;
use crate::CliError;

/// Each scenario: the ground, the facts, days ago it opened, whether the person answers from
/// their space, and how far it goes (0 open, 1 drafted, 2 signed).
const SCENARIOS: [(EndingGround, &str, i64, bool, u8, bool); 4] = [
    (
        EndingGround::Cessation,
        "Selon les informations transmises par la préfecture, vous avez effectué trois séjours dans votre pays \
         d'origine en 2026 sous couvert d'un passeport national délivré par ses autorités, ce qui peut \
         traduire que vous vous êtes volontairement réclamé(e) à nouveau de leur protection.",
        10,
        false,
        0,
        true,
    ),
    (
        EndingGround::Fraud,
        "L'acte de naissance produit à l'appui de votre demande a été déclaré apocryphe par les autorités \
         qui l'auraient délivré, et l'identité sous laquelle vous avez été protégé(e) diffère de celle \
         figurant dans un visa délivré en 2019.",
        45,
        true,
        1,
        true,
    ),
    (
        EndingGround::Renunciation,
        "Par un courrier reçu le mois dernier, vous avez déclaré renoncer au bénéfice de la protection \
         qui vous a été accordée, après avoir acquis une autre nationalité.",
        60,
        false,
        2,
        true,
    ),
    (
        EndingGround::Cessation,
        "Les autorités de votre pays d'origine vous ont délivré un passeport en 2025, ce qui peut \
         traduire que vous vous êtes réclamé(e) à nouveau de leur protection.",
        75,
        true,
        2,
        false,
    ),
];

const REASONS_END: &str =
    "Il ressort des pièces du dossier que la personne s'est volontairement réclamée à nouveau de \
     la protection des autorités de son pays ou a renoncé à la protection de l'office ; ses observations, \
     le cas échéant, n'apportent aucun élément de nature à remettre en cause ce constat. Il y a lieu de \
     mettre fin à la protection.";
const REASONS_KEEP: &str = "Les observations de la personne établissent que le passeport a été obtenu par \
     l'intermédiaire d'un tiers, sans démarche personnelle auprès des autorités, pour faire face à une \
     urgence familiale ; ce seul fait ne traduit pas une volonté de se réclamer à nouveau de leur \
     protection. La protection est maintenue.";

/// Runs the scenarios on the first protected people of the register; returns how many.
pub async fn procedures(store: &Store, office: &Office, today: time::Date) -> Result<usize, CliError> {
    let staff = Staff::demo();
    let lines = store.register(&RegisterQuery::default(), 200).await?;
    // The register's first person keeps the demo's portal account for copies: not them.
    let kept = lines.first().map(|l| l.case_number.clone());
    let mut numbers: Vec<String> =
        lines.into_iter().map(|l| l.case_number).filter(|n| Some(n) != kept.as_ref()).collect();
    numbers.sort();
    numbers.dedup();
    let mut done = 0;
    for number in &numbers {
        let Some(scenario) = SCENARIOS.get(done) else { break };
        let Ok(number) = CaseNumber::parse(number) else { continue };
        let Some(case) = store.case(&number).await? else { continue };
        let officer = case.officer.as_ref().and_then(|o| staff.with_role("protection_officer").find(|a| a.login == *o));
        let (Some(officer), true) = (officer, case.protection_final()) else { continue };
        let Some(head) = staff.head_of(officer) else { continue };
        if run(store, office, case, &officer.login, &head.login, scenario, today).await? {
            done += 1;
        }
    }
    Ok(done)
}

async fn run(
    store: &Store,
    office: &Office,
    mut case: Case,
    officer: &Login,
    head: &Login,
    (ground, facts, ago, answers, depth, ends): &(EndingGround, &str, i64, bool, u8, bool),
    today: time::Date,
) -> Result<bool, CliError> {
    let at = |days: i64| {
        (today - Duration::days(days)).with_hms(10, 0, 0).map(|t| t.assume_utc()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    };
    let opened = at(*ago);
    let Ok(answer_due) = ending::check_opening(&case.endings, facts, opened.date(), office.rules()) else {
        return Ok(false);
    };
    let letter = notice_letter(office, &case, *ground, facts, answer_due, opened).await.map_err(usage)?;
    let reference = super::reference_for(case.number, "ending-letter", case.documents.len());
    let open = Command::OpenEnding { ground: *ground, facts: (*facts).to_owned(), letter, reference };
    if !apply(store, office, officer, &mut case, open, opened).await? {
        return Ok(false);
    }
    if *answers {
        let answered = opened + Duration::days(12);
        let text = "Je conteste les faits : je ne suis retourné(e) dans mon pays que pour l'enterrement de mon \
                    père, et j'y suis resté(e) caché(e). Je joins l'acte de décès par courrier.";
        let login = nansen_office::actor::applicant_login(case.number);
        let command = Command::RecordEndingAnswer { received_on: answered.date(), text: text.into(), via_portal: true };
        apply(store, office, &login, &mut case, command, answered).await?;
    }
    if *depth >= 1 {
        let drafted = opened + Duration::days(35);
        let reasons = if *ends { REASONS_END } else { REASONS_KEEP };
        let command = Command::DraftEnding { ends: *ends, reasons: reasons.into() };
        apply(store, office, officer, &mut case, command, drafted).await?;
    }
    if *depth >= 2 {
        let signed = opened + Duration::days(40);
        let Some(open) = case.open_ending().cloned() else { return Ok(true) };
        let letter = decision_letter(office, &case, &open, head, signed).await.map_err(usage)?;
        let reference = super::reference_for(case.number, "ending-decision", case.documents.len());
        apply(store, office, head, &mut case, Command::SignEnding { letter, reference }, signed).await?;
    }
    Ok(true)
}

fn usage(e: nansen_office::OfficeError) -> CliError {
    CliError::Usage(format!("demo end of protection: {e}"))
}
