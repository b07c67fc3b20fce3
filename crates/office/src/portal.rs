//! The applicants' side of the office (workspace `portal`, the Espace usager): activation with
//! the code printed on the receipt, sign-in with the same password check and lockout as agents',
//! per-address limits, the second factor, the applicant's own case and documents (the first
//! opening is an event: it notifies a decision), and messages with documents to the office.
//!
//! An applicant is never asked to the policies: their session names one case and every lookup
//! stays inside it. The office's acts on their access (a new activation code) go through the gate.

use nansen_authz::Action as Act;
use nansen_domain::documents::{DocumentKind, NewDocument, Origin};
use nansen_domain::ids::CaseNumber;
use nansen_domain::lifecycle::{Case, Command};
use nansen_store::{Action, Op, PortalAccount};
use rand::RngCore;

use crate::accounts::{decoy_hash, hash_password, locked_until, verify_password};
use crate::actor::{applicant_login, Agent, Applicant};
pub use crate::codes::random_token;
use crate::codes::{activation_code_op, code_hash, new_activation_code};
use crate::documents::{bytes_of, new_document, store_staged, DocumentBytes, Staged};
use crate::error::internal;
use crate::target::{load_target, CaseTarget};
use crate::throttle::{self, check_address, count_failure, device_failure, known_device, lock_duration, Client, Scope};
use crate::{Office, OfficeError};

/// Shortest password an applicant may choose.
pub const MIN_PASSWORD: usize = 10;

impl Office {
    async fn journal_portal(
        &self,
        case: CaseNumber,
        kind: &str,
        payload: serde_json::Value,
    ) -> Result<(), OfficeError> {
        self.journal(&applicant_login(case), &format!("portal:{case}"), kind, payload).await
    }
}

/// The office gives the applicant a new activation code (lost receipt, forgotten password): the
/// old password and second factor stop working. Filing documents must be allowed (secretaries,
/// the assigned officer); the code is shown once to hand over in person.
pub async fn reset_access(office: &Office, agent: &Agent, number: &str) -> Result<String, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let code = new_activation_code();
    office
        .act(agent, Act::FileDocuments, &resource, &subject, async || {
            Ok(vec![activation_code_op(office, &agent.login, case.number, &code, office.now())])
        })
        .await?;
    Ok(code)
}

/// A failure on a known account: counted against the address (and spraying), then against the
/// device when the account signed in from it before, else against the account, which locks with
/// growing delays for unknown devices (`throttle`); journaled. Returns the lock's end when it locked.
async fn account_failure(
    office: &Office,
    client: Client<'_>,
    case: &str,
    kind: &str,
) -> Result<Option<i64>, OfficeError> {
    let key = Scope::Portal.account(case);
    count_failure(office, Scope::Portal, client.address, Some(&key)).await?;
    let n = CaseNumber::parse(case).map_err(internal)?;
    if known_device(office, &key, client).await? {
        device_failure(office, &key, client).await?;
        office.journal_portal(n, kind, serde_json::json!({ "address": client.address, "known_device": true })).await?;
        return Ok(None);
    }
    let config = office.config();
    let locked = office
        .store()
        .portal_note_failure(case, office.now().unix_timestamp(), config.max_failed_logins, |past| {
            lock_duration(office, past).whole_seconds()
        })
        .await?;
    let kind = if locked.is_some() && kind == "portal.sign_in_refused" { "portal.locked" } else { kind };
    office.journal_portal(n, kind, serde_json::json!({ "address": client.address })).await?;
    Ok(locked)
}

/// The account's lockout, unless the request comes from a device it signed in from.
async fn check_locked(office: &Office, client: Client<'_>, account: Option<&PortalAccount>) -> Result<(), OfficeError> {
    let now = office.now().unix_timestamp();
    if let Some(a) = account {
        if let Some(until) = a.locked_until.filter(|u| *u > now) {
            if !known_device(office, &Scope::Portal.account(&a.case_number), client).await? {
                return Err(locked_until(until));
            }
        }
    }
    Ok(())
}

