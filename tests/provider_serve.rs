//! `serve --profile P`, `probe` and `check` under provider profiles, against requests
//! signed by Python oauthlib: the provider's way is accepted, the rest refused with the
//! provider's exact error body. RSA-SHA1 (Jira) uses the wiki.oauth.net test key.

mod profiles_common;
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;

use profiles_common::{case, oauthlib, rsa_file, wrong_secret, Signed};
use serde_json::{json, Value};

/// Sends `s` to `addr` (the URL's path and query, its host in the Host header): the
/// server sees the request as if the provider's own host had been called.
fn send(addr: &str, method: &str, s: &Signed) -> (u16, String, String) {
    let after_scheme = s.url.split_once("://").unwrap().1;
    let (host, path) = match after_scheme.find('/') {
        Some(i) => after_scheme.split_at(i),
        None => (after_scheme, "/"),
    };
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in &s.headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = s.body.clone().unwrap_or_default();
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    stream.read_to_string(&mut resp).unwrap();
    let (head, body) = resp.split_once("\r\n\r\n").unwrap();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_string(), body.to_string())
}

fn serve(profile: &str, base: &str, extra: &[&str]) -> support::Served {
    let mut args = if extra.contains(&"--listen") {
        vec![]
    } else {
        vec!["--listen", "127.0.0.1:0"]
    };
    args.extend_from_slice(&[
        "--profile",
        profile,
        "--base-address",
        base,
        "--consumer-key",
        "ck",
    ]);
    args.extend_from_slice(extra);
    support::serve_binary(&args, &[("SIGDOCTOR_CONSUMER_SECRET", "cs secret&1")])
}

#[test]
fn woocommerce_serve_verifies_oauthlib_and_answers_like_woocommerce() {
    let s = serve("woocommerce", "http://shop.example.com/", &[]);
    let url = "http://shop.example.com/wp-json/wc/v3/orders?per_page=5&status=processing";
    let c = case(url, "HMAC-SHA256", "query");
    let signed = oauthlib(json!([c.clone(), wrong_secret(c)]));
    let (status, _, body) = send(&s.addr, "GET", &signed[0]);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"authenticated\":true"));
    let (status, _, body) = send(&s.addr, "GET", &signed[1]);
    assert_eq!(status, 401);
    assert_eq!(
        body,
        r#"{"code":"woocommerce_rest_authentication_error","message":"Invalid signature - provided signature does not match.","data":{"status":401}}"#
    );
    // WooCommerce checks the signature before the timestamp: a stale request says which.
    let mut stale = case(url, "HMAC-SHA1", "query");
    stale["timestamp"] = json!("1000000000");
    let signed = oauthlib(json!([stale.clone(), wrong_secret(stale)]));
    let (status, _, body) = send(&s.addr, "GET", &signed[0]);
    assert_eq!(status, 401);
    assert!(body.contains("\"Invalid timestamp.\""), "{body}");
    let (_, _, body) = send(&s.addr, "GET", &signed[1]);
    assert!(body.contains("provided signature does not match"), "{body}");
    // The `+` repair: a signature sent with a raw `+` (a space once decoded) still verifies.
    let plus = (0..40)
        .map(|i| case(&format!("{url}&page={i}"), "HMAC-SHA1", "query"))
        .collect::<Vec<_>>();
    let with_plus = oauthlib(Value::Array(plus))
        .into_iter()
        .find(|s| s.url.contains("%2B"))
        .expect("one of 40 signatures has a +");
    let raw = Signed {
        url: with_plus.url.replace("%2B", "+"),
        ..with_plus
    };
    let (status, _, body) = send(&s.addr, "GET", &raw);
    assert_eq!(status, 200, "{body}");
}

#[test]
fn netsuite_serve_wants_hmac_sha256_and_says_invalid_login_attempt() {
    let s = serve(
        "netsuite",
        "https://1234567-sb1.restlets.api.netsuite.com/",
        &[],
    );
    let url = "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=12&deploy=1";
    let mut c = case(url, "HMAC-SHA256", "header");
    c["realm"] = json!("1234567_SB1");
    let mut sha1 = c.clone();
    sha1["signature_method"] = json!("HMAC-SHA1");
    let mut host_realm = c.clone();
    host_realm["realm"] = json!("1234567-sb1");
    let signed = oauthlib(json!([c.clone(), wrong_secret(c), sha1, host_realm]));
    assert_eq!(send(&s.addr, "GET", &signed[0]).0, 200);
    let (status, _, body) = send(&s.addr, "GET", &signed[1]);
    assert_eq!(status, 401);
    assert_eq!(
        body,
        r#"{"error":{"code":"INVALID_LOGIN_ATTEMPT","message":"Invalid login attempt."}}"#
    );
    let (status, _, body) = send(&s.addr, "GET", &signed[2]);
    assert_eq!(status, 400);
    assert_eq!(
        body,
        "The request could not be understood by the server due to malformed syntax."
    );
    // A correct signature with the realm written like the host: still an invalid login.
    let (status, _, body) = send(&s.addr, "GET", &signed[3]);
    assert_eq!(status, 401);
    assert!(body.contains("Invalid login attempt."), "{body}");
}

