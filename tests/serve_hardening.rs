//! serve under hostile input (issue 13): a replay at the window's edge, a window of 0, the
//! cost of a 69,000-name form, the parameter bound, an empty secret, absurd limits, and log
//! lines forged with control characters. Requests are signed by oauthlib (independent).
//! Load and timing properties are counts and ratios measured here, never absolute times.

mod serve_common;
mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use assert_cmd::Command;
use serve_common::*;

const BASE: &str = "http://localhost/gallery/";
const SUBS: &str = "http://localhost/gallery/api/v1/workflows/subscription/";

fn unix_now() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap()
}

/// Signs (oauthlib) a request whose timestamp is `window` seconds before a second that has
/// not begun yet, waits for that second, then sends it 20 times: every send lands where
/// the server still accepts the timestamp (exactly at the edge). Returns how many were
/// accepted, or None when the sends slipped out of that second (a stalled machine).
fn replays_at_the_edge(window: u64) -> Option<usize> {
    let srv = server(BASE, |c| c.timestamp_window = window);
    let edge = unix_now().as_secs() + 2;
    let ts = (edge - window).to_string();
    let nonce = format!("edge-{window}-{edge}");
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            SUBS,
            "--consumer-key",
            SUB_KEY,
            "--timestamp",
            &ts,
            "--nonce",
            &nonce,
        ],
    );
    let wait = Duration::from_secs(edge) + Duration::from_millis(20);
    std::thread::sleep(wait.saturating_sub(unix_now()));
    let statuses: Vec<u16> = (0..20)
        .map(|_| send_signed(srv.local_addr(), "GET", &s).status)
        .collect();
    if unix_now().as_secs() != edge {
        return None;
    }
    assert_eq!(statuses[0], 200, "the first request at the edge is valid");
    Some(statuses.iter().filter(|&&s| s == 200).count())
}

#[test]
fn a_request_exactly_window_seconds_old_is_not_replayable() {
    // Before the fix the nonce expired at `ts + window` while the timestamp was still
    // accepted in that second: 20 of 20 sends were accepted.
    for window in [2, 0] {
        let accepted = (0..3).find_map(|_| replays_at_the_edge(window));
        assert_eq!(
            accepted,
            Some(1),
            "--timestamp-window {window}: replays accepted at the edge"
        );
    }
}

/// An unsigned form POST of `names` distinct `oauth_*` names (plus the required ones, so
/// every check up to the consumer key runs): the attack of issue 13.
fn flood_body(names: usize) -> String {
    let mut body = String::from(
        "oauth_consumer_key=nobody&oauth_signature_method=HMAC-SHA1&oauth_signature=x&oauth_timestamp=1&oauth_nonce=n",
    );
    for i in 0..names {
        body.push_str(&format!("&oauth_x{i:05}="));
    }
    body
}

fn post_form(addr: std::net::SocketAddr, body: &str) -> Answer {
    let headers = [(
        "Content-Type".to_string(),
        "application/x-www-form-urlencoded".to_string(),
    )];
    send(
        addr,
        "POST",
        "/gallery/api/v1/workflows/x/jobs/",
        &headers,
        Some(body),
    )
}

/// CPU seconds (user + system) a process has used, from /proc.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("/proc stat");
    let fields: Vec<&str> = stat.rsplit_once(") ").expect("stat").1.split(' ').collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0
}

#[test]
fn per_request_checks_cost_time_linear_in_the_request() {
    // The parameter bound raised so the checks themselves run over every name.
    let served = support::serve_binary(
        &[
            "--listen",
            "127.0.0.1:0",
            "--consumer-key",
            SUB_KEY,
            "--consumer-secret",
            "env:SERVE_SECRET",
            "--max-params",
            "100000",
            "--max-body-bytes",
            "2097152",
        ],
        &[("SERVE_SECRET", SUB_SECRET)],
    );
    let addr = served.addr.parse().unwrap();
    let big = flood_body(69_000);
    let small = flood_body(6_900);
    assert!(big.len() > 900_000 && small.len() > 90_000);
    // Equal bytes on both sides: 30 posts of 100 KB against 3 of 1 MB, three rounds, the
    // cheapest round of each kept. Linear checks cost the same on both; the pairwise
    // duplicate check of old cost ten times more on the big one.
    let cost = |body: &str, times: usize| {
        (0..3)
            .map(|_| {
                let before = cpu_seconds(served.pid());
                for _ in 0..times {
                    let a = post_form(addr, body);
                    assert_eq!(a.status, 401, "{}", a.body);
                    assert!(a.message().contains("consumer key"), "{}", a.body);
                }
                cpu_seconds(served.pid()) - before
            })
            .fold(f64::MAX, f64::min)
    };
    let small_cost = cost(&small, 30).max(0.01);
    let big_cost = cost(&big, 3).max(0.01);
    let ratio = big_cost / small_cost;
    eprintln!(
        "3 x 1 MB: {big_cost:.2} s CPU; 30 x 100 KB: {small_cost:.2} s CPU; ratio {ratio:.2}"
    );
    assert!(
        ratio < 4.0,
        "cost grows faster than the request: ratio {ratio:.2}"
    );
}