/// After a complete sign-in: a fresh device token for this browser.
pub async fn remember_device(office: &Office, case: &str, client: Client<'_>) -> Result<String, OfficeError> {
    throttle::remember_device(office, &Scope::Portal.account(case), client).await
}

/// Checks the case number and password: the address and the account are both counted on failure;
/// the account locks after too many in a row. Says nothing about which part was wrong.
pub async fn authenticate(
    office: &Office,
    client: Client<'_>,
    case_number: &str,
    password: &str,
) -> Result<PortalAccount, OfficeError> {
    check_address(office, Scope::Portal, client.address).await?;
    let number = CaseNumber::parse(case_number.trim()).ok();
    let account = match number {
        Some(n) => office.store().portal_account(&n.to_string()).await?,
        None => None,
    };
    check_locked(office, client, account.as_ref()).await?;
    // An account without a password (not activated) is checked against a decoy: timing tells nothing.
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let real = hash.is_some();
    let ok = verify_password(hash.unwrap_or_else(decoy_hash), password.to_owned()).await? && real;
    match account {
        Some(a) if ok => {
            office.store().portal_note_success(&a.case_number).await?;
            Ok(a)
        }
        Some(a) => {
            let locked = account_failure(office, client, &a.case_number, "portal.sign_in_refused").await?;
            Err(locked.map(locked_until).unwrap_or(OfficeError::BadCredentials))
        }
        None => {
            count_failure(office, Scope::Portal, client.address, None).await?;
            Err(OfficeError::BadCredentials)
        }
    }
}

/// A new password as the applicant chose it (the message keys are the portal's translations).
pub fn check_new_password(case: &str, password: &str, confirm: &str) -> Result<(), OfficeError> {
    let n = password.chars().count();
    if !(MIN_PASSWORD..=200).contains(&n) {
        return Err(OfficeError::field("password", "password_length"));
    }
    if password.contains(case) || password.trim().is_empty() {
        return Err(OfficeError::field("password", "password_weak"));
    }
    if password != confirm {
        return Err(OfficeError::field("confirm", "passwords_differ"));
    }
    Ok(())
}

/// Activates the applicant's space with the code of the receipt and a new password; returns the
/// account (the edge then opens the session with [`signed_in`]).
pub async fn activate(
    office: &Office,
    client: Client<'_>,
    case_number: &str,
    code: &str,
    password: &str,
    confirm: &str,
) -> Result<PortalAccount, OfficeError> {
    check_address(office, Scope::Portal, client.address).await?;
    let Ok(number) = CaseNumber::parse(case_number.trim()) else {
        return Err(OfficeError::field("case_number", "case_number"));
    };
    let case = number.to_string();
    if code.trim().is_empty() {
        return Err(OfficeError::field("code", "code_required"));
    }
    check_new_password(&case, password, confirm)?;
    let hash = hash_password(password.to_owned()).await?;
    let now = office.now().unix_timestamp();
    let account = office.store().portal_account(&case).await?;
    check_locked(office, client, account.as_ref()).await?;
    if !office.store().portal_activate(&case, &code_hash(&case, code), &hash, now).await? {
        if account.is_some() {
            account_failure(office, client, &case, "portal.activation_refused").await?;
        } else {
            count_failure(office, Scope::Portal, client.address, None).await?;
        }
        return Err(OfficeError::field("code", "code_wrong"));
    }
    office.journal_portal(number, "portal.activated", serde_json::json!({})).await?;
    office.store().portal_account(&case).await?.ok_or_else(|| internal("account gone"))
}

/// The applicant's account (language, second factor).
pub async fn account(office: &Office, case: CaseNumber) -> Result<Option<PortalAccount>, OfficeError> {
    Ok(office.store().portal_account(&case.to_string()).await?)
}

