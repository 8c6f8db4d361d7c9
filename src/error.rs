//! The one error type, and the exit codes every command shares.
//!
//! A negative finding ("no hypothesis matched", "the server refused") is not an error: it is
//! an outcome inside a report. Errors are for input we cannot read and networks we cannot
//! reach; each renders as one line that says what is wrong and where.

use std::fmt;

/// Exit codes (SPEC section 2). explain: 0 valid, 1 explained, 3 unexplained,
/// 5 unverifiable. probe/check: 0 ok, 1 mismatch, 3 inconclusive, 4 unreachable.
pub mod exit {
    /// Everything is as it should be (a valid signature, an authenticated request).
    pub const OK: u8 = 0;
    /// A problem was found and explained.
    pub const FOUND: u8 = 1;
    /// Bad input or usage.
    pub const USAGE: u8 = 2;
    /// Nothing explained the failure (unexplained, inconclusive).
    pub const INCONCLUSIVE: u8 = 3;
    /// The network or TLS failed before any answer could be judged.
    pub const UNREACHABLE: u8 = 4;
    /// Nothing could be verified (explain without a secret): not "valid", which is 0.
    pub const UNVERIFIABLE: u8 = 5;
}

/// Everything that stops a command before it can report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input that cannot be read as a request, a secret or a flag value (exit 2).
    #[error("{0}")]
    Input(String),
    /// A network or TLS failure: nothing answered that could be judged (exit 4).
    #[error("{0}")]
    Network(String),
    /// A local I/O failure (binding a port, reading a file that exists but fails).
    #[error("{0}")]
    Io(String),
}

impl Error {
    /// An [`Error::Input`] from anything displayable.
    pub fn input(msg: impl fmt::Display) -> Self {
        Self::Input(msg.to_string())
    }

    /// An [`Error::Network`] from anything displayable.
    pub fn network(msg: impl fmt::Display) -> Self {
        Self::Network(msg.to_string())
    }

    /// The process exit code this error maps to.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Input(_) => exit::USAGE,
            Self::Network(_) => exit::UNREACHABLE,
            Self::Io(_) => exit::USAGE,
        }
    }

    /// The message on one line: embedded newlines would break the "one line" promise.
    pub fn one_line(&self) -> String {
        self.to_string().replace(['\n', '\r'], " ")
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
