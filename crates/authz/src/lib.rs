//! Need-to-know authorization for Nansen, decided by Cedar policies.
//!
//! This crate owns three things: the Cedar policies (`policies/*.cedar`), the Cedar schema they are validated
//! against (`policies/nansen.cedarschema`), and the mapping from Nansen's principals ([`Principal`]) and
//! resources ([`Resource`]) to Cedar entities. Keeping the rules in policy files rather than in handler code lets a
//! reviewer read who may see what in one place, and lets the validator reject a policy that names an attribute,
//! role or action that does not exist.
//!
//! It must not do I/O beyond the files embedded at compile time with `include_str!`: no file system, no
//! database, no HTTP, no clock. The caller (the web crate) loads the case from the store, builds a [`CaseAttrs`]
//! and asks [`Authorizer::decide`]; this crate only answers.
//!
//! The default is deny: whatever no policy permits is refused, and a `forbid` policy overrides every `permit`.
#![forbid(unsafe_code)]

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use cedar_policy::{
    ActionConstraint, Context, Entities, Entity, EntityId, EntityTypeName, EntityUid, PolicyId, PolicySet, Request,
    RestrictedExpression, Schema, ValidationMode, Validator,
};

/// The schema, in Cedar's human-readable format.
const SCHEMA_SRC: &str = include_str!("../policies/nansen.cedarschema");

/// The policy files, by name (the name only serves error messages). A new file must be added here; a test checks
/// that every `.cedar` file of `policies/` is listed.
const POLICY_FILES: [(&str, &str); 11] = [
    ("case_read.cedar", include_str!("../policies/case_read.cedar")),
    ("case_work.cedar", include_str!("../policies/case_work.cedar")),
    ("documents.cedar", include_str!("../policies/documents.cedar")),
    ("guards.cedar", include_str!("../policies/guards.cedar")),
    ("office.cedar", include_str!("../policies/office.cedar")),
    ("planning.cedar", include_str!("../policies/planning.cedar")),
    ("protection.cedar", include_str!("../policies/protection.cedar")),
    ("reception.cedar", include_str!("../policies/reception.cedar")),
    ("recordings.cedar", include_str!("../policies/recordings.cedar")),
    ("research.cedar", include_str!("../policies/research.cedar")),
    ("statistics.cedar", include_str!("../policies/statistics.cedar")),
];

/// The Cedar namespace of every entity type and action.
const NAMESPACE: &str = "Nansen";

/// An agent's role in the office. Need-to-know depends on it first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    DigitizationSecretary,
    ProtectionOfficer,
    SectionHead,
    ResearchAssistant,
    LegalConsultant,
    CivilRegistrar,
    Archivist,
    ReceptionAgent,
    Administrator,
    Auditor,
    /// The data-protection officer (délégué à la protection des données): reviews who opened
    /// journal payloads and why; reads no case.
    DataProtectionOfficer,
    /// The director general (directeur général): the office's figures as a whole.
    Director,
    /// A division head (chef de division): the figures of their division.
    DivisionHead,
    /// A member of the harmonisation committee (mission harmonisation): consistency of decisions
    /// across the office, and the reference notes per nationality.
    HarmonisationOfficer,
    /// A regional director of the reception agency (directeur territorial): orientation, the
    /// network of the region, decisions on the allowance, the monthly payment.
    RegionalDirector,
    /// The reception agency's doctor (médecin de l'OFII): the medical points of vulnerability,
    /// whose details no one else reads.
    AgencyDoctor,
    /// An accommodation operator's manager (gestionnaire): declares arrivals, departures and
    /// vacancies of its own structures only.
    AccommodationOperator,
    /// A division's planning officer (chargé de planification): keeps the register of
    /// interpreters and rooms and plans the division's interviews with the section heads.
    Planner,
    /// An interpreter of a contracted firm: a limited account that sees its own schedule
    /// (date, time, room or video link, language) and nothing of the cases.
    Interpreter,
}

impl Role {
    pub const ALL: [Role; 19] = [
        Role::DigitizationSecretary,
        Role::ProtectionOfficer,
        Role::SectionHead,
        Role::ResearchAssistant,
        Role::LegalConsultant,
        Role::CivilRegistrar,
        Role::Archivist,
        Role::ReceptionAgent,
        Role::Administrator,
        Role::Auditor,
        Role::DataProtectionOfficer,
        Role::Director,
        Role::DivisionHead,
        Role::HarmonisationOfficer,
        Role::RegionalDirector,
        Role::AgencyDoctor,
        Role::AccommodationOperator,
        Role::Planner,
        Role::Interpreter,
    ];

