//! `/api/v1/reception/…`: the reception agency's households, network and allowance as JSON,
//! documented in the OpenAPI document. The same office calls as the pages.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use nansen_office::reception::allowance::{self, AllowanceRunLine};
use nansen_office::reception::network;
use nansen_office::reception::{self, HouseholdLine, HouseholdQuery, NewHouseholdForm};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::households::{measure, perform, Step};
use super::MemberInput;
use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reception/households", get(list).post(register))
        .route("/reception/households/{id}", get(read).post(step))
        .route("/reception/households/{id}/letters/{n}", get(letter))
        .route("/reception/network", get(network_list))
        .route("/reception/structures", axum::routing::post(open))
        .route("/reception/structures/{code}", get(structure).post(structure_step))
        .route("/reception/allowance-runs", get(runs).post(run))
        .route("/reception/orientation", get(orientation_read).post(orientation_run))
}

fn internal(e: serde_json::Error) -> WebError {
    WebError::Internal(e.to_string())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HouseholdsParams {
    /// A household number, a case number, or the start of the head's family name.
    pub q: Option<String>,
    /// `waiting` (accepted, asked for a place, has none) or `doctor` (awaits the doctor).
    pub filter: Option<String>,
}

/// A household of the list (the agent's region only).
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdLineJson {
    pub id: String,
    pub region: String,
    pub case_number: Option<String>,
    pub head: String,
    pub registered_on: String,
    pub persons: i64,
    /// pending, accepted or refused.
    pub offer: String,
    pub structure: Option<String>,
    pub awaits_doctor: bool,
    pub vulnerable: bool,
}

impl From<HouseholdLine> for HouseholdLineJson {
    fn from(l: HouseholdLine) -> Self {
        HouseholdLineJson {
            id: l.id,
            region: l.region,
            case_number: l.case_number,
            head: l.head_latin,
            registered_on: l.registered_on,
            persons: l.persons,
            offer: l.offer,
            structure: l.structure,
            awaits_doctor: l.awaits_doctor,
            vulnerable: l.vulnerable,
        }
    }
}

/// The region's households (journaled with the households shown).
#[utoipa::path(get, path = "/api/v1/reception/households", params(HouseholdsParams),
    responses((status = 200, body = Vec<HouseholdLineJson>)))]
async fn list(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<HouseholdsParams>,
) -> Result<Json<Vec<HouseholdLineJson>>, WebError> {
    let filter = q.filter.unwrap_or_default();
    let query = HouseholdQuery {
        text: q.q,
        awaits_doctor: filter == "doctor",
        waiting_place: filter == "waiting",
        limit: 500,
        ..Default::default()
    };
    Ok(Json(reception::households(&state, &agent, query).await?.into_iter().map(Into::into).collect()))
}

/// A member as the single window records them. The first member is the head of household.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MemberJson {
    pub family_name: String,
    #[serde(default)]
    pub given_names: String,
    /// In the original script, when it is not Latin.
    #[serde(default)]
    pub family_name_original: String,
    #[serde(default)]
    pub given_names_original: String,
    /// female, male or unspecified.
    #[serde(default)]
    pub sex: String,
    /// YYYY-MM-DD, or a year, or empty when unknown.
    #[serde(default)]
    pub birth_date: String,
    /// head, spouse, child, parent, sibling or other.
    pub relationship: String,
    /// Ten digits.
    #[serde(default)]
    pub foreigner_number: String,
}

/// A household to register in the agent's region.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewHouseholdJson {
    /// The head's case number at the office, when registered there (e.g. 2026-0000042).
    pub case: Option<String>,
    /// normal, accelerated or dublin.
    pub procedure: String,
    /// ISO 639 code of the language the household understands.
    pub language: String,
    pub address: String,
    pub members: Vec<MemberJson>,
}

/// A household as the agent may see it (the doctor's notes blank for anyone but the doctor),
/// with this month's and last month's statements.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdJson {
    #[schema(value_type = Object)]
    pub household: serde_json::Value,
    /// assess, medical, offer, arrive, leave, allowance, contest, decide_contest, refuse,
    /// no_show, observations, decide_ending.
    pub next_steps: Vec<String>,
}

