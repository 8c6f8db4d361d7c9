//! The library's door for the browser page (`web/`): text in, the CLI's JSON out.
//!
//! The wasm-bindgen crate in `web/` only forwards to these functions, so `cargo test` checks
//! natively what the page computes (tests/web_api.rs compares [`explain`] with
//! `sigdoctor explain --format json` on every explain fixture). Everything is pure: the page
//! passes the clock (`now`) and the nonce, and no file, stdin or environment is read, so a
//! request beginning with `@` or `-` is refused rather than taken for a path.
//!
//! Errors are a JSON object too, `{"schema":"sigdoctor.error.v1","error":"one line"}`, the
//! line the CLI would print (exit 2).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::Error;
use crate::evidence::{explain_one, Given};
use crate::options::{EvidenceArgs, Placement, Profile, RequestInput};
use crate::report::diff::{diff, Line};
use crate::report::{json as report_json, ExplainReport};
use crate::request::Request;
use crate::rfc5849::SignatureMethod;
use crate::search::{ExplainOptions, Fault};
use crate::secret::Secret;
use crate::signing::{sign_request, to_json, Fingerprints, SignSpec};

/// The error document's schema id.
pub const ERROR_SCHEMA: &str = "sigdoctor.error.v1";

/// `explain`'s options: the CLI flags of the same names.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct ExplainWebOptions {
    /// `--now`: required, the core has no clock.
    now: Option<i64>,
    consumer_key: Option<String>,
    /// The token secret itself (the page's password field); empty is none.
    token_secret: Option<String>,
    host_aliases: Vec<String>,
    max_faults: Option<usize>,
    profile: Option<String>,
    entry: Option<usize>,
    /// `--host`: the real host where the paste has a placeholder.
    host: Option<String>,
    /// `--reference`: the text of a request the server accepted.
    reference: Option<String>,
    reference_entry: Option<usize>,
    /// `--client-base-string` / `--server-base-string`, as text.
    client_base_string: Option<String>,
    server_base_string: Option<String>,
    /// `--public-key`: the consumer's RSA public key or certificate, PEM text.
    public_key: Option<String>,
}

/// `sign`'s options: the CLI flags of the same names, secrets by value.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SignWebOptions {
    request: String,
    method: Option<String>,
    headers: Vec<String>,
    data: Option<String>,
    consumer_key: String,
    consumer_secret: String,
    token: Option<String>,
    token_secret: Option<String>,
    timestamp: String,
    nonce: String,
    signature_method: Option<String>,
    placement: Option<String>,
    realm: Option<String>,
    no_version: bool,
    profile: Option<String>,
    allow_plaintext_over_http: bool,
}

/// `sigdoctor explain REQUEST --format json`: the same document (one report, or an array
/// for a HAR with several OAuth requests). `secret` empty means none: lints only.
pub fn explain(request: &str, secret: &str, options_json: &str) -> String {
    match run_explain(request, secret, options_json) {
        Ok(reports) => report_json::render(&reports),
        Err(e) => error_json(&e),
    }
}

/// What the page shows beyond the JSON: `{"reports":[...], "views":[{exit_code, diff,
/// secret_fingerprint}]}`, `reports` being [`explain`]'s reports and `diff` the component
/// diff of the human report, the differing characters of a changed component marked.
pub fn explain_view(request: &str, secret: &str, options_json: &str) -> String {
    match run_explain(request, secret, options_json) {
        Ok(reports) => {
            let views: Vec<Value> = reports.iter().map(view).collect();
            // Written by hand so that the reports keep the CLI's field order (a `Value`
            // would sort the keys).
            match (
                serde_json::to_string(&reports),
                serde_json::to_string(&views),
            ) {
                (Ok(r), Ok(v)) => format!("{{\"reports\":{r},\"views\":{v}}}"),
                (Err(e), _) | (_, Err(e)) => error_json(&Error::Io(e.to_string())),
            }
        }
        Err(e) => error_json(&e),
    }
}

/// `sigdoctor sign ... --output json`: the same `sigdoctor.sign.v1` document.
pub fn sign(options_json: &str) -> String {
    match run_sign(options_json) {
        Ok(v) => serde_json::to_string_pretty(&v)
            .unwrap_or_else(|e| error_json(&Error::Io(e.to_string()))),
        Err(e) => error_json(&e),
    }
}

