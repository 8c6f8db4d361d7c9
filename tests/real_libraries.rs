//! The real-library differential suite: requests signed by real OAuth 1.0a clients (Python,
//! node, Postman's runtime, Ruby, Perl, PHP, R), with the misuse their users make, recorded
//! as they leave the machine (tests/data/libraries/*.jsonl, made by tools/libraries/build.py).
//! The expected verdict and fault set of each case come from reading the library and are
//! checked by the independent Python reference, never by sigdoctor. Every case goes through
//! every input format it has (URL, curl, raw HTTP, HAR) via `sigdoctor explain --format json`.
//! `SIGDOCTOR_LIBRARIES` points at another corpus directory (CI's freshly signed sample).
//! All failures of an ecosystem are reported at once.

mod support;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;
use support::sorted_strings;

fn corpus_dir() -> (PathBuf, bool) {
    match std::env::var_os("SIGDOCTOR_LIBRARIES") {
        Some(d) => (PathBuf::from(d), true),
        None => (
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/libraries"),
            false,
        ),
    }
}

/// The cases of one ecosystem; None when a live sample left it out.
fn cases(ecosystem: &str) -> Option<Vec<Value>> {
    let (dir, live) = corpus_dir();
    let path = dir.join(format!("{ecosystem}.jsonl"));
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if live => return None,
        Err(e) => panic!("library corpus {} is missing: {e}", path.display()),
    };
    let rows: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
        .collect();
    assert!(!rows.is_empty(), "{} holds no case", path.display());
    Some(rows)
}

/// Runs explain on one input format of one case; returns what is wrong, if anything.
fn check_format(case: &Value, input: &str) -> Result<(), String> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.args([
        "explain", "-", "--format", "json", "--color", "never", "--now",
    ])
    .arg(case["now"].as_i64().unwrap_or_default().to_string())
    .env_remove("SIGDOCTOR_TOKEN_SECRET")
    .env(
        "SIGDOCTOR_CONSUMER_SECRET",
        case["consumer_secret"].as_str().unwrap_or_default(),
    )
    .stderr(Stdio::piped());
    if let Some(ts) = case["token_secret"].as_str() {
        cmd.env("SIGDOCTOR_TOKEN_SECRET", ts);
    }
    let out = support::output_with_stdin(&mut cmd, input.as_bytes())
        .map_err(|e| format!("cannot run sigdoctor: {e}"))?;
    let json: Value = serde_json::from_slice(&out.stdout).map_err(|_| {
        format!(
            "exit {:?}, stdout not JSON; stderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })?;
    let want = case["expect_verdict"].as_str().unwrap_or_default();
    let got_faults = sorted_strings(&json["matched"]["faults"]);
    let mut problems = Vec::new();
    if json["verdict"] != want {
        problems.push(format!(
            "verdict {} {got_faults:?}, expected {want}",
            json["verdict"]
        ));
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
    if want == "explained" && json["verdict"] == want {
        let ok = support::accepted_fault_sets(case);
        if !ok.contains(&got_faults) {
            problems.push(format!("faults {got_faults:?}, expected one of {ok:?}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// Every case of one ecosystem through every format; panics with all failures listed.
fn run(ecosystem: &str) {
    let Some(rows) = cases(ecosystem) else {
        eprintln!("{ecosystem}: not in this corpus, skipped");
        return;
    };
    let mut failures = Vec::new();
    let mut runs = 0;
    for case in &rows {
        let id = case["id"].as_str().unwrap_or("?");
        // ground truth is what the reference confirmed, nothing else
        let reference = case["reference"].as_str().unwrap_or("");
        if !reference.starts_with("checked") {
            failures.push(format!("{id}: not confirmed by the reference: {reference}"));
            continue;
        }
        let formats = case["formats"].as_object();
        assert!(
            formats.is_some_and(|f| ["curl", "raw", "har"].iter().all(|k| f.contains_key(*k))),
            "{id}: the case lacks its curl, raw HTTP or HAR form"
        );
        for (name, text) in formats.into_iter().flatten() {
            runs += 1;
            if let Err(e) = check_format(case, text.as_str().unwrap_or_default()) {
                failures.push(format!("{id} [{name}]: {e}"));
            }
        }
    }
    eprintln!(
        "{ecosystem}: {} cases, {runs} explain runs, {} failed",
        rows.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {runs} {ecosystem} runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The behaviours faults.md credits to a library of this suite, each shown by at least one
/// real request: a corpus that silently lost one fails here, not in review.
#[test]
fn the_corpus_shows_each_library_behaviour_of_the_catalogue() {
    if corpus_dir().1 {
        return; // a live sample may hold fewer ecosystems
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut verdicts = std::collections::BTreeSet::new();
    for eco in ["python", "node", "postman", "ruby", "perl", "php", "r"] {
        for case in cases(eco).unwrap_or_default() {
            seen.extend(sorted_strings(&case["expect_faults"]));
            verdicts.insert(case["expect_verdict"].as_str().unwrap_or("").to_string());
        }
    }
    let wanted = [
        "key-missing-ampersand",
        "key-secret-whitespace",
        "params-double-encoded",
        "params-duplicates-collapsed",
        "params-duplicates-indexed",
        "params-duplicates-last",
        "params-empty-token-signed",
        "params-over-decoded",
        "params-plus-literal",
        "params-query-omitted",
        "params-semicolon-split",
        "params-sorted-as-strings",
        "params-sorted-by-name-only",
        "params-sorted-raw",
        "params-utf8-double-encoded",
        "params-value-cut-at-equals",
        "uri-default-port-kept",
        "uri-host-case",
        "uri-path-decoded",
        "uri-path-prefix",
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|f| !seen.contains(*f))
        .collect();
    assert!(missing.is_empty(), "no real request shows {missing:?}");
    for v in ["valid", "explained", "unexplained"] {
        assert!(verdicts.contains(v), "no case expects {v}");
    }
}

#[test]
fn python_libraries() {
    run("python");
}

#[test]
fn node_libraries() {
    run("node");
}

#[test]
fn postman_runtime() {
    run("postman");
}

#[test]
fn ruby_oauth_gem() {
    run("ruby");
}

#[test]
fn perl_net_oauth() {
    run("perl");
}

#[test]
fn php_pecl_oauth() {
    run("php");
}

#[test]
fn r_httr() {
    run("r");
}
