//! The office's electronic seal on certified copies of civil-status acts: an Ed25519 key kept in
//! a file outside the database (like the journal's signing key), so that whoever can rewrite the
//! database still cannot seal a forged copy. The public verification page checks seals with it.

use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _};
use sha2::{Digest, Sha256};

use crate::OfficeError;

pub struct Seal {
    key: SigningKey,
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seal({})", self.key_id())
    }
}

impl Seal {
    /// A key that lives as long as the process (tests, and an office without a key file).
    pub fn ephemeral() -> Seal {
        Seal { key: SigningKey::generate(&mut rand::rngs::OsRng) }
    }

    /// Loads the key from `path`, or creates it (mode 0600) when the file does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<Seal, OfficeError> {
        let fail = |reason: String| OfficeError::Internal(format!("seal key {}: {reason}", path.display()));
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|e| fail(e.to_string()))?;
                let secret: [u8; 32] = bytes.try_into().map_err(|_| fail("expected 32 bytes in hex".into()))?;
                Ok(Seal { key: SigningKey::from_bytes(&secret) })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SigningKey::generate(&mut rand::rngs::OsRng);
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
                writeln!(file, "{}", hex::encode(key.to_bytes()))
                    .and_then(|_| file.sync_all())
                    .map_err(|e| fail(e.to_string()))?;
                Ok(Seal { key })
            }
            Err(e) => Err(fail(e.to_string())),
        }
    }

    /// A short, stable name of the public key: the first 8 bytes of its SHA-256, in hex.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.key.verifying_key().as_bytes())[..8])
    }

    /// The seal of `message`, in URL-safe hex.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.key.sign(message).to_bytes())
    }

    /// Whether `seal` (hex) is this key's seal of `message`.
    pub fn verify(&self, message: &[u8], seal: &str) -> bool {
        let Ok(bytes) = hex::decode(seal.trim()) else {
            return false;
        };
        let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
            return false;
        };
        self.key.verifying_key().verify(message, &Signature::from_bytes(&bytes)).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seal_verifies_only_its_message_and_survives_a_reload() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys/seal.key");
        let seal = Seal::load_or_create(&path).expect("created");
        let s = seal.sign(b"copy 1");
        assert!(seal.verify(b"copy 1", &s));
        assert!(!seal.verify(b"copy 2", &s));
        assert!(!seal.verify(b"copy 1", "00"));
        assert!(!seal.verify(b"copy 1", &s.replace('a', "b")) || !s.contains('a'));
        let again = Seal::load_or_create(&path).expect("loaded");
        assert_eq!(again.key_id(), seal.key_id());
        assert!(again.verify(b"copy 1", &s));
        assert!(!Seal::ephemeral().verify(b"copy 1", &s), "another key does not verify it");
    }
}
