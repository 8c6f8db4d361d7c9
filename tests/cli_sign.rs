//! `sigdoctor sign` through the binary: every output, and bad input (exit 2, one line).
//!
//! Expected signatures come from the published photos example (OAuth Core 1.0 appendix A.5
//! with oauth_version, RFC 5849 section 1.2 without), and from the definition of PLAINTEXT,
//! never from sigdoctor's own output.

use assert_cmd::Command;
use serde_json::Value;

const RFC_URL: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original";
/// OAuth Core 1.0 appendix A.5.2 prints this signature for the photos request.
const RFC_SIG: &str = "tR3+Ty81lMeYAr/Fid0kMTYa/WM=";
const RFC_SIG_PCT: &str = "tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D";

fn sign() -> Command {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_clear()
        .env("SIGDOCTOR_CONSUMER_SECRET", "kd94hf93k423kf44")
        .env("SIGDOCTOR_TOKEN_SECRET", "pfkkdhi9sl3r4s00")
        .arg("sign");
    c
}

/// The photos request of OAuth Core 1.0 appendix A.5 (with oauth_version=1.0).
fn rfc(output: &str) -> Command {
    let mut c = sign();
    c.args([
        RFC_URL,
        "--consumer-key",
        "dpf43f3p2l4k3l03",
        "--token",
        "nnch734d00sl2jdk",
    ]);
    c.args([
        "--timestamp",
        "1191242096",
        "--nonce",
        "kllo9940pd9333jh",
        "--output",
        output,
    ]);
    c
}

