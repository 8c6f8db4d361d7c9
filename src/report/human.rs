//! The human renderer: verdict first, then each fault with its fix, then the two base
//! strings side by side with a character-level diff, then what was searched.
//!
//! Colour comes from the `colored` crate, whose global override `app::setup_color` sets
//! once (NO_COLOR, `--color`, not a terminal): this module never decides it.

use std::fmt::Write;

use colored::Colorize;

use super::diff::{diff, Line, Segment};
use super::model::{Component, ExplainReport, Verdict};
use crate::lint::Severity;

/// Renders one report.
pub fn render(r: &ExplainReport) -> String {
    let mut o = String::new();
    verdict(&mut o, r);
    if r.verdict == Verdict::Unverifiable {
        lints(&mut o, r);
    }
    match r.verdict {
        Verdict::Explained | Verdict::Ambiguous => explained(&mut o, r),
        Verdict::Valid => valid(&mut o, r),
        Verdict::Unexplained => unexplained(&mut o, r),
        Verdict::Unverifiable => match &r.expected {
            Some(e) => {
                let _ = writeln!(o, "\n{}", "RFC 5849 for the request as sent".bold());
                let _ = writeln!(o, "  base string: {}", e.base_string);
                let _ = writeln!(o, "  signature:   {}", e.signature);
            }
            None if r.placeholders.iter().any(|p| !p.filled) => {}
            None => unverifiable(&mut o),
        },
    }
    super::human_evidence::sections(&mut o, r);
    if r.verdict != Verdict::Unverifiable {
        lints(&mut o, r);
    }
    // Once a client fault is found, the Gallery's general notes would only push the answer
    // off the screen.
    if r.alteryx && r.verdict != Verdict::Explained {
        alteryx(&mut o, r);
    }
    if r.verdict != Verdict::Unverifiable && r.search.hypotheses > 0 {
        let _ = writeln!(
            o,
            "\n{} {} in {:.1} ms (up to {} faults combined)",
            "Searched:".dimmed(),
            plural(r.search.hypotheses as usize, "hypothesis"),
            r.search.elapsed_ms,
            r.max_faults
        );
    }
    o
}

fn verdict(o: &mut String, r: &ExplainReport) {
    let head = match r.verdict {
        Verdict::Valid => "VALID".green().bold(),
        Verdict::Explained => "EXPLAINED".yellow().bold(),
        Verdict::Unexplained => "UNEXPLAINED".red().bold(),
        Verdict::Unverifiable => "UNVERIFIABLE".blue().bold(),
        Verdict::Ambiguous => "AMBIGUOUS".magenta().bold(),
    };
    let what = match r.verdict {
        Verdict::Valid => "the signature is correct RFC 5849".to_string(),
        Verdict::Explained if r.faults.is_empty() => super::human_evidence::server_side(r),
        Verdict::Explained => {
            let ids: Vec<&str> = r.faults.iter().map(|f| f.id.as_str()).collect();
            format!(
                "the client made {}: {}",
                plural(ids.len(), "mistake"),
                ids.join(", ")
            )
        }
        Verdict::Unexplained => {
            "no combination of known client faults reproduces the signature".to_string()
        }
        Verdict::Unverifiable
            if r.secret_fingerprint.is_some() && r.request.signature.is_some() =>
        {
            "the signature was cut too short to match: lints only".to_string()
        }
        Verdict::Unverifiable if r.secret_fingerprint.is_some() => {
            "the request carries no oauth_signature to verify: lints only".to_string()
        }
        Verdict::Unverifiable if r.placeholders.iter().any(|p| !p.filled) => {
            "a value the signature covers was removed from the paste: lints only".to_string()
        }
        Verdict::Unverifiable => "no consumer secret given: lints only".to_string(),
        Verdict::Ambiguous => format!(
            "{} fit the cut signature; a longer paste decides",
            plural(
                r.matched.as_ref().map_or(0, |m| m.alternatives.len()) + 1,
                "hypothesis"
            )
        ),
    };
    let what = if r.verdict == Verdict::Unverifiable && r.has_lint_error() {
        format!("{what}; a lint below is an error (exit 1)")
    } else {
        what
    };
    let _ = writeln!(o, "{head}  {what}{}", super::human_evidence::rests_on(r));
    let _ = writeln!(
        o,
        "{} {} {}",
        "Request:".dimmed(),
        r.request.method,
        r.request.url
    );
}

fn lints(o: &mut String, r: &ExplainReport) {
    if r.lints.is_empty() {
        return;
    }
    let _ = writeln!(o, "\n{}", "Lints".bold());
    for l in &r.lints {
        let sev = match l.severity {
            Severity::Error => "error".red().bold(),
            Severity::Warning => "warning".yellow(),
            Severity::Info => "info".blue(),
        };
        let _ = writeln!(o, "  {sev} [{}] {}\n    fix: {}", l.id, l.message, l.fix);
    }
}

