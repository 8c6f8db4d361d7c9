//! PowerShell's `Invoke-WebRequest` / `Invoke-RestMethod` (and their `iwr` / `irm` aliases),
//! as Windows users paste them: `-Uri`, `-Method`, `-Headers @{...}` (inline, or a
//! `$headers = @{...}` line before the call), `-Body`, `-ContentType`, backtick line
//! continuations, single quotes (`''` escapes a quote) and double quotes (`` ` `` escapes).
//! Variables are not expanded: a `$var` left in the URL is reported as it is.

use super::{Draft, FORM_TYPE};
use crate::error::Error;

/// The cmdlet names and aliases recognised.
const CMDLETS: &[&str] = &["invoke-webrequest", "iwr", "invoke-restmethod", "irm"];

/// Whether `text` is an `Invoke-WebRequest` call, possibly after `$var = @{...}` lines.
pub fn is_powershell(text: &str) -> bool {
    // Cheap test first: a large paste that names no cmdlet near its start is not tokenized.
    let mut head = text.len().min(64 * 1024);
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let lower = text[..head].to_ascii_lowercase();
    let named = CMDLETS.iter().any(|c| {
        lower.match_indices(c).any(|(i, _)| {
            let before = lower[..i].chars().next_back();
            let after = lower[i + c.len()..].chars().next();
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == '-')
                && !after.is_some_and(|a| a.is_ascii_alphanumeric() || a == '-')
        })
    });
    if !named {
        return false;
    }
    let Ok(tokens) = tokenize(text) else {
        return false;
    };
    call_start(&tokens).is_some()
}

/// One PowerShell token.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// A word or a quoted string, quotes removed.
    Word(String),
    /// A hashtable literal `@{ k = v; ... }`.
    Hash(Vec<(String, String)>),
    /// `=` in an assignment.
    Assign,
    /// A statement end (newline or `;` outside a hashtable).
    End,
}

fn call_start(tokens: &[Tok]) -> Option<usize> {
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Tok::End => i += 1,
            Tok::Word(w) if w.starts_with('$') && tokens.get(i + 1) == Some(&Tok::Assign) => {
                // `$var = value` up to the statement end.
                i += 2;
                while i < tokens.len() && tokens[i] != Tok::End {
                    i += 1;
                }
            }
            Tok::Word(w) if CMDLETS.contains(&w.to_ascii_lowercase().as_str()) => return Some(i),
            _ => return None,
        }
    }
    None
}

