//! `sigdoctor sign`: a correct signature, shown step by step.
//!
//! The OAuth parameters are written into the request text where `--placement` says (query,
//! Authorization header or form body), that text is parsed back with [`Request::new`] and
//! signed by [`rfc5849::sign`], the one signing procedure. The signed text is then parsed
//! again and verified before anything is printed: what `sign` prints is what the request
//! model, and so `explain` and `serve`, read back.

use serde_json::json;

use crate::cli::SignatureMethodArg;
use crate::cli::{GlobalArgs, Placement, Profile, RequestInput, SignArgs, SignOutput};
use crate::error::{exit, Error};
use crate::input::{self, FORM_TYPE};
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

/// Runs `sign`.
pub fn run(args: SignArgs, global: &GlobalArgs) -> Result<u8, Error> {
    let consumer_key = args.credentials.consumer_key.clone().ok_or_else(|| {
        Error::input("sign needs --consumer-key (the oauth_consumer_key to sign with)")
    })?;
    crate::app::refuse_stdin_twice(&args.url, &args.credentials)?;
    let private_key = args
        .private_key
        .as_deref()
        .map(crate::app::keys::private_key)
        .transpose()?;
    // Not given: HMAC-SHA1, unless the provider refuses it (NetSuite: HMAC-SHA256).
    let default_method = crate::request::RawUrl::parse(&args.url)
        .ok()
        .map(|u| crate::profile::spec(input::resolve_profile(args.profile, &u)).methods)
        .filter(|m| !m.contains(&SignatureMethod::HmacSha1))
        .and_then(|m| {
            m.iter()
                .copied()
                .find(|m| SignatureMethod::HMACS.contains(m))
        })
        .unwrap_or(SignatureMethod::HmacSha1);
    let asked = args.signature_method.map_or(default_method, method_of);
    let method = match (asked, &private_key) {
        // A private key means RSA: RSA-SHA1 unless RSA-SHA256 was asked for.
        (m, Some(_)) if m.is_rsa() => m,
        (SignatureMethod::HmacSha1, Some(_)) => SignatureMethod::RsaSha1,
        (m, Some(_)) => {
            return Err(Error::input(format!(
                "--private-key signs RSA-SHA1 or RSA-SHA256, not {}",
                m.as_str()
            )))
        }
        (m, None) if m.is_rsa() => {
            return Err(Error::input(format!(
                "--signature-method {} needs --private-key PEM",
                m.as_str()
            )))
        }
        (m, None) => m,
    };
    let consumer_secret = if private_key.is_some() {
        Secret::new("")
    } else {
        crate::app::load_secret(
            args.credentials.consumer_secret.as_deref(),
            crate::app::CONSUMER_SECRET_ENV,
            "consumer secret",
        )?
        .ok_or_else(|| {
            Error::input(
                "sign needs the consumer secret: --consumer-secret env:VAR|file:PATH|stdin|prompt, \
                 or env SIGDOCTOR_CONSUMER_SECRET (or --private-key PEM for RSA-SHA1)",
            )
        })?
    };
    let token_secret = crate::app::load_secret(
        args.credentials.token_secret.as_deref(),
        crate::app::TOKEN_SECRET_ENV,
        "token secret",
    )?;
    if private_key.is_none() {
        crate::app::warn_empty(Some(&consumer_secret), "consumer secret");
        crate::app::warn_whitespace(Some(&consumer_secret), "consumer secret");
    }
    crate::app::warn_whitespace(token_secret.as_ref(), "token secret");
    let input = RequestInput {
        request: args.url.clone(),
        method: args.method.clone(),
        headers: args.headers.clone(),
        data: args.data.clone(),
        entry: None,
    };
    let placement = choose_placement(&args)?;
    if args.realm.is_some() && placement != Placement::Header {
        crate::eline!(
            "sigdoctor: warning: --realm is sent in the Authorization header only; ignored"
        );
    }
    // NetSuite wants realm = the account id (`1234567_SB1`); take it from the host.
    let netsuite_realm = crate::request::RawUrl::parse(&args.url)
        .ok()
        .filter(|u| input::resolve_profile(args.profile, u) == Profile::Netsuite)
        .and_then(|u| crate::profile::lints::netsuite_account(&u.host))
        .filter(|_| args.realm.is_none() && placement == Placement::Header);
    let spec = SignSpec {
        input,
        consumer_key: &consumer_key,
        consumer_secret: &consumer_secret,
        token: args.token.as_deref(),
        token_secret: token_secret.as_ref(),
        timestamp: args
            .timestamp
            .clone()
            .unwrap_or_else(|| crate::fresh::unix_now().to_string()),
        nonce: args
            .nonce
            .clone()
            .unwrap_or_else(crate::fresh::random_nonce),
        method,
        placement,
        realm: args.realm.as_deref().or(netsuite_realm.as_deref()),
        version: !args.no_version,
    };
    let signed = sign_inner(&spec, private_key.as_ref())?;
    if spec.method == SignatureMethod::Plaintext {
        plaintext_guard(&signed.url, args.allow_plaintext_over_http)?;
    }
    if global.verbose {
        crate::eline!("base string: {}", signed.base_string);
    }
    if global.verbose && private_key.is_none() {
        crate::eline!("consumer secret: {}", consumer_secret.fingerprint());
        if let Some(t) = &token_secret {
            crate::eline!("token secret: {}", t.fingerprint());
        }
    }
    let out = match args.output {
        SignOutput::Url => signed.signed_url.clone(),
        SignOutput::Header => format!(
            "Authorization: {}",
            signed.authorization.clone().unwrap_or_default()
        ),
        SignOutput::Curl => curl_command(&signed),
        SignOutput::BaseString => signed.base_string.clone(),
        SignOutput::Json => {
            let fp = match &private_key {
                Some(k) => json!({ "rsa_public_key": rsa_fingerprint(k) }),
                None => json!(Fingerprints {
                    consumer_secret: consumer_secret.fingerprint(),
                    token_secret: token_secret.as_ref().map(Secret::fingerprint),
                }),
            };
            serde_json::to_string_pretty(&to_json(&signed, &fp))
                .map_err(|e| Error::Io(format!("cannot write JSON: {e}")))?
        }
    };
    crate::app::emit(&format!("{out}\n"))?;
    Ok(exit::OK)
}

