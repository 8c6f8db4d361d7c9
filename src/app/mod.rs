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
