//! Nonce replay protection with bounded memory.
//!
//! A nonce must be remembered for as long as its timestamp is still accepted: after that
//! the timestamp check refuses a replay on its own. The verifier accepts `|now - ts| <=
//! window`, so an entry stays live through the second `oauth_timestamp + window` itself and
//! is dropped only once the clock has passed it (an entry dropped *at* that second let a
//! request exactly `window` seconds old be replayed all second long, and a window of 0
//! protected nothing). A hard cap bounds memory under a flood of unique nonces
//! from authenticated clients (only verified requests are recorded, so unauthenticated
//! traffic cannot fill it). When the cap is reached the store *refuses* new requests
//! (the server answers 503) instead of evicting live entries: evicting would silently
//! re-open a replay window, and a verifier must fail closed.
//!
//! Each entry is a 128-bit keyed hash of (consumer key, nonce), not the strings, so an
//! entry costs a fixed ~50 bytes whatever the client sends.

use std::collections::hash_map::RandomState;
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Mutex;

/// The answer of [`NonceStore::insert`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Insert {
    /// First use: recorded.
    Fresh,
    /// Seen before inside the window.
    Replayed,
    /// The cap is reached and nothing has expired yet: refuse the request (503).
    Full,
}

struct Inner {
    seen: HashSet<u128, NoHash>,
    /// (expiry, entry) in arrival order; expiries are nearly sorted (clients' clocks differ
    /// by at most the window), so popping from the front while expired frees nearly all.
    order: VecDeque<(i64, u128)>,
}

/// Remembers (consumer key, nonce) pairs until their timestamp leaves the window.
pub struct NonceStore {
    inner: Mutex<Inner>,
    cap: usize,
    hash_a: RandomState,
    hash_b: RandomState,
}

impl NonceStore {
    /// A store holding at most `cap` live nonces.
    pub fn new(cap: usize) -> Self {
        Self {
            inner: Mutex::new(Inner {
                seen: HashSet::with_hasher(NoHash),
                order: VecDeque::new(),
            }),
            cap: cap.max(1),
            hash_a: RandomState::new(),
            hash_b: RandomState::new(),
        }
    }

    /// The fixed-size entry of (consumer key, nonce): compute once, then
    /// [`Self::contains_entry`] and [`Self::insert_entry`].
    pub fn entry(&self, key: &str, nonce: &[u8]) -> u128 {
        let h = |s: &RandomState| {
            let mut h = s.build_hasher();
            key.hash(&mut h);
            nonce.hash(&mut h);
            h.finish()
        };
        (u128::from(h(&self.hash_a)) << 64) | u128::from(h(&self.hash_b))
    }

    /// Whether the nonce is live (a cheap early check; [`Self::insert`] is the atomic one).
    pub fn contains(&self, key: &str, nonce: &[u8], now: i64) -> bool {
        self.contains_entry(self.entry(key, nonce), now)
    }

    /// [`Self::contains`] for a precomputed entry.
    pub fn contains_entry(&self, e: u128, now: i64) -> bool {
        let mut inner = self.lock();
        expire(&mut inner, now);
        inner.seen.contains(&e)
    }

    /// Records the nonce, live through the second `expires` (Unix seconds): the last second
    /// at which its timestamp is still accepted.
    pub fn insert(&self, key: &str, nonce: &[u8], now: i64, expires: i64) -> Insert {
        self.insert_entry(self.entry(key, nonce), now, expires)
    }

    /// [`Self::insert`] for a precomputed entry.
    pub fn insert_entry(&self, e: u128, now: i64, expires: i64) -> Insert {
        let mut inner = self.lock();
        expire(&mut inner, now);
        if inner.seen.contains(&e) {
            return Insert::Replayed;
        }
        if inner.seen.len() >= self.cap {
            return Insert::Full;
        }
        inner.seen.insert(e);
        inner.order.push_back((expires, e));
        Insert::Fresh
    }

    /// Live entries (for tests and the load report).
    pub fn len(&self) -> usize {
        self.lock().seen.len()
    }

    /// Whether no nonce is live.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the set inconsistent in a way that
        // matters (at worst one entry is missing from `order`), so poisoning is ignored.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn expire(inner: &mut Inner, now: i64) {
    while let Some(&(exp, e)) = inner.order.front() {
        if exp >= now {
            break;
        }
        inner.order.pop_front();
        inner.seen.remove(&e);
    }
}

/// The entries are already keyed hashes: hash them again for nothing.
#[derive(Clone, Copy, Default)]
struct NoHash;

impl BuildHasher for NoHash {
    type Hasher = NoHasher;
    fn build_hasher(&self) -> NoHasher {
        NoHasher(0)
    }
}

struct NoHasher(u64);

impl Hasher for NoHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 ^= u64::from_le_bytes(b);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_expiry_and_cap() {
        let s = NonceStore::new(2);
        assert_eq!(s.insert("k", b"n1", 100, 200), Insert::Fresh);
        assert_eq!(s.insert("k", b"n1", 150, 250), Insert::Replayed);
        assert_eq!(s.insert("other", b"n1", 150, 250), Insert::Fresh);
        assert_eq!(s.insert("k", b"n2", 150, 250), Insert::Full);
        // n1 is live through second 200, the last its timestamp is accepted in.
        assert!(s.contains("k", b"n1", 200));
        assert_eq!(s.insert("k", b"n2", 200, 300), Insert::Full);
        // From 201 on, room again, and n1 may be used again (its timestamp is stale).
        assert!(!s.contains("k", b"n1", 201));
        assert_eq!(s.insert("k", b"n2", 201, 300), Insert::Fresh);
        assert_eq!(s.len(), 2);
    }
}
