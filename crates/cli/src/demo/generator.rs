//! The demo's random but deterministic case histories: who applies (names from the catalog, in
//! their original script), under which procedure, how far the case has gone, and when each step
//! happened, so that every date is consistent with the law's deadlines and with "today".

use nansen_domain::application::{AcceleratedGround, ApplicationKind, Procedure};
use nansen_domain::decision::{
    ClosureGround, ConventionGround, DecisionDraft, ExclusionClause, InadmissibilityGround, Outcome, RefugeeBasis,
    SubsidiaryBasis,
};
use nansen_domain::ids::{CaseNumber, Language, Login, Nationality};
use nansen_domain::lifecycle::{Case, Command, CourtOutcome, Interview, InterviewMode, Registration, Status};
use nansen_domain::person::{BirthDate, FamilyRole, Name, Person, Sex};
use nansen_domain::protection::{AppealNotice, Formation};
use nansen_domain::rules::Rules;
use nansen_store::{Action, Op};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, OffsetDateTime, Time};

use super::catalog::{Catalog, NameEntry, NationalityNames};
use super::staff::{Agent, Staff};
use super::texts;

/// Share of first applications by nationality (per mille, rounded; OFPRA activity reports 2023-2024
/// give the order of magnitude). Nationalities not listed weigh 5.
const WEIGHTS: [(&str, u32); 24] = [
    ("AFG", 100),
    ("BGD", 45),
    ("TUR", 45),
    ("GIN", 45),
    ("CIV", 45),
    ("COD", 45),
    ("HTI", 35),
    ("UKR", 30),
    ("GEO", 25),
    ("ALB", 25),
    ("SYR", 25),
    ("RUS", 25),
    ("SDN", 25),
    ("PAK", 25),
    ("NGA", 20),
    ("CMR", 20),
    ("MLI", 20),
    ("SOM", 15),
    ("ERI", 15),
    ("COM", 15),
    ("DZA", 15),
    ("MRT", 15),
    ("LKA", 12),
    ("COL", 12),
];

/// How far a demo case has gone, per mille.
const TARGETS: [(Status, u32); 15] = [
    (Status::Registered, 20),
    (Status::Incomplete, 40),
    (Status::Complete, 40),
    (Status::Assigned, 100),
    (Status::InterviewScheduled, 100),
    (Status::Interviewed, 80),
    (Status::DecisionDrafted, 50),
    (Status::UnderReview, 40),
    (Status::ReturnedToOfficer, 20),
    (Status::Signed, 30),
    (Status::Notified, 60),
    (Status::Final, 250),
    (Status::Appealed, 70),
    (Status::CourtDecided, 40),
    (Status::Closed, 40),
];

fn pick_weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

/// A moment on a working day of `date`, between 8:00 and 17:59 UTC.
fn at(rng: &mut ChaCha8Rng, date: Date) -> OffsetDateTime {
    let time =
        Time::from_hms(rng.gen_range(8..18), rng.gen_range(0..60), rng.gen_range(0..60)).unwrap_or(Time::MIDNIGHT);
    OffsetDateTime::new_utc(date, time)
}

pub struct Generator {
    rng: ChaCha8Rng,
    catalog: Catalog,
    rules: Rules,
    staff: Staff,
    today: Date,
    nationalities: Vec<(usize, u32)>,
    placeholder: CaseNumber,
}

/// One scripted step: who, when, what.
struct Step {
    actor: Login,
    date: Date,
    command: Command,
}

