//! The plan: which URL to call, and every base URI the server might sign instead.
//!
//! A server rebuilds the URL it signs from its own configuration (the Alteryx Base Address, a
//! proxy that terminated TLS), so each candidate is "the request as called, but signed over
//! another URL". A candidate is a [`RawUrl`] plus a [`UriForm`] (RFC-normalised, or literal
//! for servers that sign their configured address as written, `:443` and all), and its base
//! URI is computed by the RFC 5849 core only. Candidates are de-duplicated by the bytes of
//! that base URI and ordered by how often the field sees each fault, so the usual suspects
//! (scheme, default port, trailing slash) go out in the first round of requests.

use super::sign::SecretVariant;
use crate::cli::Profile;
use crate::error::Error;
use crate::request::url::default_port;
use crate::request::RawUrl;
use crate::rfc5849::base_uri::base_uri;
use crate::rfc5849::{HostForm, PortForm, UriForm};

/// The Alteryx subscription endpoint: cheap and read-only.
pub const ALTERYX_ENDPOINT: &str = "api/v1/workflows/subscription/?limit=1";
/// The Alteryx admin endpoint, for admin keys (`--admin`).
pub const ALTERYX_ADMIN_ENDPOINT: &str = "api/admin/v1/workflows/?limit=1";

/// The URL the probe calls and how it splits into Base Address and endpoint.
#[derive(Clone, Debug)]
pub struct Target {
    /// The URL as the user gave it.
    pub given: String,
    /// The endpoint URL actually requested.
    pub called: RawUrl,
    /// Whether the Alteryx Gallery rules apply (Base Address advice, query placement).
    pub alteryx: bool,
    /// Byte length of the Gallery prefix of `called.path` (`/gallery/`); 0 for generic.
    pub prefix_len: usize,
    /// The resolved profile (a provider's site address gets its read-only endpoint).
    pub profile: Profile,
}

impl Target {
    /// Resolves the profile and, for a Gallery address, appends the read-only endpoint.
    pub fn new(url: &str, profile: Profile, admin: bool) -> Result<Self, Error> {
        let given = without_oauth_params(&RawUrl::parse(url)?)?;
        let resolved = crate::input::resolve_profile(profile, &given);
        let alteryx = resolved == Profile::Alteryx;
        if !alteryx {
            let called = match crate::profile::spec(resolved).probe_url(&given) {
                Some(endpoint) => RawUrl::parse(&endpoint)?,
                None => given,
            };
            return Ok(Self {
                given: url.to_string(),
                called,
                alteryx,
                prefix_len: 0,
                profile: resolved,
            });
        }
        let lower = given.path.to_ascii_lowercase();
        let (called, prefix_len) = if let Some(i) = lower.find("/api/") {
            (given.clone(), i + 1)
        } else {
            let mut path = given.path.clone();
            if !path.ends_with('/') {
                path.push('/');
            }
            let endpoint = if admin {
                ALTERYX_ADMIN_ENDPOINT
            } else {
                ALTERYX_ENDPOINT
            };
            let text = format!("{}{path}{endpoint}", given.origin());
            (RawUrl::parse(&text)?, path.len())
        };
        Ok(Self {
            given: url.to_string(),
            called,
            alteryx,
            prefix_len,
            profile: resolved,
        })
    }

    /// The Gallery prefix of the called path (`/gallery/`).
    pub fn prefix(&self) -> &str {
        &self.called.path[..self.prefix_len]
    }

    /// The endpoint part after the prefix (`api/v1/workflows/subscription/`).
    pub fn rest(&self) -> &str {
        &self.called.path[self.prefix_len..]
    }

    /// The Base Address clients use: the called origin and prefix, RFC-normalised.
    pub fn wanted_base_address(&self) -> Option<String> {
        self.alteryx.then(|| {
            let url = RawUrl::parse(&format!("{}{}", self.called.origin(), self.prefix()));
            url.map(|u| base_uri(&u, &UriForm::default(), &[]))
                .unwrap_or_else(|_| self.prefix().to_string())
        })
    }
}

