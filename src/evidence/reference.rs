//! `explain BAD --reference GOOD`: a request the server accepted, next to the failing one.
//!
//! With the secret, GOOD calibrates the server (its Base Address, found offline) and BAD is
//! explained against that server form; with or without it, the two requests are diffed as
//! sent, each difference marked by whether it changes the signature.
use crate::error::Error;
use crate::options::{EvidenceArgs, RequestInput};
use crate::report::diff::{diff, Line};
use crate::report::evidence::{Evidence, ReferenceSummary};
use crate::report::model::ExplainReport;
use crate::request::Request;
use crate::search::evidence as ev;
use crate::search::reference::{find_server_form, rfc_base_string};
use crate::search::ExplainOptions;

// Defined with the report model it is part of (it builds without the `cli` feature).
pub use crate::report::evidence::Difference;

/// Reads GOOD like REQUEST: a URL, `-`, `@file`, curl, raw HTTP or HAR.
pub fn load(args: &EvidenceArgs) -> Result<Option<Request>, Error> {
    let Some(src) = &args.reference else {
        return Ok(None);
    };
    let input = RequestInput {
        request: src.clone(),
        entry: args.reference_entry,
        ..RequestInput::default()
    };
    let at = |e: Error| Error::input(format!("--reference: {}", e.one_line()));
    let reqs = crate::input::capture(&input).map_err(at)?;
    reqs.into_iter()
        .find(Request::has_oauth)
        .map(Some)
        .ok_or_else(|| Error::input("--reference: the request holds no OAuth parameter"))
}

/// Adds what GOOD shows to BAD's report.
pub fn apply(r: &mut ExplainReport, bad: &Request, opts: &ExplainOptions, good: &Request) {
    r.evidence.push(Evidence::of("reference"));
    let diffs = differences(good, bad);
    let mut lines: Vec<String> = diffs.iter().map(describe).collect();
    if lines.is_empty() {
        lines.push("no difference beyond nonce, timestamp and signature".to_string());
    }
    r.sections.push(("GOOD vs BAD, as sent".to_string(), lines));
    let mut summary = ReferenceSummary {
        verdict: "unverifiable",
        server_base_uri: None,
        faults: Vec::new(),
        differences: diffs,
    };
    if opts.consumer_secret.is_none() {
        // No secret: the base strings still show what each request asks to be signed.
        let mut lines = vec!["RFC 5849 base strings, GOOD (-) vs BAD (+):".to_string()];
        lines.extend(component_lines(
            &rfc_base_string(good),
            &rfc_base_string(bad),
        ));
        r.sections
            .push(("The reference request".to_string(), lines));
    }
    if let Some(secret) = &opts.consumer_secret {
        let key_text = opts.consumer_key_for(good);
        let km = opts.key_material(good, &key_text, secret.expose());
        match find_server_form(good, &km, &opts.host_aliases) {
            None => {
                summary.verdict = "unexplained";
                r.sections.push((
                    "The reference request".to_string(),
                    vec!["GOOD's signature is valid neither under RFC 5849 nor under any server form tried (scheme, port, host, path): was it signed with this secret?".to_string()],
                ));
            }
            Some(form) => {
                let uri = form.base_uri(good);
                summary.verdict = if form.faults.is_empty() {
                    "valid"
                } else {
                    "server-form"
                };
                summary.faults = form.faults.clone();
                summary.server_base_uri = Some(uri.clone());
                let mut lines = vec![if form.faults.is_empty() {
                    format!("GOOD is valid RFC 5849: the server signs `{uri}` as RFC 5849 does")
                } else {
                    format!(
                        "GOOD is valid when the server signs `{uri}`: its Base Address differs ({})",
                        form.faults.join(", ")
                    )
                }];
                let server_bs = form.base_string(bad);
                let rfc = rfc_base_string(bad);
                let (more, _) = crate::evidence::base_strings::against_server(
                    r, bad, opts, &rfc, &server_bs, None,
                );
                lines.extend(more);
                let good_bs = form.base_string(good);
                let bad_bs = r
                    .matched
                    .as_ref()
                    .map_or_else(|| rfc.clone(), |m| m.base_string.clone());
                lines.push("base strings, GOOD (-) vs BAD (+):".to_string());
                lines.extend(component_lines(&good_bs, &bad_bs));
                r.sections
                    .push(("The reference request".to_string(), lines));
            }
        }
    }
    r.reference = Some(summary);
}

