//! The office's decisions: outcomes with their legal basis, exclusion clauses, and the draft an officer writes.

use serde::{Deserialize, Serialize};

use crate::application::ApplicationKind;
use crate::citation::Citation;
use crate::error::DomainError;

/// The legal basis of refugee status (CESEDA L.511-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefugeeBasis {
    /// Geneva Convention of 1951, art. 1A2.
    Convention,
    /// Constitutional asylum: persecuted for action in favour of freedom (Preamble of 1946, al. 4).
    Constitutional,
    /// Under the mandate of the UNHCR (Statute, art. 6 and 7).
    Mandate,
}

/// The five grounds of persecution of the Geneva Convention, art. 1A2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConventionGround {
    Race,
    Religion,
    Nationality,
    SocialGroup,
    PoliticalOpinion,
}

/// The serious harm that grounds subsidiary protection (CESEDA L.512-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubsidiaryBasis {
    /// 1° the death penalty or an execution.
    DeathPenalty,
    /// 2° torture or inhuman or degrading treatment.
    Torture,
    /// 3° a serious and individual threat to a civilian's life by reason of indiscriminate violence in armed
    /// conflict.
    IndiscriminateViolence,
}

/// Why an application is inadmissible (CESEDA L.531-32).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InadmissibilityGround {
    /// Effective protection already granted by another member state of the European Union.
    ProtectionInOtherMemberState,
    /// Refugee status and effective protection in a safe third country.
    SafeThirdCountry,
    /// A re-examination that brings no new element (L.531-42).
    ReExaminationWithoutNewElements,
}

/// Why the examination of an application is closed (CESEDA L.531-37 ff.).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureGround {
    /// The applicant withdrew the application.
    Withdrawal,
    /// Unjustified absence from the interview.
    AbsenceFromInterview,
    /// Refusal to provide information essential to the examination.
    RefusalToProvideInformation,
}

impl ClosureGround {
    pub fn describe(&self) -> &'static str {
        match self {
            ClosureGround::Withdrawal => "withdrawal of the application",
            ClosureGround::AbsenceFromInterview => "unjustified absence from the interview",
            ClosureGround::RefusalToProvideInformation => "refusal to provide essential information",
        }
    }
}

/// The clause under which a person is excluded from protection although they meet its conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionClause {
    /// Geneva art. 1F(a): crimes against peace, war crimes, crimes against humanity.
    Art1Fa,
    /// Geneva art. 1F(b): a serious non-political crime outside the country of refuge.
    Art1Fb,
    /// Geneva art. 1F(c): acts contrary to the purposes and principles of the United Nations.
    Art1Fc,
    /// Geneva art. 1D: protection or assistance from another UN agency (UNRWA).
    Art1D,
    /// Geneva art. 1E: rights and obligations of a national in the country of residence.
    Art1E,
    /// CESEDA L.512-2: exclusion from subsidiary protection.
    SubsidiaryL512_2,
}

/// What the office decides.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    RefugeeStatus {
        basis: RefugeeBasis,
        grounds: Vec<ConventionGround>,
    },
    SubsidiaryProtection {
        basis: SubsidiaryBasis,
    },
    /// Recognised stateless (New York Convention of 1954, art. 1).
    Stateless,
    Rejection,
    Inadmissibility(InadmissibilityGround),
    Closure(ClosureGround),
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::RefugeeStatus { .. } => "refugee_status",
            Outcome::SubsidiaryProtection { .. } => "subsidiary_protection",
            Outcome::Stateless => "stateless",
            Outcome::Rejection => "rejection",
            Outcome::Inadmissibility(_) => "inadmissibility",
            Outcome::Closure(_) => "closure",
        }
    }

    /// A grant of protection: refugee status, subsidiary protection or stateless status.
    pub fn is_positive(&self) -> bool {
        matches!(self, Outcome::RefugeeStatus { .. } | Outcome::SubsidiaryProtection { .. } | Outcome::Stateless)
    }

    /// Whether the applicant can appeal. Everything except the full grants: a person granted subsidiary
    /// protection may appeal to seek refugee status.
    pub fn is_appealable(&self) -> bool {
        !matches!(self, Outcome::RefugeeStatus { .. } | Outcome::Stateless)
    }

    /// Whether the outcome is a decision on the merits (counted in the recognition rate): not an
    /// inadmissibility nor a closure.
    pub fn is_on_the_merits(&self) -> bool {
        !matches!(self, Outcome::Inadmissibility(_) | Outcome::Closure(_))
    }

    /// Whether this outcome can end an application of this kind: protection for asylum applications,
    /// stateless status for statelessness ones, and a re-examination without new elements only for a
    /// re-examination.
    pub fn fits(&self, kind: ApplicationKind) -> bool {
        match self {
            Outcome::RefugeeStatus { .. } | Outcome::SubsidiaryProtection { .. } => kind.is_asylum(),
            Outcome::Stateless => kind == ApplicationKind::Statelessness,
            Outcome::Inadmissibility(InadmissibilityGround::ReExaminationWithoutNewElements) => {
                kind == ApplicationKind::ReExamination
            }
            Outcome::Inadmissibility(_) => kind.is_asylum(),
            Outcome::Rejection | Outcome::Closure(_) => true,
        }
    }
}

