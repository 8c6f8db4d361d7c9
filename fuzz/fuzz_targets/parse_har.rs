//! Fuzz target: a HAR file.
#![no_main]

libfuzzer_sys::fuzz_target!(|s: &str| {
    let _ = sigdoctor::input::har::parse(s, None, &Default::default());
});
