//! Research requests (demandes de recherche): an officer asks from the case page, after seeing
//! what the library and earlier answers already say; a research assistant takes the request,
//! sees the question and the facts stated in it (never the case file: no policy gives the
//! research division any action on a case), answers with cited passages, and another research
//! assistant reviews; the published answer, stripped of the applicant's names and the case
//! number, joins the library as a research note in the same commit.

use nansen_authz::{Action as Act, Resource};
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_domain::documents::ContentHash;
use nansen_domain::ids::Nationality;
use nansen_domain::planning::languages::LanguageCode;
use nansen_domain::research::{
    anonymised, document_id, language_of, Answer, DocumentType, LibraryEntry, NewLibraryDocument, Question,
    RequestCommand, RequestStatus, ResearchRequest,
};
use nansen_store::{Action, Op, ResearchRequestRow};
use time::Date;

use super::cite::CitationView;
use super::library::{self, LibraryHit, LibraryQuery};
use crate::target::load_target;
use crate::{Agent, Office, OfficeError};

/// The journal subject of the queue's reads.
const QUEUE: &str = "research";

/// The most requests a section of the queue lists.
const QUEUE_LIMIT: i64 = 100;

/// A question as the edges parse it (codes as typed; the office checks them).
#[derive(Debug, Clone, Default)]
pub struct AskForm {
    pub question: String,
    pub facts: String,
    pub countries: Vec<String>,
    pub topics: Vec<String>,
    pub needed_by: Option<Date>,
}

/// Asks the research division a question about a case; returns the request's id.
pub async fn ask(office: &Office, agent: &Agent, number: &str, form: AskForm) -> Result<String, OfficeError> {
    let target = load_target(office, number).await?;
    let case = target.case.number;
    let applied = office
        .act(agent, Act::AskResearch, &target.resource, &target.subject, async || {
            let question = question_of(office, case, form)?;
            Ok(vec![Op {
                actor: agent.login.clone(),
                now: office.now(),
                action: Action::Research {
                    id: String::new(),
                    command: RequestCommand::Ask { id: String::new(), question },
                    note: None,
                },
            }])
        })
        .await?;
    Ok(applied.first().and_then(|a| a.subject.strip_prefix("research:")).unwrap_or_default().to_owned())
}

fn question_of(office: &Office, case: nansen_domain::ids::CaseNumber, form: AskForm) -> Result<Question, OfficeError> {
    let mut countries = Vec::new();
    for c in form.countries.iter().filter(|c| !c.trim().is_empty()) {
        let code = Nationality::parse(c.trim())
            .map_err(|_| OfficeError::field("countries", format!("{c:?} is not a country code")))?;
        if office.rules().nationality(code).is_none() {
            return Err(OfficeError::field("countries", format!("{c} is not a country the office knows")));
        }
        countries.push(code);
    }
    let topics: Vec<String> = form.topics.into_iter().filter(|t| !t.trim().is_empty()).collect();
    if let Some(unknown) = topics.iter().find(|t| office.library().topics().get(t).is_none()) {
        return Err(OfficeError::field("topics", format!("{unknown:?} is not in the taxonomy")));
    }
    let needed_by =
        form.needed_by.ok_or_else(|| OfficeError::field("needed_by", "the date the answer is needed by"))?;
    Ok(Question { case, question: form.question, facts: form.facts, countries, topics, needed_by })
}

/// What the library and the earlier answers (research notes) already say on a question: its
/// words, any of them, about any of its countries, best first.
pub async fn already_answered(office: &Office, agent: &Agent, form: &AskForm) -> Result<Vec<LibraryHit>, OfficeError> {
    let words: Vec<String> = form
        .question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .filter(|w| {
            ![
                "about", "which", "what", "when", "where", "there", "their", "with", "from", "dans", "pour", "quels",
                "quelles", "sont", "est-ce",
            ]
            .contains(&w.as_str())
        })
        .take(12)
        .collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let query = LibraryQuery {
        q: words.join(" OR "),
        countries: form.countries.iter().filter(|c| !c.trim().is_empty()).cloned().collect(),
        limit: 8,
        ..LibraryQuery::default()
    };
    Ok(library::search(office, agent, &query).await?.hits)
}

