//! What is applied for (asylum, re-examination, statelessness) and under which procedure it is examined.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// A first application for international protection.
    Asylum,
    /// A new application after a final rejection, admissible only with new elements (CESEDA L.531-41 ff.).
    ReExamination,
    /// A request to be recognised stateless (New York Convention of 1954, CESEDA L.582-1 ff.).
    Statelessness,
}

impl ApplicationKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ApplicationKind::Asylum => "asylum",
            ApplicationKind::ReExamination => "re_examination",
            ApplicationKind::Statelessness => "statelessness",
        }
    }

    /// An application for international protection (refugee status or subsidiary protection).
    pub fn is_asylum(&self) -> bool {
        matches!(self, ApplicationKind::Asylum | ApplicationKind::ReExamination)
    }
}

/// Why an application is examined in accelerated procedure (CESEDA L.531-24 to L.531-27; the article of each
/// ground is to verify against the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceleratedGround {
    /// The applicant comes from a safe country of origin (L.531-24).
    SafeCountryOfOrigin,
    /// An admissible re-examination (L.531-24).
    AdmissibleReExamination,
    /// The applicant refused to give fingerprints (L.531-27).
    RefusedFingerprints,
    /// False documents, false identity or misleading information (L.531-26, L.531-27).
    FalseDocuments,
    /// Applied more than 90 days after entering France without a legitimate reason (L.531-27).
    LateApplication,
    /// Applied only to defeat a removal order (L.531-27).
    DefeatRemoval,
    /// The applicant's presence is a serious threat to public order (L.531-27).
    PublicOrderThreat,
}

impl AcceleratedGround {
    pub fn as_str(&self) -> &'static str {
        match self {
            AcceleratedGround::SafeCountryOfOrigin => "safe_country_of_origin",
            AcceleratedGround::AdmissibleReExamination => "admissible_re_examination",
            AcceleratedGround::RefusedFingerprints => "refused_fingerprints",
            AcceleratedGround::FalseDocuments => "false_documents",
            AcceleratedGround::LateApplication => "late_application",
            AcceleratedGround::DefeatRemoval => "defeat_removal",
            AcceleratedGround::PublicOrderThreat => "public_order_threat",
        }
    }

    /// Plain English, as used in explanations: "safe country of origin".
    pub fn describe(&self) -> &'static str {
        match self {
            AcceleratedGround::SafeCountryOfOrigin => "safe country of origin",
            AcceleratedGround::AdmissibleReExamination => "admissible re-examination",
            AcceleratedGround::RefusedFingerprints => "refused fingerprints",
            AcceleratedGround::FalseDocuments => "false documents or identity",
            AcceleratedGround::LateApplication => "application lodged more than 90 days after entry",
            AcceleratedGround::DefeatRemoval => "application only to defeat removal",
            AcceleratedGround::PublicOrderThreat => "serious threat to public order",
        }
    }
}

/// The procedure under which the office examines an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    Normal,
    Accelerated(AcceleratedGround),
    /// Application made in administrative detention or under house arrest (L.754-2, L.754-3, L.523-1).
    Detention,
    /// Application at the border, from the waiting zone: the office gives an opinion to the Interior ministry.
    Border,
}

impl Procedure {
    pub fn as_str(&self) -> &'static str {
        match self {
            Procedure::Normal => "normal",
            Procedure::Accelerated(_) => "accelerated",
            Procedure::Detention => "detention",
            Procedure::Border => "border",
        }
    }

    pub fn is_accelerated(&self) -> bool {
        matches!(self, Procedure::Accelerated(_))
    }
}

impl fmt::Display for Procedure {
    /// Plain English: "normal procedure", "accelerated procedure, safe country of origin".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Procedure::Normal => f.write_str("normal procedure"),
            Procedure::Accelerated(g) => write!(f, "accelerated procedure, {}", g.describe()),
            Procedure::Detention => f.write_str("application in detention"),
            Procedure::Border => f.write_str("application at the border"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_shape() {
        let p = Procedure::Accelerated(AcceleratedGround::SafeCountryOfOrigin);
        let json = serde_json::to_string(&p).expect("ok");
        assert_eq!(json, r#"{"accelerated":"safe_country_of_origin"}"#);
        assert_eq!(serde_json::from_str::<Procedure>(&json).expect("ok"), p);
        assert_eq!(serde_json::to_string(&Procedure::Normal).expect("ok"), r#""normal""#);
        assert_eq!(p.to_string(), "accelerated procedure, safe country of origin");
        assert_eq!(
            serde_json::to_string(&ApplicationKind::ReExamination).expect("ok"),
            format!("\"{}\"", ApplicationKind::ReExamination.as_str())
        );
    }
}
