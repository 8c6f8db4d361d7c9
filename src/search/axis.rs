//! faults.md's axes: which faults exclude each other, which part of the procedure each
//! lives in (the JSON `category`), and which part of a hypothesis the search varies for it.

use serde::{Serialize, Serializer};

/// A row of faults.md's axis table. Faults of one axis exclude each other, except on the
/// rows of independent switches ([`Axis::is_switches`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Axis {
    /// `METHOD&`.
    Method,
    /// http or https.
    UriScheme,
    /// The port.
    UriPort,
    /// The host.
    UriHost,
    /// The path.
    UriPath,
    /// `?query` in the URI.
    UriQuery,
    /// pct(base_uri).
    UriEncoding,
    /// How the query is split into pairs (switches).
    QueryParsing,
    /// Which parameters are signed (switches).
    ParamSet,
    /// Repeated names.
    RepeatedNames,
    /// How names and values are encoded.
    ParamEncoding,
    /// The bytes of non-ASCII text.
    TextEncoding,
    /// How the pairs are ordered.
    ParamOrder,
    /// pct(normalized).
    ParamString,
    /// The secret text.
    SecretText,
    /// pct() of the key parts.
    KeyEncoding,
    /// How the key parts are joined.
    KeyAssembly,
    /// The hash.
    Hash,
    /// How the digest is written out.
    SignatureOutput,
    /// How the signature travels.
    SignatureTransport,
}

/// Where the search varies a fault: which part of a hypothesis it changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// `METHOD&pct(uri)&`.
    Prefix,
    /// The parameter part of the base string.
    Params,
    /// The signing key.
    Key,
    /// The hash.
    Hash,
    /// How the captured signature is read back (output and transport).
    Captured,
}

impl Axis {
    /// The faults.md name of the axis.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Method => "method",
            Self::UriScheme => "uri scheme",
            Self::UriPort => "uri port",
            Self::UriHost => "uri host",
            Self::UriPath => "uri path",
            Self::UriQuery => "uri query",
            Self::UriEncoding => "uri encoding",
            Self::QueryParsing => "query parsing",
            Self::ParamSet => "parameter set",
            Self::RepeatedNames => "repeated names",
            Self::ParamEncoding => "parameter encoding",
            Self::TextEncoding => "text encoding",
            Self::ParamOrder => "parameter order",
            Self::ParamString => "parameter string",
            Self::SecretText => "secret text",
            Self::KeyEncoding => "key encoding",
            Self::KeyAssembly => "key assembly",
            Self::Hash => "hash",
            Self::SignatureOutput => "signature output",
            Self::SignatureTransport => "signature transport",
        }
    }

    /// Whether the row's faults are independent switches rather than alternatives.
    pub fn is_switches(self) -> bool {
        matches!(self, Self::QueryParsing | Self::ParamSet)
    }

    /// The JSON `category`: the part of the procedure the axis lives in.
    pub fn category(self) -> &'static str {
        match self {
            Self::Method => "method",
            Self::UriScheme
            | Self::UriPort
            | Self::UriHost
            | Self::UriPath
            | Self::UriQuery
            | Self::UriEncoding => "uri",
            Self::SecretText | Self::KeyEncoding | Self::KeyAssembly => "key",
            Self::Hash | Self::SignatureOutput | Self::SignatureTransport => "signature",
            _ => "parameters",
        }
    }

    /// Which part of a hypothesis the axis changes.
    pub fn stage(self) -> Stage {
        match self.category() {
            "method" | "uri" => Stage::Prefix,
            "parameters" => Stage::Params,
            "key" => Stage::Key,
            _ if self == Self::Hash => Stage::Hash,
            _ => Stage::Captured,
        }
    }
}

impl std::fmt::Display for Axis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Axis {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
