//! `explain --server-base-string` / `--client-base-string` over `fixtures/base_strings`:
//! bodies and log lines of each server form (real bytes from PECL OAuthProvider, oauthlib
//! and sigdoctor serve; the published forms of Flickr, net.oauth, AWeber, Khan Academy, Yelp
//! and Postman Echo), made by tools/evidence/make_base_strings.py. The expected base strings
//! and faults come from oauthlib and tools/reference, never from sigdoctor's explain.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::sorted_strings;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/base_strings");
    support::case_dirs(&root)
}

/// Runs explain on the case's request with `flag @body`, with or without the secret.
fn explain(dir: &Path, flag: &str, secret: Option<&str>) -> (Option<i32>, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.arg("explain")
        .arg(format!("@{}", dir.join("request").display()))
        .arg(flag)
        .arg(format!("@{}", dir.join("body").display()))
        .args(["--format", "json", "--now", "1764000000"])
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env_remove("SIGDOCTOR_TOKEN_SECRET");
    if let Some(s) = secret {
        cmd.env("SIGDOCTOR_CONSUMER_SECRET", s);
    }
    let out = cmd.output().expect("run sigdoctor");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&text).unwrap_or_else(|_| {
        panic!(
            "{}: stdout not JSON; stderr {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json, text)
}

#[test]
fn server_base_strings_name_the_deployment_faults() {
    let mut checked = 0;
    for dir in cases() {
        let c = support::read_case(&dir);
        let Some(want_bs) = c["server_base_string"].as_str() else {
            continue;
        };
        let name = support::case_name(&dir);
        for secret in [None, c["consumer_secret"].as_str()] {
            let (code, j, text) = explain(&dir, "--server-base-string", secret);
            let s = &j["server"];
            assert_eq!(s["base_string"], want_bs, "{name}");
            assert_eq!(s["form"], c["form"], "{name}");
            assert_eq!(
                sorted_strings(&s["faults"]),
                sorted_strings(&c["expect_deployment_faults"]),
                "{name}"
            );
            assert_eq!(
                sorted_strings(&s["params_dropped"]),
                sorted_strings(&c["expect_params_dropped"]),
                "{name}"
            );
            assert_eq!(
                sorted_strings(&s["params_added"]),
                sorted_strings(&c["expect_params_added"]),
                "{name}"
            );
            let kinds: Vec<&str> = j["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["kind"].as_str())
                .collect();
            assert!(kinds.contains(&"server-base-string"), "{name}: {kinds:?}");
            // Postman Echo's body carries the signing key: it must not come out.
            let cs = c["consumer_secret"].as_str().unwrap_or_default();
            assert!(!text.contains(cs), "{name}: secret in the report");
            let differs = !s["faults"].as_array().is_none_or(Vec::is_empty)
                || !s["params_dropped"].as_array().is_none_or(Vec::is_empty);
            match secret {
                None if differs => {
                    assert_eq!(j["verdict"], "explained", "{name}");
                    assert_eq!(code, Some(1), "{name}");
                }
                None => assert_eq!(j["verdict"], "unverifiable", "{name}"),
                Some(_) => {
                    // The client signed the request as sent (RFC); the server expected
                    // another string whenever it differs.
                    assert_eq!(j["verdict"], "valid", "{name}");
                    assert_eq!(s["signs_captured"], !differs, "{name}");
                }
            }
        }
        checked += 1;
    }
    assert!(checked >= 9, "only {checked} server cases");
}

#[test]
fn client_base_strings_name_the_client_faults_without_a_secret() {
    let mut checked = 0;
    for dir in cases() {
        let c = support::read_case(&dir);
        let Some(want_bs) = c["client_base_string"].as_str() else {
            continue;
        };
        let name = support::case_name(&dir);
        let want = sorted_strings(&c["expect_faults"]);
        let (code, j, _) = explain(&dir, "--client-base-string", None);
        assert_eq!(j["client"]["base_string"], want_bs, "{name}");
        assert_eq!(j["verdict"], "explained", "{name}");
        assert_eq!(code, Some(1), "{name}");
        assert_eq!(sorted_strings(&j["matched"]["faults"]), want, "{name}");
        assert_eq!(j["expected"]["base_string"], c["rfc_base_string"], "{name}");
        assert_eq!(
            j["search"]["hypotheses"], 0,
            "{name}: no HMAC without a secret"
        );
        // With the secret, the signature search agrees and the base string signs to the
        // captured signature.
        let (_, j, _) = explain(&dir, "--client-base-string", c["consumer_secret"].as_str());
        assert_eq!(sorted_strings(&j["matched"]["faults"]), want, "{name}");
        assert_eq!(j["client"]["signs_captured"], true, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 3);
}

#[test]
fn a_body_without_a_base_string_is_bad_input() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/base_strings/yelp-rfc");
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .arg("explain")
        .arg(format!("@{}", dir.join("request").display()))
        .args([
            "--server-base-string",
            "The provided signature(oauth_signature) is invalid.",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--server-base-string: no base string found"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let req = format!("@{}", dir.join("request").display());
    for args in [
        vec!["explain", "-", "--client-base-string", "-"],
        vec![
            "explain",
            &req,
            "--client-base-string",
            "@/nonexistent/sbs.txt",
        ],
        vec!["explain", &req, "--server-base-string", ""],
        vec!["explain", &req, "--reference", "not a request"],
        vec!["explain", &req, "--reference", "https://h/x?no=oauth"],
        vec!["explain", &req, "--host", "a/b"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
            .args(&args)
            .env_remove("SIGDOCTOR_CONSUMER_SECRET")
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// Every `fixtures/explain` case with the base string its faulty client signed (written
/// by oauthref into case.json): without the secret, the base-string faults of the
/// reference's answer are found from the base string alone (key, hash and signature
/// encoding faults leave no trace in it).
#[test]
fn fixture_client_base_strings_give_the_base_string_faults() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/explain");
    let dirs = support::case_dirs(&root);
    let visible = |v: Vec<String>| -> Vec<String> {
        v.into_iter()
            .filter(|f| !f.starts_with("key-") && !f.starts_with("sig-"))
            .collect()
    };
    let (mut failures, mut checked) = (Vec::new(), 0);
    for dir in dirs {
        let c = support::read_case(&dir);
        if c["expect_verdict"] != "explained" {
            continue;
        }
        let Some(bs) = c["client_base_string"].as_str() else {
            continue;
        };
        let name = support::case_name(&dir);
        let mut ok = vec![visible(sorted_strings(&c["expect_faults"]))];
        ok.extend(
            c["alternatives_ok"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| visible(sorted_strings(a))),
        );
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
        cmd.arg("explain")
            .arg(format!("@{}", dir.join("request").display()))
            .args(["--client-base-string", bs, "--format", "json"])
            .env_remove("SIGDOCTOR_CONSUMER_SECRET")
            .env_remove("SIGDOCTOR_TOKEN_SECRET");
        for a in c["args"].as_array().into_iter().flatten() {
            cmd.arg(a.as_str().unwrap_or_default());
        }
        let out = cmd.output().expect("run");
        let j: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        let got: Vec<String> = {
            let mut v: Vec<String> = j["client"]["faults"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect();
            v.sort();
            v
        };
        if !ok.contains(&got) {
            failures.push(format!("{name}: {got:?}, expected one of {ok:?}"));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 70, "{checked}");
}