/// The URL without `oauth_*` query parameters (a signed URL pasted whole): every probe
/// brings its own, and duplicates would change what is signed. Fragments are dropped too.
fn without_oauth_params(url: &RawUrl) -> Result<RawUrl, Error> {
    let Some(q) = &url.query else {
        return Ok(url.clone());
    };
    let kept: Vec<&str> = q
        .split('&')
        .filter(|p| !p.is_empty() && !p.to_ascii_lowercase().starts_with("oauth_"))
        .collect();
    let base = format!("{}{}", url.origin(), url.path);
    let text = if kept.is_empty() {
        base
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    RawUrl::parse(&text)
}

/// One base URI the server may sign against.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The URL signed in place of the called one (query included: it is signed too).
    pub url: RawUrl,
    /// RFC-normalised, or literal (port and host exactly as written).
    pub form: UriForm,
    /// The base string URI this candidate produces: what is de-duplicated and reported.
    pub signed_uri: String,
    /// The Base Address that would make a Gallery sign this (alteryx profile).
    pub base_address: Option<String>,
    /// Whether the endpoint's trailing slash differs (a client-side matter, not a setting).
    pub endpoint_slash_toggled: bool,
    /// Which secret signs (a repaired paste is a key finding).
    pub key: SecretVariant,
    /// Rarity: lower goes first.
    pub cost: u32,
    /// What changed, for people ("scheme http, port :443 kept").
    pub label: String,
}

/// What the plan needs besides the target: names the server may go by, what the user
/// knows of the deployment, and the secret repairs worth a request.
#[derive(Clone, Debug, Default)]
pub struct HostHints {
    /// `--host-alias` names.
    pub aliases: Vec<String>,
    /// `--path-prefix` segments (`api`, `/api`, `api/` all mean `api`).
    pub path_prefixes: Vec<String>,
    /// `--base-uri` URLs, tried before anything else.
    pub base_uris: Vec<String>,
    /// Secret repairs that differ from the secret given.
    pub secret_variants: Vec<SecretVariant>,
    /// DNS names and IPs from the server's TLS certificate.
    pub san_names: Vec<String>,
    /// The address the host resolved to.
    pub resolved_ip: Option<String>,
    /// An https server whose certificate could not be read: the host list is partial.
    pub certificate_unread: bool,
}

// Costs follow faults.md's field frequency; the ones digit orders faults of equal standing.
const C_SCHEME: u32 = 10;
const C_DEFAULT_PORT_KEPT: u32 = 11;
const C_SLASH: u32 = 12;
const C_ALIAS: u32 = 13;
const C_SAN: u32 = 14;
const C_PORT_NONE: u32 = 15;
const C_HOST_GUESS: u32 = 16;
const C_PREFIX_NO_SLASH: u32 = 17;
const C_PORT_OTHER: u32 = 20;
const C_HOST_CASE: u32 = 21;
const C_PREFIX_DOUBLE_SLASH: u32 = 25;
// A prefix the user named is as likely as an alias; guessed rewrites come after the
// common faults, and never mix with a second guess in the first rounds.
pub(crate) const C_BASE_URI: u32 = 1;
// Whitespace around a secret, or an `&` at its end, is almost never meant: a repair goes
// out in the first round, before the URI faults.
const C_SECRET: u32 = 2;
pub(crate) const C_PATH_PREFIX_GIVEN: u32 = 13;
pub(crate) const C_PATH_DROP: u32 = 18;
pub(crate) const C_PATH_REPLACE: u32 = 19;

