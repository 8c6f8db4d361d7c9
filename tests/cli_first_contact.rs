//! Issue 12, first contact: what a new user (Windows, Postman, R, Python) meets before and
//! after the answer. Each test drives the binary as that user would.
//!
//! The request is RFC 5849 section 1.2's photos example with its published signature; the
//! `:80` variant was signed with Python's `hmac` (tests/explain_cli.rs); the forum case is
//! fixtures/explain/field-b-r-httr-api-root, made with oauthlib. The terminal width is forced
//! with `COLUMNS=80` (what `report::layout::width` reads first).

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use assert_cmd::Command;
use serde_json::Value;

use support::output_text as run;
use support::rfc_example::{CS, PORT80, TS, URL, VALID};

fn bin() -> Command {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .env("SIGDOCTOR_CONSUMER_SECRET", CS)
        .env("SIGDOCTOR_TOKEN_SECRET", TS);
    c
}

fn explain(sig: &str, extra: &[&str]) -> (i32, String, String) {
    let mut c = bin();
    c.args(["explain", &format!("{URL}{sig}"), "--now", "1191242096"])
        .args(extra);
    run(&mut c)
}

fn one_line_error(err: &str) {
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("sigdoctor: error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn assert_fits(out: &str, width: usize) {
    for l in out.lines() {
        assert!(
            l.chars().count() <= width,
            "line over {width} columns: {l:?}\n{out}"
        );
    }
}

// --- Pasting from Windows ------------------------------------------------------------------

#[test]
fn windows_pastes_are_read_and_verified() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/windows");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("txt") {
            continue;
        }
        seen += 1;
        let mut c = bin();
        c.args([
            "explain",
            &format!("@{}", path.display()),
            "--now",
            "1191242096",
            "--format",
            "json",
        ]);
        let (code, out, err) = run(&mut c);
        assert_eq!(code, 0, "{}: {out}{err}", path.display());
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["verdict"], "valid", "{}", path.display());
        let url = v["request"]["url"].as_str().unwrap_or("");
        assert!(
            url.starts_with("http://photos.example.net/photos?file=vacation.jpg&size=original"),
            "{url}"
        );
    }
    assert_eq!(seen, 10, "every fixture of make.py");
    // The same bytes as stdin.
    let mut c = bin();
    c.args(["explain", "-", "--now", "1191242096"])
        .pipe_stdin(format!("{dir}/ps_iwr_inline.txt"))
        .unwrap();
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn broken_utf16_names_the_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("odd.txt");
    std::fs::write(&p, b"\xff\xfeh\x00t\x00t\x00").unwrap();
    std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    let mut bytes = std::fs::read(&p).unwrap();
    bytes.extend_from_slice(b"\x00\xd8"); // an unpaired high surrogate
    std::fs::write(&p, bytes).unwrap();
    let mut c = bin();
    c.args(["explain", &format!("@{}", p.display())]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    one_line_error(&err);
    assert!(err.contains("UTF-16"), "{err}");
}

#[test]
fn a_file_given_without_at_gets_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("raw.txt");
    std::fs::write(&p, format!("{URL}{VALID}")).unwrap();
    let mut c = bin();
    c.current_dir(dir.path()).args(["explain", "raw.txt"]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    one_line_error(&err);
    assert!(err.contains("did you mean @raw.txt?"), "{err}");
}

#[test]
fn a_url_cut_at_ampersand_says_quote_it() {
    for url in [
        "http://photos.example.net/photos?file=vacation.jpg",
        "http://photos.example.net/photos?oauth_consumer_key=dpf43f3p2l4k3l03",
    ] {
        let mut c = bin();
        c.args(["explain", url]);
        let (code, _, err) = run(&mut c);
        assert_eq!(code, 2, "{url}");
        one_line_error(&err);
        assert!(err.contains("quote") && err.contains('&'), "{err}");
    }
}

#[test]
fn a_bearer_token_is_oauth2() {
    let mut c = bin();
    c.args([
        "explain",
        "https://gallery.example.com/webapi/v3/workflows",
        "-H",
        "Authorization: Bearer eyJhbGciOi",
    ]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    one_line_error(&err);
    assert!(err.contains("OAuth 2") && err.contains("2022.1"), "{err}");
    assert!(!err.contains("no OAuth parameter"), "{err}");
}

// --- Exit codes and words that agree ------------------------------------------------------

#[test]
fn unverifiable_exits_5_and_the_headline_agrees() {
    let mut c = bin();
    c.env_remove("SIGDOCTOR_CONSUMER_SECRET").args([
        "explain",
        &format!("{URL}{VALID}"),
        "--now",
        "1191242096",
        "--color",
        "never",
    ]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 5, "{out}");
    assert!(out.starts_with("UNVERIFIABLE"), "{out}");
    let mut c = bin();
    c.env_remove("SIGDOCTOR_CONSUMER_SECRET").args([
        "explain",
        &format!("{URL}{VALID}"),
        "--now",
        "1191242096",
        "--format",
        "json",
    ]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 5);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "unverifiable");
}

