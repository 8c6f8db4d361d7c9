//! What an explain answer rests on, beyond the request itself (issue "explain from what
//! people actually have"): the JSON `evidence`, `reference` and `placeholders` parts.

use serde::Serialize;

/// One piece of evidence the answer rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// `signature`, `signature-prefix`, `reference`, `client-base-string`,
    /// `server-base-string`.
    pub kind: &'static str,
    /// Characters of a cut signature matched (`signature-prefix` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chars: Option<usize>,
}

impl Evidence {
    /// Evidence of `kind` without a character count.
    pub fn of(kind: &'static str) -> Self {
        Self { kind, chars: None }
    }

    /// Words for the first line of the human report.
    pub fn describe(&self) -> String {
        match (self.kind, self.chars) {
            ("signature-prefix", Some(n)) => format!("the first {n} characters of the signature"),
            ("signature", _) => "the signature".to_string(),
            ("reference", _) => "the reference request".to_string(),
            ("client-base-string", _) => "the client's base string".to_string(),
            ("server-base-string", _) => "the server's base string".to_string(),
            (k, _) => k.to_string(),
        }
    }
}

/// What `--reference GOOD` established: GOOD's verdict and the form the server signs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReferenceSummary {
    /// GOOD's verdict: `valid` (RFC 5849), `server-form` (valid under the server form
    /// found), `unexplained`, or `unverifiable` (no secret).
    pub verdict: &'static str,
    /// The base string URI the server signs for GOOD, when found.
    pub server_base_uri: Option<String>,
    /// Deployment fault ids (`base-address-*`) of that form.
    pub faults: Vec<&'static str>,
    /// How GOOD and BAD differ as sent.
    pub differences: Vec<crate::app::explain_reference::Difference>,
}

/// A value removed from the paste (`<removed>`, `{{host}}`, `xxx`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlaceholderReport {
    /// The placeholder as written.
    pub text: String,
    /// Where it stands: `host`, `path`, or the parameter name.
    #[serde(rename = "where")]
    pub place: String,
    /// What to give to go further (`--host H`, `--consumer-key KEY`, the real value).
    pub fill: String,
    /// Whether a flag filled it in for this run.
    pub filled: bool,
}

/// What the server's base string (`--server-base-string`) says about its idea of the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ServerSummary {
    /// The base string extracted.
    pub base_string: String,
    /// The form it was found in (`debug_sbs`, `postman-echo`, ...).
    pub form: &'static str,
    /// The base string URI the server signs.
    pub base_uri: String,
    /// Deployment fault ids (`base-address-*`) against the request as sent.
    pub faults: Vec<&'static str>,
    /// Parameters the server signed that the request does not carry.
    pub params_added: Vec<String>,
    /// Parameters of the request the server did not sign.
    pub params_dropped: Vec<String>,
    /// With the secret: whether this base string signs to the captured signature.
    pub signs_captured: Option<bool>,
}

/// The client's own base string (`--client-base-string`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClientSummary {
    /// The base string extracted.
    pub base_string: String,
    /// The form it was found in.
    pub form: &'static str,
    /// Base-string fault ids that turn the RFC base string into it (null: none found).
    pub faults: Option<Vec<&'static str>>,
    /// With the secret: whether it signs to the captured signature.
    pub signs_captured: Option<bool>,
}
