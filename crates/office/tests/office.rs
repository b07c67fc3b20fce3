//! The office layer without HTTP, on both databases: registration is one commit, refusals are
//! journaled by the same gate as allowances, the case page's offers come from the policies and
//! the domain together, and a refused upload stores nothing.

use nansen_domain::lifecycle::Status;
use nansen_office::cases::{self, CaseOp};
use nansen_office::testing::{registration, TestOffice, BACKENDS, PASSWORD};
use nansen_office::throttle::{Client, SPRAY_ACCOUNTS};
use nansen_office::{accounts, audit, portal, OfficeError, Role};

const DIVISION: &str = "europe-middle-east";
/// A client with no device cookie.
const OUTSIDE: Client<'static> = Client { address: "198.51.100.7", device: None };

#[tokio::test]
async fn registration_is_one_commit_with_its_completeness_letters_and_code() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let (case, code) =
            cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        assert_eq!(case.status, Status::Complete, "{backend:?}");
        assert_eq!(code.len(), 19, "the activation code is printed on the receipt");
        assert!(case.documents.iter().any(|d| d.document.kind.as_str() == "receipt"), "{backend:?}: the receipt");
        let entries = t.entries(&format!("case:{}", case.number)).await;
        let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.contains(&"registered") && kinds.contains(&"documents_attached"), "{backend:?}: {kinds:?}");
        // One transaction: every entry of the registration carries the same commit time, and
        // the authorization record is the entry just before the first of them.
        let at = &entries[0].recorded_at;
        assert!(entries.iter().all(|e| &e.recorded_at == at), "{backend:?}: several commits: {entries:?}");
        let access = t.entries("access:office").await;
        let record = access.last().expect("authorization record");
        assert_eq!(record.kind, "authorization.allow");
        assert_eq!(record.seq + 1, entries[0].seq, "{backend:?}: the record and the events are one batch");
        // The activation code works: the applicant can activate their space with it.
        let account = nansen_office::portal::activate(
            &t.office,
            Client { address: "127.0.0.1", device: None },
            &case.number.to_string(),
            &code,
            "a long enough passphrase",
            "a long enough passphrase",
        )
        .await
        .expect("activated with the code of the receipt");
        assert_eq!(account.case_number, case.number.to_string());
    }
}

#[tokio::test]
async fn an_incomplete_registration_is_one_commit_with_the_request_for_missing_items() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let mut r = registration(t.now().date());
        r.missing = vec!["photographs".into()];
        let (case, _) = cases::register(&t.office, &secretary, r).await.expect("registered");
        assert_eq!(case.status, Status::Incomplete, "{backend:?}");
        let kinds: Vec<&str> = case.documents.iter().map(|d| d.document.kind.as_str()).collect();
        assert_eq!(kinds, ["receipt", "missing_items_request"], "{backend:?}");
    }
}

#[tokio::test]
async fn a_refused_registration_takes_no_number_and_is_journaled_as_refused() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let refused = cases::register(&t.office, &officer, registration(t.now().date())).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: {refused:?}");
        let access = t.entries("access:office").await;
        assert_eq!(access.last().map(|e| e.kind.as_str()), Some("authorization.deny"), "{backend:?}");
        // The domain's refusal (introduced in the future) comes before a number is reserved.
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let future = registration(t.now().date() + time::Duration::days(3));
        let refused = cases::register(&t.office, &secretary, future).await;
        assert!(matches!(refused, Err(OfficeError::Domain(_))), "{backend:?}: {refused:?}");
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        assert_eq!(case.number.to_string(), "2026-0000001", "{backend:?}: no number was lost");
    }
}