/// Runs `sigdoctor probe|check ARGS --format json` with the test secret.
fn sweep(args: &[&str]) -> (Value, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args(args)
        .args(["--format", "json", "--consumer-key", "ck", "--rate", "0"])
        .env("SIGDOCTOR_CONSUMER_SECRET", "cs secret&1")
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap())
}

#[test]
fn probe_and_check_use_the_providers_endpoint_and_say_which_profile() {
    // WooCommerce signs its home URL: the probe of the site address finds it, in its terms.
    let woo = serve("woocommerce", "http://shop.example.com/", &[]);
    let site = format!("http://{}/", woo.addr);
    let (v, code) = sweep(&[
        "probe",
        &site,
        "--profile",
        "woocommerce",
        "--host-alias",
        "shop.example.com",
    ]);
    assert_eq!(
        (code, v["verdict"].as_str(), v["profile"].as_str()),
        (1, Some("mismatch"), Some("woocommerce")),
        "{v}"
    );
    assert_eq!(
        v["authenticated"]["signed_uri"],
        "http://shop.example.com/wp-json/wc/v3/system_status"
    );
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"woocommerce-advice"), "{ids:?}");
    // NetSuite accepts HMAC-SHA256 only: check signs with it and passes.
    let port = support::free_port();
    let base = format!("http://127.0.0.1:{port}/");
    let listen = format!("127.0.0.1:{port}");
    let _ns = serve("netsuite", &base, &["--listen", &listen]);
    let (v, code) = sweep(&["check", &base, "--profile", "netsuite"]);
    let report = if v.is_array() { &v[0] } else { &v };
    assert_eq!(
        (code, report["profile"].as_str()),
        (0, Some("netsuite")),
        "{v}"
    );
}

#[test]
fn magento_twitter_flickr_serve_their_own_refusals() {
    let m = serve("magento", "https://m.example.com/", &[]);
    let c = case(
        "https://m.example.com/rest/V1/store/storeConfigs",
        "HMAC-SHA256",
        "header",
    );
    let signed = oauthlib(json!([c.clone(), wrong_secret(c)]));
    assert_eq!(send(&m.addr, "GET", &signed[0]).0, 200);
    let (status, _, body) = send(&m.addr, "GET", &signed[1]);
    assert_eq!(
        (status, body.as_str()),
        (
            401,
            r#"{"message":"The signature is invalid. Verify and try again."}"#
        )
    );

    let x = serve("twitter", "https://api.x.com/", &[]);
    let c = case(
        "https://api.x.com/1.1/account/verify_credentials.json",
        "HMAC-SHA1",
        "header",
    );
    let signed = oauthlib(json!([c.clone(), wrong_secret(c)]));
    assert_eq!(send(&x.addr, "GET", &signed[0]).0, 200);
    let (status, _, body) = send(&x.addr, "GET", &signed[1]);
    assert_eq!(
        (status, body.as_str()),
        (
            401,
            r#"{"errors":[{"code":32,"message":"Could not authenticate you."}]}"#
        )
    );

    let f = serve("flickr", "https://api.flickr.com/", &[]);
    let url = "https://api.flickr.com/services/rest?method=flickr.test.login&format=json";
    let c = case(url, "HMAC-SHA1", "query");
    let signed = oauthlib(json!([c.clone(), wrong_secret(c)]));
    assert_eq!(send(&f.addr, "GET", &signed[0]).0, 200);
    let (status, _, body) = send(&f.addr, "GET", &signed[1]);
    assert_eq!(status, 401);
    // Flickr reports the base string it signed: the one RFC 5849 gives for the request.
    let sbs = body
        .strip_prefix("oauth_problem=signature_invalid&debug_sbs=")
        .expect(&body);
    assert!(
        sbs.starts_with(
            "GET%26https%253A%252F%252Fapi.flickr.com%252Fservices%252Frest%26format%253Djson"
        ),
        "{sbs}"
    );
}

