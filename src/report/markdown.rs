//! `--format markdown`: a report to paste in a forum post or a ticket. Always redacted (see
//! [`super::redact`]); it still shows the verdict, the faults, the diff and the fix.

use std::fmt::Write;

use super::diff::{diff, Line, Segment};
use super::model::{ExplainReport, Verdict};

/// Renders one explain report as markdown (before redaction).
pub fn render(r: &ExplainReport, client: Option<&str>) -> String {
    let mut o = String::new();
    let head = match r.verdict {
        Verdict::Explained => {
            let ids: Vec<&str> = r.faults.iter().map(|f| f.id.as_str()).collect();
            format!("explained: {}", ids.join(", "))
        }
        v => v.as_str().to_string(),
    };
    let _ = writeln!(o, "### sigdoctor explain: {head}\n");
    let _ = writeln!(o, "**Request:** `{} {}`", r.request.method, r.request.url);
    if let Some(c) = client {
        let _ = writeln!(o, "**Client:** {c}");
    }
    if !r.faults.is_empty() {
        let _ = writeln!(o, "\n| fault | what the client did | fix |\n|---|---|---|");
        for f in &r.faults {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} |",
                f.id.as_str(),
                cell(&f.message),
                cell(&f.fix)
            );
        }
    }
    if !r.lints.is_empty() {
        let _ = writeln!(o, "\n| lint | severity | message |\n|---|---|---|");
        for l in &r.lints {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} |",
                l.id,
                l.severity.as_str(),
                cell(&l.message)
            );
        }
    }
    if r.verdict == Verdict::Explained {
        let _ = writeln!(
            o,
            "\nBase string, by component (`-` the client, `+` the server / RFC 5849):\n\n```diff"
        );
        for line in diff(&r.expected_components, &r.matched_components) {
            match line {
                Line::Same(c) => {
                    let _ = writeln!(o, "  {:<6} {}", c.label, c.text);
                }
                Line::OnlyRfc(c) => {
                    let _ = writeln!(o, "+ {:<6} {}", c.label, c.text);
                }
                Line::OnlyClient(c) => {
                    let _ = writeln!(o, "- {:<6} {}", c.label, c.text);
                }
                Line::Changed { label, rfc, client } => {
                    let _ = writeln!(o, "- {label:<6} {}", plain(&client));
                    let _ = writeln!(o, "+ {label:<6} {}", plain(&rfc));
                }
            }
        }
        let _ = writeln!(o, "```");
    }
    if let Some(e) = &r.expected {
        let _ = writeln!(
            o,
            "\nRFC 5849 base string for the request as sent:\n\n```text\n{}\n```",
            e.base_string
        );
    }
    let lines = super::change::lines(r);
    if !lines.is_empty() {
        let _ = writeln!(o, "\n**What to change**\n");
        for l in lines {
            let _ = writeln!(o, "- {l}");
        }
    }
    let _ = writeln!(
        o,
        "\n<sub>sigdoctor {}: no secret included; consumer key, token, nonce and signature shortened.</sub>",
        env!("CARGO_PKG_VERSION")
    );
    o
}

fn plain(segs: &[Segment]) -> String {
    segs.iter().map(|s| s.text.as_str()).collect()
}

/// A table cell: pipes escaped, one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
