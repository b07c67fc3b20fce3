//! Deadlines in the reader's words: the facts the domain gives for each deadline ([`Why`]), put
//! into a sentence with the workbench's Fluent messages (`why-*`), and dates written as people
//! read them ("3 mars 2026", "3 March 2026"). The English of the messages is the domain's own
//! explanation, word for word (a test compares them), so that both languages say one computation.

use fluent_bundle::{FluentArgs, FluentValue};
use nansen_domain::deadlines::{Context, DayOff, Period, Start, Why};
use nansen_domain::decision::ClosureGround;
use nansen_domain::{DurationUnit, Procedure};
use time::Date;

use crate::i18n::Tr;

/// How close a deadline is, as the case page and the queues mark it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// The last day has passed.
    Overdue,
    /// Within [`DUE_SOON_DAYS`] days from today, today included.
    DueSoon,
    Later,
}

/// The days ahead a deadline counts as due soon: the queues' "due within 30 days".
pub const DUE_SOON_DAYS: i64 = 30;

impl Urgency {
    pub fn of(due: Date, today: Date) -> Urgency {
        if due < today {
            Urgency::Overdue
        } else if (due - today).whole_days() <= DUE_SOON_DAYS {
            Urgency::DueSoon
        } else {
            Urgency::Later
        }
    }

    /// The words shown next to the date (not colour alone); `None` when nothing is pressing.
    pub fn label(self, tr: &Tr) -> Option<String> {
        match self {
            Urgency::Overdue => Some(tr.t("deadline-overdue")),
            Urgency::DueSoon => Some(tr.t("deadline-due-soon")),
            Urgency::Later => None,
        }
    }

    /// The class of the marker: "fr-badge--error", "fr-badge--warning".
    pub fn class(self) -> &'static str {
        match self {
            Urgency::Overdue => "fr-badge--error",
            Urgency::DueSoon => "fr-badge--warning",
            Urgency::Later => "",
        }
    }
}

/// "3 mars 2026" (1er for the first of the month), "3 March 2026".
pub fn long_date(tr: &Tr, d: Date) -> String {
    let mut args = FluentArgs::new();
    args.set("day", FluentValue::from(d.day()));
    args.set("month", tr.t(&format!("month-{}", u8::from(d.month()))));
    args.set("year", d.year().to_string());
    tr.targs("why-date", args)
}

fn weekday_date(tr: &Tr, d: Date) -> String {
    let mut args = FluentArgs::new();
    args.set("weekday", tr.t(&format!("weekday-{}", d.weekday().number_from_monday())));
    args.set("date", long_date(tr, d));
    tr.targs("why-weekday-date", args)
}

fn day_month(tr: &Tr, d: Date) -> String {
    let mut args = FluentArgs::new();
    args.set("day", FluentValue::from(d.day()));
    args.set("month", tr.t(&format!("month-{}", u8::from(d.month()))));
    tr.targs("why-day-month", args)
}

fn period(tr: &Tr, p: Period) -> String {
    let unit = match p.unit {
        DurationUnit::Hours => "hours",
        DurationUnit::Days => "days",
        DurationUnit::Weeks => "weeks",
        DurationUnit::Months => "months",
    };
    let mut args = FluentArgs::new();
    args.set("unit", unit);
    args.set("count", FluentValue::from(p.amount));
    tr.targs("why-period", args)
}

fn days(tr: &Tr, n: i64) -> String {
    period(tr, Period { amount: u32::try_from(n).unwrap_or(0), unit: DurationUnit::Days })
}

fn start(from: Start) -> &'static str {
    match from {
        Start::Introduction => "why-start-introduction",
        Start::Interview => "why-start-interview",
        Start::Receipt => "why-start-receipt",
        Start::Notification => "why-start-notification",
        Start::AppealLodged => "why-start-appeal-lodged",
        Start::Closure => "why-start-closure",
    }
}

fn closure(g: ClosureGround) -> &'static str {
    match g {
        ClosureGround::Withdrawal => "why-closure-withdrawal",
        ClosureGround::AbsenceFromInterview => "why-closure-absence",
        ClosureGround::RefusalToProvideInformation => "why-closure-refusal",
    }
}

fn context(tr: &Tr, c: &Context) -> String {
    let ground = |g: nansen_domain::AcceleratedGround| tr.t(&format!("why-ground-{}", g.as_str()));
    match c {
        Context::Procedure(Procedure::Normal) => tr.t("why-context-normal"),
        Context::Procedure(Procedure::Detention) => tr.t("why-context-detention"),
        Context::Procedure(Procedure::Border) => tr.t("why-context-border"),
        Context::Procedure(Procedure::Accelerated(g)) => tr.ta("why-context-accelerated", &[("ground", &ground(*g))]),
        Context::AcceleratedAtInterview(g) => tr.ta("why-context-accelerated-at-interview", &[("ground", &ground(*g))]),
        Context::DeemedNotified { period: p, made_available_on } => tr.ta(
            "why-context-deemed-notified",
            &[("period", &period(tr, *p)), ("date", &long_date(tr, *made_available_on))],
        ),
        Context::OpenedThatDay => tr.t("why-context-opened-that-day"),
        Context::SingleJudgeAccelerated => tr.t("why-context-single-judge-accelerated"),
        Context::SingleJudgeInadmissible => tr.t("why-context-single-judge-inadmissible"),
        Context::Collegial => tr.t("why-context-collegial"),
        Context::Closure(g) => tr.t(closure(*g)),
    }
}

