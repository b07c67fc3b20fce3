//! The network's pages: `/reception/network` (places and occupancy by region, a region's
//! structures, or an operator's own; a regional director opens structures there) and
//! `/reception/structures/{code}` (a structure, its households, the operator's declaration and
//! the arrivals of households placed there).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::reception::{PlaceKind, StructureKind};
use nansen_office::reception::network::{self, NetworkView, NewStructureForm, StructureView};
use serde::Deserialize;

use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reception/network", get(network_page))
        .route("/reception/structures", post(open_submit))
        .route("/reception/structures/{code}", get(structure_page))
        .route("/reception/structures/{code}/{step}", post(step_submit))
}

#[derive(Deserialize, Default)]
pub struct NetworkQuery {
    region: Option<String>,
}

#[derive(Template)]
#[template(path = "reception/network.html")]
struct NetworkPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: Option<NetworkView>,
    form: FormState,
    region: String,
    kinds: Vec<&'static str>,
}

impl NetworkPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn rate(&self, occupied: &i64, places: &i64) -> String {
        if *places == 0 {
            "—".into()
        } else {
            format!("{:.1} %", *occupied as f64 * 100.0 / *places as f64)
        }
    }

    fn sum(&self, v: &[i64; 3]) -> i64 {
        v.iter().sum()
    }

    fn totals(&self) -> (i64, i64, i64) {
        self.view.as_ref().map_or((0, 0, 0), |v| {
            v.regions.iter().fold((0, 0, 0), |(s, p, o), r| (s + r.structures, p + r.places, o + r.occupied))
        })
    }
}

async fn show_network(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    region: Option<String>,
    form: FormState,
    status: StatusCode,
) -> Response {
    let tr = state.i18n().tr(lang_of(state, headers));
    let mut page = NetworkPage {
        tr,
        nav: Some(nav(agent)),
        view: None,
        form,
        region: region.clone().unwrap_or_default(),
        kinds: StructureKind::ALL.iter().map(|k| k.as_str()).collect(),
    };
    match network::network(state, agent, region.as_deref()).await.map_err(WebError::from) {
        Ok(view) => {
            page.region = view.region.clone().unwrap_or_default();
            page.view = Some(view);
            (status, render(&page)).into_response()
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            page.form = super::refused("region", Default::default(), &e, &page.tr);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn network_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<NetworkQuery>,
) -> Response {
    show_network(&state, &headers, &agent, q.region, FormState::default(), StatusCode::OK).await
}

pub(crate) fn new_structure(form: &FormData, today: time::Date) -> Result<NewStructureForm, WebError> {
    let opened = form.text("opened_on");
    Ok(NewStructureForm {
        code: form.text("code"),
        name: form.text("name"),
        kind: form.text("kind"),
        operator: form.text("operator"),
        department: form.text("department"),
        places: super::places(
            "places",
            &form.text("places_single"),
            &form.text("places_family"),
            &form.text("places_accessible"),
        )?,
        hospital_nearby: form.get("hospital_nearby").is_some_and(|v| v == "on"),
        opened_on: if opened.trim().is_empty() { today } else { forms::date("opened_on", &opened)? },
    })
}

async fn open_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match new_structure(&form, state.today()) {
        Ok(f) => network::open(&state, &agent, f).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(code) => Redirect::to(&format!("/reception/structures/{code}?done=open")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::Internal(_))) => error_page(&state, &headers, Some(&agent), &e),
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = super::refused("open", form.values(), &e, &tr);
            show_network(&state, &headers, &agent, None, refused, e.status()).await
        }
    }
}

#[derive(Template)]
#[template(path = "reception/structure.html")]
struct StructurePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: StructureView,
    form: FormState,
    done: Option<String>,
}

impl StructurePage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn code(&self) -> String {
        self.view.structure.code.as_ref().map(|c| c.to_string()).unwrap_or_default()
    }

    /// The value typed, or the structure's current figure for an occupancy field.
    fn v_in(&self, form: &str, field: &str) -> String {
        if self.form.form == form {
            return self.form.v(field);
        }
        let o = self.view.structure.occupied;
        match field {
            "occupied_single" => o.single.to_string(),
            "occupied_family" => o.family.to_string(),
            "occupied_accessible" => o.accessible.to_string(),
            _ => String::new(),
        }
    }

    fn kinds(&self) -> Vec<(&'static str, u32, u32, u32)> {
        let s = &self.view.structure;
        PlaceKind::ALL.iter().map(|k| (k.as_str(), s.places.of(*k), s.occupied.of(*k), s.free(*k))).collect()
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn show_structure(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    code: &str,
    form: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match network::read(state, agent, code).await.map_err(WebError::from) {
        Ok(view) => {
            let page = StructurePage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                form,
                done: done.filter(|d| ["open", "declare", "arrive", "leave"].contains(&d.as_str())),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn structure_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(code): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    show_structure(&state, &headers, &agent, &code, FormState::default(), q.done, StatusCode::OK).await
}

async fn step_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((code, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let on = |form: &FormData| match form.get("on").map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => forms::date("on", d),
        None => Ok(state.today()),
    };
    let result: Result<(), WebError> = async {
        match step.as_str() {
            "declare" => {
                let occupied = super::places(
                    "occupied",
                    &form.text("occupied_single"),
                    &form.text("occupied_family"),
                    &form.text("occupied_accessible"),
                )?;
                network::declare(&state, &agent, &code, occupied, on(&form)?).await?;
            }
            "arrive" => {
                nansen_office::reception::arrive(&state, &agent, &form.text("household"), &code, on(&form)?).await?;
            }
            "leave" => {
                let reason = super::leave_reason(&form.text("reason"))?;
                nansen_office::reception::leave(&state, &agent, &form.text("household"), on(&form)?, reason).await?;
            }
            other => return Err(WebError::NotFound(format!("step {other:?}"))),
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/reception/structures/{code}?done={step}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = super::refused(step.clone(), form.values(), &e, &tr);
            show_structure(&state, &headers, &agent, &code, refused, None, e.status()).await
        }
    }
}
