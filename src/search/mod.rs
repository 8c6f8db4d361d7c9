//! The explain search: which client mistakes reproduce a captured signature.
//!
//! [`explain`] lints the request, signs it the RFC 5849 way, and if that does not give the
//! captured signature, searches every combination of the faults of faults.md (fewest
//! first) for one that does. Pure: the clock comes in through [`ExplainOptions::now`].

pub mod axis;
pub mod captured;
pub mod engine;
pub mod evidence;
mod explanation;
pub mod fault;
pub mod prefix;
pub mod reference;
pub mod rsa;
pub mod space;
pub mod switch;

// `std::time::Instant::now()` traps on wasm32; web-time is std on native, `performance.now()` there.
use web_time::Instant;

pub use fault::Fault;
pub use switch::{Hypothesis, Switch, Transport};

use crate::lint::lint_request;
use crate::report::evidence::Evidence;
use crate::report::model::{
    Component, Expected, ExplainReport, FaultReport, Matched, RequestSummary, SearchStats, Verdict,
    SCHEMA,
};
use crate::request::Request;
use crate::rfc5849::{
    base_string, encode_signature, raw_signature, signing_key_with, Context, KeyMaterial,
    SignatureMethod,
};
use crate::secret::Secret;
use engine::HashChoice;

/// Everything explain needs besides the request.
#[derive(Clone, Debug, Default)]
pub struct ExplainOptions {
    /// Consumer key (default: the request's oauth_consumer_key).
    pub consumer_key: Option<String>,
    /// Consumer secret; without it only lints run.
    pub consumer_secret: Option<Secret>,
    /// Token secret.
    pub token_secret: Option<Secret>,
    /// Other names the server may know itself by (`localhost` and `127.0.0.1` are added).
    pub host_aliases: Vec<String>,
    /// The clock, Unix seconds.
    pub now: i64,
    /// Most faults in one hypothesis (output and transport faults included).
    pub max_faults: usize,
    /// Whether to give Alteryx Gallery advice.
    pub alteryx: bool,
    /// The provider profile (resolved): its lints, server form and fixes apply.
    pub profile: crate::options::Profile,
    /// The consumer's RSA public key: verifies RSA-SHA1/RSA-SHA256 requests, no secret.
    pub public_key: Option<crate::rfc5849::rsa::PublicKey>,
}

impl ExplainOptions {
    /// The consumer key explain signs with: `--consumer-key`, else the request's own
    /// `oauth_consumer_key`, else empty. Explain, `--reference` and the evidence checks all
    /// take it this way, so it is decided here once.
    pub fn consumer_key_for(&self, req: &Request) -> String {
        self.consumer_key
            .clone()
            .or_else(|| req.param_str("oauth_consumer_key"))
            .unwrap_or_default()
    }

    /// The key material for `req` from these options: `consumer_key` (from
    /// [`Self::consumer_key_for`]), `consumer_secret`, the token secret, and whether `req`
    /// carries a non-empty `oauth_token` (only then is the token secret part of the RFC key).
    pub fn key_material<'a>(
        &'a self,
        req: &Request,
        consumer_key: &'a str,
        consumer_secret: &'a str,
    ) -> KeyMaterial<'a> {
        KeyMaterial {
            consumer_key,
            consumer_secret,
            token_secret: self.token_secret.as_ref().map(Secret::expose),
            has_token: req
                .param("oauth_token")
                .is_some_and(|p| !p.value.is_empty()),
        }
    }
}

/// The signature method `req` declares in `oauth_signature_method`, if it names one
/// sigdoctor knows.
pub fn declared_method(req: &Request) -> Option<SignatureMethod> {
    req.param_str("oauth_signature_method")
        .as_deref()
        .and_then(SignatureMethod::parse)
}

/// Whether the Alteryx profile applies to `req` under `--profile auto`: the SPEC rule of
/// [`crate::input::resolve_profile`], plus a 2022.1+ `/webapi/` URL, whose advice (OAuth 1.0a
/// is gone there) is Alteryx advice.
pub fn looks_like_alteryx(req: &Request) -> bool {
    crate::input::resolve_profile(crate::options::Profile::Auto, &req.url)
        == crate::options::Profile::Alteryx
        || req.url.path.to_ascii_lowercase().contains("/webapi/")
}

