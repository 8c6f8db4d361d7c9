//! `sigdoctor explain` end to end: exit codes, the JSON contract, colour, secrets.
//!
//! The request is RFC 5849 section 1.2's photos example; the faulty signatures were computed
//! with Python's `hmac` over hand-written base strings, never by sigdoctor.

mod support;

use assert_cmd::Command;
use serde_json::Value;

use support::output_text as run;
use support::rfc_example::{CS, PORT80, TS, URL, VALID};

fn explain(sig: &str) -> Command {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_remove("NO_COLOR")
        .env("SIGDOCTOR_CONSUMER_SECRET", CS)
        .env("SIGDOCTOR_TOKEN_SECRET", TS)
        .args(["explain", &format!("{URL}{sig}"), "--now", "1191242096"]);
    c
}

fn assert_no_secret(out: &str) {
    assert!(
        !out.contains(CS) && !out.contains(TS),
        "a secret leaked:\n{out}"
    );
}

#[test]
fn valid_says_the_client_is_right_and_points_to_probe() {
    let (code, out, err) = run(&mut explain(VALID));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("VALID"), "{out}");
    assert!(out.contains("The client is right") && out.contains("sigdoctor probe"));
    assert_no_secret(&out);
}

#[test]
fn explained_names_fault_fix_and_the_differing_bytes() {
    let (code, out, err) = run(&mut explain(PORT80));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.starts_with("EXPLAINED"));
    assert!(out.contains("uri-default-port-kept"));
    assert!(out.contains("fix: Sign the URL without the default port"));
    assert!(
        out.contains("- uri    http://photos.example.net:80/photos"),
        "{out}"
    );
    assert!(out.contains("Searched:"));
    assert!(!out.contains('\u{1b}'), "colour on a pipe:\n{out}");
    assert_no_secret(&out);
    assert_no_secret(&err);
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let (_, out, _) = run(explain(PORT80).args(["--color", "always"]));
    assert!(out.contains('\u{1b}'));
    let (_, out, _) = run(explain(PORT80).env("NO_COLOR", "1"));
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn json_follows_the_v1_contract() {
    let (code, out, _) = run(explain(PORT80).args(["--format", "json"]));
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for k in [
        "schema", "verdict", "request", "expected", "matched", "faults", "lints", "search",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    assert_eq!(v["schema"], "sigdoctor.explain.v1");
    assert_eq!(v["verdict"], "explained");
    assert_eq!(v["request"]["signature_location"], "query");
    assert_eq!(v["request"]["signature"], "25SL4GVtDi2TLfl6gbLmw6o+t3Q=");
    assert_eq!(v["expected"]["signature"], "tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    assert_eq!(
        v["matched"]["faults"],
        serde_json::json!(["uri-default-port-kept"])
    );
    assert_eq!(v["faults"][0]["category"], "uri");
    assert!(v["search"]["hypotheses"].as_u64().unwrap() >= 2);
    assert!(v["search"]["elapsed_ms"].is_number());
    assert_no_secret(&out);
}

#[test]
fn unexplained_exits_3_and_shows_only_a_fingerprint() {
    let (code, out, _) = run(&mut explain("AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"));
    assert_eq!(code, 3, "{out}");
    assert!(out.starts_with("UNEXPLAINED"));
    assert!(out.contains("16 characters") && out.contains("tR3+Ty81lMeYAr/Fid0kMTYa/WM="));
    assert_no_secret(&out);
}

#[test]
fn without_secret_lints_only_exit_5_and_errors_exit_1() {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .args([
            "explain",
            &format!("{URL}{VALID}"),
            "--now",
            "1191242096",
            "--format",
            "json",
        ]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 5, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verdict"], "unverifiable");
    assert!(v["expected"].is_null() && v["matched"].is_null());
    // A timestamp in milliseconds is an error lint: exit 1.
    let ms = format!("{URL}{VALID}").replace("1191242096", "1191242096000");
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .args(["explain", &ms, "--now", "1191242096"]);
    let (code, out, _) = run(&mut c);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("timestamp-milliseconds"));
}

#[test]
fn secret_from_env_var_source_and_literal_warning() {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env("MY_CS", CS)
        .env("SIGDOCTOR_TOKEN_SECRET", TS)
        .args([
            "explain",
            &format!("{URL}{VALID}"),
            "--consumer-secret",
            "env:MY_CS",
        ]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("visible"), "{err}");
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env("SIGDOCTOR_TOKEN_SECRET", TS)
        .args(["explain", &format!("{URL}{VALID}"), "--consumer-secret", CS]);
    let (code, _, err) = run(&mut c);
    assert_eq!(code, 0);
    assert!(err.contains("visible in the process list"), "{err}");
    assert_no_secret(&err);
}

#[test]
fn a_request_without_oauth_is_bad_input() {
    let mut c = Command::cargo_bin("sigdoctor").unwrap();
    c.args(["explain", "https://h/gallery/api/v1/x/?a=1"]);
    let (code, out, err) = run(&mut c);
    assert_eq!(code, 2, "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no OAuth parameter"), "{err}");
}
