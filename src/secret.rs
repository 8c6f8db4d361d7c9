//! Secrets: read from where the user keeps them, never shown, only fingerprinted.
//!
//! A [`Secret`] cannot be printed, logged or serialised by accident: Debug, Display and
//! Serialize all redact. Reports show a [`Fingerprint`] instead, which is enough to notice
//! "you gave me a 33-character secret with a trailing space" without revealing it.
//!
//! Its buffer is wiped when it is dropped (`zeroize`), and the buffers it is read into are
//! sized once and wiped too, so a crash dump or a later heap read finds no stale copy of it.
//! Copies made for signing (the HMAC key) are not: see the README, "Secrets in memory".

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use crate::bounded::{self, SECRET_BYTES};
use crate::error::Error;

/// A consumer or token secret. Its bytes are reachable only through [`Secret::expose`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the signing key only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A description that is safe to print.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.0)
    }

    /// Whether the secret is empty (a server must refuse to run with one).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads a secret from `SRC`: `env:VAR`, `file:PATH`, `stdin`, `prompt`, or a literal.
    ///
    /// A literal works but is visible in the process list, so `warn` is told about it.
    /// `file:` and `stdin` drop one trailing line break, which editors and `echo` add; any
    /// other whitespace is kept, since a stray space is exactly what we hunt for. Both are
    /// read up to [`SECRET_BYTES`]: `file:/dev/zero` is an error, not a process that grows
    /// until it dies.
    pub fn from_source(src: &str, what: &str, warn: &mut dyn FnMut(&str)) -> Result<Self, Error> {
        if let Some(var) = src.strip_prefix("env:") {
            return std::env::var(var).map(Self).map_err(|_| {
                Error::input(format!(
                    "{what}: environment variable `{var}` is not set or not UTF-8"
                ))
            });
        }
        if let Some(path) = src.strip_prefix("file:") {
            let source = format!("{what} `{src}`");
            let bytes = bounded::read_file(path.as_ref(), SECRET_BYTES, &source)?;
            return text(bytes, &source);
        }
        match src {
            "stdin" => {
                let source = format!("{what} `stdin`");
                let bytes = bounded::read_line(std::io::stdin().lock(), SECRET_BYTES, &source)?;
                text(bytes, &source)
            }
            "prompt" => rpassword::prompt_password(format!("{what}: "))
                .map(Self)
                .map_err(|e| Error::input(format!("{what}: cannot prompt without echo: {e}"))),
            literal => {
                warn(&format!(
                    "warning: {what} given literally is visible in the process list; prefer env:VAR, file:PATH or prompt"
                ));
                Ok(Self(literal.to_string()))
            }
        }
    }
}

/// Bytes read from a file or stdin to a secret; the bytes are wiped if they are no text.
fn text(bytes: Vec<u8>, source: &str) -> Result<Secret, Error> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Secret(strip_one_newline(s))),
        Err(e) => {
            e.into_bytes().zeroize();
            Err(Error::input(format!("{source} is not UTF-8")))
        }
    }
}

fn strip_one_newline(mut s: String) -> String {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
    s
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("(redacted)")
    }
}

/// What may be said about a secret: its length, first two characters, a sha256 prefix, and
/// where it carries whitespace.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Fingerprint {
    /// Length in characters.
    pub length: usize,
    /// The first two characters (none for secrets shorter than 8, which would give away too much).
    pub starts_with: String,
    /// First 8 hex digits of sha256(secret).
    pub sha256_prefix: String,
    /// Human descriptions of leading/trailing whitespace ("trailing space at position 33").
    pub whitespace: Vec<String>,
}

impl Fingerprint {
    /// Fingerprints `secret`.
    pub fn of(secret: &str) -> Self {
        let chars: Vec<char> = secret.chars().collect();
        let starts_with = if chars.len() >= 8 {
            chars[..2].iter().collect()
        } else {
            String::new()
        };
        let digest = Sha256::digest(secret.as_bytes());
        let mut whitespace = Vec::new();
        let lead = chars.iter().take_while(|c| c.is_whitespace()).count();
        for (i, c) in chars.iter().enumerate().take(lead) {
            whitespace.push(format!("leading {} at position {}", ws_name(*c), i + 1));
        }
        if lead < chars.len() {
            let trail = chars.iter().rev().take_while(|c| c.is_whitespace()).count();
            let start = chars.len() - trail;
            for (i, c) in chars.iter().enumerate().skip(start) {
                whitespace.push(format!("trailing {} at position {}", ws_name(*c), i + 1));
            }
        }
        Self {
            length: chars.len(),
            starts_with,
            sha256_prefix: hex::encode(&digest[..4]),
            whitespace,
        }
    }
}

fn ws_name(c: char) -> &'static str {
    match c {
        ' ' => "space",
        '\t' => "tab",
        '\n' => "newline",
        '\r' => "carriage return",
        _ => "whitespace",
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} characters", self.length)?;
        if !self.starts_with.is_empty() {
            write!(f, ", starts `{}`", self.starts_with)?;
        }
        write!(f, ", sha256 {}…", self.sha256_prefix)?;
        for w in &self.whitespace {
            write!(f, ", {w}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_itself() {
        let s = Secret::new("kd94hf93k423kf44");
        assert!(!format!("{s:?}{s}").contains("kd94"));
        assert!(!serde_json::to_string(&s).unwrap().contains("kd94"));
        let fp = s.fingerprint().to_string();
        assert!(fp.contains("16 characters") && fp.contains("`kd`"), "{fp}");
        assert!(!fp.contains("kd94"));
    }

    #[test]
    fn finds_whitespace() {
        let fp = Fingerprint::of("abcdefgh ");
        assert_eq!(fp.whitespace, vec!["trailing space at position 9"]);
        let fp = Fingerprint::of("\tabcdefgh");
        assert_eq!(fp.whitespace, vec!["leading tab at position 1"]);
    }

    #[test]
    fn file_source_drops_one_newline_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s");
        std::fs::write(&p, "abc \n\n").unwrap();
        let s =
            Secret::from_source(&format!("file:{}", p.display()), "secret", &mut |_| {}).unwrap();
        assert_eq!(s.expose(), "abc \n");
    }
}