fn explained(o: &mut String, r: &ExplainReport) {
    if !r.faults.is_empty() {
        let _ = writeln!(o, "\n{}", "Faults".bold());
    }
    for (i, f) in r.faults.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {}. {} ({})",
            i + 1,
            f.id.as_str().yellow().bold(),
            f.category
        );
        let _ = writeln!(o, "     {}", f.message);
        let _ = writeln!(o, "     {} {}", "fix:".green().bold(), f.fix);
    }
    if let Some(m) = &r.matched {
        for alt in &m.alternatives {
            let ids: Vec<&str> = alt.iter().map(|f| f.as_str()).collect();
            let _ = writeln!(
                o,
                "  {} {}",
                "equally small alternative:".dimmed(),
                ids.join(", ")
            );
        }
    }
    // Red is what the client sent, green what the server expects: the change to make reads
    // from `-` to `+`, as in any diff.
    let _ = writeln!(
        o,
        "\n{}  ({} your client, {} server / RFC 5849)",
        "Base string, by component".bold(),
        "-".red(),
        "+".green()
    );
    component_diff(o, &r.expected_components, &r.matched_components);
    if let (Some(e), Some(m)) = (&r.expected, &r.matched) {
        let server = r.server_signs.as_deref().unwrap_or(&e.base_string);
        let _ = writeln!(o, "\n  {} {server}", "server signs:".dimmed());
        let _ = writeln!(o, "  {} {}", "you signed:  ".dimmed(), m.base_string);
    }
}

/// The component diff, `-` (red) what the client signed, `+` (green) what the server
/// expects, folded to the terminal: the one renderer explain and probe findings share.
pub fn component_diff(o: &mut String, server: &[Component], client: &[Component]) {
    let width = super::layout::width();
    for line in diff(server, client) {
        match line {
            Line::Same(c) => {
                let _ = writeln!(o, "    {:<6} {}", c.label, c.text.dimmed());
            }
            Line::OnlyRfc(c) => {
                let segs = [Segment {
                    changed: false,
                    text: c.text,
                }];
                diff_line(o, (Side::Server, true), c.label, &segs, width);
            }
            Line::OnlyClient(c) => {
                let segs = [Segment {
                    changed: false,
                    text: c.text,
                }];
                diff_line(o, (Side::Client, true), c.label, &segs, width);
            }
            Line::Changed { label, rfc, client } => {
                diff_line(o, (Side::Client, false), label, &client, width);
                diff_line(o, (Side::Server, false), label, &rfc, width);
            }
        }
    }
}

/// Which side of the diff a line shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Client,
    Server,
}

/// One diff line, folded to `width` when it is wider; without colour, each piece is followed
/// by carets under its differing characters, so the carets stay under what they mark. A
/// `whole` line exists on one side only: all of it is coloured, and carets would add nothing.
fn diff_line(
    o: &mut String,
    (side, whole): (Side, bool),
    label: &str,
    segs: &[Segment],
    width: Option<usize>,
) {
    let sign = match side {
        Side::Client => "-".red(),
        Side::Server => "+".green(),
    };
    let prefix_len = 11;
    let total: usize = segs.iter().map(|s| s.text.chars().count()).sum();
    let room = match width {
        Some(w) if prefix_len + total > w => w.saturating_sub(prefix_len + 1).max(10),
        _ => usize::MAX,
    };
    let pieces = split_segments(segs, room);
    let colour = colored::control::SHOULD_COLORIZE.should_colorize();
    for (k, piece) in pieces.iter().enumerate() {
        let fold = if k + 1 < pieces.len() {
            super::layout::FOLD.to_string()
        } else {
            String::new()
        };
        let text = match (whole, side) {
            (false, _) => segments(piece, side),
            (true, Side::Client) => segments(piece, side).red().to_string(),
            (true, Side::Server) => segments(piece, side).green().to_string(),
        };
        if k == 0 {
            let _ = writeln!(o, "  {sign} {label:<6} {text}{fold}");
        } else {
            let _ = writeln!(o, "           {text}{fold}");
        }
        let marks = carets(piece);
        if !colour && !whole && !marks.is_empty() {
            let _ = writeln!(o, "           {marks}");
        }
    }
}

/// Cuts runs into pieces of at most `room` characters, keeping each run's mark.
fn split_segments(segs: &[Segment], room: usize) -> Vec<Vec<Segment>> {
    let mut pieces = vec![Vec::new()];
    let mut used = 0;
    for s in segs {
        let mut rest: Vec<char> = s.text.chars().collect();
        while !rest.is_empty() {
            if used == room {
                pieces.push(Vec::new());
                used = 0;
            }
            let take = rest.len().min(room - used);
            let text: String = rest.drain(..take).collect();
            used += take;
            if let Some(p) = pieces.last_mut() {
                p.push(Segment {
                    changed: s.changed,
                    text,
                });
            }
        }
    }
    pieces
}

