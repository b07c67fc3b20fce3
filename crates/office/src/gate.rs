//! The one gate of the office: every read and every act asks the policies once (all the actions
//! a page needs in one evaluation) and journals the answer; an act commits that record and its
//! commands in one batch. A refusal is journaled by the same code as an allowance. Nothing else in
//! the crate calls Cedar or writes an authorization record.

use nansen_authz::{Action as Act, Decision, Resource};
use nansen_domain::ids::Login;
use nansen_store::{Action, Applied, Op};

use crate::actor::Agent;
use crate::{Office, OfficeError};

/// The journal subject of the office as a whole (registration, searches, queues).
pub const OFFICE: &str = "office";

/// The answers of the policies to one actor about one resource, in the order asked.
#[derive(Debug, Clone)]
pub struct Answers {
    allowed: Vec<bool>,
}

impl Answers {
    /// Whether the `i`-th action asked is allowed.
    pub fn allowed(&self, i: usize) -> bool {
        self.allowed.get(i).copied().unwrap_or(false)
    }
}

pub(crate) fn forbidden(action: Act, resource: &Resource) -> OfficeError {
    OfficeError::Forbidden {
        action: action.as_str(),
        resource: match resource {
            Resource::Office => "office".into(),
            Resource::Case(c) => format!("case {}", c.number),
            Resource::Unit(u) => format!("unit {}", u.name()),
            Resource::Household(h) => format!("household {}", h.id),
            Resource::Structure(st) => format!("structure {}", st.code),
        },
    }
}

impl Office {
    fn decide(&self, agent: &Agent, actions: &[Act], resource: &Resource) -> Vec<Decision> {
        let decisions: Vec<Decision> =
            actions.iter().map(|a| self.authz().decide(&agent.principal, *a, resource)).collect();
        self.count_decisions(&decisions);
        decisions
    }

    /// The authorization record: principal, actions, resource, allowed or not, the deciding
    /// policies; `extra` adds facts about what was shown (e.g. the rows of a list).
    fn record(
        &self,
        agent: &Agent,
        actions: &[Act],
        resource: &Resource,
        subject: &str,
        decisions: &[Decision],
        extra: Option<(&str, serde_json::Value)>,
    ) -> Op {
        let resource_name = match resource {
            Resource::Office => OFFICE.to_owned(),
            Resource::Case(c) => format!("case:{}", c.number),
            Resource::Unit(u) => format!("unit:{}", u.name()),
            Resource::Household(h) => format!("household:{}", h.id),
            Resource::Structure(st) => format!("structure:{}", st.code),
        };
        let answers: Vec<serde_json::Value> = actions
            .iter()
            .zip(decisions)
            .map(|(a, d)| serde_json::json!({ "action": a.as_str(), "allowed": d.allowed, "policies": d.policies }))
            .collect();
        let allowed_all = decisions.iter().all(|d| d.allowed);
        let mut payload = serde_json::json!({
            "principal": agent.principal.login,
            "role": agent.principal.role.as_str(),
            "resource": resource_name,
            "decisions": answers,
        });
        if let (Some((key, value)), Some(map)) = (extra, payload.as_object_mut()) {
            map.insert(key.to_owned(), value);
        }
        Op {
            actor: agent.login.clone(),
            now: self.now(),
            action: Action::Record {
                // Kept apart from the subject's own events: "who looked at this file" is
                // `access:case:…`, what happened to it is `case:…`.
                subject: format!("access:{subject}"),
                kind: if allowed_all { "authorization.allow".into() } else { "authorization.deny".into() },
                payload,
            },
        }
    }

    /// A read: every action asked at once, the answers journaled in one entry; `Forbidden` (and
    /// journaled as such) unless the first action is allowed.
    pub(crate) async fn ask(
        &self,
        agent: &Agent,
        actions: &[Act],
        resource: &Resource,
        subject: &str,
    ) -> Result<Answers, OfficeError> {
        let decisions = self.decide(agent, actions, resource);
        let record = self.record(agent, actions, resource, subject, &decisions, None);
        self.commit_record(record).await?;
        let answers = Answers { allowed: decisions.iter().map(|d| d.allowed).collect() };
        match actions.first() {
            Some(first) if !answers.allowed(0) => Err(forbidden(*first, resource)),
            _ => Ok(answers),
        }
    }

