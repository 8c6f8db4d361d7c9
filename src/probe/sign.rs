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

/// Which secret signs: the one given, or a repair of a paste the field gets wrong. A
/// variant that authenticates is a key finding, not a Base Address one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SecretVariant {
    /// The secrets exactly as given.
    #[default]
    AsGiven,
    /// Surrounding whitespace trimmed (a space pasted after the secret).
    Trimmed,
    /// The consumer secret without the `&` the user appended (forum advice: "your secret
    /// will need an ampersand at the end").
    NoTrailingAmpersand,
}

impl SecretVariant {
    /// The client fault id a success under this variant proves.
    pub fn fault(self) -> Option<&'static str> {
        match self {
            Self::AsGiven => None,
            Self::Trimmed => Some("key-secret-whitespace"),
            Self::NoTrailingAmpersand => Some("key-secret-trailing-ampersand"),
        }
    }

    /// The variants that differ from the secrets given (the as-given one excluded).
    pub fn applicable(consumer: &str, token: Option<&str>) -> Vec<Self> {
        let mut out = Vec::new();
        if consumer.trim() != consumer || token.is_some_and(|t| t.trim() != t) {
            out.push(Self::Trimmed);
        }
        if consumer.trim_end().ends_with('&') {
            out.push(Self::NoTrailingAmpersand);
        }
        out
    }

    fn consumer(self, s: &str) -> String {
        match self {
            Self::AsGiven => s.to_string(),
            Self::Trimmed => s.trim().to_string(),
            Self::NoTrailingAmpersand => {
                let t = s.trim_end();
                t.strip_suffix('&').unwrap_or(t).to_string()
            }
        }
    }

    fn token(self, s: &str) -> String {
        match self {
            Self::Trimmed => s.trim().to_string(),
            _ => s.to_string(),
        }
    }
}

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
    /// oauth_token (3-legged), with its secret.
    pub token: Option<(String, Secret)>,
    /// GET, or POST with a form body (only with `--allow-post`).
    pub method: String,
    /// The form body sent and signed (POST only).
    pub body: Option<String>,
    /// A fixed clock (`--now`), else the system clock.
    pub now: Option<i64>,
}

/// What [`Signer::build`] signed, besides the request: for the findings' diff.
#[derive(Clone, Debug)]
pub struct Signed {
    /// The request to send.
    pub request: HttpRequest,
    /// The base string the signature covers.
    pub base_string: String,
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
        key: SecretVariant,
        shift: i64,
        control: bool,
    ) -> Result<HttpRequest, Error> {
        self.build_signed(cand, form, key, shift, control)
            .map(|s| s.request)
    }

    /// [`Signer::build`], keeping the base string signed.
    pub fn build_signed(
        &self,
        cand: &RawUrl,
        form: &UriForm,
        key: SecretVariant,
        shift: i64,
        control: bool,
    ) -> Result<Signed, Error> {
        let fresh = (crate::fresh::random_nonce(), self.clock() + shift);
        self.build_with(cand, form, key, control, fresh)
    }

    /// The base strings the user's client signs (the called URL, the secret as given) and
    /// the one `cand` signs, with one nonce and timestamp: their diff shows only what the
    /// server does differently.
    pub fn comparable_base_strings(&self, cand: &RawUrl, form: &UriForm) -> (String, String) {
        let fresh = || (crate::fresh::random_nonce(), self.clock());
        let fresh = fresh();
        let base = |u: &RawUrl, f: &UriForm| {
            self.build_with(u, f, SecretVariant::AsGiven, false, fresh.clone())
                .map(|s| s.base_string)
                .unwrap_or_default()
        };
        (
            base(&self.target.called, &UriForm::default()),
            base(cand, form),
        )
    }

    fn build_with(
        &self,
        cand: &RawUrl,
        form: &UriForm,
        key: SecretVariant,
        control: bool,
        (nonce, timestamp): (String, i64),
    ) -> Result<Signed, Error> {
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
        let mut params: Vec<(String, String)> = vec![
            ("oauth_consumer_key".into(), self.consumer_key.clone()),
            ("oauth_nonce".into(), nonce),
            ("oauth_signature_method".into(), method.as_str().into()),
            ("oauth_timestamp".into(), timestamp.to_string()),
        ];
        if let Some((token, _)) = &self.token {
            params.push(("oauth_token".into(), token.clone()));
        }
        params.push(("oauth_version".into(), "1.0".into()));
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
        let mut signed_headers = if query_placement {
            Vec::new()
        } else {
            vec![auth_header()]
        };
        let form_type = || {
            (
                "Content-Type".to_string(),
                "application/x-www-form-urlencoded".to_string(),
            )
        };
        if self.body.is_some() {
            signed_headers.push(form_type());
        }
        let req = Request::new(
            &self.method,
            &with_query(cand),
            signed_headers,
            self.body.clone(),
        )?;
        // Repaired copies live in a Secret too: never printed, wiped as Secret is.
        let consumer_secret = Secret::new(key.consumer(self.consumer_secret.expose()));
        let token_secret = self
            .token
            .as_ref()
            .map(|(_, s)| Secret::new(key.token(s.expose())));
        let key = KeyMaterial {
            consumer_key: &self.consumer_key,
            consumer_secret: consumer_secret.expose(),
            token_secret: token_secret.as_ref().map(Secret::expose),
            has_token: self.token.is_some(),
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
        let mut headers = Vec::new();
        let url = if query_placement {
            format!(
                "{}&oauth_signature={}",
                with_query(called),
                pct(signature.as_bytes())
            )
        } else {
            let mut all = params;
            all.push(("oauth_signature".into(), signature));
            headers.push((
                "Authorization".into(),
                header::format(realm.as_deref(), &all),
            ));
            with_query(called)
        };
        if self.body.is_some() {
            headers.push(form_type());
        }
        Ok(Signed {
            request: HttpRequest {
                method: self.method.clone(),
                url,
                headers,
                body: self.body.clone(),
            },
            base_string: signed.base_string,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::SecretVariant::{self, *};

    #[test]
    fn repairs_only_what_the_paste_shows() {
        assert_eq!(SecretVariant::applicable("s3cret", None), []);
        assert_eq!(SecretVariant::applicable("s3cret \n", None), [Trimmed]);
        assert_eq!(SecretVariant::applicable("s3cret", Some(" t")), [Trimmed]);
        assert_eq!(
            SecretVariant::applicable("s3cret&", None),
            [NoTrailingAmpersand]
        );
        assert_eq!(
            SecretVariant::applicable(" s3cret& ", None),
            [Trimmed, NoTrailingAmpersand]
        );
        assert_eq!(NoTrailingAmpersand.consumer("s3cret& "), "s3cret");
        assert_eq!(Trimmed.consumer("\ts3cret "), "s3cret");
        assert_eq!(
            NoTrailingAmpersand.token(" t "),
            " t ",
            "the token secret as given"
        );
    }
}
