//! The hypothesis space of one request: which switches can change its bytes, and the
//! base-string pieces and keys they produce, built once each.
//!
//! A base string is `prefix + params`: the prefix (`METHOD&pct(uri)&`) depends only on the
//! method and URI switches, the parameter part only on the parameter switches. So the space
//! keeps the distinct prefixes and parameter parts apart, per number of faults, and a
//! hypothesis is a (prefix, parameter part, key, hash) tuple: nothing is rebuilt per MAC.

use rayon::prelude::*;

use super::switch::{Hypothesis, Switch};
use crate::request::Request;
use crate::rfc5849::base_string::{prefix_into, push_params};
use crate::rfc5849::base_uri::path_prefixes;
use crate::rfc5849::params::normalized_params_into;
use crate::rfc5849::{
    signing_key, Context, HostForm, KeyForm, KeyMaterial, MethodForm, ParamEncoding, ParamOrder,
    PathForm, PortForm, SignatureIncluded, SignatureMethod, Variant, Whitespace,
};

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
    /// Keys: (switch or None for RFC, key bytes), RFC first, duplicates removed.
    pub keys: Vec<(Option<Switch>, Vec<u8>)>,
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
        for a in prefix_candidates(req, ctx.host_aliases.len()) {
            let text = space.prefix_text(&[a]);
            if text != rfc_prefix && !seen.contains(&(a.fault(), text.clone())) {
                seen.push((a.fault(), text));
                prefix_atoms.push(a);
            }
        }
        let rfc_params = space.params_text(&[]);
        let mut param_atoms = Vec::new();
        for a in param_candidates() {
            let text = space.params_text(&[a]);
            if text != rfc_params && !seen.contains(&(a.fault(), text.clone())) {
                seen.push((a.fault(), text));
                param_atoms.push(a);
            }
        }
        space.prefix_atoms = prefix_atoms;
        space.param_atoms = param_atoms;
        let rfc_key = signing_key(km, KeyForm::Rfc);
        space.keys.push((None, rfc_key));
        for form in key_candidates() {
            let key = signing_key(km, form);
            if space.keys.iter().all(|(_, k)| *k != key) {
                space.keys.push((Some(Switch::Key(form)), key));
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

/// Every method and URI alternative, most frequent first within its axis.
fn prefix_candidates(req: &Request, n_aliases: usize) -> Vec<Switch> {
    let mut v = vec![Switch::Port(PortForm::DefaultKept), Switch::Scheme];
    for i in 0..n_aliases.min(usize::from(u8::MAX)) {
        v.push(Switch::Host(HostForm::Alias(i as u8)));
    }
    for n in path_prefixes(&req.url.path) {
        v.push(Switch::Path(PathForm::Prefix(n)));
    }
    v.extend([
        Switch::Path(PathForm::TrailingSlashToggled),
        Switch::Method(MethodForm::Missing),
        Switch::UriNotEncoded,
        Switch::Port(PortForm::Dropped),
        Switch::QueryIncluded,
        Switch::Method(MethodForm::Lowercase),
        Switch::Method(MethodForm::Swapped),
        Switch::Method(MethodForm::AsGet),
        Switch::Host(HostForm::AsSent),
        Switch::Path(PathForm::Lowercase),
        Switch::Path(PathForm::Decoded),
    ]);
    v
}

/// Every parameter alternative, most frequent first.
fn param_candidates() -> Vec<Switch> {
    vec![
        Switch::QueryOmitted,
        Switch::Encoding(ParamEncoding::PlusForSpace),
        Switch::Order(ParamOrder::Unsorted),
        Switch::Encoding(ParamEncoding::DoubleEncoded),
        Switch::StringNotEncoded,
        Switch::EmptyDropped,
        Switch::BodyOmitted,
        Switch::VersionToggled,
        Switch::RealmIncluded,
        Switch::Encoding(ParamEncoding::ReservedUnencoded),
        Switch::Encoding(ParamEncoding::LowercaseHex),
        Switch::Encoding(ParamEncoding::PlusLiteral),
        Switch::Order(ParamOrder::SortedRaw),
        Switch::DuplicatesCollapsed,
        Switch::Encoding(ParamEncoding::NotEncoded),
        Switch::Encoding(ParamEncoding::OverDecoded),
        Switch::Order(ParamOrder::SortedAsStrings),
        Switch::Order(ParamOrder::CaseInsensitive),
        Switch::SignatureIncluded(SignatureIncluded::Empty),
        Switch::SignatureIncluded(SignatureIncluded::AsSent),
    ]
}

/// Every key alternative, most frequent first.
fn key_candidates() -> Vec<KeyForm> {
    let mut v: Vec<KeyForm> = Whitespace::ALL
        .iter()
        .map(|w| KeyForm::Whitespace(*w))
        .collect();
    v.insert(1, KeyForm::MissingAmpersand);
    v.extend([
        KeyForm::NotEncoded,
        KeyForm::TokenSecretIncluded,
        KeyForm::TokenSecretMissing,
        KeyForm::Swapped,
    ]);
    v
}

/// Every set of `size` atoms with at most one per exclusion group, in atom order (so sets
/// of frequent faults come first).
pub fn combos(atoms: &[Switch], size: usize) -> Vec<Vec<Switch>> {
    let mut out = Vec::new();
    let mut cur = Vec::with_capacity(size);
    fn rec(
        atoms: &[Switch],
        start: usize,
        size: usize,
        cur: &mut Vec<Switch>,
        out: &mut Vec<Vec<Switch>>,
    ) {
        if cur.len() == size {
            out.push(cur.clone());
            return;
        }
        for i in start..atoms.len() {
            let a = atoms[i];
            if cur.iter().any(|c| c.group() == a.group()) {
                continue;
            }
            cur.push(a);
            rec(atoms, i + 1, size, cur, out);
            cur.pop();
        }
    }
    rec(atoms, 0, size, &mut cur, &mut out);
    out
}