/// Parses an `Invoke-WebRequest` call into a request draft.
pub fn parse(text: &str) -> Result<Draft, Error> {
    let tokens = tokenize(text)?;
    let start = call_start(&tokens)
        .ok_or_else(|| Error::input("not an Invoke-WebRequest call: no cmdlet name found"))?;
    // Hashtables assigned before the call: `$headers = @{...}`.
    let mut vars: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for w in tokens[..start].windows(3) {
        if let [Tok::Word(name), Tok::Assign, Tok::Hash(h)] = w {
            vars.push((name.to_ascii_lowercase(), h.clone()));
        }
    }
    let mut d = Draft::default();
    let mut content_type: Option<String> = None;
    let mut it = tokens[start + 1..]
        .iter()
        .take_while(|t| **t != Tok::End)
        .peekable();
    while let Some(t) = it.next() {
        let word = match t {
            Tok::Word(w) => w,
            Tok::Hash(_) => {
                return Err(Error::input(
                    "Invoke-WebRequest: a hashtable without -Headers before it",
                ))
            }
            _ => continue,
        };
        let Some(param) = word.strip_prefix('-').map(str::to_ascii_lowercase) else {
            if d.url.is_empty() {
                d.url = word.clone();
                continue;
            }
            return Err(Error::input(format!(
                "Invoke-WebRequest: unexpected argument `{word}`"
            )));
        };
        let mut value = || -> Result<Tok, Error> {
            it.next()
                .cloned()
                .ok_or_else(|| Error::input(format!("Invoke-WebRequest: -{param} has no value")))
        };
        match param.as_str() {
            "uri" | "url" => d.url = text_of(value()?, "-Uri")?,
            "method" => d.method = Some(text_of(value()?, "-Method")?.to_ascii_uppercase()),
            "body" => d.body = Some(text_of(value()?, "-Body")?),
            "contenttype" => content_type = Some(text_of(value()?, "-ContentType")?),
            "useragent" => d
                .headers
                .push(("User-Agent".into(), text_of(value()?, "-UserAgent")?)),
            "headers" => {
                let h = match value()? {
                    Tok::Hash(h) => h,
                    Tok::Word(v) => vars
                        .iter()
                        .find(|(n, _)| *n == v.to_ascii_lowercase())
                        .map(|(_, h)| h.clone())
                        .ok_or_else(|| {
                            Error::input(format!(
                                "Invoke-WebRequest: -Headers {v}: paste the `{v} = @{{...}}` line too"
                            ))
                        })?,
                    _ => return Err(Error::input("Invoke-WebRequest: -Headers has no value")),
                };
                d.headers.extend(h);
            }
            // Switches and parameters that do not change what is signed.
            _ => {
                if matches!(it.peek(), Some(Tok::Word(w)) if !w.starts_with('-')) {
                    it.next();
                }
            }
        }
    }
    if d.url.is_empty() {
        return Err(Error::input("Invoke-WebRequest: no -Uri"));
    }
    if d.body.is_some() || content_type.is_some() {
        if let Some(ct) = content_type {
            d.headers.push(("Content-Type".into(), ct));
        } else if !d.has_header("content-type") {
            // PowerShell sends a string -Body of a POST as a form unless told otherwise.
            d.headers.push(("Content-Type".into(), FORM_TYPE.into()));
        }
    }
    crate::request::RawUrl::parse(&d.url)?;
    Ok(d)
}

fn text_of(t: Tok, what: &str) -> Result<String, Error> {
    match t {
        Tok::Word(w) => Ok(w),
        _ => Err(Error::input(format!(
            "Invoke-WebRequest: {what} takes a string"
        ))),
    }
}

fn tokenize(text: &str) -> Result<Vec<Tok>, Error> {
    let chars: Vec<char> = text.trim_start_matches('\u{feff}').chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' if matches!(chars.get(i + 1), Some('\n' | '\r')) => {
                i += 1;
                while matches!(chars.get(i), Some('\n' | '\r')) {
                    i += 1;
                }
            }
            ' ' | '\t' | '\r' => i += 1,
            '\n' | ';' => {
                out.push(Tok::End);
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '=' => {
                out.push(Tok::Assign);
                i += 1;
            }
            '@' if chars.get(i + 1) == Some(&'{') => {
                let (h, next) = hashtable(&chars, i + 2)?;
                out.push(Tok::Hash(h));
                i = next;
            }
            _ => {
                let (w, next) = word(&chars, i, false)?;
                if next == i {
                    // A character no word starts with (a stray `}`): skip it.
                    i += 1;
                    continue;
                }
                out.push(Tok::Word(w));
                i = next;
            }
        }
    }
    Ok(out)
}

