//! Test helpers shared by the probe, check and nginx tests: a Gallery to probe.
#![allow(dead_code)]

pub mod fake_gallery;

use std::net::SocketAddr;

pub use fake_gallery::{Mode, Normalization};

/// The consumer key every test server accepts.
pub const KEY: &str = "probe-test-key";
/// The consumer secret (reaches sigdoctor only through the environment variable below).
pub const SECRET: &str = "Pr0be-s3cret/with+reserved&chars";
/// The environment variable the tests pass the secret in (`--consumer-secret env:...`).
pub const SECRET_VAR: &str = "SIGDOCTOR_PROBE_TEST_SECRET";

/// Starts a Gallery on 127.0.0.1 that signs against `base_address` (`{port}` is replaced
/// by the port it listens on). The one place that decides which server the tests use:
/// the reference server (`sigdoctor serve`, the binary), or the stand-in verifier of
/// `fake_gallery` when `SIGDOCTOR_TEST_SERVER=fake`.
pub fn start_gallery(base_address: &str, normalization: Normalization) -> (SocketAddr, Guard) {
    if std::env::var("SIGDOCTOR_TEST_SERVER").as_deref() == Ok("fake") {
        return fake_gallery::start(base_address, normalization, Mode::Verify, 0);
    }
    start_serve_binary(base_address, normalization)
}

/// What keeps a test server alive; dropping it stops the server.
pub enum Guard {
    /// The in-process stand-in.
    Fake(fake_gallery::FakeGuard),
    /// A `sigdoctor serve` child process.
    Child(std::process::Child),
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Guard::Child(c) = self {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// A port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

fn start_serve_binary(base_address: &str, normalization: Normalization) -> (SocketAddr, Guard) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let port = free_port();
    let base = base_address.replace("{port}", &port.to_string());
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(["--base-address", &base])
        .args([
            "--uri-normalization",
            match normalization {
                Normalization::Rfc => "rfc",
                Normalization::Literal => "literal",
            },
        ])
        .args(["--consumer-key", KEY])
        .args(["--consumer-secret", &format!("env:{SECRET_VAR}")])
        .env(SECRET_VAR, SECRET)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("start sigdoctor serve");
    let stderr = child.stderr.take().expect("serve stderr");
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = match lines.next() {
            Some(Ok(l)) => l,
            _ => panic!("sigdoctor serve exited before listening"),
        };
        if let Some(rest) = line.split("listening on http://").nth(1) {
            let addr = rest.split_whitespace().next().unwrap_or_default();
            break addr.parse::<SocketAddr>().expect("serve address");
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (addr, Guard::Child(child))
}
