//! One element of a hypothesis: a fault id with its concrete alternative (which alias, which
//! path prefix, which whitespace), mapped onto the RFC 5849 core's switches.
//!
//! A [`Hypothesis`] is the RFC procedure plus a set of switches, at most one per axis. The
//! search never signs anything itself: it sets fields of [`Variant`], [`KeyForm`],
//! [`SignatureMethod`], [`OutputForm`] and [`Transport`] and lets the core do the rest.

use super::fault::Fault;
use crate::rfc5849::{
    HostForm, KeyForm, MethodForm, OutputForm, ParamEncoding, ParamOrder, PathForm, PortForm,
    SignatureIncluded, SignatureMethod, Variant,
};

/// How the signature travelled on the wire (the last step, after encoding the digest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Transport {
    /// RFC: percent-encoded once.
    #[default]
    Rfc,
    /// Not percent-encoded in a query or body: each `+` arrived as a space.
    NotPercentEncoded,
    /// Percent-encoded twice (`%252B`).
    DoublePercentEncoded,
}

/// One non-RFC choice on one axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Switch {
    /// Method axis.
    Method(MethodForm),
    /// http <-> https.
    Scheme,
    /// Port axis.
    Port(PortForm),
    /// Host axis.
    Host(HostForm),
    /// Path axis.
    Path(PathForm),
    /// `?query` kept in the URI.
    QueryIncluded,
    /// URI not encoded.
    UriNotEncoded,
    /// Non-oauth query parameters left out.
    QueryOmitted,
    /// Form body parameters left out.
    BodyOmitted,
    /// Empty values left out.
    EmptyDropped,
    /// oauth_signature signed.
    SignatureIncluded(SignatureIncluded),
    /// realm signed.
    RealmIncluded,
    /// First value of a repeated name only.
    DuplicatesCollapsed,
    /// oauth_version added or removed.
    VersionToggled,
    /// Parameter encoding axis.
    Encoding(ParamEncoding),
    /// Parameter order axis.
    Order(ParamOrder),
    /// Parameter string not encoded.
    StringNotEncoded,
    /// Key axis.
    Key(KeyForm),
    /// Another hash than declared.
    Hash(SignatureMethod),
    /// Digest output axis.
    Output(OutputForm),
    /// Signature transport axis.
    Transport(Transport),
}

impl Switch {
    /// The fault id this switch is reported under.
    pub fn fault(self) -> Fault {
        match self {
            Self::Method(MethodForm::Missing) => Fault::MethodMissing,
            Self::Method(MethodForm::Lowercase) => Fault::MethodLowercase,
            Self::Method(_) => Fault::MethodMismatch,
            Self::Scheme => Fault::UriScheme,
            Self::Port(PortForm::Dropped) => Fault::UriPortDropped,
            Self::Port(_) => Fault::UriDefaultPortKept,
            Self::Host(HostForm::AsSent) => Fault::UriHostCase,
            Self::Host(_) => Fault::UriHost,
            Self::Path(PathForm::TrailingSlashToggled) => Fault::UriTrailingSlash,
            Self::Path(PathForm::Prefix(_)) => Fault::UriPathPrefix,
            Self::Path(PathForm::Lowercase) => Fault::UriPathLowercase,
            Self::Path(_) => Fault::UriPathDecoded,
            Self::QueryIncluded => Fault::UriQueryIncluded,
            Self::UriNotEncoded => Fault::UriNotEncoded,
            Self::QueryOmitted => Fault::ParamsQueryOmitted,
            Self::BodyOmitted => Fault::ParamsBodyOmitted,
            Self::EmptyDropped => Fault::ParamsEmptyDropped,
            Self::SignatureIncluded(_) => Fault::ParamsSignatureIncluded,
            Self::RealmIncluded => Fault::ParamsRealmIncluded,
            Self::DuplicatesCollapsed => Fault::ParamsDuplicatesCollapsed,
            Self::VersionToggled => Fault::ParamsVersionMismatch,
            Self::Encoding(e) => match e {
                ParamEncoding::PlusForSpace => Fault::ParamsPlusForSpace,
                ParamEncoding::PlusLiteral => Fault::ParamsPlusLiteral,
                ParamEncoding::LowercaseHex => Fault::ParamsLowercaseHex,
                ParamEncoding::ReservedUnencoded => Fault::ParamsReservedUnencoded,
                ParamEncoding::NotEncoded => Fault::ParamsNotEncoded,
                ParamEncoding::DoubleEncoded => Fault::ParamsDoubleEncoded,
                _ => Fault::ParamsOverDecoded,
            },
            Self::Order(o) => match o {
                ParamOrder::Unsorted => Fault::ParamsUnsorted,
                ParamOrder::SortedRaw => Fault::ParamsSortedRaw,
                ParamOrder::SortedAsStrings => Fault::ParamsSortedAsStrings,
                _ => Fault::ParamsSortedCaseInsensitive,
            },
            Self::StringNotEncoded => Fault::ParamsStringNotEncoded,
            Self::Key(k) => match k {
                KeyForm::MissingAmpersand => Fault::KeyMissingAmpersand,
                KeyForm::Whitespace(_) => Fault::KeySecretWhitespace,
                KeyForm::Swapped => Fault::KeySwapped,
                KeyForm::NotEncoded => Fault::KeyNotEncoded,
                KeyForm::TokenSecretIncluded => Fault::KeyTokenSecretIncluded,
                _ => Fault::KeyTokenSecretMissing,
            },
            Self::Hash(_) => Fault::SigMethodMismatch,
            Self::Output(o) => match o {
                OutputForm::UrlsafeBase64 => Fault::SigUrlsafeBase64,
                OutputForm::Hex => Fault::SigHex,
                _ => Fault::SigBase64OfHex,
            },
            Self::Transport(Transport::DoublePercentEncoded) => Fault::SigDoublePercentEncoded,
            Self::Transport(_) => Fault::SigNotPercentEncoded,
        }
    }