/// The host names tried for `uri-host`: the user's aliases, then localhost and 127.0.0.1,
/// without the request's own host.
pub fn host_candidates(req: &Request, aliases: &[String]) -> Vec<String> {
    let own = req.url.host.to_ascii_lowercase();
    let mut v: Vec<String> = Vec::new();
    for a in aliases
        .iter()
        .map(|a| a.trim().to_ascii_lowercase())
        .chain(["localhost".to_string(), "127.0.0.1".to_string()])
    {
        if !a.is_empty() && a != own && !v.contains(&a) {
            v.push(a);
        }
    }
    v
}

/// Explains one request: lints, then the RFC check, then the search.
pub fn explain(req: &Request, opts: &ExplainOptions) -> ExplainReport {
    let mut report = explain_unredacted(req, opts);
    redact_plaintext(req, &mut report);
    report
}

/// A PLAINTEXT signature is the key itself (`pct(secret)&pct(token secret)`): the captured
/// one must not be echoed into reports, wherever it appears.
fn redact_plaintext(req: &Request, r: &mut ExplainReport) {
    let declared = req.param_str("oauth_signature_method");
    if !declared.is_some_and(|m| m.eq_ignore_ascii_case("PLAINTEXT")) {
        return;
    }
    let mut needles: Vec<String> = req
        .params
        .iter()
        .filter(|p| p.is("oauth_signature"))
        .flat_map(|p| [p.value_str(), p.wire_value.clone().unwrap_or_default()])
        .filter(|s| !s.is_empty())
        .collect();
    needles.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let hide = |s: &mut String| {
        for n in &needles {
            if s.contains(n.as_str()) {
                *s = s.replace(n.as_str(), "(redacted)");
            }
        }
    };
    hide(&mut r.request.url);
    if let Some(sig) = &mut r.request.signature {
        hide(sig);
    }
    for (_, v) in &mut r.request.params {
        hide(v);
    }
    for f in &mut r.faults {
        hide(&mut f.message);
    }
    for l in &mut r.lints {
        hide(&mut l.message);
    }
}