/// The language the applicant reads the space in, kept with the account.
pub async fn set_language(office: &Office, case: CaseNumber, lang: &str) -> Result<(), OfficeError> {
    Ok(office.store().portal_set_lang(&case.to_string(), lang).await?)
}

/// The sign-in is complete (password, and second factor if on): journaled.
pub async fn signed_in(office: &Office, case: CaseNumber) -> Result<(), OfficeError> {
    office.journal_portal(case, "portal.signed_in", serde_json::json!({})).await
}

pub async fn signed_out(office: &Office, applicant: &Applicant) -> Result<(), OfficeError> {
    office.journal_portal(applicant.case, "portal.signed_out", serde_json::json!({})).await
}

// ---- second factor

fn totp(secret: &str) -> Result<totp_rs::TOTP, OfficeError> {
    let bytes = totp_rs::Secret::Encoded(secret.to_owned()).to_bytes().map_err(|e| internal(format!("{e:?}")))?;
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, Some("Nansen".into()), String::new())
        .map_err(|e| internal(format!("{e:?}")))
}

fn totp_ok(secret: &str, code: &str) -> Result<bool, OfficeError> {
    let code: String = code.chars().filter(|c| c.is_ascii_digit()).collect();
    Ok(code.len() == 6 && totp(secret)?.check_current(&code).unwrap_or(false))
}

/// A new second-factor secret (base32), to show while the applicant sets up their application.
pub fn new_totp_secret() -> String {
    let mut secret = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut secret);
    totp_rs::Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

/// The `otpauth://` address of a secret for the applicant's case (shown as a QR code).
pub fn totp_url(secret: &str, case: CaseNumber) -> Result<String, OfficeError> {
    let mut t = totp(secret)?;
    t.account_name = case.to_string();
    Ok(t.get_url())
}

/// The second step of a sign-in: the code of the applicant's application.
pub async fn verify_second_factor(
    office: &Office,
    client: Client<'_>,
    case: &str,
    code: &str,
) -> Result<(), OfficeError> {
    check_address(office, Scope::Portal, client.address).await?;
    let account = office.store().portal_account(case).await?.ok_or(OfficeError::Unauthenticated)?;
    check_locked(office, client, Some(&account)).await?;
    let stored = account.totp_secret.clone().ok_or(OfficeError::Unauthenticated)?;
    let secret = office.config().secrets.open(&stored)?;
    if !totp_ok(&secret, code)? {
        if let Some(until) = account_failure(office, client, case, "portal.second_factor_refused").await? {
            return Err(locked_until(until));
        }
        return Err(OfficeError::field("code", "totp_wrong"));
    }
    office.store().portal_note_success(case).await?;
    Ok(())
}

/// Turns the second factor on, once the applicant typed a code of the new secret.
pub async fn second_factor_on(
    office: &Office,
    applicant: &Applicant,
    secret: &str,
    code: &str,
) -> Result<(), OfficeError> {
    if !totp_ok(secret, code)? {
        return Err(OfficeError::field("code", "totp_wrong"));
    }
    let sealed = office.config().secrets.seal(secret)?;
    office.store().portal_set_totp(&applicant.case.to_string(), Some(&sealed)).await?;
    office.journal_portal(applicant.case, "portal.second_factor_on", serde_json::json!({})).await
}

/// Turns the second factor off: the password is asked again.
pub async fn second_factor_off(
    office: &Office,
    applicant: &Applicant,
    client: Client<'_>,
    password: &str,
) -> Result<(), OfficeError> {
    let case = applicant.case.to_string();
    authenticate(office, client, &case, password).await.map_err(|e| match e {
        OfficeError::BadCredentials => OfficeError::field("password", "password_wrong"),
        other => other,
    })?;
    office.store().portal_set_totp(&case, None).await?;
    office.journal_portal(applicant.case, "portal.second_factor_off", serde_json::json!({})).await
}

