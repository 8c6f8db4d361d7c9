//! Fuzz target: a curl command line.
#![no_main]

libfuzzer_sys::fuzz_target!(|s: &str| {
    let _ = sigdoctor::input::curl::parse(s).and_then(|d| d.into_request(&Default::default()));
});