    /// The role's name, as stored with accounts and as the id of the `Nansen::Role` entity in the policies.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::DigitizationSecretary => "digitization_secretary",
            Role::ProtectionOfficer => "protection_officer",
            Role::SectionHead => "section_head",
            Role::ResearchAssistant => "research_assistant",
            Role::LegalConsultant => "legal_consultant",
            Role::CivilRegistrar => "civil_registrar",
            Role::Archivist => "archivist",
            Role::ReceptionAgent => "reception_agent",
            Role::Administrator => "administrator",
            Role::Auditor => "auditor",
            Role::DataProtectionOfficer => "data_protection_officer",
            Role::Director => "director",
            Role::DivisionHead => "division_head",
            Role::HarmonisationOfficer => "harmonisation_officer",
            Role::RegionalDirector => "regional_director",
            Role::AgencyDoctor => "agency_doctor",
            Role::AccommodationOperator => "accommodation_operator",
            Role::Planner => "planner",
            Role::Interpreter => "interpreter",
        }
    }

    /// The inverse of [`Role::as_str`]; `None` for an unknown name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The agent asking. `division` and `section` are absent for agents outside the examination divisions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    pub login: String,
    pub role: Role,
    pub division: Option<String>,
    pub section: Option<u8>,
}

/// What the agent asks to do. The first ten act on one case, the others on the office as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ReadCase,
    ReadInterview,
    ReadDraft,
    AssignCase,
    ScheduleInterview,
    RecordInterview,
    DraftDecision,
    ReviewDecision,
    SignDecision,
    NotifyDecision,
    /// See the index of the case file's documents and download them.
    ReadDocuments,
    /// Scan and file documents into the case (and issue the office's letters).
    FileDocuments,
    /// Record an original's receipt, shelf, loans and return.
    KeepOriginals,
    RegisterApplication,
    SearchCases,
    ViewQueue,
    ReadJournal,
    ManageAccounts,
    /// The list of originals still in custody.
    ListOriginals,
    /// Open a justified, time-limited access to journal payloads (the auditor; stated reason).
    ReadJournalPayloads,
    /// The list of justified accesses to payloads (the data-protection officer).
    ReviewPayloadAccess,
    /// The statistics tables and charts (aggregates: no case content).
    ReadStatistics,
    /// The reference notes of the harmonisation committee per nationality.
    ReadReferenceNotes,
    /// Publish a new version of a reference note (the harmonisation committee).
    ManageReferenceNotes,
    /// Protection rates of one unit (division, section, officer) for harmonisation: the resource
    /// is a [`Resource::Unit`].
    ReadHarmonisation,
    /// Record what the asylum court and the legal-aid office say of an appeal: notice, legal aid,
    /// hearing, ruling, further appeal (workspace `protection`).
    RecordAppeal,
    /// Write the office's defence before the court (mémoire en défense).
    DraftDefence,
    /// Read a colleague's defence and approve it or return it.
    ReviewDefence,
    /// The appeals under way and the calendar of hearings.
    ReadAppeals,
    /// Read a protected person's civil-status acts, their mentions and copies (état civil).
    ReadCivilStatus,
    /// Draw up acts, add mentions and issue certified copies.
    RecordCivilStatus,
    /// Search the register of acts by number or name.
    ReadRegister,
    /// Keep a protected girl's FGM follow-up: letters, certificates (restricted), incidents.
    FollowUpFgm,
    /// Sign a prepared report to the prosecutor.
    SignFgmReport,
    /// The daily list of follow-ups due and overdue, and reports awaiting signature.
    ReadFgmFollowUps,
    /// Open a procedure to end a protection, record the person's answer, draft the decision
    /// (fin de protection).
    PrepareEnding,
    /// Sign the decision ending or maintaining a protection.
    SignEnding,
    /// The procedures to end a protection under way and the recent decisions.
    ReadEndings,
    /// Register a household at the single window (reception agency).
    RegisterHousehold,
    /// The list of households (each agent sees their region's).
    ReadHouseholds,
    /// The national reception network: structures, places and occupancy.
    ReadNetwork,
    /// Open a structure in the register of the network.
    ManageNetwork,
    /// Run a month's allowance and download its payment file.
    RunAllowance,
    /// A household's page: members, vulnerability, offer, stays, allowance (never the asylum file).
    ReadHousehold,
    /// Assess vulnerability, record the offer's answer, arrivals and departures.
    RecordHousehold,
    /// Read and record the doctor's opinion, whose notes no one else reads.
    RecordMedical,
    /// Suspend, reduce, end or restore a household's allowance.
    DecideAllowance,
    /// A structure's page: places, occupancy, households placed there.
    ReadStructure,
    /// Declare the people in a structure's places (its operator).
    DeclareOccupancy,
    /// Record a household's arrival in or departure from a structure.
    PlaceHousehold,
    /// Run the weekly regional orientation of the households registered in the agent's region,
    /// and read its figures.
    OrientHouseholds,
    /// The planning's register (firms, interpreters, rooms, officers' calendars) and the
    /// division's planned interviews (workspace `planning`).
    ReadPlanning,
    /// Register firms, interpreters and rooms, their availability and closures.
    ManageRegister,
    /// Compute the division's plan of interviews and send its convocations.
    PlanInterviews,
    /// An interpreter's own schedule: nothing of any case.
    ReadOwnSchedule,
    /// Mark an officer's half-days away or back (the resource is a [`Resource::Unit`] of level
    /// `officer`).
    KeepCalendar,
    /// Hear the interview's sound recording (for an appeal, only after a rejection or a grant
    /// of subsidiary protection).
    ListenRecording,
    /// Search and read the country-of-origin library (workspace `research`).
    ReadLibrary,
    /// Import documents into the library and link new versions.
    ManageLibrary,
    /// Ask the research division a question about a case's country of origin (the case's own
    /// officer, while the case is examined).
    AskResearch,
    /// The research division's queue of requests: each question and the facts it bears on,
    /// never the case file.
    ReadResearchQueue,
    /// Take a request, answer it with cited passages, review a colleague's answer.
    AnswerResearch,
}

