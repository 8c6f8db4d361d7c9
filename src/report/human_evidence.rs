//! The human report's parts for evidence other than a whole signature: what the answer
//! rests on (first line), placeholders to fill in, and the titled blocks the reference
//! request and the base strings add.

use std::fmt::Write;

use colored::Colorize;

use super::model::ExplainReport;

/// ` (from the first 10 characters of the signature, ...)`: the first line says what the
/// answer rests on.
pub fn rests_on(r: &ExplainReport) -> String {
    if r.evidence.is_empty() {
        return " (from the request alone)".to_string();
    }
    let mut parts: Vec<String> = r.evidence.iter().map(|e| e.describe()).collect();
    if r.secret_fingerprint.is_some() && r.evidence.iter().any(|e| e.kind.starts_with("signature"))
    {
        parts.push("the secret".to_string());
    }
    format!(" (from {})", parts.join(", "))
}

/// Placeholders, then each titled block.
pub fn sections(o: &mut String, r: &ExplainReport) {
    if !r.placeholders.is_empty() {
        let _ = writeln!(o, "\n{}", "Values removed from the paste".bold());
        for p in &r.placeholders {
            let state = if p.filled {
                "filled in"
            } else {
                "to go further"
            };
            let _ = writeln!(o, "  {} in {}: {state}: {}", p.text, p.place, p.fill);
        }
    }
    for (title, lines) in &r.sections {
        let _ = writeln!(o, "\n{}", title.bold());
        for l in lines {
            let _ = writeln!(o, "  {l}");
        }
    }
}

/// The headline when the difference lies with the server, not the client.
pub fn server_side(r: &ExplainReport) -> String {
    let mut ids: Vec<&str> = Vec::new();
    for f in r.server.iter().flat_map(|s| &s.faults) {
        ids.push(f);
    }
    for f in r.reference.iter().flat_map(|s| &s.faults) {
        if !ids.contains(f) {
            ids.push(f);
        }
    }
    if ids.is_empty() {
        "the server signs a different base string than the client".to_string()
    } else {
        format!("the server signs a different request: {}", ids.join(", "))
    }
}
