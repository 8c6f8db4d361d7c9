//! Property: sign -> write the signed request out (curl command, raw HTTP) -> capture it back
//! -> recompute the signature -> it equals the one carried, for arbitrary parameters
//! (unicode, reserved characters, spaces, empty values, duplicates), every placement,
//! every signature method, explicit and default ports, upper-case hosts.

use proptest::prelude::*;
use sigdoctor::app::sign::{curl_command, sign_request, SignSpec, SignedRequest};
use sigdoctor::cli::{Placement, RequestInput};
use sigdoctor::input::parse_text;
use sigdoctor::request::Request;
use sigdoctor::rfc5849::{self, encode::pct, KeyMaterial, SignatureMethod};
use sigdoctor::secret::Secret;

/// Characters that break naive signers: reserved, spaces, `+`, `%`, unicode, controls.
const TEXT: &str = "[a-zA-Z0-9 +&=%/?#!*'()~._,;:@$\\[\\]\"<>\\\\\t\né中😀Ж-]{0,8}";

fn pairs() -> impl Strategy<Value = Vec<(String, String, bool)>> {
    // A small name pool makes duplicates common; `bool`: write spaces as `+`.
    let name = prop_oneof![
        prop::sample::select(vec![
            "a",
            "b",
            "q",
            "x y",
            "é",
            "c@",
            "name[]",
            "oauth_callback",
            ""
        ])
        .prop_map(str::to_string),
        TEXT.prop_map(|s| s.replace("oauth_", "")),
    ];
    prop::collection::vec((name, TEXT, any::<bool>()), 0..6)
}

fn form(p: &[(String, String, bool)]) -> String {
    p.iter()
        .map(|(n, v, plus)| {
            let enc = |s: &str| {
                let e = pct(s.as_bytes());
                if *plus {
                    e.replace("%20", "+")
                } else {
                    e
                }
            };
            format!("{}={}", enc(n), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Debug, Clone)]
struct Case {
    url: String,
    method: String,
    data: Option<String>,
    placement: Placement,
    sig: SignatureMethod,
    key: String,
    secret: String,
    token: Option<(String, String)>,
    nonce: String,
    realm: Option<String>,
    version: bool,
}

fn case() -> impl Strategy<Value = Case> {
    let origin = (
        prop::sample::select(vec!["http", "https", "HTTPS"]),
        prop::sample::select(vec![
            "h.example.com",
            "Gallery.Example.COM",
            "127.0.0.1",
            "[::1]",
        ]),
        prop::sample::select(vec!["", ":443", ":80", ":8443"]),
        prop::sample::select(vec![
            "",
            "/",
            "/gallery/api/v1/x/",
            "/a%20b/c",
            "/r%C3%A9sum%C3%A9",
            "/x;y=1",
        ]),
    );
    let methods = prop::sample::select(vec![
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::HmacSha512,
        SignatureMethod::Plaintext,
    ]);
    let placement =
        prop::sample::select(vec![Placement::Query, Placement::Header, Placement::Body]);
    (
        origin,
        pairs(),
        prop::option::of(prop_oneof![
            pairs().prop_map(|b| form(&b)),
            // Raw bodies: what shells and parsers trip on, unencoded.
            "[a-z =&%+`^'\"\\$\r\n\t!é]{0,12}",
        ]),
        placement,
        methods,
        (TEXT, TEXT, prop::option::of((TEXT, TEXT))),
        (TEXT, prop::option::of("[ -!#-~]{0,8}"), any::<bool>()),
        prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
    )
        .prop_map(
            |(
                (s, h, p, path),
                q,
                body,
                placement,
                sig,
                (key, secret, token),
                (nonce, realm, version),
                m,
            )| {
                let query = if q.is_empty() {
                    String::new()
                } else {
                    format!("?{}", form(&q))
                };
                Case {
                    url: format!("{s}://{h}{p}{path}{query}"),
                    method: m.to_string(),
                    data: body,
                    placement,
                    sig,
                    key,
                    secret,
                    token,
                    nonce,
                    realm,
                    version,
                }
            },
        )
}

fn sign(c: &Case) -> SignedRequest {
    let secret = Secret::new(c.secret.clone());
    let ts = c.token.as_ref().map(|(_, s)| Secret::new(s.clone()));
    let spec = SignSpec {
        input: RequestInput {
            request: c.url.clone(),
            method: Some(c.method.clone()),
            headers: vec![],
            data: c.data.clone(),
            entry: None,
        },
        consumer_key: &c.key,
        consumer_secret: &secret,
        token: c.token.as_ref().map(|(t, _)| t.as_str()),
        token_secret: ts.as_ref(),
        timestamp: "1700000000".into(),
        nonce: c.nonce.clone(),
        method: c.sig,
        placement: c.placement,
        realm: c.realm.as_deref(),
        version: c.version,
    };
    sign_request(&spec).unwrap_or_else(|e| panic!("{c:?}: {e}"))
}

/// Recomputes the signature of a captured request and compares it with the one it carries.
fn verifies(req: &Request, c: &Case, expected: &str) -> Result<(), TestCaseError> {
    let carried = req
        .param("oauth_signature")
        .ok_or_else(|| TestCaseError::fail("no oauth_signature read back"))?
        .value_str();
    let key = KeyMaterial {
        consumer_key: &c.key,
        consumer_secret: &c.secret,
        token_secret: c.token.as_ref().map(|(_, s)| s.as_str()),
        has_token: req.param("oauth_token").is_some(),
    };
    let method =
        SignatureMethod::parse(&req.param_str("oauth_signature_method").unwrap_or_default())
            .ok_or_else(|| TestCaseError::fail("signature method not read back"))?;
    let again = rfc5849::sign(req, &key, method);
    prop_assert!(
        rfc5849::signatures_equal(&again.signature, &carried),
        "{} != {}",
        again.signature,
        carried
    );
    prop_assert_eq!(carried, expected);
    Ok(())
}

fn raw_http(s: &SignedRequest) -> String {
    let mut t = format!("{} {} HTTP/1.1\r\n", s.method, s.signed_url);
    for (n, v) in &s.headers {
        t.push_str(&format!("{n}: {v}\r\n"));
    }
    t.push_str("\r\n");
    t.push_str(s.body.as_deref().unwrap_or(""));
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn sign_parse_verify(c in case()) {
        let s = sign(&c);
        let none = RequestInput::default();
        let from_curl = parse_text(&curl_command(&s), "curl", &none)
            .map_err(|e| TestCaseError::fail(format!("curl: {e}\n{}", curl_command(&s))))?;
        verifies(&from_curl[0], &c, &s.signature)?;
        prop_assert_eq!(&from_curl[0].url.text, &s.signed_url);
        let from_http = parse_text(&raw_http(&s), "http", &none)
            .map_err(|e| TestCaseError::fail(format!("http: {e}\n{}", raw_http(&s))))?;
        verifies(&from_http[0], &c, &s.signature)?;
        if c.placement == Placement::Query {
            let from_url = parse_text(&s.signed_url, "url", &none)
                .map_err(|e| TestCaseError::fail(format!("url: {e}")))?;
            let mut url_req = from_url[0].clone();
            // The URL alone loses the body: sign it back with the body the request had.
            url_req = Request::new(&s.method, &url_req.url.text, s.headers.clone(), s.body.clone())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            verifies(&url_req, &c, &s.signature)?;
        }
    }
}
