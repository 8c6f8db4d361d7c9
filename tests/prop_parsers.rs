//! Property: no parser panics, whatever it is fed. Arbitrary bytes and strings, and strings
//! that start like each format so the generator reaches deep into every parser.

use proptest::prelude::*;
use sigdoctor::cli::RequestInput;
use sigdoctor::input::{self, curl, har, http, parse_text, to_text};
use sigdoctor::request::Request;
use sigdoctor::rfc5849::header;

/// Characters that matter to the parsers: quotes, escapes, separators, line breaks.
const SOUP: &str = "[ -~\t\r\né中😀]{0,120}";

fn every_parser(s: &str) {
    let none = RequestInput::default();
    let _ = parse_text(s, "fuzz", &none);
    let _ = parse_text(
        s,
        "fuzz",
        &RequestInput {
            entry: Some(1),
            ..Default::default()
        },
    );
    let _ = input::url::parse(s);
    let _ = curl::parse(s);
    let _ = sigdoctor::input::shell::split(s);
    let _ = http::parse(s);
    let _ = har::parse(s, None, &none);
    let _ = header::parse(s);
    let _ = Request::new(
        "GET",
        s,
        vec![("Authorization".into(), s.into())],
        Some(s.into()),
    );
    let _ = input::detect(s);
    let _ = input::line_col(s, s.len() / 2);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(text) = to_text(bytes, "fuzz") {
            every_parser(&text);
        }
    }

    #[test]
    fn arbitrary_strings(s in any::<String>()) {
        every_parser(&s);
    }

    #[test]
    fn format_shaped_strings(
        prefix in prop::sample::select(vec![
            "curl ", "curl -X POST 'https://h/", "curl.exe ^\"", "curl $'", "curl -H \"",
            "GET / HTTP/1.1\r\nHost: ", "POST https://h/p?", "GET /x HTTP/1.1\nHost: h\n",
            "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"",
            "https://", "http://[", "OAuth ", "OAuth a=\"",
        ]),
        rest in SOUP,
    ) {
        every_parser(&format!("{prefix}{rest}"));
    }
}
