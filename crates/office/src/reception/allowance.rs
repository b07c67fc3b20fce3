//! The monthly allowance run: every household's month computed from the barème and its
//! history, the payment file stored by its SHA-256 and journaled with its total; a month is never
//! paid twice (the store refuses it).

use nansen_authz::{Action as Act, Resource};
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_domain::reception::{payment_file, statement, PayMonth, PaymentLine, ReceptionRules};
pub use nansen_store::AllowanceRunLine;
use nansen_store::{Action, AllowanceRun, Op};

use crate::actor::Agent;
use crate::{Office, OfficeError};

/// The months paid, for the page that runs the next.
pub async fn runs(office: &Office, agent: &Agent) -> Result<Vec<AllowanceRunLine>, OfficeError> {
    office.ask(agent, &[Act::RunAllowance], &Resource::Office, "allowance").await?;
    Ok(office.store().allowance_runs().await?)
}

/// A month's payment file and its lines, computed without storing anything: the same input
/// gives the same bytes.
pub struct Computed {
    pub file: String,
    pub households: i64,
    pub total_cents: i64,
}

/// Computes a month from the store as it is (every household that accepted the offer).
pub async fn compute(office: &Office, month: PayMonth) -> Result<Computed, OfficeError> {
    let rules = ReceptionRules::embedded();
    let households = office.store().households_for_allowance(&month.last_day().to_string()).await?;
    Ok(compute_from(&households, month, rules))
}

/// The month of `households` (in household order), pure: the bench times it.
pub fn compute_from(
    households: &[(nansen_domain::reception::Household, Option<time::Date>)],
    month: PayMonth,
    rules: &ReceptionRules,
) -> Computed {
    let mut lines = Vec::new();
    for (h, notified) in households {
        let s = statement(h, month, *notified, rules);
        if s.total_cents == 0 {
            continue;
        }
        let head = h.head();
        lines.push(PaymentLine {
            household: h.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
            foreigner_number: head.and_then(|m| m.foreigner_number.clone()).unwrap_or_default(),
            persons: h.members.len() as u32,
            days_paid: s.days_paid,
            cents: s.total_cents,
        });
    }
    let total_cents = lines.iter().map(|l| l.cents).sum();
    Computed { file: payment_file(month, &lines), households: lines.len() as i64, total_cents }
}

/// Pays a month that is over: the file is stored, then the run is committed with its hash.
pub async fn run(office: &Office, agent: &Agent, month: &str) -> Result<AllowanceRunLine, OfficeError> {
    let month = PayMonth::parse(month).map_err(|e| OfficeError::field("month", e.to_string()))?;
    let subject = format!("allowance:{month}");
    office
        .act(agent, Act::RunAllowance, &Resource::Office, &subject, async || {
            if month.last_day() >= office.today() {
                return Err(OfficeError::field(
                    "month",
                    format!("{month} is not over yet: a month is paid once it ends"),
                ));
            }
            if office.store().allowance_runs().await?.iter().any(|r| r.month == month.to_string()) {
                return Err(OfficeError::field("month", format!("the allowance of {month} was already paid")));
            }
            Ok(vec![payment_op(office, &agent.login, month, office.now()).await?])
        })
        .await?;
    let runs = office.store().allowance_runs().await?;
    runs.into_iter()
        .find(|r| r.month == month.to_string())
        .ok_or_else(|| OfficeError::Internal(format!("the run of {month} is not recorded")))
}

/// The month's payment, computed and its file stored, as an operation of `login` at `now`.
async fn payment_op(
    office: &Office,
    login: &nansen_domain::Login,
    month: PayMonth,
    now: time::OffsetDateTime,
) -> Result<Op, OfficeError> {
    let computed = compute(office, month).await?;
    let bytes = computed.file.into_bytes();
    let hash = StoreHash::of(&bytes);
    office
        .documents()
        .put_bytes(&hash, bytes.into())
        .await
        .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    let run = AllowanceRun {
        month,
        households: computed.households,
        total_cents: computed.total_cents,
        sha256: hash.to_hex(),
        run_by: login.to_string(),
        run_at: String::new(),
    };
    Ok(Op { actor: login.clone(), now, action: Action::PayAllowance(run) })
}

/// Pays a month as of `now` without asking the policies: for the demo data, which replays the
/// past as the regional director would have done it (like `letters::print_as_of`).
pub async fn pay_as_of(
    office: &Office,
    login: &nansen_domain::Login,
    month: PayMonth,
    now: time::OffsetDateTime,
) -> Result<(), OfficeError> {
    let op = payment_op(office, login, month, now).await?;
    office.commit(vec![op]).await?;
    Ok(())
}

/// A paid month's payment file.
pub async fn file(office: &Office, agent: &Agent, month: &str) -> Result<(AllowanceRunLine, Vec<u8>), OfficeError> {
    let month = PayMonth::parse(month).map_err(|e| OfficeError::field("month", e.to_string()))?;
    office.ask(agent, &[Act::RunAllowance], &Resource::Office, &format!("allowance:{month}")).await?;
    let run = office
        .store()
        .allowance_runs()
        .await?
        .into_iter()
        .find(|r| r.month == month.to_string())
        .ok_or_else(|| OfficeError::NotFound(format!("payment of {month}")))?;
    let hash: StoreHash = run
        .sha256
        .parse()
        .map_err(|e: nansen_docs::objects::ParseContentHashError| OfficeError::Internal(e.to_string()))?;
    let (_, mut stream) =
        office.documents().get(&hash).await.map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    let mut bytes = Vec::new();
    use futures_util::StreamExt;
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.map_err(|e| OfficeError::Internal(format!("document store: {e}")))?);
    }
    Ok((run, bytes))
}
