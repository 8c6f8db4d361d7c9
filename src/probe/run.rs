//! The sweep: the request as called first, then the candidates, bounded and polite, each
//! answer classified; a control request before any success is believed.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::advice::{first_refusal, mismatch_finding, nothing_authenticated, unreachable};
use super::pace::Paced;
use super::plan::{self, Candidate, HostHints};
use super::report::{Authenticated, ProbeReport, ProbeRow, Verdict};
use super::sign::Signer;
use super::transport::{certificate_names, HttpRequest, HttpResponse, Transport, TransportError};
use crate::request::RawUrl;
use crate::rfc5849::UriForm;

/// Sweep limits.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Requests in flight at once.
    pub concurrency: usize,
    /// Requests per second at most, at every instant (0 or less: unlimited); see [`Paced`].
    pub rate: f64,
    /// Most candidate requests (the as-called one included).
    pub max_probes: usize,
}

/// How a server answered, in the terms the advice needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 2xx.
    Accepted,
    /// 401/403 about the signature (or saying nothing more specific).
    SignatureRejected,
    /// 401/403 about the timestamp.
    StaleTimestamp(String),
    /// 401/403 about the nonce.
    Nonce(String),
    /// 401/403 about the consumer key.
    UnknownKey(String),
    /// 3xx, with its Location.
    Redirect(Option<String>),
    /// 404.
    NotFound,
    /// 5xx.
    ServerError(u16),
    /// Anything else.
    Other(u16),
}

/// Classifies a response by status and, for refusals, by the server's message.
pub fn classify(resp: &HttpResponse) -> Answer {
    match resp.status {
        200..=299 => Answer::Accepted,
        300..=399 => Answer::Redirect(resp.header("location").map(str::to_string)),
        401 | 403 => {
            let message = serde_json::from_str::<serde_json::Value>(&resp.body)
                .ok()
                .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from))
                .unwrap_or_else(|| resp.body.chars().take(200).collect());
            let lower = message.to_ascii_lowercase();
            if lower.contains("timestamp") || lower.contains("expired") {
                Answer::StaleTimestamp(message)
            } else if lower.contains("nonce") {
                Answer::Nonce(message)
            } else if lower.contains("signature") {
                Answer::SignatureRejected
            } else if lower.contains("consumer") || lower.contains("key") {
                Answer::UnknownKey(message)
            } else {
                Answer::SignatureRejected
            }
        }
        404 => Answer::NotFound,
        500..=599 => Answer::ServerError(resp.status),
        s => Answer::Other(s),
    }
}

/// Sends, and once more (freshly signed) after a 5xx or a timeout. Returns the answer and
/// how many requests went out.
async fn send_retry<T: Transport>(
    t: &T,
    build: &(dyn Fn() -> Option<HttpRequest> + Send + Sync),
) -> (Result<HttpResponse, TransportError>, usize) {
    let mut sent = 0;
    let mut last = Err(TransportError::Other("request could not be built".into()));
    for _ in 0..2 {
        let Some(req) = build() else { break };
        sent += 1;
        last = t.send(req).await;
        match &last {
            Ok(r) if r.status >= 500 => continue,
            Err(TransportError::Timeout) => continue,
            _ => break,
        }
    }
    (last, sent)
}

fn row(uri: &str, res: &Result<HttpResponse, TransportError>) -> ProbeRow {
    ProbeRow {
        signed_uri: uri.to_string(),
        status: res.as_ref().ok().map(|r| r.status),
        authenticated: false,
        elapsed_ms: res
            .as_ref()
            .map_or(0.0, |r| r.elapsed.as_secs_f64() * 1000.0),
    }
}

