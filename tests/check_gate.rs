//! check: the CI gate over one or several targets, with JUnit and JSON output.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::{free_port, start_gallery, Normalization, KEY, SECRET, SECRET_VAR};

fn check(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .arg("check")
        .args(args)
        .args(["--rate", "200", "--timeout", "5"])
        .env(SECRET_VAR, SECRET)
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        // Loopback only: a proxy from the environment must not carry the test traffic.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!stdout.contains(SECRET), "secret leaked");
    (out.status.code().unwrap_or(-1), stdout)
}

fn creds() -> Vec<String> {
    vec![
        "--consumer-key".into(),
        KEY.into(),
        "--consumer-secret".into(),
        format!("env:{SECRET_VAR}"),
    ]
}

fn with_creds<'a>(args: &[&'a str], creds: &'a [String]) -> Vec<&'a str> {
    args.iter()
        .copied()
        .chain(creds.iter().map(String::as_str))
        .collect()
}

#[test]
fn ok_with_the_expected_base_address() {
    let (addr, _g) = start_gallery("http://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let url = format!("http://127.0.0.1:{}/gallery/", addr.port());
    // Written differently, same address once normalised (upper-case host).
    let expect = format!("HTTP://127.0.0.1:{}/gallery/", addr.port());
    let c = creds();
    let (code, out) = check(&with_creds(&[&url, "--expect-base-address", &expect], &c));
    assert_eq!(code, 0, "{out}");
    let (code, out) = check(&with_creds(
        &[
            &url,
            "--expect-base-address",
            "https://gallery.example.com/gallery/",
        ],
        &c,
    ));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("assertion failed"), "{out}");
    // Headline, JSON verdict, JUnit and exit code agree (the headline said `ok` with exit 1).
    assert!(out.starts_with(&format!("check {url}: mismatch")), "{out}");
    let wrong = [
        url.as_str(),
        "--expect-base-address",
        "https://gallery.example.com/gallery/",
    ];
    let mut json = wrong.to_vec();
    json.extend(["--format", "json"]);
    let (code, out) = check(&with_creds(&json, &c));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (code, v["verdict"].as_str()),
        (1, Some("mismatch")),
        "{out}"
    );
    assert_eq!(v["findings"][0]["id"], "expect-base-address", "{out}");
    let mut junit = wrong.to_vec();
    junit.extend(["--format", "junit"]);
    let (code, out) = check(&with_creds(&junit, &c));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("<failure") && out.contains("expected Base Address"),
        "{out}"
    );
}

#[test]
fn mismatch_as_junit_failure() {
    let (addr, _g) = start_gallery("https://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let url = format!("http://127.0.0.1:{}/gallery/", addr.port());
    let c = creds();
    let (code, out) = check(&with_creds(&[&url, "--format", "junit"], &c));
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("<?xml"), "{out}");
    assert!(out.contains("<testsuite name=\"sigdoctor check\""), "{out}");
    assert!(out.contains("tests=\"1\""), "{out}");
    assert!(out.contains("<failure"), "{out}");
    assert!(out.contains("base-address-scheme"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour in XML");
}

#[test]
fn unreachable_as_junit_error() {
    let url = format!("http://127.0.0.1:{}/gallery/", free_port());
    let c = creds();
    let (code, out) = check(&with_creds(&[&url, "--format", "junit"], &c));
    assert_eq!(code, 4, "{out}");
    assert!(out.contains("<error"), "{out}");
    assert!(!out.contains("<failure"), "{out}");
}

#[test]
fn several_targets_from_a_config_file() {
    let (ok, _g1) = start_gallery("http://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let (bad, _g2) = start_gallery("https://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checks.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[[target]]
url = "http://127.0.0.1:{}/gallery/"
consumer_key = "{KEY}"
consumer_secret = "env:{SECRET_VAR}"
expect_base_address = "http://127.0.0.1:{}/gallery/"

[[target]]
url = "http://127.0.0.1:{}/gallery/"
profile = "alteryx"
consumer_key = "{KEY}"
consumer_secret = "env:{SECRET_VAR}"
"#,
            ok.port(),
            ok.port(),
            bad.port()
        ),
    )
    .unwrap();
    let p = path.to_string_lossy().into_owned();
    let (code, out) = check(&["--config", &p, "--format", "json"]);
    assert_eq!(code, 1, "worst of ok and mismatch: {out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let verdicts: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["ok", "mismatch"]);
    let (code, out) = check(&["--config", &p, "--format", "junit"]);
    assert_eq!(code, 1);
    assert!(out.contains("tests=\"2\""), "{out}");
    assert!(out.contains("failures=\"1\""), "{out}");
}

#[test]
fn bad_config_is_usage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checks.toml");
    std::fs::write(
        &path,
        "[[target]]\nurl = \"http://h/gallery/\"\nprofile = \"nope\"\n",
    )
    .unwrap();
    let (code, _) = check(&["--config", &path.to_string_lossy()]);
    assert_eq!(code, 2);
    std::fs::write(&path, "[[target]]\nurl = 3\n").unwrap();
    let (code, _) = check(&["--config", &path.to_string_lossy()]);
    assert_eq!(code, 2);
}
