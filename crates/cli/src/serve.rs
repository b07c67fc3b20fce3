//! `nansen serve`: the HTTP server — the agents' workbench, the JSON API, health and metrics
//! (`nansen-web`), on the store this command opened.

use std::net::SocketAddr;

use nansen_office::{Clock, Office, OfficeConfig};
use nansen_store::Store;
use nansen_web::{AppState, WebConfig};

use crate::CliError;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "NANSEN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Fill the database with demo data first, when it holds no application yet.
    #[arg(long)]
    demo: bool,
    /// Nansen is reached over TLS (directly or through a proxy): secure cookies and HSTS.
    #[arg(long, env = "NANSEN_TLS")]
    tls: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "NANSEN_SESSION_IDLE_MINUTES", default_value_t = 30)]
    session_idle_minutes: i64,
    /// Hours after sign-in after which a session ends, used or not.
    #[arg(long, env = "NANSEN_SESSION_MAX_HOURS", default_value_t = 10)]
    session_max_hours: i64,
    /// Failed applicant sign-ins (or activations) from one address in 15 minutes before the
    /// portal refuses that address until the window ends.
    #[arg(long, env = "NANSEN_PORTAL_FAILURES_PER_ADDRESS", default_value_t = 30)]
    portal_failures_per_address: u32,
    /// The key that seals secrets stored in the database (applicants' second-factor keys), kept
    /// outside it; created (mode 0600) when missing. Default: `<data dir>/keys/secrets.key`.
    #[arg(long, env = "NANSEN_SECRETS_KEY")]
    secrets_key: Option<std::path::PathBuf>,
    /// The key that seals certified copies of civil-status acts, kept outside the database;
    /// created (mode 0600) when missing. Default: `<data dir>/keys/seal.key`.
    #[arg(long, env = "NANSEN_SEAL_KEY")]
    seal_key: Option<std::path::PathBuf>,
    /// The address the public reaches Nansen at, printed in the verification links of certified
    /// copies (e.g. `https://nansen.office.example`). Default: `http://<listen address>`.
    #[arg(long, env = "NANSEN_PUBLIC_URL")]
    public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed, comma-separated addresses or
    /// networks (e.g. `10.0.0.5,192.168.0.0/24`). Without it, the connection's address counts.
    #[arg(long, env = "NANSEN_TRUSTED_PROXIES", default_value = "")]
    trusted_proxies: String,
    #[command(flatten)]
    notices: NoticeArgs,
    #[command(flatten)]
    oidc: OidcArgs,
}

/// Agents signing in through the state's identity provider (OpenID Connect: ProConnect,
/// Keycloak, any certified provider). Nansen is registered there as a confidential client whose
/// redirect URI is `<public URL>/login/oidc/callback` and post-logout URI `<public URL>/login`.
#[derive(clap::Args)]
pub struct OidcArgs {
    /// The provider's issuer URL (discovery is read under it). Turns the sign-in through it on.
    #[arg(long, env = "NANSEN_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    /// Nansen's client id at the provider.
    #[arg(long, env = "NANSEN_OIDC_CLIENT_ID", default_value = "")]
    oidc_client_id: String,
    /// Nansen's client secret at the provider.
    #[arg(long, env = "NANSEN_OIDC_CLIENT_SECRET", default_value = "", hide_env_values = true)]
    oidc_client_secret: String,
    /// The claim whose value names an agent's account (`nansen accounts link`): `email`, `sub`
    /// or `preferred_username`.
    #[arg(long, env = "NANSEN_OIDC_CLAIM", default_value = "email")]
    oidc_claim: String,
    /// `off`: agents sign in (and confirm before signing) through the identity provider only.
    #[arg(long, env = "NANSEN_LOCAL_PASSWORDS", default_value = "on", value_parser = ["on", "off"])]
    local_passwords: String,
}

impl OidcArgs {
    async fn provider(&self, public_url: &str) -> Result<Option<nansen_oidc::Provider>, CliError> {
        let Some(issuer) = self.oidc_issuer.as_deref().filter(|i| !i.is_empty()) else {
            if self.local_passwords == "off" {
                return Err(CliError::Usage(
                    "NANSEN_LOCAL_PASSWORDS=off needs NANSEN_OIDC_ISSUER: nobody could sign in".into(),
                ));
            }
            return Ok(None);
        };
        let base = public_url.trim_end_matches('/');
        let settings = nansen_oidc::Settings {
            issuer: issuer.to_owned(),
            client_id: self.oidc_client_id.clone(),
            client_secret: self.oidc_client_secret.clone(),
            redirect_url: format!("{base}/login/oidc/callback"),
            post_logout_url: Some(format!("{base}/login")),
            claim: nansen_oidc::Claim::parse(&self.oidc_claim).map_err(|e| CliError::Usage(e.to_string()))?,
            key_refetch_gap: nansen_oidc::Settings::KEY_REFETCH_GAP,
        };
        let provider = nansen_oidc::Provider::discover(settings).await.map_err(|e| CliError::Usage(e.to_string()))?;
        tracing::info!(issuer, "agents sign in through the identity provider");
        Ok(Some(provider))
    }
}

