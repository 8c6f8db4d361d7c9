//! OAuth 1.0a verification exactly as a Gallery does it: the URL is rebuilt from the
//! configured Base Address, never from the Host header, and signed with the one RFC core.
//!
//! Checks run in a fixed order so each failure has one distinct message: parameter count,
//! required parameters, duplicates, oauth_version, signature method, consumer key,
//! timestamp window, nonce, signature, then the key's role. A nonce is recorded only once
//! everything else passed, so unauthenticated traffic cannot fill the replay store.
//!
//! Every check before the signature costs time linear in the request, and the parameter
//! count is bounded before anything is decoded: an unsigned 1 MB form of 69,000 distinct
//! `oauth_*` names once cost seconds of CPU in a pairwise duplicate check.

use std::collections::HashSet;

use crate::request::Request;
use crate::rfc5849::{
    self, Context, HostForm, KeyForm, KeyMaterial, PortForm, SignatureMethod, UriForm, Variant,
};
use crate::secret::Secret;

use super::nonce::{Insert, NonceStore};

/// Most parameters (query, header and form body together) a request may carry by default:
/// PHP's `max_input_vars` and ASP.NET's `MaxHttpCollectionKeys` default to the same 1000.
pub const MAX_PARAMS: usize = 1000;

/// The exact body a Gallery answers for a wrong signature.
pub const INVALID_SIGNATURE: &str = "The provided signature(oauth_signature) is invalid.";

/// The parameters a Gallery request must carry, in the order they are checked.
pub const REQUIRED: [&str; 5] = [
    "oauth_consumer_key",
    "oauth_signature_method",
    "oauth_signature",
    "oauth_timestamp",
    "oauth_nonce",
];

/// Which API a key may call: Gallery keys come in pairs per user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The subscription API, `api/v1/`.
    Subscription,
    /// The admin API, `api/admin/v1/`.
    Admin,
}

impl Role {
    /// The API prefix this role may call.
    pub fn api(self) -> &'static str {
        match self {
            Self::Subscription => "api/v1/",
            Self::Admin => "api/admin/v1/",
        }
    }
}

/// One accepted key pair.
#[derive(Clone, Debug)]
pub struct KeyPair {
    /// The consumer key (public).
    pub consumer_key: String,
    /// The consumer secret (never printed; logs show its fingerprint).
    pub consumer_secret: Secret,
    /// The API this key may call.
    pub role: Role,
}

/// How the Base Address enters the base string (`--uri-normalization`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Normalization {
    /// RFC 5849: lower-case host, the scheme's default port dropped.
    #[default]
    Rfc,
    /// The Base Address exactly as configured (`:443` and host case kept).
    Literal,
}

impl Normalization {
    /// The core's switches for this normalization.
    pub fn variant(self) -> Variant {
        match self {
            Self::Rfc => Variant::default(),
            Self::Literal => Variant {
                uri: UriForm {
                    host: HostForm::AsSent,
                    port: PortForm::AsWritten,
                    ..UriForm::default()
                },
                ..Variant::default()
            },
        }
    }
}

/// Why a request was refused. Each has its own message in the Gallery's JSON shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The Authorization header (or the URL) could not be parsed.
    Malformed(String),
    /// A required OAuth parameter is absent.
    Missing(&'static str),
    /// An OAuth parameter sent more than once (which one would be meant?).
    Duplicate(String),
    /// oauth_version present but not `1.0`.
    BadVersion(String),
    /// oauth_signature_method not accepted.
    UnsupportedMethod(String),
    /// oauth_consumer_key unknown.
    UnknownKey,
    /// oauth_timestamp not a number.
    BadTimestamp,
    /// oauth_timestamp outside the window.
    Stale {
        /// The server clock.
        now: i64,
        /// The window in seconds.
        window: u64,
    },
    /// oauth_nonce already used inside the window.
    Replayed,
    /// The signature does not match.
    BadSignature,
    /// A valid key of the other role (subscription key on the admin API or the reverse).
    WrongRole(Role),
    /// The replay store is full: refuse rather than forget live nonces (503).
    Busy,
    /// More parameters than the server accepts (413), refused before any is decoded.
    TooManyParams {
        /// Parameters counted in the query and form body.
        count: usize,
        /// The limit (`--max-params`).
        max: usize,
    },
}

impl Failure {
    /// HTTP status: 401 except for a full replay store.
    pub fn status(&self) -> u16 {
        match self {
            Self::Busy => 503,
            Self::TooManyParams { .. } => 413,
            _ => 401,
        }
    }

