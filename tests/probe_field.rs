//! probe and check against a verifier that is not ours: oauthlib's stock endpoints in a small
//! Python app on loopback, playing the deployments of issue 9 (a proxy that strips or adds
//! a path segment, a 3-legged endpoint, a secret pasted with a trailing space, a nonce
//! refusal, a PECL-style `debug_sbs` reveal). The app rebuilds the URL it signs the way an
//! app behind such a proxy does; oauthlib computes and checks every signature.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command as Process, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

const APP: &str = r#"
import os, sys, json
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlsplit
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import signature

KEY, SECRET = os.environ["A_KEY"], os.environ["A_SECRET"]
TOKEN, TOKEN_SECRET = os.environ.get("A_TOKEN"), os.environ.get("A_TOKEN_SECRET")
STRIP, PREFIX = os.environ.get("A_STRIP"), os.environ.get("A_PREFIX", "")
MODE = os.environ.get("A_MODE", "")

class V(RequestValidator):
    enforce_ssl = False
    seen = set()
    @property
    def dummy_client(self): return "dummy_client_key_000000"
    @property
    def dummy_access_token(self): return "dummy_access_token_0000"
    def validate_client_key(self, k, r): return k == KEY
    def get_client_secret(self, k, r): return SECRET
    def validate_access_token(self, k, t, r): return t == TOKEN
    def get_access_token_secret(self, k, t, r): return TOKEN_SECRET
    def validate_realms(self, *a, **kw): return True
    def validate_timestamp_and_nonce(self, k, ts, n, r, request_token=None, access_token=None):
        if MODE == "nonce" or (k, ts, n) in self.seen: return False
        self.seen.add((k, ts, n)); return True