// ---- the applicant's case

/// The applicant's own case (their session names it; nothing else is reachable).
pub async fn own_case(office: &Office, applicant: &Applicant) -> Result<Case, OfficeError> {
    office.store().case(&applicant.case).await?.ok_or(OfficeError::Unauthenticated)
}

/// One of the applicant's documents, by its reference. The first opening is recorded (and, for a
/// decision, notifies it); every opening is journaled. A reference of another file is simply not
/// found: the lookup never leaves the applicant's own case.
pub async fn open_document(
    office: &Office,
    applicant: &Applicant,
    reference: &str,
) -> Result<DocumentBytes, OfficeError> {
    let case = own_case(office, applicant).await?;
    let Some(doc) = case.documents.iter().find(|d| d.shared.as_ref().is_some_and(|s| s.reference == reference)) else {
        office.journal_portal(applicant.case, "portal.document_not_found", serde_json::json!({})).await?;
        return Err(OfficeError::NotFound("document".into()));
    };
    let first = doc.shared.as_ref().is_some_and(|s| s.first_opened_at.is_none());
    let login = applicant.login();
    let mut recorded = false;
    if first {
        let op = Op {
            actor: login.clone(),
            now: office.now(),
            action: Action::Case { number: case.number, command: Command::OpenDocument { document: doc.id } },
        };
        // Two first openings at once: the second is refused by the domain and journaled as a read.
        recorded = office.store().execute_one(op).await?.is_ok();
    }
    if !recorded {
        office
            .journal(
                &login,
                &format!("access:case:{}:document:{}", case.number, doc.id),
                "portal.document_read",
                serde_json::json!({ "reference": reference }),
            )
            .await?;
    }
    bytes_of(office, &case, doc).await
}

/// The document types an applicant may send.
pub const APPLICANT_KINDS: [DocumentKind; 6] = [
    DocumentKind::Correspondence,
    DocumentKind::MedicalCertificate,
    DocumentKind::CivilStatus,
    DocumentKind::IdentityDocument,
    DocumentKind::Evidence,
    DocumentKind::Other,
];

/// A message, with files, to the office: it joins the case file (journaled under the applicant)
/// and shows in the officer's view of the case. The domain's rules first (so that nothing is
/// stored for a refused message), then the bytes, then the command.
pub async fn send_message(
    office: &Office,
    applicant: &Applicant,
    text: &str,
    files: Vec<(Option<DocumentKind>, Staged, String)>,
) -> Result<(), OfficeError> {
    let mut documents: Vec<NewDocument> = Vec::new();
    for (kind, staged, file_name) in &files {
        // Said here with how to send a plain copy; the domain refuses it too.
        if !staged.inspection.active_content.is_empty() {
            return Err(crate::documents::refused_active("file".into()));
        }
        let kind = kind.unwrap_or(DocumentKind::Correspondence);
        documents.push(new_document(
            staged,
            file_name.clone(),
            kind,
            None,
            office.today(),
            String::new(),
            Origin::Applicant,
        )?);
    }
    nansen_domain::portal::check_message(text, &documents).map_err(OfficeError::Domain)?;
    let staged: Vec<Staged> = files.into_iter().map(|(_, s, _)| s).collect();
    store_staged(office, &staged).await?;
    let op = Op {
        actor: applicant.login(),
        now: office.now(),
        action: Action::Case {
            number: applicant.case,
            command: Command::ReceiveMessage { text: text.to_owned(), documents },
        },
    };
    office.commit(vec![op]).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_is_long_enough_and_confirmed() {
        assert!(check_new_password("2026-0000001", "short", "short").is_err());
        assert!(check_new_password("2026-0000001", "x2026-0000001y", "x2026-0000001y").is_err());
        assert!(check_new_password("2026-0000001", "correct horse", "correct horsE").is_err());
        assert!(check_new_password("2026-0000001", "correct horse", "correct horse").is_ok());
    }
}
