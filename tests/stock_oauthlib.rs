//! What `sign` produces is accepted by oauthlib's STOCK validator: a `RequestValidator`
//! subclass that overrides only the lookups (keys, secrets, nonce store), so oauthlib's own
//! checks stand: nonce 20-30 characters of [A-Za-z0-9], a 10-digit timestamp within 600 s,
//! key and token lengths, https. Issue 9: 32-character nonces were refused by every
//! oauthlib server, and the probe then blamed the secret.

use std::io::Write as _;
use std::process::{Command as Process, Stdio};

use assert_cmd::Command;

/// The stock validator; reads `sign --output json` on stdin, prints `valid` or the reason.
const VERIFIER: &str = r#"
import json, os, sys
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint, ResourceEndpoint

KEY, SECRET = os.environ["T_KEY"], os.environ["T_SECRET"]
TOKEN, TOKEN_SECRET = os.environ.get("T_TOKEN"), os.environ.get("T_TOKEN_SECRET")

class Lookups(RequestValidator):
    # Only the lookups: every policy (lengths, characters, window) stays oauthlib's own.
    seen = set()
    @property
    def dummy_client(self): return "dummy_client_key_000000"
    @property
    def dummy_access_token(self): return "dummy_access_token_0000"
    def validate_client_key(self, key, request): return key == KEY
    def get_client_secret(self, key, request): return SECRET if key == KEY else "dummy"
    def validate_access_token(self, key, token, request): return token == TOKEN
    def get_access_token_secret(self, key, token, request): return TOKEN_SECRET if token == TOKEN else "dummy"
    def validate_realms(self, key, token, request, uri=None, realms=None): return True
    def validate_timestamp_and_nonce(self, key, ts, nonce, request, request_token=None, access_token=None):
        if (key, ts, nonce) in self.seen: return False
        self.seen.add((key, ts, nonce)); return True

s = json.load(sys.stdin)
headers = {}
if s.get("authorization"): headers["Authorization"] = s["authorization"]
if s.get("body"): headers["Content-Type"] = "application/x-www-form-urlencoded"
v = Lookups()
# A malformed request makes the endpoint return (False, None): ask its own checks why.
ep = ResourceEndpoint(v) if TOKEN else SignatureOnlyEndpoint(v)
try:
    r = ep._create_request(s["signed_url"], s["method"], s.get("body"), headers)
    ep._check_transport_security(r)
    ep._check_mandatory_parameters(r)
except Exception as e:
    print("refused: " + str(getattr(e, "description", e))); sys.exit(0)
if TOKEN:
    ok, req = ResourceEndpoint(v).validate_protected_resource_request(s["signed_url"], s["method"], s.get("body"), headers)
else:
    ok, req = SignatureOnlyEndpoint(v).validate_request(s["signed_url"], s["method"], s.get("body"), headers)
print("valid" if ok else "refused: " + json.dumps(req.validator_log))
"#;

fn python_with_oauthlib() -> bool {
    Process::new("python3")
        .args(["-c", "import oauthlib"])
        .status()
        .is_ok_and(|s| s.success())
}

/// oauthlib's stock key and token lengths are 20-30 characters too.
const KEY: &str = "sigdoctorStockKey0001";
const SECRET: &str = "consumer/secret+with&reserved";
const TOKEN: &str = "sigdoctorStockToken001";
const TOKEN_SECRET: &str = "token secret";

fn sign_and_verify(args: &[&str], three_legged: bool) -> String {
    let mut sign = Command::cargo_bin("sigdoctor").unwrap();
    sign.env("SIGDOCTOR_CONSUMER_SECRET", SECRET)
        .env("SIGDOCTOR_TOKEN_SECRET", TOKEN_SECRET)
        .arg("sign")
        .args(args)
        .args(["--consumer-key", KEY, "--output", "json"]);
    if three_legged {
        sign.args(["--token", TOKEN]);
    }
    let out = sign.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut py = Process::new("python3");
    py.args(["-c", VERIFIER])
        .env("T_KEY", KEY)
        .env("T_SECRET", SECRET)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if three_legged {
        py.env("T_TOKEN", TOKEN).env("T_TOKEN_SECRET", TOKEN_SECRET);
    }
    let mut child = py.spawn().unwrap();
    child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let res = child.wait_with_output().unwrap();
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    String::from_utf8_lossy(&res.stdout).trim().to_string()
}

#[test]
fn sign_output_passes_oauthlib_stock_validator() {
    if !python_with_oauthlib() {
        panic!(
            "python3 with oauthlib is needed: .ci/run installs it (pip install oauthlib==4.0.1)"
        );
    }
    let url = "https://api.example.test/v1/items?limit=1&q=a%20b";
    let cases: [(&[&str], bool); 6] = [
        (&[url, "--placement", "header"], false),
        (&[url, "--placement", "query"], false),
        (&[url, "--signature-method", "HMAC-SHA256"], false),
        (&[url, "--placement", "header"], true),
        (&[url, "--placement", "query"], true),
        (
            &[
                "https://api.example.test/v1/launch",
                "-X",
                "POST",
                "-d",
                "resource_link_id=1&title=a+b%21",
                "--placement",
                "body",
            ],
            false,
        ),
    ];
    // Many runs: a random nonce outside the bounds would fail some of them.
    for _ in 0..2 {
        for (args, three_legged) in &cases {
            let verdict = sign_and_verify(args, *three_legged);
            assert_eq!(verdict, "valid", "{args:?} 3-legged={three_legged}");
        }
    }
}

/// The test can fail: a 32-character nonce (the old length) is refused by the same script.
#[test]
fn the_stock_validator_refuses_a_long_nonce() {
    if !python_with_oauthlib() {
        panic!("python3 with oauthlib is needed");
    }
    let verdict = sign_and_verify(
        &[
            "https://api.example.test/v1/items",
            "--nonce",
            "abcdefghijklmnopqrstuvwxyz012345",
        ],
        false,
    );
    assert!(verdict.starts_with("refused"), "{verdict}");
    assert!(verdict.contains("nonce"), "{verdict}");
}