#[tokio::test]
async fn the_case_page_offers_what_the_policies_and_the_domain_both_allow() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        let view = cases::read_case(&t.office, &head, &number).await.expect("the head reads the case");
        assert!(view.offers.assign && !view.offers.sign && !view.offers.schedule, "{backend:?}: {:?}", view.offers);
        assert!(view.officers.iter().any(|o| o.login == "opi.one"), "{backend:?}: officers to assign to");
        assert!(view.timeline.iter().any(|e| e.kind == "registered"), "{backend:?}: the timeline");
        assert!(view.timeline.iter().all(|e| e.payload.is_empty()), "{backend:?}: the timeline carries no content");
        let view = cases::read_case(&t.office, &secretary, &number).await.expect("the secretary reads the case");
        assert!(!view.offers.assign && !view.offers.complete, "{backend:?}: complete already: {:?}", view.offers);
        assert!(view.case.draft.is_none() && view.case.interview_record.is_none());
        cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: "opi.one".into() })
            .await
            .expect("assigned");
        let view = cases::read_case(&t.office, &officer, &number).await.expect("the officer reads the case");
        assert!(view.offers.schedule && !view.offers.assign, "{backend:?}: {:?}", view.offers);
        // Scheduling prints the convocation in the same commit.
        let on = t.now().date() + time::Duration::days(10);
        let case = cases::perform(
            &t.office,
            &officer,
            &number,
            CaseOp::Schedule {
                on,
                mode: nansen_domain::lifecycle::InterviewMode::InPerson,
                place: Some("Box 4".into()),
                interpreter: Some("ar".into()),
            },
        )
        .await
        .expect("scheduled");
        assert!(case.documents.iter().any(|d| d.document.kind.as_str() == "convocation"), "{backend:?}");
        let entries = t.entries(&format!("case:{number}")).await;
        let scheduled = entries.iter().rev().find(|e| e.kind == "interview_scheduled").expect("scheduled entry");
        let letter = entries.last().expect("last entry");
        assert_eq!(letter.recorded_at, scheduled.recorded_at, "{backend:?}: the convocation is in the same commit");
    }
}

#[tokio::test]
async fn the_identity_provider_signs_in_linked_agents_only_and_confirms_signers() {
    use accounts::StepUp;
    for backend in BACKENDS {
        let t = TestOffice::configured(backend, |c| c.local_passwords = false).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let signed = accounts::sign_in_vouched(&t.office, "cs.one@nansen.example", "k-1", OUTSIDE)
            .await
            .expect("the linked account signs in");
        assert_eq!(signed.agent.login.as_str(), "cs.one");
        let entries = t.entries("account:cs.one").await;
        assert_eq!(entries.last().map(|e| e.kind.as_str()), Some("account.signed_in"), "{backend:?}");
        assert!(entries.last().is_some_and(|e| e.payload.contains("\"provider\":true")));

        let stranger = accounts::sign_in_vouched(&t.office, "someone@nansen.example", "k-9", OUTSIDE).await;
        assert!(matches!(stranger, Err(OfficeError::UnknownIdentity)), "{backend:?}");
        let refusals = t.entries("accounts").await;
        let last = refusals.last().expect("the refusal is journaled");
        assert_eq!(last.kind, "account.sign_in_refused");
        assert!(last.payload.contains("someone@nansen.example") && last.payload.contains("k-9"), "{}", last.payload);
        assert!(t.store.store.account("someone").await.expect("store").is_none(), "no account made from a token");

        let password = accounts::sign_in(&t.office, "cs.one", PASSWORD, OUTSIDE).await;
        assert!(matches!(password, Err(OfficeError::PasswordsOff)), "{backend:?}");
        let now = t.now();
        let fresh = StepUp::Provider { login: "cs.one".into(), authenticated_at: now - time::Duration::minutes(1) };
        accounts::confirm_step_up(&t.office, &head, &fresh).await.expect("a fresh confirmation");
        let old = StepUp::Provider { login: "cs.one".into(), authenticated_at: now - time::Duration::minutes(10) };
        assert!(matches!(accounts::confirm_step_up(&t.office, &head, &old).await, Err(OfficeError::BadRequest(_))));
        let someone_else = StepUp::Provider { login: "cs.two".into(), authenticated_at: now };
        let refused = accounts::confirm_step_up(&t.office, &head, &someone_else).await;
        assert!(matches!(refused, Err(OfficeError::UnknownIdentity)));
        let typed = accounts::confirm_step_up(&t.office, &head, &StepUp::Password(PASSWORD.into())).await;
        assert!(matches!(typed, Err(OfficeError::PasswordsOff)));
    }
}