fn explain_unredacted(req: &Request, opts: &ExplainOptions) -> ExplainReport {
    let mut report = ExplainReport {
        schema: SCHEMA,
        verdict: Verdict::Unverifiable,
        request: summarize(req),
        expected: None,
        matched: None,
        faults: Vec::new(),
        lints: {
            let mut l = lint_request(req, opts.now);
            l.extend(crate::profile::lints::lints(opts.profile, req, opts.now));
            l
        },
        profile: crate::profile::spec(opts.profile).id,
        search: SearchStats::default(),
        expected_components: Vec::new(),
        matched_components: Vec::new(),
        secret_fingerprint: opts.consumer_secret.as_ref().map(Secret::fingerprint),
        alteryx: opts.alteryx,
        max_faults: opts.max_faults,
        considered: Vec::new(),
        evidence: Vec::new(),
        reference: None,
        client: None,
        server: None,
        placeholders: Vec::new(),
        server_signs: None,
        sections: Vec::new(),
    };
    let declared = declared_method(req);
    // RSA: the public key replaces the secret (and the key axis disappears).
    let rsa_key = opts
        .public_key
        .as_ref()
        .filter(|_| declared.is_some_and(SignatureMethod::is_rsa));
    if rsa_key.is_none() && declared.is_some_and(SignatureMethod::is_rsa) {
        // A secret cannot check an RSA signature: only the consumer's public key can.
        report.lints.push(crate::lint::Lint {
            id: "rsa-public-key-needed",
            severity: crate::lint::Severity::Info,
            message: "the request is signed with RSA; a secret cannot verify it".to_string(),
            fix: "Give the consumer's certificate or public key: --public-key PEM.".to_string(),
        });
        return report;
    }
    let no_secret = Secret::new("");
    let secret = match (&opts.consumer_secret, rsa_key) {
        (_, Some(_)) => &no_secret,
        (Some(s), None) => s,
        (None, None) => return report,
    };
    let consumer_key = opts.consumer_key_for(req);
    let km = opts.key_material(req, &consumer_key, secret.expose());
    let aliases = host_candidates(req, &opts.host_aliases);
    let ctx = Context {
        host_aliases: &aliases,
    };
    let rfc_method = declared.unwrap_or(SignatureMethod::HmacSha1);
    let rfc = Hypothesis::rfc(rfc_method);
    report.expected = Some(Expected {
        base_string: base_string(req, &rfc.variant, &ctx),
        signature: signature_text(req, &rfc, &km, &ctx),
    });
    report.expected_components = components(req, &rfc, &ctx);
    let (decodings, hashes) = match (rsa_key, declared) {
        (Some(key), Some(m)) => (rsa::decodings(req, key), rsa::hash_choices(m)),
        _ => {
            let d = captured::decodings(req);
            let h = hash_choices(declared, &d);
            (d, h)
        }
    };
    if decodings.is_empty() {
        if rsa_key.is_some() {
            report.verdict = Verdict::Unexplained;
        } else if let Some(kept) = captured::cut_signature(req) {
            report.sections.push((
                "The signature was cut".to_string(),
                vec![format!(
                    "{} characters were kept (`{kept}`); matching needs at least {}, and 10 decide",
                    kept.chars().count(),
                    prefix::MIN_CHARS
                )],
            ));
        }
        return report;
    }
    // RSA signatures are read by `rsa`, never as a cut HMAC.
    let cut = captured::cut_signature(req).filter(|_| rsa_key.is_none());
    report.evidence.push(match &cut {
        Some(kept) => Evidence {
            kind: "signature-prefix",
            chars: Some(kept.chars().count()),
        },
        None => Evidence::of("signature"),
    });
    let start = Instant::now();
    let mut space = space::Space::new(req, &km, ctx);
    if rsa_key.is_some() {
        space.keys.truncate(1);
    }
    report.considered = considered(&space, &hashes, &decodings);
    let budget = fault_budget(
        opts.max_faults,
        report.expected.as_ref().map_or(0, |e| e.base_string.len()),
    );
    report.max_faults = budget;
    let outcome = engine::run(&mut space, &hashes, &decodings, budget);
    report.search = SearchStats {
        hypotheses: outcome.hypotheses,
        elapsed_ms: start.elapsed().as_secs_f64() * 1000.0,
    };
    let mut ranked: Vec<Hypothesis> = Vec::new();
    for hit in &outcome.hits {
        let h = Hypothesis::with(rfc_method, &hit.switches);
        if ranked.iter().all(|r| r.faults() != h.faults()) {
            ranked.push(h);
        }
    }
    let plus_evidence = plus_is_wire_evidence(req);
    ranked.sort_by_key(|h| tie_break(&h.faults(), plus_evidence));
    let Some(best) = ranked.first() else {
        report.verdict = Verdict::Unexplained;
        return report;
    };
    // A cut signature may fit hypotheses that sign differently: then it cannot decide.
    let ambiguous = cut.is_some() && {
        let first = signature_text(req, best, &km, &ctx);
        ranked[1..]
            .iter()
            .any(|h| signature_text(req, h, &km, &ctx) != first)
    };
    // Valid: RFC 5849 exactly, or the provider's own server form (WooCommerce's PHP
    // parameter handling) when the profile has one.
    let server = crate::profile::spec(opts.profile).server_variant();
    if !ambiguous
        && (best.switches.is_empty()
            || base_string(req, &best.variant, &ctx) == base_string(req, &server, &ctx)
                && best.key_forms == rfc.key_forms
                && best.method == rfc.method
                && best.output == rfc.output
                && best.transport == rfc.transport)
    {
        report.verdict = Verdict::Valid;
        let spec = crate::profile::spec(opts.profile);
        if !spec.where_to_look.is_empty() {
            report.lints.push(crate::lint::Lint {
                id: "provider-server-side",
                severity: crate::lint::Severity::Info,
                message: format!("the signature is right; {}", spec.where_to_look),
                fix: format!("Look on the {} side, as above.", spec.name),
            });
        }
        return report;
    }
    report.verdict = if ambiguous {
        Verdict::Ambiguous
    } else {
        Verdict::Explained
    };
    if ambiguous {
        let mut lines: Vec<String> = ranked
            .iter()
            .take(AMBIGUOUS_SHOWN)
            .map(|h| {
                let ids: Vec<&str> = h.faults().iter().map(|f| f.as_str()).collect();
                let ids = if ids.is_empty() {
                    "RFC 5849 (no fault)".to_string()
                } else {
                    ids.join(" + ")
                };
                format!("{ids}: would sign {}", signature_text(req, h, &km, &ctx))
            })
            .collect();
        if ranked.len() > AMBIGUOUS_SHOWN {
            lines.push(format!("... and {} more", ranked.len() - AMBIGUOUS_SHOWN));
        }
        report
            .sections
            .push(("Hypotheses the cut signature fits".to_string(), lines));
    }
    report.faults = explanation::explain_all(req, best, &km, &ctx)
        .into_iter()
        .map(|(f, message)| FaultReport {
            id: f,
            category: f.category(),
            message,
            fix: crate::profile::lints::provider_fix(opts.profile, f.as_str())
                .map_or_else(|| f.fix().to_string(), str::to_string),
        })
        .collect();
    report.matched = Some(Matched {
        base_string: base_string(req, &best.variant, &ctx),
        signature: signature_text(req, best, &km, &ctx),
        faults: best.faults(),
        alternatives: ranked[1..].iter().map(Hypothesis::faults).collect(),
    });
    report.matched_components = components(req, best, &ctx);
    report
}

