//! Shared test plumbing: start the real `sigdoctor serve` on an ephemeral loopback port.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// A running `sigdoctor serve`, killed on drop.
pub struct Served {
    /// The child process.
    pub child: Child,
    /// `127.0.0.1:PORT` it listens on.
    pub addr: String,
    /// Everything it wrote to stderr after the banner (collected by a thread).
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `sigdoctor serve --listen 127.0.0.1:0` with `extra` args and the consumer secret in
/// the environment; waits for its `listening on http://ADDR` line.
pub fn serve(extra: &[&str], secret: &str) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .arg("serve")
        .args(["--listen", "127.0.0.1:0"])
        .args(extra)
        .env("SIGDOCTOR_CONSUMER_SECRET", secret)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sigdoctor serve");
    let stderr = child.stderr.take().expect("piped stderr");
    let mut lines = BufReader::new(stderr).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.expect("serve stderr");
        if let Some(rest) = line.split("listening on http://").nth(1) {
            addr = Some(rest.split_whitespace().next().unwrap_or("").to_string());
            break;
        }
    }
    let addr = addr.expect("serve printed its listening address");
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut l = sink.lock().unwrap();
            l.push_str(&line);
            l.push('\n');
        }
    });
    Served { child, addr, log }
}
