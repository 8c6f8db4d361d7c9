//! Advice: what each outcome means and what to change, as findings on the report.

use std::sync::Arc;

use super::plan::{Candidate, HostHints, Target};
use super::report::{ProbeReport, Verdict};
use super::run::Answer;
use super::sign::{SecretVariant, Signer};
use super::transport::{HttpRequest, Transport, TransportError};

/// A Location as it may be printed: the signature and nonce of the request that was
/// redirected are ours to keep (a replayable signed URL is a credential for its window).
pub(crate) fn redact_location(loc: &str) -> String {
    let Some((base, query)) = loc.split_once('?') else {
        return loc.to_string();
    };
    let kept: Vec<String> = query
        .split('&')
        .map(|p| {
            let name = p.split('=').next().unwrap_or_default();
            if name.eq_ignore_ascii_case("oauth_signature")
                || name.eq_ignore_ascii_case("oauth_nonce")
            {
                format!("{name}=REDACTED")
            } else {
                p.to_string()
            }
        })
        .collect();
    format!("{base}?{}", kept.join("&"))
}

/// The first answer was neither a success nor a signature refusal: say what it means.
pub(crate) async fn first_refusal<T: Transport>(
    transport: &Arc<T>,
    report: &mut ProbeReport,
    signer: &Signer,
    answer: Answer,
) {
    let target = &signer.target;
    report.verdict = Verdict::Inconclusive;
    match answer {
        Answer::StaleTimestamp(m) => report.find(
            "clock-skew",
            format!("the server refuses the timestamp: \"{m}\""),
            Some("synchronise the clocks (NTP)".into()),
        ),
        Answer::Nonce(m) => report.find(
            "nonce-rejected",
            format!("the server refuses a fresh nonce: \"{m}\"; this is not an invalid signature, so the secret and Base Address are not in question"),
            Some(format!("sigdoctor's nonces are {} characters of [A-Za-z0-9], never reused: check the server's nonce store and its nonce rules (length, characters)", crate::fresh::NONCE_LEN)),
        ),
        Answer::Token(m) => report.find(
            "token-rejected",
            format!("the server refuses the token: \"{m}\""),
            Some(if signer.token.is_some() {
                "check the access token and its secret (--token, --token-secret): expired, revoked or issued to another consumer key".into()
            } else {
                "this endpoint is 3-legged: pass --token TOKEN --token-secret SRC (NetSuite TBA, Magento, Jira, X user context)".into()
            }),
        ),
        Answer::Method(m) => report.find(
            "signature-method-rejected",
            format!("the server refuses the signature method: \"{m}\""),
            Some("check which signature methods the server accepts (--profile picks the provider's)".into()),
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
            let loc = redact_location(&loc.unwrap_or_default());
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
                    body: None,
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
        Answer::Other(s) => {
            let why = report
                .probes
                .last()
                .and_then(|p| p.reason.clone())
                .map(|r| format!(": \"{r}\""))
                .unwrap_or_default();
            report.find(
                "unexpected-status",
                format!("the server answers {s}{why}"),
                None,
            )
        }
        Answer::Accepted | Answer::SignatureRejected => {}
    }
}

/// Nothing authenticated: what was tried, then the likely next steps, most likely first.
pub(crate) fn nothing_authenticated(
    report: &mut ProbeReport,
    signer: &Signer,
    hints: &HostHints,
    sent: &[Candidate],
    total: usize,
) {
    report.verdict = Verdict::Inconclusive;
    let target = &signer.target;
    let called = &target.called;
    let mut schemes: Vec<String> = Vec::new();
    let mut ports: Vec<String> = Vec::new();
    let mut paths: Vec<String> = Vec::new();
    let mut hosts: Vec<String> = Vec::new();
    let push = |v: &mut Vec<String>, x: String| {
        if !v.contains(&x) {
            v.push(x);
        }
    };
    push(&mut schemes, called.scheme_lower());
    push(
        &mut ports,
        called.port.clone().unwrap_or_else(|| "none".into()),
    );
    push(&mut paths, called.path.clone());
    push(&mut hosts, called.host.to_ascii_lowercase());
    for c in sent {
        push(&mut schemes, c.url.scheme_lower());
        push(
            &mut ports,
            c.url.port.clone().unwrap_or_else(|| "none".into()),
        );
        push(&mut paths, c.url.path.clone());
        push(&mut hosts, c.url.host.to_ascii_lowercase());
    }
    let source = |h: &str| -> &str {
        if h.eq_ignore_ascii_case(&called.host) {
            "as called"
        } else if hints.aliases.iter().any(|a| a.eq_ignore_ascii_case(h)) {
            "--host-alias"
        } else if hints.san_names.iter().any(|a| a.eq_ignore_ascii_case(h)) {
            "TLS certificate"
        } else if hints.resolved_ip.as_deref() == Some(h) {
            "resolved address"
        } else if h == "localhost" {
            "a default install's name"
        } else {
            "machine name guess"
        }
    };
    let mut hosts: Vec<String> = hosts
        .iter()
        .map(|h| format!("{h} ({})", source(h)))
        .collect();
    if hints.certificate_unread {
        hosts.push(
            "and not the certificate's names, which could not be read: this list is partial".into(),
        );
    }
    let secrets: Vec<&str> = std::iter::once("as given")
        .chain(sent.iter().filter_map(|c| match c.key {
            SecretVariant::Trimmed => Some("trimmed"),
            SecretVariant::NoTrailingAmpersand => Some("without trailing &"),
            SecretVariant::AsGiven => None,
        }))
        .collect();
    report.find(
        "nothing-authenticated",
        format!(
            "none of the {} requests authenticated. Tried: schemes {}; hosts {}; ports {}; paths {}; secret {} ({})",
            report.probes.len(),
            schemes.join(", "),
            hosts.join(", "),
            ports.join(", "),
            paths.join(", "),
            secrets.join(", "),
            signer.consumer_secret.fingerprint()
        ),
        None,
    );
    let mut steps: Vec<String> = Vec::new();
    if sent.len() < total {
        steps.push(format!(
            "--max-probes {}: only {} of {total} candidates were sent",
            total + 1,
            sent.len()
        ));
    }
    steps.push(format!(
        "an unknown host name: --host-alias NAME with the name the server knows itself by (on the server: `hostname`{}, or the host in its configured base URL{})",
        if target.alteryx { ", the Base Address in System Settings > Gallery" } else { "" },
        if hints.san_names.is_empty() { String::new() } else { format!("; its certificate names {}", hints.san_names.join(", ")) },
    ));
    steps.push("a rewritten path: --path-prefix P when a reverse proxy adds or strips a path segment (nginx `location /api/ { proxy_pass http://app/; }` strips /api)".into());
    if signer.token.is_none() {
        steps.push("a 3-legged endpoint: --token TOKEN --token-secret SRC".into());
    }
    steps.push(if target.alteryx {
        "the secret: the server holds another one (no trailing space; subscription vs admin keys: --admin)".into()
    } else {
        "the secret: the server holds another one for this key".into()
    });
    let numbered: Vec<String> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}. {s}", i + 1))
        .collect();
    if let Some(f) = report.findings.last_mut() {
        f.fix = Some(format!("next, most likely first: {}", numbered.join(" ")));
    }
}

