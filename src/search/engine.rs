//! The search loop: fewest faults first, every core, no allocation per hypothesis.
//!
//! Level `k` computes exactly the hypotheses with `k` base-string/key/hash faults. For each
//! prefix (in parallel), each hash and each key, the keyed HMAC state is cloned and fed the
//! prefix once (a SHA midstate); each parameter part then costs one clone, one update and
//! one finish. The digest is compared with every reading of the captured signature, which
//! adds the output and transport faults at no HMAC cost.

use hmac::Mac;
use rayon::prelude::*;

use super::captured::Decoding;
use super::space::{Key, Piece, Space};
use super::switch::Switch;
use crate::rfc5849::{KeyedMac, SignatureMethod};

/// The hash block size checkpoints align to (SHA-1 and SHA-256; SHA-512's 128-byte blocks
/// then get a checkpoint every other block boundary too, which stays correct).
const BLOCK: usize = 64;

/// A hash to try: the method, the switch that picks it (None: the declared one).
#[derive(Clone, Copy, Debug)]
pub struct HashChoice {
    /// The method.
    pub method: SignatureMethod,
    /// `Some(Switch::Hash(..))` when it is not the declared one.
    pub switch: Option<Switch>,
}

/// A matching hypothesis, by indexes into the space.
#[derive(Clone, Debug)]
pub struct Hit {
    /// All switches: prefix, parameters, key, hash, then output/transport.
    pub switches: Vec<Switch>,
    /// The hash used.
    pub method: SignatureMethod,
}

/// What a search found.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Every hit of the smallest size found, in search order.
    pub hits: Vec<Hit>,
    /// MACs (or PLAINTEXT key comparisons) computed.
    pub hypotheses: u64,
}

/// Searches levels `0..=max_faults`, stopping after the first level that can hold no
/// smaller hit than one already found.
pub fn run(
    space: &mut Space,
    hashes: &[HashChoice],
    decodings: &[Decoding],
    max_faults: usize,
) -> Outcome {
    let mut out = Outcome::default();
    let mut best = usize::MAX;
    let mut hits: Vec<(usize, Hit)> = Vec::new();
    let min_cost = decodings
        .iter()
        .map(|d| d.switches.len())
        .min()
        .unwrap_or(0);
    // Keyed states: one per (hash, key), built once.
    let keyed: Vec<Vec<Option<KeyedMac>>> = hashes
        .iter()
        .map(|h| {
            space
                .keys
                .iter()
                .map(|(_, k)| KeyedMac::new(h.method, k))
                .collect()
        })
        .collect();
    for level in 0..=max_faults {
        if level > best || level + min_cost > max_faults {
            break;
        }
        let slack = best.min(max_faults) - level;
        space.build_up_to(level);
        let (prefixes, params) = space.built();
        let work = work_items(prefixes, &space.keys, hashes, level);
        let (count, found) = work
            .par_iter()
            .map(|w| {
                let job = Job {
                    prefixes: &prefixes[w.np][w.range.clone()],
                    params: &params[w.nq],
                    key: &space.keys[w.ki],
                    hash: hashes[w.hi],
                    keyed: keyed[w.hi][w.ki].as_ref(),
                    decodings,
                    level,
                    slack,
                };
                job.run()
            })
            .reduce(
                || (0u64, Vec::new()),
                |mut a, b| {
                    a.0 += b.0;
                    a.1.extend(b.1);
                    a
                },
            );
        out.hypotheses += count;
        for (total, hit) in found {
            if total < best {
                best = total;
                hits.retain(|(t, _)| *t <= best);
            }
            if total <= best {
                hits.push((total, hit));
            }
        }
    }
    out.hits = hits
        .into_iter()
        .filter(|(t, _)| *t == best)
        .map(|(_, h)| h)
        .collect();
    out
}

/// Feeds bytes `from..to` of the concatenation `p ++ q` without building it.
#[inline]
fn feed<M: Mac>(m: &mut M, p: &[u8], q: &[u8], from: usize, to: usize) {
    let lp = p.len();
    if from < lp {
        m.update(&p[from..to.min(lp)]);
    }
    if to > lp {
        m.update(&q[from.max(lp) - lp..to - lp]);
    }
}

/// Prefixes per parallel work item: long enough runs of sorted prefixes to share midstates,
/// short enough to spread over every core.
const CHUNK: usize = 32;

/// One unit of parallel work: a run of prefixes of one size, with one hash and one key,
/// against every parameter part that brings the hypothesis to the level's size.
struct WorkItem {
    hi: usize,
    ki: usize,
    np: usize,
    nq: usize,
    range: std::ops::Range<usize>,
}

