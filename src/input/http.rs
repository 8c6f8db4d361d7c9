//! A raw HTTP/1.1 request as a proxy (Burp, mitmproxy, Fiddler) or a log shows it.
//!
//! Request line in origin form (`GET /path HTTP/1.1` plus a `Host` header) or absolute form
//! (`GET https://host/path HTTP/1.1`), headers, a blank line, the body; CRLF or LF. Origin
//! form does not say the scheme: it is `https`, unless the Host port is 80 or an
//! `X-Forwarded-Proto` header says otherwise (absolute form is unambiguous).

use super::{line_col, Draft};
use crate::error::Error;
use crate::request::url::shorten;

/// Whether `line` looks like `METHOD target ...`: an upper-case method and an origin-form or
/// absolute-form target. The rest of the line is checked by [`parse`], which can say where
/// it goes wrong.
pub fn is_request_line(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return false;
    };
    method.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
        && (target.starts_with('/')
            || target == "*"
            || target.to_ascii_lowercase().starts_with("http"))
}

/// Parses a raw HTTP request.
pub fn parse(text: &str) -> Result<Draft, Error> {
    let text = text.trim_start_matches('\u{feff}');
    // Leading blank lines are tolerated, as servers do (RFC 9112 section 2.2).
    let start = text.len() - text.trim_start_matches(['\r', '\n']).len();
    let mut pos = start;
    let err = |at: usize, msg: String| {
        let (l, c) = line_col(text, at);
        Error::input(format!("raw HTTP line {l}, column {c}: {msg}"))
    };
    let (line_at, request_line) =
        next_line(text, &mut pos).ok_or_else(|| Error::input("raw HTTP: empty"))?;
    let mut parts = request_line.split(' ').filter(|p| !p.is_empty());
    let method = parts.next().unwrap_or("").to_string();
    let target = parts
        .next()
        .ok_or_else(|| {
            err(
                line_at,
                "request line has no target (expected `GET /path HTTP/1.1`)".into(),
            )
        })?
        .to_string();
    if let Some(v) = parts.next() {
        if !v.to_ascii_uppercase().starts_with("HTTP/") {
            let off = line_at + request_line.find(v).unwrap_or(0);
            return Err(err(
                off,
                format!("expected `HTTP/1.1`, found `{}`", shorten(v)),
            ));
        }
    }
    if let Some(extra) = parts.next() {
        let off = line_at + request_line.rfind(extra).unwrap_or(0);
        return Err(err(
            off,
            format!(
                "unexpected `{}` after the HTTP version (a space in the target must be %20)",
                shorten(extra)
            ),
        ));
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut body = None;
    while let Some((at, line)) = next_line(text, &mut pos) {
        if line.is_empty() {
            let rest = &text[pos.min(text.len())..];
            if !rest.is_empty() {
                body = Some(rest.to_string());
            }
            break;
        }
        if line.starts_with([' ', '\t']) {
            // obs-fold: a continuation of the previous header's value.
            match headers.last_mut() {
                Some((_, v)) => {
                    v.push(' ');
                    v.push_str(line.trim());
                    continue;
                }
                None => return Err(err(at, "a header line cannot start with whitespace".into())),
            }
        }
        let (n, v) = line
            .split_once(':')
            .ok_or_else(|| err(at, format!("header `{}` has no `:`", shorten(line))))?;
        if n.is_empty() || n.contains([' ', '\t']) {
            return Err(err(at, format!("bad header name `{}`", shorten(n))));
        }
        if n.eq_ignore_ascii_case("authorization") {
            // Checked here too, so that a broken header is reported with its line.
            crate::rfc5849::header::parse(v).map_err(|e| err(at, e.one_line()))?;
        }
        headers.push((n.to_string(), v.trim().to_string()));
    }
    let url = if target.starts_with('/') || target == "*" {
        let host = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                err(
                    line_at,
                    format!(
                        "target `{}` needs a Host header (or write the full URL)",
                        shorten(&target)
                    ),
                )
            })?;
        let scheme = scheme_for(&host, &headers);
        let path = if target == "*" { "" } else { target.as_str() };
        format!("{scheme}://{host}{path}")
    } else {
        target
    };
    crate::request::RawUrl::parse(&url).map_err(|e| err(line_at, e.one_line()))?;
    Ok(Draft {
        method: Some(method),
        url,
        headers,
        body,
    })
}

/// The line starting at `*pos` (without its CR LF) and its offset; advances `*pos`.
fn next_line<'a>(text: &'a str, pos: &mut usize) -> Option<(usize, &'a str)> {
    if *pos >= text.len() {
        return None;
    }
    let at = *pos;
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    *pos = end + 1;
    let line = &text[at..end];
    Some((at, line.strip_suffix('\r').unwrap_or(line)))
}

/// The scheme an origin-form request most likely used.
fn scheme_for(host: &str, headers: &[(String, String)]) -> &'static str {
    let forwarded = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-proto"))
        .map(|(_, v)| v.trim().to_ascii_lowercase());
    match forwarded.as_deref() {
        Some("http") => "http",
        Some("https") => "https",
        _ if host.ends_with(":80") => "http",
        _ => "https",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_form_with_crlf_and_body() {
        let d = parse("POST /gallery/api/v1/x?a=1 HTTP/1.1\r\nHost: H.example:443\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nb=2").unwrap();
        assert_eq!(d.url, "https://H.example:443/gallery/api/v1/x?a=1");
        assert_eq!(d.method.as_deref(), Some("POST"));
        assert_eq!(d.body.as_deref(), Some("b=2"));
        assert_eq!(d.headers.len(), 2);
    }

    #[test]
    fn absolute_form_lf_and_errors() {
        let d = parse("GET http://h:8080/p HTTP/1.1\nX: y\n  z\n").unwrap();
        assert_eq!(d.url, "http://h:8080/p");
        assert_eq!(d.headers[0].1, "y z");
        let e = parse("GET /p HTTP/1.1\nHost: h\nbroken\n")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "raw HTTP line 3, column 1: header `broken` has no `:`");
        let e = parse("GET /p HTTP/1.1\n\n").unwrap_err().to_string();
        assert!(e.contains("needs a Host header"), "{e}");
    }
}
