//! Search speed (SPEC section 6): hypotheses per second per core and in total on a typical
//! Alteryx request, the exhaustive unexplained search, and the ratios to the SHA-1 ceiling
//! and to `openssl speed -hmac sha1 -bytes 256`, all measured in this run.
//!
//! `cargo bench --bench search` (harness = false: it prints, it does not assert).

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use sha1::{Digest as _, Sha1};
use sigdoctor::request::Request;
use sigdoctor::search::{explain, ExplainOptions};
use sigdoctor::secret::Secret;

const SECRET: &str = "Q7mZ2kP9vX4rT1sW8yB3nC6fH5jL0dG2aE9uK4iO7pR1tV3xY6zM8qN5bS2wD0";

/// A subscription-API request as the field sends it; `sig` is the captured signature.
fn alteryx(sig: &str) -> Request {
    let url = format!(
        "https://gallery.example.com:443/gallery/api/v1/workflows/subscription/?limit=20&sortField=name&search=sales%20report&oauth_consumer_key=3f1c8e7a2b9d4c6e8a1f0b2d3c4e5f6a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1764001296&oauth_nonce=jZlmIBL7MStnsbsq&oauth_version=1.0&oauth_signature={sig}"
    );
    Request::new("GET", &url, vec![], None).expect("bench request parses")
}

fn opts(max_faults: usize) -> ExplainOptions {
    ExplainOptions {
        consumer_secret: Some(Secret::new(SECRET)),
        host_aliases: vec!["gallery01".into()],
        now: 1_764_001_296,
        max_faults,
        ..Default::default()
    }
}

/// A request that gives every fault something to change: upper-case host, non-default
/// port, encoded path, `+` and reserved characters, an empty value, a duplicate name, a form
/// body, realm and token in the Authorization header.
fn everything() -> Request {
    let header = "OAuth realm=\"Photos\", oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_token=\"nnch734d00sl2jdk\", oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1191242096\", oauth_nonce=\"kllo9940pd9333jh\", oauth_signature=\"AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D\"";
    Request::new(
        "POST",
        "https://Photos.Example.NET:8443/api/v1/My%20Albums/upload?tag=a+b&tag=c&note=it%27s(1)*&empty=",
        vec![
            ("Authorization".into(), header.into()),
            ("Content-Type".into(), "application/x-www-form-urlencoded".into()),
        ],
        Some("title=Sun+set%21&size=original".into()),
    )
    .expect("bench request parses")
}

/// A pool of `threads` and the options of the exhaustive search (every fault, token secret).
fn pool_and_options(threads: usize) -> (rayon::ThreadPool, ExplainOptions) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    let mut o = opts(4);
    o.token_secret = Some(Secret::new("pfkkdhi9sl3r4s00"));
    (pool, o)
}

/// Runs the exhaustive (unexplained) search `reps` times on a pool of `threads`; returns
/// (hypotheses per run, best seconds per run).
fn exhaustive(req: &Request, threads: usize, reps: usize) -> (u64, f64) {
    let (pool, o) = pool_and_options(threads);
    let mut best = f64::MAX;
    let mut hyps = 0;
    for _ in 0..reps {
        let t = Instant::now();
        let r = pool.install(|| explain(black_box(req), &o));
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(r.verdict.as_str(), "unexplained");
        hyps = r.search.hypotheses;
    }
    (hyps, best)
}

/// Runs `jobs` exhaustive searches side by side on a pool of `threads`: every core busy the
/// whole time, so serial set-up inside one search does not hide the per-core rate. Returns
/// hypotheses per second in total.
fn saturated(req: &Request, threads: usize, jobs: usize) -> f64 {
    use rayon::prelude::*;
    let (pool, o) = pool_and_options(threads);
    let t = Instant::now();
    let total: u64 = pool.install(|| {
        (0..jobs)
            .into_par_iter()
            .map(|_| explain(black_box(req), &o).search.hypotheses)
            .sum()
    });
    total as f64 / t.elapsed().as_secs_f64()
}

