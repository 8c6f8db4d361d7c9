//! The browser page's functions (`sigdoctor::web_api`, exported by web/ through
//! wasm-bindgen) give the same JSON as the CLI: `explain` on every explain fixture, `sign`
//! on a few requests. Run natively, so a plain `cargo test` covers what the page computes;
//! tests/web_browser.rs drives the compiled page itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use sigdoctor::web_api;

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/explain");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/explain")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("case.json").is_file())
        .collect();
    v.sort();
    v
}

/// The search's wall time differs run to run; everything else must be equal.
fn without_timing(mut v: Value) -> Value {
    fn strip(v: &mut Value) {
        if let Some(s) = v.get_mut("search").and_then(Value::as_object_mut) {
            s.remove("elapsed_ms");
        }
    }
    match &mut v {
        Value::Array(a) => a.iter_mut().for_each(strip),
        other => strip(other),
    }
    v
}

/// Explain one fixture both ways; returns (cli, web) documents.
fn both(dir: &Path) -> (Value, Value) {
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let args: Vec<String> = case["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(str::to_string))
        .collect();
    let secret = case["consumer_secret"].as_str().unwrap_or_default();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.arg("explain")
        .arg(format!("@{}", dir.join("request").display()))
        .args(["--format", "json", "--color", "never"])
        .args(&args)
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .env("SIGDOCTOR_CONSUMER_SECRET", secret);
    if let Some(ts) = case["token_secret"].as_str() {
        cmd.env("SIGDOCTOR_TOKEN_SECRET", ts);
    }
    let out = cmd.output().unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "{}: CLI stdout not JSON: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });

    // The same flags, as the page passes them.
    let mut opts = json!({ "now": null, "host_aliases": [] });
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().cloned().unwrap_or_default();
        match a.as_str() {
            "--now" => opts["now"] = json!(v.parse::<i64>().unwrap()),
            "--host-alias" => opts["host_aliases"].as_array_mut().unwrap().push(json!(v)),
            other => panic!("{}: flag {other} has no page option yet", dir.display()),
        }
    }
    if let Some(ts) = case["token_secret"].as_str() {
        opts["token_secret"] = json!(ts);
    }
    let request = std::fs::read_to_string(dir.join("request")).unwrap();
    let web: Value =
        serde_json::from_str(&web_api::explain(&request, secret, &opts.to_string())).unwrap();
    (cli, web)
}

