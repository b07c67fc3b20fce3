//! The demo's country-of-origin library: a few hundred documents in French, English and
//! Arabic, written from seeded sentence templates (country, topic, place and date drawn in turn),
//! imported through the office as the research assistant does: plain text and HTML pages, a scan
//! without text, new versions replacing old ones, and the division's internal notes.

use nansen_office::research::{self, NewDocumentForm};
use nansen_office::{Agent, Office, Principal, Role};
use time::{Date, Duration};

use crate::CliError;

/// Countries of the demo library: (code, English, French, Arabic name or "", towns).
const COUNTRIES: [(&str, &str, &str, &str, [&str; 3]); 14] = [
    ("AFG", "Afghanistan", "l'Afghanistan", "", ["Kabul", "Herat", "Kandahar"]),
    ("SDN", "Sudan", "le Soudan", "السودان", ["Khartoum", "El Fasher", "Port Sudan"]),
    ("ERI", "Eritrea", "l'Érythrée", "", ["Asmara", "Keren", "Massawa"]),
    ("SYR", "Syria", "la Syrie", "سوريا", ["Aleppo", "Homs", "Idlib"]),
    ("IRQ", "Iraq", "l'Irak", "العراق", ["Baghdad", "Mosul", "Basra"]),
    ("YEM", "Yemen", "le Yémen", "اليمن", ["Sanaa", "Aden", "Taiz"]),
    ("LBY", "Libya", "la Libye", "ليبيا", ["Tripoli", "Benghazi", "Sabha"]),
    ("BGD", "Bangladesh", "le Bangladesh", "", ["Dhaka", "Sylhet", "Chittagong"]),
    ("GIN", "Guinea", "la Guinée", "", ["Conakry", "Kankan", "Labé"]),
    ("CIV", "Côte d'Ivoire", "la Côte d'Ivoire", "", ["Abidjan", "Bouaké", "Man"]),
    ("HTI", "Haiti", "Haïti", "", ["Port-au-Prince", "Cap-Haïtien", "Gonaïves"]),
    ("GEO", "Georgia", "la Géorgie", "", ["Tbilisi", "Batumi", "Kutaisi"]),
    ("RUS", "Russia", "la Russie", "", ["Grozny", "Moscow", "Makhachkala"]),
    ("SOM", "Somalia", "la Somalie", "", ["Mogadishu", "Kismayo", "Baidoa"]),
];

