//! The demo's agents: one account per role, and in each division two sections with a section
//! head and two protection officers, so that queues, pooling and need-to-know can be tried.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use nansen_domain::ids::{DivisionId, Login, SectionId};
use nansen_store::{Action, NewAccount, Op, Store};
use time::{Date, OffsetDateTime, Time};

use super::DEMO_PASSWORD;
use crate::CliError;

#[derive(Debug, Clone)]
pub struct Agent {
    pub login: Login,
    pub name: &'static str,
    pub role: &'static str,
    pub division: Option<DivisionId>,
    pub section: Option<SectionId>,
    /// The reception agency's region of an agent, or an operator manager's operator (kept in
    /// the account's division column).
    pub unit: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub agents: Vec<Agent>,
}

/// (login, full name) of a demo agent.
type Named = (&'static str, &'static str);
/// A section: its number, its head and its two officers.
type Section = (u8, Named, [Named; 2]);

/// Officers and heads by division.
const DIVISIONS: [(DivisionId, [Section; 2]); 4] = [
    (
        DivisionId::Africa,
        [
            (1, ("cs.diallo", "Awa Diallo"), [("opi.mercier", "Julien Mercier"), ("opi.traore", "Fatoumata Traoré")]),
            (2, ("cs.lambert", "Claire Lambert"), [("opi.nguyen", "Minh Nguyen"), ("opi.bernard", "Lucas Bernard")]),
        ],
    ),
    (
        DivisionId::AmericasMaghreb,
        [
            (1, ("cs.haddad", "Samir Haddad"), [("opi.garcia", "Inès Garcia"), ("opi.lefebvre", "Paul Lefebvre")]),
            (2, ("cs.petit", "Nathalie Petit"), [("opi.rossi", "Marco Rossi"), ("opi.benali", "Yasmine Benali")]),
        ],
    ),
    (
        DivisionId::Asia,
        [
            (1, ("cs.fontaine", "Hélène Fontaine"), [("opi.karimi", "Darius Karimi"), ("opi.moreau", "Léa Moreau")]),
            (2, ("cs.chevalier", "Marc Chevalier"), [("opi.rahman", "Nadia Rahman"), ("opi.simon", "Thomas Simon")]),
        ],
    ),
    (
        DivisionId::EuropeMiddleEast,
        [
            (1, ("cs.dubois", "Anne Dubois"), [("opi.petrov", "Elena Petrova"), ("opi.faure", "Hugo Faure")]),
            (2, ("cs.roussel", "Pierre Roussel"), [("opi.aziz", "Karim Aziz"), ("opi.blanc", "Sophie Blanc")]),
        ],
    ),
];

/// The head of each division (chef de division).
const DIVISION_HEADS: [(DivisionId, &str, &str); 4] = [
    (DivisionId::Africa, "cd.ndiaye", "Moussa Ndiaye"),
    (DivisionId::AmericasMaghreb, "cd.ortega", "Lucía Ortega"),
    (DivisionId::Asia, "cd.tran", "Linh Tran"),
    (DivisionId::EuropeMiddleEast, "cd.weber", "Katrin Weber"),
];

/// Agents outside the divisions: (login, name, role).
const OTHERS: [(&str, &str, &str); 14] = [
    ("sec.martin", "Isabelle Martin", "digitization_secretary"),
    ("sec.girard", "Karima Girard", "digitization_secretary"),
    ("didr.leroy", "Antoine Leroy", "research_assistant"),
    ("didr.nguyen", "Thi Nguyen", "research_assistant"),
    ("jur.fontana", "Sarah Fontana", "legal_consultant"),
    ("jur.haddad", "Nadim Haddad", "legal_consultant"),
    ("ec.morel", "Olivier Morel", "civil_registrar"),
    ("arch.renard", "Brigitte Renard", "archivist"),
    ("admin", "Administrateur Nansen", "administrator"),
    ("audit", "Auditrice interne", "auditor"),
    ("dpo", "Déléguée à la protection des données", "data_protection_officer"),
    ("dg.vasseur", "Hélène Vasseur", "director"),
    ("harmo.benoit", "Julie Benoît", "harmonisation_officer"),
    // An interpreter's limited account: their own schedule only (linked in `planning.rs`).
    ("int.tesfay", "Saba Tesfay", "interpreter"),
];

/// The divisions' planning officers (chargés de planification).
const PLANNERS: [(DivisionId, &str, &str); 2] =
    [(DivisionId::Asia, "plan.asia", "Rémi Vidal"), (DivisionId::Africa, "plan.afrique", "Mariam Keita")];

/// The reception agency's agents and the accommodation operators' managers: (login, name,
/// role, region or operator).
pub const AGENCY: [(&str, &str, &str, &str); 10] = [
    ("ofii.roux", "Camille Roux", "reception_agent", "IDF"),
    ("ofii.garnier", "Hugo Garnier", "reception_agent", "NAQ"),
    ("dt.moreau", "Nathalie Moreau", "regional_director", "IDF"),
    ("med.ferreira", "Ana Ferreira", "agency_doctor", "IDF"),
    ("gest.adoma", "Luc Perrin", "accommodation_operator", "adoma"),
    ("gest.coallia", "Aïcha Diallo", "accommodation_operator", "coallia"),
    ("gest.fta", "Marc Lefèvre", "accommodation_operator", "france-terre-asile"),
    ("gest.forum", "Inès Belkacem", "accommodation_operator", "forum-refugies"),
    ("gest.croixrouge", "Sophie Marchand", "accommodation_operator", "croix-rouge"),
    ("gest.cos", "Yann Le Goff", "accommodation_operator", "cos"),
];

