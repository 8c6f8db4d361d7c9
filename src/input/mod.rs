//! Request capture: turns what the user pasted into [`crate::request::Request`]s.
//!
//! Recognises a bare URL, a curl command line, a raw HTTP/1.1 request and a HAR file, from
//! the command line, stdin (`-`) or a file (`@PATH`). Every parser ends in [`Draft`], and
//! every draft ends in [`Request::new`] with the URL text exactly as written: the url crate
//! never sees the evidence, because it would normalise `:443` and host case away.

pub mod curl;
pub mod har;
pub mod http;
pub mod placeholder;
pub mod powershell;
pub mod shell;
pub mod url;

use std::io::Read;

use crate::error::Error;
use crate::options::{Profile, RequestInput};
use crate::request::{url::shorten, RawUrl, Request};

/// Largest input accepted: SPEC section 2 (a 100 MB paste is refused, not read whole).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// The content type curl adds to `-d` bodies, and the only one whose body OAuth signs.
pub const FORM_TYPE: &str = "application/x-www-form-urlencoded";

/// A request as a parser read it, before the command line's `-X/-H/-d` apply.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The method, when the input says (`None`: GET, or POST with a body).
    pub method: Option<String>,
    /// The URL exactly as written.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<String>,
}

impl Draft {
    /// Applies `-X/-H/-d` from the command line on top, then builds the request model.
    pub fn into_request(mut self, overrides: &RequestInput) -> Result<Request, Error> {
        // Text from files and stdin is checked in `to_text`; arguments given through the
        // library (fuzzing found one) are checked here, so no NUL reaches a printed request.
        let given = overrides.method.iter().map(|m| ("-X", m));
        let given = given.chain(overrides.headers.iter().map(|h| ("-H", h)));
        for (what, v) in given.chain(overrides.data.iter().map(|d| ("-d", d))) {
            if let Some(off) = v.find('\0') {
                return Err(Error::input(format!(
                    "{what}: NUL byte at byte offset {off}"
                )));
            }
        }
        if let Some(m) = &overrides.method {
            self.method = Some(m.clone());
        }
        for (i, h) in overrides.headers.iter().enumerate() {
            let (n, v) = split_header(h).ok_or_else(|| {
                Error::input(format!(
                    "-H #{}: header `{}` has no `:` (expected `Name: value`)",
                    i + 1,
                    shorten(h)
                ))
            })?;
            self.headers
                .retain(|(old, _)| !old.eq_ignore_ascii_case(&n));
            self.headers.push((n, v));
        }
        if let Some(d) = &overrides.data {
            self.body = Some(d.clone());
            if !self.has_header("content-type") {
                self.headers
                    .push(("Content-Type".to_string(), FORM_TYPE.to_string()));
            }
        }
        let method = self
            .method
            .unwrap_or_else(|| if self.body.is_some() { "POST" } else { "GET" }.to_string());
        Request::new(&method, &self.url, self.headers, self.body)
    }

