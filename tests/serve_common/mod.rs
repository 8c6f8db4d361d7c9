//! Shared by the serve tests: an in-process server, the independent oauthlib signer
//! (tools/reference/sign_request.py), and a raw HTTP/1.1 client that sends the request
//! target byte for byte (a URL library would normalise the very things under test).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;

use serde_json::Value;
use sigdoctor::secret::Secret;
use sigdoctor::serve::{self, KeyPair, Role, ServeConfig, ServerHandle};

/// The subscription key pair the tests' server accepts.
pub const SUB_KEY: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
/// Its secret (given to the signer through the environment).
pub const SUB_SECRET: &str = "s3cr3t/with+reserved&chars ~ok";
/// The admin key pair.
pub const ADMIN_KEY: &str = "admin-key-0001";
/// Its secret.
pub const ADMIN_SECRET: &str = "admin-secret-value";

/// The two key pairs.
pub fn keys() -> Vec<KeyPair> {
    vec![
        KeyPair {
            consumer_key: SUB_KEY.into(),
            consumer_secret: Secret::new(SUB_SECRET),
            role: Role::Subscription,
        },
        KeyPair {
            consumer_key: ADMIN_KEY.into(),
            consumer_secret: Secret::new(ADMIN_SECRET),
            role: Role::Admin,
        },
    ]
}

/// A server on 127.0.0.1:0 with both keys and `base` as Base Address.
pub fn server(base: &str, edit: impl FnOnce(&mut ServeConfig)) -> ServerHandle {
    let mut cfg = ServeConfig::new(base, keys());
    cfg.workers = 1;
    edit(&mut cfg);
    serve::start(cfg).expect("server starts")
}

/// What the signer produced.
pub struct Signed {
    /// The signed URL (origin as signed).
    pub url: String,
    /// Headers to send (Authorization, Content-Type).
    pub headers: Vec<(String, String)>,
    /// Body to send.
    pub body: Option<String>,
}

impl Signed {
    /// The request target: the URL without its origin.
    pub fn target(&self) -> String {
        let rest = self.url.split_once("://").expect("absolute URL").1;
        match rest.find('/') {
            Some(i) => rest[i..].to_string(),
            None => "/".into(),
        }
    }
}

/// Signs with oauthlib through tools/reference/sign_request.py. `args` are its flags.
/// Fails the test with the install hint when python3 or oauthlib is missing.
pub fn oauthlib_sign(secret: &str, args: &[&str]) -> Signed {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/reference/sign_request.py"
    );
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .args(["--secret-env", "SIGDOCTOR_TEST_SECRET"])
        .env("SIGDOCTOR_TEST_SECRET", secret)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 ({e}): the serve tests need python3 and `pip install oauthlib`"
            )
        });
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "sign_request.py failed (needs python3 and `pip install oauthlib`): {stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("signer prints JSON");
    let headers = v["headers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    Signed {
        url: v["url"].as_str().expect("url").to_string(),
        headers,
        body: v["body"].as_str().map(str::to_string),
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The Gallery error message.
    pub fn message(&self) -> String {
        self.json()["message"].as_str().unwrap_or("").to_string()
    }
}

/// Sends one HTTP/1.1 request with the target exactly as given; `Connection: close`.
pub fn send(
    addr: SocketAddr,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> Answer {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    s.write_all(req.as_bytes()).expect("write");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    parse_answer(&raw)
}

/// Sends what the signer produced to the server at `addr`.
pub fn send_signed(addr: SocketAddr, method: &str, signed: &Signed) -> Answer {
    send(
        addr,
        method,
        &signed.target(),
        &signed.headers,
        signed.body.as_deref(),
    )
}

fn parse_answer(raw: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP head");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        body: body.to_string(),
        headers,
    }
}
