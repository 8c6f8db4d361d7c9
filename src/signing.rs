//! Signing a whole request: the OAuth parameters written where the placement says, signed
//! by [`rfc5849::sign`] (the one signing procedure), and verified by reading the result back.
//!
//! Pure (the timestamp and nonce come in through [`SignSpec`]), so the browser build signs
//! exactly as `sigdoctor sign` does; `app::sign` adds the secrets' sources and the output.
//!
//! The OAuth parameters are written into the request text where the placement says (query,
//! Authorization header or form body), that text is parsed back with [`Request::new`] and
//! signed. The signed text is then parsed again and verified before anything is returned:
//! what `sign` prints is what the request model, and so `explain` and `serve`, read back.

use serde_json::json;

use crate::error::Error;
use crate::input::{self, FORM_TYPE};
use crate::options::{Placement, RequestInput};
use crate::request::Request;
use crate::rfc5849::{self, encode::pct, header, KeyMaterial, SignatureMethod};
use crate::secret::{Fingerprint, Secret};

/// The OAuth parameters `sign` writes itself: the input must not carry them already.
const SET_BY_SIGN: &[&str] = &[
    "oauth_consumer_key",
    "oauth_nonce",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_token",
    "oauth_version",
    "oauth_signature",
];

/// Everything [`sign_request`] needs, secrets included.
#[derive(Clone, Debug)]
pub struct SignSpec<'a> {
    /// The request to sign: a URL (or `-`/`@PATH`) with `-X/-H/-d`.
    pub input: RequestInput,
    /// oauth_consumer_key.
    pub consumer_key: &'a str,
    /// The consumer secret.
    pub consumer_secret: &'a Secret,
    /// oauth_token, for 3-legged requests.
    pub token: Option<&'a str>,
    /// The token secret.
    pub token_secret: Option<&'a Secret>,
    /// oauth_timestamp.
    pub timestamp: String,
    /// oauth_nonce.
    pub nonce: String,
    /// oauth_signature_method.
    pub method: SignatureMethod,
    /// Where the OAuth parameters go.
    pub placement: Placement,
    /// realm, sent in the Authorization header only.
    pub realm: Option<&'a str>,
    /// Whether to send oauth_version=1.0.
    pub version: bool,
}

/// A signed request, ready to print.
#[derive(Clone, Debug)]
pub struct SignedRequest {
    /// The method.
    pub method: String,
    /// The URL as given.
    pub url: String,
    /// The URL to call (with the OAuth parameters for query placement).
    pub signed_url: String,
    /// All headers to send (Authorization included for header placement).
    pub headers: Vec<(String, String)>,
    /// The Authorization header value, for header placement.
    pub authorization: Option<String>,
    /// The body to send.
    pub body: Option<String>,
    /// The signature base string.
    pub base_string: String,
    /// The signature, not percent-encoded.
    pub signature: String,
    /// The signature method.
    pub signature_method: SignatureMethod,
    /// The OAuth parameters sent, decoded, oauth_signature last.
    pub oauth_params: Vec<(String, String)>,
}

/// Signs the request `spec` describes, and verifies the result by parsing it back.
pub fn sign_request(spec: &SignSpec) -> Result<SignedRequest, Error> {
    sign_inner(spec, None)
}

/// [`sign_request`] for RSA-SHA1 / RSA-SHA256 (`spec.method`), with the private key.
pub fn sign_request_rsa(
    spec: &SignSpec,
    key: &rfc5849::rsa::PrivateKey,
) -> Result<SignedRequest, Error> {
    sign_inner(spec, Some(key))
}

fn sign_inner(
    spec: &SignSpec,
    rsa_key: Option<&rfc5849::rsa::PrivateKey>,
) -> Result<SignedRequest, Error> {
    let mut input = spec.input.clone();
    if spec.placement == Placement::Body && input.method.is_none() {
        input.method = Some("POST".into());
    }
    let mut reqs = input::capture(&input)?;
    if reqs.len() != 1 {
        return Err(Error::input(format!(
            "sign takes one request, the input holds {}; give it the URL of one",
            reqs.len()
        )));
    }
    let base = reqs.remove(0);
    if let Some(p) = base
        .params
        .iter()
        .find(|p| SET_BY_SIGN.iter().any(|n| p.is(n)))
    {
        return Err(Error::input(format!(
            "the request already carries {} (in the {}); sign sets it, remove it",
            p.name_str(),
            p.origin.as_str()
        )));
    }
    let mut params: Vec<(String, String)> = vec![
        ("oauth_consumer_key".into(), spec.consumer_key.into()),
        ("oauth_nonce".into(), spec.nonce.clone()),
        ("oauth_signature_method".into(), spec.method.as_str().into()),
        ("oauth_timestamp".into(), spec.timestamp.clone()),
    ];
    if let Some(t) = spec.token {
        params.push(("oauth_token".into(), t.into()));
    }
    if spec.version {
        params.push(("oauth_version".into(), "1.0".into()));
    }
    let key = KeyMaterial {
        consumer_key: spec.consumer_key,
        consumer_secret: spec.consumer_secret.expose(),
        token_secret: spec.token_secret.map(Secret::expose),
        has_token: spec.token.is_some(),
    };
    let unsigned = compose(&base, &params, spec)?;
    let sign = |r: &Request| match rsa_key {
        Some(k) => rfc5849::sign_rsa(r, k, spec.method).map_err(Error::input),
        None => Ok(rfc5849::sign(r, &key, spec.method)),
    };
    let signed = sign(&unsigned)?;
    params.push(("oauth_signature".into(), signed.signature.clone()));
    let out = compose(&base, &params, spec)?;
    // Self-check: the text we print, read back by the request model, verifies.
    let back = sign(&out)?;
    let carried = out.param("oauth_signature").map(|p| p.value.clone());
    if back != signed || carried.as_deref() != Some(signed.signature.as_bytes()) {
        return Err(Error::Io(format!(
            "internal self-check failed: the signed request does not verify when read back \
             (base string {})",
            back.base_string
        )));
    }
    let authorization = out.header("authorization").map(str::to_string);
    Ok(SignedRequest {
        method: out.method.clone(),
        url: base.url.text.clone(),
        signed_url: out.url.text.clone(),
        authorization: (spec.placement == Placement::Header)
            .then_some(authorization)
            .flatten(),
        headers: out.headers.clone(),
        body: out.body.clone(),
        base_string: signed.base_string,
        signature: signed.signature,
        signature_method: spec.method,
        oauth_params: params,
    })
}

