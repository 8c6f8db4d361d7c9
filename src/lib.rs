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
//! `app` wires the stages to the commands; `cli` only parses arguments.
#![deny(missing_docs)]
// `print!` and friends panic on a closed pipe or a full disk: every write goes through `out`.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod app;
pub mod bounded;
pub mod cli;
pub mod error;
pub mod fresh;
pub mod input;
pub mod lint;
pub mod out;
pub mod probe;
pub mod profile;
pub mod report;
pub mod request;
pub mod rfc5849;
pub mod search;
pub mod secret;
pub mod serve;

pub use error::{Error, Result};