fn work_items(
    prefixes: &[Vec<Piece>],
    keys: &[Key],
    hashes: &[HashChoice],
    level: usize,
) -> Vec<WorkItem> {
    let mut v = Vec::new();
    for (hi, h) in hashes.iter().enumerate() {
        let hc = usize::from(h.switch.is_some());
        for (ki, (ks, _)) in keys.iter().enumerate() {
            let kc = ks.len();
            let Some(rest) = level.checked_sub(hc + kc) else {
                continue;
            };
            for (np, list) in prefixes.iter().enumerate().take(rest + 1) {
                let n = list.len();
                for start in (0..n).step_by(CHUNK) {
                    v.push(WorkItem {
                        hi,
                        ki,
                        np,
                        nq: rest - np,
                        range: start..(start + CHUNK).min(n),
                    });
                }
            }
        }
    }
    v
}

/// The data one work item reads.
struct Job<'a> {
    prefixes: &'a [Piece],
    params: &'a [Piece],
    key: &'a Key,
    hash: HashChoice,
    keyed: Option<&'a KeyedMac>,
    decodings: &'a [Decoding],
    level: usize,
    slack: usize,
}

impl Job<'_> {
    /// Computes every hypothesis of the item; returns (MACs computed, hits with their size).
    ///
    /// Base strings are visited in sorted order (prefixes sorted, parameter parts sorted),
    /// so consecutive ones share a leading run of bytes. A stack of HMAC states saved at
    /// SHA block boundaries lets each base string resume from the deepest state inside the
    /// run it shares with the previous one: only the differing blocks are compressed.
    fn run(&self) -> (u64, Vec<(usize, Hit)>) {
        // Dispatch once to the concrete HMAC type: cloning the enum would copy the size of
        // its largest variant (SHA-512) for every SHA-1 state.
        match self.keyed {
            Some(KeyedMac::Sha1(m)) => self.run_with(m),
            Some(KeyedMac::Sha256(m)) => self.run_with(m),
            Some(KeyedMac::Sha512(m)) => self.run_with(m),
            Some(KeyedMac::RsaSha1(m)) => self.run_with(m),
            Some(KeyedMac::RsaSha256(m)) => self.run_with(m),
            None => self.plaintext(),
        }
    }

    fn run_with<M: Mac + Clone>(&self, keyed: &M) -> (u64, Vec<(usize, Hit)>) {
        let mut count = 0u64;
        let mut found = Vec::new();
        let dlen = self.hash.method.digest_len();
        let mut stack: Vec<(usize, M)> = Vec::with_capacity(16);
        stack.push((0, keyed.clone()));
        for (pi, p) in self.prefixes.iter().enumerate() {
            let pt = p.text.as_bytes();
            let lp = pt.len();
            // The first base string with this prefix shares with the previous base string
            // at least what the two prefixes share (the first prefix of the run: nothing).
            let mut shared = if pi == 0 { 0 } else { p.shared.min(lp) };
            for (qi, q) in self.params.iter().enumerate() {
                if qi > 0 {
                    shared = lp + q.shared;
                }
                let qt = q.text.as_bytes();
                let total = lp + qt.len();
                while stack.len() > 1 && stack.last().is_some_and(|(at, _)| *at > shared) {
                    stack.pop();
                }
                let Some((start, top)) = stack.last() else {
                    continue;
                };
                let mut at = *start;
                let mut m = top.clone();
                let mut boundary = (at / BLOCK + 1) * BLOCK;
                while boundary < total {
                    feed(&mut m, pt, qt, at, boundary);
                    at = boundary;
                    stack.push((at, m.clone()));
                    boundary += BLOCK;
                }
                feed(&mut m, pt, qt, at, total);
                let digest = m.finalize().into_bytes();
                count += 1;
                for d in self.decodings {
                    if d.switches.len() <= self.slack
                        && digest.len() == dlen
                        && d.matches(digest.as_slice())
                    {
                        found.push(self.hit(p, q, d));
                    }
                }
            }
        }
        (count, found)
    }

    /// PLAINTEXT: the signature is the key; the base string plays no part, so only the RFC
    /// prefix and parameter part count.
    fn plaintext(&self) -> (u64, Vec<(usize, Hit)>) {
        let mut found = Vec::new();
        let mut count = 0;
        for p in self.prefixes.iter().filter(|p| p.switches.is_empty()) {
            for q in self.params.iter().filter(|q| q.switches.is_empty()) {
                count += 1;
                for d in self.decodings {
                    if d.switches.len() <= self.slack && d.text.as_bytes() == self.key.1.as_slice()
                    {
                        found.push(self.hit(p, q, d));
                    }
                }
            }
        }
        (count, found)
    }

    fn hit(&self, p: &Piece, q: &Piece, d: &Decoding) -> (usize, Hit) {
        let mut switches = p.switches.clone();
        switches.extend(q.switches.iter().copied());
        switches.extend(self.key.0.iter().copied());
        switches.extend(self.hash.switch);
        switches.extend(d.switches.iter().copied());
        (
            self.level + d.switches.len(),
            Hit {
                switches,
                method: self.hash.method,
            },
        )
    }
}
