//! `--credentials FILE`: several key pairs, subscription and admin, in TOML.
//!
//! ```toml
//! [[key]]
//! consumer_key = "0123456789ABCDEF"
//! consumer_secret = "env:GALLERY_SECRET"   # env:VAR, file:PATH, or the secret itself
//! role = "subscription"                    # or "admin"
//! ```
//!
//! A literal secret in the file is accepted without the process-list warning: a file is
//! where a secret should live. An empty one is refused: a server holding it would accept
//! anyone who signs with the empty key. The file is read up to [`CONFIG_BYTES`], and its
//! text, which may hold secrets, is wiped once parsed.

use std::path::Path;

use zeroize::Zeroize;

use crate::bounded::{self, CONFIG_BYTES};

use crate::error::Error;
use crate::secret::Secret;

use super::auth::{KeyPair, Role};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    key: Vec<Entry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    consumer_key: String,
    consumer_secret: String,
    #[serde(default = "default_role")]
    role: Role,
}

fn default_role() -> Role {
    Role::Subscription
}

/// Reads and checks a credentials file: at least one key, no key listed twice.
pub fn load(path: &Path) -> Result<Vec<KeyPair>, Error> {
    let shown = path.display().to_string();
    let source = format!("--credentials `{shown}`");
    let bytes = bounded::read_file(path, CONFIG_BYTES, &source)?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        e.into_bytes().zeroize();
        Error::input(format!("{source} is not UTF-8"))
    })?;
    let keys = parse(&text, &shown);
    text.zeroize();
    keys
}

/// Parses credentials TOML; `origin` names the file in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<KeyPair>, Error> {
    let file: File = toml::from_str(text).map_err(|e| {
        Error::input(format!(
            "--credentials `{origin}`: {}",
            e.message().replace('\n', " ")
        ))
    })?;
    if file.key.is_empty() {
        return Err(Error::input(format!(
            "--credentials `{origin}`: no [[key]] entry"
        )));
    }
    let mut out: Vec<KeyPair> = Vec::with_capacity(file.key.len());
    for (i, mut e) in file.key.into_iter().enumerate() {
        let what = format!("--credentials `{origin}` key #{} consumer_secret", i + 1);
        if e.consumer_key.is_empty() {
            return Err(Error::input(format!(
                "--credentials `{origin}` key #{}: empty consumer_key",
                i + 1
            )));
        }
        if out.iter().any(|k| k.consumer_key == e.consumer_key) {
            return Err(Error::input(format!(
                "--credentials `{origin}` key #{}: consumer_key `{}` listed twice",
                i + 1,
                e.consumer_key
            )));
        }
        let consumer_secret = Secret::from_source(&e.consumer_secret, &what, &mut |_| {});
        e.consumer_secret.zeroize();
        let consumer_secret = consumer_secret?;
        if consumer_secret.is_empty() {
            return Err(Error::input(format!(
                "--credentials `{origin}` key #{} (`{}`): the consumer secret is empty; a server holding it would accept anyone",
                i + 1,
                e.consumer_key
            )));
        }
        out.push(KeyPair {
            consumer_key: e.consumer_key,
            consumer_secret,
            role: e.role,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_roles_and_rejects_duplicates() {
        let k = parse(
            "[[key]]\nconsumer_key='a'\nconsumer_secret='s1'\n[[key]]\nconsumer_key='b'\nconsumer_secret='s2'\nrole='admin'\n",
            "t",
        )
        .unwrap();
        assert_eq!(k[0].role, Role::Subscription);
        assert_eq!(k[1].role, Role::Admin);
        assert_eq!(k[1].consumer_secret.expose(), "s2");
        let dup = "[[key]]\nconsumer_key='a'\nconsumer_secret='s'\n[[key]]\nconsumer_key='a'\nconsumer_secret='t'\n";
        assert!(parse(dup, "t").unwrap_err().to_string().contains("twice"));
        assert!(parse("", "t").is_err());
        assert!(parse(
            "[[key]]\nconsumer_key='a'\nconsumer_secret='s'\nrole='root'\n",
            "t"
        )
        .is_err());
    }
}
