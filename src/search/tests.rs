//! Unit tests of the search on hand-built requests.
//!
//! The request is RFC 5849 section 1.2's photos example (whose RFC signature,
//! `tR3+Ty81lMeYAr/Fid0kMTYa/WM=`, the RFC publishes). The faulty signatures were computed
//! with Python's `hmac`/`base64` over base strings written out by hand, never by sigdoctor.

use super::*;

const URL: &str = "http://photos.example.net/photos?file=vacation.jpg&size=original&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_token=nnch734d00sl2jdk&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1191242096&oauth_nonce=kllo9940pd9333jh&oauth_version=1.0&oauth_signature=";

fn run(sig: &str, max_faults: usize) -> ExplainReport {
    let req = Request::new("GET", &format!("{URL}{sig}"), vec![], None).unwrap();
    let opts = ExplainOptions {
        consumer_secret: Some(Secret::new("kd94hf93k423kf44")),
        token_secret: Some(Secret::new("pfkkdhi9sl3r4s00")),
        now: 1_191_242_096,
        max_faults,
        ..Default::default()
    };
    explain(&req, &opts)
}

fn faults(r: &ExplainReport) -> Vec<&'static str> {
    r.matched
        .as_ref()
        .map(|m| m.faults.iter().map(|f| f.as_str()).collect())
        .unwrap_or_default()
}

#[test]
fn rfc_signature_is_valid_without_search() {
    let r = run("tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D", 4);
    assert_eq!(r.verdict, Verdict::Valid);
    assert_eq!(r.search.hypotheses, 1);
    assert!(r.faults.is_empty() && r.matched.is_none());
    assert_eq!(
        r.expected.unwrap().signature,
        "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
    );
}

#[test]
fn single_faults_are_named() {
    for (sig, want) in [
        ("25SL4GVtDi2TLfl6gbLmw6o%2Bt3Q%3D", "uri-default-port-kept"),
        ("53jgttsWLqA74Y7pXpdaQdhgDfI%3D", "key-token-secret-missing"),
        ("%2FUeEmNUsboAh2ZZD7O92ECdXfr8%3D", "uri-scheme"),
        ("CvDQG1Lw0MetcZZvuShAXutoYYI%3D", "key-secret-whitespace"),
        (
            "Ep%2Fmg0PbjthNwKCy3G%2B28k1f8QA%3D",
            "key-missing-ampersand",
        ),
        ("4vSM6MTbCxb6v3RRxX9sS1IDzcI%3D", "method-missing"),
        ("9mQNAEx9Q8S%2FEcwJA8kALtrM2XE%3D", "key-secret-whitespace"),
        ("tR3-Ty81lMeYAr_Fid0kMTYa_WM=", "sig-urlsafe-base64"),
        ("b51dfe4f2f3594c79802bfc589dd2431361afd63", "sig-hex"),
        ("tR3+Ty81lMeYAr/Fid0kMTYa/WM=", "sig-not-percent-encoded"),
        (
            "tR3%252BTy81lMeYAr%252FFid0kMTYa%252FWM%253D",
            "sig-double-percent-encoded",
        ),
        (
            "0gCtTYQAxqCKhIE0sltgx7UgHkAs10vrpuYE7xpRBnE%3D",
            "sig-method-mismatch",
        ),
    ] {
        let r = run(sig, 4);
        assert_eq!(r.verdict, Verdict::Explained, "{want}");
        assert_eq!(faults(&r), vec![want], "{sig}");
        assert_eq!(r.faults.len(), 1);
        assert_eq!(r.faults[0].id.as_str(), want);
    }
}

#[test]
fn a_put_signed_as_get_is_a_method_mismatch() {
    // The RFC's GET signature sent with PUT.
    let req = Request::new(
        "PUT",
        &format!("{URL}tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"),
        vec![],
        None,
    )
    .unwrap();
    let opts = ExplainOptions {
        consumer_secret: Some(Secret::new("kd94hf93k423kf44")),
        token_secret: Some(Secret::new("pfkkdhi9sl3r4s00")),
        now: 1_191_242_096,
        max_faults: 4,
        ..Default::default()
    };
    let r = explain(&req, &opts);
    assert_eq!(faults(&r), vec!["method-mismatch"]);
    assert!(
        r.faults[0].message.contains("`GET` but sent `PUT`"),
        "{}",
        r.faults[0].message
    );
}

#[test]
fn a_pair_is_found_and_explained_with_bytes() {
    let r = run("25SL4GVtDi2TLfl6gbLmw6o-t3Q=", 4);
    assert_eq!(
        faults(&r),
        vec!["sig-urlsafe-base64", "uri-default-port-kept"]
    );
    let port = r
        .faults
        .iter()
        .find(|f| f.id == Fault::UriDefaultPortKept)
        .unwrap();
    assert!(
        port.message
            .contains("`http://photos.example.net:80/photos`")
            && port.message.contains("`http://photos.example.net/photos`"),
        "{}",
        port.message
    );
    let m = r.matched.unwrap();
    assert!(m
        .base_string
        .starts_with("GET&http%3A%2F%2Fphotos.example.net%3A80%2Fphotos&"));
    assert_eq!(m.signature, "25SL4GVtDi2TLfl6gbLmw6o-t3Q=");
}

#[test]
fn the_budget_bounds_the_search() {
    // Two faults are needed: with a budget of one, nothing explains it.
    let r = run("25SL4GVtDi2TLfl6gbLmw6o-t3Q=", 1);
    assert_eq!(r.verdict, Verdict::Unexplained);
}

#[test]
fn a_foreign_signature_is_unexplained_after_the_whole_space() {
    let small = run("AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D", 2);
    let big = run("AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D", 4);
    assert_eq!(big.verdict, Verdict::Unexplained);
    assert!(big.search.hypotheses > small.search.hypotheses);
    assert_eq!(
        big.expected.unwrap().signature,
        "tR3+Ty81lMeYAr/Fid0kMTYa/WM="
    );
}

#[test]
fn without_a_secret_only_lints_run() {
    let req = Request::new(
        "GET",
        &format!("{URL}tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D"),
        vec![],
        None,
    )
    .unwrap();
    let r = explain(
        &req,
        &ExplainOptions {
            now: 1_191_242_096 + 4000,
            max_faults: 4,
            ..Default::default()
        },
    );
    assert_eq!(r.verdict, Verdict::Unverifiable);
    assert!(r.expected.is_none());
    assert!(r.lints.iter().any(|l| l.id == "timestamp-skew"));
}

#[test]
fn hosts_tried_include_aliases_localhost_and_loopback() {
    let req = Request::new(
        "GET",
        "https://Gallery.example.com/x?oauth_nonce=1",
        vec![],
        None,
    )
    .unwrap();
    let h = host_candidates(&req, &["GALLERY01".into(), "gallery.example.com".into()]);
    assert_eq!(h, vec!["gallery01", "localhost", "127.0.0.1"]);
}

#[test]
fn huge_requests_get_a_smaller_budget() {
    assert_eq!(fault_budget(4, 500), 4);
    assert_eq!(fault_budget(4, 100_000), 2);
    assert_eq!(fault_budget(1, 100_000), 1);
    assert_eq!(fault_budget(4, 1_000_000), 1);
    assert_eq!(fault_budget(4, 50_000_000), 0);
}