/// The RFC form, and the literal form of a server that signs its address as configured.
pub(crate) fn forms() -> [(UriForm, &'static str); 2] {
    [
        (UriForm::default(), ""),
        (
            UriForm {
                port: PortForm::AsWritten,
                host: HostForm::AsSent,
                ..UriForm::default()
            },
            " (signed literally)",
        ),
    ]
}

/// The RFC base URI of the request as called: the one candidate the sweep never repeats.
pub fn called_uri(target: &Target) -> String {
    base_uri(&target.called, &UriForm::default(), &[])
}

/// Every candidate, cheapest first, de-duplicated by base URI, the as-called one excluded.
pub fn candidates(target: &Target, hints: &HostHints) -> Vec<Candidate> {
    let called = &target.called;
    let scheme = called.scheme_lower();
    let other = if scheme == "https" { "http" } else { "https" };
    let called_port = called.effective_port();
    let called_default = called_port == default_port(&scheme);

    let mut hosts: Vec<(String, u32, String)> = vec![(called.host.clone(), 0, String::new())];
    if called.host.bytes().any(|b| b.is_ascii_uppercase()) {
        hosts.push((
            called.host.to_ascii_lowercase(),
            C_HOST_CASE,
            "host lower-cased".into(),
        ));
    }
    let mut push_host = |h: &str, cost: u32, why: &str| {
        if !h.is_empty() && !hosts.iter().any(|(x, _, _)| x.eq_ignore_ascii_case(h)) {
            hosts.push((h.to_string(), cost, format!("host {h} ({why})")));
        }
    };
    for a in &hints.aliases {
        push_host(a, C_ALIAS, "--host-alias");
    }
    for s in &hints.san_names {
        push_host(s, C_SAN, "TLS certificate");
    }
    push_host("localhost", C_HOST_GUESS, "the Alteryx default");
    if let Some(ip) = &hints.resolved_ip {
        push_host(ip, C_HOST_GUESS, "resolved address");
    }
    if let Some(label) = first_label(&called.host) {
        push_host(&label, C_HOST_GUESS, "machine name guess");
    }

    let prefix = target.prefix();
    let rest = target.rest();
    let toggled_rest = match rest.strip_suffix('/') {
        Some(r) => r.to_string(),
        None => format!("{rest}/"),
    };
    // (base address path, endpoint path, cost, label, endpoint slash toggled)
    let mut paths: Vec<(String, String, u32, String, bool)> = vec![
        (prefix.into(), rest.into(), 0, String::new(), false),
        (
            prefix.into(),
            toggled_rest.clone(),
            C_SLASH,
            "trailing slash toggled".into(),
            true,
        ),
    ];
    if target.alteryx && prefix.len() > 1 && prefix.ends_with('/') {
        let bare = prefix.trim_end_matches('/').to_string();
        paths.push((
            bare.clone(),
            rest.into(),
            C_PREFIX_NO_SLASH,
            format!("Base Address path {bare} without trailing slash"),
            false,
        ));
        paths.push((
            format!("{prefix}/"),
            rest.into(),
            C_PREFIX_DOUBLE_SLASH,
            format!("Base Address path {prefix}/ (double slash)"),
            false,
        ));
    }

    paths.extend(super::given::path_rewrites(target, &hints.path_prefixes));

    let query = called
        .query
        .as_ref()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let exclude = called_uri(target);
    let mut out: Vec<Candidate> = Vec::new();
    for (sch, sch_cost) in [(scheme.as_str(), 0), (other, C_SCHEME)] {
        let flipped = sch_cost > 0;
        let mut ports: Vec<(Option<String>, u32, String)> = Vec::new();
        // "Same" port: as written when the scheme is kept; across a flip a default port
        // stays the default (what a TLS-terminating proxy does), any other is kept.
        if !flipped {
            ports.push((called.port.clone(), 0, String::new()));
        } else if called_default {
            ports.push((None, 0, String::new()));
        } else {
            ports.push((Some(called_port.to_string()), 0, String::new()));
        }
        let dflt = default_port(sch);
        ports.push((
            Some(dflt.to_string()),
            C_DEFAULT_PORT_KEPT,
            format!("port :{dflt} kept"),
        ));
        if !called_default {
            ports.push((None, C_PORT_NONE, "no port".into()));
        }
        for p in [80u16, 443, 8080, 8443, called_port] {
            ports.push((Some(p.to_string()), C_PORT_OTHER, format!("port :{p}")));
        }
        for (host, host_cost, host_label) in &hosts {
            for (port, port_cost, port_label) in &ports {
                for (base_path, ep, path_cost, path_label, toggled) in &paths {
                    let authority = match port {
                        Some(p) => format!("{sch}://{host}:{p}"),
                        None => format!("{sch}://{host}"),
                    };
                    let text = format!("{authority}{base_path}{ep}{query}");
                    let Ok(url) = RawUrl::parse(&text) else {
                        continue;
                    };
                    let mut labels: Vec<&str> = Vec::new();
                    let scheme_label = format!("scheme {sch}");
                    if flipped {
                        labels.push(&scheme_label);
                    }
                    for l in [port_label, host_label, path_label] {
                        if !l.is_empty() {
                            labels.push(l);
                        }
                    }
                    let cost = sch_cost + port_cost + host_cost + path_cost;
                    for (form, form_label) in forms() {
                        let signed_uri = base_uri(&url, &form, &[]);
                        let mut label = format!("{}{form_label}", labels.join(", "));
                        if form_label.is_empty() && port.as_deref() == Some(&dflt.to_string()) {
                            // RFC-normalised, an explicit default port is no port at all.
                            label = label.replace(port_label.as_str(), "default port");
                        }
                        // The Base Address as the server would have to be configured:
                        // normalised like the candidate (literal keeps `:443`).
                        let base_address = target.alteryx.then(|| {
                            RawUrl::parse(&format!("{authority}{base_path}"))
                                .map(|u| base_uri(&u, &form, &[]))
                                .unwrap_or_else(|_| format!("{authority}{base_path}"))
                        });
                        out.push(Candidate {
                            base_address,
                            url: url.clone(),
                            form,
                            signed_uri,
                            endpoint_slash_toggled: *toggled,
                            key: SecretVariant::AsGiven,
                            cost,
                            label,
                        });
                    }
                }
            }
        }
    }
    out.extend(super::given::given_base_uris(
        target,
        &hints.base_uris,
        &query,
    ));
    // Stable: equal costs keep generation order (RFC before literal, scheme before host).
    out.sort_by_key(|c| c.cost);
    let mut seen = std::collections::HashSet::new();
    seen.insert(exclude);
    out.retain(|c| seen.insert(c.signed_uri.clone()));
    // The request as called, under each repaired secret: the URI is not in question.
    let as_called = Candidate {
        cost: C_SECRET,
        ..as_called(target)
    };
    for v in &hints.secret_variants {
        let label = match v {
            SecretVariant::Trimmed => "secret trimmed of whitespace",
            SecretVariant::NoTrailingAmpersand => "secret without its trailing &",
            SecretVariant::AsGiven => continue,
        };
        out.push(Candidate {
            key: *v,
            label: label.into(),
            ..as_called.clone()
        });
    }
    out.sort_by_key(|c| c.cost);
    out
}

/// The request as called, the secret as given.
pub fn as_called(target: &Target) -> Candidate {
    Candidate {
        url: target.called.clone(),
        form: UriForm::default(),
        signed_uri: called_uri(target),
        base_address: target.wanted_base_address(),
        endpoint_slash_toggled: false,
        key: SecretVariant::AsGiven,
        cost: 0,
        label: "as called".into(),
    }
}

/// The first DNS label of a host name (`gallery01` of `gallery01.corp.example`): the
/// machine name a server often knows itself by. None for IPs and single labels.
fn first_label(host: &str) -> Option<String> {
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return None;
    }
    let (first, rest) = host.split_once('.')?;
    (!first.is_empty() && !rest.is_empty()).then(|| first.to_ascii_lowercase())
}

