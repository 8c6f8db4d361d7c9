//! The client faults of faults.md: one variant per stable id, with its axis, category, how
//! often the field sees it, and the fix a user should apply.
//!
//! The ids are the public contract (SPEC section 4): [`Fault::as_str`] and serde give the
//! exact kebab-case strings. What a fault *does* lives in the RFC 5849 core as a switch;
//! [`super::switch::Switch`] maps each hypothesis element onto those switches.

use serde::{Serialize, Serializer};

macro_rules! faults {
    ($( $variant:ident = $id:literal, $axis:literal, $fix:literal; )*) => {
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

            /// The faults.md axis (faults of one axis exclude each other).
            pub fn axis(self) -> &'static str {
                match self { $(Fault::$variant => $axis,)* }
            }

            /// What to change in the client.
            pub fn fix(self) -> &'static str {
                match self { $(Fault::$variant => $fix,)* }
            }
        }
    };
}

// Order = field frequency, most frequent first (faults.md evidence: Alteryx forum threads
// first, then the issue trackers). Ties are broken by this order when ranking explanations.
faults! {
    UriDefaultPortKept = "uri-default-port-kept", "uri port",
        "Sign the URL without the default port (`:443` for https, `:80` for http).";
    KeySecretWhitespace = "key-secret-whitespace", "key",
        "Copy the consumer secret again without surrounding whitespace (or trim it when reading it).";
    KeyMissingAmpersand = "key-missing-ampersand", "key",
        "Sign with the key `pct(consumer_secret)&` (note the trailing `&`), even without a token secret.";
    UriScheme = "uri-scheme", "uri scheme",
        "Sign the URL with the scheme the request is sent with (or align the server's Base Address).";
    UriHost = "uri-host", "uri host",
        "Sign the host name the request is sent to (or make the server know itself by that name).";
    ParamsQueryOmitted = "params-query-omitted", "parameter set",
        "Include every query parameter, not only the oauth_* ones, in the signature.";
    ParamsPlusForSpace = "params-plus-for-space", "parameter encoding",
        "Encode spaces as `%20` (RFC 3986), not `+` (form encoding), before signing.";
    ParamsUnsorted = "params-unsorted", "parameter order",
        "Sort the parameters by encoded name, then value, before joining them.";
    SigUrlsafeBase64 = "sig-urlsafe-base64", "signature output",
        "Encode the digest with standard base64 (`+` `/`), not the URL-safe alphabet.";
    SigNotPercentEncoded = "sig-not-percent-encoded", "signature transport",
        "Percent-encode the signature when putting it in the URL or body (`+` -> `%2B`).";
    UriPathPrefix = "uri-path-prefix", "uri path",
        "Sign the full endpoint URL, not the API root.";
    UriTrailingSlash = "uri-trailing-slash", "uri path",
        "Sign the path exactly as it is sent, trailing slash included.";
    ParamsDoubleEncoded = "params-double-encoded", "parameter encoding",
        "Percent-encode the decoded parameter values once, not their already-encoded wire form.";
    MethodMissing = "method-missing", "method",
        "Start the base string with the upper-case method and `&` (`GET&...`).";
    ParamsStringNotEncoded = "params-string-not-encoded", "parameter string",
        "Percent-encode the joined parameter string once more when building the base string.";
    UriNotEncoded = "uri-not-encoded", "uri encoding",
        "Percent-encode the base URI inside the base string.";
    ParamsEmptyDropped = "params-empty-dropped", "parameter set",
        "Keep parameters with empty values in the signature (`name=`).";
    ParamsBodyOmitted = "params-body-omitted", "parameter set",
        "Include the form body parameters in the signature.";
    ParamsVersionMismatch = "params-version-mismatch", "parameter set",
        "Sign exactly the oauth_version you send: add it to both or to neither.";
    ParamsRealmIncluded = "params-realm-included", "parameter set",
        "Leave `realm` out of the signed parameters.";
    SigHex = "sig-hex", "signature output",
        "Base64-encode the raw digest bytes, not a hex string.";
    SigMethodMismatch = "sig-method-mismatch", "hash",
        "Sign with the hash the request declares in oauth_signature_method (or declare the one you use).";
    UriPortDropped = "uri-port-dropped", "uri port",
        "Keep the non-default port in the signed URL.";
    UriQueryIncluded = "uri-query-included", "uri query",
        "Sign the URL without its `?query`: query parameters go into the parameter string.";
    ParamsReservedUnencoded = "params-reserved-unencoded", "parameter encoding",
        "Percent-encode `! * ' ( )` too (encodeURIComponent leaves them).";
    ParamsLowercaseHex = "params-lowercase-hex", "parameter encoding",
        "Use upper-case hex digits in percent-escapes (`%2C`, not `%2c`).";
    ParamsPlusLiteral = "params-plus-literal", "parameter encoding",
        "Decode `+` in the query or form body as a space before signing.";
    ParamsSortedRaw = "params-sorted-raw", "parameter order",
        "Sort by the percent-encoded names and values, not the decoded ones.";
    ParamsDuplicatesCollapsed = "params-duplicates-collapsed", "parameter set",
        "Sign every value of a repeated parameter name, sorted by value.";
    KeyNotEncoded = "key-not-encoded", "key",
        "Percent-encode the consumer and token secrets before joining them with `&`.";
    KeyTokenSecretIncluded = "key-token-secret-included", "key",
        "Leave the token secret out of the key: this request carries no oauth_token.";
    KeyTokenSecretMissing = "key-token-secret-missing", "key",
        "Append the token secret after the `&` in the key.";
    SigDoublePercentEncoded = "sig-double-percent-encoded", "signature transport",
        "Percent-encode the signature once, not twice.";
    MethodLowercase = "method-lowercase", "method",
        "Upper-case the HTTP method in the base string.";
    MethodMismatch = "method-mismatch", "method",
        "Sign with the HTTP method the request is sent with.";
    UriHostCase = "uri-host-case", "uri host",
        "Lower-case the host name in the signed URL.";
    UriPathLowercase = "uri-path-lowercase", "uri path",
        "Keep the path's case when signing: only scheme and host are lower-cased.";
    UriPathDecoded = "uri-path-decoded", "uri path",
        "Sign the path as sent on the wire, percent-escapes kept.";
    ParamsNotEncoded = "params-not-encoded", "parameter encoding",
        "Percent-encode each name and value before joining them with `=` and `&`.";
    ParamsOverDecoded = "params-over-decoded", "parameter encoding",
        "Percent-decode values once, not twice.";
    ParamsSortedAsStrings = "params-sorted-as-strings", "parameter order",
        "Sort by name first, then by value, not by the joined `name=value` strings.";
    ParamsSortedCaseInsensitive = "params-sorted-case-insensitive", "parameter order",
        "Sort names by byte value, case-sensitively.";
    KeySwapped = "key-swapped", "key",
        "Use the consumer secret, not the consumer key, in the signing key.";
    SigBase64OfHex = "sig-base64-of-hex", "signature output",
        "Base64-encode the raw digest bytes, not the hex digest string.";
    ParamsSignatureIncluded = "params-signature-included", "parameter set",
        "Leave oauth_signature out of the signed parameters.";
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
        let id = self.as_str();
        if id.starts_with("uri-") {
            "uri"
        } else if id.starts_with("params-") {
            "parameters"
        } else if id.starts_with("method-") {
            "method"
        } else if id.starts_with("key-") {
            "key"
        } else {
            "signature"
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

    /// Every id of faults.md's client table, copied by hand: the enum must cover them all.
    const IDS: &str = "uri-default-port-kept uri-port-dropped uri-scheme uri-host uri-host-case \
        uri-trailing-slash uri-path-prefix uri-path-lowercase uri-path-decoded uri-query-included \
        uri-not-encoded params-query-omitted params-body-omitted params-empty-dropped \
        params-signature-included params-realm-included params-duplicates-collapsed \
        params-version-mismatch params-plus-for-space params-plus-literal params-lowercase-hex \
        params-reserved-unencoded params-not-encoded params-double-encoded params-over-decoded \
        params-unsorted params-sorted-raw params-sorted-as-strings params-sorted-case-insensitive \
        params-string-not-encoded method-missing method-lowercase method-mismatch \
        key-missing-ampersand key-secret-whitespace key-swapped key-not-encoded \
        key-token-secret-included key-token-secret-missing sig-method-mismatch sig-urlsafe-base64 \
        sig-hex sig-base64-of-hex sig-not-percent-encoded sig-double-percent-encoded";

    #[test]
    fn covers_faults_md_exactly() {
        let ids: Vec<&str> = IDS.split_whitespace().collect();
        assert_eq!(ids.len(), Fault::ALL.len());
        for id in ids {
            let f = Fault::from_id(id).unwrap_or_else(|| panic!("missing {id}"));
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{id}\""));
        }
    }
}
