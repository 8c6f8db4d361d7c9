//! The search loop: fewest faults first, every core, no allocation per hypothesis.
//!
//! Level `k` computes exactly the hypotheses with `k` base-string/key/hash faults. For each
//! prefix (in parallel), each hash and each key, the keyed HMAC state is cloned and fed the
//! prefix once (a SHA midstate); each parameter part then costs one clone, one update and
//! one finish. The digest is compared with every reading of the captured signature, which
//! adds the output and transport faults at no HMAC cost.

use rayon::prelude::*;

use super::captured::Decoding;
use super::space::{Piece, Space};
use super::switch::Switch;
use crate::rfc5849::{KeyedMac, SignatureMethod};

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
        let budget = best.min(max_faults);
        space.build_up_to(level);
        let (prefixes, params) = space.built();
        let work: Vec<&Piece> = prefixes.iter().take(level + 1).flatten().collect();
        let (count, found) = work
            .par_iter()
            .map(|p| {
                level_for_prefix(
                    p,
                    params,
                    &space.keys,
                    hashes,
                    &keyed,
                    decodings,
                    level,
                    budget,
                )
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

/// All hypotheses of `level` faults whose prefix is `p`.
#[allow(clippy::too_many_arguments)]
fn level_for_prefix(
    p: &Piece,
    params: &[Vec<Piece>],
    keys: &[(Option<Switch>, Vec<u8>)],
    hashes: &[HashChoice],
    keyed: &[Vec<Option<KeyedMac>>],
    decodings: &[Decoding],
    level: usize,
    budget: usize,
) -> (u64, Vec<(usize, Hit)>) {
    let mut count = 0u64;
    let mut found = Vec::new();
    let np = p.switches.len();
    for (hi, h) in hashes.iter().enumerate() {
        let hc = usize::from(h.switch.is_some());
        let dlen = h.method.digest_len();
        for (ki, (ks, key)) in keys.iter().enumerate() {
            let kc = usize::from(ks.is_some());
            let Some(nq) = level.checked_sub(np + hc + kc) else {
                continue;
            };
            let Some(qs) = params.get(nq) else { continue };
            let slack = budget.saturating_sub(level);
            let hit = |q: &Piece, d: &Decoding| {
                let mut switches = p.switches.clone();
                switches.extend(q.switches.iter().copied());
                switches.extend(*ks);
                switches.extend(h.switch);
                switches.extend(d.switches.iter().copied());
                (
                    level + d.switches.len(),
                    Hit {
                        switches,
                        method: h.method,
                    },
                )
            };
            match &keyed[hi][ki] {
                Some(mac) => {
                    let mut mid = mac.clone();
                    mid.update(p.text.as_bytes());
                    for q in qs {
                        let mut m = mid.clone();
                        m.update(q.text.as_bytes());
                        let digest = m.finish();
                        count += 1;
                        for d in decodings {
                            if d.switches.len() <= slack
                                && d.digest.as_bytes().len() == dlen
                                && d.digest == digest
                            {
                                found.push(hit(q, d));
                            }
                        }
                    }
                }
                None => {
                    // PLAINTEXT: the signature is the key; the base string plays no part,
                    // so only the RFC prefix and parameter part count.
                    if np != 0 || nq != 0 {
                        continue;
                    }
                    for q in qs {
                        count += 1;
                        for d in decodings {
                            if d.switches.len() <= slack && d.text.as_bytes() == key.as_slice() {
                                found.push(hit(q, d));
                            }
                        }
                    }
                }
            }
        }
    }
    (count, found)
}
