//! The agency's letters to a household (courriers): the refused offer, the orientation's
//! proposal, the notice that opens the ending of the reception conditions and its decision.
//! Each is printed when its step is taken, in French (the authentic text) with a translation in
//! the household's language when it is one of the portal's six, stored by its hash before the
//! commit that files it with the step; the agent and the applicant's secure space read it back.

use nansen_docs::objects::ContentHash as StoreHash;
use nansen_docs::print::{
    Addressee, ConditionsEndingDecision, ConditionsEndingNotice, ContestDecision, Letter, LetterHead, OfferRefusal,
    OrientationProposal, Salutation, Translation, Translations,
};
use nansen_domain::documents::ContentHash;
use nansen_domain::person::Sex;
use nansen_domain::reception::{
    letter_called_for, EndingGround, Household, HouseholdCommand, HouseholdEvent, HouseholdLetter, HouseholdLetterKind,
    Proposal, Reason, ReceptionRules,
};
use time::OffsetDateTime;

use crate::letters::{date_fr, numeric};
use crate::{Office, OfficeError};

/// The letter `command` calls for, printed and stored, as the command that files it; `None`
/// when the step calls for no letter. The household's domain decides first (its error is the
/// step's own), so nothing is stored for a step that would be refused.
pub async fn letter_for(
    office: &Office,
    household: &Household,
    command: &HouseholdCommand,
    signer: &str,
    now: OffsetDateTime,
) -> Result<Option<HouseholdCommand>, OfficeError> {
    let events = household.decide(command, ReceptionRules::embedded(), now.date())?;
    let Some(kind) = letter_called_for(&events) else {
        return Ok(None);
    };
    let after = events.iter().fold(household.clone(), Household::evolve);
    let (letter, translation) = compose(&after, &events, kind, signer, now)?;
    let pdf = office.printer().render(&letter).map_err(|e| OfficeError::Internal(format!("printing: {e}")))?;
    let hash = StoreHash::of(&pdf);
    let size = pdf.len() as u64;
    office
        .documents()
        .put_bytes(&hash, pdf.into())
        .await
        .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    Ok(Some(HouseholdCommand::FileLetter(HouseholdLetter {
        kind,
        sha256: ContentHash::parse(&hash.to_hex()).map_err(OfficeError::Domain)?,
        size,
        issued_on: now.date(),
        translation,
    })))
}

