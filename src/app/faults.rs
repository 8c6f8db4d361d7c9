//! `sigdoctor faults [ID]`: the fault catalogue from the terminal, like `rustc --explain`.
//!
//! The text is `docs/faults.md` (the catalogue the project keeps), compiled in: its tables
//! give each id's transform and field evidence, so the terminal and the document cannot
//! disagree. The fix of a client fault comes from [`crate::search::Fault::fix`], the one the
//! explain report prints; deployment faults and lints carry theirs here.

use std::fmt::Write;

use crate::cli::{Client, FaultsArgs, GlobalArgs};
use crate::error::Error;
use crate::report::client_fix;
use crate::report::layout;
use crate::search::Fault;

/// The catalogue document.
pub const FAULTS_MD: &str = include_str!("../../docs/faults.md");

/// What kind of finding an id is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A client fault (explain).
    Client,
    /// A deployment fault (probe, check).
    Deployment,
    /// A lint (explain, no secret needed).
    Lint,
}

impl Kind {
    fn title(self) -> &'static str {
        match self {
            Self::Client => "Client faults (explain: the client built another base string or key)",
            Self::Deployment => "Deployment faults (probe, check: the server signs another URL)",
            Self::Lint => "Lints (explain, no secret needed)",
        }
    }
}

/// One catalogue entry.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Stable id.
    pub id: String,
    /// Client, deployment or lint.
    pub kind: Kind,
    /// How it shows in the base string or the request (the transform).
    pub looks: String,
    /// Field evidence: which tools and threads are known to do it.
    pub known: String,
}

/// Every entry of [`FAULTS_MD`]: the client and deployment tables, then the lints paragraph.
pub fn entries() -> Vec<Entry> {
    let mut out = Vec::new();
    let mut section = None;
    let mut lint_text = String::new();
    for line in FAULTS_MD.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            section = match h {
                h if h.starts_with("Client faults") => Some(Kind::Client),
                h if h.starts_with("Deployment faults") => Some(Kind::Deployment),
                h if h.starts_with("Lints") => Some(Kind::Lint),
                _ => None,
            };
            continue;
        }
        match section {
            Some(Kind::Lint) => {
                lint_text.push_str(line);
                lint_text.push(' ');
            }
            Some(kind) => {
                let cells: Vec<&str> = line
                    .split(" | ")
                    .map(|c| c.trim_matches(['|', ' ']))
                    .collect();
                let id = cells.first().copied().unwrap_or("");
                let kebab = !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                if kebab && cells.len() >= 3 && id != "id" {
                    out.push(Entry {
                        id: id.to_string(),
                        kind,
                        looks: cells[1].to_string(),
                        known: cells[2..].join(" | "),
                    });
                }
            }
            None => {}
        }
    }
    out.extend(lints(&lint_text));
    for (id, looks, _) in PROVIDER_LINTS {
        out.push(Entry {
            id: id.to_string(),
            kind: Kind::Lint,
            looks: looks.to_string(),
            known: String::new(),
        });
    }
    out
}

#[rustfmt::skip]
/// The provider profiles' lints (src/profile/lints.rs): id, what it flags, the fix.
const PROVIDER_LINTS: &[(&str, &str, &str)] = &[
    ("provider-signature-method", "the provider does not verify the declared oauth_signature_method", "Sign with a method the provider accepts (`sigdoctor sign` picks it)."),
    ("netsuite-hmac-sha1", "NetSuite TBA refuses HMAC-SHA1 since 2021.1", "Sign with HMAC-SHA256."),
    ("netsuite-realm-format", "realm missing, or not the account id upper-cased with `_`", "Set realm to the account id, upper case, `-` written `_` (1234567_SB1)."),
    ("netsuite-realm-signed", "realm signed among the parameters", "Send realm only in the Authorization header, unsigned."),
    ("woocommerce-oauth-over-https", "OAuth 1.0a over https, where WooCommerce expects Basic auth", "Over https send the keys as Basic auth; use OAuth 1.0a only over http."),
    ("woocommerce-www-host", "the host differs from the Site Address by `www.`", "Call the site exactly as Settings > General > Site Address writes it."),
    ("woocommerce-timestamp-window", "oauth_timestamp outside WooCommerce's window", "Sign with the current Unix time in seconds; keep the clock in sync."),
    ("lti-launch-not-form", "LTI 1.1 launch fields outside a form POST body", "POST the launch as a form with every lti_* field in the body."),
    ("lti-callback-missing", "no oauth_callback in an LTI launch", "Send oauth_callback=about:blank among the signed fields."),
    ("magento-hmac-sha1", "Magento 2.4 integrations refuse HMAC-SHA1", "Sign with HMAC-SHA256."),
    ("magento-brackets-unencoded", "raw `[` `]` in searchCriteria query names", "Percent-encode the brackets in the URL you send and sign."),
    ("twitter-v2-app-only", "an X API v2 endpoint that takes OAuth 2 app-only auth only", "Call it with the app's Bearer token."),
    ("flickr-http", "Flickr over http", "Call and sign https://api.flickr.com/..."),
    ("flickr-api-sig", "the legacy api_sig sent with OAuth", "Drop api_sig (and auth_token)."),
    ("jira-not-rsa", "Jira / Confluence application links verify RSA-SHA1 only", "Sign with RSA-SHA1 and the consumer's private key."),
];

