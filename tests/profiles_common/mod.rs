//! Shared by tests/provider_serve.rs and tests/provider_explain.rs: requests signed by
//! Python oauthlib (tools/profiles/oauthlib_sign.py), never by sigdoctor.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn rsa_file(name: &str) -> String {
    root()
        .join("tests/data/rsa")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A request as oauthlib signed it.
#[derive(Clone, Debug)]
pub struct Signed {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

pub fn oauthlib(cases: Value) -> Vec<Signed> {
    let mut child = Command::new("python3")
        .arg(root().join("tools/profiles/oauthlib_sign.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 (with oauthlib; .ci/run installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(cases.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oauthlib_sign.py failed");
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    v.into_iter()
        .map(|s| Signed {
            url: s["url"].as_str().unwrap().to_string(),
            headers: s["headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect(),
            body: s["body"]
                .as_str()
                .filter(|b| !b.is_empty())
                .map(str::to_string),
        })
        .collect()
}

pub fn case(url: &str, method: &str, placement: &str) -> Value {
    json!({"consumer_key": "ck", "secret": "cs secret&1", "signature_method": method,
           "placement": placement, "url": url})
}

pub fn wrong_secret(mut c: Value) -> Value {
    c["secret"] = json!("not the secret");
    c
}

pub fn fixed(mut c: Value) -> Value {
    c["timestamp"] = json!("1700000000");
    c["nonce"] = json!("n0nce");
    c
}