/// A word from `i`: quoted strings and bare text glued together, up to whitespace or `;`
/// (and `=` after a hashtable key or a `$variable`; a bare URL keeps its `=`).
fn word(chars: &[char], mut i: usize, key: bool) -> Result<(String, usize), Error> {
    let mut w = String::new();
    while let Some(&c) = chars.get(i) {
        let at_eq = c == '=' && (key || w.starts_with('$'));
        match c {
            ' ' | '\t' | '\r' | '\n' | ';' | '}' => break,
            '=' if at_eq => break,
            '\'' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(Error::input("PowerShell: unterminated ' quote")),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            w.push('\'');
                            i += 2;
                        }
                        Some('\'') => break,
                        Some(&x) => {
                            w.push(x);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            '"' => {
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(Error::input("PowerShell: unterminated \" quote")),
                        Some('`') => {
                            match chars.get(i + 1) {
                                Some('n') => w.push('\n'),
                                Some('t') => w.push('\t'),
                                Some('r') => w.push('\r'),
                                Some(&x) => w.push(x),
                                None => {}
                            }
                            i += 2;
                        }
                        Some('"') if chars.get(i + 1) == Some(&'"') => {
                            w.push('"');
                            i += 2;
                        }
                        Some('"') => break,
                        Some(&x) => {
                            w.push(x);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            '`' => {
                if let Some(&x) = chars.get(i + 1) {
                    w.push(x);
                }
                i += 2;
            }
            _ => {
                w.push(c);
                i += 1;
            }
        }
    }
    Ok((w, i))
}

/// A hashtable body from `i` (after `@{`): `key = value` entries separated by `;` or newlines.
fn hashtable(chars: &[char], mut i: usize) -> Result<(Vec<(String, String)>, usize), Error> {
    let mut out = Vec::new();
    loop {
        while matches!(chars.get(i), Some(' ' | '\t' | '\r' | '\n' | ';')) {
            i += 1;
        }
        match chars.get(i) {
            None => return Err(Error::input("PowerShell: unterminated @{ hashtable")),
            Some('}') => return Ok((out, i + 1)),
            Some('`') => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let start = i;
        let (key, next) = word(chars, i, true)?;
        i = next;
        while matches!(chars.get(i), Some(' ' | '\t')) {
            i += 1;
        }
        if chars.get(i) != Some(&'=') {
            return Err(Error::input(format!(
                "PowerShell: hashtable key `{key}` has no `=`"
            )));
        }
        i += 1;
        while matches!(chars.get(i), Some(' ' | '\t')) {
            i += 1;
        }
        let (value, next) = word(chars, i, false)?;
        i = next;
        if i == start {
            return Err(Error::input("PowerShell: cannot read the @{ hashtable"));
        }
        out.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_variable_headers() {
        let d = parse(
            "Invoke-WebRequest -Uri 'https://h/x?a=1' -Method Post `\r\n  -Headers @{ 'Authorization' = 'OAuth oauth_consumer_key=\"K\"'; \"X-A\" = \"b`\"c\" } -Body 'q=1'",
        )
        .unwrap();
        assert_eq!(d.url, "https://h/x?a=1");
        assert_eq!(d.method.as_deref(), Some("POST"));
        assert_eq!(
            d.headers[0],
            (
                "Authorization".into(),
                "OAuth oauth_consumer_key=\"K\"".into()
            )
        );
        assert_eq!(d.headers[1], ("X-A".into(), "b\"c".into()));
        assert_eq!(d.body.as_deref(), Some("q=1"));
        let d = parse("$h=@{\n Authorization = 'OAuth a=\"1\"'\n}\niwr https://h/y?a=1 -Headers $h -UseBasicParsing").unwrap();
        assert_eq!(d.url, "https://h/y?a=1");
        assert_eq!(
            d.headers,
            vec![("Authorization".into(), "OAuth a=\"1\"".into())]
        );
        assert!(is_powershell("Invoke-RestMethod -Uri https://h/"));
        // Regression (proptest): a stray `}` once looped forever in the tokenizer.
        assert_eq!(
            parse("Invoke-WebRequest } -Uri https://h/").unwrap().url,
            "https://h/"
        );
        assert!(!is_powershell("curl https://h/"));
    }

    proptest::proptest! {
        /// Whatever follows the cmdlet name, parsing ends in a draft or an error, never a panic.
        #[test]
        fn never_panics(rest in "[ -~\\t\\r\\n`'\"@{};=$é]{0,200}") {
            let text = format!("Invoke-WebRequest {rest}");
            let _ = is_powershell(&text);
            let _ = parse(&text);
            let _ = crate::input::shell::join_continuations(&format!("curl {rest}"));
        }
    }
}
