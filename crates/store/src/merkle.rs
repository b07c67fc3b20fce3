//! The Merkle tree over journal entries (RFC 6962 style): leaf and node hashes, the compact
//! frontier kept in the journal head so that appends cost O(log n), and inclusion proofs.
//!
//! A leaf is the entry's chain hash; `leaf_hash = SHA-256(0x00 || entry_hash)`, `node_hash =
//! SHA-256(0x01 || left || right)`, and the tree of `n` leaves splits at the largest power of two
//! smaller than `n`, exactly as RFC 6962 §2.1, so any RFC 6962 verifier can check our proofs.

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The root of the empty tree: SHA-256 of the empty string (RFC 6962 §2.1).
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

pub fn leaf_hash(entry_hash: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry_hash);
    h.finalize().into()
}

pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The roots of the perfect subtrees that make up a tree of `size` leaves, largest first
/// (one per set bit of `size`). Appending a leaf merges equal-sized subtrees like a binary counter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// `(height, root)` pairs, heights strictly decreasing.
    nodes: Vec<(u32, Hash)>,
}

impl Frontier {
    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn push(&mut self, entry_hash: &Hash) {
        self.push_leaf(leaf_hash(entry_hash));
    }

    /// Appends a leaf already hashed with `leaf_hash` (apart so that RFC 6962's own leaves, of any
    /// length, can be checked against its published roots).
    fn push_leaf(&mut self, leaf: Hash) {
        let mut node = (0u32, leaf);
        while let Some(&(height, left)) = self.nodes.last() {
            if height != node.0 {
                break;
            }
            self.nodes.pop();
            node = (height + 1, node_hash(&left, &node.1));
        }
        self.nodes.push(node);
        self.size += 1;
    }

    /// The RFC 6962 root of the tree: subtrees folded from the smallest, right to left.
    pub fn root(&self) -> Hash {
        let mut iter = self.nodes.iter().rev();
        let Some(&(_, mut acc)) = iter.next() else {
            return empty_root();
        };
        for (_, left) in iter {
            acc = node_hash(left, &acc);
        }
        acc
    }

    /// Compact encoding stored in the journal head: the size (8 bytes, big endian) then the
    /// subtree roots, largest first. Heights follow from the size's bits.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 32 * self.nodes.len());
        out.extend_from_slice(&self.size.to_be_bytes());
        for (_, h) in &self.nodes {
            out.extend_from_slice(h);
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Frontier> {
        let (size_bytes, rest) = bytes.split_at_checked(8)?;
        let size = u64::from_be_bytes(size_bytes.try_into().ok()?);
        let heights: Vec<u32> = (0..64).rev().filter(|b| size & (1u64 << b) != 0).collect();
        if rest.len() != heights.len() * 32 {
            return None;
        }
        let nodes = heights
            .into_iter()
            .zip(rest.chunks_exact(32))
            .map(|(height, chunk)| {
                let mut h = [0u8; 32];
                h.copy_from_slice(chunk);
                (height, h)
            })
            .collect();
        Some(Frontier { size, nodes })
    }
}

/// The root of the tree over `leaves` (already leaf-hashed), computed by the frontier.
pub fn root_of(entry_hashes: &[Hash]) -> Hash {
    let mut f = Frontier::default();
    for h in entry_hashes {
        f.push(h);
    }
    f.root()
}

fn largest_power_of_two_below(n: usize) -> usize {
    // n >= 2
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// Root over leaf hashes (already hashed with `leaf_hash`).
fn subtree_root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = largest_power_of_two_below(n);
            node_hash(&subtree_root(&leaves[..k]), &subtree_root(&leaves[k..]))
        }
    }
}

/// The audit path for leaf `index` in the tree over `entry_hashes` (RFC 6962 §2.1.1 PATH).
/// Returns `None` when `index` is outside the tree.
pub fn inclusion_proof(entry_hashes: &[Hash], index: usize) -> Option<Vec<Hash>> {
    let leaves: Vec<Hash> = entry_hashes.iter().map(leaf_hash).collect();
    leaf_path(&leaves, index)
}

/// The audit path for leaf `index` among leaves already hashed with `leaf_hash`.
fn leaf_path(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    let (mut lo, mut hi, mut m) = (0usize, leaves.len(), index);
    // Walk down from the root, recording the sibling subtree at each split; the path is
    // listed from the leaf upwards, so reverse at the end.
    while hi - lo > 1 {
        let k = largest_power_of_two_below(hi - lo);
        if m < k {
            path.push(subtree_root(&leaves[lo + k..hi]));
            hi = lo + k;
        } else {
            path.push(subtree_root(&leaves[lo..lo + k]));
            lo += k;
            m -= k;
        }
    }
    path.reverse();
    Some(path)
}

/// Recomputes the root from a leaf and its audit path (RFC 9162 §2.1.3.2), or `None` when the
/// path has the wrong length for `(index, size)`.
pub fn root_from_proof(entry_hash: &Hash, index: u64, size: u64, path: &[Hash]) -> Option<Hash> {
    root_from_leaf_path(leaf_hash(entry_hash), index, size, path)
}

