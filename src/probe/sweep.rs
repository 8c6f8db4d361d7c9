//! Sending the candidates: rounds of `--concurrency` (the transport keeps `--rate`), stopping at the first
//! round where one authenticates or the server refuses for another reason, with progress
//! on stderr while a person watches (nothing when stderr is not a terminal).

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::task::JoinSet;

use super::plan::Candidate;
use super::report::ProbeReport;
use super::run::{classify, row, send_retry, Answer, Limits};
use super::sign::{SecretVariant, Signer};
use super::transport::{HttpResponse, Transport, TransportError};

/// A bar on stderr, hidden unless stderr is a terminal (indicatif checks).
fn progress(total: usize) -> ProgressBar {
    let pb = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("probe {bar:24} {pos}/{len} sent, {msg}") {
        pb.set_style(style);
    }
    pb.set_message("0 authenticated");
    pb
}

type Outcome = (usize, Result<HttpResponse, TransportError>, usize);

/// Sends `cands` until one authenticates, a refusal changes its reason, or they run out.
/// Returns the cheapest authenticating candidate.
pub(crate) async fn sweep<T: Transport>(
    transport: &Arc<T>,
    signer: &Arc<Signer>,
    report: &mut ProbeReport,
    cands: &[Candidate],
    shift: i64,
    limits: &Limits,
) -> Option<Candidate> {
    let cands: Arc<Vec<Candidate>> = Arc::new(cands.to_vec());
    let pb = progress(cands.len());
    let mut set: JoinSet<Outcome> = JoinSet::new();
    let mut results: Vec<(usize, Result<HttpResponse, TransportError>)> = Vec::new();
    let mut stop = false;
    let mut next = 0;
    let mut authenticated = 0;
    // Rounds of --concurrency requests: a round is sent whole, then judged, so a fault found
    // in the first round costs exactly one round (and the order of the plan is the order of
    // discovery).
    while !stop && next < cands.len() {
        let end = (next + limits.concurrency.max(1)).min(cands.len());
        for i in next..end {
            pb.inc(1);
            let (t, s, c) = (transport.clone(), signer.clone(), cands.clone());
            set.spawn(async move {
                let cand = &c[i];
                let (res, n, _) = send_retry(&*t, &|| {
                    s.build_signed(&cand.url, &cand.form, cand.key, shift, false)
                        .ok()
                })
                .await;
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
            r.secret = match cands[i].key {
                SecretVariant::AsGiven => None,
                SecretVariant::Trimmed => Some("trimmed"),
                SecretVariant::NoTrailingAmpersand => Some("without trailing &"),
            };
            if let Ok(resp) = &res {
                match classify(resp) {
                    Answer::Accepted => {
                        r.authenticated = true;
                        authenticated += 1;
                        pb.set_message(format!("{authenticated} authenticated"));
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
                        format!("the server refuses a fresh nonce mid-sweep: \"{m}\" (a nonce refusal is not an invalid signature)"),
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
    pb.finish_and_clear();
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