/// PLAINTEXT's signature *is* the secrets (RFC 5849 section 3.4.4), so printing it prints
/// them, and sending it unencrypted hands them to anyone on the path: warn always, and
/// refuse `http://` unless the user insists.
fn plaintext_guard(url: &str, allow_http: bool) -> Result<(), Error> {
    if url.trim_start().to_ascii_lowercase().starts_with("http://") && !allow_http {
        return Err(Error::input(format!(
            "--signature-method PLAINTEXT over `{}`: the secrets would travel readable over http:// \
             (RFC 5849 section 3.4.4 requires TLS); use https://, or --allow-plaintext-over-http \
             for a local test server",
            crate::request::url::shorten(url)
        )));
    }
    crate::eline!(
        "sigdoctor: warning: PLAINTEXT puts the secrets themselves in oauth_signature: this output, \
         and anyone who sees the request, has them"
    );
    Ok(())
}

/// Where the OAuth parameters go: as asked; else where the chosen output can show them
/// (a URL can only carry them in the query, a header line only in the header); else the
/// profile's habit (query for the Alteryx Gallery, header for everything else).
pub fn choose_placement(args: &SignArgs) -> Result<Placement, Error> {
    match (args.placement, args.output) {
        (Some(p), SignOutput::Url) if p != Placement::Query => Err(Error::input(format!(
            "--output url shows only the URL, but --placement {} puts the OAuth parameters \
             elsewhere; use --output curl or json",
            placement_name(p)
        ))),
        (Some(p), SignOutput::Header) if p != Placement::Header => Err(Error::input(format!(
            "--output header needs --placement header (got {})",
            placement_name(p)
        ))),
        (Some(p), _) => Ok(p),
        (None, SignOutput::Url) => Ok(Placement::Query),
        (None, SignOutput::Header) => Ok(Placement::Header),
        (None, _) => {
            let url = crate::request::RawUrl::parse(&args.url).ok();
            let profile = url.map_or(args.profile, |u| input::resolve_profile(args.profile, &u));
            Ok(if profile == Profile::Alteryx {
                Placement::Query
            } else {
                Placement::Header
            })
        }
    }
}

fn placement_name(p: Placement) -> &'static str {
    match p {
        Placement::Query => "query",
        Placement::Header => "header",
        Placement::Body => "body",
    }
}

/// The library form of `--signature-method`.
pub fn method_of(m: SignatureMethodArg) -> SignatureMethod {
    match m {
        SignatureMethodArg::HmacSha1 => SignatureMethod::HmacSha1,
        SignatureMethodArg::HmacSha256 => SignatureMethod::HmacSha256,
        SignatureMethodArg::HmacSha512 => SignatureMethod::HmacSha512,
        SignatureMethodArg::Plaintext => SignatureMethod::Plaintext,
        SignatureMethodArg::RsaSha1 => SignatureMethod::RsaSha1,
        SignatureMethodArg::RsaSha256 => SignatureMethod::RsaSha256,
    }
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
struct Fingerprints {
    consumer_secret: Fingerprint,
    token_secret: Option<Fingerprint>,
}

/// The public half of an RSA key, identified: bits and a sha256 prefix of the modulus.
fn rsa_fingerprint(k: &rfc5849::rsa::PrivateKey) -> String {
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

fn to_json(s: &SignedRequest, fp: &serde_json::Value) -> serde_json::Value {
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