/// The letter's facts, in French and in the household's language.
fn compose(
    h: &Household,
    events: &[HouseholdEvent],
    kind: HouseholdLetterKind,
    signer: &str,
    now: OffsetDateTime,
) -> Result<(Letter, Option<String>), OfficeError> {
    let catalog = Translations::embedded().map_err(|e| OfficeError::Internal(format!("translations: {e}")))?;
    let code = h.language.as_ref().map(|l| l.as_str().to_owned()).unwrap_or_default();
    let theirs = Translations::pick(&code).filter(|l| *l != "fr");
    let language = language_fr(&code);
    let head = head(h, now);
    let translate = |key: &str, args: &[(&str, &str)], extra: Vec<String>| -> Option<Translation> {
        let lang = theirs?;
        let mut paragraphs = catalog.paragraphs(lang, key, args)?;
        let at = 1.min(paragraphs.len());
        paragraphs.splice(at..at, extra);
        Some(Translation {
            language: Translations::french_name(lang).to_owned(),
            code: lang.to_owned(),
            rtl: Translations::rtl(lang),
            addressee: original_name(h),
            paragraphs,
        })
    };
    let letter = match kind {
        HouseholdLetterKind::OfferRefusal => {
            let signed_on = h.offer.as_ref().map_or(now.date(), |o| o.signed_on);
            let translation = translate("offer_refusal", &[("signed_on", &numeric(signed_on))], Vec::new());
            Letter::OfferRefusal(OfferRefusal { head, signed_on: date_fr(signed_on), language, translation })
        }
        HouseholdLetterKind::OrientationProposal => {
            let p = events
                .iter()
                .find_map(|e| match e {
                    HouseholdEvent::OrientationProposed(p) => Some(p),
                    _ => None,
                })
                .ok_or_else(|| OfficeError::Internal("a proposal's letter without its proposal".into()))?;
            let place = place(p);
            let persons = p.persons.to_string();
            let reasons_theirs = theirs
                .map(|lang| p.reasons.iter().map(|r| format!("• {}", reason(catalog, lang, r))).collect())
                .unwrap_or_default();
            let translation = translate(
                "orientation_proposal",
                &[
                    ("structure", &p.structure_name),
                    ("place", &place),
                    ("persons", &persons),
                    ("contest_by", &numeric(p.contest_by)),
                    ("reach_by", &numeric(p.reach_by)),
                ],
                reasons_theirs,
            );
            Letter::OrientationProposal(OrientationProposal {
                head,
                structure: p.structure_name.clone(),
                place,
                kind: place_kind_fr(p),
                persons,
                reasons: p.reasons.iter().map(|r| reason(catalog, "fr", r)).collect(),
                contest_by: date_fr(p.contest_by),
                reach_by: date_fr(p.reach_by),
                language,
                translation,
            })
        }
        HouseholdLetterKind::ContestDecision => {
            let p = h.proposals.last().ok_or_else(|| OfficeError::Internal("a contest without its proposal".into()))?;
            let c = p.contest.as_ref().ok_or_else(|| OfficeError::Internal("a decision without its contest".into()))?;
            let d = c.decision.as_ref().ok_or_else(|| OfficeError::Internal("a contest's letter undecided".into()))?;
            let place = place(p);
            let reach_by = (!d.upheld).then_some(p.reach_by);
            let key = if d.upheld { "contest_decision_upheld" } else { "contest_decision_rejected" };
            let translation = translate(
                key,
                &[
                    ("contested_on", &numeric(c.on)),
                    ("structure", &p.structure_name),
                    ("place", &place),
                    ("reach_by", &reach_by.map(numeric).unwrap_or_default()),
                ],
                Vec::new(),
            );
            Letter::ContestDecision(ContestDecision {
                head,
                structure: p.structure_name.clone(),
                place,
                contested_on: date_fr(c.on),
                upheld: d.upheld,
                reasons: d.reasons.clone(),
                reach_by: reach_by.map(date_fr),
                signed_by: signed_by(signer),
                signed_on: date_fr(d.on),
                language,
                translation,
            })
        }
        HouseholdLetterKind::ConditionsEndingNotice => {
            let e = h.endings.last().ok_or_else(|| OfficeError::Internal("a notice without its procedure".into()))?;
            let p = h.proposals.last();
            let facts = match (e.ground, p) {
                (EndingGround::RefusedOrientation, Some(p)) => format!(
                    "Le {}, l'Agence vous a proposé une place d'hébergement à {} ({}). Le {}, vous avez refusé \
                     cette orientation.",
                    date_fr(p.on),
                    p.structure_name,
                    place(p),
                    date_fr(e.opened_on)
                ),
                (EndingGround::DidNotReach, Some(p)) => format!(
                    "Le {}, l'Agence vous a proposé une place d'hébergement à {} ({}), que vous deviez rejoindre au \
                     plus tard le {}. Vous ne vous y êtes pas présenté(e) dans ce délai.",
                    date_fr(p.on),
                    p.structure_name,
                    place(p),
                    date_fr(p.reach_by)
                ),
                _ => String::new(),
            };
            let ground_theirs = theirs.and_then(|l| catalog.message(l, ground_key(e.ground), &[])).unwrap_or_default();
            let translation = translate(
                "conditions_ending_notice",
                &[("ground", &ground_theirs), ("observations_by", &numeric(e.observations_by))],
                Vec::new(),
            );
            Letter::ConditionsEndingNotice(ConditionsEndingNotice {
                head,
                ground: ground_fr(catalog, e.ground),
                facts,
                observations_by: date_fr(e.observations_by),
                language,
                translation,
            })
        }
        HouseholdLetterKind::ConditionsEndingDecision => {
            let e = h.endings.last().ok_or_else(|| OfficeError::Internal("a decision without its procedure".into()))?;
            let d = e.decision.as_ref().ok_or_else(|| OfficeError::Internal("a decision's letter undecided".into()))?;
            let ground_theirs = theirs.and_then(|l| catalog.message(l, ground_key(e.ground), &[])).unwrap_or_default();
            let (key, court_by) = if d.end {
                ("conditions_ending_decision_ended", Some(d.court_by))
            } else {
                ("conditions_ending_decision_maintained", None)
            };
            let translation = translate(
                key,
                &[
                    ("ground", &ground_theirs),
                    ("signed_on", &numeric(d.on)),
                    ("court_by", &court_by.map(numeric).unwrap_or_default()),
                ],
                Vec::new(),
            );
            let observations = Some(match &e.observations {
                Some(o) => format!("Vos observations, reçues le {}, ont été examinées.", date_fr(o.on)),
                None => format!(
                    "Vous n'avez pas présenté d'observations dans le délai qui vous était imparti, qui expirait le {}.",
                    date_fr(e.observations_by)
                ),
            });
            Letter::ConditionsEndingDecision(ConditionsEndingDecision {
                head,
                outcome: if d.end {
                    "Il est mis fin à vos conditions matérielles d'accueil (hébergement et allocation pour \
                     demandeur d'asile)."
                        .to_owned()
                } else {
                    "Vos conditions matérielles d'accueil sont maintenues.".to_owned()
                },
                ground: ground_fr(catalog, e.ground),
                observations,
                reasons: d.reasons.clone(),
                vulnerability_weighed: d.vulnerability_weighed.clone(),
                signed_by: signed_by(signer),
                signed_on: date_fr(d.on),
                court_by: court_by.map(date_fr),
                language,
                translation,
            })
        }
    };
    let translation = match &letter {
        Letter::OfferRefusal(l) => l.translation.as_ref(),
        Letter::OrientationProposal(l) => l.translation.as_ref(),
        Letter::ConditionsEndingNotice(l) => l.translation.as_ref(),
        Letter::ConditionsEndingDecision(l) => l.translation.as_ref(),
        Letter::ContestDecision(l) => l.translation.as_ref(),
        _ => None,
    }
    .map(|t| t.code.clone());
    Ok((letter, translation))
}

