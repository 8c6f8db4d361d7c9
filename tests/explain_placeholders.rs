//! Placeholders in pastes: the forum threads' shapes read as posted (no parse error, lints
//! still run, the report names what to fill in), and every `fixtures/explain` case with its
//! host and consumer key replaced by `<Gallery Server>` / `<removed>` reaches the reference's
//! answer (oauthlib's, from case.json) once `--host` and `--consumer-key` fill them.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use sigdoctor::cli::RequestInput;
use support::sorted_strings;

fn run(stdin: &str, args: &[&str], secret: Option<&str>) -> (Option<i32>, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.args(["explain", "-", "--format", "json", "--now", "1764000000"])
        .args(args)
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .stderr(Stdio::piped());
    if let Some(s) = secret {
        cmd.env("SIGDOCTOR_CONSUMER_SECRET", s);
    }
    let out = support::output_with_stdin(&mut cmd, stdin.as_bytes()).expect("run sigdoctor");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code(), json, err)
}

fn placeholders(j: &Value) -> Vec<(String, String)> {
    j["placeholders"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["text"].as_str().unwrap_or_default().to_string(),
                p["where"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn lint_ids(j: &Value) -> Vec<String> {
    j["lints"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn forum_pastes_read_as_posted() {
    let q = "oauth_signature_method=HMAC-SHA1&oauth_timestamp=1764000000&oauth_nonce=abc&oauth_version=1.0";
    for (paste, want, lint) in [
        (
            format!("https://<Gallery Server>:443/gallery/api/v1/...&oauth_consumer_key=<removed>&{q}&oauth_signature=OjENMgFp9o<truncated>"),
            vec![("<Gallery Server>", "host"), ("...", "path"), ("<removed>", "oauth_consumer_key")],
            Some("default-port-in-url"),
        ),
        (
            format!("https://server:443/gallery/api/v1/workflows/subscription/?oauth_consumer_key=<apikey>&{q}&oauth_signature=xxx"),
            vec![("<apikey>", "oauth_consumer_key"), ("xxx", "oauth_signature")],
            Some("default-port-in-url"),
        ),
        (
            format!("curl '{{{{host}}}}/gallery/api/v1/workflows/subscription/?oauth_consumer_key=xxx&{q}&oauth_signature=abc%3D'"),
            vec![("{{host}}", "host"), ("xxx", "oauth_consumer_key")],
            None,
        ),
        (
            format!("GET /gallery/api/v1/workflows/subscription/?oauth_consumer_key={{{{consumerKey}}}}&{q}&oauth_signature=abc%3D HTTP/1.1\nHost: <Gallery Server>\n\n"),
            vec![("{{consumerKey}}", "oauth_consumer_key"), ("<Gallery Server>", "host")],
            None,
        ),
        (
            format!("https://gallery.example.com/gallery/api/v1/workflows/subscription/?...&oauth_consumer_key=abc&{q}&oauth_signature=abc%3D"),
            vec![("...", "query")],
            None,
        ),
    ] {
        let (code, j, err) = run(&paste, &[], None);
        assert_ne!(code, Some(2), "{paste}: {err}");
        let got = placeholders(&j);
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want, "{paste}");
        assert_eq!(j["verdict"], "unverifiable", "{paste}");
        if let Some(l) = lint {
            assert!(lint_ids(&j).contains(&l.to_string()), "{paste}: {:?}", lint_ids(&j));
        }
        // The paste is shown as written, tokens never leak out.
        let text = j.to_string();
        assert!(!text.contains("sigdoctor-placeholder"), "{text}");
    }
}

#[test]
fn filled_placeholders_reach_the_reference_answer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/explain");
    let cases = support::case_dirs(&root);
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in &cases {
        let name = support::case_name(dir);
        let case = support::read_case(dir);
        let text = std::fs::read_to_string(dir.join("request")).unwrap();
        let Ok(reqs) = sigdoctor::input::parse_text(&text, "fixture", &RequestInput::default())
        else {
            continue;
        };
        let Some(req) = reqs.into_iter().find(|r| r.has_oauth()) else {
            continue;
        };
        let host = req.url.host.clone();
        let Some(key) = req.param_str("oauth_consumer_key").filter(|k| k.len() > 8) else {
            continue;
        };
        if host.len() < 4 || text.contains("PLAINTEXT") {
            continue;
        }
        let pasted = text
            .replace(&host, "<Gallery Server>")
            .replace(&key, "<removed>");
        let mut args: Vec<String> = case["args"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str().map(str::to_string))
            .filter(|a| a != "--now")
            .collect();
        // --now's value goes too: run() sets the clock.
        args.retain(|a| a.parse::<i64>().is_err());
        let secret = case["consumer_secret"].as_str();
        let token = case["token_secret"].as_str();
        let (_, j, err) = run(&pasted, &[], secret);
        if j["verdict"] != "unverifiable" {
            failures.push(format!("{name}: unfilled: verdict {} {err}", j["verdict"]));
            continue;
        }
        let mut full: Vec<&str> = vec!["--host", &host, "--consumer-key", &key];
        full.extend(args.iter().map(String::as_str));
        if let Some(t) = token {
            full.extend(["--token-secret", t]);
        }
        let (_, j, err) = run(&pasted, &full, secret);
        let want = case["expect_verdict"].as_str().unwrap_or_default();
        if j["verdict"] != want {
            failures.push(format!(
                "{name}: verdict {}, expected {want} {err}",
                j["verdict"]
            ));
            continue;
        }
        if want == "explained" {
            let ok = support::accepted_fault_sets(&case);
            let got = sorted_strings(&j["matched"]["faults"]);
            if !ok.contains(&got) {
                failures.push(format!("{name}: faults {got:?}, expected {ok:?}"));
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 60, "only {checked} cases");
}
