//! Shell words: how a pasted command line splits into arguments.
//!
//! POSIX rules (single and double quotes, backslashes, `$'...'` as browsers emit it,
//! `\`-newline continuations, `#` comments), plus Windows `^` and PowerShell backtick
//! continuations. Each word keeps its byte offset, so a truncated paste is reported by line
//! and column of the quote that never closed.

use super::line_col;
use crate::error::Error;

/// One shell word and where it started in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word after quote removal.
    pub text: String,
    /// Byte offset of its first character.
    pub start: usize,
}

/// Whether the command was written for cmd.exe: "Copy as cURL (cmd)" quotes every argument
/// as `^"...^"`, and hand-written `curl.exe` commands continue lines with `^`. Decided from
/// the command's shape, never from a `^` inside a quoted body.
fn is_cmd(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let _ = words.next();
    let second = words.next().unwrap_or("");
    second.starts_with("^\"") || caret_continues_outside_quotes(text)
}

/// Whether a `^` ends a line outside single and double quotes: a cmd.exe continuation, with
/// or without a space before it (`curl "URL" ^`, `curl "URL"^`), LF or CRLF.
fn caret_continues_outside_quotes(text: &str) -> bool {
    let b = text.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate() {
        match (quote, c) {
            (None, b'"' | b'\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'^') => {
                let next = &b[i + 1..];
                if next.starts_with(b"\n") || next.starts_with(b"\r\n") {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// For cmd.exe commands: turns `^` line continuations into spaces and undoes `^` escapes,
/// as cmd.exe does: outside double quotes only (inside them `^` is literal, and a `^"` is an
/// escaped quote that opens nothing, which is how "Copy as cURL (cmd)" writes every quote).
/// Other text is returned as it is; POSIX `\`-newline and PowerShell backtick continuations
/// are [`split`]'s, which knows whether it is inside quotes.
pub fn join_continuations(text: &str) -> String {
    if !is_cmd(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            '^' if !quoted => match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    out.push(' ');
                }
                Some('\n') => out.push(' '),
                Some(n) => out.push(n),
                None => {}
            },
            c => out.push(c),
        }
    }
    out
}

/// Splits a command line into words with POSIX shell quoting rules.
pub fn split(text: &str) -> Result<Vec<Word>, Error> {
    let b = text.as_bytes();
    let mut words = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut start: Option<usize> = None;
    let mut i = 0;
    let unterminated = |q: &str, at: usize| {
        let (l, c) = line_col(text, at);
        Error::input(format!(
            "truncated curl command: unterminated {q} quote at line {l}, column {c}"
        ))
    };
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                if let Some(s) = start.take() {
                    words.push(word(std::mem::take(&mut cur), s, text)?);
                }
                i += 1;
            }
            b'#' if start.is_none() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            // PowerShell continues lines with a backtick, outside quotes.
            b'`' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'`' if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') => i += 3,
            b'\\' => {
                match (b.get(i + 1), b.get(i + 2)) {
                    (Some(b'\n'), _) => i += 2,
                    (Some(b'\r'), Some(b'\n')) => i += 3,
                    (Some(_), _) => {
                        start.get_or_insert(i);
                        let n = char_len(text, i + 1);
                        cur.extend_from_slice(&b[i + 1..i + 1 + n]);
                        i += 1 + n;
                    }
                    (None, _) => i += 1,
                }
                continue;
            }
            b'\'' => {
                start.get_or_insert(i);
                let end = text[i + 1..]
                    .find('\'')
                    .ok_or_else(|| unterminated("'", i))?;
                cur.extend_from_slice(&b[i + 1..i + 1 + end]);
                i += end + 2;
            }
            b'$' if b.get(i + 1) == Some(&b'\'') => {
                start.get_or_insert(i);
                i = ansi_c(b, i + 2, &mut cur).ok_or_else(|| unterminated("$'", i))?;
            }
            b'"' => {
                start.get_or_insert(i);
                let open = i;
                i += 1;
                loop {
                    match b.get(i) {
                        None => return Err(unterminated("\"", open)),
                        Some(b'"') => break,
                        Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) => {
                            cur.push(b[i + 1]);
                            i += 2;
                        }
                        Some(b'\\') if b.get(i + 1) == Some(&b'\n') => i += 2,
                        Some(&x) => {
                            cur.push(x);
                            i += 1;
                        }
                    }
                }
                i += 1;
            }
            _ => {
                start.get_or_insert(i);
                cur.push(c);
                i += 1;
            }
        }
    }
    if let Some(s) = start {
        words.push(word(cur, s, text)?);
    }
    Ok(words)
}

