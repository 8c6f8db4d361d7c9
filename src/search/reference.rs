//! `explain --reference GOOD`: the server's Base Address found offline from a request it
//! accepted.
//!
//! A request the server accepted was signed over exactly what the server rebuilds. When
//! RFC 5849 does not give its signature, the server rebuilds another URI: each candidate
//! the deployment faults of SPEC section 5 allow (scheme, port, host, path, a literal
//! Base Address) is signed with the key until one reproduces GOOD's signature. Pure: the
//! candidates are signed here, nothing is sent.

use super::captured;
use super::evidence::uri_faults;
use crate::request::url::default_port;
use crate::request::Request;
use crate::rfc5849::encode::pct;
use crate::rfc5849::{
    base_string, raw_signature, signing_key, Context, KeyForm, KeyMaterial, SignatureMethod,
    Variant,
};

/// How the server turns a request's path into the path it signs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathRule {
    /// As sent.
    AsSent,
    /// A trailing `/` added or removed.
    SlashToggled,
    /// The first segment dropped (a proxy strips the mount point).
    FirstSegmentDropped,
}

impl PathRule {
    /// The path the server signs for a request sent to `path`.
    pub fn apply(self, path: &str) -> String {
        let path = if path.is_empty() { "/" } else { path };
        match self {
            Self::AsSent => path.to_string(),
            Self::SlashToggled => match path.strip_suffix('/') {
                Some(p) => p.to_string(),
                None => format!("{path}/"),
            },
            Self::FirstSegmentDropped => {
                let rest = path.trim_start_matches('/');
                match rest.find('/') {
                    Some(i) => rest[i..].to_string(),
                    None => "/".to_string(),
                }
            }
        }
    }
}

/// The URI form a server signs: its own scheme, host and port, and a path rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerForm {
    /// Scheme.
    pub scheme: String,
    /// Host, as the server writes it.
    pub host: String,
    /// Port written in the URI, if any.
    pub port: Option<u16>,
    /// Path rule.
    pub path: PathRule,
    /// Deployment fault ids against RFC 5849 for the request it was found from.
    pub faults: Vec<&'static str>,
}

impl ServerForm {
    /// The base string URI the server signs for `req`.
    pub fn base_uri(&self, req: &Request) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "{}://{}{port}{}",
            self.scheme,
            self.host,
            self.path.apply(&req.url.path)
        )
    }

    /// The base string the server signs for `req`: RFC 5849 with its own URI.
    pub fn base_string(&self, req: &Request) -> String {
        with_uri(&rfc_base_string(req), &self.base_uri(req))
    }
}

/// RFC 5849's base string of the request as sent.
pub fn rfc_base_string(req: &Request) -> String {
    base_string(req, &Variant::default(), &Context::default())
}

/// `bs` with its URI part replaced by `uri`.
pub fn with_uri(bs: &str, uri: &str) -> String {
    let mut it = bs.splitn(3, '&');
    let method = it.next().unwrap_or("");
    let _ = it.next();
    let params = it.next().unwrap_or("");
    format!("{method}&{}&{params}", pct(uri.as_bytes()))
}

/// Every server form worth trying for `req`, fewest deployment differences first.
pub fn candidates(req: &Request, aliases: &[String]) -> Vec<ServerForm> {
    let sent = req.url.scheme_lower();
    let other = if sent == "https" { "http" } else { "https" };
    let host = req.url.host.to_ascii_lowercase();
    let mut hosts = vec![host.clone(), req.url.host.clone()];
    hosts.extend(aliases.iter().map(|a| a.trim().to_ascii_lowercase()));
    if let Some((first, _)) = host.split_once('.') {
        if !first.starts_with('[') && first.parse::<u8>().is_err() {
            hosts.push(first.to_string());
        }
    }
    hosts.extend(["localhost".to_string(), "127.0.0.1".to_string()]);
    let mut seen_hosts = Vec::new();
    hosts.retain(|h| {
        !h.is_empty() && !seen_hosts.contains(h) && {
            seen_hosts.push(h.clone());
            true
        }
    });
    let called = req.url.effective_port();
    let rfc_uri = crate::rfc5849::base_uri(&req.url, &Default::default(), &[]);
    let mut out: Vec<ServerForm> = Vec::new();
    for scheme in [sent.as_str(), other] {
        let mut ports: Vec<Option<u16>> = vec![None, Some(default_port(scheme)), Some(called)];
        ports.extend([80, 443, 8080, 8443].map(Some));
        let mut seen_ports = Vec::new();
        ports.retain(|p| {
            // A port equal to the scheme's default is the literal form only when written.
            let fresh = !seen_ports.contains(p);
            seen_ports.push(*p);
            fresh
        });
        for h in &hosts {
            for port in &ports {
                for path in [
                    PathRule::AsSent,
                    PathRule::SlashToggled,
                    PathRule::FirstSegmentDropped,
                ] {
                    let mut f = ServerForm {
                        scheme: scheme.to_string(),
                        host: h.clone(),
                        port: *port,
                        path,
                        faults: Vec::new(),
                    };
                    let uri = f.base_uri(req);
                    if out.iter().any(|o| o.base_uri(req) == uri) {
                        continue;
                    }
                    f.faults = uri_faults(&rfc_uri, &uri);
                    out.push(f);
                }
            }
        }
    }
    out.sort_by_key(|f| f.faults.len());
    out
}

/// The server form under which GOOD's signature is valid, fewest differences from RFC 5849
/// first (an RFC-valid GOOD gives a form without faults); `None` when none is.
pub fn find_server_form(
    good: &Request,
    km: &KeyMaterial,
    aliases: &[String],
) -> Option<ServerForm> {
    let method = super::declared_method(good).unwrap_or(SignatureMethod::HmacSha1);
    if method == SignatureMethod::Plaintext {
        return None;
    }
    // GOOD was accepted: read its signature as the RFC writes it (no output faults).
    let readings: Vec<captured::Decoding> = captured::decodings(good)
        .into_iter()
        .filter(|d| d.switches.is_empty())
        .collect();
    if readings.is_empty() {
        return None;
    }
    let key = signing_key(km, KeyForm::Rfc);
    let rfc = rfc_base_string(good);
    candidates(good, aliases).into_iter().find(|f| {
        let bs = with_uri(&rfc, &f.base_uri(good));
        let mac = raw_signature(method, &key, bs.as_bytes());
        readings.iter().any(|d| d.matches(&mac))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_rules() {
        assert_eq!(PathRule::SlashToggled.apply("/a/b/"), "/a/b");
        assert_eq!(PathRule::SlashToggled.apply("/a/b"), "/a/b/");
        assert_eq!(
            PathRule::FirstSegmentDropped.apply("/gallery/api/x/"),
            "/api/x/"
        );
        assert_eq!(PathRule::AsSent.apply(""), "/");
    }

    #[test]
    fn candidates_start_with_rfc_and_stay_distinct() {
        let req = Request::new(
            "GET",
            "https://Gallery.Example.com/gallery/api/?a=1",
            vec![],
            None,
        )
        .unwrap();
        let c = candidates(&req, &["gallery01".to_string()]);
        assert_eq!(
            c[0].base_uri(&req),
            "https://gallery.example.com/gallery/api/"
        );
        assert!(c[0].faults.is_empty());
        let uris: Vec<String> = c.iter().map(|f| f.base_uri(&req)).collect();
        let mut dedup = uris.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), uris.len());
        assert!(uris.contains(&"http://gallery01/gallery/api/".to_string()));
        assert!(uris.contains(&"https://gallery.example.com:443/gallery/api/".to_string()));
    }
}
