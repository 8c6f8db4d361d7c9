//! Catalogue v2 on hand-built requests: faults found together across the split key axes,
//! the faults.md tie-break, and messages naming the library behaviour.
//!
//! The captured signatures were computed by tools/reference/oauthref.py (oauthlib plus the
//! hand-written transforms), never by sigdoctor.

use super::*;

const BASE: &str = "https://api.example.com/v1/items?{q}&oauth_consumer_key=ck&oauth_nonce=n0nce&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000&oauth_version=1.0&oauth_signature=";

fn run(query: &str, sig: &str) -> ExplainReport {
    let url = format!("{}{sig}", BASE.replace("{q}", query));
    let req = Request::new("GET", &url, vec![], None).unwrap();
    let opts = ExplainOptions {
        consumer_secret: Some(Secret::new("s3cret")),
        now: 1_700_000_000,
        max_faults: 4,
        ..Default::default()
    };
    explain(&req, &opts)
}

fn ids(faults: &[Fault]) -> Vec<&'static str> {
    faults.iter().map(|f| f.as_str()).collect()
}

fn matched(r: &ExplainReport) -> (Vec<&'static str>, Vec<Vec<&'static str>>) {
    let m = r.matched.as_ref().expect("explained");
    (
        ids(&m.faults),
        m.alternatives.iter().map(|a| ids(a)).collect(),
    )
}

#[test]
fn the_seed_client_is_two_key_faults_found_together() {
    // "s3cret " (pasted trailing space) joined raw with `&`.
    let r = run("limit=2", "goNVehv7LyR2ivUmHc6bwFC5Rd4%3D");
    assert_eq!(r.verdict, Verdict::Explained);
    let (faults, _) = matched(&r);
    assert_eq!(faults, vec!["key-not-encoded", "key-secret-whitespace"]);
}

#[test]
fn a_plus_on_the_wire_with_no_escape_is_a_literal_plus_first() {
    let r = run(
        "search=sales+report&limit=20",
        "fk%2FN1P4dXb1FrfNyjJhqcoBbQjs%3D",
    );
    let (faults, alternatives) = matched(&r);
    assert_eq!(faults, vec!["params-plus-literal"]);
    assert_eq!(alternatives, vec![vec!["params-double-encoded"]]);
}

#[test]
fn equal_repeated_values_are_collapsed_not_last() {
    let r = run(
        "tag=red&tag=red&limit=2",
        "pFYbkyoopEtvYB5ffjun%2FPPa%2Fbs%3D",
    );
    let (faults, alternatives) = matched(&r);
    assert_eq!(faults, vec!["params-duplicates-collapsed"]);
    assert!(alternatives.contains(&vec!["params-duplicates-last"]));
}

#[test]
fn the_last_value_names_php() {
    let r = run("tag=red&tag=blue&limit=2", "1aJODhh1hJB77GCDfT3s2ESTgnI%3D");
    let (faults, _) = matched(&r);
    assert_eq!(faults, vec!["params-duplicates-last"]);
    let msg = &r.faults[0].message;
    assert!(msg.contains("`tag=red`"), "{msg}");
    assert!(msg.contains("PHP"), "{msg}");
}

#[test]
fn the_query_parsing_switches_combine() {
    let r = run(
        "fields=id;name&cursor=c2lk=",
        "XJS%2FYy1%2BPcQ%2Bq2lh0iRmTdHyCq8%3D",
    );
    let (faults, _) = matched(&r);
    assert_eq!(
        faults,
        vec!["params-semicolon-split", "params-value-cut-at-equals"]
    );
}

#[test]
fn a_switch_inert_alone_is_found_beside_the_one_that_wakes_it() {
    // `a=1;a=0` repeats `a` only once split on `;`: the name-only sort changes nothing
    // alone, yet the client did both.
    let r = run("b=2&a=1;a=0", "PAjk2yIzFoOeWyNpR5Y4iMW46Dw%3D");
    let (faults, _) = matched(&r);
    assert_eq!(
        faults,
        vec!["params-semicolon-split", "params-sorted-by-name-only"]
    );
}