impl Action {
    pub const ALL: [Action; 62] = [
        Action::ReadCase,
        Action::ReadInterview,
        Action::ReadDraft,
        Action::AssignCase,
        Action::ScheduleInterview,
        Action::RecordInterview,
        Action::DraftDecision,
        Action::ReviewDecision,
        Action::SignDecision,
        Action::NotifyDecision,
        Action::ReadDocuments,
        Action::FileDocuments,
        Action::KeepOriginals,
        Action::RegisterApplication,
        Action::SearchCases,
        Action::ViewQueue,
        Action::ReadJournal,
        Action::ManageAccounts,
        Action::ListOriginals,
        Action::ReadJournalPayloads,
        Action::ReviewPayloadAccess,
        Action::ReadStatistics,
        Action::ReadReferenceNotes,
        Action::ManageReferenceNotes,
        Action::ReadHarmonisation,
        Action::RecordAppeal,
        Action::DraftDefence,
        Action::ReviewDefence,
        Action::ReadAppeals,
        Action::ReadCivilStatus,
        Action::RecordCivilStatus,
        Action::ReadRegister,
        Action::FollowUpFgm,
        Action::SignFgmReport,
        Action::ReadFgmFollowUps,
        Action::PrepareEnding,
        Action::SignEnding,
        Action::ReadEndings,
        Action::RegisterHousehold,
        Action::ReadHouseholds,
        Action::ReadNetwork,
        Action::ManageNetwork,
        Action::RunAllowance,
        Action::ReadHousehold,
        Action::RecordHousehold,
        Action::RecordMedical,
        Action::DecideAllowance,
        Action::ReadStructure,
        Action::DeclareOccupancy,
        Action::PlaceHousehold,
        Action::OrientHouseholds,
        Action::ReadPlanning,
        Action::ManageRegister,
        Action::PlanInterviews,
        Action::ReadOwnSchedule,
        Action::KeepCalendar,
        Action::ListenRecording,
        Action::ReadLibrary,
        Action::ManageLibrary,
        Action::AskResearch,
        Action::ReadResearchQueue,
        Action::AnswerResearch,
    ];