fn household_json(v: reception::HouseholdView) -> Result<HouseholdJson, WebError> {
    let o = &v.offers;
    let steps = [
        ("assess", o.record),
        ("medical", o.medical),
        ("offer", o.offer),
        ("arrive", o.place),
        ("leave", o.release),
        ("allowance", o.decide_allowance),
        ("contest", o.contest),
        ("decide_contest", o.decide_contest),
        ("refuse", o.refuse),
        ("no_show", o.no_show),
        ("observations", o.observations),
        ("decide_ending", o.decide_ending),
    ];
    Ok(HouseholdJson {
        next_steps: steps.into_iter().filter(|(_, on)| *on).map(|(s, _)| s.to_owned()).collect(),
        household: serde_json::to_value(&v).map_err(internal)?,
    })
}

/// Registers a household; the number is allocated by the agency.
#[utoipa::path(post, path = "/api/v1/reception/households", request_body = NewHouseholdJson,
    responses((status = 200, body = HouseholdJson)))]
async fn register(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<NewHouseholdJson>,
) -> Result<Json<HouseholdJson>, WebError> {
    let mut members = Vec::new();
    for (i, m) in body.members.into_iter().enumerate() {
        let input = MemberInput {
            family_name: m.family_name,
            given_names: m.given_names,
            family_name_original: m.family_name_original,
            given_names_original: m.given_names_original,
            sex: m.sex,
            birth_date: m.birth_date,
            relationship: m.relationship,
            foreigner_number: m.foreigner_number,
        };
        members.push(input.parse(i)?);
    }
    let form = NewHouseholdForm {
        case: body.case,
        procedure: super::procedure(&body.procedure)?,
        language: body.language,
        address: body.address,
        members,
    };
    let id = reception::register(&state, &agent, form).await?;
    Ok(Json(household_json(reception::read(&state, &agent, id.as_str()).await?)?))
}

/// A household (the read is journaled).
#[utoipa::path(get, path = "/api/v1/reception/households/{id}", params(("id" = String, Path)),
    responses((status = 200, body = HouseholdJson)))]
