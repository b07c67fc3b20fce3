//! A research request (demande de recherche): an officer's question on a country of origin,
//! answered by the research division with cited passages and reviewed by a second research
//! assistant before it goes back; the answer, stripped of what identifies the applicant, then
//! joins the library as a research note.
//!
//! An aggregate of its own, journaled under `research:<id>`: `decide` checks a command against
//! the request as it stands, `evolve` applies the event.

use serde::{Deserialize, Serialize};
use time::Date;

pub use crate::citation::{Citation, QUOTE_MAX};
use crate::error::DomainError;
use crate::ids::{CaseNumber, Login, Nationality};
use crate::serde_dates;

/// The longest question or statement of facts (characters).
pub const QUESTION_MAX: usize = 4_000;
/// The longest answer (characters).
pub const ANSWER_MAX: usize = 40_000;

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    #[default]
    New,
    /// In the research division's queue.
    Asked,
    /// A research assistant works on it.
    Taken,
    /// Answered, waiting for a second research assistant's review.
    Answered,
    /// Reviewed and sent back to the officer; the note joins the library.
    Published,
    /// Withdrawn by the officer before an answer.
    Withdrawn,
}

/// What an officer asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The case the question bears on (its file stays out of the research division's sight).
    pub case: CaseNumber,
    pub question: String,
    /// The facts stated by the applicant that the question bears on, as the officer words them.
    pub facts: String,
    pub countries: Vec<Nationality>,
    /// Codes of the library's taxonomy (checked by the office against it): the published note
    /// is filed under them.
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(with = "serde_dates::date")]
    pub needed_by: Date,
}

/// The research division's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub text: String,
    pub citations: Vec<Citation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResearchRequest {
    pub id: Option<String>,
    pub status: RequestStatus,
    pub asked_by: Option<Login>,
    pub question: Option<Question>,
    pub taken_by: Option<Login>,
    pub answer: Option<Answer>,
    pub answered_by: Option<Login>,
    pub reviewed_by: Option<Login>,
    /// The reviewer's remarks when the answer went back to its author.
    pub remarks: Option<String>,
    /// The research note the published answer became in the library.
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default, with = "serde_dates::date::option")]
    pub asked_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum RequestCommand {
    Ask {
        id: String,
        question: Question,
    },
    Take,
    /// The answer with its citations, each already checked against its version's passages.
    Answer(Answer),
    /// The second research assistant's review: approved (published, `note` naming the research
    /// note added to the library in the same commit) or sent back with remarks.
    Review {
        approve: bool,
        remarks: String,
        #[serde(default)]
        note: Option<String>,
    },
    Withdraw,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RequestEvent {
    Asked {
        id: String,
        by: Login,
        question: Question,
        /// The office's date when it was asked.
        #[serde(default, with = "serde_dates::date::option")]
        on: Option<Date>,
    },
    Taken {
        by: Login,
    },
    Answered {
        by: Login,
        answer: Answer,
    },
    SentBack {
        by: Login,
        remarks: String,
    },
    Published {
        by: Login,
        #[serde(default)]
        note: Option<String>,
    },
    Withdrawn {
        by: Login,
    },
}

impl RequestEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            RequestEvent::Asked { .. } => "research.asked",
            RequestEvent::Taken { .. } => "research.taken",
            RequestEvent::Answered { .. } => "research.answered",
            RequestEvent::SentBack { .. } => "research.sent_back",
            RequestEvent::Published { .. } => "research.published",
            RequestEvent::Withdrawn { .. } => "research.withdrawn",
        }
    }
}

fn text(field: &'static str, s: &str, max: usize) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DomainError::validation(field, "this cannot be empty"));
    }
    if s.chars().count() > max {
        return Err(DomainError::validation(field, format!("at most {max} characters")));
    }
    Ok(s.to_owned())
}

