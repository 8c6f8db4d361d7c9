//! Explain reports: the data model and its renderers (human text, JSON) and the base-string
//! diff they share. The probe report lives with probe.

pub mod diff;
pub mod evidence;
pub mod human;
mod human_evidence;
pub mod json;
pub mod model;
pub mod sanitize;

pub use model::{ExplainReport, Verdict};