/// A decision as drafted by the protection officer: reasoned in fact and in law.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DecisionDraft {
    pub outcome: Outcome,
    pub exclusion: Option<ExclusionClause>,
    /// The reasons in fact.
    pub facts: String,
    /// The reasons in law.
    pub law: String,
    /// The library passages the reasons rely on, in the order cited; the letter lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<DecisionSource>,
}

/// The most sources one decision lists.
pub const MAX_SOURCES: usize = 40;

/// A library passage a decision relies on: the citation pins the document's version (its
/// SHA-256) and the passage, as a research answer's does; a newer version of the document does
/// not move it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DecisionSource {
    pub citation: Citation,
    /// How the letter names it, set by the office from the library when the draft is written
    /// (publisher, title, date; the office's internal notes without their title).
    #[serde(default)]
    pub reference: String,
}

impl DecisionDraft {
    /// A draft is complete: refugee status names at least one Convention ground (each once); an exclusion is
    /// recorded only with a rejection; the reasons in fact and in law are written.
    pub fn validate(&self) -> Result<(), DomainError> {
        if let Outcome::RefugeeStatus { grounds, .. } = &self.outcome {
            if grounds.is_empty() {
                return Err(DomainError::validation("grounds", "refugee status names at least one Convention ground"));
            }
            let mut sorted = grounds.clone();
            sorted.sort();
            sorted.dedup();
            if sorted.len() != grounds.len() {
                return Err(DomainError::validation("grounds", "each Convention ground is named once"));
            }
        }
        if self.exclusion.is_some() && self.outcome != Outcome::Rejection {
            return Err(DomainError::validation("exclusion", "an exclusion clause is recorded only with a rejection"));
        }
        if self.facts.trim().is_empty() {
            return Err(DomainError::validation("facts", "the decision must be reasoned in fact"));
        }
        if self.law.trim().is_empty() {
            return Err(DomainError::validation("law", "the decision must be reasoned in law"));
        }
        if self.sources.len() > MAX_SOURCES {
            return Err(DomainError::validation("sources", format!("a decision lists at most {MAX_SOURCES} sources")));
        }
        for (i, s) in self.sources.iter().enumerate() {
            let c = &s.citation;
            if self.sources[..i].iter().any(|o| o.citation.document == c.document && o.citation.passage == c.passage) {
                return Err(DomainError::validation(
                    "sources",
                    format!("{}#{} is cited twice: cite each passage once", c.document, c.passage),
                ));
            }
        }
        Ok(())
    }

