//! Request capture: each input format, the command-line overrides, files, limits, and the
//! evidence kept exactly as written.

use std::io::Write;

use sigdoctor::cli::RequestInput;
use sigdoctor::input::{self, capture, parse_text, MAX_INPUT_BYTES};
use sigdoctor::request::{Origin, Request};

fn one(text: &str) -> Request {
    let mut v = parse_text(text, "test", &RequestInput::default())
        .unwrap_or_else(|e| panic!("{text:?}: {e}"));
    assert_eq!(v.len(), 1);
    v.remove(0)
}

fn err(text: &str) -> String {
    parse_text(text, "stdin", &RequestInput::default())
        .unwrap_err()
        .to_string()
}

#[test]
fn bare_url_keeps_the_evidence_and_takes_overrides() {
    let input = RequestInput {
        request: "HTTPS://Gallery.Example.COM:443/gallery/api/v1/x?a=1+2&sig=a%2Bb".into(),
        method: Some("PUT".into()),
        headers: vec!["X-Trace: 1".into()],
        data: Some("b=3".into()),
        entry: None,
    };
    let r = capture(&input).unwrap().remove(0);
    assert_eq!(r.url.text, input.request);
    assert_eq!(r.url.host, "Gallery.Example.COM");
    assert_eq!(r.url.port.as_deref(), Some("443"));
    assert_eq!(r.method, "PUT");
    assert_eq!(r.header("content-type"), Some(input::FORM_TYPE));
    assert_eq!(r.header("x-trace"), Some("1"));
    assert_eq!(r.param("a").unwrap().value, b"1 2");
    assert_eq!(r.param("sig").unwrap().wire_value.as_deref(), Some("a%2Bb"));
    assert_eq!(r.param("b").unwrap().origin, Origin::Body);
}

#[test]
fn data_defaults_to_post_with_form_type() {
    let r = capture(&RequestInput {
        request: "https://h/x".into(),
        data: Some("a=1".into()),
        ..Default::default()
    })
    .unwrap()
    .remove(0);
    assert_eq!(r.method, "POST");
    assert_eq!(r.param_str("a").as_deref(), Some("1"));
}

#[test]
fn curl_variants() {
    let r = one("curl -X POST 'https://h/p?q=1' -H 'Authorization: OAuth oauth_consumer_key=\"k\", oauth_signature=\"a%2B\"' -d 'x=1' -d 'y=2'");
    assert_eq!(r.method, "POST");
    assert_eq!(r.body.as_deref(), Some("x=1&y=2"));
    assert_eq!(r.param("oauth_signature").unwrap().value, b"a+");
    assert_eq!(r.param("oauth_signature").unwrap().origin, Origin::Header);

    // Multi-line, --url, --request=, bundled flags, ignored options with values.
    let r = one("curl -sSLk \\\n  --request=DELETE \\\n  -u user:pw -A agent --compressed \\\n  --url \"https://h/d\"");
    assert_eq!(
        (r.method.as_str(), r.url.text.as_str()),
        ("DELETE", "https://h/d")
    );

    // -G moves the data to the query; --data-urlencode encodes the content like curl.
    let r = one("curl -G https://h/s --data-urlencode 'q=a b&c' -d oauth_nonce=1");
    assert_eq!(r.method, "GET");
    assert_eq!(r.url.text, "https://h/s?q=a%20b%26c&oauth_nonce=1");
    assert_eq!(r.param("q").unwrap().origin, Origin::Query);
    assert!(r.body.is_none());

    // Attached values and a Content-Type that is not a form: the body is not signed.
    let r = one("curl -XPUT https://h/j -H'Content-Type: application/json' --data-raw '{\"a\":1}'");
    assert_eq!(r.method, "PUT");
    assert!(r.params.is_empty());

    // Browser "Copy as cURL (bash)" uses $'...'.
    let r = one("curl 'https://h/x' --data-raw $'a=\\u00e9&b=1' -H 'content-type: application/x-www-form-urlencoded'");
    assert_eq!(r.param_str("a").as_deref(), Some("é"));

    // Windows cmd continuations and curl.exe.
    let r = one("curl.exe ^\"https://h/w?oauth_token=t^\" ^\r\n  -X ^\"POST^\"");
    assert_eq!(
        (r.method.as_str(), r.url.text.as_str()),
        ("POST", "https://h/w?oauth_token=t")
    );

    // -I is HEAD.
    assert_eq!(one("curl -I https://h/").method, "HEAD");
}

