//! The sweep: the request as called first, then the candidates, bounded and polite, each
//! answer classified by the server's own reason; a control request before any success is
//! believed.

use std::sync::Arc;

use super::advice::{
    first_refusal, key_finding, mismatch_finding, nothing_authenticated, revealed_finding,
    unreachable,
};
use super::pace::Paced;
use super::plan::{self, Candidate, HostHints};
use super::reason::{reason, revealed_base_string, ReasonClass};
use super::report::{Authenticated, ProbeReport, ProbeRow, Verdict};
use super::sign::{SecretVariant, Signer};
use super::sweep::sweep;
use super::transport::{certificate_names, HttpResponse, Transport, TransportError};
use crate::request::RawUrl;
use crate::rfc5849::UriForm;

/// Server clock skew beyond which a nonce refusal is read as a timestamp refusal.
const NONCE_AS_CLOCK_SECS: f64 = 30.0;

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
    /// Refused for the timestamp.
    StaleTimestamp(String),
    /// Refused for the nonce.
    Nonce(String),
    /// Refused for the consumer key.
    UnknownKey(String),
    /// Refused for the token (missing on a 3-legged endpoint, unknown, expired).
    Token(String),
    /// Refused for the signature method.
    Method(String),
    /// 3xx, with its Location.
    Redirect(Option<String>),
    /// 404.
    NotFound,
    /// 5xx.
    ServerError(u16),
    /// Anything else.
    Other(u16),
}

/// Classifies a response by status and, for refusals, by the server's own reason.
pub fn classify(resp: &HttpResponse) -> Answer {
    match resp.status {
        200..=299 => Answer::Accepted,
        300..=399 => Answer::Redirect(resp.header("location").map(str::to_string)),
        400 | 401 | 403 => {
            let Some(r) = reason(resp) else {
                return if resp.status == 400 {
                    Answer::Other(400)
                } else {
                    Answer::SignatureRejected
                };
            };
            match r.class {
                // A bare 400 is about the request, not the signature, unless it says so.
                ReasonClass::Signature
                    if resp.status == 400
                        && !["signature", "oauth", "unauthori"]
                            .iter()
                            .any(|w| r.text.to_ascii_lowercase().contains(w)) =>
                {
                    Answer::Other(400)
                }
                ReasonClass::Signature => Answer::SignatureRejected,
                ReasonClass::Nonce => Answer::Nonce(r.text),
                ReasonClass::Timestamp => Answer::StaleTimestamp(r.text),
                ReasonClass::UnknownKey => Answer::UnknownKey(r.text),
                ReasonClass::Token => Answer::Token(r.text),
                ReasonClass::Method => Answer::Method(r.text),
            }
        }
        404 => Answer::NotFound,
        500..=599 => Answer::ServerError(resp.status),
        s => Answer::Other(s),
    }
}

/// A request and the base string it signs.
pub(crate) type Build<'a> = &'a (dyn Fn() -> Option<super::sign::Signed> + Send + Sync);

/// Sends, and once more (freshly signed) after a 5xx or a timeout. Returns the answer, how
/// many requests went out, and the base string of the last one.
pub(crate) async fn send_retry<T: Transport>(
    t: &T,
    build: Build<'_>,
) -> (Result<HttpResponse, TransportError>, usize, String) {
    let mut sent = 0;
    let mut last = Err(TransportError::Other("request could not be built".into()));
    let mut base = String::new();
    for _ in 0..2 {
        let Some(signed) = build() else { break };
        sent += 1;
        base = signed.base_string;
        last = t.send(signed.request).await;
        match &last {
            Ok(r) if r.status >= 500 => continue,
            Err(TransportError::Timeout) => continue,
            _ => break,
        }
    }
    (last, sent, base)
}

/// One row of the table: the URI signed, what came back, and the server's reason.
pub(crate) fn row(uri: &str, res: &Result<HttpResponse, TransportError>) -> ProbeRow {
    let why = res.as_ref().ok().and_then(reason);
    ProbeRow {
        signed_uri: uri.to_string(),
        status: res.as_ref().ok().map(|r| r.status),
        authenticated: false,
        elapsed_ms: res
            .as_ref()
            .map_or(0.0, |r| r.elapsed.as_secs_f64() * 1000.0),
        reason: why.as_ref().map(|r| r.text.clone()),
        reason_class: why.map(|r| r.class),
        secret: None,
    }
}

/// Runs the whole probe against `transport`. The first finding names the cause: side
/// notes (probes that got no answer) go last.
pub async fn probe_with<T: Transport>(
    transport: Arc<T>,
    signer: Signer,
    hints: HostHints,
    limits: Limits,
) -> ProbeReport {
    let mut report = probe_inner(transport, signer, hints, limits).await;
    report.findings.sort_by_key(|f| f.id == "probe-errors");
    report
}

