//! `probe --rate` is a ceiling at every instant (issue 13): a loopback server that answers
//! slowly records when each request arrives, and no window of 1/rate seconds holds more
//! than one request (plus one of slack for scheduling jitter). Before the fix, tokio's
//! interval fired the ticks missed while a round waited all at once. Also: `--rate` and
//! `--concurrency` out of range are one line and exit 2, not a panic.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use assert_cmd::Command;

const INVALID: &str = r#"{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"","message":"The provided signature(oauth_signature) is invalid."}"#;

/// A server that refuses every signature after `delay`, recording each arrival.
fn slow_server(delay: Duration) -> (u16, Arc<Mutex<Vec<Instant>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let log = log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    log.lock().unwrap().push(Instant::now());
                    while line.trim_end() != "" {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                    }
                    std::thread::sleep(delay);
                    let answer = format!(
                        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{INVALID}",
                        INVALID.len()
                    );
                    if (&stream).write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, arrivals)
}

fn probe(port: u16) -> Command {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_clear()
        .env("SECRET", "s3cret")
        .args(["probe", &format!("http://127.0.0.1:{port}/gallery/")])
        .args(["--consumer-key", "k", "--consumer-secret", "env:SECRET"])
        .args(["--profile", "alteryx", "--format", "json"])
        .timeout(Duration::from_secs(60));
    c
}

#[test]
fn no_window_of_one_period_holds_more_than_one_request() {
    let rate = 10.0;
    let (port, arrivals) = slow_server(Duration::from_millis(1500));
    let out = probe(port)
        .args(["--rate", "10", "--concurrency", "16", "--max-probes", "24"])
        .args(["--timeout", "10"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let times = arrivals.lock().unwrap().clone();
    assert!(times.len() >= 20, "{} requests arrived", times.len());
    let period = Duration::from_secs_f64(1.0 / rate);
    let worst = (0..times.len())
        .map(|i| {
            times[i..]
                .iter()
                .take_while(|t| **t - times[i] < period)
                .count()
        })
        .max()
        .unwrap_or(0);
    let min_gap = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .min()
        .unwrap_or_default();
    eprintln!(
        "{} requests; at most {worst} within any {period:?} (closest two {min_gap:?} apart); {:?} from first to last",
        times.len(),
        *times.last().unwrap() - times[0]
    );
    assert!(
        worst <= 2,
        "{worst} requests arrived within one period of {period:?} at --rate {rate}"
    );
    let span = *times.last().unwrap() - times[0];
    let floor = period.mul_f64((times.len() - 1) as f64 * 0.9);
    assert!(span >= floor, "{} requests in {span:?}", times.len());
}

#[test]
fn rate_and_concurrency_out_of_range_are_usage_errors() {
    let (port, _) = slow_server(Duration::ZERO);
    for arg in [
        "--rate=1e10",
        "--rate=NaN",
        "--rate=-1",
        "--rate=1001",
        "--concurrency=0",
        "--concurrency=100000",
        "--max-probes=0",
    ] {
        let out = probe(port).arg(arg).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{arg}: {err}");
        assert_eq!(err.lines().count(), 1, "{arg}: {err}");
        let flag = arg.split('=').next().unwrap();
        assert!(err.contains(flag), "{arg}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