/// The lints paragraph: "`id` (what)" items separated by commas.
fn lints(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('`') else { break };
        let id = &after[..end];
        rest = &after[end + 1..];
        let kebab = id.starts_with(|c: char| c.is_ascii_lowercase())
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !kebab || !id.contains('-') {
            continue;
        }
        let looks = rest
            .trim_start()
            .strip_prefix('(')
            .and_then(|r| r.find(')').map(|e| r[..e].to_string()))
            .unwrap_or_default();
        if out.iter().any(|e: &Entry| e.id == id) {
            continue;
        }
        out.push(Entry {
            id: id.to_string(),
            kind: Kind::Lint,
            looks: if looks.is_empty() {
                lint_gloss(id).to_string()
            } else {
                looks
            },
            known: String::new(),
        });
    }
    out
}

/// What a lint is about, where the catalogue's paragraph gives no gloss.
fn lint_gloss(id: &str) -> &'static str {
    match id {
        "missing-oauth-param" => "a required oauth_* parameter is absent",
        "bad-oauth-version" => "oauth_version is present but not `1.0`",
        "default-port-in-url" => "the URL carries `:443` (https) or `:80` (http)",
        "duplicate-oauth-param" => "an oauth_* parameter appears twice",
        _ => "",
    }
}

/// The fix for an id: client faults from the search's table, others from here.
pub fn fix(id: &str) -> String {
    if let Some(f) = Fault::from_id(id) {
        return f.fix().to_string();
    }
    if let Some((_, _, fix)) = PROVIDER_LINTS.iter().find(|(i, _, _)| *i == id) {
        return fix.to_string();
    }
    match id {
        "base-address-scheme" => "Set the Base Address (System Settings > Gallery) to the scheme clients call, usually https; behind a TLS-terminating load balancer that is https.",
        "base-address-port" => "Set the Base Address without a port for 443/80, or with the port clients really call.",
        "base-address-host" => "Set the Base Address to the DNS name clients call, not the machine name, an IP or localhost.",
        "base-address-path" => "Set the Base Address path to the one clients call (the same virtual directory, trailing slash included).",
        "clock-skew" => "Synchronise the client's and the server's clocks (NTP); send oauth_timestamp in seconds, UTC.",
        "timestamp-skew" | "timestamp-timezone" => "Send the current Unix time in seconds, UTC, and keep the clock synchronised.",
        "timestamp-milliseconds" => "Send oauth_timestamp in seconds (10 digits), not milliseconds.",
        "missing-oauth-param" => "Send every required oauth_* parameter: consumer_key, signature_method, signature, timestamp, nonce.",
        "bad-oauth-version" => "Send oauth_version=1.0, or leave it out.",
        "default-port-in-url" => "Call and sign the URL without `:443` / `:80`.",
        "duplicate-oauth-param" => "Send each oauth_* parameter once (query, header or body, not two of them).",
        "signature-shape" => "Send the base64 of the raw HMAC digest, percent-encoded once.",
        "json-body" => "A JSON body is never signed: sign the URL's parameters only, and send Content-Type: application/json.",
        "nonce-unsafe-chars" => "Draw the nonce from letters and digits only.",
        "oauth1-removed" => "Alteryx Server 2022.1+ /webapi/ takes OAuth 2 (Bearer tokens); call /gallery/api/ for OAuth 1.0a.",
        _ => "",
    }
    .to_string()
}

