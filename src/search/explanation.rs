//! Words for a matched hypothesis: each fault explained with the concrete bytes it changed.
//!
//! Each message compares what the client signed under that one switch with what RFC 5849
//! (and so the server) signs: "You signed `https://host:443/x`; RFC 5849 drops the default
//! port, so the server signed `https://host/x`". Secrets are never quoted: key faults are
//! described by shape only.

use super::fault::Fault;
use super::switch::{Hypothesis, Switch, Transport};
use crate::request::Request;
use crate::rfc5849::base_string::push_method;
use crate::rfc5849::base_uri::base_uri;
use crate::rfc5849::params::normalized_params;
use crate::rfc5849::{
    Context, HostForm, KeyForm, KeyMaterial, MethodForm, OutputForm, PathForm, PortForm,
    SignatureIncluded,
};

/// One message per fault of `h`, in the order of its switches.
pub fn explain_all(
    req: &Request,
    h: &Hypothesis,
    km: &KeyMaterial,
    ctx: &Context,
) -> Vec<(Fault, String)> {
    let mut out: Vec<(Fault, String)> = Vec::new();
    for s in &h.switches {
        let f = s.fault();
        if out.iter().all(|(g, _)| *g != f) {
            let mut m = message(req, *s, h, km, ctx);
            if !f.behaviour().is_empty() {
                m.push(' ');
                m.push_str(f.behaviour());
            }
            out.push((f, m));
        }
    }
    out
}

fn message(req: &Request, s: Switch, h: &Hypothesis, km: &KeyMaterial, ctx: &Context) -> String {
    let one = Hypothesis::with(h.method, &[s]);
    let rfc = Hypothesis::rfc(h.method);
    let uri = |x: &Hypothesis| base_uri(&req.url, &x.variant.uri, ctx.host_aliases);
    let (mine, theirs) = (uri(&one), uri(&rfc));
    let uri_msg =
        |why: &str| format!("You signed `{mine}`; {why}, so the server signed `{theirs}`.");
    match s {
        Switch::Port(PortForm::Dropped) => {
            uri_msg("the request goes to a non-default port, which RFC 5849 keeps")
        }
        Switch::Port(_) => uri_msg("RFC 5849 drops the default port"),
        Switch::Scheme => uri_msg(&format!(
            "the request is sent with `{}`",
            req.url.scheme_lower()
        )),
        Switch::Host(HostForm::AsSent) => uri_msg("RFC 5849 lower-cases the host"),
        Switch::Host(HostForm::Alias(i)) => {
            let alias = ctx.host_aliases.get(usize::from(i)).cloned().unwrap_or_default();
            uri_msg(&format!(
                "you signed the host `{alias}` but sent the request to `{}`",
                req.url.host
            ))
        }
        Switch::Host(_) => uri_msg("the host differs"),
        Switch::Path(PathForm::TrailingSlashToggled) => {
            uri_msg("the path is signed exactly as sent, trailing slash included")
        }
        Switch::Path(PathForm::Prefix(_)) => {
            uri_msg("the signed URL must be the endpoint itself, not the API root")
        }
        Switch::Path(PathForm::Lowercase) => uri_msg("only scheme and host are lower-cased"),
        Switch::Path(_) => uri_msg("the path is signed with its percent-escapes as sent"),
        Switch::QueryIncluded => {
            uri_msg("the query belongs in the parameter string, not in the base URI")
        }
        Switch::UriNotEncoded => format!(
            "You put `{theirs}` into the base string without percent-encoding it; RFC 5849 encodes it (`{}`).",
            crate::rfc5849::encode::pct(theirs.as_bytes())
        ),
        Switch::Method(form) => {
            let mut m = String::new();
            push_method(&mut m, &req.method, form);
            let mut r = String::new();
            push_method(&mut r, &req.method, MethodForm::Upper);
            match form {
                MethodForm::Missing => format!(
                    "Your base string starts with the URI: the `{r}` prefix is missing."
                ),
                MethodForm::Lowercase => {
                    format!("Your base string starts with `{m}`; RFC 5849 upper-cases it: `{r}`.")
                }
                _ => format!(
                    "You signed the method `{}` but sent `{}`.",
                    m.trim_end_matches('&'),
                    req.method
                ),
            }
        }
        Switch::Key(form) => key_message(form, km, &h.key_forms),
        Switch::Hash(m) => format!(
            "You signed with {} but declared {}.",
            m.as_str(),
            req.param_str("oauth_signature_method").unwrap_or_default()
        ),
        Switch::Output(o) => {
            let sig = req.param_str("oauth_signature").unwrap_or_default();
            let what = match o {
                OutputForm::UrlsafeBase64 => "base64 with the URL-safe alphabet (`-`, `_`)",
                OutputForm::Hex => "the hex digest",
                OutputForm::Base64OfHex => "base64 of the hex digest string",
                OutputForm::Base64 => "standard base64",
            };
            format!("Your signature `{sig}` is {what}; RFC 5849 sends the raw digest in standard base64.")
        }
        Switch::Transport(t) => {
            let p = req.param("oauth_signature");
            let wire = p.and_then(|p| p.wire_value.clone()).unwrap_or_default();
            match t {
                Transport::NotPercentEncoded => format!(
                    "The signature went out as `{wire}` without percent-encoding: each `+` arrives as a space, so the server compares a different signature."
                ),
                _ => format!(
                    "The signature went out as `{wire}`: percent-encoded twice, so the server decodes it to `{}`.",
                    p.map(|p| p.value_str()).unwrap_or_default()
                ),
            }
        }
        _ => params_message(req, s, &one, &rfc),
    }
}

