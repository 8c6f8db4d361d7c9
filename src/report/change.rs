//! The "What to change" block that ends a human report: one line per fault, its fix, so the
//! last thing a terminal shows is what to do. The detail stays above it.

use std::fmt::Write;

use colored::Colorize;

use super::model::{ExplainReport, Verdict};
use crate::lint::Severity;

/// The lines of the block (without its title), one per fault or blocking lint.
pub fn lines(r: &ExplainReport) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match r.verdict {
        Verdict::Explained | Verdict::Ambiguous => {
            for f in &r.faults {
                out.push(format!("{}: {}", f.id.as_str(), f.fix));
            }
        }
        Verdict::Valid => out.push(
            "nothing in the client: the server signs another URL; run `sigdoctor probe URL` to find it"
                .to_string(),
        ),
        Verdict::Unexplained => out.push(
            "check the secret and the key pair first (see \"What to check next\" above)".to_string(),
        ),
        _ => {}
    }
    let faults_found = !out.is_empty();
    for l in &r.lints {
        let line = format!("{}: {}", l.id, l.fix);
        let wanted =
            l.severity == Severity::Error || !faults_found && l.severity == Severity::Warning;
        // One line per fix: four missing parameters share one.
        if wanted && !out.contains(&line) {
            out.push(line);
        }
    }
    if r.verdict == Verdict::Unverifiable && r.secret_fingerprint.is_none() {
        out.push(
            "give the consumer secret (--consumer-secret env:VAR, or SIGDOCTOR_CONSUMER_SECRET) to find the mistake"
                .to_string(),
        );
    }
    out
}

/// The block for the human report; `client` names the tool the fixes are phrased for.
pub fn block(r: &ExplainReport, client: Option<&str>) -> String {
    let lines = lines(r);
    if lines.is_empty() {
        return String::new();
    }
    let mut o = String::new();
    let title = match client {
        Some(c) => format!("What to change (in {c})"),
        None => "What to change".to_string(),
    };
    let _ = writeln!(o, "\n{}", title.bold());
    for l in lines {
        let _ = writeln!(o, "  - {l}");
    }
    o
}
