//! The two impure inputs of a signature, the clock and a nonce, kept out of the pure
//! RFC 5849 core and shared by every command that signs or verifies.

use rand::distributions::{Alphanumeric, DistString};

/// Seconds since the Unix epoch by the system clock (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Nonce length: inside every stock validator's bounds. oauthlib's default
/// `RequestValidator` takes 20 to 30 characters of `[A-Za-z0-9]` (`nonce_length`,
/// `safe_characters`); PECL `OAuthProvider`, the Ruby oauth gem, Perl Net::OAuth and
/// passport-http-oauth take any length. 26 alphanumerics carry 154 bits: unguessable.
pub const NONCE_LEN: usize = 26;

/// A fresh nonce every stock verifier accepts, safe unencoded in every placement.
pub fn random_nonce() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), NONCE_LEN)
}

#[cfg(test)]
mod tests {
    /// oauthlib's bounds, as its `RequestValidator.check_nonce` states them.
    #[test]
    fn nonce_fits_oauthlib_defaults() {
        for _ in 0..100 {
            let n = super::random_nonce();
            assert!((20..=30).contains(&n.len()), "{n}");
            assert!(n.bytes().all(|b| b.is_ascii_alphanumeric()), "{n}");
        }
        // Integer seconds, 10 digits: oauthlib refuses any other timestamp size.
        assert_eq!(super::unix_now().to_string().len(), 10);
    }
}
