//! The reception agency (workspace `reception`): households at the single window, their
//! vulnerability and the doctor's opinion kept apart, the offer of material reception
//! conditions, placements in the network (`network.rs`) and the allowance (`allowance.rs`).
//! Every read and act goes through the gate on a `Household` or a `Structure` resource; nothing
//! here reads an asylum file beyond whether its number exists and the day its final decision was
//! notified.

pub mod allowance;
pub mod letters;
pub mod network;
pub mod orientation;

use nansen_authz::{Action as Act, HouseholdAttrs, Resource, Role};
use nansen_domain::reception::{
    household_subject, statement, AllowanceDecision, Assessment, AsylumProcedure, Household, HouseholdCommand,
    HouseholdId, LeaveReason, MedicalOpinion, Member, Need, NewHousehold, Offer, PayMonth, ReceptionCommand,
    ReceptionRules, Statement, StructureCode, StructureCommand,
};
use nansen_domain::{CaseNumber, Language};
use nansen_store::{Action, Op, RECEPTION_LIMIT};
pub use nansen_store::{HouseholdLine, HouseholdQuery};
use serde::Serialize;
use time::Date;

use crate::actor::Agent;
use crate::{Office, OfficeError};

/// The agency's region of an agent (reception agent, regional director, doctor), or the
/// operator of an operator's manager: kept in the account's unit.
pub fn agent_unit(agent: &Agent) -> Option<&str> {
    agent.principal.division.as_deref()
}

/// Whether the agent belongs to the reception agency (its pages carry the agency's name).
pub fn is_agency(agent: &Agent) -> bool {
    matches!(
        agent.role(),
        Role::ReceptionAgent | Role::RegionalDirector | Role::AgencyDoctor | Role::AccommodationOperator
    )
}

/// What a household's page offers the agent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HouseholdOffers {
    pub record: bool,
    pub medical: bool,
    pub decide_allowance: bool,
    /// Answer the offer (once).
    pub offer: bool,
    /// Place the household (accepted, asked for accommodation, not placed).
    pub place: bool,
    /// Record its departure.
    pub release: bool,
    /// The orientation's proposal: record a contest (within its deadline), a refusal, a
    /// no-show (after the day the place had to be reached).
    pub contest: bool,
    pub refuse: bool,
    pub no_show: bool,
    /// Decide a contest (the director).
    pub decide_contest: bool,
    /// The ending procedure: record observations, decide (the director).
    pub observations: bool,
    pub decide_ending: bool,
}

/// A household as the agent may see it: the doctor's notes are blanked for anyone but the
/// doctor (`medical_hidden`).
#[derive(Debug, Clone, Serialize)]
pub struct HouseholdView {
    pub household: Household,
    pub needs: Vec<Need>,
    pub medical_hidden: bool,
    pub offers: HouseholdOffers,
    /// This month's and last month's statements.
    pub statements: Vec<Statement>,
    /// The day the final decision on the asylum application was notified, if it was.
    pub final_notified: Option<Date>,
    /// The structure of the stay under way, by name.
    pub structure_name: Option<String>,
    pub today: Date,
}

pub(crate) async fn load_household(office: &Office, id: &str) -> Result<(Household, Resource, String), OfficeError> {
    let id = HouseholdId::parse(id).map_err(|_| OfficeError::NotFound(format!("household {id}")))?;
    let (household, _) =
        office.store().household(&id).await?.ok_or_else(|| OfficeError::NotFound(format!("household {id}")))?;
    let resource = Resource::Household(HouseholdAttrs { id: id.to_string(), region: household.region.clone() });
    Ok((household, resource, household_subject(&id)))
}

fn household_op(office: &Office, agent: &Agent, commands: Vec<ReceptionCommand>) -> Op {
    Op { actor: agent.login.clone(), now: office.now(), action: Action::Reception(commands) }
}

