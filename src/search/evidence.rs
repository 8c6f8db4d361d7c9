//! A base string as evidence: extracted from what servers and libraries print, then compared
//! with the request's RFC 5849 base string without any HMAC.
//!
//! A client's own debug output or a server's 401 body often holds the base string, and the
//! base string alone locates every base-string fault: the same switches the signature search
//! combines are applied to the request and their texts compared, which needs no secret.

use super::space::Space;
use super::switch::Switch;
use crate::report::model::Component;
use crate::request::{RawUrl, Request};
use crate::rfc5849::encode::decode;
use crate::rfc5849::{Context, KeyMaterial};

/// A base string found in a body or log line, and the form it was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    /// The base string.
    pub base_string: String,
    /// Which form held it (`debug_sbs`, `oauth_signature_base_string`, `postman-echo`,
    /// `expected-signature-base-string`, `oauthlib-log`, `sigdoctor-serve-log`, `bare`).
    pub form: &'static str,
}

/// Markers of the text forms, most specific first: (marker, form, how the value is written).
const MARKERS: [(&str, &str, Written); 6] = [
    ("debug_sbs=", "debug_sbs", Written::Raw),
    (
        "oauth_signature_base_string=",
        "oauth_signature_base_string",
        Written::PercentEncoded,
    ),
    (
        "expected signature base string:",
        "expected-signature-base-string",
        Written::Escaped,
    ),
    (
        "verify hmac failed: signature base string:",
        "oauthlib-log",
        Written::Raw,
    ),
    ("expected base string:", "sigdoctor-serve-log", Written::Raw),
    (
        "signature base string:",
        "signature-base-string",
        Written::Escaped,
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Written {
    /// The base string itself.
    Raw,
    /// Percent-encoded once more (a form or header parameter value).
    PercentEncoded,
    /// JSON-style escapes (`\u0026` for `&`) may remain.
    Escaped,
}

/// Finds the base string in `text`: a bare base string, a JSON body (Postman Echo's
/// `base_string`, a message quoting it), or a body or log line in one of [`MARKERS`]' forms.
pub fn extract(text: &str) -> Option<Extracted> {
    let t = text.trim_start_matches('\u{feff}').trim();
    if looks_like_base_string(t) {
        return Some(Extracted {
            base_string: t.to_string(),
            form: "bare",
        });
    }
    if t.starts_with('{') {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(t) {
            if let Some(e) = from_json(&v) {
                return Some(e);
            }
        }
    }
    from_text(t)
}

fn from_json(v: &serde_json::Value) -> Option<Extracted> {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if let Some(Value::String(s)) = map.get("base_string") {
                if looks_like_base_string(s.trim()) {
                    return Some(Extracted {
                        base_string: s.trim().to_string(),
                        form: "postman-echo",
                    });
                }
            }
            map.values().find_map(from_json)
        }
        Value::Array(a) => a.iter().find_map(from_json),
        Value::String(s) => from_text(s),
        _ => None,
    }
}

fn from_text(t: &str) -> Option<Extracted> {
    let lower = t.to_ascii_lowercase();
    for (marker, form, written) in MARKERS {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|l| l.find(marker)) {
            let start = from + i + marker.len();
            from = start;
            let rest = t.get(start..).unwrap_or("").trim_start();
            let rest = rest.strip_prefix('"').unwrap_or(rest);
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
                .unwrap_or(rest.len());
            let mut value = rest[..end].to_string();
            match written {
                Written::Raw => {}
                Written::PercentEncoded => {
                    let v = value.split('&').next().unwrap_or("");
                    value = String::from_utf8_lossy(&decode(v.as_bytes(), true)).into_owned();
                }
                Written::Escaped => value = unescape(&value),
            }
            let value = value.trim_end_matches([',', '.', ';', ')', '}', ']']);
            if looks_like_base_string(value) {
                return Some(Extracted {
                    base_string: value.to_string(),
                    form,
                });
            }
        }
    }
    None
}

