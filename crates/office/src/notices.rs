//! Notices to applicants (workspace `portal`): the applicant says how they want to be told
//! (e-mail, SMS, both, neither) in their space; when a document lands there, the outbox follows
//! the journal and a [`Notifier`] on any node sends a notice that says only that a document is
//! waiting — never what it is or says — in the language the applicant reads their space in.
//!
//! The senders are ports ([`NoticeSender`]): SMTP and an SMS provider's HTTP API are adapters
//! in `nansen-notify`. A failing provider never loses a notice (tried again later, up to
//! [`MAX_ATTEMPTS`]); every try carries the notice's idempotency key, so a try repeated after a
//! crash between sending and recording reaches the applicant once. Each delivery is journaled
//! under the applicant's space (`portal:<case>`), without the address.

use std::sync::Arc;
use std::time::Duration;

use futures_util::future::BoxFuture;
use futures_util::StreamExt as _;
use nansen_docs::print::Translations;
use nansen_domain::ids::Login;
use nansen_domain::notices::{idempotency_key, retry_after, Channel, Email, Mobile, MAX_ATTEMPTS};
use nansen_store::{ClaimedNotice, NoticeLine, OutboxCounts, StoredContact};

use crate::actor::Applicant;
use crate::error::internal;
use crate::{Office, OfficeError};

/// Notices claimed per round.
const BATCH: i64 = 64;
/// Notices sent at once by one node.
const IN_FLIGHT: usize = 16;
/// How long a claim lasts: a node that dies mid-send lets another take its notices after it.
const LEASE: Duration = Duration::from_secs(120);

/// How an applicant wants to be told, with the addresses in the clear (their own space only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub notify_email: bool,
    pub notify_sms: bool,
}

/// The applicant's choices, as read from the account (addresses opened).
pub async fn contact(office: &Office, applicant: &Applicant) -> Result<Contact, OfficeError> {
    let stored = office.store().portal_contact(&applicant.case.to_string()).await?.unwrap_or_default();
    let secrets = &office.config().secrets;
    Ok(Contact {
        email: stored.email.as_deref().map(|e| secrets.open(e)).transpose()?,
        mobile: stored.mobile.as_deref().map(|m| secrets.open(m)).transpose()?,
        notify_email: stored.notify_email,
        notify_sms: stored.notify_sms,
    })
}

/// The applicant changes how they are told. Empty text removes an address. A malformed address
/// is refused next to its field (`email_invalid`, `mobile_invalid`) and nothing changes. The
/// change is journaled without the addresses (whether each is set, and the channels chosen).
pub async fn set_contact(
    office: &Office,
    applicant: &Applicant,
    email: &str,
    mobile: &str,
    notify_email: bool,
    notify_sms: bool,
) -> Result<Contact, OfficeError> {
    let email = match email.trim() {
        "" => None,
        text => Some(Email::parse(text).map_err(|_| OfficeError::field("email", "email_invalid"))?),
    };
    let mobile = match mobile.trim() {
        "" => None,
        text => Some(Mobile::parse(text).map_err(|_| OfficeError::field("mobile", "mobile_invalid"))?),
    };
    let secrets = &office.config().secrets;
    let stored = StoredContact {
        email: email.as_ref().map(|e| secrets.seal(e.as_str())).transpose()?,
        mobile: mobile.as_ref().map(|m| secrets.seal(m.as_str())).transpose()?,
        notify_email,
        notify_sms,
    };
    office.store().portal_set_contact(&applicant.case.to_string(), &stored).await?;
    office
        .journal(
            &applicant.login(),
            &format!("portal:{}", applicant.case),
            "portal.contact_changed",
            serde_json::json!({
                "email": email.is_some(), "mobile": mobile.is_some(),
                "notify_email": notify_email, "notify_sms": notify_sms,
            }),
        )
        .await?;
    Ok(Contact {
        email: email.map(|e| e.as_str().to_owned()),
        mobile: mobile.map(|m| m.as_str().to_owned()),
        notify_email,
        notify_sms,
    })
}

/// The applicant's latest notices (when, how, delivered or not), newest first.
pub async fn notices_of(office: &Office, applicant: &Applicant) -> Result<Vec<NoticeLine>, OfficeError> {
    Ok(office.store().notices_of_case(&applicant.case.to_string(), 20).await?)
}

/// The outbox at a glance, for the metrics.
pub async fn outbox(office: &Office) -> Result<OutboxCounts, OfficeError> {
    Ok(office.store().outbox_counts().await?)
}

/// One notice, ready for its channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The same for every try of this notice: providers deduplicate on it.
    pub key: String,
    /// The e-mail address or the mobile number.
    pub to: String,
    /// The catalog language the text is in.
    pub lang: &'static str,
    /// The e-mail's subject (unused by SMS).
    pub subject: String,
    pub body: String,
}

/// Why a try failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (the provider is down, busy, or timed out).
    #[error("{0}")]
    Retry(String),
    /// The provider refused this notice for good (an address it rejects): given up now.
    #[error("refused: {0}")]
    Refused(String),
}

/// A way to reach applicants (port); adapters in `nansen-notify`.
pub trait NoticeSender: Send + Sync {
    fn channel(&self) -> Channel;
    fn send<'a>(&'a self, notice: &'a Outgoing) -> BoxFuture<'a, Result<(), SendError>>;
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    pub queued: u64,
    pub sent: u64,
    pub retried: u64,
    pub given_up: u64,
}

impl Round {
    /// Whether the round did any sending (so the next one should start at once).
    pub fn busy(&self) -> bool {
        self.sent + self.retried + self.given_up > 0
    }
}

/// Sends the outbox's notices through the configured senders; one per node, any number of nodes.
#[derive(Clone)]
pub struct Notifier {
    office: Office,
    senders: Vec<Arc<dyn NoticeSender>>,
}

