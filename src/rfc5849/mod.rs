//! The RFC 5849 core: pure functions, no I/O, no clock, no randomness.
//!
//! This is the only signing code in sigdoctor. `sign` and `serve` run it with every switch
//! off ([`Variant::default()`], [`KeyForm::Rfc`]); `explain` runs it with the switches of
//! each hypothesis; `probe` with the URI switches of each candidate Base Address.

pub mod base_string;
pub mod base_uri;
pub mod encode;
pub mod header;
pub mod params;
pub mod rsa;
pub mod sign;
pub mod variant;

pub use base_string::base_string;
pub use base_uri::base_uri;
pub use sign::{
    encode_signature, raw_signature, signing_key, signing_key_with, Digest, KeyMaterial, KeyedMac,
    SignatureMethod,
};
pub use variant::{
    Duplicates, HostForm, KeyForm, MethodForm, OutputForm, ParamEncoding, ParamForm, ParamOrder,
    ParamSet, PathForm, PortForm, QueryParsing, SignatureIncluded, UriForm, Variant, Whitespace,
};

use crate::request::Request;

/// What the procedure needs besides the request: names the server may know itself by.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// Host aliases for [`HostForm::Alias`].
    pub host_aliases: &'a [String],
}

/// A signature with the base string it was computed over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The signature base string.
    pub base_string: String,
    /// The signature as it goes into `oauth_signature`, before percent-encoding.
    pub signature: String,
}

/// Signs `req` under `variant` and `key_form`: the whole procedure in one call.
pub fn sign_with(
    req: &Request,
    key: &KeyMaterial,
    method: SignatureMethod,
    variant: &Variant,
    key_form: KeyForm,
    ctx: &Context,
) -> Signed {
    let base_string = base_string(req, variant, ctx);
    let key = signing_key(key, key_form);
    let raw = raw_signature(method, &key, base_string.as_bytes());
    Signed {
        signature: encode_signature(method, &raw, OutputForm::Base64),
        base_string,
    }
}

/// Signs `req` exactly as RFC 5849 says.
pub fn sign(req: &Request, key: &KeyMaterial, method: SignatureMethod) -> Signed {
    sign_with(
        req,
        key,
        method,
        &Variant::default(),
        KeyForm::Rfc,
        &Context::default(),
    )
}

/// Signs `req` exactly as RFC 5849 section 3.4.3 says, with an RSA private key.
pub fn sign_rsa(
    req: &Request,
    key: &rsa::PrivateKey,
    method: SignatureMethod,
) -> Result<Signed, String> {
    use base64::Engine;
    let base_string = base_string(req, &Variant::default(), &Context::default());
    let raw = rsa::sign(method, key, base_string.as_bytes())?;
    Ok(Signed {
        signature: base64::engine::general_purpose::STANDARD.encode(raw),
        base_string,
    })
}

/// Verifies an RSA signature (as carried in `oauth_signature`, base64) over `req` signed
/// under `variant`: what `serve` does for RSA consumers.
pub fn verify_rsa(
    req: &Request,
    key: &rsa::PublicKey,
    method: SignatureMethod,
    variant: &Variant,
    signature: &str,
) -> bool {
    use base64::Engine;
    let base_string = base_string(req, variant, &Context::default());
    base64::engine::general_purpose::STANDARD
        .decode(signature.trim())
        .is_ok_and(|raw| rsa::verify(method, key, base_string.as_bytes(), &raw))
}

/// Compares two signatures in constant time (a timing oracle would leak the right one).
pub fn signatures_equal(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
