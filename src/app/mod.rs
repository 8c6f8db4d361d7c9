//! One function per subcommand: read input, run the stage, hand a report to a renderer.

pub mod check;
pub mod demo;
pub mod explain;
pub mod probe;
pub mod serve;
pub mod sign;

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

/// Reads an optional secret from its source (`env:`, `file:`, `stdin`, `prompt`, literal),
/// warning on stderr about literals.
pub fn load_secret(src: Option<&str>, what: &str) -> Result<Option<Secret>, Error> {
    src.map(|s| Secret::from_source(s, what, &mut |w| eprintln!("sigdoctor: {w}")))
        .transpose()
}
