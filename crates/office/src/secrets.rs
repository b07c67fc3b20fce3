//! Secrets the office must read back (applicants' second-factor keys) are stored sealed: a
//! copy of the database alone does not let anyone generate an applicant's codes. The key is kept
//! outside the database, in a file like the journal's signing key (`keys/secrets.key`, mode
//! 0600), and sealing is ChaCha20-Poly1305 with a random nonce per value.

use std::io::Write as _;
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

use crate::OfficeError;

/// The prefix of a sealed value, with the scheme's version.
const SEALED: &str = "sealed:v1:";

/// The key that seals and opens stored secrets.
#[derive(Clone)]
pub struct SecretKey(Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// A key for this process only (tests): what it seals cannot be opened after a restart.
    pub fn ephemeral() -> SecretKey {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        SecretKey(Key::from(bytes))
    }

    /// Loads the key from `path` (64 hex digits), or creates it (mode 0600) when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<SecretKey, OfficeError> {
        let fail = |why: String| OfficeError::Internal(format!("secrets key {}: {why}", path.display()));
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|e| fail(e.to_string()))?;
                let bytes: [u8; 32] = bytes.try_into().map_err(|_| fail("expected 32 bytes in hex".into()))?;
                Ok(SecretKey(Key::from(bytes)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut bytes = [0u8; 32];
                rand::thread_rng().fill_bytes(&mut bytes);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options.open(path).map_err(|e| fail(e.to_string()))?;
                writeln!(file, "{}", hex::encode(bytes))
                    .and_then(|_| file.sync_all())
                    .map_err(|e| fail(e.to_string()))?;
                Ok(SecretKey(Key::from(bytes)))
            }
            Err(e) => Err(fail(e.to_string())),
        }
    }

    /// Seals a secret for storage: `sealed:v1:` then the nonce and the ciphertext in hex.
    pub fn seal(&self, plain: &str) -> Result<String, OfficeError> {
        let mut nonce = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut nonce);
        let sealed = ChaCha20Poly1305::new(&self.0)
            .encrypt(Nonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| OfficeError::Internal("sealing a secret failed".into()))?;
        Ok(format!("{SEALED}{}{}", hex::encode(nonce), hex::encode(sealed)))
    }

    /// Opens a stored secret. A value stored before sealing existed (no prefix) is read as it is.
    pub fn open(&self, stored: &str) -> Result<String, OfficeError> {
        let Some(rest) = stored.strip_prefix(SEALED) else {
            return Ok(stored.to_owned());
        };
        let bytes = hex::decode(rest).map_err(|_| OfficeError::Internal("a sealed secret is not hex".into()))?;
        if bytes.len() < 12 {
            return Err(OfficeError::Internal("a sealed secret is too short".into()));
        }
        let (nonce, sealed) = bytes.split_at(12);
        let plain = ChaCha20Poly1305::new(&self.0)
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| OfficeError::Internal("a sealed secret does not open with this key".into()))?;
        String::from_utf8(plain).map_err(|_| OfficeError::Internal("a sealed secret is not text".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_with_their_key_only() {
        let key = SecretKey::ephemeral();
        let sealed = key.seal("JBSWY3DPEHPK3PXP").expect("seal");
        assert!(sealed.starts_with(SEALED) && !sealed.contains("JBSWY3DPEHPK3PXP"), "{sealed}");
        assert_ne!(sealed, key.seal("JBSWY3DPEHPK3PXP").expect("seal"), "a fresh nonce each time");
        assert_eq!(key.open(&sealed).expect("open"), "JBSWY3DPEHPK3PXP");
        assert!(SecretKey::ephemeral().open(&sealed).is_err(), "another key opens nothing");
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('0') { '1' } else { '0' });
        assert!(key.open(&tampered).is_err(), "a changed byte is refused");
        assert_eq!(key.open("LEGACYCLEAR").expect("legacy"), "LEGACYCLEAR");
    }

    #[test]
    fn the_key_file_is_created_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("nansen-secrets-{}", crate::codes::random_token()));
        let path = dir.join("keys/secrets.key");
        let first = SecretKey::load_or_create(&path).expect("create");
        let sealed = first.seal("secret").expect("seal");
        let again = SecretKey::load_or_create(&path).expect("load");
        assert_eq!(again.open(&sealed).expect("open"), "secret");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
