//! The lints cost time linear in the request (issue 13): a pasted form with 69,000
//! distinct `oauth_*` names took 6 s (1 MB) and 18 s (2 MB) in a pairwise duplicate check.
//! Measured as a ratio at equal bytes, never as an absolute time.

use std::time::Instant;

use sigdoctor::lint::lint_request;
use sigdoctor::request::Request;

fn paste(names: usize) -> Request {
    let mut body = String::from(
        "oauth_consumer_key=k&oauth_signature_method=HMAC-SHA1&oauth_signature=x&oauth_timestamp=1&oauth_nonce=n",
    );
    for i in 0..names {
        body.push_str(&format!("&oauth_x{i:06}="));
    }
    // Some real duplicates too: each is reported once, however often it repeats.
    for _ in 0..1000 {
        body.push_str("&oauth_nonce=again");
    }
    let headers = vec![(
        "Content-Type".to_string(),
        "application/x-www-form-urlencoded".to_string(),
    )];
    Request::new("POST", "https://h/p", headers, Some(body)).unwrap()
}

#[test]
fn lint_cost_is_linear_in_the_paste() {
    let big = paste(130_000); // about 2 MB
    let small = paste(13_000); // about 200 KB
    let dups = lint_request(&big, 1)
        .into_iter()
        .filter(|l| l.id == "duplicate-oauth-param")
        .count();
    assert_eq!(dups, 1, "one finding per duplicated name");
    // Equal work if linear: one big paste against ten small ones; cheapest of three rounds.
    let cost = |req: &Request, times: usize| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                for _ in 0..times {
                    std::hint::black_box(lint_request(req, 1));
                }
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let small_cost = cost(&small, 10);
    let big_cost = cost(&big, 1);
    let ratio = big_cost / small_cost;
    eprintln!("1 x 2 MB: {big_cost:.3} s; 10 x 200 KB: {small_cost:.3} s; ratio {ratio:.2}");
    assert!(
        ratio < 4.0,
        "lint cost grows faster than the paste: ratio {ratio:.2}"
    );
}