fn day_off(d: DayOff) -> &'static str {
    match d {
        DayOff::PublicHoliday => "why-off-public-holiday",
        DayOff::Saturday => "why-off-saturday",
        DayOff::Sunday => "why-off-sunday",
    }
}

/// How a deadline was reached, in the reader's language.
pub fn explain(tr: &Tr, why: &[Why]) -> String {
    why.iter().map(|w| clause(tr, w)).collect()
}

fn clause(tr: &Tr, why: &Why) -> String {
    let date = |d: &Date| long_date(tr, *d);
    match why {
        Why::Runs { period: p, from, on, context: c } => tr.ta(
            "why-runs",
            &[
                ("period", &period(tr, *p)),
                ("start", &tr.t(start(*from))),
                ("date", &date(on)),
                ("context", &context(tr, c)),
            ],
        ),
        Why::Reaches(d) => tr.ta("why-reaches", &[("date", &date(d))]),
        Why::Extended { by, on, reason, due } => tr.ta(
            "why-extended",
            &[("period", &period(tr, *by)), ("date", &date(on)), ("reason", reason.trim()), ("due", &date(due))],
        ),
        Why::Moved { to, skipped } => {
            let days: Vec<String> = skipped
                .iter()
                .enumerate()
                .map(|(i, (d, off))| {
                    let key = if i == 0 { "why-skipped-first" } else { "why-skipped-next" };
                    tr.ta(key, &[("day", &day_month(tr, *d)), ("off", &tr.t(day_off(*off)))])
                })
                .collect();
            tr.ta("why-moved", &[("date", &weekday_date(tr, *to)), ("days", &days.join(", "))])
        }
        Why::InformBefore { period: p, normal, introduced_on, ends_on } => tr.ta(
            "why-inform-before",
            &[
                ("period", &period(tr, *p)),
                ("normal", &period(tr, *normal)),
                ("date", &date(introduced_on)),
                ("end", &date(ends_on)),
            ],
        ),
        Why::DeemedUnlessOpened { period: p, made_available_on } => {
            tr.ta("why-deemed-unless-opened", &[("period", &period(tr, *p)), ("date", &date(made_available_on))])
        }
        Why::LegalAidTooLate { requested_on, window } => {
            tr.ta("why-legal-aid-too-late", &[("date", &date(requested_on)), ("window", &period(tr, *window))])
        }
        Why::LegalAidPending { requested_on, remaining_days } => {
            tr.ta("why-legal-aid-pending", &[("date", &date(requested_on)), ("remaining", &days(tr, *remaining_days))])
        }
        Why::LegalAidDecided { requested_on, remaining_days, decided_on, due } => tr.ta(
            "why-legal-aid-decided",
            &[
                ("date", &date(requested_on)),
                ("remaining", &days(tr, *remaining_days)),
                ("decided", &date(decided_on)),
                ("due", &date(due)),
            ],
        ),
        Why::ThenReExamination => tr.t("why-then-re-examination"),
        Why::ToVerify => tr.t("why-to-verify"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Catalog;
    use nansen_domain::deadlines::english;
    use nansen_domain::AcceleratedGround;
    use time::macros::date;

    /// Every fact, in every form it takes.
    fn every_fact() -> Vec<Vec<Why>> {
        let months = |n| Period { amount: n, unit: DurationUnit::Months };
        let days = |n| Period { amount: n, unit: DurationUnit::Days };
        let on = date!(2026 - 03 - 03);
        let runs = |from, context| Why::Runs { period: days(15), from, on, context };
        let mut all = vec![
            vec![
                runs(Start::Introduction, Context::Procedure(Procedure::Normal)),
                Why::Reaches(date!(2026 - 09 - 03)),
                Why::Extended { by: months(3), on: date!(2026 - 08 - 01), reason: " complex case ".into(), due: on },
                Why::Moved {
                    to: date!(2026 - 08 - 17),
                    skipped: vec![
                        (date!(2026 - 08 - 15), DayOff::PublicHoliday),
                        (date!(2026 - 08 - 16), DayOff::Sunday),
                    ],
                },
                Why::ToVerify,
            ],
            vec![Why::Moved { to: date!(2026 - 03 - 09), skipped: vec![(date!(2026 - 03 - 07), DayOff::Saturday)] }],
            vec![
                Why::InformBefore {
                    period: days(15),
                    normal: months(6),
                    introduced_on: on,
                    ends_on: date!(2026 - 09 - 03),
                },
                Why::Reaches(date!(2026 - 08 - 19)),
            ],
            vec![Why::DeemedUnlessOpened { period: days(15), made_available_on: on }, Why::Reaches(on)],
            vec![
                runs(Start::Notification, Context::OpenedThatDay),
                Why::LegalAidTooLate { requested_on: on, window: days(15) },
                Why::LegalAidPending { requested_on: on, remaining_days: 1 },
                Why::LegalAidDecided { requested_on: on, remaining_days: 20, decided_on: on, due: on },
            ],
            vec![runs(
                Start::Notification,
                Context::DeemedNotified {
                    period: Period { amount: 1, unit: DurationUnit::Weeks },
                    made_available_on: on,
                },
            )],
            vec![runs(Start::Interview, Context::AcceleratedAtInterview(AcceleratedGround::FalseDocuments))],
            vec![Why::Runs {
                period: Period { amount: 96, unit: DurationUnit::Hours },
                from: Start::Receipt,
                on,
                context: Context::Procedure(Procedure::Detention),
            }],
            vec![runs(Start::Introduction, Context::Procedure(Procedure::Border))],
            vec![runs(Start::AppealLodged, Context::SingleJudgeAccelerated)],
            vec![runs(Start::AppealLodged, Context::SingleJudgeInadmissible)],
            vec![runs(Start::AppealLodged, Context::Collegial), Why::Reaches(date!(2026 - 03 - 01))],
            vec![Why::Runs { period: months(1), from: Start::Introduction, on, context: Context::Collegial }],
        ];
        for g in [
            AcceleratedGround::SafeCountryOfOrigin,
            AcceleratedGround::AdmissibleReExamination,
            AcceleratedGround::RefusedFingerprints,
            AcceleratedGround::FalseDocuments,
            AcceleratedGround::LateApplication,
            AcceleratedGround::DefeatRemoval,
            AcceleratedGround::PublicOrderThreat,
        ] {
            all.push(vec![runs(Start::Introduction, Context::Procedure(Procedure::Accelerated(g)))]);
        }
        for g in
            [ClosureGround::Withdrawal, ClosureGround::AbsenceFromInterview, ClosureGround::RefusalToProvideInformation]
        {
            all.push(vec![runs(Start::Closure, Context::Closure(g)), Why::ThenReExamination]);
        }
        all
    }

    #[test]
    fn the_english_messages_say_what_the_domain_says() {
        let catalog = Catalog::embedded().expect("locales");
        let tr = catalog.tr("en");
        for why in every_fact() {
            assert_eq!(explain(&tr, &why), english(&why), "{why:?}");
        }
    }

    #[test]
    fn a_french_page_explains_deadlines_in_french() {
        let catalog = Catalog::embedded().expect("locales");
        let tr = catalog.tr("fr");
        let accelerated = [
            Why::Runs {
                period: Period { amount: 15, unit: DurationUnit::Days },
                from: Start::Introduction,
                on: date!(2026 - 09 - 30),
                context: Context::Procedure(Procedure::Accelerated(AcceleratedGround::SafeCountryOfOrigin)),
            },
            Why::Reaches(date!(2026 - 10 - 15)),
        ];
        assert_eq!(
            explain(&tr, &accelerated),
            "15 jours à compter de l'introduction le 30 septembre 2026 (procédure accélérée, pays d'origine sûr) : \
             15 octobre 2026"
        );
        let moved = [Why::Moved {
            to: date!(2026 - 08 - 17),
            skipped: vec![(date!(2026 - 08 - 15), DayOff::PublicHoliday), (date!(2026 - 08 - 16), DayOff::Sunday)],
        }];
        assert_eq!(
            explain(&tr, &moved),
            ", reporté au lundi 17 août 2026 (le 15 août est un jour férié, le 16 août un dimanche)"
        );
        assert_eq!(long_date(&tr, date!(2026 - 05 - 01)), "1er mai 2026");
        // No English word is left in any French explanation.
        let english_words =
            [" from ", " on ", " day", " month", "procedure", "notified", "judge", "applicant", "verify"];
        for why in every_fact() {
            let text = explain(&tr, &why);
            for word in english_words {
                assert!(!text.contains(word), "{word:?} in {text:?}");
            }
        }
    }

    #[test]
    fn overdue_and_due_soon_are_told_apart() {
        let today = date!(2026 - 11 - 30);
        assert_eq!(Urgency::of(date!(2026 - 11 - 29), today), Urgency::Overdue);
        assert_eq!(Urgency::of(today, today), Urgency::DueSoon);
        assert_eq!(Urgency::of(date!(2026 - 12 - 30), today), Urgency::DueSoon);
        assert_eq!(Urgency::of(date!(2026 - 12 - 31), today), Urgency::Later);
    }
}
