//! RFC 5849 section 3.4.3: RSA-SHA1 (and the RSA-SHA256 extension), PKCS#1 v1.5.
//!
//! Jira / Confluence Data Center application links, Bitbucket Server and Magento 1 sign
//! with the client's private key; the server holds only the public key (often as the
//! certificate it was given). Signing and verification go through the `rsa` crate.
//!
//! For the explain search, [`recover_digest`] undoes the one public-key operation on the
//! captured signature and returns the hash it commits to: PKCS#1 v1.5 verification is
//! exactly "does the hash of the base string equal that digest", so each hypothesis then
//! costs one plain SHA hash instead of one RSA operation, and the search needs no secret.

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha1::{Digest as _, Sha1};
use sha2::Sha256;

use super::sign::{Digest, SignatureMethod};

pub use rsa::{RsaPrivateKey as PrivateKey, RsaPublicKey as PublicKey};

/// DER DigestInfo headers (RFC 8017 section 9.2, note 1) before the hash bytes.
const SHA1_INFO: &[u8] = &[
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];
const SHA256_INFO: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Reads a private key: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
pub fn parse_private_key(pem: &str) -> Result<RsaPrivateKey, String> {
    let pem = pem.trim();
    if pem.contains("BEGIN RSA PRIVATE KEY") {
        return RsaPrivateKey::from_pkcs1_pem(pem).map_err(|e| format!("not an RSA key: {e}"));
    }
    if pem.contains("BEGIN ENCRYPTED PRIVATE KEY") {
        return Err("the key is encrypted; decrypt it first (openssl pkey -in KEY.pem)".into());
    }
    RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| format!("not a PEM RSA private key: {e}"))
}

/// Reads a public key: an X.509 certificate, a `BEGIN PUBLIC KEY` (SPKI) or a
/// `BEGIN RSA PUBLIC KEY` (PKCS#1) block. A private key is refused: a server needs only
/// the public half, and a file holding both should not be passed around.
pub fn parse_public_key(pem: &str) -> Result<RsaPublicKey, String> {
    let pem = pem.trim();
    if pem.contains("PRIVATE KEY") {
        return Err("this is a private key; give the certificate or the public key".into());
    }
    if pem.contains("BEGIN CERTIFICATE") {
        let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes())
            .map_err(|e| format!("not a PEM certificate: {e}"))?;
        let cert = block
            .parse_x509()
            .map_err(|e| format!("not an X.509 certificate: {e}"))?;
        return RsaPublicKey::from_public_key_der(cert.public_key().raw)
            .map_err(|e| format!("the certificate's key is not RSA: {e}"));
    }
    if pem.contains("BEGIN RSA PUBLIC KEY") {
        return RsaPublicKey::from_pkcs1_pem(pem).map_err(|e| format!("not an RSA key: {e}"));
    }
    RsaPublicKey::from_public_key_pem(pem).map_err(|e| format!("not a PEM RSA public key: {e}"))
}

/// The message digest an RSA method signs (SHA-1 or SHA-256 of the base string).
pub fn message_digest(method: SignatureMethod, base_string: &[u8]) -> Option<Vec<u8>> {
    match method {
        SignatureMethod::RsaSha1 => Some(Sha1::digest(base_string).to_vec()),
        SignatureMethod::RsaSha256 => Some(Sha256::digest(base_string).to_vec()),
        _ => None,
    }
}

fn scheme(method: SignatureMethod) -> Option<Pkcs1v15Sign> {
    match method {
        SignatureMethod::RsaSha1 => Some(Pkcs1v15Sign::new::<Sha1>()),
        SignatureMethod::RsaSha256 => Some(Pkcs1v15Sign::new::<Sha256>()),
        _ => None,
    }
}

/// Signs a base string (the raw signature bytes; base64 them for `oauth_signature`).
pub fn sign(
    method: SignatureMethod,
    key: &RsaPrivateKey,
    base_string: &[u8],
) -> Result<Vec<u8>, String> {
    let (Some(s), Some(h)) = (scheme(method), message_digest(method, base_string)) else {
        return Err(format!("{} is not an RSA method", method.as_str()));
    };
    key.sign(s, &h)
        .map_err(|e| format!("RSA signing failed: {e}"))
}