/// Writes `params` into `base` where the placement says and parses the result.
fn compose(base: &Request, params: &[(String, String)], spec: &SignSpec) -> Result<Request, Error> {
    let pairs = || {
        params
            .iter()
            .map(|(n, v)| format!("{}={}", pct(n.as_bytes()), pct(v.as_bytes())))
            .collect::<Vec<_>>()
            .join("&")
    };
    let mut url = base.url.text.clone();
    let mut headers = base.headers.clone();
    let mut body = base.body.clone();
    match spec.placement {
        Placement::Query => {
            let cut = url.find('#').unwrap_or(url.len());
            let sep = match url[..cut].find('?') {
                None => "?",
                Some(q) if q + 1 == cut || url[..cut].ends_with('&') => "",
                Some(_) => "&",
            };
            url.insert_str(cut, &format!("{sep}{}", pairs()));
        }
        Placement::Header => {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
            headers.push(("Authorization".into(), header::format(spec.realm, params)));
        }
        Placement::Body => {
            match base.header("content-type") {
                None => headers.push(("Content-Type".into(), FORM_TYPE.into())),
                Some(ct) if ct.to_ascii_lowercase().starts_with(FORM_TYPE) => {}
                Some(ct) => {
                    return Err(Error::input(format!(
                        "--placement body needs a form body, but Content-Type is `{ct}`; use \
                         --placement query or header"
                    )))
                }
            }
            body = Some(
                match body.as_deref().map(|b| b.trim_end_matches(['\r', '\n'])) {
                    Some(b) if !b.is_empty() => format!("{b}&{}", pairs()),
                    _ => pairs(),
                },
            );
        }
    }
    Request::new(&base.method, &url, headers, body)
}

/// POSIX single-quoting, skipped for words that need none: safe for any text.
fn quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// A curl command that sends the signed request (multi-line, `\` continued).
pub fn curl_command(s: &SignedRequest) -> String {
    // curl's own default method is GET, or POST when it sends data: -X only where it differs.
    let implied = if s.body.is_some() { "POST" } else { "GET" };
    let mut parts = vec![if s.method == implied {
        format!("curl {}", quote(&s.signed_url))
    } else {
        format!("curl -X {} {}", quote(&s.method), quote(&s.signed_url))
    }];
    for (n, v) in &s.headers {
        parts.push(format!("-H {}", quote(&format!("{n}: {v}"))));
    }
    if let Some(b) = &s.body {
        parts.push(format!("--data-raw {}", quote(b)));
    }
    parts.join(" \\\n  ")
}

/// The fingerprints of the secrets used, for `--output json`.
#[derive(serde::Serialize)]
pub struct Fingerprints {
    /// Of the consumer secret.
    pub consumer_secret: Fingerprint,
    /// Of the token secret, if one was given.
    pub token_secret: Option<Fingerprint>,
}

/// The public half of an RSA key, identified: bits and a sha256 prefix of the modulus.
pub fn rsa_fingerprint(k: &rfc5849::rsa::PrivateKey) -> String {
    use rsa::traits::PublicKeyParts;
    use sha2::Digest;
    let n = k.n().to_bytes_be();
    let h = sha2::Sha256::digest(&n);
    format!(
        "{} bits, modulus sha256:{}",
        n.len() * 8,
        &hex::encode(h)[..12]
    )
}

/// The `sigdoctor.sign.v1` document (SPEC): what `sign --output json` prints.
pub fn to_json(s: &SignedRequest, fp: &serde_json::Value) -> serde_json::Value {
    json!({
        "schema": "sigdoctor.sign.v1",
        "method": s.method,
        "url": s.url,
        "signed_url": s.signed_url,
        "authorization": s.authorization,
        "body": s.body,
        "base_string": s.base_string,
        "signature": s.signature,
        "signature_method": s.signature_method.as_str(),
        "oauth_params": s.oauth_params.iter().map(|(n, v)| [n, v]).collect::<Vec<_>>(),
        "key_fingerprint": fp,
    })
}
