//! `explain --client-base-string` / `--server-base-string`: a base string someone printed,
//! read as evidence next to (or instead of) the signature and the secret.

use crate::error::Error;
use crate::options::EvidenceArgs;
use crate::report::evidence::{ClientSummary, Evidence, ServerSummary};
use crate::report::model::{Expected, ExplainReport, FaultReport, Matched, Verdict};
use crate::request::Request;
use crate::rfc5849::{base_string, Context, Variant};
use crate::search::evidence::{self as ev, Extracted};
use crate::search::{host_candidates, ExplainOptions, Hypothesis};

/// The base strings given on the command line, extracted.
#[derive(Clone, Debug, Default)]
pub struct BaseStrings {
    /// `--client-base-string`.
    pub client: Option<Extracted>,
    /// `--server-base-string`.
    pub server: Option<Extracted>,
}

/// Reads `SRC` (text, `@file`, `-`) for `flag`.
pub fn read_source(src: &str, flag: &str) -> Result<String, Error> {
    if src == "-" {
        let bytes = crate::input::read_bounded(std::io::stdin().lock(), "stdin")?;
        crate::input::to_text(bytes, &format!("{flag} (stdin)"))
    } else if let Some(path) = src.strip_prefix('@') {
        crate::input::to_text(crate::input::read_file(path)?, &format!("{flag} @{path}"))
    } else {
        Ok(src.to_string())
    }
}

/// Refuses two inputs from stdin: only one can have it.
pub fn one_stdin(request: &str, args: &EvidenceArgs) -> Result<(), Error> {
    let dashed: Vec<&str> = [
        (Some(request), "REQUEST"),
        (args.reference.as_deref(), "--reference"),
        (args.client_base_string.as_deref(), "--client-base-string"),
        (args.server_base_string.as_deref(), "--server-base-string"),
    ]
    .into_iter()
    .filter(|(v, _)| *v == Some("-"))
    .map(|(_, n)| n)
    .collect();
    if dashed.len() > 1 {
        return Err(Error::input(format!(
            "{} all read stdin (`-`); give all but one as @file or text",
            dashed.join(" and ")
        )));
    }
    Ok(())
}

/// Reads and extracts both base strings; one that holds none is bad input.
pub fn load(args: &EvidenceArgs) -> Result<BaseStrings, Error> {
    let one = |src: &Option<String>, flag: &str| -> Result<Option<Extracted>, Error> {
        let Some(src) = src else { return Ok(None) };
        let text = read_source(src, flag)?;
        ev::extract(&text).map(Some).ok_or_else(|| {
            Error::input(format!(
                "{flag}: no base string found (expected METHOD&pct(uri)&pct(params), or a body \
                 or log line with debug_sbs=, oauth_signature_base_string=, \"Expected signature \
                 base string:\", base_string or \"signature base string:\")"
            ))
        })
    };
    Ok(BaseStrings {
        client: one(&args.client_base_string, "--client-base-string")?,
        server: one(&args.server_base_string, "--server-base-string")?,
    })
}

/// The RFC 5849 base string of the request as sent.
fn rfc_base_string(req: &Request) -> String {
    base_string(req, &Variant::default(), &Context::default())
}

/// Adds what the base strings show to a report `explain` made.
pub fn apply(r: &mut ExplainReport, req: &Request, opts: &ExplainOptions, bs: &BaseStrings) {
    let rfc = rfc_base_string(req);
    if let Some(c) = &bs.client {
        client(r, req, opts, &rfc, c);
    }
    if let Some(s) = &bs.server {
        server(r, req, opts, &rfc, s, bs.client.as_ref());
    }
}

