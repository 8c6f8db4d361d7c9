//! Every file or stream sigdoctor reads is bounded (issue 13): `/dev/zero` given as a
//! secret, a credentials file, a checks file or a CA certificate is one line and exit 2,
//! never memory growing until the process dies. Each run is under `ulimit -v`, so an
//! unbounded read fails this test (abort, out of memory) instead of the machine.

use std::process::{Command, Stdio};

/// Runs `sigdoctor ARGS` in a shell with 2 GB of address space, stdin from `stdin`.
fn run(args: &str, stdin: &str) -> (Option<i32>, String) {
    let bin = env!("CARGO_BIN_EXE_sigdoctor");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2000000; exec timeout 60 {bin} {args} <{stdin}"
        ))
        .env_clear()
        .env("SECRET", "s3cret")
        .stdout(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn bounded(args: &str, stdin: &str, names: &str, limit: &str) {
    let (code, err) = run(args, stdin);
    assert_eq!(code, Some(2), "{args}: {err}");
    assert_eq!(err.lines().count(), 1, "{args}: {err}");
    assert!(
        err.contains(names) && err.contains(limit),
        "{args}: want `{names}` and `{limit}` in {err}"
    );
}

const URL: &str = "'https://h/gallery/api/v1/workflows/subscription/?oauth_consumer_key=k&oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_signature=abc'";

#[test]
fn secrets_from_dev_zero() {
    bounded(
        &format!("explain {URL} --consumer-secret file:/dev/zero"),
        "/dev/null",
        "file:/dev/zero",
        "16 KiB",
    );
    bounded(
        &format!("explain {URL} --consumer-secret stdin"),
        "/dev/zero",
        "stdin",
        "16 KiB",
    );
    bounded(
        "serve --listen 127.0.0.1:0 --consumer-key k --consumer-secret stdin",
        "/dev/zero",
        "stdin",
        "16 KiB",
    );
    bounded(
        "sign https://h/x --consumer-key k --consumer-secret env:SECRET --token t --token-secret file:/dev/zero",
        "/dev/null",
        "file:/dev/zero",
        "16 KiB",
    );
}

#[test]
fn config_files_from_dev_zero() {
    bounded(
        "serve --listen 127.0.0.1:0 --credentials /dev/zero",
        "/dev/null",
        "--credentials `/dev/zero`",
        "4 MiB",
    );
    bounded(
        "check --config /dev/zero --consumer-secret env:SECRET",
        "/dev/null",
        "--config `/dev/zero`",
        "4 MiB",
    );
    bounded(
        "probe http://127.0.0.1:9/gallery/ --consumer-key k --consumer-secret env:SECRET --cacert /dev/zero",
        "/dev/null",
        "--cacert `/dev/zero`",
        "4 MiB",
    );
}

#[test]
fn a_secret_file_at_the_limit_is_read_and_one_past_it_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("at");
    let over = dir.path().join("over");
    std::fs::write(&at, "a".repeat(16 * 1024)).unwrap();
    std::fs::write(&over, "a".repeat(16 * 1024 + 1)).unwrap();
    let sign = |p: &std::path::Path| {
        run(
            &format!(
                "sign https://h/x --consumer-key k --consumer-secret file:{} --output json",
                p.display()
            ),
            "/dev/null",
        )
    };
    assert_eq!(sign(&at).0, Some(0));
    assert_eq!(sign(&over).0, Some(2));
}
