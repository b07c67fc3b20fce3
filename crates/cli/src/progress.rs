//! The progress of a long command: on a terminal, a bar with its rate and the time left
//! (indicatif); elsewhere (CI logs, a service's journal), a plain line every few seconds and one
//! at the end, so that a log shows the job moving without drowning in redraws.

use std::io::IsTerminal as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, HumanDuration, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How often a plain line is written when standard error is not a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// What is counted.
#[derive(Clone, Copy, Debug)]
pub enum Unit {
    /// Things, named in the plural ("entries", "objects").
    Items(&'static str),
    Bytes,
}

pub struct Progress {
    bar: ProgressBar,
    label: String,
    unit: Unit,
    /// When the last plain line was written; `None` on a terminal.
    plain: Option<Mutex<Instant>>,
}

impl Progress {
    /// A job of `total` units (unknown: `None`), drawn on standard error.
    pub fn new(label: &str, total: Option<u64>, unit: Unit) -> Progress {
        let terminal = std::io::stderr().is_terminal();
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), draw_target(terminal)),
            None => ProgressBar::with_draw_target(None, draw_target(terminal)),
        };
        let counted = match unit {
            Unit::Bytes => "{bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            Unit::Items(_) if total.is_some() => "{human_pos}/{human_len} {msg} ({per_sec}, {eta} left)",
            Unit::Items(_) => "{human_pos} {msg} ({per_sec})",
        };
        let template = if total.is_some() {
            format!("{{prefix}} [{{bar:30}}] {counted}")
        } else {
            format!("{{spinner}} {{prefix}} {counted}")
        };
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label.to_owned());
        if let Unit::Items(name) = unit {
            bar.set_message(name);
        }
        let plain = (!terminal).then(|| Mutex::new(Instant::now()));
        Progress { bar, label: label.to_owned(), unit, plain }
    }

    pub fn inc(&self, n: u64) {
        self.bar.inc(n);
        self.maybe_line();
    }

    pub fn set(&self, position: u64) {
        self.bar.set_position(position);
        self.maybe_line();
    }

    pub fn set_total(&self, total: u64) {
        self.bar.set_length(total);
    }

    /// The store's callback (`(done, total)`), drawing on this progress.
    pub fn for_store(self: &std::sync::Arc<Self>) -> nansen_store::Progress {
        let me = self.clone();
        std::sync::Arc::new(move |done, total| {
            me.set_total(total.max(done));
            me.set(done);
        })
    }

    /// The job is over: the bar stays drawn at its end, or a last plain line says so.
    pub fn finish(&self) {
        self.bar.finish();
        if self.plain.is_some() {
            eprintln!("{}", self.line(true));
        }
    }

    fn maybe_line(&self) {
        let Some(last) = &self.plain else { return };
        let Ok(mut last) = last.lock() else { return };
        if last.elapsed() >= PLAIN_EVERY {
            *last = Instant::now();
            eprintln!("{}", self.line(false));
        }
    }

    /// "documents: 1,200/5,000 objects (24%), 350/s, about 11s left".
    fn line(&self, done: bool) -> String {
        let position = self.bar.position();
        let amount = |n: u64| match self.unit {
            Unit::Bytes => HumanBytes(n).to_string(),
            Unit::Items(_) => n.to_string(),
        };
        let name = match self.unit {
            Unit::Items(name) => format!(" {name}"),
            Unit::Bytes => String::new(),
        };
        let rate = match self.unit {
            Unit::Bytes => format!("{}/s", HumanBytes(self.bar.per_sec() as u64)),
            Unit::Items(_) => format!("{:.0}/s", self.bar.per_sec()),
        };
        let elapsed = HumanDuration(self.bar.elapsed());
        match self.bar.length() {
            Some(total) if done => format!("{}: {}{name}, done in {elapsed}", self.label, amount(total.max(position))),
            Some(total) => {
                let percent = position.saturating_mul(100).checked_div(total).unwrap_or(100);
                format!(
                    "{}: {}/{}{name} ({percent}%), {rate}, about {} left",
                    self.label,
                    amount(position),
                    amount(total),
                    HumanDuration(self.bar.eta())
                )
            }
            None if done => format!("{}: {}{name}, done in {elapsed}", self.label, amount(position)),
            None => format!("{}: {}{name}, {rate}", self.label, amount(position)),
        }
    }
}

fn draw_target(terminal: bool) -> ProgressDrawTarget {
    if terminal {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    }
}