fn char_len(text: &str, i: usize) -> usize {
    text[i..].chars().next().map_or(1, char::len_utf8)
}

fn word(bytes: Vec<u8>, start: usize, text: &str) -> Result<Word, Error> {
    String::from_utf8(bytes)
        .map(|t| Word { text: t, start })
        .map_err(|_| {
            let (l, c) = line_col(text, start);
            Error::input(format!(
                "curl command: the word at line {l}, column {c} is not UTF-8 after $'...' escapes"
            ))
        })
}

/// Reads a `$'...'` body from `i` (after the quote); returns the index after the closing quote.
fn ansi_c(b: &[u8], mut i: usize, out: &mut Vec<u8>) -> Option<usize> {
    let hex =
        |s: &[u8]| -> Option<u32> { u32::from_str_radix(std::str::from_utf8(s).ok()?, 16).ok() };
    loop {
        match *b.get(i)? {
            b'\'' => return Some(i + 1),
            b'\\' => {
                let e = *b.get(i + 1)?;
                i += 2;
                match e {
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'a' => out.push(7),
                    b'b' => out.push(8),
                    b'e' | b'E' => out.push(27),
                    b'f' => out.push(12),
                    b'v' => out.push(11),
                    b'x' | b'u' | b'U' => {
                        let max = match e {
                            b'x' => 2,
                            b'u' => 4,
                            _ => 8,
                        };
                        let n = b[i..]
                            .iter()
                            .take(max)
                            .take_while(|c| c.is_ascii_hexdigit())
                            .count();
                        let v = if n == 0 { None } else { hex(&b[i..i + n]) };
                        match (e, v) {
                            (b'x', Some(v)) => out.push(v as u8),
                            (_, Some(v)) => {
                                let ch = char::from_u32(v).unwrap_or('\u{fffd}');
                                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                            }
                            (_, None) => out.extend_from_slice(&[b'\\', e]),
                        }
                        i += n;
                    }
                    other => out.push(other),
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        split(s).unwrap().into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn cmd_carets_outside_quotes_only() {
        let j = |s: &str| join_continuations(s);
        assert_eq!(
            j("curl \"https://h/?a=1^&b\" ^\r\n -H \"X: y\""),
            "curl \"https://h/?a=1^&b\"   -H \"X: y\""
        );
        assert_eq!(
            j("curl ^\"https://h/?a=1^&b=2^\" ^\n -H ^\"X: \\^\"q\\^\"^\""),
            "curl \"https://h/?a=1&b=2\"   -H \"X: \\\"q\\\"\""
        );
        assert_eq!(
            j("curl \"https://h/\"^\n-H \"X: y\""),
            "curl \"https://h/\" -H \"X: y\""
        );
        // POSIX: a `^` inside single quotes at a line end is no continuation.
        assert_eq!(
            j("curl 'https://h/^\n' -H 'X: y'"),
            "curl 'https://h/^\n' -H 'X: y'"
        );
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(
            words(r#"a 'b c' "d \"e\" \x" f\ g"#),
            ["a", "b c", "d \"e\" \\x", "f g"]
        );
        assert_eq!(words("a \\\n  b"), ["a", "b"]);
        assert_eq!(words(r"$'x\ty\u00e9\x41\''"), ["x\tyéA'"]);
        assert_eq!(words("a # comment\nb"), ["a", "b"]);
        let e = split("curl 'https://h/\n -H x").unwrap_err().to_string();
        assert_eq!(
            e,
            "truncated curl command: unterminated ' quote at line 1, column 6"
        );
    }
}
