//! What a run of `probe` or `check` must produce, and how an outcome is held against it.

use serde_json::Value;

/// What a case must produce.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    pub verdict: &'static str,
    pub exit: i32,
    /// `authenticated.faults`, in order (empty for `ok`).
    pub faults: Vec<&'static str>,
    /// `authenticated.signed_uri`: the base URI the server really signs.
    pub signed_uri: Option<String>,
    /// The id of the first finding: the real cause.
    pub first_finding: Option<&'static str>,
    /// Text the findings must carry (the fix that names the cause).
    pub needle: Option<String>,
    /// What the refusals of a mismatch are about (`probes[].reason_class`); default signature.
    pub refusals: Option<&'static str>,
    /// The first finding (not just any) must carry the needle.
    pub needle_in_first: bool,
    /// Most requests the sweep may take (a body that shows the server's base string ends it).
    pub max_requests: Option<u64>,
    /// The first candidate the sweep sends after the request as called (`--base-uri` first).
    pub first_candidate: Option<String>,
    /// Another outcome that is right too (judged when this one is not met).
    pub or: Option<Box<Expect>>,
}

/// The request as the user sends it authenticates.
pub fn ok() -> Expect {
    Expect {
        verdict: "ok",
        exit: 0,
        ..Expect::default()
    }
}

/// Another base URI or key authenticates; the first finding is its first fault.
pub fn mismatch(faults: &[&'static str], signed_uri: String, needle: &str) -> Expect {
    Expect {
        verdict: "mismatch",
        exit: 1,
        faults: faults.to_vec(),
        signed_uri: Some(signed_uri),
        first_finding: faults.first().copied(),
        needle: Some(needle.to_string()),
        ..Expect::default()
    }
}

/// Nothing authenticates (or nothing answers); some finding names the flag that helps.
pub fn not_found(verdict: &'static str, exit: i32, needle: &str) -> Expect {
    Expect {
        verdict,
        exit,
        needle: Some(needle.to_string()),
        ..Expect::default()
    }
}

/// What one run gave.
pub struct Outcome {
    pub exit: i32,
    pub json: Value,
    pub stdout: String,
    pub stderr: String,
}

/// Every disagreement with `e`, not just the first.
pub fn judge_one(e: &Expect, o: &Outcome) -> Vec<String> {
    let j = &o.json;
    let mut bad = Vec::new();
    if j.is_null() {
        return vec![format!(
            "no JSON on stdout (exit {}): {} {}",
            o.exit,
            o.stdout.trim(),
            o.stderr.trim()
        )];
    }
    if o.exit != e.exit {
        bad.push(format!("exit {} (expected {})", o.exit, e.exit));
    }
    if j["verdict"] != e.verdict {
        bad.push(format!("verdict {} (expected {})", j["verdict"], e.verdict));
    }
    let sent = j["requests_sent"].as_u64().unwrap_or(0);
    let rows = j["probes"].as_array().map_or(0, Vec::len) as u64;
    let reached = e.verdict != "unreachable";
    if reached && (sent == 0 || sent < rows) {
        bad.push(format!("requests_sent {sent} with {rows} probes listed"));
    }
    if let Some(max) = e.max_requests {
        if sent > max {
            bad.push(format!("requests_sent {sent} (at most {max})"));
        }
    }
    if let Some(first) = &e.first_candidate {
        let probes = j["probes"].as_array().cloned().unwrap_or_default();
        let called = probes.first().map(|p| p["signed_uri"].clone());
        let next = probes
            .iter()
            .find(|p| Some(&p["signed_uri"]) != called.as_ref());
        if next.map(|p| &p["signed_uri"]) != Some(&Value::from(first.as_str())) {
            bad.push(format!(
                "first candidate sent {:?} (expected {first})",
                next.map(|p| &p["signed_uri"])
            ));
        }
    }
    // Every refusal carries the server's own words, and is read for what it is about: in a
    // sweep for a URL or key fault, the signature (not a nonce, not a timestamp).
    let refusals: Vec<&Value> = j["probes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|row| row["status"] == 401)
        .collect();
    let silent = refusals
        .iter()
        .filter(|row| row["reason"].as_str().is_none_or(|r| r.trim().is_empty()))
        .count();
    if silent > 0 {
        bad.push(format!(
            "{silent} of {} refusals without the server's reason (probes[].reason)",
            refusals.len()
        ));
    }
    let class = e.refusals.unwrap_or("signature");
    let misread: Vec<&Value> = refusals
        .iter()
        .filter(|row| !row["reason_class"].is_null() && row["reason_class"] != class)
        .copied()
        .collect();
    if e.verdict == "mismatch" && !misread.is_empty() {
        bad.push(format!(
            "{} {class} refusals classified otherwise, e.g. {} for {}",
            misread.len(),
            misread[0]["reason_class"],
            misread[0]["reason"]
        ));
    }
    let faults: Vec<&str> = j["authenticated"]["faults"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if faults != e.faults {
        bad.push(format!("faults {faults:?} (expected {:?})", e.faults));
    }
    if let Some(uri) = &e.signed_uri {
        if j["authenticated"]["signed_uri"] != uri.as_str() {
            bad.push(format!(
                "signed_uri {} (expected {uri})",
                j["authenticated"]["signed_uri"]
            ));
        }
    }
    let findings = j["findings"].as_array().cloned().unwrap_or_default();
    if let Some(id) = e.first_finding {
        if findings.first().map(|f| &f["id"]) != Some(&Value::from(id)) {
            let ids: Vec<&Value> = findings.iter().map(|f| &f["id"]).collect();
            bad.push(format!("first finding {ids:?} (expected {id})"));
        }
    }
    if let Some(needle) = &e.needle {
        // The cause is named by the first finding when one is expected, else by any.
        let scope = if e.first_finding.is_some() || e.needle_in_first {
            &findings[..findings.len().min(1)]
        } else {
            &findings[..]
        };
        if !scope
            .iter()
            .any(|f| f.to_string().contains(needle.as_str()))
        {
            bad.push(format!("no finding mentions `{needle}`: {findings:?}"));
        }
    }
    bad
}
