//! A signature cut short in a paste (`OjENMgFp9o<truncated>`, `OjENMgFp9o...`): matched by
//! its leading bits.
//!
//! Forum posts redact the end of the signature, yet ten base64 characters are 60 bits, far
//! more than any search space: the prefix still singles out the client's mistake. Each
//! reading of the prefix (base64, urlsafe, hex, base64 of hex) becomes the leading bits a
//! computed digest must start with, so the search stays one HMAC per hypothesis.

use super::captured::Decoding;
use super::switch::{Switch, Transport};
use crate::request::Origin;
use crate::rfc5849::encode::decode;
use crate::rfc5849::{Digest, OutputForm, SignatureMethod};

/// What people write where they cut a signature, longest first.
const MARKERS: [&str; 6] = [
    "<truncated>",
    "[truncated]",
    "(truncated)",
    "<snip>",
    "...",
    "\u{2026}",
];

/// Fewest characters worth matching: below 24 bits, chance hits crowd out the answer.
pub const MIN_CHARS: usize = 4;

/// The kept part of a cut signature, or `None` when the signature looks whole.
///
/// Cut: it ends in a marker, or (unmarked) it is base64-shaped, at least [`MIN_CHARS`] long
/// and shorter than the declared method's shortest full writing (unpadded base64).
pub fn cut(value: &str, declared: Option<SignatureMethod>) -> Option<String> {
    let t = value.trim_end();
    for m in MARKERS {
        if let Some(kept) = t.strip_suffix(m) {
            return Some(kept.trim_end().to_string());
        }
    }
    let m = declared.filter(|m| *m != SignatureMethod::Plaintext)?;
    let shortest = (m.digest_len() * 8).div_ceil(6);
    let b64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | ' ');
    // Unmarked, a few characters are more likely a wrong signature than a cut one.
    (t.len() >= MIN_CHARS && t.len() < shortest && !t.contains('=') && t.chars().all(b64))
        .then(|| t.to_string())
}

/// Every reading of a cut signature, fewest faults first; empty when too short to match.
pub fn decodings(kept: &str, origin: Origin) -> Vec<Decoding> {
    // A cut can split an escape (`...%2`): the broken tail says nothing.
    let kept = match kept.rfind('%') {
        Some(i) if kept.len() - i < 3 => &kept[..i],
        _ => kept,
    };
    let mut texts: Vec<(String, Option<Switch>)> = vec![(kept.to_string(), None)];
    if origin != Origin::Header && kept.contains(' ') {
        texts.push((
            kept.replace(' ', "+"),
            Some(Switch::Transport(Transport::NotPercentEncoded)),
        ));
    }
    if kept.contains('%') {
        let once = String::from_utf8_lossy(&decode(kept.as_bytes(), false)).into_owned();
        texts.push((
            once,
            Some(Switch::Transport(Transport::DoublePercentEncoded)),
        ));
    }
    let mut out = Vec::new();
    for (text, transport) in texts {
        if text.chars().count() < MIN_CHARS {
            continue;
        }
        let mut push = |bits: Bits, output: Option<OutputForm>| {
            let mut switches: Vec<Switch> = transport.into_iter().collect();
            switches.extend(output.map(Switch::Output));
            out.push(Decoding::prefix(
                Digest::from_slice(&bits.bytes),
                bits.len,
                text.clone(),
                switches,
            ));
        };
        let std = sextets(&text, |c| match c {
            b'+' => Some(62),
            b'/' => Some(63),
            _ => alnum(c),
        });
        if let Some(b) = &std {
            push(b.clone(), None);
        }
        if text.contains(['-', '_']) {
            let safe = sextets(&text, |c| match c {
                b'-' => Some(62),
                b'_' => Some(63),
                _ => alnum(c),
            });
            if let Some(b) = safe {
                push(b, Some(OutputForm::UrlsafeBase64));
            }
        }
        if let Some(b) = nibbles(text.as_bytes()) {
            push(b, Some(OutputForm::Hex));
        }
        if let Some(b) = std.and_then(|b| nibbles(&b.bytes[..b.len / 8])) {
            if b.len >= MIN_CHARS * 4 {
                push(b, Some(OutputForm::Base64OfHex));
            }
        }
    }
    out.sort_by_key(|d| d.switches.len());
    out
}