/// Deployment fault ids (SPEC section 5) separating `signed` from the RFC URI as called.
pub fn fault_ids(called_uri: &str, signed_uri: &str) -> Vec<&'static str> {
    let (Ok(a), Ok(b)) = (RawUrl::parse(called_uri), RawUrl::parse(signed_uri)) else {
        return Vec::new();
    };
    let mut ids = Vec::new();
    if a.scheme_lower() != b.scheme_lower() {
        ids.push("base-address-scheme");
    }
    if a.port != b.port {
        ids.push("base-address-port");
    }
    if !a.host.eq_ignore_ascii_case(&b.host) || (a.host != b.host) {
        ids.push("base-address-host");
    }
    if a.path != b.path {
        ids.push("base-address-path");
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(url: &str) -> Target {
        Target::new(url, Profile::Auto, false).unwrap()
    }

    #[test]
    fn gallery_address_gets_the_endpoint() {
        let t1 = t("https://gallery.example.com/gallery/");
        assert!(t1.alteryx);
        assert_eq!(
            t1.called.text,
            "https://gallery.example.com/gallery/api/v1/workflows/subscription/?limit=1"
        );
        assert_eq!(t1.prefix(), "/gallery/");
        let t2 = t("https://h/gallery/api/v1/workflows/");
        assert_eq!(t2.called.text, "https://h/gallery/api/v1/workflows/");
        let pasted =
            t("https://h/gallery/api/v1/workflows/?oauth_nonce=x&limit=2&oauth_signature=y");
        assert_eq!(
            pasted.called.text,
            "https://h/gallery/api/v1/workflows/?limit=2"
        );
        let t3 = t("https://h/other/thing");
        assert!(!t3.alteryx);
        let admin = Target::new("https://h/gallery", Profile::Auto, true).unwrap();
        assert_eq!(
            admin.called.text,
            "https://h/gallery/api/admin/v1/workflows/?limit=1"
        );
    }

    #[test]
    fn common_faults_come_first() {
        let target = t("https://gallery.example.com/gallery/");
        let c = candidates(&target, &HostHints::default());
        let first: Vec<&str> = c.iter().take(3).map(|c| c.signed_uri.as_str()).collect();
        assert_eq!(
            first,
            [
                "http://gallery.example.com/gallery/api/v1/workflows/subscription/",
                "https://gallery.example.com:443/gallery/api/v1/workflows/subscription/",
                "https://gallery.example.com/gallery/api/v1/workflows/subscription",
            ]
        );
        let uris: std::collections::HashSet<&str> =
            c.iter().map(|c| c.signed_uri.as_str()).collect();
        assert_eq!(uris.len(), c.len(), "de-duplicated");
        assert!(!uris.contains(called_uri(&target).as_str()));
        assert!(uris.contains("http://gallery/gallery/api/v1/workflows/subscription/"));
        assert!(uris.contains("http://localhost/gallery/api/v1/workflows/subscription/"));
    }

    #[test]
    fn fault_ids_compare_fields() {
        assert_eq!(
            fault_ids("https://h/g/x", "http://h:8080/g/x"),
            ["base-address-scheme", "base-address-port"]
        );
        assert_eq!(
            fault_ids("https://h/g/x", "https://H2/g/x/"),
            ["base-address-host", "base-address-path"]
        );
    }
}