    /// The action's name, which is also the id of its `Nansen::Action` entity in the policies.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::ReadCase => "read_case",
            Action::ReadInterview => "read_interview",
            Action::ReadDraft => "read_draft",
            Action::AssignCase => "assign_case",
            Action::ScheduleInterview => "schedule_interview",
            Action::RecordInterview => "record_interview",
            Action::DraftDecision => "draft_decision",
            Action::ReviewDecision => "review_decision",
            Action::SignDecision => "sign_decision",
            Action::NotifyDecision => "notify_decision",
            Action::RegisterApplication => "register_application",
            Action::SearchCases => "search_cases",
            Action::ViewQueue => "view_queue",
            Action::ReadJournal => "read_journal",
            Action::ManageAccounts => "manage_accounts",
            Action::ReadDocuments => "read_documents",
            Action::FileDocuments => "file_documents",
            Action::KeepOriginals => "keep_originals",
            Action::ListOriginals => "list_originals",
            Action::ReadJournalPayloads => "read_journal_payloads",
            Action::ReviewPayloadAccess => "review_payload_access",
            Action::ReadStatistics => "read_statistics",
            Action::ReadReferenceNotes => "read_reference_notes",
            Action::ManageReferenceNotes => "manage_reference_notes",
            Action::ReadHarmonisation => "read_harmonisation",
            Action::RecordAppeal => "record_appeal",
            Action::DraftDefence => "draft_defence",
            Action::ReviewDefence => "review_defence",
            Action::ReadAppeals => "read_appeals",
            Action::ReadCivilStatus => "read_civil_status",
            Action::RecordCivilStatus => "record_civil_status",
            Action::ReadRegister => "read_register",
            Action::FollowUpFgm => "follow_up_fgm",
            Action::SignFgmReport => "sign_fgm_report",
            Action::ReadFgmFollowUps => "read_fgm_follow_ups",
            Action::PrepareEnding => "prepare_ending",
            Action::SignEnding => "sign_ending",
            Action::ReadEndings => "read_endings",
            Action::RegisterHousehold => "register_household",
            Action::ReadHouseholds => "read_households",
            Action::ReadNetwork => "read_network",
            Action::ManageNetwork => "manage_network",
            Action::RunAllowance => "run_allowance",
            Action::ReadHousehold => "read_household",
            Action::RecordHousehold => "record_household",
            Action::RecordMedical => "record_medical",
            Action::DecideAllowance => "decide_allowance",
            Action::ReadStructure => "read_structure",
            Action::DeclareOccupancy => "declare_occupancy",
            Action::PlaceHousehold => "place_household",
            Action::OrientHouseholds => "orient_households",
            Action::ReadPlanning => "read_planning",
            Action::ManageRegister => "manage_register",
            Action::PlanInterviews => "plan_interviews",
            Action::ReadOwnSchedule => "read_own_schedule",
            Action::KeepCalendar => "keep_calendar",
            Action::ListenRecording => "listen_recording",
            Action::ReadLibrary => "read_library",
            Action::ManageLibrary => "manage_library",
            Action::AskResearch => "ask_research",
            Action::ReadResearchQueue => "read_research_queue",
            Action::AnswerResearch => "answer_research",
        }
    }

    /// Whether the action applies to a [`Resource::Case`] (see also [`Action::on_household`],
    /// [`Action::on_structure`], [`Action::on_unit`]; otherwise to [`Resource::Office`]).
    pub fn on_case(&self) -> bool {
        matches!(
            self,
            Action::ReadCase
                | Action::ReadInterview
                | Action::ReadDraft
                | Action::AssignCase
                | Action::ScheduleInterview
                | Action::RecordInterview
                | Action::DraftDecision
                | Action::ReviewDecision
                | Action::SignDecision
                | Action::NotifyDecision
                | Action::ReadDocuments
                | Action::FileDocuments
                | Action::KeepOriginals
                | Action::RecordAppeal
                | Action::DraftDefence
                | Action::ReviewDefence
                | Action::ReadCivilStatus
                | Action::RecordCivilStatus
                | Action::FollowUpFgm
                | Action::SignFgmReport
                | Action::PrepareEnding
                | Action::SignEnding
                | Action::ListenRecording
                | Action::AskResearch
        )
    }

    /// Whether the action applies to a [`Resource::Household`].
    pub fn on_household(&self) -> bool {
        matches!(
            self,
            Action::ReadHousehold | Action::RecordHousehold | Action::RecordMedical | Action::DecideAllowance
        )
    }

    /// Whether the action applies to a [`Resource::Structure`].
    pub fn on_structure(&self) -> bool {
        matches!(self, Action::ReadStructure | Action::DeclareOccupancy | Action::PlaceHousehold)
    }

    /// Whether the action applies to a [`Resource::Unit`].
    pub fn on_unit(&self) -> bool {
        matches!(self, Action::ReadHarmonisation | Action::KeepCalendar)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What the policies need to know about a case: no names, no narrative, only who it belongs to and where it
/// stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseAttrs {
    /// e.g. "2026-0000042".
    pub number: String,
    /// "africa" | "americas-maghreb" | "asia" | "europe-middle-east".
    pub division: Option<String>,
    pub section: Option<u8>,
    /// Login of the assigned protection officer.
    pub officer: Option<String>,
    /// Login of whoever drafted the decision.
    pub drafted_by: Option<String>,
    /// The nationality is pooled ("mutualisation") today: any division may examine it.
    pub pooled: bool,
    /// Snake-case status, e.g. "under_review", "signed", "notified", "final", "appealed", "court_decided".
    pub status: String,
    /// A signed decision granted refugee status or subsidiary protection.
    pub protection_granted: bool,
    /// A signed decision rejected the application or granted subsidiary protection: the
    /// interview's recording may be heard for an appeal.
    pub recording_open: bool,
}

/// A unit of the office whose figures are shown (harmonisation): the office, a division, a
/// section of a division, or one officer of a section.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitAttrs {
    /// "office" | "division" | "section" | "officer".
    pub level: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    pub officer: Option<String>,
}

impl UnitAttrs {
    /// The unit's name: `office`, `africa`, `africa/1`, `africa/1/opi.mercier`.
    pub fn name(&self) -> String {
        let mut parts = vec![];
        parts.extend(self.division.clone());
        parts.extend(self.section.map(|s| s.to_string()));
        parts.extend(self.officer.clone());
        if parts.is_empty() {
            "office".into()
        } else {
            parts.join("/")
        }
    }
}

/// What the policies need to know about a household of the reception agency: where it was
/// registered, nothing of who it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HouseholdAttrs {
    pub id: String,
    /// The single window's region, e.g. "IDF".
    pub region: String,
}

/// What the policies need to know about a structure of the reception network.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructureAttrs {
    pub code: String,
    pub region: String,
    /// The operator that runs it, e.g. "adoma".
    pub operator: String,
}

/// What the action is done to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Office,
    Case(CaseAttrs),
    Unit(UnitAttrs),
    Household(HouseholdAttrs),
    Structure(StructureAttrs),
}

/// The answer. `policies` are the `@id`s of the determining policies (the permits that allowed, or the forbids that
/// denied; empty when nothing permitted), for the journal and for explaining a refusal. `errors` are evaluation or
/// request errors; any error means deny.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub allowed: bool,
    pub policies: Vec<String>,
    pub errors: Vec<String>,
}