/// Topics written about, with their sentences: (topic code, English title, French title,
/// English sentences, French sentences). `{c}` is the country, `{t}` a town, `{y}` a year,
/// `{n}` a number.
type TopicTexts = (&'static str, &'static str, &'static str, [&'static str; 6], [&'static str; 6]);

const TOPICS: [TopicTexts; 8] = [
    (
        "security.checkpoints",
        "Security situation and checkpoints",
        "Situation sécuritaire et points de contrôle",
        [
            "Checkpoints on the main roads around {t} were reinforced in {y}, according to local sources.",
            "Travellers reported that armed men at checkpoints searched phones and asked for identity documents.",
            "At least {n} civilians were detained at checkpoints near {t} on suspicion of links with the opposition.",
            "Returnees described being questioned at checkpoints about their stay abroad.",
            "Humanitarian organisations said movement between {t} and the capital remained restricted.",
            "Women travelling without a male companion were turned back at several checkpoints.",
        ],
        [
            "Les points de contrôle sur les principaux axes autour de {t} ont été renforcés en {y}, selon des sources locales.",
            "Des voyageurs rapportent que des hommes armés fouillaient les téléphones et exigeaient des documents d'identité.",
            "Au moins {n} civils ont été arrêtés aux points de contrôle près de {t}, soupçonnés de liens avec l'opposition.",
            "Des personnes renvoyées décrivent des interrogatoires sur leur séjour à l'étranger.",
            "Les organisations humanitaires indiquent que les déplacements entre {t} et la capitale restent limités.",
            "Des femmes voyageant sans accompagnateur masculin ont été refoulées à plusieurs points de contrôle.",
        ],
    ),
    (
        "gender.fgm",
        "Female genital mutilation",
        "Mutilations génitales féminines",
        [
            "Female genital mutilation remains widespread in {c}, with a prevalence estimated at {n} per cent.",
            "The law criminalising the practice is rarely enforced outside {t}.",
            "Families who refuse to have their daughters cut face pressure from relatives and elders.",
            "Health workers in {t} reported that the practice increasingly takes place at a younger age.",
            "No shelter specialised in protecting girls at risk was identified in {y}.",
            "Women's rights organisations campaign against the practice despite threats.",
        ],
        [
            "Les mutilations génitales féminines restent répandues dans le pays, avec une prévalence estimée à {n} %.",
            "La loi qui réprime cette pratique est rarement appliquée en dehors de {t}.",
            "Les familles qui refusent l'excision de leurs filles subissent des pressions de leurs proches et des anciens.",
            "Des soignants de {t} indiquent que l'excision est pratiquée de plus en plus tôt.",
            "Aucun foyer spécialisé dans la protection des filles exposées n'a été recensé en {y}.",
            "Les associations de défense des droits des femmes militent contre cette pratique malgré les menaces.",
        ],
    ),
    (
        "politics.journalists",
        "Journalists and the media",
        "Journalistes et médias",
        [
            "At least {n} journalists were arrested in {y}, most of them in {t}.",
            "Reporters covering protests were beaten and their equipment confiscated.",
            "The authorities suspended several independent outlets for spreading false news.",
            "Journalists said they practised self-censorship on security matters.",
            "Online critics were summoned for questioning about their sources.",
            "Press freedom organisations ranked the country among the most dangerous for reporters.",
        ],
        [
            "Au moins {n} journalistes ont été arrêtés en {y}, pour la plupart à {t}.",
            "Des reporters couvrant des manifestations ont été battus et leur matériel confisqué.",
            "Les autorités ont suspendu plusieurs médias indépendants pour diffusion de fausses nouvelles.",
            "Des journalistes disent pratiquer l'autocensure sur les questions de sécurité.",
            "Des critiques en ligne ont été convoqués et interrogés sur leurs sources.",
            "Les organisations de défense de la liberté de la presse classent le pays parmi les plus dangereux pour les reporters.",
        ],
    ),
    (
        "state.military-service",
        "Military service and desertion",
        "Service militaire et désertion",
        [
            "Military service is compulsory and its length is in practice indefinite.",
            "Deserters and draft evaders arrested at checkpoints were detained without trial.",
            "Round-ups to find draft evaders took place in {t} in {y}.",
            "Relatives of deserters were reportedly questioned or fined.",
            "No alternative civilian service exists for conscientious objectors.",
            "Former conscripts described forced labour and ill-treatment in training camps.",
        ],
        [
            "Le service militaire est obligatoire et sa durée est en pratique illimitée.",
            "Des déserteurs et des insoumis arrêtés aux points de contrôle ont été détenus sans procès.",
            "Des rafles visant les insoumis ont eu lieu à {t} en {y}.",
            "Des proches de déserteurs auraient été interrogés ou condamnés à des amendes.",
            "Aucun service civil de remplacement n'existe pour les objecteurs de conscience.",
            "D'anciens conscrits décrivent du travail forcé et des mauvais traitements dans les camps d'entraînement.",
        ],
    ),
    (
        "religion.conversion",
        "Religious minorities and conversion",
        "Minorités religieuses et conversion",
        [
            "Converts from Islam face rejection by their families and threats from their community.",
            "Members of religious minorities in {t} reported attacks on places of worship in {y}.",
            "Apostasy is not criminalised by law but is punished socially.",
            "Churches operating without registration were closed by the authorities.",
            "Religious leaders of minorities were detained for proselytism.",
            "The authorities did not investigate {n} reported attacks on minority homes.",
        ],
        [
            "Les convertis de l'islam sont rejetés par leur famille et menacés par leur communauté.",
            "Des membres de minorités religieuses de {t} rapportent des attaques contre des lieux de culte en {y}.",
            "L'apostasie n'est pas réprimée par la loi mais elle est sanctionnée socialement.",
            "Des églises fonctionnant sans enregistrement ont été fermées par les autorités.",
            "Des responsables religieux de minorités ont été détenus pour prosélytisme.",
            "Les autorités n'ont pas enquêté sur {n} attaques signalées contre des maisons de membres de minorités.",
        ],
    ),
    (
        "gender.forced-marriage",
        "Forced marriage",
        "Mariage forcé",
        [
            "Forced and early marriage remains common in rural areas around {t}.",
            "A woman who refuses a marriage arranged by her family risks violence in the name of honour.",
            "The police rarely intervene in what they consider family matters.",
            "According to a survey published in {y}, {n} per cent of women were married before eighteen.",
            "Shelters for women fleeing a forced marriage are few and overcrowded.",
            "Courts seldom annul a marriage concluded without the woman's consent.",
        ],
        [
            "Le mariage forcé et précoce reste courant dans les zones rurales autour de {t}.",
            "Une femme qui refuse un mariage arrangé par sa famille s'expose à des violences au nom de l'honneur.",
            "La police intervient rarement dans ce qu'elle considère comme des affaires familiales.",
            "Selon une enquête publiée en {y}, {n} % des femmes ont été mariées avant dix-huit ans.",
            "Les foyers pour femmes fuyant un mariage forcé sont rares et surpeuplés.",
            "Les tribunaux annulent rarement un mariage conclu sans le consentement de la femme.",
        ],
    ),
    (
        "security.returnees",
        "Treatment of returnees",
        "Traitement des personnes renvoyées",
        [
            "Returnees arriving at the airport of {t} were questioned by the intelligence services.",
            "Failed asylum seekers returned in {y} reported being detained for several days.",
            "Returnees suspected of political activity abroad were placed under surveillance.",
            "At least {n} returnees were arrested on arrival according to monitoring organisations.",
            "Returnees without a family network struggled to find housing and work.",
            "The authorities deny ill-treating returnees but allow no independent monitoring.",
        ],
        [
            "Des personnes renvoyées arrivant à l'aéroport de {t} ont été interrogées par les services de renseignement.",
            "Des demandeurs d'asile déboutés renvoyés en {y} disent avoir été détenus plusieurs jours.",
            "Des personnes renvoyées soupçonnées d'activités politiques à l'étranger ont été placées sous surveillance.",
            "Au moins {n} personnes renvoyées ont été arrêtées à leur arrivée selon les organisations de suivi.",
            "Les personnes renvoyées sans réseau familial peinent à trouver un logement et un travail.",
            "Les autorités nient tout mauvais traitement mais n'autorisent aucun contrôle indépendant.",
        ],
    ),
    (
        "blood-feud",
        "Blood feuds and land disputes",
        "Vendettas et conflits fonciers",
        [
            "Blood feuds linked to land disputes persist in villages around {t}.",
            "Men of a family in a feud confine themselves at home for fear of revenge.",
            "Traditional reconciliation committees settled {n} feuds in {y}.",
            "The police seldom protect families targeted by a feud.",
            "A feud may pass to the next generation when no settlement is reached.",
            "Courts prosecute revenge killings, but sentences are light.",
        ],
        [
            "Des vendettas liées à des conflits fonciers persistent dans les villages autour de {t}.",
            "Les hommes d'une famille visée par une vendetta restent cloîtrés chez eux par crainte de représailles.",
            "Des comités traditionnels de réconciliation ont réglé {n} vendettas en {y}.",
            "La police protège rarement les familles visées par une vendetta.",
            "Une vendetta peut se transmettre à la génération suivante en l'absence d'accord.",
            "Les tribunaux poursuivent les meurtres de vengeance, mais les peines sont légères.",
        ],
    ),
];

/// Arabic paragraphs for the Arabic-speaking countries' reports (journalists, returnees).
const ARABIC: [&str; 6] = [
    "تعرض الصحفيون للاعتقال التعسفي في {t} بسبب تغطيتهم للاحتجاجات السلمية خلال عام {y}.",
    "وأفادت منظمات حقوق الإنسان بأن السلطات استجوبت الصحفيين حول مصادرهم وصادرت هواتفهم المحمولة.",
    "تم احتجاز ما لا يقل عن {n} شخصا عند نقاط التفتيش المحيطة بالمدينة.",
    "أفاد العائدون بأنهم خضعوا للاستجواب من قبل أجهزة المخابرات عند وصولهم إلى المطار.",
    "لا توجد حماية فعالة للنساء اللواتي يرفضن الزواج القسري في المناطق الريفية.",
    "أغلقت السلطات عدة وسائل إعلام مستقلة بتهمة نشر أخبار كاذبة.",
];

/// The sources of the demo's reports, drawn in turn.
const SOURCES: [&str; 6] = ["euaa", "unhcr", "hrw", "amnesty", "usdos", "ukho"];

/// A small deterministic generator (the demo is the same on every machine).
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below.max(1) as u64) as usize
    }
}