/// Runs the whole probe against `transport`.
pub async fn probe_with<T: Transport>(
    transport: Arc<T>,
    signer: Signer,
    aliases: Vec<String>,
    limits: Limits,
) -> ProbeReport {
    let transport = Arc::new(Paced::new(transport, limits.rate));
    let target = signer.target.clone();
    let signer = Arc::new(signer);
    let mut report = ProbeReport::new(&target.given);
    report.profile = crate::profile::spec(target.profile).id;
    let called_uri = plan::called_uri(&target);
    if target.called.path.to_ascii_lowercase().contains("/webapi/") {
        report.find(
            "alteryx-oauth1-removed",
            "the URL is under /webapi/: Alteryx Server 2022.1+ API, which takes OAuth 2.0 bearer tokens, not OAuth 1.0a signatures",
            Some("request a token with the API key and secret, or call the OAuth 1.0a Gallery API (/gallery/api/...) on an older server".into()),
        );
    }

    // 1. The request exactly as the user sends it, signed the RFC way.
    let mut shift = 0i64;
    let called = target.called.clone();
    let s = signer.clone();
    let (res, n) = send_retry(&*transport, &|| {
        s.build(&called, &UriForm::default(), 0, false).ok()
    })
    .await;
    report.requests_sent += n;
    report.probes.push(row(&called_uri, &res));
    let first = match res {
        Ok(r) => r,
        Err(e) => {
            unreachable(&mut report, &target, &e);
            return report;
        }
    };
    if let Some(date) = first
        .header("date")
        .and_then(|d| httpdate::parse_http_date(d).ok())
    {
        let server = date
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        report.clock_skew_seconds = Some((server - signer.clock()) as f64);
    }
    let mut hints = HostHints {
        aliases,
        san_names: first
            .peer_certificate
            .as_deref()
            .map(certificate_names)
            .unwrap_or_default(),
        resolved_ip: resolve(&target.called).await,
    };
    hints
        .san_names
        .retain(|n| !n.eq_ignore_ascii_case(&target.called.host));

    let mut answer = classify(&first);
    if let Answer::StaleTimestamp(msg) = &answer {
        let Some(skew) = report.clock_skew_seconds.filter(|s| s.abs() >= 2.0) else {
            report.find(
                "clock-skew",
                format!("the server refuses the timestamp (\"{msg}\") but its Date header shows no skew"),
                Some("check the client clock and time zone (seconds since the Unix epoch, UTC)".into()),
            );
            report.verdict = Verdict::Inconclusive;
            return report;
        };
        shift = skew as i64;
        let s = signer.clone();
        let (res, n) = send_retry(&*transport, &|| {
            s.build(&called, &UriForm::default(), shift, false).ok()
        })
        .await;
        report.requests_sent += n;
        report.probes.push(row(&called_uri, &res));
        match res {
            Ok(r) => answer = classify(&r),
            Err(e) => {
                unreachable(&mut report, &target, &e);
                return report;
            }
        }
    }
    let winner: Option<(String, RawUrl, UriForm, Option<Candidate>)> = match answer {
        Answer::Accepted => Some((called_uri.clone(), called.clone(), UriForm::default(), None)),
        Answer::SignatureRejected => {
            let cands = plan::candidates(&target, &hints);
            report.notes.push(format!(
                "{} candidate base URIs (certificate names {:?}, resolved address {:?}, aliases {:?}); --max-probes {}, --concurrency {}",
                cands.len(),
                hints.san_names,
                hints.resolved_ip,
                hints.aliases,
                limits.max_probes,
                limits.concurrency
            ));
            match sweep(&transport, &signer, &mut report, cands, shift, &limits).await {
                Some(c) => Some((c.signed_uri.clone(), c.url.clone(), c.form, Some(c))),
                None => {
                    if report.findings.is_empty() {
                        nothing_authenticated(&mut report, &signer);
                    }
                    return report;
                }
            }
        }
        other => {
            first_refusal(&transport, &mut report, &target, other).await;
            return report;
        }
    };
    let Some((uri, url, form, cand)) = winner else {
        return report;
    };
    // 2. Trust nothing blindly: a wrong signature must be refused.
    let s = signer.clone();
    let (res, n) = send_retry(&*transport, &|| s.build(&url, &form, shift, true).ok()).await;
    report.requests_sent += n;
    if let Ok(r) = &res {
        if classify(r) == Answer::Accepted {
            report.verdict = Verdict::Inconclusive;
            report.find(
                "no-verification",
                "this endpoint does not verify signatures: a control request with a deliberately wrong signature was accepted too",
                Some("probe an endpoint that requires OAuth (for Alteryx, the Gallery API under /gallery/api/)".into()),
            );
            return report;
        }
    }
    for p in report.probes.iter_mut().filter(|p| p.signed_uri == uri) {
        p.authenticated = p.status.is_some_and(|s| (200..300).contains(&s));
    }
    let mut faults: Vec<String> = plan::fault_ids(&called_uri, &uri)
        .into_iter()
        .map(String::from)
        .collect();
    if shift != 0 {
        faults.push("clock-skew".into());
        report.find(
            "clock-skew",
            format!("the server clock is {shift:+} s from ours: timestamps outside its window are refused"),
            Some("synchronise both clocks (NTP); the server compares oauth_timestamp with its own clock".into()),
        );
    }
    report.authenticated = Some(Authenticated {
        signed_uri: uri.clone(),
        faults: faults.clone(),
    });
    let Some(c) = cand else {
        report.base_address = target.wanted_base_address();
        report.verdict = if shift == 0 {
            Verdict::Ok
        } else {
            Verdict::Mismatch
        };
        return report;
    };
    report.verdict = Verdict::Mismatch;
    mismatch_finding(&mut report, &target, &called_uri, &c, &faults);
    report
}