fn client(r: &mut ExplainReport, req: &Request, opts: &ExplainOptions, rfc: &str, c: &Extracted) {
    r.evidence.push(Evidence::of("client-base-string"));
    let mut lines = vec![format!("found ({}): {}", c.form, c.base_string)];
    let signs = signs_to_captured(req, opts, &c.base_string);
    if let Some(yes) = signs {
        lines.push(if yes {
            "with the secret given, it signs to the captured signature: it is what the client signed".to_string()
        } else {
            "with the secret given, it does NOT sign to the captured signature: the client signed another string, or with another key".to_string()
        });
    }
    let mut aliases = opts.host_aliases.clone();
    aliases.extend(ev::host_of(&c.base_string));
    let aliases = host_candidates(req, &aliases);
    let hits = ev::switches_for(req, &aliases, &c.base_string, opts.max_faults);
    let method = r
        .request
        .signature_method
        .as_deref()
        .and_then(crate::rfc5849::SignatureMethod::parse)
        .unwrap_or(crate::rfc5849::SignatureMethod::HmacSha1);
    let mut ranked: Vec<Hypothesis> = hits.iter().map(|s| Hypothesis::with(method, s)).collect();
    ranked.sort_by_key(|h| h.faults().iter().map(|f| f.rank()).sum::<usize>());
    ranked.dedup_by(|a, b| a.faults() == b.faults());
    r.client = Some(ClientSummary {
        base_string: c.base_string.clone(),
        form: c.form,
        faults: ranked
            .first()
            .map(|h| h.faults().iter().map(|f| f.as_str()).collect()),
        signs_captured: signs,
    });
    match ranked.first() {
        None => lines.push(format!(
            "no combination of up to {} base-string faults turns the RFC base string into it",
            opts.max_faults
        )),
        Some(h) if h.switches.is_empty() => {
            lines.push("it is the RFC 5849 base string of the request: the difference lies in the key or the signature's encoding".to_string());
        }
        Some(h) => {
            let ids: Vec<&str> = h.faults().iter().map(|f| f.as_str()).collect();
            lines.push(format!(
                "base-string faults that produce it: {}",
                ids.join(", ")
            ));
        }
    }
    // Without the secret the base string is the whole answer.
    if r.verdict == Verdict::Unverifiable {
        r.expected = Some(Expected {
            base_string: rfc.to_string(),
            signature: String::new(),
        });
        r.expected_components = ev::components(rfc);
        r.matched_components = ev::components(&c.base_string);
        match ranked.first() {
            None => r.verdict = Verdict::Unexplained,
            Some(h) if h.switches.is_empty() => r.verdict = Verdict::Valid,
            Some(h) => {
                r.verdict = Verdict::Explained;
                let aliases_ctx = Context {
                    host_aliases: &aliases,
                };
                let km = crate::rfc5849::KeyMaterial {
                    consumer_key: "",
                    consumer_secret: "",
                    token_secret: None,
                    has_token: false,
                };
                r.faults = crate::search::explain_faults(req, h, &km, &aliases_ctx)
                    .into_iter()
                    .map(|(f, message)| FaultReport {
                        id: f,
                        category: f.category(),
                        message,
                        fix: f.fix().to_string(),
                    })
                    .collect();
                r.matched = Some(Matched {
                    base_string: c.base_string.clone(),
                    signature: r.request.signature.clone().unwrap_or_default(),
                    faults: h.faults(),
                    alternatives: ranked[1..].iter().map(Hypothesis::faults).collect(),
                });
            }
        }
    }
    r.sections
        .push(("The client's base string".to_string(), lines));
}

fn server(
    r: &mut ExplainReport,
    req: &Request,
    opts: &ExplainOptions,
    rfc: &str,
    s: &Extracted,
    client: Option<&Extracted>,
) {
    r.evidence.push(Evidence::of("server-base-string"));
    let client_bs = client.map(|c| c.base_string.as_str());
    let (mut lines, found) = against_server(r, req, opts, rfc, &s.base_string, client_bs);
    let Some((d, signs)) = found else {
        return;
    };
    lines.insert(0, format!("found ({}): {}", s.form, s.base_string));
    if let Some(yes) = signs {
        lines.push(if yes {
            "with the secret given, it signs to the captured signature: the client signed what the server expects, so the secrets differ".to_string()
        } else {
            "with the secret given, it does not sign to the captured signature: the client signed another string".to_string()
        });
    }
    r.server = Some(ServerSummary {
        base_string: s.base_string.clone(),
        form: s.form,
        base_uri: d.base_uri,
        faults: d.faults,
        params_added: d.added,
        params_dropped: d.dropped,
        signs_captured: signs,
    });
    r.sections
        .push(("The server's base string".to_string(), lines));
}

