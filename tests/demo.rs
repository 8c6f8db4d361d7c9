//! `sigdoctor demo` runs on loopback with no set-up, shows the five clients failing against
//! the misconfigured Base Address and only the correct one passing after the fix, never
//! prints a secret, and its broken clients sign exactly as the field's clients do (checked
//! by an independent Python model of each one, built on oauthlib's escape).

use std::process::Command;

/// The demo's made-up secrets (src/app/demo.rs), to check they never appear and to let
/// the Python model recompute the signatures.
const SUB_SECRET: &str = "pq7Rk2vWx9LmN4sT8yZb3cFh6jDg1eAa";
const ADMIN_SECRET: &str = "Zu8Hn3Qp6Ws1Yc4Ve7Bt2Mk5Xr9Gf0Ld";

const INVALID: &str = "-> 401 The provided signature(oauth_signature) is invalid.";

/// Recomputes the signature of each demo URL under the fault its client models; prints
/// "ok N" or "bad N expected got".
const MODEL: &str = r#"
import base64, hashlib, hmac, sys
from urllib.parse import urlsplit, parse_qsl, unquote
from oauthlib.oauth1.rfc5849.utils import escape
sub, admin = sys.argv[1], sys.argv[2]
urls = sys.stdin.read().split()
for n, url in enumerate(urls, 1):
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k != "oauth_signature"]
    sent = unquote(parts.query.rsplit("oauth_signature=", 1)[1])
    host = parts.hostname + (":443" if n == 1 else "")
    base_uri = f"{parts.scheme}://{host}{parts.path}"
    secret = admin if n == 2 else sub
    if n == 3:   # form encoding: space -> '+'
        enc = [(k.replace(" ", "+"), v.replace(" ", "+")) for k, v in pairs]
        enc = [(escape(k).replace("%2B", "+"), escape(v).replace("%2B", "+")) for k, v in enc]
    else:
        enc = [(escape(k), escape(v)) for k, v in pairs]
    if n != 2:   # client 2 keeps the wire (dict) order
        enc.sort()
    base = "GET&" + escape(base_uri) + "&" + escape("&".join(f"{k}={v}" for k, v in enc))
    key = escape(secret + (" " if n == 4 else "")) + "&"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    sig = (base64.urlsafe_b64encode if n == 2 else base64.b64encode)(digest).decode()
    print(f"ok {n}" if sig == sent else f"bad {n} {sig} {sent}")
"#;

#[test]
fn demo_runs_and_tells_the_story() {
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .arg("demo")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    for s in [SUB_SECRET, ADMIN_SECRET] {
        assert!(
            !stdout.contains(s) && !stderr.contains(s),
            "a secret leaked"
        );
    }
    let (before, after) = stdout
        .split_once("--- after the fix")
        .expect("a fix section");
    assert_eq!(before.matches(INVALID).count(), 5, "{before}");
    assert_eq!(before.matches("--- sigdoctor explain (request").count(), 5);
    assert!(before.contains("--- sigdoctor probe ---"));
    let after_lines: Vec<&str> = after.lines().filter(|l| l.contains("-> ")).collect();
    assert_eq!(after_lines.len(), 5, "{after}");
    assert!(after_lines[..4].iter().all(|l| l.contains("-> 401")));
    assert!(after_lines[4].ends_with("-> 200 OK"), "{}", after_lines[4]);
}

#[test]
fn demo_clients_sign_as_the_field_clients_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .arg("demo")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let urls: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("   GET "))
        .collect();
    assert_eq!(urls.len(), 5, "{stdout}");
    let mut child = Command::new("python3")
        .args(["-c", MODEL, SUB_SECRET, ADMIN_SECRET])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed (and `pip install oauthlib`)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(urls.join("\n").as_bytes())
        .unwrap();
    let res = child.wait_with_output().unwrap();
    let verdicts = String::from_utf8_lossy(&res.stdout);
    assert!(
        res.status.success(),
        "the Python model failed (needs `pip install oauthlib`): {}",
        String::from_utf8_lossy(&res.stderr)
    );
    assert_eq!(
        verdicts.split_whitespace().collect::<Vec<_>>().join(" "),
        "ok 1 ok 2 ok 3 ok 4 ok 5",
        "{verdicts}"
    );
}