/// Sends candidates until one authenticates, a refusal changes its reason, or the budget
/// runs out. Returns the cheapest authenticating candidate.
async fn sweep<T: Transport>(
    transport: &Arc<T>,
    signer: &Arc<Signer>,
    report: &mut ProbeReport,
    cands: Vec<Candidate>,
    shift: i64,
    limits: &Limits,
) -> Option<Candidate> {
    let budget = limits.max_probes.saturating_sub(1);
    let cands: Arc<Vec<Candidate>> = Arc::new(cands.into_iter().take(budget).collect());
    let mut set: JoinSet<(usize, Result<HttpResponse, TransportError>, usize)> = JoinSet::new();
    let mut results: Vec<(usize, Result<HttpResponse, TransportError>)> = Vec::new();
    let mut stop = false;
    let mut next = 0;
    // Rounds of --concurrency requests: a round is sent whole, then judged, so a fault found
    // in the first round costs exactly one round (and the order of the plan is the order of
    // discovery).
    while !stop && next < cands.len() {
        let end = (next + limits.concurrency.max(1)).min(cands.len());
        for i in next..end {
            let (t, s, c) = (transport.clone(), signer.clone(), cands.clone());
            set.spawn(async move {
                let cand = &c[i];
                let (res, n) =
                    send_retry(&*t, &|| s.build(&cand.url, &cand.form, shift, false).ok()).await;
                (i, res, n)
            });
        }
        next = end;
        let mut round = Vec::new();
        while let Some(joined) = set.join_next().await {
            if let Ok(r) = joined {
                round.push(r);
            }
        }
        round.sort_by_key(|(i, _, _)| *i);
        for (i, res, n) in round {
            report.requests_sent += n;
            let mut r = row(&cands[i].signed_uri, &res);
            if let Ok(resp) = &res {
                match classify(resp) {
                    Answer::Accepted => {
                        r.authenticated = true;
                        stop = true;
                    }
                    Answer::StaleTimestamp(m) => stop_with(
                        report,
                        &mut stop,
                        "clock-skew",
                        format!("the server refuses the timestamp mid-sweep: \"{m}\""),
                    ),
                    Answer::Nonce(m) => stop_with(
                        report,
                        &mut stop,
                        "nonce-rejected",
                        format!("the server refuses a fresh nonce: \"{m}\""),
                    ),
                    Answer::UnknownKey(m) => stop_with(
                        report,
                        &mut stop,
                        "unknown-consumer-key",
                        format!("the server does not know this consumer key: \"{m}\""),
                    ),
                    _ => {}
                }
            }
            report.probes.push(r);
            results.push((i, res));
        }
    }
    let failures = results
        .iter()
        .filter(|(_, r)| r.is_err() || r.as_ref().is_ok_and(|r| r.status >= 500))
        .count();
    if failures > 0 {
        report.find(
            "probe-errors",
            format!("{failures} probe(s) got a server error or no answer, even after one retry"),
            None,
        );
    }
    results
        .iter()
        .filter(|(_, r)| r.as_ref().is_ok_and(|r| classify(r) == Answer::Accepted))
        .map(|(i, _)| *i)
        .min()
        .map(|i| cands[i].clone())
}