/// Each fault of `h` with the message naming the bytes it changed (for answers other
/// modules reach, such as a base string given as evidence).
pub fn explain_faults(
    req: &Request,
    h: &Hypothesis,
    km: &KeyMaterial,
    ctx: &Context,
) -> Vec<(Fault, String)> {
    explanation::explain_all(req, h, km, ctx)
}

/// Hypotheses listed for an ambiguous answer (JSON lists every one).
const AMBIGUOUS_SHOWN: usize = 12;

/// faults.md's order for equally small fault sets (they give byte-identical base strings):
/// (1) when the query shows a `+` in a value and no `%` escape, the `+` is the evidence, so
/// params-plus-literal goes before params-double-encoded; (2) then the more frequent faults,
/// which within an axis are the ones its row lists first (the catalogue keeps the two
/// orders in step).
fn tie_break(faults: &[Fault], plus_evidence: bool) -> (bool, usize, Vec<usize>) {
    let rule1 = plus_evidence && faults.contains(&Fault::ParamsDoubleEncoded);
    let mut ranks: Vec<usize> = faults.iter().map(|f| f.rank()).collect();
    ranks.sort_unstable();
    (rule1, ranks.iter().sum(), ranks)
}

/// Whether a non-oauth query value has a `+` and none has a `%` escape (tie-break rule 1).
fn plus_is_wire_evidence(req: &Request) -> bool {
    let values = || {
        req.params
            .iter()
            .filter(|p| p.origin == crate::request::Origin::Query && !p.is_oauth())
            .filter_map(|p| p.wire_value.as_deref())
    };
    values().any(|v| v.contains('+')) && !values().any(|v| v.contains('%'))
}

/// The fault budget for a base string of `len` bytes: a huge request (up to the 64 MiB input
/// limit) would take hours at four faults, so the budget shrinks as the string grows.
fn fault_budget(asked: usize, len: usize) -> usize {
    let cap = match len {
        0..=16_384 => usize::MAX,
        16_385..=262_144 => 2,
        262_145..=4_194_304 => 1,
        _ => 0,
    };
    asked.min(cap)
}

