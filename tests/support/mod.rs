//! Test helpers shared by the probe, check and nginx tests: a Gallery to probe.
#![allow(dead_code)]

pub mod certs;
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
    let port = free_port();
    let base = base_address.replace("{port}", &port.to_string());
    let normalization = match normalization {
        Normalization::Rfc => "rfc",
        Normalization::Literal => "literal",
    };
    let served = serve_binary(
        &[
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--base-address",
            &base,
            "--uri-normalization",
            normalization,
            "--consumer-key",
            KEY,
            "--consumer-secret",
            &format!("env:{SECRET_VAR}"),
        ],
        &[(SECRET_VAR, SECRET)],
    );
    let addr = served.addr.parse().expect("serve address");
    (addr, Guard::Child(served.take_child()))
}

/// A running `sigdoctor serve` binary, killed on drop, with what it logged since start-up.
pub struct Served {
    child: Option<std::process::Child>,
    /// `127.0.0.1:PORT` it listens on.
    pub addr: String,
    /// Everything it wrote to stderr after its start-up line (collected by a thread, which
    /// also keeps the pipe drained so the server never blocks on it).
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Served {
    /// The server's process id (for its CPU time in /proc).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map_or(0, std::process::Child::id)
    }

    /// Hands the child over to the caller (nothing is killed on drop any more).
    pub fn take_child(mut self) -> std::process::Child {
        self.child.take().expect("child still owned")
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts `sigdoctor serve ARGS` with `env`, and waits for its `listening on http://ADDR` line.
pub fn serve_binary(args: &[&str], env: &[(&str, &str)]) -> Served {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .arg("serve")
        .args(args)
        .envs(env.iter().copied())
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
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
        }
    };
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut l = sink.lock().expect("log lock");
            l.push_str(&line);
            l.push('\n');
        }
    });
    Served {
        child: Some(child),
        addr,
        log,
    }
}

/// The sorted strings of a JSON array (anything else gives none). Fault sets are compared
/// as sorted lists by every explain test, so they all read them through this one place.
pub fn sorted_strings(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

/// The case directories under `root` (those holding a `case.json`), sorted, so every
/// fixture-corpus test walks its corpus in the same order and skips the same strays.
pub fn case_dirs(root: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<std::path::PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("fixtures dir {}: {e}", root.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("case.json").is_file())
        .collect();
    v.sort();
    v
}

/// The fault sets a case accepts: its `expect_faults` first, then each of its
/// `alternatives_ok`, all sorted. The reference corpora share this rule, so it lives once.
pub fn accepted_fault_sets(case: &serde_json::Value) -> Vec<Vec<String>> {
    let mut ok = vec![sorted_strings(&case["expect_faults"])];
    ok.extend(
        case["alternatives_ok"]
            .as_array()
            .into_iter()
            .flatten()
            .map(sorted_strings),
    );
    ok
}

/// RFC 5849 section 1.2's example request, its secrets and signatures: the CLI tests'
/// common request, kept in one place so they all explain the same bytes.
pub mod rfc_example {
    /// The request URL, `oauth_signature=` last and empty: append a signature.
    pub const URL: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096&oauth_nonce=kllo9940pd9333jh&oauth_version=1.0&oauth_signature=";
    /// The consumer secret.
    pub const CS: &str = "kd94hf93k423kf44";
    /// The token secret.
    pub const TS: &str = "pfkkdhi9sl3r4s00";
    /// RFC 5849 section 1.2's published signature.
    pub const VALID: &str = "tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D";
    /// `:80` kept in the signed URI (Python hmac).
    pub const PORT80: &str = "25SL4GVtDi2TLfl6gbLmw6o%2Bt3Q%3D";
}

/// Runs `c`: its exit code (-1 when killed by a signal), stdout and stderr as text.
pub fn output_text(c: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = c.output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        o.status.code().unwrap_or(-1),
        text(&o.stdout),
        text(&o.stderr),
    )
}

/// A fixture case's name: its directory's last component, for failure messages.
pub fn case_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// A fixture case's `case.json`; panics when it is missing or not JSON.
pub fn read_case(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).expect("case.json"))
        .expect("case.json")
}

/// Runs `cmd` with `input` on its stdin and its stdout captured (stderr as `cmd` sets it),
/// and waits for it: the explain corpus tests feed a request through `-` this way.
pub fn output_with_stdin(
    cmd: &mut std::process::Command,
    input: &[u8],
) -> std::io::Result<std::process::Output> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input)?;
    }
    child.wait_with_output()
}
