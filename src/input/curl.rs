//! A curl command line, as copied from a terminal, a browser's "Copy as cURL" or a doc.
//!
//! The words are split with POSIX shell rules (single and double quotes, backslashes,
//! `$'...'` as browsers emit it, `\`-newline continuations), plus Windows `^` and PowerShell
//! backtick continuations. Errors name the argument by its index (`curl` is argument 0) and
//! quotes by line and column, because a truncated paste is the common failure.

use super::shell::{join_continuations, split};
use super::{split_header, Draft, FORM_TYPE};
use crate::error::Error;
use crate::request::url::shorten;
use crate::rfc5849::encode::pct;

/// Whether `text` starts with a curl invocation (`curl`, `curl.exe`, `/usr/bin/curl`).
pub fn is_curl(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let base = first.rsplit(['/', '\\']).next().unwrap_or(first);
    base.eq_ignore_ascii_case("curl") || base.eq_ignore_ascii_case("curl.exe")
}

#[rustfmt::skip]
/// Options that take a value and do not change the request sigdoctor signs.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-u", "--user", "-A", "--user-agent", "-e", "--referer", "-b", "--cookie", "-c",
    "--cookie-jar", "-o", "--output", "-m", "--max-time", "--connect-timeout", "-x", "--proxy",
    "--cacert", "--capath", "-E", "--cert", "--key", "-w", "--write-out", "--retry",
    "--resolve", "--connect-to", "--max-redirs", "-U", "--proxy-user", "--limit-rate",
    "--interface", "-K", "--config", "--oauth2-bearer", "--cert-type", "--key-type",
    "--retry-delay", "--retry-max-time", "--ciphers", "--tls-max", "--proxy-header",
    "--url-query",
];

#[rustfmt::skip]
/// Options without a value that do not change the signed request.
const IGNORED_FLAGS: &[&str] = &[
    "--compressed", "-s", "--silent", "-S", "--show-error", "-k", "--insecure", "-L",
    "--location", "-i", "--include", "-v", "--verbose", "-f", "--fail", "--fail-with-body",
    "-g", "--globoff", "--http1.0", "--http1.1", "--http2", "--http2-prior-knowledge",
    "--http3", "-N", "--no-buffer", "-#", "--progress-bar", "-4", "-6", "--ipv4", "--ipv6",
    "--tlsv1", "--tlsv1.0", "--tlsv1.1", "--tlsv1.2", "--tlsv1.3", "--ssl", "--ssl-reqd", "-n",
    "--netrc", "--location-trusted", "-q", "--disable", "-j", "--junk-session-cookies",
    "--no-keepalive", "--path-as-is", "--raw", "--tr-encoding", "--trace-time", "-O",
    "--remote-name", "-J", "--remote-header-name", "--digest", "--basic", "--ntlm",
    "--negotiate", "--anyauth", "--no-progress-meter", "--no-sessionid", "--no-alpn",
];

/// Parses a curl command line into a request draft.
pub fn parse(text: &str) -> Result<Draft, Error> {
    let prepared = join_continuations(text);
    let words = split(&prepared)?;
    let mut it = words.iter().enumerate().peekable();
    match it.next() {
        Some((_, w)) if is_curl(&w.text) => {}
        _ => {
            return Err(Error::input(
                "not a curl command: the first word is not `curl`",
            ))
        }
    }
    let mut d = Draft::default();
    let mut data: Vec<String> = Vec::new();
    let mut get = false;
    let mut head = false;
    let mut url: Option<String> = None;
    let mut options_done = false;
    while let Some((i, w)) = it.next() {
        let arg = w.text.as_str();
        if options_done || !arg.starts_with('-') || arg == "-" {
            set_url(&mut url, arg, i)?;
            continue;
        }
        if arg == "--" {
            options_done = true;
            continue;
        }
        // Split `-XPOST`, `--request=POST`, and bundles of short flags like `-sSLk`.
        let (opt, attached) = split_option(arg);
        let mut value = |what: &str| -> Result<String, Error> {
            if let Some(v) = &attached {
                return Ok(v.clone());
            }
            it.next().map(|(_, w)| w.text.clone()).ok_or_else(|| {
                Error::input(format!(
                    "truncated curl command: `{what}` (argument {i}) has no value"
                ))
            })
        };
        match opt.as_str() {
            "-X" | "--request" => d.method = Some(value(&opt)?),
            "-H" | "--header" => {
                let h = value(&opt)?;
                match split_header(&h) {
                    Some((n, v)) => {
                        if n.eq_ignore_ascii_case("authorization") {
                            crate::rfc5849::header::parse(&v).map_err(|e| {
                                Error::input(format!("curl {opt} (argument {i}): {}", e.one_line()))
                            })?;
                        }
                        d.headers.push((n, v));
                    }
                    // `-H 'Name;'` sends an empty header in curl.
                    None if h.trim_end().ends_with(';') && !h.contains(':') => {
                        let n = h.trim().trim_end_matches(';').to_string();
                        d.headers.push((n, String::new()));
                    }
                    None => {
                        return Err(Error::input(format!(
                            "curl {opt} (argument {i}): `{}` has no `:` (expected `Name: value`)",
                            shorten(&h)
                        )))
                    }
                }
            }
            "-d" | "--data" | "--data-ascii" | "--data-binary" => {
                let v = value(&opt)?;
                if v.starts_with('@') {
                    return Err(file_data(&opt, i));
                }
                data.push(v);
            }
            "--data-raw" => data.push(value(&opt)?),
            "--data-urlencode" => data.push(urlencode_data(&value(&opt)?, &opt, i)?),
            "--json" => {
                data.push(value(&opt)?);
                d.headers
                    .push(("Content-Type".into(), "application/json".into()));
            }
            "-F" | "--form" | "--form-string" => {
                value(&opt)?;
                d.method.get_or_insert_with(|| "POST".to_string());
            }
            "-G" | "--get" => get = true,
            "-I" | "--head" => head = true,
            "--url" => {
                let v = value(&opt)?;
                set_url(&mut url, &v, i)?;
            }
            o if IGNORED_WITH_VALUE.contains(&o) => {
                value(&opt)?;
            }
            o if IGNORED_FLAGS.contains(&o) => {}
            o if o.starts_with("--") => {
                return Err(Error::input(format!(
                    "curl option `{o}` (argument {i}) is not understood; remove it if it does \
                     not change the request"
                )))
            }
            _ => expand_short_bundle(arg, i, &mut get, &mut head)?,
        }
    }
    let mut url = url.ok_or_else(|| Error::input("truncated curl command: no URL"))?;
    if !data.is_empty() {
        let joined = data.join("&");
        if get {
            let cut = url.find('#').unwrap_or(url.len());
            let sep = if url[..cut].contains('?') { "&" } else { "?" };
            url.insert_str(cut, &format!("{sep}{joined}"));
        } else {
            d.body = Some(joined);
            if !d.has_header("content-type") {
                d.headers.push(("Content-Type".into(), FORM_TYPE.into()));
            }
        }
    }
    if d.method.is_none() {
        if head {
            d.method = Some("HEAD".into());
        } else if get {
            d.method = Some("GET".into());
        }
    }
    d.url = url;
    Ok(d)
}