#[tokio::test]
async fn a_forbidden_read_is_journaled_as_a_refusal_and_shows_nothing() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let auditor = t.agent("audit.one", Role::Auditor, None, None).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        let read = cases::read_case(&t.office, &auditor, &number).await;
        assert!(matches!(read, Err(OfficeError::Forbidden { .. })), "{backend:?}");
        let access = t.entries(&format!("access:case:{number}")).await;
        assert_eq!(access.last().map(|e| e.kind.as_str()), Some("authorization.deny"), "{backend:?}");
        let wrong = accounts::sign_in(&t.office, "sec.one", "wrong password", OUTSIDE).await;
        assert!(matches!(wrong, Err(OfficeError::BadCredentials)));
        accounts::sign_in(&t.office, "sec.one", PASSWORD, OUTSIDE).await.expect("signed in");
    }
}

#[tokio::test]
async fn the_auditor_reads_payloads_only_under_a_justified_access_listed_for_the_dpo() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let auditor = t.agent("audit.one", Role::Auditor, None, None).await;
        let dpo = t.agent("dpo.one", Role::DataProtectionOfficer, None, None).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let subject = format!("case:{}", case.number);
        // The fixture's applicant (registration()): Layla Haddad.
        let family = "Haddad";
        // Metadata: who, when, what kind, and hashes; not a word of the payload.
        let meta = audit::journal_entries(&t.office, &auditor, &subject, 50).await.expect("metadata");
        assert!(!meta.is_empty());
        let shown = serde_json::to_string(&meta).expect("json");
        assert!(!shown.contains(family), "{backend:?}: the applicant's name is shown to the auditor: {shown}");
        assert!(meta.iter().all(|m| m.payload_sha256.len() == 64));
        // Payloads need an open access first.
        let closed = audit::journal_payloads(&t.office, &auditor, &subject, 50).await;
        assert!(matches!(closed, Err(OfficeError::Forbidden { .. })), "{backend:?}: {closed:?}");
        let vague = audit::open_payload_access(&t.office, &auditor, &subject, "audit", 15).await;
        assert!(matches!(vague, Err(OfficeError::Field { ref field, .. }) if field == "reason"), "{vague:?}");
        let too_long =
            audit::open_payload_access(&t.office, &auditor, &subject, "complaint 2026-17 by the applicant", 600).await;
        assert!(matches!(too_long, Err(OfficeError::Field { ref field, .. }) if field == "minutes"), "{too_long:?}");
        // Nobody else opens one: not the DPO, not a secretary.
        for other in [&dpo, &secretary] {
            let refused =
                audit::open_payload_access(&t.office, other, &subject, "complaint 2026-17 by the applicant", 15).await;
            assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: {refused:?}");
        }
        let access =
            audit::open_payload_access(&t.office, &auditor, &subject, "complaint 2026-17 by the applicant", 15)
                .await
                .expect("opened");
        let entries = audit::journal_payloads(&t.office, &auditor, &subject, 50).await.expect("payloads");
        assert!(entries.iter().any(|e| e.payload.contains(family)), "{backend:?}: the payloads are readable now");
        // Another subject stays closed.
        let other = audit::journal_payloads(&t.office, &auditor, "access:office", 50).await;
        assert!(matches!(other, Err(OfficeError::Forbidden { .. })), "{backend:?}");
        // The DPO sees the access and its use, with the reason; the auditor cannot list them.
        let listed = audit::payload_accesses(&t.office, &dpo, 50).await.expect("listed");
        assert!(listed.iter().any(|a| a.kind == "opened" && a.seq == access.seq && a.reason.contains("2026-17")));
        assert!(listed.iter().any(|a| a.kind == "used" && a.login == "audit.one"), "{listed:?}");
        assert!(matches!(audit::payload_accesses(&t.office, &auditor, 50).await, Err(OfficeError::Forbidden { .. })));
        // Once expired, closed again.
        t.clock.advance(time::Duration::minutes(16));
        let expired = audit::journal_payloads(&t.office, &auditor, &subject, 50).await;
        assert!(matches!(expired, Err(OfficeError::Forbidden { .. })), "{backend:?}: {expired:?}");
    }
}

