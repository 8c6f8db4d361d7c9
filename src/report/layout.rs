//! Terminal layout: one screen answers the question, so human reports fit the terminal.
//!
//! Prose wraps at word boundaries (textwrap), never inside a word; a token wider than the
//! line (a base string, a signed URL) is folded at the width with [`FOLD`] at the end of
//! each piece, so no line is wider than the terminal says. The width is `COLUMNS` when set
//! (what tests and scripts use to force it), else the width of the terminal on stdout. A
//! pipe or a file gets the lines as they are (paragraphs on one line, tokens whole): what
//! reads or copies from there is a program or a pager, and tables stay tables.

use textwrap::core::display_width;

/// The marker at the end of a folded piece of an unbreakable token.
pub const FOLD: char = '↵';

/// Narrowest width honoured: below it folding would help nobody.
const MIN_WIDTH: usize = 40;

/// The width to fit, or `None` for no limit (stdout is not a terminal and COLUMNS is unset).
pub fn width() -> Option<usize> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return (cols > 0).then_some(cols.max(MIN_WIDTH));
    }
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0).max(MIN_WIDTH))
}

/// Fits every line of `text` into `width` columns: wrapped at spaces with the line's own
/// indent (plus a list marker's, for continuation lines), unbreakable tokens folded.
/// Without a width, the text as it is.
pub fn fit(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if display_width(body) <= width {
            out.push_str(body);
            out.push_str(nl);
            continue;
        }
        let indent = body.len() - body.trim_start_matches(' ').len();
        let hang = indent + marker_width(&body[indent..]);
        let hang = if hang + 20 > width { indent } else { hang };
        // A token wider than the hanging column wraps under the line's own indent instead;
        // one wider than that (a base string, a URL) is folded in place, since a line of its
        // own would still need folding.
        let widest = body.split(' ').map(display_width).max().unwrap_or(0);
        if widest > width.saturating_sub(indent) {
            for folded in fold(body, width, hang) {
                out.push_str(&folded);
                out.push('\n');
            }
            if nl.is_empty() {
                out.pop();
            }
            continue;
        }
        let hang = if widest > width.saturating_sub(hang) {
            indent
        } else {
            hang
        };
        let sub = " ".repeat(hang);
        let opts = textwrap::Options::new(width)
            .break_words(false)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            // Optimal fit would rather overflow a column than leave a short line; an
            // overflow here is a fold marker in the middle of a URL.
            .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
            .subsequent_indent(&sub);
        for piece in textwrap::wrap(body, opts) {
            for folded in fold(&piece, width, hang) {
                out.push_str(&folded);
                out.push('\n');
            }
        }
        if nl.is_empty() {
            out.pop();
        }
    }
    out
}

/// Width of a list marker at the start of a line (`1. `, `- `, `fix: `, `[id] `), so the
/// wrapped continuation lines up under the text rather than under the marker.
fn marker_width(s: &str) -> usize {
    let plain = strip_ansi(s);
    let digits = plain.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && plain[digits..].starts_with(". ") {
        return digits + 2;
    }
    for m in ["- ", "+ ", "* ", "fix: "] {
        if plain.starts_with(m) {
            return m.len();
        }
    }
    // A label column: `server     text`, `EXPLAINED  the client...`.
    if let Some(gap) = plain.find("  ") {
        let label = &plain[..gap];
        let after = plain[gap..].len() - plain[gap..].trim_start_matches(' ').len();
        if !label.is_empty() && !label.contains(' ') && gap <= 34 {
            return gap + after;
        }
    }
    // A `label: value` line: `Request: GET ...`, `server signs: GET&...`.
    if let Some(colon) = plain.find(": ") {
        let label = &plain[..colon];
        if colon <= 34 && !label.contains(['`', '[']) {
            let after = plain[colon + 1..].len() - plain[colon + 1..].trim_start_matches(' ').len();
            return colon + 1 + after;
        }
    }
    if plain.starts_with('[') {
        if let Some(end) = plain.find("] ") {
            return end + 2;
        }
    }
    0
}

/// Folds one line wider than `width` into pieces ending in [`FOLD`]; continuation pieces
/// start at column `indent`. ANSI colour sequences count zero columns and are never split.
pub fn fold(line: &str, width: usize, indent: usize) -> Vec<String> {
    if display_width(line) <= width {
        return vec![line.to_string()];
    }
    let indent = if indent + 10 > width { 0 } else { indent };
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cols = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            cur.push(c);
            for n in chars.by_ref() {
                cur.push(n);
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        let w = display_width(c.encode_utf8(&mut [0; 4]));
        // Room for the marker unless this is the last character.
        let last = chars.peek().is_none();
        if cols + w > width - usize::from(!last) && cols > indent {
            cur.push(FOLD);
            out.push(std::mem::take(&mut cur));
            cur.push_str(&" ".repeat(indent));
            cols = indent;
        }
        cur.push(c);
        cols += w;
    }
    out.push(cur);
    out
}

/// Cuts `s` to at most `max` characters by replacing its middle with `…`, keeping both ends:
/// two thirds from the start (a URI's scheme, host, port and path prefix are what tell
/// probes apart), the rest from the end (the endpoint and its trailing slash).
pub fn middle_truncate(s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max || max < 5 {
        return s.to_string();
    }
    let keep = max - 1;
    let head = keep * 2 / 3;
    let tail = keep - head;
    let start: String = s.chars().take(head).collect();
    let end: String = s.chars().skip(n - tail).collect();
    format!("{start}…{end}")
}

/// `s` without ANSI escape sequences.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for n in chars.by_ref() {
                if n.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Markdown backticks dropped, for terminal lists.
pub fn strip_ticks(s: &str) -> String {
    s.replace('`', "")
}

/// The candidate closest to `word` by edit distance, when close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (levenshtein(word, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_prose_at_words_and_folds_tokens() {
        let text = format!(
            "  1. the quick brown fox jumps over the lazy dog and keeps running\n  base: {}\n",
            "x".repeat(70)
        );
        let got = fit(&text, Some(40));
        for l in got.lines() {
            assert!(l.chars().count() <= 40, "{l:?}");
        }
        assert!(
            got.contains("  1. the quick brown fox jumps over the\n     lazy dog"),
            "{got}"
        );
        assert!(got.contains(FOLD));
        let joined: String = got.replace([FOLD, '\n', ' '], "");
        assert!(joined.contains(&"x".repeat(70)));
        assert_eq!(fit(&text, None), text);
    }

    #[test]
    fn ansi_counts_no_columns() {
        let s = format!("\x1b[31m{}\x1b[0m", "y".repeat(50));
        let pieces = fold(&s, 40, 0);
        assert_eq!(pieces.len(), 2);
        assert_eq!(strip_ansi(&pieces[0]).chars().count(), 40);
    }

    #[test]
    fn middle_truncation_keeps_both_ends() {
        assert_eq!(middle_truncate("https://host/a/b/c/d/e", 11), "https:…/d/e");
        assert_eq!(middle_truncate("short", 11), "short");
    }

    #[test]
    fn typo_suggestions() {
        let ids = ["uri-default-port-kept", "uri-scheme"];
        assert_eq!(
            closest("uri-default-port-kep", ids.into_iter()),
            Some("uri-default-port-kept")
        );
        assert_eq!(closest("zzzzzzzz", ids.into_iter()), None);
    }
}