#[test]
fn lti_tool_verifies_a_launch_form() {
    let s = serve("lti", "https://tool.example.com/", &[]);
    let mut c = case("https://tool.example.com/lti/launch", "HMAC-SHA1", "body");
    c["method"] = json!("POST");
    c["body"] = json!("lti_message_type=basic-lti-launch-request&lti_version=LTI-1p0&resource_link_id=rl-42&user_id=u%207&oauth_callback=about%3Ablank");
    let signed = oauthlib(json!([c.clone(), wrong_secret(c)]));
    let (status, head, body) = send(&s.addr, "POST", &signed[0]);
    assert_eq!(status, 200, "{body}");
    assert!(head.to_ascii_lowercase().contains("text/html"));
    assert!(body.contains("LTI launch accepted") && body.contains("rl-42") && body.contains("u 7"));
    let (status, _, body) = send(&s.addr, "POST", &signed[1]);
    assert_eq!(status, 401);
    assert!(body.contains("LTI launch failed") && body.contains("Invalid OAuth signature"));
}

#[test]
fn jira_verifies_rsa_sha1_with_the_certificate_and_reports_the_base_string() {
    let cert = rsa_file("wiki-testcase-cert.pem");
    let s = support::serve_binary(
        &[
            "--listen",
            "127.0.0.1:0",
            "--profile",
            "jira",
            "--base-address",
            "https://jira.example.com/",
            "--consumer-key",
            "dpf43f3p2l4k3l03",
            "--public-key",
            &cert,
        ],
        &[],
    );
    let rsa = |url: &str| {
        json!({"consumer_key": "dpf43f3p2l4k3l03", "rsa_key_file": rsa_file("wiki-testcase-private.pem"),
               "signature_method": "RSA-SHA1", "placement": "header", "url": url})
    };
    let signed = oauthlib(json!([
        rsa("https://jira.example.com/rest/api/2/myself"),
        rsa("https://jira.example.com/rest/api/2/issue/X-1"),
        case(
            "https://jira.example.com/rest/api/2/myself",
            "HMAC-SHA1",
            "header"
        ),
    ]));
    let (status, _, body) = send(&s.addr, "GET", &signed[0]);
    assert_eq!(status, 200, "{body}");
    // Signed for one issue, sent for another: refused with oauth_problem and the base string.
    let moved = Signed {
        url: signed[1].url.replace("X-1", "X-2"),
        ..signed[1].clone()
    };
    let (status, head, body) = send(&s.addr, "GET", &moved);
    assert_eq!(status, 401);
    assert!(body.starts_with("oauth_problem=signature_invalid&oauth_signature_base_string=GET%26https%253A%252F%252Fjira.example.com%252Frest%252Fapi%252F2%252Fissue%252FX-2"), "{body}");
    assert!(head.contains("oauth_problem=\"signature_invalid\""));
    // An HMAC request from an RSA consumer is refused for its method.
    let hmac = Signed {
        url: signed[2].url.clone(),
        headers: signed[2]
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.replace(
                        "oauth_consumer_key=\"ck\"",
                        "oauth_consumer_key=\"dpf43f3p2l4k3l03\"",
                    ),
                )
            })
            .collect(),
        body: None,
    };
    let (status, _, body) = send(&s.addr, "GET", &hmac);
    assert_eq!(
        (status, body.as_str()),
        (401, "oauth_problem=signature_method_rejected")
    );
}

#[test]
fn sign_under_netsuite_picks_hmac_sha256_and_the_realm_and_netsuite_accepts_it() {
    let url = "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=7&deploy=1";
    let out = Command::new(env!("CARGO_BIN_EXE_sigdoctor"))
        .args(["sign", url, "--consumer-key", "ck", "--output", "json"])
        .env("SIGDOCTOR_CONSUMER_SECRET", "cs secret&1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["signature_method"], "HMAC-SHA256");
    let auth = v["authorization"].as_str().unwrap().to_string();
    assert!(auth.starts_with("OAuth realm=\"1234567_SB1\""), "{auth}");
    let s = serve(
        "netsuite",
        "https://1234567-sb1.restlets.api.netsuite.com/",
        &[],
    );
    let signed = Signed {
        url: url.to_string(),
        headers: vec![("Authorization".into(), auth)],
        body: None,
    };
    let (status, _, body) = send(&s.addr, "GET", &signed);
    assert_eq!(status, 200, "{body}");
}
