//! The JSON renderer: `sigdoctor.explain.v1` (SPEC section 3), one object per request.

use super::model::ExplainReport;

/// The report as pretty JSON; several requests (a HAR) give an array.
pub fn render(reports: &[ExplainReport]) -> String {
    let value = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    // Serialising plain data with string keys cannot fail; keep a valid document anyway.
    value.unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
