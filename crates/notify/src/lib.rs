//! Adapters that reach applicants for the office's [`NoticeSender`] port: e-mail over SMTP with
//! TLS required (STARTTLS on `smtp://`, TLS from the first byte on `smtps://`; lettre), and SMS
//! through a provider's HTTP API (one JSON request per message; the contract is in the README).
//!
//! Both pass the notice's idempotency key on: as the e-mail's `Message-ID` (mail systems drop a
//! second copy with the same id) and as the SMS request's `Idempotency-Key` header.

use std::path::PathBuf;
use std::time::Duration;

use futures_util::future::BoxFuture;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use nansen_domain::notices::Channel;
use nansen_office::notices::{NoticeSender, Outgoing, SendError};

/// How long one try may take before it counts as failed (and is tried again later).
const TIMEOUT: Duration = Duration::from_secs(20);

/// A sender that cannot be set up from its settings.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("NANSEN_SMTP_URL: {0}")]
    SmtpUrl(String),
    #[error("NANSEN_SMTP_FROM: {0}")]
    From(String),
    #[error("NANSEN_SMTP_CA_FILE {path}: {reason}")]
    CaFile { path: String, reason: String },
    #[error("NANSEN_SMS_URL: {0}")]
    SmsUrl(String),
}

/// Where and how to send e-mail.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    /// `smtp://[user:password@]host[:587]` (STARTTLS, required) or `smtps://…[:465]`.
    pub url: String,
    /// The sender, e.g. `Nansen <ne-pas-repondre@office.example>`.
    pub from: String,
    /// A PEM file of certificate authorities to trust besides the system's (a private relay).
    pub ca_file: Option<PathBuf>,
}

/// E-mail over SMTP; TLS is never optional.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of the `Message-ID`s (the sender's).
    domain: String,
}

impl SmtpSender {
    pub fn new(settings: &SmtpSettings) -> Result<SmtpSender, ConfigError> {
        let url = url::Url::parse(&settings.url).map_err(|e| ConfigError::SmtpUrl(e.to_string()))?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => return Err(ConfigError::SmtpUrl(format!("the scheme is smtp or smtps, not {other}"))),
        };
        let host = url.host_str().ok_or_else(|| ConfigError::SmtpUrl("no host".into()))?.to_owned();
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        let port = url.port().unwrap_or(if implicit { 465 } else { 587 });
        let mut tls = TlsParameters::builder(host.clone());
        if let Some(path) = &settings.ca_file {
            let fail = |reason: String| ConfigError::CaFile { path: path.display().to_string(), reason };
            let pem = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
            tls = tls.add_root_certificate(Certificate::from_pem(&pem).map_err(|e| fail(e.to_string()))?);
        }
        let tls = tls.build().map_err(|e| ConfigError::SmtpUrl(format!("TLS: {e}")))?;
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(if implicit { Tls::Wrapper(tls) } else { Tls::Required(tls) })
            .timeout(Some(TIMEOUT));
        if !url.username().is_empty() {
            let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
            builder = builder
                .credentials(Credentials::new(decode(url.username()), decode(url.password().unwrap_or_default())));
        }
        let from: Mailbox =
            settings.from.parse().map_err(|e: lettre::address::AddressError| ConfigError::From(e.to_string()))?;
        let domain = from.email.domain().to_owned();
        Ok(SmtpSender { transport: builder.build(), from, domain })
    }

    async fn send_one(&self, notice: &Outgoing) -> Result<(), SendError> {
        let to: Mailbox = notice.to.parse().map_err(|e| SendError::Refused(format!("address: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(notice.subject.clone())
            .message_id(Some(format!("<{}@{}>", notice.key, self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(notice.body.clone())
            .map_err(|e| SendError::Refused(e.to_string()))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // 5xx: the server refuses this message for good (an unknown mailbox, say).
            Err(e) if e.is_permanent() => Err(SendError::Refused(e.to_string())),
            Err(e) => Err(SendError::Retry(e.to_string())),
        }
    }
}

impl NoticeSender for SmtpSender {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.send_one(notice))
    }
}

/// SMS through a provider's HTTP API: `POST <url>` with a bearer token, the JSON body
/// `{"to": "+33612345678", "text": "…", "reference": "<idempotency key>"}` and the header
/// `Idempotency-Key`; any 2xx is accepted, 4xx (but 408 and 429) refused for good, anything
/// else (5xx, a timeout, no answer) tried again later.
pub struct SmsSender {
    http: reqwest::Client,
    url: String,
    token: Option<String>,
}

impl SmsSender {
    pub fn new(url: &str, token: Option<String>) -> Result<SmsSender, ConfigError> {
        let parsed = url::Url::parse(url).map_err(|e| ConfigError::SmsUrl(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(ConfigError::SmsUrl("an http(s) address".into()));
        }
        let http =
            reqwest::Client::builder().timeout(TIMEOUT).build().map_err(|e| ConfigError::SmsUrl(e.to_string()))?;
        Ok(SmsSender { http, url: url.to_owned(), token: token.filter(|t| !t.is_empty()) })
    }

    async fn send_one(&self, notice: &Outgoing) -> Result<(), SendError> {
        let mut request = self
            .http
            .post(&self.url)
            .header("Idempotency-Key", &notice.key)
            .json(&serde_json::json!({ "to": notice.to, "text": notice.body, "reference": notice.key }));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| SendError::Retry(e.to_string()))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
            Err(SendError::Refused(format!("the SMS provider answered {status}")))
        } else {
            Err(SendError::Retry(format!("the SMS provider answered {status}")))
        }
    }
}

impl NoticeSender for SmsSender {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>> {
        Box::pin(self.send_one(notice))
    }
}
