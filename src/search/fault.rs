//! The client faults of faults.md as one table: per fault its stable id, its axis, the
//! switch of the RFC 5849 core it sets, the switches the search tries, the fix, the RFC rule
//! it breaks and the library behaviour behind it. A new fault is one row here plus its
//! switch in `src/rfc5849`; the search, the ranking and the messages read everything else
//! from this table.
//!
//! The ids are the public contract (SPEC section 4): [`Fault::as_str`] and serde give the
//! exact kebab-case strings.

use serde::{Serialize, Serializer};

pub use super::axis::{Axis, Stage};
use super::switch::{Switch, Transport};
use crate::rfc5849::{
    Duplicates, HostForm, KeyForm, MethodForm, OutputForm, ParamEncoding, ParamOrder, PathForm,
    PortForm, SignatureIncluded,
};

macro_rules! faults {
    ($(
        $variant:ident = $id:literal, $axis:ident, switch $switch:pat, try [$($try:expr),*],
        fix $fix:literal, rule $rule:literal, by $by:literal;
    )*) => {
        /// A client fault of faults.md.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Fault {
            $(
                #[doc = concat!("`", $id, "`: see faults.md.")]
                $variant,
            )*
        }

        impl Fault {
            /// Every fault, most frequent in the field first (the order is the rank).
            pub const ALL: &'static [Fault] = &[$(Fault::$variant),*];

            /// The stable kebab-case id.
            pub fn as_str(self) -> &'static str {
                match self { $(Fault::$variant => $id,)* }
            }

            /// The faults.md axis.
            pub fn axis(self) -> Axis {
                match self { $(Fault::$variant => Axis::$axis,)* }
            }

            /// What to change in the client.
            pub fn fix(self) -> &'static str {
                match self { $(Fault::$variant => $fix,)* }
            }

            /// What RFC 5849 does instead, for messages ("" where the message is built
            /// from the bytes alone).
            pub fn rule(self) -> &'static str {
                match self { $(Fault::$variant => $rule,)* }
            }

            /// The library behaviour behind the fault, so users recognise their tool ("" if
            /// no single library is known for it).
            pub fn behaviour(self) -> &'static str {
                match self { $(Fault::$variant => $by,)* }
            }

            /// The switches the search tries for this fault, most frequent first (faults
            /// whose alternatives depend on the request, such as host aliases, path
            /// prefixes or whitespace, give one template the search expands).
            pub fn tries(self) -> &'static [Switch] {
                match self { $(Fault::$variant => &[$($try),*],)* }
            }

            /// The fault a switch is reported under (the compiler checks every switch has
            /// one).
            pub fn of_switch(s: Switch) -> Fault {
                match s { $($switch => Fault::$variant,)* }
            }
        }
    };
}