/// Undoes the JSON escapes a message keeps when copied as text (`\u0026`, `\/`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        if let Some(hex) = tail.strip_prefix('u').and_then(|h| h.get(..4)) {
            if let Some(c) = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                out.push(c);
                rest = &tail[5..];
                continue;
            }
        }
        match tail.chars().next() {
            Some(c @ ('/' | '\\' | '"')) => {
                out.push(c);
                rest = &tail[1..];
            }
            _ => {
                out.push('\\');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `METHOD&pct(uri)&...`: a method token, then an http(s) URI, encoded or not; a client
/// that left the method out (`method-missing`) starts with the URI. One line.
pub fn looks_like_base_string(s: &str) -> bool {
    if s.contains(['\n', '\r']) {
        return false;
    }
    let is_uri = |u: &str| {
        let u = u.get(..14).unwrap_or(u).to_ascii_lowercase();
        ["http%3a%2f%2f", "https%3a%2f%2f", "http://", "https://"]
            .iter()
            .any(|p| u.starts_with(p))
    };
    if is_uri(s) {
        return true;
    }
    let mut parts = s.splitn(3, '&');
    let (Some(m), Some(uri)) = (parts.next(), parts.next()) else {
        return false;
    };
    !m.is_empty() && m.len() <= 16 && m.bytes().all(|b| b.is_ascii_alphabetic()) && is_uri(uri)
}

/// A base string cut into its method, URI and parameter pairs (each decoded once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parts {
    /// The method as signed.
    pub method: String,
    /// The base string URI.
    pub uri: String,
    /// The normalized `name=value` pairs, encoded as signed.
    pub params: Vec<String>,
}

/// Splits a base string; `None` unless it looks like one.
pub fn split(bs: &str) -> Option<Parts> {
    if !looks_like_base_string(bs) {
        return None;
    }
    let lower = bs.get(..5).unwrap_or(bs).to_ascii_lowercase();
    let (method, rest) = if lower.starts_with("http") {
        (String::new(), bs)
    } else {
        let (m, r) = bs.split_once('&')?;
        (m.to_string(), r)
    };
    let (uri_enc, params_enc) = rest.split_once('&').unwrap_or((rest, ""));
    let uri = String::from_utf8_lossy(&decode(uri_enc.as_bytes(), false)).into_owned();
    let joined = String::from_utf8_lossy(&decode(params_enc.as_bytes(), false)).into_owned();
    let params = joined
        .split('&')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    Some(Parts {
        method,
        uri,
        params,
    })
}

/// The base string as diff components (method, uri, each parameter).
pub fn components(bs: &str) -> Vec<Component> {
    let Some(p) = split(bs) else {
        return Vec::new();
    };
    let mut out = vec![
        Component {
            label: "method",
            text: p.method,
        },
        Component {
            label: "uri",
            text: p.uri,
        },
    ];
    out.extend(p.params.into_iter().map(|text| Component {
        label: "param",
        text,
    }));
    out
}

/// How the server's base string differs from the RFC base string of the request as sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerDiff {
    /// The server's base string URI.
    pub base_uri: String,
    /// Deployment fault ids (SPEC section 5).
    pub faults: Vec<&'static str>,
    /// Parameters the server signed that the request does not carry.
    pub added: Vec<String>,
    /// Parameters of the request the server did not sign.
    pub dropped: Vec<String>,
    /// The server signs another method.
    pub method: Option<(String, String)>,
}

/// Compares the server's base string with the request's RFC one.
pub fn server_diff(rfc: &str, server: &str) -> Option<ServerDiff> {
    let (r, s) = (split(rfc)?, split(server)?);
    let mut d = ServerDiff {
        base_uri: s.uri.clone(),
        ..ServerDiff::default()
    };
    d.faults = uri_faults(&r.uri, &s.uri);
    d.added = s
        .params
        .iter()
        .filter(|p| !r.params.contains(p))
        .cloned()
        .collect();
    d.dropped = r
        .params
        .iter()
        .filter(|p| !s.params.contains(p))
        .cloned()
        .collect();
    if r.method != s.method {
        d.method = Some((r.method, s.method));
    }
    Some(d)
}

/// The `base-address-*` faults that turn the base string URI `rfc` into `server`.
pub fn uri_faults(rfc: &str, server: &str) -> Vec<&'static str> {
    let (Ok(a), Ok(b)) = (RawUrl::parse(rfc), RawUrl::parse(server)) else {
        return if rfc == server {
            Vec::new()
        } else {
            vec!["base-address-path"]
        };
    };
    let mut v = Vec::new();
    if a.scheme_lower() != b.scheme_lower() {
        v.push("base-address-scheme");
    }
    if a.port != b.port {
        v.push("base-address-port");
    }
    if a.host != b.host {
        v.push("base-address-host");
    }
    if a.path != b.path {
        v.push("base-address-path");
    }
    v
}