/// Runs `faults`: the list, or one entry in full.
pub fn run(args: FaultsArgs, global: &GlobalArgs) -> Result<u8, Error> {
    crate::app::setup_color(global);
    let all = entries();
    let width = layout::width();
    let text = match &args.id {
        None => list(&all, width),
        Some(id) => {
            let id = id.trim().to_ascii_lowercase();
            let e = all.iter().find(|e| e.id == id).ok_or_else(|| {
                let near = layout::closest(&id, all.iter().map(|e| e.id.as_str()));
                Error::input(match near {
                    Some(n) => format!("unknown fault id `{id}`; did you mean `{n}`? (`sigdoctor faults` lists them)"),
                    None => format!("unknown fault id `{id}` (`sigdoctor faults` lists them)"),
                })
            })?;
            detail(e, width)
        }
    };
    crate::app::emit(&text)?;
    Ok(0)
}

fn list(all: &[Entry], width: Option<usize>) -> String {
    let mut o = String::new();
    for kind in [Kind::Client, Kind::Deployment, Kind::Lint] {
        let _ = writeln!(o, "{}", kind.title());
        for e in all.iter().filter(|e| e.kind == kind) {
            let _ = writeln!(o, "  {:<32} {}", e.id, layout::strip_ticks(&e.looks));
        }
        o.push('\n');
    }
    o.push_str(
        "`sigdoctor faults ID` shows one in full: how it looks, the fix, who is known to do it.\n",
    );
    layout::fit(&o, width)
}

fn detail(e: &Entry, width: Option<usize>) -> String {
    let mut o = String::new();
    let kind = match e.kind {
        Kind::Client => "client fault (explain)",
        Kind::Deployment => "deployment fault (probe, check)",
        Kind::Lint => "lint (explain, no secret needed)",
    };
    let _ = writeln!(o, "{}: {kind}", e.id);
    if let Some(f) = Fault::from_id(&e.id) {
        let _ = writeln!(
            o,
            "  axis: {} (faults of one axis exclude each other)",
            f.axis()
        );
    }
    let _ = writeln!(o, "\nHow it looks\n  {}", e.looks);
    let fix = fix(&e.id);
    if !fix.is_empty() {
        let _ = writeln!(o, "\nThe fix\n  {fix}");
    }
    let tools: Vec<(Client, String)> = client_fix::all_for(&e.id);
    if !tools.is_empty() {
        let _ = writeln!(o, "\nIn your tool");
        for (c, text) in tools {
            let _ = writeln!(o, "  {}: {text}", client_fix::name(c));
        }
    }
    if !e.known.is_empty() {
        let _ = writeln!(o, "\nKnown to do it\n  {}", e.known);
    }
    layout::fit(&o, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lint_in_the_sources_is_catalogued() {
        let src = concat!(
            include_str!("../lint.rs"),
            include_str!("../profile/lints.rs")
        );
        let all = entries();
        for line in src.lines() {
            let t = line.trim();
            let Some(id) = t.strip_prefix('"').and_then(|r| r.strip_suffix("\",")) else {
                continue;
            };
            if id.contains('-')
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                assert!(
                    all.iter().any(|e| e.id == id),
                    "lint {id} missing from `sigdoctor faults`"
                );
            }
        }
    }

    #[test]
    fn every_enum_fault_is_in_the_document() {
        let all = entries();
        for f in Fault::ALL {
            assert!(
                all.iter().any(|e| e.id == f.as_str()),
                "{f} missing from docs/faults.md"
            );
        }
        for id in [
            "base-address-scheme",
            "clock-skew",
            "timestamp-skew",
            "oauth1-removed",
            "json-body",
        ] {
            assert!(all.iter().any(|e| e.id == id), "{id}");
        }
        assert!(all.iter().filter(|e| e.kind == Kind::Deployment).count() == 5);
    }
}
