//! A HAR file (HTTP Archive, as browsers and proxies export it).
//!
//! Every entry that carries OAuth parameters is returned, so a session with one failing
//! call among fifty is examined without hunting for it; `--entry N` (0-based among all
//! entries) picks one. Entries that are not http(s) requests (data:, ws:, extensions) are
//! skipped unless picked.

use serde::Deserialize;

use super::{Draft, FORM_TYPE};
use crate::error::Error;
use crate::options::RequestInput;
use crate::request::Request;

/// The top level of a HAR file.
#[derive(Debug, Deserialize)]
pub struct Har {
    /// The `log` object.
    pub log: Log,
}

/// `log`: only the entries matter here.
#[derive(Debug, Deserialize)]
pub struct Log {
    /// Recorded exchanges, in order.
    pub entries: Vec<Entry>,
}

/// One recorded exchange.
#[derive(Debug, Deserialize)]
pub struct Entry {
    /// What was sent.
    pub request: HarRequest,
}

/// The request of an entry.
#[derive(Debug, Deserialize)]
pub struct HarRequest {
    /// Method.
    pub method: String,
    /// Absolute URL, as the browser sent it.
    pub url: String,
    /// Headers in order (HTTP/2 pseudo-headers like `:authority` are skipped).
    #[serde(default)]
    pub headers: Vec<NameValue>,
    /// The body, if any.
    #[serde(rename = "postData")]
    pub post_data: Option<PostData>,
}

/// A header or form parameter.
#[derive(Debug, Deserialize)]
pub struct NameValue {
    /// Name.
    pub name: String,
    /// Value.
    #[serde(default)]
    pub value: String,
}

/// `postData`: the body as text, or as parsed parameters.
#[derive(Debug, Deserialize)]
pub struct PostData {
    /// Content type of the body.
    #[serde(rename = "mimeType", default)]
    pub mime_type: String,
    /// The body text.
    pub text: Option<String>,
    /// The body as form parameters, when `text` is absent.
    #[serde(default)]
    pub params: Vec<NameValue>,
}

impl HarRequest {
    /// The entry as a request draft.
    pub fn draft(&self) -> Draft {
        let headers: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|h| !h.name.starts_with(':'))
            .map(|h| (h.name.clone(), h.value.clone()))
            .collect();
        let mut d = Draft {
            method: Some(self.method.clone()),
            url: self.url.clone(),
            headers,
            body: None,
        };
        if let Some(p) = &self.post_data {
            d.body = Some(match &p.text {
                Some(t) => t.clone(),
                None => p
                    .params
                    .iter()
                    .map(|nv| format!("{}={}", nv.name, nv.value))
                    .collect::<Vec<_>>()
                    .join("&"),
            });
            if !d.has_header("content-type") && !p.mime_type.is_empty() {
                d.headers.push(("Content-Type".into(), p.mime_type.clone()));
            } else if !d.has_header("content-type") && p.text.is_none() {
                d.headers.push(("Content-Type".into(), FORM_TYPE.into()));
            }
        }
        d
    }
}

/// Parses a HAR file: the entries carrying OAuth parameters, or entry `entry`.
pub fn parse(
    text: &str,
    entry: Option<usize>,
    input: &RequestInput,
) -> Result<Vec<Request>, Error> {
    let har: Har = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        Error::input(format!(
            "not a HAR file: {} (line {}, column {})",
            strip_position(&e.to_string()),
            e.line(),
            e.column()
        ))
    })?;
    let entries = &har.log.entries;
    if let Some(n) = entry {
        let e = entries.get(n).ok_or_else(|| {
            Error::input(format!(
                "HAR has {} entries; --entry {n} is out of range (entries count from 0)",
                entries.len()
            ))
        })?;
        let req = e
            .request
            .draft()
            .into_request(input)
            .map_err(|err| Error::input(format!("HAR entry {n}: {}", err.one_line())))?;
        return Ok(vec![req]);
    }
    let found: Vec<Request> = entries
        .iter()
        .filter_map(|e| e.request.draft().into_request(input).ok())
        .filter(Request::has_oauth)
        .collect();
    if found.is_empty() {
        return Err(Error::input(format!(
            "HAR has {} entries, none carries OAuth parameters",
            entries.len()
        )));
    }
    Ok(found)
}

/// serde_json appends " at line L column C"; the message gives the position itself.
fn strip_position(msg: &str) -> &str {
    msg.rfind(" at line ").map_or(msg, |i| &msg[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    const HAR: &str = r#"{"log":{"version":"1.2","entries":[
      {"request":{"method":"GET","url":"https://h/a","headers":[]}},
      {"request":{"method":"GET","url":"https://h/b?oauth_consumer_key=k","headers":[{"name":":authority","value":"h"}]}},
      {"request":{"method":"POST","url":"https://h/c","headers":[],
        "postData":{"mimeType":"application/x-www-form-urlencoded","text":"oauth_nonce=n"}}},
      {"request":{"method":"GET","url":"data:text/plain,x","headers":[]}}]}}"#;

    #[test]
    fn oauth_entries_and_entry_pick() {
        let all = parse(HAR, None, &RequestInput::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].param_str("oauth_nonce").as_deref(), Some("n"));
        assert!(all[0].headers.is_empty());
        let one = parse(HAR, Some(0), &RequestInput::default()).unwrap();
        assert_eq!(one[0].url.text, "https://h/a");
        let e = parse(HAR, Some(9), &RequestInput::default()).unwrap_err();
        assert!(e.to_string().contains("out of range"), "{e}");
    }

    #[test]
    fn no_oauth_and_broken() {
        let har = r#"{"log":{"entries":[{"request":{"method":"GET","url":"https://h/"}}]}}"#;
        let e = parse(har, None, &RequestInput::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "HAR has 1 entries, none carries OAuth parameters"
        );
        let e = parse("{\"log\":{}}", None, &RequestInput::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("not a HAR file: missing field `entries`"),
            "{e}"
        );
    }
}
