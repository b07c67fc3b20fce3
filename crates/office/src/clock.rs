//! The office's clock: the wall clock in service, a fixed or moved one in tests, so that the
//! time of every command is an argument the domain receives, never something it reads.

use std::sync::{Arc, Mutex};

use time::OffsetDateTime;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<Mutex<OffsetDateTime>>>,
}

impl Clock {
    /// The wall clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock that shows `at` until it is set or advanced.
    pub fn fixed(at: OffsetDateTime) -> Clock {
        Clock { fixed: Some(Arc::new(Mutex::new(at))) }
    }

    pub fn now(&self) -> OffsetDateTime {
        match &self.fixed {
            None => OffsetDateTime::now_utc(),
            Some(at) => *at.lock().unwrap_or_else(|e| e.into_inner()),
        }
    }

    /// Moves a fixed clock (no effect on the wall clock).
    pub fn set(&self, to: OffsetDateTime) {
        if let Some(at) = &self.fixed {
            *at.lock().unwrap_or_else(|e| e.into_inner()) = to;
        }
    }

    pub fn advance(&self, by: time::Duration) {
        if let Some(at) = &self.fixed {
            let mut at = at.lock().unwrap_or_else(|e| e.into_inner());
            *at += by;
        }
    }
}

/// RFC 3339, as lockouts and expiries are told.
pub fn format_time(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