// Order = field frequency, most frequent first (faults.md evidence: Alteryx forum threads
// first, then the issue trackers); within an axis it follows faults.md's row, which lists
// the alternatives most frequent first (checked by a test). Ties between equally small fault
// sets are broken by this order.
faults! {
    UriDefaultPortKept = "uri-default-port-kept", UriPort,
        switch Switch::Port(PortForm::DefaultKept | PortForm::AsWritten | PortForm::Rfc),
        try [Switch::Port(PortForm::DefaultKept)],
        fix "Sign the URL without the default port (`:443` for https, `:80` for http).",
        rule "",
        by "";
    KeySecretWhitespace = "key-secret-whitespace", SecretText,
        switch Switch::Key(KeyForm::Whitespace(_)),
        try [Switch::Key(KeyForm::Whitespace(crate::rfc5849::Whitespace::TrailingSpace))],
        fix "Copy the consumer secret again without surrounding whitespace (or trim it when reading it).",
        rule "",
        by "";
    KeyMissingAmpersand = "key-missing-ampersand", KeyAssembly,
        switch Switch::Key(KeyForm::MissingAmpersand),
        try [Switch::Key(KeyForm::MissingAmpersand)],
        fix "Sign with the key `pct(consumer_secret)&` (note the trailing `&`), even without a token secret.",
        rule "",
        by "";
    UriScheme = "uri-scheme", UriScheme,
        switch Switch::Scheme,
        try [Switch::Scheme],
        fix "Sign the URL with the scheme the request is sent with (or align the server's Base Address).",
        rule "",
        by "";
    UriHost = "uri-host", UriHost,
        switch Switch::Host(HostForm::Alias(_) | HostForm::Lower),
        try [Switch::Host(HostForm::Alias(0))],
        fix "Sign the host name the request is sent to (or make the server know itself by that name).",
        rule "",
        by "";
    ParamsQueryOmitted = "params-query-omitted", ParamSet,
        switch Switch::QueryOmitted,
        try [Switch::QueryOmitted],
        fix "Include every query parameter, not only the oauth_* ones, in the signature.",
        rule "the non-oauth query parameters are signed too",
        by "";
    ParamsPlusForSpace = "params-plus-for-space", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::PlusForSpace),
        try [Switch::Encoding(ParamEncoding::PlusForSpace)],
        fix "Encode spaces as `%20` (RFC 3986), not `+` (form encoding), before signing.",
        rule "a space is encoded `%20`, not `+`",
        by "Python's `urlencode` and Java's `URLEncoder` write a space as `+`.";
    ParamsUnsorted = "params-unsorted", ParamOrder,
        switch Switch::Order(ParamOrder::Unsorted | ParamOrder::Rfc),
        try [Switch::Order(ParamOrder::Unsorted)],
        fix "Sort the parameters by encoded name, then value, before joining them.",
        rule "in wire order",
        by "";
    SigUrlsafeBase64 = "sig-urlsafe-base64", SignatureOutput,
        switch Switch::Output(OutputForm::UrlsafeBase64 | OutputForm::Base64),
        try [],
        fix "Encode the digest with standard base64 (`+` `/`), not the URL-safe alphabet.",
        rule "",
        by "";
    SigNotPercentEncoded = "sig-not-percent-encoded", SignatureTransport,
        switch Switch::Transport(Transport::NotPercentEncoded | Transport::Rfc),
        try [],
        fix "Percent-encode the signature when putting it in the URL or body (`+` -> `%2B`).",
        rule "",
        by "";
    UriTrailingSlash = "uri-trailing-slash", UriPath,
        switch Switch::Path(PathForm::TrailingSlashToggled),
        try [Switch::Path(PathForm::TrailingSlashToggled)],
        fix "Sign the path exactly as it is sent, trailing slash included.",
        rule "",
        by "";
    UriPathPrefix = "uri-path-prefix", UriPath,
        switch Switch::Path(PathForm::Prefix(_)),
        try [Switch::Path(PathForm::Prefix(0))],
        fix "Sign the full endpoint URL, not the API root.",
        rule "",
        by "";
    ParamsPlusLiteral = "params-plus-literal", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::PlusLiteral),
        try [Switch::Encoding(ParamEncoding::PlusLiteral)],
        fix "Decode `+` in the query or form body as a space before signing.",
        rule "a `+` in a query or form body means a space",
        by "ddo/oauth-1.0a decodes the query with `decodeURIComponent`, which keeps `+`.";
    MethodMissing = "method-missing", Method,
        switch Switch::Method(MethodForm::Missing),
        try [Switch::Method(MethodForm::Missing)],
        fix "Start the base string with the upper-case method and `&` (`GET&...`).",
        rule "",
        by "";
    ParamsStringNotEncoded = "params-string-not-encoded", ParamString,
        switch Switch::StringNotEncoded,
        try [Switch::StringNotEncoded],
        fix "Percent-encode the joined parameter string once more when building the base string.",
        rule "",
        by "";
    UriNotEncoded = "uri-not-encoded", UriEncoding,
        switch Switch::UriNotEncoded,
        try [Switch::UriNotEncoded],
        fix "Percent-encode the base URI inside the base string.",
        rule "",
        by "";
    ParamsBodyOmitted = "params-body-omitted", ParamSet,
        switch Switch::BodyOmitted,
        try [Switch::BodyOmitted],
        fix "Include the form body parameters in the signature.",
        rule "form body parameters are signed too",
        by "";
    ParamsEmptyDropped = "params-empty-dropped", ParamSet,
        switch Switch::EmptyDropped,
        try [Switch::EmptyDropped],
        fix "Keep parameters with empty values in the signature (`name=`).",
        rule "parameters with empty values are signed as `name=`",
        by "Postman does this with \"Add empty parameters to signature\" off.";
    ParamsSignatureIncluded = "params-signature-included", ParamSet,
        switch Switch::SignatureIncluded(_),
        try [
            Switch::SignatureIncluded(SignatureIncluded::Empty),
            Switch::SignatureIncluded(SignatureIncluded::AsSent)
        ],
        fix "Leave oauth_signature out of the signed parameters.",
        rule "oauth_signature itself is never signed",
        by "";
    ParamsRealmIncluded = "params-realm-included", ParamSet,
        switch Switch::RealmIncluded,
        try [Switch::RealmIncluded],
        fix "Leave `realm` out of the signed parameters.",
        rule "realm is never signed",
        by "";
    SigHex = "sig-hex", SignatureOutput,
        switch Switch::Output(OutputForm::Hex),
        try [],
        fix "Base64-encode the raw digest bytes, not a hex string.",
        rule "",
        by "";
    SigMethodMismatch = "sig-method-mismatch", Hash,
        switch Switch::Hash(_),
        try [],
        fix "Sign with the hash the request declares in oauth_signature_method (or declare the one you use).",
        rule "",
        by "";
    UriPortDropped = "uri-port-dropped", UriPort,
        switch Switch::Port(PortForm::Dropped),
        try [Switch::Port(PortForm::Dropped)],
        fix "Keep the non-default port in the signed URL.",
        rule "",
        by "";
    UriQueryIncluded = "uri-query-included", UriQuery,
        switch Switch::QueryIncluded,
        try [Switch::QueryIncluded],
        fix "Sign the URL without its `?query`: query parameters go into the parameter string.",
        rule "",
        by "";
    ParamsLowercaseHex = "params-lowercase-hex", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::LowercaseHex),
        try [Switch::Encoding(ParamEncoding::LowercaseHex)],
        fix "Use upper-case hex digits in percent-escapes (`%2C`, not `%2c`).",
        rule "percent-escapes use upper-case hex",
        by ".NET's `HttpUtility.UrlEncode` writes lower-case hex.";
    ParamsReservedUnencoded = "params-reserved-unencoded", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::ReservedUnencoded),
        try [Switch::Encoding(ParamEncoding::ReservedUnencoded)],
        fix "Percent-encode `! * ' ( )` too (encodeURIComponent leaves them).",
        rule "`! * ' ( )` are percent-encoded",
        by "JavaScript's `encodeURIComponent` leaves `! * ' ( )` as they are.";
    ParamsNotEncoded = "params-not-encoded", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::NotEncoded),
        try [Switch::Encoding(ParamEncoding::NotEncoded)],
        fix "Percent-encode each name and value before joining them with `=` and `&`.",
        rule "names and values are percent-encoded before joining",
        by "";
    ParamsSortedRaw = "params-sorted-raw", ParamOrder,
        switch Switch::Order(ParamOrder::SortedRaw),
        try [Switch::Order(ParamOrder::SortedRaw)],
        fix "Sort by the percent-encoded names and values, not the decoded ones.",
        rule "sorted by their decoded bytes",
        by "scribejava, reqwest-oauth1 and oauth-signature sort the decoded values.";
    ParamsDuplicatesCollapsed = "params-duplicates-collapsed", RepeatedNames,
        switch Switch::Duplicates(Duplicates::First | Duplicates::All),
        try [Switch::Duplicates(Duplicates::First)],
        fix "Sign every value of a repeated parameter name, sorted by value.",
        rule "every value of a repeated name is signed",
        by "dghubble/oauth1 and ddo/oauth-1.0a keep the first value of a repeated name.";
    KeyNotEncoded = "key-not-encoded", KeyEncoding,
        switch Switch::Key(KeyForm::NotEncoded),
        try [Switch::Key(KeyForm::NotEncoded)],
        fix "Percent-encode the consumer and token secrets before joining them with `&`.",
        rule "",
        by "";
    KeyTokenSecretIncluded = "key-token-secret-included", KeyAssembly,
        switch Switch::Key(KeyForm::TokenSecretIncluded),
        try [Switch::Key(KeyForm::TokenSecretIncluded)],
        fix "Leave the token secret out of the key: this request carries no oauth_token.",
        rule "",
        by "";
    KeyTokenSecretMissing = "key-token-secret-missing", KeyAssembly,
        switch Switch::Key(KeyForm::TokenSecretMissing | KeyForm::Rfc),
        try [Switch::Key(KeyForm::TokenSecretMissing)],
        fix "Append the token secret after the `&` in the key.",
        rule "",
        by "";
    SigDoublePercentEncoded = "sig-double-percent-encoded", SignatureTransport,
        switch Switch::Transport(Transport::DoublePercentEncoded),
        try [],
        fix "Percent-encode the signature once, not twice.",
        rule "",
        by "";
    MethodLowercase = "method-lowercase", Method,
        switch Switch::Method(MethodForm::Lowercase),
        try [Switch::Method(MethodForm::Lowercase)],
        fix "Upper-case the HTTP method in the base string.",
        rule "",
        by "";
    MethodMismatch = "method-mismatch", Method,
        switch Switch::Method(MethodForm::Swapped | MethodForm::AsGet | MethodForm::Upper),
        try [Switch::Method(MethodForm::Swapped), Switch::Method(MethodForm::AsGet)],
        fix "Sign with the HTTP method the request is sent with.",
        rule "",
        by "";
    UriHostCase = "uri-host-case", UriHost,
        switch Switch::Host(HostForm::AsSent),
        try [Switch::Host(HostForm::AsSent)],
        fix "Lower-case the host name in the signed URL.",
        rule "",
        by "python-oauth2 signs the host as written. Only a capture that keeps the host as the client wrote it can show this: HTTP stacks lower-case the host on the wire, so a HAR or a proxy log cannot.";
    UriPathLowercase = "uri-path-lowercase", UriPath,
        switch Switch::Path(PathForm::Lowercase),
        try [Switch::Path(PathForm::Lowercase)],
        fix "Keep the path's case when signing: only scheme and host are lower-cased.",
        rule "",
        by "";
    UriPathDecoded = "uri-path-decoded", UriPath,
        switch Switch::Path(PathForm::Decoded | PathForm::AsSent),
        try [Switch::Path(PathForm::Decoded)],
        fix "Sign the path as sent on the wire, percent-escapes kept.",
        rule "",
        by "";
    ParamsDoubleEncoded = "params-double-encoded", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::DoubleEncoded),
        try [Switch::Encoding(ParamEncoding::DoubleEncoded)],
        fix "Percent-encode the decoded parameter values once, not their already-encoded wire form.",
        rule "the decoded values are encoded once, not their wire form",
        by "Postman and Insomnia encode the already-encoded URL again.";
    ParamsOverDecoded = "params-over-decoded", ParamEncoding,
        switch Switch::Encoding(ParamEncoding::OverDecoded | ParamEncoding::Rfc),
        try [Switch::Encoding(ParamEncoding::OverDecoded)],
        fix "Percent-decode values once, not twice.",
        rule "values are decoded once",
        by "";
    ParamsSortedAsStrings = "params-sorted-as-strings", ParamOrder,
        switch Switch::Order(ParamOrder::SortedAsStrings),
        try [Switch::Order(ParamOrder::SortedAsStrings)],
        fix "Sort by name first, then by value, not by the joined `name=value` strings.",
        rule "sorted as whole `name=value` strings",
        by "";
    ParamsSortedCaseInsensitive = "params-sorted-case-insensitive", ParamOrder,
        switch Switch::Order(ParamOrder::CaseInsensitive),
        try [Switch::Order(ParamOrder::CaseInsensitive)],
        fix "Sort names by byte value, case-sensitively.",
        rule "sorted ignoring case",
        by "";
    KeySwapped = "key-swapped", SecretText,
        switch Switch::Key(KeyForm::Swapped),
        try [Switch::Key(KeyForm::Swapped)],
        fix "Use the consumer secret, not the consumer key, in the signing key.",
        rule "",
        by "";
    SigBase64OfHex = "sig-base64-of-hex", SignatureOutput,
        switch Switch::Output(OutputForm::Base64OfHex),
        try [],
        fix "Base64-encode the raw digest bytes, not the hex digest string.",
        rule "",
        by "";
    ParamsVersionMismatch = "params-version-mismatch", ParamSet,
        switch Switch::VersionToggled,
        try [Switch::VersionToggled],
        fix "Sign exactly the oauth_version you send: add it to both or to neither.",
        rule "the signed oauth_version must match what is sent",
        by "";
    ParamsEmptyTokenSigned = "params-empty-token-signed", ParamSet,
        switch Switch::EmptyTokenSigned,
        try [Switch::EmptyTokenSigned],
        fix "Leave oauth_token out of the signature when none is sent (Postman: clear the empty Access Token, or turn off \"Add empty parameters to signature\").",
        rule "a parameter that is not sent is not signed",
        by "Postman signs `oauth_token=` for a 1-legged call with an empty Access Token when \"Add empty parameters to signature\" is on.";
    ParamsDuplicatesLast = "params-duplicates-last", RepeatedNames,
        switch Switch::Duplicates(Duplicates::Last),
        try [Switch::Duplicates(Duplicates::Last)],
        fix "Sign every value of a repeated parameter name, sorted by value.",
        rule "every value of a repeated name is signed",
        by "PHP's query parser (PECL oauth) keeps the last value of a repeated name.";
    ParamsSemicolonSplit = "params-semicolon-split", QueryParsing,
        switch Switch::SemicolonSplit,
        try [Switch::SemicolonSplit],
        fix "Split the query on `&` only: a `;` belongs to the value (`fields=id;name` is one parameter).",
        rule "the query is split on `&` only",
        by "Ruby's `CGI.parse` (the oauth gem) splits the query on `;` too.";
    ParamsValueCutAtEquals = "params-value-cut-at-equals", QueryParsing,
        switch Switch::ValueCutAtEquals,
        try [Switch::ValueCutAtEquals],
        fix "Split each query pair at its first `=` only: the rest, `=` included, is the value.",
        rule "a pair is split at its first `=` only, the rest is the value",
        by "ddo/oauth-1.0a's query parser takes `pair.split('=')[1]`, dropping a second `=` and what follows.";
    ParamsSortedByNameOnly = "params-sorted-by-name-only", ParamOrder,
        switch Switch::Order(ParamOrder::ByNameOnly),
        try [Switch::Order(ParamOrder::ByNameOnly)],
        fix "Sort by encoded name, then by encoded value: the values of a repeated name are sorted too.",
        rule "sorted by name alone, the values of a repeated name left in wire order",
        by "R httr sorts with `order(names)`, which leaves the values of a repeated name in wire order.";
    ParamsDuplicatesIndexed = "params-duplicates-indexed", RepeatedNames,
        switch Switch::Duplicates(Duplicates::Indexed),
        try [Switch::Duplicates(Duplicates::Indexed)],
        fix "Sign a repeated query name as sent (`tag=a&tag=b`), not as indexed names (`tag[0]`, `tag[1]`).",
        rule "a repeated name is signed as sent, every value under the same name",
        by "node `oauth` (ciaranj) signs the values of a repeated query name as `name[0]`, `name[1]`...";
    ParamsUtf8DoubleEncoded = "params-utf8-double-encoded", TextEncoding,
        switch Switch::Utf8DoubleEncoded,
        try [Switch::Utf8DoubleEncoded],
        fix "Encode text to UTF-8 once: decode bytes you already have before handing them to the signer (Perl: `decode_utf8` first).",
        rule "non-ASCII text is UTF-8 encoded once",
        by "Perl's Net::OAuth encodes text that is already UTF-8 a second time (it warns, then does it).";
}

