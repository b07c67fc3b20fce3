//! Nansen's application layer, the one door to the office: every edge (the web's workbench, API
//! and portal; later any other) calls it, and only it, to read and to act.
//!
//! Its vocabulary is the office's, not HTTP's: an *actor* (an agent or an applicant), a
//! *target* (a case, an original, the office…) and two verbs. A **read** loads the target,
//! builds its attributes, asks Cedar once for every action the answer needs, journals the
//! answers and returns a view (what the actor may see, and what they may do now). An **act**
//! does the same and hands the store one batch holding the authorization record and the
//! commands; the domain decides inside the write transaction. See [`gate`].
//!
//! It owns: authorization and its journal record, turning intents into domain commands,
//! letters and activation codes, agents' and applicants' authentication and lockout. It must not
//! know about HTTP (no axum, no status codes) nor write SQL (that is `nansen-store`).
//!
//! Workspaces are modules named as in every layer: [`cases`], [`documents`], [`portal`].

#![forbid(unsafe_code)]

pub mod accounts;
pub mod actor;
pub mod audit;
mod bookings;
pub mod cases;
mod clock;
mod codes;
pub mod documents;
mod error;
pub mod gate;
pub mod letters;
pub mod notices;
pub mod planning;
pub mod portal;
pub mod protection;
pub mod reception;
pub mod recordings;
pub mod research;
pub mod seal;

/// The fonts of the scripts applicants' names come in, for browsers that lack them.
pub use nansen_docs::print::script_font;
pub mod secrets;
pub mod sessions;
pub mod statistics;
mod target;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod throttle;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use nansen_authz::{Authorizer, Decision};
use nansen_store::Store;

pub use actor::{Actor, Agent, Applicant};
pub use clock::Clock;
pub use error::OfficeError;
pub use gate::{Answers, OFFICE};

/// What the edges may name of the layers below, through the office.
pub use nansen_authz::{Action, Principal, Role};
pub use nansen_store::{
    Account, AccountSummary, Backend, CaseSummary, Entry, HeadInfo, OriginalLine, PortalAccount, QueueCounts,
};

/// How the office behaves; the defaults suit a workstation.
#[derive(Debug, Clone)]
pub struct OfficeConfig {
    /// Failed sign-ins in a row before an account (an agent's or an applicant's) is locked.
    pub max_failed_logins: u32,
    /// The first lockout of an account (from devices it never signed in from); each further
    /// failure doubles it, up to `lockout`.
    pub lockout_first: time::Duration,
    /// The longest lockout.
    pub lockout: time::Duration,
    /// Where uploads are staged while they are hashed and checked (then deleted).
    pub staging_dir: std::path::PathBuf,
    /// What an uploaded file may be: size, pages, image dimensions.
    pub upload_limits: nansen_docs::inspect::Limits,
    /// Failed sign-ins, activations or second-factor codes from one address in 15 minutes before
    /// that address is refused for the rest of the window (agents and applicants counted apart).
    pub portal_failures_per_address: u32,
    /// How long an activation code printed on a receipt stays valid.
    pub activation_code_validity: time::Duration,
    /// How long a confirmed password lets a section head sign without typing it again.
    pub signing_window: time::Duration,
    /// Seals the secrets stored in the database (applicants' second-factor keys); its file is
    /// kept outside the database (`nansen serve` loads `keys/secrets.key`).
    pub secrets: secrets::SecretKey,
    /// Seals certified copies of civil-status acts; its file is kept outside the database
    /// (`nansen serve` loads `keys/seal.key`).
    pub seal: std::sync::Arc<seal::Seal>,
    /// The address the public reaches Nansen at: the verification links printed on copies.
    pub public_url: String,
    /// Agents may sign in (and step up before signing) with a Nansen password. Turned off when
    /// every agent signs in through the state's identity provider (OpenID Connect).
    pub local_passwords: bool,
    /// Where the library's search index is kept (`None`: in memory, rebuilt from the store).
    pub library_index: Option<std::path::PathBuf>,
}