    /// The `message` field of the JSON answer.
    pub fn message(&self) -> String {
        match self {
            Self::Malformed(m) => format!("The OAuth request could not be parsed: {m}"),
            Self::Missing(p) => format!("The request is missing the OAuth parameter {p}."),
            Self::Duplicate(p) => {
                format!("The request carries the OAuth parameter {p} more than once.")
            }
            Self::BadVersion(v) => {
                format!("The provided version(oauth_version) '{v}' is not supported; use 1.0.")
            }
            Self::UnsupportedMethod(m) => format!(
                "The provided signature method(oauth_signature_method) '{m}' is not supported; use HMAC-SHA1."
            ),
            Self::UnknownKey => "The provided consumer key(oauth_consumer_key) is unknown.".into(),
            Self::BadTimestamp => {
                "The provided timestamp(oauth_timestamp) is not a number of seconds.".into()
            }
            Self::Stale { now, window } => format!(
                "The provided timestamp(oauth_timestamp) is outside the allowed window of {window} seconds (server time {now})."
            ),
            Self::Replayed => "The provided nonce(oauth_nonce) has already been used.".into(),
            Self::BadSignature => INVALID_SIGNATURE.into(),
            Self::WrongRole(r) => format!(
                "The provided consumer key(oauth_consumer_key) is not authorized for this API: it is a {} key, which may call {} only.",
                match r {
                    Role::Subscription => "subscription",
                    Role::Admin => "admin",
                },
                r.api()
            ),
            Self::Busy => {
                "The server's nonce store is full; retry when older nonces expire.".into()
            }
            Self::TooManyParams { count, max } => format!(
                "The request carries {count} parameters; this server accepts at most {max}."
            ),
        }
    }

    /// The `exceptionName` field.
    pub fn exception(&self) -> &'static str {
        match self {
            Self::Busy => "ServiceUnavailableException",
            Self::TooManyParams { .. } => "RequestEntityTooLargeException",
            _ => "UnauthorizedException",
        }
    }
}

/// What arrived, in the server's terms (borrowed from the HTTP request).
#[derive(Clone, Copy, Debug)]
pub struct Arrived<'a> {
    /// The method.
    pub method: &'a str,
    /// The path relative to the Base Address path (`api/v1/...`).
    pub relative_path: &'a str,
    /// The query string as received, without `?`.
    pub query: Option<&'a str>,
    /// The Authorization header.
    pub authorization: Option<&'a str>,
    /// The Content-Type header.
    pub content_type: Option<&'a str>,
    /// The body (only a form body is signed).
    pub body: &'a [u8],
}

/// The verifier: keys, Base Address, window, replay store.
pub struct Verifier {
    /// The Base Address as configured, ending in `/`.
    pub base_address: String,
    /// How it is normalized.
    pub normalization: Normalization,
    /// Accepted keys.
    pub keys: Vec<KeyPair>,
    /// Seconds a timestamp may differ from the server clock.
    pub window: u64,
    /// Accepted signature methods (a Gallery: HMAC-SHA1 only).
    pub methods: Vec<SignatureMethod>,
    /// Replay store.
    pub nonces: NonceStore,
    /// Log the expected base string of each failure on stderr.
    pub log_base_strings: bool,
    /// The provider emulated (`generic`/`alteryx`: a Gallery); its server form applies.
    pub profile: crate::cli::Profile,
    /// RSA consumers: consumer key and the public key their RSA-SHA1/256 requests verify with.
    pub rsa_keys: Vec<(String, crate::rfc5849::rsa::PublicKey)>,
    /// Most parameters a request may carry (413 beyond).
    pub max_params: usize,
}

impl Verifier {
    /// The switches this server signs under: the URI normalization, and the provider's
    /// parameter handling ([`crate::profile::Spec::server_variant`]).
    pub fn variant(&self) -> Variant {
        let mut v = self.normalization.variant();
        v.params = crate::profile::spec(self.profile).server_variant().params;
        v
    }

    /// The URL the server signs: Base Address + relative path + query as received.
    pub fn url(&self, a: &Arrived) -> String {
        let mut url = String::with_capacity(self.base_address.len() + a.relative_path.len() + 64);
        url.push_str(&self.base_address);
        url.push_str(a.relative_path);
        if let Some(q) = a.query {
            url.push('?');
            url.push_str(q);
        }
        url
    }

    /// The request model of what arrived, as the core sees it.
    pub fn request(&self, a: &Arrived) -> Result<Request, Failure> {
        let mut headers = Vec::with_capacity(2);
        if let Some(v) = a.authorization {
            headers.push(("Authorization".to_string(), v.to_string()));
        }
        let mut body = None;
        if let Some(ct) = a.content_type {
            headers.push(("Content-Type".to_string(), ct.to_string()));
            // Only a form body is signed; others (JSON) need not be copied.
            if ct
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
            {
                body = Some(String::from_utf8_lossy(a.body).into_owned());
            }
        }
        Request::new(a.method, &self.url(a), headers, body)
            .map_err(|e| Failure::Malformed(e.one_line()))
    }

    /// Verifies a request for an API of `role`; `now` is the server clock (Unix seconds).
    pub fn verify(&self, a: &Arrived, role: Role, now: i64) -> Result<&KeyPair, Failure> {
        let count = self.count_params(a);
        if count > self.max_params {
            return Err(Failure::TooManyParams {
                count,
                max: self.max_params,
            });
        }
        let req = self.request(a)?;
        let result = self.check(&req, role, now);
        if let Err(f) = &result {
            if self.log_base_strings {
                self.log(&req, f);
            }
        }
        result
    }

