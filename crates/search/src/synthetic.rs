//! A seeded synthetic library for benchmarks: reports of realistic length in English, French
//! and Arabic, over 30 countries, sources, five types, 15 years and the taxonomy's topics. Passage
//! `i` depends on `i` alone, so a library of any size is generated in chunks, the same every run
//! (`search-bench` indexes it directly; `nansen bench library` writes it through the journal).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Passages in each generated document.
pub const PASSAGES_PER_DOCUMENT: usize = 40;

pub const EN: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "returnees",
    "were",
    "arrested",
    "at",
    "checkpoints",
    "authorities",
    "security",
    "forces",
    "detained",
    "journalists",
    "women",
    "girls",
    "forced",
    "marriage",
    "province",
    "district",
    "police",
    "reported",
    "according",
    "sources",
    "ethnic",
    "minority",
    "religious",
    "converts",
    "militia",
    "attacks",
    "civilians",
    "displaced",
    "camps",
    "documents",
    "identity",
    "military",
    "service",
    "deserters",
    "punished",
    "opposition",
    "members",
    "protests",
    "torture",
    "prison",
    "conditions",
    "health",
    "access",
    "children",
    "recruitment",
    "trafficking",
    "network",
    "border",
    "crossing",
    "airport",
    "questioning",
    "interrogation",
];
pub const FR: &[&str] = &[
    "le",
    "la",
    "les",
    "des",
    "et",
    "à",
    "dans",
    "retour",
    "arrestations",
    "points",
    "contrôle",
    "autorités",
    "forces",
    "sécurité",
    "détenus",
    "journalistes",
    "femmes",
    "filles",
    "mariage",
    "forcé",
    "province",
    "police",
    "selon",
    "sources",
    "minorité",
    "ethnique",
    "religieuse",
    "convertis",
    "milices",
    "attaques",
    "civils",
    "déplacés",
    "camps",
    "documents",
    "identité",
    "service",
    "militaire",
    "déserteurs",
    "opposants",
    "manifestations",
    "torture",
    "prison",
    "conditions",
    "santé",
    "enfants",
    "recrutement",
    "traite",
    "frontière",
    "aéroport",
];
pub const AR: &[&str] = &[
    "في",
    "من",
    "على",
    "إلى",
    "العائدين",
    "اعتقال",
    "نقاط",
    "التفتيش",
    "السلطات",
    "قوات",
    "الأمن",
    "المحتجزين",
    "الصحفيين",
    "النساء",
    "الفتيات",
    "الزواج",
    "القسري",
    "المحافظة",
    "الشرطة",
    "المصادر",
    "الأقليات",
    "الدينية",
    "الميليشيات",
    "هجمات",
    "المدنيين",
    "النازحين",
    "المخيمات",
    "الوثائق",
    "الهوية",
    "الخدمة",
    "العسكرية",
    "المعارضة",
    "الاحتجاجات",
    "التعذيب",
    "السجن",
    "الأطفال",
    "التجنيد",
    "الاتجار",
    "الحدود",
    "المطار",
];
pub const COUNTRIES: &[&str] = &[
    "AFG", "BGD", "PAK", "LKA", "CHN", "IND", "NPL", "MMR", "TUR", "SYR", "GEO", "ALB", "RUS", "UKR", "ARM", "AZE",
    "IRQ", "IRN", "PSE", "YEM", "DZA", "MAR", "TUN", "LBY", "HTI", "COL", "COD", "GIN", "CIV", "ERI",
];
pub const KINDS: &[&str] = &["report", "report", "news", "legal_text", "research_note", "mission_report"];
pub const TOPICS: &[&str] = &[
    "security.checkpoints",
    "security.returnees",
    "state.detention",
    "state.military-service",
    "politics.opposition",
    "politics.journalists",
    "religion.conversion",
    "gender.fgm",
    "gender.forced-marriage",
    "children.recruitment",
    "trafficking",
    "humanitarian",
];

/// A word of a list, the first ones far more often (a square of a uniform draw).
pub fn word<'a>(list: &[&'a str], rng: &mut ChaCha8Rng) -> &'a str {
    let u: f64 = rng.gen();
    list[((u * u) * list.len() as f64) as usize % list.len()]
}

pub struct Passage {
    pub document: String,
    pub passage: u32,
    pub text: String,
    pub language: &'static str,
    pub countries: Vec<String>,
    pub topics: Vec<String>,
    pub source: String,
    pub kind: &'static str,
    pub day: i64,
    pub internal: bool,
}

/// Passage `i`, from its own seed (documents of 40 passages).
pub fn passage(i: usize) -> Passage {
    let doc = i / PASSAGES_PER_DOCUMENT;
    let mut drng = ChaCha8Rng::seed_from_u64(doc as u64);
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0000 + i as u64);
    let (language, words): (&'static str, &[&str]) = match drng.gen_range(0..20) {
        0..=9 => ("eng", EN),
        10..=16 => ("fra", FR),
        _ => ("ara", AR),
    };
    let kind = KINDS[drng.gen_range(0..KINDS.len())];
    let countries: Vec<String> =
        (0..drng.gen_range(1..=2)).map(|_| COUNTRIES[drng.gen_range(0..COUNTRIES.len())].to_owned()).collect();
    let topics: Vec<String> = (0..2).map(|_| TOPICS[drng.gen_range(0..TOPICS.len())].to_owned()).collect();
    let n = rng.gen_range(60..140);
    let mut text = String::with_capacity(n * 8);
    for k in 0..n {
        if k > 0 {
            text.push(' ');
        }
        text.push_str(word(words, &mut rng));
        if k % 17 == 16 {
            text.push('.');
        }
    }
    Passage {
        document: format!("coi-{doc:07}"),
        passage: (i % PASSAGES_PER_DOCUMENT) as u32 + 1,
        text,
        language,
        countries,
        topics,
        source: format!("source-{:02}", drng.gen_range(0..20)),
        kind,
        day: 14_600 + drng.gen_range(0..5_475),
        internal: matches!(kind, "research_note" | "mission_report"),
    }
}
