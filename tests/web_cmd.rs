//! `sigdoctor web`: serves the embedded page on loopback with its CSP, or, in a binary built
//! without web/dist (a fresh clone), says how to build it. CI builds the page first and sets
//! SIGDOCTOR_WEB_EMBEDDED=1, so there the page must be in the binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn sigdoctor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
}

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.take(16 << 20).read_to_end(&mut buf).unwrap();
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn refuses_a_non_loopback_address() {
    let out = sigdoctor()
        .args(["web", "--listen", "0.0.0.0:8787"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loopback only"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn serves_the_page_or_says_how_to_build_it() {
    let mut child = sigdoctor()
        .args(["web", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    let _ = BufReader::new(child.stdout.take().unwrap()).read_line(&mut first);
    if first.is_empty() {
        let status = child.wait().unwrap();
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(
            std::env::var_os("SIGDOCTOR_WEB_EMBEDDED").is_none(),
            "SIGDOCTOR_WEB_EMBEDDED is set but the binary has no page: {err}"
        );
        assert_eq!(status.code(), Some(2), "{err}");
        assert!(err.contains("web/build.sh"), "{err}");
        return;
    }
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in `{first}`"))
        .to_string();
    let index = get(&addr, "/");
    let wasm_js = get(&addr, "/sigdoctor-wasm.js");
    let missing = get(&addr, "/../Cargo.toml");
    let _ = child.kill();
    let _ = child.wait();
    assert!(index.starts_with("HTTP/1.1 200"), "{index}");
    let lower = index.to_ascii_lowercase();
    assert!(
        lower.contains("content-security-policy: default-src 'none'"),
        "{index}"
    );
    assert!(lower.contains("connect-src 'none'"));
    assert!(index.contains("Nothing you paste or"), "{index}");
    assert!(wasm_js.contains("SIGDOCTOR_WASM"), "wasm not embedded");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}
