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

use crate::accounts::{decoy_hash, format_time, hash_password, locked_until, verify_password};
use crate::actor::{applicant_login, Agent, Applicant};
pub use crate::codes::random_token;
use crate::codes::{activation_code_op, code_hash, new_activation_code};
use crate::documents::{bytes_of, new_document, store_staged, DocumentBytes, Staged};
use crate::error::internal;
use crate::target::{load_target, CaseTarget};
use crate::{Office, OfficeError};

/// Shortest password an applicant may choose.
pub const MIN_PASSWORD: usize = 10;
/// The length of the window in which failures from one address are counted.
const WINDOW_SECS: i64 = 900;

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

/// Refuses further attempts from an address that failed too often in the current window.
async fn check_address(office: &Office, address: &str) -> Result<(), OfficeError> {
    let now = office.now();
    let n = office.store().rate_limit_count(&format!("portal:{address}"), now.unix_timestamp(), WINDOW_SECS).await?;
    if n >= u64::from(office.config().portal_failures_per_address) {
        return Err(OfficeError::Locked(format_time(now + time::Duration::minutes(15))));
    }
    Ok(())
}

async fn count_failure(office: &Office, address: &str) -> Result<(), OfficeError> {
    office.store().rate_limit_hit(&format!("portal:{address}"), office.now().unix_timestamp(), WINDOW_SECS).await?;
    Ok(())
}

/// A failure on a known account: counted against the account (which locks after too many in a
/// row) and journaled; returns the lock's end when it locked.
async fn account_failure(
    office: &Office,
    case: &str,
    kind: &str,
    payload: serde_json::Value,
) -> Result<Option<i64>, OfficeError> {
    let config = office.config();
    let locked = office
        .store()
        .portal_note_failure(
            case,
            office.now().unix_timestamp(),
            config.max_failed_logins,
            config.lockout.whole_seconds(),
        )
        .await?;
    let n = CaseNumber::parse(case).map_err(internal)?;
    let kind = if locked.is_some() && kind == "portal.sign_in_refused" { "portal.locked" } else { kind };
    office.journal_portal(n, kind, payload).await?;
    Ok(locked)
}

/// Checks the case number and password: the address and the account are both counted on failure;
/// the account locks after too many in a row. Says nothing about which part was wrong.
pub async fn authenticate(
    office: &Office,
    address: &str,
    case_number: &str,
    password: &str,
) -> Result<PortalAccount, OfficeError> {
    check_address(office, address).await?;
    let number = CaseNumber::parse(case_number.trim()).ok();
    let account = match number {
        Some(n) => office.store().portal_account(&n.to_string()).await?,
        None => None,
    };
    let now = office.now().unix_timestamp();
    if let Some(until) = account.as_ref().and_then(|a| a.locked_until).filter(|u| *u > now) {
        return Err(locked_until(until));
    }
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
            count_failure(office, address).await?;
            let locked = account_failure(
                office,
                &a.case_number,
                "portal.sign_in_refused",
                serde_json::json!({ "address": address }),
            )
            .await?;
            Err(locked.map(locked_until).unwrap_or(OfficeError::BadCredentials))
        }
        None => {
            count_failure(office, address).await?;
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
    address: &str,
    case_number: &str,
    code: &str,
    password: &str,
    confirm: &str,
) -> Result<PortalAccount, OfficeError> {
    check_address(office, address).await?;
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
    if let Some(until) = account.as_ref().and_then(|a| a.locked_until).filter(|u| *u > now) {
        return Err(locked_until(until));
    }
    if !office.store().portal_activate(&case, &code_hash(&case, code), &hash, now).await? {
        count_failure(office, address).await?;
        if account.is_some() {
            account_failure(office, &case, "portal.activation_refused", serde_json::json!({ "address": address }))
                .await?;
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
pub async fn verify_second_factor(office: &Office, address: &str, case: &str, code: &str) -> Result<(), OfficeError> {
    check_address(office, address).await?;
    let now = office.now().unix_timestamp();
    let account = office.store().portal_account(case).await?.ok_or(OfficeError::Unauthenticated)?;
    if let Some(until) = account.locked_until.filter(|u| *u > now) {
        return Err(locked_until(until));
    }
    let secret = account.totp_secret.clone().ok_or(OfficeError::Unauthenticated)?;
    if !totp_ok(&secret, code)? {
        count_failure(office, address).await?;
        if let Some(until) =
            account_failure(office, case, "portal.second_factor_refused", serde_json::json!({})).await?
        {
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
    office.store().portal_set_totp(&applicant.case.to_string(), Some(secret)).await?;
    office.journal_portal(applicant.case, "portal.second_factor_on", serde_json::json!({})).await
}

/// Turns the second factor off: the password is asked again.
pub async fn second_factor_off(
    office: &Office,
    applicant: &Applicant,
    address: &str,
    password: &str,
) -> Result<(), OfficeError> {
    let case = applicant.case.to_string();
    authenticate(office, address, &case, password).await.map_err(|e| match e {
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