/// The fault catalogue: `{"schema":"sigdoctor.faults.v1","faults":[{id, axis, category,
/// fix}]}`, most frequent first.
pub fn faults() -> String {
    let list: Vec<Value> = Fault::ALL
        .iter()
        .map(|f| {
            json!({
                "id": f.as_str(),
                "axis": f.axis(),
                "category": f.category(),
                "fix": f.fix(),
            })
        })
        .collect();
    json!({ "schema": "sigdoctor.faults.v1", "faults": list }).to_string()
}

fn error_json(e: &Error) -> String {
    json!({ "schema": ERROR_SCHEMA, "error": e.one_line() }).to_string()
}

fn parse_options<T: for<'de> Deserialize<'de> + Default>(text: &str) -> Result<T, Error> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_str(text).map_err(|e| Error::input(format!("options: {e}")))
}

fn profile_of(name: Option<&str>) -> Result<Profile, Error> {
    use crate::profile::{ALTERYX, GENERIC, SPECS};
    let name = name.unwrap_or("auto");
    if name == "auto" {
        return Ok(Profile::Auto);
    }
    // Every entry of the profile table, so a provider added there is a page option too.
    let named = || {
        std::iter::once(&ALTERYX)
            .chain(SPECS)
            .chain(std::iter::once(&GENERIC))
    };
    named()
        .find(|s| s.id == name)
        .map(|s| s.profile)
        .ok_or_else(|| {
            let ids: Vec<&str> = named().map(|s| s.id).collect();
            Error::input(format!(
                "options.profile: `{name}` is none of auto, {}",
                ids.join(", ")
            ))
        })
}

/// Refuses what the CLI would read from elsewhere: the page has no files and no stdin.
fn pasted(request: &str) -> Result<(), Error> {
    let t = request.trim_start();
    if t == "-" || t.starts_with('@') {
        return Err(Error::input(
            "the request: paste the request itself; `-` and `@PATH` name stdin and files, \
             which the page cannot read",
        ));
    }
    Ok(())
}

fn non_empty(s: Option<&str>) -> Option<Secret> {
    s.filter(|s| !s.is_empty()).map(Secret::new)
}

/// The steps of `app::explain` without its I/O.
fn run_explain(
    request: &str,
    secret: &str,
    options_json: &str,
) -> Result<Vec<ExplainReport>, Error> {
    let o: ExplainWebOptions = parse_options(options_json)?;
    let now = o.now.ok_or_else(|| {
        Error::input(
            "options.now: the clock (Unix seconds) is required; the page passes Date.now()",
        )
    })?;
    let profile = profile_of(o.profile.as_deref())?;
    pasted(request)?;
    let input = RequestInput {
        request: request.to_string(),
        entry: o.entry,
        ..RequestInput::default()
    };
    let given_text = |v: Option<String>, what: &str| -> Result<Option<String>, Error> {
        match v.filter(|t| !t.trim().is_empty()) {
            Some(t) => pasted(&t)
                .map_err(|e| Error::input(format!("{what}: {}", e.one_line())))
                .map(|()| Some(t)),
            None => Ok(None),
        }
    };
    let evidence = EvidenceArgs {
        host: o.host.filter(|h| !h.trim().is_empty()),
        reference: given_text(o.reference, "options.reference")?,
        reference_entry: o.reference_entry,
        client_base_string: given_text(o.client_base_string, "options.client_base_string")?,
        server_base_string: given_text(o.server_base_string, "options.server_base_string")?,
    };
    // From here on, the steps of `app::explain` without its I/O.
    let (mut requests, placeholders) =
        crate::evidence::placeholders::capture_text(request, "REQUEST", &input)?;
    if requests.len() > 1 {
        requests.retain(Request::has_oauth);
    }
    let Some(first) = requests.first() else {
        return Err(Error::input(
            "the input holds no request with OAuth parameters",
        ));
    };
    if !first.has_oauth() {
        return Err(Error::input(format!(
            "no OAuth parameter in the query, Authorization header or form body of `{}`",
            crate::input::placeholder::unmask(&first.url.text, &placeholders)
        )));
    }
    let public_key = match o.public_key.as_deref().map(str::trim) {
        Some(pem) if !pem.is_empty() => Some(
            crate::rfc5849::rsa::parse_public_key(pem)
                .map_err(|e| Error::input(format!("options.public_key: {e}")))?,
        ),
        _ => None,
    };
    let base_strings = crate::evidence::base_strings::load(&evidence)?;
    let reference = crate::evidence::reference::load(&evidence)?;
    let given = Given {
        profile,
        options: ExplainOptions {
            consumer_key: o.consumer_key.filter(|k| !k.is_empty()),
            consumer_secret: non_empty(Some(secret)),
            token_secret: non_empty(o.token_secret.as_deref()),
            host_aliases: o.host_aliases,
            now,
            max_faults: o.max_faults.unwrap_or(4),
            alteryx: false,
            profile,
            public_key,
        },
        placeholders: &placeholders,
        evidence: &evidence,
        base_strings: &base_strings,
        reference: reference.as_ref(),
        // Detected from each request, as the CLI does without --client.
        client: None,
    };
    requests
        .iter()
        .map(|req| explain_one(req, &given).map(|(r, _)| r))
        .collect()
}