/// Verifies raw signature bytes over a base string.
pub fn verify(
    method: SignatureMethod,
    key: &RsaPublicKey,
    base_string: &[u8],
    signature: &[u8],
) -> bool {
    match (scheme(method), message_digest(method, base_string)) {
        (Some(s), Some(h)) => key.verify(s, &h, signature).is_ok(),
        _ => false,
    }
}

/// The hash a signature commits to, and which RSA method made it: the public-key operation
/// `s^e mod n` and a strict PKCS#1 v1.5 type-1 padding check. `None` when the bytes are no
/// valid signature under this key (wrong key, or not an RSA signature at all).
pub fn recover_digest(key: &RsaPublicKey, signature: &[u8]) -> Option<(SignatureMethod, Digest)> {
    let k = key.size();
    if signature.len() != k {
        return None;
    }
    let s = BigUint::from_bytes_be(signature);
    if &s >= key.n() {
        return None;
    }
    let m = s.modpow(key.e(), key.n()).to_bytes_be();
    // Left-pad to the modulus length: EM = 00 01 FF..FF 00 DigestInfo.
    let mut em = vec![0u8; k.checked_sub(m.len())?];
    em.extend_from_slice(&m);
    let rest = em.strip_prefix(&[0x00, 0x01])?;
    let ff = rest.iter().take_while(|b| **b == 0xff).count();
    if ff < 8 {
        return None;
    }
    let info = rest[ff..].strip_prefix(&[0x00])?;
    for (method, header, len) in [
        (SignatureMethod::RsaSha1, SHA1_INFO, 20),
        (SignatureMethod::RsaSha256, SHA256_INFO, 32),
    ] {
        if let Some(h) = info.strip_prefix(header) {
            if h.len() == len {
                return Some((method, Digest::from_slice(h)));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    /// wiki.oauth.net TestCases, section 9.3 (RSA-SHA1); the same key, certificate and
    /// signature are in oauthlib's and the Ruby oauth gem's test suites.
    const PRIVATE: &str = include_str!("../../tests/data/rsa/wiki-testcase-private.pem");
    const CERT: &str = include_str!("../../tests/data/rsa/wiki-testcase-cert.pem");
    const PUBLIC: &str = include_str!("../../tests/data/rsa/wiki-testcase-public.pem");
    const BASE: &str = "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacaction.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D13917289812797014437%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1196666512%26oauth_version%3D1.0%26size%3Doriginal";
    const SIG: &str = "jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=";

    #[test]
    fn wiki_rsa_sha1_vector_signs_and_verifies() {
        let key = parse_private_key(PRIVATE).unwrap();
        let raw = sign(SignatureMethod::RsaSha1, &key, BASE.as_bytes()).unwrap();
        assert_eq!(STANDARD.encode(&raw), SIG);
        let sig = STANDARD.decode(SIG).unwrap();
        for pem in [CERT, PUBLIC] {
            let public = parse_public_key(pem).unwrap();
            assert!(verify(
                SignatureMethod::RsaSha1,
                &public,
                BASE.as_bytes(),
                &sig
            ));
            assert!(!verify(SignatureMethod::RsaSha1, &public, b"GET&x&y", &sig));
            let (m, d) = recover_digest(&public, &sig).unwrap();
            assert_eq!(m, SignatureMethod::RsaSha1);
            assert_eq!(d.as_bytes(), Sha1::digest(BASE.as_bytes()).as_slice());
        }
    }

    #[test]
    fn recovery_agrees_with_the_crate_for_sha256_and_refuses_garbage() {
        let key = parse_private_key(PRIVATE).unwrap();
        let public = parse_public_key(PUBLIC).unwrap();
        let raw = sign(SignatureMethod::RsaSha256, &key, b"base").unwrap();
        assert!(verify(SignatureMethod::RsaSha256, &public, b"base", &raw));
        let (m, d) = recover_digest(&public, &raw).unwrap();
        assert_eq!(m, SignatureMethod::RsaSha256);
        assert_eq!(d.as_bytes(), Sha256::digest(b"base").as_slice());
        assert!(recover_digest(&public, &[7u8; 128]).is_none());
        assert!(recover_digest(&public, &[7u8; 20]).is_none());
        assert!(parse_public_key(PRIVATE).is_err());
        assert!(parse_private_key("nonsense").is_err());
    }
}