    /// A read whose page also needs one office-wide answer (e.g. whether the registration desk's
    /// buttons apply): asked in the same evaluation and journaled in the same entry; its answer
    /// comes after the others in [`Answers`].
    pub(crate) async fn ask_with_office(
        &self,
        agent: &Agent,
        actions: &[Act],
        resource: &Resource,
        subject: &str,
        office_action: Act,
    ) -> Result<Answers, OfficeError> {
        let mut decisions = self.decide(agent, actions, resource);
        let office_decision = self.decide(agent, &[office_action], &Resource::Office);
        let mut record = self.record(agent, actions, resource, subject, &decisions, None);
        if let (Action::Record { payload, .. }, Some(d)) = (&mut record.action, office_decision.first()) {
            if let Some(list) = payload.get_mut("decisions").and_then(|v| v.as_array_mut()) {
                list.push(serde_json::json!({
                    "action": office_action.as_str(), "resource": OFFICE, "allowed": d.allowed, "policies": d.policies,
                }));
            }
        }
        self.commit_record(record).await?;
        decisions.extend(office_decision);
        let answers = Answers { allowed: decisions.iter().map(|d| d.allowed).collect() };
        match actions.first() {
            Some(first) if !answers.allowed(0) => Err(forbidden(*first, resource)),
            _ => Ok(answers),
        }
    }

    /// A read of figures about several units (harmonisation): each unit asked, and one journal
    /// entry with every unit and its answer, so that who saw whose figures is on record. Returns
    /// the answers in the order of `units`.
    pub(crate) async fn ask_units(
        &self,
        agent: &Agent,
        action: Act,
        units: &[nansen_authz::UnitAttrs],
        subject: &str,
    ) -> Result<Vec<bool>, OfficeError> {
        let decisions: Vec<Decision> =
            units.iter().map(|u| self.authz().decide(&agent.principal, action, &Resource::Unit(u.clone()))).collect();
        self.count_decisions(&decisions);
        let answers: Vec<serde_json::Value> = units
            .iter()
            .zip(&decisions)
            .map(|(u, d)| serde_json::json!({ "unit": u.name(), "allowed": d.allowed, "policies": d.policies }))
            .collect();
        let any = decisions.iter().any(|d| d.allowed);
        let record = Op {
            actor: agent.login.clone(),
            now: self.now(),
            action: Action::Record {
                subject: format!("access:{subject}"),
                kind: if any { "authorization.allow".into() } else { "authorization.deny".into() },
                payload: serde_json::json!({
                    "principal": agent.principal.login,
                    "role": agent.principal.role.as_str(),
                    "action": action.as_str(),
                    "units": answers,
                }),
            },
        };
        self.commit_record(record).await?;
        Ok(decisions.iter().map(|d| d.allowed).collect())
    }

    /// A check before an act reads its input: nothing is journaled when allowed (the act that
    /// follows journals its own authorization); a refusal is journaled and returned.
    pub(crate) async fn ask_quietly(
        &self,
        agent: &Agent,
        action: Act,
        resource: &Resource,
        subject: &str,
    ) -> Result<(), OfficeError> {
        if self.may(agent, action, resource) {
            Ok(())
        } else {
            self.ask(agent, &[action], resource, subject).await.map(|_| ())
        }
    }

    /// One answer, not journaled by itself: for the rows of a list, whose showing is journaled
    /// with the list's own authorization.
    pub(crate) fn may(&self, agent: &Agent, action: Act, resource: &Resource) -> bool {
        self.decide(agent, &[action], resource).first().is_some_and(|d| d.allowed)
    }

