//! serve's configuration: Base Address normalization, key roles, the unauthenticated ping,
//! size limits, and the binary's start-up line, refusal without credentials and shutdown.

mod serve_common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serve_common::*;
use sigdoctor::serve::Normalization;

const LB_BASE: &str = "https://gallery.example.com:443/gallery/";
const LB_SUBS: &str = "https://gallery.example.com:443/gallery/api/v1/workflows/subscription/";

fn sign_lb(keep_port: bool) -> Signed {
    let mut args = vec!["--url", LB_SUBS, "--consumer-key", SUB_KEY];
    if keep_port {
        args.push("--keep-default-port");
    }
    oauthlib_sign(SUB_SECRET, &args)
}

#[test]
fn literal_normalization_accepts_only_the_port_as_configured() {
    let srv = server(LB_BASE, |c| c.normalization = Normalization::Literal);
    let kept = sign_lb(true);
    let a = send_signed(srv.local_addr(), "GET", &kept);
    assert_eq!(a.status, 200, "{}", a.body);
    let dropped = sign_lb(false);
    let a = send_signed(srv.local_addr(), "GET", &dropped);
    assert_eq!(a.status, 401);
    assert_eq!(a.message(), sigdoctor::serve::INVALID_SIGNATURE);
}

#[test]
fn rfc_normalization_drops_the_default_port() {
    let srv = server(LB_BASE, |_| {});
    let a = send_signed(srv.local_addr(), "GET", &sign_lb(false));
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send_signed(srv.local_addr(), "GET", &sign_lb(true));
    assert_eq!(a.status, 401);
}

#[test]
fn admin_and_subscription_keys_call_their_own_api_only() {
    let srv = server("http://localhost/gallery/", |_| {});
    let addr = srv.local_addr();
    let admin_users = "http://localhost/gallery/api/admin/v1/users/";
    let subs = "http://localhost/gallery/api/v1/workflows/subscription/";
    let s = oauthlib_sign(
        ADMIN_SECRET,
        &["--url", admin_users, "--consumer-key", ADMIN_KEY],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()[0]["firstName"], "Ada");

    let s = oauthlib_sign(
        ADMIN_SECRET,
        &[
            "--url",
            "http://localhost/gallery/api/admin/v1/workflows/?limit=1",
            "--consumer-key",
            ADMIN_KEY,
        ],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.json().as_array().map(Vec::len), Some(1));

    let s = oauthlib_sign(ADMIN_SECRET, &["--url", subs, "--consumer-key", ADMIN_KEY]);
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 401);
    assert!(
        a.message()
            .contains("it is a admin key, which may call api/admin/v1/ only"),
        "{}",
        a.body
    );

    let s = oauthlib_sign(
        SUB_SECRET,
        &["--url", admin_users, "--consumer-key", SUB_KEY],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 401);
    assert!(
        a.message()
            .contains("subscription key, which may call api/v1/ only"),
        "{}",
        a.body
    );
}

#[test]
fn ping_needs_no_signature_and_other_routes_do() {
    let srv = server("http://localhost/gallery/", |_| {});
    let a = send(
        srv.local_addr(),
        "GET",
        "/gallery/api/status/ping/",
        &[],
        None,
    );
    assert_eq!(a.status, 200);
    let a = send(
        srv.local_addr(),
        "GET",
        "/gallery/api/v1/workflows/subscription/",
        &[],
        None,
    );
    assert_eq!(a.status, 401);
    assert_eq!(
        a.message(),
        "The request is missing the OAuth parameter oauth_consumer_key."
    );
}

#[test]
fn oversized_headers_and_bodies_are_refused() {
    let srv = server("http://localhost/gallery/", |c| {
        c.max_header_bytes = 4096;
        c.max_body_bytes = 1000;
    });
    let big = vec![("X-Filler".to_string(), "x".repeat(8000))];
    let a = send(
        srv.local_addr(),
        "GET",
        "/gallery/api/status/ping/",
        &big,
        None,
    );
    assert_eq!(a.status, 431);
    let body = "a".repeat(2000);
    let a = send(
        srv.local_addr(),
        "POST",
        "/gallery/api/v1/workflows/x/jobs/",
        &[],
        Some(&body),
    );
    assert_eq!(a.status, 413);
}

