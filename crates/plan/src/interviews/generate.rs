//! Seeded synthetic instances, for benchmarks and tests.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::{Candidate, Instance, Interpreter, Language, Officer, Room, RoomKind, Sex, Urgency};

/// Languages other than French, most requested first (ISO 639-3).
const LANGUAGES: [&str; 60] = [
    "ara", "prs", "pus", "tir", "som", "tur", "kmr", "fas", "rus", "ukr", "amh", "urd", "ben", "eng", "lin", "sqi",
    "kat", "hye", "aze", "ful", "wol", "bam", "srp", "vie", "tam", "sin", "pan", "nep", "mya", "uzb", "tgk", "kir",
    "kaz", "ron", "bul", "hin", "snk", "sus", "mnk", "kon", "swh", "orm", "kin", "run", "lug", "tgl", "ind", "cmn",
    "yue", "spa", "por", "ell", "heb", "pol", "mon", "tha", "khm", "lao", "bod", "uig",
];
/// Arabic dialects an applicant may ask for (Levantine, Egyptian).
const DIALECTS: [&str; 2] = ["apc", "arz"];

/// Size of a synthetic instance (a week of 10 half-days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// 600 candidates, 60 officers, 40 interpreters over 25 languages, 30 booths.
    Division,
    /// 3,000 candidates, 300 officers, 150 interpreters over 60 languages, 120 rooms.
    Office,
}

/// A synthetic week: skewed language demand (Zipf-like; about 20 % French, needing no
/// interpreter; some Arabic cases ask for a dialect), interpreters covering every language
/// with more for the frequent ones, some speaking 2 or 3; officers present on about 8 of 10
/// half-days (a fifth hold 2 interviews per half-day), interpreters on about 6; about 5 %
/// detention and 15 % accelerated cases, 15 % vulnerable, about 40 % due within the week, a few
/// overdue; about 6 % in families of two (same officer); some sex requests.
pub fn generate(seed: u64, size: Size) -> Instance {
    let (n_cand, n_off, n_int, n_lang, n_room) = match size {
        Size::Division => (600, 60, 40, 25, 30),
        Size::Office => (3000, 300, 150, 60, 120),
    };
    let h = 10u32;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let weights: Vec<f64> = (0..n_lang).map(|r| 1.0 / (r as f64 + 1.0).powf(0.9)).collect();
    let total: f64 = weights.iter().sum();
    let pick = |rng: &mut ChaCha8Rng| {
        let mut x = rng.gen_range(0.0..total);
        for (l, w) in weights.iter().enumerate() {
            if x < *w {
                return l;
            }
            x -= w;
        }
        n_lang - 1
    };
    let sex = |rng: &mut ChaCha8Rng| if rng.gen_bool(0.5) { Sex::Female } else { Sex::Male };
    let officers: Vec<Officer> = (0..n_off)
        .map(|_| Officer {
            available: (0..h).map(|_| rng.gen_bool(0.8)).collect(),
            capacity: if rng.gen_bool(0.2) { 2 } else { 1 },
            sex: Some(sex(&mut rng)),
        })
        .collect();
    let doubles: Vec<usize> = (0..n_off).filter(|&o| officers[o].capacity == 2).collect();
    let interpreters: Vec<Interpreter> = (0..n_int)
        .map(|i| {
            let first = if i < n_lang { i } else { pick(&mut rng) };
            let mut langs = vec![first];
            let extra = match rng.gen_range(0..100) {
                0..=59 => 0,
                60..=89 => 1,
                _ => 2,
            };
            for _ in 0..extra {
                let l = pick(&mut rng);
                if !langs.contains(&l) {
                    langs.push(l);
                }
            }
            let languages = langs
                .into_iter()
                .map(|l| Language {
                    code: LANGUAGES[l].to_string(),
                    dialect: (l == 0 && rng.gen_bool(0.6)).then(|| DIALECTS[rng.gen_range(0..2)].to_string()),
                })
                .collect();
            let (in_person, video) = match rng.gen_range(0..10) {
                0..=4 => (true, true),
                5..=7 => (true, false),
                _ => (false, true),
            };
            Interpreter {
                languages,
                sex: Some(sex(&mut rng)),
                in_person,
                video,
                available: (0..h).map(|_| rng.gen_bool(0.6)).collect(),
            }
        })
        .collect();
    let rooms = (0..n_room)
        .map(|_| Room {
            kind: match rng.gen_range(0..10) {
                0..=5 => RoomKind::Booth,
                6..=8 => RoomKind::VideoBooth,
                _ => RoomKind::VideoRoom,
            },
            available: (0..h).map(|_| rng.gen_bool(0.95)).collect(),
        })
        .collect();
    let mut candidates: Vec<Candidate> = Vec::with_capacity(n_cand);
    let mut family = 0u32;
    while candidates.len() < n_cand {
        let urgency = match rng.gen_range(0..100) {
            0..=4 => Urgency::Detention,
            5..=19 => Urgency::Accelerated,
            _ => Urgency::Normal,
        };
        let deadline = match urgency {
            Urgency::Detention => rng.gen_range(0..5),
            Urgency::Accelerated => rng.gen_range(1..10),
            Urgency::Normal => match rng.gen_range(0..100) {
                0..=4 => rng.gen_range(-5..0),
                5..=29 => rng.gen_range(2..10),
                _ => rng.gen_range(10..60),
            },
        };
        let language = if rng.gen_bool(0.2) {
            None
        } else {
            let l = pick(&mut rng);
            Some(Language {
                code: LANGUAGES[l].to_string(),
                dialect: (l == 0 && rng.gen_bool(0.25)).then(|| DIALECTS[rng.gen_range(0..2)].to_string()),
            })
        };
        let vulnerable = rng.gen_bool(0.15);
        let in_family = n_cand - candidates.len() >= 2 && rng.gen_bool(0.03) && !doubles.is_empty();
        let officer = if in_family { doubles[rng.gen_range(0..doubles.len())] } else { rng.gen_range(0..n_off) };
        let base = Candidate {
            case: String::new(),
            officer,
            interpreter_sex: (language.is_some() && rng.gen_bool(0.1)).then(|| {
                if rng.gen_bool(0.75) {
                    Sex::Female
                } else {
                    Sex::Male
                }
            }),
            officer_sex: rng.gen_bool(0.05).then(|| if rng.gen_bool(0.75) { Sex::Female } else { Sex::Male }),
            language,
            deadline,
            urgency,
            vulnerable,
            introduced: match urgency {
                Urgency::Detention => rng.gen_range(-20..0),
                _ => rng.gen_range(-400..0),
            },
            earliest: match rng.gen_range(0..10) {
                0..=3 => 0,
                4..=6 => 1,
                _ => 2,
            },
            family: in_family.then_some(family),
            video_allowed: rng.gen_bool(if vulnerable { 0.3 } else { 0.7 }),
        };
        let count = if in_family { 2 } else { 1 };
        for _ in 0..count {
            let mut c = base.clone();
            c.case = format!("C{:05}", candidates.len());
            candidates.push(c);
        }
        family += u32::from(in_family);
    }
    Instance {
        slots: h,
        interpreter_capacity: 1,
        candidates,
        officers,
        interpreters,
        rooms,
        fixed: Vec::new(),
        replanning: false,
    }
}
