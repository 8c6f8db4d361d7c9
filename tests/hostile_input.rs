//! Hostile input (issue 6): every bad paste gets exit 2 and one clear line on stderr, never a
//! panic; legal but odd input gets a report. Each case runs the real binary.

use assert_cmd::Command;
use std::io::Write;

/// What a case expects.
enum Expect {
    /// Exit 2, one stderr line starting `sigdoctor: error:` and containing this text
    /// (case-insensitive).
    Rejected(&'static str),
    /// A report: any exit but 2, and no panic.
    Report,
}

struct Case {
    name: &'static str,
    args: Vec<String>,
    stdin: Vec<u8>,
    expect: Expect,
}

fn case(name: &'static str, args: &[&str], stdin: impl Into<Vec<u8>>, expect: Expect) -> Case {
    Case {
        name,
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin: stdin.into(),
        expect,
    }
}

const OAUTH_Q: &str = "oauth_consumer_key=ck&oauth_nonce=n1&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1764000000&oauth_version=1.0&oauth_signature=abc%3D";

fn cases() -> Vec<Case> {
    let url =
        format!("https://gallery.example.com/gallery/api/v1/workflows/subscription/?{OAUTH_Q}");
    let dup = format!("{url}&oauth_nonce=n2");
    let many: String = {
        let mut s = format!("https://h.example/x?{OAUTH_Q}");
        for i in 0..100_000 {
            s.push_str(&format!("&p{i}=v"));
        }
        s
    };
    let ten_mb = vec![b'a'; 10 * 1024 * 1024];
    let har_no_oauth = r#"{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://h.example/x?a=1","headers":[],"queryString":[]},"response":{"status":200}}]}}"#;
    vec![
        case("empty argument", &["explain", ""], "", Expect::Rejected("")),
        case(
            "whitespace on stdin",
            &["explain", "-"],
            "   \n\t\n",
            Expect::Rejected(""),
        ),
        case("empty stdin", &["explain", "-"], "", Expect::Rejected("")),
        case(
            "not a URL",
            &["explain", "hello world"],
            "",
            Expect::Rejected(""),
        ),
        case(
            "unsupported scheme",
            &["explain", "ftp://h.example/x?oauth_consumer_key=a"],
            "",
            Expect::Rejected("scheme"),
        ),
        case(
            "no OAuth parameter",
            &["explain", "https://h.example/x?a=1"],
            "",
            Expect::Rejected("oauth"),
        ),
        case(
            "invalid UTF-8",
            &["explain", "-"],
            b"https://h.example/x?oauth_nonce=\xff\xfe".to_vec(),
            Expect::Rejected("utf-8"),
        ),
        case(
            "NUL bytes",
            &["explain", "-"],
            b"https://h.example/x?oauth_nonce=a\0b".to_vec(),
            Expect::Rejected(""),
        ),
        case(
            "10 MB of junk",
            &["explain", "-"],
            ten_mb,
            Expect::Rejected(""),
        ),
        case(
            "truncated curl",
            &["explain", "-"],
            "curl -X POST 'https://h.example/x?oauth_nonce=1",
            Expect::Rejected("curl"),
        ),
        case(
            "curl without URL",
            &["explain", "-"],
            "curl -X GET -H 'Accept: */*'",
            Expect::Rejected("url"),
        ),
        case(
            "invalid HAR",
            &["explain", "-"],
            r#"{"log": {"entries": [ {"request": "#,
            Expect::Rejected(""),
        ),
        case(
            "HAR without OAuth entries",
            &["explain", "-"],
            har_no_oauth,
            Expect::Rejected("har"),
        ),
        case(
            "broken Authorization header",
            &[
                "explain",
                "https://h.example/x",
                "-H",
                "Authorization: OAuth oauth_consumer_key=\"abc",
            ],
            "",
            Expect::Rejected("authorization"),
        ),
        case(
            "header without colon",
            &["explain", &url, "-H", "NoColonHere"],
            "",
            Expect::Rejected("header"),
        ),
        case(
            "raw HTTP without Host",
            &["explain", "-"],
            "GET /x?oauth_nonce=1 HTTP/1.1\r\nAccept: */*\r\n\r\n",
            Expect::Rejected("host"),
        ),
        case(
            "missing @file",
            &["explain", "@/nonexistent/sigdoctor/input"],
            "",
            Expect::Rejected("nonexistent"),
        ),
        case(
            "unreadable secret source",
            &[
                "explain",
                &url,
                "--consumer-secret",
                "file:/nonexistent/secret",
            ],
            "",
            Expect::Rejected("secret"),
        ),
        case(
            "unset secret env",
            &[
                "explain",
                &url,
                "--consumer-secret",
                "env:SIGDOCTOR_TEST_UNSET_VAR",
            ],
            "",
            Expect::Rejected("SIGDOCTOR_TEST_UNSET_VAR"),
        ),
        case(
            "duplicate oauth parameters",
            &["explain", &dup],
            "",
            Expect::Report,
        ),
        case(
            "100,000 parameters",
            &[
                "explain",
                "-",
                "--consumer-secret",
                "env:SIGDOCTOR_TEST_SECRET",
            ],
            many,
            Expect::Report,
        ),
        case(
            "sign with malformed URL",
            &[
                "sign",
                "https://h:99999/x",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "env:SIGDOCTOR_TEST_SECRET",
            ],
            "",
            Expect::Rejected(""),
        ),
        case(
            "sign without key",
            &[
                "sign",
                "https://h.example/x",
                "--consumer-secret",
                "env:SIGDOCTOR_TEST_SECRET",
            ],
            "",
            Expect::Rejected("key"),
        ),
        case(
            "probe with malformed URL",
            &[
                "probe",
                "not a url",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "env:SIGDOCTOR_TEST_SECRET",
            ],
            "",
            Expect::Rejected(""),
        ),
        case(
            "check with missing config",
            &["check", "--config", "/nonexistent/checks.toml"],
            "",
            Expect::Rejected("checks.toml"),
        ),
        case(
            "serve with bad listen address",
            &[
                "serve",
                "--listen",
                "not-an-address",
                "--consumer-key",
                "k",
                "--consumer-secret",
                "env:SIGDOCTOR_TEST_SECRET",
            ],
            "",
            Expect::Rejected(""),
        ),
    ]
}

#[test]
fn hostile_inputs_are_refused_cleanly_or_reported() {
    let mut failures = Vec::new();
    for c in cases() {
        let out = Command::cargo_bin("sigdoctor")
            .unwrap()
            .args(&c.args)
            .env("SIGDOCTOR_TEST_SECRET", "kd94hf93k423kf44")
            .env_remove("SIGDOCTOR_CONSUMER_SECRET")
            .env_remove("SIGDOCTOR_TOKEN_SECRET")
            .env("NO_COLOR", "1")
            .write_stdin(c.stdin.clone())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
            failures.push(format!("{}: panicked: {stderr}", c.name));
            continue;
        }
        match c.expect {
            Expect::Rejected(needle) => {
                let lines: Vec<&str> = stderr
                    .lines()
                    .filter(|l| !l.starts_with("sigdoctor: warning"))
                    .collect();
                if code != Some(2) {
                    failures.push(format!(
                        "{}: exit {code:?}, want 2; stderr: {stderr}",
                        c.name
                    ));
                } else if lines.len() != 1 || !lines[0].starts_with("sigdoctor: error:") {
                    failures.push(format!(
                        "{}: want one `sigdoctor: error:` line, got: {stderr:?}",
                        c.name
                    ));
                } else if !lines[0].to_lowercase().contains(&needle.to_lowercase()) {
                    failures.push(format!(
                        "{}: message lacks `{needle}`: {}",
                        c.name, lines[0]
                    ));
                }
            }
            Expect::Report => {
                if code == Some(2) || code.is_none() {
                    failures.push(format!(
                        "{}: exit {code:?}, want a report; stderr: {stderr}",
                        c.name
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn input_over_64_mib_is_refused_without_reading_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.txt");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..65 {
        f.write_all(&chunk).unwrap();
    }
    drop(f);
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["explain", &format!("@{}", path.display())])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("64 MiB"), "{stderr}");
}