impl ResearchRequest {
    /// `actor` is who acts; `today` the office's date. Who may act at all is Cedar's to say; this
    /// checks what the request itself allows (the reviewer is not the author, only the one who
    /// took a request answers it).
    pub fn decide(
        &self,
        command: &RequestCommand,
        actor: &Login,
        today: Date,
    ) -> Result<Vec<RequestEvent>, DomainError> {
        use RequestStatus as S;
        let wrong = |what: &str| {
            Err(DomainError::validation("request", format!("{what}: the request is {}", self.status.describe())))
        };
        match command {
            RequestCommand::Ask { id, question } => {
                if self.status != S::New {
                    return Err(DomainError::AlreadyDone("the request was asked already"));
                }
                let mut q = question.clone();
                q.question = text("question", &q.question, QUESTION_MAX)?;
                q.facts = text("facts", &q.facts, QUESTION_MAX)?;
                q.countries.sort();
                q.countries.dedup();
                if q.countries.is_empty() {
                    return Err(DomainError::validation("countries", "name at least one country"));
                }
                q.topics.retain(|t| !t.trim().is_empty());
                q.topics.sort();
                q.topics.dedup();
                if q.topics.is_empty() {
                    return Err(DomainError::validation("topics", "name at least one topic"));
                }
                if q.needed_by < today {
                    return Err(DomainError::validation("needed_by", "a date from today on"));
                }
                Ok(vec![RequestEvent::Asked { id: id.clone(), by: actor.clone(), question: q, on: Some(today) }])
            }
            RequestCommand::Take => match self.status {
                S::Asked => Ok(vec![RequestEvent::Taken { by: actor.clone() }]),
                _ => wrong("only a request in the queue can be taken"),
            },
            RequestCommand::Answer(answer) => {
                if self.status != S::Taken {
                    return wrong("only a request taken can be answered");
                }
                if self.taken_by.as_ref() != Some(actor) {
                    return Err(DomainError::validation(
                        "request",
                        "only the research assistant who took it answers it",
                    ));
                }
                let text = text("answer", &answer.text, ANSWER_MAX)?;
                if answer.citations.is_empty() {
                    return Err(DomainError::validation("citations", "an answer cites at least one passage"));
                }
                Ok(vec![RequestEvent::Answered {
                    by: actor.clone(),
                    answer: Answer { text, citations: answer.citations.clone() },
                }])
            }
            RequestCommand::Review { approve, remarks, note } => {
                if self.status != S::Answered {
                    return wrong("only an answered request can be reviewed");
                }
                if self.answered_by.as_ref() == Some(actor) {
                    return Err(DomainError::validation("request", "another research assistant reviews the answer"));
                }
                if *approve {
                    Ok(vec![RequestEvent::Published { by: actor.clone(), note: note.clone() }])
                } else {
                    let remarks = text("remarks", remarks, QUESTION_MAX)?;
                    Ok(vec![RequestEvent::SentBack { by: actor.clone(), remarks }])
                }
            }
            RequestCommand::Withdraw => match self.status {
                S::Asked | S::Taken if self.asked_by.as_ref() == Some(actor) => {
                    Ok(vec![RequestEvent::Withdrawn { by: actor.clone() }])
                }
                S::Asked | S::Taken => {
                    Err(DomainError::validation("request", "only the officer who asked withdraws the request"))
                }
                _ => wrong("an answered request cannot be withdrawn"),
            },
        }
    }

    pub fn evolve(mut self, event: &RequestEvent) -> ResearchRequest {
        match event {
            RequestEvent::Asked { id, by, question, on } => {
                self.id = Some(id.clone());
                self.asked_on = *on;
                self.asked_by = Some(by.clone());
                self.question = Some(question.clone());
                self.status = RequestStatus::Asked;
            }
            RequestEvent::Taken { by } => {
                self.taken_by = Some(by.clone());
                self.status = RequestStatus::Taken;
            }
            RequestEvent::Answered { by, answer } => {
                self.answered_by = Some(by.clone());
                self.answer = Some(answer.clone());
                self.remarks = None;
                self.status = RequestStatus::Answered;
            }
            RequestEvent::SentBack { remarks, .. } => {
                self.remarks = Some(remarks.clone());
                self.status = RequestStatus::Taken;
            }
            RequestEvent::Published { by, note } => {
                self.reviewed_by = Some(by.clone());
                self.note = note.clone();
                self.status = RequestStatus::Published;
            }
            RequestEvent::Withdrawn { .. } => self.status = RequestStatus::Withdrawn,
        }
        self
    }
}

