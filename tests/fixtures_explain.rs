//! Runs `sigdoctor explain` over every case of `fixtures/explain/*` (made by
//! tools/reference with oauthlib, never by sigdoctor) and checks the verdict, the exit code
//! and the matched fault set. `SIGDOCTOR_FIXTURES` points it elsewhere. All failing cases are
//! reported at once.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::sorted_strings;

fn fixtures_dir() -> PathBuf {
    std::env::var_os("SIGDOCTOR_FIXTURES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/explain"),
        PathBuf::from,
    )
}

/// Runs one case; returns what is wrong with it, if anything.
fn check(dir: &Path) -> Result<(), String> {
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("case.json")).map_err(|e| format!("case.json: {e}"))?,
    )
    .map_err(|e| format!("case.json: {e}"))?;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.arg("explain")
        .arg(format!("@{}", dir.join("request").display()))
        .args(["--format", "json", "--color", "never"])
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .env(
            "SIGDOCTOR_CONSUMER_SECRET",
            case["consumer_secret"].as_str().unwrap_or_default(),
        );
    if let Some(ts) = case["token_secret"].as_str() {
        cmd.env("SIGDOCTOR_TOKEN_SECRET", ts);
    }
    for a in case["args"].as_array().into_iter().flatten() {
        cmd.arg(a.as_str().unwrap_or_default());
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run sigdoctor: {e}"))?;
    let json: Value = serde_json::from_slice(&out.stdout).map_err(|_| {
        format!(
            "exit {:?}, stdout not JSON; stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })?;
    let want = case["expect_verdict"].as_str().unwrap_or_default();
    let mut problems = Vec::new();
    if json["verdict"] != want {
        problems.push(format!("verdict {}, expected {want}", json["verdict"]));
    }
    let want_exit = match want {
        "valid" => 0,
        "explained" => 1,
        _ => 3,
    };
    if out.status.code() != Some(want_exit) {
        problems.push(format!(
            "exit {:?}, expected {want_exit}",
            out.status.code()
        ));
    }
    if want == "explained" {
        let got = sorted_strings(&json["matched"]["faults"]);
        let ok = support::accepted_fault_sets(&case);
        if !ok.contains(&got) {
            problems.push(format!("faults {got:?}, expected one of {ok:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn every_fixture_is_explained_as_the_reference_says() {
    let root = fixtures_dir();
    let cases = support::case_dirs(&root);
    assert!(
        !cases.is_empty(),
        "no fixture case under {}",
        root.display()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            check(c).err().map(|e| {
                format!(
                    "{}: {e}",
                    c.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixture cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
