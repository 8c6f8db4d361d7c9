//! One element of a hypothesis: a fault id with its concrete alternative (which alias, which
//! path prefix, which whitespace), mapped onto the RFC 5849 core's switches.
//!
//! A [`Hypothesis`] is the RFC procedure plus a set of switches, at most one per axis. The
//! search never signs anything itself: it sets fields of [`Variant`], [`KeyForm`],
//! [`SignatureMethod`], [`OutputForm`] and [`Transport`] and lets the core do the rest.

use super::fault::{Fault, Stage};
use crate::rfc5849::{
    Duplicates, HostForm, KeyForm, MethodForm, OutputForm, ParamEncoding, ParamOrder, PathForm,
    PortForm, SignatureIncluded, SignatureMethod, Variant,
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

/// One non-RFC choice on one axis. Which fault each reports under, and which combine, is
/// the catalogue table's business ([`Fault::of_switch`], [`Fault::group`]).
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
    /// The query split on `;` too.
    SemicolonSplit,
    /// Query values cut at a raw `=`.
    ValueCutAtEquals,
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
    /// oauth_version added or removed.
    VersionToggled,
    /// `oauth_token=` signed although none is sent.
    EmptyTokenSigned,
    /// Repeated names axis.
    Duplicates(Duplicates),
    /// Parameter encoding axis.
    Encoding(ParamEncoding),
    /// UTF-8 bytes encoded again.
    Utf8DoubleEncoded,
    /// Parameter order axis.
    Order(ParamOrder),
    /// Parameter string not encoded.
    StringNotEncoded,
    /// One of the key axes (secret text, key encoding, key assembly).
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
        Fault::of_switch(self)
    }

    /// Sets this switch in `h`.
    pub fn apply(self, h: &mut Hypothesis) {
        let v = &mut h.variant;
        let p = &mut v.params;
        match self {
            Self::Method(m) => v.method = m,
            Self::Scheme => v.uri.scheme_flipped = true,
            Self::Port(x) => v.uri.port = x,
            Self::Host(x) => v.uri.host = x,
            Self::Path(x) => v.uri.path = x,
            Self::QueryIncluded => v.uri.query_included = true,
            Self::UriNotEncoded => v.uri.not_encoded = true,
            Self::SemicolonSplit => p.parsing.semicolon_split = true,
            Self::ValueCutAtEquals => p.parsing.cut_at_equals = true,
            Self::QueryOmitted => p.set.query_omitted = true,
            Self::BodyOmitted => p.set.body_omitted = true,
            Self::EmptyDropped => p.set.empty_dropped = true,
            Self::SignatureIncluded(s) => p.set.signature_included = Some(s),
            Self::RealmIncluded => p.set.realm_included = true,
            Self::VersionToggled => p.set.version_toggled = true,
            Self::EmptyTokenSigned => p.set.empty_token_signed = true,
            Self::Duplicates(d) => p.duplicates = d,
            Self::Encoding(e) => p.encoding = e,
            Self::Utf8DoubleEncoded => p.utf8_double_encoded = true,
            Self::Order(o) => p.order = o,
            Self::StringNotEncoded => p.string_not_encoded = true,
            Self::Key(k) => h.key_forms.push(k),
            Self::Hash(m) => h.method = m,
            Self::Output(o) => h.output = o,
            Self::Transport(t) => h.transport = t,
        }
    }

    /// Whether this switch changes the `METHOD&URI&` prefix (else the parameters, key,
    /// hash or output).
    pub fn is_prefix(self) -> bool {
        self.fault().axis().stage() == Stage::Prefix
    }

    /// The exclusion group: two switches with the same group never combine.
    pub fn group(self) -> u8 {
        self.fault().group()
    }
}

/// A complete choice of how the client signed: the core's switches plus the output steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hypothesis {
    /// Base-string switches.
    pub variant: Variant,
    /// Key switches (at most one per key axis).
    pub key_forms: Vec<KeyForm>,
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
            key_forms: Vec::new(),
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
