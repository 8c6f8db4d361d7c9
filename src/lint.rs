//! Lints: what can be said about a captured request without any secret.
//!
//! These run before the search and also alone (no secret: verdict `unverifiable`). Ids are
//! the lint ids of faults.md; each finding carries a severity, a message naming the bytes,
//! and a fix.

use serde::Serialize;

use crate::request::{Origin, Request};
use crate::rfc5849::SignatureMethod;

/// How bad a finding is. An `error` makes `explain` without a secret exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The server will reject the request whatever the signature.
    Error,
    /// Likely to cause a rejection or a fault.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lint {
    /// Stable id (faults.md, "Lints").
    pub id: &'static str,
    /// Severity.
    pub severity: Severity,
    /// What is wrong, with the bytes.
    pub message: String,
    /// What to do.
    pub fix: String,
}

/// A [`Lint`] with an owned `fix`. The core lints and the provider lints
/// (`crate::profile::lints`) both build theirs through it.
pub(crate) fn lint(id: &'static str, severity: Severity, message: String, fix: &str) -> Lint {
    Lint {
        id,
        severity,
        message,
        fix: fix.to_string(),
    }
}

/// Allowed distance between `oauth_timestamp` and `now` before `timestamp-skew` (seconds).
pub const SKEW_LIMIT: i64 = 300;

/// Lints `req` against the clock `now` (Unix seconds).
pub fn lint_request(req: &Request, now: i64) -> Vec<Lint> {
    let mut out = Vec::new();
    for name in [
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_signature",
        "oauth_timestamp",
        "oauth_nonce",
    ] {
        if req.param(name).is_none() {
            out.push(lint(
                "missing-oauth-param",
                Severity::Error,
                format!("`{name}` is missing from the query, Authorization header and form body"),
                "Send every required OAuth parameter (RFC 5849 section 3.1).",
            ));
        }
    }
    if let Some(v) = req.param_str("oauth_version") {
        if v != "1.0" {
            out.push(lint(
                "bad-oauth-version",
                Severity::Error,
                format!("oauth_version is `{v}`; OAuth 1.0a requires `1.0` when present"),
                "Send oauth_version=1.0 or leave it out.",
            ));
        }
    }
    // A set, and one finding per name: a pasted form of 69,000 `oauth_*` names took 18 s
    // in a pairwise check, and would have printed a finding per repeat.
    let mut seen = std::collections::HashSet::new();
    let mut reported = std::collections::HashSet::new();
    for p in req.params.iter().filter(|p| p.is_oauth()) {
        if !seen.insert(p.name.as_slice()) && reported.insert(p.name.as_slice()) {
            out.push(lint(
                "duplicate-oauth-param",
                Severity::Error,
                format!("`{}` appears more than once", p.name_str()),
                "Send each oauth_* parameter once, in one place.",
            ));
        }
    }
    signature_lints(req, &mut out);
    timestamp_lints(req, now, &mut out);
    if req.url.has_explicit_default_port() {
        out.push(lint(
            "default-port-in-url",
            Severity::Warning,
            format!(
                "the URL carries its default port (`{}`); RFC 5849 signs it without, and clients differ",
                req.url.origin()
            ),
            "Write the URL without the default port, and sign it without.",
        ));
    }
    let json_type = req
        .header("content-type")
        .is_some_and(|t| t.to_ascii_lowercase().contains("json"));
    let json_shape = req
        .body
        .as_deref()
        .is_some_and(|b| matches!(b.trim_start().as_bytes().first(), Some(b'{' | b'[')));
    if json_type || (json_shape && !req.params.iter().any(|p| p.origin == Origin::Body)) {
        out.push(lint(
            "json-body",
            Severity::Info,
            "the body is JSON: OAuth 1.0a never signs it, only form bodies are signed".to_string(),
            "Sign the URL and OAuth parameters only; a JSON body is not part of the base string.",
        ));
    }
    if let Some(n) = req.param_str("oauth_nonce") {
        if !n
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        {
            out.push(lint(
                "nonce-unsafe-chars",
                Severity::Info,
                format!("the nonce `{n}` has characters outside A-Z a-z 0-9 - . _ ~"),
                "Use an alphanumeric nonce: other characters invite double encoding.",
            ));
        }
    }
    if req.url.path.to_ascii_lowercase().contains("/webapi/") {
        out.push(lint(
            "oauth1-removed",
            Severity::Error,
            "the URL is under `/webapi/`: Alteryx Server 2022.1+ removed OAuth 1.0a there (OAuth 2 bearer tokens only)".to_string(),
            "Use the OAuth 2 API of Alteryx Server 2022.1+, or the legacy `/gallery/api/` endpoints on older servers.",
        ));
    }
    out
}

