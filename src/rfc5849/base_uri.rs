//! RFC 5849 section 3.4.1.2: the base string URI, with the switches of [`UriForm`].

use super::encode::decode;
use super::variant::{HostForm, PathForm, PortForm, UriForm};
use crate::request::url::{default_port, RawUrl};

/// Builds the base string URI of `url` under `form`; `aliases` feeds [`HostForm::Alias`].
///
/// RFC path: lower-case scheme and host, the scheme's default port dropped, the path as sent
/// (`/` when empty), no query, no fragment.
pub fn base_uri(url: &RawUrl, form: &UriForm, aliases: &[String]) -> String {
    let mut out = String::with_capacity(url.text.len());
    base_uri_into(&mut out, url, form, aliases);
    out
}

/// [`base_uri`] appending to a reused buffer.
pub fn base_uri_into(out: &mut String, url: &RawUrl, form: &UriForm, aliases: &[String]) {
    let sent_scheme = url.scheme_lower();
    let scheme = match (form.scheme_flipped, sent_scheme.as_str()) {
        (false, s) => s,
        (true, "https") => "http",
        (true, _) => "https",
    };
    out.push_str(scheme);
    out.push_str("://");
    match form.host {
        HostForm::Lower => push_lower(out, &url.host),
        HostForm::AsSent => out.push_str(&url.host),
        HostForm::Alias(i) => push_lower(
            out,
            aliases
                .get(usize::from(i))
                .map_or(url.host.as_str(), String::as_str),
        ),
    }
    // A default port stays "the default" when the scheme is flipped: a client that signs
    // http for https signs `http://host/`, not `http://host:443/`.
    let port = url.effective_port();
    let port_is_default = port == default_port(&sent_scheme);
    let written = match form.port {
        PortForm::Rfc => (!port_is_default).then_some(port),
        PortForm::DefaultKept if port_is_default => Some(default_port(scheme)),
        PortForm::DefaultKept => Some(port),
        PortForm::Dropped => None,
        PortForm::AsWritten => url.port.as_ref().map(|_| port),
    };
    if let Some(p) = written {
        out.push(':');
        out.push_str(&p.to_string());
    }
    let path = url.path.as_str();
    match form.path {
        PathForm::AsSent => out.push_str(if path.is_empty() { "/" } else { path }),
        PathForm::TrailingSlashToggled => match path.strip_suffix('/') {
            Some(stripped) => out.push_str(stripped),
            None if path.is_empty() => {}
            None => {
                out.push_str(path);
                out.push('/');
            }
        },
        PathForm::Prefix(n) => out.push_str(path.get(..usize::from(n)).unwrap_or(path)),
        PathForm::Lowercase => push_lower(out, if path.is_empty() { "/" } else { path }),
        PathForm::Decoded => {
            let raw = decode(path.as_bytes(), false);
            out.push_str(&String::from_utf8_lossy(&raw));
            if path.is_empty() {
                out.push('/');
            }
        }
    }
    if form.query_included {
        // The client signed the URL it had before adding its own oauth_* parameters.
        if let Some(q) = &url.query {
            let kept: Vec<&str> = q
                .split('&')
                .filter(|pair| !pair.is_empty() && !pair.starts_with("oauth_"))
                .collect();
            if !kept.is_empty() {
                out.push('?');
                out.push_str(&kept.join("&"));
            }
        }
        if let Some(f) = &url.fragment {
            out.push('#');
            out.push_str(f);
        }
    }
}

fn push_lower(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
}

/// The byte lengths of every proper leading part of `path` that ends in `/` (the API roots a
/// client may have signed instead of the endpoint), longest first.
pub fn path_prefixes(path: &str) -> Vec<u16> {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let mut v: Vec<u16> = trimmed
        .match_indices('/')
        .filter_map(|(i, _)| u16::try_from(i + 1).ok())
        .collect();
    v.reverse();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(url: &str, form: UriForm) -> String {
        base_uri(
            &RawUrl::parse(url).unwrap(),
            &form,
            &["gallery01".to_string()],
        )
    }

    #[test]
    fn rfc_examples() {
        let rfc = UriForm::default();
        assert_eq!(
            uri("HTTP://EXAMPLE.COM:80/r%20v/X?id=123", rfc),
            "http://example.com/r%20v/X"
        );
        assert_eq!(
            uri("https://www.example.net:8080/?q=1", rfc),
            "https://www.example.net:8080/"
        );
        assert_eq!(uri("https://h:443", rfc), "https://h/");
    }

    #[test]
    fn switches() {
        let f = |edit: fn(&mut UriForm)| {
            let mut form = UriForm::default();
            edit(&mut form);
            uri(
                "https://Gallery.Example.COM:443/gallery/api/v1/x/?a=1",
                form,
            )
        };
        assert_eq!(
            f(|u| u.port = PortForm::DefaultKept),
            "https://gallery.example.com:443/gallery/api/v1/x/"
        );
        assert_eq!(
            f(|u| u.scheme_flipped = true),
            "http://gallery.example.com/gallery/api/v1/x/"
        );
        assert_eq!(
            f(|u| u.host = HostForm::AsSent),
            "https://Gallery.Example.COM/gallery/api/v1/x/"
        );
        assert_eq!(
            f(|u| u.host = HostForm::Alias(0)),
            "https://gallery01/gallery/api/v1/x/"
        );
        assert_eq!(
            f(|u| u.path = PathForm::TrailingSlashToggled),
            "https://gallery.example.com/gallery/api/v1/x"
        );
        assert_eq!(
            f(|u| u.path = PathForm::Prefix(13)),
            "https://gallery.example.com/gallery/api/"
        );
        assert_eq!(
            f(|u| u.query_included = true),
            "https://gallery.example.com/gallery/api/v1/x/?a=1"
        );
        assert_eq!(
            uri(
                "http://h:8443/a%20b",
                UriForm {
                    port: PortForm::Dropped,
                    path: PathForm::Decoded,
                    ..Default::default()
                }
            ),
            "http://h/a b"
        );
    }

    #[test]
    fn prefixes_of_a_gallery_path() {
        assert_eq!(path_prefixes("/gallery/api/v1/x/"), vec![16, 13, 9, 1]);
        assert_eq!(path_prefixes("/"), Vec::<u16>::new());
    }
}