/// Re-reads the report against the base string the server signs for `req` (given, or
/// derived from a reference request): what differs from RFC 5849, the diff of the client's
/// side against the server's, and the client's URI faults dropped when the client signs
/// the very URI the server does. Returns the lines for people, the difference and, with
/// the secret, whether `server_bs` signs to the captured signature.
pub fn against_server(
    r: &mut ExplainReport,
    req: &Request,
    opts: &ExplainOptions,
    rfc: &str,
    server_bs: &str,
    client: Option<&str>,
) -> (Vec<String>, Option<(ev::ServerDiff, Option<bool>)>) {
    let Some(d) = ev::server_diff(rfc, server_bs) else {
        return (Vec::new(), None);
    };
    let mut lines = Vec::new();
    if d.faults.is_empty() {
        lines.push(format!(
            "the server signs the URI `{}`, as RFC 5849 does for the request as sent",
            d.base_uri
        ));
    } else {
        lines.push(format!(
            "the server signs the URI `{}`: {}",
            d.base_uri,
            d.faults.join(", ")
        ));
    }
    for p in &d.added {
        lines.push(format!(
            "the server signs `{p}`, which the request does not carry"
        ));
    }
    for p in &d.dropped {
        lines.push(format!(
            "the server does not sign `{p}`, which the request carries"
        ));
    }
    if let Some((sent, signed)) = &d.method {
        lines.push(format!(
            "the server signs the method `{signed}`; RFC 5849 gives `{sent}`"
        ));
    }
    let signs = signs_to_captured(req, opts, server_bs);
    // The client's side of the diff: its own base string, else the hypothesis that
    // reproduced its signature, else the request as sent.
    let client_bs = client
        .map(str::to_string)
        .or_else(|| r.matched.as_ref().map(|m| m.base_string.clone()))
        .unwrap_or_else(|| rfc.to_string());
    if ev::split(&client_bs).map(|p| p.uri) == Some(d.base_uri.clone()) {
        if drop_uri_faults(r) {
            lines.push(
                "the client signs that very URI: right for this server, whatever RFC 5849 says"
                    .to_string(),
            );
        }
    } else if !d.faults.is_empty() {
        lines.push(format!(
            "fix: set the server's Base Address to match what clients call, or sign `{}`",
            d.base_uri
        ));
    }
    let mut differs = !d.faults.is_empty() || !d.added.is_empty() || !d.dropped.is_empty();
    if !differs && d.method.is_none() && server_bs != rfc {
        differs = true;
        lines.push(
            "same method, URI and parameters, but in another order or encoding: the server \
             normalises them differently from RFC 5849"
                .to_string(),
        );
    }
    if r.verdict == Verdict::Unverifiable && (differs || d.method.is_some()) {
        r.verdict = Verdict::Explained;
    }
    // JSON `expected` stays RFC 5849 for the request as sent (the v1 contract); the human
    // diff is drawn against the server's side.
    if r.expected.is_none() {
        r.expected = Some(Expected {
            base_string: rfc.to_string(),
            signature: String::new(),
        });
    }
    r.server_signs = Some(server_bs.to_string());
    r.expected_components = ev::components(server_bs);
    r.matched_components = ev::components(&client_bs);
    if r.matched.is_none() && r.verdict == Verdict::Explained {
        r.matched = Some(Matched {
            base_string: client_bs,
            signature: r.request.signature.clone().unwrap_or_default(),
            faults: Vec::new(),
            alternatives: Vec::new(),
        });
    }
    (lines, Some((d, signs)))
}

/// The client's URI faults are no faults when the server signs that very URI: drops them
/// (true when there were some).
pub fn drop_uri_faults(r: &mut ExplainReport) -> bool {
    let before = r.faults.len();
    r.faults.retain(|f| f.category != "uri");
    if let Some(m) = &mut r.matched {
        m.faults.retain(|f| f.category() != "uri");
    }
    let dropped = before != r.faults.len();
    if dropped && r.faults.is_empty() && r.verdict == Verdict::Explained {
        // Right for this server: no hypothesis is "matched" against it.
        r.verdict = Verdict::Valid;
        r.matched = None;
    }
    dropped
}

/// With the secret: whether `bs` signs (RFC key, declared method) to the captured signature,
/// in any reading of it. `None` without a secret or a signature.
fn signs_to_captured(req: &Request, opts: &ExplainOptions, bs: &str) -> Option<bool> {
    use crate::rfc5849::{raw_signature, signing_key, KeyForm, SignatureMethod};
    let secret = opts.consumer_secret.as_ref()?;
    let decodings = crate::search::captured::decodings(req);
    if decodings.is_empty() {
        return None;
    }
    let key_text = opts.consumer_key_for(req);
    let km = opts.key_material(req, &key_text, secret.expose());
    let method = crate::search::declared_method(req).unwrap_or(SignatureMethod::HmacSha1);
    if method == SignatureMethod::Plaintext {
        return None;
    }
    let mac = raw_signature(method, &signing_key(&km, KeyForm::Rfc), bs.as_bytes());
    Some(decodings.iter().any(|d| d.matches(&mac)))
}