async fn read(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<HouseholdJson>, WebError> {
    Ok(Json(household_json(reception::read(&state, &agent, &id).await?)?))
}

/// A step on a household (dates YYYY-MM-DD; today when left out).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum HouseholdStepJson {
    /// Points of vulnerability, each `{member, kind}` (member from 0, the head).
    Assess {
        #[serde(default)]
        needs: Vec<NeedJson>,
        #[serde(default)]
        accessible_place: bool,
        #[serde(default)]
        notes: String,
        on: Option<String>,
    },
    /// The doctor's opinion: priority none, follow_up or priority.
    Medical {
        priority: String,
        #[serde(default)]
        hospital_nearby: bool,
        #[serde(default)]
        accessible_place: bool,
        notes: String,
        on: Option<String>,
    },
    /// The household's signed answer to the offer.
    Offer {
        accepted: bool,
        #[serde(default)]
        needs_accommodation: bool,
        signed_on: Option<String>,
    },
    Arrive {
        structure: String,
        on: Option<String>,
    },
    /// reason: transfer, end_of_rights, left_voluntarily or excluded.
    Leave {
        reason: String,
        on: Option<String>,
    },
    /// measure: suspend, reduce (with percent), end or restore.
    Allowance {
        measure: String,
        percent: Option<u8>,
        from: Option<String>,
        reasons: String,
        #[serde(default)]
        vulnerability_weighed: String,
    },
    /// The household contests the orientation's proposal (within its deadline).
    Contest {
        grounds: String,
    },
    /// The director's decision on a contest.
    DecideContest {
        upheld: bool,
        reasons: String,
    },
    /// The household refuses the place proposed: the procedure that may end the conditions opens.
    Refuse {},
    /// The place was not reached within 5 days (R.551-3): the procedure opens.
    NoShow {},
    /// The household's written observations (D.551-17).
    Observations {
        text: String,
    },
    /// The director's reasoned decision: end (true) or maintain (false) the reception conditions.
    DecideEnding {
        end: bool,
        reasons: String,
        vulnerability_weighed: String,
    },
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NeedJson {
    pub member: usize,
    /// minor, disability, elderly, pregnancy, single_parent, trafficking, torture, rape,
    /// serious_violence, fgm, serious_illness or mental_disorder.
    pub kind: String,
}

fn day(state: &AppState, field: &str, s: Option<String>) -> Result<time::Date, WebError> {
    match s.filter(|s| !s.trim().is_empty()) {
        Some(s) => forms::date(field, &s),
        None => Ok(state.today()),
    }
}

impl HouseholdStepJson {
    fn step(self, state: &AppState) -> Result<Step, WebError> {
        use nansen_domain::reception as r;
        Ok(match self {
            HouseholdStepJson::Assess { needs, accessible_place, notes, on } => {
                let mut set = std::collections::BTreeSet::new();
                for n in needs {
                    set.insert(r::Need { member: n.member, kind: super::need_kind(&n.kind)? });
                }
                Step::Assess(r::Assessment { on: day(state, "on", on)?, needs: set, accessible_place, notes })
            }
            HouseholdStepJson::Medical { priority, hospital_nearby, accessible_place, notes, on } => {
                Step::Medical(r::MedicalOpinion {
                    on: day(state, "on", on)?,
                    priority: super::priority(&priority)?,
                    hospital_nearby,
                    accessible_place,
                    notes,
                })
            }
            HouseholdStepJson::Offer { accepted, needs_accommodation, signed_on } => {
                Step::Offer(r::Offer { accepted, needs_accommodation, signed_on: day(state, "signed_on", signed_on)? })
            }
            HouseholdStepJson::Arrive { structure, on } => Step::Arrive { structure, on: day(state, "on", on)? },
            HouseholdStepJson::Leave { reason, on } => {
                Step::Leave { on: day(state, "on", on)?, reason: super::leave_reason(&reason)? }
            }
            HouseholdStepJson::Allowance { measure: m, percent, from, reasons, vulnerability_weighed } => {
                Step::Allowance(r::AllowanceDecision {
                    measure: measure(&m, &percent.map(|p| p.to_string()).unwrap_or_default())?,
                    from: day(state, "from", from)?,
                    reasons,
                    vulnerability_weighed,
                })
            }
            HouseholdStepJson::Contest { grounds } => Step::Contest { grounds },
            HouseholdStepJson::DecideContest { upheld, reasons } => Step::DecideContest { upheld, reasons },
            HouseholdStepJson::Refuse {} => Step::Refuse,
            HouseholdStepJson::NoShow {} => Step::NoShow,
            HouseholdStepJson::Observations { text } => Step::Observations { text },
            HouseholdStepJson::DecideEnding { end, reasons, vulnerability_weighed } => {
                Step::DecideEnding { end, reasons, vulnerability_weighed }
            }
        })
    }
}

/// Records a step; the authorization and the events are journaled together.
#[utoipa::path(post, path = "/api/v1/reception/households/{id}", params(("id" = String, Path)),
    request_body = HouseholdStepJson, responses((status = 200, body = HouseholdJson)))]
