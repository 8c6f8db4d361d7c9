//! Control characters from the wire never reach a terminal or a log line raw.
//!
//! A request can carry any byte percent-encoded: `%1B[2J` decodes to an escape sequence that
//! clears the screen, `%0A` to a line break that forges a log line, U+202E to text that reads
//! backwards. Everything sigdoctor shows a person passes through here at the output edge, so
//! no renderer has to remember it. JSON and JUnit are for programs and escape on their own.

use std::borrow::Cow;
use std::fmt::Write as _;

/// One line: every control character escaped, line breaks included (tab kept).
pub fn escape_line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Multi-line text: every control character escaped except line breaks and tabs.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// The human report, safe for a terminal. With colour on, the report is also rendered
/// without it: when that plain text holds no control character, every escape sequence in
/// the coloured one is ours and it is returned as is; otherwise the plain text is returned,
/// escaped (colour is worth less than a terminal an attacker cannot drive).
pub fn for_terminal(render: impl Fn() -> String) -> String {
    if !colored::control::SHOULD_COLORIZE.should_colorize() {
        return escape_text(&render()).into_owned();
    }
    colored::control::set_override(false);
    let plain = render();
    colored::control::set_override(true);
    if plain.chars().any(|c| needs_escape(c, true)) {
        escape_text(&plain).into_owned()
    } else {
        render()
    }
}

fn escape(s: &str, keep_newline: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_escape(c, keep_newline)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !needs_escape(c, keep_newline) {
            out.push(c);
            continue;
        }
        let _ = match c {
            '\n' => out.write_str("\\n"),
            '\r' => out.write_str("\\r"),
            c if u32::from(c) < 0x100 => write!(out, "\\x{:02x}", u32::from(c)),
            c => write!(out, "\\u{{{:x}}}", u32::from(c)),
        };
    }
    Cow::Owned(out)
}

/// C0, DEL and C1 controls (tab, and line breaks in multi-line text, excepted) and the
/// Unicode bidirectional overrides, which reorder what a reader sees.
fn needs_escape(c: char, keep_newline: bool) -> bool {
    match c {
        '\t' => false,
        '\n' => !keep_newline,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_drives_a_terminal() {
        assert_eq!(escape_line("a\u{1b}[2Jb"), "a\\x1b[2Jb");
        assert_eq!(
            escape_line("k\nsigdoctor serve: 200"),
            "k\\nsigdoctor serve: 200"
        );
        assert_eq!(escape_text("a\nb\r\u{7f}\u{9b}"), "a\nb\\r\\x7f\\x9b");
        assert_eq!(escape_text("abc\u{202e}def"), "abc\\u{202e}def");
        assert!(matches!(escape_line("plain\ttext é"), Cow::Borrowed(_)));
    }
}
