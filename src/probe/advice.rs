//! Advice: what each outcome means and what to change, as findings on the report.

use std::sync::Arc;

use super::plan::{Candidate, Target};
use super::report::{ProbeReport, Verdict};
use super::run::Answer;
use super::sign::Signer;
use super::transport::{HttpRequest, Transport, TransportError};

/// The first answer was neither a success nor a signature refusal: say what it means.
pub(crate) async fn first_refusal<T: Transport>(
    transport: &Arc<T>,
    report: &mut ProbeReport,
    target: &Target,
    answer: Answer,
) {
    report.verdict = Verdict::Inconclusive;
    match answer {
        Answer::StaleTimestamp(m) => report.find(
            "clock-skew",
            format!("the server refuses the timestamp: \"{m}\""),
            Some("synchronise the clocks (NTP)".into()),
        ),
        Answer::Nonce(m) => report.find(
            "nonce-rejected",
            format!("the server refuses a fresh nonce: \"{m}\""),
            Some("check the server's nonce store; sigdoctor never reuses a nonce".into()),
        ),
        Answer::UnknownKey(m) => report.find(
            "unknown-consumer-key",
            format!("the server does not know this consumer key: \"{m}\""),
            Some(if target.alteryx {
                "check the key; Alteryx has separate subscription and admin key pairs (admin keys: --admin)".into()
            } else {
                "check the consumer key".into()
            }),
        ),
        Answer::Redirect(loc) => {
            let loc = loc.unwrap_or_default();
            let to_https = target.called.scheme_lower() == "http"
                && loc.to_ascii_lowercase().starts_with("https://");
            let (id, msg) = if to_https {
                ("base-address-scheme", format!("the server redirects http to https ({loc}): it is served over https, so clients must call and sign https"))
            } else {
                ("redirect", format!("the server redirects to {loc}"))
            };
            report.find(
                id,
                msg,
                Some(format!("probe the URL it redirects to (a signed request is never resent to another origin): sigdoctor probe '{loc}'")),
            );
        }
        Answer::NotFound => {
            let origin = target.called.origin();
            let webapi = transport
                .send(HttpRequest {
                    method: "GET".into(),
                    url: format!("{origin}/webapi/"),
                    headers: Vec::new(),
                })
                .await;
            report.requests_sent += 1;
            if target.alteryx && webapi.as_ref().is_ok_and(|r| r.status != 404) {
                report.find(
                    "alteryx-oauth1-removed",
                    "the OAuth 1.0a Gallery API answers 404 but /webapi/ exists: this is Alteryx Server 2022.1 or later, where the OAuth 1.0a API was removed",
                    Some("use the V3 API under /webapi/ with OAuth 2.0 (exchange the API key and secret for a bearer token)".into()),
                );
            } else {
                report.find(
                    "not-found",
                    format!("{} answers 404", target.called.text),
                    Some("check the URL (for Alteryx: the Gallery address, e.g. https://host/gallery/)".into()),
                );
            }
        }
        Answer::ServerError(s) => report.find(
            "server-error",
            format!("the server answers {s} (twice)"),
            Some("look at the server's logs".into()),
        ),
        Answer::Other(s) => report.find(
            "unexpected-status",
            format!("the server answers {s}"),
            None,
        ),
        Answer::Accepted | Answer::SignatureRejected => {}
    }
}

pub(crate) fn nothing_authenticated(report: &mut ProbeReport, signer: &Signer) {
    report.verdict = Verdict::Inconclusive;
    let tried = report.probes.len();
    report.find(
        "nothing-authenticated",
        format!(
            "none of the {tried} base URIs tried authenticated: the server likely uses another secret than the one given ({})",
            signer.consumer_secret.fingerprint()
        ),
        Some(if signer.target.alteryx {
            "check the consumer secret (no trailing space) and the key pair (Alteryx subscription vs admin keys: --admin); add --host-alias NAME for names the server may know itself by".into()
        } else {
            "check the consumer secret and key; add --host-alias NAME for names the server may know itself by".into()
        }),
    );
}

pub(crate) fn mismatch_finding(
    report: &mut ProbeReport,
    target: &Target,
    called_uri: &str,
    c: &Candidate,
    faults: &[String],
) {
    let id = faults
        .first()
        .cloned()
        .unwrap_or_else(|| "base-address-path".into());
    let message = format!(
        "the server signs {} for requests to {called_uri} ({})",
        c.signed_uri, c.label
    );
    let client = format!(
        "sign with {} as the base string URI while sending to {}",
        c.signed_uri, target.called.text
    );
    report.base_address = c.base_address.clone();
    match (&c.base_address, target.wanted_base_address()) {
        (Some(current), Some(wanted)) if !c.endpoint_slash_toggled => {
            report.find(
                &id,
                message,
                Some(format!(
                    "System Settings > Gallery > Base Address: {current} -> {wanted} (or client-side: {client})"
                )),
            );
        }
        _ => report.find(&id, message, Some(client)),
    }
}

pub(crate) fn unreachable(report: &mut ProbeReport, target: &Target, e: &TransportError) {
    report.verdict = Verdict::Unreachable;
    let origin = target.called.origin();
    let (msg, fix) = match e {
        TransportError::Connect(m) => (
            format!("nothing answers at {origin}: {m}"),
            "check the host and port, and that the server is running".to_string(),
        ),
        TransportError::Dns(m) => (
            format!("cannot resolve {}: {m}", target.called.host),
            "check the host name (or use the IP address with --host-alias NAME)".into(),
        ),
        TransportError::Tls(t) => (
            format!("TLS with {origin} failed: {}", t.message),
            t.fix.clone(),
        ),
        TransportError::Timeout => (
            format!("{origin} did not answer in time (twice)"),
            "raise --timeout, or check firewalls and proxies (HTTPS_PROXY, NO_PROXY)".into(),
        ),
        TransportError::Other(m) => (format!("request to {origin} failed: {m}"), String::new()),
    };
    report.find("unreachable", msg, (!fix.is_empty()).then_some(fix));
}
