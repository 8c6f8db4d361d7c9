//! No command panics on a closed or full stdout or stderr, and control characters from the
//! wire never reach the terminal raw (issue 13). The streams are real: a pipe closed by its
//! reader, and /dev/full.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_sigdoctor");

/// A request whose consumer key sets the terminal title and whose nonce clears the screen.
const HOSTILE: &str = "https://h/gallery/api/v1/workflows/subscription/?oauth_consumer_key=k%1B%5D0%3Bpwned%07&oauth_nonce=%1B%5B2J%E2%80%AE&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_signature=abc";
const BENIGN: &str = "https://h/gallery/api/v1/workflows/subscription/?oauth_consumer_key=k&oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_signature=abc";

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env_clear()
        .env("SIGDOCTOR_CONSUMER_SECRET", "s3cret")
        .stdin(Stdio::null());
    c
}

fn full() -> Stdio {
    Stdio::from(File::options().write(true).open("/dev/full").unwrap())
}

#[test]
fn demo_into_a_pipe_closed_after_one_line() {
    let mut child = cmd(&["demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone: the pipe is closed (like `| head -1`).
    assert!(first.starts_with("sigdoctor demo"), "{first}");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn every_command_survives_a_closed_stdout() {
    for args in [
        &["explain", BENIGN][..],
        &["explain", BENIGN, "--format", "json"],
        &["sign", "https://h/x", "--consumer-key", "k", "-v"],
        &[
            "probe",
            "https://h/gallery/",
            "--consumer-key",
            "k",
            "--dry-run",
        ],
        &["--help"],
    ] {
        let mut child = cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(out.status.code(), Some(101), "{args:?}: {err}");
    }
}

#[test]
fn a_full_stdout_is_one_line_and_exit_2() {
    for args in [
        &["demo"][..],
        &["explain", BENIGN],
        &["sign", "https://h/x", "--consumer-key", "k"],
        &[
            "probe",
            "https://h/gallery/",
            "--consumer-key",
            "k",
            "--dry-run",
        ],
    ] {
        let out = cmd(args).stdout(full()).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains("No space left"), "{args:?}: {err}");
    }
}

#[test]
fn a_full_stderr_changes_nothing() {
    // Warnings (a literal secret), -v lines and errors all go to stderr.
    for (args, code) in [
        (
            &[
                "sign",
                "https://h/x",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "lit",
                "-v",
            ][..],
            0,
        ),
        (&["explain", BENIGN, "-v"], 3),
        (&["explain", "ftp://nope"], 2),
        (&["demo"], 0),
    ] {
        let out = cmd(args)
            .stdout(Stdio::null())
            .stderr(full())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn serve_keeps_serving_with_a_full_stderr() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = cmd(&[
        "serve",
        "--listen",
        &addr,
        "--consumer-key",
        "k",
        "--log-base-strings",
    ])
    .stdout(Stdio::null())
    .stderr(full())
    .spawn()
    .unwrap();
    let get = |path: &str| -> Option<String> {
        let mut s = std::net::TcpStream::connect(&addr).ok()?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut body = String::new();
        std::io::Read::read_to_string(&mut s, &mut body).ok()?;
        Some(body)
    };
    let mut answer = None;
    for _ in 0..100 {
        answer = get("/gallery/api/status/ping/");
        if answer.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(answer.is_some_and(|a| a.contains("pong")), "serve answers");
    // A failure is logged (to the full stderr): the server must not die of it.
    let refused = get("/gallery/api/v1/workflows/subscription/?oauth_consumer_key=k").unwrap();
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(get("/gallery/api/status/ping/").is_some_and(|a| a.contains("pong")));
    assert!(
        child.try_wait().unwrap().is_none(),
        "serve is still running"
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn explain_escapes_control_characters_from_the_request() {
    for color in ["always", "never"] {
        let out = cmd(&["explain", HOSTILE, "--color", color])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(3), "{text}");
        assert!(
            !text.contains('\u{1b}'),
            "--color {color}: raw escape in {text:?}"
        );
        assert!(
            !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{text:?}"
        );
        assert!(text.contains(r"k\x1b]0;pwned\x07"), "{text}");
        assert!(text.contains(r"\x1b[2J\u{202e}"), "{text}");
    }
    // Without hostile bytes, colour stays.
    let out = cmd(&["explain", BENIGN, "--color", "always"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\u{1b}["));
}

#[test]
fn errors_escape_control_characters() {
    let out = cmd(&[
        "explain",
        "https://h/x?oauth_consumer_key=k",
        "-X",
        "G\u{1b}[2JET",
    ])
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn our_colours_survive_and_theirs_do_not() {
    use colored::Colorize;
    use sigdoctor::report::sanitize::for_terminal;
    // The only test in this binary that sets the global colour switch.
    colored::control::set_override(true);
    let ours = for_terminal(|| format!("{} fine\n", "EXPLAINED".yellow()));
    assert!(ours.contains('\u{1b}'), "our colour is kept: {ours:?}");
    let theirs = for_terminal(|| format!("{} k=\u{1b}]0;pwned\u{7}\n", "EXPLAINED".yellow()));
    assert!(!theirs.contains('\u{1b}'), "{theirs:?}");
    assert!(theirs.contains("k=\\x1b]0;pwned\\x07"), "{theirs:?}");
    colored::control::set_override(false);
    assert_eq!(for_terminal(|| "x\u{1b}\n".into()), "x\\x1b\n");
}