async fn probe_inner<T: Transport>(
    transport: Arc<T>,
    signer: Signer,
    mut hints: HostHints,
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
    let as_given = SecretVariant::AsGiven;
    let s = signer.clone();
    let (res, n, mut client_sbs) = send_retry(&*transport, &|| {
        s.build_signed(&called, &UriForm::default(), as_given, 0, false)
            .ok()
    })
    .await;
    report.requests_sent += n;
    report.probes.push(row(&called_uri, &res));
    let mut first = match res {
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
    hints.san_names = first
        .peer_certificate
        .as_deref()
        .map(certificate_names)
        .unwrap_or_default();
    hints
        .san_names
        .retain(|n| !n.eq_ignore_ascii_case(&target.called.host));
    hints.resolved_ip = resolve(&target.called).await;
    hints.certificate_unread =
        target.called.scheme_lower() == "https" && first.peer_certificate.is_none();
    report.notes.push(if hints.certificate_unread {
        "the TLS certificate could not be read (a proxy in between?): its names are not candidates, the host list is partial".into()
    } else {
        format!("certificate names {:?}", hints.san_names)
    });

    let mut answer = classify(&first);
    // One callback judges nonce and timestamp in some verifiers (passport-http-oauth calls a
    // stale timestamp `nonce_used`): with a skewed server clock, the clock is the suspect.
    if let (Answer::Nonce(m), Some(skew)) = (&answer, report.clock_skew_seconds) {
        if skew.abs() >= NONCE_AS_CLOCK_SECS {
            answer = Answer::StaleTimestamp(m.clone());
        }
    }
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
        let (res, n, sbs) = send_retry(&*transport, &|| {
            s.build_signed(&called, &UriForm::default(), as_given, shift, false)
                .ok()
        })
        .await;
        report.requests_sent += n;
        report.probes.push(row(&called_uri, &res));
        client_sbs = sbs;
        match res {
            Ok(r) => {
                answer = classify(&r);
                first = r;
            }
            Err(e) => {
                unreachable(&mut report, &target, &e);
                return report;
            }
        }
    }
    let winner: Candidate = match answer {
        Answer::Accepted => plan::as_called(&target),
        Answer::SignatureRejected => {
            let cands = plan::candidates(&target, &hints);
            // The server told us what it signs: try exactly that alone, or stop here.
            if let Some(server_sbs) = revealed_base_string(&first.body) {
                let try_now: Vec<Candidate> =
                    match super::given::revealed_candidate(&target, &server_sbs, &client_sbs) {
                        Some(c) => vec![c],
                        // The whole string is ours: only the key can differ, so only the
                        // secret repairs are worth a request.
                        None if server_sbs == client_sbs => cands
                            .iter()
                            .filter(|c| c.key != SecretVariant::AsGiven)
                            .cloned()
                            .collect(),
                        None => Vec::new(),
                    };
                if let Some(c) =
                    sweep(&transport, &signer, &mut report, &try_now, shift, &limits).await
                {
                    return confirm(transport, signer, report, c, shift, &called_uri).await;
                }
                if try_now
                    .first()
                    .is_none_or(|c| c.key != SecretVariant::AsGiven)
                {
                    revealed_finding(&mut report, &signer, client_sbs, server_sbs);
                    return report;
                }
            }
            let total = cands.len();
            report.notes.push(format!(
                "{total} candidate base URIs (certificate names {:?}, resolved address {:?}, aliases {:?}); --max-probes {}, --concurrency {}",
                hints.san_names,
                hints.resolved_ip,
                hints.aliases,
                limits.max_probes,
                limits.concurrency
            ));
            let budget = limits.max_probes.saturating_sub(1);
            let sent: Vec<Candidate> = cands.into_iter().take(budget).collect();
            match sweep(&transport, &signer, &mut report, &sent, shift, &limits).await {
                Some(c) => c,
                None => {
                    if report.findings.is_empty() {
                        nothing_authenticated(&mut report, &signer, &hints, &sent, total);
                    }
                    return report;
                }
            }
        }
        other => {
            first_refusal(&transport, &mut report, &signer, other).await;
            return report;
        }
    };
    confirm(transport, signer, report, winner, shift, &called_uri).await
}

/// Trusts nothing blindly (a wrong signature must be refused), then writes the finding.
async fn confirm<T: Transport>(
    transport: Arc<T>,
    signer: Arc<Signer>,
    mut report: ProbeReport,
    winner: Candidate,
    shift: i64,
    called_uri: &str,
) -> ProbeReport {
    let target = &signer.target;
    let s = signer.clone();
    let w = winner.clone();
    let (res, n, _) = send_retry(&*transport, &|| {
        s.build_signed(&w.url, &w.form, w.key, shift, true).ok()
    })
    .await;
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
    let uri = winner.signed_uri.clone();
    let as_called = uri == called_uri && winner.key == SecretVariant::AsGiven;
    for p in report.probes.iter_mut() {
        // Only accepted requests answer 2xx; the control is no row.
        if p.signed_uri == uri && p.status.is_some_and(|s| (200..300).contains(&s)) {
            p.authenticated = true;
        }
    }
    let mut faults: Vec<String> = match winner.key.fault() {
        Some(id) => vec![id.to_string()],
        None => plan::fault_ids(called_uri, &uri)
            .into_iter()
            .map(String::from)
            .collect(),
    };
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
    if as_called {
        report.base_address = target.wanted_base_address();
        report.verdict = if shift == 0 {
            Verdict::Ok
        } else {
            Verdict::Mismatch
        };
        return report;
    }
    report.verdict = Verdict::Mismatch;
    if winner.key != SecretVariant::AsGiven {
        report.base_address = target.wanted_base_address();
        key_finding(&mut report, &signer, winner.key);
    } else {
        mismatch_finding(&mut report, &signer, called_uri, &winner, &faults);
    }
    report
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
    use crate::probe::transport::HttpRequest;
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
            token: None,
            method: "GET".into(),
            body: None,
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
            .block_on(probe_with(fake, signer, HostHints::default(), limits))
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
