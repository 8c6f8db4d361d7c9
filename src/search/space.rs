//! The hypothesis space of one request: which switches can change its bytes, and the
//! base-string pieces and keys they produce, built once each.
//!
//! A base string is `prefix + params`: the prefix (`METHOD&pct(uri)&`) depends only on the
//! method and URI switches, the parameter part only on the parameter switches. So the space
//! keeps the distinct prefixes and parameter parts apart, per number of faults, and a
//! hypothesis is a (prefix, parameter part, key, hash) tuple: nothing is rebuilt per MAC.

use rayon::prelude::*;

use super::fault::{Fault, Stage};
use super::switch::{Hypothesis, Switch};
use crate::request::Request;
use crate::rfc5849::base_string::{prefix_into, push_params};
use crate::rfc5849::base_uri::path_prefixes;
use crate::rfc5849::params::normalized_params_into;
use crate::rfc5849::{
    signing_key_with, Context, HostForm, KeyForm, KeyMaterial, PathForm, SignatureMethod, Variant,
    Whitespace,
};

/// A signing key: the key switches that made it (empty for RFC) and its bytes.
pub type Key = (Vec<Switch>, Vec<u8>);

/// A built piece: the switches that made it and its text.
#[derive(Clone, Debug)]
pub struct Piece {
    /// The switches (indexes into the atom list they came from).
    pub switches: Vec<Switch>,
    /// The text (a prefix, or an encoded parameter part).
    pub text: String,
    /// Bytes shared with the previous piece of the same list (lists are sorted by text,
    /// so the search can resume a SHA midstate instead of rehashing the common start).
    pub shared: usize,
}

/// The switches that change this request's prefix, parameters or key, and what they build.
pub struct Space<'a> {
    req: &'a Request,
    ctx: Context<'a>,
    /// Method and URI switches that change the prefix on their own.
    pub prefix_atoms: Vec<Switch>,
    /// Parameter switches that change the parameter part on their own.
    pub param_atoms: Vec<Switch>,
    /// Keys: RFC first, then by number of key faults, duplicates removed (a key that an
    /// earlier, smaller set already gives is not minimal).
    pub keys: Vec<Key>,
    /// Prefixes by number of faults, built on demand.
    prefixes: Vec<Vec<Piece>>,
    /// Parameter parts by number of faults, built on demand.
    params: Vec<Vec<Piece>>,
}

impl<'a> Space<'a> {
    /// Works out which switches matter for `req` (each single switch's effect computed once:
    /// a switch that leaves the bytes as RFC 5849 has them is dropped).
    pub fn new(req: &'a Request, km: &KeyMaterial, ctx: Context<'a>) -> Self {
        let mut space = Self {
            req,
            ctx,
            prefix_atoms: Vec::new(),
            param_atoms: Vec::new(),
            keys: Vec::new(),
            prefixes: Vec::new(),
            params: Vec::new(),
        };
        // A switch is kept when it changes the bytes on its own, and when no earlier
        // alternative of the same fault gives the same bytes (GET-for-POST twice).
        let mut seen: Vec<(super::Fault, String)> = vec![];
        let rfc_prefix = space.prefix_text(&[]);
        let mut prefix_atoms = Vec::new();
        for a in candidates(Stage::Prefix, req, ctx.host_aliases.len()) {
            let text = space.prefix_text(&[a]);
            if text != rfc_prefix && !seen.contains(&(a.fault(), text.clone())) {
                seen.push((a.fault(), text));
                prefix_atoms.push(a);
            }
        }
        let rfc_params = space.params_text(&[]);
        let param_candidates = candidates(Stage::Params, req, 0);
        let mut param_atoms = Vec::new();
        let mut inert = Vec::new();
        for a in &param_candidates {
            let text = space.params_text(&[*a]);
            if text == rfc_params {
                inert.push(*a);
            } else if !seen.contains(&(a.fault(), text.clone())) {
                seen.push((a.fault(), text));
                param_atoms.push(*a);
            }
        }
        // A parameter switch that changes nothing alone may still change the bytes beside
        // another one (`a=1;a=0` has a repeated name only once split on `;`): keep it if
        // it changes what some kept switch gives into something new (not back to RFC 5849,
        // as empty values dropped after an empty `oauth_token=` was added).
        let mut revived = Vec::new();
        for a in inert {
            let matters = param_atoms.iter().any(|b: &Switch| {
                if b.group() == a.group() {
                    return false;
                }
                let both = space.params_text(&[*b, a]);
                both != rfc_params && both != space.params_text(&[*b])
            });
            if matters {
                revived.push(a);
            }
        }
        if !revived.is_empty() {
            param_atoms = param_candidates
                .into_iter()
                .filter(|a| param_atoms.contains(a) || revived.contains(a))
                .collect();
        }
        space.prefix_atoms = prefix_atoms;
        space.param_atoms = param_atoms;
        let key_atoms = candidates(Stage::Key, req, 0);
        for size in 0..=3 {
            for switches in combos(&key_atoms, size) {
                let forms: Vec<KeyForm> = switches
                    .iter()
                    .filter_map(|s| match s {
                        Switch::Key(k) => Some(*k),
                        _ => None,
                    })
                    .collect();
                let key = signing_key_with(km, &forms);
                if space.keys.iter().all(|(_, k)| *k != key) {
                    space.keys.push((switches, key));
                }
            }
        }
        space
    }

