//! Every published known-answer vector (tests/data/vectors.json, a copy of
//! shared/vectors/vectors.json): base string and signature, byte for byte.

use serde_json::Value;
use sigdoctor::request::Request;
use sigdoctor::rfc5849::{self, KeyMaterial, SignatureMethod};

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/vectors.json")).expect("vectors.json parses")
}

/// Builds the request the vector describes: oauth params in the Authorization header.
fn request_of(v: &Value) -> Request {
    let mut pairs: Vec<(String, String)> = v["oauth_params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    pairs.push(("oauth_signature".into(), "x".into()));
    let header = rfc5849::header::format(v["realm"].as_str(), &pairs);
    let mut headers = vec![("Authorization".to_string(), header)];
    if let Some(ct) = v["content_type"].as_str() {
        headers.push(("Content-Type".into(), ct.into()));
    }
    Request::new(
        v["method"].as_str().unwrap(),
        v["url"].as_str().unwrap(),
        headers,
        v["body"].as_str().map(str::to_string),
    )
    .unwrap()
}

#[test]
fn every_request_vector_matches() {
    let all = vectors();
    let list = all["requests"].as_array().unwrap();
    assert!(list.len() >= 10);
    for v in list {
        let name = v["name"].as_str().unwrap();
        let req = request_of(v);
        let method = SignatureMethod::parse(v["signature_method"].as_str().unwrap()).unwrap();
        let key = KeyMaterial {
            consumer_key: v["consumer_key"].as_str().unwrap(),
            consumer_secret: v["consumer_secret"].as_str().unwrap(),
            token_secret: v["token_secret"].as_str(),
            has_token: req.param("oauth_token").is_some(),
        };
        let signed = rfc5849::sign(&req, &key, method);
        assert_eq!(
            signed.base_string,
            v["expected_base_string"].as_str().unwrap(),
            "{name}: base string"
        );
        assert_eq!(
            signed.signature,
            v["expected_signature"].as_str().unwrap(),
            "{name}: signature"
        );
    }
}

#[test]
fn every_hmac_vector_matches() {
    for v in vectors()["hmac"].as_array().unwrap() {
        let raw = rfc5849::raw_signature(
            SignatureMethod::HmacSha1,
            v["key"].as_str().unwrap().as_bytes(),
            v["base_string"].as_str().unwrap().as_bytes(),
        );
        let sig = rfc5849::encode_signature(SignatureMethod::HmacSha1, &raw, Default::default());
        assert_eq!(sig, v["signature"].as_str().unwrap());
    }
}