fn component_lines(good: &str, bad: &str) -> Vec<String> {
    let (g, b) = (ev::components(good), ev::components(bad));
    let mut out = Vec::new();
    for l in diff(&g, &b) {
        match l {
            Line::Same(_) => {}
            Line::OnlyRfc(c) => out.push(format!("  - {:<6} {}", c.label, c.text)),
            Line::OnlyClient(c) => out.push(format!("  + {:<6} {}", c.label, c.text)),
            Line::Changed { label, rfc, client } => {
                let join = |s: &[crate::report::diff::Segment]| {
                    s.iter().map(|x| x.text.as_str()).collect::<String>()
                };
                out.push(format!("  - {label:<6} {}", join(&rfc)));
                out.push(format!("  + {label:<6} {}", join(&client)));
            }
        }
    }
    if out.is_empty() {
        out.push("  (the same but for nonce, timestamp and signature)".to_string());
    }
    out
}

fn describe(d: &Difference) -> String {
    let side = |s: &str| {
        if s.is_empty() {
            "(absent)".to_string()
        } else {
            format!("`{s}`")
        }
    };
    format!(
        "{}: GOOD {} vs BAD {} ({})",
        d.what,
        side(&d.good),
        side(&d.bad),
        if d.matters {
            "changes the signature"
        } else {
            "no effect on an RFC 5849 signature"
        }
    )
}

/// Parameters that differ between any two requests by design.
const PER_REQUEST: [&str; 3] = ["oauth_signature", "oauth_nonce", "oauth_timestamp"];

/// GOOD and BAD compared as sent.
pub fn differences(good: &Request, bad: &Request) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut push = |what: String, g: String, b: String, matters: bool| {
        out.push(Difference {
            what,
            good: g,
            bad: b,
            matters,
        });
    };
    if !good.method.eq_ignore_ascii_case(&bad.method) {
        push(
            "method".into(),
            good.method.clone(),
            bad.method.clone(),
            true,
        );
    }
    let (gu, bu) = (&good.url, &bad.url);
    if gu.scheme_lower() != bu.scheme_lower() {
        push("scheme".into(), gu.scheme.clone(), bu.scheme.clone(), true);
    }
    if gu.host != bu.host {
        let matters = !gu.host.eq_ignore_ascii_case(&bu.host);
        push("host".into(), gu.host.clone(), bu.host.clone(), matters);
    }
    if gu.port != bu.port {
        let matters = gu.effective_port() != bu.effective_port();
        let p = |u: &crate::request::RawUrl| u.port.clone().unwrap_or_default();
        push("port".into(), p(gu), p(bu), matters);
    }
    if gu.path != bu.path {
        push("path".into(), gu.path.clone(), bu.path.clone(), true);
    }
    let names = |r: &Request| -> Vec<String> {
        let mut v: Vec<String> = r
            .params
            .iter()
            .map(crate::request::Param::name_str)
            .filter(|n| !PER_REQUEST.contains(&n.as_str()))
            .collect();
        v.dedup();
        v
    };
    let mut all = names(good);
    for n in names(bad) {
        if !all.contains(&n) {
            all.push(n);
        }
    }
    for n in all {
        let pick = |r: &Request| {
            r.params
                .iter()
                .filter(|p| p.name_str() == n)
                .cloned()
                .collect::<Vec<_>>()
        };
        let (g, b) = (pick(good), pick(bad));
        let values = |v: &[crate::request::Param]| {
            v.iter()
                .map(crate::request::Param::value_str)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let wires = |v: &[crate::request::Param]| {
            v.iter()
                .map(|p| p.wire_value.clone().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let origins = |v: &[crate::request::Param]| {
            v.iter()
                .map(|p| p.origin.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let what = format!("param {n}");
        if values(&g) != values(&b) || g.len() != b.len() {
            push(what, values(&g), values(&b), true);
        } else if origins(&g) != origins(&b) {
            push(format!("{what} placement"), origins(&g), origins(&b), false);
        } else if wires(&g) != wires(&b) {
            push(
                format!("{what} encoding on the wire"),
                wires(&g),
                wires(&b),
                false,
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_are_marked_by_whether_they_matter() {
        let good = Request::new(
            "GET",
            "https://h/gallery/api/x/?q=a%20b&oauth_consumer_key=k&oauth_nonce=1&oauth_signature=s",
            vec![],
            None,
        )
        .unwrap();
        let bad = Request::new(
            "GET",
            "https://H:443/gallery/api/x?q=a+b&oauth_consumer_key=k&oauth_nonce=2&extra=1&oauth_signature=t",
            vec![],
            None,
        )
        .unwrap();
        let d = differences(&good, &bad);
        let got: Vec<(&str, bool)> = d.iter().map(|d| (d.what.as_str(), d.matters)).collect();
        assert_eq!(
            got,
            vec![
                ("host", false),
                ("port", false),
                ("path", true),
                ("param q encoding on the wire", false),
                ("param extra", true),
            ]
        );
    }
}
