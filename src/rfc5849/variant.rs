//! The switches of the one signing procedure.
//!
//! RFC 5849 is [`Variant::default()`]: every switch off. Each client fault of faults.md, and
//! each way a server may rebuild the URL, is one non-default value of one field here, so
//! `sign`, `serve`, `probe` and `explain`'s search all run the same procedure and differ only
//! in the switches they set. The fields follow faults.md's axes: within an axis at most one
//! alternative applies, axes combine freely.

/// How the method enters the base string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum MethodForm {
    /// `UPPER(method)&`.
    #[default]
    Upper,
    /// No `METHOD&` prefix at all (method-missing).
    Missing,
    /// The method lower-cased (method-lowercase).
    Lowercase,
    /// GET signed for POST and POST for anything else (method-mismatch).
    Swapped,
    /// GET signed for a method that is neither GET nor POST (method-mismatch, the second
    /// variant for PUT, DELETE...).
    AsGet,
}

/// Which port the base string URI carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PortForm {
    /// RFC: the default port of the scheme dropped, any other kept.
    #[default]
    Rfc,
    /// The scheme's default port written out (`:443`) whether or not the URL has it.
    DefaultKept,
    /// A non-default port dropped (`:8443` lost).
    Dropped,
    /// Exactly the port as written, default or not (a server signing its configured
    /// Base Address literally; for a URL with `:443` this is what `DefaultKept` gives).
    AsWritten,
}

/// Which host the base string URI carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum HostForm {
    /// RFC: the host lower-cased.
    #[default]
    Lower,
    /// The host with its case as written (uri-host-case).
    AsSent,
    /// The n-th host alias of the [`super::Context`], lower-cased (uri-host).
    Alias(u8),
}

/// Which path the base string URI carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum PathForm {
    /// RFC: the path as sent, `/` when empty.
    #[default]
    AsSent,
    /// A trailing `/` added or removed; an empty path signed as empty.
    TrailingSlashToggled,
    /// Only the first `n` bytes of the path (a prefix ending in `/`: the API root).
    Prefix(u16),
    /// The path lower-cased too (host and scheme are lower-case anyway).
    Lowercase,
    /// The path percent-decoded before signing (`/a%20b` signed as `/a b`).
    Decoded,
}

/// How the base string URI is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct UriForm {
    /// http signed for https or the reverse (uri-scheme).
    pub scheme_flipped: bool,
    /// Port rule.
    pub port: PortForm,
    /// Host rule.
    pub host: HostForm,
    /// Path rule.
    pub path: PathForm,
    /// `?query` (without the oauth_* pairs) and `#fragment` kept in the URI (uri-query-included).
    pub query_included: bool,
    /// The URI not percent-encoded in the base string (uri-not-encoded).
    pub not_encoded: bool,
}

/// Whether, and how, `oauth_signature` itself got into the signed parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SignatureIncluded {
    /// As `oauth_signature=` with an empty value.
    Empty,
    /// With the (stale) value the request carries.
    AsSent,
}

/// Which parameters are signed: the parameter-set switches of faults.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ParamSet {
    /// Non-oauth query parameters left out.
    pub query_omitted: bool,
    /// Non-oauth form body parameters left out.
    pub body_omitted: bool,
    /// Parameters with empty values left out.
    pub empty_dropped: bool,
    /// `oauth_signature` signed too.
    pub signature_included: Option<SignatureIncluded>,
    /// `realm` from the Authorization header signed too.
    pub realm_included: bool,
    /// `oauth_version=1.0` signed although not sent, or sent but not signed.
    pub version_toggled: bool,
    /// `oauth_token=` (empty) signed although the request carries no oauth_token.
    pub empty_token_signed: bool,
}

/// How the client's parser split the query string (the switches of faults.md's "query
/// parsing" row; the form body is never affected).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct QueryParsing {
    /// `;` separates pairs too (Ruby `CGI.parse`).
    pub semicolon_split: bool,
    /// A value ends at its first raw `=` (`split('=')[1]`).
    pub cut_at_equals: bool,
}

/// What happens to a name that occurs more than once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Duplicates {
    /// RFC: every value signed.
    #[default]
    All,
    /// Only the first value, at the first position.
    First,
    /// Only the last value, at the position of the first occurrence (a map's insertion
    /// order).
    Last,
    /// The k-th occurrence of a repeated query name `n` signed as `n[k]`.
    Indexed,
}

/// How names and values are encoded before joining.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ParamEncoding {
    /// RFC: pct of the decoded bytes.
    #[default]
    Rfc,
    /// Form encoding: space as `+` (params-plus-for-space).
    PlusForSpace,
    /// A `+` on the wire kept as a literal plus (params-plus-literal).
    PlusLiteral,
    /// Lower-case hex digits (params-lowercase-hex).
    LowercaseHex,
    /// `! * ' ( )` unencoded (params-reserved-unencoded).
    ReservedUnencoded,
    /// Not encoded at all before joining (params-not-encoded).
    NotEncoded,
    /// The wire form encoded again (params-double-encoded).
    DoubleEncoded,
    /// Values percent-decoded twice (params-over-decoded).
    OverDecoded,
}

