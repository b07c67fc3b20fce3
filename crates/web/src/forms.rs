//! HTML forms: their fields as submitted (kept to show them again on an error, so that nothing
//! typed is lost) and their parsing into the commands the service layer takes.

use std::collections::HashMap;

use nansen_domain::application::{AcceleratedGround, ApplicationKind, Procedure};
use nansen_domain::decision::{
    ConventionGround, DecisionDraft, InadmissibilityGround, Outcome, RefugeeBasis, SubsidiaryBasis,
};
use nansen_domain::ids::{CaseNumber, Language, Nationality};
use nansen_domain::lifecycle::{InterviewMode, InterviewNeeds, InterviewRecord, QuestionAnswer, Registration};
use nansen_domain::person::{BirthDate, FamilyRole, Name, Person, Sex};
use serde::Deserialize;
use time::Date;

use crate::WebError;
use nansen_office::cases::CaseOp;

/// A submitted form, field by field, in order (a field may repeat: check boxes).
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pairs: Vec<(String, String)>,
}

impl FormData {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        FormData { pairs }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().trim().to_owned()
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The values to show again in the form.
    pub fn values(&self) -> HashMap<String, String> {
        let mut m = HashMap::new();
        for (k, v) in &self.pairs {
            if k == "password" || k == "csrf" {
                continue;
            }
            m.entry(k.clone())
                .and_modify(|e: &mut String| {
                    e.push('\u{1f}');
                    e.push_str(v)
                })
                .or_insert_with(|| v.clone());
        }
        m
    }
}

pub fn date(field: &str, value: &str) -> Result<Date, WebError> {
    Date::parse(value.trim(), time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| WebError::field(field, "a date as YYYY-MM-DD"))
}

fn required<'a>(form: &'a FormData, field: &str, message: &str) -> Result<&'a str, WebError> {
    form.get(field).map(str::trim).filter(|v| !v.is_empty()).ok_or_else(|| WebError::field(field, message))
}

/// How many question/answer rows a part of the interview record form shows.
pub fn rows(form: &FormData, part: &str) -> usize {
    form.get(&format!("{part}_rows")).and_then(|n| n.parse().ok()).unwrap_or(3).clamp(1, 200)
}

fn entries(form: &FormData, part: &str) -> Result<Vec<QuestionAnswer>, WebError> {
    let mut out = Vec::new();
    for i in 0..rows(form, part) {
        let q = form.text(&format!("{part}_q{i}"));
        let a = form.text(&format!("{part}_a{i}"));
        match (q.is_empty(), a.is_empty()) {
            (true, true) => {}
            (false, false) => out.push(QuestionAnswer { question: q, answer: a }),
            (true, false) => return Err(WebError::field(format!("{part}_q{i}"), "write the question of this answer")),
            (false, true) => return Err(WebError::field(format!("{part}_a{i}"), "write the answer to this question")),
        }
    }
    Ok(out)
}

/// The interview record form: a date and two parts of question/answer rows.
pub fn record(form: &FormData) -> Result<CaseOp, WebError> {
    let held_on = date("held_on", required(form, "held_on", "the day the interview was held")?)?;
    let record = InterviewRecord { civil_status: entries(form, "cs")?, fears: entries(form, "fe")? };
    Ok(CaseOp::RecordInterview { held_on, record })
}

pub fn schedule(form: &FormData) -> Result<CaseOp, WebError> {
    let on = date("on", required(form, "on", "the day of the interview")?)?;
    let mode = match form.get("mode") {
        Some("video_link") => InterviewMode::VideoLink,
        Some("in_person") => InterviewMode::InPerson,
        _ => return Err(WebError::field("mode", "in person or by video link")),
    };
    Ok(CaseOp::Schedule {
        on,
        mode,
        place: form.get("place").map(str::to_owned),
        interpreter: form.get("interpreter").map(str::to_owned),
    })
}