/// One line per single fault the search combines, with the base string it gives alone:
/// what `-v` shows.
fn considered(
    space: &space::Space,
    hashes: &[HashChoice],
    decodings: &[captured::Decoding],
) -> Vec<String> {
    let rfc_prefix = space.prefix_text(&[]);
    let rfc_params = space.params_text(&[]);
    let mut v = Vec::new();
    for a in &space.prefix_atoms {
        v.push(format!(
            "{}: {}{rfc_params}",
            a.fault(),
            space.prefix_text(&[*a])
        ));
    }
    for a in &space.param_atoms {
        v.push(format!(
            "{}: {rfc_prefix}{}",
            a.fault(),
            space.params_text(&[*a])
        ));
    }
    for (switches, _) in space.keys.iter().filter(|(s, _)| s.len() == 1) {
        for s in switches {
            v.push(format!("{}: key {s:?}", s.fault()));
        }
    }
    for h in hashes.iter().filter(|h| h.switch.is_some()) {
        v.push(format!("sig-method-mismatch: {}", h.method.as_str()));
    }
    for d in decodings.iter().filter(|d| !d.switches.is_empty()) {
        let ids: Vec<&str> = d.switches.iter().map(|s| s.fault().as_str()).collect();
        v.push(format!(
            "{}: signature read as `{}`",
            ids.join(" + "),
            d.text
        ));
    }
    v
}

/// Declared hash at no cost; the other HMACs as `sig-method-mismatch`, only those whose
/// digest length some reading of the captured signature has.
fn hash_choices(
    declared: Option<SignatureMethod>,
    decodings: &[captured::Decoding],
) -> Vec<HashChoice> {
    let mut v = Vec::new();
    if let Some(m) = declared {
        v.push(HashChoice {
            method: m,
            switch: None,
        });
    }
    for m in SignatureMethod::HMACS {
        if Some(m) != declared && decodings.iter().any(|d| d.fits(m.digest_len())) {
            v.push(HashChoice {
                method: m,
                switch: Some(Switch::Hash(m)),
            });
        }
    }
    v
}

/// The signature `h` produces, written out as `h` writes it; PLAINTEXT would be the secret
/// itself, so it is never shown.
fn signature_text(req: &Request, h: &Hypothesis, km: &KeyMaterial, ctx: &Context) -> String {
    if h.method == SignatureMethod::Plaintext {
        return "(PLAINTEXT: the signing key itself, not shown)".to_string();
    }
    if h.method.is_rsa() {
        return format!(
            "({}: computed with the private key; verified with the public key)",
            h.method.as_str()
        );
    }
    let base = base_string(req, &h.variant, ctx);
    let key = signing_key_with(km, &h.key_forms);
    encode_signature(
        h.method,
        &raw_signature(h.method, &key, base.as_bytes()),
        h.output,
    )
}

/// The base string of `h` split into method, URI and parameters, for the diff.
pub fn components(req: &Request, h: &Hypothesis, ctx: &Context) -> Vec<Component> {
    use crate::rfc5849::base_string::push_method;
    use crate::rfc5849::base_uri::base_uri;
    use crate::rfc5849::params::normalized_params;
    let mut method = String::new();
    push_method(&mut method, &req.method, h.variant.method);
    let mut out = vec![
        Component {
            label: "method",
            text: method.trim_end_matches('&').to_string(),
        },
        Component {
            label: "uri",
            text: base_uri(&req.url, &h.variant.uri, ctx.host_aliases),
        },
    ];
    let norm = normalized_params(req, &h.variant.params);
    out.extend(
        norm.split('&')
            .filter(|s| !s.is_empty())
            .map(|p| Component {
                label: "param",
                text: p.to_string(),
            }),
    );
    out
}

fn summarize(req: &Request) -> RequestSummary {
    let sig = req.param("oauth_signature");
    RequestSummary {
        method: req.method.clone(),
        url: req.url.text.clone(),
        signature_method: req.param_str("oauth_signature_method"),
        consumer_key: req.param_str("oauth_consumer_key"),
        timestamp: req.param_str("oauth_timestamp"),
        nonce: req.param_str("oauth_nonce"),
        signature: sig.map(|p| p.value_str()),
        signature_location: sig.map(|p| p.origin.as_str()),
        params: req
            .params
            .iter()
            .map(|p| (p.name_str(), p.value_str()))
            .collect(),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_catalogue;