#[test]
fn stdin_cannot_be_both_request_and_secret() {
    for (cmd, extra) in [("explain", vec![]), ("sign", vec!["--consumer-key", "K"])] {
        let mut c = bin();
        c.args([cmd, "-", "--consumer-secret", "stdin"])
            .args(&extra)
            .write_stdin(format!("{URL}{VALID}"));
        let (code, _, err) = run(&mut c);
        assert_eq!(code, 2, "{cmd}: {err}");
        one_line_error(&err);
        assert!(err.contains("stdin"), "{err}");
    }
}

#[test]
fn both_secrets_cannot_come_from_stdin() {
    let mut c = bin();
    c.args([
        "sign",
        "https://api.example.com/x",
        "--consumer-key",
        "K",
        "--consumer-secret",
        "stdin",
        "--token-secret",
        "stdin",
    ])
    .write_stdin("a\nb\n");
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2, "{err}");
    one_line_error(&err);
}

#[test]
fn empty_and_padded_secrets_are_warned_about() {
    let (_, _, err) = {
        let mut c = bin();
        c.env("SIGDOCTOR_CONSUMER_SECRET", "").args([
            "explain",
            &format!("{URL}{VALID}"),
            "--now",
            "1191242096",
        ]);
        run(&mut c)
    };
    assert!(
        err.contains("warning: the consumer secret is empty"),
        "{err}"
    );
    let mut c = bin();
    c.env("SIGDOCTOR_CONSUMER_SECRET", "").args([
        "sign",
        "https://api.example.com/x",
        "--consumer-key",
        "K",
    ]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("consumer secret is empty"), "{err}");
    let mut c = bin();
    c.env("SIGDOCTOR_CONSUMER_SECRET", "kd94hf93k423kf44 ")
        .args(["sign", "https://api.example.com/x", "--consumer-key", "K"]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("trailing space at position 17"), "{err}");
    assert!(!err.contains(CS), "secret printed: {err}");
}

// --- One screen answers the question -------------------------------------------------------

#[test]
fn explain_ends_with_what_to_change_and_fits_80_columns() {
    let (code, out, _) = {
        let mut c = bin();
        c.env("COLUMNS", "80").args([
            "explain",
            &format!("{URL}{PORT80}"),
            "--now",
            "1191242096",
            "--color",
            "never",
        ]);
        run(&mut c)
    };
    assert_eq!(code, 1, "{out}");
    assert_fits(&out, 80);
    let last = out.trim_end().rsplit("\n\n").next().unwrap();
    assert!(last.starts_with("What to change"), "{last}");
    assert!(
        last.contains("uri-default-port-kept: Sign the URL without the default port"),
        "{last}"
    );
    // Folded base strings carry the marker, and nothing is lost.
    assert!(out.contains('↵'), "{out}");
    let joined: String = out.split("↵\n").map(str::trim_start).collect();
    assert!(
        joined.contains("GET&http%3A%2F%2Fphotos.example.net%3A80%2Fphotos&file%3Dvacation.jpg"),
        "{out}"
    );
}

#[test]
fn forum_case_at_80_columns() {
    let case = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/explain/field-b-r-httr-api-root"
    );
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{case}/case.json")).unwrap())
            .unwrap();
    let mut c = bin();
    c.env("COLUMNS", "80")
        .env(
            "SIGDOCTOR_CONSUMER_SECRET",
            meta["consumer_secret"].as_str().unwrap(),
        )
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .args([
            "explain",
            &format!("@{case}/request"),
            "--now",
            "1764001850",
            "--color",
            "never",
            "--client",
            "httr",
        ]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 1, "{out}");
    assert_fits(&out, 80);
    assert!(out.contains("What to change (in R httr)"), "{out}");
    assert!(out.contains("oauth_signature(url = "), "{out}");
}