/// SHA-1 compressions per second on one core (16 KiB updates: the hash alone).
fn sha1_compressions_per_sec() -> f64 {
    let buf = vec![0x5au8; 16384];
    let mut h = Sha1::new();
    let t = Instant::now();
    let mut bytes = 0u64;
    while t.elapsed() < Duration::from_millis(700) {
        for _ in 0..64 {
            h.update(&buf);
        }
        bytes += 64 * 16384;
    }
    black_box(h.finalize());
    bytes as f64 / 64.0 / t.elapsed().as_secs_f64()
}

/// `openssl speed -hmac sha1 -bytes 256`: HMACs per second on one core, if openssl runs.
fn openssl_hmac_per_sec() -> Option<f64> {
    let out = Command::new("openssl")
        .args(["speed", "-seconds", "2", "-hmac", "sha1", "-bytes", "256"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    // Last line: "hmac(sha1)   123456.78k" (thousands of bytes per second for 256-byte blocks).
    let line = text
        .lines()
        .rev()
        .find(|l| l.to_ascii_lowercase().starts_with("hmac"))?;
    let k: f64 = line
        .split_whitespace()
        .last()?
        .trim_end_matches('k')
        .parse()
        .ok()?;
    Some(k * 1000.0 / 256.0)
}

/// Wall time of `sigdoctor explain` on a typical field request, process start included.
fn process_wall(runs: usize) -> Option<(f64, f64)> {
    let bin = env!("CARGO_BIN_EXE_sigdoctor");
    // Field case: `:443` kept, wire order, urlsafe base64 (signature made with Python hmac).
    let url = "https://gallery.example.com:443/gallery/api/v1/workflows/subscription/?limit=20&sortField=name&search=sales%20report&oauth_consumer_key=3f1c8e7a2b9d4c6e8a1f0b2d3c4e5f6a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1764001296&oauth_nonce=jZlmIBL7MStnsbsq&oauth_version=1.0&oauth_signature=4CIgOn18kex-KGa61NIN1OFh04k%3D";
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let st = Command::new(bin)
            .args(["explain", url, "--format", "json", "--now", "1764001296"])
            .env("SIGDOCTOR_CONSUMER_SECRET", SECRET)
            .output()
            .ok()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        black_box(st);
    }
    times.sort_by(f64::total_cmp);
    Some((times[times.len() / 2], times[times.len() * 9 / 10]))
}

/// RSA-SHA1 with the public key only: a Jira request whose signature commits to some other
/// base string (so the search is exhaustive). Each hypothesis is one plain SHA-1 of a base
/// string; the RSA public operation runs once per reading of the captured signature. The
/// naive alternative, one RSA verification per hypothesis, is measured for the ratio.
fn rsa_section() {
    use base64::Engine;
    use sigdoctor::rfc5849::{rsa, SignatureMethod};
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/rsa/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).expect("bench key");
    let private = rsa::parse_private_key(&read("wiki-testcase-private.pem")).expect("key");
    let public = rsa::parse_public_key(&read("wiki-testcase-cert.pem")).expect("cert");
    let raw = rsa::sign(SignatureMethod::RsaSha1, &private, b"GET&elsewhere&x%3Dy").expect("sign");
    let sig = sigdoctor::rfc5849::encode::pct(
        base64::engine::general_purpose::STANDARD
            .encode(&raw)
            .as_bytes(),
    );
    let header = format!("OAuth oauth_consumer_key=\"jira-consumer\", oauth_signature_method=\"RSA-SHA1\", oauth_timestamp=\"1764001296\", oauth_nonce=\"jZlmIBL7MStnsbsq\", oauth_version=\"1.0\", oauth_signature=\"{sig}\"");
    let req = Request::new(
        "GET",
        "https://Jira.Example.com:443/rest/api/2/search?jql=project%3DOPS&maxResults=50&fields=summary",
        vec![("Authorization".into(), header)],
        None,
    )
    .expect("bench request parses");
    let o = ExplainOptions {
        public_key: Some(public.clone()),
        now: 1_764_001_296,
        max_faults: 4,
        profile: sigdoctor::cli::Profile::Jira,
        ..Default::default()
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    let mut best = f64::MAX;
    let mut hyps = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let r = pool.install(|| explain(black_box(&req), &o));
        best = best.min(t.elapsed().as_secs_f64());
        assert_eq!(r.verdict.as_str(), "unexplained");
        hyps = r.search.hypotheses;
    }
    let per_core = hyps as f64 / best;
    let t = Instant::now();
    let mut n = 0u64;
    while t.elapsed() < Duration::from_millis(500) {
        black_box(rsa::verify(
            SignatureMethod::RsaSha1,
            &public,
            b"GET&x&y",
            &raw,
        ));
        n += 1;
    }
    let naive = n as f64 / t.elapsed().as_secs_f64();
    println!("RSA-SHA1 Jira GET, public key only, exhaustive (max-faults 4): {hyps} hypotheses");
    println!(
        "  1 thread:      {:8.1} ms  {:6.2} M hypotheses/s per core",
        best * 1e3,
        per_core / 1e6
    );
    println!(
        "  one RSA-1024 verification per hypothesis instead: {:.0} /s -> ratio {:.0}x",
        naive,
        per_core / naive
    );
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("sigdoctor search bench ({cores} cores)");
    let typical = alteryx("AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D");
    let (h1, t1) = exhaustive(&typical, 1, 30);
    let per_core = h1 as f64 / t1;
    let (hn, tn) = exhaustive(&typical, cores, 30);
    let total = hn as f64 / tn;
    let comp = sha1_compressions_per_sec();
    let ceiling = comp / 6.0;
    println!("typical Alteryx GET, exhaustive unexplained search (max-faults 4): {h1} hypotheses");
    println!(
        "  1 thread:      {:8.1} ms  {:6.2} M hypotheses/s per core",
        t1 * 1e3,
        per_core / 1e6
    );
    println!(
        "  {cores} threads:     {:8.1} ms  {:6.2} M hypotheses/s total ({:.2} M/s per core)",
        tn * 1e3,
        total / 1e6,
        total / 1e6 / cores as f64
    );
    let busy = saturated(&typical, cores, 200);
    println!(
        "  {cores} threads, 200 searches side by side: {:6.2} M hypotheses/s total ({:.2} M/s per core)",
        busy / 1e6,
        busy / 1e6 / cores as f64
    );
    println!(
        "SHA-1 ceiling: {:.1} M compressions/s -> {:.2} M hypotheses/s per core (6 compressions each)",
        comp / 1e6,
        ceiling / 1e6
    );
    println!("  ratio per core / ceiling: {:.2}", per_core / ceiling);
    match openssl_hmac_per_sec() {
        Some(o) => println!(
            "openssl speed -hmac sha1 -bytes 256: {:.2} M HMACs/s -> ratio per core / openssl: {:.2}",
            o / 1e6,
            per_core / o
        ),
        None => println!("openssl speed -hmac sha1 -bytes 256: n/a"),
    }
    let big = everything();
    let (hb1, tb1) = exhaustive(&big, 1, 3);
    let (hbn, tbn) = exhaustive(&big, cores, 3);
    println!("request touching every fault, exhaustive (max-faults 4): {hb1} hypotheses");
    println!(
        "  1 thread:      {:8.1} ms  {:6.2} M hypotheses/s per core",
        tb1 * 1e3,
        hb1 as f64 / tb1 / 1e6
    );
    println!(
        "  {cores} threads:     {:8.1} ms  {:6.2} M hypotheses/s total",
        tbn * 1e3,
        hbn as f64 / tbn / 1e6
    );
    rsa_section();
    match process_wall(30) {
        Some((p50, p90)) => println!(
            "typical explain, process start included (30 runs): median {p50:.1} ms, p90 {p90:.1} ms"
        ),
        None => println!("typical explain wall time: n/a (binary did not run)"),
    }
}