impl Generator {
    pub fn new(seed: u64, today: Date) -> Result<Generator, String> {
        let catalog = Catalog::embedded().map_err(|e| e.to_string())?;
        let rules = Rules::embedded();
        let nationalities = catalog
            .nationalities
            .iter()
            .enumerate()
            .map(|(i, n)| (i, WEIGHTS.iter().find(|(c, _)| *c == n.code).map(|(_, w)| *w).unwrap_or(5)))
            .collect();
        Ok(Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            catalog,
            rules,
            staff: Staff::demo(),
            today,
            nationalities,
            placeholder: CaseNumber::new(today.year(), 1).map_err(|e| e.to_string())?,
        })
    }

    pub fn secretary(&mut self) -> Login {
        let secretaries: Vec<&Agent> = self.staff.with_role("digitization_secretary").collect();
        pick(&mut self.rng, &secretaries).login.clone()
    }

    fn name(&mut self, entries: &[NameEntry]) -> Name {
        let e = pick(&mut self.rng, entries);
        Name::new(e.original.clone(), e.latin.clone())
    }

    fn birth_date(&mut self, names: &NationalityNames, born_after: Date, born_before: Date) -> BirthDate {
        let span = (born_before - born_after).whole_days().max(1);
        let date = born_after + Duration::days(self.rng.gen_range(0..span));
        let r: f64 = self.rng.gen();
        if r < names.birth_date_uncertainty * 0.6 {
            BirthDate::Year(date.year())
        } else if r < names.birth_date_uncertainty {
            BirthDate::YearMonth { year: date.year(), month: date.month() as u8 }
        } else {
            BirthDate::Exact(date)
        }
    }

    fn person(
        &mut self,
        names: &NationalityNames,
        role: FamilyRole,
        sex: Sex,
        family: Option<&Name>,
        age: (i64, i64),
        on: Date,
    ) -> Person {
        let family_name = match family {
            Some(n) => n.clone(),
            None => self.name(&names.family_names),
        };
        let given = match sex {
            Sex::Female => self.name(&names.female_given_names),
            _ => self.name(&names.male_given_names),
        };
        let born_after = on - Duration::days(age.1 * 365);
        let born_before = on - Duration::days(age.0 * 365);
        let birth_date = self.birth_date(names, born_after, born_before);
        let place = pick(&mut self.rng, &names.birth_places).latin.clone();
        let nationality =
            Nationality::parse(&names.code).unwrap_or_else(|_| Nationality::parse("XXA").expect("XXA is valid"));
        Person { role, family_name, given_names: given, birth_date, sex, nationality, birth_place: Some(place) }
    }

    fn procedure(&mut self, kind: ApplicationKind, code: &str) -> Procedure {
        if kind == ApplicationKind::Statelessness {
            return Procedure::Normal;
        }
        let safe =
            ["ALB", "GEO", "ARM", "SEN", "XKX", "MNG", "MKD", "SRB", "BIH", "MNE", "CPV", "MUS", "IND", "BEN", "GHA"];
        if kind == ApplicationKind::ReExamination && self.rng.gen_bool(0.8) {
            return Procedure::Accelerated(AcceleratedGround::AdmissibleReExamination);
        }
        if kind == ApplicationKind::Asylum && safe.contains(&code) && self.rng.gen_bool(0.85) {
            return Procedure::Accelerated(AcceleratedGround::SafeCountryOfOrigin);
        }
        match self.rng.gen_range(0..100) {
            0..=71 => Procedure::Normal,
            72..=81 => Procedure::Accelerated(AcceleratedGround::LateApplication),
            82..=85 => Procedure::Accelerated(AcceleratedGround::RefusedFingerprints),
            86..=87 => Procedure::Accelerated(AcceleratedGround::FalseDocuments),
            88..=89 => Procedure::Accelerated(AcceleratedGround::DefeatRemoval),
            90 => Procedure::Accelerated(AcceleratedGround::PublicOrderThreat),
            91..=95 => Procedure::Detention,
            _ => Procedure::Border,
        }
    }

    /// A registration with a random applicant and family, introduced on `introduced_on`.
    pub fn registration(&mut self, introduced_on: Date) -> Command {
        let (i, _) = {
            let items = self.nationalities.clone();
            let idx = pick_weighted(&mut self.rng, &items);
            (idx, ())
        };
        let names = self.catalog.nationalities[i].clone();
        let kind = match (names.code.as_str(), self.rng.gen_range(0..100)) {
            ("XXA", _) => ApplicationKind::Statelessness,
            (_, 0..=3) => ApplicationKind::Statelessness,
            (_, 4..=13) => ApplicationKind::ReExamination,
            _ => ApplicationKind::Asylum,
        };
        let procedure = self.procedure(kind, &names.code);
        let sex = if self.rng.gen_bool(0.62) { Sex::Male } else { Sex::Female };
        let applicant = self.person(&names, FamilyRole::Applicant, sex, None, (18, 60), introduced_on);
        let mut family = Vec::new();
        if self.rng.gen_bool(0.3) {
            let spouse_sex = if sex == Sex::Male { Sex::Female } else { Sex::Male };
            // Where the family name is shared, spouse and children carry the applicant's.
            let shared = (names.family_name_style == "family").then(|| applicant.family_name.clone());
            family.push(self.person(&names, FamilyRole::Spouse, spouse_sex, shared.as_ref(), (18, 55), introduced_on));
            for _ in 0..self.rng.gen_range(0..4) {
                let child_sex = if self.rng.gen_bool(0.5) { Sex::Male } else { Sex::Female };
                family.push(self.person(&names, FamilyRole::Child, child_sex, shared.as_ref(), (0, 17), introduced_on));
            }
        }
        let language = Nationality::parse(&names.code)
            .ok()
            .and_then(|code| self.rules.nationality(code))
            .and_then(|info| info.languages.first().cloned())
            .unwrap_or_else(Language::undetermined);
        Command::Register(Registration {
            number: self.placeholder,
            kind,
            procedure,
            nationality: applicant.nationality,
            language,
            applicant,
            family,
            introduced_on,
            missing: Vec::new(),
        })
    }

    /// An officer who may take a case of this nationality: of its division, or of any division
    /// when the nationality is pooled.
    fn officer_for(&mut self, nationality: Nationality, on: Date) -> Agent {
        let division = self.rules.division_of(nationality, on);
        let pooled = self.rules.is_pooled(nationality, on);
        let officers: Vec<Agent> = self
            .staff
            .with_role("protection_officer")
            .filter(|o| pooled || division.is_none() || o.division == division)
            .cloned()
            .collect();
        pick(&mut self.rng, &officers).clone()
    }

    /// The commands that assign a freshly registered case (used by the load generator).
    pub fn assignment(&mut self, case: &Case) -> Vec<(Login, Command)> {
        let officer = self.officer_for(case.nationality, case.introduced_on);
        let head = self.staff.head_of(&officer).cloned().unwrap_or_else(|| officer.clone());
        match (officer.division, officer.section) {
            (Some(division), Some(section)) => {
                vec![(head.login, Command::Assign { officer: officer.login, division, section })]
            }
            _ => Vec::new(),
        }
    }

    fn days(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.gen_range(lo..=hi)
    }

    fn outcome(&mut self, kind: ApplicationKind, procedure: Procedure) -> (Outcome, Option<ExclusionClause>) {
        let grounds = [
            ConventionGround::PoliticalOpinion,
            ConventionGround::Religion,
            ConventionGround::SocialGroup,
            ConventionGround::Race,
            ConventionGround::Nationality,
        ];
        match kind {
            ApplicationKind::Statelessness => {
                if self.rng.gen_bool(0.35) {
                    (Outcome::Stateless, None)
                } else {
                    (Outcome::Rejection, None)
                }
            }
            ApplicationKind::ReExamination if self.rng.gen_bool(0.5) => {
                (Outcome::Inadmissibility(InadmissibilityGround::ReExaminationWithoutNewElements), None)
            }
            _ => {
                let positive = if matches!(procedure, Procedure::Accelerated(_)) { 15 } else { 35 };
                let r = self.rng.gen_range(0..100);
                if r < positive * 6 / 10 {
                    let ground = *pick(&mut self.rng, &grounds);
                    (Outcome::RefugeeStatus { basis: RefugeeBasis::Convention, grounds: vec![ground] }, None)
                } else if r < positive {
                    let basis = *pick(
                        &mut self.rng,
                        &[
                            SubsidiaryBasis::IndiscriminateViolence,
                            SubsidiaryBasis::Torture,
                            SubsidiaryBasis::DeathPenalty,
                        ],
                    );
                    (Outcome::SubsidiaryProtection { basis }, None)
                } else if r == 99 {
                    (Outcome::Rejection, Some(ExclusionClause::Art1Fb))
                } else if r == 98 && kind == ApplicationKind::Asylum {
                    (Outcome::Inadmissibility(InadmissibilityGround::ProtectionInOtherMemberState), None)
                } else {
                    (Outcome::Rejection, None)
                }
            }
        }
    }

    /// One application's whole history up to a target status, as operations to commit in order.
    /// The first operation registers it; the others name it by a placeholder number that the
    /// caller replaces with the number the store allocated.
    pub fn case_script(&mut self) -> Vec<Op> {
        let target = pick_weighted(&mut self.rng, &TARGETS);
        let mut steps: Vec<Step> = Vec::new();
        // Work out the history forwards from day 0, then shift it so that it ends before today.
        let mut day: i64 = 0;
        let secretary = self.secretary();
        let registration = self.registration(self.today);
        let Command::Register(registration) = registration else { return Vec::new() };
        let reached =
            |s: Status| TARGETS.iter().position(|(t, _)| *t == s) <= TARGETS.iter().position(|(t, _)| *t == target);
        let mut plan: Vec<(Login, i64, Command)> = Vec::new();
        let registered_day = self.days(0, 3);
        day += registered_day;
        // About a third of the applicants hand over a passport, shelved on the day of registration
        // (chosen from the name, not the random stream, so the rest of the demo stays the same).
        if registration.applicant.family_name.latin.len() % 3 == 0 {
            let name = &registration.applicant.family_name.latin;
            let shelf = 1 + name.len() % 40;
            let original = nansen_domain::documents::NewOriginal {
                kind: nansen_domain::documents::DocumentKind::IdentityDocument,
                description: format!("Passeport au nom de {name}"),
                received_on: registration.introduced_on + Duration::days(day),
                location: nansen_domain::documents::Location {
                    store: if shelf % 2 == 0 { "Magasin A".into() } else { "Magasin B".into() },
                    shelf: format!("Travée {shelf}"),
                    r#box: format!("Boîte {:03}", name.bytes().map(usize::from).sum::<usize>() % 500),
                },
            };
            plan.push((secretary.clone(), day, Command::ReceiveOriginal(original)));
        }
        let incomplete = target == Status::Incomplete
            || (target != Status::Registered && target != Status::Closed && self.rng.gen_bool(0.15));
        if target != Status::Registered {
            if incomplete {
                let n = self.days(1, 3) as usize;
                let start = self.days(0, 3) as usize;
                let missing =
                    (0..n).map(|k| texts::MISSING_ITEMS[(start + k) % texts::MISSING_ITEMS.len()].to_owned()).collect();
                plan.push((secretary.clone(), day, Command::MarkIncomplete { missing }));
            }
            if target != Status::Incomplete {
                day += if incomplete { self.days(7, 40) } else { self.days(0, 2) };
                plan.push((secretary.clone(), day, Command::MarkComplete));
            }
        }
        let closed_by_withdrawal = target == Status::Closed && self.rng.gen_bool(0.4);
        if target == Status::Closed && closed_by_withdrawal {
            day += self.days(5, 60);
            plan.push((secretary.clone(), day, Command::Withdraw));
        }
        let officer = self.officer_for(registration.nationality, registration.introduced_on);
        let head = self.staff.head_of(&officer).cloned().unwrap_or_else(|| officer.clone());
        let accelerated = !matches!(registration.procedure, Procedure::Normal);
        if reached(Status::Assigned) && !closed_by_withdrawal {
            day += if accelerated { self.days(1, 3) } else { self.days(7, 35) };
            if let (Some(division), Some(section)) = (officer.division, officer.section) {
                plan.push((
                    head.login.clone(),
                    day,
                    Command::Assign { officer: officer.login.clone(), division, section },
                ));
            }
        }
        if (reached(Status::InterviewScheduled) || target == Status::Closed) && !closed_by_withdrawal {
            day += if accelerated { self.days(1, 2) } else { self.days(5, 30) };
            let interview_day = day + if accelerated { self.days(3, 8) } else { self.days(15, 60) };
            let interview_date = registration.introduced_on + Duration::days(interview_day);
            let mode = if matches!(registration.procedure, Procedure::Detention) || self.rng.gen_bool(0.08) {
                InterviewMode::VideoLink
            } else {
                InterviewMode::InPerson
            };
            let mut interview = Interview::new(interview_date, mode);
            interview.place = Some(match mode {
                InterviewMode::InPerson => format!("Box {}", self.rng.gen_range(1..=40)),
                InterviewMode::VideoLink => "Salle agréée, visioconférence".to_owned(),
            });
            interview.interpreter = (registration.language.as_str() != "fr").then(|| registration.language.clone());
            plan.push((officer.login.clone(), day, Command::ScheduleInterview(interview)));
            day = interview_day;
            if target == Status::Closed {
                // The applicant did not come: the absence is recorded that day, unexcused, and
                // the examination closed some days later.
                let missed = Command::RecordAbsence { on: interview_date, excused: false, reason: String::new() };
                plan.push((officer.login.clone(), day, missed));
                day += self.days(1, 20);
                plan.push((officer.login.clone(), day, Command::Close { ground: ClosureGround::AbsenceFromInterview }));
            }
        }
        if reached(Status::Interviewed) && target != Status::Closed {
            let division = officer.division.map(|d| d.as_str()).unwrap_or("asia");
            let record = texts::interview_record(texts::fear(division, self.rng.gen_range(0..16)));
            plan.push((
                officer.login.clone(),
                day,
                Command::RecordInterview { held_on: registration.introduced_on + Duration::days(day), record },
            ));
        }
        let (outcome, exclusion) = self.outcome(registration.kind, registration.procedure);
        let name = format!("{} {}", registration.applicant.given_names.latin, registration.applicant.family_name.latin);
        let country = self.rules.nationality(registration.nationality).map(|n| n.name_fr.clone()).unwrap_or_default();
        let division = officer.division.map(|d| d.as_str()).unwrap_or("asia");
        let n = self.rng.gen_range(0..16);
        let fear = texts::fear(division, n);
        let (facts, law) = texts::reasoning(&outcome, &name, &country, fear);
        let draft = DecisionDraft { outcome: outcome.clone(), exclusion, facts, law, sources: Vec::new() };
        if reached(Status::DecisionDrafted) && target != Status::Closed {
            day += if accelerated { self.days(0, 3) } else { self.days(3, 30) };
            plan.push((officer.login.clone(), day, Command::DraftDecision(draft.clone())));
        }
        if reached(Status::UnderReview) && target != Status::Closed {
            day += self.days(0, 2);
            plan.push((officer.login.clone(), day, Command::SubmitForReview));
            let returned = target == Status::ReturnedToOfficer || self.rng.gen_bool(0.15);
            if returned {
                day += self.days(1, 6);
                let comments = texts::RETURN_COMMENTS[self.rng.gen_range(0..texts::RETURN_COMMENTS.len())].to_owned();
                plan.push((head.login.clone(), day, Command::ReturnToOfficer { comments }));
                if target != Status::ReturnedToOfficer {
                    day += self.days(1, 10);
                    plan.push((officer.login.clone(), day, Command::DraftDecision(draft.clone())));
                    plan.push((officer.login.clone(), day, Command::SubmitForReview));
                }
            }
        }
        if reached(Status::Signed) && target != Status::Closed && target != Status::ReturnedToOfficer {
            day += self.days(1, 8);
            plan.push((head.login.clone(), day, Command::Sign));
        }
        if reached(Status::Notified) && target != Status::Closed && target != Status::ReturnedToOfficer {
            day += self.days(0, 2);
            plan.push((head.login.clone(), day, Command::MakeAvailable));
            let system = Login::parse("system").unwrap_or_else(|_| head.login.clone());
            if self.rng.gen_bool(0.75) {
                // Opened on a later day than it was made available, so the opening follows it.
                day += self.days(1, 14);
                let opened = at(&mut self.rng, registration.introduced_on + Duration::days(day));
                plan.push((system, day, Command::RecordFirstOpening { at: opened }));
            } else {
                day += 16;
                plan.push((system, day, Command::DeemNotified));
            }
        }
        if matches!(target, Status::Final | Status::Appealed | Status::CourtDecided) {
            let system = Login::parse("system").unwrap_or_else(|_| head.login.clone());
            let consultants: Vec<Login> = self.staff.with_role("legal_consultant").map(|a| a.login.clone()).collect();
            let legal_consultant = consultants.first().cloned().unwrap_or_else(|| system.clone());
            // The defence is read by another consultant when there is one.
            let reviewer = consultants.get(1).cloned().unwrap_or_else(|| system.clone());
            if !outcome.is_appealable() || target == Status::Final {
                // Final once the appeal deadline (1 month, moved past a closed day) has run out.
                day += if outcome.is_appealable() { self.days(40, 50) } else { self.days(1, 5) };
                plan.push((system, day, Command::BecomeFinal));
            } else {
                // Days within which the appeal is lodged: inside the month from notification, or inside
                // what a legal-aid request leaves of it.
                let mut window = 20;
                if self.rng.gen_bool(0.3) {
                    day += self.days(1, 10);
                    plan.push((
                        legal_consultant.clone(),
                        day,
                        Command::RequestLegalAid { on: registration.introduced_on + Duration::days(day) },
                    ));
                    day += self.days(10, 40);
                    plan.push((
                        legal_consultant.clone(),
                        day,
                        Command::DecideLegalAid { on: registration.introduced_on + Duration::days(day) },
                    ));
                    // The request came at most 11 days after notification: at least 17 days remain.
                    window = 15;
                }
                day += self.days(1, window);
                let lodged = day;
                // The court's notice reaches the office a few days after the appeal is lodged.
                day += self.days(2, 8);
                let formation = if self.rng.gen_bool(0.8) { Formation::SingleJudge } else { Formation::Panel };
                let department = DEMO_DEPARTMENTS[self.rng.gen_range(0..DEMO_DEPARTMENTS.len())];
                let reference = format!("{}{:06}", (self.today.year() % 100), self.rng.gen_range(0..1_000_000));
                let notice = AppealNotice::parse(&reference, formation, department).ok();
                plan.push((
                    legal_consultant.clone(),
                    day,
                    Command::LodgeAppeal { on: registration.introduced_on + Duration::days(lodged), notice },
                ));
                // The defence: drafted, read by a second consultant, sent (for most appeals).
                if self.rng.gen_bool(0.8) {
                    day += self.days(5, 20);
                    let text = DEMO_DEFENCE.to_owned();
                    plan.push((legal_consultant.clone(), day, Command::DraftDefence { text }));
                    if self.rng.gen_bool(0.8) {
                        day += self.days(1, 5);
                        let review = Command::ReviewDefence { approve: true, comments: String::new() };
                        plan.push((reviewer.clone(), day, review));
                        if self.rng.gen_bool(0.8) {
                            day += self.days(1, 5);
                            let on = registration.introduced_on + Duration::days(day);
                            plan.push((legal_consultant.clone(), day, Command::SendDefence { on }));
                        }
                    }
                }
                let ruled = target == Status::CourtDecided;
                // The hearing: notified 30 days or more ahead (the panel's notice covers a judge's).
                if ruled || self.rng.gen_bool(0.6) {
                    day += self.days(3, 15);
                    let notified_on = registration.introduced_on + Duration::days(day);
                    let on = notified_on + Duration::days(self.days(31, 60));
                    plan.push((legal_consultant.clone(), day, Command::ScheduleHearing { on, notified_on, formation }));
                    if ruled {
                        day = (on - registration.introduced_on).whole_days() + self.days(7, 21);
                    }
                }
                if ruled {
                    day += if accelerated { self.days(0, 10) } else { self.days(20, 60) };
                    let ruling = match self.rng.gen_range(0..100) {
                        0..=11 => CourtOutcome::RefugeeStatusGranted,
                        12..=19 => CourtOutcome::SubsidiaryProtectionGranted,
                        20..=24 => CourtOutcome::DecisionAnnulled,
                        _ => CourtOutcome::AppealRejected,
                    };
                    let on = registration.introduced_on + Duration::days(day);
                    plan.push((legal_consultant, day, Command::RecordCourtRuling { on, ruling }));
                }
            }
        }
        // Shift: the last step happened before today; the registration `slack` days earlier.
        let slack = if target == Status::Registered { self.days(0, 6) } else { self.days(1, 25) };
        let start = self.today - Duration::days(day + slack);
        let mut registration = registration;
        registration.introduced_on = start;
        // Dates in the plan were computed relative to a provisional introduction on `today`.
        let shift = start - self.today;
        for person in std::iter::once(&mut registration.applicant).chain(registration.family.iter_mut()) {
            person.birth_date = shift_birth_date(person.birth_date, shift);
        }
        let mut ops = Vec::with_capacity(plan.len() + 1);
        let registered_on = start + Duration::days(registered_day);
        ops.push(Op {
            actor: secretary,
            now: at(&mut self.rng, registered_on),
            action: Action::Register(Command::Register(registration)),
        });
        for (actor, d, command) in plan {
            let command = shift_dates(command, shift);
            steps.push(Step { actor, date: start + Duration::days(d), command });
        }
        for step in steps {
            let now = match &step.command {
                // The opening is recorded when it happens, not before.
                Command::RecordFirstOpening { at } => *at + Duration::seconds(self.rng.gen_range(1..120)),
                _ => at(&mut self.rng, step.date),
            };
            ops.push(Op {
                actor: step.actor,
                now,
                action: Action::Case { number: self.placeholder, command: step.command },
            });
        }
        ops
    }
}

