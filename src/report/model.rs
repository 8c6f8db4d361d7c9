//! The explain report: plain data, serialised as `sigdoctor.explain.v1` (SPEC section 3).
//!
//! Renderers ([`super::human`], [`super::json`]) only read this; nothing here formats.
//! Fields marked `skip` feed the human report (component diff, fingerprint, advice) and stay
//! out of the stable JSON.

use serde::Serialize;

use crate::lint::Lint;
use crate::search::Fault;
use crate::secret::Fingerprint;

/// The JSON schema id.
pub const SCHEMA: &str = "sigdoctor.explain.v1";

/// What explain concluded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The RFC signature equals the captured one: the client is right.
    Valid,
    /// A set of client faults reproduces the captured signature.
    Explained,
    /// Nothing in the searched space reproduces it.
    Unexplained,
    /// No secret was given: lints only.
    Unverifiable,
    /// A cut signature matches several hypotheses that sign differently.
    Ambiguous,
}

impl Verdict {
    /// The explain exit code (SPEC section 2).
    pub fn exit_code(self, lint_error: bool) -> u8 {
        use crate::error::exit;
        match self {
            Self::Valid => exit::OK,
            Self::Explained | Self::Ambiguous => exit::FOUND,
            Self::Unexplained => exit::INCONCLUSIVE,
            Self::Unverifiable if lint_error => exit::FOUND,
            Self::Unverifiable => exit::UNVERIFIABLE,
        }
    }

    /// The word shown to people.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Explained => "explained",
            Self::Unexplained => "unexplained",
            Self::Unverifiable => "unverifiable",
            Self::Ambiguous => "ambiguous",
        }
    }
}

/// The request as sent, as far as the report needs it.
#[derive(Clone, Debug, Serialize)]
pub struct RequestSummary {
    /// Method as sent.
    pub method: String,
    /// URL as written.
    pub url: String,
    /// oauth_signature_method as sent.
    pub signature_method: Option<String>,
    /// oauth_consumer_key.
    pub consumer_key: Option<String>,
    /// oauth_timestamp.
    pub timestamp: Option<String>,
    /// oauth_nonce.
    pub nonce: Option<String>,
    /// oauth_signature, decoded once.
    pub signature: Option<String>,
    /// Where oauth_signature travelled.
    pub signature_location: Option<&'static str>,
    /// Every parameter, decoded, in wire order.
    pub params: Vec<(String, String)>,
}

/// The RFC 5849 base string and signature of the request as sent.
#[derive(Clone, Debug, Serialize)]
pub struct Expected {
    /// Base string.
    pub base_string: String,
    /// Signature (standard base64; PLAINTEXT: the key, which is never printed).
    pub signature: String,
}

/// The hypothesis that reproduced the captured signature.
#[derive(Clone, Debug, Serialize)]
pub struct Matched {
    /// The base string the client signed.
    pub base_string: String,
    /// The signature that hypothesis produces (equals the captured one).
    pub signature: String,
    /// Its fault ids, sorted.
    pub faults: Vec<Fault>,
    /// Other fault sets of the same size that match too (extension of v1).
    pub alternatives: Vec<Vec<Fault>>,
}

/// One fault of the matched hypothesis, explained.
#[derive(Clone, Debug, Serialize)]
pub struct FaultReport {
    /// Stable id.
    pub id: Fault,
    /// uri, parameters, method, key or signature.
    pub category: &'static str,
    /// What the client did, with the concrete bytes.
    pub message: String,
    /// What to change.
    pub fix: String,
}

/// Search statistics.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SearchStats {
    /// HMACs computed (SPEC section 6).
    pub hypotheses: u64,
    /// Wall time of the search.
    pub elapsed_ms: f64,
}

/// One labelled part of a base string, for the component diff.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Component {
    /// `method`, `uri` or `param`.
    pub label: &'static str,
    /// Its text (parameters as `name=value`, encoded as the client encoded them).
    pub text: String,
}

/// The explain report.
#[derive(Clone, Debug, Serialize)]
pub struct ExplainReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The conclusion.
    pub verdict: Verdict,
    /// The request as sent.
    pub request: RequestSummary,
    /// RFC base string and signature (null without a secret).
    pub expected: Option<Expected>,
    /// The matched hypothesis (null unless explained).
    pub matched: Option<Matched>,
    /// The matched hypothesis's faults, explained.
    pub faults: Vec<FaultReport>,
    /// Findings that need no secret.
    pub lints: Vec<Lint>,
    /// The provider profile the request was judged under (`generic`, `netsuite`...).
    pub profile: &'static str,
    /// What was searched.
    pub search: SearchStats,
    /// What the answer rests on.
    pub evidence: Vec<super::evidence::Evidence>,
    /// What `--reference GOOD` established.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<super::evidence::ReferenceSummary>,
    /// What the client's base string says (`--client-base-string`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client: Option<super::evidence::ClientSummary>,
    /// What the server's base string says (`--server-base-string`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<super::evidence::ServerSummary>,
    /// Values removed from the paste.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<super::evidence::PlaceholderReport>,
    /// The base string the server signs, when evidence shows it differs from RFC 5849's
    /// (the human diff is drawn against it).
    #[serde(skip)]
    pub server_signs: Option<String>,
    /// Findings from the reference request and the base strings, for people: titled blocks
    /// of lines.
    #[serde(skip)]
    pub sections: Vec<(String, Vec<String>)>,
    /// RFC base string split into components.
    #[serde(skip)]
    pub expected_components: Vec<Component>,
    /// The client's base string split into components.
    #[serde(skip)]
    pub matched_components: Vec<Component>,
    /// The consumer secret's fingerprint, if one was given.
    #[serde(skip)]
    pub secret_fingerprint: Option<Fingerprint>,
    /// Whether the Alteryx profile applies.
    #[serde(skip)]
    pub alteryx: bool,
    /// The fault budget searched.
    #[serde(skip)]
    pub max_faults: usize,
    /// Each single fault the search combined, with its effect (`-v`).
    #[serde(skip)]
    pub considered: Vec<String>,
}

impl ExplainReport {
    /// Whether any lint is an error.
    pub fn has_lint_error(&self) -> bool {
        self.lints
            .iter()
            .any(|l| l.severity == crate::lint::Severity::Error)
    }

    /// The exit code for this report.
    pub fn exit_code(&self) -> u8 {
        self.verdict.exit_code(self.has_lint_error())
    }
}