/// The letter's head: the household's number as the reference, its head as the addressee at
/// the address where letters reach it, the agency's regional direction as the service.
fn head(h: &Household, now: OffsetDateTime) -> LetterHead {
    let member = h.head();
    let name =
        member.map(|m| format!("{} {}", m.given_names.latin, m.family_name.latin.to_uppercase())).unwrap_or_default();
    let region =
        ReceptionRules::embedded().region(&h.region).map(|r| r.name.clone()).unwrap_or_else(|| h.region.clone());
    LetterHead {
        case_number: h.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
        issued_on: date_fr(now.date()),
        issued_at: now,
        addressee: Addressee {
            name,
            lines: h.address.split(',').map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
            salutation: match member.map(|m| m.sex) {
                Some(Sex::Female) => Salutation::Madam,
                Some(Sex::Male) => Salutation::Sir,
                _ => Salutation::Neutral,
            },
        },
        service: format!("Direction territoriale — {region}"),
    }
}

/// Who signs a decision: the director who took it.
fn signed_by(signer: &str) -> String {
    format!("{signer}, directeur(trice) territorial(e)")
}

/// The head's name in its own script, when it is not the Latin one.
fn original_name(h: &Household) -> Option<String> {
    let m = h.head()?;
    let original = format!("{} {}", m.family_name.original, m.given_names.original);
    let latin = format!("{} {}", m.family_name.latin, m.given_names.latin);
    (original.trim() != latin.trim() && !original.trim().is_empty()).then(|| original.trim().to_owned())
}

fn place(p: &Proposal) -> String {
    let region =
        ReceptionRules::embedded().region(&p.region).map(|r| r.name.clone()).unwrap_or_else(|| p.region.clone());
    if p.department.is_empty() {
        region
    } else {
        format!("{region} — département {}", p.department)
    }
}

fn place_kind_fr(p: &Proposal) -> String {
    match p.kind.as_str() {
        "family" => "place familiale",
        "accessible" => "place accessible aux personnes à mobilité réduite",
        _ => "place pour personne seule",
    }
    .to_owned()
}

fn ground_key(ground: EndingGround) -> &'static str {
    match ground {
        EndingGround::RefusedOrientation => "conditions-ground-refused-orientation",
        EndingGround::DidNotReach => "conditions-ground-did-not-reach",
    }
}

fn ground_fr(catalog: &Translations, ground: EndingGround) -> String {
    catalog.message("fr", ground_key(ground), &[]).unwrap_or_else(|| ground.as_str().to_owned())
}

/// The letters' language for a household's language code ("fr" when it is none of the portal's
/// six), and whether it is written right to left.
pub fn letters_language(code: &str) -> (&'static str, bool) {
    let lang = Translations::pick(code).unwrap_or("fr");
    (lang, Translations::rtl(lang))
}

/// A reason of a proposal in one of the letters' languages, as the letter words it.
pub fn reason_in(lang: &str, r: &Reason) -> String {
    match Translations::embedded() {
        Ok(catalog) => reason(catalog, lang, r),
        Err(_) => r.code().to_owned(),
    }
}

