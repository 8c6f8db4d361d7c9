//! Secrets (issue 6): a canary secret goes through every command, with -v and every output
//! format, and must appear in no stdout, stderr, JSON, JUnit or log line.

mod support;

use assert_cmd::Command;

const CANARY: &str = "CANARYs3cr3tZq9";
const TOKEN_CANARY: &str = "TOKENCANARYx7Yw";

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(args)
        .env("SIGDOCTOR_CONSUMER_SECRET", CANARY)
        .env("SIGDOCTOR_TOKEN_SECRET", TOKEN_CANARY)
        .env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

fn assert_clean(what: &str, text: &str) {
    for secret in [CANARY, TOKEN_CANARY] {
        assert!(!text.contains(secret), "{what} leaked a secret:\n{text}");
        // percent-encoded or lower-cased copies count as leaks too
        assert!(
            !text.to_lowercase().contains(&secret.to_lowercase()),
            "{what} leaked a secret (case-folded):\n{text}"
        );
    }
}

#[test]
fn no_command_prints_the_secret() {
    let served = support::serve_binary(
        &[
            "--listen",
            "127.0.0.1:0",
            "--base-address",
            "http://localhost/gallery/",
            "--consumer-key",
            "canary-key",
            "--log-base-strings",
        ],
        &[("SIGDOCTOR_CONSUMER_SECRET", CANARY)],
    );
    let base = format!("http://{}/gallery/", served.addr);
    let endpoint = format!("{base}api/v1/workflows/subscription/");

    let mut transcripts = Vec::new();
    for output in ["url", "header", "curl", "base-string", "json"] {
        let (code, text) = run(&[
            "-v",
            "sign",
            &endpoint,
            "--consumer-key",
            "canary-key",
            "--token",
            "tok",
            "--output",
            output,
        ]);
        assert_eq!(code, Some(0), "sign --output {output}: {text}");
        transcripts.push((format!("sign --output {output}"), text));
    }
    let (_, signed) = run(&[
        "sign",
        &endpoint,
        "--consumer-key",
        "canary-key",
        "--timestamp",
        "1764000000",
        "--nonce",
        "canarynonce",
    ]);
    let signed_url = signed.lines().next().unwrap_or("").trim().to_string();
    assert!(
        signed_url.starts_with("http"),
        "sign printed no URL: {signed}"
    );
    let bad = signed_url.replace("oauth_signature=", "oauth_signature=AAAA");
    for format in ["human", "json"] {
        for url in [&signed_url, &bad] {
            let (code, text) = run(&[
                "-v",
                "explain",
                url,
                "--format",
                format,
                "--now",
                "1764000000",
            ]);
            assert_ne!(code, Some(2), "explain: {text}");
            transcripts.push((format!("explain --format {format}"), text));
        }
    }
    let sweeps: [(&str, &[&str]); 2] = [
        ("probe", &["human", "json"]),
        ("check", &["human", "json", "junit"]),
    ];
    for (command, formats) in sweeps {
        for format in formats {
            let (code, text) = run(&[
                "-v",
                command,
                &base,
                "--consumer-key",
                "canary-key",
                "--format",
                format,
                "--rate",
                "50",
            ]);
            assert_ne!(code, Some(2), "{command}: {text}");
            transcripts.push((format!("{command} --format {format}"), text));
        }
    }
    for (what, text) in &transcripts {
        assert_clean(what, text);
    }
    let log = served.log.lock().unwrap().clone();
    assert_clean("serve --log-base-strings", &log);
    assert!(
        log.to_lowercase().contains("base string") || log.contains("GET&"),
        "serve logged no base string:\n{log}"
    );
}
