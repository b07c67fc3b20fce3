//! The statistics workspace in the workbench (`/statistics`) and the API
//! (`/api/v1/statistics`): tables, charts, harmonisation and reference notes. Pages work
//! without JavaScript; every chart is server-rendered SVG with its data table beside it.

pub mod api;
pub mod charts;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use nansen_domain::statistics::{to_csv, to_sdmx, Table, TableId, Value};
use nansen_office::statistics::{self as stats, Dashboard, Harmonisation, NewNote, ReferenceNote};
use serde::Deserialize;

use crate::auth::{Agent, SignedForm};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};
use charts::{Bar, FunnelPoint, Labels, Limit, Series};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(home))
        .route("/statistics/charts/{name}", get(chart_download))
        .route("/statistics/tables/{table}", get(table_page))
        .route("/statistics/harmonisation", get(harmonisation_page))
        .route("/statistics/notes/{nationality}", get(notes_page).post(note_submit))
}

/// The default period: the current year so far.
fn default_period(state: &AppState) -> String {
    state.today().year().to_string()
}

#[derive(Deserialize)]
pub struct PeriodQuery {
    period: Option<String>,
}

/// A chart and the table that says the same in words and numbers.
pub struct Chart {
    pub id: String,
    pub svg: String,
    pub caption: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn percent(r: f64) -> String {
    format!("{:.1} %", r * 100.0)
}

/// The charts of the home page, in the reader's language.
fn dashboard_charts(d: &Dashboard, tr: &Tr) -> Vec<Chart> {
    let n = |v: &u64| v.to_string();
    let months = d.months.clone();
    let flow = Labels {
        title: tr.t("chart-flow-title"),
        description: tr.t("chart-flow-desc"),
        x_axis: tr.t("chart-month"),
        y_axis: tr.t("chart-count"),
    };
    let series = |name: &str, v: &[u64]| Series { name: tr.t(name), values: v.iter().map(|x| *x as f64).collect() };
    let flow_svg = charts::line_chart(
        "flow",
        &flow,
        &months,
        &[
            series("chart-applications", &d.applications),
            series("chart-positive", &d.positive),
            series("chart-negative", &d.negative),
            series("chart-closures", &d.closures),
        ],
    );
    let flow_rows = (0..months.len())
        .map(|i| {
            vec![months[i].clone(), n(&d.applications[i]), n(&d.positive[i]), n(&d.negative[i]), n(&d.closures[i])]
        })
        .collect();
    let pending = Labels {
        title: tr.t("chart-pending-title"),
        description: tr.t("chart-pending-desc"),
        x_axis: tr.t("chart-month"),
        y_axis: tr.t("chart-persons"),
    };
    let pending_svg = charts::line_chart("pending", &pending, &months, &[series("chart-pending", &d.pending)]);
    let pending_rows = (0..months.len()).map(|i| vec![months[i].clone(), n(&d.pending[i])]).collect();
    let fr = tr.lang() == "fr";
    let rate_bars: Vec<Bar> = d
        .rates
        .iter()
        .map(|r| Bar {
            label: if fr { r.name_fr.clone() } else { r.name_en.clone() },
            value: if r.decisions > 0 { r.positive as f64 / r.decisions as f64 } else { f64::NAN },
            interval: r.interval,
        })
        .collect();
    let rates = Labels {
        title: tr.t("chart-rates-title"),
        description: tr.t("chart-rates-desc"),
        x_axis: tr.t("chart-rate"),
        y_axis: tr.t("chart-nationality"),
    };
    let rate_rows = d
        .rates
        .iter()
        .zip(&rate_bars)
        .map(|(r, b)| {
            vec![
                b.label.clone(),
                n(&r.decisions),
                n(&r.positive),
                if b.value.is_finite() { percent(b.value) } else { "—".into() },
                r.interval.map(|(lo, hi)| format!("{} – {}", percent(lo), percent(hi))).unwrap_or_else(|| "—".into()),
            ]
        })
        .collect();
    let age_bars: Vec<Bar> = d
        .pending_age
        .iter()
        .map(|(band, count)| Bar { label: tr.t(&format!("age-band-{band}")), value: *count as f64, interval: None })
        .collect();
    let age = Labels {
        title: tr.t("chart-age-title"),
        description: tr.t("chart-age-desc"),
        x_axis: tr.t("chart-applications-count"),
        y_axis: tr.t("chart-age"),
    };
    let age_rows = age_bars.iter().zip(&d.pending_age).map(|(b, (_, c))| vec![b.label.clone(), n(c)]).collect();
    let delay_bars: Vec<Bar> = d
        .interview_delay
        .iter()
        .map(|(lang, _, median, _)| Bar {
            label: lang.clone(),
            value: median.map(|m| m as f64).unwrap_or(f64::NAN),
            interval: None,
        })
        .collect();
    let delay = Labels {
        title: tr.t("chart-delay-title"),
        description: tr.t("chart-delay-desc"),
        x_axis: tr.t("chart-days"),
        y_axis: tr.t("chart-language"),
    };
    let opt = |v: &Option<i64>| v.map(|x| x.to_string()).unwrap_or_else(|| "—".into());
    let delay_rows = d
        .interview_delay
        .iter()
        .map(|(lang, count, median, p90)| vec![lang.clone(), n(count), opt(median), opt(p90)])
        .collect();
    vec![
        Chart {
            id: "flow".into(),
            svg: flow_svg,
            caption: flow.title.clone(),
            head: ["chart-month", "chart-applications", "chart-positive", "chart-negative", "chart-closures"]
                .map(|k| tr.t(k))
                .to_vec(),
            rows: flow_rows,
        },
        Chart {
            id: "pending".into(),
            svg: pending_svg,
            caption: pending.title.clone(),
            head: ["chart-month", "chart-pending"].map(|k| tr.t(k)).to_vec(),
            rows: pending_rows,
        },
        Chart {
            id: "rates".into(),
            svg: charts::bar_chart("rates", &rates, &rate_bars, true),
            caption: rates.title.clone(),
            head: ["chart-nationality", "chart-decisions-merits", "chart-positive", "chart-rate", "chart-interval"]
                .map(|k| tr.t(k))
                .to_vec(),
            rows: rate_rows,
        },
        Chart {
            id: "age".into(),
            svg: charts::bar_chart("age", &age, &age_bars, false),
            caption: age.title.clone(),
            head: ["chart-age", "chart-applications-count"].map(|k| tr.t(k)).to_vec(),
            rows: age_rows,
        },
        Chart {
            id: "delay".into(),
            svg: charts::bar_chart("delay", &delay, &delay_bars, false),
            caption: delay.title.clone(),
            head: ["chart-language", "chart-interviews", "chart-median-days", "chart-p90-days"]
                .map(|k| tr.t(k))
                .to_vec(),
            rows: delay_rows,
        },
    ]
}

#[derive(Template)]
#[template(path = "statistics/home.html")]
struct HomePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    period: String,
    head: String,
    charts: Vec<Chart>,
    tables: Vec<(String, String)>,
}