/// How the pairs are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ParamOrder {
    /// RFC: by encoded name, then encoded value, byte order.
    #[default]
    Rfc,
    /// As they appear on the wire (query, header, body).
    Unsorted,
    /// By decoded name, then decoded value.
    SortedRaw,
    /// The whole `name=value` strings sorted.
    SortedAsStrings,
    /// Names compared ignoring case.
    CaseInsensitive,
    /// A stable sort by encoded name alone: repeated names keep their wire order.
    ByNameOnly,
}

/// How the normalized parameter string is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct ParamForm {
    /// How the query was split into pairs.
    pub parsing: QueryParsing,
    /// Which parameters.
    pub set: ParamSet,
    /// Repeated names.
    pub duplicates: Duplicates,
    /// Their encoding.
    pub encoding: ParamEncoding,
    /// Each UTF-8 byte taken as a Latin-1 character and UTF-8 encoded again before the
    /// encoding (Perl Net::OAuth).
    pub utf8_double_encoded: bool,
    /// Their order.
    pub order: ParamOrder,
    /// The joined string not percent-encoded in the base string.
    pub string_not_encoded: bool,
}

/// The complete base-string switches: method, URI and parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Variant {
    /// Method rule.
    pub method: MethodForm,
    /// URI rules.
    pub uri: UriForm,
    /// Parameter rules.
    pub params: ParamForm,
}

/// Whitespace the client's copy of the secret had, relative to the one given to sigdoctor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Whitespace {
    /// The client's secret had no surrounding whitespace; the given one has.
    Trimmed,
    /// A trailing space was added.
    TrailingSpace,
    /// A trailing tab was added.
    TrailingTab,
    /// A trailing `\n` was added.
    TrailingNewline,
    /// A trailing `\r\n` was added.
    TrailingCrLf,
    /// A leading space was added.
    LeadingSpace,
    /// A leading tab was added.
    LeadingTab,
    /// A leading `\n` was added.
    LeadingNewline,
    /// A leading `\r\n` was added.
    LeadingCrLf,
}

impl Whitespace {
    /// Every alternative, in the order the field sees them.
    pub const ALL: [Self; 9] = [
        Self::TrailingSpace,
        Self::Trimmed,
        Self::TrailingNewline,
        Self::TrailingCrLf,
        Self::TrailingTab,
        Self::LeadingSpace,
        Self::LeadingTab,
        Self::LeadingNewline,
        Self::LeadingCrLf,
    ];

    /// Applies the edit to a secret.
    pub fn apply(self, secret: &str) -> String {
        match self {
            Self::Trimmed => secret.trim().to_string(),
            Self::TrailingSpace => format!("{secret} "),
            Self::TrailingTab => format!("{secret}\t"),
            Self::TrailingNewline => format!("{secret}\n"),
            Self::TrailingCrLf => format!("{secret}\r\n"),
            Self::LeadingSpace => format!(" {secret}"),
            Self::LeadingTab => format!("\t{secret}"),
            Self::LeadingNewline => format!("\n{secret}"),
            Self::LeadingCrLf => format!("\r\n{secret}"),
        }
    }

    /// Words for reports ("a trailing space").
    pub fn describe(self) -> &'static str {
        match self {
            Self::Trimmed => "no surrounding whitespace (the secret you gave has some)",
            Self::TrailingSpace => "a trailing space",
            Self::TrailingTab => "a trailing tab",
            Self::TrailingNewline => "a trailing newline",
            Self::TrailingCrLf => "a trailing CR LF",
            Self::LeadingSpace => "a leading space",
            Self::LeadingTab => "a leading tab",
            Self::LeadingNewline => "a leading newline",
            Self::LeadingCrLf => "a leading CR LF",
        }
    }
}

/// How the signing key is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum KeyForm {
    /// RFC: `pct(consumer_secret)&pct(token_secret)`, the token secret only with a token.
    #[default]
    Rfc,
    /// No `&` between the parts (key-missing-ampersand).
    MissingAmpersand,
    /// The consumer secret with whitespace changed (key-secret-whitespace).
    Whitespace(Whitespace),
    /// The consumer key in place of the consumer secret (key-swapped).
    Swapped,
    /// The secrets not percent-encoded (key-not-encoded).
    NotEncoded,
    /// A token secret used although the request carries no token (key-token-secret-included).
    TokenSecretIncluded,
    /// The token secret left out although the request carries a token (key-token-secret-missing).
    TokenSecretMissing,
}

/// How the digest is written out as the signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum OutputForm {
    /// RFC: standard base64, padded.
    #[default]
    Base64,
    /// The URL-safe alphabet (`-`, `_`), padded as Python's `urlsafe_b64encode` does.
    UrlsafeBase64,
    /// Lower-case hex digest.
    Hex,
    /// Base64 of the lower-case hex digest string.
    Base64OfHex,
}
