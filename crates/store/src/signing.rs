//! The Ed25519 key that signs journal tree heads. It lives in a file outside the database, so
//! that someone who can rewrite the database cannot forge a head.

use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::merkle::Hash;
use crate::StoreError;

/// Signs and checks tree heads. Cheap to clone the public part; the secret stays here.
pub struct HeadSigner {
    key: SigningKey,
    path: PathBuf,
}

/// What a signed tree head commits to: the journal's size, its Merkle root and the chain hash of
/// its last entry. The signed message is `"nansen-tree-head-v1" || size (u64 BE) || root || last`.
pub fn head_message(size: u64, root: &Hash, last_hash: &Hash) -> Vec<u8> {
    let mut m = Vec::with_capacity(19 + 8 + 64);
    m.extend_from_slice(b"nansen-tree-head-v1");
    m.extend_from_slice(&size.to_be_bytes());
    m.extend_from_slice(root);
    m.extend_from_slice(last_hash);
    m
}

/// A short, stable name of a public key: the first 8 bytes of its SHA-256, in hex.
pub fn key_id(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

impl HeadSigner {
    /// Loads the key from `path`, or creates it (mode 0600) when the file does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<HeadSigner, StoreError> {
        let key_error = |reason: String| StoreError::SigningKey { path: path.display().to_string(), reason };
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim()).map_err(|e| key_error(e.to_string()))?;
                let secret: [u8; 32] = bytes.try_into().map_err(|_| key_error("expected 32 bytes in hex".into()))?;
                Ok(HeadSigner { key: SigningKey::from_bytes(&secret), path: path.to_owned() })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SigningKey::generate(&mut rand::rngs::OsRng);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| key_error(e.to_string()))?;
                }
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut file = options.open(path).map_err(|e| key_error(e.to_string()))?;
                writeln!(file, "{}", hex::encode(key.to_bytes()))
                    .and_then(|_| file.sync_all())
                    .map_err(|e| key_error(e.to_string()))?;
                tracing::info!(path = %path.display(), key_id = %key_id(&key.verifying_key()), "created journal signing key");
                Ok(HeadSigner { key, path: path.to_owned() })
            }
            Err(e) => Err(key_error(e.to_string())),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn key_id(&self) -> String {
        key_id(&self.key.verifying_key())
    }

    pub fn sign_head(&self, size: u64, root: &Hash, last_hash: &Hash) -> [u8; 64] {
        self.key.sign(&head_message(size, root, last_hash)).to_bytes()
    }
}

/// Checks a head's signature with a public key.
pub fn verify_head(key: &VerifyingKey, size: u64, root: &Hash, last_hash: &Hash, signature: &[u8]) -> bool {
    let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
        return false;
    };
    key.verify(&head_message(size, root, last_hash), &Signature::from_bytes(&bytes)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_is_reloaded_and_signs_verifiably() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("keys/journal.key");
        let a = HeadSigner::load_or_create(&path).expect("create");
        let b = HeadSigner::load_or_create(&path).expect("reload");
        assert_eq!(a.key_id(), b.key_id());
        let sig = a.sign_head(3, &[1; 32], &[2; 32]);
        assert!(verify_head(&b.verifying_key(), 3, &[1; 32], &[2; 32], &sig));
        assert!(!verify_head(&b.verifying_key(), 4, &[1; 32], &[2; 32], &sig));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key must not be readable by others");
        }
    }

    #[test]
    fn a_corrupt_key_file_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("journal.key");
        std::fs::write(&path, "not hex").expect("write");
        let err = HeadSigner::load_or_create(&path).err().expect("must fail");
        assert!(err.to_string().contains("journal.key"), "{err}");
    }
}
