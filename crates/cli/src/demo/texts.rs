//! Texts of the demo: reasoning of decisions, interview fears, return comments, missing items.
//! Written in French, as the office writes them; the facts vary with the applicant.

use nansen_domain::decision::{ConventionGround, Outcome, SubsidiaryBasis};
use nansen_domain::lifecycle::{InterviewRecord, QuestionAnswer};

pub const MISSING_ITEMS: [&str; 6] = [
    "photographies d'identité",
    "copie de l'attestation de demande d'asile délivrée par la préfecture",
    "récit des motifs de la demande",
    "signature du formulaire",
    "copie du document de voyage",
    "traduction du récit en français",
];

pub const RETURN_COMMENTS: [&str; 5] = [
    "Merci de développer l'analyse de la crédibilité des déclarations sur la détention.",
    "La motivation en droit ne vise pas le bon motif conventionnel ; à reprendre.",
    "Préciser les sources d'information sur le pays d'origine utilisées.",
    "Examiner l'alternative de protection interne avant de conclure.",
    "Les déclarations sur la famille restée au pays doivent être confrontées au compte rendu.",
];

fn ground_fr(g: ConventionGround) -> &'static str {
    match g {
        ConventionGround::Race => "de sa race",
        ConventionGround::Religion => "de sa religion",
        ConventionGround::Nationality => "de sa nationalité",
        ConventionGround::SocialGroup => "de son appartenance à un certain groupe social",
        ConventionGround::PoliticalOpinion => "de ses opinions politiques",
    }
}

/// The reasoning in fact and in law of a draft decision.
pub fn reasoning(outcome: &Outcome, applicant: &str, country: &str, fear: &str) -> (String, String) {
    match outcome {
        Outcome::RefugeeStatus { grounds, .. } => (
            format!(
                "{applicant} (nationalité : {country}) a déclaré craindre {fear}. Ses déclarations, précises, \
                 circonstanciées et cohérentes avec les informations disponibles sur le pays d'origine, permettent \
                 de tenir pour établis les faits allégués."
            ),
            format!(
                "Il résulte de ce qui précède que l'intéressé craint avec raison d'être persécuté du fait {} au sens \
                 de l'article 1er, A, 2 de la convention de Genève du 28 juillet 1951 ; il y a lieu de lui reconnaître \
                 la qualité de réfugié (CESEDA, art. L.511-1).",
                grounds.first().map(|g| ground_fr(*g)).unwrap_or("de ses opinions politiques")
            ),
        ),
        Outcome::SubsidiaryProtection { basis } => (
            format!(
                "{applicant} (nationalité : {country}) a déclaré craindre {fear}. Si les faits ne se rattachent à aucun \
                 motif conventionnel, ils sont établis par des déclarations constantes."
            ),
            format!(
                "L'intéressé établit être exposé dans son pays à {} ; il y a lieu de lui accorder le bénéfice de la \
                 protection subsidiaire (CESEDA, art. L.512-1).",
                match basis {
                    SubsidiaryBasis::DeathPenalty => "la peine de mort ou une exécution",
                    SubsidiaryBasis::Torture => "la torture ou des peines ou traitements inhumains ou dégradants",
                    SubsidiaryBasis::IndiscriminateViolence =>
                        "une menace grave et individuelle en raison d'une violence aveugle résultant d'un conflit armé",
                }
            ),
        ),
        Outcome::Stateless => (
            format!(
                "{applicant}, né(e) hors de tout État dont il ou elle posséderait la nationalité, établit n'avoir \
                 jamais été enregistré(e) comme ressortissant(e) par les autorités de l'État où il ou elle réside ({country})."
            ),
            "L'intéressé(e) n'est considéré(e) comme son ressortissant par aucun État en application de sa législation \
             (convention de New York du 28 septembre 1954, art. 1er) ; la qualité d'apatride lui est reconnue."
                .to_owned(),
        ),
        Outcome::Rejection => (
            format!(
                "{applicant} (nationalité : {country}) a déclaré craindre {fear}. Ses déclarations sont restées \
                 générales et peu personnalisées, et n'ont pas permis de tenir pour établis les faits allégués ni \
                 les craintes énoncées."
            ),
            "Il ne résulte ni des pièces du dossier ni des déclarations faites en entretien que l'intéressé craigne \
             avec raison des persécutions au sens de la convention de Genève, ni qu'il soit exposé à l'une des \
             atteintes graves de l'article L.512-1 du CESEDA ; la demande est rejetée."
                .to_owned(),
        ),
        Outcome::Inadmissibility(_) => (
            format!("{applicant} (nationalité : {country}) a présenté une demande de réexamen sans élément nouveau."),
            "Les éléments présentés n'augmentent pas de manière significative la probabilité que l'intéressé justifie \
             des conditions requises pour prétendre à une protection ; la demande est irrecevable (CESEDA, art. L.531-42)."
                .to_owned(),
        ),
        Outcome::Closure(_) => (
            format!("{applicant} ne s'est pas présenté(e) à l'entretien et n'a pas justifié son absence."),
            "L'Office clôt l'examen de la demande (CESEDA, art. L.531-38).".to_owned(),
        ),
    }
}

