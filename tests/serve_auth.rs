//! serve accepts what an independent signer (oauthlib) signs correctly, in every placement,
//! and refuses each kind of bad request with its own message.

mod serve_common;

use serve_common::*;

const BASE: &str = "http://localhost/gallery/";
const SUBS: &str = "http://localhost/gallery/api/v1/workflows/subscription/";
const APP: &str = "5f3a1c9d2b7d4e0001a1b2d4";

const INVALID: &str = r#"{"data":null,"exceptionName":"UnauthorizedException","innerExceptionMessage":"","message":"The provided signature(oauth_signature) is invalid."}"#;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
fn query_placement_with_extra_query_params_is_accepted() {
    let srv = server(BASE, |_| {});
    let url = format!("{SUBS}?limit=2&search=Sales%20Forecast&offset=0");
    let s = oauthlib_sign(SUB_SECRET, &["--url", &url, "--consumer-key", SUB_KEY]);
    let a = send_signed(srv.local_addr(), "GET", &s);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json().as_array().unwrap().len(), 2);
}

#[test]
fn header_placement_is_accepted() {
    let srv = server(BASE, |_| {});
    let url = format!("{BASE}api/v1/workflows/{APP}/questions/");
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            &url,
            "--consumer-key",
            SUB_KEY,
            "--placement",
            "header",
        ],
    );
    assert!(s.headers.iter().any(|(k, _)| k == "Authorization"));
    let a = send_signed(srv.local_addr(), "GET", &s);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()[0]["name"], "Region");
}

#[test]
fn form_body_placement_is_accepted() {
    let srv = server(BASE, |_| {});
    let url = format!("{BASE}api/v1/workflows/{APP}/jobs/");
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            &url,
            "--method",
            "POST",
            "--data",
            "note=two+words&x=%21",
            "--consumer-key",
            SUB_KEY,
            "--placement",
            "body",
        ],
    );
    let a = send_signed(srv.local_addr(), "POST", &s);
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json()["status"], "Completed");
}

#[test]
fn json_job_is_created_then_read_with_its_output() {
    let srv = server(BASE, |_| {});
    let addr = srv.local_addr();
    let url = format!("{BASE}api/v1/workflows/{APP}/jobs/");
    let s = oauthlib_sign(
        SUB_SECRET,
        &["--url", &url, "--method", "POST", "--consumer-key", SUB_KEY],
    );
    let body = r#"{"questions":[{"name":"Region","value":"APAC"}],"priority":"Low"}"#;
    let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    let a = send(addr, "POST", &s.target(), &headers, Some(body));
    assert_eq!(a.status, 200, "{}", a.body);
    let job = a.json();
    assert_eq!(job["questions"][0]["value"], "APAC");
    let (id, out) = (
        job["id"].as_str().unwrap(),
        job["outputs"][0]["id"].as_str().unwrap(),
    );
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            &format!("{BASE}api/v1/jobs/{id}/"),
            "--consumer-key",
            SUB_KEY,
        ],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.json()["disposition"], "Success");
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            &format!("{BASE}api/v1/jobs/{id}/output/{out}/?format=Raw"),
            "--consumer-key",
            SUB_KEY,
        ],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.starts_with("job,app,status"));
    let s = oauthlib_sign(
        SUB_SECRET,
        &["--url", &url, "--consumer-key", SUB_KEY, "--nonce", "list1"],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.json()[0]["id"], id);
}

#[test]
fn wrong_secret_gets_the_exact_gallery_json() {
    let srv = server(BASE, |_| {});
    let s = oauthlib_sign(
        "not the secret",
        &["--url", SUBS, "--consumer-key", SUB_KEY],
    );
    let a = send_signed(srv.local_addr(), "GET", &s);
    assert_eq!(a.status, 401);
    assert_eq!(a.body, INVALID);
}

#[test]
fn a_tampered_query_parameter_breaks_the_signature() {
    let srv = server(BASE, |_| {});
    let url = format!("{SUBS}?limit=1");
    let s = oauthlib_sign(SUB_SECRET, &["--url", &url, "--consumer-key", SUB_KEY]);
    let target = s.target().replace("limit=1", "limit=2");
    let a = send(srv.local_addr(), "GET", &target, &[], None);
    assert_eq!((a.status, a.body.as_str()), (401, INVALID));
}