/// The parts of the human report the JSON leaves out.
fn view(r: &ExplainReport) -> Value {
    let seg = |s: &[crate::report::diff::Segment]| -> Vec<Value> {
        s.iter()
            .map(|s| json!({ "changed": s.changed, "text": s.text }))
            .collect()
    };
    let lines: Vec<Value> = if r.matched_components.is_empty() {
        Vec::new()
    } else {
        diff(&r.expected_components, &r.matched_components)
            .into_iter()
            .map(|l| match l {
                Line::Same(c) => json!({ "kind": "same", "label": c.label, "text": c.text }),
                Line::OnlyRfc(c) => json!({ "kind": "only_rfc", "label": c.label, "text": c.text }),
                Line::OnlyClient(c) => {
                    json!({ "kind": "only_client", "label": c.label, "text": c.text })
                }
                Line::Changed { label, rfc, client } => json!({
                    "kind": "changed", "label": label, "rfc": seg(&rfc), "client": seg(&client),
                }),
            })
            .collect()
    };
    json!({
        "exit_code": r.exit_code(),
        "diff": lines,
        "secret_fingerprint": r.secret_fingerprint,
    })
}

fn run_sign(options_json: &str) -> Result<Value, Error> {
    let o: SignWebOptions = parse_options(options_json)?;
    pasted(&o.request)?;
    if o.consumer_key.is_empty() {
        return Err(Error::input(
            "options.consumer_key: sign needs the consumer key",
        ));
    }
    // An empty consumer secret is allowed, as in the CLI: the key is then `&token_secret`.
    if o.timestamp.is_empty() || o.nonce.is_empty() {
        return Err(Error::input(
            "options.timestamp and options.nonce are required; the page makes them",
        ));
    }
    let method = match o.signature_method.as_deref() {
        None => SignatureMethod::HmacSha1,
        Some(m) => SignatureMethod::parse(m).ok_or_else(|| {
            Error::input(format!(
                "options.signature_method: `{m}` is not one sigdoctor signs with"
            ))
        })?,
    };
    let placement = match o.placement.as_deref() {
        Some("query") => Placement::Query,
        Some("header") => Placement::Header,
        Some("body") => Placement::Body,
        Some(other) => {
            return Err(Error::input(format!(
                "options.placement: `{other}` is none of query, header, body"
            )))
        }
        // The CLI's default for json output: the profile's habit.
        None => {
            let profile = profile_of(o.profile.as_deref())?;
            let url = crate::request::RawUrl::parse(&o.request).ok();
            let resolved = url.map_or(profile, |u| crate::input::resolve_profile(profile, &u));
            if resolved == Profile::Alteryx {
                Placement::Query
            } else {
                Placement::Header
            }
        }
    };
    if method == SignatureMethod::Plaintext
        && o.request
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("http://")
        && !o.allow_plaintext_over_http
    {
        return Err(Error::input(
            "PLAINTEXT over http://: the secrets would travel readable (RFC 5849 section 3.4.4 \
             requires TLS); use https://",
        ));
    }
    let consumer_secret = Secret::new(o.consumer_secret);
    let token_secret = non_empty(o.token_secret.as_deref());
    let spec = SignSpec {
        input: RequestInput {
            request: o.request.clone(),
            method: o.method,
            headers: o.headers,
            data: o.data,
            entry: None,
        },
        consumer_key: &o.consumer_key,
        consumer_secret: &consumer_secret,
        token: o.token.as_deref().filter(|t| !t.is_empty()),
        token_secret: token_secret.as_ref(),
        timestamp: o.timestamp,
        nonce: o.nonce,
        method,
        placement,
        realm: o.realm.as_deref(),
        version: !o.no_version,
    };
    let signed = sign_request(&spec)?;
    let fp = Fingerprints {
        consumer_secret: consumer_secret.fingerprint(),
        token_secret: token_secret.as_ref().map(Secret::fingerprint),
    };
    Ok(to_json(&signed, &json!(fp)))
}
