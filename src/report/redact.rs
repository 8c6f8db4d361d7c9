//! Redaction for reports meant to be shared (`--format markdown`, `--redact`): the consumer
//! key and token shortened, nonce and signature truncated, and with `--redact-host` the host
//! replaced by `<host>` everywhere. The secret is never in any report to begin with.
//!
//! Redaction works on the rendered text, in every form a value takes there (as decoded, as
//! on the wire, percent-encoded once and twice inside base strings), so no renderer can
//! forget a place.

use crate::request::Request;
use crate::rfc5849::encode::pct;

/// Text substitutions, longest first.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    subs: Vec<(String, String)>,
}

/// Values shorter than this are left alone: replacing a 2-letter key everywhere would
/// garble the report, and such a value gives nothing away.
const MIN_LEN: usize = 4;

impl Redactor {
    /// A redactor for what `req` carries; `host` also replaces its host name.
    pub fn for_request(req: &Request, host: bool) -> Self {
        let mut r = Self::default();
        for (name, keep) in [
            ("oauth_consumer_key", 4),
            ("oauth_token", 4),
            ("oauth_nonce", 4),
            ("oauth_signature", 6),
        ] {
            for p in req.params.iter().filter(|p| p.is(name)) {
                r.value(&p.value_str(), keep);
                if let Some(w) = &p.wire_value {
                    r.value(w, keep);
                }
            }
        }
        if host {
            r.host(&req.url.host);
        }
        r
    }

    /// Shortens `value` to its first `keep` characters and `…`, in all its encoded forms.
    pub fn value(&mut self, value: &str, keep: usize) {
        if value.chars().count() < MIN_LEN {
            return;
        }
        let short: String = value.chars().take(keep).collect();
        let short = format!("{short}…");
        let once = pct(value.as_bytes());
        let twice = pct(once.as_bytes());
        for form in [value.to_string(), once, twice] {
            self.push(form, short.clone());
        }
    }

    /// Replaces the host name (any case) with `<host>`.
    pub fn host(&mut self, host: &str) {
        if host.is_empty() {
            return;
        }
        for form in [
            host.to_string(),
            host.to_ascii_lowercase(),
            host.to_ascii_uppercase(),
        ] {
            self.push(form, "<host>".to_string());
        }
    }

    fn push(&mut self, needle: String, with: String) {
        if !needle.is_empty() && !self.subs.iter().any(|(n, _)| *n == needle) {
            self.subs.push((needle, with));
        }
    }

    /// The text with every value replaced, longest value first (so a signature's encoded
    /// form goes before a shorter decoded prefix of it could match).
    pub fn apply(&self, text: &str) -> String {
        let mut subs: Vec<&(String, String)> = self.subs.iter().collect();
        subs.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        let mut out = text.to_string();
        for (n, w) in subs {
            out = out.replace(n.as_str(), w);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_every_form() {
        let req = Request::new(
            "GET",
            "https://Gallery.Example.com/x?oauth_consumer_key=dj0yJmk9&oauth_signature=ab%2Bcdefgh%3D&oauth_nonce=n0nce123",
            vec![],
            None,
        )
        .unwrap();
        let r = Redactor::for_request(&req, true);
        let text = "key dj0yJmk9 sig ab+cdefgh= wire ab%2Bcdefgh%3D base ab%252Bcdefgh%253D nonce n0nce123 at https://gallery.example.com/x";
        let got = r.apply(text);
        for secret in ["dj0yJmk9", "cdefgh", "n0nce123", "gallery.example"] {
            assert!(!got.contains(secret), "{got}");
        }
        assert!(
            got.contains("dj0y…") && got.contains("ab+cde…") && got.contains("<host>"),
            "{got}"
        );
    }
}
