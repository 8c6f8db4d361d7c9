//! `explain` under provider profiles: a request Python oauthlib signed one way and that was
//! sent another; explain must find the client fault, with the fix in the provider's terms.
//! RSA-SHA1/256 requests are searched with the public key only.

mod profiles_common;

use std::io::Write;
use std::process::{Command, Stdio};

use profiles_common::{case, fixed, oauthlib, root, rsa_file, Signed};
use serde_json::{json, Value};

/// Runs explain on a raw HTTP request text; returns the JSON report and the exit code.
fn explain(raw: &str, args: &[&str], secret: Option<&str>) -> (Value, i32) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sigdoctor"));
    cmd.args(["explain", "-", "--format", "json", "--now", "1700000000"])
        .args(args)
        .env_remove("SIGDOCTOR_CONSUMER_SECRET")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    if let Some(s) = secret {
        cmd.env("SIGDOCTOR_CONSUMER_SECRET", s);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(raw.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (v, out.status.code().unwrap())
}

fn http_text(method: &str, s: &Signed) -> String {
    let after = s.url.split_once("://").unwrap().1;
    let i = after.find('/').unwrap_or(after.len());
    let scheme = s.url.split_once("://").unwrap().0;
    let mut t = format!(
        "{method} {scheme}://{}{} HTTP/1.1\r\nHost: {}\r\n",
        &after[..i],
        &after[i..],
        &after[..i]
    );
    for (k, v) in &s.headers {
        t.push_str(&format!("{k}: {v}\r\n"));
    }
    t.push_str("\r\n");
    t.push_str(s.body.as_deref().unwrap_or(""));
    t
}

fn faults(v: &Value) -> Vec<String> {
    v["matched"]["faults"]
        .as_array()
        .map(|a| a.iter().map(|f| f.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn explain_finds_client_faults_in_each_providers_terms() {
    // WooCommerce: signed for the bare host, sent to www. (the auto profile adds the alias).
    let woo = &oauthlib(json!([fixed(case(
        "http://shop.example.com/wp-json/wc/v3/orders?page=2",
        "HMAC-SHA1",
        "query"
    ))]))[0];
    let sent = Signed {
        url: woo.url.replace("//shop.", "//www.shop."),
        ..woo.clone()
    };
    let (v, code) = explain(&http_text("GET", &sent), &[], Some("cs secret&1"));
    assert_eq!((code, v["profile"].as_str()), (1, Some("woocommerce")));
    assert_eq!(faults(&v), vec!["uri-host"]);
    assert!(v["faults"][0]["fix"]
        .as_str()
        .unwrap()
        .contains("Site Address"));

    // NetSuite: realm signed as a parameter, sent in the header only.
    let mut c = fixed(case(
        "https://1234567-sb1.restlets.api.netsuite.com/app/site/hosting/restlet.nl?script=1&deploy=1&realm=1234567_SB1",
        "HMAC-SHA256",
        "header",
    ));
    c["realm"] = json!("1234567_SB1");
    let ns = &oauthlib(json!([c]))[0];
    let sent = Signed {
        url: ns.url.replace("&realm=1234567_SB1", ""),
        ..ns.clone()
    };
    let (v, code) = explain(&http_text("GET", &sent), &[], Some("cs secret&1"));
    assert_eq!((code, v["profile"].as_str()), (1, Some("netsuite")));
    assert_eq!(faults(&v), vec!["params-realm-included"]);
    assert!(v["faults"][0]["fix"].as_str().unwrap().contains("NetSuite"));

    // LTI: the consumer signed only its oauth_* fields; the launch form carries lti_* too.
    let mut c = fixed(case(
        "https://tool.example.com/lti/launch",
        "HMAC-SHA1",
        "body",
    ));
    c["method"] = json!("POST");
    let lti = &oauthlib(json!([c]))[0];
    let sent = Signed {
        body: Some(format!(
            "{}&lti_message_type=basic-lti-launch-request&resource_link_id=rl-1",
            lti.body.as_deref().unwrap()
        )),
        ..lti.clone()
    };
    let (v, code) = explain(&http_text("POST", &sent), &[], Some("cs secret&1"));
    assert_eq!((code, v["profile"].as_str()), (1, Some("lti")));
    assert_eq!(faults(&v), vec!["params-body-omitted"]);
    assert!(v["faults"][0]["fix"].as_str().unwrap().contains("lti_*"));
    let ids: Vec<&str> = v["lints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"lti-callback-missing"), "{ids:?}");

    // Magento, X, Flickr: a TLS-terminating proxy (signed http, called https), a parameter
    // left out, the query left out.
    let signed = oauthlib(json!([
        fixed(case(
            "http://m.example.com/rest/V1/products?searchCriteria%5BpageSize%5D=1",
            "HMAC-SHA256",
            "header"
        )),
        fixed(case(
            "https://api.twitter.com/1.1/statuses/home_timeline.json",
            "HMAC-SHA1",
            "header"
        )),
        fixed(case(
            "https://api.flickr.com/services/rest",
            "HMAC-SHA1",
            "header"
        )),
    ]));
    let sends = [
        (
            signed[0].url.replace("http://", "https://"),
            "magento",
            "uri-scheme",
        ),
        (
            format!("{}?count=5", signed[1].url),
            "twitter",
            "params-query-omitted",
        ),
        (
            format!("{}?method=flickr.test.login", signed[2].url),
            "flickr",
            "params-query-omitted",
        ),
    ];
    for (i, (url, profile, fault)) in sends.iter().enumerate() {
        let sent = Signed {
            url: url.clone(),
            ..signed[i].clone()
        };
        let (v, code) = explain(&http_text("GET", &sent), &[], Some("cs secret&1"));
        assert_eq!((code, v["profile"].as_str()), (1, Some(*profile)), "{url}");
        assert_eq!(faults(&v), vec![fault.to_string()], "{url}");
    }
}

#[test]
fn explain_searches_rsa_sha1_with_the_public_key_only() {
    let rsa = |url: &str| {
        fixed(
            json!({"consumer_key": "dpf43f3p2l4k3l03", "rsa_key_file": rsa_file("wiki-testcase-private.pem"),
               "signature_method": "RSA-SHA1", "placement": "header", "url": url}),
        )
    };
    let mut sha256 = rsa("https://jira.example.com/rest/api/2/myself");
    sha256["signature_method"] = json!("RSA-SHA256");
    let signed = oauthlib(json!([
        rsa("https://jira.example.com/rest/api/2/search"),
        rsa("https://jira.example.com/rest/api/2/myself"),
        sha256,
    ]));
    let public = rsa_file("wiki-testcase-public.pem");
    let cert = rsa_file("wiki-testcase-cert.pem");
    // Sent with a query the client left out of the signature: found without any secret.
    let sent = Signed {
        url: format!("{}?jql=project%3DX&maxResults=5", signed[0].url),
        ..signed[0].clone()
    };
    let (v, code) = explain(&http_text("GET", &sent), &["--public-key", &public], None);
    assert_eq!(code, 1, "{v}");
    assert_eq!(v["profile"], "jira");
    assert_eq!(faults(&v), vec!["params-query-omitted"]);
    assert!(v["search"]["hypotheses"].as_u64().unwrap() >= 1);
    // As signed: valid, with the certificate as the key.
    let (v, code) = explain(
        &http_text("GET", &signed[1]),
        &["--public-key", &cert],
        None,
    );
    assert_eq!((code, v["verdict"].as_str()), (0, Some("valid")), "{v}");
    // RSA-SHA256 from oauthlib verifies too.
    let (v, code) = explain(
        &http_text("GET", &signed[2]),
        &["--public-key", &public],
        None,
    );
    assert_eq!((code, v["verdict"].as_str()), (0, Some("valid")), "{v}");
    // Another key: nothing opens the signature.
    let sent = Signed {
        url: signed[1].url.clone(),
        headers: signed[1].headers.clone(),
        body: None,
    };
    let other = root().join("tests/data/rsa/other-public.pem");
    let (v, code) = explain(
        &http_text("GET", &sent),
        &["--public-key", &other.to_string_lossy()],
        None,
    );
    assert_eq!(
        (code, v["verdict"].as_str()),
        (3, Some("unexplained")),
        "{v}"
    );
}
