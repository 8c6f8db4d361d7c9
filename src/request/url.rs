//! A URL split into its parts exactly as written.
//!
//! The `url` crate normalises the very evidence sigdoctor is looking for (`:443`, host case,
//! `%7E` vs `~`), so the request model keeps this byte-faithful split instead and only the
//! RFC 5849 core decides what to normalise, one switch at a time.

use crate::error::Error;

/// A URL as the client wrote it, cut into parts, nothing normalised.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RawUrl {
    /// The whole URL exactly as written.
    pub text: String,
    /// Scheme as written (`HTTPS`, `http`).
    pub scheme: String,
    /// Host as written, brackets kept for IPv6 (`Gallery.Example.COM`, `[::1]`).
    pub host: String,
    /// Port digits as written, if a `:port` was written (`443` in `https://h:443/`).
    pub port: Option<String>,
    /// Path as written, percent-escapes untouched; empty when the URL has none.
    pub path: String,
    /// Query after `?`, as written, if there was a `?`.
    pub query: Option<String>,
    /// Fragment after `#`, as written, if there was a `#`.
    pub fragment: Option<String>,
}

impl RawUrl {
    /// Splits an absolute `http`/`https` URL; anything else is an [`Error::Input`].
    pub fn parse(text: &str) -> Result<Self, Error> {
        let bad = |why: &str| Error::input(format!("malformed URL `{}`: {why}", shorten(text)));
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::input("empty URL"));
        }
        if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad(&format!("contains {c:?}; quote or percent-encode it")));
        }
        let (scheme, rest) = text
            .split_once("://")
            .ok_or_else(|| bad("expected scheme://host/path"))?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(Error::input(format!(
                "unsupported scheme `{scheme}` in `{}`: only http and https carry OAuth 1.0a",
                shorten(text)
            )));
        }
        let (before_fragment, fragment) = match rest.split_once('#') {
            Some((a, f)) => (a, Some(f.to_string())),
            None => (rest, None),
        };
        let (before_query, query) = match before_fragment.split_once('?') {
            Some((a, q)) => (a, Some(q.to_string())),
            None => (before_fragment, None),
        };
        let (authority, path) = match before_query.find('/') {
            Some(i) => (&before_query[..i], &before_query[i..]),
            None => (before_query, ""),
        };
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, hp)| hp);
        let (host, port) = split_host_port(host_port).ok_or_else(|| bad("bad host or port"))?;
        if host.is_empty() {
            return Err(bad("no host"));
        }
        Ok(Self {
            text: text.to_string(),
            scheme: scheme.to_string(),
            host: host.to_string(),
            port: port.map(str::to_string),
            path: path.to_string(),
            query,
            fragment,
        })
    }

    /// The scheme lower-cased: the only form the rules below compare.
    pub fn scheme_lower(&self) -> String {
        self.scheme.to_ascii_lowercase()
    }

    /// The port the request really goes to: the written one, else the scheme's default.
    pub fn effective_port(&self) -> u16 {
        self.port
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| default_port(&self.scheme_lower()))
    }

    /// Whether a port is written and it is the scheme's default (`https://h:443/`).
    pub fn has_explicit_default_port(&self) -> bool {
        self.port.is_some() && self.effective_port() == default_port(&self.scheme_lower())
    }

    /// `scheme://host[:port]` as written, for messages and for sending.
    pub fn origin(&self) -> String {
        match &self.port {
            Some(p) => format!("{}://{}:{p}", self.scheme, self.host),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }
}

/// 443 for https, 80 for anything else (only http and https are parsed).
pub fn default_port(scheme_lower: &str) -> u16 {
    if scheme_lower == "https" {
        443
    } else {
        80
    }
}

fn split_host_port(hp: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if let Some(rest) = hp.strip_prefix('[') {
        let end = rest.find(']')?;
        let host = &hp[..end + 2];
        match &rest[end + 1..] {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':')?)),
        }
    } else {
        match hp.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hp, None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if p.parse::<u32>().ok()? > 65535 {
            return None;
        }
    }
    if host.contains(['/', '?', '#', '[', ']']) && !host.starts_with('[') {
        return None;
    }
    Some((host, port))
}

/// Cuts long input down for error messages, on a character boundary.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_everything_as_written() {
        let u =
            RawUrl::parse("HTTPS://Gallery.Example.COM:443/gallery/a%7Eb?x=1+2&y#frag").unwrap();
        assert_eq!(u.scheme, "HTTPS");
        assert_eq!(u.host, "Gallery.Example.COM");
        assert_eq!(u.port.as_deref(), Some("443"));
        assert_eq!(u.path, "/gallery/a%7Eb");
        assert_eq!(u.query.as_deref(), Some("x=1+2&y"));
        assert_eq!(u.fragment.as_deref(), Some("frag"));
        assert!(u.has_explicit_default_port());
    }

    #[test]
    fn ipv6_userinfo_and_empty_path() {
        let u = RawUrl::parse("http://user:pw@[::1]:8080").unwrap();
        assert_eq!(u.host, "[::1]");
        assert_eq!(u.port.as_deref(), Some("8080"));
        assert_eq!(u.path, "");
        assert_eq!(u.effective_port(), 8080);
    }

    #[test]
    fn rejects_what_is_not_an_http_url() {
        for bad in [
            "",
            "example.com/x",
            "ftp://h/x",
            "http://",
            "http://h:99999/",
            "http://h:x/",
            "http://a b/",
        ] {
            assert!(RawUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
