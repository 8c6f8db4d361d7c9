//! `explain BAD --reference GOOD` over `fixtures/reference`: GOOD signed by oauthlib for a
//! server with a non-RFC Base Address, BAD with client faults (tools/evidence/
//! make_reference_pairs.py). The server form, its deployment faults and BAD's faults come
//! from the generator, never from sigdoctor.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::sorted_strings;

fn run(dir: &Path, case: &Value, secret: bool) -> (Option<i32>, Value) {
    let (code, json, text) = run_format(dir, case, secret, "json");
    let cs = case["consumer_secret"].as_str().unwrap_or_default();
    assert!(!text.contains(cs), "the secret leaked");
    let (_, _, human) = run_format(dir, case, secret, "human");
    assert!(!human.contains(cs), "the secret leaked");
    (code, json)
}

fn run_format(
    dir: &Path,
    case: &Value,
    secret: bool,
    format: &str,
) -> (Option<i32>, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.arg("explain")
        .arg(format!("@{}", dir.join("bad").display()))
        .arg("--reference")
        .arg(format!("@{}", dir.join("good").display()))
        .args(["--format", format, "--now", "1764000200"])
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env_remove("SIGDOCTOR_TOKEN_SECRET");
    if secret {
        cmd.env(
            "SIGDOCTOR_CONSUMER_SECRET",
            case["consumer_secret"].as_str().unwrap_or_default(),
        );
    }
    for a in case["args"].as_array().into_iter().flatten() {
        cmd.arg(a.as_str().unwrap_or_default());
    }
    let out = cmd.output().expect("run sigdoctor");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (out.status.code(), json, text)
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference");
    support::case_dirs(&root)
}

#[test]
fn good_calibrates_the_server_and_bad_is_explained_against_it() {
    let mut checked = 0;
    for dir in cases() {
        let case = support::read_case(&dir);
        let name = support::case_name(&dir);
        let Some(want_uri) = case["expect_server_base_uri"].as_str() else {
            continue;
        };
        let (code, j) = run(&dir, &case, true);
        let r = &j["reference"];
        assert_eq!(r["verdict"], case["expect_reference_verdict"], "{name}");
        assert_eq!(r["server_base_uri"], want_uri, "{name}");
        assert_eq!(
            sorted_strings(&r["faults"]),
            sorted_strings(&case["expect_reference_faults"]),
            "{name}"
        );
        assert_eq!(j["verdict"], case["expect_verdict"], "{name}");
        let want = sorted_strings(&case["expect_faults"]);
        let got = sorted_strings(&j["matched"]["faults"]);
        assert_eq!(got, want, "{name}");
        let want_code = if want.is_empty() { 0 } else { 1 };
        assert_eq!(code, Some(want_code), "{name}");
        let kinds: Vec<&str> = j["evidence"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["kind"].as_str())
            .collect();
        assert_eq!(kinds, vec!["signature", "reference"], "{name}");
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
}

#[test]
fn without_the_secret_the_requests_are_diffed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference/no-secret-diff");
    let case = support::read_case(&dir);
    let (_, j) = run(&dir, &case, false);
    let r = &j["reference"];
    assert_eq!(r["verdict"], "unverifiable");
    let got: Vec<(String, bool)> = r["differences"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["what"].as_str().unwrap_or_default().to_string(),
                d["matters"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, bool)> = case["expect_differences"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d[0].as_str().unwrap_or_default().to_string(),
                d[1].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(got, want);
}