#[test]
fn curl_errors_name_the_argument_or_position() {
    assert_eq!(
        err("curl -X POST \\\n  'https://h/x?a=1\n -H 'X: y'"),
        "stdin: truncated curl command: unterminated ' quote at line 3, column 10"
    );
    assert_eq!(
        err("curl -s -X"),
        "stdin: truncated curl command: `-X` (argument 2) has no value"
    );
    assert_eq!(
        err("curl -s -H 'x: y'"),
        "stdin: truncated curl command: no URL"
    );
    assert!(err("curl https://h/ -H nocolon").contains("-H (argument 2)"));
    assert!(err("curl https://h/ --frobnicate").contains("`--frobnicate` (argument 2)"));
    assert!(err("curl https://h/ -d @body.txt").contains("(argument 2)"));
    assert!(err("curl https://a/ https://b/").contains("second URL"));
    assert_eq!(
        err("curl https://h/ -H 'Authorization: OAuth a=\"b'"),
        "stdin: curl -H (argument 2): Authorization header: unterminated quote in the value of `a`"
    );
    assert!(err("curl \"https://h/").contains("unterminated \" quote at line 1, column 6"));
}

#[test]
fn raw_http_origin_and_absolute_form() {
    let r = one("POST /gallery/api/v1/workflows/?oauth_consumer_key=k HTTP/1.1\r\nHost: Gallery.example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nname=a+b\r\n");
    assert_eq!(
        r.url.text,
        "https://Gallery.example.com/gallery/api/v1/workflows/?oauth_consumer_key=k"
    );
    assert_eq!(r.param_str("name").as_deref(), Some("a b"));

    let r = one("GET /x HTTP/1.1\nHost: h:80\n\n");
    assert_eq!(r.url.text, "http://h:80/x");
    let r = one("GET /x HTTP/1.1\nHost: h\nX-Forwarded-Proto: http\n");
    assert_eq!(r.url.scheme, "http");
    let r = one("\n\nGET http://h:8080/p?a=1 HTTP/1.1\nAuthorization: OAuth oauth_nonce=\"n\"\n");
    assert_eq!(r.url.port.as_deref(), Some("8080"));
    assert_eq!(r.param_str("oauth_nonce").as_deref(), Some("n"));
}

#[test]
fn raw_http_errors_name_line_and_column() {
    assert_eq!(
        err("GET /x HTTP/1.1\nHost: h\nBad Header: 1\n"),
        "stdin: raw HTTP line 3, column 1: bad header name `Bad Header`"
    );
    assert_eq!(
        err("GET /x HTTP/1.1 extra\nHost: h\n"),
        "stdin: raw HTTP line 1, column 17: unexpected `extra` after the HTTP version (a space in the target must be %20)"
    );
    assert!(err("GET /x HTTP/1.1\n\n").contains("needs a Host header"));
    assert!(
        err("GET /x HTTP/1.1\nHost: h\nAuthorization: OAuth a=\"b\n\n")
            .contains("unterminated quote")
    );
}

const HAR: &str = r#"{"log":{"version":"1.2","creator":{"name":"test"},"entries":[
 {"request":{"method":"GET","url":"https://h/static.js","headers":[]}},
 {"request":{"method":"GET","url":"https://h/gallery/api/v1/a?oauth_consumer_key=k&oauth_signature=s","headers":[]}},
 {"request":{"method":"POST","url":"https://h/gallery/api/v1/b","headers":[{"name":"Authorization","value":"OAuth oauth_consumer_key=\"k\""},{"name":":method","value":"POST"}],
   "postData":{"mimeType":"application/json","text":"{}"}}},
 {"request":{"method":"POST","url":"https://h/c","headers":[],
   "postData":{"mimeType":"application/x-www-form-urlencoded","params":[{"name":"oauth_nonce","value":"n"}]}}}
]}}"#;