/// Whether the first `bits` bits of `mac` are those of `want` (`want` holds at least
/// `bits.div_ceil(8)` bytes). A prefix longer than the digest's full writing cannot match.
pub fn leading_bits_equal(want: &[u8], bits: usize, mac: &[u8]) -> bool {
    let full = mac.len() * 8;
    if bits >= full + 8 {
        return false;
    }
    let bits = bits.min(full);
    let bytes = bits / 8;
    if want.get(..bytes) != mac.get(..bytes) {
        return false;
    }
    let rest = bits % 8;
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (want.get(bytes), mac.get(bytes)) {
        (Some(a), Some(b)) => a & mask == b & mask,
        _ => false,
    }
}

/// Packed leading bits, most significant first.
#[derive(Clone, Debug, Default)]
struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    fn push(&mut self, value: u8, width: usize) {
        for i in (0..width).rev() {
            if self.len % 8 == 0 {
                self.bytes.push(0);
            }
            if value >> i & 1 == 1 {
                if let Some(last) = self.bytes.last_mut() {
                    *last |= 0x80 >> (self.len % 8);
                }
            }
            self.len += 1;
        }
    }
}

fn alnum(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        _ => None,
    }
}

/// 6 bits per character under `alphabet`, up to any `=`; `None` on a foreign character.
fn sextets(text: &str, alphabet: impl Fn(u8) -> Option<u8>) -> Option<Bits> {
    let mut bits = Bits::default();
    for c in text.trim_end_matches('=').bytes() {
        bits.push(alphabet(c)?, 6);
    }
    (bits.len / 8 <= 64).then_some(bits)
}

/// 4 bits per hex digit; `None` unless every byte is one.
fn nibbles(text: &[u8]) -> Option<Bits> {
    if text.is_empty() || text.len() > 128 {
        return None;
    }
    let mut bits = Bits::default();
    for &c in text {
        bits.push(char::from(c).to_digit(16)? as u8, 4);
    }
    Some(bits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn markers_and_short_signatures_are_cuts() {
        let sha1 = Some(SignatureMethod::HmacSha1);
        assert_eq!(
            cut("OjENMgFp9o<truncated>", sha1).as_deref(),
            Some("OjENMgFp9o")
        );
        assert_eq!(cut("OjENMgFp9o...", None).as_deref(), Some("OjENMgFp9o"));
        assert_eq!(
            cut("OjENMgFp9o\u{2026}", sha1).as_deref(),
            Some("OjENMgFp9o")
        );
        assert_eq!(cut("OjENMgFp9o", sha1).as_deref(), Some("OjENMgFp9o"));
        assert_eq!(cut("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", sha1), None);
        assert_eq!(cut("tR3-Ty81lMeYAr_Fid0kMTYa_WM", sha1), None);
        assert_eq!(cut("b51dfe4f2f3594c79802bfc589dd2431361afd63", sha1), None);
        assert_eq!(cut("secret&", Some(SignatureMethod::Plaintext)), None);
        assert_eq!(cut("abc", sha1), None);
    }

    #[test]
    fn a_prefix_matches_its_digest_in_every_writing() {
        // The RFC 5849 section 1.2 digest.
        let raw = base64::engine::general_purpose::STANDARD
            .decode("tR3+Ty81lMeYAr/Fid0kMTYa/WM=")
            .unwrap();
        let mut other = raw.clone();
        other[2] ^= 1;
        for (kept, ids) in [
            ("tR3+Ty81lM", vec![]),
            ("tR3-Ty81lM", vec!["sig-urlsafe-base64"]),
            ("b51dfe4f2f35", vec!["sig-hex"]),
            ("tR3 Ty81", vec!["sig-not-percent-encoded"]),
            ("tR3%2BTy8", vec!["sig-double-percent-encoded"]),
            ("tR3+Ty81lM%2", vec![]),
        ] {
            let d = decodings(kept, Origin::Query);
            let hit = d
                .iter()
                .find(|d| d.matches(&raw))
                .unwrap_or_else(|| panic!("{kept}"));
            let got: Vec<_> = hit.switches.iter().map(|s| s.fault().as_str()).collect();
            assert_eq!(got, ids, "{kept}");
            assert!(!d
                .iter()
                .any(|d| d.switches == hit.switches && d.matches(&other)));
        }
        assert!(decodings("tR3", Origin::Query).is_empty());
    }
}