async fn step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<HouseholdStepJson>,
) -> Result<Json<HouseholdJson>, WebError> {
    perform(&state, &agent, &id, body.step(&state)?).await?;
    Ok(Json(household_json(reception::read(&state, &agent, &id).await?)?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NetworkParams {
    /// A region code (IDF, ARA…): its structures are listed; the agent's own by default.
    pub region: Option<String>,
}

/// The network: places and occupancy by region, and one region's structures (an operator's
/// own structures for an operator).
#[derive(Debug, Serialize, ToSchema)]
pub struct NetworkJson {
    #[schema(value_type = Object)]
    pub network: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/reception/network", params(NetworkParams),
    responses((status = 200, body = NetworkJson)))]
async fn network_list(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<NetworkParams>,
) -> Result<Json<NetworkJson>, WebError> {
    let view = network::network(&state, &agent, q.region.as_deref()).await?;
    Ok(Json(NetworkJson { network: serde_json::to_value(&view).map_err(internal)? }))
}

/// A structure to open in the register (a regional director).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewStructureJson {
    /// e.g. CADA-93-004.
    pub code: String,
    pub name: String,
    /// cada, huda, caes or cph.
    pub kind: String,
    /// The operator's id, e.g. adoma.
    pub operator: String,
    /// A department ("93") or a postcode.
    pub department: String,
    pub places_single: u32,
    pub places_family: u32,
    pub places_accessible: u32,
    #[serde(default)]
    pub hospital_nearby: bool,
    pub opened_on: Option<String>,
}

/// A structure and what the caller may do there.
#[derive(Debug, Serialize, ToSchema)]
pub struct StructureJson {
    #[schema(value_type = Object)]
    pub structure: serde_json::Value,
    /// declare, arrive, leave.
    pub next_steps: Vec<String>,
}

fn structure_json(v: network::StructureView) -> Result<StructureJson, WebError> {
    let mut steps = Vec::new();
    if v.may_declare {
        steps.push("declare".to_owned());
    }
    if v.may_place {
        steps.extend(["arrive".to_owned(), "leave".to_owned()]);
    }
    Ok(StructureJson { structure: serde_json::to_value(&v.structure).map_err(internal)?, next_steps: steps })
}

#[utoipa::path(post, path = "/api/v1/reception/structures", request_body = NewStructureJson,
    responses((status = 200, body = StructureJson)))]
async fn open(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(b): ApiJson<NewStructureJson>,
) -> Result<Json<StructureJson>, WebError> {
    let form = network::NewStructureForm {
        code: b.code,
        name: b.name,
        kind: b.kind,
        operator: b.operator,
        department: b.department,
        places: nansen_domain::reception::Places {
            single: b.places_single,
            family: b.places_family,
            accessible: b.places_accessible,
        },
        hospital_nearby: b.hospital_nearby,
        opened_on: day(&state, "opened_on", b.opened_on)?,
    };
    let code = network::open(&state, &agent, form).await?;
    Ok(Json(structure_json(network::read(&state, &agent, code.as_str()).await?)?))
}

#[utoipa::path(get, path = "/api/v1/reception/structures/{code}", params(("code" = String, Path)),
    responses((status = 200, body = StructureJson)))]
async fn structure(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<StructureJson>, WebError> {
    Ok(Json(structure_json(network::read(&state, &agent, &code).await?)?))
}

/// A step at a structure: the operator's declaration, or a household's arrival or departure.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum StructureStepJson {
    /// People in the places, by kind, as of `on`.
    Declare {
        occupied_single: u32,
        occupied_family: u32,
        occupied_accessible: u32,
        on: Option<String>,
    },
    Arrive {
        household: String,
        on: Option<String>,
    },
    Leave {
        household: String,
        reason: String,
        on: Option<String>,
    },
}

#[utoipa::path(post, path = "/api/v1/reception/structures/{code}", params(("code" = String, Path)),
    request_body = StructureStepJson, responses((status = 200, body = StructureJson)))]
async fn structure_step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(code): ApiPath<String>,
    ApiJson(body): ApiJson<StructureStepJson>,
) -> Result<Json<StructureJson>, WebError> {
    match body {
        StructureStepJson::Declare { occupied_single, occupied_family, occupied_accessible, on } => {
            let occupied = nansen_domain::reception::Places {
                single: occupied_single,
                family: occupied_family,
                accessible: occupied_accessible,
            };
            network::declare(&state, &agent, &code, occupied, day(&state, "on", on)?).await?;
        }
        StructureStepJson::Arrive { household, on } => {
            reception::arrive(&state, &agent, &household, &code, day(&state, "on", on)?).await?;
        }
        StructureStepJson::Leave { household, reason, on } => {
            reception::leave(&state, &agent, &household, day(&state, "on", on)?, super::leave_reason(&reason)?).await?;
        }
    }
    Ok(Json(structure_json(network::read(&state, &agent, &code).await?)?))
}

