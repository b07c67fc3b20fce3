//! The interview's recording through the office, on both databases: filed only by the officer
//! who held the interview, once held, and only if its content is audio (a PDF renamed `.wav` is
//! refused, nothing stored); heard by nobody before the decision, then, after a rejection, by
//! the officer, the section head and a legal consultant, each listening journaled; never by a
//! secretary or an interpreter.

use nansen_domain::decision::{DecisionDraft, Outcome};
use nansen_domain::lifecycle::{InterviewMode, InterviewRecord, QuestionAnswer};
use nansen_office::accounts::StepUp;
use nansen_office::cases::{self, CaseOp};
use nansen_office::documents::{self, Served};
use nansen_office::recordings;
use nansen_office::testing::{registration, TestOffice, BACKENDS, PASSWORD};
use nansen_office::{OfficeError, Role};

const DIVISION: &str = "europe-middle-east";

/// A real WAV: 2 s of a 440 Hz tone, 8 kHz mono 16-bit PCM.
fn wav() -> Vec<u8> {
    let rate = 8000u32;
    let samples: Vec<i16> = (0..rate * 2)
        .map(|i| ((i as f64 * 440.0 * std::f64::consts::TAU / f64::from(rate)).sin() * 8000.0) as i16)
        .collect();
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

async fn staged(t: &TestOffice, bytes: &[u8]) -> Result<nansen_docs::inspect::StagedAudio, OfficeError> {
    let mut stager = recordings::stager(&t.office)?;
    for chunk in bytes.chunks(4096) {
        stager.write(chunk).await.map_err(|r| documents::refused("recording".into(), &r))?;
    }
    stager.finish_audio(recordings::MAX_RECORDING_MS).await.map_err(|r| documents::refused("recording".into(), &r))
}

#[tokio::test]
async fn a_recording_is_filed_as_audio_and_heard_only_after_a_rejection() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let consultant = t.agent("jur.one", Role::LegalConsultant, None, None).await;
        let interpreter = t.agent("int.one", Role::Interpreter, None, None).await;
        let today = t.now().date();
        let (case, _) = cases::register(&t.office, &secretary, registration(today)).await.expect("registered");
        let n = case.number.to_string();
        cases::perform(&t.office, &head, &n, CaseOp::Assign { officer: "opi.one".into() }).await.expect("assigned");
        let schedule = CaseOp::Schedule {
            on: today,
            mode: InterviewMode::InPerson,
            place: Some("Box 3".into()),
            interpreter: Some("ar".into()),
        };
        cases::perform(&t.office, &officer, &n, schedule).await.expect("scheduled");

        // Before the interview is held, nothing is filed.
        let early = recordings::file(&t.office, &officer, &n, staged(&t, &wav()).await.expect("audio"), "a.wav".into());
        assert!(matches!(early.await, Err(OfficeError::Field { .. })), "{backend:?}: filed once held");

        let qa = |q: &str, a: &str| QuestionAnswer { question: q.into(), answer: a.into() };
        let record = InterviewRecord {
            civil_status: vec![qa("Nom ?", "Haddad")],
            fears: vec![qa("Que craignez-vous ?", "La détention.")],
        };
        cases::perform(&t.office, &officer, &n, CaseOp::RecordInterview { held_on: today, record })
            .await
            .expect("recorded");

        // A PDF is not a recording: refused on its field, nothing stored.
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        let refused = staged(&t, &pdf).await.expect_err("refused");
        assert!(matches!(&refused, OfficeError::Upload { code: "upload_not_audio", .. }), "{backend:?}: {refused:?}");
        // The secretary may not file it.
        let forbidden =
            recordings::file(&t.office, &secretary, &n, staged(&t, &wav()).await.expect("audio"), "a.wav".into()).await;
        assert!(matches!(forbidden, Err(OfficeError::Forbidden { .. })), "{backend:?}");
        let doc =
            recordings::file(&t.office, &officer, &n, staged(&t, &wav()).await.expect("audio"), "entretien.wav".into())
                .await
                .expect("filed");
        assert_eq!(doc.document.media_type, "audio/wav");
        assert!(doc.document.description.contains("(1 min)"), "{}", doc.document.description);

        // Not in the file's list; not heard before the decision, even by the officer.
        let view = cases::read_case(&t.office, &officer, &n).await.expect("read");
        assert!(view.case.documents.iter().all(|d| !d.document.kind.is_recording()), "{backend:?}");
        assert_eq!(view.recordings.len(), 1);
        assert!(!view.can.listen);
        let refused = documents::download(&t.office, &officer, &n, doc.id, Served::Safe).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: not before the decision");

        // Rejected and signed: heard by the officer, the section head and a legal consultant.
        let draft = DecisionDraft {
            outcome: Outcome::Rejection,
            exclusion: None,
            facts: "Le récit reste vague sur les faits essentiels.".into(),
            law: "Convention de Genève, art. 1A2 ; CESEDA L.512-1.".into(),
            sources: Vec::new(),
        };
        cases::perform(&t.office, &officer, &n, CaseOp::Draft { draft, citations: None }).await.expect("drafted");
        cases::perform(&t.office, &officer, &n, CaseOp::Submit).await.expect("submitted");
        cases::perform(&t.office, &head, &n, CaseOp::Sign { proof: StepUp::Password(PASSWORD.into()) })
            .await
            .expect("signed");
        for agent in [&officer, &head, &consultant] {
            let heard = documents::download(&t.office, agent, &n, doc.id, Served::Safe).await.expect("heard");
            assert_eq!(heard.size, wav().len() as u64, "{backend:?}");
        }
        for agent in [&secretary, &interpreter] {
            let refused = documents::download(&t.office, agent, &n, doc.id, Served::Safe).await;
            assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: {:?}", agent.principal.role);
        }
        // Every listening (and every refusal) is journaled as an access to that document.
        let reads = t.entries(&format!("access:case:{n}:document:{}", doc.id)).await;
        let allowed = reads.iter().filter(|e| e.kind == "authorization.allow").count();
        let denied = reads.iter().filter(|e| e.kind == "authorization.deny").count();
        assert_eq!((allowed, denied), (3, 3), "{backend:?}: three heard, three refused");
    }
}
