//! The interview's sound recording (workspace `cases`; enregistrement sonore de l'entretien).
//! Every interview is recorded; the officer who held it files the audio, judged by its content
//! (WAV, MP3, Ogg, M4A: headers only, streamed to a staging file while hashed) and stored under
//! its SHA-256 like scans. It is never in the file's list of documents nor in the applicant's
//! space; it is heard, for an appeal, only after a rejection or a grant of subsidiary protection
//! (`listen_recording` in `recordings.cedar`), and every listening is journaled like any read.

use nansen_authz::Action as Act;
use nansen_docs::inspect::{StagedAudio, Stager};
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_domain::documents::{ContentHash, Document, DocumentKind, NewDocument, Origin};
use nansen_domain::lifecycle::{Command, Event};

use crate::actor::Agent;
use crate::letters::date_fr;
use crate::target::{case_attrs, case_op, load, load_target, predict, CaseTarget};
use crate::{Office, OfficeError};

/// The largest recording accepted: a long interview in WAV at 16 kHz is under 700 MB.
pub const MAX_RECORDING_BYTES: u64 = 1 << 30;
/// The longest recording accepted: no interview lasts a working day.
pub const MAX_RECORDING_MS: u64 = 8 * 3600 * 1000;

/// A staging file for a recording.
pub fn stager(office: &Office) -> Result<Stager, OfficeError> {
    Stager::for_audio(office.staging_dir(), MAX_RECORDING_BYTES)
        .map_err(|e| OfficeError::Internal(format!("staging directory: {e}")))
}

/// Before a byte of the upload is read: may this agent file the case's recording (whoever may
/// record the interview)? A refusal is journaled.
pub async fn may_file(office: &Office, agent: &Agent, number: &str) -> Result<(), OfficeError> {
    let case = load(office, number).await?;
    let resource = nansen_authz::Resource::Case(case_attrs(&case, office));
    office.ask_quietly(agent, Act::RecordInterview, &resource, &format!("case:{}", case.number)).await
}

/// Files a staged recording into the case, once the interview was held: checked by the domain
/// first, then stored, then committed with the authorization.
pub async fn file(
    office: &Office,
    agent: &Agent,
    number: &str,
    staged: StagedAudio,
    file_name: String,
) -> Result<Document, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let applied = office
        .act(agent, Act::RecordInterview, &resource, &subject, async || {
            let now = office.now();
            let Some(held_on) = case.interviewed_on else {
                return Err(OfficeError::field("recording", "a recording is filed once the interview was held"));
            };
            let minutes = staged.info.duration_ms.map(|ms| ms.div_ceil(60_000));
            let description = match minutes {
                Some(m) => format!("Enregistrement de l'entretien du {} ({m} min)", date_fr(held_on)),
                None => format!("Enregistrement de l'entretien du {}", date_fr(held_on)),
            };
            let document = NewDocument {
                sha256: ContentHash::parse(&staged.sha256_hex()).map_err(OfficeError::Domain)?,
                media_type: staged.info.format.as_mime().to_owned(),
                size: staged.size,
                pages: 0,
                kind: DocumentKind::InterviewRecording,
                language: None,
                received_on: held_on,
                description,
                file_name,
                origin: Origin::Scan,
                active_content: Vec::new(),
            };
            let command = Command::AttachDocuments { documents: vec![document] };
            predict(office, &agent.login, now, case.clone(), std::slice::from_ref(&command))?;
            office
                .documents()
                .put_file(&StoreHash(staged.sha256), staged.path())
                .await
                .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
            Ok(vec![case_op(agent, now, case.number, command)])
        })
        .await?;
    applied
        .into_iter()
        .flat_map(|a| a.events)
        .find_map(|e| match e {
            Event::DocumentsAttached { mut documents, .. } => documents.pop(),
            _ => None,
        })
        .ok_or_else(|| OfficeError::Internal("the writer returned no document".into()))
}