    /// The prefix under `switches`.
    pub fn prefix_text(&self, switches: &[Switch]) -> String {
        let h = Hypothesis::with(SignatureMethod::HmacSha1, switches);
        let mut out = String::with_capacity(128);
        prefix_into(&mut out, self.req, &h.variant, &self.ctx);
        out
    }

    /// The encoded parameter part under `switches`.
    pub fn params_text(&self, switches: &[Switch]) -> String {
        let h = Hypothesis::with(SignatureMethod::HmacSha1, switches);
        params_part(self.req, &h.variant)
    }

    /// Prefixes with exactly `n` faults.
    pub fn prefixes(&mut self, n: usize) -> &[Piece] {
        while self.prefixes.len() <= n {
            let size = self.prefixes.len();
            let built = combos(&self.prefix_atoms, size)
                .into_par_iter()
                .map(|switches| Piece {
                    text: self.prefix_text(&switches),
                    switches,
                    shared: 0,
                })
                .collect();
            self.prefixes.push(sorted(built));
        }
        &self.prefixes[n]
    }

    /// Parameter parts with exactly `n` faults.
    pub fn params(&mut self, n: usize) -> &[Piece] {
        while self.params.len() <= n {
            let size = self.params.len();
            let built = combos(&self.param_atoms, size)
                .into_par_iter()
                .map(|switches| Piece {
                    text: self.params_text(&switches),
                    switches,
                    shared: 0,
                })
                .collect();
            self.params.push(sorted(built));
        }
        &self.params[n]
    }

    /// Builds every piece up to `n` faults (so they can be shared across threads).
    pub fn build_up_to(&mut self, n: usize) {
        self.prefixes(n);
        self.params(n);
    }

    /// The pieces built so far: (prefixes by size, parameter parts by size).
    pub fn built(&self) -> (&[Vec<Piece>], &[Vec<Piece>]) {
        (&self.prefixes, &self.params)
    }
}

/// Sorts pieces by text and records what each shares with the one before. The sort is
/// stable, so pieces with equal text keep their frequency order.
fn sorted(mut pieces: Vec<Piece>) -> Vec<Piece> {
    pieces.sort_by(|a, b| a.text.cmp(&b.text));
    for i in 1..pieces.len() {
        let (a, b) = (pieces[i - 1].text.as_bytes(), pieces[i].text.as_bytes());
        pieces[i].shared = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    }
    pieces
}

/// The parameter part of the base string (`pct(normalized)`, or unencoded) under `variant`.
pub fn params_part(req: &Request, variant: &Variant) -> String {
    let mut norm = String::with_capacity(256);
    normalized_params_into(&mut norm, req, &variant.params);
    let mut out = String::with_capacity(norm.len() * 3 / 2);
    push_params(&mut out, &norm, variant.params.string_not_encoded);
    out
}

/// The switches of every fault the search varies at `stage`, in the catalogue's order (most
/// frequent first), with the request-dependent templates expanded: each host alias, each
/// path prefix, each whitespace edit.
fn candidates(stage: Stage, req: &Request, n_aliases: usize) -> Vec<Switch> {
    let mut v = Vec::new();
    for f in Fault::ALL.iter().filter(|f| f.axis().stage() == stage) {
        for s in f.tries() {
            match s {
                Switch::Host(HostForm::Alias(_)) => {
                    let n = n_aliases.min(usize::from(u8::MAX));
                    v.extend((0..n).map(|i| Switch::Host(HostForm::Alias(i as u8))));
                }
                Switch::Path(PathForm::Prefix(_)) => v.extend(
                    path_prefixes(&req.url.path)
                        .into_iter()
                        .map(|n| Switch::Path(PathForm::Prefix(n))),
                ),
                Switch::Key(KeyForm::Whitespace(_)) => v.extend(
                    Whitespace::ALL
                        .iter()
                        .map(|w| Switch::Key(KeyForm::Whitespace(*w))),
                ),
                s => v.push(*s),
            }
        }
    }
    v
}

/// Every set of `size` atoms with at most one per exclusion group, in atom order (so sets
/// of frequent faults come first).
pub fn combos(atoms: &[Switch], size: usize) -> Vec<Vec<Switch>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(size);
    let groups: Vec<u8> = atoms.iter().map(|a| a.group()).collect();
    fn rec(
        atoms: &[Switch],
        groups: &[u8],
        start: usize,
        size: usize,
        cur: &mut Vec<usize>,
        out: &mut Vec<Vec<Switch>>,
    ) {
        if cur.len() == size {
            out.push(cur.iter().map(|&i| atoms[i]).collect());
            return;
        }
        for i in start..atoms.len() {
            if cur.iter().any(|&c| groups[c] == groups[i]) {
                continue;
            }
            cur.push(i);
            rec(atoms, groups, i + 1, size, cur, out);
            cur.pop();
        }
    }
    rec(atoms, &groups, 0, size, &mut cur, &mut out);
    out
}
