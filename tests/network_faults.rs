//! Network faults (issue 6): probe against local misbehaving servers. Each must end with a
//! clear message and the right exit code, within its timeout, never a hang or a panic.

mod support;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use assert_cmd::Command;

/// How the fake server answers every connection.
#[derive(Clone, Copy)]
enum Behaviour {
    /// Writes part of a response, then closes.
    ResetMidResponse,
    /// Reads the request and never answers.
    Silent,
    /// Redirects every request to itself.
    RedirectLoop,
    /// 500 for everything.
    ServerError,
    /// 200 with a body far larger than anyone should read.
    HugeBody,
    /// 200 with a small JSON body, signature or not.
    AcceptsEverything,
}

fn read_head(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match s.read(&mut byte) {
            Ok(1) => buf.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

fn handle(mut s: TcpStream, b: Behaviour) {
    let head = read_head(&mut s);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let _ = match b {
        Behaviour::ResetMidResponse => s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"da"),
        Behaviour::Silent => {
            std::thread::sleep(Duration::from_secs(30));
            Ok(())
        }
        Behaviour::RedirectLoop => s.write_all(
            format!("HTTP/1.1 302 Found\r\nLocation: {path}\r\nContent-Length: 0\r\n\r\n").as_bytes(),
        ),
        Behaviour::ServerError => s.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
        ),
        Behaviour::HugeBody => {
            let _ = s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1073741824\r\nContent-Type: application/json\r\n\r\n");
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..16_384 {
                if s.write_all(&chunk).is_err() {
                    break;
                }
            }
            Ok(())
        }
        Behaviour::AcceptsEverything => s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"data\":[]}",
        ),
    };
}

/// Starts a fake server thread; returns its address.
fn fake(b: Behaviour) -> String {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || handle(s, b));
        }
    });
    addr
}

fn probe(url: &str, extra: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args([
            "probe",
            url,
            "--consumer-key",
            "k",
            "--profile",
            "generic",
            "--rate",
            "100",
            "--max-probes",
            "8",
        ])
        .args(extra)
        .env("SIGDOCTOR_CONSUMER_SECRET", "s3cret")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code(), text)
}

#[test]
fn connection_refused_is_unreachable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, text) = probe(&format!("http://127.0.0.1:{port}/api/items"), &[]);
    assert_eq!(code, Some(4), "{text}");
    assert!(
        text.to_lowercase().contains("refused") || text.to_lowercase().contains("connect"),
        "{text}"
    );
}

#[test]
fn reset_mid_response_is_reported() {
    let addr = fake(Behaviour::ResetMidResponse);
    let (code, text) = probe(&format!("http://{addr}/api/items"), &["--timeout", "5"]);
    assert!(matches!(code, Some(3) | Some(4)), "{code:?} {text}");
}

#[test]
fn slower_than_timeout_is_unreachable_with_timeout_message() {
    let addr = fake(Behaviour::Silent);
    let (code, text) = probe(&format!("http://{addr}/api/items"), &["--timeout", "1"]);
    assert_eq!(code, Some(4), "{text}");
    assert!(
        text.to_lowercase().contains("timed out") || text.to_lowercase().contains("timeout"),
        "{text}"
    );
}

#[test]
fn redirect_loop_is_not_followed_and_is_reported() {
    let addr = fake(Behaviour::RedirectLoop);
    let (code, text) = probe(&format!("http://{addr}/api/items"), &["--timeout", "5"]);
    assert_ne!(code, Some(0), "{text}");
    assert_ne!(code, Some(2), "{text}");
    assert!(text.to_lowercase().contains("redirect"), "{text}");
}

#[test]
fn server_errors_are_reported() {
    let addr = fake(Behaviour::ServerError);
    let (code, text) = probe(&format!("http://{addr}/api/items"), &["--timeout", "5"]);
    assert!(matches!(code, Some(3) | Some(4)), "{code:?} {text}");
    assert!(text.contains("500"), "{text}");
}

#[test]
fn huge_body_is_read_only_in_part() {
    let addr = fake(Behaviour::HugeBody);
    let (code, text) = probe(&format!("http://{addr}/api/items"), &["--timeout", "20"]);
    assert!(matches!(code, Some(3) | Some(4)), "{code:?} {text}");
}

#[test]
fn a_server_that_accepts_everything_is_caught_by_the_control_probe() {
    let addr = fake(Behaviour::AcceptsEverything);
    let (code, text) = probe(&format!("http://{addr}/api/items"), &["--timeout", "5"]);
    assert_eq!(code, Some(3), "{text}");
    assert!(
        text.to_lowercase().contains("not verify")
            || text.to_lowercase().contains("does not check"),
        "{text}"
    );
}

#[test]
fn untrusted_certificate_suggests_cacert_or_insecure() {
    let dir = tempfile::tempdir().unwrap();
    support::certs::openssl(
        dir.path(),
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=untrusted.test",
            "-keyout",
            "k.pem",
            "-out",
            "c.pem",
        ],
    );
    let server = support::certs::s_server(dir.path(), "c.pem", "k.pem");
    let port = server.1;
    let (code, text) = probe(
        &format!("https://127.0.0.1:{port}/api/items"),
        &["--timeout", "5"],
    );
    drop(server);
    assert_eq!(code, Some(4), "{text}");
    assert!(
        text.contains("--cacert") || text.contains("--insecure"),
        "{text}"
    );
}