fn stdout(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn url_output_is_the_rfc_example() {
    let out = stdout(&mut rfc("url"));
    assert_eq!(
        out.trim_end(),
        format!(
            "{RFC_URL}&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=kllo9940pd9333jh\
             &oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096\
             &oauth_token=nnch734d00sl2jdk&oauth_version=1.0&oauth_signature={RFC_SIG_PCT}"
        )
    );
}

#[test]
fn rfc5849_section_1_2_without_version() {
    let mut c = sign();
    c.args([
        RFC_URL,
        "--consumer-key",
        "dpf43f3p2l4k3l03",
        "--token",
        "nnch734d00sl2jdk",
    ])
    .args([
        "--timestamp",
        "137131202",
        "--nonce",
        "chapoH",
        "--no-version",
    ])
    .args(["--output", "json"]);
    let j: Value = serde_json::from_str(&stdout(&mut c)).unwrap();
    // RFC 5849 section 1.2 prints this signature.
    assert_eq!(j["signature"], "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

#[test]
fn header_output() {
    let out = stdout(rfc("header").args(["--realm", "Photos"]));
    assert!(
        out.starts_with(
            "Authorization: OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\""
        ),
        "{out}"
    );
    assert!(
        out.trim_end()
            .ends_with(&format!("oauth_signature=\"{RFC_SIG_PCT}\"")),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn base_string_output() {
    let out = stdout(&mut rfc("base-string"));
    assert_eq!(
        out.trim_end(),
        "GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3Dvacation.jpg%26oauth_consumer_key\
         %3Ddpf43f3p2l4k3l03%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method%3DHMAC-SHA1\
         %26oauth_timestamp%3D1191242096%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0\
         %26size%3Doriginal"
    );
}

#[test]
fn json_output_fields_and_no_secret() {
    let out = stdout(rfc("json").args(["--placement", "header"]));
    assert!(!out.contains("kd94hf93k423kf44") && !out.contains("pfkkdhi9sl3r4s00"));
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["schema"], "sigdoctor.sign.v1");
    assert_eq!(j["method"], "GET");
    assert_eq!(j["url"], RFC_URL);
    assert_eq!(j["signed_url"], RFC_URL);
    assert_eq!(j["signature"], RFC_SIG);
    assert_eq!(j["signature_method"], "HMAC-SHA1");
    assert!(j["authorization"].as_str().unwrap().starts_with("OAuth "));
    assert_eq!(j["body"], Value::Null);
    assert!(j["base_string"]
        .as_str()
        .unwrap()
        .starts_with("GET&http%3A%2F%2Fphotos"));
    let params = j["oauth_params"].as_array().unwrap();
    assert_eq!(params.last().unwrap()[1], RFC_SIG);
    assert_eq!(j["key_fingerprint"]["consumer_secret"]["length"], 16);
    assert_eq!(j["key_fingerprint"]["token_secret"]["starts_with"], "pf");
}

#[test]
fn curl_output_round_trips_through_the_curl_parser() {
    let out = stdout(rfc("curl").args(["--placement", "body", "-d", "a=b c"]));
    assert!(out.starts_with("curl 'http://photos"), "{out}");
    let reqs = sigdoctor::input::parse_text(&out, "curl", &Default::default()).unwrap();
    let req = &reqs[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.param_str("a").as_deref(), Some("b c"));
    assert_eq!(
        req.param("oauth_signature").unwrap().origin.as_str(),
        "body"
    );
}

#[test]
fn plaintext_signature_is_the_key() {
    let out = stdout(rfc("json").args([
        "--signature-method",
        "PLAINTEXT",
        "--no-version",
        "--allow-plaintext-over-http",
    ]));
    let j: Value = serde_json::from_str(&out).unwrap();
    // RFC 5849 section 3.4.4: the signature is pct(consumer secret) & pct(token secret).
    assert_eq!(j["signature"], "kd94hf93k423kf44&pfkkdhi9sl3r4s00");
    assert!(!j["base_string"].as_str().unwrap().contains("oauth_version"));
}

#[test]
fn profiles_choose_the_placement() {
    let alteryx = stdout(sign().args([
        "https://h/gallery/api/v1/workflows/",
        "--consumer-key",
        "k",
        "--output",
        "json",
    ]));
    let j: Value = serde_json::from_str(&alteryx).unwrap();
    assert_eq!(j["authorization"], Value::Null);
    assert!(j["signed_url"]
        .as_str()
        .unwrap()
        .contains("oauth_signature="));
    let generic = stdout(sign().args([
        "https://api.example.com/1/x",
        "--consumer-key",
        "k",
        "--output",
        "json",
    ]));
    let j: Value = serde_json::from_str(&generic).unwrap();
    assert!(j["authorization"]
        .as_str()
        .unwrap()
        .contains("oauth_signature="));
    assert_eq!(j["signed_url"], "https://api.example.com/1/x");
}

#[test]
fn verbose_shows_base_string_and_fingerprint_not_secret() {
    let out = rfc("url").arg("-v").output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("base string: GET&http%3A%2F%2Fphotos.example.net"),
        "{err}"
    );
    assert!(err.contains("consumer secret: 16 characters"), "{err}");
    assert!(
        !err.contains("kd94hf93k423kf44") && !err.contains("pfkkdhi9sl3r4s00"),
        "{err}"
    );
}

#[test]
fn stdin_curl_input() {
    let out = stdout(
        sign()
            .args(["-", "--consumer-key", "k", "--output", "json"])
            .write_stdin(
                "curl -X PUT \\\n  'https://h/x?a=1' \\\n  -H 'X-Y: z' --data-raw 'b=2'\n",
            ),
    );
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["method"], "PUT");
    assert!(j["base_string"].as_str().unwrap().contains("%26b%3D2"));
}

/// Runs a failing command and checks exit 2 with exactly one stderr line containing `want`.
fn fails(c: &mut Command, want: &str) {
    let out = c.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("sigdoctor: error: ") && err.contains(want),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_is_one_line_exit_2() {
    fails(sign().args(["https://h/x"]), "--consumer-key");
    fails(
        sign()
            .env_remove("SIGDOCTOR_CONSUMER_SECRET")
            .args(["https://h/x", "--consumer-key", "k"]),
        "consumer secret",
    );
    fails(
        sign().args(["ftp://h/x", "--consumer-key", "k"]),
        "unsupported scheme",
    );
    fails(
        sign().args(["not a url", "--consumer-key", "k"]),
        "cannot tell",
    );
    fails(
        sign().args(["https://h/x?oauth_nonce=1", "--consumer-key", "k"]),
        "already carries oauth_nonce",
    );
    fails(
        sign().args(["https://h/x", "--consumer-key", "k", "-H", "NoColon"]),
        "has no `:`",
    );
    fails(
        sign().args([
            "https://h/x",
            "--consumer-key",
            "k",
            "--placement",
            "header",
        ]),
        "--output url",
    );
    fails(
        sign()
            .args([
                "https://h/x",
                "--consumer-key",
                "k",
                "--placement",
                "body",
                "--output",
                "json",
            ])
            .args(["-H", "Content-Type: application/json", "-d", "{}"]),
        "needs a form body",
    );
    fails(
        sign()
            .args(["-", "--consumer-key", "k"])
            .write_stdin("curl 'https://h/x"),
        "unterminated ' quote at line 1, column 6",
    );
    fails(
        sign()
            .args(["-", "--consumer-key", "k"])
            .write_stdin(&b"https://h/\xff"[..]),
        "not UTF-8 at byte offset 10",
    );
    fails(
        sign()
            .args(["-", "--consumer-key", "k"])
            .write_stdin(&b"https://h/\0"[..]),
        "NUL byte at byte offset 10",
    );
    fails(
        sign().args(["-", "--consumer-key", "k"]).write_stdin(""),
        "stdin is empty",
    );
    fails(
        sign().args(["@/nonexistent/req.txt", "--consumer-key", "k"]),
        "cannot open @/nonexistent/req.txt",
    );
    fails(
        sign().args([
            "https://h/x",
            "--consumer-key",
            "k",
            "--consumer-secret",
            "env:NOPE_UNSET",
        ]),
        "NOPE_UNSET",
    );
}
