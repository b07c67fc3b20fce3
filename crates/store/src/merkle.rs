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
        let mut node = (0u32, leaf_hash(entry_hash));
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
    if index >= entry_hashes.len() {
        return None;
    }
    let leaves: Vec<Hash> = entry_hashes.iter().map(leaf_hash).collect();
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
    if index >= size {
        return None;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = leaf_hash(entry_hash);
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
