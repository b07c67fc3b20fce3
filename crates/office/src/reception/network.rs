//! The national reception network: structures by region, a structure's page, the operators'
//! declarations of occupancy, and the register's new structures.

use nansen_authz::{Action as Act, Resource, Role, StructureAttrs};
use nansen_domain::protection::Department;
use nansen_domain::reception::{
    structure_subject, NewStructure, Places, ReceptionCommand, Structure, StructureCode, StructureCommand,
    StructureKind,
};
use nansen_store::{Action, Op, RECEPTION_LIMIT};
pub use nansen_store::{RegionLine, StructureLine};
use serde::Serialize;
use time::Date;

use super::agent_unit;
use crate::actor::Agent;
use crate::{Office, OfficeError};

pub(crate) async fn load_structure(office: &Office, code: &str) -> Result<(Structure, Resource, String), OfficeError> {
    let code = StructureCode::parse(code).map_err(|_| OfficeError::NotFound(format!("structure {code}")))?;
    let structure =
        office.store().structure(&code).await?.ok_or_else(|| OfficeError::NotFound(format!("structure {code}")))?;
    let resource = Resource::Structure(StructureAttrs {
        code: code.to_string(),
        region: structure.region.clone(),
        operator: structure.operator.clone(),
    });
    Ok((structure, resource, structure_subject(&code)))
}

/// The network as the agent sees it: every region's totals, and the structures of one region
/// (the agency) or of the operator's own (an operator).
#[derive(Debug, Clone, Serialize)]
pub struct NetworkView {
    pub regions: Vec<RegionLine>,
    pub structures: Vec<StructureLine>,
    /// The region whose structures are listed (none for an operator).
    pub region: Option<String>,
    pub may_open: bool,
}

/// The network; `region` chooses the structures listed (the agent's own region by default).
pub async fn network(office: &Office, agent: &Agent, region: Option<&str>) -> Result<NetworkView, OfficeError> {
    let operator = agent.role() == Role::AccommodationOperator;
    let region = match (operator, region.map(str::trim).filter(|r| !r.is_empty())) {
        (true, _) => None,
        (false, Some(r)) => Some(
            nansen_domain::reception::ReceptionRules::embedded()
                .check_region("region", r)
                .map_err(|e| OfficeError::field("region", e.to_string()))?,
        ),
        (false, None) => agent_unit(agent).map(str::to_owned),
    };
    let mut view = office
        .ask_listing(agent, Act::ReadNetwork, async || {
            let structures = if operator {
                office.store().structures(None, Some(agent_unit(agent).unwrap_or("-")), RECEPTION_LIMIT).await?
            } else {
                office.store().structures(region.as_deref(), None, RECEPTION_LIMIT).await?
            };
            let regions = if operator { Vec::new() } else { office.store().network_by_region().await? };
            let shown = serde_json::json!(structures.iter().map(|s| s.code.clone()).collect::<Vec<_>>());
            Ok((vec![NetworkView { regions, structures, region: region.clone(), may_open: false }], shown))
        })
        .await?;
    let mut view = view.pop().ok_or_else(|| OfficeError::Internal("the network's listing is empty".into()))?;
    view.may_open = office.may(agent, Act::ManageNetwork, &Resource::Office);
    Ok(view)
}

/// A structure's page.
#[derive(Debug, Clone, Serialize)]
pub struct StructureView {
    pub structure: Structure,
    pub may_declare: bool,
    pub may_place: bool,
    pub today: Date,
}

pub async fn read(office: &Office, agent: &Agent, code: &str) -> Result<StructureView, OfficeError> {
    let (structure, resource, subject) = load_structure(office, code).await?;
    let answers = office
        .ask(agent, &[Act::ReadStructure, Act::DeclareOccupancy, Act::PlaceHousehold], &resource, &subject)
        .await?;
    Ok(StructureView {
        structure,
        may_declare: answers.allowed(1),
        may_place: answers.allowed(2),
        today: office.today(),
    })
}

fn structure_op(office: &Office, agent: &Agent, code: &StructureCode, command: StructureCommand) -> Op {
    Op {
        actor: agent.login.clone(),
        now: office.now(),
        action: Action::Reception(vec![ReceptionCommand::Structure { code: code.clone(), command }]),
    }
}

/// The operator's declaration of the people in the structure's places.
pub async fn declare(
    office: &Office,
    agent: &Agent,
    code: &str,
    occupied: Places,
    on: Date,
) -> Result<(), OfficeError> {
    let (structure, resource, subject) = load_structure(office, code).await?;
    let code = structure.code.clone().ok_or_else(|| OfficeError::NotFound(format!("structure {code}")))?;
    office
        .act(agent, Act::DeclareOccupancy, &resource, &subject, async || {
            Ok(vec![structure_op(office, agent, &code, StructureCommand::DeclareOccupancy { occupied, on })])
        })
        .await?;
    Ok(())
}

/// What opens a structure, as typed.
#[derive(Debug, Clone)]
pub struct NewStructureForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub operator: String,
    pub department: String,
    pub places: Places,
    pub hospital_nearby: bool,
    pub opened_on: Date,
}

/// Opens a structure in the register (a regional director).
pub async fn open(office: &Office, agent: &Agent, form: NewStructureForm) -> Result<StructureCode, OfficeError> {
    let code = StructureCode::parse(&form.code).map_err(|e| OfficeError::field("code", e.to_string()))?;
    let subject = structure_subject(&code);
    office
        .act(agent, Act::ManageNetwork, &Resource::Office, &subject, async || {
            let kind = StructureKind::parse(&form.kind).map_err(|e| OfficeError::field("kind", e.to_string()))?;
            let department =
                Department::parse(&form.department).map_err(|e| OfficeError::field("department", e.to_string()))?;
            let new = NewStructure {
                code: code.clone(),
                name: form.name.clone(),
                kind,
                operator: form.operator.trim().to_owned(),
                department,
                places: form.places,
                hospital_nearby: form.hospital_nearby,
                opened_on: form.opened_on,
            };
            Ok(vec![structure_op(office, agent, &code, StructureCommand::Open(new))])
        })
        .await?;
    Ok(code)
}
