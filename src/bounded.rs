//! Reading files and streams with a ceiling.
//!
//! `/dev/zero`, a FIFO that never ends or a multi-gigabyte file given where a secret or a
//! config was meant must not grow memory until the process dies: every read stops one byte
//! past its limit, and going past it is a one-line input error (exit 2) naming the source
//! and the limit.

use std::fs::File;
use std::io::{BufRead, Read};
use std::path::Path;

use crate::error::Error;

/// Largest secret read from a file or stdin: HMAC keys are tens of bytes, a PEM private key
/// a few KiB.
pub const SECRET_BYTES: u64 = 16 * 1024;

/// Largest configuration file (`--credentials`, `--config`, `--cacert`): a CA bundle of
/// every public root is under 1 MiB.
pub const CONFIG_BYTES: u64 = 4 * 1024 * 1024;

/// Reads `reader` to its end, refusing more than `limit` bytes.
pub fn read(reader: impl Read, limit: u64, source: &str) -> Result<Vec<u8>, Error> {
    // Sized once for small limits: no reallocation leaves stray copies of a secret behind.
    let mut buf = Vec::with_capacity(usize::try_from(limit.min(64 * 1024)).unwrap_or(0) + 1);
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| Error::input(format!("cannot read {source}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_big(source, limit));
    }
    Ok(buf)
}

/// Reads the file at `path`, refusing one over `limit` bytes (by its size when it has one,
/// by reading otherwise: `/dev/zero` and pipes have no size).
pub fn read_file(path: &Path, limit: u64, source: &str) -> Result<Vec<u8>, Error> {
    let file = File::open(path).map_err(|e| Error::input(format!("cannot open {source}: {e}")))?;
    if file.metadata().map_or(0, |m| m.len()) > limit {
        return Err(too_big(source, limit));
    }
    read(file, limit, source)
}

/// Reads one line (its line break included), refusing one over `limit` bytes.
pub fn read_line(reader: impl BufRead, limit: u64, source: &str) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::with_capacity(usize::try_from(limit.min(64 * 1024)).unwrap_or(0) + 1);
    reader
        .take(limit.saturating_add(1))
        .read_until(b'\n', &mut buf)
        .map_err(|e| Error::input(format!("cannot read {source}: {e}")))?;
    if buf.len() as u64 > limit {
        return Err(too_big(source, limit));
    }
    Ok(buf)
}

/// The error for a source over its limit.
pub fn too_big(source: &str, limit: u64) -> Error {
    Error::input(format!(
        "{source} is over {}, the most sigdoctor reads from it",
        size(limit)
    ))
}

/// `16 KiB`, `4 MiB`, or bytes.
pub fn size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_one_byte_past_the_limit() {
        let zero = std::io::repeat(0);
        let e = read(zero, 1024, "stdin").unwrap_err().to_string();
        assert_eq!(e, "stdin is over 1 KiB, the most sigdoctor reads from it");
        assert_eq!(read(&b"abc"[..], 3, "x").unwrap(), b"abc");
        let e = read_line(std::io::BufReader::new(std::io::repeat(b'a')), 10, "s");
        assert!(e.unwrap_err().to_string().contains("over 10 bytes"));
        assert_eq!(read_line(&b"ab\ncd"[..], 10, "s").unwrap(), b"ab\n");
    }
}
