//! The applicant's notices (`/portal/notices`): the e-mail address and mobile number they want
//! to be told at that a document is waiting, the channels on or off, and the latest notices sent
//! (when, how, delivered or not). Addresses are sealed in the database; the page shows them to
//! their owner only.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use nansen_office::notices::{self as office_notices, Contact};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{frame, lang_of, long_date, portal_error, typed, Applicant, Frame, Typed};
use crate::i18n::Tr;
use crate::ui::render;
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "portal/notices.html")]
struct NoticesPage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    /// What the form shows: the stored choices, or what was typed when it was refused.
    email: String,
    mobile: String,
    notify_email: bool,
    notify_sms: bool,
    form: Typed,
    saved: bool,
    sent: Vec<SentLine>,
}

/// One notice in the list.
struct SentLine {
    date: String,
    /// `notice-channel-email` or `notice-channel-sms`.
    channel: String,
    /// `notice-sent`, `notice-pending` or `notice-undelivered`.
    state: &'static str,
}

pub(super) async fn page(State(state): State<AppState>, headers: HeaderMap, a: Applicant) -> Response {
    let result = async {
        let contact = office_notices::contact(&state, &a.applicant).await?;
        view(&state, &headers, &a, contact, Typed::default(), false).await
    }
    .await;
    result.unwrap_or_else(|e| portal_error(&state, &headers, e))
}

async fn view(
    state: &AppState,
    headers: &HeaderMap,
    a: &Applicant,
    contact: Contact,
    form: Typed,
    saved: bool,
) -> Result<Response, WebError> {
    let tr = state.portal_i18n().tr(lang_of(state, headers));
    let sent = office_notices::notices_of(state, &a.applicant)
        .await?
        .into_iter()
        .map(|n| SentLine {
            date: OffsetDateTime::from_unix_timestamp(n.sent_at.unwrap_or(n.created_at))
                .map(|t| long_date(&tr, t.date()))
                .unwrap_or_default(),
            channel: format!("notice-channel-{}", n.channel),
            state: if n.sent_at.is_some() {
                "notice-sent"
            } else if n.given_up_at.is_some() {
                "notice-undelivered"
            } else {
                "notice-pending"
            },
        })
        .collect();
    let status = if form.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = NoticesPage {
        frame: frame(Some(a.csrf.clone())),
        email: contact.email.unwrap_or_default(),
        mobile: contact.mobile.unwrap_or_default(),
        notify_email: contact.notify_email,
        notify_sms: contact.notify_sms,
        form,
        saved,
        sent,
        tr,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Deserialize)]
pub(super) struct NoticesForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    mobile: String,
    /// Checkboxes: present when ticked.
    notify_email: Option<String>,
    notify_sms: Option<String>,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    a: Applicant,
    Form(f): Form<NoticesForm>,
) -> Response {
    let (notify_email, notify_sms) = (f.notify_email.is_some(), f.notify_sms.is_some());
    let result = async {
        a.check_csrf(Some(&f.csrf))?;
        office_notices::set_contact(&state, &a.applicant, &f.email, &f.mobile, notify_email, notify_sms)
            .await
            .map_err(WebError::from)
    }
    .await;
    let view = match result {
        Ok(contact) => view(&state, &headers, &a, contact, Typed::default(), true).await,
        Err(e) if matches!(e, WebError::Internal(_) | WebError::BadRequest(_)) => Err(e),
        Err(e) => {
            // Shown again as typed, the error next to its field; nothing was stored.
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            let form = typed(&e, &tr, "", &["email", "mobile"]);
            let typed_back =
                Contact { email: Some(f.email.clone()), mobile: Some(f.mobile.clone()), notify_email, notify_sms };
            view(&state, &headers, &a, typed_back, form, false).await
        }
    };
    view.unwrap_or_else(|e| portal_error(&state, &headers, e))
}
