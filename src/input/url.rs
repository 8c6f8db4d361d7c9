//! A bare URL, as pasted: surrounding whitespace and one pair of matching quotes go, the
//! rest is kept byte for byte (the request model splits it without normalising).

use super::Draft;
use crate::error::Error;

/// Parses a URL on its own; `-X/-H/-d` are applied later by [`Draft::into_request`].
pub fn parse(text: &str) -> Result<Draft, Error> {
    let t = text.trim_start_matches('\u{feff}').trim();
    let t = ['\'', '"', '<']
        .iter()
        .find_map(|&q| {
            let close = if q == '<' { '>' } else { q };
            t.strip_prefix(q)?.strip_suffix(close)
        })
        .unwrap_or(t);
    if t.is_empty() {
        return Err(Error::input("empty URL"));
    }
    // Check it now, so that the error names the URL rather than a later stage.
    crate::request::RawUrl::parse(t)?;
    Ok(Draft {
        url: t.to_string(),
        ..Draft::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_url_and_drops_quotes() {
        assert_eq!(
            parse(" 'HTTPS://H:443/a%7e?x=1+2' \n").unwrap().url,
            "HTTPS://H:443/a%7e?x=1+2"
        );
        assert_eq!(parse("<http://h/>").unwrap().url, "http://h/");
        assert!(parse("ftp://h/").is_err());
        assert!(parse("''").is_err());
    }
}