#[test]
fn demo_fits_80_columns_and_survives_head() {
    let mut c = bin();
    c.env("COLUMNS", "80").args(["demo", "--color", "never"]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    assert_fits(&out, 80);
    assert!(
        out.contains("signed URI") && out.contains("What to change"),
        "{out}"
    );
    // `sigdoctor demo | head -1`: the reader goes away after one line.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .arg("demo")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(first.starts_with("sigdoctor demo"), "{first}");
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(out.status.code(), Some(101), "{err}");
}

#[test]
fn diff_colours_server_green_client_red_and_carets_without_colour() {
    let (_, out, _) = explain(PORT80, &["--color", "always"]);
    let client = out
        .lines()
        .find(|l| l.contains("uri") && l.contains(":80"))
        .unwrap();
    let server = out
        .lines()
        .find(|l| {
            l.contains("uri")
                && l.contains("photos.example.net/photos")
                && !l.contains(":80")
                && !l.contains("Request")
        })
        .unwrap();
    assert!(client.contains("\x1b[31m-"), "client not red: {client:?}");
    assert!(server.contains("\x1b[32m+"), "server not green: {server:?}");
    let (_, out, _) = {
        let mut c = bin();
        c.env("NO_COLOR", "1")
            .args(["explain", &format!("{URL}{PORT80}"), "--now", "1191242096"]);
        run(&mut c)
    };
    let i = out.lines().position(|l| l.starts_with("  - uri")).unwrap();
    let carets = out.lines().nth(i + 1).unwrap();
    assert_eq!(carets.trim(), "^^^", "{out}");
    assert!(
        out.lines().nth(i + 2).unwrap().starts_with("  + uri"),
        "{out}"
    );
}

// --- The fix in the user's own tool ---------------------------------------------------------

#[test]
fn fixes_in_the_tool_named_or_detected() {
    let (_, out, _) = explain(PORT80, &["--client", "postman", "--color", "never"]);
    assert!(
        out.contains("What to change (in Postman)")
            && out.contains("Postman signs the URL as typed"),
        "{out}"
    );
    let (_, out, _) = explain(
        PORT80,
        &[
            "-H",
            "User-Agent: libcurl/8.5.0 r-curl/5.2.0 httr/1.4.7",
            "--format",
            "json",
        ],
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["faults"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("oauth_signature(url = ...)"),
        "{out}"
    );
    let (_, out, _) = explain(
        PORT80,
        &[
            "-H",
            "User-Agent: PostmanRuntime/7.36.0",
            "--color",
            "never",
        ],
    );
    assert!(out.contains("(in Postman)"), "{out}");
    // Unknown tool: today's generic fix.
    let (_, out, _) = explain(
        PORT80,
        &["-H", "User-Agent: Something/1.0", "--color", "never"],
    );
    assert!(
        out.contains("What to change\n") && out.contains("Sign the URL without the default port"),
        "{out}"
    );
}

// --- A report safe to share ------------------------------------------------------------------

#[test]
fn markdown_is_redacted_and_keeps_faults_diff_and_fix() {
    let (code, out, _) = explain(PORT80, &["--format", "markdown", "--redact-host"]);
    assert_eq!(code, 1);
    for hidden in [
        CS,
        TS,
        "dpf43f3p2l4k3l03",
        "nnch734d00sl2jdk",
        "kllo9940pd9333jh",
        "25SL4GVtDi2TLfl6gbLmw6o",
        "photos.example.net",
    ] {
        assert!(!out.contains(hidden), "{hidden} in\n{out}");
    }
    for shown in [
        "dpf4…",
        "nnch…",
        "kllo…",
        "<host>",
        "`uri-default-port-kept`",
        "```diff",
        "**What to change**",
        "Sign the URL without the default port",
    ] {
        assert!(out.contains(shown), "{shown} missing in\n{out}");
    }
    // Without --redact-host the host stays; --redact on human output shortens too.
    let (_, out, _) = explain(PORT80, &["--format", "markdown"]);
    assert!(out.contains("photos.example.net") && !out.contains("dpf43f3p2l4k3l03"));
    let (_, out, _) = explain(PORT80, &["--redact", "--color", "never"]);
    assert!(
        !out.contains("kllo9940pd9333jh") && out.contains("kllo…"),
        "{out}"
    );
}

// --- Getting it --------------------------------------------------------------------------------

#[test]
fn completions_and_man() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let mut c = bin();
        c.args(["completions", shell]);
        let (code, out, _) = run(&mut c);
        assert_eq!(code, 0, "{shell}");
        assert!(
            out.contains("sigdoctor")
                && out.contains("explain")
                && out.contains("--consumer-secret"),
            "{shell}"
        );
    }
    let mut c = bin();
    c.arg("man");
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0);
    assert!(
        out.contains(".TH sigdoctor 1") || out.contains(".TH SIGDOCTOR"),
        "{}",
        &out[..200.min(out.len())]
    );
    for s in [
        "SIGDOCTOR EXPLAIN",
        "SIGDOCTOR PROBE",
        "SIGDOCTOR SERVE",
        "\\-\\-consumer\\-secret",
        "Exit codes",
    ] {
        assert!(out.contains(s), "{s} missing from the man page");
    }
}