/// One request as the queue and the case page list it: never the case number, which only the
/// case's readers see on the request's page.
#[derive(Debug, Clone)]
pub struct RequestLine {
    pub id: String,
    pub status: RequestStatus,
    pub asked_by: String,
    pub taken_by: Option<String>,
    pub answered_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub needed_by: String,
    pub asked_at: String,
    pub countries: Vec<String>,
    pub question: String,
    pub note: Option<String>,
    /// Sent back by the reviewer, waiting for its author.
    pub sent_back: bool,
}

impl RequestLine {
    fn of(row: &ResearchRequestRow) -> RequestLine {
        RequestLine {
            id: row.id.clone(),
            status: row.status,
            asked_by: row.asked_by.clone(),
            taken_by: row.taken_by.clone(),
            answered_by: row.answered_by.clone(),
            reviewed_by: row.reviewed_by.clone(),
            needed_by: row.needed_by.clone(),
            asked_at: row.asked_at.clone(),
            countries: row.countries.clone(),
            question: row.request.question.as_ref().map(|q| q.question.clone()).unwrap_or_default(),
            note: row.note.clone(),
            sent_back: row.request.remarks.is_some() && row.status == RequestStatus::Taken,
        }
    }
}

/// The research division's queue, as one research assistant sees it.
#[derive(Debug, Clone, Default)]
pub struct Queue {
    /// Waiting to be taken, the most urgent first.
    pub to_take: Vec<RequestLine>,
    /// Taken by this research assistant (sent back ones among them), to answer.
    pub mine: Vec<RequestLine>,
    /// Answered by a colleague, waiting for a review.
    pub to_review: Vec<RequestLine>,
    /// Answered by this research assistant, waiting for a colleague's review.
    pub in_review: Vec<RequestLine>,
    /// Taken by colleagues.
    pub others: Vec<RequestLine>,
    /// Published last.
    pub published: Vec<RequestLine>,
}

/// The queue; the read is authorized and journaled.
pub async fn queue(office: &Office, agent: &Agent) -> Result<Queue, OfficeError> {
    office.ask(agent, &[Act::ReadResearchQueue], &Resource::Office, QUEUE).await?;
    let me = agent.login.as_str();
    let store = office.store();
    let open =
        store.research_requests(&[RequestStatus::Asked, RequestStatus::Taken, RequestStatus::Answered], 1000).await?;
    let mut queue = Queue::default();
    for row in &open {
        let line = RequestLine::of(row);
        match row.status {
            RequestStatus::Asked => queue.to_take.push(line),
            RequestStatus::Taken if row.taken_by.as_deref() == Some(me) => queue.mine.push(line),
            RequestStatus::Taken => queue.others.push(line),
            RequestStatus::Answered if row.answered_by.as_deref() == Some(me) => queue.in_review.push(line),
            RequestStatus::Answered => queue.to_review.push(line),
            _ => {}
        }
    }
    for list in [&mut queue.to_take, &mut queue.mine, &mut queue.to_review, &mut queue.in_review, &mut queue.others] {
        list.truncate(QUEUE_LIMIT as usize);
    }
    queue.published =
        store.research_requests(&[RequestStatus::Published], 20).await?.iter().map(RequestLine::of).collect();
    Ok(queue)
}

/// The requests asked about a case, for the case page (whose read authorized and journaled it):
/// for whoever examines the case.
pub async fn of_case(office: &Office, number: &str) -> Result<Vec<RequestLine>, OfficeError> {
    Ok(office.store().research_requests_of_case(number).await?.iter().map(RequestLine::of).collect())
}