fn table_links(tr: &Tr) -> Vec<(String, String)> {
    TableId::ALL.iter().map(|t| (t.as_str().to_owned(), tr.t(&format!("table-{}", t.as_str())))).collect()
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let period = q.period.filter(|p| !p.trim().is_empty()).unwrap_or_else(|| default_period(&state));
    let tr = state.i18n().tr(lang_of(&state, &headers));
    match stats::dashboard(&state, &agent, &period).await.map_err(WebError::from) {
        Ok(d) => {
            let charts = dashboard_charts(&d, &tr);
            let page = HomePage {
                head: format!("{} · {}", d.snapshot.size, d.snapshot.root),
                tables: table_links(&tr),
                charts,
                period,
                nav: Some(nav(&agent)),
                tr,
            };
            render(&page)
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

/// A chart of the home page as an SVG file to download.
async fn chart_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(name): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let period = q.period.filter(|p| !p.trim().is_empty()).unwrap_or_else(|| default_period(&state));
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let id = name.trim_end_matches(".svg");
    match stats::dashboard(&state, &agent, &period).await.map_err(WebError::from) {
        Ok(d) => match dashboard_charts(&d, &tr).into_iter().find(|c| c.id == id) {
            Some(c) => (
                [
                    (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"nansen-{id}-{period}.svg\"")),
                ],
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
                    c.svg.replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1)
                ),
            )
                .into_response(),
            None => error_page(&state, &headers, Some(&agent), &WebError::NotFound("chart".into())),
        },
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Deserialize)]
pub struct TableQuery {
    period: Option<String>,
    published: Option<String>,
    format: Option<String>,
    /// Eurostat cubes: the citizen shown on the page (the download holds them all).
    citizen: Option<String>,
}

