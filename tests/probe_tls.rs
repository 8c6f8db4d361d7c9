//! TLS trust like curl, against a real TLS server (`openssl s_server`): the one-liner
//! self-signed certificate (it carries CA:TRUE) pinned with `--cacert`; a private CA
//! trusted only through `SSL_CERT_FILE`; each refusal naming its kind and its fix.
//!
//! `s_server -www` answers 200 to anything, so a handshake that succeeds ends in the
//! control probe's "no-verification" (exit 3); a refused one is "unreachable" (exit 4).

use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

mod support;

fn openssl(args: &[&str], dir: &Path) {
    support::certs::openssl(dir, args);
}

/// The one-liner: `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=host
/// -addext subjectAltName=DNS:host` (CA:TRUE by default).
fn one_liner(dir: &Path) {
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=host",
            "-addext",
            "subjectAltName=DNS:host",
            "-keyout",
            "key.pem",
            "-out",
            "cert.pem",
        ],
        dir,
    );
}

/// A private CA and a server certificate (`key.pem`, `cert.pem`) it issues for `san`.
fn private_ca(dir: &Path, san: &str) {
    support::certs::private_ca_and_leaf(
        dir,
        "Private Test CA",
        "server",
        &format!("subjectAltName={san}\n"),
        "key.pem",
        "cert.pem",
    );
}

fn s_server(dir: &Path) -> support::certs::SServer {
    support::certs::s_server(dir, "cert.pem", "key.pem")
}