/// A request as one agent may see it.
#[derive(Debug, Clone)]
pub struct RequestView {
    pub line: RequestLine,
    /// The case number, for the case's readers only (never the research division).
    pub case: Option<String>,
    pub facts: String,
    pub topics: Vec<String>,
    pub answer: Option<String>,
    pub citations: Vec<CitationView>,
    pub remarks: Option<String>,
    pub may_take: bool,
    pub may_answer: bool,
    pub may_review: bool,
    pub may_withdraw: bool,
}

/// One request: for the research division (without the case number), or for whoever may read
/// the case; the read is authorized and journaled under `research:<id>`.
pub async fn request(office: &Office, agent: &Agent, id: &str) -> Result<RequestView, OfficeError> {
    let row = office.store().research_request(id).await?;
    let subject = format!("research:{id}");
    let researcher = office.may(agent, Act::ReadResearchQueue, &Resource::Office);
    let Some(row) = row else {
        // Journaled as a read of nothing, so that probing for ids is on record.
        office.ask(agent, &[Act::ReadResearchQueue], &Resource::Office, &subject).await?;
        return Err(OfficeError::NotFound(format!("research request {id}")));
    };
    let (case, may_answer, may_withdraw) = if researcher {
        let answers =
            office.ask(agent, &[Act::ReadResearchQueue, Act::AnswerResearch], &Resource::Office, &subject).await?;
        (None, answers.allowed(1), false)
    } else {
        let target = load_target(office, &row.case_number).await?;
        let answers = office.ask(agent, &[Act::ReadCase, Act::AskResearch], &target.resource, &subject).await?;
        (Some(row.case_number.clone()), false, answers.allowed(1))
    };
    let me = agent.login.as_str();
    let r = &row.request;
    let status = row.status;
    let question = r.question.clone();
    let citations = match &r.answer {
        Some(answer) => super::cite::views(office, answer.citations.iter()).await?,
        None => Vec::new(),
    };
    Ok(RequestView {
        line: RequestLine::of(&row),
        case,
        facts: question.as_ref().map(|q| q.facts.clone()).unwrap_or_default(),
        topics: question.as_ref().map(|q| q.topics.clone()).unwrap_or_default(),
        answer: r.answer.as_ref().map(|a| a.text.clone()),
        citations,
        remarks: r.remarks.clone(),
        may_take: may_answer && status == RequestStatus::Asked,
        may_answer: may_answer && status == RequestStatus::Taken && row.taken_by.as_deref() == Some(me),
        may_review: may_answer && status == RequestStatus::Answered && row.answered_by.as_deref() != Some(me),
        may_withdraw: may_withdraw
            && matches!(status, RequestStatus::Asked | RequestStatus::Taken)
            && row.asked_by == me,
    })
}

/// A step on a request, as the edges parse it.
#[derive(Debug, Clone)]
pub enum RequestStep {
    Take,
    /// The answer and its citations, one per line: `coi-…#3 the words quoted`.
    Answer {
        text: String,
        citations: String,
    },
    Review {
        approve: bool,
        remarks: String,
    },
    Withdraw,
}