fn segments(segs: &[Segment], side: Side) -> String {
    segs.iter()
        .map(|s| match (s.changed, side) {
            (false, _) => s.text.normal().to_string(),
            (true, Side::Server) => s.text.black().on_green().to_string(),
            (true, Side::Client) => s.text.black().on_red().to_string(),
        })
        .collect()
}

fn carets(segs: &[Segment]) -> String {
    let mut line = String::new();
    for s in segs {
        let mark = if s.changed { '^' } else { ' ' };
        line.extend(std::iter::repeat_n(mark, s.text.chars().count()));
    }
    line.trim_end().to_string()
}

fn valid(o: &mut String, r: &ExplainReport) {
    let _ = writeln!(
        o,
        "\nThe client is right: this signature is exactly what RFC 5849 gives for the request as sent. \
         If the server still answers \"invalid signature\", it rebuilds a different URL from its own \
         configuration (scheme, host, port or path behind a proxy or load balancer), or the secret \
         it holds differs from yours. Run `sigdoctor probe <URL>` to find what it signs, or \
         `sigdoctor check <URL>` in CI."
    );
    if let Some(e) = &r.expected {
        let _ = writeln!(o, "\n  {} {}", "base string:".dimmed(), e.base_string);
    }
}

fn unexplained(o: &mut String, r: &ExplainReport) {
    if let Some(e) = &r.expected {
        let _ = writeln!(o, "\n{}", "RFC 5849 for the request as sent".bold());
        let _ = writeln!(o, "  base string: {}", e.base_string);
        let _ = writeln!(o, "  signature:   {}", e.signature);
        let _ = writeln!(
            o,
            "  captured:    {}",
            r.request.signature.as_deref().unwrap_or("")
        );
    }
    let _ = writeln!(o, "\n{}", "What to check next".bold());
    if let Some(fp) = &r.secret_fingerprint {
        let _ = writeln!(
            o,
            "  - The secret: is it the one the client used? sigdoctor was given {fp}."
        );
    }
    let _ = writeln!(
        o,
        "  - The key pair: does the consumer key `{}` belong to this secret?",
        r.request.consumer_key.as_deref().unwrap_or("")
    );
    let _ = writeln!(
        o,
        "  - The token secret, if the client is 3-legged (--token-secret)."
    );
    let _ = writeln!(o, "  - A client library whose mistake sigdoctor does not model yet: try --max-faults {} or --host-alias NAME.", r.max_faults + 1);
}

fn unverifiable(o: &mut String) {
    let _ = writeln!(
        o,
        "\nGive the consumer secret (--consumer-secret env:VAR, or SIGDOCTOR_CONSUMER_SECRET) to \
         verify the signature and search for the client's mistake."
    );
}

fn alteryx(o: &mut String, r: &ExplainReport) {
    let _ = writeln!(o, "\n{}", "Alteryx Gallery".bold());
    match r.verdict {
        Verdict::Valid => {
            let _ = writeln!(
                o,
                "  The Gallery signs against its Base Address (System Settings > Gallery > Base Address), \
                 not the URL you called. If they differ in scheme, host, port or path, every request fails. \
                 `sigdoctor probe` finds the Base Address it uses."
            );
        }
        Verdict::Unexplained => {
            let url = r.request.url.to_ascii_lowercase();
            if url.contains("/api/admin/") {
                let _ = writeln!(
                    o,
                    "  This request goes to the admin API (api/admin/...): sign it with the admin key \
                     pair of a Gallery administrator, not a subscription's keys."
                );
            } else if url.contains("/api/v1/") {
                let _ = writeln!(
                    o,
                    "  This request goes to the subscription API (api/v1/...): sign it with the key pair \
                     of a subscription (the user's API keys), not the admin keys."
                );
            }
            let _ = writeln!(
                o,
                "  Subscription endpoints (api/v1/...) take the key pair of a studio subscription; \
                 admin endpoints (api/admin/...) take the admin key pair. A pair from the other \
                 family fails with \"invalid signature\"."
            );
        }
        _ => {}
    }
    let _ = writeln!(
        o,
        "  Alteryx Server 2022.1 and later removed OAuth 1.0a from the new /webapi/ (OAuth 2 only); \
         the legacy /gallery/api/ endpoints keep it."
    );
}

fn plural(n: usize, word: &str) -> String {
    match (n, word.strip_suffix("is")) {
        (1, _) => format!("1 {word}"),
        (_, Some(stem)) => format!("{n} {stem}es"),
        _ => format!("{n} {word}s"),
    }
}