    /// [`validate`](Self::validate), and the outcome fits the kind of application.
    pub fn validate_for(&self, kind: ApplicationKind) -> Result<(), DomainError> {
        self.validate()?;
        if !self.outcome.fits(kind) {
            return Err(DomainError::validation(
                "outcome",
                format!("a {} outcome cannot end a {} application", self.outcome.as_str(), kind.as_str()),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(outcome: Outcome) -> DecisionDraft {
        DecisionDraft {
            outcome,
            exclusion: None,
            facts: "Consistent account.".into(),
            law: "Art. 1A2.".into(),
            sources: Vec::new(),
        }
    }

    fn source(passage: u32) -> DecisionSource {
        DecisionSource {
            citation: Citation {
                document: "coi-0123456789abcdef".into(),
                version: crate::documents::ContentHash::parse(&"ab".repeat(32)).expect("hash"),
                passage,
                quote: "arrests of journalists".into(),
            },
            reference: "Amnesty International, « Report », 1 mars 2026".into(),
        }
    }

    #[test]
    fn sources_are_cited_once_and_counted() {
        let mut d = draft(Outcome::Rejection);
        d.sources = vec![source(1), source(2)];
        assert!(d.validate().is_ok());
        d.sources.push(source(1));
        assert!(matches!(d.validate(), Err(DomainError::Validation { field: "sources", .. })));
        d.sources = (1..=MAX_SOURCES as u32 + 1).map(source).collect();
        assert!(d.validate().is_err());
        // A draft without sources keeps the shape it had before sources existed.
        let json = serde_json::to_value(draft(Outcome::Rejection)).expect("json");
        assert!(json.get("sources").is_none());
        let back: DecisionDraft =
            serde_json::from_str(r#"{"outcome":"rejection","exclusion":null,"facts":"f","law":"l"}"#)
                .expect("old draft");
        assert!(back.sources.is_empty());
    }

    #[test]
    fn refugee_status_needs_a_ground() {
        let ok = draft(Outcome::RefugeeStatus {
            basis: RefugeeBasis::Convention,
            grounds: vec![ConventionGround::PoliticalOpinion],
        });
        assert!(ok.validate().is_ok());
        let none = draft(Outcome::RefugeeStatus { basis: RefugeeBasis::Convention, grounds: vec![] });
        assert_eq!(none.validate().map_err(|e| e.code()), Err("validation"));
        let twice = draft(Outcome::RefugeeStatus {
            basis: RefugeeBasis::Convention,
            grounds: vec![ConventionGround::Religion, ConventionGround::Religion],
        });
        assert!(twice.validate().is_err());
    }

    #[test]
    fn exclusion_only_with_rejection_and_reasons_required() {
        let mut d = draft(Outcome::Rejection);
        d.exclusion = Some(ExclusionClause::Art1Fb);
        assert!(d.validate().is_ok());
        let mut d = draft(Outcome::SubsidiaryProtection { basis: SubsidiaryBasis::Torture });
        d.exclusion = Some(ExclusionClause::SubsidiaryL512_2);
        assert!(d.validate().is_err());
        let mut d = draft(Outcome::Rejection);
        d.facts = "  ".into();
        assert!(d.validate().is_err());
        let mut d = draft(Outcome::Rejection);
        d.law.clear();
        assert!(d.validate().is_err());
    }

    #[test]
    fn outcomes_fit_kinds() {
        assert!(draft(Outcome::Stateless).validate_for(ApplicationKind::Statelessness).is_ok());
        assert!(draft(Outcome::Stateless).validate_for(ApplicationKind::Asylum).is_err());
        let ri = Outcome::Inadmissibility(InadmissibilityGround::ReExaminationWithoutNewElements);
        assert!(ri.fits(ApplicationKind::ReExamination));
        assert!(!ri.fits(ApplicationKind::Asylum));
        let sp = Outcome::SubsidiaryProtection { basis: SubsidiaryBasis::IndiscriminateViolence };
        assert!(!sp.fits(ApplicationKind::Statelessness));
        assert!(sp.is_positive() && sp.is_appealable());
        assert!(!Outcome::Stateless.is_appealable());
        assert!(!Outcome::Rejection.is_positive());
        assert!(!Outcome::Closure(ClosureGround::Withdrawal).is_on_the_merits());
    }

    #[test]
    fn serde_shape() {
        let o =
            Outcome::RefugeeStatus { basis: RefugeeBasis::Convention, grounds: vec![ConventionGround::SocialGroup] };
        let json = serde_json::to_string(&o).expect("ok");
        assert_eq!(json, r#"{"refugee_status":{"basis":"convention","grounds":["social_group"]}}"#);
        assert_eq!(serde_json::from_str::<Outcome>(&json).expect("ok"), o);
        let i = Outcome::Inadmissibility(InadmissibilityGround::SafeThirdCountry);
        assert_eq!(serde_json::to_string(&i).expect("ok"), r#"{"inadmissibility":"safe_third_country"}"#);
        assert_eq!(serde_json::to_string(&ExclusionClause::Art1Fa).expect("ok"), r#""art1_fa""#);
    }
}