/// The households the agent may list: their region's (an agent without a region sees none).
pub async fn households(
    office: &Office,
    agent: &Agent,
    mut query: HouseholdQuery,
) -> Result<Vec<HouseholdLine>, OfficeError> {
    query.region = Some(agent_unit(agent).unwrap_or("-").to_owned());
    query.limit = query.limit.clamp(1, RECEPTION_LIMIT);
    office
        .ask_listing(agent, Act::ReadHouseholds, async || {
            let rows = office.store().households(&query).await?;
            let shown = serde_json::json!(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
            Ok((rows, shown))
        })
        .await
}

/// Whether the agent may register households (the single window's button).
pub fn may_register(office: &Office, agent: &Agent) -> bool {
    office.may(agent, Act::RegisterHousehold, &Resource::Office)
}

/// What the single window types to register a household.
#[derive(Debug, Clone)]
pub struct NewHouseholdForm {
    pub case: Option<String>,
    pub procedure: AsylumProcedure,
    pub language: String,
    pub address: String,
    pub members: Vec<Member>,
}

/// Registers a household in the agent's region; returns its number.
pub async fn register(office: &Office, agent: &Agent, form: NewHouseholdForm) -> Result<HouseholdId, OfficeError> {
    office.ask_quietly(agent, Act::RegisterHousehold, &Resource::Office, "household:new").await?;
    let region = agent_unit(agent).unwrap_or_default().to_owned();
    let language = Language::parse(form.language.trim()).map_err(|e| OfficeError::field("language", e.to_string()))?;
    let case = match form.case.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => {
            let number = CaseNumber::parse(c).map_err(|e| OfficeError::field("case", e.to_string()))?;
            if !office.store().case_exists(&number.to_string()).await? {
                return Err(OfficeError::field("case", format!("no application {number} is registered at the office")));
            }
            Some(number)
        }
        None => None,
    };
    let id = office.store().next_household_id(office.today().year()).await?;
    let subject = household_subject(&id);
    let new = NewHousehold {
        id: id.clone(),
        region,
        case,
        procedure: form.procedure,
        language,
        members: form.members,
        address: form.address,
    };
    office
        .act(agent, Act::RegisterHousehold, &Resource::Office, &subject, async || {
            Ok(vec![household_op(
                office,
                agent,
                vec![ReceptionCommand::Household { id: id.clone(), command: HouseholdCommand::Register(new) }],
            )])
        })
        .await?;
    Ok(id)
}

const ACTIONS: [Act; 4] = [Act::ReadHousehold, Act::RecordHousehold, Act::RecordMedical, Act::DecideAllowance];

/// A household's page; `Forbidden` unless the agent may read it.
pub async fn read(office: &Office, agent: &Agent, id: &str) -> Result<HouseholdView, OfficeError> {
    let (mut household, resource, subject) = load_household(office, id).await?;
    let answers = office.ask(agent, &ACTIONS, &resource, &subject).await?;
    let (record, medical, decide) = (answers.allowed(1), answers.allowed(2), answers.allowed(3));
    let today = office.today();
    let medical_hidden = !medical && household.medical.is_some();
    if !medical {
        if let Some(m) = household.medical.as_mut() {
            m.notes.clear();
        }
    }
    let final_notified = match household.case {
        Some(case) => office.store().final_decision_of(&case.to_string()).await?,
        None => None,
    };
    let rules = ReceptionRules::embedded();
    let this_month = PayMonth::of(today);
    let last_month = PayMonth::of(this_month.first_day().previous_day().unwrap_or(today));
    let statements =
        [this_month, last_month].iter().map(|m| statement(&household, *m, final_notified, rules)).collect();
    let structure_name = match household.current_stay() {
        Some(stay) => office.store().structure(&stay.structure).await?.map(|s| s.name),
        None => None,
    };
    let offered = household.offer.as_ref();
    let pending = household.pending_proposal();
    let offers = HouseholdOffers {
        record,
        medical,
        decide_allowance: decide && offered.is_some_and(|o| o.accepted),
        offer: record && offered.is_none(),
        place: record
            && offered.is_some_and(|o| o.accepted && o.needs_accommodation)
            && household.current_stay().is_none()
            && !household.allowance_ended_on(today),
        release: record && household.current_stay().is_some(),
        contest: record && pending.is_some_and(|p| p.contest.is_none() && today <= p.contest_by),
        refuse: record && pending.is_some_and(|p| !p.contest_pending()),
        no_show: record && pending.is_some_and(|p| !p.contest_pending() && today > p.reach_by),
        decide_contest: decide && pending.is_some_and(|p| p.contest_pending()),
        observations: record && household.open_ending().is_some_and(|e| e.observations.is_none()),
        decide_ending: decide
            && household.open_ending().is_some_and(|e| e.observations.is_some() || today > e.observations_by),
    };
    Ok(HouseholdView {
        needs: household.needs(today).into_iter().collect(),
        household,
        medical_hidden,
        offers,
        statements,
        final_notified,
        structure_name,
        today,
    })
}

/// A change to one household alone, under `action`.
async fn change(
    office: &Office,
    agent: &Agent,
    id: &str,
    action: Act,
    command: HouseholdCommand,
) -> Result<(), OfficeError> {
    let (household, resource, subject) = load_household(office, id).await?;
    let id = household.id.clone().ok_or_else(|| OfficeError::NotFound(format!("household {id}")))?;
    let now = office.now();
    office
        .act(agent, action, &resource, &subject, async || {
            let mut commands = vec![ReceptionCommand::Household { id: id.clone(), command: command.clone() }];
            if let Some(letter) = letters::letter_for(office, &household, &command, &agent.display_name, now).await? {
                commands.push(ReceptionCommand::Household { id: id.clone(), command: letter });
            }
            Ok(vec![Op { actor: agent.login.clone(), now, action: Action::Reception(commands) }])
        })
        .await?;
    Ok(())
}