#[test]
fn too_many_parameters_are_refused_before_any_is_decoded() {
    let srv = server(BASE, |_| {});
    let a = post_form(srv.local_addr(), &flood_body(69_000));
    assert_eq!(a.status, 413, "{}", a.body);
    assert_eq!(a.json()["exceptionName"], "RequestEntityTooLargeException");
    assert!(a.message().contains("accepts at most 1000"), "{}", a.body);
    // Four floods in flight, and a signed request is still answered: nothing is stalled.
    let addr = srv.local_addr();
    let floods: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(move || post_form(addr, &flood_body(69_000)).status))
        .collect();
    let s = oauthlib_sign(SUB_SECRET, &["--url", SUBS, "--consumer-key", SUB_KEY]);
    assert_eq!(send_signed(addr, "GET", &s).status, 200);
    for f in floods {
        assert_eq!(f.join().unwrap(), 413);
    }
    // At the bound itself a request is still judged on its merits.
    let mut at_bound = flood_body(995);
    at_bound.push_str("&x=1");
    assert_eq!(at_bound.matches('&').count() + 1, 1001);
    assert_eq!(post_form(addr, &at_bound).status, 413);
    at_bound.truncate(at_bound.len() - "&x=1".len());
    assert_eq!(post_form(addr, &at_bound).status, 401);
}

fn serve_cmd() -> Command {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_clear()
        .args(["serve", "--listen", "127.0.0.1:0", "--consumer-key", "k"])
        .timeout(Duration::from_secs(20));
    c
}

/// serve must exit 2 with one line, never reach "listening".
fn refused(c: &mut Command, want: &str) {
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("listening"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(want), "want `{want}` in {err}");
}

#[test]
fn an_empty_secret_is_refused_wherever_it_comes_from() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    refused(
        serve_cmd()
            .args(["--consumer-secret", "stdin"])
            .write_stdin(""),
        "is empty",
    );
    refused(
        serve_cmd().args(["--consumer-secret", &format!("file:{}", empty.display())]),
        "is empty",
    );
    refused(
        serve_cmd()
            .args(["--consumer-secret", "env:E"])
            .env("E", ""),
        "is empty",
    );
    let creds = dir.path().join("creds.toml");
    std::fs::write(
        &creds,
        "[[key]]\nconsumer_key = 'a'\nconsumer_secret = ''\n",
    )
    .unwrap();
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.args(["serve", "--listen", "127.0.0.1:0", "--credentials"])
        .arg(&creds)
        .timeout(Duration::from_secs(20));
    refused(&mut c, "key #1 (`a`): the consumer secret is empty");
}

#[test]
fn numeric_limits_are_checked_before_listening() {
    for (flag, value) in [
        ("--max-header-bytes", "18446744073709551615"),
        ("--max-header-bytes", "100"),
        ("--max-body-bytes", "18446744073709551615"),
        ("--max-params", "0"),
        ("--nonce-cap", "0"),
        ("--timestamp-window", "18446744073709551615"),
        ("--idle-timeout", "1e300"),
        ("--idle-timeout", "0"),
    ] {
        refused(
            serve_cmd()
                .args(["--consumer-secret", "env:E", flag, value])
                .env("E", "s"),
            flag,
        );
    }
}

#[test]
fn log_lines_escape_control_characters() {
    let served = support::serve_binary(
        &[
            "--listen",
            "127.0.0.1:0",
            "--consumer-key",
            SUB_KEY,
            "--consumer-secret",
            "env:SERVE_SECRET",
            "--log-base-strings",
        ],
        &[("SERVE_SECRET", SUB_SECRET)],
    );
    let addr = served.addr.parse().unwrap();
    // A consumer key that ends the log line and forges a second one, then drives the terminal.
    let forged = "k%0Asigdoctor%20serve%3A%20200%20GET%20%2Fadmin%1B%5D0%3Bpwned%07";
    let target = format!(
        "/gallery/api/v1/workflows/subscription/?oauth_consumer_key={forged}&oauth_signature_method=HMAC-SHA1&oauth_signature=x&oauth_timestamp=1&oauth_nonce=n"
    );
    assert_eq!(send(addr, "GET", &target, &[], None).status, 401);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = served.log.lock().unwrap().clone();
        if log.contains("unknown") || std::time::Instant::now() > deadline {
            break log;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 1, "one request, one log line: {log:?}");
    assert!(!lines[0].starts_with("sigdoctor serve: 200"), "{log:?}");
    assert!(!log.contains('\u{1b}') && !log.contains('\u{7}'), "{log:?}");
    assert!(
        lines[0].contains(r"k\nsigdoctor serve: 200 GET /admin\x1b]0;pwned\x07"),
        "{log:?}"
    );
}