impl RequestStatus {
    /// The status's code, as the read table and the API say it.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::New => "new",
            RequestStatus::Asked => "asked",
            RequestStatus::Taken => "taken",
            RequestStatus::Answered => "answered",
            RequestStatus::Published => "published",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            RequestStatus::New => "not asked yet",
            RequestStatus::Asked => "in the research division's queue",
            RequestStatus::Taken => "being researched",
            RequestStatus::Answered => "answered, waiting for review",
            RequestStatus::Published => "answered and published",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }
}

/// The answer as it joins the library: every word that is one of the applicant's names (in any
/// spelling or script, by its key) and the case number replaced by `[…]`.
pub fn anonymised(answer: &str, names: &[&str], case: &CaseNumber) -> String {
    let keys: std::collections::BTreeSet<String> =
        names.iter().flat_map(|n| crate::names::keys_of(n)).filter(|k| k.len() >= 2).collect();
    let number = case.to_string();
    let mut out = String::with_capacity(answer.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let key = crate::names::key(&crate::names::latin_of(word));
            if word.as_str() == number || keys.contains(&key) {
                out.push_str("[…]");
            } else {
                out.push_str(word);
            }
            word.clear();
        }
    };
    for c in answer.chars() {
        if c.is_alphanumeric() || c == '-' && word.chars().all(|w| w.is_ascii_digit()) && !word.is_empty() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// The language a note is filed under, guessed from its words (ISO 639-3: `ara`, `fra`, `eng`):
/// mostly Arabic letters, or more of French's commonest words than of English's.
pub fn language_of(text: &str) -> &'static str {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let arabic = text.chars().filter(|c| ('\u{0600}'..='\u{06FF}').contains(c)).count();
    if letters > 0 && arabic * 2 > letters {
        return "ara";
    }
    let (mut fr, mut en) = (0, 0);
    for w in text.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase) {
        match w.as_str() {
            "le" | "la" | "les" | "des" | "est" | "une" | "dans" | "sont" | "pour" | "qui" | "du" => fr += 1,
            "the" | "is" | "are" | "of" | "and" | "in" | "which" | "for" | "was" | "were" | "to" => en += 1,
            _ => {}
        }
    }
    if fr > en {
        "fra"
    } else {
        "eng"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::ContentHash;
    use time::macros::date;

    fn login(s: &str) -> Login {
        Login::parse(s).expect("login")
    }

    fn question() -> Question {
        Question {
            case: CaseNumber::parse("2026-0000123").expect("number"),
            question: "Are Hazara returnees stopped at checkpoints on the Kabul–Ghazni road?".into(),
            facts: "The applicant says he was stopped twice in 2025.".into(),
            countries: vec![Nationality::parse("AFG").expect("code")],
            topics: vec!["security.checkpoints".into()],
            needed_by: date!(2026 - 12 - 20),
        }
    }

    fn hash() -> ContentHash {
        ContentHash::parse(&"ab".repeat(32)).expect("hash")
    }

    fn run(commands: &[(&str, RequestCommand)]) -> Result<ResearchRequest, DomainError> {
        let mut r = ResearchRequest::default();
        for (who, c) in commands {
            for e in r.decide(c, &login(who), date!(2026 - 12 - 03))? {
                r = r.evolve(&e);
            }
        }
        Ok(r)
    }

    fn answer() -> RequestCommand {
        RequestCommand::Answer(Answer {
            text: "Yes: see the report.".into(),
            citations: vec![Citation {
                document: "coi-1".into(),
                version: hash(),
                passage: 2,
                quote: "checkpoints".into(),
            }],
        })
    }

    #[test]
    fn asked_taken_answered_reviewed_by_another_then_published() {
        let ask = RequestCommand::Ask { id: "RR-1".into(), question: question() };
        let r = run(&[
            ("opi.karimi", ask.clone()),
            ("rech.dupont", RequestCommand::Take),
            ("rech.dupont", answer()),
            (
                "rech.martin",
                RequestCommand::Review { approve: false, remarks: "Cite the 2026 update.".into(), note: None },
            ),
            ("rech.dupont", answer()),
            ("rech.martin", RequestCommand::Review { approve: true, remarks: String::new(), note: None }),
        ])
        .expect("published");
        assert_eq!(r.status, RequestStatus::Published);
        assert_eq!(r.reviewed_by, Some(login("rech.martin")));
        let own_review = run(&[
            ("opi.karimi", ask.clone()),
            ("rech.dupont", RequestCommand::Take),
            ("rech.dupont", answer()),
            ("rech.dupont", RequestCommand::Review { approve: true, remarks: String::new(), note: None }),
        ]);
        assert!(own_review.is_err(), "the author does not review their own answer");
        let other_answers =
            run(&[("opi.karimi", ask.clone()), ("rech.dupont", RequestCommand::Take), ("rech.martin", answer())]);
        assert!(other_answers.is_err());
    }

    #[test]
    fn bad_questions_and_answers_are_refused_by_field() {
        let mut q = question();
        q.question = "   ".into();
        let err = run(&[("opi.karimi", RequestCommand::Ask { id: "RR-1".into(), question: q })]).expect_err("empty");
        assert!(matches!(err, DomainError::Validation { field: "question", .. }), "{err}");
        let mut q = question();
        q.countries.clear();
        let err = run(&[("opi.karimi", RequestCommand::Ask { id: "RR-1".into(), question: q })]).expect_err("none");
        assert!(matches!(err, DomainError::Validation { field: "countries", .. }), "{err}");
        let mut q = question();
        q.needed_by = date!(2026 - 12 - 01);
        let err = run(&[("opi.karimi", RequestCommand::Ask { id: "RR-1".into(), question: q })]).expect_err("past");
        assert!(matches!(err, DomainError::Validation { field: "needed_by", .. }), "{err}");
        let uncited = RequestCommand::Answer(Answer { text: "Yes.".into(), citations: vec![] });
        let err = run(&[
            ("opi.karimi", RequestCommand::Ask { id: "RR-1".into(), question: question() }),
            ("rech.dupont", RequestCommand::Take),
            ("rech.dupont", uncited),
        ])
        .expect_err("uncited");
        assert!(matches!(err, DomainError::Validation { field: "citations", .. }), "{err}");
    }

    #[test]
    fn a_citation_names_a_passage_that_exists_and_says_what_is_quoted() {
        let passages = vec!["Introduction.".to_owned(), "Checkpoints are frequent on the road.".to_owned()];
        let c = Citation {
            document: "coi-1".into(),
            version: hash(),
            passage: 2,
            quote: "checkpoints are frequent".into(),
        };
        assert!(c.check(Some(&passages)).is_ok());
        assert!(c.check(None).is_err(), "no such version");
        let beyond = Citation { passage: 3, ..c.clone() };
        assert!(beyond.check(Some(&passages)).expect_err("beyond").to_string().contains("no passage 3"));
        let zero = Citation { passage: 0, ..c.clone() };
        assert!(zero.check(Some(&passages)).is_err());
        let misquoted = Citation { quote: "checkpoints are rare".into(), ..c };
        assert!(misquoted.check(Some(&passages)).is_err());
    }

    #[test]
    fn a_note_is_filed_under_the_language_it_is_written_in() {
        assert_eq!(language_of("Les retours sont contrôlés par les talibans dans la province."), "fra");
        assert_eq!(language_of("Returnees are stopped at checkpoints in the province."), "eng");
        assert_eq!(language_of("يتم توقيف العائدين عند نقاط التفتيش"), "ara");
    }

    #[test]
    fn the_published_note_names_neither_the_applicant_nor_the_case() {
        let case = CaseNumber::parse("2026-0000123").expect("number");
        let text = "Mr Ahmadi (case 2026-0000123), whose brother Mohammad Ahmady was detained, fears the Taliban. \
                    Le requérant احمدی craint les talibans.";
        let note = anonymised(text, &["Ahmadi", "احمدی", "Mohammad"], &case);
        assert!(!note.contains("Ahmadi") && !note.contains("Ahmady") && !note.contains("احمدی"), "{note}");
        assert!(!note.contains("2026-0000123") && !note.contains("Mohammad"), "{note}");
        assert!(note.contains("fears the Taliban") && note.contains("craint les talibans"), "{note}");
    }
}