fn stop_with(report: &mut ProbeReport, stop: &mut bool, id: &str, msg: String) {
    *stop = true;
    if !report.findings.iter().any(|f| f.id == id) {
        report.find(id, msg, None);
    }
}

async fn resolve(url: &RawUrl) -> Option<String> {
    let host = url.host.trim_start_matches('[').trim_end_matches(']');
    let addrs = tokio::net::lookup_host((host, url.effective_port()))
        .await
        .ok()?;
    addrs.map(|a| a.ip()).next().map(|ip| match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Profile;
    use crate::probe::plan::Target;
    use crate::secret::Secret;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A scripted server: answers by call number, counts calls.
    struct Fake {
        calls: AtomicUsize,
        answer: fn(usize, &HttpRequest) -> Result<HttpResponse, TransportError>,
    }

    impl Transport for Fake {
        fn send(
            &self,
            req: HttpRequest,
        ) -> impl std::future::Future<Output = Result<HttpResponse, TransportError>> + Send
        {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let res = (self.answer)(n, &req);
            async move { res }
        }
    }

    fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
            ..Default::default()
        }
    }

    fn run_fake(
        url: &str,
        answer: fn(usize, &HttpRequest) -> Result<HttpResponse, TransportError>,
    ) -> ProbeReport {
        let signer = Signer {
            target: Target::new(url, Profile::Auto, false).unwrap(),
            consumer_key: "k".into(),
            consumer_secret: Secret::new("s"),
            now: Some(1_700_000_000),
        };
        let fake = Arc::new(Fake {
            calls: AtomicUsize::new(0),
            answer,
        });
        let limits = Limits {
            concurrency: 4,
            rate: 0.0,
            max_probes: 16,
        };
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(probe_with(fake, signer, Vec::new(), limits))
    }

    #[test]
    fn redirect_to_https_is_evidence_not_followed() {
        let r = run_fake("http://h/gallery/", |_, _| {
            Ok(resp(301, &[("location", "https://h/gallery/")], ""))
        });
        assert_eq!(r.verdict, Verdict::Inconclusive);
        assert_eq!(r.requests_sent, 1, "a signed request is never resent");
        assert_eq!(r.findings[0].id, "base-address-scheme");
    }

    #[test]
    fn server_errors_are_retried_once() {
        let r = run_fake("http://h/gallery/", |_, _| Ok(resp(503, &[], "")));
        assert_eq!(r.requests_sent, 2);
        assert_eq!(r.findings[0].id, "server-error");
        assert_eq!(r.verdict.exit_code(), 3);
    }

    #[test]
    fn timeouts_twice_are_unreachable() {
        let r = run_fake("http://h/gallery/", |_, _| Err(TransportError::Timeout));
        assert_eq!(r.requests_sent, 2);
        assert_eq!(r.verdict, Verdict::Unreachable);
    }

    #[test]
    fn other_refusals_end_the_sweep() {
        // The first probe is refused for its signature, the next for the timestamp.
        let r = run_fake("http://h/gallery/", |n, _| {
            let msg = if n == 0 {
                "The provided signature(oauth_signature) is invalid."
            } else {
                "The timestamp is outside the window."
            };
            Ok(resp(401, &[], &format!("{{\"message\":\"{msg}\"}}")))
        });
        assert_eq!(r.findings[0].id, "clock-skew");
        assert_eq!(r.requests_sent, 1 + 4, "stops after the first round");
    }

    #[test]
    fn query_placement_keeps_the_called_url() {
        let r = run_fake("http://h/gallery/", |n, req| {
            if n > 0 {
                assert_eq!(req.url, "http://h/webapi/", "the 2022.1+ check is unsigned");
                return Ok(resp(404, &[], ""));
            }
            assert!(req.url.starts_with(
                "http://h/gallery/api/v1/workflows/subscription/?limit=1&oauth_consumer_key=k&"
            ));
            assert!(req.url.contains("&oauth_signature="));
            Ok(resp(404, &[], ""))
        });
        assert_eq!(r.findings[0].id, "not-found");
    }
}