/// Why the embedded policies could not be loaded. Any of these is a bug in this crate, caught by its tests.
#[derive(Debug, thiserror::Error)]
pub enum AuthzError {
    #[error("the Cedar schema does not parse: {0}")]
    Schema(String),
    #[error("policy file {file} does not parse: {message}")]
    Parse { file: &'static str, message: String },
    #[error("policy file {file} contains a template; only static policies are supported")]
    Template { file: &'static str },
    #[error("a policy in {file} has no @id(\"...\") annotation")]
    MissingId { file: &'static str },
    #[error("policy id {id} is used twice ({file})")]
    DuplicateId { file: &'static str, id: String },
    #[error("the policies do not validate against the schema: {}", .0.join("; "))]
    Validation(Vec<String>),
    #[error("cannot build Cedar name {name}: {message}")]
    Name { name: String, message: String },
}

/// Parsed and validated policies plus the schema and names that [`Authorizer::decide`] reuses on every call, so
/// that a decision builds two entities and nothing else.
pub struct Authorizer {
    /// The whole validated set.
    policies: PolicySet,
    /// Indexed like `actions`: the policies whose action scope can match that action. Cedar evaluates every
    /// policy it is given, so handing it only these divides the evaluation work several times over; a policy
    /// outside an action's slice could only have evaluated to "does not apply" for it.
    by_action: Vec<PolicySet>,
    schema: Schema,
    engine: cedar_policy::Authorizer,
    agent_type: EntityTypeName,
    case_type: EntityTypeName,
    unit_type: EntityTypeName,
    household_type: EntityTypeName,
    structure_type: EntityTypeName,
    office: EntityUid,
    /// Indexed by `Action as usize`, in the order of [`Action::ALL`].
    actions: Vec<EntityUid>,
    /// Indexed by `Role as usize`, in the order of [`Role::ALL`].
    roles: Vec<EntityUid>,
    /// Answers already computed. The policies are fixed for the life of the authorizer and read
    /// nothing but the principal, the action and the resource's attributes (never the case's
    /// number, which is left out of the key), so an answer is a pure function of the key: a case
    /// page asking thirteen actions of a case like many others is answered from here.
    memo: std::sync::RwLock<HashMap<MemoKey, Decision>>,
}

/// What a decision depends on: the principal, the action, and the resource without its identity.
/// Households and structures are keyed by their region and operator only.
type MemoKey = (Principal, Action, Option<CaseAttrs>, Option<UnitAttrs>, Option<(String, String)>);

/// Most answers kept; the memo starts over when full (a few thousand distinct keys in practice).
const MEMO_LIMIT: usize = 100_000;

// The web crate shares one authorizer among all requests: fail the build, not the server, if that stops holding.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Authorizer>();
};

impl std::fmt::Debug for Authorizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorizer").field("policies", &self.policies.policies().count()).finish_non_exhaustive()
    }
}

fn type_name(name: &str) -> Result<EntityTypeName, AuthzError> {
    let full = format!("{NAMESPACE}::{name}");
    EntityTypeName::from_str(&full).map_err(|e| AuthzError::Name { name: full, message: e.to_string() })
}

impl Authorizer {
    /// Parses the embedded schema and policies, renames each policy after its `@id` annotation and validates the
    /// whole set against the schema in strict mode. Warnings (e.g. a policy that can never apply) are errors too:
    /// they are always a mistake in a hand-written policy.
    pub fn embedded() -> Result<Authorizer, AuthzError> {
        Self::load(SCHEMA_SRC, &POLICY_FILES)
    }