/// The smallest sets of base-string switches (method, URI, parameters) that turn the
/// request's RFC base string into `target`, searched fewest faults first, up to `max`.
/// The host of `target` is added to the aliases tried, so a machine name is found too.
pub fn switches_for(
    req: &Request,
    aliases: &[String],
    target: &str,
    max: usize,
) -> Vec<Vec<Switch>> {
    let km = KeyMaterial {
        consumer_key: "",
        consumer_secret: "",
        token_secret: None,
        has_token: false,
    };
    let ctx = Context {
        host_aliases: aliases,
    };
    let mut space = Space::new(req, &km, ctx);
    let mut hits = Vec::new();
    for level in 0..=max {
        for np in 0..=level {
            let prefixes: Vec<(Vec<Switch>, usize)> = space
                .prefixes(np)
                .iter()
                .filter(|p| target.starts_with(&p.text))
                .map(|p| (p.switches.clone(), p.text.len()))
                .collect();
            if prefixes.is_empty() {
                continue;
            }
            for q in space.params(level - np) {
                for (ps, len) in &prefixes {
                    if target.get(*len..) == Some(q.text.as_str()) {
                        let mut s = ps.clone();
                        s.extend(q.switches.iter().copied());
                        hits.push(s);
                    }
                }
            }
        }
        if !hits.is_empty() {
            break;
        }
    }
    hits
}

/// The hosts a base string names, lower-cased, for the alias list.
pub fn host_of(bs: &str) -> Option<String> {
    let p = split(bs)?;
    RawUrl::parse(&p.uri)
        .ok()
        .map(|u| u.host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BS: &str = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal";

    #[test]
    fn every_form_yields_the_base_string() {
        let json_escaped = BS.replace('&', "\\u0026");
        let pct_once = crate::rfc5849::encode::pct(BS.as_bytes());
        for (text, form) in [
            (BS.to_string(), "bare"),
            (format!("oauth_problem=signature_invalid&debug_sbs={BS}"), "debug_sbs"),
            (
                format!("oauth_problem=signature_invalid&oauth_signature_base_string={pct_once}&oauth_signature_method=HMAC-SHA1"),
                "oauth_signature_base_string",
            ),
            (
                format!("WWW-Authenticate: OAuth oauth_problem=\"signature_invalid\", oauth_signature_base_string=\"{pct_once}\""),
                "oauth_signature_base_string",
            ),
            (
                format!("{{\"error\":\"Invalid signature. Expected signature base string: {json_escaped}\"}}"),
                "expected-signature-base-string",
            ),
            (
                format!("Invalid signature. Expected signature base string: {json_escaped}"),
                "expected-signature-base-string",
            ),
            (
                format!("{{\"status\":\"fail\",\"base_string\":\"{BS}\",\"signing_key\":\"x&\"}}"),
                "postman-echo",
            ),
            (
                format!("DEBUG:oauthlib.oauth1.rfc5849.signature:Verify HMAC failed: signature base string: {BS}\n"),
                "oauthlib-log",
            ),
        ] {
            let e = extract(&text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!((e.base_string.as_str(), e.form), (BS, form), "{text}");
        }
        assert_eq!(
            extract("The provided signature(oauth_signature) is invalid."),
            None
        );
    }

    #[test]
    fn server_diff_names_deployment_faults() {
        let server = BS.replace(
            "http%3A%2F%2Fphotos.example.net",
            "https%3A%2F%2Fgallery01%3A8443",
        );
        let d = server_diff(BS, &server).unwrap();
        assert_eq!(
            d.faults,
            vec![
                "base-address-scheme",
                "base-address-port",
                "base-address-host"
            ]
        );
        assert!(d.added.is_empty() && d.dropped.is_empty());
        let fewer = BS.replace("%26size%3Doriginal", "");
        let d = server_diff(BS, &fewer).unwrap();
        assert_eq!(d.dropped, vec!["size=original".to_string()]);
    }
}
