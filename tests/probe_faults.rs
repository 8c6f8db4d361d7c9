//! probe against a Gallery on loopback configured with each deployment fault.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::{
    fake_gallery, free_port, start_gallery, Mode, Normalization, KEY, SECRET, SECRET_VAR,
};

const CONCURRENCY: usize = 4;

/// Runs `sigdoctor probe URL --format json` with the test credentials; returns (exit, JSON).
fn probe(url: &str, extra: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", url, "--format", "json", "--consumer-key", KEY])
        .args(["--consumer-secret", &format!("env:{SECRET_VAR}")])
        .args(["--rate", "200", "--timeout", "5"])
        .args(["--concurrency", &CONCURRENCY.to_string()])
        .args(extra)
        .env(SECRET_VAR, SECRET)
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        // Loopback only: a proxy from the environment must not carry the test traffic.
        .env("NO_PROXY", "127.0.0.1,localhost")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "secret leaked"
    );
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"));
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn faults(v: &Value) -> Vec<String> {
    v["authenticated"]["faults"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// The called URL: what a client configured with the DNS name it uses would call.
fn called(port: u16) -> String {
    format!("http://127.0.0.1:{port}/gallery/")
}

#[test]
fn correct_base_address_is_ok() {
    let (addr, _g) = start_gallery("http://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 0, "{v:#}");
    assert_eq!(v["schema"], "sigdoctor.probe.v1");
    assert_eq!(v["verdict"], "ok");
    assert_eq!(
        v["base_address"],
        format!("http://127.0.0.1:{}/gallery/", addr.port())
    );
    // The request as called, then the control with a wrong signature.
    assert_eq!(v["requests_sent"], 2);
    assert_eq!(v["probes"][0]["authenticated"], true);
}

#[test]
fn scheme_found_in_the_first_round() {
    let (addr, _g) = start_gallery("https://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let p = addr.port();
    let (code, v, _) = probe(&called(p), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["verdict"], "mismatch");
    assert_eq!(faults(&v), ["base-address-scheme"]);
    assert_eq!(
        v["authenticated"]["signed_uri"],
        format!("https://127.0.0.1:{p}/gallery/api/v1/workflows/subscription/")
    );
    assert_eq!(v["base_address"], format!("https://127.0.0.1:{p}/gallery/"));
    // as called + one round of --concurrency + the control.
    assert!(
        v["requests_sent"].as_u64().unwrap() <= 1 + CONCURRENCY as u64 + 1,
        "{v:#}"
    );
}

#[test]
fn endpoint_without_trailing_slash_authenticates_as_called() {
    // The called endpoint without its trailing slash; the server signs the Gallery route.
    // Stand-in only: `sigdoctor serve` routes need the trailing slash (404 without).
    let (addr, _g) = fake_gallery::start(
        "http://127.0.0.1:{port}/gallery/",
        Normalization::Rfc,
        Mode::Verify,
        0,
    );
    let p = addr.port();
    let url = format!("http://127.0.0.1:{p}/gallery/api/v1/workflows/subscription?limit=1");
    let (code, v, _) = probe(&url, &[]);
    // The stand-in signs exactly the path it receives, so the toggled slash is refused:
    // the request as called already authenticates.
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn route_trailing_slash_found_in_the_first_round() {
    let (addr, _g) = fake_gallery::start(
        "http://127.0.0.1:{port}/gallery/",
        Normalization::Rfc,
        Mode::VerifyRouteWithoutSlash,
        0,
    );
    let p = addr.port();
    let (code, v, _) = probe(&called(p), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-path"]);
    assert_eq!(
        v["authenticated"]["signed_uri"],
        format!("http://127.0.0.1:{p}/gallery/api/v1/workflows/subscription")
    );
    assert!(
        v["requests_sent"].as_u64().unwrap() <= 1 + CONCURRENCY as u64 + 1,
        "{v:#}"
    );
    // Not a Base Address matter: the advice is client-side.
    let fix = v["findings"][0]["fix"].as_str().unwrap();
    assert!(fix.starts_with("sign with http://127.0.0.1"), "{fix}");
}

#[test]
fn literal_default_port_and_scheme() {
    let (addr, _g) = start_gallery("https://127.0.0.1:443/gallery/", Normalization::Literal);
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-scheme", "base-address-port"]);
    assert_eq!(
        v["authenticated"]["signed_uri"],
        "https://127.0.0.1:443/gallery/api/v1/workflows/subscription/"
    );
    assert_eq!(v["base_address"], "https://127.0.0.1:443/gallery/");
}

#[test]
fn rfc_default_port_dropped() {
    let (addr, _g) = start_gallery("https://127.0.0.1:443/gallery/", Normalization::Rfc);
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-scheme", "base-address-port"]);
    assert_eq!(
        v["authenticated"]["signed_uri"],
        "https://127.0.0.1/gallery/api/v1/workflows/subscription/"
    );
}

#[test]
fn explicit_default_port_kept_literally() {
    let (addr, _g) = start_gallery("http://127.0.0.1:80/gallery/", Normalization::Literal);
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-port"]);
    assert_eq!(v["base_address"], "http://127.0.0.1:80/gallery/");
    assert!(
        v["requests_sent"].as_u64().unwrap() <= 1 + CONCURRENCY as u64 + 1,
        "{v:#}"
    );
}

#[test]
fn localhost_default_host() {
    let (addr, _g) = start_gallery("http://localhost:{port}/gallery/", Normalization::Rfc);
    let p = addr.port();
    let (code, v, _) = probe(&called(p), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-host"]);
    assert_eq!(v["base_address"], format!("http://localhost:{p}/gallery/"));
}

#[test]
fn machine_name_via_host_alias() {
    let (addr, _g) = start_gallery("http://gallery01:{port}/gallery/", Normalization::Rfc);
    let p = addr.port();
    let (code, v, _) = probe(&called(p), &["--host-alias", "gallery01"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-host"]);
    assert_eq!(v["base_address"], format!("http://gallery01:{p}/gallery/"));
    // Without the alias the name cannot be guessed: inconclusive.
    let (code, v, _) = probe(&called(p), &[]);
    assert_eq!(code, 3, "{v:#}");
}

#[test]
fn base_address_without_trailing_slash() {
    // Stand-in only: it concatenates Base Address and route as configured, where
    // `sigdoctor serve` adds the missing slash itself.
    let (addr, _g) = fake_gallery::start(
        "http://127.0.0.1:{port}/gallery",
        Normalization::Rfc,
        Mode::Verify,
        0,
    );
    let p = addr.port();
    let (code, v, _) = probe(&called(p), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-path"]);
    assert_eq!(v["base_address"], format!("http://127.0.0.1:{p}/gallery"));
}

#[test]
fn human_report_names_the_setting() {
    let (addr, _g) = start_gallery("https://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let p = addr.port();
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", &called(p), "--consumer-key", KEY, "--rate", "200"])
        .args(["--consumer-secret", &format!("env:{SECRET_VAR}")])
        .env(SECRET_VAR, SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let want = format!(
        "System Settings > Gallery > Base Address: https://127.0.0.1:{p}/gallery/ -> http://127.0.0.1:{p}/gallery/"
    );
    assert!(text.contains(&want), "{text}");
    assert!(text.contains("base-address-scheme"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when stdout is not a terminal"
    );
}

#[test]
fn wrong_secret_is_inconclusive() {
    let (addr, _g) = start_gallery("http://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", &called(addr.port()), "--format", "json"])
        .args([
            "--consumer-key",
            KEY,
            "--consumer-secret",
            "env:WRONG_SECRET",
        ])
        .args(["--rate", "0", "--max-probes", "20"])
        .env("WRONG_SECRET", "not-the-secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["verdict"], "inconclusive");
    assert_eq!(v["authenticated"], Value::Null);
    assert_eq!(v["findings"][0]["id"], "nothing-authenticated");
    assert_eq!(v["requests_sent"], 20, "--max-probes bounds the sweep");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("not-the-secret"));
}

#[test]
fn unknown_key_ends_the_sweep() {
    let (addr, _g) = start_gallery("http://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", &called(addr.port()), "--format", "json"])
        .args(["--consumer-key", "someone-else"])
        .args(["--consumer-secret", &format!("env:{SECRET_VAR}")])
        .env(SECRET_VAR, SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["id"], "unknown-consumer-key");
    assert_eq!(v["requests_sent"], 1);
}

#[test]
fn nothing_listening_is_unreachable() {
    let port = free_port();
    let (code, v, _) = probe(&called(port), &[]);
    assert_eq!(code, 4, "{v:#}");
    assert_eq!(v["verdict"], "unreachable");
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("nothing answers"), "{msg}");
}

#[test]
fn accept_all_endpoint_is_caught_by_the_control() {
    let (addr, _g) =
        fake_gallery::start("http://x/gallery/", Normalization::Rfc, Mode::AcceptAll, 0);
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(v["findings"][0]["id"], "no-verification");
    assert_eq!(v["authenticated"], Value::Null);
}

#[test]
fn alteryx_2022_webapi_is_named() {
    let (addr, _g) = fake_gallery::start("http://x/gallery/", Normalization::Rfc, Mode::Webapi, 0);
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(v["findings"][0]["id"], "alteryx-oauth1-removed");
}

#[test]
fn clock_skew_is_measured_and_corrected() {
    let (addr, _g) = fake_gallery::start(
        "http://127.0.0.1:{port}/gallery/",
        Normalization::Rfc,
        Mode::Verify,
        3600,
    );
    let (code, v, _) = probe(&called(addr.port()), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["clock-skew"]);
    let skew = v["clock_skew_seconds"].as_f64().unwrap();
    assert!((3590.0..3610.0).contains(&skew), "{skew}");
}

#[test]
fn dry_run_sends_nothing() {
    let port = free_port();
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", &called(port), "--dry-run", "--consumer-key", KEY])
        .args(["--consumer-secret", &format!("env:{SECRET_VAR}")])
        .args(["--max-probes", "5"])
        .env(SECRET_VAR, SECRET)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("nothing sent"), "{text}");
    assert!(
        text.contains(&format!(
            "https://127.0.0.1:{port}/gallery/api/v1/workflows/subscription/"
        )),
        "{text}"
    );
    let numbered = text
        .lines()
        .filter(|l| {
            l.starts_with("  ")
                && l.trim_start()
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
        })
        .count();
    assert_eq!(numbered, 5, "{text}");
}

#[test]
fn missing_credentials_is_usage() {
    Command::cargo_bin("sigdoctor")
        .unwrap()
        .args(["probe", "http://127.0.0.1:9/gallery/"])
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .assert()
        .code(2);
}

#[test]
fn generic_profile_signs_in_the_header() {
    let (addr, _g) = start_gallery("https://127.0.0.1:{port}/gallery/", Normalization::Rfc);
    let p = addr.port();
    let url = format!("http://127.0.0.1:{p}/gallery/api/v1/workflows/subscription/");
    let (code, v, _) = probe(&url, &["--profile", "generic"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-scheme"]);
    assert_eq!(
        v["base_address"],
        Value::Null,
        "no Base Address outside alteryx"
    );
    // Outside alteryx: the server-side fix first, then the client-side workaround.
    let fix = v["findings"][0]["fix"].as_str().unwrap();
    assert!(fix.starts_with("server-side: the app signs https"), "{fix}");
    assert!(
        fix.contains(&format!("client-side: sign with https://127.0.0.1:{p}/")),
        "{fix}"
    );
}
