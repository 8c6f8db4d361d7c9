//! Fuzz target: a bare URL, through the request model.
#![no_main]

libfuzzer_sys::fuzz_target!(|s: &str| {
    let _ = sigdoctor::input::url::parse(s).and_then(|d| d.into_request(&Default::default()));
});