    /// Whether a header named `name` (case-insensitive) is present.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// Splits `Name: value` (the value trimmed); `None` without a `:` or with an empty name.
pub fn split_header(h: &str) -> Option<(String, String)> {
    let (n, v) = h.split_once(':')?;
    let n = n.trim();
    (!n.is_empty()).then(|| (n.to_string(), v.trim().to_string()))
}

/// Reads and parses the request the user gave: `-` is stdin, `@PATH` a file, anything else
/// the request text itself (usually a URL).
pub fn capture(input: &RequestInput) -> Result<Vec<Request>, Error> {
    let (text, source) = read_input(input)?;
    parse_text(&text, &source, input)
}

/// Reads the request text the user gave, with the name error messages give its source.
pub fn read_input(input: &RequestInput) -> Result<(String, String), Error> {
    Ok(if input.request == "-" {
        let bytes = read_bounded(std::io::stdin().lock(), "stdin")?;
        (to_text(bytes, "stdin")?, "stdin".to_string())
    } else if let Some(path) = input.request.strip_prefix('@') {
        let source = format!("@{path}");
        (to_text(read_file(path)?, &source)?, source)
    } else {
        did_you_mean_file(&input.request)?;
        (input.request.clone(), "REQUEST".to_string())
    })
}

/// A REQUEST that names an existing file rather than a URL meant `@PATH`.
fn did_you_mean_file(request: &str) -> Result<(), Error> {
    let path = std::path::Path::new(request);
    if !request.contains("://") && !request.contains('\n') && path.is_file() {
        return Err(Error::input(format!(
            "REQUEST `{}` is a file; did you mean @{}? (`-` reads stdin)",
            shorten(request),
            shorten(request)
        )));
    }
    Ok(())
}

/// Detects the format of `text` and parses it; `source` names it in error messages.
pub fn parse_text(text: &str, source: &str, input: &RequestInput) -> Result<Vec<Request>, Error> {
    let at = |e: Error| Error::input(format!("{source}: {}", e.one_line()));
    if text.contains('\0') {
        let off = text.find('\0').unwrap_or(0);
        return Err(Error::input(format!(
            "{source}: NUL byte at byte offset {off}"
        )));
    }
    let format = detect(text);
    if input.entry.is_some() && format != Format::Har {
        return Err(Error::input(format!(
            "--entry applies to a HAR file, but {source} holds a {}",
            format.name()
        )));
    }
    let draft = match format {
        Format::Empty => return Err(Error::input(format!("{source} is empty"))),
        Format::Har => return har::parse(text, input.entry, input).map_err(at),
        Format::Curl => curl::parse(text),
        Format::Http => http::parse(text),
        Format::PowerShell => powershell::parse(text),
        Format::Url => url::parse(text),
        Format::Unknown => {
            let first = text.trim_start().lines().next().unwrap_or("");
            return Err(Error::input(format!(
                "{source}: cannot tell what this is (line 1: `{}`); expected a URL, a curl \
                 command line, a raw HTTP/1.1 request or a HAR file",
                shorten(first.trim())
            )));
        }
    };
    Ok(vec![draft.map_err(at)?.into_request(input).map_err(at)?])
}

/// The input formats [`detect`] tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Nothing but whitespace.
    Empty,
    /// A bare URL on one line.
    Url,
    /// A curl command line.
    Curl,
    /// A raw HTTP/1.1 request.
    Http,
    /// A PowerShell `Invoke-WebRequest` call.
    PowerShell,
    /// A HAR file (JSON).
    Har,
    /// None of the above.
    Unknown,
}

impl Format {
    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Empty => "nothing",
            Self::Url => "URL",
            Self::Curl => "curl command",
            Self::Http => "raw HTTP request",
            Self::PowerShell => "Invoke-WebRequest call",
            Self::Har => "HAR file",
            Self::Unknown => "text of unknown format",
        }
    }
}

/// Tells the formats apart by their first bytes: `{` is HAR, `curl` is curl, a request line
/// is raw HTTP, a single word is a URL.
pub fn detect(text: &str) -> Format {
    let t = text.trim_start_matches('\u{feff}').trim();
    if t.is_empty() {
        return Format::Empty;
    }
    if t.starts_with('{') {
        return Format::Har;
    }
    if curl::is_curl(t) {
        return Format::Curl;
    }
    let first = t.lines().next().unwrap_or("");
    if http::is_request_line(first) {
        return Format::Http;
    }
    if powershell::is_powershell(t) {
        return Format::PowerShell;
    }
    if !t.contains(char::is_whitespace) {
        return Format::Url;
    }
    Format::Unknown
}

/// Reads at most [`MAX_INPUT_BYTES`]; one byte more means the input is refused.
pub fn read_bounded(reader: impl Read, source: &str) -> Result<Vec<u8>, Error> {
    crate::bounded::read(reader, MAX_INPUT_BYTES, source)
}

/// Reads a file, refusing one over [`MAX_INPUT_BYTES`] from its size before reading it.
pub fn read_file(path: &str) -> Result<Vec<u8>, Error> {
    crate::bounded::read_file(path.as_ref(), MAX_INPUT_BYTES, &format!("@{path}"))
}