    /// Sets this switch in `h`.
    pub fn apply(self, h: &mut Hypothesis) {
        let v = &mut h.variant;
        match self {
            Self::Method(m) => v.method = m,
            Self::Scheme => v.uri.scheme_flipped = true,
            Self::Port(p) => v.uri.port = p,
            Self::Host(x) => v.uri.host = x,
            Self::Path(p) => v.uri.path = p,
            Self::QueryIncluded => v.uri.query_included = true,
            Self::UriNotEncoded => v.uri.not_encoded = true,
            Self::QueryOmitted => v.params.set.query_omitted = true,
            Self::BodyOmitted => v.params.set.body_omitted = true,
            Self::EmptyDropped => v.params.set.empty_dropped = true,
            Self::SignatureIncluded(s) => v.params.set.signature_included = Some(s),
            Self::RealmIncluded => v.params.set.realm_included = true,
            Self::DuplicatesCollapsed => v.params.set.duplicates_collapsed = true,
            Self::VersionToggled => v.params.set.version_toggled = true,
            Self::Encoding(e) => v.params.encoding = e,
            Self::Order(o) => v.params.order = o,
            Self::StringNotEncoded => v.params.string_not_encoded = true,
            Self::Key(k) => h.key = k,
            Self::Hash(m) => h.method = m,
            Self::Output(o) => h.output = o,
            Self::Transport(t) => h.transport = t,
        }
    }

    /// Whether this switch changes the `METHOD&URI&` prefix (else the parameters, key,
    /// hash or output).
    pub fn is_prefix(self) -> bool {
        matches!(
            self,
            Self::Method(_)
                | Self::Scheme
                | Self::Port(_)
                | Self::Host(_)
                | Self::Path(_)
                | Self::QueryIncluded
                | Self::UriNotEncoded
        )
    }

    /// The exclusion group: two switches with the same group never combine. Each axis of
    /// faults.md is one group; the parameter-set switches are groups of their own.
    pub fn group(self) -> u8 {
        match self {
            Self::Method(_) => 0,
            Self::Scheme => 1,
            Self::Port(_) => 2,
            Self::Host(_) => 3,
            Self::Path(_) => 4,
            Self::QueryIncluded => 5,
            Self::UriNotEncoded => 6,
            Self::QueryOmitted => 7,
            Self::BodyOmitted => 8,
            Self::EmptyDropped => 9,
            Self::SignatureIncluded(_) => 10,
            Self::RealmIncluded => 11,
            Self::DuplicatesCollapsed => 12,
            Self::VersionToggled => 13,
            Self::Encoding(_) => 14,
            Self::Order(_) => 15,
            Self::StringNotEncoded => 16,
            Self::Key(_) => 17,
            Self::Hash(_) => 18,
            Self::Output(_) => 19,
            Self::Transport(_) => 20,
        }
    }
}

/// A complete choice of how the client signed: the core's switches plus the output steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hypothesis {
    /// Base-string switches.
    pub variant: Variant,
    /// Key switch.
    pub key: KeyForm,
    /// The hash actually used.
    pub method: SignatureMethod,
    /// How the digest was written out.
    pub output: OutputForm,
    /// How the signature travelled.
    pub transport: Transport,
    /// The non-RFC choices, in the order they were applied.
    pub switches: Vec<Switch>,
}

impl Hypothesis {
    /// RFC 5849 with the declared method.
    pub fn rfc(method: SignatureMethod) -> Self {
        Self {
            variant: Variant::default(),
            key: KeyForm::Rfc,
            method,
            output: OutputForm::Base64,
            transport: Transport::Rfc,
            switches: Vec::new(),
        }
    }

    /// RFC plus `switches`.
    pub fn with(method: SignatureMethod, switches: &[Switch]) -> Self {
        let mut h = Self::rfc(method);
        for s in switches {
            s.apply(&mut h);
        }
        h.switches = switches.to_vec();
        h
    }

    /// The fault ids, sorted, deduplicated.
    pub fn faults(&self) -> Vec<Fault> {
        let mut f: Vec<Fault> = self.switches.iter().map(|s| s.fault()).collect();
        f.sort_by_key(|x| x.as_str());
        f.dedup();
        f
    }
}
