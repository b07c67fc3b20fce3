//! Sessions kept in the database (table `sessions`), so that several web nodes share them and
//! a sign-out ends the session everywhere. The row's key is the SHA-256 of the session id: a
//! copy of the table does not let anyone take over a session.

use async_trait::async_trait;
use nansen_office::Office;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Clone)]
pub struct DbSessionStore {
    office: Office,
}

impl std::fmt::Debug for DbSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DbSessionStore")
    }
}

impl DbSessionStore {
    pub fn new(office: Office) -> Self {
        DbSessionStore { office }
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        // A collision of random 128-bit ids is not expected; draw again if it happens.
        while !self
            .office
            .session_create(&record.id.to_string(), &data, record.expiry_date.unix_timestamp())
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        self.office
            .session_save(&record.id.to_string(), &data, record.expiry_date.unix_timestamp())
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let now = self.office.now();
        let Some(data) = self.office.session_load(&id.to_string()).await.map_err(backend)? else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        // The expiry is recomputed by the session layer from its idle timeout on every request.
        Ok(Some(Record { id: *id, data, expiry_date: now }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.office.session_delete(&id.to_string()).await.map_err(backend)
    }
}