/// Bytes to text: UTF-16 (what PowerShell's `>` writes, with a BOM) is decoded, a UTF-8 BOM
/// dropped; invalid UTF-8 and NUL bytes are refused, naming the byte offset.
pub fn to_text(bytes: Vec<u8>, source: &str) -> Result<String, Error> {
    let bytes = match decode_utf16(&bytes, source)? {
        Some(text) => text.into_bytes(),
        None => bytes,
    };
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if let Some(off) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::input(format!(
            "{source}: NUL byte at byte offset {off}"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::input(format!(
            "{source}: not UTF-8 at byte offset {}",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// UTF-16 text: with a byte-order mark, or without one when the first characters are ASCII
/// with a zero high byte (a Windows tool that wrote no BOM). `None` when it is not UTF-16.
fn decode_utf16(bytes: &[u8], source: &str) -> Result<Option<String>, Error> {
    let (encoding, body) = match encoding_rs::Encoding::for_bom(bytes) {
        Some((enc, len)) if enc != encoding_rs::UTF_8 => (enc, &bytes[len..]),
        _ => {
            let looks = |zero_at: usize| {
                bytes.len() >= 4
                    && bytes.len() % 2 == 0
                    && bytes[..4]
                        .iter()
                        .enumerate()
                        .all(|(i, &b)| (b == 0) == (i % 2 == zero_at))
            };
            if looks(1) {
                (encoding_rs::UTF_16LE, bytes)
            } else if looks(0) {
                (encoding_rs::UTF_16BE, bytes)
            } else {
                return Ok(None);
            }
        }
    };
    match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok(Some(text.into_owned())),
        None => Err(Error::input(format!(
            "{source}: not valid {} (an unpaired surrogate or an odd byte count)",
            encoding.name()
        ))),
    }
}

/// 1-based line and column (in characters) of byte offset `off` in `text`.
pub fn line_col(text: &str, off: usize) -> (usize, usize) {
    let off = off.min(text.len());
    let mut off = off;
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Refuses a request without any `oauth_*` parameter: for commands that analyse one.
pub fn require_oauth(req: &Request) -> Result<(), Error> {
    if req.has_oauth() {
        return Ok(());
    }
    Err(Error::input(format!(
        "no OAuth parameter (oauth_*) in the query, the Authorization header or the form body of {} {}",
        req.method,
        shorten(&req.url.text)
    )))
}

/// Resolves `--profile auto` from a URL: a provider's host ([`crate::profile::SPECS`]), then
/// alteryx when the path has a `gallery` segment or contains `/api/v1/`, `/api/admin/` or
/// `/api/user/v2/` (SPEC section 2), then a provider's path, else generic. A whole request
/// can say more (an LTI launch's form): [`crate::profile::detect`].
pub fn resolve_profile(profile: Profile, url: &RawUrl) -> Profile {
    if profile != Profile::Auto {
        return profile;
    }
    let path = url.path.to_ascii_lowercase();
    let gallery = path.split('/').any(|s| s == "gallery");
    let api = ["/api/v1/", "/api/admin/", "/api/user/v2/"]
        .iter()
        .any(|p| path.contains(p));
    crate::profile::detect_url(url, gallery || api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats() {
        assert_eq!(detect("  https://h/p?a=1 \n"), Format::Url);
        assert_eq!(detect("curl -X POST 'https://h/'"), Format::Curl);
        assert_eq!(detect("GET /p HTTP/1.1\r\nHost: h\r\n\r\n"), Format::Http);
        assert_eq!(detect("{\"log\":{}}"), Format::Har);
        assert_eq!(detect(" \n\t"), Format::Empty);
        assert_eq!(detect("hello world"), Format::Unknown);
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 6), (2, 3));
        assert_eq!(line_col("abc", 99), (1, 4));
    }

    #[test]
    fn profile_rules() {
        let p = |u: &str| resolve_profile(Profile::Auto, &RawUrl::parse(u).unwrap());
        assert_eq!(p("https://h/gallery/"), Profile::Alteryx);
        assert_eq!(p("https://h/x/api/v1/workflows/"), Profile::Alteryx);
        assert_eq!(p("https://h/galleryx/api/v2/"), Profile::Generic);
        assert_eq!(p("https://api.twitter.com/1.1/x.json"), Profile::Twitter);
        assert_eq!(p("https://api.example.com/1.1/x.json"), Profile::Generic);
    }

    #[test]
    fn non_utf8_and_nul_name_the_offset() {
        let e = to_text(b"abc\xffdef".to_vec(), "stdin").unwrap_err();
        assert_eq!(e.to_string(), "stdin: not UTF-8 at byte offset 3");
        let e = to_text(b"ab\0".to_vec(), "stdin").unwrap_err();
        assert_eq!(e.to_string(), "stdin: NUL byte at byte offset 2");
    }
}