    fn load(schema_src: &str, files: &[(&'static str, &str)]) -> Result<Authorizer, AuthzError> {
        let (schema, _warnings) =
            Schema::from_cedarschema_str(schema_src).map_err(|e| AuthzError::Schema(e.to_string()))?;

        let mut policies = PolicySet::new();
        for &(file, src) in files {
            let parsed = PolicySet::from_str(src).map_err(|e| AuthzError::Parse { file, message: e.to_string() })?;
            if parsed.templates().next().is_some() {
                return Err(AuthzError::Template { file });
            }
            for policy in parsed.policies() {
                let id = policy.annotation("id").filter(|id| !id.is_empty()).ok_or(AuthzError::MissingId { file })?;
                policies
                    .add(policy.new_id(PolicyId::new(id)))
                    .map_err(|_| AuthzError::DuplicateId { file, id: id.to_owned() })?;
            }
        }

        let result = Validator::new(schema.clone()).validate(&policies, ValidationMode::Strict);
        let problems: Vec<String> = result
            .validation_errors()
            .map(|e| format!("{}: {e}", e.policy_id()))
            .chain(result.validation_warnings().map(|w| format!("{}: {w}", w.policy_id())))
            .collect();
        if !problems.is_empty() {
            return Err(AuthzError::Validation(problems));
        }

        let action_type = type_name("Action")?;
        let role_type = type_name("Role")?;
        let uid = |ty: &EntityTypeName, id: &str| EntityUid::from_type_name_and_id(ty.clone(), EntityId::new(id));
        let actions: Vec<EntityUid> = Action::ALL.iter().map(|a| uid(&action_type, a.as_str())).collect();
        let by_action = slice_by_action(&policies, &actions)?;
        Ok(Authorizer {
            actions,
            by_action,
            roles: Role::ALL.iter().map(|r| uid(&role_type, r.as_str())).collect(),
            office: uid(&type_name("Office")?, "office"),
            agent_type: type_name("Agent")?,
            case_type: type_name("Case")?,
            unit_type: type_name("Unit")?,
            household_type: type_name("Household")?,
            structure_type: type_name("Structure")?,
            engine: cedar_policy::Authorizer::new(),
            policies,
            schema,
            memo: Default::default(),
        })
    }

    /// May `principal` do `action` to `resource`? Never panics: a malformed request (e.g. a case action on the
    /// office) or an evaluation error is a deny, with the reason in [`Decision::errors`].
    pub fn decide(&self, principal: &Principal, action: Action, resource: &Resource) -> Decision {
        let key: MemoKey = (
            principal.clone(),
            action,
            match resource {
                Resource::Case(case) => Some(CaseAttrs { number: String::new(), ..case.clone() }),
                _ => None,
            },
            match resource {
                Resource::Unit(unit) => Some(unit.clone()),
                _ => None,
            },
            match resource {
                Resource::Household(h) => Some((h.region.clone(), String::new())),
                Resource::Structure(st) => Some((st.region.clone(), st.operator.clone())),
                _ => None,
            },
        );
        if let Some(known) = self.memo.read().ok().and_then(|memo| memo.get(&key).cloned()) {
            return known;
        }
        let decision = self.evaluate(principal, action, resource);
        if let Ok(mut memo) = self.memo.write() {
            if memo.len() >= MEMO_LIMIT {
                memo.clear();
            }
            memo.insert(key, decision.clone());
        }
        decision
    }

    /// The policies' answer, evaluated by Cedar (what [`Authorizer::decide`] remembers).
    pub fn evaluate(&self, principal: &Principal, action: Action, resource: &Resource) -> Decision {
        match self.try_decide(principal, action, resource) {
            Ok(decision) => decision,
            Err(error) => Decision { allowed: false, policies: Vec::new(), errors: vec![error] },
        }
    }

    fn try_decide(&self, principal: &Principal, action: Action, resource: &Resource) -> Result<Decision, String> {
        let agent = self.agent_entity(principal)?;
        let (resource_uid, resource_entity) = match resource {
            Resource::Office => (self.office.clone(), None),
            Resource::Case(case) => {
                let entity = self.case_entity(case)?;
                (entity.uid(), Some(entity))
            }
            Resource::Unit(unit) => {
                let entity = self.unit_entity(unit)?;
                (entity.uid(), Some(entity))
            }
            Resource::Household(h) => {
                let entity = self.household_entity(h)?;
                (entity.uid(), Some(entity))
            }
            Resource::Structure(st) => {
                let entity = self.structure_entity(st)?;
                (entity.uid(), Some(entity))
            }
        };
        let action_uid =
            self.actions.get(action.index()).ok_or_else(|| format!("no Cedar action for {}", action.as_str()))?.clone();

        // Checking the request against the schema rejects a case action on the office and vice versa.
        let request = Request::new(agent.uid(), action_uid, resource_uid, Context::empty(), Some(&self.schema))
            .map_err(|e| format!("invalid request: {e}"))?;

        // The entities are not checked against the schema here: they are built above from typed Rust values, and
        // a test checks that they conform. That keeps the schema's action entities out of every call.
        let entities = Entities::from_entities(std::iter::once(agent).chain(resource_entity), None)
            .map_err(|e| format!("invalid entities: {e}"))?;

        let policies =
            self.by_action.get(action.index()).ok_or_else(|| format!("no policies for {}", action.as_str()))?;
        let response = self.engine.is_authorized(&request, policies, &entities);
        let errors: Vec<String> = response.diagnostics().errors().map(|e| e.to_string()).collect();
        // Sorted: Cedar reports them from a set, and the journal should not depend on hash order.
        let mut policies: Vec<String> = response.diagnostics().reason().map(|id| id.to_string()).collect();
        policies.sort();
        Ok(Decision {
            // Cedar skips a policy whose evaluation errs, so a failing forbid would not deny: deny on any error.
            allowed: response.decision() == cedar_policy::Decision::Allow && errors.is_empty(),
            policies,
            errors,
        })
    }

    fn agent_entity(&self, principal: &Principal) -> Result<Entity, String> {
        let role = self
            .roles
            .get(principal.role as usize)
            .ok_or_else(|| format!("no Cedar role for {}", principal.role.as_str()))?
            .clone();
        let mut attrs = HashMap::with_capacity(4);
        attrs.insert("login".to_owned(), string(&principal.login));
        attrs.insert("role".to_owned(), RestrictedExpression::new_entity_uid(role));
        if let Some(division) = &principal.division {
            attrs.insert("division".to_owned(), string(division));
        }
        if let Some(section) = principal.section {
            attrs.insert("section".to_owned(), RestrictedExpression::new_long(i64::from(section)));
        }
        // The reception agency's agents keep their region, and operators their operator, where
        // the office's agents keep their division (one column of the account).
        if let Some(unit) = &principal.division {
            match principal.role {
                Role::ReceptionAgent | Role::RegionalDirector | Role::AgencyDoctor => {
                    attrs.insert("region".to_owned(), string(unit));
                }
                Role::AccommodationOperator => {
                    attrs.insert("operator".to_owned(), string(unit));
                }
                _ => {}
            }
        }
        let uid = EntityUid::from_type_name_and_id(self.agent_type.clone(), EntityId::new(&principal.login));
        Entity::new(uid, attrs, HashSet::new()).map_err(|e| format!("invalid agent entity: {e}"))
    }

    fn unit_entity(&self, unit: &UnitAttrs) -> Result<Entity, String> {
        let mut attrs = HashMap::with_capacity(4);
        attrs.insert("level".to_owned(), string(&unit.level));
        if let Some(division) = &unit.division {
            attrs.insert("division".to_owned(), string(division));
        }
        if let Some(section) = unit.section {
            attrs.insert("section".to_owned(), RestrictedExpression::new_long(i64::from(section)));
        }
        if let Some(officer) = &unit.officer {
            attrs.insert("officer".to_owned(), string(officer));
        }
        let uid = EntityUid::from_type_name_and_id(self.unit_type.clone(), EntityId::new(unit.name()));
        Entity::new(uid, attrs, HashSet::new()).map_err(|e| format!("invalid unit entity: {e}"))
    }

    fn household_entity(&self, h: &HouseholdAttrs) -> Result<Entity, String> {
        let attrs = HashMap::from([("region".to_owned(), string(&h.region))]);
        let uid = EntityUid::from_type_name_and_id(self.household_type.clone(), EntityId::new(&h.id));
        Entity::new(uid, attrs, HashSet::new()).map_err(|e| format!("invalid household entity: {e}"))
    }

    fn structure_entity(&self, st: &StructureAttrs) -> Result<Entity, String> {
        let attrs =
            HashMap::from([("region".to_owned(), string(&st.region)), ("operator".to_owned(), string(&st.operator))]);
        let uid = EntityUid::from_type_name_and_id(self.structure_type.clone(), EntityId::new(&st.code));
        Entity::new(uid, attrs, HashSet::new()).map_err(|e| format!("invalid structure entity: {e}"))
    }

    fn case_entity(&self, case: &CaseAttrs) -> Result<Entity, String> {
        let mut attrs = HashMap::with_capacity(8);
        attrs.insert("number".to_owned(), string(&case.number));
        attrs.insert("status".to_owned(), string(&case.status));
        attrs.insert("pooled".to_owned(), RestrictedExpression::new_bool(case.pooled));
        attrs.insert("protection_granted".to_owned(), RestrictedExpression::new_bool(case.protection_granted));
        attrs.insert("recording_open".to_owned(), RestrictedExpression::new_bool(case.recording_open));
        let optional = [("division", &case.division), ("officer", &case.officer), ("drafted_by", &case.drafted_by)];
        for (name, value) in optional {
            if let Some(value) = value {
                attrs.insert(name.to_owned(), string(value));
            }
        }
        if let Some(section) = case.section {
            attrs.insert("section".to_owned(), RestrictedExpression::new_long(i64::from(section)));
        }
        let uid = EntityUid::from_type_name_and_id(self.case_type.clone(), EntityId::new(&case.number));
        Entity::new(uid, attrs, HashSet::new()).map_err(|e| format!("invalid case entity: {e}"))
    }
}

/// Splits the validated set by action (see `Authorizer::by_action`). A policy whose scope is `action`, or
/// `action in [...]` naming anything but a known action (an action group, should the schema ever get one), goes
/// to every slice: over-including only costs time, under-including would change decisions.
fn slice_by_action(policies: &PolicySet, actions: &[EntityUid]) -> Result<Vec<PolicySet>, AuthzError> {
    let mut slices = vec![PolicySet::new(); actions.len()];
    for policy in policies.policies() {
        let named = match policy.action_constraint() {
            ActionConstraint::Any => None,
            ActionConstraint::Eq(uid) => Some(vec![uid]),
            ActionConstraint::In(uids) => Some(uids),
        };
        let known: Option<Vec<usize>> =
            named.and_then(|uids| uids.iter().map(|u| actions.iter().position(|a| a == u)).collect());
        let targets = known.unwrap_or_else(|| (0..actions.len()).collect());
        for i in targets {
            if let Some(slice) = slices.get_mut(i) {
                slice.add(policy.clone()).map_err(|_| AuthzError::DuplicateId {
                    file: "(slicing by action)",
                    id: policy.id().to_string(),
                })?;
            }
        }
    }
    Ok(slices)
}

fn string(s: &str) -> RestrictedExpression {
    RestrictedExpression::new_string(s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_policies_validate_against_the_schema() {
        let authz = Authorizer::embedded();
        assert!(authz.is_ok(), "{:?}", authz.err());
    }

    #[test]
    fn every_policy_file_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("policies/ is readable")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".cedar"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = POLICY_FILES.iter().map(|(f, _)| f.to_string()).collect();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn policy_ids_come_from_the_id_annotation() {
        let authz = Authorizer::embedded().expect("valid policies");
        for policy in authz.policies.policies() {
            assert_eq!(Some(policy.id().to_string().as_str()), policy.annotation("id"));
        }
    }

    #[test]
    fn a_policy_without_id_is_rejected() {
        let files = [("t.cedar", "permit(principal, action, resource);")];
        let err = Authorizer::load(SCHEMA_SRC, &files).expect_err("no @id");
        assert!(matches!(err, AuthzError::MissingId { file: "t.cedar" }), "{err}");
    }

    #[test]
    fn a_duplicate_id_is_rejected() {
        let policy = r#"@id("same") permit(principal is Nansen::Agent, action, resource is Nansen::Office);"#;
        let files = [("a.cedar", policy), ("b.cedar", policy)];
        let err = Authorizer::load(SCHEMA_SRC, &files).expect_err("duplicate @id");
        assert!(matches!(err, AuthzError::DuplicateId { file: "b.cedar", .. }), "{err}");
    }

    #[test]
    fn an_unguarded_optional_attribute_fails_strict_validation() {
        let files = [(
            "t.cedar",
            r#"@id("t") permit(principal is Nansen::Agent, action == Nansen::Action::"read_case", resource is Nansen::Case)
               when { resource.division == principal.division };"#,
        )];
        let err = Authorizer::load(SCHEMA_SRC, &files).expect_err("fails validation");
        assert!(matches!(err, AuthzError::Validation(_)), "{err}");
    }

    #[test]
    fn an_unknown_role_fails_strict_validation() {
        let files = [(
            "t.cedar",
            r#"@id("t") permit(principal is Nansen::Agent, action == Nansen::Action::"read_journal", resource is Nansen::Office)
               when { principal.role == Nansen::Role::"auditeur" };"#,
        )];
        let err = Authorizer::load(SCHEMA_SRC, &files).expect_err("fails validation");
        assert!(matches!(err, AuthzError::Validation(_)), "{err}");
    }

    #[test]
    fn a_policy_that_can_never_apply_is_rejected() {
        // Office actions never apply to a Case: the validator warns, the loader refuses.
        let files = [(
            "t.cedar",
            r#"@id("t") permit(principal is Nansen::Agent, action == Nansen::Action::"read_journal", resource is Nansen::Case);"#,
        )];
        assert!(Authorizer::load(SCHEMA_SRC, &files).is_err());
    }

    /// The entities `decide` builds without the schema do conform to it, for every role and every optional
    /// attribute present or absent.
    #[test]
    fn built_entities_conform_to_the_schema() {
        let authz = Authorizer::embedded().expect("valid policies");
        for role in Role::ALL {
            for full in [false, true] {
                let principal = Principal {
                    login: "a.agent".into(),
                    role,
                    division: full.then(|| "asia".into()),
                    section: full.then_some(3),
                };
                let case = CaseAttrs {
                    number: "2026-0000042".into(),
                    division: full.then(|| "asia".into()),
                    section: full.then_some(3),
                    officer: full.then(|| "b.agent".into()),
                    drafted_by: full.then(|| "b.agent".into()),
                    pooled: full,
                    status: "under_review".into(),
                    protection_granted: full,
                    recording_open: full,
                };
                let household = HouseholdAttrs { id: "H-2026-000001".into(), region: "IDF".into() };
                let structure =
                    StructureAttrs { code: "CADA-93-001".into(), region: "IDF".into(), operator: "adoma".into() };
                let entities = [
                    authz.agent_entity(&principal).expect("agent"),
                    authz.case_entity(&case).expect("case"),
                    authz.household_entity(&household).expect("household"),
                    authz.structure_entity(&structure).expect("structure"),
                ];
                let checked = Entities::from_entities(entities, Some(&authz.schema));
                assert!(checked.is_ok(), "{:?}", checked.err());
            }
        }
    }

    /// Every policy that could apply to an action is in that action's slice, and no other.
    #[test]
    fn each_action_slice_holds_the_policies_naming_it() {
        let authz = Authorizer::embedded().expect("valid policies");
        let ids = |set: &PolicySet| -> Vec<String> {
            let mut v: Vec<String> = set.policies().map(|p| p.id().to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(
            ids(&authz.by_action[Action::SignDecision.index()]),
            ["case-review-sign-section-head", "forbid-case-actions-admin-auditor", "forbid-sign-own-case"]
        );
        assert_eq!(
            ids(&authz.by_action[Action::ReadJournal.index()]),
            ["forbid-case-actions-admin-auditor", "office-read-journal-auditor"]
        );
        for (i, slice) in authz.by_action.iter().enumerate() {
            for p in authz.policies.policies() {
                let names_it = match p.action_constraint() {
                    ActionConstraint::Any => true,
                    ActionConstraint::Eq(u) => u == authz.actions[i],
                    ActionConstraint::In(us) => us.contains(&authz.actions[i]),
                };
                assert_eq!(slice.policy(p.id()).is_some(), names_it, "{} {i}", p.id());
            }
        }
    }

    #[test]
    fn action_and_role_indices_match_all() {
        for (i, a) in Action::ALL.iter().enumerate() {
            assert_eq!(a.index(), i);
        }
        for (i, r) in Role::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
        }
    }
}
