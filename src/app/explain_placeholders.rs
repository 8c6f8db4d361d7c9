//! Placeholders in the pasted request: read through them, fill those a flag gives
//! (`--host`, `--consumer-key`), and tell which values are still needed.

use crate::cli::{EvidenceArgs, RequestInput};
use crate::error::Error;
use crate::input::placeholder::{mask, unmask, Placeholder};
use crate::report::evidence::PlaceholderReport;
use crate::report::model::ExplainReport;
use crate::request::{Param, Request};

/// Reads REQUEST with its placeholders swapped for tokens.
pub fn capture(input: &RequestInput) -> Result<(Vec<Request>, Vec<Placeholder>), Error> {
    let (text, source) = crate::input::read_input(input)?;
    let (masked, found) = mask(&text);
    if found.is_empty() {
        return Ok((crate::input::parse_text(&text, &source, input)?, found));
    }
    let reqs = crate::input::parse_text(&masked, &source, input)
        .map_err(|e| Error::input(unmask(&e.one_line(), &found)))?;
    Ok((reqs, found))
}

/// Fills what the flags give in `req`, and reports every placeholder with where it stands.
/// Returns the reports and whether one still stands in a signed part (the signature then
/// cannot be checked).
pub fn fill(
    req: &mut Request,
    found: &[Placeholder],
    args: &EvidenceArgs,
    consumer_key: Option<&str>,
) -> Result<(Vec<PlaceholderReport>, bool), Error> {
    let mut out = Vec::new();
    let mut blocked = false;
    if let Some(h) = &args.host {
        let h = h.trim();
        if h.is_empty() || h.contains(['/', '?', '#', ' ', '@']) || h.chars().any(char::is_control)
        {
            return Err(Error::input(format!(
                "--host `{}`: expected a host name (no scheme, path or spaces)",
                h.escape_debug()
            )));
        }
    }
    if args.host.is_some() && !found.iter().any(|p| req.url.host.contains(&p.token)) {
        crate::eline!("sigdoctor: --host: the request's host is no placeholder; --host is ignored");
    }
    for p in found {
        let mut report = |place: String, fill: String, filled: bool| {
            out.push(PlaceholderReport {
                text: p.text.clone(),
                place,
                fill,
                filled,
            });
        };
        if req.url.host.contains(&p.token) {
            match &args.host {
                Some(h) => {
                    let h = h.trim();
                    let text = req.url.text.replace(&p.token, h);
                    let rebuilt =
                        Request::new(&req.method, &text, req.headers.clone(), req.body.clone())?;
                    let kept = std::mem::take(&mut req.params);
                    *req = Request {
                        params: kept,
                        ..rebuilt
                    };
                    report("host".into(), format!("--host {h}"), true);
                }
                None => {
                    blocked = true;
                    report("host".into(), "--host H (the real host name)".into(), false);
                }
            }
            continue;
        }
        if req.url.path.contains(&p.token) {
            blocked = true;
            report("path".into(), "the real path of the endpoint".into(), false);
            continue;
        }
        let Some(i) = req
            .params
            .iter()
            .position(|q| q.name_str().contains(&p.token) || q.value_str().contains(&p.token))
        else {
            // Outside anything signed (a response body in a HAR, an XML tag): not a value
            // the analysis needs.
            continue;
        };
        let name = req.params[i].name_str();
        match name.as_str() {
            "oauth_consumer_key" => match consumer_key {
                Some(k) => {
                    let origin = req.params[i].origin;
                    req.params[i] = Param::decoded(&name, k, origin);
                    report(name, format!("--consumer-key {k}"), true);
                }
                None => {
                    blocked = true;
                    report(name, "--consumer-key KEY".into(), false);
                }
            },
            "oauth_signature" => {
                blocked = true;
                report(
                    name,
                    "the captured signature (its first 10 characters are enough)".into(),
                    false,
                );
            }
            _ if name.contains(&p.token) => {
                blocked = true;
                report(
                    "query".into(),
                    "the elided parameters: paste the whole query".into(),
                    false,
                );
            }
            _ => {
                blocked = true;
                let fill = format!("the real value of {name}");
                report(name, fill, false);
            }
        }
    }
    Ok((out, blocked))
}

/// Puts the placeholders' text back wherever the report shows a token, and drops the lints
/// about a removed parameter value (they judge the token, not the client's value).
pub fn restore(r: &mut ExplainReport, found: &[Placeholder]) {
    if found.is_empty() {
        return;
    }
    let values: Vec<&Placeholder> = found
        .iter()
        .filter(|p| {
            r.placeholders
                .iter()
                .any(|q| q.text == p.text && !matches!(q.place.as_str(), "host" | "path"))
        })
        .collect();
    r.lints
        .retain(|l| !values.iter().any(|p| l.message.contains(&p.token)));
    for l in &mut r.lints {
        l.message = unmask(&l.message, found);
    }
    let back = |s: &mut String| *s = unmask(s, found);
    back(&mut r.request.url);
    for v in [
        &mut r.request.consumer_key,
        &mut r.request.signature,
        &mut r.request.nonce,
        &mut r.request.timestamp,
        &mut r.request.signature_method,
    ]
    .into_iter()
    .flatten()
    {
        back(v);
    }
    for (n, v) in &mut r.request.params {
        back(n);
        back(v);
    }
    if let Some(e) = &mut r.expected {
        back(&mut e.base_string);
    }
    if let Some(m) = &mut r.matched {
        back(&mut m.base_string);
    }
    for c in r
        .expected_components
        .iter_mut()
        .chain(r.matched_components.iter_mut())
    {
        back(&mut c.text);
    }
    for f in &mut r.faults {
        back(&mut f.message);
    }
    for (_, lines) in &mut r.sections {
        for l in lines {
            back(l);
        }
    }
}