/// A month paid.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllowanceRunJson {
    pub month: String,
    pub households: i64,
    pub total_cents: i64,
    /// SHA-256 of the payment file.
    pub sha256: String,
    pub run_at: String,
    pub run_by: String,
}

impl From<AllowanceRunLine> for AllowanceRunJson {
    fn from(r: AllowanceRunLine) -> Self {
        AllowanceRunJson {
            month: r.month,
            households: r.households,
            total_cents: r.total_cents,
            sha256: r.sha256,
            run_at: r.run_at,
            run_by: r.run_by,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/reception/allowance-runs", responses((status = 200, body = Vec<AllowanceRunJson>)))]
async fn runs(State(state): State<AppState>, agent: Agent) -> Result<Json<Vec<AllowanceRunJson>>, WebError> {
    Ok(Json(allowance::runs(&state, &agent).await?.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RunJson {
    /// A month that is over, YYYY-MM.
    pub month: String,
}

/// Pays a month: the payment file is stored and the run journaled; a month is never paid twice.
#[utoipa::path(post, path = "/api/v1/reception/allowance-runs", request_body = RunJson,
    responses((status = 200, body = AllowanceRunJson)))]
async fn run(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<RunJson>,
) -> Result<Json<AllowanceRunJson>, WebError> {
    Ok(Json(allowance::run(&state, &agent, &body.month).await?.into()))
}

/// The region's standing against the scheme, its proposals and the figures by destination.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrientationJson {
    #[schema(value_type = Object)]
    pub orientation: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/reception/orientation", responses((status = 200, body = OrientationJson)))]
async fn orientation_read(State(state): State<AppState>, agent: Agent) -> Result<Json<OrientationJson>, WebError> {
    let view = nansen_office::reception::orientation::overview(&state, &agent).await?;
    Ok(Json(OrientationJson { orientation: serde_json::to_value(&view).map_err(internal)? }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrientationRunJson {
    /// The last day to contest a proposal, YYYY-MM-DD: today or later, before the day the place
    /// must be reached.
    pub contest_by: String,
}

/// What a run did: the proposals, the plan's status and gap, the greedy baseline, and what
/// could not be placed and why.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrientationReportJson {
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// Runs the week's orientation of the director's region (HiGHS) and commits its proposals.
#[utoipa::path(post, path = "/api/v1/reception/orientation", request_body = OrientationRunJson,
    responses((status = 200, body = OrientationReportJson)))]
async fn orientation_run(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<OrientationRunJson>,
) -> Result<Json<OrientationReportJson>, WebError> {
    let contest_by = forms::date("contest_by", body.contest_by.trim())?;
    let report = nansen_office::reception::orientation::run(&state, &agent, contest_by).await?;
    Ok(Json(OrientationReportJson { report: serde_json::to_value(&report).map_err(internal)? }))
}

#[derive(OpenApi)]
#[openapi(paths(
    list,
    register,
    read,
    step,
    network_list,
    open,
    structure,
    structure_step,
    runs,
    run,
    orientation_read,
    orientation_run,
    letter
))]
pub struct ReceptionDoc;

/// A letter the agency issued to the household (`n` from 1, in the order of its `letters`): a
/// PDF/A in French with a translation in the household's language. The read is journaled.
#[utoipa::path(get, path = "/api/v1/reception/households/{id}/letters/{n}",
    params(("id" = String, Path), ("n" = u32, Path, minimum = 1)),
    responses((status = 200, description = "the letter, application/pdf"), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
async fn letter(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath((id, n)): ApiPath<(String, u32)>,
) -> Result<axum::response::Response, WebError> {
    let index = (n as usize).checked_sub(1).ok_or_else(|| WebError::NotFound("letter".into()))?;
    let bytes = nansen_office::reception::letters::read(&state, &agent, &id, index).await?;
    Ok(crate::documents::send_letter(bytes))
}
