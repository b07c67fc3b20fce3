//! Where sessions live: in the database (table `sessions`), so that several nodes share them and
//! a sign-out ends the session everywhere. The edge keeps the cookie and the session's content;
//! rows are keyed by the SHA-256 of the session id, so a copy of the table takes over nothing.

use sha2::{Digest, Sha256};

use crate::{Office, OfficeError};

fn key(id: &str) -> Vec<u8> {
    Sha256::digest(id.as_bytes()).to_vec()
}

impl Office {
    /// Creates a session row; `false` if the id is taken (draw another).
    pub async fn session_create(&self, id: &str, data: &str, expires_at: i64) -> Result<bool, OfficeError> {
        Ok(self.store().session_create(&key(id), data, expires_at).await?)
    }

    pub async fn session_save(&self, id: &str, data: &str, expires_at: i64) -> Result<(), OfficeError> {
        Ok(self.store().session_save(&key(id), data, expires_at).await?)
    }

    /// The session's content, unless it expired.
    pub async fn session_load(&self, id: &str) -> Result<Option<String>, OfficeError> {
        Ok(self.store().session_load(&key(id), self.now().unix_timestamp()).await?)
    }

    pub async fn session_delete(&self, id: &str) -> Result<(), OfficeError> {
        Ok(self.store().session_delete(&key(id)).await?)
    }
}