fn fill(sentence: &str, country: &str, town: &str, year: i32, n: usize) -> String {
    sentence
        .replace("{c}", country)
        .replace("{t}", town)
        .replace("{y}", &year.to_string())
        .replace("{n}", &n.to_string())
}

/// A report's text: a heading and several paragraphs of three to four sentences.
fn report(draw: &mut Draw, heading: &str, sentences: &[&str], country: &str, towns: &[&str; 3], year: i32) -> String {
    let mut text = format!("{heading}\n\n");
    for _ in 0..(5 + draw.next(5)) {
        let mut paragraph = Vec::new();
        // Consecutive sentences from a drawn start: none twice in a paragraph.
        let start = draw.next(sentences.len());
        for k in 0..(3 + draw.next(2)) {
            let s = sentences[(start + k) % sentences.len()];
            paragraph.push(fill(s, country, towns[draw.next(3)], year - draw.next(2) as i32, 3 + draw.next(60)));
        }
        text.push_str(&paragraph.join(" "));
        text.push_str("\n\n");
    }
    text
}

fn agent() -> Result<Agent, CliError> {
    let login = nansen_domain::Login::parse("didr.leroy").map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(Agent {
        principal: Principal { login: login.to_string(), role: Role::ResearchAssistant, division: None, section: None },
        login,
        display_name: "Antoine Leroy".into(),
    })
}

