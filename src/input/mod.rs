//! Request capture: turns what the user pasted into a [`crate::request::Request`].
//!
//! Recognises a bare URL (with `-X/-H/-d`), a curl command line, a raw HTTP/1.1 request
//! and a HAR file, from the command line, stdin (`-`) or a file (`@PATH`).

use crate::cli::RequestInput;
use crate::error::Error;
use crate::request::Request;

/// Largest input accepted: SPEC section 2 (a 100 MB paste is refused, not read whole).
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads and parses the request the user gave.
pub fn capture(input: &RequestInput) -> Result<Vec<Request>, Error> {
    // Placeholder until curl/HTTP/HAR capture lands: a bare URL with -X/-H/-d.
    let headers = input
        .headers
        .iter()
        .map(|h| {
            h.split_once(':')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .ok_or_else(|| Error::input(format!("header `{h}` has no `:`")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let method = input
        .method
        .clone()
        .unwrap_or_else(|| if input.data.is_some() { "POST" } else { "GET" }.to_string());
    Ok(vec![Request::new(
        &method,
        &input.request,
        headers,
        input.data.clone(),
    )?])
}
