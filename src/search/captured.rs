//! Every way to read the captured `oauth_signature` back into digest bytes.
//!
//! Output and transport faults (urlsafe base64, hex, base64 of hex, an unencoded `+` that
//! arrived as a space, double percent-encoding) happen after the HMAC. Undoing them on the
//! one captured signature, instead of redoing them on every computed digest, makes them
//! free: each computed MAC is compared with this short list of decodings.

use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use super::switch::{Switch, Transport};
use crate::request::{Origin, Request};
use crate::rfc5849::encode::decode;
use crate::rfc5849::{Digest, OutputForm};

/// One reading of the captured signature.
#[derive(Clone, Debug)]
pub struct Decoding {
    /// The digest bytes it stands for (HMAC methods).
    pub digest: Digest,
    /// The signature text after undoing the transport (PLAINTEXT compares this).
    pub text: String,
    /// The output and transport switches this reading assumes (empty: RFC).
    pub switches: Vec<Switch>,
    /// For a cut signature ([`super::prefix`]): how many leading bits `digest` holds.
    pub prefix_bits: Option<usize>,
}

impl Decoding {
    /// A reading of a cut signature: only the first `bits` bits of `digest` are known.
    pub fn prefix(digest: Digest, bits: usize, text: String, switches: Vec<Switch>) -> Self {
        Self {
            digest,
            text,
            switches,
            prefix_bits: Some(bits),
        }
    }

    /// Whether a computed MAC is this reading.
    #[inline]
    pub fn matches(&self, mac: &[u8]) -> bool {
        match self.prefix_bits {
            None => self.digest.as_bytes() == mac,
            Some(bits) => super::prefix::leading_bits_equal(self.digest.as_bytes(), bits, mac),
        }
    }

    /// Whether a MAC of `len` bytes could be this reading.
    pub fn fits(&self, len: usize) -> bool {
        match self.prefix_bits {
            None => self.digest.as_bytes().len() == len,
            Some(bits) => bits < len * 8 + 8,
        }
    }
}

/// The kept part of the captured signature when the paste cut it short.
pub fn cut_signature(req: &Request) -> Option<String> {
    let p = req.param("oauth_signature")?;
    let declared = req
        .param_str("oauth_signature_method")
        .as_deref()
        .and_then(crate::rfc5849::SignatureMethod::parse);
    super::prefix::cut(&String::from_utf8_lossy(&p.value), declared)
}

/// URL-safe alphabet, padding optional (Python pads, JavaScript libraries often do not).
const URLSAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// All readings of the request's `oauth_signature`, cheapest (fewest faults) first.
pub fn decodings(req: &Request) -> Vec<Decoding> {
    let Some(p) = req.param("oauth_signature") else {
        return Vec::new();
    };
    if let Some(kept) = cut_signature(req) {
        return super::prefix::decodings(&kept, p.origin);
    }
    let value = String::from_utf8_lossy(&p.value).into_owned();
    let mut texts: Vec<(String, Option<Switch>)> = vec![(value.clone(), None)];
    if p.origin != Origin::Header && value.contains(' ') {
        texts.push((
            value.replace(' ', "+"),
            Some(Switch::Transport(Transport::NotPercentEncoded)),
        ));
    }
    if value.contains('%') {
        let once = String::from_utf8_lossy(&decode(value.as_bytes(), false)).into_owned();
        if once != value {
            texts.push((
                once,
                Some(Switch::Transport(Transport::DoublePercentEncoded)),
            ));
        }
    }
    let mut out = Vec::new();
    for (text, transport) in texts {
        let base: Vec<Switch> = transport.into_iter().collect();
        let mut push = |bytes: Vec<u8>, output: Option<OutputForm>| {
            let mut switches = base.clone();
            switches.extend(output.map(Switch::Output));
            out.push(Decoding {
                digest: Digest::from_slice(&bytes),
                text: text.clone(),
                switches,
                prefix_bits: None,
            });
        };
        let std = STANDARD.decode(text.as_bytes()).ok();
        match &std {
            Some(b) => push(b.clone(), None),
            // PLAINTEXT signatures are not base64: keep the text for key comparison.
            None => push(Vec::new(), None),
        }
        if text.contains(['-', '_']) {
            if let Ok(b) = URLSAFE.decode(text.as_bytes()) {
                push(b, Some(OutputForm::UrlsafeBase64));
            }
        }
        if text.len() % 2 == 0 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            if let Ok(b) = hex::decode(&text) {
                push(b, Some(OutputForm::Hex));
            }
        }
        if let Some(b) = std {
            if b.len() % 2 == 0 && b.iter().all(u8::is_ascii_hexdigit) {
                if let Ok(h) = hex::decode(&b) {
                    push(h, Some(OutputForm::Base64OfHex));
                }
            }
        }
    }
    out.sort_by_key(|d| d.switches.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(q: &str) -> Request {
        Request::new("GET", &format!("https://h/p?{q}"), vec![], None).unwrap()
    }

    #[test]
    fn reads_every_form() {
        // 20 bytes 0xfb...: standard base64 has `+`/`/`, urlsafe `-`/`_`.
        let raw = [0xfbu8; 20];
        let std = STANDARD.encode(raw);
        let safe = base64::engine::general_purpose::URL_SAFE.encode(raw);
        let hexed = hex::encode(raw);
        let b64hex = STANDARD.encode(&hexed);
        for (q, fault) in [
            (
                format!(
                    "oauth_signature={}",
                    crate::rfc5849::encode::pct(std.as_bytes())
                ),
                None,
            ),
            (
                format!("oauth_signature={safe}"),
                Some("sig-urlsafe-base64"),
            ),
            (format!("oauth_signature={hexed}"), Some("sig-hex")),
            (
                format!(
                    "oauth_signature={}",
                    crate::rfc5849::encode::pct(b64hex.as_bytes())
                ),
                Some("sig-base64-of-hex"),
            ),
            (
                format!("oauth_signature={std}"),
                Some("sig-not-percent-encoded"),
            ),
        ] {
            let d = decodings(&req(&q));
            let hit = d
                .iter()
                .find(|d| d.digest.as_bytes() == raw)
                .unwrap_or_else(|| panic!("{q}"));
            let ids: Vec<_> = hit.switches.iter().map(|s| s.fault().as_str()).collect();
            assert_eq!(ids, fault.into_iter().collect::<Vec<_>>(), "{q}");
        }
    }
}
