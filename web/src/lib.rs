//! The browser build of sigdoctor: wasm-bindgen exports over [`sigdoctor::web_api`].
//!
//! Nothing is computed here, so that `cargo test` (natively, in the main crate) checks what
//! the page shows. Every function takes and returns text; results are the CLI's JSON, errors
//! `{"schema":"sigdoctor.error.v1","error":...}`.

use wasm_bindgen::prelude::wasm_bindgen;

/// `sigdoctor explain REQUEST --format json`; `secret` empty means none (lints only).
#[wasm_bindgen]
pub fn explain(request: &str, secret: &str, options_json: &str) -> String {
    sigdoctor::web_api::explain(request, secret, options_json)
}

/// [`explain`]'s reports plus what the human report shows: exit code, component diff.
#[wasm_bindgen]
pub fn explain_view(request: &str, secret: &str, options_json: &str) -> String {
    sigdoctor::web_api::explain_view(request, secret, options_json)
}

/// `sigdoctor sign ... --output json`.
#[wasm_bindgen]
pub fn sign(options_json: &str) -> String {
    sigdoctor::web_api::sign(options_json)
}

/// The fault catalogue.
#[wasm_bindgen]
pub fn faults() -> String {
    sigdoctor::web_api::faults()
}

/// The crate version, shown on the page so a report can say which build produced it.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