#[test]
fn faults_lists_every_kind_and_explains_one() {
    let mut c = bin();
    c.arg("faults");
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0);
    for id in [
        "uri-default-port-kept",
        "sig-urlsafe-base64",
        "base-address-scheme",
        "base-address-host",
        "clock-skew",
        "timestamp-skew",
        "oauth1-removed",
        "missing-oauth-param",
    ] {
        assert!(out.contains(id), "{id} missing");
    }
    let mut c = bin();
    c.args(["faults", "params-empty-dropped"]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 0);
    assert!(
        out.contains("How it looks") && out.contains("The fix") && out.contains("Known to do it"),
        "{out}"
    );
    assert!(out.contains("Add empty parameters to signature"), "{out}");
    let mut c = bin();
    c.args(["faults", "uri-default-port-kep"]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 2);
    one_line_error(&err);
    assert!(
        err.contains("did you mean `uri-default-port-kept`"),
        "{err}"
    );
}

#[test]
fn help_texts_say_what_applies() {
    let help = |args: &[&str]| {
        let mut c = bin();
        c.args(args).arg("--help");
        // clap wraps help to the terminal: compare with whitespace collapsed.
        run(&mut c)
            .1
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let explain = help(&["explain"]);
    assert!(
        explain.contains("markdown") && !explain.contains("junit"),
        "{explain}"
    );
    assert!(explain.contains("5 unverifiable"), "{explain}");
    assert!(!help(&["probe"]).contains("junit"));
    let check = help(&["check"]);
    assert!(
        check.contains("junit")
            && check.contains("[[target]]")
            && check.contains("expect_base_address"),
        "{check}"
    );
    let serve = help(&["serve"]);
    assert!(
        serve.contains("[[key]]") && serve.contains("role"),
        "{serve}"
    );
    let sign = help(&["sign"]);
    assert!(
        sign.contains("required") && !sign.contains("default: the request's"),
        "{sign}"
    );
    for cmd in [
        "explain",
        "sign",
        "probe",
        "check",
        "serve",
        "demo",
        "faults",
        "completions",
        "man",
    ] {
        assert!(help(&[cmd]).contains("Exit codes"), "{cmd}");
    }
    assert!(help(&[]).contains("4 unreachable"));
}

#[test]
fn serve_listens_on_localhost_port() {
    let port = support::free_port().to_string();
    let served = support::serve_binary(
        &[
            "--listen",
            &format!("localhost:{port}"),
            "--consumer-key",
            "K",
        ],
        &[("SIGDOCTOR_CONSUMER_SECRET", "s3cr3t-s3cr3t")],
    );
    assert_eq!(served.addr, format!("127.0.0.1:{port}"));
    assert!(std::net::TcpStream::connect(&served.addr).is_ok());
}

#[test]
fn probe_and_check_fit_80_columns_and_share_as_markdown() {
    let served = support::serve_binary(
        &[
            "--listen",
            "127.0.0.1:0",
            "--base-address",
            "http://gallery01.corp.example.com/gallery/",
            "--consumer-key",
            "probe-key-0123456789",
        ],
        &[("SIGDOCTOR_CONSUMER_SECRET", "probe-secret-abcdef")],
    );
    let target = format!("http://{}/gallery/", served.addr);
    let probe = |extra: &[&str]| {
        let mut c = bin();
        c.env("COLUMNS", "80")
            .env("SIGDOCTOR_CONSUMER_SECRET", "probe-secret-abcdef")
            .args([
                "probe",
                &target,
                "--consumer-key",
                "probe-key-0123456789",
                "--host-alias",
                "gallery01.corp.example.com",
                "--rate",
                "0",
                "--color",
                "never",
            ]);
        c.args(extra);
        run(&mut c)
    };
    let (code, out, err) = probe(&[]);
    assert_eq!(code, 1, "{out}{err}");
    assert_fits(&out, 80);
    assert!(out.contains('…'), "long URIs cut in the middle:\n{out}");
    assert!(out.contains("What to change"), "{out}");
    let (code, md, _) = probe(&["--format", "markdown", "--redact-host"]);
    assert_eq!(code, 1);
    assert!(md.starts_with("### sigdoctor probe: mismatch"), "{md}");
    assert!(!md.contains("probe-key-0123456789"), "{md}");
    assert!(
        !md.contains("gallery01.corp.example.com") && md.contains("<host>"),
        "{md}"
    );
    assert!(!md.contains("probe-secret-abcdef"));
    let mut c = bin();
    c.env("SIGDOCTOR_CONSUMER_SECRET", "probe-secret-abcdef")
        .args([
            "check",
            &target,
            "--consumer-key",
            "probe-key-0123456789",
            "--host-alias",
            "gallery01.corp.example.com",
            "--rate",
            "0",
            "--format",
            "markdown",
        ]);
    let (code, md, _) = run(&mut c);
    assert_eq!(code, 1, "{md}");
    assert!(
        md.contains("### sigdoctor check") && !md.contains("probe-key-0123456789"),
        "{md}"
    );
}
