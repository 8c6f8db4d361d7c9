//! Fuzz target: an Authorization header value.
#![no_main]

libfuzzer_sys::fuzz_target!(|s: &str| {
    let _ = sigdoctor::rfc5849::header::parse(s);
});