/// What applicants of a region typically fear, to vary the reasoning (illustrative, not COI).
pub fn fear(division: &str, n: usize) -> &'static str {
    const AFRICA: [&str; 4] = [
        "des représailles de la part des autorités en raison de son engagement dans un parti d'opposition",
        "un mariage forcé imposé par sa famille",
        "l'excision de sa fille en cas de retour",
        "des violences de la part d'un groupe armé ayant tué son père",
    ];
    const AMERICAS: [&str; 4] = [
        "des menaces de gangs armés après avoir refusé d'être racketté(e)",
        "des persécutions en raison de son orientation sexuelle",
        "des représailles pour avoir dénoncé des faits de corruption",
        "des violences conjugales contre lesquelles les autorités ne la protègent pas",
    ];
    const ASIA: [&str; 4] = [
        "d'être tué par les talibans en raison de son travail pour une organisation étrangère",
        "des persécutions en raison de sa conversion religieuse",
        "des poursuites pour ses publications critiques du gouvernement",
        "des représailles d'une famille rivale dans un conflit foncier",
    ];
    const EUROPE: [&str; 4] = [
        "d'être arrêté(e) pour avoir refusé la mobilisation",
        "des persécutions en raison de son appartenance à une minorité",
        "des représailles pour avoir participé à des manifestations",
        "une vendetta entre familles",
    ];
    let set = match division {
        "africa" => &AFRICA,
        "americas-maghreb" => &AMERICAS,
        "asia" => &ASIA,
        _ => &EUROPE,
    };
    set[n % set.len()]
}

/// A short two-part interview record around the applicant's fear (illustrative).
pub fn interview_record(fear: &str) -> InterviewRecord {
    let qa = |q: &str, a: &str| QuestionAnswer { question: q.to_owned(), answer: a.to_owned() };
    InterviewRecord {
        civil_status: vec![
            qa("Confirmez-vous votre identité et votre date de naissance ?", "Oui, ce sont celles de mon formulaire."),
            qa("Avez-vous de la famille dans votre pays ?", "Ma mère et deux sœurs vivent encore dans notre village."),
        ],
        fears: vec![
            qa("Que craignez-vous en cas de retour ?", &format!("Je crains {fear}.")),
            qa("Avez-vous demandé la protection des autorités ?", "Non, elles ne m'auraient pas protégé(e)."),
        ],
    }
}

/// The harmonisation committee's demo reference notes: (nationality, title, body, sources), in
/// publication order (a nationality listed twice has two versions). Illustrative text, not the
/// office's doctrine.
pub const REFERENCE_NOTES: [(&str, &str, &str, &[&str]); 3] = [
    (
        "AFG",
        "Afghanistan : situation sécuritaire et profils à risque",
        "Depuis août 2021, les autorités de facto appliquent des restrictions graves aux droits des femmes et des filles.\nProfils examinés avec une attention particulière : anciens membres des forces de sécurité, personnes ayant travaillé pour des organisations étrangères, minorités religieuses et ethniques.\n(Texte d'illustration pour la démonstration.)",
        &["EUAA, Country Guidance: Afghanistan (illustration)", "Décision de référence (illustration)"],
    ),
    (
        "AFG",
        "Afghanistan : situation sécuritaire et profils à risque (mise à jour)",
        "Mise à jour : la situation des femmes et des filles est appréciée au regard des restrictions cumulées, qui peuvent constituer une persécution.\nLes autres profils restent examinés comme dans la version précédente.\n(Texte d'illustration pour la démonstration.)",
        &["EUAA, Country Guidance: Afghanistan, mise à jour (illustration)"],
    ),
    (
        "SDN",
        "Soudan : conflit armé depuis avril 2023",
        "Le conflit entre les forces armées soudanaises et les forces de soutien rapide touche notamment Khartoum et le Darfour.\nLa violence aveugle est appréciée région par région au regard de la protection subsidiaire (L.512-1, 3°).\n(Texte d'illustration pour la démonstration.)",
        &["Rapport de mission (illustration)"],
    ),
];