pub async fn assess(office: &Office, agent: &Agent, id: &str, assessment: Assessment) -> Result<(), OfficeError> {
    change(office, agent, id, Act::RecordHousehold, HouseholdCommand::AssessVulnerability(assessment)).await
}

pub async fn record_medical(
    office: &Office,
    agent: &Agent,
    id: &str,
    opinion: MedicalOpinion,
) -> Result<(), OfficeError> {
    change(office, agent, id, Act::RecordMedical, HouseholdCommand::RecordMedicalOpinion(opinion)).await
}

pub async fn answer_offer(office: &Office, agent: &Agent, id: &str, offer: Offer) -> Result<(), OfficeError> {
    change(office, agent, id, Act::RecordHousehold, HouseholdCommand::DecideOffer(offer)).await
}

pub async fn decide_allowance(
    office: &Office,
    agent: &Agent,
    id: &str,
    decision: AllowanceDecision,
) -> Result<(), OfficeError> {
    change(office, agent, id, Act::DecideAllowance, HouseholdCommand::DecideAllowance(decision)).await
}

/// The household arrives in a structure: authorized on the structure (its operator, or the
/// agency in its region), the structure's and the household's changes in one commit.
pub async fn arrive(office: &Office, agent: &Agent, id: &str, structure: &str, on: Date) -> Result<(), OfficeError> {
    let code = StructureCode::parse(structure).map_err(|e| OfficeError::field("structure", e.to_string()))?;
    let id = HouseholdId::parse(id).map_err(|e| OfficeError::field("household", e.to_string()))?;
    let (_, resource, subject) = network::load_structure(office, code.as_str()).await?;
    office
        .act(agent, Act::PlaceHousehold, &resource, &subject, async || {
            let (household, _) = office
                .store()
                .household(&id)
                .await?
                .ok_or_else(|| OfficeError::field("household", format!("no household {id}")))?;
            let kind = household.place_kind();
            let persons = household.members.len() as u32;
            Ok(vec![household_op(
                office,
                agent,
                vec![
                    ReceptionCommand::Structure {
                        code: code.clone(),
                        command: StructureCommand::Admit { household: id.clone(), kind, persons, on },
                    },
                    ReceptionCommand::Household {
                        id: id.clone(),
                        command: HouseholdCommand::Arrive { structure: code.clone(), kind, on },
                    },
                ],
            )])
        })
        .await?;
    Ok(())
}

/// The household leaves the structure it is in.
pub async fn leave(office: &Office, agent: &Agent, id: &str, on: Date, reason: LeaveReason) -> Result<(), OfficeError> {
    let hid = HouseholdId::parse(id).map_err(|e| OfficeError::field("household", e.to_string()))?;
    let (household, _) =
        office.store().household(&hid).await?.ok_or_else(|| OfficeError::NotFound(format!("household {id}")))?;
    let Some(stay) = household.current_stay() else {
        return Err(OfficeError::field("household", "the household is not accommodated"));
    };
    let code = stay.structure.clone();
    let (_, resource, subject) = network::load_structure(office, code.as_str()).await?;
    office
        .act(agent, Act::PlaceHousehold, &resource, &subject, async || {
            Ok(vec![household_op(
                office,
                agent,
                vec![
                    ReceptionCommand::Structure {
                        code: code.clone(),
                        command: StructureCommand::Release { household: hid.clone(), on },
                    },
                    ReceptionCommand::Household { id: hid.clone(), command: HouseholdCommand::Leave { on, reason } },
                ],
            )])
        })
        .await?;
    Ok(())
}

/// Where the applicant of a case lives now, for the office's convocations: the structure the
/// household is placed in (name and department), else its address for letters. The only thing
/// of reception the office sees.
pub(crate) async fn lives_at(office: &Office, case_number: &str) -> Result<Option<String>, OfficeError> {
    let Some(household) = office.store().households_of_case(case_number).await?.into_iter().next() else {
        return Ok(None);
    };
    if let Some(stay) = household.current_stay() {
        if let Some(s) = office.store().structure(&stay.structure).await? {
            let department = s.department.as_ref().map(|d| d.as_str().to_owned()).unwrap_or_default();
            return Ok(Some(format!("{} ({department})", s.name)));
        }
    }
    Ok(Some(household.address))
}

/// The journal of a household, without payloads (what happened and when, by whom).
pub async fn timeline(office: &Office, agent: &Agent, id: &str) -> Result<Vec<nansen_store::Entry>, OfficeError> {
    let (_, resource, subject) = load_household(office, id).await?;
    office.ask(agent, &[Act::ReadHousehold], &resource, &subject).await?;
    Ok(office.store().timeline_of(&subject).await?)
}
