//! Explain reports: the data model and its renderers (human text, JSON, markdown) and the
//! base-string diff they share. The probe report lives with probe.

pub mod change;
pub mod client_fix;
pub mod diff;
pub mod evidence;
pub mod human;
mod human_evidence;
pub mod json;
pub mod layout;
pub mod markdown;
pub mod model;
pub mod redact;
pub mod sanitize;

pub use model::{ExplainReport, Verdict};
