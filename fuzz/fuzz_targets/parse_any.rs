//! Fuzz target: auto-detected input, as stdin or @FILE would give it.
#![no_main]

libfuzzer_sys::fuzz_target!(|s: &str| {
    let _ = sigdoctor::input::parse_text(s, "fuzz", &Default::default());
});
