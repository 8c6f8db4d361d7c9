//! RSA key files for `sign --private-key`, `explain --public-key` and `serve --public-key`.
//!
//! Read bounded (a PEM key or certificate is a few KiB; 1 MiB is generous), parsed by the
//! core ([`crate::rfc5849::rsa`]); errors name the file and what it should hold.

use std::io::Read;
use std::path::Path;

use crate::error::Error;
use crate::rfc5849::rsa::{parse_private_key, parse_public_key, PrivateKey, PublicKey};

const LIMIT: u64 = 1024 * 1024;

fn read_pem(path: &Path, flag: &str) -> Result<String, Error> {
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| Error::input(format!("{flag} {shown}: cannot open: {e}")))?;
    let mut text = String::new();
    file.take(LIMIT + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::input(format!("{flag} {shown}: cannot read a PEM text file: {e}")))?;
    if text.len() as u64 > LIMIT {
        return Err(Error::input(format!(
            "{flag} {shown}: over 1 MiB, not a PEM key"
        )));
    }
    Ok(text)
}

/// Reads `--private-key PEM`.
pub fn private_key(path: &Path) -> Result<PrivateKey, Error> {
    let text = read_pem(path, "--private-key")?;
    parse_private_key(&text)
        .map_err(|e| Error::input(format!("--private-key {}: {e}", path.display())))
}

/// Reads `--public-key PEM` (a certificate or a public key).
pub fn public_key(path: &Path) -> Result<PublicKey, Error> {
    let text = read_pem(path, "--public-key")?;
    parse_public_key(&text)
        .map_err(|e| Error::input(format!("--public-key {}: {e}", path.display())))
}