#[test]
fn har_every_oauth_entry_and_entry_pick() {
    let all = parse_text(HAR, "test", &RequestInput::default()).unwrap();
    let urls: Vec<_> = all.iter().map(|r| r.url.path.as_str()).collect();
    assert_eq!(urls, ["/gallery/api/v1/a", "/gallery/api/v1/b", "/c"]);
    assert_eq!(
        all[1].headers.len(),
        2,
        "pseudo-headers dropped, Content-Type from mimeType"
    );
    assert_eq!(all[2].param_str("oauth_nonce").as_deref(), Some("n"));
    let pick = RequestInput {
        entry: Some(0),
        ..Default::default()
    };
    let r = parse_text(HAR, "test", &pick).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].url.path, "/static.js");
    let far = RequestInput {
        entry: Some(4),
        ..Default::default()
    };
    assert_eq!(
        parse_text(HAR, "x.har", &far).unwrap_err().to_string(),
        "x.har: HAR has 4 entries; --entry 4 is out of range (entries count from 0)"
    );
    assert!(err("{\"log\": [").starts_with("stdin: not a HAR file"));
    let none =
        r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://h/","headers":[]}}]}}"#;
    assert_eq!(
        err(none),
        "stdin: HAR has 1 entries, none carries OAuth parameters"
    );
    let url_entry = RequestInput {
        entry: Some(0),
        ..Default::default()
    };
    assert!(parse_text("https://h/", "stdin", &url_entry)
        .unwrap_err()
        .to_string()
        .contains("--entry applies to a HAR"));
}

#[test]
fn files_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("req.http");
    std::fs::write(&path, "GET /x?oauth_nonce=1 HTTP/1.1\r\nHost: h\r\n\r\n").unwrap();
    let input = RequestInput {
        request: format!("@{}", path.display()),
        ..Default::default()
    };
    let r = capture(&input).unwrap();
    assert_eq!(r[0].url.text, "https://h/x?oauth_nonce=1");

    // A sparse file over the limit is refused from its size, not read.
    let big = dir.path().join("big");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_INPUT_BYTES + 1).unwrap();
    let input = RequestInput {
        request: format!("@{}", big.display()),
        ..Default::default()
    };
    let e = capture(&input).unwrap_err().to_string();
    assert!(e.contains("is over 64 MiB"), "{e}");

    let bad = dir.path().join("bad");
    std::fs::File::create(&bad)
        .unwrap()
        .write_all(b"curl https://h/\xc3(")
        .unwrap();
    let input = RequestInput {
        request: format!("@{}", bad.display()),
        ..Default::default()
    };
    let e = capture(&input).unwrap_err().to_string();
    assert!(e.ends_with("not UTF-8 at byte offset 15"), "{e}");
}

#[test]
fn require_oauth_names_the_request() {
    let r = one("https://h/x?a=1");
    let e = input::require_oauth(&r).unwrap_err().to_string();
    assert!(
        e.starts_with("no OAuth parameter") && e.contains("GET https://h/x?a=1"),
        "{e}"
    );
    assert!(input::require_oauth(&one("https://h/x?oauth_token=1")).is_ok());
}

#[test]
fn unknown_text_is_refused_with_its_first_line() {
    assert_eq!(
        err("hello there\nsecond"),
        "stdin: cannot tell what this is (line 1: `hello there`); expected a URL, a curl command line, a raw HTTP/1.1 request or a HAR file"
    );
}

/// Every request of the explain fixtures (curl, raw HTTP, HAR, URL, as real tools write
/// them) is captured and carries OAuth parameters.
#[test]
fn every_fixture_request_is_captured() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/explain");
    let mut n = 0;
    for case in std::fs::read_dir(&dir).unwrap() {
        let path = case.unwrap().path().join("request");
        if !path.exists() {
            continue;
        }
        let input = RequestInput {
            request: format!("@{}", path.display()),
            ..Default::default()
        };
        let reqs = capture(&input).unwrap_or_else(|e| panic!("{e}"));
        assert!(!reqs.is_empty());
        for r in &reqs {
            input::require_oauth(r).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        n += 1;
    }
    assert!(n >= 10, "only {n} fixtures");
}
