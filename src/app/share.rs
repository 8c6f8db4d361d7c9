//! The probe and check reports for people and for sharing: the human report fitted to the
//! terminal and ended by "What to change", and the markdown report (redacted, like explain's).

use std::fmt::Write;

use colored::Colorize;

use crate::cli::RedactArgs;
use crate::probe::report::{self, ProbeReport};
use crate::report::redact::Redactor;

/// What identifies the caller in a probe report: the consumer key, the hosts.
pub fn redactor(url: &str, consumer_key: &str, aliases: &[String], args: &RedactArgs) -> Redactor {
    let mut r = Redactor::default();
    r.value(consumer_key, 4);
    if args.redact_host {
        if let Ok(u) = crate::request::RawUrl::parse(url) {
            r.host(&u.host);
        }
        for a in aliases {
            r.host(a);
        }
    }
    r
}

/// The fixes of a probe report's findings, one line each.
fn changes(r: &ProbeReport) -> Vec<String> {
    r.findings
        .iter()
        .filter_map(|f| f.fix.as_ref().map(|fix| format!("{}: {fix}", f.id)))
        .collect()
}

/// The human probe report, ended by "What to change" (the caller sanitises and fits it).
pub fn human(r: &ProbeReport, verbose: bool, command: &str, redact: Option<&Redactor>) -> String {
    let mut text = report::human_as(r, verbose, command);
    let lines = changes(r);
    if !lines.is_empty() {
        let _ = writeln!(text, "\n{}", "What to change".bold());
        for l in lines {
            let _ = writeln!(text, "  - {l}");
        }
    }
    if let Some(red) = redact {
        text = red.apply(&text);
    }
    text
}

/// The markdown probe report: the human report (no colour) in a text block, then the fixes.
pub fn markdown(r: &ProbeReport, command: &str, redact: &Redactor) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "### sigdoctor {command}: {}\n", r.verdict.as_str());
    let _ = writeln!(
        o,
        "```text\n{}```",
        report::human_as(r, false, command)
            .trim_end_matches('\n')
            .to_string()
            + "\n"
    );
    let lines = changes(r);
    if !lines.is_empty() {
        let _ = writeln!(o, "\n**What to change**\n");
        for l in lines {
            let _ = writeln!(o, "- {l}");
        }
    }
    let _ = writeln!(
        o,
        "\n<sub>sigdoctor {}: no secret included; consumer key shortened.</sub>",
        env!("CARGO_PKG_VERSION")
    );
    crate::report::sanitize::escape_text(&redact.apply(&o)).into_owned()
}
