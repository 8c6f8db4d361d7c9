//! The probe report (plain data, SPEC section 3 `sigdoctor.probe.v1`) and its renderers:
//! a human table, JSON, and JUnit XML for `check`.
//!
//! JSON fields are exactly SPEC's, plus `findings` (why a verdict is what it is: a script
//! needs the reason for "inconclusive" as much as a person does).

use std::fmt::Write as _;

use colored::Colorize;
use serde::Serialize;

use crate::error::exit;

/// The outcome of a probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The request as the user sends it authenticates.
    Ok,
    /// Another base URI authenticates: the server signs something else.
    Mismatch,
    /// Nothing authenticated, or the server cannot be judged.
    Inconclusive,
    /// No answer: network or TLS failure.
    Unreachable,
}

impl Verdict {
    /// SPEC section 2 exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Ok => exit::OK,
            Self::Mismatch => exit::FOUND,
            Self::Inconclusive => exit::INCONCLUSIVE,
            Self::Unreachable => exit::UNREACHABLE,
        }
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Mismatch => "mismatch",
            Self::Inconclusive => "inconclusive",
            Self::Unreachable => "unreachable",
        }
    }
}

/// The variant that authenticated.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Authenticated {
    /// Its base string URI.
    pub signed_uri: String,
    /// Deployment fault ids (SPEC section 5) it differs from the called URL by.
    pub faults: Vec<String>,
}

/// One request of the sweep.
#[derive(Clone, Debug, Serialize)]
pub struct ProbeRow {
    /// The base string URI signed.
    pub signed_uri: String,
    /// HTTP status; null when nothing answered.
    pub status: Option<u16>,
    /// Whether it authenticated.
    pub authenticated: bool,
    /// Round-trip time in milliseconds.
    pub elapsed_ms: f64,
    /// The server's own reason for a refusal, one line (`oauth_problem`, the body's message).
    pub reason: Option<String>,
    /// What the reason is about: signature, nonce, timestamp, unknown-key, token, method.
    pub reason_class: Option<super::reason::ReasonClass>,
    /// A repaired secret signed this probe (`trimmed`, `without trailing &`), not the given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'static str>,
}

/// A reason behind the verdict, with what to do.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// Stable id (a deployment fault id, or `unknown-consumer-key`, `no-verification`...).
    pub id: String,
    /// What was seen.
    pub message: String,
    /// What to do, if anything.
    pub fix: Option<String>,
    /// The base string the user's client signs (for the diff; no secret in it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_base_string: Option<String>,
    /// The base string the server accepted, or revealed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_base_string: Option<String>,
}