#[test]
fn explain_gives_the_cli_json_on_every_fixture() {
    let dirs = fixtures();
    assert!(dirs.len() >= 10, "expected the explain fixtures");
    let mut wrong = Vec::new();
    for dir in &dirs {
        let (cli, web) = both(dir);
        assert_eq!(
            cli["schema"],
            "sigdoctor.explain.v1",
            "{}: {cli}",
            dir.display()
        );
        if without_timing(cli) != without_timing(web.clone()) {
            wrong.push(format!("{}: {web}", dir.display()));
        }
    }
    assert!(
        wrong.is_empty(),
        "web JSON differs from the CLI's:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn explain_view_carries_the_reports_and_a_marked_diff() {
    let dir = fixtures()
        .into_iter()
        .find(|d| d.to_string_lossy().contains("uri-default-port-kept"))
        .expect("a uri-default-port-kept fixture");
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let request = std::fs::read_to_string(dir.join("request")).unwrap();
    let secret = case["consumer_secret"].as_str().unwrap();
    let now = case["args"][1].as_str().unwrap();
    let opts = format!(r#"{{"now":{now}}}"#);
    let plain: Value = serde_json::from_str(&web_api::explain(&request, secret, &opts)).unwrap();
    let view: Value =
        serde_json::from_str(&web_api::explain_view(&request, secret, &opts)).unwrap();
    assert_eq!(
        without_timing(view["reports"][0].clone()),
        without_timing(plain)
    );
    assert_eq!(view["views"][0]["exit_code"], 1);
    let diff = view["views"][0]["diff"].as_array().unwrap();
    let changed: Vec<&Value> = diff.iter().filter(|l| l["kind"] == "changed").collect();
    assert!(!changed.is_empty(), "{diff:?}");
    // The client kept `:443`: the marked characters on its side hold it.
    let marked: String = changed
        .iter()
        .flat_map(|l| l["client"].as_array().unwrap().iter())
        .filter(|s| s["changed"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(marked.contains("443"), "marked: {marked}");
    let fp = &view["views"][0]["secret_fingerprint"];
    assert_eq!(fp["length"], secret.chars().count());
    assert!(!view.to_string().contains(secret), "the secret leaked");
}

#[test]
fn sign_gives_the_cli_json() {
    let cases: &[(&str, &[&str], &str)] = &[
        ("https://api.example.com/1/x?b=2&a=1", &[], "header"),
        ("https://h.example/gallery/api/v1/workflows/", &[], "query"),
        ("https://h.example/p", &["-d", "c=3&d=a b"], "body"),
    ];
    for (url, extra, placement) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
            .args([
                "sign",
                url,
                "--consumer-key",
                "ck",
                "--consumer-secret",
                "env:S",
            ])
            .args(["--token", "tok", "--token-secret", "env:T"])
            .args(["--timestamp", "1700000000", "--nonce", "n0nce"])
            .args(["--placement", placement, "--output", "json"])
            .args(*extra)
            .env("S", "cs&+ /")
            .env("T", "ts")
            .output()
            .unwrap();
        let cli: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{url}: {}", String::from_utf8_lossy(&out.stderr)));
        let mut opts = json!({
            "request": url, "consumer_key": "ck", "consumer_secret": "cs&+ /",
            "token": "tok", "token_secret": "ts", "timestamp": "1700000000",
            "nonce": "n0nce", "placement": placement,
        });
        if let ["-d", body] = extra {
            opts["data"] = json!(body);
        }
        let web: Value = serde_json::from_str(&web_api::sign(&opts.to_string())).unwrap();
        assert_eq!(cli, web, "{url}");
        assert_eq!(web["schema"], "sigdoctor.sign.v1");
    }
}

#[test]
fn faults_lists_the_catalogue() {
    let v: Value = serde_json::from_str(&web_api::faults()).unwrap();
    let list = v["faults"].as_array().unwrap();
    assert_eq!(list.len(), sigdoctor::search::Fault::ALL.len());
    assert!(list.iter().any(|f| f["id"] == "uri-default-port-kept"));
    assert!(list
        .iter()
        .all(|f| f["fix"].as_str().is_some_and(|s| !s.is_empty())));
}

#[test]
fn bad_input_is_a_one_line_error_document() {
    let err = |doc: String| -> String {
        let v: Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(v["schema"], web_api::ERROR_SCHEMA, "{doc}");
        let e = v["error"].as_str().unwrap().to_string();
        assert!(!e.contains('\n'), "{e}");
        e
    };
    let url = "https://h/p?oauth_consumer_key=k&oauth_signature=abc";
    assert!(err(web_api::explain(url, "s", "{}")).contains("options.now"));
    assert!(err(web_api::explain(url, "s", "{not json")).starts_with("options:"));
    assert!(err(web_api::explain(url, "s", r#"{"now":1,"bogus":1}"#)).contains("bogus"));
    assert!(err(web_api::explain("@/etc/passwd", "s", r#"{"now":1}"#)).contains("@PATH"));
    assert!(err(web_api::explain("-", "s", r#"{"now":1}"#)).contains("stdin"));
    assert!(err(web_api::explain("", "s", r#"{"now":1}"#)).contains("empty"));
    assert!(err(web_api::explain("https://h/p", "s", r#"{"now":1}"#)).contains("no OAuth"));
    assert!(err(web_api::sign(r#"{"request":"https://h/"}"#)).contains("consumer_key"));
    let plaintext = json!({"request": "http://h/", "consumer_key": "k", "consumer_secret": "s",
        "timestamp": "1", "nonce": "n", "signature_method": "PLAINTEXT"});
    assert!(err(web_api::sign(&plaintext.to_string())).contains("PLAINTEXT"));
    // Profile names: every one the CLI's --profile takes, and nothing else.
    let bad = err(web_api::explain(url, "s", r#"{"now":1,"profile":"bogus"}"#));
    for id in [
        "auto",
        "alteryx",
        "netsuite",
        "woocommerce",
        "lti",
        "magento",
        "twitter",
        "flickr",
        "jira",
        "generic",
    ] {
        assert!(bad.contains(id), "{id} missing from: {bad}");
        let opts = format!(r#"{{"now":1,"profile":"{id}"}}"#);
        let v: Value = serde_json::from_str(&web_api::explain(url, "s", &opts)).unwrap();
        assert_ne!(v["schema"], web_api::ERROR_SCHEMA, "{id}: {v}");
    }
}

#[test]
fn no_secret_means_lints_only() {
    let url = "https://h/p?oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_nonce=n&oauth_signature=abc";
    let v: Value = serde_json::from_str(&web_api::explain(url, "", r#"{"now":1}"#)).unwrap();
    assert_eq!(v["verdict"], "unverifiable");
}

/// CLI `explain` JSON with extra flags, secrets from the fixture.
fn cli_with(dir: &Path, extra: &[&str]) -> Value {
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.arg("explain")
        .arg(format!("@{}", dir.join("request").display()))
        .args(["--format", "json", "--color", "never"])
        .args(
            case["args"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap()),
        )
        .args(extra)
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .env(
            "SIGDOCTOR_CONSUMER_SECRET",
            case["consumer_secret"].as_str().unwrap(),
        );
    let out = cmd.output().unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn evidence_options_give_the_cli_json() {
    let dir = |name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/explain")
            .join(name)
    };
    let bad = dir("combo-01-key-not-encoded+sig-method-mismatch+uri-path-decoded");
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(bad.join("case.json")).unwrap()).unwrap();
    let request = std::fs::read_to_string(bad.join("request")).unwrap();
    let secret = case["consumer_secret"].as_str().unwrap();
    let now: i64 = case["args"][1].as_str().unwrap().parse().unwrap();
    let client_bs = case["client_base_string"].as_str().unwrap();
    let rfc_bs = case["rfc_base_string"].as_str().unwrap();
    let good = dir("valid-url-alteryx-subscription");
    let good_text = std::fs::read_to_string(good.join("request")).unwrap();
    let runs: Vec<(Vec<&str>, Value)> = vec![
        (
            vec!["--client-base-string", client_bs],
            json!({ "now": now, "client_base_string": client_bs }),
        ),
        (
            vec!["--server-base-string", rfc_bs],
            json!({ "now": now, "server_base_string": rfc_bs }),
        ),
        (
            vec!["--reference", good_text.trim()],
            json!({ "now": now, "reference": good_text.trim() }),
        ),
    ];
    for (flags, opts) in runs {
        let cli = cli_with(&bad, &flags);
        let web: Value =
            serde_json::from_str(&web_api::explain(&request, secret, &opts.to_string())).unwrap();
        assert_eq!(without_timing(cli), without_timing(web), "{flags:?}");
    }
}

#[test]
fn placeholders_and_host_give_the_cli_json() {
    let paste = "https://<Gallery Server>/gallery/api/v1/workflows/?oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_nonce=n&oauth_version=1.0&oauth_signature=abc%3D";
    for host in [None, Some("gallery.example.com")] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
        cmd.args(["explain", paste, "--format", "json", "--now", "1700000000"])
            .env("SIGDOCTOR_CONSUMER_SECRET", "s3cret")
            .env_remove("SIGDOCTOR_TOKEN_SECRET");
        let mut opts = json!({ "now": 1_700_000_000 });
        if let Some(h) = host {
            cmd.args(["--host", h]);
            opts["host"] = json!(h);
        }
        let out = cmd.output().unwrap();
        let cli: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        let web: Value =
            serde_json::from_str(&web_api::explain(paste, "s3cret", &opts.to_string())).unwrap();
        assert!(
            cli["placeholders"]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{cli}"
        );
        assert_eq!(without_timing(cli), without_timing(web), "host {host:?}");
    }
}

#[test]
fn rsa_public_key_as_text_gives_the_cli_json() {
    // wiki.oauth.net TestCases 9.3: the published RSA-SHA1 signature over this request.
    let sig = "jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+RinhejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=";
    let enc: String = sig
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let url = format!(
        "http://photos.example.net/photos?file=vacaction.jpg&size=original&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=13917289812797014437&oauth_signature_method=RSA-SHA1&oauth_timestamp=1196666512&oauth_version=1.0&oauth_signature={enc}"
    );
    let pem_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rsa/wiki-testcase-public.pem");
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args(["explain", &url, "--format", "json", "--now", "1196666512"])
        .arg("--public-key")
        .arg(&pem_path)
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .env_remove("SIGDOCTOR_TOKEN_SECRET")
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let pem = std::fs::read_to_string(&pem_path).unwrap();
    let opts = json!({ "now": 1_196_666_512, "public_key": pem });
    let web: Value = serde_json::from_str(&web_api::explain(&url, "", &opts.to_string())).unwrap();
    assert_eq!(web["verdict"], "valid", "{web}");
    assert_eq!(without_timing(cli), without_timing(web));
    let bad = json!({ "now": 1, "public_key": "-----BEGIN PUBLIC KEY-----\nnope" });
    let e: Value = serde_json::from_str(&web_api::explain(&url, "", &bad.to_string())).unwrap();
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .starts_with("options.public_key"),
        "{e}"
    );
}