/// The root from a leaf already hashed with `leaf_hash` and its audit path.
fn root_from_leaf_path(leaf: Hash, index: u64, size: u64, path: &[Hash]) -> Option<Hash> {
    if index >= size {
        return None;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = leaf;
    for p in path {
        if snode == 0 {
            return None;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    (snode == 0).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entries(n: usize) -> Vec<Hash> {
        (0..n as u32).map(|i| Sha256::digest(i.to_be_bytes()).into()).collect()
    }

    fn naive_root(entry_hashes: &[Hash]) -> Hash {
        let leaves: Vec<Hash> = entry_hashes.iter().map(leaf_hash).collect();
        subtree_root(&leaves)
    }

    #[test]
    fn empty_tree_has_the_rfc_root() {
        assert_eq!(
            hex::encode(Frontier::default().root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    /// RFC 6962's reference leaves (certificate-transparency's merkle tree tests): data of 0 to 16
    /// bytes, hashed here from the RFC's definition, not with this module's functions.
    const RFC_LEAVES: [&str; 8] =
        ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    /// The published roots of the trees over the first 1 to 8 reference leaves.
    const RFC_ROOTS: [&str; 8] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    /// The published audit paths: (leaf index, tree size, path from the leaf up).
    const RFC_PATHS: [(usize, usize, &[&str]); 4] = [
        (
            0,
            8,
            &[
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
            ],
        ),
        (
            5,
            8,
            &[
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ],
        ),
        (2, 3, &["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
        (
            1,
            5,
            &[
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ],
        ),
    ];

    /// RFC 6962 §2.1: SHA-256(0x00 || data), written out here rather than taken from `leaf_hash`.
    fn rfc_leaves() -> Vec<Hash> {
        RFC_LEAVES
            .iter()
            .map(|d| {
                let mut h = Sha256::new();
                h.update([0u8]);
                h.update(hex::decode(d).expect("hex"));
                h.finalize().into()
            })
            .collect()
    }

    fn hash(s: &str) -> Hash {
        hex::decode(s).expect("hex").try_into().expect("32 bytes")
    }

    #[test]
    fn the_frontier_gives_the_published_roots_of_rfc_6962() {
        let leaves = rfc_leaves();
        let mut f = Frontier::default();
        for (n, leaf) in leaves.iter().enumerate() {
            f.push_leaf(*leaf);
            assert_eq!(hex::encode(f.root()), RFC_ROOTS[n], "tree of {} leaves", n + 1);
            // The frontier as stored in the journal head gives the same root back.
            let stored = Frontier::from_bytes(&f.to_bytes()).expect("decodes");
            assert_eq!(hex::encode(stored.root()), RFC_ROOTS[n], "tree of {} leaves, stored", n + 1);
        }
    }

    #[test]
    fn audit_paths_are_the_published_ones_and_verify_against_the_published_roots() {
        let leaves = rfc_leaves();
        for (index, size, expected) in RFC_PATHS {
            let path = leaf_path(&leaves[..size], index).expect("index in range");
            let hexes: Vec<String> = path.iter().map(hex::encode).collect();
            assert_eq!(hexes, expected, "leaf {index} of {size}");
            let root = root_from_leaf_path(leaves[index], index as u64, size as u64, &path);
            assert_eq!(root, Some(hash(RFC_ROOTS[size - 1])), "leaf {index} of {size}");
            // A published path checked against the neighbouring leaf, or a shorter tree, fails.
            let other = leaves[(index + 1) % size];
            assert_ne!(root_from_leaf_path(other, index as u64, size as u64, &path), Some(hash(RFC_ROOTS[size - 1])));
            assert_eq!(root_from_leaf_path(leaves[index], index as u64, size as u64 + 8, &path), None);
        }
        // A tree of one leaf: the empty path, the leaf hash as root.
        assert_eq!(leaf_path(&leaves[..1], 0), Some(vec![]));
        assert_eq!(root_from_leaf_path(leaves[0], 0, 1, &[]), Some(hash(RFC_ROOTS[0])));
    }

    #[test]
    fn entry_hashes_are_leaf_hashed_with_the_rfc_prefix() {
        // SHA-256(0x00 || 32 zero bytes) and SHA-256(0x01 || 32 zero bytes || 32 bytes 0x01),
        // computed with another SHA-256 implementation.
        assert_eq!(
            hex::encode(leaf_hash(&[0u8; 32])),
            "7f9c9e31ac8256ca2f258583df262dbc7d6f68f2a03043d5c99a4ae5a7396ce9"
        );
        assert_eq!(
            hex::encode(node_hash(&[0u8; 32], &[1u8; 32])),
            "2ad82c3a51e8ed6418cb5bf267c5f9e521b99f7ab4fce657f460a8f1a3e87b2e"
        );
        // And the public functions over entry hashes are those over their leaf hashes.
        let e = entries(7);
        let leaves: Vec<Hash> = e.iter().map(|h| Sha256::digest([[0u8].as_slice(), h].concat()).into()).collect();
        let mut f = Frontier::default();
        for l in &leaves {
            f.push_leaf(*l);
        }
        assert_eq!(root_of(&e), f.root());
        assert_eq!(inclusion_proof(&e, 3), leaf_path(&leaves, 3));
    }

    proptest! {
        #[test]
        fn frontier_root_equals_recursive_root(n in 0usize..300) {
            let e = entries(n);
            prop_assert_eq!(root_of(&e), naive_root(&e));
        }

        #[test]
        fn frontier_bytes_round_trip(n in 0usize..300) {
            let mut f = Frontier::default();
            for h in entries(n) { f.push(&h); }
            prop_assert_eq!(Frontier::from_bytes(&f.to_bytes()), Some(f));
        }

        #[test]
        fn every_inclusion_proof_verifies_and_a_wrong_leaf_does_not(n in 1usize..200, pick in 0usize..200) {
            let e = entries(n);
            let index = pick % n;
            let root = root_of(&e);
            let path = inclusion_proof(&e, index).expect("index in range");
            prop_assert_eq!(root_from_proof(&e[index], index as u64, n as u64, &path), Some(root));
            let other = e[(index + 1) % n];
            if n > 1 {
                prop_assert_ne!(root_from_proof(&other, index as u64, n as u64, &path), Some(root));
            }
        }
    }
}