impl Default for OfficeConfig {
    fn default() -> Self {
        OfficeConfig {
            max_failed_logins: 5,
            lockout_first: time::Duration::minutes(1),
            lockout: time::Duration::minutes(60),
            staging_dir: std::env::temp_dir(),
            upload_limits: nansen_docs::inspect::Limits::default(),
            portal_failures_per_address: 30,
            activation_code_validity: time::Duration::days(90),
            signing_window: time::Duration::minutes(5),
            secrets: secrets::SecretKey::ephemeral(),
            seal: std::sync::Arc::new(seal::Seal::ephemeral()),
            public_url: "http://localhost:8080".to_owned(),
            local_passwords: true,
            library_index: None,
        }
    }
}

/// The office: its store, policies, document store, printer and clock, loaded once and shared.
#[derive(Clone)]
pub struct Office {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    authz: Authorizer,
    config: OfficeConfig,
    documents: nansen_docs::objects::DocumentStore,
    printer: nansen_docs::print::Printer,
    checklist: nansen_domain::documents::Checklist,
    library: research::Library,
    clock: Clock,
    allowed: AtomicU64,
    denied: AtomicU64,
}

impl Office {
    /// The office over a store and a document store; policies, printer and checklist are loaded
    /// here once.
    pub fn new(
        store: Store,
        config: OfficeConfig,
        documents: nansen_docs::objects::DocumentStore,
        clock: Clock,
    ) -> Result<Office, OfficeError> {
        let authz =
            Authorizer::embedded().map_err(|e| OfficeError::Internal(format!("authorization policies: {e}")))?;
        let printer = nansen_docs::print::Printer::new().map_err(|e| OfficeError::Internal(format!("letters: {e}")))?;
        let checklist = nansen_domain::documents::Checklist::embedded().map_err(OfficeError::Domain)?;
        let library = research::Library::open(config.library_index.as_deref())?;
        std::fs::create_dir_all(&config.staging_dir)
            .map_err(|e| OfficeError::Internal(format!("staging directory {}: {e}", config.staging_dir.display())))?;
        Ok(Office {
            inner: Arc::new(Inner {
                store,
                authz,
                config,
                documents,
                printer,
                checklist,
                library,
                clock,
                allowed: AtomicU64::new(0),
                denied: AtomicU64::new(0),
            }),
        })
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn authz(&self) -> &Authorizer {
        &self.inner.authz
    }

    pub fn config(&self) -> &OfficeConfig {
        &self.inner.config
    }

    pub(crate) fn documents(&self) -> &nansen_docs::objects::DocumentStore {
        &self.inner.documents
    }

    pub(crate) fn library(&self) -> &research::Library {
        &self.inner.library
    }

    pub(crate) fn printer(&self) -> &nansen_docs::print::Printer {
        &self.inner.printer
    }

    /// The completeness checklist of each application type (the registration form shows it).
    pub fn checklist(&self) -> &nansen_domain::documents::Checklist {
        &self.inner.checklist
    }

    /// The rules in force (dated data): nationalities, divisions, durations.
    pub fn rules(&self) -> &nansen_domain::rules::Rules {
        self.inner.store.rules()
    }

    /// The office's one clock: every command and every journal entry takes its time from here.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    pub fn now(&self) -> time::OffsetDateTime {
        self.inner.clock.now()
    }

    pub fn today(&self) -> time::Date {
        self.now().date()
    }

    pub(crate) fn staging_dir(&self) -> &std::path::Path {
        &self.inner.config.staging_dir
    }

    pub(crate) fn upload_limits(&self) -> nansen_docs::inspect::Limits {
        self.inner.config.upload_limits
    }

    fn count_decisions(&self, decisions: &[Decision]) {
        for d in decisions {
            let counter = if d.allowed { &self.inner.allowed } else { &self.inner.denied };
            counter.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Authorization decisions taken since start: (allowed, denied), for the metrics.
    pub fn decision_counts(&self) -> (u64, u64) {
        (self.inner.allowed.load(Ordering::Relaxed), self.inner.denied.load(Ordering::Relaxed))
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ready(&self) -> Result<(), OfficeError> {
        self.inner.store.head().await?;
        Ok(())
    }

    /// Removes expired sessions and old rate-limit windows; any node may do it.
    pub async fn purge(&self) -> Result<(), OfficeError> {
        let now = self.now().unix_timestamp();
        self.inner.store.sessions_purge(now).await?;
        self.inner.store.rate_limits_purge(now - 3600).await?;
        Ok(())
    }
}