/// Takes a step on a request. An approved review publishes the answer: its research note is
/// written, stored and added to the library in the commit that publishes it.
pub async fn act(office: &Office, agent: &Agent, id: &str, step: RequestStep) -> Result<(), OfficeError> {
    let subject = format!("research:{id}");
    let row = office.store().research_request(id).await?;
    if let RequestStep::Withdraw = step {
        let row = row.ok_or_else(|| OfficeError::NotFound(format!("research request {id}")))?;
        let target = load_target(office, &row.case_number).await?;
        office
            .act(agent, Act::AskResearch, &target.resource, &subject, async || {
                Ok(vec![research_op(office, agent, id, RequestCommand::Withdraw, None)])
            })
            .await?;
        return Ok(());
    }
    let published = matches!(step, RequestStep::Review { approve: true, .. });
    office
        .act(agent, Act::AnswerResearch, &Resource::Office, &subject, async || {
            let row = row.ok_or_else(|| OfficeError::NotFound(format!("research request {id}")))?;
            let (command, note) = match step {
                RequestStep::Take => (RequestCommand::Take, None),
                RequestStep::Answer { text, citations } => {
                    let citations = super::cite::citations(office, "citations", &citations)
                        .await?
                        .into_iter()
                        .map(|(c, _)| c)
                        .collect();
                    (RequestCommand::Answer(Answer { text, citations }), None)
                }
                RequestStep::Review { approve: false, remarks } => {
                    (RequestCommand::Review { approve: false, remarks, note: None }, None)
                }
                RequestStep::Review { approve: true, remarks } => {
                    // Refused as the writer would refuse it, before a note is written and stored.
                    let probe = RequestCommand::Review { approve: true, remarks: remarks.clone(), note: None };
                    row.request.decide(&probe, &agent.login, office.today())?;
                    let entry = note_of(office, &row.request).await?;
                    let note = Some(entry.document.id.clone());
                    (RequestCommand::Review { approve: true, remarks, note }, Some(Box::new(entry)))
                }
                RequestStep::Withdraw => return Err(OfficeError::Internal("a withdrawal is the officer's".into())),
            };
            Ok(vec![research_op(office, agent, id, command, note)])
        })
        .await?;
    if published {
        if let Err(e) = library::catch_up(office).await {
            tracing::warn!(error = %e, "the library index will catch up on the next search");
        }
    }
    Ok(())
}

fn research_op(
    office: &Office,
    agent: &Agent,
    id: &str,
    command: RequestCommand,
    note: Option<Box<LibraryEntry>>,
) -> Op {
    Op { actor: agent.login.clone(), now: office.now(), action: Action::Research { id: id.to_owned(), command, note } }
}

/// The research note a published answer becomes: the question and the answer with the
/// applicant's names (every spelling, every member of the family) and the case number replaced,
/// and its sources; stored by SHA-256 before the commit.
async fn note_of(office: &Office, request: &ResearchRequest) -> Result<LibraryEntry, OfficeError> {
    let (Some(id), Some(question), Some(answer)) = (&request.id, &request.question, &request.answer) else {
        return Err(OfficeError::field("request", "only an answered request is published"));
    };
    let case = crate::target::load(office, &question.case.to_string()).await?;
    let mut names: Vec<String> = Vec::new();
    for p in std::iter::once(&case.applicant).chain(case.family.iter()) {
        for n in [&p.family_name, &p.given_names] {
            names.push(n.original.clone());
            names.push(n.latin.clone());
        }
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let clean = |s: &str| anonymised(s, &names, &question.case);
    let mut ids: Vec<String> = answer.citations.iter().map(|c| c.document.clone()).collect();
    ids.sort();
    ids.dedup();
    let documents = office.store().library_documents_by_id(&ids).await?;
    let mut text = format!("{}\n\n{}\n\n", clean(&question.question), clean(&answer.text));
    for c in &answer.citations {
        let title = documents.iter().find(|d| d.id == c.document).map(|d| d.title.as_str()).unwrap_or("");
        text.push_str(&format!("{title} ({}, passage {}): « {} »\n\n", c.document, c.passage, c.quote));
    }
    let text = text.trim_end().to_owned();
    let title: String = format!("{id} — {}", clean(&question.question)).chars().take(200).collect();
    let bytes = text.clone().into_bytes();
    let hash = StoreHash::of(&bytes);
    let content = ContentHash::parse(&hash.to_hex())?;
    let today = office.today();
    let lib = office.library();
    let document = NewLibraryDocument {
        id: document_id(&content),
        source: "ofpra".into(),
        title,
        kind: DocumentType::ResearchNote,
        language: LanguageCode::parse(language_of(&answer.text)).map_err(crate::error::internal)?,
        countries: question.countries.clone(),
        topics: question.topics.clone(),
        published_on: today,
        added_on: today,
        content,
        replaces: None,
        has_text: true,
    }
    .checked(office.rules(), lib.topics(), &lib.sources().codes())?;
    let size = bytes.len() as u64;
    office
        .documents()
        .put_bytes(&hash, bytes.into())
        .await
        .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    Ok(LibraryEntry::new(document, "text/plain", size, Some(&text)))
}