    /// A read of a list: the action asked once, journaled with what was shown (`shown`), or
    /// refused. `rows` runs only when allowed.
    pub(crate) async fn ask_listing<T>(
        &self,
        agent: &Agent,
        action: Act,
        rows: impl AsyncFnOnce() -> Result<(Vec<T>, serde_json::Value), OfficeError>,
    ) -> Result<Vec<T>, OfficeError> {
        let resource = Resource::Office;
        let decisions = self.decide(agent, &[action], &resource);
        if !decisions.first().is_some_and(|d| d.allowed) {
            let record = self.record(agent, &[action], &resource, OFFICE, &decisions, None);
            self.commit_record(record).await?;
            return Err(forbidden(action, &resource));
        }
        let (rows, shown) = rows().await?;
        let record = self.record(agent, &[action], &resource, OFFICE, &decisions, Some(("cases_shown", shown)));
        self.commit_record(record).await?;
        Ok(rows)
    }

    /// An act: the policies asked once; if refused, the refusal is journaled and nothing else
    /// happens. If allowed, `build` turns the intent into operations (its refusal of the input is
    /// journaled with the allowance, so that a refused agent learns nothing from validation),
    /// and the authorization record and the operations are committed in one batch. The first
    /// domain refusal among the operations is the result.
    pub(crate) async fn act(
        &self,
        agent: &Agent,
        action: Act,
        resource: &Resource,
        subject: &str,
        build: impl AsyncFnOnce() -> Result<Vec<Op>, OfficeError>,
    ) -> Result<Vec<Applied>, OfficeError> {
        let results = self.act_each(agent, action, resource, subject, build).await?;
        results.into_iter().map(|r| r.map_err(OfficeError::Domain)).collect()
    }

    /// An act of several independent operations (a week's convocations): like [`Office::act`],
    /// but each operation's own result is returned, since one refused leaves the others
    /// committed.
    pub(crate) async fn act_each(
        &self,
        agent: &Agent,
        action: Act,
        resource: &Resource,
        subject: &str,
        build: impl AsyncFnOnce() -> Result<Vec<Op>, OfficeError>,
    ) -> Result<Vec<Result<Applied, nansen_domain::DomainError>>, OfficeError> {
        let decisions = self.decide(agent, &[action], resource);
        let record = self.record(agent, &[action], resource, subject, &decisions, None);
        if !decisions.first().is_some_and(|d| d.allowed) {
            self.commit_record(record).await?;
            return Err(forbidden(action, resource));
        }
        let ops = match build().await {
            Ok(ops) => ops,
            Err(e) => {
                self.commit_record(record).await?;
                return Err(e);
            }
        };
        let mut batch = Vec::with_capacity(ops.len() + 1);
        batch.push(record);
        batch.extend(ops);
        let mut results = self.store().execute(batch).await?.into_iter();
        if let Some(Err(e)) = results.next() {
            return Err(OfficeError::Internal(format!("journaling the authorization failed: {e}")));
        }
        Ok(results.collect())
    }

    async fn commit_record(&self, record: Op) -> Result<(), OfficeError> {
        self.store()
            .execute_one(record)
            .await?
            .map_err(|e| OfficeError::Internal(format!("journaling the authorization failed: {e}")))?;
        Ok(())
    }

    /// The one writer of journaled facts that are not authorizations: sign-ins, lockouts, the
    /// applicant's own reads.
    pub(crate) async fn journal(
        &self,
        actor: &Login,
        subject: &str,
        kind: &str,
        payload: serde_json::Value,
    ) -> Result<(), OfficeError> {
        self.store()
            .execute_one(Op {
                actor: actor.clone(),
                now: self.now(),
                action: Action::Record { subject: subject.to_owned(), kind: kind.to_owned(), payload },
            })
            .await?
            .map_err(OfficeError::Domain)?;
        Ok(())
    }

    /// Commands of an actor who is not asked to the policies (an applicant on their own case:
    /// the session is the authorization), committed in one batch; the first refusal is the result.
    pub(crate) async fn commit(&self, ops: Vec<Op>) -> Result<Vec<Applied>, OfficeError> {
        self.store().execute(ops).await?.into_iter().map(|r| r.map_err(OfficeError::Domain)).collect()
    }
}
