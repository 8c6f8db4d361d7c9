//! RFC 5849 sections 3.4.2 to 3.4.4: the key, the digest, and how it is written out.

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::encode::pct;
use super::variant::{KeyForm, OutputForm};

/// A signature method sigdoctor can compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SignatureMethod {
    /// HMAC-SHA1 (RFC 5849 section 3.4.2).
    #[serde(rename = "HMAC-SHA1")]
    HmacSha1,
    /// HMAC-SHA256 (common extension: NetSuite, LTI 1.1, Magento).
    #[serde(rename = "HMAC-SHA256")]
    HmacSha256,
    /// HMAC-SHA512.
    #[serde(rename = "HMAC-SHA512")]
    HmacSha512,
    /// PLAINTEXT (RFC 5849 section 3.4.4): the key is the signature.
    #[serde(rename = "PLAINTEXT")]
    Plaintext,
    /// RSA-SHA1 (RFC 5849 section 3.4.3): Jira / Confluence application links.
    #[serde(rename = "RSA-SHA1")]
    RsaSha1,
    /// RSA-SHA256 (the same with SHA-256).
    #[serde(rename = "RSA-SHA256")]
    RsaSha256,
}

impl SignatureMethod {
    /// The HMAC methods, the ones `sig-method-mismatch` moves between.
    pub const HMACS: [Self; 3] = [Self::HmacSha1, Self::HmacSha256, Self::HmacSha512];
    /// The RSA methods: verified with a public key, signed with a private one.
    pub const RSAS: [Self; 2] = [Self::RsaSha1, Self::RsaSha256];

    /// Whether this is an RSA method (no shared secret: see [`super::rsa`]).
    pub fn is_rsa(self) -> bool {
        matches!(self, Self::RsaSha1 | Self::RsaSha256)
    }

    /// Parses the `oauth_signature_method` value (case-insensitive, as servers accept it).
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_uppercase().as_str() {
            "HMAC-SHA1" => Some(Self::HmacSha1),
            "HMAC-SHA256" => Some(Self::HmacSha256),
            "HMAC-SHA512" => Some(Self::HmacSha512),
            "PLAINTEXT" => Some(Self::Plaintext),
            "RSA-SHA1" => Some(Self::RsaSha1),
            "RSA-SHA256" => Some(Self::RsaSha256),
            _ => None,
        }
    }

    /// The wire name (`HMAC-SHA1`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HmacSha1 => "HMAC-SHA1",
            Self::HmacSha256 => "HMAC-SHA256",
            Self::HmacSha512 => "HMAC-SHA512",
            Self::Plaintext => "PLAINTEXT",
            Self::RsaSha1 => "RSA-SHA1",
            Self::RsaSha256 => "RSA-SHA256",
        }
    }

    /// Digest length in bytes (PLAINTEXT has none: 0; RSA: the hash the signature commits to).
    pub fn digest_len(self) -> usize {
        match self {
            Self::HmacSha1 | Self::RsaSha1 => 20,
            Self::HmacSha256 | Self::RsaSha256 => 32,
            Self::HmacSha512 => 64,
            Self::Plaintext => 0,
        }
    }
}

/// The secrets and key a signature needs. The consumer key is here for [`KeyForm::Swapped`].
#[derive(Clone, Copy, Debug)]
pub struct KeyMaterial<'a> {
    /// The consumer key (public).
    pub consumer_key: &'a str,
    /// The consumer secret.
    pub consumer_secret: &'a str,
    /// The token secret, if the user has one.
    pub token_secret: Option<&'a str>,
    /// Whether the request carries `oauth_token` (3-legged): only then is the token secret
    /// part of the RFC key.
    pub has_token: bool,
}

/// The signing key under `form` (RFC 5849 section 3.4.2: `pct(cs)&pct(ts)`).
pub fn signing_key(k: &KeyMaterial, form: KeyForm) -> Vec<u8> {
    signing_key_with(k, &[form])
}

