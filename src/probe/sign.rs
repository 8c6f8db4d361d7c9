//! Fresh signed requests: the called URL on the wire, a candidate's base URI in the
//! signature. All signing goes through [`crate::rfc5849::sign_with`].

use super::plan::Target;
use super::transport::HttpRequest;
use crate::error::Error;
use crate::request::{RawUrl, Request};
use crate::rfc5849::encode::pct;
use crate::rfc5849::{
    encode_signature, header, raw_signature, sign_with, Context, KeyForm, KeyMaterial, OutputForm,
    SignatureMethod, UriForm, Variant,
};
use crate::secret::Secret;

/// Key, secret and clock for signing; each call to [`Signer::build`] takes a new nonce
/// and the current time, so no two probes can collide on a server's replay check.
#[derive(Clone, Debug)]
pub struct Signer {
    /// The target (what goes on the wire).
    pub target: Target,
    /// oauth_consumer_key.
    pub consumer_key: String,
    /// The consumer secret (the HMAC key, never sent).
    pub consumer_secret: Secret,
    /// A fixed clock (`--now`), else the system clock.
    pub now: Option<i64>,
}

impl Signer {
    /// The timestamp clock, before any skew correction.
    pub fn clock(&self) -> i64 {
        self.now.unwrap_or_else(crate::fresh::unix_now)
    }

    /// A request to the called URL whose signature is computed over `cand` under `form`.
    /// `shift` moves the timestamp (clock-skew correction); `control` makes the signature
    /// deliberately wrong (a request a verifying server must refuse).
    pub fn build(
        &self,
        cand: &RawUrl,
        form: &UriForm,
        shift: i64,
        control: bool,
    ) -> Result<HttpRequest, Error> {
        let nonce = crate::fresh::random_nonce();
        // The provider's HMAC (NetSuite: HMAC-SHA256 only); HMAC-SHA1 elsewhere.
        let spec = crate::profile::spec(self.target.profile);
        let method = spec
            .methods
            .iter()
            .copied()
            .find(|m| SignatureMethod::HMACS.contains(m))
            .unwrap_or(SignatureMethod::HmacSha1);
        let realm = (spec.profile == crate::cli::Profile::Netsuite)
            .then(|| crate::profile::lints::netsuite_account(&self.target.called.host))
            .flatten();
        let params: Vec<(String, String)> = vec![
            ("oauth_consumer_key".into(), self.consumer_key.clone()),
            ("oauth_nonce".into(), nonce),
            ("oauth_signature_method".into(), method.as_str().into()),
            ("oauth_timestamp".into(), (self.clock() + shift).to_string()),
            ("oauth_version".into(), "1.0".into()),
        ];
        let query_placement = self.target.alteryx;
        let oauth_query = params
            .iter()
            .map(|(n, v)| format!("{}={}", pct(n.as_bytes()), pct(v.as_bytes())))
            .collect::<Vec<_>>()
            .join("&");
        let with_query = |url: &RawUrl| {
            let base = url.text.split('#').next().unwrap_or(&url.text);
            if !query_placement {
                base.to_string()
            } else if url.query.as_deref().is_some_and(|q| !q.is_empty()) {
                format!("{base}&{oauth_query}")
            } else {
                format!("{}?{oauth_query}", base.trim_end_matches('?'))
            }
        };
        let auth_header = || {
            (
                "Authorization".to_string(),
                header::format(realm.as_deref(), &params),
            )
        };
        let signed_headers = if query_placement {
            Vec::new()
        } else {
            vec![auth_header()]
        };
        let req = Request::new("GET", &with_query(cand), signed_headers, None)?;
        let key = KeyMaterial {
            consumer_key: &self.consumer_key,
            consumer_secret: self.consumer_secret.expose(),
            token_secret: None,
            has_token: false,
        };
        let variant = Variant {
            uri: *form,
            ..Variant::default()
        };
        let signed = sign_with(
            &req,
            &key,
            method,
            &variant,
            KeyForm::Rfc,
            &Context::default(),
        );
        let signature = if control {
            // Keyed with a public constant, not the secret: well-formed and certainly wrong.
            let raw = raw_signature(method, b"sigdoctor-control", signed.base_string.as_bytes());
            encode_signature(method, &raw, OutputForm::Base64)
        } else {
            signed.signature
        };
        let called = &self.target.called;
        if query_placement {
            Ok(HttpRequest {
                method: "GET".into(),
                url: format!(
                    "{}&oauth_signature={}",
                    with_query(called),
                    pct(signature.as_bytes())
                ),
                headers: Vec::new(),
            })
        } else {
            let mut all = params;
            all.push(("oauth_signature".into(), signature));
            Ok(HttpRequest {
                method: "GET".into(),
                url: with_query(called),
                headers: vec![(
                    "Authorization".into(),
                    header::format(realm.as_deref(), &all),
                )],
            })
        }
    }
}