/// Moves a birth date drawn relative to the provisional introduction, keeping its precision.
fn shift_birth_date(birth: BirthDate, shift: Duration) -> BirthDate {
    let mid =
        |year: i32, month: time::Month, day: u8| Date::from_calendar_date(year, month, day).ok().map(|d| d + shift);
    match birth {
        BirthDate::Exact(d) => BirthDate::Exact(d + shift),
        BirthDate::YearMonth { year, month } => match time::Month::try_from(month).ok().and_then(|m| mid(year, m, 1)) {
            Some(d) => BirthDate::YearMonth { year: d.year(), month: d.month() as u8 },
            None => birth,
        },
        BirthDate::Year(year) => mid(year, time::Month::January, 1).map_or(birth, |d| BirthDate::Year(d.year())),
        BirthDate::Unknown => BirthDate::Unknown,
    }
}

/// Moves the dates a command carries by `shift` (the plan was drawn up from a provisional day 0).
fn shift_dates(command: Command, shift: Duration) -> Command {
    match command {
        Command::ScheduleInterview(mut i) => {
            i.on += shift;
            Command::ScheduleInterview(i)
        }
        Command::RecordInterview { held_on, record } => Command::RecordInterview { held_on: held_on + shift, record },
        Command::RecordAbsence { on, excused, reason } => Command::RecordAbsence { on: on + shift, excused, reason },
        Command::ReceiveOriginal(mut o) => {
            o.received_on += shift;
            Command::ReceiveOriginal(o)
        }
        Command::RecordFirstOpening { at } => Command::RecordFirstOpening { at: at + shift },
        Command::RequestLegalAid { on } => Command::RequestLegalAid { on: on + shift },
        Command::DecideLegalAid { on } => Command::DecideLegalAid { on: on + shift },
        Command::LodgeAppeal { on, notice } => Command::LodgeAppeal { on: on + shift, notice },
        Command::ScheduleHearing { on, notified_on, formation } => {
            Command::ScheduleHearing { on: on + shift, notified_on: notified_on + shift, formation }
        }
        Command::SendDefence { on } => Command::SendDefence { on: on + shift },
        Command::RecordCourtRuling { on, ruling } => Command::RecordCourtRuling { on: on + shift, ruling },
        other => other,
    }
}

/// Departments the demo's appellants live in: Paris and its suburbs (the court's seat) and the
/// territorial chambers' regions.
const DEMO_DEPARTMENTS: [&str; 10] = ["75", "93", "94", "92", "33", "69", "38", "67", "31", "13"];

/// The demo's defence: what a memorandum says, in French, without naming anyone.
const DEMO_DEFENCE: &str = "Mémoire en défense de l'Office. Le requérant n'apporte devant la Cour aucun élément \
nouveau de nature à remettre en cause l'appréciation de l'Office. Ses déclarations lors de l'entretien sont \
restées imprécises sur les faits déterminants, et les sources d'information publiques sur le pays d'origine \
citées dans la décision ne corroborent pas le risque allégué. L'Office conclut au rejet du recours.";
