//! Fuzz target: sign -> write the request out as curl -> capture it back -> verify.
//!
//! The input is split on U+0001 into a query, a form body, a consumer secret and a nonce;
//! the length of the input picks the placement and the signature method. Anything `sign`
//! refuses is fine; anything it signs must verify when read back.
#![no_main]

use sigdoctor::app::sign::{curl_command, sign_request, SignSpec};
use sigdoctor::cli::{Placement, RequestInput};
use sigdoctor::rfc5849::{self, KeyMaterial, SignatureMethod};
use sigdoctor::secret::Secret;

libfuzzer_sys::fuzz_target!(|s: &str| {
    let mut f = s.split('\u{1}');
    let (query, body, secret, nonce) = (
        f.next().unwrap_or(""),
        f.next(),
        f.next().unwrap_or(""),
        f.next().unwrap_or("n"),
    );
    let placement = [Placement::Query, Placement::Header, Placement::Body][s.len() % 3];
    let method = [
        SignatureMethod::HmacSha1,
        SignatureMethod::HmacSha256,
        SignatureMethod::Plaintext,
    ][s.len() % 5 % 3];
    let cs = Secret::new(secret);
    let spec = SignSpec {
        input: RequestInput {
            request: format!("https://Gallery.example.com:443/gallery/api/v1/x?{query}"),
            data: body.map(str::to_string),
            ..Default::default()
        },
        consumer_key: "key",
        consumer_secret: &cs,
        token: None,
        token_secret: None,
        timestamp: "1700000000".into(),
        nonce: nonce.into(),
        method,
        placement,
        realm: None,
        version: true,
    };
    let Ok(signed) = sign_request(&spec) else {
        return;
    };
    let text = curl_command(&signed);
    let back = sigdoctor::input::parse_text(&text, "fuzz", &Default::default())
        .expect("sign's own curl output parses");
    let req = &back[0];
    let key = KeyMaterial {
        consumer_key: "key",
        consumer_secret: secret,
        token_secret: None,
        has_token: false,
    };
    let again = rfc5849::sign(req, &key, method);
    let carried = req
        .param_str("oauth_signature")
        .expect("signature read back");
    assert!(
        rfc5849::signatures_equal(&again.signature, &carried),
        "{text}"
    );
    assert_eq!(again.signature, signed.signature);
});
