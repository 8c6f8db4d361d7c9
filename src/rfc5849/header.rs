//! RFC 5849 section 3.5.1: the `Authorization: OAuth ...` header, parsed and formatted.

use crate::error::Error;
use crate::rfc5849::encode::pct;

/// The parameters of an `OAuth` Authorization header, values still percent-encoded as sent.
///
/// Returns `None` when the header is not of the OAuth scheme at all (Basic, Bearer...).
/// Lenient where clients are (unquoted values, extra spaces, no space after commas), strict
/// where the header is plainly cut short (an unterminated quote).
pub fn parse(header_value: &str) -> Result<Option<Vec<(String, String)>>, Error> {
    let v = header_value.trim_start();
    let Some(scheme) = v.get(..5) else {
        return Ok(None);
    };
    if !scheme.eq_ignore_ascii_case("oauth") || v[5..].starts_with(|c: char| !c.is_whitespace()) {
        return Ok(None);
    }
    let mut rest = v[5..].trim_start();
    let mut out = Vec::new();
    while !rest.is_empty() {
        let eq = rest.find('=').ok_or_else(|| {
            Error::input(format!(
                "Authorization header: parameter `{}` has no `=value`",
                crate::request::url::shorten(rest)
            ))
        })?;
        let name = rest[..eq].trim().to_string();
        if name.is_empty() || name.contains([',', '"', ' ']) {
            return Err(Error::input(format!(
                "Authorization header: bad parameter name near `{}`",
                crate::request::url::shorten(rest)
            )));
        }
        let after = rest[eq + 1..].trim_start();
        let (value, remaining) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').ok_or_else(|| {
                Error::input(format!(
                    "Authorization header: unterminated quote in the value of `{name}`"
                ))
            })?;
            (q[..end].to_string(), &q[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        out.push((name, value));
        rest = remaining.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        } else if !rest.is_empty() {
            return Err(Error::input(format!(
                "Authorization header: expected `,` before `{}`",
                crate::request::url::shorten(rest)
            )));
        }
    }
    Ok(Some(out))
}

/// Formats an Authorization header value: `OAuth realm="..", name="pct(value)", ...`.
/// `realm` is not percent-encoded (it is a quoted string, RFC 2617), only quoted.
pub fn format(realm: Option<&str>, params: &[(String, String)]) -> String {
    let mut parts = Vec::with_capacity(params.len() + 1);
    if let Some(r) = realm {
        parts.push(format!("realm=\"{}\"", r.replace('"', "")));
    }
    for (n, v) in params {
        parts.push(format!("{}=\"{}\"", pct(n.as_bytes()), pct(v.as_bytes())));
    }
    format!("OAuth {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc_example() {
        let h = r#"OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03",oauth_signature="tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D""#;
        let p = parse(h).unwrap().unwrap();
        assert_eq!(p[0], ("realm".into(), "Photos".into()));
        assert_eq!(p[1].1, "dpf43f3p2l4k3l03");
        assert_eq!(p[2].1, "tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D");
    }

    #[test]
    fn not_oauth_and_broken() {
        assert!(parse("Bearer abc").unwrap().is_none());
        assert!(parse("OAuthx a=b").unwrap().is_none());
        assert!(parse(r#"OAuth a="b"#).is_err());
        assert!(parse(r#"OAuth a"#).is_err());
        assert_eq!(parse("OAuth").unwrap().unwrap().len(), 0);
    }

    #[test]
    fn round_trip() {
        let params = vec![("oauth_nonce".to_string(), "a b+/".to_string())];
        let h = format(Some("x"), &params);
        let p = parse(&h).unwrap().unwrap();
        assert_eq!(p[1].1, "a%20b%2B%2F");
    }
}