/// Runs probe (JSON) with `env` set and SSL_CERT_FILE/DIR cleared unless given.
fn probe(port: u16, extra: &[&str], env: &[(&str, &Path)]) -> (i32, Value) {
    let mut cmd = Command::cargo_bin("sigdoctor").unwrap();
    cmd.env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env(support::SECRET_VAR, support::SECRET);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(["probe", &format!("https://127.0.0.1:{port}/api/items")])
        .args(["--consumer-key", support::KEY])
        .args(["--consumer-secret", &format!("env:{}", support::SECRET_VAR)])
        .args(["--format", "json", "--timeout", "5", "--rate", "0"])
        .args(extra)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

fn first_finding(v: &Value) -> (String, String, String) {
    let f = &v["findings"][0];
    (
        f["id"].as_str().unwrap_or_default().to_string(),
        f["message"].as_str().unwrap_or_default().to_string(),
        f["fix"].as_str().unwrap_or_default().to_string(),
    )
}

/// The handshake succeeded: the server answered, and the control probe caught that
/// s_server verifies nothing.
fn assert_connected(code: i32, v: &Value) {
    assert_eq!(v["verdict"], "inconclusive", "{v:#}");
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(first_finding(v).0, "no-verification", "{v:#}");
}

#[test]
fn one_liner_certificate_is_pinned_with_cacert() {
    let dir = tempfile::tempdir().unwrap();
    one_liner(dir.path());
    let server = s_server(dir.path());
    let cert = dir.path().join("cert.pem");
    let (code, v) = probe(server.1, &["--cacert", cert.to_str().unwrap()], &[]);
    assert_connected(code, &v);

    // Not pinned: refused as a self-signed (CA:TRUE) certificate; the fix is --cacert with
    // the server's own certificate, and --insecure comes last.
    let (code, v) = probe(server.1, &[], &[]);
    assert_eq!(code, 4, "{v:#}");
    let (id, message, fix) = first_finding(&v);
    assert_eq!(id, "unreachable");
    assert!(
        message.contains("CA:TRUE") || message.contains("self-signed"),
        "{message}"
    );
    assert!(fix.starts_with("pass --cacert server-cert.pem"), "{fix}");
    let cacert_at = fix.find("--cacert").unwrap();
    assert!(fix.find("--insecure").unwrap() > cacert_at, "{fix}");
}

#[test]
fn private_ca_is_trusted_through_ssl_cert_file_only() {
    let dir = tempfile::tempdir().unwrap();
    private_ca(dir.path(), "IP:127.0.0.1,DNS:localhost");
    let server = s_server(dir.path());
    let ca = dir.path().join("ca.pem");
    let (code, v) = probe(server.1, &[], &[("SSL_CERT_FILE", &ca)]);
    assert_connected(code, &v);

    // SSL_CERT_DIR: a directory prepared by `openssl rehash`, as OpenSSL and curl read it.
    let cadir = dir.path().join("certs");
    std::fs::create_dir(&cadir).unwrap();
    std::fs::copy(&ca, cadir.join("private-ca.pem")).unwrap();
    openssl(&["rehash", cadir.to_str().unwrap()], dir.path());
    let (code, v) = probe(server.1, &[], &[("SSL_CERT_DIR", &cadir)]);
    assert_connected(code, &v);

    // The same CA as --cacert works too (curl's other way).
    let (code, v) = probe(server.1, &["--cacert", ca.to_str().unwrap()], &[]);
    assert_connected(code, &v);

    // Without it: unknown issuer, named, with the CA fix.
    let (code, v) = probe(server.1, &[], &[]);
    assert_eq!(code, 4, "{v:#}");
    let (_, message, fix) = first_finding(&v);
    assert!(
        message.contains("does not trust") && message.contains("Private Test CA"),
        "{message}"
    );
    assert!(
        fix.contains("--cacert CA.pem") && fix.contains("SSL_CERT_FILE"),
        "{fix}"
    );
}

#[test]
fn name_mismatch_lists_the_certificate_names() {
    let dir = tempfile::tempdir().unwrap();
    private_ca(dir.path(), "DNS:gallery.example.test,DNS:gallery01");
    let server = s_server(dir.path());
    let ca = dir.path().join("ca.pem");
    let (code, v) = probe(server.1, &[], &[("SSL_CERT_FILE", &ca)]);
    assert_eq!(code, 4, "{v:#}");
    let (_, message, fix) = first_finding(&v);
    assert!(message.contains("not valid for 127.0.0.1"), "{message}");
    assert!(
        message.contains("gallery.example.test, gallery01"),
        "{message}"
    );
    assert!(fix.contains("call the server by a name"), "{fix}");
}

/// A CONNECT proxy on loopback (what HTTPS_PROXY names): counts tunnels, splices bytes.
fn connect_proxy() -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tunnels = std::sync::Arc::new(AtomicUsize::new(0));
    let count = tunnels.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let count = count.clone();
            std::thread::spawn(move || {
                let mut reader = std::io::BufReader::new(client.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let target = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let Ok(upstream) = TcpStream::connect(&target) else {
                    return;
                };
                count.fetch_add(1, Ordering::SeqCst);
                let mut c = client;
                c.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .unwrap();
                let (mut c2, mut u2) = (c.try_clone().unwrap(), upstream.try_clone().unwrap());
                let mut u = upstream;
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut u2, &mut c2);
                });
                let _ = std::io::copy(&mut reader, &mut u);
            });
        }
    });
    (port, tunnels)
}

#[test]
fn certificate_names_are_read_through_an_https_proxy() {
    let dir = tempfile::tempdir().unwrap();
    one_liner(dir.path());
    let server = s_server(dir.path());
    let (proxy, tunnels) = connect_proxy();
    let cert = dir.path().join("cert.pem");
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .env_remove("SSL_CERT_FILE")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("HTTPS_PROXY", format!("http://127.0.0.1:{proxy}"))
        .env(support::SECRET_VAR, support::SECRET)
        .args([
            "-v",
            "probe",
            &format!("https://127.0.0.1:{}/api/items", server.1),
        ])
        .args(["--consumer-key", support::KEY])
        .args(["--consumer-secret", &format!("env:{}", support::SECRET_VAR)])
        .args(["--cacert", cert.to_str().unwrap(), "--timeout", "5"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        tunnels.load(std::sync::atomic::Ordering::SeqCst) > 0,
        "the request went through the proxy: {err}"
    );
    assert!(err.contains("certificate names [\"host\"]"), "{err}");
}