/// A reason of a proposal in `lang` (`orientation-reason-<code>` of the letters' catalog).
fn reason(catalog: &Translations, lang: &str, r: &Reason) -> String {
    let key = format!("orientation-reason-{}", r.code());
    let tenths = |permille: u32| format!("{:.1}", f64::from(permille) / 10.0);
    let formatted = match r {
        Reason::RegionAboveShare { region, demand_permille, share_permille } => catalog.message(
            lang,
            &key,
            &[("region", region), ("demand", &tenths(*demand_permille)), ("share", &tenths(*share_permille))],
        ),
        Reason::Together { persons } => catalog.message(lang, &key, &[("persons", &persons.to_string())]),
        Reason::Distance { km } => catalog.message(lang, &key, &[("km", &km.to_string())]),
        Reason::RegionBelowShare { region } => catalog.message(lang, &key, &[("region", region)]),
        _ => catalog.message(lang, &key, &[]),
    };
    formatted.unwrap_or(key)
}

/// The French name of a household's language for the letters (its code when unknown).
fn language_fr(code: &str) -> String {
    match Translations::pick(code) {
        Some(lang) => Translations::french_name(lang).to_owned(),
        None => crate::letters::language_name_fr(code),
    }
}

/// A letter's bytes, streamed from the document store.
pub struct LetterBytes {
    /// e.g. `H-2026-000042-2-orientation_proposal.pdf`.
    pub file_name: String,
    pub size: u64,
    pub stream: futures_util::stream::BoxStream<'static, Result<bytes::Bytes, nansen_docs::objects::ObjectError>>,
}

async fn bytes(office: &Office, h: &Household, n: usize) -> Result<LetterBytes, OfficeError> {
    let letter = h.letters.get(n).ok_or_else(|| OfficeError::NotFound("letter".into()))?;
    let hash: StoreHash =
        letter.sha256.as_str().parse().map_err(|_| OfficeError::Internal("a stored hash does not parse".into()))?;
    let (size, stream) =
        office.documents().get(&hash).await.map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    let id = h.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
    Ok(LetterBytes { file_name: format!("{id}-{}-{}.pdf", n + 1, letter.kind.as_str()), size, stream })
}

/// The `n`th letter (from 0) of a household, for an agent who may read the household; every
/// reading is journaled.
pub async fn read(
    office: &Office,
    agent: &crate::actor::Agent,
    id: &str,
    n: usize,
) -> Result<LetterBytes, OfficeError> {
    let (household, resource, subject) = super::load_household(office, id).await?;
    office.ask(agent, &[nansen_authz::Action::ReadHousehold], &resource, &format!("{subject}:letter:{n}")).await?;
    bytes(office, &household, n).await
}

/// A letter of the agency as the applicant's secure space lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PortalLetter {
    pub household: String,
    /// Its place among the household's letters, from 0 (the link's).
    pub n: usize,
    pub letter: HouseholdLetter,
}

/// The agency's letters to the households of the applicant's case, newest first. Nothing else
/// of the household is shown.
pub async fn of_case(office: &Office, case: &str) -> Result<Vec<PortalLetter>, OfficeError> {
    let mut out = Vec::new();
    for h in office.store().households_of_case(case).await? {
        let household = h.id.as_ref().map(|i| i.to_string()).unwrap_or_default();
        for (n, letter) in h.letters.iter().enumerate() {
            out.push(PortalLetter { household: household.clone(), n, letter: letter.clone() });
        }
    }
    out.sort_by(|a, b| b.letter.issued_on.cmp(&a.letter.issued_on).then(b.n.cmp(&a.n)));
    Ok(out)
}

/// One of those letters, for the applicant signed in to the case; a household of another case
/// is simply not found. Every opening is journaled.
pub async fn open_for_applicant(
    office: &Office,
    applicant: &crate::actor::Applicant,
    household: &str,
    n: usize,
) -> Result<LetterBytes, OfficeError> {
    let case = applicant.case.to_string();
    let found = office
        .store()
        .households_of_case(&case)
        .await?
        .into_iter()
        .find(|h| h.id.as_ref().is_some_and(|i| i.as_str() == household) && n < h.letters.len());
    let Some(h) = found else {
        let subject = format!("portal:{case}");
        office
            .journal(&applicant.login(), &subject, "portal.reception_letter_not_found", serde_json::json!({}))
            .await?;
        return Err(OfficeError::NotFound("letter".into()));
    };
    office
        .journal(
            &applicant.login(),
            &format!("household:{household}:letter:{n}"),
            "portal.reception_letter_read",
            serde_json::json!({ "case": case }),
        )
        .await?;
    bytes(office, &h, n).await
}