fn sex_wanted(form: &FormData, field: &str) -> Result<Option<Sex>, WebError> {
    match form.get(field).map(str::trim).unwrap_or_default() {
        "" => Ok(None),
        "female" => Ok(Some(Sex::Female)),
        "male" => Ok(Some(Sex::Male)),
        _ => Err(WebError::field(field, "a woman, a man, or no request")),
    }
}

/// Case numbers typed one per line or separated by commas or spaces.
pub fn case_numbers(field: &str, text: &str) -> Result<Vec<CaseNumber>, WebError> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| CaseNumber::parse(t).map_err(|_| WebError::field(field, format!("{t:?} is not a case number"))))
        .collect()
}

/// The interview needs form: the sex of officer and interpreter asked for, the grounds, the
/// vulnerability, the cases heard together.
pub fn needs(form: &FormData) -> Result<CaseOp, WebError> {
    Ok(CaseOp::InterviewNeeds(InterviewNeeds {
        officer_sex: sex_wanted(form, "officer_sex")?,
        interpreter_sex: sex_wanted(form, "interpreter_sex")?,
        grounds: form.text("grounds"),
        vulnerable: form.get("vulnerable").is_some(),
        heard_with: case_numbers("heard_with", &form.text("heard_with"))?,
    }))
}

/// The absence form: the day, excused or not, why.
pub fn absence(form: &FormData) -> Result<CaseOp, WebError> {
    let on = date("on", required(form, "on", "the day of the interview missed")?)?;
    let excused = match form.get("excused") {
        Some("yes") => true,
        Some("no") => false,
        _ => return Err(WebError::field("excused", "say whether the absence is excused")),
    };
    Ok(CaseOp::Absence { on, excused, reason: form.text("reason") })
}