/// Imports the demo library; returns how many documents and passages it holds.
pub async fn library(office: &Office, seed: u64, today: Date) -> Result<(usize, u64), CliError> {
    let agent = agent()?;
    let mut draw = Draw(seed ^ 0x05ee_dc01);
    let mut imported = 0usize;
    let fail = |what: &str, e: nansen_office::OfficeError| CliError::Usage(format!("demo library, {what}: {e}"));
    let year = today.year();
    for (ci, (code, en, fr, ar, towns)) in COUNTRIES.iter().enumerate() {
        for (ti, (topic, title_en, title_fr, sentences_en, sentences_fr)) in TOPICS.iter().enumerate() {
            // Not every country has a report on every topic.
            if (ci + ti) % 3 == 2 {
                continue;
            }
            let published = today - Duration::days(30 + draw.next(900) as i64);
            for (language, title, sentences, country) in [
                ("eng", format!("{en} – {title_en}"), sentences_en, *en),
                ("fra", format!("{} – {title_fr}", capitalised(fr)), sentences_fr, *fr),
            ] {
                let text = report(&mut draw, &title, sentences, country, towns, year);
                // One document in five is an HTML page (its script is never indexed nor run).
                let (bytes, title) = if draw.next(5) == 0 {
                    (html(&title, &text).into_bytes(), title)
                } else {
                    (text.into_bytes(), title)
                };
                let form = NewDocumentForm {
                    bytes,
                    title,
                    source: SOURCES[draw.next(SOURCES.len())].into(),
                    kind: if draw.next(6) == 0 { "news".into() } else { "report".into() },
                    language: language.into(),
                    countries: vec![(*code).into()],
                    topics: vec![(*topic).into()],
                    published_on: Some(published),
                    replaces: None,
                };
                let id = research::add_document(office, &agent, form.clone()).await.map_err(|e| fail(code, e))?;
                imported += 1;
                // A few reports have a newer version.
                if draw.next(12) == 0 {
                    let update = NewDocumentForm {
                        bytes: [
                            form.bytes.as_slice(),
                            b"\n\nUpdate: the situation described above was confirmed by later sources.",
                        ]
                        .concat(),
                        title: format!("{} (update)", form.title),
                        published_on: Some(published + Duration::days(20)),
                        replaces: Some(id),
                        ..form
                    };
                    research::add_document(office, &agent, update).await.map_err(|e| fail(code, e))?;
                    imported += 1;
                }
            }
            if !ar.is_empty() && ti % 2 == 0 {
                let text = report(&mut draw, &format!("{ar} – تقرير"), &ARABIC, ar, towns, year);
                let form = NewDocumentForm {
                    bytes: text.into_bytes(),
                    title: format!("{ar} – {title_en}"),
                    source: "amnesty".into(),
                    kind: "report".into(),
                    language: "ara".into(),
                    countries: vec![(*code).into()],
                    topics: vec![(*topic).into(), "politics.journalists".into()],
                    published_on: Some(today - Duration::days(60 + draw.next(400) as i64)),
                    replaces: None,
                };
                research::add_document(office, &agent, form).await.map_err(|e| fail(code, e))?;
                imported += 1;
            }
        }
        // The division's own note on each country: internal, never leaving the office.
        let note = format!(
            "Research note: {en}\n\nThis note of the research division summarises the sources on {en} \
             consulted for the examination of applications. It is internal to the office.\n\n{}",
            report(&mut draw, "Summary", &TOPICS[ci % TOPICS.len()].3, en, towns, year)
        );
        let form = NewDocumentForm {
            bytes: note.into_bytes(),
            title: format!("Research note – {en}"),
            source: "ofpra".into(),
            kind: "research_note".into(),
            language: "eng".into(),
            countries: vec![(*code).into()],
            topics: vec![TOPICS[ci % TOPICS.len()].0.into()],
            published_on: Some(today - Duration::days(10 + draw.next(100) as i64)),
            replaces: None,
        };
        research::add_document(office, &agent, form).await.map_err(|e| fail(code, e))?;
        imported += 1;
    }
    // A decree kept as a scan: no text layer, flagged.
    let scan = NewDocumentForm {
        bytes: nansen_docs::text::blank_page_pdf(),
        title: "Décret relatif au service national (copie numérisée)".into(),
        source: "legal".into(),
        kind: "legal_text".into(),
        language: "fra".into(),
        countries: vec!["GIN".into()],
        topics: vec!["state.military-service".into()],
        published_on: Some(today - Duration::days(700)),
        replaces: None,
    };
    research::add_document(office, &agent, scan).await.map_err(|e| fail("scan", e))?;
    imported += 1;
    let passages = office_passages(office, &agent).await?;
    Ok((imported, passages))
}

async fn office_passages(office: &Office, agent: &Agent) -> Result<u64, CliError> {
    let r = research::search(office, agent, &research::LibraryQuery::default())
        .await
        .map_err(|e| CliError::Usage(format!("demo library: {e}")))?;
    Ok(r.passages)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The report as a web page with a script, as sites publish them.
fn html(title: &str, text: &str) -> String {
    let body: String = text
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .skip(1)
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <script>window.tracker = 'never indexed';</script></head><body><h1>{title}</h1>\n{body}</body></html>"
    )
}