fn login(s: &str) -> Login {
    // The tables above are constants checked by the tests below.
    Login::parse(s).unwrap_or_else(|_| panic!("demo login {s:?} is not a valid login"))
}

impl Staff {
    pub fn demo() -> Staff {
        let mut agents = Vec::new();
        for (division, sections) in DIVISIONS {
            for (section, (head, head_name), officers) in sections {
                let section = SectionId::new(section).ok();
                agents.push(Agent {
                    login: login(head),
                    name: head_name,
                    role: "section_head",
                    division: Some(division),
                    section,
                    unit: None,
                });
                for (officer, name) in officers {
                    agents.push(Agent {
                        login: login(officer),
                        name,
                        role: "protection_officer",
                        division: Some(division),
                        section,
                        unit: None,
                    });
                }
            }
        }
        for (division, head, name) in DIVISION_HEADS {
            agents.push(Agent {
                login: login(head),
                name,
                role: "division_head",
                division: Some(division),
                section: None,
                unit: None,
            });
        }
        for (division, l, name) in PLANNERS {
            agents.push(Agent {
                login: login(l),
                name,
                role: "planner",
                division: Some(division),
                section: None,
                unit: None,
            });
        }
        for (l, name, role) in OTHERS {
            agents.push(Agent { login: login(l), name, role, division: None, section: None, unit: None });
        }
        for (l, name, role, unit) in AGENCY {
            agents.push(Agent { login: login(l), name, role, division: None, section: None, unit: Some(unit) });
        }
        Staff { agents }
    }

    pub fn with_role<'a>(&'a self, role: &'a str) -> impl Iterator<Item = &'a Agent> + 'a {
        self.agents.iter().filter(move |a| a.role == role)
    }

    /// The section head of an officer's section.
    pub fn head_of(&self, officer: &Agent) -> Option<&Agent> {
        self.with_role("section_head").find(|h| h.division == officer.division && h.section == officer.section)
    }
}

/// The demo agents' work addresses: a domain reserved for examples, never a real one.
pub const DEMO_MAIL_DOMAIN: &str = "nansen.example";

pub async fn create_accounts(store: &Store, staff: &Staff, today: Date) -> Result<(), CliError> {
    let argon2 = Argon2::default();
    let admin = login("admin");
    let now = OffsetDateTime::new_utc(today, Time::MIDNIGHT);
    let mut ops = Vec::new();
    for agent in &staff.agents {
        let salt = SaltString::generate(&mut OsRng);
        let hash = argon2
            .hash_password(DEMO_PASSWORD.as_bytes(), &salt)
            .map_err(|e| CliError::Usage(format!("password hashing failed: {e}")))?
            .to_string();
        ops.push(Op {
            actor: admin.clone(),
            now,
            action: Action::CreateAccount(NewAccount {
                login: agent.login.to_string(),
                display_name: agent.name.to_owned(),
                role: agent.role.to_owned(),
                division: agent.division.map(|d| d.as_str().to_owned()).or(agent.unit.map(str::to_owned)),
                section: agent.section.map(|s| i64::from(s.get())),
                password_hash: hash,
                // The work address the identity provider vouches for (OpenID Connect sign-in).
                identity: Some(format!("{}@{DEMO_MAIL_DOMAIN}", agent.login)),
            }),
        });
    }
    for result in store.execute(ops).await? {
        if let Err(e) = result {
            return Err(CliError::Usage(format!("demo account not created: {e}")));
        }
    }
    Ok(())
}

pub fn print_table(staff: &Staff) {
    println!("{:<16} {:<24} {:<22} {:<8} name", "login", "role", "division", "section");
    for a in &staff.agents {
        println!(
            "{:<16} {:<24} {:<22} {:<8} {}",
            a.login.as_str(),
            a.role,
            a.division.map(|d| d.as_str()).or(a.unit).unwrap_or("-"),
            a.section.map(|s| s.get().to_string()).unwrap_or_else(|| "-".into()),
            a.name
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_has_an_account_and_every_section_a_head_and_officers() {
        let staff = Staff::demo();
        for role in [
            "digitization_secretary",
            "protection_officer",
            "section_head",
            "research_assistant",
            "legal_consultant",
            "civil_registrar",
            "archivist",
            "reception_agent",
            "administrator",
            "auditor",
            "data_protection_officer",
            "director",
            "division_head",
            "harmonisation_officer",
            "regional_director",
            "agency_doctor",
            "accommodation_operator",
            "planner",
            "interpreter",
        ] {
            assert!(staff.with_role(role).count() >= 1, "no demo account for {role}");
        }
        for officer in staff.with_role("protection_officer") {
            assert!(staff.head_of(officer).is_some(), "{} has no section head", officer.login);
        }
        let mut logins: Vec<_> = staff.agents.iter().map(|a| a.login.as_str()).collect();
        logins.sort();
        logins.dedup();
        assert_eq!(logins.len(), staff.agents.len(), "duplicate demo logins");
    }
}
