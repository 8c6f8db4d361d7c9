//! Warnings and refusals around secrets on the command line (issue 13): PLAINTEXT prints
//! the secrets and is refused over http://, and a literal secret in `check --config` is
//! warned about for what it is (a secret in a file), not the process list.

use assert_cmd::Command;

fn sigdoctor() -> Command {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_clear()
        .env("SIGDOCTOR_CONSUMER_SECRET", "kd94hf93k423kf44");
    c
}

fn plaintext(url: &str, extra: &[&str]) -> std::process::Output {
    sigdoctor()
        .args([
            "sign",
            url,
            "--consumer-key",
            "k",
            "--signature-method",
            "PLAINTEXT",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn plaintext_is_refused_over_http_and_warned_about_everywhere() {
    let out = plaintext("http://api.example.com/x", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--allow-plaintext-over-http"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing printed, the secret least of all"
    );

    for (url, extra) in [
        ("https://api.example.com/x", &[][..]),
        (
            "http://127.0.0.1:8080/x",
            &["--allow-plaintext-over-http"][..],
        ),
    ] {
        let out = plaintext(url, extra);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{url}: {err}");
        assert!(err.contains("warning: PLAINTEXT"), "{url}: {err}");
        // RFC 5849 section 3.4.4: the signature is the encoded secret and `&`.
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("oauth_signature=kd94hf93k423kf44%26"),
            "{stdout}"
        );
    }
    // Other methods are not warned about.
    let out = sigdoctor()
        .args(["sign", "http://api.example.com/x", "--consumer-key", "k"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
}

#[test]
fn a_literal_secret_in_a_checks_file_is_warned_about_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checks.toml");
    // A dry-run check of one target whose consumer_secret is `secret` as written in the file.
    let check_with_secret = |secret: &str| {
        let target =
            "[[target]]\nurl = 'https://gallery.example.com/gallery/'\nconsumer_key = 'k'\n";
        std::fs::write(&path, format!("{target}consumer_secret = '{secret}'\n")).unwrap();
        sigdoctor()
            .args(["check", "--config"])
            .arg(&path)
            .arg("--dry-run")
            .output()
            .unwrap()
    };
    let out = check_with_secret("literal-secret");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(!err.contains("process list"), "{err}");
    assert!(err.contains("written literally in --config"), "{err}");
    assert!(err.contains("checks.toml"), "{err}");
    assert!(!err.contains("literal-secret"), "{err}");
    // A source, not the secret, in the file: no warning at all.
    let out = check_with_secret("env:SIGDOCTOR_CONSUMER_SECRET");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