    /// Parameters in the query and a form body, counted without decoding any (the header's
    /// are bounded by the header size limit).
    fn count_params(&self, a: &Arrived) -> usize {
        let pairs = |b: &[u8]| b.split(|&c| c == b'&').filter(|p| !p.is_empty()).count();
        let form = a.content_type.is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        a.query.map_or(0, |q| pairs(q.as_bytes())) + if form { pairs(a.body) } else { 0 }
    }

    fn check(&self, req: &Request, role: Role, now: i64) -> Result<&KeyPair, Failure> {
        for p in REQUIRED {
            if req.param(p).is_none() {
                return Err(Failure::Missing(p));
            }
        }
        let mut seen = HashSet::new();
        if let Some(p) = req
            .params
            .iter()
            .find(|p| p.is_oauth() && !seen.insert(p.name.as_slice()))
        {
            return Err(Failure::Duplicate(p.name_str()));
        }
        let text = |p| req.param_str(p).unwrap_or_default();
        if let Some(v) = req.param_str("oauth_version") {
            if v != "1.0" {
                return Err(Failure::BadVersion(v));
            }
        }
        let method_text = text("oauth_signature_method");
        let method = SignatureMethod::parse(&method_text)
            .filter(|m| self.methods.contains(m))
            .ok_or(Failure::UnsupportedMethod(method_text))?;
        let consumer_key = text("oauth_consumer_key");
        let pair = self
            .keys
            .iter()
            .find(|k| k.consumer_key == consumer_key)
            .ok_or(Failure::UnknownKey)?;
        // The signature check, run where the provider runs it (WooCommerce: before the
        // timestamp and nonce, so a stale request with a bad signature says "signature").
        let signature = || -> Result<(), Failure> {
            let mut captured = text("oauth_signature");
            if crate::profile::spec(self.profile).repairs_space {
                // WooCommerce: an unencoded `+` that arrived as a space is put back.
                captured = captured.replace(' ', "+");
            }
            let rsa_key = self
                .rsa_keys
                .iter()
                .find(|(k, _)| *k == consumer_key)
                .map(|(_, pk)| pk);
            let valid = match (rsa_key, method.is_rsa()) {
                (Some(pk), true) => {
                    rfc5849::verify_rsa(req, pk, method, &self.variant(), &captured)
                }
                // An RSA consumer has no secret: an HMAC request from it is refused, and an
                // RSA request from a secret-holding consumer cannot verify.
                (Some(_), false) => {
                    return Err(Failure::UnsupportedMethod(method.as_str().to_string()))
                }
                (None, true) => false,
                (None, false) => {
                    let km = KeyMaterial {
                        consumer_key: &pair.consumer_key,
                        consumer_secret: pair.consumer_secret.expose(),
                        token_secret: None,
                        has_token: req.param("oauth_token").is_some(),
                    };
                    let signed = rfc5849::sign_with(
                        req,
                        &km,
                        method,
                        &self.variant(),
                        KeyForm::Rfc,
                        &Context::default(),
                    );
                    rfc5849::signatures_equal(&signed.signature, &captured)
                }
            };
            if valid {
                Ok(())
            } else {
                Err(Failure::BadSignature)
            }
        };
        let signature_first = crate::profile::spec(self.profile).signature_first;
        if signature_first {
            signature()?;
        }
        let ts: i64 = text("oauth_timestamp")
            .parse()
            .map_err(|_| Failure::BadTimestamp)?;
        let window = i64::try_from(self.window).unwrap_or(i64::MAX);
        if now.abs_diff(ts) > self.window {
            return Err(Failure::Stale {
                now,
                window: self.window,
            });
        }
        let nonce = req.param("oauth_nonce").map_or(&[][..], |p| &p.value[..]);
        let entry = self.nonces.entry(&consumer_key, nonce);
        if self.nonces.contains_entry(entry, now) {
            return Err(Failure::Replayed);
        }
        if !signature_first {
            signature()?;
        }
        if pair.role != role {
            return Err(Failure::WrongRole(pair.role));
        }
        match self
            .nonces
            .insert_entry(entry, now, ts.saturating_add(window))
        {
            Insert::Fresh => Ok(pair),
            Insert::Replayed => Err(Failure::Replayed),
            Insert::Full => Err(Failure::Busy),
        }
    }

    /// One stderr line per failure: what failed and the base string this server expected.
    /// The secret never appears, only its fingerprint.
    fn log(&self, req: &Request, f: &Failure) {
        let base = rfc5849::base_string(req, &self.variant(), &Context::default());
        let key = req.param_str("oauth_consumer_key").unwrap_or_default();
        let fp = self
            .keys
            .iter()
            .find(|k| k.consumer_key == key)
            .map_or_else(
                || "unknown key".to_string(),
                |k| format!("secret {}", k.consumer_secret.fingerprint()),
            );
        crate::eline!(
            "sigdoctor serve: {} {} {}: {} [key `{key}`, {fp}] expected base string: {base}",
            f.status(),
            req.method,
            req.url.path,
            f.message(),
        );
    }
}
