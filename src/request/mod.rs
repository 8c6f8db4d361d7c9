//! The request model: what the client sent, decoded, with the raw evidence beside it.
//!
//! Input parsers (URL, curl, raw HTTP, HAR) all end here. Every parameter keeps its wire
//! form and its origin, because half the faults sigdoctor explains live in the difference
//! between what was written and what it means.

pub mod url;

use crate::error::Error;
use crate::rfc5849::{encode, header};
pub use url::RawUrl;

/// Where a parameter travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The URL query string.
    Query,
    /// The `Authorization: OAuth` header.
    Header,
    /// An `application/x-www-form-urlencoded` body.
    Body,
}

impl Origin {
    /// `query`, `header` or `body`, as in the JSON reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Header => "header",
            Self::Body => "body",
        }
    }
}

/// One request parameter: decoded bytes for signing, wire text for the evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// Name, percent-decoded (`+` is a space in query and body).
    pub name: Vec<u8>,
    /// Value, percent-decoded likewise.
    pub value: Vec<u8>,
    /// Name exactly as on the wire.
    pub wire_name: String,
    /// Value exactly as on the wire; `None` when the pair had no `=`.
    pub wire_value: Option<String>,
    /// Where it came from.
    pub origin: Origin,
}

impl Param {
    /// A parameter from its wire form; query and body decode `+` as a space.
    pub fn from_wire(name: &str, value: Option<&str>, origin: Origin) -> Self {
        let plus = origin != Origin::Header;
        Self {
            name: encode::decode(name.as_bytes(), plus),
            value: encode::decode(value.unwrap_or("").as_bytes(), plus),
            wire_name: name.to_string(),
            wire_value: value.map(str::to_string),
            origin,
        }
    }

    /// A parameter from decoded text (what `sign` builds); its wire form is the RFC encoding.
    pub fn decoded(name: &str, value: &str, origin: Origin) -> Self {
        Self {
            name: name.as_bytes().to_vec(),
            value: value.as_bytes().to_vec(),
            wire_name: encode::pct(name.as_bytes()),
            wire_value: Some(encode::pct(value.as_bytes())),
            origin,
        }
    }

    /// Whether the name is exactly `name`.
    pub fn is(&self, name: &str) -> bool {
        self.name == name.as_bytes()
    }

    /// Whether this is an `oauth_*` protocol parameter.
    pub fn is_oauth(&self) -> bool {
        self.name.starts_with(b"oauth_")
    }

    /// The decoded name for display (lossy for non-UTF-8 bytes).
    pub fn name_str(&self) -> String {
        String::from_utf8_lossy(&self.name).into_owned()
    }

    /// The decoded value for display (lossy for non-UTF-8 bytes).
    pub fn value_str(&self) -> String {
        String::from_utf8_lossy(&self.value).into_owned()
    }
}

/// A request as captured: method, URL as written, headers, body, and every parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Method as sent (`GET`; case kept).
    pub method: String,
    /// URL exactly as written.
    pub url: RawUrl,
    /// Headers in order, names as written.
    pub headers: Vec<(String, String)>,
    /// Body text, if any.
    pub body: Option<String>,
    /// All parameters in wire order: query, then Authorization header, then form body.
    pub params: Vec<Param>,
    /// `realm` from the Authorization header, decoded (never signed by the RFC).
    pub realm: Option<Vec<u8>>,
}

impl Request {
    /// Builds the model from the parts of a request. A body counts as form parameters only
    /// when a `Content-Type: application/x-www-form-urlencoded` header says so (parsers for
    /// curl's `-d` add that header, as curl does).
    pub fn new(
        method: &str,
        url: &str,
        headers: Vec<(String, String)>,
        body: Option<String>,
    ) -> Result<Self, Error> {
        let method = method.trim();
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-') {
            return Err(Error::input(format!(
                "bad HTTP method `{}`",
                url::shorten(method)
            )));
        }
        let url = RawUrl::parse(url)?;
        let mut params = Vec::new();
        if let Some(q) = &url.query {
            params.extend(split_form(q, Origin::Query));
        }
        let mut realm = None;
        for (name, value) in &headers {
            if !name.eq_ignore_ascii_case("authorization") {
                continue;
            }
            if let Some(pairs) = header::parse(value)? {
                for (n, v) in pairs {
                    if n.eq_ignore_ascii_case("realm") {
                        realm = Some(encode::decode(v.as_bytes(), false));
                    } else {
                        params.push(Param::from_wire(&n, Some(&v), Origin::Header));
                    }
                }
            }
        }
        let is_form = headers.iter().any(|(n, v)| {
            n.eq_ignore_ascii_case("content-type")
                && v.to_ascii_lowercase()
                    .trim_start()
                    .starts_with("application/x-www-form-urlencoded")
        });
        if is_form {
            if let Some(b) = &body {
                params.extend(split_form(b.trim_end_matches(['\r', '\n']), Origin::Body));
            }
        }
        Ok(Self {
            method: method.to_string(),
            url,
            headers,
            body,
            params,
            realm,
        })
    }

    /// The decoded value of the first parameter named `name`, wherever it travelled.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.is(name))
    }

    /// The first `name` parameter's value as text.
    pub fn param_str(&self, name: &str) -> Option<String> {
        self.param(name).map(Param::value_str)
    }

    /// Whether the request carries any `oauth_*` parameter.
    pub fn has_oauth(&self) -> bool {
        self.params.iter().any(Param::is_oauth)
    }

    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Splits `a=1&b&c=` into parameters (empty pieces between `&&` are skipped, as servers do).
pub fn split_form(text: &str, origin: Origin) -> impl Iterator<Item = Param> + '_ {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(move |pair| match pair.split_once('=') {
            Some((n, v)) => Param::from_wire(n, Some(v), origin),
            None => Param::from_wire(pair, None, origin),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_from_all_three_places() {
        let r = Request::new(
            "POST",
            "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            vec![
                (
                    "Authorization".into(),
                    r#"OAuth realm="Example", oauth_consumer_key="9djdj82h48djs9d2""#.into(),
                ),
                (
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
            ],
            Some("c2&a3=2+q".into()),
        )
        .unwrap();
        let names: Vec<_> = r.params.iter().map(|p| (p.name_str(), p.origin)).collect();
        assert_eq!(names[0], ("b5".into(), Origin::Query));
        assert_eq!(names[4], ("oauth_consumer_key".into(), Origin::Header));
        assert_eq!(r.params.last().unwrap().value, b"2 q");
        assert_eq!(r.realm.as_deref(), Some(&b"Example"[..]));
        assert_eq!(r.param("c@").unwrap().wire_value.as_deref(), Some(""));
        assert_eq!(r.param("c2").unwrap().wire_value, None);
    }

    #[test]
    fn body_without_form_type_is_not_signed() {
        let r = Request::new(
            "POST",
            "https://h/p",
            vec![("Content-Type".into(), "application/json".into())],
            Some("{\"a\":1}".into()),
        )
        .unwrap();
        assert!(r.params.is_empty());
    }
}