#[tokio::test]
async fn a_lockout_caused_by_others_does_not_keep_the_agent_out_of_their_own_device() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        // The officer signed in yesterday on their workstation: it is a known device now.
        let first = accounts::sign_in(&t.office, "opi.one", PASSWORD, Client { address: "10.1.1.1", device: None })
            .await
            .expect("signed in");
        let workstation = Client { address: "10.1.1.1", device: Some(first.device.as_str()) };
        // Someone elsewhere fails on purpose until the account locks for unknown devices.
        let attacker = Client { address: "203.0.113.9", device: None };
        let mut lockouts = Vec::new();
        for _ in 0..7 {
            match accounts::sign_in(&t.office, "opi.one", "guess", attacker).await {
                Err(OfficeError::Locked(until)) => lockouts.push(until),
                Err(OfficeError::BadCredentials) => {}
                other => panic!("{backend:?}: {:?}", other.map(|s| s.agent.login)),
            }
            t.clock.advance(time::Duration::minutes(2));
        }
        // Growing delays: the attacker's correct guess is refused while locked, even with the password.
        assert!(!lockouts.is_empty(), "{backend:?}: the account never locked");
        let refused = accounts::sign_in(&t.office, "opi.one", PASSWORD, attacker).await;
        assert!(matches!(refused, Err(OfficeError::Locked(_))), "{backend:?}: an unknown device is held back");
        // The rightful officer, on their workstation, gets in.
        let again = accounts::sign_in(&t.office, "opi.one", PASSWORD, workstation).await.expect("known device gets in");
        // Their own mistakes on that device are counted on the device: after as many as lock an
        // account, the device is forgotten and the lockout applies to it too.
        let device = Client { address: "10.1.1.1", device: Some(again.device.as_str()) };
        for _ in 0..5 {
            let wrong = accounts::sign_in(&t.office, "opi.one", "typo", device).await;
            assert!(matches!(wrong, Err(OfficeError::BadCredentials)), "{backend:?}: {:?}", wrong.map(|_| ()));
        }
        // Forgotten: once the account locks again, that cookie no longer opens the way.
        for _ in 0..5 {
            let _ = accounts::sign_in(&t.office, "opi.one", "guess", attacker).await;
        }
        let after = accounts::sign_in(&t.office, "opi.one", PASSWORD, device).await;
        assert!(matches!(after, Err(OfficeError::Locked(_))), "{backend:?}: the device was forgotten");
    }
}

#[tokio::test]
async fn lockouts_grow_and_spraying_from_one_address_is_journaled() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let attacker = Client { address: "203.0.113.9", device: None };
        let mut ends = Vec::new();
        for _ in 0..8 {
            let before = t.now();
            if let Err(OfficeError::Locked(until)) = accounts::sign_in(&t.office, "opi.one", "guess", attacker).await {
                let until = time::OffsetDateTime::parse(&until, &time::format_description::well_known::Rfc3339)
                    .expect("rfc3339");
                ends.push(until - before);
                // Wait the lock out, then fail again.
                t.clock.set(until + time::Duration::seconds(1));
            }
        }
        assert!(ends.len() >= 3, "{backend:?}: {ends:?}");
        assert!(ends.windows(2).all(|w| w[1] > w[0]), "{backend:?}: delays grow: {ends:?}");
        assert_eq!(ends[0], time::Duration::minutes(1), "{backend:?}");
        // One address failing on many accounts.
        let sprayer = Client { address: "192.0.2.50", device: None };
        for n in 0..SPRAY_ACCOUNTS {
            let login = format!("sec.{n}");
            t.agent(&login, Role::DigitizationSecretary, None, None).await;
            let _ = accounts::sign_in(&t.office, &login, "Summer2026!", sprayer).await;
        }
        let alerts = t.entries("security").await;
        assert_eq!(alerts.len(), 1, "{backend:?}: one alert per window: {alerts:?}");
        assert_eq!(alerts[0].kind, "security.spraying_suspected");
        assert!(alerts[0].payload.contains("192.0.2.50"));
    }
}