/// A probe's result.
#[derive(Clone, Debug, Serialize)]
pub struct ProbeReport {
    /// `sigdoctor.probe.v1`.
    pub schema: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// The URL as given.
    pub target: String,
    /// The provider profile the target was probed under (`alteryx`, `woocommerce`...).
    pub profile: &'static str,
    /// Every request sent (controls and retries included).
    pub requests_sent: usize,
    /// The authenticating variant.
    pub authenticated: Option<Authenticated>,
    /// The Base Address the server signs against (alteryx), inferred.
    pub base_address: Option<String>,
    /// Server clock minus ours, from the `Date` header.
    pub clock_skew_seconds: Option<f64>,
    /// The sweep, in sending order.
    pub probes: Vec<ProbeRow>,
    /// Why the verdict is what it is.
    pub findings: Vec<Finding>,
    /// Search statistics for `-v` (stderr only; not part of the JSON contract).
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl ProbeReport {
    /// An empty report for `target`.
    pub fn new(target: &str) -> Self {
        Self {
            schema: "sigdoctor.probe.v1",
            verdict: Verdict::Inconclusive,
            target: target.to_string(),
            profile: "generic",
            requests_sent: 0,
            authenticated: None,
            base_address: None,
            clock_skew_seconds: None,
            probes: Vec::new(),
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a finding.
    pub fn find(&mut self, id: &str, message: impl Into<String>, fix: Option<String>) {
        self.findings.push(Finding {
            id: id.to_string(),
            message: message.into(),
            fix,
            client_base_string: None,
            server_base_string: None,
        });
    }

    /// Attaches the two base strings to the last finding.
    pub fn with_base_strings(&mut self, client: String, server: String) {
        if let Some(f) = self.findings.last_mut() {
            f.client_base_string = Some(client);
            f.server_base_string = Some(server);
        }
    }

    /// SPEC exit code.
    pub fn exit_code(&self) -> u8 {
        self.verdict.exit_code()
    }

    /// One line saying what the verdict means, for summaries and JUnit messages.
    pub fn summary(&self) -> String {
        match self.verdict {
            Verdict::Ok => "the request as called authenticates".into(),
            _ => self
                .findings
                .first()
                .map(|f| f.message.clone())
                .unwrap_or_else(|| self.verdict.as_str().to_string()),
        }
    }
}

/// The human report of `probe`: verdict, table of probes, findings with their fixes.
pub fn human(r: &ProbeReport, verbose: bool) -> String {
    human_as(r, verbose, "probe")
}

/// The reason column: one line already, cut to fit beside the URI.
fn cell(reason: Option<&str>) -> String {
    let r = reason.unwrap_or("");
    if r.chars().count() > 48 {
        format!("{}...", r.chars().take(45).collect::<String>())
    } else {
        r.to_string()
    }
}

/// The human report under `command`'s name (`check` reports say check).
pub fn human_as(r: &ProbeReport, verbose: bool, command: &str) -> String {
    let mut out = String::new();
    let verdict = match r.verdict {
        Verdict::Ok => "ok".green().bold(),
        Verdict::Mismatch => "mismatch".yellow().bold(),
        Verdict::Inconclusive => "inconclusive".red().bold(),
        Verdict::Unreachable => "unreachable".red().bold(),
    };
    let _ = writeln!(out, "{command} {}: {verdict}", r.target);
    if !r.probes.is_empty() {
        // The URI column shrinks to what the terminal leaves (the other columns take 36),
        // cut in the middle so host and endpoint both stay visible.
        let room =
            crate::report::layout::width().map_or(usize::MAX, |w| w.saturating_sub(36).max(20));
        let width = r
            .probes
            .iter()
            .map(|p| p.signed_uri.chars().count() + p.secret.map_or(0, |v| v.len() + 10))
            .max()
            .unwrap_or(10)
            .clamp(10, room);
        let _ = writeln!(
            out,
            "\n  {:<width$}  {:>6}  {:<13}  {:>9}  server's reason",
            "signed URI", "status", "authenticated", "latency"
        );
        let shown = if verbose { r.probes.len() } else { 40 };
        let mut previous: Option<&str> = None;
        for p in r.probes.iter().take(shown) {
            // A reason repeated row after row is shown once, then marked as the same.
            let reason = match (p.reason.as_deref(), previous) {
                (Some(now), Some(before)) if now == before => "\"".to_string(),
                (now, _) => cell(now),
            };
            previous = p.reason.as_deref();
            let status = p.status.map_or("-".to_string(), |s| s.to_string());
            let auth = if p.authenticated {
                "yes".green().to_string()
            } else {
                "no ".to_string()
            };
            let uri = match p.secret {
                Some(v) => format!("{} [secret {v}]", p.signed_uri),
                None => p.signed_uri.clone(),
            };
            let _ = writeln!(
                out,
                "  {:<width$}  {:>6}  {:<13}  {:>7.1}ms  {}",
                crate::report::layout::middle_truncate(&uri, width),
                status,
                auth,
                p.elapsed_ms,
                reason
            );
        }
        if r.probes.len() > shown {
            let _ = writeln!(out, "  ... {} more (-v shows all)", r.probes.len() - shown);
        }
    }
    let _ = writeln!(out, "\n  requests sent: {}", r.requests_sent);
    if let Some(skew) = r.clock_skew_seconds {
        let _ = writeln!(out, "  server clock: {skew:+.0} s from ours");
    }
    if let Some(a) = &r.authenticated {
        let _ = writeln!(out, "  authenticates: {}", a.signed_uri.bold());
        if !a.faults.is_empty() {
            let _ = writeln!(out, "  faults: {}", a.faults.join(", "));
        }
    }
    if let Some(b) = &r.base_address {
        let _ = writeln!(out, "  server Base Address: {b}");
    }
    for f in &r.findings {
        let _ = writeln!(out, "\n  [{}] {}", f.id.cyan(), f.message);
        if let Some(fix) = &f.fix {
            // Numbered next steps (inconclusive) read best one per line.
            let mut fix = fix.clone();
            if fix.starts_with("next, most likely first: 1. ") {
                for i in 1..10 {
                    fix = fix.replace(&format!(" {i}. "), &format!("\n       {i}. "));
                }
            }
            let _ = writeln!(out, "  fix: {fix}");
        }
        if let (Some(client), Some(server)) = (&f.client_base_string, &f.server_base_string) {
            use crate::report::diff::components_of;
            let _ = writeln!(
                out,
                "\n  base string, by component ({} your client, {} the server)",
                "-".red(),
                "+".green()
            );
            crate::report::human::component_diff(
                &mut out,
                &components_of(server),
                &components_of(client),
            );
        }
    }
    out
}

/// The JSON report (one object; SPEC section 3).
pub fn json(r: &ProbeReport) -> String {
    serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// One `check` result for JUnit: a target's report, or the error that stopped it.
pub struct CheckResult {
    /// The target's name (its URL).
    pub name: String,
    /// The report, or the runtime error.
    pub outcome: Result<ProbeReport, String>,
    /// A failed `--expect-base-address` assertion.
    pub assertion: Option<String>,
}

/// JUnit XML: one testcase per check; negative outcomes are `<failure>`, runtime problems
/// (unreachable, bad input) `<error>`, as hurl maps them.
pub fn junit(results: &[CheckResult]) -> String {
    use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
    let mut suite = TestSuite::new("sigdoctor check");
    for c in results {
        let status = match (&c.outcome, &c.assertion) {
            (Err(e), _) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(e.clone()).set_type("error");
                s
            }
            (Ok(r), _) if r.verdict == Verdict::Unreachable => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(r.summary()).set_type("unreachable");
                s
            }
            (Ok(r), a) if r.verdict != Verdict::Ok || a.is_some() => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let msg = a.clone().unwrap_or_else(|| r.summary());
                s.set_message(msg)
                    .set_type(r.verdict.as_str())
                    .set_description(human_as(r, false, "check"));
                s
            }
            _ => TestCaseStatus::success(),
        };
        let mut case = TestCase::new(c.name.clone(), status);
        case.set_classname("sigdoctor.check");
        suite.add_test_case(case);
    }
    let mut report = Report::new("sigdoctor");
    report.add_test_suite(suite);
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- junit: {e} -->"))
}