/// Key faults are described by shape: the secrets are never quoted. `all` is every key form
/// of the hypothesis (the three key axes combine).
fn key_message(form: KeyForm, km: &KeyMaterial, all: &[KeyForm]) -> String {
    let ts = if km.has_token {
        "pct(token_secret)"
    } else {
        ""
    };
    match form {
        KeyForm::MissingAmpersand => format!(
            "Your signing key was `pct(consumer_secret){ts}` with no `&`; RFC 5849 always joins the parts with `&` (`pct(consumer_secret)&{ts}`)."
        ),
        KeyForm::Whitespace(crate::rfc5849::Whitespace::Trimmed) => {
            "The secret given to sigdoctor has surrounding whitespace that the secret your client signed with lacks: one of the two copies is wrong.".to_string()
        }
        KeyForm::Whitespace(w) => format!(
            "The secret your client signed with had {} compared with the secret given to sigdoctor.",
            w.describe()
        ),
        KeyForm::Swapped => {
            "Your client signed with the consumer key where the consumer secret belongs.".to_string()
        }
        KeyForm::NotEncoded => not_encoded_message(km, all),
        KeyForm::TokenSecretIncluded => {
            "Your client appended a token secret to the key, but the request carries no oauth_token (1-legged).".to_string()
        }
        KeyForm::TokenSecretMissing => {
            "Your key ended at `&`: the token secret is missing although the request carries oauth_token.".to_string()
        }
        KeyForm::Rfc => "The key is as RFC 5849 builds it.".to_string(),
    }
}

/// key-not-encoded: how many bytes of the secrets went in raw, and which whitespace when a
/// pasted one is the reason (the seed thread's client), without showing the secrets.
fn not_encoded_message(km: &KeyMaterial, all: &[KeyForm]) -> String {
    let pasted = all.iter().find_map(|f| match f {
        KeyForm::Whitespace(w) if *w != crate::rfc5849::Whitespace::Trimmed => Some(*w),
        _ => None,
    });
    let head = "Your client joined the secrets into the key without percent-encoding them";
    if let Some(w) = pasted {
        let ws = w.apply("");
        return format!(
            "{head}: the pasted whitespace went in raw (`{}`, where RFC 5849 writes `{}`).",
            ws.escape_default(),
            crate::rfc5849::encode::pct(ws.as_bytes())
        );
    }
    let raw = |s: &str| {
        s.bytes()
            .filter(|b| !b.is_ascii_alphanumeric() && !b"-._~".contains(b))
            .count()
    };
    let with_ts = km.has_token || all.contains(&KeyForm::TokenSecretIncluded);
    let ts = km.token_secret.filter(|_| with_ts);
    let n = raw(km.consumer_secret) + ts.map_or(0, raw);
    format!("{head}: {n} byte(s) of the secrets that RFC 5849 percent-encodes went in raw.")
}

/// Parameter faults: show the pairs that differ (or the order, for order faults).
fn params_message(req: &Request, s: Switch, one: &Hypothesis, rfc: &Hypothesis) -> String {
    let mine = normalized_params(req, &one.variant.params);
    let theirs = normalized_params(req, &rfc.variant.params);
    let f = s.fault();
    let why = match s {
        Switch::Order(_) => {
            let how = f.rule();
            let (m, t) = if names(&mine) == names(&theirs) {
                (mine.replace('&', ", "), theirs.replace('&', ", "))
            } else {
                (names(&mine), names(&theirs))
            };
            return format!(
                "You signed the parameters {how}: `{m}`; RFC 5849 sorts by encoded name, then value: `{t}`."
            );
        }
        Switch::StringNotEncoded => {
            return format!(
                "You put the parameter string `{}` into the base string without percent-encoding it again; RFC 5849 encodes it once more (`&` -> `%26`).",
                shorten(&mine)
            );
        }
        Switch::SignatureIncluded(SignatureIncluded::Empty) => {
            "oauth_signature itself (here: empty) is never signed"
        }
        Switch::SignatureIncluded(_) => {
            "oauth_signature itself (here: the stale value) is never signed"
        }
        _ if !f.rule().is_empty() => f.rule(),
        _ => "the parameters differ",
    };
    let (a, b) = pair_diff(&mine, &theirs);
    match (a.as_str(), b.as_str()) {
        (NOTHING, _) => format!("You left out `{b}`; {why}."),
        (_, NOTHING) => format!("You signed `{a}`, which the server does not sign: {why}."),
        _ => format!("You signed `{a}`; {why}, so the server signed `{b}`."),
    }
}

const NOTHING: &str = "(nothing)";

/// The pairs only in `mine` and only in `theirs` (or `(none)`).
fn pair_diff(mine: &str, theirs: &str) -> (String, String) {
    let m: Vec<&str> = mine.split('&').collect();
    let t: Vec<&str> = theirs.split('&').collect();
    let only = |a: &[&str], b: &[&str]| {
        let v: Vec<&str> = a.iter().filter(|x| !b.contains(x)).copied().collect();
        if v.is_empty() {
            NOTHING.to_string()
        } else {
            v.join("&")
        }
    };
    (only(&m, &t), only(&t, &m))
}

fn names(norm: &str) -> String {
    norm.split('&')
        .map(|p| p.split('=').next().unwrap_or(p))
        .collect::<Vec<_>>()
        .join(", ")
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s.to_string()
    }
}