#[tokio::test]
async fn a_second_factor_key_is_stored_sealed_and_still_checks_codes() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let (case, code) =
            cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        let home = Client { address: "192.0.2.10", device: None };
        let passphrase = "a long enough passphrase";
        portal::activate(&t.office, home, &number, &code, passphrase, passphrase).await.expect("activated");
        let secret = portal::new_totp_secret();
        let now_code = |secret: &str| {
            let bytes = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().expect("base32");
            totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, String::new())
                .expect("totp")
                .generate_current()
                .expect("code")
        };
        let applicant = nansen_office::Applicant { case: case.number };
        portal::second_factor_on(&t.office, &applicant, &secret, &now_code(&secret)).await.expect("on");
        // In the database: sealed, not the key a copy of the database would need.
        let stored = portal::account(&t.office, case.number).await.expect("store").expect("account");
        let stored = stored.totp_secret.expect("second factor on");
        assert!(stored.starts_with("sealed:v1:") && !stored.contains(&secret), "{backend:?}: {stored}");
        // The office opens it to check a code.
        portal::verify_second_factor(&t.office, home, &number, &now_code(&secret)).await.expect("a right code");
        let other = if now_code(&secret) == "000000" { "111111" } else { "000000" };
        let wrong = portal::verify_second_factor(&t.office, home, &number, other).await;
        assert!(wrong.is_err(), "{backend:?}");
    }
}

/// Letters greet the applicant by their recorded sex ("Madame" for Layla Haddad), with the
/// neutral "Madame, Monsieur" only when it is not recorded.
#[tokio::test]
async fn letters_greet_the_applicant_by_their_recorded_sex() {
    use nansen_docs::print::Salutation;
    use nansen_domain::Sex;
    use nansen_office::letters::{letter, LetterKind};
    let t = TestOffice::new(nansen_office::Backend::Sqlite).await;
    let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
    let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
    for (sex, expected) in
        [(Sex::Female, Salutation::Madam), (Sex::Male, Salutation::Sir), (Sex::Unspecified, Salutation::Neutral)]
    {
        let mut case = case.clone();
        case.applicant.sex = sex;
        for kind in [LetterKind::Receipt, LetterKind::MissingItems] {
            case.missing = vec!["photographs".into()];
            let printed = letter(&t.office, &case, kind, t.now(), None).expect("letter");
            assert_eq!(printed.head().addressee.salutation, expected, "{sex:?} {kind:?}");
        }
    }
}

/// A letter's translation follows the language the applicant reads their space in (Russian,
/// chosen in the portal) rather than the one recorded at registration (Arabic); French chosen in
/// the space keeps the translation into the recorded language.
#[tokio::test]
async fn letters_speak_the_language_the_applicant_chose_in_their_space() {
    use nansen_docs::print::Letter;
    use nansen_office::letters::{letter_for_applicant, LetterKind};
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let mut r = registration(t.now().date());
        r.missing = vec!["photographs".into()];
        let (case, code) = cases::register(&t.office, &secretary, r).await.expect("registered");
        let number = case.number.to_string();
        let passphrase = "a long enough passphrase";
        portal::activate(&t.office, OUTSIDE, &number, &code, passphrase, passphrase).await.expect("activated");
        let language_of = |letter: Letter| match letter {
            Letter::MissingItems(m) => m.translation.map(|t| t.code),
            other => panic!("{other:?}"),
        };
        let before = letter_for_applicant(&t.office, &case, LetterKind::MissingItems, t.now(), None).await;
        assert_eq!(language_of(before.expect("letter")).as_deref(), Some("ar"), "{backend:?}: the recorded language");
        portal::set_language(&t.office, case.number, "ru").await.expect("chosen");
        let chosen = letter_for_applicant(&t.office, &case, LetterKind::MissingItems, t.now(), None).await;
        assert_eq!(language_of(chosen.expect("letter")).as_deref(), Some("ru"), "{backend:?}: the space's language");
        portal::set_language(&t.office, case.number, "fr").await.expect("chosen");
        let french = letter_for_applicant(&t.office, &case, LetterKind::MissingItems, t.now(), None).await;
        assert_eq!(language_of(french.expect("letter")).as_deref(), Some("ar"), "{backend:?}: still translated");
    }
}
