//! Fuzz target: a raw HTTP/1.1 request.
#![no_main]

libfuzzer_sys::fuzz_target!(|s: &str| {
    let _ = sigdoctor::input::http::parse(s).and_then(|d| d.into_request(&Default::default()));
});