/// The decision draft form: the outcome and its legal basis, the reasons in fact and in law.
pub fn draft(form: &FormData) -> Result<DecisionDraft, WebError> {
    let outcome = match form.get("outcome").unwrap_or_default() {
        "refugee_status" => {
            let basis = match form.get("refugee_basis").unwrap_or("convention") {
                "constitutional" => RefugeeBasis::Constitutional,
                "mandate" => RefugeeBasis::Mandate,
                _ => RefugeeBasis::Convention,
            };
            let grounds = form
                .all("ground")
                .into_iter()
                .map(|g| match g {
                    "race" => Ok(ConventionGround::Race),
                    "religion" => Ok(ConventionGround::Religion),
                    "nationality" => Ok(ConventionGround::Nationality),
                    "social_group" => Ok(ConventionGround::SocialGroup),
                    "political_opinion" => Ok(ConventionGround::PoliticalOpinion),
                    _ => Err(WebError::field("grounds", "unknown ground")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Outcome::RefugeeStatus { basis, grounds }
        }
        "subsidiary_protection" => Outcome::SubsidiaryProtection {
            basis: match form.get("subsidiary_basis").unwrap_or_default() {
                "death_penalty" => SubsidiaryBasis::DeathPenalty,
                "torture" => SubsidiaryBasis::Torture,
                "indiscriminate_violence" => SubsidiaryBasis::IndiscriminateViolence,
                _ => return Err(WebError::field("subsidiary_basis", "choose the basis of subsidiary protection")),
            },
        },
        "stateless" => Outcome::Stateless,
        "rejection" => Outcome::Rejection,
        "inadmissibility" => Outcome::Inadmissibility(match form.get("inadmissibility").unwrap_or_default() {
            "safe_third_country" => InadmissibilityGround::SafeThirdCountry,
            "re_examination_without_new_elements" => InadmissibilityGround::ReExaminationWithoutNewElements,
            _ => InadmissibilityGround::ProtectionInOtherMemberState,
        }),
        _ => return Err(WebError::field("outcome", "choose the outcome")),
    };
    // The sources are written as citation lines, which the office pins and checks.
    Ok(DecisionDraft {
        outcome,
        exclusion: None,
        facts: form.text("facts"),
        law: form.text("law"),
        sources: Vec::new(),
    })
}

/// The registration form of an application.
/// A registration form. The workbench's form sends its completeness checklist (`checklist=1`,
/// the items received as `present`, anything else missing one per line in `missing`); the API
/// sends `missing` as is (checklist ids or free text).
pub fn registration(
    form: &FormData,
    rules: &nansen_domain::rules::Rules,
    checklist: &nansen_domain::documents::Checklist,
) -> Result<Registration, WebError> {
    let kind = match form.get("kind") {
        Some("asylum") => ApplicationKind::Asylum,
        Some("re_examination") => ApplicationKind::ReExamination,
        Some("statelessness") => ApplicationKind::Statelessness,
        _ => return Err(WebError::field("kind", "choose the kind of application")),
    };
    let procedure = match form.get("procedure").unwrap_or_default() {
        "normal" => Procedure::Normal,
        "detention" => Procedure::Detention,
        "border" => Procedure::Border,
        other => match other.strip_prefix("accelerated:") {
            Some(g) => Procedure::Accelerated(
                accelerated(g).ok_or_else(|| WebError::field("procedure", "choose the procedure"))?,
            ),
            None => return Err(WebError::field("procedure", "choose the procedure")),
        },
    };
    let nationality = Nationality::parse(&form.text("nationality").to_ascii_uppercase())
        .ok()
        .filter(|n| rules.nationality(*n).is_some())
        .ok_or_else(|| WebError::field("nationality", "choose a nationality from the list"))?;
    let language = Language::parse(&form.text("language"))
        .map_err(|_| WebError::field("language", "an ISO 639 language code in lower case, like ar or prs"))?;
    let family_latin = required(form, "family_latin", "the family name in Latin letters")?.to_owned();
    let given_latin = form.text("given_latin");
    let family_original =
        Some(form.text("family_original")).filter(|s| !s.is_empty()).unwrap_or_else(|| family_latin.clone());
    let given_original =
        Some(form.text("given_original")).filter(|s| !s.is_empty()).unwrap_or_else(|| given_latin.clone());
    let birth = form.text("birth_date");
    let birth_date = if birth.is_empty() {
        BirthDate::Unknown
    } else if birth.len() == 4 {
        BirthDate::Year(birth.parse().map_err(|_| WebError::field("birth_date", "a date as YYYY-MM-DD, or a year"))?)
    } else {
        BirthDate::Exact(
            date("birth_date", &birth).map_err(|_| WebError::field("birth_date", "a date as YYYY-MM-DD, or a year"))?,
        )
    };
    let sex = match form.get("sex") {
        Some("female") => Sex::Female,
        Some("male") => Sex::Male,
        _ => Sex::Unspecified,
    };
    let introduced_on = date("introduced_on", required(form, "introduced_on", "the day the application was lodged")?)?;
    let other: Vec<String> =
        form.text("missing").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let missing =
        if form.get("checklist").is_some() { checklist.missing(kind, &form.all("present"), &other) } else { other };
    Ok(Registration {
        number: CaseNumber::PLACEHOLDER,
        kind,
        procedure,
        nationality,
        language,
        applicant: Person {
            role: FamilyRole::Applicant,
            family_name: Name::new(family_original, family_latin),
            given_names: Name::new(given_original, given_latin),
            birth_date,
            sex,
            nationality,
            birth_place: Some(form.text("birth_place")).filter(|s| !s.is_empty()),
        },
        family: vec![],
        introduced_on,
        missing,
    })
}

fn accelerated(g: &str) -> Option<AcceleratedGround> {
    Some(match g {
        "safe_country_of_origin" => AcceleratedGround::SafeCountryOfOrigin,
        "admissible_re_examination" => AcceleratedGround::AdmissibleReExamination,
        "refused_fingerprints" => AcceleratedGround::RefusedFingerprints,
        "false_documents" => AcceleratedGround::FalseDocuments,
        "late_application" => AcceleratedGround::LateApplication,
        "defeat_removal" => AcceleratedGround::DefeatRemoval,
        "public_order_threat" => AcceleratedGround::PublicOrderThreat,
        _ => return None,
    })
}

/// The language switch: only the workbench's languages.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}