class H(BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_POST(self):
        self.body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        self.do_GET("POST")
    def do_GET(self, method="GET"):
        body = getattr(self, "body", None)
        parts = urlsplit(self.path)
        path = parts.path
        if STRIP: path = "/" + path.lstrip("/").split("/", 1)[1]
        path = PREFIX + path
        uri = "http://" + self.headers["Host"] + path + ("?" + parts.query if parts.query else "")
        headers = {}
        if self.headers.get("Authorization"): headers["Authorization"] = self.headers["Authorization"]
        if body is not None: headers["Content-Type"] = self.headers.get("Content-Type", "")
        if MODE == "nonce":
            return self.answer(401, 'OAuth realm="t", oauth_problem="nonce_used"', "Nonce already used.")
        if TOKEN and "oauth_token" not in headers.get("Authorization", "") + parts.query:
            return self.answer(401, None, "oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token")
        ep = ResourceEndpoint(V()) if TOKEN else SignatureOnlyEndpoint(V())
        if TOKEN: ok, _ = ep.validate_protected_resource_request(uri, method, body, headers)
        else: ok, _ = ep.validate_request(uri, method, body, headers)
        if ok: return self.answer(200, None, json.dumps({"items": []}))
        body = "Invalid signature."
        if MODE == "reveal":
            params = signature.collect_parameters(uri_query=parts.query, headers=headers, exclude_oauth_signature=True)
            sbs = signature.signature_base_string(method, signature.base_string_uri(uri), signature.normalize_parameters(params))
            body = "oauth_problem=signature_invalid&debug_sbs=" + sbs
        self.answer(401, 'OAuth realm="t", oauth_problem="signature_invalid"', body)
    def answer(self, status, www, body):
        self.send_response(status)
        if www: self.send_header("WWW-Authenticate", www)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
print(srv.server_address[1], flush=True)
srv.serve_forever()
"#;

const KEY: &str = "sigdoctorFieldKey0001";
const SECRET: &str = "field-secret";
const TOKEN: &str = "sigdoctorFieldToken001";
const TOKEN_SECRET: &str = "field-token-secret";

struct App(Child, u16);

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn app(env: &[(&str, &str)]) -> App {
    let mut cmd = Process::new("python3");
    cmd.args(["-c", APP])
        .env("A_KEY", KEY)
        .env("A_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .spawn()
        .expect("python3 with oauthlib is needed: .ci/run installs it");
    let mut line = String::new();
    let stdout = child.stdout.take().unwrap();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let port = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("the oauthlib app did not start: {line:?}"));
    App(child, port)
}

/// Runs `cmd` (probe or check) with the secret in the environment; JSON and exit code.
fn run(cmd: &str, url: &str, secret: &str, extra: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .env("FIELD_SECRET", secret)
        .env("FIELD_TOKEN_SECRET", TOKEN_SECRET)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .args([cmd, url, "--consumer-key", KEY])
        .args(["--consumer-secret", "env:FIELD_SECRET"])
        .args(["--format", "json", "--rate", "0", "--timeout", "5"])
        .args(extra)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    // Progress is for a terminal; here stderr is a pipe.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains(" sent, "), "no progress bar on a pipe: {err}");
    let v = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

fn faults(v: &Value) -> Vec<String> {
    v["authenticated"]["faults"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn healthy_three_legged_endpoint_is_ok_with_a_token() {
    let a = app(&[("A_TOKEN", TOKEN), ("A_TOKEN_SECRET", TOKEN_SECRET)]);
    let url = format!("http://127.0.0.1:{}/api/v2/items?limit=1", a.1);
    let token = ["--token", TOKEN, "--token-secret", "env:FIELD_TOKEN_SECRET"];
    let (code, v) = run("probe", &url, SECRET, &token);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("ok")), "{v:#}");
    assert!(
        v["requests_sent"].as_u64().unwrap() >= 2,
        "request and control"
    );

    // Without the token: the server says so, and the report says 3-legged, not "secret".
    let (code, v) = run("check", &url, SECRET, &[]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(v["findings"][0]["id"], "token-rejected", "{v:#}");
    assert!(v["findings"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("--token TOKEN"));
    assert_eq!(v["probes"][0]["reason_class"], "token", "{v:#}");
}

#[test]
fn proxy_stripping_the_first_segment_is_found() {
    let a = app(&[("A_STRIP", "1")]);
    let url = format!("http://127.0.0.1:{}/api/v2/items", a.1);
    let (code, v) = run("probe", &url, SECRET, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-path"], "{v:#}");
    assert_eq!(
        v["authenticated"]["signed_uri"],
        format!("http://127.0.0.1:{}/v2/items", a.1)
    );
    let f = &v["findings"][0];
    assert_eq!(f["id"], "base-address-path", "{v:#}");
    assert!(f["fix"].as_str().unwrap().contains("proxy_pass"), "{f:#}");
    // The finding carries both base strings, which differ only in the URI.
    let (c, s) = (
        f["client_base_string"].as_str().unwrap(),
        f["server_base_string"].as_str().unwrap(),
    );
    assert_eq!(
        c.replace("%2Fapi%2Fv2", "%2Fv2"),
        s,
        "only the path differs"
    );
    assert_eq!(v["probes"][0]["reason"], "oauth_problem=signature_invalid");
}

#[test]
fn mount_prefix_added_by_the_proxy_is_found_with_path_prefix() {
    let a = app(&[("A_PREFIX", "/mount")]);
    let url = format!("http://127.0.0.1:{}/api/v2/items", a.1);
    let (code, v) = run("probe", &url, SECRET, &["--path-prefix", "mount/"]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-path"]);
    assert_eq!(
        v["authenticated"]["signed_uri"],
        format!("http://127.0.0.1:{}/mount/api/v2/items", a.1)
    );
    // --base-uri is tried before anything else.
    let base = format!("http://127.0.0.1:{}/mount/api/v2/items", a.1);
    let (code, v) = run("probe", &url, SECRET, &["--base-uri", &base]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(v["probes"][1]["signed_uri"], base, "{v:#}");
    assert_eq!(v["probes"][1]["authenticated"], true, "{v:#}");
}

#[test]
fn secret_with_a_trailing_space_is_a_key_finding() {
    let a = app(&[]);
    let url = format!("http://127.0.0.1:{}/api/v2/items", a.1);
    let (code, v) = run("probe", &url, &format!("{SECRET} "), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["key-secret-whitespace"], "{v:#}");
    assert_eq!(v["findings"][0]["id"], "key-secret-whitespace");
    let text = v.to_string();
    assert!(!text.contains(SECRET), "the secret never appears: {text}");

    let (code, v) = run("probe", &url, &format!("{SECRET}&"), &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["key-secret-trailing-ampersand"], "{v:#}");
}

#[test]
fn a_nonce_refusal_is_not_an_invalid_signature() {
    let a = app(&[("A_MODE", "nonce")]);
    let url = format!("http://127.0.0.1:{}/api/v2/items", a.1);
    let (code, v) = run("probe", &url, SECRET, &[]);
    assert_eq!(code, 3, "{v:#}");
    assert_eq!(v["requests_sent"], 1, "no sweep: {v:#}");
    assert_eq!(v["findings"][0]["id"], "nonce-rejected", "{v:#}");
    assert_eq!(v["probes"][0]["reason_class"], "nonce");
    assert!(!v.to_string().contains("another secret"), "{v:#}");
}

#[test]
fn a_revealed_base_string_ends_the_sweep() {
    let a = app(&[("A_MODE", "reveal"), ("A_STRIP", "1")]);
    let url = format!("http://127.0.0.1:{}/api/v2/items", a.1);
    let (code, v) = run("probe", &url, SECRET, &[]);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-path"]);
    // The as-called request, the revealed URI, the control: nothing guessed.
    assert_eq!(v["requests_sent"], 3, "{v:#}");
}

/// An LTI 1.1 launch takes only POST: with --allow-post the form body is sent and signed.
#[test]
fn post_with_allow_post_signs_the_body() {
    let a = app(&[("A_STRIP", "1")]);
    let url = format!("http://127.0.0.1:{}/lti/launch", a.1);
    let post = [
        "-X",
        "POST",
        "-d",
        "lti_message_type=basic-lti-launch-request&resource_link_id=r1",
        "--allow-post",
    ];
    let (code, v) = run("probe", &url, SECRET, &post);
    assert_eq!(code, 1, "{v:#}");
    assert_eq!(faults(&v), ["base-address-path"], "{v:#}");
    assert_eq!(
        v["authenticated"]["signed_uri"],
        format!("http://127.0.0.1:{}/launch", a.1)
    );
}

#[test]
fn post_needs_allow_post() {
    let out = Command::cargo_bin("sigdoctor")
        .unwrap()
        .env("FIELD_SECRET", SECRET)
        .args(["probe", "http://127.0.0.1:9/launch", "--consumer-key", KEY])
        .args([
            "--consumer-secret",
            "env:FIELD_SECRET",
            "-X",
            "POST",
            "-d",
            "a=1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-post"), "{err}");
}

/// `--token` and `--token-secret` come together; a bad `--base-uri` is named.
#[test]
fn usage_errors_name_the_flag() {
    let cases: [(&[&str], &str); 3] = [
        (
            &["--token-secret", "env:FIELD_SECRET"],
            "--token-secret was given without --token",
        ),
        (&["--token", TOKEN], "--token needs --token-secret"),
        (&["--base-uri", "ht tp://x"], "--base-uri `ht tp://x`"),
    ];
    for (extra, want) in cases {
        let out = Command::cargo_bin("sigdoctor")
            .unwrap()
            .env("FIELD_SECRET", SECRET)
            .env_remove("SIGDOCTOR_TOKEN_SECRET")
            .args(["probe", "http://127.0.0.1:9/x", "--consumer-key", KEY])
            .args(["--consumer-secret", "env:FIELD_SECRET"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{extra:?}: {err}");
    }
}