fn set_url(url: &mut Option<String>, arg: &str, i: usize) -> Result<(), Error> {
    if url.is_some() {
        return Err(Error::input(format!(
            "curl command has a second URL `{}` (argument {i}); give one request at a time",
            shorten(arg)
        )));
    }
    *url = Some(arg.to_string());
    Ok(())
}

fn file_data(opt: &str, i: usize) -> Error {
    Error::input(format!(
        "curl {opt} @FILE (argument {i}) reads a file sigdoctor cannot see; paste the body \
         with --data-raw instead"
    ))
}

/// `-XPOST` -> (`-X`, `POST`); `--request=POST` -> (`--request`, `POST`); others unchanged.
fn split_option(arg: &str) -> (String, Option<String>) {
    if let Some(long) = arg.strip_prefix("--") {
        return match long.split_once('=') {
            Some((n, v)) => (format!("--{n}"), Some(v.to_string())),
            None => (arg.to_string(), None),
        };
    }
    let mut chars = arg.chars();
    chars.next();
    match chars.next() {
        Some(c) if "XHdeubAoxmwEKUF".contains(c) && arg.len() > 2 => {
            (format!("-{c}"), Some(arg[1 + c.len_utf8()..].to_string()))
        }
        _ => (arg.to_string(), None),
    }
}

/// A bundle of short flags without values (`-sSLk`, `-Gs`); a value-taking letter in a
/// bundle is refused, since curl would take the rest of the word as its value.
fn expand_short_bundle(arg: &str, i: usize, get: &mut bool, head: &mut bool) -> Result<(), Error> {
    for c in arg.chars().skip(1) {
        match c {
            'G' => *get = true,
            'I' => *head = true,
            c if IGNORED_FLAGS.contains(&format!("-{c}").as_str()) => {}
            c => {
                return Err(Error::input(format!(
                    "curl option `-{c}` in `{}` (argument {i}) is not understood",
                    shorten(arg)
                )))
            }
        }
    }
    Ok(())
}

/// curl's `--data-urlencode`: `content`, `=content` and `name=content` send the content
/// percent-encoded (curl's escaping is the RFC 3986 unreserved set, like RFC 5849's).
fn urlencode_data(v: &str, opt: &str, i: usize) -> Result<String, Error> {
    match v.find(['=', '@']) {
        Some(p) if v.as_bytes()[p] == b'@' => Err(file_data(opt, i)),
        Some(0) => Ok(pct(&v.as_bytes()[1..])),
        Some(p) => Ok(format!("{}={}", &v[..p], pct(&v.as_bytes()[p + 1..]))),
        None => Ok(pct(v.as_bytes())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urlencode_like_curl() {
        assert_eq!(urlencode_data("a b", "", 0).unwrap(), "a%20b");
        assert_eq!(urlencode_data("=a&b", "", 0).unwrap(), "a%26b");
        assert_eq!(urlencode_data("n=a b=c", "", 0).unwrap(), "n=a%20b%3Dc");
        assert!(urlencode_data("n@f", "", 0).is_err());
    }

    #[test]
    fn windows_cmd_copy() {
        let d = parse("curl.exe ^\"https://h/x?a=1^\" ^\n  -H ^\"Accept: */*^\"").unwrap();
        assert_eq!(d.url, "https://h/x?a=1");
        assert_eq!(d.headers, [("Accept".to_string(), "*/*".to_string())]);
    }
}