#[test]
fn the_binary_refuses_to_run_without_credentials() {
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("serve needs credentials"), "{err}");
}

#[test]
fn the_binary_announces_its_port_serves_and_stops_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--consumer-key",
            SUB_KEY,
            "--consumer-secret",
            "env:SERVE_TEST_SECRET",
            "--log-base-strings",
        ])
        .env("SERVE_TEST_SECRET", SUB_SECRET)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr: std::net::SocketAddr = first
        .strip_prefix("sigdoctor serve: listening on http://")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("{first}"))
        .parse()
        .unwrap();
    assert!(first.contains("base address http://localhost/gallery/"));
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            "http://localhost/gallery/api/v1/workflows/subscription/",
            "--consumer-key",
            SUB_KEY,
        ],
    );
    assert_eq!(send_signed(addr, "GET", &s).status, 200);
    let bad = oauthlib_sign(
        "wrong secret",
        &[
            "--url",
            "http://localhost/gallery/api/v1/workflows/subscription/",
            "--consumer-key",
            SUB_KEY,
        ],
    );
    assert_eq!(send_signed(addr, "GET", &bad).status, 401);
    let logged = lines.next().unwrap().unwrap();
    assert!(
        logged.contains("expected base string: GET&http%3A%2F%2Flocalhost%2Fgallery%2Fapi"),
        "{logged}"
    );
    assert!(!logged.contains(SUB_SECRET) && !logged.contains("s3cr3t"));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn an_idle_connection_is_closed() {
    use std::io::Read;
    let srv = server("http://localhost/gallery/", |c| {
        c.idle_timeout = std::time::Duration::from_millis(200);
    });
    let mut s = std::net::TcpStream::connect(srv.local_addr()).unwrap();
    // A guard against hanging forever, not a timing assertion.
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let mut buf = [0u8; 64];
    let n = s
        .read(&mut buf)
        .expect("closed by the server, not timed out");
    assert_eq!(n, 0);
}

#[test]
fn the_binary_reads_a_credentials_file_with_both_roles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    std::fs::write(
        &path,
        format!(
            "[[key]]\nconsumer_key = \"{SUB_KEY}\"\nconsumer_secret = \"env:SERVE_TEST_SUB\"\n\n\
             [[key]]\nconsumer_key = \"{ADMIN_KEY}\"\nconsumer_secret = \"{ADMIN_SECRET}\"\nrole = \"admin\"\n"
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args(["serve", "--listen", "127.0.0.1:0", "--credentials"])
        .arg(&path)
        .env("SERVE_TEST_SUB", SUB_SECRET)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("2 key(s)"), "{first}");
    let addr: std::net::SocketAddr = first
        .split("listening on http://")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    let users = "http://localhost/gallery/api/admin/v1/users/";
    let subs = "http://localhost/gallery/api/v1/workflows/subscription/";
    let a = send_signed(
        addr,
        "GET",
        &oauthlib_sign(ADMIN_SECRET, &["--url", users, "--consumer-key", ADMIN_KEY]),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send_signed(
        addr,
        "GET",
        &oauthlib_sign(SUB_SECRET, &["--url", subs, "--consumer-key", SUB_KEY]),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn a_slow_client_trickling_its_headers_is_cut_off() {
    use std::io::{Read, Write};
    let srv = server("http://localhost/gallery/", |c| {
        c.idle_timeout = std::time::Duration::from_millis(300);
    });
    let mut s = std::net::TcpStream::connect(srv.local_addr()).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_millis(50)))
        .unwrap();
    // One header byte every 50 ms, never finishing the head: a slowloris client. The server
    // must close the connection (or answer 408) instead of waiting for the head forever.
    let head = b"GET /gallery/api/status/ping/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
    let mut closed = false;
    let mut buf = [0u8; 256];
    for i in 0..400 {
        let byte = [head.get(i).copied().unwrap_or(b'a')];
        if s.write_all(&byte).is_err() {
            closed = true;
            break;
        }
        match s.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => {
                let answer = String::from_utf8_lossy(&buf[..n]).to_string();
                assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
                closed = true;
                break;
            }
            Err(_) => {} // read timed out: still open, keep trickling
        }
    }
    assert!(closed, "the server kept a 20-second trickle open");
}