impl Fault {
    /// Field-frequency rank: 0 is the most frequent.
    pub fn rank(self) -> usize {
        Self::ALL
            .iter()
            .position(|f| *f == self)
            .unwrap_or(usize::MAX)
    }

    /// The JSON `category`: the part of the procedure the fault lives in.
    pub fn category(self) -> &'static str {
        self.axis().category()
    }

    /// The exclusion group: two faults with the same group never combine. Each axis is one
    /// group, except that every switch of a switches row is a group of its own.
    pub fn group(self) -> u8 {
        let axis = self.axis();
        if axis.is_switches() {
            64u8.saturating_add(u8::try_from(self.rank()).unwrap_or(u8::MAX - 64))
        } else {
            axis as u8
        }
    }

    /// Looks a fault up by id.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.as_str() == id)
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Fault {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// faults.md's axis table, copied by hand: each row's faults in the row's order.
    const ROWS: &[(&str, &str)] = &[
        ("method", "method-missing method-lowercase method-mismatch"),
        ("uri scheme", "uri-scheme"),
        ("uri port", "uri-default-port-kept uri-port-dropped"),
        ("uri host", "uri-host uri-host-case"),
        (
            "uri path",
            "uri-trailing-slash uri-path-prefix uri-path-lowercase uri-path-decoded",
        ),
        ("uri query", "uri-query-included"),
        ("uri encoding", "uri-not-encoded"),
        (
            "query parsing",
            "params-semicolon-split params-value-cut-at-equals",
        ),
        (
            "parameter set",
            "params-query-omitted params-body-omitted params-empty-dropped \
             params-signature-included params-realm-included params-version-mismatch \
             params-empty-token-signed",
        ),
        (
            "repeated names",
            "params-duplicates-collapsed params-duplicates-last params-duplicates-indexed",
        ),
        (
            "parameter encoding",
            "params-plus-for-space params-plus-literal params-lowercase-hex \
             params-reserved-unencoded params-not-encoded params-double-encoded \
             params-over-decoded",
        ),
        ("text encoding", "params-utf8-double-encoded"),
        (
            "parameter order",
            "params-unsorted params-sorted-raw params-sorted-as-strings \
             params-sorted-case-insensitive params-sorted-by-name-only",
        ),
        ("parameter string", "params-string-not-encoded"),
        ("secret text", "key-secret-whitespace key-swapped"),
        ("key encoding", "key-not-encoded"),
        (
            "key assembly",
            "key-missing-ampersand key-token-secret-included key-token-secret-missing",
        ),
        ("hash", "sig-method-mismatch"),
        (
            "signature output",
            "sig-urlsafe-base64 sig-hex sig-base64-of-hex",
        ),
        (
            "signature transport",
            "sig-not-percent-encoded sig-double-percent-encoded",
        ),
    ];

    #[test]
    fn covers_faults_md_rows_in_order() {
        let mut n = 0;
        for (axis, ids) in ROWS {
            let mut last_rank = None;
            for id in ids.split_whitespace() {
                let f = Fault::from_id(id).unwrap_or_else(|| panic!("missing {id}"));
                assert_eq!(f.axis().as_str(), *axis, "{id}");
                assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{id}\""));
                // The tie-break (faults.md): earlier in the row = more frequent = lower rank.
                assert!(last_rank < Some(f.rank()), "{id} ranks before its row");
                last_rank = Some(f.rank());
                n += 1;
            }
        }
        assert_eq!(n, Fault::ALL.len());
    }

    #[test]
    fn every_tried_switch_reports_its_own_fault() {
        for f in Fault::ALL {
            for s in f.tries() {
                assert_eq!(Fault::of_switch(*s), *f, "{s:?}");
            }
            let searched = !f.tries().is_empty();
            let elsewhere = matches!(f.axis().stage(), Stage::Hash | Stage::Captured);
            assert!(searched != elsewhere, "{f} is searched exactly once");
        }
    }

    #[test]
    fn switches_rows_combine_alternatives_exclude() {
        assert_ne!(
            Fault::ParamsSemicolonSplit.group(),
            Fault::ParamsValueCutAtEquals.group()
        );
        assert_eq!(
            Fault::ParamsDuplicatesLast.group(),
            Fault::ParamsDuplicatesIndexed.group()
        );
        assert_ne!(
            Fault::KeySecretWhitespace.group(),
            Fault::KeyNotEncoded.group()
        );
    }
}