/// The signing key under several key forms at once. The key has three parts, and each form
/// changes one of them: the secret text (whitespace, the consumer key swapped in), the
/// encoding of both parts, and the assembly (the `&`, which token secret). So forms of
/// different parts combine: a pasted `secret ` joined raw with `&` is
/// `[Whitespace(TrailingSpace), NotEncoded]`. Of two forms on one part the last wins.
pub fn signing_key_with(k: &KeyMaterial, forms: &[KeyForm]) -> Vec<u8> {
    let mut cs = std::borrow::Cow::Borrowed(k.consumer_secret);
    let mut ts = if k.has_token {
        k.token_secret.unwrap_or("")
    } else {
        ""
    };
    let (mut amp, mut encoded) = (true, true);
    for form in forms {
        match *form {
            KeyForm::Rfc => {}
            KeyForm::Whitespace(w) => cs = w.apply(k.consumer_secret).into(),
            KeyForm::Swapped => cs = k.consumer_key.into(),
            KeyForm::NotEncoded => encoded = false,
            KeyForm::MissingAmpersand => amp = false,
            KeyForm::TokenSecretIncluded => ts = k.token_secret.unwrap_or(""),
            KeyForm::TokenSecretMissing => ts = "",
        }
    }
    let part = |s: &str| {
        if encoded {
            pct(s.as_bytes())
        } else {
            s.to_string()
        }
    };
    let mut key = part(&cs);
    if amp {
        key.push('&');
    }
    key.push_str(&part(ts));
    key.into_bytes()
}

/// A digest of at most 64 bytes, on the stack: the search computes millions.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Digest {
    bytes: [u8; 64],
    len: u8,
}

impl Digest {
    /// A digest from a slice (at most 64 bytes are kept).
    pub fn from_slice(s: &[u8]) -> Self {
        let mut bytes = [0u8; 64];
        let len = s.len().min(64);
        bytes[..len].copy_from_slice(&s[..len]);
        Self {
            bytes,
            len: len as u8,
        }
    }

    /// The digest bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

impl std::fmt::Debug for Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Digest({})", hex::encode(self.as_bytes()))
    }
}

/// An HMAC whose key is already absorbed: clone it and feed it a base string. Cloning after
/// [`Mac::update`] on a shared prefix is how the search reuses SHA midstates.
#[derive(Clone)]
pub enum KeyedMac {
    /// HMAC-SHA1.
    Sha1(Hmac<Sha1>),
    /// HMAC-SHA256.
    Sha256(Hmac<Sha256>),
    /// HMAC-SHA512.
    Sha512(Hmac<Sha512>),
    /// RSA-SHA1 as the search sees it: the plain SHA-1 of the base string, compared with
    /// the hash recovered from the signature by [`super::rsa::recover_digest`].
    RsaSha1(Unkeyed<Sha1>),
    /// RSA-SHA256, likewise.
    RsaSha256(Unkeyed<Sha256>),
}

/// A plain hash dressed as a MAC (no key), so the search's midstate machinery, written
/// for [`Mac`], hashes RSA hypotheses unchanged.
#[derive(Clone, Default)]
pub struct Unkeyed<D>(D);

impl<D: digest::OutputSizeUser> digest::OutputSizeUser for Unkeyed<D> {
    type OutputSize = D::OutputSize;
}

impl<D: digest::Update> digest::Update for Unkeyed<D> {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }
}

impl<D: digest::FixedOutput> digest::FixedOutput for Unkeyed<D> {
    fn finalize_into(self, out: &mut digest::Output<Self>) {
        self.0.finalize_into(out);
    }
}

impl<D> digest::MacMarker for Unkeyed<D> {}

impl KeyedMac {
    /// Precomputes the inner and outer key states; `None` for PLAINTEXT.
    pub fn new(method: SignatureMethod, key: &[u8]) -> Option<Self> {
        // new_from_slice accepts keys of every length for HMAC: the error arm cannot happen.
        Some(match method {
            SignatureMethod::HmacSha1 => Self::Sha1(Hmac::new_from_slice(key).ok()?),
            SignatureMethod::HmacSha256 => Self::Sha256(Hmac::new_from_slice(key).ok()?),
            SignatureMethod::HmacSha512 => Self::Sha512(Hmac::new_from_slice(key).ok()?),
            SignatureMethod::RsaSha1 => Self::RsaSha1(Unkeyed::default()),
            SignatureMethod::RsaSha256 => Self::RsaSha256(Unkeyed::default()),
            SignatureMethod::Plaintext => return None,
        })
    }