/// How applicants are told that a document waits in their space. Without a sender, notices
/// queue in the outbox until a node that has one sends them.
#[derive(clap::Args)]
pub struct NoticeArgs {
    /// The SMTP relay: `smtp://[user:password@]host[:587]` (STARTTLS required) or `smtps://…[:465]`.
    #[arg(long, env = "NANSEN_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The sender of notices, e.g. `Nansen <ne-pas-repondre@office.example>`.
    #[arg(long, env = "NANSEN_SMTP_FROM", default_value = "Nansen <ne-pas-repondre@localhost>")]
    smtp_from: String,
    /// Certificate authorities (PEM) to trust for the relay, besides the system's.
    #[arg(long, env = "NANSEN_SMTP_CA_FILE")]
    smtp_ca_file: Option<std::path::PathBuf>,
    /// The SMS provider's endpoint (see the README's "Notices to applicants").
    #[arg(long, env = "NANSEN_SMS_URL")]
    sms_url: Option<String>,
    /// The bearer token the SMS provider expects.
    #[arg(long, env = "NANSEN_SMS_TOKEN", hide_env_values = true)]
    sms_token: Option<String>,
    /// Milliseconds between two looks at the outbox when it is idle.
    #[arg(long, env = "NANSEN_NOTICES_IDLE_MS", default_value_t = 2000)]
    notices_idle_ms: u64,
}

impl NoticeArgs {
    fn senders(&self) -> Result<Vec<std::sync::Arc<dyn nansen_office::notices::NoticeSender>>, CliError> {
        let mut senders: Vec<std::sync::Arc<dyn nansen_office::notices::NoticeSender>> = Vec::new();
        if let Some(url) = self.smtp_url.as_deref().filter(|u| !u.is_empty()) {
            let settings = nansen_notify::SmtpSettings {
                url: url.to_owned(),
                from: self.smtp_from.clone(),
                ca_file: self.smtp_ca_file.clone(),
            };
            senders.push(std::sync::Arc::new(
                nansen_notify::SmtpSender::new(&settings).map_err(|e| CliError::Usage(e.to_string()))?,
            ));
        }
        if let Some(url) = self.sms_url.as_deref().filter(|u| !u.is_empty()) {
            senders.push(std::sync::Arc::new(
                nansen_notify::SmsSender::new(url, self.sms_token.clone())
                    .map_err(|e| CliError::Usage(e.to_string()))?,
            ));
        }
        Ok(senders)
    }
}

pub async fn run(
    store: Store,
    args: ServeArgs,
    documents: nansen_docs::objects::DocumentStore,
    staging_dir: std::path::PathBuf,
    data_dir: &std::path::Path,
) -> Result<(), CliError> {
    let config = WebConfig {
        tls: args.tls,
        idle_timeout: time::Duration::minutes(args.session_idle_minutes.max(1)),
        absolute_lifetime: time::Duration::hours(args.session_max_hours.max(1)),
        trusted_proxies: nansen_web::parse_trusted_proxies(&args.trusted_proxies).map_err(CliError::Usage)?,
        ..WebConfig::default()
    };
    let secrets_path = args.secrets_key.clone().unwrap_or_else(|| data_dir.join("keys/secrets.key"));
    let secrets =
        nansen_office::secrets::SecretKey::load_or_create(&secrets_path).map_err(|e| CliError::Usage(e.to_string()))?;
    let seal = seal_key(data_dir, args.seal_key.clone())?;
    let office_config = OfficeConfig {
        staging_dir,
        portal_failures_per_address: args.portal_failures_per_address.max(1),
        secrets,
        seal: std::sync::Arc::new(seal),
        public_url: public_url(args.public_url.clone(), Some(args.listen)),
        local_passwords: args.oidc.local_passwords != "off",
        // Each server keeps its own index, caught up from the shared store.
        library_index: Some(data_dir.join("library-index")),
        ..OfficeConfig::default()
    };
    let provider = args.oidc.provider(&office_config.public_url).await?;
    tracing::info!(documents = %documents.describe(), "document store");
    let office = Office::new(store.clone(), office_config, documents, Clock::system())
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if args.demo {
        crate::demo::ensure(&store, &office).await?;
    }
    // A database written before the statistics projection existed gets it once, from the journal.
    if store.statistics_missing().await? {
        println!("statistics: computing the projection from the journal (once, after the upgrade)…");
        let report = store.rebuild().await?;
        println!("statistics: {report}");
    }
    let mut state = AppState::new(office.clone(), config).map_err(|e| CliError::Usage(e.to_string()))?;
    if let Some(provider) = provider {
        state = state.with_identity_provider(provider).map_err(|e| CliError::Usage(e.to_string()))?;
    }
    let senders = args.notices.senders()?;
    if !senders.is_empty() {
        let idle = std::time::Duration::from_millis(args.notices.notices_idle_ms.max(10));
        tokio::spawn(nansen_office::notices::Notifier::new(office.clone(), senders).run(idle));
    }
    tokio::spawn(nansen_web::purge_sessions_forever(office));
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!("Nansen listening on http://{}", listener.local_addr()?);
    // The peer address is kept for the portal's per-address limit on failed sign-ins.
    axum::serve(listener, nansen_web::router(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The key that seals certified copies: `path`, `NANSEN_SEAL_KEY`, or `<data dir>/keys/seal.key`.
pub fn seal_key(
    data_dir: &std::path::Path,
    path: Option<std::path::PathBuf>,
) -> Result<nansen_office::seal::Seal, CliError> {
    let path = path
        .or_else(|| std::env::var_os("NANSEN_SEAL_KEY").map(std::path::PathBuf::from))
        .unwrap_or_else(|| data_dir.join("keys/seal.key"));
    nansen_office::seal::Seal::load_or_create(&path).map_err(|e| CliError::Usage(e.to_string()))
}

/// The public address printed on copies: `url`, `NANSEN_PUBLIC_URL`, or the listening address.
pub fn public_url(url: Option<String>, listen: Option<SocketAddr>) -> String {
    url.or_else(|| std::env::var("NANSEN_PUBLIC_URL").ok())
        .unwrap_or_else(|| format!("http://{}", listen.map_or_else(|| "127.0.0.1:8080".to_owned(), |l| l.to_string())))
}
