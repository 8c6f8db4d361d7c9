//! One function per subcommand: read input, run the stage, hand a report to a renderer.

pub mod check;
pub mod demo;
pub mod docs;
pub mod explain;
// Explain's evidence is pure and shared with the browser build: see `crate::evidence`.
pub use crate::evidence::{
    base_strings as explain_evidence, placeholders as explain_placeholders,
    reference as explain_reference,
};
pub mod faults;
pub mod first_contact;
pub mod keys;
pub mod probe;
pub mod serve;
pub mod share;
pub mod sign;
pub mod web;

use crate::cli::{Cli, Command};
use crate::error::Error;

/// Runs the command and returns its exit code (SPEC section 2).
pub fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Explain(a) => explain::run(a, &cli.global),
        Command::Sign(a) => sign::run(a, &cli.global),
        Command::Probe(a) => probe::run(a, &cli.global),
        Command::Check(a) => check::run(a, &cli.global),
        Command::Serve(a) => serve::run(a, &cli.global),
        Command::Demo(a) => demo::run(a, &cli.global),
        Command::Faults(a) => faults::run(a, &cli.global),
        Command::Completions(a) => docs::completions(a.shell),
        Command::Man => docs::man(),
        Command::Web(a) => web::run(a, &cli.global),
    }
}

use crate::cli::{ColorChoice, GlobalArgs};
use crate::secret::Secret;

/// Decides colour once for the whole run: `--color`, then NO_COLOR, then whether stdout is a
/// terminal. The `colored` crate reads this override everywhere afterwards.
pub fn setup_color(global: &GlobalArgs) -> bool {
    use std::io::IsTerminal;
    let on = match global.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
    on
}

/// Writes a report to stdout; a closed pipe (`sigdoctor ... | head`) is the reader's choice,
/// not an error, and the command's exit code stands.
pub fn emit(text: &str) -> Result<(), Error> {
    crate::out::stdout(text).map(drop)
}

/// The environment variable holding the consumer secret when no flag names a source.
pub const CONSUMER_SECRET_ENV: &str = "SIGDOCTOR_CONSUMER_SECRET";
/// The environment variable holding the token secret when no flag names a source.
pub const TOKEN_SECRET_ENV: &str = "SIGDOCTOR_TOKEN_SECRET";

/// Reads an optional secret. A flag names a source (`env:`, `file:`, `stdin`, `prompt`, or
/// a literal, warned about on stderr); without a flag, `default_env` holds the secret itself
/// (SPEC: the documented default), which is no process-list risk and gets no warning.
pub fn load_secret(
    flag: Option<&str>,
    default_env: &str,
    what: &str,
) -> Result<Option<Secret>, Error> {
    match flag {
        Some(src) => {
            Secret::from_source(src, what, &mut |w| crate::eline!("sigdoctor: {w}")).map(Some)
        }
        None => Ok(std::env::var(default_env).ok().map(Secret::new)),
    }
}

/// Refuses a secret read from stdin when the request comes from stdin too: one stream
/// cannot be both, and reading it twice would leave the secret silently empty.
pub fn refuse_stdin_twice(
    request: &str,
    credentials: &crate::cli::Credentials,
) -> Result<(), Error> {
    let is_stdin = |s: &Option<String>| s.as_deref().map(str::trim) == Some("stdin");
    if is_stdin(&credentials.consumer_secret) && is_stdin(&credentials.token_secret) {
        return Err(Error::input(
            "--consumer-secret stdin and --token-secret stdin: stdin holds one of them; give \
             the other with env:VAR, file:PATH or prompt",
        ));
    }
    if request != "-" {
        return Ok(());
    }
    for (flag, src) in [
        ("--consumer-secret", &credentials.consumer_secret),
        ("--token-secret", &credentials.token_secret),
    ] {
        if src.as_deref().map(str::trim) == Some("stdin") {
            return Err(Error::input(format!(
                "{flag} stdin: the request is read from stdin already; give the secret with \
                 env:VAR, file:PATH or prompt, or the request with @PATH"
            )));
        }
    }
    Ok(())
}

/// Warns about an empty secret: it signs, but almost never on purpose (an unset variable, an
/// empty file).
pub fn warn_empty(secret: Option<&Secret>, what: &str) {
    if secret.is_some_and(|s| s.expose().is_empty()) {
        crate::eline!("sigdoctor: warning: the {what} is empty");
    }
}

/// Warns about whitespace around a secret, naming its position: the field's most common
/// mistake is a space pasted after the secret.
pub fn warn_whitespace(secret: Option<&Secret>, what: &str) {
    if let Some(s) = secret {
        for w in s.fingerprint().whitespace {
            crate::eline!(
                "sigdoctor: warning: the {what} has a {w}; the server's probably does not"
            );
        }
    }
}