#[derive(Template)]
#[template(path = "statistics/table.html")]
struct TablePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    table: String,
    title: String,
    period: String,
    published: bool,
    citizen: String,
    eurostat: bool,
    dimensions: Vec<String>,
    rows: Vec<(Vec<String>, String)>,
    total_rows: usize,
    head: String,
    notes: Vec<String>,
    form: FormState,
    tables: Vec<(String, String)>,
}

fn cell(v: &Value, tr: &Tr) -> String {
    match v {
        Value::Suppressed => tr.t("cell-suppressed"),
        Value::Empty => "—".into(),
        Value::Rate { .. } => v.ratio().map(percent).unwrap_or_else(|| "—".into()),
        other => other.csv(),
    }
}

/// Rows shown on the page: for an Eurostat cube, one citizen (TOTAL by default).
fn shown_rows(t: &Table, citizen: &str, tr: &Tr) -> Vec<(Vec<String>, String)> {
    let ci = t.dimensions.iter().position(|d| d == "citizen");
    t.rows
        .iter()
        .filter(|r| ci.is_none_or(|i| r.key[i] == citizen))
        .take(2000)
        .map(|r| (r.key.clone(), cell(&r.value, tr)))
        .collect()
}

async fn table_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(table): Path<String>,
    Query(q): Query<TableQuery>,
) -> Response {
    let period = q.period.filter(|p| !p.trim().is_empty()).unwrap_or_else(|| default_period(&state));
    let published = q.published.as_deref().is_some_and(|p| p == "1" || p == "true");
    let format = q.format.unwrap_or_default();
    let tr = state.i18n().tr(lang_of(&state, &headers));
    match stats::table(&state, &agent, &table, &period, published || format == "sdmx").await.map_err(WebError::from) {
        Ok(t) if format == "csv" || format == "sdmx" => {
            let body = if format == "sdmx" { to_sdmx(&t).map_err(WebError::from) } else { Ok(to_csv(&t)) };
            match body {
                Ok(body) => download(body, &format!("{}-{}.csv", t.id, t.period), "text/csv; charset=utf-8"),
                Err(e) => error_page(&state, &headers, Some(&agent), &e),
            }
        }
        Ok(t) if format == "json" => match serde_json::to_string_pretty(&t) {
            Ok(body) => download(body, &format!("{}-{}.json", t.id, t.period), "application/json"),
            Err(e) => error_page(&state, &headers, Some(&agent), &WebError::Internal(e.to_string())),
        },
        Ok(t) => {
            let citizen = q.citizen.filter(|c| !c.is_empty()).unwrap_or_else(|| "TOTAL".into());
            let rows = shown_rows(&t, &citizen, &tr);
            let page = TablePage {
                table: t.id.as_str().to_owned(),
                title: tr.t(&format!("table-{}", t.id.as_str())),
                period,
                published: t.published,
                eurostat: t.id.is_eurostat(),
                dimensions: t.dimensions.clone(),
                total_rows: t.rows.len(),
                rows,
                citizen,
                head: format!("{} · {}", t.snapshot.size, t.snapshot.root),
                notes: t.notes.clone(),
                form: FormState::default(),
                tables: table_links(&tr),
                nav: Some(nav(&agent)),
                tr,
            };
            render(&page)
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let form = FormState {
                form: "period".into(),
                values: [("period".to_owned(), period.clone())].into(),
                field: Some(e.field_name().unwrap_or("period").to_owned()),
                message: Some(crate::ui::localized(&e, &tr)),
            };
            let page = TablePage {
                table: table.clone(),
                title: tr.t(&format!("table-{table}")),
                period,
                published,
                eurostat: false,
                dimensions: vec![],
                rows: vec![],
                total_rows: 0,
                citizen: String::new(),
                head: String::new(),
                notes: vec![],
                form,
                tables: table_links(&tr),
                nav: Some(nav(&agent)),
                tr,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

fn download(body: String, name: &str, content_type: &str) -> Response {
    let name: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct HarmonisationQuery {
    nationality: Option<String>,
    period: Option<String>,
}

#[derive(Template)]
#[template(path = "statistics/harmonisation.html")]
struct HarmonisationPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    nationality: String,
    period: String,
    nationalities: Vec<(String, String)>,
    view: Option<Harmonisation>,
    svg: String,
    form: FormState,
}

impl HarmonisationPage<'_> {
    fn rate(&self, r: &Option<f64>) -> String {
        r.map(percent).unwrap_or_else(|| "—".into())
    }

    fn interval(&self, i: &Option<(f64, f64)>) -> String {
        i.map(|(lo, hi)| format!("{} – {}", percent(lo), percent(hi))).unwrap_or_else(|| "—".into())
    }
}

fn funnel_svg(h: &Harmonisation, tr: &Tr) -> String {
    let limits: Vec<Limit> = h
        .limits
        .iter()
        .map(|l| Limit {
            n: u32::try_from(l.n).unwrap_or(u32::MAX),
            low95: l.low95,
            high95: l.high95,
            low998: l.low998,
            high998: l.high998,
        })
        .collect();
    let points: Vec<FunnelPoint> = h
        .units
        .iter()
        .filter_map(|u| Some(FunnelPoint { label: u.unit.clone(), n: u32::try_from(u.decisions).ok()?, rate: u.rate? }))
        .collect();
    let labels = Labels {
        title: tr.t1("funnel-title", "nationality", &h.nationality),
        description: tr.t("funnel-desc"),
        x_axis: tr.t("funnel-x"),
        y_axis: tr.t("funnel-y"),
    };
    charts::funnel_plot("funnel", &labels, h.overall.rate.unwrap_or(0.0), &limits, &points)
}

async fn harmonisation_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<HarmonisationQuery>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let fr = tr.lang() == "fr";
    let nationalities: Vec<(String, String)> = state
        .rules()
        .nationalities()
        .map(|n| (n.code.as_str().to_owned(), if fr { n.name_fr.clone() } else { n.name_en.clone() }))
        .collect();
    let period = q.period.filter(|p| !p.trim().is_empty()).unwrap_or_else(|| default_period(&state));
    let nationality = q.nationality.unwrap_or_default().trim().to_uppercase();
    let mut page = HarmonisationPage {
        nav: Some(nav(&agent)),
        nationality: nationality.clone(),
        period: period.clone(),
        nationalities,
        view: None,
        svg: String::new(),
        form: FormState::default(),
        tr,
    };
    if nationality.is_empty() {
        return render(&page);
    }
    match stats::harmonisation(&state, &agent, &nationality, &period).await.map_err(WebError::from) {
        Ok(h) => {
            page.svg = funnel_svg(&h, &page.tr);
            page.view = Some(h);
            render(&page)
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            page.form = FormState {
                form: "harmonisation".into(),
                values: Default::default(),
                field: Some(e.field_name().unwrap_or("period").to_owned()),
                message: Some(crate::ui::localized(&e, &page.tr)),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Template)]
#[template(path = "statistics/notes.html")]
struct NotesPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    nationality: String,
    name: String,
    notes: Vec<ReferenceNote>,
    may_publish: bool,
    form: FormState,
    done: bool,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn show_notes(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    nationality: &str,
    form: FormState,
    done: bool,
    status: StatusCode,
) -> Response {
    let tr = state.i18n().tr(lang_of(state, headers));
    match stats::reference_notes(state, agent, nationality).await.map_err(WebError::from) {
        Ok(notes) => {
            let code = nationality.trim().to_uppercase();
            let name = nansen_domain::ids::Nationality::parse(&code)
                .ok()
                .and_then(|c| state.rules().nationality(c))
                .map(|n| if tr.lang() == "fr" { n.name_fr.clone() } else { n.name_en.clone() })
                .unwrap_or_else(|| code.clone());
            let page = NotesPage {
                nav: Some(nav(agent)),
                nationality: code,
                name,
                notes,
                may_publish: stats::may_manage_notes(state, agent),
                form,
                done,
                tr,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn notes_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(nationality): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let done = q.done.is_some();
    show_notes(&state, &headers, &agent, &nationality, FormState::default(), done, StatusCode::OK).await
}

async fn note_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(nationality): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let note = NewNote {
        title: form.text("title"),
        body: form.text("body"),
        sources: form.text("sources").lines().map(str::to_owned).collect(),
    };
    match stats::publish_note(&state, &agent, &nationality, note).await.map_err(WebError::from) {
        Ok(()) => Redirect::to(&format!("/statistics/notes/{}?done=1", nationality.to_uppercase())).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let failed = FormState {
                form: "note".into(),
                values: form.values(),
                field: e.field_name().map(str::to_owned),
                message: Some(crate::ui::localized(&e, &tr)),
            };
            show_notes(&state, &headers, &agent, &nationality, failed, false, e.status()).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