impl Notifier {
    pub fn new(office: Office, senders: Vec<Arc<dyn NoticeSender>>) -> Notifier {
        Notifier { office, senders }
    }

    /// Follows the journal to its head, then claims one batch of due notices and sends them.
    pub async fn round(&self) -> Result<Round, OfficeError> {
        let store = self.office.store();
        let now = self.office.now().unix_timestamp();
        let mut round = Round::default();
        loop {
            let (queued, at_head) = store.notices_follow(now).await?;
            round.queued += queued;
            if at_head {
                break;
            }
        }
        let lease = i64::try_from(LEASE.as_secs()).unwrap_or(120);
        let channels: Vec<&str> = self.senders.iter().map(|s| s.channel().as_str()).collect();
        let claimed = store.notices_claim(now, now + lease, BATCH, &channels).await?;
        let outcomes: Vec<_> = futures_util::stream::iter(claimed)
            .map(|notice| async move {
                let outcome = self.deliver(&notice).await;
                (notice, outcome)
            })
            .buffer_unordered(IN_FLIGHT)
            .collect()
            .await;
        for (notice, outcome) in outcomes {
            let now = self.office.now().unix_timestamp();
            match outcome {
                Ok(()) => {
                    store.notice_sent(notice.id, now).await?;
                    self.office
                        .journal(
                            &system()?,
                            &format!("portal:{}", notice.case_number),
                            "portal.notice_sent",
                            serde_json::json!({ "channel": notice.channel, "seq": notice.seq }),
                        )
                        .await?;
                    round.sent += 1;
                }
                Err(SendError::Retry(why)) => {
                    let next = retry_after(notice.attempts + 1)
                        .and_then(|wait| i64::try_from(wait.as_secs()).ok())
                        .map(|wait| now + wait);
                    store.notice_failed(notice.id, now, next, &why).await?;
                    if next.is_some() {
                        round.retried += 1;
                    } else {
                        round.given_up += 1;
                    }
                    tracing::warn!(notice = notice.id, channel = %notice.channel, attempts = notice.attempts + 1, max = MAX_ATTEMPTS, "notice not delivered: {why}");
                }
                Err(SendError::Refused(why)) => {
                    store.notice_failed(notice.id, now, None, &why).await?;
                    round.given_up += 1;
                    tracing::warn!(notice = notice.id, channel = %notice.channel, "notice refused: {why}");
                }
            }
        }
        Ok(round)
    }

    /// Rounds forever: at once while there is work, every `idle` otherwise.
    pub async fn run(self, idle: Duration) {
        loop {
            match self.round().await {
                Ok(round) if round.busy() => continue,
                Ok(_) => {}
                Err(e) => tracing::error!("notices: {e}"),
            }
            tokio::time::sleep(idle).await;
        }
    }

    /// Composes the notice from the applicant's current choices and sends it. A notice whose
    /// channel the applicant turned off, or whose address they removed, since it was queued is
    /// not sent (given up, with the reason).
    async fn deliver(&self, notice: &ClaimedNotice) -> Result<(), SendError> {
        let channel = Channel::parse(&notice.channel).ok_or_else(|| SendError::Refused("unknown channel".into()))?;
        let sender =
            self.senders.iter().find(|s| s.channel() == channel).ok_or_else(|| {
                SendError::Retry(format!("no {} sender is configured on this node", channel.as_str()))
            })?;
        let (to, lang) = self.address(notice, channel).await.map_err(|e| SendError::Retry(e.to_string()))?;
        let to = to.ok_or_else(|| SendError::Refused("the applicant no longer wants notices this way".into()))?;
        let outgoing = compose(channel, notice.seq, to, &lang, &self.office.config().public_url)
            .map_err(|e| SendError::Retry(e.to_string()))?;
        sender.send(&outgoing).await
    }

    async fn address(&self, notice: &ClaimedNotice, channel: Channel) -> Result<(Option<String>, String), OfficeError> {
        let store = self.office.store();
        let account = store.portal_account(&notice.case_number).await?;
        let lang = account.and_then(|a| a.lang).unwrap_or_else(|| "fr".to_owned());
        let Some(contact) = store.portal_contact(&notice.case_number).await? else { return Ok((None, lang)) };
        let sealed = match channel {
            Channel::Email if contact.notify_email => contact.email,
            Channel::Sms if contact.notify_sms => contact.mobile,
            _ => None,
        };
        let secrets = &self.office.config().secrets;
        Ok((sealed.map(|s| secrets.open(&s)).transpose()?, lang))
    }
}

/// The notice's text in the applicant's language (French when theirs is not in the catalog):
/// that a document is waiting, and where to sign in; nothing of the document.
pub fn compose(channel: Channel, seq: u64, to: String, lang: &str, public_url: &str) -> Result<Outgoing, OfficeError> {
    let catalog = Translations::embedded().map_err(internal)?;
    let lang = Translations::pick(lang).unwrap_or("fr");
    let url = format!("{}/portal", public_url.trim_end_matches('/'));
    let args = [("url", url.as_str())];
    let text = |key: &str| {
        catalog
            .message(lang, key, &args)
            .or_else(|| catalog.message("fr", key, &args))
            .ok_or_else(|| OfficeError::Internal(format!("the notices' catalog has no {key}")))
    };
    let (subject, body) = match channel {
        Channel::Email => (text("notice-email-subject")?, text("notice-email-body")?),
        Channel::Sms => (String::new(), text("notice-sms")?),
    };
    Ok(Outgoing { key: idempotency_key(seq, channel), to, lang, subject, body })
}

fn system() -> Result<Login, OfficeError> {
    Login::parse("system").map_err(internal)
}
