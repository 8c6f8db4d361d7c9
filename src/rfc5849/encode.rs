//! RFC 5849 section 3.6 percent-encoding, and the client encoders that get it wrong.
//!
//! Every encoder the search needs is a [`Encoding`] of one routine, so the RFC encoder and
//! its faulty twins cannot drift apart. Inputs are bytes: a value percent-decoded from the
//! wire need not be UTF-8, and re-encoding it must give back the same bytes.

use percent_encoding::percent_decode;

/// RFC 3986 unreserved characters stay as they are; everything else is `%XX`.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// How a client percent-encodes a name or value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// RFC 5849 section 3.6: unreserved kept, upper-case hex.
    #[default]
    Rfc,
    /// Upper-case hex digits replaced by lower-case (.NET `HttpUtility.UrlEncode`).
    LowercaseHex,
    /// `! * ' ( )` left as they are (JavaScript `encodeURIComponent`).
    ReservedUnencoded,
    /// Form encoding: a space becomes `+` (Python `urlencode`, Java `URLEncoder`).
    PlusForSpace,
}

/// Percent-encodes `bytes` the RFC 5849 way.
pub fn pct(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3 / 2);
    pct_into(&mut out, bytes, Encoding::Rfc);
    out
}

/// Appends `bytes` percent-encoded with `encoding` to `out`, without allocating.
pub fn pct_into(out: &mut String, bytes: &[u8], encoding: Encoding) {
    const UPPER: &[u8; 16] = b"0123456789ABCDEF";
    const LOWER: &[u8; 16] = b"0123456789abcdef";
    let hex = if encoding == Encoding::LowercaseHex {
        LOWER
    } else {
        UPPER
    };
    for &b in bytes {
        let keep = is_unreserved(b)
            || (encoding == Encoding::ReservedUnencoded
                && matches!(b, b'!' | b'*' | b'\'' | b'(' | b')'));
        if keep {
            out.push(b as char);
        } else if b == b' ' && encoding == Encoding::PlusForSpace {
            out.push('+');
        } else {
            out.push('%');
            out.push(hex[usize::from(b >> 4)] as char);
            out.push(hex[usize::from(b & 15)] as char);
        }
    }
}

/// Percent-decodes `text`; with `plus_is_space`, `+` means a space first (query strings and
/// form bodies, per the HTML form rules RFC 5849 section 3.4.1.3.1 relies on).
///
/// Malformed escapes (`%G1`, a lone `%`) are kept literally, as every common server does.
pub fn decode(text: &[u8], plus_is_space: bool) -> Vec<u8> {
    if plus_is_space && text.contains(&b'+') {
        let replaced: Vec<u8> = text
            .iter()
            .map(|&b| if b == b'+' { b' ' } else { b })
            .collect();
        percent_decode(&replaced).collect()
    } else {
        percent_decode(text).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_keeps_only_unreserved() {
        assert_eq!(pct(b"Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
        assert_eq!(pct(b"An encoded string!"), "An%20encoded%20string%21");
        assert_eq!(pct(b"Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice");
        assert_eq!(pct("☃".as_bytes()), "%E2%98%83");
        assert_eq!(pct(b"-._~azAZ09"), "-._~azAZ09");
    }

    #[test]
    fn faulty_encoders_differ_where_they_should() {
        let mut s = String::new();
        pct_into(&mut s, b"a b!*/", Encoding::LowercaseHex);
        assert_eq!(s, "a%20b%21%2a%2f");
        s.clear();
        pct_into(&mut s, b"a b!*'()", Encoding::ReservedUnencoded);
        assert_eq!(s, "a%20b!*'()");
        s.clear();
        pct_into(&mut s, b"a b+", Encoding::PlusForSpace);
        assert_eq!(s, "a+b%2B");
    }

    #[test]
    fn decode_handles_plus_and_bad_escapes() {
        assert_eq!(decode(b"a+b%20c", true), b"a b c");
        assert_eq!(decode(b"a+b", false), b"a+b");
        assert_eq!(decode(b"100%", true), b"100%");
        assert_eq!(decode(b"%ff", false), vec![0xff]);
    }
}