    /// Feeds more of the message.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha1(m) => m.update(data),
            Self::Sha256(m) => m.update(data),
            Self::Sha512(m) => m.update(data),
            Self::RsaSha1(m) => m.update(data),
            Self::RsaSha256(m) => m.update(data),
        }
    }

    /// Finishes the MAC.
    pub fn finish(self) -> Digest {
        match self {
            Self::Sha1(m) => Digest::from_slice(&m.finalize().into_bytes()),
            Self::Sha256(m) => Digest::from_slice(&m.finalize().into_bytes()),
            Self::Sha512(m) => Digest::from_slice(&m.finalize().into_bytes()),
            Self::RsaSha1(m) => Digest::from_slice(&m.finalize().into_bytes()),
            Self::RsaSha256(m) => Digest::from_slice(&m.finalize().into_bytes()),
        }
    }

    /// The MAC of `data` under this key, leaving `self` ready for the next message.
    pub fn mac(&self, data: &[u8]) -> Digest {
        let mut m = self.clone();
        m.update(data);
        m.finish()
    }
}

/// The raw signature bytes: the HMAC digest, or for PLAINTEXT the key itself. For an RSA
/// method this is the message digest only: the signature needs the private key
/// ([`super::rsa::sign`]).
pub fn raw_signature(method: SignatureMethod, key: &[u8], base_string: &[u8]) -> Vec<u8> {
    match KeyedMac::new(method, key) {
        Some(m) => m.mac(base_string).as_bytes().to_vec(),
        None => key.to_vec(),
    }
}

/// Writes the raw signature out as `form` says (PLAINTEXT signatures are text already).
pub fn encode_signature(method: SignatureMethod, raw: &[u8], form: OutputForm) -> String {
    if method == SignatureMethod::Plaintext {
        return String::from_utf8_lossy(raw).into_owned();
    }
    match form {
        OutputForm::Base64 => STANDARD.encode(raw),
        OutputForm::UrlsafeBase64 => URL_SAFE.encode(raw),
        OutputForm::Hex => hex::encode(raw),
        OutputForm::Base64OfHex => STANDARD.encode(hex::encode(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiki_hmac_vectors() {
        let sig = |k: &str, b: &str| {
            encode_signature(
                SignatureMethod::HmacSha1,
                &raw_signature(SignatureMethod::HmacSha1, k.as_bytes(), b.as_bytes()),
                OutputForm::Base64,
            )
        };
        assert_eq!(sig("cs&", "bs"), "egQqG5AJep5sJ7anhXju1unge2I=");
        assert_eq!(sig("cs&ts", "bs"), "VZVjXceV7JgPq/dOTnNmEfO0Fv8=");
    }

    #[test]
    fn key_forms() {
        let k = KeyMaterial {
            consumer_key: "ck",
            consumer_secret: "a b",
            token_secret: Some("t&"),
            has_token: true,
        };
        let key = |f| String::from_utf8(signing_key(&k, f)).unwrap();
        assert_eq!(key(KeyForm::Rfc), "a%20b&t%26");
        assert_eq!(key(KeyForm::MissingAmpersand), "a%20bt%26");
        assert_eq!(key(KeyForm::NotEncoded), "a b&t&");
        assert_eq!(key(KeyForm::TokenSecretMissing), "a%20b&");
        assert_eq!(key(KeyForm::Swapped), "ck&t%26");
        let one_legged = KeyMaterial {
            has_token: false,
            ..k
        };
        assert_eq!(
            String::from_utf8(signing_key(&one_legged, KeyForm::Rfc)).unwrap(),
            "a%20b&"
        );
        assert_eq!(
            String::from_utf8(signing_key(&one_legged, KeyForm::TokenSecretIncluded)).unwrap(),
            "a%20b&t%26"
        );
        // The seed thread's client: a pasted trailing space, joined raw with `&`.
        let seed = KeyMaterial {
            consumer_secret: "s+1",
            ..one_legged
        };
        let with = |f: &[KeyForm]| String::from_utf8(signing_key_with(&seed, f)).unwrap();
        assert_eq!(
            with(&[
                KeyForm::Whitespace(crate::rfc5849::Whitespace::TrailingSpace),
                KeyForm::NotEncoded
            ]),
            "s+1 &"
        );
        assert_eq!(with(&[KeyForm::Swapped, KeyForm::MissingAmpersand]), "ck");
    }
}
