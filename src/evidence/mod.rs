//! Explain with everything people have in hand: placeholders in the paste, a base string
//! someone printed, a request the server accepted. Pure (sources are read by the caller),
//! so the CLI (`app::explain`) and the browser page (`web_api`) run the same steps.

pub mod base_strings;
pub mod placeholders;
pub mod reference;

use crate::error::Error;
use crate::input::placeholder::Placeholder;
use crate::options::{Client, EvidenceArgs, Profile};
use crate::report::client_fix;
use crate::report::ExplainReport;
use crate::request::Request;
use crate::search::{explain, ExplainOptions};

/// What explain takes besides each request: read once, shared by every request of a HAR.
pub struct Given<'a> {
    /// `--profile`.
    pub profile: Profile,
    /// The options every request shares (`host_aliases`: the user's; `alteryx` and
    /// `profile` are set per request).
    pub options: ExplainOptions,
    /// Placeholders found in the paste.
    pub placeholders: &'a [Placeholder],
    /// `--host`, `--reference`, the base strings (as given).
    pub evidence: &'a EvidenceArgs,
    /// The base strings, extracted.
    pub base_strings: &'a base_strings::BaseStrings,
    /// The reference request, read.
    pub reference: Option<&'a Request>,
    /// `--client` (none: detected from each request).
    pub client: Option<Client>,
}

/// Explains one request: placeholders filled, profile resolved, searched, then the
/// evidence applied, the placeholders restored in the report and the fixes put in the
/// client's terms. Returns the client too (the human report names it).
pub fn explain_one(req: &Request, given: &Given) -> Result<(ExplainReport, Option<Client>), Error> {
    let mut req = req.clone();
    let (filled, blocked) = placeholders::fill(
        &mut req,
        given.placeholders,
        given.evidence,
        given.options.consumer_key.as_deref(),
    )?;
    let req = &req;
    let (profile, host_aliases) =
        crate::profile::for_explain(given.profile, req, &given.options.host_aliases);
    let mut opts = ExplainOptions {
        host_aliases,
        alteryx: profile == Profile::Alteryx,
        profile,
        ..given.options.clone()
    };
    if blocked {
        // A removed value is signed: no signature can be checked without it.
        opts.consumer_secret = None;
    }
    let mut report = explain(req, &opts);
    report.placeholders = filled;
    base_strings::apply(&mut report, req, &opts, given.base_strings);
    if let Some(good) = given.reference {
        reference::apply(&mut report, req, &opts, good);
    }
    placeholders::restore(&mut report, given.placeholders);
    let client = given.client.or_else(|| client_fix::detect(req));
    if let Some(c) = client {
        for f in &mut report.faults {
            if let Some(t) = client_fix::fix(f.id.as_str(), c) {
                f.fix = t.to_string();
            }
        }
    }
    Ok((report, client))
}