fn signature_lints(req: &Request, out: &mut Vec<Lint>) {
    let method = req.param_str("oauth_signature_method");
    let parsed = method.as_deref().and_then(SignatureMethod::parse);
    if let (Some(m), None) = (&method, parsed) {
        out.push(lint(
            "signature-shape",
            Severity::Warning,
            format!("signature method `{m}` is not one sigdoctor can verify (HMAC-SHA1/256/512, PLAINTEXT)"),
            "Declare HMAC-SHA1 (Alteryx) or the method your server expects.",
        ));
    }
    let Some(p) = req.param("oauth_signature") else {
        return;
    };
    let sig = p.value_str();
    let wire = p.wire_value.clone().unwrap_or_default();
    let mut shape = |msg: String, fix: &str| {
        out.push(lint("signature-shape", Severity::Warning, msg, fix));
    };
    if p.origin != Origin::Header && (wire.contains('+') || sig.contains(' ')) {
        shape(
            format!(
                "the signature `{wire}` carries a raw `+`, which the server decodes to a space"
            ),
            "Percent-encode the signature (`+` -> `%2B`).",
        );
    }
    if sig.contains('%') {
        shape(
            format!("the signature `{sig}` still contains percent-escapes after decoding: encoded twice?"),
            "Percent-encode the signature once.",
        );
    }
    let Some(m) = parsed.filter(|m| *m != SignatureMethod::Plaintext && !m.is_rsa()) else {
        return;
    };
    let b64_len = m.digest_len().div_ceil(3) * 4;
    if sig.len() == m.digest_len() * 2 && sig.bytes().all(|b| b.is_ascii_hexdigit()) {
        shape(
            format!(
                "the signature is {} hex digits: a hex digest, not base64",
                sig.len()
            ),
            "Base64-encode the raw digest bytes.",
        );
    } else if sig.contains(['-', '_']) {
        shape(
            format!("the signature `{sig}` uses `-`/`_`: URL-safe base64"),
            "Use the standard base64 alphabet (`+`, `/`).",
        );
    } else if sig.len() != b64_len
        && !sig.contains(' ')
        && !sig.contains('%')
        && crate::search::prefix::cut(&sig, Some(m)).is_none()
    {
        shape(
            format!(
                "the signature is {} characters; {} base64 is {b64_len}",
                sig.len(),
                m.as_str()
            ),
            "Check the declared oauth_signature_method and the digest encoding.",
        );
    }
}

fn timestamp_lints(req: &Request, now: i64, out: &mut Vec<Lint>) {
    let Some(ts) = req.param_str("oauth_timestamp") else {
        return;
    };
    let Ok(t) = ts.parse::<i64>() else {
        out.push(lint(
            "timestamp-skew",
            Severity::Error,
            format!("oauth_timestamp `{ts}` is not a whole number of seconds"),
            "Send the Unix time in seconds.",
        ));
        return;
    };
    if ts.len() == 13 {
        out.push(lint(
            "timestamp-milliseconds",
            Severity::Error,
            format!("oauth_timestamp `{ts}` has 13 digits: milliseconds, not seconds"),
            "Divide by 1000: send the Unix time in seconds.",
        ));
        return;
    }
    let skew = t - now;
    if skew.abs() <= SKEW_LIMIT {
        return;
    }
    let hours = (skew as f64 / 3600.0).round() as i64;
    if hours != 0 && (skew - hours * 3600).abs() <= SKEW_LIMIT && hours.abs() <= 14 {
        out.push(lint(
            "timestamp-timezone",
            Severity::Warning,
            format!("oauth_timestamp is {skew} s from now, about {hours} h: a local-time epoch"),
            "Take the timestamp from UTC (time.time(), Date.now()/1000), not local time.",
        ));
    } else {
        out.push(lint(
            "timestamp-skew",
            Severity::Warning,
            format!("oauth_timestamp is {skew} s from now (servers typically allow {SKEW_LIMIT} to 600 s)"),
            "Sign with a fresh timestamp and check the client's clock (NTP).",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(url: &str, now: i64) -> Vec<&'static str> {
        let r = Request::new("GET", url, vec![], None).unwrap();
        lint_request(&r, now).into_iter().map(|l| l.id).collect()
    }

    #[test]
    fn finds_the_field_mistakes() {
        let base = "oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_nonce=n";
        let u = format!(
            "https://h:443/webapi/x?{base}&oauth_timestamp=1700000000000&oauth_signature=abc+def"
        );
        let got = ids(&u, 1_700_000_000);
        for want in [
            "timestamp-milliseconds",
            "default-port-in-url",
            "oauth1-removed",
            "signature-shape",
        ] {
            assert!(got.contains(&want), "{want} not in {got:?}");
        }
        let u = format!("https://h/p?{base}&oauth_timestamp=1700003600&oauth_signature=tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D");
        assert_eq!(ids(&u, 1_700_000_000), vec!["timestamp-timezone"]);
        let u = "https://h/p?oauth_consumer_key=k&oauth_consumer_key=k";
        let got = ids(u, 0);
        assert!(got.contains(&"duplicate-oauth-param") && got.contains(&"missing-oauth-param"));
    }
}
