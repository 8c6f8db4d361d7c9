//! sigdoctor: explains why an OAuth 1.0a request is rejected with "invalid signature".
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! input (URL | curl | raw HTTP | HAR) -> request (model, raw evidence kept)
//!     -> rfc5849 (pure signing core, every fault a switch)
//!     -> search (explain) | probe (live sweep) | serve (reference server)
//!     -> report (human, JSON, JUnit)
//! ```
//!
//! `app` wires the stages to the commands; `cli` only parses arguments. Those two, `probe`,
//! `serve` and `fresh` (the clock and the nonce generator) need the default `cli` feature;
//! the rest is pure enough for the browser (`web/`, wasm32), where [`web_api`] is the door.
#![deny(missing_docs)]
// `print!` and friends panic on a closed pipe or a full disk: every write goes through `out`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

#[cfg(feature = "cli")]
pub mod app;
pub mod bounded;
#[cfg(feature = "cli")]
pub mod cli;
pub mod error;
pub mod evidence;
#[cfg(feature = "cli")]
pub mod fresh;
pub mod input;
pub mod lint;
pub mod options;
pub mod out;
#[cfg(feature = "cli")]
pub mod probe;
pub mod profile;
pub mod report;
pub mod request;
pub mod rfc5849;
pub mod search;
pub mod secret;
#[cfg(feature = "cli")]
pub mod serve;
pub mod signing;
pub mod web_api;

pub use error::{Error, Result};