#[test]
fn the_host_header_is_not_what_is_signed() {
    // The client signs the URL it really calls (127.0.0.1:port); the server signs its Base
    // Address (http://localhost/gallery/): the deployment fault every Gallery user meets.
    let srv = server(BASE, |_| {});
    let called = format!(
        "http://{}/gallery/api/v1/workflows/subscription/",
        srv.local_addr()
    );
    let s = oauthlib_sign(SUB_SECRET, &["--url", &called, "--consumer-key", SUB_KEY]);
    let a = send_signed(srv.local_addr(), "GET", &s);
    assert_eq!((a.status, a.body.as_str()), (401, INVALID));
}

#[test]
fn unknown_key_stale_timestamp_and_missing_parameter_have_their_own_messages() {
    let srv = server(BASE, |_| {});
    let addr = srv.local_addr();
    let s = oauthlib_sign(SUB_SECRET, &["--url", SUBS, "--consumer-key", "nobody"]);
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 401);
    assert_eq!(
        a.message(),
        "The provided consumer key(oauth_consumer_key) is unknown."
    );
    assert_eq!(a.json()["exceptionName"], "UnauthorizedException");

    let stale = (now() - 3600).to_string();
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            SUBS,
            "--consumer-key",
            SUB_KEY,
            "--timestamp",
            &stale,
        ],
    );
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 401);
    assert!(
        a.message().starts_with(
            "The provided timestamp(oauth_timestamp) is outside the allowed window of 600 seconds"
        ),
        "{}",
        a.body
    );

    let url = format!("{SUBS}?limit=1");
    let s = oauthlib_sign(SUB_SECRET, &["--url", &url, "--consumer-key", SUB_KEY]);
    let full = s.target();
    assert!(full.contains("&oauth_nonce="), "{full}");
    let target: Vec<&str> = full
        .split('&')
        .filter(|p| !p.starts_with("oauth_nonce="))
        .collect();
    let a = send(addr, "GET", &target.join("&"), &[], None);
    assert_eq!(a.status, 401);
    assert_eq!(
        a.message(),
        "The request is missing the OAuth parameter oauth_nonce."
    );
}

#[test]
fn a_replayed_nonce_is_refused_but_not_recorded_when_the_signature_fails() {
    let srv = server(BASE, |_| {});
    let addr = srv.local_addr();
    // A forged request with a nonce must not burn that nonce for the real client.
    let forged = oauthlib_sign(
        "wrong",
        &["--url", SUBS, "--consumer-key", SUB_KEY, "--nonce", "n-42"],
    );
    assert_eq!(send_signed(addr, "GET", &forged).status, 401);
    let s = oauthlib_sign(
        SUB_SECRET,
        &["--url", SUBS, "--consumer-key", SUB_KEY, "--nonce", "n-42"],
    );
    assert_eq!(send_signed(addr, "GET", &s).status, 200);
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 401);
    assert_eq!(
        a.message(),
        "The provided nonce(oauth_nonce) has already been used."
    );
    assert_eq!(srv.nonces(), 1);
}

#[test]
fn unsupported_signature_method_is_named() {
    let srv = server(BASE, |_| {});
    let s = oauthlib_sign(
        SUB_SECRET,
        &[
            "--url",
            SUBS,
            "--consumer-key",
            SUB_KEY,
            "--signature-method",
            "HMAC-SHA256",
        ],
    );
    let a = send_signed(srv.local_addr(), "GET", &s);
    assert_eq!(a.status, 401);
    assert_eq!(
        a.message(),
        "The provided signature method(oauth_signature_method) 'HMAC-SHA256' is not supported; use HMAC-SHA1."
    );
}

#[test]
fn a_full_nonce_store_refuses_with_503() {
    let srv = server(BASE, |c| c.nonce_cap = 1);
    let addr = srv.local_addr();
    let s = oauthlib_sign(SUB_SECRET, &["--url", SUBS, "--consumer-key", SUB_KEY]);
    assert_eq!(send_signed(addr, "GET", &s).status, 200);
    let s = oauthlib_sign(SUB_SECRET, &["--url", SUBS, "--consumer-key", SUB_KEY]);
    let a = send_signed(addr, "GET", &s);
    assert_eq!(a.status, 503, "{}", a.body);
    assert_eq!(srv.nonces(), 1);
}
