//! The two impure inputs of a signature, the clock and a nonce, kept out of the pure
//! RFC 5849 core and shared by every command that signs or verifies.

use rand::distributions::{Alphanumeric, DistString};

/// Seconds since the Unix epoch by the system clock (0 if the clock is before 1970).
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// 32 random alphanumeric characters: unguessable and safe in every placement.
pub fn random_nonce() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 32)
}
