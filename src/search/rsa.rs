//! The explain search for RSA-SHA1 / RSA-SHA256, with the public key only.
//!
//! Each reading of the captured signature (base64, urlsafe, hex...) is opened once with the
//! public key ([`crate::rfc5849::rsa::recover_digest`]); what comes out is the hash the
//! client signed. The search then hashes each hypothesis's base string, exactly as for
//! HMAC but with no key, and compares: the same hypothesis space, no secret at all.

use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use super::captured::{self, Decoding};
use super::engine::HashChoice;
use super::switch::Switch;
use crate::request::Request;
use crate::rfc5849::rsa::{recover_digest, PublicKey};
use crate::rfc5849::{OutputForm, SignatureMethod};

const URLSAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The full signature bytes a reading stands for (the shared decodings keep only a short
/// digest, enough for HMAC, not the 128 to 512 bytes of an RSA signature).
fn full_bytes(d: &Decoding) -> Option<Vec<u8>> {
    let output = d.switches.iter().find_map(|s| match s {
        Switch::Output(o) => Some(*o),
        _ => None,
    });
    let text = d.text.as_bytes();
    match output {
        None | Some(OutputForm::Base64) => STANDARD.decode(text).ok(),
        Some(OutputForm::UrlsafeBase64) => URLSAFE.decode(text).ok(),
        Some(OutputForm::Hex) => hex::decode(text).ok(),
        Some(OutputForm::Base64OfHex) => hex::decode(STANDARD.decode(text).ok()?).ok(),
    }
}

/// Every reading of the captured signature that is a valid RSA signature under `key`,
/// with the digest it commits to (and which hash made it).
pub fn decodings(req: &Request, key: &PublicKey) -> Vec<Decoding> {
    let mut out: Vec<Decoding> = Vec::new();
    for d in captured::decodings(req) {
        let Some(bytes) = full_bytes(&d) else {
            continue;
        };
        if let Some((_, digest)) = recover_digest(key, &bytes) {
            if out.iter().all(|o| o.switches != d.switches) {
                out.push(Decoding { digest, ..d });
            }
        }
    }
    out
}

/// The declared RSA hash at no cost, the other one as `sig-method-mismatch`.
pub fn hash_choices(declared: SignatureMethod) -> Vec<HashChoice> {
    let mut v = vec![HashChoice {
        method: declared,
        switch: None,
    }];
    for m in SignatureMethod::RSAS {
        if m != declared {
            v.push(HashChoice {
                method: m,
                switch: Some(Switch::Hash(m)),
            });
        }
    }
    v
}