/// A repaired secret authenticated: a key finding, whatever the URI.
pub(crate) fn key_finding(report: &mut ProbeReport, signer: &Signer, key: SecretVariant) {
    let fp = signer.consumer_secret.fingerprint();
    let (id, message, fix) = match key {
        SecretVariant::Trimmed => (
            "key-secret-whitespace",
            format!("the secret you gave has surrounding whitespace ({fp}); the server's has none: the same secret trimmed authenticates"),
            "remove the whitespace from the secret your client uses (a space or newline pasted with it)",
        ),
        _ => (
            "key-secret-trailing-ampersand",
            format!("the secret you gave ends with an `&` the server's lacks ({fp}): without it, the request authenticates"),
            "give the secret without the `&`: the library adds the `&` that joins consumer and token secret itself (RFC 5849 3.4.2)",
        ),
    };
    report.find(id, message, Some(fix.into()));
}

/// The server revealed a base string whose URI is ours: the parameters or the key differ.
pub(crate) fn revealed_finding(
    report: &mut ProbeReport,
    signer: &Signer,
    client: String,
    server: String,
) {
    if client == server {
        report.verdict = Verdict::Inconclusive;
        report.find(
            "server-base-string-same",
            format!("the server revealed the base string it expected, and it is exactly ours: the key differs (the secret given: {})", signer.consumer_secret.fingerprint()),
            Some("check the consumer secret (and token secret): the server holds another one".into()),
        );
    } else {
        report.verdict = Verdict::Mismatch;
        report.find(
            "server-base-string",
            "the server revealed the base string it expected; it differs from ours in the parameters (diff below)",
            Some("sign the parameters the server signs (see the diff)".into()),
        );
    }
    report.with_base_strings(client, server);
}

pub(crate) fn mismatch_finding(
    report: &mut ProbeReport,
    signer: &Signer,
    called_uri: &str,
    c: &Candidate,
    faults: &[String],
) {
    let target = &signer.target;
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
    let fix = match (&c.base_address, target.wanted_base_address()) {
        (Some(current), Some(wanted)) if !c.endpoint_slash_toggled => format!(
            "System Settings > Gallery > Base Address: {current} -> {wanted} (or client-side: {client})"
        ),
        // A route's trailing slash is the client's matter, not the proxy's.
        _ if c.endpoint_slash_toggled => client,
        _ => match super::proxy_fix::server_side(faults, called_uri, &c.signed_uri) {
            Some(server) => format!("server-side: {server}; or client-side: {client}"),
            None => client,
        },
    };
    report.find(&id, message, Some(fix));
    let (ours, theirs) = signer.comparable_base_strings(&c.url, &c.form);
    report.with_base_strings(ours, theirs);
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
            // The saved-certificate command, ready to paste for this server.
            t.fix.replace(
                "HOST:PORT",
                &format!("{}:{}", target.called.host, target.called.effective_port()),
            ),
        ),
        TransportError::Timeout => (
            format!("{origin} did not answer in time (twice)"),
            "raise --timeout, or check firewalls and proxies (HTTPS_PROXY, NO_PROXY)".into(),
        ),
        TransportError::Other(m) => (format!("request to {origin} failed: {m}"), String::new()),
    };
    report.find("unreachable", msg, (!fix.is_empty()).then_some(fix));
}

#[cfg(test)]
mod tests {
    #[test]
    fn signed_redirects_are_redacted() {
        let loc = "https://h/gallery/api/v1/x/?limit=1&oauth_nonce=abc&oauth_signature=s%3D&oauth_timestamp=1";
        assert_eq!(
            super::redact_location(loc),
            "https://h/gallery/api/v1/x/?limit=1&oauth_nonce=REDACTED&oauth_signature=REDACTED&oauth_timestamp=1"
        );
        assert_eq!(super::redact_location("https://h/"), "https://h/");
    }
}
