//! Values people remove before posting a request (`https://<Gallery Server>:443/...`,
//! `oauth_consumer_key=<removed>`, `{{host}}`, `xxx`, `/api/v1/...&`): recognised, not
//! parse errors.
//!
//! Each placeholder is swapped for a token every parser accepts (letters, digits and `-`,
//! valid in a host, a path and a value, and unchanged by percent-encoding), so the request
//! still parses, the lints that need no such value still run, and the report names the value
//! to fill in. The original text is put back wherever the report shows the token.

/// One placeholder found in the pasted text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    /// As written (`<Gallery Server>`).
    pub text: String,
    /// The token standing in for it while parsing.
    pub token: String,
}

/// Markers of a cut signature: handled by the prefix match, never placeholders.
const CUT: [&str; 3] = ["truncated", "snip", "..."];

/// Swaps every placeholder of `text` for a token; returns the new text and what was swapped.
pub fn mask(text: &str) -> (String, Vec<Placeholder>) {
    let mut out = String::with_capacity(text.len());
    let mut found: Vec<Placeholder> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let Some((len, kind)) = placeholder_at(text, i) else {
            let c = rest.chars().next().map_or(1, char::len_utf8);
            out.push_str(&rest[..c]);
            i += c;
            continue;
        };
        let original = &rest[..len];
        let token = match found.iter().find(|p| p.text == original) {
            Some(p) => p.token.clone(),
            None => {
                let t = format!("sigdoctor-placeholder-{}", found.len() + 1);
                found.push(Placeholder {
                    text: original.to_string(),
                    token: t.clone(),
                });
                t
            }
        };
        // `{{baseUrl}}/api/...`: the placeholder stands for scheme and host.
        let word_start = text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '\'' || c == '"');
        if word_start && text[i + len..].starts_with('/') {
            out.push_str("https://");
        }
        out.push_str(&token);
        i += len;
        // An elided URL tail (`/api/v1/...&oauth_...`) lost its `?`: put it back.
        if kind == Kind::Elision
            && text[i..].starts_with('&')
            && !line_before(text, i).contains('?')
        {
            out.push('?');
            i += 1;
        }
    }
    (out, found)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bracketed,
    Elision,
}

fn line_before(text: &str, i: usize) -> &str {
    let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    &text[start..i]
}

/// The length of the placeholder starting at byte `i`, if one does.
fn placeholder_at(text: &str, i: usize) -> Option<(usize, Kind)> {
    let rest = &text[i..];
    let prev = text[..i].chars().next_back();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find(['>', '<', '\n'])?;
        let word = &inner[..end];
        let closed = inner[end..].starts_with('>');
        let ok = closed
            && !word.is_empty()
            && word.len() <= 60
            && !word.contains("://")
            && !word.to_ascii_lowercase().starts_with("http")
            && !CUT.contains(&word.trim().to_ascii_lowercase().as_str())
            && !word.contains(['"', '\'', '&', '=', '?']);
        return ok.then_some((end + 2, Kind::Bracketed));
    }
    if let Some(inner) = rest.strip_prefix("{{") {
        let end = inner.find("}}")?;
        let word = &inner[..end];
        let ok = !word.is_empty() && word.len() <= 60 && !word.contains(['\n', '"', '&']);
        return ok.then_some((end + 4, Kind::Bracketed));
    }
    let starts_token = prev.is_none_or(|c| "=/\"': \t\n,".contains(c));
    if starts_token {
        let xs = rest
            .bytes()
            .take_while(|b| matches!(b, b'x' | b'X'))
            .count();
        let after = rest[xs..].chars().next();
        if xs >= 3 && after.is_none_or(|c| "&/\"':, \t\r\n#?;".contains(c)) {
            return Some((xs, Kind::Bracketed));
        }
    }
    for e in ["...", "\u{2026}"] {
        if rest.starts_with(e) && !after_signature(text, i) {
            let before_ok = prev.is_some_and(|c| c == '/' || c == '&' || c == '?');
            if before_ok {
                return Some((e.len(), Kind::Elision));
            }
        }
    }
    None
}

/// Whether byte `i` follows an `oauth_signature` value (a cut signature, not an elision).
fn after_signature(text: &str, i: usize) -> bool {
    let before = &text[..i];
    let start = before
        .rfind(['&', '?', ',', ' ', '\n'])
        .map_or(0, |n| n + 1);
    before[start..]
        .trim_start_matches(['"', '\''])
        .to_ascii_lowercase()
        .starts_with("oauth_signature=")
}

/// Puts the original text back where a report shows a token.
pub fn unmask(s: &str, found: &[Placeholder]) -> String {
    let mut out = s.to_string();
    for p in found.iter().rev() {
        if out.contains(&p.token) {
            out = out.replace(&p.token, &p.text);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forum_paste_parses() {
        let paste = "https://<Gallery Server>:443/gallery/api/v1/...&oauth_consumer_key=<removed>&oauth_signature_method=HMAC-SHA1&oauth_signature=OjENMgFp9o<truncated>";
        let (masked, found) = mask(paste);
        assert_eq!(
            masked,
            "https://sigdoctor-placeholder-1:443/gallery/api/v1/sigdoctor-placeholder-2?oauth_consumer_key=sigdoctor-placeholder-3&oauth_signature_method=HMAC-SHA1&oauth_signature=OjENMgFp9o<truncated>"
        );
        let texts: Vec<&str> = found.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["<Gallery Server>", "...", "<removed>"]);
        assert_eq!(
            unmask(&masked, &found).replace("sigdoctor", ""),
            paste.replace("/...&", "/...?")
        );
    }

    #[test]
    fn other_forms_and_non_placeholders() {
        let (m, f) =
            mask("{{host}}/x?oauth_consumer_key=xxx&oauth_nonce=xxxa&oauth_signature=ab...");
        assert_eq!(f.len(), 2);
        assert!(m.ends_with("oauth_nonce=xxxa&oauth_signature=ab..."), "{m}");
        let (m, f) = mask("<https://h/x?a=1>");
        assert!(f.is_empty() && m == "<https://h/x?a=1>");
    }
}
